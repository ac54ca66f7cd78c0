//! The effective configuration of a section at a path: values merged level by level, each
//! with its provenance, and the element checks made while merging (types, validators,
//! unknown names, runtime data, collection keys and duplicates, fine-grained locks).

use crate::config::ConfigFile;
use crate::diagnostic::{Finding, Place, Rule};
use crate::schema::{AttributeSchema, CollectionSchema, ElementSchema};
use crate::value;
use crate::xml::NodeId;
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
            } => {
                write!(f, "{file}:{line}:{column}")?;
                if !location.is_empty() {
                    write!(f, " (location \"{location}\")")?;
                }
                Ok(())
            }
        }
    }
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
    fn attribute(&self, name: &str) -> Option<&LockOrigin> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name || n == "*")
            .map(|(_, o)| o)
            .or_else(|| {
                self.all_attributes_except
                    .as_ref()
                    .filter(|(except, _)| !except.iter().any(|e| e == name))
                    .map(|(_, o)| o)
            })
    }

    fn element(&self, name: &str) -> Option<&LockOrigin> {
        self.elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o)
            .or_else(|| {
                self.all_elements_except
                    .as_ref()
                    .filter(|(except, _)| !except.iter().any(|e| e == name))
                    .map(|(_, o)| o)
            })
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
    key: Option<Arc<str>>,
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

    /// A copy whose collection entries (at every depth) keep their directive, key, origin
    /// and lock but not their content: what merging one more layer onto it needs to check
    /// duplicates, `<remove>`, `<clear/>` and locks, at a fraction of a full copy's cost.
    pub(crate) fn skeleton(&self) -> EffectiveElement {
        EffectiveElement {
            name: self.name.clone(),
            attributes: self.attributes.clone(),
            children: self.children.iter().map(|c| c.skeleton()).collect(),
            entries: self
                .entries
                .iter()
                .map(|e| EffectiveEntry {
                    directive: e.directive.clone(),
                    element: EffectiveElement::empty(&e.element.name),
                    origin: e.origin.clone(),
                    lock_item: e.lock_item.clone(),
                    key: e.key.clone(),
                    layer: e.layer,
                })
                .collect(),
            keys: self.keys.clone(),
            locks: self.locks.clone(),
        }
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
pub(crate) struct Layer<'a> {
    /// The file, and its index in the hierarchy.
    pub file: &'a ConfigFile,
    pub file_index: usize,
    /// The file's name and the config path the layer applies at (for provenance).
    pub file_name: Arc<str>,
    pub location: Arc<str>,
    /// The section name (for rule-specific checks).
    pub section: &'a str,
    /// A sequence number, distinct per layer.
    pub seq: u32,
    /// Whether the merged result is thrown away after its findings are collected (its
    /// values then need no positions).
    pub discarded: bool,
}

/// Collects findings, or discards them when a layer is merged only for its values.
pub(crate) struct Sink<'a> {
    pub findings: Option<&'a mut Vec<Finding>>,
}

impl Sink<'_> {
    fn push(&mut self, f: impl FnOnce() -> Finding) {
        if let Some(out) = self.findings.as_mut() {
            out.push(f());
        }
    }

    fn active(&self) -> bool {
        self.findings.is_some()
    }
}

const LOCK_ATTRIBUTES: [&str; 5] = [
    "lockAttributes",
    "lockAllAttributesExcept",
    "lockElements",
    "lockAllElementsExcept",
    "lockItem",
];

/// Attributes every element may carry besides its schema's.
fn is_meta_attribute(name: &str) -> bool {
    LOCK_ATTRIBUTES.contains(&name)
        || name == "xmlns"
        || name.starts_with("xmlns:")
        || name == "configSource"
        || name.starts_with("xdt:")
}

