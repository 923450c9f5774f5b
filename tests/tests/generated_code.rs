//! The checked-in generated code is its own golden: `cargo test` fails when a spec changed and
//! `cargo xtask codegen` was not run, when a file under `generated/` is not generator output,
//! and when a snapshot repeats a checked-in file.

use tests::support::{files_below, workspace_root};

fn fresh_outputs() -> Vec<xtask::Output> {
    match xtask::generate_all(workspace_root()) {
        Ok(Ok(outputs)) => outputs,
        Ok(Err(diagnostics)) => panic!("the specs are invalid:\n{diagnostics}"),
        Err(err) => panic!("cannot generate: {err:#}"),
    }
}

/// The checked-in output is the one golden of the real specs (and of the kitchen-sink
/// fixture): reviewed as a diff in the pull request, held fresh by the test below and by
/// `cargo xtask codegen --check`. Each generated file names the spec it came from in its
/// header, and every spec file is named by one, so a change to any spec shows up as a diff.
#[test]
fn every_spec_file_is_the_source_of_a_generated_file() {
    let mut sources = std::collections::BTreeSet::new();
    for (_, files) in fresh_outputs().iter().filter(|(t, _)| t.owns_folder) {
        for contents in files.values() {
            let header = contents.lines().next().unwrap_or_default();
            if let Some(source) = header
                .split(" from ")
                .nth(1)
                .and_then(|rest| rest.split(". Do not").next())
            {
                sources.insert(source.to_owned());
            }
        }
    }
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

/// Everything under `generated/` is generator output: the hand-written runtime lives in its
/// own crate, and the crate's manifest and `lib.rs` are generated too.
#[test]
fn every_file_under_generated_has_the_generated_header() {
    let files = files_below(&workspace_root().join("generated"));
    assert!(files.len() > 10, "generated/ holds {} files", files.len());
    for (file, bytes) in files {
        let contents = String::from_utf8(bytes).expect("generated file is text");
        assert!(
            codegen::is_generated(&contents),
            "generated/{file} lacks the @generated header on its first line"
        );
    }
}

/// No insta snapshot is a second copy of a checked-in generated file.
#[test]
fn no_snapshot_duplicates_a_checked_in_file() {
    let snapshots = workspace_root().join("tests/tests/snapshots");
    let mut checked_in = std::collections::BTreeSet::new();
    for (target, files) in fresh_outputs().iter().filter(|(t, _)| t.owns_folder) {
        for path in files.keys() {
            let on_disk = workspace_root().join(target.out).join(path);
            checked_in.insert(std::fs::read_to_string(on_disk).expect("checked-in file"));
        }
    }
    for entry in std::fs::read_dir(snapshots).expect("snapshots readable") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|e| e != "snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("snapshot is text");
        // An insta snapshot is a YAML front matter between `---` lines, then the contents.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        assert!(
            !checked_in.contains(body) && !checked_in.contains(body.trim_end()),
            "{} repeats a checked-in generated file",
            path.display()
        );
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
    // Method and path of each numbered section of the DingTalk document
    // (specs/dingtalk/sources/003_server_api.txt), in document order, then of the pages
    // transcribed since.
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
        // Beyond the seed document: the pages under specs/dingtalk/sources/004..008.
        "POST /media/upload",
        "POST /robot/send",
        "POST /topapi/user/listid",
        "POST /v1.0/oauth2/accessToken",
        "POST /v1.0/oauth2/userAccessToken",
        "GET /v1.0/contact/users/{unionId}",
        "POST /service/get_suite_token",
        "POST /service/get_corp_token",
        "POST /v1.0/oauth2/suiteAccessToken",
        "POST /v1.0/oauth2/corpAccessToken",
        "POST /service/reauth_corp",
        // 工作通知: specs/dingtalk/sources/038..043.
        "POST /topapi/message/corpconversation/asyncsend_v2",
        "POST /topapi/message/corpconversation/getsendprogress",
        "POST /topapi/message/corpconversation/getsendresult",
        "POST /topapi/message/corpconversation/recall",
        "POST /topapi/message/corpconversation/status_bar/update",
        // 部门管理: specs/dingtalk/sources/018..025.
        "POST /topapi/v2/department/create",
        "POST /topapi/v2/department/update",
        "POST /topapi/v2/department/delete",
        "POST /topapi/v2/department/get",
        "POST /topapi/v2/department/listsub",
        "POST /topapi/v2/department/listsubid",
        "POST /topapi/v2/department/listparentbydept",
        "POST /topapi/v2/department/listparentbyuser",
        // 用户管理: specs/dingtalk/sources/026..036.
        "POST /topapi/v2/user/create",
        "POST /topapi/v2/user/get",
        "POST /topapi/v2/user/update",
        "POST /topapi/v2/user/delete",
        "POST /topapi/user/count",
        "POST /topapi/v2/user/list",
        "POST /topapi/user/listsimple",
        "POST /topapi/v2/user/getbymobile",
        "POST /topapi/user/getbyunionid",
        "POST /topapi/inactive/user/v2/get",
        "POST /topapi/user/listadmin",
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

/// Each platform module cites the documents its specs came from by their public title,
/// linked to the address where one is known, and never by a path users cannot open.
#[test]
fn platform_modules_cite_their_documents_by_title_and_address() {
    let outputs = fresh_outputs();
    let generated = &outputs[0].1;
    let chengxun = &generated["src/chengxun/mod.rs"];
    assert!(chengxun.contains(
        "//! - [设置卡片组织级数据 - 橙讯开放平台基线](https://apifox.com/apidoc/docs-site/5098802/api-236240923)\n"
    ), "{chengxun}");
    assert!(chengxun.contains("//! - 换取企业永久授权码 - 橙讯开放平台基线\n"));
    for (path, contents) in generated {
        assert!(
            !contents.contains("seeds/"),
            "{path} cites a workspace path"
        );
        assert!(
            !contents.contains("sources/0"),
            "{path} cites a repository path"
        );
    }
}
