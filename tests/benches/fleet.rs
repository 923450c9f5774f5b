//! What sharing state with a fleet costs each call: the token lookup of a warm cache in memory
//! and in Redis (`RedisTokenStore`, one `HGETALL` per call), and taking a rate-budget slot in
//! process (`InProcessRateLimiter`, governor) and in Redis (`RedisRateLimiter`, the GCRA
//! script), each timed call by call against a `redis-server` on loopback.
//!
//! The cases take turns in rounds (in-memory, Redis, in-memory, ...), so that a machine that
//! slows down mid-run slows every case alike; each reports the median and the 99th percentile
//! of its calls and the ratio of its median to the in-memory case's. The budgets are large
//! enough that no call waits: what is measured is the bookkeeping, not the pacing.
//!
//! `cargo bench -p tests --bench fleet` (or `cargo xtask bench`) prints the table; without
//! `--bench` (as `cargo test --benches` runs it) it makes a few calls of each case, to show it
//! still works. Without `redis-server` on `PATH` the Redis rows are left out, saying why.

#[path = "../tests/redis_support/mod.rs"]
mod redis_support;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use open_platform_clients::dingtalk::{self, auth};
use open_platform_clients::runtime::{
    FetchedToken, InProcessRateLimiter, RateKey, RateLimit, RateLimiter, RateScope,
    RedisRateLimiter, RedisTokenStore, TokenRequest as _, TokenSource,
};
use redis_support::RedisServer;
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A budget no benchmark call waits for.
static ROOMY: RateLimit = RateLimit {
    per_second: 1_000_000,
    burst: 1_000_000,
    scope: RateScope::Api,
    key: "bench:oapi",
};

/// Timed calls per case and round, and rounds; the first round is a warm-up and not counted.
const CALLS: usize = 2_000;
const ROUNDS: usize = 6;

/// One case: a name and one call of it.
type Case<'a> = (
    &'static str,
    Box<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + 'a>> + 'a>,
);

fn main() {
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let (calls, rounds) = if measuring { (CALLS, ROUNDS) } else { (20, 2) };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let redis = RedisServer::start();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(path("/gettoken"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "errcode": 0, "errmsg": "ok", "access_token": "bench-token", "expires_in": 7200
            })))
            .mount(&server)
            .await;
        let client = dingtalk::Client::builder()
            .server(server.uri())
            .build()
            .expect("a client");
        let runtime_client = client.runtime();
        let source = |store: Option<RedisTokenStore>| {
            let source = auth::GetTokenRequest::new("bench-app", "bench-secret").into_token_source();
            match store {
                Some(store) => source.store(Arc::new(store)),
                None => source,
            }
        };
        let in_memory: FetchedToken = source(None);
        let key = RateKey::new(&ROOMY, "report.get_unread_count", None);
        let local = InProcessRateLimiter::new();

        // Declared before the cases, which borrow it.
        let shared = match &redis {
            Some(redis) => {
                let store = RedisTokenStore::open(&redis.url())
                    .expect("a Redis URL")
                    .prefix("bench:");
                let connection = redis::Client::open(redis.url())
                    .expect("a Redis URL")
                    .get_connection_manager()
                    .await
                    .expect("a connection to the benchmark's redis-server");
                Some((source(Some(store)), RedisRateLimiter::new(connection, "bench")))
            }
            None => {
                println!("(no redis-server: the Redis rows are left out)");
                None
            }
        };
        let mut token_cases: Vec<Case> = vec![(
            "token, in-memory store",
            Box::new(|| Box::pin(token_call(&in_memory, runtime_client))),
        )];
        let mut rate_cases: Vec<Case> = vec![(
            "rate slot, in-process (governor)",
            Box::new(|| Box::pin(slot_call(&local, &key))),
        )];
        if let Some((in_redis, limiter)) = &shared {
            token_cases.push((
                "token, Redis store",
                Box::new(|| Box::pin(token_call(in_redis, runtime_client))),
            ));
            rate_cases.push((
                "rate slot, Redis (GCRA script)",
                Box::new(|| Box::pin(slot_call(limiter, &key))),
            ));
        }
        println!("## Per-call cost of the token store and the rate budget (same run, {calls} calls x {} rounds each, interleaved)", rounds - 1);
        println!();
        println!("| per call | median | p99 | median / in-memory |");
        println!("|---|---:|---:|---:|");
        for cases in [&token_cases, &rate_cases] {
            let samples = measure(cases, calls, rounds).await;
            let baseline = percentile(&samples[0], 0.5);
            for ((name, _), times) in cases.iter().zip(&samples) {
                let median = percentile(times, 0.5);
                println!(
                    "| {name} | {:.1} µs | {:.1} µs | {:.1}x |",
                    micros(median),
                    micros(percentile(times, 0.99)),
                    median.as_secs_f64() / baseline.as_secs_f64()
                );
            }
        }
        println!();
    });
}

/// The cases' timed calls, in rounds that take turns; the first round is not kept.
async fn measure(cases: &[Case<'_>], calls: usize, rounds: usize) -> Vec<Vec<Duration>> {
    let mut samples = vec![Vec::with_capacity(calls * rounds); cases.len()];
    for round in 0..rounds {
        for ((_, call), times) in cases.iter().zip(&mut samples) {
            for _ in 0..calls {
                let start = Instant::now();
                call().await;
                if round > 0 {
                    times.push(start.elapsed());
                }
            }
        }
    }
    samples
}

async fn token_call(source: &FetchedToken, client: &open_platform_clients::runtime::Client) {
    let token = source.token(client).await.expect("a token");
    std::hint::black_box(token);
}

async fn slot_call(limiter: &dyn RateLimiter, key: &RateKey) {
    let waited = limiter
        .acquire(key, Some(Duration::ZERO))
        .await
        .expect("a slot of a budget no call waits for");
    std::hint::black_box(waited);
}

/// The `q` quantile of `times` (nearest rank).
fn percentile(times: &[Duration], q: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
