//! The encrypted frame of a callback: `random(16) + length(u32, big-endian) + message +
//! owner id`, padded PKCS#7-style to 32-byte blocks, encrypted with AES-256-CBC under the
//! EncodingAESKey (IV = the key's first 16 bytes), carried as standard base64.
//!
//! AES and CBC come from RustCrypto (`aes`, `cbc`), run without padding; the padding to
//! 32-byte blocks is the scheme's own framing and is done here, every pad byte checked.

use aes::Aes256;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};

use super::{CallbackError, EncodingAesKey};

/// The block size the scheme pads to (twice AES's): pad values are 1 to 32.
pub(crate) const PAD_BLOCK: usize = 32;
/// The random prefix and the length field.
const HEADER: usize = 16 + 4;
/// AES's block size: a ciphertext is a whole number of these.
const AES_BLOCK: usize = 16;

/// What a decrypted frame holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame<'a> {
    /// The message bytes (not yet checked for UTF-8).
    pub(crate) message: &'a [u8],
    /// The owner id bytes after the message.
    pub(crate) owner: &'a [u8],
}

/// Encrypts `message` for `owner` behind the 16-byte `prefix`, as base64.
pub(crate) fn seal(
    key: &EncodingAesKey,
    prefix: &[u8; 16],
    message: &[u8],
    owner: &[u8],
) -> Result<String, CallbackError> {
    let length = u32::try_from(message.len()).map_err(|_| CallbackError::MessageTooLong {
        length: message.len(),
    })?;
    let mut plain = Vec::with_capacity(HEADER + message.len() + owner.len() + PAD_BLOCK);
    plain.extend_from_slice(prefix);
    plain.extend_from_slice(&length.to_be_bytes());
    plain.extend_from_slice(message);
    plain.extend_from_slice(owner);
    pad(&mut plain);
    let plain_length = plain.len();
    let encryptor = cbc::Encryptor::<Aes256>::new(key.as_bytes().into(), &key.iv().into());
    let ciphertext = encryptor
        .encrypt_padded_mut::<NoPadding>(&mut plain, plain_length)
        .map_err(|_| CallbackError::BadCiphertextLength {
            length: plain_length,
        })?;
    Ok(STANDARD.encode(ciphertext))
}

/// Decodes and decrypts `encrypt` into `buffer` and splits the frame; the owner id is not
/// checked here.
pub(crate) fn open<'a>(
    key: &EncodingAesKey,
    encrypt: &str,
    buffer: &'a mut Vec<u8>,
) -> Result<Frame<'a>, CallbackError> {
    *buffer = STANDARD
        .decode(encrypt)
        .map_err(|_| CallbackError::BadBase64)?;
    let length = buffer.len();
    if length == 0 || !length.is_multiple_of(AES_BLOCK) {
        return Err(CallbackError::BadCiphertextLength { length });
    }
    let decryptor = cbc::Decryptor::<Aes256>::new(key.as_bytes().into(), &key.iv().into());
    let plain = decryptor
        .decrypt_padded_mut::<NoPadding>(buffer)
        .map_err(|_| CallbackError::BadCiphertextLength { length })?;
    let body = unpad(plain)?;
    split(body)
}

/// Appends the padding: `n` bytes of value `n`, 1 ≤ n ≤ 32, up to a multiple of 32 bytes (a
/// whole block of 32 when the text already is one).
pub(crate) fn pad(text: &mut Vec<u8>) {
    let n = PAD_BLOCK - text.len() % PAD_BLOCK;
    // `n` is 1..=32, so the cast keeps its value.
    text.resize(text.len() + n, n as u8);
}

/// The text without its padding; the last byte must be 1 to 32 and the bytes it covers must
/// all equal it.
pub(crate) fn unpad(text: &[u8]) -> Result<&[u8], CallbackError> {
    let (&last, _) = text.split_last().ok_or(CallbackError::BadPadding)?;
    let n = usize::from(last);
    if n == 0 || n > PAD_BLOCK || n > text.len() {
        return Err(CallbackError::BadPadding);
    }
    let (body, padding) = text.split_at(text.len() - n);
    if padding.iter().any(|&byte| byte != last) {
        return Err(CallbackError::BadPadding);
    }
    Ok(body)
}

/// Splits an unpadded frame into its message and owner id.
pub(crate) fn split(body: &[u8]) -> Result<Frame<'_>, CallbackError> {
    let Some((header, rest)) = body.split_first_chunk::<HEADER>() else {
        return Err(CallbackError::BadFrame {
            declared: 0,
            available: 0,
        });
    };
    let (_random, length) = header.split_at(16);
    let declared = length
        .iter()
        .fold(0_u64, |value, &byte| value << 8 | u64::from(byte));
    let out_of_range = CallbackError::BadFrame {
        declared,
        available: rest.len(),
    };
    let message_length = usize::try_from(declared).map_err(|_| out_of_range.clone())?;
    if message_length > rest.len() {
        return Err(out_of_range);
    }
    let (message, owner) = rest.split_at(message_length);
    Ok(Frame { message, owner })
}
