//! The element rules of one layer (a section instance as written in one file), read against
//! the effective state it inherits without merging it: types and validators, unknown names,
//! runtime data, fine-grained locks, collection keys, duplicates and `<remove>`/`<clear/>`
//! of locked entries, plus the administrators' rules (plain-text secrets, insecure session
//! ids, values equal to what is inherited).
//!
//! Reading instead of merging keeps a whole-hierarchy check cheap: the inherited state is
//! shared, and only the keys this layer adds or removes are tracked.

use super::effective::{
    collection_group, entry_key, entry_key_into, is_meta_attribute, EffectiveElement, Layer,
    LockOrigin,
};
use super::fixes;
use super::inherited::Inherited;
use crate::diagnostic::{Finding, Fix, Rule};
use crate::schema::{AttributeSchema, CollectionSchema, ElementSchema};
use crate::similarity::edit_distance;
use crate::value;
use iisconf_xml::NodeId;
use rustc_hash::FxHashMap as HashMap;

/// What one layer has done so far to one collection of the element it writes.
#[derive(Default)]
struct CollectionEdits {
    /// A `<clear/>` took effect: no inherited entry is left.
    cleared: bool,
    /// Inherited entries removed, by key.
    removed: KeyCounts,
    /// Entries added by this layer, by key.
    added: KeyCounts,
}

/// Counts by normalised entry key: a list while small (most collections an element writes
/// hold a few entries), a hash map once large.
#[derive(Default)]
struct KeyCounts {
    few: Vec<(String, u32)>,
    many: HashMap<String, u32>,
}

/// How many keys [`KeyCounts`] keeps in its list.
const FEW_KEYS: usize = 16;

impl KeyCounts {
    fn get(&self, key: &str) -> u32 {
        if self.many.is_empty() {
            self.few
                .iter()
                .find(|(k, _)| k == key)
                .map_or(0, |(_, n)| *n)
        } else {
            self.many.get(key).copied().unwrap_or(0)
        }
    }

    fn increment(&mut self, key: &str) {
        if !self.many.is_empty() {
            match self.many.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    self.many.insert(key.to_string(), 1);
                }
            }
        } else if let Some((_, n)) = self.few.iter_mut().find(|(k, _)| k == key) {
            *n += 1;
        } else if self.few.len() < FEW_KEYS {
            self.few.push((key.to_string(), 1));
        } else {
            self.many = std::mem::take(&mut self.few).into_iter().collect();
            self.many.insert(key.to_string(), 1);
        }
    }

    fn decrement(&mut self, key: &str) {
        let n = if self.many.is_empty() {
            self.few.iter_mut().find(|(k, _)| k == key).map(|(_, n)| n)
        } else {
            self.many.get_mut(key)
        };
        if let Some(n) = n {
            *n = n.saturating_sub(1);
        }
    }
}

fn locked_message(what: &str, lock: &LockOrigin) -> String {
    format!(
        "Lock violation: {what} is locked by {} at {}",
        lock.kind, lock.place
    )
}

/// Appends the findings of the element `node` of `layer`, written over `inherited` (what
/// the same element inherits), checked against `schema`.
pub(crate) fn check_element(
    inherited: &Inherited,
    node: NodeId,
    schema: &ElementSchema,
    layer: &Layer,
    findings: &mut Vec<Finding>,
) {
    if !inherited.writes_collections(schema) {
        check_written(inherited, node, schema, layer, findings);
        return;
    }
    // Which entries are inherited depends on every directive before: the layers read in
    // place that write some are merged first. Where they set each value is shown only by a
    // finding, so they are merged without lines and columns, and an element with a finding
    // is checked again over a merge that has them.
    let check_over = |merged: EffectiveElement, findings: &mut Vec<Finding>| {
        check_written(
            &Inherited::merged_state(&merged),
            node,
            schema,
            layer,
            findings,
        );
    };
    let before = findings.len();
    check_over(inherited.merge_unplaced(schema), findings);
    if findings.len() > before {
        findings.truncate(before);
        check_over(inherited.merge(schema), findings);
    }
}

