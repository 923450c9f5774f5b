//! Property tests of the generator: whatever the spec text, `codegen` answers with output or
//! with located diagnostics, never with a panic; and whatever the size and seed of the
//! synthetic spec set (`xtask::synth`), the generated Rust parses.
//!
//! Every property runs a small number of cases by default, chosen so that this whole file
//! stays under about ten seconds of `cargo test`. For a longer run, set the standard proptest
//! variable, which overrides every default here:
//!
//! ```text
//! PROPTEST_CASES=5000 cargo test --release -p tests --test properties
//! ```
//!
//! Failures are not persisted to `proptest-regressions/` files; proptest prints the shrunk
//! input and the seed (`PROPTEST_RNG_SEED` replays a run).

use std::collections::BTreeMap;

use codegen::{Diagnostics, SourceFile};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use xtask::synth::{self, Config};

/// `default` cases, unless `PROPTEST_CASES` says otherwise.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Generates, and checks the failure side: spec problems must point inside the files given
/// (line at most one past the last, as for a problem at the end of the file), and rendering
/// them must work too. An `Emit` error means the generator produced invalid Rust: a bug.
fn generate_checked(files: &[SourceFile]) -> Result<BTreeMap<String, String>, TestCaseError> {
    match codegen::generate(files, &codegen::Options::default()) {
        Ok(generated) => Ok(generated.files),
        Err(codegen::Error::Specs(diagnostics)) => {
            check_locations(files, &diagnostics)?;
            let rendered = diagnostics.render(files);
            prop_assert!(rendered.ends_with("in the specs"), "rendering: {rendered}");
            Ok(BTreeMap::new())
        }
        Err(err @ codegen::Error::Emit(_)) => Err(TestCaseError::fail(format!(
            "the generator produced invalid output: {err}"
        ))),
    }
}

fn check_locations(files: &[SourceFile], diagnostics: &Diagnostics) -> Result<(), TestCaseError> {
    prop_assert!(!diagnostics.is_empty());
    for diagnostic in diagnostics.iter() {
        let places = std::iter::once(&diagnostic.location)
            .chain(diagnostic.related.iter().map(|(location, _)| location));
        for location in places {
            let file = files.iter().find(|f| f.path == location.file);
            let Some(file) = file else {
                return Err(TestCaseError::fail(format!(
                    "diagnostic points at an unknown file: {diagnostic}"
                )));
            };
            let lines = yaml_lines(&file.text);
            prop_assert!(
                location.line >= 1 && location.line <= lines + 1 && location.column >= 1,
                "location outside {} ({lines} lines): {diagnostic}",
                file.path
            );
        }
    }
    Ok(())
}

/// The number of lines as the diagnostic renderer and editors count them: only `\n` ends a
/// line (`yaml_line_breaks_other_than_lf_shift_locations_past_the_file` below pins why).
fn yaml_lines(text: &str) -> usize {
    let breaks = text.matches('\n').count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// A small valid set to put a broken file beside: the synthetic service (with its token
/// operation) and two groups.
fn small_set() -> Vec<SourceFile> {
    synth::specs_with(&Config::new(10).with_group_size(5))
}

/// The synthetic service and its types-only group, without a token operation, so that a
/// group file of any content can be generated beside them.
fn service_only() -> Vec<SourceFile> {
    synth::specs(0)
}

/// Replaces the file at `path` in `files`, or adds it.
fn with_file(mut files: Vec<SourceFile>, file: SourceFile) -> Vec<SourceFile> {
    files.retain(|f| f.path != file.path);
    files.push(file);
    files
}

/// Pieces of YAML and of the spec format, glued at random: mostly broken YAML, sometimes a
/// valid document with unexpected keys, anchors, tags or types.
const YAMLISH: &[&str] = &[
    "platform: ",
    "group: ",
    "title: ",
    "operations:",
    "models:",
    "enums:",
    "unions:",
    "bases:",
    "fields:",
    "variants:",
    "values:",
    "body:",
    "response:",
    "query:",
    "headers:",
    "path_params:",
    "pagination:",
    "credentials:",
    "issued_by:",
    "signatures:",
    "encoding:",
    "envelope:",
    "auth:",
    "  ",
    "    ",
    "- ",
    "\n",
    "\n",
    "\n",
    "name: ",
    "type: ",
    "id: ",
    "method: ",
    "base: ",
    "path: ",
    "required: true",
    "nullable: true",
    "flatten: true",
    "lenient: json_string",
    "limits: { max: 3 }",
    "style: cursor",
    "request: ",
    "items: ",
    "next: ",
    "tag: ",
    "content: ",
    "value: ",
    "string",
    "int32",
    "int64",
    "list<",
    "map<",
    "csv<",
    ">",
    "OperatorInfo",
    "Notice",
    "json",
    "secret",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    ":",
    "\"",
    "'",
    "|",
    "|-",
    ">-",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "~",
    "null",
    "0",
    "-1",
    "1e999",
    "0x1F",
    "true",
    "GET",
    "POST",
    "/p/{x}",
    "x",
    "é",
    "钉钉",
    "\t",
    "\r\n",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.2\n",
    "<<: *a",
    "\u{0}",
    "\u{feff}",
    "\u{2028}",
    "classic",
    "synth",
    "g0000.get_token",
];

/// Bytes, mostly printable ASCII and YAML punctuation, sometimes anything: uniform bytes are
/// almost never UTF-8, and would stop at the first check.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        1 => any::<u8>(),
        8 => 0x20u8..0x7f,
        3 => select(&b"\n\n\n\t\r:-{}[]#&*!|>'\"?,%@`"[..]),
    ];
    proptest::collection::vec(byte, 0..600)
}

