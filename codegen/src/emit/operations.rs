//! Per operation: the request type, its `ApiRequest` impl, the response type, and the method
//! on the group's sub-client.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{builder, limit_checks, member, struct_definition, Usage};
use super::rust::{doc_comment, docs, ident, inline_text, rust_type, RustFile};
use crate::ir::{self, ParamLocation, PathSegment, Type};

/// What an operation emitter needs to know about its surroundings.
pub struct Context<'a> {
    pub platform: &'a ir::Platform,
    pub group: &'a ir::Group,
    pub limited: &'a dyn Fn(&str) -> bool,
}

/// The summary, the HTTP line and the document page, shared by request type and method.
fn operation_docs(op: &ir::Operation, base: &ir::Base, spec_file: &str) -> Vec<String> {
    let path = op.path_template();
    let mut paragraphs = vec![op.summary.clone()];
    paragraphs.extend(stability_doc(op.stability).map(str::to_owned));
    paragraphs.extend(op.description.clone());
    paragraphs.push(format!(
        "`{} {}{}`",
        op.http_method.as_str(),
        base.url,
        path
    ));
    let mut source = format!("Spec: `{spec_file}`, operation `{}`.", op.id);
    if let Some(doc) = &op.doc {
        source.push_str(&format!(" Document page: {doc}."));
    }
    paragraphs.push(source);
    paragraphs.extend(op.note.as_ref().map(|n| format!("Note: {n}")));
    paragraphs
}

/// A warning paragraph for endpoints the document does not mark as stable.
fn stability_doc(stability: ir::Stability) -> Option<&'static str> {
    match stability {
        ir::Stability::Stable => None,
        ir::Stability::InDevelopment => Some(
            "**In development** (开发中): the platform marks this endpoint as still in development; its behaviour may change without notice.",
        ),
        ir::Stability::Deprecated => Some("**Deprecated**: the platform no longer recommends this endpoint."),
    }
}

/// The request struct, its builder methods and its `ApiRequest` impl.
pub fn emit_request(op: &ir::Operation, cx: &Context<'_>) -> RustFile {
    let base = &cx.platform.bases[op.base];
    let has_body = op.params.iter().any(|p| p.location == ParamLocation::Body)
        // A token that travels in the body joins a body of the operation's encoding, even an
        // empty one.
        || (op.auth && base.auth == ir::AuthLocation::Body);
    // Parameters outside the body are skipped by serde, which fills them with `Default` when
    // reading; a request can be read from JSON only if all of them have one.
    let skipped_have_defaults = op.params.iter().all(|p| {
        (p.location == ParamLocation::Body && p.field.ty != Type::File)
            || !p.field.required
            || !matches!(
                p.field.ty,
                Type::Model(_) | Type::Enum(_) | Type::Union(_) | Type::File
            )
    });
    let usage = Usage {
        group: &cx.group.module,
        serialize: has_body,
        deserialize: has_body && skipped_have_defaults,
        deserialize_gated: true,
    };
    let paragraphs = operation_docs(op, base, &cx.group.spec_file);
    let docs = doc_comment(paragraphs.iter().map(String::as_str));
    let all_optional = op.params.iter().all(|p| !p.field.required);
    let members: Vec<String> = op
        .params
        .iter()
        // File parts are not serialized: the request's `HasFiles` impl hands them over.
        .map(|p| {
            let skip = p.location != ParamLocation::Body || p.field.ty == Type::File;
            member(&p.field, usage, skip)
        })
        .collect();
    let flattened = op.params.iter().any(|p| p.field.flatten);
    let definition = struct_definition(
        &docs,
        usage,
        all_optional,
        flattened,
        &op.request_type,
        &members,
    );
    let builder = builder(
        &op.request_type,
        op.params.iter().map(|p| &p.field),
        &cx.group.module,
    );
    let mut file = RustFile::default();
    file.text(definition)
        .text(builder)
        .tokens(emit_api_request(op, cx, has_body));
    if op.encoding == ir::BodyEncoding::Multipart {
        file.tokens(emit_file_parts(op));
    }
    file
}

