//! Rate budgets declared in the specs (`rate_limit`): before each attempt, a call of an
//! operation with a budget takes a slot of it, waiting for one within the call's deadline
//! rather than being throttled by the platform (DingTalk's `90018`).
//!
//! The client asks a [`RateLimiter`]: by default an [`InProcessRateLimiter`] (feature
//! `rate`), which keeps the budget of one process; a [`RedisRateLimiter`] (features `rate`
//! and `redis`) keeps one budget for every process of an app, so that processes that each
//! obey the limit do not overrun it together.

#[cfg(feature = "rate")]
mod local;
#[cfg(all(feature = "rate", feature = "redis"))]
mod redis;

use std::fmt;
use std::time::Duration;

#[cfg(feature = "rate")]
#[cfg_attr(docsrs, doc(cfg(feature = "rate")))]
pub use local::InProcessRateLimiter;
#[cfg(all(feature = "rate", feature = "redis"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "rate", feature = "redis"))))]
pub use redis::{RateDecision, RedisRateLimiter};

use crate::{BoxFuture, RateLimit, RateScope};

/// Where calls take their slots of the budgets the specs declare; set with
/// `ClientBuilder::rate_limiter`.
///
/// An implementation waits until the slot is due (it may sleep) and returns how long it
/// waited; when the slot is further away than `max_wait` it takes none and returns
/// [`RateLimitError::TooFar`] at once.
pub trait RateLimiter: Send + Sync + 'static {
    /// Takes one slot of `key`'s budget, waiting at most `max_wait` for it (`None`: as long
    /// as it takes).
    fn acquire<'a>(
        &'a self,
        key: &'a RateKey,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Duration, RateLimitError>>;
}

/// Why no slot was taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RateLimitError {
    /// The next slot is further away than the caller can wait.
    #[error("the next slot is {}ms away, more than the {}ms the call can wait", .wait.as_millis(), .max_wait.as_millis())]
    TooFar {
        /// How long the caller would have had to wait.
        wait: Duration,
        /// How long it could wait.
        max_wait: Duration,
    },
    /// The budget allows no call: its rate or burst is 0 (the generator refuses both; only a
    /// hand-made [`RateLimit`] can have them).
    #[error("the rate budget `{0}` allows no call: its per_second and burst must be at least 1")]
    NoCalls(String),
}

/// One budget's key: the declared [`RateLimit`] and what shares it (the app, a tenant or an
/// operation), written `<limit key>:app`, `<limit key>:tenant:<tenant>` or
/// `<limit key>:api:<group>.<operation>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RateKey {
    limit: &'static RateLimit,
    name: String,
}

impl RateKey {
    /// The key of a call of `operation` (`<group>.<operation>`) under `limit`, for `tenant`
    /// when the client has one.
    pub fn new(limit: &'static RateLimit, operation: &str, tenant: Option<&str>) -> Self {
        let name = match limit.scope {
            RateScope::App => format!("{}:app", limit.key),
            RateScope::Tenant => format!("{}:tenant:{}", limit.key, tenant.unwrap_or("-")),
            RateScope::Api => format!("{}:api:{operation}", limit.key),
        };
        Self { limit, name }
    }

    /// The declared budget.
    pub fn limit(&self) -> &'static RateLimit {
        self.limit
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for RateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl RateLimit {
    /// The time between two calls at the sustained rate (the GCRA's emission interval);
    /// `None` for a rate of 0.
    pub fn interval(&self) -> Option<Duration> {
        (self.per_second > 0).then(|| Duration::from_secs(1) / self.per_second)
    }
}
