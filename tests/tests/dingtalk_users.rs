//! DingTalk's 用户管理 endpoints (the `user` group, specs/dingtalk/sources/026..036) called
//! against a local server that answers each page's own example response, read out of the
//! committed source: the decoded values that matter, and the request's wire form exactly (path,
//! the token in the query, the form body's pairs). The three paged listings are also walked over
//! two pages with `<method>_pages`, one of them the page's example.

mod support;

use futures_util::StreamExt;
use open_platform_clients::dingtalk::{department, user};
use open_platform_clients::runtime::{Error, Millis, Page, Paginated};
use serde_json::json;
use support::{
    dingtalk_client, dingtalk_source, example_after, form_body, header, page_example, query,
    the_one_request, TOKEN,
};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The page's 响应体示例, as the committed source prints it.
fn example_of(source: &str) -> String {
    example_after(&dingtalk_source(source), "响应体示例", 0).to_owned()
}

/// Answers `POST <p>?access_token=<TOKEN>` with `body`, once.
async fn answer(server: &MockServer, p: &str, body: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_param("access_token", TOKEN))
        .respond_with(body)
        .expect(1)
        .mount(server)
        .await;
}

/// Asserts the request's wire form: a form body with exactly `pairs`, the token alone in the
/// query.
fn assert_form(request: &Request, pairs: &[(&str, &str)]) {
    assert_eq!(
        header(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let expected: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(form_body(request), expected);
    assert_eq!(
        query(request),
        [("access_token".to_owned(), TOKEN.to_owned())]
    );
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// create (026_user_create.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_posts_the_curl_examples_members_and_reads_the_new_ids() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/create",
        page_example(&example_of("026_user_create.txt")),
    )
    .await;

    // The page's curl example: name, mobile and dept_id_list.
    let request = user::CreateRequest::new("张三", "18513027676", vec![2, 3, 4]);
    let response = dingtalk_client(&server)
        .user()
        .create(request)
        .await
        .expect("the example (errcode \"0\") decodes");

    let result = response.result.expect("a result");
    assert_eq!(result.userid.as_deref(), Some("zhangsan"));
    assert_eq!(result.union_id.as_deref(), Some("xxxx"));
    assert_form(
        &the_one_request(&server).await,
        &[
            ("name", "张三"),
            ("mobile", "18513027676"),
            ("dept_id_list", "2,3,4"),
        ],
    );
}

#[tokio::test]
async fn create_sends_lists_objects_and_json_as_json_text_in_the_form() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/create",
        page_example(&example_of("026_user_create.txt")),
    )
    .await;

    // The members the Java SDK example sets, with the table's example values.
    let request = user::CreateRequest::new("测试", "184806*****", vec![1])
        .userid("002")
        .senior_mode(false)
        .title("教职人员")
        .email("test@xx.com")
        .org_email("test@xxx.com")
        .org_email_type(user::OrgEmailType::Profession)
        .dept_title_list(vec![user::DeptTitle::new().dept_id(1).title("专员")])
        .hide_mobile(false)
        .telephone("010-86123456-2345")
        .job_number("100828")
        .hired_date(Millis(1_615_219_200_000))
        .work_place("未来park")
        .remark("备注备注")
        .dept_order_list(vec![user::DeptOrder::new().dept_id(1).order(1)])
        .extension([("爱好".to_owned(), "旅游".to_owned())].into())
        .manager_userid("001")
        .login_email("test@xxx.com")
        .extension_i18n(json!({"爱好": {"zh_CN": "旅游", "en_US": "travel"}}));
    dingtalk_client(&server)
        .user()
        .create(request)
        .await
        .expect("the example decodes");

    assert_form(
        &the_one_request(&server).await,
        &[
            ("userid", "002"),
            ("name", "测试"),
            ("mobile", "184806*****"),
            ("hide_mobile", "false"),
            ("telephone", "010-86123456-2345"),
            ("job_number", "100828"),
            ("title", "教职人员"),
            ("email", "test@xx.com"),
            ("org_email", "test@xxx.com"),
            ("org_email_type", "profession"),
            ("work_place", "未来park"),
            ("remark", "备注备注"),
            ("dept_id_list", "1"),
            ("dept_order_list", r#"[{"dept_id":1,"order":1}]"#),
            ("dept_title_list", r#"[{"dept_id":1,"title":"专员"}]"#),
            ("extension", r#"{"爱好":"旅游"}"#),
            ("senior_mode", "false"),
            ("hired_date", "1615219200000"),
            ("manager_userid", "001"),
            ("login_email", "test@xxx.com"),
            (
                "extension_i18n",
                r#"{"爱好":{"en_US":"travel","zh_CN":"旅游"}}"#,
            ),
        ],
    );
}

#[tokio::test]
async fn create_refuses_more_than_100_departments_and_a_userid_over_64_characters() {
    let server = MockServer::start().await;
    let dt = dingtalk_client(&server);

    let too_many = user::CreateRequest::new("张三", "18513027676", (1..=101).collect());
    let err = dt
        .user()
        .create(too_many)
        .await
        .expect_err("101 departments");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    let long_id = user::CreateRequest::new("张三", "18513027676", vec![1]).userid("u".repeat(65));
    let err = dt
        .user()
        .create(long_id)
        .await
        .expect_err("a 65-character userid");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");

    let sent = server.received_requests().await.expect("recording is on");
    assert!(sent.is_empty(), "nothing is sent");
}

// ---------------------------------------------------------------------------------------------
// get (027_user_get.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_reads_the_pages_example_with_its_values_written_as_strings() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/get",
        page_example(&example_of("027_user_get.txt")),
    )
    .await;

    let request = user::GetRequest::new("zhangsan").language(department::ContactLanguage::ZhCn);
    let response = dingtalk_client(&server)
        .user()
        .get(request)
        .await
        .expect("the example decodes");

    let u = response.result.expect("a result");
    assert_eq!(u.userid.as_deref(), Some("zhangsan"));
    assert_eq!(u.unionid.as_deref(), Some("z21HjQliSzpw0YWxxxxx"));
    assert_eq!(u.name.as_deref(), Some("张三"));
    assert_eq!(u.manager_userid.as_deref(), Some("manager240"));
    assert_eq!(u.mobile.as_deref(), Some("18513027676"));
    assert_eq!(u.state_code.as_deref(), Some("86"));
    // "true" / "false" as strings, and a real `false`.
    assert_eq!(u.boss, Some(true));
    assert_eq!(u.admin, Some(true));
    assert_eq!(u.active, Some(true));
    assert_eq!(u.real_authed, Some(true));
    assert_eq!(u.senior, Some(true));
    assert_eq!(u.hide_mobile, Some(false));
    assert_eq!(u.exclusive_account, Some(false));
    // "1597573616828", "[2,3,4]" and a JSON object in a string.
    assert_eq!(u.hired_date, Some(Millis(1_597_573_616_828)));
    assert_eq!(u.dept_id_list, Some(vec![2, 3, 4]));
    let extension = u.extension.expect("the extension");
    assert_eq!(extension.get("爱好").map(String::as_str), Some("旅游"));
    assert_eq!(extension.get("年龄").map(String::as_str), Some("24"));
    // Each list is one object in the example.
    let orders = u.dept_order_list.expect("dept_order_list");
    assert_eq!(orders.len(), 1);
    assert_eq!((orders[0].dept_id, orders[0].order), (Some(2), Some(1)));
    let leads = u.leader_in_dept.expect("leader_in_dept");
    assert_eq!((leads[0].dept_id, leads[0].leader), (Some(2), Some(true)));
    let roles = u.role_list.expect("role_list");
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].id, Some(100));
    assert_eq!(roles[0].name.as_deref(), Some("总监"));
    assert_eq!(roles[0].group_name.as_deref(), Some("职务"));
    let ext = u.union_emp_ext.expect("union_emp_ext");
    assert_eq!(ext.userid.as_deref(), Some("500"));
    assert_eq!(ext.corp_id.as_deref(), Some("dingxxx"));
    let maps = ext.union_emp_map_list.expect("union_emp_map_list");
    assert_eq!(maps[0].userid.as_deref(), Some("5000"));
    assert_eq!(maps[0].corp_id.as_deref(), Some("dingxxx"));

    assert_form(
        &the_one_request(&server).await,
        &[("userid", "zhangsan"), ("language", "zh_CN")],
    );
}

