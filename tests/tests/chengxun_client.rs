//! End-to-end calls of the generated Chengxun (橙讯) client against a wiremock server: `card.set_enterprise_data` (POST with the token in `access_token`, the `User-Agent: CX` header, a JSON body with a boolean `replace_user_data` and the flattened `type`/`data` union) and `corp_service.exchange_corp_secret` (GET with the three query parameters and no token, the document's example response, secrets kept out of `Debug` and error text), plus the `err_code` error path.

use open_platform_clients::chengxun::{self, card, corp_service};
use open_platform_clients::runtime::{ApiError, ApiRequest, Error, ReceivedCode, RetryPolicy};
use open_platform_clients::runtime::{Millis, Secret, StaticToken};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "cx-test-token";
const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";
const SET_ENTERPRISE_DATA: &str = "/api/apps/v1/card/set-enterprise-data";
const CORP_SECRETS: &str = "/api/corp-service/v1/corp-secrets";

/// The corp_secret of the document's example response.
const DOC_CORP_SECRET: &str = "3y50kdq9CdS9ROO4_p6B7Y6je771Dml4d_c9AVYkxZt6V9BqL3_TyG99H9681kCkf2i";
/// A made-up one-time secret; it must reach the server and never show anywhere else.
const TEMP_SECRET: &str = "TEMP-secret/abc+def=";
const CORP_AUTHORIZATION: &str = "corp-auth-code-0001";

/// The production base is `https://service.cheng-xun.cn/api`, so the test base keeps `/api`.
fn client_for(server: &MockServer) -> chengxun::Client {
    chengxun::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .base_url(&chengxun::SERVICE, format!("{}/api", server.uri()))
        .build()
        .expect("client builds")
}

async fn start() -> (MockServer, chengxun::Client) {
    let server = MockServer::start().await;
    let cx = client_for(&server);
    (server, cx)
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The document's success response of set-enterprise-data.
fn set_ok() -> ResponseTemplate {
    ok(json!({"err_code": 0, "err_msg": ""}))
}

/// The document's example response of corp-secrets.
fn corp_secret_ok() -> ResponseTemplate {
    ok(json!({
        "err_code": 0,
        "err_msg": "success",
        "corp_secret": DOC_CORP_SECRET
    }))
}

/// A GET of corp-secrets with the three documented query parameters and no token.
fn corp_secrets_get(corp_id: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(CORP_SECRETS))
        .and(query_param("corp_id", corp_id))
        .and(query_param("corp_authorization", CORP_AUTHORIZATION))
        .and(query_param("temp_corp_secret", TEMP_SECRET))
        .and(query_param_is_missing("access_token"))
}

fn list_item(text: &str) -> card::CardListItem {
    card::CardListItem::new()
        .text(text)
        .jump_url("http://jump_url")
        .action("action")
}

