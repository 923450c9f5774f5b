//! `cargo xtask bench`: one table of generation time, generated size, compile time and
//! runtime cost, each against a baseline measured in the same run.

mod compile;
mod figures;
mod instructions;
mod runtime;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use figures::{exponent, rust_size, seconds};

/// What to measure.
#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    /// Skip the compile-time measurements.
    pub skip_compile: bool,
    /// Skip the runtime measurements.
    pub skip_runtime: bool,
    /// Measure only the per-feature compile times (before and after), nothing else.
    pub features_only: bool,
    /// Measure only the per-call cost of the token store and the rate budget.
    pub fleet_only: bool,
    /// Measure only the runtime suite against hand-written code.
    pub runtime_only: bool,
    /// Count only the runtime suite's instructions per call (callgrind).
    pub instructions_only: bool,
    /// The git revision whose specs the per-feature "before" crate is generated from
    /// (default: the last commit before issue #14's groups, `986180e`).
    pub baseline: Option<String>,
}

/// Generation runs per workload; the median is reported.
const RUNS: usize = 3;

/// Runs the benchmarks and prints the table. A debug build of xtask (what `cargo xtask` runs)
/// hands over to a release build, because generation times of unoptimised code say little.
pub fn run(root: &Path, options: &BenchOptions) -> Result<bool> {
    if cfg!(debug_assertions) {
        let mut command = std::process::Command::new(env!("CARGO"));
        command
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .current_dir(root);
        if options.skip_compile {
            command.arg("--skip-compile");
        }
        if options.skip_runtime {
            command.arg("--skip-runtime");
        }
        if options.features_only {
            command.arg("--features-only");
        }
        if options.fleet_only {
            command.arg("--fleet-only");
        }
        if options.runtime_only {
            command.arg("--runtime-only");
        }
        if options.instructions_only {
            command.arg("--instructions-only");
        }
        if let Some(baseline) = &options.baseline {
            command.args(["--baseline", baseline]);
        }
        let status = command
            .status()
            .context("cannot start the release build of xtask")?;
        return Ok(status.success());
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("cargo xtask bench: {cores} cores, {}", env_line());
    println!();
    let baseline = options
        .baseline
        .as_deref()
        .unwrap_or(compile::features::DEFAULT_BASELINE);
    if options.features_only {
        print_features(compile::features::measure(root, baseline)?);
        return Ok(true);
    }
    if options.fleet_only {
        run_fleet(root)?;
        return Ok(true);
    }
    if options.runtime_only {
        runtime::print(&runtime::measure(root)?);
        return Ok(true);
    }
    if options.instructions_only {
        runtime::print_instructions(root)?;
        return Ok(true);
    }
    let mut workloads = vec![("real specs".to_owned(), crate::read_specs(root, "specs")?)];
    for n in [100, 1_000, 10_000] {
        workloads.push((format!("synth N = {n}"), crate::synth::specs(n)));
    }
    let rows = workloads
        .iter()
        .map(|(label, files)| generation_row(root, label, files))
        .collect::<Result<Vec<_>>>()?;
    print_generation(&rows);
    print_import(&import_rows(root)?);
    if !options.skip_compile {
        print_compile(&compile::measure(root)?);
        print_features(compile::features::measure(root, baseline)?);
    }
    if !options.skip_runtime {
        runtime::print(&runtime::measure(root)?);
        run_fleet(root)?;
    }
    Ok(true)
}

/// The importer on each committed source document: its size and the median time to read it
/// into a draft (and the fields read), over 21 runs.
fn import_rows(root: &Path) -> Result<Vec<(String, usize, Duration, usize)>> {
    let mut rows = Vec::new();
    let specs = root.join("specs");
    let mut documents = Vec::new();
    for platform in std::fs::read_dir(&specs).context("cannot list specs/")? {
        let sources = platform?.path().join("sources");
        if let Ok(entries) = std::fs::read_dir(&sources) {
            for entry in entries {
                documents.push(entry?.path());
            }
        }
    }
    documents.sort();
    for path in documents {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut times = Vec::new();
        let mut fields = 0;
        for _ in 0..21 {
            let started = Instant::now();
            let draft = crate::import::read(&text);
            times.push(started.elapsed());
            fields = draft.map_or(0, |d| count_fields(&d));
        }
        times.sort();
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        rows.push((name, text.len(), times[times.len() / 2], fields));
    }
    Ok(rows)
}

fn count_fields(draft: &crate::import::Draft) -> usize {
    fn count(fields: &[crate::import::DraftField]) -> usize {
        fields.iter().map(|f| 1 + count(&f.children)).sum()
    }
    draft
        .operations
        .iter()
        .map(|op| {
            let params: Vec<crate::import::DraftField> =
                op.params.iter().map(|(_, f)| f.clone()).collect();
            count(&params) + count(&op.response)
        })
        .sum::<usize>()
        + draft.models.iter().map(|m| count(&m.fields)).sum::<usize>()
}

fn print_import(rows: &[(String, usize, Duration, usize)]) {
    println!("## Import (`cargo xtask import`, median of 21 runs per document)");
    println!();
    println!("| document | size | fields read | time |");
    println!("|---|---:|---:|---:|");
    for (name, size, time, fields) in rows {
        println!(
            "| {name} | {:.1} KB | {fields} | {:.2} ms |",
            *size as f64 / 1024.0,
            time.as_secs_f64() * 1000.0
        );
    }
    println!();
}

fn env_line() -> String {
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    rustc
}

/// One workload's generation figures.
struct GenerationRow {
    label: String,
    endpoints: usize,
    timings: codegen::Timings,
    write: Duration,
    total: Duration,
    code_lines: usize,
    bytes: usize,
}

fn generation_row(
    root: &Path,
    label: &str,
    files: &[codegen::SourceFile],
) -> Result<GenerationRow> {
    let endpoints = codegen::check(files)
        .map_err(|d| anyhow::anyhow!("{label}: the specs are invalid:\n{d}"))?
        .platforms
        .iter()
        .flat_map(|p| &p.groups)
        .map(|g| g.operations.len())
        .sum();
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let (generated, timings) = codegen::generate_timed(files, &codegen::Options::default())
            .map_err(|err| anyhow::anyhow!("{label}: {err}"))?;
        let generate = started.elapsed();
        let generated = generated.files;
        let out = root
            .join("target/bench/write")
            .join(label.replace([' ', '='], "_"));
        let started = Instant::now();
        write_all(&out, &generated)?;
        let write = started.elapsed();
        runs.push((generate + write, timings, write, generated));
    }
    runs.sort_by_key(|(total, ..)| *total);
    let (total, timings, write, generated) = runs.swap_remove(RUNS / 2);
    let (code_lines, bytes) = rust_size(&generated);
    Ok(GenerationRow {
        label: label.to_owned(),
        endpoints,
        timings,
        write,
        total,
        code_lines,
        bytes,
    })
}

