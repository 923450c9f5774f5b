//! The production runtime against a local wiremock server (or a transport double): token fetching, caching, refresh and replay; retries by error class and idempotency; time limits; decode errors; secrets kept out of logs, errors and `Debug`; and a custom `Transport`. Behaviour in time (shared token fetches, backoff, rate-limit delays, time limits) runs against an in-process transport on a paused tokio clock, where every instant is exact and no test waits in real time.

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures_util::future::join_all;
use open_platform_clients::dingtalk::{self, auth, blackboard, hrm, report};
use open_platform_clients::runtime::{
    self, token_fn, BoxFuture, ClientBuilder, Error, ErrorMeaning, FetchedToken, HttpRequest,
    HttpResponse, IssuedToken, Method, PageKind, ReceivedCode, RetryPolicy, Secret, StaticToken,
    StoredToken, TokenRequest, TokenStore, Transport, TransportError, TransportErrorKind,
};
use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const APPKEY: &str = "appkey";
const APPSECRET: &str = "the-app-secret";
const STATIC_TOKEN: &str = "static-token";
const UNREAD_PATH: &str = "/topapi/report/getunreadcount";
const CATEGORIES_PATH: &str = "/topapi/blackboard/category/list";
const CREATE_PATH: &str = "/topapi/blackboard/create";
const LIST_PATH: &str = "/topapi/report/list";
const DISMISSIONS_PATH: &str = "/v1.0/hrm/employees/dismissions";
const V1_TOKEN_HEADER: &str = "x-acs-dingtalk-access-token";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// The default retry budget without waiting between attempts: tests against a server count
/// attempts and need no real time; the delays are tested on a paused clock (`clocked` below).
fn no_wait_retry() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::ZERO, Duration::ZERO, Duration::ZERO)
}

/// A builder whose bases all point at `server`, with retries that do not wait, no token
/// source and no rate budgets: these tests send a hundred concurrent calls to see tokens
/// shared, which DingTalk's documented 20 calls a second would spread over seconds (the
/// budgets have tests of their own, in the runtime's `rate` tests).
fn builder(server: &MockServer) -> ClientBuilder<dingtalk::Client> {
    dingtalk::Client::builder()
        .retry(no_wait_retry())
        .server(server.uri())
        .without_rate_limits()
}

/// A client with a fixed token.
fn static_client(server: &MockServer) -> dingtalk::Client {
    builder(server)
        .token(StaticToken::new(STATIC_TOKEN))
        .build()
        .expect("client builds")
}

/// A client fetching its tokens with `GET /gettoken`.
fn token_client(server: &MockServer) -> dingtalk::Client {
    builder(server)
        .token_request(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .build()
        .expect("client builds")
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn oapi_error(code: i64) -> ResponseTemplate {
    ok(json!({"errcode": code, "errmsg": format!("error {code}")}))
}

fn unread_ok() -> ResponseTemplate {
    ok(unread_body())
}

fn unread() -> report::GetUnreadCountRequest {
    report::GetUnreadCountRequest::new("user123")
}

fn create_request() -> blackboard::CreateRequest {
    blackboard::CreateRequest::new(blackboard::OapiCreateBlackboardVo::new(
        "manager01",
        blackboard::BlackboardReceiverOpenVo::new().userid_list(vec!["u1".to_owned()]),
        "入职须知",
        "欢迎加入我们的大家庭",
    ))
}

fn list_request() -> report::ListRequest {
    report::ListRequest::new(
        open_platform_clients::runtime::Millis(1_507_564_800_000),
        open_platform_clients::runtime::Millis(1_507_651_200_000),
        0,
        10,
    )
}

/// `GET /gettoken` with the app's key and secret, answering `token`; `times` limits how often
/// this mock answers before the next one takes over.
async fn mount_token(server: &MockServer, token: &str, expires_in: i64, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path("/gettoken"))
        .and(query_param("appkey", APPKEY))
        .and(query_param("appsecret", APPSECRET))
        .respond_with(ok(json!({
            "errcode": 0,
            "errmsg": "ok",
            "access_token": token,
            "expires_in": expires_in
        })));
    let mock = match times {
        Some(n) => mock.up_to_n_times(n),
        None => mock,
    };
    mock.mount(server).await;
}

/// The requests the server received for `p`, in arrival order.
async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

/// The `access_token` query parameter of each request.
fn query_tokens(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "access_token")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// an in-process server on the tokio clock
// ---------------------------------------------------------------------------------------------

/// How the in-process server answers one request: after how long, and with what.
type Answer = (Duration, HttpResponse);

/// A JSON answer with status 200 that takes `after` on the tokio clock.
fn answer(after: Duration, body: Value) -> Answer {
    let body = serde_json::to_vec(&body).expect("JSON encodes");
    (after, HttpResponse::new(200, body))
}

/// Longer than any time limit in these tests: a server that does not answer.
const NEVER: Duration = Duration::from_secs(3600);

/// A transport double that answers in process and takes its time on the tokio clock.
///
/// Tests of behaviour in time run it on a paused clock (`start_paused`): time then moves only
/// when every task waits, jumps straight to the next timer and costs no real time. Without
/// sockets nothing else can wake the runtime, so the instants it records are exact and a test
/// can assert when each request arrived and when each call ended, however slow the machine.
#[derive(Clone)]
struct Clocked {
    answer: Arc<dyn Fn(&HttpRequest) -> Answer + Send + Sync>,
    arrivals: Arc<Mutex<Vec<(HttpRequest, Instant)>>>,
}

impl Clocked {
    fn new(answer: impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static) -> Self {
        Self {
            answer: Arc::new(answer),
            arrivals: Arc::default(),
        }
    }

    /// The requests to `p`, in arrival order.
    fn requests_to(&self, p: &str) -> Vec<HttpRequest> {
        self.arrivals_at(p).into_iter().map(|(r, _)| r).collect()
    }

    /// When each request to `p` arrived.
    fn instants(&self, p: &str) -> Vec<Instant> {
        self.arrivals_at(p).into_iter().map(|(_, at)| at).collect()
    }

    /// The `access_token` query parameter of each request to `p`.
    fn tokens(&self, p: &str) -> Vec<String> {
        self.requests_to(p)
            .iter()
            .map(|r| r.query("access_token").unwrap_or_default())
            .collect()
    }

    fn arrivals_at(&self, p: &str) -> Vec<(HttpRequest, Instant)> {
        let arrivals = self.arrivals.lock().unwrap();
        arrivals
            .iter()
            .filter(|(r, _)| r.url.path() == p)
            .cloned()
            .collect()
    }
}

impl Transport for Clocked {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let (after, response) = (self.answer)(&request);
        self.arrivals
            .lock()
            .unwrap()
            .push((request, Instant::now()));
        Box::pin(async move {
            tokio::time::sleep(after).await;
            Ok(response)
        })
    }
}

/// A builder sending through `transport` (the production base URLs never leave the process),
/// with retries that do not wait, no token source and no rate budgets (see [`builder`]).
fn clocked(transport: &Clocked) -> ClientBuilder<dingtalk::Client> {
    dingtalk::Client::builder()
        .transport(transport.clone())
        .retry(no_wait_retry())
        .without_rate_limits()
}

/// A client through `transport` with a fixed token.
fn clocked_static(transport: &Clocked, timeout: Duration, retry: RetryPolicy) -> dingtalk::Client {
    clocked(transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .timeout(timeout)
        .retry(retry)
        .build()
        .expect("client builds")
}

fn unread_body() -> Value {
    json!({"errcode": 0, "errmsg": "ok", "count": 2, "request_id": "r1"})
}

fn token_body(token: &str) -> Value {
    json!({"errcode": 0, "access_token": token, "expires_in": 7200})
}

// ---------------------------------------------------------------------------------------------
// tokens
// ---------------------------------------------------------------------------------------------

/// How long the in-process token endpoint takes. On a paused clock every caller reaches the
/// token source while the first fetch is still in flight: time moves only when all tasks wait.
const FETCH_TIME: Duration = Duration::from_millis(100);

/// How long the in-process data endpoint takes: every caller holds a token before the first
/// answer (and rejection) comes back.
const CALL_TIME: Duration = Duration::from_millis(10);

/// Runs `calls` concurrent `report.get_unread_count` calls through `dt`; gives each result with
/// the instant its call ended.
async fn concurrent_unread_calls(
    dt: &dingtalk::Client,
    calls: usize,
) -> Vec<(runtime::Result<report::GetUnreadCountResponse>, Instant)> {
    let handles: Vec<_> = (0..calls)
        .map(|_| {
            let dt = dt.clone();
            tokio::spawn(async move {
                let result = dt.report().get_unread_count(unread()).await;
                (result, Instant::now())
            })
        })
        .collect();
    join_all(handles)
        .await
        .into_iter()
        .map(|joined| joined.expect("task ran"))
        .collect()
}

/// A client through `transport` fetching its tokens with `GET /gettoken`.
fn clocked_token_client(transport: &Clocked) -> dingtalk::Client {
    clocked(transport)
        .token_request(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .build()
        .expect("client builds")
}

#[tokio::test(start_paused = true)]
async fn hundred_concurrent_calls_on_a_cold_cache_fetch_exactly_one_token() {
    let transport = Clocked::new(|request| match request.url.path() {
        "/gettoken" => answer(FETCH_TIME, token_body("tok-1")),
        _ => answer(CALL_TIME, unread_body()),
    });
    let dt = clocked_token_client(&transport);
    let started = Instant::now();

    let results = concurrent_unread_calls(&dt, 100).await;

    let fetches = transport.requests_to("/gettoken");
    assert_eq!(fetches.len(), 1);
    assert_eq!(fetches[0].query("appkey").as_deref(), Some(APPKEY));
    assert_eq!(fetches[0].query("appsecret").as_deref(), Some(APPSECRET));
    assert_eq!(transport.tokens(UNREAD_PATH), vec!["tok-1"; 100]);
    for (result, ended) in results {
        assert_eq!(result.expect("call succeeds").count, Some(2));
        // Every caller waited for the one fetch, then for its own call, and for nothing else.
        assert_eq!(ended - started, FETCH_TIME + CALL_TIME);
    }
}

#[tokio::test(start_paused = true)]
async fn concurrent_token_rejections_share_one_refresh() {
    let issued = AtomicUsize::new(0);
    let transport = Clocked::new(move |request| match request.url.path() {
        "/gettoken" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            answer(FETCH_TIME, token_body(&format!("tok-{n}")))
        }
        _ if request.query("access_token").as_deref() == Some("tok-1") => answer(
            CALL_TIME,
            json!({"errcode": 40014, "errmsg": "error 40014"}),
        ),
        _ => answer(CALL_TIME, unread_body()),
    });
    let dt = clocked_token_client(&transport);
    let started = Instant::now();

    let results = concurrent_unread_calls(&dt, 50).await;

    // One cold fetch and one refresh, although all 50 callers saw the rejection.
    assert_eq!(transport.requests_to("/gettoken").len(), 2);
    let tokens = transport.tokens(UNREAD_PATH);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-1").count(), 50);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-2").count(), 50);
    for (result, ended) in results {
        result.expect("call succeeds after the refresh");
        // The cold fetch, the rejected call, the one shared refresh, the replay.
        assert_eq!(ended - started, 2 * (FETCH_TIME + CALL_TIME));
    }
}

