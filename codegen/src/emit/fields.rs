//! Struct members, constructors, setters and limit checks, shared by models and requests.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{argument_type_text, doc_comment, field_type_text, ident, int};
use crate::ir::{self, Type};

/// How the struct a field belongs to is used.
#[derive(Clone, Copy)]
pub struct Usage<'a> {
    /// The group module the struct is emitted into.
    pub group: &'a str,
    /// Implements `Serialize`: it is sent, or built by users.
    pub serialize: bool,
    /// Implements `Deserialize`.
    pub deserialize: bool,
    /// ... only with the generated crate's `deserialize-requests` feature: the type is only
    /// ever sent, and most users never read one.
    pub deserialize_gated: bool,
}

/// The generated crate's feature that adds `Deserialize` to types that are only sent.
pub(super) const DESERIALIZE_REQUESTS: &str = "deserialize-requests";

/// A struct definition: `docs` (`///` lines), the derives, `#[non_exhaustive]` and the
/// members (from [`member`]), as a text piece of a [`RustFile`](super::rust::RustFile). `flattened`
/// says a member is `#[serde(flatten)]`, which only serde's own `Deserialize` derive decodes.
///
/// Struct definitions are half of the generated code and have one fixed layout; writing them
/// directly saves building tokens that `syn` would only parse back (doc strings included).
pub fn struct_definition(
    docs: &str,
    usage: Usage<'_>,
    default: bool,
    flattened: bool,
    name: &str,
    members: &[String],
) -> String {
    let mut text =
        String::with_capacity(docs.len() + members.iter().map(String::len).sum::<usize>() + 200);
    text.push_str(docs);
    text.push_str(&derives(usage, default, flattened));
    text.push_str("#[non_exhaustive]\n");
    if members.is_empty() {
        text.push_str(&format!("pub struct {name} {{}}\n"));
    } else {
        text.push_str(&format!("pub struct {name} {{\n"));
        for member in members {
            text.push_str(member);
        }
        text.push_str("}\n");
    }
    text
}

/// The derive lines of a struct. `Serialize` only on what is sent and `Deserialize` only on
/// what is received keep the generated crate's compile time down (serde's derives are most of
/// it); sent types read `Deserialize` behind a feature, for mock servers and for tests that
/// read the documents' request examples.
///
/// `Deserialize` is the runtime's lean derive (map form only, about half the compile time of
/// serde's), except on structs with a flattened member, which it cannot decode.
fn derives(usage: Usage<'_>, default: bool, flattened: bool) -> String {
    let deserialize = if flattened {
        "::serde::Deserialize"
    } else {
        "rt::Deserialize"
    };
    let mut list = String::from("#[derive(Debug, Clone, PartialEq");
    if default {
        list.push_str(", Default");
    }
    if usage.serialize {
        list.push_str(", ::serde::Serialize");
    }
    if usage.deserialize && !usage.deserialize_gated {
        list.push_str(", ");
        list.push_str(deserialize);
    }
    list.push_str(")]\n");
    if usage.deserialize && usage.deserialize_gated {
        list.push_str(&format!(
            "#[cfg_attr(feature = \"{DESERIALIZE_REQUESTS}\", derive({deserialize}))]\n"
        ));
    }
    list
}

/// One struct member with its docs and serde attributes, indented for the struct body; `skip`
/// leaves it out of the JSON (query, header and path parameters of a request).
pub fn member(field: &ir::Field, usage: Usage<'_>, skip: bool) -> String {
    let mut text = String::new();
    for line in field_docs(field).lines() {
        text.push_str("    ");
        text.push_str(line);
        text.push('\n');
    }
    if let Some(serde) = serde_attribute(field, usage, skip) {
        text.push_str(&format!("    #[serde({serde})]\n"));
    }
    text.push_str(&format!(
        "    pub {}: {},\n",
        field.rust_name,
        field_type_text(field, usage.group)
    ));
    text
}

