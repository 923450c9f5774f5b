//! The tables of 钉钉开放平台's documents, shared by the tutorial layout ([`super::dingtalk`])
//! and the layout of the platform's own pages ([`super::dingtalk_pages`]): header rows and
//! their columns, rows (a description continued over several lines, an object row's cells),
//! and the rules that rebuild the nesting the documents flatten.
//!
//! Nested objects are listed flat: an object row is followed by the rows of its members, and
//! nothing on the page marks where they end. [`place_all`] rebuilds the nesting with these
//! rules, in this order, and [`tree`] writes on every object field where its members were taken
//! to end and why:
//!
//! 1. A row belongs to the nearest object row above it that is still open.
//! 2. `errcode`, `errmsg`, `success` and `request_id` in a response belong to DingTalk's
//!    envelope and close every open object.
//! 3. Paging members (`next_cursor`, `has_more`, `size`, ...) describe a page, not one item
//!    of a list: they close the open lists of objects.
//! 4. An object whose example names its members (`{"staff_id":"001","name":"小明"}`) holds
//!    only those: another name closes it.
//! 5. A row that the page documents elsewhere as a member of the type of an open object (the
//!    same type name in another table) closes the objects inside that one.
//! 6. A row that the page documents elsewhere with the same name and description, always at
//!    the same nesting level (deeper than the top), closes the objects below that level.
//! 7. An object cannot hold two members of one name: a repeated name closes the object that
//!    has it.
//! 8. A row that the page's example of the body or response shows at its top level (a key of
//!    the JSON, a form field of the curl command), and whose name the table's top level does not
//!    have yet, belongs to the top level and closes every open object. A table without such an
//!    example ([`Table::top_keys`] `None`) is placed by rules 1 to 7. Such an example also
//!    keeps rule 7 from moving a row it does not show at the top level there: the row stays
//!    in the nearest open object (`actionCard` has a `title`, and so has each of its `btns`).
//! 9. An object row whose first member repeats a member's name of the innermost open object
//!    is that object's sibling, not its member: `dept_order_list` (`dept_id`, `order`) then
//!    `dept_title_list` (`dept_id`, `title`) are two lists side by side.
//! 10. Before all of these: a row that the page's JSON example shows inside an open object (or
//!     at the top level), and not inside the objects opened below that one, which the example
//!     shows too, belongs there: the example's `result` has `extension` and its
//!     `dept_order_list` items do not, so `extension` is `result`'s; `union_emp_map_list`'s
//!     `userid` stays in it though `union_emp_ext` has a `userid` too. A name the example does
//!     not show, or an open object it does not show, leaves the row to rules 1 to 9 (examples
//!     leave optional members out).
//!
//! Rules 5 and 6 read the page's other tables as the first rules placed them, and are applied
//! again until the placement no longer changes.

use std::collections::{BTreeMap, BTreeSet};

use crate::import::types::{self, Family};
use crate::import::{DraftField, ParamLocation, Warning};

/// The members of DingTalk's response envelope, never nested in the documented object.
const ENVELOPE: [&str; 4] = ["errcode", "errmsg", "success", "request_id"];

/// Members that describe a page of results rather than one of its items.
const PAGING: [&str; 14] = [
    "next_cursor",
    "nextCursor",
    "has_more",
    "hasMore",
    "next_token",
    "nextToken",
    "cursor",
    "offset",
    "size",
    "page",
    "page_size",
    "pageSize",
    "total",
    "total_count",
];

/// Type names that say "an object" without naming one.
const GENERIC_OBJECTS: [&str; 6] = ["Object", "JsonObject", "JSONObject", "Json", "Map", "Array"];

/// How often rules 5 and 6 are re-applied at most; the placement settles in two rounds on the
/// seed document.
const ROUNDS: usize = 4;

/// A column of a table, from its header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Name,
    Type,
    Required,
    Example,
    Description,
    Other,
}

pub(super) fn column(header: &str) -> Column {
    match header {
        "名称" | "参数名" | "参数" => Column::Name,
        "类型" | "参数类型" => Column::Type,
        "是否必填" | "必填" | "是否必须" => Column::Required,
        "示例值" | "示例" => Column::Example,
        "描述" | "说明" => Column::Description,
        _ => Column::Other,
    }
}

