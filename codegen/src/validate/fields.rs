//! Fields: names, types, examples, defaults and limits.

use rustc_hash::FxHashMap;

use super::types;
use super::{At, PlatformLowering};
use crate::ir;
use crate::load::Loaded;
use crate::names;
use crate::spec;

/// Where a field list sits; some keys only make sense in some places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Request parameters in this location.
    Param(ir::ParamLocation),
    /// Response members.
    Response,
    /// Members of a model.
    Model,
}

impl PlatformLowering<'_> {
    pub(super) fn lower_fields(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        fields: &[spec::Field],
        place: Place,
    ) -> Vec<ir::Field> {
        // Rust name -> index and wire name of the field that took it first. Locations are
        // looked up only for a report: the position index of a file costs as much as parsing.
        let mut seen: FxHashMap<String, (usize, &str)> = FxHashMap::default();
        let mut lowered = Vec::with_capacity(fields.len());
        for (i, field) in fields.iter().enumerate() {
            let field_at = at.index(i);
            let rust_name = names::field_name(&field.name);
            if let Some(&(first, first_wire)) = seen.get(&rust_name) {
                let first = at.index(first).key("name").locate(group);
                let message = if first_wire == field.name {
                    format!("duplicate field `{}`", field.name)
                } else {
                    format!(
                        "fields `{first_wire}` and `{}` both become `{rust_name}` in Rust",
                        field.name
                    )
                };
                self.error(field_at.key("name").locate(group), message)
                    .related(first, "first defined here");
                continue;
            }
            seen.insert(rust_name.clone(), (i, &field.name));
            lowered.push(self.lower_field(group, field_at, field, rust_name, place));
        }
        self.resolve_max_apart(group, at, fields, &mut lowered);
        lowered
    }

    fn lower_field(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        field: &spec::Field,
        rust_name: String,
        place: Place,
    ) -> ir::Field {
        let spec::Field {
            name,
            ty,
            required,
            description,
            example,
            default,
            doc_type,
            note,
            nullable,
            lenient,
            flatten,
            send_default,
            limits,
        } = field;
        if name.is_empty() {
            self.error(at.key("name").locate(group), "field name is empty");
        }
        let ty = match types::resolve(ty, &self.named.types) {
            Ok(ty) => ty,
            Err(err) => {
                self.error(at.key("type").locate(group), err.message)
                    .help(err.help);
                ir::Type::Json
            }
        };
        if ty == ir::Type::File && matches!(place, Place::Model | Place::Response) {
            self.error(
                at.key("type").locate(group),
                "a `file` is a part of a multipart request body, not a member of a model or response",
            )
            .help("declare it in the operation's `body` with `encoding: multipart`; a file response is `response_body: file`");
        }
        let limits = self.lower_limits(group, at.key("limits"), limits.as_ref(), &ty);
        if let Some(lenient) = lenient {
            self.check_lenient(group, at, *lenient, &ty);
        }
        if *flatten {
            self.check_flatten(group, at, &ty, *required, *nullable, place);
        }
        if *send_default {
            self.check_send_default(group, at, *required, default.as_ref(), place);
        }
        if *nullable {
            self.check_nullable(group, at, &ty, &limits, lenient.is_some(), place);
        }
        ir::Field {
            wire_name: name.clone(),
            setter_name: names::setter_name(&rust_name),
            rust_name,
            ty,
            required: *required,
            description: description.clone(),
            example: example
                .as_ref()
                .and_then(|v| self.json(group, at.key("example"), v)),
            default: default
                .as_ref()
                .and_then(|v| self.json(group, at.key("default"), v)),
            doc_type: doc_type.clone(),
            note: note.clone(),
            limits,
            nullable: *nullable,
            lenient: lenient.map(Into::into),
            flatten: *flatten,
            send_default: *send_default,
        }
    }

    fn check_lenient(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        lenient: spec::Lenient,
        ty: &ir::Type,
    ) {
        use ir::Type as T;
        let (fits, needs) = match lenient {
            spec::Lenient::NumberOrString => (
                matches!(ty, T::Int32 | T::Int64 | T::Float64 | T::TimestampMs),
                "a number type",
            ),
            spec::Lenient::BoolOrString => (matches!(ty, T::Boolean), "`boolean`"),
            spec::Lenient::OneOrMany => (matches!(ty, T::List(_)), "a `list<T>`"),
            spec::Lenient::JsonString => (
                matches!(ty, T::Json | T::Model(_) | T::Map(_) | T::List(_)),
                "`json`, a model, a map or a list",
            ),
            spec::Lenient::ObjectOrList => (
                matches!(ty, T::Model(r) if self.has_one_list_member(&r.name)),
                "a model with exactly one list member and no other required member",
            ),
        };
        if !fits {
            self.error(
                at.key("lenient").locate(group),
                format!("`lenient: {}` applies to {needs}", lenient_name(lenient)),
            );
        }
    }

    /// Whether a bare list can stand for the model `name` (`lenient: object_or_list`): it has
    /// one list member to take the list, and nothing else it cannot do without.
    fn has_one_list_member(&self, name: &str) -> bool {
        let Some(model) = self.named.models.get(name) else {
            return false;
        };
        let is_list = |field: &spec::Field| {
            matches!(
                types::resolve(&field.ty, &self.named.types),
                Ok(ir::Type::List(_))
            )
        };
        let lists = model.fields.iter().filter(|f| is_list(f)).count();
        let others_optional = model.fields.iter().all(|f| is_list(f) || !f.required);
        lists == 1 && others_optional
    }

    fn check_flatten(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        ty: &ir::Type,
        required: bool,
        nullable: bool,
        place: Place,
    ) {
        let location = || at.key("flatten").locate(group);
        if !matches!(ty, ir::Type::Union(_) | ir::Type::Model(_)) {
            self.error(location(), "only a union or a model can be flattened");
        }
        if !required || nullable {
            self.error(
                location(),
                "a flattened field must be `required` and not `nullable`",
            )
            .help("its members are always present beside their siblings");
        }
        if let Place::Param(
            l @ (ir::ParamLocation::Path | ir::ParamLocation::Query | ir::ParamLocation::Header),
        ) = place
        {
            self.error(
                location(),
                format!("a {} parameter cannot be flattened", location_name(l)),
            );
        }
    }

    fn check_nullable(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        ty: &ir::Type,
        limits: &ir::Limits,
        lenient: bool,
        place: Place,
    ) {
        let location = || at.key("nullable").locate(group);
        if matches!(place, Place::Param(l) if l != ir::ParamLocation::Body) {
            self.error(location(), "only JSON members can be `nullable`; a query, header or path parameter has no `null`");
        }
        if !limits.is_empty() || lenient || matches!(ty, ir::Type::Csv(_)) {
            self.error(location(), "`nullable` together with limits, `lenient` or `csv<T>` is not supported by the generator yet")
                .help("drop one of them and explain the server's behaviour in `note`");
        }
    }

    fn check_send_default(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        required: bool,
        default: Option<&serde_yaml::Value>,
        place: Place,
    ) {
        let location = || at.key("send_default").locate(group);
        if !matches!(
            place,
            Place::Param(ir::ParamLocation::Query | ir::ParamLocation::Header)
        ) {
            self.error(
                location(),
                "`send_default` applies to query and header parameters",
            );
        }
        if required {
            self.error(location(), "`send_default` applies to optional parameters");
        }
        if !matches!(default, Some(serde_yaml::Value::String(_))) {
            self.error(
                location(),
                "`send_default` needs a string `default` to send",
            )
            .help("add the documented default, such as `default: CX`");
        }
    }

    fn json(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        value: &serde_yaml::Value,
    ) -> Option<ir::Value> {
        match json_value(value) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.error(
                    at.locate(group),
                    format!("value cannot be written as JSON: {problem}"),
                )
                .help("use string keys in mappings and no YAML tags");
                None
            }
        }
    }

    pub(super) fn lower_limits(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        limits: Option<&spec::Limits>,
        ty: &ir::Type,
    ) -> ir::Limits {
        let Some(spec::Limits {
            min,
            max,
            min_length,
            max_length,
            min_items,
            max_items,
            // Names a sibling: resolved by `resolve_max_apart` once the list is lowered.
            max_apart: _,
            pattern,
        }) = limits
        else {
            return ir::Limits::default();
        };
        let is_number = matches!(
            ty,
            ir::Type::Int32 | ir::Type::Int64 | ir::Type::TimestampMs
        );
        let is_text = matches!(ty, ir::Type::String | ir::Type::Secret | ir::Type::DateTime);
        let is_list = matches!(ty, ir::Type::List(_) | ir::Type::Csv(_));
        let checks: [(&str, bool, bool, &str); 3] = [
            (
                "min/max",
                min.is_some() || max.is_some(),
                is_number,
                "an integer",
            ),
            (
                "min_length/max_length",
                min_length.is_some() || max_length.is_some(),
                is_text,
                "a string",
            ),
            (
                "min_items/max_items",
                min_items.is_some() || max_items.is_some(),
                is_list,
                "a list",
            ),
        ];
        if let Some(pattern) = pattern {
            let location = || at.key("pattern").locate(group);
            if !matches!(ty, ir::Type::String | ir::Type::DateTime) {
                self.error(location(), "`pattern` applies to a string");
            } else if let Err(err) = regex::Regex::new(pattern) {
                // The regex crate's message draws the pattern over several lines and ends with
                // the reason (`error: unclosed character class`); the diagnostic already
                // points at the pattern, so it keeps the reason.
                let text = err.to_string();
                let reason = text.lines().last().unwrap_or_default();
                let reason = reason.trim().trim_start_matches("error: ");
                self.error(location(), format!("`pattern` is not a valid regular expression: {reason}"))
                    .help("write it in the syntax of Rust's `regex` crate (https://docs.rs/regex/latest/regex/#syntax); in YAML, quote it with single quotes so that backslashes stay");
            }
        }
        for (keys, present, fits, needs) in checks {
            if present && !fits {
                self.error(
                    at.locate(group),
                    format!("`{keys}` applies to {needs}, not to this field's type"),
                );
            }
        }
        let pairs = [
            (*min, *max, "min", "max"),
            (
                min_length.map(|v| v as i64),
                max_length.map(|v| v as i64),
                "min_length",
                "max_length",
            ),
            (
                min_items.map(|v| v as i64),
                max_items.map(|v| v as i64),
                "min_items",
                "max_items",
            ),
        ];
        for (low, high, low_key, high_key) in pairs {
            if let (Some(low), Some(high)) = (low, high) {
                if low > high {
                    self.error(
                        at.locate(group),
                        format!("`{low_key}` ({low}) is greater than `{high_key}` ({high})"),
                    );
                }
            }
        }
        ir::Limits {
            min: *min,
            max: *max,
            min_length: *min_length,
            max_length: *max_length,
            min_items: *min_items,
            max_items: *max_items,
            max_apart: None,
            pattern: pattern.clone(),
        }
    }

    /// `max_apart` names a sibling, so it is resolved once its list (parameters in one place,
    /// or a model's members) is lowered: both fields of one integer or timestamp type, and
    /// neither `nullable`.
    fn resolve_max_apart(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        fields: &[spec::Field],
        lowered: &mut [ir::Field],
    ) {
        for (i, field) in fields.iter().enumerate() {
            let Some(spec::MaxApart { from, max }) =
                field.limits.as_ref().and_then(|l| l.max_apart.as_ref())
            else {
                continue;
            };
            // A duplicate field was reported and left out; its first definition stays.
            let Some(this) = lowered.iter().position(|f| f.wire_name == field.name) else {
                continue;
            };
            let location = || at.index(i).key("limits").locate(group);
            let Some(sibling) = lowered
                .iter()
                .find(|f| &f.wire_name == from && f.wire_name != field.name)
            else {
                self.error(
                    location(),
                    format!("`max_apart` names `{from}`, which is not another field of this list"),
                )
                .help(
                    "the two fields must sit side by side: in one parameter list, or in one model",
                );
                continue;
            };
            let ty = &lowered[this].ty;
            let number = matches!(
                ty,
                ir::Type::Int32 | ir::Type::Int64 | ir::Type::TimestampMs
            );
            if !number || sibling.ty != *ty || sibling.nullable || lowered[this].nullable {
                self.error(
                    location(),
                    format!(
                        "`max_apart` applies to two fields of one integer or timestamp type, neither `nullable`; `{}` and `{from}` are not",
                        field.name
                    ),
                );
                continue;
            }
            let apart = ir::MaxApart {
                from: from.clone(),
                from_rust: sibling.rust_name.clone(),
                from_required: sibling.required,
                ty: ty.clone(),
                max: *max,
            };
            lowered[this].limits.max_apart = Some(apart);
        }
    }
}

