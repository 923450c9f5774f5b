//! The endpoint shapes: the deck that deals them, and how an operation of each shape is built.

use super::fields::{any_term, not_type, scalar_term, Field, Side};
use super::operation::{Base, Ctx, Op};
use super::random::{Rng, DECK_SALT};
use super::sprinkle::sprinkle;
use crate::yaml::{self, Node};

/// The kinds of endpoint the hand-written specs have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// The token operation (only the very first operation).
    Token,
    /// POST with a flat JSON body of 2-8 members.
    Plain,
    /// POST with a model parameter nested two or three levels deep.
    Nested,
    /// An idempotent POST returning a list of nested models.
    Query,
    /// A paginated listing; the two cards of a deck page in two different ways.
    Paged(usize),
    /// GET with query parameters.
    Get,
    /// PUT, PATCH or DELETE on a REST path with path parameters.
    Resource,
    /// POST with a tag+content union flattened into the body (Chengxun's cards).
    Card,
    /// POST with a union whose tag sits beside its fields (tze's messages).
    Event,
    /// An endpoint of the base without a token.
    Open,
}

/// Each block of twenty operations is this deck, shuffled: 30% plain POSTs, 15% nested
/// bodies, 10% queries, 10% listings, 10% GETs, 10% REST resources, 5% each of the rest.
const DECK: [Shape; 20] = {
    use Shape::*;
    [
        Plain,
        Plain,
        Plain,
        Plain,
        Plain,
        Plain,
        Nested,
        Nested,
        Nested,
        Query,
        Query,
        Paged(0),
        Paged(1),
        Get,
        Get,
        Resource,
        Resource,
        Card,
        Event,
        Open,
    ]
};

/// The token operation comes first, then the shuffled decks, so that operations 1 to 20
/// hold one full deck.
pub(super) fn shape(seed: u64, index: usize) -> Shape {
    let Some(dealt) = index.checked_sub(1) else {
        return Shape::Token;
    };
    let mut deck = DECK;
    Rng::new(seed, DECK_SALT, dealt / DECK.len()).shuffle(&mut deck);
    deck[dealt % DECK.len()]
}

/// One operation of `shape`. The token, card, event and open shapes are returned as built;
/// the others then get the constructs of [`sprinkle`].
pub(super) fn build(ctx: &mut Ctx<'_>, shape: Shape) -> Op {
    let mut op = match shape {
        Shape::Token => return token(ctx),
        Shape::Plain => plain(ctx),
        Shape::Nested => nested(ctx),
        Shape::Query => query(ctx),
        Shape::Paged(card) => paged(ctx, card),
        Shape::Get => get(ctx),
        Shape::Resource => resource(ctx),
        Shape::Card => return card(ctx),
        Shape::Event => return event(ctx),
        Shape::Open => return open(ctx),
    };
    sprinkle(ctx, &mut op);
    op
}

/// DingTalk's `gettoken`: the secret travels in the query, the token comes back as a
/// secret.
fn token(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("get", "获取"), "GET", Base::Classic);
    op.id = "get_token".to_owned();
    op.summary = "获取企业内部应用的access_token".to_owned();
    op.doc = Some(format!("{} - 合成开放平台", op.summary));
    op.path = "/gettoken".to_owned();
    op.auth = Some(false);
    op.query = vec![
        Field::new("appkey", "string")
            .required()
            .example(yaml::string("dingeqqpkv3xxxx"))
            .described("应用的唯一标识key。"),
        Field::new("appsecret", "secret")
            .required()
            .example(yaml::string("GT-lsu-taDAsTsxxxx"))
            .described("应用的密钥。"),
    ];
    op.response.extend([
        Field {
            doc_type: Some("String"),
            ..Field::new("access_token", "secret")
                .required()
                .note("a string on the wire; a secret so that it never shows in logs")
        },
        Field::new("expires_in", "int64")
            .example(yaml::int(7200))
            .described("access_token的过期时间,单位秒。"),
    ]);
    op
}

const CHANGE_VERBS: &[(&str, &str)] = &[
    ("create", "创建"),
    ("update", "更新"),
    ("send", "发送"),
    ("remove", "移除"),
    ("set", "设置"),
];

/// A plain POST: 2-8 members, a scalar or (30%) nested result.
fn plain(ctx: &mut Ctx<'_>) -> Op {
    let verb = *ctx.rng.pick(CHANGE_VERBS);
    let mut op = Op::new(ctx, verb, "POST", Base::Classic);
    let count = ctx.rng.between(2, 8);
    op.body = ctx.terms(count, Base::Classic, Side::Request, any_term);
    op.response.push(result(ctx, Base::Classic, 30));
    op
}

