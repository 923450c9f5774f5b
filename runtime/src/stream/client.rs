//! The stream client: its configuration, checked once by the builder, and its two entry
//! points, [`StreamClient::open_connection`] and [`StreamClient::run`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use super::connection::{self, OpenCall, Socket, OPEN_PATH};
use super::Subscription;
use super::{session, BackoffPolicy, GatewayConnection, Handler, MessageKind, OpenError};
use crate::Secret;

/// DingTalk's API host, where `connections/open` is called.
pub const DEFAULT_BASE_URL: &str = "https://api.dingtalk.com";

/// How many acknowledged messages a session remembers by default.
pub const DEFAULT_DEDUP_CAPACITY: usize = 1024;

/// The `ua` sent by default: the protocol asks for `name-sdk-lang/version`.
const DEFAULT_USER_AGENT: &str = concat!("open-platform-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// Why a stream client could not be built, or why its session stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The builder's settings are not usable.
    #[error("invalid stream client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// `connections/open` failed.
    #[error("cannot open a stream connection: {0}")]
    Open(#[from] OpenError),
    /// The WebSocket handshake with the returned endpoint failed.
    #[error("cannot connect to the stream endpoint {endpoint}: {source}")]
    Connect {
        /// The endpoint, without the ticket.
        endpoint: String,
        /// What failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An open connection failed, or the server closed it without a `disconnect` notice.
    #[error("the stream connection to {endpoint} was lost: {reason}")]
    Lost {
        /// The endpoint, without the ticket.
        endpoint: String,
        /// What happened.
        reason: String,
    },
}

impl StreamError {
    /// Whether the session tries again after this failure: everything but a configuration
    /// error and an [`OpenError`] that is not [retryable](OpenError::is_retryable).
    pub fn is_retryable(&self) -> bool {
        match self {
            StreamError::Config { .. } => false,
            StreamError::Open(error) => error.is_retryable(),
            StreamError::Connect { .. } | StreamError::Lost { .. } => true,
        }
    }
}

/// A DingTalk Stream mode client: it opens WebSocket connections with the app's client id and
/// secret, and [`run`](StreamClient::run)s a session that hands each event and callback to a
/// [`Handler`]. Cheap to clone.
#[derive(Clone)]
pub struct StreamClient {
    config: Arc<Config>,
}

/// The checked settings of a client.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) open_url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) subscriptions: Vec<Subscription>,
    pub(crate) user_agent: String,
    pub(crate) local_ip: Option<String>,
    pub(crate) backoff: BackoffPolicy,
    pub(crate) dedup_capacity: usize,
    pub(crate) open_timeout: Option<Duration>,
    pub(crate) keepalive: Option<Duration>,
    pub(crate) max_consecutive_failures: Option<u32>,
}

impl StreamClient {
    /// A builder for the app with this client id (AppKey, or SuiteKey for a third-party app)
    /// and client secret (AppSecret or SuiteSecret).
    pub fn builder(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> StreamClientBuilder {
        StreamClientBuilder {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            subscriptions: vec![Subscription::events(), Subscription::bot_messages()],
            base_url: DEFAULT_BASE_URL.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            local_ip: None,
            backoff: BackoffPolicy::default(),
            dedup_capacity: DEFAULT_DEDUP_CAPACITY,
            open_timeout: Some(Duration::from_secs(10)),
            keepalive: Some(Duration::from_secs(60)),
            max_consecutive_failures: None,
            http: None,
        }
    }

    /// The subscriptions every connection registers.
    pub fn subscriptions(&self) -> &[Subscription] {
        &self.config.subscriptions
    }

    /// Calls `connections/open` once: the endpoint and one-time ticket of a new connection.
    /// [`run`](StreamClient::run) does this itself; this is for callers that manage the
    /// WebSocket on their own.
    pub async fn open_connection(&self) -> Result<GatewayConnection, OpenError> {
        let config = &self.config;
        OpenCall {
            http: &config.http,
            url: &config.open_url,
            client_id: &config.client_id,
            client_secret: &config.client_secret,
            subscriptions: &config.subscriptions,
            user_agent: &config.user_agent,
            local_ip: config.local_ip.as_deref(),
            timeout: config.open_timeout,
        }
        .send()
        .await
    }

    /// Runs a session until `shutdown` completes: connects, hands every event and callback to
    /// `handler` and sends its acknowledgement, answers pings, and opens a new connection when
    /// the server announces `disconnect` (at once) or the connection fails (after a
    /// [`BackoffPolicy`] wait).
    ///
    /// Returns `Ok(())` once `shutdown` completes (a handler running then is dropped and its
    /// message left unacknowledged, so DingTalk delivers an event again later). Returns an
    /// error only for a failure that retrying cannot heal (an [`OpenError`] that is not
    /// [retryable](OpenError::is_retryable), such as a refused secret), or once
    /// [`StreamClientBuilder::max_consecutive_failures`] failures came in a row; the error is
    /// the last failure.
    ///
    /// Pass `std::future::pending()` to run forever, or a cancellation token's `cancelled()`
    /// future, or a channel's receiver.
    pub async fn run<H, S>(&self, mut handler: H, shutdown: S) -> Result<(), StreamError>
    where
        H: Handler,
        S: Future<Output = ()>,
    {
        session::run(self, &mut handler, shutdown).await
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Opens a connection and completes its handshake: the socket and its endpoint (without
    /// the ticket).
    pub(crate) async fn connect(&self) -> Result<(Socket, String), StreamError> {
        let gateway = self.open_connection().await?;
        let endpoint = connection::without_query(&gateway.endpoint);
        let socket = connection::connect(&gateway, self.config.open_timeout).await?;
        Ok((socket, endpoint))
    }
}

impl fmt::Debug for StreamClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("StreamClient")
            .field("open_url", &config.open_url.as_str())
            .field("client_id", &config.client_id)
            .field("client_secret", &config.client_secret)
            .field("subscriptions", &config.subscriptions)
            .field("backoff", &config.backoff)
            .field("dedup_capacity", &config.dedup_capacity)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`StreamClient`]; [`StreamClientBuilder::build`] checks them.
#[must_use]
pub struct StreamClientBuilder {
    client_id: String,
    client_secret: Secret,
    subscriptions: Vec<Subscription>,
    base_url: String,
    user_agent: String,
    local_ip: Option<String>,
    backoff: BackoffPolicy,
    dedup_capacity: usize,
    open_timeout: Option<Duration>,
    keepalive: Option<Duration>,
    max_consecutive_failures: Option<u32>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for StreamClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamClientBuilder")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("subscriptions", &self.subscriptions)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl StreamClientBuilder {
    /// The subscriptions to register, instead of the default: every event
    /// ([`Subscription::events`]) and robot messages ([`Subscription::bot_messages`]).
    pub fn subscriptions(mut self, subscriptions: impl IntoIterator<Item = Subscription>) -> Self {
        self.subscriptions = subscriptions.into_iter().collect();
        self
    }

    /// The base URL `connections/open` is called on, instead of [`DEFAULT_BASE_URL`] (the
    /// path `/v1.0/gateway/connections/open` is appended to it).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The `ua` sent to `connections/open`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The `localIp` sent to `connections/open` (the protocol uses it only for diagnosis; by
    /// default none is sent).
    pub fn local_ip(mut self, local_ip: impl Into<String>) -> Self {
        self.local_ip = Some(local_ip.into());
        self
    }

    /// The waits between failed connection attempts.
    pub fn backoff(mut self, backoff: BackoffPolicy) -> Self {
        self.backoff = backoff;
        self
    }

    /// How many acknowledged messages the session remembers to recognise a new delivery of
    /// one ([`DEFAULT_DEDUP_CAPACITY`] by default); `0` turns this off.
    pub fn dedup_capacity(mut self, capacity: usize) -> Self {
        self.dedup_capacity = capacity;
        self
    }

    /// The time limit of `connections/open` and of the WebSocket handshake (10 s by default);
    /// `None` for none.
    pub fn open_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.open_timeout = timeout;
        self
    }

    /// After this long without anything received the session sends a WebSocket ping, and
    /// after as long again without anything it takes the connection as lost (60 s by
    /// default); `None` turns this off.
    pub fn keepalive(mut self, interval: Option<Duration>) -> Self {
        self.keepalive = interval;
        self
    }

    /// The session gives up after this many failures in a row (failed opens, failed
    /// handshakes and connections lost before any frame arrived); `None`, the default, tries
    /// for ever.
    pub fn max_consecutive_failures(mut self, failures: Option<u32>) -> Self {
        self.max_consecutive_failures = failures;
        self
    }

    /// The HTTP client of `connections/open` (for a proxy, say), instead of the default.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<StreamClient, StreamError> {
        let invalid = |message: String| StreamError::Config { message };
        if self.client_id.trim().is_empty() {
            return Err(invalid("the client id is empty".to_owned()));
        }
        if self.client_secret.expose().trim().is_empty() {
            return Err(invalid("the client secret is empty".to_owned()));
        }
        check_subscriptions(&self.subscriptions).map_err(invalid)?;
        let open_url = open_url(&self.base_url).map_err(invalid)?;
        check_durations(&self).map_err(invalid)?;
        let http = match self.http {
            Some(http) => http,
            // One call per connection, minutes apart: nothing to gain from pooled connections.
            None => reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|error| invalid(format!("cannot build the HTTP client: {error}")))?,
        };
        Ok(StreamClient {
            config: Arc::new(Config {
                http,
                open_url,
                client_id: self.client_id,
                client_secret: self.client_secret,
                subscriptions: self.subscriptions,
                user_agent: self.user_agent,
                local_ip: self.local_ip,
                backoff: self.backoff,
                dedup_capacity: self.dedup_capacity,
                open_timeout: self.open_timeout,
                keepalive: self.keepalive,
                max_consecutive_failures: self.max_consecutive_failures,
            }),
        })
    }
}

