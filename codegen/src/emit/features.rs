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
            lines.push(format!("{} = [{}]", group.feature, enables.join(", ")));
        }
    }
    lines.join("\n") + "\n"
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
