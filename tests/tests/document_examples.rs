//! Every JSON example of the Chengxun documents (specs/chengxun/sources/) and the tze.cn document (specs/tze/sources/) decoded into the generated types and, for what the client sends, re-encoded to the wire form the server accepts; plus unknown union tags kept verbatim, the lenient `replace_user_data` and `display_order` decoders, and the nullable `timestamp` (absent / null / 0).

use open_platform_clients::chengxun::{card, corp_service};
use open_platform_clients::runtime::{ApiRequest, Millis};
use open_platform_clients::tze::org;
use serde_json::{json, Value};

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{err}: {text}"))
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

/// The body the client would send for `request`.
fn sent_body<R: ApiRequest>(request: &R) -> Value {
    request
        .http_request()
        .expect("valid request")
        .json()
        .expect("has a body")
        .expect("body is JSON")
}

// ---------------------------------------------------------------------------------------------
// Chengxun: 设置卡片组织级数据 (seed 000)
// ---------------------------------------------------------------------------------------------

/// The request example, exactly as the document prints it (valid JSON).
const SET_ENTERPRISE_DATA_EXAMPLE: &str = r#"{
    "replace_user_data": "false",
    "type": "KEYDATA",
    "data": {}
}"#;

#[test]
fn chengxun_set_enterprise_data_request_example_decodes_and_sends_a_boolean() {
    let request: card::SetEnterpriseDataRequest = decode(SET_ENTERPRISE_DATA_EXAMPLE);
    assert_eq!(request.replace_user_data, Some(false));
    assert_eq!(request.user_agent, None, "headers are not body members");
    let card::CardData::KeyData(key_data) = &request.card else {
        panic!("expected KEYDATA, got {:?}", request.card);
    };
    assert_eq!(key_data.items, None, "`data: {{}}` has no items");

    let expected = json!({"replace_user_data": false, "type": "KEYDATA", "data": {}});
    assert_eq!(encode(&request), expected);
    assert_eq!(sent_body(&request), expected);
    let http = request.http_request().unwrap();
    assert_eq!(http.header("User-Agent"), Some("CX"));
}

/// The LIST `data` example. Not valid JSON as printed: it carries `//` comments and the Java
/// long literal `0L`; the intended JSON drops the comments and writes `0`.
fn list_example() -> Value {
    json!({
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
                    "timestamp": 0
                }
            ]
        }
    })
}

#[test]
fn chengxun_list_data_example_decodes_and_re_encodes() {
    let data: card::CardData = serde_json::from_value(list_example()).unwrap();
    assert_eq!(data.tag(), "LIST");
    let card::CardData::List(list) = &data else {
        panic!("expected LIST, got {data:?}");
    };
    let items = list.items.as_ref().expect("items");
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(item.text.as_deref(), Some("智慧校园新版设计的小程序要来啦"));
        assert_eq!(item.jump_url.as_deref(), Some("http://jump_url"));
        assert_eq!(item.action.as_deref(), Some("action"));
        assert_eq!(item.timestamp, Some(Some(Millis(0))));
    }
    assert_eq!(encode(&data), list_example());
}

#[test]
fn chengxun_list_data_example_as_a_whole_request_body() {
    let mut body = list_example();
    body["replace_user_data"] = json!(true);
    let request: card::SetEnterpriseDataRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(request.replace_user_data, Some(true));
    assert!(matches!(request.card, card::CardData::List(_)));
    assert_eq!(sent_body(&request), body);
}

/// The KEYDATA `data` example. Not valid JSON as printed only because of its `//` comments.
fn key_data_example() -> Value {
    json!({
        "type": "KEYDATA",
        "data": {
            "items": [
                {
                    "key": "最大访问人数",
                    "data": "20",
                    "jump_url": "http://jump_url",
                    "action": "action"
                },
                {
                    "key": "最大访问人数",
                    "data": "20",
                    "jump_url": "http://jump_url",
                    "action": "action"
                }
            ]
        }
    })
}