/// [`check_element`] over an `inherited` state whose entries are known: merged, or with no
/// layer read in place writing any.
fn check_written(
    inherited: &Inherited,
    node: NodeId,
    schema: &ElementSchema,
    layer: &Layer,
    findings: &mut Vec<Finding>,
) {
    let file = layer.file;
    let doc = &file.doc;
    let other_file = |l: &LockOrigin| l.file != layer.file_index;
    for attr in doc.attributes(node) {
        let name = attr.name;
        if is_meta_attribute(name) {
            continue;
        }
        let Some(a) = schema.attribute(name) else {
            if !schema.allow_unrecognized_attributes {
                let (place, span) = file.attribute_place(node, name);
                // A near miss of a known name (another letter case, a typo) is renamed by
                // its fix, unless the element already has the right name.
                let fix = rename_to(name, schema.attributes.iter().map(|a| a.name.as_str()))
                    .filter(|near| doc.attribute(node, near).is_none())
                    .and_then(|near| {
                        let edit = fixes::rename_attribute(file, node, name, near)?;
                        Some(Fix::safe(format!("rename it to '{near}'"), vec![edit]))
                    });
                findings.push(
                    Finding::new(
                        Rule::UnrecognizedAttribute,
                        place,
                        format!("Unrecognized attribute '{name}' on <{}>", doc.name(node)),
                    )
                    .with_span(span)
                    .with_help(attribute_hint(schema, name))
                    .with_fix(fix),
                );
            }
            continue;
        };
        if a.extension.is_some() {
            let (place, span) = file.attribute_place(node, name);
            findings.push(
                Finding::new(
                    Rule::RuntimeData,
                    place,
                    format!(
                        "'{name}' is runtime state supplied by the server; it cannot be configured"
                    ),
                )
                .with_span(span)
                .with_help("remove the attribute"),
            );
            continue;
        }
        if let Some(lock) = inherited.attribute_lock(name).filter(other_file) {
            let (place, span) = file.attribute_place(node, name);
            findings.push(
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(&format!("attribute '{name}'"), &lock),
                )
                .with_span(span)
                .with_help("remove the attribute here, or remove the lock at the parent level"),
            );
        }
        check_value(a, &attr.value(), node, layer, inherited, findings);
    }
    // By collection (its first add directive); an element has few collections.
    let mut edits: Vec<(&str, CollectionEdits)> = Vec::new();
    // The content of the entries of a large element is checked after its directives, on
    // the pool; its findings are then put where the directive's check left them.
    let mut entries = doc
        .child_elements(node)
        .nth(PARALLEL_ENTRIES)
        .map(|_| Vec::new());
    for child in doc.child_elements(node) {
        let cname = doc.name(child);
        if let Some(lock) = inherited.element_lock(cname).filter(other_file) {
            let (place, span) = file.node_place(child);
            findings.push(
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(&format!("element <{cname}>"), &lock),
                )
                .with_span(span)
                .with_help("remove this element here, or remove the lock at the parent level"),
            );
        }
        if let Some(child_schema) = schema.element(cname) {
            if child_schema.extension.is_some() {
                let (place, span) = file.node_place(child);
                findings.push(
                    Finding::new(
                        Rule::RuntimeData,
                        place,
                        format!("<{cname}> is runtime data supplied by the server; it can be read but never configured"),
                    )
                    .with_span(span)
                    .with_help("remove this element"),
                );
                continue;
            }
            check_element(
                &inherited.child(cname),
                child,
                child_schema,
                layer,
                findings,
            );
        } else if let Some(collection) = schema.collection_for(cname) {
            let group = collection_group(collection);
            let at = match edits.iter().position(|(g, _)| *g == group) {
                Some(at) => at,
                None => {
                    edits.push((group, CollectionEdits::default()));
                    edits.len() - 1
                }
            };
            let content = check_directive(
                inherited.base(),
                &mut edits[at].1,
                child,
                collection,
                layer,
                findings,
            );
            if content {
                match &mut entries {
                    Some(later) => later.push(EntryCheck {
                        at: findings.len(),
                        node: child,
                        collection,
                    }),
                    None => check_entry(child, collection, layer, findings),
                }
            }
        } else {
            let (place, span) = file.node_place(child);
            let fix = rename_to(cname, known_elements(schema).into_iter()).and_then(|near| {
                let edits = fixes::rename_element(file, child, near)?;
                Some(Fix::safe(format!("rename it to <{near}>"), edits))
            });
            findings.push(
                Finding::new(
                    Rule::UnrecognizedElement,
                    place,
                    format!("Unrecognized element '{cname}' in <{}>", doc.name(node)),
                )
                .with_span(span)
                .with_help(element_hint(schema, cname))
                .with_fix(fix),
            );
        }
    }
    if let Some(later) = entries {
        check_entries(&later, layer, findings);
    }
}

