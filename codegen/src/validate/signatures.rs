//! Request signatures: declared once in `service.yaml`, named by bases and operations.

use std::collections::BTreeMap;

use super::PlatformLowering;
use crate::ir;
use crate::names;
use crate::spec;

impl PlatformLowering<'_> {
    pub(super) fn lower_signatures(
        &mut self,
        signatures: &[spec::Signature],
    ) -> Vec<ir::Signature> {
        let service = &self.specs.service;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut lowered = Vec::with_capacity(signatures.len());
        for (i, signature) in signatures.iter().enumerate() {
            let at = format!("signatures[{i}]");
            let spec::Signature {
                id,
                style,
                algorithm,
                timestamp,
                signature: sign,
                key_id,
                signed,
                message,
                description,
            } = signature;
            if let Some(first) = seen.insert(id, i) {
                let first = service.locate(&format!("signatures[{first}].id"));
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("duplicate signature `{id}`"),
                )
                .related(first, "first defined here");
            }
            if !names::is_snake_identifier(id) || id == "none" {
                self.error(
                    service.locate(&format!("{at}.id")),
                    format!("signature id `{id}` is not a snake_case identifier other than `none`"),
                );
            }
            let style = match (style, algorithm) {
                (spec::SignatureStyle::HmacTimestamp, None) => ir::SignatureStyle::HmacTimestamp,
                (spec::SignatureStyle::HmacTimestamp, Some(_)) => {
                    self.error(
                        service.locate(&format!("{at}.algorithm")),
                        "`algorithm` applies to `sorted_params` signatures",
                    )
                    .help(
                        "an `hmac_timestamp` signature is always HMAC-SHA256; remove `algorithm`",
                    );
                    ir::SignatureStyle::HmacTimestamp
                }
                (spec::SignatureStyle::SortedParams, Some(algorithm)) => {
                    ir::SignatureStyle::SortedParams((*algorithm).into())
                }
                (spec::SignatureStyle::SortedParams, None) => {
                    self.error(
                        service.locate(&format!("{at}.style")),
                        "a `sorted_params` signature needs an `algorithm`",
                    )
                    .help(
                        "add `algorithm: md5`, `hmac_md5` or `hmac_sha256`, as the document says",
                    );
                    ir::SignatureStyle::SortedParams(ir::DigestAlgorithm::Md5)
                }
            };
            if message.is_some() && style != ir::SignatureStyle::HmacTimestamp {
                self.error(
                    service.locate(&format!("{at}.message")),
                    "`message` applies to `hmac_timestamp` signatures",
                );
            }
            if !signed.is_empty() && style == ir::SignatureStyle::HmacTimestamp {
                self.error(
                    service.locate(&format!("{at}.signed")),
                    "`signed` applies to `sorted_params` signatures",
                );
            }
            let mut places = vec![("timestamp", timestamp), ("signature", sign)];
            places.extend(key_id.as_ref().map(|key_id| ("key_id", key_id)));
            for (key, value) in &places {
                if value.name.is_empty() {
                    self.error(
                        service.locate(&format!("{at}.{key}.name")),
                        format!("`{key}` has no name"),
                    );
                }
                if *key != "timestamp" && value.format.is_some() {
                    self.error(
                        service.locate(&format!("{at}.{key}.format")),
                        "`format` applies to the `timestamp`",
                    );
                }
            }
            // The runtime writes these three; one name for two of them would overwrite one.
            for (n, (key, value)) in places.iter().enumerate() {
                if let Some((other, _)) = places[..n]
                    .iter()
                    .find(|(_, o)| o.name == value.name && o.location == value.location)
                {
                    self.error(
                        service.locate(&format!("{at}.{key}.name")),
                        format!("`{key}` and `{other}` are both `{}`", value.name),
                    );
                }
            }
            let place = |value: &spec::SignedValue| (value.location.into(), value.name.clone());
            lowered.push(ir::Signature {
                const_name: names::signature_const(id),
                id: id.clone(),
                style,
                timestamp: place(timestamp),
                timestamp_format: timestamp
                    .format
                    .map_or(ir::TimestampFormat::UnixMs, Into::into),
                signature: place(sign),
                key_id: key_id.as_ref().map(place),
                signed: signed.clone(),
                message: message.clone(),
                description: description.clone(),
            });
        }
        lowered
    }

    /// The index of the signature `id` names (`Some(None)` for `none` where it is allowed),
    /// or `None` after reporting an unknown id at `at` in the service file.
    pub(super) fn signature_index(
        &mut self,
        id: &str,
        signatures: &[ir::Signature],
        at: &str,
        none_allowed: bool,
    ) -> Option<Option<usize>> {
        let location = self.specs.service.locate(at);
        let ids = signatures.iter().map(|s| s.id.as_str());
        self.lookup_id(location, ("signature", "signatures"), id, ids, none_allowed)
    }
}