fn lenient_name(lenient: spec::Lenient) -> &'static str {
    match lenient {
        spec::Lenient::NumberOrString => "number_or_string",
        spec::Lenient::BoolOrString => "bool_or_string",
        spec::Lenient::OneOrMany => "one_or_many",
        spec::Lenient::JsonString => "json_string",
        spec::Lenient::ObjectOrList => "object_or_list",
    }
}

fn location_name(location: ir::ParamLocation) -> &'static str {
    match location {
        ir::ParamLocation::Path => "path",
        ir::ParamLocation::Query => "query",
        ir::ParamLocation::Header => "header",
        ir::ParamLocation::Body => "body",
    }
}

/// A YAML value as the JSON value it stands for, keeping the order of mapping keys.
fn json_value(value: &serde_yaml::Value) -> Result<ir::Value, String> {
    Ok(match value {
        serde_yaml::Value::Null => ir::Value::Null,
        serde_yaml::Value::Bool(b) => ir::Value::Bool(*b),
        serde_yaml::Value::Number(n) => ir::Value::Number(match (n.as_i64(), n.as_u64()) {
            (Some(n), _) => ir::Number::Integer(n),
            (None, Some(n)) => ir::Number::Unsigned(n),
            (None, None) => ir::Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        serde_yaml::Value::String(text) => ir::Value::String(text.clone()),
        serde_yaml::Value::Sequence(items) => {
            ir::Value::List(items.iter().map(json_value).collect::<Result<_, _>>()?)
        }
        serde_yaml::Value::Mapping(mapping) => {
            let mut members = Vec::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    serde_yaml::Value::String(key) => key.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    _ => return Err("a mapping key is not a string".to_owned()),
                };
                members.push((key, json_value(value)?));
            }
            ir::Value::Object(members)
        }
        serde_yaml::Value::Tagged(tagged) => {
            return Err(format!("YAML tag `{}` has no JSON form", tagged.tag))
        }
    })
}
