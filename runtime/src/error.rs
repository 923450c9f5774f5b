//! The one error type of every generated client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
    /// No token could be obtained for an operation that needs one: no token source, a
    /// request that cannot carry the token, or a token source's own failure (a
    /// [`token_fn`](crate::token_fn) closure's).
    #[error("{operation}: authentication failed: {message}")]
    Auth {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// Why no token was available.
        message: String,
    },
    /// The platform's token operation (DingTalk `gettoken`) failed, so the call was not sent.
    ///
    /// Every call waiting for the same fetch gets this error with the same `source`. After a
    /// failure the token operation is not asked again for `retry_after` (1 s, doubling with each
    /// further failure up to 30 s, back to 1 s after a success): calls in that pause fail at
    /// once with the last failure, instead of each sending a request to a failing endpoint.
    #[error(
        "{operation}: no access token: the token operation {token_operation} failed (asked again in {retry_after:?} at the earliest): {source}"
    )]
    Token {
        /// `<group>.<operation>` of the call that needed the token.
        operation: &'static str,
        /// `<group>.<operation>` of the token operation.
        token_operation: &'static str,
        /// How long after this error the token operation is asked again at the earliest.
        retry_after: Duration,
        /// The token operation's failure, shared by every call that waited for it.
        #[source]
        source: Arc<Error>,
    },
    /// The call's deadline passed: attempts, the pauses between them and token fetches took
    /// longer than [`CallOptions::deadline`](crate::CallOptions#structfield.deadline).
    #[error(
        "{operation}: the call's deadline of {deadline:?} passed after {}{}",
        Attempts(.attempts),
        DeadlineCause(.last.as_deref())
    )]
    Deadline {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The deadline, counted from the start of the call.
        deadline: Duration,
        /// How many attempts were started, the one the deadline cut short included (the
        /// wait for a token counts as part of the attempt that needs it).
        attempts: u32,
        /// The failure of the attempt before, if one failed and was being retried.
        #[source]
        last: Option<Box<Error>>,
    },
    /// The call was not sent: the next slot of its rate budget (the spec's `rate_limit`, see
    /// [`RateLimiter`](crate::RateLimiter)) is too close to the call's deadline or past it (a
    /// quarter of the time left, at most an attempt's time limit, is kept for the request).
    #[error(
        "{operation}: no slot of the rate budget `{budget}` in time for the call's deadline: the next is {}ms away, {}ms left",
        .wait.as_millis(),
        .left.as_millis()
    )]
    RateBudget {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The budget's key (`dingtalk:oapi:api:user.get`).
        budget: String,
        /// How long the call would have had to wait for its slot.
        wait: Duration,
        /// How long was left before the call's deadline.
        left: Duration,
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
    /// The server answered with an HTTP error status and a JSON body that is not the
    /// platform's error (or that reports success); a body that is not JSON at all is
    /// [`Error::NotJson`].
    #[error("{operation}: HTTP status {status}: {snippet}")]
    Status {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// The body is not JSON where the operation expects JSON, whatever the status: an HTML or
    /// text page from a gateway, a proxy or DingTalk's IP ban. [`PageKind`] says which, where
    /// the page is recognisable.
    #[error(
        "{operation}: HTTP status {status}: {kind} instead of JSON (content type {}): {snippet}",
        .content_type.as_deref().unwrap_or("not given")
    )]
    NotJson {
        /// `<group>.<operation>` of the call.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The response's `Content-Type`, if the transport reported one.
        content_type: Option<String>,
        /// The start of the body; a placeholder when the operation's responses hold secrets.
        snippet: String,
        /// What the page is, where it is recognisable.
        kind: PageKind,
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
            || matches!(
                self,
                Error::Status { status: 429, .. } | Error::NotJson { status: 429, .. }
            )
    }

    /// Whether the platform said it is busy.
    pub fn is_busy(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::Busy)
    }

    /// Whether a quota is used up; retrying will not help until it resets.
    pub fn is_quota_exceeded(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::QuotaExceeded)
    }

    /// Whether the caller is temporarily banned for calling too often: a platform code that
    /// means so, or DingTalk's IP-ban page or notice (more than 10,000 calls from one IP
    /// address within 20 seconds ban it for about 5 minutes).
    pub fn is_banned(&self) -> bool {
        self.meaning() == Some(ErrorMeaning::Banned)
            || matches!(
                self,
                Error::NotJson {
                    kind: PageKind::IpBan,
                    ..
                }
            )
    }

    /// Whether the app lacks a permission or its IP address is not whitelisted: a
    /// configuration problem that retrying does not fix.
    pub fn is_permission_denied(&self) -> bool {
        matches!(
            self.meaning(),
            Some(ErrorMeaning::PermissionDenied | ErrorMeaning::IpNotAllowed)
        )
    }

    /// Whether the call timed out: an attempt's time limit or the call's deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.kind == TransportErrorKind::Timeout)
            || self.is_deadline()
    }

    /// Whether the call's deadline passed ([`Error::Deadline`]), or would have passed while
    /// the call waited for its rate budget ([`Error::RateBudget`]).
    pub fn is_deadline(&self) -> bool {
        matches!(self, Error::Deadline { .. } | Error::RateBudget { .. })
    }

    /// The token operation's failure, when the call failed for want of a token
    /// ([`Error::Token`]). The predicates above look at the call's own failure: a token
    /// endpoint that answers "IP not whitelisted" is `err.token_failure().is_some_and(|e|
    /// e.is_permission_denied())`.
    pub fn token_failure(&self) -> Option<&Error> {
        match self {
            Error::Token { source, .. } => Some(source),
            _ => None,
        }
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
            Error::Status { snippet, .. } | Error::NotJson { snippet, .. } => scrub(snippet),
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
            Error::Deadline { last, .. } => {
                if let Some(last) = last {
                    last.redact(secret);
                }
            }
            // The token operation's failure never saw the call's token (it was being fetched).
            Error::Token { .. } | Error::InvalidRequest { .. } | Error::RateBudget { .. } => {}
        }
    }

    /// `<group>.<operation>` of the failed call.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Status { operation, .. }
            | Error::NotJson { operation, .. }
            | Error::RepeatedCursor { operation, .. }
            | Error::Token { operation, .. }
            | Error::Deadline { operation, .. }
            | Error::RateBudget { operation, .. }
            | Error::Decode { operation, .. } => operation,
            Error::Api(api) => api.operation,
        }
    }

    /// The HTTP status of the response the call failed on, when it got one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Status { status, .. } | Error::NotJson { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short, stable name of the failure's class, for traces and metrics (OpenTelemetry's
    /// `error.type`): `timeout`, `deadline`, `connect`, `rate_limited`, `ip_ban`, ...
    pub fn type_name(&self) -> &'static str {
        match self {
            Error::InvalidRequest { .. } => "invalid_request",
            Error::Auth { .. } => "auth",
            Error::Token { .. } => "token",
            Error::Transport { source, .. } => match source.kind {
                TransportErrorKind::Connect => "connect",
                TransportErrorKind::Timeout => "timeout",
                TransportErrorKind::Other => "transport",
                TransportErrorKind::Local => "local",
            },
            Error::Status { .. } => "http_status",
            Error::NotJson {
                kind: PageKind::IpBan,
                ..
            } => "ip_ban",
            Error::NotJson { .. } => "not_json",
            Error::Api(api) => match api.meaning {
                Some(ErrorMeaning::TokenInvalid) => "token_invalid",
                Some(ErrorMeaning::Busy) => "busy",
                Some(ErrorMeaning::RateLimited) => "rate_limited",
                Some(ErrorMeaning::QuotaExceeded) => "quota_exceeded",
                Some(ErrorMeaning::Banned) => "banned",
                Some(ErrorMeaning::PermissionDenied) => "permission_denied",
                Some(ErrorMeaning::IpNotAllowed) => "ip_not_allowed",
                Some(ErrorMeaning::SeeSubCode) | None => "api",
            },
            Error::RepeatedCursor { .. } => "repeated_cursor",
            Error::Decode { .. } => "decode",
            Error::Deadline { .. } => "deadline",
            Error::RateBudget { .. } => "rate_budget",
        }
    }

    /// The error as the call `operation` reports it: a token failure names the call that
    /// needed the token (the token source knows only its own operation).
    pub(crate) fn in_call(mut self, operation: &'static str) -> Self {
        if let Error::Token {
            operation: call, ..
        } = &mut self
        {
            *call = operation;
        }
        self
    }

    /// Records what the call did before giving up, for an API error's `Display`.
    pub(crate) fn record_attempts(&mut self, attempts: u32, replayed: bool, own_token: bool) {
        if let Error::Api(api) = self {
            api.attempts = attempts;
            api.replayed = replayed;
            api.own_token = own_token;
        }
    }
}

