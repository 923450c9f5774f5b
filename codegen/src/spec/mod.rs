//! The spec file format: serde structs that mirror `specs/<platform>/*.yaml` exactly.
//!
//! Every struct denies unknown keys so that a misspelt key is an error rather than silently
//! ignored. Nothing here is resolved or checked beyond its shape; that is `validate`'s job.

pub mod schema;

use schemars::JsonSchema;
use serde::Deserialize;

/// A service file (`specs/<platform>/service.yaml`): what is shared by all API groups.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Module and cargo feature name of the platform, in snake_case (`dingtalk`).
    pub platform: String,
    /// Human name of the platform, as the documents write it.
    pub title: String,
    /// What the platform is; rendered into the module's rustdoc.
    #[serde(default)]
    pub description: Option<String>,
    /// The documents the specs of this platform were transcribed from, each committed beside
    /// the specs and named with its public title and address.
    pub sources: Vec<Source>,
    /// The hosts the platform serves its APIs from.
    pub bases: Vec<Base>,
    /// `undocumented`: endpoints the documents list without documenting them, so that coverage
    /// (documented N of M) is visible and nothing is invented.
    #[serde(default)]
    pub undocumented: Vec<Undocumented>,
    /// `credentials`: the kinds of token the platform's calls carry, each with the operations
    /// that issue it; the first is the default of every base that carries a token.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// `signatures`: how requests are signed, referenced by bases and operations (`signing`).
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

/// A request signature the runtime computes on every attempt.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// `id`: referenced as `signing: <id>` by bases and operations.
    pub id: String,
    /// `style`: what is signed and how.
    pub style: SignatureStyle,
    /// `algorithm`: the digest of a `sorted_params` signature.
    #[serde(default)]
    pub algorithm: Option<DigestAlgorithm>,
    /// `timestamp`: where the attempt's timestamp travels and how it is written.
    pub timestamp: SignedValue,
    /// `signature`: where the signature travels.
    pub signature: SignedValue,
    /// `key_id`: where the signing key's id (an app key) travels, when the server needs it.
    #[serde(default)]
    pub key_id: Option<SignedValue>,
    /// `signed`: for `sorted_params`, the parameters signed (wire names); without it, every
    /// query and form parameter but the signature.
    #[serde(default)]
    pub signed: Vec<String>,
    /// `message`: for `hmac_timestamp`, the query parameter whose value follows the timestamp
    /// in the signed text (DingTalk's `suiteTicket`); the secret itself when absent.
    #[serde(default)]
    pub message: Option<String>,
    /// `description`: what the document says about the signature.
    #[serde(default)]
    pub description: Option<String>,
}

/// What a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStyle {
    /// `hmac_timestamp`: DingTalk's custom robots, `base64(HMAC-SHA256(secret, timestamp + "\n" + secret))`.
    HmacTimestamp,
    /// `sorted_params`: a digest over the parameters sorted by name (Alibaba's TOP gateway).
    SortedParams,
}

/// The digest of a `sorted_params` signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigestAlgorithm {
    /// `md5`: `md5(secret + pairs + secret)`, upper-case hex.
    Md5,
    /// `hmac_md5`: `HMAC-MD5(secret, pairs)`, upper-case hex.
    HmacMd5,
    /// `hmac_sha256`: `HMAC-SHA256(secret, pairs)`, upper-case hex.
    HmacSha256,
}

/// Where a value the runtime adds travels.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedValue {
    /// `in`: `query`, `header` or `body`.
    #[serde(rename = "in")]
    pub location: ValueLocation,
    /// `name`: the parameter, header or body member.
    pub name: String,
    /// `format`: for the timestamp, `unix_ms` (default), `unix_s` or `datetime_utc8`.
    #[serde(default)]
    pub format: Option<TimestampFormat>,
}

/// Where a value travels in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueLocation {
    /// `query`: a query parameter.
    Query,
    /// `header`: a request header.
    Header,
    /// `body`: a member of the JSON body or a field of a form or multipart body.
    Body,
}

/// How a signing timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimestampFormat {
    /// `unix_ms`: milliseconds since the Unix epoch.
    UnixMs,
    /// `unix_s`: seconds since the Unix epoch.
    UnixS,
    /// `datetime_utc8`: `yyyy-MM-dd HH:mm:ss` in China Standard Time.
    DatetimeUtc8,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `json`: `application/json` (the default).
    Json,
    /// `form`: `application/x-www-form-urlencoded`; objects and lists as JSON text per field.
    Form,
    /// `multipart`: `multipart/form-data`; `file` fields are file parts, others text parts.
    Multipart,
}

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseBody {
    /// `json`: the JSON the `response` members describe (the default).
    Json,
    /// `file`: a file (a download); errors still arrive as the JSON envelope.
    File,
}

