//! The client shared by all platforms: base URLs, token source, signing key, transport, time
//! limits and retries. Everything but the thin `send` and `download` entry points is
//! non-generic over the request type, so it is compiled once.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use super::download::{self, Download, Fetched};
use super::PushedValues;
use super::{envelope, ApiRequest, AuthPlacement, Base, Credential, Error, HttpRequest};
use super::{spans, TransportErrorKind};
use super::{Operation, Signing};
use super::{RateKey, RateLimitError, RateLimiter};
use super::{
    ReqwestTransport, RetryPolicy, Secret, SigningKey, TokenRequest, TokenSource, Transport,
    TransportError,
};

/// Reads one attempt's response: `Ok` when the call succeeded (the reader keeps what it
/// decoded), the error otherwise. A trait object, so that the retry loop is compiled once.
type Reader<'a> = dyn FnMut(envelope::Raw<'_>) -> Result<(), Error> + Send + 'a;

/// How an attempt receives its response: whole, for [`Reader`] to decode (`Client::send`), or
/// as a stream kept for the caller when it is a file (`Client::download`).
enum Receive<'a> {
    /// The whole response, read by the reader.
    Whole(&'a mut Reader<'a>),
    /// A file, kept here on success.
    File(&'a mut Option<Fetched>),
}

/// A platform's generated client type, built from a runtime [`Client`].
pub trait Platform: Sized {
    /// The platform's bases.
    const BASES: &'static [&'static Base];

    /// The kinds of token the platform's calls carry; the first is the default that
    /// `ClientBuilder::token` sets. Empty when the platform declares none.
    const CREDENTIALS: &'static [&'static Credential] = &[];

    /// Wraps the runtime client.
    fn from_runtime(client: Client) -> Self;
}

/// Per-call settings: a client's defaults, overridable for one call with
/// [`Client::with_options`] (and the generated clients' `with_timeout`, `with_deadline` and
/// `with_retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The longest one attempt may take, from sending to the whole body
    /// ([`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT) unless set).
    pub timeout: Duration,
    /// The longest a whole call may take: every attempt, the pauses between them and the wait
    /// for a token ([`DEFAULT_DEADLINE`](Self::DEFAULT_DEADLINE) unless set). Each attempt
    /// gets `timeout` or the time left, whichever is shorter; a retry whose pause would reach
    /// the deadline is not made (the call returns the failure it would have retried), and a
    /// call still waiting when the deadline passes ends with [`Error::Deadline`].
    pub deadline: Duration,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
}

impl CallOptions {
    /// The default time limit of one attempt.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// The default deadline of a whole call: 60 s, two attempts' worth of the default time
    /// limit. A call that hangs once still gets a second full attempt; the worst case of the
    /// default policy without a deadline (four hung attempts and their pauses, over two
    /// minutes) is cut in half; and a call made while serving a request ends, with a typed
    /// error, before the 60 s after which common proxies and load balancers give up on that
    /// request (nginx's `proxy_read_timeout`, AWS ALB's idle timeout).
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
}

impl Default for CallOptions {
    fn default() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            deadline: Self::DEFAULT_DEADLINE,
            retry: RetryPolicy::default(),
        }
    }
}

/// The runtime behind every generated client. Cheap to clone; safe to share across tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
    /// The token sources, shared by clones; `with_credential` makes a client with one more.
    tokens: Arc<Tokens>,
    /// The tenant (a corporation) whose tokens per-tenant credentials fetch.
    tenant: Option<Arc<str>>,
}

/// Where each kind of token comes from.
#[derive(Clone, Default)]
struct Tokens {
    /// The source of the platform's default credential, and of every call when the platform
    /// declares no credentials.
    default: Option<Arc<dyn TokenSource>>,
    /// The id of the platform's default credential, which `default` serves.
    default_credential: Option<&'static str>,
    /// Sources per credential id.
    by_credential: BTreeMap<&'static str, Arc<dyn TokenSource>>,
}

