//! Builds a [`Document`] from text.
//!
//! The common tokens of a configuration file are read here in one pass: text runs up to the
//! next `<` (found with memchr), start tags (the lexer reads every byte of the tag anyway, so
//! it also finds the closing `>`), and end tags. The rarer markup starting `<!` or `<?`
//! (comments, CDATA, DOCTYPE, declaration, processing instructions) is read by a quick-xml
//! reader placed at that offset, so quick-xml's checks and messages apply to it. The
//! document keeps spans of the source, so output is byte-exact. Structure (matching end
//! tags, one root element, no text outside it), characters and references are checked here,
//! with positions.

mod ahead;
mod like;

pub use like::Reread;

use crate::lex::{self, StartTag, TagError};
use crate::node::{self, AttrData, Node, NodeId, NodeKind, Part, NONE, SELF_CLOSING, WIDE};
use crate::source::Text;
use crate::{escape, Document, LineIndex, ParseError, TextEncoding};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

/// The share of a large text read whole by the builder while the rest is lexed ahead, with
/// two threads (with more, the first part is smaller still). Measured on the 101 MB
/// synthetic file: 0.45 reads fastest (0.25: 20 % slower, 0.55: 10 %), and holds the fewest
/// lexed tags at once.
const FIRST_SHARE: f64 = 0.45;

/// An element whose end tag has not been read yet, with its last child so far.
#[derive(Clone, Copy)]
struct Open {
    id: u32,
    last: u32,
}

struct Builder {
    nodes: Vec<Node>,
    attrs: Vec<AttrData>,
    /// The leads and tails too long for their node.
    wide: HashMap<(u32, Part), u32>,
    /// The document node, then the open elements, innermost last.
    stack: Vec<Open>,
    /// Start of whitespace-only text just read, waiting to become the lead of the next node
    /// or the tail of the element it ends.
    pending_ws: Option<usize>,
    root_seen: bool,
    root_closed: bool,
    /// The element children of the root element, in order.
    root_elements: Vec<u32>,
    /// The comments, in order.
    comments: Vec<u32>,
    /// The text's line index, when it was built while reading.
    lines: Option<LineIndex>,
}

/// What the parser hands the document: the arena and what was recorded while reading.
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub attrs: Vec<AttrData>,
    /// The leads and tails too long for their node.
    pub wide: HashMap<(u32, Part), u32>,
    /// The element children of the root element, in order.
    pub root_elements: Vec<NodeId>,
    /// The comments, in order.
    pub comments: Vec<NodeId>,
    /// The text's line index, when it was built while reading.
    pub lines: Option<LineIndex>,
    /// How the tree was made from an earlier document's, when it was.
    pub like: Option<like::Reread>,
}

enum Failure {
    At(usize, String, &'static str),
}

impl From<TagError> for Failure {
    fn from(e: TagError) -> Failure {
        Failure::At(e.offset, e.message, e.help)
    }
}

/// Parses `buf[skip..]` into a document that owns `buf`.
pub(super) fn build(
    buf: Text,
    skip: usize,
    encoding: TextEncoding,
) -> Result<Document, ParseError> {
    let buf = std::sync::Arc::new(buf);
    let text = buf.as_str().get(skip..).unwrap_or_default();
    if text.len() >= (u32::MAX - 1) as usize {
        return Err(ParseError::at_start(
            "the file is larger than 4 GiB",
            "configuration files this large are not supported",
        ));
    }
    let mut builder = Builder::new(text.len());
    match builder.run(text) {
        Ok(()) => Ok(Document::parsed(
            std::sync::Arc::clone(&buf),
            skip,
            encoding,
            Tree {
                nodes: builder.nodes,
                attrs: builder.attrs,
                wide: builder.wide,
                root_elements: builder.root_elements.into_iter().map(NodeId).collect(),
                comments: builder.comments.into_iter().map(NodeId).collect(),
                lines: builder.lines,
                like: None,
            },
        )),
        Err(Failure::At(offset, message, help)) => Err(ParseError {
            position: LineIndex::new(text).position(text, offset),
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
            offset,
        }),
    }
}

/// Parses `buf[skip..]` like [`build`], taking over `earlier`'s tree where the two texts
/// agree (see [`like`]).
pub(super) fn build_like(
    buf: Text,
    skip: usize,
    encoding: TextEncoding,
    earlier: &Document,
) -> Result<Document, ParseError> {
    let tree = buf
        .as_str()
        .get(skip..)
        .and_then(|text| like::tree_like(earlier, text));
    match tree {
        Some(tree) => Ok(Document::parsed(
            std::sync::Arc::new(buf),
            skip,
            encoding,
            tree,
        )),
        None => build(buf, skip, encoding),
    }
}

impl Builder {
    /// A builder for a text of `len` bytes, with the document node.
    fn new(len: usize) -> Builder {
        // Capacities from the shape of configuration files (about one element per 80 bytes
        // and one attribute per 60); pages past what is used are never touched.
        let mut nodes = Vec::with_capacity(len / 48 + 2);
        nodes.push(Node::new(NodeKind::Document, 0, len));
        Builder {
            nodes,
            attrs: Vec::with_capacity(len / 40 + 1),
            wide: HashMap::new(),
            stack: vec![Open { id: 0, last: NONE }],
            pending_ws: None,
            root_seen: false,
            root_closed: false,
            root_elements: Vec::new(),
            comments: Vec::new(),
            lines: None,
        }
    }

