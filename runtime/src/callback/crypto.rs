//! [`CallbackCrypto`]: checks and decrypts a received callback, and encrypts replies.

use std::fmt;
use std::time::SystemTime;

use super::cipher;
use super::signature::{message_signature, verify_message_signature};
use super::{CallbackError, EncodingAesKey, TimestampWindow};
use crate::Secret;

/// The receiver's side of DingTalk's and WeCom's encrypted HTTP callbacks, for one callback
/// configuration: the token, the EncodingAESKey and the owner id set beside the callback URL,
/// and the window the callbacks' timestamps must fall in.
///
/// The owner id is what the platform writes at the end of every frame: for DingTalk the corp
/// id (callbacks registered through the API), the app key (an internal app's event
/// subscription) or the suite key (a third-party app); for WeCom the corp id or suite id
/// ("receiveid"). A frame for any other owner is refused.
///
/// Framework-agnostic: give [`CallbackCrypto::decrypt`] the query's `msg_signature` (or
/// `signature`), `timestamp` and `nonce` and the body's `encrypt`, and answer with
/// [`CallbackCrypto::success_reply`]. Time is a parameter (`now`), so tests need no clock.
///
/// `Debug` shows the owner id and the window, never the token or the key.
#[derive(Clone)]
pub struct CallbackCrypto {
    token: Secret,
    key: EncodingAesKey,
    owner_id: String,
    window: TimestampWindow,
}

impl CallbackCrypto {
    /// A receiver for callbacks signed with `token`, encrypted with `encoding_aes_key` for
    /// `owner_id`, with DingTalk's timestamps ([`TimestampWindow::DINGTALK`]: milliseconds,
    /// one hour either way); see [`CallbackCrypto::with_timestamp_window`] for WeCom's.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadKeyLength`] or [`CallbackError::BadKey`] if the EncodingAESKey is
    /// not 43 characters of base64 for a 32-byte key.
    pub fn new(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        owner_id: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        Ok(Self {
            token: token.into(),
            key: EncodingAesKey::new(encoding_aes_key)?,
            owner_id: owner_id.into(),
            window: TimestampWindow::DINGTALK,
        })
    }

    /// The same receiver with another timestamp window (such as [`TimestampWindow::WECOM`]).
    #[must_use]
    pub fn with_timestamp_window(mut self, window: TimestampWindow) -> Self {
        self.window = window;
        self
    }

    /// The owner id frames must carry.
    pub fn owner_id(&self) -> &str {
        &self.owner_id
    }

    /// The window timestamps must fall in.
    pub fn timestamp_window(&self) -> TimestampWindow {
        self.window
    }

    /// Checks a received callback and returns its message (DingTalk's event JSON, WeCom's
    /// XML or JSON, or the `echostr` of a WeCom URL check).
    ///
    /// In order: the signature over the token, `query.timestamp`, `query.nonce` and
    /// `encrypt` (constant-time), the timestamp against the window around `now`, then the
    /// ciphertext, its padding, its frame, its owner id and the message's UTF-8.
    ///
    /// # Errors
    ///
    /// The first check that fails, each with its own [`CallbackError`] variant:
    /// `BadSignature`, `BadTimestamp`, `StaleTimestamp`, `FutureTimestamp`, `BadBase64`,
    /// `BadCiphertextLength`, `BadPadding`, `BadFrame`, `WrongOwner`, `NotUtf8`.
    pub fn decrypt(
        &self,
        query: &CallbackQuery,
        encrypt: &str,
        now: SystemTime,
    ) -> Result<String, CallbackError> {
        verify_message_signature(
            &query.signature,
            self.token.expose(),
            &query.timestamp,
            &query.nonce,
            encrypt,
        )?;
        self.window.check(&query.timestamp, now)?;
        self.decrypt_unsigned(encrypt)
    }

    /// [`CallbackCrypto::decrypt`] of a JSON body `{"encrypt": "..."}` (DingTalk's, and
    /// WeCom's JSON callbacks'); other fields are ignored.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadBody`] if the body is not such an object, else as
    /// [`CallbackCrypto::decrypt`].
    pub fn decrypt_body(
        &self,
        query: &CallbackQuery,
        body: &[u8],
        now: SystemTime,
    ) -> Result<String, CallbackError> {
        let body = EncryptedBody::from_json(body)?;
        self.decrypt(query, &body.encrypt, now)
    }

