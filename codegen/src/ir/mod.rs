//! The resolved, language-neutral model that every emitter reads.
//!
//! Plain ordered data: every Rust name is decided (by `names`) before emitting, and the wire
//! name is kept beside it. Nothing here points back into the YAML.

mod kinds;
mod table;
mod value;

pub use kinds::{
    AuthLocation, BodyEncoding, CodeType, DigestAlgorithm, EnumType, ErrorMeaning, Lenient,
    PaginationStyle, SignatureStyle, Stability, TimestampFormat, ValueLocation,
};
pub use table::{TypeEntry, TypeKind, TypeTable};
pub use value::{Number, Value};

/// Everything the generator emits.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The platforms, in spec folder order.
    pub platforms: Vec<Platform>,
}

/// One platform: a module and cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Platform {
    /// Module name (`dingtalk`).
    pub module: String,
    /// The cargo feature enabling every group of the platform (`dingtalk`).
    pub feature: String,
    /// The hidden cargo feature that compiles the platform module itself (`_dingtalk`).
    pub base_feature: String,
    /// Human name, as the documents write it.
    pub title: String,
    /// Text for the module's rustdoc.
    pub description: Option<String>,
    /// The documents the specs were transcribed from.
    pub sources: Vec<Source>,
    /// The service file, relative to the workspace root.
    pub spec_file: String,
    /// The base URLs; operations refer to them by index.
    pub bases: Vec<Base>,
    /// The kinds of token the calls carry; the first is the default of bases with a token.
    pub credentials: Vec<Credential>,
    /// How requests are signed; bases and operations refer to them by index.
    pub signatures: Vec<Signature>,
    /// The API groups, in spec file order.
    pub groups: Vec<Group>,
    /// Endpoints the documents list without documenting them.
    pub undocumented: Vec<Undocumented>,
    /// Every model, enum and union of the platform by name.
    pub types: TypeTable,
}

impl Platform {
    /// The model, enum or union named `name`.
    pub fn definition(&self, name: &str) -> Option<Definition<'_>> {
        self.definition_at(self.types.get(name)?)
    }

    /// The definition a type table entry points at.
    pub fn definition_at(&self, entry: TypeEntry) -> Option<Definition<'_>> {
        let group = self.groups.get(entry.group)?;
        match entry.kind {
            TypeKind::Model => group.models.get(entry.index).map(Definition::Model),
            TypeKind::Enum => group.enums.get(entry.index).map(Definition::Enum),
            TypeKind::Union => group.unions.get(entry.index).map(Definition::Union),
        }
    }

    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.definition(name)?.as_model()
    }
}

/// A named type's definition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Definition<'a> {
    /// A model.
    Model(&'a Model),
    /// An enum.
    Enum(&'a Enum),
    /// A union.
    Union(&'a Union),
}

impl<'a> Definition<'a> {
    /// The model, if this is one.
    pub fn as_model(self) -> Option<&'a Model> {
        match self {
            Definition::Model(model) => Some(model),
            Definition::Enum(_) | Definition::Union(_) => None,
        }
    }

    /// The enum, if this is one.
    pub fn as_enum(self) -> Option<&'a Enum> {
        match self {
            Definition::Enum(enumeration) => Some(enumeration),
            Definition::Model(_) | Definition::Union(_) => None,
        }
    }

    /// The union, if this is one.
    pub fn as_union(self) -> Option<&'a Union> {
        match self {
            Definition::Union(union) => Some(union),
            Definition::Model(_) | Definition::Enum(_) => None,
        }
    }

    /// Whether `validate()` of the type checks something.
    pub fn has_limits(&self) -> bool {
        match self {
            Definition::Model(model) => model.has_limits,
            Definition::Enum(_) => false,
            Definition::Union(union) => union.has_limits,
        }
    }
}

/// A document the specs were transcribed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The committed copy, relative to the platform's spec folder.
    pub file: String,
    /// The public title of the document.
    pub title: String,
    /// The public address of the document, when known.
    pub url: Option<String>,
    /// Where the document comes from, when title and address do not say it.
    pub note: Option<String>,
}