/// The [`Error::Token`] of a call that got no token: (call, token operation, retry_after,
/// the token operation's failure).
fn token_failure(err: &Error) -> (&'static str, &'static str, Duration, &Arc<Error>) {
    match err {
        Error::Token {
            operation,
            token_operation,
            retry_after,
            source,
            ..
        } => (operation, token_operation, *retry_after, source),
        other => panic!("expected Error::Token, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn failed_shared_token_fetch_is_not_repeated_by_every_waiting_caller() {
    let transport = Clocked::new(|request| match request.url.path() {
        "/gettoken" => answer(
            FETCH_TIME,
            json!({"errcode": 40001, "errmsg": "invalid credential"}),
        ),
        _ => answer(Duration::ZERO, unread_body()),
    });
    let dt = clocked_token_client(&transport);
    let started = Instant::now();

    let results = concurrent_unread_calls(&dt, 50).await;

    // All 50 callers were waiting for the same fetch; its failure is their answer: the same
    // variant, naming each caller's operation and the token operation, with the same source.
    assert_eq!(transport.requests_to("/gettoken").len(), 1);
    assert!(transport.requests_to(UNREAD_PATH).is_empty());
    let errors: Vec<Error> = results
        .into_iter()
        .map(|(result, ended)| {
            assert_eq!(ended - started, FETCH_TIME);
            result.unwrap_err()
        })
        .collect();
    let (_, _, _, first) = token_failure(&errors[0]);
    for err in &errors {
        let (operation, token_operation, retry_after, source) = token_failure(err);
        assert_eq!(operation, "report.get_unread_count");
        assert_eq!(token_operation, "auth.get_token");
        assert_eq!(retry_after, Duration::from_secs(1));
        assert!(Arc::ptr_eq(source, first), "one shared failure");
        assert_eq!(source.api().unwrap().code, ReceivedCode::Integer(40001));
        assert_eq!(err.operation(), "report.get_unread_count");
        assert_eq!(
            err.token_failure()
                .and_then(Error::api)
                .map(|api| &api.code),
            Some(&ReceivedCode::Integer(40001))
        );
    }
    assert_eq!(
        errors[0].to_string(),
        "report.get_unread_count: no access token: the token operation auth.get_token failed \
         (asked again in 1s at the earliest): auth.get_token: error code 40001: invalid \
         credential [token invalid or expired; not replayed]"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_token_endpoint_is_asked_once_by_100_calls_over_one_second() {
    let transport = Clocked::new(|request| match request.url.path() {
        "/gettoken" => answer(
            Duration::ZERO,
            json!({"errcode": 40001, "errmsg": "invalid credential"}),
        ),
        _ => answer(Duration::ZERO, unread_body()),
    });
    let dt = clocked_token_client(&transport);
    let started = Instant::now();

    // One call every 10 ms, from 0 to 990 ms.
    let handles: Vec<_> = (0..100u64)
        .map(|i| {
            let dt = dt.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(10 * i)).await;
                let called = Instant::now();
                let result = dt.report().get_unread_count(unread()).await;
                (result, called.elapsed())
            })
        })
        .collect();
    let results: Vec<_> = join_all(handles)
        .await
        .into_iter()
        .map(|joined| joined.expect("task ran"))
        .collect();

    // N = 1: the first call asked; the 99 others fell in the 1 s pause after its failure.
    assert_eq!(transport.instants("/gettoken"), [started]);
    assert!(transport.requests_to(UNREAD_PATH).is_empty());
    let (_, _, _, first) = token_failure(results[0].0.as_ref().unwrap_err());
    for (i, (result, took)) in results.iter().enumerate() {
        let err = result.as_ref().unwrap_err();
        let (operation, token_operation, retry_after, source) = token_failure(err);
        assert_eq!(
            (operation, token_operation),
            ("report.get_unread_count", "auth.get_token")
        );
        assert!(
            Arc::ptr_eq(source, first),
            "call {i} carries the last failure"
        );
        // Each failed at once, and knows when the endpoint is asked again.
        assert_eq!(*took, Duration::ZERO, "call {i}");
        assert_eq!(
            retry_after,
            Duration::from_millis(1000 - 10 * i as u64),
            "call {i}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_pause_after_failed_fetches_doubles_and_a_success_resets_it() {
    let asked = AtomicUsize::new(0);
    let transport = Clocked::new(move |request| match request.url.path() {
        "/gettoken" => match asked.fetch_add(1, Ordering::SeqCst) {
            // A token of 3 s (replaced 1 s before its expiry), then one more failure.
            3 => answer(
                Duration::ZERO,
                json!({"errcode": 0, "access_token": "tok-1", "expires_in": 3}),
            ),
            5 => answer(Duration::ZERO, token_body("tok-2")),
            _ => answer(Duration::ZERO, json!({"errcode": -1, "errmsg": "busy"})),
        },
        _ => answer(Duration::ZERO, unread_body()),
    });
    // Without retries of the token call itself, so that each fetch is one request.
    let dt = clocked(&transport)
        .retry(RetryPolicy::none())
        .token_request(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .build()
        .unwrap();
    let started = Instant::now();

    // One call every 100 ms for 12 s.
    let mut outcomes = Vec::new();
    for _ in 0..120 {
        outcomes.push(dt.report().get_unread_count(unread()).await.is_ok());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let asked_at: Vec<Duration> = transport
        .instants("/gettoken")
        .into_iter()
        .map(|at| at - started)
        .collect();
    // Failures at 0, 1 and 3 s pause 1, 2 and 4 s; the token fetched at 7 s is to be
    // replaced at 9 s; that failure pauses 1 s again (reset by the success), during which
    // the old token, not expired yet, still serves; the fetch at 10 s succeeds.
    assert_eq!(asked_at, [0, 1, 3, 7, 9, 10].map(Duration::from_secs));
    assert!(outcomes[..70].iter().all(|ok| !ok), "{outcomes:?}");
    assert!(outcomes[70..].iter().all(|ok| *ok), "{outcomes:?}");
    let tokens = transport.tokens(UNREAD_PATH);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-1").count(), 30);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-2").count(), 20);
}

#[tokio::test(start_paused = true)]
async fn a_60_second_token_serves_calls_for_40_seconds() {
    let issued = AtomicUsize::new(0);
    let transport = Clocked::new(move |request| match request.url.path() {
        "/gettoken" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let body = json!({"errcode": 0, "access_token": format!("tok-{n}"), "expires_in": 60});
            answer(Duration::ZERO, body)
        }
        _ => answer(Duration::ZERO, unread_body()),
    });
    // The default margin (300 s) is longer than the token's life: a third of it, 20 s, is used.
    let dt = clocked_token_client(&transport);
    let started = Instant::now();

    for _ in 0..100 {
        dt.report().get_unread_count(unread()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }

    let fetched_at: Vec<Duration> = transport
        .instants("/gettoken")
        .into_iter()
        .map(|at| at - started)
        .collect();
    assert_eq!(fetched_at, [0, 40, 80].map(Duration::from_secs));
    let tokens = transport.tokens(UNREAD_PATH);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-1").count(), 40);
    assert_eq!(tokens.iter().filter(|t| *t == "tok-2").count(), 40);
}

#[tokio::test(start_paused = true)]
async fn token_within_the_refresh_margin_is_refreshed_on_the_next_call() {
    let issued = AtomicUsize::new(0);
    let transport = Clocked::new(move |request| match request.url.path() {
        "/gettoken" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            answer(Duration::ZERO, token_body(&format!("tok-{n}")))
        }
        _ => answer(Duration::ZERO, unread_body()),
    });
    let dt = clocked_token_client(&transport);

    // A 7200 s token is replaced when 300 s are left (the default margin): at 6900 s.
    let started = Instant::now();
    for at in [0, 6899, 6900, 6901] {
        tokio::time::sleep_until(started + Duration::from_secs(at)).await;
        dt.report().get_unread_count(unread()).await.unwrap();
    }

    assert_eq!(
        transport.tokens(UNREAD_PATH),
        ["tok-1", "tok-1", "tok-2", "tok-2"]
    );
}

#[tokio::test]
async fn token_invalid_code_refreshes_once_and_replays_with_the_new_token() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 7200, Some(1)).await;
    mount_token(&server, "tok-2", 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "tok-1"))
        .respond_with(oapi_error(40014))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "tok-2"))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let dt = token_client(&server);

    let response = dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(response.count, Some(2));
    assert_eq!(requests_to(&server, "/gettoken").await.len(), 2);
    let calls = requests_to(&server, UNREAD_PATH).await;
    assert_eq!(query_tokens(&calls), ["tok-1", "tok-2"]);

    // The fresh token is cached: the next call fetches nothing.
    dt.report().get_unread_count(unread()).await.unwrap();
    assert_eq!(requests_to(&server, "/gettoken").await.len(), 2);
    assert_eq!(
        query_tokens(&requests_to(&server, UNREAD_PATH).await),
        ["tok-1", "tok-2", "tok-2"]
    );
}

