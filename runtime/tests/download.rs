//! `Client::download`: files with their metadata and streamed bodies, platform errors through
//! the envelope (typed errors, token replay, retries), JSON where a file was expected, size
//! and time limits, and transports that do not stream.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use open_platform_runtime::{
    token_fn, BoxFuture, Error, HttpRequest, HttpResponse, PageKind, Secret, StaticToken,
    StreamingResponse, Transport, TransportError, TransportErrorKind,
};
use support::{builder, envelope, DownloadRequest, TestPlatform, OAPI};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FILE: &[u8] = b"%PDF-1.7 not really a pdf";

fn request() -> DownloadRequest {
    DownloadRequest { media_id: "m-1" }
}

fn client(server: &MockServer) -> open_platform_runtime::Client {
    builder(&OAPI, &server.uri())
        .token(StaticToken::new("tok"))
        .build()
        .expect("client builds")
        .0
}

fn file_response() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/pdf")
        .insert_header(
            "content-disposition",
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf",
        )
        .set_body_bytes(FILE)
}

async fn mount(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/media/download"))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

#[tokio::test]
async fn a_file_comes_with_its_type_name_and_length() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/download"))
        .and(query_param("media_id", "m-1"))
        .and(query_param("access_token", "tok"))
        .respond_with(file_response())
        .mount(&server)
        .await;

    let download = client(&server).download(request()).await.expect("a file");

    assert_eq!(download.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(download.file_name.as_deref(), Some("报告.pdf"));
    assert_eq!(download.content_length, Some(FILE.len() as u64));
    assert_eq!(download.bytes().await.expect("body"), FILE);
}

#[tokio::test]
async fn a_file_is_written_to_a_writer() {
    let server = MockServer::start().await;
    mount(&server, file_response()).await;

    let download = client(&server).download(request()).await.expect("a file");
    let mut written = Vec::new();
    let count = download.write_to(&mut written).await.expect("written");

    assert_eq!(count, FILE.len() as u64);
    assert_eq!(written, FILE);
}

#[cfg(feature = "files")]
#[tokio::test]
async fn a_file_is_saved_to_a_path() {
    let server = MockServer::start().await;
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    mount(
        &server,
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/octet-stream")
            .set_body_bytes(big.clone()),
    )
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("saved.bin");

    let download = client(&server).download(request()).await.expect("a file");
    assert_eq!(download.file_name, None);
    let count = download.save(&target).await.expect("saved");

    assert_eq!(count, big.len() as u64);
    assert_eq!(std::fs::read(&target).expect("read back"), big);
}

#[cfg(feature = "files")]
#[tokio::test]
async fn a_file_that_cannot_be_created_is_a_local_error() {
    let server = MockServer::start().await;
    mount(&server, file_response()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("no-such-dir").join("x.pdf");

    let download = client(&server).download(request()).await.expect("a file");
    let err = download.save(&target).await.expect_err("no such directory");

    match &err {
        Error::Transport { operation, source } => {
            assert_eq!(*operation, "media.download");
            assert_eq!(source.kind, TransportErrorKind::Local);
            assert!(source.message.contains("no-such-dir"), "{err}");
        }
        other => panic!("expected a local error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_platform_error_is_the_typed_api_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(200).set_body_json(envelope(40035, "invalid media_id")),
    )
    .await;

    let err = client(&server)
        .download(request())
        .await
        .expect_err("the platform refused");

    let api = err.api().expect("an API error");
    assert_eq!(api.operation, "media.download");
    assert_eq!(api.code.to_string(), "40035");
    assert_eq!(api.message, "invalid media_id");
    assert_eq!(requests(&server).await, 1, "not retried");
}

#[tokio::test]
async fn a_rejected_token_is_replayed_once_with_a_fresh_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/download"))
        .and(query_param("access_token", "token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(40014, "bad token")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/download"))
        .and(query_param("access_token", "token-2"))
        .respond_with(file_response())
        .mount(&server)
        .await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    let client = builder(&OAPI, &server.uri())
        .token(token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(Secret::new(format!("token-{n}"))) }
        }))
        .build()
        .expect("client builds")
        .0;

    let download = client
        .download(request())
        .await
        .expect("the replay gets the file");

    assert_eq!(download.bytes().await.expect("body"), FILE);
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_busy_gateway_is_retried_for_an_idempotent_download() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/download"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount(&server, file_response()).await;

    let download = client(&server)
        .download(request())
        .await
        .expect("the retry gets it");

    assert_eq!(download.bytes().await.expect("body"), FILE);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn an_error_page_is_a_not_json_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(404).set_body_raw("<html>not found</html>", "text/html"),
    )
    .await;

    let err = client(&server).download(request()).await.expect_err("404");

    match err {
        Error::NotJson {
            operation,
            status,
            content_type,
            snippet,
            kind,
            ..
        } => {
            assert_eq!((operation, status), ("media.download", 404));
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(snippet.contains("not found"), "{snippet}");
            assert_eq!(kind, PageKind::Other);
        }
        other => panic!("expected a not-JSON error, got {other:?}"),
    }
}

