//! The Apifox documentation site's layout (`apifox.com/apidoc`, the Chengxun 橙讯开放平台基线
//! pages), copied from a browser: every value on a line of its own.
//!
//! The layout, as the reader reads it:
//!
//! - The site's navigation comes first and is skipped: the page starts at the first line that
//!   is an HTTP method alone and unindented (`POST`) followed by a path (`/apps/v1/...`). The
//!   nearest non-empty line above it is the title; an Apifox status between them (`开发中`)
//!   marks the endpoint's stability.
//! - Lines after the path are the description, up to `请求参数` (or `示例代码`, `返回响应`);
//!   `请求地址: URL` in them gives the absolute URL and `请求方式: GET` must agree with the
//!   method. Without `请求地址`, the request example's `curl` URL gives the host when it ends
//!   with the path.
//! - Request sections: `Authorization` (its text becomes a note), `Path 参数`, `Query 参数`,
//!   `Header 参数`, `Body 参数application/json`, `Cookie 参数` (not read: a warning per field),
//!   and `示例`, an example body that fills the examples the fields lack.
//! - A field is a group of lines: its name (a line of one word), its type (`string `,
//!   `enum<string> `, `array [object {2}] `), then in any order a title and description
//!   lines, `必需`/`可选`, limits (`<= 256 字符`, `>= 1`), `默认值:` with the value on the
//!   next line, `枚举值:` with the values on the following lines (a single line of values run
//!   together, `KEYDATALISTIMAGEWEBVIEW`, is split at the words the page uses elsewhere), and
//!   `示例值:` with the value.
//! - Nesting: Apifox writes an object's member count in its type (`object {3}`,
//!   `array [object {2}]`), and the members follow their parent; a count says how many of the
//!   following fields (each with its own members) belong to it. Where the copy kept the
//!   page's indentation, a more indented field under an object is its member. An object with
//!   neither has no members listed.
//! - Unions: a field's description may give its shape per value of a sibling (`type = LIST 时
//!   数据格式如下:` then an annotated JSON block, `当type = KEYDATA 为` then another). The
//!   blocks' members become the field's children, marked inferred, each with a note naming
//!   the variants it belongs to; the blocks' `//` comments are their descriptions and limits.
//! - Responses: `返回响应`, a status line (`🟢200成功`, or `HTTP 状态码` with the code), the
//!   content type, `Body` and the members, then `示例`. The first 2xx response is read;
//!   another status's members are a warning at its status line.
//! - The page ends at `修改于`, `上一页` or `Built with`. Lines of the request or response
//!   sections that belong to no field are warnings with their line numbers.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::import::types::{self, Family};
use crate::import::{
    examples, Draft, DraftField, DraftOperation, Layout, Limits, Page, ParamLocation, Warning,
};

/// The Apifox documentation site's layout.
pub struct Apifox;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// The words Apifox uses for a field's type, as the first word of a type line.
const TYPE_WORDS: [&str; 10] = [
    "string", "integer", "number", "boolean", "object", "array", "null", "enum", "file", "any",
];

impl Layout for Apifox {
    fn name(&self) -> &'static str {
        "apifox"
    }

    fn detect(&self, page: &Page<'_>) -> u32 {
        let lines = &page.lines;
        if endpoint_head(lines).is_none() {
            return 0;
        }
        let has = |word: &str| lines.iter().any(|l| l.trim() == word);
        if !(has("必需") || has("可选")) {
            return 0;
        }
        let mut score = 60;
        for marker in ["请求参数", "返回响应", "示例代码"] {
            if has(marker) {
                score += 10;
            }
        }
        if lines.iter().any(|l| l.starts_with("Built with")) {
            score += 10;
        }
        score
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let mut draft = Draft::default();
        let Some(head) = endpoint_head(&page.lines) else {
            draft.warnings.push(Warning {
                line: 1,
                message: "no HTTP method line followed by a path: no endpoint read".to_owned(),
            });
            return draft;
        };
        let mut reader = Reader {
            lines: &page.lines,
            warnings: Vec::new(),
        };
        let operation = reader.operation(head);
        draft.operations.push(operation);
        draft.warnings = reader.warnings;
        draft.warnings.sort_by_key(|w| w.line);
        draft
    }
}

/// The index of the endpoint's method line: an unindented method alone on its line (the
/// navigation indents the methods it lists), followed by a path or URL.
fn endpoint_head(lines: &[&str]) -> Option<usize> {
    (0..lines.len().saturating_sub(1)).find(|&i| {
        let line = lines[i];
        let next = lines[i + 1].trim();
        METHODS.contains(&line.trim_end())
            && !line.starts_with(char::is_whitespace)
            && (next.starts_with('/') || next.starts_with("http"))
    })
}

/// An Apifox status word and the stability it stands for.
fn status(line: &str) -> Option<Option<&'static str>> {
    match line.trim() {
        "开发中" | "设计中" | "测试中" | "联调中" => Some(Some("in_development")),
        "将废弃" | "已废弃" | "废弃" => Some(Some("deprecated")),
        "已发布" | "已上线" | "待定" | "有异常" => Some(None),
        _ => None,
    }
}

/// What a section of the page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Prose about the endpoint, after its path.
    Description,
    /// Between `请求参数` and its first section.
    Preamble,
    /// The `Authorization` section.
    Auth,
    /// Fields of a request section.
    Params(ParamLocation),
    /// `Cookie 参数`, which the spec format does not have.
    Cookies,
    /// The generated code samples.
    CodeSamples,
    /// A response's status line (the segment's marker line).
    Status(u16),
    /// `返回响应` and the content type, between a status and its members.
    ResponseMeta,
    /// A response's members.
    ResponseBody,
    /// A response's headers.
    ResponseHeaders,
    /// An example body: of the request or of the response.
    Example(bool),
}

/// A run of lines of one kind: `start..end` are line indices, `at` the marker line.
#[derive(Debug, Clone, Copy)]
struct Segment {
    kind: Kind,
    at: usize,
    start: usize,
    end: usize,
}

struct Reader<'p, 'a> {
    lines: &'p [&'a str],
    warnings: Vec<Warning>,
}

/// A field as read, before members are nested under their parents.
#[derive(Debug, Clone)]
struct Flat {
    field: DraftField,
    /// The member count the type line gives (`object {3}`).
    count: Option<usize>,
    /// The name line's indentation.
    indent: usize,
    /// Whether the type is an object or a list of objects.
    object: bool,
    /// Description lines that give the shape per value of a sibling, for unions.
    variants: Vec<Variant>,
}

/// One shape of a union field, as its description gives it.
#[derive(Debug, Clone)]
struct Variant {
    /// The sibling the shape depends on (`type`).
    tag: String,
    /// Its value for this shape (`LIST`).
    value: String,
    /// The condition line as the page writes it.
    condition: String,
    /// The example block's lines: (index, text).
    block: Vec<(usize, String)>,
}

