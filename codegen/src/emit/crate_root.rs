//! The generated crate's own files: `src/lib.rs` (the platform list and the runtime
//! re-export) and `Cargo.toml` (package, dependencies and a cargo feature per platform and API
//! group). Both follow from the IR, so a new platform needs no hand edit outside `specs/`.

use minijinja::{context, Environment, UndefinedBehavior};
use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::features::cargo_features;
use super::rust::{ident, title_text};
use crate::ir;

const MANIFEST_TEMPLATE: &str = include_str!("../../templates/Cargo.toml.j2");

/// What the manifest template lists per platform.
#[derive(Serialize)]
struct PlatformRow<'a> {
    feature: &'a str,
}

/// `Cargo.toml` of the generated crate.
pub fn emit_manifest(api: &ir::Api, spec_root: &str) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_template("Cargo.toml", MANIFEST_TEMPLATE)?;
    let platforms: Vec<PlatformRow<'_>> = api
        .platforms
        .iter()
        .map(|p| PlatformRow {
            feature: &p.feature,
        })
        .collect();
    env.get_template("Cargo.toml")?.render(context! {
        spec_root,
        platforms,
        features => cargo_features(api).trim_end(),
    })
}

/// The folder holding every platform's spec folder (`specs`), for the files that come from
/// all of them.
pub fn spec_root(api: &ir::Api) -> String {
    let mut parts: Vec<&str> = api
        .platforms
        .first()
        .map(|p| p.spec_file.split('/').collect())
        .unwrap_or_default();
    // `<root>/<platform>/service.yaml`
    parts.truncate(parts.len().saturating_sub(2));
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// `src/lib.rs` of the generated crate: its documentation, the runtime re-exported as
/// `runtime`, and one module per platform behind its hidden `_<platform>` feature.
pub fn emit_lib(api: &ir::Api) -> TokenStream {
    // The crate's own prose, written here, is not escaped like document text: its links are
    // meant. The platform titles in it come from the specs and are escaped.
    let mut lines: Vec<String> = [
        "Typed async clients for Chinese enterprise open platforms, generated from the YAML",
        "specs in `specs/` by `cargo xtask codegen`.",
        "",
        "Each platform is a module behind a cargo feature of the same name, and each of its API",
        "groups behind a feature `<platform>-<group>`. A platform module has a `Client` with one",
        "sub-client per API group and one method per documented operation, request types that",
        "can be built and inspected without a server, and response types that tolerate unknown",
        "fields. What a call does (tokens, retries, time limits, envelopes, errors) is the",
        "hand-written [`runtime`] crate, re-exported here.",
        "",
    ]
    .map(str::to_owned)
    .to_vec();
    lines.extend(api.platforms.iter().map(|p| {
        format!(
            "- `{module}`: {title} (feature `{feature}`)",
            module = p.module,
            title = title_text(&p.title),
            feature = p.feature
        )
    }));
    if let Some(platform) = api.platforms.first() {
        lines.extend([
            String::new(),
            // The example names one platform; built without its feature, the doctest
            // compiles an empty `main` instead.
            "```no_run".to_owned(),
            format!("# #[cfg(feature = \"{}\")]", platform.feature),
            "# fn main() -> Result<(), open_platform_clients::runtime::TransportError> {"
                .to_owned(),
            "use open_platform_clients::runtime::StaticToken;".to_owned(),
            String::new(),
            format!(
                "let client = open_platform_clients::{}::Client::builder()",
                platform.module
            ),
            "    .token(StaticToken::new(\"access-token\"))".to_owned(),
            "    .build()?;".to_owned(),
            "# let _ = client;".to_owned(),
            "# Ok(())".to_owned(),
            "# }".to_owned(),
            format!("# #[cfg(not(feature = \"{}\"))]", platform.feature),
            "# fn main() {}".to_owned(),
            "```".to_owned(),
        ]);
    }
    let lines = lines.iter().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    let modules = api.platforms.iter().map(|platform| {
        let module = ident(&platform.module);
        let feature = &platform.base_feature;
        // No outer docs: the module's own `//!` docs say what it is, and rustdoc would resolve
        // their links from this file's scope if the declaration had docs too. The module is
        // formatted by prettyplease, whose output rustfmt would change on a few lines.
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    quote! {
        #(#![doc = #lines])*
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        /// The runtime every generated client stands on: errors, tokens, transports, retries.
        pub use ::open_platform_runtime as runtime;

        #(#modules)*
    }
}
