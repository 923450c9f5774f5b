//! The `paths` of the OpenAPI documents: one operation per spec operation, with its
//! parameters, request body, responses and security, and the error responses they share.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::schemas::{field_schema, object_schema};
use super::{code_value, insert_some, object, security_scheme_name, server};
use crate::ir::{self, AuthLocation, CodeType, ParamLocation, Stability, Type};

/// The `paths` object, and the operations it could not hold. OpenAPI keys an operation by
/// path and method alone, so two operations of one platform that differ only in their base
/// cannot both be there; the second is listed (for `x-omitted-operations`) rather than
/// dropped without a word.
pub(super) fn paths(platform: &ir::Platform) -> (Map<String, Value>, Vec<Value>) {
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut omitted = Vec::new();
    for group in &platform.groups {
        for op in &group.operations {
            let item = paths.entry(op.path_template()).or_default();
            let method = op.http_method.as_str().to_ascii_lowercase();
            if let Some(first) = item.get(&method) {
                omitted.push(json!({
                    "operationId": operation_id(group, op),
                    "reason": format!("same method and path as {}", first["operationId"]),
                }));
                continue;
            }
            item.insert(method, operation(platform, group, op));
        }
    }
    let paths = paths
        .into_iter()
        .map(|(path, item)| (path, Value::Object(item)))
        .collect();
    (paths, omitted)
}

/// `<group>.<operation id>`, as `service.yaml` names the token operation.
pub(super) fn operation_id(group: &ir::Group, op: &ir::Operation) -> String {
    format!("{}.{}", group.module, op.id)
}

/// One operation object.
fn operation(platform: &ir::Platform, group: &ir::Group, op: &ir::Operation) -> Value {
    let ir::Operation {
        id: _,
        method_name: _,
        example_const: _,
        request_type: _,
        response_type: _,
        summary,
        description,
        doc,
        http_method: _,
        base,
        path: _,
        auth,
        params,
        response,
        success_message,
        note,
        stability,
        idempotent,
        pagination,
        has_limits: _,
        issues_token: _,
        holds_secrets: _,
        envelope_code: _,
        encoding,
        signing,
        credential,
        // How the client paces its calls, not part of the HTTP contract.
        rate_limit: _,
        response_shape,
    } = op;
    let base = &platform.bases[*base];
    let mut operation = object([
        ("operationId", json!(operation_id(group, op))),
        ("summary", json!(summary)),
        ("tags", json!([group.module])),
        (
            "responses",
            match response_shape {
                ir::ResponseShape::File => file_responses(),
                _ => responses(base, response, success_message.as_ref()),
            },
        ),
        ("x-stability", json!(stability_name(*stability))),
        ("x-idempotent", json!(idempotent)),
    ]);
    insert_some(&mut operation, "description", description.as_deref());
    let parameters: Vec<Value> = params.iter().filter_map(parameter).collect();
    if !parameters.is_empty() {
        operation.insert("parameters".to_owned(), Value::Array(parameters));
    }
    if let Some(body) = request_body(params, *encoding) {
        operation.insert("requestBody".to_owned(), body);
    }
    if *auth && base.auth != AuthLocation::None {
        let requirement = json!([{ security_scheme_name(base): [] }]);
        operation.insert("security".to_owned(), requirement);
    }
    // The document's servers are the first base; an operation on another base says its own.
    if platform.bases.len() > 1 {
        operation.insert("servers".to_owned(), json!([server(base)]));
    }
    if *stability == Stability::Deprecated {
        operation.insert("deprecated".to_owned(), json!(true));
    }
    if let Some(pagination) = pagination {
        let payload = match response_shape {
            ir::ResponseShape::Payload(_) => base.envelope.payload(),
            _ => None,
        };
        operation.insert(
            "x-pagination".to_owned(),
            pagination_extension(pagination, payload),
        );
    }
    if let Some(credential) = credential.and_then(|i| platform.credentials.get(i)) {
        operation.insert("x-credential".to_owned(), json!(credential.id));
    }
    if let Some(signature) = signing.and_then(|i| platform.signatures.get(i)) {
        operation.insert("x-signing".to_owned(), json!(signature.id));
    }
    insert_some(&mut operation, "x-doc", doc.as_deref());
    insert_some(&mut operation, "x-note", note.as_deref());
    Value::Object(operation)
}