/// The `result` member: a nested model `percent` times in a hundred, else a scalar.
fn result(ctx: &mut Ctx<'_>, base: Base, percent: usize) -> Field {
    let name = ctx.wire(base, "result");
    if ctx.rng.chance(percent) {
        let depth = ctx.rng.between(2, 3);
        let model = ctx.nested("Result", depth, base, Side::Response);
        return Field::new(name, model).described("返回结果。");
    }
    Field::new(name, "string")
        .example(yaml::string("175abec4de6bd"))
        .described("调用结果。")
}

/// A POST whose main parameter is a model two or three levels deep.
fn nested(ctx: &mut Ctx<'_>) -> Op {
    let verb = *ctx
        .rng
        .pick(&[("save", "保存"), ("submit", "提交"), ("create", "创建")]);
    let base = if ctx.rng.chance(70) {
        Base::Classic
    } else {
        Base::Modern
    };
    let mut op = Op::new(ctx, verb, "POST", base);
    let depth = ctx.rng.between(2, 3);
    let param = ctx.nested("Param", depth, base, Side::Request);
    let extra = ctx.rng.between(0, 2);
    let name = format!("{}_param", ctx.noun.snake);
    op.body.push(
        Field::new(ctx.wire(base, &name), param)
            .required()
            .described("请求参数对象。"),
    );
    op.body
        .extend(ctx.terms(extra, base, Side::Request, any_term));
    op.response.push(result(ctx, base, 50));
    op
}

/// An idempotent POST that returns a list of nested models.
fn query(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("query", "查询"), "POST", Base::Classic);
    op.idempotent = Some(true);
    let count = ctx.rng.between(1, 4);
    op.body = ctx.terms(count, Base::Classic, Side::Request, any_term);
    let item = ctx.nested("Item", 2, Base::Classic, Side::Response);
    op.response
        .push(Field::new("result", format!("list<{item}>")).described("查询结果列表。"));
    if ctx.rng.chance(50) {
        op.response.push(
            Field::new("request_id", "string")
                .example(yaml::string("3qwbhu6edlcz"))
                .described("请求ID。"),
        );
    }
    op
}

/// A listing in one of the four ways the documents page: a cursor in the body, a string
/// token in the query, an offset, or a page number inside a query object. The two cards
/// of a deck take two of them, the next deck the other two.
fn paged(ctx: &mut Ctx<'_>, card: usize) -> Op {
    let deck = (ctx.index - 1) / DECK.len();
    match (2 * deck + card) % 4 {
        0 => cursor_body(ctx),
        1 => cursor_query(ctx),
        2 => offset(ctx),
        _ => page(ctx),
    }
}

fn pagination(entries: Vec<(&'static str, &str)>) -> Option<Node> {
    Some(Node::Map(
        entries
            .into_iter()
            .map(|(key, value)| (key, yaml::string(value)))
            .collect(),
    ))
}

fn page_size(name: &str, max: i64) -> Field {
    Field::new(name, "int32")
        .required()
        .example(yaml::int(10))
        .described(format!("每页数据量,最大值为{max}。"))
        .limit("min", 1)
        .limit("max", max)
}

/// DingTalk's report list: `cursor` in the body, `result.next_cursor` and `has_more`.
fn cursor_body(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("list", "获取"), "POST", Base::Classic);
    op.idempotent = Some(true);
    let count = ctx.rng.between(1, 4);
    op.body = ctx.terms(count, Base::Classic, Side::Request, any_term);
    op.body.push(
        Field::new("cursor", "int64")
            .required()
            .example(yaml::int(0))
            .described("查询游标,初始传入0,后续从上一次的返回值中获取。"),
    );
    op.body.push(page_size("size", 20));
    let item = ctx.nested("Item", 2, Base::Classic, Side::Response);
    let page = ctx.type_name("Page");
    let fields = vec![
        Field::new("data_list", format!("list<{item}>")).described("数据列表。"),
        Field::new("next_cursor", "int64").described("下一次查询的游标。"),
        Field::new("has_more", "boolean").described("是否还有更多数据。"),
    ];
    ctx.model(&page, "分页结果。", fields);
    op.response
        .push(Field::new("result", page).described("返回结果。"));
    op.pagination = pagination(vec![
        ("style", "cursor"),
        ("request", "cursor"),
        ("items", "result.data_list"),
        ("next", "result.next_cursor"),
        ("has_more", "result.has_more"),
        ("size", "size"),
    ]);
    op
}

