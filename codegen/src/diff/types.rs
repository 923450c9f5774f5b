//! Changes of the named types of a platform: models, enums and unions. They share one
//! namespace per platform and are matched by name whichever group defines them.

use super::fields::{diff_field, field_added, field_removed, rust_type, spec_type, Usage};
use super::{code, doc_change, pair_by_key, Aspect, Change, ChangeKind, Doc, Pair, Target};
use crate::ir::{self, CodeValue, EnumType};

/// A named type with the group module that defines it.
pub(super) struct Defined<'a, T> {
    pub group: &'a str,
    pub item: &'a T,
}

/// Every named type of a platform that `pick` takes (one kind), with its group, from the
/// platform's type table.
pub(super) fn defined<'a, T>(
    platform: &'a ir::Platform,
    pick: impl Fn(ir::Definition<'a>) -> Option<&'a T>,
) -> Vec<Defined<'a, T>> {
    platform
        .types
        .entries()
        .filter_map(|(_, entry)| {
            let item = pick(platform.definition_at(entry)?)?;
            let group = platform.groups.get(entry.group)?.module.as_str();
            Some(Defined { group, item })
        })
        .collect()
}

pub(super) fn type_added(group: &str, name: &str) -> Change {
    Change::added(&Target::Itself, code(format!("{group}::{name}")))
        .compatible(format!("a new type `{group}::{name}`"))
}

pub(super) fn type_removed(group: &str, name: &str) -> Change {
    Change::removed(&Target::Itself, code(format!("{group}::{name}")))
        .breaking(format!("the type `{group}::{name}` is gone"))
}

/// A type that moved to another group module changes its Rust path.
fn group_change(name: &str, old: &str, new: &str) -> Option<Change> {
    (old != new).then(|| {
        Change::changed(&Target::Itself, Aspect::DefiningGroup, code(old), code(new)).breaking(
            format!("its Rust path changes from `{old}::{name}` to `{new}::{name}`"),
        )
    })
}

/// Whether a model or union is sent decides whether it has `Serialize` and, for models, a
/// constructor and setters.
fn sent_change(old: bool, new: bool, what: &str) -> Option<Change> {
    (old != new).then(|| {
        Change::changed(&Target::Itself, Aspect::Sent, code(old), code(new)).breaking_if(
            old,
            &format!("no longer sent: its {what} are gone"),
            &format!("now sent: it gains its {what}"),
        )
    })
}

/// Every change between two versions of a model with the same name.
pub(super) fn diff_model(
    old: &Defined<'_, ir::Model>,
    new: &Defined<'_, ir::Model>,
) -> Vec<Change> {
    let ir::Model {
        name,
        doc_name,
        description,
        note,
        fields,
        sent,
        received,
        // Derived from the limits, which are compared field by field, and from the fields
        // that read the model leniently, which are compared where they are.
        has_limits: _,
        list_member: _,
    } = old.item;
    let model = new.item;
    let mut changes = Vec::new();
    changes.extend(group_change(name, old.group, new.group));
    changes.extend(sent_change(
        *sent,
        model.sent,
        "`Serialize` impl, constructor and setters",
    ));
    // A field counts as sent (or received) only if it was and still is: a model that starts
    // being sent has no constructor yet that a new required field could break.
    let usage = Usage {
        sent: *sent && model.sent,
        received: *received && model.received,
    };
    for (wire, pair) in pair_by_key(fields, &model.fields, |f| f.wire_name.clone()) {
        let target = Target::Field(wire);
        match pair {
            Pair::Added(f) => changes.push(field_added(&target, f, usage, name)),
            Pair::Removed(f) => changes.push(field_removed(&target, f, usage, name)),
            Pair::Both(old, new) => changes.extend(diff_field(&target, old, new, usage, name)),
        }
    }
    let docs = [
        (Doc::DocName, doc_name, &model.doc_name),
        (Doc::Description, description, &model.description),
        (Doc::Note, note, &model.note),
    ];
    for (doc, old, new) in docs {
        changes.extend(doc_change(
            &Target::Itself,
            doc,
            old.as_deref(),
            new.as_deref(),
        ));
    }
    changes
}

/// Every change between two versions of an enum with the same name.
pub(super) fn diff_enum(old: &Defined<'_, ir::Enum>, new: &Defined<'_, ir::Enum>) -> Vec<Change> {
    let ir::Enum {
        name,
        kind,
        description,
        note,
        values,
    } = old.item;
    let e = new.item;
    let mut changes = Vec::new();
    changes.extend(group_change(name, old.group, new.group));
    if *kind != e.kind {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::ValueType,
                code(enum_type_key(*kind)),
                code(enum_type_key(e.kind)),
            )
            .breaking("the wire type and the payload of `Unknown` change"),
        );
    }
    for (wire, pair) in pair_by_key(values, &e.values, |v| wire_text(&v.wire)) {
        let target = Target::Value(wire);
        match pair {
            Pair::Added(v) => changes.push(variant_added(&target, name, &v.variant, "enum")),
            Pair::Removed(v) => {
                changes.push(variant_removed(&target, name, &v.variant, "the value"))
            }
            Pair::Both(old, new) => changes.extend(diff_enum_value(&target, name, old, new)),
        }
    }
    let docs = [
        (Doc::Description, description, &e.description),
        (Doc::Note, note, &e.note),
    ];
    for (doc, old, new) in docs {
        changes.extend(doc_change(
            &Target::Itself,
            doc,
            old.as_deref(),
            new.as_deref(),
        ));
    }
    changes
}

