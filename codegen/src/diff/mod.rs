//! What a spec change means for users of the generated crate: [`diff`] compares two resolved
//! APIs and classifies every difference as breaking or compatible; [`render_text`] and
//! [`render_markdown`] present the result (`cargo xtask diff`).
//!
//! # Verdict rules
//!
//! The verdicts follow the generated Rust API, not the wire: request types have
//! `new(required...)` plus a setter per optional field, every struct is `#[non_exhaustive]`,
//! enums and unions have an `Unknown` fallback, and response types are only deserialized.
//! A change is **breaking** when code that compiled and worked against the old crate may stop
//! compiling, or may start failing at run time for a request or response that worked before.
//!
//! | what | breaking | compatible |
//! |---|---|---|
//! | platform, group, operation, base constant, model, enum, union | removed | added |
//! | request parameter, or field of a model sent in requests | added required (`new()` changes), removed | added optional (a new setter) |
//! | response member, or field of a model only received | removed | added (required or not) |
//! | type | the Rust type changes | only the spec type changes (`int64` and `timestamp_ms`, `list` and `csv`): a wire change |
//! | required, nullable | any change (a constructor argument or an `Option` layer changes) | |
//! | limit of a sent field | added or tightened (requests valid before are rejected by `validate()`) | removed or loosened |
//! | limit of a field only received | | any change (responses are not checked) |
//! | lenient decoding of a received field | removed or changed (responses that decoded before may fail) | added |
//! | lenient decoding of a field only sent | | any change |
//! | enum value, union variant | removed, or its Rust variant renamed | added |
//! | enum value type (string and integer) | any change | |
//! | union variant type | the Rust type changes | only the spec type changes |
//! | auth | `false` -> `true` (the call now needs a token) | `true` -> `false` |
//! | pagination | removed (the `_stream` method goes), item type changed | added, or pages differently |
//! | model, enum or union moved to another group | always (its Rust path changes) | |
//! | model or union sent in requests | no longer (constructor, setters or `Serialize` go) | newly |
//! | token operation | removed or moved (the `TokenRequest` impl moves) | added; token fields changed |
//! | path, HTTP method, base of an operation; parameter location; flatten; send_default; union tag and content fields; base URL, token placement, envelope, error codes | | any change: a wire change with the same Rust API |
//! | default, description, summary, example, note, documented type, title, sources, stability, idempotent, union variant `supported`, undocumented endpoints | | any change |
//!
//! A renamed model is a removal and an addition, and every field that refers to it changes
//! type. Members are matched by wire name, operations by group and id, everything else by
//! name, so a rename is always a removal plus an addition.

mod fields;
mod operations;
mod platform;
mod render;
mod types;

use std::collections::BTreeMap;
use std::fmt;

use crate::ir;

pub use render::{render_markdown, render_text, RenderError};

/// Every difference between two versions of the specs, per platform and subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecDiff {
    /// Platforms with at least one change, by module name.
    pub platforms: Vec<PlatformDiff>,
}

impl SpecDiff {
    /// Every change with its platform and subject, in report order.
    pub fn changes(&self) -> impl Iterator<Item = (&str, &Subject, &Change)> + '_ {
        self.platforms.iter().flat_map(|p| {
            p.subjects.iter().flat_map(move |s| {
                s.changes
                    .iter()
                    .map(move |c| (p.platform.as_str(), &s.subject, c))
            })
        })
    }

    /// How many changes break users of the generated crate.
    pub fn breaking_count(&self) -> usize {
        self.changes()
            .filter(|(_, _, c)| c.verdict == Verdict::Breaking)
            .count()
    }

    /// How many changes users of the generated crate need not act on.
    pub fn compatible_count(&self) -> usize {
        self.changes()
            .filter(|(_, _, c)| c.verdict == Verdict::Compatible)
            .count()
    }

    /// Whether the two versions are the same as far as the generated crate is concerned.
    pub fn is_empty(&self) -> bool {
        self.platforms.is_empty()
    }
}

/// The changes of one platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformDiff {
    /// Module name of the platform (`dingtalk`).
    pub platform: String,
    /// Subjects with at least one change, in [`Subject`] order.
    pub subjects: Vec<SubjectDiff>,
}

/// The changes of one operation, model or other named part of a platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectDiff {
    /// What changed.
    pub subject: Subject,
    /// The changes, ordered by target and aspect.
    pub changes: Vec<Change>,
}

