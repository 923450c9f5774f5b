//! The runtime suite (`tests/benches/runtime/`): runs it, reads criterion's median estimates
//! with their 95% intervals, and prints one row per case with the ratio of the generated code
//! to its hand-written baseline.
//!
//! Each case has four functions per round, measured in the order generated, hand-written,
//! hand-written, generated, and the suite runs [`ROUNDS`] rounds. In a round a side's figure
//! is the mean of its two medians, and the ratio's interval is the widest the two sides'
//! intervals allow (low generated over high hand-written, and the other way round). A case's
//! ratio is the median of its rounds' ratios, with the interval from the lowest to the highest
//! round bound: criterion's interval covers the samples of one function only, and runs whose
//! cases ran once each disagreed by more than it (the machine drifts); the rounds' spread
//! shows that drift.

use std::path::Path;

use anyhow::{Context, Result};

/// Rounds of the suite (`ROUNDS` in `tests/benches/runtime/main.rs`).
pub const ROUNDS: u32 = 3;

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

/// One round of one case: each side's mean of its two medians.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    pub generated: Estimate,
    pub hand_written: Estimate,
}

impl Round {
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

/// One case's figures over its rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub case: String,
    pub rounds: Vec<Round>,
}

impl Row {
    pub fn generated(&self) -> Estimate {
        across(self.rounds.iter().map(|r| r.generated))
    }

    pub fn hand_written(&self) -> Estimate {
        across(self.rounds.iter().map(|r| r.hand_written))
    }

    pub fn ratio(&self) -> Estimate {
        across(self.rounds.iter().map(Round::ratio))
    }

    pub fn difference(&self) -> Estimate {
        across(self.rounds.iter().map(Round::difference))
    }
}

/// The median of the rounds' points, within the lowest and the highest of their bounds.
fn across(estimates: impl Iterator<Item = Estimate>) -> Estimate {
    let estimates: Vec<Estimate> = estimates.collect();
    let mut points: Vec<f64> = estimates.iter().map(|e| e.point).collect();
    points.sort_by(f64::total_cmp);
    let middle = points.len() / 2;
    let point = if points.len() % 2 == 1 {
        points[middle]
    } else {
        (points[middle - 1] + points[middle]) / 2.0
    };
    Estimate {
        point,
        low: estimates
            .iter()
            .map(|e| e.low)
            .fold(f64::INFINITY, f64::min),
        high: estimates
            .iter()
            .map(|e| e.high)
            .fold(f64::NEG_INFINITY, f64::max),
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
            let read = |function: String| median(&criterion.join(case).join(function));
            let rounds = (1..=ROUNDS)
                .map(|r| {
                    Ok(Round {
                        generated: Estimate::mean(
                            read(format!("r{r}_1_generated"))?,
                            read(format!("r{r}_4_generated"))?,
                        ),
                        hand_written: Estimate::mean(
                            read(format!("r{r}_2_hand_written"))?,
                            read(format!("r{r}_3_hand_written"))?,
                        ),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Row {
                case: (*case).to_owned(),
                rounds,
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
    println!(
        "## Runtime against hand-written serde code (criterion medians, median of {ROUNDS} rounds, interval from the rounds' lowest to highest 95% bound)"
    );
    println!();
    println!("| case | generated | hand-written | ratio [interval] |");
    println!("|---|---:|---:|---:|");
    for row in rows {
        let ratio = row.ratio();
        println!(
            "| {} | {} | {} | {:.3}x [{:.3}, {:.3}] |",
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
        let round = Round {
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
        let ratio = round.ratio();
        assert_eq!((ratio.point, ratio.low, ratio.high), (1.1, 0.8, 1.5));
        let d = round.difference();
        assert_eq!((d.point, d.low, d.high), (10.0, -25.0, 40.0));
    }

    #[test]
    fn rounds_give_the_median_point_within_their_outermost_bounds() {
        let at = |point: f64, low: f64, high: f64| Estimate { point, low, high };
        let row = Row {
            case: "c".into(),
            rounds: vec![
                Round {
                    generated: at(100.0, 99.0, 101.0),
                    hand_written: at(100.0, 99.0, 101.0),
                },
                Round {
                    generated: at(120.0, 119.0, 121.0),
                    hand_written: at(100.0, 99.0, 101.0),
                },
                Round {
                    generated: at(105.0, 104.0, 106.0),
                    hand_written: at(100.0, 100.0, 100.0),
                },
            ],
        };
        let ratio = row.ratio();
        assert_eq!(ratio.point, 1.05);
        assert_eq!(ratio.low, 99.0 / 101.0);
        assert_eq!(ratio.high, 121.0 / 99.0);
        assert_eq!(row.generated(), at(105.0, 99.0, 121.0));
    }
}
