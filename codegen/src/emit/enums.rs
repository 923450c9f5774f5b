//! String and integer enums that keep values they do not know and send them back unchanged.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{docs, ident, int};
use crate::ir::{self, CodeValue, EnumType};

/// An enum with its wire conversions, serde impls and query-parameter impl.
pub fn emit_enum(e: &ir::Enum, spec_file: &str) -> TokenStream {
    let ir::Enum {
        name,
        kind,
        description,
        note,
        values,
    } = e;
    let note = note.as_ref().map(|n| format!("Note: {n}"));
    let source = format!("Spec: `{spec_file}`, enum `{name}`.");
    let type_docs = docs([
        description.as_deref().unwrap_or(name.as_str()),
        note.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    let name = ident(name);
    let variants = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = wire_text(&value.wire);
        let doc = match &value.description {
            Some(description) => format!("{description} (`{wire}`)"),
            None => format!("`{wire}`"),
        };
        let doc = docs([doc.as_str()]);
        quote!(#doc #variant,)
    });
    let (unknown_ty, wire_fn, serde_impls) = match kind {
        EnumType::String => (
            quote!(String),
            string_wire_fn(values),
            string_serde(&name, values),
        ),
        EnumType::Integer => (
            quote!(i64),
            integer_wire_fn(values),
            integer_serde(&name, values),
        ),
    };
    quote! {
        #type_docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version does not know; it is sent back unchanged.
            Unknown(#unknown_ty),
        }
        impl #name { #wire_fn }
        #serde_impls
    }
}

fn wire_text(wire: &CodeValue) -> String {
    match wire {
        CodeValue::Integer(n) => n.to_string(),
        CodeValue::String(s) => s.clone(),
    }
}

fn string_wire_fn(values: &[ir::EnumValue]) -> TokenStream {
    let arms = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = wire_text(&v.wire);
        quote!(Self::#variant => #wire,)
    });
    quote! {
        /// The value as it travels on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                #(#arms)*
                Self::Unknown(value) => value,
            }
        }
    }
}

fn integer_wire_fn(values: &[ir::EnumValue]) -> TokenStream {
    let arms = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = match &v.wire {
            CodeValue::Integer(n) => int(i128::from(*n)),
            CodeValue::String(s) => quote!(#s),
        };
        quote!(Self::#variant => #wire,)
    });
    quote! {
        /// The value as it travels on the wire.
        pub fn as_i64(&self) -> i64 {
            match self {
                #(#arms)*
                Self::Unknown(value) => *value,
            }
        }
    }
}

fn string_serde(name: &syn::Ident, values: &[ir::EnumValue]) -> TokenStream {
    let arms = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = wire_text(&v.wire);
        quote!(#wire => Self::#variant,)
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::enums::read_string(d).map(|value| match value.as_str() {
                    #(#arms)*
                    _ => Self::Unknown(value),
                })
            }
        }
        impl rt::ParamValue for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    }
}

fn integer_serde(name: &syn::Ident, values: &[ir::EnumValue]) -> TokenStream {
    let arms = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = match &v.wire {
            CodeValue::Integer(n) => int(i128::from(*n)),
            CodeValue::String(s) => quote!(#s),
        };
        quote!(#wire => Self::#variant,)
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.as_i64())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::enums::read_integer(d).map(|value| match value {
                    #(#arms)*
                    other => Self::Unknown(other),
                })
            }
        }
        impl rt::ParamValue for #name {
            fn to_param(&self) -> String {
                self.as_i64().to_string()
            }
        }
    }
}