impl Tokens {
    /// The source of the tokens `credential` names (`None`: the platform's only token).
    fn source(&self, credential: Option<&'static Credential>) -> Option<&Arc<dyn TokenSource>> {
        match credential {
            None => self.default.as_ref(),
            Some(credential) => self.by_credential.get(credential.id).or_else(|| {
                (self.default_credential == Some(credential.id))
                    .then_some(self.default.as_ref())
                    .flatten()
            }),
        }
    }
}

struct Inner {
    transport: Arc<dyn Transport>,
    /// The key that signed operations are signed with.
    signing_key: Option<SigningKey>,
    /// Base id -> URL, for bases whose URL was overridden.
    base_urls: BTreeMap<&'static str, String>,
    /// Values the platform pushed (a suite ticket), for the token requests that take them.
    pushed: Option<PushedValues>,
    /// Where calls of operations with a rate budget take their slots; `None` keeps to none.
    rate_limiter: Option<Arc<dyn RateLimiter>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_urls", &self.inner.base_urls)
            .field("has_token_source", &self.tokens.default.is_some())
            .field(
                "credentials",
                &self.tokens.by_credential.keys().collect::<Vec<_>>(),
            )
            .field("tenant", &self.tenant)
            .field("has_signing_key", &self.inner.signing_key.is_some())
            .field("has_rate_limiter", &self.inner.rate_limiter.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Sends `request` and decodes the operation's response.
    pub async fn send<R: ApiRequest>(&self, request: R) -> Result<R::Response, Error> {
        let operation = R::OPERATION;
        let http = request.http_request_at(self.base_url(operation.base))?;
        let mut decoded = None;
        // Each attempt's response is read once: decoded straight into the response type,
        // whose hidden envelope field tells success from failure (see `envelope::read`).
        let mut read = |raw: envelope::Raw<'_>| {
            decoded = Some(envelope::read::<R>(raw)?);
            Ok(())
        };
        self.call(operation, http, &mut Receive::Whole(&mut read))
            .await?;
        decoded.ok_or_else(|| nothing_read(operation))
    }

    /// Sends `request` to an operation whose successful response is a file
    /// ([`Operation::download`](crate::Operation#structfield.download)) and returns it once its
    /// headers have arrived, its body still to be read (see [`Download`]).
    ///
    /// Tokens, replays after a rejected token, retries and the time limit of each attempt work
    /// as for [`send`](Self::send). A 2xx response whose content type is not JSON is the file;
    /// any other response is read as the operation's envelope, so that the platform's error is
    /// [`Error::Api`], and a JSON body that reports success is an [`Error::Decode`] (a file was
    /// expected). Once the file is handed over, each chunk must arrive within the time limit.
    pub async fn download<R: ApiRequest>(&self, request: R) -> Result<Download, Error> {
        let operation = R::OPERATION;
        let http = request.http_request_at(self.base_url(operation.base))?;
        let mut fetched = None;
        self.call(operation, http, &mut Receive::File(&mut fetched))
            .await?;
        let fetched = fetched.ok_or_else(|| nothing_read(operation))?;
        Ok(download::start(operation, fetched, self.options.timeout))
    }

    /// The URL this client uses for `base`.
    pub fn base_url(&self, base: &'static Base) -> &str {
        self.inner
            .base_urls
            .get(base.id)
            .map_or(base.url, String::as_str)
    }

    /// The settings calls through this client use.
    pub fn options(&self) -> CallOptions {
        self.options
    }

    /// A client sharing this one's connections and token cache, with other call settings.
    pub fn with_options(&self, options: CallOptions) -> Self {
        Self {
            options,
            ..self.clone()
        }
    }

    /// A client for one tenant (a corporation an ISV app serves): it shares this client's
    /// connections, retry policy and token sources, and its per-tenant credentials (such as
    /// DingTalk's corporation token) fetch and cache the tenant's own token.
    pub fn for_tenant(&self, tenant: impl Into<String>) -> Self {
        Self {
            tenant: Some(Arc::from(tenant.into())),
            ..self.clone()
        }
    }

