//! The receiving side end to end, on the kitchen-sink platform's typed events: an encrypted
//! callback POSTed over HTTP to the axum router on loopback yields the typed event and an
//! encrypted `success` reply that decrypts; forged, stale and undecodable callbacks are
//! refused before the handler; Stream-mode messages decode into the same `Event`.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use open_platform_runtime::callback::{self, CallbackCrypto, EncryptedReply, Receiver};
use open_platform_runtime::stream::{self, Ack, MessageKind, StreamMessage};
use open_platform_runtime::{EventError, Events as _};
use tests::kitchen_sink::events::Event;
use tokio::sync::mpsc;

/// The key and ids of DingTalk's documented callback example (its 加解密方案 page; the
/// runtime's `callback_crypto` tests cite the sources).
const TOKEN: &str = "123456";
const AES_KEY: &str = "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij";
const OWNER: &str = "suite4xxxxxxxxxxxxxxx";

fn crypto() -> CallbackCrypto {
    CallbackCrypto::new(TOKEN, AES_KEY, OWNER).expect("the documented key")
}

fn millis(time: SystemTime) -> String {
    time.duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis()
        .to_string()
}

/// A callback as the platform sends it: the query and the body.
fn callback(event: &str, sent_at: SystemTime) -> (String, String) {
    let sealed = crypto()
        .encrypt(event, &millis(sent_at), "nEXhMP4r")
        .expect("encrypts");
    let query = format!(
        "signature={}&timestamp={}&nonce={}",
        sealed.signature, sealed.timestamp, sealed.nonce
    );
    (query, format!(r#"{{"encrypt":"{}"}}"#, sealed.encrypt))
}

/// The router on a loopback port, its events sent to the returned channel.
async fn serve() -> (String, mpsc::UnboundedReceiver<Event>) {
    let (sent, received) = mpsc::unbounded_channel();
    let router = callback::router(Receiver::<Event>::new(crypto()), move |event: Event| {
        let sent = sent.clone();
        async move {
            let _ = sent.send(event);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{address}/"), received)
}

#[tokio::test]
async fn a_callback_posted_over_http_yields_the_typed_event_and_an_encrypted_success() {
    let (url, mut events) = serve().await;
    let (query, body) = callback(
        r#"{"EventType":"thing_added","ThingIds":[7,8],"TimeStamp":"1546"}"#,
        SystemTime::now(),
    );
    let response = reqwest::Client::new()
        .post(format!("{url}?{query}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let reply: EncryptedReply = response.json().await.expect("the reply is JSON");
    let success = crypto()
        .decrypt(&reply.query(), &reply.encrypt, SystemTime::now())
        .expect("the reply is signed and encrypted for this app");
    assert_eq!(success, "success");

    let event = events.try_recv().expect("the handler got the event");
    match event {
        Event::ThingAdded(added) => assert_eq!(added.thing_ids, [7, 8]),
        other => panic!("not ThingAdded: {other:?}"),
    }
}

#[tokio::test]
async fn forged_stale_and_undecodable_callbacks_never_reach_the_handler() {
    let (url, mut events) = serve().await;
    let client = reqwest::Client::new();
    let post = |query: String, body: String| {
        let request = client.post(format!("{url}?{query}")).body(body);
        async move { request.send().await.expect("the server answers") }
    };

    let (query, body) = callback(
        r#"{"EventType":"thing_added","ThingIds":[1]}"#,
        SystemTime::now(),
    );
    let forged = query.replacen("signature=", "signature=0", 1);
    let response = post(forged, body.clone()).await;
    assert_eq!(response.status(), 403);

    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    let (stale_query, stale_body) = callback(
        r#"{"EventType":"thing_added","ThingIds":[1]}"#,
        two_hours_ago,
    );
    let response = post(stale_query, stale_body).await;
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .expect("a reason")
            .contains("timestamp"),
        "the reason names the timestamp"
    );

    let (query, body) = callback(
        r#"{"EventType":"thing_added","ThingIds":["x"]}"#,
        SystemTime::now(),
    );
    let response = post(query, body).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .expect("a reason")
            .contains("ThingIds[0]"),
        "the reason names the member"
    );

    let response = post(String::new(), "not even JSON".to_owned()).await;
    assert_eq!(response.status(), 403);

    assert!(events.try_recv().is_err(), "no event reached the handler");
}

#[test]
fn stream_messages_decode_into_the_same_events() {
    let headers = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let event = StreamMessage::new(
        MessageKind::Event,
        headers(&[
            ("eventType", "thing_added"),
            ("messageId", "m-1"),
            ("topic", "*"),
        ]),
        r#"{"EventType":"thing_added","ThingIds":[3]}"#,
    );
    let decoded: Event = stream::decode(&event).expect("a declared event");
    assert!(
        matches!(&decoded, Event::ThingAdded(added) if added.thing_ids == [3]),
        "{decoded:?}"
    );

    let unknown = StreamMessage::new(
        MessageKind::Event,
        headers(&[("eventType", "thing_painted"), ("messageId", "m-2")]),
        r#"{"colour":"red"}"#,
    );
    let decoded: Event = stream::decode(&unknown).expect("kept as Unknown");
    assert_eq!(decoded.event_type(), "thing_painted");

    let untyped = StreamMessage::new(MessageKind::Event, headers(&[("messageId", "m-3")]), "{}");
    assert!(matches!(
        stream::decode::<Event>(&untyped),
        Err(EventError::NoType { field: "eventType" })
    ));
    let garbled = StreamMessage::new(
        MessageKind::Event,
        headers(&[("eventType", "thing_added"), ("messageId", "m-4")]),
        "{not json",
    );
    assert!(matches!(
        stream::decode::<Event>(&garbled),
        Err(EventError::NotJson(_))
    ));
}

#[tokio::test]
async fn the_typed_stream_handler_passes_the_decoded_event_and_returns_its_ack() {
    use open_platform_runtime::stream::Handler as _;
    let mut seen = Vec::new();
    {
        let mut handler =
            stream::events(|event: Result<Event, EventError>, message: StreamMessage| {
                seen.push((
                    event.map(|e| e.event_type().to_owned()).ok(),
                    message.message_id().to_owned(),
                ));
                async { Ack::Later }
            });
        let message = StreamMessage::new(
            MessageKind::Event,
            [("eventType", "thing_added"), ("messageId", "m-9")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            r#"{"EventType":"thing_added","ThingIds":[]}"#,
        );
        let ack = handler.handle(message).await;
        assert_eq!(ack, Ack::Later);
    }
    assert_eq!(seen, [(Some("thing_added".to_owned()), "m-9".to_owned())]);
}

/// DingTalk's suite ticket, pushed as a callback (the archived 推送suite_ticket事件 page's
/// decrypted example, `specs/dingtalk/sources/045_event_suite_ticket_http.txt`), lands in the
/// receiver's `PushedValues`, where the corporation token request takes it from.
#[test]
fn a_pushed_suite_ticket_is_kept_for_the_token_requests() {
    use open_platform_clients::dingtalk::events::Event as DingTalkEvent;
    use open_platform_runtime::PushedValues;

    let example = r#"{
  "SuiteKey": "xxxxxx",
  "EventType": "suite_ticket",
  "TimeStamp": 123456,
  "SuiteTicket": "xxxxxx"
}"#;
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/dingtalk/sources/045_event_suite_ticket_http.txt"
    ))
    .expect("the committed page");
    assert!(page.contains(example), "the page's own example");

    let now = SystemTime::now();
    let (query, body) = callback(example, now);
    let pushed = PushedValues::new();
    let receiver = Receiver::<DingTalkEvent>::new(crypto()).pushed_values(pushed.clone());
    let (event, _reply) = receiver
        .handle_at(&query, &Default::default(), body.as_bytes(), now)
        .expect("a genuine callback");
    assert!(
        matches!(event, DingTalkEvent::SuiteTicketPushed(_)),
        "{event:?}"
    );
    assert_eq!(pushed.get("suiteTicket").as_deref(), Some("xxxxxx"));
}
