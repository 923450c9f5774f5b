//! Named types: models, enums and unions, unique per platform.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::fields::Place;
use super::types;
use super::{analysis, At, Named, PlatformLowering};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir;
use crate::load::{Loaded, PlatformSpecs};
use crate::names;
use crate::spec;

/// Indexes every model, enum and union of the platform by name, reporting names that are not
/// UpperCamelCase, reserved, or used twice (with both places).
pub(super) fn collect_named_types<'a>(
    specs: &'a PlatformSpecs,
    diagnostics: &mut Diagnostics,
) -> Named<'a> {
    let mut types = types::NamedTypes::default();
    let mut models = FxHashMap::default();
    // Where each name was first defined: its file, list key and index, located only when a
    // duplicate is reported.
    let mut first_seen: FxHashMap<&str, (&Loaded<spec::GroupFile>, &str, usize)> =
        FxHashMap::default();
    for group in &specs.groups {
        let spec::GroupFile {
            models: group_models,
            enums,
            unions,
            ..
        } = &group.spec;
        for model in group_models {
            models.entry(model.name.as_str()).or_insert(model);
        }
        let names = group_models
            .iter()
            .enumerate()
            .map(|(i, m)| ("models", i, &m.name, types::Kind::Model))
            .chain(
                enums
                    .iter()
                    .enumerate()
                    .map(|(i, e)| ("enums", i, &e.name, types::Kind::Enum)),
            )
            .chain(
                unions
                    .iter()
                    .enumerate()
                    .map(|(i, u)| ("unions", i, &u.name, types::Kind::Union)),
            );
        for (list, i, name, kind) in names {
            let location = || group.locate(&format!("{list}[{i}].name"));
            if !names::is_camel_identifier(name) {
                diagnostics
                    .push_mut(Diagnostic::new(
                        location(),
                        format!("type name `{name}` is not UpperCamelCase"),
                    ))
                    .help("use ASCII letters and digits starting with a capital, such as `PageVo`");
            }
            if names::RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                diagnostics
                    .push_mut(Diagnostic::new(location(), format!("type name `{name}` is reserved")))
                    .help("generated code uses this name from the standard prelude or the runtime; choose another and keep the document's in `doc_name`");
            }
            if let Some(&(first_group, first_list, first)) = first_seen.get(name.as_str()) {
                let first = first_group.locate(&format!("{first_list}[{first}].name"));
                diagnostics
                    .push_mut(Diagnostic::new(location(), format!("duplicate type `{name}`")))
                    .related(first, "first defined here")
                    .help("models, enums and unions share one namespace per platform; give one of them another name and keep the document's in `doc_name`");
                continue;
            }
            first_seen.insert(name, (group, list, i));
            types.insert(name, (&group.spec.group, kind));
        }
    }
    Named { types, models }
}

/// What a generated type of a group is, described only when a clash is reported.
#[derive(Clone, Copy)]
enum Generated<'a> {
    Client,
    Request(usize, &'a str),
    Response(usize, &'a str),
}

impl std::fmt::Display for Generated<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Generated::Client => f.write_str("the group's sub-client"),
            Generated::Request(i, id) => {
                write!(f, "the request type of `{id}` (operations[{i}])")
            }
            Generated::Response(i, id) => {
                write!(f, "the response type of `{id}` (operations[{i}])")
            }
        }
    }
}

