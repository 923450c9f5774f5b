//! Our generated crate, copied out of the workspace so that it builds alone: either as checked
//! in (every real platform) or as the generator wrote it for the synthetic specs. Either way it
//! is generator output only (manifest and `lib.rs` included); the runtime is a dependency, built
//! once like serde, by path from the workspace.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use super::cargo::write_if_changed;
use super::manifest;

/// The package name of the generated crate, for `cargo clean -p`.
pub(super) const PACKAGE: &str = "open-platform-clients";

/// The checked-in crate, relative to the workspace root.
const GENERATED: &str = "generated";

/// The hand-written runtime crate, relative to the workspace root.
const RUNTIME: &str = "runtime";

/// Which crate the copy holds.
pub(super) enum Platforms {
    /// The checked-in crate, as it is.
    CheckedIn,
    /// The generator's output for other specs, keyed by path relative to the crate
    /// (`Cargo.toml`, `src/lib.rs`, `src/<platform>/...`).
    Generated(BTreeMap<String, String>),
}

/// Writes a standalone copy of the crate into `dest`: its files, its manifest made concrete
/// (see [`manifest`]) and the workspace's lock file (so the copy builds the same dependency
/// versions as the workspace).
pub(super) fn stage(root: &Path, dest: &Path, platforms: &Platforms) -> Result<()> {
    // Start from nothing but keep `Cargo.lock` and any build output: stale sources from an
    // earlier run must not end up in the crate.
    for folder in ["src", "docs"] {
        let path = dest.join(folder);
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    let files = match platforms {
        Platforms::CheckedIn => checked_in(root)?,
        Platforms::Generated(files) => files.clone(),
    };
    let member = files
        .get("Cargo.toml")
        .ok_or_else(|| anyhow!("the generated crate has no Cargo.toml"))?;
    let inherited = manifest::Inherited::parse(&read(&root.join("Cargo.toml"))?, root);
    let cargo_toml = manifest::standalone(member, &root.join(GENERATED), &inherited)
        .with_context(|| format!("cannot make {GENERATED}/Cargo.toml standalone"))?;
    for (path, contents) in &files {
        if path != "Cargo.toml" {
            write_if_changed(&dest.join(path), contents)?;
        }
    }
    write_if_changed(&dest.join("Cargo.toml"), &cargo_toml)?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        write_if_changed(&dest.join("Cargo.lock"), &read(&lock)?)?;
    }
    Ok(())
}

/// Every file of the checked-in crate, keyed by path relative to it.
fn checked_in(root: &Path) -> Result<BTreeMap<String, String>> {
    let crate_dir = root.join(GENERATED);
    let mut paths = Vec::new();
    collect_files(&crate_dir, &mut paths)?;
    let mut files = BTreeMap::new();
    for path in paths {
        let relative = path
            .strip_prefix(&crate_dir)
            .map_err(|_| anyhow!("{} is outside {GENERATED}/", path.display()))?;
        let key: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.insert(key.join("/"), read(&path)?);
    }
    Ok(files)
}

/// Writes generator output into the copy, touching only files whose contents change; the
/// manifest stays the standalone one [`stage`] wrote (the one-field change does not alter it).
pub(super) fn write_files(dest: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    for (path, contents) in files {
        if path != "Cargo.toml" {
            write_if_changed(&dest.join(path), contents)?;
        }
    }
    Ok(())
}

/// Lines of generated Rust in generator output.
pub(super) fn generated_lines(files: &BTreeMap<String, String>) -> usize {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, contents)| contents.lines().count())
        .sum()
}

/// Lines of the hand-written runtime crate the generated crate stands on (`runtime/src`),
/// which is built as a dependency and is not part of the crate's own compile figures.
pub(super) fn handwritten_lines(root: &Path) -> Result<usize> {
    let mut files = Vec::new();
    collect_files(&root.join(RUNTIME).join("src"), &mut files)?;
    let mut lines = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        lines += read(file)?.lines().count();
    }
    Ok(lines)
}

/// Every file below `dir`, recursively.
fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The name of the field the one-field change adds.
const ADDED_FIELD: &str = "bench_added_field";

/// The one-field change of the incremental figure: an optional string field added to the
/// first model of the first spec file that has one (in the generated code: one more `Option`
/// field with its docs). Returns the edited files and what was changed.
pub(super) fn add_optional_field(
    files: &[codegen::SourceFile],
) -> Result<(Vec<codegen::SourceFile>, String)> {
    let mut sorted: Vec<&codegen::SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for file in sorted {
        if let Some(text) = with_added_field(&file.text) {
            let edited = files
                .iter()
                .map(|f| {
                    if f.path == file.path {
                        codegen::SourceFile {
                            path: f.path.clone(),
                            text: text.clone(),
                        }
                    } else {
                        f.clone()
                    }
                })
                .collect();
            let what = format!(
                "optional field `{ADDED_FIELD}` added to a model of {}",
                file.path
            );
            return Ok((edited, what));
        }
    }
    bail!("no spec file has a model with a block-style `fields:` list to add a field to")
}

/// The text with a field entry inserted at the top of its first `fields:` block sequence.
fn with_added_field(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let (at, item_indent) = lines.iter().enumerate().find_map(|(i, line)| {
        if line.trim() != "fields:" {
            return None;
        }
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty())?;
        let is_item = next.trim_start().starts_with("- ") && indent(next) >= indent(line);
        is_item.then(|| (i + 1, indent(next)))
    })?;
    let pad = " ".repeat(item_indent);
    let entry = [
        format!("{pad}- name: {ADDED_FIELD}"),
        format!("{pad}  type: string"),
        format!("{pad}  description: Added by the compile benchmark's one-field change."),
    ];
    let mut out: Vec<String> = lines[..at].iter().map(|l| (*l).to_owned()).collect();
    out.extend(entry);
    out.extend(lines[at..].iter().map(|l| (*l).to_owned()));
    Some(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_field_to_the_first_model() {
        let text = "models:\n  - name: A\n    fields:\n      - name: x\n        type: int32\n";
        let edited = with_added_field(text).unwrap();
        assert_eq!(
            edited,
            "models:\n  - name: A\n    fields:\n      - name: bench_added_field\n        type: string\n        description: Added by the compile benchmark's one-field change.\n      - name: x\n        type: int32\n"
        );
        assert_eq!(with_added_field("fields: []\n"), None);
    }
}
