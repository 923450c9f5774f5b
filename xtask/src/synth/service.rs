//! The service file: bases with every envelope style and error meaning, the token operation
//! and a list of undocumented endpoints that grows with the set.

use super::vocabulary::NOUNS;
use super::{group, Config, HEADER, PLATFORM, SOURCE_DOCUMENT};
use crate::yaml::{self, Node};

pub(super) fn file(config: &Config) -> String {
    let header = format!(
        "{} with {} operation(s), seed {:#x}. Do not edit by hand.",
        &HEADER[2..],
        config.endpoints,
        config.seed
    );
    let mut entries = vec![
        ("platform", yaml::string(PLATFORM)),
        ("title", yaml::string("合成开放平台")),
        (
            "description",
            yaml::string(
                "A synthetic platform for benchmarks and property tests, shaped like the\n\
                 DingTalk, Chengxun and tze specs: `classic` is a body-code API with the token\n\
                 in the query, `modern` a REST API with the token in a header, and `open` needs\n\
                 no token.\n",
            ),
        ),
        // `cargo xtask synth` writes this document beside the specs (see `SOURCE_DOCUMENT`).
        (
            "sources",
            Node::Seq(vec![Node::Flow(vec![
                ("file", yaml::string(SOURCE_DOCUMENT.0)),
                ("title", yaml::string("Synthetic specs (cargo xtask synth)")),
            ])]),
        ),
        ("bases", Node::Seq(vec![classic(), modern(), open()])),
    ];
    let undocumented = undocumented(config);
    if !undocumented.is_empty() {
        entries.push(("undocumented", Node::Seq(undocumented)));
    }
    if config.endpoints > 0 {
        let issuer = Node::Flow(vec![
            (
                "operation",
                yaml::string(&format!("{}.get_token", group::name(0))),
            ),
            ("token_field", yaml::string("access_token")),
            ("expires_in_field", yaml::string("expires_in")),
        ]);
        entries.push((
            "credentials",
            Node::Seq(vec![Node::Map(vec![
                ("id", yaml::string("app")),
                ("issued_by", Node::Seq(vec![issuer])),
            ])]),
        ));
    }
    yaml::document(&[&header], &entries)
}

fn code(code: Node, meaning: &str, description: &str) -> Node {
    Node::Flow(vec![
        ("code", code),
        ("meaning", yaml::string(meaning)),
        ("description", yaml::string(description)),
    ])
}

/// DingTalk's `oapi`: integer codes in the body, with sub codes behind `see_sub_code`.
fn classic() -> Node {
    let codes = [
        (-1, "busy", "系统繁忙"),
        (88, "see_sub_code", "鉴权异常"),
        (40014, "token_invalid", "不合法的access_token"),
        (42001, "token_invalid", "access_token超时"),
        (45009, "rate_limited", "接口调用超过限制"),
        (60011, "permission_denied", "管理员权限不足"),
        (60020, "ip_not_allowed", "访问ip不在白名单之中"),
        (90001, "banned", "服务器调用所有接口的请求都被暂时禁用了"),
        (90020, "quota_exceeded", "企业本月api调用量已超过限制"),
    ];
    Node::Map(vec![
        ("id", yaml::string("classic")),
        ("url", yaml::string("https://oapi.synth.example.com")),
        (
            "description",
            yaml::string("The classic API: HTTP 200 and `errcode` in every body."),
        ),
        (
            "auth",
            Node::Map(vec![
                ("in", yaml::string("query")),
                ("name", yaml::string("access_token")),
            ]),
        ),
        (
            "envelope",
            Node::Map(vec![
                ("style", yaml::string("body_code")),
                ("code_field", yaml::string("errcode")),
                ("code_type", yaml::string("integer")),
                ("success", yaml::int(0)),
                ("message_field", yaml::string("errmsg")),
                ("request_id_field", yaml::string("request_id")),
                ("sub_code_field", yaml::string("sub_code")),
                ("sub_message_field", yaml::string("sub_msg")),
            ]),
        ),
        (
            "error_codes",
            Node::Seq(
                codes
                    .iter()
                    .map(|(c, m, d)| code(yaml::int(*c), m, d))
                    .collect(),
            ),
        ),
        (
            "sub_codes",
            Node::Seq(vec![
                code(
                    yaml::string("60011"),
                    "permission_denied",
                    "没有调用该接口的权限",
                ),
                code(
                    yaml::string("90018"),
                    "rate_limited",
                    "单个应用调用频率超过限制",
                ),
            ]),
        ),
    ])
}

/// DingTalk's `api`: HTTP status plus a string code, the token in a header.
fn modern() -> Node {
    let codes = [
        (
            "InvalidAuthentication",
            "token_invalid",
            "不合法的access_token",
        ),
        ("Throttling.Api", "rate_limited", "接口调用频率超过限制"),
        ("ServiceUnavailable", "busy", "服务暂不可用"),
        (
            "Forbidden.AccessDenied",
            "permission_denied",
            "没有调用该接口的权限",
        ),
        (
            "Forbidden.QuotaExceeded",
            "quota_exceeded",
            "本月调用量已超过限制",
        ),
    ];
    Node::Map(vec![
        ("id", yaml::string("modern")),
        ("url", yaml::string("https://api.synth.example.com")),
        (
            "auth",
            Node::Flow(vec![
                ("in", yaml::string("header")),
                ("name", yaml::string("x-acs-synth-access-token")),
            ]),
        ),
        (
            "envelope",
            Node::Map(vec![
                ("style", yaml::string("http_status")),
                ("code_field", yaml::string("code")),
                ("code_type", yaml::string("string")),
                ("message_field", yaml::string("message")),
                ("request_id_field", yaml::string("requestid")),
            ]),
        ),
        (
            "error_codes",
            Node::Seq(
                codes
                    .iter()
                    .map(|(c, m, d)| code(yaml::string(c), m, d))
                    .collect(),
            ),
        ),
    ])
}

/// tze's style without a token: a string success code in the body.
fn open() -> Node {
    Node::Map(vec![
        ("id", yaml::string("open")),
        ("url", yaml::string("https://open.synth.example.com/api")),
        ("auth", Node::Flow(vec![("in", yaml::string("none"))])),
        (
            "envelope",
            Node::Map(vec![
                ("style", yaml::string("body_code")),
                ("code_field", yaml::string("code")),
                ("code_type", yaml::string("string")),
                ("success", yaml::string("000000")),
                ("message_field", yaml::string("message")),
            ]),
        ),
        (
            "error_codes",
            Node::Seq(vec![code(
                yaml::string("100002"),
                "busy",
                "系统繁忙,请稍后重试",
            )]),
        ),
    ])
}

/// One undocumented endpoint per twenty operations, as the documents' navigation lists a
/// few pages they never fill in.
fn undocumented(config: &Config) -> Vec<Node> {
    let group_size = config.group_size.max(1);
    (0..config.endpoints.div_ceil(20))
        .map(|i| {
            let noun = &NOUNS[i % NOUNS.len()];
            let section = format!("合成分组 {}", group::name(i * 20 / group_size));
            let mut entry = vec![
                ("section", yaml::string(&section)),
                ("title", yaml::string(&format!("归档{} {i}", noun.zh))),
            ];
            if i % 2 == 0 {
                entry.push(("method", yaml::string(["POST", "PUT", "GET"][i / 2 % 3])));
            }
            Node::Flow(entry)
        })
        .collect()
}
