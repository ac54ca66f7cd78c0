//! An open document's text and the conversion between byte offsets and LSP positions, in
//! the position encoding negotiated at initialisation (UTF-16 code units, LSP's default, or
//! UTF-8 bytes), so that a line with non-ASCII text still underlines the right value.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// How a position's `character` counts: UTF-16 code units or UTF-8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// UTF-8 bytes (when the client offers `utf-8` in `general.positionEncodings`).
    Utf8,
}

/// The text of an open document with its line starts.
#[derive(Clone, Debug)]
pub struct Text {
    text: String,
    /// Byte offset of the start of each line (the first is 0); `u32` keeps the index of a
    /// large document small (a text past 4 GiB is not an editor's document).
    starts: Vec<u32>,
}

impl Text {
    /// Text with its line starts indexed.
    pub fn new(text: String) -> Text {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Text { text, starts }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text of line `line` (0-based), without its line ending.
    fn line(&self, line: usize) -> &str {
        let start = self.start(line).unwrap_or(self.text.len());
        let end = self.start(line + 1).unwrap_or(self.text.len());
        let raw = self.text.get(start..end).unwrap_or("");
        raw.trim_end_matches(['\n', '\r'])
    }

    /// The byte offset where line `line` (0-based) starts.
    fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|s| *s as usize)
    }

    /// The position of byte `offset` (clamped to the text, and back to a character start).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s as usize <= offset)
            .saturating_sub(1);
        let start = self.start(line).unwrap_or(0);
        let before = self.text.get(start..offset).unwrap_or("");
        Position::new(line as u32, units(before, encoding))
    }

    /// The byte offset of `position`; a position past the end of its line is the line's
    /// end, a line past the end of the text is the text's end.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let Some(start) = self.start(position.line as usize) else {
            return self.text.len();
        };
        let line = self.line(position.line as usize);
        let mut counted = 0u32;
        for (i, c) in line.char_indices() {
            if counted >= position.character {
                return start + i;
            }
            counted += match encoding {
                Encoding::Utf16 => c.len_utf16() as u32,
                Encoding::Utf8 => c.len_utf8() as u32,
            };
        }
        start + line.len()
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(
            self.position(start, encoding),
            self.position(end.max(start), encoding),
        )
    }

    /// The position of 1-based `line` and 1-based `column` counted in characters (the
    /// form of a finding's place).
    pub fn char_position(&self, line: u32, column: u32, encoding: Encoding) -> Position {
        let index = line.saturating_sub(1) as usize;
        let text = self.line(index);
        let chars = column.saturating_sub(1) as usize;
        let prefix_len = text
            .char_indices()
            .nth(chars)
            .map_or(text.len(), |(i, _)| i);
        let prefix = text.get(..prefix_len).unwrap_or(text);
        Position::new(index as u32, units(prefix, encoding))
    }

    /// Applies one change of `textDocument/didChange`: a range replaced, or the whole text
    /// when the change has no range.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) {
        let text = match change.range {
            None => change.text,
            Some(range) => {
                let start = self.offset(range.start, encoding);
                let end = self.offset(range.end, encoding).max(start);
                let mut text = std::mem::take(&mut self.text);
                text.replace_range(start..end, &change.text);
                text
            }
        };
        *self = Text::new(text);
    }
}

/// How many units `text` counts in `encoding`.
fn units(text: &str, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => text.len() as u32,
        Encoding::Utf16 => text.chars().map(|c| c.len_utf16() as u32).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_positions_of_a_line_with_non_ascii_text() {
        // "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 units.
        let text = Text::new("<a>\n<b x=\"é𝄞\" y=\"1\"/>\r\n".to_string());
        let y = text.as_str().find("y=").unwrap();
        assert_eq!(text.position(y, Encoding::Utf16), Position::new(1, 11));
        assert_eq!(text.position(y, Encoding::Utf8), Position::new(1, 14));
        assert_eq!(text.offset(Position::new(1, 11), Encoding::Utf16), y);
        assert_eq!(text.offset(Position::new(1, 14), Encoding::Utf8), y);
        assert_eq!(
            text.char_position(2, 11, Encoding::Utf16),
            Position::new(1, 11)
        );
        // Past the end of a line: the line's end, before its CR LF.
        let end = text.as_str().find("\r\n").unwrap();
        assert_eq!(text.offset(Position::new(1, 99), Encoding::Utf16), end);
        assert_eq!(
            text.offset(Position::new(9, 0), Encoding::Utf16),
            text.as_str().len()
        );
    }

    #[test]
    fn incremental_changes_replace_their_range() {
        let mut text = Text::new("<a>\n  <b/>\n</a>\n".to_string());
        text.apply(
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(1, 3), Position::new(1, 4))),
                range_length: None,
                text: "ccc x=\"ü\"".to_string(),
            },
            Encoding::Utf16,
        );
        assert_eq!(text.as_str(), "<a>\n  <ccc x=\"ü\"/>\n</a>\n");
        assert_eq!(text.position(17, Encoding::Utf16), Position::new(1, 12));
        text.apply(
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "x".to_string(),
            },
            Encoding::Utf16,
        );
        assert_eq!(text.as_str(), "x");
    }
}
