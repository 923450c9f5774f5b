//! The tze.cn layout (`tze`): the open platform's pages (開放平臺) as copied, in traditional
//! Chinese with the pinyin reading of some characters in brackets after them (機構(gòu)).
//!
//! The layout, as the reader reads it:
//!
//! - The readings are dropped first, everywhere: a bracket right after a Chinese character
//!   holding one Latin syllable with a tone mark. A bracket without a tone mark is kept.
//! - The lines before the first table are prose (the operation's description) and a key-value
//!   block, `url | https://... |`, `請求方式 | get |`, `是否需要鑒權 | 是 |`, ... The URL's query
//!   string is dropped; the other keys go to the description as `key: value`.
//! - A table starts at its header, `序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |`, and its
//!   separator. Its rows span several lines, a cell per line (`1 |`, `org_id |`, `必選 |`,
//!   `String |`, ...), so the reader takes the cells in order and starts a row at a number
//!   cell followed by a name and a requirement (`必選`, `可選`). After the type come the
//!   length and the description; when the length is empty the copy prints the description
//!   first and then an empty cell (`部門id | |`), so a lone non-empty cell is the
//!   description unless it is a number or `-`.
//! - The numbers give the nesting: `3.1` is a member of `3`, `5.2.6` of `5.2`.
//! - With a `url` in the key-value block, the first table is the request's (its parameters
//!   travel in the query string of a GET, else in the body) and the second the response's,
//!   when it comes before `返回示例`. Tables after them document objects without an endpoint
//!   (tze's message bodies), each a [`DraftModel`] named by the value its description fixes
//!   (`此時固定為:text`).
//! - `請求示例 <url>` gives examples of the query parameters; `返回示例 {...}`, and a line that
//!   starts a JSON value after a table, give the example of the table above. Examples are
//!   read with [`crate::import::examples`] and laid over the tables (see
//!   `reconcile`).
//!
//! Every guess carries a note; a line or cell that cannot be placed is a warning.

use serde_json::Value;

use crate::import::examples;
use crate::import::types::{self, Family};
use crate::import::{
    Draft, DraftField, DraftModel, DraftOperation, Layout, Limits, Page, ParamLocation, Warning,
};

/// The tze.cn layout reader.
pub struct Tze;

impl Layout for Tze {
    fn name(&self) -> &'static str {
        "tze"
    }

    /// 90 for a page with a `序號 | 字段名 | 約束` table header, 5 more for each of `url` and
    /// `請求方式` in a key-value block; 0 without the header.
    fn detect(&self, page: &Page<'_>) -> u32 {
        if !page.lines.iter().any(|l| is_header(l)) {
            return 0;
        }
        let keys = ["url", "請求方式", "请求方式"];
        let key_values = page
            .lines
            .iter()
            .filter(|l| {
                let cells = cells(l);
                cells.len() == 2 && keys.contains(&cells[0].as_str())
            })
            .count();
        90 + 5 * u32::try_from(key_values.min(2)).unwrap_or(0)
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let lines: Vec<String> = page.lines.iter().map(|l| strip_readings(l)).collect();
        let mut reader = Reader {
            lines: &lines,
            used: vec![false; lines.len()],
            warnings: Vec::new(),
            renames: Vec::new(),
        };
        let (operations, models) = reader.read();
        let mut warnings = reader.warnings;
        warnings.sort_by_key(|w| w.line);
        Draft {
            layout: self.name(),
            operations,
            models,
            events: Vec::new(),
            warnings,
        }
    }
}