/// From how many child elements the entries an element adds are checked on the pool (a
/// server's `<sites>`, a large `<mimeMap>` list).
const PARALLEL_ENTRIES: usize = 512;

/// How many entries of a large collection a worker checks at a time.
const ENTRY_CHUNK: usize = 64;

/// A collection entry whose content is checked after the directives of its element: the
/// findings of the directives after it start at `at`.
struct EntryCheck<'s> {
    at: usize,
    node: NodeId,
    collection: &'s CollectionSchema,
}

/// Checks the content of `later` entries on the pool, and puts the findings of each where
/// its directive's check ended, as if each had been checked in turn.
fn check_entries(later: &[EntryCheck], layer: &Layer, findings: &mut Vec<Finding>) {
    let Some(first) = later.first().map(|e| e.at) else {
        return;
    };
    // In chunks of a few entries, at most 8 to a piece, so that a thread out of work takes
    // some of another's: cut into four pieces per thread, a server's sites kept one thread
    // busy at the end of a large check while the other waited.
    let checked: Vec<Vec<Finding>> = iisconf_xml::parallel::map_chunks_with(
        later,
        ENTRY_CHUNK,
        || (),
        |(), chunk| {
            chunk
                .iter()
                .map(|e| {
                    let mut own = Vec::new();
                    check_entry(e.node, e.collection, layer, &mut own);
                    own
                })
                .collect()
        },
    );
    if checked.iter().all(Vec::is_empty) {
        return;
    }
    let mut after = findings.split_off(first).into_iter();
    let mut upto = first;
    for (entry, mut own) in later.iter().zip(checked) {
        findings.extend(after.by_ref().take(entry.at - upto));
        upto = entry.at;
        findings.append(&mut own);
    }
    findings.extend(after);
}

