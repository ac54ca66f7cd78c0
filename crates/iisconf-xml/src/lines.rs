//! Line index: maps byte offsets in a document's text to 1-based line and column numbers.
//!
//! Lines end at `\n`, at `\r\n`, and at a lone `\r` (XML's end-of-line rules), so a file with
//! old Mac line endings still reports the line a text editor shows. Columns count characters,
//! not bytes. The lines of a text are counted per chunk (on the pool of [`crate::parallel`]
//! for a large text) and listed per chunk only where a position is asked for.

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

/// Where the lines of a text start: for every chunk of the text, how many lines end before
/// it (counted at once, on the pool for a large text), and the offsets of the lines that
/// start in it, found the first time a position in that chunk is asked for. Positions are
/// mostly asked near each other, so a large text's lines are mostly never listed.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// The text's length in bytes.
    len: usize,
    /// How many bytes a chunk holds at most.
    chunk_len: usize,
    /// Where each chunk starts, then one more entry: the text's length. Chunks are
    /// `chunk_len` long but where an index made like another's ([`LineIndex::like`]) joins
    /// what it took over to what it counted.
    bounds: Vec<u32>,
    /// Per chunk: how many lines end before its first byte (the 0-based line it starts on),
    /// then one more entry: how many lines end in the whole text.
    ends_before: Vec<u32>,
    /// Per chunk: the start of the line its first byte is on, then one more entry: the
    /// start of the last line.
    first_line_start: Vec<u32>,
    /// Per chunk: the offsets of the lines that start after a line end in it, on first use.
    starts: Vec<std::sync::OnceLock<Vec<u32>>>,
}

/// From which size a text's chunks are counted on the pool of [`crate::parallel`].
const PARALLEL_FROM: usize = 4 << 20;

/// How many bytes one chunk holds: the lines of one chunk are listed at a time.
const CHUNK_LEN: usize = 64 << 10;

/// Whether the byte at `i` ends a line: `\n`, or `\r` not followed by `\n`.
fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// How many lines end in `range` of `bytes`, and where the last one ends.
fn count_ends(bytes: &[u8], range: std::ops::Range<usize>) -> (u32, Option<usize>) {
    let chunk = &bytes[range.clone()];
    let newlines = memchr::memchr_iter(b'\n', chunk).count();
    let mut ends = newlines;
    // A `\r` ends a line unless a `\n` follows (which may begin the next chunk).
    if memchr::memchr(b'\r', chunk).is_some() {
        ends += memchr::memchr_iter(b'\r', chunk)
            .filter(|i| ends_line(bytes, range.start + i))
            .count();
    }
    let last = memchr::memrchr2_iter(b'\n', b'\r', chunk)
        .map(|i| range.start + i)
        .find(|i| ends_line(bytes, *i));
    (ends as u32, last)
}

/// [`count_ends`] of each of `ranges`, on the pool when they span a large text.
fn count_each(bytes: &[u8], ranges: &[std::ops::Range<usize>]) -> Vec<(u32, Option<usize>)> {
    let spanned = ranges.last().map_or(0, |r| r.end) - ranges.first().map_or(0, |r| r.start);
    if spanned >= PARALLEL_FROM {
        crate::parallel::map(ranges, |r| count_ends(bytes, r.clone()))
    } else {
        ranges
            .iter()
            .map(|r| count_ends(bytes, r.clone()))
            .collect()
    }
}

/// The offsets of the lines that start after a line end in `range` of `bytes`.
fn starts_in(bytes: &[u8], range: std::ops::Range<usize>) -> Vec<u32> {
    memchr::memchr2_iter(b'\n', b'\r', &bytes[range.clone()])
        .map(|i| range.start + i)
        .filter(|i| ends_line(bytes, *i))
        .map(|i| (i + 1) as u32)
        .collect()
}

/// `from..to` cut into ranges of `chunk_len` bytes.
fn chunks(from: usize, to: usize, chunk_len: usize) -> Vec<std::ops::Range<usize>> {
    let chunk_len = chunk_len.max(1);
    (from..to)
        .step_by(chunk_len)
        .map(|start| start..(start + chunk_len).min(to))
        .collect()
}

