//! OpenAPI 3.0.3 documents built from the IR, one per platform (`cargo xtask openapi`).
//!
//! The documents are for tools outside this workspace (API explorers, other languages'
//! generators); the specs stay the source of truth. Like the other emitters this reads only
//! the IR and is pure: the same specs give the same documents, whose objects serialize with
//! sorted keys. What the specs say and OpenAPI has no keyword for (pagination, stability,
//! idempotence, lenient decoding, error-code meanings, transcription notes, undocumented
//! endpoints, source documents) goes into `x-` extensions.

mod operations;
mod schemas;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::ir::{self, AuthLocation, CodeValue, ErrorMeaning};

/// One OpenAPI 3.0.3 document per platform, keyed by the platform's module name.
pub fn export(api: &ir::Api) -> BTreeMap<String, Value> {
    api.platforms
        .iter()
        .map(|platform| (platform.module.clone(), document(platform)))
        .collect()
}

/// The documents as files: `<platform>.json`, pretty-printed, with a trailing newline.
pub fn files(api: &ir::Api) -> BTreeMap<String, String> {
    export(api)
        .into_iter()
        .map(|(module, document)| (format!("{module}.json"), format!("{document:#}\n")))
        .collect()
}

/// The document of one platform.
fn document(platform: &ir::Platform) -> Value {
    let ir::Platform {
        module: _,
        feature: _,
        base_feature: _,
        title: _,
        description: _,
        sources,
        spec_file: _,
        bases,
        // Described by the security schemes of the bases that carry them.
        credentials: _,
        // Computed by the runtime; the operations say which they carry (`x-signing`).
        signatures: _,
        groups,
        undocumented,
        // Read through `Platform::model` where a path descends into models.
        types: _,
    } = platform;
    let (paths, omitted) = operations::paths(platform);
    // An operation on another base than the first names its own server (see `operations`).
    let servers: Vec<Value> = bases.first().map(server).into_iter().collect();
    let tags: Vec<Value> = groups.iter().map(tag).collect();
    let mut document = object([
        ("openapi", json!("3.0.3")),
        ("info", info(platform)),
        ("servers", Value::Array(servers)),
        ("tags", Value::Array(tags)),
        ("paths", Value::Object(paths)),
        ("components", components(platform)),
    ]);
    if !sources.is_empty() {
        let list: Vec<Value> = sources.iter().map(source_document).collect();
        document.insert("x-sources".to_owned(), Value::Array(list));
    }
    if !undocumented.is_empty() {
        let list: Vec<Value> = undocumented.iter().map(undocumented_endpoint).collect();
        document.insert("x-undocumented".to_owned(), Value::Array(list));
    }
    let codes = error_codes(bases);
    if !codes.is_empty() {
        document.insert("x-error-codes".to_owned(), Value::Object(codes));
    }
    if !omitted.is_empty() {
        document.insert("x-omitted-operations".to_owned(), Value::Array(omitted));
    }
    Value::Object(document)
}

/// `info`: the platform's title and description, and where the specs came from.
fn info(platform: &ir::Platform) -> Value {
    let folder = platform
        .spec_file
        .rsplit_once('/')
        .map_or(platform.spec_file.as_str(), |(folder, _)| folder);
    let cited: Vec<String> = platform
        .sources
        .iter()
        .map(|s| match &s.url {
            Some(url) => format!("{} ({url})", s.title),
            None => s.title.clone(),
        })
        .collect();
    let sources = format!("Transcribed from {}.", cited.join("; "));
    let origin = format!(
        "Exported from `{folder}/` by `cargo xtask openapi`; the specs are the source of truth."
    );
    let description = join_text([
        platform.description.as_deref().map(str::trim_end),
        Some(sources.as_str()),
        Some(origin.as_str()),
    ]);
    json!({
        "title": platform.title,
        "version": "1",
        "description": description,
    })
}

/// `x-sources`: a document the specs were transcribed from, by its public title and address.
fn source_document(source: &ir::Source) -> Value {
    let ir::Source {
        // The committed copy's path means nothing outside this repository.
        file: _,
        title,
        url,
        note,
    } = source;
    let mut entry = object([("title", json!(title))]);
    insert_some(&mut entry, "url", url.as_deref());
    insert_some(&mut entry, "note", note.as_deref());
    Value::Object(entry)
}

/// A server object for a base.
pub(super) fn server(base: &ir::Base) -> Value {
    let mut server = object([("url", json!(base.url))]);
    insert_some(&mut server, "description", base.description.as_deref());
    Value::Object(server)
}

/// A tag per group: operations carry their group's module name as their tag.
fn tag(group: &ir::Group) -> Value {
    let description = join_text([Some(group.title.as_str()), group.description.as_deref()]);
    json!({ "name": group.module, "description": description })
}

