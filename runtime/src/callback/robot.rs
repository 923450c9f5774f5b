//! The `timestamp` and `sign` headers DingTalk sends with a message to a robot's own HTTPS
//! address (企业内部开发机器人, "接收消息").

use std::fmt;
use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use super::{CallbackError, TimestampWindow};
use crate::Secret;

/// Checks the headers of the messages DingTalk posts to a robot's message URL.
///
/// DingTalk's rule ("接收消息", robots of internal apps): `sign` must be
/// `base64(HMAC-SHA256(key = app secret, timestamp + "\n" + app secret))` and `timestamp`
/// (milliseconds) no more than one hour from the receiver's clock, either way. `Debug` never
/// shows the secret.
#[derive(Clone)]
pub struct RobotVerifier {
    app_secret: Secret,
    window: TimestampWindow,
}

impl RobotVerifier {
    /// The window DingTalk documents: milliseconds, one hour either way.
    pub const WINDOW: TimestampWindow = TimestampWindow::DINGTALK;

    /// A verifier for the robot whose app has `app_secret`.
    pub fn new(app_secret: impl Into<Secret>) -> Self {
        Self {
            app_secret: app_secret.into(),
            window: Self::WINDOW,
        }
    }

    /// Checks the `timestamp` and `sign` headers of a message received at `now`: the
    /// signature first (constant-time), then the timestamp.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadRobotSign`] if `sign` does not match, then
    /// [`CallbackError::BadTimestamp`], [`CallbackError::StaleTimestamp`] or
    /// [`CallbackError::FutureTimestamp`].
    pub fn verify(
        &self,
        timestamp: &str,
        sign: &str,
        now: SystemTime,
    ) -> Result<(), CallbackError> {
        let expected = self.sign(timestamp);
        if expected.is_empty() || !bool::from(expected.as_bytes().ct_eq(sign.as_bytes())) {
            return Err(CallbackError::BadRobotSign);
        }
        self.window.check(timestamp, now)
    }

    /// The `sign` DingTalk sends with `timestamp`.
    pub fn sign(&self, timestamp: &str) -> String {
        let secret = self.app_secret.expose();
        // HMAC takes keys of any length, so `new_from_slice` cannot fail; were it to, the
        // empty text returned is refused by `verify` whatever the header says.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
            return String::new();
        };
        mac.update(timestamp.as_bytes());
        mac.update(b"\n");
        mac.update(secret.as_bytes());
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for RobotVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RobotVerifier")
            .field("app_secret", &"***")
            .field("window", &self.window)
            .finish()
    }
}