/// A document the specs were transcribed from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `file`: the committed copy of the document, relative to the platform folder
    /// (`sources/003_server_api.txt`).
    pub file: String,
    /// `title`: the document's public title, as the page shows it; when it is not known, a
    /// short description of the document (and `note` says so).
    pub title: String,
    /// `url`: the public address of the page, when it is known; never guessed.
    #[serde(default)]
    pub url: Option<String>,
    /// `note`: where the document comes from, when the title and address do not say it.
    #[serde(default)]
    pub note: Option<String>,
    /// `reference: true`: the document describes no endpoint, event or message body (a page
    /// of rate limits or conventions), so the contract check imports none of it; `note` then
    /// says what the specs take from it.
    #[serde(default)]
    pub reference: bool,
}

/// One base URL with its authentication placement and response envelope.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// Identifier used by operations (`base: oapi`).
    pub id: String,
    /// Absolute URL without a trailing slash.
    pub url: String,
    /// `description`: optional text for the base constant's rustdoc.
    #[serde(default)]
    pub description: Option<String>,
    /// How the access token travels on calls to this base.
    pub auth: Auth,
    /// How success and failure are signalled in responses.
    pub envelope: Envelope,
    /// Error codes with a meaning the runtime or the user can act on.
    #[serde(default)]
    pub error_codes: Vec<ErrorCode>,
    /// `sub_codes`: values of the envelope's sub-code field, for codes meaning `see_sub_code`.
    #[serde(default)]
    pub sub_codes: Vec<ErrorCode>,
    /// `encoding`: the default body encoding of the base's operations (`json` when absent).
    #[serde(default)]
    pub encoding: Option<BodyEncoding>,
    /// `signing`: the id of the `signatures` entry every call to this base carries.
    #[serde(default)]
    pub signing: Option<String>,
    /// `credential`: the kind of token the base's calls carry (the first of `credentials`
    /// when absent).
    #[serde(default)]
    pub credential: Option<String>,
    /// `rate_limit`: the documented call budget of the base's operations, which the client
    /// keeps to (waiting for a slot rather than being throttled).
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
}

/// A documented call budget: `{ per_second: 20, burst: 1, scope: api }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// `per_second`: the sustained rate, in calls per second (at least 1).
    pub per_second: u32,
    /// `burst`: how many calls may go at once after a quiet spell (at least 1); `1` spaces
    /// every call by `1 / per_second`.
    pub burst: u32,
    /// `scope`: what shares one budget.
    pub scope: RateScope,
    /// `note`: what the document says about the limit, in its words.
    #[serde(default)]
    pub note: Option<String>,
}

/// What shares one rate budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateScope {
    /// `app`: every call the budget covers, together (one budget for the app).
    App,
    /// `tenant`: one budget per tenant the client calls for (`for_tenant`).
    Tenant,
    /// `api`: one budget per operation.
    Api,
}

/// Placement of the access token.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// `in`: where the token travels (`query`, `header`, `body` or `none`).
    #[serde(rename = "in")]
    pub location: AuthLocation,
    /// Query parameter or header name; absent for `in: none`.
    #[serde(default)]
    pub name: Option<String>,
}

/// Where a token is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthLocation {
    /// `query`: a query parameter.
    Query,
    /// `header`: a request header.
    Header,
    /// `body`: a member of the JSON body or a field of a form or multipart body.
    Body,
    /// `none`: calls carry no token.
    None,
}

/// How a response says whether the call succeeded.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// `style`: whether a body code, a success flag or the HTTP status decides success.
    pub style: EnvelopeStyle,
    /// Field carrying the error code (`errcode`, `code`); optional for `success_flag`.
    #[serde(default)]
    pub code_field: Option<String>,
    /// `code_type`: JSON type of the code (`integer` or `string`); required with `code_field`.
    #[serde(default)]
    pub code_type: Option<CodeType>,
    /// `success_field`: a boolean member that is `true` on success; it decides alone for
    /// `success_flag` and together with the code for `body_code`.
    #[serde(default)]
    pub success_field: Option<String>,
    /// `payload`: the member holding the payload (`data`, `result`); the response type of
    /// each operation is what that member holds.
    #[serde(default)]
    pub payload: Option<String>,
    /// The success value of `code_field`; required for `style: body_code`.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub success: Option<serde_yaml::Value>,
    /// `message_field`: the field carrying the error message (`errmsg`, `message`).
    pub message_field: String,
    /// `request_id_field`: optional field carrying the request id.
    #[serde(default)]
    pub request_id_field: Option<String>,
    /// `sub_code_field`: a finer code sent with some codes (DingTalk `sub_code` with 88).
    #[serde(default)]
    pub sub_code_field: Option<String>,
    /// `sub_message_field`: the finer code's message.
    #[serde(default)]
    pub sub_message_field: Option<String>,
}

