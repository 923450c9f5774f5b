//! The receiving side of encrypted HTTP callbacks (cargo feature `callback`): DingTalk's
//! event subscriptions and callbacks, WeCom's callbacks, and DingTalk robots' signed
//! messages.
//!
//! The scheme both platforms share ("钉钉开放平台加解密方案", WeCom's "加解密方案说明"):
//!
//! - the **key** is the 43-character EncodingAESKey, the base64 of a 32-byte AES-256 key
//!   without its `=` ([`EncodingAesKey`]);
//! - a message travels as `random(16) + length(u32, big-endian) + message + owner id`, padded
//!   PKCS#7-style to 32-byte blocks, encrypted with AES-256-CBC (IV = the key's first 16
//!   bytes) and written in base64;
//! - the **signature** is the SHA-1 of the token, timestamp, nonce and ciphertext, sorted and
//!   concatenated, in lowercase hex ([`message_signature`]);
//! - the **timestamp** must be near "now" ([`TimestampWindow`]): DingTalk writes
//!   milliseconds, WeCom seconds.
//!
//! [`CallbackCrypto`] checks and decrypts a received callback and builds the encrypted
//! `success` reply DingTalk requires; [`RobotVerifier`] checks the `timestamp` and `sign`
//! headers of a message posted to a robot. Both take the time as a parameter, and both are
//! independent of any HTTP framework. AES, CBC, SHA-1, HMAC-SHA256 and the constant-time
//! comparisons come from RustCrypto and `subtle`.
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use open_platform_runtime::callback::{CallbackCrypto, CallbackQuery};
//!
//! let crypto = CallbackCrypto::new(
//!     "123456",
//!     "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij",
//!     "suite4xxxxxxxxxxxxxxx",
//! )?;
//! // The example of DingTalk's documentation, received a minute after it was sent.
//! let query = CallbackQuery::from_pairs([
//!     ("signature", "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0"),
//!     ("timestamp", "1445827045067"),
//!     ("nonce", "nEXhMP4r"),
//! ])?;
//! let body = br#"{"encrypt":"1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ=="}"#;
//! let now = UNIX_EPOCH + Duration::from_millis(1_445_827_045_067 + 60_000);
//! let event = crypto.decrypt_body(&query, body, now)?;
//! assert!(event.starts_with(r#"{"EventType":"check_create_suite_url""#));
//!
//! let reply = crypto.success_reply(SystemTime::now())?;
//! let json = reply.to_json(); // the response body
//! # assert!(json.contains("msg_signature"));
//! # Ok::<(), open_platform_runtime::callback::CallbackError>(())
//! ```

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
mod axum;
mod cipher;
mod crypto;
mod error;
mod key;
mod receiver;
mod robot;
mod signature;
mod window;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use self::axum::router;
pub use crypto::{CallbackCrypto, CallbackQuery, EncryptedBody, EncryptedReply};
pub use error::CallbackError;
pub use key::EncodingAesKey;
pub use receiver::{ReceiveError, Receiver, Reply};
pub use robot::RobotVerifier;
pub use signature::{message_signature, verify_message_signature};
pub use window::{TimestampUnit, TimestampWindow};
