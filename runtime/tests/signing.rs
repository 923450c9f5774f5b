//! Request signing (cargo feature `signing`): known-answer vectors for `sign` that do not come
//! from this code (each was computed with `openssl` on the command line, the command beside
//! it, or is the worked example of the platform's own documentation), the wire form of a
//! robot signature, and the client signing every attempt after adding its token.

#![cfg(feature = "signing")]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use md5::{Digest as _, Md5};
use open_platform_runtime::{
    sign, ApiRequest, AuthPlacement, Base, Body, BoxFuture, DigestAlgorithm, Error, FilePart,
    HttpRequest, HttpResponse, Method, Operation, Part, PartContent, Place, ReqwestTransport,
    RetryPolicy, Signing, SigningKey, SigningStyle, StaticToken, TimestampFormat, Transport,
    TransportError, TransportErrorKind,
};
use support::{base, builder, envelope};

// ---------------------------------------------------------------------------------------------
// descriptors
// ---------------------------------------------------------------------------------------------

/// DingTalk's custom robot: `timestamp` and `sign` in the query.
static ROBOT_SIGNING: Signing = Signing {
    id: "robot",
    style: SigningStyle::HmacTimestamp,
    timestamp: Place::Query("timestamp"),
    timestamp_format: TimestampFormat::UnixMillis,
    signature: Place::Query("sign"),
    key_id: None,
};

/// TOP's gateway: a China-time timestamp, the app key and the signature in the query.
const fn top(algorithm: DigestAlgorithm, signed: &'static [&'static str]) -> Signing {
    Signing {
        id: "top",
        style: SigningStyle::SortedParams { algorithm, signed },
        timestamp: Place::Query("timestamp"),
        timestamp_format: TimestampFormat::DateTimeUtc8,
        signature: Place::Query("sign"),
        key_id: Some(Place::Query("app_key")),
    }
}

static TOP_MD5: Signing = top(DigestAlgorithm::Md5, &[]);

fn at_millis(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

fn at_seconds(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// A request to `url` with `body`, as the runtime builds one before signing.
fn request(url: &str, body: Body) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: url.parse().expect("a URL"),
        headers: Vec::new(),
        body,
    }
}

/// The request of TOP's worked example, before signing.
fn top_example(sign_method: &str) -> HttpRequest {
    request(
        &format!(
            "https://eco.taobao.com/router/rest?method=taobao.user.seller.get&fields=nick\
             &format=xml&session=test&sign_method={sign_method}&v=2.0"
        ),
        Body::Empty,
    )
}

/// `2013-05-06 13:52:03` in China (UTC+8): `date -u -d '2013-05-06 05:52:03' +%s`.
const TOP_EXAMPLE_TIME: u64 = 1_367_819_523;

// ---------------------------------------------------------------------------------------------
// known answers
// ---------------------------------------------------------------------------------------------

#[test]
fn robot_signature_known_answers() {
    let key = SigningKey::new("SEC000example");
    let cases = [
        // printf '%s\n%s' 1577808000000 SEC000example \
        //   | openssl dgst -sha256 -hmac SEC000example -binary | base64
        (
            1_577_808_000_000,
            "dsdxUQENzowaJzB4GevwFv5/Gg+bFsHcHdCHfHCiUGo=",
        ),
        // printf '%s\n%s' 1577808000001 SEC000example \
        //   | openssl dgst -sha256 -hmac SEC000example -binary | base64
        (
            1_577_808_000_001,
            "tFX974srfIQFmflKHjG1GJ/3CA4j+UvZ7Jo2vjBXdFU=",
        ),
    ];
    for (millis, expected) in cases {
        let mut http = request(
            "https://oapi.dingtalk.com/robot/send?access_token=robot-token",
            Body::Empty,
        );
        sign(&ROBOT_SIGNING, &key, &mut http, at_millis(millis)).expect("signed");
        assert_eq!(http.query("timestamp"), Some(millis.to_string()));
        assert_eq!(http.query("sign").as_deref(), Some(expected));
        assert_eq!(http.query("access_token").as_deref(), Some("robot-token"));
    }
}

