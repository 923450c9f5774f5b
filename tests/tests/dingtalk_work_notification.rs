//! DingTalk's work notifications (工作通知) against a local server that answers each page's
//! example response, read out of `specs/dingtalk/sources/`: the form body of every call with the
//! token in the query, the message of each of the eight `msgtype`s (and both action-card
//! styles) sent as the JSON text of the form field `msg` and compared with the example body
//! 消息通知类型 prints for it, the decoded examples, and the documented limits that
//! `validate()` checks before anything is sent.

mod support;

use open_platform_clients::dingtalk::work_notification as wn;
use open_platform_clients::runtime::{ApiRequest, Error};
use serde_json::{json, Value};
use support::{
    dingtalk_client, dingtalk_source, example_after, form_body, header, page_example, query,
    the_one_request, TOKEN,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request};

const SEND_PATH: &str = "/topapi/message/corpconversation/asyncsend_v2";

/// The pairs of a form body, borrowed for comparison with literals.
fn pairs(request: &Request) -> Vec<(String, String)> {
    form_body(request)
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Asserts what every call of the group shares: POST, the token in the query and nothing
/// else there, a form body.
fn assert_form_post(request: &Request, expected_path: &str) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), expected_path);
    assert_eq!(
        query(request),
        [pair("access_token", TOKEN)],
        "the token in the query, as the 查询参数 table says"
    );
    let content_type = header(request, "content-type").expect("a content type");
    assert!(
        content_type.starts_with("application/x-www-form-urlencoded"),
        "a form body, as the page's curl example posts it: {content_type}"
    );
}

/// Mounts `example` (as the page prints it) on `api_path` and returns the server.
async fn serving(api_path: &str, example: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path))
        .respond_with(page_example(example))
        .expect(1)
        .mount(&server)
        .await;
    server
}

// ---------------------------------------------------------------------------------------------
// send (038_work_notification_send.txt) with each message of 消息通知类型
// (039_work_notification_message_types.txt)
// ---------------------------------------------------------------------------------------------

fn send_page() -> String {
    dingtalk_source("038_work_notification_send.txt")
}

fn types_page() -> String {
    dingtalk_source("039_work_notification_message_types.txt")
}

/// The example body 消息通知类型 prints after `marker`.
fn type_example(marker: &str) -> Value {
    let page = types_page();
    serde_json::from_str(example_after(&page, marker, 0)).expect("the page's example is JSON")
}

/// Sends `msg` to two users (as the page's table examples name them) and returns the form
/// pairs the server received, after checking the decoded example response.
async fn send(msg: wn::NotificationMessage) -> Vec<(String, String)> {
    let page = send_page();
    let server = serving(SEND_PATH, example_after(&page, "响应体示例", 0)).await;
    let request =
        wn::SendRequest::new(123, msg).userid_list(vec!["user123".into(), "user456".into()]);

    let response = dingtalk_client(&server)
        .work_notification()
        .send(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.task_id, Some(256_271_667_526));
    assert_eq!(response.request_id.as_deref(), Some("4jzllmte0wau"));
    let request = the_one_request(&server).await;
    assert_form_post(&request, SEND_PATH);
    pairs(&request)
}

/// The `msg` field of a send's form pairs, after checking the other pairs.
fn msg_of(pairs: &[(String, String)]) -> &str {
    let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["agent_id", "userid_list", "msg"]);
    assert_eq!(pairs[0], pair("agent_id", "123"));
    assert_eq!(pairs[1], pair("userid_list", "user123,user456"));
    &pairs[2].1
}

/// Sends `msg` and asserts that the `msg` field holds the JSON of `expected`.
async fn assert_sent_as(msg: wn::NotificationMessage, expected: Value) {
    let sent = send(msg).await;
    let text = msg_of(&sent);
    let value: Value = serde_json::from_str(text).expect("msg is JSON text");
    assert_eq!(value, expected, "msg as sent: {text}");
}

