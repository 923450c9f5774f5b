//! A draft as a group file: operations on the platform's bases, object members rebuilt as
//! models, listed values as enums, every guess in a `note:`, and each field marked with the
//! page line it came from (`# page line N`), so that a validation error points at the page.

use std::collections::{BTreeMap, BTreeSet};

use codegen::spec;

use super::{Draft, DraftField, DraftOperation, ParamLocation};
use crate::yaml::{self, Node};

/// The service a draft is written for: its bases (id, URL, token parameter).
pub struct Service<'a> {
    /// The platform's `service.yaml`, parsed.
    pub spec: &'a spec::ServiceFile,
}

impl Service<'_> {
    /// The base whose URL the page's URL starts with (the longest; the first declared among
    /// bases with the same URL), and the path below it; a path without a host goes to the
    /// first base, with a note.
    fn base_of(&self, url: &str) -> (String, String, Option<String>) {
        let found = self
            .spec
            .bases
            .iter()
            .filter_map(|base| {
                let rest = url.strip_prefix(base.url.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((base, rest))
            })
            // `max_by_key` keeps the last of equals; the first declared base is the default.
            .fold(
                None,
                |best: Option<(&spec::Base, &str)>, (base, rest)| match best {
                    Some((kept, _)) if kept.url.len() >= base.url.len() => best,
                    _ => Some((base, rest)),
                },
            );
        let path = |p: &str| {
            let p = p.split(['?', '#']).next().unwrap_or_default();
            if p.is_empty() {
                "/".to_owned()
            } else {
                p.to_owned()
            }
        };
        match found {
            Some((base, rest)) => (base.id.clone(), path(rest), None),
            None => {
                let first = self
                    .spec
                    .bases
                    .first()
                    .map_or_else(String::new, |b| b.id.clone());
                let without_host = url
                    .split_once("://")
                    .map_or(url, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
                let note =
                    format!("the page's URL `{url}` matches no base's URL; placed on `{first}`");
                (first, path(without_host), Some(note))
            }
        }
    }

    /// The token parameter of `base`, which the base adds and the spec leaves out.
    fn auth_name(&self, base: &str) -> Option<&str> {
        let base = self.spec.bases.iter().find(|b| b.id == base)?;
        match base.auth.location {
            spec::AuthLocation::None => None,
            _ => base.auth.name.as_deref(),
        }
    }
}

/// What writing a draft made besides the text.
pub struct Written {
    /// The group file.
    pub text: String,
    /// Draft YAML line -> page line, for mapping validation errors back to the page.
    pub page_lines: BTreeMap<usize, usize>,
}

/// Writes the draft as the group `group` (titled `title`) of `service`.
pub fn group_file(draft: &Draft, group: &str, title: &str, service: &Service<'_>) -> Written {
    let mut types = Types::default();
    let mut used_ids = BTreeSet::new();
    let operations: Vec<Node> = draft
        .operations
        .iter()
        .map(|op| operation(op, service, &mut types, &mut used_ids))
        .collect();
    for model in &draft.models {
        let name = types.model_name(&model.name, &model.name);
        let fields = model.fields.iter().map(|f| field(f, &mut types)).collect();
        types
            .models
            .push((name, model.description.clone(), fields, model.line));
    }
    let events: Vec<Node> = draft
        .events
        .iter()
        .map(|event| {
            let name = types.model_name("", &format!("{}_event", event.value));
            let fields = event.fields.iter().map(|f| field(f, &mut types)).collect();
            types.models.push((name.clone(), None, fields, event.line));
            let variant = identifier(&event.value);
            let mut entries = vec![
                ("value", yaml::string(&event.value)),
                ("name", yaml::string(&variant)),
                ("payload", yaml::string(&name)),
                ("summary", yaml::string(&event.summary)),
            ];
            entries.extend(
                event
                    .description
                    .as_ref()
                    .map(|d| ("description", yaml::string(d))),
            );
            entries.push((
                "doc",
                yaml::string(&format!("{} - 钉钉开放平台", event.summary)),
            ));
            let deliveries = event.deliveries.iter().map(|d| yaml::string(d)).collect();
            entries.push(("deliveries", Node::Seq(deliveries)));
            if !event.notes.is_empty() {
                entries.push(("note", yaml::string(&event.notes.join("; "))));
            }
            Node::Commented(Box::new(Node::Map(entries)), page_line(event.line))
        })
        .collect();
    let comment = format!(
        "Drafted by `cargo xtask import` ({} layout): review every field and note before use.",
        draft.layout
    );
    let mut entries: Vec<(&'static str, Node)> = vec![
        ("group", yaml::string(group)),
        ("title", yaml::string(title)),
        ("operations", Node::Spaced(operations)),
    ];
    if !events.is_empty() {
        // Every delivery an event names, for the platform's list.
        let mut all: Vec<&str> = draft
            .events
            .iter()
            .flat_map(|e| e.deliveries.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        entries.push((
            "events",
            Node::Map(vec![
                ("type_field", yaml::string("EventType")),
                (
                    "deliveries",
                    Node::Seq(all.into_iter().map(yaml::string).collect()),
                ),
                ("types", Node::Spaced(events)),
            ]),
        ));
    }
    if !types.models.is_empty() {
        let models = types
            .models
            .into_iter()
            .map(|(name, description, fields, line)| {
                let mut entries = vec![("name", yaml::string(&name))];
                entries.extend(description.map(|d| ("description", yaml::string(&d))));
                entries.push(("fields", Node::Seq(fields)));
                Node::Commented(Box::new(Node::Map(entries)), page_line(line))
            })
            .collect();
        entries.push(("models", Node::Spaced(models)));
    }
    if !types.enums.is_empty() {
        let enums = types
            .enums
            .into_iter()
            .map(|(name, values)| {
                let values = values
                    .into_iter()
                    .enumerate()
                    .map(|(i, (value, meaning))| {
                        let mut entry = vec![
                            ("value", yaml::string(&value)),
                            ("name", yaml::string(&value_name(&value, i))),
                        ];
                        entry.extend(meaning.map(|m| ("description", yaml::string(&m))));
                        Node::Flow(entry)
                    })
                    .collect();
                Node::Map(vec![
                    ("name", yaml::string(&name)),
                    ("type", yaml::string("string")),
                    ("values", Node::Seq(values)),
                ])
            })
            .collect();
        entries.push(("enums", Node::Spaced(enums)));
    }
    let text = yaml::document(&[&comment], &entries);
    let page_lines = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let n = line.rsplit_once("# page line ")?.1.trim().parse().ok()?;
            Some((i + 1, n))
        })
        .collect();
    Written { text, page_lines }
}

