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
fn could_name(name: &[u8]) -> bool {
    !name.iter().any(ends_name)
}

/// An attribute as stored (8 bytes: a 100 MB file has 1.7 million). One read from the file
/// keeps where its name starts, and packed in 32 bits: the lengths of its name (8 bits), of
/// the bytes from the name's end to the value's start (the `=`, the whitespace around it
/// and the opening quote; 4 bits) and of its raw value (19 bits), and whether the raw value
/// is its own value (no reference, tab or line break to resolve; 1 bit). A length too large
/// for its bits is stored as all ones and found again in the source: the tokens are
/// contiguous, so the name runs to the first whitespace or `=`, the value starts after the
/// first quote after it, and ends at the next of the same quote. One added or changed by an
/// edit has `name == OWNED` and `lens` indexing `Document::edited_attrs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AttrData {
    pub(crate) name: u32,
    lens: u32,
}

/// The bits of [`AttrData`]'s lengths: name, gap, plain, value (from the high bits down).
const NAME_BITS: u32 = 8;
const GAP_BITS: u32 = 4;
const VALUE_BITS: u32 = 19;
const PLAIN: u32 = 1 << VALUE_BITS;
const NAME_UNKNOWN: u32 = (1 << NAME_BITS) - 1;
const GAP_UNKNOWN: u32 = (1 << GAP_BITS) - 1;
const VALUE_UNKNOWN: u32 = (1 << VALUE_BITS) - 1;

/// Where a source attribute's tokens are: its name ends at `name_end`, its raw value runs
/// from `value` to `value_end` (the closing quote).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AttrSpans {
    pub(crate) name_end: u32,
    pub(crate) value: u32,
    pub(crate) value_end: u32,
    /// The raw value holds no reference, tab or line break: it is its own value.
    pub(crate) plain: bool,
}

impl AttrData {
    /// An attribute of the source whose name starts at `name` and whose other tokens are
    /// where `at` says.
    pub(crate) fn source(at: AttrSpans, name: usize) -> AttrData {
        let fit = |len: u32, unknown: u32| len.min(unknown);
        let name_len = fit(at.name_end - name as u32, NAME_UNKNOWN);
        let gap = fit(at.value - at.name_end, GAP_UNKNOWN);
        let value_len = fit(at.value_end - at.value, VALUE_UNKNOWN);
        let plain = if at.plain { PLAIN } else { 0 };
        AttrData {
            name: name as u32,
            lens: (name_len << (GAP_BITS + 1 + VALUE_BITS))
                | (gap << (1 + VALUE_BITS))
                | plain
                | value_len,
        }
    }

    /// An attribute whose tokens are `Document::edited_attrs[index]`.
    pub(crate) fn edited(index: usize) -> AttrData {
        AttrData {
            name: OWNED,
            lens: index as u32,
        }
    }

    pub(crate) fn is_edited(&self) -> bool {
        self.name == OWNED
    }

    /// The index of an edited attribute's tokens in `Document::edited_attrs`.
    pub(crate) fn edited_index(&self) -> usize {
        self.lens as usize
    }

    /// The same source attribute with where its name starts mapped by `at` (its lengths do
    /// not change).
    pub(crate) fn moved(self, at: impl Fn(u32) -> u32) -> AttrData {
        AttrData {
            name: at(self.name),
            ..self
        }
    }

    fn name_len(&self) -> u32 {
        self.lens >> (GAP_BITS + 1 + VALUE_BITS)
    }

    fn gap(&self) -> u32 {
        (self.lens >> (1 + VALUE_BITS)) & GAP_UNKNOWN
    }

    fn value_len(&self) -> u32 {
        self.lens & VALUE_UNKNOWN
    }

    /// Whether a source attribute is called `name` in `source` (the text it was read from).
    pub(crate) fn name_is(&self, source: &[u8], name: &[u8]) -> bool {
        let at = self.name as usize;
        let len = self.name_len();
        if len != NAME_UNKNOWN {
            // Most attributes looked at are not the one asked for: a name of another
            // length or another first byte is told without comparing the rest.
            return len as usize == name.len()
                && source.get(at) == name.first()
                && source.get(at..at + name.len()) == Some(name);
        }
        // A name too long for its bits ends at the first whitespace or `=`: a `name` holding
        // one could otherwise match the name with what follows it.
        could_name(name)
            && source.get(at + name.len()).is_some_and(ends_name)
            && source.get(at..at + name.len()) == Some(name)
    }

    /// One past the last byte of a source attribute's name in `source`.
    pub(crate) fn name_end(&self, source: &[u8]) -> u32 {
        let len = self.name_len();
        if len != NAME_UNKNOWN {
            return self.name + len;
        }
        let rest = source.get(self.name as usize..).unwrap_or_default();
        let len = rest.iter().position(ends_name).unwrap_or(rest.len());
        self.name + len as u32
    }