/// The file parts of a multipart request, in spec order; an unset optional file sends none.
fn emit_file_parts(op: &ir::Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let parts = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Body && p.field.ty == Type::File)
        .map(|p| {
            let wire = &p.field.wire_name;
            let field = ident(&p.field.rust_name);
            if p.field.required {
                quote!(rt::file_part(#wire, Some(&self.#field)))
            } else {
                quote!(rt::file_part(#wire, self.#field.as_ref()))
            }
        });
    quote! {
        impl rt::HasFiles for #name {
            fn file_parts(&self) -> Vec<rt::Part> {
                [#(#parts),*].into_iter().flatten().collect()
            }
        }
    }
}

/// The Rust type `send` returns for an operation: its response struct, the payload the
/// envelope wraps, or (for a download, whose method returns the runtime's `Download`) `()`.
pub fn response_type(op: &ir::Operation, group: &str) -> TokenStream {
    match &op.response_shape {
        ir::ResponseShape::Struct | ir::ResponseShape::Payload(None) => {
            let name = ident(&op.response_type);
            quote!(#name)
        }
        ir::ResponseShape::Payload(Some(ty)) => rust_type(ty, group),
        ir::ResponseShape::File => quote!(()),
    }
}

fn emit_api_request(op: &ir::Operation, cx: &Context<'_>, has_body: bool) -> TokenStream {
    let base = &cx.platform.bases[op.base];
    let name = ident(&op.request_type);
    let response = response_type(op, &cx.group.module);
    let id = format!("{}.{}", cx.group.module, op.id);
    let method = match op.http_method {
        ir::HttpMethod::Get => "Get",
        ir::HttpMethod::Post => "Post",
        ir::HttpMethod::Put => "Put",
        ir::HttpMethod::Patch => "Patch",
        ir::HttpMethod::Delete => "Delete",
    };
    let base_const = &base.const_name;
    let path_template = op.path_template();
    let auth = op.auth;
    let idempotent = op.idempotent;
    // Bodies are never quoted in errors when the response holds a secret, or when the request
    // sends one that an error page could echo.
    let secret_response = op.holds_secrets;
    let check_limits = op.has_limits.then(|| {
        let checks = limit_checks(op.params.iter().map(|p| &p.field), cx.limited);
        quote!(fn check_limits(&self, v: &mut rt::Validator) { #checks })
    });
    let resolved_path = emit_resolved_path(op);
    let envelope_code = op.envelope_code.as_ref().map(|_| {
        quote! {
            const ENVELOPE_CODE: rt::EnvelopeCodeOf<Self::Response> = Some(|r| &r.envelope_code);
        }
    });
    let write_params = emit_write_params(op);
    let body = has_body.then(|| {
        let encode = ident(match op.encoding {
            ir::BodyEncoding::Json => "json_body",
            ir::BodyEncoding::Form => "form_body",
            ir::BodyEncoding::Multipart => "multipart_body",
        });
        quote! {
            const BODY: rt::BodyOf<Self> = Some(rt::#encode);
        }
    });
    // The operation's description on one line, as a table row would be.
    let mut operation = format!(
        "const OPERATION: &'static rt::Operation = &rt::Operation::new({id:?}, rt::Method::{method}, &super::{base_const}, {path_template:?})"
    );
    for (flag, call) in [
        (!auth, ".without_auth()"),
        (idempotent, ".idempotent()"),
        (secret_response, ".secret_response()"),
        (op.response_shape == ir::ResponseShape::File, ".download()"),
    ] {
        if flag {
            operation.push_str(call);
        }
    }
    // The base's kind of token unless the spec says otherwise.
    // (An operation without a token has no use for one.)
    if op.auth && op.credential != base.credential {
        match op.credential.and_then(|i| cx.platform.credentials.get(i)) {
            Some(credential) => operation.push_str(&format!(
                ".credential(Some(&super::{}))",
                credential.const_name
            )),
            None => operation.push_str(".credential(None)"),
        }
    }
    // Signed as the base's calls unless the spec says otherwise.
    if op.signing != base.signing {
        match op.signing.and_then(|i| cx.platform.signatures.get(i)) {
            Some(signature) => {
                operation.push_str(&format!(".signed(Some(&super::{}))", signature.const_name))
            }
            None => operation.push_str(".signed(None)"),
        }
    }
    // The base's call budget unless the spec gives the operation its own.
    if op.rate_limit != base.rate_limit {
        match &op.rate_limit {
            Some(rate) => operation.push_str(&format!(
                ".rate_limited(Some(&{}))",
                super::platform::rate_limit_text(rate)
            )),
            None => operation.push_str(".rate_limited(None)"),
        }
    }
    operation.push_str(";\n");
    let operation = inline_text(&operation);
    quote! {
        impl rt::ApiRequest for #name {
            type Response = #response;
            #operation
            #envelope_code
            #check_limits
            #resolved_path
            #write_params
            #body
        }
    }
}

fn emit_resolved_path(op: &ir::Operation) -> Option<TokenStream> {
    let values: Vec<TokenStream> = op
        .path
        .iter()
        .filter_map(|segment| match segment {
            PathSegment::Param(i) => {
                let name = ident(&op.params[*i].field.rust_name);
                Some(quote!(&self.#name))
            }
            PathSegment::Literal(_) => None,
        })
        .collect();
    (!values.is_empty()).then(|| {
        quote! {
            fn resolved_path(&self) -> ::std::borrow::Cow<'static, str> {
                rt::fill_path(Self::OPERATION.path, &[#(#values),*])
            }
        }
    })
}

fn emit_write_params(op: &ir::Operation) -> Option<TokenStream> {
    let pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter_map(|param| {
            let adder = match param.location {
                ParamLocation::Query => quote!(query),
                ParamLocation::Header => quote!(header),
                ParamLocation::Path | ParamLocation::Body => return None,
            };
            let wire = &param.field.wire_name;
            let name = ident(&param.field.rust_name);
            let wrap = |value: TokenStream| match (&param.field.ty, param.field.lenient) {
                (Type::Csv(_), _) => quote!(rt::Csv(#value)),
                // A parameter the document types as a JSON string holding an object.
                (_, Some(ir::Lenient::JsonString)) => quote!(rt::JsonText(#value)),
                _ => value,
            };
            Some(if param.field.required {
                // Copy scalars are passed by value; clippy flags a needless borrow otherwise.
                let copy = matches!(
                    param.field.ty,
                    Type::Boolean | Type::Int32 | Type::Int64 | Type::Float64 | Type::TimestampMs
                );
                let value = if copy {
                    quote!(self.#name)
                } else {
                    wrap(quote!(&self.#name))
                };
                quote!(params.#adder(#wire, #value);)
            } else {
                let value = wrap(quote!(value));
                let default = param
                    .field
                    .default
                    .as_ref()
                    .filter(|_| param.field.send_default)
                    .and_then(ir::Value::as_str);
                match default {
                    Some(default) => quote! {
                        match &self.#name {
                            Some(value) => params.#adder(#wire, #value),
                            None => params.#adder(#wire, #default),
                        }
                    },
                    None => quote! {
                        if let Some(value) = &self.#name {
                            params.#adder(#wire, #value);
                        }
                    },
                }
            })
        })
        .collect();
    (!pushes.is_empty()).then(|| {
        quote! {
            fn write_params(&self, params: &mut rt::Params) { #(#pushes)* }
        }
    })
}

/// The response struct: every documented member except the envelope's code and message.
/// Nothing when the response is a wrapped payload of another type, or a file.
pub fn emit_response(op: &ir::Operation, cx: &Context<'_>) -> Option<String> {
    if !matches!(
        op.response_shape,
        ir::ResponseShape::Struct | ir::ResponseShape::Payload(None)
    ) {
        return None;
    }
    let usage = Usage {
        group: &cx.group.module,
        serialize: false,
        deserialize: true,
        deserialize_gated: false,
    };
    let docs = format!(
        "/// The response of [`{}`] (spec: `{}`, operation `{}`).\n",
        op.request_type, cx.group.spec_file, op.id
    );
    let mut members: Vec<String> = op
        .response
        .iter()
        .map(|f| member(f, usage, false))
        .collect();
    // The envelope code is read with the payload, in one pass; the runtime looks at it.
    if let Some(field) = &op.envelope_code {
        members.push(format!(
            "    #[doc(hidden)]\n    #[serde(rename = {field:?}, default)]\n    pub envelope_code: rt::EnvelopeCode,\n"
        ));
    }
    let flattened = op.response.iter().any(|f| f.flatten);
    Some(struct_definition(
        &docs,
        usage,
        false,
        flattened,
        &op.response_type,
        &members,
    ))
}

/// The declaration of the method on the group's sub-client (a line of `rt::client!`); `None`
/// for a download, whose method [`download_method`] writes.
pub fn method_declaration(op: &ir::Operation, cx: &Context<'_>) -> Option<String> {
    if op.response_shape == ir::ResponseShape::File {
        return None;
    }
    let base = &cx.platform.bases[op.base];
    let paragraphs = operation_docs(op, base, &cx.group.spec_file);
    let response = match &op.response_shape {
        ir::ResponseShape::Payload(Some(ty)) => super::rust::rust_type_text(ty, &cx.group.module),
        _ => op.response_type.clone(),
    };
    Some(format!(
        "{}fn {}({}) -> {};\n",
        doc_comment(paragraphs.iter().map(String::as_str)),
        op.method_name,
        op.request_type,
        response
    ))
}

/// The method of a download on the group's sub-client: the file as a byte stream with its
/// content type and name, or the platform's error.
pub fn download_method(op: &ir::Operation, cx: &Context<'_>) -> Option<TokenStream> {
    if op.response_shape != ir::ResponseShape::File {
        return None;
    }
    let base = &cx.platform.bases[op.base];
    let mut paragraphs = operation_docs(op, base, &cx.group.spec_file);
    paragraphs.insert(
        1,
        "Returns the file as a stream ([`rt::Download`]); an error answer is the platform's error, as for every call.".to_owned(),
    );
    let docs = docs(paragraphs.iter().map(String::as_str));
    let method = ident(&op.method_name);
    let request = ident(&op.request_type);
    // Inline, and the client's future, for the reasons the `rt::client!` methods are.
    Some(quote! {
        #docs
        #[inline]
        pub fn #method(
            &self,
            request: #request,
        ) -> impl ::core::future::Future<Output = rt::Result<rt::Download>> + 'a {
            self.client.download(request)
        }
    })
}
