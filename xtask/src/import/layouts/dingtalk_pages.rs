//! The layout of 钉钉开放平台's own documentation pages (`dingtalk-pages`), as copied from the
//! pages' Markdown snapshots: one page per endpoint, or a page about message bodies or
//! signatures that documents no endpoint.
//!
//! The layout, as the reader reads it:
//!
//! - The first line is the page's title (the operation's summary; `doc` is the title on
//!   钉钉开放平台). The lines up to `请求` are its description; a page that advises the new
//!   version instead (`建议使用新版`) documents a deprecated endpoint.
//! - A key-value table `基本信息 | |` gives `HTTP URL | https://... |` and `HTTP Method | POST |`;
//!   its other rows (`支持的应用类型`, `权限要求`) become notes.
//! - `请求头`, `路径参数`, `查询参数` and `请求体` introduce request tables, `响应体` the
//!   response table (`请求` and `响应` only group them). A table starts with a header row naming
//!   its columns in any order (`名称 | 类型 | 是否必填 | 示例值 | 描述 |`, `名称 | 类型 | 描述 |`,
//!   `参数 | 是否必填 | 类型 | 说明 |`); its rows are read as the tutorial's are
//!   (`dingtalk_tables`), nested objects flattened the same way.
//! - A section may give two versions of its table, `SDK请求` (the SDK's parameters) and
//!   `HTTP请求` (the request on the wire): the HTTP one is read, and the other noted.
//! - `请求示例`/`请求体示例` and `响应示例`/`响应体示例` hold examples: a curl command (form
//!   fields `-d 'name=...'`/`-F`, or a JSON body), or an HTTP request or response with a JSON
//!   body. An example's top-level names place the rows of its table (rule 8 of the nesting), its
//!   values fill the examples a table leaves out, and its request line or curl URL is checked
//!   against `HTTP URL`: when the example's path ends with the table's and is longer (the table
//!   dropped `/v1.0`), the example's path is taken, with a note.
//! - A string field whose description lists values (`- image：图片 - voice：语音`, or
//!   `0：竖直 1：横向`) is an enumeration of them.
//! - Tables that name no `类型` column are not fields (the error codes under `错误码`, the
//!   overview of message types, the parameters of a signature): they are skipped.
//! - A page without `HTTP URL` documents no endpoint. A JSON example followed by a table of
//!   fields is a message body: a model named by the example's `msgtype`, whose members are
//!   where the example shows them (the table lists them flat and leaves out the objects that
//!   hold them), typed, required and described by the table's rows. An object only the example
//!   shows is required when a member the table marks required is in it.
//! - A `FileItem` row is a file part of a multipart body: drafted as `json`, with a note.
//!
//! Warnings name a row that is not a row of its table, a table of fields under no heading
//! that places it (nor after an example body, on a page without an endpoint), an example body
//! that cannot be read, and a `基本信息` without its URL or method.

use std::collections::BTreeSet;

use serde_json::Value;

use super::dingtalk_tables::{self, cells, column, Column, OpenRow, Row, Table};
use crate::import::examples;
use crate::import::types::{self, Family};
use crate::import::{
    Draft, DraftField, DraftModel, DraftOperation, Layout, Page, ParamLocation, Warning,
};

/// The layout of 钉钉开放平台's own pages.
pub struct DingTalkPages;

/// The site whose pages these are, for `doc`.
const SITE: &str = "钉钉开放平台";

impl Layout for DingTalkPages {
    fn name(&self) -> &'static str {
        "dingtalk-pages"
    }

    /// 95 for a page with the `HTTP URL` and `HTTP Method` rows; 30 for a page about
    /// DingTalk (it names a dingtalk.com address) with a table of parameters and their
    /// descriptions but no endpoint, which the tutorial layout (90) outranks when it has its
    /// `请求地址`.
    fn detect(&self, page: &Page<'_>) -> u32 {
        let key = |l: &&str| cells(l.trim()).first().cloned().unwrap_or_default();
        let keys: BTreeSet<String> = page
            .lines
            .iter()
            .filter(|l| l.contains('|'))
            .map(key)
            .collect();
        if keys.contains("HTTP URL") && keys.contains("HTTP Method") {
            return 95;
        }
        let dingtalk = page.lines.iter().any(|l| l.contains("dingtalk.com"));
        let parameters = page.lines.iter().any(|l| {
            let columns: Vec<Column> = cells(l.trim()).iter().map(|c| column(c)).collect();
            columns.len() >= 2
                && columns.first() == Some(&Column::Name)
                && columns.last() == Some(&Column::Description)
        });
        if dingtalk && parameters {
            30
        } else {
            0
        }
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let mut scanner = Scanner::default();
        let mut index = 0;
        while index < page.lines.len() {
            index = scanner.line(index, &page.lines);
        }
        scanner.finish_row();
        let mut draft = scanner.draft();
        draft.layout = self.name();
        draft
    }
}

/// Where a table's fields go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Request parameters at a location.
    Param(ParamLocation),
    /// The response.
    Response,
    /// A message body documented without an endpoint.
    Model,
}

/// Request or response, for examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// A heading line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// `请求`: the request's head and tables follow.
    Request,
    /// `响应`: the response's tables follow.
    Response,
    /// A table's heading.
    Table(Target),
    /// `SDK请求` (`true`) or `HTTP请求`: one version of the current section's table.
    Version(bool),
    /// An example.
    Example(Side),
    /// `错误码`: error codes, not fields.
    Errors,
}

fn heading(text: &str) -> Option<Heading> {
    Some(match text {
        "请求" => Heading::Request,
        "响应" => Heading::Response,
        "请求头" => Heading::Table(Target::Param(ParamLocation::Header)),
        "路径参数" => Heading::Table(Target::Param(ParamLocation::Path)),
        "查询参数" => Heading::Table(Target::Param(ParamLocation::Query)),
        "请求体" => Heading::Table(Target::Param(ParamLocation::Body)),
        "响应体" => Heading::Table(Target::Response),
        "SDK请求" => Heading::Version(true),
        "HTTP请求" => Heading::Version(false),
        "请求示例" | "请求体示例" => Heading::Example(Side::Request),
        "响应示例" | "响应体示例" => Heading::Example(Side::Response),
        "错误码" => Heading::Errors,
        _ => return None,
    })
}

/// What the lines being read belong to.
#[derive(Debug, Clone, Default, PartialEq)]
enum Mode {
    /// Prose: the description, or text between tables.
    #[default]
    Prose,
    /// The rows of `基本信息 | |`.
    KeyValue,
    /// A table's heading; its header row comes next.
    Header(Target),
    /// A table's rows, with its columns.
    Rows(Vec<Column>),
    /// The rows of a table that documents no fields.
    Skip,
    /// An example's lines.
    Example(Side),
    /// The error codes section.
    Errors,
}

/// A table as read, with where its fields go and, for a message body, the example before it.
#[derive(Debug)]
struct PageTable {
    target: Target,
    table: Table,
    /// The example body a message body's table follows, its page line, and the description
    /// the page gives the body.
    example: Option<(Value, usize, Option<String>)>,
}

