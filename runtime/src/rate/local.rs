//! The in-process budget: one `governor` GCRA per key, on tokio's clock (so that a paused
//! test clock drives it).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::Quota;
use tokio::time::Instant;

use super::{RateKey, RateLimitError, RateLimiter};
use crate::BoxFuture;

/// tokio's clock as `governor` reads it: the time since the limiter was made.
#[derive(Debug, Clone)]
struct TokioClock {
    origin: Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

type Gcra = governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// The budgets of one process: calls sharing a key (see [`RateKey`]) wait for their slots in
/// turn, at most `per_second` a second after a burst of `burst`.
///
/// The client's default when the spec declares limits. Clones share the budgets: give the
/// same limiter to every client of one app in a process (`ClientBuilder::rate_limiter`).
#[derive(Debug, Clone)]
pub struct InProcessRateLimiter {
    clock: TokioClock,
    /// One GCRA per key; a key's entry is made at its first call.
    budgets: Arc<Mutex<HashMap<String, Arc<Gcra>>>>,
}

impl Default for InProcessRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl InProcessRateLimiter {
    /// A limiter with no slot taken yet.
    pub fn new() -> Self {
        Self {
            clock: TokioClock {
                origin: Instant::now(),
            },
            budgets: Arc::default(),
        }
    }

    /// The GCRA of `key`, made at its first use.
    fn budget(&self, key: &RateKey) -> Result<Arc<Gcra>, RateLimitError> {
        let limit = key.limit();
        let no_calls = || RateLimitError::NoCalls(key.to_string());
        let rate = NonZeroU32::new(limit.per_second).ok_or_else(no_calls)?;
        let burst = NonZeroU32::new(limit.burst).ok_or_else(no_calls)?;
        // A poisoned map still holds valid limiters: a panic elsewhere cannot leave one
        // half-made (each is inserted whole).
        let mut budgets = self
            .budgets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let gcra = budgets.entry(key.to_string()).or_insert_with(|| {
            let quota = Quota::per_second(rate).allow_burst(burst);
            Arc::new(Gcra::direct_with_clock(quota, self.clock.clone()))
        });
        Ok(Arc::clone(gcra))
    }

    /// Takes a slot of `key` now if one is free; otherwise says how long until the next.
    pub(crate) fn try_acquire(&self, key: &RateKey) -> Result<Option<Duration>, RateLimitError> {
        let gcra = self.budget(key)?;
        Ok(match gcra.check() {
            Ok(()) => None,
            Err(not_until) => Some(not_until.wait_time_from(self.clock.now())),
        })
    }

    /// Takes a slot of `key`, waiting for it; see [`RateLimiter::acquire`].
    pub async fn wait_for_slot(
        &self,
        key: &RateKey,
        max_wait: Option<Duration>,
    ) -> Result<Duration, RateLimitError> {
        let started = Instant::now();
        loop {
            let Some(wait) = self.try_acquire(key)? else {
                return Ok(started.elapsed());
            };
            // The slot is not reserved: calls waiting together try again when it is due, and
            // one that loses the race waits for the next.
            let waited = started.elapsed();
            if let Some(max_wait) = max_wait {
                if waited + wait >= max_wait {
                    return Err(RateLimitError::TooFar {
                        wait: waited + wait,
                        max_wait,
                    });
                }
            }
            tokio::time::sleep(wait).await;
        }
    }
}

impl RateLimiter for InProcessRateLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a RateKey,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Duration, RateLimitError>> {
        Box::pin(self.wait_for_slot(key, max_wait))
    }
}