#[test]
fn chengxun_key_data_example_decodes_and_re_encodes() {
    let data: card::CardData = serde_json::from_value(key_data_example()).unwrap();
    assert_eq!(data.tag(), "KEYDATA");
    let card::CardData::KeyData(key_data) = &data else {
        panic!("expected KEYDATA, got {data:?}");
    };
    let items = key_data.items.as_ref().expect("items");
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(item.key.as_deref(), Some("最大访问人数"));
        assert_eq!(item.data.as_deref(), Some("20"));
        assert_eq!(item.jump_url.as_deref(), Some("http://jump_url"));
        assert_eq!(item.action.as_deref(), Some("action"));
    }
    assert_eq!(encode(&data), key_data_example());

    let request = card::SetEnterpriseDataRequest::new(data);
    assert_eq!(sent_body(&request), key_data_example());
}

#[test]
fn chengxun_image_data_example_decodes_into_the_unsupported_variant() {
    // As printed, `"action":"action` lacks its closing quote; the intended JSON closes it.
    let example = json!({
        "type": "IMAGE",
        "data": {
            "url": "xxxx",
            "jump_url": "http://jump_url",
            "action": "action"
        }
    });
    let data: card::CardData = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(data.tag(), "IMAGE");
    let card::CardData::Image(image) = &data else {
        panic!("expected IMAGE, got {data:?}");
    };
    assert_eq!(image.url.as_deref(), Some("xxxx"));
    assert_eq!(image.jump_url.as_deref(), Some("http://jump_url"));
    assert_eq!(image.action.as_deref(), Some("action"));
    assert_eq!(encode(&data), example);
}

#[test]
fn chengxun_webview_data_example_decodes_into_the_unsupported_variant() {
    // As printed, `"action":"action` lacks its closing quote and the comma after it; the
    // intended JSON has both.
    let example = json!({
        "type": "WEBVIEW",
        "data": {
            "url": "http://jump_url",
            "jump_url": "http://jump_url",
            "action": "action",
            "height": "single_row",
            "hide_title": true,
            "enable_webview_click": true
        }
    });
    let data: card::CardData = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(data.tag(), "WEBVIEW");
    let card::CardData::Webview(webview) = &data else {
        panic!("expected WEBVIEW, got {data:?}");
    };
    assert_eq!(webview.url.as_deref(), Some("http://jump_url"));
    assert_eq!(webview.jump_url.as_deref(), Some("http://jump_url"));
    assert_eq!(webview.action.as_deref(), Some("action"));
    assert_eq!(webview.height.as_deref(), Some("single_row"));
    assert_eq!(webview.hide_title, Some(true));
    assert_eq!(webview.enable_webview_click, Some(true));
    assert_eq!(encode(&data), example);
}

#[test]
fn chengxun_set_enterprise_data_response_example_decodes() {
    // Response types are decode-only (the client never sends them), so there is no re-encoding;
    // err_code/err_msg are consumed by the runtime's envelope check and not in the type.
    let text = "{\n    \"err_code\": 0,\n    \"err_msg\": \"\"\n}";
    let result = serde_json::from_str::<card::SetEnterpriseDataResponse>(text);
    assert!(result.is_ok(), "{result:?}");
}

// ---------------------------------------------------------------------------------------------
// Chengxun: 换取企业永久授权码 (seed 001)
// ---------------------------------------------------------------------------------------------

#[test]
fn chengxun_exchange_corp_secret_response_example_decodes() {
    let text = r#"{
    "err_code": 0,
    "err_msg": "success",
    "corp_secret": "3y50kdq9CdS9ROO4_p6B7Y6je771Dml4d_c9AVYkxZt6V9BqL3_TyG99H9681kCkf2i"
}"#;
    let resp: corp_service::ExchangeCorpSecretResponse = decode(text);
    assert_eq!(
        resp.corp_secret.expose(),
        "3y50kdq9CdS9ROO4_p6B7Y6je771Dml4d_c9AVYkxZt6V9BqL3_TyG99H9681kCkf2i"
    );
    assert!(!format!("{resp:?}").contains("3y50kdq9"));
}

