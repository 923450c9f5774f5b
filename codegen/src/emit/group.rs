//! One API group file: `generated/src/<platform>/<group>.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::emit_enum;
use super::examples::emit_examples;
use super::models::emit_model;
use super::operations::{emit_method, emit_request, emit_response, Context};
use super::pagination::{emit_paginated, emit_stream_method};
use super::rust::{ident, inner_docs};
use super::unions::emit_union;
use crate::ir;

/// The group module: its sub-client, then per operation the request and response types, then
/// the group's models, unions and enums.
pub fn emit_group(
    platform: &ir::Platform,
    group: &ir::Group,
    limited: &dyn Fn(&str) -> bool,
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
    let methods = operations.iter().zip(&contexts).map(|(op, cx)| {
        let method = emit_method(op, cx);
        let stream = op
            .pagination
            .as_ref()
            .map(|p| emit_stream_method(op, p, module));
        quote!(#method #stream)
    });
    let types = operations.iter().zip(&contexts).map(|(op, cx)| {
        let request = emit_request(op, cx);
        let response = emit_response(op, cx);
        let paginated = op
            .pagination
            .as_ref()
            .map(|p| emit_paginated(op, p, module));
        quote!(#request #response #paginated)
    });
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
        let client = ident(client_type);
        let client_doc = format!(" The operations of {title}; get one with `Client::{module}()`.");
        quote! {
            #[doc = #client_doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #client<'a> {
                client: &'a rt::Client,
            }
            impl<'a> #client<'a> {
                pub(crate) fn new(client: &'a rt::Client) -> Self {
                    Self { client }
                }
                #(#methods)*
            }
        }
    });
    let examples = emit_examples(platform, group);
    quote! {
        #docs
        use crate::runtime as rt;
        #client
        #examples
        #(#types)*
        #(#models)*
        #(#unions)*
        #(#enums)*
    }
}
