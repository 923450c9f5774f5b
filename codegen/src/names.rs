//! Every rule that turns a wire name or spec identifier into a Rust identifier lives here.
//!
//! Emitters never case-convert on their own: the IR carries names decided by this module, so a
//! naming rule changes in one place and is covered by the table tests below.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Type names generated code relies on unqualified (the standard prelude) or declares in every
/// platform module; a model may not take one of them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Some", "None", "String", "Vec", "Result", "Ok", "Err", "Box", "Into", "Default",
    "Self", "Self_", "Client",
];

/// Methods that every generated request type has; a setter may not take one of these names.
pub const REQUEST_METHODS: &[&str] = &[
    "new",
    "validate",
    "check_limits",
    "resolved_path",
    "write_params",
    "json_body",
    "http_request",
    "http_request_at",
];

/// The Rust name of a field or parameter with this wire name (`deptList` -> `dept_list`).
pub fn field_name(wire: &str) -> String {
    escape_keyword(with_identifier_start(snake_case(wire)))
}

/// The setter of an optional request field: the field name, or `with_<name>` when that would
/// clash with a method every request has.
pub fn setter_name(field: &str) -> String {
    let bare = field.trim_start_matches("r#");
    if REQUEST_METHODS.contains(&bare) {
        format!("with_{bare}")
    } else {
        field.to_owned()
    }
}

/// The Rust name of a method or module from a snake_case spec identifier.
pub fn method_name(id: &str) -> String {
    field_name(id)
}

/// The Rust name of a type (`list_ids` -> `ListIds`).
pub fn type_name(name: &str) -> String {
    let camel = with_identifier_start(upper_camel_case(name));
    if camel == "Self" {
        "Self_".to_owned()
    } else {
        camel
    }
}

/// The request type of an operation (`list_ids` -> `ListIdsRequest`).
pub fn request_type(operation_id: &str) -> String {
    format!("{}Request", type_name(operation_id))
}

/// The response type of an operation (`list_ids` -> `ListIdsResponse`).
pub fn response_type(operation_id: &str) -> String {
    format!("{}Response", type_name(operation_id))
}

/// The sub-client type of an API group (`blackboard` -> `BlackboardClient`).
pub fn group_client_type(group: &str) -> String {
    format!("{}Client", type_name(group))
}

/// The constant holding a base's description (`oapi` -> `OAPI`).
pub fn base_const(id: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(id)
}

/// The constant describing a credential (`corp` -> `CORP_TOKEN`), beside the bases' constants.
pub fn credential_const(id: &str) -> String {
    format!("{}_TOKEN", base_const(id))
}

/// The constant describing a request signature (`robot` -> `ROBOT_SIGNING`), beside the
/// bases' constants in the platform module.
pub fn signature_const(id: &str) -> String {
    format!("{}_SIGNING", base_const(id))
}

/// The streaming twin of a paginated operation's method (`list` -> `list_stream`).
pub fn stream_method(method: &str) -> String {
    format!("{}_stream", method.trim_start_matches("r#"))
}

/// The page-by-page twin of a paginated operation's method (`list` -> `list_pages`), whose
/// pages say where to resume.
pub fn pages_method(method: &str) -> String {
    format!("{}_pages", method.trim_start_matches("r#"))
}

/// The mock example constant of an operation (`list_ids` -> `LIST_IDS`).
pub fn example_const(method: &str) -> String {
    base_const(method.trim_start_matches("r#"))
}

/// The cargo feature of a platform: its module name (`dingtalk`).
pub fn platform_feature(platform: &str) -> String {
    platform.to_owned()
}

/// The hidden cargo feature that compiles a platform module without any group: `_<platform>`.
pub fn platform_base_feature(platform: &str) -> String {
    format!("_{platform}")
}

/// The cargo feature of an API group: `<platform>-<group>`.
pub fn group_feature(platform: &str, group: &str) -> String {
    format!("{platform}-{group}")
}