#[test]
fn chengxun_exchange_corp_secret_request_example_query() {
    // The document's URL template: ?corp_id={corp_id}&corp_authorization={corp_authorization}
    // &temp_corp_secret={temp_corp_secret}, on https://service.cheng-xun.cn/api.
    let request = corp_service::ExchangeCorpSecretRequest::new(123, "auth", "temp");
    let http = request.http_request().unwrap();
    assert_eq!(
        http.url.as_str(),
        "https://service.cheng-xun.cn/api/corp-service/v1/corp-secrets?corp_id=123&corp_authorization=auth&temp_corp_secret=temp"
    );
    assert_eq!(http.header("User-Agent"), Some("CX"));
    assert!(http.body.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Unknown union tags
// ---------------------------------------------------------------------------------------------

#[test]
fn chengxun_unknown_card_type_is_kept_and_re_encoded_unchanged() {
    let wire = json!({"type": "CHART", "data": {"x": 1}});
    let data: card::CardData = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(data.tag(), "CHART");
    let card::CardData::Unknown { tag, content } = &data else {
        panic!("expected Unknown, got {data:?}");
    };
    assert_eq!(tag, "CHART");
    assert_eq!(content, &json!({"x": 1}));
    assert_eq!(encode(&data), wire);

    let body = json!({"replace_user_data": true, "type": "CHART", "data": {"x": 1}});
    let request: card::SetEnterpriseDataRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(sent_body(&request), body);
}

#[test]
fn tze_unknown_msgtype_is_kept_and_re_encoded_unchanged() {
    let wire = json!({
        "msgtype": "markdown",
        "markdown": {"title": "週報", "text": "# 本週\n- 完成"}
    });
    let msg: message::Message = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(msg.tag(), "markdown");
    let message::Message::Unknown { tag, content } = &msg else {
        panic!("expected Unknown, got {msg:?}");
    };
    assert_eq!(tag, "markdown");
    // The variant's fields sit beside the tag, so the raw content is the whole object.
    assert_eq!(content, &wire);
    assert_eq!(encode(&msg), wire);
}

// ---------------------------------------------------------------------------------------------
// Lenient and nullable fields
// ---------------------------------------------------------------------------------------------

#[test]
fn chengxun_replace_user_data_is_read_in_every_lenient_form_and_sent_as_a_boolean() {
    let cases = [
        (json!("true"), true),
        (json!("false"), false),
        (json!(0), false),
        (json!(1), true),
        (json!("0"), false),
        (json!("1"), true),
        (json!(true), true),
        (json!(false), false),
    ];
    for (wire, expected) in cases {
        let body = json!({"replace_user_data": wire, "type": "KEYDATA", "data": {}});
        let request: card::SetEnterpriseDataRequest = serde_json::from_value(body)
            .unwrap_or_else(|err| panic!("{wire} should be read: {err}"));
        assert_eq!(request.replace_user_data, Some(expected), "from {wire}");
        assert_eq!(
            encode(&request),
            json!({"replace_user_data": expected, "type": "KEYDATA", "data": {}}),
            "from {wire}"
        );
    }
}

#[test]
fn chengxun_replace_user_data_absent_or_null_is_left_out() {
    for body in [
        json!({"type": "KEYDATA", "data": {}}),
        json!({"replace_user_data": null, "type": "KEYDATA", "data": {}}),
    ] {
        let request: card::SetEnterpriseDataRequest = serde_json::from_value(body).unwrap();
        assert_eq!(request.replace_user_data, None);
        assert_eq!(encode(&request), json!({"type": "KEYDATA", "data": {}}));
    }
}

#[test]
fn chengxun_replace_user_data_rejects_non_boolean_values() {
    for wire in [json!("yes"), json!(2), json!("2"), json!([true])] {
        let body = json!({"replace_user_data": wire, "type": "KEYDATA", "data": {}});
        let result = serde_json::from_value::<card::SetEnterpriseDataRequest>(body);
        assert!(result.is_err(), "{wire} must not be read as a boolean");
    }
}

fn org_vo(display_order: Value) -> Value {
    json!({
        "org_id": "1111111",
        "org_name": "財務部",
        "org_type": "4",
        "parent_id": "111",
        "display_order": display_order
    })
}

#[test]
fn tze_display_order_is_read_as_a_number_or_a_numeric_string() {
    for wire in [json!(1), json!("1")] {
        let vo: org::OrgVo = serde_json::from_value(org_vo(wire.clone())).unwrap();
        assert_eq!(vo.display_order, 1, "from {wire}");
    }
    let vo: org::OrgVo = serde_json::from_value(org_vo(json!("27"))).unwrap();
    assert_eq!(vo.display_order, 27);
    for wire in [json!("abc"), json!(""), json!(true)] {
        let result = serde_json::from_value::<org::OrgVo>(org_vo(wire.clone()));
        assert!(result.is_err(), "{wire} is not a display_order");
    }
}

fn list_item_wire(timestamp: Option<Value>) -> Value {
    let mut item = json!({"text": "智慧校园新版设计的小程序要来啦"});
    if let Some(timestamp) = timestamp {
        item["timestamp"] = timestamp;
    }
    json!({"type": "LIST", "data": {"items": [item]}})
}

fn only_item(data: &card::CardData) -> &card::CardListItem {
    let card::CardData::List(list) = data else {
        panic!("expected LIST, got {data:?}");
    };
    let items = list.items.as_ref().expect("items");
    assert_eq!(items.len(), 1);
    &items[0]
}

#[test]
fn chengxun_timestamp_absent_is_none_and_stays_absent() {
    let wire = list_item_wire(None);
    let data: card::CardData = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(only_item(&data).timestamp, None);
    let out = encode(&data);
    assert!(out["data"]["items"][0].get("timestamp").is_none(), "{out}");
    assert_eq!(out, wire);
}

#[test]
fn chengxun_timestamp_null_is_some_none_and_stays_null() {
    // null 为不显示: null is meaningful and must not be dropped.
    let wire = list_item_wire(Some(Value::Null));
    let data: card::CardData = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(only_item(&data).timestamp, Some(None));
    let out = encode(&data);
    assert_eq!(out["data"]["items"][0].get("timestamp"), Some(&Value::Null));
    assert_eq!(out, wire);
}

#[test]
fn chengxun_timestamp_zero_is_some_some_zero() {
    // 0 为1970-01-01.
    let wire = list_item_wire(Some(json!(0)));
    let data: card::CardData = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(only_item(&data).timestamp, Some(Some(Millis(0))));
    assert_eq!(encode(&data), wire);
}

#[test]
fn chengxun_timestamp_null_survives_the_request_body() {
    let item = card::CardListItem::new().text("不显示时间").timestamp(None);
    let request = card::SetEnterpriseDataRequest::new(card::CardData::List(
        card::CardList::new().items(vec![item]),
    ));
    assert_eq!(
        sent_body(&request),
        json!({"type": "LIST", "data": {"items": [{"text": "不显示时间", "timestamp": null}]}})
    );
}

#[test]
fn chengxun_timestamp_null_and_absent_survive_decoding_a_whole_request() {
    // The union is flattened into the request, so its content passes through serde's
    // flatten buffer before it is decoded; null must still be told apart from absence.
    let body = json!({
        "replace_user_data": "1",
        "type": "LIST",
        "data": {"items": [{"text": "一", "timestamp": null}, {"text": "二"}, {"text": "三", "timestamp": 1700000000000_i64}]}
    });
    let request: card::SetEnterpriseDataRequest = serde_json::from_value(body).unwrap();
    let card::CardData::List(list) = &request.card else {
        panic!("expected LIST, got {:?}", request.card);
    };
    let items = list.items.as_ref().expect("items");
    assert_eq!(items[0].timestamp, Some(None));
    assert_eq!(items[1].timestamp, None);
    assert_eq!(items[2].timestamp, Some(Some(Millis(1_700_000_000_000))));
    assert_eq!(
        sent_body(&request),
        json!({
            "replace_user_data": true,
            "type": "LIST",
            "data": {"items": [{"text": "一", "timestamp": null}, {"text": "二"}, {"text": "三", "timestamp": 1700000000000_i64}]}
        })
    );
}

#[test]
fn chengxun_set_enterprise_data_request_example_url_and_headers() {
    // curl --location --request POST
    //   'https://service.cheng-xun.cn/api/apps/v1/card/set-enterprise-data?access_token'
    //   --header 'User-Agent: CX' --header 'Content-Type: application/json'
    // (the token itself is added by the client when it sends the request)
    let request: card::SetEnterpriseDataRequest = decode(SET_ENTERPRISE_DATA_EXAMPLE);
    let http = request.http_request().unwrap();
    assert_eq!(http.method.as_str(), "POST");
    assert_eq!(
        http.url.as_str(),
        "https://service.cheng-xun.cn/api/apps/v1/card/set-enterprise-data"
    );
    assert_eq!(http.header("User-Agent"), Some("CX"));
    assert!(http
        .header("Content-Type")
        .is_some_and(|v| v.starts_with("application/json")));
}

// ---------------------------------------------------------------------------------------------
// tze.cn (seed 002)
// ---------------------------------------------------------------------------------------------

#[test]
fn tze_org_child_list_response_example_decodes_as_printed() {
    // Exactly as printed; `display_order` is the string "1" although the table types it int.
    let text = r#"{ "code": "000000", "message": "成功", "result": { "count": 3, "list": [ { "org_id": "1111111", "org_name": "財務部", "org_type": "4", "parent_id": "111", "display_order": "1" } ] } }"#;
    let resp: org::GetOrgChildListResponse = decode(text);
    let result = resp.result.expect("result");
    assert_eq!(result.count, Some(3));
    let list = result.list.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].org_id, "1111111");
    assert_eq!(list[0].org_name, "財務部");
    assert_eq!(list[0].org_type, org::OrgType::Department);
    assert_eq!(list[0].parent_id, "111");
    assert_eq!(list[0].display_order, 1);
}

