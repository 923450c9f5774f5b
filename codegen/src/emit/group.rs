//! One API group file: `generated/src/<platform>/<group>.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::emit_enum;
use super::events::emit_events;
use super::examples::emit_examples;
use super::models::emit_model;
use super::operations::{
    download_method, emit_request, emit_response, method_declaration, Context,
};
use super::pagination::{emit_pages_method, emit_paginated, emit_stream_method};
use super::rust::{ident, inner_docs, title_text, RustFile};
use super::unions::emit_union;
use crate::ir;

/// The group module: its sub-client, then per operation the request and response types, then
/// the group's models, unions and enums.
pub fn emit_group(platform: &ir::Platform, group: &ir::Group) -> RustFile {
    let ir::Group {
        module,
        // Read by the platform module, which gates the group behind it.
        feature: _,
        client_type,
        title,
        description,
        spec_file,
        operations,
        models,
        enums,
        unions,
        events,
    } = group;
    let heading = format!("{title} (`{module}`)");
    let source = format!("Generated from `{spec_file}`.");
    let docs = inner_docs([
        heading.as_str(),
        description.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    // A nested type's `validate()` is called only where it checks something.
    let is_limited = |name: &str| platform.definition(name).is_some_and(|d| d.has_limits());
    let cx = &Context {
        platform,
        group,
        limited: &is_limited,
    };
    let streams: Vec<TokenStream> = operations
        .iter()
        .filter_map(|op| {
            let pagination = op.pagination.as_ref()?;
            Some([
                emit_stream_method(op, pagination, module),
                emit_pages_method(op, pagination),
            ])
        })
        .flatten()
        .chain(operations.iter().filter_map(|op| download_method(op, cx)))
        .collect();
    let mut file = RustFile::of(quote! {
        #docs
        use ::open_platform_runtime as rt;
    });
    // A group that only defines types (such as message bodies without their endpoint) has no
    // sub-client.
    if !operations.is_empty() {
        let title = title_text(title);
        let mut text = format!(
            "rt::client!(\n    /// The operations of {title}; get one with `Client::{module}()`.\n    {client_type} {{\n"
        );
        for op in operations {
            let Some(declaration) = method_declaration(op, cx) else {
                continue;
            };
            for line in declaration.lines() {
                text.push_str("        ");
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str("    }\n);\n");
        file.text(text);
        if !streams.is_empty() {
            let client = ident(client_type);
            file.tokens(quote!(impl<'a> #client<'a> { #(#streams)* }));
        }
    }
    if let Some(examples) = emit_examples(platform, group) {
        file.text(examples);
    }
    for op in operations {
        file.append(emit_request(op, cx));
        if let Some(response) = emit_response(op, cx) {
            file.text(response);
        }
        if let Some(pagination) = &op.pagination {
            file.tokens(emit_paginated(op, pagination, module));
        }
    }
    for model in models {
        file.append(emit_model(model, module, spec_file, &is_limited));
    }
    for union in unions {
        file.tokens(emit_union(union, module, spec_file, &is_limited));
    }
    for enumeration in enums {
        file.tokens(emit_enum(enumeration, spec_file));
    }
    if let Some(events) = events {
        file.tokens(emit_events(events, module, spec_file));
    }
    file
}
