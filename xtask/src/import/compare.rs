//! `cargo xtask import --compare`: field-level agreement between a draft and hand-written
//! specs, and the differences the contract check reports.
//!
//! Both sides are flattened into rows, one per field: the operation (method and path), the
//! side (request or response), the parent path (the names of the enclosing fields), the name,
//! the type family and exact type, required, limits, default and example. A hand spec's field
//! whose type was chosen by meaning (`timestamp_ms`, `secret`, `csv<T>`) is compared by its
//! `doc_type`, the type as the document wrote it.

use std::collections::{BTreeMap, BTreeSet};

use codegen::spec;

use super::types::{self, Family};
use super::{Draft, DraftField, Limits, ParamLocation};

/// Request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// A request parameter or one of its members.
    Request,
    /// A response member.
    Response,
}

/// Where a row is: the operation, the side, the enclosing fields and the name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    /// `POST /topapi/blackboard/create`.
    pub operation: String,
    /// Request or response.
    pub side: Side,
    /// The names of the enclosing fields, dotted (`create_request.blackboard_receiver`).
    pub parent: String,
    /// The field's name.
    pub name: String,
}

/// One field, flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where it is.
    pub key: RowKey,
    /// Its type family.
    pub family: Family,
    /// The family of the type as the document wrote it, for a draft field whose type the
    /// importer decided otherwise (from an example); the hand specs' `doc_type` is compared
    /// with it.
    pub doc_family: Option<Family>,
    /// Its exact type (the spec expression).
    pub ty: String,
    /// Whether it is required.
    pub required: bool,
    /// Its limits, as text (`max_items 20`), empty for none.
    pub limits: String,
    /// Its default, as JSON text.
    pub default: Option<String>,
    /// Its example, as JSON text.
    pub example: Option<String>,
    /// Whether the hand spec explains the field with a note (always false for drafts).
    pub noted: bool,
}

