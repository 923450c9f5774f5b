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
    match lower.as_str() {
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
        "object" | "json" | "map" | "dict" => MappedType {
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
        let value = digits.parse().ok()?;
        let phrase: String = text[at..]
            .chars()
            .take(marker.chars().count() + digits.len() + 3)
            .collect();
        Some((value, phrase))
    };
    for marker in [
        "最大长度为",
        "最大长度",
        "长度最多",
        "长度不超过",
        "最多可输入",
        "<=",
    ] {
        if let Some((n, phrase)) = number_after(marker) {
            if is_list {
                limits.max_items = Some(n);
                note("`max_items`", &phrase);
            } else {
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
    }
    (limits, notes)
}

/// An example cell as a JSON value of the field's family: a number, a boolean, JSON text, or
/// the text itself; `None` for an empty cell.
pub fn example_value(cell: &str, family: Family) -> Option<serde_json::Value> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let parsed = serde_json::from_str::<serde_json::Value>(cell).ok();
    match (family, parsed) {
        (Family::Integer, Some(v @ serde_json::Value::Number(_)))
        | (Family::Number, Some(v @ serde_json::Value::Number(_)))
        | (Family::Boolean, Some(v @ serde_json::Value::Bool(_)))
        | (Family::List, Some(v @ serde_json::Value::Array(_)))
        | (Family::Object, Some(v @ serde_json::Value::Object(_))) => Some(v),
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
}
