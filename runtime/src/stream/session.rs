//! The session loop: open a connection, read frames, answer pings, hand events and callbacks
//! to the handler one at a time and acknowledge them, skip what cannot be read, and open a
//! new connection (after a backoff wait when it failed) until the shutdown future completes.

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::{Instant, Sleep};
use tokio_tungstenite::tungstenite::Message;

use super::connection::{describe_ws_error, Socket};
use super::dedup::Dedup;
use super::frame::{self, Frame, FrameKind};
use super::{Ack, MessageKind, StreamClient, StreamError, StreamMessage};

/// How long closing the WebSocket may take before it is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// What handles the events and callbacks of a stream session.
///
/// Implemented by every `FnMut(StreamMessage) -> impl Future<Output = Ack>` closure whose
/// future is `Send`, such as `|message| async move { Ack::Success }`; implement it on a type
/// for a handler with state of its own.
///
/// The session calls the handler for one message at a time, in the order they arrive, and
/// sends the acknowledgement it returns. While the handler runs, the session keeps reading:
/// it answers pings and queues the messages that arrive meanwhile.
pub trait Handler: Send {
    /// Handles one message and says how to acknowledge it.
    fn handle(&mut self, message: StreamMessage) -> impl Future<Output = Ack> + Send;
}

impl<F, Fut> Handler for F
where
    F: FnMut(StreamMessage) -> Fut + Send,
    Fut: Future<Output = Ack> + Send,
{
    fn handle(&mut self, message: StreamMessage) -> impl Future<Output = Ack> + Send {
        self(message)
    }
}

/// Runs the session until `shutdown` completes, or until a failure that retrying cannot heal.
pub(crate) async fn run<H, S>(
    client: &StreamClient,
    handler: &mut H,
    shutdown: S,
) -> Result<(), StreamError>
where
    H: Handler,
    S: Future<Output = ()>,
{
    let config = client.config();
    let mut shutdown = pin!(shutdown);
    let mut dedup = Dedup::new(config.dedup_capacity);
    let mut failures: u32 = 0;
    loop {
        let Some(attempt) = race(shutdown.as_mut(), client.connect()).await else {
            return Ok(());
        };
        let error = match attempt {
            Err(error) => error,
            Ok((socket, endpoint)) => {
                tracing::info!(endpoint = %endpoint, "stream connection open");
                let mut link = Link::new(socket, config.keepalive);
                match serve(&mut link, handler, &mut dedup, shutdown.as_mut()).await {
                    End::Shutdown => return Ok(()),
                    End::Disconnect => {
                        // A planned disconnect: a new connection at once.
                        tracing::info!(endpoint = %endpoint, "stream connection closed by the server's disconnect notice; reconnecting");
                        failures = 0;
                        continue;
                    }
                    End::Lost(reason) => {
                        if link.worked {
                            failures = 0;
                        }
                        StreamError::Lost { endpoint, reason }
                    }
                }
            }
        };
        if !error.is_retryable() {
            return Err(error);
        }
        failures = failures.saturating_add(1);
        if config
            .max_consecutive_failures
            .is_some_and(|max| failures >= max)
        {
            return Err(error);
        }
        let wait = config
            .backoff
            .delay(failures.saturating_sub(1), fastrand::f64());
        tracing::warn!(error = %error, wait = ?wait, failures, "stream connection failed; trying again");
        if race(shutdown.as_mut(), tokio::time::sleep(wait))
            .await
            .is_none()
        {
            return Ok(());
        }
    }
}

/// Polls `shutdown` first, then `future`: `None` if the shutdown completed first.
async fn race<S, F>(mut shutdown: Pin<&mut S>, future: F) -> Option<F::Output>
where
    S: Future<Output = ()>,
    F: Future,
{
    let mut future = pin!(future);
    poll_fn(|cx| {
        if shutdown.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        future.as_mut().poll(cx).map(Some)
    })
    .await
}

/// How a connection ended.
enum End {
    /// The shutdown future completed.
    Shutdown,
    /// The server announced `disconnect` and the queued messages were handled.
    Disconnect,
    /// The connection failed or was closed without notice.
    Lost(String),
}

/// The state of a connection.
enum State {
    /// Reading and writing.
    Open,
    /// The server sent `disconnect`: the queued messages are still handled and acknowledged,
    /// then the client closes; `closed` once the server closed first.
    Draining { closed: bool },
    /// Failed: queued messages are still handled (and remembered as acknowledged), but no
    /// acknowledgement can be sent.
    Lost(String),
}

