//! Makes a workspace member's `Cargo.toml` build on its own: every `*.workspace = true` entry
//! becomes the concrete value of the root manifest, a relative `path` dependency points at the
//! member's folder, and an empty `[workspace]` table makes the copy its own workspace. Line-based, for the one-line entries this workspace writes;
//! anything it cannot rewrite is an error rather than a silently different build.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Result};

/// What members inherit from the root manifest.
#[derive(Debug, Default)]
pub(super) struct Inherited {
    /// `[workspace.package]`: key -> raw TOML value.
    package: BTreeMap<String, String>,
    /// `[workspace.dependencies]`: name -> raw TOML value, with a relative `path` made
    /// absolute against the workspace root (where cargo resolves it).
    dependencies: BTreeMap<String, String>,
}

impl Inherited {
    /// Reads the inheritable tables of the root `Cargo.toml` in the folder `root`.
    pub fn parse(root_manifest: &str, root: &Path) -> Self {
        let mut inherited = Self::default();
        let mut section = String::new();
        for line in root_manifest.lines() {
            if let Some(header) = section_header(line) {
                section = header;
                continue;
            }
            let Some((key, value)) = entry(line) else {
                continue;
            };
            let table = match section.as_str() {
                "workspace.package" => &mut inherited.package,
                "workspace.dependencies" => &mut inherited.dependencies,
                _ => continue,
            };
            let value = if section == "workspace.dependencies" {
                with_absolute_path(value, root)
            } else {
                value.to_owned()
            };
            table.insert(key.to_owned(), value);
        }
        inherited
    }
}

/// A dependency's inline table with its relative `path` resolved against `base`; any other
/// value unchanged.
fn with_absolute_path(value: &str, base: &Path) -> String {
    if !value.starts_with('{') {
        return value.to_owned();
    }
    let Ok(mut pairs) = inline_table(value) else {
        return value.to_owned();
    };
    match pairs.iter_mut().find(|(k, _)| k == "path") {
        Some((_, path)) => {
            let relative = path.trim_matches('"');
            *path = format!("{:?}", base.join(relative).display().to_string());
            inline_table_text(&pairs)
        }
        None => value.to_owned(),
    }
}

/// The member manifest (from `member_dir`) with inherited entries made concrete, relative
/// paths made absolute and an empty `[workspace]`.
pub(super) fn standalone(member: &str, member_dir: &Path, inherited: &Inherited) -> Result<String> {
    let mut out = String::new();
    let mut section = String::new();
    for (index, line) in member.lines().enumerate() {
        if let Some(header) = section_header(line) {
            section = header;
        }
        let rewritten = rewrite_line(line, &section, member_dir, inherited)
            .map_err(|err| anyhow!("line {} `{line}`: {err}", index + 1))?;
        out.push_str(&rewritten);
        out.push('\n');
    }
    out.push_str(
        "\n# Built on its own by `cargo xtask bench`, outside the workspace.\n[workspace]\n",
    );
    Ok(out)
}

fn rewrite_line(
    line: &str,
    section: &str,
    member_dir: &Path,
    inherited: &Inherited,
) -> Result<String> {
    let Some((key, value)) = entry(line) else {
        return Ok(line.to_owned());
    };
    let dependencies = matches!(
        section,
        "dependencies" | "dev-dependencies" | "build-dependencies"
    );
    // `name.workspace = true`
    if let Some(name) = key.strip_suffix(".workspace") {
        if value != "true" {
            bail!("only `workspace = true` is supported");
        }
        let table = if dependencies {
            &inherited.dependencies
        } else if section == "package" {
            &inherited.package
        } else {
            bail!("inheritance in [{section}] is not supported");
        };
        let concrete = table
            .get(name)
            .ok_or_else(|| anyhow!("the root manifest does not define `{name}`"))?;
        return Ok(format!("{name} = {concrete}"));
    }
    let mut own = if dependencies && value.starts_with('{') {
        inline_table(value)?
    } else {
        Vec::new()
    };
    // `name = { workspace = true, features = [...], optional = true }`
    if own.iter().any(|(k, v)| k == "workspace" && v == "true") {
        let concrete = inherited
            .dependencies
            .get(key)
            .ok_or_else(|| anyhow!("the root manifest does not define `{key}`"))?;
        let merged = merge_dependency(concrete, &own)?;
        return Ok(format!("{key} = {merged}"));
    }
    if line.contains("workspace = true") || line.contains("workspace=true") {
        bail!("this kind of workspace inheritance is not supported");
    }
    // `name = { path = "relative", ... }`: the copy lives elsewhere.
    if let Some((_, path)) = own.iter_mut().find(|(k, _)| k == "path") {
        let relative = path.trim_matches('"');
        *path = format!("{:?}", member_dir.join(relative).display().to_string());
        return Ok(format!("{key} = {}", inline_table_text(&own)));
    }
    Ok(line.to_owned())
}

