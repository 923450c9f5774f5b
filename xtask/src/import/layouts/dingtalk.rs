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
//! Nested objects are listed flat: an object row is followed by the rows of its members, and
//! nothing on the page marks where they end. The reader rebuilds the nesting with these rules,
//! in this order, and writes on every object field where its members were taken to end and
//! why:
//!
//! 1. A row belongs to the nearest object row above it that is still open.
//! 2. `errcode`, `errmsg`, `success` and `request_id` in a response belong to DingTalk's
//!    envelope and close every open object.
//! 3. Paging members (`next_cursor`, `has_more`, `size`, ...) describe a page, not one item
//!    of a list: they close the open lists of objects.
//! 4. An object whose example names its members (`{"staff_id":"001","name":"小明"}`) holds
//!    only those: another name closes it.
//! 5. A row that the page documents elsewhere as a member of the type of an open object (the
//!    same type name in another table) closes the objects inside that one.
//! 6. A row that the page documents elsewhere with the same name and description, always at
//!    the same nesting level (deeper than the top), closes the objects below that level.
//! 7. An object cannot hold two members of one name: a repeated name closes the object that
//!    has it.
//!
//! Rules 5 and 6 read the page's other tables as the first rules placed them, and are applied
//! again until the placement no longer changes.

use std::collections::{BTreeMap, BTreeSet};

use crate::import::types::{self, Family};
use crate::import::{Draft, DraftField, DraftOperation, Layout, Page, ParamLocation, Warning};

/// The DingTalk tutorial layout.
pub struct DingTalk;

/// The header row of a request table.
const REQUEST_HEADER: &str = "名称 | 类型 | 是否必填 | 示例值 | 描述 |";
/// The header row of a response table.
const RESPONSE_HEADER: &str = "名称 | 类型 | 示例值 | 描述 |";

/// The members of DingTalk's response envelope, never nested in the documented object.
const ENVELOPE: [&str; 4] = ["errcode", "errmsg", "success", "request_id"];

/// Members that describe a page of results rather than one of its items.
const PAGING: [&str; 14] = [
    "next_cursor",
    "nextCursor",
    "has_more",
    "hasMore",
    "next_token",
    "nextToken",
    "cursor",
    "offset",
    "size",
    "page",
    "page_size",
    "pageSize",
    "total",
    "total_count",
];

/// Type names that say "an object" without naming one.
const GENERIC_OBJECTS: [&str; 6] = ["Object", "JsonObject", "JSONObject", "Json", "Map", "Array"];

/// How often rules 5 and 6 are re-applied at most; the placement settles in two rounds on the
/// seed document.
const ROUNDS: usize = 4;

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
        let mut placements = place_all(&tables).into_iter();
        let mut operations = Vec::new();
        for section in &sections {
            let mut op = section.operation();
            for table in &section.tables {
                let placement = placements.next().unwrap_or_default();
                warnings.extend(placement.warnings.iter().cloned());
                let fields = tree(table, &placement);
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

/// A column of a table, from its header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Type,
    Required,
    Example,
    Description,
    Other,
}

fn column(header: &str) -> Column {
    match header {
        "名称" | "参数名" | "参数" => Column::Name,
        "类型" | "参数类型" => Column::Type,
        "是否必填" | "必填" | "是否必须" => Column::Required,
        "示例值" | "示例" => Column::Example,
        "描述" | "说明" => Column::Description,
        _ => Column::Other,
    }
}

/// A table as read: where its rows travel, and the rows in page order, not yet nested.
#[derive(Debug, Clone, Default)]
struct Table {
    /// The request location, `None` for the response.
    location: Option<ParamLocation>,
    rows: Vec<Row>,
}

/// One table row: the field it documents, without members, and what nesting needs of it.
#[derive(Debug, Clone, Default)]
struct Row {
    field: DraftField,
    /// Whether its type is an object or a list of objects, whose members may follow.
    object: bool,
    /// Whether it is a list.
    list: bool,
    /// The member names its example shows, when its example is (broken) JSON with keys.
    keys: Option<BTreeSet<String>>,
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

/// A row whose description continues on the next lines.
#[derive(Debug, Clone)]
struct OpenRow {
    columns: Vec<Column>,
    cells: Vec<String>,
    line: usize,
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
        });
        self.mode = Mode::Rows(columns);
    }

    fn start_row(&mut self, number: usize, text: &str, columns: &[Column]) {
        let Some(mut cells) = row_cells(text, columns.len()) else {
            self.warn(
                number,
                format!(
                    "not a row of the table above (it has {} columns): `{text}`",
                    columns.len()
                ),
            );
            return;
        };
        let terminated = text.ends_with('|');
        if let Some(last) = cells.last_mut() {
            *last = last.trim_end_matches('|').trim().to_owned();
        }
        self.open = Some(OpenRow {
            columns: columns.to_vec(),
            cells,
            line: number,
        });
        if terminated {
            self.finish_row();
        }
    }

    /// Continues an open row with `text`; whether `text` is still to be read as a line of its
    /// own (a heading, a title or a new row end the open row without a closing `|`).
    fn continue_row(&mut self, text: &str) -> bool {
        let new_row = self.open.as_ref().is_some_and(|open| {
            text.ends_with('|')
                && row_cells(text, open.columns.len()).is_some_and(|c| looks_like_type(&c[1]))
        });
        if heading(text).is_some() || title(text).is_some() || new_row {
            self.finish_row();
            return true;
        }
        let Some(open) = self.open.as_mut() else {
            return true;
        };
        let piece = text.trim_end_matches('|').trim();
        if let Some(last) = open.cells.last_mut() {
            if !piece.is_empty() {
                if !last.is_empty() {
                    last.push('\n');
                }
                last.push_str(piece);
            }
        }
        if text.ends_with('|') {
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
        let row = row(&open, response);
        if let Some(table) = self.sections.last_mut().and_then(|s| s.tables.last_mut()) {
            table.rows.push(row);
        }
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url).trim()
}