/// An example as read: its text, from its first line.
#[derive(Debug, Clone, Default)]
struct ExampleText {
    line: usize,
    lines: Vec<String>,
}

/// Reads the page line by line.
#[derive(Debug, Default)]
struct Scanner {
    title: Option<(String, usize)>,
    description: Vec<String>,
    /// Whether `请求` or `基本信息` has ended the description.
    past_description: bool,
    method: Option<String>,
    url: Option<String>,
    /// The line of `基本信息`, when the page has one.
    basics: Option<usize>,
    notes: Vec<String>,
    mode: Mode,
    /// The location of the current request section, for its `SDK请求`/`HTTP请求` tables.
    section: Option<Target>,
    /// Whether the next table is the SDK's version, which is not read.
    sdk_table: bool,
    open: Option<OpenRow>,
    tables: Vec<PageTable>,
    examples: Vec<(Side, ExampleText)>,
    /// The last example body read in prose, for the table that may follow it.
    prose_example: Option<(Value, usize)>,
    /// Prose lines since the last table or example.
    recent_prose: Vec<String>,
    warnings: Vec<Warning>,
}

impl Scanner {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    /// Reads the line at `index` of `lines`; the index of the next line to read (past an
    /// example body that spans lines).
    fn line(&mut self, index: usize, lines: &[&str]) -> usize {
        let number = Page::line_number(index);
        let text = lines[index].trim();
        if self.open.is_some() && !self.continue_row(text) {
            return index + 1;
        }
        if text.is_empty() {
            return index + 1;
        }
        if self.title.is_none() {
            self.title = Some((text.to_owned(), number));
            return index + 1;
        }
        if let Some(heading) = heading(text) {
            self.heading(heading);
            return index + 1;
        }
        if cells(text).first().is_some_and(|c| c == "基本信息") && text.contains('|') {
            self.finish_row();
            self.past_description = true;
            self.basics = Some(number);
            self.mode = Mode::KeyValue;
            return index + 1;
        }
        self.dispatch(index, text, lines)
    }

    /// A line that is not a heading, read by the current mode.
    fn dispatch(&mut self, index: usize, text: &str, lines: &[&str]) -> usize {
        let number = Page::line_number(index);
        match std::mem::take(&mut self.mode) {
            Mode::Prose => return self.prose(index, text, lines),
            Mode::KeyValue if text.contains('|') => {
                self.mode = Mode::KeyValue;
                self.key_value(text);
            }
            Mode::Header(target) if text.contains('|') => self.header(number, text, Some(target)),
            // Prose between a table's heading and its header row.
            Mode::Header(target) => {
                self.mode = Mode::Header(target);
                self.recent_prose.push(text.to_owned());
            }
            Mode::Rows(columns) if text.contains('|') => {
                self.start_row(number, text, &columns);
                self.mode = Mode::Rows(columns);
            }
            Mode::Skip if text.contains('|') => self.mode = Mode::Skip,
            Mode::Example(side) => {
                self.mode = Mode::Example(side);
                if let Some((_, example)) = self.examples.last_mut() {
                    if example.lines.is_empty() {
                        example.line = number;
                    }
                    example.lines.push(text.to_owned());
                }
            }
            Mode::Errors => self.mode = Mode::Errors,
            // A line without `|` ends a key-value block or a table.
            Mode::KeyValue | Mode::Rows(_) | Mode::Skip => {
                return self.prose(index, text, lines);
            }
        }
        index + 1
    }

    fn heading(&mut self, heading: Heading) {
        self.finish_row();
        self.past_description = true;
        self.mode = match heading {
            Heading::Request | Heading::Response => {
                self.section = None;
                Mode::Prose
            }
            Heading::Table(target) => {
                self.section = Some(target);
                self.sdk_table = false;
                Mode::Header(target)
            }
            Heading::Version(sdk) => {
                self.sdk_table = sdk;
                match self.section {
                    Some(target) => Mode::Header(target),
                    None => Mode::Prose,
                }
            }
            Heading::Example(side) => {
                self.examples.push((side, ExampleText::default()));
                Mode::Example(side)
            }
            Heading::Errors => Mode::Errors,
        };
    }

    /// A prose line: the description, an example body of a page without an endpoint, a
    /// table without a heading, or text.
    fn prose(&mut self, index: usize, text: &str, lines: &[&str]) -> usize {
        let number = Page::line_number(index);
        self.mode = Mode::Prose;
        if text.contains('|') {
            self.header(number, text, None);
            return index + 1;
        }
        if text.starts_with('{') {
            return self.prose_example(index, lines);
        }
        if !self.past_description {
            self.description.push(text.to_owned());
        }
        self.recent_prose.push(text.to_owned());
        index + 1
    }

    /// An example body in prose, read from its first line to its closing bracket.
    fn prose_example(&mut self, index: usize, lines: &[&str]) -> usize {
        let number = Page::line_number(index);
        let rest = lines[index..].join("\n");
        match examples::parse(&rest) {
            Ok(example) => {
                let spanned = rest[..example.end].matches('\n').count();
                self.prose_example = Some((example.value, number));
                index + spanned + 1
            }
            Err(err) => {
                self.warn(
                    number,
                    format!("an example body that cannot be read: {err}"),
                );
                index + 1
            }
        }
    }

    /// A row of `基本信息`.
    fn key_value(&mut self, text: &str) {
        let cells = cells(text);
        let (Some(key), Some(value)) = (cells.first(), cells.get(1)) else {
            return;
        };
        match key.as_str() {
            "HTTP URL" => self.url = Some(without_query(value).to_owned()),
            "HTTP Method" => self.method = Some(value.to_ascii_uppercase()),
            _ if !value.is_empty() => self.notes.push(format!("{key}: {value}")),
            _ => {}
        }
    }

