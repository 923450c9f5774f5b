//! DingTalk's 部门管理 endpoints (`topapi/v2/department/*`, specs/dingtalk/department.yaml)
//! called against a local server that answers each page's own example response, read out of
//! its committed source (specs/dingtalk/sources/018..025): the request's wire form (the token
//! in the query, the body as form pairs in the spec's order, comma-separated lists as one
//! field) and the decoded example.
//!
//! Five of the eight pages mask digits of the IDs in their example responses (`41xxxx76`),
//! which makes them invalid JSON; the server here answers those examples with each masking
//! `x` outside strings read as `0` (see [`unmasked`]), and a test pins that nothing else
//! changes.

mod support;

use open_platform_clients::dingtalk::department;
use open_platform_clients::runtime::{ApiRequest as _, Error};
use support::{
    dingtalk_client, dingtalk_source, example_after, form_body, header, page_example, query,
    the_one_request, TOKEN,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request};

const CREATE: &str = "018_department_create.txt";
const UPDATE: &str = "019_department_update.txt";
const DELETE: &str = "020_department_delete.txt";
const GET: &str = "021_department_get.txt";
const LIST_SUB: &str = "022_department_listsub.txt";
const LIST_SUB_IDS: &str = "023_department_listsubid.txt";
const LIST_PARENTS_OF_DEPARTMENT: &str = "024_department_listparentbydept.txt";
const LIST_PARENTS_OF_USER: &str = "025_department_listparentbyuser.txt";

/// The 响应体示例 of a page, exactly as it prints it.
fn page_response(file: &str) -> String {
    example_after(&dingtalk_source(file), "响应体示例", 0).to_owned()
}

/// `example` with the pages' masking `x` in numbers read as `0`: outside strings, JSON has no
/// letter `x` (only `true`, `false` and `null`), so every `x` there is a masked digit.
fn unmasked(example: &str) -> String {
    let (mut in_string, mut escaped) = (false, false);
    example
        .chars()
        .map(|c| {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                'x' if !in_string => return '0',
                _ => {}
            }
            c
        })
        .collect()
}

