//! Renders an effective section: as XML with every value (appcmd's `/config:*`), and as a
//! readable explanation of where each value came from.

use super::{Effective, EffectiveElement, Provenance};
use crate::xml::escape::escape_attribute;
use std::fmt::Write;

/// The effective section as XML, every inherited and default value included, collection
/// entries in effective order, indented by four spaces.
pub fn to_xml(effective: &Effective) -> String {
    let mut out = String::new();
    write_element(&mut out, &effective.root, 0);
    out
}

fn write_element(out: &mut String, e: &EffectiveElement, depth: usize) {
    let indent = "    ".repeat(depth);
    let _ = write!(out, "{indent}<{}", e.name);
    for a in &e.attributes {
        let _ = write!(out, " {}=\"{}\"", a.name, escape_attribute(&a.value, b'"'));
    }
    let children: Vec<&EffectiveElement> = e
        .children
        .iter()
        .chain(e.entries.iter().map(|entry| &entry.element))
        .collect();
    if children.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for c in children {
        write_element(out, c, depth + 1);
    }
    let _ = writeln!(out, "{indent}</{}>", e.name);
}

/// A readable account of every value: `session.timeout = 00:10:00` followed by where it
/// was set and what it overrode.
pub fn explain(effective: &Effective) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} at {}", effective.section, effective.path);
    explain_element(&mut out, &effective.root, "");
    out
}

fn explain_element(out: &mut String, e: &EffectiveElement, prefix: &str) {
    for a in &e.attributes {
        let name = if prefix.is_empty() {
            a.name.clone()
        } else {
            format!("{prefix}.{}", a.name)
        };
        let _ = writeln!(out, "  {name} = {}", a.value);
        let _ = writeln!(out, "      from {}", describe(&a.origin));
        for (value, origin) in a.overrode.iter().rev() {
            let _ = writeln!(out, "      overrides {value} from {}", describe(origin));
        }
    }
    for c in &e.children {
        let p = if prefix.is_empty() {
            c.name.clone()
        } else {
            format!("{prefix}.{}", c.name)
        };
        explain_element(out, c, &p);
    }
    for (i, entry) in e.entries.iter().enumerate() {
        let keyish: Vec<String> = entry
            .element
            .attributes
            .iter()
            .filter(|a| !matches!(a.origin, Provenance::SchemaDefault))
            .take(2)
            .map(|a| format!("{}='{}'", a.name, a.value))
            .collect();
        let p = if prefix.is_empty() {
            format!("[{}]", keyish.join(","))
        } else {
            format!("{prefix}.[{}]", keyish.join(","))
        };
        let _ = writeln!(
            out,
            "  {p} entry {} <{}> added at {}",
            i + 1,
            entry.directive,
            describe(&entry.origin)
        );
        explain_element(out, &entry.element, &p);
    }
}

fn describe(origin: &Provenance) -> String {
    match origin {
        Provenance::File { location, .. } if !location.is_empty() => {
            format!("{origin}")
        }
        Provenance::File { .. } => format!("{origin} (server level)"),
        other => other.to_string(),
    }
}
