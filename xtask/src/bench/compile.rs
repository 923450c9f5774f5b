//! Compile-time figures of generated crates: ours and progenitor's, from the same specs.
//!
//! Every crate is built on its own under `target/bench/` with its own target folder, so that
//! nothing in the workspace (feature unification, a shared lock, other members) changes what
//! is measured. Each figure is about the crate alone: its dependencies are built first, then
//! its own artifacts are removed and it is built again (cold, the median of [`COLD_RUNS`]
//! builds), then one field is added to one spec, the code regenerated and the crate rebuilt
//! once (incremental, the dev profile's default).

mod cargo;
pub mod features;
mod manifest;
mod ours;
mod progenitor;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};

use cargo::{write_if_changed, Project, Timed};
use ours::Platforms;

/// Cold builds per crate; the median is reported.
pub const COLD_RUNS: usize = 3;

/// How many operations the synthetic rows have.
pub const SYNTH_OPERATIONS: usize = 1000;

/// The progenitor release the baseline row is built with.
pub const PROGENITOR_VERSION: &str = progenitor::VERSION;

/// One measured crate.
#[derive(Debug, Clone)]
pub struct CompileRow {
    /// What was compiled (`ours, real specs`, `ours, N = 1000`, `progenitor, N = 1000`).
    pub label: String,
    /// Cold build of the crate alone, dependencies already built, in seconds (median).
    pub cold_s: f64,
    /// Rebuild after a one-field change to one spec, in seconds.
    pub incremental_s: Option<f64>,
    /// Peak memory of the compiler while building the crate cold, in MiB (median).
    pub peak_mib: Option<f64>,
    /// Lines of the crate's generated Rust.
    pub lines: usize,
    /// Lines of hand-written Rust compiled with the generated code in the same crate: our
    /// runtime and `lib.rs`; 0 for progenitor, whose runtime is the `progenitor-client`
    /// dependency.
    pub handwritten_lines: usize,
    /// Wall time of generating the crate's code from its specs, in seconds (median of
    /// [`super::RUNS`]): our generator in-process, progenitor as a program built with the same
    /// profile as xtask (timed from reading the OpenAPI document to holding the formatted
    /// code).
    pub generate_s: Option<f64>,
}

/// Measures the compile rows: ours on the real specs, ours and progenitor on
/// [`SYNTH_OPERATIONS`] synthetic operations. Takes minutes: the first run downloads and
/// builds every dependency, later runs reuse them.
pub fn measure(root: &Path) -> Result<Vec<CompileRow>> {
    let bench = root.join("target/bench");
    let real = crate::read_specs(root, "specs")?;
    let synth = crate::synth::specs(SYNTH_OPERATIONS);
    if synth.is_empty() {
        bail!("xtask::synth::specs({SYNTH_OPERATIONS}) returned no spec files");
    }
    let rows = vec![
        measure_ours(root, &bench, "ours, real specs", "ours-real", &real, false)
            .context("cannot measure our crate on the real specs")?,
        measure_ours(
            root,
            &bench,
            &format!("ours, N = {SYNTH_OPERATIONS}"),
            "ours-synth",
            &synth,
            true,
        )
        .context("cannot measure our crate on the synthetic specs")?,
        measure_progenitor(&bench, &synth).context("cannot measure progenitor's crate")?,
    ];
    for row in &rows {
        progress(&row.label, &row.summary());
    }
    Ok(rows)
}

impl CompileRow {
    /// Every figure of the row on one line, for the progress output.
    pub fn summary(&self) -> String {
        let seconds = |s: Option<f64>| s.map_or("-".to_owned(), |s| format!("{s:.2} s"));
        let peak = self
            .peak_mib
            .map_or("-".to_owned(), |m| format!("{m:.0} MiB"));
        format!(
            "cold {:.2} s, incremental {}, peak {peak}, {} generated + {} hand-written lines, generated in {}",
            self.cold_s,
            seconds(self.incremental_s),
            self.lines,
            self.handwritten_lines,
            seconds(self.generate_s)
        )
    }
}

