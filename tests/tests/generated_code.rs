//! Snapshots of the generated code, one per spec file, and the freshness of the checked-in
//! output: `cargo test` fails when a spec changed and `cargo xtask codegen` was not run.

use tests::support::workspace_root;

fn fresh_outputs() -> Vec<xtask::Output> {
    match xtask::generate_all(workspace_root()) {
        Ok(Ok(outputs)) => outputs,
        Ok(Err(diagnostics)) => panic!("the specs are invalid:\n{diagnostics}"),
        Err(err) => panic!("cannot generate: {err:#}"),
    }
}

/// One snapshot per generated file. Each Rust file comes from exactly one spec file (a group
/// file, or `service.yaml` for the platform's `mod.rs`), and its header names it, so a spec
/// change shows up as a diff of the matching snapshot.
#[test]
fn generated_files_match_snapshots() {
    let mut sources = std::collections::BTreeSet::new();
    for (target, files) in fresh_outputs().iter().filter(|(t, _)| t.owns_folder) {
        for (path, contents) in files {
            let name = format!("{}/{path}", target.out).replace('/', "__");
            let header = contents.lines().next().unwrap_or_default().to_owned();
            insta::with_settings!({ description => &header, omit_expression => true, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, contents);
            });
            if let Some(source) = header
                .split(" from ")
                .nth(1)
                .and_then(|rest| rest.split(". Do not").next())
            {
                sources.insert(source.to_owned());
            }
        }
    }
    // Every spec file is the source of a snapshotted file, so a change to any spec shows up.
    for target in xtask::TARGETS {
        for spec in xtask::read_specs(workspace_root(), target.specs).expect("specs readable") {
            assert!(
                sources.contains(&spec.path),
                "no generated file names {} as its source",
                spec.path
            );
        }
    }
}

#[test]
fn checked_in_output_is_fresh() {
    let stale = xtask::stale_files(workspace_root(), &fresh_outputs()).expect("output readable");
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo xtask codegen`): {stale:?}"
    );
}

#[test]
fn generation_is_deterministic() {
    let flatten = |outputs: Vec<xtask::Output>| -> Vec<(String, String)> {
        outputs
            .into_iter()
            .flat_map(|(t, files)| {
                files
                    .into_iter()
                    .map(move |(p, c)| (format!("{}/{p}", t.out), c))
            })
            .collect()
    };
    assert_eq!(flatten(fresh_outputs()), flatten(fresh_outputs()));
}

/// Every one of the 21 operations of the DingTalk document is in the specs and is a method of
/// the generated client.
#[test]
fn every_dingtalk_operation_is_generated() {
    let files = xtask::read_specs(workspace_root(), "specs").expect("specs readable");
    let api = codegen::check(&files).expect("specs valid");
    let dingtalk = api
        .platforms
        .iter()
        .find(|p| p.module == "dingtalk")
        .expect("dingtalk platform");
    let paths: Vec<String> = dingtalk
        .groups
        .iter()
        .flat_map(|g| {
            g.operations
                .iter()
                .map(|op| format!("{} {}", op.http_method.as_str(), op.path_template()))
        })
        .collect();
    // Method and path of each numbered section of seeds/003, in document order.
    let expected = [
        "GET /gettoken",
        "POST /topapi/blackboard/create",
        "POST /topapi/blackboard/update",
        "POST /topapi/blackboard/delete",
        "POST /topapi/blackboard/get",
        "POST /topapi/blackboard/listids",
        "POST /topapi/blackboard/category/list",
        "POST /topapi/blackboard/listtopten",
        "POST /topapi/report/create",
        "POST /topapi/report/template/getbyname",
        "POST /topapi/report/list",
        "POST /topapi/report/simplelist",
        "POST /topapi/report/statistics/listbytype",
        "POST /topapi/report/receiver/list",
        "POST /topapi/report/comment/list",
        "POST /topapi/report/getunreadcount",
        "POST /topapi/report/template/listbyuserid",
        "POST /topapi/smartwork/hrm/employee/querypreentry",
        "POST /topapi/smartwork/hrm/employee/queryonjob",
        "GET /v1.0/hrm/employees/dismissions",
        "POST /topapi/checkin/record/get",
    ];
    for path in expected {
        assert!(paths.contains(&path.to_owned()), "missing operation {path}");
    }
    assert_eq!(paths.len(), expected.len(), "operations: {paths:?}");
    for group in &dingtalk.groups {
        let file = workspace_root()
            .join("generated/src/dingtalk")
            .join(format!("{}.rs", group.module));
        let source = std::fs::read_to_string(&file).expect("generated group file");
        for op in &group.operations {
            // Declared in the group's `rt::client!`, which expands to `pub async fn`.
            let signature = format!(
                "fn {}({}) -> {};",
                op.method_name, op.request_type, op.response_type
            );
            assert!(
                source.contains(&signature),
                "no client method for {}.{}",
                group.module,
                op.id
            );
        }
    }
}
