//! Builds a [`Document`] from text, with quick-xml as the tokenizer.
//!
//! quick-xml supplies token boundaries (`buffer_position` before and after each event); the
//! document keeps spans of the source rather than quick-xml's decoded events, so output is
//! byte-exact. Structure (matching end tags, one root element, no text outside it) and
//! references are checked here, with positions.

use super::lex::{self, TagError};
use super::{
    escape, Document, ElementData, LineIndex, Node, NodeKind, ParseError, Raw, TextEncoding, NONE,
};
use quick_xml::events::Event;
use quick_xml::Reader;

struct Builder {
    nodes: Vec<Node>,
    elements: Vec<ElementData>,
    attrs: Vec<super::AttrData>,
    /// Open elements, innermost last.
    stack: Vec<u32>,
    root_seen: bool,
    root_closed: bool,
}

enum Failure {
    At(usize, String, &'static str),
}

impl From<TagError> for Failure {
    fn from(e: TagError) -> Failure {
        Failure::At(e.offset, e.message, e.help)
    }
}

/// Parses `text` into a document.
pub(super) fn build(text: String, encoding: TextEncoding) -> Result<Document, ParseError> {
    if text.len() >= (u32::MAX - 1) as usize {
        return Err(ParseError::at_start(
            "the file is larger than 4 GiB",
            "configuration files this large are not supported",
        ));
    }
    let mut builder = Builder {
        nodes: Vec::with_capacity(text.len() / 24 + 2),
        elements: Vec::with_capacity(text.len() / 64 + 1),
        attrs: Vec::with_capacity(text.len() / 32 + 1),
        stack: Vec::new(),
        root_seen: false,
        root_closed: false,
    };
    builder.nodes.push(Node {
        parent: NONE,
        prev: NONE,
        next: NONE,
        first: NONE,
        last: NONE,
        kind: NodeKind::Document,
        raw: Raw::span(0, text.len()),
        element: NONE,
    });
    match builder.run(&text) {
        Ok(()) => Ok(Document {
            text,
            encoding,
            lines: std::sync::OnceLock::new(),
            nodes: builder.nodes,
            elements: builder.elements,
            attrs: builder.attrs,
            owned: Vec::new(),
        }),
        Err(Failure::At(offset, message, help)) => Err(ParseError {
            position: LineIndex::new(&text).position(&text, offset),
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
            offset,
        }),
    }
}

impl Builder {
    fn parent(&self) -> u32 {
        self.stack.last().copied().unwrap_or(0)
    }

    fn append(&mut self, kind: NodeKind, raw: Raw, element: u32) -> u32 {
        let id = self.nodes.len() as u32;
        let parent = self.parent();
        let prev = self.nodes[parent as usize].last;
        self.nodes.push(Node {
            parent,
            prev,
            next: NONE,
            first: NONE,
            last: NONE,
            kind,
            raw,
            element,
        });
        if prev == NONE {
            self.nodes[parent as usize].first = id;
        } else {
            self.nodes[prev as usize].next = id;
        }
        self.nodes[parent as usize].last = id;
        id
    }

    /// Appends text, merging with a directly preceding text node (text and references
    /// arrive as separate events).
    fn append_text(&mut self, start: usize, end: usize) {
        let parent = self.parent() as usize;
        let last = self.nodes[parent].last;
        if last != NONE {
            let node = &mut self.nodes[last as usize];
            if node.kind == NodeKind::Text && node.raw.end as usize == start {
                node.raw.end = end as u32;
                return;
            }
        }
        self.append(NodeKind::Text, Raw::span(start, end), NONE);
    }

