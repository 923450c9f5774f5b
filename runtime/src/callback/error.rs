//! The one error type of the callback receiver: every way a received callback or a
//! configuration can be refused, each with its own variant.

use std::time::Duration;

/// Why a callback (or a callback configuration) was refused.
///
/// Every failure of the receiver is one of these; nothing it is given panics, and nothing
/// that fails a check is ever returned as a message. `Display` gives one lowercase line that
/// quotes no secret: not the token, not the AES key, not the decrypted message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The EncodingAESKey is not 43 characters long.
    #[error("the EncodingAESKey must be 43 characters, not {length}")]
    BadKeyLength {
        /// How many characters it has.
        length: usize,
    },
    /// The EncodingAESKey is 43 characters but not the base64 of a 32-byte AES key.
    #[error("the EncodingAESKey is not the base64 of a 32-byte AES key")]
    BadKey,
    /// The encrypted message is not standard base64 (with its `=` padding).
    #[error("the encrypted message is not valid base64")]
    BadBase64,
    /// The decoded ciphertext is empty or not a whole number of 16-byte AES blocks.
    #[error("the ciphertext is {length} bytes, not a non-empty multiple of 16")]
    BadCiphertextLength {
        /// Its length in bytes.
        length: usize,
    },
    /// The decrypted text does not end in a PKCS#7 padding of 1 to 32 equal bytes.
    #[error("the decrypted message has no valid padding (1 to 32 bytes of the pad length)")]
    BadPadding,
    /// The decrypted frame is shorter than its 20-byte header, or its length field points
    /// past its end.
    #[error("the decrypted frame declares a {declared}-byte message but holds only {available} bytes after its header")]
    BadFrame {
        /// The message length the frame declares (0 when the header itself is cut short).
        declared: u64,
        /// The bytes the frame has after its 20-byte header (0 when the header is cut short).
        available: usize,
    },
    /// The decrypted message is not UTF-8.
    #[error("the decrypted message is not UTF-8")]
    NotUtf8,
    /// The message was encrypted for another owner (corp id, app key or suite key) than the
    /// one configured.
    #[error("the message is for owner id {received:?}, not the configured {expected:?}")]
    WrongOwner {
        /// The configured owner id.
        expected: String,
        /// The owner id the frame carries, for display only: invalid UTF-8 shown as U+FFFD,
        /// at most its first 64 characters.
        received: String,
    },
    /// The `msg_signature` (SHA-1 of the token, timestamp, nonce and ciphertext) does not
    /// match.
    #[error("the callback's signature does not match")]
    BadSignature,
    /// The timestamp is not a decimal number.
    #[error("the timestamp {value:?} is not a decimal number")]
    BadTimestamp {
        /// The timestamp as received (at most its first 32 characters).
        value: String,
    },
    /// The timestamp is further in the past than the window allows (a replay, or a callback
    /// delivered very late).
    #[error("the timestamp is {age:?} old, more than the {tolerance:?} allowed")]
    StaleTimestamp {
        /// How long before "now" it is.
        age: Duration,
        /// The window's tolerance.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the window allows.
    #[error("the timestamp is {ahead:?} in the future, more than the {tolerance:?} allowed")]
    FutureTimestamp {
        /// How long after "now" it is.
        ahead: Duration,
        /// The window's tolerance.
        tolerance: Duration,
    },
    /// A robot's `sign` header is not the HMAC-SHA256 of its `timestamp` header.
    #[error("the robot callback's sign header does not match")]
    BadRobotSign,
    /// A query parameter the callback needs is missing.
    #[error("the callback has no `{name}` parameter")]
    MissingParameter {
        /// The parameter's name (the first of its accepted names).
        name: &'static str,
    },
    /// The request body is not a JSON object with a string field `encrypt`.
    #[error("the callback body is not a JSON object with a string `encrypt`: {reason}")]
    BadBody {
        /// What the JSON parser reported.
        reason: String,
    },
    /// A message to encrypt is longer than the frame's 32-bit length field can say.
    #[error("a {length}-byte message is too long to encrypt")]
    MessageTooLong {
        /// Its length in bytes.
        length: usize,
    },
    /// The operating system's random number generator failed.
    #[error("no random bytes from the operating system: {reason}")]
    Random {
        /// What it reported.
        reason: String,
    },
}