/// Envelope styles found in the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeStyle {
    /// Every response is HTTP 200 and a code field in the body decides success.
    BodyCode,
    /// Every response is HTTP 200 and a boolean member (`success`) decides success.
    SuccessFlag,
    /// HTTP 2xx is success with the bare payload; errors are 4xx/5xx with a code in the body.
    HttpStatus,
}

/// JSON type of an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeType {
    /// `integer`: a JSON number.
    Integer,
    /// `string`: a JSON string.
    String,
}

/// An error code with a meaning.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code as the server sends it (an integer or a string).
    #[schemars(with = "serde_json::Value")]
    pub code: serde_yaml::Value,
    /// `meaning`: what the code means for a caller.
    pub meaning: ErrorMeaning,
    /// `description`: the document's description of the code.
    pub description: String,
}

/// What an error code means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorMeaning {
    /// `token_invalid`: the access token is invalid or expired.
    TokenInvalid,
    /// `busy`: the platform is busy; a later retry may succeed.
    Busy,
    /// `rate_limited`: a rate limit was hit.
    RateLimited,
    /// `quota_exceeded`: a quota is used up.
    QuotaExceeded,
    /// `banned`: the caller is temporarily banned for calling too often.
    Banned,
    /// `permission_denied`: the app lacks a permission.
    PermissionDenied,
    /// `ip_not_allowed`: the caller's IP address is not whitelisted.
    IpNotAllowed,
    /// `see_sub_code`: the real reason is in the response's `sub_code`.
    SeeSubCode,
}

/// A kind of access token (an app's, a corporation's, a user's).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// `id`: referenced as `credential: <id>` by bases and operations.
    pub id: String,
    /// `description`: what the token is, in the documents' words.
    #[serde(default)]
    pub description: Option<String>,
    /// `tenant`: the issuing request's member that names the tenant (a corporation id), for
    /// tokens issued per tenant; the client then keeps one token per tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// `issued_by`: the operations that issue this token.
    pub issued_by: Vec<TokenSource>,
}

/// An operation that issues access tokens.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenSource {
    /// `group.operation` of the issuing operation.
    pub operation: String,
    /// Response field holding the token.
    pub token_field: String,
    /// Response field holding the lifetime in seconds.
    pub expires_in_field: String,
    /// `app_key`: the request member naming the app (or suite) the token belongs to, part of
    /// the token cache key; without it, the first `string` request member.
    #[serde(default)]
    pub app_key: Option<String>,
    /// `refresh_token_field`: the response field holding a refresh token.
    #[serde(default)]
    pub refresh_token_field: Option<String>,
    /// `refresh`: how the same operation renews the token with the refresh token.
    #[serde(default)]
    pub refresh: Option<Refresh>,
    /// `pushed`: request members filled, at every fetch, with the value the platform last
    /// pushed under the same name (an event's `pushes`), such as DingTalk's suite ticket.
    #[serde(default)]
    pub pushed: Vec<String>,
}

/// How an issuing operation renews a token: the request member that takes the refresh token,
/// and the members set to fixed values for a renewal (`grantType: refresh_token`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Refresh {
    /// `param`: the request member that takes the refresh token.
    pub param: String,
    /// `set`: request members set to these string values for a renewal.
    #[serde(default)]
    pub set: std::collections::BTreeMap<String, String>,
}

/// An API group file (`specs/<platform>/<group>.yaml`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Module name of the group in snake_case (`blackboard`).
    pub group: String,
    /// Human name of the group.
    pub title: String,
    /// `description`: optional text for the module's rustdoc.
    #[serde(default)]
    pub description: Option<String>,
    /// `operations`: the group's endpoints.
    pub operations: Vec<Operation>,
    /// `models`: the object types the operations use.
    #[serde(default)]
    pub models: Vec<Model>,
    /// `enums`: closed sets of string or integer values, each with an unknown-value fallback.
    #[serde(default)]
    pub enums: Vec<Enum>,
    /// `unions`: objects whose shape depends on a tag field.
    #[serde(default)]
    pub unions: Vec<Union>,
    /// `events`: what the platform pushes to the app (callbacks, Stream mode), one declaration
    /// per event type; at most one group file of a platform declares them.
    #[serde(default)]
    pub events: Option<Events>,
}

