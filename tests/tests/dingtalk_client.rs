//! End-to-end calls of the generated DingTalk client against a wiremock server: the request on the wire (method, path, token, JSON body) for every documented endpoint, decoding of the document's example responses, and the error paths (API codes, HTML pages, decode paths and limits in one table of cases, each also checked for secrets; auth; secrets).

use std::sync::{Arc, Mutex};

use open_platform_clients::dingtalk::{self, auth, blackboard, checkin, hrm, report};
use open_platform_clients::runtime::{
    ApiRequest, BoxFuture, Client, Error, ErrorMeaning, Millis, PageKind, ReceivedCode,
    RetryPolicy, Secret, StaticToken, TokenSource,
};
use serde_json::{json, Value};
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token";
const APPKEY: &str = "dingeqqpkv3xxxx";
const APPSECRET: &str = "GT-lsu-taDAsTsxxxx";
const ISSUED_TOKEN: &str = "fw8ef8we8f76e6f7s8dxxxx";
/// An issued token sent as a number, which serde would quote in a type error.
const MISTYPED_TOKEN: i64 = 987_654_321_987;
const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";
const DISMISSIONS_PATH: &str = "/v1.0/hrm/employees/dismissions";

/// A client whose two bases both point at `server`, with the static test token.
/// A client against `server`. Every call is a single attempt here, so that `.expect(n)` counts
/// requests exactly; retries are tested in `runtime.rs`.
fn client_for(server: &MockServer) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .base_url(&dingtalk::OAPI, server.uri())
        .base_url(&dingtalk::API, server.uri())
        .build()
        .expect("client builds")
}

async fn start() -> (MockServer, dingtalk::Client) {
    let server = MockServer::start().await;
    let dt = client_for(&server);
    (server, dt)
}

/// Starts a server on which `mock`, which pins the request's wire form, answers `answer`
/// exactly once (checked when the server is dropped), and a client against it.
async fn serve(mock: MockBuilder, answer: Value) -> (MockServer, dingtalk::Client) {
    let (server, dt) = start().await;
    mock.respond_with(ok(answer)).expect(1).mount(&server).await;
    (server, dt)
}

/// A POST to an `oapi` path with the token in the query and exactly `body` as JSON.
fn oapi_post(p: &str, body: Value) -> MockBuilder {
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_param("access_token", TOKEN))
        .and(header("content-type", JSON_CONTENT_TYPE))
        .and(body_json(body))
}

/// Any request to an `oapi` path with the token, whatever the body.
fn oapi_any(p: &str) -> MockBuilder {
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_param("access_token", TOKEN))
}

/// A GET of the dismissions list on the `api` base with the token header.
fn api_dismissions() -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(DISMISSIONS_PATH))
        .and(header("x-acs-dingtalk-access-token", TOKEN))
        .and(query_param_is_missing("access_token"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn list_ids_request(page_size: i32) -> blackboard::ListIdsRequest {
    blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new(
        "manager4220",
        page_size,
        1,
    ))
}

// ---------------------------------------------------------------------------------------------
// auth
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn auth_get_token_sends_appkey_and_appsecret_without_access_token() {
    let (server, dt) = serve(
        Mock::given(method("GET"))
            .and(path("/gettoken"))
            .and(query_param("appkey", APPKEY))
            .and(query_param("appsecret", APPSECRET))
            .and(query_param_is_missing("access_token")),
        json!({
            "access_token": ISSUED_TOKEN,
            "expires_in": 7200,
            "errmsg": "ok",
            "errcode": 0
        }),
    )
    .await;

    let resp = dt
        .auth()
        .get_token(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .await
        .unwrap();

    assert_eq!(
        resp.access_token.as_ref().map(Secret::expose),
        Some(ISSUED_TOKEN)
    );
    assert_eq!(resp.expires_in, Some(7200));
    assert!(!format!("{resp:?}").contains(ISSUED_TOKEN));

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0]
        .headers
        .get("x-acs-dingtalk-access-token")
        .is_none());
    assert!(received[0].body.is_empty(), "GET /gettoken has no body");
}

#[tokio::test]
async fn auth_get_token_needs_no_token_source() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .and(query_param("appkey", APPKEY))
        .and(query_param_is_missing("access_token"))
        .respond_with(ok(json!({
            "access_token": ISSUED_TOKEN,
            "expires_in": 7200,
            "errmsg": "ok",
            "errcode": 0
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&dingtalk::OAPI, server.uri())
        .build()
        .unwrap();

    let resp = dt
        .auth()
        .get_token(auth::GetTokenRequest::new(APPKEY, APPSECRET))
        .await
        .unwrap();
    assert_eq!(resp.expires_in, Some(7200));
}

// ---------------------------------------------------------------------------------------------
// blackboard
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn blackboard_create_sends_nested_body_with_receiver_lists() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/create",
            json!({
                "create_request": {
                    "operation_userid": "manager01",
                    "author": "杨xx",
                    "private_level": 0,
                    "ding": false,
                    "blackboard_receiver": {
                        "deptid_list": [1],
                        "userid_list": ["manager02"]
                    },
                    "title": "入职须知",
                    "push_top": true,
                    "content": "欢迎加入我们的大家庭",
                    "category_id": "987uy66t5rt54er",
                    "coverpic_mediaid": "@lADPDeC2ufXOeRzMqM0BLA"
                }
            }),
        ),
        json!({
            "result": true,
            "success": true,
            "errcode": 0,
            "request_id": "roz884n3k7rf"
        }),
    )
    .await;

    let receiver = blackboard::BlackboardReceiverOpenVo::new()
        .deptid_list(vec![1])
        .userid_list(vec!["manager02".to_owned()]);
    let vo = blackboard::OapiCreateBlackboardVo::new(
        "manager01",
        receiver,
        "入职须知",
        "欢迎加入我们的大家庭",
    )
    .author("杨xx")
    .private_level(0)
    .ding(false)
    .push_top(true)
    .category_id("987uy66t5rt54er")
    .coverpic_mediaid("@lADPDeC2ufXOeRzMqM0BLA");
    let resp = dt
        .blackboard()
        .create(blackboard::CreateRequest::new(vo))
        .await
        .unwrap();

    assert_eq!(resp.result, Some(true));
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("roz884n3k7rf"));
}

#[tokio::test]
async fn blackboard_create_with_required_fields_only_omits_optionals() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/create",
            json!({
                "create_request": {
                    "operation_userid": "manager01",
                    "blackboard_receiver": {"userid_list": ["manager02"]},
                    "title": "入职须知",
                    "content": "欢迎加入我们的大家庭"
                }
            }),
        ),
        json!({"result": true, "success": true, "errcode": 0}),
    )
    .await;

    let receiver =
        blackboard::BlackboardReceiverOpenVo::new().userid_list(vec!["manager02".to_owned()]);
    let vo = blackboard::OapiCreateBlackboardVo::new(
        "manager01",
        receiver,
        "入职须知",
        "欢迎加入我们的大家庭",
    );
    let resp = dt
        .blackboard()
        .create(blackboard::CreateRequest::new(vo))
        .await
        .unwrap();
    assert_eq!(resp.result, Some(true));
    assert_eq!(resp.request_id, None);
}

