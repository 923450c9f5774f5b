//! The DingTalk tutorial layout (`dingtalk-tables`): 钉钉开放平台's server API pages as a
//! tutorial copied them, one numbered section per endpoint, the tables flattened to text.
//!
//! The layout, as the reader reads it:
//!
//! - A section starts at a numbered title, `1、获取企业内部应用的access_token`. The lines up to
//!   `基本信息` (or `请求方法`) are its description.
//! - `请求方式:GET` and `请求地址:https://...` give the method and the URL. The newer pages
//!   write the request line instead: `请求方法`, then `GET /v1.0/path?query HTTP/1.1` and
//!   `Host:api.dingtalk.com`; the header lines that follow it repeat the `Header参数` table.
//! - `Query参数`, `Body参数`, `Path参数` and `Header参数` introduce request tables, `返回参数`
//!   the response table. Each starts with a header row naming its columns (`名称 | 类型 |
//!   是否必填 | 示例值 | 描述 |`); a row is its cells, and a row whose line does not end with
//!   `|` continues on the next lines up to one that does (often a lone `|`).
//! - An object row has no example: the copy puts its description in the example column and
//!   leaves the description column empty (`create_request | OapiCreateBlackboardVo | 是 |
//!   请求对象。 | |`). A row typed `Object` may name its type in the example column
//!   (`result | Object | OapiBlackboardVo | 公告详情。 |`).
//! - `接口详见` is followed by the title of the platform page the section copies (`doc`).
//!
//! Nested objects are listed flat: an object row is followed by the rows of its members.
//! `dingtalk_tables` rebuilds the nesting with the rules its module docs list, over
//! every table of the page, and writes on every object field where its members were taken to
//! end and why. The tutorial gives no example bodies, so its tables are placed by rules 1 to 7.

use super::dingtalk_tables::{self, cells, column, Column, OpenRow, Table};
use crate::import::{Draft, DraftOperation, Layout, Page, ParamLocation, Warning};

/// The DingTalk tutorial layout.
pub struct DingTalk;

/// The header row of a request table.
const REQUEST_HEADER: &str = "名称 | 类型 | 是否必填 | 示例值 | 描述 |";
/// The header row of a response table.
const RESPONSE_HEADER: &str = "名称 | 类型 | 示例值 | 描述 |";

impl Layout for DingTalk {
    fn name(&self) -> &'static str {
        "dingtalk-tables"
    }

    fn detect(&self, page: &Page<'_>) -> u32 {
        let has_header = page
            .lines
            .iter()
            .any(|l| matches!(l.trim(), REQUEST_HEADER | RESPONSE_HEADER));
        let has_address = page
            .lines
            .iter()
            .any(|l| field_after(l.trim(), "请求地址").is_some());
        if has_header && has_address {
            90
        } else {
            0
        }
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let mut scanner = Scanner::default();
        for (index, line) in page.lines.iter().enumerate() {
            scanner.line(Page::line_number(index), line);
        }
        scanner.finish_row();
        let Scanner {
            sections,
            mut warnings,
            ..
        } = scanner;
        let tables: Vec<&Table> = sections.iter().flat_map(|s| &s.tables).collect();
        let mut placements = dingtalk_tables::place_all(&tables).into_iter();
        let mut operations = Vec::new();
        for section in &sections {
            let mut op = section.operation();
            for table in &section.tables {
                let placement = placements.next().unwrap_or_default();
                warnings.extend(placement.warnings.iter().cloned());
                let fields = dingtalk_tables::tree(table, &placement);
                match table.location {
                    Some(location) => op.params.extend(fields.into_iter().map(|f| (location, f))),
                    None => op.response.extend(fields),
                }
            }
            if op.url.is_empty() {
                warnings.push(Warning {
                    line: op.line,
                    message: format!(
                        "section `{}` gives no request address (请求地址); its rows are not read",
                        op.summary
                    ),
                });
                continue;
            }
            operations.push(op);
        }
        warnings.sort_by_key(|w| w.line);
        Draft {
            layout: self.name(),
            operations,
            models: Vec::new(),
            events: Vec::new(),
            warnings,
        }
    }
}