/// A named part of a platform. The order of the variants is the order of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// The platform itself: its module, token operation and documentation.
    Platform,
    /// A base URL, by spec id.
    Base(String),
    /// An API group, by module name.
    Group(String),
    /// An operation, by group module and spec id.
    Operation {
        /// The group module.
        group: String,
        /// The operation's spec id.
        id: String,
    },
    /// A model, by name.
    Model(String),
    /// An enum, by name.
    Enum(String),
    /// A union, by name.
    Union(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Platform => f.write_str("platform"),
            Subject::Base(id) => write!(f, "base `{id}`"),
            Subject::Group(module) => write!(f, "group `{module}`"),
            Subject::Operation { group, id } => write!(f, "operation `{group}.{id}`"),
            Subject::Model(name) => write!(f, "model `{name}`"),
            Subject::Enum(name) => write!(f, "enum `{name}`"),
            Subject::Union(name) => write!(f, "union `{name}`"),
        }
    }
}

/// The part of a subject a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The subject itself.
    Itself,
    /// A request parameter of an operation, by wire name.
    Request(String),
    /// A response member of an operation, by wire name.
    Response(String),
    /// A field of a model, by wire name.
    Field(String),
    /// A value of an enum, as written on the wire.
    Value(String),
    /// A variant of a union, by tag value.
    Variant(String),
    /// An error code of a base.
    ErrorCode(String),
    /// A sub code of a base.
    SubCode(String),
    /// An endpoint the documents list without documenting it, as `section / title`.
    Undocumented(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Itself => Ok(()),
            Target::Request(name) => write!(f, "request `{name}`"),
            Target::Response(name) => write!(f, "response `{name}`"),
            Target::Field(name) => write!(f, "field `{name}`"),
            Target::Value(value) => write!(f, "value `{value}`"),
            Target::Variant(tag) => write!(f, "variant `{tag}`"),
            Target::ErrorCode(code) => write!(f, "error code `{code}`"),
            Target::SubCode(code) => write!(f, "sub code `{code}`"),
            Target::Undocumented(entry) => write!(f, "undocumented endpoint `{entry}`"),
        }
    }
}

/// Which property of a target changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Aspect {
    /// The target itself was added or removed.
    Presence,
    /// A field's type.
    Type,
    /// Whether a field is required.
    Required,
    /// Whether `null` is a meaningful value.
    Nullable,
    /// One of a field's limits.
    Limit(Limit),
    /// A field's default.
    Default,
    /// A field's lenient decoding.
    Lenient,
    /// Whether a field is flattened.
    Flatten,
    /// Whether an optional parameter is sent with its default.
    SendDefault,
    /// Where a request parameter travels (path, query, header, body).
    Location,
    /// An operation's HTTP method.
    Method,
    /// An operation's path.
    Path,
    /// The base an operation calls.
    Base,
    /// Whether an operation carries the access token.
    Auth,
    /// How an operation pages through a listing.
    Pagination,
    /// How settled an operation is.
    Stability,
    /// Whether an operation may be retried.
    Idempotent,
    /// How an operation's request body is encoded.
    Encoding,
    /// The signature an operation's calls carry.
    Signing,
    /// The call budget an operation's calls keep to.
    RateLimit,
    /// What an operation's method returns: a struct, a wrapped payload or a file.
    ResponseShape,
    /// The Rust variant name of an enum value or union variant.
    VariantName,
    /// Whether an enum's values are strings or integers.
    ValueType,
    /// A union's tag field.
    Tag,
    /// A union's content field.
    Content,
    /// Whether a union variant is supported by the server.
    Supported,
    /// The group module that defines a model, enum or union.
    DefiningGroup,
    /// Whether a model or union is sent in requests.
    Sent,
    /// A base's URL.
    Url,
    /// Where a base's calls carry the token.
    TokenPlacement,
    /// How a base's responses signal success and failure.
    Envelope,
    /// What an error code means to the runtime.
    Meaning,
    /// The operation that issues tokens.
    TokenOperation,
    /// The response fields the token and its lifetime are read from.
    TokenFields,
    /// Documentation only.
    Doc(Doc),
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Aspect::Presence => "presence",
            Aspect::Type => "type",
            Aspect::Required => "required",
            Aspect::Nullable => "nullable",
            Aspect::Limit(limit) => return write!(f, "limit `{}`", limit.key()),
            Aspect::Default => "default",
            Aspect::Lenient => "lenient decoding",
            Aspect::Flatten => "flatten",
            Aspect::SendDefault => "send_default",
            Aspect::Location => "location",
            Aspect::Method => "HTTP method",
            Aspect::Path => "path",
            Aspect::Base => "base",
            Aspect::Auth => "auth",
            Aspect::Pagination => "pagination",
            Aspect::Stability => "stability",
            Aspect::Idempotent => "idempotent",
            Aspect::Encoding => "body encoding",
            Aspect::Signing => "signing",
            Aspect::RateLimit => "rate limit",
            Aspect::ResponseShape => "response shape",
            Aspect::VariantName => "Rust variant name",
            Aspect::ValueType => "value type",
            Aspect::Tag => "tag field",
            Aspect::Content => "content field",
            Aspect::Supported => "supported",
            Aspect::DefiningGroup => "defining group",
            Aspect::Sent => "sent in requests",
            Aspect::Url => "URL",
            Aspect::TokenPlacement => "token placement",
            Aspect::Envelope => "envelope",
            Aspect::Meaning => "meaning",
            Aspect::TokenOperation => "token operation",
            Aspect::TokenFields => "token fields",
            Aspect::Doc(doc) => doc.key(),
        };
        f.write_str(label)
    }
}