#[tokio::test]
async fn json_that_reports_success_is_not_a_file() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(200).set_body_json(envelope(0, "ok")),
    )
    .await;

    let err = client(&server)
        .download(request())
        .await
        .expect_err("no file");

    match &err {
        Error::Decode {
            operation, message, ..
        } => {
            assert_eq!(*operation, "media.download");
            assert!(message.contains("expected a file"), "{err}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_huge_json_body_is_not_buffered_whole() {
    let server = MockServer::start().await;
    let padding = "x".repeat(3 * 1024 * 1024);
    mount(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"errcode": 0, "errmsg": "ok", "pad": padding})),
    )
    .await;

    let err = client(&server)
        .download(request())
        .await
        .expect_err("no file");

    assert!(matches!(err, Error::Decode { .. }), "{err}");
    assert!(err.to_string().contains("more than 1048576 bytes"), "{err}");
}

#[tokio::test]
async fn the_token_is_redacted_from_errors() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(200).set_body_json(envelope(40035, "bad request with tok-secret-42")),
    )
    .await;
    let client = builder(&OAPI, &server.uri())
        .token(StaticToken::new("tok-secret-42"))
        .build()
        .expect("client builds")
        .0;

    let err = client.download(request()).await.expect_err("refused");

    assert!(!err.to_string().contains("tok-secret-42"), "{err}");
    assert!(err.to_string().contains("***"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// transports in process
// ---------------------------------------------------------------------------------------------

/// A transport that only implements `send`: downloads go through the default
/// `send_streaming`, without headers.
struct WholeOnly(HttpResponse);

impl Transport for WholeOnly {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let response = self.0.clone();
        Box::pin(async move { Ok(response) })
    }
}

fn whole_only(status: u16, body: &[u8]) -> open_platform_runtime::Client {
    builder(&OAPI, "http://in-process.invalid")
        .token(StaticToken::new("tok"))
        .transport(WholeOnly(HttpResponse::new(status, body)))
        .build()
        .expect("client builds")
        .0
}

#[tokio::test]
async fn a_transport_without_streaming_still_downloads() {
    let download = whole_only(200, FILE)
        .download(request())
        .await
        .expect("a file");

    assert_eq!(download.content_type, None);
    assert_eq!(download.bytes().await.expect("body"), FILE);
}

#[tokio::test]
async fn without_a_content_type_a_json_object_is_read_as_the_envelope() {
    let body = serde_json::to_vec(&envelope(40035, "invalid media_id")).expect("json");
    let err = whole_only(200, &body)
        .download(request())
        .await
        .expect_err("an error envelope");

    assert_eq!(
        err.api().map(|api| api.code.to_string()),
        Some("40035".to_owned())
    );
}

/// A transport whose streaming responses are scripted chunk by chunk.
struct Scripted {
    chunks: Mutex<Option<Vec<Result<Bytes, TransportError>>>>,
    /// Whether the body hangs after the scripted chunks instead of ending.
    hang: bool,
}

impl Transport for Scripted {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async {
            Err(TransportError {
                kind: TransportErrorKind::Other,
                message: "only streaming here".to_owned(),
            })
        })
    }

    fn send_streaming(
        &self,
        _: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let chunks = self
            .chunks
            .lock()
            .expect("not poisoned")
            .take()
            .unwrap_or_default();
        let hang = self.hang;
        Box::pin(async move {
            let body = futures_util::stream::iter(chunks);
            let body = if hang {
                body.chain(futures_util::stream::pending()).boxed()
            } else {
                body.boxed()
            };
            Ok(StreamingResponse {
                status: 200,
                headers: vec![(
                    "Content-Type".to_owned(),
                    "application/octet-stream".to_owned(),
                )],
                body,
            })
        })
    }
}

fn scripted(chunks: Vec<Result<Bytes, TransportError>>, hang: bool) -> TestPlatform {
    builder(&OAPI, "http://in-process.invalid")
        .token(StaticToken::new("tok"))
        .timeout(Duration::from_millis(50))
        .transport(Scripted {
            chunks: Mutex::new(Some(chunks)),
            hang,
        })
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn the_body_streams_chunk_by_chunk() {
    let chunks = vec![
        Ok(Bytes::from_static(b"one ")),
        Ok(Bytes::from_static(b"two ")),
        Ok(Bytes::from_static(b"three")),
    ];
    let download = scripted(chunks, false)
        .0
        .download(request())
        .await
        .expect("a file");

    let received: Vec<Bytes> = download
        .into_stream()
        .map(|chunk| chunk.expect("a chunk"))
        .collect()
        .await;

    assert_eq!(received, [&b"one "[..], b"two ", b"three"]);
}

#[tokio::test]
async fn an_error_while_streaming_names_the_operation() {
    let chunks = vec![
        Ok(Bytes::from_static(b"partial")),
        Err(TransportError {
            kind: TransportErrorKind::Other,
            message: "connection reset".to_owned(),
        }),
    ];
    let download = scripted(chunks, false)
        .0
        .download(request())
        .await
        .expect("the head arrived");

    let err = download.bytes().await.expect_err("the body broke");

    match &err {
        Error::Transport { operation, source } => {
            assert_eq!(*operation, "media.download");
            assert_eq!(source.kind, TransportErrorKind::Other);
            assert!(source.message.contains("connection reset"));
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out() {
    let chunks = vec![Ok(Bytes::from_static(b"first"))];
    let download = scripted(chunks, true)
        .0
        .download(request())
        .await
        .expect("the head arrived");

    let err = download.bytes().await.expect_err("no second chunk");

    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.operation(), "media.download");
}