#[test]
fn top_md5_matches_the_documented_example() {
    // TOP's documented example ("API调用方法详解", 签名举例, as quoted in
    // https://segmentfault.com/q/1010000002569107): secret `test`, the signed text
    // `testapp_keytestfieldsnickformatxmlmethodtaobao.user.seller.getsessiontest
    // sign_methodmd5timestamp2013-05-06 13:52:03v2.0test`, and its stated result. Checked with
    // printf '%s' 'testapp_key...v2.0test' | openssl dgst -md5.
    let mut http = top_example("md5");
    let key = SigningKey::with_key_id("test", "test");

    sign(&TOP_MD5, &key, &mut http, at_seconds(TOP_EXAMPLE_TIME)).expect("signed");

    assert_eq!(
        http.query("timestamp").as_deref(),
        Some("2013-05-06 13:52:03")
    );
    assert_eq!(http.query("app_key").as_deref(), Some("test"));
    assert_eq!(
        http.query("sign").as_deref(),
        Some("72CB4D809B375A54502C09360D879C64")
    );
}

#[test]
fn top_md5_second_example() {
    // printf '%s' 'helloworldapp_key12345678fieldsnum_iid,title,nick,price,numformatjson\
    // methodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01
    // 12:00:00v2.0helloworld' | openssl dgst -md5   (one line, no breaks)
    // The time: date -u -d '2016-01-01 04:00:00' +%s
    let mut http = request(
        "https://eco.taobao.com/router/rest?method=taobao.item.seller.get\
         &fields=num_iid,title,nick,price,num&format=json&num_iid=11223344&session=test\
         &sign_method=md5&v=2.0",
        Body::Empty,
    );
    let key = SigningKey::with_key_id("12345678", "helloworld");

    sign(&TOP_MD5, &key, &mut http, at_seconds(1_451_620_800)).expect("signed");

    assert_eq!(
        http.query("timestamp").as_deref(),
        Some("2016-01-01 12:00:00")
    );
    assert_eq!(
        http.query("sign").as_deref(),
        Some("66987CB115214E59E6EC978214934FB8")
    );
}

#[test]
fn top_hmac_known_answers() {
    let key = SigningKey::with_key_id("test", "test");
    // printf '%s' 'app_keytestfieldsnickformatxmlmethodtaobao.user.seller.getsessiontest\
    // sign_methodhmactimestamp2013-05-06 13:52:03v2.0' | openssl dgst -md5 -hmac test
    let mut http = top_example("hmac");
    sign(
        &top(DigestAlgorithm::HmacMd5, &[]),
        &key,
        &mut http,
        at_seconds(TOP_EXAMPLE_TIME),
    )
    .expect("signed");
    assert_eq!(
        http.query("sign").as_deref(),
        Some("FA15A9D5B42AB2D6F3397843851ED09A")
    );

    // printf '%s' 'app_keytestfieldsnickformatxmlmethodtaobao.user.seller.getsessiontest\
    // sign_methodhmac-sha256timestamp2013-05-06 13:52:03v2.0' \
    //   | openssl dgst -sha256 -hmac test
    let mut http = top_example("hmac-sha256");
    sign(
        &top(DigestAlgorithm::HmacSha256, &[]),
        &key,
        &mut http,
        at_seconds(TOP_EXAMPLE_TIME),
    )
    .expect("signed");
    assert_eq!(
        http.query("sign").as_deref(),
        Some("267B9C1C7A2FE1CE413DBB95E596616D32107AE0992BE2C22143CFCE303E8E34")
    );
}

#[test]
fn signed_names_restrict_the_pairs() {
    // printf '%s' 'testmethodtaobao.user.seller.gettimestamp2013-05-06 13:52:03test' \
    //   | openssl dgst -md5
    static ONLY_TWO: Signing = top(DigestAlgorithm::Md5, &["method", "timestamp"]);
    let mut http = top_example("md5");

    sign(
        &ONLY_TWO,
        &SigningKey::with_key_id("test", "test"),
        &mut http,
        at_seconds(TOP_EXAMPLE_TIME),
    )
    .expect("signed");

    assert_eq!(
        http.query("sign").as_deref(),
        Some("86F4D1F89194483249BEE4AB4C9906F6")
    );
}