/// DingTalk's v1.0 listings: a string `nextToken` in the query, members at the top.
fn cursor_query(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("list", "获取"), "GET", Base::Modern);
    let count = ctx.rng.between(0, 2);
    op.query = ctx.terms(count, Base::Modern, Side::Request, scalar_term);
    op.query.push(
        Field::new("nextToken", "string")
            .described("分页游标,首次不传。")
            .example(yaml::string("")),
    );
    op.query.push(page_size("maxResults", 50));
    op.response = vec![
        Field::new("list", "list<string>").described("ID列表。"),
        Field::new("nextToken", "string").described("下一页的游标,为空表示没有更多数据。"),
        Field::new("hasMore", "boolean"),
    ];
    op.pagination = pagination(vec![
        ("style", "cursor"),
        ("request", "nextToken"),
        ("items", "list"),
        ("next", "nextToken"),
        ("has_more", "hasMore"),
        ("size", "maxResults"),
    ]);
    op
}

/// DingTalk's statistics listing: an `offset` that the response's `next_cursor` advances.
fn offset(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("list", "获取"), "POST", Base::Classic);
    op.idempotent = Some(true);
    let count = ctx.rng.between(1, 3);
    op.body = ctx.terms(count, Base::Classic, Side::Request, any_term);
    op.body.push(Field {
        doc_type: Some("String"),
        ..Field::new("userids", "csv<string>")
            .described("员工userId,多个用英文逗号分隔。")
            .limit("max_items", 50)
    });
    op.body.push(Field {
        default: Some(yaml::int(0)),
        ..Field::new("offset", "int64")
            .example(yaml::int(0))
            .described("分页查询的游标,最开始传0。")
    });
    op.body.push(Field {
        required: false,
        default: Some(yaml::int(100)),
        ..page_size("size", 100)
    });
    let page = ctx.type_name("Page");
    let fields = vec![
        Field::new("userid_list", "list<string>").described("员工userId列表。"),
        Field::new("next_cursor", "int64"),
        Field::new("has_more", "boolean"),
    ];
    ctx.model(&page, "分页结果。", fields);
    op.response.push(Field::new("result", page));
    op.pagination = pagination(vec![
        ("style", "offset"),
        ("request", "offset"),
        ("items", "result.userid_list"),
        ("next", "result.next_cursor"),
        ("has_more", "result.has_more"),
    ]);
    op
}

/// DingTalk's blackboard listing: the page number inside a required query object.
fn page(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("list", "获取"), "POST", Base::Classic);
    op.idempotent = Some(true);
    let query = ctx.type_name("PageQuery");
    let count = ctx.rng.between(1, 3);
    let mut fields = ctx.terms(count, Base::Classic, Side::Request, any_term);
    fields.push(
        Field::new("page", "int32")
            .required()
            .example(yaml::int(1))
            .described("页码,从1开始。")
            .limit("min", 1),
    );
    fields.push(page_size("page_size", 30));
    ctx.model(&query, "分页查询条件。", fields);
    op.body.push(
        Field::new("query_request", query)
            .required()
            .described("请求对象。"),
    );
    let item = ctx.nested("Item", 1, Base::Classic, Side::Response);
    op.response
        .push(Field::new("result", format!("list<{item}>")).described("数据列表。"));
    op.pagination = pagination(vec![
        ("style", "page"),
        ("request", "query_request.page"),
        ("size", "query_request.page_size"),
        ("items", "result"),
    ]);
    op
}

/// A GET with 1-4 query parameters on either token base.
fn get(ctx: &mut Ctx<'_>) -> Op {
    let base = *ctx.rng.pick(&[Base::Classic, Base::Modern]);
    let mut op = Op::new(ctx, ("get", "获取"), "GET", base);
    let count = ctx.rng.between(1, 4);
    op.query = ctx.terms(count, base, Side::Request, scalar_term);
    if ctx.rng.chance(50) {
        let count = ctx.rng.between(2, 4);
        op.response
            .extend(ctx.terms(count, base, Side::Response, any_term));
    } else {
        op.response.push(result(ctx, base, 60));
    }
    op
}

