//! `cargo xtask openapi`: writes the OpenAPI 3.0.3 document of every platform in `specs/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Where the documents go unless `--out` says otherwise, relative to the workspace root. It
/// is under `target/` because the documents are derived output that nothing checks in.
pub const DEFAULT_OUT: &str = "target/openapi";

/// The product's specs; the kitchen-sink fixture is for tests, not for publishing.
const SPECS: &str = "specs";

/// Writes `<platform>.json` for every platform of `specs/` into `out` (by default
/// [`DEFAULT_OUT`] under `root`) and prints each path written. Returns `false`, writing
/// nothing, when a spec is wrong.
pub fn run(root: &Path, out: Option<&Path>) -> Result<bool> {
    let specs = crate::read_specs(root, SPECS)?;
    let api = match codegen::check(&specs) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("nothing was written");
            return Ok(false);
        }
    };
    let out: PathBuf = out.map_or_else(|| root.join(DEFAULT_OUT), Path::to_path_buf);
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, contents) in codegen::openapi::files(&api) {
        let path = out.join(name);
        std::fs::write(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        // Paths below the workspace are shown relative to it, as the other commands do.
        let shown = path.strip_prefix(root).unwrap_or(&path);
        println!("wrote {}", shown.display());
    }
    Ok(true)
}