/// Drops the pinyin readings the page prints after some characters: `機構(gòu)` is `機構`.
pub fn strip_readings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find(['(', '（']) {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let bracket = from.chars().next().unwrap_or('(');
        let inner = &from[bracket.len_utf8()..];
        let close = inner.find([')', '）']);
        let after_han = out.chars().last().is_some_and(is_han);
        match close {
            Some(c) if after_han && is_reading(&inner[..c]) => {
                let close_len = inner[c..].chars().next().map_or(1, char::len_utf8);
                rest = &inner[c + close_len..];
            }
            _ => {
                out.push(bracket);
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// One pinyin syllable with a tone mark (`gòu`, `xué`, `zhuǎn`).
fn is_reading(text: &str) -> bool {
    const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    (1..=7).contains(&text.chars().count())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == 'ü' || TONED.contains(c))
        && text.chars().any(|c| TONED.contains(c))
}

/// A line's cells: the text between `|`s, trimmed, without the empty piece after the last
/// `|`. A line without `|` has none.
fn cells(line: &str) -> Vec<String> {
    let trimmed = line.trim();
    if !trimmed.contains('|') {
        return Vec::new();
    }
    let mut cells: Vec<String> = trimmed.split('|').map(|c| c.trim().to_owned()).collect();
    if trimmed.ends_with('|') {
        cells.pop();
    }
    cells
}

fn is_header(line: &str) -> bool {
    let cells = cells(line);
    let has = |names: &[&str]| cells.iter().any(|c| names.contains(&c.as_str()));
    has(&["序號", "序号"]) && has(&["字段名"]) && has(&["約束", "约束"])
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains("---") && t.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

/// The words of the markers before examples.
const REQUEST_MARKERS: &[&str] = &["請求示例", "请求示例"];
const RESPONSE_MARKERS: &[&str] = &["返回示例", "響應示例", "响应示例"];

fn has_marker(line: &str, markers: &[&str]) -> bool {
    markers.iter().any(|m| line.contains(m))
}

/// The byte offset just past the first marker in `line`, and the text after it.
fn after_marker<'l>(line: &'l str, markers: &[&str]) -> Option<(usize, &'l str)> {
    markers
        .iter()
        .filter_map(|m| line.find(m).map(|at| at + m.len()))
        .min()
        .map(|at| (at, &line[at..]))
}

/// A table: the line of its header and the cells of its rows, each with its line index.
struct Table {
    header: usize,
    /// The index of the first line after it.
    end: usize,
    cells: Vec<(usize, String)>,
}

/// What the lines before the first table say.
#[derive(Default)]
struct Intro {
    /// The prose, with line indexes.
    prose: Vec<(usize, String)>,
    /// The URL without its query string, and the index of its line.
    url: Option<(usize, String)>,
    /// The names in the URL's query string.
    url_query: Vec<String>,
    /// `請求方式` as written, and the index of its line.
    method: Option<(usize, String)>,
    /// The other keys, as `key: value`.
    facts: Vec<String>,
}

/// The page being read.
struct Reader<'a> {
    lines: &'a [String],
    /// Which lines were read into the draft (or warned about).
    used: Vec<bool>,
    warnings: Vec<Warning>,
    /// Names the examples spell differently from the tables: (table's, example's).
    renames: Vec<(String, String)>,
}

impl Reader<'_> {
    fn warn(&mut self, index: usize, message: String) {
        self.warnings.push(Warning {
            line: Page::line_number(index),
            message,
        });
    }

    fn read(&mut self) -> (Vec<DraftOperation>, Vec<DraftModel>) {
        let tables = self.tables();
        let intro_end = tables.first().map_or(self.lines.len(), |t| t.header);
        let intro = self.intro(intro_end);
        let mut operations = Vec::new();
        let mut taken = 0;
        if let Some((line, url)) = &intro.url {
            let (op, used) = self.operation(&intro, *line, url, &tables);
            operations.push(op);
            taken = used;
        }
        let mut models = Vec::new();
        for (n, table) in tables.iter().enumerate().skip(taken) {
            models.push(self.model(table, n));
        }
        for op in &mut operations {
            for (_, field) in &mut op.params {
                self.rename(field);
            }
            for field in &mut op.response {
                self.rename(field);
            }
        }
        for model in &mut models {
            for field in &mut model.fields {
                self.rename(field);
            }
        }
        for i in 0..self.lines.len() {
            let line = self.lines[i].trim();
            if !self.used[i] && !line.is_empty() {
                let message = format!("a line outside the tables and examples: `{line}`");
                self.warn(i, message);
            }
        }
        (operations, models)
    }

    /// The tables of the page, each to the first line that is not one of its cells.
    fn tables(&mut self) -> Vec<Table> {
        let mut tables = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            if !is_header(&self.lines[i]) {
                i += 1;
                continue;
            }
            let header = i;
            self.used[i] = true;
            i += 1;
            if self.lines.get(i).is_some_and(|l| is_separator(l)) {
                self.used[i] = true;
                i += 1;
            }
            let mut table_cells = Vec::new();
            while i < self.lines.len() && !is_header(&self.lines[i]) {
                let line = self.lines[i].trim();
                if !line.is_empty() && !line.ends_with('|') {
                    break;
                }
                table_cells.extend(cells(line).into_iter().map(|c| (i, c)));
                self.used[i] = true;
                i += 1;
            }
            tables.push(Table {
                header,
                end: i,
                cells: table_cells,
            });
        }
        tables
    }

    /// The prose and the key-value block before the first table.
    fn intro(&mut self, end: usize) -> Intro {
        let mut intro = Intro::default();
        for i in 0..end {
            let line = self.lines[i].trim();
            if line.is_empty() {
                continue;
            }
            self.used[i] = true;
            match cells(line).as_slice() {
                [] => intro.prose.push((i, line.to_owned())),
                [key, value] if key == "url" => {
                    let (url, query) = value.split_once('?').unwrap_or((value, ""));
                    intro.url = Some((i, url.to_owned()));
                    intro.url_query = query
                        .split('&')
                        .filter_map(|pair| pair.split('=').next())
                        .filter(|k| !k.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                [key, value] if key == "請求方式" || key == "请求方式" => {
                    intro.method = Some((i, value.clone()));
                }
                [key, value] if !key.is_empty() => intro.facts.push(format!("{key}: {value}")),
                _ => {
                    let message = format!("cells before the first table: `{line}`");
                    self.warn(i, message);
                }
            }
        }
        intro
    }

    /// The operation of the key-value block, and how many tables it takes: the request's,
    /// and the response's when it comes before `返回示例`.
    fn operation(
        &mut self,
        intro: &Intro,
        url_line: usize,
        url: &str,
        tables: &[Table],
    ) -> (DraftOperation, usize) {
        let mut op = DraftOperation {
            url: url.to_owned(),
            line: Page::line_number(url_line),
            ..DraftOperation::default()
        };
        self.describe(intro, url_line, &mut op);
        let response_example = (0..self.lines.len())
            .find(|&i| has_marker(&self.lines[i], RESPONSE_MARKERS))
            .unwrap_or(self.lines.len());
        let own = tables
            .iter()
            .take(2)
            .take_while(|t| t.header < response_example)
            .count();
        let location = if matches!(op.method.as_str(), "GET" | "DELETE" | "HEAD") {
            op.notes.push(format!(
                "A {} request: the first table's parameters travel in the query string.",
                op.method
            ));
            ParamLocation::Query
        } else {
            ParamLocation::Body
        };
        if own >= 1 {
            let params = self.fields(&tables[0]);
            op.params = params.into_iter().map(|f| (location, f)).collect();
        }
        if own >= 2 {
            op.response = self.fields(&tables[1]);
        }
        self.token_in_query(intro, url_line, &mut op);
        if own > 0 {
            let to = tables.get(own).map_or(self.lines.len(), |t| t.header);
            self.operation_examples(tables[own - 1].end, to, &mut op);
        }
        (op, own)
    }

    /// The summary, description and method, from the prose and the key-value block.
    fn describe(&mut self, intro: &Intro, url_line: usize, op: &mut DraftOperation) {
        let mut description: Vec<String> = Vec::new();
        for (i, text) in &intro.prose {
            let token = ["accessToken", "訪問憑證", "访问凭证"];
            if token.iter().any(|t| text.contains(t)) {
                op.notes.push(format!(
                    "Line {} links the access token's own page (`{text}`), which this page does not document.",
                    Page::line_number(*i)
                ));
                continue;
            }
            if op.summary.is_empty() && !text.contains([':', '：']) {
                let clause = text.split([',', '，', '。']).next().unwrap_or(text);
                op.summary = clause.trim().to_owned();
                op.line = Page::line_number(*i);
                op.notes.push(
                    "The page has no title: the summary is the first clause of its description."
                        .to_owned(),
                );
            }
            description.push(text.clone());
        }
        if !intro.facts.is_empty() {
            description.push(intro.facts.join("; "));
        }
        op.description = (!description.is_empty()).then(|| description.join("\n"));
        if let Some((_, written)) = &intro.method {
            op.method = written.trim().to_ascii_uppercase();
            if op.method != written.trim() {
                op.notes.push(format!(
                    "The page writes the request method as `{written}`."
                ));
            }
        } else {
            op.method = "GET".to_owned();
            op.notes
                .push("The page gives no 請求方式: the method is taken to be GET.".to_owned());
            self.warn(url_line, "no 請求方式 beside the url".to_owned());
        }
    }

    /// Names in the URL's query string that no table lists: the access token, or a warning.
    fn token_in_query(&mut self, intro: &Intro, url_line: usize, op: &mut DraftOperation) {
        for name in &intro.url_query {
            if op.params.iter().any(|(_, f)| &f.name == name) {
                continue;
            }
            let token = name.eq_ignore_ascii_case("accesstoken")
                || name.eq_ignore_ascii_case("access_token");
            if token {
                op.notes.push(format!(
                    "The URL's query string carries the access token as `{name}`, which the tables do not list; the spec's base carries it."
                ));
            } else {
                let message =
                    format!("the URL's query string names `{name}`, which no table lists");
                self.warn(url_line, message);
            }
        }
    }
}

impl Reader<'_> {
    /// The JSON value that starts at byte `from` of line `index`, over as many lines as it
    /// takes (up to the next table), its lines marked read. Each repair is a note; text after
    /// the value on its last line, or a value that cannot be read, a warning.
    fn example_at(&mut self, index: usize, from: usize, notes: &mut Vec<String>) -> Option<Value> {
        let mut text = self.lines[index][from..].to_owned();
        let mut starts = vec![0];
        for line in &self.lines[index + 1..] {
            if is_header(line) {
                break;
            }
            text.push('\n');
            starts.push(text.len());
            text.push_str(line);
        }
        let line_at = |offset: usize| index + starts.iter().filter(|s| **s <= offset).count() - 1;
        let example = match examples::parse(&text) {
            Ok(example) => example,
            Err(e) => {
                let message = format!(
                    "the example body cannot be read (column {}): {}",
                    e.column, e.message
                );
                // The lines up to the error are the example's; those after it may be
                // anything, and are warned about if nothing reads them.
                for used in &mut self.used[index..index + e.line] {
                    *used = true;
                }
                self.warn(index + e.line - 1, message);
                return None;
            }
        };
        for repair in &example.repairs {
            notes.push(format!(
                "the example on line {} was repaired: {}",
                Page::line_number(index + repair.line - 1),
                repair.what
            ));
        }
        let last = line_at(example.end.saturating_sub(1));
        for used in &mut self.used[index..=last] {
            *used = true;
        }
        let line_end = text[example.end..]
            .find('\n')
            .map_or(text.len(), |n| example.end + n);
        let rest = text[example.end..line_end].trim();
        if !rest.is_empty() {
            let message = format!("text after the example body: `{rest}`");
            self.warn(last, message);
        }
        Some(example.value)
    }

    /// `請求示例 <url>` and `返回示例 {...}` between the operation's tables and the next
    /// table; the URL or the body may also start the line after its marker.
    fn operation_examples(&mut self, from: usize, to: usize, op: &mut DraftOperation) {
        let find = |markers: &[&str]| (from..to).find(|&i| has_marker(&self.lines[i], markers));
        if let Some(i) = find(REQUEST_MARKERS) {
            self.used[i] = true;
            let line = self.lines[i].clone();
            let rest = after_marker(&line, REQUEST_MARKERS).map_or("", |(_, r)| r);
            let mut url = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            if !url.contains("://") {
                if let Some(next) = self.lines.get(i + 1).filter(|l| l.contains("://")) {
                    url = next
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    self.used[i + 1] = true;
                }
            }
            self.query_examples(&url, i, op);
        }
        let Some(i) = find(RESPONSE_MARKERS) else {
            return;
        };
        self.used[i] = true;
        let line = self.lines[i].clone();
        let (at, rest) = after_marker(&line, RESPONSE_MARKERS).unwrap_or((line.len(), ""));
        let body = match rest.find(['{', '[']) {
            Some(start) => Some((i, at + start)),
            None => (i + 1..to)
                .find(|&j| !self.lines[j].trim().is_empty())
                .filter(|&j| self.lines[j].trim_start().starts_with(['{', '[']))
                .map(|j| (j, self.lines[j].len() - self.lines[j].trim_start().len())),
        };
        let Some((index, offset)) = body else {
            self.warn(i, "返回示例 without a JSON body".to_owned());
            return;
        };
        let mut notes = Vec::new();
        if let Some(value) = self.example_at(index, offset, &mut notes) {
            let line = Page::line_number(index);
            reconcile(&mut op.response, &value, line, &mut self.renames);
        }
        op.notes.extend(notes.iter().map(|n| sentence(n)));
    }

    /// The values of the example URL's query string, as the parameters' examples.
    fn query_examples(&mut self, url: &str, index: usize, op: &mut DraftOperation) {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let without_scheme = |u: &str| u.split_once("://").map(|(_, r)| r.to_owned());
        if !base.is_empty() && base != op.url {
            if without_scheme(base) == without_scheme(&op.url) {
                op.notes.push(format!(
                    "The request example writes the URL as `{base}`, the key-value block as `{}`; the draft keeps the latter.",
                    op.url
                ));
            } else {
                let message = format!("the request example's URL `{base}` is not the page's URL");
                self.warn(index, message);
            }
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let placeholder = value.is_empty() || value.contains("{{") || value.contains('*');
            if let Some((_, field)) = op.params.iter_mut().find(|(_, f)| f.name == name) {
                if !placeholder && field.example.is_none() {
                    field.example = types::example_value(value, family_of(field));
                }
            }
        }
    }

    /// An object documented without an endpoint: its table, and the example right after it.
    fn model(&mut self, table: &Table, position: usize) -> DraftModel {
        let mut fields = self.fields(table);
        let fixed = fields
            .iter()
            .find_map(|f| f.description.as_deref().and_then(fixed_value));
        let body = fields
            .iter()
            .find(|f| fixed.as_deref().is_none_or(|v| f.name == v) && is_object(f));
        let description = body.and_then(|f| f.description.clone());
        let name = match (fixed, body) {
            (Some(value), _) => value,
            (None, Some(f)) => f.name.clone(),
            (None, None) => {
                let message = "a table without an endpoint or a name: named by its position";
                self.warn(table.header, message.to_owned());
                format!("model_{}", position + 1)
            }
        };
        let next = (table.end..self.lines.len()).find(|&i| !self.lines[i].trim().is_empty());
        let example = next.filter(|&i| self.lines[i].trim_start().starts_with(['{', '[']));
        if let Some(i) = example {
            let from = self.lines[i].len() - self.lines[i].trim_start().len();
            let mut notes = Vec::new();
            if let Some(value) = self.example_at(i, from, &mut notes) {
                reconcile(&mut fields, &value, Page::line_number(i), &mut self.renames);
            }
            if let Some(first) = fields.first_mut() {
                first.notes.extend(notes);
            }
        }
        DraftModel {
            name,
            description,
            fields,
            line: Page::line_number(table.header),
        }
    }

    /// Applies the examples' spellings to the fields no example covered (a table without
    /// an example of its own).
    fn rename(&self, field: &mut DraftField) {
        if let Some((_, to)) = self.renames.iter().find(|(from, _)| *from == field.name) {
            field.notes.push(format!(
                "the table writes `{}`; the page's examples write `{to}`, which the draft follows",
                field.name
            ));
            field.name.clone_from(to);
        }
        for child in &mut field.children {
            self.rename(child);
        }
    }
}

