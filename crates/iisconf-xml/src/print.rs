//! Printing: concatenates the tokens of the tree. Unedited tokens are slices of the source,
//! so an unedited document prints byte for byte as it was read.

use crate::node::{NodeId, NodeKind, Part, EDITED, NEW, NONE, SELF_CLOSING};
use crate::{Document, TextEncoding};

impl Document {
    /// The document as text (without byte-order mark).
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.output_capacity());
        self.write_subtree(NodeId::DOCUMENT, &mut out);
        out
    }

    /// The document as bytes in its original encoding, byte-order mark included.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self.encoding {
            // UTF-8 needs no re-encoding: print straight into the output buffer (the BOM is
            // U+FEFF encoded as UTF-8) instead of copying the whole text a second time.
            TextEncoding::Utf8 { bom } => {
                let mut out = String::with_capacity(self.output_capacity());
                if bom {
                    out.push('\u{FEFF}');
                }
                self.write_subtree(NodeId::DOCUMENT, &mut out);
                out.into_bytes()
            }
            encoding => encoding.encode(&self.to_text()),
        }
    }

    /// Room for the printed document: the source and some for what edits add, so that a
    /// large document is not copied to grow its buffer at the very end.
    fn output_capacity(&self) -> usize {
        let len = self.source().len();
        len + len / 256 + 4096
    }

    /// Writes the text of `id` and everything below it (for the document node: the whole
    /// document). The whitespace before `id` itself is not part of it. Iterative, so nesting
    /// depth is not limited by the stack.
    pub fn write_subtree(&self, id: NodeId, out: &mut String) {
        let top = id;
        let mut cur = id;
        self.write_open(cur, out);
        loop {
            let node = self.node(cur);
            if node.first != NONE {
                cur = NodeId(node.first);
                out.push_str(self.leading_whitespace(cur));
                self.write_open(cur, out);
                continue;
            }
            // Close `cur`, then climb until a node with a next sibling.
            loop {
                self.write_close(cur, out);
                if cur == top {
                    return;
                }
                let node = self.node(cur);
                if node.next != NONE {
                    cur = NodeId(node.next);
                    out.push_str(self.leading_whitespace(cur));
                    self.write_open(cur, out);
                    break;
                }
                match self.parent(cur) {
                    Some(p) => cur = p,
                    None => return,
                }
            }
        }
    }

    /// Writes a node's token, or an element's start tag.
    fn write_open(&self, id: NodeId, out: &mut String) {
        let node = self.node(id);
        match node.kind {
            NodeKind::Document => {}
            // An unedited start tag is one span of the source.
            NodeKind::Element if !node.has(EDITED | NEW) => {
                out.push_str(self.src(node.start, node.end));
            }
            NodeKind::Element => {
                out.push('<');
                out.push_str(self.part(id, Part::Name));
                for a in self.attr_slice(node) {
                    let a = self.attr_tokens(a);
                    out.push_str(self.raw(a.ws));
                    out.push_str(self.raw(a.name));
                    out.push_str(self.raw(a.eq));
                    out.push(a.quote as char);
                    out.push_str(self.raw(a.value));
                    out.push(a.quote as char);
                }
                out.push_str(self.part(id, Part::Close));
            }
            _ => out.push_str(self.raw_text(id)),
        }
    }

    /// Writes the whitespace after the last child and the end tag (the end of the file for
    /// the document node).
    fn write_close(&self, id: NodeId, out: &mut String) {
        let node = self.node(id);
        match node.kind {
            NodeKind::Document => out.push_str(self.part(id, Part::Tail)),
            NodeKind::Element if !node.has(SELF_CLOSING) => {
                out.push_str(self.part(id, Part::Tail));
                out.push_str(self.part(id, Part::EndTag));
            }
            _ => {}
        }
    }
}
