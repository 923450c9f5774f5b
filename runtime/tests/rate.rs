//! Rate budgets in one process (cargo feature `rate`): the in-process limiter on a paused
//! tokio clock (a burst, then one slot per interval; budgets apart per key), and the client
//! waiting for its slot within the call's deadline, the wait on the call's span.

#![cfg(feature = "rate")]

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use open_platform_runtime::{
    ApiRequest, AuthPlacement, Base, BoxFuture, Error, HttpRequest, HttpResponse,
    InProcessRateLimiter, Method, Operation, RateKey, RateLimit, RateLimitError, RateLimiter,
    RateScope, Transport, TransportError,
};
use tokio::time::Instant;

/// 10 calls a second after a burst of 3: one slot every 100 ms.
static TEN_PER_SECOND: RateLimit = RateLimit {
    per_second: 10,
    burst: 3,
    scope: RateScope::Api,
    key: "test:oapi",
};

static OAPI: Base = Base {
    rate_limit: Some(&TEN_PER_SECOND),
    ..support::base(None, AuthPlacement::None)
};

static LIST: Operation = Operation::new("things.list", Method::Get, &OAPI, "/things")
    .without_auth()
    .idempotent();

/// An operation with a budget of its own: 10 a second, one at a time, per tenant.
static PER_TENANT: RateLimit = RateLimit {
    per_second: 10,
    burst: 1,
    scope: RateScope::Tenant,
    key: "test:things.get",
};

static GET: Operation = Operation::new("things.get", Method::Get, &OAPI, "/things/get")
    .without_auth()
    .idempotent()
    .rate_limited(Some(&PER_TENANT));

struct ListRequest;

impl ApiRequest for ListRequest {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &LIST;
}

struct GetRequest;

impl ApiRequest for GetRequest {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &GET;
}

/// A transport that answers every request at once with success and counts them.
#[derive(Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl Transport for Counting {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(HttpResponse::new(200, r#"{"errcode":0,"errmsg":"ok"}"#)) })
    }
}

fn key(limit: &'static RateLimit, operation: &str) -> RateKey {
    RateKey::new(limit, operation, None)
}

#[test]
fn keys_name_what_shares_the_budget() {
    static APP: RateLimit = RateLimit {
        scope: RateScope::App,
        ..TEN_PER_SECOND
    };
    assert_eq!(key(&APP, "a.b").as_str(), "test:oapi:app");
    assert_eq!(key(&TEN_PER_SECOND, "a.b").as_str(), "test:oapi:api:a.b");
    assert_eq!(
        RateKey::new(&PER_TENANT, "a.b", Some("ding123")).as_str(),
        "test:things.get:tenant:ding123"
    );
    assert_eq!(
        RateKey::new(&PER_TENANT, "a.b", None).as_str(),
        "test:things.get:tenant:-"
    );
    assert_eq!(TEN_PER_SECOND.interval(), Some(Duration::from_millis(100)));
}

