//! Reading a response: the envelope's code first, then the payload.
//!
//! The code is checked before the payload is decoded, so an error body never turns into a
//! confusing "missing field" error. The scan reads only the envelope's own fields and skips
//! everything else without building values.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::{ApiError, ApiRequest, Envelope, Error, ErrorMeaning, Operation, PageKind};
use crate::code::ReceivedCode;

/// A response as the envelope reads it: status, content type and body, borrowed.
#[derive(Clone, Copy)]
pub(crate) struct Raw<'a> {
    pub(crate) status: u16,
    /// The `Content-Type` header, quoted by [`Error::NotJson`].
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// Reads a response the way a call does. For responses fetched another way (a custom
/// transport, a recorded fixture).
pub fn decode_response<R: ApiRequest>(status: u16, body: &[u8]) -> Result<R::Response, Error> {
    read::<R>(Raw {
        status,
        content_type: None,
        body,
    })
}

/// Reads a response in one pass where possible. A successful response (the common case) is
/// decoded straight into the response type, whose hidden envelope field carries the code; only
/// when that code is an error, the status is not 2xx, or the payload does not decode is the
/// body scanned for the envelope, so that an error body is reported as the platform's error
/// and never as a confusing "missing field".
pub(crate) fn read<R: ApiRequest>(raw: Raw<'_>) -> Result<R::Response, Error> {
    let operation = R::OPERATION;
    let envelope = operation.base.envelope;
    if let Some(payload) = envelope.payload() {
        // The ban notice is JSON whose members are none of the envelope's, so it would read
        // as a success without a payload.
        refuse_ban_notice(operation, raw)?;
        return read_payload::<R::Response>(operation, payload, raw);
    }
    // serde reads a struct from an array too (by position), so only an object may take the
    // fast path; anything else is reported by the envelope scan.
    let object = raw.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    // A success flag is not a member of the response types, so only the scan reads it.
    let fast = object && (200..300).contains(&raw.status) && envelope.success_field().is_none();
    if fast {
        if let Ok(response) = serde_json::from_slice::<R::Response>(raw.body) {
            let code = R::envelope_code(&response);
            let success = match (envelope, code) {
                (Envelope::BodyCode { success, .. }, Some(code)) => code.is_success(&success),
                // Without an envelope code in the payload, the status has decided.
                _ => true,
            };
            if success {
                // The ban notice would read as a success without a payload, but it carries
                // none of the envelope's members: a response that holds its code is not it,
                // and is not scanned for it.
                if !code.is_some_and(EnvelopeCode::is_present) {
                    refuse_ban_notice(operation, raw)?;
                }
                return Ok(response);
            }
        }
    }
    // `check` refuses the ban notice too.
    check(operation, raw)?;
    decode(operation, raw)
}

/// Reads a response whose payload sits in one member (`data`, `result`): the envelope's
/// fields and the payload in one pass on success; on anything else the envelope scan decides,
/// so a failure that sends `data: null` (or any other payload) is the platform's error.
fn read_payload<T: DeserializeOwned>(
    operation: &'static Operation,
    payload: &'static str,
    raw: Raw<'_>,
) -> Result<T, Error> {
    let fields = Fields::of(operation.base.envelope);
    let seed = Wrapped::<T> {
        fields,
        payload,
        marker: std::marker::PhantomData,
    };
    if (200..300).contains(&raw.status) {
        let mut deserializer = serde_json::Deserializer::from_slice(raw.body);
        if let Ok(wrapped) = seed.deserialize(&mut deserializer) {
            if deserializer.end().is_ok() && succeeded(operation.base.envelope, &wrapped.scanned) {
                return unwrap_payload(operation, payload, raw, wrapped.payload);
            }
        }
    }
    check(operation, raw)?;
    // The envelope says success but the payload did not decode: again, tracking the path.
    let mut track = serde_path_to_error::Track::new();
    let mut deserializer = serde_json::Deserializer::from_slice(raw.body);
    let result = Wrapped::<T> {
        fields,
        payload,
        marker: std::marker::PhantomData,
    }
    .deserialize(serde_path_to_error::Deserializer::new(
        &mut deserializer,
        &mut track,
    ));
    match result {
        Ok(wrapped) => unwrap_payload(operation, payload, raw, wrapped.payload),
        Err(err) => {
            let path = track.path().to_string();
            Err(decode_error(
                operation,
                raw,
                path,
                describe(operation, &err),
            ))
        }
    }
}

