//! Markdown pages of pipe tables: headings name the endpoint (`## POST /path`) and its sections
//! (`### 请求参数`, `### 返回参数`), and each section's table lists one field per row, the
//! members of objects by dotted names.
//!
//! The layout, as the reader reads it:
//!
//! - A heading (`#` to `######`) or a line holding an HTTP method and a path or URL
//!   (`POST /v1/things`, in backticks or not) starts an endpoint; its summary is the rest of
//!   the heading, else the nearest heading above it. Prose between it and its first section is
//!   its description.
//! - Section headings: `请求参数`/`参数`/`Request` (the method decides the place: query for GET,
//!   DELETE and HEAD, else body, with a note), `Query`/`查询参数`, `Header`/`请求头`,
//!   `Path`/`路径参数`, `Body`/`请求体`; `返回参数`/`响应参数`/`返回`/`Response` for the
//!   response. A `位置`/`in` column overrides the section's place row by row. Any other heading
//!   closes the section, except that a table under a heading of one name (`### User`,
//!   `### User 对象`) is a model of that name.
//! - A table is a header row, a separator row (`|---|:---:|`) and data rows. Columns are known
//!   by their header, in any order: name (`参数`/`参数名`/`字段`/`名称`/`name`), type
//!   (`类型`/`type`), required (`必填`/`是否必须`/`required`, in the spellings of
//!   [`types::required`]), default (`默认值`), example (`示例`/`示例值`/`example`) and
//!   description (`说明`/`描述`/`备注`/`description`).
//! - Dotted names build the tree: `data` then `data.page_size` (its member), `list[].id` or
//!   `list.id` (a member of the list's objects). A member whose parent is not listed above it
//!   is a warning, never an invented parent.
//! - A description gives what the other columns do not: a default (`默认10`), limits
//!   (`最大长度20`) and enumeration values (`1-启用,2-禁用`, `可选值: a, b`), each with a note.
//! - Code blocks are skipped. A table row that cannot be read, a table with no name column, a
//!   table outside any endpoint or model, and a requirement cell of unknown spelling are
//!   warnings with their line numbers.

use crate::import::types::{self, Family};
use crate::import::{
    Draft, DraftField, DraftModel, DraftOperation, Layout, Page, ParamLocation, Warning,
};

/// Markdown pages of pipe tables.
pub struct MarkdownTables;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

impl Layout for MarkdownTables {
    fn name(&self) -> &'static str {
        "markdown-tables"
    }

    fn detect(&self, page: &Page<'_>) -> u32 {
        let lines = &page.lines;
        let table = (1..lines.len()).any(|i| {
            is_separator(lines[i])
                && lines[i - 1].trim_start().starts_with('|')
                && Columns::of(&cells(lines[i - 1])).name.is_some()
        });
        if !table {
            return 0;
        }
        let endpoint = lines
            .iter()
            .any(|l| heading(l).is_some_and(|h| endpoint_line(h).is_some()));
        if endpoint {
            90
        } else {
            40
        }
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let mut reader = Reader::default();
        let mut i = 0;
        while i < page.lines.len() {
            i = reader.line(&page.lines, i);
        }
        reader.finish()
    }
}

/// Where a table's rows go.
#[derive(Debug, Clone, Default, PartialEq)]
enum Section {
    /// Nowhere yet: prose after an endpoint's line is its description.
    None,
    /// Request parameters, at a place (or the method's default place).
    Request(Option<ParamLocation>),
    /// Response members.
    Response,
    /// A model of this name, headed at this page line.
    Model(String, usize),
    /// A heading that is none of those, or no heading yet.
    #[default]
    Other,
}

#[derive(Default)]
struct Reader {
    draft: Draft,
    operation: Option<DraftOperation>,
    section: Section,
    /// The text of the last heading, a title for the next endpoint.
    last_heading: Option<String>,
    description: Vec<String>,
}

impl Reader {
    fn warn(&mut self, index: usize, message: String) {
        self.draft.warnings.push(Warning {
            line: Page::line_number(index),
            message,
        });
    }

