//! Collection entries: which selector pairs identify an entry, finding an entry in a
//! document or in an effective section, and the text for a duplicate.
//!
//! Key values are compared as IIS reads them: an entry that does not write a key has the
//! key's default (the schema's `defaultValue`, else the empty string for a combined key that
//! is not required, as the engine keys entries), and a key the schema marks
//! `expanded="true"` compares by its value with `%VARIABLES%` expanded.

use super::path::Step;
use iisconf_core::engine::{EffectiveElement, PathMapper};
use iisconf_core::schema::{AttributeSchema, CollectionSchema, ElementSchema};
use iisconf_xml::{Document, NodeId};
use std::borrow::Cow;

/// The value an entry has for `attr` when it does not write it: the schema's default, else
/// the empty string for a combined key that is not required (IIS reads an absent string
/// attribute as empty; `users`, `roles` and `verbs` of an authorization rule are such keys).
pub(super) fn unwritten_value(attr: &AttributeSchema) -> Option<&str> {
    attr.default_value
        .as_deref()
        .or_else(|| (attr.is_combined_key && !attr.required).then_some(""))
}

/// The value of `name` for an entry that writes `written` (or not).
fn entry_value<'v>(
    coll: &'v CollectionSchema,
    name: &str,
    written: Option<Cow<'v, str>>,
) -> Option<Cow<'v, str>> {
    written.or_else(|| {
        coll.entry
            .attribute(name)
            .and_then(unwritten_value)
            .map(Cow::Borrowed)
    })
}

/// Whether two values of `name` of a collection entry are equal: trimmed, case-insensitive
/// unless the schema says `caseSensitive`, expanded first when the schema says `expanded`
/// (isapiCgiRestriction's `path="%windir%\…"` is `C:\Windows\…` to IIS).
pub(super) fn key_eq(
    coll: &CollectionSchema,
    vars: &PathMapper,
    name: &str,
    a: &str,
    b: &str,
) -> bool {
    let attr = coll.entry.attribute(name);
    let (a, b) = match attr {
        Some(attr) if attr.expanded => (Cow::Owned(vars.expand(a)), Cow::Owned(vars.expand(b))),
        _ => (Cow::Borrowed(a), Cow::Borrowed(b)),
    };
    let (a, b) = (a.trim(), b.trim());
    match attr {
        Some(attr) if attr.case_sensitive => a == b,
        // Unicode case folding only where a value is not ASCII: no allocation per
        // comparison when a key is looked for among tens of thousands of entries.
        _ => {
            a.eq_ignore_ascii_case(b)
                || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
        }
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

/// The whole key of a new entry written with `values`: every key attribute with its value,
/// or the value it has unwritten. `Err` names a key that has neither (it must be given).
pub(super) fn full_key(
    coll: &CollectionSchema,
    values: &[(String, String)],
) -> Result<Vec<(String, String)>, String> {
    let mut key = Vec::new();
    for k in coll.key_attributes() {
        let value = match values.iter().find(|(n, _)| n == &k.name) {
            Some((_, v)) => v.as_str(),
            None => unwritten_value(k).ok_or_else(|| k.name.clone())?,
        };
        key.push((k.name.clone(), value.to_string()));
    }
    if key.is_empty() {
        return Ok(values.to_vec());
    }
    Ok(key)
}

/// The local add entry of the collection at `node` matching `sel`.
pub(super) fn find_entry(
    doc: &Document,
    node: NodeId,
    coll: &CollectionSchema,
    vars: &PathMapper,
    sel: &[(String, String)],
) -> Option<NodeId> {
    let wanted = identifying(coll, sel);
    doc.child_elements(node)
        .filter(|c| coll.add_elements.iter().any(|a| a == doc.name(*c)))
        .find(|c| {
            wanted.iter().all(|(k, v)| {
                entry_value(coll, k, doc.attribute_value(*c, k))
                    .is_some_and(|have| key_eq(coll, vars, k, &have, v))
            })
        })
}

/// The effective add entry of the collection in `eff` matching `sel`.
pub(super) fn find_effective_entry<'e>(
    eff: &'e EffectiveElement,
    coll: &CollectionSchema,
    vars: &PathMapper,
    sel: &[(String, String)],
) -> Option<&'e EffectiveElement> {
    let wanted = identifying(coll, sel);
    eff.entries
        .iter()
        .filter(|e| coll.add_elements.contains(&e.directive))
        .map(|e| &e.element)
        .find(|e| {
            wanted.iter().all(|(k, v)| {
                let written = e.attribute(k).map(|a| Cow::Borrowed(a.value.as_str()));
                entry_value(coll, k, written).is_some_and(|have| key_eq(coll, vars, k, &have, v))
            })
        })
}