/// A request signature the runtime computes on every attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// Spec id (`robot`).
    pub id: String,
    /// The Rust constant describing it (`ROBOT_SIGNING`).
    pub const_name: String,
    /// What is signed and how.
    pub style: SignatureStyle,
    /// Where the timestamp travels.
    pub timestamp: (ValueLocation, String),
    /// How the timestamp is written.
    pub timestamp_format: TimestampFormat,
    /// Where the signature travels.
    pub signature: (ValueLocation, String),
    /// Where the key id travels, if the server needs it.
    pub key_id: Option<(ValueLocation, String)>,
    /// The parameters signed (`sorted_params`); empty for all.
    pub signed: Vec<String>,
    /// The query parameter signed after the timestamp (`hmac_timestamp`); the secret if none.
    pub message: Option<String>,
    /// What the document says about it.
    pub description: Option<String>,
}

/// A base URL with its auth placement, envelope and error codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Base {
    /// Spec id (`oapi`).
    pub id: String,
    /// The Rust constant describing this base (`OAPI`).
    pub const_name: String,
    /// Absolute URL without a trailing slash.
    pub url: String,
    /// Text for the base constant's rustdoc.
    pub description: Option<String>,
    /// Where the access token travels.
    pub auth: AuthLocation,
    /// The query parameter or header carrying the token; empty for `AuthLocation::None`.
    pub auth_name: String,
    /// How responses signal success and failure.
    pub envelope: Envelope,
    /// Codes with a meaning the runtime can act on.
    pub error_codes: Vec<ErrorCode>,
    /// Values of the envelope's sub-code field with a meaning.
    pub sub_codes: Vec<ErrorCode>,
    /// The default body encoding of the base's operations.
    pub encoding: BodyEncoding,
    /// Index into `Platform::signatures` of the signature every call carries.
    pub signing: Option<usize>,
    /// Index into `Platform::credentials` of the token the calls carry (`None` without auth).
    pub credential: Option<usize>,
    /// The call budget of the base's operations.
    pub rate_limit: Option<RateLimit>,
}

/// A documented call budget, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// The sustained rate in calls per second (at least 1).
    pub per_second: u32,
    /// How many calls may go at once (at least 1).
    pub burst: u32,
    /// What shares one budget.
    pub scope: RateScope,
    /// Where the budget is declared (`dingtalk:oapi` for a base, `dingtalk:user.get` for an
    /// operation): the budget's name, part of the keys the runtime counts under.
    pub key: String,
    /// What the document says about it.
    pub note: Option<String>,
}

/// What shares one rate budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateScope {
    /// The whole app.
    App,
    /// Each tenant.
    Tenant,
    /// Each operation.
    Api,
}

/// Where a response says whether the call succeeded. A body-code envelope always has its
/// success value: the two styles are two variants, not a style beside an optional value.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// Every response is HTTP 200 and the body's code decides success.
    BodyCode {
        /// The members describing an error.
        members: ErrorMembers,
        /// The value of the code member that means success.
        success: CodeValue,
        /// A boolean member that must also be `true` on success.
        success_field: Option<String>,
        /// The member holding the payload.
        payload: Option<String>,
    },
    /// Every response is HTTP 200 and a boolean member decides success.
    SuccessFlag {
        /// The members describing an error (the code member is optional).
        members: ErrorMembers,
        /// The boolean member.
        success_field: String,
        /// The member holding the payload.
        payload: Option<String>,
    },
    /// HTTP 2xx carries the payload; errors are 4xx/5xx with the members in the body.
    HttpStatus {
        /// The members describing an error.
        members: ErrorMembers,
        /// The member of a success body holding the payload, when it is wrapped.
        payload: Option<String>,
    },
}

impl Envelope {
    /// The members describing an error, in either style.
    pub fn members(&self) -> &ErrorMembers {
        match self {
            Envelope::BodyCode { members, .. }
            | Envelope::SuccessFlag { members, .. }
            | Envelope::HttpStatus { members, .. } => members,
        }
    }

    /// The member holding the payload, when the platform wraps it.
    pub fn payload(&self) -> Option<&str> {
        match self {
            Envelope::BodyCode { payload, .. }
            | Envelope::SuccessFlag { payload, .. }
            | Envelope::HttpStatus { payload, .. } => payload.as_deref(),
        }
    }