    /// The key signed operations are signed with, if one is set.
    pub fn signing_key(&self) -> Option<&SigningKey> {
        self.inner.signing_key.as_ref()
    }

    /// The tenant this client's per-tenant tokens are for, if any.
    pub fn tenant(&self) -> Option<&str> {
        self.tenant.as_deref()
    }

    /// The latest value the platform pushed under `name` (DingTalk's `suite_ticket`), when the
    /// client was given [`PushedValues`] and one has arrived.
    pub fn pushed_value(&self, name: &str) -> Option<String> {
        self.inner.pushed.as_ref()?.get(name)
    }

    /// A client whose calls that carry `credential` take their token from `source` (such as
    /// one user's token), sharing everything else with this one.
    pub fn with_credential(
        &self,
        credential: &'static Credential,
        source: impl TokenSource,
    ) -> Self {
        let mut tokens = Tokens::clone(&self.tokens);
        tokens.by_credential.insert(credential.id, Arc::new(source));
        Self {
            tokens: Arc::new(tokens),
            ..self.clone()
        }
    }

    /// One call: attempts with retries and at most one replay with a fresh token, within the
    /// call's deadline; `receive` receives each attempt's response and says whether it
    /// succeeded.
    async fn call(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        receive: &mut Receive<'_>,
    ) -> Result<(), Error> {
        let span = spans::call(operation, &http.url);
        let result = self
            .attempts(operation, http, receive)
            .instrument(span.clone())
            .await;
        spans::record(&span, &result);
        result.map(|_status| ())
    }

