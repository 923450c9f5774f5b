//! Descriptions of bases and operations, emitted as constants by the generator.

use crate::code::{Code, KnownCode, ReceivedCode};
use crate::Method;

/// A base URL with its token placement, response envelope and known error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    /// The spec's id of the base (`oapi`).
    pub id: &'static str,
    /// The production URL, without a trailing slash.
    pub url: &'static str,
    /// Where the access token travels.
    pub auth: AuthPlacement,
    /// How responses signal success.
    pub envelope: Envelope,
    /// What values of the envelope's sub-code field mean, for codes whose meaning is
    /// [`ErrorMeaning::SeeSubCode`](crate::ErrorMeaning::SeeSubCode).
    pub sub_codes: &'static [KnownCode],
    /// The spec's error-code catalogue for this base.
    pub error_codes: &'static [KnownCode],
    /// How calls to this base are signed, if they are (see [`Signing`]).
    pub signing: Option<&'static Signing>,
    /// The kind of token calls to this base carry, when the platform declares several; `None`
    /// for the client's one token source.
    pub credential: Option<&'static Credential>,
    /// The documented call budget of the base's operations, if the spec declares one.
    pub rate_limit: Option<&'static RateLimit>,
}

/// A documented call budget (the spec's `rate_limit`): a call takes a slot before each
/// attempt, waiting for one within its deadline (see [`RateLimiter`](crate::RateLimiter)).
///
/// After a quiet spell `burst` calls may go at once; then one every `1 / per_second`. In any
/// window of `t` seconds at most `burst + per_second * t` calls go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// The sustained rate, in calls per second.
    pub per_second: u32,
    /// How many calls may go at once after a quiet spell.
    pub burst: u32,
    /// What shares one budget.
    pub scope: RateScope,
    /// The budget's name: where the spec declares it (`dingtalk:oapi` for a base,
    /// `dingtalk:user.get` for an operation).
    pub key: &'static str,
}

/// What shares one rate budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateScope {
    /// Every call the budget covers, together: one budget for the app.
    App,
    /// One budget per tenant the client calls for (`Client::for_tenant`).
    Tenant,
    /// One budget per operation.
    Api,
}

/// A kind of access token a platform's calls carry: an app's, a corporation's (one per tenant),
/// a user's. Sources are registered per credential with `ClientBuilder::credential` (or
/// `token_request`, which knows its credential).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    /// The spec's id (`corp`), part of the token cache key.
    pub id: &'static str,
    /// Whether the platform issues one token per tenant (a corporation), so that calls need
    /// a tenant (`Client::for_tenant`) and the cache keeps one token per tenant.
    pub per_tenant: bool,
}

impl Base {
    /// What the spec says a code means on this base, if it says anything.
    pub fn meaning_of(&self, code: &ReceivedCode) -> Option<&'static KnownCode> {
        self.error_codes.iter().find(|known| code.is(&known.code))
    }
}

/// Where the access token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthPlacement {
    /// A query parameter with this name.
    Query(&'static str),
    /// A header with this name.
    Header(&'static str),
    /// A member of the JSON body or a field of a form or multipart body with this name.
    Body(&'static str),
    /// Calls carry no token.
    None,
}

/// How a response says whether the call succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// HTTP 200 with a code in the body; `success` is the code of a successful call.
    BodyCode {
        /// The member holding the code (`errcode`).
        code_field: &'static str,
        /// The code of a successful call (`0`).
        success: Code,
        /// The member holding the message (`errmsg`).
        message_field: &'static str,
        /// The member holding the request id, if the platform sends one.
        request_id_field: Option<&'static str>,
        /// The member holding a finer code (DingTalk's `sub_code` for `errcode` 88).
        sub_code_field: Option<&'static str>,
        /// The member holding the finer code's message.
        sub_message_field: Option<&'static str>,
        /// A boolean member that must also be `true` on success (`"success": true`).
        success_field: Option<&'static str>,
        /// The member holding the payload (`data`, `result`): the response type is what it holds.
        payload: Option<&'static str>,
    },
    /// HTTP 200 with a boolean member deciding success (`"success": false` is an error); the
    /// code, if the platform sends one, is reported but does not decide.
    SuccessFlag {
        /// The boolean member (`success`).
        success_field: &'static str,
        /// The member holding the code reported with a failure, if the platform sends one.
        code_field: Option<&'static str>,
        /// The member holding the message.
        message_field: &'static str,
        /// The member holding the request id, if the platform sends one.
        request_id_field: Option<&'static str>,
        /// The member holding the payload (`data`, `result`): the response type is what it holds.
        payload: Option<&'static str>,
    },
    /// HTTP 2xx with the bare payload on success; 4xx/5xx with a code in the body otherwise.
    HttpStatus {
        /// The member of an error body holding the code (`code`).
        code_field: &'static str,
        /// The member of an error body holding the message.
        message_field: &'static str,
        /// The member holding the request id, if the platform sends one.
        request_id_field: Option<&'static str>,
        /// The member of a success body holding the payload, if the payload is wrapped.
        payload: Option<&'static str>,
    },
}

impl Envelope {
    /// The member holding the payload, when the platform wraps it.
    pub fn payload(&self) -> Option<&'static str> {
        match *self {
            Envelope::BodyCode { payload, .. }
            | Envelope::SuccessFlag { payload, .. }
            | Envelope::HttpStatus { payload, .. } => payload,
        }
    }

    /// The boolean member that decides or co-decides success, if there is one.
    pub fn success_field(&self) -> Option<&'static str> {
        match *self {
            Envelope::BodyCode { success_field, .. } => success_field,
            Envelope::SuccessFlag { success_field, .. } => Some(success_field),
            Envelope::HttpStatus { .. } => None,
        }
    }
}