    /// The boolean member deciding or co-deciding success, if there is one.
    pub fn success_field(&self) -> Option<&str> {
        match self {
            Envelope::BodyCode { success_field, .. } => success_field.as_deref(),
            Envelope::SuccessFlag { success_field, .. } => Some(success_field),
            Envelope::HttpStatus { .. } => None,
        }
    }

    /// Whether every response body (successful ones included) carries the envelope's members,
    /// so that a successful response's code, message and flag are envelope, not payload.
    pub fn in_every_body(&self) -> bool {
        !matches!(self, Envelope::HttpStatus { .. })
    }

    /// The success code of a body-code envelope.
    pub fn success(&self) -> Option<&CodeValue> {
        match self {
            Envelope::BodyCode { success, .. } => Some(success),
            Envelope::SuccessFlag { .. } | Envelope::HttpStatus { .. } => None,
        }
    }

    /// The member holding the code in every response body (successful ones included), which
    /// generated response types keep as a hidden `envelope_code` so that the runtime reads it
    /// with the payload in one pass; `None` for HTTP-status envelopes (their successful bodies
    /// carry the bare payload), success flags (read by the runtime's scan) and wrapped payloads
    /// (read by the runtime around the payload).
    pub fn body_code_field(&self) -> Option<&str> {
        match self {
            Envelope::BodyCode {
                members,
                success_field: None,
                payload: None,
                ..
            } => members.code_field.as_deref(),
            _ => None,
        }
    }
}

/// The response members that describe an error.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorMembers {
    /// Response field carrying the error code (`errcode`, `code`); always present but for
    /// success-flag envelopes of platforms that send no code.
    pub code_field: Option<String>,
    /// JSON type of the error code.
    pub code_type: CodeType,
    /// Response field carrying the error message.
    pub message_field: String,
    /// Response field carrying the request id, if any.
    pub request_id_field: Option<String>,
    /// Wire name of the sub-code field, if any.
    pub sub_code_field: Option<String>,
    /// Wire name of the sub-code message field, if any.
    pub sub_message_field: Option<String>,
}

/// An error code as the server sends it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CodeValue {
    /// A numeric code.
    Integer(i64),
    /// A string code.
    String(String),
}

/// A code with a meaning the runtime can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// The code, in the base's code type.
    pub code: CodeValue,
    /// What the code means for a caller.
    pub meaning: ErrorMeaning,
    /// The platform's description of the code.
    pub description: String,
}

/// A kind of access token, with the operations that issue it.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    /// Spec id (`corp`).
    pub id: String,
    /// The Rust constant describing it (`CORP_TOKEN`).
    pub const_name: String,
    /// What the token is.
    pub description: Option<String>,
    /// Whether one token is issued per tenant (a corporation).
    pub per_tenant: bool,
    /// The operations that issue it.
    pub issuers: Vec<TokenSource>,
}

/// An operation that issues tokens, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSource {
    /// Module of the group that holds the operation.
    pub group: String,
    /// Spec id of the operation.
    pub operation: String,
    /// The operation's method on the group client.
    pub method_name: String,
    /// The operation's request type.
    pub request_type: String,
    /// The response field holding the token.
    pub token: Field,
    /// The response field holding the lifetime in seconds.
    pub expires_in: Field,
    /// The request member naming the app or suite, part of the token cache key.
    pub app_key: Option<Field>,
    /// The request's `secret` members, whose digest is part of the token cache key.
    pub secrets: Vec<Field>,
    /// The request member that names the tenant, for per-tenant tokens.
    pub tenant: Option<Field>,
    /// The response field holding a refresh token, and how a renewal request is made.
    pub refresh: Option<TokenRefresh>,
    /// Request members filled at every fetch with the value pushed under their wire name.
    pub pushed: Vec<Field>,
}

/// How an issuing operation renews its token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRefresh {
    /// The response field holding the refresh token.
    pub token_field: Field,
    /// The request member that takes the refresh token.
    pub param: Field,
    /// Request members set to fixed values for a renewal: the text, and for an enum member
    /// the Rust variant with that wire value.
    pub set: Vec<(Field, String, Option<String>)>,
}

