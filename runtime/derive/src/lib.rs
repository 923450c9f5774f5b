//! `#[derive(Deserialize)]` for the generated structs of `open-platform-clients`: serde's
//! `Deserialize`, decoding the map form only.
//!
//! serde's own derive also decodes a struct from a sequence and builds a field-identifier
//! visitor per struct, and that code was most of the generated crate's compile time: at 1,000
//! synthetic operations this derive builds the crate in about 0.55x the time and 0.65x the
//! peak memory (an A/B build of the same crate). The expansion is one `FromMap::from_map` per
//! struct behind one generic visitor. Decoding follows serde's derive for every attribute the
//! generator writes:
//!
//! - `rename = "wire"`: the key on the wire (else the field name, without `r#`);
//! - `default`: a missing key decodes as `Default::default()`;
//! - `with = "path"`: the value decodes through `path::deserialize`;
//! - `skip`: never read, always `Default::default()`;
//! - a field spelled `Option<..>` without `with` may be missing (it is then `None`); serde's
//!   derive decides this at run time, for any type that decodes "no value", but the generator
//!   only ever writes `Option` itself;
//! - unknown keys are skipped and a repeated key is an error (`duplicate field`), as is a
//!   missing required one (`missing field`).
//!
//! `skip_serializing_if` is accepted and ignored (it is for `Serialize`). Anything else, such
//! as `flatten`, or an attribute given twice, is a compile error: the generator keeps serde's
//! derive for such structs.
//!
//! The expansion calls `::open_platform_runtime::de`, the way serde's derive calls `::serde`: it
//! works in any crate that depends on `open-platform-runtime` (which re-exports the derive as
//! `open_platform_runtime::Deserialize`).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

