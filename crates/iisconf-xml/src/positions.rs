//! Where things are in a document's original text: line and column of an offset, the text
//! of a line, the newline in use. The line index is built the first time it is needed.

use crate::lines::{LineIndex, Position};
use crate::node::NodeId;
use crate::Document;

/// Up to which byte offset a position is found by scanning when the line index of a large
/// text is not built yet.
const SCAN_POSITIONS_UP_TO: usize = 64 << 10;

/// From which text size positions near the start are scanned rather than indexed (a small
/// text is indexed at once: many positions may follow).
const INDEX_LARGER_THAN: usize = 4 << 20;

impl Document {
    /// The line and column of a byte offset of the original text.
    pub fn position(&self, offset: usize) -> Position {
        match self.lines.get() {
            Some(index) => index.position(self.source(), offset),
            // Near the start of a large text, scanning is cheaper than indexing all of it
            // (a small text is indexed: many positions may follow).
            None if offset <= SCAN_POSITIONS_UP_TO && self.source().len() >= INDEX_LARGER_THAN => {
                LineIndex::scan_position(self.source(), offset)
            }
            None => self.line_index().position(self.source(), offset),
        }
    }

    /// The text of 1-based line `line` of the original, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let text = self.source();
        let span = match self.lines.get() {
            Some(index) => index.line_span(text, line),
            // A line near the start of a large text is found by scanning, as its positions
            // are: the one finding of a large file does not index all of it.
            None if text.len() >= INDEX_LARGER_THAN => {
                LineIndex::scan_line_span(text, line, SCAN_POSITIONS_UP_TO)
                    .or_else(|| self.line_index().line_span(text, line))
            }
            None => self.line_index().line_span(text, line),
        };
        span.and_then(|r| text.get(r))
    }

    /// The newline sequence the document uses most (`\r\n` or `\n`).
    pub fn newline(&self) -> &'static str {
        self.newline.get_or_init(|| {
            let bytes = self.source().as_bytes();
            let (mut lf, mut crlf) = (0usize, 0usize);
            for i in memchr::memchr_iter(b'\n', bytes) {
                if i > 0 && bytes[i - 1] == b'\r' {
                    crlf += 1;
                } else {
                    lf += 1;
                }
            }
            if crlf > lf {
                "\r\n"
            } else {
                "\n"
            }
        })
    }

    /// The line index of the original text, built on first use.
    fn line_index(&self) -> &LineIndex {
        if let Some(index) = self.lines.get() {
            return index;
        }
        // Built before the cell is entered: a large text is searched on the shared pool,
        // whose threads may meanwhile take other work that asks for this index, and a cell
        // being filled must not be entered again. Threads that race both build it; the
        // first one kept is used by all.
        let index = LineIndex::new(self.source());
        self.lines.get_or_init(|| index)
    }

    /// The start position of a node, when it comes from the source.
    pub fn node_position(&self, id: NodeId) -> Option<Position> {
        self.span(id).map(|s| self.position(s.start))
    }
}
