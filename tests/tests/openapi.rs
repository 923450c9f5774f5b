//! The OpenAPI export (`cargo xtask openapi`): every document parses with `openapiv3` as a
//! consumer would read the written file, reads back to the same JSON (so no key was ignored),
//! and holds every operation, parameter and named type of the specs.

use codegen::ir;
use openapiv3::{
    APIKeyLocation, IntegerFormat, OpenAPI, Operation, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, SecurityScheme, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use tests::support::workspace_root;

const SPECS: &str = "specs";
const KITCHEN_SINK: &str = "tests/fixtures/kitchen_sink/specs";

fn api(specs_dir: &str) -> ir::Api {
    let files = xtask::read_specs(workspace_root(), specs_dir).expect("specs readable");
    codegen::check(&files).unwrap_or_else(|d| panic!("{specs_dir} is invalid:\n{d}"))
}

/// Each platform with its document, parsed from the exact text `cargo xtask openapi` writes.
fn documents(api: &ir::Api) -> Vec<(&ir::Platform, OpenAPI)> {
    let files = codegen::openapi::files(api);
    assert_eq!(
        files.len(),
        api.platforms.len(),
        "one document per platform"
    );
    api.platforms
        .iter()
        .map(|platform| {
            let text = &files[&format!("{}.json", platform.module)];
            let document = serde_json::from_str(text)
                .unwrap_or_else(|err| panic!("{}.json does not parse: {err}", platform.module));
            (platform, document)
        })
        .collect()
}

fn operation<'a>(document: &'a OpenAPI, path: &str, method: &str) -> &'a Operation {
    document
        .operations()
        .find(|(p, m, _)| *p == path && *m == method)
        .map(|(_, _, op)| op)
        .unwrap_or_else(|| panic!("no {method} {path}"))
}

fn operation_by_id<'a>(document: &'a OpenAPI, id: &str) -> &'a Operation {
    document
        .operations()
        .map(|(_, _, op)| op)
        .find(|op| op.operation_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn item(schema: &ReferenceOr<Schema>) -> &Schema {
    schema.as_item().expect("an inline schema")
}

fn boxed_item(schema: &ReferenceOr<Box<Schema>>) -> &Schema {
    schema.as_item().expect("an inline schema")
}

fn component<'a>(document: &'a OpenAPI, name: &str) -> &'a Schema {
    let components = document.components.as_ref().expect("components");
    item(&components.schemas[name])
}

fn parameter_data<'a>(op: &'a Operation, name: &str) -> &'a openapiv3::ParameterData {
    op.parameters
        .iter()
        .map(|p| {
            p.as_item()
                .expect("an inline parameter")
                .parameter_data_ref()
        })
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

fn parameter_schema<'a>(op: &'a Operation, name: &str) -> &'a Schema {
    match &parameter_data(op, name).format {
        ParameterSchemaOrContent::Schema(schema) => item(schema),
        ParameterSchemaOrContent::Content(_) => panic!("{name} has content, not a schema"),
    }
}

/// The JSON request body: its object schema and the members `allOf`ed beside it (flattened
/// fields).
fn request_body(op: &Operation) -> (&openapiv3::ObjectType, Vec<&ReferenceOr<Schema>>) {
    let body = op.request_body.as_ref().expect("a request body");
    // One media type per body: JSON, form or multipart, as the operation encodes it.
    let content = &body.as_item().expect("an inline body").content;
    assert_eq!(content.len(), 1, "one media type");
    let schema = content[0].schema.as_ref().expect("a body schema");
    let (object, flattened) = match &item(schema).schema_kind {
        SchemaKind::AllOf { all_of } => (&all_of[0], all_of[1..].iter().collect()),
        _ => (schema, Vec::new()),
    };
    match &item(object).schema_kind {
        SchemaKind::Type(Type::Object(object)) => (object, flattened),
        other => panic!("the body is not an object: {other:?}"),
    }
}

/// A property, inline or a reference.
fn has_property(object: &openapiv3::ObjectType, name: &str) {
    assert!(object.properties.contains_key(name), "no property {name}");
}

/// An inline property.
fn property<'a>(object: &'a openapiv3::ObjectType, name: &str) -> &'a Schema {
    boxed_item(
        object
            .properties
            .get(name)
            .unwrap_or_else(|| panic!("no property {name}")),
    )
}

