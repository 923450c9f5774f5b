//! How long a stream session waits before it opens a connection again: exponential backoff,
//! capped, with jitter so that clients that lost the gateway together do not return together.

use std::time::Duration;

/// The waits between failed attempts to (re)connect a stream session.
///
/// After the `n`-th consecutive failure (counting from 0) the exponential delay is
/// `initial_delay * 2^n`, capped at `max_delay`. With jitter (the default) the session waits a
/// random duration between half that delay and the whole of it ("equal jitter", as the
/// runtime's [`RetryPolicy`](crate::RetryPolicy) does); without it, exactly that delay.
///
/// A connection that worked (it received at least one frame) resets the count, so a drop after
/// a healthy connection waits about `initial_delay`; the server's `disconnect` notice is
/// followed by a new connection at once, without waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackoffPolicy {
    /// The delay after the first failure.
    pub initial_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Whether the delay is randomised between half of it and the whole of it.
    pub jitter: bool,
}

impl Default for BackoffPolicy {
    /// 1 s, doubling up to 60 s, with jitter.
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl BackoffPolicy {
    /// A policy with these delays, with jitter.
    pub fn new(initial_delay: Duration, max_delay: Duration) -> Self {
        Self {
            initial_delay,
            max_delay,
            jitter: true,
        }
    }

    /// The same policy without jitter: every wait is exactly [`BackoffPolicy::base_delay`].
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The exponential delay after failure number `failure` (from 0), before jitter:
    /// `initial_delay * 2^failure`, at most `max_delay`. Never overflows.
    pub fn base_delay(&self, failure: u32) -> Duration {
        // 2^31 times any delay of a second or more is already past any sensible cap; the
        // saturating multiplication keeps larger counts from overflowing.
        let factor = 1u32 << failure.min(31);
        self.initial_delay
            .saturating_mul(factor)
            .min(self.max_delay)
    }

    /// The wait after failure number `failure` (from 0), given `unit`, a number in `[0, 1)`
    /// (the session draws it at random; a test passes its own). With jitter the wait is
    /// `base / 2 + base / 2 * unit`; without, `base`. A `unit` outside `[0, 1)` (or NaN) is
    /// clamped into it, so the wait never exceeds the base delay.
    pub fn delay(&self, failure: u32, unit: f64) -> Duration {
        let base = self.base_delay(failure);
        if !self.jitter {
            return base;
        }
        let unit = if unit.is_nan() {
            0.0
        } else {
            unit.clamp(0.0, 1.0)
        };
        let half = base / 2;
        (half + half.mul_f64(unit)).min(base)
    }
}
