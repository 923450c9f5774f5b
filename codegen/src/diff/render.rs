//! The report of a [`SpecDiff`] as terminal text or as Markdown for a pull-request comment,
//! both rendered by minijinja from templates in `codegen/templates/`.

use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;

use super::{Change, ChangeKind, SpecDiff, Target, Verdict};

const TEXT_TEMPLATE: &str = include_str!("../../templates/diff.txt.j2");
const MARKDOWN_TEMPLATE: &str = include_str!("../../templates/diff.md.j2");

/// A report template failed to render; a bug in the generator, not in the specs.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the spec diff (a generator bug): {0}")]
pub struct RenderError(#[from] minijinja::Error);

/// The report for a terminal. `base` names what the specs were compared with (`HEAD`).
pub fn render_text(diff: &SpecDiff, base: &str) -> Result<String, RenderError> {
    render("diff.txt", TEXT_TEMPLATE, diff, base)
}

/// The report as Markdown, for a pull-request comment.
pub fn render_markdown(diff: &SpecDiff, base: &str) -> Result<String, RenderError> {
    render("diff.md", MARKDOWN_TEMPLATE, diff, base)
}

fn render(name: &str, template: &str, diff: &SpecDiff, base: &str) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags sit on lines of their own in the templates; they leave no blank lines.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("cell", markdown_cell);
    env.add_template(name, template)?;
    let rendered = env
        .get_template(name)?
        .render(context! { report => report_view(diff, base) })?;
    Ok(format!("{}\n", rendered.trim_end()))
}

/// Text safe inside a Markdown table cell: a `|` would end the cell, a newline the row.
fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[derive(Serialize)]
struct ReportView {
    base: String,
    breaking: usize,
    compatible: usize,
    platforms: Vec<PlatformView>,
}

#[derive(Serialize)]
struct PlatformView {
    module: String,
    breaking: usize,
    compatible: usize,
    subjects: Vec<SubjectView>,
}

#[derive(Serialize)]
struct SubjectView {
    title: String,
    changes: Vec<ChangeView>,
}

#[derive(Serialize)]
struct ChangeView {
    breaking: bool,
    /// `request `size`: limit `max` tightened`.
    what: String,
    /// `` `100` -> `50` ``, or empty.
    values: String,
    reason: String,
}

fn report_view(diff: &SpecDiff, base: &str) -> ReportView {
    let platforms = diff
        .platforms
        .iter()
        .map(|p| {
            let verdicts = || {
                p.subjects
                    .iter()
                    .flat_map(|s| &s.changes)
                    .map(|c| c.verdict)
            };
            PlatformView {
                module: p.platform.clone(),
                breaking: verdicts().filter(|v| *v == Verdict::Breaking).count(),
                compatible: verdicts().filter(|v| *v == Verdict::Compatible).count(),
                subjects: p
                    .subjects
                    .iter()
                    .map(|s| SubjectView {
                        title: s.subject.to_string(),
                        changes: s.changes.iter().map(change_view).collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    ReportView {
        base: base.to_owned(),
        breaking: diff.breaking_count(),
        compatible: diff.compatible_count(),
        platforms,
    }
}

fn change_view(change: &Change) -> ChangeView {
    let what = match &change.target {
        Target::Itself => change.headline(),
        target => format!("{target}: {}", change.headline()),
    };
    ChangeView {
        breaking: change.verdict == Verdict::Breaking,
        what,
        values: values(change),
        reason: change.reason.clone(),
    }
}

/// The values worth showing: both sides of a change, or the side that exists.
fn values(change: &Change) -> String {
    match (&change.old, &change.new, change.kind) {
        (Some(old), Some(new), _) => format!("{old} -> {new}"),
        (None, Some(new), ChangeKind::Added) => new.clone(),
        (Some(old), None, ChangeKind::Removed) => old.clone(),
        (Some(old), None, _) => format!("{old} -> none"),
        (None, Some(new), _) => format!("none -> {new}"),
        (None, None, _) => String::new(),
    }
}
