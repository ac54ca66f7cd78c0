//! Attributes: the read-only view of one attribute, and how a document finds them.

use crate::escape;
use crate::node::{AttrData, AttrTokens, NodeId, Raw, Span};
use crate::{lex, Document};
use std::borrow::Cow;

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
    /// The raw value is known to hold no reference, tab or line break: it is its own value.
    plain: bool,
}

impl<'a> Attribute<'a> {
    /// The value with references resolved and XML attribute-value normalisation applied.
    pub fn value(&self) -> Cow<'a, str> {
        if self.plain {
            return Cow::Borrowed(self.raw_value);
        }
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

impl Document {
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

    pub(crate) fn attribute_view<'a>(&'a self, index: usize, a: &AttrData) -> Attribute<'a> {
        if a.is_edited() {
            let t = &self.edited_attrs[a.edited_index()];
            return Attribute {
                index,
                name: self.raw(t.name),
                raw_value: self.raw(t.value),
                quote: t.quote as char,
                name_span: t.name.source_span(),
                value_span: t.value.source_span(),
                plain: false,
            };
        }
        let span = |start: u32, end: u32| Span {
            start: start as usize,
            end: end as usize,
        };
        let bytes = self.source().as_bytes();
        let at = a.spans(bytes);
        Attribute {
            index,
            name: self.src(a.name, at.name_end),
            raw_value: self.src(at.value, at.value_end),
            quote: bytes[at.value as usize - 1] as char,
            name_span: Some(span(a.name, at.name_end)),
            value_span: Some(span(at.value, at.value_end)),
            plain: at.plain,
        }
    }

    /// The tokens of a stored attribute.
    pub(crate) fn attr_tokens(&self, a: &AttrData) -> AttrTokens {
        if a.is_edited() {
            return self.edited_attrs[a.edited_index()];
        }
        let bytes = self.source().as_bytes();
        let mut ws = a.name as usize;
        while ws > 0 && lex::is_space(bytes[ws - 1]) {
            ws -= 1;
        }
        let at = a.spans(bytes);
        let value = at.value as usize;
        let quote_at = value - 1;
        let name_end = at.name_end as usize;
        AttrTokens {
            ws: Raw::span(ws, a.name as usize),
            name: Raw::span(a.name as usize, name_end),
            eq: Raw::span(name_end, quote_at),
            quote: bytes[quote_at],
            value: Raw::span(value, at.value_end as usize),
        }
    }

    /// The attribute called `name` (names are case-sensitive, as in XML).
    pub fn attribute(&self, id: NodeId, name: &str) -> Option<Attribute<'_>> {
        if !self.is_element(id) {
            return None;
        }
        // Names are compared before a whole view is built.
        let source = self.source().as_bytes();
        self.attr_slice(self.node(id))
            .iter()
            .enumerate()
            .find(|(_, a)| {
                if a.is_edited() {
                    self.raw(self.edited_attrs[a.edited_index()].name) == name
                } else {
                    a.name_is(source, name.as_bytes())
                }
            })
            .map(|(index, a)| self.attribute_view(index, a))
    }

    /// The unescaped value of the attribute called `name`.
    pub fn attribute_value(&self, id: NodeId, name: &str) -> Option<Cow<'_, str>> {
        self.attribute(id, name).map(|a| a.value())
    }
}
