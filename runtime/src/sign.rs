//! Request signatures: the key a client signs with ([`SigningKey`]) and, with the cargo
//! feature `signing`, the pure function that writes a [`Signing`]'s timestamp, key id and
//! signature into a request ([`sign`]).
//!
//! The digests come from RustCrypto (`hmac`, `sha2`, `md-5`); nothing here is hand-rolled.

use std::fmt;

use crate::Secret;

/// The key that signed calls are signed with: a secret and, for platforms whose server must
/// know which key signed (TOP's `app_key`), its id. Set it with `ClientBuilder::signing_key`.
///
/// `Debug` shows the key id but never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// The key's id (an app key), sent where the signature declares a key id.
    pub key_id: Option<String>,
    /// The secret that keys the digest; never sent.
    pub secret: Secret,
}

impl SigningKey {
    /// A key without an id, such as a DingTalk custom robot's `SEC...` secret.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self {
            key_id: None,
            secret: secret.into(),
        }
    }

    /// A key with its id, such as a TOP app's key and secret.
    pub fn with_key_id(key_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            key_id: Some(key_id.into()),
            secret: secret.into(),
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id)
            .field("secret", &"***")
            .finish()
    }
}

#[cfg(feature = "signing")]
pub use imp::{sign, SignError};

#[cfg(feature = "signing")]
mod imp {
    use std::borrow::Cow;
    use std::time::{SystemTime, UNIX_EPOCH};

    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    use md5::{Digest as _, Md5};
    use sha2::Sha256;

    use super::SigningKey;
    use crate::body::add_field;
    use crate::{
        Body, DigestAlgorithm, HttpRequest, PartContent, Place, Signing, SigningStyle,
        TimestampFormat,
    };

    /// Why a request could not be signed.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("{0}")]
    pub struct SignError(String);

    /// Signs `request` as `signing` describes, at time `now`: writes the timestamp, then the
    /// key id if the signature declares one, then computes the signature over the request as
    /// it now stands and writes it.
    ///
    /// Pure apart from its arguments, so a test can sign with a fixed clock. The client calls
    /// it on every attempt, after adding the token, so that a retry carries a fresh timestamp
    /// and a signature that covers the token.
    pub fn sign(
        signing: &Signing,
        key: &SigningKey,
        request: &mut HttpRequest,
        now: SystemTime,
    ) -> Result<(), SignError> {
        let timestamp = timestamp(signing.timestamp_format, now)?;
        put(request, signing.timestamp, &timestamp)?;
        if let Some(place) = signing.key_id {
            let key_id = key.key_id.as_deref().ok_or_else(|| {
                SignError(format!(
                    "the signature `{}` sends a key id; make the key with SigningKey::with_key_id",
                    signing.id
                ))
            })?;
            put(request, place, key_id)?;
        }
        let secret = key.secret.expose();
        let signature = match signing.style {
            SigningStyle::HmacTimestamp => robot_signature(&timestamp, secret, secret)?,
            SigningStyle::HmacTimestampParam(name) => {
                let value = request.query(name).ok_or_else(|| {
                    SignError(format!(
                        "the signature `{}` signs the query parameter `{name}`, which the request does not have",
                        signing.id
                    ))
                })?;
                robot_signature(&timestamp, &value, secret)?
            }
            SigningStyle::SortedParams { algorithm, signed } => {
                let text = sorted_params(request, signing.signature, signed);
                digest(algorithm, secret, &text)?
            }
        };
        put(request, signing.signature, &signature)
    }