fn page_line(line: usize) -> String {
    format!("page line {line}")
}

/// A model as written: name, description, fields and the page line it came from.
type WrittenModel = (String, Option<String>, Vec<Node>, usize);

/// An enum as written: name, and each value with its meaning.
type WrittenEnum = (String, Vec<(String, Option<String>)>);

/// Models and enums collected from the fields, named once each.
#[derive(Default)]
struct Types {
    models: Vec<WrittenModel>,
    names: BTreeSet<String>,
    enums: Vec<WrittenEnum>,
}

impl Types {
    /// A free type name: the document's type name when it is one (`OapiBlackboardVo`), else
    /// the field's name in UpperCamelCase.
    fn model_name(&mut self, doc_type: &str, field: &str) -> String {
        let item = doc_type.trim_end_matches("[]");
        let base = if is_type_name(item) {
            item.to_owned()
        } else {
            heck::ToUpperCamelCase::to_upper_camel_case(field)
        };
        // Names the generated code declares itself, or Rust's prelude's, take a suffix.
        let base = match base.as_str() {
            "" => "Model".to_owned(),
            "Result" | "Option" | "Vec" | "String" | "Box" | "Error" | "Client" | "Self" => {
                format!("{base}Data")
            }
            _ => base,
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

fn is_type_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && !matches!(
            text,
            "String"
                | "Number"
                | "Boolean"
                | "Object"
                | "Integer"
                | "Long"
                | "Json"
                | "JsonObject"
                | "JSONObject"
                | "Array"
                | "List"
                | "Map"
        )
}

fn operation(
    op: &DraftOperation,
    service: &Service<'_>,
    types: &mut Types,
    used_ids: &mut BTreeSet<String>,
) -> Node {
    let (base, path, base_note) = service.base_of(&op.url);
    let id = operation_id(&path, used_ids);
    // The generated request and response types take these names; a model may not.
    let type_base = heck::ToUpperCamelCase::to_upper_camel_case(id.as_str());
    types.names.insert(format!("{type_base}Request"));
    types.names.insert(format!("{type_base}Response"));
    let auth = service.auth_name(&base).map(str::to_owned);
    let mut entries: Vec<(&'static str, Node)> = vec![
        ("id", yaml::string(&id)),
        ("summary", yaml::string(&op.summary)),
    ];
    entries.extend(
        op.description
            .as_ref()
            .map(|d| ("description", yaml::string(d))),
    );
    entries.extend(op.doc.as_ref().map(|d| ("doc", yaml::string(d))));
    entries.push(("method", yaml::string(&op.method)));
    entries.push(("base", yaml::string(&base)));
    entries.push(("path", yaml::string(&path)));
    if let Some(stability) = op.stability {
        entries.push(("stability", yaml::string(stability)));
    }
    if let Some(encoding) = op.encoding {
        entries.push(("encoding", yaml::string(encoding)));
    }
    let locations = [
        (ParamLocation::Path, "path_params"),
        (ParamLocation::Query, "query"),
        (ParamLocation::Header, "headers"),
        (ParamLocation::Body, "body"),
    ];
    for (location, key) in locations {
        let fields: Vec<Node> = op
            .params
            .iter()
            .filter(|(l, f)| {
                *l == location
                    && !(location != ParamLocation::Body && Some(&f.name) == auth.as_ref())
            })
            .map(|(_, f)| field(f, types))
            .collect();
        if !fields.is_empty() {
            entries.push((key, Node::Seq(fields)));
        }
    }
    let response: Vec<Node> = op.response.iter().map(|f| field(f, types)).collect();
    if !response.is_empty() {
        entries.push(("response", Node::Seq(response)));
    }
    let notes: Vec<&str> = base_note
        .as_deref()
        .into_iter()
        .chain(op.notes.iter().map(String::as_str))
        .collect();
    if !notes.is_empty() {
        entries.push(("note", yaml::string(&notes.join(" "))));
    }
    Node::Commented(Box::new(Node::Map(entries)), page_line(op.line))
}

/// Path segments that name an action, not what it acts on: `status_bar/update` is
/// `update_status_bar`, not `update`.
const VERBS: &[&str] = &[
    "get", "list", "create", "update", "delete", "send", "add", "remove", "query", "search",
    "count", "recall",
];

/// The last path segment that is not a placeholder, in snake_case (a verb with the segment
/// before it, `update_status_bar`); two segments, then a number, when it is taken.
fn operation_id(path: &str, used: &mut BTreeSet<String>) -> String {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(heck::ToSnakeCase::to_snake_case)
        .filter(|s| !s.is_empty())
        .collect();
    let last = segments
        .last()
        .cloned()
        .unwrap_or_else(|| "call".to_owned());
    // The segment before the last, unless it is a version or the API's prefix.
    let object = segments
        .len()
        .checked_sub(2)
        .map(|i| segments[i].as_str())
        .filter(|s| {
            let version = s.starts_with('v') && s[1..].starts_with(|c: char| c.is_ascii_digit());
            !version && *s != "topapi"
        });
    let mut candidates = Vec::new();
    match object {
        Some(object) if VERBS.contains(&last.as_str()) => {
            candidates.push(format!("{last}_{object}"));
            candidates.push(last.clone());
        }
        Some(object) => {
            candidates.push(last.clone());
            candidates.push(format!("{object}_{last}"));
        }
        None => candidates.push(last.clone()),
    }
    for candidate in candidates {
        let candidate = identifier(&candidate);
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
    let mut n = 2;
    loop {
        let candidate = identifier(&format!("{last}_{n}"));
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// A snake_case identifier: letters, digits and single underscores, starting with a letter.
fn identifier(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("op_{out}"),
    }
}

/// An enum value's Rust name: the value itself when it is a word, else `value_<n>`.
fn value_name(value: &str, index: usize) -> String {
    let name = identifier(value);
    if name.starts_with("op_") || name.is_empty() {
        format!("value_{}", index + 1)
    } else {
        name
    }
}

fn field(f: &DraftField, types: &mut Types) -> Node {
    let mut ty = f.ty.clone();
    if !f.children.is_empty() {
        let name = types.model_name(&f.doc_type, &f.name);
        let fields = f.children.iter().map(|c| field(c, types)).collect();
        types.models.push((name.clone(), None, fields, f.line));
        ty = if ty.starts_with("list<") {
            format!("list<{name}>")
        } else {
            name
        };
    } else if !f.values.is_empty() && ty == "string" {
        let name = types.model_name("", &f.name);
        types.enums.push((name.clone(), f.values.clone()));
        ty = name;
    }
    let mut entries: Vec<(&'static str, Node)> =
        vec![("name", yaml::string(&f.name)), ("type", yaml::string(&ty))];
    if !f.doc_type.is_empty() && f.doc_type != ty {
        entries.push(("doc_type", yaml::string(&f.doc_type)));
    }
    if f.required {
        entries.push(("required", yaml::boolean(true)));
    }
    entries.extend(
        f.description
            .as_ref()
            .map(|d| ("description", yaml::string(d))),
    );
    entries.extend(f.example.as_ref().map(|v| ("example", json_node(v))));
    entries.extend(f.default.as_ref().map(|v| ("default", json_node(v))));
    let limits = &f.limits;
    let limit_entries: Vec<(&'static str, Node)> = [
        ("min", limits.min),
        ("max", limits.max),
        (
            "min_length",
            limits.min_length.and_then(|v| i64::try_from(v).ok()),
        ),
        (
            "max_length",
            limits.max_length.and_then(|v| i64::try_from(v).ok()),
        ),
        (
            "min_items",
            limits.min_items.and_then(|v| i64::try_from(v).ok()),
        ),
        (
            "max_items",
            limits.max_items.and_then(|v| i64::try_from(v).ok()),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, yaml::int(v))))
    .collect();
    if !limit_entries.is_empty() {
        entries.push(("limits", Node::Flow(limit_entries)));
    }
    let mut notes = f.notes.clone();
    if f.inferred && !notes.iter().any(|n| n.contains("inferred")) {
        notes.insert(
            0,
            "inferred from the page's example, not from a table".to_owned(),
        );
    }
    if !notes.is_empty() {
        entries.push(("note", yaml::string(&notes.join("; "))));
    }
    Node::Commented(Box::new(Node::Map(entries)), page_line(f.line))
}

/// A JSON value as YAML: scalars as they are, collections as one-line JSON flow.
fn json_node(value: &serde_json::Value) -> Node {
    match value {
        serde_json::Value::String(s) => yaml::string(s),
        serde_json::Value::Bool(b) => yaml::boolean(*b),
        serde_json::Value::Number(n) => Node::Scalar(n.to_string()),
        serde_json::Value::Null => Node::Scalar("null".to_owned()),
        other => Node::Scalar(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_is_named_by_its_last_segment_or_the_verb_and_its_object() {
        let mut used = BTreeSet::new();
        let mut id = |path: &str| operation_id(path, &mut used);
        assert_eq!(
            id("/topapi/message/corpconversation/status_bar/update"),
            "update_status_bar"
        );
        assert_eq!(id("/topapi/v2/department/get"), "get_department");
        assert_eq!(id("/topapi/v2/user/get"), "get_user");
        assert_eq!(id("/topapi/user/listid"), "listid");
        assert_eq!(id("/v1.0/contact/users/{unionId}"), "users");
        // A verb right after a version has nothing to pair with.
        assert_eq!(id("/v1.0/get"), "get");
        // Taken: the other candidate.
        assert_eq!(id("/topapi/other/listid"), "other_listid");
    }
}
