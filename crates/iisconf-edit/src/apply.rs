//! Applying edits to in-memory copies of the hierarchy's documents.

use super::path::{display_steps, Step};
use super::{Change, Edit, EditError};
use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::commit::PlanFile;
use iisconf_core::engine::{EffectiveElement, EngineError, Hierarchy};
use iisconf_core::schema::{CollectionSchema, ElementSchema, SectionSchema};
use iisconf_core::value;
use iisconf_xml::{Document, NodeId};
use std::collections::HashMap;
use std::path::PathBuf;

/// Which working file an edit goes to.
#[derive(Clone, Copy)]
enum Slot {
    Existing(usize),
    Created(usize),
}

/// The hierarchy being edited: its documents are changed in place (reads before a change
/// see the edits made so far), new web.config files are kept aside until the end.
pub(super) struct Workspace {
    h: Hierarchy,
    /// Existing files edited, and whether an edit changed their bytes.
    existing: HashMap<usize, bool>,
    created: Vec<(String, PathBuf, ConfigFile)>,
    /// (section, config path) of every edit, for the re-check.
    sections: Vec<(String, String)>,
    /// Effective sections by (path, section), computed on first use.
    effective: HashMap<(String, String), EffectiveElement>,
}

/// What editing produced: the refreshed hierarchy, the existing files edited (index,
/// changed) and the new ones (index in the hierarchy, local path).
pub(super) struct Edited {
    pub hierarchy: Hierarchy,
    pub existing: Vec<(usize, bool)>,
    pub created: Vec<(usize, PathBuf)>,
}

impl Workspace {
    pub fn new(h: Hierarchy) -> Workspace {
        Workspace {
            h,
            existing: HashMap::new(),
            created: Vec::new(),
            sections: Vec::new(),
            effective: HashMap::new(),
        }
    }

    /// The (section, config path) pairs edited.
    pub fn sections(&self) -> Vec<(String, String)> {
        self.sections.clone()
    }

    /// The hierarchy with every edit, what it derives from the files brought up to date.
    pub fn finish(mut self) -> Edited {
        let mut existing: Vec<(usize, bool)> = self.existing.into_iter().collect();
        existing.sort_by_key(|e| e.0);
        let mut created = Vec::new();
        for (level, path, file) in self.created {
            created.push((self.h.add_file(&level, file), path));
        }
        self.h.rederive();
        Edited {
            hierarchy: self.h,
            existing,
            created,
        }
    }

