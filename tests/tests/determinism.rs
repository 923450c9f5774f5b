//! Determinism: the same specs give the same bytes however often they are generated, in
//! whatever order and from wherever they are read; and the synthetic spec set
//! (`xtask::synth`) is the same bytes on every call and in every folder it is written to.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::SourceFile;
use tests::support::{copy_tree, files_below, workspace_root};
use xtask::synth;

fn generate(files: &[SourceFile]) -> BTreeMap<String, String> {
    codegen::generate(files, &codegen::Options::default())
        .unwrap_or_else(|err| panic!("{err}"))
        .files
}

fn read_specs(root: &Path, dir: &str) -> Vec<SourceFile> {
    xtask::read_specs(root, dir).unwrap_or_else(|err| panic!("cannot read {dir}: {err:#}"))
}

/// The synthetic set as `synth::run` writes it: paths relative to the output folder, the
/// source document the service file names included.
fn synth_tree(endpoints: usize) -> BTreeMap<String, Vec<u8>> {
    let (document, text) = synth::SOURCE_DOCUMENT;
    let mut tree: BTreeMap<String, Vec<u8>> = synth::specs(endpoints)
        .into_iter()
        .map(|file| {
            let path = file.path.strip_prefix("specs/").expect("under specs/");
            (path.to_owned(), file.text.into_bytes())
        })
        .collect();
    tree.insert(
        format!("{}/{document}", synth::PLATFORM),
        text.as_bytes().to_vec(),
    );
    tree
}

#[test]
fn generating_twice_gives_identical_bytes() {
    for target in xtask::TARGETS {
        let files = read_specs(workspace_root(), target.specs);
        assert_eq!(generate(&files), generate(&files), "{}", target.specs);
    }
    let files = synth::specs(200);
    assert_eq!(generate(&files), generate(&files), "synthetic specs");
}

#[test]
fn the_order_of_the_input_files_does_not_matter() {
    for target in xtask::TARGETS {
        let files = read_specs(workspace_root(), target.specs);
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(generate(&files), generate(&reversed), "{}", target.specs);
    }
}

/// The output names spec files by their path relative to the workspace root, never by where
/// the workspace is, and has LF line ends only.
#[test]
fn specs_copied_to_another_folder_give_identical_bytes() {
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    for target in xtask::TARGETS {
        copy_tree(
            &workspace_root().join(target.specs),
            &elsewhere.path().join(target.specs),
        );
        let original = read_specs(workspace_root(), target.specs);
        let copy = read_specs(elsewhere.path(), target.specs);
        assert_eq!(original, copy, "{} reads back differently", target.specs);
        let generated = generate(&copy);
        assert_eq!(generate(&original), generated, "{}", target.specs);
        let places = [elsewhere.path(), workspace_root()].map(|p| p.display().to_string());
        for (path, contents) in &generated {
            assert!(!contents.contains('\r'), "{path} has a CR");
            for place in &places {
                assert!(!contents.contains(place.as_str()), "{path} names {place}");
            }
        }
    }
}

#[test]
fn synthetic_specs_are_identical_on_every_call() {
    assert_eq!(synth::specs(500), synth::specs(500));
    let seeded = synth::Config::new(500).with_seed(7);
    assert_eq!(synth::specs_with(&seeded), synth::specs_with(&seeded));
    assert_ne!(
        synth::specs_with(&seeded),
        synth::specs(500),
        "the seed is used"
    );
}

/// Two runs into two folders write the same tree, which is exactly the in-memory set, and
/// reads back through `read_specs` as the same files.
#[test]
fn synthetic_specs_written_twice_give_identical_trees() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&first, &second] {
        assert!(synth::run(&dir.path().join("specs"), 500).expect("written"));
    }
    let written = files_below(&first.path().join("specs"));
    assert_eq!(written, files_below(&second.path().join("specs")));
    assert_eq!(written, synth_tree(500));
    assert_eq!(read_specs(first.path(), "specs"), synth::specs(500));
    let exists = |path: &str| first.path().join(path).is_file();
    let specs = synth::specs(500);
    let api = codegen::check(&specs).expect("valid");
    codegen::check_source_documents(&specs, &api, &exists)
        .expect("the written source document is where the service file says");
}

/// A smaller run over a larger one leaves exactly the smaller set, and files the
/// synthesizer did not write survive.
#[test]
fn a_smaller_synthetic_run_removes_only_its_own_stale_files() {
    let out = tempfile::tempdir().unwrap();
    synth::run(out.path(), 600).expect("written");
    std::fs::write(out.path().join("synth/notes.yaml"), "# mine\n").unwrap();
    synth::run(out.path(), 500).expect("written");
    let mut expected = synth_tree(500);
    expected.insert("synth/notes.yaml".to_owned(), b"# mine\n".to_vec());
    assert_eq!(files_below(out.path()), expected);
}

/// An operation's spec depends on its index and the seed only, so a group is the same bytes
/// whatever the size of the set it belongs to (only the service file names the total).
#[test]
fn synthetic_groups_do_not_depend_on_the_size_of_the_set() {
    let small = synth_tree(100);
    let large = synth_tree(500);
    for (path, contents) in &small {
        if !path.ends_with("service.yaml") {
            assert_eq!(Some(contents), large.get(path), "{path}");
        }
    }
}
