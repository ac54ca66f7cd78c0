//! Edits that change only the tokens they touch.
//!
//! New tokens copy their neighbours' conventions: an added attribute takes the whitespace
//! and quote character of the attribute before it; an inserted element takes the
//! indentation and line ending of its siblings (or its parent's plus one indent unit); a
//! removed element takes its own indentation line with it.

use super::{escape, AttrData, Document, ElementData, Node, NodeId, NodeKind, Raw, NONE, OWNED};

/// An edit that cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The node is not an element.
    #[error("node is not an element")]
    NotAnElement,
    /// The document may have only one root element.
    #[error("a document has exactly one root element; insert below it")]
    SecondRoot,
    /// A name that is not a valid XML name.
    #[error("`{0}` is not a valid XML name")]
    InvalidName(String),
}

fn valid_name(name: &str) -> Result<(), EditError> {
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
        Err(EditError::InvalidName(name.to_string()))
    }
}

/// The part of whitespace `ws` from its first line break on (all of it without one).
fn from_line_break(ws: &str) -> &str {
    match ws.find(['\n', '\r']) {
        Some(i) => &ws[i..],
        None => ws,
    }
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
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

    fn element_index(&self, id: NodeId) -> Result<usize, EditError> {
        let node = self.node(id);
        if node.kind == NodeKind::Element {
            Ok(node.element as usize)
        } else {
            Err(EditError::NotAnElement)
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
    ) -> Result<bool, EditError> {
        let element = self.element_index(id)?;
        if let Some(existing) = self.attribute(id, name) {
            if existing.value() == value {
                return Ok(false);
            }
            let slot = self.elements[element].attrs_start as usize + existing.index;
            let quote = self.attrs[slot].quote;
            let raw = self.own(escape::escape_attribute(value, quote).into_owned());
            self.attrs[slot].value = raw;
            return Ok(true);
        }
        valid_name(name)?;
        let (ws, quote) = {
            let data = &self.elements[element];
            match self.attr_slice(data).last() {
                Some(last) => (self.raw(last.ws).to_string(), last.quote),
                None => (" ".to_string(), self.preferred_quote()),
            }
        };
        let attr = AttrData {
            ws: self.own(ws),
            name: self.own(name),
            eq: self.own("="),
            quote,
            value: self.own(escape::escape_attribute(value, quote).into_owned()),
        };
        let data = self.elements[element];
        let start = data.attrs_start as usize;
        let len = data.attrs_len as usize;
        if start + len != self.attrs.len() {
            let copy: Vec<AttrData> = self.attrs[start..start + len].to_vec();
            self.elements[element].attrs_start = self.attrs.len() as u32;
            self.attrs.extend(copy);
        }
        self.attrs.push(attr);
        self.elements[element].attrs_len += 1;
        Ok(true)
    }

    /// Removes attribute `name` with the whitespace before it. Returns whether it existed.
    pub fn remove_attribute(&mut self, id: NodeId, name: &str) -> Result<bool, EditError> {
        let element = self.element_index(id)?;
        let Some(index) = self.attribute(id, name).map(|a| a.index) else {
            return Ok(false);
        };
        let data = self.elements[element];
        let start = data.attrs_start as usize;
        self.attrs[start..start + data.attrs_len as usize][index..].rotate_left(1);
        self.elements[element].attrs_len -= 1;
        Ok(true)
    }

    /// The quote character most attributes use (the first one found), `"` by default.
    fn preferred_quote(&self) -> u8 {
        self.attrs.first().map_or(b'"', |a| a.quote)
    }

    /// How self-closing tags end in this document: `" />"` (IIS's style) or `"/>"`.
    fn self_closing_style(&self) -> String {
        self.elements
            .iter()
            .filter(|e| e.self_closing)
            .map(|e| self.raw(e.close))
            .find(|c| c.len() <= 3)
            .unwrap_or(" />")
            .to_string()
    }

    /// The whitespace-only text node directly before `id`, if any.
    fn blank_before(&self, id: NodeId) -> Option<NodeId> {
        self.prev_sibling(id)
            .filter(|p| self.kind(*p) == NodeKind::Text && is_blank(self.raw_text(*p)))
    }

    /// The indentation (after the last line break) in front of `id`.
    fn indent_of(&self, id: NodeId) -> String {
        self.blank_before(id)
            .map(|t| split_indent(self.raw_text(t)).1.to_string())
            .unwrap_or_default()
    }

    /// The document's indent unit: the extra indentation of a child relative to its parent,
    /// taken from the first element with an indented element child; four spaces otherwise.
    fn indent_unit(&self) -> String {
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
            if let Some(ws) = self.blank_before(id) {
                let (nl, child) = split_indent(self.raw_text(ws));
                let parent_indent = self.indent_of(parent);
                if !nl.is_empty() {
                    if let Some(unit) = child.strip_prefix(parent_indent.as_str()) {
                        if !unit.is_empty() {
                            return unit.to_string();
                        }
                    }
                }
            }
        }
        "    ".to_string()
    }

    fn new_node(&mut self, kind: NodeKind, raw: Raw, element: u32) -> NodeId {
        self.nodes.push(Node {
            parent: NONE,
            prev: NONE,
            next: NONE,
            first: NONE,
            last: NONE,
            kind,
            raw,
            element,
        });
        NodeId((self.nodes.len() - 1) as u32)
    }

    fn new_text(&mut self, text: String) -> NodeId {
        let raw = self.own(text);
        self.new_node(NodeKind::Text, raw, NONE)
    }

    fn new_element(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<NodeId, EditError> {
        valid_name(name)?;
        for (n, _) in attrs {
            valid_name(n)?;
        }
        let quote = self.preferred_quote();
        let close = self.self_closing_style();
        let name_raw = self.own(name);
        let close_raw = self.own(close);
        let attrs_start = self.attrs.len() as u32;
        for (n, v) in attrs {
            let attr = AttrData {
                ws: self.own(" "),
                name: self.own(*n),
                eq: self.own("="),
                quote,
                value: self.own(escape::escape_attribute(v, quote).into_owned()),
            };
            self.attrs.push(attr);
        }
        self.elements.push(ElementData {
            name: name_raw,
            attrs_start,
            attrs_len: attrs.len() as u32,
            close: close_raw,
            end_tag: Raw::empty(),
            self_closing: true,
        });
        let element = (self.elements.len() - 1) as u32;
        Ok(self.new_node(
            NodeKind::Element,
            Raw {
                start: OWNED,
                end: NONE,
            },
            element,
        ))
    }

    /// Links detached `new` as a child of `parent` directly before `before` (or last).
    fn link(&mut self, parent: NodeId, new: NodeId, before: Option<NodeId>) {
        let prev = match before {
            Some(b) => self.node(b).prev,
            None => self.node(parent).last,
        };
        {
            let n = &mut self.nodes[new.index()];
            n.parent = parent.0;
            n.prev = prev;
            n.next = before.map_or(NONE, |b| b.0);
        }
        match prev {
            NONE => self.nodes[parent.index()].first = new.0,
            p => self.nodes[p as usize].next = new.0,
        }
        match before {
            Some(b) => self.nodes[b.index()].prev = new.0,
            None => self.nodes[parent.index()].last = new.0,
        }
    }

    fn unlink(&mut self, id: NodeId) {
        let node = self.nodes[id.index()];
        if node.parent == NONE {
            return;
        }
        match node.prev {
            NONE => self.nodes[node.parent as usize].first = node.next,
            p => self.nodes[p as usize].next = node.next,
        }
        match node.next {
            NONE => self.nodes[node.parent as usize].last = node.prev,
            n => self.nodes[n as usize].prev = node.prev,
        }
        let n = &mut self.nodes[id.index()];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    /// Turns `<x/>` into `<x></x>` so children can be added.
    fn open_up(&mut self, id: NodeId) -> Result<(), EditError> {
        let element = self.element_index(id)?;
        if !self.elements[element].self_closing {
            return Ok(());
        }
        let end = format!("</{}>", self.name(id));
        let close = self.own(">");
        let end_tag = self.own(end);
        let data = &mut self.elements[element];
        data.close = close;
        data.end_tag = end_tag;
        data.self_closing = false;
        Ok(())
    }

    /// Inserts a new self-closing element `<name a="v" … />` as the `index`-th element child
    /// of `parent` (clamped to the end), indented like its siblings.
    pub fn insert_element(
        &mut self,
        parent: NodeId,
        index: usize,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, EditError> {
        if parent == NodeId::DOCUMENT {
            return Err(EditError::SecondRoot);
        }
        self.element_index(parent)?;
        let new = self.new_element(name, attrs)?;
        let siblings: Vec<NodeId> = self.child_elements(parent).collect();
        if let Some(&last) = siblings.last() {
            let anchor = siblings.get(index).copied();
            let reference = anchor.unwrap_or(last);
            // The indentation from the line break on: trailing blanks of the line before
            // belong to that line, not to the new element.
            let ws = self
                .blank_before(reference)
                .map(|t| from_line_break(self.raw_text(t)).to_string());
            match (anchor, ws) {
                (Some(anchor), Some(ws)) => {
                    let before = match self.blank_before(anchor) {
                        Some(t) => self.split_line_tail(t),
                        None => anchor,
                    };
                    let text = self.new_text(ws);
                    self.link(parent, text, Some(before));
                    self.link(parent, new, Some(before));
                }
                (Some(anchor), None) => self.link(parent, new, Some(anchor)),
                (None, ws) => {
                    let after = match self.next_sibling(last) {
                        Some(t) if self.kind(t) == NodeKind::Text && is_blank(self.raw_text(t)) => {
                            Some(self.split_line_tail(t))
                        }
                        other => other,
                    };
                    if let Some(ws) = ws {
                        let text = self.new_text(ws);
                        self.link(parent, text, after);
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
        let (newline, parent_indent) = match self.blank_before(parent) {
            Some(t) => {
                let (nl, indent) = split_indent(self.raw_text(t));
                // One line break, even when the parent follows a blank line.
                let nl = if nl.ends_with("\r\n") {
                    "\r\n"
                } else if nl.ends_with('\n') {
                    "\n"
                } else if nl.ends_with('\r') {
                    "\r"
                } else {
                    self.newline()
                };
                (nl.to_string(), indent.to_string())
            }
            None => (self.newline().to_string(), String::new()),
        };
        let unit = self.indent_unit();
        self.open_up(parent)?;
        let blanks: Vec<NodeId> = self.children(parent).collect();
        for b in blanks {
            self.unlink(b);
        }
        let lead = self.new_text(format!("{newline}{parent_indent}{unit}"));
        let tail = self.new_text(format!("{newline}{parent_indent}"));
        self.link(parent, lead, None);
        self.link(parent, new, None);
        self.link(parent, tail, None);
        Ok(new)
    }

    /// Splits a whitespace text node that starts with blanks before its first line break
    /// (`"  \r\n    "`) into the line's tail (`"  "`) and the rest, returning the node of
    /// the rest (or the node itself when there is nothing to split).
    fn split_line_tail(&mut self, id: NodeId) -> NodeId {
        let text = self.raw_text(id);
        let rest = from_line_break(text);
        if rest.len() == text.len() || rest.is_empty() {
            return id;
        }
        let head = text[..text.len() - rest.len()].to_string();
        let rest = rest.to_string();
        let Some(parent) = self.parent(id) else {
            return id;
        };
        let next = self.next_sibling(id);
        self.unlink(id);
        let head = self.new_text(head);
        let tail = self.new_text(rest);
        self.link(parent, head, next);
        self.link(parent, tail, next);
        tail
    }

    /// Appends a new element as the last element child of `parent`.
    pub fn append_element(
        &mut self,
        parent: NodeId,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> Result<NodeId, EditError> {
        self.insert_element(parent, usize::MAX, name, attrs)
    }

    /// Removes an element together with the whitespace that indents it.
    pub fn remove_element(&mut self, id: NodeId) -> Result<(), EditError> {
        self.element_index(id)?;
        if self.parent(id).is_none_or(|p| p == NodeId::DOCUMENT) {
            return Err(EditError::SecondRoot);
        }
        if let Some(ws) = self.blank_before(id) {
            self.unlink(ws);
        }
        self.unlink(id);
        Ok(())
    }

    /// Finds or creates the nested element path `names` below `parent` (each step takes the
    /// first child element of that name), returning the innermost element.
    pub fn ensure_path(&mut self, parent: NodeId, names: &[&str]) -> Result<NodeId, EditError> {
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
    use super::split_indent;

    #[test]
    fn splits_indentation() {
        assert_eq!(split_indent("\r\n    "), ("\r\n", "    "));
        assert_eq!(split_indent("\n\n\t"), ("\n\n", "\t"));
        assert_eq!(split_indent("  "), ("", "  "));
    }
}
