//! A group file: its operations, one per index, and the models, enums and unions they define.

use super::operation::Ctx;
use super::random::{Rng, GROUP_SALT};
use super::shapes::{build, shape};
use super::HEADER;
use crate::yaml::{self, Node};

/// The group's module name: `g0000`, `g0001`, ...
pub(super) fn name(number: usize) -> String {
    format!("g{number:04}")
}

/// The models, enums and unions a group's operations define.
#[derive(Default)]
pub(super) struct Types {
    pub(super) models: Vec<Node>,
    pub(super) enums: Vec<Node>,
    pub(super) unions: Vec<Node>,
}

pub(super) fn file(seed: u64, number: usize, operations: std::ops::Range<usize>) -> String {
    let mut rng = Rng::new(seed, GROUP_SALT, number);
    let mut types = Types::default();
    let ops: Vec<Node> = operations
        .map(|index| {
            let mut ctx = Ctx::new(seed, index, &mut types);
            let op = build(&mut ctx, shape(seed, index));
            op.into_node()
        })
        .collect();
    let header = format!(
        "{}: synthetic operations. Do not edit by hand.",
        &HEADER[2..]
    );
    let mut entries = vec![
        ("group", yaml::string(&name(number))),
        ("title", yaml::string(&format!("合成分组 {number}"))),
    ];
    if rng.chance(50) {
        entries.push((
            "description",
            yaml::string(&format!("Synthetic API group number {number}.")),
        ));
    }
    entries.push(("operations", Node::Spaced(ops)));
    let Types {
        models,
        enums,
        unions,
    } = types;
    for (key, list) in [("models", models), ("enums", enums), ("unions", unions)] {
        if !list.is_empty() {
            entries.push((key, Node::Spaced(list)));
        }
    }
    yaml::document(&[&header], &entries)
}
