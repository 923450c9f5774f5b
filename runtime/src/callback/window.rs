//! The window of time a callback's timestamp must fall in, and the unit it is written in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::CallbackError;

/// How a platform writes a callback's `timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// Milliseconds since the Unix epoch, as DingTalk writes it (`1445827045067`).
    Millis,
    /// Seconds since the Unix epoch, as WeCom writes it (`1409659813`).
    Seconds,
}

/// How far a callback's timestamp may be from "now", either way, and the unit it is in.
///
/// The timestamp is covered by the signature, so the window bounds how long a captured
/// callback can be replayed. Neither platform documents a window for its encrypted
/// callbacks; the default, one hour either way, is the one DingTalk documents for robot
/// callbacks ("timestamp 与系统当前时间戳如果相差1小时以上，则认为是非法的请求"), wide enough for
/// clock drift and the platforms' retries. A timestamp exactly `tolerance` away is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimestampWindow {
    unit: TimestampUnit,
    tolerance: Duration,
}

impl TimestampWindow {
    /// One hour.
    pub const ONE_HOUR: Duration = Duration::from_secs(60 * 60);

    /// DingTalk's callbacks: milliseconds, one hour either way.
    pub const DINGTALK: Self = Self::new(TimestampUnit::Millis, Self::ONE_HOUR);

    /// WeCom's callbacks: seconds, one hour either way.
    pub const WECOM: Self = Self::new(TimestampUnit::Seconds, Self::ONE_HOUR);

    /// A window of `tolerance` either way around "now", for timestamps written in `unit`.
    pub const fn new(unit: TimestampUnit, tolerance: Duration) -> Self {
        Self { unit, tolerance }
    }

    /// The unit timestamps are written in.
    pub const fn unit(&self) -> TimestampUnit {
        self.unit
    }

    /// How far from "now" a timestamp may be, either way.
    pub const fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks that `timestamp` (decimal digits in this window's unit) is within the window
    /// around `now`.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadTimestamp`] unless it is 1 to 20 ASCII digits that fit a `u64`,
    /// [`CallbackError::StaleTimestamp`] or [`CallbackError::FutureTimestamp`] if it is more
    /// than the tolerance before or after `now`.
    pub fn check(&self, timestamp: &str, now: SystemTime) -> Result<(), CallbackError> {
        let value = parse(timestamp)?;
        let stamp_millis = match self.unit {
            TimestampUnit::Millis => i128::from(value),
            TimestampUnit::Seconds => i128::from(value) * 1000,
        };
        let skew = millis_since_epoch(now) - stamp_millis;
        let tolerance = i128::try_from(self.tolerance.as_millis()).unwrap_or(i128::MAX);
        if skew > tolerance {
            Err(CallbackError::StaleTimestamp {
                age: duration_from_millis(skew),
                tolerance: self.tolerance,
            })
        } else if -skew > tolerance {
            Err(CallbackError::FutureTimestamp {
                ahead: duration_from_millis(-skew),
                tolerance: self.tolerance,
            })
        } else {
            Ok(())
        }
    }

    /// `now` written as this window's unit writes timestamps.
    pub fn format(&self, now: SystemTime) -> String {
        let millis = millis_since_epoch(now);
        match self.unit {
            TimestampUnit::Millis => millis.to_string(),
            TimestampUnit::Seconds => millis.div_euclid(1000).to_string(),
        }
    }
}

impl Default for TimestampWindow {
    /// [`TimestampWindow::DINGTALK`].
    fn default() -> Self {
        Self::DINGTALK
    }
}

/// A timestamp's value: only ASCII digits (no sign, no spaces), at most what a `u64` holds.
fn parse(timestamp: &str) -> Result<u64, CallbackError> {
    let bad = || CallbackError::BadTimestamp {
        value: timestamp.chars().take(32).collect(),
    };
    if timestamp.is_empty() || !timestamp.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(bad());
    }
    timestamp.parse().map_err(|_| bad())
}

/// Milliseconds from the Unix epoch to `now`, negative before it.
fn millis_since_epoch(now: SystemTime) -> i128 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_millis()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
    }
}

/// A positive number of milliseconds as a `Duration` (saturating).
fn duration_from_millis(millis: i128) -> Duration {
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}
