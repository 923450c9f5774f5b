//! Whole-platform facts derived after lowering: which named types are sent or received, and
//! which have limits to check.

use crate::ir;

/// The types a named type refers to, for walking the type graph.
enum Node<'a> {
    Model(&'a ir::Model),
    Union(&'a ir::Union),
    /// An enum: it refers to nothing.
    Leaf,
}

impl<'a> Node<'a> {
    fn children(&self) -> impl Iterator<Item = &'a ir::Type> {
        let (fields, variants): (&[ir::Field], &[ir::Variant]) = match self {
            Node::Model(m) => (&m.fields, &[]),
            Node::Union(u) => (&[], &u.variants),
            Node::Leaf => (&[], &[]),
        };
        fields
            .iter()
            .map(|f| &f.ty)
            .chain(variants.iter().map(|v| &v.ty))
    }
}

/// The named types of a platform, numbered as its type table numbers them. Walks work on the
/// numbers, so that a platform of thousands of types needs no name clones or ordered sets.
struct Graph<'a> {
    nodes: Vec<Node<'a>>,
    types: &'a ir::TypeTable,
}

impl<'a> Graph<'a> {
    fn new(platform: &'a ir::Platform) -> Self {
        let nodes = platform
            .types
            .entries()
            .map(|(_, entry)| match platform.definition_at(entry) {
                Some(ir::Definition::Model(model)) => Node::Model(model),
                Some(ir::Definition::Union(union)) => Node::Union(union),
                Some(ir::Definition::Enum(_)) | None => Node::Leaf,
            })
            .collect();
        Graph {
            nodes,
            types: &platform.types,
        }
    }

    /// The node a type holds, directly or as list elements or map values.
    fn node_of(&self, ty: &ir::Type) -> Option<usize> {
        named_of(ty).and_then(|r| self.types.id(&r.name))
    }

    /// Marks what `ty` reaches in `seen`.
    fn reach(&self, ty: &ir::Type, seen: &mut [bool]) {
        let mut stack: Vec<usize> = self.node_of(ty).into_iter().collect();
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id], true) {
                stack.extend(self.nodes[id].children().filter_map(|t| self.node_of(t)));
            }
        }
    }

    /// Which models and unions have a limit, directly or through what they hold: the least
    /// fixed point of "a member has limits or holds a type that has", found by spreading from
    /// the types with limits of their own to the types that hold them.
    fn limited(&self) -> Vec<bool> {
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        let mut limited = vec![false; self.nodes.len()];
        let mut queue = Vec::new();
        for (id, node) in self.nodes.iter().enumerate() {
            if let Node::Model(m) = node {
                if m.fields.iter().any(|f| !f.limits.is_empty()) {
                    limited[id] = true;
                    queue.push(id);
                }
            }
            for child in node.children().filter_map(|t| self.node_of(t)) {
                holders[child].push(id);
            }
        }
        while let Some(id) = queue.pop() {
            for &holder in &holders[id] {
                if !std::mem::replace(&mut limited[holder], true) {
                    queue.push(holder);
                }
            }
        }
        limited
    }
}

/// What [`directions`] found for one group, for [`mark_directions`] to set.
pub(super) struct GroupMarks {
    /// Per model: sent, received, has limits.
    models: Vec<(bool, bool, bool)>,
    /// Per union: sent, received, has limits.
    unions: Vec<(bool, bool, bool)>,
    /// Per operation: has limits.
    operations: Vec<bool>,
}

/// Finds which models and unions are sent and/or received and propagates "has limits"
/// upwards, so that the emitter implements only what is used (`Serialize` on what is sent) and
/// calls `validate()` only where something can fail. A type that no operation reaches (such as
/// a message body the document defines without its endpoint) counts as both sent and received,
/// since users build and read it themselves. Reads only, so that it can run beside other
/// whole-platform checks; [`mark_directions`] sets the result.
pub(super) fn directions(platform: &ir::Platform) -> Vec<GroupMarks> {
    let graph = Graph::new(platform);
    let mut sent = vec![false; graph.nodes.len()];
    let mut received = vec![false; graph.nodes.len()];
    for op in platform.groups.iter().flat_map(|g| &g.operations) {
        for param in &op.params {
            graph.reach(&param.field.ty, &mut sent);
        }
        for field in &op.response {
            graph.reach(&field.ty, &mut received);
        }
    }
    // Types no operation reaches are the user's to build and read, and so is what they hold.
    let unreached: Vec<usize> = (0..graph.nodes.len())
        .filter(|&id| !sent[id] && !received[id])
        .collect();
    for id in unreached {
        for seen in [&mut sent, &mut received] {
            if !std::mem::replace(&mut seen[id], true) {
                for child in graph.nodes[id].children() {
                    graph.reach(child, seen);
                }
            }
        }
    }
    let limited = graph.limited();
    let flags = |name: &str| {
        graph.types.id(name).map_or((false, false, false), |id| {
            (sent[id], received[id], limited[id])
        })
    };
    let field_has_limits = |field: &ir::Field| {
        !field.limits.is_empty() || graph.node_of(&field.ty).is_some_and(|id| limited[id])
    };
    // Sent, received, and has limits (only what is sent is checked).
    let marks = |name: &str| {
        let (sent, received, limited) = flags(name);
        (sent, received, sent && limited)
    };
    platform
        .groups
        .iter()
        .map(|group| GroupMarks {
            models: group.models.iter().map(|m| marks(&m.name)).collect(),
            unions: group.unions.iter().map(|u| marks(&u.name)).collect(),
            operations: group
                .operations
                .iter()
                .map(|op| op.params.iter().any(|p| field_has_limits(&p.field)))
                .collect(),
        })
        .collect()
}