/// One WebSocket connection and what the session keeps about it.
struct Link {
    socket: Socket,
    state: State,
    /// Messages received while the handler was busy, oldest first.
    pending: VecDeque<Frame>,
    /// The keepalive interval and its timer, reset by every message received.
    keepalive: Option<(Duration, Pin<Box<Sleep>>)>,
    /// A WebSocket ping was sent and nothing has arrived since.
    ping_outstanding: bool,
    /// At least one frame of the protocol arrived.
    worked: bool,
}

/// What arrived on a connection, or that nothing did for a keepalive interval.
enum Input {
    Message(Message),
    Failed(String),
    Closed,
    Idle,
}

impl Link {
    fn new(socket: Socket, keepalive: Option<Duration>) -> Self {
        Self {
            socket,
            state: State::Open,
            pending: VecDeque::new(),
            keepalive: keepalive.map(|interval| (interval, Box::pin(tokio::time::sleep(interval)))),
            ping_outstanding: false,
            worked: false,
        }
    }

    fn can_read(&self) -> bool {
        matches!(self.state, State::Open | State::Draining { closed: false })
    }

    /// The next input, if any is ready.
    fn poll_input(&mut self, cx: &mut Context<'_>) -> Poll<Input> {
        if self.can_read() {
            match self.socket.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(message))) => return Poll::Ready(Input::Message(message)),
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Input::Failed(describe_ws_error(&error)))
                }
                Poll::Ready(None) => return Poll::Ready(Input::Closed),
                Poll::Pending => {}
            }
        }
        if let (State::Open, Some((_, timer))) = (&self.state, &mut self.keepalive) {
            if timer.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Input::Idle);
            }
        }
        Poll::Pending
    }

    /// Acts on an input: answers pings, queues messages, notes a disconnect or a failure.
    async fn on_input(&mut self, input: Input) {
        match input {
            Input::Message(message) => {
                self.ping_outstanding = false;
                if let Some((interval, timer)) = &mut self.keepalive {
                    timer.as_mut().reset(Instant::now() + *interval);
                }
                self.on_message(message).await;
            }
            Input::Failed(reason) => self.lose(reason),
            Input::Closed => self.lose("the server closed the connection".to_owned()),
            Input::Idle => {
                if self.ping_outstanding {
                    self.lose("nothing arrived after a keepalive ping".to_owned());
                    return;
                }
                self.ping_outstanding = true;
                if let Some((interval, timer)) = &mut self.keepalive {
                    timer.as_mut().reset(Instant::now() + *interval);
                }
                self.send(Message::Ping(Default::default())).await;
            }
        }
    }

    async fn on_message(&mut self, message: Message) {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => {
                self.lose("the server closed the connection".to_owned());
                return;
            }
            Message::Binary(bytes) => {
                tracing::warn!(
                    bytes = bytes.len(),
                    "skipping a binary stream frame: the protocol sends JSON text"
                );
                return;
            }
            // tungstenite answers pings itself; pongs only show the connection is alive.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return,
        };
        let frame = match Frame::parse(text.as_str()) {
            Ok(frame) => frame,
            Err(error) => {
                tracing::warn!(error = %error, bytes = text.len(), "skipping a stream frame that is not a protocol frame");
                return;
            }
        };
        self.worked = true;
        match &frame.kind {
            FrameKind::System => self.on_system(&frame).await,
            FrameKind::Message(_) => self.pending.push_back(frame),
            FrameKind::Unknown(kind) => {
                tracing::warn!(frame_type = %kind, "skipping a stream frame of an unknown type");
            }
        }
    }

    async fn on_system(&mut self, frame: &Frame) {
        match frame.header("topic") {
            Some("ping") => {
                let Some(message_id) = frame.header("messageId").filter(|id| !id.is_empty()) else {
                    tracing::warn!("skipping a stream ping without a messageId");
                    return;
                };
                match frame::pong(message_id, &frame.data) {
                    Ok(text) => self.send(Message::text(text)).await,
                    Err(error) => tracing::warn!(error = %error, "cannot encode a ping reply"),
                }
            }
            Some("disconnect") => {
                tracing::info!(data = %frame.data, "the stream server announced a disconnect");
                if matches!(self.state, State::Open) {
                    self.state = State::Draining { closed: false };
                }
            }
            other => {
                tracing::warn!(topic = ?other, "skipping a SYSTEM stream frame of an unknown topic");
            }
        }
    }

    /// Sends a frame if the connection can; a failure loses the connection.
    async fn send(&mut self, message: Message) {
        if !self.can_read() {
            return;
        }
        if let Err(error) = self.socket.send(message).await {
            self.lose(describe_ws_error(&error));
        }
    }

    fn lose(&mut self, reason: String) {
        self.state = match &self.state {
            State::Open => State::Lost(reason),
            // After a disconnect notice the server is expected to close.
            State::Draining { .. } => State::Draining { closed: true },
            State::Lost(first) => State::Lost(first.clone()),
        };
    }

    async fn close(&mut self) {
        if self.can_read() {
            // A close frame, then the connection is dropped whatever the server does.
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.socket.close(None)).await;
        }
    }
}