    fn open(&mut self) -> &mut Open {
        self.stack
            .last_mut()
            .expect("the document node is never popped")
    }

    /// Whether the reader is outside the root element.
    fn at_top(&self) -> bool {
        self.stack.len() == 1
    }

    /// Links `node` as the last child of the innermost open element.
    fn append(&mut self, mut node: Node) -> u32 {
        let id = self.nodes.len() as u32;
        if node.kind == NodeKind::Element && self.stack.len() == 2 {
            self.root_elements.push(id);
        }
        let Open { id: parent, last } = *self.open();
        node.parent = parent;
        self.nodes.push(node);
        if last == NONE {
            self.nodes[parent as usize].first = id;
        } else {
            self.nodes[last as usize].next = id;
        }
        self.open().last = id;
        id
    }

    /// Appends a markup node (not text), taking pending whitespace as its lead.
    fn append_markup(&mut self, kind: NodeKind, start: usize, end: usize) -> u32 {
        let mut node = Node::new(kind, start, end);
        let lead = self.pending_ws.take().map_or(0, |ws| start - ws);
        node.lead_len = node::gap(lead);
        let id = self.append(node);
        self.keep_wide(id, Part::Lead, node.lead_len, lead);
        id
    }

    /// Keeps the length of a lead or tail too long for node `id`.
    fn keep_wide(&mut self, id: u32, part: Part, kept: u16, len: usize) {
        if kept == WIDE {
            self.wide.insert((id, part), len as u32);
        }
    }

    /// Sets the tail of node `id`: the whitespace from `from` to `to`.
    fn set_tail(&mut self, id: u32, from: usize, to: usize) {
        let len = to - from;
        let kept = node::gap(len);
        self.nodes[id as usize].tail_len = kept;
        self.keep_wide(id, Part::Tail, kept, len);
    }

    /// Turns pending whitespace into a text node (before a reference or CDATA).
    fn flush_ws(&mut self, upto: usize) {
        if let Some(ws) = self.pending_ws.take() {
            self.append_text(ws, upto);
        }
    }

    /// Appends text, merging with a directly preceding text node (text and references
    /// arrive as separate events).
    fn append_text(&mut self, start: usize, end: usize) {
        if let Some(node) = self.last_text_ending_at(start) {
            node.end = end as u32;
            return;
        }
        self.append(Node::new(NodeKind::Text, start, end));
    }

    /// The innermost element's last child when it is a text node ending at `at`.
    fn last_text_ending_at(&mut self, at: usize) -> Option<&mut Node> {
        let last = self.stack.last()?.last;
        let node = self.nodes.get_mut(last as usize)?;
        (node.kind == NodeKind::Text && node.end as usize == at).then_some(node)
    }

    /// A text event: whitespace-only text waits to become a lead or tail, unless it
    /// continues a text node; other text becomes (or extends) a text node.
    fn text(&mut self, text: &str, start: usize, end: usize) -> Result<(), Failure> {
        let blank = self.check_text(&text[start..end], start)?;
        self.place_text(start, end, blank);
        Ok(())
    }

