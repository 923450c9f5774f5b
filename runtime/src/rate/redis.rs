//! One budget for every process of an app: the GCRA decided in Redis by a Lua script
//! (`gcra.lua`), with the in-process budget standing in while Redis cannot be reached.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;
use tokio::time::Instant;

use super::{InProcessRateLimiter, RateKey, RateLimitError, RateLimiter};
use crate::BoxFuture;

/// The GCRA of one call, run atomically in Redis.
const GCRA_SCRIPT: &str = include_str!("gcra.lua");

/// One decision of the budget in Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateDecision {
    /// Whether the slot was taken (the wait fitted in the time the caller could wait).
    pub taken: bool,
    /// How long until the slot is due (zero when it is due now).
    pub wait: Duration,
}

/// The budgets of an app shared by all its processes through Redis: each call's slot is
/// taken by one atomic script (the GCRA that redis-cell implements: a theoretical arrival
/// time per key, an emission interval of `1 / per_second`, a tolerance of `burst` intervals),
/// so that N processes together keep to the declared rate.
///
/// Keys are `opc:v1:rate:<app>:<budget key>` (see [`RateKey`]), each expiring once its
/// budget is quiet again. The time is Redis's own (`TIME`), the same for every process.
///
/// When Redis fails or does not answer within [`with_timeout`](Self::with_timeout) (500 ms
/// by default), the call takes its slot from an in-process budget instead, with a warning
/// when that starts and a note when Redis answers again: a Redis failure never fails a call.
#[derive(Clone)]
pub struct RedisRateLimiter {
    connection: ConnectionManager,
    prefix: String,
    script: Arc<redis::Script>,
    timeout: Duration,
    fallback: InProcessRateLimiter,
    /// Whether the last call fell back, so that the warning is logged once per outage.
    degraded: Arc<AtomicBool>,
}

impl std::fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// How long a call waits for Redis before it takes an in-process slot instead.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);

    /// The budgets of `app` (its app key, or any name every process of the app shares) in
    /// the Redis behind `connection`.
    pub fn new(connection: ConnectionManager, app: impl AsRef<str>) -> Self {
        Self {
            connection,
            prefix: format!("opc:v1:rate:{}", app.as_ref()),
            script: Arc::new(redis::Script::new(GCRA_SCRIPT)),
            timeout: Self::DEFAULT_TIMEOUT,
            fallback: InProcessRateLimiter::new(),
            degraded: Arc::default(),
        }
    }

    /// How long a call waits for Redis before it takes an in-process slot instead.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The Redis key of `key`'s budget.
    pub fn redis_key(&self, key: &RateKey) -> String {
        format!("{}:{key}", self.prefix)
    }

    /// One decision of the script for `key`: takes the slot if it is due within `max_wait`,
    /// and says how long until it is due; never waits. `now` is the time the decision is made
    /// at (Redis's `TIME` when `None`), for tests and tools that drive the budget with a clock
    /// of their own.
    pub async fn decide(
        &self,
        key: &RateKey,
        max_wait: Duration,
        now: Option<SystemTime>,
    ) -> Result<RateDecision, redis::RedisError> {
        let limit = key.limit();
        let interval = limit.interval().ok_or_else(|| {
            redis::RedisError::from((
                redis::ErrorKind::InvalidClientConfig,
                "the rate budget allows no call",
                key.to_string(),
            ))
        })?;
        let now = match now {
            Some(now) => now
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_micros()
                .to_string(),
            None => String::new(),
        };
        let mut connection = self.connection.clone();
        let (taken, wait): (i64, i64) = self
            .script
            .key(self.redis_key(key))
            .arg(micros(interval))
            .arg(limit.burst)
            .arg(micros(max_wait))
            .arg(now)
            .invoke_async(&mut connection)
            .await?;
        Ok(RateDecision {
            taken: taken == 1,
            wait: Duration::from_micros(u64::try_from(wait).unwrap_or(0)),
        })
    }

    /// Takes a slot in Redis, or in-process when Redis fails, and returns how long the slot
    /// was waited for (the time asking Redis took aside); see [`RateLimiter::acquire`].
    pub async fn wait_for_slot(
        &self,
        key: &RateKey,
        max_wait: Option<Duration>,
    ) -> Result<Duration, RateLimitError> {
        if key.limit().interval().is_none() || key.limit().burst == 0 {
            return Err(RateLimitError::NoCalls(key.to_string()));
        }
        let started = Instant::now();
        // Without a deadline the wait is bounded only by the budget itself.
        let can_wait = max_wait.unwrap_or(Duration::from_secs(u32::MAX.into()));
        let decided = tokio::time::timeout(self.timeout, self.decide(key, can_wait, None)).await;
        let decision = match decided {
            Ok(Ok(decision)) => {
                if self.degraded.swap(false, Ordering::Relaxed) {
                    tracing::info!(budget = %key, "Redis answers again; rate budgets are shared again");
                }
                decision
            }
            Ok(Err(error)) => {
                return self
                    .fall_back(key, max_wait, started, error.to_string())
                    .await
            }
            Err(_elapsed) => {
                let error = format!("no answer within {} ms", self.timeout.as_millis());
                return self.fall_back(key, max_wait, started, error).await;
            }
        };
        // The time spent asking counts against what the call can wait.
        let wait = decision.wait;
        if !decision.taken {
            return Err(RateLimitError::TooFar {
                wait: started.elapsed() + wait,
                max_wait: can_wait,
            });
        }
        // tokio's timer rounds up to its 1 ms tick, even for a zero sleep: a slot that is due
        // now must not cost a millisecond (the `fleet` benchmark measured 1.1 ms a call).
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(wait)
    }

    /// The in-process slot of a call whose Redis decision failed with `error`.
    async fn fall_back(
        &self,
        key: &RateKey,
        max_wait: Option<Duration>,
        started: Instant,
        error: String,
    ) -> Result<Duration, RateLimitError> {
        if !self.degraded.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                budget = %key,
                error = %error,
                "Redis rate limiter unavailable; this process keeps to the budget on its own until Redis answers"
            );
        }
        let left = max_wait.map(|max_wait| max_wait.saturating_sub(started.elapsed()));
        self.fallback.wait_for_slot(key, left).await
    }
}

/// A duration in whole microseconds, as the script counts.
fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a RateKey,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Duration, RateLimitError>> {
        Box::pin(self.wait_for_slot(key, max_wait))
    }
}
