//! Changes of one operation: its presence, wire shape, auth, pagination, parameters and
//! response members.

use super::fields::{diff_field, field_added, field_removed, rust_type, Usage};
use super::{code, doc_change, pair_by_key, Aspect, Change, ChangeKind, Doc, Pair, Target};
use crate::ir::{self, PaginationStyle, ParamLocation, Stability};

/// An operation together with the platform it belongs to, which resolves its base.
#[derive(Clone, Copy)]
pub(super) struct InPlatform<'a> {
    pub platform: &'a ir::Platform,
    pub group: &'a str,
    pub operation: &'a ir::Operation,
}

pub(super) fn operation_added(new: InPlatform<'_>) -> Change {
    let op = new.operation;
    Change::added(&Target::Itself, endpoint(op)).compatible(format!(
        "a new method `client.{}().{}()`",
        new.group, op.method_name
    ))
}

pub(super) fn operation_removed(old: InPlatform<'_>) -> Change {
    let op = old.operation;
    Change::removed(&Target::Itself, endpoint(op)).breaking(format!(
        "`client.{group}().{}()`, `{group}::{}` and `{group}::{}` are gone",
        op.method_name,
        op.request_type,
        op.response_type,
        group = old.group,
    ))
}

/// Every change between two versions of an operation with the same group and id.
pub(super) fn diff_operation(old: InPlatform<'_>, new: InPlatform<'_>) -> Vec<Change> {
    let ir::Operation {
        // Matched on, or derived from what is matched on.
        id: _,
        method_name: _,
        example_const: _,
        request_type: _,
        response_type: _,
        summary,
        description,
        doc,
        // Compared by `endpoint_changes`, the path through `path_template`.
        http_method: _,
        base: _,
        path: _,
        auth,
        params,
        response,
        // An example value of the envelope, for mock servers and documentation only.
        success_message: _,
        note,
        stability,
        idempotent,
        pagination,
        // Derived from the limits, which are compared field by field, from the platform's
        // token source, from the types and from the base.
        has_limits: _,
        issues_token: _,
        holds_secrets: _,
        envelope_code: _,
        encoding,
        signing,
        credential,
        rate_limit,
        response_shape,
    } = old.operation;
    let op = new.operation;
    let mut changes = endpoint_changes(old, new);
    changes.extend(auth_change(*auth, op.auth));
    changes.extend(pagination_change(
        pagination.as_ref(),
        op.pagination.as_ref(),
    ));
    if *stability != op.stability {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::Stability,
                code(stability_key(*stability)),
                code(stability_key(op.stability)),
            )
            .compatible("documentation only"),
        );
    }
    if *idempotent != op.idempotent {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::Idempotent,
                code(idempotent),
                code(op.idempotent),
            )
            .compatible("the runtime retries it differently after timeouts"),
        );
    }
    if *encoding != op.encoding {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::Encoding,
                code(encoding_key(*encoding)),
                code(encoding_key(op.encoding)),
            )
            .compatible(
                "the request is encoded differently on the wire; its Rust type is unchanged",
            ),
        );
    }
    let signature = |platform: &ir::Platform, index: Option<usize>| {
        index
            .and_then(|i| platform.signatures.get(i))
            .map_or_else(|| "none".to_owned(), |s| code(&s.id))
    };
    let (old_signing, new_signing) = (
        signature(old.platform, *signing),
        signature(new.platform, op.signing),
    );
    if old_signing != new_signing {
        changes.push(
            Change::changed(&Target::Itself, Aspect::Signing, old_signing, new_signing).compatible(
                "the runtime signs the calls differently; the client needs the signing key",
            ),
        );
    }
    let credential_id = |platform: &ir::Platform, index: Option<usize>| {
        index
            .and_then(|i| platform.credentials.get(i))
            .map_or_else(|| "the default token".to_owned(), |c| code(&c.id))
    };
    let (old_credential, new_credential) = (
        credential_id(old.platform, *credential),
        credential_id(new.platform, op.credential),
    );
    if old_credential != new_credential {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::Auth,
                old_credential,
                new_credential,
            )
            .compatible("the call carries another kind of token; the client needs its source"),
        );
    }
    let (old_rate, new_rate) = (
        rate_key(rate_limit.as_ref()),
        rate_key(op.rate_limit.as_ref()),
    );
    if old_rate != new_rate {
        changes.push(
            Change::changed(&Target::Itself, Aspect::RateLimit, old_rate, new_rate)
                .compatible("the client paces the calls differently"),
        );
    }
    if *response_shape != op.response_shape {
        changes.push(
            Change::changed(
                &Target::Itself,
                Aspect::ResponseShape,
                code(shape_key(response_shape)),
                code(shape_key(&op.response_shape)),
            )
            .breaking("the method returns another type"),
        );
    }
    changes.extend(param_changes(params, &op.params, &op.request_type));
    changes.extend(response_changes(response, &op.response, &op.response_type));
    let docs = [
        (Doc::Summary, Some(summary), Some(&op.summary)),
        (
            Doc::Description,
            description.as_ref(),
            op.description.as_ref(),
        ),
        (Doc::DocPage, doc.as_ref(), op.doc.as_ref()),
        (Doc::Note, note.as_ref(), op.note.as_ref()),
    ];
    for (kind, old, new) in docs {
        let (old, new) = (old.map(String::as_str), new.map(String::as_str));
        changes.extend(doc_change(&Target::Itself, kind, old, new));
    }
    changes
}