/// A server answering `example` to `POST <route>`, once.
async fn serve(route: &str, example: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(page_example(&example))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The one request: a form posted to `route` with the token in the query alone, carrying
/// exactly `expected` in this order.
async fn assert_form_request(server: &MockServer, route: &str, expected: &[(&str, &str)]) {
    let request: Request = the_one_request(server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), route);
    assert_eq!(
        query(&request),
        pairs(&[("access_token", TOKEN)]),
        "the token in the query, as the 查询参数 table says, and nothing else"
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded"),
        "a form, as the page's curl example posts"
    );
    assert_eq!(form_body(&request), pairs(expected));
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn masked_examples_differ_from_the_pages_only_in_their_masked_digits() {
    for file in [
        CREATE,
        LIST_SUB,
        LIST_SUB_IDS,
        LIST_PARENTS_OF_DEPARTMENT,
        LIST_PARENTS_OF_USER,
    ] {
        let page = page_response(file);
        assert!(
            serde_json::from_str::<serde_json::Value>(&page).is_err(),
            "{file}: the page's example is not JSON as printed"
        );
        let served = unmasked(&page);
        serde_json::from_str::<serde_json::Value>(&served)
            .unwrap_or_else(|e| panic!("{file}: the unmasked example is JSON: {e}"));
        for (printed, sent) in page.chars().zip(served.chars()) {
            assert!(printed == sent || (printed, sent) == ('x', '0'), "{file}");
        }
    }
    // The other pages' examples are JSON as printed and served unchanged.
    for file in [UPDATE, DELETE, GET] {
        let page = page_response(file);
        assert_eq!(unmasked(&page), page, "{file}");
        serde_json::from_str::<serde_json::Value>(&page).expect("JSON as printed");
    }
}

#[tokio::test]
async fn create_posts_the_curl_examples_fields_as_a_form() {
    let route = "/topapi/v2/department/create";
    let server = serve(route, unmasked(&page_response(CREATE))).await;
    // The page's curl example, field by field.
    let request = department::CreateRequest::new("HR", 10)
        .outer_dept(true)
        .hide_dept(true)
        .create_dept_group(true)
        .order(10)
        .source_identifier("HR部门")
        .dept_permits(vec![3, 4, 5])
        .user_permits(strings(&["100", "200"]))
        .outer_permit_users(strings(&["500", "600"]))
        .outer_permit_depts(vec![6, 7, 8])
        .outer_dept_only_self(true);

    let response = dingtalk_client(&server)
        .department()
        .create(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("6iq4zcul5zjp"));
    assert_eq!(response.result.and_then(|r| r.dept_id), Some(41_000_076));
    assert_form_request(
        &server,
        route,
        &[
            ("name", "HR"),
            ("parent_id", "10"),
            ("hide_dept", "true"),
            ("dept_permits", "3,4,5"),
            ("user_permits", "100,200"),
            ("outer_dept", "true"),
            ("outer_dept_only_self", "true"),
            ("outer_permit_users", "500,600"),
            ("outer_permit_depts", "6,7,8"),
            ("create_dept_group", "true"),
            ("order", "10"),
            ("source_identifier", "HR部门"),
        ],
    )
    .await;
    // The lists travel as the curl example writes them: one field, commas percent-encoded.
    let body = String::from_utf8(the_one_request(&server).await.body).expect("UTF-8");
    assert!(body.contains("&dept_permits=3%2C4%2C5&"), "{body}");
}

/// The limits the pages state in prose are checked before anything is sent.
#[tokio::test]
async fn create_and_update_reject_what_the_pages_forbid_before_sending() {
    let fifty_one: Vec<String> = (0..51).map(|i| format!("user{i}")).collect();
    let cases = [
        ("name", department::CreateRequest::new("研发-一部", 1)),
        ("name", department::CreateRequest::new("研发，一部", 1)),
        ("name", department::CreateRequest::new("研发,一部", 1)),
        ("name", department::CreateRequest::new("", 1)),
        ("name", department::CreateRequest::new("部".repeat(65), 1)),
        (
            "user_permits",
            department::CreateRequest::new("HR", 1).user_permits(fifty_one.clone()),
        ),
        (
            "outer_permit_depts",
            department::CreateRequest::new("HR", 1).outer_permit_depts((0..51).collect()),
        ),
    ];
    let server = MockServer::start().await;
    let client = dingtalk_client(&server);
    for (field, request) in cases {
        match client.department().create(request).await {
            Err(Error::InvalidRequest { source, .. }) => assert_eq!(source.path, field),
            other => panic!("{field}: expected an invalid request, got {other:?}"),
        }
    }
    match client
        .department()
        .update(department::UpdateRequest::new(100).code("1".repeat(31)))
        .await
    {
        Err(Error::InvalidRequest { source, .. }) => assert_eq!(source.path, "code"),
        other => panic!("code: expected an invalid request, got {other:?}"),
    }
    // Sixty-four characters, none of them forbidden, pass.
    assert!(department::CreateRequest::new("部".repeat(64), 1)
        .validate()
        .is_ok());
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn update_posts_the_curl_examples_fields_as_a_form() {
    let route = "/topapi/v2/department/update";
    let server = serve(route, page_response(UPDATE)).await;
    let request = department::UpdateRequest::new(100)
        .parent_id(2)
        .hide_dept(true)
        .user_permits(strings(&["100", "200"]))
        .dept_permits(vec![3, 4, 5])
        .language(department::ContactLanguage::ZhCn)
        .code("10000");

    let response = dingtalk_client(&server)
        .department()
        .update(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("6iq4zcul5zjp"));
    assert_form_request(
        &server,
        route,
        &[
            ("dept_id", "100"),
            ("parent_id", "2"),
            ("hide_dept", "true"),
            ("dept_permits", "3,4,5"),
            ("user_permits", "100,200"),
            ("language", "zh_CN"),
            ("code", "10000"),
        ],
    )
    .await;
}

/// 部门主管 listed with commas, and force_update_fields naming the field to clear.
#[tokio::test]
async fn update_sends_manager_lists_and_forced_fields_comma_separated() {
    let route = "/topapi/v2/department/update";
    let server = serve(route, page_response(UPDATE)).await;
    let request = department::UpdateRequest::new(100)
        .dept_manager_userid_list(strings(&["manager220", "manager221"]))
        .force_update_fields(strings(&["dept_manager_userid_list"]))
        .org_dept_owner("100");

    dingtalk_client(&server)
        .department()
        .update(request)
        .await
        .expect("the example decodes");

    assert_form_request(
        &server,
        route,
        &[
            ("dept_id", "100"),
            ("dept_manager_userid_list", "manager220,manager221"),
            ("org_dept_owner", "100"),
            ("force_update_fields", "dept_manager_userid_list"),
        ],
    )
    .await;
}

#[tokio::test]
async fn delete_posts_the_dept_id() {
    let route = "/topapi/v2/department/delete";
    let server = serve(route, page_response(DELETE)).await;

    let response = dingtalk_client(&server)
        .department()
        .delete(department::DeleteRequest::new(100))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("6iq4zcul5zjp"));
    assert_form_request(&server, route, &[("dept_id", "100")]).await;
}

#[tokio::test]
async fn get_decodes_the_department_details() {
    let route = "/topapi/v2/department/get";
    let server = serve(route, page_response(GET)).await;

    let response = dingtalk_client(&server)
        .department()
        .get(department::GetRequest::new(100).language(department::ContactLanguage::ZhCn))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("4e7ljtq91rgo"));
    let dept = response.result.expect("a result");
    assert_eq!(dept.dept_id, Some(1));
    assert_eq!(dept.name.as_deref(), Some("测试"));
    assert_eq!(dept.order, Some(0));
    assert_eq!(dept.code.as_deref(), Some("100"));
    assert_eq!(dept.dept_permits, Some(vec![3, 4, 5]));
    assert_eq!(dept.outer_permit_depts, Some(vec![500, 600]));
    assert_eq!(dept.outer_permit_users, Some(strings(&["user123", "1234"])));
    assert_eq!(dept.user_permits, Some(Vec::new()));
    assert_eq!(
        dept.dept_manager_userid_list,
        Some(strings(&["1020302901-431772414"]))
    );
    assert_eq!(dept.org_dept_owner.as_deref(), Some("manager9153"));
    assert_eq!(
        dept.dept_group_chat_id.as_deref(),
        Some("chat1fccdb4b921f2bde18c26xxxx")
    );
    assert_eq!(
        (dept.outer_dept, dept.hide_dept, dept.group_contain_sub_dept),
        (Some(false), Some(false), Some(true))
    );
    assert_eq!(
        (dept.auto_add_user, dept.create_dept_group),
        (Some(true), Some(true))
    );
    // The example leaves these out (a department without them, or a third-party app's call).
    assert_eq!(
        (dept.tags, dept.member_count, dept.source_identifier),
        (None, None, None)
    );
    // The example's snake_case members, where the table writes deptId and corpId.
    let union = dept.union_dept_ext.expect("union_dept_ext");
    assert_eq!(union.dept_id, Some(1_234_567));
    assert_eq!(union.corp_id.as_deref(), Some("test"));

    assert_form_request(&server, route, &[("dept_id", "100"), ("language", "zh_CN")]).await;
}

