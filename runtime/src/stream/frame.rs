//! The JSON frames of the stream protocol: what the gateway pushes ([`StreamMessage`] and the
//! `SYSTEM` frames the session answers itself) and the replies the client sends ([`Ack`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `contentType` of every reply: the protocol supports only JSON.
const CONTENT_TYPE_JSON: &str = "application/json";

/// What kind of push a message or a subscription is: the frame's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MessageKind {
    /// `EVENT`: an event subscribed in the developer console (subscription topic `*`). DingTalk
    /// delivers it again later unless it is acknowledged with `SUCCESS`.
    Event,
    /// `CALLBACK`: a callback on a topic, such as a robot message
    /// (`/v1.0/im/bot/messages/get`) or a card interaction; answered with a response body.
    Callback,
}

impl MessageKind {
    /// The wire name: `EVENT` or `CALLBACK`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Event => "EVENT",
            MessageKind::Callback => "CALLBACK",
        }
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MessageKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An `EVENT` or `CALLBACK` pushed by DingTalk, as the handler receives it.
///
/// It keeps every header and the `data` JSON text as received, so that a typed layer can
/// decode it: [`StreamMessage::event_type`] says which event an `EVENT` is, and
/// [`StreamMessage::data_json`] decodes the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamMessage {
    kind: MessageKind,
    headers: BTreeMap<String, String>,
    data: String,
}

impl StreamMessage {
    /// A message of this kind with these headers and `data` JSON text (for tests of the code
    /// that handles messages; the session builds them from frames).
    pub fn new(
        kind: MessageKind,
        headers: BTreeMap<String, String>,
        data: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            headers,
            data: data.into(),
        }
    }

    /// `EVENT` or `CALLBACK`.
    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    /// The `topic` header: `*` for events, the callback's topic for callbacks (such as
    /// `/v1.0/im/bot/messages/get`); empty if the frame had none.
    pub fn topic(&self) -> &str {
        self.header("topic").unwrap_or_default()
    }

    /// The `messageId` header, which identifies this push and is echoed in its acknowledgement.
    pub fn message_id(&self) -> &str {
        self.header("messageId").unwrap_or_default()
    }

    /// The `eventType` header of an event, such as `user_add_org`.
    pub fn event_type(&self) -> Option<&str> {
        self.header("eventType")
    }

    /// The `eventId` header of an event: the event's own id, the same in every delivery.
    pub fn event_id(&self) -> Option<&str> {
        self.header("eventId")
    }

    /// The `eventCorpId` header of an event: the organisation it happened in.
    pub fn event_corp_id(&self) -> Option<&str> {
        self.header("eventCorpId")
    }

    /// The `eventBornTime` header of an event, in Unix milliseconds, if it is a number.
    pub fn event_born_time(&self) -> Option<i64> {
        self.header("eventBornTime")?.parse().ok()
    }

    /// The `time` header (when DingTalk pushed the message), in Unix milliseconds, if it is a
    /// number.
    pub fn time(&self) -> Option<i64> {
        self.header("time")?.parse().ok()
    }

    /// One header by its wire name (such as `eventUnifiedAppId`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// Every header, by wire name. Values that were JSON numbers or booleans are given as
    /// their JSON text.
    pub fn headers(&self) -> &BTreeMap<String, String> {
        &self.headers
    }

    /// The `data` JSON text as received (empty if the frame had none).
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The `data` JSON text, owned.
    pub fn into_data(self) -> String {
        self.data
    }

    /// `data` decoded as `T`.
    pub fn data_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.data)
    }
}

/// How the handler acknowledges a message; the session turns it into the protocol's reply.
///
/// | ack | `EVENT` reply | `CALLBACK` reply |
/// |---|---|---|
/// | `Success` | `code` 200, `data` `{"status":"SUCCESS","message":"success"}` | `code` 200, `data` `{"response":null}` |
/// | `Respond(v)` | as `Success` (events have no response) | `code` 200, `data` `{"response":v}` |
/// | `Later` | `code` 200, `data` `{"status":"LATER","message":"later"}`: DingTalk delivers the event again later | `code` 500, `message` `internal error`, `data` `{"response":null}` |
///
/// Every reply carries the headers `contentType: application/json` and the message's
/// `messageId`, and `message` `OK` unless said otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ack {
    /// The message was processed.
    Success,
    /// The message was not processed: an event is delivered again later. DingTalk does not
    /// deliver callbacks again; for a callback this reports the failure.
    Later,
    /// The message was processed and this is the callback's response body (for an event it
    /// is the same as `Success`).
    Respond(Value),
}

impl Ack {
    /// Whether the message counts as processed (so that a new delivery of it is acknowledged
    /// again without calling the handler).
    pub fn is_success(&self) -> bool {
        !matches!(self, Ack::Later)
    }
}