#[tokio::test]
async fn blackboard_update_sends_update_request() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/update",
            json!({
                "update_request": {
                    "author": "杨xx",
                    "ding": true,
                    "blackboard_id": "908uhyg76tfr543e",
                    "title": "入职须知",
                    "content": "欢迎加入我们的大家庭",
                    "category_id": "89uuy7ytg6bnnjh7",
                    "notify": true,
                    "operation_userid": "manager01",
                    "coverpic_mediaid": "@lADPDeC2ufXOeRzMqM0BLA"
                }
            }),
        ),
        json!({
            "result": true,
            "success": true,
            "errcode": 0,
            "request_id": "roz884n3k7rf"
        }),
    )
    .await;

    let vo = blackboard::OapiUpdateBlackboardVo::new(
        "908uhyg76tfr543e",
        "入职须知",
        "欢迎加入我们的大家庭",
        "manager01",
    )
    .author("杨xx")
    .ding(true)
    .category_id("89uuy7ytg6bnnjh7")
    .notify(true)
    .coverpic_mediaid("@lADPDeC2ufXOeRzMqM0BLA");
    let resp = dt
        .blackboard()
        .update(blackboard::UpdateRequest::new(vo))
        .await
        .unwrap();
    assert_eq!(resp.result, Some(true));
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("roz884n3k7rf"));
}

#[tokio::test]
async fn blackboard_delete_sends_id_and_operator() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/delete",
            json!({"blackboard_id": "098uyg65ffytr43", "operation_userid": "manager01"}),
        ),
        json!({
            "result": true,
            "success": true,
            "errcode": 0,
            "errmsg": "ok",
            "request_id": "roz884n3k7rf"
        }),
    )
    .await;

    let resp = dt
        .blackboard()
        .delete(blackboard::DeleteRequest::new(
            "098uyg65ffytr43",
            "manager01",
        ))
        .await
        .unwrap();
    assert_eq!(resp.result, Some(true));
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("roz884n3k7rf"));
}

#[tokio::test]
async fn blackboard_get_decodes_nested_result_with_user_list_and_dept_list() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/get",
            json!({"blackboard_id": "9uiuihhgui989huh", "operation_userid": "manager01"}),
        ),
        json!({
            "result": {
                "id": "9uiuihhgui989huh",
                "author": "小明",
                "title": "入职须知",
                "content": "欢迎加入我们的大家庭",
                "category_id": "09ui87hgyytg463634",
                "private_level": 0,
                "depname_list": ["人事部"],
                "username_list": ["小明"],
                "gmt_create": "2019-10-22 14:43:07",
                "gmt_modified": "2019-11-22 10:43:07",
                "read_count": 10,
                "unread_count": 1,
                "coverpic_url": "https://gw.alicdn.com/tfs/TB1ayl9mpYqK1RjSZLeXXbXppXa-170-62.png",
                "user_list": [{"staff_id": "001", "name": "小明"}],
                "deptList": [{"dept_id": "hbjev8364", "name": "人事部"}]
            },
            "success": true,
            "errcode": 0,
            "request_id": "q5ddepxxxx"
        }),
    )
    .await;

    let resp = dt
        .blackboard()
        .get(blackboard::GetRequest::new("9uiuihhgui989huh", "manager01"))
        .await
        .unwrap();

    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("q5ddepxxxx"));
    let result = resp.result.expect("result");
    assert_eq!(result.id.as_deref(), Some("9uiuihhgui989huh"));
    assert_eq!(result.author.as_deref(), Some("小明"));
    assert_eq!(result.title.as_deref(), Some("入职须知"));
    assert_eq!(result.category_id.as_deref(), Some("09ui87hgyytg463634"));
    assert_eq!(result.private_level, Some(0));
    assert_eq!(result.depname_list, Some(vec!["人事部".to_owned()]));
    assert_eq!(result.username_list, Some(vec!["小明".to_owned()]));
    assert_eq!(result.gmt_modified.as_deref(), Some("2019-11-22 10:43:07"));
    assert_eq!(result.read_count, Some(10));
    assert_eq!(result.unread_count, Some(1));
    assert_eq!(
        result.coverpic_url.as_deref(),
        Some("https://gw.alicdn.com/tfs/TB1ayl9mpYqK1RjSZLeXXbXppXa-170-62.png")
    );
    let users = result.user_list.expect("user_list");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].staff_id.as_deref(), Some("001"));
    assert_eq!(users[0].name.as_deref(), Some("小明"));
    let depts = result.dept_list.expect("deptList decoded into dept_list");
    assert_eq!(depts.len(), 1);
    assert_eq!(depts[0].dept_id.as_deref(), Some("hbjev8364"));
    assert_eq!(depts[0].name.as_deref(), Some("人事部"));
}

#[tokio::test]
async fn blackboard_list_ids_sends_query_request() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/listids",
            json!({
                "query_request": {
                    "operation_userid": "manager4220",
                    "page_size": 10,
                    "start_time": "2019-10-07 10:10:10",
                    "end_time": "2019-11-07 10:10:10",
                    "page": 1,
                    "category_id": "9i9u7y7g6t65"
                }
            }),
        ),
        json!({
            "result": ["72b4f87d27e815f6fecxxxx"],
            "success": true,
            "errcode": 0,
            "request_id": "pxxm7ylvmppr"
        }),
    )
    .await;

    let query = blackboard::OapiBlackboardQueryVo::new("manager4220", 10, 1)
        .start_time("2019-10-07 10:10:10")
        .end_time("2019-11-07 10:10:10")
        .category_id("9i9u7y7g6t65");
    let resp = dt
        .blackboard()
        .list_ids(blackboard::ListIdsRequest::new(query))
        .await
        .unwrap();
    assert_eq!(
        resp.result,
        Some(vec!["72b4f87d27e815f6fecxxxx".to_owned()])
    );
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("pxxm7ylvmppr"));
}

#[tokio::test]
async fn blackboard_list_categories_decodes_categories() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/category/list",
            json!({"operation_userid": "manager01"}),
        ),
        json!({
            "result": [{"id": "89uuhygybj", "name": "日签"}],
            "success": true,
            "errcode": 0,
            "request_id": "ie9aarwu1m1t"
        }),
    )
    .await;

    let resp = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap();
    let categories = resp.result.expect("result");
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0].id.as_deref(), Some("89uuhygybj"));
    assert_eq!(categories[0].name.as_deref(), Some("日签"));
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("ie9aarwu1m1t"));
}

#[tokio::test]
async fn blackboard_list_top_ten_decodes_camel_case_category_id() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/blackboard/listtopten",
            json!({"userid": "manager01"}),
        ),
        json!({
            "errcode": 0,
            "request_id": "3y4bln1b7e7q",
            "blackboard_list": [{
                "gmt_create": "2020-09-08 14:42:12",
                "title": "放假通知。",
                "url": "https://app.dingtalk.com/xxxx",
                "categoryId": "576920db",
                "id": "a3071449"
            }]
        }),
    )
    .await;

    let resp = dt
        .blackboard()
        .list_top_ten(blackboard::ListTopTenRequest::new("manager01"))
        .await
        .unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("3y4bln1b7e7q"));
    let list = resp.blackboard_list.expect("blackboard_list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].category_id.as_deref(), Some("576920db"));
    assert_eq!(list[0].id.as_deref(), Some("a3071449"));
    assert_eq!(list[0].title.as_deref(), Some("放假通知。"));
    assert_eq!(
        list[0].url.as_deref(),
        Some("https://app.dingtalk.com/xxxx")
    );
    assert_eq!(list[0].gmt_create.as_deref(), Some("2020-09-08 14:42:12"));
}

