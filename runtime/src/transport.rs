//! Sending an [`HttpRequest`]: reqwest with rustls by default, replaceable by any client.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::{Body, HttpRequest, HttpResponse, Method, TransportError, TransportErrorKind};

/// A boxed future, so that the traits here stay object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends requests. Implement it to bring another HTTP client or a test double.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// The default transport: reqwest with rustls, certificate verification always on.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Time limit for establishing a connection.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

    /// A transport with the default connection time limit. The time limit of a whole call is
    /// the client's (see `ClientBuilder::timeout`), so that it can differ per call.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_connect_timeout(Self::CONNECT_TIMEOUT)
    }

    /// A transport with another connection time limit.
    pub fn with_connect_timeout(timeout: Duration) -> Result<Self, TransportError> {
        reqwest::Client::builder()
            .connect_timeout(timeout)
            .build()
            .map(Self::from_client)
            .map_err(transport_error)
    }

    /// Wraps a configured reqwest client.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let HttpRequest {
                method,
                url,
                headers,
                body,
            } = request;
            let method = match method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Patch => reqwest::Method::PATCH,
                Method::Delete => reqwest::Method::DELETE,
            };
            let mut builder = self.client.request(method, url);
            for (name, value) in headers {
                builder = builder.header(name, value);
            }
            match body {
                Body::Empty => {}
                Body::Json(bytes) => builder = builder.body(bytes),
                Body::Form(fields) => builder = builder.form(&fields),
                Body::Multipart(_) => {
                    return Err(TransportError {
                        kind: TransportErrorKind::Other,
                        message: "multipart bodies are not supported yet".to_owned(),
                    })
                }
            }
            let response = builder.send().await.map_err(transport_error)?;
            let status = response.status().as_u16();
            let body = response.bytes().await.map_err(transport_error)?.to_vec();
            Ok(HttpResponse { status, body })
        })
    }
}

/// reqwest errors quote the URL, which carries the token; it is dropped here.
fn transport_error(err: reqwest::Error) -> TransportError {
    let kind = if err.is_timeout() {
        TransportErrorKind::Timeout
    } else if err.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    TransportError { kind, message }
}
