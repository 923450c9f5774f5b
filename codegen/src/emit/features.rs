//! Cargo features per platform and API group, so that a user compiles only what they use.

use std::collections::BTreeSet;

use crate::ir::{self, Type};

/// The feature of one group: `<platform>-<group>`.
pub fn group_feature(platform: &str, group: &str) -> String {
    format!("{platform}-{group}")
}

/// The hidden feature that compiles a platform module without any group: `_<platform>`.
pub fn platform_base_feature(platform: &str) -> String {
    format!("_{platform}")
}

/// The `[features]` lines for every platform, sorted.
pub fn cargo_features(api: &ir::Api) -> String {
    let mut lines = Vec::new();
    for platform in &api.platforms {
        let module = &platform.module;
        let groups: Vec<String> = platform
            .groups
            .iter()
            .map(|g| quoted(&group_feature(module, &g.module)))
            .collect();
        lines.push(format!("{module} = [{}]", groups.join(", ")));
        lines.push(format!("{} = []", platform_base_feature(module)));
        for group in &platform.groups {
            let mut enables = vec![quoted(&platform_base_feature(module))];
            enables.extend(
                uses(group)
                    .into_iter()
                    .map(|other| quoted(&group_feature(module, &other))),
            );
            lines.push(format!(
                "{} = [{}]",
                group_feature(module, &group.module),
                enables.join(", ")
            ));
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
