//! End-to-end calls of the generated tze.cn client against a wiremock server: `org.get_org_child_list` (GET with `org_id`, optional `parent_id` and `is_all` "1"/"0", the token in `accessToken`), the document's example response decoded as printed (string `display_order`, `org_type` "4"), unknown `org_type` values kept, and the string error code `"100001"`.

use open_platform_clients::runtime::{Error, ReceivedCode, RetryPolicy, StaticToken};
use open_platform_clients::tze::{self, org};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "tze-test-token";
const ORG_CHILD_LIST: &str = "/user/openapi/org/get-org-child-list";

/// The document's 返回示例, exactly as printed.
const DOC_RESPONSE: &str = r#"{ "code": "000000", "message": "成功", "result": { "count": 3, "list": [ { "org_id": "1111111", "org_name": "財務部", "org_type": "4", "parent_id": "111", "display_order": "1" } ] } }"#;

fn client_for(server: &MockServer) -> tze::Client {
    tze::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .base_url(&tze::API, server.uri())
        .build()
        .expect("client builds")
}

async fn start() -> (MockServer, tze::Client) {
    let server = MockServer::start().await;
    let client = client_for(&server);
    (server, client)
}

/// A GET of the child list for `org_id` with the token in `accessToken`.
fn child_list_get(org_id: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(ORG_CHILD_LIST))
        .and(query_param("org_id", org_id))
        .and(query_param("accessToken", TOKEN))
        .and(query_param_is_missing("access_token"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn get_org_child_list_decodes_the_document_example() {
    let (server, client) = start().await;
    child_list_get("123")
        .and(query_param_is_missing("parent_id"))
        .and(query_param_is_missing("is_all"))
        .respond_with(ResponseTemplate::new(200).set_body_string(DOC_RESPONSE))
        .expect(1)
        .mount(&server)
        .await;

    let resp = client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("123"))
        .await
        .unwrap();

    let result = resp.result.expect("result");
    assert_eq!(result.count, Some(3));
    let list = result.list.expect("list");
    assert_eq!(list.len(), 1);
    let dept = &list[0];
    assert_eq!(dept.org_id, "1111111");
    assert_eq!(dept.org_name, "財務部");
    assert_eq!(dept.org_type, org::OrgType::Department);
    assert_eq!(dept.parent_id, "111");
    assert_eq!(dept.display_order, 1);

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].body.is_empty());
    let names: Vec<String> = received[0]
        .url
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(names, ["org_id", "accessToken"]);
}

