//! Shared pieces for emitting Rust: identifiers, types, doc comments and file formatting.

use std::cell::RefCell;

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
        Type::Secret => quote!(rt::Secret),
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

/// [`rust_type`] as text, spelled as it is written by hand (`Vec<String>`), for code that is
/// spliced in with [`verbatim`] rather than printed from tokens.
pub fn rust_type_text(ty: &Type, group: &str) -> String {
    let named = |r: &ir::TypeRef| {
        if r.group == group {
            r.name.clone()
        } else {
            format!("super::{}::{}", r.group, r.name)
        }
    };
    ty.rust_spelling(&ir::RustSpelling {
        secret: "rt::Secret",
        json: "::serde_json::Value",
        map: "::std::collections::BTreeMap",
        named: &named,
    })
}

/// The type of a struct member, as text: `Option<T>` unless the field is required, and one
/// more `Option` for a nullable field (`None` absent, `Some(None)` null).
pub fn field_type_text(field: &ir::Field, group: &str) -> String {
    let mut ty = rust_type_text(&field.ty, group);
    if field.nullable {
        ty = format!("Option<{ty}>");
    }
    if !field.required {
        ty = format!("Option<{ty}>");
    }
    ty
}

/// The argument type of a constructor parameter or setter for `field`, as text: the value's
/// type, `impl Into<_>` for text, `Option<T>` for a nullable field (`None` sends `null`).
pub fn argument_type_text(field: &ir::Field, group: &str) -> String {
    let ty = rust_type_text(&field.ty, group);
    if field.nullable {
        format!("Option<{ty}>")
    } else if argument_needs_conversion(&field.ty) {
        format!("impl Into<{ty}>")
    } else {
        ty
    }
}

/// Whether the argument for a value of `ty` is an `impl Into<_>` (text and secrets).
fn argument_needs_conversion(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::DateTime | Type::Secret)
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

/// The same as `///` comment lines, for [`verbatim`] text.
pub fn doc_comment<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for line in doc_lines(paragraphs) {
        text.push_str("///");
        text.push_str(&line);
        text.push('\n');
    }
    text
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

/// A link to a document: its title, escaped like document prose, linking to `url` when the
/// address is known.
pub fn markdown_link(title: &str, url: Option<&str>) -> String {
    let title = markdown_safe(title.trim());
    match url {
        Some(url) => format!("[{title}]({url})"),
        None => title,
    }
}

/// Document text is the platforms' prose, not Markdown written for rustdoc: brackets would be
/// read as intra-doc links, angle brackets as HTML, and bare URLs draw a rustdoc lint. A URL
/// becomes an autolink (`<https://...>`); the punctuation of the sentence around it stays
/// outside, and a scheme without a host (the words "https://" in a note) stays text.
fn markdown_safe(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(url) = (!in_code).then(|| url_at(rest)).flatten() {
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The URL `text` starts with: `http://` or `https://`, a host, and what follows up to a
/// character that cannot be in a URL, without trailing sentence punctuation (and without a
/// closing parenthesis that the URL does not open).
fn url_at(text: &str) -> Option<&str> {
    let after = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let scheme = text.len() - after.len();
    let run = after
        .find(|c: char| !c.is_ascii_graphic() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']'))
        .unwrap_or(after.len());
    let mut url = &text[..scheme + run];
    loop {
        let mut trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        if trimmed.ends_with(')') && !trimmed.contains('(') {
            trimmed = &trimmed[..trimmed.len() - 1];
        }
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    let host = url.get(scheme..).unwrap_or_default();
    host.starts_with(|c: char| c.is_ascii_alphanumeric())
        .then_some(url)
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

thread_local! {
    /// The blocks [`verbatim`] handed out for the file being built on this thread, taken back
    /// by [`format_file`]. A file's tokens are built and formatted on one thread, so a
    /// thread-local needs no threading through every emitter.
    static VERBATIM: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The name of the placeholder macro that stands for a verbatim block until formatting.
const PLACEHOLDER: &str = "__verbatim";

/// Code that goes into the file as written: `text` (valid Rust items, indented for the top
/// level) replaces a placeholder item after `prettyplease` has printed the file, indented to
/// where the placeholder stands.
///
/// For struct definitions, whose layout is fixed (building their tokens only for `syn` to
/// parse them back was a third of the generator's time), and for declarations that are one
/// line each by design (the `rt::builder!` field list, the example table): `prettyplease` does
/// not format macro bodies and would print them as one run of tokens (`Vec < String >`), and a
/// call that does not fit its width becomes one line
/// per argument.
pub fn verbatim(text: String) -> TokenStream {
    let index = VERBATIM.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        blocks.push(text);
        blocks.len() - 1
    });
    let name = syn::Ident::new(PLACEHOLDER, Span::call_site());
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    quote!(#name!(#index);)
}

/// Forgets the blocks of a file whose building failed half-way.
pub fn clear_verbatim() {
    VERBATIM.with(|blocks| blocks.borrow_mut().clear());
}

/// Formats `tokens` as a file with the header, with the [`verbatim`] blocks spliced in.
pub fn format_file(spec_file: &str, tokens: TokenStream) -> Result<String, syn::Error> {
    let blocks = VERBATIM.with(|blocks| std::mem::take(&mut *blocks.borrow_mut()));
    let file = syn::parse2::<syn::File>(tokens)?;
    let printed = prettyplease::unparse(&file);
    let mut out = header(spec_file);
    out.push('\n');
    out.reserve(printed.len() + blocks.iter().map(String::len).sum::<usize>());
    for line in printed.lines() {
        let code = line.trim_start();
        let block = code
            .strip_prefix(PLACEHOLDER)
            .and_then(|rest| rest.strip_prefix("!("))
            .and_then(|rest| rest.strip_suffix(");"))
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| blocks.get(index));
        match block {
            Some(block) => {
                let indent = &line[..line.len() - code.len()];
                for block_line in block.lines() {
                    if !block_line.is_empty() {
                        out.push_str(indent);
                        out.push_str(block_line);
                    }
                    out.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
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
    fn urls_become_autolinks_without_the_sentence_around_them() {
        let cases = [
            // A scheme without a host is prose, not a link (it rendered as `<https://.>`).
            (
                "with http:// in its example; the spec uses GET on https://.",
                "with http:// in its example; the spec uses GET on https://.",
            ),
            ("see https://x.cn/a.", "see <https://x.cn/a>."),
            ("(see https://x.cn/a), then", "(see <https://x.cn/a>), then"),
            ("https://x.cn/wiki/A_(b)", "<https://x.cn/wiki/A_(b)>"),
            (
                "详见https://x.cn/a?b=1&c={d}。",
                "详见<https://x.cn/a?b=1&c={d}>。",
            ),
            ("\"https://x.cn\" and <b>", "\"<https://x.cn>\" and \\<b\\>"),
            ("`https://x.cn.` stays code", "`https://x.cn.` stays code"),
            ("ftp://x.cn is not http", "ftp://x.cn is not http"),
        ];
        for (text, expected) in cases {
            assert_eq!(markdown_safe(text), expected, "{text}");
        }
    }

    #[test]
    fn raw_identifiers() {
        let id = ident("r#type");
        assert_eq!(quote!(#id).to_string(), "r#type");
    }
}
