//! Operations: method, base, path and parameters.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::fields::Place;
use super::{At, PlatformLowering};
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
        signatures: &[ir::Signature],
        credentials: &[ir::Credential],
    ) -> Vec<ir::Operation> {
        // Operation id -> index of the first operation with it; located only when reported.
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        let mut lowered = Vec::with_capacity(operations.len());
        let list = At::Root("operations");
        for (i, operation) in operations.iter().enumerate() {
            let at = list.index(i);
            let location = || at.key("id").locate(group);
            let id = &operation.id;
            if !names::is_snake_identifier(id) {
                self.error(
                    location(),
                    format!("operation id `{id}` is not a snake_case identifier"),
                )
                .help("use lowercase letters, digits and single underscores, such as `list_ids`");
            }
            // `self` and friends make no type names; `new`, the group client's constructor, is
            // checked with every other method name (see `scopes`).
            if matches!(id.as_str(), "self" | "super" | "crate") {
                self.error(location(), format!("operation id `{id}` is reserved"))
                    .help("it would clash with the generated type names; choose another id");
            }
            if let Some(&first) = seen.get(id.as_str()) {
                let first = list.index(first).key("id").locate(group);
                self.error(
                    location(),
                    format!(
                        "duplicate operation id `{id}` in group `{}`",
                        group.spec.group
                    ),
                )
                .related(first, "first defined here")
                .help("operation ids become method names and must be unique in their group");
                continue;
            }
            seen.insert(id, i);
            lowered.push(self.lower_operation(
                group,
                operation,
                at,
                bases,
                signatures,
                credentials,
            ));
        }
        lowered
    }

    fn lower_operation(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        operation: &spec::Operation,
        at: At<'_>,
        bases: &[ir::Base],
        signatures: &[ir::Signature],
        credentials: &[ir::Credential],
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
            encoding,
            signing,
            credential,
            rate_limit,
            response_body,
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
        let http_method = self.http_method(group, method, at.key("method"));
        let base_index = bases.iter().position(|b| &b.id == base).unwrap_or_else(|| {
            let known: Vec<String> = bases.iter().map(|b| format!("`{}`", b.id)).collect();
            self.error(
                at.key("base").locate(group),
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
            params.extend(
                self.lower_fields(group, at.key(key), fields, Place::Param(location))
                    .into_iter()
                    .map(|field| ir::Param { location, field }),
            );
        }
        self.check_param_names(group, at, &params, &locations);
        let path = self.lower_path(group, at, path, &params);
        let base_ref = bases.get(base_index);
        let encoding = encoding
            .map(ir::BodyEncoding::from)
            .or(base_ref.map(|base| base.encoding))
            .unwrap_or_default();
        self.check_files(group, at, &params, encoding);
        let signing = match signing {
            Some(id) => self.operation_signature(group, at.key("signing"), id, signatures),
            None => base_ref.and_then(|base| base.signing),
        };
        // A token that travels in the body needs a body to travel in.
        let body_token = *auth && base_ref.is_some_and(|b| b.auth == ir::AuthLocation::Body);
        if body_token && http_method == ir::HttpMethod::Get {
            self.error(
                at.key("method").locate(group),
                "a GET has no body for the token of a base with `auth: { in: body }`",
            )
            .help("use the method the document gives (such as POST), or put this operation on a base whose token travels in the query or a header");
        }
        if let Some(signature) = signing.and_then(|i| signatures.get(i)) {
            self.check_signed_params(group, at, operation, signature, &params, base_ref);
        }
        let download = *response_body == Some(spec::ResponseBody::File);
        let carries_token = *auth && base_ref.is_some_and(|b| b.auth != ir::AuthLocation::None);
        let credential = match credential {
            Some(id) if !carries_token => {
                let message = format!(
                    "operation `{}` carries no token, so no `credential: {id}`",
                    operation.id
                );
                self.error(at.key("credential").locate(group), message)
                    .help("remove `credential`, or give the operation a base with a token and `auth: true`");
                None
            }
            Some(id) => {
                let ids = credentials.iter().map(|c| c.id.as_str());
                let location = at.key("credential").locate(group);
                self.lookup_id(location, ("credential", "credentials"), id, ids, false)
                    .flatten()
            }
            None if carries_token => base_ref.and_then(|b| b.credential),
            None => None,
        };
        let rate_limit = match rate_limit {
            Some(rate) => {
                let key = format!(
                    "{}:{}.{id}",
                    self.specs.service.spec.platform, group.spec.group
                );
                self.lower_rate_limit(group, &at.key("rate_limit").to_string(), rate, key)
            }
            None => base_ref.and_then(|base| base.rate_limit.clone()),
        };
        let envelope = base_ref.map(|base| &base.envelope);
        let payload = envelope.and_then(ir::Envelope::payload);
        // The envelope's own fields are read by the runtime, not generated as members: the
        // code, message and success flag of bodies that always carry them, and with a wrapped
        // payload everything beside it.
        let envelope_field = |wire: &str| {
            let Some(envelope) = envelope else {
                return false;
            };
            let members = envelope.members();
            let wire = Some(wire);
            let always = envelope.in_every_body()
                && (wire == members.code_field.as_deref()
                    || wire == Some(members.message_field.as_str())
                    || wire == envelope.success_field());
            let beside_payload = payload.is_some()
                && (wire == Some(members.message_field.as_str())
                    || wire == members.code_field.as_deref()
                    || wire == members.request_id_field.as_deref()
                    || wire == members.sub_code_field.as_deref()
                    || wire == members.sub_message_field.as_deref());
            always || beside_payload
        };
        // Response types of envelope-code bases carry a hidden `envelope_code` member. Checked
        // on the spec's list, whose indices are the file's (lowering drops duplicates).
        for (i, field) in response.iter().enumerate() {
            if !envelope_field(&field.name) && names::field_name(&field.name) == "envelope_code" {
                let location = at.key("response").index(i).key("name").locate(group);
                self.error(location, "`envelope_code` is reserved for the generated response types")
                    .help("this member cannot be generated under this name; the generator's naming rules need a change for it");
            }
        }
        let mut response = self.lower_fields(group, at.key("response"), response, Place::Response);
        // The message the document's example response shows on success ("ok", "success",
        // "成功", ""), for the example responses of mock servers.
        let success_message = bases.get(base_index).and_then(|base| {
            let message = &base.envelope.members().message_field;
            let field = response.iter().find(|f| &f.wire_name == message)?;
            envelope_field(message).then(|| field.example.clone())?
        });
        response.retain(|f| !envelope_field(&f.wire_name));
        let response_shape =
            self.response_shape(group, at, operation, &response, payload, download);
        let pagination = pagination.as_ref().and_then(|p| {
            let method = names::method_name(id);
            self.lower_pagination(group, at.key("pagination"), p, &method, &params, &response)
        });
        if download && pagination.is_some() {
            self.error(
                at.key("pagination").locate(group),
                "a file download cannot be paginated",
            );
        }
        // Generated code reads the pages from the payload itself, below the wrapper member.
        let pagination = match (pagination, &response_shape) {
            (Some(pagination), ir::ResponseShape::Payload(_)) => Some(pagination.below_payload()),
            (pagination, _) => pagination,
        };
        let holds_secrets = params.iter().any(|p| p.field.ty.contains_secret())
            || response.iter().any(|f| f.ty.contains_secret());
        let envelope_code = bases
            .get(base_index)
            .and_then(|base| base.envelope.body_code_field())
            .map(str::to_owned);
        ir::Operation {
            id: id.clone(),
            method_name: names::method_name(id),
            example_const: names::example_const(&names::method_name(id)),
            request_type: names::request_type(id),
            response_type: names::response_type(id),
            summary: summary.clone(),
            description: description.clone(),
            doc: doc.clone(),
            http_method,
            base: base_index,
            path,
            // A base that carries no token has nothing to add: its calls need no token source.
            auth: *auth && base_ref.is_some_and(|base| base.auth != ir::AuthLocation::None),
            params,
            response,
            success_message,
            note: note.clone(),
            stability: (*stability).into(),
            idempotent: idempotent.unwrap_or(matches!(
                http_method,
                ir::HttpMethod::Get | ir::HttpMethod::Put | ir::HttpMethod::Delete
            )),
            pagination,
            has_limits: false,
            // Set once the platform's token operation is resolved.
            issues_token: false,
            holds_secrets,
            envelope_code: envelope_code.filter(|_| response_shape == ir::ResponseShape::Struct),
            encoding,
            signing,
            credential,
            rate_limit,
            response_shape,
        }
    }

    /// A `signing` key of an operation: a signature id, or `none`.
    fn operation_signature(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        id: &str,
        signatures: &[ir::Signature],
    ) -> Option<usize> {
        let ids = signatures.iter().map(|s| s.id.as_str());
        self.lookup_id(at.locate(group), ("signature", "signatures"), id, ids, true)
            .flatten()
    }

    /// A `sorted_params` signature that lists what it signs must find each name among the
    /// operation's query and body parameters or the values the runtime adds (the token, the
    /// timestamp, the key id).
    fn check_signed_params(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        operation: &spec::Operation,
        signature: &ir::Signature,
        params: &[ir::Param],
        base: Option<&ir::Base>,
    ) {
        let added = [
            Some(signature.timestamp.1.as_str()),
            signature.key_id.as_ref().map(|(_, name)| name.as_str()),
            base.filter(|b| b.auth != ir::AuthLocation::None && operation.auth)
                .map(|b| b.auth_name.as_str()),
        ];
        if let Some(name) = &signature.message {
            let sent = params
                .iter()
                .any(|p| p.location == ir::ParamLocation::Query && &p.field.wire_name == name);
            if !sent {
                let key = if operation.signing.is_some() {
                    "signing"
                } else {
                    "id"
                };
                self.error(
                    at.key(key).locate(group),
                    format!(
                        "signature `{}` signs the query parameter `{name}`, which operation `{}` does not have",
                        signature.id, operation.id
                    ),
                )
                .help(format!("add `{name}` to the operation's `query`"));
            }
        }
        for name in &signature.signed {
            let sent = params.iter().any(|p| {
                matches!(
                    p.location,
                    ir::ParamLocation::Query | ir::ParamLocation::Body
                ) && &p.field.wire_name == name
            });
            if sent || added.contains(&Some(name.as_str())) {
                continue;
            }
            let key = if operation.signing.is_some() {
                "signing"
            } else {
                "id"
            };
            self.error(
                at.key(key).locate(group),
                format!(
                    "signature `{}` signs `{name}`, which operation `{}` does not send",
                    signature.id, operation.id
                ),
            )
            .help(format!("add `{name}` to the operation's `query` or `body`, or remove it from the signature's `signed` list"));
        }
    }

    /// `file` fields are the file parts of a multipart body, and nothing else.
    fn check_files(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        params: &[ir::Param],
        encoding: ir::BodyEncoding,
    ) {
        let mut index_in_list: BTreeMap<ir::ParamLocation, usize> = BTreeMap::new();
        for param in params {
            let n = index_in_list.entry(param.location).or_default();
            let index = *n;
            *n += 1;
            if param.field.ty != ir::Type::File {
                continue;
            }
            let key = match param.location {
                ir::ParamLocation::Path => "path_params",
                ir::ParamLocation::Query => "query",
                ir::ParamLocation::Header => "headers",
                ir::ParamLocation::Body => "body",
            };
            let location = || at.key(key).index(index).key("type").locate(group);
            if param.location != ir::ParamLocation::Body {
                self.error(location(), "a `file` travels as a part of a multipart body")
                    .help("move it to `body` and give the operation `encoding: multipart`");
            } else if encoding != ir::BodyEncoding::Multipart {
                self.error(
                    location(),
                    "a `file` body member needs `encoding: multipart`",
                )
                .help("add `encoding: multipart` to the operation (or its base)");
            }
        }
    }

    /// What the Rust response type is: the generated struct, the payload the envelope wraps,
    /// or a file. Members a wrapped payload or a file leave no place for are reported.
    fn response_shape(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        at: At<'_>,
        operation: &spec::Operation,
        response: &[ir::Field],
        payload: Option<&str>,
        download: bool,
    ) -> ir::ResponseShape {
        // The spec's index of a lowered member, for locating it.
        let list = at.key("response");
        let locate = |wire: &str, key: &str| {
            let index = operation
                .response
                .iter()
                .position(|f| f.name == wire)
                .unwrap_or_default();
            list.index(index).key(key).locate(group)
        };
        if download {
            for field in response {
                self.error(
                    locate(&field.wire_name, "name"),
                    format!("`{}` is not an envelope member of a file response", field.wire_name),
                )
                .help("a successful `response_body: file` response is the file; list only the envelope's members an error sends");
            }
            return ir::ResponseShape::File;
        }
        let Some(payload) = payload else {
            return ir::ResponseShape::Struct;
        };
        for field in response.iter().filter(|f| f.wire_name != payload) {
            self.error(
                locate(&field.wire_name, "name"),
                format!("`{}` is beside the payload `{payload}`", field.wire_name),
            )
            .help(format!("with a payload envelope the response is what `{payload}` holds; move the member into `{payload}`'s model"));
        }
        let ty = response
            .iter()
            .find(|f| f.wire_name == payload)
            .map(|f| f.ty.clone());
        if let Some(ir::Type::File | ir::Type::Csv(_)) = &ty {
            self.error(
                locate(payload, "type"),
                format!("the payload `{payload}` cannot be a `file` or `csv<T>`"),
            );
        }
        ir::ResponseShape::Payload(ty)
    }

    fn http_method(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        method: &str,
        at: At<'_>,
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
                self.error(at.locate(group), format!("unknown HTTP method `{other}`"))
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
        at: At<'_>,
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
        // Rust name -> key path and wire name of the parameter that took it first; the key
        // path is formatted and located only when a collision is reported.
        let mut seen: FxHashMap<&str, (&str, usize, &str)> = FxHashMap::default();
        for param in params {
            let n = index_in_list.entry(param.location).or_default();
            let (key, index) = (key_of(param.location), *n);
            let location = || at.key(key).index(index).key("name").locate(group);
            *n += 1;
            let field = &param.field;
            let setter = (!field.required && field.setter_name != field.rust_name)
                .then_some(field.setter_name.as_str());
            for name in std::iter::once(field.rust_name.as_str()).chain(setter) {
                if let Some(&(first_key, first_index, first_wire)) = seen.get(name) {
                    let first = at
                        .key(first_key)
                        .index(first_index)
                        .key("name")
                        .locate(group);
                    let message = format!(
                        "parameter `{}` and parameter `{first_wire}` both become `{name}` in Rust",
                        field.wire_name
                    );
                    self.error(location(), message)
                        .related(first, "the other parameter")
                        .help("parameters of one operation share a request type; this collision needs a change to the generator's naming rules");
                } else {
                    seen.insert(name, (key, index, &field.wire_name));
                }
            }
        }
    }

    fn lower_path(
        &mut self,
        group: &Loaded<spec::GroupFile>,
        operation: At<'_>,
        path: &str,
        params: &[ir::Param],
    ) -> Vec<ir::PathSegment> {
        let at = operation.key("path");
        if !path.starts_with('/') {
            self.error(
                at.locate(group),
                format!("path `{path}` does not start with `/`"),
            );
        }
        let mut segments = Vec::new();
        let mut used = BTreeSet::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(at.locate(group), format!("unclosed `{{` in path `{path}`"));
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
                        at.locate(group),
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
                self.error(
                    operation
                        .key("path_params")
                        .index(index)
                        .key("name")
                        .locate(group),
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
