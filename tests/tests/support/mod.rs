//! What the wire tests of transcribed pages share: a DingTalk client pointed at a local server,
//! the page's own example response read out of the committed source text (so a test answers
//! with exactly what the page prints, and no copy of it can drift), and readers of the one
//! request the server received.
//!
//! Each test file that uses it declares `mod support;`; a file uses only some of these, so
//! unused ones are allowed here rather than warned about in every file.
#![allow(dead_code)]

use open_platform_clients::dingtalk;
use open_platform_clients::runtime::{RetryPolicy, StaticToken};
use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

/// The app token the DingTalk client sends.
pub const TOKEN: &str = "test-token";

/// A DingTalk client whose bases all point at `server`, with a fixed app token and single
/// attempts, so that request counts are exact.
pub fn dingtalk_client(server: &MockServer) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .server(server.uri())
        .build()
        .expect("client builds")
}

/// The committed copy of a DingTalk page, by file name under `specs/dingtalk/sources/`.
pub fn dingtalk_source(file: &str) -> String {
    let path = format!(
        "{}/../specs/dingtalk/sources/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The JSON value that starts at the first `{` after the `nth` (from 0) occurrence of `marker`
/// in `page`, exactly as the page prints it (braces inside strings are skipped).
pub fn example_after<'a>(page: &'a str, marker: &str, nth: usize) -> &'a str {
    let (at, _) = page
        .match_indices(marker)
        .nth(nth)
        .unwrap_or_else(|| panic!("the page has no occurrence {nth} of {marker:?}"));
    let start = at
        + page[at..]
            .find('{')
            .expect("a JSON object after the marker");
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in page[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return &page[start..=start + i];
                }
            }
            _ => {}
        }
    }
    panic!("the JSON object after {marker:?} does not end");
}

/// A 200 answering `body` as the page prints it (not re-encoded).
pub fn page_example(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// The single request `server` received.
pub async fn the_one_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

/// A request header as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The query pairs, in order.
pub fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

/// The body parsed as JSON.
pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// The body parsed as `application/x-www-form-urlencoded` pairs, in order.
pub fn form_body(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}