fn check_subscriptions(subscriptions: &[Subscription]) -> Result<(), String> {
    if subscriptions.is_empty() {
        return Err("no subscriptions".to_owned());
    }
    for subscription in subscriptions {
        match subscription.kind {
            MessageKind::Event if subscription.topic != "*" => {
                return Err(format!(
                    "the EVENT subscription `{}`: events are subscribed with the topic `*` only (choose the events in the developer console)",
                    subscription.topic
                ));
            }
            MessageKind::Callback if subscription.topic.trim().is_empty() => {
                return Err("a CALLBACK subscription has an empty topic".to_owned());
            }
            MessageKind::Event | MessageKind::Callback => {}
        }
    }
    Ok(())
}

fn open_url(base_url: &str) -> Result<Url, String> {
    let base = Url::parse(base_url)
        .map_err(|error| format!("the base URL `{base_url}` is not a URL: {error}"))?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(format!("the base URL `{base_url}` is not an HTTP URL"));
    }
    if base.query().is_some() || base.fragment().is_some() {
        return Err(format!(
            "the base URL `{base_url}` has a query or a fragment"
        ));
    }
    let joined = format!("{}{OPEN_PATH}", base.as_str().trim_end_matches('/'));
    Url::parse(&joined).map_err(|error| format!("the URL `{joined}` is not a URL: {error}"))
}

fn check_durations(builder: &StreamClientBuilder) -> Result<(), String> {
    let backoff = &builder.backoff;
    if backoff.initial_delay.is_zero() {
        return Err("the backoff's initial delay is zero".to_owned());
    }
    if backoff.max_delay < backoff.initial_delay {
        return Err(format!(
            "the backoff's longest delay {:?} is shorter than its initial delay {:?}",
            backoff.max_delay, backoff.initial_delay
        ));
    }
    if builder
        .open_timeout
        .is_some_and(|timeout| timeout.is_zero())
    {
        return Err("the open timeout is zero".to_owned());
    }
    if builder.keepalive.is_some_and(|interval| interval.is_zero()) {
        return Err("the keepalive interval is zero".to_owned());
    }
    if builder.max_consecutive_failures == Some(0) {
        return Err("the number of failures to give up after is zero".to_owned());
    }
    Ok(())
}
