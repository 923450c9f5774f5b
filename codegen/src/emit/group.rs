//! One API group file: `generated/src/<platform>/<group>.rs`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::emit_enum;
use super::examples::emit_examples;
use super::models::{emit_list_member, emit_model};
use super::operations::{emit_request, emit_response, method_declaration, Context};
use super::pagination::{emit_paginated, emit_stream_method};
use super::rust::{ident, inner_docs, verbatim};
use super::unions::emit_union;
use crate::ir;

/// The group module: its sub-client, then per operation the request and response types, then
/// the group's models, unions and enums.
pub fn emit_group(
    platform: &ir::Platform,
    group: &ir::Group,
    limited: &dyn Fn(&str) -> bool,
    list_member: &dyn Fn(&str) -> bool,
    platform_models: &BTreeMap<&str, &ir::Model>,
) -> TokenStream {
    let ir::Group {
        module,
        client_type,
        title,
        description,
        spec_file,
        operations,
        models,
        enums,
        unions,
    } = group;
    let heading = format!("{title} (`{module}`)");
    let source = format!("Generated from `{spec_file}`.");
    let docs = inner_docs([
        heading.as_str(),
        description.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    let is_token_source = |op: &ir::Operation| {
        platform
            .token
            .as_ref()
            .is_some_and(|t| t.group == *module && t.operation == op.id)
    };
    let contexts: Vec<Context<'_>> = operations
        .iter()
        .map(|op| Context {
            platform,
            group,
            limited,
            is_token_source: is_token_source(op),
        })
        .collect();
    let streams: Vec<TokenStream> = operations
        .iter()
        .filter_map(|op| {
            let pagination = op.pagination.as_ref()?;
            Some(emit_stream_method(op, pagination, module))
        })
        .collect();
    let types = operations.iter().zip(&contexts).map(|(op, cx)| {
        let request = emit_request(op, cx);
        let response = emit_response(op, cx);
        let paginated = op
            .pagination
            .as_ref()
            .map(|p| emit_paginated(op, p, module));
        quote!(#request #response #paginated)
    });
    let list_members: Vec<TokenStream> = models
        .iter()
        .filter(|m| list_member(&m.name))
        .filter_map(emit_list_member)
        .collect();
    let models = models
        .iter()
        .map(|m| emit_model(m, module, spec_file, limited));
    let enums = enums.iter().map(|e| emit_enum(e, spec_file));
    let unions = unions
        .iter()
        .map(|u| emit_union(u, module, spec_file, limited));
    // A group that only defines types (such as message bodies without their endpoint) has no
    // sub-client.
    let client = (!operations.is_empty()).then(|| {
        let mut text = format!(
            "rt::client!(\n    /// The operations of {title}; get one with `Client::{module}()`.\n    {client_type} {{\n"
        );
        for (op, cx) in operations.iter().zip(&contexts) {
            for line in method_declaration(op, cx).lines() {
                text.push_str("        ");
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str("    }\n);\n");
        let client = verbatim(text);
        let streams = (!streams.is_empty()).then(|| {
            let client = ident(client_type);
            quote!(impl<'a> #client<'a> { #(#streams)* })
        });
        quote!(#client #streams)
    });
    let examples = emit_examples(platform, group, platform_models);
    quote! {
        #docs
        use ::open_platform_runtime as rt;
        #client
        #examples
        #(#types)*
        #(#models)*
        #(#list_members)*
        #(#unions)*
        #(#enums)*
    }
}
