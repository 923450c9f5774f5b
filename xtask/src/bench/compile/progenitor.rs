//! The baseline: progenitor's client for the same specs, exported to OpenAPI. progenitor is
//! never a dependency of this workspace; it is fetched and built in a scratch project under
//! `target/bench/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use super::cargo::{run, write_if_changed, Project};

/// The progenitor release measured (the issue's reference figures were taken with it).
pub(super) const VERSION: &str = "0.15.1";

/// The package name of the scratch client crate, for `cargo clean -p`. It cannot be
/// `progenitor-client`, which is the crate it depends on.
pub(super) const CLIENT_PACKAGE: &str = "synth-progenitor-client";

const GENERATOR_MAIN: &str = include_str!("progenitor_gen.rs");

/// The built `progenitor-gen` program.
pub(super) struct Generator {
    program: PathBuf,
}

/// One run of progenitor.
pub(super) struct Generated {
    /// The formatted client code.
    pub code: String,
    /// Seconds from reading the document to holding the formatted code.
    pub seconds: f64,
}

impl Generator {
    /// Writes and builds the scratch generator project in `dir`. It is built with xtask's own
    /// profile, so that its generation time compares with ours measured in the same process.
    pub fn build(dir: &Path, target_dir: &Path) -> Result<Self> {
        write_if_changed(&dir.join("Cargo.toml"), &generator_manifest())?;
        write_if_changed(&dir.join("src/main.rs"), GENERATOR_MAIN)?;
        let project = Project {
            dir: dir.to_path_buf(),
            target_dir: target_dir.to_path_buf(),
            build_args: Vec::new(),
        };
        let (flags, profile): (&[&str], &str) = if cfg!(debug_assertions) {
            (&[], "debug")
        } else {
            (&["--release"], "release")
        };
        project.build(flags)?;
        let program = target_dir
            .join(profile)
            .join(format!("progenitor-gen{}", std::env::consts::EXE_SUFFIX));
        Ok(Self { program })
    }

    /// Generates the client of the OpenAPI document at `spec` (JSON).
    pub fn generate(&self, spec: &Path) -> Result<Generated> {
        let out = spec.with_extension("rs");
        let output = run(std::process::Command::new(&self.program)
            .arg(spec)
            .arg(&out))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let seconds = stdout.trim().parse::<f64>().map_err(|_| {
            anyhow!(
                "{} printed `{}` where its generation time was expected",
                self.program.display(),
                stdout.trim()
            )
        })?;
        let code = std::fs::read_to_string(&out)
            .with_context(|| format!("cannot read {}", out.display()))?;
        Ok(Generated { code, seconds })
    }
}

fn generator_manifest() -> String {
    format!(
        r#"# Written by `cargo xtask bench`: runs progenitor on the benchmark's OpenAPI document.
[package]
name = "progenitor-gen"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
openapiv3 = "2"
# progenitor's output is syn 3 tokens, which prettyplease 0.3 formats.
prettyplease = "0.3"
progenitor = {{ version = "={VERSION}", default-features = false }}
serde_json = "1"
syn = {{ version = "3", features = ["full"] }}

[workspace]
"#
    )
}

/// The OpenAPI document progenitor is given for `files` (one platform), and what had to be
/// changed in our export for progenitor to take it (empty when nothing).
pub(super) fn document(files: &[codegen::SourceFile]) -> Result<(Value, Vec<String>)> {
    let api = codegen::check(files)
        .map_err(|diagnostics| anyhow!("the specs do not validate:\n{diagnostics}"))?;
    let mut documents = codegen::openapi::export(&api).into_values();
    let (Some(document), None) = (documents.next(), documents.next()) else {
        bail!("the specs must hold exactly one platform for the progenitor comparison");
    };
    let mut document = document;
    let mut simplified = Vec::new();
    // progenitor 0.15.1 takes our export, `x-` extensions included, but typify names a
    // schema by its key with the punctuation dropped: a union's variant `Card.KeyData` and
    // the variant's payload `CardKeyData` become two Rust types of one name.
    let renamed = rename_clashing_schemas(&mut document);
    if renamed > 0 {
        simplified.push(format!(
            "{renamed} union variant schemas renamed apart from their payloads"
        ));
    }
    // Operations the export itself had to leave out are said so: the clients would differ.
    if let Some(omitted) = document
        .get("x-omitted-operations")
        .and_then(Value::as_array)
    {
        simplified.push(format!(
            "{} operation(s) left out by the OpenAPI export",
            omitted.len()
        ));
    }
    Ok((document, simplified))
}

const SCHEMA_REF: &str = "#/components/schemas/";

