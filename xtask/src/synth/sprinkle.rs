//! The constructs sprinkled over operations (enums, nullable and lenient members, headers, the
//! shared operator model, stability marks, descriptions and notes); `shapes::build` says which
//! shapes get them.

use super::common::OPERATOR;
use super::fields::Field;
use super::operation::{Base, Ctx, Op};
use super::shapes::user_agent;
use crate::yaml::{self, Node};

/// Constructs that any shape may carry, in the proportions the documents show them: an
/// enum member (15%), a nullable member (10%), a lenient response member (6%), a
/// `send_default` header (5%), the shared operator model (5%), a stability mark (8%), a
/// description (40%) and a note (10%).
pub(super) fn sprinkle(ctx: &mut Ctx<'_>, op: &mut Op) {
    let has_body = matches!(op.method, "POST" | "PUT" | "PATCH");
    if ctx.rng.chance(15) {
        let field = enum_field(ctx, op.base);
        if has_body {
            op.body.push(field);
        } else {
            op.query.push(Field {
                required: false,
                ..field
            });
        }
    }
    if ctx.rng.chance(10) {
        op.response.push(nullable_response(ctx, op.base));
    }
    if has_body && ctx.rng.chance(10) {
        op.body.push(Field {
            nullable: true,
            ..Field::new(ctx.wire(op.base, "deadline"), "timestamp_ms")
                .example(yaml::int(0))
                .described("截止时间 (null 为不限)。")
        });
    }
    if ctx.rng.chance(6) {
        op.response.push(lenient_response(ctx, op.base));
    }
    if op.base == Base::Classic && ctx.rng.chance(5) {
        op.headers.push(user_agent());
    }
    if ctx.rng.chance(5) {
        op.response
            .push(Field::new(ctx.wire(op.base, "operator"), OPERATOR).described("操作人。"));
    }
    op.stability = match ctx.rng.below(100) {
        0..=2 => Some("in_development"),
        3..=5 => Some("deprecated"),
        6..=7 => Some("stable"),
        _ => None,
    };
    if ctx.rng.chance(40) {
        op.description = Some(format!(
            "{}。\n\n调用本接口前,请确认应用已开通{}相关权限。",
            op.summary, ctx.noun.zh
        ));
    }
    if ctx.rng.chance(10) {
        op.note = Some("The document's example omits optional members.".to_owned());
    }
}

/// A member typed with a new string (`Status`) or integer (`Level`) enum.
fn enum_field(ctx: &mut Ctx<'_>, base: Base) -> Field {
    let integer = ctx.rng.chance(50);
    let (role, member, values): (&str, &str, &[(&str, &str, &str)]) = if integer {
        (
            "Level",
            "biz_level",
            &[
                ("1", "low", "低"),
                ("2", "medium", "中"),
                ("3", "high", "高"),
            ],
        )
    } else {
        (
            "Status",
            "biz_status",
            &[
                ("NORMAL", "normal", "正常"),
                ("DISABLED", "disabled", "停用"),
                ("ARCHIVED", "archived", "归档"),
                ("1", "legacy_one", "旧版状态1"),
            ],
        )
    };
    let name = ctx.type_name(role);
    let count = ctx.rng.between(2, values.len());
    let values = values[..count]
        .iter()
        .map(|(value, variant, zh)| {
            let wire = if integer {
                yaml::int(value.parse().unwrap_or_default())
            } else {
                yaml::string(value)
            };
            Node::Flow(vec![
                ("value", wire),
                ("name", yaml::string(variant)),
                ("description", yaml::string(zh)),
            ])
        })
        .collect();
    let mut entries = vec![
        ("name", yaml::string(&name)),
        (
            "type",
            yaml::string(if integer { "integer" } else { "string" }),
        ),
        (
            "description",
            yaml::string(&format!("{}状态。", ctx.noun.zh)),
        ),
    ];
    if ctx.rng.chance(20) {
        entries.push((
            "note",
            yaml::string("Values the document does not list come back as `Unknown`."),
        ));
    }
    entries.push(("values", Node::Seq(values)));
    ctx.types.enums.push(Node::Map(entries));
    let mut field = Field::new(ctx.wire(base, member), name).described("业务状态。");
    field.required = ctx.rng.chance(50);
    field
}

/// `null` that means something: required (`Option<T>`) or optional (`Option<Option<T>>`).
fn nullable_response(ctx: &mut Ctx<'_>, base: Base) -> Field {
    let mut field =
        Field::new(ctx.wire(base, "memo"), "string").described("备注,null 表示未填写。");
    field.nullable = true;
    field.required = ctx.rng.chance(50);
    field
}

/// One lenient member, its kind rotating with the operation's index.
fn lenient_response(ctx: &mut Ctx<'_>, base: Base) -> Field {
    let (name, ty, kind) = match ctx.index % 4 {
        0 => ("display_order", "int32", "number_or_string"),
        1 => ("visible", "boolean", "bool_or_string"),
        2 => ("tag_list", "list<string>", "one_or_many"),
        _ => ("ext_info", "json", "json_string"),
    };
    Field::new(ctx.wire(base, name), ty)
        .lenient(kind)
        .note("the server sends either form")
}