/// A table as read: where its rows travel, and the rows in page order, not yet nested.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    /// The request location, `None` for the response.
    pub(super) location: Option<ParamLocation>,
    /// The rows, in page order.
    pub(super) rows: Vec<Row>,
    /// The names an example of the page shows at the table's top level, when it has one.
    pub(super) top_keys: Option<BTreeSet<String>>,
    /// The page's JSON example of the table's body or response, when it has one: it shows
    /// where nested members sit (rule 10).
    pub(super) example: Option<serde_json::Value>,
}

/// One table row: the field it documents, without members, and what nesting needs of it.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    /// The field, without members.
    pub(super) field: DraftField,
    /// Whether its type is an object or a list of objects, whose members may follow.
    pub(super) object: bool,
    /// Whether it is a list.
    pub(super) list: bool,
    /// The member names its example shows, when its example is (broken) JSON with keys.
    keys: Option<BTreeSet<String>>,
}

/// A row being read, whose description may continue on the next lines.
#[derive(Debug, Clone)]
pub(super) struct OpenRow {
    columns: Vec<Column>,
    cells: Vec<String>,
    line: usize,
}

impl OpenRow {
    /// The row `text` starts (page line `number`) in a table of `columns`, and whether its line
    /// ends it (ends with `|`); an error saying why when the line is not a row of the table.
    pub(super) fn start(
        number: usize,
        text: &str,
        columns: &[Column],
    ) -> Result<(Self, bool), String> {
        let Some(mut cells) = row_cells(text, columns.len()) else {
            return Err(format!(
                "not a row of the table above (it has {} columns): `{text}`",
                columns.len()
            ));
        };
        let terminated = text.ends_with('|');
        if let Some(last) = cells.last_mut() {
            *last = last.trim_end_matches('|').trim().to_owned();
        }
        let open = OpenRow {
            columns: columns.to_vec(),
            cells,
            line: number,
        };
        Ok((open, terminated))
    }

    /// Whether `text` is a new row of the table, which ends this one without a closing `|`.
    pub(super) fn is_new_row(&self, text: &str) -> bool {
        let type_at = self.columns.iter().position(|c| *c == Column::Type);
        text.ends_with('|')
            && row_cells(text, self.columns.len())
                .zip(type_at)
                .is_some_and(|(cells, at)| looks_like_type(&cells[at]))
    }

    /// Continues the description with `text`; whether the row ends there (`text` ends with
    /// `|`).
    pub(super) fn extend(&mut self, text: &str) -> bool {
        let piece = text.trim_end_matches('|').trim();
        if let Some(last) = self.cells.last_mut() {
            if !piece.is_empty() {
                if !last.is_empty() {
                    last.push('\n');
                }
                last.push_str(piece);
            }
        }
        text.ends_with('|')
    }

    /// The row, read; `response` for a response table, whose rows have no requirement.
    pub(super) fn finish(&self, response: bool) -> Row {
        row(self, response)
    }
}

/// The cells of a header row, `名称 | 类型 |`, without the empty one after the last `|`.
pub(super) fn cells(text: &str) -> Vec<String> {
    let mut cells: Vec<String> = text.split('|').map(|c| c.trim().to_owned()).collect();
    if cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

/// The cells of a row of `columns` columns; the last cell keeps any `|` in the description.
/// `None` when the line is not a row: too few cells, or a first cell that is not a name.
fn row_cells(text: &str, columns: usize) -> Option<Vec<String>> {
    let cells: Vec<String> = text
        .splitn(columns, '|')
        .map(|c| c.trim().to_owned())
        .collect();
    let name_ok = cells.first().is_some_and(|name| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    });
    (cells.len() == columns && columns >= 2 && name_ok && !cells[1].is_empty()).then_some(cells)
}

/// Whether a cell reads as a type: a known spelling or a type name, not prose.
fn looks_like_type(cell: &str) -> bool {
    let mapped = types::map_type(&spelled_as_list(cell).0);
    mapped.note.is_none() || mapped.object
}

/// `Array of String` (the newer pages' spelling) as `String[]`, with a note when rewritten.
fn spelled_as_list(doc_type: &str) -> (String, Option<String>) {
    match doc_type.trim().strip_prefix("Array of ") {
        Some(item) => (
            format!("{}[]", item.trim()),
            Some(format!(
                "documented as `{}`, read as `{}[]`",
                doc_type.trim(),
                item.trim()
            )),
        ),
        None => (doc_type.trim().to_owned(), None),
    }
}