#[test]
fn a_json_body_follows_the_pairs() {
    // printf '%s' 'testapp_keytestmethoddingtalk.oapi.robot.sendsign_methodmd5timestamp
    // 2013-05-06 13:52:03v2.0{"msgtype":"text","text":{"content":"hi"}}test' | openssl dgst -md5
    // (one line: `timestamp2013-05-06`, no break)
    let json = br#"{"msgtype":"text","text":{"content":"hi"}}"#.to_vec();
    let mut http = request(
        "https://eco.taobao.com/router/rest?method=dingtalk.oapi.robot.send&sign_method=md5&v=2.0",
        Body::Json(json.clone()),
    );

    sign(
        &TOP_MD5,
        &SigningKey::with_key_id("test", "test"),
        &mut http,
        at_seconds(TOP_EXAMPLE_TIME),
    )
    .expect("signed");

    assert_eq!(
        http.query("sign").as_deref(),
        Some("F933EF1D83026FB96A5AB5472CC4C3CE")
    );
    assert_eq!(http.body, Body::Json(json), "the body is left as it was");
}

#[test]
fn form_fields_and_multipart_text_parts_are_signed_files_and_empty_values_are_not() {
    // printf '%s' 'testapp_keytestmethodtaobao.item.addnum3sign_methodmd5timestamp
    // 2013-05-06 13:52:03title春装v2.0test' | openssl dgst -md5   (one line, UTF-8)
    const EXPECTED: &str = "4F02FCECCA28130EF37CD8E939A43F5C";
    let url = "https://eco.taobao.com/router/rest?method=taobao.item.add&sign_method=md5&v=2.0";
    let key = SigningKey::with_key_id("test", "test");
    let text = |name: &str, value: &str| Part {
        name: name.to_owned(),
        content: PartContent::Text(value.to_owned()),
    };

    let form = Body::Form(vec![
        ("title".to_owned(), "春装".to_owned()),
        ("desc".to_owned(), String::new()),
        ("num".to_owned(), "3".to_owned()),
    ]);
    let mut http = request(url, form);
    sign(&TOP_MD5, &key, &mut http, at_seconds(TOP_EXAMPLE_TIME)).expect("signed");
    assert_eq!(http.query("sign").as_deref(), Some(EXPECTED));

    let multipart = Body::Multipart(vec![
        text("title", "春装"),
        Part {
            name: "image".to_owned(),
            content: PartContent::File(FilePart::from_bytes(&b"\x89PNG"[..])),
        },
        text("num", "3"),
    ]);
    let mut http = request(url, multipart);
    sign(&TOP_MD5, &key, &mut http, at_seconds(TOP_EXAMPLE_TIME)).expect("signed");
    assert_eq!(http.query("sign").as_deref(), Some(EXPECTED));
}

#[test]
fn each_time_gets_its_own_timestamp_and_signature() {
    let key = SigningKey::with_key_id("test", "test");
    let mut first = top_example("md5");
    let mut second = top_example("md5");

    sign(&TOP_MD5, &key, &mut first, at_seconds(TOP_EXAMPLE_TIME)).expect("signed");
    sign(
        &TOP_MD5,
        &key,
        &mut second,
        at_seconds(TOP_EXAMPLE_TIME + 1),
    )
    .expect("signed");

    assert_eq!(
        second.query("timestamp").as_deref(),
        Some("2013-05-06 13:52:04")
    );
    assert_ne!(first.query("timestamp"), second.query("timestamp"));
    assert_ne!(first.query("sign"), second.query("sign"));
}

