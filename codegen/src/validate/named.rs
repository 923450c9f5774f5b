//! Named types: models, enums and unions, unique per platform.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::Place;
use super::PlatformLowering;
use crate::diagnostics::Location;
use crate::ir;
use crate::load::Loaded;
use crate::names;
use crate::spec;
use crate::types;

impl PlatformLowering<'_> {
    /// Indexes every model, enum and union of the platform by name, reporting names that are
    /// not UpperCamelCase, reserved, or used twice (with both places).
    pub(super) fn collect_named_types(&mut self) {
        let mut first_seen: BTreeMap<String, Location> = BTreeMap::new();
        for group in &self.specs.groups {
            let spec::GroupFile {
                models,
                enums,
                unions,
                ..
            } = &group.spec;
            let names = models
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("models[{i}].name"), &m.name, types::Kind::Model))
                .chain(
                    enums
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (format!("enums[{i}].name"), &e.name, types::Kind::Enum)),
                )
                .chain(
                    unions
                        .iter()
                        .enumerate()
                        .map(|(i, u)| (format!("unions[{i}].name"), &u.name, types::Kind::Union)),
                );
            for (at, name, kind) in names.collect::<Vec<_>>() {
                let location = group.locate(&at);
                if !names::is_camel_identifier(name) {
                    self.error(
                        location.clone(),
                        format!("type name `{name}` is not UpperCamelCase"),
                    )
                    .help("use ASCII letters and digits starting with a capital, such as `PageVo`");
                }
                if names::RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                    self.error(location.clone(), format!("type name `{name}` is reserved"))
                        .help("generated code uses this name from the standard prelude or the runtime; choose another and keep the document's in `doc_name`");
                }
                if let Some(first) = first_seen.get(name) {
                    let first = first.clone();
                    self.error(location, format!("duplicate type `{name}`"))
                        .related(first, "first defined here")
                        .help("models, enums and unions share one namespace per platform; give one of them another name and keep the document's in `doc_name`");
                    continue;
                }
                first_seen.insert(name.clone(), location);
                self.named
                    .insert(name.clone(), (group.spec.group.clone(), kind));
            }
        }
    }

    /// Request, response and sub-client types share their group's module with its models.
    pub(super) fn check_type_clashes(&mut self, groups: &[ir::Group]) {
        for group in groups {
            let Some(file) = self.specs.groups.iter().find(|f| f.path == group.spec_file) else {
                continue;
            };
            let mut generated: BTreeMap<&str, String> = BTreeMap::new();
            generated.insert(&group.client_type, "the group's sub-client".to_owned());
            for (i, op) in group.operations.iter().enumerate() {
                generated.insert(
                    &op.request_type,
                    format!("the request type of `{}` (operations[{i}])", op.id),
                );
                generated.insert(
                    &op.response_type,
                    format!("the response type of `{}` (operations[{i}])", op.id),
                );
            }
            let defined = group
                .models
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("models[{i}].name"), &m.name))
                .chain(
                    group
                        .enums
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (format!("enums[{i}].name"), &e.name)),
                )
                .chain(
                    group
                        .unions
                        .iter()
                        .enumerate()
                        .map(|(i, u)| (format!("unions[{i}].name"), &u.name)),
                );
            for (at, name) in defined.collect::<Vec<_>>() {
                if let Some(what) = generated.get(name.as_str()) {
                    self.error(
                        file.locate(&at),
                        format!("type `{name}` has the same name as {what}"),
                    )
                    .help("rename the type and keep the document's name in `doc_name`");
                }
            }
        }
    }

    pub(super) fn lower_model(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        model: &spec::Model,
        i: usize,
    ) -> ir::Model {
        let spec::Model {
            name,
            description,
            doc_name,
            note,
            fields,
        } = model;
        let fields = self.lower_fields(group, &format!("models[{i}].fields"), fields, Place::Model);
        ir::Model {
            name: name.clone(),
            doc_name: doc_name.clone(),
            description: description.clone(),
            note: note.clone(),
            fields,
            sent: false,
            received: false,
            has_limits: false,
        }
    }

    pub(super) fn lower_enum(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        e: &spec::Enum,
        i: usize,
    ) -> ir::Enum {
        let spec::Enum {
            name,
            ty,
            description,
            note,
            values,
        } = e;
        let mut seen_wire: BTreeMap<ir::CodeValue, usize> = BTreeMap::new();
        let mut seen_variant: BTreeMap<String, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (j, value) in values.iter().enumerate() {
            let at = format!("enums[{i}].values[{j}]");
            let wire = match (ty, &value.value) {
                (spec::EnumType::String, serde_yaml::Value::String(s)) => {
                    ir::CodeValue::String(s.clone())
                }
                (spec::EnumType::Integer, serde_yaml::Value::Number(n)) if n.as_i64().is_some() => {
                    ir::CodeValue::Integer(n.as_i64().unwrap_or_default())
                }
                _ => {
                    let expected = if *ty == spec::EnumType::String {
                        "a string (quote it)"
                    } else {
                        "an integer"
                    };
                    self.error(
                        group.locate(&format!("{at}.value")),
                        format!("enum value must be {expected}, as the enum's `type` says"),
                    );
                    continue;
                }
            };
            let variant = names::type_name(&value.name);
            if !names::is_snake_identifier(&value.name) {
                self.error(
                    group.locate(&format!("{at}.name")),
                    format!("value name `{}` is not snake_case", value.name),
                )
                .help("it becomes an UpperCamelCase variant; write it as `snake_case`");
            }
            if variant == "Unknown" {
                self.error(
                    group.locate(&format!("{at}.name")),
                    "value name `unknown` is reserved for values the spec does not list",
                );
            }
            if let Some(first) = seen_wire.insert(wire.clone(), j) {
                let first = group.locate(&format!("enums[{i}].values[{first}].value"));
                self.error(group.locate(&format!("{at}.value")), "duplicate enum value")
                    .related(first, "first listed here");
            }
            if let Some(first) = seen_variant.insert(variant.clone(), j) {
                let first = group.locate(&format!("enums[{i}].values[{first}].name"));
                self.error(
                    group.locate(&format!("{at}.name")),
                    format!("two values are both named `{variant}`"),
                )
                .related(first, "first listed here");
            }
            lowered.push(ir::EnumValue {
                wire,
                variant,
                description: value.description.clone(),
            });
        }
        if values.is_empty() {
            self.error(
                group.locate(&format!("enums[{i}].values")),
                "an enum needs at least one value",
            );
        }
        ir::Enum {
            name: name.clone(),
            kind: *ty,
            description: description.clone(),
            note: note.clone(),
            values: lowered,
        }
    }

    pub(super) fn lower_union(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        u: &spec::Union,
        i: usize,
    ) -> ir::Union {
        let spec::Union {
            name,
            description,
            note,
            tag,
            content,
            variants,
        } = u;
        let mut seen_value: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen_variant: BTreeMap<String, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (j, v) in variants.iter().enumerate() {
            let at = format!("unions[{i}].variants[{j}]");
            let variant = names::type_name(&v.name);
            if !names::is_snake_identifier(&v.name) || variant == "Unknown" {
                self.error(
                    group.locate(&format!("{at}.name")),
                    format!(
                        "variant name `{}` is not a snake_case name other than `unknown`",
                        v.name
                    ),
                );
            }
            if let Some(first) = seen_value.insert(&v.value, j) {
                let first = group.locate(&format!("unions[{i}].variants[{first}].value"));
                self.error(
                    group.locate(&format!("{at}.value")),
                    format!("duplicate tag value `{}`", v.value),
                )
                .related(first, "first listed here");
            }
            if let Some(first) = seen_variant.insert(variant.clone(), j) {
                let first = group.locate(&format!("unions[{i}].variants[{first}].name"));
                self.error(
                    group.locate(&format!("{at}.name")),
                    format!("two variants are both named `{variant}`"),
                )
                .related(first, "first listed here");
            }
            let ty = match types::resolve(&v.ty, &self.named) {
                Ok(ty) => ty,
                Err(err) => {
                    self.error(group.locate(&format!("{at}.type")), err.message)
                        .help(err.help);
                    ir::Type::Json
                }
            };
            if content.is_none() && !matches!(ty, ir::Type::Model(_)) {
                self.error(group.locate(&format!("{at}.type")), "a union without `content` needs a model for each variant")
                    .help("the variant's fields sit beside the tag, so they must be a model's fields; or name the sibling field that holds the value in `content`");
            }
            lowered.push(ir::Variant {
                value: v.value.clone(),
                variant,
                ty,
                description: v.description.clone(),
                supported: v.supported,
                note: v.note.clone(),
            });
        }
        if variants.is_empty() {
            self.error(
                group.locate(&format!("unions[{i}].variants")),
                "a union needs at least one variant",
            );
        }
        ir::Union {
            name: name.clone(),
            description: description.clone(),
            note: note.clone(),
            tag: tag.clone(),
            content: content.clone(),
            variants: lowered,
            sent: false,
            received: false,
            has_limits: false,
        }
    }

    /// A model that contains itself without a list or map in between has infinite size.
    pub(super) fn check_recursion(&mut self, platform: &ir::Platform) {
        let inline = |ty: &'_ ir::Type| match ty {
            ir::Type::Model(r) | ir::Type::Union(r) => Some(r.name.clone()),
            _ => None,
        };
        let mut direct: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for group in &platform.groups {
            for m in &group.models {
                direct.insert(
                    m.name.clone(),
                    m.fields.iter().filter_map(|f| inline(&f.ty)).collect(),
                );
            }
            for u in &group.unions {
                direct.insert(
                    u.name.clone(),
                    u.variants.iter().filter_map(|v| inline(&v.ty)).collect(),
                );
            }
        }
        for start in direct.keys() {
            let mut stack = vec![start];
            let mut visited = BTreeSet::new();
            while let Some(name) = stack.pop() {
                for child in direct.get(name).into_iter().flatten() {
                    if child == start {
                        let location = self.model_location(start);
                        self.error(
                            location,
                            format!("type `{start}` contains itself without indirection"),
                        )
                        .help("wrap the recursive field in `list<...>` or `map<...>`");
                        stack.clear();
                        break;
                    }
                    if visited.insert(child) {
                        stack.push(child);
                    }
                }
            }
        }
    }

    fn model_location(&self, name: &str) -> Location {
        for group in &self.specs.groups {
            if let Some(i) = group.spec.models.iter().position(|m| m.name == name) {
                return group.locate(&format!("models[{i}].name"));
            }
            if let Some(i) = group.spec.unions.iter().position(|u| u.name == name) {
                return group.locate(&format!("unions[{i}].name"));
            }
        }
        self.specs.service.locate("")
    }
}