/// The contents of a member's `#[serde(...)]`, if it needs one.
fn serde_attribute(field: &ir::Field, usage: Usage<'_>, skip: bool) -> Option<String> {
    if !usage.serialize && !usage.deserialize {
        return None;
    }
    if skip {
        return Some("skip".to_owned());
    }
    if field.flatten {
        return Some("flatten".to_owned());
    }
    let mut parts = Vec::new();
    if field.rust_name.trim_start_matches("r#") != field.wire_name {
        parts.push(format!("rename = {:?}", field.wire_name));
    }
    let codec = codec_path(field);
    let optional = !field.required;
    if let Some(path) = &codec {
        if optional {
            parts.push(format!("with = \"{path}::option\""));
        } else {
            parts.push(format!("with = \"{path}\""));
        }
    }
    if optional && field.nullable {
        parts.push("default, with = \"rt::nullable\"".to_owned());
    } else if optional && codec.is_some() {
        parts.push("default".to_owned());
    }
    if optional && usage.serialize {
        parts.push("skip_serializing_if = \"Option::is_none\"".to_owned());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The runtime module that reads and writes a field whose wire form differs from its Rust type.
fn codec_path(field: &ir::Field) -> Option<String> {
    if let Some(lenient) = field.lenient {
        let name = match lenient {
            ir::Lenient::NumberOrString => "number_or_string",
            ir::Lenient::BoolOrString => "bool_or_string",
            ir::Lenient::OneOrMany => "one_or_many",
            ir::Lenient::JsonString => "json_string",
            ir::Lenient::ObjectOrList => "object_or_list",
        };
        return Some(format!("rt::lenient::{name}"));
    }
    matches!(field.ty, Type::Csv(_)).then(|| "rt::csv".to_owned())
}

/// The rustdoc of a field (`///` lines): the document's description, then example, default,
/// limits, and any transcription note.
pub fn field_docs(field: &ir::Field) -> String {
    let mut facts = Vec::new();
    if let Some(example) = &field.example {
        facts.push(format!("Example: `{example}`."));
    }
    if let Some(default) = &field.default {
        facts.push(format!("Default: `{default}`."));
    }
    if let Some(limits) = describe_limits(&field.limits) {
        facts.push(format!("Limits: {limits}."));
    }
    if let Type::Csv(_) = field.ty {
        facts.push("Sent as one comma-separated string.".to_owned());
    }
    if field.nullable {
        facts.push("May be `null`, which means something other than leaving it out.".to_owned());
    }
    if let Some(lenient) = field.lenient {
        facts.push(
            match lenient {
                ir::Lenient::NumberOrString => "Also accepted as a numeric string.",
                ir::Lenient::BoolOrString => {
                    "Also accepted as `\"true\"`/`\"false\"`, `0`/`1` or `\"0\"`/`\"1\"`."
                }
                ir::Lenient::OneOrMany => "A single item is accepted as a list of one.",
                ir::Lenient::JsonString => "Carried as JSON text inside a string.",
                ir::Lenient::ObjectOrList => {
                    "A bare list is also accepted, as the object's list member (the others absent)."
                }
            }
            .to_owned(),
        );
    }
    if field.send_default {
        facts.push("Sent with its default when left unset.".to_owned());
    }
    if let Some(doc_type) = &field.doc_type {
        facts.push(format!("Documented type: `{doc_type}`."));
    }
    let facts = facts.join(" ");
    let note = field.note.as_ref().map(|note| format!("Note: {note}"));
    let description = field
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", field.wire_name));
    doc_comment([
        description.as_str(),
        facts.as_str(),
        note.as_deref().unwrap_or(""),
    ])
}

/// The limits in words (`1..=30`, `length at most 100`), shared by rustdoc and the reference
/// page.
pub(super) fn describe_limits(limits: &ir::Limits) -> Option<String> {
    let ir::Limits {
        min,
        max,
        min_length,
        max_length,
        min_items,
        max_items,
        max_apart,
        pattern,
    } = limits;
    let mut parts = Vec::new();
    let mut range = |what: &str, low: Option<String>, high: Option<String>| match (low, high) {
        (Some(l), Some(h)) => parts.push(format!("{what}{l}..={h}")),
        (Some(l), None) => parts.push(format!("{what}at least {l}")),
        (None, Some(h)) => parts.push(format!("{what}at most {h}")),
        (None, None) => {}
    };
    range("", min.map(|v| v.to_string()), max.map(|v| v.to_string()));
    range(
        "length ",
        min_length.map(|v| v.to_string()),
        max_length.map(|v| v.to_string()),
    );
    range(
        "items ",
        min_items.map(|v| v.to_string()),
        max_items.map(|v| v.to_string()),
    );
    if let Some(apart) = max_apart {
        parts.push(format!(
            "at most {} from `{}`",
            apart_text(apart.max, &apart.ty),
            apart.from
        ));
    }
    if let Some(pattern) = pattern {
        parts.push(format!("matching `{pattern}`"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A `max_apart` distance in words: whole days for timestamps, as the documents write it.
fn apart_text(max: u64, ty: &Type) -> String {
    const DAY_MS: u64 = 24 * 60 * 60 * 1000;
    match ty {
        Type::TimestampMs if max.is_multiple_of(DAY_MS) => format!("{} days", max / DAY_MS),
        Type::TimestampMs => format!("{max} ms"),
        _ => max.to_string(),
    }
}

/// `new(required...)` and one setter per optional field, for types that callers build: an
/// [`rt::builder!`] declaration, one line per field (see `runtime/src/declare.rs`).
pub fn builder<'a>(
    type_name: &str,
    fields: impl Iterator<Item = &'a ir::Field> + Clone,
    group: &str,
) -> String {
    let required: Vec<String> = fields
        .clone()
        .filter(|f| f.required)
        .map(|f| format!("{}: {}", f.rust_name, argument_type_text(f, group)))
        .collect();
    let mut text = format!(
        "rt::builder!({type_name} {{\n    new({});\n",
        required.join(", ")
    );
    for field in fields.filter(|f| !f.required) {
        text.push_str(&format!(
            "    {}: {}",
            field.rust_name,
            argument_type_text(field, group)
        ));
        if field.setter_name != field.rust_name {
            text.push_str(&format!(" => {}", field.setter_name));
        }
        text.push_str(";\n");
    }
    text.push_str("});\n");
    text
}

/// Statements that report the first broken limit of `fields` to a `Validator` named `v`;
/// `limited` tells whether a model has limits of its own.
pub fn limit_checks<'a>(
    fields: impl Iterator<Item = &'a ir::Field>,
    limited: &dyn Fn(&str) -> bool,
) -> TokenStream {
    let checks = fields.map(|field| {
        let mut out = TokenStream::new();
        let name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let ir::Limits {
            min,
            max,
            min_length,
            max_length,
            min_items,
            max_items,
            max_apart,
            pattern,
        } = &field.limits;
        let (opt_lo, opt_hi) = (quote_opt(min), quote_opt(max));
        if min.is_some() || max.is_some() {
            let value = number_value(&field.ty, field.required, &name);
            out.extend(quote!(v.number(#wire, #value, #opt_lo, #opt_hi);));
        }
        if let Some(apart) = max_apart {
            let value = number_value(&field.ty, field.required, &name);
            let from = &apart.from;
            let from_value = number_value(&apart.ty, apart.from_required, &ident(&apart.from_rust));
            let max = proc_macro2::Literal::u64_unsuffixed(apart.max);
            let text = apart_text(apart.max, &apart.ty);
            out.extend(quote!(v.apart(#wire, #value, #from, #from_value, #max, #text);));
        }
        if min_length.is_some() || max_length.is_some() {
            let (lo, hi) = (quote_opt(min_length), quote_opt(max_length));
            let value = match (&field.ty, field.required) {
                (Type::Secret, true) => quote!(Some(self.#name.expose())),
                (Type::Secret, false) => {
                    quote!(self.#name.as_ref().map(rt::Secret::expose))
                }
                (_, true) => quote!(Some(self.#name.as_str())),
                (_, false) => quote!(self.#name.as_deref()),
            };
            out.extend(quote!(v.length(#wire, #value, #lo, #hi);));
        }
        if let Some(pattern) = pattern {
            // Compiled on first use and kept: one static per checked field.
            let value = if field.required {
                quote!(Some(self.#name.as_str()))
            } else {
                quote!(self.#name.as_deref())
            };
            out.extend(quote! {{
                static PATTERN: rt::Pattern = rt::Pattern::new(#pattern);
                v.pattern(#wire, #value, &PATTERN);
            }});
        }
        if min_items.is_some() || max_items.is_some() {
            let (lo, hi) = (quote_opt(min_items), quote_opt(max_items));
            let value = if field.required {
                quote!(Some(self.#name.len()))
            } else {
                quote!(self.#name.as_ref().map(Vec::len))
            };
            out.extend(quote!(v.items(#wire, #value, #lo, #hi);));
        }
        out.extend(nested_check(field, &name, limited));
        out
    });
    quote!(#(#checks)*)
}

/// A number field's value as the `Option<i64>` that `Validator` checks.
fn number_value(ty: &Type, required: bool, name: &syn::Ident) -> TokenStream {
    match (ty, required) {
        (Type::Int32, true) => quote!(Some(i64::from(self.#name))),
        (Type::Int32, false) => quote!(self.#name.map(i64::from)),
        (Type::TimestampMs, true) => quote!(Some(self.#name.get())),
        (Type::TimestampMs, false) => quote!(self.#name.map(rt::Millis::get)),
        (_, true) => quote!(Some(self.#name)),
        (_, false) => quote!(self.#name),
    }
}

fn nested_check(
    field: &ir::Field,
    name: &syn::Ident,
    limited: &dyn Fn(&str) -> bool,
) -> TokenStream {
    let wire = &field.wire_name;
    let is_limited = |ty: &Type| matches!(ty, Type::Model(r) | Type::Union(r) if limited(&r.name));
    // How many `Option` layers wrap the value: one for optional, one more for nullable.
    let layers = usize::from(!field.required) + usize::from(field.nullable);
    match &field.ty {
        // A flattened field's members sit beside its siblings, so it adds nothing to the path.
        ty if field.flatten && is_limited(ty) => {
            quote!(rt::Validate::check_limits(&self.#name, v);)
        }
        ty if is_limited(ty) => {
            let value = match layers {
                0 => quote!(Some(&self.#name)),
                1 => quote!(self.#name.as_ref()),
                _ => quote!(self.#name.as_ref().and_then(Option::as_ref)),
            };
            quote!(v.nested(#wire, #value);)
        }
        Type::List(inner) if is_limited(inner) => {
            let value = match layers {
                0 => quote!(Some(&self.#name[..])),
                1 => quote!(self.#name.as_deref()),
                _ => quote!(self.#name.as_ref().and_then(Option::as_deref)),
            };
            quote!(v.each(#wire, #value);)
        }
        _ => TokenStream::new(),
    }
}

fn quote_opt<T: Copy + Into<i128>>(value: &Option<T>) -> TokenStream {
    match value {
        Some(v) => {
            let v = int((*v).into());
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}