/// The cells of a header row, `名称 | 类型 |`, without the empty one after the last `|`.
fn cells(text: &str) -> Vec<String> {
    let mut cells: Vec<String> = text.split('|').map(|c| c.trim().to_owned()).collect();
    if cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

/// The cells of a row of `columns` columns; the last cell keeps any `|` in the description.
/// `None` when the line is not a row: too few cells, or a first cell that is not a name.
fn row_cells(text: &str, columns: usize) -> Option<Vec<String>> {
    let cells: Vec<String> = text
        .splitn(columns, '|')
        .map(|c| c.trim().to_owned())
        .collect();
    let name_ok = cells.first().is_some_and(|name| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    });
    (cells.len() == columns && columns >= 2 && name_ok && !cells[1].is_empty()).then_some(cells)
}

/// Whether a cell reads as a type: a known spelling or a type name, not prose.
fn looks_like_type(cell: &str) -> bool {
    let mapped = types::map_type(&spelled_as_list(cell).0);
    mapped.note.is_none() || mapped.object
}

/// `Array of String` (the newer pages' spelling) as `String[]`, with a note when rewritten.
fn spelled_as_list(doc_type: &str) -> (String, Option<String>) {
    match doc_type.trim().strip_prefix("Array of ") {
        Some(item) => (
            format!("{}[]", item.trim()),
            Some(format!(
                "documented as `{}`, read as `{}[]`",
                doc_type.trim(),
                item.trim()
            )),
        ),
        None => (doc_type.trim().to_owned(), None),
    }
}

/// The field a finished row documents.
fn row(open: &OpenRow, response: bool) -> Row {
    let cell = |wanted: Column| {
        open.columns
            .iter()
            .position(|c| *c == wanted)
            .and_then(|i| open.cells.get(i))
            .map_or("", String::as_str)
    };
    let doc_type = cell(Column::Type);
    let (read_type, spelling_note) = spelled_as_list(doc_type);
    let mapped = types::map_type(&read_type);
    let mut field = DraftField {
        name: cell(Column::Name).to_owned(),
        doc_type: doc_type.to_owned(),
        ty: mapped.ty.clone(),
        line: open.line,
        ..DraftField::default()
    };
    field.notes.extend(spelling_note);
    field.notes.extend(mapped.note.clone());
    if !response {
        let written = cell(Column::Required);
        field.required = types::required(written).unwrap_or_else(|| {
            if !written.is_empty() {
                field.notes.push(format!(
                    "the required cell `{written}` is not understood; read as optional"
                ));
            }
            false
        });
    }
    let mut description = cell(Column::Description).to_owned();
    let mut example = cell(Column::Example).to_owned();
    let mut keys = None;
    if mapped.object {
        object_cells(&mut field, &mut description, &mut example, &mut keys);
    }
    let list = mapped.family == Family::List;
    field.example = types::example_value(&example, mapped.family);
    prose(&mut field, &description, list, mapped.family);
    field.description = (!description.is_empty()).then_some(description);
    Row {
        field,
        object: mapped.object,
        list,
        keys,
    }
}

