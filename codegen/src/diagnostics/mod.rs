//! Errors in specs, reported like compiler errors: file, line, column, what is wrong, what to do.

mod render;

use std::fmt;

use crate::source::NotUtf8;

/// A place in a spec file. Lines and columns start at 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path of the spec file, relative to the workspace root.
    pub file: String,
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One problem in the specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// What to change, when the generator can tell.
    pub help: Option<String>,
    /// Other places involved, such as the first definition of a duplicate.
    pub related: Vec<(Location, String)>,
}

impl Diagnostic {
    /// A diagnostic at `location` with no help or related locations yet.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds a hint on what to change.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint in place, for diagnostics already pushed into a collector.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related location in place, for diagnostics already pushed into a collector.
    pub fn related(&mut self, location: Location, note: impl Into<String>) -> &mut Self {
        self.related.push((location, note.into()));
        self
    }

    /// Adds another place involved, with a note on its part.
    pub fn with_related(mut self, location: Location, note: impl Into<String>) -> Self {
        self.related.push((location, note.into()));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> {}", self.message, self.location)?;
        for (location, note) in &self.related {
            write!(f, "\n  note: {note}\n  --> {location}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, sorted by location.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Pushes `diagnostic` and returns it for adding help or related locations.
    pub fn push_mut(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        let index = self.0.len();
        self.0.push(diagnostic);
        &mut self.0[index]
    }

    /// Appends every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of diagnostics recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostics, in the order they were recorded.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was reported, otherwise every diagnostic in location order.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}\n")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} in the specs", if n == 1 { "" } else { "s" })
    }
}

impl From<NotUtf8> for Diagnostic {
    fn from(err: NotUtf8) -> Self {
        let location = Location {
            file: err.path,
            line: err.line,
            column: err.column,
        };
        let message = format!("the file is not valid UTF-8 (byte 0x{:02X})", err.byte);
        Diagnostic::new(location, message)
            .with_help("save the file as UTF-8; specs may hold any Chinese text in UTF-8")
    }
}
