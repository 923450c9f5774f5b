//! DingTalk's token endpoints (the `oauth2` and `isv` groups) called directly against a local
//! server with their pages' example responses (specs/dingtalk/sources/009..016), asserting the
//! request each sends.

use open_platform_clients::dingtalk::{self, isv, oauth2};
use open_platform_clients::runtime::SigningKey;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn client(server: &MockServer) -> dingtalk::Client {
    dingtalk::Client::builder()
        .server(server.uri())
        .signing_key(SigningKey::with_key_id("suitexxxxyun", "suite-secret"))
        .build()
        .expect("client")
}

async fn answer(server: &MockServer, http_method: &str, p: &str, body: Value) {
    Mock::given(method(http_method))
        .and(path(p))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1);
    received.remove(0)
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn v1_app_access_token() {
    let server = MockServer::start().await;
    // 009: 响应体示例.
    let example = json!({"accessToken": "fw8ef8we8f76e6f7s8dxxxx", "expireIn": 7200});
    answer(&server, "POST", "/v1.0/oauth2/accessToken", example).await;

    let response = client(&server)
        .await
        .oauth2()
        .get_access_token(oauth2::GetAccessTokenRequest::new(
            "dingeqqpkv3xxxxxx",
            "GT-lsu-taDAxxxsTsxxxx",
        ))
        .await
        .expect("the example decodes");

    assert_eq!(
        response.access_token.as_ref().map(|t| t.expose()),
        Some("fw8ef8we8f76e6f7s8dxxxx")
    );
    assert_eq!(response.expire_in, Some(7200));
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        json!({"appKey": "dingeqqpkv3xxxxxx", "appSecret": "GT-lsu-taDAxxxsTsxxxx"})
    );
}

#[tokio::test]
async fn v1_user_access_token() {
    let server = MockServer::start().await;
    // 010: 响应体示例.
    let example = json!({"accessToken": "abcd", "refreshToken": "abcd", "expireIn": 7200, "corpId": "corpxxxx"});
    answer(&server, "POST", "/v1.0/oauth2/userAccessToken", example).await;

    let request = oauth2::GetUserTokenRequest::new(
        "dingxxx",
        "1234",
        oauth2::UserTokenGrantType::AuthorizationCode,
    )
    .code("abcd");
    let response = client(&server)
        .await
        .oauth2()
        .get_user_token(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.corp_id.as_deref(), Some("corpxxxx"));
    assert_eq!(
        response.refresh_token.as_ref().map(|t| t.expose()),
        Some("abcd")
    );
    let sent = json_body(&only_request(&server).await);
    assert_eq!(
        sent,
        json!({"clientId": "dingxxx", "clientSecret": "1234", "code": "abcd", "grantType": "authorization_code"})
    );
}

#[tokio::test]
async fn suite_access_token() {
    let server = MockServer::start().await;
    // 012: 响应体示例.
    let example = json!({"errcode": 0, "errmsg": "ok", "suite_access_token": "67477fed82e63563a320xxxx", "expires_in": 7200});
    answer(&server, "POST", "/service/get_suite_token", example).await;

    let response = client(&server)
        .await
        .isv()
        .get_suite_token(isv::GetSuiteTokenRequest::new(
            "suitexxxxyun",
            "suite-secret",
            "ticket",
        ))
        .await
        .expect("the example decodes");

    assert_eq!(
        response.suite_access_token.as_ref().map(|t| t.expose()),
        Some("67477fed82e63563a320xxxx")
    );
    let request = only_request(&server).await;
    // The page's curl example posts a form.
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("suite_key".to_owned(), "suitexxxxyun".to_owned()),
            ("suite_secret".to_owned(), "suite-secret".to_owned()),
            ("suite_ticket".to_owned(), "ticket".to_owned()),
        ]
    );
}

