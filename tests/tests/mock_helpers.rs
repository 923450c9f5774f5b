//! The generated crate's mock-server helpers (cargo feature `mock`): every documented example
//! response decodes into its operation's response type, and mounted examples and error codes
//! drive a real client offline, the token endpoint included.

use open_platform_clients::runtime::mock::{self, Example};
use open_platform_clients::runtime::{ApiRequest, Code, RetryPolicy};
use open_platform_clients::{chengxun, dingtalk, tze};
use serde::de::DeserializeOwned;
use wiremock::MockServer;

fn decodes<R: ApiRequest>(example: &Example) -> R::Response
where
    R::Response: DeserializeOwned,
{
    assert_eq!(
        example.operation,
        R::OPERATION,
        "example of another operation"
    );
    match serde_json::from_str::<R::Response>(example.response) {
        Ok(response) => response,
        Err(err) => panic!(
            "{}: the example does not decode: {err}\n{}",
            example.operation.id, example.response
        ),
    }
}

#[test]
fn every_example_decodes_into_its_response_type() {
    use dingtalk::{auth, blackboard, checkin, hrm, report};
    let token = decodes::<auth::GetTokenRequest>(&auth::examples::GET_TOKEN);
    assert_eq!(
        token.access_token.map(|t| t.expose().to_owned()).as_deref(),
        Some("fw8ef8we8f76e6f7s8dxxxx")
    );
    assert_eq!(token.expires_in, Some(7200));
    decodes::<blackboard::CreateRequest>(&blackboard::examples::CREATE);
    decodes::<blackboard::UpdateRequest>(&blackboard::examples::UPDATE);
    decodes::<blackboard::DeleteRequest>(&blackboard::examples::DELETE);
    let got = decodes::<blackboard::GetRequest>(&blackboard::examples::GET);
    let result = got.result.expect("result");
    assert_eq!(result.title.as_deref(), Some("入职须知"));
    assert_eq!(result.dept_list.map(|d| d.len()), Some(1));
    let ids = decodes::<blackboard::ListIdsRequest>(&blackboard::examples::LIST_IDS);
    assert_eq!(ids.result, Some(vec!["72b4f87d27e815f6fecxxxx".to_owned()]));
    decodes::<blackboard::ListCategoriesRequest>(&blackboard::examples::LIST_CATEGORIES);
    decodes::<blackboard::ListTopTenRequest>(&blackboard::examples::LIST_TOP_TEN);
    decodes::<report::CreateRequest>(&report::examples::CREATE);
    decodes::<report::GetTemplateByNameRequest>(&report::examples::GET_TEMPLATE_BY_NAME);
    let list = decodes::<report::ListRequest>(&report::examples::LIST);
    let page = list.result.expect("page");
    assert_eq!(page.has_more, Some(false));
    assert_eq!(
        page.data_list.expect("reports")[0]
            .contents
            .as_ref()
            .map(Vec::len),
        Some(1)
    );
    decodes::<report::ListSimpleRequest>(&report::examples::LIST_SIMPLE);
    decodes::<report::ListStatisticsByTypeRequest>(&report::examples::LIST_STATISTICS_BY_TYPE);
    decodes::<report::ListReceiversRequest>(&report::examples::LIST_RECEIVERS);
    decodes::<report::ListCommentsRequest>(&report::examples::LIST_COMMENTS);
    let unread = decodes::<report::GetUnreadCountRequest>(&report::examples::GET_UNREAD_COUNT);
    assert_eq!(unread.count, Some(2));
    decodes::<report::ListTemplatesByUserRequest>(&report::examples::LIST_TEMPLATES_BY_USER);
    decodes::<hrm::ListPreEntryRequest>(&hrm::examples::LIST_PRE_ENTRY);
    decodes::<hrm::ListOnJobRequest>(&hrm::examples::LIST_ON_JOB);
    decodes::<hrm::ListDismissionsRequest>(&hrm::examples::LIST_DISMISSIONS);
    let records = decodes::<checkin::ListRecordsRequest>(&checkin::examples::LIST_RECORDS);
    assert_eq!(records.result.and_then(|r| r.next_cursor), Some(100));
    decodes::<chengxun::card::SetEnterpriseDataRequest>(
        &chengxun::card::examples::SET_ENTERPRISE_DATA,
    );
    let secret = decodes::<chengxun::corp_service::ExchangeCorpSecretRequest>(
        &chengxun::corp_service::examples::EXCHANGE_CORP_SECRET,
    );
    assert!(secret.corp_secret.expose().starts_with("3y50kd"));
    let orgs = decodes::<tze::org::GetOrgChildListRequest>(&tze::org::examples::GET_ORG_CHILD_LIST);
    let org = &orgs.result.and_then(|r| r.list).expect("list")[0];
    assert_eq!(org.org_type, tze::org::OrgType::Department);
    assert_eq!(org.display_order, 1);
}

