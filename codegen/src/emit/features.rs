//! Cargo features per platform and API group, so that a user compiles only what they use.

use std::collections::BTreeSet;

use crate::ir::{self, Type};

/// The `[features]` lines for every platform, sorted.
pub fn cargo_features(api: &ir::Api) -> String {
    let mut lines = Vec::new();
    for platform in &api.platforms {
        let groups: Vec<String> = platform.groups.iter().map(|g| quoted(&g.feature)).collect();
        lines.push(format!("{} = [{}]", platform.feature, groups.join(", ")));
        lines.push(format!("{} = []", platform.base_feature));
        for group in &platform.groups {
            let mut enables = vec![quoted(&platform.base_feature)];
            // In module order; validation resolved every type reference to a group.
            enables.extend(uses(group).into_iter().filter_map(|module| {
                let other = platform.groups.iter().find(|g| g.module == module)?;
                Some(quoted(&other.feature))
            }));
            enables.extend(
                runtime_features(group)
                    .into_iter()
                    .map(|f| quoted(&format!("{RUNTIME_PACKAGE}/{f}"))),
            );
            lines.push(format!("{} = [{}]", group.feature, enables.join(", ")));
        }
    }
    lines.join("\n") + "\n"
}

/// The runtime package, as the generated crate's manifest names it.
const RUNTIME_PACKAGE: &str = "open-platform-runtime";

/// The runtime's optional features a group's code needs, so that users of other groups
/// compile none of their dependencies: `files` for multipart uploads and downloads, `signing`
/// for signed requests, `pattern` for `pattern` limits. (Rate budgets need no feature: the
/// `RateLimit` consts are plain data, and enforcing them is the crate's opt-in `rate`.)
fn runtime_features(group: &ir::Group) -> Vec<&'static str> {
    let files = group.operations.iter().any(|op| {
        op.encoding == ir::BodyEncoding::Multipart || op.response_shape == ir::ResponseShape::File
    });
    let signing = group.operations.iter().any(|op| op.signing.is_some());
    let pattern = group
        .operations
        .iter()
        .flat_map(|op| op.params.iter().map(|p| &p.field))
        .chain(group.models.iter().flat_map(|m| &m.fields))
        .any(|field| field.limits.pattern.is_some());
    [(files, "files"), (pattern, "pattern"), (signing, "signing")]
        .into_iter()
        .filter_map(|(needed, feature)| needed.then_some(feature))
        .collect()
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

/// The other groups whose types a group's operations and types refer to.
fn uses(group: &ir::Group) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let fields = group
        .operations
        .iter()
        .flat_map(|op| op.params.iter().map(|p| &p.field).chain(&op.response))
        .chain(group.models.iter().flat_map(|m| &m.fields));
    for field in fields {
        collect(&field.ty, &mut found);
    }
    for variant in group.unions.iter().flat_map(|u| &u.variants) {
        collect(&variant.ty, &mut found);
    }
    found.remove(&group.module);
    found
}

fn collect(ty: &Type, found: &mut BTreeSet<String>) {
    match ty {
        Type::List(inner) | Type::Map(inner) | Type::Csv(inner) => collect(inner, found),
        Type::Model(r) | Type::Enum(r) | Type::Union(r) => {
            found.insert(r.group.clone());
        }
        _ => {}
    }
}