/// A field's note as an operation's sentence: capitalised, with a full stop.
fn sentence(note: &str) -> String {
    let mut chars = note.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// The value a description fixes: `消息類型,此時固定為:text` fixes `text`.
fn fixed_value(description: &str) -> Option<String> {
    let (_, rest) = description
        .split_once("固定為")
        .or_else(|| description.split_once("固定为"))?;
    let value: String = rest
        .trim_start_matches([':', '：', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!value.is_empty()).then_some(value)
}

fn family_of(field: &DraftField) -> Family {
    if field.values.is_empty() {
        types::family_of_spec_type(&field.ty)
    } else {
        Family::Enum
    }
}

/// Whether a field holds an object, or a list of objects.
fn is_object(field: &DraftField) -> bool {
    !field.children.is_empty() || field.ty == "json" || field.ty.starts_with("list<json")
}

/// A row, as its cells give it.
struct Row {
    line: usize,
    number: Vec<u32>,
    name: String,
    requirement: String,
    doc_type: String,
    length: Option<String>,
    description: Option<String>,
}

/// A row made a field, in the table's order, with where the numbering puts it.
struct Node {
    number: Vec<u32>,
    field: DraftField,
    parent: Option<usize>,
}

fn row_number(cell: &str) -> Option<Vec<u32>> {
    cell.split('.').map(|n| n.parse().ok()).collect()
}

fn is_name(cell: &str) -> bool {
    cell.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cell.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether the row starts at cell `k`: a number, a name and a requirement.
fn is_row_start(cells: &[(usize, String)], k: usize) -> bool {
    let cell = |n: usize| cells.get(k + n).map(|(_, c)| c.as_str());
    cell(0).and_then(row_number).is_some()
        && cell(1).is_some_and(is_name)
        && cell(2).and_then(types::required).is_some()
}

fn is_length(cell: &str) -> bool {
    cell == "-" || (!cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit()))
}

impl Reader<'_> {
    /// The rows of a table; cells that belong to none are warnings.
    fn rows(&mut self, table: &Table) -> Vec<Row> {
        let cells = &table.cells;
        let starts: Vec<usize> = (0..cells.len())
            .filter(|&k| is_row_start(cells, k))
            .collect();
        let first = starts.first().copied().unwrap_or(cells.len());
        for (line, text) in &cells[..first] {
            if !text.is_empty() {
                self.warn(
                    *line,
                    format!("a cell before the table's first row: `{text}`"),
                );
            }
        }
        let mut rows = Vec::new();
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(cells.len());
            let row = &cells[start..end];
            let (line, number) = (row[0].0, row_number(&row[0].1).unwrap_or_default());
            let Some((_, doc_type)) = row.get(3) else {
                let message = format!("the row of `{}` has no type", row[1].1);
                self.warn(line, message);
                continue;
            };
            let rest: Vec<&(usize, String)> =
                row[4..].iter().filter(|(_, c)| !c.is_empty()).collect();
            let (length, description) = match rest.as_slice() {
                [] => (None, None),
                [only] if is_length(&only.1) => (Some(only.1.clone()), None),
                [only] => (None, Some(only.1.clone())),
                [length, description, extra @ ..] => {
                    for (extra_line, text) in extra {
                        let message =
                            format!("a cell after the description of `{}`: `{text}`", row[1].1);
                        self.warn(*extra_line, message);
                    }
                    (Some(length.1.clone()), Some(description.1.clone()))
                }
            };
            rows.push(Row {
                line,
                number,
                name: row[1].1.clone(),
                requirement: row[2].1.clone(),
                doc_type: doc_type.clone(),
                length,
                description,
            });
        }
        rows
    }

    /// A table's fields, nested by their numbers.
    fn fields(&mut self, table: &Table) -> Vec<DraftField> {
        let rows = self.rows(table);
        let mut nodes: Vec<Node> = Vec::new();
        for row in &rows {
            let field = row_field(row);
            let (parent, note) = place(&nodes, &row.number);
            let mut node = Node {
                number: row.number.clone(),
                field,
                parent,
            };
            node.field.notes.extend(note);
            nodes.push(node);
        }
        members_after_a_list(&mut nodes);
        assemble(&nodes, None)
    }
}