#[test]
fn tze_org_child_list_request_example_url() {
    // 請求示例 http://api.tze.cn/user/openapi/org/get-org-child-list?org_id=123&accessToken=..
    // (the spec uses https, as the table does; the token is added when the request is sent)
    let http = org::GetOrgChildListRequest::new("123")
        .http_request()
        .unwrap();
    assert_eq!(http.method.as_str(), "GET");
    assert_eq!(
        http.url.as_str(),
        "https://api.tze.cn/user/openapi/org/get-org-child-list?org_id=123"
    );
    assert!(http.body.is_empty());
}

#[test]
fn tze_org_type_values_map_to_the_documented_names() {
    let table = [
        ("1", org::OrgType::Institution),
        ("2", org::OrgType::School),
        ("3", org::OrgType::Campus),
        ("4", org::OrgType::Department),
        ("5", org::OrgType::SchoolStage),
        ("6", org::OrgType::Grade),
        ("7", org::OrgType::Class),
        ("8", org::OrgType::Enterprise),
        ("9", org::OrgType::TeachingStudio),
        ("10", org::OrgType::Platform),
    ];
    for (wire, expected) in table {
        let decoded: org::OrgType = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(decoded, expected, "{wire}");
        assert_eq!(encode(&decoded), json!(wire));
    }
    let unknown: org::OrgType = serde_json::from_value(json!("11")).unwrap();
    assert_eq!(unknown, org::OrgType::Unknown("11".to_owned()));
    assert_eq!(encode(&unknown), json!("11"));
}

