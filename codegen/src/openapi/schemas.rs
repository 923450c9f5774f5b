//! JSON Schemas of the OpenAPI documents: the platform's models, enums and unions under
//! `components.schemas`, and the inline schema of every field and type.

use serde_json::{json, Map, Value};

use super::{code_value, insert_some, join_text, object};
use crate::ir::{self, EnumType, Type};

/// Said of every enum: a validator reading the document would reject an unlisted value, but
/// the client does not.
const UNKNOWN_ENUM_VALUES: &str = "Values not listed here are kept by the client as \
`Unknown` and sent back unchanged.";

/// Said of every union, for the same reason as [`UNKNOWN_ENUM_VALUES`].
const UNKNOWN_UNION_TAGS: &str = "Tag values not listed here are kept by the client as \
`Unknown` with their raw content and sent back unchanged.";

/// The `$ref` to a named schema of `components.schemas`.
pub(super) fn schema_ref(name: &str) -> Map<String, Value> {
    object([("$ref", json!(format!("#/components/schemas/{name}")))])
}

/// Every model, enum and union of the platform, and one schema per union variant, by name.
/// Models, enums and unions share one namespace per platform, so their names are the schema
/// names; variant schemas are named `<Union>.<Variant>`, which no type name can be (a dot).
pub(super) fn component_schemas(platform: &ir::Platform) -> Map<String, Value> {
    let mut schemas = Map::new();
    for group in &platform.groups {
        for model in &group.models {
            schemas.insert(model.name.clone(), Value::Object(model_schema(model)));
        }
        for enumeration in &group.enums {
            schemas.insert(enumeration.name.clone(), enum_schema(enumeration));
        }
        for union in &group.unions {
            schemas.insert(union.name.clone(), union_schema(union));
            for variant in &union.variants {
                schemas.insert(
                    variant_schema_name(union, variant),
                    variant_schema(union, variant),
                );
            }
        }
    }
    schemas
}

/// A model: an object with its fields; the document's own name for it, if different, is the
/// title.
fn model_schema(model: &ir::Model) -> Map<String, Value> {
    let ir::Model {
        name: _,
        doc_name,
        description,
        note,
        fields,
        sent: _,
        received: _,
        has_limits: _,
        list_member: _,
    } = model;
    let mut schema = object_schema(fields);
    insert_some(&mut schema, "title", doc_name.as_deref());
    insert_some(&mut schema, "description", description.as_deref());
    insert_some(&mut schema, "x-note", note.as_deref());
    schema
}

/// An object schema of `fields`. A flattened field (a union whose tag and content sit
/// beside its siblings) has no wire name of its own, so the object is combined with its
/// schema through `allOf`.
pub(super) fn object_schema<'a>(
    fields: impl IntoIterator<Item = &'a ir::Field>,
) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut flattened = Vec::new();
    for field in fields {
        if field.flatten {
            flattened.push(Value::Object(field_schema(field)));
            continue;
        }
        if field.required {
            required.push(json!(field.wire_name));
        }
        properties.insert(field.wire_name.clone(), Value::Object(field_schema(field)));
    }
    let mut schema = object([("type", json!("object")), ("properties", json!(properties))]);
    // OpenAPI 3.0 wants a `required` list to have at least one entry.
    if !required.is_empty() {
        schema.insert("required".to_owned(), Value::Array(required));
    }
    if flattened.is_empty() {
        return schema;
    }
    let mut all_of = vec![Value::Object(schema)];
    all_of.extend(flattened);
    object([("allOf", Value::Array(all_of))])
}