/// A successful response's payload; an absent or `null` one is read as an empty object (a
/// response type whose members are all optional) or as `null` (an optional payload).
fn unwrap_payload<T: DeserializeOwned>(
    operation: &'static Operation,
    payload: &'static str,
    raw: Raw<'_>,
    value: Option<T>,
) -> Result<T, Error> {
    if let Some(value) = value {
        return Ok(value);
    }
    serde_json::from_slice::<T>(b"{}")
        .or_else(|_| serde_json::from_slice::<T>(b"null"))
        .map_err(|_| {
            let message = format!("the payload `{payload}` is missing or null");
            decode_error(operation, raw, payload.to_owned(), message)
        })
}

/// Whether scanned envelope fields say success, for a 2xx response.
fn succeeded(envelope: Envelope, found: &Found) -> bool {
    match envelope {
        Envelope::BodyCode {
            success,
            success_field,
            ..
        } => {
            let code_ok = found.code.as_ref().is_none_or(|code| code.is(&success));
            code_ok && (success_field.is_none() || found.success != Some(false))
        }
        Envelope::SuccessFlag { .. } => found.success == Some(true),
        Envelope::HttpStatus { .. } => true,
    }
}

/// A payload-wrapping envelope read in one pass: its fields and the payload member.
struct Wrapped<T> {
    fields: Fields,
    payload: &'static str,
    marker: std::marker::PhantomData<fn() -> T>,
}

struct Unwrapped<T> {
    scanned: Found,
    payload: Option<T>,
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Wrapped<T> {
    type Value = Unwrapped<T>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Wrapped<T> {
    type Value = Unwrapped<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Found::default();
        let mut payload = None;
        // Keys borrowed from the input: this is the success path of every call.
        while let Some(key) = map.next_key::<crate::de::Key<'de>>()? {
            if key.as_str() == self.payload {
                payload = map.next_value::<Option<T>>()?;
            } else {
                self.fields.take(key.as_str(), &mut map, &mut found)?;
            }
        }
        Ok(Unwrapped {
            scanned: found,
            payload,
        })
    }
}

/// How much of a body an error message quotes.
const SNIPPET_CHARS: usize = 256;