    /// A table's header row; `target` is where the heading above it sends its fields.
    fn header(&mut self, number: usize, text: &str, target: Option<Target>) {
        let columns: Vec<Column> = cells(text).iter().map(|c| column(c)).collect();
        if !(columns.contains(&Column::Name) && columns.contains(&Column::Type)) {
            self.mode = Mode::Skip;
            return;
        }
        let example = match target {
            Some(_) => None,
            None if self.url.is_none() && self.basics.is_none() => self.prose_example.take(),
            None => None,
        };
        // A second table of the same message body (`OA消息体参数：` after the table of its
        // `msgtype`): its rows join the body's table.
        let continues_body = target.is_none()
            && example.is_none()
            && self.url.is_none()
            && self
                .tables
                .last()
                .is_some_and(|t| t.target == Target::Model && t.example.is_some());
        if continues_body {
            self.recent_prose.clear();
            self.mode = Mode::Rows(columns);
            return;
        }
        let target = match (target, &example) {
            (Some(target), _) => target,
            (None, Some(_)) => Target::Model,
            (None, None) => {
                self.warn(
                    number,
                    "a table of fields under no heading that says where they go (查询参数, 请求体, 响应体, ...) and after no example body; its rows are not read",
                );
                self.mode = Mode::Skip;
                return;
            }
        };
        if std::mem::take(&mut self.sdk_table) {
            self.notes.push(format!(
                "the page gives the table at line {number} twice, for the SDK (SDK请求) and for the request on the wire (HTTP请求); the HTTP one is read"
            ));
            self.mode = Mode::Skip;
            return;
        }
        let description = example.as_ref().and_then(|(value, _)| {
            let tag = value.get("msgtype")?.as_str()?.to_ascii_lowercase();
            let named = self
                .recent_prose
                .iter()
                .rev()
                .find(|l| l.to_ascii_lowercase().contains(&tag))?;
            Some(named.trim_start_matches("- ").to_owned())
        });
        self.recent_prose.clear();
        self.tables.push(PageTable {
            target,
            table: Table {
                location: match target {
                    Target::Param(location) => Some(location),
                    Target::Response => None,
                    Target::Model => Some(ParamLocation::Body),
                },
                rows: Vec::new(),
                top_keys: None,
                example: None,
            },
            example: example.map(|(value, line)| (value, line, description)),
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
    /// own (a heading or a new row end the open row without a closing `|`).
    fn continue_row(&mut self, text: &str) -> bool {
        let new_row = self.open.as_ref().is_some_and(|open| open.is_new_row(text));
        if heading(text).is_some() || new_row {
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
        if let Some(table) = self.tables.last_mut() {
            let row = open.finish(table.target == Target::Response);
            table.table.rows.push(row);
        }
    }

    /// The draft: the operation, when the page gives an address, else the message bodies.
    fn draft(mut self) -> Draft {
        let request = self.example_of(Side::Request);
        let response = self.example_of(Side::Response);
        for page_table in &mut self.tables {
            page_table.table.top_keys = match page_table.target {
                Target::Param(ParamLocation::Body) => request.top_keys(),
                Target::Response => response.top_keys(),
                _ => None,
            };
            // A JSON body's example (not the JSON inside a form field).
            page_table.table.example = match page_table.target {
                Target::Param(ParamLocation::Body) if request.encoding().is_none() => {
                    request.json.clone()
                }
                Target::Response => response.json.clone(),
                _ => None,
            };
        }
        let mut draft = Draft::default();
        match (self.url.take(), self.method.take()) {
            (Some(url), Some(method)) => {
                let op = self.operation(method, url, &request, &response);
                draft.operations.push(op);
            }
            (url, _) => {
                if let Some(line) = self.basics {
                    let missing = if url.is_none() {
                        "HTTP URL"
                    } else {
                        "HTTP Method"
                    };
                    self.warn(line, format!("基本信息 gives no {missing}; the page's tables are not read as an operation"));
                }
                draft.models = self.models();
            }
        }
        self.warnings.sort_by_key(|w| w.line);
        draft.warnings = self.warnings;
        draft
    }

    /// The first example of `side` that holds something to read.
    fn example_of(&mut self, side: Side) -> ReadExample {
        let mut found = ReadExample::default();
        for (example_side, text) in &self.examples {
            if *example_side != side {
                continue;
            }
            let read = ReadExample::new(text);
            if let Some(warning) = &read.error {
                self.warnings.push(warning.clone());
            }
            if read.json.is_some() || !read.form.is_empty() || read.url.is_some() {
                found = read;
                break;
            }
        }
        found
    }

    fn operation(
        &mut self,
        method: String,
        url: String,
        request: &ReadExample,
        response: &ReadExample,
    ) -> DraftOperation {
        let (summary, line) = self.title.clone().unwrap_or_default();
        let description = self.description.join("\n");
        let mut notes = std::mem::take(&mut self.notes);
        let stability = description.contains("建议使用新版").then(|| {
            notes.push("deprecated: the page advises the new version (建议使用新版)".to_owned());
            "deprecated"
        });
        let url = checked_url(&method, url, request, &mut notes);
        let mut op = DraftOperation {
            summary: summary.clone(),
            description: (!description.is_empty()).then_some(description),
            doc: Some(format!("{summary} - {SITE}")),
            method,
            url,
            stability,
            encoding: request.encoding(),
            params: Vec::new(),
            response: Vec::new(),
            notes,
            line,
        };
        let tables: Vec<&Table> = self.tables.iter().map(|t| &t.table).collect();
        let placements = dingtalk_tables::place_all(&tables);
        for (page_table, placement) in self.tables.iter().zip(placements) {
            self.warnings.extend(placement.warnings.iter().cloned());
            let mut fields = dingtalk_tables::tree(&page_table.table, &placement);
            for field in &mut fields {
                finish_field(field);
            }
            match page_table.target {
                Target::Param(location) => {
                    if location == ParamLocation::Body {
                        if let Some(json) = &request.json {
                            fill_examples(&mut fields, json, "请求示例");
                        }
                    }
                    op.params.extend(fields.into_iter().map(|f| (location, f)));
                }
                Target::Response => {
                    if let Some(json) = &response.json {
                        fill_examples(&mut fields, json, "响应体示例");
                    }
                    op.response.extend(fields);
                }
                Target::Model => {}
            }
        }
        op
    }

    /// The message bodies: each table that follows an example body.
    fn models(&mut self) -> Vec<DraftModel> {
        let mut models = Vec::new();
        for page_table in &self.tables {
            let Some((value, line, description)) = &page_table.example else {
                continue;
            };
            let name = value
                .get("msgtype")
                .and_then(Value::as_str)
                .unwrap_or("message");
            let mut fields = model_fields(value, *line, &page_table.table.rows);
            for field in &mut fields {
                require_holders(field);
                finish_field(field);
            }
            models.push(DraftModel {
                name: name.to_owned(),
                description: description.clone(),
                fields,
                line: *line,
            });
        }
        models
    }
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url).trim()
}

/// What an example gives: its JSON body, its form fields, and the URL it calls.
#[derive(Debug, Clone, Default)]
struct ReadExample {
    json: Option<Value>,
    form: BTreeSet<String>,
    /// The method and absolute URL of its request line (with `Host:`) or curl command.
    url: Option<(Option<String>, String)>,
    error: Option<Warning>,
    /// The example as written.
    text: String,
}

impl ReadExample {
    fn new(example: &ExampleText) -> Self {
        let text = example.lines.join("\n");
        let mut read = ReadExample::default();
        if let Some(start) = text.find(['{', '[']) {
            match examples::parse(&text[start..]) {
                Ok(parsed) => read.json = Some(parsed.value),
                Err(err) => {
                    let line = example.line + text[..start].matches('\n').count() + err.line - 1;
                    read.error = Some(Warning {
                        line,
                        message: format!("an example body that cannot be read: {err}"),
                    });
                }
            }
        }
        for flag in ["-d '", "-F '", "--data '", "--form '"] {
            for (at, _) in text.match_indices(flag) {
                let rest = &text[at + flag.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with('=') {
                    read.form.insert(name);
                }
            }
        }
        read.url = request_url(&example.lines);
        read.text = text;
        read
    }

    /// The body's encoding when the example shows one other than JSON: a form
    /// (`application/x-www-form-urlencoded`, or `-d 'name=value'` fields without a JSON body),
    /// or multipart (`multipart/form-data`, `-F` fields).
    fn encoding(&self) -> Option<&'static str> {
        let lower = self.text.to_ascii_lowercase();
        if lower.contains("multipart/form-data") || self.text.contains("-F '") {
            Some("multipart")
        } else if lower.contains("application/x-www-form-urlencoded")
            || (self.json.is_none() && !self.form.is_empty())
        {
            Some("form")
        } else {
            None
        }
    }

    /// The names the example shows at the top level of its body.
    fn top_keys(&self) -> Option<BTreeSet<String>> {
        // A form's field may hold JSON text (`-d 'msg={...}'`): the fields name the top level.
        if self.encoding().is_some() && !self.form.is_empty() {
            return Some(self.form.clone());
        }
        match &self.json {
            Some(Value::Object(map)) => Some(map.keys().cloned().collect()),
            _ if !self.form.is_empty() => Some(self.form.clone()),
            _ => None,
        }
    }
}

/// The method and URL an example calls: its request line on its `Host:`, or its curl URL.
fn request_url(lines: &[String]) -> Option<(Option<String>, String)> {
    let host = lines.iter().find_map(|l| {
        let rest = l.strip_prefix("Host")?;
        let rest = rest.trim_start().strip_prefix(':')?;
        Some(rest.trim().to_owned())
    });
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [method, path, version] = words[..] {
            let is_method = method.chars().all(|c| c.is_ascii_uppercase());
            if is_method && path.starts_with('/') && version.starts_with("HTTP/") {
                let host = host.as_deref()?;
                return Some((
                    Some(method.to_owned()),
                    format!("https://{host}{}", without_query(path)),
                ));
            }
        }
        if line.starts_with("curl ") {
            let method = words
                .iter()
                .position(|w| *w == "-X")
                .and_then(|i| words.get(i + 1))
                .map(|m| m.to_ascii_uppercase());
            let url = words.iter().find_map(|w| {
                let w = w.trim_matches(['"', '\'']);
                w.starts_with("http").then(|| without_query(w).to_owned())
            })?;
            return Some((method, url));
        }
    }
    None
}

/// The table's URL, or the example's when its path ends with the table's and is longer (the
/// table dropped a segment such as `/v1.0`); a note when they differ.
fn checked_url(
    method: &str,
    url: String,
    example: &ReadExample,
    notes: &mut Vec<String>,
) -> String {
    let Some((example_method, example_url)) = &example.url else {
        return url;
    };
    if example_method.as_deref().is_some_and(|m| m != method) {
        return url;
    }
    let (host, path) = split_url(&url);
    let (example_host, example_path) = split_url(example_url);
    if path == example_path || host != example_host {
        return url;
    }
    if example_path.ends_with(path) && example_path.len() > path.len() {
        notes.push(format!(
            "the page's HTTP URL is `{url}`, its request example calls `{example_path}`; the example's path is taken (the table's drops `{}`)",
            &example_path[..example_path.len() - path.len()]
        ));
        return format!("{host}{example_path}");
    }
    notes.push(format!(
        "the page's HTTP URL is `{url}`, its request example calls `{example_url}`; the table's is kept"
    ));
    url
}

/// `https://host` and `/path` of a URL.
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(at) => url.split_at(after_scheme + at),
        None => (url, ""),
    }
}