#[test]
fn tze_text_message_example_decodes_and_re_encodes() {
    let text = r#"{ "msgtype": "text", "text": { "content": "zhxy msg text test 12" } }"#;
    let msg: message::Message = decode(text);
    assert_eq!(msg.tag(), "text");
    let message::Message::Text(text_msg) = &msg else {
        panic!("expected text, got {msg:?}");
    };
    assert_eq!(text_msg.text.content, "zhxy msg text test 12");
    let expected = json!({"msgtype": "text", "text": {"content": "zhxy msg text test 12"}});
    assert_eq!(encode(&msg), expected);

    let built = message::Message::Text(message::TextMessage::new(message::TextContent::new(
        "zhxy msg text test 12",
    )));
    assert_eq!(encode(&built), expected);
}

#[test]
fn tze_link_message_example_decodes_and_re_encodes() {
    let text = r#"{ "msgtype": "link", "link": { "pcUrl": "http://www.baidu.com", "appUrl": "http://www.baidu.com", "picUrl": "http://xxx.yyy.com/zzz.jpg", "content": "百度一下", "title": "百度", "busiId":"AQWER1234" } }"#;
    let msg: message::Message = decode(text);
    assert_eq!(msg.tag(), "link");
    let message::Message::Link(link_msg) = &msg else {
        panic!("expected link, got {msg:?}");
    };
    let link = &link_msg.link;
    assert_eq!(link.pc_url, "http://www.baidu.com");
    assert_eq!(link.app_url, "http://www.baidu.com");
    assert_eq!(link.pic_url.as_deref(), Some("http://xxx.yyy.com/zzz.jpg"));
    assert_eq!(link.content, "百度一下");
    assert_eq!(link.title, "百度");
    assert_eq!(link.busi_id, "AQWER1234");
    let expected = json!({
        "msgtype": "link",
        "link": {
            "pcUrl": "http://www.baidu.com",
            "appUrl": "http://www.baidu.com",
            "picUrl": "http://xxx.yyy.com/zzz.jpg",
            "content": "百度一下",
            "title": "百度",
            "busiId": "AQWER1234"
        }
    });
    assert_eq!(encode(&msg), expected);
    assert!(message::validate_ok(&msg));
}