/// Method, path and base: where the request goes. The generated method and types stay the
/// same, so these are wire changes, listed for reviewers.
fn endpoint_changes(old: InPlatform<'_>, new: InPlatform<'_>) -> Vec<Change> {
    let (a, b) = (old.operation, new.operation);
    let pairs = [
        (
            Aspect::Method,
            a.http_method.as_str().to_owned(),
            b.http_method.as_str().to_owned(),
        ),
        (Aspect::Path, a.path_template(), b.path_template()),
        (
            Aspect::Base,
            base_id(old.platform, a.base).to_owned(),
            base_id(new.platform, b.base).to_owned(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(aspect, old, new)| {
            Change::changed(&Target::Itself, aspect, code(old), code(new))
                .compatible("wire change; the Rust API stays the same")
        })
        .collect()
}

/// A call that needs a token where it did not breaks clients built without a token source.
fn auth_change(old: bool, new: bool) -> Option<Change> {
    if old == new {
        return None;
    }
    let change = Change::changed(&Target::Itself, Aspect::Auth, code(old), code(new));
    Some(change.breaking_if(
        new,
        "calls now carry the access token, so clients without a token source fail",
        "calls no longer carry the access token",
    ))
}

/// Pagination adds the `<method>_stream` and `<method>_pages` methods; what they yield is part
/// of the Rust API, how they move between pages is not.
fn pagination_change(old: Option<&ir::Pagination>, new: Option<&ir::Pagination>) -> Option<Change> {
    let itself = &Target::Itself;
    // The methods are named after the operation's method, which is the same on both sides.
    let (method, pages) = new.or(old).map_or(("", ""), |p| {
        (p.stream_method.as_str(), p.pages_method.as_str())
    });
    match (old, new) {
        (None, None) => None,
        (None, Some(new)) => Some(
            Change::new(itself, Aspect::Pagination, ChangeKind::Added)
                .values(None, Some(describe_pagination(new)))
                .compatible(format!("new methods `{method}()` and `{pages}()`")),
        ),
        (Some(old), None) => Some(
            Change::new(itself, Aspect::Pagination, ChangeKind::Removed)
                .values(Some(describe_pagination(old)), None)
                .breaking(format!("`{method}()` and `{pages}()` are gone")),
        ),
        (Some(old), Some(new)) => {
            let (old_item, new_item) = (rust_type(&old.item_type), rust_type(&new.item_type));
            let (old_shown, new_shown) = (describe_pagination(old), describe_pagination(new));
            if old_item == new_item && old_shown == new_shown {
                return None;
            }
            let change = Change::changed(itself, Aspect::Pagination, old_shown, new_shown);
            Some(if old_item != new_item {
                change.breaking(format!(
                    "`{method}()` and the pages of `{pages}()` yield `{new_item}` instead of `{old_item}`"
                ))
            } else {
                change.compatible(format!("`{method}()` and `{pages}()` page differently"))
            })
        }
    }
}

fn param_changes(old: &[ir::Param], new: &[ir::Param], owner: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    for (wire, pair) in pair_by_key(old, new, |p| p.field.wire_name.clone()) {
        let target = Target::Request(wire);
        match pair {
            Pair::Added(p) => changes.push(field_added(&target, &p.field, Usage::REQUEST, owner)),
            Pair::Removed(p) => {
                changes.push(field_removed(&target, &p.field, Usage::REQUEST, owner));
            }
            Pair::Both(old, new) => {
                if old.location != new.location {
                    changes.push(
                        Change::changed(
                            &target,
                            Aspect::Location,
                            location_key(old.location),
                            location_key(new.location),
                        )
                        .compatible("wire change; the Rust API stays the same"),
                    );
                }
                changes.extend(diff_field(
                    &target,
                    &old.field,
                    &new.field,
                    Usage::REQUEST,
                    owner,
                ));
            }
        }
    }
    changes
}

fn response_changes(old: &[ir::Field], new: &[ir::Field], owner: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    for (wire, pair) in pair_by_key(old, new, |f| f.wire_name.clone()) {
        let target = Target::Response(wire);
        match pair {
            Pair::Added(f) => changes.push(field_added(&target, f, Usage::RESPONSE, owner)),
            Pair::Removed(f) => changes.push(field_removed(&target, f, Usage::RESPONSE, owner)),
            Pair::Both(old, new) => {
                changes.extend(diff_field(&target, old, new, Usage::RESPONSE, owner));
            }
        }
    }
    changes
}

/// `POST /v1/things`, for an added or removed operation.
fn endpoint(op: &ir::Operation) -> String {
    code(format!(
        "{} {}",
        op.http_method.as_str(),
        op.path_template()
    ))
}

fn base_id(platform: &ir::Platform, index: usize) -> &str {
    platform
        .bases
        .get(index)
        .map_or("(unknown base)", |b| b.id.as_str())
}

/// `` `cursor`: request `cursor`, items `result.list`, next `result.next` ``.
fn describe_pagination(p: &ir::Pagination) -> String {
    let ir::Pagination {
        // Derived from the method name, which is compared.
        stream_method: _,
        pages_method: _,
        style,
        request,
        items,
        // Reported through the Rust type of the stream's items.
        item_type: _,
        next,
        has_more,
        size,
        total_page,
        total_count,
    } = p;
    let path = |path: &ir::FieldPath| {
        let steps: Vec<&str> = path.steps.iter().map(|s| s.rust_name.as_str()).collect();
        code(steps.join("."))
    };
    let mut parts = vec![
        format!("request {}", path(request)),
        format!("items {}", path(items)),
    ];
    let optional = [
        ("next", next),
        ("has_more", has_more),
        ("size", size),
        ("total_page", total_page),
        ("total_count", total_count),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            parts.push(format!("{name} {}", path(value)));
        }
    }
    format!("{}: {}", code(style_key(*style)), parts.join(", "))
}

fn encoding_key(encoding: ir::BodyEncoding) -> &'static str {
    match encoding {
        ir::BodyEncoding::Json => "json",
        ir::BodyEncoding::Form => "form",
        ir::BodyEncoding::Multipart => "multipart",
    }
}

