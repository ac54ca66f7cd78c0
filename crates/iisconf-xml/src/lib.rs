//! A lossless XML document for configuration files.
//!
//! [`Document::parse`] reads bytes (UTF-8 with or without BOM, or UTF-16 with BOM) into an
//! arena of nodes whose every token is a span of the source text. [`Document::to_bytes`] of an
//! unedited document gives back the input byte for byte. Edits ([`Document::set_attribute`],
//! [`Document::insert_element`], …) replace only the tokens they touch, and new tokens copy
//! the indentation, quoting and line endings of their neighbours, so a diff of an edited file
//! shows exactly the intended lines.
//!
//! Every node and attribute reports its [`Span`] and [`Position`] (1-based line and column in
//! characters) in the original text.

mod edit;
mod encoding;
pub mod escape;
mod lex;
mod lines;
mod parse;
mod print;

use std::borrow::Cow;
use std::collections::HashMap;

pub use edit::EditError;
pub use encoding::TextEncoding;
pub use lines::{LineIndex, Position};

/// Up to which byte offset a position is found by scanning when the line index of a large
/// text is not built yet.
const SCAN_POSITIONS_UP_TO: usize = 64 << 10;

/// From which text size the line index is worth building apart, and positions near the
/// start are scanned rather than indexed.
const INDEX_LARGER_THAN: usize = 4 << 20;

/// A document's line index: built on first use, or, for a large text, on another thread
/// while the text is parsed. Shared by the clones of a document (they share its text).
#[derive(Debug, Default)]
struct Lines {
    index: std::sync::OnceLock<LineIndex>,
    building: std::sync::Mutex<Option<std::thread::JoinHandle<LineIndex>>>,
}

impl Lines {
    /// Starts indexing `text` (shared, not copied) on another thread when it is large.
    fn start(text: &std::sync::Arc<Text>, skip: usize) -> Lines {
        let lines = Lines::default();
        if text.as_str().len().saturating_sub(skip) >= INDEX_LARGER_THAN {
            let text = std::sync::Arc::clone(text);
            let building = std::thread::Builder::new()
                .name("iisconf-lines".into())
                .spawn(move || LineIndex::new(text.as_str().get(skip..).unwrap_or_default()))
                .ok();
            *lines
                .building
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = building;
        }
        lines
    }

    /// The index if it is ready, without waiting.
    fn ready(&self) -> Option<&LineIndex> {
        self.index.get()
    }

    /// The index of `text`, waiting for the thread building it, or built here.
    fn get(&self, text: &str) -> &LineIndex {
        self.index.get_or_init(|| {
            let building = self
                .building
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            building
                .and_then(|b| b.join().ok())
                .unwrap_or_else(|| LineIndex::new(text))
        })
    }
}

/// Identifies a node of a [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The document node: the invisible parent of the declaration, comments and root element.
    pub const DOCUMENT: NodeId = NodeId(0);

    fn index(self) -> usize {
        self.0 as usize
    }
}

const NONE: u32 = u32::MAX;
const OWNED: u32 = u32::MAX;

/// The kinds of node in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum NodeKind {
    /// The document itself (only [`NodeId::DOCUMENT`]).
    Document,
    /// `<?xml … ?>`.
    Declaration,
    /// `<!DOCTYPE …>`.
    Doctype,
    /// `<!-- … -->`.
    Comment,
    /// `<?target …?>` other than the declaration.
    ProcessingInstruction,
    /// `<![CDATA[ … ]]>`.
    CData,
    /// Character data, including entity and character references.
    ///
    /// Whitespace-only text next to markup is not a node: whitespace directly before an
    /// element, comment, processing instruction, declaration or DOCTYPE belongs to that node
    /// (see [`Document::leading_whitespace`]), and whitespace after an element's last child
    /// belongs to its end tag. Text nodes hold the rest: any text with a non-whitespace
    /// character (with the whitespace around it), and whitespace next to a CDATA section.
    Text,
    /// An element with its start tag, children and end tag.
    Element,
}

/// A byte range of the document's original text (without any byte-order mark).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A token: a span of the source text, or (after an edit) an owned string.
#[derive(Clone, Copy, Debug)]
struct Raw {
    start: u32,
    end: u32,
}

impl Raw {
    fn span(start: usize, end: usize) -> Raw {
        Raw {
            start: start as u32,
            end: end as u32,
        }
    }