#[tokio::test(start_paused = true)]
async fn in_process_budget_lets_a_burst_through_then_one_call_per_interval() {
    let limiter = InProcessRateLimiter::new();
    let key = key(&TEN_PER_SECOND, "things.list");
    let start = Instant::now();
    for _ in 0..3 {
        assert_eq!(limiter.acquire(&key, None).await, Ok(Duration::ZERO));
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "the burst goes at once");
    // Then one every 100 ms: the 4th at 100 ms, the 13th at 1 s.
    for n in 1..=10u32 {
        let waited = limiter.acquire(&key, None).await.expect("a slot");
        assert_eq!(waited, Duration::from_millis(100), "call {}", n + 3);
        assert_eq!(start.elapsed(), Duration::from_millis(100) * n);
    }
    // Another key has a budget of its own.
    let other = self::key(&TEN_PER_SECOND, "things.get");
    assert_eq!(limiter.acquire(&other, None).await, Ok(Duration::ZERO));
    // After a quiet second the burst is back.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let quiet = Instant::now();
    for _ in 0..3 {
        limiter.acquire(&key, None).await.expect("a slot");
    }
    assert_eq!(quiet.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn in_process_budget_gives_up_when_the_slot_is_further_than_the_caller_can_wait() {
    let limiter = InProcessRateLimiter::new();
    let key = key(&PER_TENANT, "things.get");
    limiter.acquire(&key, None).await.expect("the first slot");
    let start = Instant::now();
    let refused = limiter.acquire(&key, Some(Duration::from_millis(60))).await;
    assert!(
        matches!(refused, Err(RateLimitError::TooFar { wait, max_wait })
            if wait == Duration::from_millis(100) && max_wait == Duration::from_millis(60)),
        "{refused:?}"
    );
    assert_eq!(start.elapsed(), Duration::ZERO, "it gives up at once");
    // Refusing took no slot: the next caller that can wait gets the one due at 100 ms.
    let waited = limiter
        .acquire(&key, Some(Duration::from_millis(150)))
        .await;
    assert_eq!(waited, Ok(Duration::from_millis(100)));
}

#[tokio::test(start_paused = true)]
async fn a_budget_of_zero_is_refused_not_a_panic() {
    static NONE: RateLimit = RateLimit {
        per_second: 0,
        burst: 0,
        scope: RateScope::App,
        key: "test:none",
    };
    let limiter = InProcessRateLimiter::new();
    let refused = limiter.acquire(&key(&NONE, "a.b"), None).await;
    assert!(
        matches!(refused, Err(RateLimitError::NoCalls(_))),
        "{refused:?}"
    );
}

fn client(transport: Counting, deadline: Duration) -> support::TestPlatform {
    support::builder(&OAPI, "http://127.0.0.1:9")
        .transport(transport)
        .deadline(deadline)
        .build()
        .expect("a client")
}

#[tokio::test(start_paused = true)]
async fn calls_wait_for_their_slot_and_fail_typed_when_it_is_past_the_deadline() {
    let sent = Counting::default();
    let client = client(sent.clone(), Duration::from_millis(150)).0;
    let start = Instant::now();
    // The burst of 3, then the 4th waits 100 ms: within the 150 ms deadline.
    for _ in 0..4 {
        client.send(ListRequest).await.expect("sent");
    }
    assert_eq!(start.elapsed(), Duration::from_millis(100));
    assert_eq!(sent.0.load(Ordering::SeqCst), 4);

    // A call whose slot is further away than its deadline (less a quarter kept for the
    // request) is not sent.
    let short = client.with_options({
        let mut options = client.options();
        options.deadline = Duration::from_millis(50);
        options
    });
    let error = short.send(ListRequest).await.expect_err("no slot in time");
    assert!(
        matches!(&error, Error::RateBudget { operation: "things.list", budget, wait, left }
            if budget == "test:oapi:api:things.list"
                && *wait == Duration::from_millis(100)
                && *left == Duration::from_millis(50)),
        "{error:?}"
    );
    assert!(error.is_deadline());
    assert_eq!(error.type_name(), "rate_budget");
    assert_eq!(
        error.to_string(),
        "things.list: no slot of the rate budget `test:oapi:api:things.list` in time for the \
         call's deadline: the next is 100ms away, 50ms left"
    );
    assert_eq!(
        sent.0.load(Ordering::SeqCst),
        4,
        "the refused call was not sent"
    );
}

#[tokio::test(start_paused = true)]
async fn an_operation_keeps_to_its_own_budget_per_tenant_and_limits_can_be_turned_off() {
    let sent = Counting::default();
    let client = client(sent.clone(), Duration::from_secs(10)).0;
    let (a, b) = (client.for_tenant("a"), client.for_tenant("b"));
    let start = Instant::now();
    a.send(GetRequest).await.expect("sent");
    b.send(GetRequest).await.expect("sent");
    assert_eq!(start.elapsed(), Duration::ZERO, "two tenants, two budgets");
    a.send(GetRequest).await.expect("sent");
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(100),
        "burst 1 for tenant a"
    );

    let unlimited = support::builder(&OAPI, "http://127.0.0.1:9")
        .transport(sent.clone())
        .without_rate_limits()
        .build()
        .expect("a client")
        .0;
    let start = Instant::now();
    for _ in 0..20 {
        unlimited.send(GetRequest).await.expect("sent");
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn clients_given_one_limiter_share_its_budgets() {
    let shared = InProcessRateLimiter::new();
    let sent = Counting::default();
    let build = || {
        support::builder(&OAPI, "http://127.0.0.1:9")
            .transport(sent.clone())
            .rate_limiter(shared.clone())
            .build()
            .expect("a client")
            .0
    };
    let (one, two) = (build(), build());
    let start = Instant::now();
    for _ in 0..2 {
        one.send(ListRequest).await.expect("sent");
        two.send(ListRequest).await.expect("sent");
    }
    // Four calls on a burst of 3: the 4th waited one interval.
    assert_eq!(start.elapsed(), Duration::from_millis(100));
}

// ---------------------------------------------------------------------------------------------
// the wait on the call's span
// ---------------------------------------------------------------------------------------------

/// Every value recorded on a span named `open_platform.call`, by field.
#[derive(Clone, Default)]
struct CallFields(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

struct Text<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Text<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S> tracing_subscriber::Layer<S> for CallFields
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "open_platform.call" {
            return;
        }
        let mut calls = self.0.lock().unwrap();
        let mut fields = BTreeMap::new();
        attrs.record(&mut Text(&mut fields));
        calls.push(fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(calls.len() - 1);
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let Some(index) = ctx
            .span(id)
            .and_then(|s| s.extensions().get::<usize>().copied())
        else {
            return;
        };
        values.record(&mut Text(&mut self.0.lock().unwrap()[index]));
    }
}

#[tokio::test(start_paused = true)]
async fn the_wait_is_recorded_on_the_call_span() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let calls = CallFields::default();
    let subscriber = tracing_subscriber::registry().with(calls.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let client = client(Counting::default(), Duration::from_secs(10)).0;
    for _ in 0..4 {
        client.send(ListRequest).await.expect("sent");
    }
    let calls = calls.0.lock().unwrap();
    let waits: Vec<Option<&str>> = calls
        .iter()
        .map(|c| {
            c.get("open_platform.rate_limit.wait_ms")
                .map(String::as_str)
        })
        .collect();
    // The burst waited for nothing (the field stays empty); the 4th call waited 100 ms.
    assert_eq!(waits, [None, None, None, Some("100")]);
}
