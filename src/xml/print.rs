//! Printing: concatenates the tokens of the tree. Unedited tokens are slices of the source,
//! so an unedited document prints byte for byte as it was read.

use super::{Document, NodeId, NodeKind, TextEncoding, NONE};

impl Document {
    /// The document as text (without byte-order mark).
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 64);
        self.write_subtree(NodeId::DOCUMENT, &mut out);
        out
    }

    /// The document as bytes in its original encoding, byte-order mark included.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self.encoding {
            // UTF-8 needs no re-encoding: print straight into the output buffer (the BOM is
            // U+FEFF encoded as UTF-8) instead of copying the whole text a second time.
            TextEncoding::Utf8 { bom } => {
                let mut out = String::with_capacity(self.text.len() + 64);
                if bom {
                    out.push('\u{FEFF}');
                }
                self.write_subtree(NodeId::DOCUMENT, &mut out);
                out.into_bytes()
            }
            encoding => encoding.encode(&self.to_text()),
        }
    }

    /// Writes the text of `id` and everything below it (for the document node: the whole
    /// document). Iterative, so nesting depth is not limited by the stack.
    pub fn write_subtree(&self, id: NodeId, out: &mut String) {
        let top = id;
        let mut cur = id;
        if self.kind(top) == NodeKind::Document {
            match self.node(top).first {
                NONE => return,
                first => cur = NodeId(first),
            }
        }
        loop {
            self.write_open(cur, out);
            let node = self.node(cur);
            if node.first != NONE {
                cur = NodeId(node.first);
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
                    break;
                }
                match self.parent(cur) {
                    Some(p) if self.kind(p) != NodeKind::Document => cur = p,
                    _ => return,
                }
            }
        }
    }

    fn write_open(&self, id: NodeId, out: &mut String) {
        let node = self.node(id);
        match node.kind {
            NodeKind::Document => {}
            NodeKind::Element => {
                let data = &self.elements[node.element as usize];
                out.push('<');
                out.push_str(self.raw(data.name));
                for a in self.attr_slice(data) {
                    out.push_str(self.raw(a.ws));
                    out.push_str(self.raw(a.name));
                    out.push_str(self.raw(a.eq));
                    out.push(a.quote as char);
                    out.push_str(self.raw(a.value));
                    out.push(a.quote as char);
                }
                out.push_str(self.raw(data.close));
            }
            _ => out.push_str(self.raw(node.raw)),
        }
    }

    fn write_close(&self, id: NodeId, out: &mut String) {
        if let Some(data) = self.element_data(id) {
            if !data.self_closing {
                out.push_str(self.raw(data.end_tag));
            }
        }
    }
}
