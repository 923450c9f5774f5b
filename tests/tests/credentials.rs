//! Credentials: several kinds of token per platform (DingTalk's app, suite, per-corporation
//! and user tokens), clients per tenant sharing one token source, the stable cache key, and
//! a user token renewed with its refresh token. Against a local server.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use open_platform_clients::dingtalk::{self, auth, blackboard, isv, oauth2};
use open_platform_clients::runtime::{SigningKey, TokenRequest};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers `get_corp_token` with a token named after the corporation in the body, counting
/// the fetches per corporation.
#[derive(Clone, Default)]
struct CorpTokens {
    fetches: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl Respond for CorpTokens {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let corp = body["auth_corpid"].as_str().unwrap_or_default().to_owned();
        *self
            .fetches
            .lock()
            .unwrap()
            .entry(corp.clone())
            .or_default() += 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0,
            "errmsg": "ok",
            "access_token": format!("token-of-{corp}"),
            "expires_in": 7200
        }))
    }
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn many_corporations_on_a_cold_cache_fetch_one_token_each_and_one_suite_token() {
    let server = MockServer::start().await;
    let corp_tokens = CorpTokens::default();
    Mock::given(method("POST"))
        .and(path("/service/get_corp_token"))
        .respond_with(corp_tokens.clone())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/service/get_suite_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok", "suite_access_token": "suite-token", "expires_in": 7200
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/blackboard/category/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "result": [], "success": true
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/service/reauth_corp"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})),
        )
        .mount(&server)
        .await;

    // An ISV: the calls that carry an app token carry each corporation's own token instead,
    // fetched with the suite's signing key; the suite's service calls carry the suite token.
    let dt = dingtalk::Client::builder()
        .base_url(&dingtalk::OAPI, server.uri())
        .base_url(&dingtalk::ISV, server.uri())
        .credential(
            &dingtalk::APP_TOKEN,
            isv::GetCorpTokenRequest::new("ticket", "").into_token_source(),
        )
        .token_request(isv::GetSuiteTokenRequest::new(
            "suite-key",
            "suite-secret",
            "ticket",
        ))
        .signing_key(SigningKey::with_key_id("suite-key", "suite-secret"))
        // 200 calls of one API: DingTalk's documented 20 a second would spread them over ten
        // seconds of a test about tokens.
        .without_rate_limits()
        .build()
        .expect("client");

    let calls = (0..200).map(|i| {
        let corp = dt.for_tenant(format!("corp{}", i % 20));
        async move {
            corp.blackboard()
                .list_categories(blackboard::ListCategoriesRequest::new("manager"))
                .await
        }
    });
    let suite_calls = (0..20).map(|_| {
        let dt = dt.clone();
        async move { dt.isv().reauth_corp(isv::ReauthCorpRequest::new()).await }
    });
    let (results, suite_results) = futures_util::future::join(
        futures_util::future::join_all(calls),
        futures_util::future::join_all(suite_calls),
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(suite_results.iter().all(Result::is_ok), "{suite_results:?}");

    let fetches = corp_tokens.fetches.lock().unwrap().clone();
    assert_eq!(fetches.len(), 20, "one fetch per corporation: {fetches:?}");
    assert!(fetches.values().all(|&n| n == 1), "{fetches:?}");
    let received = server.received_requests().await.expect("recording");
    // Every call carried its own corporation's token, and the corporation-token fetches were
    // signed with the suite key.
    for request in &received {
        match request.url.path() {
            "/topapi/blackboard/category/list" => {
                let token = query(request, "access_token").expect("a token");
                assert!(token.starts_with("token-of-corp"), "{token}");
            }
            "/service/get_corp_token" => {
                assert_eq!(query(request, "accessKey").as_deref(), Some("suite-key"));
                assert_eq!(query(request, "suiteTicket").as_deref(), Some("ticket"));
                assert!(query(request, "signature").is_some());
            }
            "/service/reauth_corp" => {
                assert_eq!(
                    query(request, "suite_access_token").as_deref(),
                    Some("suite-token")
                );
            }
            _ => {}
        }
    }
    let suite_fetches = received
        .iter()
        .filter(|r| r.url.path() == "/service/get_suite_token")
        .count();
    assert_eq!(suite_fetches, 1);
}