    fn slot_for(&mut self, file: &PlanFile, level: &str) -> Result<Slot, EditError> {
        match file {
            PlanFile::Existing(i) => {
                if self.h.edit_file(*i).is_none() {
                    return Err(EditError::Engine(EngineError::Invalid(format!(
                        "no file {i}"
                    ))));
                }
                self.existing.entry(*i).or_insert(false);
                Ok(Slot::Existing(*i))
            }
            PlanFile::Create(path) => {
                if let Some(i) = self.created.iter().position(|c| &c.1 == path) {
                    return Ok(Slot::Created(i));
                }
                let newline = self.h.files().first().map_or("\r\n", |f| f.doc.newline());
                let text = format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>{newline}<configuration>{newline}</configuration>{newline}"
                );
                let doc = Document::parse_str(&text).map_err(|e| {
                    EditError::Engine(EngineError::Invalid(format!(
                        "cannot start a new web.config: {e}"
                    )))
                })?;
                let name = path.display().to_string();
                self.created.push((
                    level.to_string(),
                    path.clone(),
                    ConfigFile::from_document(&name, doc),
                ));
                Ok(Slot::Created(self.created.len() - 1))
            }
        }
    }

    fn file_mut(&mut self, slot: Slot) -> Result<&mut ConfigFile, EditError> {
        match slot {
            Slot::Existing(i) => self.h.edit_file(i),
            Slot::Created(i) => self.created.get_mut(i).map(|(_, _, f)| f),
        }
        .ok_or_else(missing)
    }

    fn mark_dirty(&mut self, slot: Slot) {
        if let Slot::Existing(i) = slot {
            if let Some(changed) = self.existing.get_mut(&i) {
                *changed = true;
            }
        }
    }

    fn effective(&mut self, path: &str, section: &str) -> Result<&EffectiveElement, EditError> {
        let key = (path.to_string(), section.to_string());
        if !self.effective.contains_key(&key) {
            let eff = self.h.effective(path, section)?;
            self.effective.insert(key.clone(), eff.root);
        }
        self.effective
            .get(&key)
            .ok_or_else(|| EditError::Engine(EngineError::Invalid("effective".into())))
    }

    /// Applies one edit to the working copy of its target file.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        // The section's schema is copied: the documents are borrowed mutably below.
        let schema = &self
            .h
            .registry()
            .section(&edit.section)
            .cloned()
            .ok_or_else(|| EngineError::NoSchema(edit.section.clone()))?;
        if let Change::Lock { deny } = &edit.change {
            let path = self.h.check_path(&edit.path)?;
            if !self.h.has_apphost() {
                return Err(EngineError::Invalid(
                    "no applicationHost.config is open: pass --apphost FILE".to_string(),
                )
                .into());
            }
            let slot = self.slot_for(&PlanFile::Existing(0), "")?;
            let mode = if *deny {
                OverrideMode::Deny
            } else {
                OverrideMode::Allow
            };
            if self
                .file_mut(slot)?
                .lock_section(&path, &edit.section, mode)?
            {
                self.mark_dirty(slot);
            }
            self.note_section(&edit.section, &path);
            return Ok(());
        }
        let plan = self
            .h
            .plan_commit(&edit.path, &edit.section, &edit.target)?;
        let slot = self.slot_for(&plan.file, &plan.file_level)?;
        let here = plan.location.clone().unwrap_or_default();
        let here = here.as_str();
        let changed = match &edit.change {
            Change::Set {
                element,
                attribute,
                value,
            } => {
                let elem = resolve(schema, element)?;
                let text = canonical(schema, element, elem, attribute, value)?;
                let eff_same = if element.iter().any(|s| matches!(s, Step::Entry(_))) {
                    let eff = self.effective(&plan.path, &edit.section)?;
                    walk_effective(eff, &schema.root, element)
                        .and_then(|e| e.attribute(attribute))
                        .is_some_and(|a| same(elem, attribute, &a.value, &text))
                } else {
                    false
                };
                let inherited = self.inherited_entries(&plan.path, schema, element)?;
                let file = self.file_mut(slot)?;
                if let Some(node) = locate(file, here, schema, element) {
                    let existing = file.doc.attribute_value(node, attribute);
                    if existing.is_some_and(|v| same(elem, attribute, &v, &text)) {
                        false
                    } else {
                        file.doc.set_attribute(node, attribute, &text)?
                    }
                } else if eff_same {
                    false
                } else {
                    let node = ensure(file, here, schema, element, &inherited)?;
                    file.doc.set_attribute(node, attribute, &text)?;
                    true
                }
            }
            Change::Add {
                element,
                attributes,
            } => {
                let elem = resolve(schema, element)?;
                let coll = collection_of(elem, element)?;
                let mut values = Vec::new();
                for (name, value) in attributes {
                    values.push((
                        name.clone(),
                        canonical(schema, element, &coll.entry, name, value)?,
                    ));
                }
                let keys = coll.key_attributes();
                for k in &keys {
                    if !values.iter().any(|(n, _)| n == &k.name) {
                        return Err(EditError::Schema(format!(
                            "a new entry of {} needs its key attribute '{}'",
                            where_(schema, element),
                            k.name
                        )));
                    }
                }
                let directive = coll.add_elements.first().cloned().unwrap_or_default();
                let inherited = self.inherited_entries(&plan.path, schema, element)?;
                let file = self.file_mut(slot)?;
                let node = ensure(file, here, schema, element, &inherited)?;
                let doc = &mut file.doc;
                if let Some(_dup) = find_entry(doc, node, coll, &values) {
                    return Err(EditError::Duplicate(duplicate_text(
                        &directive, coll, &values,
                    )));
                }
                let attrs: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                doc.append_element(node, &directive, &attrs)?;
                true
            }
            Change::Remove { element, key } => {
                let elem = resolve(schema, element)?;
                let coll = collection_of(elem, element)?;
                let mut values = Vec::new();
                for (name, value) in key {
                    values.push((
                        name.clone(),
                        canonical(schema, element, &coll.entry, name, value)?,
                    ));
                }
                let eff = self.effective(&plan.path, &edit.section)?;
                let in_effective = walk_effective(eff, &schema.root, element)
                    .is_some_and(|e| find_effective_entry(e, coll, &values).is_some());
                let inherited = self.inherited_entries(&plan.path, schema, element)?;
                let file = self.file_mut(slot)?;
                let local = locate(file, here, schema, element)
                    .and_then(|n| find_entry(&file.doc, n, coll, &values));
                if let Some(entry) = local {
                    file.doc.remove_element(entry)?;
                    true
                } else if in_effective {
                    let remove = coll.remove_element.clone().ok_or_else(|| {
                        EditError::Schema(format!(
                            "the collection of {} has no remove directive: clear it instead",
                            where_(schema, element)
                        ))
                    })?;
                    let node = ensure(file, here, schema, element, &inherited)?;
                    let key_names: Vec<String> = coll
                        .key_attributes()
                        .iter()
                        .map(|a| a.name.clone())
                        .collect();
                    let attrs: Vec<(&str, &str)> = values
                        .iter()
                        .filter(|(n, _)| key_names.is_empty() || key_names.contains(n))
                        .map(|(n, v)| (n.as_str(), v.as_str()))
                        .collect();
                    file.doc.append_element(node, &remove, &attrs)?;
                    true
                } else {
                    return Err(EditError::EntryNotFound(format!(
                        "{} in {}",
                        Step::Entry(values),
                        where_(schema, element)
                    )));
                }
            }
            Change::Clear { element, attribute } => {
                let elem = resolve(schema, element)?;
                let inherited = self.inherited_entries(&plan.path, schema, element)?;
                clear(
                    self.file_mut(slot)?,
                    here,
                    schema,
                    elem,
                    element,
                    attribute.as_deref(),
                    &inherited,
                )?
            }
            Change::Lock { .. } => false,
        };
        if changed {
            self.mark_dirty(slot);
        }
        self.note_section(&edit.section, &plan.path);
        Ok(())
    }

    fn note_section(&mut self, section: &str, path: &str) {
        let key = (section.to_string(), path.to_string());
        if !self.sections.contains(&key) {
            self.sections.push(key);
        }
    }

    /// For every entry step of `steps`, the effective entry (directive, attributes written
    /// in files) it selects, so an inherited entry can be copied into the target.
    fn inherited_entries(
        &mut self,
        path: &str,
        schema: &SectionSchema,
        steps: &[Step],
    ) -> Result<Vec<InheritedEntry>, EditError> {
        if !steps.iter().any(|s| matches!(s, Step::Entry(_))) {
            return Ok(vec![None; steps.len()]);
        }
        let eff = self.effective(path, &schema.name)?;
        let mut out = Vec::new();
        for i in 0..steps.len() {
            let found = match steps.get(i) {
                Some(Step::Entry(_)) => {
                    walk_effective(eff, &schema.root, steps.get(..=i).unwrap_or(&[])).map(|e| {
                        let directive = e.name.clone();
                        let attrs = e
                            .attributes
                            .iter()
                            .filter(|a| {
                                matches!(a.origin, iisconf_core::engine::Provenance::File { .. })
                            })
                            .map(|a| (a.name.clone(), a.value.clone()))
                            .collect();
                        (directive, attrs)
                    })
                }
                _ => None,
            };
            out.push(found);
        }
        Ok(out)
    }
}