/// Checks one collection directive (`add`, `remove` or `clear`) written over `inherited`,
/// after the directives of the same layer recorded in `edits`. Returns whether it adds an
/// entry whose content is to be checked next ([`check_entry`]): that check depends on the
/// entry alone, so the entries of a large collection are checked on the pool.
#[must_use]
fn check_directive(
    inherited: Option<&EffectiveElement>,
    edits: &mut CollectionEdits,
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
    findings: &mut Vec<Finding>,
) -> bool {
    thread_local! {
        /// The key of the directive being checked: one string per thread, kept from one
        /// directive to the next (a large file has hundreds of thousands).
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    KEY.with_borrow_mut(|key| {
        check_keyed_directive(inherited, edits, node, collection, layer, key, findings)
    })
}

/// [`check_directive`] with `key` to write the directive's key into.
fn check_keyed_directive(
    inherited: Option<&EffectiveElement>,
    edits: &mut CollectionEdits,
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
    key: &mut String,
    findings: &mut Vec<Finding>,
) -> bool {
    let file = layer.file;
    let doc = &file.doc;
    let directive = doc.name(node);
    // The inherited entries of this collection (none after a <clear/> of this layer).
    let entries = inherited
        .filter(|_| !edits.cleared)
        .map(|i| i.entries.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter(|e| collection.add_elements.contains(&e.directive));
    let locked_elsewhere = |lock: &Option<LockOrigin>| {
        lock.as_ref()
            .filter(|l| l.file != layer.file_index)
            .cloned()
    };
    if collection.clear_element.as_deref() == Some(directive) {
        // A locked entry can never have been removed, so any left is still inherited.
        if let Some(locked) = entries.clone().find_map(|e| locked_elsewhere(&e.lock_item)) {
            let (place, span) = file.node_place(node);
            findings.push(
                Finding::new(
                    Rule::LockViolation,
                    place,
                    locked_message(
                        &format!("<{directive}/> would remove an entry that"),
                        &locked,
                    ),
                )
                .with_span(span)
                .with_help("remove <clear/>, and <remove> only entries that are not locked"),
            );
            return false;
        }
        *edits = CollectionEdits {
            cleared: true,
            ..CollectionEdits::default()
        };
        return false;
    }
    let is_remove = collection.remove_element.as_deref() == Some(directive);
    match entry_key_into(collection, file, node, key) {
        Ok(true) => {}
        Ok(false) => return !is_remove,
        Err(missing) => {
            // A key attribute written under a near-miss name is reported once, as the
            // unrecognized attribute whose fix renames it.
            let missing: Vec<String> = missing
                .into_iter()
                .filter(|m| !misspelt(doc, node, &collection.entry, m))
                .collect();
            if !missing.is_empty() {
                let (place, span) = file.node_place(node);
                findings.push(
                    Finding::new(
                        Rule::MissingRequiredAttribute,
                        place,
                        format!(
                            "Element is missing required attributes {}",
                            missing.join(",")
                        ),
                    )
                    .with_span(span)
                    .with_help(format!("add {} to identify the entry", missing.join(", "))),
                );
            }
            return !is_remove;
        }
    }
    let key: &str = key;
    let inherited_count = match inherited {
        Some(i) if !edits.cleared => i.key_count(key),
        _ => 0,
    };
    let still_inherited = inherited_count.saturating_sub(edits.removed.get(key));
    let added = edits.added.get(key);
    if is_remove {
        if still_inherited > 0 {
            // <remove> takes the first inherited entry with the key not yet removed.
            let skip = edits.removed.get(key) as usize;
            let target = entries.filter(|e| e.key.as_deref() == Some(key)).nth(skip);
            if let Some(lock) = target.and_then(|e| locked_elsewhere(&e.lock_item)) {
                let (place, span) = file.node_place(node);
                findings.push(
                    Finding::new(
                        Rule::LockViolation,
                        place,
                        locked_message("this entry", &lock),
                    )
                    .with_span(span)
                    .with_help("the entry cannot be removed below the level that locked it"),
                );
                return false;
            }
            edits.removed.increment(key);
        } else if added > 0 {
            edits.added.decrement(key);
        }
        return false;
    }
    if still_inherited + added > 0 && !collection.allow_duplicates {
        let key_names: Vec<&str> = collection
            .key_attributes()
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        let values: Vec<String> = key_names
            .iter()
            .map(|k| {
                doc.attribute_value(node, k)
                    .unwrap_or_default()
                    .into_owned()
            })
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
        let (place, span) = file.node_place(node);
        let mut finding = Finding::new(Rule::DuplicateEntry, place, message).with_span(span);
        if added > 0 {
            // The first entry is written in this same element.
            let first = first_entry_with_key(node, collection, layer, key);
            if let Some(first) = first {
                finding = finding.with_related(file.node_place(first).0, "the first entry");
            }
            let exact = first.is_some_and(|f| same_entry(doc, f, node));
            finding = finding
                .with_help(if exact {
                    "drop this duplicate: it repeats the first entry exactly"
                } else {
                    "drop this duplicate, or merge its attributes into the first entry"
                })
                .with_fix(
                    exact
                        .then(|| {
                            fixes::remove_element(file, node)
                                .map(|e| Fix::safe("remove the duplicate entry", vec![e]))
                        })
                        .flatten(),
                );
        } else {
            let first = entries.clone().find(|e| e.key.as_deref() == Some(key));
            if let Some(place) = first.and_then(|e| provenance_place(&e.origin)) {
                finding = finding.with_related(place, "the inherited entry");
            }
            finding = finding.with_help(
                "the entry is inherited: write <remove …/> for it first, or drop this duplicate",
            );
        }
        findings.push(finding);
        // IIS still reads what the duplicate holds: its content is checked like any entry.
        return true;
    }
    edits.added.increment(key);
    true
}

/// The first element before `node` in the same parent that adds an entry with `key`.
fn first_entry_with_key(
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
    key: &str,
) -> Option<NodeId> {
    let doc = &layer.file.doc;
    let parent = doc.parent(node)?;
    doc.child_elements(parent)
        .take_while(|c| *c != node)
        .filter(|c| collection.add_elements.iter().any(|a| a == doc.name(*c)))
        .find(|c| {
            entry_key(collection, layer.file, *c)
                .ok()
                .flatten()
                .is_some_and(|k| *k == *key)
        })
}

/// Whether two entries are written alike: the same directive, the same attributes with the
/// same values (in any order) and no content.
fn same_entry(doc: &iisconf_xml::Document, a: NodeId, b: NodeId) -> bool {
    let attributes = |n: NodeId| {
        let mut list: Vec<(String, String)> = doc
            .attributes(n)
            .map(|x| (x.name.to_string(), x.value().into_owned()))
            .collect();
        list.sort();
        list
    };
    doc.name(a) == doc.name(b)
        && doc.child_elements(a).next().is_none()
        && doc.child_elements(b).next().is_none()
        && attributes(a) == attributes(b)
}

/// The place of a value or entry written in a file.
fn provenance_place(origin: &super::Provenance) -> Option<crate::diagnostic::Place> {
    match origin {
        super::Provenance::File {
            file, line, column, ..
        } => Some(crate::diagnostic::Place {
            file: file.clone(),
            line: *line,
            column: *column,
            end_line: *line,
            end_column: *column + 1,
        }),
        _ => None,
    }
}

/// The value a required attribute without a schema default is filled with by its fix: the
/// type's own default, when it is valid for the attribute.
fn type_default(a: &AttributeSchema) -> Option<String> {
    let value = match a.kind {
        value::ValueKind::Bool => "false".to_string(),
        value::ValueKind::UInt | value::ValueKind::Int | value::ValueKind::Int64 => "0".to_string(),
        value::ValueKind::TimeSpan => "00:00:00".to_string(),
        value::ValueKind::String => String::new(),
        value::ValueKind::Enum => a.choices.first()?.name.clone(),
        value::ValueKind::Flags => return None,
    };
    let valid = match (a.kind, &a.validator) {
        (value::ValueKind::String, Some(v)) => v.check_str(&value).is_ok(),
        (value::ValueKind::String, None) => true,
        _ => value::parse_value(&a.type_spec(), &value)
            .ok()
            .is_some_and(|parsed| {
                a.validator
                    .as_ref()
                    .is_none_or(|v| v.check(&parsed).is_ok())
            }),
    };
    valid.then_some(value)
}

/// Checks a new collection entry: its required attributes, then its content.
fn check_entry(
    node: NodeId,
    collection: &CollectionSchema,
    layer: &Layer,
    findings: &mut Vec<Finding>,
) {
    let file = layer.file;
    if collection.default_element.is_none() {
        for required in collection
            .entry
            .attributes
            .iter()
            .filter(|a| a.required && !a.is_key() && a.default_value.is_none())
        {
            if file.doc.attribute(node, &required.name).is_none()
                && !misspelt(&file.doc, node, &collection.entry, &required.name)
            {
                let (place, span) = file.node_place(node);
                let fix = type_default(required).and_then(|value| {
                    let edit = fixes::add_attribute(file, node, &required.name, &value)?;
                    Some(Fix::unsafe_(
                        format!("add {}=\"{value}\"", required.name),
                        vec![edit],
                    ))
                });
                findings.push(
                    Finding::new(
                        Rule::MissingRequiredAttribute,
                        place,
                        format!("Missing required attribute '{}'", required.name),
                    )
                    .with_span(span)
                    .with_help(format!("add {}=\"…\"", required.name))
                    .with_fix(fix),
                );
            }
        }
    }
    check_element(
        &Inherited::default(),
        node,
        &collection.entry,
        layer,
        findings,
    );
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

/// Whether `node` has an attribute its schema does not know that its fix renames to
/// `wanted`: the attribute `wanted` is then written, under a wrong name, rather than missing.
fn misspelt(
    doc: &iisconf_xml::Document,
    node: NodeId,
    schema: &ElementSchema,
    wanted: &str,
) -> bool {
    !schema.allow_unrecognized_attributes
        && doc.attributes(node).any(|a| {
            !is_meta_attribute(a.name)
                && schema.attribute(a.name).is_none()
                && rename_to(a.name, schema.attributes.iter().map(|x| x.name.as_str()))
                    == Some(wanted)
        })
}

/// The child element names an element's schema knows: its elements and its collections'
/// directives.
fn known_elements(schema: &ElementSchema) -> Vec<&str> {
    let mut known: Vec<&str> = schema.elements.iter().map(|e| e.name.as_str()).collect();
    for c in &schema.collections {
        known.extend(c.add_elements.iter().map(|s| s.as_str()));
        known.extend(c.remove_element.iter().map(|s| s.as_str()));
        known.extend(c.clear_element.iter().map(|s| s.as_str()));
    }
    known
}

fn element_hint(schema: &ElementSchema, name: &str) -> String {
    let known = known_elements(schema);
    match closest(name, known.iter().copied()) {
        Some(near) if near.eq_ignore_ascii_case(name) => {
            format!("did you mean <{near}>? element names are case-sensitive")
        }
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

/// The known name a fix may rename `name` to without guessing: the one that differs from
/// it in letter case only, or else the only one a single edit away (two, such as swapped
/// letters, for names of 6 characters or more) from a name of at least 4 characters.
pub(super) fn rename_to<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let known: Vec<&str> = known.collect();
    if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(name)) {
        return Some(same);
    }
    let length = name.chars().count();
    let allowed = match length {
        0..=3 => return None,
        4..=5 => 1,
        _ => 2,
    };
    let lower = name.to_ascii_lowercase();
    let near: Vec<&str> = known
        .into_iter()
        .filter(|k| edit_distance(&lower, &k.to_ascii_lowercase()) <= allowed)
        .collect();
    match near.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Type, validator and administrator checks of one attribute value.
fn check_value(
    a: &AttributeSchema,
    value: &str,
    node: NodeId,
    layer: &Layer,
    inherited: &Inherited,
    findings: &mut Vec<Finding>,
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
    // What is wrong with the value, with a help line for a value that does not parse. A
    // string needs no parsing: only its validator, if any, reads it.
    let wrong = match (a.kind, &a.validator) {
        (value::ValueKind::String, None) => None,
        (value::ValueKind::String, Some(validator)) => {
            validator.check_str(value).err().map(|e| (e, ""))
        }
        _ => match value::parse_value(&spec, value) {
            Err(e) => Some((
                e,
                match a.kind {
                    value::ValueKind::TimeSpan => "write a timeSpan as [d.]hh:mm:ss, e.g. 00:20:00",
                    value::ValueKind::Bool => "write true or false",
                    _ => "",
                },
            )),
            Ok(parsed) => a
                .validator
                .as_ref()
                .and_then(|validator| validator.check(&parsed).err())
                .map(|e| (e, "")),
        },
    };
    if let Some((e, help)) = wrong {
        let mut f = invalid(format!("{e}"));
        if !help.is_empty() {
            f = f.with_help(help);
        }
        findings.push(f);
        return;
    }
    if a.encrypted && !value.is_empty() && !value.starts_with("[enc:") {
        findings.push({
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
    // The attribute name first: it rules out almost every value checked.
    if name == "keepSessionIdSecure"
        && layer.section == "system.webServer/asp"
        && file.doc.name(node) == "session"
        && value.trim().eq_ignore_ascii_case("false")
    {
        findings.push({
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
    if !layer.redundant_values {
        return;
    }
    if let Some((current, origin)) = inherited.written_value(name) {
        if value::same_value(&spec, &current, value) {
            findings.push({
                let (place, span) = file.attribute_place(node, name);
                let mut finding = Finding::new(
                    Rule::RedundantValue,
                    place,
                    format!(
                        "'{name}' is set to \"{value}\", the value it inherits anyway (from {})",
                        origin.at()
                    ),
                )
                .with_span(span)
                .with_help("remove the attribute to inherit the value")
                .with_fix(
                    fixes::remove_attribute(file, node, name)
                        .map(|e| Fix::safe("remove the attribute", vec![e])),
                );
                if let Some(at) = origin.place() {
                    finding = finding.with_related(at, "the value it inherits");
                }
                finding
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of a large collection are checked on the pool; their findings come out
    /// in document order, each entry's after its directive's, as when checked in turn.
    #[test]
    fn a_large_collection_reports_in_document_order() {
        let mut text = String::from("<configuration>\n<system.webServer>\n<staticContent>\n");
        let entries = 3 * PARALLEL_ENTRIES;
        for i in 0..entries {
            // Every fifth entry repeats the key of the one before it (a directive finding);
            // every third has an unknown attribute (a finding of its content).
            let key = if i % 5 == 4 { i - 1 } else { i };
            let extra = if i % 3 == 0 { " bogus=\"1\"" } else { "" };
            text.push_str(&format!(
                "<mimeMap fileExtension=\".x{key}\" mimeType=\"t/x\"{extra} />\n"
            ));
        }
        text.push_str("</staticContent>\n</system.webServer>\n</configuration>\n");
        let file = crate::config::ConfigFile::parse("web.config", text.as_bytes()).expect("parses");
        let h = super::super::Hierarchy::standalone(crate::schema::Registry::embedded(), file);
        let findings = h.check();
        let count = |rule: Rule| findings.iter().filter(|f| f.rule == rule).count();
        assert_eq!(count(Rule::UnrecognizedAttribute), entries.div_ceil(3));
        assert_eq!(count(Rule::DuplicateEntry), entries / 5);
        let places: Vec<(u32, u32)> = findings
            .iter()
            .map(|f| (f.place.line, f.place.column))
            .collect();
        let mut sorted = places.clone();
        sorted.sort();
        assert_eq!(places, sorted);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            closest("sesion", ["session", "cache"].into_iter()),
            Some("session")
        );
        assert_eq!(closest("MAX", ["max"].into_iter()), Some("max"));
        assert_eq!(closest("zzz", ["session"].into_iter()), None);
    }

    #[test]
    fn renames_only_without_guessing() {
        let known = ["mimeType", "fileExtension", "id", "enabled", "name", "same"];
        let to = |name: &str| rename_to(name, known.iter().copied());
        assert_eq!(to("mimetype"), Some("mimeType"));
        assert_eq!(to("ID"), Some("id"));
        assert_eq!(to("enabeld"), Some("enabled"));
        assert_eq!(to("fileExtensoin"), Some("fileExtension"));
        // Too short to tell a typo from another name, or two names as near.
        assert_eq!(to("ip"), None);
        assert_eq!(to("nama"), Some("name"));
        assert_eq!(to("xame"), None);
        assert_eq!(to("sane"), Some("same"));
        assert_eq!(to("colour"), None);
    }
}
