//! A platform's `mod.rs`: its bases, its `Client` and the declarations of its group modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{docs, ident, inner_docs, int, markdown_link, title_text};
use crate::ir::{self, AuthLocation, CodeValue, ErrorMeaning};

/// The platform module file; with `group_features`, each group is compiled only under its
/// cargo feature.
pub fn emit_platform(platform: &ir::Platform, group_features: bool) -> TokenStream {
    let ir::Platform {
        // The crate root declares the module and gates it behind its features.
        module: _,
        // Read by the crate root, which gates the platform module behind them.
        feature: _,
        base_feature: _,
        title,
        description,
        sources,
        spec_file,
        bases,
        credentials,
        signatures,
        groups,
        undocumented,
        // Read by the group files, which look types up.
        types: _,
    } = platform;
    let origin = format!("Generated from `{spec_file}`.");
    // The documents are cited by their public title and address, as links users can open;
    // the links are Markdown of our own, so only the titles are escaped like document prose.
    let sources_doc = (!sources.is_empty()).then(|| {
        let lines = std::iter::once(" Transcribed from:".to_owned())
            .chain(std::iter::once(String::new()))
            .chain(
                sources
                    .iter()
                    .map(|s| format!(" - {}", markdown_link(&s.title, s.url.as_deref()))),
            );
        quote!(#![doc = ""] #(#![doc = #lines])*)
    });
    let token_doc = credentials
        .iter()
        .map(|credential| credential_doc(credential, groups))
        .collect::<Vec<_>>();
    let module_docs = inner_docs([
        title.as_str(),
        description.as_deref().unwrap_or(""),
        origin.as_str(),
    ]);
    // The token lines link to generated methods, so they are not escaped like document prose.
    let token_doc = token_doc.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = ""] #![doc = #line])
    });
    let gate = |group: &ir::Group| {
        let feature = &group.feature;
        group_features.then(|| quote!(#[cfg(feature = #feature)]))
    };
    let modules = groups.iter().map(|g| {
        let module = ident(&g.module);
        let doc = format!(" {} (`{}`).", title_text(&g.title), g.module);
        let gate = gate(g);
        quote!(#[doc = #doc] #gate pub mod #module;)
    });
    let base_consts = credentials
        .iter()
        .map(emit_credential)
        .chain(signatures.iter().map(emit_signature))
        .chain(
            bases
                .iter()
                .map(|base| emit_base(base, signatures, credentials)),
        )
        .collect::<Vec<_>>();
    let credential_refs = credentials.iter().map(|c| ident(&c.const_name));
    let base_refs = bases.iter().map(|b| ident(&b.const_name));
    let documented: usize = groups.iter().map(|g| g.operations.len()).sum();
    let coverage = format!(
        " Coverage: {documented} of {} endpoints listed in the documents are documented and generated; the others are recorded in the spec's `undocumented` list.",
        documented + undocumented.len()
    );
    let coverage = (!undocumented.is_empty()).then(|| quote!(#![doc = ""] #![doc = #coverage]));
    let accessors = groups.iter().filter(|g| !g.operations.is_empty()).map(|g| {
        let module = ident(&g.module);
        let client = ident(&g.client_type);
        let doc = format!(" {} (`{}`).", title_text(&g.title), g.module);
        let gate = gate(g);
        quote! {
            #[doc = #doc]
            #gate
            pub fn #module(&self) -> #module::#client<'_> {
                #module::#client::new(&self.inner)
            }
        }
    });
    let client_doc = format!(
        " The client of {}: one sub-client per API group. Cheap to clone.",
        title_text(title)
    );
    // Validation resolved each issuing operation's group among these.
    let token_sources = credentials.iter().flat_map(|credential| {
        credential.issuers.iter().map(move |issuer| {
            let group = groups.iter().find(|g| g.module == issuer.group);
            let gate = group.and_then(gate);
            let source = emit_token_source(platform, credential, issuer);
            quote!(#gate #source)
        })
    });
    let tenant_method = credentials.iter().any(|c| c.per_tenant).then(|| {
        quote! {
            /// This client for one tenant (a corporation the app serves): it shares the
            /// connections, retry policy and token sources, and fetches and caches the tenant's
            /// own per-tenant tokens.
            pub fn for_tenant(&self, tenant: impl Into<String>) -> Self {
                Self { inner: self.inner.for_tenant(tenant) }
            }
        }
    });
    let credential_method = (!credentials.is_empty()).then(|| {
        quote! {
            /// This client with calls carrying `credential` taking their token from `source`
            /// (such as one user's token), everything else shared.
            pub fn with_credential(
                &self,
                credential: &'static rt::Credential,
                source: impl rt::TokenSource,
            ) -> Self {
                Self { inner: self.inner.with_credential(credential, source) }
            }
        }
    });
    quote! {
        #module_docs
        #sources_doc
        #coverage
        #(#token_doc)*
        use ::open_platform_runtime as rt;
        #(#modules)*
        #(#base_consts)*
        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: rt::Client,
        }
        impl Client {
            /// Configures a client: token source, base URLs, transport.
            pub fn builder() -> rt::ClientBuilder<Self> {
                rt::ClientBuilder::new()
            }
            /// The runtime client underneath, for sending requests generically.
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }
            /// This client with another time limit per attempt, for the calls made through it.
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Self {
                let mut options = self.inner.options();
                options.timeout = timeout;
                Self { inner: self.inner.with_options(options) }
            }
            /// This client with another deadline for a whole call (attempts, the pauses
            /// between them and the wait for a token), for the calls made through it.
            pub fn with_deadline(&self, deadline: ::std::time::Duration) -> Self {
                let mut options = self.inner.options();
                options.deadline = deadline;
                Self { inner: self.inner.with_options(options) }
            }
            /// This client with another retry policy, for the calls made through it.
            pub fn with_retry(&self, retry: rt::RetryPolicy) -> Self {
                let mut options = self.inner.options();
                options.retry = retry;
                Self { inner: self.inner.with_options(options) }
            }
            #tenant_method
            #credential_method
            #(#accessors)*
        }
        #(#token_sources)*
        impl rt::Platform for Client {
            const BASES: &'static [&'static rt::Base] = &[#(&#base_refs),*];
            const CREDENTIALS: &'static [&'static rt::Credential] = &[#(&#credential_refs),*];
            fn from_runtime(client: rt::Client) -> Self {
                Self { inner: client }
            }
        }
    }
}

/// One line of the module docs per credential: what it is and which methods issue it.
fn credential_doc(credential: &ir::Credential, groups: &[ir::Group]) -> String {
    let issuers: Vec<String> = credential
        .issuers
        .iter()
        .map(|t| {
            let client = groups
                .iter()
                .find(|g| g.module == t.group)
                .map_or("", |g| g.client_type.as_str());
            format!(
                "[`{}::{client}::{}`] (`{}`, valid for `{}` seconds)",
                t.group, t.method_name, t.token.wire_name, t.expires_in.wire_name
            )
        })
        .collect();
    let per_tenant = if credential.per_tenant {
        ", one per tenant (`Client::for_tenant`)"
    } else {
        ""
    };
    format!(
        "[`{}`] tokens{per_tenant} are issued by {}.",
        credential.const_name,
        issuers.join(" or ")
    )
}

/// A credential's description for the runtime.
fn emit_credential(credential: &ir::Credential) -> TokenStream {
    let ir::Credential {
        id,
        const_name,
        description,
        per_tenant,
        // Each becomes a `TokenRequest` impl (see `emit_token_source`).
        issuers: _,
    } = credential;
    let title = format!("The `{id}` credential: a kind of token the calls carry.");
    let docs = docs([title.as_str(), description.as_deref().unwrap_or("")]);
    let name = ident(const_name);
    quote! {
        #docs
        pub const #name: rt::Credential = rt::Credential { id: #id, per_tenant: #per_tenant };
    }
}

/// Makes an issuing operation's request a cached token source (`ClientBuilder::token_request`)
/// of its credential: keyed by the stable `TokenKey` (platform, credential, app key, a digest
/// of the secrets; the tenant is added per call), filled with the calling client's tenant for
/// per-tenant tokens, and renewed with the refresh token where the spec says how.
fn emit_token_source(
    platform: &ir::Platform,
    credential: &ir::Credential,
    token: &ir::TokenSource,
) -> TokenStream {
    let ir::TokenSource {
        group,
        operation,
        // Named in the module docs' link, not here.
        method_name: _,
        request_type,
        token,
        expires_in,
        app_key,
        secrets,
        tenant,
        refresh,
        pushed,
    } = token;
    let module = ident(group);
    let request = ident(request_type);
    let credential_const = ident(&credential.const_name);
    let op_id = format!("{group}.{operation}");
    let text_of = |field: &ir::Field, owner: TokenStream| {
        let name = ident(&field.rust_name);
        if field.ty == ir::Type::Secret {
            quote!(#owner.#name.expose())
        } else {
            quote!(#owner.#name.as_str())
        }
    };
    let secrets = secrets.iter().map(|f| text_of(f, quote!(self)));
    let platform_name = &platform.module;
    let signed = platform
        .groups
        .iter()
        .filter(|g| &g.module == group)
        .flat_map(|g| &g.operations)
        .any(|op| &op.id == operation && op.signing.is_some());
    let key = match app_key {
        Some(field) => {
            let app_key = text_of(field, quote!(self));
            quote!(rt::TokenKey::new(#platform_name, &#credential_const, #app_key, &[#(#secrets),*]))
        }
        // A signed request that names no app is the signing key's app.
        None if signed => quote!(rt::TokenKey::of_signing_key(#platform_name, &#credential_const)),
        None => quote!(rt::TokenKey::new(#platform_name, &#credential_const, "", &[#(#secrets),*])),
    };
    let secret_value = |field: &ir::Field| {
        let name = ident(&field.rust_name);
        let missing = format!("the token response has no `{}`", field.wire_name);
        let mut value = if field.required {
            quote!(response.#name)
        } else {
            quote! {
                response.#name.ok_or_else(|| rt::Error::Auth {
                    operation: #op_id,
                    message: #missing.to_owned(),
                })?
            }
        };
        if field.ty == ir::Type::String {
            value = quote!(rt::Secret::new(#value));
        }
        value
    };
    let token_value = secret_value(token);
    let expires_name = ident(&expires_in.rust_name);
    let expires_value = match (expires_in.required, &expires_in.ty) {
        (true, ir::Type::Int32) => quote!(Some(i64::from(response.#expires_name))),
        (true, _) => quote!(Some(response.#expires_name)),
        (false, ir::Type::Int32) => quote!(response.#expires_name.map(i64::from)),
        (false, _) => quote!(response.#expires_name),
    };
    // The tenant member is filled from the calling client.
    let set_tenant = tenant.as_ref().map(|field| {
        let name = ident(&field.rust_name);
        quote!(request.#name = client.tenant().unwrap_or_default().to_owned();)
    });
    let (renew, refresh_value) = match refresh {
        Some(ir::TokenRefresh {
            token_field,
            param,
            set,
        }) => {
            let param_value = if param.ty == ir::Type::Secret {
                quote!(refresh_token)
            } else {
                quote!(refresh_token.expose().to_owned())
            };
            let param = ident(&param.rust_name);
            let fixed = set.iter().map(|(field, text, variant)| {
                let name = ident(&field.rust_name);
                let value = match (&field.ty, variant) {
                    (ir::Type::Enum(r), Some(variant)) => {
                        let module = ident(&r.group);
                        let ty = ident(&r.name);
                        let variant = ident(variant);
                        quote!(#module::#ty::#variant)
                    }
                    _ => quote!(#text.to_owned()),
                };
                if field.required {
                    quote!(request.#name = #value;)
                } else {
                    quote!(request.#name = Some(#value);)
                }
            });
            let renew = quote! {
                if let Some(refresh_token) = refresh_token {
                    request.#param = Some(#param_value);
                    #(#fixed)*
                }
            };
            let name = ident(&token_field.rust_name);
            let value = if token_field.required {
                quote!(Some(response.#name))
            } else {
                quote!(response.#name)
            };
            let value = if token_field.ty == ir::Type::String {
                quote!(#value.map(rt::Secret::new))
            } else {
                value
            };
            (renew, quote!(.with_refresh_token(#value)))
        }
        None => (quote!(let _ = refresh_token;), TokenStream::new()),
    };
    // Members the platform pushes (DingTalk's suite ticket): the latest value, when the client
    // has one, replaces the request's.
    let fill_pushed = pushed.iter().map(|field| {
        let name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let value = if field.required {
            quote!(value)
        } else {
            quote!(Some(value))
        };
        quote! {
            if let Some(value) = client.pushed_value(#wire) {
                request.#name = #value;
            }
        }
    });
    let mutable =
        (tenant.is_some() || refresh.is_some() || !pushed.is_empty()).then(|| quote!(mut));
    quote! {
        impl rt::TokenRequest for #module::#request {
            const CREDENTIAL: &'static rt::Credential = &#credential_const;
            fn into_token_source(self) -> rt::FetchedToken {
                let key = #key;
                rt::FetchedToken::renewing(key, move |client, refresh_token| {
                    let #mutable request = self.clone();
                    #set_tenant
                    #(#fill_pushed)*
                    #renew
                    Box::pin(async move {
                        let response = client.send(request).await?;
                        Ok(rt::IssuedToken::new(#token_value, #expires_value)#refresh_value)
                    })
                })
            }
        }
    }
}

/// A signature's description for the runtime, which computes it on every attempt.
fn emit_signature(signature: &ir::Signature) -> TokenStream {
    let ir::Signature {
        id,
        const_name,
        style,
        timestamp,
        timestamp_format,
        signature: sign,
        key_id,
        signed,
        message,
        description,
    } = signature;
    let title = format!("How the `{id}` signature is computed (by the runtime, on every attempt).");
    let docs = docs([title.as_str(), description.as_deref().unwrap_or("")]);
    let name = ident(const_name);
    let style = match (style, message) {
        (ir::SignatureStyle::HmacTimestamp, Some(message)) => {
            quote!(rt::SigningStyle::HmacTimestampParam(#message))
        }
        (ir::SignatureStyle::HmacTimestamp, None) => quote!(rt::SigningStyle::HmacTimestamp),
        (ir::SignatureStyle::SortedParams(algorithm), _) => {
            let algorithm = ident(match algorithm {
                ir::DigestAlgorithm::Md5 => "Md5",
                ir::DigestAlgorithm::HmacMd5 => "HmacMd5",
                ir::DigestAlgorithm::HmacSha256 => "HmacSha256",
            });
            quote!(rt::SigningStyle::SortedParams {
                algorithm: rt::DigestAlgorithm::#algorithm,
                signed: &[#(#signed),*],
            })
        }
    };
    let format = ident(match timestamp_format {
        ir::TimestampFormat::UnixMs => "UnixMillis",
        ir::TimestampFormat::UnixS => "UnixSeconds",
        ir::TimestampFormat::DatetimeUtc8 => "DateTimeUtc8",
    });
    let timestamp = place(timestamp);
    let sign = place(sign);
    let key_id = match key_id {
        Some(key_id) => {
            let key_id = place(key_id);
            quote!(Some(#key_id))
        }
        None => quote!(None),
    };
    quote! {
        #docs
        pub const #name: rt::Signing = rt::Signing {
            id: #id,
            style: #style,
            timestamp: #timestamp,
            timestamp_format: rt::TimestampFormat::#format,
            signature: #sign,
            key_id: #key_id,
        };
    }
}

fn place((location, name): &(ir::ValueLocation, String)) -> TokenStream {
    match location {
        ir::ValueLocation::Query => quote!(rt::Place::Query(#name)),
        ir::ValueLocation::Header => quote!(rt::Place::Header(#name)),
        ir::ValueLocation::Body => quote!(rt::Place::Body(#name)),
    }
}

fn emit_base(
    base: &ir::Base,
    signatures: &[ir::Signature],
    credentials: &[ir::Credential],
) -> TokenStream {
    let ir::Base {
        id,
        const_name,
        url,
        description,
        auth,
        auth_name,
        envelope,
        error_codes,
        sub_codes,
        // The operations' bodies are encoded as their own `encoding` says.
        encoding: _,
        signing,
        credential,
        rate_limit,
    } = base;
    let title = format!("The `{id}` base, `{url}`.");
    let budget = rate_limit.as_ref().map(rate_limit_doc).unwrap_or_default();
    let docs = docs([
        title.as_str(),
        description.as_deref().unwrap_or(""),
        budget.as_str(),
    ]);
    let rate_limit = match rate_limit {
        Some(rate) => {
            let rate = emit_rate_limit(rate);
            quote!(Some(&#rate))
        }
        None => quote!(None),
    };
    let name = ident(const_name);
    let auth = match auth {
        AuthLocation::Query => quote!(rt::AuthPlacement::Query(#auth_name)),
        AuthLocation::Header => quote!(rt::AuthPlacement::Header(#auth_name)),
        AuthLocation::Body => quote!(rt::AuthPlacement::Body(#auth_name)),
        AuthLocation::None => quote!(rt::AuthPlacement::None),
    };
    let credential = match credential.and_then(|i| credentials.get(i)) {
        Some(credential) => {
            let name = ident(&credential.const_name);
            quote!(Some(&#name))
        }
        None => quote!(None),
    };
    let signing = match signing.and_then(|i| signatures.get(i)) {
        Some(signature) => {
            let name = ident(&signature.const_name);
            quote!(Some(&#name))
        }
        None => quote!(None),
    };
    let envelope = emit_envelope(envelope);
    let codes = error_codes.iter().map(emit_known_code);
    let sub_codes = sub_codes.iter().map(emit_known_code);
    quote! {
        #docs
        pub const #name: rt::Base = rt::Base {
            id: #id,
            url: #url,
            auth: #auth,
            envelope: #envelope,
            sub_codes: &[#(#sub_codes),*],
            error_codes: &[#(#codes),*],
            signing: #signing,
            credential: #credential,
            rate_limit: #rate_limit,
        };
    }
}

/// A call budget as a `rt::RateLimit` value (a struct literal, so that a reference to it is a
/// constant of its own).
pub(super) fn emit_rate_limit(rate: &ir::RateLimit) -> TokenStream {
    let ir::RateLimit {
        per_second,
        burst,
        scope,
        key,
        // Documentation, rendered by `rate_limit_doc`.
        note: _,
    } = rate;
    let scope = ident(rate_scope_variant(*scope));
    let (per_second, burst) = (int(i128::from(*per_second)), int(i128::from(*burst)));
    quote! {
        rt::RateLimit {
            per_second: #per_second,
            burst: #burst,
            scope: rt::RateScope::#scope,
            key: #key,
        }
    }
}

/// A call budget as the text of a `rt::RateLimit` value, for the one-line operation
/// descriptions (the same value as [`emit_rate_limit`]).
pub(super) fn rate_limit_text(rate: &ir::RateLimit) -> String {
    let ir::RateLimit {
        per_second,
        burst,
        scope,
        key,
        note: _,
    } = rate;
    let scope = rate_scope_variant(*scope);
    format!(
        "rt::RateLimit {{ per_second: {per_second}, burst: {burst}, scope: rt::RateScope::{scope}, key: {key:?} }}"
    )
}

/// The runtime's variant of a rate scope.
pub(super) fn rate_scope_variant(scope: ir::RateScope) -> &'static str {
    match scope {
        ir::RateScope::App => "App",
        ir::RateScope::Tenant => "Tenant",
        ir::RateScope::Api => "Api",
    }
}

/// The rustdoc paragraph of a call budget, with the document's words.
pub(super) fn rate_limit_doc(rate: &ir::RateLimit) -> String {
    let shared = match rate.scope {
        ir::RateScope::App => "shared by the app's calls",
        ir::RateScope::Tenant => "for each tenant",
        ir::RateScope::Api => "for each operation",
    };
    let mut text = format!(
        "Calls keep to {} per second (bursts of {}), {shared}.",
        rate.per_second, rate.burst
    );
    if let Some(note) = &rate.note {
        text.push_str(&format!(" The document: {note}"));
    }
    text
}

fn emit_known_code(code: &ir::ErrorCode) -> TokenStream {
    let ir::ErrorCode {
        code,
        meaning,
        description,
    } = code;
    let code = emit_code(code);
    let meaning = ident(meaning_variant(*meaning));
    quote! {
        rt::KnownCode {
            code: #code,
            meaning: rt::ErrorMeaning::#meaning,
            description: #description,
        }
    }
}

fn emit_envelope(envelope: &ir::Envelope) -> TokenStream {
    let ir::ErrorMembers {
        code_field,
        code_type: _,
        message_field,
        request_id_field,
        sub_code_field,
        sub_message_field,
    } = envelope.members();
    let optional = |field: &Option<String>| match field {
        Some(field) => quote!(Some(#field)),
        None => quote!(None),
    };
    let request_id = optional(request_id_field);
    let sub_code = optional(sub_code_field);
    let sub_message = optional(sub_message_field);
    let code = optional(code_field);
    let payload = optional(&envelope.payload().map(str::to_owned));
    match envelope {
        ir::Envelope::BodyCode {
            success,
            success_field,
            ..
        } => {
            let success = emit_code(success);
            let success_field = optional(success_field);
            // Validation requires the code member of a body-code envelope.
            let code_field = code_field.as_deref().unwrap_or_default();
            quote! {
                rt::Envelope::BodyCode {
                    code_field: #code_field,
                    success: #success,
                    message_field: #message_field,
                    request_id_field: #request_id,
                    sub_code_field: #sub_code,
                    sub_message_field: #sub_message,
                    success_field: #success_field,
                    payload: #payload,
                }
            }
        }
        ir::Envelope::SuccessFlag { success_field, .. } => quote! {
            rt::Envelope::SuccessFlag {
                success_field: #success_field,
                code_field: #code,
                message_field: #message_field,
                request_id_field: #request_id,
                payload: #payload,
            }
        },
        ir::Envelope::HttpStatus { .. } => {
            let code_field = code_field.as_deref().unwrap_or_default();
            quote! {
                rt::Envelope::HttpStatus {
                    code_field: #code_field,
                    message_field: #message_field,
                    request_id_field: #request_id,
                    payload: #payload,
                }
            }
        }
    }
}

fn emit_code(code: &CodeValue) -> TokenStream {
    match code {
        CodeValue::Integer(n) => {
            let n = int(i128::from(*n));
            quote!(rt::Code::Integer(#n))
        }
        CodeValue::String(s) => quote!(rt::Code::String(#s)),
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