#[tokio::test]
async fn send_posts_every_member_as_a_form_field_and_msg_as_json_text() {
    let page = send_page();
    let server = serving(SEND_PATH, example_after(&page, "响应体示例", 0)).await;
    let msg = wn::NotificationMessage::Text(wn::NotificationTextMessage::new(
        wn::NotificationText::new("请提交日报。"),
    ));
    let request = wn::SendRequest::new(123, msg)
        .userid_list(vec!["user123".into(), "user456".into()])
        .dept_id_list(vec![123, 345])
        .to_all_user(false);

    let response = dingtalk_client(&server)
        .work_notification()
        .send(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.task_id, Some(256_271_667_526));
    assert_eq!(response.request_id.as_deref(), Some("4jzllmte0wau"));
    let request = the_one_request(&server).await;
    assert_form_post(&request, SEND_PATH);
    // The table's examples: `123L`, `user123,user456`, `123,345`, `false` and the msg
    // `{"msgtype": "text", "text": {"content": "请提交日报。"}}`, the tag first.
    assert_eq!(
        pairs(&request),
        [
            pair("agent_id", "123"),
            pair("userid_list", "user123,user456"),
            pair("dept_id_list", "123,345"),
            pair("to_all_user", "false"),
            pair(
                "msg",
                r#"{"msgtype":"text","text":{"content":"请提交日报。"}}"#
            ),
        ]
    );
}

#[tokio::test]
async fn send_text_as_the_types_page_shows_it() {
    let msg = wn::NotificationMessage::Text(wn::NotificationTextMessage::new(
        wn::NotificationText::new("月会通知"),
    ));
    assert_sent_as(msg, type_example("文本消息（text）")).await;
}

#[tokio::test]
async fn send_image_as_the_types_page_shows_it() {
    let msg = wn::NotificationMessage::Image(wn::NotificationImageMessage::new(
        wn::NotificationImage::new("@lADOADmaWMzazQKA"),
    ));
    assert_sent_as(msg, type_example("图片消息")).await;
}

#[tokio::test]
async fn send_voice_as_the_types_page_shows_it() {
    let msg = wn::NotificationMessage::Voice(wn::NotificationVoiceMessage::new(
        wn::NotificationVoice::new("@lADOADmaWMzazQKA", "10"),
    ));
    assert_sent_as(msg, type_example("语音消息")).await;
}

#[tokio::test]
async fn send_file_as_the_types_page_shows_it() {
    let msg = wn::NotificationMessage::File(wn::NotificationFileMessage::new(
        wn::NotificationFile::new("MEDIA_ID"),
    ));
    assert_sent_as(msg, type_example("文件消息")).await;
}

#[tokio::test]
async fn send_link_as_the_types_page_shows_it() {
    let msg =
        wn::NotificationMessage::Link(wn::NotificationLinkMessage::new(wn::NotificationLink::new(
            "http://s.dingtalk.com/market/dingtalk/error_code.php",
            "@lALOACZwe2Rk",
            "测试",
            "测试",
        )));
    assert_sent_as(msg, type_example("链接消息")).await;
}

#[tokio::test]
async fn send_oa_as_the_types_page_shows_it() {
    let form = [
        ("姓名:", "张三"),
        ("年龄:", "20"),
        ("身高:", "1.8米"),
        ("体重:", "130斤"),
        ("学历:", "本科"),
        ("爱好:", "打球、听音乐"),
    ]
    .into_iter()
    .map(|(key, value)| wn::NotificationOaFormItem::new().key(key).value(value))
    .collect();
    let oa = wn::NotificationOa::new(
        "http://dingtalk.com",
        wn::NotificationOaHead::new("FFBBBBBB", "头部标题"),
        wn::NotificationOaBody::new()
            .title("正文标题")
            .form(form)
            .rich(wn::NotificationOaRich::new().num("15.6").unit("元"))
            .content("大段文本大段文本大段文本大段文本大段文本大段文本")
            .image("@lADOADmaWMzazQKA")
            .file_count("3")
            .author("李四 "),
    );
    let msg = wn::NotificationMessage::Oa(wn::NotificationOaMessage::new(oa));
    assert_sent_as(msg, type_example("OA消息")).await;
}

