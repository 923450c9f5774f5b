//! Multipart bodies on the wire (cargo feature `files`): text parts, file parts from bytes, a
//! path (streamed, with a known length) and a reader (sent once, never retried), and the
//! errors of a file that cannot be opened.

#![cfg(feature = "files")]

mod support;

use std::io::Write as _;

use open_platform_runtime::{
    Body, Error, FilePart, HttpRequest, Part, PartContent, ReqwestTransport, StaticToken,
    Transport, TransportErrorKind,
};
use support::{builder, envelope, UploadRequest, OAPI};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn text(name: &str, value: &str) -> Part {
    Part {
        name: name.to_owned(),
        content: PartContent::Text(value.to_owned()),
    }
}

fn file(name: &str, file: FilePart) -> Part {
    Part {
        name: name.to_owned(),
        content: PartContent::File(file),
    }
}

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let response = if status == 200 {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "errcode": 0, "errmsg": "ok", "media_id": "m-1"
        }))
    } else {
        ResponseTemplate::new(status).set_body_string("busy")
    };
    Mock::given(method("POST"))
        .and(path("/media/upload"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> open_platform_runtime::Client {
    builder(&OAPI, &server.uri())
        .token(StaticToken::new("tok"))
        .build()
        .expect("client builds")
        .0
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn text_bytes_and_path_parts_arrive_with_names_types_and_a_content_length() {
    let server = server_answering(200).await;
    let mut on_disk = tempfile::Builder::new()
        .prefix("voice")
        .suffix(".amr")
        .tempfile()
        .expect("temp file");
    // Larger than one read buffer, so the file goes in several chunks.
    let disk_content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    on_disk.write_all(&disk_content).expect("write temp file");
    let disk_name = on_disk
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 name")
        .to_owned();
    let body = Body::Multipart(vec![
        text("type", "file"),
        file(
            "media",
            FilePart::from_bytes(&b"hello multipart"[..])
                .file_name("hello.txt")
                .content_type("text/plain"),
        ),
        file("voice", FilePart::from_path(on_disk.path())),
    ]);

    let answer = client(&server)
        .send(UploadRequest(body))
        .await
        .expect("upload succeeds");
    assert_eq!(answer.media_id.as_deref(), Some("m-1"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.query(), Some("access_token=tok"));
    let content_type = header(request, "content-type").expect("content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    // Every part's length is known, the path's from its metadata: a Content-Length is sent.
    let length: usize = header(request, "content-length")
        .expect("content length")
        .parse()
        .expect("a number");
    assert_eq!(length, request.body.len());

    let body = &request.body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(contains(
        b"Content-Disposition: form-data; name=\"type\"\r\n\r\nfile\r\n"
    ));
    assert!(contains(
        b"Content-Disposition: form-data; name=\"media\"; filename=\"hello.txt\"\r\nContent-Type: text/plain\r\n\r\nhello multipart\r\n"
    ));
    let voice_head = format!(
        "Content-Disposition: form-data; name=\"voice\"; filename=\"{disk_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let mut voice = voice_head.into_bytes();
    voice.extend_from_slice(&disk_content);
    voice.extend_from_slice(b"\r\n");
    assert!(
        contains(&voice),
        "the file part arrives whole, after its headers"
    );
}

#[tokio::test]
async fn a_reader_part_is_streamed_once() {
    let server = server_answering(200).await;
    let reader = std::io::Cursor::new(b"from a reader".to_vec());
    let body = Body::Multipart(vec![file(
        "media",
        FilePart::from_reader(reader).file_name("r.bin"),
    )]);

    client(&server)
        .send(UploadRequest(body))
        .await
        .expect("upload succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let body = &requests[0].body;
    let needle =
        b"filename=\"r.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nfrom a reader\r\n";
    assert!(body.windows(needle.len()).any(|w| w == needle));
}

#[tokio::test]
async fn a_call_whose_reader_was_consumed_is_not_retried() {
    // 503 is retried for an idempotent operation; the reader went with the first attempt.
    let server = server_answering(503).await;
    let reader = std::io::Cursor::new(vec![7u8; 1024]);
    let body = Body::Multipart(vec![file("media", FilePart::from_reader(reader))]);

    let err = client(&server)
        .send(UploadRequest(body))
        .await
        .expect_err("the gateway error stands");

    assert!(matches!(err, Error::NotJson { status: 503, .. }), "{err}");
    assert_eq!(received(&server).await.len(), 1, "one attempt only");
}

#[tokio::test]
async fn a_second_send_of_a_reader_body_fails_clearly() {
    let server = server_answering(200).await;
    let reader = std::io::Cursor::new(b"once".to_vec());
    let url = format!("{}/media/upload", server.uri())
        .parse()
        .expect("url");
    let request = HttpRequest {
        method: open_platform_runtime::Method::Post,
        url,
        headers: Vec::new(),
        body: Body::Multipart(vec![file("media", FilePart::from_reader(reader))]),
    };
    let transport = ReqwestTransport::new().expect("transport");

    transport.send(request.clone()).await.expect("first send");
    let err = transport
        .send(request)
        .await
        .expect_err("the reader is gone");

    assert_eq!(err.kind, TransportErrorKind::Local);
    assert!(
        err.message.contains("consumed by an earlier attempt"),
        "{}",
        err.message
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_file_that_cannot_be_opened_names_its_path_and_is_not_retried() {
    let server = server_answering(200).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.pdf");
    let body = Body::Multipart(vec![file("media", FilePart::from_path(&missing))]);

    let err = client(&server)
        .send(UploadRequest(body))
        .await
        .expect_err("the file does not exist");

    match &err {
        Error::Transport { operation, source } => {
            assert_eq!(*operation, "media.upload");
            assert_eq!(source.kind, TransportErrorKind::Local);
            assert!(
                source.message.contains(&missing.display().to_string()),
                "{err}"
            );
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // A directory is not a file either.
    let body = Body::Multipart(vec![file("media", FilePart::from_path(dir.path()))]);
    let err = client(&server)
        .send(UploadRequest(body))
        .await
        .expect_err("a directory is not a file");
    assert!(err.to_string().contains("not a file"), "{err}");
}

#[tokio::test]
async fn an_invalid_part_content_type_is_reported() {
    let server = server_answering(200).await;
    let part = FilePart::from_bytes(&b"x"[..]).content_type("not a mime type");
    let body = Body::Multipart(vec![file("media", part)]);

    let err = client(&server)
        .send(UploadRequest(body))
        .await
        .expect_err("bad content type");

    assert!(
        err.to_string()
            .contains("invalid content type `not a mime type`"),
        "{err}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_envelope_still_reads_an_upload_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/media/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(40004, "bad media type")))
        .mount(&server)
        .await;
    let body = Body::Multipart(vec![file("media", FilePart::from_bytes(&b"x"[..]))]);

    let err = client(&server)
        .send(UploadRequest(body))
        .await
        .expect_err("platform error");

    assert_eq!(
        err.api().map(|api| api.message.as_str()),
        Some("bad media type")
    );
}

/// A token source that counts how often its token was rejected.
#[derive(Default)]
struct CountingToken {
    invalidated: std::sync::atomic::AtomicUsize,
}

impl open_platform_runtime::TokenSource for CountingToken {
    fn token<'a>(
        &'a self,
        _client: &'a open_platform_runtime::Client,
    ) -> open_platform_runtime::BoxFuture<'a, Result<open_platform_runtime::Secret, Error>> {
        Box::pin(async { Ok(open_platform_runtime::Secret::new("tok")) })
    }

    fn invalidate<'a>(
        &'a self,
        _client: &'a open_platform_runtime::Client,
        _stale: &'a open_platform_runtime::Secret,
    ) -> open_platform_runtime::BoxFuture<'a, ()> {
        self.invalidated
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async {})
    }
}

#[tokio::test]
async fn a_rejected_token_is_dropped_but_a_consumed_reader_is_not_replayed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/media/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(40014, "bad token")))
        .mount(&server)
        .await;
    let token = std::sync::Arc::new(CountingToken::default());
    let client = builder(&OAPI, &server.uri())
        .token(SharedToken(std::sync::Arc::clone(&token)))
        .build()
        .expect("client builds")
        .0;
    let reader = std::io::Cursor::new(b"once".to_vec());
    let body = Body::Multipart(vec![file("media", FilePart::from_reader(reader))]);

    let err = client
        .send(UploadRequest(body))
        .await
        .expect_err("the token was rejected");

    assert!(err.is_token_invalid(), "{err}");
    assert_eq!(received(&server).await.len(), 1, "no replay");
    assert_eq!(
        token.invalidated.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the stale token is dropped for the next call"
    );
}

/// Lends a [`CountingToken`] to a client while the test keeps reading its counter.
struct SharedToken(std::sync::Arc<CountingToken>);

impl open_platform_runtime::TokenSource for SharedToken {
    fn token<'a>(
        &'a self,
        client: &'a open_platform_runtime::Client,
    ) -> open_platform_runtime::BoxFuture<'a, Result<open_platform_runtime::Secret, Error>> {
        self.0.token(client)
    }

    fn invalidate<'a>(
        &'a self,
        client: &'a open_platform_runtime::Client,
        stale: &'a open_platform_runtime::Secret,
    ) -> open_platform_runtime::BoxFuture<'a, ()> {
        self.0.invalidate(client, stale)
    }
}
