//! The `msg_signature` of a callback: SHA-1 over the token, timestamp, nonce and ciphertext,
//! sorted and concatenated, as lowercase hex.

use std::fmt::Write as _;

use sha1::{Digest as _, Sha1};
use subtle::ConstantTimeEq as _;

use super::CallbackError;

/// The signature DingTalk and WeCom put beside an encrypted callback (and expect beside an
/// encrypted reply): the four strings `token`, `timestamp`, `nonce` and `encrypt` sorted in
/// byte order, concatenated, hashed with SHA-1 and written as 40 lowercase hex digits.
pub fn message_signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    let mut parts = [token, timestamp, nonce, encrypt];
    parts.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let mut sha1 = Sha1::new();
    for part in parts {
        sha1.update(part.as_bytes());
    }
    let digest = sha1.finalize();
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        // Writing to a `String` cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Checks `signature` against the one computed over the other four, in constant time.
///
/// # Errors
///
/// [`CallbackError::BadSignature`] if they differ (in any byte or in length).
pub fn verify_message_signature(
    signature: &str,
    token: &str,
    timestamp: &str,
    nonce: &str,
    encrypt: &str,
) -> Result<(), CallbackError> {
    let expected = message_signature(token, timestamp, nonce, encrypt);
    if bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        Ok(())
    } else {
        Err(CallbackError::BadSignature)
    }
}
