//! The inputs of the cases, built once per run: response bodies as the platforms send them
//! and the data of the requests.

use serde_json::json;

/// `report.get_unread_count`'s answer: a typical small call response with its envelope.
pub fn unread_count() -> Vec<u8> {
    br#"{"errcode":0,"errmsg":"ok","count":3,"request_id":"4f7d7a5e8d"}"#.to_vec()
}

/// `org.get_org_child_list` with 10,000 entries; half the orders arrive as strings, as tze's
/// example sends them.
pub fn org_list() -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            let order = if i % 2 == 0 {
                json!(i)
            } else {
                json!(i.to_string())
            };
            json!({
                "org_id": format!("org{i}"),
                "org_name": format!("部门{i}"),
                "parent_id": "root",
                "org_type": ((i % 10) + 1).to_string(),
                "display_order": order,
            })
        })
        .collect();
    to_vec(&json!({
        "code": "000000",
        "message": "成功",
        "result": {"count": 10_000, "list": list},
    }))
}

/// `blackboard.get` of an announcement read by 200 users of 50 departments.
pub fn blackboard() -> Vec<u8> {
    let users: Vec<_> = (0..200)
        .map(|i| json!({"staff_id": format!("user{i:04}"), "name": format!("员工{i}")}))
        .collect();
    let depts: Vec<_> = (0..50)
        .map(|i| json!({"dept_id": i.to_string(), "name": format!("部门{i}")}))
        .collect();
    to_vec(&json!({
        "errcode": 0,
        "errmsg": "ok",
        "success": true,
        "request_id": "q5ddepxxxx",
        "result": {
            "id": "9uiuihhgui989huh",
            "author": "杨xx",
            "title": "入职须知",
            "content": "欢迎加入我们的大家庭".repeat(20),
            "category_id": "1",
            "private_level": 0,
            "depname_list": (0..50).map(|i| format!("部门{i}")).collect::<Vec<_>>(),
            "username_list": (0..200).map(|i| format!("员工{i}")).collect::<Vec<_>>(),
            "gmt_create": "2021-01-01 00:00:00",
            "gmt_modified": "2021-01-02 00:00:00",
            "read_count": 120,
            "unread_count": 80,
            "coverpic_url": "@lADPDe7s2ySi18PNA6XNBXg",
            "user_list": users,
            "dept_list": depts,
        },
    }))
}

/// A `link` work notification: the variant's object beside the `msgtype` tag, which comes
/// first as in the document's examples (written out, as `json!` would sort the members).
pub fn link_notification() -> Vec<u8> {
    concat!(
        r#"{"msgtype":"link","link":{"messageUrl":"https://www.dingtalk.com/notice/1","#,
        r#""picUrl":"@lALOACZwe2Rk","title":"入职须知","#,
        r#""text":"欢迎加入我们的大家庭，请在本周内完成入职手续。"}}"#
    )
    .as_bytes()
    .to_vec()
}

/// The card items of the card cases (text, link and action of a LIST card).
pub fn card_items() -> Vec<(String, String, String)> {
    (0..3)
        .map(|i| {
            (
                format!("待办事项 {i}"),
                format!("https://example.com/todo/{i}"),
                format!("dingtalk://open?todo={i}"),
            )
        })
        .collect()
}

/// A LIST card: `type` first, as in the document's example, and the card in `data`.
pub fn card() -> Vec<u8> {
    let items: Vec<_> = card_items()
        .into_iter()
        .map(|(text, jump_url, action)| json!({"text": text, "jump_url": jump_url, "action": action}))
        .collect();
    let data = to_vec(&json!({ "items": items }));
    [br#"{"type":"LIST","data":"#.as_slice(), &data, b"}"].concat()
}

/// `auth.get_token`'s answer, whose token is a secret.
pub fn token() -> Vec<u8> {
    br#"{"errcode":0,"errmsg":"ok","access_token":"fw8ef8we8f76e6f7s8df8s9df8","expires_in":7200}"#
        .to_vec()
}

/// The receivers of the large request.
pub fn user_ids() -> Vec<String> {
    (0..1000).map(|i| format!("user{i:04}")).collect()
}

fn to_vec(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}
