//! The client shared by all platforms: base URLs, token source, signing key, transport, time
//! limits and retries. Everything but the thin `send` and `download` entry points is
//! non-generic over the request type, so it is compiled once.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use super::download::{self, Download, Fetched};
use super::TransportErrorKind;
use super::{envelope, ApiRequest, AuthPlacement, Base, Error, HttpRequest, Operation, Signing};
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
    /// The key that signed operations are signed with.
    signing_key: Option<SigningKey>,
    /// Base id -> URL, for bases whose URL was overridden.
    base_urls: BTreeMap<&'static str, String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_urls", &self.inner.base_urls)
            .field("has_token_source", &self.inner.token.is_some())
            .field("has_signing_key", &self.inner.signing_key.is_some())
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
            inner: Arc::clone(&self.inner),
            options,
        }
    }

    /// One call: attempts with retries and at most one replay with a fresh token; `receive`
    /// receives each attempt's response and says whether it succeeded.
    async fn call(
        &self,
        operation: &'static Operation,
        http: HttpRequest,
        receive: &mut Receive<'_>,
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
                let (result, token) = self.attempt(operation, http.clone(), attempt, receive).await;
                let Err(error) = result else { return Ok(()) };
                let token_rejected = error.is_token_invalid() && operation.auth;
                if token_rejected {
                    if let (Some(token), Some(source)) = (&token, &self.inner.token) {
                        source.invalidate(token).await;
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

    /// One attempt: token, signature, transport and response check under the time limit.
    /// Returns the token the attempt carried, so that a rejected one can be invalidated.
    async fn attempt(
        &self,
        operation: &'static Operation,
        mut http: HttpRequest,
        attempt: u32,
        receive: &mut Receive<'_>,
    ) -> (Result<u16, Error>, Option<Secret>) {
        let token = if operation.auth {
            match self.authorize(operation, &mut http).await {
                Ok(token) => Some(token),
                Err(error) => return (Err(error), None),
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
        let started = Instant::now();
        let timeout = self.options.timeout;
        let exchanged = tokio::time::timeout(
            timeout,
            self.exchange(operation, http, token.as_ref(), receive),
        )
        .await;
        let latency_ms = started.elapsed().as_millis() as u64;
        let result = match exchanged {
            Ok(result) => result,
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

/// Configures a platform client: `dingtalk::Client::builder().token(...).build()`.
pub struct ClientBuilder<P> {
    transport: Option<Arc<dyn Transport>>,
    token: Option<Arc<dyn TokenSource>>,
    signing_key: Option<SigningKey>,
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
            signing_key: None,
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
            signing_key: self.signing_key,
            base_urls: self.base_urls,
        };
        Ok(P::from_runtime(Client {
            inner: Arc::new(inner),
            options: self.options,
        }))
    }
}