/// The file `SourceFile::from_bytes` reads; when the bytes are not UTF-8, its diagnostic must
/// point inside them, and the text read lossily goes on to the generator instead.
fn from_bytes(path: &str, bytes: Vec<u8>) -> Result<SourceFile, TestCaseError> {
    match SourceFile::from_bytes(path, bytes.clone()) {
        Ok(file) => Ok(file),
        Err(diagnostic) => {
            let file = SourceFile {
                path: path.to_owned(),
                text: String::from_utf8_lossy(&bytes).replace("\r\n", "\n"),
            };
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(diagnostic.into());
            check_locations(std::slice::from_ref(&file), &diagnostics)?;
            Ok(file)
        }
    }
}

fn yamlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(select(YAMLISH), 0..160).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config(96))]

    /// (a) Any bytes as a group file: an error at worst, never a panic.
    #[test]
    fn arbitrary_bytes_as_a_group_file_never_panic(bytes in bytes()) {
        let file = from_bytes("specs/synth/fuzz.yaml", bytes)?;
        generate_checked(&with_file(service_only(), file))?;
    }

    /// (a) Any bytes as the service file.
    #[test]
    fn arbitrary_bytes_as_a_service_file_never_panic(bytes in bytes()) {
        let file = from_bytes("specs/synth/service.yaml", bytes)?;
        generate_checked(&with_file(small_set(), file))?;
    }

    /// (a) YAML-ish text as a group file.
    #[test]
    fn yamlish_text_as_a_group_file_never_panics(text in yamlish()) {
        let file = SourceFile { path: "specs/synth/fuzz.yaml".to_owned(), text };
        generate_checked(&with_file(service_only(), file))?;
    }

    /// (a) YAML-ish text as the service file.
    #[test]
    fn yamlish_text_as_a_service_file_never_panics(text in yamlish()) {
        let file = SourceFile { path: "specs/synth/service.yaml".to_owned(), text };
        generate_checked(&with_file(small_set(), file))?;
    }
}

/// One edit of a valid spec set. Indices are resolved against the file and line counts at
/// the time of the edit.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index, Index),
    DuplicateLine(Index, Index),
    SwapLines(Index, Index, Index),
    /// Replaces one occurrence of a type name with another name.
    RenameType(Index, Index, NewName),
}

/// What a type name is replaced with.
#[derive(Debug, Clone)]
enum NewName {
    /// Another type of the platform (a model where a union was, and so on).
    Other(Index),
    /// The same name in lowercase: not UpperCamelCase, and unknown.
    Lowercase,
    /// A scalar type, a container or a name nothing defines.
    Literal(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let new_name = prop_oneof![
        any::<Index>().prop_map(NewName::Other),
        Just(NewName::Lowercase),
        select(
            &[
                "string",
                "int64",
                "json",
                "list<OperatorInfo>",
                "csv<int32>",
                "Missing",
                "Self",
            ][..]
        )
        .prop_map(NewName::Literal),
    ];
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(f, l)| Mutation::DeleteLine(f, l)),
        (any::<Index>(), any::<Index>()).prop_map(|(f, l)| Mutation::DuplicateLine(f, l)),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(f, a, b)| Mutation::SwapLines(f, a, b)),
        (any::<Index>(), any::<Index>(), new_name)
            .prop_map(|(f, at, to)| Mutation::RenameType(f, at, to)),
    ]
}