/// How a request is signed: computed by the runtime on every attempt (a retry is signed again
/// with a fresh timestamp), with the key set by `ClientBuilder::signing_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signing {
    /// The spec's id of the signature (`robot`).
    pub id: &'static str,
    /// What is signed and how.
    pub style: SigningStyle,
    /// Where the timestamp of the attempt travels.
    pub timestamp: Place,
    /// How the timestamp is written.
    pub timestamp_format: TimestampFormat,
    /// Where the signature travels.
    pub signature: Place,
    /// Where the signing key's id (an app key) travels, for styles whose server needs it.
    pub key_id: Option<Place>,
}

/// What a signature covers and which digest it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningStyle {
    /// DingTalk's custom robots: `base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret))`.
    HmacTimestamp,
    /// DingTalk's third-party apps (`get_corp_token`): `base64(HMAC-SHA256(key = secret,
    /// timestamp + "\n" + the value of this query parameter))`, such as the `suiteTicket`.
    HmacTimestampParam(&'static str),
    /// A digest over the request's parameters sorted by name, each name followed by its value
    /// (Alibaba's TOP gateway): `md5(secret + pairs + secret)`, or an HMAC of the pairs keyed with
    /// the secret; written as upper-case hex.
    SortedParams {
        /// The digest.
        algorithm: DigestAlgorithm,
        /// The parameters signed; empty means every query and form parameter but the signature.
        signed: &'static [&'static str],
    },
}

/// The digest of [`SigningStyle::SortedParams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `md5(secret + pairs + secret)`.
    Md5,
    /// `HMAC-MD5(key = secret, pairs)`.
    HmacMd5,
    /// `HMAC-SHA256(key = secret, pairs)`.
    HmacSha256,
}

/// How a signing timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Milliseconds since the Unix epoch (`1577808000000`).
    UnixMillis,
    /// Seconds since the Unix epoch.
    UnixSeconds,
    /// `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8), as TOP asks.
    DateTimeUtc8,
}

/// Where a value the runtime adds to a request travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A query parameter with this name.
    Query(&'static str),
    /// A header with this name.
    Header(&'static str),
    /// A member of the JSON body or a field of a form or multipart body with this name.
    Body(&'static str),
}

/// One documented endpoint, as the generator describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// `<group>.<operation>` (`blackboard.list_ids`), for errors and traces.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The base that serves it.
    pub base: &'static Base,
    /// The path below the base URL, with `{name}` placeholders for path parameters.
    pub path: &'static str,
    /// Whether the call carries an access token.
    pub auth: bool,
    /// Whether sending the request twice has the effect of sending it once, so that it may be
    /// retried after a failure that leaves open whether the server processed it.
    pub idempotent: bool,
    /// Whether response bodies hold secrets (such as a token endpoint's), so that error
    /// messages must not quote them.
    /// (The request sends a secret, which an error page could echo, counts too.)
    pub secret_response: bool,
    /// How calls are signed: the base's signing unless the spec says otherwise.
    pub signing: Option<&'static Signing>,
    /// Whether a successful response is a file rather than JSON (see `Client::download`).
    pub download: bool,
    /// The kind of token the call carries: the base's unless the spec says otherwise.
    pub credential: Option<&'static Credential>,
    /// The call budget the calls keep to: the base's unless the spec says otherwise.
    pub rate_limit: Option<&'static RateLimit>,
}

impl Operation {
    /// An operation that carries an access token, is not idempotent and whose responses hold
    /// no secrets; the methods below change each of these.
    pub const fn new(
        id: &'static str,
        method: Method,
        base: &'static Base,
        path: &'static str,
    ) -> Self {
        Self {
            id,
            method,
            base,
            path,
            auth: true,
            idempotent: false,
            secret_response: false,
            signing: base.signing,
            download: false,
            credential: base.credential,
            rate_limit: base.rate_limit,
        }
    }

    /// Keeps to another call budget than the base's calls, or (`None`) to none.
    pub const fn rate_limited(mut self, rate_limit: Option<&'static RateLimit>) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Carries another kind of token than the base's calls.
    pub const fn credential(mut self, credential: Option<&'static Credential>) -> Self {
        self.credential = credential;
        self
    }

    /// Signed another way than the base's calls, or (`None`) not signed.
    pub const fn signed(mut self, signing: Option<&'static Signing>) -> Self {
        self.signing = signing;
        self
    }

    /// A successful response is a file; see [`Operation::download`](#structfield.download).
    pub const fn download(mut self) -> Self {
        self.download = true;
        self
    }

    /// Called without an access token.
    pub const fn without_auth(mut self) -> Self {
        self.auth = false;
        self
    }

    /// Safe to send twice; see [`Operation::idempotent`](#structfield.idempotent).
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Responses hold secrets; see [`Operation::secret_response`](#structfield.secret_response).
    pub const fn secret_response(mut self) -> Self {
        self.secret_response = true;
        self
    }
}
