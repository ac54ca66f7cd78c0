//! Effective configuration as XML, the way `appcmd list config` prints it.

use crate::engine::{Effective, EffectiveElement, Provenance};
use crate::xml::escape::escape_attribute;

/// Renders an effective section as XML wrapped in its section groups, two-space indented.
/// With `all`, schema defaults are included (appcmd `/config:*`); otherwise only values
/// written in some file (or inherited from a collection's default element).
pub fn render_effective(eff: &Effective, all: bool) -> String {
    let mut out = String::new();
    let parts: Vec<&str> = eff.section.split('/').collect();
    let (groups, _) = parts.split_at(parts.len().saturating_sub(1));
    for (depth, g) in groups.iter().enumerate() {
        out.push_str(&format!("{}<{g}>\n", "  ".repeat(depth)));
    }
    render_element(&eff.root, &eff.root.name, groups.len(), all, true, &mut out);
    for (depth, g) in groups.iter().enumerate().rev() {
        out.push_str(&format!("{}</{g}>\n", "  ".repeat(depth)));
    }
    out
}

fn shown(origin: &Provenance, all: bool) -> bool {
    all || !matches!(origin, Provenance::SchemaDefault)
}

/// Whether an element has anything to print.
fn has_content(e: &EffectiveElement, all: bool) -> bool {
    e.attributes.iter().any(|a| shown(&a.origin, all))
        || !e.entries.is_empty()
        || e.children.iter().any(|c| has_content(c, all))
}

fn render_element(
    e: &EffectiveElement,
    name: &str,
    depth: usize,
    all: bool,
    always: bool,
    out: &mut String,
) {
    if !always && !has_content(e, all) {
        return;
    }
    let indent = "  ".repeat(depth);
    out.push_str(&format!("{indent}<{name}"));
    for a in e.attributes.iter().filter(|a| shown(&a.origin, all)) {
        out.push_str(&format!(
            " {}=\"{}\"",
            a.name,
            escape_attribute(&a.value, b'"')
        ));
    }
    let children: Vec<&EffectiveElement> =
        e.children.iter().filter(|c| has_content(c, all)).collect();
    if children.is_empty() && e.entries.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for c in children {
        render_element(c, &c.name, depth + 1, all, false, out);
    }
    for entry in &e.entries {
        render_element(&entry.element, &entry.directive, depth + 1, all, true, out);
    }
    out.push_str(&format!("{indent}</{name}>\n"));
}