/// The field a finished row documents.
fn row(open: &OpenRow, response: bool) -> Row {
    let cell = |wanted: Column| {
        open.columns
            .iter()
            .position(|c| *c == wanted)
            .and_then(|i| open.cells.get(i))
            .map_or("", String::as_str)
    };
    let doc_type = cell(Column::Type);
    let (read_type, spelling_note) = spelled_as_list(doc_type);
    let mapped = types::map_type(&read_type);
    let mut field = DraftField {
        name: cell(Column::Name).to_owned(),
        doc_type: doc_type.to_owned(),
        ty: mapped.ty.clone(),
        line: open.line,
        ..DraftField::default()
    };
    field.notes.extend(spelling_note);
    field.notes.extend(mapped.note.clone());
    if !response {
        let written = cell(Column::Required);
        field.required = types::required(written).unwrap_or_else(|| {
            if !written.is_empty() {
                field.notes.push(format!(
                    "the required cell `{written}` is not understood; read as optional"
                ));
            }
            false
        });
    }
    let mut description = cell(Column::Description).to_owned();
    let mut example = cell(Column::Example).to_owned();
    let mut keys = None;
    if mapped.object {
        object_cells(&mut field, &mut description, &mut example, &mut keys);
    }
    let mut list = mapped.family == Family::List;
    if mapped.family == Family::String {
        if let Some((ty, note)) = types::csv_type(&field.name, &description, &example) {
            field.ty = ty;
            field.notes.push(note);
            list = true;
        }
    }
    field.example = types::example_value(&example, mapped.family);
    prose(&mut field, &description, list, mapped.family);
    field.description = (!description.is_empty()).then_some(description);
    Row {
        field,
        object: mapped.object,
        list,
        keys,
    }
}

/// An object row's example cell: its description when the description cell is empty, a type
/// name when the row is typed `Object`, or an example whose keys name the members.
fn object_cells(
    field: &mut DraftField,
    description: &mut String,
    example: &mut String,
    keys: &mut Option<BTreeSet<String>>,
) {
    if description.is_empty() {
        *description = std::mem::take(example);
        return;
    }
    let item = field.doc_type.trim_end_matches("[]");
    if GENERIC_OBJECTS.contains(&item) && is_type_name(example) {
        field.notes.push(format!(
            "the page types this row `{}` and writes the type name `{example}` in the example column",
            field.doc_type
        ));
        field.doc_type = field.doc_type.replacen(item, example, 1);
        example.clear();
        return;
    }
    let names = json_keys(example);
    if !names.is_empty() {
        *keys = Some(names);
    }
}

/// The limits and default the description states, with their notes. A default must read as
/// a value of the field's family; a text default must be introduced as one (`默认值`,
/// `默认为`), since `默认` alone also starts words (`默认接收人`).
fn prose(field: &mut DraftField, description: &str, list: bool, family: Family) {
    // An object's limits in prose (`最大长度2000个字符`) count its JSON text, which no field
    // limit expresses.
    if !matches!(family, Family::Object | Family::Union) || list {
        let (limits, notes) = types::limits_from_prose(description, list, family == Family::String);
        field.limits = limits;
        field.notes.extend(notes);
    }
    if let Some(default) = types::default_marked_in_list(description) {
        let value = types::example_value(&default, family);
        let fits = matches!(
            (family, &value),
            (Family::Boolean, Some(serde_json::Value::Bool(_)))
                | (
                    Family::Integer | Family::Number,
                    Some(serde_json::Value::Number(_))
                )
                | (Family::String | Family::Enum, Some(_))
        );
        if fits {
            field.notes.push(format!(
                "default `{default}` read from the description (marked 默认 beside a listed value)"
            ));
            field.default = value;
            return;
        }
    }
    let Some(default) = types::default_from_prose(description) else {
        return;
    };
    let fits = match family {
        Family::Integer => default.parse::<i64>().is_ok(),
        Family::Number => default.parse::<f64>().is_ok(),
        Family::Boolean => matches!(default.as_str(), "true" | "false"),
        Family::String | Family::Enum => {
            description.contains("默认值") || description.contains("默认为")
        }
        Family::List | Family::Object | Family::Union => false,
    };
    if fits {
        field
            .notes
            .push(format!("default `{default}` read from the description"));
        field.default = types::example_value(&default, family);
    }
}

/// Whether `text` is a type's name (`OapiBlackboardVo`) rather than a value or prose.
pub(super) fn is_type_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && text.chars().any(|c| c.is_ascii_lowercase())
}

/// The keys an example names, `"key":`, even in text that is not JSON
/// (`["user_list":{"staff_id":"001"}]`).
fn json_keys(example: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut rest = example;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else {
            break;
        };
        let key = &after[..close];
        let tail = after[close + 1..].trim_start();
        if tail.starts_with(':') {
            keys.insert(key.to_owned());
        }
        rest = &after[close + 1..];
    }
    keys
}

