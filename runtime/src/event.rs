//! Typed events: what a platform pushes to the app, by HTTP callback or over a long-lived
//! connection. The generated crate implements [`Events`] for each platform's `Event` enum (one
//! variant per event type the spec declares, and `Unknown`, which keeps the payload of any
//! other type); the receivers of the `callback` and `stream` features decode into it.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A platform's events, decoded from an event type and its JSON payload.
pub trait Events: Sized {
    /// The member of an event's JSON whose value names its type (DingTalk: `EventType`).
    const TYPE_FIELD: &'static str;

    /// The event of type `event_type` with this payload. A type the spec does not declare is
    /// the `Unknown` variant holding the payload; a declared type whose payload does not
    /// decode into its model is an error.
    fn decode(event_type: &str, payload: Value) -> Result<Self, EventError>;

    /// The event's type, as the platform names it.
    fn event_type(&self) -> &str;

    /// The value this event pushes for token requests, and the name it is kept under
    /// ([`PushedValues`](crate::PushedValues)): DingTalk's `suite_ticket` event pushes the
    /// suite ticket that the corporation token request signs. `None` for other events.
    fn pushed_value(&self) -> Option<(&'static str, &str)> {
        None
    }

    /// The event a JSON text describes (a decrypted HTTP callback), its type read from
    /// [`Self::TYPE_FIELD`].
    fn from_json(json: &str) -> Result<Self, EventError> {
        let value: Value = serde_json::from_str(json).map_err(EventError::NotJson)?;
        let event_type = value
            .get(Self::TYPE_FIELD)
            .and_then(Value::as_str)
            .ok_or(EventError::NoType {
                field: Self::TYPE_FIELD,
            })?
            .to_owned();
        Self::decode(&event_type, value)
    }
}

/// Why an event could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The event's text is not JSON.
    #[error("the event is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The event's JSON has no string member naming its type.
    #[error("the event has no string member `{field}` naming its type")]
    NoType {
        /// The member looked for.
        field: &'static str,
    },
    /// A declared event type whose payload does not fit its model.
    #[error("the `{event_type}` event does not decode at `{path}`: {source}")]
    Payload {
        /// The event type.
        event_type: String,
        /// Where in the payload decoding failed (`UserId[0]`).
        path: String,
        /// What was wrong there.
        #[source]
        source: serde_json::Error,
    },
}

/// Decodes the payload of a declared event type into its model (for generated code).
#[doc(hidden)]
pub fn decode_event_payload<T: DeserializeOwned>(
    event_type: &str,
    payload: Value,
) -> Result<T, EventError> {
    serde_path_to_error::deserialize(payload).map_err(|err| EventError::Payload {
        event_type: event_type.to_owned(),
        path: err.path().to_string(),
        source: err.into_inner(),
    })
}