/// The type-specific part of a schema.
fn kind(schema: &Schema) -> &SchemaKind {
    &schema.schema_kind
}

/// Every inline schema below `schema`, itself included.
fn each_schema<'a>(schema: &'a Schema, found: &mut Vec<&'a Schema>) {
    found.push(schema);
    let mut visit = |child: &'a ReferenceOr<Schema>| {
        if let ReferenceOr::Item(child) = child {
            each_schema(child, found);
        }
    };
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => list.iter().for_each(&mut visit),
        SchemaKind::Not { not } => visit(not),
        SchemaKind::Type(Type::Object(object)) => {
            for property in object.properties.values() {
                if let ReferenceOr::Item(child) = property {
                    each_schema(child, found);
                }
            }
            if let Some(openapiv3::AdditionalProperties::Schema(child)) =
                &object.additional_properties
            {
                if let ReferenceOr::Item(child) = child.as_ref() {
                    each_schema(child, found);
                }
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(child)) = &array.items {
                each_schema(child, found);
            }
        }
        SchemaKind::Type(_) | SchemaKind::Any(_) => {}
    }
}

/// Every schema of a document: components, parameters, bodies and responses.
fn all_schemas(document: &OpenAPI) -> Vec<&Schema> {
    let mut roots: Vec<&ReferenceOr<Schema>> = Vec::new();
    let components = document.components.as_ref().expect("components");
    roots.extend(components.schemas.values());
    let responses = components
        .responses
        .values()
        .filter_map(ReferenceOr::as_item);
    for (_, _, op) in document.operations() {
        for parameter in op.parameters.iter().filter_map(ReferenceOr::as_item) {
            if let ParameterSchemaOrContent::Schema(schema) = &parameter.parameter_data_ref().format
            {
                roots.push(schema);
            }
        }
        if let Some(ReferenceOr::Item(body)) = &op.request_body {
            roots.extend(body.content.values().filter_map(|m| m.schema.as_ref()));
        }
        let own = op
            .responses
            .responses
            .values()
            .filter_map(ReferenceOr::as_item);
        for response in own {
            roots.extend(response.content.values().filter_map(|m| m.schema.as_ref()));
        }
    }
    for response in responses {
        roots.extend(response.content.values().filter_map(|m| m.schema.as_ref()));
    }
    let mut found = Vec::new();
    for root in roots {
        if let ReferenceOr::Item(schema) = root {
            each_schema(schema, &mut found);
        }
    }
    found
}

#[test]
fn every_document_parses_and_reads_back_unchanged() {
    for specs in [SPECS, KITCHEN_SINK] {
        let api = api(specs);
        let files = codegen::openapi::files(&api);
        for (platform, document) in documents(&api) {
            let name = format!("{}.json", platform.module);
            assert_eq!(document.openapi, "3.0.3");
            assert_eq!(document.info.title, platform.title);
            // openapiv3 drops keys it does not know (other than `x-` extensions), so finding
            // every written value in what it read shows that every key is one OpenAPI 3.0
            // defines, in the place it is defined.
            let written: serde_json::Value = serde_json::from_str(&files[&name]).expect("json");
            let read_back = serde_json::to_value(&document).expect("serializable");
            let mut lost = Vec::new();
            lost_values(&written, &read_back, "", &mut lost);
            assert!(lost.is_empty(), "openapiv3 did not read {name} at {lost:?}");
            assert!(files[&name].ends_with("}\n"), "{name} ends with a newline");
        }
    }
}

/// The places where `read_back` lacks or changes a value of `written`. openapiv3 writes a
/// few defaults of its own (a parameter's `style`) and leaves out `false` flags, so keys it
/// adds, and a `false` it leaves out, are not losses.
fn lost_values(
    written: &serde_json::Value,
    read_back: &serde_json::Value,
    at: &str,
    lost: &mut Vec<String>,
) {
    use serde_json::Value;
    match (written, read_back) {
        (Value::Object(written), Value::Object(read_back)) => {
            for (key, value) in written {
                let here = format!("{at}/{key}");
                match read_back.get(key) {
                    Some(other) => lost_values(value, other, &here, lost),
                    None if *value == Value::Bool(false) => {}
                    None => lost.push(here),
                }
            }
        }
        (Value::Array(written), Value::Array(read_back)) if written.len() == read_back.len() => {
            for (i, (value, other)) in written.iter().zip(read_back).enumerate() {
                lost_values(value, other, &format!("{at}/{i}"), lost);
            }
        }
        _ if written == read_back => {}
        _ => lost.push(at.to_owned()),
    }
}

