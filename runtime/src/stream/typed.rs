//! Stream mode with the platform's typed events: each message decoded into the generated
//! `Event` enum (`dingtalk::events::Event`) before the handler sees it.

use std::future::Future;
use std::marker::PhantomData;

use super::{Ack, Handler, MessageKind, StreamMessage};
use crate::{EventError, Events, PushedValues};

/// The member Stream mode names an event's type with (a header of the message).
const EVENT_TYPE_HEADER: &str = "eventType";

/// A [`Handler`] that decodes each message into `E` and passes the result with the message
/// to the inner handler, which decides the acknowledgement. An `EVENT` is decoded by its
/// `eventType` header, a `CALLBACK` by its topic (`/v1.0/im/bot/messages/get`); a type `E`
/// does not declare is its `Unknown` variant; a message whose data is not JSON, or whose
/// declared payload does not fit, is the `Err` (acknowledge it `Success` to drop it, or
/// `Later` to have it delivered again).
pub struct EventHandler<E, F> {
    handler: F,
    pushed: Option<PushedValues>,
    events: PhantomData<fn() -> E>,
}

impl<E, F> std::fmt::Debug for EventHandler<E, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventHandler")
            .field("pushed", &self.pushed.is_some())
            .finish_non_exhaustive()
    }
}

/// Decodes messages into the platform's events `E` for `handler`:
/// `client.run(stream::events(|event: Result<Event, _>, message| async { ... }), shutdown)`.
pub fn events<E, F, Fut>(handler: F) -> EventHandler<E, F>
where
    E: Events,
    F: FnMut(Result<E, EventError>, StreamMessage) -> Fut + Send,
    Fut: Future<Output = Ack> + Send,
{
    EventHandler {
        handler,
        pushed: None,
        events: PhantomData,
    }
}

impl<E, F> EventHandler<E, F> {
    /// Keeps the values events push (DingTalk's suite ticket) in `values`, for the client's
    /// token requests (`ClientBuilder::pushed_values` with the same values).
    pub fn pushed_values(mut self, values: PushedValues) -> Self {
        self.pushed = Some(values);
        self
    }
}

impl<E, F, Fut> Handler for EventHandler<E, F>
where
    E: Events,
    F: FnMut(Result<E, EventError>, StreamMessage) -> Fut + Send,
    Fut: Future<Output = Ack> + Send,
{
    fn handle(&mut self, message: StreamMessage) -> impl Future<Output = Ack> + Send {
        let decoded = decode::<E>(&message);
        if let (Some(values), Ok(event)) = (&self.pushed, &decoded) {
            if let Some((name, value)) = event.pushed_value() {
                values.set(name, value);
            }
        }
        (self.handler)(decoded, message)
    }
}

/// The event a message carries.
pub fn decode<E: Events>(message: &StreamMessage) -> Result<E, EventError> {
    let event_type = match message.kind() {
        MessageKind::Callback => Some(message.topic()),
        _ => message.event_type(),
    }
    .ok_or(EventError::NoType {
        field: EVENT_TYPE_HEADER,
    })?
    .to_owned();
    let payload = serde_json::from_str(message.data()).map_err(EventError::NotJson)?;
    E::decode(&event_type, payload)
}
