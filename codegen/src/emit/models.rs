//! Named object types (`OapiCreateBlackboardVo`, `PageVo`, ...).

use quote::quote;

use super::fields::{builder, limit_checks, member, struct_definition, Usage};
use super::rust::{doc_comment, ident, RustFile};
use crate::ir;

/// A model struct, with a constructor and setters if requests carry it, and a limit check if
/// it has limits.
pub fn emit_model(
    model: &ir::Model,
    group: &str,
    spec_file: &str,
    limited: &dyn Fn(&str) -> bool,
) -> RustFile {
    let ir::Model {
        name,
        doc_name,
        description,
        note,
        fields,
        sent,
        received,
        has_limits,
        list_member,
    } = model;
    let usage = Usage {
        group,
        serialize: *sent,
        deserialize: true,
        deserialize_gated: !*received,
    };
    let doc_name = doc_name.as_ref().map(|d| format!("Documented as `{d}`."));
    let note = note.as_ref().map(|n| format!("Note: {n}"));
    let source = format!("Spec: `{spec_file}`, model `{name}`.");
    let docs = doc_comment([
        description.as_deref().unwrap_or(name.as_str()),
        doc_name.as_deref().unwrap_or(""),
        note.as_deref().unwrap_or(""),
        source.as_str(),
    ]);
    let all_optional = fields.iter().all(|f| !f.required);
    let members: Vec<String> = fields.iter().map(|f| member(f, usage, false)).collect();
    let flattened = fields.iter().any(|f| f.flatten);
    let definition = struct_definition(
        &docs,
        usage,
        *sent && all_optional,
        flattened,
        name,
        &members,
    );
    let mut file = RustFile::default();
    file.text(definition);
    if *sent {
        file.text(builder(name, fields.iter(), group));
    }
    if *has_limits {
        let checks = limit_checks(fields.iter(), limited);
        let name = ident(name);
        file.tokens(quote! {
            impl rt::Validate for #name {
                fn check_limits(&self, v: &mut rt::Validator) { #checks }
            }
        });
    }
    // A field reads this model with `lenient: object_or_list`: a bare list fills this member.
    if let Some(wire) = list_member {
        let name = ident(name);
        file.tokens(quote! {
            impl rt::lenient::ListMember for #name {
                const LIST_MEMBER: &'static str = #wire;
            }
        });
    }
    file
}
