//! [`Millis`]: a point in time as the platforms send it, milliseconds since the Unix epoch.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch: the type of every `timestamp_ms` field.
///
/// A type of its own, so that a constructor taking a start time, an end time, a cursor and a
/// page size (`report::ListRequest::new(Millis(..), Millis(..), 0, 20)`) says which number is
/// a time, and a time cannot be passed where a count goes. On the wire it is the plain number.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use open_platform_runtime::Millis;
///
/// let start = Millis(1_507_564_800_000);
/// assert_eq!(start.to_string(), "1507564800000");
/// assert_eq!(Millis::from(UNIX_EPOCH + Duration::from_millis(1_507_564_800_000)), start);
/// assert_eq!(start + Duration::from_secs(1), Millis(1_507_564_801_000));
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Millis(pub i64);

impl Millis {
    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// The number of milliseconds.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The time as a [`SystemTime`]; `None` when it cannot be one on this platform.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let offset = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
    }
}

/// Saturates at the ends of `i64` milliseconds (some 292 million years either way).
impl From<SystemTime> for Millis {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Self(i64::try_from(after.as_millis()).unwrap_or(i64::MAX)),
            Err(before) => {
                Self(i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms))
            }
        }
    }
}

impl From<Millis> for i64 {
    fn from(millis: Millis) -> Self {
        millis.0
    }
}

/// Later by `duration` (saturating).
impl std::ops::Add<Duration> for Millis {
    type Output = Millis;

    fn add(self, duration: Duration) -> Millis {
        let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Millis(self.0.saturating_add(ms))
    }
}

/// Earlier by `duration` (saturating).
impl std::ops::Sub<Duration> for Millis {
    type Output = Millis;

    fn sub(self, duration: Duration) -> Millis {
        let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Millis(self.0.saturating_sub(ms))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The number as text, for servers that send it as a string.
impl FromStr for Millis {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse().map(Millis)
    }
}
