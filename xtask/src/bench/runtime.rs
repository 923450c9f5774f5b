//! The runtime suite (`tests/benches/runtime/`): runs it, reads criterion's median estimates
//! and prints one row per case with the ratio of the generated code to its hand-written
//! baseline, and its interval.
//!
//! Each case has four functions per round, measured in the order generated, hand-written,
//! hand-written, generated; in a round a side's figure is the mean of its two medians. The
//! suite runs [`ROUNDS`] rounds, each in a process of its own (`OPC_BENCH_ROUND`), so that
//! whatever differs from process to process (where code and data lie) is sampled rather than
//! fixed once. A case's ratio is the median of its rounds' ratios, and its interval the
//! distribution-free confidence interval of that median from the rounds' order statistics
//! ([`median_interval`]), with at least [`CONFIDENCE`] whatever the shape of the spread.
//!
//! What it cannot sample is a state of the machine that lasts longer than a run: on the
//! project's VM the nine processes of one run agreed while a run ten minutes earlier had
//! measured some decoding cases 3-10% faster on the generated side, with the same binary.
//! The instruction counts ([`super::instructions`]) are the figure that does not move.

use std::path::Path;

use anyhow::{Context, Result};

use super::instructions::{self, Counts};

/// Rounds of the suite, one process each: with nine, the second lowest and second highest
/// round bound the median with 96.1% confidence.
pub const ROUNDS: u32 = 9;

/// The confidence the interval must at least have.
pub const CONFIDENCE: f64 = 0.95;

/// The cases, in the order of the table (criterion group names).
pub const CASES: &[&str] = &[
    "decode_small_response",
    "decode_listing_10k",
    "decode_nested_response",
    "decode_secret_response",
    "encode_union_beside_tag",
    "decode_union_beside_tag",
    "encode_union_in_content",
    "decode_union_in_content",
    "encode_request",
    "validate_and_encode_request",
    "encode_large_request",
    "whole_call",
    "whole_call_traced",
];

/// A median estimate and its 95% interval, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub point: f64,
    pub low: f64,
    pub high: f64,
}

/// One round of one case: each side's mean of its two medians, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    pub generated: f64,
    pub hand_written: f64,
}

impl Round {
    /// generated / hand-written.
    pub fn ratio(&self) -> f64 {
        self.generated / self.hand_written
    }

    /// generated - hand-written, in nanoseconds.
    pub fn difference(&self) -> f64 {
        self.generated - self.hand_written
    }
}

/// One case's figures over its rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub case: String,
    pub rounds: Vec<Round>,
    /// Instructions per call, when valgrind is there to count them.
    pub instructions: Option<Counts>,
}

impl Row {
    pub fn generated(&self) -> Estimate {
        median_interval(self.rounds.iter().map(|r| r.generated))
    }

    pub fn hand_written(&self) -> Estimate {
        median_interval(self.rounds.iter().map(|r| r.hand_written))
    }

    pub fn ratio(&self) -> Estimate {
        median_interval(self.rounds.iter().map(Round::ratio))
    }

    pub fn difference(&self) -> Estimate {
        median_interval(self.rounds.iter().map(Round::difference))
    }
}

/// How many of the lowest and of the highest values the interval of the median of `n` values
/// leaves out, and the confidence it then has: the largest `k` such that the `(k + 1)`-th
/// lowest and the `(k + 1)`-th highest value bound the median with at least [`CONFIDENCE`]
/// (for independent rounds, the number of rounds below the true median is binomial with
/// p = 1/2). With too few rounds for [`CONFIDENCE`], nothing is left out.
pub fn order_statistics(n: usize) -> (usize, f64) {
    // P(X <= j) for X ~ Binomial(n, 1/2).
    let at_most = |j: usize| -> f64 {
        let mut term = 1.0_f64; // C(n, 0)
        let mut sum = 0.0;
        for i in 0..=j {
            if i > 0 {
                term = term * (n + 1 - i) as f64 / i as f64;
            }
            sum += term;
        }
        sum / 2f64.powi(n as i32)
    };
    // Leaving out k values on each side, the interval misses the true median when k or
    // fewer rounds fall below it, or k or fewer above it.
    let coverage = |k: usize| 1.0 - 2.0 * at_most(k);
    let mut k = 0;
    while 2 * (k + 1) < n && coverage(k + 1) >= CONFIDENCE {
        k += 1;
    }
    (k, coverage(k))
}