/// The named types of a valid set, longest first so that `Report0001Param` is not found
/// inside `Report0001ParamDetail`.
fn type_names(files: &[SourceFile]) -> Vec<String> {
    let api = codegen::check(files).expect("the synthetic set is valid");
    let mut names: Vec<String> = api
        .platforms
        .iter()
        .flat_map(|p| &p.groups)
        .flat_map(|g| {
            let models = g.models.iter().map(|m| m.name.clone());
            let enums = g.enums.iter().map(|e| e.name.clone());
            let unions = g.unions.iter().map(|u| u.name.clone());
            models.chain(enums).chain(unions).collect::<Vec<_>>()
        })
        .collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names
}

fn apply(files: &mut [SourceFile], mutation: &Mutation, names: &[String]) {
    let file_of = |i: &Index| i.index(files.len());
    match mutation {
        Mutation::DeleteLine(f, line) => edit_lines(&mut files[file_of(f)], |lines| {
            if !lines.is_empty() {
                lines.remove(line.index(lines.len()));
            }
        }),
        Mutation::DuplicateLine(f, line) => edit_lines(&mut files[file_of(f)], |lines| {
            if !lines.is_empty() {
                let at = line.index(lines.len());
                lines.insert(at, lines[at].clone());
            }
        }),
        Mutation::SwapLines(f, a, b) => edit_lines(&mut files[file_of(f)], |lines| {
            if !lines.is_empty() {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
            }
        }),
        Mutation::RenameType(f, at, to) => {
            let file = &mut files[file_of(f)];
            let spots = occurrences(&file.text, names);
            if spots.is_empty() {
                return;
            }
            let (start, old) = &spots[at.index(spots.len())];
            let new = match to {
                NewName::Other(i) => names[i.index(names.len())].clone(),
                NewName::Lowercase => old.to_lowercase(),
                NewName::Literal(literal) => (*literal).to_owned(),
            };
            file.text.replace_range(*start..*start + old.len(), &new);
        }
    }
}

fn edit_lines(file: &mut SourceFile, edit: impl FnOnce(&mut Vec<String>)) {
    let mut lines: Vec<String> = file.text.split_inclusive('\n').map(str::to_owned).collect();
    edit(&mut lines);
    // A moved last line may lack its newline; keep every line on its own.
    for line in &mut lines {
        if !line.ends_with('\n') {
            line.push('\n');
        }
    }
    file.text = lines.concat();
}

/// Byte offsets of whole-word occurrences of the type names in `text`.
fn occurrences(text: &str, names: &[String]) -> Vec<(usize, String)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut spots = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &text[s..i];
                if names.iter().any(|n| n == word) {
                    spots.push((s, word.to_owned()));
                }
                start = None;
            }
            _ => {}
        }
    }
    spots
}

proptest! {
    #![proptest_config(config(40))]

    /// (b) Up to three line or type-name edits of a valid set: output, or diagnostics that
    /// point inside the edited files.
    #[test]
    fn mutated_synthetic_specs_give_output_or_located_diagnostics(
        mutations in proptest::collection::vec(mutation(), 1..=3),
    ) {
        let mut files = small_set();
        let names = type_names(&files);
        for mutation in &mutations {
            apply(&mut files, mutation, &names);
        }
        generate_checked(&files)?;
    }
}

/// Where a field sits; what fits a field depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Path,
    Query,
    Header,
    Body,
    Response,
    Model,
}