/// Fails with the platform's error if the envelope reports one; a body that is not the
/// envelope the spec describes is a decode error naming where it differs.
pub(crate) fn check(operation: &'static Operation, response: Raw<'_>) -> Result<(), Error> {
    refuse_ban_notice(operation, response)?;
    // An HTML ban or gateway page, a proxy's text, an empty body: at any status.
    if !is_json(response.body) {
        return Err(not_json(operation, response));
    }
    let success_status = (200..300).contains(&response.status);
    let envelope = operation.base.envelope;
    if matches!(envelope, Envelope::HttpStatus { .. }) && success_status {
        return Ok(());
    }
    let fields = Fields::of(envelope);
    let found = match fields.scan(response.body) {
        Ok(found) => found,
        // An error status with JSON that is not the envelope.
        Err(_) if !success_status => return Err(status_error(operation, response)),
        Err(ScanError::Json(err)) => {
            return Err(decode_error(
                operation,
                response,
                ".".to_owned(),
                describe(operation, &err),
            ))
        }
        Err(ScanError::Field(field, what)) => {
            let message = format!("unexpected envelope: `{field}` is {what}");
            return Err(decode_error(operation, response, field.to_owned(), message));
        }
    };
    let code = match envelope {
        Envelope::BodyCode {
            success,
            success_field,
            ..
        } => match found.code {
            // A success code on an HTTP error status is not a success (a proxy or gateway
            // page), and neither is one beside a success flag of `false`.
            Some(code) if code.is(&success) => {
                if !success_status {
                    return Err(status_error(operation, response));
                }
                match (success_field, found.success) {
                    (Some(field), Some(false)) => flag_code(field, None),
                    _ => return Ok(()),
                }
            }
            Some(code) => code,
            None if success_status => match (success_field, found.success) {
                (Some(field), Some(false)) => flag_code(field, None),
                _ => return Ok(()),
            },
            None => return Err(status_error(operation, response)),
        },
        Envelope::SuccessFlag { success_field, .. } => match found.success {
            Some(true) if success_status => return Ok(()),
            Some(true) => return Err(status_error(operation, response)),
            Some(false) => flag_code(success_field, found.code),
            None if success_status => {
                let message = format!("unexpected envelope: `{success_field}` is missing");
                return Err(decode_error(
                    operation,
                    response,
                    success_field.to_owned(),
                    message,
                ));
            }
            None => return Err(status_error(operation, response)),
        },
        Envelope::HttpStatus { .. } => match found.code {
            Some(code) => code,
            None => return Err(status_error(operation, response)),
        },
    };
    let base = operation.base;
    let mut meaning = base.meaning_of(&code).map(|known| known.meaning);
    if meaning == Some(ErrorMeaning::SeeSubCode) {
        if let Some(sub_code) = &found.sub_code {
            meaning = base
                .sub_codes
                .iter()
                .find(|known| sub_code.is(&known.code))
                .map(|known| known.meaning)
                .or(meaning);
        }
    }
    Err(Error::Api(Box::new(ApiError {
        operation: operation.id,
        status: response.status,
        code,
        message: found.message.unwrap_or_default(),
        request_id: found.request_id,
        sub_code: found.sub_code,
        sub_message: found.sub_message,
        meaning,
        attempts: 1,
        replayed: false,
        own_token: false,
    })))
}

/// The code a failure reports when the success flag said `false`: the platform's code if it
/// sent one, otherwise the flag itself (`success=false`), so every API error has a code.
fn flag_code(field: &str, code: Option<ReceivedCode>) -> ReceivedCode {
    code.unwrap_or_else(|| ReceivedCode::String(format!("{field}=false")))
}

/// Decodes a checked response into the operation's payload.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static Operation,
    response: Raw<'_>,
) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(response.body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let message = describe(operation, &err.into_inner());
        decode_error(operation, response, path, message)
    })?;
    // Trailing bytes after the JSON value are as malformed as a missing brace.
    deserializer.end().map_err(|err| {
        decode_error(
            operation,
            response,
            ".".to_owned(),
            describe(operation, &err),
        )
    })?;
    Ok(value)
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

/// Whether a body is JSON at all. Only a body that starts like an object or an array is
/// taken for JSON that went wrong (a decode error); any other body that does not parse is a
/// page (a JSON scalar such as `"ok"` parses, and is a decode error too).
fn is_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) || serde_json::from_slice::<IgnoredAny>(body).is_ok()
}

/// The error for a body that is not JSON, classified where the page is recognisable.
fn not_json(operation: &'static Operation, response: Raw<'_>) -> Error {
    let kind = if is_ban_page(response.body) {
        PageKind::IpBan
    } else if matches!(response.status, 502..=504) {
        PageKind::Gateway
    } else {
        PageKind::Other
    };
    Error::NotJson {
        operation: operation.id,
        status: response.status,
        content_type: response.content_type.map(str::to_owned),
        snippet: snippet(operation, response.body),
        kind,
    }
}

/// Whether `haystack` contains `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Whether a page that is not JSON is DingTalk's IP-ban page: Alibaba's "x5" protection, which
/// names the punishment (`punish`) and the ban's status `1111` or its `x5` source.
fn is_ban_page(body: &[u8]) -> bool {
    contains(body, b"punish") && (contains(body, b"1111") || contains(body, b"x5"))
}

/// The longest body taken for DingTalk's IP-ban notice (it is about a hundred bytes); longer
/// bodies are not searched, so that the check costs nothing on ordinary responses.
const BAN_NOTICE_MAX: usize = 1024;