/// The value after `label` and a colon (ASCII or full-width): `请求方式:GET` gives `GET`.
fn field_after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(label)?;
    let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(value.trim())
}

/// A section title, `12、获取用户发送日志的概要信息`: the text after the number.
fn title(line: &str) -> Option<&str> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let text = line[digits..].strip_prefix('、')?.trim();
    (!text.is_empty()).then_some(text)
}

/// A heading line of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// `基本信息`: the method and address follow.
    Basics,
    /// `请求方法`: the request line follows.
    RequestLine,
    /// A table: request parameters at a location, or the response (`None`).
    Table(Option<ParamLocation>),
    /// `接口详见`: the platform page's title follows.
    Doc,
}

fn heading(line: &str) -> Option<Heading> {
    Some(match line {
        "基本信息" => Heading::Basics,
        "请求方法" => Heading::RequestLine,
        "Query参数" | "Query 参数" => Heading::Table(Some(ParamLocation::Query)),
        "Body参数" | "Body 参数" => Heading::Table(Some(ParamLocation::Body)),
        "Path参数" | "Path 参数" => Heading::Table(Some(ParamLocation::Path)),
        "Header参数" | "Header 参数" => Heading::Table(Some(ParamLocation::Header)),
        "返回参数" => Heading::Table(None),
        "接口详见" => Heading::Doc,
        _ => return None,
    })
}

/// A section as read: the operation's head, and its tables.
#[derive(Debug, Clone, Default)]
struct Section {
    summary: String,
    line: usize,
    description: Vec<String>,
    doc: Option<String>,
    method: String,
    url: String,
    /// The host of the request line (`Host:api.dingtalk.com`).
    host: Option<String>,
    notes: Vec<String>,
    tables: Vec<Table>,
}

impl Section {
    /// The operation without its parameters and response.
    fn operation(&self) -> DraftOperation {
        let description = self.description.join("\n");
        DraftOperation {
            summary: self.summary.clone(),
            description: (!description.is_empty()).then_some(description),
            doc: self.doc.clone(),
            method: self.method.clone(),
            url: match &self.host {
                Some(host) if self.url.starts_with('/') => format!("https://{host}{}", self.url),
                _ => self.url.clone(),
            },
            stability: None,
            encoding: None,
            params: Vec::new(),
            response: Vec::new(),
            notes: self.notes.clone(),
            line: self.line,
        }
    }
}

/// What the lines being read belong to.
#[derive(Debug, Clone, Default, PartialEq)]
enum Mode {
    /// Before the first section, or after a section's `doc`: prose that is not kept.
    #[default]
    Outside,
    /// A section's description.
    Description,
    /// The `基本信息` block.
    Basics,
    /// The request line block.
    RequestLine,
    /// A table heading; its header row comes next.
    Header(Option<ParamLocation>),
    /// A table's rows, with its columns.
    Rows(Vec<Column>),
    /// The line after `接口详见`.
    Doc,
}

/// Reads the page line by line into sections of flat tables.
#[derive(Debug, Default)]
struct Scanner {
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    mode: Mode,
    open: Option<OpenRow>,
}