    /// The attempts of one call; returns the status of the successful response.
    async fn attempts(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        receive: &mut Receive<'_>,
    ) -> Result<u16, Error> {
        // A deadline too far away to represent is no deadline.
        let ends = Instant::now().checked_add(self.options.deadline);
        let source = self.tokens.source(operation.credential);
        // A source that cannot give another token (a StaticToken) holds the caller's own.
        let renews = source.is_some_and(|s| s.renews());
        let mut retries = 0;
        let mut replayed = false;
        // The failure being retried, for the deadline's error.
        let mut last = None;
        let mut rate_waited = Duration::ZERO;
        for attempt in 1.. {
            tracing::Span::current().record("open_platform.attempts", attempt);
            // Every attempt is a request the platform counts, so each takes a slot.
            match self.take_slot(operation, ends, attempt).await {
                Ok(waited) => {
                    rate_waited += waited;
                    if !waited.is_zero() {
                        tracing::Span::current().record(
                            "open_platform.rate_limit.wait_ms",
                            rate_waited.as_millis() as u64,
                        );
                    }
                }
                // A retry with no slot before the deadline is not made: the call returns
                // the failure it would have retried.
                Err(error) => return Err(last.unwrap_or(error)),
            }
            let (result, token) = self
                .attempt(operation, http.clone(), attempt, ends, receive)
                .await;
            let mut error = match result {
                Ok(status) => return Ok(status),
                Err(Error::Deadline {
                    operation,
                    deadline,
                    attempts,
                    last: _,
                }) => {
                    return Err(Error::Deadline {
                        operation,
                        deadline,
                        attempts,
                        last: last.map(Box::new),
                    })
                }
                Err(error) => error,
            };
            error.record_attempts(attempt, replayed, token.is_some() && !renews);
            let token_rejected = error.is_token_invalid() && operation.auth;
            if token_rejected {
                if let (Some(token), Some(source)) = (&token, source) {
                    source.invalidate(self, token).await;
                }
            }
            // A file part read from a reader went with the attempt that sent it (the clones
            // share it): neither a replay nor a retry could send it again.
            if http.body.reader_consumed() {
                return Err(error);
            }
            if token_rejected {
                // One replay with a fresh token; a second rejection is the caller's, and
                // so is the first when the source cannot give another token.
                if !replayed && token.is_some() && renews {
                    replayed = true;
                    tracing::debug!(attempt, "token rejected; replaying once with a fresh token");
                    last = Some(error);
                    continue;
                }
                return Err(error);
            }
            let Some(delay) = self.options.retry.delay(&error, operation, retries) else {
                return Err(error);
            };
            // A pause that ends at or after the deadline leaves no time for the retry.
            if ends.is_some_and(|ends| Instant::now() + delay >= ends) {
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    error = %error,
                    "not retrying: the pause would reach the call's deadline"
                );
                return Err(error);
            }
            retries += 1;
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(delay).await;
            last = Some(error);
        }
        unreachable!("the attempt loop only ends by returning")
    }

    /// Takes a slot of the operation's rate budget, if it has one, waiting for it within the
    /// call's deadline (`ends`); returns how long it waited.
    async fn take_slot(
        &self,
        operation: &'static Operation,
        ends: Option<Instant>,
        attempt: u32,
    ) -> Result<Duration, Error> {
        let (Some(limit), Some(limiter)) = (operation.rate_limit, &self.inner.rate_limiter) else {
            return Ok(Duration::ZERO);
        };
        let key = RateKey::new(limit, operation.id, self.tenant.as_deref());
        let left = ends.map(|ends| ends.saturating_duration_since(Instant::now()));
        // A slot is worth waiting for only if the request still has time after it: a
        // quarter of the time left (at most an attempt's time limit) is kept for it.
        let max_wait = left.map(|left| left - (left / 4).min(self.options.timeout));
        let acquired = limiter.acquire(&key, max_wait);
        // A limiter is expected to give up by itself; the deadline holds for any limiter.
        let acquired = match ends {
            Some(ends) => tokio::time::timeout_at(ends, acquired)
                .await
                .unwrap_or_else(|_| {
                    Err(RateLimitError::TooFar {
                        wait: left.unwrap_or_default(),
                        max_wait: max_wait.unwrap_or_default(),
                    })
                }),
            None => acquired.await,
        };
        match acquired {
            Ok(waited) => {
                if !waited.is_zero() {
                    tracing::debug!(
                        attempt,
                        budget = %key,
                        wait_ms = waited.as_millis() as u64,
                        "waited for a slot of the rate budget"
                    );
                }
                Ok(waited)
            }
            Err(RateLimitError::TooFar { wait, .. }) => Err(Error::RateBudget {
                operation: operation.id,
                budget: key.to_string(),
                wait,
                left: left.unwrap_or_default(),
            }),
            Err(error @ RateLimitError::NoCalls(_)) => Err(Error::InvalidRequest {
                operation: operation.id,
                source: super::InvalidRequest {
                    path: String::new(),
                    reason: error.to_string(),
                },
            }),
        }
    }

    /// One attempt: token, signature, transport and response check, within the time limit of
    /// an attempt and the call's deadline (`ends`). Returns the token the attempt carried, so
    /// that a rejected one can be invalidated.
    async fn attempt(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        attempt: u32,
        ends: Option<Instant>,
        receive: &mut Receive<'_>,
    ) -> (Result<u16, Error>, Option<Secret>) {
        let span = spans::attempt(operation, &http.url, attempt);
        let (result, token) = self
            .try_attempt(operation, http, attempt, ends, receive)
            .instrument(span.clone())
            .await;
        spans::record(&span, &result);
        (result, token)
    }

    async fn try_attempt(
        &self,
        operation: &'static Operation,
        mut http: HttpRequest,
        attempt: u32,
        ends: Option<Instant>,
        receive: &mut Receive<'_>,
    ) -> (Result<u16, Error>, Option<Secret>) {
        let past_deadline = || Error::Deadline {
            operation: operation.id,
            deadline: self.options.deadline,
            attempts: attempt,
            last: None,
        };
        let token = if operation.auth {
            // A token fetch has its own time limits; the wait for it counts against the call's.
            let authorized = match ends {
                Some(ends) => tokio::time::timeout_at(ends, self.authorize(operation, &mut http))
                    .await
                    .unwrap_or_else(|_| Err(past_deadline())),
                None => self.authorize(operation, &mut http).await,
            };
            match authorized {
                Ok(token) => Some(token),
                Err(error) => return (Err(error.in_call(operation.id)), None),
            }
        } else {
            None
        };
        // Signed after the token is added, so that a signature over the parameters covers it,
        // and on every attempt, so that a retry carries a fresh timestamp.
        if let Some(signing) = operation.signing {
            if let Err(error) = self.sign(operation, signing, &mut http) {
                return (Err(error), token);
            }
        }
        // The attempt's limit, or the time left before the deadline if that is shorter.
        let timeout = self.options.timeout;
        let left = ends.map(|ends| ends.saturating_duration_since(Instant::now()));
        let (limit, deadline_first) = match left {
            Some(left) if left < timeout => (left, true),
            _ => (timeout, false),
        };
        if limit.is_zero() && deadline_first {
            return (Err(past_deadline()), token);
        }
        let started = Instant::now();
        let exchanged = tokio::time::timeout(
            limit,
            self.exchange(operation, http, token.as_ref(), receive),
        )
        .await;
        let latency_ms = started.elapsed().as_millis() as u64;
        let result = match exchanged {
            Ok(result) => result,
            Err(_) if deadline_first => Err(past_deadline()),
            Err(_) => Err(Error::Transport {
                operation: operation.id,
                source: TransportError {
                    kind: TransportErrorKind::Timeout,
                    message: format!("no complete response within {} ms", timeout.as_millis()),
                },
            }),
        };
        // A page or message may echo the request, token included; it must not reach a log.
        let result = result.map_err(|mut error| {
            if let Some(token) = &token {
                error.redact(token.expose());
            }
            error
        });
        match &result {
            Ok(status) => tracing::debug!(attempt, status, latency_ms, "attempt succeeded"),
            Err(error) => tracing::debug!(attempt, latency_ms, error = %error, "attempt failed"),
        }
        (result, token)
    }

    /// Sends the request and receives the response as `receive` asks; returns the status of a
    /// successful response.
    async fn exchange(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        token: Option<&Secret>,
        receive: &mut Receive<'_>,
    ) -> Result<u16, Error> {
        let transport_error = |source| Error::Transport {
            operation: operation.id,
            source,
        };
        match receive {
            Receive::Whole(read) => {
                let response = self
                    .inner
                    .transport
                    .send(http)
                    .await
                    .map_err(transport_error)?;
                let raw = envelope::Raw {
                    status: response.status,
                    content_type: response.content_type(),
                    body: &response.body,
                };
                read(raw).map(|()| response.status)
            }
            Receive::File(slot) => {
                let response = self
                    .inner
                    .transport
                    .send_streaming(http)
                    .await
                    .map_err(transport_error)?;
                let response = download::receive(operation, response).await?;
                let status = response.status;
                **slot = Some(Fetched {
                    response,
                    token: token.cloned(),
                });
                Ok(status)
            }
        }
    }

    /// Signs the attempt's request as `signing` says, with the client's signing key.
    fn sign(
        &self,
        operation: &'static Operation,
        signing: &'static Signing,
        http: &mut HttpRequest,
    ) -> Result<(), Error> {
        let failed = |message: String| Error::Auth {
            operation: operation.id,
            message,
        };
        #[cfg(feature = "signing")]
        {
            let Some(key) = &self.inner.signing_key else {
                return Err(failed(format!(
                    "the call is signed (signature `{}`) but no signing key is configured; set \
                     one with ClientBuilder::signing_key",
                    signing.id
                )));
            };
            crate::sign::sign(signing, key, http, std::time::SystemTime::now()).map_err(|err| {
                failed(format!(
                    "cannot sign the request (signature `{}`): {err}",
                    signing.id
                ))
            })
        }
        #[cfg(not(feature = "signing"))]
        {
            let _ = (&self.inner.signing_key, http);
            Err(failed(format!(
                "the call is signed (signature `{}`), which needs the `signing` feature of \
                 open-platform-runtime",
                signing.id
            )))
        }
    }

    async fn authorize(
        &self,
        operation: &'static Operation,
        http: &mut HttpRequest,
    ) -> Result<Secret, Error> {
        let Some(source) = self.tokens.source(operation.credential) else {
            let message = match operation.credential {
                Some(credential) => format!(
                    "no source of `{}` tokens configured; set one with ClientBuilder::token_request or ClientBuilder::credential",
                    credential.id
                ),
                None => "no token source configured; set one with ClientBuilder::token".to_owned(),
            };
            return Err(Error::Auth {
                operation: operation.id,
                message,
            });
        };
        if let (Some(credential), None) = (operation.credential, &self.tenant) {
            if credential.per_tenant {
                return Err(Error::Auth {
                    operation: operation.id,
                    message: format!(
                        "`{}` tokens are issued per tenant; call through the client's `for_tenant(id)`",
                        credential.id
                    ),
                });
            }
        }
        let token = source.token(self).await?;
        match operation.base.auth {
            AuthPlacement::Query(name) => {
                http.url.query_pairs_mut().append_pair(name, token.expose());
            }
            AuthPlacement::Header(name) => http
                .headers
                .push((name.to_owned(), token.expose().to_owned())),
            AuthPlacement::Body(name) => {
                crate::body::add_field(http, name, token.expose()).map_err(|message| {
                    Error::Auth {
                        operation: operation.id,
                        message,
                    }
                })?;
            }
            AuthPlacement::None => {}
        }
        Ok(token)
    }
}

