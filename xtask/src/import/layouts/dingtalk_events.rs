//! The layout of 钉钉开放平台's event pages (`dingtalk-events`): one page per event type, in
//! two versions.
//!
//! - The current pages: the title, a `事件信息` table whose `英文名称` row is the event type,
//!   `功能描述` prose, a `支持应用类型` table saying which deliveries carry it (`Stream模式推送`,
//!   `HTTP推送`: `支持`), and per delivery (`Stream模式推送`, `HTTP推送` headings) a `字段说明`
//!   list of members, `- name（type，必填）：description` (a dotted name is a member of a
//!   member: `diffInfo.prev.name`), then a `事件体示例`. The payload is the HTTP push's
//!   members; a page without one gives the Stream push's `data.*` members (the rest of the
//!   Stream message is its envelope).
//! - The archived pages (HTTP callbacks only): the title, prose, `POST数据解密后示例：` with the
//!   decrypted JSON (its `EventType` is the event type), and a `参数说明` table of the members
//!   and their descriptions, typed as the example shows them.
//!
//! An event is drafted with its payload as a model; the example fills the members' examples.

use serde_json::Value;

use crate::import::examples;
use crate::import::types::{self, Family};
use crate::import::{Draft, DraftEvent, DraftField, Layout, Page, Warning};

/// The layout of DingTalk's event pages.
pub struct DingTalkEvents;

impl Layout for DingTalkEvents {
    fn name(&self) -> &'static str {
        "dingtalk-events"
    }

    /// 96 for a page with the `英文名称` row of an event, or the decrypted example of an
    /// archived event page; 0 otherwise.
    fn detect(&self, page: &Page<'_>) -> u32 {
        let event_row = page
            .lines
            .iter()
            .any(|l| l.trim_start().starts_with("英文名称 |"));
        let archived = page
            .lines
            .iter()
            .any(|l| l.trim().starts_with("POST数据解密后示例"));
        if event_row || archived {
            96
        } else {
            0
        }
    }

    fn read(&self, page: &Page<'_>) -> Draft {
        let mut reader = Reader::default();
        reader.read(&page.lines);
        let mut draft = reader.draft();
        draft.layout = self.name();
        draft
    }
}

/// Which push a section of the page describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Push {
    Stream,
    Http,
    /// The SyncHTTP/RDS push, which the spec has no delivery for: not read.
    Synced,
}

#[derive(Debug, Default)]
struct Reader {
    title: Option<(String, usize)>,
    value: Option<String>,
    description: Vec<String>,
    in_description: bool,
    deliveries: Vec<&'static str>,
    /// The columns of the `支持应用类型` table, while it is read.
    delivery_columns: Option<Vec<Option<&'static str>>>,
    push: Option<Push>,
    /// Members listed per push, with their page lines.
    members: Vec<(Push, DraftField)>,
    /// The examples per push (the archived page's counts as HTTP).
    examples: Vec<(Push, Value, usize)>,
    /// The archived page's `参数说明` rows: name, description, line.
    described: Vec<(String, String, usize)>,
    in_described: bool,
    warnings: Vec<Warning>,
}