    /// [`Builder::text`] of text known to be whitespace only (`blank`) or checked.
    fn place_text(&mut self, start: usize, end: usize, blank: bool) {
        if blank && self.pending_ws.is_none() && self.last_text_ending_at(start).is_none() {
            self.pending_ws = Some(start);
        } else {
            self.flush_ws(start);
            self.append_text(start, end);
        }
    }

    fn run(&mut self, text: &str) -> Result<(), Failure> {
        if text.trim().is_empty() {
            return Err(Failure::At(
                0,
                if text.is_empty() {
                    "the file is empty".to_string()
                } else {
                    "the file holds only whitespace".to_string()
                },
                "a configuration file needs a root element, e.g. <configuration></configuration>",
            ));
        }
        self.read(text)?;
        self.finish(text)?;
        let tail = self.pending_ws.take().unwrap_or(text.len());
        self.set_tail(0, tail, text.len());
        Ok(())
    }

    /// Reads every token of `text`. A large text is cut into parts whose start tags are
    /// lexed ahead on the pool while the first part is read (see [`ahead`]). Returns how
    /// many parts were read from their lexed tags.
    fn read(&mut self, text: &str) -> Result<usize, Failure> {
        let threads = crate::parallel::threads();
        // The first part is read whole while the others are only lexed, so it is the
        // smaller share.
        let cuts = if text.len() >= ahead::PARALLEL_FROM && threads >= 2 {
            ahead::cuts(text, threads, FIRST_SHARE / (threads - 1) as f64)
        } else {
            Vec::new()
        };
        self.read_parts(text, &cuts)
    }

    /// Reads every token of `text`, cut at `cuts` (increasing offsets): the parts after the
    /// first are lexed ahead. Returns how many were read from their lexed tags.
    fn read_parts(&mut self, text: &str, cuts: &[usize]) -> Result<usize, Failure> {
        let Some(&first_end) = cuts.first() else {
            self.scan(text, 0, text.len(), None)?;
            return Ok(0);
        };
        let mut ends = cuts.to_vec();
        ends.remove(0);
        ends.push(text.len());
        let parts: Vec<(usize, usize)> = cuts.iter().copied().zip(ends).collect();
        let (first, lexed) = crate::parallel::join(
            || self.scan(text, 0, first_end, None),
            || crate::parallel::map(&parts, |(start, end)| ahead::lex(text, *start, *end)),
        );
        let mut pos = first?;
        // The lines are counted on the pool meanwhile: a large text's positions are asked
        // for later (merged values, findings), and the builder reads on one thread.
        let (replayed, lines) = crate::parallel::join(
            || {
                let mut replayed = 0;
                for (ahead, (_, end)) in lexed.iter().zip(&parts) {
                    // A part's tags are used only when the reading reaches exactly where it
                    // starts.
                    let ahead = (pos == ahead.start).then_some(ahead);
                    replayed += usize::from(ahead.is_some());
                    pos = self.scan(text, pos, *end, ahead)?;
                }
                Ok(replayed)
            },
            || LineIndex::new(text),
        );
        self.lines = Some(lines);
        replayed
    }

