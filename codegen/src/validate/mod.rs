//! Checking the loaded specs and resolving them into the IR, collecting every problem at once.
//!
//! Each check pushes a diagnostic and carries on with a placeholder, so that one run reports
//! all of a spec's problems instead of the first.

mod analysis;
mod credentials;
mod fields;
mod kinds;
mod named;
mod operations;
mod pagination;
mod rate;
mod scopes;
mod signatures;
mod types;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir;
use crate::load::{Loaded, PlatformSpecs, Specs};
use crate::names;
use crate::parallel;
use crate::spec;

/// Checks `specs` and lowers them into one IR.
pub fn validate(specs: &Specs) -> Result<ir::Api, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let platforms = specs
        .platforms
        .iter()
        .map(|platform| {
            // Named types come first: every group's fields may refer to any group's types.
            let named = named::collect_named_types(platform, &mut diagnostics);
            PlatformLowering {
                specs: platform,
                diagnostics: &mut diagnostics,
                named: &named,
            }
            .lower()
        })
        .collect();
    let api = ir::Api { platforms };
    scopes::check_crate(&api, specs, &mut diagnostics);
    diagnostics.into_result(api)
}

/// The named types of a platform, collected before any group is lowered.
struct Named<'a> {
    /// Every model, enum and union of the platform, with its defining group.
    types: types::NamedTypes<'a>,
    /// The spec of every model by name (the first, when a name is defined twice), for
    /// pagination paths that descend into models of other groups.
    models: FxHashMap<&'a str, &'a spec::Model>,
}

/// A key path into a spec file, such as `operations[2].body[0]`, formatted only when a
/// diagnostic needs its location: valid specs never do, and formatting one path per field and
/// check was a good part of lowering large spec sets.
#[derive(Debug, Clone, Copy)]
enum At<'a> {
    /// A top-level key.
    Root(&'a str),
    /// A key of the mapping at a path.
    Key(&'a At<'a>, &'a str),
    /// An item of the sequence at a path.
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The path of `key` under this one.
    fn key<'b>(&'b self, key: &'b str) -> At<'b> {
        At::Key(self, key)
    }

    /// The path of item `index` of this one.
    fn index(&self, index: usize) -> At<'_> {
        At::Index(self, index)
    }

    /// Where this path is in `file`.
    fn locate<T>(&self, file: &Loaded<T>) -> Location {
        file.locate(&self.to_string())
    }
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root(key) => f.write_str(key),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Lowers one platform. Groups are lowered on several threads, each with a lowering of its
/// own that collects diagnostics apart; they are merged afterwards, and `Diagnostics` sorts
/// them by location, so the report does not depend on the scheduling.
struct PlatformLowering<'a> {
    specs: &'a PlatformSpecs,
    diagnostics: &'a mut Diagnostics,
    named: &'a Named<'a>,
}

impl<'a> PlatformLowering<'a> {
    fn lower(mut self) -> ir::Platform {
        let service = &self.specs.service;
        let spec::ServiceFile {
            platform,
            title,
            description,
            sources,
            bases,
            undocumented,
            credentials,
            signatures,
        } = &service.spec;
        if !names::is_snake_identifier(platform) {
            self.error(
                service.locate("platform"),
                format!("platform `{platform}` is not a snake_case identifier"),
            )
            .help("use lowercase letters, digits and single underscores, such as `dingtalk`");
        }
        if names::is_reserved_module(platform) {
            self.error(
                service.locate("platform"),
                format!("platform `{platform}` cannot be a module name"),
            )
            .help("Rust keywords, `mod`, `runtime`, `rt` and `examples` are taken; choose another name");
        }
        let signatures = self.lower_signatures(signatures);
        // Credentials are named first (bases and operations refer to them) and get their
        // issuing operations once the groups are lowered.
        let mut lowered_credentials = self.lower_credential_names(credentials);
        let bases = self.lower_bases(bases, &signatures, &lowered_credentials);
        let mut groups = self.lower_groups(&bases, &signatures, &lowered_credentials);
        self.lower_issuers(credentials, &mut lowered_credentials, &mut groups);
        let mut platform = ir::Platform {
            module: platform.clone(),
            feature: names::platform_feature(platform),
            base_feature: names::platform_base_feature(platform),
            title: title.clone(),
            description: description.clone(),
            sources: self.lower_sources(sources),
            spec_file: service.path.clone(),
            bases,
            credentials: lowered_credentials,
            signatures,
            types: ir::TypeTable::build(&groups),
            groups,
            undocumented: self.lower_undocumented(undocumented),
        };
        // Both read the whole platform, one type graph each; neither needs the other.
        let (marks, recursive) = parallel::join(
            || analysis::directions(&platform),
            || named::recursive_types(&platform),
        );
        self.check_recursion(&recursive);
        analysis::mark_directions(&mut platform, marks);
        // After the directions: only models that requests carry have setters.
        scopes::check_platform(&platform, self.specs, self.diagnostics);
        analysis::mark_list_members(&mut platform);
        platform
    }

