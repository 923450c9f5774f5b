//! A Redis outage never fails a call the platform would answer: with `RedisTokenStore`'s
//! server stopped in the middle of a run, every call still succeeds (the token this process
//! stored serves; a rejected token is replaced by a fetch of this process's own), a store
//! whose Redis never answered works from the start, and the trace says why.
//!
//! This binary has its own `redis-server` (the one test stops it) and one test, which sets
//! the process-wide `tracing` subscriber that captures the trace.

mod redis_support;

use std::io;
use std::sync::{Arc, Mutex};

use futures_util::future::join_all;
use open_platform_clients::dingtalk::{self, auth, report};
use open_platform_clients::runtime::{
    RedisTokenStore, RetryPolicy, Secret, TokenRequest, TokenStore,
};
use redis_support::RedisServer;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UNREAD_PATH: &str = "/topapi/report/getunreadcount";

/// The formatted trace, in memory.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn token(value: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"errcode": 0, "access_token": value, "expires_in": 7200}))
}

fn unread_answer(code: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": code, "errmsg": "", "count": 3}))
}

fn client(server: &MockServer, store: RedisTokenStore) -> dingtalk::Client {
    let source = auth::GetTokenRequest::new("outage-app", "outage-secret")
        .into_token_source()
        .store(Arc::new(store));
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .server(server.uri())
        // Calls of one API, many at a time: the documented 20 a second is not what is tested.
        .without_rate_limits()
        .token(source)
        .build()
        .expect("client builds")
}

async fn unread(dt: &dingtalk::Client) -> Result<(), String> {
    dt.report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .map(drop)
        .map_err(|error| error.to_string())
}

async fn token_fetches(server: &MockServer) -> usize {
    let requests = server.received_requests().await.expect("recorded");
    requests
        .iter()
        .filter(|request| request.url.path() == "/gettoken")
        .count()
}

/// The captured lines at WARN level.
fn warnings(trace: &str) -> Vec<&str> {
    trace.lines().filter(|line| line.contains("WARN")).collect()
}

#[tokio::test]
async fn calls_succeed_while_redis_is_stopped_and_the_trace_says_why() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(capture.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(token("token-1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(token("token-2"))
        .mount(&server)
        .await;
    // token-1 serves the first call and the ten during the outage, then the platform rejects
    // it (42001: expired), and token-2 serves.
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "token-1"))
        .respond_with(unread_answer(0))
        .up_to_n_times(11)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "token-1"))
        .respond_with(unread_answer(42001))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "token-2"))
        .respond_with(unread_answer(0))
        .mount(&server)
        .await;
    let url = redis.url();
    let dt = client(&server, RedisTokenStore::open(&url).unwrap());

    // Redis up: the token is fetched and shared through Redis.
    unread(&dt).await.unwrap();
    let reader = RedisTokenStore::open(&url).unwrap();
    // The app's token key, as `TokenKey` renders it for the client (which has no tenant).
    let key = auth::GetTokenRequest::new("outage-app", "outage-secret")
        .into_token_source()
        .cache_key(dt.runtime());
    let stored = reader.get(&key).await.expect("the token is in Redis");
    assert_eq!(stored.token, Secret::new("token-1"));
    assert!(warnings(&capture.text()).is_empty(), "{}", capture.text());

    redis.stop();

    // Redis stopped: ten calls at once, served by the token this process stored.
    let results = join_all((0..10).map(|_| unread(&dt))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(token_fetches(&server).await, 1);
    // The platform rejects token-1: the call replaces it with a fetch of its own and succeeds.
    unread(&dt).await.unwrap();
    assert_eq!(token_fetches(&server).await, 2);
    // A store whose Redis never answered: the call fetches (the mock's token-2) and succeeds.
    let cold = client(&server, RedisTokenStore::open(&url).unwrap());
    unread(&cold).await.unwrap();
    assert_eq!(token_fetches(&server).await, 3);

    let trace = capture.text();
    let warnings = warnings(&trace);
    for why in [
        "Redis token store: reading the token failed",
        "Redis token store: removing the rejected token failed",
        "Redis token store: taking the fetch lock failed",
        "Redis token store: storing the token failed",
    ] {
        assert!(
            warnings.iter().any(|line| line.contains(why)),
            "no warning `{why}` in:\n{trace}"
        );
    }
    // Each warning names the Redis failure (redis-rs's words for a refused or dropped
    // connection) and never a token.
    for line in &warnings {
        assert!(line.contains("error="), "{line}");
        assert!(
            !line.contains("token-1") && !line.contains("token-2"),
            "{line}"
        );
    }
    assert!(
        warnings.iter().any(|line| {
            let lower = line.to_lowercase();
            lower.contains("refused") || lower.contains("closed") || lower.contains("broken")
        }),
        "{trace}"
    );
}
