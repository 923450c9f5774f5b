//! The client shared by all platforms: base URLs, token source, transport, time limits and
//! retries. Everything here is non-generic over the request type, so it is compiled once.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use super::TransportErrorKind;
use super::{envelope, ApiRequest, AuthPlacement, Base, Error, HttpRequest, Operation};
use super::{
    ReqwestTransport, RetryPolicy, Secret, TokenRequest, TokenSource, Transport, TransportError,
};

/// Reads one attempt's response: `Ok` when the call succeeded (the reader keeps what it
/// decoded), the error otherwise. A trait object, so that the retry loop is compiled once.
type Reader<'a> = dyn FnMut(envelope::Raw<'_>) -> Result<(), Error> + Send + 'a;

/// A platform's generated client type, built from a runtime [`Client`].
pub trait Platform: Sized {
    /// The platform's bases.
    const BASES: &'static [&'static Base];

    /// Wraps the runtime client.
    fn from_runtime(client: Client) -> Self;
}

/// Per-call settings: a client's defaults, overridable for one call with
/// [`Client::with_options`] (and the generated clients' `with_timeout`/`with_retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The longest one attempt may take, from sending to the whole body.
    pub timeout: Duration,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
}

impl Default for CallOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// The runtime behind every generated client. Cheap to clone; safe to share across tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    transport: Arc<dyn Transport>,
    token: Option<Arc<dyn TokenSource>>,
    /// Base id -> URL, for bases whose URL was overridden.
    base_urls: BTreeMap<&'static str, String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_urls", &self.inner.base_urls)
            .field("has_token_source", &self.inner.token.is_some())
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
        self.call(operation, http, &mut read).await?;
        decoded.ok_or_else(|| Error::Decode {
            operation: operation.id,
            path: String::new(),
            message: "no response was read".to_owned(),
            snippet: String::new(),
        })
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
            inner: Arc::clone(&self.inner),
            options,
        }
    }

    /// One call: attempts with retries and at most one replay with a fresh token; `read`
    /// reads each attempt's response and says whether it succeeded.
    async fn call(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        read: &mut Reader<'_>,
    ) -> Result<(), Error> {
        let span = tracing::debug_span!(
            "call",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
        );
        async move {
            let mut retries = 0;
            let mut replayed = false;
            for attempt in 1.. {
                let (result, token) = self.attempt(operation, http.clone(), attempt, read).await;
                let Err(error) = result else { return Ok(()) };
                if error.is_token_invalid() && operation.auth {
                    if let (Some(token), Some(source)) = (&token, &self.inner.token) {
                        source.invalidate(token).await;
                    }
                    // One replay with a fresh token; a second rejection is the caller's, and
                    // so is the first when the source cannot give another token.
                    let renews = self.inner.token.as_ref().is_some_and(|s| s.renews());
                    if !replayed && token.is_some() && renews {
                        replayed = true;
                        tracing::debug!(attempt, "token rejected; replaying once with a fresh token");
                        continue;
                    }
                    return Err(error);
                }
                match self.options.retry.delay(&error, operation, retries) {
                    Some(delay) => {
                        retries += 1;
                        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                        tokio::time::sleep(delay).await;
                    }
                    None => return Err(error),
                }
            }
            unreachable!("the attempt loop only ends by returning")
        }
        .instrument(span)
        .await
    }

    /// One attempt: token, transport under the time limit, envelope check. Returns the token
    /// the attempt carried, so that a rejected one can be invalidated.
    async fn attempt(
        &self,
        operation: &'static Operation,
        mut http: HttpRequest,
        attempt: u32,
        read: &mut Reader<'_>,
    ) -> (Result<u16, Error>, Option<Secret>) {
        let token = if operation.auth {
            match self.authorize(operation, &mut http).await {
                Ok(token) => Some(token),
                Err(error) => return (Err(error), None),
            }
        } else {
            None
        };
        let started = Instant::now();
        let timeout = self.options.timeout;
        let sent = tokio::time::timeout(timeout, self.inner.transport.send(http)).await;
        let latency_ms = started.elapsed().as_millis() as u64;
        let result = match sent {
            Ok(Ok(response)) => {
                let raw = envelope::Raw {
                    status: response.status,
                    body: &response.body,
                };
                read(raw).map(|()| response.status)
            }
            Ok(Err(source)) => Err(Error::Transport {
                operation: operation.id,
                source,
            }),
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

    async fn authorize(
        &self,
        operation: &'static Operation,
        http: &mut HttpRequest,
    ) -> Result<Secret, Error> {
        let Some(source) = &self.inner.token else {
            return Err(Error::Auth {
                operation: operation.id,
                message: "no token source configured; set one with ClientBuilder::token".to_owned(),
            });
        };
        let token = source.token(self).await?;
        match operation.base.auth {
            AuthPlacement::Query(name) => {
                http.url.query_pairs_mut().append_pair(name, token.expose());
            }
            AuthPlacement::Header(name) => http
                .headers
                .push((name.to_owned(), token.expose().to_owned())),
            AuthPlacement::Body(name) => {
                crate::body::add_field(&mut http.body, name, token.expose()).map_err(|message| {
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

/// Configures a platform client: `dingtalk::Client::builder().token(...).build()`.
pub struct ClientBuilder<P> {
    transport: Option<Arc<dyn Transport>>,
    token: Option<Arc<dyn TokenSource>>,
    base_urls: BTreeMap<&'static str, String>,
    options: CallOptions,
    connect_timeout: Duration,
    platform: PhantomData<fn() -> P>,
}

impl<P: Platform> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self {
            transport: None,
            token: None,
            base_urls: BTreeMap::new(),
            options: CallOptions::default(),
            connect_timeout: ReqwestTransport::CONNECT_TIMEOUT,
            platform: PhantomData,
        }
    }
}

impl<P: Platform> ClientBuilder<P> {
    /// A builder with the production base URLs, the default transport and no token source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where tokens come from.
    pub fn token(mut self, source: impl TokenSource) -> Self {
        self.token = Some(Arc::new(source));
        self
    }

    /// Fetches tokens with the platform's token operation (such as DingTalk's
    /// `auth::GetTokenRequest::new(app_key, app_secret)`), cached and refreshed ahead of expiry.
    pub fn token_request(self, request: impl TokenRequest) -> Self {
        self.token(request.into_token_source())
    }

    /// Sends requests to `url` instead of `base`'s production URL (a proxy or a test server).
    pub fn base_url(mut self, base: &'static Base, url: impl Into<String>) -> Self {
        self.base_urls.insert(base.id, url.into());
        self
    }

    /// Sends requests through `transport` instead of the default reqwest client.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The longest one attempt may take (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
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
            token: self.token,
            base_urls: self.base_urls,
        };
        Ok(P::from_runtime(Client {
            inner: Arc::new(inner),
            options: self.options,
        }))
    }
}
