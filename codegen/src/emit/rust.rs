//! Shared pieces for emitting Rust: identifiers, types, doc comments and file formatting.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::ir::{self, Type};

/// An identifier from a name decided by `names`, which may be a raw identifier (`r#type`).
pub fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, Span::call_site()),
        None => syn::Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a field as seen from the module of `group`.
pub fn rust_type(ty: &Type, group: &str) -> TokenStream {
    match ty {
        Type::String | Type::DateTime => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Int32 => quote!(i32),
        Type::Int64 | Type::TimestampMs => quote!(i64),
        Type::Float64 => quote!(f64),
        Type::Secret => quote!(crate::runtime::Secret),
        Type::Json => quote!(::serde_json::Value),
        Type::List(inner) | Type::Csv(inner) => {
            let inner = rust_type(inner, group);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = rust_type(inner, group);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Type::Model(ir::TypeRef {
            group: defining,
            name,
        })
        | Type::Enum(ir::TypeRef {
            group: defining,
            name,
        })
        | Type::Union(ir::TypeRef {
            group: defining,
            name,
        }) => {
            let name = ident(name);
            if defining == group {
                quote!(#name)
            } else {
                let module = ident(defining);
                quote!(super::#module::#name)
            }
        }
    }
}

/// The type of a struct member: `Option<T>` unless the field is required, and one more
/// `Option` for a nullable field (`None` absent, `Some(None)` null).
pub fn field_type(field: &ir::Field, group: &str) -> TokenStream {
    let ty = value_type(field, group);
    if field.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The type of a field's value when present: `Option<T>` for a nullable field.
pub fn value_type(field: &ir::Field, group: &str) -> TokenStream {
    let ty = rust_type(&field.ty, group);
    if field.nullable {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The parameter type of a constructor argument or setter: `impl Into<String>` for text.
pub fn argument_type(ty: &Type, group: &str) -> TokenStream {
    match ty {
        Type::String | Type::DateTime => quote!(impl Into<String>),
        Type::Secret => quote!(impl Into<crate::runtime::Secret>),
        other => rust_type(other, group),
    }
}

/// Whether an argument of [`argument_type`] is an `impl Into<_>`.
pub fn argument_needs_conversion(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::DateTime | Type::Secret)
}

/// How an argument of [`argument_type`] becomes the stored value.
pub fn argument_conversion(ty: &Type, value: &syn::Ident) -> TokenStream {
    if argument_needs_conversion(ty) {
        quote!(#value.into())
    } else {
        quote!(#value)
    }
}

/// `#[doc]` attributes for `paragraphs`, skipping empty ones and separating the rest.
pub fn docs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#[doc = #lines])*)
}

/// The same as inner attributes (`//!`), for a module's own documentation.
pub fn inner_docs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#![doc = #lines])*)
}

fn doc_lines<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for line in paragraph.lines().map(str::trim_end) {
            lines.push(if line.is_empty() {
                String::new()
            } else {
                format!(" {}", markdown_safe(line))
            });
        }
    }
    lines
}

/// Document text is the platforms' prose, not Markdown written for rustdoc: brackets would be
/// read as intra-doc links, angle brackets as HTML, and bare URLs draw a rustdoc lint.
fn markdown_safe(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for word in line.split_inclusive(' ') {
        let trimmed = word.trim_end();
        let is_url =
            !in_code && (trimmed.starts_with("https://") || trimmed.starts_with("http://"));
        if is_url {
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&word[trimmed.len()..]);
            continue;
        }
        for c in word.chars() {
            if c == '`' {
                in_code = !in_code;
            }
            if !in_code && matches!(c, '[' | ']' | '<' | '>') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// An unsuffixed integer literal, negative ones as a negation (`-1`).
pub fn int(n: i128) -> TokenStream {
    let literal = proc_macro2::Literal::u128_unsuffixed(n.unsigned_abs());
    if n < 0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

/// The first line of every generated Rust file.
pub fn header(spec_file: &str) -> String {
    format!("// @generated by `cargo xtask codegen` from {spec_file}. Do not edit by hand.\n")
}

/// Formats `tokens` as a file with the header.
pub fn format_file(spec_file: &str, tokens: TokenStream) -> Result<String, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens)?;
    Ok(format!(
        "{}\n{}",
        header(spec_file),
        prettyplease::unparse(&file)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_is_escaped() {
        assert_eq!(
            markdown_safe("见 [链接] <b> a_b"),
            "见 \\[链接\\] \\<b\\> a_b"
        );
        assert_eq!(
            markdown_safe("url: https://x.cn/a_b ok"),
            "url: <https://x.cn/a_b> ok"
        );
        assert_eq!(markdown_safe("example `[1]`"), "example `[1]`");
    }

    #[test]
    fn raw_identifiers() {
        let id = ident("r#type");
        assert_eq!(quote!(#id).to_string(), "r#type");
    }
}
