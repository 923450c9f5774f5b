//! The type table of a platform: every model, enum and union by name, built once when the
//! platform is lowered and read by every later stage (analysis, emit, diff, OpenAPI) instead
//! of maps each of them rebuilt.

use super::Group;

/// Where a named type is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeEntry {
    /// Index of the defining group in `Platform::groups`.
    pub group: usize,
    /// Which list of the group holds it.
    pub kind: TypeKind,
    /// Index in that list.
    pub index: usize,
}

/// The kinds of named types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `Group::models`.
    Model,
    /// `Group::enums`.
    Enum,
    /// `Group::unions`.
    Union,
}

/// Every named type by name, sorted, so that a type also has a dense number (its position)
/// for walks over the type graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeTable {
    entries: Vec<(String, TypeEntry)>,
}

impl TypeTable {
    /// The table of `groups`. When a name is defined twice (which validation reports), the
    /// first definition stands, as in validation's own maps.
    pub fn build(groups: &[Group]) -> Self {
        let mut entries: Vec<(String, TypeEntry)> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let entry = |kind, index| TypeEntry {
                group: g,
                kind,
                index,
            };
            for (i, model) in group.models.iter().enumerate() {
                entries.push((model.name.clone(), entry(TypeKind::Model, i)));
            }
            for (i, enumeration) in group.enums.iter().enumerate() {
                entries.push((enumeration.name.clone(), entry(TypeKind::Enum, i)));
            }
            for (i, union) in group.unions.iter().enumerate() {
                entries.push((union.name.clone(), entry(TypeKind::Union, i)));
            }
        }
        // A stable sort keeps definition order among equal names; the first one stays.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut table: Vec<(String, TypeEntry)> = Vec::with_capacity(entries.len());
        for (name, entry) in entries {
            match table.last_mut() {
                // Validation reports the second definition; the first stands, as in
                // validation's own maps.
                Some(last) if last.0 == name => {}
                _ => table.push((name, entry)),
            }
        }
        Self { entries: table }
    }

    /// Where `name` is defined.
    pub fn get(&self, name: &str) -> Option<TypeEntry> {
        self.id(name).map(|id| self.entries[id].1)
    }

    /// The dense number of `name`: its position in name order.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
    }

    /// Every name with where it is defined, in name order (the order of [`Self::id`]).
    pub fn entries(&self) -> impl Iterator<Item = (&str, TypeEntry)> + '_ {
        self.entries
            .iter()
            .map(|(name, entry)| (name.as_str(), *entry))
    }
}
