//! The client shared by all platforms: base URLs, token source and transport.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use super::{
    envelope, ApiRequest, AuthPlacement, Base, Error, HttpRequest, HttpResponse, Operation, Secret,
};
use super::{ReqwestTransport, TokenSource, Transport};

/// A platform's generated client type, built from a runtime [`Client`].
pub trait Platform: Sized {
    /// The platform's bases.
    const BASES: &'static [&'static Base];

    /// Wraps the runtime client.
    fn from_runtime(client: Client) -> Self;
}

/// The runtime behind every generated client. Cheap to clone; safe to share across tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
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
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Sends `request` and decodes the operation's response.
    pub async fn send<R: ApiRequest>(&self, request: R) -> Result<R::Response, Error> {
        let operation = R::OPERATION;
        let http = request.http_request_at(self.base_url(operation.base))?;
        let (response, token) = self.execute(operation, http).await?;
        let result = envelope::read(operation, &response);
        if let (Err(err), Some(token), Some(source)) = (&result, &token, &self.inner.token) {
            // A rejected token must not be handed out again; replaying the call with a fresh
            // one is the retry policy's decision, not this one's.
            if err.is_token_invalid() {
                source.invalidate(token);
            }
        }
        result
    }

    /// The URL this client uses for `base`.
    pub fn base_url(&self, base: &'static Base) -> &str {
        self.inner
            .base_urls
            .get(base.id)
            .map_or(base.url, String::as_str)
    }

    /// The part of a call that does not depend on the request type: auth, transport, trace.
    /// Returns the response and the token the call carried, if any.
    async fn execute(
        &self,
        operation: &'static Operation,
        mut http: HttpRequest,
    ) -> Result<(HttpResponse, Option<Secret>), Error> {
        let span = tracing::debug_span!(
            "call",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            status = tracing::field::Empty,
        );
        async move {
            let token = if operation.auth {
                Some(self.authorize(operation, &mut http).await?)
            } else {
                None
            };
            let started = Instant::now();
            let result = self.inner.transport.send(http).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match result {
                Ok(response) => {
                    tracing::Span::current().record("status", response.status);
                    tracing::debug!(elapsed_ms, "response received");
                    Ok((response, token))
                }
                Err(source) => {
                    tracing::debug!(elapsed_ms, error = %source, "transport failed");
                    Err(Error::Transport {
                        operation: operation.id,
                        source,
                    })
                }
            }
        }
        .instrument(span)
        .await
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
        let token = source.token().await?;
        match operation.base.auth {
            AuthPlacement::Query(name) => {
                http.url.query_pairs_mut().append_pair(name, token.expose());
            }
            AuthPlacement::Header(name) => http
                .headers
                .push((name.to_owned(), token.expose().to_owned())),
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
    platform: PhantomData<fn() -> P>,
}

impl<P: Platform> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self {
            transport: None,
            token: None,
            base_urls: BTreeMap::new(),
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

    /// Builds the client.
    pub fn build(self) -> Result<P, super::TransportError> {
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(ReqwestTransport::new()?),
        };
        let inner = Inner {
            transport,
            token: self.token,
            base_urls: self.base_urls,
        };
        Ok(P::from_runtime(Client {
            inner: Arc::new(inner),
        }))
    }
}