/// Renames the component schemas whose keys hold punctuation and, without it, clash with
/// another key (`A.B` next to `AB` becomes `ABVariant`), and every reference to them.
/// Returns how many were renamed.
fn rename_clashing_schemas(document: &mut Value) -> usize {
    // What typify keeps of a key when it makes a type name of it, case aside.
    let rust_name = |key: &str| -> String {
        key.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for key in schemas.keys() {
        *taken.entry(rust_name(key)).or_default() += 1;
    }
    let mut renames = BTreeMap::new();
    for key in schemas.keys() {
        let plain: String = key.chars().filter(char::is_ascii_alphanumeric).collect();
        if plain == *key || taken.get(&rust_name(key)).is_none_or(|n| *n < 2) {
            continue;
        }
        let mut new = format!("{plain}Variant");
        while taken.contains_key(&rust_name(&new)) {
            new.push('_');
            new.push('X');
        }
        taken.insert(rust_name(&new), 1);
        renames.insert(key.clone(), new);
    }
    for (old, new) in &renames {
        if let Some(schema) = schemas.remove(old) {
            schemas.insert(new.clone(), schema);
        }
    }
    let refs: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| (format!("{SCHEMA_REF}{old}"), format!("{SCHEMA_REF}{new}")))
        .collect();
    replace_strings(document, &refs);
    renames.len()
}

/// Replaces every string value (references, discriminator mappings) found in `replacements`.
fn replace_strings(value: &mut Value, replacements: &BTreeMap<String, String>) {
    match value {
        Value::String(text) => {
            if let Some(new) = replacements.get(text.as_str()) {
                text.clone_from(new);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| replace_strings(item, replacements)),
        Value::Object(fields) => fields
            .values_mut()
            .for_each(|field| replace_strings(field, replacements)),
        _ => {}
    }
}

/// How many operations an OpenAPI document holds.
pub(super) fn operation_count(document: &Value) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    document
        .get("paths")
        .and_then(Value::as_object)
        .map_or(0, |paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
}

/// The scratch client crate's manifest: progenitor's runtime and what its README lists for
/// generated code, plus the optional crates the code at hand refers to.
pub(super) fn client_manifest(code: &str) -> String {
    // (crate as it appears in paths, dependency line)
    const OPTIONAL: [(&str, &str); 5] = [
        (
            "chrono",
            r#"chrono = { version = "0.4", default-features = false, features = ["serde"] }"#,
        ),
        ("uuid", r#"uuid = { version = "1", features = ["serde"] }"#),
        ("regress", r#"regress = "0.12""#),
        ("futures", r#"futures = "0.3""#),
        ("base64", r#"base64 = "0.22""#),
    ];
    let mut dependencies = vec![
        format!(r#"progenitor-client = "={VERSION}""#),
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }"#.to_owned(),
        r#"serde = { version = "1", features = ["derive"] }"#.to_owned(),
        r#"serde_json = "1""#.to_owned(),
    ];
    for (name, line) in OPTIONAL {
        if code.contains(&format!("{name}::")) {
            dependencies.push(line.to_owned());
        }
    }
    format!(
        r#"# Written by `cargo xtask bench`: progenitor's client of the benchmark's specs.
[package]
name = "{CLIENT_PACKAGE}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
{}

[workspace]
"#,
        dependencies.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_not_paths() {
        let document = serde_json::json!({
            "paths": {
                "/a": { "get": {}, "post": {}, "parameters": [] },
                "/b": { "get": {} },
            }
        });
        assert_eq!(operation_count(&document), 3);
    }

    #[test]
    fn renames_variant_schemas_that_clash_with_their_payloads() {
        let mut document = serde_json::json!({
            "components": { "schemas": {
                "Card": { "oneOf": [{ "$ref": "#/components/schemas/Card.KeyData" }],
                          "discriminator": { "propertyName": "type", "mapping": {
                              "KEYDATA": "#/components/schemas/Card.KeyData" } } },
                "Card.KeyData": { "properties": { "data": { "$ref": "#/components/schemas/CardKeyData" } } },
                "CardKeyData": { "type": "object" },
                "Other.Alone": { "type": "object" },
            } }
        });
        assert_eq!(rename_clashing_schemas(&mut document), 1);
        let schemas = &document["components"]["schemas"];
        assert!(schemas.get("Card.KeyData").is_none());
        assert!(schemas.get("Other.Alone").is_some());
        assert_eq!(
            schemas["Card"]["oneOf"][0]["$ref"],
            "#/components/schemas/CardKeyDataVariant"
        );
        assert_eq!(
            schemas["Card"]["discriminator"]["mapping"]["KEYDATA"],
            "#/components/schemas/CardKeyDataVariant"
        );
        assert_eq!(
            schemas["CardKeyDataVariant"]["properties"]["data"]["$ref"],
            "#/components/schemas/CardKeyData"
        );
    }

    #[test]
    fn adds_the_crates_the_code_names() {
        let manifest = client_manifest("pub x: ::chrono::DateTime<::chrono::Utc>,");
        assert!(manifest.contains("chrono = "));
        assert!(!manifest.contains("uuid = "));
        assert!(manifest.contains("progenitor-client = \"=0.15.1\""));
    }
}