/// Gives fields without an example the example body's value at their place.
fn fill_examples(fields: &mut [DraftField], body: &Value, section: &str) {
    let object = match body {
        Value::Array(items) => items.iter().find_map(Value::as_object),
        other => other.as_object(),
    };
    let Some(object) = object else {
        return;
    };
    for field in fields {
        if !object.contains_key(&field.name) {
            renamed_as_the_example(field, object, section);
        }
        let Some(value) = object.get(&field.name) else {
            continue;
        };
        if !field.children.is_empty() {
            fill_examples(&mut field.children, value, section);
            continue;
        }
        let scalar = match value {
            Value::Object(_) | Value::Null => false,
            Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
            _ => true,
        };
        // A masked number (`"41xxxx76"`, quoted when read) is no example of a number.
        let fits = !(value.is_string()
            && matches!(
                types::family_of_spec_type(&field.ty),
                Family::Integer | Family::Number
            ));
        if field.example.is_none() && scalar && fits {
            field.example = Some(value.clone());
            field
                .notes
                .push(format!("example taken from the page's {section}"));
        }
    }
}

/// A table row named otherwise than the example body names it (`deptId` beside the
/// example's `dept_id`): the example shows the wire, so its name is taken, with a note.
fn renamed_as_the_example(
    field: &mut DraftField,
    object: &serde_json::Map<String, Value>,
    section: &str,
) {
    use heck::{ToLowerCamelCase, ToSnakeCase};
    let spellings = [field.name.to_snake_case(), field.name.to_lower_camel_case()];
    if let Some(wire) = spellings.iter().find(|s| object.contains_key(s.as_str())) {
        field.notes.push(format!(
            "the table names it `{}`, the page's {section} `{wire}`: the example's name is taken, as the wire's",
            field.name
        ));
        field.name.clone_from(wire);
    }
}

/// What every field of this layout gets once placed: the values its description lists, and a
/// note on a file part.
pub(super) fn finish_field(field: &mut DraftField) {
    if types::family_of_spec_type(&field.ty) == Family::String && field.values.is_empty() {
        if let Some(description) = &field.description {
            let values = listed_values(&types::without_default_markers(description));
            if !values.is_empty() {
                let listed: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                field.notes.push(format!(
                    "an enumeration of the values its description lists ({})",
                    listed.join(", ")
                ));
                field.values = values;
            }
        }
    }
    if field.doc_type == "FileItem" {
        field.notes.push(
            "documented as `FileItem`: a file, sent as a part of a multipart/form-data body; drafted as `json`, it is `type: file` with the operation's `encoding: multipart`"
                .to_owned(),
        );
    }
    for child in &mut field.children {
        finish_field(child);
    }
}

