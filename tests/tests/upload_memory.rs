//! A 50 MiB file part streams from disk: the kitchen sink's `upload` sends it to a tiny
//! in-process HTTP server on the loopback interface, which reads the body as it arrives and
//! keeps only a byte count and a hash of the file part (wiremock would buffer the request), while
//! a counting global allocator (`peak_alloc`) measures the process's peak heap during the upload.
//!
//! The measurement covers the whole process, the server task included, so it is an upper bound
//! of the client's own growth. This file holds one test, so no other test allocates meanwhile.

use std::io::Write as _;

use peak_alloc::PeakAlloc;
use sha2::{Digest as _, Sha256};
use tests::kitchen_sink::{self, wire};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpListener;

use open_platform_runtime::{FilePart, RetryPolicy, StaticToken};

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

const MIB: usize = 1024 * 1024;
/// The file's size.
const FILE_SIZE: usize = 50 * MIB;
/// The most the heap may grow while the file is sent: a fifth of the file.
const HEAP_LIMIT: usize = 10 * MIB;
/// How much the server reads from the socket at a time.
const READ_BUFFER: usize = 64 * 1024;

/// What the server saw of the request.
#[derive(Debug)]
struct Received {
    /// The request line (`POST /files/upload?access_token=... HTTP/1.1`).
    request_line: String,
    /// The body's length, as announced and as read.
    content_length: u64,
    body_read: u64,
    /// The names of the multipart parts, in order.
    parts: Vec<String>,
    /// The `file` part's length and SHA-256.
    file_bytes: u64,
    file_hash: Vec<u8>,
}

/// Writes `FILE_SIZE` pseudo-random bytes in 1 MiB chunks; returns their SHA-256.
fn write_test_file(file: &mut std::fs::File) -> Vec<u8> {
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; MIB];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..FILE_SIZE / MIB {
        for word in chunk.chunks_exact_mut(8) {
            // xorshift64: cheap, and no two chunks are alike.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        hasher.update(&chunk);
        file.write_all(&chunk).expect("write a chunk");
    }
    file.flush().expect("flush");
    hasher.finalize().to_vec()
}

/// Reads one request's head (up to the blank line); returns it and the body bytes read with it.
async fn read_head(reader: &mut OwnedReadHalf) -> (String, Vec<u8>) {
    let mut head = Vec::new();
    let mut buffer = vec![0u8; READ_BUFFER];
    loop {
        let n = reader.read(&mut buffer).await.expect("read the head");
        assert!(n > 0, "the connection closed inside the head");
        head.extend_from_slice(&buffer[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = head.split_off(end + 4);
            return (String::from_utf8(head).expect("an ASCII head"), rest);
        }
        assert!(
            head.len() < READ_BUFFER,
            "a head this long is not a request"
        );
    }
}

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Serves one request: reads the body as a stream into `multer`, hashing the `file` part and
/// discarding the rest, and answers the upload's success.
async fn serve_one(listener: TcpListener) -> Received {
    let (socket, _) = listener.accept().await.expect("a connection");
    let (mut reader, mut writer) = socket.into_split();
    let (head, first) = read_head(&mut reader).await;
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    assert_eq!(
        header_value(&head, "transfer-encoding"),
        None,
        "a file from a path has a known length, so the body is not chunked"
    );
    let content_length: u64 = header_value(&head, "content-length")
        .expect("a Content-Length")
        .parse()
        .expect("a number");
    let boundary =
        multer::parse_boundary(header_value(&head, "content-type").expect("a content type"))
            .expect("multipart/form-data");

    // The body as a stream of chunks: what came with the head, then the socket until the
    // announced length is read.
    let state = (reader, Some(first), content_length, 0u64);
    let body =
        futures_util::stream::unfold(state, |(mut reader, first, length, read)| async move {
            if let Some(first) = first.filter(|f| !f.is_empty()) {
                let read = read + first.len() as u64;
                return Some((Ok(first), (reader, None, length, read)));
            }
            if read >= length {
                return None;
            }
            let mut buffer = vec![0u8; READ_BUFFER.min((length - read) as usize)];
            match reader.read(&mut buffer).await {
                Ok(0) => Some((
                    Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
                    (reader, None, length, length),
                )),
                Ok(n) => {
                    buffer.truncate(n);
                    Some((Ok(buffer), (reader, None, length, read + n as u64)))
                }
                Err(err) => Some((Err(err), (reader, None, length, length))),
            }
        });
    let body_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = std::sync::Arc::clone(&body_read);
    let body = futures_util::StreamExt::inspect(body, move |chunk| {
        if let Ok(chunk) = chunk {
            counter.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });

    let mut multipart = multer::Multipart::new(body, boundary);
    let mut parts = Vec::new();
    let mut file_bytes = 0u64;
    let mut hasher = Sha256::new();
    while let Some(mut field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().unwrap_or_default().to_owned();
        while let Some(chunk) = field.chunk().await.expect("the part's content") {
            if name == "file" {
                file_bytes += chunk.len() as u64;
                hasher.update(&chunk);
            }
        }
        parts.push(name);
    }

    let answer = br#"{"err_code":0,"file_id":"x"}"#;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        answer.len()
    );
    writer
        .write_all(response.as_bytes())
        .await
        .expect("write the head");
    writer.write_all(answer).await.expect("write the body");
    writer.shutdown().await.expect("close");
    Received {
        request_line,
        content_length,
        body_read: body_read.load(std::sync::atomic::Ordering::Relaxed),
        parts,
        file_bytes,
        file_hash: hasher.finalize().to_vec(),
    }
}

#[tokio::test]
async fn a_50_mib_file_part_streams_with_little_heap() {
    // Setup, outside the measurement: the file on disk, the server, the client.
    let mut file = tempfile::Builder::new()
        .prefix("large")
        .suffix(".bin")
        .tempfile()
        .expect("temp file");
    let file_hash = write_test_file(file.as_file_mut());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("an address");
    let client = kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new("tok"))
        .base_url(&kitchen_sink::CLASSIC, format!("http://{address}"))
        .build()
        .expect("client builds");
    let request = wire::UploadRequest::new("video", FilePart::from_path(file.path()));

    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let server = tokio::spawn(serve_one(listener));
    let response = client.wire().upload(request).await;
    let peak_growth = ALLOCATOR.peak_usage().saturating_sub(before);
    let received = server.await.expect("the server task");

    let response = response.expect("the upload succeeds");
    assert_eq!(response.file_id.as_deref(), Some("x"));
    eprintln!(
        "peak heap growth during the 50 MiB upload: {peak_growth} bytes ({:.2} MiB)",
        peak_growth as f64 / MIB as f64
    );
    assert!(
        received
            .request_line
            .starts_with("POST /files/upload?access_token=tok "),
        "{}",
        received.request_line
    );
    assert_eq!(received.parts, ["kind", "file"]);
    assert_eq!(received.body_read, received.content_length);
    assert_eq!(received.file_bytes, FILE_SIZE as u64, "the whole file");
    assert!(
        received.file_hash == file_hash,
        "the file's bytes, in order"
    );
    assert!(
        peak_growth < HEAP_LIMIT,
        "the heap grew by {peak_growth} bytes while sending a {FILE_SIZE}-byte file"
    );
}
