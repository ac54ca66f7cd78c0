//! Line index: maps byte offsets in a document's text to 1-based line and column numbers.
//!
//! Lines end at `\n`, at `\r\n`, and at a lone `\r` (XML's end-of-line rules), so a file with
//! old Mac line endings still reports the line a text editor shows. Columns count characters,
//! not bytes. A large text is searched for line ends in chunks, on the pool of
//! [`crate::parallel`].

/// A 1-based line and column (in characters) in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters (not bytes).
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Offsets of the first byte of every line.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// For every block of `1 << BLOCK_BITS` bytes, the line its first byte is on: a lookup
    /// then searches the few lines of one block instead of millions.
    blocks: Vec<u32>,
}

/// From which size a text's lines are searched in chunks on the pool of [`crate::parallel`].
const PARALLEL_FROM: usize = 4 << 20;

/// How many bytes one task of that search takes.
const CHUNK_LEN: usize = 1 << 20;

/// The offset of every line of `bytes`, ended by `\n`, `\r\n` or a lone `\r`.
fn line_starts(bytes: &[u8]) -> Vec<u32> {
    line_starts_by(bytes, chunk_len(bytes))
}

/// Like [`line_starts`], found from the `\n`s alone (half the stops in a CRLF file); `None`
/// when a line ends at a lone `\r`.
fn line_starts_at_newlines(bytes: &[u8]) -> Option<Vec<u32>> {
    line_starts_at_newlines_by(bytes, chunk_len(bytes))
}

/// The length of the chunks `bytes` is searched in: all of it when it is small.
fn chunk_len(bytes: &[u8]) -> usize {
    if bytes.len() < PARALLEL_FROM {
        bytes.len().max(1)
    } else {
        CHUNK_LEN
    }
}

/// [`line_starts`], searching chunks of `chunk_len` bytes at once.
fn line_starts_by(bytes: &[u8], chunk_len: usize) -> Vec<u32> {
    let parts = crate::parallel::map(&chunks(bytes.len(), chunk_len), |range| {
        let mut starts = Vec::with_capacity(range.len() / 40 + 1);
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[range.clone()]) {
            let i = range.start + i;
            // In "\r\n" the line ends at the '\n' (which may begin the next chunk).
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push((i + 1) as u32);
        }
        starts
    });
    after_first_line(parts)
}

/// [`line_starts_at_newlines`], searching chunks of `chunk_len` bytes at once.
fn line_starts_at_newlines_by(bytes: &[u8], chunk_len: usize) -> Option<Vec<u32>> {
    // Per chunk: the line starts after its `\n`s, its `\r`s, and the `\n`s preceded by a
    // `\r` (counted where the `\n` is, so a pair split by a chunk boundary still counts).
    let parts = crate::parallel::map(&chunks(bytes.len(), chunk_len), |range| {
        let returns = memchr::memchr_iter(b'\r', &bytes[range.clone()]).count();
        let mut starts = Vec::with_capacity(range.len() / 40 + 1);
        let mut crlf = 0;
        for i in memchr::memchr_iter(b'\n', &bytes[range.clone()]) {
            let i = range.start + i;
            if i > 0 && bytes[i - 1] == b'\r' {
                crlf += 1;
            }
            starts.push((i + 1) as u32);
        }
        (starts, returns, crlf)
    });
    let returns: usize = parts.iter().map(|(_, returns, _)| returns).sum();
    let crlf: usize = parts.iter().map(|(_, _, crlf)| crlf).sum();
    (crlf == returns).then(|| after_first_line(parts.into_iter().map(|(s, _, _)| s).collect()))
}

/// `0..len` cut into ranges of `chunk_len` bytes (one empty range for an empty text).
fn chunks(len: usize, chunk_len: usize) -> Vec<std::ops::Range<usize>> {
    let chunk_len = chunk_len.max(1);
    let mut ranges: Vec<_> = (0..len)
        .step_by(chunk_len)
        .map(|start| start..(start + chunk_len).min(len))
        .collect();
    if ranges.is_empty() {
        ranges.push(0..0);
    }
    ranges
}

/// The first line's start (0), then the starts found in each chunk, in order.
fn after_first_line(parts: Vec<Vec<u32>>) -> Vec<u32> {
    let mut starts = Vec::with_capacity(1 + parts.iter().map(Vec::len).sum::<usize>());
    starts.push(0u32);
    for part in parts {
        starts.extend(part);
    }
    starts
}

/// Block size (as a power of two) of [`LineIndex`]'s coarse table.
const BLOCK_BITS: u32 = 12;

