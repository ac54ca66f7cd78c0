//! Which embedded fragments a schema folder's fragments replace.
//!
//! A folder fragment is a base definition when it declares a configurable attribute (one
//! without `extension="…"`) on an element the embedded base fragment (the section's first
//! embedded fragment) declares too: it replaces every embedded fragment of the section, so a
//! real server's folder describes the section as that server has it. Any other fragment is an
//! extension (new elements, run-time members, methods): it replaces only the embedded fragments
//! it overlaps (declares an attribute or method of) and merges with the rest, as IIS merges the
//! fragments of its schema folder.

use super::load::LoadedFile;
use super::model::ElementSchema;
use std::collections::{HashMap, HashSet};

/// The embedded fragments to drop, as (index of the embedded file, section name).
pub(super) fn replaced_fragments(
    embedded: &[(String, LoadedFile)],
    overlay: &[(String, LoadedFile)],
) -> HashSet<(usize, String)> {
    let mut by_section: HashMap<&str, Vec<(usize, &ElementSchema)>> = HashMap::new();
    for (fi, (_, loaded)) in embedded.iter().enumerate() {
        for section in &loaded.sections {
            by_section
                .entry(section.name.as_str())
                .or_default()
                .push((fi, &section.root));
        }
    }
    let mut dropped = HashSet::new();
    for section in overlay.iter().flat_map(|(_, l)| &l.sections) {
        let Some(fragments) = by_section.get(section.name.as_str()) else {
            continue;
        };
        let base = fragments.first().map(|(_, root)| *root);
        let extension = base.is_some_and(|b| is_extension(&section.root, b));
        for (fi, root) in fragments {
            if !extension || overlaps(&section.root, root) {
                dropped.insert((*fi, section.name.clone()));
            }
        }
    }
    dropped
}

/// Whether `fragment` adds to `base` without redefining it: on every element both declare,
/// it declares only run-time attributes.
fn is_extension(fragment: &ElementSchema, base: &ElementSchema) -> bool {
    fragment.attributes.iter().all(|a| a.extension.is_some())
        && fragment
            .elements
            .iter()
            .all(|e| base.element(&e.name).is_none_or(|b| is_extension(e, b)))
        && fragment.collections.iter().all(|c| {
            base.collections
                .iter()
                .find(|b| b.add_elements.iter().any(|n| c.add_elements.contains(n)))
                .is_none_or(|b| is_extension(&c.entry, &b.entry))
        })
}

/// Whether the two trees declare an attribute or method of the same name on the same element.
fn overlaps(a: &ElementSchema, b: &ElementSchema) -> bool {
    a.attributes.iter().any(|x| b.attribute(&x.name).is_some())
        || a.methods
            .iter()
            .any(|m| b.methods.iter().any(|n| n.name == m.name))
        || a.elements
            .iter()
            .any(|e| b.element(&e.name).is_some_and(|o| overlaps(e, o)))
        || a.collections.iter().any(|c| {
            b.collections
                .iter()
                .filter(|o| o.add_elements.iter().any(|n| c.add_elements.contains(n)))
                .any(|o| overlaps(&c.entry, &o.entry))
        })
}