impl Reader {
    fn read(&mut self, lines: &[&str]) {
        let mut index = 0;
        while index < lines.len() {
            let number = Page::line_number(index);
            let raw = lines[index];
            let text = raw.trim();
            index += 1;
            // An indented line after a member continues its description (the values it lists:
            // `  - Normal：内勤。`).
            if raw.starts_with([' ', '\t']) && !text.is_empty() {
                if let Some((_, last)) = self.members.last_mut() {
                    let description = last.description.get_or_insert_with(String::new);
                    if !description.is_empty() {
                        description.push(' ');
                    }
                    description.push_str(text);
                    continue;
                }
            }
            if text.is_empty() {
                continue;
            }
            if self.title.is_none() {
                self.title = Some((text.to_owned(), number));
                self.in_description = true;
                continue;
            }
            let cells: Vec<&str> = text
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            if text.contains('|') {
                self.table_row(&cells, number);
                continue;
            }
            self.delivery_columns = None;
            self.in_described = false;
            match text {
                "功能描述" => {
                    self.in_description = true;
                    continue;
                }
                "事件信息" | "支持应用类型" | "事件体描述" | "字段说明" | "说明" =>
                {
                    self.in_description = false;
                    continue;
                }
                "Stream模式推送" => {
                    self.push = Some(Push::Stream);
                    self.in_description = false;
                    continue;
                }
                "HTTP推送" => {
                    self.push = Some(Push::Http);
                    self.in_description = false;
                    continue;
                }
                "SyncHTTP/RDS推送" => {
                    self.push = Some(Push::Synced);
                    self.in_description = false;
                    continue;
                }
                _ => {}
            }
            if text == "事件体示例" || text.starts_with("POST数据解密后示例") {
                self.in_description = false;
                let push = self.push.unwrap_or(Push::Http);
                index = self.example(lines, index, push);
                continue;
            }
            if text.starts_with("参数说明") {
                self.in_description = false;
                self.in_described = true;
                continue;
            }
            if let Some(rest) = text.strip_prefix("- ") {
                if let Some(field) = member(rest, number) {
                    self.in_description = false;
                    self.members.push((self.push.unwrap_or(Push::Http), field));
                    continue;
                }
            }
            if self.in_description {
                self.description.push(text.to_owned());
            }
        }
    }

    fn table_row(&mut self, cells: &[&str], number: usize) {
        match cells {
            ["英文名称", value, ..] => self.value = Some((*value).to_owned()),
            ["应用类型", rest @ ..] => {
                self.delivery_columns = Some(
                    rest.iter()
                        .map(|c| match *c {
                            "Stream模式推送" => Some("stream"),
                            "HTTP推送" => Some("http_callback"),
                            _ => None,
                        })
                        .collect(),
                );
            }
            [_, rest @ ..] if self.delivery_columns.is_some() => {
                let columns = self.delivery_columns.clone().unwrap_or_default();
                for (cell, delivery) in rest.iter().zip(columns) {
                    if let Some(delivery) = delivery.filter(|_| *cell == "支持") {
                        if !self.deliveries.contains(&delivery) {
                            self.deliveries.push(delivery);
                        }
                    }
                }
            }
            ["参数", ..] | ["名称", ..] => {}
            [name, description, ..] if self.in_described => {
                self.described
                    .push(((*name).to_owned(), (*description).to_owned(), number));
            }
            _ => {}
        }
    }

    /// Reads the example starting at `index`; the index of the line after it.
    fn example(&mut self, lines: &[&str], index: usize, push: Push) -> usize {
        let Some(start) = lines[index..].iter().position(|l| !l.trim().is_empty()) else {
            return index;
        };
        let first = index + start;
        let rest = lines[first..].join("\n");
        match examples::parse(&rest) {
            Ok(example) => {
                let spanned = rest[..example.end].matches('\n').count();
                self.examples
                    .push((push, example.value, Page::line_number(first)));
                first + spanned + 1
            }
            Err(err) => {
                self.warnings.push(Warning {
                    line: Page::line_number(first) + err.line - 1,
                    message: format!("an example body that cannot be read: {err}"),
                });
                first + 1
            }
        }
    }