impl Reader<'_, '_> {
    fn warn(&mut self, index: usize, message: String) {
        self.warnings.push(Warning {
            line: Page::line_number(index),
            message,
        });
    }

    fn operation(&mut self, head: usize) -> DraftOperation {
        let lines = self.lines;
        let mut op = DraftOperation {
            method: lines[head].trim().to_owned(),
            line: Page::line_number(head),
            ..DraftOperation::default()
        };
        let path_line = lines[head + 1].trim();
        let path = path_line.split(['?', '#']).next().unwrap_or_default();
        op.url = path.to_owned();
        self.title(head, &mut op);
        let segments = self.segments(head + 2);
        // Whether the response being read is the first success response (or no status was
        // given yet), whose members the draft keeps.
        let mut reading = true;
        let mut chosen: Option<u16> = None;
        let mut request_example = None;
        let mut response_example = None;
        for segment in segments {
            match segment.kind {
                Kind::Description => self.description(segment, path, &mut op),
                Kind::Preamble | Kind::ResponseMeta => self.stray(segment),
                Kind::Auth => self.auth(segment, &mut op),
                Kind::Params(location) => {
                    for field in self.fields(segment) {
                        op.params.push((location, field));
                    }
                }
                Kind::Cookies => {
                    for field in self.fields(segment) {
                        let message = format!(
                            "cookie `{}` is not read: the spec format has no cookies",
                            field.name
                        );
                        self.warn(field.line - 1, message);
                    }
                }
                Kind::CodeSamples => self.code_samples(segment, path, &mut op),
                Kind::Status(code) => {
                    reading = chosen.is_none() && (200..300).contains(&code);
                    if reading {
                        chosen = Some(code);
                    } else {
                        let message = format!(
                            "the HTTP {code} response is not read: a draft has the first success response only"
                        );
                        self.warn(segment.at, message);
                    }
                }
                Kind::ResponseBody if reading && op.response.is_empty() => {
                    op.response = self.fields(segment);
                }
                // Members of a response that is not read: the status line's warning covers them.
                Kind::ResponseBody => {}
                Kind::ResponseHeaders => {
                    for field in self.fields(segment) {
                        let message = format!(
                            "response header `{}` is not read: the spec format has no response headers",
                            field.name
                        );
                        self.warn(field.line - 1, message);
                    }
                }
                Kind::Example(request) => {
                    let value = self.example(segment, &mut op.notes);
                    if request {
                        request_example = request_example.or(value);
                    } else if reading {
                        response_example = response_example.or(value);
                    }
                }
            }
        }
        if let Some(example) = &request_example {
            for (location, field) in &mut op.params {
                if *location == ParamLocation::Body {
                    fill_example(field, example);
                }
            }
        }
        if let Some(example) = &response_example {
            for field in &mut op.response {
                fill_example(field, example);
            }
        }
        op
    }