/// Why an object's members end where they do.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// The table ends.
    Table,
    /// Rule 2: an envelope member.
    Envelope,
    /// Rule 3: a paging member.
    Paging,
    /// Rule 4: a name the object's example does not show.
    Example,
    /// Rule 5: a member of this type where the page documents it elsewhere.
    TypeElsewhere(String),
    /// Rule 6: documented elsewhere at this nesting level.
    FieldElsewhere(usize),
    /// Rule 7: a repeated name.
    Repeated,
    /// Rule 8: a name the page's example shows at the top level.
    TopLevel,
    /// Rule 9: an object whose first member repeats one of this object's members.
    Parallel,
    /// Rule 10: the page's example shows the name in an enclosing object.
    ExampleBody,
}

/// Where an object's members end: the reason, and the row that ended them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ending {
    end: End,
    line: usize,
    name: String,
}

/// Where each row of a table goes: its parent row, and for an object row where its members
/// end.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Placement {
    parents: Vec<Option<usize>>,
    endings: Vec<Option<Ending>>,
    /// Rows that could not be placed.
    pub(super) warnings: Vec<Warning>,
}

/// What the page's other tables say about a row (rules 5 and 6), by table index.
#[derive(Debug, Default)]
struct Evidence {
    /// (type name, member name) to the tables that document the member under the type.
    members: BTreeMap<(String, String), BTreeSet<usize>>,
    /// (name, description) to the (table, nesting level) of each row documenting it.
    levels: BTreeMap<(String, String), Vec<(usize, usize)>>,
}

impl Evidence {
    fn new(tables: &[&Table], placements: &[Placement]) -> Self {
        let mut evidence = Evidence::default();
        for (id, (table, placement)) in tables.iter().zip(placements).enumerate() {
            for (i, row) in table.rows.iter().enumerate() {
                let parent = placement.parents.get(i).copied().flatten();
                if let Some(ty) = parent.and_then(|p| type_name(&table.rows[p])) {
                    evidence
                        .members
                        .entry((ty.to_owned(), row.field.name.clone()))
                        .or_default()
                        .insert(id);
                }
                if let Some(description) = &row.field.description {
                    evidence
                        .levels
                        .entry((row.field.name.clone(), description.clone()))
                        .or_default()
                        .push((id, level(&placement.parents, i)));
                }
            }
        }
        evidence
    }

    /// Whether a table other than `table` documents `name` as a member of `ty`.
    fn lists(&self, ty: &str, name: &str, table: usize) -> bool {
        self.members
            .get(&(ty.to_owned(), name.to_owned()))
            .is_some_and(|tables| tables.iter().any(|t| *t != table))
    }

    /// The nesting level at which the other tables document `row`, when they all agree.
    fn level(&self, row: &Row, table: usize) -> Option<usize> {
        let description = row.field.description.clone()?;
        let found = self.levels.get(&(row.field.name.clone(), description))?;
        let levels: BTreeSet<usize> = found
            .iter()
            .filter(|(t, _)| *t != table)
            .map(|(_, level)| *level)
            .collect();
        match levels.iter().collect::<Vec<_>>()[..] {
            [level] => Some(*level),
            _ => None,
        }
    }
}

/// The number of objects row `i` is nested in.
fn level(parents: &[Option<usize>], i: usize) -> usize {
    let mut level = 0;
    let mut at = parents.get(i).copied().flatten();
    while let Some(parent) = at {
        level += 1;
        at = parents.get(parent).copied().flatten();
    }
    level
}

/// The type an object row names (`OapiBlackboardVo` for `OapiBlackboardVo[]`), not a generic
/// word such as `Object`.
fn type_name(row: &Row) -> Option<&str> {
    let item = row.field.doc_type.trim().trim_end_matches("[]");
    (row.object && is_type_name(item) && !GENERIC_OBJECTS.contains(&item)).then_some(item)
}

/// Places every table's rows, re-applying rules 5 and 6 until the placement settles.
pub(super) fn place_all(tables: &[&Table]) -> Vec<Placement> {
    let none = Evidence::default();
    let mut placements: Vec<Placement> = tables
        .iter()
        .enumerate()
        .map(|(id, table)| place(table, id, &none))
        .collect();
    for _ in 0..ROUNDS {
        let evidence = Evidence::new(tables, &placements);
        let next: Vec<Placement> = tables
            .iter()
            .enumerate()
            .map(|(id, table)| place(table, id, &evidence))
            .collect();
        if next == placements {
            break;
        }
        placements = next;
    }
    placements
}