#[tokio::test]
async fn second_token_invalid_code_on_the_replay_is_returned() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 7200, Some(1)).await;
    mount_token(&server, "tok-2", 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(40014))
        .mount(&server)
        .await;
    let dt = token_client(&server);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert!(err.is_token_invalid(), "{err:?}");
    let api = err.api().unwrap();
    assert_eq!(api.code, ReceivedCode::Integer(40014));
    assert_eq!(api.operation, "report.get_unread_count");
    let calls = requests_to(&server, UNREAD_PATH).await;
    assert_eq!(query_tokens(&calls), ["tok-1", "tok-2"]);
    assert_eq!(requests_to(&server, "/gettoken").await.len(), 2);
}

#[tokio::test]
async fn v1_invalid_authentication_refreshes_and_replays_with_the_header_token() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 7200, Some(1)).await;
    mount_token(&server, "tok-2", 7200, None).await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .and(header(V1_TOKEN_HEADER, "tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "code": "InvalidAuthentication",
            "message": "不合法的access_token",
            "requestid": "req-1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .and(header(V1_TOKEN_HEADER, "tok-2"))
        .respond_with(ok(json!({"userIdList": ["u1"], "hasMore": false})))
        .expect(1)
        .mount(&server)
        .await;
    let dt = token_client(&server);

    let response = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap();

    assert_eq!(response.user_id_list, Some(vec!["u1".to_owned()]));
    assert_eq!(requests_to(&server, "/gettoken").await.len(), 2);
    server.verify().await;
}

#[tokio::test]
async fn token_outside_a_custom_refresh_margin_is_reused() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 60, Some(1)).await;
    mount_token(&server, "tok-2", 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let source = auth::GetTokenRequest::new(APPKEY, APPSECRET)
        .into_token_source()
        .refresh_ahead(Duration::from_secs(10));
    let dt = builder(&server).token(source).build().unwrap();

    dt.report().get_unread_count(unread()).await.unwrap();
    dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(requests_to(&server, "/gettoken").await.len(), 1);
    assert_eq!(
        query_tokens(&requests_to(&server, UNREAD_PATH).await),
        ["tok-1", "tok-1"]
    );
}

#[tokio::test]
async fn token_fn_closure_is_asked_for_every_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let dt = builder(&server)
        .token(token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(Secret::new(format!("fn-token-{n}"))) }
        }))
        .build()
        .unwrap();

    dt.report().get_unread_count(unread()).await.unwrap();
    dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        query_tokens(&requests_to(&server, UNREAD_PATH).await),
        ["fn-token-1", "fn-token-2"]
    );
}

#[tokio::test]
async fn token_fn_error_is_returned_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let dt = builder(&server)
        .token(token_fn(|| async {
            Err(Error::Auth {
                operation: "vault.read",
                message: "vault sealed".to_owned(),
            })
        }))
        .build()
        .unwrap();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(
        matches!(&err, Error::Auth { message, .. } if message == "vault sealed"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn call_without_a_token_source_is_an_auth_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let dt = builder(&server).build().unwrap();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "report.get_unread_count",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn failed_token_fetch_is_returned_without_a_data_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(ok(
            json!({"errcode": 40001, "errmsg": "invalid credential"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dt = token_client(&server);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let (operation, token_operation, _, source) = token_failure(&err);
    assert_eq!(
        (operation, token_operation),
        ("report.get_unread_count", "auth.get_token")
    );
    assert_eq!(source.api().unwrap().code, ReceivedCode::Integer(40001));
    assert!(requests_to(&server, UNREAD_PATH).await.is_empty());
    server.verify().await;
}

/// A [`TokenStore`] that counts its use, standing in for Redis or a database.
#[derive(Default)]
struct CountingStore {
    map: Mutex<BTreeMap<String, StoredToken>>,
    gets: AtomicUsize,
    puts: AtomicUsize,
    removes: AtomicUsize,
}

impl TokenStore for CountingStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        let found = self.map.lock().unwrap().get(key).cloned();
        Box::pin(async move { found })
    }

    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()> {
        self.puts.fetch_add(1, Ordering::SeqCst);
        self.map.lock().unwrap().insert(key.to_owned(), token);
        Box::pin(async {})
    }

    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()> {
        self.removes.fetch_add(1, Ordering::SeqCst);
        let mut map = self.map.lock().unwrap();
        if map.get(key).is_some_and(|t| t.token == *stale) {
            map.remove(key);
        }
        Box::pin(async {})
    }
}

#[tokio::test]
async fn custom_token_store_is_shared_by_two_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .and(query_param("appkey", APPKEY))
        .and(query_param("appsecret", APPSECRET))
        .respond_with(ok(
            json!({"errcode": 0, "access_token": "tok-1", "expires_in": 7200}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let store = Arc::new(CountingStore::default());
    let source = |store: &Arc<CountingStore>| -> FetchedToken {
        auth::GetTokenRequest::new(APPKEY, APPSECRET)
            .into_token_source()
            .store(Arc::clone(store) as Arc<dyn TokenStore>)
    };
    let first = builder(&server).token(source(&store)).build().unwrap();
    let second = builder(&server).token(source(&store)).build().unwrap();

    first.report().get_unread_count(unread()).await.unwrap();
    second.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(requests_to(&server, "/gettoken").await.len(), 1);
    assert_eq!(store.puts.load(Ordering::SeqCst), 1);
    assert!(store.gets.load(Ordering::SeqCst) >= 2);
    assert_eq!(store.removes.load(Ordering::SeqCst), 0);
    assert_eq!(
        query_tokens(&requests_to(&server, UNREAD_PATH).await),
        ["tok-1", "tok-1"]
    );
    // The cache key identifies the app but must not carry the secret: stores persist keys.
    let keys: Vec<String> = store.map.lock().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 1);
    assert!(
        keys[0].starts_with("opc:v1:dingtalk:app:appkey:"),
        "{keys:?}"
    );
    assert!(!keys[0].contains(APPSECRET), "{keys:?}");
    server.verify().await;
}

#[tokio::test]
async fn token_rejected_by_the_platform_is_removed_from_a_custom_store() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 7200, Some(1)).await;
    mount_token(&server, "tok-2", 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "tok-1"))
        .respond_with(oapi_error(42001))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .and(query_param("access_token", "tok-2"))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let store = Arc::new(CountingStore::default());
    let source = auth::GetTokenRequest::new(APPKEY, APPSECRET)
        .into_token_source()
        .store(Arc::clone(&store) as Arc<dyn TokenStore>);
    let dt = builder(&server).token(source).build().unwrap();

    dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(store.removes.load(Ordering::SeqCst), 1);
    assert_eq!(store.puts.load(Ordering::SeqCst), 2);
    let stored: Vec<String> = store
        .map
        .lock()
        .unwrap()
        .values()
        .map(|t| t.token.expose().to_owned())
        .collect();
    assert_eq!(stored, ["tok-2"]);
}

#[test]
fn issued_token_without_expires_in_lasts_7200_seconds() {
    let missing = IssuedToken::new(Secret::new("t"), None);
    assert_eq!(missing.expires_in, Duration::from_secs(7200));
    assert_eq!(IssuedToken::DEFAULT_LIFETIME, Duration::from_secs(7200));
    let negative = IssuedToken::new(Secret::new("t"), Some(-5));
    assert_eq!(negative.expires_in, Duration::from_secs(7200));
    let given = IssuedToken::new(Secret::new("t"), Some(60));
    assert_eq!(given.expires_in, Duration::from_secs(60));
    assert_eq!(given.token.expose(), "t");
}

#[tokio::test]
async fn token_response_without_expires_in_is_cached_for_7200_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(ok(json!({"errcode": 0, "access_token": "tok-1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let store = Arc::new(CountingStore::default());
    let source = auth::GetTokenRequest::new(APPKEY, APPSECRET)
        .into_token_source()
        .store(Arc::clone(&store) as Arc<dyn TokenStore>);
    let dt = builder(&server).token(source).build().unwrap();
    let before = SystemTime::now();

    dt.report().get_unread_count(unread()).await.unwrap();
    dt.report().get_unread_count(unread()).await.unwrap();

    let after = SystemTime::now();
    let expires_at = store
        .map
        .lock()
        .unwrap()
        .values()
        .next()
        .expect("a token is stored")
        .expires_at;
    assert!(expires_at >= before + Duration::from_secs(7200));
    assert!(expires_at <= after + Duration::from_secs(7200));
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rate_limited_90018_is_retried_until_the_server_recovers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(90018))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let response = dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(response.count, Some(2));
    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 3);
}

#[tokio::test]
async fn persistent_rate_limit_gives_up_after_max_retries_plus_one_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(90018))
        .mount(&server)
        .await;
    let dt = builder(&server)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(no_wait_retry().with_max_retries(2))
        .build()
        .unwrap();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.meaning(), Some(ErrorMeaning::RateLimited));
    assert_eq!(err.api().unwrap().code, ReceivedCode::Integer(90018));
    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn rate_limit_retry_waits_the_rate_limit_delay_when_the_backoff_is_shorter() {
    let answered = AtomicUsize::new(0);
    let transport = Clocked::new(move |_| match answered.fetch_add(1, Ordering::SeqCst) {
        0 => answer(Duration::ZERO, json!({"errcode": 90018, "errmsg": "qps"})),
        _ => answer(Duration::ZERO, unread_body()),
    });
    // A backoff of at most 20 ms, well under the rate-limit delay.
    let policy = RetryPolicy::default().with_delays(
        Duration::from_millis(10),
        Duration::from_millis(20),
        Duration::from_secs(1),
    );
    let dt = clocked_static(&transport, Duration::from_secs(30), policy);

    dt.report().get_unread_count(unread()).await.unwrap();

    let arrivals = transport.instants(UNREAD_PATH);
    assert_eq!(arrivals.len(), 2);
    assert_eq!(arrivals[1] - arrivals[0], Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn busy_retries_back_off_exponentially_with_jitter_up_to_the_cap() {
    let transport =
        Clocked::new(|_| answer(Duration::ZERO, json!({"errcode": -1, "errmsg": "busy"})));
    let policy = RetryPolicy::default().with_max_retries(4).with_delays(
        Duration::from_secs(1),
        Duration::from_secs(3),
        Duration::ZERO,
    );
    let dt = clocked_static(&transport, Duration::from_secs(30), policy);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(err.is_busy(), "{err:?}");
    let arrivals = transport.instants(UNREAD_PATH);
    let gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    // Retry n waits between half and all of min(base * 2^n, cap) ("equal jitter"). The ranges
    // are chosen so that a delay that does not double, or is not capped, falls outside one.
    let ceilings = [1, 2, 3, 3].map(Duration::from_secs);
    assert_eq!(gaps.len(), ceilings.len(), "{gaps:?}");
    for (gap, ceiling) in gaps.iter().zip(ceilings) {
        assert!(
            ceiling / 2 <= *gap && *gap <= ceiling,
            "gaps {gaps:?}, expected each within half of and at most {ceilings:?}"
        );
    }
}

#[tokio::test]
async fn with_retry_none_overrides_the_policy_for_one_client_copy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(90018))
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let err = dt
        .with_retry(RetryPolicy::none())
        .report()
        .get_unread_count(unread())
        .await
        .unwrap_err();

    assert!(err.is_rate_limited());
    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 1);
    assert_eq!(dt.runtime().options().retry, no_wait_retry());
}