    /// Decrypts `encrypt` and checks its frame and owner id, without the signature or the
    /// timestamp: only for a ciphertext whose signature was checked another way.
    ///
    /// # Errors
    ///
    /// `BadBase64`, `BadCiphertextLength`, `BadPadding`, `BadFrame`, `WrongOwner` or
    /// `NotUtf8`.
    pub fn decrypt_unsigned(&self, encrypt: &str) -> Result<String, CallbackError> {
        let mut buffer = Vec::new();
        let frame = cipher::open(&self.key, encrypt, &mut buffer)?;
        if frame.owner != self.owner_id.as_bytes() {
            return Err(CallbackError::WrongOwner {
                expected: self.owner_id.clone(),
                received: String::from_utf8_lossy(frame.owner)
                    .chars()
                    .take(64)
                    .collect(),
            });
        }
        let message = std::str::from_utf8(frame.message).map_err(|_| CallbackError::NotUtf8)?;
        Ok(message.to_owned())
    }

    /// Encrypts `plaintext` for this owner behind a fresh random prefix and signs it with
    /// `timestamp` and `nonce`: a reply, or a callback as the platform would send it (for
    /// tests and local tools).
    ///
    /// # Errors
    ///
    /// [`CallbackError::Random`] if the operating system gives no random bytes,
    /// [`CallbackError::MessageTooLong`] past 4 GiB.
    pub fn encrypt(
        &self,
        plaintext: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<EncryptedReply, CallbackError> {
        let prefix: [u8; 16] = random_alphanumeric()?;
        self.encrypt_with_prefix(&prefix, plaintext, timestamp, nonce)
    }

    /// [`CallbackCrypto::encrypt`] with a given 16-byte prefix instead of a random one, so
    /// that a published ciphertext can be reproduced. Replies should use
    /// [`CallbackCrypto::encrypt`].
    ///
    /// # Errors
    ///
    /// [`CallbackError::MessageTooLong`] past 4 GiB.
    pub fn encrypt_with_prefix(
        &self,
        prefix: &[u8; 16],
        plaintext: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<EncryptedReply, CallbackError> {
        let encrypt = cipher::seal(
            &self.key,
            prefix,
            plaintext.as_bytes(),
            self.owner_id.as_bytes(),
        )?;
        Ok(EncryptedReply {
            signature: self.signature(timestamp, nonce, &encrypt),
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
            encrypt,
        })
    }

    /// The encrypted `success` that DingTalk requires as the answer to a callback, stamped
    /// with `now` in the window's unit and a fresh random 16-character nonce.
    ///
    /// # Errors
    ///
    /// [`CallbackError::Random`] if the operating system gives no random bytes.
    pub fn success_reply(&self, now: SystemTime) -> Result<EncryptedReply, CallbackError> {
        let nonce: [u8; 16] = random_alphanumeric()?;
        // The bytes are ASCII letters and digits, so this is the same text.
        let nonce: String = nonce.iter().map(|&byte| char::from(byte)).collect();
        self.encrypt("success", &self.window.format(now), &nonce)
    }

    /// The `msg_signature` of a ciphertext with this token: see [`message_signature`].
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        message_signature(self.token.expose(), timestamp, nonce, encrypt)
    }
}

impl fmt::Debug for CallbackCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackCrypto")
            .field("token", &"***")
            .field("key", &"***")
            .field("owner_id", &self.owner_id)
            .field("window", &self.window)
            .finish()
    }
}

/// The signed parameters of a callback's query string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallbackQuery {
    /// `msg_signature` (or DingTalk's older `signature`): the SHA-1 signature.
    pub signature: String,
    /// `timestamp` (or `timeStamp`): when the platform sent it, in the window's unit.
    pub timestamp: String,
    /// `nonce`: a random string the platform chose.
    pub nonce: String,
}

