//! The effective configuration of a section at a path: values merged level by level, each
//! with its provenance, collection entries by key, and the fine-grained locks each level
//! sets. What is wrong with a level is found by the rules (`engine::validate`), which read it
//! against the state merged here.

use crate::config::ConfigFile;
use crate::diagnostic::Place;
use crate::schema::{CollectionSchema, ElementSchema};
use iisconf_xml::NodeId;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::sync::Arc;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Provenance {
    /// The schema's default value.
    SchemaDefault,
    /// Inherited from the collection's default element (siteDefaults and friends).
    CollectionDefault {
        /// The default element's name.
        element: String,
    },
    /// Written in a file.
    #[serde(rename_all = "camelCase")]
    File {
        /// The file.
        file: Arc<str>,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The config path of the `<location>` tag or file level it was written at.
        location: Arc<str>,
    },
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provenance::SchemaDefault => write!(f, "schema default"),
            Provenance::CollectionDefault { element } => write!(f, "<{element}>"),
            Provenance::File {
                file,
                line,
                column,
                location,
            } => write_file_origin(f, file, *line, *column, location),
        }
    }
}

/// How a value written in a file is shown: `file:line:column`, with the location path.
pub(crate) fn write_file_origin(
    f: &mut std::fmt::Formatter<'_>,
    file: &str,
    line: u32,
    column: u32,
    location: &str,
) -> std::fmt::Result {
    write!(f, "{file}:{line}:{column}")?;
    if !location.is_empty() {
        write!(f, " (location \"{location}\")")?;
    }
    Ok(())
}

/// One attribute's effective value.
#[derive(Clone, Debug, Serialize)]
pub struct EffectiveAttribute {
    /// Attribute name.
    pub name: String,
    /// The value (references resolved), as written or as the schema default.
    pub value: String,
    /// Where it came from.
    pub origin: Provenance,
    /// Earlier values it overrode, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrode: Vec<(String, Provenance)>,
}

/// Which lock a part is under, and where the lock was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockOrigin {
    /// Index of the file that set the lock in the hierarchy.
    pub file: usize,
    /// The lock attribute's place.
    pub place: Place,
    /// Which lock attribute (`lockAttributes`, `lockItem`, …).
    pub kind: &'static str,
}

/// Fine-grained locks on one element.
#[derive(Clone, Debug, Default)]
pub struct Locks {
    attributes: Vec<(String, LockOrigin)>,
    all_attributes_except: Option<(Vec<String>, LockOrigin)>,
    elements: Vec<(String, LockOrigin)>,
    all_elements_except: Option<(Vec<String>, LockOrigin)>,
}

impl Locks {
    /// The first `lockAttributes` listing `name` (or `*`).
    pub(crate) fn listed_attribute(&self, name: &str) -> Option<&LockOrigin> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name || n == "*")
            .map(|(_, o)| o)
    }

    /// The `lockAllAttributesExcept` in force: the names it excepts, and the lock.
    pub(crate) fn all_attributes_except(&self) -> Option<(&[String], &LockOrigin)> {
        self.all_attributes_except
            .as_ref()
            .map(|(except, o)| (except.as_slice(), o))
    }

    /// The first `lockElements` listing `name`.
    pub(crate) fn listed_element(&self, name: &str) -> Option<&LockOrigin> {
        self.elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o)
    }

    /// The `lockAllElementsExcept` in force: the names it excepts, and the lock.
    pub(crate) fn all_elements_except(&self) -> Option<(&[String], &LockOrigin)> {
        self.all_elements_except
            .as_ref()
            .map(|(except, o)| (except.as_slice(), o))
    }

    /// Whether anything is locked.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
            && self.all_attributes_except.is_none()
            && self.elements.is_empty()
            && self.all_elements_except.is_none()
    }
}

/// One collection entry in effective order.
#[derive(Clone, Debug, Serialize)]
pub struct EffectiveEntry {
    /// The add directive it was written with (`add`, `site`, `allow`…).
    pub directive: String,
    /// The entry's values.
    pub element: EffectiveElement,
    /// Where it was added.
    pub origin: Provenance,
    /// `lockItem="true"`: the entry cannot be removed or the collection cleared below.
    #[serde(skip)]
    pub lock_item: Option<LockOrigin>,
    /// Normalised key: the collection's first add directive and the key values (lower-cased
    /// unless case-sensitive), NUL-separated; `None` for an entry without a key.
    #[serde(skip)]
    pub(crate) key: Option<Arc<str>>,
    #[serde(skip)]
    layer: u32,
}

