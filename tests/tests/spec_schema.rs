//! The JSON Schemas of the spec format (`specs/schema/`, generated from the spec structs):
//! every spec file names its schema on its first line, every spec file is valid against it,
//! and the schema rejects what the loader rejects.

use std::path::Path;

use serde_json::Value;
use tests::support::workspace_root;

fn schema(name: &str) -> jsonschema::Validator {
    let path = workspace_root().join("specs/schema").join(name);
    let text = std::fs::read_to_string(&path).expect("schema written by cargo xtask codegen");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema is a valid JSON Schema")
}

fn as_json(yaml: &str) -> Value {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("YAML");
    serde_json::to_value(value).expect("YAML as JSON")
}

fn spec_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["specs", "tests/fixtures/kitchen_sink/specs"] {
        for file in xtask::read_specs(workspace_root(), dir).expect("specs readable") {
            files.push((file.path, file.text));
        }
    }
    files
}

#[test]
fn every_spec_file_names_its_schema_and_is_valid_against_it() {
    let service = schema("service.schema.json");
    let group = schema("group.schema.json");
    let files = spec_files();
    assert!(files.len() >= 13, "{} spec files", files.len());
    for (path, text) in files {
        let (validator, name) = if path.ends_with("/service.yaml") {
            (&service, "service")
        } else {
            (&group, "group")
        };
        let first = text.lines().next().unwrap_or_default();
        let reference = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| {
                panic!("{path} does not name its schema on its first line: {first}")
            });
        let resolved = Path::new(&path).parent().expect("folder").join(reference);
        let normalized: Vec<_> = resolved.components().fold(Vec::new(), |mut parts, part| {
            match part {
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                other => parts.push(other),
            }
            parts
        });
        let target: std::path::PathBuf = normalized.iter().collect();
        assert_eq!(
            target,
            Path::new("specs/schema").join(format!("{name}.schema.json")),
            "{path}"
        );
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{path} is not valid against its schema: {errors:?}"
        );
    }
}

#[test]
fn the_schema_rejects_unknown_keys_and_wrong_types_like_the_loader() {
    let group = schema("group.schema.json");
    let valid = "group: g\ntitle: G\noperations:\n  - { id: a, summary: A, method: GET, base: b, path: /a }\n";
    assert!(group.is_valid(&as_json(valid)));
    let unknown_key = valid.replace("path: /a", "path: /a, colour: blue");
    assert!(
        !group.is_valid(&as_json(&unknown_key)),
        "an unknown key is accepted"
    );
    let wrong_type = valid.replace(
        "operations:\n  - ",
        "operations:\n  - { required: yes }\n  - ",
    );
    assert!(
        !group.is_valid(&as_json(&wrong_type)),
        "a wrong shape is accepted"
    );
    let bad_stability = valid.replace("path: /a", "path: /a, stability: beta");
    assert!(
        !group.is_valid(&as_json(&bad_stability)),
        "an unknown enum value is accepted"
    );
}
