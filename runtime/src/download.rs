//! Binary downloads: telling a file from a platform error by its response, and the
//! [`Download`] handed to the caller, whose body streams chunk by chunk.

use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::envelope;
use crate::transport::{header, ByteStream};
use crate::{Error, Operation, Secret, StreamingResponse, TransportError, TransportErrorKind};

/// The most of a JSON (or error) response a download reads to check its envelope; a body
/// beyond it is not buffered.
const JSON_LIMIT: usize = 1024 * 1024;

/// The most [`Download::bytes`] reserves up front from the announced length.
const RESERVE_LIMIT: u64 = 8 * 1024 * 1024;

/// How much of a body an error message quotes.
const SNIPPET_CHARS: usize = 256;

/// The body of a [`Download`]: its chunks as they arrive.
pub type DownloadStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A file the platform sent in answer to `Client::download`: what its headers say about it, and
/// its body, read chunk by chunk by one of the consuming methods.
///
/// Each chunk must arrive within the call's time limit (`ClientBuilder::timeout`); the whole
/// transfer has no limit, so that a large file can take as long as it needs.
pub struct Download {
    /// The response's `Content-Type`, if it sent one.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition` (`filename*=UTF-8''...` preferred over
    /// `filename=`), as the server sent it: check it before using it as a path.
    pub file_name: Option<String>,
    /// The response's `Content-Length`, if it sent one.
    pub content_length: Option<u64>,
    operation: &'static str,
    body: DownloadStream,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("operation", &self.operation)
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The body as a stream of chunks; an error ends it.
    pub fn into_stream(self) -> DownloadStream {
        self.body
    }

    /// The whole body in memory.
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        // The announced length is the server's word: it sizes the buffer up to a bound only.
        let expected = self.content_length.unwrap_or(0).min(RESERVE_LIMIT) as usize;
        let mut all = Vec::with_capacity(expected);
        while let Some(chunk) = self.body.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }

    /// Writes the body to `writer` chunk by chunk and flushes it; returns the number of bytes
    /// written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, mut writer: W) -> Result<u64, Error> {
        let operation = self.operation;
        let cannot_write = |err: std::io::Error| {
            local_error(operation, format!("cannot write the download: {err}"))
        };
        let mut written = 0u64;
        while let Some(chunk) = self.body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(cannot_write)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(cannot_write)?;
        Ok(written)
    }

    /// Streams the body into a new file at `path` (replacing one that exists); returns the
    /// number of bytes written. A download that fails midway removes the partial file.
    #[cfg(feature = "files")]
    #[cfg_attr(docsrs, doc(cfg(feature = "files")))]
    pub async fn save(self, path: impl AsRef<std::path::Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let operation = self.operation;
        let file = tokio::fs::File::create(path).await.map_err(|err| {
            local_error(
                operation,
                format!("cannot create `{}`: {err}", path.display()),
            )
        })?;
        let result = self.write_to(file).await;
        if result.is_err() {
            // The error at hand is what the caller needs; a failed removal adds nothing to it.
            let _ = tokio::fs::remove_file(path).await;
        }
        result
    }
}

/// A successful file response, kept by the attempt that received it for the caller.
pub(crate) struct Fetched {
    pub(crate) response: StreamingResponse,
    /// The token the attempt carried, to keep out of errors while the body streams.
    pub(crate) token: Option<Secret>,
}

/// The download handed to the caller.
pub(crate) fn start(operation: &'static Operation, fetched: Fetched, idle: Duration) -> Download {
    let Fetched { response, token } = fetched;
    let StreamingResponse {
        status: _,
        headers,
        body,
    } = response;
    let content_type = header(&headers, "content-type").map(str::to_owned);
    let file_name = header(&headers, "content-disposition").and_then(file_name);
    let content_length = header(&headers, "content-length").and_then(|v| v.trim().parse().ok());
    let state = Chunks {
        body,
        operation: operation.id,
        token,
        idle,
    };
    let body = stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        match tokio::time::timeout(state.idle, state.body.next()).await {
            Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(state))),
            Ok(None) => None,
            Ok(Some(Err(source))) => Some((Err(state.error(source)), None)),
            Err(_) => {
                let source = TransportError {
                    kind: TransportErrorKind::Timeout,
                    message: format!(
                        "no data for {} ms while downloading",
                        state.idle.as_millis()
                    ),
                };
                Some((Err(state.error(source)), None))
            }
        }
    });
    Download {
        content_type,
        file_name,
        content_length,
        operation: operation.id,
        body: Box::pin(body),
    }
}

