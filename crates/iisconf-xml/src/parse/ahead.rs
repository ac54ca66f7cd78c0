//! Lexing ahead: the start tags of the later parts of a large text, read on other threads
//! while the builder reads the first part.
//!
//! Reading a start tag (its name and every attribute, with their checks) is most of a
//! parse, and it depends on the tag's bytes alone. So a large text is cut into parts at
//! what looks like the start of a tag; each later part's start tags are lexed on the pool,
//! and the builder then reads that part as it reads any text, taking each start tag's
//! tokens from what was lexed instead of lexing it again. Everything that depends on the
//! document so far (nesting, end tags, text, comments, one root element) is still done by
//! the builder, in order.
//!
//! A cut may fall inside a comment or CDATA section that holds something like a tag. The
//! builder uses a part's tags only when its own reading reaches the exact offset the part
//! starts at, so such a part is simply read again the ordinary way; lexing ahead never
//! changes what the parse returns, only how fast it gets there.

use crate::lex::{self, StartTag};
use crate::node::AttrData;
use quick_xml::Reader;

/// From which size a text is cut into parts lexed ahead.
pub(super) const PARALLEL_FROM: usize = 4 << 20;

/// How far past a cut's nominal offset a tag is looked for.
const CUT_SEARCH: usize = 64 << 10;

/// One start tag lexed ahead (12 bytes: a part of a large text holds a million). A tag
/// whose name or attribute count does not fit is left to the builder.
#[derive(Clone, Copy)]
pub(super) struct LexedTag {
    /// The offset of its `<`.
    pub start: u32,
    /// One past its `>`.
    pub end: u32,
    /// The length of the element name.
    name_len: u16,
    /// How many attributes it has (they follow the previous tag's in [`Ahead::attrs`]).
    pub attrs_len: u16,
}

impl LexedTag {
    /// The tag as the lexer returned it; `text` is the whole text.
    pub fn tag(&self, text: &str) -> StartTag {
        let end = self.end as usize;
        StartTag {
            name_end: self.start as usize + 1 + self.name_len as usize,
            end,
            self_closing: text.as_bytes().get(end.saturating_sub(2)) == Some(&b'/'),
        }
    }
}

/// The start tags of one part of the text, lexed ahead of the builder.
pub(super) struct Ahead {
    /// Where the part begins (a `<`): its tags are used only when the builder's reading
    /// reaches exactly this offset.
    pub start: usize,
    /// Where lexing stopped: past the last token read (at or past the part's end), or at a
    /// token it could not read, which the builder then reads and reports itself.
    pub end: usize,
    /// The start tags from `start` to `end`, in order.
    pub tags: Vec<LexedTag>,
    /// Their attributes, with offsets in the whole text.
    pub attrs: Vec<AttrData>,
}

/// Where to cut `text` into `parts` parts, the first `first_share` of the text and the rest
/// in equal shares: each cut is the `<` that starts the first line beginning with a tag
/// after the nominal offset. Fewer cuts when no such line is near.
pub(super) fn cuts(text: &str, parts: usize, first_share: f64) -> Vec<usize> {
    let len = text.len();
    let bytes = text.as_bytes();
    let first = (len as f64 * first_share) as usize;
    let rest = (len - first.min(len)) / parts.saturating_sub(1).max(1);
    let mut cuts: Vec<usize> = Vec::new();
    for i in 1..parts {
        let nominal = first + rest * (i - 1);
        let window = bytes
            .get(nominal..len.min(nominal + CUT_SEARCH))
            .unwrap_or_default();
        let found = memchr::memchr_iter(b'\n', window).find_map(|nl| {
            let line = nominal + nl + 1;
            let indent = bytes
                .get(line..)?
                .iter()
                .position(|b| *b != b' ' && *b != b'\t')?;
            let at = line + indent;
            match (bytes.get(at), bytes.get(at + 1)) {
                (Some(b'<'), Some(b)) if b.is_ascii_alphabetic() || *b == b'/' => Some(at),
                _ => None,
            }
        });
        if let Some(at) = found.filter(|at| cuts.last().is_none_or(|last| at > last)) {
            cuts.push(at);
        }
    }
    cuts
}

