//! A small XML writer for generated files: IIS layout (CRLF line ends, four-space indents,
//! double-quoted attributes), with comments wrapped to a readable width.

use iisconf_xml::escape::escape_attribute;

/// The line ending IIS writes.
pub const NEWLINE: &str = "\r\n";
/// One indentation step as IIS writes it.
pub const INDENT: &str = "    ";
/// Start tags longer than this (with indentation) put one attribute per line.
const MAX_LINE: usize = 120;
/// Comment text is wrapped at this width.
const COMMENT_WIDTH: usize = 96;

/// Writes indented XML into a string.
#[derive(Clone, Debug)]
pub struct XmlWriter {
    out: String,
    depth: usize,
    newline: &'static str,
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

impl XmlWriter {
    /// A writer using CRLF line ends.
    pub fn new() -> XmlWriter {
        XmlWriter::with_newline(NEWLINE)
    }

    /// A writer using the given line end (`"\r\n"` or `"\n"`).
    pub fn with_newline(newline: &'static str) -> XmlWriter {
        XmlWriter {
            out: String::new(),
            depth: 0,
            newline,
        }
    }

    /// The current nesting depth.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Sets the nesting depth (for output that continues inside an outer document).
    pub fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
    }

    /// The XML declaration `<?xml version="1.0" encoding="UTF-8"?>`.
    pub fn declaration(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        self.out.push_str(self.newline);
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.out.push_str(self.newline);
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(String, String)], close: &str) {
        let indent = INDENT.len() * self.depth;
        let one_line: String = attrs
            .iter()
            .map(|(k, v)| format!(" {k}=\"{}\"", escape_attribute(v, b'"')))
            .collect();
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        if indent + name.len() + one_line.len() + close.len() < MAX_LINE || attrs.len() < 2 {
            self.out.push_str(&one_line);
        } else {
            let pad = " ".repeat(indent + name.len() + 1);
            for (i, (k, v)) in attrs.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(self.newline);
                    self.out.push_str(&pad);
                }
                self.out.push(' ');
                self.out.push_str(k);
                self.out.push_str("=\"");
                self.out.push_str(&escape_attribute(v, b'"'));
                self.out.push('"');
            }
        }
        self.out.push_str(close);
        self.out.push_str(self.newline);
    }

    /// A start tag; the following output is one level deeper until [`XmlWriter::end`].
    pub fn start(&mut self, name: &str, attrs: &[(String, String)]) {
        self.tag(name, attrs, ">");
        self.depth += 1;
    }

    /// A self-closing element `<name a="v" />`.
    pub fn empty(&mut self, name: &str, attrs: &[(String, String)]) {
        self.tag(name, attrs, " />");
    }

    /// The end tag of the element opened last.
    pub fn end(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.out.push_str(self.newline);
    }

    /// A comment, wrapped at a readable width; `--` in the text is defused.
    pub fn comment(&mut self, text: &str) {
        let text = comment_safe(text);
        let indent = INDENT.len() * self.depth;
        let lines = wrap(&text, COMMENT_WIDTH.saturating_sub(indent).max(40));
        for (i, line) in lines.iter().enumerate() {
            self.indent();
            self.out.push_str(if i == 0 { "<!-- " } else { "     " });
            self.out.push_str(line);
            if i + 1 == lines.len() {
                self.out.push_str(" -->");
            }
            self.out.push_str(self.newline);
        }
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Makes text safe inside `<!-- -->`: no `--`, no trailing `-`.
pub fn comment_safe(text: &str) -> String {
    let mut s = text.replace("--", "- -");
    while s.contains("--") {
        s = s.replace("--", "- -");
    }
    if s.ends_with('-') {
        s.push(' ');
    }
    s
}

/// Splits text into lines of at most `width` characters at spaces (longer words stay whole).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The first sentence of a description (up to the first `. ` followed by a capital letter).
pub fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text.get(i..).and_then(|t| t.find(". ")) {
        let at = i + pos;
        let next = bytes.get(at + 2).copied().unwrap_or(b' ');
        if next.is_ascii_uppercase() {
            return text.get(..=at).unwrap_or(text);
        }
        i = at + 2;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tags_break_per_attribute() {
        let mut w = XmlWriter::new();
        let attrs: Vec<(String, String)> = (0..12)
            .map(|i| (format!("attribute{i}"), "some value".to_string()))
            .collect();
        w.empty("x", &attrs);
        let text = w.finish();
        assert_eq!(text.lines().count(), 12);
        assert!(text.ends_with(" />\r\n"));
    }

    #[test]
    fn comments_are_safe_and_wrapped() {
        let mut w = XmlWriter::new();
        w.comment(&"a--b ".repeat(40));
        let text = w.finish();
        assert!(!text.contains("a--b"));
        assert!(text.lines().count() > 1);
        assert!(text.starts_with("<!-- ") && text.trim_end().ends_with("-->"));
    }

    #[test]
    fn first_sentence_stops_at_capital() {
        assert_eq!(first_sentence("One (e.g. x). Two."), "One (e.g. x).");
        assert_eq!(first_sentence("No stop"), "No stop");
    }
}