/// The root's dependency value with the member's own keys added; features add up, as cargo
/// does it.
fn merge_dependency(concrete: &str, own: &[(String, String)]) -> Result<String> {
    let mut merged = if concrete.starts_with('{') {
        inline_table(concrete)?
    } else {
        vec![("version".to_owned(), concrete.to_owned())]
    };
    for (key, value) in own {
        if key == "workspace" {
            continue;
        }
        match merged.iter_mut().find(|(k, _)| k == key) {
            Some((_, existing)) if key == "features" => {
                let mut features = array(existing);
                for feature in array(value) {
                    if !features.contains(&feature) {
                        features.push(feature);
                    }
                }
                *existing = format!("[{}]", features.join(", "));
            }
            Some((_, existing)) => existing.clone_from(value),
            None => merged.push((key.clone(), value.clone())),
        }
    }
    Ok(inline_table_text(&merged))
}

/// `[(a, 1), (b, x)]` -> `{ a = 1, b = x }`.
fn inline_table_text(pairs: &[(String, String)]) -> String {
    let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", pairs.join(", "))
}

/// `[name]` -> `name`.
fn section_header(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    Some(inner.trim_matches(['[', ']']).trim().to_owned())
}

/// `key = value` (not a comment, not a header) -> (`key`, `value`), both trimmed.
fn entry(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[') {
        return None;
    }
    let (key, value) = trimmed.split_once('=')?;
    Some((key.trim(), value.trim()))
}

/// `{ a = 1, b = [x, y] }` -> `[(a, 1), (b, [x, y])]`.
fn inline_table(value: &str) -> Result<Vec<(String, String)>> {
    let inner = value
        .trim()
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .ok_or_else(|| anyhow!("`{value}` is not a one-line inline table"))?;
    split_top_level(inner)
        .into_iter()
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| anyhow!("`{pair}` is not `key = value`"))?;
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// `["a", "b"]` -> `["\"a\"", "\"b\""]`.
fn array(value: &str) -> Vec<String> {
    let inner = value.trim().trim_start_matches('[').trim_end_matches(']');
    split_top_level(inner)
}

/// Splits at commas outside brackets, braces and strings; drops empty pieces.
fn split_top_level(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    for c in text.chars() {
        match c {
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => depth = depth.saturating_sub(1),
            ',' if !in_string && depth == 0 => {
                pieces.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    pieces.push(current);
    pieces
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = r#"
[workspace]
members = ["a"]

[workspace.package]
edition = "2021"

[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
tokio = "1"
reqwest = { version = "0.12", default-features = false, features = ["json"] }
runtime = { path = "runtime", version = "0.1.0" }
"#;

    #[test]
    fn makes_inherited_entries_concrete() {
        let member = r#"[package]
name = "a"
edition.workspace = true

[features]
default = ["x", "y"]
x = []
y = []
mock = ["dep:reqwest"]

[dependencies]
serde.workspace = true
tokio = { workspace = true, features = ["sync"] }
reqwest = { workspace = true, optional = true, features = ["json", "stream"] }
fastrand = "2"
local = { path = "local", version = "0.1.0" }
runtime = { workspace = true, features = ["mock"] }
"#;
        let inherited = Inherited::parse(ROOT, Path::new("/ws"));
        let out = standalone(member, Path::new("/ws/a"), &inherited).unwrap();
        assert!(out.contains("edition = \"2021\"\n"), "{out}");
        assert!(out.contains("serde = { version = \"1\", features = [\"derive\"] }\n"));
        assert!(out.contains("tokio = { version = \"1\", features = [\"sync\"] }\n"));
        assert!(out.contains(
            "reqwest = { version = \"0.12\", default-features = false, features = [\"json\", \"stream\"], optional = true }\n"
        ), "{out}");
        assert!(out.contains("fastrand = \"2\"\n"));
        assert!(
            out.contains("local = { path = \"/ws/a/local\", version = \"0.1.0\" }\n"),
            "{out}"
        );
        // An inherited path is the workspace root's, not the member's.
        assert!(
            out.contains(
                "runtime = { path = \"/ws/runtime\", version = \"0.1.0\", features = [\"mock\"] }\n"
            ),
            "{out}"
        );
        assert!(out.ends_with("[workspace]\n"));
    }

    #[test]
    fn refuses_what_it_cannot_rewrite() {
        let inherited = Inherited::parse(ROOT, Path::new("/ws"));
        let err = standalone(
            "[dependencies]\nmissing.workspace = true\n",
            Path::new("."),
            &inherited,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("does not define `missing`"),
            "{err}"
        );
        let err =
            standalone("[lints]\nworkspace = true\n", Path::new("."), &inherited).unwrap_err();
        assert!(err.to_string().contains("not supported"), "{err}");
    }
}