/// Lexes the start tags of `text` from `start` until a token ends at or past `until`.
pub(super) fn lex(text: &str, start: usize, until: usize) -> Ahead {
    let bytes = text.as_bytes();
    let mut ahead = Ahead {
        start,
        end: start,
        tags: Vec::with_capacity((until - start) / 64),
        attrs: Vec::with_capacity((until - start) / 48),
    };
    let mut pos = start;
    while pos < until {
        let next = match (bytes.get(pos), bytes.get(pos + 1)) {
            (Some(b'<'), Some(b'/')) => {
                memchr::memchr(b'>', bytes.get(pos..).unwrap_or_default()).map(|gt| pos + gt + 1)
            }
            (Some(b'<'), Some(b'!' | b'?')) => markup_end(text, pos),
            (Some(b'<'), _) => {
                let attrs_start = ahead.attrs.len();
                let lexed = lex::lex_start_tag(text, pos, &mut ahead.attrs).ok();
                let sizes = lexed.as_ref().and_then(|tag| {
                    let name_len = u16::try_from(tag.name_end - pos - 1).ok()?;
                    let attrs_len = u16::try_from(ahead.attrs.len() - attrs_start).ok()?;
                    Some((name_len, attrs_len))
                });
                match (lexed, sizes) {
                    (Some(tag), Some((name_len, attrs_len))) => {
                        ahead.tags.push(LexedTag {
                            start: pos as u32,
                            end: tag.end as u32,
                            name_len,
                            attrs_len,
                        });
                        Some(tag.end)
                    }
                    _ => {
                        ahead.attrs.truncate(attrs_start);
                        None
                    }
                }
            }
            _ => Some(
                memchr::memchr(b'<', bytes.get(pos..).unwrap_or_default())
                    .map_or(bytes.len(), |i| pos + i),
            ),
        };
        match next {
            Some(next) => pos = next,
            None => break,
        }
    }
    ahead.end = pos;
    ahead
}

