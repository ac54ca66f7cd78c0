//! The transform log in Microsoft.Web.XmlTransform's wording: sections opened by
//! `Executing X (transform line L, C)` and closed by `Done executing X`, messages indented
//! two spaces inside them, and warnings and errors as `file (L, C) warning: …`.

use iisconf_xml::Position;

/// How serious a log line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Progress (Microsoft's verbose messages).
    Message,
    /// Something was not applied; the result is still written.
    Warning,
    /// The transform failed; nothing is written.
    Error,
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Message, warning or error.
    pub severity: Severity,
    /// Nesting depth (two spaces each) for messages.
    pub depth: usize,
    /// Where, for warnings and errors: in the transform, or in the source when
    /// `in_source` is set.
    pub position: Option<Position>,
    /// Whether `position` is in the source document (Microsoft reports some warnings there).
    pub in_source: bool,
    /// The text, in Microsoft's wording.
    pub text: String,
}

/// A log: the lines in the order they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    /// The lines.
    pub lines: Vec<Line>,
    depth: usize,
}

impl Log {
    /// Adds a message at the current depth.
    pub fn message(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            severity: Severity::Message,
            depth: self.depth,
            position: None,
            in_source: false,
            text: text.into(),
        });
    }

    /// Opens a section: the message, then deeper messages until [`Log::end_section`].
    pub fn start_section(&mut self, text: impl Into<String>) {
        self.message(text);
        self.depth += 1;
    }

    /// Closes a section with its message.
    pub fn end_section(&mut self, text: impl Into<String>) {
        self.depth = self.depth.saturating_sub(1);
        self.message(text);
    }

    /// Adds a warning or an error at a position of the transform.
    pub fn push_diagnostic(&mut self, severity: Severity, position: Position, text: String) {
        self.lines.push(Line {
            severity,
            depth: self.depth,
            position: Some(position),
            in_source: false,
            text,
        });
    }

    /// Adds a warning at a position of the source document.
    pub fn push_source_warning(&mut self, position: Position, text: String) {
        self.lines.push(Line {
            severity: Severity::Warning,
            depth: self.depth,
            position: Some(position),
            in_source: true,
            text,
        });
    }

    /// Turns the warnings from line `first` on into messages at their depth, as Microsoft's
    /// logger does while `SupressWarnings` is set.
    pub fn downgrade_warnings(&mut self, first: usize) {
        for line in self.lines.iter_mut().skip(first) {
            if line.severity == Severity::Warning {
                line.severity = Severity::Message;
                line.position = None;
                line.in_source = false;
            }
        }
    }

    /// Appends another log's lines.
    pub fn extend(&mut self, other: &Log) {
        self.lines.extend(other.lines.iter().cloned());
    }

    /// Whether the log has no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The number of lines of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.lines.iter().filter(|l| l.severity == severity).count()
    }

    /// The warnings and errors.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .filter(|l| l.severity != Severity::Message)
    }

    /// The log as text, one line each, warnings and errors naming the `transform` file or
    /// the `source` file they are in.
    pub fn render(&self, transform: &str, source: &str) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.render(transform, source));
            out.push('\n');
        }
        out
    }
}

impl Line {
    /// The line as text: a message indented by its depth, or
    /// `file (line, column) warning: text` naming the `transform` or the `source` file.
    pub fn render(&self, transform: &str, source: &str) -> String {
        let file = if self.in_source { source } else { transform };
        let label = match self.severity {
            Severity::Message => return format!("{}{}", "  ".repeat(self.depth), self.text),
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.position {
            Some(p) => format!("{file} ({}, {}) {label}: {}", p.line, p.column, self.text),
            None => format!("{file} {label}: {}", self.text),
        }
    }
}