/// openapiv3 reads a schema that mixes keywords of different types (`maxItems` on a string,
/// say) as an untyped `Any` schema; the only untyped schema the exporter means to write is
/// the empty one of `json`.
#[test]
fn every_schema_has_one_type_or_combinator() {
    for specs in [SPECS, KITCHEN_SINK] {
        let api = api(specs);
        for (platform, document) in documents(&api) {
            for schema in all_schemas(&document) {
                if let SchemaKind::Any(any) = kind(schema) {
                    assert_eq!(
                        any,
                        &openapiv3::AnySchema::default(),
                        "{}: a schema mixes keywords: {schema:?}",
                        platform.module
                    );
                }
            }
        }
    }
}

#[test]
fn every_operation_is_exported() {
    for specs in [SPECS, KITCHEN_SINK] {
        let api = api(specs);
        for (platform, document) in documents(&api) {
            let mut count = 0;
            for group in &platform.groups {
                for op in &group.operations {
                    let method = op.http_method.as_str().to_ascii_lowercase();
                    let exported = operation(&document, &op.path_template(), &method);
                    let id = format!("{}.{}", group.module, op.id);
                    assert_eq!(exported.operation_id.as_deref(), Some(id.as_str()));
                    assert_eq!(exported.summary.as_deref(), Some(op.summary.as_str()));
                    assert_eq!(exported.tags, std::slice::from_ref(&group.module));
                    assert_eq!(exported.description, op.description);
                    count += 1;
                }
            }
            assert_eq!(document.operations().count(), count, "{}", platform.module);
            assert!(!document.extensions.contains_key("x-omitted-operations"));
        }
    }
}

#[test]
fn every_parameter_is_exported_with_its_location_and_requiredness() {
    for specs in [SPECS, KITCHEN_SINK] {
        let api = api(specs);
        for (platform, document) in documents(&api) {
            for op in platform.groups.iter().flat_map(|g| &g.operations) {
                let method = op.http_method.as_str().to_ascii_lowercase();
                let exported = operation(&document, &op.path_template(), &method);
                for param in &op.params {
                    check_parameter(exported, param);
                }
                let in_body = op
                    .params
                    .iter()
                    .any(|p| p.location == ir::ParamLocation::Body);
                assert_eq!(exported.request_body.is_some(), in_body, "{}", op.id);
            }
        }
    }
}

fn check_parameter(exported: &Operation, param: &ir::Param) {
    let field = &param.field;
    let name = &field.wire_name;
    if param.location == ir::ParamLocation::Body {
        let (object, flattened) = request_body(exported);
        if field.flatten {
            // A flattened union is `allOf`ed beside the body object, by reference.
            let ir::Type::Union(union) = &field.ty else {
                panic!("{name} is flattened but not a union")
            };
            let target = format!("\"#/components/schemas/{}\"", union.name);
            let members = serde_json::to_string(&flattened).expect("serializable");
            assert!(members.contains(&target), "{name}: {members}");
        } else {
            has_property(object, name);
            assert_eq!(object.required.contains(name), field.required, "{name}");
        }
        return;
    }
    let parameter = exported
        .parameters
        .iter()
        .map(|p| p.as_item().expect("inline"))
        .find(|p| &p.parameter_data_ref().name == name)
        .unwrap_or_else(|| panic!("no parameter {name}"));
    let location_matches = matches!(
        (param.location, parameter),
        (ir::ParamLocation::Path, Parameter::Path { .. })
            | (ir::ParamLocation::Query, Parameter::Query { .. })
            | (ir::ParamLocation::Header, Parameter::Header { .. })
    );
    assert!(
        location_matches,
        "{name} is not in the {:?}",
        param.location
    );
    // OpenAPI requires path parameters to be required.
    let required = field.required || param.location == ir::ParamLocation::Path;
    assert_eq!(parameter.parameter_data_ref().required, required, "{name}");
}

