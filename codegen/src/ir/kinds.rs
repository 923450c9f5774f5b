//! The closed sets of choices the IR records: where a token travels, how codes are typed, what
//! a code means, how a listing pages, how lenient a field is and how settled an endpoint is.
//!
//! They mirror the spec format's enums today, but are the IR's own, so that the file format can
//! grow spellings and aliases without every emitter following.

/// Where a token is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthLocation {
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// A member or field of the request body.
    Body,
    /// Calls carry no token.
    None,
}

/// JSON type of an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeType {
    /// A JSON number.
    Integer,
    /// A JSON string.
    String,
}

/// The JSON type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumType {
    /// Values are JSON strings.
    String,
    /// Values are JSON integers.
    Integer,
}

/// What an error code means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorMeaning {
    /// The access token is invalid or expired.
    TokenInvalid,
    /// The platform is busy; a later retry may succeed.
    Busy,
    /// A rate limit was hit.
    RateLimited,
    /// A quota is used up.
    QuotaExceeded,
    /// The caller is temporarily banned for calling too often.
    Banned,
    /// The app lacks a permission.
    PermissionDenied,
    /// The caller's IP address is not whitelisted.
    IpNotAllowed,
    /// The real reason is in the response's sub code.
    SeeSubCode,
}

/// Pagination styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStyle {
    /// An opaque or numeric cursor handed out by the server.
    Cursor,
    /// A position in the listing.
    Offset,
    /// A page number.
    Page,
}

/// Lenient decoders for fields whose JSON type differs from the documented one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lenient {
    /// A number that may arrive as a numeric string (`"1"`).
    NumberOrString,
    /// A boolean that may arrive as `"true"`/`"false"`, `0`/`1` or `"0"`/`"1"`.
    BoolOrString,
    /// A list that may arrive as a single item.
    OneOrMany,
    /// A value that arrives as JSON text inside a string.
    JsonString,
    /// An object with one list member that may arrive as that bare list.
    ObjectOrList,
}

/// How settled an endpoint is, as the document marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stability {
    /// Generally available.
    #[default]
    Stable,
    /// Marked as in development (开发中): it may change without notice.
    InDevelopment,
    /// Marked as deprecated or not recommended.
    Deprecated,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyEncoding {
    /// `application/json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

/// What a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureStyle {
    /// HMAC-SHA256 over the timestamp and the secret (DingTalk's custom robots).
    HmacTimestamp,
    /// A digest over the sorted parameters.
    SortedParams(DigestAlgorithm),
}

/// The digest of a sorted-parameters signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `md5(secret + pairs + secret)`.
    Md5,
    /// `HMAC-MD5(secret, pairs)`.
    HmacMd5,
    /// `HMAC-SHA256(secret, pairs)`.
    HmacSha256,
}

/// How a signing timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Milliseconds since the Unix epoch.
    UnixMs,
    /// Seconds since the Unix epoch.
    UnixS,
    /// `yyyy-MM-dd HH:mm:ss` in UTC+8.
    DatetimeUtc8,
}

/// Where a value the runtime adds travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueLocation {
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A body member or field.
    Body,
}
