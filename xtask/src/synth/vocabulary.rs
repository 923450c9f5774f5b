//! The word lists: the field vocabulary (members the documents use again and again, with their
//! types, descriptions, examples and limits) and the nouns that name operations and types.

/// A documented example value.
#[derive(Clone, Copy)]
pub(super) enum Example {
    None,
    Str(&'static str),
    Int(i64),
    Bool(bool),
    Float(f64),
    Strs(&'static [&'static str]),
    Ints(&'static [i64]),
    Object(&'static [(&'static str, &'static str)]),
}

/// Limits as the format writes them.
#[derive(Clone, Copy)]
pub(super) enum Limits {
    None,
    Length(Option<i64>, Option<i64>),
    Range(Option<i64>, Option<i64>),
    Items(Option<i64>, Option<i64>),
}

/// One reusable member.
pub(super) struct Term {
    /// The snake_case wire name; camelCase bases convert it.
    pub(super) name: &'static str,
    pub(super) ty: &'static str,
    pub(super) description: &'static str,
    pub(super) example: Example,
    pub(super) default: Example,
    pub(super) limits: Limits,
}

impl Term {
    /// Whether the term can be a query parameter: a scalar or a `csv<T>`.
    pub(super) fn is_scalar(&self) -> bool {
        !self.ty.starts_with("list<")
            && !self.ty.starts_with("map<")
            && !matches!(self.ty, "json" | "float64")
    }
}

const fn term(
    name: &'static str,
    ty: &'static str,
    description: &'static str,
    example: Example,
    limits: Limits,
) -> Term {
    Term {
        name,
        ty,
        description,
        example,
        default: Example::None,
        limits,
    }
}

use Example as E;
use Limits as L;

/// None of these names is used by the fixed members the shapes add (`result`, `cursor`,
/// `size`, `deadline`, ...), so a sample of terms never collides with them.
#[rustfmt::skip]
pub(super) const TERMS: &[Term] = &[
    term("userid", "string", "员工的userId。", E::Str("user123"), L::Length(Some(1), Some(64))),
    term("dept_id", "int64", "部门ID,根部门ID为1。", E::Int(1), L::Range(Some(1), None)),
    term("title", "string", "标题,最多100个字符。", E::Str("周报"), L::Length(None, Some(100))),
    term("content", "string", "内容。", E::Str("今日工作总结"), L::Length(None, Some(2000))),
    term("start_time", "timestamp_ms", "开始时间,Unix时间戳,单位毫秒。", E::Int(1_507_564_800_000), L::None),
    term("end_time", "timestamp_ms", "结束时间,Unix时间戳,单位毫秒。", E::Int(1_507_651_200_000), L::None),
    term("gmt_create", "datetime", "创建时间。", E::Str("2019-10-22 14:43:07"), L::None),
    term("ding", "boolean", "是否发送DING消息。", E::Bool(false), L::None),
    Term { default: E::Int(0), ..term("private_level", "int32", "隐私级别,0为公开。", E::Int(0), L::Range(Some(0), Some(20))) },
    term("ratio", "float64", "完成比例,0到1之间。", E::Float(0.5), L::None),
    term("labels", "map<string>", "自定义标签。", E::Object(&[("level", "high")]), L::None),
    term("extension", "json", "扩展信息,JSON对象。", E::Object(&[("source", "synth")]), L::None),
    term("userid_list", "list<string>", "员工userId列表,最多100个。", E::Strs(&["user123", "user456"]), L::Items(Some(1), Some(100))),
    term("dept_id_list", "list<int64>", "部门ID列表,最多20个。", E::Ints(&[1, 2]), L::Items(None, Some(20))),
    term("remark", "string", "备注。", E::None, L::Length(None, Some(200))),
    term("mobile", "string", "手机号码。", E::Str("13800000000"), L::Length(Some(11), Some(11))),
    term("email", "string", "邮箱地址。", E::Str("user@example.com"), L::None),
    term("type", "int32", "类型。", E::Int(0), L::None),
    term("template_name", "string", "模板名称。", E::Str("日报"), L::None),
    term("operator_userid", "string", "操作人的userId。", E::Str("manager01"), L::None),
    term("biz_id", "string", "业务ID,调用方保证唯一。", E::Str("AQWER1234"), L::Length(None, Some(64))),
    Term { default: E::Str("zh_CN"), ..term("language", "string", "语言,默认zh_CN。", E::Str("zh_CN"), L::None) },
    term("status_list", "csv<int32>", "状态列表,多个用英文逗号分隔。", E::Str("2,3,5,-1"), L::Items(None, Some(10))),
    term("unionid", "string", "员工在当前开发者企业账号范围内的唯一标识。", E::Str("z21HjQliSzpw0Yxxxx"), L::None),
    term("is_admin", "boolean", "是否为管理员。", E::Bool(true), L::None),
    term("display_rank", "int32", "排序值,越小越靠前。", E::Int(10), L::Range(Some(0), None)),
    term("avatar_url", "string", "头像地址。", E::Str("https://example.com/a.png"), L::None),
    term("tag_names", "list<string>", "标签名称列表。", E::Strs(&["重要"]), L::None),
    term("duration", "int64", "时长,单位秒。", E::Int(3600), L::Range(Some(0), Some(86_400))),
    term("scores", "map<int64>", "各维度得分。", E::None, L::None),
];

/// An API area, naming operations and types (`Report0042Param`, `create_report_42`).
pub(super) struct Noun {
    pub(super) camel: &'static str,
    pub(super) snake: &'static str,
    pub(super) zh: &'static str,
}

const fn noun(camel: &'static str, snake: &'static str, zh: &'static str) -> Noun {
    Noun { camel, snake, zh }
}

pub(super) const NOUNS: &[Noun] = &[
    noun("Report", "report", "日志"),
    noun("Notice", "notice", "公告"),
    noun("Checkin", "checkin", "签到"),
    noun("Employee", "employee", "员工"),
    noun("Dept", "dept", "部门"),
    noun("Template", "template", "模板"),
    noun("Card", "card", "卡片"),
    noun("Schedule", "schedule", "日程"),
    noun("Task", "task", "待办"),
    noun("Approval", "approval", "审批"),
    noun("Calendar", "calendar", "日历"),
    noun("Attendance", "attendance", "考勤"),
    noun("Robot", "robot", "机器人"),
    noun("Space", "space", "空间"),
    noun("File", "file", "文件"),
    noun("Contact", "contact", "联系人"),
    noun("Role", "role", "角色"),
    noun("Label", "label", "标签"),
    noun("Workbench", "workbench", "工作台"),
    noun("Meeting", "meeting", "会议"),
];
