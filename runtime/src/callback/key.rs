//! The AES key of encrypted callbacks, decoded from the 43-character EncodingAESKey.

use std::fmt;
use std::str::FromStr;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use super::CallbackError;

/// The characters of an EncodingAESKey.
const ENCODED_LENGTH: usize = 43;

/// The base64 engine that reads an EncodingAESKey: 43 characters are 258 bits, so the last
/// character carries 2 bits beyond the key, which the platforms' own decoders ignore, and the
/// key is written without its `=`.
const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The AES-256 key that DingTalk and WeCom encrypt callbacks with, from the EncodingAESKey set
/// beside the callback URL: 43 characters, the base64 of 32 bytes without the final `=`.
///
/// The CBC initialisation vector is the key's first 16 bytes, as both platforms define it.
/// `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodingAesKey {
    key: [u8; 32],
}

impl EncodingAesKey {
    /// Decodes an EncodingAESKey.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadKeyLength`] unless it is 43 characters, [`CallbackError::BadKey`]
    /// unless they are the base64 of 32 bytes.
    pub fn new(encoded: &str) -> Result<Self, CallbackError> {
        let length = encoded.chars().count();
        if length != ENCODED_LENGTH {
            return Err(CallbackError::BadKeyLength { length });
        }
        let bytes = KEY_ENGINE
            .decode(encoded)
            .map_err(|_| CallbackError::BadKey)?;
        let key = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| CallbackError::BadKey)?;
        Ok(Self { key })
    }

    /// The 32 bytes of the AES-256 key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// The CBC initialisation vector: the key's first 16 bytes.
    pub(crate) fn iv(&self) -> [u8; 16] {
        let mut iv = [0; 16];
        // A constant range of a 32-byte array: it cannot fail.
        iv.copy_from_slice(&self.key[..16]);
        iv
    }
}

impl FromStr for EncodingAesKey {
    type Err = CallbackError;

    fn from_str(encoded: &str) -> Result<Self, Self::Err> {
        Self::new(encoded)
    }
}

impl fmt::Debug for EncodingAesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncodingAesKey(***)")
    }
}