/// An element of the effective configuration.
#[derive(Clone, Debug, Serialize)]
pub struct EffectiveElement {
    /// Element name.
    pub name: String,
    /// Attributes with a value (set or defaulted), in schema order then as written.
    pub attributes: Vec<EffectiveAttribute>,
    /// Child elements (every schema child element that is not runtime data).
    pub children: Vec<EffectiveElement>,
    /// Collection entries in effective order.
    pub entries: Vec<EffectiveEntry>,
    /// How many entries carry each key, by collection (its first add directive): keeps
    /// duplicate detection and `<remove>` constant-time in large collections.
    #[serde(skip)]
    keys: HashMap<Arc<str>, u32>,
    /// Fine-grained locks.
    #[serde(skip)]
    pub locks: Locks,
}

impl EffectiveElement {
    /// An element with no values yet; defaults are added by [`EffectiveElement::materialize`].
    pub fn empty(name: &str) -> EffectiveElement {
        EffectiveElement {
            name: name.to_string(),
            attributes: Vec::new(),
            children: Vec::new(),
            entries: Vec::new(),
            keys: HashMap::default(),
            locks: Locks::default(),
        }
    }

    /// An element holding its schema defaults.
    pub fn defaults(schema: &ElementSchema) -> EffectiveElement {
        let mut e = EffectiveElement::empty(&schema.name);
        e.materialize(schema);
        e
    }

    /// Adds the schema default of every attribute and child element not set (runtime data
    /// excluded), in schema order, down through child elements and collection entries.
    /// Merging works without defaults so that large collections stay cheap; this is done
    /// once, on the result.
    pub fn materialize(&mut self, schema: &ElementSchema) {
        let mut attributes = Vec::with_capacity(schema.attributes.len());
        for a in schema.attributes.iter().filter(|a| a.extension.is_none()) {
            if let Some(i) = self.attributes.iter().position(|x| x.name == a.name) {
                let mut set = self.attributes.remove(i);
                let from_default = set
                    .overrode
                    .first()
                    .is_some_and(|(_, o)| *o == Provenance::SchemaDefault);
                if let (Some(d), false) = (&a.default_value, from_default) {
                    if set.origin != Provenance::SchemaDefault {
                        set.overrode
                            .insert(0, (d.clone(), Provenance::SchemaDefault));
                    }
                }
                attributes.push(set);
            } else if let Some(d) = &a.default_value {
                attributes.push(EffectiveAttribute {
                    name: a.name.clone(),
                    value: d.clone(),
                    origin: Provenance::SchemaDefault,
                    overrode: Vec::new(),
                });
            }
        }
        attributes.append(&mut self.attributes);
        self.attributes = attributes;
        for child_schema in schema.elements.iter().filter(|e| e.extension.is_none()) {
            match self
                .children
                .iter_mut()
                .find(|c| c.name == child_schema.name)
            {
                Some(child) => child.materialize(child_schema),
                None => self.children.push(EffectiveElement::defaults(child_schema)),
            }
        }
        for entry in &mut self.entries {
            if let Some(c) = schema.collection_for(&entry.directive) {
                entry.element.materialize(&c.entry);
            }
        }
    }

    /// How many entries (of any of this element's collections) carry the normalised key
    /// `key`.
    pub(crate) fn key_count(&self, key: &str) -> u32 {
        self.keys.get(key).copied().unwrap_or(0)
    }

    /// The attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&EffectiveAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The child element called `name`.
    pub fn child(&self, name: &str) -> Option<&EffectiveElement> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Follows an appcmd-style dotted path (`session.timeout`) to an attribute.
    pub fn lookup(&self, dotted: &str) -> Option<&EffectiveAttribute> {
        let mut parts: Vec<&str> = dotted.split('.').collect();
        let attr = parts.pop()?;
        let mut cur = self;
        for p in parts {
            cur = cur.child(p)?;
        }
        cur.attribute(attr)
    }

