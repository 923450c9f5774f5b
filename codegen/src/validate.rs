//! Checking the loaded specs and resolving them into the IR, collecting every problem at once.
//!
//! Each check pushes a diagnostic and carries on with a placeholder, so that one run reports
//! all of a spec's problems instead of the first.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir;
use crate::load::{Loaded, PlatformSpecs, Specs};
use crate::names;
use crate::spec;
use crate::types;

/// Checks `specs` and lowers them into one IR.
pub fn validate(specs: &Specs) -> Result<ir::Api, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let platforms = specs
        .platforms
        .iter()
        .map(|platform| PlatformLowering::new(platform, &mut diagnostics).lower())
        .collect();
    diagnostics.into_result(ir::Api { platforms })
}

struct PlatformLowering<'a> {
    specs: &'a PlatformSpecs,
    diagnostics: &'a mut Diagnostics,
    /// Model name -> defining group module.
    model_groups: BTreeMap<String, String>,
}

impl<'a> PlatformLowering<'a> {
    fn new(specs: &'a PlatformSpecs, diagnostics: &'a mut Diagnostics) -> Self {
        Self {
            specs,
            diagnostics,
            model_groups: BTreeMap::new(),
        }
    }

    fn lower(mut self) -> ir::Platform {
        let service = &self.specs.service;
        let spec::ServiceFile {
            platform,
            title,
            description,
            sources,
            bases,
            token,
        } = &service.spec;
        if !names::is_snake_identifier(platform) {
            self.error(
                service.locate("platform"),
                format!("platform `{platform}` is not a snake_case identifier"),
            )
            .help("use lowercase letters, digits and single underscores, such as `dingtalk`");
        }
        let bases = self.lower_bases(bases);
        self.collect_models();
        let groups = self.lower_groups(&bases);
        self.check_type_clashes(&groups);
        let token = token
            .as_ref()
            .and_then(|token| self.lower_token(token, &groups));
        let mut platform = ir::Platform {
            module: platform.clone(),
            title: title.clone(),
            description: description.clone(),
            sources: sources.clone(),
            spec_file: service.path.clone(),
            bases,
            token,
            groups,
        };
        mark_directions(&mut platform);
        self.check_recursion(&platform);
        platform
    }

    fn error(&mut self, location: Location, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push_mut(Diagnostic::new(location, message))
    }