impl LineIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> LineIndex {
        LineIndex::with_chunks(text, CHUNK_LEN)
    }

    /// Builds the index for `text` with chunks of `chunk_len` bytes.
    fn with_chunks(text: &str, chunk_len: usize) -> LineIndex {
        let bytes = text.as_bytes();
        let ranges = chunks(0, bytes.len(), chunk_len);
        let counted = count_each(bytes, &ranges);
        LineIndex::from_counts(bytes.len(), chunk_len, &ranges, counted)
    }

    /// The index of `text`, which is the text `earlier` indexes with its bytes from
    /// `same_start` on to `same_end` bytes before its end replaced: the chunks that lie in
    /// the bytes the two share at their start and at their end (and whose line ends a
    /// byte after them does not change) are taken over, moved, and only the others are
    /// counted.
    pub(crate) fn like(
        earlier: &LineIndex,
        text: &str,
        same_start: usize,
        same_end: usize,
    ) -> LineIndex {
        let bytes = text.as_bytes();
        let chunk_count = earlier.chunk_count();
        let bound = |i: usize| earlier.bounds.get(i).map_or(earlier.len, |b| *b as usize);
        let delta = text.len() as i64 - earlier.len as i64;
        let moved = |at: usize| (at as i64 + delta) as usize;
        let head = (0..chunk_count)
            .take_while(|i| bound(i + 1) < same_start)
            .count();
        let shared_end_from = earlier.len.saturating_sub(same_end);
        let tail = (head..chunk_count)
            .find(|i| bound(*i) >= shared_end_from)
            .unwrap_or(chunk_count);
        let counted_to = if tail < chunk_count {
            moved(bound(tail))
        } else {
            text.len()
        };
        let mut ranges: Vec<_> = (0..head).map(|i| bound(i)..bound(i + 1)).collect();
        let mut counted: Vec<_> = (0..head).map(|i| earlier.counted(i, 0)).collect();
        let middle = chunks(bound(head), counted_to, earlier.chunk_len);
        counted.extend(count_each(bytes, &middle));
        ranges.extend(middle);
        for i in tail..chunk_count {
            ranges.push(moved(bound(i))..moved(bound(i + 1)));
            counted.push(earlier.counted(i, delta));
        }
        LineIndex::from_counts(text.len(), earlier.chunk_len, &ranges, counted)
    }

    /// The index of a text of `len` bytes cut into `ranges`, given how many lines end in
    /// each and where the last one ends.
    fn from_counts(
        len: usize,
        chunk_len: usize,
        ranges: &[std::ops::Range<usize>],
        counted: Vec<(u32, Option<usize>)>,
    ) -> LineIndex {
        let chunk_count = ranges.len().max(1);
        let mut bounds = Vec::with_capacity(chunk_count + 1);
        let mut ends_before = Vec::with_capacity(chunk_count + 1);
        let mut first_line_start = Vec::with_capacity(chunk_count + 1);
        let (mut ends, mut line_start) = (0u32, 0u32);
        for (range, (count, last)) in ranges.iter().zip(counted) {
            bounds.push(range.start as u32);
            ends_before.push(ends);
            first_line_start.push(line_start);
            ends += count;
            if let Some(last) = last {
                line_start = (last + 1) as u32;
            }
        }
        if bounds.is_empty() {
            // An empty text: one empty chunk.
            bounds.push(0);
            ends_before.push(0);
            first_line_start.push(0);
        }
        bounds.push(len as u32);
        ends_before.push(ends);
        first_line_start.push(line_start);
        let starts = (0..chunk_count)
            .map(|_| std::sync::OnceLock::new())
            .collect();
        LineIndex {
            len,
            chunk_len: chunk_len.max(1),
            bounds,
            ends_before,
            first_line_start,
            starts,
        }
    }

    /// How many chunks the text is cut into.
    fn chunk_count(&self) -> usize {
        self.starts.len()
    }

    /// How many lines end in chunk `chunk` and where the last one ends, `delta` bytes
    /// later.
    fn counted(&self, chunk: usize, delta: i64) -> (u32, Option<usize>) {
        let ends = |i: usize| self.ends_before.get(i).copied().unwrap_or(0);
        let count = ends(chunk + 1) - ends(chunk);
        let last = (count > 0)
            .then(|| self.first_line_start.get(chunk + 1))
            .flatten()
            .map(|next| (*next as i64 - 1 + delta) as usize);
        (count, last)
    }

    /// The line starts of chunk `chunk` of `text`.
    fn starts_of(&self, text: &str, chunk: usize) -> &[u32] {
        match self.starts.get(chunk) {
            Some(cell) => cell.get_or_init(|| {
                let bound = |i: usize| self.bounds.get(i).map_or(self.len, |b| *b as usize);
                let to = bound(chunk + 1).min(text.len());
                starts_in(text.as_bytes(), bound(chunk).min(to)..to)
            }),
            None => &[],
        }
    }

    /// The 0-based line holding byte `offset` of `text`, and where that line starts.
    fn line_of(&self, text: &str, offset: usize) -> (usize, usize) {
        let chunk = self
            .bounds
            .partition_point(|b| *b as usize <= offset)
            .saturating_sub(1)
            .min(self.chunk_count().saturating_sub(1));
        let before = self.ends_before.get(chunk).copied().unwrap_or(0) as usize;
        let first = self.first_line_start.get(chunk).copied().unwrap_or(0) as usize;
        let starts = self.starts_of(text, chunk);
        // The line starts in this chunk at or before `offset`.
        let upto = starts.partition_point(|s| *s as usize <= offset);
        match upto.checked_sub(1).and_then(|i| starts.get(i)) {
            Some(start) => (before + upto, *start as usize),
            None => (before, first),
        }
    }

    /// Number of lines (a file without a final newline still has its last line counted).
    pub fn line_count(&self) -> usize {
        self.ends_before.last().copied().unwrap_or(0) as usize + 1
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    /// Offsets past the end map to the end; an offset inside a multi-byte character counts
    /// that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let (line, start) = self.line_of(text, offset);
        position_at(text, line, start.min(offset), offset)
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

    /// The offset where 0-based line `line` of `text` starts.
    fn line_start(&self, text: &str, line: usize) -> Option<usize> {
        if line == 0 {
            return Some(0);
        }
        if line >= self.line_count() {
            return None;
        }
        // The chunk holding the end of line `line - 1`: the last one with fewer ends before it.
        let chunk = self
            .ends_before
            .partition_point(|e| (*e as usize) < line)
            .checked_sub(1)?;
        let before = *self.ends_before.get(chunk)? as usize;
        self.starts_of(text, chunk)
            .get(line - before - 1)
            .map(|s| *s as usize)
    }

    /// Like [`LineIndex::line_span`], found by scanning `text` from its start, without an
    /// index: `None` when the line does not start within the first `within` bytes.
    pub fn scan_line_span(text: &str, line: u32, within: usize) -> Option<std::ops::Range<usize>> {
        let bytes = text.as_bytes();
        let ends_from = |from: usize| {
            memchr::memchr2_iter(b'\n', b'\r', bytes.get(from..).unwrap_or_default())
                .map(move |i| from + i)
                .filter(|i| ends_line(bytes, *i))
        };
        let start = match (line as usize).checked_sub(1)? {
            0 => 0,
            before => ends_from(0).take_while(|i| *i < within).nth(before - 1)? + 1,
        };
        let next = ends_from(start).next().map_or(bytes.len(), |i| i + 1);
        Some(without_line_end(bytes, start, next))
    }

    /// Byte range of 1-based line `line` in `text`, without its line ending.
    pub fn line_span(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let i = (line as usize).checked_sub(1)?;
        let start = self.line_start(text, i)?;
        let next = self.line_start(text, i + 1).unwrap_or(text.len());
        Some(without_line_end(text.as_bytes(), start, next))
    }
}

