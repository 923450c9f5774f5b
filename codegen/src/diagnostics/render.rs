//! Rendering diagnostics like a compiler does, with the offending source line and a marker,
//! through codespan-reporting.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};

use super::{Diagnostic, Diagnostics, Location};
use crate::source::SourceFile;

impl Diagnostics {
    /// Every diagnostic with its source line and a marker under the offending text, followed
    /// by a count. `sources` are the spec files the diagnostics point into; a diagnostic
    /// pointing elsewhere (such as a file that is not UTF-8) is printed without its source.
    pub fn render(&self, sources: &[SourceFile]) -> String {
        let mut files = SimpleFiles::new();
        let ids: Vec<(&str, usize)> = sources
            .iter()
            .map(|s| (s.path.as_str(), files.add(s.path.clone(), s.text.clone())))
            .collect();
        let id_of = |path: &str| ids.iter().find(|(p, _)| *p == path).map(|(_, id)| *id);
        // ASCII frames keep the output readable in any terminal and stable in snapshots.
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut out = String::new();
        for diagnostic in self.iter() {
            let rendered = report(diagnostic, sources, &id_of)
                .and_then(|report| term::emit_into_string(&config, &files, &report).ok());
            match rendered {
                // codespan ends each report with a blank line already.
                Some(text) => out.push_str(&text),
                None => out.push_str(&format!("{diagnostic}\n\n")),
            }
        }
        let n = self.len();
        out.push_str(&format!(
            "{n} error{} in the specs",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

fn report(
    diagnostic: &Diagnostic,
    sources: &[SourceFile],
    id_of: &dyn Fn(&str) -> Option<usize>,
) -> Option<Report<usize>> {
    let Diagnostic {
        location,
        message,
        help,
        related,
    } = diagnostic;
    let primary = label(location, sources, id_of)?;
    let mut labels = vec![Label::primary(primary.0, primary.1)];
    for (place, note) in related {
        if let Some((id, range)) = label(place, sources, id_of) {
            labels.push(Label::secondary(id, range).with_message(note.clone()));
        }
    }
    let notes = help.iter().map(|help| format!("help: {help}")).collect();
    Some(
        Report::error()
            .with_message(message.clone())
            .with_labels(labels)
            .with_notes(notes),
    )
}

/// The byte range of the token starting at a location.
fn label(
    location: &Location,
    sources: &[SourceFile],
    id_of: &dyn Fn(&str) -> Option<usize>,
) -> Option<(usize, std::ops::Range<usize>)> {
    let id = id_of(&location.file)?;
    let text = &sources.iter().find(|s| s.path == location.file)?.text;
    let start = offset(text, location.line, location.column)?;
    let rest = &text[start..];
    let len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
        .map_or(rest.len(), |(i, _)| i)
        .max(rest.chars().next().map_or(0, char::len_utf8));
    Some((id, start..start + len))
}

/// The byte offset of a line and character column (both from 1).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let line_text = &text[line_start..];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or_else(
            || line_text.find('\n').unwrap_or(line_text.len()),
            |(i, _)| i,
        );
    Some(line_start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "a: 公告\nb: x\n";
        assert_eq!(offset(text, 1, 4), Some(3));
        assert_eq!(offset(text, 2, 4), Some("a: 公告\nb: ".len()));
        // A column past the end of the line points at the line's end.
        assert_eq!(offset(text, 2, 40), Some("a: 公告\nb: x".len()));
        assert_eq!(offset(text, 9, 1), None);
    }

    #[test]
    fn renders_the_source_line_with_a_marker() {
        let source = SourceFile {
            path: "specs/x/g.yaml".into(),
            text: "group: g\nbad: Sting\n".into(),
        };
        let mut diagnostics = Diagnostics::default();
        let location = Location {
            file: source.path.clone(),
            line: 2,
            column: 6,
        };
        diagnostics.push(
            Diagnostic::new(location, "unknown type `Sting`").with_help("did you mean `string`?"),
        );
        let text = diagnostics.render(&[source]);
        assert!(text.contains("error: unknown type `Sting`"), "{text}");
        assert!(text.contains("specs/x/g.yaml:2:6"), "{text}");
        assert!(text.contains("bad: Sting"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("= help: did you mean `string`?"), "{text}");
    }
}