/// Our generated crate for `specs`: the checked-in crate when `replace` is false, else the
/// crate the generator writes for `specs` (which must hold one platform).
fn measure_ours(
    root: &Path,
    bench: &Path,
    label: &str,
    name: &str,
    specs: &[codegen::SourceFile],
    replace: bool,
) -> Result<CompileRow> {
    progress(label, "generating");
    let (files, generate_s) = median_of_runs(|| generate(specs))?;
    let platforms = if replace {
        single_platform(&files)?;
        Platforms::Generated(files.clone())
    } else {
        Platforms::CheckedIn
    };
    let subject = Subject {
        project: Project {
            dir: bench.join(name),
            target_dir: bench.join(format!("target-{name}")),
            build_args: Vec::new(),
        },
        package: ours::PACKAGE,
    };
    ours::stage(root, &subject.project.dir, &platforms)?;
    let cold = subject.cold(label)?;

    let (edited, what) = ours::add_optional_field(specs)?;
    progress(
        label,
        &format!("incremental build after one change ({what})"),
    );
    let (edited_files, _) = generate(&edited)?;
    ours::write_files(&subject.project.dir, &edited_files)?;
    let incremental = subject.project.timed_build()?;

    Ok(CompileRow {
        label: label.to_owned(),
        cold_s: cold.seconds,
        incremental_s: Some(incremental.seconds),
        peak_mib: cold.peak_mib,
        lines: ours::generated_lines(&files),
        handwritten_lines: ours::handwritten_lines(root)?,
        generate_s: Some(generate_s),
    })
}

/// progenitor's client of the synthetic specs, through our OpenAPI export.
fn measure_progenitor(bench: &Path, specs: &[codegen::SourceFile]) -> Result<CompileRow> {
    let label = format!("progenitor, N = {SYNTH_OPERATIONS}");
    progress(&label, &format!("building progenitor {PROGENITOR_VERSION}"));
    let gen_dir = bench.join("progenitor-gen");
    let generator = progenitor::Generator::build(&gen_dir, &bench.join("target-progenitor-gen"))?;

    let (document, simplified) = progenitor::document(specs)?;
    let operations = progenitor::operation_count(&document);
    progress(&label, &format!("generating {operations} operation(s)"));
    let spec = write_json(&gen_dir.join("synth.json"), &document)?;
    let (code, generate_s) = median_of_runs(|| {
        let generated = generator.generate(&spec)?;
        Ok((generated.code, generated.seconds))
    })?;

    let subject = Subject {
        project: Project {
            dir: bench.join("progenitor-client"),
            target_dir: bench.join("target-progenitor-client"),
            build_args: Vec::new(),
        },
        package: progenitor::CLIENT_PACKAGE,
    };
    let lib = subject.project.dir.join("src/lib.rs");
    write_if_changed(
        &subject.project.dir.join("Cargo.toml"),
        &progenitor::client_manifest(&code),
    )?;
    write_if_changed(&lib, &code)?;
    let cold = subject.cold(&label)?;

    // The same one-field change as ours, through the same export.
    let (edited, what) = ours::add_optional_field(specs)?;
    progress(
        &label,
        &format!("incremental build after one change ({what})"),
    );
    let (edited_document, _) = progenitor::document(&edited)?;
    let edited_code = generator
        .generate(&write_json(
            &gen_dir.join("synth-edited.json"),
            &edited_document,
        )?)?
        .code;
    write_if_changed(&lib, &edited_code)?;
    let incremental = subject.project.timed_build()?;

    let mut label = label;
    if !simplified.is_empty() {
        label.push_str(&format!(" ({})", simplified.join("; ")));
    }
    Ok(CompileRow {
        label,
        cold_s: cold.seconds,
        incremental_s: Some(incremental.seconds),
        peak_mib: cold.peak_mib,
        lines: code.lines().count(),
        handwritten_lines: 0,
        generate_s: Some(generate_s),
    })
}

/// A crate whose figures are taken, and its package name.
struct Subject {
    project: Project,
    package: &'static str,
}

