//! IR -> file contents. Every emitter reads only the IR; nothing here touches the disk.
//!
//! Each Rust file is built and formatted on its own thread: `syn` parsing dominates the cost
//! and grows faster than linearly on one huge token stream, and a `TokenStream` is not `Send`,
//! so a file's tokens never leave the thread that formats it.

mod crate_root;
mod docs;
mod enums;
mod examples;
mod features;
mod fields;
mod group;
mod models;
mod operations;
mod pagination;
mod platform;
mod rust;
mod unions;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
    CrateLib(&'a ir::Api),
    Manifest(&'a ir::Api),
    PlatformModule(&'a ir::Platform, bool),
    Group(&'a ir::Platform, &'a ir::Group, &'a PlatformIndex<'a>),
    PlatformDoc(&'a ir::Platform),
}

/// Whole-platform lookups that group files need, computed once per platform rather than once
/// per file (per file they made generation quadratic in the number of groups).
struct PlatformIndex<'a> {
    /// Models and unions whose `validate()` checks something.
    limited: BTreeSet<String>,
    /// Every model by name, for the example responses.
    models: BTreeMap<&'a str, &'a ir::Model>,
    /// Models that a field reads with `lenient: object_or_list` (they implement
    /// `rt::lenient::ListMember`).
    list_members: BTreeSet<String>,
}

/// Where the time of an emit went, summed over the worker threads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmitTimes {
    /// Building token streams and rendering templates.
    pub build: Duration,
    /// Parsing the token streams with `syn` and printing them with `prettyplease`.
    pub format: Duration,
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

/// Every generated file, keyed by its path relative to `generated/`, with the time spent
/// building and formatting. With `crate_root`, also the crate's `Cargo.toml` and
/// `src/lib.rs` (which gate each group behind its feature, so `group_features` must be on).
pub fn emit_timed(
    api: &ir::Api,
    group_features: bool,
    crate_root: bool,
) -> Result<(BTreeMap<String, String>, EmitTimes), EmitError> {
    let indexes: Vec<PlatformIndex<'_>> = api
        .platforms
        .iter()
        .map(|platform| PlatformIndex {
            limited: limited_models(platform),
            models: examples::models_by_name(platform),
            list_members: list_member_models(platform),
        })
        .collect();
    // The reference pages come first: each is one job per platform, the largest of all, and
    // started last it would leave one thread finishing alone.
    let mut jobs = Vec::new();
    if crate_root {
        jobs.push(("Cargo.toml".to_owned(), Job::Manifest(api)));
        jobs.push(("src/lib.rs".to_owned(), Job::CrateLib(api)));
    }
    for platform in &api.platforms {
        jobs.push((
            format!("docs/{}.md", platform.module),
            Job::PlatformDoc(platform),
        ));
    }
    for (platform, index) in api.platforms.iter().zip(&indexes) {
        jobs.push((
            format!("src/{}/mod.rs", platform.module),
            Job::PlatformModule(platform, group_features),
        ));
        for group in &platform.groups {
            let path = format!("src/{}/{}.rs", platform.module, group.module);
            jobs.push((path, Job::Group(platform, group, index)));
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len().max(1));
    // Each worker takes the next job not yet taken, so that a thread that drew large groups
    // does not hold up one that is done.
    let next = AtomicUsize::new(0);
    let results: Vec<Result<(String, String, EmitTimes), EmitError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let (jobs, next) = (&jobs, &next);
                    scope.spawn(move || {
                        std::iter::from_fn(|| jobs.get(next.fetch_add(1, Ordering::Relaxed)))
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
    let mut files = BTreeMap::new();
    let mut times = EmitTimes::default();
    for result in results {
        let (path, contents, spent) = result?;
        times.build += spent.build;
        times.format += spent.format;
        files.insert(path, contents);
    }
    Ok((files, times))
}

fn run(path: &str, job: &Job<'_>) -> Result<(String, String, EmitTimes), EmitError> {
    let syntax = |source| EmitError::Syntax {
        path: path.to_owned(),
        source,
    };
    let started = Instant::now();
    rust::clear_verbatim();
    let spec_root;
    let (spec_file, tokens) = match job {
        Job::CrateLib(api) => {
            spec_root = format!("{}/", crate_root::spec_root(api));
            (&spec_root, crate_root::emit_lib(api))
        }
        Job::Manifest(api) => {
            let manifest =
                crate_root::emit_manifest(api, &crate_root::spec_root(api)).map_err(|source| {
                    EmitError::Template {
                        path: path.to_owned(),
                        source,
                    }
                })?;
            let times = EmitTimes {
                build: started.elapsed(),
                format: Duration::ZERO,
            };
            return Ok((path.to_owned(), manifest, times));
        }
        Job::PlatformModule(platform, group_features) => (
            &platform.spec_file,
            platform::emit_platform(platform, *group_features),
        ),
        Job::Group(platform, group, index) => {
            let is_limited = |name: &str| index.limited.contains(name);
            let is_list_member = |name: &str| index.list_members.contains(name);
            (
                &group.spec_file,
                group::emit_group(platform, group, &is_limited, &is_list_member, &index.models),
            )
        }
        Job::PlatformDoc(platform) => {
            let page = docs::emit_platform_doc(platform).map_err(|source| EmitError::Template {
                path: path.to_owned(),
                source,
            })?;
            let times = EmitTimes {
                build: started.elapsed(),
                format: Duration::ZERO,
            };
            return Ok((path.to_owned(), page, times));
        }
    };
    let build = started.elapsed();
    let started = Instant::now();
    let contents = rust::format_file(spec_file, tokens).map_err(syntax)?;
    Ok((
        path.to_owned(),
        contents,
        EmitTimes {
            build,
            format: started.elapsed(),
        },
    ))
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

/// Models that some field reads with `lenient: object_or_list`, wherever the field is.
fn list_member_models(platform: &ir::Platform) -> BTreeSet<String> {
    let groups = &platform.groups;
    let params = groups
        .iter()
        .flat_map(|g| &g.operations)
        .flat_map(|op| op.params.iter().map(|p| &p.field).chain(&op.response));
    let members = groups
        .iter()
        .flat_map(|g| &g.models)
        .flat_map(|m| &m.fields);
    params
        .chain(members)
        .filter(|f| f.lenient == Some(ir::Lenient::ObjectOrList))
        .filter_map(|f| match &f.ty {
            ir::Type::Model(r) => Some(r.name.clone()),
            _ => None,
        })
        .collect()
}
