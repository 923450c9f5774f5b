//! The example bodies documents print, read leniently, and the fields an example proposes
//! where the page has no table for it.
//!
//! Pages print example JSON with `//` and `/* */` comments, members without the comma between
//! them, trailing commas, Java's `0L` longs, and strings the page broke across lines or left
//! open at the end of a line. `jsonc-parser` tolerates the comments and the commas; a small
//! repair pass over the text first drops the `L` of a long, closes a string left open before a
//! line that starts the next member, and joins a string the page wrapped. Every repair is
//! reported with its line, so a reader can note it.

use serde_json::{Map, Value};

use super::DraftField;

/// An example body, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The value.
    pub value: Value,
    /// The byte offset in the text just past the value: a reader takes the first value of a
    /// text and decides what follows it.
    pub end: usize,
    /// What was repaired before it could be read, in text order.
    pub repairs: Vec<Repair>,
}

/// One repair made to an example's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The 1-based line of the text where it was made.
    pub line: usize,
    /// What was done.
    pub what: String,
}

/// An example that could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleError {
    /// The 1-based line of the text.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for ExampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ExampleError {}

/// Reads the first JSON value of `text` (after leading white space), leniently. What follows
/// the value's closing bracket is not read: [`Example::end`] says where it starts.
pub fn parse(text: &str) -> Result<Example, ExampleError> {
    let start = text.len() - text.trim_start().len();
    if start == text.len() {
        return Err(error_at(
            text,
            start,
            "no JSON value in the text".to_owned(),
        ));
    }
    let repaired = repair(text, start);
    let value: Value =
        jsonc_parser::parse_to_serde_value(&repaired.text, &jsonc_parser::ParseOptions::default())
            .map_err(|e| {
                let at = repaired.input_offset(e.range().start);
                error_at(text, at, e.kind().to_string().to_lowercase())
            })?;
    Ok(Example {
        value,
        end: repaired.end,
        repairs: repaired.repairs,
    })
}

fn error_at(text: &str, offset: usize, message: String) -> ExampleError {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    ExampleError {
        line,
        column: text[line_start..offset].chars().count() + 1,
        message,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The text of one value with the repairs made, and where its pieces came from.
struct Repaired {
    text: String,
    /// (offset in `text`, offset in the input) after each edit, in order.
    checkpoints: Vec<(usize, usize)>,
    end: usize,
    repairs: Vec<Repair>,
}

impl Repaired {
    fn input_offset(&self, out: usize) -> usize {
        let (o, i) = self
            .checkpoints
            .iter()
            .rev()
            .find(|(o, _)| *o <= out)
            .copied()
            .unwrap_or((0, 0));
        i + (out - o)
    }
}

/// The scanner of the repair pass: the input, where it is, and what it wrote.
struct Scanner<'a> {
    input: &'a str,
    at: usize,
    out: Repaired,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.input[self.at..].chars().next()
    }

    fn copy(&mut self) {
        if let Some(c) = self.peek() {
            self.out.text.push(c);
            self.at += c.len_utf8();
        }
    }

    /// Skips input or inserts output: the offsets of both sides are recorded after it.
    fn edited(&mut self, what: String, line_offset: usize) {
        self.out.checkpoints.push((self.out.text.len(), self.at));
        let line = line_of(self.input, line_offset);
        self.out.repairs.push(Repair { line, what });
    }

    fn copy_until(&mut self, end: &str) {
        let stop = self.input[self.at..]
            .find(end)
            .map_or(self.input.len(), |i| self.at + i + end.len());
        self.out.text.push_str(&self.input[self.at..stop]);
        self.at = stop;
    }

    fn copy_line_comment(&mut self) {
        let stop = self.input[self.at..]
            .find('\n')
            .map_or(self.input.len(), |i| self.at + i);
        self.out.text.push_str(&self.input[self.at..stop]);
        self.at = stop;
    }

    /// A number, and the `L` (or `l`) of a Java long after it dropped; a number the page
    /// masked (`41xxxx76`) is quoted, so that it reads as the text it is.
    fn copy_number(&mut self) {
        let token: String = self.input[self.at..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let masked = token.contains(['x', 'X'])
            && token
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, 'x' | 'X'));
        if masked {
            let at = self.at;
            self.edited(format!("quoted the masked number `{token}`"), at);
            self.out.text.push('"');
            self.out.text.push_str(&token);
            self.out.text.push('"');
            self.at += token.len();
            self.out.checkpoints.push((self.out.text.len(), self.at));
            return;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        {
            self.copy();
        }
        let rest = &self.input[self.at..];
        let mut chars = rest.chars();
        if matches!(chars.next(), Some('L' | 'l'))
            && !chars
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            let number_end = self.at;
            self.at += 1;
            self.edited(
                "dropped the `L` after a number (a Java long)".to_owned(),
                number_end,
            );
        }
    }

    /// A string, with its line breaks repaired.
    fn copy_string(&mut self, quote: char) {
        self.copy();
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.copy();
                    self.copy();
                }
                c if c == quote => {
                    self.copy();
                    return;
                }
                '\r' | '\n' => {
                    if self.line_break_in_string(quote) {
                        return;
                    }
                }
                _ => self.copy(),
            }
        }
    }

    /// A line break inside a string: the string was left open when the next line starts
    /// another member or closes the object (close it), else the page wrapped it (join).
    /// Whether the string was closed.
    fn line_break_in_string(&mut self, quote: char) -> bool {
        let rest = &self.input[self.at..];
        let next = rest.trim_start();
        let starts_member = next.starts_with(['}', ']', ','])
            || next
                .strip_prefix(['"', '\''])
                .and_then(|key| key.find(['"', '\'']).map(|i| &key[i + 1..]))
                .is_some_and(|after| after.trim_start().starts_with(':'));
        if starts_member {
            self.out.text.push(quote);
            let at = self.at;
            self.edited(
                "closed a string left open at the end of the line".to_owned(),
                at,
            );
            return true;
        }
        let break_at = self.at;
        let before = self.out.text.chars().last();
        // The break and the next line's indentation: one line break, not a blank line.
        let newline = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let indent = rest[newline..].len() - rest[newline..].trim_start_matches([' ', '\t']).len();
        self.at += newline + indent;
        let after = self.peek();
        if before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            self.out.text.push(' ');
        }
        self.edited(
            "joined a string the page broke across lines".to_owned(),
            break_at,
        );
        false
    }
}

