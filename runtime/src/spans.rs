//! The `tracing` spans of calls and attempts, with OpenTelemetry's semantic-convention field
//! names, so that an OpenTelemetry layer exports them as HTTP client spans as they are.
//!
//! A span never holds a token, a secret or a query string: the URL is reported as the
//! operation's path template (`url.template`) and the server's host and port only.

use tracing::field::Empty;
use tracing::Span;

use super::{Error, Operation};

/// The span of one call: every attempt, the pauses between them, the token it waits for and
/// the slots of its rate budget it waits for (`open_platform.rate_limit.wait_ms`, the total).
pub(crate) fn call(operation: &'static Operation, url: &reqwest::Url) -> Span {
    tracing::info_span!(
        "open_platform.call",
        otel.name = operation.id,
        open_platform.operation = operation.id,
        http.request.method = operation.method.as_str(),
        url.template = operation.path,
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        open_platform.attempts = Empty,
        open_platform.rate_limit.wait_ms = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
        open_platform.code = Empty,
        open_platform.request_id = Empty,
    )
}

/// The span of one attempt: one HTTP request and its response (an OpenTelemetry client span).
pub(crate) fn attempt(operation: &'static Operation, url: &reqwest::Url, attempt: u32) -> Span {
    let span = tracing::info_span!(
        "open_platform.attempt",
        otel.name = %format!("{} {}", operation.method, operation.path),
        otel.kind = "client",
        open_platform.operation = operation.id,
        http.request.method = operation.method.as_str(),
        url.template = operation.path,
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        open_platform.attempt = attempt,
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
        open_platform.code = Empty,
        open_platform.request_id = Empty,
    );
    // The convention records the count only on requests that are sent again.
    if attempt > 1 {
        span.record("http.request.resend_count", attempt - 1);
    }
    span
}

/// Records how a call or an attempt ended: the response's status, and for a failure its type
/// (`error.type`), the platform's code and request id.
pub(crate) fn record(span: &Span, result: &Result<u16, Error>) {
    match result {
        Ok(status) => {
            span.record("http.response.status_code", status);
        }
        Err(error) => {
            span.record("error.type", error.type_name());
            if let Some(status) = error.http_status() {
                span.record("http.response.status_code", status);
            }
            if let Some(api) = error.api() {
                span.record("open_platform.code", tracing::field::display(&api.code));
                if let Some(request_id) = &api.request_id {
                    span.record("open_platform.request_id", request_id.as_str());
                }
            }
        }
    }
}