/// The type every platform module declares for its client.
pub const PLATFORM_CLIENT: &str = "Client";

/// The alias under which every generated file names the runtime crate.
pub const RUNTIME_ALIAS: &str = "rt";

/// The module of a group that holds its mock example constants.
pub const EXAMPLES_MODULE: &str = "examples";

/// Methods of every platform `Client` besides the group accessors, with what they are for.
pub const PLATFORM_CLIENT_METHODS: &[(&str, &str)] = &[
    ("builder", "the client's builder"),
    ("runtime", "the runtime client accessor"),
    ("with_timeout", "the per-call time limit"),
    ("with_retry", "the per-call retry policy"),
];

/// Methods of every group client besides the operations.
pub const GROUP_CLIENT_METHODS: &[(&str, &str)] = &[("new", "the group client's constructor")];

/// Cargo features of the generated crate that no spec declares.
pub const CRATE_FEATURES: &[(&str, &str)] = &[
    ("default", "cargo's default feature set"),
    ("mock", "the mock-server helpers"),
    ("deserialize-requests", "`Deserialize` for requests"),
    ("callback", "the callback receiver"),
    ("axum", "the callback router"),
    ("stream", "the Stream-mode client"),
    ("rate", "enforcing the rate budgets"),
    ("redis", "the Redis token store and rate limiter"),
];

/// Whether a platform or group name cannot name a module: a Rust keyword, `mod` (the file
/// name of the platform module itself), `runtime` (the crate's runtime re-export), `rt` (the
/// runtime's alias in every generated file) or `examples` (a group's mock examples).
pub fn is_reserved_module(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name)
        || NON_RAW_KEYWORDS.contains(&name)
        || matches!(name, "mod" | "runtime" | "examples" | "rt")
}

/// Whether a name as written in a spec is already a plain snake_case identifier, as operation
/// ids, groups and platforms must be.
pub fn is_snake_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !name.ends_with('_')
        && !name.contains("__")
}

/// Whether a name as written in a spec is already an UpperCamelCase identifier.
pub fn is_camel_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('A'..='Z')) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `heck`'s snake_case. Wire names are nearly always ASCII, for which the words are split here
/// by `heck`'s rules without its per-character formatting, which was a good part of lowering
/// large spec sets; other text goes to `heck` itself.
fn snake_case(name: &str) -> String {
    if !name.is_ascii() {
        return name.to_snake_case();
    }
    let mut snake = String::with_capacity(name.len() + 4);
    for_each_ascii_word(name, |word| {
        if !snake.is_empty() {
            snake.push('_');
        }
        snake.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    });
    snake
}

/// `heck`'s UpperCamelCase, with the same ASCII shortcut as [`snake_case`].
fn upper_camel_case(name: &str) -> String {
    if !name.is_ascii() {
        return name.to_upper_camel_case();
    }
    let mut camel = String::with_capacity(name.len());
    for_each_ascii_word(name, |word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            camel.push(first.to_ascii_uppercase());
        }
        camel.extend(chars.map(|c| c.to_ascii_lowercase()));
    });
    camel
}

