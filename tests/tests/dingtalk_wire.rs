//! The DingTalk endpoints transcribed from their pages (media upload, custom robot send, user
//! listid) against a wiremock server that answers each page's example response, copied from
//! `specs/dingtalk/sources/`: the request's wire form (multipart parts parsed back with
//! `multer`, the robot's JSON body per message type and its signed query, the form body of
//! listid) and the decoded example.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use open_platform_clients::dingtalk::{self, media, robot, user};
use open_platform_clients::runtime::{FilePart, RetryPolicy, SigningKey, StaticToken};
use serde_json::Value;
use sha2::Sha256;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token";
/// The robot's webhook token, as the send page's example writes it.
const ROBOT_TOKEN: &str = "BE3xxxx";
/// A robot's 加签 secret (`SEC...`).
const ROBOT_SECRET: &str = "SEC0123456789abcdef";

/// A client whose bases all point at `server`, with the app token and the robot's secret;
/// single attempts, so that request counts are exact.
fn client(server: &MockServer) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .signing_key(SigningKey::new(ROBOT_SECRET))
        .base_url(&dingtalk::OAPI, server.uri())
        .base_url(&dingtalk::API, server.uri())
        .base_url(&dingtalk::ROBOT, server.uri())
        .build()
        .expect("client builds")
}

/// A 200 answering `body` exactly as the page prints it (not re-encoded).
fn page_example(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn the_one_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("the page's example is JSON")
}

// ---------------------------------------------------------------------------------------------
// media upload (004_media_upload.txt)
// ---------------------------------------------------------------------------------------------

/// 响应体示例 of 上传媒体文件, as the page prints it.
const MEDIA_UPLOAD_EXAMPLE: &str = r#"{
  "errcode": 0,
  "errmsg": "ok",
  "media_id": "$iAEKAqNwbmcDBgTNAk",
  "created_at": 1605863153573,
  "type": "image"
}"#;

#[tokio::test]
async fn media_upload_sends_type_and_media_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/media/upload"))
        .and(query_param("access_token", TOKEN))
        .respond_with(page_example(MEDIA_UPLOAD_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image".to_vec();
    let request = media::UploadRequest::new(
        media::MediaType::Image,
        FilePart::from_bytes(png.clone())
            .file_name("222.png")
            .content_type("image/png"),
    );

    let response = client(&server)
        .media()
        .upload(request)
        .await
        .expect("the example decodes");

    assert_eq!(response.media_id.as_deref(), Some("$iAEKAqNwbmcDBgTNAk"));
    assert_eq!(
        response.created_at,
        Some(open_platform_clients::runtime::Millis(1_605_863_153_573))
    );
    assert_eq!(response.r#type, Some(media::MediaType::Image));

    let request = the_one_request(&server).await;
    assert_eq!(
        query(&request),
        [("access_token".to_owned(), TOKEN.to_owned())],
        "the token in the query, as the 查询参数 table says"
    );
    let content_type = header(&request, "content-type").expect("a content type");
    let boundary = multer::parse_boundary(content_type).expect("multipart/form-data");
    let body = request.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);

    let field = multipart
        .next_field()
        .await
        .expect("parses")
        .expect("a part");
    assert_eq!(field.name(), Some("type"));
    assert_eq!(field.file_name(), None);
    assert_eq!(field.text().await.expect("text"), "image");

    let field = multipart
        .next_field()
        .await
        .expect("parses")
        .expect("a part");
    assert_eq!(field.name(), Some("media"));
    assert_eq!(field.file_name(), Some("222.png"));
    assert_eq!(
        field.content_type().map(ToString::to_string).as_deref(),
        Some("image/png")
    );
    assert_eq!(field.bytes().await.expect("content").to_vec(), png);

    assert!(
        multipart.next_field().await.expect("parses").is_none(),
        "two parts only: no access_token part"
    );
}

// ---------------------------------------------------------------------------------------------
// custom robot send (005_robot_send.txt, 006_robot_message_type.txt)
// ---------------------------------------------------------------------------------------------

/// 响应体示例 of 自定义机器人发送群消息: the code is the string "0".
const ROBOT_SEND_EXAMPLE: &str = r#"{
  "errcode":"0",
  "errmsg":"ok"
}"#;

/// 文本text类型 on 消息发送与接收类型.
const TEXT_EXAMPLE: &str = r#"{
    "at": {
        "atMobiles": [
            "180xxxxxx"
        ],
        "atUserIds": [
            "user123"
        ],
        "isAtAll": false
    },
    "text": {
        "content": "我就是我, @180xxxxxx 是不一样的烟火"
    },
    "msgtype": "text"
}"#;