    /// Reads the line at `i` (a whole table or code block from there) and returns the index
    /// after what it read.
    fn line(&mut self, lines: &[&str], i: usize) -> usize {
        let line = lines[i];
        let text = line.trim();
        if text.starts_with("```") || text.starts_with("~~~") {
            let fence = &text[..3];
            return (i + 1..lines.len())
                .find(|&j| lines[j].trim().starts_with(fence))
                .map_or(lines.len(), |j| j + 1);
        }
        if text.starts_with('|') {
            return self.table(lines, i);
        }
        if let Some(title) = heading(line) {
            match endpoint_line(title) {
                Some((method, url, rest)) => self.start_operation(i, method, url, rest),
                None => self.heading(title, Page::line_number(i)),
            }
            return i + 1;
        }
        if let Some((method, url, _)) = endpoint_line(text.trim_matches('`')) {
            self.start_operation(i, method, url, "");
            return i + 1;
        }
        if self.operation.is_some() && self.section == Section::None && !text.is_empty() {
            self.description.push(text.to_owned());
        }
        i + 1
    }

    fn start_operation(&mut self, index: usize, method: &str, url: &str, rest: &str) {
        self.close_operation();
        let summary = if rest.is_empty() {
            self.last_heading.clone().unwrap_or_else(|| url.to_owned())
        } else {
            rest.to_owned()
        };
        self.operation = Some(DraftOperation {
            summary,
            method: method.to_owned(),
            url: url.split(['?', '#']).next().unwrap_or_default().to_owned(),
            line: Page::line_number(index),
            ..DraftOperation::default()
        });
        self.section = Section::None;
    }

    fn close_operation(&mut self) {
        if let Some(mut op) = self.operation.take() {
            if !self.description.is_empty() {
                op.description = Some(self.description.join("\n"));
            }
            self.draft.operations.push(op);
        }
        self.description.clear();
    }

    fn heading(&mut self, title: &str, line: usize) {
        self.section = match section_of(title) {
            Section::Other => {
                model_name(title).map_or(Section::Other, |name| Section::Model(name, line))
            }
            other => other,
        };
        self.last_heading = Some(title.to_owned());
    }

    /// Reads the table starting at `start`; returns the index after it.
    fn table(&mut self, lines: &[&str], start: usize) -> usize {
        let end = (start..lines.len())
            .find(|&j| !lines[j].trim_start().starts_with('|'))
            .unwrap_or(lines.len());
        if start + 1 >= end || !is_separator(lines[start + 1]) {
            for j in start..end {
                self.warn(
                    j,
                    "a table row without a header and separator row above it".to_owned(),
                );
            }
            return end;
        }
        let columns = Columns::of(&cells(lines[start]));
        if columns.name.is_none() {
            self.warn(
                start,
                "a table without a name column (参数, 字段, name) is not read".to_owned(),
            );
            return end;
        }
        let section = self.section.clone();
        if section == Section::Other {
            self.warn(
                start,
                "a table outside any endpoint's or model's section is not read".to_owned(),
            );
            return end;
        }
        let mut rows = Vec::new();
        for (j, line) in lines.iter().enumerate().take(end).skip(start + 2) {
            if let Some(row) = self.row(&columns, &cells(line), j) {
                rows.push(row);
            }
        }
        self.place(section, rows);
        end
    }

    /// One data row as a field with its dotted path and its place, if it can be read.
    fn row(&mut self, columns: &Columns, cells: &[String], index: usize) -> Option<Row> {
        if cells.iter().all(String::is_empty) {
            return None;
        }
        if cells.len() != columns.count {
            self.warn(
                index,
                format!(
                    "the row has {} cells, the header {}; read by position",
                    cells.len(),
                    columns.count
                ),
            );
        }
        let cell = |at: Option<usize>| at.and_then(|i| cells.get(i)).map_or("", String::as_str);
        let name = cell(columns.name).trim_matches(['`', '*', ' ']);
        if name.is_empty() {
            self.warn(index, "a row without a name".to_owned());
            return None;
        }
        let path: Vec<String> = name
            .split('.')
            .map(|s| s.trim().trim_end_matches("[]").to_owned())
            .collect();
        if path.iter().any(String::is_empty) {
            self.warn(index, format!("cannot read the name `{name}`"));
            return None;
        }
        let required_cell = cell(columns.required);
        let required = match types::required(required_cell) {
            Some(required) => required,
            None if required_cell.is_empty() => false,
            None => {
                self.warn(
                    index,
                    format!("`{required_cell}` does not say whether `{name}` is required; read as optional"),
                );
                false
            }
        };
        let mut field = field(
            path.last().cloned().unwrap_or_default(),
            cell(columns.ty),
            cell(columns.description),
            Page::line_number(index),
        );
        field.required = required;
        fill_default_and_example(&mut field, cell(columns.default), cell(columns.example));
        let location = location_of(cell(columns.location));
        Some(Row {
            path,
            field,
            location,
        })
    }