// ---------------------------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn report_create_sends_free_form_contents() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/create",
            json!({
                "create_report_param": {
                    "contents": [{"key": "今日工作", "sort": "1", "type": "1", "content": "开发工作"}],
                    "template_id": "12345abcde",
                    "to_userids": ["123", "456"],
                    "to_chat": true,
                    "to_cids": ["123"],
                    "dd_from": "report",
                    "userid": "12345"
                }
            }),
        ),
        json!({"errmsg": "ok", "errcode": 0, "result": "175abec4de6bd"}),
    )
    .await;

    let param = report::OapiCreateReportParam::new(
        vec![json!({"key": "今日工作", "sort": "1", "type": "1", "content": "开发工作"})],
        "12345abcde",
        true,
        "report",
        "12345",
    )
    .to_userids(vec!["123".to_owned(), "456".to_owned()])
    .to_cids(vec!["123".to_owned()]);
    let resp = dt
        .report()
        .create(report::CreateRequest::new(param))
        .await
        .unwrap();
    assert_eq!(resp.result.as_deref(), Some("175abec4de6bd"));
}

#[tokio::test]
async fn report_get_template_by_name_decodes_receivers_fields_and_convs() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/template/getbyname",
            json!({"userid": "12345", "template_name": "日报"}),
        ),
        json!({
            "result": {
                "default_receivers": [{"user_name": "用户1", "userid": "111"}],
                "name": "周报",
                "id": "12345abcde",
                "fields": [{"field_name": "字段1", "type": 1, "sort": 0}],
                "user_name": "小明",
                "userid": "12345",
                "default_received_convs": [{"conversation_id": "1223445", "title": "群名称"}]
            },
            "errcode": 0,
            "errmsg": "ok"
        }),
    )
    .await;

    let resp = dt
        .report()
        .get_template_by_name(report::GetTemplateByNameRequest::new("12345", "日报"))
        .await
        .unwrap();
    let result = resp.result.expect("result");
    assert_eq!(result.name.as_deref(), Some("周报"));
    assert_eq!(result.id.as_deref(), Some("12345abcde"));
    assert_eq!(result.user_name.as_deref(), Some("小明"));
    assert_eq!(result.userid.as_deref(), Some("12345"));
    let receivers = result.default_receivers.expect("default_receivers");
    assert_eq!(receivers[0].user_name.as_deref(), Some("用户1"));
    assert_eq!(receivers[0].userid.as_deref(), Some("111"));
    let fields = result.fields.expect("fields");
    assert_eq!(fields[0].field_name.as_deref(), Some("字段1"));
    assert_eq!(fields[0].r#type, Some(1));
    assert_eq!(fields[0].sort, Some(0));
    let convs = result
        .default_received_convs
        .expect("default_received_convs");
    assert_eq!(convs[0].conversation_id.as_deref(), Some("1223445"));
    assert_eq!(convs[0].title.as_deref(), Some("群名称"));
}

#[tokio::test]
async fn report_list_decodes_page_vo_with_data_list_and_contents() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/list",
            json!({
                "start_time": 1507564800000_i64,
                "end_time": 1507564800000_i64,
                "template_name": "周报",
                "userid": "user123",
                "cursor": 0,
                "size": 10,
                "modified_start_time": 1507564800000_i64,
                "modified_end_time": 1507564800000_i64
            }),
        ),
        json!({
            "result": {
                "data_list": [{
                    "contents": [{"sort": "1", "type": "0", "value": "开发工作", "key": "今日工作"}],
                    "remark": "这是备注",
                    "template_name": "日报",
                    "dept_name": "部门1",
                    "creator_name": "张三",
                    "creator_id": "user123",
                    "create_time": 1507564800000_i64,
                    "report_id": "xxxxxxx",
                    "modified_time": 1507564800000_i64
                }],
                "size": 10,
                "next_cursor": 10000,
                "has_more": false
            },
            "errcode": 0,
            "errmsg": "ok"
        }),
    )
    .await;

    let request = report::ListRequest::new(Millis(1507564800000), Millis(1507564800000), 0, 10)
        .template_name("周报")
        .userid("user123")
        .modified_start_time(Millis(1507564800000))
        .modified_end_time(Millis(1507564800000));
    let resp = dt.report().list(request).await.unwrap();

    let page = resp.result.expect("result");
    assert_eq!(page.size, Some(10));
    assert_eq!(page.next_cursor, Some(10000));
    assert_eq!(page.has_more, Some(false));
    let reports = page.data_list.expect("data_list");
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(r.remark.as_deref(), Some("这是备注"));
    assert_eq!(r.template_name.as_deref(), Some("日报"));
    assert_eq!(r.dept_name.as_deref(), Some("部门1"));
    assert_eq!(r.creator_name.as_deref(), Some("张三"));
    assert_eq!(r.creator_id.as_deref(), Some("user123"));
    assert_eq!(r.create_time, Some(Millis(1507564800000)));
    assert_eq!(r.report_id.as_deref(), Some("xxxxxxx"));
    assert_eq!(r.modified_time, Some(Millis(1507564800000)));
    let contents = r.contents.as_ref().expect("contents");
    assert_eq!(contents.len(), 1);
    assert_eq!(contents[0].sort.as_deref(), Some("1"));
    assert_eq!(contents[0].r#type.as_deref(), Some("0"));
    assert_eq!(contents[0].value.as_deref(), Some("开发工作"));
    assert_eq!(contents[0].key.as_deref(), Some("今日工作"));
}

#[tokio::test]
async fn report_list_simple_decodes_summary_page() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/simplelist",
            json!({
                "start_time": 1507564800000_i64,
                "end_time": 1507564800000_i64,
                "template_name": "周报",
                "userid": "user123",
                "cursor": 0,
                "size": 10
            }),
        ),
        json!({
            "result": {
                "data_list": [{
                    "remark": "日报",
                    "template_name": "日报",
                    "dept_name": "市场部",
                    "creator_name": "杨xx",
                    "creator_id": "manager4220",
                    "create_time": 1507564800000_i64,
                    "report_id": "1746xxxx"
                }],
                "size": 10,
                "next_cursor": 10000,
                "has_more": false
            },
            "errcode": 0,
            "request_id": "3qwbhu6edlcz"
        }),
    )
    .await;

    let request =
        report::ListSimpleRequest::new(Millis(1507564800000), Millis(1507564800000), 0, 10)
            .template_name("周报")
            .userid("user123");
    let resp = dt.report().list_simple(request).await.unwrap();

    assert_eq!(resp.request_id.as_deref(), Some("3qwbhu6edlcz"));
    let page = resp.result.expect("result");
    assert_eq!(page.size, Some(10));
    assert_eq!(page.next_cursor, Some(10000));
    assert_eq!(page.has_more, Some(false));
    let reports = page.data_list.expect("data_list");
    assert_eq!(reports[0].dept_name.as_deref(), Some("市场部"));
    assert_eq!(reports[0].creator_name.as_deref(), Some("杨xx"));
    assert_eq!(reports[0].creator_id.as_deref(), Some("manager4220"));
    assert_eq!(reports[0].create_time, Some(Millis(1507564800000)));
    assert_eq!(reports[0].report_id.as_deref(), Some("1746xxxx"));
}