/// The values a description lists, `- image：图片 - voice：语音` or `0：竖直 1：横向`: at least two
/// items, each a word (ASCII letters, digits, `_`, `-`, `.`) at the start or after a space,
/// then a colon and its meaning, up to the next item (or a 说明/重要 aside).
fn listed_values(description: &str) -> Vec<(String, Option<String>)> {
    let mut starts = Vec::new();
    for (at, colon) in description.match_indices(['：', ':']) {
        let before = &description[..at];
        let word_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &before[word_start..];
        let after = &description[at + colon.len()..];
        let boundary = before[..word_start]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        if !word.is_empty() && boundary && !after.starts_with("//") {
            starts.push((word_start, at + colon.len(), word.to_owned()));
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    let mut values = Vec::new();
    for (i, (_, meaning_start, word)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(description.len(), |next| next.0);
        let mut meaning = description[*meaning_start..end].trim();
        meaning = meaning.trim_end_matches('-').trim_end();
        for aside in [" 重要", " 说明"] {
            if let Some(cut) = meaning.find(aside) {
                meaning = meaning[..cut].trim_end();
            }
        }
        let meaning = meaning.trim_end_matches(['，', '。', ',', ';', '；']);
        values.push((
            word.clone(),
            (!meaning.is_empty()).then(|| meaning.to_owned()),
        ));
    }
    values
}

/// A message body's members: the example's, placed as the example shows them, each matched
/// to the table's row of its name; rows the example does not show are added at the top
/// level with a note.
fn model_fields(example: &Value, line: usize, rows: &[Row]) -> Vec<DraftField> {
    let mut fields = examples::fields_from_example(example, line);
    let mut matched: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut last_object: Option<Vec<usize>> = None;
    let mut unshown = Vec::new();
    for row in rows {
        if row.field.name.contains('.') {
            place_dotted(&mut fields, row, &mut matched, &mut unshown);
            continue;
        }
        let mut candidates = Vec::new();
        paths_named(&fields, &row.field.name, &mut Vec::new(), &mut candidates);
        candidates.retain(|p| !matched.contains(p));
        let inside_last = candidates.iter().filter(|p| {
            last_object
                .as_ref()
                .is_some_and(|o| p.len() > o.len() && p.starts_with(o))
        });
        let chosen = inside_last
            .min_by_key(|p| p.len())
            .or_else(|| candidates.iter().min_by_key(|p| p.len()))
            .cloned();
        let Some(path) = chosen else {
            let mut field = row.field.clone();
            field.notes.push(
                "the example body above the table does not show it; placed at the top level"
                    .to_owned(),
            );
            unshown.push(field);
            continue;
        };
        if let Some(field) = field_at(&mut fields, &path) {
            merge_row(field, row);
            if path.len() > 1 {
                field.notes.push(
                    "placed where the example body shows it: the table lists the body's members flat"
                        .to_owned(),
                );
            }
        }
        if row.object {
            last_object = Some(path.clone());
        }
        matched.insert(path);
    }
    fields.extend(unshown);
    sort_by_row(&mut fields);
    fields
}

/// A row whose name is dotted (`oa.head.bgcolor`): the member at that path of the example, or
/// a new member of the object at the path's parent when the example does not show it.
fn place_dotted(
    fields: &mut Vec<DraftField>,
    row: &Row,
    matched: &mut BTreeSet<Vec<usize>>,
    unshown: &mut Vec<DraftField>,
) {
    let segments: Vec<&str> = row.field.name.split('.').collect();
    let mut row = row.clone();
    row.field.name = segments
        .last()
        .map_or_else(String::new, |s| (*s).to_owned());
    let mut path = Vec::new();
    let mut level: &[DraftField] = fields;
    for (depth, segment) in segments.iter().enumerate() {
        match level.iter().position(|f| f.name == *segment) {
            Some(i) => {
                path.push(i);
                level = &level[i].children;
            }
            None if depth + 1 == segments.len() && !path.is_empty() => {
                let mut field = row.field;
                field.notes.push(format!(
                    "placed in `{}` as its dotted name `{}` says; the example body does not show it",
                    segments[..depth].join("."),
                    segments.join(".")
                ));
                if let Some(parent) = field_at(fields, &path) {
                    parent.children.push(field);
                }
                return;
            }
            None => {
                let mut field = row.field;
                field.notes.push(format!(
                    "documented as `{}`, whose holder the example body does not show; placed at the top level",
                    segments.join(".")
                ));
                unshown.push(field);
                return;
            }
        }
    }
    if let Some(field) = field_at(fields, &path) {
        merge_row(field, &row);
    }
    matched.insert(path);
}

/// The paths (indexes from the top) of the fields named `name`, in depth-first order.
fn paths_named(fields: &[DraftField], name: &str, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, field) in fields.iter().enumerate() {
        at.push(i);
        if field.name == name {
            out.push(at.clone());
        }
        paths_named(&field.children, name, at, out);
        at.pop();
    }
}

fn field_at<'a>(fields: &'a mut [DraftField], path: &[usize]) -> Option<&'a mut DraftField> {
    let (first, rest) = path.split_first()?;
    let field = fields.get_mut(*first)?;
    if rest.is_empty() {
        Some(field)
    } else {
        field_at(&mut field.children, rest)
    }
}

/// The example's field, documented by the table's row: the row's type (the example's when
/// the row says only `Object` or `Array`), requirement, description and notes.
fn merge_row(field: &mut DraftField, row: &Row) {
    let from_example = std::mem::take(field);
    let mut merged = row.field.clone();
    if row.object {
        if merged.ty != from_example.ty {
            merged.notes.push(format!(
                "documented as `{}`; typed `{}` as the example shows it",
                merged.doc_type, from_example.ty
            ));
        }
        merged.ty = from_example.ty;
    }
    merged.children = from_example.children;
    if merged.example.is_none() {
        merged.example = from_example.example;
    }
    *field = merged;
}

/// Marks required an object only the example shows when a member it holds is required: the
/// member cannot be sent without it.
fn require_holders(field: &mut DraftField) {
    for child in &mut field.children {
        require_holders(child);
    }
    if field.inferred && !field.required {
        if let Some(member) = field.children.iter().find(|c| c.required) {
            field.required = true;
            field.notes.push(format!(
                "required: it holds `{}`, which the table marks required",
                member.name
            ));
        }
    }
}

/// Orders fields as the table lists them; objects only the example shows come where their
/// first member does.
fn sort_by_row(fields: &mut [DraftField]) {
    for field in fields.iter_mut() {
        sort_by_row(&mut field.children);
    }
    fields.sort_by_key(first_row_line);
}