    fn draft(self) -> Draft {
        let (summary, line) = self.title.clone().unwrap_or_default();
        let http_example = self
            .examples
            .iter()
            .find(|(push, ..)| *push == Push::Http)
            .map(|(_, value, line)| (value.clone(), *line));
        let value = self.value.clone().or_else(|| {
            let (example, _) = http_example.as_ref()?;
            Some(example.get("EventType")?.as_str()?.to_owned())
        });
        let Some(value) = value else {
            let mut warnings = self.warnings;
            warnings.push(Warning {
                line,
                message:
                    "the page names no event type (no 英文名称 row, no EventType in an example)"
                        .to_owned(),
            });
            return Draft {
                warnings,
                ..Draft::default()
            };
        };
        let mut notes = Vec::new();
        let http: Vec<DraftField> = self
            .members
            .iter()
            .filter(|(push, _)| *push == Push::Http)
            .map(|(_, f)| f.clone())
            .collect();
        let (mut fields, example) = if !http.is_empty() {
            (nest(http), http_example.map(|(v, _)| v))
        } else if !self.described.is_empty() {
            // The archived page: the example's members, described by the table.
            let (example, example_line) = http_example.clone().unwrap_or((Value::Null, line));
            let mut fields = examples::fields_from_example(&example, example_line);
            for field in &mut fields {
                if let Some((_, description, row)) =
                    self.described.iter().find(|(name, ..)| *name == field.name)
                {
                    field.description = Some(description.clone());
                    field.line = *row;
                    field.inferred = false;
                }
            }
            notes.push(
                "members and types from the decrypted example, described by the 参数说明 table"
                    .to_owned(),
            );
            (fields, None)
        } else {
            // Only the Stream push: its `data` members.
            let data: Vec<DraftField> = self
                .members
                .iter()
                .filter_map(|(_, f)| {
                    let name = f.name.strip_prefix("data.")?;
                    Some(DraftField {
                        name: name.to_owned(),
                        ..f.clone()
                    })
                })
                .collect();
            notes.push(
                "the page documents only the Stream push: the payload is its `data`".to_owned(),
            );
            let example = self
                .examples
                .iter()
                .find_map(|(_, v, _)| v.get("data").cloned());
            (nest(data), example)
        };
        if let Some(example) = &example {
            fill_examples(&mut fields, example);
        }
        for field in &mut fields {
            super::dingtalk_pages::finish_field(field);
        }
        let mut deliveries = self.deliveries.clone();
        if deliveries.is_empty() {
            deliveries.push("http_callback");
            notes.push("the page states no deliveries: read as an HTTP callback".to_owned());
        }
        Draft {
            events: vec![DraftEvent {
                value,
                summary,
                description: (!self.description.is_empty()).then(|| self.description.join("\n")),
                deliveries,
                fields,
                notes,
                line,
            }],
            warnings: self.warnings,
            ..Draft::default()
        }
    }
}

/// `name（type，必填）：description`, or `None` for a line that is not a member.
fn member(text: &str, line: usize) -> Option<DraftField> {
    let (head, description) = text.split_once('：').or_else(|| text.split_once(':'))?;
    let open = head.find('（').or_else(|| head.find('('))?;
    let name = head[..open].trim();
    let inside = head[open..]
        .trim_start_matches(['（', '('])
        .trim_end()
        .trim_end_matches(['）', ')']);
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    if !valid_name {
        return None;
    }
    // `dataList[].address`: a member of the list's items.
    let name = name.replace("[]", "");
    let mut parts = inside.split(['，', ',']).map(str::trim);
    let doc_type = parts.next().unwrap_or_default().to_owned();
    let required = parts.any(|p| p == "必填");
    let mapped = types::map_type(&doc_type);
    let mut field = DraftField {
        name,
        ty: mapped.ty.clone(),
        doc_type,
        required,
        description: Some(description.trim().to_owned()).filter(|d| !d.is_empty()),
        line,
        ..DraftField::default()
    };
    field.notes.extend(mapped.note);
    Some(field)
}

/// Dotted members (`diffInfo.prev.name`) placed in the members they name, in page order; a
/// holder the page does not list is added, inferred.
fn nest(flat: Vec<DraftField>) -> Vec<DraftField> {
    let mut top: Vec<DraftField> = Vec::new();
    for field in flat {
        let segments: Vec<String> = field.name.split('.').map(str::to_owned).collect();
        let Some((last, holders)) = segments.split_last() else {
            continue;
        };
        let mut level = &mut top;
        for holder in holders {
            let at = match level.iter().position(|f| &f.name == holder) {
                Some(at) => at,
                None => {
                    level.push(DraftField {
                        name: holder.clone(),
                        ty: "json".to_owned(),
                        inferred: true,
                        line: field.line,
                        ..DraftField::default()
                    });
                    level.len() - 1
                }
            };
            level = &mut level[at].children;
        }
        level.push(DraftField {
            name: last.clone(),
            ..field
        });
    }
    top
}

