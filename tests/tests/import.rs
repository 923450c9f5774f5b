//! The importer (`cargo xtask import`): arbitrary text never panics it, and a draft it hands
//! out always validates (it never yields an invalid spec silently); the contract check passes
//! on today's specs.

use codegen::spec;
use proptest::prelude::*;
use tests::support::workspace_root;

/// Pieces of the seed documents' layouts and of noise, glued into pages at random.
const PIECES: &[&str] = &[
    "1、获取企业内部应用的access_token",
    "基本信息",
    "请求方式:POST",
    "请求方式:GET",
    "请求地址:https://oapi.dingtalk.com/topapi/blackboard/create",
    "请求地址:https://api.dingtalk.com/v1.0/hrm/employees/dismissions",
    "Query参数",
    "Body参数",
    "返回参数",
    "名称 | 类型 | 是否必填 | 示例值 | 描述 |",
    "名称 | 类型 | 示例值 | 描述 |",
    "access_token | String | 是 | 6d1bxxxx | 调用该接口的应用凭证。",
    "create_request | OapiCreateBlackboardVo | 是 | 请求对象。 | |",
    "deptid_list | Number[] | 否 | [1] | 接收部门ID列表,最大的列表长度为20。 |",
    "page_size | Number | 是 | 10 | 分页大小,从1开始不超过30 |",
    "|",
    "接口详见",
    "POST",
    "/apps/v1/card/set-enterprise-data",
    "请求参数",
    "Body 参数application/json",
    "type",
    "string",
    "必需",
    "可选",
    "默认值:",
    "枚举值:",
    "LIST",
    "序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |",
    "---|---|---|---|---|---|",
    "3.1 |",
    "org_id |",
    "必選 |",
    "String |",
    "url | https://api.tze.cn/user/openapi/org/get-org-child-list?org_id=*** |",
    "請求方式 | get |",
    "{ \"code\": \"000000\", \"result\": { \"count\": 3 ",
    "| data.page_size | integer | 是 | 10 | 分页大小 |",
    "## POST /v1/things",
    "",
    "  ",
    "🙂 | | | |",
    "Sting",
    "json[]",
];

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_owned),
            1 => ".{0,40}",
        ],
        0..60,
    )
    .prop_map(|lines| lines.join("\n"))
}

/// A platform's service file, parsed and as a source file. tze's declares no credentials, so
/// a draft validated with it is checked exactly as the importer checked it.
fn service(platform: &str) -> (spec::ServiceFile, Vec<codegen::SourceFile>) {
    let path = format!("specs/{platform}/service.yaml");
    let text = std::fs::read_to_string(workspace_root().join(&path)).expect("service file");
    let service = serde_yaml::from_str(&text).expect("a valid service file");
    (service, vec![codegen::SourceFile { path, text }])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_pages_never_panic_and_never_yield_an_invalid_spec(text in page()) {
        let (service, files) = service("tze");
        let Ok(draft) = xtask::import::read(&text) else { return Ok(()); };
        let warnings_have_lines = draft.warnings.iter().all(|w| w.line >= 1);
        prop_assert!(warnings_have_lines);
        if let Ok(written) =
            xtask::import::command::draft_group(&files, &service, &draft, "imported", "page.txt")
        {
            // What the importer hands out validates on its own.
            let mut all = files.clone();
            all.push(codegen::SourceFile {
                path: "specs/tze/imported.yaml".to_owned(),
                text: written.text.clone(),
            });
            let generated = codegen::generate(&all, &codegen::Options::default());
            prop_assert!(generated.is_ok(), "{}", written.text);
        }
    }
}

/// Every committed source document that documents an endpoint drafts into a group file that
/// validates with its platform's service file.
#[test]
fn every_source_document_drafts_into_a_valid_spec() {
    let root = workspace_root();
    let mut drafted = 0;
    for platform in ["chengxun", "dingtalk", "tze"] {
        let (service, files) = service(platform);
        // Reference documents (rate limits) describe nothing to draft.
        for source in service.sources.iter().filter(|s| !s.reference) {
            let path = root.join("specs").join(platform).join(&source.file);
            let text = std::fs::read_to_string(&path).expect("source document");
            let draft = xtask::import::read(&text).expect("a known layout");
            if draft.operations.is_empty() {
                continue;
            }
            let written = xtask::import::command::draft_group(
                &files,
                &service,
                &draft,
                "imported",
                &source.file,
            );
            assert!(written.is_ok(), "{}: {:?}", source.file, written.err());
            drafted += 1;
        }
    }
    assert_eq!(drafted, 39, "documents with endpoints");
}

#[test]
fn todays_specs_pass_the_contract_check() {
    let differences =
        xtask::import::command::contract_differences(workspace_root()).expect("check runs");
    let listed: Vec<String> = differences
        .iter()
        .map(|d| format!("{}: {}", d.document, d.message))
        .collect();
    assert!(listed.is_empty(), "{}", listed.join("\n"));
}

/// The README's table of the importer's figures is what `cargo xtask import --figures` prints
/// today: a spec or importer change that moves a figure updates the table in the same commit.
#[test]
fn the_readme_shows_todays_importer_figures() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let begin = "<!-- import-figures:begin (printed by `cargo xtask import --figures`) -->\n";
    let start = readme
        .find(begin)
        .expect("the README marks the table's start")
        + begin.len();
    let end = readme[start..]
        .find("<!-- import-figures:end -->")
        .expect("the README marks the table's end");
    let printed = xtask::import::command::figures(root).expect("the figures are computed");
    let shown: Vec<&str> = readme[start..start + end].lines().collect();
    let today: Vec<&str> = printed.lines().collect();
    let differing: Vec<String> = (0..shown.len().max(today.len()))
        .filter(|i| shown.get(*i) != today.get(*i))
        .map(|i| format!("README: {:?}\ntoday:  {:?}", shown.get(i), today.get(i)))
        .collect();
    assert!(
        differing.is_empty(),
        "run `cargo xtask import --figures` and put its output into README.md:\n{}",
        differing.join("\n")
    );
}
