//! One field of a request, response or model as the format's field table writes it, and fields
//! made from vocabulary terms.

use super::random::Rng;
use super::vocabulary::{Example, Limits, Term, TERMS};
use crate::yaml::{self, Node};

/// A field of a request, response or model, with the keys of the format's field table.
#[derive(Default)]
pub(super) struct Field {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) required: bool,
    pub(super) description: Option<String>,
    pub(super) example: Option<Node>,
    pub(super) default: Option<Node>,
    pub(super) doc_type: Option<&'static str>,
    pub(super) note: Option<String>,
    pub(super) limits: Vec<(&'static str, Node)>,
    pub(super) nullable: bool,
    pub(super) lenient: Option<&'static str>,
    pub(super) flatten: bool,
    pub(super) send_default: bool,
}

impl Field {
    pub(super) fn new(name: impl Into<String>, ty: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ty: ty.into(),
            ..Self::default()
        }
    }

    pub(super) fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub(super) fn described(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(super) fn example(mut self, example: Node) -> Self {
        self.example = Some(example);
        self
    }

    pub(super) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub(super) fn limit(mut self, key: &'static str, value: i64) -> Self {
        self.limits.push((key, yaml::int(value)));
        self
    }

    pub(super) fn doc_type(mut self, doc_type: &'static str) -> Self {
        self.doc_type = Some(doc_type);
        self
    }

    pub(super) fn lenient(mut self, kind: &'static str) -> Self {
        self.lenient = Some(kind);
        self
    }

    /// Short fields go on one line like `{ name: id, type: int64 }`, documented ones are
    /// blocks, as in the hand-written specs.
    fn into_node(self) -> Node {
        let block = self.description.is_some() || self.note.is_some();
        let mut entries = vec![
            ("name", yaml::string(&self.name)),
            ("type", yaml::string(&self.ty)),
        ];
        let flags = [
            ("required", self.required),
            ("nullable", self.nullable),
            ("flatten", self.flatten),
            ("send_default", self.send_default),
        ];
        entries.extend(
            flags
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(key, _)| (key, yaml::boolean(true))),
        );
        let optional = [
            ("description", self.description.map(|d| yaml::string(&d))),
            ("example", self.example),
            ("default", self.default),
            ("doc_type", self.doc_type.map(yaml::string)),
            ("note", self.note.map(|n| yaml::string(&n))),
            ("lenient", self.lenient.map(yaml::string)),
        ];
        entries.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        if !self.limits.is_empty() {
            entries.push(("limits", Node::Flow(self.limits)));
        }
        if block {
            Node::Map(entries)
        } else {
            Node::Flow(entries)
        }
    }
}

pub(super) fn nodes(fields: Vec<Field>) -> Node {
    Node::Seq(fields.into_iter().map(Field::into_node).collect())
}

/// The wire name of a snake_case member on a base that writes camelCase (`dept_id` ->
/// `deptId`), as `api.dingtalk.com` does.
pub(super) fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn example_node(example: Example) -> Option<Node> {
    Some(match example {
        Example::None => return None,
        Example::Str(s) => yaml::string(s),
        Example::Int(i) => yaml::int(i),
        Example::Bool(b) => yaml::boolean(b),
        Example::Float(f) => yaml::float(f),
        Example::Strs(items) => Node::FlowSeq(items.iter().map(|s| yaml::string(s)).collect()),
        Example::Ints(items) => Node::FlowSeq(items.iter().map(|i| yaml::int(*i)).collect()),
        Example::Object(members) => Node::Flow(
            members
                .iter()
                .map(|(key, value)| (*key, yaml::string(value)))
                .collect(),
        ),
    })
}

fn limits_of(limits: Limits) -> Vec<(&'static str, Node)> {
    let (low, high, keys) = match limits {
        Limits::None => return Vec::new(),
        Limits::Length(low, high) => (low, high, ("min_length", "max_length")),
        Limits::Range(low, high) => (low, high, ("min", "max")),
        Limits::Items(low, high) => (low, high, ("min_items", "max_items")),
    };
    [(keys.0, low), (keys.1, high)]
        .into_iter()
        .filter_map(|(key, value)| Some((key, yaml::int(value?))))
        .collect()
}

/// Which way a field travels; the documents describe request members more fully than
/// response members, and only request members carry defaults.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Request,
    Response,
}

/// A field from a vocabulary term, documented the way transcribed specs are: most with a
/// description, required ones with an example, limits where the document gives them.
fn term_field(rng: &mut Rng, term: &Term, camel_case: bool, side: Side) -> Field {
    let name = if camel_case {
        camel(term.name)
    } else {
        term.name.to_owned()
    };
    let mut field = Field::new(name, term.ty);
    field.required = rng.chance(if side == Side::Request { 40 } else { 20 });
    if rng.chance(80) {
        field.description = Some(term.description.to_owned());
    }
    if field.required || rng.chance(60) {
        field.example = example_node(term.example);
    }
    if side == Side::Request && !field.required {
        field.default = example_node(term.default);
    }
    field.limits = limits_of(term.limits);
    if term.ty.starts_with("csv<") {
        field.doc_type = Some("String");
        field.note = Some("comma-separated values in one string".to_owned());
    }
    field
}

/// `k` distinct terms (of those `keep` accepts) as fields.
pub(super) fn term_fields(
    rng: &mut Rng,
    k: usize,
    camel_case: bool,
    side: Side,
    keep: fn(&Term) -> bool,
) -> Vec<Field> {
    let candidates: Vec<&Term> = TERMS.iter().filter(|t| keep(t)).collect();
    rng.sample(&candidates, k)
        .into_iter()
        .map(|term| term_field(rng, term, camel_case, side))
        .collect()
}

pub(super) fn any_term(_: &Term) -> bool {
    true
}

pub(super) fn scalar_term(term: &Term) -> bool {
    term.is_scalar()
}

/// Union tag+content bodies put `type` beside the other members, so it must not be one.
pub(super) fn not_type(term: &Term) -> bool {
    term.name != "type"
}