#[test]
fn every_model_enum_and_union_is_a_component_schema() {
    for specs in [SPECS, KITCHEN_SINK] {
        let api = api(specs);
        for (platform, document) in documents(&api) {
            for group in &platform.groups {
                for model in &group.models {
                    let schema = component(&document, &model.name);
                    let SchemaKind::Type(Type::Object(object)) = kind(schema) else {
                        panic!("{} is not an object", model.name)
                    };
                    for field in model.fields.iter().filter(|f| !f.flatten) {
                        has_property(object, &field.wire_name);
                    }
                }
                for enumeration in &group.enums {
                    let schema = component(&document, &enumeration.name);
                    let values = match kind(schema) {
                        SchemaKind::Type(Type::String(s)) => s.enumeration.len(),
                        SchemaKind::Type(Type::Integer(i)) => i.enumeration.len(),
                        other => panic!("{} is {other:?}", enumeration.name),
                    };
                    assert_eq!(values, enumeration.values.len(), "{}", enumeration.name);
                }
                for union in &group.unions {
                    let schema = component(&document, &union.name);
                    let SchemaKind::OneOf { one_of } = kind(schema) else {
                        panic!("{} is not a oneOf", union.name)
                    };
                    assert_eq!(one_of.len(), union.variants.len());
                    let discriminator = schema.schema_data.discriminator.as_ref().expect("tag");
                    assert_eq!(discriminator.property_name, union.tag);
                    for variant in &union.variants {
                        let target = &discriminator.mapping[&variant.value];
                        let name = target.trim_start_matches("#/components/schemas/");
                        component(&document, name);
                    }
                }
            }
        }
    }
}

fn api_key(document: &OpenAPI, op: &Operation) -> (APIKeyLocation, String) {
    let security = op.security.as_ref().expect("the operation carries a token");
    assert_eq!(security.len(), 1);
    let scheme = security[0].keys().next().expect("one scheme");
    let components = document.components.as_ref().expect("components");
    match components.security_schemes[scheme].as_item() {
        Some(SecurityScheme::APIKey { location, name, .. }) => (location.clone(), name.clone()),
        other => panic!("{scheme} is {other:?}"),
    }
}

#[test]
fn token_placement_becomes_security_schemes() {
    let api = api(SPECS);
    let documents = documents(&api);
    let dingtalk = &documents
        .iter()
        .find(|(p, _)| p.module == "dingtalk")
        .expect("dingtalk")
        .1;
    let dismissions = operation_by_id(dingtalk, "hrm.list_dismissions");
    assert_eq!(
        api_key(dingtalk, dismissions),
        (
            APIKeyLocation::Header,
            "x-acs-dingtalk-access-token".to_owned()
        )
    );
    // The newer API lives on another host than the document's first server.
    assert_eq!(dismissions.servers[0].url, "https://api.dingtalk.com");
    assert_eq!(dingtalk.servers[0].url, "https://oapi.dingtalk.com");
    let ids = operation_by_id(dingtalk, "blackboard.list_ids");
    assert_eq!(
        api_key(dingtalk, ids),
        (APIKeyLocation::Query, "access_token".to_owned())
    );
    // The token endpoint itself carries no token.
    assert_eq!(operation_by_id(dingtalk, "auth.get_token").security, None);
    for (platform, document) in &documents {
        for group in &platform.groups {
            for op in group.operations.iter().filter(|op| op.auth) {
                let id = format!("{}.{}", group.module, op.id);
                let (location, name) = api_key(document, operation_by_id(document, &id));
                assert_eq!(name, platform.bases[op.base].auth_name, "{id}");
                let expected = match platform.bases[op.base].auth {
                    ir::AuthLocation::Query => APIKeyLocation::Query,
                    ir::AuthLocation::Header => APIKeyLocation::Header,
                    ir::AuthLocation::Body | ir::AuthLocation::None => {
                        panic!("{id} needs a token its base has no place for in OpenAPI")
                    }
                };
                assert_eq!(location, expected, "{id}");
            }
        }
    }
}