// ---------------------------------------------------------------------------------------------
// update (028_user_update.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_posts_the_curl_examples_members_and_succeeds_without_an_errmsg() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/update",
        page_example(&example_of("028_user_update.txt")),
    )
    .await;

    // The page's curl example.
    let request = user::UpdateRequest::new("zhangsan")
        .name("张三")
        .telephone("010-86123456-2345")
        .hide_mobile(false);
    let response = dingtalk_client(&server)
        .user()
        .update(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("55o5i31j4cg8"));
    assert_form(
        &the_one_request(&server).await,
        &[
            ("userid", "zhangsan"),
            ("name", "张三"),
            ("hide_mobile", "false"),
            ("telephone", "010-86123456-2345"),
        ],
    );
}

#[tokio::test]
async fn update_sends_the_modes_and_the_fields_to_clear() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/update",
        page_example(&example_of("028_user_update.txt")),
    )
    .await;

    let request = user::UpdateRequest::new("zhangsan")
        .dept_id_list(vec![2, 3, 4])
        .dept_order_list(vec![user::DeptOrder::new().dept_id(2).order(1)])
        .extension([("爱好".to_owned(), "旅游".to_owned())].into())
        .ext_attrs_update_mode(user::ExtAttrsUpdateMode::Append)
        .hired_date(Millis(1_597_573_616_828))
        .language(department::ContactLanguage::EnUs)
        .force_update_fields(strings(&["manager_userid"]));
    dingtalk_client(&server)
        .user()
        .update(request)
        .await
        .expect("the example decodes");

    assert_form(
        &the_one_request(&server).await,
        &[
            ("userid", "zhangsan"),
            ("dept_id_list", "2,3,4"),
            ("dept_order_list", r#"[{"dept_id":2,"order":1}]"#),
            ("extension", r#"{"爱好":"旅游"}"#),
            ("ext_attrs_update_mode", "1"),
            ("hired_date", "1597573616828"),
            ("language", "en_US"),
            ("force_update_fields", "manager_userid"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// delete (029_user_delete.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_posts_the_userid() {
    let server = MockServer::start().await;
    // The page's example lacks the comma after "errmsg":"ok" (see the spec's note); the server
    // answers the same object with it.
    let example = example_of("029_user_delete.txt");
    let fixed = example.replace("\"errmsg\":\"ok\"\n", "\"errmsg\":\"ok\",\n");
    assert_ne!(fixed, example, "the page's example still lacks its comma");
    answer(&server, "/topapi/v2/user/delete", page_example(&fixed)).await;

    let response = dingtalk_client(&server)
        .user()
        .delete(user::DeleteRequest::new("zhangsan"))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("4f9md9obopn2"));
    assert_form(&the_one_request(&server).await, &[("userid", "zhangsan")]);
}

// ---------------------------------------------------------------------------------------------
// count (030_user_count.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn count_posts_only_active_and_reads_the_count() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/user/count",
        page_example(&example_of("030_user_count.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .count(user::CountRequest::new(false))
        .await
        .expect("the example decodes");

    assert_eq!(response.result.and_then(|r| r.count), Some(4));
    assert_eq!(response.request_id.as_deref(), Some("40k5v0mgbzyh"));
    assert_form(&the_one_request(&server).await, &[("only_active", "false")]);
}

// ---------------------------------------------------------------------------------------------
// list (031_user_list.txt)
// ---------------------------------------------------------------------------------------------

/// The form pairs of a page of `list` or `list_simple` as the curl examples send them (dept 10,
/// sorted by modify_desc, in Chinese), at `cursor` with `size`.
fn dept_listing_form(cursor: &str, size: &str) -> Vec<(String, String)> {
    [
        ("dept_id", "10"),
        ("cursor", cursor),
        ("size", size),
        ("order_field", "modify_desc"),
        ("contain_access_limit", "false"),
        ("language", "zh_CN"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// Answers `POST <p>` whose form body has `key=value` with `body`, once.
async fn answer_page(
    server: &MockServer,
    p: &str,
    key: &'static str,
    value: &str,
    body: ResponseTemplate,
) {
    let value = value.to_owned();
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_param("access_token", TOKEN))
        .and(move |request: &Request| {
            form_body(request)
                .iter()
                .any(|(k, v)| k == key && *v == value)
        })
        .respond_with(body)
        .expect(1)
        .mount(server)
        .await;
}

/// The form bodies the server received, in order.
async fn sent_forms(server: &MockServer) -> Vec<Vec<(String, String)>> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(form_body).collect()
}

/// Every page of a walk that must not fail.
async fn all_pages<R: Paginated>(
    stream: open_platform_clients::runtime::PageStream<R>,
) -> Vec<Page<R>> {
    let pages: Vec<_> = stream.take(5).collect().await;
    pages
        .into_iter()
        .map(|page| page.expect("no error in the walk"))
        .collect()
}

fn list_request() -> user::ListRequest {
    user::ListRequest::new(10, 0, 10)
        .order_field(user::DeptMemberOrder::ModifyDesc)
        .contain_access_limit(false)
        .language(department::ContactLanguage::ZhCn)
}

#[tokio::test]
async fn list_reads_the_pages_example_a_single_user_with_string_values() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/list",
        page_example(&example_of("031_user_list.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .list(list_request())
        .await
        .expect("the example decodes");

    let page = response.result.expect("a result");
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.next_cursor, Some(10));
    let users = page.list.expect("the list");
    assert_eq!(users.len(), 1, "the example's one object is the list");
    let u = &users[0];
    assert_eq!(u.userid.as_deref(), Some("zhangsan"));
    assert_eq!(u.name.as_deref(), Some("张三"));
    assert_eq!(u.leader, Some(true));
    assert_eq!(u.dept_order, Some(1));
    assert_eq!(u.exclusive_account, Some(false));
    assert_eq!(u.dept_id_list, Some(vec![2, 3, 4]));
    assert_eq!(u.hired_date, Some(Millis(1_597_573_616_828)));
    assert_eq!(
        u.extension
            .as_ref()
            .and_then(|e| e.get("年龄"))
            .map(String::as_str),
        Some("24")
    );
    // Fields only 查询用户详情 lists are absent here.
    assert_eq!(u.role_list, None);

    let request = the_one_request(&server).await;
    assert_form(
        &request,
        &dept_listing_form("0", "10")
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
}

#[tokio::test]
async fn list_pages_walks_from_the_pages_example_to_a_last_page() {
    const P: &str = "/topapi/v2/user/list";
    let server = MockServer::start().await;
    // Page 1 is the page's example (has_more "true", next_cursor "10"); page 2 ends the walk.
    answer_page(
        &server,
        P,
        "cursor",
        "0",
        page_example(&example_of("031_user_list.txt")),
    )
    .await;
    let last = json!({
        "errcode": 0,
        "errmsg": "ok",
        "result": {"has_more": false, "list": [{"userid": "lisi", "name": "李四"}]}
    });
    answer_page(
        &server,
        P,
        "cursor",
        "10",
        ResponseTemplate::new(200).set_body_json(last),
    )
    .await;

    let pages = all_pages(dingtalk_client(&server).user().list_pages(list_request())).await;

    let userids: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.items.iter().filter_map(|u| u.userid.clone()).collect())
        .collect();
    assert_eq!(userids, [strings(&["zhangsan"]), strings(&["lisi"])]);
    let fetched_with: Vec<&str> = pages.iter().map(|p| p.cursor.as_str()).collect();
    assert_eq!(fetched_with, ["0", "10"]);
    let resume: Vec<Option<i64>> = pages
        .iter()
        .map(|p| p.resume_from.as_ref().map(|next| next.cursor))
        .collect();
    assert_eq!(resume, [Some(10), None]);
    assert_eq!(
        sent_forms(&server).await,
        [dept_listing_form("0", "10"), dept_listing_form("10", "10")]
    );
}

// ---------------------------------------------------------------------------------------------
// list_simple (032_user_listsimple.txt)
// ---------------------------------------------------------------------------------------------

fn list_simple_request(size: i32) -> user::ListSimpleRequest {
    user::ListSimpleRequest::new(10, 0, size)
        .order_field(user::DeptMemberOrder::ModifyDesc)
        .contain_access_limit(false)
        .language(department::ContactLanguage::ZhCn)
}

#[tokio::test]
async fn list_simple_reads_the_pages_example() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/user/listsimple",
        page_example(&example_of("032_user_listsimple.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .list_simple(list_simple_request(10))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("x4p6arvi0fzj"));
    let page = response.result.expect("a result");
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.next_cursor, None);
    let users: Vec<(Option<String>, Option<String>)> = page
        .list
        .expect("the list")
        .into_iter()
        .map(|u| (u.userid, u.name))
        .collect();
    assert_eq!(
        users,
        [
            (Some("user100".to_owned()), Some("测试用户2".to_owned())),
            (Some("user1".to_owned()), Some("李思".to_owned())),
        ]
    );
    let request = the_one_request(&server).await;
    assert_eq!(form_body(&request), dept_listing_form("0", "10"));
    assert_eq!(
        query(&request),
        [("access_token".to_owned(), TOKEN.to_owned())]
    );
}

#[tokio::test]
async fn list_simple_pages_walks_to_the_pages_example_as_the_last_page() {
    const P: &str = "/topapi/user/listsimple";
    let server = MockServer::start().await;
    let first = json!({
        "errcode": 0,
        "errmsg": "ok",
        "result": {
            "has_more": true,
            "next_cursor": 2,
            "list": [{"name": "张三", "userid": "zhangsan"}, {"name": "王五", "userid": "wangwu"}]
        },
        "request_id": "first"
    });
    answer_page(
        &server,
        P,
        "cursor",
        "0",
        ResponseTemplate::new(200).set_body_json(first),
    )
    .await;
    // Page 2 is the page's example: has_more false, no next_cursor.
    answer_page(
        &server,
        P,
        "cursor",
        "2",
        page_example(&example_of("032_user_listsimple.txt")),
    )
    .await;

    let request = list_simple_request(2);
    let pages = all_pages(dingtalk_client(&server).user().list_simple_pages(request)).await;

    let userids: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.items.iter().filter_map(|u| u.userid.clone()).collect())
        .collect();
    assert_eq!(
        userids,
        [
            strings(&["zhangsan", "wangwu"]),
            strings(&["user100", "user1"])
        ]
    );
    let resume: Vec<Option<String>> = pages
        .iter()
        .map(|p| p.resume_from.as_ref().map(Paginated::cursor))
        .collect();
    assert_eq!(resume, [Some("2".to_owned()), None]);
    assert_eq!(
        pages[1].response.request_id.as_deref(),
        Some("x4p6arvi0fzj")
    );
    assert_eq!(
        sent_forms(&server).await,
        [dept_listing_form("0", "2"), dept_listing_form("2", "2")]
    );
}

// ---------------------------------------------------------------------------------------------
// get_by_mobile (033_user_getbymobile.txt), get_by_unionid (034_user_getbyunionid.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_by_mobile_posts_the_mobile_and_reads_the_userid() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/v2/user/getbymobile",
        page_example(&example_of("033_user_getbymobile.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .get_by_mobile(user::GetByMobileRequest::new("18513027676"))
        .await
        .expect("the example (errcode \"0\") decodes");

    assert_eq!(
        response.result.and_then(|r| r.userid).as_deref(),
        Some("xiaoding")
    );
    assert_form(
        &the_one_request(&server).await,
        &[("mobile", "18513027676")],
    );
}

#[tokio::test]
async fn get_by_unionid_posts_the_unionid_and_reads_a_contact_type_sent_as_a_string() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/user/getbyunionid",
        page_example(&example_of("034_user_getbyunionid.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .get_by_unionid(user::GetByUnionidRequest::new(
            "z21HjQliSzpw0YWCNxmii6u2Os62cZ62iSZ",
        ))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("zcqi5450rpit"));
    let result = response.result.expect("a result");
    assert_eq!(result.contact_type, Some(user::ContactType::Employee));
    assert_eq!(result.userid.as_deref(), Some("zhangsan"));
    assert_form(
        &the_one_request(&server).await,
        &[("unionid", "z21HjQliSzpw0YWCNxmii6u2Os62cZ62iSZ")],
    );
}

// ---------------------------------------------------------------------------------------------
// list_inactive (035_inactive_user_get.txt)
// ---------------------------------------------------------------------------------------------

fn inactive_form(offset: &str) -> Vec<(String, String)> {
    [
        ("is_active", "false"),
        ("dept_ids", "2,3,4"),
        ("offset", offset),
        ("size", "100"),
        ("query_date", "20200101"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn inactive_request() -> user::ListInactiveRequest {
    user::ListInactiveRequest::new(false, 0, 100, "20200101").dept_ids(vec![2, 3, 4])
}

#[tokio::test]
async fn list_inactive_reads_the_pages_example() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/inactive/user/v2/get",
        page_example(&example_of("035_inactive_user_get.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .list_inactive(inactive_request())
        .await
        .expect("the example (no errmsg) decodes");

    assert_eq!(response.request_id.as_deref(), Some("o565d47xy9cz"));
    let page = response.result.expect("a result");
    assert_eq!(page.has_more, Some(false));
    assert_eq!(
        page.list,
        Some(strings(&["011250026469774889", "0260470242730556"]))
    );
    let request = the_one_request(&server).await;
    assert_eq!(form_body(&request), inactive_form("0"));
    assert_eq!(
        query(&request),
        [("access_token".to_owned(), TOKEN.to_owned())]
    );
}

#[tokio::test]
async fn list_inactive_pages_walks_offsets_to_the_pages_example() {
    const P: &str = "/topapi/inactive/user/v2/get";
    let server = MockServer::start().await;
    let first = json!({
        "errcode": 0,
        "result": {"has_more": true, "next_cursor": 100, "list": ["user123", "user456"]},
        "request_id": "first"
    });
    answer_page(
        &server,
        P,
        "offset",
        "0",
        ResponseTemplate::new(200).set_body_json(first),
    )
    .await;
    answer_page(
        &server,
        P,
        "offset",
        "100",
        page_example(&example_of("035_inactive_user_get.txt")),
    )
    .await;

    let pages = all_pages(
        dingtalk_client(&server)
            .user()
            .list_inactive_pages(inactive_request()),
    )
    .await;

    let items: Vec<Vec<String>> = pages.iter().map(|p| p.items.clone()).collect();
    assert_eq!(
        items,
        [
            strings(&["user123", "user456"]),
            strings(&["011250026469774889", "0260470242730556"])
        ]
    );
    let fetched_with: Vec<&str> = pages.iter().map(|p| p.cursor.as_str()).collect();
    assert_eq!(fetched_with, ["0", "100"]);
    assert!(pages[1].resume_from.is_none());
    assert_eq!(
        sent_forms(&server).await,
        [inactive_form("0"), inactive_form("100")]
    );
}

#[tokio::test]
async fn list_inactive_refuses_a_query_date_not_in_yyyymmdd() {
    let server = MockServer::start().await;
    let request = user::ListInactiveRequest::new(false, 0, 100, "2020-01-01");
    let err = dingtalk_client(&server)
        .user()
        .list_inactive(request)
        .await
        .expect_err("2020-01-01 is not yyyyMMdd");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    let sent = server.received_requests().await.expect("recording is on");
    assert!(sent.is_empty(), "nothing is sent");
}

// ---------------------------------------------------------------------------------------------
// list_admins (036_user_listadmin.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_admins_posts_an_empty_form_and_reads_the_levels() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/topapi/user/listadmin",
        page_example(&example_of("036_user_listadmin.txt")),
    )
    .await;

    let response = dingtalk_client(&server)
        .user()
        .list_admins(user::ListAdminsRequest::new())
        .await
        .expect("the example decodes");

    let admins: Vec<(Option<String>, Option<user::AdminLevel>)> = response
        .result
        .expect("a result")
        .into_iter()
        .map(|a| (a.userid, a.sys_level))
        .collect();
    assert_eq!(
        admins,
        [
            (Some("203xxxx1".to_owned()), Some(user::AdminLevel::Sub)),
            (Some("mxxxxx0".to_owned()), Some(user::AdminLevel::Primary)),
        ]
    );
    let request = the_one_request(&server).await;
    assert_eq!(
        query(&request),
        [("access_token".to_owned(), TOKEN.to_owned())]
    );
    assert!(form_body(&request).is_empty(), "no body members");
}
