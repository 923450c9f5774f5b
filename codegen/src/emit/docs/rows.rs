//! Plain rows for the reference page template, built from the IR.

use serde::Serialize;

use super::super::fields::describe_limits;
use super::super::rust::markdown_link;

use crate::ir::{self, AuthLocation, PaginationStyle, ParamLocation, Stability};

#[derive(Serialize)]
pub(super) struct Page {
    spec_file: String,
    title: String,
    module: String,
    description: Option<String>,
    /// The source documents as Markdown links (or titles, where the address is unknown).
    sources: Vec<String>,
    bases: Vec<BaseRow>,
    groups: Vec<GroupSection>,
    undocumented: Vec<String>,
    operation_count: usize,
    type_count: usize,
}

#[derive(Serialize)]
struct BaseRow {
    id: String,
    url: String,
    auth: String,
    envelope: String,
}

#[derive(Serialize)]
struct GroupSection {
    module: String,
    title: String,
    spec_file: String,
    operations: Vec<OperationSection>,
    types: Vec<TypeSection>,
}

#[derive(Serialize)]
struct OperationSection {
    id: String,
    summary: String,
    http: String,
    facts: Vec<String>,
    description: Option<String>,
    params: Vec<FieldRow>,
    response: Vec<FieldRow>,
    example: String,
}

#[derive(Serialize)]
struct FieldRow {
    name: String,
    place: String,
    ty: String,
    required: bool,
    limits: String,
    default: String,
    description: String,
}

#[derive(Serialize)]
struct TypeSection {
    name: String,
    kind: String,
    description: String,
    fields: Vec<FieldRow>,
}

pub(super) fn page(platform: &ir::Platform) -> Page {
    let groups: Vec<GroupSection> = platform.groups.iter().map(|g| group(platform, g)).collect();
    Page {
        spec_file: platform.spec_file.clone(),
        title: platform.title.clone(),
        module: platform.module.clone(),
        description: platform.description.clone(),
        sources: platform
            .sources
            .iter()
            .map(|s| markdown_link(&s.title, s.url.as_deref()))
            .collect(),
        bases: platform.bases.iter().map(base_row).collect(),
        operation_count: groups.iter().map(|g| g.operations.len()).sum(),
        type_count: groups.iter().map(|g| g.types.len()).sum(),
        groups,
        undocumented: platform
            .undocumented
            .iter()
            .map(|u| match &u.method {
                Some(method) => format!("{} / {} (`{method}`)", u.section, u.title),
                None => format!("{} / {}", u.section, u.title),
            })
            .collect(),
    }
}

fn base_row(base: &ir::Base) -> BaseRow {
    let auth = match base.auth {
        AuthLocation::Query => format!("query `{}`", base.auth_name),
        AuthLocation::Header => format!("header `{}`", base.auth_name),
        AuthLocation::Body => format!("body member `{}`", base.auth_name),
        AuthLocation::None => "none".to_owned(),
    };
    let members = base.envelope.members();
    let code = members.code_field.as_deref().unwrap_or("-");
    let mut envelope = match &base.envelope {
        ir::Envelope::BodyCode { success_field, .. } => match success_field {
            Some(flag) => format!(
                "`{code}`/`{}` and `{flag}` in the body",
                members.message_field
            ),
            None => format!("`{code}`/`{}` in the body", members.message_field),
        },
        ir::Envelope::SuccessFlag { success_field, .. } => format!(
            "`{success_field}` in the body (with `{code}`/`{}`)",
            members.message_field
        ),
        ir::Envelope::HttpStatus { .. } => format!(
            "HTTP status, `{code}`/`{}` in error bodies",
            members.message_field
        ),
    };
    if let Some(payload) = base.envelope.payload() {
        envelope.push_str(&format!("; payload in `{payload}`"));
    }
    BaseRow {
        id: base.id.clone(),
        url: base.url.clone(),
        auth,
        envelope,
    }
}

fn group(platform: &ir::Platform, group: &ir::Group) -> GroupSection {
    let operations = group
        .operations
        .iter()
        .map(|op| operation(platform, group, op))
        .collect();
    let models = group.models.iter().map(|m| TypeSection {
        name: m.name.clone(),
        kind: "model".to_owned(),
        description: one_line(m.description.as_deref()),
        fields: m.fields.iter().map(|f| field_row(f, "")).collect(),
    });
    let enums = group.enums.iter().map(|e| TypeSection {
        name: e.name.clone(),
        kind: "enum".to_owned(),
        description: one_line(e.description.as_deref()),
        fields: e
            .values
            .iter()
            .map(|v| FieldRow {
                name: v.variant.clone(),
                place: String::new(),
                ty: wire(&v.wire),
                required: false,
                limits: String::new(),
                default: String::new(),
                description: one_line(v.description.as_deref()),
            })
            .collect(),
    });
    let unions = group.unions.iter().map(|u| TypeSection {
        name: u.name.clone(),
        kind: format!("union tagged by `{}`", u.tag),
        description: one_line(u.description.as_deref()),
        fields: u
            .variants
            .iter()
            .map(|v| FieldRow {
                name: v.variant.clone(),
                place: if v.supported {
                    String::new()
                } else {
                    "not supported yet".to_owned()
                },
                ty: v.ty.spec_expression(),
                required: false,
                limits: String::new(),
                default: format!("`{}`", v.value),
                description: one_line(v.description.as_deref()),
            })
            .collect(),
    });
    GroupSection {
        module: group.module.clone(),
        title: group.title.clone(),
        spec_file: group.spec_file.clone(),
        operations,
        types: models.chain(unions).chain(enums).collect(),
    }
}