/// A limit of a field, as the spec names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limit {
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `min_length`.
    MinLength,
    /// `max_length`.
    MaxLength,
    /// `min_items`.
    MinItems,
    /// `max_items`.
    MaxItems,
    /// `max_apart` (the distance from a sibling field).
    MaxApart,
    /// `pattern`.
    Pattern,
}

impl Limit {
    /// The spec key (`max_length`).
    pub fn key(self) -> &'static str {
        match self {
            Limit::Min => "min",
            Limit::Max => "max",
            Limit::MinLength => "min_length",
            Limit::MaxLength => "max_length",
            Limit::MinItems => "min_items",
            Limit::MaxItems => "max_items",
            Limit::MaxApart => "max_apart",
            Limit::Pattern => "pattern",
        }
    }

    /// Whether the limit is a lower bound, which a larger value tightens.
    pub fn is_lower_bound(self) -> bool {
        matches!(self, Limit::Min | Limit::MinLength | Limit::MinItems)
    }
}

/// A documentation-only property, as the spec names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Doc {
    /// `title`.
    Title,
    /// `summary`.
    Summary,
    /// `description`.
    Description,
    /// `example`.
    Example,
    /// `note`.
    Note,
    /// `doc_type`.
    DocType,
    /// `doc`: the document page.
    DocPage,
    /// `doc_name`.
    DocName,
    /// `sources`.
    Sources,
}

impl Doc {
    /// The spec key (`doc_type`).
    pub fn key(self) -> &'static str {
        match self {
            Doc::Title => "title",
            Doc::Summary => "summary",
            Doc::Description => "description",
            Doc::Example => "example",
            Doc::Note => "note",
            Doc::DocType => "doc_type",
            Doc::DocPage => "doc",
            Doc::DocName => "doc_name",
            Doc::Sources => "sources",
        }
    }
}

/// How a property changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// It exists now and did not before.
    Added,
    /// It existed before and does not now.
    Removed,
    /// Its value differs.
    Changed,
    /// A limit allows less than before.
    Tightened,
    /// A limit allows more than before.
    Loosened,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Tightened => "tightened",
            ChangeKind::Loosened => "loosened",
        })
    }
}

/// Whether users of the generated crate must act on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Code written against the old crate keeps compiling and working.
    Compatible,
    /// Code written against the old crate may stop compiling, or fail where it worked.
    Breaking,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "BREAKING",
        })
    }
}

/// One difference, with its verdict and the reason for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The part of the subject that changed.
    pub target: Target,
    /// The property that changed.
    pub aspect: Aspect,
    /// How it changed.
    pub kind: ChangeKind,
    /// The old value, ready to show (code in backticks); `None` when absent or not worth
    /// showing (prose, which the spec diff shows better).
    pub old: Option<String>,
    /// The new value, like `old`.
    pub new: Option<String>,
    /// Whether users must act on it.
    pub verdict: Verdict,
    /// Why, for users of the generated crate.
    pub reason: String,
}

impl Change {
    /// A change of `aspect` of `target`.
    fn new(target: &Target, aspect: Aspect, kind: ChangeKind) -> Self {
        Change {
            target: target.clone(),
            aspect,
            kind,
            old: None,
            new: None,
            verdict: Verdict::Compatible,
            reason: String::new(),
        }
    }

    /// The target itself was added.
    fn added(target: &Target, shown: impl Into<String>) -> Self {
        Change::new(target, Aspect::Presence, ChangeKind::Added).values(None, Some(shown.into()))
    }

    /// The target itself was removed.
    fn removed(target: &Target, shown: impl Into<String>) -> Self {
        Change::new(target, Aspect::Presence, ChangeKind::Removed).values(Some(shown.into()), None)
    }