fn diff_enum_value(
    target: &Target,
    enum_name: &str,
    old: &ir::EnumValue,
    new: &ir::EnumValue,
) -> Vec<Change> {
    let ir::EnumValue {
        // Matched on.
        wire: _,
        variant,
        description,
    } = old;
    let mut changes = Vec::new();
    changes.extend(variant_rename(target, enum_name, variant, &new.variant));
    changes.extend(doc_change(
        target,
        Doc::Description,
        description.as_deref(),
        new.description.as_deref(),
    ));
    changes
}

fn variant_rename(target: &Target, owner: &str, old: &str, new: &str) -> Option<Change> {
    (old != new).then(|| {
        Change::changed(target, Aspect::VariantName, code(old), code(new))
            .breaking(format!("`{owner}::{old}` is renamed to `{owner}::{new}`"))
    })
}

/// Every change between two versions of a union with the same name.
pub(super) fn diff_union(
    old: &Defined<'_, ir::Union>,
    new: &Defined<'_, ir::Union>,
) -> Vec<Change> {
    let ir::Union {
        name,
        description,
        note,
        tag,
        content,
        variants,
        sent,
        // Only decides whether `Deserialize` needs the `deserialize-requests` feature; as
        // for models, not reported.
        received: _,
        // Derived from the limits of the variants' types.
        has_limits: _,
    } = old.item;
    let u = new.item;
    let itself = &Target::Itself;
    let mut changes = Vec::new();
    changes.extend(group_change(name, old.group, new.group));
    changes.extend(sent_change(*sent, u.sent, "`Serialize` impl"));
    if *tag != u.tag {
        changes.push(
            Change::changed(itself, Aspect::Tag, code(tag), code(&u.tag))
                .compatible("wire change; the Rust API stays the same"),
        );
    }
    changes.extend(content_change(content.as_deref(), u.content.as_deref()));
    for (value, pair) in pair_by_key(variants, &u.variants, |v| v.value.clone()) {
        let target = Target::Variant(value);
        match pair {
            Pair::Added(v) => changes.push(variant_added(&target, name, &v.variant, "union")),
            Pair::Removed(v) => changes.push(variant_removed(&target, name, &v.variant, "the tag")),
            Pair::Both(old, new) => changes.extend(diff_variant(&target, name, old, new)),
        }
    }
    let docs = [
        (Doc::Description, description, &u.description),
        (Doc::Note, note, &u.note),
    ];
    for (doc, old, new) in docs {
        changes.extend(doc_change(itself, doc, old.as_deref(), new.as_deref()));
    }
    changes
}

fn content_change(old: Option<&str>, new: Option<&str>) -> Option<Change> {
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(a), Some(b)) if a != b => ChangeKind::Changed,
        _ => return None,
    };
    Some(
        Change::new(&Target::Itself, Aspect::Content, kind)
            .values(old.map(code), new.map(code))
            .compatible("wire change; the Rust API stays the same"),
    )
}

fn diff_variant(target: &Target, union: &str, old: &ir::Variant, new: &ir::Variant) -> Vec<Change> {
    let ir::Variant {
        // Matched on.
        value: _,
        variant,
        ty,
        description,
        supported,
        note,
    } = old;
    let mut changes = Vec::new();
    changes.extend(variant_rename(target, union, variant, &new.variant));
    let (old_spec, new_spec) = (spec_type(ty), spec_type(&new.ty));
    if old_spec != new_spec {
        let (old_rust, new_rust) = (rust_type(ty), rust_type(&new.ty));
        let change = Change::changed(target, Aspect::Type, code(old_spec), code(new_spec));
        changes.push(change.breaking_if(
            old_rust != new_rust,
            &format!(
                "the payload of `{union}::{}` changes from `{old_rust}` to `{new_rust}`",
                new.variant
            ),
            "wire change; the Rust type stays the same",
        ));
    }
    if *supported != new.supported {
        changes.push(
            Change::changed(
                target,
                Aspect::Supported,
                code(supported),
                code(new.supported),
            )
            .compatible("documentation only"),
        );
    }
    let docs = [
        (Doc::Description, description, &new.description),
        (Doc::Note, note, &new.note),
    ];
    for (doc, old, new) in docs {
        changes.extend(doc_change(target, doc, old.as_deref(), new.as_deref()));
    }
    changes
}

/// An enum value as written on the wire, without quotes.
pub(super) fn wire_text(value: &CodeValue) -> String {
    match value {
        CodeValue::Integer(i) => i.to_string(),
        CodeValue::String(s) => s.clone(),
    }
}

fn enum_type_key(kind: EnumType) -> &'static str {
    match kind {
        EnumType::String => "string",
        EnumType::Integer => "integer",
    }
}

/// A variant added to an enum or union (`kind`): compatible, the type is `#[non_exhaustive]`.
fn variant_added(target: &Target, name: &str, variant: &str, kind: &str) -> Change {
    Change::added(target, code(variant)).compatible(format!(
        "a new variant `{name}::{variant}`; the {kind} is `#[non_exhaustive]`"
    ))
}

/// A variant removed from an enum or union: breaking; `what` (the value or the tag) now
/// decodes as `Unknown`.
fn variant_removed(target: &Target, name: &str, variant: &str, what: &str) -> Change {
    Change::removed(target, code(variant)).breaking(format!(
        "`{name}::{variant}` is gone; {what} now decodes as `Unknown`"
    ))
}