#[test]
fn limits_and_types_map_to_schema_keywords() {
    let api = api(SPECS);
    let documents = documents(&api);
    let dingtalk = &documents
        .iter()
        .find(|(p, _)| p.module == "dingtalk")
        .expect("dingtalk")
        .1;
    let SchemaKind::Type(Type::Object(query)) = kind(component(dingtalk, "OapiBlackboardQueryVo"))
    else {
        panic!("OapiBlackboardQueryVo is not an object")
    };
    let SchemaKind::Type(Type::Integer(page_size)) = kind(property(query, "page_size")) else {
        panic!("page_size is not an integer")
    };
    assert_eq!((page_size.minimum, page_size.maximum), (Some(1), Some(30)));
    assert_eq!(
        page_size.format,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
    );

    let (pre_entry, _) = request_body(operation_by_id(dingtalk, "hrm.list_pre_entry"));
    let SchemaKind::Type(Type::Integer(offset)) = kind(property(pre_entry, "offset")) else {
        panic!("offset is not an integer")
    };
    assert_eq!(
        offset.format,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64)
    );
    assert_eq!(offset.minimum, Some(0));

    let get_token = operation_by_id(dingtalk, "auth.get_token");
    let SchemaKind::Type(Type::String(secret)) = kind(parameter_schema(get_token, "appsecret"))
    else {
        panic!("appsecret is not a string")
    };
    assert_eq!(
        secret.format,
        VariantOrUnknownOrEmpty::Item(StringFormat::Password)
    );

    let (on_job, _) = request_body(operation_by_id(dingtalk, "hrm.list_on_job"));
    let status_list = property(on_job, "status_list");
    assert!(matches!(
        kind(status_list),
        SchemaKind::Type(Type::String(_))
    ));
    let description = status_list
        .schema_data
        .description
        .as_deref()
        .unwrap_or_default();
    assert!(
        description.contains("Comma-separated int32"),
        "{description}"
    );
    assert_eq!(
        status_list.schema_data.example,
        Some(serde_json::json!("2,3,5,-1"))
    );

    // A body_code response shows the envelope's code and message, which the IR leaves out.
    let ids = operation_by_id(dingtalk, "blackboard.list_ids");
    let ok = ids.responses.responses[&openapiv3::StatusCode::Code(200)]
        .as_item()
        .expect("inline");
    let schema = item(
        ok.content["application/json"]
            .schema
            .as_ref()
            .expect("schema"),
    );
    let SchemaKind::Type(Type::Object(response)) = kind(schema) else {
        panic!("the response is not an object")
    };
    property(response, "errcode");
    property(response, "errmsg");
    // An http_status base documents its error body as the default response.
    let dismissions = operation_by_id(dingtalk, "hrm.list_dismissions");
    assert!(dismissions.responses.default.is_some());
    assert!(ids.responses.default.is_none());
}

/// The kitchen sink uses every construct of the spec format; spot checks of the ones the
/// real specs do not reach.
#[test]
fn kitchen_sink_constructs_are_exported() {
    let api = api(KITCHEN_SINK);
    let documents = documents(&api);
    let document = &documents[0].1;

    let update = operation_by_id(document, "things.update_thing");
    assert_eq!(update.servers[0].url, "https://modern.example.com");
    let user_agent = parameter_schema(update, "User-Agent");
    assert_eq!(
        user_agent.schema_data.default,
        Some(serde_json::json!("KS"))
    );
    let SchemaKind::Type(Type::String(tags)) = kind(parameter_schema(update, "tags")) else {
        panic!("a csv query parameter is one string")
    };
    assert_eq!(tags.max_length, None);
    // A csv list is one string on the wire, so its item count is said in words.
    let tags_text = parameter_data(update, "tags").description.clone();
    assert!(tags_text.unwrap_or_default().contains("At most 3 values"));
    let (body, _) = request_body(update);
    let SchemaKind::Type(Type::Array(parts)) = kind(property(body, "parts")) else {
        panic!("parts is not an array")
    };
    assert_eq!(parts.max_items, Some(2));
    assert!(matches!(
        kind(property(body, "labels")),
        SchemaKind::Type(Type::Object(o)) if o.additional_properties.is_some()
    ));
    assert!(matches!(kind(property(body, "extra")), SchemaKind::Any(_)));

    let record = operation_by_id(document, "things.record_event");
    assert!(record.deprecated);
    assert_eq!(record.extensions["x-stability"], "deprecated");
    let (event_body, _) = request_body(record);
    assert!(property(event_body, "note").schema_data.nullable);

    let colour = component(document, "Colour");
    let SchemaKind::Type(Type::Integer(colour)) = kind(colour) else {
        panic!("Colour is not an integer enum")
    };
    assert_eq!(colour.enumeration, [Some(1), Some(2)]);

    // Fields beside the tag: each variant is its model `allOf` the fixed tag.
    let created = component(document, "Event.Created");
    assert!(matches!(kind(created), SchemaKind::AllOf { .. }));
    let deleted = component(document, "Event.Deleted");
    assert_eq!(deleted.schema_data.extensions["x-supported"], false);

    let open = operation_by_id(document, "things.list_open");
    assert_eq!(open.security, None, "an open base carries no token");
    assert!(document.extensions.contains_key("x-undocumented"));
}