    /// The attempt's time as the signature writes it.
    fn timestamp(format: TimestampFormat, now: SystemTime) -> Result<String, SignError> {
        let since_epoch = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SignError("the system clock is before 1970".to_owned()))?;
        Ok(match format {
            TimestampFormat::UnixMillis => since_epoch.as_millis().to_string(),
            TimestampFormat::UnixSeconds => since_epoch.as_secs().to_string(),
            TimestampFormat::DateTimeUtc8 => {
                let out_of_range = || SignError("the system clock is out of range".to_owned());
                let seconds = i64::try_from(since_epoch.as_secs()).map_err(|_| out_of_range())?;
                let china = time::OffsetDateTime::from_unix_timestamp(seconds)
                    .ok()
                    .and_then(|utc| utc.checked_to_offset(time::macros::offset!(+8)))
                    .ok_or_else(out_of_range)?;
                china
                    .format(time::macros::format_description!(
                        "[year]-[month]-[day] [hour]:[minute]:[second]"
                    ))
                    .map_err(|err| SignError(format!("cannot write the timestamp: {err}")))?
            }
        })
    }

    /// Writes `value` at `place`: a query parameter (percent-encoded as a form value, so the
    /// `+`, `/` and `=` of a base64 signature travel escaped), a header or a body field.
    fn put(request: &mut HttpRequest, place: Place, value: &str) -> Result<(), SignError> {
        match place {
            Place::Query(name) => {
                request.url.query_pairs_mut().append_pair(name, value);
            }
            Place::Header(name) => request.headers.push((name.to_owned(), value.to_owned())),
            Place::Body(name) => add_field(request, name, value).map_err(SignError)?,
        }
        Ok(())
    }

    /// DingTalk custom robots ("自定义机器人安全设置", 加签): the string to sign is
    /// `timestamp + "\n" + secret`, the signature `base64(HMAC-SHA256(key = secret, that))`.
    /// `base64(HMAC-SHA256(key = secret, timestamp + "\n" + message))`: the message is the
    /// secret itself for robots, the suite ticket for third-party apps.
    fn robot_signature(timestamp: &str, message: &str, secret: &str) -> Result<String, SignError> {
        let mut mac = hmac_of::<Hmac<Sha256>>(secret)?;
        mac.update(timestamp.as_bytes());
        mac.update(b"\n");
        mac.update(message.as_bytes());
        Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
    }

    /// The text TOP signs ("API调用方法详解", 签名算法, Taobao Open Platform, document 101617 on
    /// developer.alibaba.com): every request parameter but `sign` and byte (file) parameters,
    /// sorted by name in byte order, each name followed by its value (`bar2foo1foo_bar3`). As
    /// TOP's SDKs do (`signTopRequest`: pairs whose name or value is empty are skipped, and "把请求
    /// 主体拼接在参数后面", the body of a request whose body is not the parameters, as for the
    /// batch and Qimen APIs, is appended after them), a JSON body's text follows the pairs.
    ///
    /// Parameters are the query's and the form fields or multipart text parts; `signed`, when
    /// not empty, keeps only the parameters it names.
    fn sorted_params(request: &HttpRequest, signature: Place, signed: &[&str]) -> Vec<u8> {
        let excluded = match signature {
            Place::Query(name) | Place::Body(name) => Some(name),
            Place::Header(_) => None,
        };
        let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = request.url.query_pairs().collect();
        match &request.body {
            Body::Form(fields) => pairs.extend(
                fields
                    .iter()
                    .map(|(name, value)| (Cow::from(name.as_str()), Cow::from(value.as_str()))),
            ),
            Body::Multipart(parts) => {
                pairs.extend(parts.iter().filter_map(|part| match &part.content {
                    PartContent::Text(value) => {
                        Some((Cow::from(part.name.as_str()), Cow::from(value.as_str())))
                    }
                    PartContent::File(_) => None,
                }))
            }
            Body::Empty | Body::Json(_) => {}
        }
        pairs.retain(|(name, value)| {
            !name.is_empty()
                && !value.is_empty()
                && Some(name.as_ref()) != excluded
                && (signed.is_empty() || signed.contains(&name.as_ref()))
        });
        // A stable sort: equal names keep the order they were sent in.
        pairs.sort_by(|(a, _), (b, _)| a.as_bytes().cmp(b.as_bytes()));
        let mut text = Vec::new();
        for (name, value) in &pairs {
            text.extend_from_slice(name.as_bytes());
            text.extend_from_slice(value.as_bytes());
        }
        if let Body::Json(json) = &request.body {
            text.extend_from_slice(json);
        }
        text
    }

    /// TOP's digests of the sorted parameters, as upper-case hex: `md5(secret + text + secret)`,
    /// or an HMAC of the text keyed with the secret.
    fn digest(algorithm: DigestAlgorithm, secret: &str, text: &[u8]) -> Result<String, SignError> {
        let bytes = match algorithm {
            DigestAlgorithm::Md5 => {
                let mut md5 = Md5::new();
                md5.update(secret.as_bytes());
                md5.update(text);
                md5.update(secret.as_bytes());
                md5.finalize().to_vec()
            }
            DigestAlgorithm::HmacMd5 => {
                let mut mac = hmac_of::<Hmac<Md5>>(secret)?;
                mac.update(text);
                mac.finalize().into_bytes().to_vec()
            }
            DigestAlgorithm::HmacSha256 => {
                let mut mac = hmac_of::<Hmac<Sha256>>(secret)?;
                mac.update(text);
                mac.finalize().into_bytes().to_vec()
            }
        };
        Ok(hex::encode_upper(bytes))
    }

    /// An HMAC keyed with `secret` (HMAC takes keys of any length; the error cannot occur).
    fn hmac_of<M: Mac + hmac::digest::KeyInit>(secret: &str) -> Result<M, SignError> {
        <M as Mac>::new_from_slice(secret.as_bytes())
            .map_err(|_| SignError("the signing secret has an invalid length".to_owned()))
    }
}