fn missing() -> EditError {
    EditError::Engine(EngineError::Invalid(
        "internal: the working file is missing".to_string(),
    ))
}

fn where_(schema: &SectionSchema, steps: &[Step]) -> String {
    if steps.is_empty() {
        schema.name.clone()
    } else {
        format!("{}/{}", schema.name, display_steps(steps))
    }
}

/// The schema of the element at `steps`, refusing runtime data.
fn resolve<'s>(schema: &'s SectionSchema, steps: &[Step]) -> Result<&'s ElementSchema, EditError> {
    if schema.root.extension.is_some() {
        return Err(EditError::RuntimeOnly(schema.name.clone()));
    }
    let mut cur = &schema.root;
    for (i, step) in steps.iter().enumerate() {
        let here = || where_(schema, steps.get(..i).unwrap_or(&[]));
        cur = match step {
            Step::Element(name) => {
                let next = cur.element(name).ok_or_else(|| {
                    let names: Vec<&str> = cur.elements.iter().map(|e| e.name.as_str()).collect();
                    EditError::Schema(format!(
                        "Unrecognized element '{name}' in {}; its elements are: {}",
                        here(),
                        if names.is_empty() {
                            "(none)".to_string()
                        } else {
                            names.join(", ")
                        }
                    ))
                })?;
                if next.extension.is_some() {
                    return Err(EditError::RuntimeOnly(format!("{}/{name}", here())));
                }
                next
            }
            Step::Entry(_) => {
                let coll = collection_of(cur, steps.get(..i).unwrap_or(&[]))?;
                if coll.entry.extension.is_some() {
                    return Err(EditError::RuntimeOnly(format!(
                        "{}/{}",
                        here(),
                        coll.entry.name
                    )));
                }
                &coll.entry
            }
        };
    }
    Ok(cur)
}

