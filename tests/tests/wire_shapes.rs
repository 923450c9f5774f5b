//! The kitchen sink's `wire` group on the wire, against a wiremock server: form bodies with the
//! token among the fields, sorted-parameter and robot-style signatures (with known answers
//! computed by `openssl`), success-flag and payload envelopes, multipart uploads parsed back
//! with `multer`, downloads, page walks that end on a page count, an item count or a short page,
//! and pattern limits checked before anything is sent.

use std::io::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use open_platform_runtime::{
    sign, ApiRequest, Body, Error, FilePart, ItemStream, ReceivedCode, RetryPolicy, SigningKey,
    StaticToken,
};
use serde_json::{json, Value};
use sha2::Sha256;
use tests::kitchen_sink::{self, things, wire};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The access token of every call here (in the form body on the gateway base, in the query on
/// the classic base, in a header on the wrapped base).
const TOKEN: &str = "gw-token";
/// The gateway's signing key: its id travels as `app_key`, its secret keys the HMAC.
const APP_KEY: &str = "app-1";
const APP_SECRET: &str = "gw-secret";
/// The secret of the robot-style `hook` signature.
const HOOK_SECRET: &str = "SEC-hook-secret";

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// A builder against `server` for every base of the kitchen sink, with the static token and
/// single attempts (so that request counts are exact).
fn builder(server: &MockServer) -> open_platform_runtime::ClientBuilder<kitchen_sink::Client> {
    let uri = server.uri();
    kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&kitchen_sink::CLASSIC, &uri)
        .base_url(&kitchen_sink::MODERN, &uri)
        .base_url(&kitchen_sink::OPEN, &uri)
        .base_url(&kitchen_sink::GATEWAY, &uri)
        .base_url(&kitchen_sink::WRAPPED, &uri)
}