/// Serves one connection until it ends.
async fn serve<H, S>(
    link: &mut Link,
    handler: &mut H,
    dedup: &mut Dedup,
    mut shutdown: Pin<&mut S>,
) -> End
where
    H: Handler,
    S: Future<Output = ()>,
{
    loop {
        if let Some(frame) = link.pending.pop_front() {
            if dispatch(link, handler, dedup, shutdown.as_mut(), frame)
                .await
                .is_none()
            {
                link.close().await;
                return End::Shutdown;
            }
            continue;
        }
        match &link.state {
            State::Open => {}
            State::Draining { .. } => {
                link.close().await;
                return End::Disconnect;
            }
            State::Lost(reason) => return End::Lost(reason.clone()),
        }
        let input = poll_fn(|cx| {
            if shutdown.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            link.poll_input(cx).map(Some)
        })
        .await;
        match input {
            None => {
                link.close().await;
                return End::Shutdown;
            }
            Some(input) => link.on_input(input).await,
        }
    }
}

/// Hands one message to the handler, or acknowledges a message already acknowledged again;
/// `None` if the shutdown completed meanwhile.
async fn dispatch<H, S>(
    link: &mut Link,
    handler: &mut H,
    dedup: &mut Dedup,
    shutdown: Pin<&mut S>,
    frame: Frame,
) -> Option<()>
where
    H: Handler,
    S: Future<Output = ()>,
{
    let FrameKind::Message(kind) = frame.kind else {
        return Some(());
    };
    let Some(message_id) = frame
        .header("messageId")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
    else {
        tracing::warn!(kind = %kind, "skipping a stream message without a messageId: it cannot be acknowledged");
        return Some(());
    };
    let keys = dedup_keys(kind, &message_id, &frame);
    if let Some(ack) = dedup.get(&keys) {
        tracing::debug!(kind = %kind, message_id = %message_id, "acknowledging a message delivered again without handling it again");
        let ack = ack.clone();
        send_ack(link, kind, &message_id, &ack).await;
        return Some(());
    }
    let message = StreamMessage::new(kind, frame.headers, frame.data);
    let ack = drive(link, handler.handle(message), shutdown).await?;
    if ack.is_success() {
        dedup.insert(keys, ack.clone());
    }
    send_ack(link, kind, &message_id, &ack).await;
    Some(())
}

/// The keys a message is remembered by: its `messageId`, and for an event its `eventId`,
/// which stays the same when DingTalk delivers the event again.
fn dedup_keys(kind: MessageKind, message_id: &str, frame: &Frame) -> Vec<String> {
    let mut keys = vec![format!("message:{message_id}")];
    if kind == MessageKind::Event {
        if let Some(event_id) = frame.header("eventId").filter(|id| !id.is_empty()) {
            keys.push(format!("event:{event_id}"));
        }
    }
    keys
}

async fn send_ack(link: &mut Link, kind: MessageKind, message_id: &str, ack: &Ack) {
    match frame::ack(kind, message_id, ack) {
        Ok(text) => link.send(Message::text(text)).await,
        Err(error) => tracing::warn!(error = %error, "cannot encode an acknowledgement"),
    }
}

/// Runs the handler's future while the connection keeps being read: pings are answered and
/// new messages queued. `None` if the shutdown completed first (the handler's future is
/// dropped).
async fn drive<F, S>(link: &mut Link, future: F, mut shutdown: Pin<&mut S>) -> Option<Ack>
where
    F: Future<Output = Ack>,
    S: Future<Output = ()>,
{
    let mut future = pin!(future);
    loop {
        let step = poll_fn(|cx| {
            if shutdown.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Step::Shutdown);
            }
            if let Poll::Ready(ack) = future.as_mut().poll(cx) {
                return Poll::Ready(Step::Done(ack));
            }
            link.poll_input(cx).map(Step::Input)
        })
        .await;
        match step {
            Step::Shutdown => return None,
            Step::Done(ack) => return Some(ack),
            Step::Input(input) => link.on_input(input).await,
        }
    }
}

enum Step {
    Shutdown,
    Done(Ack),
    Input(Input),
}
