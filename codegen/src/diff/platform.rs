//! Changes of one platform: its presence, documentation, token operation, undocumented
//! endpoints, bases and groups, and the dispatch to operations and named types.

use super::operations::{diff_operation, operation_added, operation_removed, InPlatform};
use super::types::{
    defined, diff_enum, diff_model, diff_union, type_added, type_removed, wire_text, Defined,
};
use super::{
    code, doc_change, pair_by_key, Aspect, Change, ChangeKind, Doc, Pair, Subject, SubjectDiff,
    Subjects, Target,
};
use crate::ir::{self, AuthLocation, CodeType, ErrorMeaning};

pub(super) fn platform_added(new: &ir::Platform) -> Vec<SubjectDiff> {
    let module = &new.module;
    let change = Change::added(&Target::Itself, operation_count(new)).compatible(format!(
        "a new module `{module}` and cargo feature `{module}`"
    ));
    let mut subjects = Subjects::default();
    subjects.push(Subject::Platform, change);
    subjects.finish()
}

pub(super) fn platform_removed(old: &ir::Platform) -> Vec<SubjectDiff> {
    let module = &old.module;
    let change = Change::removed(&Target::Itself, operation_count(old)).breaking(format!(
        "the module `{module}` and cargo feature `{module}` are gone"
    ));
    let mut subjects = Subjects::default();
    subjects.push(Subject::Platform, change);
    subjects.finish()
}

fn operation_count(platform: &ir::Platform) -> String {
    let count: usize = platform.groups.iter().map(|g| g.operations.len()).sum();
    format!("{count} operation(s)")
}

/// The source documents in one line: title, address and committed copy of each.
fn cite_sources(sources: &[ir::Source]) -> String {
    let cited: Vec<String> = sources
        .iter()
        .map(|s| {
            let ir::Source {
                file,
                title,
                url,
                note: _,
            } = s;
            match url {
                Some(url) => format!("{title} <{url}> ({file})"),
                None => format!("{title} ({file})"),
            }
        })
        .collect();
    cited.join("; ")
}

/// Every change between two versions of a platform with the same module name.
pub(super) fn diff_platform(old: &ir::Platform, new: &ir::Platform) -> Vec<SubjectDiff> {
    let ir::Platform {
        // Matched on, or derived from it.
        module: _,
        feature: _,
        base_feature: _,
        title,
        description,
        sources,
        // Where the spec lives is not part of the generated API.
        spec_file: _,
        bases,
        credentials,
        signatures,
        groups,
        undocumented,
        // Compared through the definitions it indexes.
        types: _,
    } = old;
    let mut subjects = Subjects::default();
    let itself = &Target::Itself;
    let docs = [
        (Doc::Title, Some(title.clone()), Some(new.title.clone())),
        (
            Doc::Description,
            description.clone(),
            new.description.clone(),
        ),
        (
            Doc::Sources,
            Some(cite_sources(sources)),
            Some(cite_sources(&new.sources)),
        ),
    ];
    for (doc, old, new) in docs {
        if let Some(change) = doc_change(itself, doc, old.as_deref(), new.as_deref()) {
            subjects.push(Subject::Platform, change);
        }
    }
    subjects.extend(
        Subject::Platform,
        credential_changes(credentials, &new.credentials),
    );
    subjects.extend(
        Subject::Platform,
        undocumented_changes(undocumented, &new.undocumented),
    );
    for (id, pair) in pair_by_key(signatures, &new.signatures, |s| s.id.clone()) {
        let change = match pair {
            // Runtime data: what the runtime computes changes, not the Rust API.
            Pair::Both(old, new) if old != new => {
                Change::changed(itself, Aspect::Signing, code(&id), code(&id)).compatible(format!(
                    "the runtime computes the signature `{id}` differently"
                ))
            }
            Pair::Both(..) => continue,
            Pair::Added(s) => Change::added(itself, code(&id))
                .compatible(format!("a new constant `{}`", s.const_name)),
            Pair::Removed(s) => Change::removed(itself, code(&id))
                .breaking(format!("the constant `{}` is gone", s.const_name)),
        };
        subjects.push(Subject::Platform, change);
    }
    for (id, pair) in pair_by_key(bases, &new.bases, |b| b.id.clone()) {
        let changes = match pair {
            Pair::Both(old, new) => diff_base(old, new),
            Pair::Added(b) => vec![Change::added(itself, code(&b.url))
                .compatible(format!("a new constant `{}`", b.const_name))],
            Pair::Removed(b) => vec![Change::removed(itself, code(&b.url))
                .breaking(format!("the constant `{}` is gone", b.const_name))],
        };
        subjects.extend(Subject::Base(id), changes);
    }
    for (module, pair) in pair_by_key(groups, &new.groups, |g| g.module.clone()) {
        let changes = match pair {
            Pair::Both(old, new) => diff_group(old, new),
            Pair::Added(_) => vec![Change::added(itself, code(&module))
                .compatible(format!("a new module and accessor `client.{module}()`"))],
            Pair::Removed(_) => vec![Change::removed(itself, code(&module)).breaking(format!(
                "the module and accessor `client.{module}()` are gone"
            ))],
        };
        subjects.extend(Subject::Group(module), changes);
    }
    operation_changes(old, new, &mut subjects);
    named_type_changes(old, new, &mut subjects);
    subjects.finish()
}