/// The envelope of each example carries the success message the document's own example
/// response shows, and none where the document shows none.
#[test]
fn examples_carry_the_documents_own_success_messages() {
    use dingtalk::{auth, blackboard};
    let message = |example: &Example, field: &str| {
        let body: serde_json::Value = serde_json::from_str(example.response).expect("JSON");
        body.get(field).cloned()
    };
    let cases = [
        (
            &chengxun::card::examples::SET_ENTERPRISE_DATA,
            "err_msg",
            Some(""),
        ),
        (
            &chengxun::corp_service::examples::EXCHANGE_CORP_SECRET,
            "err_msg",
            Some("success"),
        ),
        (
            &tze::org::examples::GET_ORG_CHILD_LIST,
            "message",
            Some("成功"),
        ),
        (&auth::examples::GET_TOKEN, "errmsg", Some("ok")),
        // The document's table for blackboard/create lists no errmsg.
        (&blackboard::examples::CREATE, "errmsg", None),
    ];
    for (example, field, expected) in cases {
        assert_eq!(
            message(example, field),
            expected.map(serde_json::Value::from),
            "{}",
            example.operation.id
        );
    }
}

#[tokio::test]
async fn mounted_examples_serve_a_client_including_its_token() {
    use dingtalk::{auth, blackboard};
    let server = MockServer::start().await;
    auth::examples::GET_TOKEN.mount(&server).await;
    blackboard::examples::LIST_IDS.mount(&server).await;
    let dt = dingtalk::Client::builder()
        .token_request(auth::GetTokenRequest::new("appkey", "appsecret"))
        .base_url(&dingtalk::OAPI, mock::base_url(&server, &dingtalk::OAPI))
        .build()
        .expect("client");
    let query = blackboard::OapiBlackboardQueryVo::new("manager4220", 10, 1);
    let ids = dt
        .blackboard()
        .list_ids(blackboard::ListIdsRequest::new(query))
        .await
        .expect("example");
    assert_eq!(ids.result, Some(vec!["72b4f87d27e815f6fecxxxx".to_owned()]));
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "one token request, one call");
    assert!(requests[1]
        .url
        .query()
        .is_some_and(|q| q.contains("access_token=fw8ef8we8f76e6f7s8dxxxx")));
}

#[tokio::test]
async fn mounted_error_codes_behave_as_the_platform_does() {
    use dingtalk::{blackboard, hrm};
    let server = MockServer::start().await;
    blackboard::examples::LIST_CATEGORIES.mount(&server).await;
    blackboard::examples::LIST_CATEGORIES
        .mount_error(&server, Code::Integer(60011))
        .await;
    hrm::examples::LIST_DISMISSIONS
        .mount_error(
            &server,
            Code::String("Forbidden.AccessDenied.QpsLimitForApi"),
        )
        .await;
    let dt = dingtalk::Client::builder()
        .token(open_platform_clients::runtime::StaticToken::new("t"))
        .retry(RetryPolicy::none())
        .base_url(&dingtalk::OAPI, mock::base_url(&server, &dingtalk::OAPI))
        .base_url(&dingtalk::API, mock::base_url(&server, &dingtalk::API))
        .build()
        .expect("client");
    let err = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("m"))
        .await
        .expect_err("60011");
    assert!(err.is_permission_denied(), "{err}");
    assert_eq!(
        err.api().and_then(|a| a.request_id.as_deref()),
        Some("mock-request-id")
    );
    let err = dt
        .hrm()
        .list_dismissions(hrm::ListDismissionsRequest::new())
        .await
        .expect_err("QPS");
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.api().map(|a| a.status), Some(403));
}

#[tokio::test]
async fn a_base_with_a_path_is_served_under_it() {
    let server = MockServer::start().await;
    chengxun::corp_service::examples::EXCHANGE_CORP_SECRET
        .mount(&server)
        .await;
    let url = mock::base_url(&server, &chengxun::SERVICE);
    assert!(url.ends_with("/api"), "{url}");
    let cx = chengxun::Client::builder()
        .base_url(&chengxun::SERVICE, url)
        .build()
        .expect("client");
    let request = chengxun::corp_service::ExchangeCorpSecretRequest::new(1, "auth", "temp");
    let response = cx
        .corp_service()
        .exchange_corp_secret(request)
        .await
        .expect("example");
    assert!(response.corp_secret.expose().starts_with("3y50kd"));
}