/// The error of a call that ended without an attempt having read a response (which the loop
/// rules out).
fn nothing_read(operation: &'static Operation) -> Error {
    Error::Decode {
        operation: operation.id,
        path: String::new(),
        message: "no response was read".to_owned(),
        snippet: String::new(),
    }
}

/// The limiter of a client that was given none: in-process with the `rate` feature.
fn default_rate_limiter() -> Option<Arc<dyn RateLimiter>> {
    #[cfg(feature = "rate")]
    {
        Some(Arc::new(crate::InProcessRateLimiter::new()))
    }
    #[cfg(not(feature = "rate"))]
    {
        None
    }
}

/// Configures a platform client: `dingtalk::Client::builder().token(...).build()`.
pub struct ClientBuilder<P> {
    transport: Option<Arc<dyn Transport>>,
    tokens: Tokens,
    signing_key: Option<SigningKey>,
    base_urls: BTreeMap<&'static str, String>,
    options: CallOptions,
    connect_timeout: Duration,
    pushed: Option<PushedValues>,
    /// `None`: the default (in-process with the `rate` feature); `Some(None)`: no limiter.
    rate_limiter: Option<Option<Arc<dyn RateLimiter>>>,
    platform: PhantomData<fn() -> P>,
}

impl<P: Platform> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self {
            transport: None,
            tokens: Tokens {
                default_credential: P::CREDENTIALS.first().map(|c| c.id),
                ..Tokens::default()
            },
            signing_key: None,
            base_urls: BTreeMap::new(),
            options: CallOptions::default(),
            connect_timeout: ReqwestTransport::CONNECT_TIMEOUT,
            pushed: None,
            rate_limiter: None,
            platform: PhantomData,
        }
    }
}