#[tokio::test]
async fn send_oa_with_the_status_bar_the_table_documents() {
    // The example body shows no status bar; the OA消息体参数 table documents
    // `oa.pc_message_url` and `oa.status_bar` with these examples.
    let oa = wn::NotificationOa::new(
        "http://dingtalk.com",
        wn::NotificationOaHead::new("FFBBBBBB", "头部标题"),
        wn::NotificationOaBody::new().title("正文标题"),
    )
    .pc_message_url("http://dingtalk.com")
    .status_bar(
        wn::NotificationOaStatusBar::new()
            .status_value("进行中")
            .status_bg("0xFFF65E5E"),
    );
    let msg = wn::NotificationMessage::Oa(wn::NotificationOaMessage::new(oa));
    assert_sent_as(
        msg,
        json!({
            "msgtype": "oa",
            "oa": {
                "message_url": "http://dingtalk.com",
                "pc_message_url": "http://dingtalk.com",
                "head": { "bgcolor": "FFBBBBBB", "text": "头部标题" },
                "status_bar": { "status_value": "进行中", "status_bg": "0xFFF65E5E" },
                "body": { "title": "正文标题" }
            }
        }),
    )
    .await;
}

#[tokio::test]
async fn send_markdown_as_the_types_page_shows_it() {
    let msg = wn::NotificationMessage::Markdown(wn::NotificationMarkdownMessage::new(
        wn::NotificationMarkdown::new(
            "首屏会话透出的展示内容",
            "# 这是支持markdown的文本   \n   ## 标题2    \n   * 列表1   \n  ![alt 啊](https://img.alicdn.com/tps/TB1XLjqNVXXXXc4XVXXXXXXXXXX-170-64.png)",
        ),
    ));
    assert_sent_as(msg, type_example("markdown消息")).await;
}

#[tokio::test]
async fn send_action_card_with_one_action_as_the_types_page_shows_it() {
    let card = wn::NotificationActionCard::new("支持markdown格式的正文内容")
        .title("是透出到会话列表和通知的文案")
        .single_title("查看详情")
        .single_url("https://open.dingtalk.com");
    let msg = wn::NotificationMessage::ActionCard(wn::NotificationActionCardMessage::new(card));
    assert_sent_as(
        msg,
        type_example("整体跳转ActionCard样式，支持一个点击Action"),
    )
    .await;
}

#[tokio::test]
async fn send_action_card_with_buttons_as_the_types_page_shows_it() {
    let card = wn::NotificationActionCard::new("支持markdown格式的正文内容")
        .title("是透出到会话列表和通知的文案")
        .btn_orientation(wn::NotificationBtnOrientation::Horizontal)
        .btn_json_list(vec![
            wn::NotificationActionCardButton::new()
                .title("一个按钮")
                .action_url("https://www.taobao.com"),
            wn::NotificationActionCardButton::new()
                .title("两个按钮")
                .action_url("https://www.tmall.com"),
        ]);
    let msg = wn::NotificationMessage::ActionCard(wn::NotificationActionCardMessage::new(card));
    assert_sent_as(
        msg,
        type_example("独立跳转ActionCard样式，支持多个点击Action"),
    )
    .await;
}

