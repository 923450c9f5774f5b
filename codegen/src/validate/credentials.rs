//! Credentials: the kinds of token a platform's calls carry, and the operations that issue
//! them (with what keys a token's cache entry, and how a token is renewed).

use std::collections::BTreeMap;

use super::PlatformLowering;
use crate::ir;
use crate::names;
use crate::spec;

impl PlatformLowering<'_> {
    /// The credentials' names, checked; their issuers are resolved by [`Self::lower_issuers`]
    /// once the groups are lowered.
    pub(super) fn lower_credential_names(
        &mut self,
        credentials: &[spec::Credential],
    ) -> Vec<ir::Credential> {
        let service = &self.specs.service;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut lowered = Vec::with_capacity(credentials.len());
        for (i, credential) in credentials.iter().enumerate() {
            let at = format!("credentials[{i}]");
            let id = &credential.id;
            if let Some(first) = seen.insert(id, i) {
                let first = service.locate(&format!("credentials[{first}].id"));
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("duplicate credential `{id}`"),
                )
                .related(first, "first defined here");
            }
            if !names::is_snake_identifier(id) {
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("credential id `{id}` is not a snake_case identifier"),
                );
            }
            if credential.issued_by.is_empty() {
                self.error(
                    service.locate(&format!("{at}.issued_by")),
                    format!("credential `{id}` names no operation that issues it"),
                )
                .help("list at least one `{ operation, token_field, expires_in_field }`");
            }
            lowered.push(ir::Credential {
                id: id.clone(),
                const_name: names::credential_const(id),
                description: credential.description.clone(),
                per_tenant: credential.tenant.is_some(),
                issuers: Vec::new(),
            });
        }
        lowered
    }

    /// The index of the credential `id`, or `None` after reporting it at `at` (a key path of
    /// the service file).
    pub(super) fn credential_index(
        &mut self,
        id: &str,
        credentials: &[ir::Credential],
        at: &str,
    ) -> Option<usize> {
        let location = self.specs.service.locate(at);
        let ids = credentials.iter().map(|c| c.id.as_str());
        self.lookup_id(location, ("credential", "credentials"), id, ids, false)
            .flatten()
    }

    /// Resolves every credential's issuing operations, and marks those operations as issuing
    /// tokens (their bodies are secrets then).
    pub(super) fn lower_issuers(
        &mut self,
        credentials: &[spec::Credential],
        lowered: &mut [ir::Credential],
        groups: &mut [ir::Group],
    ) {
        for (i, (credential, target)) in credentials.iter().zip(lowered.iter_mut()).enumerate() {
            for (j, issuer) in credential.issued_by.iter().enumerate() {
                let at = format!("credentials[{i}].issued_by[{j}]");
                let Some(source) = self.lower_issuer(credential, issuer, &at, groups, i) else {
                    continue;
                };
                let op = groups
                    .iter_mut()
                    .filter(|g| g.module == source.group)
                    .flat_map(|g| g.operations.iter_mut())
                    .find(|op| op.id == source.operation);
                if let Some(op) = op {
                    op.issues_token = true;
                    op.holds_secrets = true;
                }
                target.issuers.push(source);
            }
        }
    }

    fn lower_issuer(
        &mut self,
        credential: &spec::Credential,
        issuer: &spec::TokenSource,
        at: &str,
        groups: &[ir::Group],
        credential_index: usize,
    ) -> Option<ir::TokenSource> {
        let spec::TokenSource {
            operation,
            token_field,
            expires_in_field,
            app_key,
            refresh_token_field,
            refresh,
            pushed,
        } = issuer;
        let service = &self.specs.service;
        let Some((group, op_id)) = operation.split_once('.') else {
            self.error(
                service.locate(&format!("{at}.operation")),
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
                service.locate(&format!("{at}.operation")),
                format!("token operation `{operation}` does not exist"),
            );
            return None;
        };
        let mut response_field =
            |key: &str, field: &str, fits: fn(&ir::Type) -> bool, needs: &str| {
                let location = || service.locate(&format!("{at}.{key}"));
                match op.response.iter().find(|f| f.wire_name == field) {
                    Some(found) if fits(&found.ty) => Some(found.clone()),
                    Some(_) => {
                        self.error(
                            location(),
                            format!("`{operation}`'s `{field}` must be {needs}"),
                        );
                        None
                    }
                    None => {
                        self.error(
                            location(),
                            format!("`{operation}` has no response field `{field}`"),
                        );
                        None
                    }
                }
            };
        let text = |t: &ir::Type| matches!(t, ir::Type::Secret | ir::Type::String);
        let token = response_field("token_field", token_field, text, "a `secret` or a `string`");
        let expires_in = response_field(
            "expires_in_field",
            expires_in_field,
            |t| matches!(t, ir::Type::Int32 | ir::Type::Int64),
            "an `int32` or `int64`",
        );
        let refresh_token = refresh_token_field.as_ref().and_then(|field| {
            response_field(
                "refresh_token_field",
                field,
                text,
                "a `secret` or a `string`",
            )
        });
        if op.auth && op.credential == Some(credential_index) {
            self.error(
                service.locate(&format!("{at}.operation")),
                format!("token operation `{operation}` would need the token it issues"),
            )
            .help("give it `auth: false`, or another `credential`");
        }
        // Request members, as the generated request names them.
        let params: Vec<&ir::Field> = op
            .params
            .iter()
            .filter(|p| p.location != ir::ParamLocation::Path || p.field.required)
            .map(|p| &p.field)
            .collect();
        let mut request_field = |key: &str, wire: &str, what: &str| {
            let found = params.iter().find(|f| f.wire_name == wire);
            match found {
                Some(field) if field.required && text(&field.ty) => Some((*field).clone()),
                Some(_) => {
                    self.error(
                        service.locate(&format!("{at}.{key}")),
                        format!("`{operation}`'s `{wire}` ({what}) must be a required `string` or `secret`"),
                    );
                    None
                }
                None => {
                    self.error(
                        service.locate(&format!("{at}.{key}")),
                        format!("`{operation}` has no request member `{wire}` ({what})"),
                    );
                    None
                }
            }
        };
        // Without one, the key has no app part; the digest of the request's secrets (or of a
        // signed request's signing key) still tells apps apart.
        let app_key = app_key
            .as_ref()
            .and_then(|wire| request_field("app_key", wire, "the app key"));
        let tenant = credential.tenant.as_ref().and_then(|wire| {
            let found = params.iter().find(|f| &f.wire_name == wire);
            match found {
                Some(field) if field.ty == ir::Type::String => Some((*field).clone()),
                _ => {
                    self.error(
                        service.locate(&format!("{at}.operation")),
                        format!("credential `{}` names its tenant `{wire}`, which `{operation}` does not take as a `string`", credential.id),
                    )
                    .help("the issuing request must have the tenant member, which the client fills per tenant");
                    None
                }
            }
        });
        let refresh = match (refresh, refresh_token) {
            (Some(spec::Refresh { param, set }), Some(token_field)) => {
                let param_field = params
                    .iter()
                    .find(|f| &f.wire_name == param && !f.required && text(&f.ty))
                    .map(|f| (*f).clone());
                if param_field.is_none() {
                    self.error(
                        service.locate(&format!("{at}.refresh.param")),
                        format!("`{operation}` has no optional `string` or `secret` request member `{param}`"),
                    );
                }
                let mut fixed = Vec::new();
                for (wire, value) in set {
                    let field = params.iter().find(|f| &f.wire_name == wire);
                    let variant = match field.map(|f| &f.ty) {
                        Some(ir::Type::String) => Some(None),
                        // An enum member takes the variant whose wire value is `value`.
                        Some(ir::Type::Enum(r)) => groups
                            .iter()
                            .flat_map(|g| &g.enums)
                            .find(|e| e.name == r.name)
                            .and_then(|e| {
                                let wire = ir::CodeValue::String(value.clone());
                                e.values.iter().find(|v| v.wire == wire)
                            })
                            .map(|v| Some(v.variant.clone())),
                        _ => None,
                    };
                    match (field, variant) {
                        (Some(field), Some(variant)) => {
                            fixed.push(((*field).clone(), value.clone(), variant))
                        }
                        _ => {
                            self.error(
                                service.locate(&format!("{at}.refresh.set")),
                                format!("`{operation}` has no `string` request member `{wire}`, or no string enum member with the value `{value}`, to set"),
                            );
                        }
                    }
                }
                param_field.map(|param| ir::TokenRefresh {
                    token_field,
                    param,
                    set: fixed,
                })
            }
            (Some(_), None) => {
                self.error(
                    service.locate(&format!("{at}.refresh")),
                    "`refresh` needs the `refresh_token_field` the response carries it in",
                );
                None
            }
            (None, _) => None,
        };
        let pushed = pushed
            .iter()
            .enumerate()
            .filter_map(|(k, wire)| {
                let found = params
                    .iter()
                    .find(|f| &f.wire_name == wire && f.ty == ir::Type::String);
                if found.is_none() {
                    self.error(
                        service.locate(&format!("{at}.pushed[{k}]")),
                        format!("`{operation}` has no `string` request member `{wire}` to fill with a pushed value"),
                    )
                    .help("name a `string` member of the issuing request, as an event's `pushes.name` names it");
                }
                found.map(|f| (*f).clone())
            })
            .collect();
        // The required ones: an optional secret (a refresh token) is not the app's.
        let secrets = params
            .iter()
            .filter(|f| f.ty == ir::Type::Secret && f.required)
            .map(|f| (*f).clone())
            .collect();
        Some(ir::TokenSource {
            group: group.to_owned(),
            operation: op_id.to_owned(),
            method_name: op.method_name.clone(),
            request_type: op.request_type.clone(),
            token: token?,
            expires_in: expires_in?,
            app_key,
            secrets,
            tenant,
            refresh,
            pushed,
        })
    }
}
