//! A key path -> source position index for one YAML file.
//!
//! serde_yaml reports positions only for syntax and shape errors. Semantic errors (an unknown
//! type name, a duplicate operation id) are found later, on the deserialized structs, so the
//! loader also walks the file's events with yaml-rust2, which keeps marks, and remembers where
//! each value starts under a path such as `operations[2].body[0].type`.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::lines::LineStarts;

/// Value positions (line, column; both from 1) by key path.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    values: BTreeMap<String, (usize, usize)>,
}

impl Positions {
    /// Indexes `text`. A file that does not parse yields whatever was indexed before the
    /// syntax error; serde_yaml reports the error itself.
    pub fn index(text: &str) -> Self {
        let mut builder = Builder {
            stack: Vec::new(),
            values: BTreeMap::new(),
            lines: LineStarts::new(text),
        };
        let mut parser = Parser::new_from_str(text);
        // The result is ignored on purpose: syntax errors are reported by the serde pass.
        let _ = parser.load(&mut builder, false);
        Self {
            values: builder.values,
        }
    }

    /// The position of `path`, or of its nearest indexed ancestor, or the top of the file.
    pub fn find(&self, path: &str) -> (usize, usize) {
        let mut path = path;
        loop {
            if let Some(position) = self.values.get(path) {
                return *position;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.values.get("").copied().unwrap_or((1, 1)),
            }
        }
    }
}

enum Frame {
    /// `positioned` turns true once the mapping's position is known: yaml-rust2 marks a block
    /// mapping's start after its first key, so the first key's own mark is used instead.
    Map {
        path: String,
        key: Option<String>,
        positioned: bool,
    },
    Seq {
        path: String,
        next: usize,
    },
}

struct Builder {
    stack: Vec<Frame>,
    values: BTreeMap<String, (usize, usize)>,
    lines: LineStarts,
}

impl Builder {
    /// The path of the value that starts now, advancing the parent frame past it. Returns
    /// `None` when the scalar is a mapping key rather than a value.
    fn value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let item = format!("{path}[{next}]");
                *next += 1;
                Some(item)
            }
            Some(Frame::Map { path, key, .. }) => key.take().map(|key| {
                if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                }
            }),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        // From the mark's character offset: yaml-rust2's own line numbers also count a lone
        // `\r` as a line break, which this project does not (see `lines`).
        let position = self.lines.at_char(mark.index());
        match event {
            Event::Scalar(text, ..) => match self.value_path() {
                Some(path) => {
                    self.values.entry(path).or_insert(position);
                }
                None => {
                    if let Some(Frame::Map {
                        path,
                        key,
                        positioned,
                    }) = self.stack.last_mut()
                    {
                        if !*positioned {
                            *positioned = true;
                            self.values.insert(path.clone(), position);
                        }
                        *key = Some(text);
                    }
                }
            },
            Event::Alias(_) => {
                self.value_path();
            }
            Event::MappingStart(..) => {
                let path = self.value_path().unwrap_or_default();
                self.values.entry(path.clone()).or_insert(position);
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    positioned: false,
                });
            }
            Event::SequenceStart(..) => {
                let path = self.value_path().unwrap_or_default();
                self.values.entry(path.clone()).or_insert(position);
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_nested_paths() {
        let text =
            "group: g\noperations:\n  - id: a\n    body:\n      - name: x\n        type: Sting\n";
        let positions = Positions::index(text);
        assert_eq!(positions.find("group"), (1, 8));
        assert_eq!(positions.find("operations[0].id"), (3, 9));
        assert_eq!(positions.find("operations[0].body[0].type"), (6, 15));
        // An unknown path falls back to its nearest ancestor.
        assert_eq!(positions.find("operations[0].body[0].limits.max"), (5, 9));
    }
}