impl Scanner {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    fn line(&mut self, number: usize, line: &str) {
        let text = line.trim();
        if self.open.is_some() && !self.continue_row(text) {
            return;
        }
        if text.is_empty() {
            return;
        }
        if let Some(summary) = title(text) {
            self.sections.push(Section {
                summary: summary.to_owned(),
                line: number,
                ..Section::default()
            });
            self.mode = Mode::Description;
            return;
        }
        if self.head_line(number, text) {
            return;
        }
        match std::mem::take(&mut self.mode) {
            Mode::Outside => {
                self.mode = Mode::Outside;
                if text.contains('|') {
                    self.warn(number, "a table row outside any table");
                }
            }
            Mode::Description => {
                self.mode = Mode::Description;
                if let Some(section) = self.sections.last_mut() {
                    section.description.push(text.to_owned());
                }
            }
            Mode::Basics => {
                self.mode = Mode::Basics;
                self.warn(
                    number,
                    "a line of 基本信息 that is neither 请求方式 nor 请求地址",
                );
            }
            Mode::RequestLine => {
                self.mode = Mode::RequestLine;
                self.request_line(text);
            }
            Mode::Header(location) => self.header(number, text, location),
            Mode::Rows(columns) => {
                self.start_row(number, text, &columns);
                self.mode = Mode::Rows(columns);
            }
            Mode::Doc => {
                if let Some(section) = self.sections.last_mut() {
                    section.doc = Some(text.to_owned());
                }
            }
        }
    }

    /// A heading, or a `请求方式`/`请求地址` line, in any mode; whether `text` was one.
    fn head_line(&mut self, number: usize, text: &str) -> bool {
        if let Some(heading) = heading(text) {
            if self.sections.is_empty() {
                self.warn(number, format!("`{text}` before any numbered section"));
            }
            self.mode = match heading {
                Heading::Basics => Mode::Basics,
                Heading::RequestLine => Mode::RequestLine,
                Heading::Table(location) => Mode::Header(location),
                Heading::Doc => Mode::Doc,
            };
            return true;
        }
        let method = field_after(text, "请求方式");
        let address = field_after(text, "请求地址");
        if method.is_none() && address.is_none() {
            return false;
        }
        let Some(section) = self.sections.last_mut() else {
            self.warn(
                number,
                "a request method or address before any numbered section",
            );
            return true;
        };
        if let Some(method) = method {
            section.method = method.to_ascii_uppercase();
        }
        if let Some(address) = address {
            section.url = without_query(address).to_owned();
        }
        true
    }

    /// A line of the request line block: `GET /v1.0/path?q=1 HTTP/1.1`, `Host:api.dingtalk.com`,
    /// or a header the `Header参数` table documents.
    fn request_line(&mut self, text: &str) {
        let Some(section) = self.sections.last_mut() else {
            return;
        };
        if let Some(host) = field_after(text, "Host") {
            section.host = Some(host.to_owned());
            return;
        }
        let mut words = text.split_whitespace();
        if let (Some(method), Some(path)) = (words.next(), words.next()) {
            if method.chars().all(|c| c.is_ascii_uppercase()) && path.starts_with('/') {
                section.method = method.to_owned();
                section.url = without_query(path).to_owned();
                section.notes.push(format!(
                    "the page gives the request line `{text}`; the URL is its path on the `Host` it names"
                ));
            }
        }
    }

    fn header(&mut self, number: usize, text: &str, location: Option<ParamLocation>) {
        let cells = cells(text);
        let columns: Vec<Column> = cells.iter().map(|c| column(c)).collect();
        if !(columns.contains(&Column::Name) && columns.contains(&Column::Type)) {
            self.warn(
                number,
                "a table heading without a header row naming 名称 and 类型; the table is not read",
            );
            self.mode = Mode::Outside;
            return;
        }
        // Before any section the heading was reported; its rows are reported one by one.
        let Some(section) = self.sections.last_mut() else {
            self.mode = Mode::Outside;
            return;
        };
        section.tables.push(Table {
            location,
            rows: Vec::new(),
            top_keys: None,
            example: None,
        });
        self.mode = Mode::Rows(columns);
    }

    fn start_row(&mut self, number: usize, text: &str, columns: &[Column]) {
        match OpenRow::start(number, text, columns) {
            Ok((open, terminated)) => {
                self.open = Some(open);
                if terminated {
                    self.finish_row();
                }
            }
            Err(message) => self.warn(number, message),
        }
    }