/// A REST resource on the modern base: `/v1.0/<noun>/items/{id}` with PUT, PATCH or
/// DELETE, a tracing header, and a body for the first two.
fn resource(ctx: &mut Ctx<'_>) -> Op {
    let (verb, method) = *ctx.rng.pick(&[
        (("update", "更新"), "PUT"),
        (("patch", "修改"), "PATCH"),
        (("delete", "删除"), "DELETE"),
    ]);
    let mut op = Op::new(ctx, verb, method, Base::Modern);
    let id_name = format!("{}Id", ctx.noun.snake);
    let id_type = *ctx.rng.pick(&["string", "int64"]);
    op.path = format!("/v1.0/{}{}/items/{{{id_name}}}", ctx.noun.snake, ctx.index);
    op.path_params.push(
        Field::new(&id_name, id_type)
            .required()
            .described("资源ID。"),
    );
    if ctx.rng.chance(30) {
        op.path.push_str("/versions/{version}");
        op.path_params
            .push(Field::new("version", "int32").required());
    }
    op.headers.push(
        Field::new("x-acs-trace-id", "string")
            .described("调用方的追踪ID。")
            .limit("max_length", 64),
    );
    if method == "DELETE" {
        op.query = ctx.terms(1, Base::Modern, Side::Request, scalar_term);
    } else {
        let count = ctx.rng.between(2, 6);
        op.body = ctx.terms(count, Base::Modern, Side::Request, any_term);
    }
    // `deptId` names the path parameter of a department and a body member of others.
    op.query.retain(|f| f.name != id_name);
    op.body.retain(|f| f.name != id_name);
    if method == "PUT" && ctx.rng.chance(50) {
        op.idempotent = Some(false);
        op.note = Some("The document says a repeated call creates a second version.".to_owned());
    }
    op.response = vec![Field::new("success", "boolean")
        .required()
        .example(yaml::boolean(true))
        .described("是否成功。")];
    op
}

/// Chengxun's card data: a tag+content union flattened into the body, a `send_default`
/// header, a `bool_or_string` member.
fn card(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("set", "设置"), "POST", Base::Classic);
    op.headers.push(user_agent());
    op.body.push(Field {
        default: Some(yaml::boolean(false)),
        ..Field::new("replace_user_data", "boolean")
            .lenient("bool_or_string")
            .example(yaml::string("false"))
            .described("是否覆盖用户数据。")
            .note("the document's example sends the string \"false\"")
    });
    let union = card_union(ctx);
    op.body.push(Field {
        flatten: true,
        ..Field::new("card", union)
            .required()
            .example(Node::Flow(vec![
                ("type", yaml::string("KEYDATA")),
                ("data", Node::Flow(Vec::new())),
            ]))
            .described("卡片数据类型 (`type`) 和数据实体 (`data`)。")
    });
    let count = ctx.rng.between(0, 2);
    op.body
        .extend(ctx.terms(count, Base::Classic, Side::Request, not_type));
    op
}

pub(super) fn user_agent() -> Field {
    Field {
        default: Some(yaml::string("SYN")),
        send_default: true,
        ..Field::new("User-Agent", "string")
            .note("optional with the default SYN, which the client sends unless told otherwise")
    }
}

/// `{ type: LIST, data: {...} }` with a list, a key-data, a plain-string and an
/// unsupported variant.
fn card_union(ctx: &mut Ctx<'_>) -> String {
    let name = ctx.type_name("Card");
    let list_item = ctx.type_name("CardListItem");
    let list = ctx.type_name("CardList");
    let key_data = ctx.type_name("CardKeyData");
    let image = ctx.type_name("CardImage");
    ctx.model(
        &list_item,
        "One row of a LIST card.",
        vec![
            Field::new("text", "string").limit("max_length", 100),
            Field::new("jump_url", "string").limit("max_length", 300),
            Field {
                nullable: true,
                ..Field::new("timestamp", "timestamp_ms").described("时间戳 (null 为不显示)")
            },
        ],
    );
    ctx.model(
        &list,
        "`data` when `type` is LIST.",
        vec![Field::new("items", format!("list<{list_item}>")).limit("max_items", 3)],
    );
    ctx.model(
        &key_data,
        "`data` when `type` is KEYDATA.",
        vec![Field::new("items", "map<string>")],
    );
    ctx.model(
        &image,
        "`data` when `type` is IMAGE.",
        vec![Field::new("url", "string")],
    );
    let variant = |value: &str, name: &str, ty: &str| {
        vec![
            ("value", yaml::string(value)),
            ("name", yaml::string(name)),
            ("type", yaml::string(ty)),
        ]
    };
    let mut unsupported = variant("IMAGE", "image", &image);
    unsupported.push(("supported", yaml::boolean(false)));
    unsupported.push(("description", yaml::string("暂不支持该类型")));
    ctx.types.unions.push(Node::Map(vec![
        ("name", yaml::string(&name)),
        (
            "description",
            yaml::string("卡片数据; `data` 的结构取决于 `type`。"),
        ),
        ("tag", yaml::string("type")),
        ("content", yaml::string("data")),
        (
            "variants",
            Node::Seq(vec![
                Node::Flow(variant("LIST", "list", &list)),
                Node::Flow(variant("KEYDATA", "key_data", &key_data)),
                Node::Flow(variant("TEXT", "text", "string")),
                Node::Flow(unsupported),
            ]),
        ),
    ]));
    name
}