fn stability_name(stability: Stability) -> &'static str {
    match stability {
        Stability::Stable => "stable",
        Stability::InDevelopment => "in_development",
        Stability::Deprecated => "deprecated",
    }
}

/// A path, query or header parameter; body members go to [`request_body`].
fn parameter(param: &ir::Param) -> Option<Value> {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Body => return None,
    };
    let field = &param.field;
    let mut schema = field_schema(field);
    // The parameter object has a description and an example of its own; the schema need not
    // say them twice.
    let description = schema.remove("description");
    let example = schema.remove("example");
    // OpenAPI requires every path parameter to be required: a path cannot leave out a
    // placeholder, whatever the spec says.
    let required = field.required || param.location == ParamLocation::Path;
    let mut parameter = object([
        ("name", json!(field.wire_name)),
        ("in", json!(location)),
        ("required", json!(required)),
        ("schema", Value::Object(schema)),
    ]);
    if let Some(description) = description {
        parameter.insert("description".to_owned(), description);
    }
    if let Some(example) = example {
        parameter.insert("example".to_owned(), example);
    }
    Some(Value::Object(parameter))
}

/// A download's success: the file, of whatever content type the server sends.
fn file_responses() -> Value {
    json!({
        "200": {
            "description": "The file.",
            "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } },
        }
    })
}

/// The body: an object of the body members in the operation's encoding, if it has any.
fn request_body(params: &[ir::Param], encoding: ir::BodyEncoding) -> Option<Value> {
    let body: Vec<&ir::Field> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Body)
        .map(|p| &p.field)
        .collect();
    if body.is_empty() {
        return None;
    }
    let required = body.iter().any(|f| f.required);
    let schema = object_schema(body);
    let media_type = match encoding {
        ir::BodyEncoding::Json => "application/json",
        ir::BodyEncoding::Form => "application/x-www-form-urlencoded",
        ir::BodyEncoding::Multipart => "multipart/form-data",
    };
    Some(json!({
        "required": required,
        "content": { media_type: { "schema": schema } },
    }))
}

/// `200` with the response members (the envelope's message with the document's example, if
/// it shows one), and for a base that reports errors by HTTP status, the shared error body as
/// `default`.
fn responses(
    base: &ir::Base,
    response: &[ir::Field],
    success_message: Option<&ir::Value>,
) -> Value {
    let envelope = &base.envelope;
    let (description, envelope_fields) = match envelope {
        ir::Envelope::BodyCode {
            members,
            success,
            success_field,
            ..
        } => {
            let mut description = format!(
                "The response. Errors are HTTP 200 too, with `{}` other than {}",
                members.code_field.as_deref().unwrap_or_default(),
                code_value(success)
            );
            if let Some(flag) = success_field {
                description.push_str(&format!(" or `{flag}` false"));
            }
            description.push('.');
            (description, envelope_members(envelope))
        }
        ir::Envelope::SuccessFlag { success_field, .. } => (
            format!("The response. Errors are HTTP 200 too, with `{success_field}` false."),
            envelope_members(envelope),
        ),
        ir::Envelope::HttpStatus { .. } => ("The response.".to_owned(), Vec::new()),
    };
    // The IR leaves the envelope's members out of `response` because the runtime consumes
    // them, but they are on the wire, so the document shows them; one the spec lists itself
    // (a request id, say) is not repeated.
    let envelope_fields: Vec<ir::Field> = envelope_fields
        .into_iter()
        .filter(|e| response.iter().all(|f| f.wire_name != e.wire_name))
        .map(|mut e| {
            if e.wire_name == envelope.members().message_field {
                e.example = success_message.cloned();
            }
            e
        })
        .collect();
    let schema = object_schema(envelope_fields.iter().chain(response));
    let mut responses = object([(
        "200",
        json!({
            "description": description,
            "content": { "application/json": { "schema": schema } },
        }),
    )]);
    if let ir::Envelope::HttpStatus { .. } = envelope {
        let target = format!("#/components/responses/{}", error_response_name(base));
        responses.insert("default".to_owned(), json!({ "$ref": target }));
    }
    Value::Object(responses)
}

/// The name of a base's error response in `components.responses`.
fn error_response_name(base: &ir::Base) -> String {
    format!("{}_error", base.id)
}