    /// The title above the method line, and the status between them.
    fn title(&mut self, head: usize, op: &mut DraftOperation) {
        let lines = self.lines;
        for i in (0..head).rev() {
            let line = lines[i].trim();
            if line.is_empty() {
                continue;
            }
            if let Some(stability) = status(line) {
                op.stability = op.stability.or(stability);
                if stability.is_some() {
                    op.notes
                        .push(format!("The page marks the endpoint {line}."));
                }
                continue;
            }
            op.summary = line.to_owned();
            op.line = Page::line_number(i);
            break;
        }
        // The browser's title of an Apifox page is "<title> - <site>", the site's name being
        // the page's first line.
        let site = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty());
        if let Some(site) = site.filter(|s| *s != op.summary && !op.summary.is_empty()) {
            op.doc = Some(format!("{} - {site}", op.summary));
        }
    }

    /// Splits the lines after the path into sections at their marker lines, up to the end of
    /// the page's content.
    fn segments(&self, from: usize) -> Vec<Segment> {
        let lines = self.lines;
        let mut segments = Vec::new();
        let mut current = Segment {
            kind: Kind::Description,
            at: from,
            start: from,
            end: lines.len(),
        };
        let mut response_side = false;
        let mut i = from;
        while i < lines.len() {
            let text = lines[i].trim();
            if is_page_end(text) {
                break;
            }
            let next = marker(text, lines.get(i + 1).copied(), current.kind, response_side);
            if let Some((kind, skip)) = next {
                current.end = i;
                segments.push(current);
                if matches!(kind, Kind::Status(_)) || text == "返回响应" {
                    response_side = true;
                }
                current = Segment {
                    kind,
                    at: i,
                    start: i + 1 + skip,
                    end: lines.len(),
                };
                i += 1 + skip;
                if let Kind::Example(_) = kind {
                    // An example block is read whole: nothing in it is a marker.
                    i = json_block_end(lines, i);
                }
                continue;
            }
            i += 1;
        }
        current.end = i.min(lines.len());
        segments.push(current);
        segments
    }

    fn description(&mut self, segment: Segment, path: &str, op: &mut DraftOperation) {
        let mut text = Vec::new();
        for i in segment.start..segment.end {
            let line = self.lines[i].trim();
            if line.is_empty() {
                continue;
            }
            if let Some(url) = labelled(line, "请求地址") {
                let url = url.split(['?', '#']).next().unwrap_or_default();
                if url.ends_with(path) && url.contains("://") {
                    op.url = url.to_owned();
                } else {
                    self.warn(
                        i,
                        format!("the request URL `{url}` does not end with the path `{path}`"),
                    );
                }
            } else if let Some(method) = labelled(line, "请求方式") {
                if !method.eq_ignore_ascii_case(&op.method) {
                    self.warn(
                        i,
                        format!(
                            "the page says the method is `{method}`, its heading `{}`",
                            op.method
                        ),
                    );
                }
            } else if labelled(line, "请求 Body").is_some() || labelled(line, "请求Body").is_some()
            {
                // `请求 Body:无` repeats what the sections say.
            } else {
                text.push(line);
            }
        }
        if !text.is_empty() {
            op.description = Some(text.join("\n"));
        }
    }

    fn auth(&mut self, segment: Segment, op: &mut DraftOperation) {
        let text: Vec<&str> = (segment.start..segment.end)
            .map(|i| self.lines[i].trim())
            .filter(|l| !l.is_empty())
            .collect();
        if !text.is_empty() {
            op.notes.push(format!(
                "The page's Authorization section says: {}",
                text.join(" ")
            ));
        }
    }

    /// Reads the host from the request example's `curl` URL when the page gave none.
    fn code_samples(&mut self, segment: Segment, path: &str, op: &mut DraftOperation) {
        if op.url.contains("://") {
            return;
        }
        for i in segment.start..segment.end {
            let line = self.lines[i];
            if !line.contains("curl") {
                continue;
            }
            let Some(at) = line.find("http") else {
                continue;
            };
            let url: String = line[at..]
                .chars()
                .take_while(|c| !matches!(c, '\'' | '"' | ' ' | '?' | '#'))
                .collect();
            if url.ends_with(path) {
                op.url = url;
                op.notes.push(format!(
                    "The host is read from the request example (line {}).",
                    Page::line_number(i)
                ));
                return;
            }
        }
    }

    /// Warns about the non-empty lines of a section that holds nothing but markers; a single
    /// word there is a content type (`JSON`).
    fn stray(&mut self, segment: Segment) {
        let lines = self.lines;
        for (i, line) in lines
            .iter()
            .enumerate()
            .take(segment.end)
            .skip(segment.start)
        {
            let line = line.trim();
            if !line.chars().all(|c| c.is_ascii_alphanumeric()) {
                self.warn(i, format!("not part of any section: `{line}`"));
            }
        }
    }

    /// Warns about each non-empty line from `from` to `to`, saying what it is not.
    fn warn_lines(&mut self, from: usize, to: usize, what: &str) {
        let lines = self.lines;
        for (i, line) in lines.iter().enumerate().take(to).skip(from) {
            let line = line.trim();
            if !line.is_empty() {
                self.warn(i, format!("{what}: `{line}`"));
            }
        }
    }

    /// The example body after a `示例` line, read leniently; a repair is a note of the
    /// operation.
    fn example(&mut self, segment: Segment, notes: &mut Vec<String>) -> Option<Value> {
        let lines = self.lines;
        let first = (segment.start..segment.end).find(|&i| !lines[i].trim().is_empty())?;
        let end = json_block_end(lines, first).min(segment.end);
        self.warn_lines(end, segment.end, "not part of the example above");
        match examples::parse(&lines[first..end].join("\n")) {
            Ok(example) => {
                notes.extend(example.repairs.iter().map(|r| {
                    format!(
                        "The example at line {} is not JSON: {}.",
                        Page::line_number(first + r.line - 1),
                        r.what
                    )
                }));
                Some(example.value)
            }
            Err(err) => {
                let message =
                    format!("the example cannot be read ({err}); no examples read from it");
                self.warn(first + err.line - 1, message);
                None
            }
        }
    }

    /// The fields of a section, nested.
    fn fields(&mut self, segment: Segment) -> Vec<DraftField> {
        let lines = self.lines;
        let starts: Vec<usize> = (segment.start..segment.end)
            .filter(|&i| is_field_start(lines, i, segment.end))
            .collect();
        let first = starts.first().copied().unwrap_or(segment.end);
        self.warn_lines(segment.start, first, "not part of any field");
        let mut flat = Vec::new();
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(segment.end);
            flat.push(self.field(start, end));
        }
        let names: BTreeSet<String> = flat.iter().map(|f| f.field.name.clone()).collect();
        for f in &mut flat {
            self.union_members(f, &names);
        }
        split_run_together_values(&mut flat, lines);
        nest(&flat, &mut 0, None, None)
    }

    /// One field's group of lines: `start` is its name line, `end` the next field's.
    fn field(&mut self, start: usize, end: usize) -> Flat {
        let lines = self.lines;
        let name_line = lines[start];
        let doc_type = lines[start + 1].trim();
        let shape = TypeShape::of(doc_type);
        let mapped = types::map_type(&shape.written);
        let mut field = DraftField {
            name: name_line.trim().to_owned(),
            doc_type: doc_type.to_owned(),
            ty: mapped.ty.clone(),
            line: Page::line_number(start),
            ..DraftField::default()
        };
        field.notes.extend(mapped.note);
        field.notes.extend(shape.note);
        let attributes = self.attributes(start + 2, end, mapped.family, &mut field);
        let (description, variants) = split_variants(&attributes.description);
        if !description.is_empty() {
            field.description = Some(description.join("\n"));
        }
        if attributes.required.is_none() {
            field
                .notes
                .push("the page does not say whether it is required".to_owned());
        }
        field.required = attributes.required.unwrap_or(false);
        let text = field.description.clone().unwrap_or_default();
        if field.limits.is_empty() {
            let is_list = mapped.family == Family::List;
            let (limits, notes) =
                types::limits_from_prose(&text, is_list, mapped.family == Family::String);
            field.limits = limits;
            field.notes.extend(notes);
        }
        Flat {
            field,
            count: shape.count,
            indent: name_line.len() - name_line.trim_start().len(),
            object: mapped.object,
            variants,
        }
    }

    /// The lines after a field's type: requirement, limits, default, values, example and
    /// description.
    fn attributes(
        &mut self,
        start: usize,
        end: usize,
        family: Family,
        field: &mut DraftField,
    ) -> Attributes {
        let lines = self.lines;
        let mut out = Attributes::default();
        let mut i = start;
        while i < end {
            let line = lines[i].trim();
            i += 1;
            if line.is_empty() {
                continue;
            }
            if out.required.is_none() {
                if let Some(required) = types::required(line) {
                    out.required = Some(required);
                    continue;
                }
            }
            if let Some(inline) = labelled(line, "默认值") {
                let (value, next) = label_value(lines, inline, i, end);
                i = next;
                field.default = value.and_then(|v| default_value(&v, family, field));
            } else if let Some(inline) = labelled(line, "示例值") {
                let (value, next) = label_value(lines, inline, i, end);
                i = next;
                field.example = value.and_then(|v| types::example_value(&v, family));
            } else if let Some(inline) = labelled(line, "枚举值") {
                let mut values: Vec<(usize, String)> = Vec::new();
                if !inline.is_empty() {
                    values.push((i - 1, inline.to_owned()));
                }
                while i < end && !ends_values(lines[i].trim()) {
                    let value = lines[i].trim();
                    if !value.is_empty() {
                        values.push((i, value.to_owned()));
                    }
                    i += 1;
                }
                field.values = values.iter().map(|(_, v)| (v.clone(), None)).collect();
                out.value_lines = values;
            } else if let Some(limit) = limit_line(line) {
                limit.apply(&mut field.limits);
            } else {
                out.description.push((i - 1, line.to_owned()));
            }
        }
        out
    }

    /// The members a field's description gives per value of a sibling (a union), as its
    /// children, each noting its variants.
    fn union_members(&mut self, flat: &mut Flat, siblings: &BTreeSet<String>) {
        if flat.variants.is_empty() {
            return;
        }
        let mut members: Vec<Member> = Vec::new();
        let mut conditions = Vec::new();
        let union_note_at = flat.field.notes.len();
        for variant in std::mem::take(&mut flat.variants) {
            let label = format!("`{}` = {}", variant.tag, variant.value);
            for field in self.variant_fields(&variant, &label, &mut flat.field.notes) {
                merge_member(&mut members, field, &label);
            }
            conditions.push(variant.condition.clone());
            flat.variants.push(Variant {
                block: Vec::new(),
                ..variant
            });
        }
        let tag = &flat.variants[0].tag;
        let tag_note = if siblings.contains(tag) {
            format!("the sibling `{tag}`")
        } else {
            format!("`{tag}`, which is not a sibling on the page")
        };
        flat.field.notes.insert(union_note_at, format!(
            "a union: its shape depends on {tag_note}; the page gives an example object per value ({}); the members of all of them are listed, each noting its variants",
            conditions.join("; ")
        ));
        flat.field.children = members.into_iter().map(Member::into_field).collect();
    }

    /// The members of one variant's example block, read by the lenient example reader, with
    /// the block's comments; what had to be repaired becomes a note of the member on that
    /// line, or of the union field.
    fn variant_fields(
        &mut self,
        variant: &Variant,
        label: &str,
        union_notes: &mut Vec<String>,
    ) -> Vec<DraftField> {
        let Some(&(first, _)) = variant.block.first() else {
            return Vec::new();
        };
        let text: Vec<&str> = variant.block.iter().map(|(_, l)| l.as_str()).collect();
        let text = text.join("\n");
        let example = match examples::parse(&text) {
            Ok(example) => example,
            Err(err) => {
                let message = format!("the example for {label} cannot be read: {err}");
                self.warn(first + err.line - 1, message);
                return Vec::new();
            }
        };
        // The lines after the one the example ends on are not part of it.
        let last = text[..example.end].matches('\n').count();
        for (index, line) in variant.block.iter().skip(last + 1) {
            if !line.trim().is_empty() {
                self.warn(
                    *index,
                    format!("not part of the example for {label}: `{line}`"),
                );
            }
        }
        let members = member_lines(&variant.block);
        let mut fields = examples::fields_from_example(&example.value, Page::line_number(first));
        annotate(&mut fields, &members);
        for repair in example.repairs {
            let index = variant
                .block
                .get(repair.line - 1)
                .map_or(first, |(i, _)| *i);
            let note = format!(
                "the page's example is not JSON at line {}: {}",
                Page::line_number(index),
                repair.what
            );
            match find_by_line(&mut fields, Page::line_number(index)) {
                Some(field) => field.notes.push(note),
                None => union_notes.push(format!("{label}: {note}")),
            }
        }
        fields
    }
}