fn shape_key(shape: &ir::ResponseShape) -> &'static str {
    match shape {
        ir::ResponseShape::Struct => "struct",
        ir::ResponseShape::Payload(_) => "payload",
        ir::ResponseShape::File => "file",
    }
}

fn style_key(style: PaginationStyle) -> &'static str {
    match style {
        PaginationStyle::Cursor => "cursor",
        PaginationStyle::Offset => "offset",
        PaginationStyle::Page => "page",
    }
}

fn stability_key(stability: Stability) -> &'static str {
    match stability {
        Stability::Stable => "stable",
        Stability::InDevelopment => "in_development",
        Stability::Deprecated => "deprecated",
    }
}

fn location_key(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Body => "body",
    }
}

/// A call budget as a report writes it (`20/s, burst 1, per api`), or `none`.
fn rate_key(rate: Option<&ir::RateLimit>) -> String {
    let Some(ir::RateLimit {
        per_second,
        burst,
        scope,
        key: _,
        note: _,
    }) = rate
    else {
        return "none".to_owned();
    };
    let scope = match scope {
        ir::RateScope::App => "app",
        ir::RateScope::Tenant => "tenant",
        ir::RateScope::Api => "api",
    };
    code(format!("{per_second}/s, burst {burst}, per {scope}"))
}