fn split_names(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn locked_message(what: &str, lock: &LockOrigin) -> String {
    format!(
        "Lock violation: {what} is locked by {} at {}",
        lock.kind, lock.place
    )
}

fn provenance(layer: &Layer, node: NodeId, attr: Option<&str>) -> Provenance {
    if layer.discarded {
        return Provenance::File {
            file: layer.file_name.clone(),
            line: 0,
            column: 0,
            location: layer.location.clone(),
        };
    }
    let doc = &layer.file.doc;
    let span = attr
        .and_then(|a| doc.attribute(node, a))
        .and_then(|a| a.name_span)
        .or_else(|| doc.name_span(node));
    let position = span.map(|s| doc.position(s.start));
    Provenance::File {
        file: layer.file_name.clone(),
        line: position.map_or(0, |p| p.line),
        column: position.map_or(0, |p| p.column),
        location: layer.location.clone(),
    }
}

/// Applies the element `node` of a layer onto `eff`, checking it against `schema`.
pub(crate) fn apply_element(
    eff: &mut EffectiveElement,
    node: NodeId,
    schema: &ElementSchema,
    layer: &Layer,
    sink: &mut Sink,
) {
    let file = layer.file;
    let doc = &file.doc;
    for attr in doc.attributes(node) {
        let name = attr.name;
        if is_meta_attribute(name) {
            if name != "lockItem" {
                record_lock(eff, node, name, &attr.value(), layer);
            }
            continue;
        }
        let Some(a) = schema.attribute(name) else {
            if !schema.allow_unrecognized_attributes {
                sink.push(|| {
                    let (place, span) = file.attribute_place(node, name);
                    Finding::new(
                        Rule::UnrecognizedAttribute,
                        place,
                        format!("Unrecognized attribute '{name}' on <{}>", doc.name(node)),
                    )
                    .with_span(span)
                    .with_help(attribute_hint(schema, name))
                });
            } else {
                eff.set(
                    schema,
                    name,
                    attr.value().into_owned(),
                    provenance(layer, node, Some(name)),
                );
            }
            continue;
        };
        let value = attr.value();
        if a.extension.is_some() {
            sink.push(|| {
                let (place, span) = file.attribute_place(node, name);
                Finding::new(
                    Rule::RuntimeData,
                    place,
                    format!(
                        "'{name}' is runtime state supplied by the server; it cannot be configured"
                    ),
                )
                .with_span(span)
                .with_help("remove the attribute")
            });
            continue;
        }
        if let Some(lock) = eff
            .locks
            .attribute(name)
            .filter(|l| l.file != layer.file_index)
        {
            sink.push(|| {
                let (place, span) = file.attribute_place(node, name);
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(&format!("attribute '{name}'"), lock),
                )
                .with_span(span)
                .with_help("remove the attribute here, or remove the lock at the parent level")
            });
        }
        if sink.active() {
            check_value(a, &value, node, layer, eff, sink);
        }
        eff.set(
            schema,
            name,
            value.into_owned(),
            provenance(layer, node, Some(name)),
        );
    }
    for child in doc.child_elements(node) {
        let cname = doc.name(child);
        if let Some(lock) = eff
            .locks
            .element(cname)
            .filter(|l| l.file != layer.file_index)
        {
            let lock = lock.clone();
            sink.push(|| {
                let (place, span) = file.node_place(child);
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(&format!("element <{cname}>"), &lock),
                )
                .with_span(span)
                .with_help("remove this element here, or remove the lock at the parent level")
            });
        }
        if let Some(child_schema) = schema.element(cname) {
            if child_schema.extension.is_some() {
                sink.push(|| {
                    let (place, span) = file.node_place(child);
                    Finding::new(
                        Rule::RuntimeData,
                        place,
                        format!("<{cname}> is runtime data supplied by the server; it can be read but never configured"),
                    )
                    .with_span(span)
                    .with_help("remove this element")
                });
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
            apply_element(&mut eff.children[index], child, child_schema, layer, sink);
        } else if let Some(collection) = schema.collection_for(cname) {
            apply_directive(eff, child, collection, layer, sink);
        } else {
            sink.push(|| {
                let (place, span) = file.node_place(child);
                Finding::new(
                    Rule::UnrecognizedElement,
                    place,
                    format!("Unrecognized element '{cname}' in <{}>", doc.name(node)),
                )
                .with_span(span)
                .with_help(element_hint(schema, cname))
            });
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

fn attribute_hint(schema: &ElementSchema, name: &str) -> String {
    match closest(name, schema.attributes.iter().map(|a| a.name.as_str())) {
        Some(near) => format!("did you mean '{near}'? attribute names are case-sensitive"),
        None if schema.attributes.is_empty() => format!("<{}> takes no attributes", schema.name),
        None => {
            let names: Vec<&str> = schema.attributes.iter().map(|a| a.name.as_str()).collect();
            format!("known attributes: {}", names.join(", "))
        }
    }
}

fn element_hint(schema: &ElementSchema, name: &str) -> String {
    let mut known: Vec<&str> = schema.elements.iter().map(|e| e.name.as_str()).collect();
    for c in &schema.collections {
        known.extend(c.add_elements.iter().map(|s| s.as_str()));
        known.extend(c.remove_element.iter().map(|s| s.as_str()));
        known.extend(c.clear_element.iter().map(|s| s.as_str()));
    }
    match closest(name, known.iter().copied()) {
        Some(near) => format!("did you mean <{near}>?"),
        None if known.is_empty() => format!("<{}> has no child elements", schema.name),
        None => format!("known child elements: {}", known.join(", ")),
    }
}

/// The known name closest to `name` (case-insensitive equal, or edit distance ≤ 2).
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(&lower, &k.to_ascii_lowercase());
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Type, validator and administrator checks of one attribute value.
fn check_value(
    a: &AttributeSchema,
    value: &str,
    node: NodeId,
    layer: &Layer,
    eff: &EffectiveElement,
    sink: &mut Sink,
) {
    let file = layer.file;
    let name = a.name.as_str();
    let spec = a.type_spec();
    let invalid = |message: String| {
        let (place, span) = file.value_place(node, name);
        Finding::new(
            Rule::InvalidValue,
            place,
            format!("The '{name}' attribute is invalid. {message}"),
        )
        .with_span(span)
    };
    match value::parse_value(&spec, value) {
        Err(e) => {
            let help = match a.kind {
                value::ValueKind::TimeSpan => "write a timeSpan as [d.]hh:mm:ss, e.g. 00:20:00",
                value::ValueKind::Bool => "write true or false",
                _ => "",
            };
            let mut f = invalid(format!("{e}"));
            if !help.is_empty() {
                f = f.with_help(help);
            }
            sink.push(|| f);
            return;
        }
        Ok(parsed) => {
            if let Some(validator) = &a.validator {
                if let Err(e) = validator.check(&parsed) {
                    sink.push(|| invalid(format!("{e}")));
                    return;
                }
            }
        }
    }
    if a.encrypted && !value.is_empty() && !value.starts_with("[enc:") {
        sink.push(|| {
            let (place, span) = file.value_place(node, name);
            Finding::new(
                Rule::PlaintextSecret,
                place,
                format!("'{name}' is stored in plain text; the schema marks it encrypted"),
            )
            .with_span(span)
            .with_help("store it encrypted (set it through IIS Manager or appcmd, which encrypt it), or use an application pool identity instead")
        });
    }
    if layer.section == "system.webServer/asp"
        && file.doc.name(node) == "session"
        && name == "keepSessionIdSecure"
        && value.trim().eq_ignore_ascii_case("false")
    {
        sink.push(|| {
            let (place, span) = file.attribute_place(node, name);
            Finding::new(
                Rule::InsecureSessionId,
                place,
                "keepSessionIdSecure=\"false\": ASP session ids of HTTPS sessions may travel over plain HTTP".to_string(),
            )
            .with_span(span)
            .with_help("remove the attribute (the default is true)")
        });
    }
    if let Some(current) = eff
        .attribute(name)
        .filter(|c| matches!(c.origin, Provenance::File { .. }))
    {
        if value::same_value(&spec, &current.value, value) {
            let origin = current.origin.to_string();
            sink.push(|| {
                let (place, span) = file.attribute_place(node, name);
                Finding::new(
                    Rule::RedundantValue,
                    place,
                    format!(
                        "'{name}' is set to \"{value}\", the value it inherits anyway ({origin})"
                    ),
                )
                .with_span(span)
                .with_help("remove the attribute to inherit the value")
            });
        }
    }
}

/// The normalised key of an entry written at `node` (see [`EffectiveEntry`]'s `key`):
/// `Ok(None)` when the collection has no key, `Err` with the key attributes missing.
fn entry_key(
    collection: &CollectionSchema,
    file: &ConfigFile,
    node: NodeId,
) -> Result<Option<Arc<str>>, Vec<String>> {
    let keys = collection.key_attributes();
    if keys.is_empty() {
        return Ok(None);
    }
    let mut key = String::from(collection_group(collection));
    let mut missing = Vec::new();
    for k in &keys {
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
                } else {
                    key.extend(v.chars().flat_map(char::to_lowercase));
                }
            }
            None => missing.push(k.name.clone()),
        }
    }
    if missing.is_empty() {
        Ok(Some(Arc::from(key)))
    } else {
        Err(missing)
    }
}

