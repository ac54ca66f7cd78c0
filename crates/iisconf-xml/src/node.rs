//! The arena a document is made of: node ids and kinds, spans, and the compact records of
//! nodes and attributes that point into the source text.

/// Identifies a node of a [`Document`](crate::Document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The document node: the invisible parent of the declaration, comments and root element.
    pub const DOCUMENT: NodeId = NodeId(0);

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// No node: the link of a node that has no parent, sibling or child there.
pub(crate) const NONE: u32 = u32::MAX;
/// Marks a token or attribute owned by the document's edit tables instead of the source.
pub(crate) const OWNED: u32 = u32::MAX;

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
    /// (see [`Document::leading_whitespace`](crate::Document::leading_whitespace)), and
    /// whitespace after an element's last child belongs to its end tag. Text nodes hold the
    /// rest: any text with a non-whitespace character (with the whitespace around it), and
    /// whitespace next to a CDATA section.
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
pub(crate) struct Raw {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Raw {
    pub(crate) fn span(start: usize, end: usize) -> Raw {
        Raw {
            start: start as u32,
            end: end as u32,
        }
    }

    pub(crate) fn source_span(self) -> Option<Span> {
        (self.start != OWNED).then_some(Span {
            start: self.start as usize,
            end: self.end as usize,
        })
    }
}

/// The tokens of a node that an edit can replace; replaced tokens live in
/// `Document::edited`, keyed by node and part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Part {
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
    /// The whole token of a node other than an element (a comment's `<!-- … -->`, a text).
    Token,
}

/// `Node::flags`: the element is written `<x/>`.
pub(crate) const SELF_CLOSING: u8 = 1;
/// `Node::flags`: some tokens of the node were replaced by edits (see [`Part`]).
pub(crate) const EDITED: u8 = 2;
/// `Node::flags`: the node was created by an edit and has no span in the source.
pub(crate) const NEW: u8 = 4;

/// One node of the arena: links and the source offsets of its tokens (40 bytes: a 100 MB
/// file has 1.3 million).
///
/// Tokens are contiguous in the source, so each is stored as one offset or length where its
/// neighbour already gives the other end: the lead is the `lead_len` bytes before `start`,
/// the start tag `start..end`, an element's name `start + 1` and `name_len` bytes on, its
/// close is the whitespace and `>` or `/>` that end the start tag, its tail the `tail_len`
/// bytes before `end_tag`, and its end tag runs from `end_tag` to the next `>`. The document
/// node's tail is the whitespace at the end of the file. A lead or tail of [`WIDE`] bytes or
/// more is kept whole in `Document::wide`.
///
/// A node has no link to its previous sibling: the few edits that need it walk the
/// parent's children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) parent: u32,
    pub(crate) next: u32,
    pub(crate) first: u32,
    /// The token; for an element, its start tag.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Index of the element's first attribute in `Document::attrs`.
    pub(crate) attrs_start: u32,
    /// Start of the end tag.
    pub(crate) end_tag: u32,
    /// Length of the whitespace before the token ([`WIDE`]: in `Document::wide`).
    pub(crate) lead_len: u16,
    /// Length of the whitespace before the end tag ([`WIDE`]: in `Document::wide`).
    pub(crate) tail_len: u16,
    /// How many attributes the element has (the parser refuses more than fit).
    pub(crate) attrs_len: u16,
    /// The length of an element's name in the source (the parser refuses longer names).
    pub(crate) name_len: u16,
    pub(crate) kind: NodeKind,
    pub(crate) flags: u8,
}

/// A lead or tail length that does not fit a node: the length is in `Document::wide`.
pub(crate) const WIDE: u16 = u16::MAX;

/// A whitespace length as a node keeps it: itself, or [`WIDE`] when it does not fit.
pub(crate) fn gap(len: usize) -> u16 {
    u16::try_from(len)
        .ok()
        .filter(|l| *l != WIDE)
        .unwrap_or(WIDE)
}

impl Node {
    /// A node whose offsets all point at `start..end` (no lead, no attributes, no tail).
    pub(crate) fn new(kind: NodeKind, start: usize, end: usize) -> Node {
        let (start, end) = (start as u32, end as u32);
        Node {
            parent: NONE,
            next: NONE,
            first: NONE,
            start,
            end,
            attrs_start: 0,
            end_tag: end,
            lead_len: 0,
            tail_len: 0,
            attrs_len: 0,
            name_len: 0,
            kind,
            flags: 0,
        }
    }

    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// One past the last byte of an element's name in the source.
    pub(crate) fn name_end(&self) -> u32 {
        self.start + 1 + u32::from(self.name_len)
    }
}

/// Whether a byte ends a source attribute's name: whitespace or `=`.
fn ends_name(b: &u8) -> bool {
    *b == b'=' || crate::lex::is_space(*b)
}

/// Whether `name` could be a source attribute's name: it holds no byte that ends one (a name
/// asked for that does, such as `value="x"`, is no attribute's).
pub(crate) fn could_name(name: &str) -> bool {
    !name.as_bytes().iter().any(ends_name)
}

/// An attribute as stored (8 bytes: a 100 MB file has 1.7 million). One read from the file
/// keeps where its name starts and its raw value ends: its tokens are contiguous, so the
/// name runs to the first whitespace or `=`, and the value starts after the `=`, the
/// whitespace around it and the opening quote. One added or changed by an edit has
/// `name == OWNED` and `value_end` indexing `Document::edited_attrs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AttrData {
    pub(crate) name: u32,
    pub(crate) value_end: u32,
}

