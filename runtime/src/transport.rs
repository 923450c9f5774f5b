//! Sending an [`HttpRequest`]: reqwest with rustls by default, replaceable by any client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::{self, Stream};

use super::{Body, HttpRequest, HttpResponse, Method, TransportError, TransportErrorKind};

/// A boxed future, so that the traits here stay object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The body of a [`StreamingResponse`]: its chunks as they arrive.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes, TransportError>> + Send>>;

/// A response whose body is read chunk by chunk, for downloads (see
/// [`Transport::send_streaming`]).
pub struct StreamingResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received (values that are not UTF-8 are read lossily).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: ByteStream,
}

impl StreamingResponse {
    /// The value of the first header called `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The value of the first header called `name` in `headers`.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl fmt::Debug for StreamingResponse {
    /// Header names only: a response header (a cookie) may hold a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

/// Sends requests. Implement it to bring another HTTP client or a test double.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Sends `request` and returns the response once its head has arrived, with the body as a
    /// stream: how downloads are received.
    ///
    /// The default goes through [`send`](Self::send): the whole body arrives as one chunk, with
    /// the headers `send` reported (without a content type, a download tells a file from a JSON
    /// error by the first byte instead; see `Client::download`). Implement it to stream large
    /// files.
    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let sent = self.send(request);
        Box::pin(async move {
            let HttpResponse {
                status,
                headers,
                body,
            } = sent.await?;
            let body = bytes::Bytes::from(body);
            Ok(StreamingResponse {
                status,
                headers,
                body: Box::pin(stream::once(async move { Ok(body) })),
            })
        })
    }
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

    /// Sends `request` and returns the response once its head has arrived.
    async fn execute(&self, request: HttpRequest) -> Result<reqwest::Response, TransportError> {
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
        let builder = match body {
            Body::Empty => builder,
            Body::Json(bytes) => builder.body(bytes),
            Body::Form(fields) => builder.form(&fields),
            Body::Multipart(parts) => multipart::attach(builder, parts).await?,
        };
        builder.send().await.map_err(transport_error)
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let response = self.execute(request).await?;
            let status = response.status().as_u16();
            let headers = headers_of(&response);
            // `Vec::from` takes the buffer over when the body arrived in one piece (the usual
            // case) instead of copying it.
            let body = Vec::from(response.bytes().await.map_err(transport_error)?);
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let response = self.execute(request).await?;
            let status = response.status().as_u16();
            let headers = headers_of(&response);
            // `Response::chunk` needs no reqwest feature; the stream ends after an error.
            let body = stream::unfold(Some(response), |state| async move {
                let mut response = state?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(err) => Some((Err(transport_error(err)), None)),
                }
            });
            Ok(StreamingResponse {
                status,
                headers,
                body: Box::pin(body),
            })
        })
    }
}

/// A response's headers as names and values; values that are not UTF-8 are read lossily.
fn headers_of(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(name, value)| {
            // Visible ASCII (every header the platforms send) is taken as it is; the lossy
            // reading is for the rest.
            let value = match value.to_str() {
                Ok(text) => text.to_owned(),
                Err(_) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// A failure on this side, which trying again does not fix.
fn local_error(message: String) -> TransportError {
    TransportError {
        kind: TransportErrorKind::Local,
        message,
    }
}

/// Multipart bodies as reqwest forms, with file parts streamed (cargo feature `files`).
#[cfg(feature = "files")]
mod multipart {
    use reqwest::multipart::{Form, Part as FormPart};
    use tokio_util::io::ReaderStream;

    use super::{local_error, TransportError};
    use crate::body::{take_reader, FileSource};
    use crate::{FilePart, Part, PartContent};

    /// The content type of a file part that does not set one.
    const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

    /// Sets `parts` as the body of `builder`. Files are opened now, at send time, so that each
    /// attempt reads its own handle; the form's length is known (and sent as
    /// `Content-Length`) unless a part streams from a reader.
    pub(super) async fn attach(
        builder: reqwest::RequestBuilder,
        parts: Vec<Part>,
    ) -> Result<reqwest::RequestBuilder, TransportError> {
        let mut form = Form::new();
        for Part { name, content } in parts {
            form = match content {
                PartContent::Text(text) => form.text(name, text),
                PartContent::File(file) => form.part(name, file_part(file).await?),
            };
        }
        Ok(builder.multipart(form))
    }

    async fn file_part(file: FilePart) -> Result<FormPart, TransportError> {
        let FilePart {
            source,
            file_name,
            content_type,
        } = file;
        let part = match source {
            FileSource::Bytes(bytes) => {
                let length = bytes.len() as u64;
                FormPart::stream_with_length(reqwest::Body::from(bytes), length)
            }
            FileSource::Path(path) => {
                let cannot = |err: std::io::Error| {
                    local_error(format!("cannot open the file `{}`: {err}", path.display()))
                };
                let file = tokio::fs::File::open(&path).await.map_err(cannot)?;
                let metadata = file.metadata().await.map_err(cannot)?;
                if !metadata.is_file() {
                    return Err(local_error(format!(
                        "cannot send `{}`: it is not a file",
                        path.display()
                    )));
                }
                // Streamed chunk by chunk, never read whole; the length from the metadata lets
                // reqwest send a Content-Length.
                let body = reqwest::Body::wrap_stream(ReaderStream::new(file));
                FormPart::stream_with_length(body, metadata.len())
            }
            FileSource::Reader(slot) => {
                let reader = take_reader(&slot).map_err(local_error)?;
                FormPart::stream(reqwest::Body::wrap_stream(ReaderStream::new(reader)))
            }
        };
        let part = match file_name {
            Some(file_name) => part.file_name(file_name),
            None => part,
        };
        let content_type = content_type.as_deref().unwrap_or(DEFAULT_CONTENT_TYPE);
        part.mime_str(content_type).map_err(|_| {
            local_error(format!(
                "invalid content type `{content_type}` of a file part"
            ))
        })
    }
}

/// Without the `files` feature a multipart body cannot be sent.
#[cfg(not(feature = "files"))]
mod multipart {
    use super::{local_error, TransportError};
    use crate::Part;

    pub(super) async fn attach(
        _builder: reqwest::RequestBuilder,
        _parts: Vec<Part>,
    ) -> Result<reqwest::RequestBuilder, TransportError> {
        Err(local_error(
            "multipart bodies need the `files` feature of open-platform-runtime".to_owned(),
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_read_as_text_and_lossily_when_not_utf8() {
        let response = http::Response::builder()
            .header("x-ascii", "abc")
            .header(
                "x-utf8",
                http::HeaderValue::from_bytes("名".as_bytes()).expect("a header value"),
            )
            .header(
                "x-broken",
                http::HeaderValue::from_bytes(&[b'a', 0xff]).expect("a header value"),
            )
            .body("")
            .expect("a response");
        let headers = headers_of(&reqwest::Response::from(response));
        let expected = [
            ("x-ascii", "abc"),
            ("x-utf8", "名"),
            ("x-broken", "a\u{fffd}"),
        ];
        assert_eq!(
            headers,
            expected.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
        );
    }
}