/// The schema of one field: its type with the field's description, example, default,
/// nullability and limits, plus what OpenAPI has no keyword for as `x-` extensions.
pub(super) fn field_schema(field: &ir::Field) -> Map<String, Value> {
    let ir::Field {
        wire_name: _,
        rust_name: _,
        setter_name: _,
        ty,
        required: _,
        description,
        example,
        default,
        doc_type: _,
        note,
        limits,
        nullable,
        lenient,
        flatten: _,
        send_default: _,
    } = field;
    // A `json_string` value travels as JSON text inside a string, in both directions.
    let as_text = *lenient == Some(ir::Lenient::JsonString);
    let mut schema = if as_text {
        json_text_schema(ty)
    } else {
        type_schema(ty)
    };
    let type_description = schema.remove("description");
    let mut annotations = Map::new();
    let description = join_text([
        description.as_deref(),
        type_description.as_ref().and_then(Value::as_str),
        csv_limits(ty, limits).as_deref(),
    ]);
    insert_some(&mut annotations, "description", description.as_deref());
    if *nullable {
        annotations.insert("nullable".to_owned(), json!(true));
    }
    if let Some(example) = example.as_ref().map(ir::Value::to_json) {
        let key = example_key(ty, as_text, *nullable, &example);
        annotations.insert(key.to_owned(), example);
    }
    if let Some(default) = default.as_ref().map(ir::Value::to_json) {
        annotations.insert("default".to_owned(), default);
    }
    annotations.extend(limit_keywords(ty, limits));
    insert_some(&mut annotations, "x-note", note.as_deref());
    insert_some(&mut annotations, "x-lenient", lenient.map(lenient_name));
    // OpenAPI 3.0 ignores the siblings of `$ref`, so a reference that carries anything of its
    // own is wrapped in a one-member `allOf`.
    if schema.contains_key("$ref") && !annotations.is_empty() {
        schema = object([("allOf", json!([schema]))]);
    }
    schema.extend(annotations);
    schema
}

/// `example`, or `x-document-example` when the document's example does not have the type the
/// schema says: a lenient field's example may show what the server sends instead (`"false"`
/// for a boolean), and as `example` it would contradict the schema.
fn example_key(ty: &Type, as_text: bool, nullable: bool, example: &Value) -> &'static str {
    let fitting = if as_text {
        example.is_string()
    } else {
        fits(ty, example)
    };
    if fitting || (nullable && example.is_null()) {
        "example"
    } else {
        "x-document-example"
    }
}

/// A string of JSON text, with the schema of the value it encodes as `x-json-text-of`.
fn json_text_schema(ty: &Type) -> Map<String, Value> {
    let description = format!(
        "The value (`{}`) as JSON text in a string; the server may also send the value itself.",
        type_expression(ty)
    );
    object([
        ("type", json!("string")),
        ("description", json!(description)),
        ("x-json-text-of", json!(type_schema(ty))),
    ])
}

/// Whether `value` has the JSON shape of `ty`; named types are taken on trust.
fn fits(ty: &Type, value: &Value) -> bool {
    match ty {
        Type::String | Type::DateTime | Type::Secret | Type::Csv(_) => value.is_string(),
        Type::Boolean => value.is_boolean(),
        Type::Int32 | Type::Int64 | Type::TimestampMs => value.is_i64() || value.is_u64(),
        Type::Float64 => value.is_number(),
        Type::List(_) => value.is_array(),
        Type::Map(_) | Type::Model(_) => value.is_object(),
        Type::Json | Type::Enum(_) | Type::Union(_) => true,
        Type::File => false,
    }
}