impl AttrData {
    /// An attribute of the source: its name starts at `name`, its raw value ends at
    /// `value_end`.
    pub(crate) fn source(name: usize, value_end: usize) -> AttrData {
        AttrData {
            name: name as u32,
            value_end: value_end as u32,
        }
    }

    /// An attribute whose tokens are `Document::edited_attrs[index]`.
    pub(crate) fn edited(index: usize) -> AttrData {
        AttrData {
            name: OWNED,
            value_end: index as u32,
        }
    }

    pub(crate) fn is_edited(&self) -> bool {
        self.name == OWNED
    }

    /// The index of an edited attribute's tokens in `Document::edited_attrs`.
    pub(crate) fn edited_index(&self) -> usize {
        self.value_end as usize
    }

    /// Whether a source attribute is called `name` in `source` (the text it was read from),
    /// for a `name` without whitespace or `=` ([`could_name`]): the source's name ends at the
    /// first of those.
    pub(crate) fn name_is(&self, source: &[u8], name: &[u8]) -> bool {
        let at = self.name as usize;
        // Most attributes looked at are not the one asked for: a name of another length
        // (no end after `name.len()` bytes) or another first byte is told without
        // comparing the rest.
        source.get(at + name.len()).is_some_and(ends_name)
            && source.get(at) == name.first()
            && source.get(at..at + name.len()) == Some(name)
    }

    /// One past the last byte of a source attribute's name in `source`: at the first
    /// whitespace or `=`.
    pub(crate) fn name_end(&self, source: &[u8]) -> u32 {
        let rest = source.get(self.name as usize..).unwrap_or_default();
        let len = rest.iter().position(ends_name).unwrap_or(rest.len());
        self.name + len as u32
    }

    /// Where a source attribute's raw value starts in `source`, given its name's end: past
    /// the `=`, the whitespace around it and the opening quote.
    pub(crate) fn value_start(&self, source: &[u8], name_end: u32) -> u32 {
        let rest = source.get(name_end as usize..).unwrap_or_default();
        let quote = rest
            .iter()
            .position(|b| *b == b'"' || *b == b'\'')
            .unwrap_or(rest.len());
        name_end + quote as u32 + 1
    }
}

/// The tokens of one attribute, each a span of the source or an owned string.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttrTokens {
    /// Whitespace before the name.
    pub(crate) ws: Raw,
    pub(crate) name: Raw,
    /// `=` with the whitespace around it.
    pub(crate) eq: Raw,
    pub(crate) quote: u8,
    /// The raw (escaped) value between the quotes.
    pub(crate) value: Raw,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stay_small() {
        assert_eq!(std::mem::size_of::<Node>(), 40);
        assert_eq!(std::mem::size_of::<AttrData>(), 8);
    }

    #[test]
    fn an_element_name_must_fit_its_length() {
        let name = "n".repeat(usize::from(u16::MAX));
        let fits = format!("<{name} a=\"1\"></{name}>");
        let doc = crate::Document::parse_str(&fits).expect("parses");
        let root = doc.root_element().expect("a root");
        assert_eq!(doc.name(root), name);
        assert_eq!(doc.to_text(), fits);
        let longer = format!("<{name}x/>");
        let error = crate::Document::parse_str(&longer).expect_err("too long");
        assert!(error.message.contains("65,535"), "{}", error.message);
        assert_eq!(error.offset, 1);
    }

    #[test]
    fn whitespace_too_long_for_a_node_is_kept_whole() {
        for len in [usize::from(WIDE) - 1, usize::from(WIDE), 70_000] {
            let ws = " ".repeat(len);
            let text = format!("<a>{ws}<b/>{ws}<c></c>{ws}</a>{ws}");
            let doc = crate::Document::parse_str(&text).expect("parses");
            assert_eq!(doc.to_text(), text, "{len}");
            let root = doc.root_element().expect("a root");
            let b = doc.child_element(root, "b").expect("b");
            let c = doc.child_element(root, "c").expect("c");
            assert_eq!(doc.leading_whitespace(b), ws);
            assert_eq!(doc.leading_whitespace(c), ws);
            assert_eq!(doc.part(root, Part::Tail), ws);
            assert_eq!(doc.part(NodeId::DOCUMENT, Part::Tail), ws);
            assert_eq!(doc.part(c, Part::Tail), "");
        }
    }

    #[test]
    fn an_attribute_is_found_by_its_name_alone() {
        let doc = crate::Document::parse_str("<a value=\"x y\" b = 'z'/>").expect("parses");
        let root = doc.root_element().expect("a root");
        assert_eq!(doc.attribute_value(root, "value").as_deref(), Some("x y"));
        assert_eq!(doc.attribute_value(root, "b").as_deref(), Some("z"));
        // The text from a name on is not a name.
        for not_a_name in ["value=\"x", "value=\"x y\"", "b =", "b", "val", ""] {
            let found = doc.attribute(root, not_a_name).map(|a| a.name);
            assert!(
                found.is_none() || not_a_name == "b",
                "{not_a_name:?}: {found:?}"
            );
        }
    }

    #[test]
    fn siblings_are_found_both_ways() {
        let doc = crate::Document::parse_str("<a><b/>t<c/><d/></a>").expect("parses");
        let root = doc.root_element().expect("a root");
        let kids: Vec<NodeId> = doc.children(root).collect();
        assert_eq!(kids.len(), 4);
        assert_eq!(doc.prev_sibling(kids[0]), None);
        for pair in kids.windows(2) {
            assert_eq!(doc.prev_sibling(pair[1]), Some(pair[0]));
            assert_eq!(doc.next_sibling(pair[0]), Some(pair[1]));
        }
        assert_eq!(doc.prev_sibling(NodeId::DOCUMENT), None);
    }
}
