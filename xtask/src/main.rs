//! `cargo xtask`: the project's commands, a thin clap front over the `codegen` library.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Project tasks: generate the client crate from specs/")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/ from specs/.
    Codegen {
        /// Write nothing; fail and name every stale file if generated/ is not up to date.
        #[arg(long)]
        check: bool,
    },
    /// Check the specs and report every problem, without writing anything.
    Validate,
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<ExitCode> {
    let root = project_root();
    match Cli::parse().command {
        Command::Codegen { check } => codegen(&root, check),
        Command::Validate => validate(&root),
    }
}

/// The workspace root, from this crate's manifest directory rather than the working directory.
fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn validate(root: &Path) -> Result<ExitCode> {
    let files = read_specs(root)?;
    match codegen::check(&files) {
        Ok(api) => {
            let operations: usize = api
                .platforms
                .iter()
                .flat_map(|p| &p.groups)
                .map(|g| g.operations.len())
                .sum();
            println!(
                "specs are valid: {} platform(s), {operations} operation(s)",
                api.platforms.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn codegen(root: &Path, check: bool) -> Result<ExitCode> {
    let files = read_specs(root)?;
    // Everything is generated in memory first, so a failure leaves generated/ untouched.
    let generated = match codegen::generate(&files, &codegen::Options::default()) {
        Ok(generated) => generated,
        Err(codegen::Error::Specs(diagnostics)) => {
            eprintln!("{diagnostics}");
            eprintln!("generated/ was left untouched");
            return Ok(ExitCode::FAILURE);
        }
        Err(err) => return Err(err.into()),
    };
    let out_dir = root.join("generated");
    let plan = plan(&out_dir, &generated)?;
    if check {
        if plan.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for (path, change) in &plan {
            eprintln!("generated/{path} is {change}");
        }
        eprintln!(
            "{} stale file(s): run `cargo xtask codegen` and commit",
            plan.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    for (path, change) in &plan {
        let target = out_dir.join(path);
        match change {
            Change::Stale | Change::Missing => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&target, &generated[path])
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
            Change::NoLongerGenerated => {
                std::fs::remove_file(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
            }
        }
        println!("{change}: generated/{path}");
    }
    if plan.is_empty() {
        println!("generated/ is up to date");
    }
    Ok(ExitCode::SUCCESS)
}

/// What would change on disk.
#[derive(Debug, Clone, Copy)]
enum Change {
    Stale,
    Missing,
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
fn plan(out_dir: &Path, generated: &BTreeMap<String, String>) -> Result<BTreeMap<String, Change>> {
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

/// Every spec file, with paths relative to the root and `/` separators.
fn read_specs(root: &Path) -> Result<Vec<codegen::SourceFile>> {
    let specs = root.join("specs");
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
                "specs/{path} is not UTF-8 (first bad byte at offset {})",
                err.utf8_error().valid_up_to()
            )
        })?;
        files.push(codegen::SourceFile {
            path: format!("specs/{path}"),
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