    fn source_span(self) -> Option<Span> {
        (self.start != OWNED).then_some(Span {
            start: self.start as usize,
            end: self.end as usize,
        })
    }
}

/// The tokens of a node that an edit can replace; replaced tokens live in
/// `Document::edited`, keyed by node and part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    /// Whitespace before the node.
    Lead,
    /// An element's name.
    Name,
    /// Whitespace after an element's last attribute plus `>` or `/>`.
    Close,
    /// Whitespace before an element's end tag.
    Tail,
    /// `</name>`.
    EndTag,
}

/// `Node::flags`: the element is written `<x/>`.
const SELF_CLOSING: u8 = 1;
/// `Node::flags`: some tokens of the node were replaced by edits (see [`Part`]).
const EDITED: u8 = 2;
/// `Node::flags`: the node was created by an edit and has no span in the source.
const NEW: u8 = 4;

/// One node of the arena: links and the source offsets of its tokens (52 bytes).
///
/// Tokens are contiguous in the source, so each is stored as one offset where its neighbour
/// already gives the other end: the lead is `lead..start`, the start tag `start..end`, an
/// element's name `start + 1..name_end`, its close is the whitespace and `>` or `/>` that end
/// the start tag, its tail `tail..end_tag`, and its end tag runs from `end_tag` to the next
/// `>`. The document node's tail is the whitespace at the end of the file.
#[derive(Clone, Copy, Debug)]
struct Node {
    parent: u32,
    prev: u32,
    next: u32,
    first: u32,
    /// The token; for an element, its start tag.
    start: u32,
    end: u32,
    /// Start of the whitespace before the token (`start` when there is none).
    lead: u32,
    name_end: u32,
    /// Index of the element's first attribute in `Document::attrs`.
    attrs_start: u32,
    attrs_len: u32,
    /// Start of the whitespace before the end tag.
    tail: u32,
    /// Start of the end tag.
    end_tag: u32,
    kind: NodeKind,
    flags: u8,
}

impl Node {
    /// A node whose offsets all point at `start..end` (no lead, no attributes, no tail).
    fn new(kind: NodeKind, start: usize, end: usize) -> Node {
        let (start, end) = (start as u32, end as u32);
        Node {
            parent: NONE,
            prev: NONE,
            next: NONE,
            first: NONE,
            start,
            end,
            lead: start,
            name_end: start,
            attrs_start: 0,
            attrs_len: 0,
            tail: end,
            end_tag: end,
            kind,
            flags: 0,
        }
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// An attribute as stored (16 bytes). One read from the file keeps the offsets of its name
/// and raw value: its tokens are contiguous, so the whitespace before the name, the `=` with
/// its whitespace and the quotes lie between them. One added or changed by an edit has
/// `name == OWNED` and `name_end` indexing `Document::edited_attrs`.
#[derive(Clone, Copy, Debug)]
struct AttrData {
    name: u32,
    name_end: u32,
    value: u32,
    value_end: u32,
}

impl AttrData {
    fn source(name: usize, name_end: usize, value: usize, value_end: usize) -> AttrData {
        AttrData {
            name: name as u32,
            name_end: name_end as u32,
            value: value as u32,
            value_end: value_end as u32,
        }
    }

    fn is_edited(&self) -> bool {
        self.name == OWNED
    }
}

/// The tokens of one attribute, each a span of the source or an owned string.
#[derive(Clone, Copy, Debug)]
struct AttrTokens {
    /// Whitespace before the name.
    ws: Raw,
    name: Raw,
    /// `=` with the whitespace around it.
    eq: Raw,
    quote: u8,
    /// The raw (escaped) value between the quotes.
    value: Raw,
}

/// A read-only view of one attribute.
#[derive(Clone, Copy, Debug)]
pub struct Attribute<'a> {
    /// Position among the element's attributes.
    pub index: usize,
    /// The attribute's name.
    pub name: &'a str,
    /// The value as written between the quotes, references unresolved.
    pub raw_value: &'a str,
    /// The quote character in use, `"` or `'`.
    pub quote: char,
    /// Span of the name in the original text (`None` for an attribute added by an edit).
    pub name_span: Option<Span>,
    /// Span of the raw value in the original text (`None` when added or changed by an edit).
    pub value_span: Option<Span>,
}

impl<'a> Attribute<'a> {
    /// The value with references resolved and XML attribute-value normalisation applied.
    pub fn value(&self) -> Cow<'a, str> {
        escape::unescape_attribute(self.raw_value)
    }