/// The schema of a type: the JSON type and format, and for types whose wire form needs words
/// (milliseconds, a date-time layout, commas) a description.
pub(super) fn type_schema(ty: &Type) -> Map<String, Value> {
    let typed = |ty: &str| ("type", json!(ty));
    match ty {
        Type::String => object([typed("string")]),
        Type::Boolean => object([typed("boolean")]),
        Type::Int32 => object([typed("integer"), ("format", json!("int32"))]),
        Type::Int64 => object([typed("integer"), ("format", json!("int64"))]),
        Type::Float64 => object([typed("number"), ("format", json!("double"))]),
        Type::TimestampMs => object([
            typed("integer"),
            ("format", json!("int64")),
            ("description", json!("Milliseconds since the Unix epoch.")),
        ]),
        Type::DateTime => object([
            typed("string"),
            (
                "description",
                json!("A local date-time: yyyy-MM-dd HH:mm:ss."),
            ),
        ]),
        Type::Secret => object([typed("string"), ("format", json!("password"))]),
        Type::Json => Map::new(),
        Type::File => object([typed("string"), ("format", json!("binary"))]),
        Type::List(item) => object([typed("array"), ("items", json!(type_schema(item)))]),
        Type::Map(value) => object([
            typed("object"),
            ("additionalProperties", json!(type_schema(value))),
        ]),
        Type::Csv(item) => object([
            typed("string"),
            (
                "description",
                json!(format!(
                    "Comma-separated {} values in one string.",
                    type_expression(item)
                )),
            ),
        ]),
        Type::Model(r) | Type::Enum(r) | Type::Union(r) => schema_ref(&r.name),
    }
}

/// The type as the spec format writes it (`list<int64>`), for descriptions.
fn type_expression(ty: &Type) -> String {
    let name = match ty {
        Type::String => "string",
        Type::Boolean => "boolean",
        Type::Int32 => "int32",
        Type::Int64 => "int64",
        Type::Float64 => "float64",
        Type::TimestampMs => "timestamp_ms",
        Type::DateTime => "datetime",
        Type::Secret => "secret",
        Type::Json => "json",
        Type::File => "file",
        Type::List(item) => return format!("list<{}>", type_expression(item)),
        Type::Map(value) => return format!("map<{}>", type_expression(value)),
        Type::Csv(item) => return format!("csv<{}>", type_expression(item)),
        Type::Model(r) | Type::Enum(r) | Type::Union(r) => r.name.as_str(),
    };
    name.to_owned()
}

/// The JSON Schema keywords for `limits`. The validator accepts each kind of limit only on
/// the types it fits, so each maps to its keyword directly, except the item counts of a
/// `csv<T>`: on the wire that is one string, where `minItems`/`maxItems` mean nothing, so
/// [`csv_limits`] says them in words instead.
fn limit_keywords(ty: &Type, limits: &ir::Limits) -> Map<String, Value> {
    let ir::Limits {
        min,
        max,
        min_length,
        max_length,
        min_items,
        max_items,
        max_apart,
        pattern,
    } = limits;
    let is_csv = matches!(ty, Type::Csv(_));
    // JSON Schema has no keyword relating two properties.
    let apart = max_apart
        .as_ref()
        .map(|a| json!({ "from": a.from, "max": a.max }));
    let pairs = [
        ("minimum", min.map(Value::from)),
        ("maximum", max.map(Value::from)),
        ("minLength", min_length.map(Value::from)),
        ("maxLength", max_length.map(Value::from)),
        ("minItems", min_items.filter(|_| !is_csv).map(Value::from)),
        ("maxItems", max_items.filter(|_| !is_csv).map(Value::from)),
        ("x-max-apart", apart),
        ("pattern", pattern.as_deref().map(Value::from)),
    ];
    pairs
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), value?)))
        .collect()
}

/// The item counts of a `csv<T>` field, in words (see [`limit_keywords`]).
fn csv_limits(ty: &Type, limits: &ir::Limits) -> Option<String> {
    if !matches!(ty, Type::Csv(_)) {
        return None;
    }
    match (limits.min_items, limits.max_items) {
        (Some(min), Some(max)) => Some(format!("From {min} to {max} values.")),
        (Some(min), None) => Some(format!("At least {min} values.")),
        (None, Some(max)) => Some(format!("At most {max} values.")),
        (None, None) => None,
    }
}

fn lenient_name(lenient: ir::Lenient) -> &'static str {
    match lenient {
        ir::Lenient::NumberOrString => "number_or_string",
        ir::Lenient::BoolOrString => "bool_or_string",
        ir::Lenient::OneOrMany => "one_or_many",
        ir::Lenient::JsonString => "json_string",
        ir::Lenient::ObjectOrList => "object_or_list",
    }
}