/// The name a collection's keys are grouped under (its first add directive).
fn collection_group(collection: &CollectionSchema) -> &str {
    collection
        .add_elements
        .first()
        .map(|s| s.as_str())
        .unwrap_or("")
}

fn apply_directive(
    eff: &mut EffectiveElement,
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
    sink: &mut Sink,
) {
    let file = layer.file;
    let doc = &file.doc;
    let directive = doc.name(node);
    if collection.clear_element.as_deref() == Some(directive) {
        if let Some(locked) = eff
            .entries
            .iter()
            .filter(|e| collection.add_elements.contains(&e.directive))
            .find_map(|e| e.lock_item.as_ref().filter(|l| l.file != layer.file_index))
        {
            let locked = locked.clone();
            sink.push(|| {
                let (place, span) = file.node_place(node);
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(
                        &format!("<{directive}/> would remove an entry that"),
                        &locked,
                    ),
                )
                .with_span(span)
                .with_help("remove <clear/>, and <remove> only entries that are not locked")
            });
            return;
        }
        eff.entries
            .retain(|e| !collection.add_elements.contains(&e.directive));
        let group = collection_group(collection);
        eff.keys.retain(|k, _| k.split('\0').next() != Some(group));
        return;
    }
    let key = match entry_key(collection, file, node) {
        Ok(key) => key,
        Err(missing) => {
            sink.push(|| {
                let (place, span) = file.node_place(node);
                Finding::new(
                    Rule::MissingRequiredAttribute,
                    place,
                    format!(
                        "Element is missing required attributes {}",
                        missing.join(",")
                    ),
                )
                .with_span(span)
                .with_help(format!("add {} to identify the entry", missing.join(", ")))
            });
            if collection.remove_element.as_deref() == Some(directive) {
                return;
            }
            None
        }
    };
    let present = key
        .as_ref()
        .is_some_and(|k| eff.keys.get(k).is_some_and(|n| *n > 0));
    if collection.remove_element.as_deref() == Some(directive) {
        let found = if present {
            eff.entries
                .iter()
                .position(|e| collection.add_elements.contains(&e.directive) && e.key == key)
        } else {
            None
        };
        if let Some(i) = found {
            if let Some(lock) = eff.entries[i]
                .lock_item
                .as_ref()
                .filter(|l| l.file != layer.file_index)
            {
                let lock = lock.clone();
                sink.push(|| {
                    let (place, span) = file.node_place(node);
                    Finding::new(
                        Rule::LockViolation,
                        place,
                        locked_message("this entry", &lock),
                    )
                    .with_span(span)
                    .with_help("the entry cannot be removed below the level that locked it")
                });
                return;
            }
            eff.entries.remove(i);
            if let Some(n) = key.as_ref().and_then(|k| eff.keys.get_mut(k)) {
                *n -= 1;
            }
        }
        return;
    }
    // An add directive.
    let key_names: Vec<&str> = collection
        .key_attributes()
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    if present && !collection.allow_duplicates {
        sink.push(|| {
            let (place, span) = file.node_place(node);
            let values: Vec<String> = key_names
                .iter()
                .map(|k| doc.attribute_value(node, k).unwrap_or_default().into_owned())
                .collect();
            let message = if key_names.len() == 1 {
                format!(
                    "Cannot add duplicate collection entry of type '{directive}' with unique key attribute '{}' set to '{}'",
                    key_names[0], values[0]
                )
            } else {
                format!(
                    "Cannot add duplicate collection entry of type '{directive}' with combined key attributes '{}' respectively set to '{}'",
                    key_names.join(", "),
                    values.join(", ")
                )
            };
            Finding::new(Rule::DuplicateEntry, place, message)
                .with_span(span)
                .with_help("write <remove …/> for the inherited entry first, or drop this duplicate")
        });
        return;
    }
    let mut element = EffectiveElement::empty(directive);
    for required in collection
        .entry
        .attributes
        .iter()
        .filter(|a| a.required && !a.is_key())
    {
        if doc.attribute(node, &required.name).is_none() && required.default_value.is_none() {
            let has_default_element = collection.default_element.is_some();
            if !has_default_element {
                sink.push(|| {
                    let (place, span) = file.node_place(node);
                    Finding::new(
                        Rule::MissingRequiredAttribute,
                        place,
                        format!("Missing required attribute '{}'", required.name),
                    )
                    .with_span(span)
                    .with_help(format!("add {}=\"…\"", required.name))
                });
            }
        }
    }
    apply_element(&mut element, node, &collection.entry, layer, sink);
    if sink.active() {
        // A layer merged for its findings is thrown away afterwards: entries keep only what
        // later entries of the same layer need (key, lock), which keeps large collections
        // (tens of thousands of sites) small in memory.
        element = EffectiveElement::empty(directive);
    }
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
    fn suggests_close_names() {
        assert_eq!(
            closest("sesion", ["session", "cache"].into_iter()),
            Some("session")
        );
        assert_eq!(closest("MAX", ["max"].into_iter()), Some("max"));
        assert_eq!(closest("zzz", ["session"].into_iter()), None);
    }
}