/// One past the comment, CDATA section, DOCTYPE, declaration or processing instruction at
/// `start`, read as the builder reads it; `None` when it is not well-formed.
fn markup_end(text: &str, start: usize) -> Option<usize> {
    let mut reader = Reader::from_str(text.get(start..)?);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_comments = true;
    reader.read_event().ok()?;
    Some(start + reader.buffer_position() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, ParseError};

    /// A configuration file of about `mb` MB, then `tail`; with `comment`, its middle third is
    /// one comment of commented-out entries (lines that look like tags).
    fn large(mb: usize, tail: &str, comment: bool) -> String {
        let mut text = String::from("<?xml version=\"1.0\"?>\n<configuration>\n<sites>\n");
        let entry = |i: usize| {
            format!("  <site name=\"s{i}\" id=\"{i}\">\n    <application path=\"/\" />\n  </site>\n  x &amp; y\n")
        };
        let mut i = 0;
        while text.len() < mb << 20 {
            if i == 20_000 && comment {
                text.push_str("<!-- commented out:\n");
                while text.len() < (mb << 20) * 2 / 3 {
                    text.push_str(&entry(i));
                    i += 1;
                }
                text.push_str("-->\n<![CDATA[ <a> ]]>\n");
            }
            text.push_str(&entry(i));
            i += 1;
        }
        text.push_str("</sites>\n");
        text.push_str(tail);
        text
    }

    /// The parse on one thread, where nothing is lexed ahead.
    fn sequential(text: &str) -> Result<Document, ParseError> {
        crate::parallel::with_threads(1, || Document::parse_str(text))
    }

    fn assert_same(a: &Document, b: &Document) {
        assert!(a.nodes == b.nodes, "the nodes differ");
        assert!(a.attrs == b.attrs, "the attributes differ");
        assert_eq!(a.root_elements, b.root_elements);
        assert_eq!(a.comments, b.comments);
    }

    #[test]
    fn a_large_text_parses_as_it_does_on_one_thread() {
        let text = large(12, "</configuration>\n", true);
        assert!(text.len() > PARALLEL_FROM);
        let one = sequential(&text).expect("parses");
        // With 2 and 3 threads every cut falls in the comment, so each part is read again
        // the ordinary way; with 5 threads two parts are read from their lexed tags.
        for (threads, replayed) in [(2, 0), (3, 0), (5, 2)] {
            let parallel = crate::parallel::with_threads(threads, || Document::parse_str(&text));
            assert_same(&parallel.expect("parses"), &one);
            let mut builder = super::super::Builder::new(text.len());
            let used = crate::parallel::with_threads(threads, || builder.read(&text));
            assert_eq!(used.ok(), Some(replayed), "{threads} threads");
        }
        let plain = large(12, "</configuration>\n", false);
        let mut builder = super::super::Builder::new(plain.len());
        let used = crate::parallel::with_threads(2, || builder.read(&plain));
        assert_eq!(used.ok(), Some(1));
        let parallel = crate::parallel::with_threads(2, || Document::parse_str(&plain));
        let (parallel, one) = (
            parallel.expect("parses"),
            sequential(&plain).expect("parses"),
        );
        assert_same(&parallel, &one);
        // The lines were counted while the lexed part was read; positions are the same.
        assert!(parallel.lines.get().is_some() && one.lines.get().is_none());
        for offset in (0..plain.len()).step_by(1 << 20) {
            assert_eq!(parallel.position(offset), one.position(offset));
        }
    }

    /// A small document from a few kinds of token, some of them ill-formed.
    fn document() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        super::super::test_tokens(40).prop_map(|tokens| format!("<r>{}</r>", tokens.concat()))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Wherever a text is cut (at a `<` or anywhere), the document or the error is the
        /// one read on one thread.
        #[test]
        fn any_cuts_give_the_parse_of_one_thread(
            text in document(),
            picks in proptest::collection::vec(0.0f64..1.0, 0..4),
        ) {
            let lts: Vec<usize> = text.match_indices('<').map(|(i, _)| i).collect();
            let mut cuts: Vec<usize> = picks
                .iter()
                .enumerate()
                .map(|(n, p)| match n % 2 {
                    // Half the cuts at a `<`, half at any offset.
                    0 => lts.get((p * lts.len() as f64) as usize).copied().unwrap_or(0),
                    _ => (p * text.len() as f64) as usize,
                })
                .filter(|c| *c > 0 && text.is_char_boundary(*c))
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut builder = super::super::Builder::new(text.len());
            let cut = builder.read_parts(&text, &cuts);
            let mut one = super::super::Builder::new(text.len());
            let whole = one.read_parts(&text, &[]);
            match (cut, whole) {
                (Ok(_), Ok(_)) => {
                    proptest::prop_assert!(builder.nodes == one.nodes);
                    proptest::prop_assert!(builder.attrs == one.attrs);
                    proptest::prop_assert_eq!(builder.root_elements, one.root_elements);
                    proptest::prop_assert_eq!(builder.comments, one.comments);
                }
                (Err(super::super::Failure::At(a, m, _)), Err(super::super::Failure::At(b, n, _))) => {
                    proptest::prop_assert_eq!((a, m), (b, n));
                }
                (a, b) => proptest::prop_assert!(false, "{} and {}", a.is_ok(), b.is_ok()),
            }
        }
    }

    #[test]
    fn errors_in_a_later_part_are_the_first_error_as_on_one_thread() {
        for tail in [
            // A tag that cannot be lexed, an end tag that does not match, text after the root.
            "<bad a=\"1\" a=\"2\"/></configuration>\n",
            "</configurations>\n",
            "</configuration>\ntext\n",
            "</configuration>\n<second/>\n",
        ] {
            let text = large(6, tail, false);
            let mut builder = super::super::Builder::new(text.len());
            let read = crate::parallel::with_threads(2, || builder.read(&text));
            assert!(read.is_err(), "{tail}");
            let parallel = crate::parallel::with_threads(2, || Document::parse_str(&text));
            let (Err(a), Err(b)) = (parallel, sequential(&text)) else {
                panic!("{tail} parses");
            };
            assert_eq!((a.offset, &a.message), (b.offset, &b.message), "{tail}");
        }
    }

    #[test]
    fn cuts_fall_on_lines_that_start_with_a_tag() {
        let mut text = String::from("<configuration>\n");
        for i in 0..1000 {
            text.push_str(&format!("  <add name=\"n{i}\" />\n  text {i}\n"));
        }
        text.push_str("</configuration>\n");
        let cuts = cuts(&text, 4, 0.25);
        assert_eq!(cuts.len(), 3);
        for at in &cuts {
            assert!(text[*at..].starts_with("<add "), "{}", &text[*at..*at + 10]);
        }
        assert!(cuts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lexing_stops_at_a_tag_it_cannot_read() {
        let text = "<a x=\"1\"/><b y=\"2\" y=\"3\"/><c/>";
        let ahead = lex(text, 0, text.len());
        assert_eq!(ahead.tags.len(), 1);
        assert_eq!(ahead.end, text.find("<b").unwrap());
        assert_eq!(ahead.tags[0].attrs_len, 1);
        assert_eq!(ahead.attrs.len(), 1);
        let tag = ahead.tags[0].tag(text);
        assert_eq!((tag.name_end, tag.end, tag.self_closing), (2, 10, true));
    }
}