    /// Reads the tokens of `text` from `pos` until one ends at or past `until`; returns
    /// where the last one ended. Start tags are taken from `ahead` while each is the one
    /// met; from the first that is not (which the two readings of one text never give) or
    /// past the lexed ones, they are read the ordinary way.
    fn scan(
        &mut self,
        text: &str,
        mut pos: usize,
        until: usize,
        ahead: Option<&ahead::Ahead>,
    ) -> Result<usize, Failure> {
        let bytes = text.as_bytes();
        let (mut tags, mut attrs) = match ahead {
            Some(ahead) => (ahead.tags.as_slice(), ahead.attrs.as_slice()),
            None => (&[][..], &[][..]),
        };
        while pos < until {
            pos = match (bytes[pos], bytes.get(pos + 1)) {
                (b'<', Some(b'/')) => self.end_element(text, pos)?,
                (b'<', Some(b'!' | b'?')) => self.markup(text, pos)?,
                (b'<', _) => match tags.split_first() {
                    Some((tag, rest)) if tag.start as usize == pos => {
                        let (own, after) =
                            attrs.split_at(usize::from(tag.attrs_len).min(attrs.len()));
                        (tags, attrs) = (rest, after);
                        self.start_lexed(pos, tag.tag(text), own)?
                    }
                    _ => {
                        tags = &[];
                        self.start_element(text, pos)?
                    }
                },
                _ => {
                    // Most text between tags is indentation: it is read once, and only text
                    // holding anything else is searched for its end and checked.
                    let rest = bytes.get(pos..).unwrap_or_default();
                    let blank_to = rest.iter().position(|b| !lex::is_space(*b));
                    match blank_to.map(|n| pos + n) {
                        None => {
                            self.place_text(pos, bytes.len(), true);
                            bytes.len()
                        }
                        Some(end) if bytes.get(end) == Some(&b'<') => {
                            self.place_text(pos, end, true);
                            end
                        }
                        Some(from) => {
                            let rest = bytes.get(from..).unwrap_or_default();
                            let end = memchr::memchr(b'<', rest).map_or(bytes.len(), |i| from + i);
                            self.text(text, pos, end)?;
                            end
                        }
                    }
                }
            };
        }
        Ok(pos)
    }

    /// Reads the comment, CDATA section, DOCTYPE, declaration or processing instruction at
    /// `start` with quick-xml (so its checks and messages apply); returns its end.
    fn markup(&mut self, text: &str, start: usize) -> Result<usize, Failure> {
        let mut reader = Reader::from_str(&text[start..]);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_comments = true;
        let event = reader.read_event();
        let end = start + reader.buffer_position() as usize;
        match event {
            Err(e) => {
                let at = start + reader.error_position() as usize;
                Err(Failure::At(at, describe_quick_xml_error(&e), ""))
            }
            Ok(Event::CData(_)) => {
                if self.at_top() {
                    return Err(Failure::At(
                        start,
                        "CDATA outside the root element".to_string(),
                        "",
                    ));
                }
                self.flush_ws(start);
                self.append(Node::new(NodeKind::CData, start, end));
                Ok(end)
            }
            Ok(Event::Comment(_)) => {
                let id = self.append_markup(NodeKind::Comment, start, end);
                self.comments.push(id);
                Ok(end)
            }
            Ok(Event::Decl(_)) => {
                if start != 0 {
                    return Err(Failure::At(
                        start,
                        "the XML declaration must be at the very start of the file".to_string(),
                        "move <?xml …?> to the first line, or remove it",
                    ));
                }
                self.append_markup(NodeKind::Declaration, start, end);
                Ok(end)
            }
            Ok(Event::PI(_)) => {
                self.append_markup(NodeKind::ProcessingInstruction, start, end);
                Ok(end)
            }
            Ok(Event::DocType(_)) => {
                self.doctype(&text[start..end], start)?;
                self.append_markup(NodeKind::Doctype, start, end);
                Ok(end)
            }
            Ok(_) => Err(Failure::At(
                start,
                "expected a comment `<!--`, CDATA `<![CDATA[` or `<!DOCTYPE` after `<!`"
                    .to_string(),
                "",
            )),
        }
    }

    /// Checks a DOCTYPE: only before the root element, and without entity declarations.
    fn doctype(&self, raw: &str, start: usize) -> Result<(), Failure> {
        if self.root_seen {
            return Err(Failure::At(
                start,
                "a DOCTYPE after the root element".to_string(),
                "",
            ));
        }
        if let Some(at) = raw.find("<!ENTITY") {
            return Err(Failure::At(
                start + at,
                "the DOCTYPE declares entities, which are refused".to_string(),
                "entity declarations are never expanded (no external resources, no entity bombs); remove the internal subset",
            ));
        }
        Ok(())
    }

