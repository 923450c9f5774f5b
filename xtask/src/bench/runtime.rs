//! The runtime suite (`tests/benches/runtime/`): runs it, reads criterion's median estimates
//! with their 95% intervals, and prints one row per case with the ratio of the generated code
//! to its hand-written baseline.
//!
//! Each case has four functions, measured in the order generated, hand-written, hand-written,
//! generated; a side's figure is the mean of its two medians, and the ratio's interval is the
//! widest the two sides' intervals allow (low generated over high hand-written, and the other
//! way round), so two runs whose intervals overlap agree within what criterion can tell.

use std::path::Path;

use anyhow::{Context, Result};

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

impl Estimate {
    /// The mean of two estimates of one side (its two orders).
    fn mean(a: Self, b: Self) -> Self {
        Self {
            point: (a.point + b.point) / 2.0,
            low: (a.low + b.low) / 2.0,
            high: (a.high + b.high) / 2.0,
        }
    }
}

/// One case's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub case: String,
    pub generated: Estimate,
    pub hand_written: Estimate,
}

impl Row {
    /// generated / hand-written, with the interval the two sides' intervals allow.
    pub fn ratio(&self) -> Estimate {
        Estimate {
            point: self.generated.point / self.hand_written.point,
            low: self.generated.low / self.hand_written.high,
            high: self.generated.high / self.hand_written.low,
        }
    }

    /// generated - hand-written, in nanoseconds, with its interval.
    pub fn difference(&self) -> Estimate {
        Estimate {
            point: self.generated.point - self.hand_written.point,
            low: self.generated.low - self.hand_written.high,
            high: self.generated.high - self.hand_written.low,
        }
    }
}

/// Runs the suite and reads its estimates.
pub fn measure(root: &Path) -> Result<Vec<Row>> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["bench", "-p", "tests", "--bench", "runtime"])
        .current_dir(root)
        .status()
        .context("cannot run cargo bench")?;
    anyhow::ensure!(
        status.success(),
        "cargo bench -p tests --bench runtime failed"
    );
    let criterion = root.join("target/criterion");
    CASES
        .iter()
        .map(|case| {
            let read = |function: &str| median(&criterion.join(case).join(function));
            Ok(Row {
                case: (*case).to_owned(),
                generated: Estimate::mean(read("1_generated")?, read("4_generated")?),
                hand_written: Estimate::mean(read("2_hand_written")?, read("3_hand_written")?),
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

fn interval(e: Estimate) -> String {
    format!("{} [{}, {}]", time(e.point), time(e.low), time(e.high))
}

pub fn print(rows: &[Row]) {
    println!("## Runtime against hand-written serde code (criterion medians with 95% intervals, same run)");
    println!();
    println!("| case | generated | hand-written | ratio [interval] |");
    println!("|---|---:|---:|---:|");
    for row in rows {
        let ratio = row.ratio();
        println!(
            "| {} | {} | {} | {:.3}x [{:.3}, {:.3}] |",
            row.case,
            interval(row.generated),
            interval(row.hand_written),
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
    fn the_ratio_interval_is_the_widest_the_sides_allow() {
        let row = Row {
            case: "c".into(),
            generated: Estimate {
                point: 110.0,
                low: 100.0,
                high: 120.0,
            },
            hand_written: Estimate {
                point: 100.0,
                low: 80.0,
                high: 125.0,
            },
        };
        let ratio = row.ratio();
        assert_eq!((ratio.point, ratio.low, ratio.high), (1.1, 0.8, 1.5));
        let d = row.difference();
        assert_eq!((d.point, d.low, d.high), (10.0, -25.0, 40.0));
    }
}
