//! Broken specs: every case in `tests/fixtures/bad/` fails with a located diagnostic (the
//! rendered text is snapshot-tested), and `cargo xtask codegen` on a broken spec exits with
//! failure and leaves the checked-in output byte-identical.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::SourceFile;
use tests::support::{copy_tree, workspace_root};

const VALID_SERVICE: &str = "\
platform: fixture
title: Fixture
sources: [made up]
bases:
  - id: main
    url: https://main.example.com
    auth: { in: query, name: access_token }
    envelope: { style: body_code, code_field: errcode, code_type: integer, success: 0, message_field: errmsg }
";

const VALID_GROUP: &str = "\
group: things
title: Things
operations:
  - id: get_thing
    summary: Get a thing
    method: POST
    base: main
    path: /thing/get
";

/// The spec files of one case: the broken file and a valid counterpart.
fn case_files(path: &Path) -> Vec<SourceFile> {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("fixture name");
    let file = |name: &str, text: &str| SourceFile {
        path: format!("specs/fixture/{name}"),
        text: text.to_owned(),
    };
    if name.starts_with("service_") {
        vec![
            file("service.yaml", &text),
            file("things.yaml", VALID_GROUP),
        ]
    } else {
        vec![file("service.yaml", VALID_SERVICE), file(name, &text)]
    }
}

#[test]
fn the_valid_counterparts_are_valid() {
    let files = [
        SourceFile {
            path: "specs/fixture/service.yaml".into(),
            text: VALID_SERVICE.into(),
        },
        SourceFile {
            path: "specs/fixture/things.yaml".into(),
            text: VALID_GROUP.into(),
        },
    ];
    assert!(codegen::generate(&files, &codegen::Options::default()).is_ok());
}

#[test]
fn every_broken_spec_gets_a_located_diagnostic() {
    insta::glob!("../fixtures/bad", "*.yaml", |path| {
        let files = case_files(path);
        let diagnostics = match codegen::generate(&files, &codegen::Options::default()) {
            Err(codegen::Error::Specs(diagnostics)) => diagnostics,
            Err(other) => panic!("{}: expected spec diagnostics, got {other}", path.display()),
            Ok(_) => panic!("{}: a broken spec generated code", path.display()),
        };
        for diagnostic in diagnostics.iter() {
            let location = &diagnostic.location;
            assert!(location.file.starts_with("specs/fixture/"), "{location}");
            assert!(location.line >= 1 && location.column >= 1, "{location}");
        }
        insta::assert_snapshot!(diagnostics.to_string());
    });
}

/// The three defects the pipeline issue names, run through the same code as `cargo xtask
/// codegen` on a copy of the workspace.
#[test]
fn codegen_on_a_broken_spec_writes_nothing() {
    for (defect, from, to) in [
        (
            "unknown key",
            "    path: /topapi/blackboard/listids\n",
            "    path: /topapi/blackboard/listids\n    colour: blue\n",
        ),
        (
            "unknown type",
            "type: OapiBlackboardQueryVo",
            "type: OapiBlackboardQueryV0",
        ),
        (
            "duplicate id",
            "  - id: list_categories\n",
            "  - id: list_ids\n",
        ),
    ] {
        let copy = tempfile::tempdir().expect("temp dir");
        copy_tree(&workspace_root().join("specs"), &copy.path().join("specs"));
        copy_tree(
            &workspace_root().join("generated"),
            &copy.path().join("generated"),
        );
        let spec = copy.path().join("specs/dingtalk/blackboard.yaml");
        let text = std::fs::read_to_string(&spec).expect("spec readable");
        assert!(
            text.contains(from),
            "{defect}: the spec no longer contains {from:?}"
        );
        std::fs::write(&spec, text.replacen(from, to, 1)).expect("spec writable");

        let before = snapshot_tree(&copy.path().join("generated"));
        let ok = xtask::codegen(copy.path(), false).expect("no I/O error");
        assert!(!ok, "{defect}: codegen reported success");
        assert_eq!(
            before,
            snapshot_tree(&copy.path().join("generated")),
            "{defect}: generated/ changed"
        );

        let files = xtask::read_specs(copy.path(), "specs").expect("specs readable");
        let diagnostics = codegen::check(&files).expect_err("broken spec");
        let first = diagnostics.iter().next().expect("one diagnostic");
        assert_eq!(
            first.location.file, "specs/dingtalk/blackboard.yaml",
            "{defect}"
        );
        assert!(first.location.line > 1, "{defect}: {first}");
    }
}

fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}