    /// Checks character data; returns whether it is whitespace only.
    fn check_text(&self, raw: &str, start: usize) -> Result<bool, Failure> {
        // Fast path: most text in a configuration file is indentation between tags.
        if raw.bytes().all(lex::is_space) {
            return Ok(true);
        }
        if self.at_top() {
            if let Some(at) = raw.find(|c: char| !c.is_whitespace()) {
                if raw[at..].starts_with('&') {
                    return Err(reference_outside_root(&raw[at..], start + at));
                }
                let message = if self.root_closed {
                    "text after the root element"
                } else {
                    "text before the root element"
                };
                return Err(Failure::At(
                    start + at,
                    message.to_string(),
                    "a configuration file holds one root element and nothing else but comments",
                ));
            }
        }
        if let Some((at, message)) = escape::check_references(raw) {
            return Err(Failure::At(
                start + at,
                message,
                "write a literal & as &amp;",
            ));
        }
        // Printable ASCII needs neither the character check nor the `]]>` search.
        let plain = |b: &u8| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r') && *b != b']';
        if raw.as_bytes().iter().all(plain) {
            return Ok(false);
        }
        if let Some((at, c)) = raw.char_indices().find(|(_, c)| !escape::is_xml_char(*c)) {
            return Err(Failure::At(
                start + at,
                format!("character U+{:04X} is not allowed in XML", c as u32),
                "",
            ));
        }
        if let Some(at) = raw.find("]]>") {
            return Err(Failure::At(
                start + at,
                "`]]>` is not allowed in text".to_string(),
                "write it as ]]&gt;",
            ));
        }
        Ok(false)
    }

    /// Reads the start tag at `start`; returns its end.
    fn start_element(&mut self, text: &str, start: usize) -> Result<usize, Failure> {
        self.check_root(start)?;
        let attrs_start = self.attrs.len();
        let tag = lex::lex_start_tag(text, start, &mut self.attrs)?;
        self.open_element(start, tag, attrs_start)
    }

    /// Reads the start tag at `start` lexed ahead as `tag` with `attrs`; returns its end.
    fn start_lexed(
        &mut self,
        start: usize,
        tag: StartTag,
        attrs: &[AttrData],
    ) -> Result<usize, Failure> {
        self.check_root(start)?;
        let attrs_start = self.attrs.len();
        self.attrs.extend_from_slice(attrs);
        self.open_element(start, tag, attrs_start)
    }

    /// Checks that an element may start at `start`: outside the root element only the root
    /// itself, once.
    fn check_root(&mut self, start: usize) -> Result<(), Failure> {
        if self.at_top() {
            if self.root_closed {
                return Err(Failure::At(
                    start,
                    "a second root element".to_string(),
                    "a configuration file has exactly one root element; wrap or remove this one",
                ));
            }
            self.root_seen = true;
        }
        Ok(())
    }

    /// Appends the element of start tag `tag` at `start`, whose attributes were appended
    /// from `attrs_start` on; returns the tag's end.
    fn open_element(
        &mut self,
        start: usize,
        tag: StartTag,
        attrs_start: usize,
    ) -> Result<usize, Failure> {
        let Ok(name_len) = u16::try_from(tag.name_end - start - 1) else {
            return Err(Failure::At(
                start + 1,
                "an element name longer than 65,535 bytes".to_string(),
                "no configuration element has such a name; check that the tag is not missing its `>`",
            ));
        };
        let Ok(attrs_len) = u16::try_from(self.attrs.len() - attrs_start) else {
            return Err(Failure::At(
                start,
                "an element with more than 65,535 attributes".to_string(),
                "no configuration element has so many; check that the tag is not missing its `>`",
            ));
        };
        let (end, self_closing) = (tag.end, tag.self_closing);
        let id = self.append_markup(NodeKind::Element, start, end);
        let node = &mut self.nodes[id as usize];
        node.name_len = name_len;
        node.attrs_start = attrs_start as u32;
        node.attrs_len = attrs_len;
        if self_closing {
            node.flags |= SELF_CLOSING;
            if self.at_top() {
                self.root_closed = true;
            }
        } else {
            self.stack.push(Open { id, last: NONE });
        }
        Ok(end)
    }