fn diff_group(old: &ir::Group, new: &ir::Group) -> Vec<Change> {
    let ir::Group {
        // Matched on, or derived from it.
        module: _,
        feature: _,
        client_type: _,
        title,
        description,
        // Where the spec lives is not part of the generated API.
        spec_file: _,
        // Compared per platform: they are matched across groups.
        operations: _,
        models: _,
        enums: _,
        unions: _,
        // Not reported yet: the generated code's diff shows an added or removed event type.
        events: _,
    } = old;
    let itself = &Target::Itself;
    let mut changes = Vec::new();
    changes.extend(doc_change(
        itself,
        Doc::Title,
        Some(title),
        Some(&new.title),
    ));
    changes.extend(doc_change(
        itself,
        Doc::Description,
        description.as_deref(),
        new.description.as_deref(),
    ));
    changes
}

/// Operations are matched by group and id, so one that moves to another group is a removal
/// and an addition, as it is for users (`client.a().x()` becomes `client.b().x()`).
fn operation_changes(old: &ir::Platform, new: &ir::Platform, subjects: &mut Subjects) {
    let (old_ops, new_ops) = (operations_of(old), operations_of(new));
    let key = |o: &InPlatform<'_>| (o.group.to_owned(), o.operation.id.clone());
    for ((group, id), pair) in pair_by_key(&old_ops, &new_ops, key) {
        let changes = match pair {
            Pair::Both(a, b) => diff_operation(*a, *b),
            Pair::Added(b) => vec![operation_added(*b)],
            Pair::Removed(a) => vec![operation_removed(*a)],
        };
        subjects.extend(Subject::Operation { group, id }, changes);
    }
}

fn operations_of(platform: &ir::Platform) -> Vec<InPlatform<'_>> {
    platform
        .groups
        .iter()
        .flat_map(|group| {
            group.operations.iter().map(move |operation| InPlatform {
                platform,
                group: group.module.as_str(),
                operation,
            })
        })
        .collect()
}

fn named_type_changes(old: &ir::Platform, new: &ir::Platform, subjects: &mut Subjects) {
    typed_changes(
        defined(old, ir::Definition::as_model),
        defined(new, ir::Definition::as_model),
        |m| m.name.as_str(),
        diff_model,
        Subject::Model,
        subjects,
    );
    typed_changes(
        defined(old, ir::Definition::as_enum),
        defined(new, ir::Definition::as_enum),
        |e| e.name.as_str(),
        diff_enum,
        Subject::Enum,
        subjects,
    );
    typed_changes(
        defined(old, ir::Definition::as_union),
        defined(new, ir::Definition::as_union),
        |u| u.name.as_str(),
        diff_union,
        Subject::Union,
        subjects,
    );
}

/// Pairs one kind of named type by name and records what changed.
fn typed_changes<'a, T>(
    old: Vec<Defined<'a, T>>,
    new: Vec<Defined<'a, T>>,
    name: impl Fn(&T) -> &str,
    compare: impl Fn(&Defined<'a, T>, &Defined<'a, T>) -> Vec<Change>,
    subject: impl Fn(String) -> Subject,
    subjects: &mut Subjects,
) {
    for (type_name, pair) in pair_by_key(&old, &new, |d| name(d.item).to_owned()) {
        let changes = match pair {
            Pair::Both(a, b) => compare(a, b),
            Pair::Added(b) => vec![type_added(b.group, &type_name)],
            Pair::Removed(a) => vec![type_removed(a.group, &type_name)],
        };
        subjects.extend(subject(type_name), changes);
    }
}