#[tokio::test]
async fn get_org_child_list_sends_parent_id_and_is_all_zero() {
    let (server, client) = start().await;
    child_list_get("123")
        .and(query_param("parent_id", "111"))
        .and(query_param("is_all", "0"))
        .respond_with(ok(
            json!({"code": "000000", "message": "成功", "result": {"count": 0, "list": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let request = org::GetOrgChildListRequest::new("123")
        .parent_id("111")
        .is_all(org::IsAll::DirectChildren);
    let resp = client.org().get_org_child_list(request).await.unwrap();
    let result = resp.result.expect("result");
    assert_eq!(result.count, Some(0));
    assert_eq!(result.list, Some(vec![]));
}

#[tokio::test]
async fn get_org_child_list_sends_is_all_one() {
    let (server, client) = start().await;
    child_list_get("123")
        .and(query_param("parent_id", "123"))
        .and(query_param("is_all", "1"))
        .respond_with(ok(json!({"code": "000000", "message": "成功"})))
        .expect(1)
        .mount(&server)
        .await;

    let request = org::GetOrgChildListRequest::new("123")
        .parent_id("123")
        .is_all(org::IsAll::AllLevels);
    let resp = client.org().get_org_child_list(request).await.unwrap();
    assert_eq!(resp.result, None, "result is optional (可选)");
}

#[tokio::test]
async fn get_org_child_list_keeps_an_unknown_org_type_and_numeric_display_order() {
    let (server, client) = start().await;
    child_list_get("123")
        .respond_with(ok(json!({
            "code": "000000",
            "message": "成功",
            "result": {
                "count": 2,
                "list": [
                    {
                        "org_id": "2001",
                        "org_name": "新類型",
                        "org_type": "11",
                        "parent_id": "123",
                        "display_order": 2
                    },
                    {
                        "org_id": "2002",
                        "org_name": "平臺",
                        "org_type": "10",
                        "parent_id": "123",
                        "display_order": "3"
                    }
                ]
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let resp = client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("123"))
        .await
        .unwrap();
    let list = resp.result.unwrap().list.unwrap();
    assert_eq!(list[0].org_type, org::OrgType::Unknown("11".to_owned()));
    assert_eq!(list[0].org_type.as_str(), "11");
    assert_eq!(
        serde_json::to_value(&list[0].org_type).unwrap(),
        json!("11")
    );
    assert_eq!(list[0].display_order, 2);
    assert_eq!(list[1].org_type, org::OrgType::Platform);
    assert_eq!(
        serde_json::to_value(&list[1].org_type).unwrap(),
        json!("10")
    );
    assert_eq!(list[1].display_order, 3);
}

#[tokio::test]
async fn get_org_child_list_failure_code_is_an_api_error_with_a_string_code() {
    let (server, client) = start().await;
    child_list_get("123")
        .respond_with(ok(json!({"code": "100001", "message": "失敗"})))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("123"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("100001"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.operation, "org.get_org_child_list");
    assert_eq!(api.code, ReceivedCode::String("100001".to_owned()));
    assert_eq!(api.message, "失敗");
    assert_eq!(api.status, 200);
}

#[tokio::test]
async fn get_org_child_list_error_body_with_a_malformed_result_is_still_the_api_error() {
    // The code is read before the payload, so an error body never becomes a decode error.
    let (server, client) = start().await;
    child_list_get("123")
        .respond_with(ok(
            json!({"code": "100001", "message": "失敗", "result": "none"}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("123"))
        .await
        .unwrap_err();
    assert_eq!(
        err.api().map(|api| api.code.clone()),
        Some(ReceivedCode::String("100001".to_owned()))
    );
}

#[tokio::test]
async fn get_org_child_list_query_values_are_encoded() {
    let (server, client) = start().await;
    child_list_get("org 1&x=2")
        .and(query_param("parent_id", "父/節點"))
        .respond_with(ok(json!({"code": "000000", "message": "成功"})))
        .expect(1)
        .mount(&server)
        .await;

    client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("org 1&x=2").parent_id("父/節點"))
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert!(
        received[0].url.query_pairs().all(|(k, _)| k != "x"),
        "the `&` in org_id does not start a new parameter"
    );
}

/// The table types `result` as `json[]` of departments, the example sends an object with
/// `count` and `list`: both shapes decode into the same `OrgChildList`, a bare list as its
/// `list` (without a `count`), so neither shape fails the call.
#[tokio::test]
async fn get_org_child_list_accepts_the_tables_list_and_the_examples_object() {
    let department = |id: &str, order: Value| {
        json!({
            "org_id": id,
            "org_name": "財務部",
            "org_type": "4",
            "parent_id": "111",
            "display_order": order
        })
    };
    let shapes = [
        (
            "the example's object",
            json!({"count": 3, "list": [department("1111111", json!("1"))]}),
            Some(3),
        ),
        (
            "the table's json[]",
            json!([
                department("1111111", json!("1")),
                department("2222222", json!(2))
            ]),
            None,
        ),
    ];
    for (shape, result, count) in shapes {
        let (server, client) = start().await;
        child_list_get("123")
            .respond_with(ok(
                json!({"code": "000000", "message": "成功", "result": result}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let resp = client
            .org()
            .get_org_child_list(org::GetOrgChildListRequest::new("123"))
            .await
            .unwrap_or_else(|err| panic!("{shape}: {err}"));
        let result = resp.result.expect("result");
        assert_eq!(result.count, count, "{shape}");
        let list = result.list.expect("list");
        assert_eq!(list[0].org_id, "1111111", "{shape}");
        assert_eq!(list[0].org_type, org::OrgType::Department, "{shape}");
        assert_eq!(list[0].display_order, 1, "{shape}");
        if let Some(second) = list.get(1) {
            assert_eq!(second.display_order, 2, "{shape}");
        }
    }
}

/// A department in the bare list that does not fit is still a decode error naming it.
#[tokio::test]
async fn get_org_child_list_bare_list_with_a_broken_department_is_a_decode_error() {
    let (server, client) = start().await;
    child_list_get("123")
        .respond_with(ok(json!({
            "code": "000000",
            "message": "成功",
            "result": [{"org_id": "1", "org_name": "x", "org_type": "4", "parent_id": "0"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client
        .org()
        .get_org_child_list(org::GetOrgChildListRequest::new("123"))
        .await
        .expect_err("display_order is required");
    match err {
        Error::Decode { message, .. } => {
            assert!(message.contains("display_order"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