/// An API group: one generated module with its sub-client.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module and accessor name (`blackboard`).
    pub module: String,
    /// The cargo feature compiling the group (`dingtalk-blackboard`).
    pub feature: String,
    /// Sub-client type (`BlackboardClient`).
    pub client_type: String,
    /// Human name of the group.
    pub title: String,
    /// Text for the module's rustdoc.
    pub description: Option<String>,
    /// The group file, relative to the workspace root.
    pub spec_file: String,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
    /// The models the group defines, in spec order.
    pub models: Vec<Model>,
    /// The enums the group defines, in spec order.
    pub enums: Vec<Enum>,
    /// The unions the group defines, in spec order.
    pub unions: Vec<Union>,
    /// The platform's events, when this group declares them.
    pub events: Option<Events>,
}

/// The events a platform delivers: emitted as one `Event` enum with a variant per type and an
/// `Unknown` variant that keeps the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The member of an event's JSON naming its type.
    pub type_field: String,
    /// How the platform delivers them.
    pub deliveries: Vec<crate::spec::Delivery>,
    /// Text for the enum's rustdoc.
    pub description: Option<String>,
    /// A transcription decision.
    pub note: Option<String>,
    /// The declared types, in spec order.
    pub types: Vec<Event>,
}

/// The value an event pushes for token requests.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedValue {
    /// The payload member's Rust name.
    pub rust_field: String,
    /// Whether the member is always present (not an `Option`).
    pub required: bool,
    /// The name the value is kept under (the issuers' request member).
    pub name: String,
}

/// One event type.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The event type on the wire.
    pub value: String,
    /// The Rust variant name (UpperCamelCase).
    pub variant: String,
    /// The payload's type: a model of the platform.
    pub payload: Type,
    /// The document's title for it.
    pub summary: String,
    /// Text for the variant's rustdoc.
    pub description: Option<String>,
    /// The page it is transcribed from.
    pub doc: Option<String>,
    /// The deliveries that carry it.
    pub deliveries: Vec<crate::spec::Delivery>,
    /// The payload member it pushes for token requests and the name it is kept under.
    pub pushes: Option<PushedValue>,
    /// A transcription decision.
    pub note: Option<String>,
}

/// A string or integer enum with an unknown-value fallback.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Rust type name.
    pub name: String,
    /// Whether the values are strings or integers.
    pub kind: EnumType,
    /// The document's description.
    pub description: Option<String>,
    /// A transcription decision.
    pub note: Option<String>,
    /// The documented values, in spec order.
    pub values: Vec<EnumValue>,
}

/// One documented value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: CodeValue,
    /// The Rust variant name (UpperCamelCase).
    pub variant: String,
    /// The document's meaning of the value.
    pub description: Option<String>,
}

/// An object whose shape depends on a string tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Rust type name.
    pub name: String,
    /// The document's description.
    pub description: Option<String>,
    /// A transcription decision.
    pub note: Option<String>,
    /// Wire name of the tag field.
    pub tag: String,
    /// Wire name of the content field; `None` when variant fields sit beside the tag.
    pub content: Option<String>,
    /// The documented variants, in spec order.
    pub variants: Vec<Variant>,
    /// Appears in a request (or in no operation at all): implements `Serialize`.
    pub sent: bool,
    /// Appears in a response: implements `Deserialize` (else only with the generated crate's
    /// `deserialize-requests` feature).
    pub received: bool,
    /// Whether `validate()` has anything to check in some variant.
    pub has_limits: bool,
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The tag value on the wire.
    pub value: String,
    /// The Rust variant name (UpperCamelCase).
    pub variant: String,
    /// The variant's type.
    pub ty: Type,
    /// The document's description.
    pub description: Option<String>,
    /// `false` when the document marks the variant as not supported yet.
    pub supported: bool,
    /// A transcription decision.
    pub note: Option<String>,
}

/// An endpoint the documents list without documenting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undocumented {
    /// The navigation section.
    pub section: String,
    /// The title in the navigation.
    pub title: String,
    /// The HTTP method, when shown.
    pub method: Option<String>,
}

