//! DingTalk Stream mode (cargo feature `stream`) against a local gateway: `connections/open`
//! served by wiremock, and a WebSocket server on 127.0.0.1 written here that pushes frames and
//! reads the client's replies. The expected replies are the shapes of DingTalk's protocol page
//! (open-dingtalk/developerpedia `docs/learn/stream/protocol.md`: the ping, event and robot
//! callback reply examples), written compactly.

#![cfg(feature = "stream")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use open_platform_runtime::stream::{
    Ack, BackoffPolicy, Handler, MessageKind, OpenError, StreamClient, StreamClientBuilder,
    StreamError, StreamMessage, Subscription, BOT_MESSAGE_TOPIC,
};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// How long any one step of a test may take before it fails instead of hanging.
const STEP: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// the local gateway
// ---------------------------------------------------------------------------------------------

/// Answers `connections/open` with the WebSocket server's endpoint and a new ticket each call
/// (`ticket-1`, `ticket-2`, ...), after answering the first `failures` calls with `failure`.
struct Tickets {
    endpoint: String,
    calls: AtomicUsize,
    failures: usize,
    failure: ResponseTemplate,
}

impl Respond for Tickets {
    fn respond(&self, _request: &wiremock::Request) -> ResponseTemplate {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call <= self.failures {
            return self.failure.clone();
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "endpoint": self.endpoint,
            "ticket": format!("ticket-{}", call),
        }))
    }
}

/// One accepted WebSocket connection, with the path and query it was requested with.
struct ServerConnection {
    target: String,
    socket: WebSocketStream<TcpStream>,
}

impl ServerConnection {
    async fn send(&mut self, text: &str) {
        self.socket
            .send(Message::text(text.to_owned()))
            .await
            .expect("the server sends a frame");
    }

    /// The next text frame the client sent.
    async fn recv(&mut self) -> String {
        loop {
            let message = tokio::time::timeout(STEP, self.socket.next())
                .await
                .expect("a reply within the step's time")
                .expect("the connection is open")
                .expect("the frame is readable");
            match message {
                Message::Text(text) => return text.as_str().to_owned(),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// Reads until the client closes the connection.
    async fn until_closed(&mut self) {
        loop {
            match tokio::time::timeout(STEP, self.socket.next())
                .await
                .expect("the client closes within the step's time")
            {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(other)) => panic!("expected the client to close, got {other:?}"),
            }
        }
    }
}

struct Gateway {
    http: MockServer,
    connections: mpsc::UnboundedReceiver<ServerConnection>,
}

impl Gateway {
    /// A gateway whose first `failures` open calls are answered with `failure`.
    async fn start_failing(failures: usize, failure: ResponseTemplate) -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let (sender, connections) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let target = Arc::new(Mutex::new(String::new()));
                let seen = Arc::clone(&target);
                // The `Err` type is tungstenite's, not ours to shrink.
                #[allow(clippy::result_large_err)]
                let callback = move |request: &Request, response: Response| {
                    *seen.lock().unwrap() = request.uri().to_string();
                    Ok(response)
                };
                let Ok(socket) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
                    continue;
                };
                let target = target.lock().unwrap().clone();
                if sender.send(ServerConnection { target, socket }).is_err() {
                    return;
                }
            }
        });
        let http = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1.0/gateway/connections/open"))
            .respond_with(Tickets {
                endpoint: format!("ws://{address}/connect"),
                calls: AtomicUsize::new(0),
                failures,
                failure,
            })
            .mount(&http)
            .await;
        Gateway { http, connections }
    }

    async fn start() -> Gateway {
        Self::start_failing(0, ResponseTemplate::new(500)).await
    }

    /// A client of this gateway, with waits of a millisecond.
    fn client(&self) -> StreamClientBuilder {
        StreamClient::builder("app-key", "app-secret")
            .base_url(self.http.uri())
            .backoff(BackoffPolicy::new(
                Duration::from_millis(1),
                Duration::from_millis(2),
            ))
    }

    /// The next WebSocket connection the client opens.
    async fn accept(&mut self) -> ServerConnection {
        tokio::time::timeout(STEP, self.connections.recv())
            .await
            .expect("a connection within the step's time")
            .expect("the WebSocket server runs")
    }

    async fn open_calls(&self) -> usize {
        self.http
            .received_requests()
            .await
            .unwrap_or_default()
            .len()
    }
}

/// A session running in the background, stopped by [`Running::stop`].
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), StreamError>>,
}