#[test]
fn every_example_body_of_the_types_page_reads_as_its_variant() {
    let markers = [
        ("文本消息（text）", "text"),
        ("图片消息", "image"),
        ("语音消息", "voice"),
        ("文件消息", "file"),
        ("链接消息", "link"),
        ("OA消息", "oa"),
        ("markdown消息", "markdown"),
        ("整体跳转ActionCard样式，支持一个点击Action", "action_card"),
        ("独立跳转ActionCard样式，支持多个点击Action", "action_card"),
    ];
    for (marker, tag) in markers {
        let example = type_example(marker);
        let msg: wn::NotificationMessage =
            serde_json::from_value(example.clone()).expect("the example reads");
        assert_eq!(msg.tag(), tag);
        assert!(
            !matches!(msg, wn::NotificationMessage::Unknown { .. }),
            "{marker}: a known variant"
        );
        assert_eq!(
            serde_json::to_value(&msg).expect("serializes"),
            example,
            "{marker}: sent back as printed"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// limits the pages write in prose, checked before sending
// ---------------------------------------------------------------------------------------------

fn text_message() -> wn::NotificationMessage {
    wn::NotificationMessage::Text(wn::NotificationTextMessage::new(wn::NotificationText::new(
        "月会通知",
    )))
}

fn rejected_path(request: &wn::SendRequest) -> String {
    match request.validate() {
        Err(Error::InvalidRequest { operation, source }) => {
            assert_eq!(operation, "work_notification.send");
            source.path
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[test]
fn at_most_100_userids_and_20_departments() {
    let users = |n: usize| (0..n).map(|i| format!("user{i}")).collect::<Vec<_>>();
    assert!(wn::SendRequest::new(1, text_message())
        .userid_list(users(100))
        .validate()
        .is_ok());
    let request = wn::SendRequest::new(1, text_message()).userid_list(users(101));
    assert_eq!(rejected_path(&request), "userid_list");

    let depts = |n: i64| (1..=n).collect::<Vec<_>>();
    assert!(wn::SendRequest::new(1, text_message())
        .dept_id_list(depts(20))
        .validate()
        .is_ok());
    let request = wn::SendRequest::new(1, text_message()).dept_id_list(depts(21));
    assert_eq!(rejected_path(&request), "dept_id_list");
}

#[test]
fn voice_duration_is_a_positive_integer_below_60() {
    let voice = |d: &str| {
        wn::SendRequest::new(
            1,
            wn::NotificationMessage::Voice(wn::NotificationVoiceMessage::new(
                wn::NotificationVoice::new("@lADOADmaWMzazQKA", d),
            )),
        )
    };
    for ok in ["1", "10", "50", "59"] {
        assert!(voice(ok).validate().is_ok(), "{ok}");
    }
    for bad in ["0", "60", "100", "-1", "05", "1.5", ""] {
        assert_eq!(rejected_path(&voice(bad)), "msg.voice.duration", "{bad}");
    }
}

#[test]
fn oa_head_colour_is_exactly_8_characters() {
    let oa = |colour: &str| {
        wn::SendRequest::new(
            1,
            wn::NotificationMessage::Oa(wn::NotificationOaMessage::new(wn::NotificationOa::new(
                "http://dingtalk.com",
                wn::NotificationOaHead::new(colour, "头部标题"),
                wn::NotificationOaBody::new(),
            ))),
        )
    };
    assert!(oa("FFBBBBBB").validate().is_ok());
    assert_eq!(rejected_path(&oa("FFBBBBB")), "msg.oa.head.bgcolor");
    assert_eq!(rejected_path(&oa("0xFFBBBBBB")), "msg.oa.head.bgcolor");
}

#[test]
fn markdown_text_at_most_5000_characters() {
    let markdown = |n: usize| {
        wn::SendRequest::new(
            1,
            wn::NotificationMessage::Markdown(wn::NotificationMarkdownMessage::new(
                wn::NotificationMarkdown::new("测试标题", "文".repeat(n)),
            )),
        )
    };
    assert!(markdown(5000).validate().is_ok());
    assert_eq!(rejected_path(&markdown(5001)), "msg.markdown.text");
}

#[test]
fn action_card_titles_and_links_within_their_lengths() {
    let card = |card: wn::NotificationActionCard| {
        wn::SendRequest::new(
            1,
            wn::NotificationMessage::ActionCard(wn::NotificationActionCardMessage::new(card)),
        )
    };
    let base = || wn::NotificationActionCard::new("支持markdown格式的正文内容");
    assert!(card(
        base()
            .single_title("题".repeat(20))
            .single_url("u".repeat(500))
    )
    .validate()
    .is_ok());
    assert_eq!(
        rejected_path(&card(base().single_title("题".repeat(21)))),
        "msg.action_card.single_title"
    );
    assert_eq!(
        rejected_path(&card(base().single_url("u".repeat(501)))),
        "msg.action_card.single_url"
    );
    let button = |title: usize, url: usize| {
        base().btn_json_list(vec![wn::NotificationActionCardButton::new()
            .title("按".repeat(title))
            .action_url("u".repeat(url))])
    };
    assert!(card(button(20, 700)).validate().is_ok());
    assert_eq!(
        rejected_path(&card(button(21, 700))),
        "msg.action_card.btn_json_list[0].title"
    );
    assert_eq!(
        rejected_path(&card(button(20, 701))),
        "msg.action_card.btn_json_list[0].action_url"
    );
}

#[tokio::test]
async fn an_invalid_message_is_not_sent() {
    let server = MockServer::start().await;
    let request = wn::SendRequest::new(
        1,
        wn::NotificationMessage::Voice(wn::NotificationVoiceMessage::new(
            wn::NotificationVoice::new("@lADOADmaWMzazQKA", "60"),
        )),
    );
    let err = dingtalk_client(&server)
        .work_notification()
        .send(request)
        .await
        .expect_err("rejected before sending");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "nothing reached the server");
}

// ---------------------------------------------------------------------------------------------
// get_send_progress (040_work_notification_send_progress.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_send_progress_posts_agent_and_task_and_reads_the_progress() {
    const PATH: &str = "/topapi/message/corpconversation/getsendprogress";
    let page = dingtalk_source("040_work_notification_send_progress.txt");
    let server = serving(PATH, example_after(&page, "响应体示例", 0)).await;

    let response = dingtalk_client(&server)
        .work_notification()
        .get_send_progress(wn::GetSendProgressRequest::new(123, 456))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("5y2znla8tw3d"));
    let progress = response.progress.expect("a progress");
    assert_eq!(progress.progress_in_percent, Some(100));
    assert_eq!(progress.status, Some(wn::AsyncSendStatus::Done));
    let request = the_one_request(&server).await;
    assert_form_post(&request, PATH);
    // The curl example's `-d 'agent_id=123' -d 'task_id=456'`.
    assert_eq!(
        pairs(&request),
        [pair("agent_id", "123"), pair("task_id", "456")]
    );
}

// ---------------------------------------------------------------------------------------------
// get_send_result (041_work_notification_send_result.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_send_result_posts_agent_and_task_and_reads_the_lists() {
    const PATH: &str = "/topapi/message/corpconversation/getsendresult";
    let page = dingtalk_source("041_work_notification_send_result.txt");
    let server = serving(PATH, example_after(&page, "响应体示例", 0)).await;

    let response = dingtalk_client(&server)
        .work_notification()
        .get_send_result(wn::GetSendResultRequest::new(123, 456))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("6pcvwp6jcows"));
    let result = response.send_result.expect("a result");
    assert_eq!(
        result.read_user_id_list,
        Some(vec!["manager4220".to_owned()])
    );
    assert_eq!(result.unread_user_id_list, Some(vec![]));
    assert_eq!(result.failed_user_id_list, Some(vec![]));
    assert_eq!(result.invalid_user_id_list, Some(vec![]));
    assert_eq!(result.invalid_dept_id_list, Some(vec![]));
    assert_eq!(result.forbidden_list, Some(vec![]));
    assert_eq!(result.forbidden_user_id_list, None, "not in the example");
    let request = the_one_request(&server).await;
    assert_form_post(&request, PATH);
    assert_eq!(
        pairs(&request),
        [pair("agent_id", "123"), pair("task_id", "456")]
    );
}

#[test]
fn a_forbidden_entry_reads_with_the_table_examples() {
    // The example response's forbidden_list is empty; an entry with the table's examples.
    let result: wn::AsyncSendResult = serde_json::from_value(json!({
        "forbidden_list": [{ "code": "143105", "count": 1, "userid": "user123" }]
    }))
    .expect("reads");
    let forbidden = &result.forbidden_list.expect("a list")[0];
    assert_eq!(forbidden.code.as_deref(), Some("143105"));
    assert_eq!(forbidden.count, Some(1));
    assert_eq!(forbidden.userid.as_deref(), Some("user123"));
}

// ---------------------------------------------------------------------------------------------
// recall (042_work_notification_recall.txt)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn recall_posts_agent_and_message_task() {
    const PATH: &str = "/topapi/message/corpconversation/recall";
    let page = dingtalk_source("042_work_notification_recall.txt");
    let server = serving(PATH, example_after(&page, "响应体示例", 0)).await;

    dingtalk_client(&server)
        .work_notification()
        .recall(wn::RecallRequest::new(1000, 2000))
        .await
        .expect("the example decodes");

    let request = the_one_request(&server).await;
    assert_form_post(&request, PATH);
    // The curl example's `-d 'agent_id=1000' -d 'msg_task_id=2000'`.
    assert_eq!(
        pairs(&request),
        [pair("agent_id", "1000"), pair("msg_task_id", "2000")]
    );
}