/// "1 attempt", "2 attempts".
struct Attempts<'a>(&'a u32);

impl fmt::Display for Attempts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if *self.0 == 1 { "" } else { "s" };
        write!(f, "{} attempt{plural}", self.0)
    }
}

/// The end of [`Error::Deadline`]'s message: the failure being retried, if any.
struct DeadlineCause<'a>(Option<&'a Error>);

impl fmt::Display for DeadlineCause<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(last) => write!(f, "; retrying after: {last}"),
            None => Ok(()),
        }
    }
}

/// An error code reported by the platform, with what the call did about it.
///
/// `Display` says what happened and nothing else: "retried" only after a retry, "replayed"
/// only after a replay with a refreshed token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// How many attempts the call made, the one that got this error included: `1` when it was
    /// neither retried nor replayed.
    pub attempts: u32,
    /// Whether the call was replayed once with a refreshed token after the platform rejected
    /// the token of an earlier attempt.
    pub replayed: bool,
    /// Whether the call carried a token the client cannot renew (a
    /// [`StaticToken`](crate::StaticToken): the caller's own), so that a rejected token was
    /// not refreshed.
    pub own_token: bool,
}

impl ApiError {
    /// What the call did about the error, for `Display`: facts only.
    fn handling(&self) -> String {
        let retries = self
            .attempts
            .saturating_sub(1)
            .saturating_sub(u32::from(self.replayed));
        let mut done = Vec::new();
        if self.replayed {
            done.push("refreshed the token and replayed once".to_owned());
        }
        if retries > 0 {
            let plural = if retries == 1 { "" } else { "s" };
            done.push(format!("retried {retries} time{plural} with backoff"));
        }
        if !done.is_empty() {
            return done.join(", ");
        }
        match self.meaning {
            Some(ErrorMeaning::TokenInvalid) if self.own_token => {
                "the caller's own token was rejected: it is not refreshed".to_owned()
            }
            Some(ErrorMeaning::TokenInvalid) => "not replayed".to_owned(),
            _ => "not retried".to_owned(),
        }
    }
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
        match self.meaning {
            Some(meaning) => write!(f, " [{}; {}]", meaning.describe(), self.handling())?,
            None if self.attempts > 1 => write!(f, " [{}]", self.handling())?,
            None => {}
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

/// What a body that is not JSON is, where it is recognisable (see [`Error::NotJson`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageKind {
    /// DingTalk's IP ban: more than 10,000 calls from one IP address within 20 seconds ban it
    /// for about 5 minutes. Retrying makes it worse; [`Error::is_banned`] is true.
    IpBan,
    /// A gateway's or proxy's page with HTTP status 502, 503 or 504: the service may be back
    /// shortly, so an idempotent call is retried.
    Gateway,
    /// Any other page or text.
    Other,
}

impl fmt::Display for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PageKind::IpBan => {
                "the IP-ban page (calls from this IP address are refused for a while)"
            }
            PageKind::Gateway => "a gateway error page",
            PageKind::Other => "a page",
        })
    }
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