/// A frame as pushed by the gateway, before it is told apart.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) data: String,
}

/// The frame's `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// `SYSTEM`: `ping` or `disconnect`.
    System,
    /// `EVENT` or `CALLBACK`.
    Message(MessageKind),
    /// A type this client does not know.
    Unknown(String),
}

/// The frame as JSON.
#[derive(Deserialize)]
struct RawFrame {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    headers: BTreeMap<String, Value>,
    #[serde(default)]
    data: Option<String>,
}

impl Frame {
    /// Reads a text frame; an error says why it is not a frame of the protocol.
    pub(crate) fn parse(text: &str) -> Result<Frame, serde_json::Error> {
        let raw: RawFrame = serde_json::from_str(text)?;
        let kind = match raw.kind.as_str() {
            "SYSTEM" => FrameKind::System,
            "EVENT" => FrameKind::Message(MessageKind::Event),
            "CALLBACK" => FrameKind::Message(MessageKind::Callback),
            _ => FrameKind::Unknown(raw.kind),
        };
        // Header values are strings on the wire (the SDKs read them into string maps); a
        // number or a boolean is kept as its JSON text, a null is dropped.
        let headers = raw
            .headers
            .into_iter()
            .filter_map(|(name, value)| match value {
                Value::Null => None,
                Value::String(text) => Some((name, text)),
                other => Some((name, other.to_string())),
            })
            .collect();
        Ok(Frame {
            kind,
            headers,
            data: raw.data.unwrap_or_default(),
        })
    }

    /// A header by name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A reply frame: the client's answer to one pushed frame.
#[derive(Serialize)]
struct Reply<'a> {
    code: u16,
    headers: ReplyHeaders<'a>,
    message: &'a str,
    data: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReplyHeaders<'a> {
    content_type: &'a str,
    message_id: &'a str,
}

/// The `data` of an event's acknowledgement.
#[derive(Serialize)]
struct EventAckData<'a> {
    status: &'a str,
    message: &'a str,
}

/// The `data` of a callback's acknowledgement.
#[derive(Serialize)]
struct CallbackAckData<'a> {
    response: Option<&'a Value>,
}

/// The reply to a `ping`: `code` 200 and the ping's own `data` (its `opaque`) back.
pub(crate) fn pong(message_id: &str, data: &str) -> Result<String, serde_json::Error> {
    reply(200, message_id, "OK", data.to_owned())
}

/// The acknowledgement of a message of `kind` with id `message_id`.
pub(crate) fn ack(
    kind: MessageKind,
    message_id: &str,
    ack: &Ack,
) -> Result<String, serde_json::Error> {
    match kind {
        MessageKind::Event => {
            let (status, text) = match ack {
                Ack::Later => ("LATER", "later"),
                Ack::Success | Ack::Respond(_) => ("SUCCESS", "success"),
            };
            let data = serde_json::to_string(&EventAckData {
                status,
                message: text,
            })?;
            reply(200, message_id, "OK", data)
        }
        MessageKind::Callback => {
            let (code, message, response) = match ack {
                Ack::Success => (200, "OK", None),
                Ack::Respond(value) => (200, "OK", Some(value)),
                Ack::Later => (500, "internal error", None),
            };
            let data = serde_json::to_string(&CallbackAckData { response })?;
            reply(code, message_id, message, data)
        }
    }
}

fn reply(
    code: u16,
    message_id: &str,
    message: &str,
    data: String,
) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Reply {
        code,
        headers: ReplyHeaders {
            content_type: CONTENT_TYPE_JSON,
            message_id,
        },
        message,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_that_are_numbers_are_kept_as_text() {
        let frame = Frame::parse(
            r#"{"specVersion":"1.0","type":"EVENT","headers":{"messageId":"m","time":1690106592000,"x":null},"data":"{}"}"#,
        )
        .unwrap();
        assert_eq!(frame.kind, FrameKind::Message(MessageKind::Event));
        assert_eq!(frame.header("time"), Some("1690106592000"));
        assert_eq!(frame.header("x"), None);
    }

    #[test]
    fn a_frame_without_a_type_or_with_data_that_is_not_text_is_refused() {
        assert!(Frame::parse(r#"{"headers":{}}"#).is_err());
        assert!(Frame::parse(r#"{"type":"EVENT","data":{"a":1}}"#).is_err());
        assert!(Frame::parse("[]").is_err());
    }

    #[test]
    fn the_callback_response_is_json_inside_data() {
        let text = ack(
            MessageKind::Callback,
            "m1",
            &Ack::Respond(serde_json::json!({"text": "hi"})),
        )
        .unwrap();
        assert_eq!(
            text,
            r#"{"code":200,"headers":{"contentType":"application/json","messageId":"m1"},"message":"OK","data":"{\"response\":{\"text\":\"hi\"}}"}"#
        );
    }
}