/// The repair pass over the first value of `input`, from `start`: a bracketed value ends at
/// its closing bracket, anything else at the end of the text.
fn repair(input: &str, start: usize) -> Repaired {
    let mut s = Scanner {
        input,
        at: start,
        out: Repaired {
            text: String::new(),
            checkpoints: vec![(0, start)],
            end: input.len(),
            repairs: Vec::new(),
        },
    };
    let bracketed = input[start..].starts_with(['{', '[']);
    let mut depth = 0usize;
    while let Some(c) = s.peek() {
        let rest = &input[s.at..];
        match c {
            '"' | '\'' => s.copy_string(c),
            '/' if rest.starts_with("//") => s.copy_line_comment(),
            '/' if rest.starts_with("/*") => s.copy_until("*/"),
            '{' | '[' => {
                depth += 1;
                s.copy();
            }
            '}' | ']' => {
                s.copy();
                depth = depth.saturating_sub(1);
                if bracketed && depth == 0 {
                    s.out.end = s.at;
                    break;
                }
            }
            '0'..='9' => s.copy_number(),
            _ => s.copy(),
        }
    }
    s.out
}

/// Fields proposed from an example where the page has no table for it: an object's members
/// (for a list, the members of its objects, merged), each typed from its values, with the
/// example's value, `inferred` and a note. Objects and lists of objects get `children`.
/// Members come in name order, as `serde_json` keeps them.
pub fn fields_from_example(value: &Value, line: usize) -> Vec<DraftField> {
    match value {
        Value::Object(map) => members(&[map], line),
        Value::Array(items) => {
            let objects: Vec<&Map<String, Value>> =
                items.iter().filter_map(Value::as_object).collect();
            members(&objects, line)
        }
        _ => Vec::new(),
    }
}

/// The members of some objects (a list's items), each with every value it has among them.
fn members(objects: &[&Map<String, Value>], line: usize) -> Vec<DraftField> {
    let mut names: Vec<(&str, Vec<&Value>)> = Vec::new();
    for object in objects {
        for (name, value) in *object {
            match names.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => names.push((name, vec![value])),
            }
        }
    }
    names
        .into_iter()
        .map(|(name, values)| inferred_field(name, &values, line))
        .collect()
}

fn inferred_field(name: &str, values: &[&Value], line: usize) -> DraftField {
    let shape = infer(values, line);
    let mut notes = vec![format!(
        "inferred from the example body, which shows {}; the page does not say whether it is required",
        shape.shown
    )];
    notes.extend(shape.notes);
    let example = values
        .iter()
        .find(|v| !v.is_null())
        .filter(|v| match v {
            Value::Object(_) => false,
            Value::Array(items) => !items.iter().any(|i| i.is_object() || i.is_array()),
            _ => true,
        })
        .map(|v| (*v).clone());
    DraftField {
        name: name.to_owned(),
        ty: shape.ty,
        example,
        children: shape.children,
        notes,
        inferred: true,
        line,
        ..DraftField::default()
    }
}