    /// Sets an attribute, keeping the attributes in the schema's declaration order.
    fn set(&mut self, schema: &ElementSchema, name: &str, value: String, origin: Provenance) {
        if let Some(a) = self.attributes.iter_mut().find(|a| a.name == name) {
            let old_value = std::mem::replace(&mut a.value, value);
            let old_origin = std::mem::replace(&mut a.origin, origin);
            a.overrode.push((old_value, old_origin));
            return;
        }
        let order = |n: &str| {
            schema
                .attributes
                .iter()
                .position(|a| a.name == n)
                .unwrap_or(usize::MAX)
        };
        let rank = order(name);
        let at = self
            .attributes
            .iter()
            .position(|a| order(&a.name) > rank)
            .unwrap_or(self.attributes.len());
        self.attributes.insert(
            at,
            EffectiveAttribute {
                name: name.to_string(),
                value,
                origin,
                overrode: Vec::new(),
            },
        );
    }
}

/// What the merge needs to know about the layer being applied.
#[derive(Clone, Copy)]
pub(crate) struct Layer<'a> {
    /// The file, and its index in the hierarchy.
    pub file: &'a ConfigFile,
    pub file_index: usize,
    /// The file's name and the config path the layer applies at (for provenance).
    pub file_name: &'a Arc<str>,
    pub location: &'a Arc<str>,
    /// The section name (for rule-specific checks).
    pub section: &'a str,
    /// A sequence number, distinct per layer.
    pub seq: u32,
    /// Whether values equal to what they inherit are reported (IIS4003).
    pub redundant_values: bool,
    /// Whether the merge records the line and column each value was written at. A check
    /// merges without them, as only a finding shows them (see `validate::check_element`).
    pub positions: bool,
}

/// Attributes that set fine-grained locks on the element carrying them.
pub(crate) const LOCK_ATTRIBUTES: [&str; 5] = [
    "lockAttributes",
    "lockAllAttributesExcept",
    "lockElements",
    "lockAllElementsExcept",
    "lockItem",
];

/// Attributes every element may carry besides its schema's and the locks.
const OTHER_META_ATTRIBUTES: [&str; 2] = ["xmlns", "configSource"];

/// Prefixes of attribute names every element may carry (namespaces, transforms).
const META_PREFIXES: [&str; 2] = ["xmlns:", "xdt:"];

/// Which bytes some meta attribute name or prefix starts with, computed from the lists
/// above: a name that starts with any other is ruled out without comparing it to each.
const META_FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let lists: [&[&str]; 3] = [&LOCK_ATTRIBUTES, &OTHER_META_ATTRIBUTES, &META_PREFIXES];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            if let [first, ..] = lists[l][i].as_bytes() {
                table[*first as usize] = true;
            }
            i += 1;
        }
        l += 1;
    }
    table
};

/// Attributes every element may carry besides its schema's.
pub(crate) fn is_meta_attribute(name: &str) -> bool {
    let Some(first) = name.as_bytes().first() else {
        return false;
    };
    if !META_FIRST_BYTES
        .get(usize::from(*first))
        .copied()
        .unwrap_or(false)
    {
        return false;
    }
    LOCK_ATTRIBUTES.contains(&name)
        || OTHER_META_ATTRIBUTES.contains(&name)
        || META_PREFIXES.iter().any(|p| name.starts_with(p))
}

