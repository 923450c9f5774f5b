//! IR -> file contents. Every emitter reads only the IR; nothing here touches the disk.
//!
//! Each Rust file is built and formatted on one thread of [`parallel::map`] (the map loading
//! and lowering use too): `syn` parsing dominates the cost and grows faster than linearly on
//! one huge token stream, and a `TokenStream` is not `Send`, so a file's tokens never leave
//! the thread that formats it.

mod crate_root;
mod docs;
mod enums;
mod events;
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

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use self::rust::RustFile;
use crate::ir;
use crate::parallel;

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
    Group(&'a ir::Platform, &'a ir::Group),
    PlatformDoc(&'a ir::Platform),
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
    tested: &dyn Fn(&str, &str, &str) -> bool,
) -> Result<String, EmitError> {
    docs::emit_coverage(api, tested).map_err(|source| EmitError::Template {
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
    for platform in &api.platforms {
        jobs.push((
            format!("src/{}/mod.rs", platform.module),
            Job::PlatformModule(platform, group_features),
        ));
        for group in &platform.groups {
            let path = format!("src/{}/{}.rs", platform.module, group.module);
            jobs.push((path, Job::Group(platform, group)));
        }
    }
    let results = parallel::map(parallel::Work::Heavy, &jobs, |(path, job)| run(path, job));
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
    // Rendered text (the manifest, the reference pages) is done here; Rust goes on to be
    // formatted.
    let rendered = |text: Result<String, minijinja::Error>| {
        let text = text.map_err(|source| EmitError::Template {
            path: path.to_owned(),
            source,
        })?;
        let times = EmitTimes {
            build: started.elapsed(),
            format: Duration::ZERO,
        };
        Ok((path.to_owned(), text, times))
    };
    let spec_root;
    let (spec_file, file) = match job {
        Job::CrateLib(api) => {
            spec_root = format!("{}/", crate_root::spec_root(api));
            (&spec_root, RustFile::of(crate_root::emit_lib(api)))
        }
        Job::Manifest(api) => {
            return rendered(crate_root::emit_manifest(api, &crate_root::spec_root(api)));
        }
        Job::PlatformModule(platform, group_features) => (
            &platform.spec_file,
            RustFile::of(platform::emit_platform(platform, *group_features)),
        ),
        Job::Group(platform, group) => (&group.spec_file, group::emit_group(platform, group)),
        Job::PlatformDoc(platform) => return rendered(docs::emit_platform_doc(platform)),
    };
    let build = started.elapsed();
    let started = Instant::now();
    let contents = file.render(spec_file).map_err(syntax)?;
    Ok((
        path.to_owned(),
        contents,
        EmitTimes {
            build,
            format: started.elapsed(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::rust::{inline_texts, Piece};
    use super::*;
    use crate::SourceFile;

    /// Every spec file below `dir` (relative to the workspace root).
    fn spec_files(root: &Path, dir: &str, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("spec folder")
            .map(|entry| entry.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).expect("name");
            let relative = format!("{dir}/{name}");
            if path.is_dir() {
                spec_files(root, &relative, out);
            } else if name.ends_with(".yaml") {
                let text = std::fs::read_to_string(&path).expect("spec text");
                out.push(SourceFile {
                    path: relative,
                    text,
                });
            }
        }
    }

    /// The text pieces of a generated file are not built through `syn`; every one of them, of
    /// every kind, must still parse, in the real specs and in the kitchen-sink fixture (which
    /// uses every construct of the format).
    #[test]
    fn every_text_piece_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut kinds = BTreeMap::<&str, usize>::new();
        for dir in ["specs", "tests/fixtures/kitchen_sink/specs"] {
            let mut files = Vec::new();
            spec_files(&root, dir, &mut files);
            let specs = crate::load::load(&files).expect("specs load");
            let api = crate::validate::validate(&specs).expect("specs valid");
            for platform in &api.platforms {
                for group in &platform.groups {
                    let file = group::emit_group(platform, group);
                    let mut texts = Vec::new();
                    for piece in file.pieces() {
                        match piece {
                            Piece::Text(text) => texts.push(text.clone()),
                            Piece::Tokens(tokens) => inline_texts(tokens, &mut texts),
                        }
                    }
                    for text in texts {
                        if let Err(err) = syn::parse_file(&text) {
                            panic!(
                                "{}: a text piece does not parse: {err}\n{text}",
                                group.spec_file
                            );
                        }
                        let kind = [
                            "rt::builder!",
                            "rt::client!",
                            "pub mod examples",
                            "pub struct",
                            "const OPERATION",
                        ]
                        .into_iter()
                        .find(|kind| text.contains(kind))
                        .unwrap_or("other");
                        *kinds.entry(kind).or_default() += 1;
                    }
                }
            }
        }
        // Each kind of text piece occurs, so none goes unchecked.
        for kind in [
            "rt::builder!",
            "rt::client!",
            "pub mod examples",
            "pub struct",
            "const OPERATION",
        ] {
            assert!(
                kinds.get(kind).is_some_and(|n| *n > 0),
                "no {kind} piece: {kinds:?}"
            );
        }
        assert_eq!(kinds.get("other"), None, "{kinds:?}");
    }
}
