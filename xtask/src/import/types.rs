//! What every layout reader needs: the documents' spellings of types, requirements, defaults
//! and limits, mapped to the spec format's, each guess with a note.

use super::Limits;

/// The kind of value a type is, as `--compare` matches types across a draft and a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number with a fraction.
    Number,
    /// `true`/`false`.
    Boolean,
    /// A JSON array.
    List,
    /// A JSON object.
    Object,
    /// A closed set of values.
    Enum,
    /// An object whose shape depends on a tag.
    Union,
}

impl Family {
    /// The family's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::String => "string",
            Family::Integer => "integer",
            Family::Number => "number",
            Family::Boolean => "boolean",
            Family::List => "list",
            Family::Object => "object",
            Family::Enum => "enum",
            Family::Union => "union",
        }
    }
}

/// A document's type, mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedType {
    /// The spec type expression (`string`, `list<int64>`, `json`); for an object the reader
    /// replaces `json` with a model when the page documents its members.
    pub ty: String,
    /// The family.
    pub family: Family,
    /// Whether the document's type names an object (or a list of objects) whose members the
    /// page may list: `Object`, `json[]`, a type name such as `OapiCreateBlackboardVo`.
    pub object: bool,
    /// Why the mapping is a guess, for the field's note.
    pub note: Option<String>,
}

/// Maps a type as the documents spell it. Unknown words that look like type names
/// (`OapiBlackboardVo`, `PageVo`) are objects; anything else is a string with a note.
pub fn map_type(doc_type: &str) -> MappedType {
    let written = doc_type.trim();
    let lower = written.to_ascii_lowercase();
    let scalar = |ty: &str, family: Family| MappedType {
        ty: ty.to_owned(),
        family,
        object: false,
        note: None,
    };
    // `Json數組`, `String数组`: "an array of".
    if let Some(item) = written
        .strip_suffix("數組")
        .or_else(|| written.strip_suffix("数组"))
        .filter(|item| !item.is_empty())
    {
        let inner = map_type(item);
        return MappedType {
            ty: format!("list<{}>", inner.ty),
            family: Family::List,
            object: inner.object,
            note: inner.note,
        };
    }
    let is_list = lower.ends_with("[]")
        || ((lower.starts_with("list<") || lower.starts_with("array<")) && lower.ends_with('>'));
    if is_list {
        let inner = match written.strip_suffix("[]") {
            Some(item_written) => map_type(item_written),
            // `list<T>`/`array<T>`: the item as written, between the brackets.
            None => {
                let open = written.find('<').map_or(0, |i| i + 1);
                map_type(written[open..].trim_end_matches('>'))
            }
        };
        return MappedType {
            ty: format!("list<{}>", inner.ty),
            family: Family::List,
            object: inner.object,
            note: inner.note,
        };
    }
    if lower == "array" || lower == "list" {
        return MappedType {
            ty: "list<json>".to_owned(),
            family: Family::List,
            object: true,
            note: None,
        };
    }
    if let Some(inner) = lower
        .strip_prefix("enum<")
        .and_then(|s| s.strip_suffix('>'))
    {
        let mapped = map_type(inner);
        return MappedType {
            family: Family::Enum,
            ..mapped
        };
    }
    // `JSON Object`, `JSONObject`, `JSON Array`: DingTalk's spellings of an object and a list.
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed == "jsonarray" {
        return MappedType {
            ty: "list<json>".to_owned(),
            family: Family::List,
            object: true,
            note: None,
        };
    }
    match squeezed.as_str() {
        "string" | "str" | "text" | "char" | "varchar" => scalar("string", Family::String),
        "number" | "long" | "int64" | "bigint" => scalar("int64", Family::Integer),
        "int" | "integer" | "int32" | "short" => scalar("int32", Family::Integer),
        "double" | "float" | "decimal" | "float64" => scalar("float64", Family::Number),
        "boolean" | "bool" => scalar("boolean", Family::Boolean),
        "date" | "datetime" => MappedType {
            note: Some(format!(
                "documented as `{written}`; the document's format decides between `datetime` and `timestamp_ms`"
            )),
            ..scalar("datetime", Family::String)
        },
        "jsonstring" | "json_string" => MappedType {
            ty: "json".to_owned(),
            family: Family::Object,
            object: true,
            note: Some("documented as `jsonstring`: JSON text inside a string (`lenient: json_string`)".to_owned()),
        },
        "object" | "json" | "jsonobject" | "map" | "dict" => MappedType {
            ty: "json".to_owned(),
            family: Family::Object,
            object: true,
            note: None,
        },
        // A file part of a multipart body (DingTalk's SDK type), not an object with members;
        // `file` needs the operation's `encoding: multipart`, which a reader decides.
        "fileitem" | "multipartfile" => MappedType {
            ty: "json".to_owned(),
            family: Family::Object,
            object: false,
            note: None,
        },
        _ => misspelled_or_named(written),
    }
}

