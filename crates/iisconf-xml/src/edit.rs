//! Edits that change only the tokens they touch.
//!
//! New tokens copy their neighbours' conventions: an added attribute takes the whitespace
//! and quote character of the attribute before it; an inserted element takes the
//! indentation and line ending of its siblings (or its parent's plus one indent unit); a
//! removed element takes its own indentation line with it.

mod graft;

use crate::escape;
use crate::node::{
    AttrData, AttrTokens, Node, NodeId, NodeKind, Part, Raw, EDITED, NEW, NONE, OWNED, SELF_CLOSING,
};
use crate::Document;

/// An edit that cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentEditError {
    /// The node is not an element.
    #[error("node is not an element")]
    NotAnElement,
    /// The document may have only one root element.
    #[error("a document has exactly one root element; insert below it")]
    SecondRoot,
    /// A name that is not a valid XML name.
    #[error("`{0}` is not a valid XML name")]
    InvalidName(String),
    /// An element would have more than 65,535 attributes.
    #[error("an element holds at most 65,535 attributes")]
    TooManyAttributes,
    /// A value holds a character that XML 1.0 cannot hold in any form (see
    /// [`escape::find_non_xml_char`]); nothing was written.
    #[error("the value of `{attribute}` holds {}, which XML cannot hold, at byte {offset}", describe_char(*.character))]
    InvalidCharacter {
        /// The attribute whose value holds it.
        attribute: String,
        /// The character.
        character: char,
        /// Its byte offset in the value.
        offset: usize,
    },
}

/// A character named for an error message: `U+0001`.
fn describe_char(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Refuses a value XML cannot hold (see [`escape::find_non_xml_char`]).
fn valid_value(name: &str, value: &str) -> Result<(), DocumentEditError> {
    match escape::find_non_xml_char(value) {
        None => Ok(()),
        Some((offset, character)) => Err(DocumentEditError::InvalidCharacter {
            attribute: name.to_string(),
            character,
            offset,
        }),
    }
}

fn valid_name(name: &str) -> Result<(), DocumentEditError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        Err(DocumentEditError::InvalidName(name.to_string()))
    }
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Whitespace from its first line break on (all of it when there is none).
fn from_line_break(ws: &str) -> &str {
    match ws.find(['\n', '\r']) {
        Some(i) => &ws[i..],
        None => ws,
    }
}

/// Splits indentation whitespace into (line ending, indent): `"\r\n    "` → (`"\r\n"`, `"    "`).
fn split_indent(ws: &str) -> (&str, &str) {
    match ws.rfind(['\n', '\r']) {
        Some(i) => {
            let line_start = ws[..=i]
                .rfind(|c| c != '\n' && c != '\r')
                .map_or(0, |j| j + 1);
            (&ws[line_start..=i], &ws[i + 1..])
        }
        None => ("", ws),
    }
}

impl Document {
    fn own(&mut self, s: impl Into<Box<str>>) -> Raw {
        self.owned.push(s.into());
        Raw {
            start: OWNED,
            end: (self.owned.len() - 1) as u32,
        }
    }

    /// Flags node `id` as changed by an edit.
    fn flag_edited(&mut self, id: NodeId) {
        self.nodes[id.index()].flags |= EDITED;
        self.nodes_edited = true;
    }

    /// Adds `node` (flagged [`NEW`]) to the arena, detached.
    pub(crate) fn push_new(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes_edited = true;
        NodeId((self.nodes.len() - 1) as u32)
    }

    /// Replaces a token of a node (see [`Part`]).
    fn set_part(&mut self, id: NodeId, part: Part, text: impl Into<Box<str>>) {
        self.flag_edited(id);
        self.edited.insert((id.0, part), text.into());
    }

    fn check_element(&self, id: NodeId) -> Result<(), DocumentEditError> {
        if self.is_element(id) {
            Ok(())
        } else {
            Err(DocumentEditError::NotAnElement)
        }
    }