/// Gives fields without an example the example's value at their place.
fn fill_examples(fields: &mut [DraftField], example: &Value) {
    let object = match example {
        Value::Array(items) => items.iter().find_map(Value::as_object),
        other => other.as_object(),
    };
    let Some(object) = object else {
        return;
    };
    for field in fields {
        let Some(value) = object.get(&field.name) else {
            continue;
        };
        if !field.children.is_empty() {
            fill_examples(&mut field.children, value);
            continue;
        }
        let family = types::family_of_spec_type(&field.ty);
        let fits = match value {
            Value::Object(_) | Value::Null => false,
            Value::String(_) => matches!(family, Family::String),
            Value::Number(_) => matches!(family, Family::Integer | Family::Number),
            Value::Bool(_) => family == Family::Boolean,
            Value::Array(items) => {
                family == Family::List && items.iter().all(|i| !i.is_object() && !i.is_array())
            }
        };
        if field.example.is_none() && fits {
            field.example = Some(value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_current_event_page() {
        let page = "\
企业增加员工事件
事件信息
名称 | 值 |
英文名称 | user_add_org |
功能描述
通讯录用户增加事件。
支持应用类型
应用类型 | Stream模式推送 | HTTP推送 | SyncHTTP/RDS推送 |
企业内部应用 | 支持 | 支持 | 不支持 |
事件体描述
Stream模式推送
字段说明
- eventType（String）：事件类型。
- data（object）：事件体data。
- data.userId（array）：userId列表。
事件体示例
{ \"eventType\": \"user_add_org\", \"data\": { \"userId\": [\"u1\"] } }
HTTP推送
字段说明
- EventType（String）：事件英文名称。
- userId（array，必填）：userId列表。
- diffInfo（object）：变更。
- diffInfo.prev.name（String）：原名。
事件体示例
{ \"EventType\": \"user_add_org\", \"userId\": [\"u1\"], \"diffInfo\": { \"prev\": { \"name\": \"a\" } } }
";
        let draft = DingTalkEvents.read(&Page::new(page));
        assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
        let event = &draft.events[0];
        assert_eq!(event.value, "user_add_org");
        assert_eq!(event.deliveries, ["stream", "http_callback"]);
        assert_eq!(event.description.as_deref(), Some("通讯录用户增加事件。"));
        let names: Vec<&str> = event.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["EventType", "userId", "diffInfo"]);
        assert!(event.fields[1].required);
        assert_eq!(event.fields[1].example, Some(serde_json::json!(["u1"])));
        let prev = &event.fields[2].children[0];
        assert_eq!((prev.name.as_str(), prev.inferred), ("prev", true));
        assert_eq!(prev.children[0].name, "name");
        assert_eq!(prev.children[0].example, Some(serde_json::json!("a")));
    }

    #[test]
    fn an_archived_event_page() {
        let page = "\
推送suite_ticket事件
钉钉开放平台会向应用的回调URL推送suite_ticket事件。
POST数据解密后示例：
{
  \"EventType\": \"suite_ticket\",
  \"TimeStamp\": 123456,
  \"SuiteTicket\": \"xxxxxx\"
}
参数说明：
参数 | 说明 |
EventType | 回调事件类型。 |
SuiteTicket | ticket内容。 |
";
        let draft = DingTalkEvents.read(&Page::new(page));
        let event = &draft.events[0];
        assert_eq!(event.value, "suite_ticket");
        assert_eq!(event.deliveries, ["http_callback"]);
        let ticket = event
            .fields
            .iter()
            .find(|f| f.name == "SuiteTicket")
            .expect("the ticket");
        assert_eq!(ticket.description.as_deref(), Some("ticket内容。"));
        assert_eq!(ticket.ty, "string");
    }
}