#[tokio::test]
async fn report_list_statistics_by_type_sends_type_and_decodes_userids() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/statistics/listbytype",
            json!({"report_id": "17469xxx", "type": 0, "offset": 0, "size": 100}),
        ),
        json!({
            "success": true,
            "request_id": "p0gvgqih0nfv",
            "errcode": 0,
            "result": {
                "next_cursor": 100,
                "has_more": true,
                "userid_list": ["user123", "user456"]
            }
        }),
    )
    .await;

    let request = report::ListStatisticsByTypeRequest::new("17469xxx", 0)
        .offset(0)
        .size(100);
    let resp = dt.report().list_statistics_by_type(request).await.unwrap();
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("p0gvgqih0nfv"));
    let page = resp.result.expect("result");
    assert_eq!(page.next_cursor, Some(100));
    assert_eq!(page.has_more, Some(true));
    assert_eq!(
        page.userid_list,
        Some(vec!["user123".to_owned(), "user456".to_owned()])
    );
}

#[tokio::test]
async fn report_list_receivers_decodes_page() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/receiver/list",
            json!({"report_id": "174xxxx", "offset": 0, "size": 100}),
        ),
        json!({
            "result": {
                "has_more": true,
                "next_cursor": 100,
                "userid_list": ["user123", "user456"]
            },
            "errcode": 0,
            "errmsg": "p0gvgqih0nfv",
            "success": true
        }),
    )
    .await;

    let request = report::ListReceiversRequest::new("174xxxx")
        .offset(0)
        .size(100);
    let resp = dt.report().list_receivers(request).await.unwrap();
    assert_eq!(resp.success, Some(true));
    let page = resp.result.expect("result");
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.next_cursor, Some(100));
    assert_eq!(
        page.userid_list,
        Some(vec!["user123".to_owned(), "user456".to_owned()])
    );
}

#[tokio::test]
async fn report_list_comments_decodes_comments() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/comment/list",
            json!({"report_id": "174xxxx", "offset": 0, "size": 20}),
        ),
        json!({
            "result": {
                "comments": [{
                    "create_time": "2020-09-08 00:26:37",
                    "content": "不错",
                    "userid": "user456"
                }],
                "has_more": true,
                "next_cursor": 20
            },
            "errcode": 0,
            "request_id": "5kngbdmfdrle",
            "success": true
        }),
    )
    .await;

    let request = report::ListCommentsRequest::new("174xxxx")
        .offset(0)
        .size(20);
    let resp = dt.report().list_comments(request).await.unwrap();
    assert_eq!(resp.success, Some(true));
    assert_eq!(resp.request_id.as_deref(), Some("5kngbdmfdrle"));
    let page = resp.result.expect("result");
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.next_cursor, Some(20));
    let comments = page.comments.expect("comments");
    assert_eq!(
        comments[0].create_time.as_deref(),
        Some("2020-09-08 00:26:37")
    );
    assert_eq!(comments[0].content.as_deref(), Some("不错"));
    assert_eq!(comments[0].userid.as_deref(), Some("user456"));
}

#[tokio::test]
async fn report_get_unread_count_decodes_count() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/getunreadcount",
            json!({"userid": "user123"}),
        ),
        json!({
            "count": 2,
            "request_id": "wp9ie6b3d8pg",
            "errcode": 0,
            "errmsg": "ok"
        }),
    )
    .await;

    let resp = dt
        .report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .unwrap();
    assert_eq!(resp.count, Some(2));
    assert_eq!(resp.request_id.as_deref(), Some("wp9ie6b3d8pg"));
}

#[tokio::test]
async fn report_list_templates_by_user_decodes_template_list() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/report/template/listbyuserid",
            json!({"userid": "manager7078", "offset": 0, "size": 100}),
        ),
        json!({
            "request_id": "kszb71rpxu7u",
            "errcode": 0,
            "errmsg": "ok",
            "result": {
                "template_list": [{
                    "name": "日报",
                    "icon_url": "https://landray.dingtalkapps.com/alid/app/report/images/ico-png/0.png",
                    "report_code": "14e882e7fd7e774e40ce9d144ddaa84d",
                    "url": "https://landray.dingtalkapps.com/alid/app/report/createReport_new.html?skip=0&corpid=${corpid}&id=${report_code}"
                }],
                "next_cursor": 100
            }
        }),
    )
    .await;

    let request = report::ListTemplatesByUserRequest::new()
        .userid("manager7078")
        .offset(0)
        .size(100);
    let resp = dt.report().list_templates_by_user(request).await.unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("kszb71rpxu7u"));
    let result = resp.result.expect("result");
    assert_eq!(result.next_cursor, Some(100));
    let templates = result.template_list.expect("template_list");
    assert_eq!(templates[0].name.as_deref(), Some("日报"));
    assert_eq!(
        templates[0].report_code.as_deref(),
        Some("14e882e7fd7e774e40ce9d144ddaa84d")
    );
    assert_eq!(
        templates[0].icon_url.as_deref(),
        Some("https://landray.dingtalkapps.com/alid/app/report/images/ico-png/0.png")
    );
    assert!(templates[0]
        .url
        .as_deref()
        .is_some_and(|url| url.ends_with("&id=${report_code}")));
}

// ---------------------------------------------------------------------------------------------
// hrm
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hrm_list_pre_entry_decodes_page() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/smartwork/hrm/employee/querypreentry",
            json!({"offset": 0, "size": 50}),
        ),
        json!({
            "result": {"next_cursor": 10, "data_list": ["11", "22"]},
            "errcode": 0,
            "errmsg": "ok",
            "success": false,
            "request_id": "64jz549xdj6q"
        }),
    )
    .await;

    let resp = dt
        .hrm()
        .list_pre_entry(hrm::ListPreEntryRequest::new(0, 50))
        .await
        .unwrap();
    assert_eq!(resp.success, Some(false));
    assert_eq!(resp.request_id.as_deref(), Some("64jz549xdj6q"));
    let page = resp.result.expect("result");
    assert_eq!(page.next_cursor, Some(10));
    assert_eq!(page.data_list, Some(vec!["11".to_owned(), "22".to_owned()]));
}

#[tokio::test]
async fn hrm_list_on_job_sends_status_list_as_comma_separated_string() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/smartwork/hrm/employee/queryonjob",
            json!({"status_list": "2,3,5,-1", "offset": 0, "size": 50}),
        ),
        json!({
            "result": {"data_list": ["user123"], "next_cursor": 0},
            "errcode": 0,
            "errmsg": "ok",
            "success": false,
            "request_id": "u2nu5vpoq6p"
        }),
    )
    .await;

    let resp = dt
        .hrm()
        .list_on_job(hrm::ListOnJobRequest::new(vec![2, 3, 5, -1], 0, 50))
        .await
        .unwrap();
    assert_eq!(resp.success, Some(false));
    assert_eq!(resp.request_id.as_deref(), Some("u2nu5vpoq6p"));
    let page = resp.result.expect("result");
    assert_eq!(page.data_list, Some(vec!["user123".to_owned()]));
    assert_eq!(page.next_cursor, Some(0));
}

