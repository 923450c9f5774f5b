//! Rate budgets shared through Redis (cargo features `rate` and `redis`), against a real
//! `redis-server` on a free loopback port (one for the binary, and one of its own for the
//! test that stops it): the GCRA script driven by
//! an injected clock, the in-process fallback while Redis is down, and four processes (this
//! test binary started again in a child role) keeping to one budget together against one
//! local HTTP server.

#![cfg(all(feature = "rate", feature = "redis"))]

// The `tests` crate's Redis harness, shared rather than copied.
#[path = "../../tests/tests/redis_support/mod.rs"]
mod redis_server;
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use open_platform_runtime::{
    ApiRequest, AuthPlacement, Base, Error, Method, Operation, RateDecision, RateKey, RateLimit,
    RateLimitError, RateLimiter, RateScope, RedisRateLimiter,
};
use redis::aio::ConnectionManager;
use redis_server::RedisServer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::time::Instant;

/// 10 calls a second after a burst of 3: one slot every 100 ms.
static TEN_PER_SECOND: RateLimit = RateLimit {
    per_second: 10,
    burst: 3,
    scope: RateScope::Api,
    key: "test:oapi",
};

async fn connect(server: &RedisServer) -> ConnectionManager {
    redis::Client::open(server.url())
        .expect("a Redis URL")
        .get_connection_manager()
        .await
        .expect("a connection to the test's redis-server")
}

fn at(micros: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_micros(micros)
}

/// `(taken, wait in ms)` of a decision.
fn seen(decision: RateDecision) -> (bool, u64) {
    (decision.taken, decision.wait.as_millis() as u64)
}

#[tokio::test]
async fn gcra_script_lets_a_burst_through_then_one_call_per_interval() {
    let Some(server) = RedisServer::shared() else {
        return;
    };
    let limiter = RedisRateLimiter::new(connect(server).await, "app1");
    let key = RateKey::new(&TEN_PER_SECOND, "things.list", None);
    // An arbitrary start: 2025-01-01T00:00:00Z in microseconds.
    let t0: u64 = 1_735_689_600_000_000;
    let decide = |now: u64, max_wait_ms: u64| {
        let limiter = limiter.clone();
        let key = key.clone();
        async move {
            seen(
                limiter
                    .decide(&key, Duration::from_millis(max_wait_ms), Some(at(now)))
                    .await
                    .expect("the script runs"),
            )
        }
    };
    // The burst of 3 at once; the 4th is due one interval later and, unable to wait, is not
    // taken.
    for _ in 0..3 {
        assert_eq!(decide(t0, 0).await, (true, 0));
    }
    assert_eq!(decide(t0, 0).await, (false, 100));
    // Then one slot per 100 ms, and only one.
    for n in 1..=10u64 {
        let now = t0 + n * 100_000;
        assert_eq!(decide(now, 0).await, (true, 0), "the slot at {n}00 ms");
        assert_eq!(
            decide(now, 0).await,
            (false, 100),
            "a second call at {n}00 ms"
        );
    }
    // Half an interval later the next slot is 50 ms away.
    assert_eq!(decide(t0 + 1_050_000, 0).await, (false, 50));
    // A caller that can wait takes the slots ahead: 50 ms, 150 ms, then 250 ms is too far.
    assert_eq!(decide(t0 + 1_050_000, 200).await, (true, 50));
    assert_eq!(decide(t0 + 1_050_000, 200).await, (true, 150));
    assert_eq!(decide(t0 + 1_050_000, 200).await, (false, 250));
    // After a quiet spell the burst is back.
    for _ in 0..3 {
        assert_eq!(decide(t0 + 10_000_000, 0).await, (true, 0));
    }
    assert_eq!(decide(t0 + 10_000_000, 0).await, (false, 100));

    // The state lives under the app's key and expires once the budget is quiet again.
    let mut redis = connect(server).await;
    let redis_key = limiter.redis_key(&key);
    assert_eq!(redis_key, "opc:v1:rate:app1:test:oapi:api:things.list");
    let tat: u64 = redis::cmd("GET")
        .arg(&redis_key)
        .query_async(&mut redis)
        .await
        .expect("GET");
    // Three slots taken at t0 + 10 s: the theoretical arrival time is three intervals on.
    assert_eq!(tat, t0 + 10_000_000 + 300_000);
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&redis_key)
        .query_async(&mut redis)
        .await
        .expect("PTTL");
    assert!(
        (1..=301).contains(&ttl),
        "expires with the budget's backlog: {ttl} ms"
    );
    // Another app's budget is its own.
    let other = RedisRateLimiter::new(connect(server).await, "app2");
    let taken = other
        .decide(&key, Duration::ZERO, Some(at(t0 + 10_000_000)))
        .await
        .expect("the script runs");
    assert_eq!(seen(taken), (true, 0));
}

