//! Small arithmetic for the bench table.

use std::collections::BTreeMap;
use std::time::Duration;

/// A duration in seconds with millisecond resolution, for table cells.
pub fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// The growth exponent k in t ∝ n^k between two sizes.
pub fn exponent(n1: usize, t1: Duration, n2: usize, t2: Duration) -> f64 {
    (t2.as_secs_f64() / t1.as_secs_f64()).ln() / (n2 as f64 / n1 as f64).ln()
}

/// Lines of generated Rust that are code (neither blank nor comments) and total bytes of Rust.
pub fn rust_size(generated: &BTreeMap<String, String>) -> (usize, usize) {
    let rust = generated.iter().filter(|(path, _)| path.ends_with(".rs"));
    rust.fold((0, 0), |(lines, bytes), (_, text)| {
        let code = text
            .lines()
            .map(str::trim_start)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .count();
        (lines + code, bytes + text.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_of_linear_growth_is_one() {
        let k = exponent(
            100,
            Duration::from_millis(10),
            1000,
            Duration::from_millis(100),
        );
        assert!((k - 1.0).abs() < 1e-9, "{k}");
    }

    #[test]
    fn code_lines_skip_comments_and_blank_lines() {
        let files =
            BTreeMap::from([("a.rs".to_owned(), "/// doc\nfn a() {}\n\n// c\n".to_owned())]);
        assert_eq!(rust_size(&files), (1, 24));
    }
}