    /// Sets attribute `name` to `value` (unescaped; it is escaped for the quote in use).
    /// An existing attribute keeps its place, whitespace and quotes; a new one is appended
    /// with the whitespace and quote character of the attribute before it. Setting the value
    /// already there changes nothing. Returns whether the document changed.
    pub fn set_attribute(
        &mut self,
        id: NodeId,
        name: &str,
        value: &str,
    ) -> Result<bool, DocumentEditError> {
        self.check_element(id)?;
        valid_value(name, value)?;
        if let Some(existing) = self.attribute(id, name) {
            if existing.value() == value {
                return Ok(false);
            }
            let slot = self.node(id).attrs_start as usize + existing.index;
            let mut tokens = self.attr_tokens(&self.attrs[slot]);
            tokens.value = self.own(escape::escape_attribute(value, tokens.quote).into_owned());
            self.attrs[slot] = self.edited_attr(tokens);
            self.flag_edited(id);
            return Ok(true);
        }
        valid_name(name)?;
        if self.node(id).attrs_len == u16::MAX {
            return Err(DocumentEditError::TooManyAttributes);
        }
        let (ws, quote) = match self.attr_slice(self.node(id)).last() {
            Some(last) => {
                let last = self.attr_tokens(last);
                (self.raw(last.ws).to_string(), last.quote)
            }
            None => (" ".to_string(), self.preferred_quote()),
        };
        let attr = self.new_attr(&ws, name, value, quote);
        let node = *self.node(id);
        let start = node.attrs_start as usize;
        let len = node.attrs_len as usize;
        if start + len != self.attrs.len() {
            let copy: Vec<AttrData> = self.attrs[start..start + len].to_vec();
            self.nodes[id.index()].attrs_start = self.attrs.len() as u32;
            self.attrs.extend(copy);
        }
        self.attrs.push(attr);
        self.nodes[id.index()].attrs_len += 1;
        self.flag_edited(id);
        Ok(true)
    }

    /// Removes attribute `name` with the whitespace before it. Returns whether it existed.
    pub fn remove_attribute(&mut self, id: NodeId, name: &str) -> Result<bool, DocumentEditError> {
        self.check_element(id)?;
        let Some(index) = self.attribute(id, name).map(|a| a.index) else {
            return Ok(false);
        };
        let node = *self.node(id);
        let start = node.attrs_start as usize;
        self.attrs[start..start + node.attrs_len as usize][index..].rotate_left(1);
        self.nodes[id.index()].attrs_len -= 1;
        self.flag_edited(id);
        Ok(true)
    }

    /// The whitespace in front of attribute `name` of an element (what separates it from
    /// the element's name or the attribute before it); `None` when there is no such
    /// attribute.
    pub fn attribute_whitespace(&self, id: NodeId, name: &str) -> Option<&str> {
        let index = self.attribute(id, name)?.index;
        let slot = self.node(id).attrs_start as usize + index;
        let tokens = self.attr_tokens(self.attrs.get(slot)?);
        Some(self.raw(tokens.ws))
    }

    /// Replaces the whitespace in front of attribute `name` by `ws`, which must be
    /// whitespace and not empty (an attribute is always separated from what is before it).
    /// Returns whether the document changed; `false` also when there is no such attribute
    /// or `ws` is not whitespace.
    pub fn set_attribute_whitespace(
        &mut self,
        id: NodeId,
        name: &str,
        ws: &str,
    ) -> Result<bool, DocumentEditError> {
        self.check_element(id)?;
        let valid = !ws.is_empty() && ws.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        let Some(index) = self.attribute(id, name).map(|a| a.index) else {
            return Ok(false);
        };
        if !valid || self.attribute_whitespace(id, name) == Some(ws) {
            return Ok(false);
        }
        let slot = self.node(id).attrs_start as usize + index;
        let mut tokens = self.attr_tokens(&self.attrs[slot]);
        tokens.ws = self.own(ws);
        self.attrs[slot] = self.edited_attr(tokens);
        self.flag_edited(id);
        Ok(true)
    }

    /// The whitespace before the end of an element's start tag (before `/>` or `>`).
    pub fn start_tag_end_whitespace(&self, id: NodeId) -> &str {
        if !self.is_element(id) {
            return "";
        }
        let close = self.part(id, Part::Close);
        let end = close
            .find(|c: char| !c.is_ascii_whitespace())
            .unwrap_or(close.len());
        close.get(..end).unwrap_or_default()
    }

