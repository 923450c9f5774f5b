//! Changes of one field or parameter: presence, type, required, nullable, limits, lenient
//! decoding and the wire-only and documentation properties.

use super::{code, doc_change, Aspect, Change, ChangeKind, Doc, Limit, Target};
use crate::ir::{self, Lenient, Type};

/// How the struct that holds a field is used, which decides what a change can break.
#[derive(Debug, Clone, Copy)]
pub(super) struct Usage {
    /// Users build it: it has a constructor, setters and limit checks.
    pub sent: bool,
    /// Users read it from a response.
    pub received: bool,
}

impl Usage {
    /// A request type: built by users, never read from a response.
    pub const REQUEST: Usage = Usage {
        sent: true,
        received: false,
    };
    /// A response type: only read.
    pub const RESPONSE: Usage = Usage {
        sent: false,
        received: true,
    };
}

/// A field that exists only in the new version. `owner` is the Rust type that holds it.
pub(super) fn field_added(target: &Target, field: &ir::Field, usage: Usage, owner: &str) -> Change {
    let change = Change::added(target, describe_field(field));
    if !usage.sent {
        return change.compatible(format!("a new field; `{owner}` is `#[non_exhaustive]`"));
    }
    if field.required {
        change.breaking(format!("`{owner}::new()` takes one more argument"))
    } else {
        change.compatible(format!("a new setter `{owner}::{}()`", field.setter_name))
    }
}

/// A field that exists only in the old version.
pub(super) fn field_removed(
    target: &Target,
    field: &ir::Field,
    usage: Usage,
    owner: &str,
) -> Change {
    let change = Change::removed(target, describe_field(field));
    let rust = &field.rust_name;
    if usage.sent && field.required {
        change.breaking(format!(
            "`{owner}::new()` loses an argument and `{owner}::{rust}` is gone"
        ))
    } else if usage.sent {
        change.breaking(format!(
            "`{owner}::{rust}` and its setter `{}()` are gone",
            field.setter_name
        ))
    } else {
        change.breaking(format!("`{owner}::{rust}` is gone"))
    }
}

/// Every change between two versions of a field with the same wire name. The old field is
/// destructured in full so that a new IR field does not compile until it is compared here.
pub(super) fn diff_field(
    target: &Target,
    old: &ir::Field,
    new: &ir::Field,
    usage: Usage,
    owner: &str,
) -> Vec<Change> {
    let ir::Field {
        // Matched on, so equal.
        wire_name: _,
        // Derived from the wire name.
        rust_name: _,
        setter_name: _,
        ty,
        required,
        description,
        example,
        default,
        doc_type,
        note,
        limits,
        nullable,
        lenient,
        flatten,
        send_default,
    } = old;
    let mut changes = Vec::new();
    changes.extend(type_change(target, ty, &new.ty));
    if *required != new.required {
        changes.push(required_change(target, new, usage, owner));
    }
    if *nullable != new.nullable {
        changes.push(nullable_change(target, new.nullable));
    }
    changes.extend(limit_changes(target, limits, &new.limits, usage.sent));
    changes.extend(default_change(
        target,
        default.as_ref(),
        new.default.as_ref(),
        *send_default || new.send_default,
    ));
    changes.extend(lenient_change(target, *lenient, new.lenient, usage));
    if *flatten != new.flatten {
        changes.push(
            Change::changed(target, Aspect::Flatten, code(flatten), code(new.flatten))
                .compatible("wire change: its members move in or out of the surrounding object"),
        );
    }
    if *send_default != new.send_default {
        changes.push(
            Change::changed(
                target,
                Aspect::SendDefault,
                code(send_default),
                code(new.send_default),
            )
            .compatible("wire change: whether the default is sent when the field is unset"),
        );
    }
    let text = |value: &Option<ir::Value>| value.as_ref().map(ToString::to_string);
    let docs = [
        (
            Doc::Description,
            description.clone(),
            new.description.clone(),
        ),
        (Doc::Example, text(example), text(&new.example)),
        (Doc::DocType, doc_type.clone(), new.doc_type.clone()),
        (Doc::Note, note.clone(), new.note.clone()),
    ];
    for (doc, old, new) in docs {
        changes.extend(doc_change(target, doc, old.as_deref(), new.as_deref()));
    }
    changes
}