/// The events a platform delivers, and how.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Events {
    /// `type_field`: the member of an event's JSON (a decrypted HTTP callback) whose value
    /// names the event type (DingTalk: `EventType`).
    pub type_field: String,
    /// `deliveries`: how the platform delivers its events.
    pub deliveries: Vec<Delivery>,
    /// `description`: rustdoc text for the generated `Event` enum.
    #[serde(default)]
    pub description: Option<String>,
    /// `note`: a transcription decision.
    #[serde(default)]
    pub note: Option<String>,
    /// `types`: every documented event type.
    pub types: Vec<EventDecl>,
}

/// A value an event pushes for token requests.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pushes {
    /// `field`: the wire name of the payload member holding the value (a `string`).
    pub field: String,
    /// `name`: the name it is kept under: the request member of the issuers that take it.
    pub name: String,
}

/// A way a platform delivers events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// An encrypted HTTP POST to the app's callback URL (DingTalk's and WeCom's scheme).
    HttpCallback,
    /// A long-lived connection the app opens (DingTalk Stream mode).
    Stream,
}

/// One event type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDecl {
    /// `value`: the event type on the wire (`user_add_org`).
    pub value: String,
    /// `name`: the Rust variant name, in snake_case (it is converted to UpperCamelCase).
    pub name: String,
    /// `payload`: the model the event's JSON decodes into (declared with `models:`, with the
    /// same field syntax as operations).
    pub payload: String,
    /// `summary`: the document's title for the event.
    pub summary: String,
    /// `description`: rustdoc text.
    #[serde(default)]
    pub description: Option<String>,
    /// `doc`: the page it is transcribed from, as `<title> (<url>)`.
    #[serde(default)]
    pub doc: Option<String>,
    /// `deliveries`: the deliveries that carry this event, when not all of the platform's.
    #[serde(default)]
    pub deliveries: Option<Vec<Delivery>>,
    /// `pushes`: the payload member whose value the platform pushes for a token request
    /// (`SuiteTicket`), and the name it is kept under for the issuers' `pushed` members.
    #[serde(default)]
    pub pushes: Option<Pushes>,
    /// `note`: a transcription decision.
    #[serde(default)]
    pub note: Option<String>,
}

/// A string or integer enum.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// Rust type name in UpperCamelCase, unique in the platform.
    pub name: String,
    /// `type`: the JSON type of the values.
    #[serde(rename = "type")]
    pub ty: EnumType,
    /// `description`: rustdoc text.
    #[serde(default)]
    pub description: Option<String>,
    /// `note`: a transcription decision.
    #[serde(default)]
    pub note: Option<String>,
    /// `values`: every documented value.
    pub values: Vec<EnumValue>,
}

/// The JSON type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnumType {
    /// Values are JSON strings.
    String,
    /// Values are JSON integers.
    Integer,
}

/// One documented value of an enum.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// `value`: the value on the wire.
    #[schemars(with = "serde_json::Value")]
    pub value: serde_yaml::Value,
    /// `name`: the Rust variant name, in snake_case (it is converted to UpperCamelCase).
    pub name: String,
    /// `description`: the document's meaning of the value.
    #[serde(default)]
    pub description: Option<String>,
}

/// An object whose shape depends on the value of a tag field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Union {
    /// Rust type name in UpperCamelCase, unique in the platform.
    pub name: String,
    /// `description`: rustdoc text.
    #[serde(default)]
    pub description: Option<String>,
    /// `note`: a transcription decision.
    #[serde(default)]
    pub note: Option<String>,
    /// `tag`: the wire name of the field whose string value selects the variant.
    pub tag: String,
    /// `content`: the wire name of the sibling field holding the variant's value; without it,
    /// the variant's fields sit beside the tag (as in `{"msgtype": "text", "text": {...}}`).
    #[serde(default)]
    pub content: Option<String>,
    /// `variants`: every documented tag value.
    pub variants: Vec<Variant>,
}

