//! `appcmd list config` output forms: the section as XML (the default), appcmd's detail
//! view (`/text:*`: `CONFIG` / `CONFIG.SECTION:"…"` lines that scripts grep, with the CONFIG
//! object's `overrideMode` and `locked`), one value per section (`/text:ATTR`) and appcmd's
//! XML form (`/xml`), as "Getting Started with AppCmd.exe" describes appcmd's output parameters
//! (<https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe>).

use iisconf::config::OverrideMode;
use iisconf::edit::grammar::appcmd::Output;
use iisconf::edit::grammar::names::canonical_dotted;
use iisconf::engine::render::{to_xml_with, XmlOptions};
use iisconf::engine::{Effective, EffectiveElement, Hierarchy, Provenance};
use iisconf::xml::escape::escape_attribute;
use std::fmt::Write;

/// The listing of `sections` (effective at their paths) in the form asked for.
pub fn render(h: &Hierarchy, sections: &[Effective], output: &Output, defaults: bool) -> String {
    match output {
        Output::Default => sections
            .iter()
            .map(|eff| {
                to_xml_with(
                    eff,
                    &XmlOptions::default()
                        .defaults(defaults)
                        .section_groups(true)
                        .indent("  "),
                )
            })
            .collect(),
        Output::TextAll => sections.iter().map(|eff| text_all(h, eff)).collect(),
        Output::TextOf(name) => sections
            .iter()
            .map(|eff| format!("{}\n", text_of(h, eff, name)))
            .collect(),
        Output::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n");
            for eff in sections {
                xml_object(h, &mut out, eff, defaults);
            }
            out.push_str("</appcmd>\n");
            out
        }
    }
}

/// appcmd's `overrideMode` and `locked` properties of the CONFIG object: the mode a
/// location tag sets for the path and whether the section is locked there.
fn lock_properties(h: &Hierarchy, eff: &Effective) -> (&'static str, &'static str) {
    match h.section_lock_state(&eff.path, &eff.section) {
        Ok(state) => (
            match state.override_mode {
                OverrideMode::Allow => "Allow",
                OverrideMode::Deny => "Deny",
                OverrideMode::Inherit => "Inherit",
            },
            if state.locked { "true" } else { "false" },
        ),
        Err(_) => ("Inherit", "false"),
    }
}

/// `/text:*`: the CONFIG object's properties, then the section with every value.
fn text_all(h: &Hierarchy, eff: &Effective) -> String {
    let (mode, locked) = lock_properties(h, eff);
    let mut out = String::new();
    let _ = writeln!(out, "CONFIG");
    let _ = writeln!(out, "  CONFIG.SECTION:\"{}\"", eff.section);
    let _ = writeln!(out, "  path:\"{}\"", eff.path);
    let _ = writeln!(out, "  overrideMode:\"{mode}\"");
    let _ = writeln!(out, "  locked:\"{locked}\"");
    text_element(&mut out, &eff.root, &eff.section, 1);
    out
}

fn text_element(out: &mut String, e: &EffectiveElement, name: &str, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(out, "{indent}[{name}]");
    for a in &e.attributes {
        let _ = writeln!(out, "{indent}  {}:\"{}\"", a.name, a.value);
    }
    for c in &e.children {
        text_element(out, c, &c.name, depth + 1);
    }
    for entry in &e.entries {
        text_element(out, &entry.element, &entry.directive, depth + 1);
    }
}

/// `/text:ATTR`: one property of the CONFIG object (`CONFIG.SECTION`, `path`) or one
/// attribute of the section (a dotted path, any letter case); empty when it has none.
fn text_of(h: &Hierarchy, eff: &Effective, name: &str) -> String {
    if name.eq_ignore_ascii_case("CONFIG.SECTION") {
        return eff.section.clone();
    }
    if name.eq_ignore_ascii_case("path") && eff.root.attribute("path").is_none() {
        return eff.path.clone();
    }
    if name.eq_ignore_ascii_case("overrideMode") && eff.root.attribute("overrideMode").is_none() {
        return lock_properties(h, eff).0.to_string();
    }
    if name.eq_ignore_ascii_case("locked") && eff.root.attribute("locked").is_none() {
        return lock_properties(h, eff).1.to_string();
    }
    let dotted = match h.registry().section(&eff.section) {
        Some(schema) => canonical_dotted(schema, name),
        None => name.to_string(),
    };
    eff.root
        .lookup(&dotted)
        .map(|a| a.value.clone())
        .unwrap_or_default()
}

/// `/xml`: `<CONFIG CONFIG.SECTION="…" path="…" overrideMode="…" locked="…">` holding the
/// section, its name's `/` written as `-` (an XML name cannot hold `/`).
fn xml_object(h: &Hierarchy, out: &mut String, eff: &Effective, defaults: bool) {
    let (mode, locked) = lock_properties(h, eff);
    let _ = writeln!(
        out,
        "    <CONFIG CONFIG.SECTION=\"{}\" path=\"{}\" overrideMode=\"{mode}\" locked=\"{locked}\">",
        escape_attribute(&eff.section, b'"'),
        escape_attribute(&eff.path, b'"')
    );
    let name = eff.section.replace('/', "-");
    xml_element(out, &eff.root, &name, 2, defaults);
    out.push_str("    </CONFIG>\n");
}

fn xml_element(out: &mut String, e: &EffectiveElement, name: &str, depth: usize, defaults: bool) {
    let indent = "    ".repeat(depth);
    let _ = write!(out, "{indent}<{name}");
    for a in e
        .attributes
        .iter()
        .filter(|a| defaults || !matches!(a.origin, Provenance::SchemaDefault))
    {
        let _ = write!(out, " {}=\"{}\"", a.name, escape_attribute(&a.value, b'"'));
    }
    if !e.children.iter().any(|c| has_content(c, defaults)) && e.entries.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for c in e.children.iter().filter(|c| has_content(c, defaults)) {
        xml_element(out, c, &c.name, depth + 1, defaults);
    }
    for entry in &e.entries {
        xml_element(out, &entry.element, &entry.directive, depth + 1, defaults);
    }
    let _ = writeln!(out, "{indent}</{name}>");
}

/// Whether an element has a value to print (every element does with defaults).
fn has_content(e: &EffectiveElement, defaults: bool) -> bool {
    defaults
        || !e.entries.is_empty()
        || e.attributes
            .iter()
            .any(|a| !matches!(a.origin, Provenance::SchemaDefault))
        || e.children.iter().any(|c| has_content(c, defaults))
}