/// The line from `start` to where the next one starts (`next`), without its line ending.
fn without_line_end(bytes: &[u8], start: usize, next: usize) -> std::ops::Range<usize> {
    let mut end = next;
    while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    start..end
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

    #[test]
    fn a_line_scanned_from_the_start_is_the_line_the_index_gives() {
        let texts = [
            "",
            "one",
            "a\nb\r\nc\rd\n",
            "\n\n\r\r\n x \r",
            "<a>\r\n  <b c=\"é\" />\r\n</a>",
            "tail without newline\nlast",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            for line in 0..=index.line_count() as u32 + 2 {
                assert_eq!(
                    LineIndex::scan_line_span(text, line, text.len()),
                    index.line_span(text, line),
                    "line {line} of {text:?}"
                );
            }
        }
        // A line that starts past the bytes to scan is left to the index.
        assert_eq!(LineIndex::scan_line_span("a\nb\nc", 3, 3), None);
        assert_eq!(LineIndex::scan_line_span("a\nb\nc", 2, 2), Some(2..3));
    }

    fn pos(text: &str, offset: usize) -> (u32, u32) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.column)
    }

    /// The starts of every line, found one byte at a time.
    fn plain_starts(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        std::iter::once(0)
            .chain(
                (0..bytes.len())
                    .filter(|i| ends_line(bytes, *i))
                    .map(|i| i + 1),
            )
            .collect()
    }

    #[test]
    fn chunks_of_any_length_give_the_positions_and_lines_of_a_plain_search() {
        for text in [
            "",
            "a",
            "a\nb\n",
            "a\r\nb\r\n\r\nc",
            "\r\n\n\r\n",
            "a\rb",
            "a\n\rb\r\n",
            "\r",
            "é\r\nü\n",
            "long line without end",
        ] {
            let starts = plain_starts(text);
            for chunk_len in 1..=text.len().max(1) + 1 {
                let index = LineIndex::with_chunks(text, chunk_len);
                assert_eq!(index.line_count(), starts.len(), "{text:?} by {chunk_len}");
                for offset in 0..=text.len() {
                    assert_eq!(
                        index.position(text, offset),
                        LineIndex::scan_position(text, offset),
                        "{text:?} at {offset} by {chunk_len}"
                    );
                }
                for (i, start) in starts.iter().enumerate() {
                    let span = index.line_span(text, i as u32 + 1).expect("a line");
                    assert_eq!(span.start, *start, "{text:?} line {} by {chunk_len}", i + 1);
                }
                assert_eq!(index.line_span(text, starts.len() as u32 + 1), None);
                assert_eq!(index.line_span(text, 0), None);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// An index made like an earlier text's gives what an index of the text gives.
        #[test]
        fn an_index_made_like_an_earlier_one_is_the_index_of_the_text(
            before in "[ab\\r\\né]{0,40}",
            inserted in "[ab\\r\\né]{0,8}",
            at in 0.0f64..=1.0,
            cut in 0usize..6,
            chunk_len in 1usize..7,
        ) {
            let boundary = |i: usize| (0..=i).rev().find(|j| before.is_char_boundary(*j)).unwrap_or(0);
            let from = boundary((before.len() as f64 * at) as usize);
            let to = boundary((from + cut).min(before.len())).max(from);
            let after = format!("{}{inserted}{}", &before[..from], &before[to..]);
            // The bytes the two share at their start and end, the end cut back where it
            // would overlap the start.
            let (a, b) = (before.as_bytes(), after.as_bytes());
            let same_start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            let same_end = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
            let same_end = same_end.min(a.len().min(b.len()) - same_start);
            let earlier = LineIndex::with_chunks(&before, chunk_len);
            let like = LineIndex::like(&earlier, &after, same_start, same_end);
            let whole = LineIndex::with_chunks(&after, chunk_len);
            proptest::prop_assert_eq!(like.line_count(), whole.line_count());
            for offset in 0..=after.len() {
                proptest::prop_assert_eq!(like.position(&after, offset), whole.position(&after, offset));
            }
            for line in 0..=whole.line_count() as u32 + 1 {
                proptest::prop_assert_eq!(like.line_span(&after, line), whole.line_span(&after, line));
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
    fn positions_agree_with_a_plain_search_across_chunks() {
        let mut text = String::new();
        let mut i = 0;
        // Over PARALLEL_FROM, so the chunks are counted on the pool; one line longer than
        // a chunk.
        while text.len() < PARALLEL_FROM + CHUNK_LEN {
            text.push_str(&"x".repeat(if i == 500 { 3 * CHUNK_LEN } else { i % 97 }));
            text.push_str(["\n", "\r\n", "\r", "é\n"][i % 4]);
            i += 1;
        }
        let index = LineIndex::new(&text);
        assert_eq!(index.line_count(), plain_starts(&text).len());
        for offset in (0..text.len()).step_by(4099).chain([text.len()]) {
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
        assert_eq!(&text[index.line_span(text, 3).unwrap()], "");
    }
}