#[tokio::test]
async fn corporation_access_token_is_signed_with_the_suite_key() {
    let server = MockServer::start().await;
    // 013: 响应体示例.
    let example =
        json!({"access_token": "1cc1bb3xxxx", "errcode": 0, "errmsg": "ok", "expires_in": 7200});
    answer(&server, "POST", "/service/get_corp_token", example).await;

    let response = client(&server)
        .await
        .isv()
        .get_corp_token(isv::GetCorpTokenRequest::new("test", "ding123456"))
        .await
        .expect("the example decodes");

    assert_eq!(
        response.access_token.as_ref().map(|t| t.expose()),
        Some("1cc1bb3xxxx")
    );
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), json!({"auth_corpid": "ding123456"}));
    assert_eq!(query(&request, "suiteTicket").as_deref(), Some("test"));
    assert_eq!(
        query(&request, "accessKey").as_deref(),
        Some("suitexxxxyun")
    );
    let timestamp = query(&request, "timestamp").expect("a timestamp");
    assert_eq!(timestamp.len(), 13, "milliseconds");
    // base64(HMAC-SHA256(suite secret, timestamp + "\n" + suiteTicket)), recomputed.
    use base64::Engine as _;
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"suite-secret").expect("a key");
    mac.update(format!("{timestamp}\ntest").as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(query(&request, "signature"), Some(expected));
}

#[tokio::test]
async fn v1_suite_and_corporation_access_tokens() {
    let server = MockServer::start().await;
    // 015 and 016: 响应体示例.
    answer(
        &server,
        "POST",
        "/v1.0/oauth2/suiteAccessToken",
        json!({"accessToken": "token", "expireIn": 7200}),
    )
    .await;
    answer(
        &server,
        "POST",
        "/v1.0/oauth2/corpAccessToken",
        json!({"accessToken": "1cc1bb3xxxx", "expireIn": 7200}),
    )
    .await;
    let dt = client(&server).await;

    let suite = dt
        .isv()
        .get_suite_access_token_v1(isv::GetSuiteAccessTokenV1Request::new(
            "suitekey", "secret", "ticket",
        ))
        .await
        .expect("the example decodes");
    let corp = dt
        .isv()
        .get_corp_access_token_v1(isv::GetCorpAccessTokenV1Request::new(
            "suitekey", "secret", "dingcorp", "ticket",
        ))
        .await
        .expect("the example decodes");

    assert_eq!(
        suite.access_token.as_ref().map(|t| t.expose()),
        Some("token")
    );
    assert_eq!(
        corp.access_token.as_ref().map(|t| t.expose()),
        Some("1cc1bb3xxxx")
    );
    let received = server.received_requests().await.expect("recording");
    let bodies: Vec<Value> = received.iter().map(json_body).collect();
    assert_eq!(
        bodies,
        [
            json!({"suiteKey": "suitekey", "suiteSecret": "secret", "suiteTicket": "ticket"}),
            json!({"suiteKey": "suitekey", "suiteSecret": "secret", "authCorpId": "dingcorp", "suiteTicket": "ticket"}),
        ]
    );
}

/// DingTalk pushes ISV apps a fresh suite ticket (the `suite_ticket` event); the corporation
/// token request takes the latest pushed one at every fetch, the one it was built with until
/// one arrives.
#[tokio::test]
async fn corporation_tokens_are_signed_with_the_latest_pushed_suite_ticket() {
    use open_platform_clients::dingtalk::blackboard;
    use open_platform_clients::runtime::{PushedValues, TokenRequest as _};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/service/get_corp_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "corp-token", "errcode": 0, "errmsg": "ok", "expires_in": 7200}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/topapi/blackboard/category/list"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})),
        )
        .mount(&server)
        .await;
    let pushed = PushedValues::new();
    let dt = dingtalk::Client::builder()
        .server(server.uri())
        .credential(
            &dingtalk::APP_TOKEN,
            isv::GetCorpTokenRequest::new("built-with", "").into_token_source(),
        )
        .signing_key(SigningKey::with_key_id("suitexxxxyun", "suite-secret"))
        .pushed_values(pushed.clone())
        .build()
        .expect("client");
    let list = || blackboard::ListCategoriesRequest::new("manager");

    dt.for_tenant("dingcorp1")
        .blackboard()
        .list_categories(list())
        .await
        .expect("the first corporation's call");
    pushed.set("suiteTicket", "pushed-ticket");
    dt.for_tenant("dingcorp2")
        .blackboard()
        .list_categories(list())
        .await
        .expect("the second corporation's call");

    let tickets: Vec<(Option<String>, Value)> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .filter(|r| r.url.path() == "/service/get_corp_token")
        .map(|r| (query(r, "suiteTicket"), json_body(r)))
        .collect();
    assert_eq!(
        tickets,
        [
            (
                Some("built-with".to_owned()),
                json!({"auth_corpid": "dingcorp1"})
            ),
            (
                Some("pushed-ticket".to_owned()),
                json!({"auth_corpid": "dingcorp2"})
            ),
        ]
    );
}