impl Running {
    fn start(client: StreamClient, handler: impl Handler + 'static) -> Running {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            client
                .run(handler, async {
                    let _ = stopped.await;
                })
                .await
        });
        Running { stop, task }
    }

    async fn stop(self) -> Result<(), StreamError> {
        let _ = self.stop.send(());
        tokio::time::timeout(STEP, self.task)
            .await
            .expect("the session stops within the step's time")
            .expect("the session does not panic")
    }
}

/// The messages the handler received, in order.
type Seen = Arc<Mutex<Vec<StreamMessage>>>;

/// A handler that records each message and acknowledges it with `decide`.
fn recording(
    decide: impl FnMut(&StreamMessage) -> Ack + Send + 'static,
) -> (Seen, impl Handler + 'static) {
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    let decide = Arc::new(Mutex::new(decide));
    let handler = move |message: StreamMessage| {
        let ack = (decide.lock().unwrap())(&message);
        record.lock().unwrap().push(message);
        async move { ack }
    };
    (seen, handler)
}

fn message_ids(seen: &Seen) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|message| message.message_id().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// frames
// ---------------------------------------------------------------------------------------------

/// An `EVENT` frame as the protocol page's example shows it.
fn event(message_id: &str, event_id: &str, event_type: &str, data: &Value) -> String {
    json!({
        "specVersion": "1.0",
        "type": "EVENT",
        "headers": {
            "topic": "*",
            "messageId": message_id,
            "contentType": "application/json",
            "time": "1683533823336",
            "eventType": event_type,
            "eventId": event_id,
            "eventCorpId": "ding9f50b15b",
            "eventBornTime": "1683533823336",
            "eventUnifiedAppId": "bbb381b6"
        },
        "data": data.to_string(),
    })
    .to_string()
}

/// A robot message `CALLBACK` frame.
fn callback(message_id: &str, data: &Value) -> String {
    json!({
        "specVersion": "1.0",
        "type": "CALLBACK",
        "headers": {
            "appId": "1305d5f5",
            "contentType": "application/json",
            "messageId": message_id,
            "time": "1690362102194",
            "topic": BOT_MESSAGE_TOPIC
        },
        "data": data.to_string(),
    })
    .to_string()
}

fn ping(message_id: &str, opaque: &str) -> String {
    json!({
        "specVersion": "1.0",
        "type": "SYSTEM",
        "headers": {"topic": "ping", "messageId": message_id, "contentType": "application/json"},
        "data": json!({"opaque": opaque}).to_string(),
    })
    .to_string()
}

fn disconnect() -> String {
    json!({
        "specVersion": "1.0",
        "type": "SYSTEM",
        "headers": {"topic": "disconnect", "contentType": "application/json"},
        "data": "{\"reason\":\"connection is expired\"}",
    })
    .to_string()
}

/// The exact acknowledgement of an event.
fn event_ack(message_id: &str, status: &str) -> String {
    let text = status.to_lowercase();
    format!(
        r#"{{"code":200,"headers":{{"contentType":"application/json","messageId":"{message_id}"}},"message":"OK","data":"{{\"status\":\"{status}\",\"message\":\"{text}\"}}"}}"#
    )
}