/// Type expressions for the group's own types (`Alpha`, `Beta`, `Gamma` models, the `Delta`
/// enum, the `Epsilon` union, always defined) and `common`'s. Models hold only the types
/// after them directly (Alpha -> Beta -> Gamma), so that they do not contain themselves.
const ANY_TYPE: &[&str] = &[
    "string",
    "boolean",
    "int32",
    "int64",
    "float64",
    "timestamp_ms",
    "datetime",
    "secret",
    "json",
    "list<string>",
    "list<int64>",
    "map<string>",
    "csv<string>",
    "csv<int32>",
    "Alpha",
    "Beta",
    "Gamma",
    "Delta",
    "Epsilon",
    "list<Alpha>",
    "map<Beta>",
    "list<Delta>",
    "OperatorInfo",
    "Notice",
    "list<Notice>",
    "list<list<int32>>",
    "map<list<Gamma>>",
];
const ALPHA_TYPES: &[&str] = &[
    "string",
    "int64",
    "Beta",
    "list<Alpha>",
    "Delta",
    "map<Gamma>",
    "list<Epsilon>",
];
const BETA_TYPES: &[&str] = &[
    "string",
    "boolean",
    "Gamma",
    "list<Beta>",
    "list<Epsilon>",
    "json",
];
const GAMMA_TYPES: &[&str] = &[
    "string",
    "int32",
    "timestamp_ms",
    "list<Alpha>",
    "csv<int64>",
    "Delta",
];
const PARAM_TYPES: &[&str] = &[
    "string",
    "int32",
    "int64",
    "boolean",
    "csv<string>",
    "Delta",
    "datetime",
];
const PATH_TYPES: &[&str] = &["string", "int64"];

/// A way to break a field: a name, a type or a key that does not fit.
const TROUBLES: &[(&str, &str)] = &[
    ("name", ""),
    ("name", "type"),
    ("name", "self"),
    ("name", "Self"),
    ("name", "2fa"),
    ("name", "a-b"),
    ("name", "validate"),
    ("name", "new"),
    ("name", "envelope_code"),
    ("name", "r#type"),
    ("name", "ü"),
    ("name", "_"),
    ("name", "errcode"),
    ("type", "csv<Alpha>"),
    ("type", "csv<float64>"),
    ("type", "Unknown"),
    ("type", "list<"),
    ("type", "map<int32"),
    ("type", ""),
    ("type", "Option"),
    ("type", "list<Missing>"),
    ("type", "Alpha"),
    ("type", "Epsilon"),
    ("type", "json"),
    ("flag", "nullable"),
    ("flag", "flatten"),
    ("flag", "send_default"),
    ("flag", "required"),
    ("lenient", "one_or_many"),
    ("lenient", "json_string"),
    ("lenient", "number_or_string"),
    ("limits", r#"{"min": 5, "max": 1}"#),
    ("limits", r#"{"max_length": 2}"#),
    ("limits", r#"{"min_items": 1}"#),
];

fn set(field: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    field
        .as_object_mut()
        .expect("a field is an object")
        .insert(key.to_owned(), value);
}

/// One construct that fits the type and the place (limits, a lenient reading, nullability,
/// a sent default, flattening), picked by `roll`.
fn fitting_construct(
    field: &mut serde_json::Value,
    place: Place,
    ty: &str,
    required: bool,
    roll: u32,
) {
    let json_member = matches!(place, Place::Body | Place::Response | Place::Model);
    let mut fits: Vec<(&str, serde_json::Value)> = Vec::new();
    match ty {
        "int32" | "int64" | "timestamp_ms" => {
            fits.push(("limits", serde_json::json!({ "min": 1, "max": 30 })));
            if json_member {
                fits.push(("lenient", "number_or_string".into()));
            }
        }
        "string" => {
            fits.push(("limits", serde_json::json!({ "max_length": 8 })));
            if matches!(place, Place::Query | Place::Header) && !required {
                fits.push(("send_default", true.into()));
            }
        }
        "boolean" if json_member => fits.push(("lenient", "bool_or_string".into())),
        "Epsilon" | "Gamma" if place == Place::Body && required => {
            fits.push(("flatten", true.into()))
        }
        _ if ty.starts_with("list<") => {
            fits.push(("limits", serde_json::json!({ "max_items": 2 })));
            if json_member {
                fits.push(("lenient", "one_or_many".into()));
            }
        }
        "json" | "map<string>" | "Alpha" | "Beta" if json_member => {
            fits.push(("lenient", "json_string".into()))
        }
        _ => {}
    }
    if json_member && !ty.starts_with("csv<") {
        fits.push(("nullable", true.into()));
    }
    if fits.is_empty() {
        return;
    }
    let (key, value) = fits.swap_remove(roll as usize % fits.len());
    if key == "send_default" {
        set(field, "default", "SYN".into());
    }
    set(field, key, value);
}

/// A field that is valid for its place, unless `trouble` (drawn `bad` percent of the time)
/// breaks it.
fn field(
    place: Place,
    name: &'static str,
    types: &'static [&'static str],
    bad: u32,
) -> impl Strategy<Value = serde_json::Value> {
    (
        select(types),
        any::<bool>(),
        0..100u32,
        0..100u32,
        select(TROUBLES),
    )
        .prop_map(move |(ty, required, construct, roll, (what, trouble))| {
            let required = required || place == Place::Path;
            let mut field = serde_json::json!({ "name": name, "type": ty });
            if required {
                set(&mut field, "required", true.into());
            }
            if construct < 25 {
                fitting_construct(&mut field, place, ty, required, construct);
            }
            if roll < bad {
                match what {
                    "name" | "type" | "lenient" => set(&mut field, what, trouble.into()),
                    "flag" => set(&mut field, trouble, true.into()),
                    _ => set(
                        &mut field,
                        what,
                        serde_json::from_str(trouble).expect("json"),
                    ),
                }
            }
            field
        })
}

/// Up to `max` fields named from `names`, each name at most once.
fn fields(
    place: Place,
    names: &'static [&'static str],
    types: &'static [&'static str],
    max: usize,
    bad: u32,
) -> impl Strategy<Value = Vec<serde_json::Value>> {
    proptest::sample::subsequence(names, 0..=max.min(names.len())).prop_flat_map(move |names| {
        names
            .into_iter()
            .map(|name| field(place, name, types, bad))
            .collect::<Vec<_>>()
    })
}

