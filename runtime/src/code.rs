//! Error codes: as a spec's catalogue declares them ([`Code`], [`KnownCode`], with their
//! [`ErrorMeaning`]) and as a server sends them ([`ReceivedCode`]). A leaf module, so that the
//! service description and the error type both depend on it and not on each other.

use std::fmt;

/// An error code as a server sends it: the classic DingTalk API uses integers (`-1`,
/// `40014`), the newer one strings (`InvalidAuthentication`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A numeric code.
    Integer(i64),
    /// A string code.
    String(&'static str),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Integer(n) => write!(f, "{n}"),
            Code::String(s) => f.write_str(s),
        }
    }
}

/// A code with a meaning, from the spec's error-code catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownCode {
    /// The code.
    pub code: Code,
    /// What it means for the caller.
    pub meaning: ErrorMeaning,
    /// The platform's own description of the code.
    pub description: &'static str,
}

/// What an error code means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorMeaning {
    /// The access token is invalid or expired; a fresh token may succeed.
    TokenInvalid,
    /// The platform is busy; retrying later may succeed.
    Busy,
    /// A rate limit was hit; wait and retry.
    RateLimited,
    /// A quota is used up; retrying will not help until it resets.
    QuotaExceeded,
    /// The caller is temporarily banned for calling too often.
    Banned,
    /// The app lacks a permission; retrying will not help.
    PermissionDenied,
    /// The caller's IP address is not whitelisted; retrying will not help.
    IpNotAllowed,
    /// The real reason is in the response's `sub_code`.
    SeeSubCode,
}

impl ErrorMeaning {
    /// What the meaning is, for log lines. It says nothing about what the client did (an
    /// [`ApiError`](crate::ApiError) says whether it retried or replayed).
    pub fn describe(self) -> &'static str {
        match self {
            ErrorMeaning::TokenInvalid => "token invalid or expired",
            ErrorMeaning::Busy => "platform busy",
            ErrorMeaning::RateLimited => "rate limited",
            ErrorMeaning::QuotaExceeded => "quota used up until it resets",
            ErrorMeaning::Banned => "temporarily banned for calling too often: back off",
            ErrorMeaning::PermissionDenied => "no permission: grant the permission",
            ErrorMeaning::IpNotAllowed => "IP address not whitelisted: whitelist it",
            ErrorMeaning::SeeSubCode => "see the sub code",
        }
    }
}

/// An error code as received: an integer or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceivedCode {
    /// A numeric code (`40014`, `-1`).
    Integer(i64),
    /// A string code (`InvalidAuthentication`).
    String(String),
}

impl ReceivedCode {
    /// Whether this received code is `known`; `"0"` matches `0`, because some endpoints send
    /// integer codes as strings.
    pub fn is(&self, known: &Code) -> bool {
        match self {
            // An integer matches a string code only by its exact text: `0` is not `"000000"`.
            ReceivedCode::Integer(n) => match known {
                Code::Integer(k) => k == n,
                Code::String(k) => *k == n.to_string(),
            },
            ReceivedCode::String(s) => match known {
                Code::String(k) => k == s,
                Code::Integer(k) => s.trim().parse::<i64>().is_ok_and(|n| n == *k),
            },
        }
    }
}

impl fmt::Display for ReceivedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceivedCode::Integer(n) => write!(f, "{n}"),
            ReceivedCode::String(s) => f.write_str(s),
        }
    }
}