pub(crate) fn split_names(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn provenance(layer: &Layer, node: NodeId, attr: Option<&str>) -> Provenance {
    let doc = &layer.file.doc;
    let span = attr
        .and_then(|a| doc.attribute(node, a))
        .and_then(|a| a.name_span)
        .or_else(|| doc.name_span(node));
    provenance_at(layer, span.map(|s| s.start))
}

/// The provenance of a value written at byte `offset` of the layer's file.
fn provenance_at(layer: &Layer, offset: Option<usize>) -> Provenance {
    let (line, column) = if layer.positions {
        written_at(layer, offset)
    } else {
        (0, 0)
    };
    Provenance::File {
        file: layer.file_name.clone(),
        line,
        column,
        location: layer.location.clone(),
    }
}

/// The line and column of byte `offset` of the layer's file (0, 0 without one).
pub(crate) fn written_at(layer: &Layer, offset: Option<usize>) -> (u32, u32) {
    offset.map_or((0, 0), |o| {
        let p = layer.file.doc.position(o);
        (p.line, p.column)
    })
}

/// Merges the element `node` of a layer onto `eff`, as IIS reads it: unknown names and
/// runtime data are skipped, and a collection directive that a lock or a duplicate key
/// makes invalid changes nothing. The findings about a layer come from
/// [`super::validate`], which reads the same element against the state it inherits.
pub(crate) fn apply_element(
    eff: &mut EffectiveElement,
    node: NodeId,
    schema: &ElementSchema,
    layer: &Layer,
) {
    let doc = &layer.file.doc;
    for attr in doc.attributes(node) {
        let name = attr.name;
        if is_meta_attribute(name) {
            if name != "lockItem" {
                record_lock(eff, node, name, &attr.value(), layer);
            }
            continue;
        }
        match schema.attribute(name) {
            Some(a) if a.extension.is_some() => continue,
            None if !schema.allow_unrecognized_attributes => continue,
            _ => {}
        }
        let origin = match attr.name_span {
            Some(span) => provenance_at(layer, Some(span.start)),
            None => provenance(layer, node, None),
        };
        eff.set(schema, name, attr.value().into_owned(), origin);
    }
    for child in doc.child_elements(node) {
        let cname = doc.name(child);
        if let Some(child_schema) = schema.element(cname) {
            if child_schema.extension.is_some() {
                continue;
            }
            let index = match eff.children.iter().position(|c| c.name == cname) {
                Some(i) => i,
                None => {
                    eff.children
                        .push(EffectiveElement::empty(&child_schema.name));
                    eff.children.len() - 1
                }
            };
            apply_element(&mut eff.children[index], child, child_schema, layer);
        } else if let Some(collection) = schema.collection_for(cname) {
            apply_directive(eff, child, collection, layer);
        }
    }
    for collection in &schema.collections {
        if !collection.merge_append {
            // mergeAppend="false": this level's entries go before the inherited ones.
            let (mut mine, theirs): (Vec<_>, Vec<_>) =
                std::mem::take(&mut eff.entries).into_iter().partition(|e| {
                    e.layer == layer.seq && collection.add_elements.contains(&e.directive)
                });
            mine.extend(theirs);
            eff.entries = mine;
        }
    }
}

fn record_lock(eff: &mut EffectiveElement, node: NodeId, kind: &str, value: &str, layer: &Layer) {
    let (place, _) = layer.file.attribute_place(node, kind);
    let kind: &'static str = LOCK_ATTRIBUTES
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("lock");
    let origin = LockOrigin {
        file: layer.file_index,
        place,
        kind,
    };
    let names = split_names(value);
    match kind {
        "lockAttributes" => eff
            .locks
            .attributes
            .extend(names.into_iter().map(|n| (n, origin.clone()))),
        "lockAllAttributesExcept" => eff.locks.all_attributes_except = Some((names, origin)),
        "lockElements" => eff
            .locks
            .elements
            .extend(names.into_iter().map(|n| (n, origin.clone()))),
        "lockAllElementsExcept" => eff.locks.all_elements_except = Some((names, origin)),
        _ => {}
    }
}

/// The normalised key of an entry written at `node` (see [`EffectiveEntry`]'s `key`):
/// `Ok(None)` when the collection has no key, `Err` with the key attributes missing.
pub(crate) fn entry_key(
    collection: &CollectionSchema,
    file: &ConfigFile,
    node: NodeId,
) -> Result<Option<String>, Vec<String>> {
    let mut key = String::new();
    Ok(entry_key_into(collection, file, node, &mut key)?.then_some(key))
}

/// [`entry_key`] written into `key` (cleared first): `Ok(false)` when the collection has
/// no key. A caller keying many entries reuses one string.
pub(crate) fn entry_key_into(
    collection: &CollectionSchema,
    file: &ConfigFile,
    node: NodeId,
    key: &mut String,
) -> Result<bool, Vec<String>> {
    key.clear();
    let mut keys = collection.keys().peekable();
    if keys.peek().is_none() {
        return Ok(false);
    }
    key.push_str(collection_group(collection));
    let mut missing = Vec::new();
    for k in keys {
        let written = file
            .doc
            .attribute_value(node, &k.name)
            .or_else(|| k.default_value.as_deref().map(std::borrow::Cow::Borrowed))
            .or_else(|| {
                (k.is_combined_key && !k.required).then_some(std::borrow::Cow::Borrowed(""))
            });
        match written {
            Some(v) => {
                key.push('\0');
                let v = v.trim();
                if k.case_sensitive {
                    key.push_str(v);
                } else if v.is_ascii() {
                    let from = key.len();
                    key.push_str(v);
                    if let Some(pushed) = key.get_mut(from..) {
                        pushed.make_ascii_lowercase();
                    }
                } else {
                    key.extend(v.chars().flat_map(char::to_lowercase));
                }
            }
            None => missing.push(k.name.clone()),
        }
    }
    if missing.is_empty() {
        Ok(true)
    } else {
        Err(missing)
    }
}

/// The name a collection's keys are grouped under (its first add directive).
pub(crate) fn collection_group(collection: &CollectionSchema) -> &str {
    collection
        .add_elements
        .first()
        .map(|s| s.as_str())
        .unwrap_or("")
}

/// Merges one collection directive (`add`, `remove` or `clear`) onto `eff`.
fn apply_directive(
    eff: &mut EffectiveElement,
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
) {
    let file = layer.file;
    let doc = &file.doc;
    let directive = doc.name(node);
    let in_collection = |e: &EffectiveEntry| collection.add_elements.contains(&e.directive);
    let locked_here = |e: &EffectiveEntry| {
        e.lock_item
            .as_ref()
            .is_some_and(|l| l.file != layer.file_index)
    };
    if collection.clear_element.as_deref() == Some(directive) {
        if eff
            .entries
            .iter()
            .any(|e| in_collection(e) && locked_here(e))
        {
            return;
        }
        eff.entries.retain(|e| !in_collection(e));
        let group = collection_group(collection);
        eff.keys.retain(|k, _| k.split('\0').next() != Some(group));
        return;
    }
    let is_remove = collection.remove_element.as_deref() == Some(directive);
    let key: Option<Arc<str>> = match entry_key(collection, file, node) {
        Ok(key) => key.map(Arc::from),
        Err(_) if is_remove => return,
        Err(_) => None,
    };
    let present = key.as_ref().is_some_and(|k| eff.key_count(k) > 0);
    if is_remove {
        let found = if present {
            eff.entries
                .iter()
                .position(|e| in_collection(e) && e.key == key)
        } else {
            None
        };
        if let Some(i) = found {
            if locked_here(&eff.entries[i]) {
                return;
            }
            eff.entries.remove(i);
            if let Some(n) = key.as_ref().and_then(|k| eff.keys.get_mut(k)) {
                *n -= 1;
            }
        }
        return;
    }
    if present && !collection.allow_duplicates {
        return;
    }
    let mut element = EffectiveElement::empty(directive);
    apply_element(&mut element, node, &collection.entry, layer);
    let lock_item = doc
        .attribute_value(node, "lockItem")
        .filter(|v| v.trim().eq_ignore_ascii_case("true"))
        .map(|_| LockOrigin {
            file: layer.file_index,
            place: layer.file.attribute_place(node, "lockItem").0,
            kind: "lockItem",
        });
    if let Some(k) = &key {
        *eff.keys.entry(k.clone()).or_insert(0) += 1;
    }
    eff.entries.push(EffectiveEntry {
        directive: directive.to_string(),
        element,
        origin: provenance(layer, node, None),
        lock_item,
        key,
        layer: layer.seq,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_meta_attribute_is_recognised() {
        for name in LOCK_ATTRIBUTES.iter().chain(&OTHER_META_ATTRIBUTES) {
            assert!(is_meta_attribute(name), "{name}");
        }
        for prefix in META_PREFIXES {
            assert!(is_meta_attribute(&format!("{prefix}Transform")), "{prefix}");
        }
        for name in ["", "path", "lockX", "xml", "config", "xdt"] {
            assert!(!is_meta_attribute(name), "{name}");
        }
    }
}