/// What `src/lib.rs` holds while the dependencies build: compiling the real crate there
/// would only cost time, since its artifacts are removed before the cold build.
const PLACEHOLDER_LIB: &str =
    "//! Placeholder while `cargo xtask bench` builds the dependencies.\n";

impl Subject {
    /// Builds the dependencies, then the crate alone from scratch (timed).
    /// The median of [`COLD_RUNS`] cold builds (seconds and peak memory each on its own):
    /// single cold builds of the 1,000-operation crates vary by about 15% on this machine.
    fn cold(&self, label: &str) -> Result<Timed> {
        progress(label, "building dependencies");
        self.build_dependencies()?;
        let mut seconds = Vec::with_capacity(COLD_RUNS);
        let mut peaks = Vec::with_capacity(COLD_RUNS);
        for run in 1..=COLD_RUNS {
            progress(label, &format!("cold build {run} of {COLD_RUNS}"));
            let timed = self.cold_once()?;
            seconds.push(timed.seconds);
            peaks.extend(timed.peak_mib);
        }
        Ok(Timed {
            seconds: median(&mut seconds).unwrap_or_default(),
            peak_mib: median(&mut peaks),
        })
    }

    /// The crate alone built from scratch once, its dependencies already built (timed).
    fn cold_once(&self) -> Result<Timed> {
        self.project.clean_package(self.package)?;
        self.project.timed_build()
    }

    /// `cargo build` with a placeholder `src/lib.rs`, which is put back afterwards.
    fn build_dependencies(&self) -> Result<()> {
        let lib = self.project.dir.join("src/lib.rs");
        let real = std::fs::read_to_string(&lib)
            .with_context(|| format!("cannot read {}", lib.display()))?;
        write_if_changed(&lib, PLACEHOLDER_LIB)?;
        let built = self.project.build(&[]);
        write_if_changed(&lib, &real)?;
        built
    }
}

/// The middle value (the upper one of an even count), or `None` for no values.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// Runs `run` [`super::RUNS`] times: the first run's output and the median of the seconds.
fn median_of_runs<T>(mut run: impl FnMut() -> Result<(T, f64)>) -> Result<(T, f64)> {
    let (output, first) = run()?;
    let mut seconds = vec![first];
    for _ in 1..super::RUNS {
        seconds.push(run()?.1);
    }
    Ok((output, median(&mut seconds).unwrap_or(first)))
}

/// Our generator's output for `specs` and the seconds it took.
fn generate(specs: &[codegen::SourceFile]) -> Result<(BTreeMap<String, String>, f64)> {
    let start = Instant::now();
    let options = codegen::Options::default().with_crate_root();
    let files = match codegen::generate(specs, &options) {
        Ok(generated) => generated.files,
        Err(codegen::Error::Specs(diagnostics)) => {
            bail!("the specs do not validate:\n{}", diagnostics.render(specs))
        }
        Err(err) => return Err(err.into()),
    };
    Ok((files, start.elapsed().as_secs_f64()))
}

/// The module name of the one platform in generator output (`src/<platform>/mod.rs`).
fn single_platform(files: &BTreeMap<String, String>) -> Result<String> {
    let mut platforms = files.keys().filter_map(|path| {
        path.strip_prefix("src/")?
            .strip_suffix("/mod.rs")
            .map(str::to_owned)
    });
    match (platforms.next(), platforms.next()) {
        (Some(platform), None) => Ok(platform),
        _ => Err(anyhow!(
            "the synthetic specs must hold exactly one platform"
        )),
    }
}

fn write_json(path: &Path, document: &serde_json::Value) -> Result<std::path::PathBuf> {
    write_if_changed(path, &format!("{document:#}\n"))?;
    Ok(path.to_path_buf())
}

/// Progress on stderr: the whole measurement takes minutes.
fn progress(label: &str, step: &str) {
    eprintln!("bench [{label}]: {step}");
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_is_the_middle_value() {
        assert_eq!(median(&mut [31.4, 27.6, 35.8]), Some(31.4));
        assert_eq!(median(&mut [2.0, 1.0]), Some(2.0));
        assert_eq!(median(&mut []), None);
    }
}