/// The field (or member) that came from `line`.
fn find_by_line(fields: &mut [DraftField], line: usize) -> Option<&mut DraftField> {
    for field in fields {
        if field.line == line {
            return Some(field);
        }
        if let Some(found) = find_by_line(&mut field.children, line) {
            return Some(found);
        }
    }
    None
}

/// What the lines after a field's type said.
#[derive(Debug, Default)]
struct Attributes {
    required: Option<bool>,
    description: Vec<(usize, String)>,
    value_lines: Vec<(usize, String)>,
}

/// A type line's parts: the type for `map_type`, the member count, and a note.
struct TypeShape {
    written: String,
    count: Option<usize>,
    note: Option<String>,
}

impl TypeShape {
    /// `array [object {2}]` is `object[]` with 2 members, `integer <int64>` is `int64`,
    /// `string | null` is a nullable string.
    fn of(doc_type: &str) -> Self {
        let mut text = doc_type.trim().to_owned();
        let mut note = None;
        if let Some(base) = text.strip_suffix("| null").or(text.strip_suffix("|null")) {
            text = base.trim().to_owned();
            note = Some("documented as nullable (`| null`)".to_owned());
        }
        let count = text.find('{').and_then(|open| {
            let close = text[open..].find('}')? + open;
            let n = text[open + 1..close].trim().parse().ok()?;
            text.replace_range(open..=close, "");
            Some(n)
        });
        let text = text.replace(' ', "");
        let written = if let Some(inner) = text
            .strip_prefix("array[")
            .and_then(|s| s.strip_suffix(']'))
        {
            format!("{}[]", Self::format(inner))
        } else {
            Self::format(&text)
        };
        Self {
            written,
            count,
            note,
        }
    }

    /// `integer<int64>` is `int64`; a format the type words do not name keeps the type.
    fn format(text: &str) -> String {
        let Some(open) = text.find('<') else {
            return text.to_owned();
        };
        if text.starts_with("enum<") {
            return text.to_owned();
        }
        let format = text[open + 1..].trim_end_matches('>');
        match format {
            "int64" | "int32" | "double" | "float" => format.to_owned(),
            "date-time" | "date" => "datetime".to_owned(),
            _ => text[..open].to_owned(),
        }
    }
}

/// A limit line: `<= 256 字符`, `>= 1`, `<= 10 items`.
struct LimitLine {
    at_most: bool,
    value: u64,
    unit: Unit,
}

enum Unit {
    Characters,
    Items,
    Number,
}

impl LimitLine {
    fn apply(&self, limits: &mut Limits) {
        let number = i64::try_from(self.value).ok();
        match (&self.unit, self.at_most) {
            (Unit::Characters, true) => limits.max_length = Some(self.value),
            (Unit::Characters, false) => limits.min_length = Some(self.value),
            (Unit::Items, true) => limits.max_items = Some(self.value),
            (Unit::Items, false) => limits.min_items = Some(self.value),
            (Unit::Number, true) => limits.max = number,
            (Unit::Number, false) => limits.min = number,
        }
    }
}

fn limit_line(line: &str) -> Option<LimitLine> {
    let (at_most, rest) = if let Some(rest) = line.strip_prefix("<=") {
        (true, rest)
    } else {
        (false, line.strip_prefix(">=")?)
    };
    let rest = rest.trim();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let value = digits.parse().ok()?;
    let unit = match rest[digits.len()..].trim() {
        "字符" | "characters" | "chars" => Unit::Characters,
        "items" | "个元素" | "项" | "个" => Unit::Items,
        "" => Unit::Number,
        _ => return None,
    };
    Some(LimitLine {
        at_most,
        value,
        unit,
    })
}

/// The text after `label:` (or `label：`) when `line` starts with it.
fn labelled<'l>(line: &'l str, label: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(label)?.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(rest.trim().trim_end_matches('#').trim())
}

/// Whether a line is one of the labels whose value follows on the next line.
fn is_label(line: &str) -> bool {
    ["默认值", "示例值", "枚举值"]
        .iter()
        .any(|label| labelled(line, label).is_some())
}

/// Whether a line ends a list of enumeration values: a label, Apifox's requirement words or a
/// limit.
fn ends_values(line: &str) -> bool {
    is_label(line) || matches!(line, "必需" | "可选") || limit_line(line).is_some()
}

/// A label's value: the text after the colon, or the next line (whatever it says: `false` is
/// a value there, not a requirement); and the index after it.
fn label_value(lines: &[&str], inline: &str, next: usize, end: usize) -> (Option<String>, usize) {
    if !inline.is_empty() {
        return (Some(inline.to_owned()), next);
    }
    if next < end && !is_label(lines[next].trim()) {
        return (Some(lines[next].trim().to_owned()), next + 1);
    }
    (None, next)
}