/// The rows of a draft, without the parameters that carry a base's token (the spec's bases
/// add those). `auth_names` are the token parameters of the platform's bases; `base_urls`
/// their URLs, which a page's absolute URLs are made relative to.
pub fn draft_rows(
    draft: &Draft,
    auth_names: &BTreeSet<String>,
    base_urls: &BTreeMap<String, String>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for op in &draft.operations {
        let relative = base_urls
            .values()
            .filter_map(|base| op.url.strip_prefix(base.as_str()))
            .find(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(&op.url);
        let operation = operation_key(&op.method, relative);
        for (location, field) in &op.params {
            if *location != ParamLocation::Body && auth_names.contains(&field.name) {
                continue;
            }
            draft_field_rows(&operation, Side::Request, "", field, &mut rows);
        }
        for field in &op.response {
            draft_field_rows(&operation, Side::Response, "", field, &mut rows);
        }
    }
    // Objects documented without an endpoint (tze's message bodies), keyed by their name as
    // the hand specs key a union's variants by their tag value.
    for model in &draft.models {
        let operation = model_key(&model.name);
        for field in &model.fields {
            draft_field_rows(&operation, Side::Request, "", field, &mut rows);
        }
    }
    // Events, received: keyed by their type, as the hand specs key their payloads.
    for event in &draft.events {
        let operation = event_key(&event.value);
        for field in &event.fields {
            draft_field_rows(&operation, Side::Response, "", field, &mut rows);
        }
    }
    rows
}

/// The key of an event type's payload.
pub fn event_key(value: &str) -> String {
    format!("event {value}")
}

/// The key of an object documented without an endpoint (a page's message body), before it is
/// matched with a union's variant (see [`variant_key`]).
pub fn model_key(name: &str) -> String {
    format!("model {name}")
}

/// The key of a union's variant with the tag value `value`: two unions may both have a `text`
/// variant (the robot's messages and the work notifications'), each documented by its own page.
pub fn variant_key(union: &str, value: &str) -> String {
    format!("model {union}:{value}")
}

/// A page's message bodies keyed as the variants of the one union they agree with most (by
/// rows found under the same key); the page's other rows as they are.
fn bodies_as_variants(draft: &[Row], hand: &[Row]) -> Vec<Row> {
    let body_name = |row: &Row| {
        row.key
            .operation
            .strip_prefix("model ")
            .filter(|name| !name.contains(':'))
            .map(str::to_owned)
    };
    let unions: BTreeSet<&str> = hand
        .iter()
        .filter_map(|r| r.key.operation.strip_prefix("model ")?.split_once(':'))
        .map(|(union, _)| union)
        .collect();
    let hand_keys: BTreeSet<&RowKey> = hand.iter().map(|r| &r.key).collect();
    let rekeyed = |union: &str| -> Vec<Row> {
        draft
            .iter()
            .map(|row| match body_name(row) {
                Some(name) => Row {
                    key: RowKey {
                        operation: variant_key(union, &name),
                        ..row.key.clone()
                    },
                    ..row.clone()
                },
                None => row.clone(),
            })
            .collect()
    };
    if !draft.iter().any(|r| body_name(r).is_some()) {
        return draft.to_vec();
    }
    let mut best: Option<(usize, Vec<Row>)> = None;
    for union in unions {
        let rows = rekeyed(union);
        let found = rows.iter().filter(|r| hand_keys.contains(&r.key)).count();
        if best.as_ref().is_none_or(|(most, _)| found > *most) {
            best = Some((found, rows));
        }
    }
    best.map_or_else(|| draft.to_vec(), |(_, rows)| rows)
}

fn draft_field_rows(
    operation: &str,
    side: Side,
    parent: &str,
    field: &DraftField,
    rows: &mut Vec<Row>,
) {
    let family = if field.values.is_empty() {
        types::family_of_spec_type(&field.ty)
    } else {
        Family::Enum
    };
    rows.push(Row {
        key: RowKey {
            operation: operation.to_owned(),
            side,
            parent: parent.to_owned(),
            name: field.name.clone(),
        },
        family,
        doc_family: (!field.doc_type.is_empty()).then(|| types::map_type(&field.doc_type).family),
        ty: field.ty.clone(),
        required: field.required,
        limits: limits_text(&field.limits),
        default: field.default.as_ref().map(|v| v.to_string()),
        example: field.example.as_ref().map(|v| v.to_string()),
        noted: false,
    });
    let child_parent = join(parent, &field.name);
    for child in &field.children {
        draft_field_rows(operation, side, &child_parent, child, rows);
    }
}

/// A hand-written platform: its groups' operations, models, enums and unions by name.
pub struct HandSpecs<'a> {
    /// The group files.
    pub groups: &'a [spec::GroupFile],
}

impl HandSpecs<'_> {
    /// The rows of every operation of the groups.
    pub fn rows(&self) -> Vec<Row> {
        let models: BTreeMap<&str, &spec::Model> = self
            .groups
            .iter()
            .flat_map(|g| &g.models)
            .map(|m| (m.name.as_str(), m))
            .collect();
        let enums: BTreeSet<&str> = self
            .groups
            .iter()
            .flat_map(|g| &g.enums)
            .map(|e| e.name.as_str())
            .collect();
        let union_defs: BTreeMap<&str, &spec::Union> = self
            .groups
            .iter()
            .flat_map(|g| &g.unions)
            .map(|u| (u.name.as_str(), u))
            .collect();
        let unions: BTreeSet<&str> = union_defs.keys().copied().collect();
        let named = Named {
            models: &models,
            enums: &enums,
            unions: &unions,
            union_defs: &union_defs,
        };
        let mut rows = Vec::new();
        for group in self.groups {
            for op in &group.operations {
                // Keyed by the path below the base, as `draft_rows` keys the page's URLs.
                let operation = operation_key(&op.method, &op.path);
                let params = op
                    .path_params
                    .iter()
                    .chain(&op.query)
                    .chain(&op.headers)
                    .chain(&op.body);
                for field in params {
                    hand_field_rows(&operation, Side::Request, "", field, &named, &mut rows, 0);
                }
                for field in &op.response {
                    hand_field_rows(&operation, Side::Response, "", field, &named, &mut rows, 0);
                }
            }
            // Events' payloads, by event type.
            for event in group.events.iter().flat_map(|e| &e.types) {
                let Some(model) = named.models.get(event.payload.as_str()) else {
                    continue;
                };
                let operation = event_key(&event.value);
                for field in &model.fields {
                    hand_field_rows(&operation, Side::Response, "", field, &named, &mut rows, 0);
                }
            }
            // A union's variants, by tag value, for pages that document each variant's body
            // without an endpoint.
            for union in &group.unions {
                for variant in &union.variants {
                    let Some(model) = named.models.get(variant.ty.as_str()) else {
                        continue;
                    };
                    let operation = variant_key(&union.name, &variant.value);
                    // The tag sits in each variant's body, a string with the variant's value.
                    rows.push(Row {
                        key: RowKey {
                            operation: operation.clone(),
                            side: Side::Request,
                            parent: String::new(),
                            name: union.tag.clone(),
                        },
                        family: Family::String,
                        doc_family: None,
                        ty: "string".to_owned(),
                        required: true,
                        limits: String::new(),
                        default: None,
                        example: Some(serde_json::Value::from(variant.value.as_str()).to_string()),
                        noted: union.note.is_some(),
                    });
                    for field in &model.fields {
                        hand_field_rows(&operation, Side::Request, "", field, &named, &mut rows, 0);
                    }
                }
            }
        }
        rows
    }
}