impl LineIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let starts = match line_starts_at_newlines(bytes) {
            Some(starts) => starts,
            None => line_starts(bytes),
        };
        let mut blocks = Vec::with_capacity((bytes.len() >> BLOCK_BITS) + 1);
        let mut line = 0u32;
        for block in 0..=(bytes.len() >> BLOCK_BITS) {
            let offset = (block << BLOCK_BITS) as u32;
            while starts.get(line as usize + 1).is_some_and(|s| *s <= offset) {
                line += 1;
            }
            blocks.push(line);
        }
        LineIndex { starts, blocks }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: u32) -> usize {
        let block = (offset >> BLOCK_BITS) as usize;
        let (from, to) = match (self.blocks.get(block), self.blocks.get(block + 1)) {
            (Some(from), Some(to)) => (*from as usize, *to as usize + 1),
            _ => (0, self.starts.len()),
        };
        let window = &self.starts[from..to.min(self.starts.len())];
        match window.binary_search(&offset) {
            Ok(i) => from + i,
            Err(i) => (from + i).saturating_sub(1),
        }
    }

    /// Number of lines (a file without a final newline still has its last line counted).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    /// Offsets past the end map to the end; an offset inside a multi-byte character counts
    /// that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset as u32);
        let start = self.starts.get(line).copied().unwrap_or(0) as usize;
        position_at(text, line, start, offset)
    }

    /// Like [`LineIndex::position`], found by scanning the text before `offset`, without an
    /// index: for offsets near the start of a text.
    pub fn scan_position(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let bytes = text.as_bytes();
        let (mut line, mut start) = (0usize, 0usize);
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[..offset]) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            line += 1;
            start = i + 1;
        }
        position_at(text, line, start, offset)
    }

    /// Byte range of 1-based line `line` in `text`, without its line ending.
    pub fn line_span(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)? as usize;
        let mut end = self
            .starts
            .get(i + 1)
            .map(|s| *s as usize)
            .unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Some(start..end)
    }
}

/// The position of `offset`, on 0-based line `line` starting at byte `start`.
fn position_at(text: &str, line: usize, start: usize, offset: usize) -> Position {
    let column = text
        .get(start..offset)
        .map(|s| s.chars().count())
        .unwrap_or_else(|| {
            text.as_bytes()[start..offset]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count()
        });
    Position {
        line: line as u32 + 1,
        column: column as u32 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (u32, u32) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.column)
    }

    #[test]
    fn newlines_alone_find_the_lines_unless_a_lone_cr_ends_one() {
        for text in [
            "",
            "a",
            "a\nb\n",
            "a\r\nb\r\n\r\nc",
            "\r\n\n\r\n",
            "é\r\nü\n",
        ] {
            assert_eq!(
                line_starts_at_newlines(text.as_bytes()),
                Some(line_starts(text.as_bytes())),
                "{text:?}"
            );
        }
        for text in ["a\rb", "a\r\nb\r", "\r", "a\n\rb\r\n"] {
            assert_eq!(line_starts_at_newlines(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn chunks_of_any_length_find_the_lines_of_one_search() {
        for text in [
            "",
            "a",
            "a\r\nb\r\n\r\nc",
            "\r\n\n\r\n",
            "a\rb",
            "a\n\rb\r\n",
            "é\r\nü\n",
        ] {
            let bytes = text.as_bytes();
            for chunk_len in 1..=bytes.len().max(1) {
                assert_eq!(
                    line_starts_by(bytes, chunk_len),
                    line_starts(bytes),
                    "{text:?}"
                );
                assert_eq!(
                    line_starts_at_newlines_by(bytes, chunk_len),
                    line_starts_at_newlines(bytes),
                    "{text:?} by {chunk_len}"
                );
            }
        }
    }

    #[test]
    fn counts_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(pos(text, 0), (1, 1));
        assert_eq!(pos(text, 2), (2, 1));
        assert_eq!(pos(text, 5), (3, 1));
        assert_eq!(pos(text, 7), (4, 1));
        assert_eq!(LineIndex::new(text).line_count(), 4);
    }

    #[test]
    fn positions_agree_with_a_plain_search_across_blocks() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&"x".repeat(i % 97));
            text.push_str(["\n", "\r\n", "\r"][i % 3]);
        }
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(7).chain([text.len()]) {
            let plain = match index.starts.binary_search(&(offset as u32)) {
                Ok(i) => i,
                Err(i) => i - 1,
            };
            assert_eq!(index.line_of(offset as u32), plain, "offset {offset}");
            assert_eq!(
                LineIndex::scan_position(&text, offset),
                index.position(&text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(
            index.position(&text, text.len()).line as usize,
            index.line_count()
        );
    }

    #[test]
    fn columns_count_characters() {
        let text = "<a b=\"é€\" c=\"1\"/>";
        let offset = text.find('c').unwrap();
        assert_eq!(pos(text, offset), (1, 11));
    }

    #[test]
    fn line_span_strips_line_ending() {
        let text = "one\r\ntwo\n";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_span(text, 2).unwrap()], "two");
        assert_eq!(&text[index.line_span(text, 1).unwrap()], "one");
    }
}