    /// Puts the rows of a table into the tree of their section.
    fn place(&mut self, section: Section, rows: Vec<Row>) {
        let mut unplaced = Vec::new();
        match section {
            Section::Response => {
                if let Some(op) = self.operation.as_mut() {
                    for row in rows {
                        unplaced.extend(insert(&mut op.response, row));
                    }
                }
            }
            Section::Model(name, line) => {
                let mut fields = Vec::new();
                for row in rows {
                    unplaced.extend(insert(&mut fields, row));
                }
                self.draft.models.push(DraftModel {
                    name,
                    description: None,
                    fields,
                    line,
                });
            }
            Section::Request(place) => unplaced = self.place_params(place, rows),
            Section::None => unplaced = self.place_params(None, rows),
            Section::Other => {}
        }
        for row in unplaced {
            let name = row.path.join(".");
            let parent = row.path[..row.path.len() - 1].join(".");
            self.draft.warnings.push(Warning {
                line: row.field.line,
                message: format!(
                    "`{name}` is not placed: its parent `{parent}` is not listed above it"
                ),
            });
        }
    }

    /// Adds request rows to the operation's parameters; returns the rows it could not place.
    fn place_params(&mut self, place: Option<ParamLocation>, rows: Vec<Row>) -> Vec<Row> {
        let Some(op) = self.operation.as_mut() else {
            return Vec::new();
        };
        let by_method = match op.method.as_str() {
            "GET" | "DELETE" | "HEAD" | "OPTIONS" => ParamLocation::Query,
            _ => ParamLocation::Body,
        };
        let mut unplaced = Vec::new();
        for mut row in rows {
            if row.path.len() > 1 {
                // A member: its parent is the last parameter of that name, wherever it travels.
                let root = op
                    .params
                    .iter_mut()
                    .rev()
                    .find(|(_, f)| f.name == row.path[0]);
                match root {
                    Some((_, root)) => {
                        unplaced.extend(attach(std::slice::from_mut(root), row));
                    }
                    None => unplaced.push(row),
                }
                continue;
            }
            let location = row.location.or(place).unwrap_or(by_method);
            if row.location.is_none() && place.is_none() {
                row.field.notes.push(format!(
                    "the page does not say where it travels: {} for a {}",
                    location_name(location),
                    op.method
                ));
            }
            op.params.push((location, row.field));
        }
        unplaced
    }

    fn finish(mut self) -> Draft {
        self.close_operation();
        self.draft.warnings.sort_by_key(|w| w.line);
        self.draft
    }
}

/// A table row read: its dotted path, the field, and the place its `位置` cell gives.
#[derive(Debug)]
struct Row {
    path: Vec<String>,
    field: DraftField,
    location: Option<ParamLocation>,
}

/// Adds a row at the top of `fields` or under the parent its dotted name gives; the row back
/// when the parent is not there.
fn insert(fields: &mut Vec<DraftField>, row: Row) -> Option<Row> {
    if row.path.len() == 1 {
        fields.push(row.field);
        None
    } else {
        attach(fields, row)
    }
}

/// Adds a member under its parent (the last field of each name on its path); the row back
/// when the parent is not there.
fn attach(fields: &mut [DraftField], row: Row) -> Option<Row> {
    let Some(parent) = find_path(fields, &row.path[..row.path.len() - 1]) else {
        return Some(row);
    };
    let mapped = types::map_type(&parent.doc_type);
    if !mapped.object && !parent.doc_type.is_empty() {
        parent.notes.push(format!(
            "the page lists members under it although its type is `{}`",
            parent.doc_type
        ));
    }
    parent.children.push(row.field);
    None
}

fn find_path<'f>(fields: &'f mut [DraftField], path: &[String]) -> Option<&'f mut DraftField> {
    let (first, rest) = path.split_first()?;
    let field = fields.iter_mut().rev().find(|f| f.name == *first)?;
    if rest.is_empty() {
        Some(field)
    } else {
        find_path(&mut field.children, rest)
    }
}

/// The columns of a table, by role, from its header row.
#[derive(Debug, Default)]
struct Columns {
    count: usize,
    name: Option<usize>,
    ty: Option<usize>,
    required: Option<usize>,
    default: Option<usize>,
    example: Option<usize>,
    description: Option<usize>,
    location: Option<usize>,
}

