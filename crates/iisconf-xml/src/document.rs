//! The document: its text, its arena of nodes and attributes, and the side tables that
//! hold what edits changed; how it is made from bytes, and how its tokens are read.

use crate::encoding::{self, TextEncoding};
use crate::lines::LineIndex;
use crate::node::{
    AttrData, AttrTokens, Node, NodeId, NodeKind, Part, Raw, EDITED, NEW, OWNED, WIDE,
};
use crate::source::Text;
use crate::{lex, parse, ParseError};
use std::collections::HashMap;

/// A lossless XML document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The decoded file; the text proper starts at `skip` (3 when [`Document::from_vec`] kept
    /// a UTF-8 byte-order mark in place, else 0). All offsets are relative to the text.
    /// Shared between clones: the text never changes after parsing (edits live in the side
    /// tables below), so copying a document copies its structure, not its text.
    pub(crate) buf: std::sync::Arc<Text>,
    pub(crate) skip: usize,
    pub(crate) encoding: TextEncoding,
    /// Line positions of the original text, indexed when first needed (see
    /// `Document::position`); shared by clones, like the text.
    pub(crate) lines: std::sync::Arc<std::sync::OnceLock<LineIndex>>,
    /// The newline sequence the source uses most, counted on first use.
    pub(crate) newline: std::sync::OnceLock<&'static str>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) attrs: Vec<AttrData>,
    /// The lengths of the leads and tails too long for their node (see [`crate::node::WIDE`]).
    pub(crate) wide: HashMap<(u32, Part), u32>,
    /// The element children of the root element as parsed; `None` once an edit has linked
    /// or unlinked a node.
    pub(crate) root_elements: Option<Vec<NodeId>>,
    /// The comments as parsed, in document order; `None` likewise.
    pub(crate) comments: Option<Vec<NodeId>>,
    /// Attributes added or changed by edits.
    pub(crate) edited_attrs: Vec<AttrTokens>,
    pub(crate) owned: Vec<Box<str>>,
    /// Tokens replaced by edits, for nodes flagged `EDITED`.
    pub(crate) edited: HashMap<(u32, Part), Box<str>>,
    /// How the document was made from an earlier one, when it was parsed like one.
    pub(crate) like: Option<parse::Reread>,
    /// Whether an edit flagged a node `EDITED` or added one (see `Document::is_as_parsed`).
    pub(crate) nodes_edited: bool,
}

/// File bytes decoded to text and not parsed yet (see [`Document::from_decoded_like`]).
#[derive(Debug)]
pub struct Decoded {
    buf: Text,
    skip: usize,
    encoding: TextEncoding,
}

impl Decoded {
    /// Decodes file bytes as [`Document::from_vec`] does (UTF-8 text keeps its buffer).
    pub fn from_vec(bytes: Vec<u8>) -> Result<Decoded, ParseError> {
        let (buf, skip, encoding) = encoding::decode_vec(bytes)?;
        Ok(Decoded {
            buf: Text(buf),
            skip,
            encoding,
        })
    }

    /// The length of the decoded text in bytes.
    pub fn text_len(&self) -> usize {
        self.buf.as_str().len().saturating_sub(self.skip)
    }
}

impl Document {
    /// Parses file bytes; see the module documentation for what is accepted.
    pub fn parse(bytes: &[u8]) -> Result<Document, ParseError> {
        let (text, encoding) = encoding::decode(bytes)?;
        parse::build(Text(text), 0, encoding)
    }

