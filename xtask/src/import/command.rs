//! The `cargo xtask import` command: draft a group file from a page, compare a draft with a
//! hand-written spec, and the contract check over every platform's `sources:`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::spec;

use super::compare::{self, Agreement, HandSpecs, Row};
use super::write::{self, Service};

/// What `cargo xtask import` was asked.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The copied page.
    pub page: PathBuf,
    /// The platform folder under `specs/`.
    pub platform: String,
    /// The group to write (default: the page file's stem).
    pub group: Option<String>,
    /// Where to write the draft (default: print it).
    pub out: Option<PathBuf>,
    /// Hand-written group files to compare the draft with, instead of writing it.
    pub compare: Vec<PathBuf>,
}

/// A platform's specs as written, parsed.
struct Platform {
    service: spec::ServiceFile,
    service_text: String,
    groups: Vec<(String, spec::GroupFile, String)>,
}

fn load_platform(root: &Path, platform: &str) -> Result<Platform> {
    let dir = root.join("specs").join(platform);
    let service_path = dir.join("service.yaml");
    let service_text = std::fs::read_to_string(&service_path)
        .with_context(|| format!("cannot read {}", service_path.display()))?;
    let service: spec::ServiceFile = serde_yaml::from_str(&service_text)
        .with_context(|| format!("{} is not a valid service file", service_path.display()))?;
    let mut groups = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("service.yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let group: spec::GroupFile = serde_yaml::from_str(&text)
            .with_context(|| format!("{} is not a valid group file", path.display()))?;
        let relative = format!(
            "specs/{platform}/{}",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
        groups.push((relative, group, text));
    }
    Ok(Platform {
        service,
        service_text,
        groups,
    })
}

impl Platform {
    fn auth_names(&self) -> BTreeSet<String> {
        self.service
            .bases
            .iter()
            .filter(|b| b.auth.location != spec::AuthLocation::None)
            .filter_map(|b| b.auth.name.clone())
            .collect()
    }

    fn base_urls(&self) -> BTreeMap<String, String> {
        self.service
            .bases
            .iter()
            .map(|b| (b.id.clone(), b.url.clone()))
            .collect()
    }

    /// The rows of the draft of `text` and the layout that read it.
    fn draft_rows(&self, text: &str) -> Result<(super::Draft, Vec<Row>)> {
        let draft = super::read(text).map_err(anyhow::Error::msg)?;
        let rows = compare::draft_rows(&draft, &self.auth_names(), &self.base_urls());
        Ok((draft, rows))
    }
}

/// `cargo xtask import PAGE --platform P ...`.
pub fn run(root: &Path, options: &ImportOptions) -> Result<()> {
    let text = std::fs::read_to_string(&options.page)
        .with_context(|| format!("cannot read {}", options.page.display()))?;
    let platform = load_platform(root, &options.platform)?;
    let (draft, draft_rows) = platform.draft_rows(&text)?;
    eprintln!(
        "{}: read as the `{}` layout: {} operations, {} models, {} warnings",
        options.page.display(),
        draft.layout,
        draft.operations.len(),
        draft.models.len(),
        draft.warnings.len()
    );
    for warning in &draft.warnings {
        eprintln!("warning: {}: {warning}", options.page.display());
    }
    if !options.compare.is_empty() {
        let mut groups = Vec::new();
        for path in &options.compare {
            let text = std::fs::read_to_string(root.join(path))
                .with_context(|| format!("cannot read {}", path.display()))?;
            let group: spec::GroupFile = serde_yaml::from_str(&text)
                .with_context(|| format!("{} is not a valid group file", path.display()))?;
            groups.push(group);
        }
        let hand = HandSpecs { groups: &groups }.rows();
        let agreement = compare::agreement(&draft_rows, &hand);
        let names: Vec<String> = options
            .compare
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        print!(
            "{}",
            compare::render(
                &agreement,
                &format!("{} against {}", options.page.display(), names.join(", "))
            )
        );
        return Ok(());
    }
    let group = match &options.group {
        Some(group) => group.clone(),
        // `005_robot_send` -> `robot_send`: a group is a module name.
        None => options
            .page
            .file_stem()
            .map(|s| heck::ToSnakeCase::to_snake_case(s.to_string_lossy().as_ref()))
            .map(|s| {
                s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_')
                    .to_owned()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "imported".to_owned()),
    };
    // Validated with the service file alone: the draft defines every type it uses, and the
    // platform's other groups may define the same names (a page that documents them too).
    let written = draft_group(
        &platform.files()[..1],
        &platform.service,
        &draft,
        &group,
        &options.page.display().to_string(),
    )?;
    match &options.out {
        // An existing group file gains the draft's operations, models and enums; the result
        // is validated with the platform's other groups before anything is written.
        Some(out) if out.exists() => {
            let existing = std::fs::read_to_string(out)
                .with_context(|| format!("cannot read {}", out.display()))?;
            let merged = add_to_group(&existing, &written.text);
            let relative = out
                .strip_prefix(root)
                .unwrap_or(out)
                .to_string_lossy()
                .replace('\\', "/");
            let mut files = platform.files();
            files.retain(|f| f.path != relative);
            files.push(codegen::SourceFile {
                path: relative.clone(),
                text: merged.clone(),
            });
            if let Err(codegen::Error::Specs(diagnostics)) =
                codegen::generate(&files, &codegen::Options::default())
            {
                bail!(
                    "adding the draft to {} gives an invalid spec; nothing was written:\n{}",
                    out.display(),
                    diagnostics.render(&files)
                );
            }
            std::fs::write(out, merged)
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!("added the draft to {}", out.display());
        }
        Some(out) => {
            std::fs::write(out, &written.text)
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{}", written.text),
    }
    Ok(())
}

/// `existing` (a group file) with the items of the draft's `operations`, `models` and
/// `enums` appended to its own lists of the same names (or added as new lists). Both are
/// block YAML with those keys at the top level, as the writer and the house style write them.
pub fn add_to_group(existing: &str, draft: &str) -> String {
    let mut merged = existing.trim_end().to_owned();
    merged.push('\n');
    for key in ["operations", "models", "enums"] {
        let Some(items) = section_items(draft, key) else {
            continue;
        };
        if items.trim().is_empty() {
            continue;
        }
        match section_span(&merged, key) {
            Some((header_end, end, empty_inline)) => {
                if empty_inline {
                    // `operations: []` becomes a block list.
                    let header_start = merged[..header_end].rfind(&format!("{key}:")).unwrap_or(0);
                    merged.replace_range(header_start..end, &format!("{key}:\n{items}"));
                } else {
                    let mut insertion = String::from("\n");
                    insertion.push_str(&items);
                    merged.insert_str(end, &insertion);
                }
            }
            None => {
                merged.push_str(&format!("{key}:\n{items}"));
            }
        }
    }
    merged
}

/// The lines of a top-level block list `key:` (its items), if the document has one.
fn section_items(text: &str, key: &str) -> Option<String> {
    let (header_end, end, _) = section_span(text, key)?;
    Some(text[header_end..end].trim_end_matches('\n').to_owned() + "\n")
}

/// Where the top-level key `key:` is: the end of its header line, the end of its section (the
/// next top-level key, or the end), and whether it is an empty inline list (`key: []`).
fn section_span(text: &str, key: &str) -> Option<(usize, usize, bool)> {
    let mut offset = 0;
    let mut found: Option<(usize, bool)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let top_level = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        match found {
            None if line.starts_with(&format!("{key}:")) => {
                let rest = line[key.len() + 1..].trim();
                found = Some((offset, rest == "[]"));
            }
            Some((header_end, empty)) if top_level => return Some((header_end, start, empty)),
            _ => {}
        }
    }
    found.map(|(header_end, empty)| (header_end, text.len(), empty))
}

impl Platform {
    /// The platform's spec files as the generator reads them.
    fn files(&self) -> Vec<codegen::SourceFile> {
        let service = codegen::SourceFile {
            path: format!("specs/{}/service.yaml", self.service.platform),
            text: self.service_text.clone(),
        };
        std::iter::once(service)
            .chain(
                self.groups
                    .iter()
                    .map(|(path, _, text)| codegen::SourceFile {
                        path: path.clone(),
                        text: text.clone(),
                    }),
            )
            .collect()
    }
}

/// The draft of `draft` as the group `group` of the platform whose spec files are `files`
/// (its service file first), validated with them: a draft that does not validate is an error
/// naming the page lines (of the page called `page_name`) it could not turn into a spec.
pub fn draft_group(
    files: &[codegen::SourceFile],
    service: &spec::ServiceFile,
    draft: &super::Draft,
    group: &str,
    page_name: &str,
) -> Result<write::Written> {
    let title = draft
        .operations
        .first()
        .map_or_else(|| group.to_owned(), |op| op.summary.clone());
    let written = write::group_file(draft, group, &title, &Service { spec: service });
    let draft_path = format!("specs/{}/{group}.yaml", service.platform);
    let files: Vec<codegen::SourceFile> = files
        .iter()
        .map(|file| match file.path.ends_with("/service.yaml") {
            true => without_credentials(file),
            false => file.clone(),
        })
        .collect();
    validate(&files, &draft_path, &written, page_name)?;
    Ok(written)
}

/// The service file without its `credentials` (and the bases' `credential`): they name
/// issuing operations of the groups, which a draft validated on its own does not have, and a
/// draft names no credential.
fn without_credentials(file: &codegen::SourceFile) -> codegen::SourceFile {
    let Ok(mut value) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
        return file.clone();
    };
    if let Some(map) = value.as_mapping_mut() {
        map.remove("credentials");
        let bases = map
            .get_mut("bases")
            .and_then(serde_yaml::Value::as_sequence_mut);
        for base in bases.into_iter().flatten() {
            if let Some(base) = base.as_mapping_mut() {
                base.remove("credential");
            }
        }
    }
    let text = serde_yaml::to_string(&value).unwrap_or_else(|_| file.text.clone());
    codegen::SourceFile {
        path: file.path.clone(),
        text,
    }
}

/// Validates the draft with the platform's service file and its other groups; an error is
/// reported at the page line the offending field came from.
fn validate(
    platform_files: &[codegen::SourceFile],
    draft_path: &str,
    written: &write::Written,
    page: &str,
) -> Result<()> {
    let mut files: Vec<codegen::SourceFile> = platform_files
        .iter()
        .filter(|f| f.path != draft_path)
        .cloned()
        .collect();
    files.push(codegen::SourceFile {
        path: draft_path.to_owned(),
        text: written.text.clone(),
    });
    match codegen::generate(&files, &codegen::Options::default()) {
        Ok(_) => Ok(()),
        Err(codegen::Error::Specs(diagnostics)) => {
            let mut report = String::new();
            for diagnostic in diagnostics.iter() {
                let location = &diagnostic.location;
                let page_line = (location.file == draft_path)
                    .then(|| {
                        written
                            .page_lines
                            .range(..=location.line)
                            .next_back()
                            .map(|(_, page_line)| *page_line)
                    })
                    .flatten();
                match page_line {
                    Some(n) => report.push_str(&format!(
                        "{page}:{n}: could not turn this line into a valid spec: {} (draft line {})\n",
                        diagnostic.message,
                        location.line
                    )),
                    None => report.push_str(&format!("{location}: {}\n", diagnostic.message)),
                }
            }
            bail!(
                "the draft does not validate:\n{report}\nthe draft was:\n{}",
                written.text
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// One difference the contract check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The source document.
    pub document: String,
    /// What differs.
    pub message: String,
}

/// `cargo xtask import --check`: re-imports every document a platform's `sources:` name and
/// returns each difference from the specs that no `note:` explains.
pub fn contract_differences(root: &Path) -> Result<Vec<Difference>> {
    let mut differences = Vec::new();
    for source in imported_sources(root)? {
        match source.outcome {
            Err(err) => differences.push(Difference {
                document: source.document,
                message: format!("cannot be imported: {err}"),
            }),
            Ok(imported) => {
                differences.extend(
                    unexplained(&imported.agreement, &source.notes)
                        .into_iter()
                        .map(|message| Difference {
                            document: source.document.clone(),
                            message,
                        }),
                );
            }
        }
    }
    Ok(differences)
}

/// One document of a platform's `sources:`, read by the importer and compared with the
/// platform's specs.
struct ImportedSource {
    /// `specs/<platform>/sources/<file>`.
    document: String,
    /// The platform folder's name.
    platform: String,
    /// The document's title from `sources:`.
    title: String,
    /// Notes per operation key, as [`operation_notes`] gathers them.
    notes: BTreeMap<String, String>,
    /// The layout that read it and its agreement with the specs, or why it could not be read.
    outcome: Result<Imported, String>,
}

struct Imported {
    layout: String,
    agreement: Agreement,
}

/// Every platform's `sources:`, each imported and compared with all the platform's groups.
fn imported_sources(root: &Path) -> Result<Vec<ImportedSource>> {
    let specs = root.join("specs");
    let mut platforms: Vec<String> = std::fs::read_dir(&specs)
        .with_context(|| format!("cannot list {}", specs.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("service.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    platforms.sort();
    let mut out = Vec::new();
    for name in platforms {
        let platform = load_platform(root, &name)?;
        let groups: Vec<spec::GroupFile> =
            platform.groups.iter().map(|(_, g, _)| g.clone()).collect();
        let hand = HandSpecs { groups: &groups }.rows();
        let notes = operation_notes(&groups);
        // Reference documents (rate limits, conventions) describe nothing the importer drafts.
        for source in platform.service.sources.iter().filter(|s| !s.reference) {
            let document = format!("specs/{name}/{}", source.file);
            let text = std::fs::read_to_string(root.join(&document))
                .with_context(|| format!("cannot read {document}"))?;
            let outcome = platform
                .draft_rows(&text)
                .map(|(draft, rows)| Imported {
                    layout: draft.layout.to_string(),
                    agreement: compare::agreement(&rows, &hand),
                })
                .map_err(|err| err.to_string());
            out.push(ImportedSource {
                document,
                platform: name.clone(),
                title: source.title.clone(),
                notes: notes.clone(),
                outcome,
            });
        }
    }
    Ok(out)
}

/// `cargo xtask import --figures`: the README's table of the importer's figures, a row per
/// document that documents fields of an operation or message body the specs have.
pub fn figures(root: &Path) -> Result<String> {
    let mut out = String::from(
        "| document | layout | reproduced | draft fields under another parent | draft fields not in the specs | exact type | limits | default | example |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for source in imported_sources(root)? {
        let file = source.document.rsplit('/').next().unwrap_or_default();
        let number = file.split('_').next().unwrap_or(file);
        let label = format!(
            "{} `{number}` ({})",
            source.platform,
            short_title(&source.title)
        );
        match source.outcome {
            Err(err) => out.push_str(&format!(
                "| {label} | cannot be read: {err} | | | | | | | |\n"
            )),
            Ok(Imported { agreement: a, .. }) if a.hand_fields == 0 && a.extra.is_empty() => {}
            Ok(Imported {
                layout,
                agreement: a,
            }) => out.push_str(&format!(
                "| {label} | `{layout}` | {} / {} ({:.1}%) | {} | {} | {} | {} | {} | {} |\n",
                a.reproduced,
                a.hand_fields,
                a.percent(),
                a.extra.len() - a.invented.len(),
                a.invented.len(),
                a.exact_type,
                a.limits,
                a.defaults,
                a.examples
            )),
        }
    }
    Ok(out)
}

/// A source's title without the platform's suffix (`获取部门详情 - 钉钉开放平台`).
fn short_title(title: &str) -> &str {
    title.split(" - ").next().unwrap_or(title).trim()
}

/// Per operation key, the text of its note and of the notes of the models it uses; per union
/// variant (compared with the objects a page documents without an endpoint), the union's note
/// and the models' notes.
fn operation_notes(groups: &[spec::GroupFile]) -> BTreeMap<String, String> {
    let model_notes: String = groups
        .iter()
        .flat_map(|g| &g.models)
        .filter_map(|m| m.note.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    let operations = groups.iter().flat_map(|g| &g.operations).map(|op| {
        let key = compare::operation_key(&op.method, &op.path);
        let note = format!("{} {model_notes}", op.note.as_deref().unwrap_or_default());
        (key, note)
    });
    let variants = groups.iter().flat_map(|g| &g.unions).flat_map(|union| {
        let note = format!(
            "{} {model_notes}",
            union.note.as_deref().unwrap_or_default()
        );
        union
            .variants
            .iter()
            .map(move |v| (compare::variant_key(&union.name, &v.value), note.clone()))
    });
    let model_notes = &model_notes;
    let events = groups
        .iter()
        .filter_map(|g| g.events.as_ref())
        .flat_map(|events| {
            let all = events.note.as_deref().unwrap_or_default();
            events.types.iter().map(move |event| {
                let note = format!(
                    "{} {all} {model_notes}",
                    event.note.as_deref().unwrap_or_default()
                );
                (compare::event_key(&event.value), note)
            })
        });
    operations.chain(variants).chain(events).collect()
}

/// The differences no note explains: a hand field without a note that the draft lacks or has
/// with another family or requirement, and a draft field that no hand field matches and whose
/// name the operation's notes do not mention.
fn unexplained(agreement: &Agreement, notes: &BTreeMap<String, String>) -> Vec<String> {
    let mentioned = |row: &Row| {
        notes
            .get(&row.key.operation)
            .is_some_and(|note| note.contains(&format!("`{}`", row.key.name)))
    };
    let mut out = Vec::new();
    for (hand, draft) in &agreement.differing {
        if hand.noted || mentioned(hand) {
            continue;
        }
        let place = place(hand);
        out.push(match draft {
            None => format!("{place}: in the spec, not found in the document"),
            Some(draft) => format!(
                "{place}: the spec has {} `{}` {}, the document {} `{}` {}",
                hand.family.name(),
                hand.ty,
                requirement(hand.required),
                draft.family.name(),
                draft.ty,
                requirement(draft.required)
            ),
        });
    }
    for draft in &agreement.extra {
        if !mentioned(draft) {
            out.push(format!(
                "{}: in the document, not in the spec",
                place(draft)
            ));
        }
    }
    out
}

fn place(row: &Row) -> String {
    let name = if row.key.parent.is_empty() {
        row.key.name.clone()
    } else {
        format!("{}.{}", row.key.parent, row.key.name)
    };
    format!("{} {:?} `{name}`", row.key.operation, row.key.side)
}

fn requirement(required: bool) -> &'static str {
    if required {
        "(required)"
    } else {
        "(optional)"
    }
}

/// Runs the contract check and fails listing every unexplained difference.
pub fn check(root: &Path) -> Result<()> {
    let differences = contract_differences(root)?;
    if differences.is_empty() {
        eprintln!("every spec agrees with its source documents (or notes why not)");
        return Ok(());
    }
    let mut report = String::new();
    for d in &differences {
        report.push_str(&format!("{}: {}\n", d.document, d.message));
    }
    bail!(
        "{} difference(s) between the specs and their source documents that no `note:` explains:\n{report}\nfix the spec, or add a `note:` to the field (or name the field in its operation's note) saying why it differs",
        differences.len()
    )
}

#[cfg(test)]
mod tests {
    use super::add_to_group;

    #[test]
    fn a_draft_is_added_to_the_lists_of_an_existing_group_file() {
        let existing = "group: g\ntitle: G\noperations:\n  - id: a\n    summary: A\nmodels:\n  - name: M\n    fields: []\n";
        let draft = "# Drafted\ngroup: g\ntitle: T\noperations:\n  - id: b  # page line 3\n    summary: B\nenums:\n  - name: E\n    type: string\n    values: []\n";
        let merged = add_to_group(existing, draft);
        assert_eq!(
            merged,
            // A blank line before the added items, as operations are spaced in the group files.
            "group: g\ntitle: G\noperations:\n  - id: a\n    summary: A\n\n  - id: b  # page line 3\n    summary: B\nmodels:\n  - name: M\n    fields: []\nenums:\n  - name: E\n    type: string\n    values: []\n"
        );
        let empty = add_to_group("group: g\ntitle: G\noperations: []\n", draft);
        assert_eq!(
            empty,
            "group: g\ntitle: G\noperations:\n  - id: b  # page line 3\n    summary: B\nenums:\n  - name: E\n    type: string\n    values: []\n"
        );
    }
}
