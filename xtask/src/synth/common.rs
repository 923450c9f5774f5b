//! The types-only group: a model other groups refer to, and a message union no operation
//! sends (like tze's message bodies), which users build themselves.

use super::fields::{nodes, Field};
use super::HEADER;
use crate::yaml::{self, Node};

/// The shared model's name; groups put it in some responses.
pub(super) const OPERATOR: &str = "OperatorInfo";

pub(super) fn file() -> String {
    let header = format!(
        "{}: types shared by the groups. Do not edit by hand.",
        &HEADER[2..]
    );
    let entries = vec![
        ("group", yaml::string("common")),
        ("title", yaml::string("公共类型")),
        (
            "description",
            yaml::string("Types the document defines without an endpoint of their own."),
        ),
        ("operations", Node::Seq(Vec::new())),
        ("models", Node::Spaced(models())),
        ("unions", Node::Seq(vec![notice()])),
    ];
    yaml::document(&[&header], &entries)
}

fn model(name: &str, description: &str, fields: Vec<Field>) -> Node {
    Node::Map(vec![
        ("name", yaml::string(name)),
        ("description", yaml::string(description)),
        ("fields", nodes(fields)),
    ])
}

fn models() -> Vec<Node> {
    vec![
        model(
            OPERATOR,
            "操作人信息。",
            vec![
                Field::new("userid", "string")
                    .required()
                    .described("操作人的userId。"),
                Field::new("name", "string").described("操作人姓名。"),
                Field::new("avatar", "string"),
            ],
        ),
        model(
            "NoticeText",
            "The fields of a `text` notice beside its tag.",
            vec![Field::new("text", "NoticeTextContent").required()],
        ),
        model(
            "NoticeTextContent",
            "文本消息体。",
            vec![Field::new("content", "string")
                .required()
                .example(yaml::string("hello"))
                .limit("max_length", 2048)],
        ),
        model(
            "NoticeLink",
            "The fields of a `link` notice beside its tag.",
            vec![Field::new("link", "NoticeLinkContent").required()],
        ),
        model(
            "NoticeLinkContent",
            "链接消息体。",
            vec![
                Field::new("messageUrl", "string").required(),
                Field::new("picUrl", "string"),
                Field::new("title", "string").required(),
            ],
        ),
    ]
}

fn notice() -> Node {
    let variant = |value: &str, name: &str| {
        Node::Flow(vec![
            ("value", yaml::string(value)),
            ("name", yaml::string(name)),
            ("type", yaml::string(&format!("Notice{}", capitalize(name)))),
        ])
    };
    Node::Map(vec![
        ("name", yaml::string("Notice")),
        (
            "description",
            yaml::string("通知消息体,`msgtype` 决定其类型。"),
        ),
        ("tag", yaml::string("msgtype")),
        (
            "note",
            yaml::string("The document defines the bodies without the endpoint that sends them."),
        ),
        (
            "variants",
            Node::Seq(vec![variant("text", "text"), variant("link", "link")]),
        ),
    ])
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
