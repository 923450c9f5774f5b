//! Turns the YAML API specs in `specs/` into the Rust client crate in `generated/`.
//!
//! The pipeline, one direction: a [`SourceFile`] (path and text) -> [`load`] (YAML -> [`spec`]
//! structs with source positions) -> [`validate`] (every error at once, resolved into the
//! [`ir`], whose type table and derived facts are decided there) -> `emit` (IR -> file
//! contents, as lists of pieces for Rust). Loading, lowering and emitting work on several
//! threads through one parallel map (`parallel`). The library does no disk I/O: callers hand
//! it file contents and get file contents back; `xtask` does the reading and writing.

#![deny(missing_docs)]

pub mod diagnostics;
pub mod diff;
mod emit;
pub mod ir;
pub mod load;
pub mod names;
pub mod openapi;
mod parallel;
mod source;
pub mod spec;
pub mod validate;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use emit::EmitError;
pub use source::{NotUtf8, SourceFile};

/// What can stop a generation run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The specs are wrong; every problem found is listed.
    #[error("{0}")]
    Specs(Diagnostics),
    /// The generator produced something invalid; a bug to report.
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// Generation options.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Gate each API group behind a cargo feature `<platform>-<group>` (declared by the
    /// generated `Cargo.toml`), so that users compile only the groups they use. Off for crates
    /// that compile generated code without such features (the test fixtures).
    pub group_features: bool,
    /// Emit the crate's own `Cargo.toml` and `src/lib.rs` beside the platform modules, so that
    /// the output folder is a whole crate (the product and its benchmark copies). Needs
    /// `group_features`, which the manifest declares.
    pub crate_root: bool,
}

impl Options {
    /// Options with group features on.
    pub fn with_group_features(mut self) -> Self {
        self.group_features = true;
        self
    }

    /// Options for a whole crate: group features, `Cargo.toml` and `src/lib.rs`.
    pub fn with_crate_root(mut self) -> Self {
        self.group_features = true;
        self.crate_root = true;
        self
    }
}

/// Loads and validates specs without emitting anything (`cargo xtask validate`).
pub fn check(files: &[SourceFile]) -> Result<ir::Api, Diagnostics> {
    let specs = load::load(files)?;
    validate::validate(&specs)
}

/// Checks that the committed copy of every document named in a service file's `sources` is
/// there. The library reads no files: `exists` answers for a path relative to the workspace
/// root (`specs/dingtalk/sources/003_server_api.txt`), the way `cargo xtask` reads
/// specs. A path that `validate` rejects is left to its diagnostic. `api` is what the same
/// files resolved to: the specs are parsed again only to locate a missing document.
pub fn check_source_documents(
    files: &[SourceFile],
    api: &ir::Api,
    exists: &dyn Fn(&str) -> bool,
) -> Result<(), Diagnostics> {
    let all_there = api.platforms.iter().all(|platform| {
        let dir = platform
            .spec_file
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir);
        platform
            .sources
            .iter()
            .all(|source| exists(&format!("{dir}/{}", source.file)))
    });
    if all_there {
        return Ok(());
    }
    let specs = load::load(files)?;
    let mut diagnostics = Diagnostics::default();
    for platform in &specs.platforms {
        let service = &platform.service;
        for (i, source) in service.spec.sources.iter().enumerate() {
            let path = format!("{}/{}", platform.dir, source.file);
            if validate::source_file_problem(&source.file).is_none() && !exists(&path) {
                let location = service.locate(&format!("sources[{i}].file"));
                let message = format!("source document `{}` is missing", source.file);
                diagnostics.push(Diagnostic::new(location, message).with_help(format!(
                    "commit the document as `{path}`, or correct the path (it is relative to `{}/`)",
                    platform.dir
                )));
            }
        }
    }
    diagnostics.into_result(())
}

/// What a generation run produces: the IR the specs resolved to, and the files emitted from
/// it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The checked specs, for callers that report on them (coverage, counts) without
    /// validating twice.
    pub api: ir::Api,
    /// Every owned file of the output folder, keyed by path relative to it.
    pub files: BTreeMap<String, String>,
}

/// Generates every owned file of `generated/`, with the IR it was emitted from.
pub fn generate(files: &[SourceFile], options: &Options) -> Result<Generated, Error> {
    generate_timed(files, options).map(|(generated, _)| generated)
}

/// Where the time of a generation went, stage by stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parsing YAML into spec structs, wall-clock (files are parsed on several threads). The
    /// position index is not part of it: it is built only for files that have a diagnostic.
    pub load: Duration,
    /// Checking and resolving into the IR, wall-clock (groups are lowered on several threads).
    pub validate: Duration,
    /// Emitting every file, wall-clock (files are built on several threads).
    pub emit: Duration,
    /// Of `emit`, building token streams and rendering templates, summed over threads.
    pub build_cpu: Duration,
    /// Of `emit`, parsing and printing Rust (`syn` + `prettyplease`), summed over threads.
    pub format_cpu: Duration,
}

/// [`generate`], with the time each stage took.
pub fn generate_timed(
    files: &[SourceFile],
    options: &Options,
) -> Result<(Generated, Timings), Error> {
    let started = Instant::now();
    let specs = load::load(files).map_err(Error::Specs)?;
    let load = started.elapsed();
    let started = Instant::now();
    let api = validate::validate(&specs).map_err(Error::Specs)?;
    let validate = started.elapsed();
    let started = Instant::now();
    let (files, times) = emit::emit_timed(&api, options.group_features, options.crate_root)?;
    let emit = started.elapsed();
    let timings = Timings {
        load,
        validate,
        emit,
        build_cpu: times.build,
        format_cpu: times.format,
    };
    Ok((Generated { api, files }, timings))
}

/// The README's coverage table per platform, in Markdown, from the IR of a generation run.
/// `tested(platform, group, method)` says whether a test calls an operation's method; finding
/// that out is the caller's business.
pub fn coverage_table(
    api: &ir::Api,
    tested: &dyn Fn(&str, &str, &str) -> bool,
) -> Result<String, EmitError> {
    emit::coverage(api, tested)
}

/// Whether a file's contents mark it as owned by the generator.
pub fn is_generated(contents: &str) -> bool {
    contents
        .lines()
        .next()
        .is_some_and(|line| line.contains("@generated by `cargo xtask codegen`"))
}