/// Where the numbering puts a row: under the row its number extends (`3.1` under `3`). A
/// row numbered under one that cannot hold members goes beside it; one whose parent number
/// no row has goes under the nearest that exists. Both with a note.
fn place(nodes: &[Node], number: &[u32]) -> (Option<usize>, Option<String>) {
    let written = dotted(number);
    let mut prefix = &number[..number.len().saturating_sub(1)];
    while !prefix.is_empty() {
        if let Some(j) = nodes.iter().rposition(|n| n.number == prefix) {
            let parent = &nodes[j];
            let exact = prefix.len() + 1 == number.len();
            if !is_object(&parent.field) {
                let note = format!(
                    "numbered {written}, under `{}`, a {} without members: read as a member beside it",
                    parent.field.name, parent.field.doc_type
                );
                return (parent.parent, Some(note));
            }
            let note = (!exact).then(|| {
                format!(
                    "numbered {written}, but the table has no row {}: read as a member of `{}`",
                    dotted(&number[..number.len() - 1]),
                    parent.field.name
                )
            });
            return (Some(j), note);
        }
        prefix = &prefix[..prefix.len() - 1];
    }
    let note = (number.len() > 1).then(|| {
        format!("numbered {written}, but the table has no row it belongs under: read at the top")
    });
    (None, note)
}