/// Derives `serde::Deserialize` from the map form (see the crate docs).
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// How one field is decoded.
struct Field<'a> {
    ident: syn::Ident,
    ty: &'a Type,
    wire: String,
    default: bool,
    with: Option<syn::Path>,
    skip: bool,
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "this Deserialize derive does not support generic structs; use serde's",
        ));
    }
    for attr in &input.attrs {
        if attr.path().is_ident("serde") {
            return Err(syn::Error::new_spanned(
                attr,
                "this Deserialize derive takes no container attributes; use serde's",
            ));
        }
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "this Deserialize derive is for structs; use serde's",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "this Deserialize derive is for structs with named fields; use serde's",
        ));
    };
    let fields = named
        .named
        .iter()
        .map(parse_field)
        .collect::<syn::Result<Vec<_>>>()?;

    let name = &input.ident;
    let name_text = name.to_string();
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut values = Vec::new();
    let mut keys = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let ident = &field.ident;
        if field.skip {
            values.push(quote!(#ident: ::core::default::Default::default()));
            continue;
        }
        let slot = format_ident!("__field{}", index);
        let wire = &field.wire;
        keys.push(wire);
        slots.push(quote!(let mut #slot = ::core::option::Option::None;));
        arms.push(match &field.with {
            None => {
                quote!(#wire => ::open_platform_runtime::de::field(&mut #slot, &mut __map, #wire),)
            }
            Some(path) => {
                let ty = field.ty;
                // `with` functions are generic over the deserializer, so they are called
                // through a one-field wrapper type, as serde's derive does.
                quote!(#wire => {
                    struct __With(#ty);
                    impl<'de> ::serde::Deserialize<'de> for __With {
                        fn deserialize<__D: ::serde::Deserializer<'de>>(
                            deserializer: __D,
                        ) -> ::core::result::Result<Self, __D::Error> {
                            #path::deserialize(deserializer).map(__With)
                        }
                    }
                    ::open_platform_runtime::de::vacant(&#slot, #wire)?;
                    #slot = ::core::option::Option::Some(__map.next_value::<__With>()?.0);
                    ::core::result::Result::Ok(())
                })
            }
        });
        let may_be_missing = field.default || (field.with.is_none() && is_option(field.ty));
        values.push(if may_be_missing {
            quote!(#ident: #slot.unwrap_or_default())
        } else {
            quote!(#ident: ::open_platform_runtime::de::required(#slot, #wire)?)
        });
    }

    Ok(quote! {
        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                // As a struct, not a map: a struct read through a flattening parent then
                // takes only its own keys.
                deserializer.deserialize_struct(
                    #name_text,
                    <Self as ::open_platform_runtime::de::FromMap>::FIELDS,
                    ::open_platform_runtime::de::MapVisitor::<Self>::NEW,
                )
            }
        }
        #[automatically_derived]
        impl ::open_platform_runtime::de::FromMap for #name {
            const NAME: &'static str = #name_text;
            const FIELDS: &'static [&'static str] = &[#(#keys),*];
            fn from_map<'de, __A: ::serde::de::MapAccess<'de>>(
                mut __map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                #(#slots)*
                while let ::core::option::Option::Some(__key) =
                    __map.next_key::<::open_platform_runtime::de::Key<'de>>()?
                {
                    // One `?` for the whole match rather than one per arm: every `?` is a
                    // match of its own for the compiler to check (3% of the peak memory of
                    // the crate at 1,000 synthetic operations).
                    match __key.as_str() {
                        #(#arms)*
                        _ => ::open_platform_runtime::de::skip(&mut __map),
                    }?;
                }
                ::core::result::Result::Ok(Self { #(#values),* })
            }
        }
    })
}

fn parse_field(field: &syn::Field) -> syn::Result<Field<'_>> {
    let Some(ident) = field.ident.clone() else {
        return Err(syn::Error::new_spanned(field, "expected a named field"));
    };
    let mut parsed = Field {
        wire: ident.to_string().trim_start_matches("r#").to_owned(),
        ident,
        ty: &field.ty,
        default: false,
        with: None,
        skip: false,
    };
    let mut seen: Vec<String> = Vec::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if seen.contains(&name) {
                return Err(meta.error(format!("`{name}` is given twice")));
            }
            seen.push(name);
            if meta.path.is_ident("rename") {
                parsed.wire = meta.value()?.parse::<LitStr>()?.value();
            } else if meta.path.is_ident("default") {
                parsed.default = true;
            } else if meta.path.is_ident("with") {
                parsed.with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else if meta.path.is_ident("skip") {
                parsed.skip = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                // Serialize-only; read the value so parsing goes on.
                meta.value()?.parse::<LitStr>()?;
            } else {
                return Err(meta.error(
                    "this Deserialize derive supports rename, default, with, skip and \
                     skip_serializing_if; use serde's derive for this struct",
                ));
            }
            Ok(())
        })?;
    }
    Ok(parsed)
}

/// Whether `ty` is spelled `Option<..>`: the one type the generator writes that may be missing
/// without `default` (see the crate docs).
fn is_option(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Option")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_text(source: &str) -> Result<String, String> {
        let input: DeriveInput = syn::parse_str(source).map_err(|e| e.to_string())?;
        expand(&input)
            .map(|tokens| tokens.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_every_attribute_the_generator_writes() {
        let out = expand_text(
            r#"struct S {
                #[serde(rename = "wireName", skip_serializing_if = "Option::is_none")]
                a: Option<String>,
                #[serde(with = "rt::csv")]
                b: Vec<i32>,
                #[serde(rename = "c", with = "rt::lenient::bool_or_string::option", default)]
                c: Option<bool>,
                #[serde(skip)]
                d: String,
                r#type: i64,
            }"#,
        )
        .expect("expands");
        // An Option without `with` may be missing; `with` without `default` may not.
        assert!(
            out.contains(
                r#""wireName" => :: open_platform_runtime :: de :: field (& mut __field0"#
            ),
            "{out}"
        );
        assert!(out.contains("a : __field0 . unwrap_or_default ()"), "{out}");
        assert!(
            out.contains("rt :: csv :: deserialize (deserializer)"),
            "{out}"
        );
        assert!(
            out.contains(r#"b : :: open_platform_runtime :: de :: required (__field1 , "b") ?"#),
            "{out}"
        );
        assert!(out.contains("c : __field2 . unwrap_or_default ()"), "{out}");
        // Skipped: no arm, always the default.
        assert!(!out.contains(r#""d" =>"#), "{out}");
        assert!(
            out.contains("d : :: core :: default :: Default :: default ()"),
            "{out}"
        );
        // The raw identifier's key is the bare word.
        assert!(out.contains(r#""type" =>"#), "{out}");
    }

    #[test]
    fn refuses_what_it_does_not_decode() {
        for (source, expected) in [
            (
                "struct S { #[serde(flatten)] a: Inner }",
                "supports rename, default, with, skip and skip_serializing_if",
            ),
            (
                "#[serde(transparent)] struct S { a: i32 }",
                "takes no container attributes",
            ),
            ("struct S<T> { a: T }", "does not support generic structs"),
            ("struct S(i32);", "structs with named fields"),
            (
                r#"struct S { #[serde(rename = "a")] #[serde(rename = "b")] a: i32 }"#,
                "`rename` is given twice",
            ),
            (
                r#"struct S { #[serde(with = "x", default, with = "y")] a: i32 }"#,
                "`with` is given twice",
            ),
            ("enum E { A }", "is for structs"),
            (
                r#"struct S { #[serde(rename = 5)] a: i32 }"#,
                "expected string literal",
            ),
        ] {
            let error = expand_text(source).expect_err(source);
            assert!(error.contains(expected), "{source}: {error}");
        }
    }
}