impl PlatformLowering<'_> {
    /// Request, response and sub-client types share their group's module with its models.
    /// `file` is where the group's types are located.
    pub(super) fn check_type_clashes(&mut self, file: &Loaded<spec::GroupFile>, group: &ir::Group) {
        // When two generated types share a name, the later one is named in the report.
        let mut generated: FxHashMap<&str, Generated<'_>> = FxHashMap::default();
        generated.insert(&group.client_type, Generated::Client);
        for (i, op) in group.operations.iter().enumerate() {
            generated.insert(&op.request_type, Generated::Request(i, &op.id));
            generated.insert(&op.response_type, Generated::Response(i, &op.id));
        }
        let defined = group
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| ("models", i, &m.name))
            .chain(
                group
                    .enums
                    .iter()
                    .enumerate()
                    .map(|(i, e)| ("enums", i, &e.name)),
            )
            .chain(
                group
                    .unions
                    .iter()
                    .enumerate()
                    .map(|(i, u)| ("unions", i, &u.name)),
            );
        for (list, i, name) in defined {
            if let Some(what) = generated.get(name.as_str()) {
                self.error(
                    file.locate(&format!("{list}[{i}].name")),
                    format!("type `{name}` has the same name as {what}"),
                )
                .help("rename the type and keep the document's name in `doc_name`");
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
        let list = At::Root("models");
        let fields = self.lower_fields(group, list.index(i).key("fields"), fields, Place::Model);
        ir::Model {
            name: name.clone(),
            doc_name: doc_name.clone(),
            description: description.clone(),
            note: note.clone(),
            fields,
            sent: false,
            received: false,
            has_limits: false,
            // Set once every group is lowered (see `analysis::mark_list_members`).
            list_member: None,
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
        let enums = At::Root("enums");
        let enum_at = enums.index(i);
        let list = enum_at.key("values");
        let mut seen_wire: BTreeMap<ir::CodeValue, usize> = BTreeMap::new();
        let mut seen_variant: BTreeMap<String, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (j, value) in values.iter().enumerate() {
            let at = list.index(j);
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
                        at.key("value").locate(group),
                        format!("enum value must be {expected}, as the enum's `type` says"),
                    );
                    continue;
                }
            };
            let variant = names::type_name(&value.name);
            if !names::is_snake_identifier(&value.name) {
                self.error(
                    at.key("name").locate(group),
                    format!("value name `{}` is not snake_case", value.name),
                )
                .help("it becomes an UpperCamelCase variant; write it as `snake_case`");
            }
            if variant == "Unknown" {
                self.error(
                    at.key("name").locate(group),
                    "value name `unknown` is reserved for values the spec does not list",
                );
            }
            if let Some(first) = seen_wire.insert(wire.clone(), j) {
                let first = list.index(first).key("value").locate(group);
                self.error(at.key("value").locate(group), "duplicate enum value")
                    .related(first, "first listed here");
            }
            if let Some(first) = seen_variant.insert(variant.clone(), j) {
                let first = list.index(first).key("name").locate(group);
                self.error(
                    at.key("name").locate(group),
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
            self.error(list.locate(group), "an enum needs at least one value");
        }
        ir::Enum {
            name: name.clone(),
            kind: (*ty).into(),
            description: description.clone(),
            note: note.clone(),
            values: lowered,
        }
    }

    /// The platform's events: unique values and variant names, a model as each payload, and
    /// deliveries among the platform's.
    pub(super) fn lower_events(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        events: &spec::Events,
    ) -> ir::Events {
        let spec::Events {
            type_field,
            deliveries,
            description,
            note,
            types: declared,
        } = events;
        let root = At::Root("events");
        if type_field.trim().is_empty() {
            self.error(
                root.key("type_field").locate(group),
                "`type_field` is empty",
            )
            .help("name the member of an event's JSON whose value is the event type (DingTalk: `EventType`)");
        }
        if deliveries.is_empty() {
            self.error(
                root.key("deliveries").locate(group),
                "`deliveries` lists no way the events arrive",
            )
            .help("list `http_callback`, `stream` or both");
        }
        let spec::GroupFile {
            models,
            enums,
            unions,
            ..
        } = &group.spec;
        let own_names = (models.iter().map(|m| ("models", &m.name)).enumerate())
            .chain(enums.iter().map(|e| ("enums", &e.name)).enumerate())
            .chain(unions.iter().map(|u| ("unions", &u.name)).enumerate());
        for (i, (list, name)) in own_names {
            if name == "Event" {
                self.error(
                    group.locate(&format!("{list}[{i}].name")),
                    "a type named `Event` in the group file that declares the events: the generated events enum has that name in this module",
                )
                .help("rename the type and keep the document's name in `doc_name`");
            }
        }
        let list = root.key("types");
        let mut seen_value: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen_variant: BTreeMap<String, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (j, e) in declared.iter().enumerate() {
            let at = list.index(j);
            let variant = names::type_name(&e.name);
            if !names::is_snake_identifier(&e.name) || variant == "Unknown" {
                self.error(
                    at.key("name").locate(group),
                    format!(
                        "event name `{}` is not a snake_case name other than `unknown`",
                        e.name
                    ),
                );
            }
            if let Some(first) = seen_value.insert(&e.value, j) {
                let first = list.index(first).key("value").locate(group);
                self.error(
                    at.key("value").locate(group),
                    format!("duplicate event type `{}`", e.value),
                )
                .related(first, "first listed here");
            }
            if let Some(first) = seen_variant.insert(variant.clone(), j) {
                let first = list.index(first).key("name").locate(group);
                self.error(
                    at.key("name").locate(group),
                    format!("two events are both named `{variant}`"),
                )
                .related(first, "first listed here");
            }
            let payload = match types::resolve(&e.payload, &self.named.types) {
                Ok(ty @ ir::Type::Model(_)) => ty,
                Ok(_) => {
                    self.error(
                        at.key("payload").locate(group),
                        format!("the payload `{}` is not a model", e.payload),
                    )
                    .help("declare the event's fields as a model under `models:` and name it here");
                    ir::Type::Json
                }
                Err(err) => {
                    self.error(at.key("payload").locate(group), err.message)
                        .help(err.help);
                    ir::Type::Json
                }
            };
            let own = e.deliveries.clone().unwrap_or_else(|| deliveries.clone());
            if let Some(stray) = own.iter().find(|d| !deliveries.contains(d)) {
                self.error(
                    at.key("deliveries").locate(group),
                    format!(
                        "`{}` is not among the platform's `events.deliveries`",
                        delivery_name(*stray)
                    ),
                )
                .help("list only deliveries the platform declares, or add it there");
            }
            let pushes = e.pushes.as_ref().and_then(|pushes| {
                let model = self.named.models.get(e.payload.as_str())?;
                let member = model
                    .fields
                    .iter()
                    .find(|f| f.name == pushes.field && f.ty.trim() == "string");
                if member.is_none() {
                    self.error(
                        at.key("pushes").key("field").locate(group),
                        format!(
                            "the payload `{}` has no `string` member `{}` to push",
                            e.payload, pushes.field
                        ),
                    );
                }
                member.map(|f| ir::PushedValue {
                    rust_field: names::field_name(&f.name),
                    required: f.required,
                    name: pushes.name.clone(),
                })
            });
            lowered.push(ir::Event {
                pushes,
                value: e.value.clone(),
                variant,
                payload,
                summary: e.summary.clone(),
                description: e.description.clone(),
                doc: e.doc.clone(),
                deliveries: own,
                note: e.note.clone(),
            });
        }
        if declared.is_empty() {
            self.error(list.locate(group), "`events.types` declares no event");
        }
        ir::Events {
            type_field: type_field.clone(),
            deliveries: deliveries.clone(),
            description: description.clone(),
            note: note.clone(),
            types: lowered,
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
        let unions = At::Root("unions");
        let union_at = unions.index(i);
        let list = union_at.key("variants");
        let mut seen_value: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen_variant: BTreeMap<String, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (j, v) in variants.iter().enumerate() {
            let at = list.index(j);
            let variant = names::type_name(&v.name);
            if !names::is_snake_identifier(&v.name) || variant == "Unknown" {
                self.error(
                    at.key("name").locate(group),
                    format!(
                        "variant name `{}` is not a snake_case name other than `unknown`",
                        v.name
                    ),
                );
            }
            if let Some(first) = seen_value.insert(&v.value, j) {
                let first = list.index(first).key("value").locate(group);
                self.error(
                    at.key("value").locate(group),
                    format!("duplicate tag value `{}`", v.value),
                )
                .related(first, "first listed here");
            }
            if let Some(first) = seen_variant.insert(variant.clone(), j) {
                let first = list.index(first).key("name").locate(group);
                self.error(
                    at.key("name").locate(group),
                    format!("two variants are both named `{variant}`"),
                )
                .related(first, "first listed here");
            }
            let ty = match types::resolve(&v.ty, &self.named.types) {
                Ok(ty) => ty,
                Err(err) => {
                    self.error(at.key("type").locate(group), err.message)
                        .help(err.help);
                    ir::Type::Json
                }
            };
            if content.is_none() && !matches!(ty, ir::Type::Model(_)) {
                self.error(at.key("type").locate(group), "a union without `content` needs a model for each variant")
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
            self.error(list.locate(group), "a union needs at least one variant");
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

    /// A model that contains itself without a list or map in between has infinite size;
    /// `recursive` are such types, as [`recursive_types`] finds them.
    pub(super) fn check_recursion(&mut self, recursive: &[&str]) {
        for &start in recursive {
            let location = self.model_location(start);
            self.error(
                location,
                format!("type `{start}` contains itself without indirection"),
            )
            .help("wrap the recursive field in `list<...>` or `map<...>`");
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

/// The models and unions that contain themselves without a list or map in between. Reads
/// only, so that it can run beside other whole-platform checks.
pub(super) fn recursive_types(platform: &ir::Platform) -> Vec<&str> {
    fn inline(ty: &ir::Type) -> Option<&str> {
        match ty {
            ir::Type::Model(r) | ir::Type::Union(r) => Some(&r.name),
            _ => None,
        }
    }
    // Each named type's types held inline, numbered as the type table numbers them.
    let direct: Vec<(&str, Vec<&str>)> = platform
        .types
        .entries()
        .map(|(name, entry)| {
            let children = match platform.definition_at(entry) {
                Some(ir::Definition::Model(m)) => {
                    m.fields.iter().filter_map(|f| inline(&f.ty)).collect()
                }
                Some(ir::Definition::Union(u)) => {
                    u.variants.iter().filter_map(|v| inline(&v.ty)).collect()
                }
                Some(ir::Definition::Enum(_)) | None => Vec::new(),
            };
            (name, children)
        })
        .collect();
    let edges: Vec<Vec<usize>> = direct
        .iter()
        .map(|(_, children)| {
            children
                .iter()
                .filter_map(|c| platform.types.id(c))
                .collect()
        })
        .collect();
    // A type contains itself when it is on a cycle; one pass finds every such type, where a
    // search from each type would take quadratic time on long chains.
    analysis::on_cycles(&edges)
        .into_iter()
        .zip(&direct)
        .filter_map(|(cyclic, (name, _))| cyclic.then_some(*name))
        .collect()
}

/// A delivery as the spec spells it.
fn delivery_name(delivery: spec::Delivery) -> &'static str {
    match delivery {
        spec::Delivery::HttpCallback => "http_callback",
        spec::Delivery::Stream => "stream",
    }
}