#[tokio::test]
async fn busy_minus_one_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(-1))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let dt = static_client(&server);

    dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 2);
}

#[tokio::test]
async fn quota_permission_ip_and_ban_codes_are_not_retried() {
    type Check = fn(&Error) -> bool;
    let cases: [(i64, ErrorMeaning, Check); 4] = [
        (90020, ErrorMeaning::QuotaExceeded, Error::is_quota_exceeded),
        (
            60011,
            ErrorMeaning::PermissionDenied,
            Error::is_permission_denied,
        ),
        (
            60020,
            ErrorMeaning::IpNotAllowed,
            Error::is_permission_denied,
        ),
        (90001, ErrorMeaning::Banned, Error::is_banned),
    ];
    for (code, meaning, check) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(UNREAD_PATH))
            .respond_with(oapi_error(code))
            .mount(&server)
            .await;
        let dt = static_client(&server);

        let err = dt.report().get_unread_count(unread()).await.unwrap_err();

        assert_eq!(err.meaning(), Some(meaning), "code {code}: {err:?}");
        assert!(check(&err), "code {code}: {err:?}");
        assert!(!err.is_rate_limited() && !err.is_busy(), "code {code}");
        assert_eq!(err.api().unwrap().code, ReceivedCode::Integer(code));
        assert_eq!(
            requests_to(&server, UNREAD_PATH).await.len(),
            1,
            "code {code} must be tried exactly once"
        );
    }
}

#[tokio::test]
async fn http_429_is_retried_as_a_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(ResponseTemplate::new(429).set_body_string("Too Many Requests"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    let dt = static_client(&server);

    dt.report().get_unread_count(unread()).await.unwrap();

    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 2);
}

#[tokio::test]
async fn persistent_http_429_text_is_a_rate_limited_not_json_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(429).set_body_string("Too Many Requests"))
        .mount(&server)
        .await;
    let dt = builder(&server)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(no_wait_retry().with_max_retries(1))
        .build()
        .unwrap();

    // 429 says "not processed", so even a non-idempotent call is retried.
    let err = dt.blackboard().create(create_request()).await.unwrap_err();

    assert!(matches!(err, Error::NotJson { status: 429, .. }), "{err:?}");
    assert!(err.is_rate_limited());
    assert_eq!(requests_to(&server, CREATE_PATH).await.len(), 2);
}

#[tokio::test]
async fn bad_gateway_on_a_non_idempotent_post_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(502).set_body_string("<html><body>502 Bad Gateway</body></html>"),
        )
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let err = dt.blackboard().create(create_request()).await.unwrap_err();

    assert!(
        matches!(
            err,
            Error::NotJson {
                status: 502,
                operation: "blackboard.create",
                kind: PageKind::Gateway,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(requests_to(&server, CREATE_PATH).await.len(), 1);
}

#[tokio::test]
async fn bad_gateway_on_an_idempotent_listing_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CATEGORIES_PATH))
        .respond_with(
            ResponseTemplate::new(502).set_body_string("<html><body>502 Bad Gateway</body></html>"),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CATEGORIES_PATH))
        .respond_with(ok(json!({
            "errcode": 0,
            "result": [{"id": "c1", "name": "日签"}],
            "success": true
        })))
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let response = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap();

    let categories = response.result.unwrap();
    assert_eq!(categories[0].id.as_deref(), Some("c1"));
    assert_eq!(requests_to(&server, CATEGORIES_PATH).await.len(), 3);
}

#[tokio::test]
async fn v1_403_qps_limit_for_api_is_retried_as_a_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "code": "Forbidden.AccessDenied.QpsLimitForApi",
            "message": "qps limit",
            "requestid": "req-9"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .and(header(V1_TOKEN_HEADER, STATIC_TOKEN))
        .respond_with(ok(json!({"userIdList": ["u1", "u2"], "hasMore": false})))
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let response = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap();

    assert_eq!(response.user_id_list.unwrap().len(), 2);
    assert_eq!(requests_to(&server, DISMISSIONS_PATH).await.len(), 2);
}

#[tokio::test]
async fn v1_persistent_qps_limit_is_an_api_error_meaning_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "code": "Forbidden.AccessDenied.QpsLimitForApi",
            "message": "qps limit",
            "requestid": "req-9"
        })))
        .mount(&server)
        .await;
    let dt = builder(&server)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(no_wait_retry().with_max_retries(1))
        .build()
        .unwrap();

    let err = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap_err();

    assert!(err.is_rate_limited(), "{err:?}");
    let api = err.api().unwrap();
    assert_eq!(api.status, 403);
    assert_eq!(
        api.code,
        ReceivedCode::String("Forbidden.AccessDenied.QpsLimitForApi".to_owned())
    );
    assert_eq!(api.request_id.as_deref(), Some("req-9"));
    assert_eq!(requests_to(&server, DISMISSIONS_PATH).await.len(), 2);
}

#[tokio::test]
async fn errcode_88_with_sub_code_60011_is_permission_denied_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(ok(json!({
            "errcode": 88,
            "errmsg": "ding talk error[subcode=60011,submsg=没有调用该接口的权限]",
            "sub_code": "60011",
            "sub_msg": "没有调用该接口的权限",
            "request_id": "req-88"
        })))
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.code, ReceivedCode::Integer(88));
    assert_eq!(api.sub_code, Some(ReceivedCode::String("60011".to_owned())));
    assert_eq!(api.sub_message.as_deref(), Some("没有调用该接口的权限"));
    assert_eq!(api.meaning, Some(ErrorMeaning::PermissionDenied));
    assert_eq!(api.request_id.as_deref(), Some("req-88"));
    assert!(err.is_permission_denied());
    assert_eq!(requests_to(&server, UNREAD_PATH).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// time limits
// ---------------------------------------------------------------------------------------------

/// A POST to `p` that never answers in time.
async fn mount_hung(server: &MockServer, p: &str) {
    Mock::given(method("POST"))
        .and(path(p))
        .respond_with(unread_ok().set_delay(Duration::from_secs(10)))
        .mount(server)
        .await;
}

/// An in-process server that never answers.
fn hung() -> Clocked {
    Clocked::new(|_| answer(NEVER, unread_body()))
}

#[tokio::test(start_paused = true)]
async fn hung_server_times_out_at_exactly_the_time_limit() {
    let transport = hung();
    let dt = clocked_static(&transport, Duration::from_millis(200), RetryPolicy::none());
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.operation(), "report.get_unread_count");
    assert_eq!(started.elapsed(), Duration::from_millis(200));
    assert_eq!(transport.instants(UNREAD_PATH), [started]);
}

