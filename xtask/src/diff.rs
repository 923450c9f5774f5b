//! `cargo xtask diff [BASE_REF]`: compares the specs at a git ref with the working tree and
//! reports what the change means for users of the generated crate. The comparison and the
//! rendering live in `codegen::diff`; this module reads the two versions and sets the exit
//! status.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use codegen::diff::SpecDiff;

/// The folder of the specs, relative to the workspace root.
const SPECS: &str = "specs";

/// How the report is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    #[default]
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
}

/// What `cargo xtask diff` was asked to do.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The git ref whose specs are the old version (`HEAD`, `origin/main`, a commit).
    pub base: String,
    /// How to print the report.
    pub format: Format,
    /// Fail when any change breaks users of the generated crate.
    pub fail_on_breaking: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            base: "HEAD".to_owned(),
            format: Format::Text,
            fail_on_breaking: false,
        }
    }
}

/// The outcome of a comparison, before anything is printed.
#[derive(Debug, Clone)]
pub struct DiffReport {
    /// Every change, classified.
    pub diff: SpecDiff,
    /// The report in the requested format.
    pub rendered: String,
    /// `false` when `fail_on_breaking` was asked for and a change is breaking.
    pub passed: bool,
}

/// `cargo xtask diff`: prints the report and returns whether the command passed.
pub fn run(root: &Path, options: &DiffOptions) -> Result<bool> {
    let report = compare(root, options)?;
    print!("{}", report.rendered);
    if !report.passed {
        eprintln!(
            "{} breaking change(s) since {}: explain them in the commit message, or avoid them",
            report.diff.breaking_count(),
            options.base
        );
    }
    Ok(report.passed)
}

/// Compares the specs at `options.base` with those in the working tree below `root`.
pub fn compare(root: &Path, options: &DiffOptions) -> Result<DiffReport> {
    let old_files = read_specs_at(root, &options.base)?;
    let old = codegen::check(&old_files).map_err(|diagnostics| {
        anyhow::anyhow!(
            "the specs at `{}` do not load, so there is nothing to compare with:\n{diagnostics}",
            options.base
        )
    })?;
    let new = codegen::check(&crate::read_specs(root, SPECS)?).map_err(|diagnostics| {
        anyhow::anyhow!(
            "the specs in the working tree do not load (see `cargo xtask validate`):\n{diagnostics}"
        )
    })?;
    let diff = codegen::diff::diff(&old, &new);
    let rendered = match options.format {
        Format::Text => codegen::diff::render_text(&diff, &options.base)?,
        Format::Markdown => codegen::diff::render_markdown(&diff, &options.base)?,
    };
    let passed = !(options.fail_on_breaking && diff.breaking_count() > 0);
    Ok(DiffReport {
        diff,
        rendered,
        passed,
    })
}

/// Every spec file below `specs/` at `git_ref`, with the same paths and line endings as
/// [`crate::read_specs`] gives for the working tree, so diagnostics read the same.
pub fn read_specs_at(root: &Path, git_ref: &str) -> Result<Vec<codegen::SourceFile>> {
    let commit = resolve_commit(root, git_ref)?;
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", &commit, "--", SPECS],
    )
    .with_context(|| format!("cannot list {SPECS}/ at `{git_ref}`"))?;
    let mut files = Vec::new();
    for path in listing.lines() {
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
        // `./` makes the path relative to `root`, as `ls-tree` printed it, even when the
        // workspace is a folder inside a larger repository.
        let text = git(root, &["show", &format!("{commit}:./{path}")])
            .with_context(|| format!("cannot read {path} at `{git_ref}`"))?;
        files.push(codegen::SourceFile {
            path: path.to_owned(),
            text: text.replace("\r\n", "\n"),
        });
    }
    if files.is_empty() {
        bail!("there are no specs in {SPECS}/ at `{git_ref}`");
    }
    Ok(files)
}

/// The commit `git_ref` names. Resolving first gives a clear error for a misspelt ref, and
/// keeps a ref that starts with `-` from being read as an option.
fn resolve_commit(root: &Path, git_ref: &str) -> Result<String> {
    if git_ref.starts_with('-') {
        bail!("`{git_ref}` is not a git ref");
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{git_ref}^{{commit}}"),
        ],
    )
    .with_context(|| format!("`{git_ref}` does not name a commit in {}", root.display()))?;
    Ok(commit.trim().to_owned())
}

/// Runs git in `root` and returns its standard output, which must be UTF-8.
fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = match stderr.trim() {
            "" => output.status.to_string(),
            message => message.to_owned(),
        };
        bail!("`git {}` failed: {reason}", args.join(" "));
    }
    String::from_utf8(output.stdout)
        .map_err(|err| anyhow::anyhow!("`git {}` printed non-UTF-8 text: {err}", args.join(" ")))
}
