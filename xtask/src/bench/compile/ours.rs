//! Our generated crate, copied out of the workspace so that it builds alone: either as checked
//! in (every real platform) or holding only the synthetic platform.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use super::cargo::write_if_changed;
use super::manifest;

/// The package name of the generated crate, for `cargo clean -p`.
pub(super) const PACKAGE: &str = "open-platform-clients";

/// The checked-in crate, relative to the workspace root.
const GENERATED: &str = "generated";

/// What goes into the copy besides the hand-written runtime.
pub(super) enum Platforms {
    /// The checked-in platform modules, as they are.
    CheckedIn,
    /// Only the platform of these freshly generated files (`src/<platform>/...`); the
    /// checked-in platforms are left out.
    Replaced {
        /// The platform's module name, which is also its feature's name.
        platform: String,
        /// The generator's output, keyed by path relative to the crate.
        files: BTreeMap<String, String>,
    },
}

/// Writes a standalone copy of `generated/` into `dest`: its manifest made concrete (see
/// [`manifest`]), the workspace's lock file (so the copy builds the same dependency versions
/// as the workspace), the runtime, and the platforms `platforms` says.
pub(super) fn stage(root: &Path, dest: &Path, platforms: &Platforms) -> Result<()> {
    let source = root.join(GENERATED);
    let real = real_platforms(root)?;
    // Start from nothing but keep `Cargo.lock` and any build output: stale sources from an
    // earlier run must not end up in the crate.
    for folder in ["src", "docs"] {
        let path = dest.join(folder);
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    let skip: Vec<&str> = match platforms {
        Platforms::CheckedIn => Vec::new(),
        Platforms::Replaced { .. } => real.iter().map(String::as_str).collect(),
    };
    copy_sources(&source.join("src"), &dest.join("src"), &skip)?;

    let inherited = manifest::Inherited::parse(&read(&root.join("Cargo.toml"))?);
    let mut cargo_toml =
        manifest::standalone(&read(&source.join("Cargo.toml"))?, &source, &inherited)
            .with_context(|| format!("cannot make {GENERATED}/Cargo.toml standalone"))?;
    if let Platforms::Replaced { platform, files } = platforms {
        cargo_toml =
            manifest::with_platform_features(&cargo_toml, &real, std::slice::from_ref(platform));
        write_files(dest, files)?;
        let lib = lib_rs_for(&read(&source.join("src/lib.rs"))?, platform)?;
        write_if_changed(&dest.join("src/lib.rs"), &lib)?;
    }
    write_if_changed(&dest.join("Cargo.toml"), &cargo_toml)?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        write_if_changed(&dest.join("Cargo.lock"), &read(&lock)?)?;
    }
    Ok(())
}

/// Writes generator output into the copy, touching only files whose contents change.
pub(super) fn write_files(dest: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    for (path, contents) in files {
        write_if_changed(&dest.join(path), contents)?;
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

/// Lines of the hand-written Rust every copy compiles: `src/lib.rs` and `src/runtime/`.
pub(super) fn handwritten_lines(root: &Path) -> Result<usize> {
    let src = root.join(GENERATED).join("src");
    let mut files = vec![src.join("lib.rs")];
    collect_rs(&src.join("runtime"), &mut files)?;
    let mut lines = 0;
    for file in files {
        lines += read(&file)?.lines().count();
    }
    Ok(lines)
}

/// The module names of the checked-in platforms, which are also their feature names.
pub(super) fn real_platforms(root: &Path) -> Result<Vec<String>> {
    let api = codegen::check(&crate::read_specs(root, "specs")?)
        .map_err(|diagnostics| anyhow!("specs/ does not validate:\n{diagnostics}"))?;
    Ok(api.platforms.into_iter().map(|p| p.module).collect())
}

/// The checked-in `lib.rs` up to its runtime module, then only `platform`'s module, declared
/// the way the checked-in platforms are.
fn lib_rs_for(checked_in: &str, platform: &str) -> Result<String> {
    const RUNTIME: &str = "pub mod runtime;";
    let end = checked_in
        .find(RUNTIME)
        .ok_or_else(|| anyhow!("{GENERATED}/src/lib.rs has no `{RUNTIME}` line"))?
        + RUNTIME.len();
    Ok(format!(
        "{}\n\n#[cfg(feature = \"{platform}\")]\n#[rustfmt::skip]\npub mod {platform};\n",
        &checked_in[..end]
    ))
}

/// Copies the `.rs` files below `from` into `to`, leaving out the top-level folders in `skip`.
fn copy_sources(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    let entries =
        std::fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", from.display()))?
            .path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(name) = name else { continue };
        if path.is_dir() {
            if !skip.contains(&name.as_str()) {
                copy_sources(&path, &to.join(&name), &[])?;
            }
        } else {
            write_if_changed(&to.join(&name), &read(&path)?)?;
        }
    }
    Ok(())
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
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

    #[test]
    fn keeps_the_runtime_and_declares_one_platform() {
        let lib = "//! Docs.\n\npub mod runtime;\n\n#[cfg(feature = \"a\")]\npub mod a;\n";
        let out = lib_rs_for(lib, "synth").unwrap();
        assert_eq!(
            out,
            "//! Docs.\n\npub mod runtime;\n\n#[cfg(feature = \"synth\")]\n#[rustfmt::skip]\npub mod synth;\n"
        );
    }
}