    /// Replaces the whitespace before the end of an element's start tag by `ws` (which
    /// must be whitespace, possibly empty). Returns whether the document changed.
    pub fn set_start_tag_end_whitespace(
        &mut self,
        id: NodeId,
        ws: &str,
    ) -> Result<bool, DocumentEditError> {
        self.check_element(id)?;
        if !ws.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
            return Ok(false);
        }
        let close = self.part(id, Part::Close);
        let rest = close.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let new = format!("{ws}{rest}");
        if new == close {
            return Ok(false);
        }
        self.set_part(id, Part::Close, new);
        Ok(true)
    }

    /// Stores the tokens of an added or changed attribute.
    fn edited_attr(&mut self, tokens: AttrTokens) -> AttrData {
        self.edited_attrs.push(tokens);
        AttrData::edited(self.edited_attrs.len() - 1)
    }

    /// A new attribute ` name="value"` with owned tokens (the value escaped for `quote`).
    fn new_attr(&mut self, ws: &str, name: &str, value: &str, quote: u8) -> AttrData {
        let tokens = AttrTokens {
            ws: self.own(ws),
            name: self.own(name),
            eq: self.own("="),
            quote,
            value: self.own(escape::escape_attribute(value, quote).into_owned()),
        };
        self.edited_attr(tokens)
    }

    /// The quote character most attributes use (the first one found), `"` by default.
    fn preferred_quote(&self) -> u8 {
        self.attrs
            .first()
            .map_or(b'"', |a| self.attr_tokens(a).quote)
    }

    /// How self-closing tags end in this document: `" />"` (IIS's style) or `"/>"`.
    fn self_closing_style(&self) -> String {
        (0..self.nodes.len() as u32)
            .map(NodeId)
            .filter(|id| self.is_self_closing(*id))
            .map(|id| self.part(id, Part::Close))
            .find(|c| c.len() <= 3)
            .unwrap_or(" />")
            .to_string()
    }

    /// The indentation (after the last line break) in front of `id`.
    fn indent_of(&self, id: NodeId) -> &str {
        split_indent(self.leading_whitespace(id)).1
    }

    /// The document's indent unit: the extra indentation of a child relative to its parent,
    /// taken from the first element with an indented element child; four spaces otherwise.
    pub fn indent_unit(&self) -> String {
        for (i, node) in self.nodes.iter().enumerate() {
            if node.kind != NodeKind::Element {
                continue;
            }
            let id = NodeId(i as u32);
            let Some(parent) = self.parent(id) else {
                continue;
            };
            if self.kind(parent) != NodeKind::Element {
                continue;
            }
            let (nl, child) = split_indent(self.leading_whitespace(id));
            if !nl.is_empty() {
                if let Some(unit) = child.strip_prefix(self.indent_of(parent)) {
                    if !unit.is_empty() {
                        return unit.to_string();
                    }
                }
            }
        }
        "    ".to_string()
    }

    fn new_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, DocumentEditError> {
        valid_name(name)?;
        for (n, v) in attrs {
            valid_name(n)?;
            valid_value(n, v)?;
        }
        let attrs_len =
            u16::try_from(attrs.len()).map_err(|_| DocumentEditError::TooManyAttributes)?;
        let quote = self.preferred_quote();
        let close = self.self_closing_style();
        let attrs_start = self.attrs.len() as u32;
        for (n, v) in attrs {
            let attr = self.new_attr(" ", n, v, quote);
            self.attrs.push(attr);
        }
        let mut node = Node::new(NodeKind::Element, 0, 0);
        node.attrs_start = attrs_start;
        node.attrs_len = attrs_len;
        node.flags = NEW | SELF_CLOSING;
        let id = self.push_new(node);
        self.set_part(id, Part::Name, name);
        self.set_part(id, Part::Close, close);
        Ok(id)
    }

    /// The last child of `parent`.
    fn last_child(&self, parent: NodeId) -> Option<NodeId> {
        self.children(parent).last()
    }

    /// Links detached `new` as a child of `parent` directly before `before` (or last).
    fn link(&mut self, parent: NodeId, new: NodeId, before: Option<NodeId>) {
        self.root_elements = None;
        self.comments = None;
        let prev = match before {
            Some(b) => self.prev_sibling(b),
            None => self.last_child(parent),
        };
        {
            let n = &mut self.nodes[new.index()];
            n.parent = parent.0;
            n.next = before.map_or(NONE, |b| b.0);
        }
        match prev {
            None => self.nodes[parent.index()].first = new.0,
            Some(p) => self.nodes[p.index()].next = new.0,
        }
    }

    fn unlink(&mut self, id: NodeId) {
        self.root_elements = None;
        self.comments = None;
        let node = self.nodes[id.index()];
        if node.parent == NONE {
            return;
        }
        match self.prev_sibling(id) {
            None => self.nodes[node.parent as usize].first = node.next,
            Some(p) => self.nodes[p.index()].next = node.next,
        }
        let n = &mut self.nodes[id.index()];
        n.parent = NONE;
        n.next = NONE;
    }

    /// Turns `<x/>` into `<x></x>` so children can be added.
    fn open_up(&mut self, id: NodeId) {
        if !self.is_self_closing(id) {
            return;
        }
        let end = format!("</{}>", self.name(id));
        self.set_part(id, Part::Close, ">");
        self.set_part(id, Part::EndTag, end);
        self.nodes[id.index()].flags &= !SELF_CLOSING;
        self.flag_edited(id);
    }

    /// Inserts a new self-closing element `<name a="v" … />` as the `index`-th element child
    /// of `parent` (clamped to the end), indented like its siblings.
    pub fn insert_element(
        &mut self,
        parent: NodeId,
        index: usize,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, DocumentEditError> {
        if parent == NodeId::DOCUMENT {
            return Err(DocumentEditError::SecondRoot);
        }
        self.check_element(parent)?;
        let new = self.new_element(name, attrs)?;
        // The element now at `index`, else the last one (one pass, nothing collected).
        let mut last = None;
        let mut anchor = None;
        for (i, c) in self.child_elements(parent).enumerate() {
            if i == index {
                anchor = Some(c);
                break;
            }
            last = Some(c);
        }
        self.place_element(parent, new, anchor, last)
    }

    /// Inserts a new self-closing element `<name a="v" … />` right after the element
    /// `previous` (as its next element sibling), indented like its siblings.
    pub fn insert_element_after(
        &mut self,
        previous: NodeId,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, DocumentEditError> {
        self.check_element(previous)?;
        let parent = self.parent(previous).ok_or(DocumentEditError::SecondRoot)?;
        if parent == NodeId::DOCUMENT {
            return Err(DocumentEditError::SecondRoot);
        }
        let new = self.new_element(name, attrs)?;
        let mut anchor = self.next_sibling(previous);
        while let Some(a) = anchor.filter(|a| self.kind(*a) != NodeKind::Element) {
            anchor = self.next_sibling(a);
        }
        self.place_element(parent, new, anchor, Some(previous))
    }

    /// Links the new element `new` into `parent`: in front of `anchor` (taking its
    /// indentation), else after `last` (the last element child), else as the first child.
    fn place_element(
        &mut self,
        parent: NodeId,
        new: NodeId,
        anchor: Option<NodeId>,
        last: Option<NodeId>,
    ) -> Result<NodeId, DocumentEditError> {
        if let Some(last) = anchor.or(last) {
            // Take the whitespace of the element now at `index` (or of the last one), and
            // go in front of it (or after the last one).
            // Trailing blanks at the end of the line before stay on that line: the new
            // element takes the indentation from the line break on.
            match anchor {
                Some(anchor) => {
                    let lead = self.leading_whitespace(anchor).to_string();
                    let indent = from_line_break(&lead).to_string();
                    if !lead.is_empty() {
                        self.set_part(new, Part::Lead, lead.as_str());
                        self.set_part(anchor, Part::Lead, indent);
                    }
                    self.link(parent, new, Some(anchor));
                }
                None => {
                    let indent = from_line_break(self.leading_whitespace(last)).to_string();
                    let after = self.next_sibling(last);
                    let (following, part) = match after {
                        Some(next) => (next, Part::Lead),
                        None => (parent, Part::Tail),
                    };
                    let rest = self.part(following, part).to_string();
                    let moved = rest.len() - from_line_break(&rest).len();
                    if moved > 0 && moved < rest.len() {
                        self.set_part(following, part, &rest[moved..]);
                    }
                    let blanks = if moved < rest.len() {
                        &rest[..moved]
                    } else {
                        ""
                    };
                    let lead = format!("{blanks}{indent}");
                    if !lead.is_empty() {
                        self.set_part(new, Part::Lead, lead);
                    }
                    self.link(parent, new, after);
                }
            }
            return Ok(new);
        }
        // No element children yet: indent one unit deeper than the parent.
        let has_content = self
            .children(parent)
            .any(|c| self.kind(c) != NodeKind::Text || !is_blank(self.raw_text(c)));
        if has_content {
            self.link(parent, new, None);
            return Ok(new);
        }
        let (newline, parent_indent) = {
            let (nl, indent) = split_indent(self.leading_whitespace(parent));
            // One line break, even when the parent follows a blank line.
            let nl = ["\r\n", "\n", "\r"]
                .into_iter()
                .find(|end| nl.ends_with(end))
                .unwrap_or(self.newline());
            (nl.to_string(), indent.to_string())
        };
        let unit = self.indent_unit();
        self.open_up(parent);
        let blanks: Vec<NodeId> = self.children(parent).collect();
        for b in blanks {
            self.unlink(b);
        }
        self.set_part(new, Part::Lead, format!("{newline}{parent_indent}{unit}"));
        self.set_part(parent, Part::Tail, format!("{newline}{parent_indent}"));
        self.link(parent, new, None);
        Ok(new)
    }

    /// Appends a new element as the last element child of `parent`.
    pub fn append_element(
        &mut self,
        parent: NodeId,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, DocumentEditError> {
        self.insert_element(parent, usize::MAX, name, attrs)
    }

    /// Removes an element together with the whitespace that indents it.
    pub fn remove_element(&mut self, id: NodeId) -> Result<(), DocumentEditError> {
        self.check_element(id)?;
        if self.parent(id).is_none_or(|p| p == NodeId::DOCUMENT) {
            return Err(DocumentEditError::SecondRoot);
        }
        self.unlink(id);
        Ok(())
    }

    /// Finds or creates the nested element path `names` below `parent` (each step takes the
    /// first child element of that name), returning the innermost element.
    pub fn ensure_path(
        &mut self,
        parent: NodeId,
        names: &[&str],
    ) -> Result<NodeId, DocumentEditError> {
        let mut cur = parent;
        for name in names {
            cur = match self.child_element(cur, name) {
                Some(found) => found,
                None => self.append_element(cur, name, &[])?,
            };
        }
        Ok(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::{split_indent, DocumentEditError};
    use crate::Document;

    #[test]
    fn attribute_and_tag_end_whitespace_are_read_and_replaced() {
        let mut doc =
            Document::parse_str("<a x=\"1\"\n   y=\"2\"  />").unwrap_or_else(|e| panic!("{e}"));
        let root = doc.root_element().unwrap_or_else(|| panic!("no root"));
        assert_eq!(doc.attribute_whitespace(root, "y"), Some("\n   "));
        assert_eq!(doc.start_tag_end_whitespace(root), "  ");
        assert_eq!(doc.set_attribute_whitespace(root, "y", " "), Ok(true));
        assert_eq!(doc.set_attribute_whitespace(root, "y", "x"), Ok(false));
        assert_eq!(doc.set_attribute_whitespace(root, "z", " "), Ok(false));
        assert_eq!(doc.set_start_tag_end_whitespace(root, " "), Ok(true));
        assert_eq!(doc.to_text(), "<a x=\"1\" y=\"2\" />");
    }

    #[test]
    fn refuses_values_xml_cannot_hold() {
        let mut doc = Document::parse_str("<a x=\"1\"><b/></a>").unwrap_or_else(|e| panic!("{e}"));
        let root = doc.root_element().unwrap_or_else(|| panic!("no root"));
        let bad = DocumentEditError::InvalidCharacter {
            attribute: "x".into(),
            character: '\u{1}',
            offset: 1,
        };
        assert_eq!(doc.set_attribute(root, "x", "a\u{1}b"), Err(bad.clone()));
        assert_eq!(
            doc.set_attribute(root, "y", "\u{FFFF}")
                .map_err(|e| e.to_string()),
            Err("the value of `y` holds U+FFFF, which XML cannot hold, at byte 0".to_string())
        );
        assert_eq!(doc.append_element(root, "c", &[("x", "a\u{1}")]), Err(bad));
        assert_eq!(doc.to_text(), "<a x=\"1\"><b/></a>");
        assert_eq!(doc.set_attribute(root, "x", "tab\there é"), Ok(true));
        assert!(Document::parse_str(&doc.to_text()).is_ok());
    }

    #[test]
    fn splits_indentation() {
        assert_eq!(split_indent("\r\n    "), ("\r\n", "    "));
        assert_eq!(split_indent("\n\n\t"), ("\n\n", "\t"));
        assert_eq!(split_indent("  "), ("", "  "));
    }
}