/// A documented default as a value of the field's family; a default that reads as source
/// code rather than a value gets a note.
fn default_value(text: &str, family: Family, field: &mut DraftField) -> Option<Value> {
    let looks_like_code = text.contains('(') && text.ends_with(')') && text.contains('.');
    if looks_like_code {
        field.notes.push(format!(
            "the documented default `{text}` reads as source code (an expression of the server's language), not a value"
        ));
    }
    types::example_value(text, family)
}

fn is_page_end(line: &str) -> bool {
    line.starts_with("修改于")
        || line == "上一页"
        || line == "下一页"
        || line.starts_with("Built with")
}

/// The kind of section `line` starts, given the section it is in, and how many lines after it
/// the marker takes.
fn marker(
    line: &str,
    next: Option<&str>,
    current: Kind,
    response_side: bool,
) -> Option<(Kind, usize)> {
    if current == Kind::CodeSamples {
        // Generated code holds anything; only the responses end it.
        return (line == "返回响应").then_some((Kind::ResponseMeta, 0));
    }
    match line {
        "请求参数" => return Some((Kind::Preamble, 0)),
        "示例代码" => return Some((Kind::CodeSamples, 0)),
        "返回响应" => return Some((Kind::ResponseMeta, 0)),
        _ => {}
    }
    if current == Kind::Description {
        return None;
    }
    if line == "示例" {
        return Some((Kind::Example(!response_side), 0));
    }
    if !response_side {
        return request_section(line).map(|kind| (kind, 0));
    }
    if let Some((code, skip)) = status_code(line, next) {
        return Some((Kind::Status(code), skip));
    }
    match line {
        "Body" => Some((Kind::ResponseBody, 0)),
        "Headers" | "Header" => Some((Kind::ResponseHeaders, 0)),
        _ if is_content_type(line) => Some((Kind::ResponseMeta, 0)),
        _ => None,
    }
}

fn request_section(line: &str) -> Option<Kind> {
    if line == "Authorization" {
        return Some(Kind::Auth);
    }
    let rest = line.split_once("参数")?.0.trim();
    match rest {
        "Path" => Some(Kind::Params(ParamLocation::Path)),
        "Query" => Some(Kind::Params(ParamLocation::Query)),
        "Header" => Some(Kind::Params(ParamLocation::Header)),
        "Body" => Some(Kind::Params(ParamLocation::Body)),
        "Cookie" => Some(Kind::Cookies),
        _ => None,
    }
}

/// A response's status line: `🟢200成功`, `HTTP 状态码: 200`, or `HTTP 状态码` with the code
/// on the next line (then the marker takes that line too).
fn status_code(line: &str, next: Option<&str>) -> Option<(u16, usize)> {
    let code_in = |text: &str| -> Option<u16> {
        let digits: String = text
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        let code: u16 = digits.parse().ok()?;
        (digits.len() == 3 && (100..600).contains(&code)).then_some(code)
    };
    if let Some(rest) = line.strip_prefix("HTTP 状态码") {
        if let Some(code) = code_in(rest) {
            return Some((code, 0));
        }
        return code_in(next?.trim()).map(|code| (code, 1));
    }
    let first = line.chars().next()?;
    if first.is_ascii_alphanumeric() || first.is_whitespace() {
        return None;
    }
    code_in(line).map(|code| (code, 0))
}

fn is_content_type(line: &str) -> bool {
    line.starts_with("内容格式")
        || line.split_once('/').is_some_and(|(kind, sub)| {
            ["application", "text", "multipart"].contains(&kind)
                && !sub.is_empty()
                && !sub.contains(' ')
        })
}

/// Whether line `i` starts a field: a one-word name followed by a type line.
fn is_field_start(lines: &[&str], i: usize, end: usize) -> bool {
    i + 1 < end && is_name(lines[i].trim()) && is_type_line(lines[i + 1].trim())
}

fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | '$' | '@'))
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@' | '[' | ']')
        })
        && text != "Body"
}

fn is_type_line(text: &str) -> bool {
    let word: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    TYPE_WORDS.contains(&word.to_ascii_lowercase().as_str())
        && text[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ' ' | '<' | '[' | '{' | '|' | '('))
}

/// The index after a JSON block that starts at `start`, blank lines before it skipped (braces
/// and brackets balanced, outside strings, which end with their line); the end of the lines if
/// it never closes, `start`'s first non-blank line if it does not open one.
fn json_block_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut opened = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '{' | '[' if !in_string => {
                    depth += 1;
                    opened = true;
                }
                '}' | ']' if !in_string => depth -= 1,
                _ => {}
            }
        }
        if !opened && !line.trim().is_empty() {
            return i;
        }
        if opened && depth <= 0 {
            return i + 1;
        }
    }
    lines.len()
}

/// Splits description lines into prose and the union shapes: a line naming `tag = VALUE`
/// followed by a JSON block starts a shape, which runs to the next such line.
fn split_variants(description: &[(usize, String)]) -> (Vec<String>, Vec<Variant>) {
    let mut prose = Vec::new();
    let mut variants: Vec<Variant> = Vec::new();
    for (n, (index, line)) in description.iter().enumerate() {
        let block_follows = description
            .get(n + 1)
            .is_some_and(|(_, next)| next.starts_with('{'));
        match condition(line).filter(|_| block_follows) {
            Some((tag, value)) => variants.push(Variant {
                tag,
                value,
                condition: line.trim_end_matches([':', '：']).to_owned(),
                block: Vec::new(),
            }),
            None => match variants.last_mut() {
                Some(variant) => variant.block.push((*index, line.clone())),
                None => prose.push(line.clone()),
            },
        }
    }
    (prose, variants)
}

/// `type = LIST 时 数据格式如下:`, `当type = KEYDATA 为`: the tag and its value.
fn condition(line: &str) -> Option<(String, String)> {
    let (left, right) = line.split_once('=')?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let tag: String = left
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| is_word(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let value: String = right
        .trim_start()
        .chars()
        .take_while(|c| is_word(*c))
        .collect();
    let before = left.trim_end()[..left.trim_end().len() - tag.len()].trim();
    let plain_before = before.is_empty() || before == "当";
    (!tag.is_empty() && !value.is_empty() && plain_before).then_some((tag, value))
}

/// Enumeration values Apifox wrote run together on one line (`KEYDATALISTIMAGEWEBVIEW`): split
/// at the words the page uses elsewhere, when they cover the whole line in two or more pieces.
fn split_run_together_values(flat: &mut [Flat], lines: &[&str]) {
    for f in flat.iter_mut() {
        let [(value, None)] = f.field.values.as_slice() else {
            continue;
        };
        let value = value.clone();
        let words: BTreeSet<&str> = lines
            .iter()
            .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
            .filter(|w| w.len() >= 2 && *w != value && value.contains(*w))
            .collect();
        if let Some(pieces) = fewest_pieces(&value, &words).filter(|p| p.len() >= 2) {
            f.field.notes.push(format!(
                "the page writes the values run together (`{value}`); split at the words the page uses elsewhere: {}",
                pieces.join(", ")
            ));
            f.field.values = pieces.into_iter().map(|p| (p, None)).collect();
        }
    }
}

/// The split of `text` into the fewest `words`, if any covers it.
fn fewest_pieces(text: &str, words: &BTreeSet<&str>) -> Option<Vec<String>> {
    let n = text.len();
    // best[i]: the fewest pieces covering text[..i], and where the last piece starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for word in words {
            let Some(start) = end.checked_sub(word.len()) else {
                continue;
            };
            if text.get(start..end) != Some(*word) {
                continue;
            }
            if let Some((count, _)) = best[start] {
                if best[end].is_none_or(|(c, _)| count + 1 < c) {
                    best[end] = Some((count + 1, start));
                }
            }
        }
    }
    best[n]?;
    let mut pieces = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        pieces.push(text[start..end].to_owned());
        end = start;
    }
    pieces.reverse();
    Some(pieces)
}

