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
        Type::Int64 => quote!(i64),
        Type::TimestampMs => quote!(rt::Millis),
        Type::Float64 => quote!(f64),
        Type::Secret => quote!(rt::Secret),
        Type::Json => quote!(::serde_json::Value),
        Type::File => quote!(rt::FilePart),
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

/// [`rust_type`] as text, spelled as it is written by hand (`Vec<String>`), for the text
/// pieces of a [`RustFile`].
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
        file: "rt::FilePart",
        millis: "rt::Millis",
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

/// The same as `///` comment lines, for the text pieces of a [`RustFile`].
pub fn doc_comment<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for line in doc_lines(paragraphs) {
        text.push_str("///");
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// A title or summary from the spec as one line of rustdoc text: its first line, escaped like
/// document prose, for places that hold one line (a declaration's doc, a list item).
pub fn title_text(text: &str) -> String {
    markdown_safe(text.lines().next().unwrap_or_default().trim())
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

/// A generated Rust file as the pieces it is assembled from, in file order: items built as
/// tokens (parsed by `syn` and printed by `prettyplease`) and items written as text.
///
/// Text is for struct definitions, whose layout is fixed (building their tokens only for
/// `syn` to parse them back was a third of the generator's time), and for declarations that
/// are one line each by design (the `rt::builder!` field list, the `rt::client!` methods, the
/// example table): `prettyplease` does not format macro bodies and would print them as one run
/// of tokens (`Vec < String >`), and a call that does not fit its width becomes one line per
/// argument. Text pieces are not checked by the generator as it runs; a test parses every one
/// of them with `syn` (see the tests of `emit`).
#[derive(Debug, Default)]
pub struct RustFile {
    pieces: Vec<Piece>,
}

/// One piece of a [`RustFile`].
#[derive(Debug)]
pub enum Piece {
    /// Items as tokens. They may hold [`inline_text`] inside an item.
    Tokens(TokenStream),
    /// Top-level items as text, each line indented for the top level and ended by `\n`.
    Text(String),
}

impl RustFile {
    /// A file of these tokens.
    pub fn of(tokens: TokenStream) -> Self {
        let mut file = Self::default();
        file.tokens(tokens);
        file
    }

    /// Appends items built as tokens.
    pub fn tokens(&mut self, tokens: TokenStream) -> &mut Self {
        if !tokens.is_empty() {
            self.pieces.push(Piece::Tokens(tokens));
        }
        self
    }

    /// Appends items written as text.
    pub fn text(&mut self, text: String) -> &mut Self {
        self.pieces.push(Piece::Text(text));
        self
    }

    /// Appends every piece of `other`.
    pub fn append(&mut self, other: RustFile) -> &mut Self {
        self.pieces.extend(other.pieces);
        self
    }

    /// The pieces, in file order.
    #[cfg(test)]
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The file: the header, then each run of token pieces formatted by `prettyplease` with
    /// its inline texts spliced in, and each text piece as written.
    pub fn render(self, spec_file: &str) -> Result<String, syn::Error> {
        let mut out = header(spec_file);
        out.push('\n');
        let mut run = TokenStream::new();
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => run.extend(tokens),
                Piece::Text(text) => {
                    print_tokens(std::mem::take(&mut run), &mut out)?;
                    out.push_str(&text);
                }
            }
        }
        print_tokens(run, &mut out)?;
        Ok(out)
    }
}

/// The name of the macro that carries an [`inline_text`] through formatting.
const INLINE: &str = "__verbatim";

/// Items written as text inside an item built as tokens (the one-line `OPERATION` constant
/// of an `ApiRequest` impl). The text travels in the token stream as the string literal of a
/// placeholder macro call, so that the tokens hold everything the file needs, and replaces that
/// call, indented to where it stands, when the file is rendered.
pub fn inline_text(text: &str) -> TokenStream {
    let name = syn::Ident::new(INLINE, Span::call_site());
    let text = proc_macro2::Literal::string(text);
    quote!(#name!(#text);)
}

/// The inline texts in `tokens`, for the test that parses every text piece.
#[cfg(test)]
pub fn inline_texts(tokens: &TokenStream, found: &mut Vec<String>) {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else {
            continue;
        };
        let after_inline =
            i >= 2 && matches!(&trees[i - 2], TokenTree::Ident(name) if name == INLINE);
        match syn::parse2::<syn::LitStr>(group.stream()) {
            Ok(text) if after_inline => found.push(text.value()),
            _ => inline_texts(&group.stream(), found),
        }
    }
}

/// Prints a run of token pieces as `prettyplease` formats a file, splicing in inline texts.
fn print_tokens(tokens: TokenStream, out: &mut String) -> Result<(), syn::Error> {
    if tokens.is_empty() {
        return Ok(());
    }
    let file = syn::parse2::<syn::File>(tokens)?;
    let printed = prettyplease::unparse(&file);
    out.reserve(printed.len());
    let mut lines = printed.lines();
    while let Some(line) = lines.next() {
        let code = line.trim_start();
        let Some(call) = code
            .strip_prefix(INLINE)
            .and_then(|rest| rest.strip_prefix("!("))
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        // `prettyplease` keeps a short call on one line and puts a long literal on a line of
        // its own between `__verbatim!(` and `);`.
        let literal = match call.strip_suffix(");") {
            Some(literal) => literal.to_owned(),
            None => lines
                .by_ref()
                .map(str::trim)
                .take_while(|inner| *inner != ");")
                .collect(),
        };
        let text = syn::parse_str::<syn::LitStr>(&literal)?.value();
        let indent = &line[..line.len() - code.len()];
        for text_line in text.lines() {
            if !text_line.is_empty() {
                out.push_str(indent);
                out.push_str(text_line);
            }
            out.push('\n');
        }
    }
    Ok(())
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