fn pagination() -> impl Strategy<Value = Option<serde_json::Value>> {
    let requests = select(&["page", "cursor", "limit", "size", "x"][..]);
    let responses = select(&["items", "next", "has_more", "result", "total", "x"][..]);
    proptest::option::weighted(
        0.15,
        (
            select(&["cursor", "offset", "page"][..]),
            requests.clone(),
            responses.clone(),
            proptest::option::of(responses.clone()),
            proptest::option::of(responses),
            proptest::option::of(requests),
        )
            .prop_map(|(style, request, items, next, has_more, size)| {
                let mut p =
                    serde_json::json!({ "style": style, "request": request, "items": items });
                for (key, value) in [("next", next), ("has_more", has_more), ("size", size)] {
                    if let Some(value) = value {
                        set(&mut p, key, value.into());
                    }
                }
                p
            }),
    )
}

fn operation(id: &'static str, bad: u32) -> impl Strategy<Value = serde_json::Value> {
    let head = (
        select(&["GET", "POST", "PUT", "PATCH", "DELETE"][..]),
        select(&["classic", "modern", "open"][..]),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        pagination(),
    );
    let lists = (
        fields(Place::Path, &["id"], PATH_TYPES, 1, bad),
        fields(
            Place::Query,
            &["q", "limit", "flag", "page"],
            PARAM_TYPES,
            2,
            bad,
        ),
        fields(
            Place::Header,
            &["x-trace", "User-Agent"],
            PARAM_TYPES,
            1,
            bad,
        ),
        fields(
            Place::Body,
            &[
                "title", "count", "items", "deptList", "data", "cursor", "size",
            ],
            ANY_TYPE,
            4,
            bad,
        ),
        fields(
            Place::Response,
            &["result", "total", "next", "has_more", "items", "cursor"],
            ANY_TYPE,
            4,
            bad,
        ),
    );
    (head, lists).prop_map(
        move |(
            (method, base, auth, idempotent, pagination),
            (path_params, query, headers, body, response),
        )| {
            let path = if path_params.is_empty() {
                "/a"
            } else {
                "/a/{id}"
            };
            let mut op = serde_json::json!({
                "id": id, "summary": "s", "method": method, "base": base, "path": path,
                "path_params": path_params, "query": query, "headers": headers,
                "body": body, "response": response,
            });
            for (key, value) in [("auth", auth), ("idempotent", idempotent)] {
                if let Some(value) = value {
                    set(&mut op, key, value.into());
                }
            }
            if let Some(pagination) = pagination {
                set(&mut op, "pagination", pagination);
            }
            op
        },
    )
}

