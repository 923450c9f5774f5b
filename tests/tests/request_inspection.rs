//! Requests built without a server via `ApiRequest::http_request()`: method, production URL, query, headers and JSON body per operation, absent optionals, redacted `Debug`, and validation failures naming the field path.

use open_platform_clients::dingtalk::{auth, blackboard, checkin, hrm, report};
use open_platform_clients::runtime::{ApiRequest, Error, HttpRequest, Method, Millis};
use serde_json::json;

const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

fn query_pairs(req: &HttpRequest) -> Vec<(String, String)> {
    req.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn body(req: &HttpRequest) -> serde_json::Value {
    req.json()
        .expect("request has a body")
        .expect("body is JSON")
}

fn invalid_path<R: ApiRequest>(request: &R) -> String {
    match request.http_request() {
        Err(Error::InvalidRequest { source, .. }) => source.path,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

#[test]
fn get_token_is_a_get_with_appkey_and_appsecret_in_the_query() {
    let req = auth::GetTokenRequest::new("dingeqqpkv3xxxx", "GT-lsu-taDAsTsxxxx")
        .http_request()
        .unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.url.scheme(), "https");
    assert_eq!(req.url.host_str(), Some("oapi.dingtalk.com"));
    assert_eq!(req.url.path(), "/gettoken");
    assert_eq!(
        query_pairs(&req),
        vec![
            pair("appkey", "dingeqqpkv3xxxx"),
            pair("appsecret", "GT-lsu-taDAsTsxxxx")
        ]
    );
    assert_eq!(req.query("access_token"), None);
    assert!(req.body.is_empty());
    assert!(req.headers.is_empty(), "{:?}", req.headers);
}

#[test]
fn get_token_debug_hides_the_appsecret() {
    let req = auth::GetTokenRequest::new("dingeqqpkv3xxxx", "GT-lsu-taDAsTsxxxx")
        .http_request()
        .unwrap();
    let debug = format!("{req:?}");
    assert!(!debug.contains("GT-lsu-taDAsTsxxxx"), "{debug}");
    assert!(debug.contains("appsecret"), "{debug}");
    assert!(debug.contains("/gettoken"), "{debug}");
    assert!(!req.redacted_url().contains("GT-lsu-taDAsTsxxxx"));
}

#[test]
fn blackboard_create_has_full_nested_json_body() {
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
    let req = blackboard::CreateRequest::new(vo).http_request().unwrap();

    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/blackboard/create"
    );
    assert_eq!(req.header("content-type"), Some(JSON_CONTENT_TYPE));
    assert_eq!(req.query("access_token"), None, "no token without a client");
    assert_eq!(
        body(&req),
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
        })
    );
}

#[test]
fn blackboard_create_leaves_unset_optionals_out_of_the_body() {
    let vo = blackboard::OapiCreateBlackboardVo::new(
        "manager01",
        blackboard::BlackboardReceiverOpenVo::new(),
        "入职须知",
        "欢迎加入我们的大家庭",
    );
    let req = blackboard::CreateRequest::new(vo).http_request().unwrap();
    assert_eq!(
        body(&req),
        json!({
            "create_request": {
                "operation_userid": "manager01",
                "blackboard_receiver": {},
                "title": "入职须知",
                "content": "欢迎加入我们的大家庭"
            }
        })
    );
}

#[test]
fn blackboard_list_ids_nests_query_request() {
    let query = blackboard::OapiBlackboardQueryVo::new("manager4220", 10, 1)
        .start_time("2019-10-07 10:10:10")
        .end_time("2019-11-07 10:10:10");
    let req = blackboard::ListIdsRequest::new(query)
        .http_request()
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/blackboard/listids"
    );
    assert_eq!(
        body(&req),
        json!({
            "query_request": {
                "operation_userid": "manager4220",
                "page_size": 10,
                "start_time": "2019-10-07 10:10:10",
                "end_time": "2019-11-07 10:10:10",
                "page": 1
            }
        })
    );
}

#[test]
fn report_list_statistics_by_type_sends_type_and_omits_unset_paging() {
    let req = report::ListStatisticsByTypeRequest::new("17469xxx", 0)
        .http_request()
        .unwrap();
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/report/statistics/listbytype"
    );
    assert_eq!(body(&req), json!({"report_id": "17469xxx", "type": 0}));

    let req = report::ListStatisticsByTypeRequest::new("17469xxx", 1)
        .offset(0)
        .size(100)
        .http_request()
        .unwrap();
    assert_eq!(
        body(&req),
        json!({"report_id": "17469xxx", "type": 1, "offset": 0, "size": 100})
    );
}

#[test]
fn report_list_templates_by_user_with_nothing_set_has_an_empty_object_body() {
    let req = report::ListTemplatesByUserRequest::new()
        .http_request()
        .unwrap();
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/report/template/listbyuserid"
    );
    assert_eq!(req.header("content-type"), Some(JSON_CONTENT_TYPE));
    assert_eq!(body(&req), json!({}));
}

#[test]
fn report_list_omits_unset_optionals() {
    let req = report::ListRequest::new(Millis(1507564800000), Millis(1507564800000), 0, 10)
        .http_request()
        .unwrap();
    assert_eq!(
        body(&req),
        json!({
            "start_time": 1507564800000_i64,
            "end_time": 1507564800000_i64,
            "cursor": 0,
            "size": 10
        })
    );
}