fn collection_of<'s>(
    elem: &'s ElementSchema,
    steps: &[Step],
) -> Result<&'s CollectionSchema, EditError> {
    elem.collection().ok_or_else(|| {
        EditError::Schema(format!(
            "<{}> ({}) is not a collection; its elements are: {}",
            elem.name,
            if steps.is_empty() {
                "the section".to_string()
            } else {
                display_steps(steps)
            },
            elem.elements
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Parses and validates a value for `attribute` of `elem`, returning its written IIS form.
fn canonical(
    schema: &SectionSchema,
    steps: &[Step],
    elem: &ElementSchema,
    attribute: &str,
    text: &str,
) -> Result<String, EditError> {
    let Some(attr) = elem.attribute(attribute) else {
        if elem.allow_unrecognized_attributes {
            return Ok(text.to_string());
        }
        let names: Vec<&str> = elem
            .attributes
            .iter()
            .filter(|a| a.extension.is_none())
            .map(|a| a.name.as_str())
            .collect();
        return Err(EditError::Schema(format!(
            "Unrecognized attribute '{attribute}' of {}; its attributes are: {}",
            where_(schema, steps),
            names.join(", ")
        )));
    };
    if attr.extension.is_some() {
        return Err(EditError::RuntimeOnly(format!(
            "{}@{attribute}",
            where_(schema, steps)
        )));
    }
    let spec = attr.type_spec();
    let bad = |m: String| {
        EditError::Schema(format!(
            "The '{attribute}' attribute of {} is invalid: {m}",
            where_(schema, steps)
        ))
    };
    let parsed = value::parse_cli_value(&spec, text).map_err(|e| bad(e.message))?;
    if let Some(v) = &attr.validator {
        v.check(&parsed).map_err(|e| bad(e.message))?;
    }
    Ok(parsed.to_iis_string(&spec))
}

fn same(elem: &ElementSchema, attribute: &str, a: &str, b: &str) -> bool {
    match elem.attribute(attribute) {
        Some(attr) => value::same_value(&attr.type_spec(), a, b),
        None => a == b,
    }
}

/// Whether two key values are equal for `attribute` of a collection entry.
fn key_eq(coll: &CollectionSchema, name: &str, a: &str, b: &str) -> bool {
    match coll.entry.attribute(name) {
        Some(attr) if attr.case_sensitive => a == b,
        _ => a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase(),
    }
}

/// The selector pairs that identify an entry: its key attributes when the selector names
/// any, else every pair.
fn identifying<'a>(
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
fn find_entry(
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

fn find_effective_entry<'e>(
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

fn walk_effective<'e>(
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

/// Follows `steps` below the section without creating anything.
fn locate(file: &ConfigFile, loc: &str, schema: &SectionSchema, steps: &[Step]) -> Option<NodeId> {
    let doc = &file.doc;
    let (_, mut cur) = file.find_section(loc, &schema.name)?;
    let mut sch = &schema.root;
    for step in steps {
        match step {
            Step::Element(n) => {
                cur = doc.child_element(cur, n)?;
                sch = sch.element(n)?;
            }
            Step::Entry(sel) => {
                let coll = sch.collection()?;
                cur = find_entry(doc, cur, coll, sel)?;
                sch = &coll.entry;
            }
        }
    }
    Some(cur)
}

/// An inherited entry a path step selects: its directive and written attributes.
type InheritedEntry = Option<(String, Vec<(String, String)>)>;
type Inherited = [InheritedEntry];

/// Finds or creates the element at `steps`; an inherited entry on the way is taken over
/// with the collection's remove directive and a copy of its written attributes.
fn ensure(
    file: &mut ConfigFile,
    loc: &str,
    schema: &SectionSchema,
    steps: &[Step],
    inherited: &Inherited,
) -> Result<NodeId, EditError> {
    let mut cur = file.ensure_section(loc, &schema.name, OverrideMode::Inherit)?;
    let doc = &mut file.doc;
    let mut sch = &schema.root;
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Element(n) => {
                cur = match doc.child_element(cur, n) {
                    Some(c) => c,
                    None => doc.append_element(cur, n, &[])?,
                };
                sch = sch.element(n).unwrap_or(sch);
            }
            Step::Entry(sel) => {
                let coll = collection_of(sch, steps.get(..i).unwrap_or(&[]))?;
                cur = match find_entry(doc, cur, coll, sel) {
                    Some(e) => e,
                    None => {
                        let Some(Some((directive, attrs))) = inherited.get(i) else {
                            return Err(EditError::EntryNotFound(format!(
                                "{step} in {}",
                                where_(schema, steps.get(..i).unwrap_or(&[]))
                            )));
                        };
                        if let Some(remove) = &coll.remove_element {
                            let wanted = identifying(coll, sel);
                            let key: Vec<(&str, &str)> = attrs
                                .iter()
                                .filter(|(n, _)| wanted.iter().any(|(k, _)| k == n))
                                .map(|(n, v)| (n.as_str(), v.as_str()))
                                .collect();
                            doc.append_element(cur, remove, &key)?;
                        }
                        let all: Vec<(&str, &str)> = attrs
                            .iter()
                            .map(|(n, v)| (n.as_str(), v.as_str()))
                            .collect();
                        doc.append_element(cur, directive, &all)?
                    }
                };
                sch = &coll.entry;
            }
        }
    }
    Ok(cur)
}

fn clear(
    file: &mut ConfigFile,
    loc: &str,
    schema: &SectionSchema,
    elem: &ElementSchema,
    steps: &[Step],
    attribute: Option<&str>,
    inherited: &Inherited,
) -> Result<bool, EditError> {
    if let Some(attr) = attribute {
        return match locate(file, loc, schema, steps) {
            Some(node) => Ok(file.doc.remove_attribute(node, attr)?),
            None => Ok(false),
        };
    }
    if steps.is_empty() {
        let mut changed = false;
        while let Some((_, node)) = file.find_section(loc, &schema.name) {
            file.remove_and_prune(node)?;
            changed = true;
        }
        return Ok(changed);
    }
    match elem
        .collection()
        .and_then(|c| c.clear_element.clone().map(|n| (c, n)))
    {
        Some((coll, clear_name)) => {
            let node = ensure(file, loc, schema, steps, inherited)?;
            let doc = &mut file.doc;
            let directives: Vec<NodeId> = doc
                .child_elements(node)
                .filter(|c| coll.is_directive(doc.name(*c)))
                .collect();
            let already = directives.len() == 1
                && directives
                    .first()
                    .is_some_and(|d| doc.name(*d) == clear_name);
            if already {
                return Ok(false);
            }
            for d in directives {
                doc.remove_element(d)?;
            }
            doc.insert_element(node, 0, &clear_name, &[])?;
            Ok(true)
        }
        None => match locate(file, loc, schema, steps) {
            Some(node) => {
                file.remove_and_prune(node)?;
                Ok(true)
            }
            None => Ok(false),
        },
    }
}

fn duplicate_text(directive: &str, coll: &CollectionSchema, values: &[(String, String)]) -> String {
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