/// Credentials added or removed, and per credential its issuing operations (each a
/// `TokenRequest` impl on the operation's request type).
fn credential_changes(old: &[ir::Credential], new: &[ir::Credential]) -> Vec<Change> {
    let itself = &Target::Itself;
    let mut changes = Vec::new();
    for (id, pair) in pair_by_key(old, new, |c| c.id.clone()) {
        match pair {
            Pair::Added(c) => changes.push(
                Change::added(itself, code(&id))
                    .compatible(format!("a new credential constant `{}`", c.const_name)),
            ),
            Pair::Removed(c) => changes.push(Change::removed(itself, code(&id)).breaking(format!(
                "the credential constant `{}` is gone",
                c.const_name
            ))),
            Pair::Both(a, b) => {
                let key = |t: &ir::TokenSource| format!("{}.{}", t.group, t.operation);
                for (_, issuer) in pair_by_key(&a.issuers, &b.issuers, key) {
                    changes.extend(match issuer {
                        Pair::Both(x, y) => token_changes(Some(x), Some(y)),
                        Pair::Added(y) => token_changes(None, Some(y)),
                        Pair::Removed(x) => token_changes(Some(x), None),
                    });
                }
            }
        }
    }
    changes
}

/// The platform's `TokenRequest` impl sits on the token operation's request type, which
/// users hand to the client builder.
fn token_changes(old: Option<&ir::TokenSource>, new: Option<&ir::TokenSource>) -> Vec<Change> {
    let itself = &Target::Itself;
    let operation = |t: &ir::TokenSource| code(format!("{}.{}", t.group, t.operation));
    match (old, new) {
        (None, None) => Vec::new(),
        (None, Some(t)) => vec![
            Change::new(itself, Aspect::TokenOperation, ChangeKind::Added)
                .values(None, Some(operation(t)))
                .compatible(format!("`{}` becomes a token source", t.request_type)),
        ],
        (Some(t), None) => vec![
            Change::new(itself, Aspect::TokenOperation, ChangeKind::Removed)
                .values(Some(operation(t)), None)
                .breaking(format!(
                    "`{}` no longer implements `TokenRequest`",
                    t.request_type
                )),
        ],
        (Some(a), Some(b)) => {
            let mut changes = Vec::new();
            if (&a.group, &a.operation) != (&b.group, &b.operation) {
                changes.push(
                    Change::changed(itself, Aspect::TokenOperation, operation(a), operation(b))
                        .breaking(format!(
                            "`TokenRequest` moves from `{}` to `{}`",
                            a.request_type, b.request_type
                        )),
                );
            }
            let fields = |t: &ir::TokenSource| {
                format!(
                    "{}, {}",
                    code(&t.token.wire_name),
                    code(&t.expires_in.wire_name)
                )
            };
            if fields(a) != fields(b) {
                changes.push(
                    Change::changed(itself, Aspect::TokenFields, fields(a), fields(b))
                        .compatible("the runtime reads the token from other response fields"),
                );
            }
            changes
        }
    }
}

fn undocumented_changes(old: &[ir::Undocumented], new: &[ir::Undocumented]) -> Vec<Change> {
    let key = |u: &ir::Undocumented| format!("{} / {}", u.section, u.title);
    let mut changes = Vec::new();
    for (entry, pair) in pair_by_key(old, new, key) {
        let target = Target::Undocumented(entry);
        let presence = |kind| Change::new(&target, Aspect::Presence, kind);
        match pair {
            Pair::Added(u) => changes.push(
                presence(ChangeKind::Added)
                    .values(None, u.method.as_ref().map(code))
                    .compatible("coverage only"),
            ),
            Pair::Removed(u) => changes.push(
                presence(ChangeKind::Removed)
                    .values(u.method.as_ref().map(code), None)
                    .compatible("coverage only"),
            ),
            Pair::Both(a, b) if a.method != b.method => changes.push(
                Change::new(&target, Aspect::Method, ChangeKind::Changed)
                    .values(a.method.as_ref().map(code), b.method.as_ref().map(code))
                    .compatible("coverage only"),
            ),
            Pair::Both(..) => {}
        }
    }
    changes
}

/// Every change between two versions of a base with the same id. Bases are runtime data
/// (`runtime::Base` constants): their contents change behaviour, not the Rust API.
fn diff_base(old: &ir::Base, new: &ir::Base) -> Vec<Change> {
    let ir::Base {
        // Matched on, or derived from it.
        id: _,
        const_name: _,
        url,
        description,
        auth,
        auth_name,
        envelope,
        error_codes,
        sub_codes,
        // Defaults of the operations, whose own encoding and signing are compared.
        encoding: _,
        signing: _,
        // Which token an operation carries is compared per operation.
        credential: _,
        // So is the budget its calls keep to (the base's, or its own).
        rate_limit: _,
    } = old;
    let itself = &Target::Itself;
    let mut changes = Vec::new();
    if *url != new.url {
        changes.push(
            Change::changed(itself, Aspect::Url, code(url), code(&new.url))
                .compatible("wire change: calls go to another host"),
        );
    }
    let (old_auth, new_auth) = (
        token_placement(*auth, auth_name),
        token_placement(new.auth, &new.auth_name),
    );
    if old_auth != new_auth {
        changes.push(
            Change::changed(itself, Aspect::TokenPlacement, old_auth, new_auth)
                .compatible("wire change: the runtime places the token elsewhere"),
        );
    }
    changes.extend(envelope_change(envelope, &new.envelope));
    changes.extend(code_changes(
        error_codes,
        &new.error_codes,
        Target::ErrorCode,
    ));
    changes.extend(code_changes(sub_codes, &new.sub_codes, Target::SubCode));
    changes.extend(doc_change(
        itself,
        Doc::Description,
        description.as_deref(),
        new.description.as_deref(),
    ));
    changes
}