/// 教育部门标签 decodes to its enum, an unlisted tag is kept.
#[test]
fn department_tags_decode_by_value() {
    let tag = |text: &str| serde_json::from_str::<department::DeptTag>(text).expect("a tag");
    assert_eq!(tag(r#""campus""#), department::DeptTag::Campus);
    assert_eq!(tag(r#""class""#), department::DeptTag::Class);
    assert_eq!(
        tag(r#""school""#),
        department::DeptTag::Unknown("school".to_owned())
    );
}

#[tokio::test]
async fn list_sub_decodes_the_next_level_departments() {
    let route = "/topapi/v2/department/listsub";
    let server = serve(route, unmasked(&page_response(LIST_SUB))).await;
    let request = department::ListSubRequest::new()
        .dept_id(100)
        .language(department::ContactLanguage::ZhCn);

    let response = dingtalk_client(&server)
        .department()
        .list_sub(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("5um7ykyaalsj"));
    let departments = response.result.expect("a result");
    let summary: Vec<_> = departments
        .iter()
        .map(|d| (d.dept_id, d.name.as_deref(), d.parent_id, d.auto_add_user))
        .collect();
    assert_eq!(
        summary,
        [
            (Some(37_000_095), Some("市场部"), Some(1), Some(true)),
            (Some(399_000_096), Some("财务部"), Some(1), Some(true)),
        ]
    );
    assert_form_request(&server, route, &[("dept_id", "100"), ("language", "zh_CN")]).await;
}

/// Both members are optional: a call without them posts an empty form.
#[tokio::test]
async fn list_sub_without_members_posts_an_empty_form() {
    let route = "/topapi/v2/department/listsub";
    let server = serve(route, unmasked(&page_response(LIST_SUB))).await;

    dingtalk_client(&server)
        .department()
        .list_sub(department::ListSubRequest::new())
        .await
        .expect("the example decodes");

    let request = the_one_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[("access_token", TOKEN)]),
        "the token stays in the query"
    );
    assert!(form_body(&request).is_empty(), "no body members");
}

#[tokio::test]
async fn list_sub_ids_decodes_the_child_ids() {
    let route = "/topapi/v2/department/listsubid";
    let server = serve(route, unmasked(&page_response(LIST_SUB_IDS))).await;

    let response = dingtalk_client(&server)
        .department()
        .list_sub_ids(department::ListSubIdsRequest::new(100))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("169dfniaazqb4"));
    assert_eq!(
        response.result.and_then(|r| r.dept_id_list),
        Some(vec![
            379_000_095,
            411_000_076,
            399_000_096,
            400_000_083,
            404_000_047
        ])
    );
    assert_form_request(&server, route, &[("dept_id", "100")]).await;
}

#[tokio::test]
async fn list_parents_of_department_decodes_the_path_to_the_root() {
    let route = "/topapi/v2/department/listparentbydept";
    let server = serve(route, unmasked(&page_response(LIST_PARENTS_OF_DEPARTMENT))).await;

    let response = dingtalk_client(&server)
        .department()
        .list_parents_of_department(department::ListParentsOfDepartmentRequest::new(100))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("ov7bc964j9pe"));
    assert_eq!(
        response.result.and_then(|r| r.parent_id_list),
        Some(vec![42_000_036, 1]),
        "the department itself first, the root last"
    );
    assert_form_request(&server, route, &[("dept_id", "100")]).await;
}

#[tokio::test]
async fn list_parents_of_user_decodes_one_path_per_department() {
    let route = "/topapi/v2/department/listparentbyuser";
    let server = serve(route, unmasked(&page_response(LIST_PARENTS_OF_USER))).await;

    let response = dingtalk_client(&server)
        .department()
        .list_parents_of_user(department::ListParentsOfUserRequest::new("100"))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("nfe328zf67ec"));
    let paths: Vec<_> = response
        .result
        .and_then(|r| r.parent_list)
        .expect("a parent list")
        .into_iter()
        .map(|p| p.parent_dept_id_list)
        .collect();
    assert_eq!(paths, [Some(vec![37_000_095, 1])]);
    assert_form_request(&server, route, &[("userid", "100")]).await;
}