/// The median of `values`, within the order statistics that bound it with at least
/// [`CONFIDENCE`] ([`order_statistics`]).
fn median_interval(values: impl Iterator<Item = f64>) -> Estimate {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return Estimate {
            point: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let middle = n / 2;
    let point = if n % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    };
    let (k, _) = order_statistics(n);
    Estimate {
        point,
        low: values[k],
        high: values[n - 1 - k],
    }
}

/// Runs the suite, one process per round, and reads its estimates.
pub fn measure(root: &Path) -> Result<Vec<Row>> {
    for round in 1..=ROUNDS {
        eprintln!("runtime suite: round {round} of {ROUNDS}");
        let status = std::process::Command::new(env!("CARGO"))
            .args(["bench", "--quiet", "-p", "tests", "--bench", "runtime"])
            .env("OPC_BENCH_ROUND", round.to_string())
            .current_dir(root)
            .status()
            .context("cannot run cargo bench")?;
        anyhow::ensure!(
            status.success(),
            "cargo bench -p tests --bench runtime failed in round {round}"
        );
    }
    let counts = if instructions::available() {
        Some(instructions::measure(root, CASES)?)
    } else {
        eprintln!(
            "runtime suite: valgrind not found, so no instruction counts (apt-get install -y valgrind)"
        );
        None
    };
    let criterion = root.join("target/criterion");
    CASES
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let read = |function: String| -> Result<f64> {
                Ok(median(&criterion.join(case).join(function))?.point)
            };
            // A side's figure in a round: the mean of its medians in the two orders.
            let side = |first: String, second: String| -> Result<f64> {
                Ok((read(first)? + read(second)?) / 2.0)
            };
            let rounds = (1..=ROUNDS)
                .map(|r| {
                    Ok(Round {
                        generated: side(format!("r{r}_1_generated"), format!("r{r}_4_generated"))?,
                        hand_written: side(
                            format!("r{r}_2_hand_written"),
                            format!("r{r}_3_hand_written"),
                        )?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Row {
                case: (*case).to_owned(),
                rounds,
                instructions: counts.as_ref().map(|counts| counts[i]),
            })
        })
        .collect()
}

/// The median estimate criterion wrote for one function (`new/estimates.json`).
fn median(function: &Path) -> Result<Estimate> {
    let path = function.join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    parse_median(&text).with_context(|| format!("no median estimate in {}", path.display()))
}

/// The `median` member of criterion's estimates.
pub fn parse_median(text: &str) -> Option<Estimate> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let median = &json["median"];
    Some(Estimate {
        point: median["point_estimate"].as_f64()?,
        low: median["confidence_interval"]["lower_bound"].as_f64()?,
        high: median["confidence_interval"]["upper_bound"].as_f64()?,
    })
}

