//! Lines as this project counts them: only `\n` ends a line (`\r\n` is already `\n` when a
//! file is loaded), the way the diagnostic renderer and `str::lines` count.
//!
//! The two YAML parsers count differently: serde_yaml (libyaml, YAML 1.1) also breaks lines at
//! a lone `\r`, NEL (U+0085), LS (U+2028) and PS (U+2029), and yaml-rust2 at a lone `\r`. Their
//! own line numbers would point past the end of a file that holds such a character, so
//! positions are recomputed here from the offsets the parsers also report.

/// The line and column (both from 1, the column in characters) of the byte offset `index` in
/// `text`. An offset past the end, or inside a character, is moved back to the nearest
/// character boundary.
pub(crate) fn at_byte(text: &str, index: usize) -> (usize, usize) {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    let before = &text[..index];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    (line, before[line_start..].chars().count() + 1)
}

/// Character offsets at which lines start, for turning many character offsets (yaml-rust2's
/// marks) into lines and columns.
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.chars()
                .enumerate()
                .filter(|&(_, c)| c == '\n')
                .map(|(offset, _)| offset + 1),
        );
        Self(starts)
    }

    /// The line and column (both from 1) of the character offset `index`.
    pub(crate) fn at_char(&self, index: usize) -> (usize, usize) {
        let line = self.0.partition_point(|&start| start <= index);
        let start = self.0[line.saturating_sub(1)];
        (line.max(1), index - start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_line_feeds() {
        let text = "a: é\u{2028}b\rc\u{85}\nx: [";
        // After `\n`: line 2; the characters before it on line 1 do not break it.
        assert_eq!(at_byte(text, text.len()), (2, 5));
        assert_eq!(at_byte(text, 0), (1, 1));
        // `é` is two bytes, one column.
        assert_eq!(at_byte(text, "a: é".len()), (1, 5));
        // Inside `é`: back to its start.
        assert_eq!(at_byte(text, "a: ".len() + 1), (1, 4));
        assert_eq!(at_byte(text, 1000), (2, 5));

        let starts = LineStarts::new(text);
        let chars = text.chars().count();
        assert_eq!(starts.at_char(chars), (2, 5));
        assert_eq!(starts.at_char(0), (1, 1));
        assert_eq!(starts.at_char(4), (1, 5));
        // The `\n` itself ends line 1; line 2 starts after it.
        assert_eq!(starts.at_char(9), (1, 10));
        assert_eq!(starts.at_char(10), (2, 1));
    }
}