/// The write stage: what `cargo xtask codegen` does after generating, into a scratch folder.
fn write_all(out: &Path, generated: &std::collections::BTreeMap<String, String>) -> Result<()> {
    for (path, contents) in generated {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

fn print_generation(rows: &[GenerationRow]) {
    println!("## Generation (median of {RUNS} runs; build and format are summed over threads)");
    println!();
    println!("| workload | endpoints | load | validate + IR | emit (wall) | build (cpu) | format (cpu) | write | total | per endpoint | code lines / endpoint | bytes / endpoint |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let per = |value: usize| value as f64 / row.endpoints.max(1) as f64;
        let t = &row.timings;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} µs | {:.1} | {:.0} |",
            row.label,
            row.endpoints,
            seconds(t.load),
            seconds(t.validate),
            seconds(t.emit),
            seconds(t.build_cpu),
            seconds(t.format_cpu),
            seconds(row.write),
            seconds(row.total),
            row.total.as_secs_f64() * 1e6 / row.endpoints.max(1) as f64,
            per(row.code_lines),
            per(row.bytes),
        );
    }
    let synth: Vec<&GenerationRow> = rows
        .iter()
        .filter(|r| r.label.starts_with("synth"))
        .collect();
    for pair in synth.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        println!();
        println!(
            "Growth exponent {} -> {}: {:.2} (1.0 is linear).",
            a.endpoints,
            b.endpoints,
            exponent(a.endpoints, a.total, b.endpoints, b.total)
        );
    }
    println!();
}

fn print_compile(rows: &[compile::CompileRow]) {
    println!(
        "## Compile time of the generated crate alone (dependencies built, warm registry; cold: median of {} builds)",
        compile::COLD_RUNS
    );
    println!();
    println!("| crate | generated lines | hand-written lines | generation | cold | after a one-field change | peak memory |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let optional = |value: Option<f64>, unit: &str| {
            value.map_or("-".to_owned(), |v| format!("{v:.1} {unit}"))
        };
        println!(
            "| {} | {} | {} | {} | {:.1} s | {} | {} |",
            row.label,
            row.lines,
            row.handwritten_lines,
            optional(row.generate_s, "s"),
            row.cold_s,
            optional(row.incremental_s, "s"),
            optional(row.peak_mib, "MiB"),
        );
    }
    let find = |prefix: &str| rows.iter().find(|r| r.label.starts_with(prefix));
    if let (Some(ours), Some(theirs)) = (find("ours, N = 1000"), find("progenitor")) {
        println!();
        println!(
            "Ours / progenitor at N = 1000: cold compile {:.2}x",
            ours.cold_s / theirs.cold_s
        );
        if let (Some(a), Some(b)) = (ours.peak_mib, theirs.peak_mib) {
            println!("Ours / progenitor at N = 1000: peak memory {:.2}x", a / b);
        }
        if let (Some(a), Some(b)) = (ours.generate_s, theirs.generate_s) {
            println!("Ours / progenitor at N = 1000: generation {:.2}x", a / b);
        }
    }
    println!();
}

fn print_features((baseline, rows): (String, Vec<compile::features::FeatureRow>)) {
    println!(
        "## Compile time of one feature of the generated crate, before ({baseline}'s specs) and after (the checked-in crate); cold, median of {} interleaved builds",
        compile::COLD_RUNS
    );
    println!();
    println!("| `--no-default-features --features` | before | after | after / before |");
    println!("|---|---:|---:|---:|");
    for row in &rows {
        println!(
            "| `{}` | {:.2} s | {:.2} s | {:.2}x |",
            row.feature,
            row.before_s,
            row.after_s,
            row.after_s / row.before_s
        );
    }
    println!();
}

/// The token store's and the rate budget's cost per call, in memory and in Redis: the
/// `fleet` benchmark prints its own table (median and p99 of single calls, which criterion's
/// batched estimates do not give).
fn run_fleet(root: &Path) -> Result<()> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["bench", "--quiet", "-p", "tests", "--bench", "fleet"])
        .current_dir(root)
        .status()
        .context("cannot run cargo bench")?;
    anyhow::ensure!(
        status.success(),
        "cargo bench -p tests --bench fleet failed"
    );
    Ok(())
}