    fn run(&mut self, text: &str) -> Result<(), Failure> {
        if text.trim().is_empty() {
            return Err(Failure::At(
                0,
                if text.is_empty() {
                    "the file is empty".to_string()
                } else {
                    "the file holds only whitespace".to_string()
                },
                "a configuration file needs a root element, e.g. <configuration></configuration>",
            ));
        }
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = false;
        config.check_comments = true;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        let mut start = 0usize;
        loop {
            let event = reader.read_event();
            let end = reader.buffer_position() as usize;
            match event {
                Err(e) => {
                    let at = reader.error_position() as usize;
                    return Err(Failure::At(at, describe_quick_xml_error(&e), ""));
                }
                Ok(Event::Eof) => return self.finish(text),
                Ok(Event::Start(_)) => self.start_element(text, start, end, false)?,
                Ok(Event::Empty(_)) => self.start_element(text, start, end, true)?,
                Ok(Event::End(_)) => self.end_element(text, start, end)?,
                Ok(Event::Text(_)) => {
                    let raw = &text[start..end];
                    self.check_text(raw, start)?;
                    self.append_text(start, end);
                }
                Ok(Event::GeneralRef(_)) => {
                    let raw = &text[start..end];
                    if let Some((at, message)) = escape::check_references(raw) {
                        return Err(Failure::At(
                            start + at,
                            message,
                            "write a literal & as &amp;",
                        ));
                    }
                    if self.stack.is_empty() {
                        return Err(Failure::At(
                            start,
                            "a reference outside the root element".to_string(),
                            "",
                        ));
                    }
                    self.append_text(start, end);
                }
                Ok(Event::CData(_)) => {
                    if self.stack.is_empty() {
                        return Err(Failure::At(
                            start,
                            "CDATA outside the root element".to_string(),
                            "",
                        ));
                    }
                    self.append(NodeKind::CData, Raw::span(start, end), NONE);
                }
                Ok(Event::Comment(_)) => {
                    self.append(NodeKind::Comment, Raw::span(start, end), NONE);
                }
                Ok(Event::Decl(_)) => {
                    if start != 0 {
                        return Err(Failure::At(
                            start,
                            "the XML declaration must be at the very start of the file".to_string(),
                            "move <?xml …?> to the first line, or remove it",
                        ));
                    }
                    self.append(NodeKind::Declaration, Raw::span(start, end), NONE);
                }
                Ok(Event::PI(_)) => {
                    self.append(NodeKind::ProcessingInstruction, Raw::span(start, end), NONE);
                }
                Ok(Event::DocType(_)) => {
                    let raw = &text[start..end];
                    if self.root_seen {
                        return Err(Failure::At(
                            start,
                            "a DOCTYPE after the root element".to_string(),
                            "",
                        ));
                    }
                    if let Some(at) = raw.find("<!ENTITY") {
                        return Err(Failure::At(
                            start + at,
                            "the DOCTYPE declares entities, which are refused".to_string(),
                            "entity declarations are never expanded (no external resources, no entity bombs); remove the internal subset",
                        ));
                    }
                    self.append(NodeKind::Doctype, Raw::span(start, end), NONE);
                }
            }
            start = end;
        }
    }

    fn check_text(&self, raw: &str, start: usize) -> Result<(), Failure> {
        if self.stack.is_empty() {
            if let Some(at) = raw.find(|c: char| !c.is_whitespace()) {
                let message = if self.root_closed {
                    "text after the root element"
                } else {
                    "text before the root element"
                };
                return Err(Failure::At(
                    start + at,
                    message.to_string(),
                    "a configuration file holds one root element and nothing else but comments",
                ));
            }
        }
        // Fast path: most text in a configuration file is indentation between tags, and
        // printable ASCII needs neither the character check nor the `]]>` search.
        let plain = |b: &u8| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r') && *b != b']';
        if raw.as_bytes().iter().all(plain) {
            return Ok(());
        }
        if let Some((at, c)) = raw.char_indices().find(|(_, c)| !escape::is_xml_char(*c)) {
            return Err(Failure::At(
                start + at,
                format!("character U+{:04X} is not allowed in XML", c as u32),
                "",
            ));
        }
        if let Some(at) = raw.find("]]>") {
            return Err(Failure::At(
                start + at,
                "`]]>` is not allowed in text".to_string(),
                "write it as ]]&gt;",
            ));
        }
        Ok(())
    }

