//! Example responses assembled from the documents' example values, for the generated crate's
//! mock-server helpers (cargo feature `mock`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::rust::verbatim;
use crate::ir::{self, CodeValue, EnvelopeStyle, Type};
use crate::names;

/// Deeper nesting than this in an example is cut off, so that recursive models end.
const MAX_DEPTH: usize = 8;

/// Every model of `platform` by name, for [`emit_examples`].
pub fn models_by_name(platform: &ir::Platform) -> BTreeMap<&str, &ir::Model> {
    platform
        .groups
        .iter()
        .flat_map(|g| &g.models)
        .map(|m| (m.name.as_str(), m))
        .collect()
}

/// The `examples` module of a group: one `Example` constant per operation.
/// `models` holds every model of the platform by name (built once per platform: an example
/// can nest a model of another group).
pub fn emit_examples(
    platform: &ir::Platform,
    group: &ir::Group,
    models: &BTreeMap<&str, &ir::Model>,
) -> TokenStream {
    if group.operations.is_empty() {
        return TokenStream::new();
    }
    // One line per operation: the JSON reads as JSON, and a changed example is a one-line diff.
    let mut constants = String::new();
    for op in &group.operations {
        let name = names::base_const(op.method_name.trim_start_matches("r#"));
        let response =
            raw_string(&response_example(op, &platform.bases[op.base], models).to_string());
        constants.push_str(&format!(
            "/// `{}`: {}\npub const {name}: Example = Example::of::<super::{}>({response});\n",
            op.id,
            op.summary.lines().next().unwrap_or_default(),
            op.request_type,
        ));
    }
    let constants = verbatim(constants);
    quote! {
        /// The documented example response of each operation, for mock servers (cargo feature
        /// `mock`): the document's example values assembled into the response's shape.
        #[cfg(feature = "mock")]
        pub mod examples {
            use super::rt::mock::Example;
            #constants
        }
    }
}

/// A raw string literal, so that the JSON reads as JSON in the generated file.
fn raw_string(text: &str) -> String {
    let hashes = (1..)
        .map(|n| "#".repeat(n))
        .find(|h| !text.contains(&format!("\"{h}")))
        .unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
}

fn response_example(
    op: &ir::Operation,
    base: &ir::Base,
    models: &BTreeMap<&str, &ir::Model>,
) -> Value {
    let mut object = Map::new();
    if base.envelope.style == EnvelopeStyle::BodyCode {
        if let Some(success) = &base.envelope.success {
            let code = match success {
                CodeValue::Integer(n) => Value::from(*n),
                CodeValue::String(s) => Value::from(s.as_str()),
            };
            object.insert(base.envelope.code_field.clone(), code);
            // The document's own message ("ok", "success", "成功", ""); none when its example
            // response shows none.
            if let Some(message) = op
                .success_message
                .as_deref()
                .and_then(|json| serde_json::from_str::<Value>(json).ok())
            {
                object.insert(base.envelope.message_field.clone(), message);
            }
        }
    }
    fill(&mut object, &op.response, models, 0);
    Value::Object(object)
}

fn fill(
    object: &mut Map<String, Value>,
    fields: &[ir::Field],
    models: &BTreeMap<&str, &ir::Model>,
    depth: usize,
) {
    for field in fields {
        let Some(value) = field_example(field, models, depth) else {
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

fn field_example(
    field: &ir::Field,
    models: &BTreeMap<&str, &ir::Model>,
    depth: usize,
) -> Option<Value> {
    if let Some(example) = &field.example {
        return serde_json::from_str(example).ok();
    }
    type_example(&field.ty, models, depth)
}

fn type_example(ty: &Type, models: &BTreeMap<&str, &ir::Model>, depth: usize) -> Option<Value> {
    if depth >= MAX_DEPTH {
        return None;
    }
    match ty {
        Type::Model(r) => {
            let model = models.get(r.name.as_str())?;
            let mut object = Map::new();
            fill(&mut object, &model.fields, models, depth + 1);
            Some(Value::Object(object))
        }
        Type::List(inner) => {
            type_example(inner, models, depth + 1).map(|item| Value::Array(vec![item]))
        }
        _ => None,
    }
}
