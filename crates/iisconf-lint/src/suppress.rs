//! Inline suppressions: `<!-- iisconf: ignore RULE[, RULE…] -->` before an element, and
//! `<!-- iisconf: ignore-file RULE[, RULE…] -->` anywhere in a file.
//!
//! A next-element suppression covers findings that start inside the start tag of the element
//! the comment precedes (its name and attributes), not its children: a child element needs its
//! own comment. Only whitespace, other comments and processing instructions may stand between
//! the comment and the element. A rule listed in a suppression that suppresses no finding is
//! reported as IIS4004 `unused-suppression` at the comment, as is a rule name that names no rule.

use super::settings::RuleSelector;
use iisconf_core::config::ConfigFile;
use iisconf_core::diagnostic::{Finding, Rule};
use iisconf_xml::{NodeId, NodeKind, Position, Span};

/// The marker every suppression comment starts with (after `<!--` and whitespace).
pub(crate) const MARKER: &str = "iisconf:";

/// One rule named in a suppression comment.
#[derive(Clone, Debug)]
struct Entry {
    text: String,
    selector: Option<RuleSelector>,
    used: bool,
}

/// One suppression comment.
#[derive(Clone, Debug)]
struct Suppression {
    /// The comment token.
    comment: Span,
    /// Start and end (exclusive) of the covered start tag; `None` for `ignore-file`, or when
    /// no element follows the comment.
    target: Option<(Position, Position)>,
    file_wide: bool,
    entries: Vec<Entry>,
    /// Set when the comment itself is malformed (unknown directive).
    problem: Option<String>,
}

/// The suppressions of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    file: std::sync::Arc<str>,
    list: Vec<Suppression>,
}

impl Suppressions {
    /// Whether a suppression names `rule` (by id, name or a prefix that matches it): its
    /// findings decide whether that suppression is used.
    pub fn mentions(&self, rule: Rule) -> bool {
        self.list.iter().any(|s| {
            s.entries
                .iter()
                .any(|e| e.selector.as_ref().is_some_and(|sel| sel.matches(rule)))
        })
    }

    /// Reads every suppression comment of `file`.
    pub fn scan(file: &ConfigFile) -> Suppressions {
        let mut out = Suppressions {
            file: file.name.clone(),
            ..Suppressions::default()
        };
        let doc = &file.doc;
        // The parser lists the comments: a large file holds a million nodes and few comments.
        for node in doc.comments().iter().copied() {
            let raw = doc.raw_text(node);
            let body = raw
                .strip_prefix("<!--")
                .unwrap_or(raw)
                .strip_suffix("-->")
                .unwrap_or(raw)
                .trim();
            let Some(rest) = body.strip_prefix(MARKER) else {
                continue;
            };
            let Some(comment) = doc.span(node) else {
                continue;
            };
            let rest = rest.trim_start();
            let (directive, list) = rest
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((rest, ""));
            let file_wide = match directive {
                "ignore" => false,
                "ignore-file" => true,
                other => {
                    out.list.push(Suppression {
                        comment,
                        target: None,
                        file_wide: false,
                        entries: Vec::new(),
                        problem: Some(format!(
                            "unknown suppression directive `{other}`: use `iisconf: ignore RULE` (next element) or `iisconf: ignore-file RULE`"
                        )),
                    });
                    continue;
                }
            };
            let entries: Vec<Entry> = list
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(|s| Entry {
                    text: s.to_string(),
                    selector: RuleSelector::parse(s).ok(),
                    used: false,
                })
                .collect();
            let problem = entries
                .is_empty()
                .then(|| "the suppression names no rule: write `iisconf: ignore IIS1004` (ids or names, comma-separated)".to_string());
            let target = if file_wide {
                None
            } else {
                next_element(file, node).and_then(|el| {
                    let span = doc.span(el)?;
                    Some((doc.position(span.start), doc.position(span.end)))
                })
            };
            out.list.push(Suppression {
                comment,
                target,
                file_wide,
                entries,
                problem,
            });
        }
        out
    }

    /// Whether the file has any suppression comment.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Removes the findings of this file that a suppression covers, marking it used.
    pub fn apply(&mut self, findings: &mut Vec<Finding>) {
        if self.list.is_empty() {
            return;
        }
        findings.retain(|f| {
            if *f.place.file != *self.file {
                return true;
            }
            let at = Position {
                line: f.place.line,
                column: f.place.column,
            };
            let mut suppressed = false;
            for s in &mut self.list {
                let covers = s.file_wide || s.target.is_some_and(|(a, b)| a <= at && at < b);
                if !covers {
                    continue;
                }
                for e in &mut s.entries {
                    if e.selector.as_ref().is_some_and(|sel| sel.matches(f.rule)) {
                        e.used = true;
                        suppressed = true;
                    }
                }
            }
            !suppressed
        });
    }

    /// IIS4004 findings for every rule named in a suppression that suppressed nothing, every
    /// unknown rule name and every malformed suppression comment.
    pub fn unused(&self, file: &ConfigFile) -> Vec<Finding> {
        let mut out = Vec::new();
        for s in &self.list {
            let place = file.place(s.comment);
            if let Some(problem) = &s.problem {
                out.push(
                    Finding::new(Rule::UnusedSuppression, place.clone(), problem.clone())
                        .with_span(Some(s.comment)),
                );
                continue;
            }
            for e in s.entries.iter().filter(|e| !e.used) {
                let message = match (&e.selector, s.file_wide, s.target.is_some()) {
                    (None, _, _) => format!(
                        "the suppression names `{}`, which is no rule; `iisconf rules` lists them",
                        e.text
                    ),
                    (Some(_), true, _) => {
                        format!("unused suppression: the file has no `{}` finding", e.text)
                    }
                    (Some(_), false, true) => format!(
                        "unused suppression: the next element has no `{}` finding",
                        e.text
                    ),
                    (Some(_), false, false) => format!(
                        "unused suppression: no element follows the comment, so `{}` suppresses nothing",
                        e.text
                    ),
                };
                out.push(
                    Finding::new(Rule::UnusedSuppression, place.clone(), message)
                        .with_span(Some(s.comment))
                        .with_help(
                            "remove it, or move it right before the element it is meant for",
                        ),
                );
            }
        }
        out
    }
}

/// The element a comment precedes: the next sibling element, with only whitespace text,
/// comments and processing instructions in between.
fn next_element(file: &ConfigFile, comment: NodeId) -> Option<NodeId> {
    let doc = &file.doc;
    let mut cur = doc.next_sibling(comment);
    while let Some(node) = cur {
        match doc.kind(node) {
            NodeKind::Element => return Some(node),
            NodeKind::Comment | NodeKind::ProcessingInstruction => {}
            NodeKind::Text if doc.raw_text(node).trim().is_empty() => {}
            _ => return None,
        }
        cur = doc.next_sibling(node);
    }
    None
}