    fn start_element(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        self_closing: bool,
    ) -> Result<(), Failure> {
        if self.stack.is_empty() {
            if self.root_closed {
                return Err(Failure::At(
                    start,
                    "a second root element".to_string(),
                    "a configuration file has exactly one root element; wrap or remove this one",
                ));
            }
            self.root_seen = true;
        }
        let attrs_start = self.attrs.len();
        let tag = lex::lex_start_tag(text, start, end, &mut self.attrs)?;
        let element = self.elements.len() as u32;
        self.elements.push(ElementData {
            name: tag.name,
            attrs_start: attrs_start as u32,
            attrs_len: (self.attrs.len() - attrs_start) as u32,
            close: tag.close,
            end_tag: Raw::empty(),
            self_closing,
        });
        let id = self.append(NodeKind::Element, Raw::span(start, end), element);
        if self_closing {
            if self.stack.is_empty() {
                self.root_closed = true;
            }
        } else {
            self.stack.push(id);
        }
        Ok(())
    }

    fn end_element(&mut self, text: &str, start: usize, end: usize) -> Result<(), Failure> {
        let inner = &text[start + 2..end - 1];
        let name = inner.trim_end_matches([' ', '\t', '\r', '\n']);
        lex::check_name(text, start + 2, start + 2 + name.len())?;
        let Some(&open) = self.stack.last() else {
            let help = if self.root_closed {
                "the matching start tag is missing or commented out; restore it or remove this end tag"
            } else {
                "remove this end tag or add the matching start tag"
            };
            return Err(Failure::At(
                start,
                format!("end tag </{name}> has no matching start tag"),
                help,
            ));
        };
        let data = &self.elements[self.nodes[open as usize].element as usize];
        let open_name = &text[data.name.start as usize..data.name.end as usize];
        if open_name != name {
            let open_at = self.nodes[open as usize].raw.start as usize;
            let lines = LineIndex::new(&text[..open_at]);
            let pos = lines.position(&text[..open_at], open_at);
            return Err(Failure::At(
                start,
                format!(
                    "end tag </{name}> does not match the start tag <{open_name}> at {pos}; expected </{open_name}>"
                ),
                "close elements in the reverse order they were opened",
            ));
        }
        let element = self.nodes[open as usize].element as usize;
        self.elements[element].end_tag = Raw::span(start, end);
        self.stack.pop();
        if self.stack.is_empty() {
            self.root_closed = true;
        }
        Ok(())
    }

    fn finish(&mut self, text: &str) -> Result<(), Failure> {
        if let Some(&open) = self.stack.last() {
            let data = &self.elements[self.nodes[open as usize].element as usize];
            let name = &text[data.name.start as usize..data.name.end as usize];
            return Err(Failure::At(
                self.nodes[open as usize].raw.start as usize,
                format!("element <{name}> is never closed; expected </{name}> before the end of the file"),
                "add the missing end tag",
            ));
        }
        if !self.root_seen {
            return Err(Failure::At(
                text.len(),
                "no root element".to_string(),
                "a configuration file needs a root element, e.g. <configuration></configuration>",
            ));
        }
        Ok(())
    }
}

fn describe_quick_xml_error(e: &quick_xml::Error) -> String {
    use quick_xml::errors::SyntaxError;
    match e {
        quick_xml::Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => {
                "expected a comment `<!--`, CDATA `<![CDATA[` or `<!DOCTYPE` after `<!`".to_string()
            }
            SyntaxError::UnclosedPIOrXmlDecl => {
                "a processing instruction or XML declaration is not closed; expected `?>`"
                    .to_string()
            }
            SyntaxError::UnclosedComment => "a comment is not closed; expected `-->`".to_string(),
            SyntaxError::UnclosedDoctype => "the DOCTYPE is not closed; expected `>`".to_string(),
            SyntaxError::UnclosedCData => {
                "a CDATA section is not closed; expected `]]>`".to_string()
            }
            SyntaxError::UnclosedTag => "a tag is not closed; expected `>`".to_string(),
        },
        quick_xml::Error::IllFormed(ill) => format!("not well-formed: {ill}"),
        other => format!("not well-formed: {other}"),
    }
}