    /// A value changed from `old` to `new`.
    fn changed(
        target: &Target,
        aspect: Aspect,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Self {
        Change::new(target, aspect, ChangeKind::Changed).values(Some(old.into()), Some(new.into()))
    }

    fn values(mut self, old: Option<String>, new: Option<String>) -> Self {
        self.old = old;
        self.new = new;
        self
    }

    fn breaking(mut self, reason: impl Into<String>) -> Self {
        self.verdict = Verdict::Breaking;
        self.reason = reason.into();
        self
    }

    fn compatible(mut self, reason: impl Into<String>) -> Self {
        self.verdict = Verdict::Compatible;
        self.reason = reason.into();
        self
    }

    /// Breaking with the first reason when `is_breaking`, else compatible with the second.
    fn breaking_if(self, is_breaking: bool, breaking: &str, compatible: &str) -> Self {
        if is_breaking {
            self.breaking(breaking)
        } else {
            self.compatible(compatible)
        }
    }

    /// What happened, without the target: `added`, `limit `max` tightened`.
    pub fn headline(&self) -> String {
        match self.aspect {
            Aspect::Presence => self.kind.to_string(),
            aspect => format!("{aspect} {}", self.kind),
        }
    }
}

/// Compares two versions of the specs. Pure and deterministic: the result depends only on
/// the two APIs, and everything in it is sorted.
pub fn diff(old: &ir::Api, new: &ir::Api) -> SpecDiff {
    let platforms = pair_by_key(&old.platforms, &new.platforms, |p| p.module.clone())
        .into_iter()
        .filter_map(|(module, pair)| {
            let subjects = match pair {
                Pair::Both(old, new) => platform::diff_platform(old, new),
                Pair::Added(new) => platform::platform_added(new),
                Pair::Removed(old) => platform::platform_removed(old),
            };
            (!subjects.is_empty()).then_some(PlatformDiff {
                platform: module,
                subjects,
            })
        })
        .collect();
    SpecDiff { platforms }
}

/// An item of the old version, the new version, or both, matched by key.
enum Pair<'a, T> {
    Both(&'a T, &'a T),
    Added(&'a T),
    Removed(&'a T),
}

/// Matches the items of two versions by key, in key order. Keys are unique within a version
/// (validation guarantees it), so nothing is lost.
fn pair_by_key<'a, T: 'a, K: Ord>(
    old: impl IntoIterator<Item = &'a T>,
    new: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> K,
) -> Vec<(K, Pair<'a, T>)> {
    let mut sides: BTreeMap<K, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for item in old {
        sides.entry(key(item)).or_default().0 = Some(item);
    }
    for item in new {
        sides.entry(key(item)).or_default().1 = Some(item);
    }
    sides
        .into_iter()
        .filter_map(|(key, sides)| {
            let pair = match sides {
                (Some(old), Some(new)) => Pair::Both(old, new),
                (None, Some(new)) => Pair::Added(new),
                (Some(old), None) => Pair::Removed(old),
                (None, None) => return None,
            };
            Some((key, pair))
        })
        .collect()
}

/// Collects changes per subject and hands them out in report order.
#[derive(Default)]
struct Subjects(BTreeMap<Subject, Vec<Change>>);

impl Subjects {
    fn push(&mut self, subject: Subject, change: Change) {
        self.0.entry(subject).or_default().push(change);
    }

    fn extend(&mut self, subject: Subject, changes: Vec<Change>) {
        if !changes.is_empty() {
            self.0.entry(subject).or_default().extend(changes);
        }
    }

    fn finish(self) -> Vec<SubjectDiff> {
        self.0
            .into_iter()
            .map(|(subject, mut changes)| {
                // A stable sort keeps the order in which one target's changes were found
                // when two have the same aspect and kind.
                changes.sort_by(|a, b| {
                    (&a.target, a.aspect, a.kind).cmp(&(&b.target, b.aspect, b.kind))
                });
                SubjectDiff { subject, changes }
            })
            .collect()
    }
}

/// A documentation change of `target`, if the text differs. The values are left out: prose
/// reads better in the spec diff itself.
fn doc_change(target: &Target, doc: Doc, old: Option<&str>, new: Option<&str>) -> Option<Change> {
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(old), Some(new)) if old != new => ChangeKind::Changed,
        _ => return None,
    };
    Some(Change::new(target, Aspect::Doc(doc), kind).compatible("documentation only"))
}

/// `text` in backticks.
fn code(text: impl fmt::Display) -> String {
    format!("`{text}`")
}