/// HTTP methods the specs may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl HttpMethod {
    /// The method as written on the wire (`GET`).
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
    /// Rust name of the method on the group client.
    pub method_name: String,
    /// The constant of the documented example response in the group's `examples` module
    /// (`LIST_IDS`).
    pub example_const: String,
    /// Rust name of the request type (`ListIdsRequest`).
    pub request_type: String,
    /// Rust name of the response type (`ListIdsResponse`).
    pub response_type: String,
    /// The document's title for the endpoint.
    pub summary: String,
    /// Text for the method's rustdoc.
    pub description: Option<String>,
    /// Title of the platform page the document links to.
    pub doc: Option<String>,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// Index into `Platform::bases`.
    pub base: usize,
    /// The path below the base URL, split into literals and parameters.
    pub path: Vec<PathSegment>,
    /// Whether the call carries the access token.
    pub auth: bool,
    /// Request parameters: path, query, header, then body, each in spec order.
    pub params: Vec<Param>,
    /// Response members, without the envelope's code and message.
    pub response: Vec<Field>,
    /// The envelope message of the document's example response (the `example` of the
    /// base's message field in the spec's `response`); `None` when the document shows none
    /// or the base has no body envelope.
    pub success_message: Option<Value>,
    /// A transcription decision reviewers should know about.
    pub note: Option<String>,
    /// How settled the endpoint is.
    pub stability: Stability,
    /// Whether the request may be sent twice.
    pub idempotent: bool,
    /// How the operation pages through a listing, if it does.
    pub pagination: Option<Pagination>,
    /// Whether `validate()` has anything to check (a limit here or in a nested model).
    pub has_limits: bool,
    /// Whether this operation issues the platform's access tokens.
    pub issues_token: bool,
    /// Whether a request or response of this operation holds a secret (a token it issues, a
    /// `secret` field): error reports then never quote its bodies.
    pub holds_secrets: bool,
    /// The envelope's code member, which every response of a body-code base carries and the
    /// response type keeps as a hidden `envelope_code`; `None` on HTTP-status bases.
    pub envelope_code: Option<String>,
    /// How the request body is encoded.
    pub encoding: BodyEncoding,
    /// Index into `Platform::signatures` of the signature the calls carry.
    pub signing: Option<usize>,
    /// Index into `Platform::credentials` of the token the call carries (`None` without auth).
    pub credential: Option<usize>,
    /// The call budget: the operation's own, or its base's.
    pub rate_limit: Option<RateLimit>,
    /// What the Rust response type is.
    pub response_shape: ResponseShape,
}

/// What an operation's Rust response type is.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseShape {
    /// The generated `<Operation>Response` struct of the `response` members.
    Struct,
    /// What the envelope's payload member holds (its type); the `response` list keeps only
    /// that member. `None` when the document lists no payload: an empty response struct.
    Payload(Option<Type>),
    /// A file: the method returns the runtime's download.
    File,
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

/// How a paginated operation moves from page to page, with every path resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The group client's method that streams every item (`list_stream`).
    pub stream_method: String,
    /// The group client's method that streams every page with its resume point
    /// (`list_pages`).
    pub pages_method: String,
    /// The style.
    pub style: PaginationStyle,
    /// The request parameter that selects the page.
    pub request: FieldPath,
    /// The response list of items.
    pub items: FieldPath,
    /// The type of one item.
    pub item_type: Type,
    /// The response member with the next cursor or offset.
    pub next: Option<FieldPath>,
    /// The response flag that is false on the last page.
    pub has_more: Option<FieldPath>,
    /// The request parameter with the page size.
    pub size: Option<FieldPath>,
    /// The response member with the number of pages.
    pub total_page: Option<FieldPath>,
    /// The response member with the number of items in the whole listing.
    pub total_count: Option<FieldPath>,
}

impl Pagination {
    /// The response paths read from what the payload member holds rather than from the whole
    /// body: their first step (the payload member) dropped.
    pub fn below_payload(mut self) -> Self {
        for path in [
            Some(&mut self.items),
            self.next.as_mut(),
            self.has_more.as_mut(),
            self.total_page.as_mut(),
            self.total_count.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if !path.steps.is_empty() {
                path.steps.remove(0);
            }
        }
        self
    }
}