#[test]
fn china_time_crosses_the_date_line_and_unix_seconds_are_plain() {
    // 2019-12-31 16:00:00 UTC is midnight in China: date -u -d '2019-12-31 16:00:00' +%s
    let key = SigningKey::with_key_id("k", "s");
    let mut http = top_example("md5");
    sign(&TOP_MD5, &key, &mut http, at_seconds(1_577_808_000)).expect("signed");
    assert_eq!(
        http.query("timestamp").as_deref(),
        Some("2020-01-01 00:00:00")
    );

    static SECONDS: Signing = Signing {
        timestamp_format: TimestampFormat::UnixSeconds,
        timestamp: Place::Header("x-timestamp"),
        signature: Place::Header("x-sign"),
        key_id: Some(Place::Header("x-app-key")),
        ..top(DigestAlgorithm::Md5, &[])
    };
    let mut http = top_example("md5");
    sign(&SECONDS, &key, &mut http, at_millis(1_577_808_000_999)).expect("signed");
    assert_eq!(http.header("x-timestamp"), Some("1577808000"));
    assert_eq!(http.header("x-app-key"), Some("k"));
    assert_eq!(http.header("x-sign").map(str::len), Some(32));
    assert_eq!(http.query("timestamp"), None);
}

#[test]
fn a_declared_key_id_needs_one() {
    let mut http = top_example("md5");

    let err = sign(
        &TOP_MD5,
        &SigningKey::new("secret only"),
        &mut http,
        at_seconds(TOP_EXAMPLE_TIME),
    )
    .expect_err("no key id");

    assert!(err.to_string().contains("SigningKey::with_key_id"), "{err}");
}

#[test]
fn a_signing_key_never_shows_its_secret() {
    let key = SigningKey::with_key_id("app-key-1", "very-secret");
    let shown = format!("{key:?}");
    assert!(shown.contains("app-key-1"), "{shown}");
    assert!(!shown.contains("very-secret"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// on the wire and through the client
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_robot_signature_is_percent_encoded_on_the_wire() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/robot/send"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(envelope(0, "ok")))
        .mount(&server)
        .await;
    let mut http = request(
        &format!("{}/robot/send?access_token=robot-token", server.uri()),
        Body::Empty,
    );
    sign(
        &ROBOT_SIGNING,
        &SigningKey::new("SEC000example"),
        &mut http,
        at_millis(1_577_808_000_000),
    )
    .expect("signed");

    ReqwestTransport::new()
        .expect("transport")
        .send(http)
        .await
        .expect("sent");

    let received = server.received_requests().await.expect("recording is on");
    // The base64 text `dsdxUQENzowaJzB4GevwFv5/Gg+bFsHcHdCHfHCiUGo=` with `/`, `+` and `=`
    // percent-encoded, as DingTalk asks ("把签名参数再进行urlEncode").
    assert_eq!(
        received[0].url.query(),
        Some(
            "access_token=robot-token&timestamp=1577808000000\
             &sign=dsdxUQENzowaJzB4GevwFv5%2FGg%2BbFsHcHdCHfHCiUGo%3D"
        )
    );
}

/// An in-process transport that records each request and answers from a script (an empty
/// script answers success).
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<HttpRequest>>>,
    script: Arc<Mutex<Vec<Result<HttpResponse, TransportError>>>>,
}

impl Recorder {
    fn seen(&self) -> Vec<HttpRequest> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.seen.lock().expect("not poisoned").push(request);
        let mut script = self.script.lock().expect("not poisoned");
        let answer = if script.is_empty() {
            Ok(HttpResponse::new(
                200,
                serde_json::to_vec(&envelope(0, "ok")).expect("json"),
            ))
        } else {
            script.remove(0)
        };
        Box::pin(async move { answer })
    }
}

static ROBOT: Base = base(Some(&ROBOT_SIGNING), AuthPlacement::Query("access_token"));
static ROBOT_SEND: Operation = Operation::new("robot.send", Method::Post, &ROBOT, "/robot/send");

struct RobotSend;

