//! The YAML writer of the synthesizer and the importer: block mappings and sequences, one-line flow collections, and literal
//! blocks for multi-line text. Scalars are quoted whenever a plain scalar could be read as
//! anything but the intended string.

/// A YAML value as the synthesizer writes it.
pub(crate) enum Node {
    /// A number or boolean, already in YAML syntax (`0`, `-1`, `true`).
    Scalar(String),
    /// A string; it is written plain where that reads back as the same string, and
    /// double-quoted elsewhere (flow context allows fewer plain characters than blocks).
    Str(String),
    /// Multi-line text, written as a literal block (`|-`).
    Text(String),
    /// A mapping, one key per line.
    Map(Vec<(&'static str, Node)>),
    /// A mapping on one line: `{ name: id, type: int64 }`.
    Flow(Vec<(&'static str, Node)>),
    /// A sequence, one item per line.
    Seq(Vec<Node>),
    /// A sequence of large items with a blank line between them, as operations are written.
    Spaced(Vec<Node>),
    /// A sequence on one line: `[a, b]`.
    FlowSeq(Vec<Node>),
    /// A sequence item with a comment at the end of its first line (where the importer
    /// notes the page line a field came from).
    Commented(Box<Node>, String),
}

pub(crate) fn string(text: &str) -> Node {
    if text.contains('\n') {
        Node::Text(text.to_owned())
    } else {
        Node::Str(text.to_owned())
    }
}

pub(crate) fn int(value: i64) -> Node {
    Node::Scalar(value.to_string())
}

pub(crate) fn boolean(value: bool) -> Node {
    Node::Scalar(value.to_string())
}

pub(crate) fn float(value: f64) -> Node {
    // `{:?}` always writes a decimal point or exponent, so the value stays a float.
    Node::Scalar(format!("{value:?}"))
}

/// Where a scalar is written; flow collections reserve `,`, brackets and braces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Block,
    Flow,
}

fn scalar(text: &str, context: Context) -> String {
    if is_plain(text, context) {
        text.to_owned()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::Value::String(text.to_owned()).to_string()
    }
}

/// Whether `text` reads back as the same string without quotes: it starts with a letter
/// (any script) or `/`, holds no indicator that could end or retype it, and is not a
/// word that YAML reads as a boolean or null.
fn is_plain(text: &str, context: Context) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | '/' | ' ')
            || (context == Context::Block && matches!(c, ',' | '(' | ')' | '`' | '='))
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    let keyword = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    (first.is_ascii_alphabetic() || first == '/' || !first.is_ascii())
        && !text.ends_with(' ')
        && text.chars().all(allowed)
        && !keyword
}

/// The document: a leading comment block, then the top-level mapping.
pub(crate) fn document(comments: &[&str], entries: &[(&'static str, Node)]) -> String {
    let mut out = String::new();
    for comment in comments {
        out.push_str("# ");
        out.push_str(comment);
        out.push('\n');
    }
    write_entries(&mut out, entries, 0);
    out
}

fn write_entries(out: &mut String, entries: &[(&'static str, Node)], indent: usize) {
    for (key, node) in entries {
        write_entry(out, key, node, indent);
    }
}

fn write_entry(out: &mut String, key: &str, node: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    match node {
        Node::Text(text) => {
            out.push_str(&format!("{pad}{key}: |-\n"));
            for line in text.lines() {
                if !line.is_empty() {
                    out.push_str(&format!("{pad}  {line}"));
                }
                out.push('\n');
            }
        }
        Node::Map(entries) if !entries.is_empty() => {
            out.push_str(&format!("{pad}{key}:\n"));
            write_entries(out, entries, indent + 2);
        }
        Node::Seq(items) | Node::Spaced(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}{key}:\n"));
            write_items(out, items, indent + 2, matches!(node, Node::Spaced(_)));
        }
        Node::Str(text) => {
            out.push_str(&format!("{pad}{key}: {}\n", scalar(text, Context::Block)));
        }
        other => out.push_str(&format!("{pad}{key}: {}\n", inline(other))),
    }
}

fn write_items(out: &mut String, items: &[Node], indent: usize, spaced: bool) {
    let pad = " ".repeat(indent);
    for (i, item) in items.iter().enumerate() {
        if spaced && i > 0 {
            out.push('\n');
        }
        if let Node::Commented(inner, comment) = item {
            let mut block = String::new();
            write_items(&mut block, std::slice::from_ref(inner), indent, false);
            let first_end = block.find('\n').unwrap_or(block.len());
            block.insert_str(first_end, &format!("  # {comment}"));
            out.push_str(&block);
            continue;
        }
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The mapping is written two columns in; its first line's indentation
                // becomes the item's `- `.
                let mut block = String::new();
                write_entries(&mut block, entries, indent + 2);
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(&block[indent + 2..]);
            }
            Node::Str(text) => {
                out.push_str(&format!("{pad}- {}\n", scalar(text, Context::Block)));
            }
            other => out.push_str(&format!("{pad}- {}\n", inline(other))),
        }
    }
}

fn inline(node: &Node) -> String {
    match node {
        Node::Commented(inner, _) => inline(inner),
        Node::Scalar(text) => text.clone(),
        Node::Str(text) => scalar(text, Context::Flow),
        Node::Text(text) => serde_json::Value::String(text.clone()).to_string(),
        Node::Map(entries) | Node::Flow(entries) if entries.is_empty() => "{}".to_owned(),
        Node::Map(entries) | Node::Flow(entries) => {
            let members: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{key}: {}", inline(value)))
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        Node::Seq(items) | Node::Spaced(items) | Node::FlowSeq(items) => {
            let members: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", members.join(", "))
        }
    }
}