/// Error codes only steer the runtime (retry, refresh the token, or give up), so every
/// change is compatible for the Rust API.
fn code_changes(
    old: &[ir::ErrorCode],
    new: &[ir::ErrorCode],
    target: fn(String) -> Target,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (code_text, pair) in pair_by_key(old, new, |c| wire_text(&c.code)) {
        let target = target(code_text);
        match pair {
            Pair::Added(c) => changes.push(
                Change::added(&target, code(meaning_key(c.meaning)))
                    .compatible("the runtime acts on this code"),
            ),
            Pair::Removed(c) => changes.push(
                Change::removed(&target, code(meaning_key(c.meaning)))
                    .compatible("the runtime returns this code as a plain error"),
            ),
            Pair::Both(a, b) => {
                if a.meaning != b.meaning {
                    changes.push(
                        Change::changed(
                            &target,
                            Aspect::Meaning,
                            code(meaning_key(a.meaning)),
                            code(meaning_key(b.meaning)),
                        )
                        .compatible("the runtime acts on this code differently"),
                    );
                }
                changes.extend(doc_change(
                    &target,
                    Doc::Description,
                    Some(&a.description),
                    Some(&b.description),
                ));
            }
        }
    }
    changes
}

fn token_placement(location: AuthLocation, name: &str) -> String {
    match location {
        AuthLocation::Query => format!("query {}", code(name)),
        AuthLocation::Header => format!("header {}", code(name)),
        AuthLocation::Body => format!("body {}", code(name)),
        AuthLocation::None => "none".to_owned(),
    }
}

/// The envelope settings that differ, each side as one line.
fn envelope_change(old: &ir::Envelope, new: &ir::Envelope) -> Option<Change> {
    let (old, new) = (envelope_settings(old), envelope_settings(new));
    let differing: Vec<usize> = (0..old.len()).filter(|&i| old[i] != new[i]).collect();
    if differing.is_empty() {
        return None;
    }
    let shown = |settings: &[(&str, Option<String>)]| {
        let parts: Vec<String> = differing
            .iter()
            .map(|&i| {
                let (key, value) = &settings[i];
                format!("{key} {}", value.as_deref().unwrap_or("none"))
            })
            .collect();
        parts.join(", ")
    };
    Some(
        Change::changed(&Target::Itself, Aspect::Envelope, shown(&old), shown(&new))
            .compatible("the runtime reads success and errors differently"),
    )
}

/// Every envelope setting by its spec key, in spec order.
fn envelope_settings(envelope: &ir::Envelope) -> Vec<(&'static str, Option<String>)> {
    let ir::ErrorMembers {
        code_field,
        code_type,
        message_field,
        request_id_field,
        sub_code_field,
        sub_message_field,
    } = envelope.members();
    let (style, success) = match envelope {
        ir::Envelope::BodyCode { success, .. } => ("body_code", Some(success)),
        ir::Envelope::SuccessFlag { .. } => ("success_flag", None),
        ir::Envelope::HttpStatus { .. } => ("http_status", None),
    };
    let code_type = match code_type {
        CodeType::Integer => "integer",
        CodeType::String => "string",
    };
    vec![
        ("style", Some(code(style))),
        ("code_field", code_field.as_ref().map(code)),
        ("code_type", Some(code(code_type))),
        ("success", success.as_ref().map(|s| code(wire_text(s)))),
        ("success_field", envelope.success_field().map(code)),
        ("payload", envelope.payload().map(code)),
        ("message_field", Some(code(message_field))),
        ("request_id_field", request_id_field.as_ref().map(code)),
        ("sub_code_field", sub_code_field.as_ref().map(code)),
        ("sub_message_field", sub_message_field.as_ref().map(code)),
    ]
}

fn meaning_key(meaning: ErrorMeaning) -> &'static str {
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