/// A type the documents misspell (`Sting`, `Boolen`), or the name of an object type.
fn misspelled_or_named(written: &str) -> MappedType {
    const KNOWN: &[(&str, &str, Family)] = &[
        ("string", "string", Family::String),
        ("number", "int64", Family::Integer),
        ("integer", "int32", Family::Integer),
        ("boolean", "boolean", Family::Boolean),
    ];
    let lower = written.to_ascii_lowercase();
    for (word, ty, family) in KNOWN {
        if !lower.is_empty() && strsim::levenshtein(&lower, word) == 1 {
            return MappedType {
                ty: (*ty).to_owned(),
                family: *family,
                object: false,
                note: Some(format!("documented as `{written}`, read as `{word}`")),
            };
        }
    }
    let looks_like_a_type = written
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && written
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if looks_like_a_type {
        return MappedType {
            ty: "json".to_owned(),
            family: Family::Object,
            object: true,
            note: None,
        };
    }
    MappedType {
        ty: "string".to_owned(),
        family: Family::String,
        object: false,
        note: Some(format!(
            "unknown documented type `{written}`, read as a string"
        )),
    }
}

/// The family of a spec type expression (`list<int64>` is a list).
pub fn family_of_spec_type(ty: &str) -> Family {
    let ty = ty.trim();
    if ty.starts_with("list<") || ty.starts_with("csv<") {
        return Family::List;
    }
    if ty.starts_with("map<") {
        return Family::Object;
    }
    match ty {
        "string" | "datetime" | "secret" => Family::String,
        "int32" | "int64" | "timestamp_ms" => Family::Integer,
        "float64" => Family::Number,
        "boolean" => Family::Boolean,
        _ => Family::Object,
    }
}

/// Whether a cell says the field is required, in every spelling the seed documents use;
/// `None` when the text is none of them.
pub fn required(text: &str) -> Option<bool> {
    match text.trim() {
        "是" | "必需" | "必选" | "必選" | "必填" | "必须" | "Y" | "y" | "yes" | "Yes" | "true"
        | "True" | "required" | "Required" => Some(true),
        "否" | "可选" | "可選" | "非必填" | "非必需" | "选填" | "N" | "n" | "no" | "No"
        | "false" | "False" | "optional" | "Optional" => Some(false),
        _ => None,
    }
}

