//! When a failed attempt is tried again, and after how long.
//!
//! Retries are bounded and spaced by exponential backoff with jitter. A call is retried only
//! when the failure shows that trying again can help and cannot do harm: a non-idempotent call
//! is retried only when the failure shows the request was not processed.

use std::time::Duration;

use super::{Error, ErrorMeaning, Operation, PageKind, TransportErrorKind};

/// How failed attempts are retried. The defaults suit the platforms' published limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; `0` turns retrying off.
    pub max_retries: u32,
    /// The delay before the first retry; it doubles with each further retry.
    pub base_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
    /// The shortest delay after a rate-limit error (DingTalk asks for about a second).
    pub rate_limit_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(8),
            rate_limit_delay: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The same policy with another retry budget.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The same policy with other delays.
    pub fn with_delays(
        mut self,
        base_delay: Duration,
        max_delay: Duration,
        rate_limit_delay: Duration,
    ) -> Self {
        self.base_delay = base_delay;
        self.max_delay = max_delay;
        self.rate_limit_delay = rate_limit_delay;
        self
    }

    /// The delay before retry number `retry` (from 0) after `error`, or `None` when the call
    /// must not be retried.
    pub(crate) fn delay(
        &self,
        error: &Error,
        operation: &Operation,
        retry: u32,
    ) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        let minimum = match classify(error, operation.idempotent)? {
            Class::Backoff => Duration::ZERO,
            Class::RateLimited => self.rate_limit_delay,
        };
        let exponential = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        // Equal jitter: half fixed, half random, so that clients that failed together spread out.
        let half = exponential / 2;
        let jittered = half + half.mul_f64(fastrand::f64());
        Some(jittered.max(minimum))
    }
}

enum Class {
    /// Retry after the exponential delay.
    Backoff,
    /// Retry after at least the rate-limit delay.
    RateLimited,
}

/// Whether a failure may be retried, and how.
fn classify(error: &Error, idempotent: bool) -> Option<Class> {
    match error {
        // Nothing reached the server: safe for every call.
        Error::Transport { source, .. } if source.kind == TransportErrorKind::Connect => {
            Some(Class::Backoff)
        }
        // A file that cannot be opened or a reader already consumed: the same again.
        Error::Transport { source, .. } if source.kind == TransportErrorKind::Local => None,
        // The request may have been processed: only calls that can be repeated safely.
        Error::Transport { .. } => idempotent.then_some(Class::Backoff),
        // 429 means "not processed, slow down"; 502/503/504 come from gateways and may or may
        // not have reached the service.
        Error::Status { status: 429, .. } => Some(Class::RateLimited),
        Error::Status {
            status: 502..=504, ..
        } => idempotent.then_some(Class::Backoff),
        Error::Status { .. } => None,
        // A page instead of JSON: DingTalk's IP ban lasts minutes, so retrying within seconds
        // only sends more calls from the banned address; otherwise the status decides, as above.
        Error::NotJson {
            kind: PageKind::IpBan,
            ..
        } => None,
        Error::NotJson { status: 429, .. } => Some(Class::RateLimited),
        Error::NotJson {
            status: 502..=504, ..
        } => idempotent.then_some(Class::Backoff),
        Error::NotJson { .. } => None,
        Error::Api(api) => match api.meaning {
            // The platform refused the call without processing it.
            Some(ErrorMeaning::RateLimited) => Some(Class::RateLimited),
            Some(ErrorMeaning::Busy) => Some(Class::Backoff),
            // Quotas, bans, permissions and configuration do not heal by retrying; token errors
            // are refreshed and replayed once by the client, not here.
            _ => None,
        },
        // The token operation's own call was retried already; the deadline is final.
        Error::InvalidRequest { .. }
        | Error::Auth { .. }
        | Error::Token { .. }
        | Error::Deadline { .. }
        | Error::RateBudget { .. }
        | Error::Decode { .. }
        | Error::RepeatedCursor { .. } => None,
    }
}
