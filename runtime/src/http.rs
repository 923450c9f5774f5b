//! Plain HTTP request and response values, independent of the HTTP client that sends them.

use std::fmt;

use crate::Body;

/// The HTTP methods the specs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to send: what a test or a custom transport inspects.
///
/// `Debug` hides query and header values, because they carry tokens and secrets.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL with query parameters.
    pub url: reqwest::Url,
    /// Header names and values in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body, as the operation's encoding produced it.
    pub body: Body,
}

impl HttpRequest {
    /// The value of the first query parameter called `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The value of the first header called `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is a JSON body.
    pub fn json(&self) -> Option<Result<serde_json::Value, serde_json::Error>> {
        self.body.as_json().map(serde_json::from_slice)
    }

    /// The URL without its query string, safe to log.
    pub fn redacted_url(&self) -> String {
        let mut url = self.url.clone();
        let names: Vec<String> = url.query_pairs().map(|(k, _)| format!("{k}=***")).collect();
        url.set_query(None);
        if names.is_empty() {
            url.to_string()
        } else {
            format!("{url}?{}", names.join("&"))
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, _)| format!("{k}: ***"))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &headers)
            .field("body", &body_summary(&self.body))
            .finish()
    }
}

/// What `Debug` shows of a body: its kind and size, never its values (a token or secret may be
/// among them).
fn body_summary(body: &Body) -> String {
    match body {
        Body::Empty => "empty".to_owned(),
        Body::Json(bytes) => format!("json, {} bytes", bytes.len()),
        Body::Form(fields) => format!("form, {} fields", fields.len()),
        Body::Multipart(parts) => format!("multipart, {} parts", parts.len()),
    }
}

/// A response as received.
///
/// `#[non_exhaustive]`: build one with [`HttpResponse::new`] and [`with_header`](Self::with_header),
/// so that a custom [`Transport`](crate::Transport) keeps compiling when a field is added.
/// `Debug` shows header names and the body's size, never their values (a cookie or a token
/// endpoint's body holds secrets).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received (values that are not UTF-8 are read lossily). The
    /// runtime reads `Content-Type`, to tell a JSON body from an HTML page.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status`, `body` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The value of the first header called `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::transport::header(&self.headers, name)
    }

    /// The `Content-Type` header, if the response has one.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}