#[tokio::test]
async fn hrm_list_dismissions_uses_api_base_header_token_and_camel_case() {
    let (server, dt) = serve(
        api_dismissions()
            .and(query_param("nextToken", "100"))
            .and(query_param("maxResults", "50")),
        json!({
            "nextToken": 200,
            "hasMore": true,
            "userIdList": ["user123", "user456"]
        }),
    )
    .await;

    let request = hrm::ListDismissionsRequest::new()
        .next_token(100)
        .max_results(50);
    let resp = dt.hrm().list_dismissions(request).await.unwrap();
    assert_eq!(resp.next_token, Some(200));
    assert_eq!(resp.has_more, Some(true));
    assert_eq!(
        resp.user_id_list,
        Some(vec!["user123".to_owned(), "user456".to_owned()])
    );

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].body.is_empty(), "a GET carries no body");
}

#[tokio::test]
async fn hrm_list_dismissions_without_paging_sends_no_query() {
    let (_server, dt) = serve(
        api_dismissions()
            .and(query_param_is_missing("nextToken"))
            .and(query_param_is_missing("maxResults")),
        json!({"hasMore": false, "userIdList": []}),
    )
    .await;

    let resp = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap();
    assert_eq!(resp.has_more, Some(false));
    assert_eq!(resp.next_token, None);
    assert_eq!(resp.user_id_list, Some(vec![]));
}

// ---------------------------------------------------------------------------------------------
// checkin
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn checkin_list_records_sends_userid_list_csv_and_decodes_records() {
    let (_server, dt) = serve(
        oapi_post(
            "/topapi/checkin/record/get",
            json!({
                "userid_list": "manager4220,080517",
                "start_time": 1605437194000_i64,
                "end_time": 1605786394000_i64,
                "cursor": 0,
                "size": 100
            }),
        ),
        json!({
            "result": {
                "next_cursor": 100,
                "page_list": [{
                    "checkin_time": 1494852872446_i64,
                    "image_list": ["https://static.dingtalk.com/media/xxxx"],
                    "detail_place": "杭州市余杭区五常街道",
                    "remark": "备注",
                    "userid": "080517",
                    "place": "绿城未来park",
                    "longitude": "120.017394",
                    "latitude": "30.286046",
                    "visit_user": "刘先生"
                }]
            },
            "errcode": 0,
            "request_id": "pod643x3uywf"
        }),
    )
    .await;

    let request = checkin::ListRecordsRequest::new(
        vec!["manager4220".to_owned(), "080517".to_owned()],
        Millis(1605437194000),
        Millis(1605786394000),
        0,
        100,
    );
    let resp = dt.checkin().list_records(request).await.unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("pod643x3uywf"));
    let page = resp.result.expect("result");
    assert_eq!(page.next_cursor, Some(100));
    let records = page.page_list.expect("page_list");
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.checkin_time, Some(Millis(1494852872446)));
    assert_eq!(
        r.image_list,
        Some(vec!["https://static.dingtalk.com/media/xxxx".to_owned()])
    );
    assert_eq!(r.detail_place.as_deref(), Some("杭州市余杭区五常街道"));
    assert_eq!(r.remark.as_deref(), Some("备注"));
    assert_eq!(r.userid.as_deref(), Some("080517"));
    assert_eq!(r.place.as_deref(), Some("绿城未来park"));
    assert_eq!(r.longitude.as_deref(), Some("120.017394"));
    assert_eq!(r.latitude.as_deref(), Some("30.286046"));
    assert_eq!(r.visit_user.as_deref(), Some("刘先生"));
}

// ---------------------------------------------------------------------------------------------
// Error paths
// ---------------------------------------------------------------------------------------------

/// An operation the error cases call: its id, the mock that answers its request, and the call
/// with example parameters.
#[derive(Clone, Copy)]
struct Op {
    id: &'static str,
    request: fn() -> MockBuilder,
    call: fn(dingtalk::Client) -> BoxFuture<'static, Result<(), Error>>,
}

const GET_TOKEN: Op = Op {
    id: "auth.get_token",
    request: gettoken,
    call: |dt| {
        let request = auth::GetTokenRequest::new(APPKEY, APPSECRET);
        Box::pin(async move { dt.auth().get_token(request).await.map(drop) })
    },
};

const LIST_CATEGORIES: Op = Op {
    id: "blackboard.list_categories",
    request: || oapi_any("/topapi/blackboard/category/list"),
    call: |dt| {
        let request = blackboard::ListCategoriesRequest::new("manager01");
        Box::pin(async move { dt.blackboard().list_categories(request).await.map(drop) })
    },
};

const BLACKBOARD_GET: Op = Op {
    id: "blackboard.get",
    request: || oapi_any("/topapi/blackboard/get"),
    call: |dt| {
        let request = blackboard::GetRequest::new("9uiuihhgui989huh", "manager01");
        Box::pin(async move { dt.blackboard().get(request).await.map(drop) })
    },
};

const LIST_TOP_TEN: Op = Op {
    id: "blackboard.list_top_ten",
    request: || oapi_any("/topapi/blackboard/listtopten"),
    call: |dt| {
        let request = blackboard::ListTopTenRequest::new("manager01");
        Box::pin(async move { dt.blackboard().list_top_ten(request).await.map(drop) })
    },
};

const GET_UNREAD_COUNT: Op = Op {
    id: "report.get_unread_count",
    request: || oapi_any("/topapi/report/getunreadcount"),
    call: |dt| {
        let request = report::GetUnreadCountRequest::new("user123");
        Box::pin(async move { dt.report().get_unread_count(request).await.map(drop) })
    },
};

const REPORT_LIST: Op = Op {
    id: "report.list",
    request: || oapi_any("/topapi/report/list"),
    call: |dt| {
        let request = report::ListRequest::new(Millis(1507564800000), Millis(1507564800000), 0, 10);
        Box::pin(async move { dt.report().list(request).await.map(drop) })
    },
};

const LIST_DISMISSIONS: Op = Op {
    id: "hrm.list_dismissions",
    request: api_dismissions,
    call: |dt| {
        let request = hrm::ListDismissionsRequest::new();
        Box::pin(async move { dt.hrm().list_dismissions(request).await.map(drop) })
    },
};

/// Invalid requests: nothing may be sent, so their mock answers any request.
const REPORT_LIST_OF_21: Op = Op {
    id: "report.list",
    request: || Mock::given(any()),
    call: |dt| {
        let request = report::ListRequest::new(Millis(1507564800000), Millis(1507564800000), 0, 21);
        Box::pin(async move { dt.report().list(request).await.map(drop) })
    },
};

const LIST_IDS_OF_31: Op = Op {
    id: "blackboard.list_ids",
    request: || Mock::given(any()),
    call: |dt| {
        Box::pin(async move {
            dt.blackboard()
                .list_ids(list_ids_request(31))
                .await
                .map(drop)
        })
    },
};

const CREATE_FOR_1001_USERS: Op = Op {
    id: "blackboard.create",
    request: || Mock::given(any()),
    call: |dt| {
        let userids: Vec<String> = (0..1001).map(|i| format!("user{i}")).collect();
        let receiver = blackboard::BlackboardReceiverOpenVo::new().userid_list(userids);
        let vo = blackboard::OapiCreateBlackboardVo::new("manager01", receiver, "入职须知", "内容");
        let request = blackboard::CreateRequest::new(vo);
        Box::pin(async move { dt.blackboard().create(request).await.map(drop) })
    },
};