/// Sets what [`directions`] found on the platform it read.
pub(super) fn mark_directions(platform: &mut ir::Platform, marks: Vec<GroupMarks>) {
    for (group, marks) in platform.groups.iter_mut().zip(marks) {
        for (model, (sent, received, has_limits)) in group.models.iter_mut().zip(marks.models) {
            model.sent = sent;
            model.received = received;
            model.has_limits = has_limits;
        }
        for (union, (sent, received, has_limits)) in group.unions.iter_mut().zip(marks.unions) {
            union.sent = sent;
            union.received = received;
            union.has_limits = has_limits;
        }
        for (op, has_limits) in group.operations.iter_mut().zip(marks.operations) {
            op.has_limits = has_limits;
        }
    }
}

/// Marks the models that some field reads with `lenient: object_or_list` (wherever the field
/// is) with the wire name of their one list member, which a bare list fills. Validation of the
/// field made sure the model has exactly one.
pub(super) fn mark_list_members(platform: &mut ir::Platform) {
    let groups = &platform.groups;
    let params = groups
        .iter()
        .flat_map(|g| &g.operations)
        .flat_map(|op| op.params.iter().map(|p| &p.field).chain(&op.response));
    let members = groups
        .iter()
        .flat_map(|g| &g.models)
        .flat_map(|m| &m.fields);
    let read_from_lists: Vec<String> = params
        .chain(members)
        .filter(|f| f.lenient == Some(ir::Lenient::ObjectOrList))
        .filter_map(|f| match &f.ty {
            ir::Type::Model(r) => Some(r.name.clone()),
            _ => None,
        })
        .collect();
    for name in read_from_lists {
        let Some(entry) = platform.types.get(&name) else {
            continue;
        };
        let model = platform
            .groups
            .get_mut(entry.group)
            .and_then(|g| g.models.get_mut(entry.index))
            .filter(|_| entry.kind == ir::TypeKind::Model);
        if let Some(model) = model {
            model.list_member = model
                .fields
                .iter()
                .find(|f| matches!(f.ty, ir::Type::List(_)))
                .map(|f| f.wire_name.clone());
        }
    }
}

/// Which nodes of a directed graph (as adjacency lists) lie on a cycle, a self-loop included:
/// the members of strongly connected components with more than one node or with a self-loop,
/// found with Tarjan's algorithm in linear time. Iterative, so that long chains of types cannot
/// overflow the stack.
pub(super) fn on_cycles(edges: &[Vec<usize>]) -> Vec<bool> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut cyclic = vec![false; n];
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        // The nodes being visited, each with the position of its next edge.
        let mut calls = vec![(root, 0)];
        while let Some((v, position)) = calls.last_mut() {
            let v = *v;
            if let Some(&w) = edges[v].get(*position) {
                *position += 1;
                if index[w] == UNVISITED {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 || edges[v].contains(&v) {
                    for member in members {
                        cyclic[member] = true;
                    }
                }
            }
        }
    }
    cyclic
}

/// The model or union a type holds, directly or as list elements or map values.
fn named_of(ty: &ir::Type) -> Option<&ir::TypeRef> {
    match ty {
        ir::Type::Model(r) | ir::Type::Union(r) => Some(r),
        ir::Type::List(inner) | ir::Type::Map(inner) => named_of(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::on_cycles;

    #[test]
    fn finds_the_nodes_on_cycles() {
        // 0 -> 1 -> 2 -> 1, 3 -> 3, 4 -> 0, 5 alone, 6 -> 7 -> 6.
        let edges = vec![
            vec![1],
            vec![2],
            vec![1],
            vec![3],
            vec![0],
            vec![],
            vec![7],
            vec![6, 5],
        ];
        assert_eq!(
            on_cycles(&edges),
            [false, true, true, true, false, false, true, true]
        );
    }
}