/// Places one table's rows (table `id` of the page) with the rules of the module's header.
fn place(table: &Table, id: usize, evidence: &Evidence) -> Placement {
    let rows = &table.rows;
    let mut placement = Placement {
        parents: vec![None; rows.len()],
        endings: vec![None; rows.len()],
        warnings: Vec::new(),
    };
    let mut members: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); rows.len()];
    let mut top: BTreeSet<&str> = BTreeSet::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let name = row.field.name.as_str();
        let open_members: Vec<&BTreeSet<&str>> = open.iter().map(|o| &members[*o]).collect();
        let next = rows.get(i + 1);
        let found = kept(table, id, &open, &open_members, &top, (row, next), evidence);
        if let Some((depth, end)) = found {
            for closed in open.drain(depth..) {
                placement.endings[closed] = Some(Ending {
                    end: end.clone(),
                    line: row.field.line,
                    name: name.to_owned(),
                });
            }
        }
        match open.last() {
            Some(&parent) => {
                placement.parents[i] = Some(parent);
                members[parent].insert(name);
            }
            None if !top.insert(name) => placement.warnings.push(Warning {
                line: row.field.line,
                message: format!("`{name}` repeats a name of the table's top level"),
            }),
            None => {}
        }
        if row.object {
            open.push(i);
        }
    }
    for closed in open {
        placement.endings[closed] = Some(Ending {
            end: End::Table,
            line: 0,
            name: String::new(),
        });
    }
    placement
}

/// How many of the `open` objects stay open for `row`, when rules 2 to 8 close some, and the
/// rule that closed the outermost of them. `top` holds the names the table's top level has.
fn kept(
    table: &Table,
    id: usize,
    open: &[usize],
    open_members: &[&BTreeSet<&str>],
    top: &BTreeSet<&str>,
    (row, next): (&Row, Option<&Row>),
    evidence: &Evidence,
) -> Option<(usize, End)> {
    let name = row.field.name.as_str();
    let rows = &table.rows;
    if let Some(placed) = shown_in_example(table, open, (open_members, top), name) {
        return placed;
    }
    let mut depth = open.len();
    let mut why = None;
    let mut close = |to: usize, end: End, depth: &mut usize| {
        if to < *depth {
            *depth = to;
            why = Some(end);
        }
    };
    if table.location.is_none() && ENVELOPE.contains(&name) {
        close(0, End::Envelope, &mut depth);
    }
    if PAGING.contains(&name) {
        let lists = open[..depth].iter().rev().take_while(|o| rows[**o].list);
        let to = depth - lists.count();
        close(to, End::Paging, &mut depth);
    }
    let unshown = open[..depth].iter().rev().take_while(|o| {
        rows[**o]
            .keys
            .as_ref()
            .is_some_and(|keys| !keys.contains(name))
    });
    let to = depth - unshown.count();
    close(to, End::Example, &mut depth);
    let documented = (0..depth).rev().find_map(|at| {
        type_name(&rows[open[at]])
            .filter(|ty| evidence.lists(ty, name, id))
            .map(|ty| (at, ty))
    });
    if let Some((at, ty)) = documented {
        close(at + 1, End::TypeElsewhere(ty.to_owned()), &mut depth);
    }
    if let Some(level) = evidence.level(row, id).filter(|level| *level >= 1) {
        close(level, End::FieldElsewhere(level), &mut depth);
    }
    let shown_at_top = table.top_keys.as_ref().map(|keys| keys.contains(name));
    if let Some(at) = (0..depth).find(|at| open_members[*at].contains(name)) {
        // An example that shows the top level without this name rules out moving it there.
        if at > 0 || shown_at_top != Some(false) {
            close(at, End::Repeated, &mut depth);
        }
    }
    if shown_at_top == Some(true) && !top.contains(name) {
        close(0, End::TopLevel, &mut depth);
    }
    let parallel = row.object
        && depth > 0
        && next.is_some_and(|next| open_members[depth - 1].contains(next.field.name.as_str()));
    if parallel {
        close(depth - 1, End::Parallel, &mut depth);
    }
    why.map(|end| (depth, end))
}