/// Markdown类型 on 消息发送与接收类型.
const MARKDOWN_EXAMPLE: &str = r#####"{
     "msgtype": "markdown",
     "markdown": {
         "title":"杭州天气",
         "text": "#### 杭州天气 @150XXXXXXXX \n> 9度，西北风1级，空气良89，相对温度73%\n> ![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png)\n> ###### 10点20分发布 [天气](https://www.dingalk.com) \n"
     },
      "at": {
          "atMobiles": [
              "150XXXXXXXX"
          ],
          "atUserIds": [
              "user123"
          ],
          "isAtAll": false
      }
 }"#####;

/// 独立跳转ActionCard类型 on 消息发送与接收类型.
const ACTION_CARD_EXAMPLE: &str = r#"{
    "msgtype": "actionCard",
    "actionCard": {
        "title": "乔布斯 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身", 
        "text": "![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png) \n\n #### 乔布斯 20 年前想打造的苹果咖啡厅 \n\n Apple Store 的设计正从原来满满的科技感走向生活化，而其生活化的走向其实可以追溯到 20 年前苹果一个建立咖啡馆的计划", 
        "btnOrientation": "0", 
        "btns": [
            {
                "title": "内容不错", 
                "actionURL": "https://www.dingtalk.com/"
            }, 
            {
                "title": "不感兴趣", 
                "actionURL": "https://www.dingtalk.com/"
            }
        ]
    }
}"#;

/// FeedCard类型 on 消息发送与接收类型.
const FEED_CARD_EXAMPLE: &str = r#"{
    "msgtype": "feedCard",
    "feedCard": {
        "links": [
            {
                "title": "时代的火车向前开1", 
                "messageURL": "https://www.dingtalk.com/", 
                "picURL": "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png"
            },
            {
                "title": "时代的火车向前开2", 
                "messageURL": "https://www.dingtalk.com/", 
                "picURL": "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png"
            }
        ]
    }
}"#;

const PIC: &str = "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png";

fn text_message() -> robot::SendRequest {
    let text = robot::TextContent::new("我就是我, @180xxxxxx 是不一样的烟火");
    robot::SendRequest::new(
        ROBOT_TOKEN,
        robot::RobotMessage::Text(robot::TextMessage::new(text)),
    )
    .at(robot::At::new()
        .at_mobiles(vec!["180xxxxxx".to_owned()])
        .at_user_ids(vec!["user123".to_owned()])
        .is_at_all(false))
}

fn markdown_message() -> robot::SendRequest {
    let markdown = robot::MarkdownContent::new(
        "杭州天气",
        "#### 杭州天气 @150XXXXXXXX \n> 9度，西北风1级，空气良89，相对温度73%\n> \
         ![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png)\n> \
         ###### 10点20分发布 [天气](https://www.dingalk.com) \n",
    );
    robot::SendRequest::new(
        ROBOT_TOKEN,
        robot::RobotMessage::Markdown(robot::MarkdownMessage::new(markdown)),
    )
    .at(robot::At::new()
        .at_mobiles(vec!["150XXXXXXXX".to_owned()])
        .at_user_ids(vec!["user123".to_owned()])
        .is_at_all(false))
}

fn action_card_message() -> robot::SendRequest {
    let card = robot::ActionCardContent::new(
        "乔布斯 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身",
        "![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png) \n\n \
         #### 乔布斯 20 年前想打造的苹果咖啡厅 \n\n Apple Store 的设计正从原来满满的科技感走向生活化，\
         而其生活化的走向其实可以追溯到 20 年前苹果一个建立咖啡馆的计划",
    )
    .btn_orientation(robot::ActionCardBtnOrientation::Vertical)
    .btns(vec![
        robot::ActionCardButton::new("内容不错", "https://www.dingtalk.com/"),
        robot::ActionCardButton::new("不感兴趣", "https://www.dingtalk.com/"),
    ]);
    robot::SendRequest::new(
        ROBOT_TOKEN,
        robot::RobotMessage::ActionCard(robot::ActionCardMessage::new(card)),
    )
}

fn feed_card_message() -> robot::SendRequest {
    let links = vec![
        robot::FeedCardLink::new("时代的火车向前开1", "https://www.dingtalk.com/", PIC),
        robot::FeedCardLink::new("时代的火车向前开2", "https://www.dingtalk.com/", PIC),
    ];
    robot::SendRequest::new(
        ROBOT_TOKEN,
        robot::RobotMessage::FeedCard(robot::FeedCardMessage::new(robot::FeedCardContent::new(
            links,
        ))),
    )
}

