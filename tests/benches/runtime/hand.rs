//! The baselines: what a careful engineer writes by hand with serde's derive for the same
//! wire shapes, checking the envelope and the limits the documents state in the same pass.

use serde::{Deserialize, Serialize};

// ----- a small call response with its envelope (report.get_unread_count) -------------------

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct UnreadCount {
    pub errcode: i64,
    pub errmsg: Option<String>,
    pub count: Option<i32>,
    pub request_id: Option<String>,
}

/// Decodes and checks the envelope, as the generated client does.
pub fn unread_count(body: &[u8]) -> Result<Option<i32>, String> {
    let response: UnreadCount = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if response.errcode != 0 {
        return Err(response.errmsg.unwrap_or_default());
    }
    Ok(response.count)
}

// ----- the 10,000-entry listing with lenient fields (tze org.get_org_child_list) -----------

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct OrgResponse {
    pub code: String,
    pub message: Option<String>,
    pub result: Option<OrgList>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct OrgList {
    pub count: Option<i32>,
    pub list: Option<Vec<Org>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Org {
    pub org_id: String,
    pub org_name: String,
    pub parent_id: String,
    pub org_type: String,
    #[serde(deserialize_with = "number_or_string")]
    pub display_order: i32,
}

/// tze's example sends `display_order` as a string where the table says int.
fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(i32),
        Text(String),
    }
    match Either::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

pub fn org_list(body: &[u8]) -> Result<usize, String> {
    let response: OrgResponse = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if response.code != "000000" {
        return Err(response.message.unwrap_or_default());
    }
    Ok(response.result.and_then(|r| r.list).map_or(0, |l| l.len()))
}

// ----- a nested response (blackboard.get) -----------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct BlackboardGet {
    pub errcode: i64,
    pub errmsg: Option<String>,
    pub result: Option<Blackboard>,
    pub success: Option<bool>,
    pub request_id: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Blackboard {
    pub id: Option<String>,
    pub author: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub category_id: Option<String>,
    pub private_level: Option<i32>,
    pub depname_list: Option<Vec<String>>,
    pub username_list: Option<Vec<String>>,
    pub gmt_create: Option<String>,
    pub gmt_modified: Option<String>,
    pub read_count: Option<i32>,
    pub unread_count: Option<i32>,
    pub coverpic_url: Option<String>,
    pub user_list: Option<Vec<BlackboardUser>>,
    pub dept_list: Option<Vec<BlackboardDept>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct BlackboardUser {
    pub staff_id: Option<String>,
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct BlackboardDept {
    pub dept_id: Option<String>,
    pub name: Option<String>,
}

pub fn blackboard(body: &[u8]) -> Result<usize, String> {
    let response: BlackboardGet = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if response.errcode != 0 {
        return Err(response.errmsg.unwrap_or_default());
    }
    Ok(response
        .result
        .and_then(|r| r.user_list)
        .map_or(0, |l| l.len()))
}

// ----- a tagged union whose variant's fields sit beside the tag (work notification msg) -------

#[derive(Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "snake_case")]
pub enum Notification {
    Text { text: Text },
    Link { link: Link },
}

#[derive(Serialize, Deserialize)]
pub struct Text {
    pub content: String,
}

#[derive(Serialize, Deserialize)]
pub struct Link {
    #[serde(rename = "messageUrl")]
    pub message_url: String,
    #[serde(rename = "picUrl")]
    pub pic_url: String,
    pub title: String,
    pub text: String,
}

// ----- a tagged union with its content in a sibling field (Chengxun card data) ----------------

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum Card {
    #[serde(rename = "LIST")]
    List(CardList),
    #[serde(rename = "KEYDATA")]
    KeyData(CardList),
}

#[derive(Serialize, Deserialize)]
pub struct CardList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CardItem>>,
}

#[derive(Serialize, Deserialize)]
pub struct CardItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jump_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

/// The card request's body: the card beside `replace_user_data`.
#[derive(Serialize)]
pub struct CardRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_user_data: Option<bool>,
    #[serde(flatten)]
    pub card: &'a Card,
}

/// The limits the card document states, checked by hand before sending: at most 3 list
/// items; text at most 100 characters, links at most 300.
pub fn check_card(card: &Card) -> Result<(), String> {
    let (Card::List(list) | Card::KeyData(list)) = card;
    let items = list.items.as_deref().unwrap_or_default();
    if items.len() > 3 {
        return Err(format!("items: {} items, more than 3", items.len()));
    }
    let within = |value: &Option<String>, max: usize| {
        value.as_deref().is_none_or(|v| v.chars().count() <= max)
    };
    for (i, item) in items.iter().enumerate() {
        if !within(&item.text, 100) || !within(&item.jump_url, 300) || !within(&item.action, 300) {
            return Err(format!("items[{i}]: too long"));
        }
    }
    Ok(())
}

// ----- a request with a large list (blackboard.create) ---------------------------------------

#[derive(Serialize)]
pub struct BlackboardCreate<'a> {
    pub create_request: BlackboardCreateVo<'a>,
}

#[derive(Serialize)]
pub struct BlackboardCreateVo<'a> {
    pub operation_userid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    pub blackboard_receiver: BlackboardReceiver<'a>,
    pub title: &'a str,
    pub content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_top: Option<bool>,
}

#[derive(Serialize)]
pub struct BlackboardReceiver<'a> {
    pub deptid_list: &'a [i64],
    pub userid_list: &'a [String],
}

// ----- a response holding a secret (auth.get_token) -------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Token {
    pub errcode: i64,
    pub errmsg: Option<String>,
    pub access_token: Option<String>,
    pub expires_in: Option<i64>,
}

pub fn token(body: &[u8]) -> Result<Option<String>, String> {
    let response: Token = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if response.errcode != 0 {
        return Err(response.errmsg.unwrap_or_default());
    }
    Ok(response.access_token)
}
