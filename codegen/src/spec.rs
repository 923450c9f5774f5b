//! The spec file format: serde structs that mirror `specs/<platform>/*.yaml` exactly.
//!
//! Every struct denies unknown keys so that a misspelt key is an error rather than silently
//! ignored. Nothing here is resolved or checked beyond its shape; that is `validate`'s job.

use serde::Deserialize;

/// A service file (`specs/<platform>/service.yaml`): what is shared by all API groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Module and cargo feature name of the platform, in snake_case (`dingtalk`).
    pub platform: String,
    /// Human name of the platform, as the documents write it.
    pub title: String,
    /// What the platform is; rendered into the module's rustdoc.
    #[serde(default)]
    pub description: Option<String>,
    /// The source document(s) the specs of this platform were transcribed from.
    pub sources: Vec<String>,
    /// The hosts the platform serves its APIs from.
    pub bases: Vec<Base>,
    /// Where access tokens come from, when an operation of the platform issues them.
    #[serde(default)]
    pub token: Option<TokenSource>,
}

/// One base URL with its authentication placement and response envelope.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// Identifier used by operations (`base: oapi`).
    pub id: String,
    /// Absolute URL without a trailing slash.
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
    /// How the access token travels on calls to this base.
    pub auth: Auth,
    /// How success and failure are signalled in responses.
    pub envelope: Envelope,
    /// Error codes with a meaning the runtime or the user can act on.
    #[serde(default)]
    pub error_codes: Vec<ErrorCode>,
}

/// Placement of the access token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    #[serde(rename = "in")]
    pub location: AuthLocation,
    /// Query parameter or header name; absent for `in: none`.
    #[serde(default)]
    pub name: Option<String>,
}

/// Where a token is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthLocation {
    Query,
    Header,
    None,
}

/// How a response says whether the call succeeded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub style: EnvelopeStyle,
    /// Field carrying the error code (`errcode`, `code`).
    pub code_field: String,
    pub code_type: CodeType,
    /// The success value of `code_field`; required for `style: body_code`.
    #[serde(default)]
    pub success: Option<serde_yaml::Value>,
    pub message_field: String,
    #[serde(default)]
    pub request_id_field: Option<String>,
}

/// Envelope styles found in the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeStyle {
    /// Every response is HTTP 200 and a code field in the body decides success.
    BodyCode,
    /// HTTP 2xx is success with the bare payload; errors are 4xx/5xx with a code in the body.
    HttpStatus,
}

/// JSON type of an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeType {
    Integer,
    String,
}

/// An error code with a meaning.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code as the server sends it (an integer or a string).
    pub code: serde_yaml::Value,
    pub meaning: ErrorMeaning,
    pub description: String,
}

/// What an error code means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorMeaning {
    TokenInvalid,
    Busy,
    RateLimited,
    QuotaExceeded,
    Banned,
    PermissionDenied,
    IpNotAllowed,
    SeeSubCode,
}

/// An operation that issues access tokens.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSource {
    /// `group.operation` of the issuing operation.
    pub operation: String,
    /// Response field holding the token.
    pub token_field: String,
    /// Response field holding the lifetime in seconds.
    pub expires_in_field: String,
}

/// An API group file (`specs/<platform>/<group>.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Module name of the group in snake_case (`blackboard`).
    pub group: String,
    /// Human name of the group.
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub operations: Vec<Operation>,
    #[serde(default)]
    pub models: Vec<Model>,
}

/// One documented endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Method name on the group client, in snake_case, unique in the group.
    pub id: String,
    /// The document's title for the endpoint.
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Title of the platform page the document links to ("接口详见 ...").
    #[serde(default)]
    pub doc: Option<String>,
    pub method: String,
    /// Which of the service's bases serves the operation.
    pub base: String,
    /// Path below the base URL; `{name}` placeholders are declared in `path_params`.
    pub path: String,
    /// `false` for operations that are called without a token (such as the token endpoint).
    #[serde(default = "default_true")]
    pub auth: bool,
    #[serde(default)]
    pub path_params: Vec<Field>,
    #[serde(default)]
    pub query: Vec<Field>,
    #[serde(default)]
    pub headers: Vec<Field>,
    #[serde(default)]
    pub body: Vec<Field>,
    #[serde(default)]
    pub response: Vec<Field>,
    /// A transcription decision that a reviewer should know about.
    #[serde(default)]
    pub note: Option<String>,
}

/// A named object type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Rust type name in UpperCamelCase, unique in the platform.
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The document's name for the type, when the spec had to choose another.
    #[serde(default)]
    pub doc_name: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub fields: Vec<Field>,
}

/// A parameter or an object field.
#[derive(Debug, Clone, Deserialize)]
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
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub example: Option<serde_yaml::Value>,
    /// The value the server assumes when the field is left out.
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// The type as the document writes it, when the spec decided on another.
    #[serde(default)]
    pub doc_type: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub limits: Option<Limits>,
}

/// Constraints written in the documents' prose.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub min_items: Option<u64>,
    #[serde(default)]
    pub max_items: Option<u64>,
}

fn default_true() -> bool {
    true
}