impl Columns {
    fn of(header: &[String]) -> Self {
        let mut columns = Columns {
            count: header.len(),
            ..Columns::default()
        };
        for (i, cell) in header.iter().enumerate() {
            let word = cell.trim_matches(['*', '`', ' ']).to_lowercase();
            let slot = match word.as_str() {
                "参数" | "参数名" | "参数名称" | "字段" | "字段名" | "字段名称" | "名称"
                | "属性" | "name" | "field" | "parameter" | "param" | "key" => &mut columns.name,
                "类型" | "数据类型" | "参数类型" | "字段类型" | "type" => {
                    &mut columns.ty
                }
                "必填" | "是否必填" | "是否必须" | "必须" | "必选" | "是否必选" | "必需"
                | "required" => &mut columns.required,
                "默认值" | "默认" | "default" => &mut columns.default,
                "示例" | "示例值" | "例子" | "example" | "sample" => &mut columns.example,
                "说明" | "描述" | "备注" | "含义" | "description" | "desc" | "remark" => {
                    &mut columns.description
                }
                "位置" | "参数位置" | "in" | "location" => &mut columns.location,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        columns
    }
}

/// The cells of a pipe-table row, trimmed; `\|` is a pipe inside a cell and `<br>` a line
/// break.
fn cells(line: &str) -> Vec<String> {
    let text = line.trim();
    let text = text.strip_prefix('|').unwrap_or(text);
    let text = text.strip_suffix('|').unwrap_or(text);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    out.push(cell);
    out.into_iter()
        .map(|c| {
            c.replace("<br/>", "\n")
                .replace("<br />", "\n")
                .replace("<br>", "\n")
                .trim()
                .to_owned()
        })
        .collect()
}

/// `|---|:---:|`: a table's separator row.
fn is_separator(line: &str) -> bool {
    let text = line.trim();
    text.starts_with('|')
        && text.contains('-')
        && text
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// A heading's text without its `#`s.
fn heading(line: &str) -> Option<&str> {
    let text = line.trim_start();
    let hashes = text.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &text[hashes..];
    rest.starts_with([' ', '\t'])
        .then(|| rest.trim().trim_end_matches('#').trim())
}

/// `POST /path`, `POST https://host/path`, `创建用户 POST /path`: the method, the URL and the
/// rest of the text (without backticks).
fn endpoint_line(text: &str) -> Option<(&'static str, &str, &str)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| {
        METHODS.contains(&w.trim_matches(['`', '*']).to_ascii_uppercase().as_str())
    })?;
    let method = METHODS
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(words[at].trim_matches(['`', '*'])))?;
    let url = words.get(at + 1)?.trim_matches(['`', '*']);
    if !(url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    // The rest: the words before the method (a title), else those after the URL.
    let rest = if at > 0 {
        let end = text.find(words[at]).unwrap_or(text.len());
        text[..end]
            .trim()
            .trim_matches(['`', '*', ':', '：', '-'])
            .trim()
    } else {
        let start = text
            .find(words[at + 1])
            .map_or(text.len(), |i| i + words[at + 1].len());
        text[start..]
            .trim()
            .trim_matches(['`', '*', '-', ':', '：'])
            .trim()
    };
    Some((method, url, rest))
}

/// What a heading inside an endpoint names.
fn section_of(title: &str) -> Section {
    let lower = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["示例", "example", "错误码", "error code"]) {
        return Section::Other;
    }
    if has(&["返回", "响应", "response", "出参"]) {
        return Section::Response;
    }
    if has(&["query", "查询参数"]) {
        return Section::Request(Some(ParamLocation::Query));
    }
    if has(&["header", "请求头"]) {
        return Section::Request(Some(ParamLocation::Header));
    }
    if has(&["path", "路径参数"]) {
        return Section::Request(Some(ParamLocation::Path));
    }
    if has(&["body", "请求体"]) {
        return Section::Request(Some(ParamLocation::Body));
    }
    if has(&["参数", "request", "入参"]) {
        return Section::Request(None);
    }
    Section::Other
}