// ---------------------------------------------------------------------------------------------
// update_status_bar (043_work_notification_status_bar.txt)
// ---------------------------------------------------------------------------------------------

const STATUS_BAR_PATH: &str = "/topapi/message/corpconversation/status_bar/update";

fn status_bar_request() -> wn::UpdateStatusBarRequest {
    // The curl example's values.
    wn::UpdateStatusBarRequest::new(123, 1111, "已完成").status_bg("0xFFF65E5E")
}

#[tokio::test]
async fn update_status_bar_posts_the_status_and_reads_the_repaired_example() {
    let page = dingtalk_source("043_work_notification_status_bar.txt");
    let printed = example_after(&page, "响应体示例", 0);
    // The page's example lacks the comma after request_id and has one after errmsg; with
    // both mended it is the table's three members.
    let mended = printed
        .replacen("\"4jzllmte0wau\"\n", "\"4jzllmte0wau\",\n", 1)
        .replacen("\"ok\",\n}", "\"ok\"\n}", 1);
    assert_ne!(mended, printed);
    let server = serving(STATUS_BAR_PATH, &mended).await;

    let response = dingtalk_client(&server)
        .work_notification()
        .update_status_bar(status_bar_request())
        .await
        .expect("the mended example decodes");

    assert_eq!(response.request_id.as_deref(), Some("4jzllmte0wau"));
    let request = the_one_request(&server).await;
    assert_form_post(&request, STATUS_BAR_PATH);
    assert_eq!(
        pairs(&request),
        [
            pair("agent_id", "123"),
            pair("task_id", "1111"),
            pair("status_value", "已完成"),
            pair("status_bg", "0xFFF65E5E"),
        ]
    );
    // The curl example percent-encodes 已完成 as %E5%B7%B2%E5%AE%8C%E6%88%90.
    let body = String::from_utf8(request.body.clone()).expect("ASCII");
    assert!(
        body.contains("status_value=%E5%B7%B2%E5%AE%8C%E6%88%90"),
        "{body}"
    );
}

#[tokio::test]
async fn the_status_bar_example_as_printed_is_not_json() {
    let page = dingtalk_source("043_work_notification_status_bar.txt");
    let printed = example_after(&page, "响应体示例", 0);
    assert!(serde_json::from_str::<Value>(printed).is_err());
    let server = serving(STATUS_BAR_PATH, printed).await;

    let err = dingtalk_client(&server)
        .work_notification()
        .update_status_bar(status_bar_request())
        .await
        .expect_err("a body that is not JSON is not a success");

    assert!(
        matches!(err, Error::Decode { .. } | Error::NotJson { .. }),
        "{err:?}"
    );
}