/// What a call must fail with. Every failure also names its operation and shows no secret.
enum Fails {
    /// `Error::Api` with these fields.
    Api {
        status: u16,
        code: ReceivedCode,
        message: &'static str,
        request_id: Option<&'static str>,
        meaning: Option<ErrorMeaning>,
    },
    /// `Error::Status` whose snippet (the start of the body, cut short) starts with `snippet`.
    Status { status: u16, snippet: &'static str },
    /// `Error::NotJson` (an HTML page) of this kind, whose snippet starts with `snippet`.
    NotJson {
        status: u16,
        kind: PageKind,
        snippet: &'static str,
    },
    /// `Error::Decode` at `path`, whose snippet starts with `snippet`.
    Decode {
        path: &'static str,
        snippet: &'static str,
    },
    /// `Error::InvalidRequest` naming the field at `path`; nothing is sent.
    Invalid { path: &'static str },
}

/// One error path: the mock of `op` answers its request with `answer` (exactly once, or never
/// for an invalid request), and the call fails as `fails` says.
struct ErrorCase {
    name: &'static str,
    op: Op,
    answer: ResponseTemplate,
    fails: Fails,
}

/// A GET of `/gettoken` with the app's key and secret.
fn gettoken() -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .and(query_param("appkey", APPKEY))
        .and(query_param("appsecret", APPSECRET))
        .and(query_param_is_missing("access_token"))
}

fn page(status: u16, html: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(html.to_owned(), "text/html")
}

fn error_cases() -> Vec<ErrorCase> {
    use ErrorMeaning::{RateLimited, TokenInvalid};
    let int = ReceivedCode::Integer;
    let string = |code: &str| ReceivedCode::String(code.to_owned());
    vec![
        ErrorCase {
            // A StaticToken cannot give another token: the rejection is returned, not replayed.
            name: "oapi errcode 40014 means an invalid token",
            op: LIST_CATEGORIES,
            answer: ok(json!({
                "errcode": 40014,
                "errmsg": "不合法的access_token",
                "request_id": "abc"
            })),
            fails: Fails::Api {
                status: 200,
                code: int(40014),
                message: "不合法的access_token",
                request_id: Some("abc"),
                meaning: Some(TokenInvalid),
            },
        },
        ErrorCase {
            name: "oapi errcode sent as a string is still understood",
            op: LIST_CATEGORIES,
            answer: ok(json!({"errcode": "40014", "errmsg": "不合法的access_token"})),
            fails: Fails::Api {
                status: 200,
                code: string("40014"),
                message: "不合法的access_token",
                request_id: None,
                meaning: Some(TokenInvalid),
            },
        },
        ErrorCase {
            name: "oapi errcode 90018 means rate limited",
            op: GET_UNREAD_COUNT,
            answer: ok(json!({
                "errcode": 90018,
                "errmsg": "单个应用调用单个接口的频率超过了QPS限制",
                "request_id": "r90018"
            })),
            fails: Fails::Api {
                status: 200,
                code: int(90018),
                message: "单个应用调用单个接口的频率超过了QPS限制",
                request_id: Some("r90018"),
                meaning: Some(RateLimited),
            },
        },
        ErrorCase {
            name: "oapi errcode outside the catalogue has no meaning",
            op: BLACKBOARD_GET,
            answer: ok(json!({"errcode": 12345, "errmsg": "公告不存在"})),
            fails: Fails::Api {
                status: 200,
                code: int(12345),
                message: "公告不存在",
                request_id: None,
                meaning: None,
            },
        },
        ErrorCase {
            name: "api base 403 QPS limit is rate limited with a string code",
            op: LIST_DISMISSIONS,
            answer: ResponseTemplate::new(403).set_body_json(json!({
                "code": "Forbidden.AccessDenied.QpsLimitForApi",
                "message": "当前所有钉钉应用调用该接口次数过多",
                "requestid": "r1"
            })),
            fails: Fails::Api {
                status: 403,
                code: string("Forbidden.AccessDenied.QpsLimitForApi"),
                message: "当前所有钉钉应用调用该接口次数过多",
                request_id: Some("r1"),
                meaning: Some(RateLimited),
            },
        },
        ErrorCase {
            // A StaticToken cannot give another token: the rejection is returned, not replayed.
            name: "api base 401 InvalidAuthentication means an invalid token",
            op: LIST_DISMISSIONS,
            answer: ResponseTemplate::new(401).set_body_json(json!({
                "code": "InvalidAuthentication",
                "message": "不合法的access_token",
                "requestid": "r2"
            })),
            fails: Fails::Api {
                status: 401,
                code: string("InvalidAuthentication"),
                message: "不合法的access_token",
                request_id: Some("r2"),
                meaning: Some(TokenInvalid),
            },
        },
        ErrorCase {
            name: "get_token errcode 40001 means an invalid token",
            op: GET_TOKEN,
            answer: ok(json!({
                "errcode": 40001,
                "errmsg": "获取access_token时Secret错误，或者access_token无效",
                "request_id": "g1"
            })),
            fails: Fails::Api {
                status: 200,
                code: int(40001),
                message: "获取access_token时Secret错误，或者access_token无效",
                request_id: Some("g1"),
                meaning: Some(TokenInvalid),
            },
        },
        ErrorCase {
            name: "oapi HTML page with status 200 is a not-JSON error",
            op: LIST_TOP_TEN,
            answer: page(200, "<html>banned</html>"),
            fails: Fails::NotJson {
                status: 200,
                kind: PageKind::Other,
                snippet: "<html>banned",
            },
        },
        ErrorCase {
            name: "api HTML page with status 200 is a not-JSON error",
            op: LIST_DISMISSIONS,
            answer: page(200, "<html>banned</html>"),
            fails: Fails::NotJson {
                status: 200,
                kind: PageKind::Other,
                snippet: "<html>banned",
            },
        },
        ErrorCase {
            name: "wrongly typed field is a decode error naming its path",
            op: REPORT_LIST,
            answer: ok(json!({"errcode": 0, "errmsg": "ok", "result": {"has_more": "yes"}})),
            fails: Fails::Decode {
                path: "result.has_more",
                snippet: "{",
            },
        },
        ErrorCase {
            name: "wrongly typed nested list item is a decode error with its index",
            op: BLACKBOARD_GET,
            answer: ok(json!({
                "errcode": 0,
                "result": {"user_list": [{"staff_id": "001"}, {"staff_id": 2}]}
            })),
            fails: Fails::Decode {
                path: "result.user_list[1].staff_id",
                snippet: "{",
            },
        },
        ErrorCase {
            // The body holds the issued token; the snippet must not quote it.
            name: "get_token success envelope with a broken field is a decode error",
            op: GET_TOKEN,
            answer: ok(json!({
                "errcode": 0,
                "errmsg": "ok",
                "access_token": ISSUED_TOKEN,
                "expires_in": "7200 seconds"
            })),
            fails: Fails::Decode {
                path: "expires_in",
                snippet: "<96 bytes, not shown: the response holds secrets>",
            },
        },
        ErrorCase {
            // serde quotes a mistyped integer in its message; the token must not show.
            name: "get_token token sent as a number is a decode error",
            op: GET_TOKEN,
            answer: ok(json!({
                "errcode": 0,
                "errmsg": "ok",
                "access_token": MISTYPED_TOKEN,
                "expires_in": 7200
            })),
            fails: Fails::Decode {
                path: "access_token",
                snippet: "<73 bytes, not shown: the response holds secrets>",
            },
        },
        ErrorCase {
            // The status is not ignored when the body happens to carry the success code.
            name: "oapi 500 with a success code is a status error",
            op: GET_UNREAD_COUNT,
            answer: ResponseTemplate::new(500).set_body_json(json!({"errcode": 0, "count": 2})),
            fails: Fails::Status {
                status: 500,
                snippet: "{",
            },
        },
        ErrorCase {
            name: "oapi 502 page is a gateway page",
            op: LIST_TOP_TEN,
            answer: page(502, "<html>bad gateway</html>"),
            fails: Fails::NotJson {
                status: 502,
                kind: PageKind::Gateway,
                snippet: "<html>bad gateway",
            },
        },
        ErrorCase {
            name: "api 502 page is a gateway page",
            op: LIST_DISMISSIONS,
            answer: page(502, "<html>bad gateway</html>"),
            fails: Fails::NotJson {
                status: 502,
                kind: PageKind::Gateway,
                snippet: "<html>bad gateway",
            },
        },
        ErrorCase {
            name: "a long error page is cut short in the snippet",
            op: LIST_TOP_TEN,
            answer: page(503, &format!("<html>{}</html>", "x".repeat(5000))),
            fails: Fails::NotJson {
                status: 503,
                kind: PageKind::Gateway,
                snippet: "<html>xxx",
            },
        },
        ErrorCase {
            name: "get_token error page is not quoted",
            op: GET_TOKEN,
            answer: page(500, &format!("<html>{ISSUED_TOKEN}</html>")),
            fails: Fails::NotJson {
                status: 500,
                kind: PageKind::Other,
                snippet: "<36 bytes, not shown: the response holds secrets>",
            },
        },
        ErrorCase {
            name: "report.list size over 20 is rejected before sending",
            op: REPORT_LIST_OF_21,
            answer: ok(json!({"errcode": 0})),
            fails: Fails::Invalid { path: "size" },
        },
        ErrorCase {
            name: "blackboard.list_ids page size 31 is rejected before sending",
            op: LIST_IDS_OF_31,
            answer: ok(json!({"errcode": 0})),
            fails: Fails::Invalid {
                path: "query_request.page_size",
            },
        },
        ErrorCase {
            name: "blackboard receiver with 1001 userids is rejected before sending",
            op: CREATE_FOR_1001_USERS,
            answer: ok(json!({"errcode": 0})),
            fails: Fails::Invalid {
                path: "create_request.blackboard_receiver.userid_list",
            },
        },
    ]
}

/// Each error path through a client with the static test token: the error it gives, its
/// operation in the error and its text, and no secret (token, app secret, issued token) in
/// its `Display`, `Debug` or sources.
#[tokio::test]
async fn error_paths_give_their_errors_without_secrets() {
    for case in error_cases() {
        let ErrorCase {
            name,
            op,
            answer,
            fails,
        } = case;
        // An invalid request is never sent.
        let sent = usize::from(!matches!(fails, Fails::Invalid { .. }));
        let (server, dt) = start().await;
        (op.request)().respond_with(answer).mount(&server).await;

        let err = (op.call)(dt).await.expect_err(name);

        assert_eq!(err.operation(), op.id, "{name}");
        assert!(err.to_string().contains(op.id), "{name}: {err}");
        assert_error_hides_secrets(name, &err);
        check_failure(name, &err, fails);
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), sent, "{name}: requests sent");
    }
}