    /// Parses file bytes like [`Document::parse`], taking ownership of them: UTF-8 input
    /// (with or without byte-order mark) becomes the document's text without a copy, so
    /// peak memory stays near the file size plus the tree. UTF-16 is decoded as usual.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Document, ParseError> {
        Document::from_decoded(Decoded::from_vec(bytes)?)
    }

    /// Parses file bytes like [`Document::from_vec`], reusing the tree of `earlier` where
    /// the texts agree: when they differ only inside one element's content (the two sides
    /// of a diff), only that content is read again. The document is the one
    /// [`Document::from_vec`] gives, node for node, and so are the errors.
    pub fn from_vec_like(bytes: Vec<u8>, earlier: &Document) -> Result<Document, ParseError> {
        Document::from_decoded_like(Decoded::from_vec(bytes)?, earlier)
    }

    /// [`Document::from_vec`] of bytes decoded already.
    pub fn from_decoded(decoded: Decoded) -> Result<Document, ParseError> {
        parse::build(decoded.buf, decoded.skip, decoded.encoding)
    }

    /// [`Document::from_vec_like`] of bytes decoded already (for a caller that decodes
    /// them while `earlier` is still being parsed).
    pub fn from_decoded_like(decoded: Decoded, earlier: &Document) -> Result<Document, ParseError> {
        parse::build_like(decoded.buf, decoded.skip, decoded.encoding, earlier)
    }

    /// How this document was made from `earlier` by [`Document::from_vec_like`], while
    /// neither has been edited since: `None` when it was parsed whole or like another
    /// document.
    pub fn reread_from(&self, earlier: &Document) -> Option<&parse::Reread> {
        let like = self.like.as_ref().filter(|like| like.is_of(earlier))?;
        (self.is_as_parsed() && earlier.is_as_parsed()).then_some(like)
    }

    /// Whether the document is as it was parsed: no edit has changed it.
    pub(crate) fn is_as_parsed(&self) -> bool {
        self.root_elements.is_some()
            && self.comments.is_some()
            && self.edited.is_empty()
            && self.edited_attrs.is_empty()
            && self.owned.is_empty()
            && !self.nodes_edited
    }

    /// Parses UTF-8 text (no byte-order mark handling beyond a leading U+FEFF).
    pub fn parse_str(text: &str) -> Result<Document, ParseError> {
        match text.strip_prefix('\u{FEFF}') {
            Some(rest) => parse::build(Text(rest.to_string()), 0, TextEncoding::Utf8 { bom: true }),
            None => parse::build(Text(text.to_string()), 0, TextEncoding::Utf8 { bom: false }),
        }
    }

    /// A document of `text` (which starts at `skip` in `buf`) as the parser built it.
    pub(crate) fn parsed(
        buf: std::sync::Arc<Text>,
        skip: usize,
        encoding: TextEncoding,
        tree: parse::Tree,
    ) -> Document {
        Document {
            buf,
            skip,
            encoding,
            lines: std::sync::Arc::new(match tree.lines {
                Some(index) => std::sync::OnceLock::from(index),
                None => std::sync::OnceLock::new(),
            }),
            newline: std::sync::OnceLock::new(),
            nodes: tree.nodes,
            attrs: tree.attrs,
            wide: tree.wide,
            root_elements: Some(tree.root_elements),
            comments: Some(tree.comments),
            edited_attrs: Vec::new(),
            owned: Vec::new(),
            edited: HashMap::new(),
            like: tree.like,
            nodes_edited: false,
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

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub(crate) fn raw(&self, raw: Raw) -> &str {
        if raw.start == OWNED {
            self.owned.get(raw.end as usize).map(|s| &**s).unwrap_or("")
        } else {
            self.src(raw.start, raw.end)
        }
    }

    /// `text[start..end]`, empty when out of range.
    pub(crate) fn src(&self, start: u32, end: u32) -> &str {
        self.source()
            .get(start as usize..end as usize)
            .unwrap_or("")
    }

    /// A token of a node: the edited one when an edit replaced it, else the source's.
    pub(crate) fn part(&self, id: NodeId, part: Part) -> &str {
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
            Part::Lead => self.src(
                node.start - self.gap(id, Part::Lead, node.lead_len),
                node.start,
            ),
            Part::Name => self.src(node.start + 1, node.name_end()),
            Part::Close => self.src(self.close_start(node), node.end),
            Part::Tail => self.src(
                node.end_tag - self.gap(id, Part::Tail, node.tail_len),
                node.end_tag,
            ),
            Part::EndTag => self.src(node.end_tag, self.end_tag_end(node)),
            Part::Token => self.src(node.start, node.end),
        }
    }

    /// The length of a source lead or tail kept as `len` in the node.
    fn gap(&self, id: NodeId, part: Part, len: u16) -> u32 {
        match len {
            WIDE => self.wide.get(&(id.0, part)).copied().unwrap_or(0),
            len => u32::from(len),
        }
    }

    /// Where the close token of a source start tag begins: the whitespace before `/>` or `>`.
    pub(crate) fn close_start(&self, node: &Node) -> u32 {
        let bytes = &self.source().as_bytes()[..node.end as usize];
        let mut i = node.end as usize - 1; // the `>`
        if i > node.name_end() as usize && bytes[i - 1] == b'/' {
            i -= 1;
        }
        while i > node.name_end() as usize && lex::is_space(bytes[i - 1]) {
            i -= 1;
        }
        i as u32
    }

    /// One past the `>` of a source end tag.
    pub(crate) fn end_tag_end(&self, node: &Node) -> u32 {
        let rest = &self.source().as_bytes()[node.end_tag as usize..];
        rest.iter()
            .position(|b| *b == b'>')
            .map_or(node.end_tag, |i| node.end_tag + i as u32 + 1)
    }

    pub(crate) fn is_element(&self, id: NodeId) -> bool {
        self.node(id).kind == NodeKind::Element
    }

    pub(crate) fn attr_slice(&self, node: &Node) -> &[AttrData] {
        let start = node.attrs_start as usize;
        &self.attrs[start..start + node.attrs_len as usize]
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