    /// Continues an open row with `text`; whether `text` is still to be read as a line of its
    /// own (a heading, a title or a new row end the open row without a closing `|`).
    fn continue_row(&mut self, text: &str) -> bool {
        let new_row = self.open.as_ref().is_some_and(|open| open.is_new_row(text));
        if heading(text).is_some() || title(text).is_some() || new_row {
            self.finish_row();
            return true;
        }
        let Some(open) = self.open.as_mut() else {
            return true;
        };
        if open.extend(text) {
            self.finish_row();
        }
        false
    }

    fn finish_row(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        let response = matches!(
            self.sections.last().and_then(|s| s.tables.last()),
            Some(Table { location: None, .. })
        );
        let row = open.finish(response);
        if let Some(table) = self.sections.last_mut().and_then(|s| s.tables.last_mut()) {
            table.rows.push(row);
        }
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::DraftField;

    fn read(text: &str) -> Draft {
        DingTalk.read(&Page::new(text))
    }

    fn names(fields: &[DraftField]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    fn body(op: &DraftOperation) -> Vec<&DraftField> {
        op.params
            .iter()
            .filter(|(l, _)| *l == ParamLocation::Body)
            .map(|(_, f)| f)
            .collect()
    }

    const FLAT: &str = "\
1、获取企业内部应用的access_token
在获取access_token前,需要在开发者后台查看应用的AppKey和AppSecret:
基本信息
请求方式:GET
请求地址:https://oapi.dingtalk.com/gettoken?x=1
Query参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
appkey | String | 是 | dingeqqpkv3xxxx | 应用的唯一标识key。 |
返回参数
名称 | 类型 | 示例值 | 描述 |
expires_in | Number | 7200 | access_token的过期时间,单位秒。 |
errcode | Number | 0 | 返回码。 |
接口详见
获取企业内部应用的access_token - 钉钉开放平台
";

    #[test]
    fn a_flat_table() {
        let draft = read(FLAT);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let [op] = &draft.operations[..] else {
            panic!("{:?}", draft.operations)
        };
        assert_eq!(op.summary, "获取企业内部应用的access_token");
        assert_eq!(
            (op.method.as_str(), op.url.as_str()),
            ("GET", "https://oapi.dingtalk.com/gettoken")
        );
        assert_eq!(
            op.doc.as_deref(),
            Some("获取企业内部应用的access_token - 钉钉开放平台")
        );
        assert_eq!(
            op.description.as_deref(),
            Some("在获取access_token前,需要在开发者后台查看应用的AppKey和AppSecret:")
        );
        let (location, appkey) = &op.params[0];
        assert_eq!(*location, ParamLocation::Query);
        assert_eq!(
            (appkey.name.as_str(), appkey.ty.as_str(), appkey.required),
            ("appkey", "string", true)
        );
        assert_eq!(appkey.example, Some(serde_json::json!("dingeqqpkv3xxxx")));
        assert_eq!(appkey.line, 8);
        assert_eq!(names(&op.response), ["expires_in", "errcode"]);
        assert_eq!(op.response[0].ty, "int64");
        assert_eq!(op.response[0].example, Some(serde_json::json!(7200)));
        assert!(!op.response[0].required);
        assert!(DingTalk.detect(&Page::new(FLAT)) > 0);
        assert_eq!(
            DingTalk.detect(&Page::new("名称 | 类型 | 示例值 | 描述 |\n")),
            0
        );
    }

    const NESTED: &str = "\
2、创建公告
基本信息
请求方式:POST
请求地址:https://oapi.dingtalk.com/topapi/blackboard/create
Body参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
create_request | OapiCreateBlackboardVo | 是 | 请求对象。 | |
author | String | 否 | 杨xx | 公告作者。 |
blackboard_receiver | BlackboardReceiverOpenVo | 是 | 公告接收人。 | |
deptid_list | Number[] | 否 | [1] | 接收部门ID列表,最大的列表长度为20。 |
userid_list | String[] | 否 | [\"manager02\"] | 接收人userId列表,最大的列表长度为1000。 |
title | String | 是 | 入职须知 | 公告标题。 |
返回参数
名称 | 类型 | 示例值 | 描述 |
result | Object | OapiBlackboardVo | 公告详情。 |
id | String | 9uiuihhgui989huh | 公告id。 |
user_list | Object[] | [\"user_list\":{\"staff_id\":\"001\",\"name\":\"小明\"}] | 接收人列表。 |
staff_id | String | 001 | 员工userId。 |
name | String | 小明 | 员工名字。 |
deptList | Object[] | [\"user_list\":{\"dept_id\":\"001\",\"name\":\"人事部\"}] | 接收部门列表。 |
dept_id | String | hbjev8364 | 部门ID,该参数已加密。 |
name | String | 人事部 | 部门名称。 |
errcode | Number | 0 | 返回码。 |
";

    #[test]
    fn a_nested_table() {
        let draft = read(NESTED);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        let [request] = &body(op)[..] else {
            panic!("{:?}", op.params)
        };
        assert_eq!(request.doc_type, "OapiCreateBlackboardVo");
        assert_eq!(request.description.as_deref(), Some("请求对象。"));
        assert_eq!(request.example, None);
        // Without another table to tell, the receiver's members run to the table's end.
        assert_eq!(names(&request.children), ["author", "blackboard_receiver"]);
        assert_eq!(
            names(&request.children[1].children),
            ["deptid_list", "userid_list", "title"]
        );
        assert_eq!(request.children[1].children[0].limits.max_items, Some(20));
        assert_eq!(names(&op.response), ["result", "errcode"]);
        let result = &op.response[0];
        assert_eq!(result.doc_type, "OapiBlackboardVo");
        assert_eq!(result.example, None);
        assert_eq!(names(&result.children), ["id", "user_list", "deptList"]);
        assert_eq!(names(&result.children[1].children), ["staff_id", "name"]);
        assert_eq!(names(&result.children[2].children), ["dept_id", "name"]);
        assert!(result.children[1]
            .notes
            .iter()
            .any(|n| n.contains("line 20 (`deptList`)")));
        assert!(result.notes.iter().any(|n| n.contains("response envelope")));
    }

    #[test]
    fn the_same_field_elsewhere_returns_to_its_level() {
        let page = format!(
            "{NESTED}\
3、更新公告
基本信息
请求方式:POST
请求地址:https://oapi.dingtalk.com/topapi/blackboard/update
Body参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
update_request | OapiUpdateBlackboardVo | 是 | 请求对象。 | |
title | String | 是 | 入职须知 | 公告标题。 |
"
        );
        let draft = read(&page);
        let request = body(&draft.operations[0])[0];
        assert_eq!(
            names(&request.children),
            ["author", "blackboard_receiver", "title"]
        );
        let receiver = &request.children[1];
        assert_eq!(names(&receiver.children), ["deptid_list", "userid_list"]);
        assert!(receiver
            .notes
            .iter()
            .any(|n| n.contains("line 12 (`title`)")));
    }

    #[test]
    fn a_description_on_several_lines() {
        let page = "\
9、创建日志
基本信息
请求方式:POST
请求地址:https://oapi.dingtalk.com/topapi/report/create
Query参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
access_token | String | 是 | bE3xxxx | 调用该接口的应用凭证。
|
Body参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
to_cids | String[] | 否 | 123 | 日志要发送到的群ID。 重要
进入钉钉工作台,设置该日志模板的默认接收群。
|
offset | Number | 否 | 0 | 分页查询的游标,默认值为0。 |
";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        assert_eq!(
            op.params[0].1.description.as_deref(),
            Some("调用该接口的应用凭证。")
        );
        let to_cids = &op.params[1].1;
        assert_eq!(
            to_cids.description.as_deref(),
            Some("日志要发送到的群ID。 重要\n进入钉钉工作台,设置该日志模板的默认接收群。")
        );
        assert_eq!(to_cids.default, None, "默认接收群 is no default");
        let offset = &op.params[2].1;
        assert_eq!((offset.name.as_str(), offset.line), ("offset", 14));
        assert_eq!(offset.default, Some(serde_json::json!(0)));
    }

    #[test]
    fn a_row_that_cannot_be_placed_is_a_warning() {
        let page = "\
16、获取用户日志未读数
基本信息
请求方式:POST
请求地址:https://oapi.dingtalk.com/topapi/report/getunreadcount
Body参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
userid | String | 是 | user123 | 要获取的员工userId。 |
用户 | String | 是 | 
返回参数
名称 | 类型 | 示例值 | 描述 |
count | Number | 2 | 员工日志未读数。 |
";
        let draft = read(page);
        assert_eq!(draft.warnings.len(), 1, "{:?}", draft.warnings);
        assert_eq!(draft.warnings[0].line, 8);
        assert_eq!(names(&draft.operations[0].response), ["count"]);
    }

    const SEED: &str = include_str!("../../../../specs/dingtalk/sources/003_server_api.txt");

    fn field<'a>(fields: &'a [DraftField], path: &str) -> &'a DraftField {
        let (first, rest) = path.split_once('.').unwrap_or((path, ""));
        let found = fields
            .iter()
            .find(|f| f.name == first)
            .unwrap_or_else(|| panic!("no `{first}` in {:?}", names(fields)));
        if rest.is_empty() {
            found
        } else {
            field(&found.children, rest)
        }
    }

    #[test]
    fn the_seed_document() {
        let page = Page::new(SEED);
        assert!(DingTalk.detect(&page) > 0);
        let draft = DingTalk.read(&page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        assert_eq!(draft.operations.len(), 21);
        let get = |path: &str| {
            draft
                .operations
                .iter()
                .find(|op| op.url.ends_with(path))
                .unwrap_or_else(|| panic!("no operation {path}"))
        };
        assert_eq!(draft.operations[0].method, "GET");
        assert_eq!(
            draft.operations[0].url,
            "https://oapi.dingtalk.com/gettoken"
        );
        let posts = draft.operations.iter().filter(|op| op.method == "POST");
        assert_eq!(posts.count(), 19);
        let dismissions = &draft.operations[19];
        assert_eq!(
            (dismissions.method.as_str(), dismissions.url.as_str()),
            (
                "GET",
                "https://api.dingtalk.com/v1.0/hrm/employees/dismissions"
            )
        );
        assert_eq!(
            field(&dismissions.response, "userIdList").ty,
            "list<string>"
        );
        assert_eq!(
            draft.operations[20].url,
            "https://oapi.dingtalk.com/topapi/checkin/record/get"
        );

        let create: Vec<DraftField> = body(get("/blackboard/create"))
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(names(&create), ["create_request"]);
        let receiver = field(&create, "create_request.blackboard_receiver");
        assert_eq!(names(&receiver.children), ["deptid_list", "userid_list"]);
        assert_eq!(
            field(&create, "create_request.coverpic_mediaid").ty,
            "string"
        );

        let detail = &get("/blackboard/get").response;
        assert_eq!(
            names(detail),
            ["result", "success", "errcode", "request_id"]
        );
        assert_eq!(field(detail, "result.deptList.dept_id").line, 149);

        let list = &get("/report/list").response;
        assert_eq!(
            names(&field(list, "result.data_list.contents").children),
            ["sort", "type", "value", "key"]
        );
        assert_eq!(
            names(&field(list, "result").children),
            ["data_list", "size", "next_cursor", "has_more"]
        );
        assert!(field(list, "result.data_list.modified_time").line > 0);

        let template = &get("/template/getbyname").response;
        assert_eq!(
            field(template, "result.default_received_convs.title").ty,
            "string"
        );
    }
}