impl<P: Platform> ClientBuilder<P> {
    /// A builder with the production base URLs, the default transport and no token source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where tokens come from: the platform's default credential (the first it declares),
    /// or every call's token when it declares none.
    pub fn token(mut self, source: impl TokenSource) -> Self {
        self.tokens.default = Some(Arc::new(source));
        self
    }

    /// Where the tokens of `credential` come from (such as DingTalk's `CORP_TOKEN`).
    pub fn credential(mut self, credential: &'static Credential, source: impl TokenSource) -> Self {
        self.tokens
            .by_credential
            .insert(credential.id, Arc::new(source));
        self
    }

    /// Fetches tokens with one of the platform's token operations (such as DingTalk's
    /// `auth::GetTokenRequest::new(app_key, app_secret)`), cached and refreshed ahead of
    /// expiry, for the credential the operation issues.
    pub fn token_request<R: TokenRequest>(self, request: R) -> Self {
        self.credential(R::CREDENTIAL, request.into_token_source())
    }

    /// The key that signed operations (those with a [`Signing`]) are signed with. Signing
    /// needs the runtime's `signing` feature.
    pub fn signing_key(mut self, key: SigningKey) -> Self {
        self.signing_key = Some(key);
        self
    }

    /// Sends requests to `url` instead of `base`'s production URL (a proxy or a test server).
    pub fn base_url(mut self, base: &'static Base, url: impl Into<String>) -> Self {
        self.base_urls.insert(base.id, url.into());
        self
    }