/// Puts the members under their parents: an object's count takes that many following fields;
/// without one, the following fields indented deeper than it.
fn nest(
    flat: &[Flat],
    at: &mut usize,
    count: Option<usize>,
    indent: Option<usize>,
) -> Vec<DraftField> {
    let mut out = Vec::new();
    while *at < flat.len() && count.is_none_or(|n| out.len() < n) {
        let f = &flat[*at];
        if indent.is_some_and(|parent| f.indent <= parent) {
            break;
        }
        *at += 1;
        let mut field = f.field.clone();
        if let Some(n) = f.count.filter(|_| f.object) {
            let members = nest(flat, at, Some(n), None);
            if members.len() < n {
                field.notes.push(format!(
                    "its type says {n} members; the page lists {}",
                    members.len()
                ));
            }
            field.children.extend(members);
        } else if f.object {
            field.children.extend(nest(flat, at, None, Some(f.indent)));
        }
        out.push(field);
    }
    out
}

/// Fills the examples a field and its members lack from an example body.
fn fill_example(field: &mut DraftField, body: &Value) {
    let Some(value) = body.get(&field.name) else {
        return;
    };
    if field.example.is_none() {
        field.example = Some(value.clone());
        let family = types::family_of_spec_type(&field.ty);
        let mismatch = match value {
            Value::String(_) => family != Family::String && field.values.is_empty(),
            Value::Bool(_) => family != Family::Boolean,
            Value::Number(_) => !matches!(family, Family::Integer | Family::Number),
            _ => false,
        };
        if mismatch {
            field.notes.push(format!(
                "the page's example sends {value}, which is not of the documented type `{}`",
                field.doc_type
            ));
        }
    }
    let item = match value {
        Value::Array(items) => items.first(),
        other => Some(other),
    };
    if let Some(item) = item {
        for child in &mut field.children {
            fill_example(child, item);
        }
    }
}

/// A member of a union's example objects, with the variants it appears in.
#[derive(Debug, Clone)]
struct Member {
    field: DraftField,
    variants: Vec<String>,
    children: Vec<Member>,
}

impl Member {
    fn into_field(self) -> DraftField {
        let mut field = self.field;
        let which = if self.variants.len() == 1 {
            format!("in the variant {}", self.variants[0])
        } else {
            format!("in the variants {}", self.variants.join(", "))
        };
        field.notes.insert(0, which);
        field.children = self.children.into_iter().map(Member::into_field).collect();
        field
    }
}

/// Adds a variant's member to the union's members: a member already there keeps its type
/// and gains the variant; its limits widen to the loosest; new sub-members are added.
fn merge_member(members: &mut Vec<Member>, field: DraftField, variant: &str) {
    let children = field.children.clone();
    let Some(existing) = members.iter_mut().find(|m| m.field.name == field.name) else {
        let mut member = Member {
            field: DraftField {
                children: Vec::new(),
                ..field
            },
            variants: vec![variant.to_owned()],
            children: Vec::new(),
        };
        for child in children {
            merge_member(&mut member.children, child, variant);
        }
        members.push(member);
        return;
    };
    if !existing.variants.iter().any(|v| v == variant) {
        existing.variants.push(variant.to_owned());
    }
    let mine = &mut existing.field;
    if mine.description != field.description {
        if let Some(other) = &field.description {
            let first = &existing.variants[0];
            let merged = match &mine.description {
                Some(d) if d.starts_with(first.as_str()) => format!("{d}; {variant}: {other}"),
                Some(d) => format!("{first}: {d}; {variant}: {other}"),
                None => format!("{variant}: {other}"),
            };
            mine.description = Some(merged);
        }
    }
    widen(&mut mine.limits, &field.limits, &mut mine.notes);
    for child in children {
        merge_member(&mut existing.children, child, variant);
    }
}

/// The loosest of two variants' limits: a bound only one variant has is dropped.
fn widen(limits: &mut Limits, other: &Limits, notes: &mut Vec<String>) {
    if limits == other {
        return;
    }
    let max = |a: Option<u64>, b: Option<u64>| a.zip(b).map(|(a, b)| a.max(b));
    let widened = Limits {
        min: limits.min.zip(other.min).map(|(a, b)| a.min(b)),
        max: limits.max.zip(other.max).map(|(a, b)| a.max(b)),
        min_length: limits
            .min_length
            .zip(other.min_length)
            .map(|(a, b)| a.min(b)),
        max_length: max(limits.max_length, other.max_length),
        min_items: limits.min_items.zip(other.min_items).map(|(a, b)| a.min(b)),
        max_items: max(limits.max_items, other.max_items),
    };
    notes.push("the variants give different limits; the loosest are kept".to_owned());
    *limits = widened;
}

/// The member lines of an example block: name, line index and `//` comment, in page order.
fn member_lines(block: &[(usize, String)]) -> Vec<(String, usize, Option<String>)> {
    block
        .iter()
        .filter_map(|(index, line)| {
            let (code, comment) = split_comment(line);
            let rest = code.trim().strip_prefix('"')?;
            let close = rest.find('"')?;
            rest[close + 1..].trim_start().strip_prefix(':')?;
            let comment = comment.filter(|c| !c.is_empty()).map(str::to_owned);
            Some((rest[..close].to_owned(), *index, comment))
        })
        .collect()
}

/// Gives the fields proposed from an example block their page lines and the block's comments
/// (descriptions and limits), and puts them in page order: a member is found by its name's
/// first line in the block.
fn annotate(fields: &mut [DraftField], members: &[(String, usize, Option<String>)]) {
    for field in fields.iter_mut() {
        let mut lines = members.iter().filter(|(name, _, _)| *name == field.name);
        if let Some((_, index, _)) = lines.clone().next() {
            field.line = Page::line_number(*index);
        }
        if let Some((_, _, Some(comment))) = lines.find(|(_, _, c)| c.is_some()) {
            field.description = Some(comment.clone());
            add_limits(field);
        }
        annotate(&mut field.children, members);
    }
    fields.sort_by_key(|f| f.line);
}