/// Calls `word` with each word of ASCII `text` as `heck` 0.5 splits it: at characters that are
/// not alphanumeric, between a lowercase letter and an uppercase one (`deptList`), and before
/// the last capital of a run of capitals followed by a lowercase letter (`HTTPServer`). Every
/// word holds at least one character, so callers may join them unconditionally.
fn for_each_ascii_word(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lowercase,
        Uppercase,
    }
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(&part[start..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lowercase
            } else if c.is_ascii_uppercase() {
                Mode::Uppercase
            } else {
                mode
            };
            if next_mode == Mode::Lowercase && next.is_ascii_uppercase() {
                word(&part[start..=i]);
                start = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Uppercase && c.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                word(&part[start..i]);
                start = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

/// Identifiers cannot start with a digit (`2fa` -> `_2fa`), and a name made only of symbols
/// becomes `_`, which the keyword rule then turns into `__`.
fn with_identifier_start(name: String) -> String {
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{name}"),
        Some(_) => name,
        None => "_".to_owned(),
    }
}

fn escape_keyword(name: String) -> String {
    if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        let table = [
            ("operation_userid", "operation_userid"),
            ("deptList", "dept_list"),
            ("categoryId", "category_id"),
            ("nextToken", "next_token"),
            ("userIdList", "user_id_list"),
            ("x-acs-dingtalk-access-token", "x_acs_dingtalk_access_token"),
            ("User-Agent", "user_agent"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("2fa", "_2fa"),
            ("", "__"),
        ];
        for (wire, rust) in table {
            assert_eq!(field_name(wire), rust, "field name of {wire:?}");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("list_ids", "ListIds"),
            ("OapiCreateBlackboardVo", "OapiCreateBlackboardVo"),
            ("self", "Self_"),
            ("3d", "_3d"),
        ];
        for (name, rust) in table {
            assert_eq!(type_name(name), rust, "type name of {name:?}");
        }
        assert_eq!(request_type("get_token"), "GetTokenRequest");
        assert_eq!(response_type("get_token"), "GetTokenResponse");
        assert_eq!(group_client_type("hrm"), "HrmClient");
        assert_eq!(base_const("oapi"), "OAPI");
    }

    #[test]
    fn paginated_methods() {
        let table = [
            ("list", "list_stream", "list_pages"),
            ("list_ids", "list_ids_stream", "list_ids_pages"),
            ("r#type", "type_stream", "type_pages"),
        ];
        for (method, stream, pages) in table {
            assert_eq!(stream_method(method), stream, "stream method of {method:?}");
            assert_eq!(pages_method(method), pages, "pages method of {method:?}");
        }
    }

    #[test]
    fn setters_avoid_request_methods() {
        assert_eq!(setter_name("validate"), "with_validate");
        assert_eq!(setter_name("new"), "with_new");
        assert_eq!(setter_name("title"), "title");
        assert_eq!(setter_name("r#type"), "r#type");
    }

    /// The ASCII shortcut splits and cases words exactly as `heck` does.
    #[test]
    fn ascii_cases_match_heck() {
        let mut samples: Vec<String> = [
            "",
            "_",
            "__",
            "a",
            "A",
            "aB",
            "Ab",
            "AB",
            "ABc",
            "HTTPServer",
            "getHTTPResponseCode",
            "x-acs-dingtalk-access-token",
            "User-Agent",
            "deptList",
            "a__b",
            "_x",
            "x_",
            "2fa",
            "fa2",
            "a2B",
            "A2b",
            "AB2c",
            "userIdList",
            "ID",
            "IDs",
            "snake_case",
            "UPPER_CASE",
            "a.b",
            " a b ",
            "a1_",
            "aBC_dEF",
            "X1Y2z3",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every string of up to four characters over a small alphabet with each character
        // class, and some longer ones from a fixed pseudo-random sequence.
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', ' '];
        let mut current = vec![String::new()];
        for _ in 0..4 {
            current = current
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            samples.extend(current.iter().cloned());
        }
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2000 {
            let len = (state % 16) as usize;
            let mut text = String::new();
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(char::from(b' ' + (state % 95) as u8));
            }
            samples.push(text);
        }
        for sample in &samples {
            assert_eq!(snake_case(sample), sample.to_snake_case(), "{sample:?}");
            assert_eq!(
                upper_camel_case(sample),
                sample.to_upper_camel_case(),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn identifier_shapes() {
        assert!(is_snake_identifier("list_ids"));
        assert!(is_snake_identifier("get2"));
        assert!(!is_snake_identifier("listIds"));
        assert!(!is_snake_identifier("_x"));
        assert!(!is_snake_identifier("a__b"));
        assert!(is_camel_identifier("PageVo"));
        assert!(!is_camel_identifier("page_vo"));
    }
}
