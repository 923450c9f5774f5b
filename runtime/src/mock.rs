//! Mock-server helpers for testing an integration offline (cargo feature `mock`).
//!
//! Each generated group module has an `examples` module with one [`Example`] per operation:
//! the response assembled from the document's example values. Mount them on a
//! [`wiremock::MockServer`] and point the client at it with [`base_url`].
//!
//! ```ignore
//! let server = wiremock::MockServer::start().await;
//! dingtalk::blackboard::examples::LIST_IDS.mount(&server).await;
//! let dt = dingtalk::Client::builder()
//!     .token(StaticToken::new("test"))
//!     .base_url(&dingtalk::OAPI, mock::base_url(&server, &dingtalk::OAPI))
//!     .build()?;
//! ```

use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Base, Code, Envelope, ErrorMeaning, KnownCode, Operation};

/// The documented example response of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The operation.
    pub operation: &'static Operation,
    /// The response body assembled from the document's example values, as JSON text.
    pub response: &'static str,
}

/// The URL to use as `base`'s URL for a client talking to `server`: the server's address with
/// the base's own path (such as Chengxun's `/api`).
pub fn base_url(server: &MockServer, base: &Base) -> String {
    format!("{}{}", server.uri(), base_path(base))
}

fn base_path(base: &Base) -> &'static str {
    let after_scheme = base
        .url
        .split_once("://")
        .map_or(base.url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |slash| &after_scheme[slash..])
}

impl Example {
    /// The example `response` of `R`'s operation.
    pub const fn of<R: super::ApiRequest>(response: &'static str) -> Self {
        Self {
            operation: R::OPERATION,
            response,
        }
    }

    /// A mock that answers this operation's requests (by method and path) with `response`.
    fn mock(&self, response: ResponseTemplate) -> Mock {
        let operation = self.operation;
        let full = format!("{}{}", base_path(operation.base), operation.path);
        let builder = Mock::given(method(operation.method.as_str()));
        let builder = if full.contains('{') {
            builder.and(path_regex(path_pattern(&full)))
        } else {
            builder.and(path(full))
        };
        builder.respond_with(response)
    }

    /// Answers this operation with its documented example response.
    pub async fn mount(&self, server: &MockServer) {
        let body: serde_json::Value =
            serde_json::from_str(self.response).unwrap_or(serde_json::Value::Null);
        self.mock(ResponseTemplate::new(200).set_body_json(body))
            .mount(server)
            .await;
    }

    /// Answers this operation with the error `code` as the platform sends it: in the body of an
    /// HTTP 200 for envelope-code bases, with an HTTP 4xx status otherwise. The message is the
    /// catalogue's description when the spec lists the code.
    pub async fn mount_error(&self, server: &MockServer, code: Code) {
        let base = self.operation.base;
        let known = base.error_codes.iter().find(|k| k.code == code);
        let message = known.map_or("mock error", |k: &KnownCode| k.description);
        let (status, body) = error_body(base, code, message, known.map(|k| k.meaning));
        // Mounted with a higher priority than success examples, so that it wins.
        self.mock(ResponseTemplate::new(status).set_body_json(body))
            .with_priority(1)
            .mount(server)
            .await;
    }
}

fn error_body(
    base: &Base,
    code: Code,
    message: &str,
    meaning: Option<ErrorMeaning>,
) -> (u16, serde_json::Value) {
    let code = match code {
        Code::Integer(n) => serde_json::Value::from(n),
        Code::String(s) => serde_json::Value::from(s),
    };
    let (code_field, message_field, request_id_field, status) = match base.envelope {
        Envelope::BodyCode {
            code_field,
            message_field,
            request_id_field,
            ..
        } => (Some(code_field), message_field, request_id_field, 200),
        Envelope::SuccessFlag {
            code_field,
            message_field,
            request_id_field,
            ..
        } => (code_field, message_field, request_id_field, 200),
        // DingTalk answers rate limits and quotas with 403 and other errors with 400.
        Envelope::HttpStatus {
            code_field,
            message_field,
            request_id_field,
            ..
        } => {
            let status = match meaning {
                Some(
                    ErrorMeaning::RateLimited
                    | ErrorMeaning::QuotaExceeded
                    | ErrorMeaning::PermissionDenied,
                ) => 403,
                _ => 400,
            };
            (Some(code_field), message_field, request_id_field, status)
        }
    };
    let mut body = serde_json::Map::new();
    if let Some(code_field) = code_field {
        body.insert(code_field.to_owned(), code);
    }
    // A failure says so in the success flag too, and carries no payload.
    if let Some(flag) = base.envelope.success_field() {
        body.insert(flag.to_owned(), false.into());
    }
    if let Some(payload) = base.envelope.payload() {
        body.insert(payload.to_owned(), serde_json::Value::Null);
    }
    body.insert(message_field.to_owned(), message.into());
    if let Some(field) = request_id_field {
        body.insert(field.to_owned(), "mock-request-id".into());
    }
    (status, body.into())
}

/// A regular expression matching a path template's `{placeholders}` as single segments.
fn path_pattern(template: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex_escape(&rest[..open]));
        pattern.push_str("[^/]+");
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    pattern.push_str(&regex_escape(rest));
    pattern.push('$');
    pattern
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}
