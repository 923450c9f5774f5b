//! Instructions per call of each side of the runtime suite, counted by callgrind: a figure
//! that does not depend on the machine's load, clock or memory layout, beside the times
//! (which do). The suite's binary runs one side of one case in a loop inside its `counted`
//! function (`OPC_BENCH_COUNT`, see `tests/benches/runtime/main.rs`), and callgrind collects
//! inside that function only, after one uncounted warm-up iteration.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Instructions per call of the two sides of one case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub generated: f64,
    pub hand_written: f64,
}

impl Counts {
    pub fn ratio(&self) -> f64 {
        self.generated / self.hand_written
    }
}

/// How many iterations a case is counted over: enough for the warm-up to be gone and
/// the figure to be stable, few enough for callgrind (about 30 million instructions).
pub fn iterations(case: &str) -> u64 {
    match case {
        "decode_listing_10k" => 3,
        "decode_nested_response" => 50,
        "encode_large_request" => 200,
        "whole_call" | "whole_call_traced" => 300,
        _ => 10_000,
    }
}

/// Whether valgrind can be run here.
pub fn available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Counts both sides of every case in `cases`.
pub fn measure(root: &Path, cases: &[&str]) -> Result<Vec<Counts>> {
    let binary = suite_binary(root)?;
    let out = root.join("target/criterion/instructions");
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    cases
        .iter()
        .map(|case| {
            eprintln!("runtime suite: counting instructions of {case}");
            Ok(Counts {
                generated: per_call(&binary, &out, case, "generated")?,
                hand_written: per_call(&binary, &out, case, "hand_written")?,
            })
        })
        .collect()
}

/// Instructions per call of one side of one case.
fn per_call(binary: &Path, out: &Path, case: &str, side: &str) -> Result<f64> {
    let n = iterations(case);
    let file = out.join(format!("{case}.{side}.callgrind"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--toggle-collect=runtime::counted")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(binary)
        .arg("--bench")
        .env("OPC_BENCH_COUNT", format!("{case}/{side}/{n}"))
        .output()
        .context("cannot run valgrind")?;
    if !output.status.success() {
        bail!(
            "counting {case}/{side} under callgrind failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let total = totals(&text).with_context(|| format!("no totals in {}", file.display()))?;
    if total == 0 {
        bail!("callgrind counted nothing inside `counted` for {case}/{side}: was the function renamed?");
    }
    Ok(total as f64 / n as f64)
}

/// The `totals:` line of a callgrind output file (instructions, the first event).
pub fn totals(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix("totals:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Builds the suite's binary and returns its path (from cargo's JSON messages).
fn suite_binary(root: &Path) -> Result<PathBuf> {
    let output = Command::new(env!("CARGO"))
        .args([
            "bench",
            "--quiet",
            "-p",
            "tests",
            "--bench",
            "runtime",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root)
        .output()
        .context("cannot run cargo bench --no-run")?;
    if !output.status.success() {
        bail!(
            "cargo bench --no-run failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    executable(&String::from_utf8_lossy(&output.stdout))
        .context("cargo named no executable for the runtime suite")
}

/// The executable of the `runtime` bench target in cargo's JSON messages.
pub fn executable(messages: &str) -> Option<PathBuf> {
    messages.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        (message["reason"] == "compiler-artifact" && message["target"]["name"] == "runtime")
            .then(|| message["executable"].as_str().map(PathBuf::from))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_from_callgrinds_file() {
        let text = "# callgrind format\nversion: 1\nevents: Ir\nsummary: 27632813\n\nfn=(1)\n0 3\ntotals: 27632813\n";
        assert_eq!(totals(text), Some(27_632_813));
        assert_eq!(totals("events: Ir\n"), None);
    }

    #[test]
    fn the_suites_executable_is_found_in_cargos_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"tests"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"runtime"},"executable":"/t/release/deps/runtime-1"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable(messages),
            Some(PathBuf::from("/t/release/deps/runtime-1"))
        );
        assert_eq!(executable(r#"{"reason":"build-finished"}"#), None);
    }
}
