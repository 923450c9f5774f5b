//! `cargo xtask`: the project's commands, a thin clap front over the `codegen` library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Compare the specs at a git ref with the working tree: every change, breaking or not.
    Diff {
        /// The git ref holding the old specs.
        #[arg(default_value = "HEAD")]
        base_ref: String,
        /// `text` for a terminal, `markdown` for a pull-request comment.
        #[arg(long, value_enum, default_value_t = xtask::diff::Format::Text)]
        format: xtask::diff::Format,
        /// Exit with failure when any change breaks users of the generated crate.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Write an OpenAPI 3.0.3 document (`<platform>.json`) for every platform of specs/.
    Openapi {
        /// The folder to write to [default: target/openapi under the workspace root].
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// Write a deterministic synthetic spec set with N operations (for benchmarks).
    Synth {
        /// How many operations.
        #[arg(long)]
        endpoints: usize,
        /// The folder to write `<platform>/service.yaml` and the group files into.
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
    },
    /// Draft a group file from the copied text of a document page, compare a draft with a
    /// hand-written spec, or check every spec against its source documents.
    Import(ImportArgs),
    /// Measure generation, generated size, compile time (against progenitor) and runtime cost,
    /// and print one table.
    Bench {
        /// Skip the compile-time measurements (they take minutes).
        #[arg(long)]
        skip_compile: bool,
        /// Skip the runtime (criterion) measurements.
        #[arg(long)]
        skip_runtime: bool,
        /// Measure only the compile time of single features, before and after (minutes).
        #[arg(long)]
        features_only: bool,
        /// Measure only the per-call cost of the token store and the rate budget, in memory
        /// and in Redis (seconds; needs `redis-server` on PATH for the Redis rows).
        #[arg(long)]
        fleet_only: bool,
        /// Measure only the runtime suite against hand-written code (criterion, and
        /// callgrind's instruction counts when valgrind is installed; minutes).
        #[arg(long)]
        runtime_only: bool,
        /// Count only the runtime suite's instructions per call under callgrind (a minute;
        /// needs valgrind; the figures do not depend on the machine's load).
        #[arg(long)]
        instructions_only: bool,
        /// The git revision whose specs the "before" crate of the feature figures is
        /// generated from (default: the last commit before issue #14's groups).
        #[arg(long, value_name = "REV")]
        baseline: Option<String>,
    },
}

/// The arguments of `cargo xtask import`.
#[derive(clap::Args)]
struct ImportArgs {
    /// The page's copied text (not with --check).
    page: Option<std::path::PathBuf>,
    /// The platform folder under specs/ whose bases the draft uses.
    #[arg(long)]
    platform: Option<String>,
    /// The group name [default: the page file's stem].
    #[arg(long)]
    group: Option<String>,
    /// Write the draft to this file (which must not exist) instead of printing it.
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
    /// Compare the draft with these hand-written group files instead of writing it.
    #[arg(long, value_name = "SPEC_FILE", num_args = 1..)]
    compare: Vec<std::path::PathBuf>,
    /// Re-import every document the platforms' `sources:` name and fail on each
    /// difference from the specs that no `note:` explains.
    #[arg(long, conflicts_with_all = ["page", "platform", "group", "out", "compare"])]
    check: bool,
    /// Print the README's table of the importer's figures: every document of the
    /// platforms' `sources:` read and compared with the platform's specs.
    #[arg(long, conflicts_with_all = ["page", "platform", "group", "out", "compare", "check"])]
    figures: bool,
}

/// `cargo xtask import`: the contract check, or one page.
fn import(root: &std::path::Path, args: ImportArgs) -> anyhow::Result<()> {
    let ImportArgs {
        page,
        platform,
        group,
        out,
        compare,
        check,
        figures,
    } = args;
    if check {
        return xtask::import::command::check(root);
    }
    if figures {
        print!("{}", xtask::import::command::figures(root)?);
        return Ok(());
    }
    let (Some(page), Some(platform)) = (page, platform) else {
        anyhow::bail!(
            "name the page and its platform: cargo xtask import PAGE --platform P (or --check)"
        );
    };
    xtask::import::command::run(
        root,
        &xtask::import::command::ImportOptions {
            page,
            platform,
            group,
            out,
            compare,
        },
    )
}

fn main() -> ExitCode {
    let root = xtask::project_root();
    let result = match Cli::parse().command {
        Command::Codegen { check } => xtask::codegen(&root, check),
        Command::Validate => xtask::validate(&root),
        Command::Diff {
            base_ref,
            format,
            fail_on_breaking,
        } => xtask::diff::run(
            &root,
            &xtask::diff::DiffOptions {
                base: base_ref,
                format,
                fail_on_breaking,
            },
        ),
        Command::Openapi { out } => xtask::openapi::run(&root, out.as_deref()),
        Command::Synth { endpoints, out } => xtask::synth::run(&out, endpoints),
        Command::Import(args) => import(&root, args).map(|()| true),
        Command::Bench {
            skip_compile,
            skip_runtime,
            features_only,
            fleet_only,
            runtime_only,
            instructions_only,
            baseline,
        } => xtask::bench::run(
            &root,
            &xtask::bench::BenchOptions {
                skip_compile,
                skip_runtime,
                features_only,
                fleet_only,
                runtime_only,
                instructions_only,
                baseline,
            },
        ),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}