impl ApiRequest for RobotSend {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &ROBOT_SEND;
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    let recorder = Recorder::default();
    recorder
        .script
        .lock()
        .expect("not poisoned")
        .push(Err(TransportError {
            kind: TransportErrorKind::Connect,
            message: "refused".to_owned(),
        }));
    // A real delay between the attempts, so that the wall clock moves on.
    let retry = RetryPolicy::default().with_delays(
        Duration::from_millis(20),
        Duration::from_millis(20),
        Duration::ZERO,
    );
    let client = builder(&ROBOT, "https://oapi.example.invalid")
        .retry(retry)
        .token(StaticToken::new("robot-token"))
        .signing_key(SigningKey::new("SEC000example"))
        .transport(recorder.clone())
        .build()
        .expect("client builds")
        .0;

    client.send(RobotSend).await.expect("the retry succeeds");

    let seen = recorder.seen();
    assert_eq!(seen.len(), 2);
    let mut timestamps = Vec::new();
    for http in &seen {
        // One token, one timestamp and one signature each: nothing carried over.
        let names: Vec<String> = http
            .url
            .query_pairs()
            .map(|(k, _)| k.into_owned())
            .collect();
        assert_eq!(names, ["access_token", "timestamp", "sign"]);
        let timestamp: u64 = http
            .query("timestamp")
            .expect("a timestamp")
            .parse()
            .expect("millis");
        // The signature is the one for this attempt's own timestamp.
        let mut expected = request(
            "https://oapi.example.invalid/robot/send?access_token=robot-token",
            Body::Empty,
        );
        sign(
            &ROBOT_SIGNING,
            &SigningKey::new("SEC000example"),
            &mut expected,
            at_millis(timestamp),
        )
        .expect("signed");
        assert_eq!(http.query("sign"), expected.query("sign"));
        timestamps.push(timestamp);
    }
    assert!(timestamps[1] > timestamps[0], "{timestamps:?}");
}

#[tokio::test]
async fn a_signed_call_without_a_key_is_an_auth_error() {
    let recorder = Recorder::default();
    let client = builder(&ROBOT, "https://oapi.example.invalid")
        .token(StaticToken::new("robot-token"))
        .transport(recorder.clone())
        .build()
        .expect("client builds")
        .0;

    let err = client.send(RobotSend).await.expect_err("no key");

    assert!(matches!(err, Error::Auth { .. }), "{err}");
    assert!(err.to_string().contains("`robot`"), "{err}");
    assert!(
        err.to_string().contains("ClientBuilder::signing_key"),
        "{err}"
    );
    assert!(recorder.seen().is_empty(), "nothing was sent");
}

static TOP_SECONDS: Signing = Signing {
    timestamp_format: TimestampFormat::UnixSeconds,
    ..top(DigestAlgorithm::Md5, &[])
};
static TOP_BASE: Base = base(Some(&TOP_SECONDS), AuthPlacement::Query("session"));
static TOP_CALL: Operation =
    Operation::new("item.get", Method::Get, &TOP_BASE, "/router/rest").idempotent();

struct TopCall;

impl ApiRequest for TopCall {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &TOP_CALL;

    fn write_params(&self, params: &mut open_platform_runtime::Params) {
        params.query("method", "taobao.item.get");
        params.query("v", "2.0");
    }
}

#[tokio::test]
async fn the_sorted_params_signature_covers_the_token() {
    let recorder = Recorder::default();
    let client = builder(&TOP_BASE, "https://eco.example.invalid")
        .token(StaticToken::new("session-token-7"))
        .signing_key(SigningKey::with_key_id("app-1", "top-secret"))
        .transport(recorder.clone())
        .build()
        .expect("client builds")
        .0;

    client.send(TopCall).await.expect("sent");

    let seen = recorder.seen();
    let http = &seen[0];
    // The signed text rebuilt here by hand: every query pair but `sign`, sorted by name.
    let mut pairs: Vec<(String, String)> = http
        .url
        .query_pairs()
        .filter(|(k, _)| k != "sign")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let text: String = pairs.iter().map(|(k, v)| format!("{k}{v}")).collect();
    assert!(text.contains("sessionsession-token-7"), "{text}");
    assert!(text.contains("app_keyapp-1"), "{text}");
    let digest = Md5::digest(format!("top-secret{text}top-secret").as_bytes());
    let expected: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(http.query("sign"), Some(expected));
}