struct Named<'a> {
    models: &'a BTreeMap<&'a str, &'a spec::Model>,
    enums: &'a BTreeSet<&'a str>,
    unions: &'a BTreeSet<&'a str>,
    union_defs: &'a BTreeMap<&'a str, &'a spec::Union>,
}

/// Deeper than this, a recursive model stops.
const MAX_DEPTH: usize = 8;

fn hand_field_rows(
    operation: &str,
    side: Side,
    parent: &str,
    field: &spec::Field,
    named: &Named<'_>,
    rows: &mut Vec<Row>,
    depth: usize,
) {
    let ty = field.ty.trim();
    if field.flatten {
        if let Some(union) = named.union_defs.get(ty) {
            flattened_union_rows(operation, side, parent, field, union, named, rows, depth);
            return;
        }
    }
    let item = ty
        .strip_prefix("list<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(ty);
    let family = if named.enums.contains(ty) {
        Family::Enum
    } else if named.unions.contains(ty) {
        Family::Union
    } else if let Some(doc_type) = &field.doc_type {
        types::map_type(doc_type).family
    } else {
        types::family_of_spec_type(ty)
    };
    let limits = field.limits.as_ref().map_or_else(String::new, |l| {
        limits_text(&Limits {
            min: l.min,
            max: l.max,
            min_length: l.min_length,
            max_length: l.max_length,
            min_items: l.min_items,
            max_items: l.max_items,
        })
    });
    rows.push(Row {
        key: RowKey {
            operation: operation.to_owned(),
            side,
            parent: parent.to_owned(),
            name: field.name.clone(),
        },
        family,
        doc_family: None,
        ty: ty.to_owned(),
        required: field.required,
        limits,
        default: field
            .default
            .as_ref()
            .and_then(|v| serde_json::to_string(v).ok()),
        example: field
            .example
            .as_ref()
            .and_then(|v| serde_json::to_string(v).ok()),
        noted: field.note.is_some(),
    });
    if depth >= MAX_DEPTH {
        return;
    }
    if let Some(model) = named.models.get(item) {
        let child_parent = join(parent, &field.name);
        for child in &model.fields {
            hand_field_rows(
                operation,
                side,
                &child_parent,
                child,
                named,
                rows,
                depth + 1,
            );
        }
    }
}

/// A flattened union as the wire has it: the tag (an enum of the variants' values) and the
/// content object, whose members are those of every variant's model (merged by name); without
/// a content field, the variants' members sit beside the tag.
#[allow(clippy::too_many_arguments)]
fn flattened_union_rows(
    operation: &str,
    side: Side,
    parent: &str,
    field: &spec::Field,
    union: &spec::Union,
    named: &Named<'_>,
    rows: &mut Vec<Row>,
    depth: usize,
) {
    let wire = |name: &str, family: Family, ty: &str| Row {
        key: RowKey {
            operation: operation.to_owned(),
            side,
            parent: parent.to_owned(),
            name: name.to_owned(),
        },
        family,
        doc_family: None,
        ty: ty.to_owned(),
        required: field.required,
        limits: String::new(),
        default: None,
        example: None,
        noted: field.note.is_some(),
    };
    rows.push(wire(&union.tag, Family::Enum, "string"));
    let members_parent = match &union.content {
        Some(content) => {
            rows.push(wire(content, Family::Object, "json"));
            join(parent, content)
        }
        None => parent.to_owned(),
    };
    let mut variant_rows = Vec::new();
    for variant in &union.variants {
        if let Some(model) = named.models.get(variant.ty.as_str()) {
            for member in &model.fields {
                hand_field_rows(
                    operation,
                    side,
                    &members_parent,
                    member,
                    named,
                    &mut variant_rows,
                    depth + 1,
                );
            }
        }
    }
    let mut seen: BTreeSet<RowKey> = rows.iter().map(|r| r.key.clone()).collect();
    rows.extend(
        variant_rows
            .into_iter()
            .filter(|r| seen.insert(r.key.clone())),
    );
}

/// `METHOD /path`: the URL's path (without host and query), with `{placeholders}`.
pub fn operation_key(method: &str, url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        without_scheme
            .find('/')
            .map_or("/", |i| &without_scheme[i..])
    } else {
        without_scheme
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    format!(
        "{} {}",
        method.to_ascii_uppercase(),
        path.trim_end_matches('/')
    )
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

fn limits_text(limits: &Limits) -> String {
    let parts = [
        ("min", limits.min.map(|v| v.to_string())),
        ("max", limits.max.map(|v| v.to_string())),
        ("min_length", limits.min_length.map(|v| v.to_string())),
        ("max_length", limits.max_length.map(|v| v.to_string())),
        ("min_items", limits.min_items.map(|v| v.to_string())),
        ("max_items", limits.max_items.map(|v| v.to_string())),
    ];
    parts
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a draft agrees with hand-written specs, over the operations both have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// Hand-written fields of the compared operations.
    pub hand_fields: usize,
    /// Of those, the draft has with the same name, parent, family and required.
    pub reproduced: usize,
    /// Of the reproduced, with the same exact type, limits, default and example.
    pub exact_type: usize,
    /// Same limits.
    pub limits: usize,
    /// Same default.
    pub defaults: usize,
    /// Same example.
    pub examples: usize,
    /// Draft fields the hand specs do not have (invented or missing from the specs).
    pub extra: Vec<Row>,
    /// Of those, the ones whose name the hand specs have nowhere on the same side of the
    /// operation: not a field put under another parent, but one the specs do not know.
    pub invented: Vec<Row>,
    /// Hand fields the draft lacks or has differently: (hand row, draft row if any).
    pub differing: Vec<(Row, Option<Row>)>,
    /// Operations of the draft that no hand spec has.
    pub unmatched_operations: Vec<String>,
}

impl Agreement {
    /// The share of hand-written fields reproduced, in percent.
    pub fn percent(&self) -> f64 {
        if self.hand_fields == 0 {
            100.0
        } else {
            self.reproduced as f64 * 100.0 / self.hand_fields as f64
        }
    }
}

/// Compares the draft's rows with the hand specs' rows, over the operations of the draft.
pub fn agreement(draft: &[Row], hand: &[Row]) -> Agreement {
    let draft = &bodies_as_variants(draft, hand);
    let draft_operations: BTreeSet<&str> = draft.iter().map(|r| r.key.operation.as_str()).collect();
    let hand_operations: BTreeSet<&str> = hand.iter().map(|r| r.key.operation.as_str()).collect();
    let mut result = Agreement {
        unmatched_operations: draft_operations
            .difference(&hand_operations)
            .map(|s| (*s).to_owned())
            .collect(),
        ..Agreement::default()
    };
    let drafted: BTreeMap<&RowKey, &Row> = draft.iter().map(|r| (&r.key, r)).collect();
    let handled: BTreeSet<&RowKey> = hand.iter().map(|r| &r.key).collect();
    for row in hand
        .iter()
        .filter(|r| draft_operations.contains(r.key.operation.as_str()))
    {
        result.hand_fields += 1;
        match drafted.get(&row.key) {
            Some(d)
                if (d.family == row.family || d.doc_family == Some(row.family))
                    && d.required == row.required =>
            {
                result.reproduced += 1;
                result.exact_type += usize::from(d.ty == row.ty);
                result.limits += usize::from(d.limits == row.limits);
                result.defaults += usize::from(d.default == row.default);
                result.examples += usize::from(d.example == row.example);
            }
            found => result
                .differing
                .push((row.clone(), found.map(|d| (*d).clone()))),
        }
    }
    result.extra = draft
        .iter()
        .filter(|r| hand_operations.contains(r.key.operation.as_str()))
        .filter(|r| !handled.contains(&r.key))
        .cloned()
        .collect();
    let known: BTreeSet<(&str, Side, &str)> = hand
        .iter()
        .map(|r| (r.key.operation.as_str(), r.key.side, r.key.name.as_str()))
        .collect();
    result.invented = result
        .extra
        .iter()
        .filter(|r| !known.contains(&(r.key.operation.as_str(), r.key.side, r.key.name.as_str())))
        .cloned()
        .collect();
    result
}

/// The agreement as a Markdown report: the figures, then each differing or extra field.
pub fn render(agreement: &Agreement, title: &str) -> String {
    let mut out = format!("## {title}\n\n");
    out.push_str(&format!(
        "{} of {} hand-written fields reproduced ({:.1}%) with name, type family, required and parent equal; {} draft fields the specs do not have ({} of them under another parent, {} not in the specs at all).\n\n",
        agreement.reproduced,
        agreement.hand_fields,
        agreement.percent(),
        agreement.extra.len(),
        agreement.extra.len() - agreement.invented.len(),
        agreement.invented.len()
    ));
    out.push_str(&format!(
        "Of the reproduced: exact type {}, limits {}, default {}, example {}.\n\n",
        agreement.exact_type, agreement.limits, agreement.defaults, agreement.examples
    ));
    if !agreement.unmatched_operations.is_empty() {
        out.push_str(&format!(
            "Operations no hand spec has: {}\n\n",
            agreement.unmatched_operations.join(", ")
        ));
    }
    if !agreement.differing.is_empty() || !agreement.extra.is_empty() {
        out.push_str("| operation | side | parent | name | hand: family, type, required | draft: family, type, required |\n|---|---|---|---|---|---|\n");
        let cell = |row: Option<&Row>| {
            row.map_or_else(
                || "-".to_owned(),
                |r| format!("{}, `{}`, {}", r.family.name(), r.ty, r.required),
            )
        };
        for (hand, draft) in &agreement.differing {
            out.push_str(&format!(
                "| {} | {:?} | {} | {} | {} | {} |\n",
                hand.key.operation,
                hand.key.side,
                hand.key.parent,
                hand.key.name,
                cell(Some(hand)),
                cell(draft.as_ref())
            ));
        }
        for draft in &agreement.extra {
            out.push_str(&format!(
                "| {} | {:?} | {} | {} | {} | {} |\n",
                draft.key.operation,
                draft.key.side,
                draft.key.parent,
                draft.key.name,
                cell(None),
                cell(Some(draft))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_keys_ignore_host_query_and_trailing_slash() {
        assert_eq!(
            operation_key("post", "https://oapi.dingtalk.com/topapi/blackboard/create"),
            "POST /topapi/blackboard/create"
        );
        assert_eq!(
            operation_key(
                "get",
                "https://api.tze.cn/user/openapi/org/get-org-child-list?org_id=1"
            ),
            "GET /user/openapi/org/get-org-child-list"
        );
        assert_eq!(operation_key("GET", "/a/b/"), "GET /a/b");
    }
}