#[tokio::test(start_paused = true)]
async fn timeout_on_an_idempotent_call_is_retried() {
    let transport = hung();
    // No waiting between attempts: each attempt ends at its own time limit.
    let retry = no_wait_retry().with_max_retries(2);
    let dt = clocked_static(&transport, Duration::from_millis(100), retry);
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_millis(300));
    let attempts = [0, 100, 200].map(|ms| started + Duration::from_millis(ms));
    assert_eq!(transport.instants(UNREAD_PATH), attempts);
}

#[tokio::test(start_paused = true)]
async fn timeout_on_a_non_idempotent_call_is_not_retried() {
    let transport = hung();
    let dt = clocked_static(&transport, Duration::from_millis(100), no_wait_retry());
    let started = Instant::now();

    let err = dt.blackboard().create(create_request()).await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.operation(), "blackboard.create");
    assert_eq!(started.elapsed(), Duration::from_millis(100));
    assert_eq!(transport.requests_to(CREATE_PATH).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn with_timeout_shortens_the_limit_for_one_client_copy() {
    let transport = hung();
    // The client's own limit is the default 30 s.
    let dt = clocked(&transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let short = dt.with_timeout(Duration::from_millis(150));

    let started = Instant::now();
    let err = short.report().get_unread_count(unread()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_millis(150));

    let started = Instant::now();
    let err = dt.report().get_unread_count(unread()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(30));

    assert_eq!(
        short.runtime().options().timeout,
        Duration::from_millis(150)
    );
    assert_eq!(dt.runtime().options().timeout, Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn with_timeout_lengthens_the_limit_for_one_client_copy() {
    let transport = Clocked::new(|_| answer(Duration::from_millis(400), unread_body()));
    let dt = clocked_static(&transport, Duration::from_millis(100), RetryPolicy::none());

    let started = Instant::now();
    let response = dt
        .with_timeout(Duration::from_secs(5))
        .report()
        .get_unread_count(unread())
        .await
        .unwrap();
    assert_eq!(response.count, Some(2));
    assert_eq!(started.elapsed(), Duration::from_millis(400));

    let started = Instant::now();
    let err = dt.report().get_unread_count(unread()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_millis(100));
}

// ---------------------------------------------------------------------------------------------
// deadlines
// ---------------------------------------------------------------------------------------------

#[test]
fn the_default_deadline_is_60_seconds_beside_30_seconds_per_attempt() {
    let dt = dingtalk::Client::builder().build().unwrap();
    let options = dt.runtime().options();
    assert_eq!(options.timeout, Duration::from_secs(30));
    assert_eq!(options.deadline, Duration::from_secs(60));
    assert_eq!(options.deadline, runtime::CallOptions::DEFAULT_DEADLINE);
}

#[tokio::test(start_paused = true)]
async fn every_attempt_hanging_ends_the_call_at_its_deadline() {
    let transport = hung();
    // An idempotent call whose hung attempts are retried with the default backoff: without a
    // deadline, four attempts of 800 ms and three pauses.
    let dt = clocked(&transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .timeout(Duration::from_millis(800))
        .retry(RetryPolicy::default())
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let elapsed = started.elapsed();
    // The last attempt gets only the time left, so the call ends at the deadline (or earlier,
    // when the pause before a retry would reach it): no overshoot on the tokio clock.
    assert!(elapsed <= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed >= Duration::from_millis(1600), "{elapsed:?}");
    assert!(err.is_timeout(), "{err:?}");
    let attempts = transport.instants(UNREAD_PATH);
    assert!((2..=3).contains(&attempts.len()), "{attempts:?}");
    if let Error::Deadline {
        operation,
        deadline,
        attempts: counted,
        last,
    } = &err
    {
        assert_eq!(elapsed, Duration::from_secs(2));
        assert_eq!(*operation, "report.get_unread_count");
        assert_eq!(*deadline, Duration::from_secs(2));
        assert_eq!(*counted as usize, attempts.len());
        // The failure that was being retried rides along.
        assert!(
            last.as_ref().is_some_and(|last| last.is_timeout()),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("report.get_unread_count: the call's deadline of 2s passed after"),
            "{err}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_single_hung_attempt_is_cut_at_the_deadline_with_the_deadline_error() {
    let transport = hung();
    let dt = clocked(&transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    // The 30 s attempt limit is longer than the time left: the deadline decides.
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert!(err.is_deadline() && err.is_timeout(), "{err:?}");
    assert!(
        matches!(
            &err,
            Error::Deadline {
                operation: "report.get_unread_count",
                attempts: 1,
                last: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "report.get_unread_count: the call's deadline of 2s passed after 1 attempt"
    );
}

#[tokio::test(start_paused = true)]
async fn with_timeout_1s_and_default_retries_stays_within_the_deadline() {
    let transport = hung();
    let dt = clocked(&transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(RetryPolicy::default())
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let short = dt.with_timeout(Duration::from_secs(1));

    let started = Instant::now();
    let err = short.report().get_unread_count(unread()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() <= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // A longer deadline for one client copy lets the four attempts and their pauses run:
    // 4 s of attempts and 0.7 to 1.4 s of pauses (100-200, 200-400 and 400-800 ms).
    let started = Instant::now();
    let err = short
        .with_deadline(Duration::from_secs(10))
        .report()
        .get_unread_count(unread())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Transport { .. }), "{err:?}");
    let elapsed = started.elapsed();
    assert!(
        Duration::from_millis(4700) <= elapsed && elapsed <= Duration::from_millis(5400),
        "{elapsed:?}"
    );
    assert_eq!(
        short
            .with_deadline(Duration::from_secs(10))
            .runtime()
            .options()
            .deadline,
        Duration::from_secs(10)
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_whose_pause_would_pass_the_deadline_is_not_made() {
    let transport =
        Clocked::new(|_| answer(Duration::ZERO, json!({"errcode": -1, "errmsg": "busy"})));
    // The first pause is at least 1 s (half of 2 s, jittered), the deadline 1 s.
    let policy = RetryPolicy::default().with_delays(
        Duration::from_secs(2),
        Duration::from_secs(8),
        Duration::from_secs(1),
    );
    let dt = clocked(&transport)
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(policy)
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    // The busy error at once, not a sleep until the deadline.
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert!(err.is_busy(), "{err:?}");
    assert_eq!(err.api().unwrap().attempts, 1);
    assert_eq!(transport.requests_to(UNREAD_PATH).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_wait_for_a_token_counts_against_the_deadline() {
    let transport = Clocked::new(|_| answer(Duration::ZERO, unread_body()));
    let dt = clocked(&transport)
        .token(token_fn(std::future::pending))
        .deadline(Duration::from_secs(3))
        .build()
        .unwrap();
    let started = Instant::now();

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert!(err.is_deadline(), "{err:?}");
    assert!(transport.requests_to(UNREAD_PATH).is_empty());
}

// ---------------------------------------------------------------------------------------------
// honest error texts
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_retried_error_says_how_often_it_was_retried() {
    let transport =
        Clocked::new(|_| answer(Duration::ZERO, json!({"errcode": -1, "errmsg": "busy"})));
    let dt = clocked_static(&transport, Duration::from_secs(30), no_wait_retry());

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let api = err.api().unwrap();
    assert_eq!((api.attempts, api.replayed), (4, false));
    assert_eq!(
        err.to_string(),
        "report.get_unread_count: error code -1: busy [platform busy; retried 3 times with backoff]"
    );
}

#[tokio::test(start_paused = true)]
async fn an_error_that_was_not_retried_does_not_say_it_was() {
    let transport =
        Clocked::new(|_| answer(Duration::ZERO, json!({"errcode": -1, "errmsg": "busy"})));
    let dt = clocked_static(&transport, Duration::from_secs(30), RetryPolicy::none());

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert_eq!(err.api().unwrap().attempts, 1);
    let shown = err.to_string();
    assert!(shown.ends_with("[platform busy; not retried]"), "{shown}");
    assert!(
        !shown.contains("backoff") && !shown.contains("replayed"),
        "{shown}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_rejected_after_the_replay_says_it_was_refreshed_and_replayed() {
    let transport = Clocked::new(|request| match request.url.path() {
        "/gettoken" => answer(Duration::ZERO, token_body("tok")),
        _ => answer(
            Duration::ZERO,
            json!({"errcode": 40014, "errmsg": "不合法的access_token"}),
        ),
    });
    let dt = clocked_token_client(&transport);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let api = err.api().unwrap();
    assert_eq!(
        (api.attempts, api.replayed, api.own_token),
        (2, true, false)
    );
    let shown = err.to_string();
    assert!(
        shown.ends_with("[token invalid or expired; refreshed the token and replayed once]"),
        "{shown}"
    );
    assert_eq!(transport.requests_to("/gettoken").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_rejected_static_token_says_it_was_the_callers_own() {
    let transport = Clocked::new(|_| {
        answer(
            Duration::ZERO,
            json!({"errcode": 40014, "errmsg": "不合法的access_token"}),
        )
    });
    let dt = clocked_static(&transport, Duration::from_secs(30), no_wait_retry());

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let api = err.api().unwrap();
    assert_eq!(
        (api.attempts, api.replayed, api.own_token),
        (1, false, true)
    );
    let shown = err.to_string();
    assert!(
        shown.ends_with(
            "[token invalid or expired; the caller's own token was rejected: it is not refreshed]"
        ),
        "{shown}"
    );
    assert!(!shown.contains("refreshed the token"), "{shown}");
}

#[tokio::test(start_paused = true)]
async fn a_quota_error_says_it_was_not_retried() {
    let transport =
        Clocked::new(|_| answer(Duration::ZERO, json!({"errcode": 90020, "errmsg": "quota"})));
    let dt = clocked_static(&transport, Duration::from_secs(30), no_wait_retry());

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    assert_eq!(
        err.to_string(),
        "report.get_unread_count: error code 90020: quota [quota used up until it resets; not retried]"
    );
}

// ---------------------------------------------------------------------------------------------
// decode errors
// ---------------------------------------------------------------------------------------------

/// The decode error `report.list` gives for `body`: (operation, path, message). Decode errors
/// are never retried.
async fn report_list_decode_error(body: &str) -> (&'static str, String, String) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let err = dt.report().list(list_request()).await.unwrap_err();

    assert_eq!(requests_to(&server, LIST_PATH).await.len(), 1, "{err:?}");
    match err {
        Error::Decode {
            operation,
            path,
            message,
            ..
        } => (operation, path, message),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let (operation, path, message) = report_list_decode_error(r#"{"errcode":0,"result":"#).await;
    assert_eq!(operation, "report.list");
    assert_eq!(path, ".");
    assert!(message.contains("EOF"), "{message}");
}

#[tokio::test]
async fn wrongly_typed_field_is_a_decode_error_naming_its_path() {
    let (operation, path, message) =
        report_list_decode_error(r#"{"errcode":0,"result":{"has_more":"yes"}}"#).await;
    assert_eq!(operation, "report.list");
    assert_eq!(path, "result.has_more");
    assert!(message.contains("boolean"), "{message}");
}

#[tokio::test]
async fn code_that_is_an_object_is_a_decode_error_naming_the_code_field() {
    let (operation, path, message) = report_list_decode_error(r#"{"errcode": {"x":1}}"#).await;
    assert_eq!(operation, "report.list");
    assert_eq!(path, "errcode");
    assert!(message.contains("envelope"), "{message}");
}

#[tokio::test]
async fn json_array_body_is_a_decode_error() {
    let (operation, path, message) = report_list_decode_error(r#"[{"errcode":0}]"#).await;
    assert_eq!(operation, "report.list");
    assert_eq!(path, ".");
    assert!(message.contains("invalid type"), "{message}");
}

#[tokio::test]
async fn trailing_garbage_after_the_object_is_a_decode_error() {
    let (operation, path, message) =
        report_list_decode_error(r#"{"errcode":0,"result":{"has_more":false}} garbage"#).await;
    assert_eq!(operation, "report.list");
    assert_eq!(path, ".");
    assert!(message.contains("trailing"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// bodies that are not JSON
// ---------------------------------------------------------------------------------------------

/// DingTalk's IP-ban notice as its throttling document shows it ("触发此限流不会返回对应的错误码，
/// 返回的是一个html页面"): more than 10,000 calls from one IP address within 20 seconds.
const BAN_NOTICE: &str =
    r#"{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"ban-uuid-1"}"#;

/// The ban as an HTML page carrying the notice's fields; the page's real markup is not
/// documented, so the runtime recognises it by `punish` beside the `x5` source or status 1111.
fn ban_page() -> String {
    format!("<!DOCTYPE html><html><head><title>访问受限</title></head><body><script>var data = {BAN_NOTICE};</script></body></html>")
}

/// A server whose `report.list` (idempotent, so retried after transient failures) answers
/// `answer` every time, and the error a client that retries without waiting gets from it, with
/// the number of requests the call sent.
async fn report_list_failure(answer: ResponseTemplate) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    let err = static_client(&server)
        .report()
        .list(list_request())
        .await
        .unwrap_err();
    (err, requests_to(&server, LIST_PATH).await.len())
}

#[tokio::test]
async fn html_at_http_200_is_a_not_json_error_with_status_content_type_and_snippet() {
    let page = format!(
        "<html><head><title>系统维护</title></head><body>{}</body></html>",
        "维护中。".repeat(200)
    );
    let (err, requests) = report_list_failure(
        ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"),
    )
    .await;

    let Error::NotJson {
        operation,
        status,
        content_type,
        snippet,
        kind,
        ..
    } = &err
    else {
        panic!("expected a not-JSON error, got {err:?}")
    };
    assert_eq!(*operation, "report.list");
    assert_eq!(*status, 200);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(
        snippet.starts_with("<html><head><title>系统维护</title>"),
        "{snippet}"
    );
    // A short snippet: 256 characters and an ellipsis, not the whole page.
    assert_eq!(snippet.chars().count(), 257, "{snippet}");
    assert_eq!(*kind, PageKind::Other);
    assert!(!err.is_banned() && !err.is_rate_limited());
    assert_eq!(
        err.to_string().split(": <html>").next(),
        Some("report.list: HTTP status 200: a page instead of JSON (content type text/html; charset=utf-8)")
    );
    // A page at HTTP 200 is not a transient failure: one request.
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn plain_text_and_empty_bodies_are_not_json_errors() {
    for (answer, status, content_type) in [
        (
            ResponseTemplate::new(200).set_body_string("OK"),
            200,
            Some("text/plain"),
        ),
        (ResponseTemplate::new(200), 200, None),
        (
            ResponseTemplate::new(403).set_body_string("Forbidden"),
            403,
            Some("text/plain"),
        ),
    ] {
        let (err, requests) = report_list_failure(answer).await;
        assert!(
            matches!(&err, Error::NotJson { status: s, content_type: c, kind: PageKind::Other, .. }
                if *s == status && c.as_deref() == content_type),
            "{err:?}"
        );
        assert_eq!(requests, 1, "{err:?}");
    }
}

#[tokio::test]
async fn gateway_pages_are_transient_and_retried_on_an_idempotent_call() {
    for status in [502, 503, 504] {
        let page = format!("<html><body><center><h1>{status}</h1></center><hr>nginx</body></html>");
        let (err, requests) =
            report_list_failure(ResponseTemplate::new(status).set_body_raw(page, "text/html"))
                .await;
        assert!(
            matches!(&err, Error::NotJson { status: s, kind: PageKind::Gateway, .. } if *s == status),
            "{err:?}"
        );
        // The default policy: the first attempt and three retries.
        assert_eq!(requests, 4, "{status}");
    }
}

#[tokio::test]
async fn dingtalk_ip_ban_page_is_banned_and_not_retried() {
    for status in [200, 403] {
        let (err, requests) = report_list_failure(
            ResponseTemplate::new(status).set_body_raw(ban_page(), "text/html"),
        )
        .await;
        assert!(
            matches!(&err, Error::NotJson { kind: PageKind::IpBan, status: s, .. } if *s == status),
            "{err:?}"
        );
        assert!(err.is_banned(), "{err:?}");
        assert!(err.to_string().contains("IP-ban page"), "{err}");
        assert_eq!(requests, 1, "a ban is never retried: {err:?}");
    }
}

#[tokio::test]
async fn dingtalk_ip_ban_notice_in_json_is_banned_and_not_retried() {
    // On the classic API, whose envelope's code is absent from the notice, and on the v1.0 API,
    // whose success is the bare payload: without the check, both would read as an empty success.
    let (err, requests) = report_list_failure(
        ResponseTemplate::new(200).set_body_raw(BAN_NOTICE, "application/json"),
    )
    .await;
    assert!(err.is_banned(), "{err:?}");
    let api = err.api().expect("an API error");
    assert_eq!(api.code, ReceivedCode::Integer(1111));
    assert_eq!(api.meaning, Some(ErrorMeaning::Banned));
    assert_eq!(api.request_id.as_deref(), Some("ban-uuid-1"));
    assert_eq!(requests, 1);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(BAN_NOTICE, "application/json"))
        .mount(&server)
        .await;
    let err = static_client(&server)
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap_err();
    assert!(err.is_banned(), "{err:?}");
    assert_eq!(requests_to(&server, DISMISSIONS_PATH).await.len(), 1);
}

#[tokio::test]
async fn a_token_endpoint_page_is_not_quoted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("<html><body>appsecret={APPSECRET}</body></html>"),
            "text/html",
        ))
        .mount(&server)
        .await;
    let dt = static_client(&server);

    let err = dt
        .auth()
        .get_token(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .await
        .unwrap_err();

    let Error::NotJson {
        status, snippet, ..
    } = &err
    else {
        panic!("expected a not-JSON error, got {err:?}")
    };
    assert_eq!(*status, 200);
    assert!(snippet.contains("not shown"), "{snippet}");
    assert!(!everything_shown(&err).contains(APPSECRET), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------------------------

/// An in-memory sink for a tracing subscriber.
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

/// Everything an error shows: `Display`, `Debug` (both forms) and every source in its chain.
fn everything_shown(err: &Error) -> String {
    let mut shown = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        shown.push_str(&format!("{cause}\n{cause:?}\n"));
        source = cause.source();
    }
    shown
}

const ISSUED_A: &str = "issued-token-AAAA";
const ISSUED_B: &str = "issued-token-BBBB";

/// Mounts the scenario: a token endpoint that first answers with a gateway page quoting the app
/// secret, then issues A, then B; a successful call; a token-invalid replay; a rate-limit retry;
/// a decode error; a hung endpoint; and a 502 page on `blackboard.create` with `page_502`.
async fn mount_secrets_scenario(server: &MockServer, page_502: String) {
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(ResponseTemplate::new(502).set_body_string(format!(
            "<html><body>502 Bad Gateway: /gettoken?appkey={APPKEY}&appsecret={APPSECRET}</body></html>"
        )))
        .up_to_n_times(1)
        .mount(server)
        .await;
    mount_token(server, ISSUED_A, 7200, Some(1)).await;
    mount_token(server, ISSUED_B, 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(CATEGORIES_PATH))
        .and(query_param("access_token", ISSUED_A))
        .respond_with(oapi_error(40014))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(CATEGORIES_PATH))
        .and(query_param("access_token", ISSUED_B))
        .respond_with(ok(json!({"errcode": 0, "result": []})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/report/template/getbyname"))
        .respond_with(oapi_error(90018))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/report/template/getbyname"))
        .respond_with(ok(json!({"errcode": 0, "result": {"name": "日报"}})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .respond_with(ok(json!({"errcode": 0, "result": {"has_more": "yes"}})))
        .mount(server)
        .await;
    mount_hung(server, "/topapi/blackboard/get").await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_string(page_502))
        .mount(server)
        .await;
}

/// Runs the scenario with a TRACE subscriber capturing into memory; returns the captured log,
/// the errors of the failing calls and the client's `Debug` output.
async fn run_secrets_scenario(page_502: String) -> (String, Vec<Error>, String) {
    // tracing caches, per callsite and for the whole process, whether anyone listens there.
    // While a single dispatcher is registered, a callsite first reached on another test's
    // thread is judged by that thread's (absent) subscriber and stays silent for this
    // capture (tokio-rs/tracing#3611); with two registered, tracing asks every registered
    // dispatcher. The rebuild repairs callsites cached before both existed.
    let _second_dispatcher = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    mount_secrets_scenario(&server, page_502).await;
    let dt = token_client(&server);
    let mut errors = Vec::new();

    // Token fetch (after one retried gateway page) and a successful call.
    dt.report().get_unread_count(unread()).await.unwrap();
    // Token A rejected: refreshed and replayed with B.
    dt.blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap();
    // Rate limited once, then served.
    dt.report()
        .get_template_by_name(report::GetTemplateByNameRequest::new("u1", "日报"))
        .await
        .unwrap();
    // A decode error.
    errors.push(dt.report().list(list_request()).await.unwrap_err());
    // A timeout, on a paused clock: the time limit fires as soon as the runtime waits for the
    // hung server, so the scenario spends no real time on it and cannot get a late answer.
    tokio::time::pause();
    errors.push(
        dt.with_timeout(Duration::from_millis(100))
            .with_retry(RetryPolicy::none())
            .blackboard()
            .get(blackboard::GetRequest::new("b1", "manager01"))
            .await
            .unwrap_err(),
    );
    tokio::time::resume();
    // A gateway page on a call that is not retried.
    errors.push(dt.blackboard().create(create_request()).await.unwrap_err());
    // A second token rejection after the replay, surfaced to the caller.
    let replay_server = MockServer::start().await;
    mount_token(&replay_server, ISSUED_A, 7200, Some(1)).await;
    mount_token(&replay_server, ISSUED_B, 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(oapi_error(40014))
        .mount(&replay_server)
        .await;
    let replay = token_client(&replay_server);
    errors.push(
        replay
            .report()
            .get_unread_count(unread())
            .await
            .unwrap_err(),
    );

    // Everything the scenario promised happened.
    assert!(matches!(errors[0], Error::Decode { .. }), "{:?}", errors[0]);
    assert!(errors[1].is_timeout(), "{:?}", errors[1]);
    assert!(
        matches!(errors[2], Error::NotJson { status: 502, .. }),
        "{:?}",
        errors[2]
    );
    assert!(errors[3].is_token_invalid(), "{:?}", errors[3]);
    assert_eq!(requests_to(&server, "/gettoken").await.len(), 3);

    let debug = format!(
        "{dt:?}\n{dt:#?}\n{:?}\n{replay:?}\n{:?}",
        dt.runtime(),
        auth::GetTokenRequest::new(APPKEY, APPSECRET)
    );
    (capture.text(), errors, debug)
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [APPSECRET, ISSUED_A, ISSUED_B] {
        assert!(
            !text.contains(secret),
            "{what} shows the secret `{secret}`:\n{text}"
        );
    }
}

#[tokio::test]
async fn secrets_never_reach_logs_errors_or_debug_output() {
    let (log, errors, debug) = run_secrets_scenario(
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".to_owned(),
    )
    .await;

    // The capture works: it saw the calls and their attempts.
    assert!(log.contains("report.get_unread_count"), "{log}");
    assert!(log.contains("auth.get_token"), "{log}");
    assert!(log.contains("attempt"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert_no_secret("the tracing output", &log);
    for err in &errors {
        assert_no_secret("an error", &everything_shown(err));
    }
    assert_no_secret("the client's Debug", &debug);
}

#[tokio::test]

async fn gateway_page_echoing_the_token_does_not_leak_it() {
    let (log, errors, debug) = run_secrets_scenario(format!(
        "<html><body>502 Bad Gateway: upstream failed for /topapi/blackboard/create?access_token={ISSUED_B}</body></html>"
    ))
    .await;

    assert!(log.contains("blackboard.create"), "{log}");
    assert_no_secret("the tracing output", &log);
    for err in &errors {
        assert_no_secret("an error", &everything_shown(err));
    }
    assert_no_secret("the client's Debug", &debug);
}

#[tokio::test]
async fn token_response_decode_error_does_not_quote_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"errcode":0,"access_token":"{ISSUED_A}","expires_in":"{ISSUED_B}"}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    let dt = token_client(&server);

    let err = dt.report().get_unread_count(unread()).await.unwrap_err();

    let (_, _, _, source) = token_failure(&err);
    let Error::Decode {
        operation, path, ..
    } = source.as_ref()
    else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(*operation, "auth.get_token");
    assert_eq!(path, "expires_in");
    assert_no_secret("a token decode error", &everything_shown(&err));
    assert!(requests_to(&server, UNREAD_PATH).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// tracing spans
// ---------------------------------------------------------------------------------------------

/// A span as a subscriber saw it: its name and every field recorded on it, as text.
#[derive(Debug, Clone)]
struct SeenSpan {
    name: &'static str,
    fields: BTreeMap<String, String>,
}

impl SeenSpan {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// A `tracing` layer keeping every span and the fields recorded on it, as an OpenTelemetry
/// exporter would receive them.
#[derive(Clone, Default)]
struct SpanCapture {
    spans: Arc<Mutex<Vec<SeenSpan>>>,
    /// Span id -> index in `spans` (ids are reused after a span closes).
    open: Arc<Mutex<BTreeMap<u64, usize>>>,
}

struct FieldText<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for FieldText<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SpanCapture {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut FieldText(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(SeenSpan {
            name: attrs.metadata().name(),
            fields,
        });
        self.open
            .lock()
            .unwrap()
            .insert(id.into_u64(), spans.len() - 1);
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let Some(&index) = self.open.lock().unwrap().get(&id.into_u64()) else {
            return;
        };
        values.record(&mut FieldText(
            &mut self.spans.lock().unwrap()[index].fields,
        ));
    }
}

#[tokio::test]
async fn calls_and_attempts_are_spans_with_open_telemetry_fields_and_no_secret() {
    use tracing_subscriber::layer::SubscriberExt as _;
    // See `run_secrets_scenario` on tracing's per-callsite interest cache.
    let _second_dispatcher = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let capture = SpanCapture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    mount_token(&server, ISSUED_A, 7200, None).await;
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(unread_ok())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/report/template/getbyname"))
        .respond_with(oapi_error(90018))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/report/template/getbyname"))
        .respond_with(ok(json!({"errcode": 0, "result": {"name": "日报"}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .respond_with(ok(json!({
            "errcode": 60011,
            "errmsg": "no permission",
            "request_id": "req-60011"
        })))
        .mount(&server)
        .await;
    let dt = token_client(&server);

    // A token fetch and a call; a call retried once; a call the platform refuses.
    dt.report().get_unread_count(unread()).await.unwrap();
    dt.report()
        .get_template_by_name(report::GetTemplateByNameRequest::new("u1", "日报"))
        .await
        .unwrap();
    let err = dt.report().list(list_request()).await.unwrap_err();
    assert!(err.is_permission_denied(), "{err:?}");

    let spans = capture.spans.lock().unwrap().clone();
    let calls = |operation: &str| -> Vec<SeenSpan> {
        spans
            .iter()
            .filter(|s| s.field("open_platform.operation") == Some(operation))
            .filter(|s| s.name == "open_platform.call")
            .cloned()
            .collect()
    };
    let attempts = |operation: &str| -> Vec<SeenSpan> {
        spans
            .iter()
            .filter(|s| s.field("open_platform.operation") == Some(operation))
            .filter(|s| s.name == "open_platform.attempt")
            .cloned()
            .collect()
    };
    let host = server.address().ip().to_string();
    let port = server.address().port().to_string();

    // The successful call: one call span and one attempt span, each with the operation's
    // method, path template, server and status.
    let unread_calls = calls("report.get_unread_count");
    assert_eq!(unread_calls.len(), 1, "{spans:#?}");
    let call = &unread_calls[0];
    for (field, value) in [
        ("http.request.method", "POST"),
        ("url.template", UNREAD_PATH),
        ("server.address", host.as_str()),
        ("server.port", port.as_str()),
        ("http.response.status_code", "200"),
        ("open_platform.attempts", "1"),
        ("otel.name", "report.get_unread_count"),
    ] {
        assert_eq!(call.field(field), Some(value), "{field} of {call:#?}");
    }
    assert_eq!(call.field("error.type"), None, "{call:#?}");
    let unread_attempts = attempts("report.get_unread_count");
    assert_eq!(unread_attempts.len(), 1);
    let attempt = &unread_attempts[0];
    for (field, value) in [
        ("http.request.method", "POST"),
        ("url.template", UNREAD_PATH),
        ("server.address", host.as_str()),
        ("http.response.status_code", "200"),
        ("open_platform.attempt", "1"),
        ("otel.kind", "client"),
        ("otel.name", "POST /topapi/report/getunreadcount"),
    ] {
        assert_eq!(attempt.field(field), Some(value), "{field} of {attempt:#?}");
    }
    assert_eq!(attempt.field("http.request.resend_count"), None);

    // The token fetch is a call of its own.
    let token_calls = calls("auth.get_token");
    assert_eq!(token_calls.len(), 1, "{spans:#?}");
    assert_eq!(token_calls[0].field("url.template"), Some("/gettoken"));
    assert_eq!(token_calls[0].field("http.request.method"), Some("GET"));
    assert_eq!(
        token_calls[0].field("http.response.status_code"),
        Some("200")
    );

    // The retried call: two attempts, the first failed as rate limited with the platform's
    // code, the second a resend.
    let retried = attempts("report.get_template_by_name");
    assert_eq!(retried.len(), 2, "{spans:#?}");
    assert_eq!(retried[0].field("error.type"), Some("rate_limited"));
    assert_eq!(retried[0].field("open_platform.code"), Some("90018"));
    assert_eq!(retried[1].field("http.request.resend_count"), Some("1"));
    assert_eq!(retried[1].field("error.type"), None);
    assert_eq!(
        calls("report.get_template_by_name")[0].field("open_platform.attempts"),
        Some("2")
    );

    // The refused call: its error type, code and request id, on the call and the attempt.
    let refused = calls("report.list");
    assert_eq!(refused.len(), 1);
    for span in [&refused[0], &attempts("report.list")[0]] {
        assert_eq!(
            span.field("error.type"),
            Some("permission_denied"),
            "{span:#?}"
        );
        assert_eq!(span.field("open_platform.code"), Some("60011"));
        assert_eq!(span.field("open_platform.request_id"), Some("req-60011"));
        assert_eq!(span.field("http.response.status_code"), Some("200"));
    }

    // No token, secret or query string in any field of any span.
    for span in &spans {
        for (field, value) in &span.fields {
            for secret in [APPSECRET, ISSUED_A, "access_token", "appsecret", "?"] {
                assert!(
                    !value.contains(secret),
                    "{} field {field} shows `{secret}`: {value}",
                    span.name
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// transport
// ---------------------------------------------------------------------------------------------

fn assert_send_sync_clone_static<T: Send + Sync + Clone + 'static>() {}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn clients_are_send_sync_clone_and_static() {
    assert_send_sync_clone_static::<runtime::Client>();
    assert_send_sync_clone_static::<dingtalk::Client>();
    assert_send_sync_clone_static::<runtime::RetryPolicy>();
    // The futures of calls can be spawned onto a multi-threaded runtime.
    let dt = dingtalk::Client::builder()
        .token(StaticToken::new(STATIC_TOKEN))
        .build()
        .unwrap();
    let group = dt.report();
    let call = group.get_unread_count(unread());
    assert_send(&call);
    let stream = dt.report().list_stream(list_request());
    assert_send(&stream);
}

/// A transport double: records requests, answers with canned responses in order.
#[derive(Clone, Default)]
struct Canned {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    responses: Arc<Mutex<VecDeque<Result<HttpResponse, TransportError>>>>,
}

impl Canned {
    fn answering(responses: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Self {
            requests: Arc::default(),
            responses: Arc::new(Mutex::new(responses.into())),
        }
    }

    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap().clone()
    }
}

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let next = self
            .responses
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| {
                Err(TransportError {
                    kind: TransportErrorKind::Other,
                    message: "no canned response left".to_owned(),
                })
            });
        Box::pin(async move { next })
    }
}

fn json_response(status: u16, body: Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(
        status,
        serde_json::to_vec(&body).unwrap(),
    ))
}

fn canned_client(transport: &Canned) -> dingtalk::Client {
    dingtalk::Client::builder()
        .transport(transport.clone())
        .token(StaticToken::new(STATIC_TOKEN))
        .retry(no_wait_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn custom_transport_serves_calls_without_a_server() {
    let transport = Canned::answering(vec![
        json_response(200, json!({"errcode": 90018, "errmsg": "qps"})),
        json_response(200, json!({"errcode": 0, "count": 7})),
        json_response(200, json!({"userIdList": ["u9"], "hasMore": false})),
    ]);
    let dt = canned_client(&transport);

    let unread_count = dt.report().get_unread_count(unread()).await.unwrap();
    let dismissions = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new().max_results(5))
        .await
        .unwrap();

    assert_eq!(unread_count.count, Some(7));
    assert_eq!(dismissions.user_id_list, Some(vec!["u9".to_owned()]));
    let sent = transport.requests();
    assert_eq!(sent.len(), 3, "one retry, then the second call");
    assert_eq!(sent[0], sent[1], "the retry repeats the request");
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(
        sent[0].url.as_str().split('?').next(),
        Some("https://oapi.dingtalk.com/topapi/report/getunreadcount")
    );
    assert_eq!(sent[0].query("access_token").as_deref(), Some(STATIC_TOKEN));
    assert_eq!(
        sent[0].json().unwrap().unwrap(),
        json!({"userid": "user123"})
    );
    assert_eq!(sent[2].method, Method::Get);
    assert_eq!(sent[2].url.path(), DISMISSIONS_PATH);
    assert_eq!(sent[2].header(V1_TOKEN_HEADER), Some(STATIC_TOKEN));
    assert_eq!(sent[2].query("maxResults").as_deref(), Some("5"));
    assert_eq!(sent[2].query("access_token"), None);
    assert!(sent[2].body.is_empty());
    // The request's Debug hides the token.
    assert!(!format!("{:?}", sent[0]).contains(STATIC_TOKEN));
}

#[tokio::test]
async fn connect_errors_are_retried_even_for_non_idempotent_calls() {
    let refused = || {
        Err(TransportError {
            kind: TransportErrorKind::Connect,
            message: "connection refused".to_owned(),
        })
    };
    let transport = Canned::answering(vec![
        refused(),
        refused(),
        json_response(200, json!({"errcode": 0, "result": true, "success": true})),
    ]);
    let dt = canned_client(&transport);

    let response = dt.blackboard().create(create_request()).await.unwrap();

    assert_eq!(response.result, Some(true));
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn other_transport_errors_on_non_idempotent_calls_are_not_retried() {
    let transport = Canned::answering(vec![Err(TransportError {
        kind: TransportErrorKind::Other,
        message: "connection reset after the request was sent".to_owned(),
    })]);
    let dt = canned_client(&transport);

    let err = dt.blackboard().create(create_request()).await.unwrap_err();

    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind == TransportErrorKind::Other),
        "{err:?}"
    );
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn server_points_every_base_of_the_platform_at_one_url() {
    let server = MockServer::start().await;
    let dt = dingtalk::Client::builder()
        .server(server.uri())
        .token(StaticToken::new(STATIC_TOKEN))
        .build()
        .unwrap();

    for base in <dingtalk::Client as runtime::Platform>::BASES {
        assert_eq!(dt.runtime().base_url(base), server.uri(), "{}", base.id);
    }
    // A later base_url still points one base elsewhere.
    let elsewhere = dingtalk::Client::builder()
        .server(server.uri())
        .base_url(&dingtalk::API, "http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        elsewhere.runtime().base_url(&dingtalk::API),
        "http://127.0.0.1:9"
    );
    assert_eq!(elsewhere.runtime().base_url(&dingtalk::OAPI), server.uri());
}

#[test]
fn a_custom_transport_names_the_url_type_through_the_runtime() {
    // `runtime::Url` is the type of `HttpRequest::url`: no reqwest dependency of one's own.
    let url: runtime::Url = "https://oapi.dingtalk.com/gettoken?appkey=k"
        .parse()
        .unwrap();
    let request = HttpRequest {
        method: Method::Get,
        url,
        headers: Vec::new(),
        body: runtime::Body::Empty,
    };
    assert_eq!(
        request.redacted_url(),
        "https://oapi.dingtalk.com/gettoken?appkey=***"
    );
}