    /// Sends the requests of every base of the platform to `url` (such as a local mock server,
    /// `http://127.0.0.1:8080`): one call instead of a [`base_url`](Self::base_url) per base.
    /// Each request keeps its path, so one server answers them all; a later `base_url` still
    /// points one base elsewhere.
    pub fn server(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        for base in P::BASES {
            self.base_urls.insert(base.id, url.clone());
        }
        self
    }

    /// Sends requests through `transport` instead of the default reqwest client.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The longest one attempt may take (default 30 s,
    /// [`CallOptions::DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// The longest a whole call may take, retries, pauses and the wait for a token included
    /// (default 60 s, [`CallOptions::DEFAULT_DEADLINE`]; see [`CallOptions::deadline`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = deadline;
        self
    }

    /// The longest establishing a connection may take with the default transport (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed attempts are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Token requests that take a value the platform pushes (DingTalk's suite ticket, which
    /// the corporation token request is signed with) take the latest one from `values` at
    /// every fetch: give the same [`PushedValues`] to the event receiver that gets the pushes.
    pub fn pushed_values(mut self, values: PushedValues) -> Self {
        self.pushed = Some(values);
        self
    }

    /// Where calls of operations with a documented rate budget (the spec's `rate_limit`)
    /// take their slots: such as a [`RedisRateLimiter`](crate::RedisRateLimiter) shared by
    /// every process of the app, or one [`InProcessRateLimiter`](crate::InProcessRateLimiter)
    /// shared by several clients. The default, with the runtime's `rate` feature, is an
    /// in-process limiter of the client's own; without it calls keep to no budget.
    ///
    /// A call waits for its slot within its deadline, keeping a quarter of the time left (at
    /// most the attempt's time limit) for the request itself; when the slot is further away
    /// it fails at once with [`Error::RateBudget`], without being sent. The wait shows on the call's span as
    /// `open_platform.rate_limit.wait_ms`.
    pub fn rate_limiter(mut self, limiter: impl RateLimiter) -> Self {
        self.rate_limiter = Some(Some(Arc::new(limiter)));
        self
    }

    /// Calls keep to no rate budget, whatever the spec declares (an app whose platform grants
    /// it more than the documented defaults, or that paces its calls itself).
    pub fn without_rate_limits(mut self) -> Self {
        self.rate_limiter = Some(None);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<P, TransportError> {
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(ReqwestTransport::with_connect_timeout(
                self.connect_timeout,
            )?),
        };
        let inner = Inner {
            transport,
            signing_key: self.signing_key,
            base_urls: self.base_urls,
            pushed: self.pushed,
            rate_limiter: self.rate_limiter.unwrap_or_else(default_rate_limiter),
        };
        Ok(P::from_runtime(Client {
            inner: Arc::new(inner),
            options: self.options,
            tokens: Arc::new(self.tokens),
            tenant: None,
        }))
    }
}