fn dotted(number: &[u32]) -> String {
    number
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A list of objects that the table gives no members, followed to the end of the table only
/// by rows beside it that are not objects: those rows are taken as the members of its
/// items (tze's `form`, `Json數組`, is followed by `key` and `value`), each with a note.
fn members_after_a_list(nodes: &mut [Node]) {
    for l in 0..nodes.len() {
        let list = &nodes[l];
        let childless = !nodes.iter().any(|n| n.parent == Some(l));
        if !list.field.ty.starts_with("list<json") || !childless || l + 1 == nodes.len() {
            continue;
        }
        let beside = |n: &Node| n.parent == list.parent && !is_object(&n.field);
        if !nodes[l + 1..].iter().all(beside) {
            continue;
        }
        let name = list.field.name.clone();
        let written = dotted(&list.number);
        let moved: Vec<String> = nodes[l + 1..]
            .iter()
            .map(|n| n.field.name.clone())
            .collect();
        for node in &mut nodes[l + 1..] {
            node.parent = Some(l);
            node.field.notes.push(format!(
                "numbered {} beside `{name}` ({written}), a list the table gives no members, and last in the table: read as a member of its items",
                dotted(&node.number)
            ));
        }
        nodes[l].field.notes.push(format!(
            "the table gives its items no rows of their own; the rows after it ({}) are read as their members",
            moved.join(", ")
        ));
        return;
    }
}

fn assemble(nodes: &[Node], parent: Option<usize>) -> Vec<DraftField> {
    (0..nodes.len())
        .filter(|&i| nodes[i].parent == parent)
        .map(|i| DraftField {
            children: assemble(nodes, Some(i)),
            ..nodes[i].field.clone()
        })
        .collect()
}

/// A row's field: its type mapped, its requirement, length, and what its description says.
fn row_field(row: &Row) -> DraftField {
    let mut notes = Vec::new();
    // `Json數組` is a JSON array (數組): mapped as `Json[]`.
    let array = ["數組", "数组"]
        .iter()
        .find_map(|suffix| row.doc_type.strip_suffix(suffix));
    let mapped = match array {
        Some(item) => {
            notes.push(format!("documented as `{}`, a JSON array", row.doc_type));
            types::map_type(&format!("{item}[]"))
        }
        None => types::map_type(&row.doc_type),
    };
    notes.extend(mapped.note.clone());
    let mut field = DraftField {
        name: row.name.clone(),
        doc_type: row.doc_type.clone(),
        ty: mapped.ty.clone(),
        required: types::required(&row.requirement).unwrap_or(false),
        description: row.description.clone(),
        notes,
        line: Page::line_number(row.line),
        ..DraftField::default()
    };
    length_column(&mut field, mapped.family, row.length.as_deref());
    if let Some(description) = row.description.clone() {
        read_description(&mut field, mapped.family, &description);
    }
    field
}

/// The `長度` column: the most characters of a string; on anything else it cannot apply.
fn length_column(field: &mut DraftField, family: Family, length: Option<&str>) {
    let Some(length) = length.filter(|l| *l != "-") else {
        return;
    };
    match (family, length.parse::<u64>()) {
        (Family::String | Family::Enum, Ok(n)) => field.limits.max_length = Some(n),
        _ => field.notes.push(format!(
            "the 長度 column gives `{length}` for a {}, to which a length cannot apply; not read as a limit",
            field.doc_type
        )),
    }
}

/// Traditional characters of the phrases the shared prose readers look for, simplified.
fn simplified(text: &str) -> String {
    const PAIRS: &[(char, char)] = &[
        ('認', '认'),
        ('為', '为'),
        ('長', '长'),
        ('數', '数'),
        ('個', '个'),
        ('從', '从'),
        ('開', '开'),
        ('過', '过'),
        ('輸', '输'),
        ('許', '许'),
        ('項', '项'),
        ('組', '组'),
        ('條', '条'),
        ('單', '单'),
        ('於', '于'),
    ];
    text.chars()
        .map(|c| PAIRS.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s))
        .collect()
}

/// Defaults, limits, listed values, a fixed value, and a requirement the description takes
/// back (`如不填`), each with a note.
fn read_description(field: &mut DraftField, family: Family, description: &str) {
    let text = simplified(description);
    if let Some(default) = types::default_from_prose(&text) {
        field.default = types::example_value(&default, family);
        field
            .notes
            .push(format!("default `{default}` read from the description"));
    }
    let is_list = family == Family::List;
    let is_text = matches!(family, Family::String | Family::Enum);
    let (limits, notes) = types::limits_from_prose(&text, is_list, is_text);
    let limits = with_exact_length(limits, &text, is_text, &mut field.notes);
    merge_limits(&mut field.limits, &limits);
    field.notes.extend(notes);
    let values = listed_values(description);
    if !values.is_empty() && matches!(family, Family::String | Family::Integer) {
        let listed: Vec<String> = values
            .iter()
            .map(|(v, m)| {
                m.as_ref()
                    .map_or_else(|| v.clone(), |m| format!("{v} ({m})"))
            })
            .collect();
        field.notes.push(format!(
            "values read from the description: {}",
            listed.join(", ")
        ));
        field.values = values;
    }
    if let Some(value) = fixed_value(description) {
        field.example = Some(Value::String(value.clone()));
        field.notes.push(format!(
            "the description fixes it to `{value}` (固定為): the example is that value"
        ));
    }
    let optional = [
        "如不填",
        "如果不填",
        "可不填",
        "不填則",
        "不填则",
        "可為空",
        "可为空",
    ];
    if field.required {
        if let Some(phrase) = optional.iter().find(|p| description.contains(**p)) {
            field.required = false;
            field.notes.push(format!(
                "the table marks it required, but its description says it may be left out ({phrase}); read as optional"
            ));
        }
    }
}