/// A change of type: breaking when the Rust type changes, a wire change when only the spec
/// type does (`datetime` and `string` are both `String`).
pub(super) fn type_change(target: &Target, old: &Type, new: &Type) -> Option<Change> {
    let (old_spec, new_spec) = (spec_type(old), spec_type(new));
    if old_spec == new_spec {
        return None;
    }
    let (old_rust, new_rust) = (rust_type(old), rust_type(new));
    let change = Change::changed(target, Aspect::Type, code(old_spec), code(new_spec));
    Some(if old_rust == new_rust {
        change.compatible(format!("wire change; the Rust type stays `{new_rust}`"))
    } else {
        change.breaking(format!(
            "the Rust type changes from `{old_rust}` to `{new_rust}`"
        ))
    })
}

fn required_change(target: &Target, new: &ir::Field, usage: Usage, owner: &str) -> Change {
    let shown = |required: bool| if required { "required" } else { "optional" };
    let change = Change::changed(
        target,
        Aspect::Required,
        shown(!new.required),
        shown(new.required),
    );
    let reason = match (usage.sent, new.required) {
        (true, true) => format!("`{owner}::new()` takes it as an argument instead of a setter"),
        (true, false) => {
            format!("`{owner}::new()` no longer takes it and the field becomes an `Option`")
        }
        (false, true) => "the field is no longer an `Option`".to_owned(),
        (false, false) => "the field becomes an `Option`".to_owned(),
    };
    change.breaking(reason)
}

fn nullable_change(target: &Target, nullable: bool) -> Change {
    let change = Change::changed(target, Aspect::Nullable, code(!nullable), code(nullable));
    if nullable {
        change.breaking("the field gains an `Option` layer for `null`")
    } else {
        change.breaking("the field loses the `Option` layer for `null`")
    }
}

/// Changes of each limit. A tighter limit on something users send rejects requests that
/// passed `validate()` before; limits of fields that are only received are never checked.
fn limit_changes(target: &Target, old: &ir::Limits, new: &ir::Limits, sent: bool) -> Vec<Change> {
    let ir::Limits {
        min,
        max,
        min_length,
        max_length,
        min_items,
        max_items,
        max_apart,
        pattern,
    } = old;
    let wide = |value: Option<u64>| value.map(i128::from);
    let mut pairs = vec![
        (Limit::Min, min.map(i128::from), new.min.map(i128::from)),
        (Limit::Max, max.map(i128::from), new.max.map(i128::from)),
        (Limit::MinLength, wide(*min_length), wide(new.min_length)),
        (Limit::MaxLength, wide(*max_length), wide(new.max_length)),
        (Limit::MinItems, wide(*min_items), wide(new.min_items)),
        (Limit::MaxItems, wide(*max_items), wide(new.max_items)),
    ];
    let apart = |a: Option<&ir::MaxApart>| a.map(|a| (a.from.clone(), i128::from(a.max)));
    match (apart(max_apart.as_ref()), apart(new.max_apart.as_ref())) {
        // A distance from another sibling is another limit: the old one goes, the new comes.
        (Some((old_from, old_max)), Some((new_from, new_max))) if old_from != new_from => {
            pairs.push((Limit::MaxApart, Some(old_max), None));
            pairs.push((Limit::MaxApart, None, Some(new_max)));
        }
        (old, new) => pairs.push((Limit::MaxApart, old.map(|a| a.1), new.map(|a| a.1))),
    }
    let mut changes: Vec<Change> = pairs
        .into_iter()
        .filter_map(|(limit, old, new)| limit_change(target, limit, old, new, sent))
        .collect();
    if *pattern != new.pattern {
        let change = Change::changed(
            target,
            Aspect::Limit(Limit::Pattern),
            pattern.as_deref().map_or_else(|| "none".to_owned(), code),
            new.pattern
                .as_deref()
                .map_or_else(|| "none".to_owned(), code),
        );
        changes.push(if !sent {
            change.compatible("documentation only: responses are not checked against limits")
        } else if new.pattern.is_some() {
            change.breaking("requests that were valid before may be rejected by `validate()`")
        } else {
            change.compatible("requests that were valid before stay valid")
        });
    }
    changes
}