fn check_failure(name: &str, err: &Error, fails: Fails) {
    match (fails, err) {
        (
            Fails::Api {
                status,
                code,
                message,
                request_id,
                meaning,
            },
            Error::Api(api),
        ) => {
            let got = (
                api.status,
                &api.code,
                api.message.as_str(),
                api.request_id.as_deref(),
                api.meaning,
            );
            assert_eq!(got, (status, &code, message, request_id, meaning), "{name}");
            let token_invalid = meaning == Some(ErrorMeaning::TokenInvalid);
            assert_eq!(err.is_token_invalid(), token_invalid, "{name}");
            let rate_limited = meaning == Some(ErrorMeaning::RateLimited);
            assert_eq!(err.is_rate_limited(), rate_limited, "{name}");
            assert!(err.to_string().contains(&code.to_string()), "{name}: {err}");
        }
        (
            Fails::Status { status, snippet },
            Error::Status {
                status: got,
                snippet: shown,
                ..
            },
        ) => {
            assert_eq!(*got, status, "{name}");
            assert!(shown.starts_with(snippet), "{name}: {shown}");
            assert!(
                shown.chars().count() < 300,
                "{name}: {} characters",
                shown.len()
            );
        }
        (
            Fails::NotJson {
                status,
                kind,
                snippet,
            },
            Error::NotJson {
                status: got,
                kind: got_kind,
                content_type,
                snippet: shown,
                ..
            },
        ) => {
            assert_eq!((*got, *got_kind), (status, kind), "{name}");
            assert_eq!(content_type.as_deref(), Some("text/html"), "{name}");
            assert!(shown.starts_with(snippet), "{name}: {shown}");
            assert!(
                shown.chars().count() < 300,
                "{name}: {} characters",
                shown.len()
            );
        }
        (
            Fails::Decode { path, snippet },
            Error::Decode {
                path: got,
                snippet: shown,
                ..
            },
        ) => {
            assert_eq!(got, path, "{name}");
            assert!(shown.starts_with(snippet), "{name}: {shown}");
            assert!(err.to_string().contains(path), "{name}: {err}");
        }
        (Fails::Invalid { path }, Error::InvalidRequest { source, .. }) => {
            assert_eq!(source.path, path, "{name}");
        }
        (_, other) => panic!("{name}: another kind of error: {other:?}"),
    }
}

#[tokio::test]
async fn blackboard_receiver_with_1000_userids_is_sent() {
    let (_server, dt) = serve(
        oapi_any("/topapi/blackboard/create"),
        json!({"errcode": 0, "result": true}),
    )
    .await;

    let userids: Vec<String> = (0..1000).map(|i| format!("user{i}")).collect();
    let receiver = blackboard::BlackboardReceiverOpenVo::new().userid_list(userids);
    let vo = blackboard::OapiCreateBlackboardVo::new("manager01", receiver, "入职须知", "内容");
    let resp = dt
        .blackboard()
        .create(blackboard::CreateRequest::new(vo))
        .await
        .unwrap();
    assert_eq!(resp.result, Some(true));
}

#[tokio::test]
async fn auth_operation_without_token_source_is_auth_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!({"errcode": 0})))
        .expect(0)
        .mount(&server)
        .await;
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&dingtalk::OAPI, server.uri())
        .base_url(&dingtalk::API, server.uri())
        .build()
        .unwrap();

    let err = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Auth { operation, .. } if *operation == "blackboard.list_categories"),
        "{err:?}"
    );

    let err = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
}

#[tokio::test]
async fn failing_token_source_error_is_returned_without_sending() {
    struct Failing;
    impl TokenSource for Failing {
        fn token<'a>(&'a self, _client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
            Box::pin(async {
                Err(Error::Auth {
                    operation: "auth.get_token",
                    message: "token service down".to_owned(),
                })
            })
        }
    }

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!({"errcode": 0})))
        .expect(0)
        .mount(&server)
        .await;
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(Failing)
        .base_url(&dingtalk::OAPI, server.uri())
        .build()
        .unwrap();

    let err = dt
        .report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Auth { message, .. } if message == "token service down"),
        "{err:?}"
    );
}

