//! Every documented limit of the Chengxun and tze.cn specs checked on both sides of its boundary (lengths counted in characters, with Chinese text), through `ApiRequest::validate()` for requests and `runtime::validate` for tze message bodies, with the field path of the rejection; and client calls with an invalid value failing with `Error::InvalidRequest` before anything reaches the server.

use open_platform_clients::chengxun::{self, card, corp_service};
use open_platform_clients::runtime::{
    self, ApiRequest, Error, InvalidRequest, RetryPolicy, StaticToken,
};
use open_platform_clients::tze::message;
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A string of exactly `n` characters: `prefix` padded with Chinese characters (3 bytes each
/// in UTF-8, so a byte count would be far off).
fn chars(prefix: &str, n: usize) -> String {
    let mut s: String = prefix.chars().take(n).collect();
    while s.chars().count() < n {
        s.push('智');
    }
    assert_eq!(s.chars().count(), n);
    s
}

/// A URL-like string of exactly `n` characters.
fn url(n: usize) -> String {
    chars("http://jump_url/", n)
}

fn accepted<R: ApiRequest>(request: &R) {
    if let Err(err) = request.validate() {
        panic!("expected the request to pass validation, got {err}");
    }
}

fn rejected<R: ApiRequest>(request: &R) -> InvalidRequest {
    match request.validate() {
        Err(Error::InvalidRequest { operation, source }) => {
            assert_eq!(operation, R::OPERATION.id);
            source
        }
        Err(other) => panic!("expected Error::InvalidRequest, got {other:?}"),
        Ok(()) => panic!("expected the request to be rejected"),
    }
}

fn rejected_message(msg: &message::Message) -> InvalidRequest {
    runtime::validate(msg).expect_err("expected the message to be rejected")
}

fn list_request(items: Vec<card::CardListItem>) -> card::SetEnterpriseDataRequest {
    card::SetEnterpriseDataRequest::new(card::CardData::List(card::CardList::new().items(items)))
}

fn key_data_request(items: Vec<card::CardKeyDataItem>) -> card::SetEnterpriseDataRequest {
    card::SetEnterpriseDataRequest::new(card::CardData::KeyData(
        card::CardKeyData::new().items(items),
    ))
}

fn list_item() -> card::CardListItem {
    card::CardListItem::new()
        .text("智慧校园新版设计的小程序要来啦")
        .jump_url("http://jump_url")
        .action("action")
        .timestamp(Some(open_platform_clients::runtime::Millis(0)))
}

fn key_data_item() -> card::CardKeyDataItem {
    card::CardKeyDataItem::new()
        .key("最大访问人数")
        .data("20")
        .jump_url("http://jump_url")
        .action("action")
}

fn exchange(
    corp_authorization: &str,
    temp_corp_secret: &str,
) -> corp_service::ExchangeCorpSecretRequest {
    corp_service::ExchangeCorpSecretRequest::new(1234567, corp_authorization, temp_corp_secret)
}

fn oa_message(head: message::OaHead, body: Option<message::OaBody>) -> message::Message {
    let mut content = message::OaContent::new(head);
    if let Some(body) = body {
        content = content.body(body);
    }
    message::Message::Oa(message::OaMessage::new(
        "OA1",
        "http://oa.example.com/pc",
        "http://oa.example.com/h5",
        content,
    ))
}

fn form(n: usize) -> Vec<message::OaFormItem> {
    (0..n)
        .map(|i| {
            message::OaFormItem::new()
                .key(format!("欄位{i}"))
                .value("值")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// LIST (最多能包括3组数据; text 长度最多100; jump_url, action 长度最多300)
// ---------------------------------------------------------------------------------------------

#[test]
fn list_items_at_most_three() {
    accepted(&list_request(vec![list_item(); 3]));
    let err = rejected(&list_request(vec![list_item(); 4]));
    assert_eq!(err.path, "data.items");
    assert!(err.reason.contains('4'), "{}", err.reason);
}

#[test]
fn list_without_items_or_with_none_is_accepted() {
    accepted(&list_request(vec![]));
    accepted(&card::SetEnterpriseDataRequest::new(card::CardData::List(
        card::CardList::new(),
    )));
}

#[test]
fn list_item_text_at_most_100_characters() {
    let at_limit = chars("智慧校园新版设计的小程序要来啦", 100);
    assert_eq!(at_limit.len(), 300, "100 characters, 300 bytes");
    accepted(&list_request(vec![list_item().text(at_limit)]));
    let err = rejected(&list_request(
        vec![list_item().text(chars("智慧校园", 101))],
    ));
    assert_eq!(err.path, "data.items[0].text");
    assert!(err.reason.contains("101"), "{}", err.reason);
}

#[test]
fn list_item_text_path_names_the_offending_index() {
    let items = vec![
        list_item(),
        list_item(),
        list_item().text(chars("第三条", 101)),
    ];
    assert_eq!(rejected(&list_request(items)).path, "data.items[2].text");
}

#[test]
fn list_item_jump_url_at_most_300_characters() {
    accepted(&list_request(vec![list_item().jump_url(url(300))]));
    let err = rejected(&list_request(vec![list_item().jump_url(url(301))]));
    assert_eq!(err.path, "data.items[0].jump_url");
}

#[test]
fn list_item_action_at_most_300_characters() {
    accepted(&list_request(
        vec![list_item().action(chars("action", 300))],
    ));
    let err = rejected(&list_request(
        vec![list_item().action(chars("action", 301))],
    ));
    assert_eq!(err.path, "data.items[0].action");
}

// ---------------------------------------------------------------------------------------------
// KEYDATA (最多4组数据; key, data 最大长度20; jump_url, action 最大长度300)
// ---------------------------------------------------------------------------------------------

#[test]
fn key_data_items_at_most_four() {
    accepted(&key_data_request(vec![key_data_item(); 4]));
    let err = rejected(&key_data_request(vec![key_data_item(); 5]));
    assert_eq!(err.path, "data.items");
    assert!(err.reason.contains('5'), "{}", err.reason);
}

#[test]
fn key_data_key_at_most_20_characters() {
    accepted(&key_data_request(vec![
        key_data_item().key(chars("最大访问人数", 20))
    ]));
    let err = rejected(&key_data_request(vec![
        key_data_item().key(chars("最大访问人数", 21))
    ]));
    assert_eq!(err.path, "data.items[0].key");
}

#[test]
fn key_data_data_at_most_20_characters() {
    accepted(&key_data_request(vec![
        key_data_item().data(chars("二十", 20))
    ]));
    let err = rejected(&key_data_request(vec![
        key_data_item(),
        key_data_item().data(chars("二十", 21)),
    ]));
    assert_eq!(err.path, "data.items[1].data");
}

#[test]
fn key_data_jump_url_at_most_300_characters() {
    accepted(&key_data_request(vec![key_data_item().jump_url(url(300))]));
    let err = rejected(&key_data_request(vec![key_data_item().jump_url(url(301))]));
    assert_eq!(err.path, "data.items[0].jump_url");
}

#[test]
fn key_data_action_at_most_300_characters() {
    accepted(&key_data_request(vec![
        key_data_item().action(chars("action", 300))
    ]));
    let err = rejected(&key_data_request(vec![
        key_data_item().action(chars("action", 301))
    ]));
    assert_eq!(err.path, "data.items[0].action");
}

#[test]
fn unsupported_and_unknown_card_types_carry_no_limits() {
    accepted(&card::SetEnterpriseDataRequest::new(card::CardData::Image(
        card::CardImage::new().url(url(1000)),
    )));
    accepted(&card::SetEnterpriseDataRequest::new(
        card::CardData::Webview(card::CardWebview::new().url(url(1000))),
    ));
    accepted(&card::SetEnterpriseDataRequest::new(
        card::CardData::Unknown {
            tag: "CHART".to_owned(),
            content: json!({"items": [1, 2, 3, 4, 5, 6]}),
        },
    ));
}

// ---------------------------------------------------------------------------------------------
// corp-secrets (corp_authorization, temp_corp_secret <= 256 字符)
// ---------------------------------------------------------------------------------------------

#[test]
fn corp_authorization_at_most_256_characters() {
    accepted(&exchange(&chars("组织认证码", 256), "temp"));
    let err = rejected(&exchange(&chars("组织认证码", 257), "temp"));
    assert_eq!(err.path, "corp_authorization");
    assert!(err.reason.contains("257"), "{}", err.reason);
}

#[test]
fn temp_corp_secret_at_most_256_characters_and_never_shown() {
    accepted(&exchange("auth", &chars("SECRETVALUE-", 256)));
    let secret = chars("SECRETVALUE-", 257);
    let request = exchange("auth", &secret);
    let err = request.validate().unwrap_err();
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains("SECRETVALUE"), "{shown}");
    assert!(!shown.contains("智智智"), "{shown}");
    assert!(shown.contains("temp_corp_secret"), "{shown}");
    assert_eq!(rejected(&request).path, "temp_corp_secret");
}

// ---------------------------------------------------------------------------------------------
// tze oa message (head.text 255; head.bgColor 8 個英文字符; body.form 最多6個)
// ---------------------------------------------------------------------------------------------

#[test]
fn oa_head_text_at_most_255_characters() {
    let ok = oa_message(message::OaHead::new(chars("請假審批", 255)), None);
    assert_eq!(runtime::validate(&ok), Ok(()));
    let too_long = oa_message(message::OaHead::new(chars("請假審批", 256)), None);
    let err = rejected_message(&too_long);
    assert_eq!(err.path, "oa.head.text");
    assert!(err.reason.contains("256"), "{}", err.reason);
}

#[test]
fn oa_head_bg_color_is_exactly_8_characters() {
    let ok = oa_message(message::OaHead::new("通知").bg_color("FFCC0000"), None);
    assert_eq!(runtime::validate(&ok), Ok(()));
    // The document warns not to add 0x; with it the colour is 10 characters.
    let too_long = oa_message(message::OaHead::new("通知").bg_color("0xFFCC0000"), None);
    assert_eq!(rejected_message(&too_long).path, "oa.head.bgColor");
    let nine = oa_message(message::OaHead::new("通知").bg_color("FFCC00001"), None);
    assert_eq!(rejected_message(&nine).path, "oa.head.bgColor");
    // Two alpha and six colour digits: seven characters are one short.
    let seven = oa_message(message::OaHead::new("通知").bg_color("FFCC000"), None);
    assert_eq!(rejected_message(&seven).path, "oa.head.bgColor");
}

#[test]
fn oa_body_form_at_most_six_entries() {
    let ok = oa_message(
        message::OaHead::new("通知"),
        Some(message::OaBody::new().form(form(6))),
    );
    assert_eq!(runtime::validate(&ok), Ok(()));
    let too_many = oa_message(
        message::OaHead::new("通知"),
        Some(message::OaBody::new().form(form(7))),
    );
    let err = rejected_message(&too_many);
    assert_eq!(err.path, "oa.body.form");
    assert!(err.reason.contains('7'), "{}", err.reason);
}

#[test]
fn oa_limits_also_apply_to_the_bare_oa_message() {
    let msg = message::OaMessage::new(
        "OA1",
        "http://pc",
        "http://app",
        message::OaContent::new(message::OaHead::new(chars("標題", 256))),
    );
    assert_eq!(runtime::validate(&msg).unwrap_err().path, "oa.head.text");
    let head = message::OaHead::new("通知").bg_color("FFCC00001");
    assert_eq!(runtime::validate(&head).unwrap_err().path, "bgColor");
}

#[test]
fn text_and_link_messages_carry_no_limits() {
    let text = message::Message::Text(message::TextMessage::new(message::TextContent::new(chars(
        "內容", 5000,
    ))));
    assert_eq!(runtime::validate(&text), Ok(()));
    let link = message::Message::Link(message::LinkMessage::new(message::LinkContent::new(
        url(2000),
        url(2000),
        chars("百度", 500),
        "AQWER1234",
        chars("百度一下", 500),
    )));
    assert_eq!(runtime::validate(&link), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// Client calls: rejected before anything is sent
// ---------------------------------------------------------------------------------------------

async fn chengxun_client(server: &MockServer) -> chengxun::Client {
    chengxun::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new("cx-test-token"))
        .base_url(&chengxun::SERVICE, format!("{}/api", server.uri()))
        .build()
        .unwrap()
}

/// A server that fails the test (on drop) if any request reaches it.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"err_code": 0, "err_msg": ""})),
        )
        .expect(0)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn client_rejects_four_list_items_before_sending() {
    let server = silent_server().await;
    let cx = chengxun_client(&server).await;
    let err = cx
        .card()
        .set_enterprise_data(list_request(vec![list_item(); 4]))
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest { operation, source } => {
            assert_eq!(*operation, "card.set_enterprise_data");
            assert_eq!(source.path, "data.items");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert!(err.to_string().contains("data.items"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
    server.verify().await;
}

#[tokio::test]
async fn client_rejects_a_101_character_list_text_before_sending() {
    let server = silent_server().await;
    let cx = chengxun_client(&server).await;
    let err = cx
        .card()
        .set_enterprise_data(list_request(vec![list_item().text(chars("智慧校园", 101))]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { source, .. } if source.path == "data.items[0].text"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    server.verify().await;
}

#[tokio::test]
async fn client_rejects_a_long_temp_corp_secret_before_sending_and_hides_it() {
    let server = silent_server().await;
    let cx = chengxun_client(&server).await;
    let err = cx
        .corp_service()
        .exchange_corp_secret(exchange("auth", &chars("SECRETVALUE-", 257)))
        .await
        .unwrap_err();
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains("SECRETVALUE"), "{shown}");
    assert!(
        matches!(&err, Error::InvalidRequest { operation: "corp_service.exchange_corp_secret", source } if source.path == "temp_corp_secret"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    server.verify().await;
}

#[tokio::test]
async fn client_rejects_a_long_corp_authorization_before_sending() {
    let server = silent_server().await;
    let cx = chengxun_client(&server).await;
    let err = cx
        .corp_service()
        .exchange_corp_secret(exchange(&chars("组织认证码", 257), "temp"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { source, .. } if source.path == "corp_authorization"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    server.verify().await;
}

#[tokio::test]
async fn client_sends_a_request_exactly_at_the_limits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/apps/v1/card/set-enterprise-data"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"err_code": 0, "err_msg": ""})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let cx = chengxun_client(&server).await;
    let item = list_item()
        .text(chars("智慧校园", 100))
        .jump_url(url(300))
        .action(chars("action", 300));
    cx.card()
        .set_enterprise_data(list_request(vec![item; 3]))
        .await
        .unwrap();
}