#[tokio::test]
async fn gcra_script_on_the_servers_clock_waits_for_the_slot() {
    let Some(server) = RedisServer::shared() else {
        return;
    };
    static ONE_AT_A_TIME: RateLimit = RateLimit {
        per_second: 50,
        burst: 1,
        scope: RateScope::App,
        key: "test:app",
    };
    let limiter = RedisRateLimiter::new(connect(server).await, "app3");
    let key = RateKey::new(&ONE_AT_A_TIME, "a.b", None);
    assert_eq!(limiter.acquire(&key, None).await, Ok(Duration::ZERO));
    // The next slot is 20 ms on: a caller that can wait 5 ms is refused at once.
    let refused = limiter.acquire(&key, Some(Duration::from_millis(5))).await;
    assert!(
        matches!(refused, Err(RateLimitError::TooFar { .. })),
        "{refused:?}"
    );
    // One that can wait gets it, having waited (Redis's TIME and this clock both moved).
    let waited = limiter
        .acquire(&key, Some(Duration::from_secs(1)))
        .await
        .expect("a slot");
    assert!(
        waited > Duration::ZERO && waited < Duration::from_secs(1),
        "{waited:?}"
    );
}

#[tokio::test]
async fn while_redis_is_down_calls_keep_to_an_in_process_budget() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    static ONE_AT_A_TIME: RateLimit = RateLimit {
        per_second: 1,
        burst: 1,
        scope: RateScope::App,
        key: "test:app",
    };
    let limiter = RedisRateLimiter::new(connect(&server).await, "app")
        .with_timeout(Duration::from_millis(200));
    let key = RateKey::new(&ONE_AT_A_TIME, "a.b", None);
    // Through Redis: the budget's slot is taken there.
    assert_eq!(limiter.acquire(&key, None).await, Ok(Duration::ZERO));
    drop(server);
    // Redis is gone: the call does not fail; it takes the in-process budget's first slot
    // (within the 200 ms Redis is given, and well before the second Redis would allow).
    let started = Instant::now();
    let fallback = limiter.acquire(&key, Some(Duration::from_secs(5))).await;
    assert!(fallback.is_ok(), "{fallback:?}");
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    // And that budget holds: the next slot is a second away.
    let refused = limiter
        .acquire(&key, Some(Duration::from_millis(300)))
        .await;
    assert!(
        matches!(refused, Err(RateLimitError::TooFar { .. })),
        "{refused:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// four processes, one budget
// ---------------------------------------------------------------------------------------------

/// The budget the processes share: 20 a second after a burst of 5, for the whole app.
static SHARED: RateLimit = RateLimit {
    per_second: 20,
    burst: 5,
    scope: RateScope::App,
    key: "test:shared",
};

static SHARED_BASE: Base = Base {
    rate_limit: Some(&SHARED),
    ..support::base(None, AuthPlacement::None)
};

static PING: Operation = Operation::new("things.ping", Method::Get, &SHARED_BASE, "/ping")
    .without_auth()
    .idempotent();

struct Ping;

impl ApiRequest for Ping {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &PING;
}

const PROCESSES: u32 = 4;
/// How long each process offers calls.
const OFFERING: Duration = Duration::from_secs(5);
/// Each process offers twice its share: 2 * 20 / 4 = 10 calls a second.
const OFFERED_PER_SECOND: u32 = 2 * SHARED.per_second / PROCESSES;
/// How long a call may wait for its slot.
const CALL_DEADLINE: Duration = Duration::from_secs(1);

const ROLE: &str = "OPC_RATE_TEST_ROLE";

/// One process of the four: offers calls at twice its share for [`OFFERING`], each with a
/// deadline of [`CALL_DEADLINE`], and prints how many were sent and refused.
async fn child() {
    let redis_url = std::env::var("OPC_RATE_TEST_REDIS").expect("the Redis URL");
    let server_url = std::env::var("OPC_RATE_TEST_SERVER").expect("the server URL");
    let manager = redis::Client::open(redis_url)
        .expect("a Redis URL")
        .get_connection_manager()
        .await
        .expect("a Redis connection");
    let client = support::builder(&SHARED_BASE, &server_url)
        .rate_limiter(RedisRateLimiter::new(manager, "multi-process-test"))
        .deadline(CALL_DEADLINE)
        .build()
        .expect("a client")
        .0;
    let (sent, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tick = tokio::time::interval(Duration::from_secs(1) / OFFERED_PER_SECOND);
    let mut calls = Vec::new();
    let started = Instant::now();
    while started.elapsed() < OFFERING {
        tick.tick().await;
        let (client, sent, refused) = (client.clone(), sent.clone(), refused.clone());
        calls.push(tokio::spawn(async move {
            match client.send(Ping).await {
                Ok(_) => sent.fetch_add(1, Ordering::SeqCst),
                Err(Error::RateBudget { .. }) => refused.fetch_add(1, Ordering::SeqCst),
                Err(error) => panic!("a call failed: {error}"),
            };
        }));
    }
    for call in calls {
        call.await.expect("a call task");
    }
    println!(
        "child result: sent={} refused={}",
        sent.load(Ordering::SeqCst),
        refused.load(Ordering::SeqCst)
    );
}

/// A local HTTP/1.1 server answering every request with success, keeping the time each
/// request arrived at (since `origin`).
async fn timestamping_server(origin: Instant) -> (String, Arc<Mutex<Vec<Duration>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let arrivals = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let arrivals = arrivals.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    // Requests are GETs without a body: each ends with an empty line.
                    while let Some(end) = find(&buffer, b"\r\n\r\n") {
                        arrivals.lock().unwrap().push(origin.elapsed());
                        buffer.drain(..end + 4);
                        let body = r#"{"errcode":0,"errmsg":"ok"}"#;
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    (url, seen)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The most arrivals in any one-second window `[t, t + 1 s)`.
fn busiest_second(arrivals: &[Duration]) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| {
            let end = sorted[i] + Duration::from_secs(1);
            sorted[i..].iter().take_while(|&&t| t < end).count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_keep_to_one_budget_together() {
    if std::env::var(ROLE).is_ok_and(|role| role == "child") {
        return child().await;
    }
    let Some(redis) = RedisServer::shared() else {
        return;
    };
    let origin = Instant::now();
    let (server_url, arrivals) = timestamping_server(origin).await;
    let test_binary = std::env::current_exe().expect("the test binary");
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            tokio::process::Command::new(&test_binary)
                .args(["--exact", "four_processes_keep_to_one_budget_together"])
                .args(["--nocapture", "--test-threads=1"])
                .env(ROLE, "child")
                .env("OPC_RATE_TEST_REDIS", redis.url())
                .env("OPC_RATE_TEST_SERVER", &server_url)
                .kill_on_drop(true)
                .output()
        })
        .collect();
    let mut reports = Vec::new();
    for child in children {
        let output = child.await.expect("a child process");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "a child failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // libtest writes the test's name on the same line first.
        let report = stdout
            .lines()
            .find_map(|line| line.split_once("child result: "))
            .map(|(_, result)| result.to_owned())
            .unwrap_or_else(|| panic!("no result line from a child: {stdout}"));
        reports.push(report);
    }
    let arrivals = arrivals.lock().unwrap().clone();
    let first = arrivals.iter().min().copied().expect("requests arrived");
    let busiest = busiest_second(&arrivals);
    let in_offering = arrivals.iter().filter(|&&t| t < first + OFFERING).count();
    let budget = SHARED.per_second as usize * OFFERING.as_secs() as usize;
    println!(
        "{} requests from {PROCESSES} processes in {:?} ({reports:?}); busiest second: {busiest}; \
         in the {OFFERING:?} after the first: {in_offering} (budget {budget}); whole test {:?}",
        arrivals.len(),
        arrivals.iter().max().copied().unwrap_or_default() - first,
        origin.elapsed()
    );
    let ceiling = (SHARED.per_second + SHARED.burst) as usize;
    assert!(
        busiest <= ceiling,
        "{busiest} requests in one second, more than {ceiling}"
    );
    assert!(
        in_offering * 10 >= budget * 9,
        "{in_offering} requests in {OFFERING:?}: less than 90% of the budget's {budget}"
    );
}