    /// Where a source attribute's tokens are in `source`.
    pub(crate) fn spans(&self, source: &[u8]) -> AttrSpans {
        let name_end = self.name_end(source);
        let value = match self.gap() {
            GAP_UNKNOWN => {
                let rest = source.get(name_end as usize..).unwrap_or_default();
                let quote = rest
                    .iter()
                    .position(|b| *b == b'"' || *b == b'\'')
                    .unwrap_or(rest.len());
                name_end + quote as u32 + 1
            }
            gap => name_end + gap,
        };
        let value_end = match self.value_len() {
            VALUE_UNKNOWN => {
                let quote = source.get(value as usize - 1).copied().unwrap_or(b'"');
                let rest = source.get(value as usize..).unwrap_or_default();
                value + memchr::memchr(quote, rest).unwrap_or(rest.len()) as u32
            }
            len => value + len,
        };
        AttrSpans {
            name_end,
            value,
            value_end,
            plain: self.lens & PLAIN != 0,
        }
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

    /// Each length of an attribute at, just under and past what its bits hold: the view, the
    /// spans, a lookup by name and an edit read the same either way.
    #[test]
    fn attribute_lengths_too_large_for_their_bits_are_found_in_the_source() {
        let limits = [
            NAME_UNKNOWN as usize,
            GAP_UNKNOWN as usize,
            VALUE_UNKNOWN as usize,
        ];
        for (field, limit) in limits.into_iter().enumerate() {
            for len in [1, limit - 1, limit, limit + 1] {
                let lens = |f: usize, short: usize| if f == field { len } else { short };
                let name = "n".repeat(lens(0, 4));
                let gap = lens(1, 2);
                let eq = format!(
                    "{}={}",
                    " ".repeat((gap - 1) / 2),
                    " ".repeat(gap - 1 - (gap - 1) / 2)
                );
                let value = "v".repeat(lens(2, 3));
                for quote in ['"', '\''] {
                    let text = format!("<a x='1' {name}{eq}{quote}{value}{quote} y=\"2\"/>");
                    let case = format!("field {field}, length {len}, quote {quote}");
                    let mut doc = crate::Document::parse_str(&text).expect("parses");
                    let root = doc.root_element().expect("a root");
                    let attr = doc.attribute(root, &name).expect(&case);
                    assert_eq!(attr.name, name, "{case}");
                    assert_eq!(attr.raw_value, value, "{case}");
                    assert_eq!(attr.quote, quote, "{case}");
                    let name_at = text.find(&name).expect("name");
                    let span = attr.value_span.expect("a source value");
                    assert_eq!(&text[span.start..span.end], value, "{case}");
                    assert_eq!(attr.name_span.map(|s| s.start), Some(name_at), "{case}");
                    let names: Vec<&str> = doc.attributes(root).map(|a| a.name).collect();
                    assert_eq!(names, ["x", name.as_str(), "y"], "{case}");
                    assert_eq!(doc.attribute_value(root, "y").as_deref(), Some("2"));
                    assert!(doc.attribute(root, &name[1..]).is_none(), "{case}");
                    let with_eq = format!("{name}{eq}");
                    assert!(doc.attribute(root, &with_eq).is_none(), "{case}");
                    assert_eq!(doc.to_text(), text, "{case}");
                    doc.set_attribute(root, "y", "3").expect("edits");
                    assert_eq!(doc.to_text(), text.replace("y=\"2\"", "y=\"3\""), "{case}");
                }
            }
        }
    }

    /// A value without a reference, tab or line break is its raw text; any of those is
    /// resolved, however long the value.
    #[test]
    fn a_value_is_resolved_only_where_it_needs_to_be() {
        let long = "v".repeat(VALUE_UNKNOWN as usize + 1);
        for (raw, value) in [
            ("a b", "a b"),
            ("a&amp;b", "a&b"),
            ("a\tb", "a b"),
            ("a\nb", "a b"),
            ("a\r\nb", "a b"),
            ("a&#9;b", "a\tb"),
        ] {
            for tail in ["", long.as_str()] {
                let text = format!("<a v=\"{raw}{tail}\"/>");
                let doc = crate::Document::parse_str(&text).expect("parses");
                let root = doc.root_element().expect("a root");
                let attr = doc.attribute(root, "v").expect("v");
                assert_eq!(attr.value(), format!("{value}{tail}"), "{raw:?}");
                let borrowed = matches!(attr.value(), std::borrow::Cow::Borrowed(_));
                assert_eq!(borrowed, raw == value, "{raw:?}");
            }
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