/// The 加签 signature recomputed from the received timestamp, independently of the runtime
/// (自定义机器人安全设置: HmacSHA256 of `timestamp + "\n" + secret` keyed with the secret,
/// then Base64).
fn robot_sign(timestamp: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(ROBOT_SECRET.as_bytes()).expect("any key");
    mac.update(format!("{timestamp}\n{ROBOT_SECRET}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn robot_send_posts_each_message_type_as_the_pages_json_with_a_signed_query() {
    let cases = [
        ("text with at", text_message(), TEXT_EXAMPLE),
        ("markdown", markdown_message(), MARKDOWN_EXAMPLE),
        (
            "actionCard with btns",
            action_card_message(),
            ACTION_CARD_EXAMPLE,
        ),
        ("feedCard", feed_card_message(), FEED_CARD_EXAMPLE),
    ];
    for (case, message, expected_body) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/robot/send"))
            .and(query_param("access_token", ROBOT_TOKEN))
            .respond_with(page_example(ROBOT_SEND_EXAMPLE))
            .expect(1)
            .mount(&server)
            .await;

        client(&server)
            .robot()
            .send(message)
            .await
            .unwrap_or_else(|err| panic!("{case}: the example (errcode \"0\") is success: {err}"));

        let request = the_one_request(&server).await;
        assert_eq!(
            header(&request, "content-type"),
            Some("application/json;charset=UTF-8"),
            "{case}"
        );
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        assert_eq!(
            body,
            json_of(expected_body),
            "{case}: the page's example body"
        );

        let names: Vec<String> = query(&request).into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["access_token", "timestamp", "sign"], "{case}");
        let timestamp = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "timestamp")
            .map(|(_, v)| v.into_owned())
            .expect("a timestamp");
        assert!(
            timestamp.len() == 13 && timestamp.bytes().all(|b| b.is_ascii_digit()),
            "{case}: milliseconds since the epoch: {timestamp}"
        );
        let sign = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "sign")
            .map(|(_, v)| v.into_owned());
        assert_eq!(sign, Some(robot_sign(&timestamp)), "{case}");
    }
}

#[tokio::test]
async fn robot_send_is_not_sent_the_app_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/robot/send"))
        .and(query_param("access_token", ROBOT_TOKEN))
        .respond_with(page_example(ROBOT_SEND_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .robot()
        .send(text_message())
        .await
        .expect("success");

    let request = the_one_request(&server).await;
    let tokens: Vec<String> = query(&request)
        .into_iter()
        .filter(|(k, _)| k == "access_token")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(tokens, [ROBOT_TOKEN], "the robot's token only, once");
    assert!(header(&request, "x-acs-dingtalk-access-token").is_none());
}

// ---------------------------------------------------------------------------------------------
// user listid (008_user_listid.txt)
// ---------------------------------------------------------------------------------------------

/// 响应体示例 of 获取部门用户userid列表, as the page prints it.
const USER_LISTID_EXAMPLE: &str = r#"{
  "errcode": 0,
  "errmsg":"ok",
  "result": {
    "userid_list": [
      "usxxx",
      "manager4xxx",
      "10203029011xxxx",
      "usexxx"
    ]
  },
  "request_id": "3naksldjh0dk"
}"#;

#[tokio::test]
async fn user_listid_posts_dept_id_as_a_form_with_the_token_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/topapi/user/listid"))
        .and(query_param("access_token", TOKEN))
        .respond_with(page_example(USER_LISTID_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .user()
        .list_ids(user::ListIdsRequest::new(100))
        .await
        .expect("the example decodes");

    assert_eq!(response.request_id.as_deref(), Some("3naksldjh0dk"));
    assert_eq!(
        response.result.and_then(|r| r.userid_list),
        Some(vec![
            "usxxx".to_owned(),
            "manager4xxx".to_owned(),
            "10203029011xxxx".to_owned(),
            "usexxx".to_owned()
        ])
    );
    let request = the_one_request(&server).await;
    assert_eq!(String::from_utf8_lossy(&request.body), "dept_id=100");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        query(&request),
        [("access_token".to_owned(), TOKEN.to_owned())]
    );
}

/// The examples above are the pages' own text, byte for byte.
#[test]
fn the_examples_are_copied_verbatim_from_the_pages() {
    let sources = [
        (
            include_str!("../../specs/dingtalk/sources/004_media_upload.txt"),
            &[MEDIA_UPLOAD_EXAMPLE][..],
        ),
        (
            include_str!("../../specs/dingtalk/sources/005_robot_send.txt"),
            &[ROBOT_SEND_EXAMPLE][..],
        ),
        (
            include_str!("../../specs/dingtalk/sources/006_robot_message_type.txt"),
            &[
                TEXT_EXAMPLE,
                MARKDOWN_EXAMPLE,
                ACTION_CARD_EXAMPLE,
                FEED_CARD_EXAMPLE,
            ][..],
        ),
        (
            include_str!("../../specs/dingtalk/sources/008_user_listid.txt"),
            &[USER_LISTID_EXAMPLE][..],
        ),
    ];
    for (page, examples) in sources {
        for example in examples {
            assert!(page.contains(example), "not on its page:\n{example}");
        }
    }
}