fn components(platform: &ir::Platform) -> Value {
    let mut components = object([(
        "schemas",
        Value::Object(schemas::component_schemas(platform)),
    )]);
    let schemes = security_schemes(platform);
    if !schemes.is_empty() {
        components.insert("securitySchemes".to_owned(), Value::Object(schemes));
    }
    let responses = operations::error_responses(platform);
    if !responses.is_empty() {
        components.insert("responses".to_owned(), Value::Object(responses));
    }
    Value::Object(components)
}

/// The name of a base's token placement in `components.securitySchemes`.
pub(super) fn security_scheme_name(base: &ir::Base) -> String {
    format!("{}_token", base.id)
}

/// An `apiKey` scheme per base that carries a token, in the query or a header as the base
/// says.
fn security_schemes(platform: &ir::Platform) -> Map<String, Value> {
    let issued_by = |credential: Option<usize>| {
        let credential = credential.and_then(|i| platform.credentials.get(i))?;
        let issuers: Vec<String> = credential
            .issuers
            .iter()
            .map(|token| {
                format!(
                    "`{}.{}` (in `{}`, with its lifetime in seconds in `{}`)",
                    token.group, token.operation, token.token.wire_name, token.expires_in.wire_name
                )
            })
            .collect();
        (!issuers.is_empty()).then(|| format!("It is issued by {}.", issuers.join(" or ")))
    };
    let mut schemes = Map::new();
    for base in &platform.bases {
        let (location, carrier) = match base.auth {
            AuthLocation::Query => ("query", "query parameter"),
            AuthLocation::Header => ("header", "header"),
            // OpenAPI's API keys travel in a query, header or cookie only.
            AuthLocation::Body | AuthLocation::None => continue,
        };
        let placement = format!(
            "The access token for {}, in the `{}` {carrier}.",
            base.url, base.auth_name
        );
        let issued_by = issued_by(base.credential);
        let description = join_text([Some(placement.as_str()), issued_by.as_deref()]);
        let scheme = json!({
            "type": "apiKey",
            "in": location,
            "name": base.auth_name,
            "description": description,
        });
        schemes.insert(security_scheme_name(base), scheme);
    }
    schemes
}

/// `x-error-codes`: per base, the codes (and sub-codes) with a meaning the client acts on.
fn error_codes(bases: &[ir::Base]) -> Map<String, Value> {
    let list = |codes: &[ir::ErrorCode]| -> Value {
        codes
            .iter()
            .map(|c| {
                json!({
                    "code": code_value(&c.code),
                    "meaning": meaning_name(c.meaning),
                    "description": c.description,
                })
            })
            .collect()
    };
    let mut by_base = Map::new();
    for base in bases.iter().filter(|b| !b.error_codes.is_empty()) {
        let mut entry = object([("codes", list(&base.error_codes))]);
        if !base.sub_codes.is_empty() {
            entry.insert("sub_codes".to_owned(), list(&base.sub_codes));
        }
        by_base.insert(base.id.clone(), Value::Object(entry));
    }
    by_base
}

fn meaning_name(meaning: ErrorMeaning) -> &'static str {
    match meaning {
        ErrorMeaning::TokenInvalid => "token_invalid",
        ErrorMeaning::Busy => "busy",
        ErrorMeaning::RateLimited => "rate_limited",
        ErrorMeaning::QuotaExceeded => "quota_exceeded",
        ErrorMeaning::Banned => "banned",
        ErrorMeaning::PermissionDenied => "permission_denied",
        ErrorMeaning::IpNotAllowed => "ip_not_allowed",
        ErrorMeaning::SeeSubCode => "see_sub_code",
    }
}

fn undocumented_endpoint(endpoint: &ir::Undocumented) -> Value {
    let ir::Undocumented {
        section,
        title,
        method,
    } = endpoint;
    let mut entry = object([("section", json!(section)), ("title", json!(title))]);
    insert_some(&mut entry, "method", method.as_deref());
    Value::Object(entry)
}

/// A code or enum value as JSON.
pub(super) fn code_value(value: &CodeValue) -> Value {
    match value {
        CodeValue::Integer(n) => json!(n),
        CodeValue::String(s) => json!(s),
    }
}

/// A JSON object from key-value pairs.
pub(super) fn object<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// Sets `key` to a string when there is one.
pub(super) fn insert_some(map: &mut Map<String, Value>, key: &str, text: Option<&str>) {
    if let Some(text) = text {
        map.insert(key.to_owned(), json!(text));
    }
}

/// The present, non-empty parts as paragraphs, or `None` when there are none.
pub(super) fn join_text<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}