/// An object row's example cell: its description when the description cell is empty, a type
/// name when the row is typed `Object`, or an example whose keys name the members.
fn object_cells(
    field: &mut DraftField,
    description: &mut String,
    example: &mut String,
    keys: &mut Option<BTreeSet<String>>,
) {
    if description.is_empty() {
        *description = std::mem::take(example);
        return;
    }
    let item = field.doc_type.trim_end_matches("[]");
    if GENERIC_OBJECTS.contains(&item) && is_type_name(example) {
        field.notes.push(format!(
            "the page types this row `{}` and writes the type name `{example}` in the example column",
            field.doc_type
        ));
        field.doc_type = field.doc_type.replacen(item, example, 1);
        example.clear();
        return;
    }
    let names = json_keys(example);
    if !names.is_empty() {
        *keys = Some(names);
    }
}

/// The limits and default the description states, with their notes. A default must read as
/// a value of the field's family; a text default must be introduced as one (`默认值`,
/// `默认为`), since `默认` alone also starts words (`默认接收人`).
fn prose(field: &mut DraftField, description: &str, list: bool, family: Family) {
    let (limits, notes) = types::limits_from_prose(description, list, family == Family::String);
    field.limits = limits;
    field.notes.extend(notes);
    let Some(default) = types::default_from_prose(description) else {
        return;
    };
    let fits = match family {
        Family::Integer => default.parse::<i64>().is_ok(),
        Family::Number => default.parse::<f64>().is_ok(),
        Family::Boolean => matches!(default.as_str(), "true" | "false"),
        Family::String | Family::Enum => {
            description.contains("默认值") || description.contains("默认为")
        }
        Family::List | Family::Object | Family::Union => false,
    };
    if fits {
        field
            .notes
            .push(format!("default `{default}` read from the description"));
        field.default = types::example_value(&default, family);
    }
}

/// Whether `text` is a type's name (`OapiBlackboardVo`) rather than a value or prose.
fn is_type_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && text.chars().any(|c| c.is_ascii_lowercase())
}

/// The keys an example names, `"key":`, even in text that is not JSON
/// (`["user_list":{"staff_id":"001"}]`).
fn json_keys(example: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut rest = example;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else {
            break;
        };
        let key = &after[..close];
        let tail = after[close + 1..].trim_start();
        if tail.starts_with(':') {
            keys.insert(key.to_owned());
        }
        rest = &after[close + 1..];
    }
    keys
}

/// Why an object's members end where they do.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// The table ends.
    Table,
    /// Rule 2: an envelope member.
    Envelope,
    /// Rule 3: a paging member.
    Paging,
    /// Rule 4: a name the object's example does not show.
    Example,
    /// Rule 5: a member of this type where the page documents it elsewhere.
    TypeElsewhere(String),
    /// Rule 6: documented elsewhere at this nesting level.
    FieldElsewhere(usize),
    /// Rule 7: a repeated name.
    Repeated,
}

/// Where an object's members end: the reason, and the row that ended them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ending {
    end: End,
    line: usize,
    name: String,
}

/// Where each row of a table goes: its parent row, and for an object row where its members
/// end.
#[derive(Debug, Clone, Default, PartialEq)]
struct Placement {
    parents: Vec<Option<usize>>,
    endings: Vec<Option<Ending>>,
    warnings: Vec<Warning>,
}

/// What the page's other tables say about a row (rules 5 and 6), by table index.
#[derive(Debug, Default)]
struct Evidence {
    /// (type name, member name) to the tables that document the member under the type.
    members: BTreeMap<(String, String), BTreeSet<usize>>,
    /// (name, description) to the (table, nesting level) of each row documenting it.
    levels: BTreeMap<(String, String), Vec<(usize, usize)>>,
}