/// Follows `steps` through an effective section.
pub(super) fn walk_effective<'e>(
    root: &'e EffectiveElement,
    schema: &ElementSchema,
    vars: &PathMapper,
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
                cur = find_effective_entry(cur, coll, vars, sel)?;
                sch = &coll.entry;
            }
        }
    }
    Some(cur)
}

/// The text of a duplicate entry error, as IIS words it.
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

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::schema::Registry;

    fn collection<'r>(registry: &'r Registry, section: &str) -> &'r CollectionSchema {
        let schema = registry.section(section).expect("embedded");
        schema.root.collection().expect("a collection")
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_new_entry_s_key_takes_the_defaults_and_demands_the_rest() {
        let registry = Registry::embedded();
        // IIS_schema.xml: users, roles and verbs are combined keys without a default.
        let rules = collection(&registry, "system.webServer/security/authorization");
        let key = full_key(
            rules,
            &pairs(&[("accessType", "Allow"), ("roles", "administrators")]),
        )
        .expect("no key is demanded");
        assert_eq!(
            key,
            pairs(&[("users", ""), ("roles", "administrators"), ("verbs", "")])
        );
        // ipSecurity's subnetMask defaults to 255.255.255.255.
        let ip = collection(&registry, "system.webServer/security/ipSecurity");
        let key = full_key(ip, &pairs(&[("ipAddress", "10.0.0.1")])).expect("defaults");
        assert!(key.contains(&("subnetMask".to_string(), "255.255.255.255".to_string())));
        // isapiCgiRestriction's path is required and the unique key.
        let isapi = collection(&registry, "system.webServer/security/isapiCgiRestriction");
        assert_eq!(
            full_key(isapi, &pairs(&[("allowed", "true")])),
            Err("path".to_string())
        );
    }

    #[test]
    fn expanded_keys_compare_expanded_and_others_as_written() {
        let registry = Registry::embedded();
        let isapi = collection(&registry, "system.webServer/security/isapiCgiRestriction");
        let vars = PathMapper::new(&[], &[]);
        let stored = r"%windir%\system32\inetsrv\asp.dll";
        assert!(key_eq(
            isapi,
            &vars,
            "path",
            stored,
            r"C:\WINDOWS\System32\inetsrv\asp.dll"
        ));
        let other = PathMapper::new(&[], &[("windir".to_string(), r"D:\Win".to_string())]);
        assert!(!key_eq(
            isapi,
            &other,
            "path",
            stored,
            r"C:\Windows\system32\inetsrv\asp.dll"
        ));
        // defaultDocument's value is not expanded: %windir% is text there.
        let files = registry
            .section("system.webServer/defaultDocument")
            .and_then(|s| s.root.element("files"))
            .and_then(|e| e.collection())
            .expect("files");
        assert!(!key_eq(files, &vars, "value", "%windir%", r"C:\Windows"));
        // verbs is caseSensitive="true".
        let rules = collection(&registry, "system.webServer/security/authorization");
        assert!(!key_eq(rules, &vars, "verbs", "GET", "get"));
        assert!(key_eq(rules, &vars, "users", "Admin", "admin"));
    }
}