/// A resolved dotted path through fields: each step's Rust name and whether it is required.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// The steps from the request or response root.
    pub steps: Vec<PathStep>,
    /// The type at the end of the path.
    pub ty: Type,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The field's name on the wire.
    pub wire_name: String,
    /// The field's Rust name.
    pub rust_name: String,
    /// Whether the field is always present (not an `Option`).
    pub required: bool,
}

/// A piece of an operation path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text used as written.
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{placeholder}` in the path.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A top-level member of the body (JSON member, form field or multipart part).
    Body,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Where the parameter travels.
    pub location: ParamLocation,
    /// The parameter's name, type and documentation.
    pub field: Field,
}

/// A named object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Rust type name, as written in the spec (UpperCamelCase).
    pub name: String,
    /// The document's name for the type, when the spec chose another.
    pub doc_name: Option<String>,
    /// Text for the type's rustdoc.
    pub description: Option<String>,
    /// A transcription decision reviewers should know about.
    pub note: Option<String>,
    /// Members, in spec order.
    pub fields: Vec<Field>,
    /// Appears in a request: derives `Serialize`, gets a constructor and setters.
    pub sent: bool,
    /// Appears in a response: derives `Deserialize`.
    pub received: bool,
    /// Whether `validate()` has anything to check.
    pub has_limits: bool,
    /// The wire name of the one list member that a bare list fills, when a field reads this
    /// model with `lenient: object_or_list`.
    pub list_member: Option<String>,
}

/// A member of an object or a parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire, exactly as the server spells it (`deptList`).
    pub wire_name: String,
    /// Rust name derived from the wire name (`dept_list`).
    pub rust_name: String,
    /// The setter of an optional request field.
    pub setter_name: String,
    /// The resolved type.
    pub ty: Type,
    /// Request side: a constructor argument; response side: not an `Option`.
    pub required: bool,
    /// Text for the rustdoc.
    pub description: Option<String>,
    /// The document's example.
    pub example: Option<Value>,
    /// The server's default.
    pub default: Option<Value>,
    /// The type as the document writes it, when the spec chose another.
    pub doc_type: Option<String>,
    /// Why the spec differs from the document, or what the server really does.
    pub note: Option<String>,
    /// Checks for `validate()`; empty when there are none.
    pub limits: Limits,
    /// `null` is a meaningful value, distinct from an absent field.
    pub nullable: bool,
    /// How to accept what the server sends when it differs from the documented type.
    pub lenient: Option<Lenient>,
    /// The field's members sit beside its siblings (a flattened union).
    pub flatten: bool,
    /// An optional query or header parameter sent with its default when unset.
    pub send_default: bool,
}

/// Constraints checked before a request is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Smallest allowed number.
    pub min: Option<i64>,
    /// Largest allowed number.
    pub max: Option<i64>,
    /// Fewest characters a string may have.
    pub min_length: Option<u64>,
    /// Most characters a string may have.
    pub max_length: Option<u64>,
    /// Fewest items a list may have.
    pub min_items: Option<u64>,
    /// Most items a list may have.
    pub max_items: Option<u64>,
    /// How far the value may be from a sibling's.
    pub max_apart: Option<MaxApart>,
    /// A regular expression a string must match.
    pub pattern: Option<String>,
}

/// A limit on the difference between a field and a sibling of the same type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxApart {
    /// The sibling's wire name.
    pub from: String,
    /// The sibling's Rust name.
    pub from_rust: String,
    /// Whether the sibling is always present (not an `Option`).
    pub from_required: bool,
    /// The type of both fields.
    pub ty: Type,
    /// The largest difference allowed, either way, in the fields' unit.
    pub max: u64,
}

impl CodeValue {
    /// The code as the value the server sends.
    pub fn to_value(&self) -> Value {
        match self {
            CodeValue::Integer(n) => Value::Number(Number::Integer(*n)),
            CodeValue::String(s) => Value::String(s.clone()),
        }
    }
}

impl Limits {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    /// `string`: `String`.
    String,
    /// `boolean`: `bool`.
    Boolean,
    /// `int32`: `i32`.
    Int32,
    /// `int64`: `i64`.
    Int64,
    /// `float64`: `f64`.
    Float64,
    /// `timestamp_ms`: milliseconds since the Unix epoch, as an `i64`.
    TimestampMs,
    /// `datetime`: a local date-time string.
    DateTime,
    /// `secret`: a string never shown by `Debug` or `Display`.
    Secret,
    /// `json`: any JSON value.
    Json,
    /// `file`: a file part of a multipart body.
    File,
    /// `list<T>`: a JSON array.
    List(Box<Type>),
    /// `map<T>`: a JSON object with free keys.
    Map(Box<Type>),
    /// `csv<T>`: one string of comma-separated values.
    Csv(Box<Type>),
    /// A model of the platform.
    Model(TypeRef),
    /// An enum of the platform.
    Enum(TypeRef),
    /// A union of the platform.
    Union(TypeRef),
}

/// How [`Type::rust_spelling`] writes the types whose spelling depends on where it appears.
pub struct RustSpelling<'a> {
    /// The secret string type (`rt::Secret` in generated code).
    pub secret: &'a str,
    /// Arbitrary JSON.
    pub json: &'a str,
    /// A file part.
    pub file: &'a str,
    /// Milliseconds since the Unix epoch.
    pub millis: &'a str,
    /// The map type, before `<String, V>`.
    pub map: &'a str,
    /// A model, enum or union.
    pub named: &'a dyn Fn(&TypeRef) -> String,
}

impl Type {
    /// The type as Rust writes it (`Vec<String>`), with the spellings of `how`: for generated
    /// code written as text, and for diff reports.
    pub fn rust_spelling(&self, how: &RustSpelling<'_>) -> String {
        match self {
            Type::String | Type::DateTime => "String".to_owned(),
            Type::Boolean => "bool".to_owned(),
            Type::Int32 => "i32".to_owned(),
            Type::Int64 => "i64".to_owned(),
            Type::TimestampMs => how.millis.to_owned(),
            Type::Float64 => "f64".to_owned(),
            Type::Secret => how.secret.to_owned(),
            Type::Json => how.json.to_owned(),
            Type::File => how.file.to_owned(),
            Type::List(inner) | Type::Csv(inner) => format!("Vec<{}>", inner.rust_spelling(how)),
            Type::Map(inner) => format!("{}<String, {}>", how.map, inner.rust_spelling(how)),
            Type::Model(r) | Type::Enum(r) | Type::Union(r) => (how.named)(r),
        }
    }

    /// Whether a value of this type is or holds a `secret` directly (in a list, map or
    /// comma-separated list; a model's secret members are the model's own business).
    pub fn contains_secret(&self) -> bool {
        match self {
            Type::Secret => true,
            Type::List(inner) | Type::Map(inner) | Type::Csv(inner) => inner.contains_secret(),
            _ => false,
        }
    }

    /// The type as a spec writes it (`list<PageVo>`), for docs and diff reports.
    pub fn spec_expression(&self) -> String {
        match self {
            Type::String => "string".to_owned(),
            Type::Boolean => "boolean".to_owned(),
            Type::Int32 => "int32".to_owned(),
            Type::Int64 => "int64".to_owned(),
            Type::Float64 => "float64".to_owned(),
            Type::TimestampMs => "timestamp_ms".to_owned(),
            Type::DateTime => "datetime".to_owned(),
            Type::Secret => "secret".to_owned(),
            Type::Json => "json".to_owned(),
            Type::File => "file".to_owned(),
            Type::List(inner) => format!("list<{}>", inner.spec_expression()),
            Type::Map(inner) => format!("map<{}>", inner.spec_expression()),
            Type::Csv(inner) => format!("csv<{}>", inner.spec_expression()),
            Type::Model(r) | Type::Enum(r) | Type::Union(r) => r.name.clone(),
        }
    }
}

/// A reference to a model, with the group module that defines it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeRef {
    /// Module of the group that defines the model.
    pub group: String,
    /// Rust type name of the model.
    pub name: String,
}