/// The error responses of the bases that report errors by HTTP status, by name.
pub(super) fn error_responses(platform: &ir::Platform) -> Map<String, Value> {
    platform
        .bases
        .iter()
        .filter(|base| matches!(base.envelope, ir::Envelope::HttpStatus { .. }))
        .map(|base| {
            let fields = envelope_members(&base.envelope);
            let response = json!({
                "description": "An error: an HTTP 4xx or 5xx status with the platform's code and message.",
                "content": { "application/json": { "schema": object_schema(&fields) } },
            });
            (error_response_name(base), response)
        })
        .collect()
}

/// The envelope's members as fields, so that they get schemas like any other member. None
/// is required: the runtime takes a missing code on a 2xx status as success.
fn envelope_members(envelope: &ir::Envelope) -> Vec<ir::Field> {
    let ir::ErrorMembers {
        code_field,
        code_type,
        message_field,
        request_id_field,
        sub_code_field,
        sub_message_field,
    } = envelope.members();
    let success = envelope.success();
    let code_ty = match code_type {
        CodeType::Integer => Type::Int64,
        CodeType::String => Type::String,
    };
    let code_description = match success {
        Some(success) => format!(
            "The result code: {} on success, any other value is an error.",
            code_value(success)
        ),
        None => "The error code.".to_owned(),
    };
    let example = success.map(ir::CodeValue::to_value);
    let mut members: Vec<ir::Field> = code_field
        .iter()
        .map(|field| envelope_member(field, code_ty.clone(), &code_description, example.clone()))
        .collect();
    if let Some(flag) = envelope.success_field() {
        let description = "`true` on success, `false` on an error.";
        members.push(envelope_member(
            flag,
            Type::Boolean,
            description,
            Some(ir::Value::Bool(true)),
        ));
    }
    members.push(envelope_member(
        message_field,
        Type::String,
        "The message.",
        None,
    ));
    let optional = [
        (
            request_id_field,
            "The request id, for the platform's support.",
        ),
        (sub_code_field, "A finer code sent with some error codes."),
        (sub_message_field, "The message of the finer code."),
    ];
    for (name, description) in optional {
        if let Some(name) = name {
            members.push(envelope_member(name, Type::String, description, None));
        }
    }
    members
}

fn envelope_member(
    wire_name: &str,
    ty: Type,
    description: &str,
    example: Option<ir::Value>,
) -> ir::Field {
    ir::Field {
        wire_name: wire_name.to_owned(),
        rust_name: wire_name.to_owned(),
        setter_name: wire_name.to_owned(),
        ty,
        required: false,
        description: Some(description.to_owned()),
        example,
        default: None,
        doc_type: None,
        note: None,
        limits: ir::Limits::default(),
        nullable: false,
        lenient: None,
        flatten: false,
        send_default: false,
    }
}

/// `x-pagination`: the style and the dotted wire paths, as the spec writes them (response
/// paths below a wrapped payload start with the payload member, as on the wire).
fn pagination_extension(pagination: &ir::Pagination, payload: Option<&str>) -> Value {
    let ir::Pagination {
        stream_method: _,
        pages_method: _,
        style,
        request,
        items,
        item_type: _,
        next,
        has_more,
        size,
        total_page,
        total_count,
    } = pagination;
    let response_path = |path: &ir::FieldPath| {
        let path = wire_path(path);
        match (payload, path.is_empty()) {
            (Some(payload), true) => payload.to_owned(),
            (Some(payload), false) => format!("{payload}.{path}"),
            (None, _) => path,
        }
    };
    let style = match style {
        ir::PaginationStyle::Cursor => "cursor",
        ir::PaginationStyle::Offset => "offset",
        ir::PaginationStyle::Page => "page",
    };
    let mut extension = object([
        ("style", json!(style)),
        ("request", json!(wire_path(request))),
        ("items", json!(response_path(items))),
    ]);
    if let Some(size) = size {
        extension.insert("size".to_owned(), json!(wire_path(size)));
    }
    let response_paths = [
        ("next", next),
        ("has_more", has_more),
        ("total_page", total_page),
        ("total_count", total_count),
    ];
    for (key, path) in response_paths {
        if let Some(path) = path {
            extension.insert(key.to_owned(), json!(response_path(path)));
        }
    }
    Value::Object(extension)
}

/// The wire names along a resolved path, joined by dots.
fn wire_path(path: &ir::FieldPath) -> String {
    let names: Vec<&str> = path.steps.iter().map(|s| s.wire_name.as_str()).collect();
    names.join(".")
}