    /// Span from the start of the name to the closing quote, when both come from the source.
    pub fn span(&self) -> Option<Span> {
        match (self.name_span, self.value_span) {
            (Some(n), Some(v)) => Some(Span {
                start: n.start,
                end: v.end + 1,
            }),
            (Some(n), None) => Some(n),
            _ => None,
        }
    }
}

/// A well-formedness error with its position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Byte offset in the decoded text.
    pub offset: usize,
    /// Line and column of the error.
    pub position: Position,
}

impl ParseError {
    fn in_text(text: &str, offset: usize, message: String, help: &str) -> ParseError {
        let position = LineIndex::new(text).position(text, offset);
        ParseError {
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
            offset,
            position,
        }
    }

    fn at_start(message: &str, help: &str) -> ParseError {
        ParseError {
            message: message.to_string(),
            help: Some(help.to_string()),
            offset: 0,
            position: Position { line: 1, column: 1 },
        }
    }
}

/// Files at least this large are mapped into memory rather than read (see
/// [`Document::load`]).
const MAP_AT_LEAST: u64 = 1 << 20;

/// The text a document was parsed from.
#[derive(Debug)]
enum Text {
    /// Decoded into memory.
    Owned(String),
    /// A read-only mapping of a file whose bytes were checked to be UTF-8 when it was parsed.
    Mapped(memmap2::Mmap),
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Owned(text) => text,
            // SAFETY: a Mapped text is only built from bytes that `std::str::from_utf8`
            // accepted (see `Document::load`), and the mapping is read-only.
            Text::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
        }
    }
}

/// A lossless XML document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The decoded file; the text proper starts at `skip` (3 when [`Document::from_vec`] kept
    /// a UTF-8 byte-order mark in place, else 0). All offsets are relative to the text.
    /// Shared between clones: the text never changes after parsing (edits live in the side
    /// tables below), so copying a document copies its structure, not its text.
    buf: std::sync::Arc<Text>,
    skip: usize,
    encoding: TextEncoding,
    /// Line positions of the original text (see [`Lines`]).
    lines: std::sync::Arc<Lines>,
    /// The newline sequence the source uses most, counted on first use.
    newline: std::sync::OnceLock<&'static str>,
    nodes: Vec<Node>,
    attrs: Vec<AttrData>,
    /// The element children of the root element as parsed; `None` once an edit has linked
    /// or unlinked a node.
    root_elements: Option<Vec<NodeId>>,
    /// Attributes added or changed by edits.
    edited_attrs: Vec<AttrTokens>,
    owned: Vec<Box<str>>,
    /// Tokens replaced by edits, for nodes flagged `EDITED`.
    edited: HashMap<(u32, Part), Box<str>>,
}

impl Document {
    /// Parses file bytes; see the module documentation for what is accepted.
    pub fn parse(bytes: &[u8]) -> Result<Document, ParseError> {
        let (text, encoding) = encoding::decode(bytes)?;
        parse::build(Text::Owned(text), 0, encoding)
    }