fn model(
    name: &'static str,
    types: &'static [&'static str],
    bad: u32,
) -> impl Strategy<Value = serde_json::Value> {
    fields(
        Place::Model,
        &["id", "name", "count", "items", "child", "tags"],
        types,
        4,
        bad,
    )
    .prop_map(move |fields| serde_json::json!({ "name": name, "fields": fields }))
}

fn enumeration() -> impl Strategy<Value = serde_json::Value> {
    let string =
        proptest::sample::subsequence(&["A", "B", "1", "x-y"][..], 1..=3).prop_map(|values| {
            let values: Vec<_> = values
                .iter()
                .zip(["one", "two", "three"])
                .map(|(value, name)| serde_json::json!({ "value": value, "name": name }))
                .collect();
            serde_json::json!({ "name": "Delta", "type": "string", "values": values })
        });
    let integer = proptest::sample::subsequence(&[0, 1, -1, 99][..], 1..=3).prop_map(|values| {
        let values: Vec<_> = values
            .iter()
            .zip(["zero", "one", "minus_one"])
            .map(|(value, name)| serde_json::json!({ "value": value, "name": name }))
            .collect();
        serde_json::json!({ "name": "Delta", "type": "integer", "values": values })
    });
    prop_oneof![string, integer]
}

fn union() -> impl Strategy<Value = serde_json::Value> {
    let variants = proptest::sample::subsequence(&["Alpha", "Beta", "Gamma"][..], 1..=3);
    (select(&["kind", "type"][..]), any::<bool>(), variants, any::<bool>()).prop_map(
        |(tag, content, types, unsupported)| {
            let variants: Vec<_> = types
                .iter()
                .zip(["A", "B", "C"])
                .map(|(ty, value)| serde_json::json!({ "value": value, "name": value.to_lowercase(), "type": ty }))
                .collect();
            let mut union = serde_json::json!({ "name": "Epsilon", "tag": tag, "variants": variants });
            if content {
                set(&mut union, "content", "data".into());
            }
            if unsupported {
                union["variants"][0]["supported"] = false.into();
            }
            union
        },
    )
}

/// The group's types, and now and then an extra model with a troublesome name.
fn named_types(bad: u32) -> impl Strategy<Value = serde_json::Value> {
    let extra_names = select(
        &[
            "Option",
            "alpha",
            "Error",
            "Unknown",
            "FuzzClient",
            "GetARequest",
            "OperatorInfo",
            "Alpha",
        ][..],
    );
    let extra = (
        0..100u32,
        extra_names.prop_flat_map(move |name| model(name, ANY_TYPE, bad)),
    )
        .prop_map(move |(roll, model)| (roll < bad).then_some(model));
    let models = (
        model("Alpha", ALPHA_TYPES, bad),
        model("Beta", BETA_TYPES, bad),
        model("Gamma", GAMMA_TYPES, bad),
        extra,
    );
    (models, enumeration(), union()).prop_map(|((alpha, beta, gamma, extra), delta, epsilon)| {
        let mut models = vec![alpha, beta, gamma];
        models.extend(extra);
        serde_json::json!({ "models": models, "enums": [delta], "unions": [epsilon] })
    })
}

