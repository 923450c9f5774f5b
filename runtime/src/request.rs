//! What every generated request type implements, and how it becomes an [`HttpRequest`].

use std::borrow::Cow;
use std::fmt::Display;

use serde::de::DeserializeOwned;

use super::Validator;
use super::{Body, Csv, EncodedBody, EnvelopeCode, Error, HttpRequest, Operation, Secret};

/// A request of one operation; implemented by the generated `<Operation>Request` types.
///
/// Only `OPERATION` is required. The generator sets `ENVELOPE_CODE` and `BODY` where the
/// base has an envelope code or the operation a body (constants, so that each is one line of
/// generated code), and overrides `check_limits`, `resolved_path` and `write_params` where the
/// operation has limits or path, query or header parameters. The other methods are provided.
pub trait ApiRequest {
    /// The decoded response of a successful call.
    type Response: DeserializeOwned + Send;

    /// The operation this request calls.
    const OPERATION: &'static Operation;

    /// Where a response keeps the envelope code (its hidden field), for envelope-code bases.
    const ENVELOPE_CODE: EnvelopeCodeOf<Self::Response> = None;

    /// How the body is encoded, for operations that have one ([`json_body`](crate::json_body),
    /// [`form_body`](crate::form_body) or [`multipart_body`](crate::multipart_body)).
    const BODY: BodyOf<Self> = None;

    /// The envelope code a response carries in its hidden field, for envelope-code bases.
    fn envelope_code(response: &Self::Response) -> Option<&EnvelopeCode> {
        Self::ENVELOPE_CODE.map(|code_of| code_of(response))
    }

    /// Reports the first broken documented limit.
    fn check_limits(&self, _v: &mut Validator) {}

    /// The path with path parameters filled in.
    fn resolved_path(&self) -> Cow<'static, str> {
        Cow::Borrowed(Self::OPERATION.path)
    }

    /// Adds query and header parameters.
    fn write_params(&self, _params: &mut Params) {}

    /// The encoded body ([`Body::Empty`] for operations without one).
    fn body(&self) -> EncodedBody {
        match Self::BODY {
            Some(encode) => encode(self),
            None => Ok(Body::Empty),
        }
    }

    /// Checks every documented limit, returning the first broken one with its field path.
    fn validate(&self) -> Result<(), Error> {
        let mut v = Validator::default();
        self.check_limits(&mut v);
        v.finish().map_err(|source| Error::InvalidRequest {
            operation: Self::OPERATION.id,
            source,
        })
    }

    /// The request against the operation's production base URL, without a token: for
    /// inspection and tests.
    fn http_request(&self) -> Result<HttpRequest, Error> {
        self.http_request_at(Self::OPERATION.base.url)
    }

    /// The request against another base URL (a proxy or a test server), without a token.
    fn http_request_at(&self, base_url: &str) -> Result<HttpRequest, Error> {
        let operation = Self::OPERATION;
        self.validate()?;
        let invalid = |reason: String| Error::InvalidRequest {
            operation: operation.id,
            source: super::InvalidRequest {
                path: String::new(),
                reason,
            },
        };
        let joined = format!("{}{}", base_url.trim_end_matches('/'), self.resolved_path());
        let mut url = reqwest::Url::parse(&joined)
            .map_err(|err| invalid(format!("bad URL `{joined}`: {err}")))?;
        let mut params = Params::default();
        self.write_params(&mut params);
        if !params.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(params.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let body = self
            .body()
            .map_err(|err| invalid(format!("cannot encode the body: {err}")))?;
        let mut headers: Vec<(String, String)> = params
            .headers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        // Form and multipart bodies get their content type (with the boundary) from the
        // transport that encodes them.
        if matches!(body, Body::Json(_)) {
            headers.push((
                "content-type".to_owned(),
                "application/json;charset=UTF-8".to_owned(),
            ));
        }
        Ok(HttpRequest {
            method: operation.method,
            url,
            headers,
            body,
        })
    }
}

/// [`ApiRequest::BODY`]: a function pointer rather than a method, so that generated code
/// states it in one line (`Some(rt::json_body)`).
pub type BodyOf<R> = Option<fn(&R) -> EncodedBody>;

/// [`ApiRequest::ENVELOPE_CODE`]: reads the hidden envelope-code field of a response.
pub type EnvelopeCodeOf<T> = Option<for<'a> fn(&'a T) -> &'a EnvelopeCode>;

/// Query and header parameters collected from a request.
#[derive(Debug, Default)]
pub struct Params {
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
}

impl Params {
    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ParamValue) {
        self.query.push((name, value.to_param()));
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: impl ParamValue) {
        self.headers.push((name, value.to_param()));
    }
}

/// A value that can travel as a query parameter or header.
pub trait ParamValue {
    /// The value as text.
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_param!(String, str, bool, i32, i64, f64, crate::Millis);

impl ParamValue for Secret {
    fn to_param(&self) -> String {
        self.expose().to_owned()
    }
}

impl<T: Display> ParamValue for Csv<'_, T> {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// A query or header parameter that the document types as a JSON string holding an object:
/// sent as the object's JSON text.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> ParamValue for JsonText<'_, T> {
    fn to_param(&self) -> String {
        // Generated types serialize without failing (their maps have string keys); should a
        // hand-made value fail, the parameter is sent empty and the server reports it.
        serde_json::to_string(self.0).unwrap_or_default()
    }
}

/// `template` (`/v1.0/items/{id}`) with each `{name}` placeholder replaced, in order, by the
/// percent-encoded value of the same position in `values`. One non-generic function for every
/// operation with path parameters; a placeholder without a value is left as it is.
pub fn fill_path(template: &'static str, values: &[&dyn ParamValue]) -> Cow<'static, str> {
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut values = values.iter();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        path.push_str(&rest[..open]);
        match values.next() {
            Some(value) => path.push_str(&encode_path_segment(&value.to_param())),
            None => path.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    Cow::Owned(path)
}

/// Percent-encodes a path parameter so that it stays one path segment.
pub fn encode_path_segment(value: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}