/// Fails with a ban when the body is DingTalk's IP-ban notice in JSON,
/// `{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"…"}`: an error with code
/// `1111` that means [`ErrorMeaning::Banned`], whatever the base's catalogue says.
fn refuse_ban_notice(operation: &'static Operation, response: Raw<'_>) -> Result<(), Error> {
    let body = response.body;
    if body.len() > BAN_NOTICE_MAX || !contains(body, b"\"punish\"") {
        return Ok(());
    }
    let Ok(notice) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
    else {
        return Ok(());
    };
    let status = notice.get("status").and_then(serde_json::Value::as_i64);
    let source = notice.get("source").and_then(serde_json::Value::as_str);
    if status != Some(1111) && source != Some("x5") {
        return Ok(());
    }
    let text = |name: &str| {
        notice.get(name).map(|value| match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    };
    let mut message = "calls from this IP address are refused for a while".to_owned();
    if let Some(wait) = text("wait") {
        message.push_str(&format!(" (wait: {wait})"));
    }
    Err(Error::Api(Box::new(ApiError {
        operation: operation.id,
        status: response.status,
        code: status.map_or_else(
            || ReceivedCode::String("x5".to_owned()),
            ReceivedCode::Integer,
        ),
        message,
        request_id: text("uuid"),
        sub_code: text("punish").map(ReceivedCode::String),
        sub_message: None,
        meaning: Some(ErrorMeaning::Banned),
        attempts: 1,
        replayed: false,
        own_token: false,
    })))
}

fn status_error(operation: &'static Operation, response: Raw<'_>) -> Error {
    Error::Status {
        operation: operation.id,
        status: response.status,
        snippet: snippet(operation, response.body),
    }
}

fn decode_error(
    operation: &'static Operation,
    response: Raw<'_>,
    path: String,
    message: String,
) -> Error {
    Error::Decode {
        operation: operation.id,
        path,
        message,
        snippet: snippet(operation, response.body),
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
    code_field: Option<&'static str>,
    success_field: Option<&'static str>,
    message_field: &'static str,
    request_id_field: Option<&'static str>,
    sub_code_field: Option<&'static str>,
    sub_message_field: Option<&'static str>,
}

#[derive(Default)]
struct Found {
    code: Option<ReceivedCode>,
    /// The success flag; a value that is not a boolean reads as `false`.
    success: Option<bool>,
    message: Option<String>,
    request_id: Option<String>,
    sub_code: Option<ReceivedCode>,
    sub_message: Option<String>,
}

/// Why a body is not the expected envelope.
enum ScanError {
    /// Not a JSON object, or not JSON at all.
    Json(serde_json::Error),
    /// The code field holds something that is not a code.
    Field(&'static str, &'static str),
}

impl Fields {
    fn of(envelope: Envelope) -> Self {
        match envelope {
            Envelope::BodyCode {
                code_field,
                message_field,
                request_id_field,
                sub_code_field,
                sub_message_field,
                success_field,
                ..
            } => Fields {
                code_field: Some(code_field),
                success_field,
                message_field,
                request_id_field,
                sub_code_field,
                sub_message_field,
            },
            Envelope::SuccessFlag {
                success_field,
                code_field,
                message_field,
                request_id_field,
                ..
            } => Fields {
                code_field,
                success_field: Some(success_field),
                message_field,
                request_id_field,
                sub_code_field: None,
                sub_message_field: None,
            },
            Envelope::HttpStatus {
                code_field,
                message_field,
                request_id_field,
                ..
            } => Fields {
                code_field: Some(code_field),
                success_field: None,
                message_field,
                request_id_field,
                sub_code_field: None,
                sub_message_field: None,
            },
        }
    }

    /// Reads the value of `key` into `found` if it is an envelope field, and skips it otherwise.
    /// Returns whether the code field held something unusable.
    fn take<'de, A: MapAccess<'de>>(
        self,
        key: &str,
        map: &mut A,
        found: &mut Found,
    ) -> Result<bool, A::Error> {
        let key = Some(key);
        if key == self.code_field {
            let (code, other) = code_of(map.next_value::<Scalar>()?);
            found.code = code;
            return Ok(other);
        }
        if key == self.success_field {
            found.success = Some(match map.next_value::<Scalar>()? {
                Scalar::Bool(flag) => flag,
                Scalar::Text(text) => text == "true",
                Scalar::Null => return Ok(false),
                _ => false,
            });
        } else if key == Some(self.message_field) {
            found.message = map.next_value::<Scalar>()?.into_text();
        } else if key == self.request_id_field {
            found.request_id = map.next_value::<Scalar>()?.into_text();
        } else if key == self.sub_code_field {
            found.sub_code = code_of(map.next_value::<Scalar>()?).0;
        } else if key == self.sub_message_field {
            found.sub_message = map.next_value::<Scalar>()?.into_text();
        } else {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(false)
    }

    fn scan(self, body: &[u8]) -> Result<Found, ScanError> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let scanned = self
            .deserialize(&mut deserializer)
            .map_err(ScanError::Json)?;
        if let (true, Some(code_field)) = (scanned.code_was_other, self.code_field) {
            return Err(ScanError::Field(
                code_field,
                "neither a number nor a string",
            ));
        }
        Ok(scanned.found)
    }
}

/// What the scan saw, including whether the code field held something unusable.
struct Scanned {
    found: Found,
    code_was_other: bool,
}

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Scanned;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Scanned, D::Error> {
        deserializer.deserialize_map(self)
    }
}

fn code_of(scalar: Scalar) -> (Option<ReceivedCode>, bool) {
    match scalar {
        Scalar::Integer(n) => (Some(ReceivedCode::Integer(n)), false),
        Scalar::Text(t) => (Some(ReceivedCode::String(t)), false),
        Scalar::Null => (None, false),
        Scalar::Bool(_) | Scalar::Other(_) => (None, true),
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let mut found = Found::default();
        let mut code_was_other = false;
        while let Some(key) = map.next_key::<String>()? {
            code_was_other |= self.take(&key, &mut map, &mut found)?;
        }
        Ok(Scanned {
            found,
            code_was_other,
        })
    }
}

/// Any JSON value reduced to what an envelope field can use, so that an oddly typed message
/// or request id never hides the real error.
enum Scalar {
    Integer(i64),
    Text(String),
    Bool(bool),
    Null,
    /// A float, array or object, described for messages.
    Other(String),
}

impl Scalar {
    fn into_text(self) -> Option<String> {
        match self {
            Scalar::Integer(n) => Some(n.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Text(t) | Scalar::Other(t) => Some(t),
            Scalar::Null => None,
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
        f.write_str("any JSON value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(match i64::try_from(v) {
            Ok(n) => Scalar::Integer(n),
            Err(_) => Scalar::Text(v.to_string()),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an array".to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an object".to_owned()))
    }
}

/// The envelope's code as it sits in a generated response type, read in the same pass as the
/// payload. Hidden from users: the runtime reads it, the response types expose the payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvelopeCode(CodeState);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum CodeState {
    #[default]
    Absent,
    Code(ReceivedCode),
    /// Neither a number nor a string: the slow path reports it.
    Unusable,
}

impl EnvelopeCode {
    /// Whether the response held the code member at all.
    fn is_present(&self) -> bool {
        !matches!(self.0, CodeState::Absent)
    }

    /// Whether the code says success; an absent code counts as success (the status decided),
    /// an unusable one does not.
    #[inline]
    pub fn is_success(&self, success: &crate::Code) -> bool {
        match &self.0 {
            CodeState::Absent => true,
            CodeState::Code(code) => code.is(success),
            CodeState::Unusable => false,
        }
    }
}

impl<'de> de::Deserialize<'de> for EnvelopeCode {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(EnvelopeCode(match Scalar::deserialize(deserializer)? {
            Scalar::Integer(n) => CodeState::Code(ReceivedCode::Integer(n)),
            Scalar::Text(t) => CodeState::Code(ReceivedCode::String(t)),
            Scalar::Null => CodeState::Absent,
            Scalar::Bool(_) | Scalar::Other(_) => CodeState::Unusable,
        }))
    }
}
