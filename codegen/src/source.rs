//! A spec file as the generator receives it, and the one way reading it can fail. A leaf:
//! everything else (loading, diagnostics, rendering) builds on it.

use std::fmt;

/// A spec file handed to the generator: its path relative to the workspace root (always with
/// `/` separators, such as `specs/dingtalk/report.yaml`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    /// The file's contents.
    pub text: String,
}

impl SourceFile {
    /// A spec file from its bytes; bytes that are not UTF-8 are an error naming the line and
    /// column of the first bad byte (a [`crate::Diagnostic`] through `From`). Windows line ends
    /// are read as `\n`.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Result<Self, NotUtf8> {
        let path = path.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self {
                path,
                // A lone `\r` also ends a line for the YAML parser; as `\n` it does for editors too.
                text: text.replace("\r\n", "\n").replace('\r', "\n"),
            }),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let before = String::from_utf8_lossy(&bytes[..valid]);
                Err(NotUtf8 {
                    path,
                    line: before.matches('\n').count() + 1,
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                    byte: bytes[valid],
                })
            }
        }
    }
}

/// A spec file whose bytes are not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// Path of the file, relative to the workspace root.
    pub path: String,
    /// Line of the first byte that is not UTF-8, from 1.
    pub line: usize,
    /// Column of that byte, in characters from 1.
    pub column: usize,
    /// The byte.
    pub byte: u8,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: the file is not valid UTF-8 (byte 0x{:02X})",
            self.path, self.line, self.column, self.byte
        )
    }
}

impl std::error::Error for NotUtf8 {}
