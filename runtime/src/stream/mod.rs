//! DingTalk Stream mode (cargo feature `stream`): a WebSocket client that receives events and
//! callbacks instead of an HTTP callback URL, acknowledges them, answers the server's pings
//! and reconnects.
//!
//! # The protocol
//!
//! As described in DingTalk's "Stream 模式协议" (the open-dingtalk developerpedia page
//! `docs/learn/stream/protocol.md`, <https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol>,
//! which supplements the official page
//! <https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description>),
//! and as the official SDKs implement it (`open-dingtalk/dingtalk-stream-sdk-go`:
//! `client/client.go`, `payload/connection.go`, `payload/data_frame.go`, `event/event.go`,
//! `event/frame_handler.go`; `open-dingtalk/dingtalk-stream-sdk-python`:
//! `dingtalk_stream/stream.py`, `frames.py`, `handlers.py`;
//! `open-dingtalk/dingtalk-stream-sdk-java`: `ProtocolResponse.java`,
//! `SystemCommandExecutor.java`, `EventCommandExecutor.java`, `AckPayload.java`,
//! `CallbackResponsePayload.java`):
//!
//! 1. `POST {base}/v1.0/gateway/connections/open` with
//!    `{"clientId", "clientSecret", "subscriptions": [{"type", "topic"}], "ua", "localIp"}`
//!    answers `{"endpoint": "wss://...", "ticket": "..."}`; the ticket admits one connection
//!    within 90 seconds.
//! 2. A WebSocket to `endpoint?ticket=<ticket>`.
//! 3. The server pushes JSON text frames `{"specVersion", "type", "headers", "data"}`:
//!    `type` is `SYSTEM`, `EVENT` or `CALLBACK`; `headers` holds `topic`, `messageId`,
//!    `contentType`, `time` and, for events, `eventType`, `eventId`, `eventCorpId`,
//!    `eventBornTime`, `eventUnifiedAppId`; `data` is JSON text.
//! 4. The client answers each push with `{"code", "headers": {"contentType":
//!    "application/json", "messageId"}, "message", "data"}`:
//!    - `SYSTEM` `ping`: `code` 200, `message` `OK`, the ping's `data` (its `opaque`) back;
//!    - `EVENT`: `data` `{"status": "SUCCESS" | "LATER", "message": ...}`; an event not
//!      acknowledged with `SUCCESS` is delivered again;
//!    - `CALLBACK`: `data` `{"response": ...}` (for robot messages DingTalk ignores it:
//!      `{"response": null}` will do);
//!    - `SYSTEM` `disconnect` (`data` `{"reason"}`) takes no answer: the server goes quiet and
//!      closes the connection 10 seconds later, and the client opens a new one.
//!
//! Where the sources differ this module follows the protocol page: a `LATER` event is
//! acknowledged with `code` 200 (the Java SDK does the same; the Go SDK sends 500), the
//! `message` is `OK` (Go sends `ok`), and a ping's reply carries only `contentType` and
//! `messageId` as headers (Java adds `time`; the Python SDK compares the topic with
//! `TAG_DISCONNECT` instead of `disconnect`, a bug this module does not copy). See [`Ack`] for
//! the reply to each acknowledgement.
//!
//! # The session
//!
//! [`StreamClient::run`] hands each `EVENT` and `CALLBACK` to a [`Handler`], one at a time,
//! and sends the [`Ack`] it returns. Messages are remembered once acknowledged as processed
//! (a bounded set, [`StreamClientBuilder::dedup_capacity`]), by `messageId` and, for events,
//! by `eventId` too: DingTalk delivers an event again when its acknowledgement was lost or
//! late (its FAQ says duplicates stay possible even after a correct acknowledgement), and a
//! delivery of a remembered message is acknowledged again, with the same acknowledgement,
//! without calling the handler. Frames that are not JSON, frames of an unknown type or
//! `SYSTEM` topic, binary frames and messages without a `messageId` are skipped with a
//! `tracing` warning. A connection that cannot be opened or is lost is opened again after a
//! [`BackoffPolicy`] wait; `disconnect` is followed by a new connection at once.
//!
//! ```no_run
//! # async fn example() -> Result<(), open_platform_runtime::stream::StreamError> {
//! use open_platform_runtime::stream::{Ack, StreamClient};
//!
//! let client = StreamClient::builder("ding-app-key", "app-secret").build()?;
//! client
//!     .run(
//!         |message: open_platform_runtime::stream::StreamMessage| async move {
//!             println!("{} {:?}: {}", message.kind(), message.event_type(), message.data());
//!             Ack::Success
//!         },
//!         std::future::pending(),
//!     )
//!     .await
//! # }
//! ```

mod backoff;
mod client;
mod connection;
mod dedup;
mod frame;
mod session;
mod typed;

pub use backoff::BackoffPolicy;
pub use client::{
    StreamClient, StreamClientBuilder, StreamError, DEFAULT_BASE_URL, DEFAULT_DEDUP_CAPACITY,
};
pub use connection::{GatewayConnection, OpenError, Subscription, BOT_MESSAGE_TOPIC};
pub use frame::{Ack, MessageKind, StreamMessage};
pub use session::Handler;
pub use typed::{decode, events, EventHandler};