fn limit_change(
    target: &Target,
    limit: Limit,
    old: Option<i128>,
    new: Option<i128>,
    sent: bool,
) -> Option<Change> {
    let (kind, tighter) = match (old, new) {
        (None, Some(_)) => (ChangeKind::Added, true),
        (Some(_), None) => (ChangeKind::Removed, false),
        (Some(old), Some(new)) if old != new => {
            let tighter = if limit.is_lower_bound() {
                new > old
            } else {
                new < old
            };
            let kind = if tighter {
                ChangeKind::Tightened
            } else {
                ChangeKind::Loosened
            };
            (kind, tighter)
        }
        _ => return None,
    };
    let change =
        Change::new(target, Aspect::Limit(limit), kind).values(old.map(code), new.map(code));
    Some(if !sent {
        change.compatible("documentation only: responses are not checked against limits")
    } else if tighter {
        change.breaking("requests that were valid before are rejected by `validate()`")
    } else {
        change.compatible("requests that were valid before stay valid")
    })
}

/// Defaults are documentation unless the client sends them (`send_default`).
fn default_change(
    target: &Target,
    old: Option<&ir::Value>,
    new: Option<&ir::Value>,
    sent: bool,
) -> Option<Change> {
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(a), Some(b)) if a != b => ChangeKind::Changed,
        _ => return None,
    };
    let shown = |value: &ir::Value| code(value.to_string());
    let change = Change::new(target, Aspect::Default, kind).values(old.map(shown), new.map(shown));
    Some(change.compatible(if sent {
        "wire change: the client sends the default when the field is unset"
    } else {
        "documentation only: the client does not send defaults"
    }))
}

/// Lenient decoding accepts more forms of a received value, so taking it away (or trading it
/// for another) may make responses that decoded before fail.
fn lenient_change(
    target: &Target,
    old: Option<Lenient>,
    new: Option<Lenient>,
    usage: Usage,
) -> Option<Change> {
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(a), Some(b)) if a != b => ChangeKind::Changed,
        _ => return None,
    };
    let shown = |lenient: Option<Lenient>| lenient.map(|l| code(lenient_key(l)));
    let change = Change::new(target, Aspect::Lenient, kind).values(shown(old), shown(new));
    Some(if kind == ChangeKind::Added {
        change.compatible("decoding accepts more forms of the value")
    } else if usage.received {
        change.breaking("responses in a form accepted before may fail to decode")
    } else {
        change.compatible("the field is only sent: a wire change at most")
    })
}

fn lenient_key(lenient: Lenient) -> &'static str {
    match lenient {
        Lenient::NumberOrString => "number_or_string",
        Lenient::BoolOrString => "bool_or_string",
        Lenient::OneOrMany => "one_or_many",
        Lenient::JsonString => "json_string",
        Lenient::ObjectOrList => "object_or_list",
    }
}

/// `required nullable `list<string>``, for an added or removed field.
pub(super) fn describe_field(field: &ir::Field) -> String {
    let required = if field.required {
        "required"
    } else {
        "optional"
    };
    let nullable = if field.nullable { " nullable" } else { "" };
    format!("{required}{nullable} {}", code(spec_type(&field.ty)))
}

/// A type as the spec writes it (`list<int64>`).
pub(super) fn spec_type(ty: &Type) -> String {
    ty.spec_expression()
}

