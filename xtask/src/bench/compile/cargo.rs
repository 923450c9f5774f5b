//! Running cargo (and the programs it builds) for the compile benchmark: every failure names
//! the command, where it ran and the end of its stderr; timed builds report wall time and the
//! compiler's peak memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// How many lines of a failed command's stderr an error shows.
const TAIL_LINES: usize = 40;

/// `/usr/bin/time -v` reports the peak resident set of the process tree it waits for, which
/// for a cargo build is the largest rustc process.
const GNU_TIME: &str = "/usr/bin/time";
const PEAK_PREFIX: &str = "Maximum resident set size (kbytes):";

/// A crate built on its own: its folder and its own target folder.
#[derive(Debug, Clone)]
pub(super) struct Project {
    /// The folder holding `Cargo.toml`.
    pub dir: PathBuf,
    /// The `CARGO_TARGET_DIR` of its builds, so that no other build shares or disturbs it.
    pub target_dir: PathBuf,
    /// Arguments every build of the project gets (`--no-default-features --features x`).
    pub build_args: Vec<String>,
}

/// One timed build.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timed {
    /// Wall time of the `cargo build` process, in seconds.
    pub seconds: f64,
    /// Peak resident memory of the largest process of the build, in MiB, when measurable.
    pub peak_mib: Option<f64>,
}

impl Project {
    /// A `cargo <args>` command for this project, with an environment that makes the figures
    /// mean what the table says.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new(cargo_program());
        command.args(args);
        self.configure(&mut command);
        command
    }

    fn configure(&self, command: &mut Command) {
        command
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            // The dev profile's default: the incremental figure is about incremental rebuilds.
            .env("CARGO_INCREMENTAL", "1")
            // A compiler cache would turn a cold build into a cache lookup.
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            // Set when xtask itself runs under `cargo run`; they belong to that build.
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PRIMARY_PACKAGE");
    }

    /// `cargo build` (plus `extra` arguments), untimed: for dependencies and tools.
    pub fn build(&self, extra: &[&str]) -> Result<()> {
        let mut args = vec!["build"];
        args.extend(self.build_args.iter().map(String::as_str));
        args.extend_from_slice(extra);
        run(&mut self.cargo(&args))?;
        Ok(())
    }

    /// Removes the artifacts of `package` only, so that the next build compiles it from
    /// scratch while its dependencies stay built.
    pub fn clean_package(&self, package: &str) -> Result<()> {
        run(&mut self.cargo(&["clean", "-p", package]))?;
        Ok(())
    }

    /// A timed `cargo build`, under `/usr/bin/time -v` when it is available.
    pub fn timed_build(&self) -> Result<Timed> {
        let mut command = if gnu_time_available() {
            let mut command = Command::new(GNU_TIME);
            command.arg("-v").arg(cargo_program()).arg("build");
            command.args(&self.build_args);
            self.configure(&mut command);
            command
        } else {
            let mut command = self.cargo(&["build"]);
            command.args(&self.build_args);
            command
        };
        let start = Instant::now();
        let output = run(&mut command)?;
        let seconds = start.elapsed().as_secs_f64();
        let peak_mib = peak_kib(&String::from_utf8_lossy(&output.stderr)).map(|kib| kib / 1024.0);
        Ok(Timed { seconds, peak_mib })
    }
}

/// The cargo that runs xtask when there is one (so the same toolchain builds everything),
/// else `cargo` from `PATH`.
fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Whether `/usr/bin/time -v` works here (GNU time; not every system has it).
fn gnu_time_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        Command::new(GNU_TIME)
            .args(["-v", "true"])
            .output()
            .is_ok_and(|output| {
                output.status.success()
                    && String::from_utf8_lossy(&output.stderr).contains(PEAK_PREFIX)
            })
    })
}

/// The peak resident set size, in KiB, from `/usr/bin/time -v` output.
fn peak_kib(stderr: &str) -> Option<f64> {
    stderr
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix(PEAK_PREFIX))
        .and_then(|value| value.trim().parse::<f64>().ok())
}

/// Runs a command to completion, capturing its output. A command that cannot start or that
/// fails is an error naming it, where it ran, and the end of its stderr.
pub(super) fn run(command: &mut Command) -> Result<Output> {
    let shown = show(command);
    let output = command
        .output()
        .with_context(|| format!("cannot run `{shown}`"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = without_time_report(&stderr);
        bail!(
            "`{shown}` failed ({}); the end of its stderr:\n{}",
            output.status,
            tail(stderr, TAIL_LINES)
        );
    }
    Ok(output)
}

/// A command as a user would type it, with the folder it runs in.
fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = command.get_current_dir() {
        shown.push_str(&format!(" (in {})", dir.display()));
    }
    shown
}

/// A timed command's stderr without the report `/usr/bin/time -v` appends, which would
/// otherwise fill the tail of a failure.
fn without_time_report(stderr: &str) -> &str {
    let end = [
        "Command exited with non-zero status",
        "\tCommand being timed:",
    ]
    .iter()
    .filter_map(|marker| stderr.find(marker))
    .min()
    .unwrap_or(stderr.len());
    &stderr[..end]
}

/// The last `n` lines of a text.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Writes a file only when its contents differ, creating its folder: an unchanged file keeps
/// its modification time, so cargo does not rebuild what did not change.
pub(super) fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_peak_from_gnu_time() {
        let stderr = "\tCommand being timed: \"cargo build\"\n\tMaximum resident set size (kbytes): 204800\n\tExit status: 0\n";
        assert_eq!(peak_kib(stderr), Some(204_800.0));
        assert_eq!(peak_kib("no figures"), None);
    }

    #[test]
    fn leaves_the_time_report_out_of_errors() {
        let stderr = "error: boom\nCommand exited with non-zero status 101\n\tCommand being timed: \"cargo\"\n";
        assert_eq!(without_time_report(stderr), "error: boom\n");
        assert_eq!(without_time_report("plain"), "plain");
    }

    #[test]
    fn keeps_the_end_of_long_output() {
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