/// tze's messages: a union whose tag sits beside the variant's fields, sent as a member,
/// and a response with one member of each lenient kind.
fn event(ctx: &mut Ctx<'_>) -> Op {
    let mut op = Op::new(ctx, ("publish", "发布"), "POST", Base::Modern);
    let union = event_union(ctx);
    op.body.push(
        Field::new("event", union)
            .required()
            .described("事件内容,`msgtype` 决定其类型。"),
    );
    let count = ctx.rng.between(1, 2);
    op.body
        .extend(ctx.terms(count, Base::Modern, Side::Request, any_term));
    let ext = ctx.type_name("EventExt");
    ctx.model(&ext, "扩展信息。", vec![Field::new("source", "string")]);
    op.response = vec![
        Field::new("messageId", "string").required(),
        Field::new("displayOrder", "int32")
            .lenient("number_or_string")
            .doc_type("int")
            .note("the example sends \"1\""),
        Field::new("active", "boolean").lenient("bool_or_string"),
        Field::new("tagList", "list<string>").lenient("one_or_many"),
        Field::new("extInfo", ext).lenient("json_string"),
    ];
    op
}

fn event_union(ctx: &mut Ctx<'_>) -> String {
    let name = ctx.type_name("Event");
    let text = ctx.type_name("TextEvent");
    let text_content = ctx.type_name("TextContent");
    let link = ctx.type_name("LinkEvent");
    let link_content = ctx.type_name("LinkContent");
    ctx.model(
        &text_content,
        "文本消息体。",
        vec![Field::new("content", "string")
            .required()
            .limit("min_length", 1)
            .limit("max_length", 500)],
    );
    ctx.model(
        &text,
        "The fields of a `text` event beside its tag.",
        vec![Field::new("text", text_content).required()],
    );
    ctx.model(
        &link_content,
        "链接消息体。",
        vec![
            Field::new("messageUrl", "string").required(),
            Field::new("title", "string").required(),
            Field::new("picUrl", "string"),
        ],
    );
    ctx.model(
        &link,
        "The fields of a `link` event beside its tag.",
        vec![Field::new("link", link_content).required()],
    );
    let variant = |value: &str, ty: &str, description: &str| {
        Node::Map(vec![
            ("value", yaml::string(value)),
            ("name", yaml::string(value)),
            ("type", yaml::string(ty)),
            ("description", yaml::string(description)),
        ])
    };
    ctx.types.unions.push(Node::Map(vec![
        ("name", yaml::string(&name)),
        ("description", yaml::string("事件消息体。")),
        ("tag", yaml::string("msgtype")),
        (
            "note",
            yaml::string("The tables call the tag `msgType`; every example writes `msgtype`."),
        ),
        (
            "variants",
            Node::Seq(vec![
                variant("text", &text, "消息类型,此时固定为:text"),
                variant("link", &link, "消息类型,此时固定为:link"),
            ]),
        ),
    ]));
    name
}

/// A GET or POST on the base that needs no token, like tze's open endpoints.
fn open(ctx: &mut Ctx<'_>) -> Op {
    let get = ctx.rng.chance(40);
    let method = if get { "GET" } else { "POST" };
    let mut op = Op::new(ctx, ("fetch", "查询"), method, Base::Open);
    op.auth = Some(false);
    let count = ctx.rng.between(1, 3);
    if get {
        op.query = ctx.terms(count, Base::Open, Side::Request, scalar_term);
    } else {
        op.body = ctx.terms(count, Base::Open, Side::Request, any_term);
    }
    op.response
        .push(Field::new("result", "list<string>").described("结果列表。"));
    op
}
