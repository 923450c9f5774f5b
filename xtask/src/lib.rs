//! The work behind `cargo xtask`, as a library so that tests run the same code paths as the
//! command line: reading specs from disk, and the one write/check gate for `generated/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The workspace root, from this crate's manifest directory rather than the working directory.
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A spec folder and the folder its generated files go to, relative to the workspace root.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub specs: &'static str,
    pub out: &'static str,
}

/// Everything `cargo xtask codegen` owns: the product, and the test fixture crate whose
/// generated code is compiled by the tests crate (it exercises constructs the real specs do
/// not use yet, such as path and header parameters).
pub const TARGETS: &[Target] = &[
    Target {
        specs: "specs",
        out: "generated",
    },
    Target {
        specs: "tests/fixtures/kitchen_sink/specs",
        out: "tests/fixtures/kitchen_sink/out",
    },
];

/// `cargo xtask validate`: checks every target's specs and prints every problem. Returns
/// `false` when a spec is wrong.
pub fn validate(root: &Path) -> Result<bool> {
    let mut ok = true;
    for target in TARGETS {
        let files = read_specs(root, target.specs)?;
        match codegen::check(&files) {
            Ok(api) => {
                let operations: usize = api
                    .platforms
                    .iter()
                    .flat_map(|p| &p.groups)
                    .map(|g| g.operations.len())
                    .sum();
                println!(
                    "{}/ is valid: {} platform(s), {operations} operation(s)",
                    target.specs,
                    api.platforms.len()
                );
            }
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                ok = false;
            }
        }
    }
    Ok(ok)
}

/// Fresh output of one target, keyed by path relative to its `out` folder.
pub type Output = (&'static Target, BTreeMap<String, String>);

/// Generates every target in memory. The outer error is an I/O or generator failure; the
/// inner one lists every problem in the specs.
pub fn generate_all(root: &Path) -> Result<Result<Vec<Output>, codegen::Diagnostics>> {
    let mut outputs = Vec::new();
    for target in TARGETS {
        let files = read_specs(root, target.specs)?;
        match codegen::generate(&files, &codegen::Options::default()) {
            Ok(generated) => outputs.push((target, generated)),
            Err(codegen::Error::Specs(diagnostics)) => return Ok(Err(diagnostics)),
            Err(err) => return Err(err.into()),
        }
    }
    Ok(Ok(outputs))
}

/// Every file that differs from fresh output, as `<out>/<path>` with what is wrong with it.
pub fn stale_files(root: &Path, outputs: &[Output]) -> Result<Vec<(String, Change)>> {
    let mut stale = Vec::new();
    for (target, generated) in outputs {
        for (path, change) in plan(&root.join(target.out), generated)? {
            stale.push((format!("{}/{path}", target.out), change));
        }
    }
    Ok(stale)
}

/// `cargo xtask codegen [--check]`. Generates every target in memory first, so that a broken
/// spec leaves every output folder untouched; then writes (or, with `check`, only compares).
/// Returns `false` when a spec is wrong or, in check mode, when a file is stale.
pub fn codegen(root: &Path, check: bool) -> Result<bool> {
    let outputs = match generate_all(root)? {
        Ok(outputs) => outputs,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("nothing was written");
            return Ok(false);
        }
    };
    let stale = stale_files(root, &outputs)?;
    if check {
        for (path, change) in &stale {
            eprintln!("{path} is {change}");
        }
        if !stale.is_empty() {
            eprintln!(
                "{} stale file(s): run `cargo xtask codegen` and commit",
                stale.len()
            );
        }
        return Ok(stale.is_empty());
    }
    for (target, generated) in &outputs {
        let out_dir = root.join(target.out);
        write(&out_dir, generated, &plan(&out_dir, generated)?)?;
    }
    for (path, change) in &stale {
        println!("{change}: {path}");
    }
    if stale.is_empty() {
        println!("generated files are up to date");
    }
    Ok(true)
}

fn write(
    out_dir: &Path,
    generated: &BTreeMap<String, String>,
    plan: &BTreeMap<String, Change>,
) -> Result<()> {
    for (path, change) in plan {
        let target = out_dir.join(path);
        match (change, generated.get(path)) {
            (Change::Stale | Change::Missing, Some(contents)) => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&target, contents)
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
            (Change::NoLongerGenerated, _) => {
                std::fs::remove_file(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
            }
            (Change::Stale | Change::Missing, None) => {}
        }
    }
    Ok(())
}

/// What would change on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The file exists with other contents.
    Stale,
    /// The file does not exist.
    Missing,
    /// An owned file (it has the `@generated` header) that the specs no longer produce.
    NoLongerGenerated,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Change::Stale => "stale",
            Change::Missing => "missing",
            Change::NoLongerGenerated => "no longer generated",
        })
    }
}

/// Compares fresh output with the disk: changed and missing files, and owned files (those
/// with the `@generated` header) that are no longer produced.
pub fn plan(
    out_dir: &Path,
    generated: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Change>> {
    let mut plan = BTreeMap::new();
    for (path, contents) in generated {
        match std::fs::read_to_string(out_dir.join(path)) {
            Ok(existing) if normalize(&existing) == *contents => {}
            Ok(_) => {
                plan.insert(path.clone(), Change::Stale);
            }
            Err(_) => {
                plan.insert(path.clone(), Change::Missing);
            }
        }
    }
    for path in files_under(out_dir, out_dir)? {
        if generated.contains_key(&path) {
            continue;
        }
        let contents = std::fs::read_to_string(out_dir.join(&path)).unwrap_or_default();
        if codegen::is_generated(&contents) {
            plan.insert(path, Change::NoLongerGenerated);
        }
    }
    Ok(plan)
}

fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Every spec file below `root/specs_dir`, with paths relative to `root` and `/` separators.
pub fn read_specs(root: &Path, specs_dir: &str) -> Result<Vec<codegen::SourceFile>> {
    let specs = root.join(specs_dir);
    let mut files = Vec::new();
    for path in files_under(&specs, &specs)? {
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
        let full = specs.join(&path);
        let bytes =
            std::fs::read(&full).with_context(|| format!("cannot read {}", full.display()))?;
        let text = String::from_utf8(bytes).map_err(|err| {
            anyhow::anyhow!(
                "{specs_dir}/{path} is not UTF-8 (first bad byte at offset {})",
                err.utf8_error().valid_up_to()
            )
        })?;
        files.push(codegen::SourceFile {
            path: format!("{specs_dir}/{path}"),
            text: normalize(&text),
        });
    }
    Ok(files)
}

/// Relative paths of the files below `dir`, sorted, skipping `target` folders.
fn files_under(dir: &Path, base: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
    };
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                out.extend(files_under(&path, base)?);
            }
        } else if let Ok(relative) = path.strip_prefix(base) {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    out.sort();
    Ok(out)
}
