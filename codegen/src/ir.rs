//! The resolved, language-neutral model that every emitter reads.
//!
//! Plain ordered data: every Rust name is decided (by `names`) before emitting, and the wire
//! name is kept beside it. Nothing here points back into the YAML.

pub use crate::spec::{AuthLocation, CodeType, EnvelopeStyle, ErrorMeaning};

/// Everything the generator emits.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub platforms: Vec<Platform>,
}

/// One platform: a module and cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Platform {
    /// Module and feature name (`dingtalk`).
    pub module: String,
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    /// The service file, relative to the workspace root.
    pub spec_file: String,
    pub bases: Vec<Base>,
    pub token: Option<TokenSource>,
    pub groups: Vec<Group>,
}

/// A base URL with its auth placement, envelope and error codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Base {
    pub id: String,
    /// The Rust constant describing this base (`OAPI`).
    pub const_name: String,
    pub url: String,
    pub description: Option<String>,
    pub auth: AuthLocation,
    /// The query parameter or header carrying the token; empty for `AuthLocation::None`.
    pub auth_name: String,
    pub envelope: Envelope,
    pub error_codes: Vec<ErrorCode>,
}

/// Where a response says whether the call succeeded.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub style: EnvelopeStyle,
    pub code_field: String,
    pub code_type: CodeType,
    pub success: Option<CodeValue>,
    pub message_field: String,
    pub request_id_field: Option<String>,
}

/// An error code as the server sends it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CodeValue {
    Integer(i64),
    String(String),
}

/// A code with a meaning the runtime can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    pub code: CodeValue,
    pub meaning: ErrorMeaning,
    pub description: String,
}

/// The operation that issues tokens, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSource {
    pub group: String,
    pub operation: String,
    pub token_field: String,
    pub expires_in_field: String,
}

/// An API group: one generated module with its sub-client.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module and accessor name (`blackboard`).
    pub module: String,
    /// Sub-client type (`BlackboardClient`).
    pub client_type: String,
    pub title: String,
    pub description: Option<String>,
    pub spec_file: String,
    pub operations: Vec<Operation>,
    pub models: Vec<Model>,
}

/// HTTP methods the specs may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec id (`list_ids`), which is also the method name when no keyword intervenes.
    pub id: String,
    pub method_name: String,
    pub request_type: String,
    pub response_type: String,
    pub summary: String,
    pub description: Option<String>,
    pub doc: Option<String>,
    pub http_method: HttpMethod,
    /// Index into `Platform::bases`.
    pub base: usize,
    pub path: Vec<PathSegment>,
    pub auth: bool,
    pub params: Vec<Param>,
    /// Response members, without the envelope's code and message.
    pub response: Vec<Field>,
    pub note: Option<String>,
    /// Whether `validate()` has anything to check (a limit here or in a nested model).
    pub has_limits: bool,
}

impl Operation {
    /// The path as the spec writes it, with `{wire_name}` placeholders.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.clone(),
                PathSegment::Param(i) => format!("{{{}}}", self.params[*i].field.wire_name),
            })
            .collect()
    }
}

/// A piece of an operation path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Body,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub location: ParamLocation,
    pub field: Field,
}

/// A named object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub doc_name: Option<String>,
    pub description: Option<String>,
    pub note: Option<String>,
    pub fields: Vec<Field>,
    /// Appears in a request: derives `Serialize`, gets a constructor and setters.
    pub sent: bool,
    /// Appears in a response: derives `Deserialize`.
    pub received: bool,
    /// Whether `validate()` has anything to check.
    pub has_limits: bool,
}

/// A member of an object or a parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    /// The setter of an optional request field.
    pub setter_name: String,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
    /// The document's example, as compact JSON.
    pub example: Option<String>,
    /// The server's default, as compact JSON.
    pub default: Option<String>,
    pub doc_type: Option<String>,
    pub note: Option<String>,
    pub limits: Limits,
}

/// Constraints checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    String,
    Boolean,
    Int32,
    Int64,
    Float64,
    TimestampMs,
    DateTime,
    Secret,
    Json,
    List(Box<Type>),
    Map(Box<Type>),
    Csv(Box<Type>),
    Model(ModelRef),
}

/// A reference to a model, with the group module that defines it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModelRef {
    pub group: String,
    pub name: String,
}