    fn lower_bases(&mut self, bases: &[spec::Base]) -> Vec<ir::Base> {
        let service = &self.specs.service;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (i, base) in bases.iter().enumerate() {
            let at = format!("bases[{i}]");
            let spec::Base {
                id,
                url,
                description,
                auth,
                envelope,
                error_codes,
            } = base;
            if let Some(first) = seen.insert(id, i) {
                let first_location = service.locate(&format!("bases[{first}].id"));
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("duplicate base `{id}`"),
                )
                .related(first_location, "first defined here");
            }
            if !names::is_snake_identifier(id) {
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("base id `{id}` is not a snake_case identifier"),
                );
            }
            if !url.starts_with("https://") && !url.starts_with("http://") || url.ends_with('/') {
                self.error(
                    service.locate(&format!("{at}.url")),
                    format!("base url `{url}` is not an absolute URL without a trailing slash"),
                );
            }
            let auth_name = match (auth.location, &auth.name) {
                (spec::AuthLocation::None, _) => String::new(),
                (_, Some(name)) if !name.is_empty() => name.clone(),
                _ => {
                    self.error(
                        service.locate(&format!("{at}.auth")),
                        "auth in a query or header needs a `name`",
                    )
                    .help("add the parameter or header name, such as `name: access_token`");
                    String::new()
                }
            };
            let envelope = self.lower_envelope(envelope, &format!("{at}.envelope"));
            let error_codes = error_codes
                .iter()
                .enumerate()
                .filter_map(|(j, code)| {
                    let value = self.code_value(
                        &code.code,
                        envelope.code_type,
                        &format!("{at}.error_codes[{j}].code"),
                    )?;
                    Some(ir::ErrorCode {
                        code: value,
                        meaning: code.meaning,
                        description: code.description.clone(),
                    })
                })
                .collect();
            lowered.push(ir::Base {
                id: id.clone(),
                const_name: names::base_const(id),
                url: url.clone(),
                description: description.clone(),
                auth: auth.location,
                auth_name,
                envelope,
                error_codes,
            });
        }
        lowered
    }

    fn lower_envelope(&mut self, envelope: &spec::Envelope, at: &str) -> ir::Envelope {
        let spec::Envelope {
            style,
            code_field,
            code_type,
            success,
            message_field,
            request_id_field,
        } = envelope;
        let success = match (style, success) {
            (_, Some(value)) => self.code_value(value, *code_type, &format!("{at}.success")),
            (spec::EnvelopeStyle::BodyCode, None) => {
                let location = self.specs.service.locate(at);
                self.error(location, "a `body_code` envelope needs a `success` value")
                    .help("add the code that means success, such as `success: 0`");
                None
            }
            (spec::EnvelopeStyle::HttpStatus, None) => None,
        };
        ir::Envelope {
            style: *style,
            code_field: code_field.clone(),
            code_type: *code_type,
            success,
            message_field: message_field.clone(),
            request_id_field: request_id_field.clone(),
        }
    }

    fn code_value(
        &mut self,
        value: &serde_yaml::Value,
        ty: spec::CodeType,
        at: &str,
    ) -> Option<ir::CodeValue> {
        match (ty, value) {
            (spec::CodeType::Integer, serde_yaml::Value::Number(n)) if n.as_i64().is_some() => {
                n.as_i64().map(ir::CodeValue::Integer)
            }
            (spec::CodeType::String, serde_yaml::Value::String(s)) => {
                Some(ir::CodeValue::String(s.clone()))
            }
            _ => {
                let location = self.specs.service.locate(at);
                let expected = match ty {
                    spec::CodeType::Integer => "an integer",
                    spec::CodeType::String => "a string",
                };
                let shown =
                    serde_json::to_string(value).unwrap_or_else(|_| "this value".to_owned());
                self.error(
                    location,
                    format!("code {shown} must be {expected}, as the envelope's `code_type` says"),
                );
                None
            }
        }
    }

    /// Indexes every model of the platform by name, reporting duplicates with both places.
    fn collect_models(&mut self) {
        let mut first_seen: BTreeMap<String, Location> = BTreeMap::new();
        for group in &self.specs.groups {
            for (i, model) in group.spec.models.iter().enumerate() {
                let location = group.locate(&format!("models[{i}].name"));
                if !names::is_camel_identifier(&model.name) {
                    self.error(
                        location.clone(),
                        format!("model name `{}` is not UpperCamelCase", model.name),
                    )
                    .help("use ASCII letters and digits starting with a capital, such as `PageVo`");
                }
                if crate::names::RESERVED_TYPE_NAMES.contains(&model.name.as_str()) {
                    self.error(location.clone(), format!("model name `{}` is reserved", model.name))
                        .help("generated code uses this name from the standard prelude or the runtime; choose another and keep the document's in `doc_name`");
                }
                if let Some(first) = first_seen.get(&model.name) {
                    let first = first.clone();
                    self.error(location, format!("duplicate model `{}`", model.name))
                        .related(first, "first defined here")
                        .help("model names are unique per platform; give one of them another name and keep the document's in `doc_name`");
                    continue;
                }
                first_seen.insert(model.name.clone(), location);
                self.model_groups
                    .insert(model.name.clone(), group.spec.group.clone());
            }
        }
    }

    /// Request, response and sub-client types share their group's module with its models.
    fn check_type_clashes(&mut self, groups: &[ir::Group]) {
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
            for (i, model) in group.models.iter().enumerate() {
                if let Some(what) = generated.get(model.name.as_str()) {
                    let location = file.locate(&format!("models[{i}].name"));
                    self.error(
                        location,
                        format!("model `{}` has the same name as {what}", model.name),
                    )
                    .help("rename the model and keep the document's name in `doc_name`");
                }
            }
        }
    }

    fn lower_groups(&mut self, bases: &[ir::Base]) -> Vec<ir::Group> {
        let mut seen: BTreeMap<String, Location> = BTreeMap::new();
        let mut groups = Vec::new();
        for group in &self.specs.groups {
            let spec::GroupFile {
                group: name,
                title,
                description,
                operations,
                models,
            } = &group.spec;
            let location = group.locate("group");
            if !names::is_snake_identifier(name) {
                self.error(
                    location.clone(),
                    format!("group `{name}` is not a snake_case identifier"),
                );
            }
            if let Some(first) = seen.get(name) {
                let first = first.clone();
                self.error(location, format!("duplicate group `{name}`"))
                    .related(first, "first defined here");
                continue;
            }
            seen.insert(name.clone(), location);
            let operations = self.lower_operations(group, operations, bases);
            let models = models
                .iter()
                .enumerate()
                .map(|(i, model)| self.lower_model(group, model, i))
                .collect();
            groups.push(ir::Group {
                module: names::method_name(name),
                client_type: names::group_client_type(name),
                title: title.clone(),
                description: description.clone(),
                spec_file: group.path.clone(),
                operations,
                models,
            });
        }
        groups
    }

    fn lower_model(
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
        let fields = self.lower_fields(group, &format!("models[{i}].fields"), fields);
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

    fn lower_operations(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        operations: &[spec::Operation],
        bases: &[ir::Base],
    ) -> Vec<ir::Operation> {
        let mut seen: BTreeMap<String, Location> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (i, operation) in operations.iter().enumerate() {
            let at = format!("operations[{i}]");
            let location = group.locate(&format!("{at}.id"));
            let id = &operation.id;
            if !names::is_snake_identifier(id) {
                self.error(
                    location.clone(),
                    format!("operation id `{id}` is not a snake_case identifier"),
                )
                .help("use lowercase letters, digits and single underscores, such as `list_ids`");
            }
            if let Some(first) = seen.get(id) {
                let first = first.clone();
                self.error(
                    location,
                    format!(
                        "duplicate operation id `{id}` in group `{}`",
                        group.spec.group
                    ),
                )
                .related(first, "first defined here")
                .help("operation ids become method names and must be unique in their group");
                continue;
            }
            seen.insert(id.clone(), location);
            lowered.push(self.lower_operation(group, operation, &at, bases));
        }
        lowered
    }

    fn lower_operation(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        operation: &spec::Operation,
        at: &str,
        bases: &[ir::Base],
    ) -> ir::Operation {
        let spec::Operation {
            id,
            summary,
            description,
            doc,
            method,
            base,
            path,
            auth,
            path_params,
            query,
            headers,
            body,
            response,
            note,
        } = operation;
        let http_method = self.http_method(group, method, &format!("{at}.method"));
        let base_index = bases.iter().position(|b| &b.id == base).unwrap_or_else(|| {
            let known: Vec<String> = bases.iter().map(|b| format!("`{}`", b.id)).collect();
            self.error(
                group.locate(&format!("{at}.base")),
                format!("unknown base `{base}`"),
            )
            .help(format!(
                "use one of the bases in service.yaml: {}",
                known.join(", ")
            ));
            0
        });
        let mut params = Vec::new();
        let locations = [
            (ir::ParamLocation::Path, "path_params", path_params),
            (ir::ParamLocation::Query, "query", query),
            (ir::ParamLocation::Header, "headers", headers),
            (ir::ParamLocation::Body, "body", body),
        ];
        for (location, key, fields) in locations {
            let key_path = format!("{at}.{key}");
            params.extend(
                self.lower_fields(group, &key_path, fields)
                    .into_iter()
                    .map(|field| ir::Param { location, field }),
            );
        }
        self.check_param_names(group, at, &params, &locations);
        let path = self.lower_path(group, &format!("{at}.path"), path, &params);
        let mut response = self.lower_fields(group, &format!("{at}.response"), response);
        if let Some(base) = bases.get(base_index) {
            if base.envelope.style == ir::EnvelopeStyle::BodyCode {
                let envelope = &base.envelope;
                response.retain(|f| {
                    f.wire_name != envelope.code_field && f.wire_name != envelope.message_field
                });
            }
        }
        ir::Operation {
            id: id.clone(),
            method_name: names::method_name(id),
            request_type: names::request_type(id),
            response_type: names::response_type(id),
            summary: summary.clone(),
            description: description.clone(),
            doc: doc.clone(),
            http_method,
            base: base_index,
            path,
            auth: *auth,
            params,
            response,
            note: note.clone(),
            has_limits: false,
        }
    }

    fn http_method(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        method: &str,
        at: &str,
    ) -> ir::HttpMethod {
        match method {
            "GET" => ir::HttpMethod::Get,
            "POST" => ir::HttpMethod::Post,
            "PUT" => ir::HttpMethod::Put,
            "PATCH" => ir::HttpMethod::Patch,
            "DELETE" => ir::HttpMethod::Delete,
            other => {
                let help = match other.to_ascii_uppercase().as_str() {
                    upper @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE") => {
                        format!("write it in capitals: `{upper}`")
                    }
                    _ => "use one of GET, POST, PUT, PATCH, DELETE".to_owned(),
                };
                self.error(group.locate(at), format!("unknown HTTP method `{other}`"))
                    .help(help);
                ir::HttpMethod::Get
            }
        }
    }

    /// All parameters of an operation share one request struct, so their Rust names (and the
    /// setters of optional ones) must be unique across path, query, header and body.
    fn check_param_names(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        params: &[ir::Param],
        locations: &[(ir::ParamLocation, &str, &Vec<spec::Field>); 4],
    ) {
        let key_of = |location: ir::ParamLocation| {
            locations
                .iter()
                .find(|(l, ..)| *l == location)
                .map_or("body", |(_, key, _)| *key)
        };
        let mut index_in_list: BTreeMap<ir::ParamLocation, usize> = BTreeMap::new();
        let mut seen: BTreeMap<String, (Location, String)> = BTreeMap::new();
        for param in params {
            let n = index_in_list.entry(param.location).or_default();
            let location = group.locate(&format!("{at}.{}[{n}].name", key_of(param.location)));
            *n += 1;
            let mut taken = vec![param.field.rust_name.clone()];
            if !param.field.required && param.field.setter_name != param.field.rust_name {
                taken.push(param.field.setter_name.clone());
            }
            for name in taken {
                if let Some((first, first_wire)) = seen.get(&name) {
                    let first = first.clone();
                    let message = format!(
                        "parameter `{}` and parameter `{first_wire}` both become `{name}` in Rust",
                        param.field.wire_name
                    );
                    self.error(location.clone(), message)
                        .related(first, "the other parameter")
                        .help("parameters of one operation share a request type; this collision needs a change to the generator's naming rules");
                } else {
                    seen.insert(name, (location.clone(), param.field.wire_name.clone()));
                }
            }
        }
    }

    fn lower_path(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        path: &str,
        params: &[ir::Param],
    ) -> Vec<ir::PathSegment> {
        if !path.starts_with('/') {
            self.error(
                group.locate(at),
                format!("path `{path}` does not start with `/`"),
            );
        }
        let mut segments = Vec::new();
        let mut used = BTreeSet::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(group.locate(at), format!("unclosed `{{` in path `{path}`"));
                break;
            };
            segments.push(ir::PathSegment::Literal(rest[..open].to_owned()));
            let name = &rest[open + 1..close];
            match params
                .iter()
                .position(|p| p.location == ir::ParamLocation::Path && p.field.wire_name == name)
            {
                Some(index) => {
                    used.insert(index);
                    segments.push(ir::PathSegment::Param(index));
                }
                None => {
                    self.error(
                        group.locate(at),
                        format!("path parameter `{name}` is not declared"),
                    )
                    .help(format!(
                        "add `{{ name: {name}, type: string, required: true }}` to `path_params`"
                    ));
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(ir::PathSegment::Literal(rest.to_owned()));
        }
        // Path parameters come first in `params`, so an index is also the `path_params` index.
        for (index, param) in params.iter().enumerate() {
            if param.location == ir::ParamLocation::Path && !used.contains(&index) {
                let operation = at.trim_end_matches(".path");
                self.error(
                    group.locate(&format!("{operation}.path_params[{index}].name")),
                    format!(
                        "path parameter `{}` does not appear in the path",
                        param.field.wire_name
                    ),
                )
                .help(format!(
                    "add `{{{}}}` to the path or remove the parameter",
                    param.field.wire_name
                ));
            }
        }
        segments
    }

    fn lower_fields(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        fields: &[spec::Field],
    ) -> Vec<ir::Field> {
        let mut seen: BTreeMap<String, (Location, String)> = BTreeMap::new();
        let mut lowered = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let field_at = format!("{at}[{i}]");
            let location = group.locate(&format!("{field_at}.name"));
            let rust_name = names::field_name(&field.name);
            if let Some((first, first_wire)) = seen.get(&rust_name) {
                let first = first.clone();
                let message = if *first_wire == field.name {
                    format!("duplicate field `{}`", field.name)
                } else {
                    format!(
                        "fields `{first_wire}` and `{}` both become `{rust_name}` in Rust",
                        field.name
                    )
                };
                self.error(location, message)
                    .related(first, "first defined here");
                continue;
            }
            seen.insert(rust_name.clone(), (location, field.name.clone()));
            lowered.push(self.lower_field(group, &field_at, field, rust_name));
        }
        lowered
    }

    fn lower_field(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        field: &spec::Field,
        rust_name: String,
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
            limits,
        } = field;
        if name.is_empty() {
            self.error(group.locate(&format!("{at}.name")), "field name is empty");
        }
        let ty = match types::resolve(ty, &self.model_groups) {
            Ok(ty) => ty,
            Err(err) => {
                self.error(group.locate(&format!("{at}.type")), err.message)
                    .help(err.help);
                ir::Type::Json
            }
        };
        let limits = self.lower_limits(group, &format!("{at}.limits"), limits.as_ref(), &ty);
        ir::Field {
            wire_name: name.clone(),
            setter_name: names::setter_name(&rust_name),
            rust_name,
            ty,
            required: *required,
            description: description.clone(),
            example: example
                .as_ref()
                .and_then(|v| self.json(group, &format!("{at}.example"), v)),
            default: default
                .as_ref()
                .and_then(|v| self.json(group, &format!("{at}.default"), v)),
            doc_type: doc_type.clone(),
            note: note.clone(),
            limits,
        }
    }

    fn json(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
        value: &serde_yaml::Value,
    ) -> Option<String> {
        match serde_json::to_string(value) {
            Ok(json) => Some(json),
            Err(err) => {
                self.error(
                    group.locate(at),
                    format!("value cannot be written as JSON: {err}"),
                )
                .help("use string keys in mappings");
                None
            }
        }
    }

    fn lower_limits(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: &str,
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
        for (keys, present, fits, needs) in checks {
            if present && !fits {
                self.error(
                    group.locate(at),
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
                        group.locate(at),
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
        }
    }

    fn lower_token(
        &mut self,
        token: &spec::TokenSource,
        groups: &[ir::Group],
    ) -> Option<ir::TokenSource> {
        let spec::TokenSource {
            operation,
            token_field,
            expires_in_field,
        } = token;
        let location = self.specs.service.locate("token.operation");
        let Some((group, op_id)) = operation.split_once('.') else {
            self.error(
                location,
                format!("token operation `{operation}` is not `<group>.<operation id>`"),
            );
            return None;
        };
        let found = groups
            .iter()
            .filter(|g| g.module == group)
            .flat_map(|g| &g.operations)
            .find(|op| op.id == op_id);
        let Some(op) = found else {
            self.error(
                location,
                format!("token operation `{operation}` does not exist"),
            );
            return None;
        };
        for (key, field) in [
            ("token_field", token_field),
            ("expires_in_field", expires_in_field),
        ] {
            if !op.response.iter().any(|f| &f.wire_name == field) {
                let location = self.specs.service.locate(&format!("token.{key}"));
                self.error(
                    location,
                    format!("`{operation}` has no response field `{field}`"),
                );
            }
        }
        Some(ir::TokenSource {
            group: group.to_owned(),
            operation: op_id.to_owned(),
            token_field: token_field.clone(),
            expires_in_field: expires_in_field.clone(),
        })
    }

    /// A model that contains itself without a list or map in between has infinite size.
    fn check_recursion(&mut self, platform: &ir::Platform) {
        let direct: BTreeMap<&str, Vec<&str>> = platform
            .groups
            .iter()
            .flat_map(|g| &g.models)
            .map(|m| {
                let children = m.fields.iter().filter_map(|f| match &f.ty {
                    ir::Type::Model(r) => Some(r.name.as_str()),
                    _ => None,
                });
                (m.name.as_str(), children.collect())
            })
            .collect();
        for start in direct.keys() {
            let mut stack = vec![*start];
            let mut visited = BTreeSet::new();
            while let Some(name) = stack.pop() {
                for child in direct.get(name).into_iter().flatten() {
                    if child == start {
                        let location = self.model_location(start);
                        self.error(
                            location,
                            format!("model `{start}` contains itself without indirection"),
                        )
                        .help("wrap the recursive field in `list<...>` or `map<...>`");
                        stack.clear();
                        break;
                    }
                    if visited.insert(*child) {
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
        }
        self.specs.service.locate("")
    }
}

/// Marks each model as sent and/or received, and propagates "has limits" upwards, so that the
/// emitter derives only what is used (`Serialize` on what is sent, `Deserialize` on what is
/// received) and calls `validate()` only where something can fail.
fn mark_directions(platform: &mut ir::Platform) {
    let mut sent = BTreeSet::new();
    let mut received = BTreeSet::new();
    let models: BTreeMap<String, ir::Model> = platform
        .groups
        .iter()
        .flat_map(|g| g.models.iter().map(|m| (m.name.clone(), m.clone())))
        .collect();
    for op in platform.groups.iter().flat_map(|g| &g.operations) {
        for param in &op.params {
            reach(&param.field.ty, &models, &mut sent);
        }
        for field in &op.response {
            reach(&field.ty, &models, &mut received);
        }
    }
    let limited = models_with_limits(&models);
    for group in &mut platform.groups {
        for model in &mut group.models {
            model.sent = sent.contains(&model.name);
            model.received = received.contains(&model.name);
            model.has_limits = model.sent && limited.contains(&model.name);
        }
        for op in &mut group.operations {
            op.has_limits = op
                .params
                .iter()
                .any(|p| field_has_limits(&p.field, &limited));
        }
    }
}

fn reach(ty: &ir::Type, models: &BTreeMap<String, ir::Model>, seen: &mut BTreeSet<String>) {
    match ty {
        ir::Type::List(inner) | ir::Type::Map(inner) | ir::Type::Csv(inner) => {
            reach(inner, models, seen)
        }
        ir::Type::Model(r) if seen.insert(r.name.clone()) => {
            for field in models.get(&r.name).map_or(&[][..], |m| &m.fields[..]) {
                reach(&field.ty, models, seen);
            }
        }
        _ => {}
    }
}

fn models_with_limits(models: &BTreeMap<String, ir::Model>) -> BTreeSet<String> {
    let mut limited: BTreeSet<String> = BTreeSet::new();
    // Iterate to a fixed point: a model has limits if a field has, directly or via a model.
    loop {
        let before = limited.len();
        for model in models.values() {
            if model.fields.iter().any(|f| field_has_limits(f, &limited)) {
                limited.insert(model.name.clone());
            }
        }
        if limited.len() == before {
            return limited;
        }
    }
}

fn field_has_limits(field: &ir::Field, limited: &BTreeSet<String>) -> bool {
    !field.limits.is_empty() || model_of(&field.ty).is_some_and(|m| limited.contains(&m.name))
}

/// The model a field holds, directly or as list elements or map values.
pub(crate) fn model_of(ty: &ir::Type) -> Option<&ir::ModelRef> {
    match ty {
        ir::Type::Model(r) => Some(r),
        ir::Type::List(inner) | ir::Type::Map(inner) => model_of(inner),
        _ => None,
    }
}