    fn error(&mut self, location: Location, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push_mut(Diagnostic::new(location, message))
    }

    /// The index of `id` among the ids of `service.yaml`'s list `list` (`signatures`,
    /// `credentials`), `Some(None)` for `none` where `none_allowed`; `None` after reporting an
    /// unknown id at `location` as a `kind`, with the ids it could be. A reference from a group
    /// file is also told where such ids are declared.
    fn lookup_id<'i>(
        &mut self,
        location: Location,
        (kind, list): (&str, &str),
        id: &str,
        ids: impl Iterator<Item = &'i str>,
        none_allowed: bool,
    ) -> Option<Option<usize>> {
        if none_allowed && id == "none" {
            return Some(None);
        }
        let ids: Vec<&str> = ids.collect();
        if let Some(index) = ids.iter().position(|known| *known == id) {
            return Some(Some(index));
        }
        let in_group_file = location.file != self.specs.service.path;
        let mut known: Vec<String> = ids.iter().map(|known| format!("`{known}`")).collect();
        if none_allowed {
            known.push("`none`".to_owned());
        }
        let declare = format!("declare it under `{list}:` in service.yaml");
        let help = match (known.is_empty(), in_group_file) {
            (true, _) => declare,
            (false, true) => format!("use one of {}, or {declare}", known.join(", ")),
            (false, false) => format!("use one of {}", known.join(", ")),
        };
        self.error(location, format!("unknown {kind} `{id}`"))
            .help(help);
        None
    }

    fn lower_bases(
        &mut self,
        bases: &[spec::Base],
        signatures: &[ir::Signature],
        credentials: &[ir::Credential],
    ) -> Vec<ir::Base> {
        let service = &self.specs.service;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (i, base) in bases.iter().enumerate() {
            let at = format!("bases[{i}]");
            let spec::Base {
                id,
                url,
                description,
                auth,
                envelope,
                error_codes,
                sub_codes,
                encoding,
                signing,
                credential,
                rate_limit,
            } = base;
            if let Some(first) = seen.insert(id, i) {
                let first_location = service.locate(&format!("bases[{first}].id"));
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("duplicate base `{id}`"),
                )
                .related(first_location, "first defined here");
            }
            if !names::is_snake_identifier(id) {
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("base id `{id}` is not a snake_case identifier"),
                );
            }
            if !url.starts_with("https://") && !url.starts_with("http://") || url.ends_with('/') {
                self.error(
                    service.locate(&format!("{at}.url")),
                    format!("base url `{url}` is not an absolute URL without a trailing slash"),
                );
            }
            let auth_name = match (auth.location, &auth.name) {
                (spec::AuthLocation::None, _) => String::new(),
                (_, Some(name)) if !name.is_empty() => name.clone(),
                _ => {
                    self.error(
                        service.locate(&format!("{at}.auth")),
                        "auth in a query, header or body needs a `name`",
                    )
                    .help("add the parameter or header name, such as `name: access_token`");
                    String::new()
                }
            };
            let envelope = self.lower_envelope(envelope, &format!("{at}.envelope"));
            let error_codes = self.lower_codes(
                error_codes,
                envelope.members().code_type,
                &format!("{at}.error_codes"),
            );
            // Sub codes are strings on the wire (DingTalk sends `"sub_code": "60011"`).
            let sub_codes =
                self.lower_codes(sub_codes, ir::CodeType::String, &format!("{at}.sub_codes"));
            if !sub_codes.is_empty() && envelope.members().sub_code_field.is_none() {
                self.error(
                    service.locate(&format!("{at}.sub_codes")),
                    "`sub_codes` need the envelope's `sub_code_field`",
                );
            }
            let signing = signing.as_ref().and_then(|signing| {
                self.signature_index(signing, signatures, &format!("{at}.signing"), false)
                    .flatten()
            });
            let credential = match (auth.location, credential) {
                (spec::AuthLocation::None, Some(_)) => {
                    let location = service.locate(&format!("{at}.credential"));
                    self.error(location, "a base without a token has no `credential`");
                    None
                }
                (spec::AuthLocation::None, None) => None,
                (_, Some(id)) => {
                    self.credential_index(id, credentials, &format!("{at}.credential"))
                }
                // The platform's first credential; none when the spec declares none (the
                // client's one token source serves every call).
                (_, None) => (!credentials.is_empty()).then_some(0),
            };
            let rate_limit = rate_limit.as_ref().and_then(|rate| {
                let key = format!("{}:{id}", service.spec.platform);
                self.lower_rate_limit(service, &format!("{at}.rate_limit"), rate, key)
            });
            lowered.push(ir::Base {
                rate_limit,
                encoding: encoding.map(Into::into).unwrap_or_default(),
                signing,
                credential,
                id: id.clone(),
                const_name: names::base_const(id),
                url: url.clone(),
                description: description.clone(),
                auth: auth.location.into(),
                auth_name,
                envelope,
                error_codes,
                sub_codes,
            });
        }
        lowered
    }

    fn lower_envelope(&mut self, envelope: &spec::Envelope, at: &str) -> ir::Envelope {
        let spec::Envelope {
            style,
            code_field,
            code_type,
            success,
            success_field,
            payload,
            message_field,
            request_id_field,
            sub_code_field,
            sub_message_field,
        } = envelope;
        let service = &self.specs.service;
        let needs_code = *style != spec::EnvelopeStyle::SuccessFlag;
        if needs_code && code_field.is_none() {
            let location = service.locate(at);
            self.error(location, "this envelope needs a `code_field`")
                .help("name the member that carries the error code, such as `code_field: errcode`");
        }
        if code_field.is_some() && code_type.is_none() {
            let location = service.locate(&format!("{at}.code_field"));
            self.error(location, "a `code_field` needs its `code_type`")
                .help("add `code_type: integer` or `code_type: string`");
        }
        let code_type: ir::CodeType = code_type.map_or(ir::CodeType::Integer, Into::into);
        for (key, name) in [("success_field", success_field), ("payload", payload)] {
            if name.as_deref().is_some_and(str::is_empty) {
                let location = service.locate(&format!("{at}.{key}"));
                self.error(location, format!("`{key}` is empty"));
            }
        }
        let members = ir::ErrorMembers {
            code_field: code_field.clone(),
            code_type,
            message_field: message_field.clone(),
            request_id_field: request_id_field.clone(),
            sub_code_field: sub_code_field.clone(),
            sub_message_field: sub_message_field.clone(),
        };
        let success_value = success
            .as_ref()
            .and_then(|value| self.code_value(value, code_type, &format!("{at}.success")));
        let payload = payload.clone();
        match style {
            spec::EnvelopeStyle::BodyCode => match success_value {
                Some(success) => ir::Envelope::BodyCode {
                    members,
                    success,
                    success_field: success_field.clone(),
                    payload,
                },
                None => {
                    // A `success` that is there but of the wrong type was reported already.
                    if success.is_none() {
                        let location = service.locate(at);
                        self.error(location, "a `body_code` envelope needs a `success` value")
                            .help("add the code that means success, such as `success: 0`");
                    }
                    // The run fails; lowering goes on, to report every other problem too.
                    ir::Envelope::HttpStatus { members, payload }
                }
            },
            spec::EnvelopeStyle::SuccessFlag => {
                if success.is_some() {
                    let location = service.locate(&format!("{at}.success"));
                    self.error(location, "`success` applies to `body_code` envelopes")
                        .help("a `success_flag` envelope succeeds when `success_field` is true; remove `success`");
                }
                let success_field = success_field.clone().unwrap_or_else(|| {
                    let location = service.locate(at);
                    self.error(
                        location,
                        "a `success_flag` envelope needs a `success_field`",
                    )
                    .help("name the boolean member, such as `success_field: success`");
                    String::new()
                });
                ir::Envelope::SuccessFlag {
                    members,
                    success_field,
                    payload,
                }
            }
            spec::EnvelopeStyle::HttpStatus => {
                for (key, present) in [
                    ("success", success.is_some()),
                    ("success_field", success_field.is_some()),
                ] {
                    if present {
                        let location = service.locate(&format!("{at}.{key}"));
                        self.error(location, format!("`{key}` does not apply to `http_status` envelopes"))
                            .help("an `http_status` envelope succeeds on HTTP 2xx; use `body_code` or `success_flag` for a body that decides");
                    }
                }
                ir::Envelope::HttpStatus { members, payload }
            }
        }
    }

    fn lower_codes(
        &mut self,
        codes: &[spec::ErrorCode],
        ty: ir::CodeType,
        at: &str,
    ) -> Vec<ir::ErrorCode> {
        codes
            .iter()
            .enumerate()
            .filter_map(|(j, code)| {
                let value = self.code_value(&code.code, ty, &format!("{at}[{j}].code"))?;
                Some(ir::ErrorCode {
                    code: value,
                    meaning: code.meaning.into(),
                    description: code.description.clone(),
                })
            })
            .collect()
    }

    fn code_value(
        &mut self,
        value: &serde_yaml::Value,
        ty: ir::CodeType,
        at: &str,
    ) -> Option<ir::CodeValue> {
        match (ty, value) {
            (ir::CodeType::Integer, serde_yaml::Value::Number(n)) if n.as_i64().is_some() => {
                n.as_i64().map(ir::CodeValue::Integer)
            }
            (ir::CodeType::String, serde_yaml::Value::String(s)) => {
                Some(ir::CodeValue::String(s.clone()))
            }
            _ => {
                let location = self.specs.service.locate(at);
                let expected = match ty {
                    ir::CodeType::Integer => "an integer",
                    ir::CodeType::String => "a string",
                };
                let shown =
                    serde_json::to_string(value).unwrap_or_else(|_| "this value".to_owned());
                self.error(
                    location,
                    format!("code {shown} must be {expected}, as the envelope's `code_type` says"),
                );
                None
            }
        }
    }

    /// Lowers every group file, reporting group names that are not module names or are used
    /// twice (with both places; the second is skipped).
    fn lower_groups(
        &mut self,
        bases: &[ir::Base],
        signatures: &[ir::Signature],
        credentials: &[ir::Credential],
    ) -> Vec<ir::Group> {
        let mut seen: FxHashMap<&str, &Loaded<spec::GroupFile>> = FxHashMap::default();
        let mut unique = Vec::new();
        for group in &self.specs.groups {
            let name = &group.spec.group;
            // Located only when reported: building a file's position index costs as much as
            // parsing it.
            if !names::is_snake_identifier(name) {
                self.error(
                    group.locate("group"),
                    format!("group `{name}` is not a snake_case identifier"),
                );
            }
            if names::is_reserved_module(name) {
                self.error(
                    group.locate("group"),
                    format!("group `{name}` cannot be a module name"),
                )
                .help(
                    "Rust keywords, `mod`, `runtime`, `rt` and `examples` are taken; choose another name",
                );
            }
            if let Some(first) = seen.get(name.as_str()) {
                let first = first.locate("group");
                self.error(group.locate("group"), format!("duplicate group `{name}`"))
                    .related(first, "first defined here");
                continue;
            }
            seen.insert(name, group);
            unique.push(group);
        }
        // Types are located in the first file with the group's path, as a search in file order
        // would find it.
        let mut files: FxHashMap<&str, &Loaded<spec::GroupFile>> = FxHashMap::default();
        for file in &self.specs.groups {
            files.entry(file.path.as_str()).or_insert(file);
        }
        let (specs, named) = (self.specs, self.named);
        let lowered = parallel::map(parallel::Work::Light, &unique, |group| {
            let mut diagnostics = Diagnostics::default();
            let mut lowering = PlatformLowering {
                specs,
                diagnostics: &mut diagnostics,
                named,
            };
            let lowered = lowering.lower_group(group, bases, signatures, credentials);
            if let Some(file) = files.get(group.path.as_str()) {
                lowering.check_type_clashes(file, &lowered);
            }
            (lowered, diagnostics)
        });
        let groups: Vec<ir::Group> = lowered
            .into_iter()
            .map(|(group, diagnostics)| {
                self.diagnostics.extend(diagnostics);
                group
            })
            .collect();
        // One `Event` enum per platform: the events live in one group file.
        let declaring: Vec<&&Loaded<spec::GroupFile>> =
            unique.iter().filter(|g| g.spec.events.is_some()).collect();
        if let [first, rest @ ..] = declaring.as_slice() {
            for other in rest {
                self.error(
                    other.locate("events"),
                    "a second group file declares events",
                )
                .related(first.locate("events"), "the platform's events are declared here")
                .help("declare all of a platform's events in one group file: they are one `Event` enum");
            }
        }
        groups
    }

    fn lower_group(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        bases: &[ir::Base],
        signatures: &[ir::Signature],
        credentials: &[ir::Credential],
    ) -> ir::Group {
        let spec::GroupFile {
            group: name,
            title,
            description,
            operations,
            models,
            enums,
            unions,
            events,
        } = &group.spec;
        let operations = self.lower_operations(group, operations, bases, signatures, credentials);
        let events = events.as_ref().map(|e| self.lower_events(group, e));
        let models = models
            .iter()
            .enumerate()
            .map(|(i, model)| self.lower_model(group, model, i))
            .collect();
        let enums = enums
            .iter()
            .enumerate()
            .map(|(i, e)| self.lower_enum(group, e, i))
            .collect();
        let unions = unions
            .iter()
            .enumerate()
            .map(|(i, u)| self.lower_union(group, u, i))
            .collect();
        ir::Group {
            module: names::method_name(name),
            feature: names::group_feature(&self.specs.service.spec.platform, name),
            client_type: names::group_client_type(name),
            title: title.clone(),
            description: description.clone(),
            spec_file: group.path.clone(),
            operations,
            models,
            enums,
            unions,
            events,
        }
    }

    /// Source documents: a committed file inside the platform folder (whether it exists is
    /// the caller's question, see [`crate::check_source_documents`]), a title, and an address
    /// that users can open.
    fn lower_sources(&mut self, sources: &[spec::Source]) -> Vec<ir::Source> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, source) in sources.iter().enumerate() {
            let spec::Source {
                file,
                title,
                url,
                note,
                reference,
            } = source;
            let service = &self.specs.service;
            let at = |key: &str| service.locate(&format!("sources[{i}].{key}"));
            if let Some(problem) = source_file_problem(file) {
                self.error(at("file"), format!("source file `{file}` {problem}"))
                    .help("name the committed copy relative to the platform folder, such as `sources/003_server_api.txt`");
            } else if let Some(first) = seen.insert(file, i) {
                let first = service.locate(&format!("sources[{first}].file"));
                self.error(at("file"), format!("source file `{file}` is listed twice"))
                    .related(first, "first listed here");
            }
            if *reference && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                self.error(
                    at("reference"),
                    format!("reference source `{file}` does not say what the specs take from it"),
                )
                .help("add a `note:` naming what the specs take from the document (the contract check does not read it)");
            }
            if title.trim().is_empty() {
                self.error(at("title"), "a source needs its public title")
                    .help("write the page's title as the site shows it");
            }
            if let Some(url) = url {
                let host = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                let opens = host
                    .is_some_and(|h| h.starts_with(|c: char| c.is_ascii_alphanumeric()))
                    && !url.contains(char::is_whitespace);
                if !opens {
                    self.error(
                        at("url"),
                        format!("source url `{url}` is not an http(s) address"),
                    )
                    .help("give the page's full address, or leave `url` out when it is not known");
                }
            }
        }
        sources
            .iter()
            .map(|source| ir::Source {
                file: source.file.clone(),
                title: source.title.clone(),
                url: source.url.clone(),
                note: source.note.clone(),
            })
            .collect()
    }

    fn lower_undocumented(&mut self, undocumented: &[spec::Undocumented]) -> Vec<ir::Undocumented> {
        undocumented
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let spec::Undocumented {
                    section,
                    title,
                    method,
                } = entry;
                if let Some(method) = method {
                    if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                        let location = self
                            .specs
                            .service
                            .locate(&format!("undocumented[{i}].method"));
                        self.error(location, format!("unknown HTTP method `{method}`"))
                            .help("use one of GET, POST, PUT, PATCH, DELETE");
                    }
                }
                ir::Undocumented {
                    section: section.clone(),
                    title: title.clone(),
                    method: method.clone(),
                }
            })
            .collect()
    }
}

/// What is wrong with a source's `file`, if anything: it must be a plain relative path inside
/// the platform folder, and not a spec file (those are read as specs).
pub(crate) fn source_file_problem(file: &str) -> Option<&'static str> {
    if file.is_empty() {
        Some("is empty")
    } else if file.starts_with('/') || file.contains('\\') || file.contains(':') {
        Some("is not a relative path with `/` separators")
    } else if file
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        Some("leaves the platform folder or has an empty part")
    } else if file.ends_with(".yaml") || file.ends_with(".yml") {
        Some("is a YAML file, which would be read as a spec")
    } else {
        None
    }
}