/// A token source that records which tokens the client reported as rejected.
struct RecordingToken {
    invalidated: Arc<Mutex<Vec<String>>>,
}

impl TokenSource for RecordingToken {
    fn token<'a>(&'a self, _client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
        Box::pin(async { Ok(Secret::new(TOKEN)) })
    }

    fn invalidate<'a>(&'a self, _client: &'a Client, stale: &'a Secret) -> BoxFuture<'a, ()> {
        self.invalidated
            .lock()
            .unwrap()
            .push(stale.expose().to_owned());
        Box::pin(async {})
    }
}

#[tokio::test]
async fn rejected_token_is_invalidated_on_the_token_source() {
    let server = MockServer::start().await;
    oapi_any("/topapi/blackboard/category/list")
        .respond_with(ok(json!({
            "errcode": 40014,
            "errmsg": "不合法的access_token",
            "request_id": "abc"
        })))
        // The first rejection is replayed once with a fresh token; the second is returned.
        .expect(2)
        .mount(&server)
        .await;
    let invalidated = Arc::new(Mutex::new(Vec::new()));
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(RecordingToken {
            invalidated: Arc::clone(&invalidated),
        })
        .base_url(&dingtalk::OAPI, server.uri())
        .build()
        .unwrap();

    let err = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap_err();
    assert!(err.is_token_invalid());
    assert_eq!(
        *invalidated.lock().unwrap(),
        vec![TOKEN.to_owned(), TOKEN.to_owned()]
    );
}

#[tokio::test]
async fn accepted_token_is_not_invalidated() {
    let (server, _) = start().await;
    oapi_any("/topapi/report/getunreadcount")
        .respond_with(ok(json!({"errcode": 0, "count": 2})))
        .expect(1)
        .mount(&server)
        .await;
    let invalidated = Arc::new(Mutex::new(Vec::new()));
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(RecordingToken {
            invalidated: Arc::clone(&invalidated),
        })
        .base_url(&dingtalk::OAPI, server.uri())
        .build()
        .unwrap();

    let resp = dt
        .report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .unwrap();
    assert_eq!(resp.count, Some(2));
    assert!(invalidated.lock().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Secrets never show
// ---------------------------------------------------------------------------------------------

fn assert_no_secret(what: &str, text: &str) {
    for secret in [TOKEN, APPSECRET, ISSUED_TOKEN, &MISTYPED_TOKEN.to_string()] {
        assert!(
            !text.contains(secret),
            "{what} shows the secret `{secret}`: {text}"
        );
    }
}

/// Fails, naming `what` failed, when the error shows a secret in its `Display`, its `Debug` or
/// a source.
fn assert_error_hides_secrets(what: &str, err: &Error) {
    assert_no_secret(&format!("{what}: error Display"), &err.to_string());
    assert_no_secret(&format!("{what}: error Debug"), &format!("{err:?}"));
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        assert_no_secret(&format!("{what}: error source"), &cause.to_string());
        source = cause.source();
    }
}

#[tokio::test]
async fn client_and_request_debug_hide_token_and_appsecret() {
    let (_server, dt) = start().await;
    let client_debug = format!("{dt:?}");
    assert!(client_debug.contains("Client"), "{client_debug}");
    assert_no_secret("client Debug", &client_debug);

    let request = auth::GetTokenRequest::new(APPKEY, APPSECRET);
    let request_debug = format!("{request:?}");
    assert!(request_debug.contains(APPKEY), "{request_debug}");
    assert_no_secret("request Debug", &request_debug);
}

#[tokio::test]
async fn transport_error_hides_the_token_in_the_url() {
    // A port that was free a moment ago refuses connections.
    let uri = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let dt: dingtalk::Client = dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .base_url(&dingtalk::OAPI, uri.clone())
        .base_url(&dingtalk::API, uri)
        .build()
        .unwrap();

    let err = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { operation, .. } if *operation == "blackboard.list_categories"),
        "{err:?}"
    );
    assert_error_hides_secrets("a transport error", &err);
}

#[tokio::test]
async fn oapi_success_code_sent_as_a_string_is_still_understood() {
    let (_server, dt) = serve(
        oapi_any("/topapi/report/getunreadcount"),
        json!({"errcode": "0", "errmsg": "ok", "count": 2}),
    )
    .await;

    let resp = dt
        .report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .unwrap();
    assert_eq!(resp.count, Some(2));
}

/// The sub-client methods return `Client::send`'s future rather than an `async fn`'s own;
/// it must still be `Send` (spawned on a multi-threaded runtime) and outlive the sub-client.
#[tokio::test]
async fn operation_futures_are_send_and_borrow_only_the_client() {
    let (server, dt) = start().await;
    oapi_post(
        "/topapi/blackboard/category/list",
        json!({"operation_userid": "manager01"}),
    )
    .respond_with(ok(
        json!({"errcode": 0, "errmsg": "ok", "result": [{"id": "c1", "name": "日签"}]}),
    ))
    .expect(2)
    .mount(&server)
    .await;
    let future = {
        let blackboard = dt.blackboard();
        blackboard.list_categories(blackboard::ListCategoriesRequest::new("manager01"))
    };
    let categories = future.await.expect("call succeeds").result;
    assert_eq!(categories.map(|c| c.len()), Some(1));
    let spawned = tokio::spawn(list_categories(std::sync::Arc::new(dt)))
        .await
        .expect("task joins")
        .expect("call succeeds");
    assert_eq!(spawned.result.map(|c| c.len()), Some(1));
}

async fn list_categories(
    dt: std::sync::Arc<dingtalk::Client>,
) -> open_platform_clients::runtime::Result<blackboard::ListCategoriesResponse> {
    dt.blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
        .await
}

/// "start_time参数和end_time参数最多相隔180天": a window of 180 days passes `validate()`, a
/// millisecond more (either way round) is rejected with the end time's path, and a call with
/// it never reaches the server. The same limit holds for report.list_simple.
#[tokio::test]
async fn report_list_window_over_180_days_is_rejected_before_sending() {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    let begin = 1_507_564_800_000;
    let list = |end: i64| report::ListRequest::new(Millis(begin), Millis(end), 0, 10);
    let simple = |end: i64| report::ListSimpleRequest::new(Millis(begin), Millis(end), 0, 10);
    for end in [begin, begin + 180 * DAY_MS, begin - 180 * DAY_MS] {
        assert!(list(end).validate().is_ok(), "{end}");
        assert!(simple(end).validate().is_ok(), "{end}");
    }
    for end in [begin + 180 * DAY_MS + 1, begin - 180 * DAY_MS - 1] {
        for err in [list(end).validate(), simple(end).validate()] {
            match err {
                Err(Error::InvalidRequest { source, .. }) => {
                    assert_eq!(source.path, "end_time");
                    assert_eq!(source.reason, "is more than 180 days from `start_time`");
                }
                other => panic!("expected Error::InvalidRequest, got {other:?}"),
            }
        }
    }

    let (server, dt) = start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok(json!({"errcode": 0})))
        .expect(0)
        .mount(&server)
        .await;
    let err = dt
        .report()
        .list(list(begin + 181 * DAY_MS))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { operation, source } if operation == &"report.list" && source.path == "end_time"),
        "{err:?}"
    );
}