    /// Reads the end tag at `start`; returns its end.
    fn end_element(&mut self, text: &str, start: usize) -> Result<usize, Failure> {
        let Some(gt) = memchr::memchr(b'>', &text.as_bytes()[start..]) else {
            return Err(Failure::At(
                start,
                "a tag is not closed; expected `>`".to_string(),
                "",
            ));
        };
        let end = start + gt + 1;
        let inner = &text[start + 2..end - 1];
        let name = inner.trim_end_matches([' ', '\t', '\r', '\n']);
        if self.at_top() {
            let help = if self.root_closed {
                "the matching start tag is missing or commented out; restore it or remove this end tag"
            } else {
                "remove this end tag or add the matching start tag"
            };
            return Err(Failure::At(
                start,
                format!("end tag </{name}> has no matching start tag"),
                help,
            ));
        }
        let open = self.open().id;
        let node = self.nodes[open as usize];
        let open_name = &text[node.start as usize + 1..node.name_end() as usize];
        if open_name != name {
            lex::check_name(text, start + 2, start + 2 + name.len())?;
            let open_at = node.start as usize;
            let lines = LineIndex::new(&text[..open_at]);
            let pos = lines.position(&text[..open_at], open_at);
            return Err(Failure::At(
                start,
                format!(
                    "end tag </{name}> does not match the start tag <{open_name}> at {pos}; expected </{open_name}>"
                ),
                "close elements in the reverse order they were opened",
            ));
        }
        let tail = self.pending_ws.take().unwrap_or(start);
        self.nodes[open as usize].end_tag = start as u32;
        self.set_tail(open, tail, start);
        self.stack.pop();
        if self.at_top() {
            self.root_closed = true;
        }
        Ok(end)
    }

    fn finish(&mut self, text: &str) -> Result<(), Failure> {
        if !self.at_top() {
            let open = self.open().id;
            let node = self.nodes[open as usize];
            let name = &text[node.start as usize + 1..node.name_end() as usize];
            return Err(Failure::At(
                node.start as usize,
                format!("element <{name}> is never closed; expected </{name}> before the end of the file"),
                "add the missing end tag",
            ));
        }
        if !self.root_seen {
            return Err(Failure::At(
                text.len(),
                "no root element".to_string(),
                "a configuration file needs a root element, e.g. <configuration></configuration>",
            ));
        }
        Ok(())
    }
}

/// Up to `max` tokens of a few kinds, some of them ill-formed: what the parser's property
/// tests build documents from.
#[cfg(test)]
fn test_tokens(max: usize) -> impl proptest::strategy::Strategy<Value = Vec<String>> {
    use proptest::prelude::*;
    let token = prop_oneof![
        Just("<a x=\"1\">".to_string()),
        Just("</a>".to_string()),
        Just("<b/>".to_string()),
        Just("<c y='&amp;' z=\"2\" />".to_string()),
        Just("\n  ".to_string()),
        Just("\r\n".to_string()),
        Just("text &lt; ".to_string()),
        Just("<!-- <a> -->".to_string()),
        Just("<![CDATA[ <b/> ]]>".to_string()),
        Just("<?pi <a> ?>".to_string()),
        Just("<d q=\"1\" q=\"2\"/>".to_string()),
        Just("</b>".to_string()),
        Just("&bad;".to_string()),
    ];
    proptest::collection::vec(token, 0..max)
}

fn describe_quick_xml_error(e: &quick_xml::Error) -> String {
    use quick_xml::errors::SyntaxError;
    match e {
        quick_xml::Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => {
                "expected a comment `<!--`, CDATA `<![CDATA[` or `<!DOCTYPE` after `<!`".to_string()
            }
            SyntaxError::UnclosedPIOrXmlDecl => {
                "a processing instruction or XML declaration is not closed; expected `?>`"
                    .to_string()
            }
            SyntaxError::UnclosedComment => "a comment is not closed; expected `-->`".to_string(),
            SyntaxError::UnclosedDoctype => "the DOCTYPE is not closed; expected `>`".to_string(),
            SyntaxError::UnclosedCData => {
                "a CDATA section is not closed; expected `]]>`".to_string()
            }
            SyntaxError::UnclosedTag => "a tag is not closed; expected `>`".to_string(),
        },
        quick_xml::Error::IllFormed(ill) => format!("not well-formed: {ill}"),
        other => format!("not well-formed: {other}"),
    }
}

/// The error for a reference outside the root element (or for the reference itself when it
/// is malformed).
fn reference_outside_root(raw: &str, at: usize) -> Failure {
    let end = raw
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(raw.len());
    match escape::check_references(&raw[..end]) {
        Some((offset, message)) => Failure::At(at + offset, message, "write a literal & as &amp;"),
        None => Failure::At(at, "a reference outside the root element".to_string(), ""),
    }
}
