//! Comparing two effective elements of one section at one path: attributes by typed value,
//! child elements by name, collection entries by key (added, removed, changed, reordered
//! where the collection's order is meaningful).

use crate::model::{display_key, display_steps, Detail, Difference, Kind, Step};
use iisconf_core::engine::{EffectiveElement, EffectiveEntry, Provenance};
use iisconf_core::schema::{AttributeSchema, CollectionSchema, ElementSchema};
use iisconf_core::value::parse_value;
use rustc_hash::FxHashMap as HashMap;

/// Collections whose entries IIS reads in order (first match wins, or load order), by
/// section and element path below it: a reorder of these is a change.
const ORDERED_COLLECTIONS: &[(&str, &str)] = &[
    ("system.webServer/handlers", ""),
    ("system.webServer/modules", ""),
    ("system.webServer/globalModules", ""),
    ("system.webServer/isapiFilters", ""),
    ("system.webServer/defaultDocument", "files"),
    ("system.webServer/security/ipSecurity", ""),
    ("system.webServer/security/authorization", ""),
    (
        "system.webServer/security/authentication/windowsAuthentication",
        "providers",
    ),
    ("system.webServer/httpCompression", "dynamicTypes"),
    ("system.webServer/httpCompression", "staticTypes"),
    ("system.webServer/rewrite/rules", ""),
    ("system.webServer/rewrite/globalRules", ""),
    ("system.webServer/rewrite/outboundRules", ""),
];

/// Where the compared element is: the path, section and steps, and the differences found.
pub(crate) struct Comparison<'a> {
    /// The config path, normalised.
    pub path: &'a str,
    /// The config path in display form.
    pub display_path: &'a str,
    /// The section.
    pub section: &'a str,
    /// The differences found so far.
    pub out: Vec<Difference>,
}

impl Comparison<'_> {
    fn push(&mut self, steps: &[Step], kind: Kind, change: Change) {
        let Change {
            attribute,
            key,
            old,
            new,
            old_origin,
            new_origin,
            new_entries,
            directive,
        } = change;
        self.out.push(Difference {
            path: self.display_path.to_string(),
            section: self.section.to_string(),
            element: display_steps(steps),
            attribute,
            key: (!key.is_empty()).then(|| display_key(&key)),
            old,
            new,
            old_origin: Difference::origin_text(old_origin.as_ref()),
            new_origin: Difference::origin_text(new_origin.as_ref()),
            kind,
            paths_below: 0,
            detail: Detail {
                path: self.path.to_string(),
                steps: steps.to_vec(),
                key,
                old_origin,
                new_origin,
                new_entries,
                directive,
            },
        });
    }

    /// Compares `old` and `new`, elements of `schema` at `steps` below the section.
    pub fn element(
        &mut self,
        old: &EffectiveElement,
        new: &EffectiveElement,
        schema: Option<&ElementSchema>,
        steps: &mut Vec<Step>,
    ) {
        self.attributes(old, new, schema, steps);
        self.children(old, new, schema, steps);
        if let Some(schema) = schema {
            for collection in &schema.collections {
                self.collection(old, new, collection, steps);
            }
        }
    }

    fn attributes(
        &mut self,
        old: &EffectiveElement,
        new: &EffectiveElement,
        schema: Option<&ElementSchema>,
        steps: &[Step],
    ) {
        let mut names: Vec<&str> = old.attributes.iter().map(|a| a.name.as_str()).collect();
        for a in &new.attributes {
            if !names.contains(&a.name.as_str()) {
                names.push(&a.name);
            }
        }
        for name in names {
            let o = old.attribute(name);
            let n = new.attribute(name);
            let attr_schema = schema.and_then(|s| s.attribute(name));
            if let (Some(o), Some(n)) = (o, n) {
                if same_value(attr_schema, &o.value, &n.value) {
                    continue;
                }
            }
            self.push(
                steps,
                Kind::Changed,
                Change {
                    attribute: Some(name.to_string()),
                    old: o.map(|a| a.value.clone()),
                    new: n.map(|a| a.value.clone()),
                    old_origin: o.map(|a| a.origin.clone()),
                    new_origin: n.map(|a| a.origin.clone()),
                    ..Change::default()
                },
            );
        }
    }

    fn children(
        &mut self,
        old: &EffectiveElement,
        new: &EffectiveElement,
        schema: Option<&ElementSchema>,
        steps: &mut Vec<Step>,
    ) {
        let mut names: Vec<&str> = old.children.iter().map(|c| c.name.as_str()).collect();
        for c in &new.children {
            if !names.contains(&c.name.as_str()) {
                names.push(&c.name);
            }
        }
        for name in names {
            let child_schema = schema.and_then(|s| s.element(name));
            let empty = || match child_schema {
                Some(s) => EffectiveElement::defaults(s),
                None => EffectiveElement::empty(name),
            };
            let (o, n) = (old.child(name), new.child(name));
            let (o_owned, n_owned);
            let o = match o {
                Some(o) => o,
                None => {
                    o_owned = empty();
                    &o_owned
                }
            };
            let n = match n {
                Some(n) => n,
                None => {
                    n_owned = empty();
                    &n_owned
                }
            };
            steps.push(Step::Element(name.to_string()));
            self.element(o, n, child_schema, steps);
            steps.pop();
        }
    }

    fn collection(
        &mut self,
        old: &EffectiveElement,
        new: &EffectiveElement,
        collection: &CollectionSchema,
        steps: &mut Vec<Step>,
    ) {
        let old_entries = Keyed::of(old, collection);
        let new_entries = Keyed::of(new, collection);
        let directive = collection.add_elements.first().cloned().unwrap_or_default();
        for (key, entry) in &old_entries.order {
            if !new_entries.index.contains_key(key) {
                self.push(
                    steps,
                    Kind::Removed,
                    Change {
                        key: entry_key(entry, collection),
                        old_origin: Some(entry.origin.clone()),
                        directive: directive.clone(),
                        ..Change::default()
                    },
                );
            }
        }
        for (key, entry) in &new_entries.order {
            match old_entries
                .index
                .get(key)
                .and_then(|i| old_entries.order.get(*i))
            {
                None => self.push(
                    steps,
                    Kind::Added,
                    Change {
                        key: entry_key(entry, collection),
                        new_origin: Some(entry.origin.clone()),
                        new_entries: vec![entry.element.clone()],
                        directive: directive.clone(),
                        ..Change::default()
                    },
                ),
                Some((_, old_entry)) => {
                    steps.push(Step::Entry(entry_key(entry, collection)));
                    self.element(
                        &old_entry.element,
                        &entry.element,
                        Some(&collection.entry),
                        steps,
                    );
                    steps.pop();
                }
            }
        }
        if self.is_ordered(steps) && reordered(&old_entries, &new_entries) {
            let list = |k: &Keyed| {
                let keys: Vec<String> = k
                    .order
                    .iter()
                    .map(|(_, e)| display_key(&entry_key(e, collection)))
                    .collect();
                keys.join(", ")
            };
            self.push(
                steps,
                Kind::Reordered,
                Change {
                    old: Some(list(&old_entries)),
                    new: Some(list(&new_entries)),
                    new_origin: new_entries.order.first().map(|(_, e)| e.origin.clone()),
                    new_entries: new_entries
                        .order
                        .iter()
                        .map(|(_, e)| e.element.clone())
                        .collect(),
                    directive,
                    ..Change::default()
                },
            );
        }
    }

    /// Whether the collection at `steps` is one whose order IIS honours.
    fn is_ordered(&self, steps: &[Step]) -> bool {
        let mut path = String::new();
        for step in steps {
            match step {
                Step::Element(name) => {
                    if !path.is_empty() {
                        path.push('/');
                    }
                    path.push_str(name);
                }
                Step::Entry(_) => return false,
            }
        }
        ORDERED_COLLECTIONS
            .iter()
            .any(|(s, p)| s.eq_ignore_ascii_case(self.section) && *p == path)
    }
}

