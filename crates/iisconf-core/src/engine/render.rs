//! Renders an effective section: as XML with every value (appcmd's `/config:*`), and as a
//! readable explanation of where each value came from.

use super::{Effective, EffectiveElement, Provenance};
use iisconf_xml::escape::escape_attribute;
use std::fmt::Write;

/// How [`to_xml_with`] writes a section, built from [`XmlOptions::default`] (every value,
/// no section groups, four-space indents):
///
/// ```
/// let options = iisconf_core::engine::render::XmlOptions::default()
///     .defaults(false)
///     .section_groups(true)
///     .indent("  ");
/// assert!(options.section_groups && !options.defaults);
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct XmlOptions {
    /// Include schema defaults (appcmd's `/config:*`); otherwise only values written in
    /// some file (or inherited from a collection's default element).
    pub defaults: bool,
    /// Wrap the section in its section group elements (`<system.webServer>…`).
    pub section_groups: bool,
    /// One level of indentation.
    pub indent: &'static str,
}

impl Default for XmlOptions {
    fn default() -> XmlOptions {
        XmlOptions {
            defaults: true,
            section_groups: false,
            indent: "    ",
        }
    }
}

impl XmlOptions {
    /// Whether schema defaults are included (appcmd's `/config:*`).
    pub fn defaults(mut self, defaults: bool) -> XmlOptions {
        self.defaults = defaults;
        self
    }

    /// Whether the section is wrapped in its section group elements.
    pub fn section_groups(mut self, wrap: bool) -> XmlOptions {
        self.section_groups = wrap;
        self
    }

    /// One level of indentation.
    pub fn indent(mut self, indent: &'static str) -> XmlOptions {
        self.indent = indent;
        self
    }
}

/// The effective section as XML, every inherited and default value included, collection
/// entries in effective order, indented by four spaces.
pub fn to_xml(effective: &Effective) -> String {
    to_xml_with(effective, &XmlOptions::default())
}

/// The effective section as XML, as `options` say.
pub fn to_xml_with(effective: &Effective, options: &XmlOptions) -> String {
    let mut out = String::new();
    let parts: Vec<&str> = effective.section.split('/').collect();
    let groups = if options.section_groups {
        &parts[..parts.len().saturating_sub(1)]
    } else {
        &[][..]
    };
    for (depth, g) in groups.iter().enumerate() {
        let _ = writeln!(out, "{}<{g}>", options.indent.repeat(depth));
    }
    write_element(
        &mut out,
        &effective.root,
        &effective.root.name,
        groups.len(),
        true,
        options,
    );
    for (depth, g) in groups.iter().enumerate().rev() {
        let _ = writeln!(out, "{}</{g}>", options.indent.repeat(depth));
    }
    out
}

fn shown(origin: &Provenance, options: &XmlOptions) -> bool {
    options.defaults || !matches!(origin, Provenance::SchemaDefault)
}

/// Whether an element has anything to print.
fn has_content(e: &EffectiveElement, options: &XmlOptions) -> bool {
    options.defaults
        || e.attributes.iter().any(|a| shown(&a.origin, options))
        || !e.entries.is_empty()
        || e.children.iter().any(|c| has_content(c, options))
}

fn write_element(
    out: &mut String,
    e: &EffectiveElement,
    name: &str,
    depth: usize,
    always: bool,
    options: &XmlOptions,
) {
    if !always && !has_content(e, options) {
        return;
    }
    let indent = options.indent.repeat(depth);
    let _ = write!(out, "{indent}<{name}");
    for a in e.attributes.iter().filter(|a| shown(&a.origin, options)) {
        let _ = write!(out, " {}=\"{}\"", a.name, escape_attribute(&a.value, b'"'));
    }
    let children: Vec<&EffectiveElement> = e
        .children
        .iter()
        .filter(|c| has_content(c, options))
        .collect();
    if children.is_empty() && e.entries.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for c in children {
        write_element(out, c, &c.name, depth + 1, false, options);
    }
    for entry in &e.entries {
        write_element(
            out,
            &entry.element,
            &entry.directive,
            depth + 1,
            true,
            options,
        );
    }
    let _ = writeln!(out, "{indent}</{name}>");
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
