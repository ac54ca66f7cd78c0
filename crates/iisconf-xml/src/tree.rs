//! Reading the tree: parents, children, siblings, descendants, names, text and spans.

use crate::escape;
use crate::node::{NodeId, NodeKind, Part, Span, EDITED, NEW, NONE, SELF_CLOSING};
use crate::Document;
use std::borrow::Cow;

impl Document {
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

    /// The comments of the document, in document order: recorded while parsing (a large
    /// file holds a million nodes and a few comments), found again once an edit changed the
    /// tree.
    pub fn comments(&self) -> Cow<'_, [NodeId]> {
        match &self.comments {
            Some(comments) => Cow::Borrowed(comments),
            None => Cow::Owned(
                self.descendants(NodeId::DOCUMENT)
                    .filter(|n| self.kind(*n) == NodeKind::Comment)
                    .collect(),
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

    /// The previous sibling of a node (found from the parent's first child: nodes keep no
    /// link back).
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.parent(id)?;
        let mut prev = None;
        for child in self.children(parent) {
            if child == id {
                return prev;
            }
            prev = Some(child);
        }
        None
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
            _ => self.part(id, Part::Token),
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
            end: node.name_end() as usize,
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

    /// The span of a node and everything in it in the original text: for an element, from
    /// its start tag through its end tag (the start tag alone when it closes itself or its
    /// end tag was edited); `None` for nodes created by edits.
    pub fn element_span(&self, id: NodeId) -> Option<Span> {
        let start = self.span(id)?;
        let end = self.end_tag_span(id).unwrap_or(start);
        Some(Span {
            start: start.start,
            end: end.end,
        })
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

#[cfg(test)]
mod tests {
    use crate::Document;

    /// An element's span runs from its start tag through its end tag; a self-closing one's
    /// is its tag.
    #[test]
    fn an_element_spans_its_start_tag_through_its_end_tag() {
        let text = "<a>\n  <b x=\"1\">text</b>\n  <c/>\n</a>";
        let doc = Document::parse_str(text).expect("parses");
        let root = doc.root_element().expect("a root element");
        let spans: Vec<&str> = doc
            .child_elements(root)
            .chain([root])
            .filter_map(|e| doc.element_span(e))
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(spans, ["<b x=\"1\">text</b>", "<c/>", text]);
    }

    /// The comments recorded while parsing are the ones an edited tree holds.
    #[test]
    fn comments_are_listed_in_order_before_and_after_edits() {
        let text = "<!-- a --><r>\n  <!-- b -->\n  <x><!-- c --></x>\n  <y/>\n</r><!-- d -->";
        let mut doc = Document::parse_str(text).expect("parses");
        let bodies = |doc: &Document| -> Vec<String> {
            doc.comments()
                .iter()
                .map(|c| doc.raw_text(*c).to_string())
                .collect()
        };
        assert_eq!(
            bodies(&doc),
            ["<!-- a -->", "<!-- b -->", "<!-- c -->", "<!-- d -->"]
        );
        let root = doc.root_element().expect("a root element");
        let x = doc.child_element(root, "x").expect("x");
        doc.remove_element(x).expect("removed");
        let y = doc.child_element(root, "y").expect("y");
        doc.comment_out(y).expect("commented out");
        assert_eq!(
            bodies(&doc),
            ["<!-- a -->", "<!-- b -->", "<!--<y/>-->", "<!-- d -->"]
        );
    }
}