impl CallbackQuery {
    /// The three parameters.
    pub fn new(
        signature: impl Into<String>,
        timestamp: impl Into<String>,
        nonce: impl Into<String>,
    ) -> Self {
        Self {
            signature: signature.into(),
            timestamp: timestamp.into(),
            nonce: nonce.into(),
        }
    }

    /// Picks the parameters from decoded query pairs (such as `Url::query_pairs()`):
    /// `msg_signature`, else `signature`; `timestamp`, else `timeStamp`; `nonce`. The first
    /// occurrence of a name wins; other parameters are ignored.
    ///
    /// # Errors
    ///
    /// [`CallbackError::MissingParameter`] naming the first one missing.
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Self, CallbackError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        const NAMES: [&str; 5] = [
            "msg_signature",
            "signature",
            "timestamp",
            "timeStamp",
            "nonce",
        ];
        let mut found: [Option<String>; 5] = Default::default();
        for (name, value) in pairs {
            let position = NAMES.iter().position(|known| *known == name.as_ref());
            if let Some(slot) = position.and_then(|index| found.get_mut(index)) {
                slot.get_or_insert_with(|| value.as_ref().to_owned());
            }
        }
        let [msg_signature, signature, timestamp, time_stamp, nonce] = found;
        Ok(Self {
            signature: msg_signature
                .or(signature)
                .ok_or(CallbackError::MissingParameter {
                    name: "msg_signature",
                })?,
            timestamp: timestamp
                .or(time_stamp)
                .ok_or(CallbackError::MissingParameter { name: "timestamp" })?,
            nonce: nonce.ok_or(CallbackError::MissingParameter { name: "nonce" })?,
        })
    }
}

/// The JSON body of an encrypted callback: `{"encrypt": "..."}` (other fields, such as
/// WeCom's `tousername` and `agentid`, are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
pub struct EncryptedBody {
    /// The base64 ciphertext.
    pub encrypt: String,
}

impl EncryptedBody {
    /// Parses a body.
    ///
    /// # Errors
    ///
    /// [`CallbackError::BadBody`] unless it is a JSON object with a string `encrypt`.
    pub fn from_json(body: &[u8]) -> Result<Self, CallbackError> {
        serde_json::from_slice(body).map_err(|err| CallbackError::BadBody {
            reason: err.to_string(),
        })
    }
}

/// An encrypted, signed message: the reply DingTalk expects to a callback
/// (`{"msg_signature","timeStamp","nonce","encrypt"}`), or a callback built for a test.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct EncryptedReply {
    /// The SHA-1 signature (`msg_signature`).
    #[serde(rename = "msg_signature")]
    pub signature: String,
    /// The timestamp it was signed with (`timeStamp`).
    #[serde(rename = "timeStamp")]
    pub timestamp: String,
    /// The nonce it was signed with.
    pub nonce: String,
    /// The base64 ciphertext.
    pub encrypt: String,
}

impl EncryptedReply {
    /// The reply as the JSON text DingTalk expects.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "msg_signature": self.signature,
            "timeStamp": self.timestamp,
            "nonce": self.nonce,
            "encrypt": self.encrypt,
        })
        .to_string()
    }

    /// The query a receiver would see with this message as a callback.
    pub fn query(&self) -> CallbackQuery {
        CallbackQuery::new(&*self.signature, &*self.timestamp, &*self.nonce)
    }
}

/// `N` random ASCII letters and digits from the operating system's CSPRNG, as the platforms'
/// own SDKs write the frame's prefix and the nonce (some receivers read the prefix as text).
fn random_alphanumeric<const N: usize>() -> Result<[u8; N], CallbackError> {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = [0_u8; N];
    let mut filled = 0;
    let mut pool = [0_u8; 64];
    while filled < N {
        getrandom::getrandom(&mut pool).map_err(|err| CallbackError::Random {
            reason: err.to_string(),
        })?;
        // Rejection sampling: 248 = 4 × 62, so the bytes kept are uniform over the alphabet.
        for &byte in pool.iter().filter(|&&byte| byte < 248) {
            let (Some(slot), Some(&letter)) = (
                out.get_mut(filled),
                ALPHABET.get(usize::from(byte) % ALPHABET.len()),
            ) else {
                break;
            };
            *slot = letter;
            filled += 1;
        }
    }
    Ok(out)
}
