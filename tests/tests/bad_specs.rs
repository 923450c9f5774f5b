//! Broken specs: every case in `tests/fixtures/bad/` fails with a located diagnostic (the
//! rendered text is snapshot-tested), and `cargo xtask codegen` on a broken spec exits with
//! failure and leaves the checked-in output byte-identical.

use std::path::{Path, PathBuf};

use codegen::SourceFile;
use tests::support::{copy_tree, files_below, workspace_root};

const VALID_SERVICE: &str = "\
platform: fixture
title: Fixture
sources: [{ file: sources/made_up.txt, title: Made up }]
bases:
  - id: main
    url: https://main.example.com
    auth: { in: query, name: access_token }
    envelope: { style: body_code, code_field: errcode, code_type: integer, success: 0, message_field: errmsg }
  - id: wrapped
    url: https://wrapped.example.com
    auth: { in: body, name: access_token }
    encoding: form
    envelope: { style: success_flag, success_field: success, message_field: msg, payload: data }
signatures:
  - id: top
    style: sorted_params
    algorithm: md5
    timestamp: { in: query, name: timestamp, format: datetime_utc8 }
    signature: { in: query, name: sign }
    key_id: { in: query, name: app_key }
    signed: [app_key, method, timestamp, v]
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

/// The spec files of one case: the broken file and a valid counterpart. A file that is not
/// even UTF-8 is a diagnostic already.
fn case_files(path: &Path) -> Result<Vec<SourceFile>, codegen::Diagnostic> {
    let bytes = std::fs::read(path).expect("fixture readable");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("fixture name");
    let file = |name: &str, text: &str| SourceFile {
        path: format!("specs/fixture/{name}"),
        text: text.to_owned(),
    };
    if name.starts_with("service_") {
        let service = SourceFile::from_bytes("specs/fixture/service.yaml", bytes)?;
        Ok(vec![service, file("things.yaml", VALID_GROUP)])
    } else {
        let group = SourceFile::from_bytes(format!("specs/fixture/{name}"), bytes)?;
        Ok(vec![file("service.yaml", VALID_SERVICE), group])
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

/// Names that only collide across files: platform `deserialize` with group `requests` makes
/// the group feature `deserialize-requests`, which the crate declares itself. (The corpus
/// pairs each case with a fixed counterpart, so it cannot hold this one.)
#[test]
fn a_group_feature_named_like_a_crate_feature_is_located() {
    let files = [
        SourceFile {
            path: "specs/deserialize/service.yaml".into(),
            text: VALID_SERVICE.replace("platform: fixture", "platform: deserialize"),
        },
        SourceFile {
            path: "specs/deserialize/requests.yaml".into(),
            text: VALID_GROUP.replace("group: things", "group: requests"),
        },
    ];
    let diagnostics = match codegen::generate(&files, &codegen::Options::default()) {
        Err(codegen::Error::Specs(diagnostics)) => diagnostics,
        other => panic!(
            "expected diagnostics, got {:?}",
            other.map(|g| g.files.len())
        ),
    };
    let only: Vec<_> = diagnostics.iter().collect();
    assert_eq!(only.len(), 1, "{}", diagnostics.render(&files));
    assert_eq!(
        only[0].message,
        "`deserialize-requests` is declared twice as a cargo feature: by group `requests` and by `Deserialize` for requests"
    );
    let location = &only[0].location;
    assert_eq!(
        (location.file.as_str(), location.line, location.column),
        ("specs/deserialize/requests.yaml", 1, 8)
    );
}

/// One `Event` enum per platform: a second group file declaring events is located, with the
/// first one named beside it.
#[test]
fn events_declared_in_two_group_files_are_located() {
    let events = |group: &str, value: &str| {
        format!(
            "group: {group}\ntitle: T\noperations: []\nevents:\n  type_field: EventType\n  deliveries: [stream]\n  types:\n    - {{ value: {value}, name: {value}, payload: P{group}, summary: S }}\nmodels:\n  - name: P{group}\n    fields: []\n"
        )
    };
    let files = [
        SourceFile {
            path: "specs/fixture/service.yaml".into(),
            text: VALID_SERVICE.to_owned(),
        },
        SourceFile {
            path: "specs/fixture/a.yaml".into(),
            text: events("a", "one"),
        },
        SourceFile {
            path: "specs/fixture/b.yaml".into(),
            text: events("b", "two"),
        },
    ];
    let diagnostics = match codegen::generate(&files, &codegen::Options::default()) {
        Err(codegen::Error::Specs(diagnostics)) => diagnostics,
        other => panic!(
            "expected diagnostics, got {:?}",
            other.map(|g| g.files.len())
        ),
    };
    let only: Vec<_> = diagnostics.iter().collect();
    assert_eq!(only.len(), 1, "{}", diagnostics.render(&files));
    assert_eq!(only[0].message, "a second group file declares events");
    let location = &only[0].location;
    assert_eq!(
        (location.file.as_str(), location.line),
        ("specs/fixture/b.yaml", 5)
    );
    let rendered = diagnostics.render(&files);
    assert!(
        rendered.contains("specs/fixture/a.yaml") && rendered.contains("declared here"),
        "{rendered}"
    );
}

#[test]
fn every_broken_spec_gets_a_located_diagnostic() {
    let mut cases = 0;
    insta::glob!("../fixtures/bad", "*.yaml", |path| {
        cases += 1;
        let (diagnostics, files) = match case_files(path) {
            Err(unreadable) => {
                let mut diagnostics = codegen::Diagnostics::default();
                diagnostics.push(unreadable);
                (diagnostics, Vec::new())
            }
            Ok(files) => match codegen::generate(&files, &codegen::Options::default()) {
                Err(codegen::Error::Specs(diagnostics)) => (diagnostics, files),
                Err(other) => panic!("{}: expected spec diagnostics, got {other}", path.display()),
                Ok(_) => panic!("{}: a broken spec generated code", path.display()),
            },
        };
        assert!(!diagnostics.is_empty());
        for diagnostic in diagnostics.iter() {
            let location = &diagnostic.location;
            assert!(location.file.starts_with("specs/fixture/"), "{location}");
            assert!(location.line >= 1 && location.column >= 1, "{location}");
        }
        insta::assert_snapshot!(diagnostics.render(&files));
    });
    assert!(cases >= 40, "the corpus has {cases} cases");
}

/// Every corpus case, dropped into a copy of the workspace's specs, makes `cargo xtask
/// codegen` fail without touching one byte of `generated/`.
#[test]
fn no_broken_spec_touches_generated() {
    let copy = tempfile::tempdir().expect("temp dir");
    copy_tree(&workspace_root().join("specs"), &copy.path().join("specs"));
    copy_tree(
        &workspace_root().join("generated"),
        &copy.path().join("generated"),
    );
    let before = files_below(&copy.path().join("generated"));
    let corpus = workspace_root().join("tests/fixtures/bad");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    for case in &cases {
        let name = case.file_name().and_then(|n| n.to_str()).expect("name");
        let dir = copy.path().join("specs/fixture");
        std::fs::create_dir_all(&dir).expect("fixture dir");
        let bytes = std::fs::read(case).expect("case");
        if name.starts_with("service_") {
            std::fs::write(dir.join("service.yaml"), bytes).expect("write");
            std::fs::write(dir.join("things.yaml"), VALID_GROUP).expect("write");
        } else {
            std::fs::write(dir.join("service.yaml"), VALID_SERVICE).expect("write");
            std::fs::write(dir.join(name), bytes).expect("write");
        }
        // A spec that is not UTF-8 is an error before generation; every other case is a
        // failed generation. Either way nothing may be written.
        let succeeded = matches!(xtask::codegen(copy.path(), false), Ok(true));
        assert!(!succeeded, "{name}: codegen succeeded");
        assert_eq!(
            before,
            files_below(&copy.path().join("generated")),
            "{name}: generated/ changed"
        );
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
    assert!(cases.len() >= 40);
}

/// A spec of several megabytes with one defect near its end: found, located, no panic.
#[test]
fn a_huge_spec_is_located_precisely() {
    let mut text = String::from(VALID_GROUP);
    text.push_str("    response:\n");
    for i in 0..40_000 {
        text.push_str(&format!(
            "      - {{ name: field_{i}, type: string, description: 第{i}个字段 }}\n"
        ));
    }
    text.push_str("      - { name: last, type: Sting }\n");
    assert!(text.len() > 2_000_000, "{} bytes", text.len());
    let files = [
        SourceFile {
            path: "specs/fixture/service.yaml".into(),
            text: VALID_SERVICE.into(),
        },
        SourceFile {
            path: "specs/fixture/things.yaml".into(),
            text,
        },
    ];
    let diagnostics = match codegen::generate(&files, &codegen::Options::default()) {
        Err(codegen::Error::Specs(diagnostics)) => diagnostics,
        other => panic!(
            "expected one diagnostic, got {:?}",
            other.map(|g| g.files.len())
        ),
    };
    let only: Vec<_> = diagnostics.iter().collect();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].message, "unknown type `Sting`");
    assert_eq!(
        (only[0].location.line, only[0].location.column),
        (40_010, 29)
    );
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

        let before = files_below(&copy.path().join("generated"));
        let ok = xtask::codegen(copy.path(), false).expect("no I/O error");
        assert!(!ok, "{defect}: codegen reported success");
        assert_eq!(
            before,
            files_below(&copy.path().join("generated")),
            "{defect}: generated/ changed"
        );

        let files = xtask::read_specs(copy.path(), "specs").expect("specs readable");
        let diagnostics = codegen::check(&files).expect_err("broken spec");
        let rendered = diagnostics.render(&files);
        assert!(
            rendered.contains("specs/dingtalk/blackboard.yaml:"),
            "{defect}: {rendered}"
        );
        let first = diagnostics.iter().next().expect("one diagnostic");
        assert_eq!(
            first.location.file, "specs/dingtalk/blackboard.yaml",
            "{defect}"
        );
        assert!(first.location.line > 1, "{defect}: {first}");
    }
}
