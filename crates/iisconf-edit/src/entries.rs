//! Collection entries: which selector pairs identify an entry, finding an entry in a
//! document or in an effective section, and the text for a duplicate.

use super::path::Step;
use iisconf_core::engine::EffectiveElement;
use iisconf_core::schema::{CollectionSchema, ElementSchema};
use iisconf_xml::{Document, NodeId};

/// Whether two key values are equal for `attribute` of a collection entry.
pub(super) fn key_eq(coll: &CollectionSchema, name: &str, a: &str, b: &str) -> bool {
    match coll.entry.attribute(name) {
        Some(attr) if attr.case_sensitive => a == b,
        _ => a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase(),
    }
}

/// The selector pairs that identify an entry: its key attributes when the selector names
/// any, else every pair.
pub(super) fn identifying<'a>(
    coll: &CollectionSchema,
    sel: &'a [(String, String)],
) -> Vec<&'a (String, String)> {
    let keys: Vec<&str> = coll
        .key_attributes()
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    let with_keys: Vec<&(String, String)> = sel
        .iter()
        .filter(|(n, _)| keys.contains(&n.as_str()))
        .collect();
    if with_keys.is_empty() {
        sel.iter().collect()
    } else {
        with_keys
    }
}

/// The local add entry of the collection at `node` matching `sel`.
pub(super) fn find_entry(
    doc: &Document,
    node: NodeId,
    coll: &CollectionSchema,
    sel: &[(String, String)],
) -> Option<NodeId> {
    let wanted = identifying(coll, sel);
    doc.child_elements(node)
        .filter(|c| coll.add_elements.iter().any(|a| a == doc.name(*c)))
        .find(|c| {
            wanted.iter().all(|(k, v)| {
                doc.attribute_value(*c, k)
                    .is_some_and(|have| key_eq(coll, k, &have, v))
            })
        })
}

pub(super) fn find_effective_entry<'e>(
    eff: &'e EffectiveElement,
    coll: &CollectionSchema,
    sel: &[(String, String)],
) -> Option<&'e EffectiveElement> {
    let wanted = identifying(coll, sel);
    eff.entries
        .iter()
        .filter(|e| coll.add_elements.contains(&e.directive))
        .map(|e| &e.element)
        .find(|e| {
            wanted.iter().all(|(k, v)| {
                e.attribute(k)
                    .is_some_and(|have| key_eq(coll, k, &have.value, v))
            })
        })
}

pub(super) fn walk_effective<'e>(
    root: &'e EffectiveElement,
    schema: &ElementSchema,
    steps: &[Step],
) -> Option<&'e EffectiveElement> {
    let mut cur = root;
    let mut sch = schema;
    for step in steps {
        match step {
            Step::Element(n) => {
                cur = cur.child(n)?;
                sch = sch.element(n)?;
            }
            Step::Entry(sel) => {
                let coll = sch.collection()?;
                cur = find_effective_entry(cur, coll, sel)?;
                sch = &coll.entry;
            }
        }
    }
    Some(cur)
}

pub(super) fn duplicate_text(
    directive: &str,
    coll: &CollectionSchema,
    values: &[(String, String)],
) -> String {
    let keys = coll.key_attributes();
    let key_values: Vec<&str> = keys
        .iter()
        .filter_map(|k| {
            values
                .iter()
                .find(|(n, _)| n == &k.name)
                .map(|(_, v)| v.as_str())
        })
        .collect();
    let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
    if names.len() == 1 {
        format!(
            "of type '{directive}' with unique key attribute '{}' set to '{}'",
            names.join(", "),
            key_values.join(", ")
        )
    } else {
        format!(
            "of type '{directive}' with combined key attributes '{}' respectively set to '{}'",
            names.join(", "),
            key_values.join(", ")
        )
    }
}