/// One variant of a union.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// `value`: the tag value on the wire.
    pub value: String,
    /// `name`: the Rust variant name, in snake_case (it is converted to UpperCamelCase).
    pub name: String,
    /// `type`: the variant's type; a model when the union has no `content` field.
    #[serde(rename = "type")]
    pub ty: String,
    /// `description`: rustdoc text.
    #[serde(default)]
    pub description: Option<String>,
    /// `supported`: `false` for variants the document marks as not supported yet (暂不支持).
    #[serde(default = "default_true")]
    pub supported: bool,
    /// `note`: a transcription decision.
    #[serde(default)]
    pub note: Option<String>,
}

/// One documented endpoint.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Method name on the group client, in snake_case, unique in the group.
    pub id: String,
    /// The document's title for the endpoint.
    pub summary: String,
    /// `description`: optional text for the method's rustdoc.
    #[serde(default)]
    pub description: Option<String>,
    /// Title of the platform page the document links to ("接口详见 ...").
    #[serde(default)]
    pub doc: Option<String>,
    /// `method`: the HTTP method (`GET`, `POST`, `PUT`, `PATCH` or `DELETE`).
    pub method: String,
    /// Which of the service's bases serves the operation.
    pub base: String,
    /// Path below the base URL; `{name}` placeholders are declared in `path_params`.
    pub path: String,
    /// `false` for operations that are called without a token (such as the token endpoint).
    #[serde(default = "default_true")]
    pub auth: bool,
    /// `encoding`: how the body is encoded, when not the base's default.
    #[serde(default)]
    pub encoding: Option<BodyEncoding>,
    /// `signing`: a `signatures` id, or `none`, when not the base's signing.
    #[serde(default)]
    pub signing: Option<String>,
    /// `credential`: the kind of token the call carries, when not the base's.
    #[serde(default)]
    pub credential: Option<String>,
    /// `rate_limit`: the operation's own call budget, when not the base's.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    /// `response_body`: `file` when a successful response is a file (a download).
    #[serde(default)]
    pub response_body: Option<ResponseBody>,
    /// `path_params`: fields named by `{placeholders}` in `path`.
    #[serde(default)]
    pub path_params: Vec<Field>,
    /// `query`: query parameters, without the token parameter.
    #[serde(default)]
    pub query: Vec<Field>,
    /// `headers`: header parameters, without the token header.
    #[serde(default)]
    pub headers: Vec<Field>,
    /// `body`: top-level members of the request body (JSON members, form fields or parts).
    #[serde(default)]
    pub body: Vec<Field>,
    /// `response`: top-level members of the JSON response, envelope fields included.
    #[serde(default)]
    pub response: Vec<Field>,
    /// `stability`: how settled the endpoint is (`in_development` for 开发中).
    #[serde(default)]
    pub stability: Stability,
    /// `idempotent`: sending the request twice has the effect of sending it once, so it may be
    /// retried after a failure that leaves open whether it was processed. Defaults to true for
    /// GET, PUT and DELETE; reads sent as POST (most of DingTalk's `topapi`) say so here.
    #[serde(default)]
    pub idempotent: Option<bool>,
    /// `pagination`: how the operation pages through a listing.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// A transcription decision that a reviewer should know about.
    #[serde(default)]
    pub note: Option<String>,
}

/// A named object type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Rust type name in UpperCamelCase, unique in the platform.
    pub name: String,
    /// `description`: the document's description of the type.
    #[serde(default)]
    pub description: Option<String>,
    /// The document's name for the type, when the spec had to choose another.
    #[serde(default)]
    pub doc_name: Option<String>,
    /// `note`: optional transcription decision reviewers should know.
    #[serde(default)]
    pub note: Option<String>,
    /// `fields`: the members of the object.
    pub fields: Vec<Field>,
}

/// A parameter or an object field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Name on the wire, exactly as the server spells it.
    pub name: String,
    /// Type expression, see `specs/README.md`.
    #[serde(rename = "type")]
    pub ty: String,
    /// For requests: the caller must send it. For responses: the server always sends it.
    #[serde(default)]
    pub required: bool,
    /// `description`: rustdoc text, in the document's words.
    #[serde(default)]
    pub description: Option<String>,
    /// `example`: the document's example value, any YAML value.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub example: Option<serde_yaml::Value>,
    /// The value the server assumes when the field is left out.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub default: Option<serde_yaml::Value>,
    /// The type as the document writes it, when the spec decided on another.
    #[serde(default)]
    pub doc_type: Option<String>,
    /// `note`: why the spec differs from the document, or what the server really does.
    #[serde(default)]
    pub note: Option<String>,
    /// `nullable`: `null` is a meaningful value, distinct from leaving the field out.
    #[serde(default)]
    pub nullable: bool,
    /// `lenient`: how to accept what the server sends when it differs from the documented type.
    #[serde(default)]
    pub lenient: Option<Lenient>,
    /// `flatten`: the field's members (a union's tag and content) sit beside its siblings; the
    /// field's `name` is then only its Rust name.
    #[serde(default)]
    pub flatten: bool,
    /// `send_default`: an optional query or header parameter that is sent with its `default`
    /// when the caller leaves it unset.
    #[serde(default)]
    pub send_default: bool,
    /// `limits`: constraints checked by the generated `validate()`.
    #[serde(default)]
    pub limits: Option<Limits>,
}