/// The state of a download's body stream.
struct Chunks {
    body: ByteStream,
    operation: &'static str,
    token: Option<Secret>,
    idle: Duration,
}

impl Chunks {
    fn error(&self, source: TransportError) -> Error {
        let mut error = Error::Transport {
            operation: self.operation,
            source,
        };
        if let Some(token) = &self.token {
            error.redact(token.expose());
        }
        error
    }
}

/// Decides what an attempt's response is: a 2xx response whose content type is not JSON is
/// the file, returned as it is for the caller to stream. Anything else is read (up to
/// [`JSON_LIMIT`]) and checked as the operation's envelope, so that the platform's error is
/// the typed [`Error::Api`] (a rejected token is replayed, a rate limit retried, as for
/// `Client::send`); a JSON body that the envelope reads as success is a decode error, since a
/// file was expected.
///
/// A response without a content type (a transport that reports no headers) is read as JSON
/// when its first byte that is not whitespace is `{`.
pub(crate) async fn receive(
    operation: &'static Operation,
    response: StreamingResponse,
) -> Result<StreamingResponse, Error> {
    let StreamingResponse {
        status,
        headers,
        mut body,
    } = response;
    let success = (200..300).contains(&status);
    let mut read = Vec::new();
    if success {
        match header(&headers, "content-type").map(is_json) {
            Some(false) => {
                return Ok(StreamingResponse {
                    status,
                    headers,
                    body,
                })
            }
            Some(true) => {}
            None => {
                let first = first_chunk(operation, &mut body).await?;
                if first.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                    let first = stream::once(async move { Ok(first) });
                    let body = Box::pin(first.chain(body));
                    return Ok(StreamingResponse {
                        status,
                        headers,
                        body,
                    });
                }
                read = first.to_vec();
            }
        }
    }
    let complete = read_limited(operation, &mut read, &mut body).await?;
    if success && !complete {
        let message =
            format!("expected a file, but the response is JSON of more than {JSON_LIMIT} bytes");
        return Err(decode_error(operation, &read, message));
    }
    envelope::check(
        operation,
        envelope::Raw {
            status,
            content_type: header(&headers, "content-type"),
            body: &read,
        },
    )?;
    let message = "expected a file, but the response is JSON that reports success".to_owned();
    Err(decode_error(operation, &read, message))
}

/// Whether a content type is JSON (`application/json`, `text/json`, `application/*+json`).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

/// The first chunk that is not empty, or an empty one at the end of the body.
async fn first_chunk(operation: &'static Operation, body: &mut ByteStream) -> Result<Bytes, Error> {
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|source| transport_error(operation, source))?;
        if !chunk.is_empty() {
            return Ok(chunk);
        }
    }
    Ok(Bytes::new())
}

/// Appends the body to `read` up to [`JSON_LIMIT`] bytes; returns whether it ended within it.
async fn read_limited(
    operation: &'static Operation,
    read: &mut Vec<u8>,
    body: &mut ByteStream,
) -> Result<bool, Error> {
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|source| transport_error(operation, source))?;
        let room = JSON_LIMIT.saturating_sub(read.len());
        if chunk.len() > room {
            read.extend_from_slice(&chunk[..room]);
            return Ok(false);
        }
        read.extend_from_slice(&chunk);
    }
    Ok(true)
}

fn transport_error(operation: &'static Operation, source: TransportError) -> Error {
    Error::Transport {
        operation: operation.id,
        source,
    }
}

fn local_error(operation: &'static str, message: String) -> Error {
    Error::Transport {
        operation,
        source: TransportError {
            kind: TransportErrorKind::Local,
            message,
        },
    }
}

fn decode_error(operation: &'static Operation, body: &[u8], message: String) -> Error {
    Error::Decode {
        operation: operation.id,
        path: String::new(),
        message,
        snippet: snippet(operation, body),
    }
}

