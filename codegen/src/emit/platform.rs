//! A platform's `mod.rs`: its bases, its `Client` and the declarations of its group modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{docs, ident, inner_docs, int};
use crate::ir::{self, AuthLocation, CodeValue, EnvelopeStyle, ErrorMeaning};

/// The platform module file.
pub fn emit_platform(platform: &ir::Platform) -> TokenStream {
    let ir::Platform {
        module: _,
        title,
        description,
        sources,
        spec_file,
        bases,
        token,
        groups,
        undocumented,
    } = platform;
    let sources: Vec<String> = sources.iter().map(|s| format!("`{s}`")).collect();
    let origin = format!(
        "Generated from `{spec_file}`; transcribed from {}.",
        sources.join(", ")
    );
    let token_doc = token.as_ref().map(|t| {
        format!(
            "Access tokens are issued by [`{group}::{client}::{op}`] (`{field}`, valid for `{expires}` seconds).",
            group = t.group,
            client = groups.iter().find(|g| g.module == t.group).map_or("", |g| g.client_type.as_str()),
            op = t.operation,
            field = t.token_field,
            expires = t.expires_in_field,
        )
    });
    let module_docs = inner_docs([
        title.as_str(),
        description.as_deref().unwrap_or(""),
        origin.as_str(),
    ]);
    // The token line links to a generated method, so it is not escaped like document prose.
    let token_doc = token_doc.map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = ""] #![doc = #line])
    });
    let modules = groups.iter().map(|g| {
        let module = ident(&g.module);
        let doc = format!(" {} (`{}`).", g.title, g.module);
        quote!(#[doc = #doc] pub mod #module;)
    });
    let base_consts = bases.iter().map(emit_base);
    let base_refs = bases.iter().map(|b| ident(&b.const_name));
    let documented: usize = groups.iter().map(|g| g.operations.len()).sum();
    let coverage = format!(
        "Coverage: {documented} of {} endpoints listed in the documents are documented and generated; the others are recorded in the spec's `undocumented` list.",
        documented + undocumented.len()
    );
    let coverage = (!undocumented.is_empty()).then(|| quote!(#![doc = ""] #![doc = #coverage]));
    let accessors = groups.iter().filter(|g| !g.operations.is_empty()).map(|g| {
        let module = ident(&g.module);
        let client = ident(&g.client_type);
        let doc = format!(" {} (`{}`).", g.title, g.module);
        quote! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::#client<'_> {
                #module::#client::new(&self.inner)
            }
        }
    });
    let client_doc =
        format!(" The client of {title}: one sub-client per API group. Cheap to clone.");
    quote! {
        #module_docs
        #coverage
        #token_doc
        #(#modules)*
        #(#base_consts)*
        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: crate::runtime::Client,
        }
        impl Client {
            /// Configures a client: token source, base URLs, transport.
            pub fn builder() -> crate::runtime::ClientBuilder<Self> {
                crate::runtime::ClientBuilder::new()
            }
            /// The runtime client underneath, for sending requests generically.
            pub fn runtime(&self) -> &crate::runtime::Client {
                &self.inner
            }
            #(#accessors)*
        }
        impl crate::runtime::Platform for Client {
            const BASES: &'static [&'static crate::runtime::Base] = &[#(&#base_refs),*];
            fn from_runtime(client: crate::runtime::Client) -> Self {
                Self { inner: client }
            }
        }
    }
}

fn emit_base(base: &ir::Base) -> TokenStream {
    let ir::Base {
        id,
        const_name,
        url,
        description,
        auth,
        auth_name,
        envelope,
        error_codes,
    } = base;
    let title = format!("The `{id}` base, `{url}`.");
    let docs = docs([title.as_str(), description.as_deref().unwrap_or("")]);
    let name = ident(const_name);
    let auth = match auth {
        AuthLocation::Query => quote!(crate::runtime::AuthPlacement::Query(#auth_name)),
        AuthLocation::Header => quote!(crate::runtime::AuthPlacement::Header(#auth_name)),
        AuthLocation::None => quote!(crate::runtime::AuthPlacement::None),
    };
    let envelope = emit_envelope(envelope);
    let codes = error_codes.iter().map(|c| {
        let code = emit_code(&c.code);
        let meaning = ident(meaning_variant(c.meaning));
        let description = &c.description;
        quote! {
            crate::runtime::KnownCode {
                code: #code,
                meaning: crate::runtime::ErrorMeaning::#meaning,
                description: #description,
            }
        }
    });
    quote! {
        #docs
        pub const #name: crate::runtime::Base = crate::runtime::Base {
            id: #id,
            url: #url,
            auth: #auth,
            envelope: #envelope,
            error_codes: &[#(#codes),*],
        };
    }
}

fn emit_envelope(envelope: &ir::Envelope) -> TokenStream {
    let ir::Envelope {
        style,
        code_field,
        code_type: _,
        success,
        message_field,
        request_id_field,
    } = envelope;
    let request_id = match request_id_field {
        Some(field) => quote!(Some(#field)),
        None => quote!(None),
    };
    match (style, success) {
        (EnvelopeStyle::BodyCode, Some(success)) => {
            let success = emit_code(success);
            quote! {
                crate::runtime::Envelope::BodyCode {
                    code_field: #code_field,
                    success: #success,
                    message_field: #message_field,
                    request_id_field: #request_id,
                }
            }
        }
        // Validation guarantees a success value for body_code envelopes.
        (EnvelopeStyle::BodyCode, None) | (EnvelopeStyle::HttpStatus, _) => quote! {
            crate::runtime::Envelope::HttpStatus {
                code_field: #code_field,
                message_field: #message_field,
                request_id_field: #request_id,
            }
        },
    }
}

fn emit_code(code: &CodeValue) -> TokenStream {
    match code {
        CodeValue::Integer(n) => {
            let n = int(i128::from(*n));
            quote!(crate::runtime::Code::Integer(#n))
        }
        CodeValue::String(s) => quote!(crate::runtime::Code::String(#s)),
    }
}

fn meaning_variant(meaning: ErrorMeaning) -> &'static str {
    match meaning {
        ErrorMeaning::TokenInvalid => "TokenInvalid",
        ErrorMeaning::Busy => "Busy",
        ErrorMeaning::RateLimited => "RateLimited",
        ErrorMeaning::QuotaExceeded => "QuotaExceeded",
        ErrorMeaning::Banned => "Banned",
        ErrorMeaning::PermissionDenied => "PermissionDenied",
        ErrorMeaning::IpNotAllowed => "IpNotAllowed",
        ErrorMeaning::SeeSubCode => "SeeSubCode",
    }
}
