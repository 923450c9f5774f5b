//! The workspace test crate. Its library part compiles the code generated for the
//! `tests/fixtures/kitchen_sink` platform, which uses every construct of the spec format, so
//! that emitter paths the real specs do not reach yet are compiled and called by tests.
//! The tests themselves live in `tests/tests/*.rs`.

#[rustfmt::skip]
#[path = "../fixtures/kitchen_sink/out/src/kitchen_sink/mod.rs"]
pub mod kitchen_sink;

/// The workspace README, so that its Rust example is compiled as a doctest.
#[doc = include_str!("../../README.md")]
pub mod readme {}

/// Helpers shared by the test files.
pub mod support {
    use std::path::Path;

    /// The workspace root.
    pub fn workspace_root() -> &'static Path {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest.parent().unwrap_or(manifest)
    }

    /// Every file below `dir` with its bytes, by path relative to `dir` with `/` separators;
    /// panics on I/O errors (tests only).
    pub fn files_below(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut files = std::collections::BTreeMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).expect("folder readable") {
                let path = entry.expect("folder entry").path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let relative = path.strip_prefix(dir).expect("below dir");
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(
                    parts.join("/"),
                    std::fs::read(&path).expect("file readable"),
                );
            }
        }
        files
    }

    /// Copies the folder `from` to `to`, recursively; panics on I/O errors (tests only).
    pub fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create dir");
        for entry in std::fs::read_dir(from).expect("read dir") {
            let path = entry.expect("dir entry").path();
            let target = to.join(path.file_name().expect("file name"));
            if path.is_dir() {
                copy_tree(&path, &target);
            } else {
                std::fs::copy(&path, &target).expect("copy");
            }
        }
    }
}
