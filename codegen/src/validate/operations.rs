//! Operations: method, base, path and parameters.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::Place;
use super::PlatformLowering;
use crate::diagnostics::Location;
use crate::ir;
use crate::load::Loaded;
use crate::names;
use crate::spec;

impl PlatformLowering<'_> {
    pub(super) fn lower_operations(
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
            // `new` is the group client's own constructor; `self` and friends make no type names.
            if matches!(id.as_str(), "new" | "self" | "super" | "crate") {
                self.error(location.clone(), format!("operation id `{id}` is reserved"))
                    .help("it would clash with the generated group client or type names; choose another id");
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
            stability,
            idempotent,
            pagination,
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
                self.lower_fields(group, &key_path, fields, Place::Param(location))
                    .into_iter()
                    .map(|field| ir::Param { location, field }),
            );
        }
        self.check_param_names(group, at, &params, &locations);
        let path = self.lower_path(group, &format!("{at}.path"), path, &params);
        let mut response =
            self.lower_fields(group, &format!("{at}.response"), response, Place::Response);
        if let Some(base) = bases.get(base_index) {
            if base.envelope.style == ir::EnvelopeStyle::BodyCode {
                let envelope = &base.envelope;
                response.retain(|f| {
                    f.wire_name != envelope.code_field && f.wire_name != envelope.message_field
                });
            }
        }
        // Response types of envelope-code bases carry a hidden `envelope_code` member.
        for (i, field) in response.iter().enumerate() {
            if field.rust_name == "envelope_code" {
                let location = group.locate(&format!("{at}.response[{i}].name"));
                self.error(location, "`envelope_code` is reserved for the generated response types")
                    .help("this member cannot be generated under this name; the generator's naming rules need a change for it");
            }
        }
        let pagination = pagination.as_ref().and_then(|p| {
            self.lower_pagination(group, &format!("{at}.pagination"), p, &params, &response)
        });
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
            stability: *stability,
            idempotent: idempotent.unwrap_or(matches!(
                http_method,
                ir::HttpMethod::Get | ir::HttpMethod::Put | ir::HttpMethod::Delete
            )),
            pagination,
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
}
