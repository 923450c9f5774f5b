//! IR -> file contents. Every emitter reads only the IR; nothing here touches the disk.
//!
//! Each Rust file is built and formatted on its own thread: `syn` parsing dominates the cost
//! and grows faster than linearly on one huge token stream, and a `TokenStream` is not `Send`,
//! so a file's tokens never leave the thread that formats it.

mod docs;
mod enums;
mod examples;
mod fields;
mod group;
mod models;
mod operations;
mod pagination;
mod platform;
mod rust;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use crate::ir;

pub use docs::Coverage;

/// The reason an emitter failed; this is a bug in the generator, not in the specs.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Generated Rust code does not parse.
    #[error("generated code for `{path}` does not parse (a generator bug): {source}")]
    Syntax {
        /// The generated file, relative to `generated/`.
        path: String,
        /// The parser's error.
        #[source]
        source: syn::Error,
    },
    /// A Markdown template failed to render.
    #[error("cannot render `{path}` (a generator bug): {source}")]
    Template {
        /// The generated file, relative to `generated/`.
        path: String,
        /// The template engine's error.
        #[source]
        source: minijinja::Error,
    },
}

/// A file to produce: Rust built from the IR, or a rendered Markdown page.
enum Job<'a> {
    PlatformModule(&'a ir::Platform),
    Group(&'a ir::Platform, &'a ir::Group),
    PlatformDoc(&'a ir::Platform),
}

/// The coverage table of the README; see [`docs::emit_coverage`].
pub fn coverage(
    api: &ir::Api,
    status: &dyn Fn(&str, &str, &str) -> Coverage,
) -> Result<String, EmitError> {
    docs::emit_coverage(api, status).map_err(|source| EmitError::Template {
        path: "README.md".to_owned(),
        source,
    })
}

/// Every generated file, keyed by its path relative to `generated/`.
pub fn emit(api: &ir::Api) -> Result<BTreeMap<String, String>, EmitError> {
    let mut jobs = Vec::new();
    for platform in &api.platforms {
        jobs.push((
            format!("src/{}/mod.rs", platform.module),
            Job::PlatformModule(platform),
        ));
        for group in &platform.groups {
            jobs.push((
                format!("src/{}/{}.rs", platform.module, group.module),
                Job::Group(platform, group),
            ));
        }
        jobs.push((
            format!("docs/{}.md", platform.module),
            Job::PlatformDoc(platform),
        ));
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len().max(1));
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Result<(String, String), EmitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(path, job)| run(path, job))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.into_iter().collect()
}

fn run(path: &str, job: &Job<'_>) -> Result<(String, String), EmitError> {
    let syntax = |source| EmitError::Syntax {
        path: path.to_owned(),
        source,
    };
    let contents = match job {
        Job::PlatformModule(platform) => {
            rust::format_file(&platform.spec_file, platform::emit_platform(platform))
                .map_err(syntax)?
        }
        Job::Group(platform, group) => {
            let limited = limited_models(platform);
            let is_limited = |name: &str| limited.contains(name);
            rust::format_file(
                &group.spec_file,
                group::emit_group(platform, group, &is_limited),
            )
            .map_err(syntax)?
        }
        Job::PlatformDoc(platform) => {
            docs::emit_platform_doc(platform).map_err(|source| EmitError::Template {
                path: path.to_owned(),
                source,
            })?
        }
    };
    Ok((path.to_owned(), contents))
}

/// Models and unions whose `validate()` has something to check.
fn limited_models(platform: &ir::Platform) -> BTreeSet<String> {
    let models = platform
        .groups
        .iter()
        .flat_map(|g| &g.models)
        .filter(|m| m.has_limits)
        .map(|m| m.name.clone());
    let unions = platform
        .groups
        .iter()
        .flat_map(|g| &g.unions)
        .filter(|u| u.has_limits)
        .map(|u| u.name.clone());
    models.chain(unions).collect()
}