/// The code and the `//` comment of an example line; `//` after a colon is a URL's.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut from = 0;
    while let Some(at) = line[from..].find("//") {
        let at = from + at;
        if !line[..at].ends_with(':') {
            return (&line[..at], Some(line[at + 2..].trim()));
        }
        from = at + 2;
    }
    (line, None)
}

/// Limits a member's comment states (`长度最多100`, `最多4组数据`).
fn add_limits(field: &mut DraftField) {
    let Some(text) = &field.description else {
        return;
    };
    if !field.limits.is_empty() {
        return;
    }
    let family = types::family_of_spec_type(&field.ty);
    let is_list = family == Family::List;
    let (mut limits, mut notes) = types::limits_from_prose(text, is_list, family == Family::String);
    if is_list && limits.max_items.is_none() {
        if let Some((n, phrase)) = count_limit(text) {
            limits.max_items = Some(n);
            notes.push(format!(
                "`max_items` read from the description (\"{phrase}\")"
            ));
        }
    }
    field.limits = limits;
    field.notes.extend(notes);
}

/// `最多能包括3组数据`: a count a few characters after `最多`, followed by a counting word.
fn count_limit(text: &str) -> Option<(u64, String)> {
    let at = text.find("最多")?;
    let rest = &text[at + "最多".len()..];
    let lead: String = rest.chars().take_while(|c| !c.is_ascii_digit()).collect();
    if lead.chars().count() > 4 {
        return None;
    }
    let digits: String = rest[lead.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let unit = rest[lead.len() + digits.len()..].chars().next()?;
    if !matches!(unit, '组' | '个' | '项' | '条') {
        return None;
    }
    let phrase = format!("最多{lead}{digits}{unit}");
    Some((digits.parse().ok()?, phrase))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CARD_PAGE: &str =
        include_str!("../../../../specs/chengxun/sources/000_set_enterprise_data.txt");
    const CORP_PAGE: &str = include_str!("../../../../specs/chengxun/sources/001_corp_secrets.txt");

    fn read(text: &str) -> Draft {
        Apifox.read(&Page::new(text))
    }

    fn names(fields: &[DraftField]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// A made-up page in the layout: navigation, a status, every kind of field line, members
    /// counted in their parents' types, a second response, and a stray line.
    const EXCERPT: &str = "站点
  • 用户
    • 创建用户
      POST
  1. 用户

创建用户

测试中
POST
/v1/users?debug=1
创建一个用户

请求参数

Authorization
在 Header 添加参数 Authorization
Path 参数
org
string 
必需
Body 参数application/json
name
string 
姓名
必需
<= 20 字符
level
integer 
可选
>= 1
<= 9
默认值:
3
role
enum<string> 
可选
枚举值:
admin
member
示例值:
member
profile
object {2}
可选
city
string 
可选
tags
array [string] 
可选
owners
array [object {1}] 
必需
id
integer 
必需
这一行不属于任何字段
示例
{\"name\": \"王\", \"level\": 2}

返回响应

🟢200成功
application/json
Body
code
integer 
必需
🟠400请求有误
application/json
Body
error
string 
可选
修改于 2025-04-01
";

    #[test]
    fn the_layout_is_detected_and_others_are_not() {
        assert!(Apifox.detect(&Page::new(CARD_PAGE)) >= 90);
        assert!(Apifox.detect(&Page::new(CORP_PAGE)) >= 90);
        assert!(Apifox.detect(&Page::new(EXCERPT)) > 0);
        let dingtalk = "基本信息\n请求方式:GET\n请求地址:https://oapi.dingtalk.com/gettoken\nQuery参数\n名称 | 类型 | 是否必填 | 示例值 | 描述 |\nappkey | String | 是 | dingeqqpkv3xxxx | 应用的唯一标识key。 |";
        assert_eq!(Apifox.detect(&Page::new(dingtalk)), 0);
        let markdown =
            "## POST /v1/things\n\n| 参数 | 类型 | 必填 |\n|---|---|---|\n| a | string | 是 |";
        assert_eq!(Apifox.detect(&Page::new(markdown)), 0);
        // The navigation's indented methods are not an endpoint.
        assert_eq!(Apifox.detect(&Page::new("  • 添加\n    PUT\n/a\n必需")), 0);
    }

    #[test]
    fn fields_requirements_limits_defaults_and_values_are_read() {
        let draft = read(EXCERPT);
        let op = &draft.operations[0];
        assert_eq!((op.method.as_str(), op.url.as_str()), ("POST", "/v1/users"));
        assert_eq!(op.summary, "创建用户");
        assert_eq!(op.line, 7);
        assert_eq!(op.stability, Some("in_development"));
        assert_eq!(op.description.as_deref(), Some("创建一个用户"));
        assert!(op
            .notes
            .iter()
            .any(|n| n.contains("在 Header 添加参数 Authorization")));
        let located: Vec<(ParamLocation, &str)> = op
            .params
            .iter()
            .map(|(l, f)| (*l, f.name.as_str()))
            .collect();
        assert_eq!(
            located,
            [
                (ParamLocation::Path, "org"),
                (ParamLocation::Body, "name"),
                (ParamLocation::Body, "level"),
                (ParamLocation::Body, "role"),
                (ParamLocation::Body, "profile"),
                (ParamLocation::Body, "owners"),
            ]
        );
        let body = |name: &str| &op.params.iter().find(|(_, f)| f.name == name).unwrap().1;
        let name = body("name");
        assert!(name.required);
        assert_eq!(name.description.as_deref(), Some("姓名"));
        assert_eq!(name.limits.max_length, Some(20));
        assert_eq!(
            name.example,
            Some(json!("王")),
            "filled from the example body"
        );
        let level = body("level");
        assert!(!level.required);
        assert_eq!((level.limits.min, level.limits.max), (Some(1), Some(9)));
        assert_eq!(level.default, Some(json!(3)));
        assert_eq!(level.example, Some(json!(2)));
        let role = body("role");
        let values: Vec<&str> = role.values.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["admin", "member"]);
        assert_eq!(role.example, Some(json!("member")));
    }

    #[test]
    fn members_follow_their_parent_as_its_type_counts_them() {
        let draft = read(EXCERPT);
        let op = &draft.operations[0];
        let body = |name: &str| &op.params.iter().find(|(_, f)| f.name == name).unwrap().1;
        let profile = body("profile");
        assert_eq!(profile.ty, "json");
        assert_eq!(names(&profile.children), ["city", "tags"]);
        assert_eq!(profile.children[1].ty, "list<string>");
        let owners = body("owners");
        assert_eq!((owners.ty.as_str(), owners.required), ("list<json>", true));
        assert_eq!(names(&owners.children), ["id"]);
        assert!(owners.children[0].required);
    }

    #[test]
    fn indentation_nests_members_when_the_copy_kept_it() {
        let page = "T\nGET\n/a\n请求参数\nQuery 参数\nq\nobject \n必需\n  inner\n  string \n  可选\nnext\nstring \n可选\n";
        let op = &read(page).operations[0];
        assert_eq!(
            names(&op.params.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>()),
            ["q", "next"]
        );
        assert_eq!(names(&op.params[0].1.children), ["inner"]);
    }

    #[test]
    fn stray_lines_and_other_responses_are_warnings_with_their_lines() {
        let draft = read(EXCERPT);
        let op = &draft.operations[0];
        assert_eq!(names(&op.response), ["code"]);
        let warnings: Vec<(usize, bool)> = draft
            .warnings
            .iter()
            .map(|w| (w.line, w.message.contains("HTTP 400")))
            .collect();
        // Line 58 sits in `id`'s group (it is read as its description); the 400 response's
        // status is line 70.
        assert_eq!(warnings, [(70, true)], "{:?}", draft.warnings);
        let stray = "T\nGET\n/a\n请求参数\nQuery 参数\n孤立的一行\nq\nstring \n必需\n";
        let draft = read(stray);
        assert_eq!(draft.warnings.len(), 1);
        assert_eq!(draft.warnings[0].line, 6);
        assert!(draft.warnings[0].message.contains("孤立的一行"));
    }

    #[test]
    fn run_together_values_split_at_the_pages_words() {
        let page = "T\nPOST\n/a\n目前支持 RED 和 BLUE 与 GREEN\n请求参数\nBody 参数application/json\ncolor\nenum<string> \n必需\n枚举值:\nREDBLUEGREEN\n";
        let op = &read(page).operations[0];
        let values: Vec<&str> = op.params[0]
            .1
            .values
            .iter()
            .map(|(v, _)| v.as_str())
            .collect();
        assert_eq!(values, ["RED", "BLUE", "GREEN"]);
        assert!(op.params[0].1.notes[0].contains("run together"));
    }

    #[test]
    fn the_card_page_reads_whole() {
        let draft = read(CARD_PAGE);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let [op] = draft.operations.as_slice() else {
            panic!("one operation: {:?}", draft.operations);
        };
        assert_eq!(op.summary, "设置卡片组织级数据");
        assert_eq!(op.line, 89);
        assert_eq!(op.method, "POST");
        assert_eq!(
            op.url,
            "https://service.cheng-xun.cn/api/apps/v1/card/set-enterprise-data"
        );
        assert_eq!(op.stability, None);
        assert_eq!(
            op.doc.as_deref(),
            Some("设置卡片组织级数据 - 橙讯开放平台基线")
        );
        let located: Vec<(ParamLocation, &str, bool)> = op
            .params
            .iter()
            .map(|(l, f)| (*l, f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            located,
            [
                (ParamLocation::Query, "access_token", true),
                (ParamLocation::Header, "User-Agent", false),
                (ParamLocation::Body, "replace_user_data", false),
                (ParamLocation::Body, "type", true),
                (ParamLocation::Body, "data", true),
            ]
        );
        let field = |name: &str| &op.params.iter().find(|(_, f)| f.name == name).unwrap().1;
        assert_eq!(field("User-Agent").default, Some(json!("CX")));
        let replace = field("replace_user_data");
        assert_eq!(replace.ty, "boolean");
        assert_eq!(replace.default, Some(json!(false)));
        assert_eq!(replace.example, Some(json!("false")));
        assert!(replace
            .notes
            .iter()
            .any(|n| n.contains("not of the documented type")));
        let kind = field("type");
        let values: Vec<&str> = kind.values.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["KEYDATA", "LIST", "IMAGE", "WEBVIEW"]);
        let data = field("data");
        assert_eq!(
            data.description.as_deref(),
            Some("数据实体\n默认数据类型和type对应")
        );
        assert!(data
            .notes
            .iter()
            .any(|n| n.contains("a union") && n.contains("`type`")));
        assert_eq!(
            names(&data.children),
            [
                "items",
                "url",
                "jump_url",
                "action",
                "height",
                "hide_title",
                "enable_webview_click"
            ]
        );
        let items = &data.children[0];
        assert_eq!(items.ty, "list<json>");
        assert_eq!(
            items.limits.max_items,
            Some(4),
            "the loosest of 3 (LIST) and 4 (KEYDATA)"
        );
        assert_eq!(
            names(&items.children),
            ["text", "jump_url", "action", "timestamp", "key", "data"]
        );
        let text = &items.children[0];
        assert_eq!((text.line, text.limits.max_length), (132, Some(100)));
        assert!(text.inferred && text.notes[0].contains("`type` = LIST"));
        let timestamp = &items.children[3];
        assert_eq!(
            (timestamp.ty.as_str(), timestamp.example.clone()),
            ("int64", Some(json!(0)))
        );
        let hide_title = &data.children[5];
        assert_eq!(hide_title.ty, "boolean");
        assert!(hide_title.notes[0].contains("`type` = WEBVIEW"));
        let response: Vec<(&str, &str, bool)> = op
            .response
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_str(), f.required))
            .collect();
        assert_eq!(
            response,
            [("err_code", "int32", false), ("err_msg", "string", false)]
        );
        assert_eq!(
            op.response[1].default,
            Some(json!("ErrorCode.SUCCESS.getErrMsg()"))
        );
        assert_eq!(op.response[1].example, Some(json!("")));
    }

    #[test]
    fn the_corp_secrets_page_reads_whole() {
        let draft = read(CORP_PAGE);
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let [op] = draft.operations.as_slice() else {
            panic!("one operation: {:?}", draft.operations);
        };
        assert_eq!(op.summary, "换取企业永久授权码");
        assert_eq!(op.method, "GET");
        assert_eq!(
            op.url,
            "https://service.cheng-xun.cn/api/corp-service/v1/corp-secrets"
        );
        assert_eq!(op.stability, Some("in_development"));
        let description = op.description.as_deref().unwrap_or_default();
        assert!(description.starts_with("接口描述:") && description.lines().count() == 2);
        let located: Vec<(ParamLocation, &str, &str, bool)> = op
            .params
            .iter()
            .map(|(l, f)| (*l, f.name.as_str(), f.ty.as_str(), f.required))
            .collect();
        assert_eq!(
            located,
            [
                (ParamLocation::Query, "corp_id", "int64", true),
                (ParamLocation::Query, "corp_authorization", "string", true),
                (ParamLocation::Query, "temp_corp_secret", "string", true),
                (ParamLocation::Header, "User-Agent", "string", false),
            ]
        );
        assert_eq!(op.params[1].1.limits.max_length, Some(256));
        assert_eq!(op.params[1].1.description.as_deref(), Some("组织认证码"));
        let response: Vec<(&str, bool)> = op
            .response
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            response,
            [("err_code", true), ("err_msg", true), ("corp_secret", true)]
        );
        assert_eq!(
            op.response[2].description.as_deref(),
            Some("永久授权码\n256位")
        );
        assert_eq!(op.response[1].example, Some(json!("success")));
    }
}