/// A group file in the shape of the format. Each file draws a trouble rate (none, rare or
/// frequent): inputs that are wrong everywhere stop at the first checks, while valid or
/// nearly valid ones get through validation into the emitters.
fn spec_shaped_group() -> impl Strategy<Value = String> {
    select(&[0u32, 0, 2, 10][..]).prop_flat_map(|bad| {
        let ids =
            proptest::sample::subsequence(&["get_a", "list_b", "set_c", "new", "type"][..], 0..=3);
        let ids = if bad > 0 {
            (
                ids,
                proptest::option::of(select(&["get_a", "self", "Bad-Id", "x__y"][..])),
            )
                .prop_map(|(mut ids, extra)| {
                    ids.extend(extra);
                    ids
                })
                .boxed()
        } else {
            ids.boxed()
        };
        let operations = ids.prop_flat_map(move |ids| {
            ids.into_iter()
                .map(|id| operation(id, bad))
                .collect::<Vec<_>>()
        });
        (operations, named_types(bad)).prop_map(|(operations, types)| {
            let mut group =
                serde_json::json!({ "group": "fuzz", "title": "Fuzz", "operations": operations });
            for key in ["models", "enums", "unions"] {
                set(&mut group, key, types[key].clone());
            }
            serde_yaml::to_string(&group).expect("a YAML document")
        })
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// Spec-shaped group files with troublesome values: output, or located diagnostics, and
    /// never invalid Rust.
    #[test]
    fn spec_shaped_group_files_give_output_or_located_diagnostics(text in spec_shaped_group()) {
        let file = SourceFile { path: "specs/synth/fuzz.yaml".to_owned(), text };
        generate_checked(&with_file(service_only(), file))?;
    }
}

proptest! {
    #![proptest_config(config(3))]

    /// (c) Any size, seed and group size of the synthetic set: valid specs, and every
    /// generated Rust file parses.
    #[test]
    fn every_generated_file_of_a_synthetic_set_parses(
        endpoints in 1usize..=300,
        seed in any::<u64>(),
        group_size in 1usize..=40,
    ) {
        let files = synth::specs_with(&Config::new(endpoints).with_seed(seed).with_group_size(group_size));
        let generated = match codegen::generate(&files, &codegen::Options::default()) {
            Ok(generated) => generated.files,
            Err(err) => return Err(TestCaseError::fail(format!("{err}"))),
        };
        let groups = endpoints.div_ceil(group_size);
        // `mod.rs`, `common.rs` and one file per group.
        let rust: Vec<_> = generated.iter().filter(|(path, _)| path.ends_with(".rs")).collect();
        prop_assert_eq!(rust.len(), groups + 2);
        for (path, contents) in rust {
            if let Err(err) = syn::parse_file(contents) {
                return Err(TestCaseError::fail(format!("{path} does not parse: {err}")));
            }
        }
    }
}

/// The synthetic set is clean at every size the benchmarks use, up to 1000 operations here
/// (10000 is the ignored test below).
#[test]
fn synthetic_specs_are_valid_at_benchmark_sizes() {
    for endpoints in [0, 1, 7, 25, 100, 1000] {
        let files = synth::specs(endpoints);
        if let Err(diagnostics) = codegen::check(&files) {
            panic!("{endpoints} operations:\n{}", diagnostics.render(&files));
        }
    }
}

/// Checking 10000 operations takes about ten seconds in a debug build, the whole budget of
/// this file.
#[test]
#[ignore = "slow in debug builds; run with `cargo test --release -p tests --test properties -- --ignored`"]
fn synthetic_specs_are_valid_at_ten_thousand_operations() {
    let files = synth::specs(10_000);
    if let Err(diagnostics) = codegen::check(&files) {
        panic!("{}", diagnostics.render(&files));
    }
}

/// A hundred operations of the default set use every construct of the format.
#[test]
fn synthetic_specs_use_every_construct() {
    let text: String = synth::specs(100).into_iter().map(|f| f.text).collect();
    let constructs = [
        "style: body_code",
        "style: http_status",
        "in: query",
        "in: header",
        "in: none",
        "see_sub_code",
        "sub_codes:",
        "credentials:",
        "undocumented:",
        "operations: []",
        "method: GET",
        "method: POST",
        "auth: false",
        "idempotent: true",
        "pagination:",
        "path_params:",
        "query:",
        "headers:",
        "send_default: true",
        "flatten: true",
        "nullable: true",
        "lenient: number_or_string",
        "lenient: bool_or_string",
        "lenient: one_or_many",
        "lenient: json_string",
        "type: secret",
        "csv<",
        "list<",
        "map<",
        "type: json",
        "type: float64",
        "type: datetime",
        "type: timestamp_ms",
        "type: boolean",
        "enums:",
        "type: integer",
        "type: string",
        "unions:",
        "content: data",
        "supported: false",
        "limits:",
        "example:",
        "default:",
        "doc_type:",
        "note:",
        "min_length",
        "max_length",
        "min_items",
        "max_items",
        "min:",
        "max:",
        "method: PUT",
        "method: PATCH",
        "method: DELETE",
        "style: cursor",
        "style: offset",
        "style: page",
        "stability: in_development",
        "stability: deprecated",
        "doc_name:",
        "idempotent: false",
    ];
    for construct in constructs {
        assert!(
            text.contains(construct),
            "100 operations lack `{construct}`"
        );
    }
}

/// Regression (found by `yamlish_text_as_a_group_file_never_panics`): serde_yaml (libyaml,
/// YAML 1.1) ends a line at a lone `\r`, NEL (U+0085), LS (U+2028) and PS (U+2029), while
/// `SourceFile::from_bytes` only turns `\r\n` into `\n` and the renderer counts `\n` alone. A
/// syntax error after such a character was reported on a line the file does not have (`3:1`
/// in a one-line file), and the rendered diagnostic lost its source snippet. Positions are
/// now recomputed from the parser's byte offset (`codegen/src/load/lines.rs`).
#[test]
fn yaml_line_breaks_other_than_lf_shift_locations_past_the_file() {
    for text in ["\u{2028}{", "\u{85}{", "\r{", "group: x\roperations: ["] {
        let file = SourceFile {
            path: "specs/synth/fuzz.yaml".to_owned(),
            text: text.to_owned(),
        };
        let files = with_file(service_only(), file);
        let Err(codegen::Error::Specs(diagnostics)) =
            codegen::generate(&files, &codegen::Options::default())
        else {
            panic!("{text:?} is not a valid group file");
        };
        for diagnostic in diagnostics.iter() {
            let lines = text.lines().count();
            assert!(
                diagnostic.location.line <= lines + 1,
                "{text:?} has {lines} line(s), the diagnostic points at {}",
                diagnostic.location
            );
        }
    }
}

/// Bug found by `spec_shaped_group_files_give_output_or_located_diagnostics`: `Self` passes
/// the type-name checks (it is UpperCamelCase and not in `names::RESERVED_TYPE_NAMES`, which
/// lists `Self_` only), so the emitter writes `pub struct Self` and `generate` fails with
/// `Error::Emit` ("generated code for `src/synth/fuzz.rs` does not parse (a generator bug):
/// expected identifier, found keyword `Self`") instead of a located spec diagnostic.
#[test]
fn a_model_named_self_is_a_diagnostic_rather_than_invalid_rust() {
    let text =
        "group: fuzz\ntitle: Fuzz\noperations: []\nmodels:\n  - name: Self\n    fields: []\n";
    let file = SourceFile {
        path: "specs/synth/fuzz.yaml".to_owned(),
        text: text.to_owned(),
    };
    let result = codegen::generate(
        &with_file(service_only(), file),
        &codegen::Options::default(),
    );
    if let Err(err @ codegen::Error::Emit(_)) = result {
        panic!("{err}");
    }
}

/// The line and column of the diagnostic whose message contains `needle`, when `text` is a
/// group file beside the synthetic service.
fn located_diagnostic(text: &str, needle: &str) -> (usize, usize) {
    let file = SourceFile {
        path: "specs/synth/fuzz.yaml".to_owned(),
        text: text.to_owned(),
    };
    let Err(codegen::Error::Specs(diagnostics)) = codegen::generate(
        &with_file(service_only(), file),
        &codegen::Options::default(),
    ) else {
        panic!("{text:?} is not a valid group file");
    };
    let found = diagnostics
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic says `{needle}`: {diagnostics:?}"));
    (found.location.line, found.location.column)
}

/// The same for diagnostics found after parsing (yaml-rust2 marks): a lone `\r` between two
/// keys (a line break to both YAML parsers) does not move an unknown type's position off the
/// line the renderer shows it on.
#[test]
fn a_lone_carriage_return_does_not_shift_semantic_diagnostics() {
    let text = "group: fuzz\rtitle: Fuzz\noperations: []\nmodels:\n  - name: M\n    fields:\n      - name: a\n        type: Sting\n";
    // `type: Sting` is on line 7 when only `\n` ends a line (8 to yaml-rust2); its value
    // starts at column 15.
    assert_eq!(located_diagnostic(text, "unknown type `Sting`"), (7, 15));
}

/// Regression: the reserved-name diagnostic for a response member named `envelope_code`
/// used the member's index after the envelope's own fields (`errcode`, `errmsg`) had been
/// taken out of the list, so it pointed at another member's line.
#[test]
fn reserved_envelope_code_member_is_reported_at_its_own_line() {
    let text = "group: fuzz\ntitle: Fuzz\noperations:\n  - id: get_thing\n    summary: s\n    method: GET\n    base: classic\n    path: /thing\n    response:\n      - name: errcode\n        type: int32\n      - name: errmsg\n        type: string\n      - name: envelope_code\n        type: string\n";
    // `- name: envelope_code` is line 14; the name's value starts at column 15.
    assert_eq!(
        located_diagnostic(text, "`envelope_code` is reserved"),
        (14, 15)
    );
}
