//! Grafting: copies of elements taken from another document (children, comments and text
//! included) inserted with the indentation of their new place, and elements turned into
//! comments. Document transforms (XDT) are made of these edits.

use super::{split_indent, DocumentEditError};
use crate::node::{AttrTokens, Node, NodeId, NodeKind, Part, EDITED, NEW, SELF_CLOSING};
use crate::Document;

/// Re-indents whitespace copied from another document: from its first line break on, the
/// indentation `from_base` is replaced by `to_base` and line breaks become `newline`;
/// whitespace without a line break is kept.
fn reindent(ws: &str, from_base: &str, to_base: &str, newline: &str) -> String {
    if !ws.contains(['\n', '\r']) {
        return ws.to_string();
    }
    let indent = split_indent(ws).1;
    let lines = ws
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| matches!(c, '\n' | '\r'))
        .count();
    let rest = indent.strip_prefix(from_base).unwrap_or(indent);
    let head = &ws[..ws.find(['\n', '\r']).unwrap_or(0)];
    format!("{head}{}{to_base}{rest}", newline.repeat(lines.max(1)))
}

/// How copied whitespace is re-indented: the indentation of the copied element in its own
/// document, the one it has in its new place, and this document's line break.
struct Indent {
    from: String,
    to: String,
    newline: &'static str,
}

impl Indent {
    fn apply(&self, ws: &str) -> String {
        reindent(ws, &self.from, &self.to, self.newline)
    }
}

impl Document {
    /// Inserts a copy of the element `element` of `from` (its attributes, children, comments
    /// and text) as a child of `parent`: directly before `before` (which must be a child of
    /// `parent`), or after the last child that is not text. Attributes whose name `keep`
    /// refuses are left out, at every level. The copy is indented like its new siblings
    /// (one unit deeper than `parent` when it has none), and the whitespace inside it keeps
    /// its shape relative to the copied element. Returns the new element.
    pub fn insert_copy(
        &mut self,
        parent: NodeId,
        before: Option<NodeId>,
        from: &Document,
        element: NodeId,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<NodeId, DocumentEditError> {
        if parent == NodeId::DOCUMENT {
            return Err(DocumentEditError::SecondRoot);
        }
        self.check_element(parent)?;
        from.check_element(element)?;
        if before.is_some_and(|b| self.parent(b) != Some(parent)) {
            return Err(DocumentEditError::NotAnElement);
        }
        let mut indent = Indent {
            from: split_indent(from.leading_whitespace(element)).1.to_string(),
            to: String::new(),
            newline: self.newline(),
        };
        let top = self.copy_tag(from, element, keep);
        let last = match before {
            Some(_) => None,
            None => self
                .children(parent)
                .filter(|c| self.kind(*c) != NodeKind::Text)
                .last(),
        };
        self.place_element(parent, top, before, last)?;
        indent.to = self.indent_of(top).to_string();
        self.reindent_tag(from, element, top, &indent);
        // Children are copied level by level: (copy's parent, original child).
        let mut pending: Vec<(NodeId, NodeId)> = from.children(element).map(|c| (top, c)).collect();
        pending.reverse();
        while let Some((into, original)) = pending.pop() {
            let copy = if from.kind(original) == NodeKind::Element {
                let copy = self.copy_tag(from, original, keep);
                self.reindent_tag(from, original, copy, &indent);
                let mut children: Vec<(NodeId, NodeId)> =
                    from.children(original).map(|c| (copy, c)).collect();
                children.reverse();
                pending.extend(children);
                copy
            } else {
                self.copy_token(from, original)
            };
            let lead = indent.apply(from.leading_whitespace(original));
            if !lead.is_empty() {
                self.set_part(copy, Part::Lead, lead);
            }
            self.link(into, copy, None);
        }
        Ok(top)
    }

    /// A detached copy of an element's start tag (and end tag, when it has one).
    fn copy_tag(
        &mut self,
        from: &Document,
        element: NodeId,
        keep: &dyn Fn(&str) -> bool,
    ) -> NodeId {
        let attrs_start = self.attrs.len() as u32;
        let source = from.node(element);
        let kept: Vec<AttrTokens> = from
            .attr_slice(source)
            .iter()
            .map(|a| from.attr_tokens(a))
            .filter(|t| keep(from.raw(t.name)))
            .collect();
        for t in &kept {
            let tokens = AttrTokens {
                ws: self.own(from.raw(t.ws)),
                name: self.own(from.raw(t.name)),
                eq: self.own(from.raw(t.eq)),
                quote: t.quote,
                value: self.own(from.raw(t.value)),
            };
            let attr = self.edited_attr(tokens);
            self.attrs.push(attr);
        }
        let mut node = Node::new(NodeKind::Element, 0, 0);
        node.attrs_start = attrs_start;
        // No more than the copied element has.
        node.attrs_len = u16::try_from(kept.len()).unwrap_or(u16::MAX);
        node.flags = NEW | (source.flags & SELF_CLOSING);
        let id = self.push_new(node);
        self.set_part(id, Part::Name, from.name(element));
        self.set_part(id, Part::Close, from.part(element, Part::Close));
        if !from.is_self_closing(element) {
            self.set_part(id, Part::EndTag, from.part(element, Part::EndTag));
        }
        id
    }

    /// Re-indents the whitespace inside a copied tag once its new indentation is known.
    fn reindent_tag(&mut self, from: &Document, element: NodeId, copy: NodeId, indent: &Indent) {
        let node = *self.node(copy);
        let start = node.attrs_start as usize;
        for slot in start..start + node.attrs_len as usize {
            let Some(a) = self.attrs.get(slot).copied() else {
                continue;
            };
            let mut tokens = self.attr_tokens(&a);
            let ws = self.raw(tokens.ws).to_string();
            tokens.ws = self.own(indent.apply(&ws));
            if let Some(stored) = self.edited_attrs.get_mut(a.edited_index()) {
                *stored = tokens;
            }
        }
        let close = indent.apply(from.part(element, Part::Close));
        self.set_part(copy, Part::Close, close);
        if !from.is_self_closing(element) {
            let tail = indent.apply(from.part(element, Part::Tail));
            self.set_part(copy, Part::Tail, tail);
        }
    }

    /// A detached copy of a node other than an element (comment, text, CDATA …).
    fn copy_token(&mut self, from: &Document, original: NodeId) -> NodeId {
        let mut node = Node::new(from.kind(original), 0, 0);
        node.flags = NEW;
        let id = self.push_new(node);
        self.set_part(id, Part::Token, from.raw_text(original));
        id
    }

    /// Replaces an element by a comment holding its markup (`<!--<add … />-->`), in its
    /// place and with its indentation. A `--` inside, which a comment cannot hold, is
    /// written `- -`. Returns the comment.
    pub fn comment_out(&mut self, id: NodeId) -> Result<NodeId, DocumentEditError> {
        self.check_element(id)?;
        let parent = match self.parent(id) {
            Some(p) if p != NodeId::DOCUMENT => p,
            _ => return Err(DocumentEditError::SecondRoot),
        };
        let mut markup = String::new();
        self.write_subtree(id, &mut markup);
        while markup.contains("--") {
            markup = markup.replace("--", "- -");
        }
        if markup.ends_with('-') {
            markup.push(' ');
        }
        let mut node = Node::new(NodeKind::Comment, 0, 0);
        node.flags = NEW | EDITED;
        let comment = self.push_new(node);
        self.set_part(comment, Part::Token, format!("<!--{markup}-->"));
        let lead = self.leading_whitespace(id).to_string();
        if !lead.is_empty() {
            self.set_part(comment, Part::Lead, lead);
        }
        self.link(parent, comment, Some(id));
        self.unlink(id);
        Ok(comment)
    }
}

#[cfg(test)]
mod tests {
    use crate::Document;