/// The fields of a difference other than where it is.
#[derive(Default)]
struct Change {
    attribute: Option<String>,
    key: Vec<(String, String)>,
    old: Option<String>,
    new: Option<String>,
    old_origin: Option<Provenance>,
    new_origin: Option<Provenance>,
    new_entries: Vec<EffectiveElement>,
    directive: String,
}

/// Whether two values of an attribute are the same: equal as written, or equal once
/// parsed as the schema's type (`True` = `true`, `00:20:00` = `1200` seconds).
pub(crate) fn same_value(schema: Option<&AttributeSchema>, old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    let Some(schema) = schema else {
        return false;
    };
    let spec = schema.type_spec();
    match (parse_value(&spec, old), parse_value(&spec, new)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The entries of one collection, in effective order, by normalised key.
struct Keyed<'a> {
    order: Vec<(String, &'a EffectiveEntry)>,
    index: HashMap<String, usize>,
}

impl<'a> Keyed<'a> {
    fn of(element: &'a EffectiveElement, collection: &CollectionSchema) -> Keyed<'a> {
        let mut order = Vec::new();
        let mut index = HashMap::default();
        let mut seen: HashMap<String, usize> = HashMap::default();
        for entry in element
            .entries
            .iter()
            .filter(|e| collection.add_elements.contains(&e.directive))
        {
            let base = normalised_key(entry, collection);
            let count = seen.entry(base.clone()).or_insert(0);
            // Entries of a collection that allows duplicates keep their occurrence.
            let key = if *count == 0 {
                base
            } else {
                format!("{base}\u{1}{count}")
            };
            *count += 1;
            index.insert(key.clone(), order.len());
            order.push((key, entry));
        }
        Keyed { order, index }
    }
}

/// The key of an entry, compared: key attributes' values (lower-cased unless
/// case-sensitive), or every attribute's value for a collection without a key.
fn normalised_key(entry: &EffectiveEntry, collection: &CollectionSchema) -> String {
    let mut out = String::new();
    for (name, value) in entry_key(entry, collection) {
        let sensitive = collection
            .entry
            .attribute(&name)
            .is_some_and(|a| a.case_sensitive);
        out.push_str(&name);
        out.push('=');
        if sensitive {
            out.push_str(&value);
        } else {
            out.push_str(&value.to_lowercase());
        }
        out.push('\u{0}');
    }
    out
}

/// The attributes that select an entry: its key attributes, or (no key) every attribute
/// written for it.
pub(crate) fn entry_key(
    entry: &EffectiveEntry,
    collection: &CollectionSchema,
) -> Vec<(String, String)> {
    let keyed: Vec<(String, String)> = collection
        .keys()
        .filter_map(|k| {
            entry
                .element
                .attribute(&k.name)
                .map(|a| (k.name.clone(), a.value.clone()))
        })
        .collect();
    if !keyed.is_empty() {
        return keyed;
    }
    entry
        .element
        .attributes
        .iter()
        .filter(|a| matches!(a.origin, Provenance::File { .. }))
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

/// Whether the entries both sides hold come in another order.
fn reordered(old: &Keyed, new: &Keyed) -> bool {
    let common_old = old
        .order
        .iter()
        .map(|(k, _)| k)
        .filter(|k| new.index.contains_key(*k));
    let common_new = new
        .order
        .iter()
        .map(|(k, _)| k)
        .filter(|k| old.index.contains_key(*k));
    !common_old.eq(common_new)
}
