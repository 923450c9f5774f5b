//! The one error type of every generated client.

use std::fmt;

use crate::code::{ErrorMeaning, ReceivedCode};

/// Everything a call can fail with.
///
/// `Display` gives one log line that names the operation; nothing in it carries a token or a
/// secret (URLs are stripped of their query strings, secret response bodies are not quoted).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was not sent: a field breaks a documented limit.
    #[error("{operation}: invalid request: {source}")]
    InvalidRequest {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The broken limit.
        #[source]
        source: InvalidRequest,
    },
    /// No token could be obtained for an operation that needs one.
    #[error("{operation}: authentication failed: {message}")]
    Auth {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// Why no token was available.
        message: String,
    },
    /// The request could not be sent or the response not received.
    #[error("{operation}: {source}")]
    Transport {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// What the HTTP client reported.
        #[source]
        source: TransportError,
    },
    /// The server answered with an HTTP error status and no recognisable error body.
    #[error("{operation}: HTTP status {status}: {snippet}")]
    Status {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the body (an HTML ban page, a gateway error, ...).
        snippet: String,
    },
    /// The platform reported an error code.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A paginated listing received a cursor it had already used; it stops instead of looping.
    #[error(
        "{operation}: the server repeated the page cursor `{cursor}`; stopping instead of looping"
    )]
    RepeatedCursor {
        /// `<group>.<operation>` of the listing.
        operation: &'static str,
        /// The repeated cursor.
        cursor: String,
    },
    /// The response did not have the documented shape.
    #[error("{operation}: cannot decode the response at `{path}`: {message} (body: {snippet})")]
    Decode {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// JSON path of the value that did not fit, such as `result.data_list[3].create_time`.
        path: String,
        /// What did not fit.
        message: String,
        /// The start of the body.
        snippet: String,
    },
}

impl Error {
    /// The platform's error, if the failure was an error code.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// What the spec says the error code means, if the failure was a known error code.
    pub fn meaning(&self) -> Option<ErrorMeaning> {
        self.api().and_then(|api| api.meaning)
    }

    /// Whether the token was rejected as invalid or expired.
    pub fn is_token_invalid(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::TokenInvalid)
    }

    /// Whether a rate limit was hit (a platform code that means so, or HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::RateLimited)
            || matches!(self, Error::Status { status: 429, .. })
    }

    /// Whether the platform said it is busy.
    pub fn is_busy(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::Busy)
    }

    /// Whether a quota is used up; retrying will not help until it resets.
    pub fn is_quota_exceeded(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::QuotaExceeded)
    }

    /// Whether the caller is temporarily banned for calling too often.
    pub fn is_banned(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::Banned)
    }

    /// Whether the app lacks a permission or its IP address is not whitelisted: a
    /// configuration problem that retrying does not fix.
    pub fn is_permission_denied(&self) -> bool {
        matches!(
            self.meaning(),
            Some(ErrorMeaning::PermissionDenied | ErrorMeaning::IpNotAllowed)
        )
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.kind == TransportErrorKind::Timeout)
    }

    /// Replaces every occurrence of `secret` in the texts this error quotes from a response
    /// (an error page or a message may echo the request, token included).
    pub(crate) fn redact(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let scrub = |text: &mut String| {
            if text.contains(secret) {
                *text = text.replace(secret, "***");
            }
        };
        match self {
            Error::Status { snippet, .. } => scrub(snippet),
            Error::Decode {
                message,
                snippet,
                path,
                ..
            } => {
                scrub(message);
                scrub(snippet);
                scrub(path);
            }
            Error::Api(api) => {
                scrub(&mut api.message);
                if let Some(sub_message) = &mut api.sub_message {
                    scrub(sub_message);
                }
            }
            Error::Transport { source, .. } => scrub(&mut source.message),
            Error::Auth { message, .. } => scrub(message),
            Error::RepeatedCursor { cursor, .. } => scrub(cursor),
            Error::InvalidRequest { .. } => {}
        }
    }

    /// `<group>.<operation>` of the failed call.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Status { operation, .. }
            | Error::RepeatedCursor { operation, .. }
            | Error::Decode { operation, .. } => operation,
            Error::Api(api) => api.operation,
        }
    }
}

/// An error code reported by the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `<group>.<operation>` of the call.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: u16,
    /// The code as received.
    pub code: ReceivedCode,
    /// The platform's message.
    pub message: String,
    /// The platform's request id, which its support staff ask for.
    pub request_id: Option<String>,
    /// A finer code, where the platform sends one (DingTalk `sub_code` with `errcode` 88).
    pub sub_code: Option<ReceivedCode>,
    /// The finer code's message.
    pub sub_message: Option<String>,
    /// What the spec's error-code catalogue says the code means.
    pub meaning: Option<ErrorMeaning>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: error code {}: {}",
            self.operation, self.code, self.message
        )?;
        if let Some(sub_code) = &self.sub_code {
            write!(
                f,
                " (sub code {sub_code}: {})",
                self.sub_message.as_deref().unwrap_or("")
            )?;
        }
        if let Some(meaning) = self.meaning {
            write!(f, " [{}]", meaning.describe())?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A field that breaks a documented limit, with its path in the request (`create_request.title`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}` {reason}")]
pub struct InvalidRequest {
    /// Wire names from the request root, such as `query_request.page_size` or `contents[2].key`.
    pub path: String,
    /// What is wrong with the value.
    pub reason: String,
}

/// Why a request could not be sent or its response not received.
#[derive(Debug, thiserror::Error)]
#[error("{kind} error: {message}")]
pub struct TransportError {
    /// The broad class of the failure.
    pub kind: TransportErrorKind,
    /// The HTTP client's message, without the request URL.
    pub message: String,
}

/// The broad class of a transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be established.
    Connect,
    /// A time limit was reached.
    Timeout,
    /// Anything else (TLS, protocol, body).
    Other,
    /// Something on this side failed: a file to send could not be opened, a reader was
    /// consumed by an earlier attempt, or a download could not be written. Trying again does
    /// not help, so such a failure is never retried.
    Local,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connection",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Other => "transport",
            TransportErrorKind::Local => "local",
        })
    }
}