    fn doc(text: &str) -> Document {
        Document::parse_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn copies_are_indented_like_their_new_siblings() {
        let mut target = doc("<c>\r\n  <a>\r\n    <x k=\"1\" />\r\n  </a>\r\n</c>");
        let from =
            doc("<c>\n\t<x k=\"2\"\n\t   t:x=\"y\">\n\t\t<!-- note -->\n\t\t<y/>\n\t</x>\n</c>");
        let root = target.root_element().unwrap_or_else(|| panic!("root"));
        let a = target
            .child_element(root, "a")
            .unwrap_or_else(|| panic!("a"));
        let fr = from.root_element().unwrap_or_else(|| panic!("root"));
        let x = from.child_element(fr, "x").unwrap_or_else(|| panic!("x"));
        let keep = |name: &str| !name.starts_with("t:");
        target
            .insert_copy(a, None, &from, x, &keep)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            target.to_text(),
            "<c>\r\n  <a>\r\n    <x k=\"1\" />\r\n    <x k=\"2\">\r\n    \t<!-- note -->\r\n    \t<y/>\r\n    </x>\r\n  </a>\r\n</c>"
        );
    }

    #[test]
    fn copies_go_into_self_closing_elements() {
        let mut target = doc("<c>\n  <a />\n</c>");
        let from = doc("<x><y/></x>");
        let root = target.root_element().unwrap_or_else(|| panic!("root"));
        let a = target
            .child_element(root, "a")
            .unwrap_or_else(|| panic!("a"));
        let y = from
            .root_element()
            .and_then(|r| from.child_element(r, "y"))
            .unwrap_or_else(|| panic!("y"));
        target
            .insert_copy(a, None, &from, y, &|_| true)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(target.to_text(), "<c>\n  <a>\n    <y/>\n  </a>\n</c>");
    }

    #[test]
    fn commented_out_elements_stay_in_place() {
        let mut target = doc("<c>\n  <a k=\"--\" />\n  <b/>\n</c>");
        let root = target.root_element().unwrap_or_else(|| panic!("root"));
        let a = target
            .child_element(root, "a")
            .unwrap_or_else(|| panic!("a"));
        target.comment_out(a).unwrap_or_else(|e| panic!("{e}"));
        let text = target.to_text();
        assert_eq!(text, "<c>\n  <!--<a k=\"- -\" />-->\n  <b/>\n</c>");
        assert!(Document::parse_str(&text).is_ok());
    }
}