/// Rule 10: where the page's JSON example puts `name`, when it says: the innermost level (the
/// top, or an open object) whose example shows it, provided the example shows every open
/// object below that level (and so shows that they lack it). `Some(None)` keeps every open
/// object open; `None` leaves the row to the other rules.
fn shown_in_example(
    table: &Table,
    open: &[usize],
    (open_members, top): (&[&BTreeSet<&str>], &BTreeSet<&str>),
    name: &str,
) -> Option<Option<(usize, End)>> {
    let body = table.example.as_ref()?;
    let mut shown = vec![object_of(body)];
    let mut at = Some(body);
    for o in open {
        at = at.and_then(|value| member(value, &table.rows[*o].field.name));
        shown.push(at.and_then(object_of));
    }
    // A level that already has a member of this name is not where a second one goes (rule 7).
    let taken = |level: usize| match level {
        0 => top.contains(name),
        _ => open_members[level - 1].contains(name),
    };
    let level = (0..shown.len())
        .rev()
        .find(|level| shown[*level].is_some_and(|m| m.contains_key(name)) && !taken(*level))?;
    if !shown[level + 1..].iter().all(Option::is_some) {
        return None;
    }
    Some((level < open.len()).then_some((level, End::ExampleBody)))
}

/// The members of an example value: an object's, or those of a list's first object.
fn object_of(value: &serde_json::Value) -> Option<&serde_json::Map<String, serde_json::Value>> {
    match value {
        serde_json::Value::Object(map) => Some(map),
        serde_json::Value::Array(items) => items.iter().find_map(serde_json::Value::as_object),
        _ => None,
    }
}

/// The example value of member `name` of `value` (of its first object, for a list).
fn member<'a>(value: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    object_of(value)?.get(name)
}

/// The table's rows as trees, each object row noting where its members were taken to end.
pub(super) fn tree(table: &Table, placement: &Placement) -> Vec<DraftField> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); table.rows.len()];
    let mut roots = Vec::new();
    for (i, parent) in placement.parents.iter().enumerate() {
        match parent {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    roots
        .into_iter()
        .map(|i| build(i, table, placement, &children))
        .collect()
}

fn build(i: usize, table: &Table, placement: &Placement, children: &[Vec<usize>]) -> DraftField {
    let row = &table.rows[i];
    let mut field = row.field.clone();
    field.children = children[i]
        .iter()
        .map(|c| build(*c, table, placement, children))
        .collect();
    if row.object {
        let note = members_note(&field, placement.endings[i].as_ref());
        field.notes.push(note);
        // A named object whose members the page lists is a model of that name; the writer
        // keeps the name unless another model already has it.
        if let Some(name) = type_name(row).filter(|_| !field.children.is_empty()) {
            field.ty = if row.list {
                format!("list<{name}>")
            } else {
                name.to_owned()
            };
        }
    }
    field
}

/// The last page line of a field and its members.
fn last_line(field: &DraftField) -> usize {
    field
        .children
        .iter()
        .map(last_line)
        .max()
        .unwrap_or(field.line)
        .max(field.line)
}

fn members_note(field: &DraftField, ending: Option<&Ending>) -> String {
    let reason = match ending {
        None
        | Some(Ending {
            end: End::Table, ..
        }) => "the table ends there".to_owned(),
        Some(Ending { end, line, name }) => {
            let why = match end {
                End::Table => String::new(),
                End::Envelope => {
                    "belongs to DingTalk's response envelope, which is never nested".to_owned()
                }
                End::Paging => {
                    "is a paging member, which describes the page and not one item of a list"
                        .to_owned()
                }
                End::Example => "is not among the members the example names".to_owned(),
                End::TypeElsewhere(ty) => {
                    format!("is a member of `{ty}` where the page documents that type elsewhere")
                }
                End::FieldElsewhere(level) => format!(
                    "is documented elsewhere on the page with the same description, nested {level} deep"
                ),
                End::Repeated => "repeats a member's name".to_owned(),
                End::TopLevel => {
                    "is a top-level member in the page's example, and the first of its name"
                        .to_owned()
                }
                End::ExampleBody => {
                    "sits in an enclosing object in the page's example, not in this one".to_owned()
                }
                End::Parallel => {
                    "is an object whose first member repeats a member of this one: its sibling"
                        .to_owned()
                }
            };
            format!("line {line} (`{name}`) {why}")
        }
    };
    match field.children.first() {
        None => format!(
            "the page lists nested objects flat and none of this object's members: {reason}"
        ),
        Some(first) => format!(
            "the page lists nested objects flat; its members are taken to be the rows of lines {}-{}: {reason}",
            first.line,
            last_line(field)
        ),
    }
}