impl Evidence {
    fn new(tables: &[&Table], placements: &[Placement]) -> Self {
        let mut evidence = Evidence::default();
        for (id, (table, placement)) in tables.iter().zip(placements).enumerate() {
            for (i, row) in table.rows.iter().enumerate() {
                let parent = placement.parents.get(i).copied().flatten();
                if let Some(ty) = parent.and_then(|p| type_name(&table.rows[p])) {
                    evidence
                        .members
                        .entry((ty.to_owned(), row.field.name.clone()))
                        .or_default()
                        .insert(id);
                }
                if let Some(description) = &row.field.description {
                    evidence
                        .levels
                        .entry((row.field.name.clone(), description.clone()))
                        .or_default()
                        .push((id, level(&placement.parents, i)));
                }
            }
        }
        evidence
    }

    /// Whether a table other than `table` documents `name` as a member of `ty`.
    fn lists(&self, ty: &str, name: &str, table: usize) -> bool {
        self.members
            .get(&(ty.to_owned(), name.to_owned()))
            .is_some_and(|tables| tables.iter().any(|t| *t != table))
    }

    /// The nesting level at which the other tables document `row`, when they all agree.
    fn level(&self, row: &Row, table: usize) -> Option<usize> {
        let description = row.field.description.clone()?;
        let found = self.levels.get(&(row.field.name.clone(), description))?;
        let levels: BTreeSet<usize> = found
            .iter()
            .filter(|(t, _)| *t != table)
            .map(|(_, level)| *level)
            .collect();
        match levels.iter().collect::<Vec<_>>()[..] {
            [level] => Some(*level),
            _ => None,
        }
    }
}

/// The number of objects row `i` is nested in.
fn level(parents: &[Option<usize>], i: usize) -> usize {
    let mut level = 0;
    let mut at = parents.get(i).copied().flatten();
    while let Some(parent) = at {
        level += 1;
        at = parents.get(parent).copied().flatten();
    }
    level
}

/// The type an object row names (`OapiBlackboardVo` for `OapiBlackboardVo[]`), not a generic
/// word such as `Object`.
fn type_name(row: &Row) -> Option<&str> {
    let item = row.field.doc_type.trim().trim_end_matches("[]");
    (row.object && is_type_name(item) && !GENERIC_OBJECTS.contains(&item)).then_some(item)
}

/// Places every table's rows, re-applying rules 5 and 6 until the placement settles.
fn place_all(tables: &[&Table]) -> Vec<Placement> {
    let none = Evidence::default();
    let mut placements: Vec<Placement> = tables
        .iter()
        .enumerate()
        .map(|(id, table)| place(table, id, &none))
        .collect();
    for _ in 0..ROUNDS {
        let evidence = Evidence::new(tables, &placements);
        let next: Vec<Placement> = tables
            .iter()
            .enumerate()
            .map(|(id, table)| place(table, id, &evidence))
            .collect();
        if next == placements {
            break;
        }
        placements = next;
    }
    placements
}

/// Places one table's rows (table `id` of the page) with the rules of the module's header.
fn place(table: &Table, id: usize, evidence: &Evidence) -> Placement {
    let rows = &table.rows;
    let mut placement = Placement {
        parents: vec![None; rows.len()],
        endings: vec![None; rows.len()],
        warnings: Vec::new(),
    };
    let mut members: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); rows.len()];
    let mut top: BTreeSet<&str> = BTreeSet::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let name = row.field.name.as_str();
        let open_members: Vec<&BTreeSet<&str>> = open.iter().map(|o| &members[*o]).collect();
        if let Some((depth, end)) = kept(table, id, &open, &open_members, row, evidence) {
            for closed in open.drain(depth..) {
                placement.endings[closed] = Some(Ending {
                    end: end.clone(),
                    line: row.field.line,
                    name: name.to_owned(),
                });
            }
        }
        match open.last() {
            Some(&parent) => {
                placement.parents[i] = Some(parent);
                members[parent].insert(name);
            }
            None if !top.insert(name) => placement.warnings.push(Warning {
                line: row.field.line,
                message: format!("`{name}` repeats a name of the table's top level"),
            }),
            None => {}
        }
        if row.object {
            open.push(i);
        }
    }
    for closed in open {
        placement.endings[closed] = Some(Ending {
            end: End::Table,
            line: 0,
            name: String::new(),
        });
    }
    placement
}