// ---------------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn events_and_callbacks_are_acknowledged_as_the_handler_decides() {
    let mut gateway = Gateway::start().await;
    let client = gateway.client().local_ip("10.0.0.1").build().unwrap();
    // `retry_me` is acknowledged LATER the first time, SUCCESS the second; a robot message
    // gets a response body.
    let mut calls: HashMap<String, usize> = HashMap::new();
    let (seen, handler) = recording(move |message| {
        let count = calls.entry(message.message_id().to_owned()).or_default();
        *count += 1;
        match (message.kind(), message.event_type()) {
            (MessageKind::Callback, _) => Ack::Respond(json!({"msgtype": "empty"})),
            (MessageKind::Event, Some("retry_me")) if *count == 1 => Ack::Later,
            _ => Ack::Success,
        }
    });
    let running = Running::start(client, handler);

    let mut server = gateway.accept().await;
    assert_eq!(server.target, "/connect?ticket=ticket-1");

    let data = json!({"timeStamp": "1685501863357", "userId": ["015xxxx227"]});
    server
        .send(&event("m-1", "e-1", "user_add_org", &data))
        .await;
    assert_eq!(server.recv().await, event_ack("m-1", "SUCCESS"));

    server
        .send(&event("m-2", "e-2", "retry_me", &json!({})))
        .await;
    assert_eq!(server.recv().await, event_ack("m-2", "LATER"));
    // An event acknowledged LATER is delivered again, and handled again.
    server
        .send(&event("m-2", "e-2", "retry_me", &json!({})))
        .await;
    assert_eq!(server.recv().await, event_ack("m-2", "SUCCESS"));

    let robot = json!({"msgtype": "text", "text": {"content": "hello"}});
    server.send(&callback("m-3", &robot)).await;
    assert_eq!(
        server.recv().await,
        r#"{"code":200,"headers":{"contentType":"application/json","messageId":"m-3"},"message":"OK","data":"{\"response\":{\"msgtype\":\"empty\"}}"}"#
    );

    running.stop().await.unwrap();
    assert_eq!(message_ids(&seen), ["m-1", "m-2", "m-2", "m-3"]);
    {
        let seen = seen.lock().unwrap();
        let first = &seen[0];
        assert_eq!(first.kind(), MessageKind::Event);
        assert_eq!(first.topic(), "*");
        assert_eq!(first.event_type(), Some("user_add_org"));
        assert_eq!(first.event_id(), Some("e-1"));
        assert_eq!(first.event_corp_id(), Some("ding9f50b15b"));
        assert_eq!(first.event_born_time(), Some(1_683_533_823_336));
        assert_eq!(first.header("eventUnifiedAppId"), Some("bbb381b6"));
        assert_eq!(first.data_json::<Value>().unwrap(), data);
        let robot_message = &seen[3];
        assert_eq!(robot_message.kind(), MessageKind::Callback);
        assert_eq!(robot_message.topic(), BOT_MESSAGE_TOPIC);
        assert_eq!(robot_message.event_type(), None);
        assert_eq!(robot_message.data(), robot.to_string());
    }

    // The open call: one POST with the documented body.
    let requests = gateway.http.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let ua = body["ua"].as_str().unwrap().to_owned();
    assert!(ua.starts_with("open-platform-sdk-rust/"), "{ua}");
    assert_eq!(
        body,
        json!({
            "clientId": "app-key",
            "clientSecret": "app-secret",
            "subscriptions": [
                {"type": "EVENT", "topic": "*"},
                {"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"}
            ],
            "ua": ua,
            "localIp": "10.0.0.1"
        })
    );
    assert_eq!(
        requests[0].headers.get("content-type").unwrap(),
        "application/json"
    );
}

#[tokio::test]
async fn pings_are_answered_with_their_opaque_even_while_the_handler_is_busy() {
    let mut gateway = Gateway::start().await;
    let client = gateway.client().build().unwrap();
    let release = Arc::new(Notify::new());
    let wait = Arc::clone(&release);
    let handler = move |_message: StreamMessage| {
        let wait = Arc::clone(&wait);
        async move {
            wait.notified().await;
            Ack::Success
        }
    };
    let running = Running::start(client, handler);
    let mut server = gateway.accept().await;

    server.send(&ping("p-1", "123-dsfs")).await;
    let pong = r#"{"code":200,"headers":{"contentType":"application/json","messageId":"p-1"},"message":"OK","data":"{\"opaque\":\"123-dsfs\"}"}"#;
    assert_eq!(server.recv().await, pong);

    // The handler holds the event; the ping that follows is answered first.
    server
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    server.send(&ping("p-2", "456")).await;
    let pong = r#"{"code":200,"headers":{"contentType":"application/json","messageId":"p-2"},"message":"OK","data":"{\"opaque\":\"456\"}"}"#;
    assert_eq!(server.recv().await, pong);
    release.notify_one();
    assert_eq!(server.recv().await, event_ack("m-1", "SUCCESS"));

    running.stop().await.unwrap();
}