#[test]
fn adjacent_union_variants_hold_the_tag_and_the_content() {
    let api = api(SPECS);
    let documents = documents(&api);
    let chengxun = &documents
        .iter()
        .find(|(p, _)| p.module == "chengxun")
        .expect("chengxun")
        .1;
    let SchemaKind::Type(Type::Object(list)) = kind(component(chengxun, "CardData.List")) else {
        panic!("an adjacent variant is an object")
    };
    assert_eq!(list.required, ["type", "data"]);
    let SchemaKind::Type(Type::String(tag)) = kind(property(list, "type")) else {
        panic!("the tag is a string")
    };
    assert_eq!(tag.enumeration, [Some("LIST".to_owned())]);
    let ReferenceOr::Reference { reference } = &list.properties["data"] else {
        panic!("the content refers to its model")
    };
    assert_eq!(reference, "#/components/schemas/CardList");
}

#[test]
fn export_is_deterministic() {
    let api = api(SPECS);
    assert_eq!(codegen::openapi::files(&api), codegen::openapi::files(&api));
    assert_eq!(
        codegen::openapi::export(&api),
        codegen::openapi::export(&api)
    );
}

/// The kitchen sink's document, reviewed on purpose: a change to the exporter shows up here.
#[test]
fn kitchen_sink_document_snapshot() {
    let files = codegen::openapi::files(&api(KITCHEN_SINK));
    insta::assert_snapshot!("kitchen_sink", files["kitchen_sink.json"]);
}

#[test]
fn xtask_openapi_writes_one_document_per_platform() {
    let out = tempfile::tempdir().expect("temp dir");
    let ok = xtask::openapi::run(workspace_root(), Some(out.path())).expect("written");
    assert!(ok);
    let expected = codegen::openapi::files(&api(SPECS));
    for (name, contents) in &expected {
        let written = std::fs::read_to_string(out.path().join(name)).expect("file written");
        assert_eq!(&written, contents, "{name}");
    }
    let count = std::fs::read_dir(out.path()).expect("listable").count();
    assert_eq!(count, expected.len());
}

/// The documents are cited by their public title and address, never by the path of the
/// committed copy, which means nothing outside this repository.
#[test]
fn source_documents_are_cited_by_title_and_address() {
    let api = api(SPECS);
    let documents = documents(&api);
    let chengxun = &documents
        .iter()
        .find(|(p, _)| p.module == "chengxun")
        .expect("chengxun")
        .1;
    let sources = chengxun.extensions["x-sources"]
        .as_array()
        .expect("x-sources is a list");
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["title"], "设置卡片组织级数据 - 橙讯开放平台基线");
    assert_eq!(
        sources[0]["url"],
        "https://apifox.com/apidoc/docs-site/5098802/api-236240923"
    );
    assert_eq!(sources[1]["title"], "换取企业永久授权码 - 橙讯开放平台基线");
    assert!(sources[1].get("url").is_none(), "no address is guessed");
    let description = chengxun.info.description.as_deref().expect("description");
    assert!(
        description.contains(
            "Transcribed from 设置卡片组织级数据 - 橙讯开放平台基线 (https://apifox.com/apidoc/docs-site/5098802/api-236240923); 换取企业永久授权码"
        ),
        "{description}"
    );
    for (_, document) in &documents {
        let text = serde_json::to_string(document).expect("JSON");
        assert!(!text.contains("sources/0"), "a repository path is cited");
        assert!(!text.contains("seeds/"), "a workspace path is cited");
    }
}