/// A model's name from its heading: one identifier, with `对象`/`模型`/`model`/`object` after it.
fn model_name(title: &str) -> Option<String> {
    let mut words = title.split_whitespace();
    let name = words.next()?.trim_matches('`');
    let rest: Vec<&str> = words.collect();
    let named = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let only_kind = rest.iter().all(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "对象" | "模型" | "model" | "object"
        )
    });
    (named && only_kind).then(|| name.to_owned())
}

fn location_of(cell: &str) -> Option<ParamLocation> {
    match cell.trim().to_lowercase().as_str() {
        "query" | "查询" | "url" => Some(ParamLocation::Query),
        "header" | "请求头" | "头部" | "head" => Some(ParamLocation::Header),
        "path" | "路径" => Some(ParamLocation::Path),
        "body" | "请求体" | "formdata" | "form" | "json" => Some(ParamLocation::Body),
        _ => None,
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "the path",
        ParamLocation::Query => "the query",
        ParamLocation::Header => "a header",
        ParamLocation::Body => "the body",
    }
}

/// A field from its cells: the type mapped, the description's limits and values read.
fn field(name: String, doc_type: &str, description: &str, line: usize) -> DraftField {
    let mapped = if doc_type.is_empty() {
        types::MappedType {
            ty: "string".to_owned(),
            family: Family::String,
            object: false,
            note: Some("the page gives no type; read as a string".to_owned()),
        }
    } else {
        types::map_type(doc_type)
    };
    let mut notes: Vec<String> = mapped.note.into_iter().collect();
    let (limits, limit_notes) = types::limits_from_prose(
        description,
        mapped.family == Family::List,
        mapped.family == Family::String,
    );
    notes.extend(limit_notes);
    let values = values_from_prose(description);
    if !values.is_empty() {
        notes.push("values read from the description".to_owned());
    }
    DraftField {
        name,
        doc_type: doc_type.to_owned(),
        ty: mapped.ty,
        description: (!description.is_empty()).then(|| description.to_owned()),
        limits,
        values,
        notes,
        line,
        ..DraftField::default()
    }
}

/// The default (its column, else the description's `默认…`) and the example, as values of the
/// field's family.
fn fill_default_and_example(field: &mut DraftField, default: &str, example: &str) {
    let family = types::family_of_spec_type(&field.ty);
    field.example = types::example_value(example, family);
    field.default = types::example_value(default, family);
    if field.default.is_none() {
        let prose = field
            .description
            .as_deref()
            .and_then(types::default_from_prose);
        if let Some(value) = prose {
            field
                .notes
                .push(format!("default read from the description (`{value}`)"));
            field.default = types::example_value(&value, family);
        }
    }
}

/// Enumeration values a description lists: after `可选值:`/`枚举值:`/`取值:` (`a, b`), or as
/// two or more `value-meaning` pairs (`1-启用,2-禁用`, `1是,0否`, `A:甲;B:乙`).
fn values_from_prose(text: &str) -> Vec<(String, Option<String>)> {
    for label in ["可选值", "枚举值", "取值范围", "取值"] {
        let Some(at) = text.find(label) else {
            continue;
        };
        let rest = text[at + label.len()..].trim_start_matches([' ', ':', '：', '为']);
        let list = rest
            .split(['。', '\n', ';', '；'])
            .next()
            .unwrap_or_default();
        let values: Vec<(String, Option<String>)> = list
            .split([',', '，', '、', '/', '|'])
            .map(|v| v.trim().trim_matches('`'))
            .filter(|v| !v.is_empty())
            .map(|v| match pair(v) {
                Some((value, meaning)) => (value, Some(meaning)),
                None => (v.to_owned(), None),
            })
            .collect();
        if values.len() >= 2 && values.iter().all(|(v, _)| is_value_word(v)) {
            return values;
        }
    }
    let parts: Vec<&str> = text.split([',', '，', ';', '；', '、', '\n']).collect();
    let mut best: Vec<(String, Option<String>)> = Vec::new();
    let mut run: Vec<(String, Option<String>)> = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        // The first pair of a run may follow a label (`状态:1-启用`, `(1是`).
        let candidate = if run.is_empty() {
            part.rsplit([':', '：', '(', '（']).next().unwrap_or(part)
        } else {
            part
        };
        let candidate = if n + 1 == parts.len() || !run.is_empty() {
            candidate.split([')', '）']).next().unwrap_or(candidate)
        } else {
            candidate
        };
        match pair(candidate.trim()) {
            Some((value, meaning)) => run.push((value, Some(meaning))),
            None => {
                if run.len() > best.len() {
                    best = std::mem::take(&mut run);
                }
                run.clear();
            }
        }
    }
    if run.len() > best.len() {
        best = run;
    }
    if best.len() >= 2 {
        best
    } else {
        Vec::new()
    }
}