fn first_row_line(field: &DraftField) -> usize {
    if !field.inferred {
        return field.line;
    }
    field
        .children
        .iter()
        .map(first_row_line)
        .min()
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::layouts::dingtalk::DingTalk;

    fn read(text: &str) -> Draft {
        DingTalkPages.read(&Page::new(text))
    }

    fn names(fields: &[DraftField]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    fn params(op: &DraftOperation, location: ParamLocation) -> Vec<&DraftField> {
        op.params
            .iter()
            .filter(|(l, _)| *l == location)
            .map(|(_, f)| f)
            .collect()
    }

    const HEAD: &str = "\
获取部门用户userid列表
调用本接口获取指定部门的userid列表。
接口调用说明
- 本接口不受通讯录权限范围限制。
请求
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/topapi/user/listid?x=1 |
HTTP Method | post |
权限要求 | permission-qyapi_get_member-成员信息读权限 |
查询参数
名称 | 类型 | 是否必填 | 示例值 | 描述 |
access_token | String | 是 | bE74xxxx | 调用该API的应用凭证。 |
请求体
名称 | 类型 | 是否必填 | 示例值 | 描述 |
dept_id | Number | 是 | 100 | 部门deptId。 说明 如果是根部门，该参数传1。 |
响应
响应体
名称 | 类型 | 描述 |
nick | String | 用户的钉钉昵称。 |
响应体示例
HTTP/1.1 200 OK
Content-Type:application/json

{
  \"nick\" : \"zhangsan\"
}
";

    #[test]
    fn a_key_value_head() {
        let page = Page::new(HEAD);
        assert_eq!(DingTalkPages.detect(&page), 95);
        assert_eq!(DingTalk.detect(&page), 0);
        let draft = read(HEAD);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let [op] = &draft.operations[..] else {
            panic!("{:?}", draft.operations)
        };
        assert_eq!(op.summary, "获取部门用户userid列表");
        assert_eq!(op.line, 1);
        assert_eq!(
            (op.method.as_str(), op.url.as_str()),
            ("POST", "https://oapi.dingtalk.com/topapi/user/listid")
        );
        assert_eq!(
            op.doc.as_deref(),
            Some("获取部门用户userid列表 - 钉钉开放平台")
        );
        assert_eq!(
            op.description.as_deref(),
            Some("调用本接口获取指定部门的userid列表。\n接口调用说明\n- 本接口不受通讯录权限范围限制。")
        );
        assert_eq!(
            op.notes,
            ["权限要求: permission-qyapi_get_member-成员信息读权限"]
        );
        let [token] = &params(op, ParamLocation::Query)[..] else {
            panic!("{:?}", op.params)
        };
        assert_eq!(
            (token.name.as_str(), token.required),
            ("access_token", true)
        );
        let [dept] = &params(op, ParamLocation::Body)[..] else {
            panic!("{:?}", op.params)
        };
        assert_eq!((dept.ty.as_str(), dept.line), ("int64", 15));
        assert_eq!(dept.example, Some(serde_json::json!(100)));
        // The table has no example column: the example response gives it.
        let [nick] = &op.response[..] else {
            panic!("{:?}", op.response)
        };
        assert_eq!(nick.example, Some(serde_json::json!("zhangsan")));
        assert!(!nick.required);
    }

    /// The robot's body, flattened: the curl example's form fields name the top level.
    const NESTED: &str = "\
自定义机器人发送群消息
请求
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/robot/send |
HTTP Method | POST |
请求体
名称 | 类型 | 是否必填 | 示例值 | 描述 |
msgtype | String | 是 | text | 消息类型。 |
text | Object | 否 | | 文本类型消息。 |
content | String | 否 | 钉钉 | 文本消息的内容。 |
at | Object | 否 | | 被@的群成员信息。 |
isAtAll | Boolean | 否 | false | 是否@所有人。 - true：是 - false：否 |
link | Object | 否 | | 链接类型消息。 |
title | String | 否 | 这是标题 | 链接消息标题。 |
text | String | 否 | 链接消息的内容 | 链接消息的内容。 |
actionCard | Object | 否 | | actionCard类型消息。 |
title | String | 否 | 标题 | 消息会话列表中展示的标题。 |
btnOrientation | String | 否 | 1 | 消息内按钮排列方式。 - 0：按钮竖直排列 - 1：按钮横向排列 |
btns | Object[] | 否 | | 按钮的信息列表。 |
actionURL | String | 否 | https://www.dingtalk.com | 按钮跳转的URL。 |
title | String | 否 | 这是一个按钮 | 按钮上显示的文本。 |
请求示例
curl
curl -X POST \"https://oapi.dingtalk.com/robot/send\" \\
-d 'actionCard=null' \\
-d 'at=null' \\
-d 'link=null' \\
-d 'msgtype=text' \\
-d 'text=null'
";

    #[test]
    fn a_nested_table_placed_by_its_example() {
        let draft = read(NESTED);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        let body: Vec<DraftField> = params(op, ParamLocation::Body)
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(
            names(&body),
            ["msgtype", "text", "at", "link", "actionCard"]
        );
        assert_eq!(names(&body[1].children), ["content"]);
        assert_eq!(names(&body[2].children), ["isAtAll"]);
        assert!(
            body[2].children[0].values.is_empty(),
            "a boolean lists no values"
        );
        // `text` repeats a top-level name: it stays in `link`.
        assert_eq!(names(&body[3].children), ["title", "text"]);
        let card = &body[4];
        assert_eq!(names(&card.children), ["title", "btnOrientation", "btns"]);
        // `actionCard` has a `title`, but the example rules out the top level for it.
        assert_eq!(names(&card.children[2].children), ["actionURL", "title"]);
        let orientation = &card.children[1];
        assert_eq!(
            orientation.values,
            [
                ("0".to_owned(), Some("按钮竖直排列".to_owned())),
                ("1".to_owned(), Some("按钮横向排列".to_owned()))
            ]
        );
        assert!(body[1]
            .notes
            .iter()
            .any(|n| n.contains("line 11 (`at`) is a top-level member in the page's example")));
    }

    #[test]
    fn error_tables_are_skipped() {
        let page = format!(
            "{HEAD}\
错误码
若调用该接口报错，可根据错误信息在全局错误码文档中查找解决方案。
错误码（errcode） | 错误码描述（errmsg） | 解决方案 |
60003 | 未找到部门 | 请确认dept_id是否正确 |
-1 | 系统繁忙 | 请稍后重试 |
HttpCode | 错误码 | 错误信息 | 说明 |
400 | invalidClientIdOrSecret | 无效的clientId或者clientSecret | 无效的clientId或者clientSecret |
"
        );
        let draft = read(&page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        assert_eq!(names(&draft.operations[0].response), ["nick"]);
        // A table of fields that no heading places is reported, not guessed.
        let stray = HEAD.replace("响应体\n", "");
        let draft = read(&stray);
        assert_eq!(draft.warnings.len(), 1, "{:?}", draft.warnings);
        assert_eq!(draft.warnings[0].line, 17);
    }

    const MESSAGE_TYPES: &str = "\
消息发送与接收类型
本文介绍了通过机器人发送消息的类型与数据格式。
消息类型 | 接口方式发送机器人消息 | Webbook方式发送机器人消息 |
Text文本类型 | ✅ | ✅ |
Webhook发送消息的实现方式，请参考 https://open.dingtalk.com/document/ 。
文本text类型
{
    \"at\": {
        \"atMobiles\": [
            \"180xxxxxx\"
        ],
        \"isAtAll\": false
    },
    \"text\": {
        \"content\": \"我就是我\"
    },
    \"msgtype\": \"text\"
}
参数 | 是否必填 | 类型 | 说明 |
msgtype | 是 | String | text。 |
content | 是 | String | 消息文本。 |
atMobiles | 否 | Array | 被@人的手机号。 |
isAtAll | 否 | Boolean | @所有人是true，否则为false。 |
当不想回复消息到群里时，回复格式如下：
{
    \"msgtype\": \"empty\"
}
";

    #[test]
    fn a_page_without_an_endpoint() {
        let page = Page::new(MESSAGE_TYPES);
        assert!(DingTalkPages.detect(&page) > 0);
        let draft = read(MESSAGE_TYPES);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        assert!(draft.operations.is_empty());
        // The reply format `{"msgtype": "empty"}` has no table: it is no message body.
        let [model] = &draft.models[..] else {
            panic!("{:?}", draft.models)
        };
        assert_eq!(model.name, "text");
        assert_eq!(model.description.as_deref(), Some("文本text类型"));
        assert_eq!(model.line, 7);
        assert_eq!(names(&model.fields), ["msgtype", "text", "at"]);
        let text = &model.fields[1];
        assert!(text.inferred && text.required, "it holds a required member");
        assert_eq!(names(&text.children), ["content"]);
        assert_eq!(text.children[0].line, 21);
        let at = &model.fields[2];
        assert!(!at.required);
        assert_eq!(names(&at.children), ["atMobiles", "isAtAll"]);
        assert_eq!(at.children[0].ty, "list<string>");
        assert_eq!(at.children[0].doc_type, "Array");

        let settings = "\
自定义机器人安全设置
加签
参数 | 说明 |
timestamp | 开发者服务内当前系统时间戳，单位是毫秒。 |
https://oapi.dingtalk.com/robot/send?access_token=XXXXXX&timestamp=XXX&sign=XXX
";
        assert!(DingTalkPages.detect(&Page::new(settings)) > 0);
        let draft = read(settings);
        assert_eq!(
            draft,
            Draft {
                layout: "dingtalk-pages",
                ..Draft::default()
            }
        );
    }

    #[test]
    fn a_form_example_sets_the_encoding_and_names_the_top_level() {
        let page = "\
发送工作通知
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/topapi/message/corpconversation/asyncsend_v2 |
HTTP Method | POST |
请求体
名称 | 类型 | 是否必填 | 示例值 | 描述 |
agent_id | Number | 是 | 123L | 应用的AgentID。 |
msg | JSON Object | 是 | | 消息内容，最长不超过2048个字节，msgtype 包括： - text：文本消息 - image：图片消息 |
请求示例
curl
curl -X POST \"https://oapi.dingtalk.com/topapi/message/corpconversation/asyncsend_v2\" \\
-H 'Content-Type:application/x-www-form-urlencoded;charset=utf-8' \\
-d 'agent_id=123' \\
-d 'msg={\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}'
";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        assert_eq!(op.encoding, Some("form"));
        let body = params(op, ParamLocation::Body);
        assert_eq!(body[0].example, Some(serde_json::json!(123)));
        let msg = body[1];
        assert_eq!(msg.ty, "json", "an object, not text");
        assert!(
            msg.values.is_empty(),
            "the values listed are its members' tag's"
        );
        assert!(
            msg.limits.is_empty(),
            "bytes of JSON text are no field limit"
        );
    }

    #[test]
    fn dotted_rows_and_a_second_table_place_a_body_s_members() {
        let page = "\
消息通知类型
OA消息
{ \"msgtype\": \"oa\", \"oa\": { \"message_url\": \"http://dingtalk.com\", \"head\": { \"bgcolor\": \"FFBBBBBB\" } } }
参数说明：
名称 | 类型 | 是否必填 | 示例值 | 描述 |
msgtype | String | 是 | oa | 消息类型。 |
OA消息体参数：
名称 | 类型 | 是否必填 | 示例值 | 描述 |
oa.message_url | String | 是 | http://dingtalk.com | 消息点击链接地址。 |
oa.pc_message_url | String | 否 | http://dingtalk.com | PC端点击消息时跳转到的地址。 |
oa.head.bgcolor | String | 是 | FFBBBBBB | 字体颜色。 |
";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let model = &draft.models[0];
        assert_eq!(model.name, "oa");
        let oa = model.fields.iter().find(|f| f.name == "oa").expect("oa");
        let names: Vec<&str> = oa.children.iter().map(|f| f.name.as_str()).collect();
        // In the table's order; `head`, which only the example shows, where its member is.
        assert_eq!(names, ["message_url", "pc_message_url", "head"]);
        assert!(oa.children[0].required && !oa.children[1].required);
        assert_eq!(oa.children[2].children[0].name, "bgcolor");
        assert!(oa.children[2].children[0].required);
    }

    #[test]
    fn the_example_s_wire_name_is_taken_over_the_table_s() {
        let page = "\
获取部门详情
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/topapi/v2/department/get |
HTTP Method | POST |
响应体
名称 | 类型 | 描述 |
result | Object | 结果。 |
deptId | Number | 部门ID。 |
响应体示例
{ \"result\": { \"dept_id\": 41xxxx76 } }
";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let result = &draft.operations[0].response[0];
        assert_eq!(result.children[0].name, "dept_id");
        assert_eq!(
            result.children[0].example, None,
            "a masked number is no example"
        );
    }

    #[test]
    fn side_by_side_lists_and_the_nesting_an_example_shows() {
        let page = "\
查询用户详情
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/topapi/v2/user/get |
HTTP Method | POST |
响应体
名称 | 类型 | 示例值 | 描述 |
result | Object | | 结果。 |
dept_order_list | Object[] | | 排序。 |
dept_id | Number | 2 | 部门ID。 |
order | Number | 1 | 排序。 |
extension | String | x | 扩展属性。 |
leader_in_dept | Object[] | | 领导。 |
dept_id | Number | 2 | 部门ID。 |
leader | Boolean | true | 是否是领导。 |
union_emp_ext | Object | | 关联信息。 |
userid | String | 500 | 员工id。 |
union_emp_map_list | Object[] | | 关联映射关系。 |
userid | String | 5000 | 员工id。 |
响应体示例
{ \"errcode\": 0, \"result\": { \"extension\": \"x\", \"dept_order_list\": [{ \"dept_id\": 2, \"order\": 1 }],
  \"leader_in_dept\": [{ \"dept_id\": 2, \"leader\": true }],
  \"union_emp_ext\": { \"userid\": \"500\", \"union_emp_map_list\": [{ \"userid\": \"5000\" }] } } }
";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let result = &draft.operations[0].response[0];
        let names: Vec<&str> = result.children.iter().map(|f| f.name.as_str()).collect();
        // Rule 10 takes `extension` out of `dept_order_list`; rule 9 puts `leader_in_dept`
        // beside it (its first member repeats `dept_id`); the example keeps
        // `union_emp_map_list` inside `union_emp_ext` although its first member repeats
        // `userid`.
        assert_eq!(
            names,
            [
                "dept_order_list",
                "extension",
                "leader_in_dept",
                "union_emp_ext"
            ]
        );
        let ext = &result.children[3];
        assert_eq!(ext.children[1].name, "union_emp_map_list");
        assert_eq!(ext.children[1].children[0].name, "userid");

        // Without an example, rule 9 alone: the second list's first member repeats one of
        // the first list's, so the two lists are side by side.
        let page = "\
创建用户
基本信息 | |
HTTP URL | https://oapi.dingtalk.com/topapi/v2/user/create |
HTTP Method | POST |
请求体
名称 | 类型 | 是否必填 | 示例值 | 描述 |
dept_order_list | Object[] | 否 | | 排序。 |
dept_id | Number | 否 | 2 | 部门ID。 |
order | Number | 否 | 1 | 排序。 |
dept_title_list | Object[] | 否 | | 职位。 |
dept_id | Number | 否 | 2 | 部门ID。 |
title | String | 否 | 经理 | 职位。 |
";
        let draft = read(page);
        let body = params(&draft.operations[0], ParamLocation::Body);
        let names: Vec<&str> = body.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["dept_order_list", "dept_title_list"]);
        assert_eq!(body[1].children.len(), 2);
    }

    #[test]
    fn values_listed_in_descriptions() {
        let values = listed_values(
            "媒体文件类型： - image：图片，图片最大20MB。 - voice：语音。 重要 如果使用C#调用该接口出现40004错误。",
        );
        assert_eq!(
            values,
            [
                ("image".to_owned(), Some("图片，图片最大20MB".to_owned())),
                ("voice".to_owned(), Some("语音".to_owned()))
            ]
        );
        assert_eq!(
            listed_values("按钮排列顺序。 0：按钮竖直排列 1：按钮横向排列").len(),
            2
        );
        assert!(listed_values("消息类型，此时固定为：link。").is_empty());
        assert!(listed_values("跳转 https://a.com 或 http://b.com").is_empty());
        assert!(listed_values("- 如果使用授权码换token：传authorization_code - 使用刷新 token 换新 token：传refresh_token").is_empty());
    }

    #[test]
    fn the_request_example_restores_a_dropped_version() {
        let page = "\
获取第三方应用授权企业的accessToken
请求
基本信息 | |
HTTP URL | https://api.dingtalk.com/oauth2/corpAccessToken |
HTTP Method | POST |
请求示例
HTTP
POST /v1.0/oauth2/corpAccessToken HTTP/1.1
Host:api.dingtalk.com
";
        let op = &read(page).operations[0];
        assert_eq!(
            op.url,
            "https://api.dingtalk.com/v1.0/oauth2/corpAccessToken"
        );
        assert!(op.notes.iter().any(|n| n.contains("drops `/v1.0`")));
    }

    /// Each page with its operation's method and URL, or none.
    const PAGES: [(&str, Option<(&str, &str)>); 14] = [
        (
            include_str!("../../../../specs/dingtalk/sources/004_media_upload.txt"),
            Some(("POST", "https://oapi.dingtalk.com/media/upload")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/005_robot_send.txt"),
            Some(("POST", "https://oapi.dingtalk.com/robot/send")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/006_robot_message_type.txt"),
            None,
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/007_robot_security_settings.txt"),
            None,
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/008_user_listid.txt"),
            Some(("POST", "https://oapi.dingtalk.com/topapi/user/listid")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/009_oauth2_access_token.txt"),
            Some(("POST", "https://api.dingtalk.com/v1.0/oauth2/accessToken")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/010_oauth2_user_token.txt"),
            Some((
                "POST",
                "https://api.dingtalk.com/v1.0/oauth2/userAccessToken",
            )),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/011_contact_user_get.txt"),
            Some((
                "GET",
                "https://api.dingtalk.com/v1.0/contact/users/{unionId}",
            )),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/012_isv_get_suite_token.txt"),
            Some(("POST", "https://oapi.dingtalk.com/service/get_suite_token")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/013_isv_get_corp_token.txt"),
            Some(("POST", "https://oapi.dingtalk.com/service/get_corp_token")),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/014_isv_signature.txt"),
            None,
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/015_oauth2_suite_access_token.txt"),
            Some((
                "POST",
                "https://api.dingtalk.com/v1.0/oauth2/suiteAccessToken",
            )),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/016_oauth2_corp_access_token.txt"),
            Some((
                "POST",
                "https://api.dingtalk.com/v1.0/oauth2/corpAccessToken",
            )),
        ),
        (
            include_str!("../../../../specs/dingtalk/sources/017_isv_reauth_corp.txt"),
            Some(("POST", "https://oapi.dingtalk.com/service/reauth_corp")),
        ),
    ];

    #[test]
    fn the_fourteen_pages() {
        for (i, (text, endpoint)) in PAGES.iter().enumerate() {
            let page = Page::new(text);
            let score = DingTalkPages.detect(&page);
            assert!(score > DingTalk.detect(&page), "page {}", i + 4);
            let draft = crate::import::read(text).expect("read");
            assert_eq!(draft.layout, "dingtalk-pages", "page {}", i + 4);
            assert!(
                draft.warnings.is_empty(),
                "page {}: {:?}",
                i + 4,
                draft.warnings
            );
            let found: Vec<(&str, &str)> = draft
                .operations
                .iter()
                .map(|op| (op.method.as_str(), op.url.as_str()))
                .collect();
            assert_eq!(
                found,
                endpoint.iter().copied().collect::<Vec<_>>(),
                "page {}",
                i + 4
            );
        }
        let seed = include_str!("../../../../specs/dingtalk/sources/003_server_api.txt");
        let page = Page::new(seed);
        assert!(DingTalk.detect(&page) > DingTalkPages.detect(&page));

        let read_page = |n: usize| crate::import::read(PAGES[n - 4].0).expect("read");
        // 013: the HTTP请求 table is read, not the SDK's.
        let corp = read_page(13);
        let op = &corp.operations[0];
        assert_eq!(
            names(&op.params.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>()),
            [
                "accessKey",
                "timestamp",
                "suiteTicket",
                "signature",
                "auth_corpid"
            ]
        );
        assert_eq!(op.stability, Some("deprecated"));
        // 004: `type` is an enumeration; its sizes are no length limits.
        let media = read_page(4);
        let kind = params(&media.operations[0], ParamLocation::Body)[0];
        assert_eq!(kind.values.len(), 4);
        assert!(kind.limits.is_empty());
        // 006: six message bodies, the tags of DingTalk's robot messages.
        let bodies = read_page(6);
        let tags: Vec<&str> = bodies.models.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            tags,
            [
                "text",
                "link",
                "markdown",
                "actionCard",
                "actionCard",
                "feedCard"
            ]
        );
        let feed = &bodies.models[5];
        assert_eq!(
            names(&feed.fields[1].children[0].children),
            ["title", "messageURL", "picURL"]
        );
        assert!(feed.fields[1].required, "its links hold required members");
        // 011: headers and path parameters.
        let user = read_page(11);
        let op = &user.operations[0];
        assert_eq!(
            params(op, ParamLocation::Header)[0].name,
            "x-acs-dingtalk-access-token"
        );
        assert_eq!(params(op, ParamLocation::Path)[0].name, "unionId");
        assert_eq!(op.response.len(), 7);
    }

    /// Every page cut short at each line, and with each line left out, reads without a panic
    /// and with every warning on a line of the page.
    #[test]
    fn damaged_pages_never_panic() {
        for (text, _) in PAGES {
            let lines: Vec<&str> = text.lines().collect();
            for at in 0..lines.len() {
                let cut = lines[..at].join("\n");
                let mut gap = lines.clone();
                gap.remove(at);
                for damaged in [cut, gap.join("\n")] {
                    let count = damaged.lines().count();
                    let draft = read(&damaged);
                    assert!(
                        draft.warnings.iter().all(|w| (1..=count).contains(&w.line)),
                        "{:?}",
                        draft.warnings
                    );
                }
            }
        }
    }
}
