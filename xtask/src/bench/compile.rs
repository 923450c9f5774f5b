//! Compile-time figures of generated crates: ours and progenitor's, from the same specs.

use std::path::Path;

use anyhow::Result;

/// One measured crate.
#[derive(Debug, Clone)]
pub struct CompileRow {
    /// What was compiled (`ours, real specs`, `ours, N = 1000`, `progenitor, N = 1000`).
    pub label: String,
    /// Cold build of the crate alone, dependencies already built, in seconds.
    pub cold_s: f64,
    /// Rebuild after a one-field change to one spec, in seconds.
    pub incremental_s: Option<f64>,
    /// Peak memory of the compiler while building the crate, in MiB.
    pub peak_mib: Option<f64>,
    /// Lines of the crate's generated Rust.
    pub lines: usize,
}

/// Measures the compile rows.
pub fn measure(root: &Path) -> Result<Vec<CompileRow>> {
    let _ = root;
    anyhow::bail!("not written yet")
}
