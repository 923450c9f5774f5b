//! `cargo xtask synth`: a deterministic synthetic spec set of any size, for benchmarks and
//! property tests.

use std::path::Path;

use anyhow::Result;

/// Spec files (paths relative to the spec root, `<platform>/...yaml`) for `endpoints`
/// operations.
pub fn specs(endpoints: usize) -> Vec<codegen::SourceFile> {
    let _ = endpoints;
    Vec::new()
}

/// Writes [`specs`] under `out`.
pub fn run(out: &Path, endpoints: usize) -> Result<bool> {
    let _ = (out, endpoints);
    anyhow::bail!("not written yet")
}