/// The start of a body for an error message; never the body of a response that holds secrets.
fn snippet(operation: &Operation, body: &[u8]) -> String {
    if operation.secret_response {
        return format!(
            "<{} bytes, not shown: the response holds secrets>",
            body.len()
        );
    }
    let text = String::from_utf8_lossy(body);
    let mut snippet: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().nth(SNIPPET_CHARS).is_some() {
        snippet.push('…');
    }
    snippet
}

/// The file name of a `Content-Disposition` value: the RFC 6266 / RFC 5987 extended
/// `filename*=charset'language'percent-encoded` (UTF-8 or ISO-8859-1) when present and
/// readable, otherwise the plain `filename=` (a token or a quoted string), as sent.
pub(crate) fn file_name(disposition: &str) -> Option<String> {
    let mut plain = None;
    for (name, value) in disposition_params(disposition) {
        if name.eq_ignore_ascii_case("filename*") {
            if let Some(decoded) = extended_value(&value) {
                return Some(decoded).filter(|name| !name.is_empty());
            }
        } else if name.eq_ignore_ascii_case("filename") && plain.is_none() {
            plain = Some(value);
        }
    }
    plain.filter(|name| !name.is_empty())
}

/// The `name=value` parameters after the disposition type, with quoted values unquoted.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    // Skip the disposition type (`attachment`).
    let Some((_, mut rest)) = value.split_once(';') else {
        return params;
    };
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
        if rest.is_empty() {
            return params;
        }
        let name_end = rest.find(['=', ';']).unwrap_or(rest.len());
        let name = rest[..name_end].trim().to_owned();
        rest = &rest[name_end..];
        let Some(after_equals) = rest.strip_prefix('=') else {
            continue;
        };
        let after_equals = after_equals.trim_start();
        let (value, remaining) = match after_equals.strip_prefix('"') {
            Some(quoted) => unquote(quoted),
            None => {
                let end = after_equals.find(';').unwrap_or(after_equals.len());
                (after_equals[..end].trim().to_owned(), &after_equals[end..])
            }
        };
        params.push((name, value));
        rest = remaining;
    }
}

/// A quoted string's content (after its opening quote) with `\` escapes resolved, and what
/// follows its closing quote.
fn unquote(quoted: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}

/// An RFC 5987 `charset'language'value`, percent-decoded in its charset.
fn extended_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{file_name, is_json};

    #[test]
    fn file_names_come_from_content_disposition() {
        let cases = [
            ("attachment; filename=report.pdf", Some("report.pdf")),
            (
                "attachment; filename=\"quarter 1.xlsx\"",
                Some("quarter 1.xlsx"),
            ),
            (
                "attachment; filename=\"a \\\"b\\\".txt\"",
                Some("a \"b\".txt"),
            ),
            (
                "attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt",
                Some("报告.txt"),
            ),
            (
                "attachment; filename*=utf-8'zh'%E6%8A%A5%E5%91%8A.txt; filename=fallback.txt",
                Some("报告.txt"),
            ),
            (
                "attachment; filename*=iso-8859-1'en'%A3%20rates",
                Some("£ rates"),
            ),
            // An unreadable extended value falls back to the plain one.
            (
                "attachment; filename*=UTF-8''%FF%FE; filename=plain.bin",
                Some("plain.bin"),
            ),
            ("attachment; FILENAME=upper.txt", Some("upper.txt")),
            ("inline", None),
            ("attachment; filename=", None),
            ("attachment; size=3; filename=\"x;y.txt\"", Some("x;y.txt")),
        ];
        for (disposition, expected) in cases {
            assert_eq!(file_name(disposition).as_deref(), expected, "{disposition}");
        }
    }

    #[test]
    fn json_content_types() {
        for json in [
            "application/json",
            "application/json;charset=UTF-8",
            "Application/JSON ; charset=utf-8",
            "text/json",
            "application/problem+json",
        ] {
            assert!(is_json(json), "{json}");
        }
        for file in [
            "application/octet-stream",
            "image/png",
            "text/plain",
            "application/jsonl",
        ] {
            assert!(!is_json(file), "{file}");
        }
    }
}