/// `長度限制為8個...` (`长度限制为`): the most characters, which the shared reader does not
/// look for.
fn with_exact_length(
    mut limits: Limits,
    text: &str,
    is_text: bool,
    notes: &mut Vec<String>,
) -> Limits {
    let Some((_, rest)) = text.split_once("长度限制为") else {
        return limits;
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if let (true, None, Ok(n)) = (is_text, limits.max_length, digits.parse::<u64>()) {
        limits.max_length = Some(n);
        notes.push(format!(
            "`max_length` read from the description (\"长度限制为{digits}\")"
        ));
    }
    limits
}

fn merge_limits(into: &mut Limits, from: &Limits) {
    into.min = into.min.or(from.min);
    into.max = into.max.or(from.max);
    into.min_length = into.min_length.or(from.min_length);
    into.max_length = into.max_length.or(from.max_length);
    into.min_items = into.min_items.or(from.min_items);
    into.max_items = into.max_items.or(from.max_items);
}

/// Values a description lists: quoted pairs (`"1": "機構","2": "學校"`), or codes with
/// their meanings in brackets (`(1是,0否)`); at least two, else none.
fn listed_values(description: &str) -> Vec<(String, Option<String>)> {
    let quoted = quoted_pairs(description);
    if quoted.len() >= 2 {
        return quoted;
    }
    let mut rest = description;
    while let Some(open) = rest.find(['(', '（']) {
        let inner = &rest[open..];
        let inner = &inner[inner.chars().next().map_or(1, char::len_utf8)..];
        let Some(close) = inner.find([')', '）']) else {
            break;
        };
        let items: Vec<Option<(String, Option<String>)>> = inner[..close]
            .split([',', '，', '、'])
            .map(code_and_meaning)
            .collect();
        if items.len() >= 2 && items.iter().all(Option::is_some) {
            return items.into_iter().flatten().collect();
        }
        rest = &inner[close..];
    }
    Vec::new()
}

/// `1是`: a code in ASCII letters or digits, then its meaning in other characters.
fn code_and_meaning(item: &str) -> Option<(String, Option<String>)> {
    let item = item.trim();
    let code: String = item
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let meaning = item[code.len()..].trim_start_matches([':', '：', '=', ' ']);
    let meaningful = meaning.chars().next().is_some_and(|c| !c.is_ascii());
    (!code.is_empty() && meaningful).then(|| (code, Some(meaning.to_owned())))
}

/// `"k": "v"` pairs, in order.
fn quoted_pairs(text: &str) -> Vec<(String, Option<String>)> {
    let quoted: Vec<&str> = text.split(['"', '“', '”']).collect();
    // Between quotes: [outside, key, separator, value, separator, key, ...].
    let mut pairs = Vec::new();
    let mut k = 1;
    while k + 2 < quoted.len() {
        let separator = quoted[k + 1].trim();
        if matches!(separator, ":" | "：") {
            pairs.push((quoted[k].to_owned(), Some(quoted[k + 2].to_owned())));
            k += 4;
        } else {
            k += 2;
        }
    }
    pairs
}

/// Lays an example over a table's fields (of an object, or of the items of a list):
///
/// - a field the example spells in another case takes the example's spelling, with a note,
///   and the rename is recorded for the page's other tables;
/// - a scalar takes the example's value as its example, with a note when the value is not
///   of the table's type (an `int` sent as `"1"`);
/// - an object's or a list's members are laid over the example's members;
/// - a list (`json[]`) that the example shows as an object holding a list of the table's
///   members is read as the example shows (see [`list_shown_as_object`]);
/// - a member only the example has is added, inferred from it.
fn reconcile(
    fields: &mut Vec<DraftField>,
    example: &Value,
    line: usize,
    renames: &mut Vec<(String, String)>,
) {
    let object = match example {
        Value::Object(map) => map,
        Value::Array(items) => match items.iter().find_map(Value::as_object) {
            Some(map) => map,
            None => return,
        },
        _ => return,
    };
    let mut matched = Vec::new();
    for field in fields.iter_mut() {
        let key = object
            .keys()
            .find(|k| **k == field.name)
            .or_else(|| object.keys().find(|k| k.eq_ignore_ascii_case(&field.name)));
        let Some(key) = key else {
            continue;
        };
        if *key != field.name {
            field.notes.push(format!(
                "the table writes `{}`; the example writes `{key}`, which the draft follows",
                field.name
            ));
            if !renames.iter().any(|(from, _)| *from == field.name) {
                renames.push((field.name.clone(), key.clone()));
            }
            field.name.clone_from(key);
        }
        matched.push(key.clone());
        reconcile_field(field, &object[key], line, renames);
    }
    for (key, value) in object {
        if !matched.contains(key) {
            fields.extend(inferred(key, value, line));
        }
    }
}

/// The field an example member proposes.
fn inferred(key: &str, value: &Value, line: usize) -> Vec<DraftField> {
    let mut one = serde_json::Map::new();
    one.insert(key.to_owned(), value.clone());
    examples::fields_from_example(&Value::Object(one), line)
}

fn reconcile_field(
    field: &mut DraftField,
    value: &Value,
    line: usize,
    renames: &mut Vec<(String, String)>,
) {
    let list = field.ty.starts_with("list<");
    match value {
        Value::Null => {}
        Value::Object(map) if is_object(field) && list => {
            list_shown_as_object(field, map, line, renames);
        }
        Value::Object(_) if is_object(field) => {
            reconcile(&mut field.children, value, line, renames)
        }
        Value::Array(_) if is_object(field) && list => {
            reconcile(&mut field.children, value, line, renames);
        }
        _ if is_object(field) || !agrees(family_of(field), value) => {
            field.notes.push(format!(
                "the table types it `{}`; the example shows {}",
                field.doc_type,
                shown(value)
            ));
            if !is_object(field) && field.example.is_none() && is_example(value) {
                field.example = Some(value.clone());
            }
        }
        _ => {
            if field.example.is_none() && is_example(value) {
                field.example = Some(value.clone());
            }
        }
    }
}

/// A list the table types `json[]` whose example is an object: when one of the object's
/// members is a list of objects with the table's members, the field is that object (with a
/// note), the member holds the table's rows, and the object's other members are inferred.
/// Otherwise only a note says so.
fn list_shown_as_object(
    field: &mut DraftField,
    object: &serde_json::Map<String, Value>,
    line: usize,
    renames: &mut Vec<(String, String)>,
) {
    let names: Vec<String> = field.children.iter().map(|c| c.name.clone()).collect();
    let overlap = |v: &Value| {
        let item = v
            .as_array()
            .and_then(|a| a.iter().find_map(Value::as_object));
        item.map_or(0, |item| {
            names.iter().filter(|n| item.contains_key(*n)).count()
        })
    };
    let holder = object
        .iter()
        .filter(|(_, v)| overlap(v) > 0 && overlap(v) * 2 >= names.len())
        .max_by_key(|(_, v)| overlap(v));
    let Some((holder, items)) = holder else {
        field.notes.push(format!(
            "the table types it `{}`; the example shows an object, whose members the table does not list",
            field.doc_type
        ));
        return;
    };
    let rows = std::mem::take(&mut field.children);
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    field.notes.push(format!(
        "the table types it `{}` and lists {} under it; the example returns an object ({}) whose `{holder}` holds those rows: read as the example shows",
        field.doc_type,
        names.join(", "),
        keys.join(", ")
    ));
    field.ty = "json".to_owned();
    for (key, value) in object {
        if key != holder {
            field.children.extend(inferred(key, value, line));
            continue;
        }
        let mut list = DraftField {
            name: key.clone(),
            ty: "list<json>".to_owned(),
            children: rows.clone(),
            notes: vec![format!(
                "not in the table as such: the example returns the table's rows of `{}` in it",
                field.name
            )],
            inferred: true,
            line,
            ..DraftField::default()
        };
        reconcile(&mut list.children, items, line, renames);
        field.children.push(list);
    }
}

/// Whether a value can be a field's example: a scalar, or a list of scalars.
fn is_example(value: &Value) -> bool {
    match value {
        Value::Object(_) | Value::Null => false,
        Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
        _ => true,
    }
}

/// Whether an example value is of a type family.
fn agrees(family: Family, value: &Value) -> bool {
    match (family, value) {
        (Family::String | Family::Enum, Value::String(_)) => true,
        (Family::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Family::Number | Family::Enum, Value::Number(_)) => true,
        (Family::Boolean, Value::Bool(_)) => true,
        (Family::List, Value::Array(_)) => true,
        (Family::Object | Family::Union, Value::Object(_)) => true,
        _ => false,
    }
}

/// An example value in words, for a note.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string `\"{s}\"`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Null => "null".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Draft {
        Tze.read(&Page::new(text))
    }

    /// A field's tree as `name: type, required` lines, indented by depth.
    fn tree(fields: &[DraftField]) -> Vec<String> {
        fn walk(fields: &[DraftField], depth: usize, out: &mut Vec<String>) {
            for f in fields {
                let required = if f.required { ", required" } else { "" };
                out.push(format!(
                    "{}{}: {}{required}",
                    "  ".repeat(depth),
                    f.name,
                    f.ty
                ));
                walk(&f.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(fields, 0, &mut out);
        out
    }

    fn find<'f>(fields: &'f [DraftField], path: &str) -> &'f DraftField {
        let mut fields = fields;
        let mut found = None;
        for name in path.split('.') {
            let field = fields
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("no `{name}` in {path}"));
            fields = &field.children;
            found = Some(field);
        }
        found.unwrap()
    }

    #[test]
    fn readings_are_dropped_and_other_brackets_kept() {
        assert_eq!(strip_readings("組織機構(gòu)接口"), "組織機構接口");
        assert_eq!(
            strip_readings("是否查下N級節(jié)點(1是,0否),默認(rèn)1"),
            "是否查下N級節點(1是,0否),默認1"
        );
        assert_eq!(strip_readings("轉(zhuǎn)到（gòu）"), "轉到");
        // Without a tone mark, or not after a Chinese character, a bracket is the page's.
        assert_eq!(strip_readings("消息類型(text)"), "消息類型(text)");
        assert_eq!(strip_readings("id(gòu)"), "id(gòu)");
        assert_eq!(strip_readings("未閉合(gòu"), "未閉合(gòu");
    }

    #[test]
    fn detect_needs_the_table_header() {
        let seed = include_str!("../../../../specs/tze/sources/002_org_child_list.txt");
        assert_eq!(Tze.detect(&Page::new(seed)), 100);
        let dingtalk = "请求方式:GET\n名称 | 类型 | 是否必填 | 示例值 | 描述 |\nappkey | String | 是 | x | 应用 |";
        assert_eq!(Tze.detect(&Page::new(dingtalk)), 0);
        assert_eq!(Tze.detect(&Page::new("序号 | 字段名 | 约束 | 类型 |")), 90);
    }

    /// Rows over several lines, the description before an empty cell, the nesting by numbers.
    #[test]
    fn rows_span_lines_and_numbers_nest() {
        let page = "url | https://api.tze.cn/a/b?x=1 |\n請求方式 | post |\n\
            序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            1 |\nname |\n必選 |\nString |\n20 |\n名稱 |\n\
            2 |\nitems |\n可選 |\njson[] |\n列表 | |\n\
            2.1 |\nid |\n必選 |\nint |\n編號 | |\n\
            3 | flag | 可選 | Boolean | | 是否 |\n";
        let draft = read(page);
        let op = &draft.operations[0];
        assert_eq!(
            (op.method.as_str(), op.url.as_str()),
            ("POST", "https://api.tze.cn/a/b")
        );
        let params: Vec<DraftField> = op.params.iter().map(|(_, f)| f.clone()).collect();
        assert!(op.params.iter().all(|(l, _)| *l == ParamLocation::Body));
        assert_eq!(
            tree(&params),
            [
                "name: string, required",
                "items: list<json>",
                "  id: int32, required",
                "flag: boolean",
            ]
        );
        assert_eq!(params[0].limits.max_length, Some(20));
        assert_eq!(params[0].description.as_deref(), Some("名稱"));
        assert_eq!(params[1].description.as_deref(), Some("列表"));
        assert_eq!(params[2].description.as_deref(), Some("是否"));
        assert_eq!((params[0].line, params[1].children[0].line), (5, 16));
        // `x` in the URL's query string is in no table.
        assert_eq!(draft.warnings.len(), 1, "{:?}", draft.warnings);
        assert_eq!(draft.warnings[0].line, 1);
    }

    #[test]
    fn descriptions_give_values_defaults_and_limits() {
        let page = "序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            1 |\nis_all |\n可選 |\nString |\n是否查下N級節(jié)點(1是,0否),默認(rèn)1 |\n\
            2 |\norg_type |\n必選 |\nstring |\n部門類型(\"1\": \"機構(gòu)\",\"2\": \"學校\") | |\n\
            3 |\nbg |\n可選 |\nString |\n長度限制為8個英文字符。默認值:FFCC0000 |\n\
            4 |\npic |\n必選 |\nString |\n圖片,如不填,不顯示 |\n\
            5 |\nform |\n可選 |\nJson數組 |\n表單,最多6個 |\n";
        let draft = read(page);
        let fields = &draft.models[0].fields;
        assert_eq!(
            fields[0].values,
            [
                ("1".to_owned(), Some("是".to_owned())),
                ("0".to_owned(), Some("否".to_owned()))
            ]
        );
        assert_eq!(fields[0].default, Some(json!("1")));
        assert_eq!(
            fields[0].description.as_deref(),
            Some("是否查下N級節點(1是,0否),默認1")
        );
        let org_type: Vec<&str> = fields[1].values.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(org_type, ["1", "2"]);
        assert_eq!(fields[1].values[0].1.as_deref(), Some("機構"));
        assert_eq!(fields[2].default, Some(json!("FFCC0000")));
        assert_eq!(fields[2].limits.max_length, Some(8));
        assert!(!fields[3].required);
        assert_eq!(
            (fields[4].ty.as_str(), fields[4].limits.max_items),
            ("list<json>", Some(6))
        );
        for field in fields {
            assert!(!field.notes.is_empty(), "{} has no note", field.name);
        }
    }

    /// `1.1` under a String goes beside it; a list without members takes the rows after it
    /// when they end the table; a number whose parent is missing goes under the nearest.
    #[test]
    fn numbering_that_cannot_hold_is_placed_with_a_note() {
        let page = "序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            1 |\nmsgType |\n必選 |\nString |\n10 |\n消息類型,此時固定為:text |\n\
            1.1 |\ntext |\n必選 |\nJson |\n- |\ntext消息體 |\n\
            1.1.1 |\ncontent |\n必選 |\nString |\n消息內容 |\n\
            2 |\nbody |\n可選 |\nJson |\n消息體 |\n\
            2.3.1 |\nlost |\n可選 |\nString |\n無上級 |\n\
            2.6 |\nform |\n可選 |\nJson數組 |\n表單 |\n\
            2.7 |\nkey |\n可選 |\nString |\n鍵 |\n\
            2.8 |\nvalue |\n可選 |\nString |\n值 |\n";
        let draft = read(page);
        let model = &draft.models[0];
        assert_eq!(model.name, "text");
        assert_eq!(model.description.as_deref(), Some("text消息體"));
        assert_eq!(
            tree(&model.fields),
            [
                "msgType: string, required",
                "text: json, required",
                "  content: string, required",
                "body: json",
                "  lost: string",
                "  form: list<json>",
                "    key: string",
                "    value: string",
            ]
        );
        assert_eq!(model.fields[0].example, Some(json!("text")));
        assert_eq!(model.fields[0].limits.max_length, Some(10));
        assert!(model.fields[1].notes[0].contains("beside it"));
        assert!(find(&model.fields, "body.lost").notes[0].contains("no row 2.3"));
        assert!(find(&model.fields, "body.form.key").notes[0].contains("member of its items"));
    }

    #[test]
    fn lines_that_cannot_be_placed_are_warnings() {
        let page = "url | https://api.tze.cn/x |\n請求方式 | get |\n\
            序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            stray |\n1 |\nid |\n必選 |\nString |\n編號 |\n\
            這一行不是表格\n返回示例 { \"id\": \"1\", }  尾巴\n{ broken\n";
        let draft = read(page);
        let lines: Vec<usize> = draft.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [5, 11, 12, 13], "{:?}", draft.warnings);
        assert!(draft.warnings[2].message.contains("尾巴"));
    }

    /// The markers may stand alone, the URL and the body on the lines after them.
    #[test]
    fn examples_may_follow_their_markers() {
        let page = "url | https://api.tze.cn/x |\n請求方式 | get |\n\
            序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            1 |\nid |\n必選 |\nint |\n編號 |\n\
            序號 | 字段名 | 約束 | 類型 | 長度 | 說明 |\n---|---|---|---|---|---|\n\
            1 |\nname |\n必選 |\nString |\n名稱 |\n\
            請求示例\nhttps://api.tze.cn/x?id=5\n返回示例\n{\n\"name\": \"a\"\n\"extra\": true\n}\n";
        let draft = read(page);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        assert_eq!(op.params[0].1.example, Some(json!(5)));
        assert_eq!(
            tree(&op.response),
            ["name: string, required", "extra: boolean"]
        );
        assert_eq!(op.response[0].example, Some(json!("a")));
        assert!(op.response[1].inferred);
    }

    #[test]
    fn the_seed_page_reads() {
        let seed = include_str!("../../../../specs/tze/sources/002_org_child_list.txt");
        let draft = crate::import::read(seed).unwrap();
        assert_eq!(draft.layout, "tze");
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let op = &draft.operations[0];
        assert_eq!(op.method, "GET");
        assert_eq!(
            op.url,
            "https://api.tze.cn/user/openapi/org/get-org-child-list"
        );
        assert_eq!(op.summary, "機構、學校等組織的獲取所有子部門列表");
        assert_eq!(
            op.description.as_deref(),
            Some("主要使用場景:組織機構接口7.0\n機構、學校等組織的獲取所有子部門列表,包括N層子部門\n是否需要鑒權: 是; 請求數限制: 否; 接口方向: 第三方應用->開放平臺")
        );
        let params: Vec<DraftField> = op.params.iter().map(|(_, f)| f.clone()).collect();
        assert!(op.params.iter().all(|(l, _)| *l == ParamLocation::Query));
        assert_eq!(
            tree(&params),
            [
                "org_id: string, required",
                "parent_id: string",
                "is_all: string"
            ]
        );
        assert_eq!(params[0].example, Some(json!("123")));
        assert_eq!(params[2].default, Some(json!("1")));
        assert_eq!(params[2].values.len(), 2);
        assert_eq!(
            tree(&op.response),
            [
                "code: string, required",
                "message: string, required",
                "result: json",
                "  count: int64",
                "  list: list<json>",
                "    org_id: string, required",
                "    org_name: string, required",
                "    parent_id: string, required",
                "    org_type: string, required",
                "    display_order: int32, required",
            ]
        );
        assert_eq!(op.response[0].example, Some(json!("000000")));
        let result = &op.response[2];
        assert_eq!(result.doc_type, "json[]");
        assert!(result.notes[0].contains("read as the example shows"));
        assert!(result.children.iter().all(|f| f.inferred));
        assert_eq!(find(&op.response, "result.count").example, Some(json!(3)));
        let org_type = find(&op.response, "result.list.org_type");
        assert_eq!(org_type.values.len(), 10);
        assert_eq!(
            org_type.values[9],
            ("10".to_owned(), Some("平臺".to_owned()))
        );
        let display_order = find(&op.response, "result.list.display_order");
        assert_eq!(display_order.example, Some(json!("1")));
        assert!(display_order.notes[0].contains("the string"));
        assert!(!find(&op.response, "result.list.org_id").inferred);
    }

    #[test]
    fn the_seed_page_message_bodies_are_models() {
        let seed = include_str!("../../../../specs/tze/sources/002_org_child_list.txt");
        let draft = crate::import::read(seed).unwrap();
        let names: Vec<&str> = draft.models.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["text", "link", "oa"]);
        assert_eq!(
            tree(&draft.models[0].fields),
            [
                "msgtype: string, required",
                "text: json, required",
                "  content: string, required"
            ]
        );
        assert_eq!(
            tree(&draft.models[1].fields),
            [
                "msgtype: string, required",
                "link: json, required",
                "  pcUrl: string, required",
                "  appUrl: string, required",
                "  title: string, required",
                "  busiId: string, required",
                "  content: string, required",
                "  picUrl: string",
            ]
        );
        assert_eq!(
            tree(&draft.models[2].fields),
            [
                "msgtype: string, required",
                "busiId: string, required",
                "pcUrl: string, required",
                "appUrl: string, required",
                "oa: json, required",
                "  head: json, required",
                "    text: string, required",
                "    bgColor: string",
                "  body: json",
                "    title: string",
                "    content: string",
                "    imageUrl: string",
                "    fileCount: string",
                "    author: string",
                "    form: list<json>",
                "      key: string",
                "      value: string",
            ]
        );
        let oa = &draft.models[2].fields;
        // No example of its own: `msgType` takes the other examples' spelling.
        assert!(oa[0].notes.iter().any(|n| n.contains("page's examples")));
        assert_eq!(find(oa, "oa.head").limits, Limits::default());
        assert_eq!(find(oa, "oa.head.text").limits.max_length, Some(255));
        assert_eq!(find(oa, "oa.head.bgColor").default, Some(json!("FFCC0000")));
        assert_eq!(find(oa, "oa.body.form").limits.max_items, Some(6));
        let link = &draft.models[1].fields;
        assert_eq!(find(link, "link.busiId").example, Some(json!("AQWER1234")));
        assert!(find(link, "link.picUrl").notes[0].contains("如不填"));
        let no_inferred = |fields: &[DraftField]| fields.iter().all(|f| !f.inferred);
        assert!(draft.models.iter().all(|m| no_inferred(&m.fields)));
    }
}