/// Constraints written in the documents' prose.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// `min`: the smallest number allowed.
    #[serde(default)]
    pub min: Option<i64>,
    /// `max`: the largest number allowed.
    #[serde(default)]
    pub max: Option<i64>,
    /// `min_length`: the fewest characters a string may have.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// `max_length`: the most characters a string may have.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// `min_items`: the fewest items a list may have.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// `max_items`: the most items a list may have.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// `max_apart`: how far the value may be from a sibling field's value, either way.
    #[serde(default)]
    pub max_apart: Option<MaxApart>,
    /// `pattern`: a regular expression (Rust `regex` syntax) a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
}

/// A limit across two fields of one object: "最多相隔180天" between a start and an end time is
/// `{ from: start_time, max: 15552000000 }` on the end time (milliseconds).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaxApart {
    /// `from`: the wire name of the sibling field (in the same parameter list or model), of
    /// the same integer or timestamp type.
    pub from: String,
    /// `max`: the largest difference allowed, in the fields' unit (milliseconds for
    /// `timestamp_ms`); checked when both fields are set.
    pub max: u64,
}

/// How a paginated operation moves from page to page. Paths are dotted wire names, starting
/// at a request parameter (`query_request.page`) or a response member (`result.data_list`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `style`: `cursor` (the next cursor comes from the response), `offset` (from the response
    /// when `next` is given, else the offset advances by the items received), `page` (the page
    /// number advances by one).
    pub style: PaginationStyle,
    /// `request`: the request parameter that selects the page.
    pub request: String,
    /// `items`: the response list holding the page's items.
    pub items: String,
    /// `next`: the response member holding the next cursor or offset; absent or empty means
    /// the end.
    #[serde(default)]
    pub next: Option<String>,
    /// `has_more`: the response flag that is false on the last page.
    #[serde(default)]
    pub has_more: Option<String>,
    /// `size`: the request parameter holding the page size; a shorter page is the last.
    #[serde(default)]
    pub size: Option<String>,
    /// `total_page`: for `page`, the response member with the number of pages; the page of
    /// that number is the last.
    #[serde(default)]
    pub total_page: Option<String>,
    /// `total_count`: the response member with the number of items in the whole listing; the
    /// walk ends once it has received that many.
    #[serde(default)]
    pub total_count: Option<String>,
}

/// Pagination styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// An opaque or numeric cursor handed out by the server (`cursor`/`next_cursor`,
    /// `nextToken`).
    Cursor,
    /// A position in the listing (`offset`/`size`).
    Offset,
    /// A page number (`page`/`page_size`).
    Page,
}

/// Lenient decoders for fields whose JSON type differs from the documented one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lenient {
    /// A number that may arrive as a numeric string (`"1"`).
    NumberOrString,
    /// A boolean that may arrive as `"true"`/`"false"`, `0`/`1` or `"0"`/`"1"`.
    BoolOrString,
    /// A list that may arrive as a single item.
    OneOrMany,
    /// A value that arrives as JSON text inside a string.
    JsonString,
    /// A model that may arrive as a bare list of what its one list member holds.
    ObjectOrList,
}

/// How settled an endpoint is, as the document marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stability {
    /// Generally available (the default).
    #[default]
    Stable,
    /// Marked as in development (开发中): it may change without notice.
    InDevelopment,
    /// Marked as deprecated or not recommended.
    Deprecated,
}

/// An endpoint the platform's navigation lists without documenting it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Undocumented {
    /// `section`: the navigation section it is listed under.
    pub section: String,
    /// `title`: its title in the navigation.
    pub title: String,
    /// `method`: the HTTP method, when the navigation shows one.
    #[serde(default)]
    pub method: Option<String>,
}

fn default_true() -> bool {
    true
}
