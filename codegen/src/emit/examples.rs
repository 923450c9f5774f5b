//! Example responses assembled from the documents' example values, for the generated crate's
//! mock-server helpers (cargo feature `mock`).

use serde_json::{Map, Value};

use super::rust::title_text;
use crate::ir::{self, CodeValue, Type};

/// Deeper nesting than this in an example is cut off, so that recursive models end.
const MAX_DEPTH: usize = 8;

/// The `examples` module of a group: one `Example` constant per operation. An example can
/// nest a model of another group, which the platform's type table finds.
pub fn emit_examples(platform: &ir::Platform, group: &ir::Group) -> Option<String> {
    // A download's success is a file, not a JSON example.
    let operations: Vec<&ir::Operation> = group
        .operations
        .iter()
        .filter(|op| op.response_shape != ir::ResponseShape::File)
        .collect();
    if operations.is_empty() {
        return None;
    }
    // One line per operation: the JSON reads as JSON, and a changed example is a one-line diff.
    let mut module = String::from(concat!(
        "/// The documented example response of each operation, for mock servers (cargo feature\n",
        "/// `mock`): the document's example values assembled into the response's shape.\n",
        "#[cfg(feature = \"mock\")]\n",
        "pub mod examples {\n",
        "    use super::rt::mock::Example;\n",
    ));
    for op in operations {
        let name = &op.example_const;
        let response = raw_string(&response_example(op, platform).to_string());
        module.push_str(&format!(
            "    /// `{}`: {}\n    pub const {name}: Example = Example::of::<super::{}>({response});\n",
            op.id,
            title_text(&op.summary),
            op.request_type,
        ));
    }
    module.push_str("}\n");
    Some(module)
}

/// A raw string literal, so that the JSON reads as JSON in the generated file.
fn raw_string(text: &str) -> String {
    let hashes = (1..)
        .map(|n| "#".repeat(n))
        .find(|h| !text.contains(&format!("\"{h}")))
        .unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
}

fn response_example(op: &ir::Operation, platform: &ir::Platform) -> Value {
    let mut object = Map::new();
    let envelope = &platform.bases[op.base].envelope;
    if envelope.in_every_body() {
        let members = envelope.members();
        if let (Some(field), Some(success)) = (&members.code_field, envelope.success()) {
            let code = match success {
                CodeValue::Integer(n) => Value::from(*n),
                CodeValue::String(s) => Value::from(s.as_str()),
            };
            object.insert(field.clone(), code);
        }
        if let Some(flag) = envelope.success_field() {
            object.insert(flag.to_owned(), Value::Bool(true));
        }
        // The document's own message ("ok", "success", "成功", ""); none when its example
        // response shows none.
        if let Some(message) = &op.success_message {
            object.insert(members.message_field.clone(), message.to_json());
        }
    }
    fill(&mut object, &op.response, platform, 0);
    Value::Object(object)
}

fn fill(
    object: &mut Map<String, Value>,
    fields: &[ir::Field],
    platform: &ir::Platform,
    depth: usize,
) {
    for field in fields {
        let Some(value) = field_example(field, platform, depth) else {
            continue;
        };
        match (field.flatten, value) {
            (true, Value::Object(members)) => object.extend(members),
            (_, value) => {
                object.insert(field.wire_name.clone(), value);
            }
        }
    }
}

fn field_example(field: &ir::Field, platform: &ir::Platform, depth: usize) -> Option<Value> {
    if let Some(example) = &field.example {
        return Some(example.to_json());
    }
    type_example(&field.ty, platform, depth)
}

fn type_example(ty: &Type, platform: &ir::Platform, depth: usize) -> Option<Value> {
    if depth >= MAX_DEPTH {
        return None;
    }
    match ty {
        Type::Model(r) => {
            let model = platform.model(&r.name)?;
            let mut object = Map::new();
            fill(&mut object, &model.fields, platform, depth + 1);
            Some(Value::Object(object))
        }
        Type::List(inner) => {
            type_example(inner, platform, depth + 1).map(|item| Value::Array(vec![item]))
        }
        _ => None,
    }
}