/// `1-启用`, `1:启用`, `1=启用`, `1是`, `A 甲`: a short value and its meaning.
fn pair(text: &str) -> Option<(String, String)> {
    let value: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if value.is_empty() || value.len() > 20 {
        return None;
    }
    let rest = &text[value.len()..];
    let separated = rest.trim_start_matches([' ', '-', ':', '：', '=', '为']);
    let had_separator = separated.len() < rest.len();
    let numeric = value.chars().all(|c| c.is_ascii_digit());
    let meaning = separated.trim();
    if meaning.is_empty() || !(had_separator || numeric) {
        return None;
    }
    if meaning.starts_with(|c: char| c.is_ascii_alphanumeric()) && !had_separator {
        return None;
    }
    Some((value, meaning.to_owned()))
}

fn is_value_word(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A made-up page: two endpoints (one in a backticked line under its title, one in its
    /// heading), every header spelling, dotted members, a model, and three rows that cannot be
    /// read as they are.
    const PAGE: &str = "# 订单服务

## 查询订单列表

`GET /v1/orders?page_no=1`

按条件分页查询订单。

### 请求参数

| 参数 | 位置 | 类型 | 必填 | 默认值 | 说明 |
|---|---|---|---|---|---|
| page_no | | integer | 是 | 1 | 页码,从1开始 |
| status | | integer | 否 | | 状态:1-待支付,2-已支付 |
| X-Trace-Id | header | string | 否 | | 链路标识 |

```json
| not | a | table |
```

## POST /v1/orders 创建订单

### Body 参数

| 字段 | 类型 | 是否必须 | 示例 | 描述 |
| :--- | :---: | --- | --- | --- |
| data | object | Y | | 订单 |
| data.page_size | integer | 是 | 10 | 分页大小,默认10 |
| data.items | array | required | | 商品列表,最多20个 |
| data.items[].sku | string | 是 | A1 | SKU \\| 编码 |
| data.items.count | int | 否 | 2 | 数量 |
| data.remark | string | maybe | | 备注 |
| ghost.id | string | 是 | | 没有父级 |

### 返回参数

| description | required | type | name |
|---|---|---|---|
| 0 成功 | true | integer | code |
| 列表 | false | object[] | list |
| 编号 | true | long | list[].id |

### User 对象

| name | type | description |
|---|---|---|
| id | long | 用户编号 |
| role | string | 可选值: admin, member |
";

    fn read(text: &str) -> Draft {
        MarkdownTables.read(&Page::new(text))
    }

    fn names(fields: &[DraftField]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn the_layout_is_detected_and_others_are_not() {
        assert_eq!(MarkdownTables.detect(&Page::new(PAGE)), 90);
        let tables_only = "| 参数 | 类型 |\n|---|---|\n| a | string |";
        assert_eq!(MarkdownTables.detect(&Page::new(tables_only)), 40);
        let apifox = include_str!("../../../../specs/chengxun/sources/000_set_enterprise_data.txt");
        assert_eq!(MarkdownTables.detect(&Page::new(apifox)), 0);
        let dingtalk = "请求方式:GET\n请求地址:https://oapi.dingtalk.com/gettoken\nQuery参数\n名称 | 类型 | 是否必填 | 示例值 | 描述 |\nappkey | String | 是 | dingeqqpkv3xxxx | 应用的唯一标识key。 |";
        assert_eq!(MarkdownTables.detect(&Page::new(dingtalk)), 0);
        let tze =
            "序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n1 |\nmsgtype |";
        assert_eq!(MarkdownTables.detect(&Page::new(tze)), 0);
        // A table without a name column is no field table.
        assert_eq!(
            MarkdownTables.detect(&Page::new(
                "## GET /a\n| 错误码 | 说明 |\n|---|---|\n| 1 | x |"
            )),
            0
        );
    }

    #[test]
    fn endpoints_and_their_parameters_are_read() {
        let draft = read(PAGE);
        let summaries: Vec<(&str, &str, &str, usize)> = draft
            .operations
            .iter()
            .map(|op| {
                (
                    op.summary.as_str(),
                    op.method.as_str(),
                    op.url.as_str(),
                    op.line,
                )
            })
            .collect();
        assert_eq!(
            summaries,
            [
                ("查询订单列表", "GET", "/v1/orders", 5),
                ("创建订单", "POST", "/v1/orders", 21)
            ]
        );
        let list = &draft.operations[0];
        assert_eq!(list.description.as_deref(), Some("按条件分页查询订单。"));
        let located: Vec<(ParamLocation, &str, bool)> = list
            .params
            .iter()
            .map(|(l, f)| (*l, f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            located,
            [
                (ParamLocation::Query, "page_no", true),
                (ParamLocation::Query, "status", false),
                (ParamLocation::Header, "X-Trace-Id", false),
            ]
        );
        let page_no = &list.params[0].1;
        assert_eq!(
            (page_no.ty.as_str(), page_no.default.clone()),
            ("int32", Some(json!(1)))
        );
        assert_eq!(page_no.limits.min, Some(1));
        assert!(page_no
            .notes
            .iter()
            .any(|n| n.contains("the query for a GET")));
        let status = &list.params[1].1;
        assert_eq!(
            status.values,
            [
                ("1".to_owned(), Some("待支付".to_owned())),
                ("2".to_owned(), Some("已支付".to_owned()))
            ]
        );
    }

    #[test]
    fn dotted_names_build_the_tree() {
        let draft = read(PAGE);
        let create = &draft.operations[1];
        assert_eq!(create.params.len(), 1);
        let (location, data) = &create.params[0];
        assert_eq!((*location, data.required), (ParamLocation::Body, true));
        assert_eq!(names(&data.children), ["page_size", "items", "remark"]);
        let page_size = &data.children[0];
        assert_eq!(page_size.example, Some(json!(10)));
        assert_eq!(page_size.default, Some(json!(10)), "from 默认10");
        let items = &data.children[1];
        assert_eq!((items.ty.as_str(), items.required), ("list<json>", true));
        assert_eq!(items.limits.max_items, Some(20));
        assert_eq!(names(&items.children), ["sku", "count"]);
        assert_eq!(items.children[0].description.as_deref(), Some("SKU | 编码"));
        assert_eq!(items.children[1].ty, "int32");
        let response: Vec<(&str, &str, bool)> = create
            .response
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_str(), f.required))
            .collect();
        assert_eq!(
            response,
            [("code", "int32", true), ("list", "list<json>", false)]
        );
        assert_eq!(names(&create.response[1].children), ["id"]);
        assert_eq!(create.response[1].children[0].ty, "int64");
    }

    #[test]
    fn a_heading_of_one_name_is_a_model() {
        let draft = read(PAGE);
        let [model] = draft.models.as_slice() else {
            panic!("one model: {:?}", draft.models);
        };
        assert_eq!((model.name.as_str(), model.line), ("User", 43));
        assert_eq!(names(&model.fields), ["id", "role"]);
        let values: Vec<&str> = model.fields[1]
            .values
            .iter()
            .map(|(v, _)| v.as_str())
            .collect();
        assert_eq!(values, ["admin", "member"]);
    }

    #[test]
    fn rows_that_cannot_be_placed_are_warnings_with_their_lines() {
        let draft = read(PAGE);
        let warnings: Vec<(usize, &str)> = draft
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(warnings[0].0, 32);
        assert!(warnings[0].1.contains("`maybe`"), "{}", warnings[0].1);
        assert_eq!(warnings[1].0, 33);
        assert!(
            warnings[1].1.contains("`ghost.id` is not placed"),
            "{}",
            warnings[1].1
        );
        // The row is read as optional, not dropped.
        let data = &draft.operations[1].params[0].1;
        assert!(!data.children[2].required);
        let outside = read("| 参数 | 类型 |\n|---|---|\n| a | string |");
        assert_eq!(outside.warnings[0].line, 1);
        assert!(outside.operations.is_empty());
    }

    #[test]
    fn prose_values_and_pairs() {
        assert_eq!(
            values_from_prose("是否查下N级节点(1是,0否),默认1"),
            [
                ("1".to_owned(), Some("是".to_owned())),
                ("0".to_owned(), Some("否".to_owned()))
            ]
        );
        assert_eq!(values_from_prose("0 成功").len(), 0);
        assert_eq!(values_from_prose("枚举值：LIST、KEYDATA").len(), 2);
        assert!(values_from_prose("用户名,最长20").is_empty());
    }
}