fn api_error(err: Error) -> ApiError {
    match err {
        Error::Api(api) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// card.set_enterprise_data
// ---------------------------------------------------------------------------------------------

/// A set-enterprise-data request and what must reach the server for it: exactly `body` as
/// JSON, and `user_agent` as the one `User-Agent` header.
struct SentCard {
    name: &'static str,
    request: card::SetEnterpriseDataRequest,
    body: Value,
    user_agent: &'static str,
}

fn sent_cards() -> Vec<SentCard> {
    let list = card::CardList::new().items(vec![
        list_item("智慧校园新版设计的小程序要来啦").timestamp(Some(Millis(0))),
        list_item("智慧校园新版设计的小程序要来啦").timestamp(None),
    ]);
    let key_data = card::CardKeyData::new().items(vec![
        card::CardKeyDataItem::new()
            .key("最大访问人数")
            .data("20")
            .jump_url("http://jump_url")
            .action("action"),
        card::CardKeyDataItem::new().key("今日访问").data("7"),
    ]);
    vec![
        SentCard {
            name: "a list card with replace_user_data true and the default User-Agent",
            request: card::SetEnterpriseDataRequest::new(card::CardData::List(list))
                .replace_user_data(true),
            body: json!({
                "replace_user_data": true,
                "type": "LIST",
                "data": {
                    "items": [
                        {
                            "text": "智慧校园新版设计的小程序要来啦",
                            "jump_url": "http://jump_url",
                            "action": "action",
                            "timestamp": 0
                        },
                        {
                            "text": "智慧校园新版设计的小程序要来啦",
                            "jump_url": "http://jump_url",
                            "action": "action",
                            "timestamp": null
                        }
                    ]
                }
            }),
            user_agent: "CX",
        },
        SentCard {
            // The document's example sends `"replace_user_data": "false"`; its table types the
            // field boolean, and the client sends the boolean.
            name: "the document's example sends false as a JSON boolean",
            request: card::SetEnterpriseDataRequest::new(card::CardData::KeyData(
                card::CardKeyData::new(),
            ))
            .replace_user_data(false),
            body: json!({"replace_user_data": false, "type": "KEYDATA", "data": {}}),
            user_agent: "CX",
        },
        SentCard {
            // An unset replace_user_data is left out (the server defaults it to false), and the
            // union is flattened into `type` and `data` rather than nested under `card`.
            name: "a key-data card with an overridden User-Agent and no replace flag",
            request: card::SetEnterpriseDataRequest::new(card::CardData::KeyData(key_data))
                .user_agent("my-integration/2.1"),
            body: json!({
                "type": "KEYDATA",
                "data": {
                    "items": [
                        {
                            "key": "最大访问人数",
                            "data": "20",
                            "jump_url": "http://jump_url",
                            "action": "action"
                        },
                        {"key": "今日访问", "data": "7"}
                    ]
                }
            }),
            user_agent: "my-integration/2.1",
        },
    ]
}

#[tokio::test]
async fn set_enterprise_data_posts_the_card_with_the_token_and_one_user_agent() {
    for case in sent_cards() {
        let SentCard {
            name,
            request,
            body,
            user_agent,
        } = case;
        let (server, cx) = start().await;
        Mock::given(method("POST"))
            .and(path(SET_ENTERPRISE_DATA))
            .and(query_param("access_token", TOKEN))
            .and(header("content-type", JSON_CONTENT_TYPE))
            .respond_with(set_ok())
            .mount(&server)
            .await;

        let result = cx.card().set_enterprise_data(request).await;

        assert!(result.is_ok(), "{name}: {result:?}");
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{name}");
        let sent: Value = serde_json::from_slice(&received[0].body).unwrap();
        assert_eq!(sent, body, "{name}");
        let agents: Vec<_> = received[0].headers.get_all("user-agent").iter().collect();
        assert_eq!(
            agents,
            [user_agent],
            "{name}: exactly one User-Agent header"
        );
    }
}

#[tokio::test]
async fn set_enterprise_data_decodes_the_document_success_response() {
    let (server, cx) = start().await;
    Mock::given(method("POST"))
        .and(path(SET_ENTERPRISE_DATA))
        .and(query_param("access_token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            // Exactly as the document prints it.
            "{\n    \"err_code\": 0,\n    \"err_msg\": \"\"\n}",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let request =
        card::SetEnterpriseDataRequest::new(card::CardData::KeyData(card::CardKeyData::new()));
    let result = cx.card().set_enterprise_data(request).await;
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn set_enterprise_data_nonzero_err_code_is_an_api_error() {
    let (server, cx) = start().await;
    Mock::given(method("POST"))
        .and(path(SET_ENTERPRISE_DATA))
        .respond_with(ok(
            json!({"err_code": 40014, "err_msg": "不合法的access_token"}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let request = card::SetEnterpriseDataRequest::new(card::CardData::List(card::CardList::new()));
    let err = cx.card().set_enterprise_data(request).await.unwrap_err();
    let text = err.to_string();
    let api = api_error(err);
    assert_eq!(api.operation, "card.set_enterprise_data");
    assert_eq!(api.code, ReceivedCode::Integer(40014));
    assert_eq!(api.message, "不合法的access_token");
    assert_eq!(api.status, 200);
    assert_eq!(api.meaning, None, "the spec has no error-code catalogue");
    assert!(text.contains("40014"), "{text}");
    assert!(text.contains("不合法的access_token"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn set_enterprise_data_without_token_source_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(set_ok())
        .expect(0)
        .mount(&server)
        .await;
    let cx: chengxun::Client = chengxun::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&chengxun::SERVICE, format!("{}/api", server.uri()))
        .build()
        .unwrap();

    let request = card::SetEnterpriseDataRequest::new(card::CardData::List(card::CardList::new()));
    let err = cx.card().set_enterprise_data(request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "card.set_enterprise_data",
                ..
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// corp_service.exchange_corp_secret
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn exchange_corp_secret_sends_the_query_without_token_and_decodes_the_example() {
    let (server, cx) = start().await;
    corp_secrets_get("1234567")
        .and(header("User-Agent", "CX"))
        .respond_with(corp_secret_ok())
        .expect(1)
        .mount(&server)
        .await;

    let request =
        corp_service::ExchangeCorpSecretRequest::new(1234567, CORP_AUTHORIZATION, TEMP_SECRET);
    let resp = cx
        .corp_service()
        .exchange_corp_secret(request)
        .await
        .unwrap();

    assert_eq!(resp.corp_secret.expose(), DOC_CORP_SECRET);
    assert_eq!(resp.corp_secret, Secret::new(DOC_CORP_SECRET));
    let debug = format!("{resp:?}");
    assert!(!debug.contains(DOC_CORP_SECRET), "{debug}");
    assert!(!debug.contains("3y50kdq9"), "{debug}");

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].body.is_empty(), "请求 Body:无");
    assert!(received[0].headers.get("content-type").is_none());
    let names: Vec<String> = received[0]
        .url
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(
        names,
        ["corp_id", "corp_authorization", "temp_corp_secret"],
        "exactly the three documented parameters, no token"
    );
}

#[tokio::test]
async fn exchange_corp_secret_needs_no_token_source() {
    let server = MockServer::start().await;
    corp_secrets_get("42")
        .respond_with(corp_secret_ok())
        .expect(1)
        .mount(&server)
        .await;
    let cx: chengxun::Client = chengxun::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&chengxun::SERVICE, format!("{}/api", server.uri()))
        .build()
        .unwrap();

    let resp = cx
        .corp_service()
        .exchange_corp_secret(corp_service::ExchangeCorpSecretRequest::new(
            42,
            CORP_AUTHORIZATION,
            TEMP_SECRET,
        ))
        .await
        .unwrap();
    assert_eq!(resp.corp_secret.expose(), DOC_CORP_SECRET);
}

#[tokio::test]
async fn exchange_corp_secret_user_agent_is_overridable() {
    let (server, cx) = start().await;
    corp_secrets_get("7")
        .and(header("User-Agent", "CX-partner"))
        .respond_with(corp_secret_ok())
        .expect(1)
        .mount(&server)
        .await;

    let request = corp_service::ExchangeCorpSecretRequest::new(7, CORP_AUTHORIZATION, TEMP_SECRET)
        .user_agent("CX-partner");
    cx.corp_service()
        .exchange_corp_secret(request)
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    let agents: Vec<_> = received[0].headers.get_all("user-agent").iter().collect();
    assert_eq!(agents, ["CX-partner"]);
}

#[tokio::test]
async fn exchange_corp_secret_request_debug_hides_the_temp_secret() {
    let request =
        corp_service::ExchangeCorpSecretRequest::new(1234567, CORP_AUTHORIZATION, TEMP_SECRET);
    let debug = format!("{request:?}");
    assert!(!debug.contains(TEMP_SECRET), "{debug}");
    assert!(!debug.contains("TEMP-secret"), "{debug}");
    assert!(debug.contains(CORP_AUTHORIZATION), "{debug}");

    let http = request.http_request().unwrap();
    assert_eq!(http.query("temp_corp_secret").as_deref(), Some(TEMP_SECRET));
    let http_debug = format!("{http:?}");
    assert!(!http_debug.contains("TEMP-secret"), "{http_debug}");
}

/// An answer to the corp-secrets request and a check of the error the call gives for it.
struct CorpSecretFailure {
    name: &'static str,
    answer: ResponseTemplate,
    /// Checks the error; a failure points at its row.
    check: fn(Error),
}

/// Each failure of exchange_corp_secret, none of whose errors may show the corp secret of the
/// body or the temporary secret of the request.
#[tokio::test]
async fn exchange_corp_secret_errors_show_no_secret() {
    let cases = [
        CorpSecretFailure {
            name: "an error code is an API error",
            answer: ok(json!({"err_code": 60011, "err_msg": "temp_corp_secret 已失效"})),
            check: |err| {
                let api = api_error(err);
                assert_eq!(api.operation, "corp_service.exchange_corp_secret");
                assert_eq!(api.code, ReceivedCode::Integer(60011));
                assert_eq!(api.message, "temp_corp_secret 已失效");
            },
        },
        CorpSecretFailure {
            // A success code with a corp_secret of the wrong shape: the body holds the secret,
            // and neither the error message nor its body snippet may show it.
            name: "a corp_secret of the wrong shape is a decode error",
            answer: ok(json!({
                "err_code": 0,
                "err_msg": "success",
                "corp_secret": {"value": DOC_CORP_SECRET}
            })),
            check: |err| match err {
                Error::Decode {
                    operation, path, ..
                } => {
                    assert_eq!(operation, "corp_service.exchange_corp_secret");
                    assert_eq!(path, "corp_secret");
                }
                other => panic!("expected Error::Decode, got {other:?}"),
            },
        },
        CorpSecretFailure {
            name: "an HTTP error page quoting the secret is a not-JSON error",
            answer: ResponseTemplate::new(502)
                .set_body_string(format!("<html>bad gateway {DOC_CORP_SECRET}</html>")),
            check: |err| {
                assert!(matches!(err, Error::NotJson { status: 502, .. }), "{err:?}");
            },
        },
    ];
    for CorpSecretFailure {
        name,
        answer,
        check,
    } in cases
    {
        let (server, cx) = start().await;
        corp_secrets_get("1234567")
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;

        let request =
            corp_service::ExchangeCorpSecretRequest::new(1234567, CORP_AUTHORIZATION, TEMP_SECRET);
        let err = cx
            .corp_service()
            .exchange_corp_secret(request)
            .await
            .expect_err(name);

        let shown = format!("{err} / {err:?}");
        for secret in [DOC_CORP_SECRET, "3y50kdq9", TEMP_SECRET, "TEMP-secret"] {
            assert!(!shown.contains(secret), "{name} shows `{secret}`: {shown}");
        }
        check(err);
    }
}

/// A client that retries promptly, to show which failures the exchange is retried after.
fn retrying_client_for(server: &MockServer) -> chengxun::Client {
    let zero = std::time::Duration::ZERO;
    client_for(server).with_retry(
        RetryPolicy::default()
            .with_max_retries(3)
            .with_delays(zero, zero, zero),
    )
}

#[tokio::test]
async fn exchange_corp_secret_is_not_retried_after_a_gateway_error() {
    // The temporary secret is spent by the first exchange (temp_corp_secret失效): a 502 leaves
    // open whether the server processed the first attempt, and a second attempt would fail and
    // lose the permanent secret, so the error is returned after one request.
    assert!(!corp_service::ExchangeCorpSecretRequest::OPERATION.idempotent);
    let server = MockServer::start().await;
    let cx = retrying_client_for(&server);
    corp_secrets_get("1234567")
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;

    let request =
        corp_service::ExchangeCorpSecretRequest::new(1234567, CORP_AUTHORIZATION, TEMP_SECRET);
    let err = cx
        .corp_service()
        .exchange_corp_secret(request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotJson { status: 502, .. }), "{err:?}");
}

#[tokio::test]
async fn exchange_corp_secret_is_retried_after_429_which_was_not_processed() {
    let server = MockServer::start().await;
    let cx = retrying_client_for(&server);
    corp_secrets_get("1234567")
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    corp_secrets_get("1234567")
        .respond_with(corp_secret_ok())
        .expect(1)
        .mount(&server)
        .await;

    let request =
        corp_service::ExchangeCorpSecretRequest::new(1234567, CORP_AUTHORIZATION, TEMP_SECRET);
    let response = cx
        .corp_service()
        .exchange_corp_secret(request)
        .await
        .unwrap();
    assert_eq!(response.corp_secret.expose(), DOC_CORP_SECRET);
}