/// A type as the generated crate spells it, without module paths: a named type that moves
/// to another group is reported once, on the type itself.
pub(super) fn rust_type(ty: &Type) -> String {
    ty.rust_spelling(&crate::ir::RustSpelling {
        secret: "Secret",
        json: "serde_json::Value",
        file: "FilePart",
        millis: "Millis",
        map: "BTreeMap",
        named: &|r| r.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Verdict::{Breaking, Compatible};

    #[test]
    fn limits_tighten_in_the_direction_of_their_bound() {
        let target = Target::Request("n".into());
        let cases = [
            // (limit, old, new, sent, kind, verdict)
            (
                Limit::Min,
                Some(1),
                Some(2),
                true,
                ChangeKind::Tightened,
                Breaking,
            ),
            (
                Limit::Min,
                Some(2),
                Some(1),
                true,
                ChangeKind::Loosened,
                Compatible,
            ),
            (
                Limit::MaxItems,
                Some(20),
                Some(10),
                true,
                ChangeKind::Tightened,
                Breaking,
            ),
            (
                Limit::MaxItems,
                Some(10),
                Some(20),
                true,
                ChangeKind::Loosened,
                Compatible,
            ),
            (
                Limit::MinLength,
                None,
                Some(1),
                true,
                ChangeKind::Added,
                Breaking,
            ),
            (
                Limit::MaxLength,
                Some(8),
                None,
                true,
                ChangeKind::Removed,
                Compatible,
            ),
            (
                Limit::Max,
                Some(9),
                Some(5),
                false,
                ChangeKind::Tightened,
                Compatible,
            ),
            (
                Limit::Max,
                None,
                Some(5),
                false,
                ChangeKind::Added,
                Compatible,
            ),
        ];
        for (limit, old, new, sent, kind, verdict) in cases {
            let change = limit_change(&target, limit, old, new, sent).expect("a change");
            assert_eq!(
                (change.kind, change.verdict),
                (kind, verdict),
                "{limit:?} {old:?} -> {new:?}"
            );
        }
        assert!(limit_change(&target, Limit::Min, Some(1), Some(1), true).is_none());
    }

    #[test]
    fn a_window_between_two_fields_is_a_limit_of_its_own() {
        let target = Target::Request("end_time".into());
        let apart = |from: &str, max: u64| ir::Limits {
            max_apart: Some(ir::MaxApart {
                from: from.into(),
                from_rust: from.into(),
                from_required: true,
                ty: Type::TimestampMs,
                max,
            }),
            ..ir::Limits::default()
        };
        let none = ir::Limits::default();
        let verdicts = |old: &ir::Limits, new: &ir::Limits| {
            limit_changes(&target, old, new, true)
                .into_iter()
                .map(|c| (c.kind, c.verdict))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            verdicts(&none, &apart("start_time", 10)),
            [(ChangeKind::Added, Breaking)]
        );
        assert_eq!(
            verdicts(&apart("start_time", 10), &apart("start_time", 5)),
            [(ChangeKind::Tightened, Breaking)]
        );
        assert_eq!(
            verdicts(&apart("start_time", 5), &apart("start_time", 10)),
            [(ChangeKind::Loosened, Compatible)]
        );
        // Measured from another field, it is another limit.
        assert_eq!(
            verdicts(&apart("start_time", 10), &apart("begin", 10)),
            [
                (ChangeKind::Removed, Compatible),
                (ChangeKind::Added, Breaking)
            ]
        );
        assert!(verdicts(&apart("start_time", 10), &apart("start_time", 10)).is_empty());
    }

    #[test]
    fn spec_types_with_the_same_rust_type_are_a_wire_change() {
        let target = Target::Field("f".into());
        let list = |t: Type| Type::List(Box::new(t));
        let csv = |t: Type| Type::Csv(Box::new(t));
        let cases = [
            (Type::Int64, Type::TimestampMs, Breaking),
            (Type::String, Type::DateTime, Compatible),
            (list(Type::Int32), csv(Type::Int32), Compatible),
            (Type::Int32, Type::Int64, Breaking),
            (Type::String, Type::Secret, Breaking),
            (list(Type::String), Type::String, Breaking),
        ];
        for (old, new, verdict) in cases {
            let change = type_change(&target, &old, &new).expect("a change");
            assert_eq!(change.verdict, verdict, "{old:?} -> {new:?}");
        }
        assert!(type_change(&target, &Type::Json, &Type::Json).is_none());
    }
}