/// A time in the unit that suits it.
fn time(ns: f64) -> String {
    if ns.abs() >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns.abs() >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// A count with thousands separated by commas.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.round());
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn interval(e: Estimate) -> String {
    format!("{} [{}, {}]", time(e.point), time(e.low), time(e.high))
}

pub fn print(rows: &[Row]) {
    let (left_out, confidence) = order_statistics(ROUNDS as usize);
    let bound = match left_out {
        0 => "lowest to highest round".to_owned(),
        k => format!(
            "round {} to round {} of {ROUNDS} in order",
            k + 1,
            ROUNDS as usize - k
        ),
    };
    println!(
        "## Runtime against hand-written serde code (criterion medians; median of {ROUNDS} rounds, one process each; interval: {bound}, {:.1}% confidence for the median)",
        confidence * 100.0
    );
    println!();
    println!(
        "| case | generated | hand-written | ratio [interval] | instructions per call: generated / hand-written (ratio) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for row in rows {
        let ratio = row.ratio();
        let counted = row.instructions.map_or("-".to_owned(), |c| {
            format!(
                "{} / {} ({:.3}x)",
                thousands(c.generated),
                thousands(c.hand_written),
                c.ratio()
            )
        });
        println!(
            "| {} | {} | {} | {:.3}x [{:.3}, {:.3}] | {counted} |",
            row.case,
            interval(row.generated()),
            interval(row.hand_written()),
            ratio.point,
            ratio.low,
            ratio.high
        );
    }
    println!();
    for row in rows.iter().filter(|row| row.case.starts_with("whole_call")) {
        let d = row.difference();
        println!(
            "- {}: the runtime's machinery costs {} a call [{}, {}]",
            row.case,
            time(d.point),
            time(d.low),
            time(d.high)
        );
    }
    println!();
    println!("Each round's ratio, in round order (from target/criterion/<case>/r<round>_*/new/estimates.json):");
    println!();
    for row in rows {
        let ratios: Vec<String> = row
            .rounds
            .iter()
            .map(|r| format!("{:.3}", r.ratio()))
            .collect();
        println!("- {}: {}", row.case, ratios.join(" "));
    }
    println!();
}

/// Counts and prints the instructions per call only (no timing).
pub fn print_instructions(root: &Path) -> Result<()> {
    anyhow::ensure!(
        instructions::available(),
        "valgrind not found; install it (apt-get install -y valgrind)"
    );
    let counts = instructions::measure(root, CASES)?;
    println!("## Runtime against hand-written serde code: instructions per call (callgrind)");
    println!();
    println!("| case | generated | hand-written | ratio |");
    println!("|---|---:|---:|---:|");
    for (case, c) in CASES.iter().zip(counts) {
        println!(
            "| {case} | {} | {} | {:.3}x |",
            thousands(c.generated),
            thousands(c.hand_written),
            c.ratio()
        );
    }
    println!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_and_its_interval_are_read_from_criterions_estimates() {
        let text = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":3.0},"point_estimate":2.0,"standard_error":0.1},
            "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":95.0,"upper_bound":105.0},"point_estimate":100.0,"standard_error":1.0}}"#;
        assert_eq!(
            parse_median(text),
            Some(Estimate {
                point: 100.0,
                low: 95.0,
                high: 105.0
            })
        );
        assert_eq!(parse_median("{}"), None);
    }

    #[test]
    fn counts_are_printed_with_thousands_separators() {
        assert_eq!(thousands(2_763.4), "2,763");
        assert_eq!(thousands(65_901_906.0), "65,901,906");
        assert_eq!(thousands(999.0), "999");
    }

    #[test]
    fn nine_rounds_bound_the_median_by_their_second_lowest_and_second_highest() {
        let (k, confidence) = order_statistics(9);
        assert_eq!(k, 1);
        // 1 - 2 * (C(9,0) + C(9,1)) / 2^9 = 1 - 20/512
        assert!((confidence - (1.0 - 20.0 / 512.0)).abs() < 1e-12);
        // Fewer than six rounds cannot reach 95% even with the whole range.
        let (k, confidence) = order_statistics(5);
        assert_eq!(k, 0);
        assert!((confidence - (1.0 - 2.0 / 32.0)).abs() < 1e-12);
        // 17 rounds: 1 - 2 * P(X <= 4) = 1 - 2 * 3214/131072 = 0.951; P(X <= 5) is too much.
        assert_eq!(order_statistics(17).0, 4);
    }

    #[test]
    fn a_case_is_the_median_round_within_the_bounding_rounds() {
        let rounds: Vec<Round> = [1.10, 1.00, 0.90, 1.30, 1.05, 0.95, 1.02, 0.99, 1.01]
            .iter()
            .map(|&r| Round {
                generated: 100.0 * r,
                hand_written: 100.0,
            })
            .collect();
        let row = Row {
            case: "c".into(),
            rounds,
            instructions: None,
        };
        let ratio = row.ratio();
        // Sorted: 0.90 0.95 0.99 1.00 1.01 1.02 1.05 1.10 1.30
        assert!((ratio.point - 1.01).abs() < 1e-12);
        assert!((ratio.low - 0.95).abs() < 1e-12);
        assert!((ratio.high - 1.10).abs() < 1e-12);
        let d = row.difference();
        assert!((d.point - 1.0).abs() < 1e-9);
        assert_eq!(row.hand_written().point, 100.0);
    }
}