#[test]
fn hrm_list_on_job_sends_status_list_as_one_string() {
    let req = hrm::ListOnJobRequest::new(vec![2, 3, 5, -1], 0, 50)
        .http_request()
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/smartwork/hrm/employee/queryonjob"
    );
    assert_eq!(
        body(&req),
        json!({"status_list": "2,3,5,-1", "offset": 0, "size": 50})
    );
}

#[test]
fn checkin_list_records_sends_userid_list_as_one_string() {
    let req = checkin::ListRecordsRequest::new(
        vec!["manager4220".to_owned(), "080517".to_owned()],
        Millis(1605437194000),
        Millis(1605786394000),
        0,
        100,
    )
    .http_request()
    .unwrap();
    assert_eq!(
        req.url.as_str(),
        "https://oapi.dingtalk.com/topapi/checkin/record/get"
    );
    assert_eq!(
        body(&req),
        json!({
            "userid_list": "manager4220,080517",
            "start_time": 1605437194000_i64,
            "end_time": 1605786394000_i64,
            "cursor": 0,
            "size": 100
        })
    );
}

#[test]
fn hrm_list_dismissions_is_a_get_on_the_api_base_with_camel_case_query() {
    let req = hrm::ListDismissionsRequest::new()
        .next_token(100)
        .max_results(50)
        .http_request()
        .unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url.as_str(),
        "https://api.dingtalk.com/v1.0/hrm/employees/dismissions?nextToken=100&maxResults=50"
    );
    assert_eq!(
        query_pairs(&req),
        vec![pair("nextToken", "100"), pair("maxResults", "50")]
    );
    assert!(req.body.is_empty());
    assert_eq!(req.header("content-type"), None);
    assert_eq!(req.header("x-acs-dingtalk-access-token"), None);
}

#[test]
fn hrm_list_dismissions_without_paging_has_no_query_string() {
    let req = hrm::ListDismissionsRequest::new().http_request().unwrap();
    assert_eq!(
        req.url.as_str(),
        "https://api.dingtalk.com/v1.0/hrm/employees/dismissions"
    );
    assert_eq!(req.url.query(), None);
}

#[test]
fn http_request_at_joins_a_base_with_a_trailing_slash() {
    let req = blackboard::ListTopTenRequest::new("manager01")
        .http_request_at("http://127.0.0.1:9/proxy/")
        .unwrap();
    assert_eq!(
        req.url.as_str(),
        "http://127.0.0.1:9/proxy/topapi/blackboard/listtopten"
    );
    assert_eq!(body(&req), json!({"userid": "manager01"}));
}

#[test]
fn validation_names_nested_page_size_path() {
    let request =
        blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new("m", 31, 1));
    assert_eq!(invalid_path(&request), "query_request.page_size");
    let request =
        blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new("m", 0, 1));
    assert_eq!(invalid_path(&request), "query_request.page_size");
    let request =
        blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new("m", 10, 0));
    assert_eq!(invalid_path(&request), "query_request.page");
}

#[test]
fn validation_accepts_the_limits_themselves() {
    for page_size in [1, 30] {
        let request = blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new(
            "m", page_size, 1,
        ));
        assert!(request.validate().is_ok(), "page_size {page_size}");
    }
    assert!(report::ListRequest::new(Millis(0), Millis(0), 0, 20)
        .validate()
        .is_ok());
    assert!(hrm::ListOnJobRequest::new(vec![2], 0, 50)
        .validate()
        .is_ok());
}

#[test]
fn validation_error_display_names_operation_field_and_value() {
    let request =
        blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new("m", 31, 1));
    let err = request.http_request().unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("blackboard.list_ids"), "{shown}");
    assert!(shown.contains("query_request.page_size"), "{shown}");
    assert!(shown.contains("31"), "{shown}");
}

#[test]
fn validation_names_receiver_list_paths() {
    let receiver = blackboard::BlackboardReceiverOpenVo::new().deptid_list((0..21).collect());
    let vo = blackboard::OapiCreateBlackboardVo::new("manager01", receiver, "t", "c");
    assert_eq!(
        invalid_path(&blackboard::CreateRequest::new(vo)),
        "create_request.blackboard_receiver.deptid_list"
    );
}

#[test]
fn validation_names_top_level_fields() {
    assert_eq!(
        invalid_path(&report::ListRequest::new(Millis(0), Millis(0), 0, 21)),
        "size"
    );
    assert_eq!(
        invalid_path(&hrm::ListOnJobRequest::new(vec![2], 0, 51)),
        "size"
    );
    assert_eq!(
        invalid_path(&hrm::ListPreEntryRequest::new(-1, 50)),
        "offset"
    );
    assert_eq!(
        invalid_path(&hrm::ListDismissionsRequest::new().max_results(51)),
        "maxResults"
    );
    let users: Vec<String> = (0..11).map(|i| format!("user{i}")).collect();
    assert_eq!(
        invalid_path(&checkin::ListRecordsRequest::new(
            users,
            Millis(0),
            Millis(0),
            0,
            100
        )),
        "userid_list"
    );
}

#[test]
fn query_values_are_percent_encoded_and_round_trip() {
    let req = auth::GetTokenRequest::new("key&x=1", "se cret+/=")
        .http_request()
        .unwrap();
    assert_eq!(req.query("appkey").as_deref(), Some("key&x=1"));
    assert_eq!(req.query("appsecret").as_deref(), Some("se cret+/="));
    assert_eq!(query_pairs(&req).len(), 2, "{}", req.url);
}