#[tokio::test]
async fn a_corporation_token_without_a_tenant_is_an_error_and_nothing_is_fetched() {
    let server = MockServer::start().await;
    let dt = dingtalk::Client::builder()
        .base_url(&dingtalk::OAPI, server.uri())
        .credential(
            &dingtalk::APP_TOKEN,
            isv::GetCorpTokenRequest::new("ticket", "").into_token_source(),
        )
        .signing_key(SigningKey::with_key_id("suite-key", "suite-secret"))
        .build()
        .expect("client");

    let err = dt
        .blackboard()
        .list_categories(blackboard::ListCategoriesRequest::new("manager"))
        .await
        .expect_err("no tenant");

    assert!(err.to_string().contains("for_tenant"), "{err}");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_user_token_is_renewed_with_its_refresh_token() {
    let server = MockServer::start().await;
    // The first token expires at once, so the second call renews it.
    Mock::given(method("POST"))
        .and(path("/v1.0/oauth2/userAccessToken"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let renewal = body["grantType"] == "refresh_token";
            let (access, refresh) = if renewal { ("u2", "r2") } else { ("u1", "r1") };
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": access, "refreshToken": refresh, "expireIn": 0, "corpId": "corp"
            }))
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/contact/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nick": "小明"})))
        .expect(2)
        .mount(&server)
        .await;
    let dt = dingtalk::Client::builder()
        .base_url(&dingtalk::API, server.uri())
        .build()
        .expect("client");
    let exchange = oauth2::GetUserTokenRequest::new(
        "client-id",
        "client-secret",
        oauth2::UserTokenGrantType::AuthorizationCode,
    )
    .code("auth-code");
    let user = dt.with_credential(&dingtalk::USER_TOKEN, exchange.into_token_source());

    for _ in 0..2 {
        let me = user
            .oauth2()
            .get_contact_user(oauth2::GetContactUserRequest::new("me"))
            .await
            .expect("the user's profile");
        assert_eq!(me.nick.as_deref(), Some("小明"));
    }

    let received = server.received_requests().await.expect("recording");
    let exchanges: Vec<Value> = received
        .iter()
        .filter(|r| r.url.path() == "/v1.0/oauth2/userAccessToken")
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    assert_eq!(exchanges[0]["grantType"], "authorization_code");
    assert_eq!(exchanges[0]["code"], "auth-code");
    assert_eq!(exchanges[1]["grantType"], "refresh_token");
    assert_eq!(exchanges[1]["refreshToken"], "r1");
    let tokens: Vec<Option<String>> = received
        .iter()
        .filter(|r| r.url.path() == "/v1.0/contact/users/me")
        .map(|r| {
            r.headers
                .get("x-acs-dingtalk-access-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(tokens, [Some("u1".to_owned()), Some("u2".to_owned())]);
}

#[tokio::test]
async fn the_token_cache_key_is_the_documented_format() {
    let dt = dingtalk::Client::builder().build().expect("client");
    let source = auth::GetTokenRequest::new("appkey1", "secret1").into_token_source();
    // printf 'secret1\0' | openssl dgst -sha256  ->  bcef6b7894a3674c...
    assert_eq!(
        source.cache_key(dt.runtime()),
        "opc:v1:dingtalk:app:appkey1:-:bcef6b7894a3674c"
    );
    assert_eq!(
        source.cache_key(dt.for_tenant("ding:corp").runtime()),
        "opc:v1:dingtalk:app:appkey1:ding%3Acorp:bcef6b7894a3674c"
    );
    // A corporation token's app is the suite key the fetch is signed with.
    let signed = dingtalk::Client::builder()
        .signing_key(SigningKey::with_key_id("suite-key", "secret1"))
        .build()
        .expect("client")
        .for_tenant("corp1");
    let corp = isv::GetCorpTokenRequest::new("ticket", "").into_token_source();
    assert_eq!(
        corp.cache_key(signed.runtime()),
        "opc:v1:dingtalk:corp:suite-key:corp1:bcef6b7894a3674c"
    );
    assert_eq!(
        <isv::GetCorpTokenRequest as TokenRequest>::CREDENTIAL,
        &dingtalk::CORP_TOKEN
    );
}
