//! Tagged unions with an `Unknown` variant that keeps the tag and the raw value.
//!
//! serde's derive cannot keep data for an unknown tag (serde-rs/serde#912), so the serde impls
//! are generated here and lean on the runtime's `union` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::DESERIALIZE_REQUESTS;
use super::rust::{docs, ident, rust_type};
use crate::ir::{self, Type};

/// A union enum with its serde impls and, when a variant has limits, its limit check.
pub fn emit_union(
    u: &ir::Union,
    group: &str,
    spec_file: &str,
    limited: &dyn Fn(&str) -> bool,
) -> TokenStream {
    let ir::Union {
        name,
        description,
        note,
        tag,
        content,
        variants,
        sent,
        received,
        has_limits,
    } = u;
    let encoding = match content {
        Some(field) => {
            format!("The `{tag}` field selects the variant; its value is in the `{field}` field.")
        }
        None => {
            format!("The `{tag}` field selects the variant; the variant's fields sit beside it.")
        }
    };
    let note = note.as_ref().map(|n| format!("Note: {n}"));
    let source = format!("Spec: `{spec_file}`, union `{name}`.");
    let docs = docs([
        description.as_deref().unwrap_or(name.as_str()),
        encoding.as_str(),
        note.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    let name = ident(name);
    let members = variants.iter().map(|v| variant_member(v, group));
    let tag_arms = variants.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = &v.value;
        quote!(Self::#variant(_) => #value,)
    });
    let content = match content {
        Some(field) => quote!(Some(#field)),
        None => quote!(None),
    };
    let serialize = sent.then(|| emit_serialize(&name, tag, &content, variants));
    // As for structs (see `fields::derives`): only what is received always reads from JSON.
    let only_with = (!*received).then(|| quote!(#[cfg(feature = #DESERIALIZE_REQUESTS)]));
    let deserialize = emit_deserialize(&name, tag, &content, variants, only_with);
    let validate = has_limits.then(|| emit_validate(&name, u, limited));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
            /// A tag value this version does not know, with the raw content: the content
            /// field's value (`null` when it was absent), or the whole object when variant
            /// fields sit beside the tag. It is sent back as received.
            Unknown {
                /// The tag value.
                tag: String,
                /// The raw content.
                content: ::serde_json::Value,
            },
        }
        impl #name {
            /// The tag value of this variant.
            pub fn tag(&self) -> &str {
                match self {
                    #(#tag_arms)*
                    Self::Unknown { tag, .. } => tag,
                }
            }
        }
        #serialize
        #deserialize
        #validate
    }
}

fn variant_member(v: &ir::Variant, group: &str) -> TokenStream {
    let ir::Variant {
        value,
        variant,
        ty,
        description,
        supported,
        note,
    } = v;
    let support = (!supported)
        .then_some("**Not supported yet**: the document marks this variant as not supported by the server (暂不支持).");
    let tag = format!("Tag value `{value}`.");
    let note = note.as_ref().map(|n| format!("Note: {n}"));
    let docs = docs([
        description.as_deref().unwrap_or(""),
        support.unwrap_or(""),
        tag.as_str(),
        note.as_deref().unwrap_or(""),
    ]);
    let variant = ident(variant);
    let ty = rust_type(ty, group);
    quote!(#docs #variant(#ty),)
}

fn emit_serialize(
    name: &syn::Ident,
    tag: &str,
    content: &TokenStream,
    variants: &[ir::Variant],
) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = &v.value;
        quote! {
            Self::#variant(v) => rt::union::write_variant(s, #tag, #value, #content, v),
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                    Self::Unknown { tag, content } => rt::union::write_unknown(s, #tag, tag, #content, content),
                }
            }
        }
    }
}

fn emit_deserialize(
    name: &syn::Ident,
    tag: &str,
    content: &TokenStream,
    variants: &[ir::Variant],
    only_with: Option<TokenStream>,
) -> TokenStream {
    let values = variants.iter().map(|v| &v.value);
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = &v.value;
        quote! {
            #value => ::serde::Deserialize::deserialize(d).map(Self::#variant),
        }
    });
    // `rt::union::read` decodes the variant in place when the tag comes first, and keeps the
    // raw content of tags this version does not know.
    quote! {
        #only_with
        impl rt::union::Union for #name {
            const TAG: &'static str = #tag;
            const CONTENT: Option<&'static str> = #content;
            const VARIANTS: &'static [&'static str] = &[#(#values),*];
            fn read_variant<'de, D: ::serde::Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error> {
                match tag {
                    #(#arms)*
                    _ => Err(::serde::de::Error::unknown_variant(tag, Self::VARIANTS)),
                }
            }
            fn unknown(tag: String, content: ::serde_json::Value) -> Self {
                Self::Unknown { tag, content }
            }
        }
        #only_with
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::union::read(d)
            }
        }
    }
}

/// Checks the active variant; an adjacent content field adds its name to the field path.
fn emit_validate(name: &syn::Ident, u: &ir::Union, limited: &dyn Fn(&str) -> bool) -> TokenStream {
    let arms: Vec<(syn::Ident, TokenStream)> = u.variants.iter().filter_map(|v| {
        let variant = ident(&v.variant);
        let check = match (&v.ty, &u.content) {
            (Type::Model(r) | Type::Union(r), Some(field)) if limited(&r.name) => {
                quote!(v.nested(#field, Some(value)))
            }
            (Type::Model(r) | Type::Union(r), None) if limited(&r.name) => {
                quote!(rt::Validate::check_limits(value, v))
            }
            (Type::List(inner), Some(field)) if matches!(&**inner, Type::Model(r) | Type::Union(r) if limited(&r.name)) => {
                quote!(v.each(#field, Some(&value[..])))
            }
            _ => return None,
        };
        Some((variant, check))
    }).collect();
    // One checked variant reads better as `if let`, and clippy asks for it.
    let body = match arms.as_slice() {
        [(variant, check)] => quote! {
            if let Self::#variant(value) = self {
                #check;
            }
        },
        _ => {
            let arms = arms
                .iter()
                .map(|(variant, check)| quote!(Self::#variant(value) => #check,));
            quote! {
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl rt::Validate for #name {
            fn check_limits(&self, v: &mut rt::Validator) {
                #body
            }
        }
    }
}
