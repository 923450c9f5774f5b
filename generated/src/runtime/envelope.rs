//! Reading a response: the envelope's code first, then the payload.
//!
//! The code is checked before the payload is decoded, so an error body never turns into a
//! confusing "missing field" error. The scan reads only the envelope's own fields and skips
//! everything else without building values.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::error::ReceivedCode;
use super::{ApiError, Envelope, Error, HttpResponse, Operation};

/// How much of a body an error message quotes.
const SNIPPET_CHARS: usize = 256;

/// Turns a response into the operation's payload or a typed error.
pub(crate) fn read<T: DeserializeOwned>(
    operation: &'static Operation,
    response: &HttpResponse,
) -> Result<T, Error> {
    check(operation, response)?;
    decode(operation, response)
}

/// Fails with the platform's error if the envelope reports one.
fn check(operation: &'static Operation, response: &HttpResponse) -> Result<(), Error> {
    let success_status = (200..300).contains(&response.status);
    let (fields, success) = match operation.base.envelope {
        Envelope::BodyCode {
            code_field,
            success,
            message_field,
            request_id_field,
        } => (
            Fields {
                code_field,
                message_field,
                request_id_field,
            },
            Some(success),
        ),
        Envelope::HttpStatus {
            code_field,
            message_field,
            request_id_field,
        } => {
            if success_status {
                return Ok(());
            }
            (
                Fields {
                    code_field,
                    message_field,
                    request_id_field,
                },
                None,
            )
        }
    };
    let found = match fields.scan(&response.body) {
        Ok(found) => found,
        Err(_) if !success_status => return Err(status_error(operation, response)),
        Err(err) => {
            return Err(decode_error(
                operation,
                response,
                String::new(),
                describe(operation, &err),
            ))
        }
    };
    let code = match (found.code, success) {
        // A success code on an HTTP error status is not a success (a proxy or gateway page).
        (Some(code), Some(success)) if code.is(&success) && success_status => return Ok(()),
        (Some(code), Some(success)) if code.is(&success) => {
            return Err(status_error(operation, response))
        }
        (None, Some(_)) if success_status => return Ok(()),
        (Some(code), _) => code,
        (None, _) => return Err(status_error(operation, response)),
    };
    let meaning = operation.base.meaning_of(&code).map(|known| known.meaning);
    Err(Error::Api(Box::new(ApiError {
        operation: operation.id,
        status: response.status,
        code,
        message: found.message.unwrap_or_default(),
        request_id: found.request_id,
        meaning,
    })))
}

fn decode<T: DeserializeOwned>(
    operation: &'static Operation,
    response: &HttpResponse,
) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let message = describe(operation, &err.into_inner());
        decode_error(operation, response, path, message)
    })
}

/// serde quotes the offending value ("invalid type: string `abc`"), which may be a secret.
fn describe(operation: &Operation, err: &serde_json::Error) -> String {
    if operation.secret_response {
        format!(
            "{:?} error at line {} column {} (details hidden: the response holds secrets)",
            err.classify(),
            err.line(),
            err.column()
        )
    } else {
        err.to_string()
    }
}

fn status_error(operation: &'static Operation, response: &HttpResponse) -> Error {
    Error::Status {
        operation: operation.id,
        status: response.status,
        snippet: snippet(operation, &response.body),
    }
}

fn decode_error(
    operation: &'static Operation,
    response: &HttpResponse,
    path: String,
    message: String,
) -> Error {
    Error::Decode {
        operation: operation.id,
        path,
        message,
        snippet: snippet(operation, &response.body),
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

/// The envelope fields to look for.
#[derive(Clone, Copy)]
struct Fields {
    code_field: &'static str,
    message_field: &'static str,
    request_id_field: Option<&'static str>,
}

#[derive(Default)]
struct Found {
    code: Option<ReceivedCode>,
    message: Option<String>,
    request_id: Option<String>,
}

impl Fields {
    fn scan(self, body: &[u8]) -> Result<Found, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        self.deserialize(&mut deserializer)
    }
}

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Found;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Found, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.code_field {
                found.code = map.next_value::<Scalar>()?.0.map(|s| match s {
                    ScalarValue::Integer(n) => ReceivedCode::Integer(n),
                    ScalarValue::Text(t) => ReceivedCode::String(t),
                });
            } else if key == self.message_field {
                found.message = map.next_value::<Scalar>()?.0.map(ScalarValue::into_text);
            } else if Some(key.as_str()) == self.request_id_field {
                found.request_id = map.next_value::<Scalar>()?.0.map(ScalarValue::into_text);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Any JSON scalar, so that an oddly typed envelope field never hides the real error.
struct Scalar(Option<ScalarValue>);

enum ScalarValue {
    Integer(i64),
    Text(String),
}

impl ScalarValue {
    fn into_text(self) -> String {
        match self {
            ScalarValue::Integer(n) => n.to_string(),
            ScalarValue::Text(t) => t,
        }
    }
}

impl<'de> de::Deserialize<'de> for Scalar {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, string, boolean or null")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(ScalarValue::Integer(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(match i64::try_from(v) {
            Ok(n) => ScalarValue::Integer(n),
            Err(_) => ScalarValue::Text(v.to_string()),
        })))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(ScalarValue::Text(v.to_string()))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(ScalarValue::Text(v.to_string()))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(ScalarValue::Text(v.to_owned()))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
}