/// A type read from example values.
struct Shape {
    ty: String,
    children: Vec<DraftField>,
    /// What the example shows, for the note (`a string`).
    shown: &'static str,
    notes: Vec<String>,
}

fn kind(value: &Value) -> (&'static str, &'static str) {
    match value {
        Value::String(_) => ("string", "a string"),
        Value::Number(n) if n.is_i64() || n.is_u64() => ("int64", "a whole number"),
        Value::Number(_) => ("float64", "a number with a fraction"),
        Value::Bool(_) => ("boolean", "true or false"),
        Value::Array(_) => ("list", "a list"),
        Value::Object(_) => ("json", "an object"),
        Value::Null => ("json", "null"),
    }
}

fn infer(values: &[&Value], line: usize) -> Shape {
    let present: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    let Some(first) = present.first() else {
        return Shape {
            ty: "json".to_owned(),
            children: Vec::new(),
            shown: "null",
            notes: vec!["its type is unknown: the example's value is null".to_owned()],
        };
    };
    let (mut ty, shown) = kind(first);
    let mut notes = Vec::new();
    for other in &present[1..] {
        let (other_ty, other_shown) = kind(other);
        match (ty, other_ty) {
            (a, b) if a == b => {}
            ("int64", "float64") | ("float64", "int64") => ty = "float64",
            _ => {
                notes.push(format!(
                    "the example's values disagree ({shown} and {other_shown}); read as JSON"
                ));
                ty = "mixed";
                break;
            }
        }
    }
    match ty {
        "list" => list_shape(&present, line, notes),
        "json" => Shape {
            ty: "json".to_owned(),
            children: members(
                &present
                    .iter()
                    .filter_map(|v| v.as_object())
                    .collect::<Vec<_>>(),
                line,
            ),
            shown,
            notes,
        },
        "mixed" => Shape {
            ty: "json".to_owned(),
            children: Vec::new(),
            shown,
            notes,
        },
        scalar => Shape {
            ty: scalar.to_owned(),
            children: Vec::new(),
            shown,
            notes,
        },
    }
}

