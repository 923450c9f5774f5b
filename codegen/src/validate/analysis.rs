//! Whole-platform facts derived after lowering: which named types are sent or received, and
//! which have limits to check.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir;

/// The types a named type refers to, for walking the type graph.
enum Node<'a> {
    Model(&'a ir::Model),
    Union(&'a ir::Union),
}

impl<'a> Node<'a> {
    fn children(&self) -> Vec<&'a ir::Type> {
        match self {
            Node::Model(m) => m.fields.iter().map(|f| &f.ty).collect(),
            Node::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        }
    }
}

/// Marks each model and union as sent and/or received and propagates "has limits" upwards, so
/// that the emitter implements only what is used (`Serialize` on what is sent) and calls
/// `validate()` only where something can fail. A type that no operation reaches (such as a
/// message body the document defines without its endpoint) counts as both sent and received,
/// since users build and read it themselves.
pub(super) fn mark_directions(platform: &mut ir::Platform) {
    let (sent, received, limited) = {
        let nodes = nodes(platform);
        let mut sent = BTreeSet::new();
        let mut received = BTreeSet::new();
        for op in platform.groups.iter().flat_map(|g| &g.operations) {
            for param in &op.params {
                reach(&param.field.ty, &nodes, &mut sent);
            }
            for field in &op.response {
                reach(&field.ty, &nodes, &mut received);
            }
        }
        // Types no operation reaches are the user's to build and read, and so is what they hold.
        let unreached: Vec<String> = nodes
            .keys()
            .filter(|name| !sent.contains(*name) && !received.contains(*name))
            .cloned()
            .collect();
        for name in unreached {
            let ty = ir::Type::Model(ir::TypeRef {
                group: String::new(),
                name,
            });
            reach(&ty, &nodes, &mut sent);
            reach(&ty, &nodes, &mut received);
        }
        (sent, received, limited_types(&nodes))
    };
    for group in &mut platform.groups {
        for model in &mut group.models {
            model.sent = sent.contains(&model.name);
            model.received = received.contains(&model.name);
            model.has_limits = model.sent && limited.contains(&model.name);
        }
        for union in &mut group.unions {
            union.sent = sent.contains(&union.name);
            union.received = received.contains(&union.name);
            union.has_limits = union.sent && limited.contains(&union.name);
        }
        for op in &mut group.operations {
            op.has_limits = op
                .params
                .iter()
                .any(|p| field_has_limits(&p.field, &limited));
        }
    }
}

fn nodes(platform: &ir::Platform) -> BTreeMap<String, Node<'_>> {
    let mut nodes = BTreeMap::new();
    for group in &platform.groups {
        for model in &group.models {
            nodes.insert(model.name.clone(), Node::Model(model));
        }
        for union in &group.unions {
            nodes.insert(union.name.clone(), Node::Union(union));
        }
    }
    nodes
}

fn reach(ty: &ir::Type, nodes: &BTreeMap<String, Node<'_>>, seen: &mut BTreeSet<String>) {
    if let Some(r) = named_of(ty) {
        if seen.insert(r.name.clone()) {
            for child in nodes.get(&r.name).map(Node::children).unwrap_or_default() {
                reach(child, nodes, seen);
            }
        }
    }
}

/// Names of the models and unions that have a limit, directly or through what they hold.
fn limited_types(nodes: &BTreeMap<String, Node<'_>>) -> BTreeSet<String> {
    let mut limited: BTreeSet<String> = BTreeSet::new();
    // Iterate to a fixed point: a type has limits if a member has, directly or via a type.
    loop {
        let before = limited.len();
        for (name, node) in nodes {
            let has = match node {
                Node::Model(m) => m.fields.iter().any(|f| field_has_limits(f, &limited)),
                Node::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| named_of(&v.ty).is_some_and(|r| limited.contains(&r.name))),
            };
            if has {
                limited.insert(name.clone());
            }
        }
        if limited.len() == before {
            return limited;
        }
    }
}

fn field_has_limits(field: &ir::Field, limited: &BTreeSet<String>) -> bool {
    !field.limits.is_empty() || named_of(&field.ty).is_some_and(|m| limited.contains(&m.name))
}

/// The model or union a type holds, directly or as list elements or map values.
fn named_of(ty: &ir::Type) -> Option<&ir::TypeRef> {
    match ty {
        ir::Type::Model(r) | ir::Type::Union(r) => Some(r),
        ir::Type::List(inner) | ir::Type::Map(inner) => named_of(inner),
        _ => None,
    }
}
