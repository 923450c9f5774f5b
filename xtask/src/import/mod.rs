//! `cargo xtask import`: a draft spec from the copied text of a document page.
//!
//! A page is read by the first layout reader that recognises it (`layouts/`, one file per
//! site's layout, behind [`Layout`]) into a [`Draft`]: operations with their parameters and
//! response members as trees of fields, each remembering the page line it came from. The
//! draft is then written as a group file (`write`), compared with a hand-written spec
//! (`compare`), or checked against the specs whose `sources:` name the page (`check`).
//!
//! The importer never invents a field: every field comes from a table row or from an example
//! body of the page, the latter marked as inferred. Every guess (a type mapped from a
//! misspelling, a limit read from prose) carries a note, and every line that looks like data
//! but could not be placed is a warning with its line number.

pub mod command;
pub mod compare;
pub mod examples;
pub mod layouts;
pub mod types;
pub mod write;

use std::fmt;

/// A page as copied from a browser: its lines, numbered from 1 in reports.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The lines, without their line endings.
    pub lines: Vec<&'a str>,
}

impl<'a> Page<'a> {
    /// The page's text split into lines.
    pub fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().collect(),
        }
    }

    /// The 1-based number of the line at `index`.
    pub fn line_number(index: usize) -> usize {
        index + 1
    }
}

/// Reads one site's layout of document pages.
pub trait Layout: Sync {
    /// A short name for reports (`dingtalk-tables`).
    fn name(&self) -> &'static str;

    /// How sure this reader is that `page` is in its layout: 0 for not at all; the reader with
    /// the highest score reads the page.
    fn detect(&self, page: &Page<'_>) -> u32;

    /// The page's operations and the lines it could not place.
    fn read(&self, page: &Page<'_>) -> Draft;
}

/// What a page documents, as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The layout that read it.
    pub layout: &'static str,
    /// The endpoints, in page order.
    pub operations: Vec<DraftOperation>,
    /// Objects documented on their own, without an endpoint (tze's message bodies), by name.
    pub models: Vec<DraftModel>,
    /// Events the platform pushes (DingTalk's event pages).
    pub events: Vec<DraftEvent>,
    /// Lines that look like data but could not be placed.
    pub warnings: Vec<Warning>,
}

/// A line the reader could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The 1-based line number in the page.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One documented endpoint.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftOperation {
    /// The page's title for it.
    pub summary: String,
    /// Prose about it.
    pub description: Option<String>,
    /// The platform page the document links to ("接口详见 ...").
    pub doc: Option<String>,
    /// `GET`, `POST`, ... in capitals.
    pub method: String,
    /// The URL as the page writes it, absolute if the page gives one (`https://host/path`),
    /// else the path; any query string is dropped.
    pub url: String,
    /// `in_development` when the page marks it 开发中, `deprecated` when not recommended.
    pub stability: Option<&'static str>,
    /// The body's encoding when a request example shows one other than JSON (`form`,
    /// `multipart`).
    pub encoding: Option<&'static str>,
    /// Request parameters, each with where it travels.
    pub params: Vec<(ParamLocation, DraftField)>,
    /// Response members, envelope included.
    pub response: Vec<DraftField>,
    /// Transcription notes on the operation.
    pub notes: Vec<String>,
    /// The page line of its title.
    pub line: usize,
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{placeholder}` in the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// The body.
    Body,
}

/// An event type a page documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftEvent {
    /// The event type on the wire (`user_add_org`).
    pub value: String,
    /// The page's title for it.
    pub summary: String,
    /// Prose about it.
    pub description: Option<String>,
    /// How it is delivered, as the spec spells it (`http_callback`, `stream`).
    pub deliveries: Vec<&'static str>,
    /// The payload's members.
    pub fields: Vec<DraftField>,
    /// Transcription notes.
    pub notes: Vec<String>,
    /// The page line of its title.
    pub line: usize,
}

/// An object documented on its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftModel {
    /// Its name as the page writes it (`text`, `OaMessage`).
    pub name: String,
    /// Prose about it.
    pub description: Option<String>,
    /// Its members.
    pub fields: Vec<DraftField>,
    /// The page line of its heading.
    pub line: usize,
}

/// A field, parameter or member, with the members of an object type nested under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftField {
    /// The wire name.
    pub name: String,
    /// The type as the page writes it (`String`, `Number[]`, `OapiCreateBlackboardVo`).
    pub doc_type: String,
    /// The spec type chosen for it (`string`, `list<int64>`; a model's name for objects).
    pub ty: String,
    /// Whether the page marks it required.
    pub required: bool,
    /// The page's description.
    pub description: Option<String>,
    /// The page's example value.
    pub example: Option<serde_json::Value>,
    /// The documented default.
    pub default: Option<serde_json::Value>,
    /// Limits read from the page.
    pub limits: Limits,
    /// Values of an enumeration the page lists (`1是,0否`, 枚举值): wire value and meaning.
    pub values: Vec<(String, Option<String>)>,
    /// The members of an object (or of the objects of a list), rebuilt from the page.
    pub children: Vec<DraftField>,
    /// Every guess made about this field, for the spec's `note:`.
    pub notes: Vec<String>,
    /// Whether the field was proposed from an example body rather than read from a table.
    pub inferred: bool,
    /// The page line it came from.
    pub line: usize,
}

/// Limits read from a page's prose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// The smallest number.
    pub min: Option<i64>,
    /// The largest number.
    pub max: Option<i64>,
    /// The fewest characters.
    pub min_length: Option<u64>,
    /// The most characters.
    pub max_length: Option<u64>,
    /// The fewest items.
    pub min_items: Option<u64>,
    /// The most items.
    pub max_items: Option<u64>,
}

impl Limits {
    /// Whether nothing is limited.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// Reads `text` with the layout that recognises it best, or says that none does.
pub fn read(text: &str) -> Result<Draft, String> {
    let page = Page::new(text);
    let (layout, score) = layouts::all()
        .iter()
        .map(|layout| (*layout, layout.detect(&page)))
        .max_by_key(|(_, score)| *score)
        .ok_or_else(|| "no layout readers are compiled in".to_owned())?;
    if score == 0 {
        let names: Vec<&str> = layouts::all().iter().map(|l| l.name()).collect();
        return Err(format!(
            "the page is in no known layout (tried {}); a new site's layout is a new file in xtask/src/import/layouts/",
            names.join(", ")
        ));
    }
    let mut draft = layout.read(&page);
    draft.layout = layout.name();
    Ok(draft)
}