fn list_shape(lists: &[&Value], line: usize, mut notes: Vec<String>) -> Shape {
    let items: Vec<&Value> = lists
        .iter()
        .filter_map(|v| v.as_array())
        .flatten()
        .collect();
    if items.iter().all(|v| v.is_null()) {
        notes.push("its items' type is unknown: the example's list is empty".to_owned());
        return Shape {
            ty: "list<json>".to_owned(),
            children: Vec::new(),
            shown: "a list",
            notes,
        };
    }
    let item = infer(&items, line);
    notes.extend(item.notes);
    Shape {
        ty: format!("list<{}>", item.ty),
        children: item.children,
        shown: "a list",
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comments_and_commas_are_tolerated() {
        let text = "{\n  \"a\": 1 // one\n  \"b\": [1 2,], /* two */\n}";
        let example = parse(text).unwrap();
        assert_eq!(example.value, json!({"a": 1, "b": [1, 2]}));
        assert!(example.repairs.is_empty());
        assert_eq!(example.end, text.len());
    }

    /// The LIST example of the Chengxun card page (seed 000), as printed: comments after
    /// members, and `0L` longs.
    #[test]
    fn the_chengxun_list_example_reads() {
        let text = r#"{
"items":[ //最多能包括3组数据
{
"text":"智慧校园新版设计的小程序要来啦", //长度最多100
"jump_url":"http://jump_url", //长度最多300
"action":"action", //长度最多300
"timestamp":0L //时间戳 (null 为不显示 ,0 为1970-01-01)
},
{
"text":"智慧校园新版设计的小程序要来啦",
"jump_url":"http://jump_url",
"action":"action",
"timestamp":0L //时间戳
}
]
}
当type = KEYDATA 为"#;
        let example = parse(text).unwrap();
        assert_eq!(example.value["items"][1]["timestamp"], json!(0));
        assert_eq!(
            example.value["items"][0]["jump_url"],
            json!("http://jump_url")
        );
        assert_eq!(&text[example.end..], "\n当type = KEYDATA 为");
        let lines: Vec<usize> = example.repairs.iter().map(|r| r.line).collect();
        assert_eq!(lines, [7, 13]);
    }

    /// The WEBVIEW and IMAGE examples of the same page leave `"action` open at the end of
    /// the line, before the next member and before the closing brace.
    #[test]
    fn strings_left_open_are_closed() {
        let text = r#"{
"url":"http://jump_url",
"jump_url":"http://jump_url",
"action":"action
"height":"single_row",
"hide_title":true,
"enable_webview_click":true
}"#;
        let example = parse(text).unwrap();
        assert_eq!(example.value["action"], json!("action"));
        assert_eq!(example.value["height"], json!("single_row"));
        assert_eq!(example.value["hide_title"], json!(true));
        assert_eq!(
            example.repairs,
            [Repair {
                line: 4,
                what: "closed a string left open at the end of the line".to_owned()
            }]
        );
        let image = parse("{\n\"url\":\"xxxx\",\n\"action\":\"action\n}").unwrap();
        assert_eq!(image.value, json!({"url": "xxxx", "action": "action"}));
    }

    #[test]
    fn a_string_the_page_wrapped_is_joined() {
        let example = parse("{\"title\": \"消息体\n  的标题\", \"en\": \"two\nwords\"}").unwrap();
        assert_eq!(example.value["title"], json!("消息体的标题"));
        assert_eq!(example.value["en"], json!("two words"));
        assert_eq!(example.repairs.len(), 2);
    }

    /// tze's examples (seed 002) are on one line, after the page's words.
    #[test]
    fn tze_examples_read() {
        let line = r#"{ "msgtype": "link", "link": { "pcUrl": "http://www.baidu.com", "appUrl": "http://www.baidu.com", "picUrl": "http://xxx.yyy.com/zzz.jpg", "content": "百度一下", "title": "百度", "busiId":"AQWER1234" } }"#;
        let example = parse(line).unwrap();
        assert_eq!(example.value["link"]["busiId"], json!("AQWER1234"));
    }

    /// DingTalk's `user_list` example (seed 003) is not JSON: a member inside a list.
    #[test]
    fn broken_json_says_where() {
        let err = parse(r#"["user_list":{"staff_id":"001","name":"小明"}]"#).unwrap_err();
        assert_eq!((err.line, err.column), (1, 13), "{err}");
        let err = parse("{\n  \"a\": 1,\n  \"b\": tru\n}").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(parse("   ").is_err());
    }

    #[test]
    fn the_position_of_an_error_counts_the_repairs() {
        // The dropped `L` shortens the repaired text; the error is still placed on the input.
        let err = parse("{\"a\": 0L, \"b\": }").unwrap_err();
        assert_eq!((err.line, err.column), (1, 16), "{err}");
    }

    #[test]
    fn fields_are_proposed_from_an_example() {
        let value = json!({
            "count": 3,
            "ratio": 0.5,
            "ok": true,
            "name": "x",
            "tags": ["a"],
            "list": [{"id": "1"}, {"id": "2", "size": 1}, {"size": 1.5}],
            "empty": [],
            "nothing": null,
            "owner": {"id": 7}
        });
        let fields = fields_from_example(&value, 12);
        let summary: Vec<(&str, &str)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("count", "int64"),
                ("empty", "list<json>"),
                ("list", "list<json>"),
                ("name", "string"),
                ("nothing", "json"),
                ("ok", "boolean"),
                ("owner", "json"),
                ("ratio", "float64"),
                ("tags", "list<string>"),
            ]
        );
        assert!(fields
            .iter()
            .all(|f| f.inferred && f.line == 12 && !f.required && !f.notes.is_empty()));
        assert!(fields[0].notes[0].contains("inferred from the example"));
        assert_eq!(fields[0].example, Some(json!(3)));
        assert_eq!(fields[8].example, Some(json!(["a"])));
        let list = &fields[2];
        assert_eq!(list.example, None);
        let items: Vec<(&str, &str)> = list
            .children
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_str()))
            .collect();
        assert_eq!(items, [("id", "string"), ("size", "float64")]);
        assert_eq!(fields[6].children[0].ty, "int64");
        assert!(fields_from_example(&json!("text"), 1).is_empty());
        let from_list = fields_from_example(&json!([{"a": 1}]), 1);
        assert_eq!(from_list[0].name, "a");
    }

    #[test]
    fn a_masked_number_reads_as_text() {
        let example = parse("{\n  \"dept_id\": 41xxxx76,\n  \"order\": 1\n}").expect("read");
        assert_eq!(example.value, json!({"dept_id": "41xxxx76", "order": 1}));
        assert_eq!(example.repairs.len(), 1);
        assert_eq!(example.repairs[0].line, 2);
    }
}
