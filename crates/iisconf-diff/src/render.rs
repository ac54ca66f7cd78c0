//! The reports of a diff: for people (grouped by path and section, old → new with each
//! side's file:line:column), JSON, and Markdown for a pull-request comment.

use crate::model::{Difference, Kind};
use crate::Diff;
use std::fmt::Write;

/// The human report: grouped by config path and section, one line per change.
pub fn human(diff: &Diff) -> String {
    let mut out = String::new();
    let mut last: Option<(&str, &str)> = None;
    for d in &diff.differences {
        if last.map(|(p, _)| p) != Some(d.path.as_str()) {
            let _ = writeln!(out, "{}", d.path);
            last = None;
        }
        if last.map(|(_, s)| s) != Some(d.section.as_str()) {
            let _ = writeln!(out, "  {}", d.section);
        }
        last = Some((&d.path, &d.section));
        let _ = writeln!(out, "    {}", line(d));
        for (side, origin) in [("old", &d.old_origin), ("new", &d.new_origin)] {
            if let Some(origin) = origin {
                let _ = writeln!(out, "        {side}: {origin}");
            }
        }
    }
    for note in &diff.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(out, "{}", summary(diff));
    out
}

/// One change in words: `~ session.timeout: 00:20:00 → 00:10:00 (and 12 paths below)`.
fn line(d: &Difference) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
    let text = match d.kind {
        Kind::Changed => format!("~ {}: {} → {}", d.locator(), value(&d.old), value(&d.new)),
        Kind::Added => format!("+ {}", d.locator()),
        Kind::Removed => format!("- {}", d.locator()),
        Kind::Reordered => format!(
            "↕ {} reordered: {} → {}",
            if d.element.is_empty() {
                "entries"
            } else {
                &d.element
            },
            value(&d.old),
            value(&d.new)
        ),
        Kind::Lock => format!("lock: overrideMode {} → {}", value(&d.old), value(&d.new)),
    };
    match d.paths_below {
        0 => text,
        1 => format!("{text} (and 1 path below)"),
        n => format!("{text} (and {n} paths below)"),
    }
}

/// `3 differences` or `no differences in the effective configuration`.
fn summary(diff: &Diff) -> String {
    match diff.differences.len() {
        0 => "no differences in the effective configuration".to_string(),
        1 => "1 difference".to_string(),
        n => format!("{n} differences"),
    }
}

/// The JSON report: `{"differences": [...], "notes": [...]}`.
pub fn json(diff: &Diff) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(diff)
}

/// The Markdown report: one table of every change, for a pull-request comment.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::from("### Effective configuration changes\n\n");
    if diff.differences.is_empty() {
        out.push_str("No differences in the effective configuration.\n");
    } else {
        out.push_str("| path | section | change | old | new |\n|---|---|---|---|---|\n");
        for d in &diff.differences {
            let cell = |v: &Option<String>, origin: &Option<String>| match (v, origin) {
                (Some(v), Some(o)) => format!("`{}` <sub>{}</sub>", escape(v), escape(o)),
                (Some(v), None) => format!("`{}`", escape(v)),
                (None, Some(o)) => format!("<sub>{}</sub>", escape(o)),
                (None, None) => String::new(),
            };
            let mut change = format!("{} `{}`", d.kind.as_str(), escape(&d.locator()));
            if d.paths_below > 0 {
                let _ = write!(change, " (+{} paths below)", d.paths_below);
            }
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | {} |",
                escape(&d.path),
                escape(&d.section),
                change,
                cell(&d.old, &d.old_origin),
                cell(&d.new, &d.new_origin)
            );
        }
        let _ = writeln!(out, "\n{}.", summary(diff));
    }
    for note in &diff.notes {
        let _ = writeln!(out, "\n> note: {}", escape(note));
    }
    out
}

/// Keeps a table cell one cell: pipes and line breaks escaped.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