#[tokio::test]
async fn a_dropped_connection_is_reopened_and_redeliveries_are_not_handled_again() {
    let mut gateway = Gateway::start().await;
    let client = gateway.client().build().unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let running = Running::start(client, handler);

    let mut first = gateway.accept().await;
    assert_eq!(first.target, "/connect?ticket=ticket-1");
    first
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(first.recv().await, event_ack("m-1", "SUCCESS"));
    first
        .send(&event("m-2", "e-2", "user_add_org", &json!({})))
        .await;
    assert_eq!(first.recv().await, event_ack("m-2", "SUCCESS"));
    // The connection drops without a close handshake, as if the acknowledgement of m-2 had
    // been lost with it.
    drop(first);

    let mut second = gateway.accept().await;
    assert_eq!(second.target, "/connect?ticket=ticket-2");
    // m-2 is delivered again: acknowledged again, not handled again.
    second
        .send(&event("m-2", "e-2", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-2", "SUCCESS"));
    // So is e-1 delivered again under a new messageId: the eventId is the event's own.
    second
        .send(&event("m-9", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-9", "SUCCESS"));
    second
        .send(&event("m-3", "e-3", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-3", "SUCCESS"));

    running.stop().await.unwrap();
    assert_eq!(message_ids(&seen), ["m-1", "m-2", "m-3"]);
    assert_eq!(gateway.open_calls().await, 2);
}

#[tokio::test]
async fn a_disconnect_notice_is_followed_by_a_new_connection_at_once() {
    let mut gateway = Gateway::start().await;
    // An hour of backoff: the test would time out if the reconnection waited for it.
    let client = gateway
        .client()
        .backoff(BackoffPolicy::new(
            Duration::from_secs(3600),
            Duration::from_secs(3600),
        ))
        .build()
        .unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let running = Running::start(client, handler);

    let mut first = gateway.accept().await;
    first
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(first.recv().await, event_ack("m-1", "SUCCESS"));
    first.send(&disconnect()).await;
    // The disconnect takes no reply: the client closes.
    first.until_closed().await;

    let mut second = gateway.accept().await;
    assert_eq!(second.target, "/connect?ticket=ticket-2");
    second
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-1", "SUCCESS"));
    second
        .send(&event("m-2", "e-2", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-2", "SUCCESS"));

    running.stop().await.unwrap();
    assert_eq!(message_ids(&seen), ["m-1", "m-2"]);
    assert_eq!(gateway.open_calls().await, 2);
}

#[tokio::test]
async fn frames_that_cannot_be_read_are_skipped_and_the_session_goes_on() {
    let mut gateway = Gateway::start().await;
    let client = gateway.client().build().unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let running = Running::start(client, handler);
    let mut server = gateway.accept().await;

    for text in [
        "not json",
        "[1, 2]",
        r#"{"specVersion":"1.0","headers":{"messageId":"x-1"},"data":"{}"}"#,
        r#"{"type":"EVENT","headers":{"messageId":"x-2"},"data":{"not":"text"}}"#,
        r#"{"specVersion":"2.0","type":"SOMETHING_NEW","headers":{"messageId":"x-3"},"data":"{}"}"#,
        r#"{"type":"SYSTEM","headers":{"topic":"mystery","messageId":"x-4"},"data":"{}"}"#,
        r#"{"type":"EVENT","headers":{"topic":"*","eventType":"user_add_org"},"data":"{}"}"#,
    ] {
        server.send(text).await;
    }
    server
        .socket
        .send(Message::binary(vec![0u8, 1, 2]))
        .await
        .unwrap();
    server
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    // The first reply is the valid event's acknowledgement: nothing else was answered.
    assert_eq!(server.recv().await, event_ack("m-1", "SUCCESS"));

    running.stop().await.unwrap();
    assert_eq!(message_ids(&seen), ["m-1"]);
    assert_eq!(gateway.open_calls().await, 1);
}

#[tokio::test]
async fn a_refused_secret_stops_the_session_with_the_status() {
    let gateway = Gateway::start_failing(
        usize::MAX,
        ResponseTemplate::new(401).set_body_string(r#"{"code":"invalidClientId"}"#),
    )
    .await;
    let client = gateway.client().build().unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let result = tokio::time::timeout(STEP, client.run(handler, std::future::pending()))
        .await
        .unwrap();
    let error = result.unwrap_err();
    assert!(!error.is_retryable());
    match &error {
        StreamError::Open(OpenError::Status {
            status, snippet, ..
        }) => {
            assert_eq!(*status, 401);
            assert_eq!(snippet, r#"{"code":"invalidClientId"}"#);
        }
        other => panic!("expected an HTTP status, got {other:?}"),
    }
    assert!(!error.to_string().contains("app-secret"), "{error}");
    assert_eq!(gateway.open_calls().await, 1);
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_server_error_on_open_is_retried_with_a_new_call() {
    let mut gateway = Gateway::start_failing(2, ResponseTemplate::new(500)).await;
    let client = gateway.client().build().unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let running = Running::start(client, handler);

    let mut server = gateway.accept().await;
    assert_eq!(server.target, "/connect?ticket=ticket-3");
    server
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(server.recv().await, event_ack("m-1", "SUCCESS"));

    running.stop().await.unwrap();
    assert_eq!(gateway.open_calls().await, 3);
    assert_eq!(message_ids(&seen), ["m-1"]);
}

#[tokio::test]
async fn an_open_answer_that_is_not_an_endpoint_is_a_decode_error_retried_until_the_limit() {
    for (body, expected) in [
        ("<html>busy</html>", "expected value"),
        (
            r#"{"endpoint":"https://example.com/connect","ticket":"t"}"#,
            "not a WebSocket URL",
        ),
        (
            r#"{"endpoint":"wss://example.com/connect","ticket":""}"#,
            "the ticket is empty",
        ),
    ] {
        let gateway =
            Gateway::start_failing(usize::MAX, ResponseTemplate::new(200).set_body_string(body))
                .await;
        let client = gateway
            .client()
            .max_consecutive_failures(Some(3))
            .build()
            .unwrap();
        let (_, handler) = recording(|_| Ack::Success);
        let error = tokio::time::timeout(STEP, client.run(handler, std::future::pending()))
            .await
            .unwrap()
            .unwrap_err();
        match &error {
            StreamError::Open(OpenError::Decode { message, .. }) => {
                assert!(message.contains(expected), "{body}: {message}");
            }
            other => panic!("{body}: expected a decode error, got {other:?}"),
        }
        assert!(error.is_retryable());
        assert_eq!(gateway.open_calls().await, 3, "{body}");
    }
}

#[tokio::test]
async fn open_connection_returns_the_endpoint_and_a_ticket_it_does_not_show() {
    let gateway = Gateway::start().await;
    let client = gateway.client().build().unwrap();
    let connection = client.open_connection().await.unwrap();
    assert_eq!(connection.ticket.expose(), "ticket-1");
    assert_eq!(connection.url().query(), Some("ticket=ticket-1"));
    let shown = format!("{connection:?}");
    assert!(!shown.contains("ticket-1"), "{shown}");
}

#[test]
fn the_builder_refuses_settings_that_cannot_work() {
    let refused = [
        StreamClient::builder("", "secret"),
        StreamClient::builder("key", " "),
        StreamClient::builder("key", "secret").subscriptions([]),
        StreamClient::builder("key", "secret").subscriptions([{
            let mut only_one = Subscription::events();
            only_one.topic = "user_add_org".to_owned();
            only_one
        }]),
        StreamClient::builder("key", "secret").subscriptions([Subscription::callback("")]),
        StreamClient::builder("key", "secret").base_url("not a url"),
        StreamClient::builder("key", "secret").base_url("ftp://example.com"),
        StreamClient::builder("key", "secret")
            .backoff(BackoffPolicy::new(Duration::ZERO, Duration::from_secs(1))),
        StreamClient::builder("key", "secret").backoff(BackoffPolicy::new(
            Duration::from_secs(2),
            Duration::from_secs(1),
        )),
        StreamClient::builder("key", "secret").keepalive(Some(Duration::ZERO)),
        StreamClient::builder("key", "secret").max_consecutive_failures(Some(0)),
    ];
    for builder in refused {
        let shown = format!("{builder:?}");
        match builder.build() {
            Err(StreamError::Config { .. }) => {}
            other => panic!("{shown}: expected a configuration error, got {other:?}"),
        }
    }
    let client = StreamClient::builder("key", "secret")
        .subscriptions([Subscription::callback("/v1.0/card/instances/callback")])
        .build()
        .unwrap();
    assert_eq!(
        client.subscriptions(),
        [Subscription::callback("/v1.0/card/instances/callback")]
    );
    assert!(!format!("{client:?}").contains("secret\""));
}

#[test]
fn backoff_doubles_up_to_its_cap_and_jitter_stays_within_half_of_it() {
    let policy = BackoffPolicy::new(Duration::from_secs(1), Duration::from_secs(8));
    let bases: Vec<u64> = (0..6).map(|n| policy.base_delay(n).as_secs()).collect();
    assert_eq!(bases, [1, 2, 4, 8, 8, 8]);
    assert_eq!(policy.base_delay(u32::MAX), Duration::from_secs(8));
    // Equal jitter: between half the delay and the whole of it.
    assert_eq!(policy.delay(2, 0.0), Duration::from_secs(2));
    assert_eq!(policy.delay(2, 0.5), Duration::from_secs(3));
    assert!(policy.delay(2, 0.999) < Duration::from_secs(4));
    assert_eq!(policy.delay(2, 7.0), Duration::from_secs(4));
    assert_eq!(policy.delay(2, f64::NAN), Duration::from_secs(2));
    let exact = policy.without_jitter();
    assert_eq!(exact.delay(1, 0.0), Duration::from_secs(2));
    assert_eq!(exact.delay(9, 0.3), Duration::from_secs(8));
}

#[tokio::test(start_paused = true)]
async fn the_session_waits_the_backoff_between_failed_opens() {
    // A port nothing listens on: every open call fails at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = StreamClient::builder("key", "secret")
        .base_url(format!("http://{address}"))
        .backoff(
            BackoffPolicy::new(Duration::from_secs(1), Duration::from_secs(4)).without_jitter(),
        )
        .max_consecutive_failures(Some(5))
        // No other timer than the backoff's, so that the paused clock moves only by its waits.
        .open_timeout(None)
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let (_, handler) = recording(|_| Ack::Success);
    let error = client
        .run(handler, std::future::pending())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StreamError::Open(OpenError::Transport { .. })),
        "{error:?}"
    );
    // Five attempts, four waits: 1 + 2 + 4 + 4 (capped) seconds.
    assert_eq!(start.elapsed(), Duration::from_secs(11));
}

#[test]
fn the_session_future_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let client = StreamClient::builder("key", "secret").build().unwrap();
    let future = client.run(
        |_message: StreamMessage| async { Ack::Success },
        std::future::pending(),
    );
    assert_send(&future);
}

#[tokio::test]
async fn a_failed_tls_handshake_is_a_connect_error_without_the_ticket() {
    // A TCP server that accepts and hangs up: the TLS client is set up (rustls, with the crypto
    // provider reqwest's `rustls-tls` brings) and its handshake fails.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            drop(stream);
        }
    });
    let http = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/gateway/connections/open"))
        .respond_with(Tickets {
            endpoint: format!("wss://{address}/connect"),
            calls: AtomicUsize::new(0),
            failures: 0,
            failure: ResponseTemplate::new(500),
        })
        .mount(&http)
        .await;
    let client = StreamClient::builder("key", "secret")
        .base_url(http.uri())
        .backoff(BackoffPolicy::new(
            Duration::from_millis(1),
            Duration::from_millis(1),
        ))
        .max_consecutive_failures(Some(2))
        .build()
        .unwrap();
    let (_, handler) = recording(|_| Ack::Success);
    let error = tokio::time::timeout(STEP, client.run(handler, std::future::pending()))
        .await
        .unwrap()
        .unwrap_err();
    match &error {
        StreamError::Connect { endpoint, .. } => {
            assert_eq!(endpoint, &format!("wss://{address}/connect"));
        }
        other => panic!("expected a handshake error, got {other:?}"),
    }
    assert!(
        !format!("{error} {error:?}").contains("ticket-"),
        "{error:?}"
    );
    assert_eq!(http.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_silent_connection_is_pinged_then_given_up_and_reopened() {
    let mut gateway = Gateway::start().await;
    // No timer but the keepalive's and the backoff's (the harness's step timeouts would move
    // the paused clock too, so this test awaits without them).
    let client = gateway
        .client()
        .keepalive(Some(Duration::from_secs(30)))
        .open_timeout(None)
        .build()
        .unwrap();
    let (seen, handler) = recording(|_| Ack::Success);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        client
            .run(handler, async {
                let _ = stopped.await;
            })
            .await
    });

    let mut first = gateway.connections.recv().await.unwrap();
    let start = tokio::time::Instant::now();
    // The first connection stays silent and this server does not read it, so the client's
    // WebSocket ping goes unanswered.
    let mut second = gateway.connections.recv().await.unwrap();
    let silent = start.elapsed();
    assert!(
        silent >= Duration::from_secs(60) && silent < Duration::from_secs(61),
        "{silent:?}"
    );
    assert_eq!(second.target, "/connect?ticket=ticket-2");
    match first.socket.next().await {
        Some(Ok(Message::Ping(_))) => {}
        other => panic!("expected the client's keepalive ping, got {other:?}"),
    }

    second
        .send(&event("m-1", "e-1", "user_add_org", &json!({})))
        .await;
    assert_eq!(second.recv().await, event_ack("m-1", "SUCCESS"));
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    assert_eq!(message_ids(&seen), ["m-1"]);
}