    /// Parses file bytes like [`Document::parse`], taking ownership of them: UTF-8 input
    /// (with or without byte-order mark) becomes the document's text without a copy, so
    /// peak memory stays near the file size plus the tree. UTF-16 is decoded as usual.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Document, ParseError> {
        let (buf, skip, encoding) = encoding::decode_vec(bytes)?;
        parse::build(Text::Owned(buf), skip, encoding)
    }

    /// Reads and parses the file at `path` like [`Document::from_vec`]. On Unix, a large UTF-8
    /// file is mapped into memory instead of read: its text then takes no memory of its own (it
    /// stays in the system's file cache) and is not copied. The file must not be changed by
    /// another program while the document is alive; editing through this document and
    /// writing the result elsewhere or over it (by rename) is fine.
    ///
    /// The outer error is an I/O error; the inner one says why the text is not accepted.
    pub fn load(path: &std::path::Path) -> std::io::Result<Result<Document, ParseError>> {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        let read = |mut file: std::fs::File| -> std::io::Result<Result<Document, ParseError>> {
            let mut bytes = Vec::with_capacity(len as usize);
            file.read_to_end(&mut bytes)?;
            Ok(Document::from_vec(bytes))
        };
        // Windows refuses to replace a file while a mapping of it is open, which would stop
        // an edit from writing the file it read: there, files are always read.
        if len < MAP_AT_LEAST || cfg!(not(unix)) {
            return read(file);
        }
        // SAFETY: the mapping is read-only and private; what a concurrent change to the file
        // would do to it is the caller's contract above. The bytes are checked to be UTF-8
        // before they become a `Text::Mapped`.
        let map = match unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            Ok(map) => map,
            // A file system that cannot map files: read it.
            Err(_) => return read(file),
        };
        Ok(match encoding::utf8_bom(&map) {
            Some(bom) if std::str::from_utf8(&map).is_ok() => {
                let checked = if bom {
                    Ok(())
                } else {
                    encoding::reject_utf16_without_bom(&map)
                };
                checked.and_then(|()| {
                    parse::build(
                        Text::Mapped(map),
                        if bom { 3 } else { 0 },
                        TextEncoding::Utf8 { bom },
                    )
                })
            }
            // UTF-16, or not valid: decoded into memory, or refused with the position.
            _ => Document::parse(&map),
        })
    }

    /// Parses UTF-8 text (no byte-order mark handling beyond a leading U+FEFF).
    pub fn parse_str(text: &str) -> Result<Document, ParseError> {
        match text.strip_prefix('\u{FEFF}') {
            Some(rest) => parse::build(
                Text::Owned(rest.to_string()),
                0,
                TextEncoding::Utf8 { bom: true },
            ),
            None => parse::build(
                Text::Owned(text.to_string()),
                0,
                TextEncoding::Utf8 { bom: false },
            ),
        }
    }

    /// The encoding the document was read in and will be written in.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// The original text (decoded, without byte-order mark), as parsed.
    pub fn source(&self) -> &str {
        self.buf.as_str().get(self.skip..).unwrap_or_default()
    }

    /// The line and column of a byte offset of the original text.
    pub fn position(&self, offset: usize) -> Position {
        match self.lines.ready() {
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
        self.line_index()
            .line_span(self.source(), line)
            .and_then(|r| self.source().get(r))
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

    fn line_index(&self) -> &LineIndex {
        self.lines.get(self.source())
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    fn raw(&self, raw: Raw) -> &str {
        if raw.start == OWNED {
            self.owned.get(raw.end as usize).map(|s| &**s).unwrap_or("")
        } else {
            self.src(raw.start, raw.end)
        }
    }

    /// `text[start..end]`, empty when out of range.
    fn src(&self, start: u32, end: u32) -> &str {
        self.source()
            .get(start as usize..end as usize)
            .unwrap_or("")
    }

    /// A token of a node: the edited one when an edit replaced it, else the source's.
    fn part(&self, id: NodeId, part: Part) -> &str {
        let node = self.node(id);
        if node.has(EDITED) {
            if let Some(s) = self.edited.get(&(id.0, part)) {
                return s;
            }
        }
        if node.has(NEW) {
            return "";
        }
        match part {
            Part::Lead => self.src(node.lead, node.start),
            Part::Name => self.src(node.start + 1, node.name_end),
            Part::Close => self.src(self.close_start(node), node.end),
            Part::Tail => self.src(node.tail, node.end_tag),
            Part::EndTag => self.src(node.end_tag, self.end_tag_end(node)),
        }
    }

    /// Where the close token of a source start tag begins: the whitespace before `/>` or `>`.
    fn close_start(&self, node: &Node) -> u32 {
        let bytes = &self.source().as_bytes()[..node.end as usize];
        let mut i = node.end as usize - 1; // the `>`
        if i > node.name_end as usize && bytes[i - 1] == b'/' {
            i -= 1;
        }
        while i > node.name_end as usize && lex::is_space(bytes[i - 1]) {
            i -= 1;
        }
        i as u32
    }

    /// One past the `>` of a source end tag.
    fn end_tag_end(&self, node: &Node) -> u32 {
        let rest = &self.source().as_bytes()[node.end_tag as usize..];
        rest.iter()
            .position(|b| *b == b'>')
            .map_or(node.end_tag, |i| node.end_tag + i as u32 + 1)
    }

    fn is_element(&self, id: NodeId) -> bool {
        self.node(id).kind == NodeKind::Element
    }

    fn attr_slice(&self, node: &Node) -> &[AttrData] {
        let start = node.attrs_start as usize;
        &self.attrs[start..start + node.attrs_len as usize]
    }

    /// The root element, if the document has one.
    pub fn root_element(&self) -> Option<NodeId> {
        self.children(NodeId::DOCUMENT)
            .find(|c| self.kind(*c) == NodeKind::Element)
    }

    /// The element children of the root element, in order: recorded while parsing (a large
    /// file's root holds tens of thousands), found again once an edit changed the tree.
    pub fn root_elements(&self) -> Cow<'_, [NodeId]> {
        match &self.root_elements {
            Some(elements) => Cow::Borrowed(elements),
            None => Cow::Owned(
                self.root_element()
                    .map(|root| self.child_elements(root).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The kind of a node.
    pub fn kind(&self, id: NodeId) -> NodeKind {
        self.node(id).kind
    }

    /// The parent of a node (`None` for the document node and detached nodes).
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.node(id).parent;
        (p != NONE).then_some(NodeId(p))
    }

    /// The children of a node, in document order. Whitespace-only text next to markup is
    /// not a child (see [`NodeKind::Text`]); [`Document::leading_whitespace`] gives it.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            doc: self,
            next: self.node(id).first,
        }
    }

    /// The element children of a node, in document order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id)
            .filter(|c| self.kind(*c) == NodeKind::Element)
    }

    /// The first child element named `name`.
    pub fn child_element(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.child_elements(id).find(|c| self.name(*c) == name)
    }

    /// The previous sibling of a node.
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        let p = self.node(id).prev;
        (p != NONE).then_some(NodeId(p))
    }

    /// The next sibling of a node.
    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        let n = self.node(id).next;
        (n != NONE).then_some(NodeId(n))
    }

    /// An element's name (empty for other nodes).
    pub fn name(&self, id: NodeId) -> &str {
        if self.is_element(id) {
            self.part(id, Part::Name)
        } else {
            ""
        }
    }

    /// Whether an element is written as `<x/>` (no end tag).
    pub fn is_self_closing(&self, id: NodeId) -> bool {
        self.is_element(id) && self.node(id).has(SELF_CLOSING)
    }

    /// The raw text of a non-element node (comment, text, CDATA …) as written.
    pub fn raw_text(&self, id: NodeId) -> &str {
        let node = self.node(id);
        match node.kind {
            NodeKind::Element | NodeKind::Document => "",
            _ => self.src(node.start, node.end),
        }
    }

    /// The whitespace directly before a node (its indentation, usually a line break and
    /// spaces), as written or as set by an edit; empty when there is none. Whitespace before
    /// an element, comment or processing instruction is not a text node of its own.
    pub fn leading_whitespace(&self, id: NodeId) -> &str {
        self.part(id, Part::Lead)
    }

    /// The text of a text node with references resolved.
    pub fn text(&self, id: NodeId) -> Cow<'_, str> {
        match self.kind(id) {
            NodeKind::Text => escape::unescape_text(self.raw_text(id)),
            _ => Cow::Borrowed(""),
        }
    }

    /// The span of a node in the original text: the start tag for an element, the token for
    /// other nodes; `None` for nodes created by edits.
    pub fn span(&self, id: NodeId) -> Option<Span> {
        let node = self.node(id);
        (!node.has(NEW)).then_some(Span {
            start: node.start as usize,
            end: node.end as usize,
        })
    }

    /// The span of an element's name.
    pub fn name_span(&self, id: NodeId) -> Option<Span> {
        let node = self.node(id);
        (self.is_element(id) && !node.has(NEW)).then_some(Span {
            start: node.start as usize + 1,
            end: node.name_end as usize,
        })
    }

    /// The span of an element's end tag, when it has one from the source.
    pub fn end_tag_span(&self, id: NodeId) -> Option<Span> {
        let node = self.node(id);
        let from_source = self.is_element(id)
            && !node.has(SELF_CLOSING | NEW)
            && !(node.has(EDITED) && self.edited.contains_key(&(id.0, Part::EndTag)));
        from_source.then(|| Span {
            start: node.end_tag as usize,
            end: self.end_tag_end(node) as usize,
        })
    }

    /// The start position of a node, when it comes from the source.
    pub fn node_position(&self, id: NodeId) -> Option<Position> {
        self.span(id).map(|s| self.position(s.start))
    }

    /// The attributes of an element, in document order.
    pub fn attributes(&self, id: NodeId) -> impl Iterator<Item = Attribute<'_>> + '_ {
        let slice = if self.is_element(id) {
            self.attr_slice(self.node(id))
        } else {
            &[]
        };
        slice
            .iter()
            .enumerate()
            .map(move |(index, a)| self.attribute_view(index, a))
    }

    fn attribute_view<'a>(&'a self, index: usize, a: &AttrData) -> Attribute<'a> {
        if a.is_edited() {
            let t = &self.edited_attrs[a.name_end as usize];
            return Attribute {
                index,
                name: self.raw(t.name),
                raw_value: self.raw(t.value),
                quote: t.quote as char,
                name_span: t.name.source_span(),
                value_span: t.value.source_span(),
            };
        }
        let span = |start: u32, end: u32| Span {
            start: start as usize,
            end: end as usize,
        };
        Attribute {
            index,
            name: self.src(a.name, a.name_end),
            raw_value: self.src(a.value, a.value_end),
            quote: self.source().as_bytes()[a.value as usize - 1] as char,
            name_span: Some(span(a.name, a.name_end)),
            value_span: Some(span(a.value, a.value_end)),
        }
    }

    /// The tokens of a stored attribute.
    fn attr_tokens(&self, a: &AttrData) -> AttrTokens {
        if a.is_edited() {
            return self.edited_attrs[a.name_end as usize];
        }
        let bytes = self.source().as_bytes();
        let mut ws = a.name as usize;
        while ws > 0 && lex::is_space(bytes[ws - 1]) {
            ws -= 1;
        }
        let quote_at = a.value as usize - 1;
        AttrTokens {
            ws: Raw::span(ws, a.name as usize),
            name: Raw::span(a.name as usize, a.name_end as usize),
            eq: Raw::span(a.name_end as usize, quote_at),
            quote: bytes[quote_at],
            value: Raw::span(a.value as usize, a.value_end as usize),
        }
    }

    /// The attribute called `name` (names are case-sensitive, as in XML).
    pub fn attribute(&self, id: NodeId, name: &str) -> Option<Attribute<'_>> {
        if !self.is_element(id) {
            return None;
        }
        // Names are compared before a whole view is built.
        self.attr_slice(self.node(id))
            .iter()
            .enumerate()
            .find(|(_, a)| {
                let written = if a.is_edited() {
                    self.raw(self.edited_attrs[a.name_end as usize].name)
                } else {
                    self.src(a.name, a.name_end)
                };
                written == name
            })
            .map(|(index, a)| self.attribute_view(index, a))
    }

    /// The unescaped value of the attribute called `name`.
    pub fn attribute_value(&self, id: NodeId, name: &str) -> Option<Cow<'_, str>> {
        self.attribute(id, name).map(|a| a.value())
    }

    /// All nodes below `id` in document order (not including `id`), without recursion.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            doc: self,
            top: id,
            next: self.node(id).first,
        }
    }

    /// The chain of element names from the root down to `id`, e.g. `configuration/system.webServer/asp`.
    pub fn element_path(&self, id: NodeId) -> String {
        let mut names = Vec::new();
        let mut cur = Some(id);
        while let Some(n) = cur {
            if self.kind(n) == NodeKind::Element {
                names.push(self.name(n));
            }
            cur = self.parent(n);
        }
        names.reverse();
        names.join("/")
    }

    /// Number of nodes in the arena (including detached ones), for diagnostics and benchmarks.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The nodes created since the document had `count` nodes (by edits), oldest first;
    /// detached ones included.
    pub fn nodes_since(&self, count: usize) -> impl Iterator<Item = NodeId> + '_ {
        (count.min(self.nodes.len())..self.nodes.len()).map(|i| NodeId(i as u32))
    }
}

/// Iterator over the children of a node.
pub struct Children<'a> {
    doc: &'a Document,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = NodeId(self.next);
        self.next = self.doc.node(id).next;
        Some(id)
    }
}

/// Iterator over the descendants of a node in document order.
pub struct Descendants<'a> {
    doc: &'a Document,
    top: NodeId,
    next: u32,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = NodeId(self.next);
        let node = self.doc.node(id);
        self.next = if node.first != NONE {
            node.first
        } else {
            let mut cur = id;
            loop {
                if cur == self.top {
                    break NONE;
                }
                let n = self.doc.node(cur);
                if n.next != NONE {
                    break n.next;
                }
                match self.doc.parent(cur) {
                    Some(p) if p != self.top => cur = p,
                    _ => break NONE,
                }
            }
        };
        Some(id)
    }
}