/// A client with the static token and the gateway's signing key.
fn client(server: &MockServer) -> kitchen_sink::Client {
    builder(server)
        .token(StaticToken::new(TOKEN))
        .signing_key(SigningKey::with_key_id(APP_KEY, APP_SECRET))
        .build()
        .expect("client builds")
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The query parameters of a received request, in order.
fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

fn query_value(request: &Request, name: &str) -> Option<String> {
    query(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The submit_form request of the known answer below.
fn submit_form_request() -> wire::SubmitFormRequest {
    wire::SubmitFormRequest::new("Hello world & more", 3)
        .shape(wire::Shape::new(3).label("tri"))
        .tags(vec!["a".to_owned(), "b c".to_owned()])
        .urgent(true)
}

/// The form body of [`submit_form_request`] as the server receives it: the members in the
/// spec's order, the object and the list as JSON text, then the token the client adds.
const SUBMIT_FORM_BODY: &str = "title=Hello+world+%26+more&count=3\
    &shape=%7B%22sides%22%3A3%2C%22label%22%3A%22tri%22%7D\
    &tags=%5B%22a%22%2C%22b+c%22%5D&urgent=true&access_token=gw-token";

/// The gateway signature recomputed from what the server received, independently of the
/// runtime: every query and form parameter but `sign`, sorted by name, each name followed by
/// its value, HMAC-SHA256 keyed with the secret, upper-case hex.
fn recompute_gateway_sign(request: &Request) -> String {
    let mut pairs = query(request);
    pairs.extend(url::form_urlencoded::parse(&request.body).into_owned());
    pairs.retain(|(name, _)| name != "sign");
    pairs.sort_by(|(a, _), (b, _)| a.as_bytes().cmp(b.as_bytes()));
    let text: String = pairs.iter().map(|(k, v)| format!("{k}{v}")).collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(APP_SECRET.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// The robot-style signature recomputed from a received timestamp, independently of the
/// runtime: `base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret))`.
fn recompute_hook_sign(timestamp: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(HOOK_SECRET.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}\n{HOOK_SECRET}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// One part of a multipart body as `multer` parsed it.
#[derive(Debug, PartialEq)]
struct ParsedPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// Parses a received multipart body with `multer`, which shares no code with the runtime's
/// writer (reqwest).
async fn parse_multipart(request: &Request) -> Vec<ParsedPart> {
    let content_type = header(request, "content-type").expect("a content type");
    let boundary = multer::parse_boundary(content_type).expect("a multipart boundary");
    let body = request.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().expect("a part name").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let content = field.bytes().await.expect("the part's content").to_vec();
        parts.push(ParsedPart {
            name,
            file_name,
            content_type,
            content,
        });
    }
    parts
}

fn text_part(name: &str, value: &str) -> ParsedPart {
    ParsedPart {
        name: name.to_owned(),
        file_name: None,
        content_type: None,
        content: value.as_bytes().to_vec(),
    }
}

fn file_part(name: &str, file_name: &str, content_type: &str, content: &[u8]) -> ParsedPart {
    ParsedPart {
        name: name.to_owned(),
        file_name: Some(file_name.to_owned()),
        content_type: Some(content_type.to_owned()),
        content: content.to_vec(),
    }
}

/// Every item of a walk, which must not fail; at most 100, so a walk that loops fails the test.
async fn item_ids(stream: ItemStream<wire::Item>) -> Vec<i64> {
    let items: Vec<_> = stream.take(101).collect().await;
    assert!(items.len() <= 100, "the walk goes on instead of ending");
    items
        .into_iter()
        .map(|item| item.expect("no error in the walk").id)
        .collect()
}

/// A page of the `wrapped` base: the code and the flag side by side, the payload in `result`.
fn wrapped_page(result: Value) -> ResponseTemplate {
    ok(json!({"errcode": 0, "errmsg": "ok", "success": true, "result": result}))
}

fn items(ids: std::ops::RangeInclusive<i64>) -> Value {
    Value::Array(ids.map(|id| json!({"id": id})).collect())
}

// ---------------------------------------------------------------------------------------------
// form body and sorted-parameter signature (gateway base)
// ---------------------------------------------------------------------------------------------

/// The gateway signature of [`submit_form_request`] at a fixed time. The runtime's client
/// signs with the system clock, so the known answer is checked on the pure `sign` function
/// with the request the client builds (its body, then the token it adds), and the test below
/// checks through the client that the signature it sends verifies.
#[test]
fn submit_form_signature_known_answer() {
    let mut http = submit_form_request().http_request().expect("valid request");
    let expected_fields = [
        ("title", "Hello world & more"),
        ("count", "3"),
        ("shape", r#"{"sides":3,"label":"tri"}"#),
        ("tags", r#"["a","b c"]"#),
        ("urgent", "true"),
    ];
    let Body::Form(fields) = &mut http.body else {
        panic!("a form body, got {:?}", http.body);
    };
    let as_pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(as_pairs, expected_fields);
    // The client adds the token to the form before signing (AuthPlacement::Body).
    fields.push(("access_token".to_owned(), TOKEN.to_owned()));

    let key = SigningKey::with_key_id(APP_KEY, APP_SECRET);
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    sign(&kitchen_sink::GATEWAY_SIGNING, &key, &mut http, now).expect("signed");

    assert_eq!(http.query("ts").as_deref(), Some("1700000000"));
    assert_eq!(http.query("app_key").as_deref(), Some(APP_KEY));
    // Known answer, computed with openssl (not with this code):
    //   printf '%s' 'access_tokengw-tokenapp_keyapp-1count3shape{"sides":3,"label":"tri"}tags["a","b c"]titleHello world & morets1700000000urgenttrue' \
    //     | openssl dgst -sha256 -hmac 'gw-secret'
    //   SHA2-256(stdin)= 9f0f5e7789ea5cc8cd3b0054dfb79fb52f486c8fa20f03e409f4675a97eb9828
    // (upper-case hex on the wire, as the signature's description says).
    assert_eq!(
        http.query("sign").as_deref(),
        Some("9F0F5E7789EA5CC8CD3B0054DFB79FB52F486C8FA20F03E409F4675A97EB9828")
    );
    assert_eq!(
        http.body.form_field("access_token"),
        Some(TOKEN),
        "the token stays in the body, not the query"
    );
    assert_eq!(http.query("access_token"), None);
}

#[tokio::test]
async fn submit_form_sends_the_exact_form_body_and_returns_the_data_payload() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/forms/submit"))
        .respond_with(ok(json!({
            "success": true,
            "msg": "ok",
            "data": {"id": "r-9", "accepted": true}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let receipt = client(&server)
        .wire()
        .submit_form(submit_form_request())
        .await
        .expect("success");

    assert_eq!(receipt.id, "r-9");
    assert_eq!(receipt.accepted, Some(true));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        SUBMIT_FORM_BODY,
        "the form body, byte for byte"
    );
    assert_eq!(header(request, "content-type"), Some(FORM_CONTENT_TYPE));
    let names: Vec<String> = query(request).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        ["ts", "app_key", "sign"],
        "only the signature's parameters"
    );
    assert_eq!(query_value(request, "app_key").as_deref(), Some(APP_KEY));
    let ts: u64 = query_value(request, "ts")
        .expect("a timestamp")
        .parse()
        .expect("unix seconds");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(
        ts.abs_diff(now) < 600,
        "the attempt's time, in seconds: {ts}"
    );

    let sent = query_value(request, "sign").expect("a signature");
    assert_eq!(
        sent,
        recompute_gateway_sign(request),
        "the signature verifies against an independent recomputation (hmac/sha2 crates; the \
         known answer is the openssl one above)"
    );
    // The client signed exactly the request of the known-answer test: the pure function at the
    // received time gives the same signature.
    let mut http = submit_form_request()
        .http_request_at(&server.uri())
        .expect("valid");
    if let Body::Form(fields) = &mut http.body {
        fields.push(("access_token".to_owned(), TOKEN.to_owned()));
    }
    let key = SigningKey::with_key_id(APP_KEY, APP_SECRET);
    sign(
        &kitchen_sink::GATEWAY_SIGNING,
        &key,
        &mut http,
        UNIX_EPOCH + Duration::from_secs(ts),
    )
    .expect("signed");
    assert_eq!(http.query("sign"), Some(sent));
}

#[tokio::test]
async fn ping_is_not_signed_on_a_signed_base() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ping"))
        .and(query_param_is_missing("sign"))
        .and(query_param_is_missing("ts"))
        .and(query_param_is_missing("app_key"))
        .respond_with(ok(json!({"success": true, "data": true})))
        .expect(1)
        .mount(&server)
        .await;

    let pong = client(&server)
        .wire()
        .ping(wire::PingRequest::new())
        .await
        .expect("success");

    assert!(pong);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(query(request), [], "no signature, no timestamp, no key id");
    // An operation without body members still has a body of its base's encoding (form), which
    // carries the token.
    let content_type = header(request, "content-type").expect("a declared body");
    assert!(
        content_type.starts_with(FORM_CONTENT_TYPE),
        "{content_type}"
    );
    assert_eq!(
        std::str::from_utf8(&request.body).expect("text"),
        format!("access_token={TOKEN}")
    );
}

#[tokio::test]
async fn a_success_flag_of_false_with_null_data_is_the_platform_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/forms/submit"))
        .respond_with(ok(json!({
            "success": false,
            "code": 1001,
            "msg": "title taken",
            "data": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .wire()
        .submit_form(submit_form_request())
        .await
        .expect_err("the flag says failure");

    let Error::Api(api) = &err else {
        panic!("expected the platform's error, got {err:?}");
    };
    assert_eq!(api.operation, "wire.submit_form");
    assert_eq!(api.status, 200);
    assert_eq!(api.code, ReceivedCode::Integer(1001));
    assert_eq!(api.message, "title taken");
    assert_eq!(api.meaning, None);
}

#[tokio::test]
async fn a_success_flag_of_true_with_null_data_is_a_decode_error_naming_data() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/forms/submit"))
        .respond_with(ok(json!({"success": true, "msg": "ok", "data": null})))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .wire()
        .submit_form(submit_form_request())
        .await
        .expect_err("a Receipt needs an id");

    match err {
        Error::Decode {
            operation,
            path,
            message,
            ..
        } => {
            assert_eq!(operation, "wire.submit_form");
            assert_eq!(path, "data");
            assert!(message.contains("`data`"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_zero_code_beside_a_false_success_flag_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ok(json!({
            "errcode": 0,
            "success": false,
            "errmsg": "list unavailable",
            "result": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .wire()
        .list_pages(wire::ListPagesRequest::new(wire::PageQuery::new(1, 2)))
        .await
        .expect_err("the flag says failure");

    let api = err.api().expect("the platform's error");
    assert_eq!(api.operation, "wire.list_pages");
    assert_eq!(api.message, "list unavailable");
    assert_eq!(
        api.code,
        ReceivedCode::String("success=false".to_owned()),
        "the code said success, so the flag is the code"
    );
}

// ---------------------------------------------------------------------------------------------
// multipart upload (classic base: the token in the query)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn upload_sends_every_part_with_names_file_names_types_and_contents() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .and(query_param("access_token", TOKEN))
        .respond_with(ok(
            json!({"err_code": 0, "err_msg": "ok", "file_id": "f-9"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut on_disk = tempfile::Builder::new()
        .prefix("scan")
        .suffix(".pdf")
        .tempfile()
        .expect("temp file");
    // Larger than one read buffer, so the file goes in several chunks.
    let pdf: Vec<u8> = (0..150_000u32).map(|i| (i % 253) as u8).collect();
    on_disk.write_all(&pdf).expect("write the temp file");
    let disk_name = on_disk
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 name")
        .to_owned();
    let thumbnail = b"\x89PNG\r\n\x1a\nnot really a png".to_vec();
    let request = wire::UploadRequest::new(
        "image",
        FilePart::from_path(on_disk.path()).content_type("application/pdf"),
    )
    .thumbnail(FilePart::from_reader(std::io::Cursor::new(thumbnail.clone())).file_name("t.png"))
    .meta(wire::Shape::new(4).label("square"));

    let response = client(&server)
        .wire()
        .upload(request)
        .await
        .expect("upload succeeds");

    assert_eq!(response.file_id.as_deref(), Some("f-9"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        query(request),
        [("access_token".to_owned(), TOKEN.to_owned())],
        "the classic base puts the token in the query"
    );
    let content_type = header(request, "content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parse_multipart(request).await;
    assert_eq!(
        parts,
        [
            text_part("kind", "image"),
            text_part("meta", r#"{"sides":4,"label":"square"}"#),
            file_part("file", &disk_name, "application/pdf", &pdf),
            file_part("thumbnail", "t.png", "application/octet-stream", &thumbnail),
        ],
        "text parts first (the spec's order), then the files; no access_token part"
    );
}

/// An upload whose thumbnail streams from a reader: sent once, by the first attempt.
fn reader_upload() -> wire::UploadRequest {
    wire::UploadRequest::new(
        "image",
        FilePart::from_bytes(&b"file"[..]).file_name("f.bin"),
    )
    .thumbnail(FilePart::from_reader(std::io::Cursor::new(vec![7u8; 1024])).file_name("t.bin"))
}

/// A client that retries at once (zero delays), up to three times.
fn retrying_client(server: &MockServer) -> kitchen_sink::Client {
    builder(server)
        .retry(RetryPolicy::default().with_delays(Duration::ZERO, Duration::ZERO, Duration::ZERO))
        .token(StaticToken::new(TOKEN))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_reader_part_is_not_retried_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream busy"))
        .mount(&server)
        .await;

    let err = retrying_client(&server)
        .wire()
        .upload(reader_upload())
        .await
        .expect_err("the gateway error stands");

    match &err {
        Error::NotJson {
            operation,
            status,
            snippet,
            ..
        } => {
            assert_eq!(*operation, "wire.upload");
            assert_eq!(*status, 503);
            assert_eq!(snippet, "upstream busy");
        }
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "one attempt only");
}

/// A 503 is not retried for a non-idempotent upload even without a reader, so the test above
/// alone cannot tell the reader apart; a busy code is retried for every call: an upload from
/// bytes is sent again, one with a reader part is not.
#[tokio::test]
async fn a_busy_code_retries_an_upload_from_bytes_but_not_one_with_a_reader_part() {
    let busy = || ok(json!({"err_code": -1, "err_msg": "system busy"}));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(busy())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(ok(json!({"err_code": 0, "file_id": "f-2"})))
        .mount(&server)
        .await;
    let from_bytes = wire::UploadRequest::new("image", FilePart::from_bytes(&b"file"[..]));
    let response = retrying_client(&server)
        .wire()
        .upload(from_bytes)
        .await
        .expect("the retry succeeds");
    assert_eq!(response.file_id.as_deref(), Some("f-2"));
    assert_eq!(received(&server).await.len(), 2, "retried once");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(busy())
        .mount(&server)
        .await;
    let err = retrying_client(&server)
        .wire()
        .upload(reader_upload())
        .await
        .expect_err("not retried");
    assert!(err.is_busy(), "{err}");
    assert_eq!(
        err.api().map(|api| api.message.as_str()),
        Some("system busy")
    );
    assert_eq!(
        received(&server).await.len(),
        1,
        "the reader went with the first attempt"
    );
}

// ---------------------------------------------------------------------------------------------
// download
// ---------------------------------------------------------------------------------------------

fn pdf_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..300_000u32).map(|i| (i % 241) as u8));
    bytes
}

fn file_response(bytes: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(bytes, "application/pdf")
        .insert_header("content-disposition", "attachment; filename=\"r.pdf\"")
}

#[tokio::test]
async fn download_streams_the_file_to_disk_byte_for_byte() {
    let server = MockServer::start().await;
    let pdf = pdf_bytes();
    Mock::given(method("GET"))
        .and(path("/files/doc-1"))
        .and(query_param("access_token", TOKEN))
        .respond_with(file_response(pdf.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let download = client(&server)
        .wire()
        .download(wire::DownloadRequest::new("doc-1"))
        .await
        .expect("a file");

    assert_eq!(download.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(download.file_name.as_deref(), Some("r.pdf"));
    assert_eq!(download.content_length, Some(pdf.len() as u64));
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("r.pdf");
    let written = download.save(&target).await.expect("saved");
    assert_eq!(written, pdf.len() as u64);
    assert!(
        std::fs::read(&target).expect("the saved file") == pdf,
        "the saved file is byte-identical"
    );
}

#[tokio::test]
async fn a_json_error_answered_to_a_download_is_the_typed_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/doc-1"))
        .respond_with(ok(json!({
            "err_code": 40014,
            "err_msg": "invalid token",
            "request_id": "req-7"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .wire()
        .download(wire::DownloadRequest::new("doc-1"))
        .await
        .expect_err("the platform refused");

    let api = err.api().expect("the platform's error");
    assert_eq!(api.operation, "wire.download");
    assert_eq!(api.code, ReceivedCode::Integer(40014));
    assert_eq!(api.message, "invalid token");
    assert_eq!(api.request_id.as_deref(), Some("req-7"));
    assert!(
        err.is_token_invalid(),
        "a static token is not replayed: {err}"
    );
}

#[tokio::test]
async fn a_rejected_token_on_a_download_is_renewed_and_the_file_follows() {
    let server = MockServer::start().await;
    // The token operation issues t1, then t2.
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ok(
            json!({"err_code": 0, "token": "t1", "expires_in": 7200}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ok(
            json!({"err_code": 0, "token": "t2", "expires_in": 7200}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/doc-1"))
        .and(query_param("access_token", "t1"))
        .respond_with(ok(json!({"err_code": 40014, "err_msg": "invalid token"})))
        .expect(1)
        .mount(&server)
        .await;
    let pdf = pdf_bytes();
    Mock::given(method("GET"))
        .and(path("/files/doc-1"))
        .and(query_param("access_token", "t2"))
        .respond_with(file_response(pdf.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .token_request(things::IssueTokenRequest::new("app-secret"))
        .build()
        .expect("client builds");

    let download = client
        .wire()
        .download(wire::DownloadRequest::new("doc-1"))
        .await
        .expect("the replay gets the file");

    assert!(download.bytes().await.expect("the body") == pdf);
    let requests = received(&server).await;
    let count = |p: &str| requests.iter().filter(|r| r.url.path() == p).count();
    assert_eq!(count("/token"), 2, "two token fetches");
    assert_eq!(count("/files/doc-1"), 2, "two file requests");
}

// ---------------------------------------------------------------------------------------------
// page walks (wrapped base: the token in a header, the payload in `result`)
// ---------------------------------------------------------------------------------------------

/// The `query` parameter of each request to `/items`, in arrival order.
async fn sent_queries(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/items")
        .map(|r| query_value(r, "query"))
        .collect()
}

#[tokio::test]
async fn list_pages_stream_ends_on_total_page() {
    let server = MockServer::start().await;
    for page in 1..=3i64 {
        Mock::given(method("GET"))
            .and(path("/items"))
            .and(wiremock::matchers::header("x-token", TOKEN))
            .and(query_param(
                "query",
                format!(r#"{{"page":{page},"size":2}}"#),
            ))
            .respond_with(wrapped_page(json!({
                "items": items(page * 2 - 1..=page * 2),
                "total_page": 3
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let stream = client(&server)
        .wire()
        .list_pages_stream(wire::ListPagesRequest::new(wire::PageQuery::new(1, 2)));

    assert_eq!(item_ids(stream).await, [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        sent_queries(&server).await,
        [
            Some(r#"{"page":1,"size":2}"#.to_owned()),
            Some(r#"{"page":2,"size":2}"#.to_owned()),
            Some(r#"{"page":3,"size":2}"#.to_owned()),
        ],
        "full pages, then no fourth request after page 3 of 3"
    );
}

#[tokio::test]
async fn list_pages_stream_ends_on_a_short_page_without_total_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("query", r#"{"page":1,"size":2}"#))
        .respond_with(wrapped_page(json!({"items": items(1..=2)})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("query", r#"{"page":2,"size":2}"#))
        .respond_with(wrapped_page(json!({"items": items(3..=3)})))
        .expect(1)
        .mount(&server)
        .await;

    let stream = client(&server)
        .wire()
        .list_pages_stream(wire::ListPagesRequest::new(wire::PageQuery::new(1, 2)));

    assert_eq!(item_ids(stream).await, [1, 2, 3]);
    assert_eq!(
        sent_queries(&server).await,
        [
            Some(r#"{"page":1,"size":2}"#.to_owned()),
            Some(r#"{"page":2,"size":2}"#.to_owned()),
        ]
    );
}

#[tokio::test]
async fn list_counted_stream_ends_on_total_count() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/counted"))
        .and(query_param_is_missing("page_no"))
        .respond_with(wrapped_page(
            json!({"items": items(1..=2), "total_count": 4}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/counted"))
        .and(query_param("page_no", "2"))
        .respond_with(wrapped_page(
            json!({"items": items(3..=4), "total_count": 4}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let stream = client(&server)
        .wire()
        .list_counted_stream(wire::ListCountedRequest::new());

    assert_eq!(item_ids(stream).await, [1, 2, 3, 4]);
    let page_numbers: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| query_value(r, "page_no"))
        .collect();
    assert_eq!(
        page_numbers,
        [None, Some("2".to_owned())],
        "an unset page_no starts at 1; four of four items end the walk on a full page"
    );
}

#[tokio::test]
async fn list_flagged_stream_ends_when_has_more_is_false() {
    let server = MockServer::start().await;
    for (page, more) in [(1, true), (2, false)] {
        let first = page * 2 - 1;
        Mock::given(method("GET"))
            .and(path("/items/flagged"))
            .and(query_param("page", page.to_string()))
            .respond_with(wrapped_page(
                json!({"items": items(first..=first + 1), "has_more": more}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }

    let stream = client(&server)
        .wire()
        .list_flagged_stream(wire::ListFlaggedRequest::new(1));

    // Page 2 is full, but its flag ends the walk: no third request.
    assert_eq!(item_ids(stream).await, [1, 2, 3, 4]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn list_flat_stream_ends_on_a_short_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/flat"))
        .and(query_param("page", "1"))
        .and(query_param("size", "2"))
        .respond_with(wrapped_page(items(1..=2)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/flat"))
        .and(query_param("page", "2"))
        .and(query_param("size", "2"))
        .respond_with(wrapped_page(items(3..=3)))
        .expect(1)
        .mount(&server)
        .await;

    let stream = client(&server)
        .wire()
        .list_flat_stream(wire::ListFlatRequest::new(1, 2));

    assert_eq!(item_ids(stream).await, [1, 2, 3]);
    let pages: Vec<Vec<(String, String)>> = received(&server).await.iter().map(query).collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        pages,
        [
            vec![pair("page", "1"), pair("size", "2")],
            vec![pair("page", "2"), pair("size", "2")],
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// pattern limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn register_checks_the_pattern_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/codes"))
        .and(query_param("access_token", TOKEN))
        .respond_with(ok(json!({"err_code": 0, "err_msg": "ok"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .wire()
        .register(wire::RegisterRequest::new("abc"))
        .await
        .expect_err("abc is not AAA-9999");
    match &err {
        Error::InvalidRequest { operation, source } => {
            assert_eq!(*operation, "wire.register");
            assert_eq!(source.path, "code");
            assert!(
                source.reason.contains("^[A-Z]{3}-[0-9]{4}$"),
                "{}",
                source.reason
            );
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");

    client
        .wire()
        .register(wire::RegisterRequest::new("ABC-1234"))
        .await
        .expect("a valid code is sent");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(body, json!({"code": "ABC-1234"}));
}

// ---------------------------------------------------------------------------------------------
// robot-style signature (hmac_timestamp) on an unauthenticated operation
// ---------------------------------------------------------------------------------------------

#[test]
fn hook_signature_known_answer() {
    let mut http = wire::HookPingRequest::new("hi")
        .http_request()
        .expect("valid");
    let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
    sign(
        &kitchen_sink::HOOK_SIGNING,
        &SigningKey::new(HOOK_SECRET),
        &mut http,
        now,
    )
    .expect("signed");
    assert_eq!(http.query("timestamp").as_deref(), Some("1700000000000"));
    // printf '%s\n%s' 1700000000000 SEC-hook-secret \
    //   | openssl dgst -sha256 -hmac SEC-hook-secret -binary | base64
    // OO+y4zA0ycsNJELfaYqX0rLPiBR3gJgBP5C8RTyShz8=
    assert_eq!(
        http.query("sign").as_deref(),
        Some("OO+y4zA0ycsNJELfaYqX0rLPiBR3gJgBP5C8RTyShz8=")
    );
}

#[tokio::test]
async fn hook_ping_sends_timestamp_and_a_sign_that_verifies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .and(query_param_is_missing("access_token"))
        .respond_with(ok(json!({"err_code": 0, "err_msg": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .signing_key(SigningKey::new(HOOK_SECRET))
        .build()
        .expect("no token source is needed");

    client
        .wire()
        .hook_ping(wire::HookPingRequest::new("hi"))
        .await
        .expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let names: Vec<String> = query(request).into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["timestamp", "sign"]);
    let timestamp = query_value(request, "timestamp").expect("a timestamp");
    let millis: u64 = timestamp.parse().expect("unix milliseconds");
    assert!(
        millis > 1_600_000_000_000,
        "milliseconds, not seconds: {millis}"
    );
    assert_eq!(
        query_value(request, "sign"),
        Some(recompute_hook_sign(&timestamp)),
        "base64(HMAC-SHA256(secret, timestamp + \"\\n\" + secret)) of the received timestamp"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(body, json!({"text": "hi"}));
}