/// How many of the `open` objects stay open for `row`, when rules 2 to 7 close some, and the
/// rule that closed the outermost of them.
fn kept(
    table: &Table,
    id: usize,
    open: &[usize],
    open_members: &[&BTreeSet<&str>],
    row: &Row,
    evidence: &Evidence,
) -> Option<(usize, End)> {
    let name = row.field.name.as_str();
    let rows = &table.rows;
    let mut depth = open.len();
    let mut why = None;
    let mut close = |to: usize, end: End, depth: &mut usize| {
        if to < *depth {
            *depth = to;
            why = Some(end);
        }
    };
    if table.location.is_none() && ENVELOPE.contains(&name) {
        close(0, End::Envelope, &mut depth);
    }
    if PAGING.contains(&name) {
        let lists = open[..depth].iter().rev().take_while(|o| rows[**o].list);
        let to = depth - lists.count();
        close(to, End::Paging, &mut depth);
    }
    let unshown = open[..depth].iter().rev().take_while(|o| {
        rows[**o]
            .keys
            .as_ref()
            .is_some_and(|keys| !keys.contains(name))
    });
    let to = depth - unshown.count();
    close(to, End::Example, &mut depth);
    let documented = (0..depth).rev().find_map(|at| {
        type_name(&rows[open[at]])
            .filter(|ty| evidence.lists(ty, name, id))
            .map(|ty| (at, ty))
    });
    if let Some((at, ty)) = documented {
        close(at + 1, End::TypeElsewhere(ty.to_owned()), &mut depth);
    }
    if let Some(level) = evidence.level(row, id).filter(|level| *level >= 1) {
        close(level, End::FieldElsewhere(level), &mut depth);
    }
    if let Some(at) = (0..depth).find(|at| open_members[*at].contains(name)) {
        close(at, End::Repeated, &mut depth);
    }
    why.map(|end| (depth, end))
}

/// The table's rows as trees, each object row noting where its members were taken to end.
fn tree(table: &Table, placement: &Placement) -> Vec<DraftField> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); table.rows.len()];
    let mut roots = Vec::new();
    for (i, parent) in placement.parents.iter().enumerate() {
        match parent {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    roots
        .into_iter()
        .map(|i| build(i, table, placement, &children))
        .collect()
}

fn build(i: usize, table: &Table, placement: &Placement, children: &[Vec<usize>]) -> DraftField {
    let row = &table.rows[i];
    let mut field = row.field.clone();
    field.children = children[i]
        .iter()
        .map(|c| build(*c, table, placement, children))
        .collect();
    if row.object {
        let note = members_note(&field, placement.endings[i].as_ref());
        field.notes.push(note);
        // A named object whose members the page lists is a model of that name; the writer
        // keeps the name unless another model already has it.
        if let Some(name) = type_name(row).filter(|_| !field.children.is_empty()) {
            field.ty = if row.list {
                format!("list<{name}>")
            } else {
                name.to_owned()
            };
        }
    }
    field
}

/// The last page line of a field and its members.
fn last_line(field: &DraftField) -> usize {
    field
        .children
        .iter()
        .map(last_line)
        .max()
        .unwrap_or(field.line)
        .max(field.line)
}

fn members_note(field: &DraftField, ending: Option<&Ending>) -> String {
    let reason = match ending {
        None
        | Some(Ending {
            end: End::Table, ..
        }) => "the table ends there".to_owned(),
        Some(Ending { end, line, name }) => {
            let why = match end {
                End::Table => String::new(),
                End::Envelope => {
                    "belongs to DingTalk's response envelope, which is never nested".to_owned()
                }
                End::Paging => {
                    "is a paging member, which describes the page and not one item of a list"
                        .to_owned()
                }
                End::Example => "is not among the members the example names".to_owned(),
                End::TypeElsewhere(ty) => {
                    format!("is a member of `{ty}` where the page documents that type elsewhere")
                }
                End::FieldElsewhere(level) => format!(
                    "is documented elsewhere on the page with the same description, nested {level} deep"
                ),
                End::Repeated => "repeats a member's name".to_owned(),
            };
            format!("line {line} (`{name}`) {why}")
        }
    };
    match field.children.first() {
        None => format!(
            "the page lists nested objects flat and none of this object's members: {reason}"
        ),
        Some(first) => format!(
            "the page lists nested objects flat; its members are taken to be the rows of lines {}-{}: {reason}",
            first.line,
            last_line(field)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