/// A default written in prose: `默认值: 1`, `默认1`, `默認 1`, `默认为true`; the value up to the
/// next punctuation.
pub fn default_from_prose(text: &str) -> Option<String> {
    for marker in [
        "默认值为",
        "默认值：",
        "默认值:",
        "默认值",
        "默认为",
        "默認為",
        "默認值",
        "默认",
        "默認",
    ] {
        if let Some(at) = text.find(marker) {
            let rest = text[at + marker.len()..].trim_start_matches([' ', ':', '：', '是']);
            let value: String = rest
                .chars()
                .take_while(|c| {
                    !matches!(
                        c,
                        '，' | ',' | '。' | '；' | ';' | ')' | '）' | ' ' | '\u{3001}'
                    )
                })
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

/// Limits written in prose, with a note per limit read: `最多N个`/`最大的列表长度为N` (items),
/// `最大长度N`/`长度最多N`/`不超过N个字符`/`<= N 字符` (characters), `不超过N`/`最大值N` (a
/// number), `从1开始` (a number's minimum). `is_list` and `is_text` say what the field holds, to
/// tell a count from a length from a value.
pub fn limits_from_prose(text: &str, is_list: bool, is_text: bool) -> (Limits, Vec<String>) {
    let mut limits = Limits::default();
    let mut notes = Vec::new();
    let mut note = |what: &str, phrase: &str| {
        notes.push(format!("{what} read from the description (\"{phrase}\")"));
    };
    let number_after = |marker: &str| -> Option<(u64, String)> {
        let at = text.find(marker)?;
        let rest = text[at + marker.len()..].trim_start_matches([' ', '为', '是', ':', '：']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        // A size (`最大20MB`) limits a file, not the characters, items or value of the field.
        let unit = rest[digits.len()..]
            .trim_start()
            .get(..2)
            .map(str::to_ascii_uppercase);
        if matches!(unit.as_deref(), Some("KB" | "MB" | "GB" | "TB")) {
            return None;
        }
        // Bytes (`不超过2048个字节`) count the encoded text, which no field limit expresses.
        let after = rest[digits.len()..].trim_start();
        if after.starts_with("字节") || after.starts_with("个字节") {
            return None;
        }
        let value = digits.parse().ok()?;
        let phrase: String = text[at..]
            .chars()
            .take(marker.chars().count() + digits.len() + 3)
            .collect();
        Some((value, phrase))
    };
    // A range of characters: `长度限制为1~64个字符`, `1-64个字符`.
    if is_text {
        if let Some((min, max, phrase)) = character_range(text) {
            limits.min_length = Some(min);
            limits.max_length = Some(max);
            note("`min_length` and `max_length`", &phrase);
        }
    }
    for marker in [
        "最大长度为",
        "最大长度",
        "长度最多",
        "长度不超过",
        "最多可输入",
        "最长",
        "<=",
    ] {
        if limits.max_length.is_some() {
            break;
        }
        if let Some((n, phrase)) = number_after(marker) {
            if is_list {
                limits.max_items = Some(n);
                note("`max_items`", &phrase);
            } else if is_text {
                limits.max_length = Some(n);
                note("`max_length`", &phrase);
            }
            break;
        }
    }
    if limits.max_items.is_none() {
        for marker in [
            "最大的列表长度为",
            "列表长度最大",
            "列表长度",
            "最多支持",
            "最多传",
            "最大可设置成",
            "最多",
        ] {
            if let Some((n, phrase)) = number_after(marker) {
                if is_list {
                    limits.max_items = Some(n);
                    note("`max_items`", &phrase);
                } else if is_text && limits.max_length.is_none() {
                    limits.max_length = Some(n);
                    note("`max_length`", &phrase);
                } else if !is_text && limits.max.is_none() {
                    limits.max = i64::try_from(n).ok();
                    note("`max`", &phrase);
                }
                break;
            }
        }
    }
    if limits.max.is_none() && limits.max_length.is_none() && limits.max_items.is_none() {
        for marker in ["不超过", "不能超过", "最大值为", "最大值", "最大为", "最大"]
        {
            if let Some((n, phrase)) = number_after(marker) {
                if is_list {
                    limits.max_items = Some(n);
                    note("`max_items`", &phrase);
                } else if is_text {
                    limits.max_length = Some(n);
                    note("`max_length`", &phrase);
                } else {
                    limits.max = i64::try_from(n).ok();
                    note("`max`", &phrase);
                }
                break;
            }
        }
    }
    if !is_list && !is_text {
        if let Some((n, phrase)) = number_after("从") {
            if text.contains("开始") {
                limits.min = i64::try_from(n).ok();
                note("`min`", &phrase);
            }
        }
        // `正整数，小于60`: a positive whole number below a bound.
        if limits.max.is_none() {
            if let Some((n, phrase)) = number_after("小于") {
                limits.max = i64::try_from(n).ok().map(|n| n - 1);
                note("`max` (one below)", &phrase);
            }
        }
        if limits.min.is_none() && text.contains("正整数") {
            limits.min = Some(1);
            note("`min`", "正整数");
        }
    }
    (limits, notes)
}

/// `N~M个字符` (also `N-M`, `N～M`, with `个` optional): the bounds and the phrase.
fn character_range(text: &str) -> Option<(u64, u64, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, '~' | '～' | '-') {
            continue;
        }
        let before: String = text[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let rest = &text[chars.get(i + 1).map_or(text.len(), |(a, _)| *a)..];
        let after: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let unit = rest[after.len()..].trim_start();
        let unit = unit.strip_prefix('个').unwrap_or(unit);
        if before.is_empty() || after.is_empty() || !unit.starts_with("字符") {
            continue;
        }
        let (Ok(min), Ok(max)) = (before.parse(), after.parse()) else {
            continue;
        };
        let start = at - before.len();
        let phrase: String = text[start..]
            .chars()
            .take(before.len() + after.len() + 4)
            .collect();
        return Some((min, max, phrase));
    }
    None
}

/// A string that holds a list joined by commas (`userid_list` = `"user1,user2"`, a description
/// saying `多个...逗号分隔`): `csv<int64>` when the example's items are numbers, else
/// `csv<string>`, with the note that says why; `None` for an ordinary string.
pub fn csv_type(name: &str, description: &str, example: &str) -> Option<(String, String)> {
    let example = example.trim().trim_matches('"');
    let items: Vec<&str> = example.split([',', '，']).map(str::trim).collect();
    let listed = items.len() >= 2
        && items.iter().all(|item| {
            !item.is_empty()
                && item
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | '@' | '.'))
        });
    let said = ["逗号分隔", "逗号隔开", "英文逗号", "逗号拼接"]
        .iter()
        .any(|m| description.contains(m));
    let named = name.ends_with("_list") || name.ends_with("ids") || description.contains("列表");
    if !(said || listed && named) {
        return None;
    }
    let numbers = listed && items.iter().all(|i| i.chars().all(|c| c.is_ascii_digit()));
    let ty = if numbers { "csv<int64>" } else { "csv<string>" };
    let why = if said {
        "its description says the items are joined by commas"
    } else {
        "its example joins the items with commas"
    };
    Some((
        ty.to_owned(),
        format!("a string holding a list: {why}, so `{ty}`"),
    ))
}

/// A default marked beside a listed value: `zh_CN（默认）：中文`, `false（默认值）：不隐藏`.
pub fn default_marked_in_list(text: &str) -> Option<String> {
    for marker in ["（默认", "(默认"] {
        for (at, _) in text.match_indices(marker) {
            let value: String = text[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

/// The text without the `（默认）`-style markers [`default_marked_in_list`] reads, so that the
/// listed values read as `word：meaning`.
pub fn without_default_markers(text: &str) -> String {
    ["（默认值）", "(默认值)", "（默认）", "(默认)"]
        .iter()
        .fold(text.to_owned(), |t, m| t.replace(m, ""))
}

/// An example cell as a JSON value of the field's family: a number, a boolean, JSON text, or
/// the text itself; `None` for an empty cell.
pub fn example_value(cell: &str, family: Family) -> Option<serde_json::Value> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    // Java's long literal (`123L`), as the SDK examples write numbers.
    let cell = match cell.strip_suffix(['L', 'l']) {
        Some(digits)
            if family == Family::Integer
                && !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit()) =>
        {
            digits
        }
        _ => cell,
    };
    let parsed = serde_json::from_str::<serde_json::Value>(cell).ok();
    match (family, parsed) {
        (Family::Integer, Some(v @ serde_json::Value::Number(_)))
        | (Family::Number, Some(v @ serde_json::Value::Number(_)))
        | (Family::Boolean, Some(v @ serde_json::Value::Bool(_)))
        | (Family::List, Some(v @ serde_json::Value::Array(_)))
        | (Family::Object, Some(v @ serde_json::Value::Object(_))) => Some(v),
        // A quoted text (`"123,456"`) is the text.
        (Family::String | Family::Enum, Some(v @ serde_json::Value::String(_))) => Some(v),
        // A masked number (`42xxxx36`), or a list or object that is not JSON, is no example
        // of the field: a text would be an example of another type.
        (Family::Integer | Family::Number, _) => None,
        (Family::List | Family::Object, _) if cell.starts_with(['[', '{']) => None,
        _ => Some(serde_json::Value::String(cell.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_documents_type_spellings_map() {
        let cases = [
            ("String", "string", Family::String),
            ("Sting", "string", Family::String),
            ("Number", "int64", Family::Integer),
            ("int", "int32", Family::Integer),
            ("Boolean", "boolean", Family::Boolean),
            ("Number[]", "list<int64>", Family::List),
            ("String[]", "list<string>", Family::List),
            ("json[]", "list<json>", Family::List),
            ("Object", "json", Family::Object),
            ("OapiCreateBlackboardVo", "json", Family::Object),
            ("enum<string>", "string", Family::Enum),
            ("FileItem", "json", Family::Object),
        ];
        for (written, ty, family) in cases {
            let mapped = map_type(written);
            assert_eq!(
                (mapped.ty.as_str(), mapped.family),
                (ty, family),
                "{written}"
            );
        }
        assert!(map_type("Sting").note.is_some());
        assert!(!map_type("FileItem").object, "a file has no members");
    }

    #[test]
    fn required_spellings() {
        for yes in ["是", "必需", "必選", "Y", "true"] {
            assert_eq!(required(yes), Some(true), "{yes}");
        }
        for no in ["否", "可选", "可選", "N", "false"] {
            assert_eq!(required(no), Some(false), "{no}");
        }
        assert_eq!(required("maybe"), None);
    }

    #[test]
    fn prose_limits_and_defaults() {
        let (limits, notes) = limits_from_prose("接收部门ID列表,最大的列表长度为20。", true, false);
        assert_eq!(limits.max_items, Some(20));
        assert_eq!(notes.len(), 1);
        let (limits, _) =
            limits_from_prose("分页大小,从1开始不超过30,且必须为正整数。", false, false);
        assert_eq!((limits.min, limits.max), (Some(1), Some(30)));
        let (limits, _) = limits_from_prose("标题，最大长度20", false, true);
        assert_eq!(limits.max_length, Some(20));
        let (limits, notes) = limits_from_prose("- image：图片，图片最大20MB。", false, true);
        assert!(
            limits.is_empty() && notes.is_empty(),
            "a file size is no limit"
        );
        assert_eq!(
            default_from_prose("是否查下N级节点(1是,0否),默认1"),
            Some("1".to_owned())
        );
        assert_eq!(default_from_prose("默认值: CX"), Some("CX".to_owned()));
    }

    #[test]
    fn dingtalk_object_and_list_spellings() {
        for written in ["JSON Object", "JSONObject", "jsonObject"] {
            let mapped = map_type(written);
            assert_eq!(
                (mapped.ty.as_str(), mapped.family),
                ("json", Family::Object),
                "{written}"
            );
            assert!(mapped.object);
        }
        let mapped = map_type("JSONArray");
        assert_eq!(
            (mapped.ty.as_str(), mapped.family),
            ("list<json>", Family::List)
        );
    }

    #[test]
    fn limits_the_contact_and_notification_pages_write() {
        let (limits, _) = limits_from_prose(
            "部门名称，长度限制为1~64个字符，不允许包含字符‘-’‘，’以及‘,’。",
            false,
            true,
        );
        assert_eq!((limits.min_length, limits.max_length), (Some(1), Some(64)));
        let (limits, _) = limits_from_prose(
            "使用整体跳转ActionCard样式时的标题，最长20个字符。",
            false,
            true,
        );
        assert_eq!(limits.max_length, Some(20));
        let (limits, notes) = limits_from_prose("消息内容，最长不超过2048个字节。", false, true);
        assert!(
            limits.is_empty() && notes.is_empty(),
            "bytes are not characters"
        );
        let (limits, _) =
            limits_from_prose("接收者的userid列表，最大用户列表长度100。", true, false);
        assert_eq!(limits.max_items, Some(100));
        let (limits, _) = limits_from_prose("持续时间，正整数，小于60。", false, false);
        assert_eq!((limits.min, limits.max), (Some(1), Some(59)));
    }

    #[test]
    fn strings_holding_lists() {
        assert_eq!(
            csv_type("dept_id_list", "接收者的部门id列表。", "123,345").map(|(ty, _)| ty),
            Some("csv<int64>".to_owned())
        );
        assert_eq!(
            csv_type("user_permits", "人员userId列表", "\"user123,manager222\"").map(|(ty, _)| ty),
            Some("csv<string>".to_owned())
        );
        assert_eq!(
            csv_type("fields", "多个字段之间使用英文逗号分隔。", "name").map(|(ty, _)| ty),
            Some("csv<string>".to_owned())
        );
        assert_eq!(
            csv_type("title", "标题", "你好,世界"),
            None,
            "prose with a comma"
        );
        assert_eq!(csv_type("remark", "备注", "a,b"), None, "no sign of a list");
    }

    #[test]
    fn defaults_marked_beside_listed_values() {
        assert_eq!(
            default_marked_in_list("通讯录语言： zh_CN（默认）：中文 en_US：英文"),
            Some("zh_CN".to_owned())
        );
        assert_eq!(
            default_marked_in_list("是否隐藏部门： true：隐藏 false（默认值）：显示"),
            Some("false".to_owned())
        );
        assert_eq!(default_marked_in_list("（默认）没有值"), None);
        assert_eq!(
            without_default_markers("zh_CN（默认）：中文 en_US：英文"),
            "zh_CN：中文 en_US：英文"
        );
    }

    #[test]
    fn examples_of_their_family_only() {
        assert_eq!(
            example_value("123L", Family::Integer),
            Some(serde_json::json!(123))
        );
        assert_eq!(
            example_value("42xxxx36", Family::Integer),
            None,
            "a masked number"
        );
        assert_eq!(
            example_value("[\"manager4220\",user123\"]", Family::List),
            None,
            "a list that is not JSON"
        );
        assert_eq!(
            example_value("\"123,456\"", Family::String),
            Some(serde_json::json!("123,456"))
        );
        assert_eq!(
            example_value("ok", Family::String),
            Some(serde_json::json!("ok"))
        );
    }
}