/// An enum: its JSON type and values, with the Rust variant names and the documented
/// meanings as the `x-enum-varnames`/`x-enum-descriptions` extensions other generators read.
fn enum_schema(enumeration: &ir::Enum) -> Value {
    let ir::Enum {
        name: _,
        kind,
        description,
        note,
        values,
    } = enumeration;
    let kind = match kind {
        EnumType::String => "string",
        EnumType::Integer => "integer",
    };
    let wire: Vec<Value> = values.iter().map(|v| code_value(&v.wire)).collect();
    let variants: Vec<&str> = values.iter().map(|v| v.variant.as_str()).collect();
    let mut schema = object([
        ("type", json!(kind)),
        ("enum", Value::Array(wire)),
        ("x-enum-varnames", json!(variants)),
    ]);
    if values.iter().any(|v| v.description.is_some()) {
        let meanings: Vec<&str> = values
            .iter()
            .map(|v| v.description.as_deref().unwrap_or_default())
            .collect();
        schema.insert("x-enum-descriptions".to_owned(), json!(meanings));
    }
    let description = join_text([description.as_deref(), Some(UNKNOWN_ENUM_VALUES)]);
    insert_some(&mut schema, "description", description.as_deref());
    insert_some(&mut schema, "x-note", note.as_deref());
    Value::Object(schema)
}

/// A union: `oneOf` its variant schemas, told apart by a `discriminator` on the tag.
fn union_schema(union: &ir::Union) -> Value {
    let ir::Union {
        name: _,
        description,
        note,
        tag,
        content: _,
        variants,
        sent: _,
        received: _,
        has_limits: _,
    } = union;
    let refs: Vec<Value> = variants
        .iter()
        .map(|v| Value::Object(schema_ref(&variant_schema_name(union, v))))
        .collect();
    let mapping: Map<String, Value> = variants
        .iter()
        .map(|v| {
            let target = format!("#/components/schemas/{}", variant_schema_name(union, v));
            (v.value.clone(), json!(target))
        })
        .collect();
    let mut schema = object([
        ("oneOf", Value::Array(refs)),
        (
            "discriminator",
            json!({ "propertyName": tag, "mapping": mapping }),
        ),
    ]);
    let description = join_text([description.as_deref(), Some(UNKNOWN_UNION_TAGS)]);
    insert_some(&mut schema, "description", description.as_deref());
    insert_some(&mut schema, "x-note", note.as_deref());
    Value::Object(schema)
}

fn variant_schema_name(union: &ir::Union, variant: &ir::Variant) -> String {
    format!("{}.{}", union.name, variant.variant)
}

/// One variant of a union: the tag, fixed to the variant's value by a one-value `enum`
/// (OpenAPI 3.0 has no `const`), with the content beside it.
fn variant_schema(union: &ir::Union, variant: &ir::Variant) -> Value {
    let ir::Variant {
        value,
        variant: _,
        ty,
        description,
        supported,
        note,
    } = variant;
    let tag = &union.tag;
    let tag_schema = json!({ "type": "string", "enum": [value] });
    let mut schema = match &union.content {
        // Adjacent: `{"type": "LIST", "data": {...}}`, the content field holding the variant.
        Some(content) => object([
            ("type", json!("object")),
            ("required", json!([tag, content])),
            (
                "properties",
                json!({ tag: tag_schema, content: type_schema(ty) }),
            ),
        ]),
        // The variant model's own fields sit beside the tag.
        None => object([(
            "allOf",
            json!([
                type_schema(ty),
                { "type": "object", "required": [tag], "properties": { tag: tag_schema } },
            ]),
        )]),
    };
    let unsupported =
        (!supported).then_some("The document marks this variant as not supported yet.");
    let description = join_text([description.as_deref(), unsupported]);
    insert_some(&mut schema, "description", description.as_deref());
    if !supported {
        schema.insert("x-supported".to_owned(), json!(false));
    }
    insert_some(&mut schema, "x-note", note.as_deref());
    Value::Object(schema)
}
