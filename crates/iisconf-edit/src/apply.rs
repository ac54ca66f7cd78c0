//! Applying one edit (set, add, remove, clear, lock) to the working copy of its target
//! file: following the element path below the section, creating what is missing (taking
//! inherited collection entries over), and clearing.

use super::entries::{
    duplicate_text, find_effective_entry, find_entry, identifying, walk_effective,
};
use super::path::Step;
use super::position::insert_entry;
use super::resolve::{canonical, collection_of, resolve, same, where_};
use super::workspace::{Inherited, Slot, Workspace};
use super::{Change, Edit, EditError};
use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::commit::PlanFile;
use iisconf_core::engine::{protection_provider, ConfigPath, EngineError, FileId, CONFIG_SOURCE};
use iisconf_core::schema::{ElementSchema, SectionSchema};
use iisconf_xml::NodeId;

impl Workspace {
    /// Applies one edit to the working copy of its target file.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        // The section's schema is copied: the documents are borrowed mutably below.
        let schema = &self
            .hierarchy()
            .registry()
            .section(&edit.section)
            .cloned()
            .ok_or_else(|| EngineError::NoSchema(edit.section.clone()))?;
        if let Change::Lock { deny } = &edit.change {
            let path = self.hierarchy().check_path(&edit.path)?;
            if !self.hierarchy().has_apphost() {
                return Err(EngineError::NoApphost.into());
            }
            let slot = self.slot_for(
                &PlanFile::Existing(FileId::APPHOST.index()),
                &ConfigPath::server(),
                &edit.section,
            )?;
            let mode = if *deny {
                OverrideMode::Deny
            } else {
                OverrideMode::Allow
            };
            if self
                .file_mut(slot, &edit.section)?
                .lock_section(&path, &edit.section, mode)?
            {
                self.mark_dirty(slot);
            }
            self.note_section(&edit.section, &path);
            return Ok(());
        }
        let plan = self
            .hierarchy()
            .plan_commit(&edit.path, &edit.section, &edit.target)?;
        let mut slot = self.slot_for(&plan.file, &plan.file_level, &edit.section)?;
        let mut here = plan.location.clone().unwrap_or_default();
        // A section read from a configSource file is edited there, as IIS's tools do.
        if let Some(source) = self.config_source_of(slot, &here, &edit.section) {
            slot = self.slot_for(
                &PlanFile::Existing(source.index()),
                &plan.file_level,
                &edit.section,
            )?;
            here.clear();
        }
        let here = here.as_str();
        refuse_protected(self.file_mut(slot, &edit.section)?, here, &edit.section)?;
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
                let file = self.file_mut(slot, &edit.section)?;
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
            }
            | Change::Insert {
                element,
                attributes,
                ..
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
                let effective =
                    self.effective_entries(&plan.path, schema, element, &edit.change)?;
                let file = self.file_mut(slot, &edit.section)?;
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
                let position = edit.change.position();
                insert_entry(doc, node, coll, &directive, &attrs, position, effective)?;
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
                let file = self.file_mut(slot, &edit.section)?;
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
                    self.file_mut(slot, &edit.section)?,
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
}

impl Workspace {
    /// The configSource file holding `section` for location `loc` of the file in `slot`.
    fn config_source_of(&self, slot: Slot, loc: &str, section: &str) -> Option<FileId> {
        let Slot::Existing(index) = slot else {
            return None;
        };
        let file = self.hierarchy().files().get(index)?;
        let (_, node) = file.find_section(loc, section)?;
        file.doc.attribute_value(node, CONFIG_SOURCE)?;
        self.hierarchy().source_file_of(FileId::new(index), node)
    }
}

/// Clears the section of a configSource file: its root element stays (the file must hold
/// it), without attributes or child elements.
fn empty_source_root(file: &mut ConfigFile) -> Result<bool, EditError> {
    let Some(root) = file.root() else {
        return Ok(false);
    };
    let doc = &mut file.doc;
    let attributes: Vec<String> = doc.attributes(root).map(|a| a.name.to_string()).collect();
    let children: Vec<NodeId> = doc.child_elements(root).collect();
    let changed = !attributes.is_empty() || !children.is_empty();
    for name in attributes {
        doc.remove_attribute(root, &name)?;
    }
    for child in children {
        doc.remove_element(child)?;
    }
    Ok(changed)
}

/// Refuses to edit inside a protected (encrypted) section: its content cannot be read.
fn refuse_protected(file: &ConfigFile, loc: &str, section: &str) -> Result<(), EditError> {
    let Some((_, node)) = file.find_section(loc, section) else {
        return Ok(());
    };
    match protection_provider(file, node) {
        Some(provider) => {
            let line = file.doc.node_position(node).map_or(0, |p| p.line);
            Err(EngineError::Encrypted {
                section: section.to_string(),
                place: format!("{}:{line}", file.name),
                provider,
            }
            .into())
        }
        None => Ok(()),
    }
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
    if steps.is_empty() && file.section_source().is_some() {
        return empty_source_root(file);
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