fn operation(platform: &ir::Platform, group: &ir::Group, op: &ir::Operation) -> OperationSection {
    let base = &platform.bases[op.base];
    let mut facts = Vec::new();
    facts.push(if op.auth {
        format!("token: {}", base_row(base).auth)
    } else {
        "no token".to_owned()
    });
    let has_body = op
        .params
        .iter()
        .any(|p| p.location == ir::ParamLocation::Body);
    match op.encoding {
        ir::BodyEncoding::Form if has_body => {
            facts.push("body: `application/x-www-form-urlencoded`".to_owned())
        }
        ir::BodyEncoding::Multipart if has_body => {
            facts.push("body: `multipart/form-data`".to_owned())
        }
        _ => {}
    }
    if let Some(signature) = op.signing.and_then(|i| platform.signatures.get(i)) {
        facts.push(format!(
            "signed (`{}`, computed by the runtime)",
            signature.id
        ));
    }
    if op.response_shape == ir::ResponseShape::File {
        facts.push("returns a file (`Download`)".to_owned());
    }
    if op.idempotent {
        facts.push("idempotent (retried after timeouts and gateway errors)".to_owned());
    }
    if let Some(p) = &op.pagination {
        let style = match p.style {
            PaginationStyle::Cursor => "cursor",
            PaginationStyle::Offset => "offset",
            PaginationStyle::Page => "page",
        };
        facts.push(format!(
            "paginated by {style}: `{}` yields every item, `{}` every page with the request to resume from",
            p.stream_method, p.pages_method
        ));
    }
    match op.stability {
        Stability::Stable => {}
        Stability::InDevelopment => facts.push("**in development** (开发中)".to_owned()),
        Stability::Deprecated => facts.push("**deprecated**".to_owned()),
    }
    let params = op
        .params
        .iter()
        .map(|p| {
            let place = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Body => "body",
            };
            field_row(&p.field, place)
        })
        .collect();
    if let Some(first) = facts.first_mut() {
        // The facts read as one sentence after the HTTP line.
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().chain(chars).collect();
        }
    }
    OperationSection {
        id: format!("{}.{}", group.module, op.id),
        summary: op.summary.clone(),
        http: format!(
            "{} {}{}",
            op.http_method.as_str(),
            base.url,
            op.path_template()
        ),
        facts,
        description: op.description.clone(),
        params,
        response: op.response.iter().map(|f| field_row(f, "")).collect(),
        example: example_call(platform, group, op),
    }
}

/// `let response = client.group().method(Request::new(a, b)).await?;`
fn example_call(platform: &ir::Platform, group: &ir::Group, op: &ir::Operation) -> String {
    let args: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.field.required)
        .map(|p| p.field.rust_name.trim_start_matches("r#"))
        .collect();
    format!(
        "use open_platform_clients::{platform}::{group};\n\nlet response = client.{group}().{method}({group}::{request}::new({args})).await?;",
        platform = platform.module,
        group = group.module,
        method = op.method_name,
        request = op.request_type,
        args = args.join(", "),
    )
}

fn field_row(field: &ir::Field, place: &str) -> FieldRow {
    let limits = describe_limits(&field.limits).unwrap_or_default();
    let mut ty = field.ty.spec_expression();
    if field.nullable {
        ty.push_str(" (nullable)");
    }
    FieldRow {
        name: field.wire_name.clone(),
        place: place.to_owned(),
        ty,
        required: field.required,
        limits,
        default: field
            .default
            .as_ref()
            .map(|d| format!("`{d}`"))
            .unwrap_or_default(),
        description: one_line(field.description.as_deref()),
    }
}

fn wire(value: &ir::CodeValue) -> String {
    match value {
        ir::CodeValue::Integer(n) => format!("`{n}`"),
        ir::CodeValue::String(s) => format!("`\"{s}\"`"),
    }
}

/// Table cells hold one line; pipes would end the cell.
fn one_line(text: Option<&str>) -> String {
    text.unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