/// The document has no oa example; this one is built from its table (5.1 head with text and
/// bgColor, 5.2 body with every member and a form of key/value entries).
fn oa_example() -> Value {
    json!({
        "msgtype": "oa",
        "busiId": "OA20240001",
        "pcUrl": "http://oa.example.com/pc/1",
        "appUrl": "http://oa.example.com/h5/1",
        "oa": {
            "head": {"text": "請假審批", "bgColor": "FFCC0000"},
            "body": {
                "title": "張三的請假申請",
                "content": "因家事請假兩天",
                "imageUrl": "http://oa.example.com/img/1.png",
                "fileCount": "2",
                "author": "張三",
                "form": [
                    {"key": "請假類型", "value": "事假"},
                    {"key": "天數", "value": "2"}
                ]
            }
        }
    })
}

#[test]
fn tze_oa_message_built_from_the_table_decodes_and_re_encodes() {
    let msg: message::Message = serde_json::from_value(oa_example()).unwrap();
    assert_eq!(msg.tag(), "oa");
    let message::Message::Oa(oa_msg) = &msg else {
        panic!("expected oa, got {msg:?}");
    };
    assert_eq!(oa_msg.busi_id, "OA20240001");
    assert_eq!(oa_msg.pc_url, "http://oa.example.com/pc/1");
    assert_eq!(oa_msg.app_url, "http://oa.example.com/h5/1");
    assert_eq!(oa_msg.oa.head.text, "請假審批");
    assert_eq!(oa_msg.oa.head.bg_color.as_deref(), Some("FFCC0000"));
    let body = oa_msg.oa.body.as_ref().expect("body");
    assert_eq!(body.title.as_deref(), Some("張三的請假申請"));
    assert_eq!(body.content.as_deref(), Some("因家事請假兩天"));
    assert_eq!(
        body.image_url.as_deref(),
        Some("http://oa.example.com/img/1.png")
    );
    assert_eq!(body.file_count.as_deref(), Some("2"));
    assert_eq!(body.author.as_deref(), Some("張三"));
    let form = body.form.as_ref().expect("form");
    assert_eq!(form.len(), 2);
    assert_eq!(form[0].key.as_deref(), Some("請假類型"));
    assert_eq!(form[0].value.as_deref(), Some("事假"));
    assert_eq!(encode(&msg), oa_example());
    assert!(message::validate_ok(&msg));

    let built = message::Message::Oa(message::OaMessage::new(
        "OA20240001",
        "http://oa.example.com/pc/1",
        "http://oa.example.com/h5/1",
        message::OaContent::new(message::OaHead::new("請假審批").bg_color("FFCC0000")).body(
            message::OaBody::new()
                .title("張三的請假申請")
                .content("因家事請假兩天")
                .image_url("http://oa.example.com/img/1.png")
                .file_count("2")
                .author("張三")
                .form(vec![
                    message::OaFormItem::new().key("請假類型").value("事假"),
                    message::OaFormItem::new().key("天數").value("2"),
                ]),
        ),
    ));
    assert_eq!(built, msg);
    assert_eq!(encode(&built), oa_example());
}

#[test]
fn tze_oa_message_with_head_only_leaves_body_and_bg_color_out() {
    let built = message::Message::Oa(message::OaMessage::new(
        "OA1",
        "http://pc",
        "http://app",
        message::OaContent::new(message::OaHead::new("通知")),
    ));
    assert_eq!(
        encode(&built),
        json!({
            "msgtype": "oa",
            "busiId": "OA1",
            "pcUrl": "http://pc",
            "appUrl": "http://app",
            "oa": {"head": {"text": "通知"}}
        })
    );
}

/// `runtime::validate` on a message, as a boolean, for the examples above.
mod message {
    pub use open_platform_clients::tze::message::*;

    pub fn validate_ok(msg: &Message) -> bool {
        open_platform_clients::runtime::validate(msg).is_ok()
    }
}
