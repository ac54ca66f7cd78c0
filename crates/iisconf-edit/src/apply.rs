//! Applying one edit (set, add, remove, clear, lock) to the working copy of its target
//! file: following the element path below the section, creating what is missing (taking
//! inherited collection entries over), and clearing.

use super::entries::{
    duplicate_text, find_effective_entry, find_entry, full_key, identifying, walk_effective,
};
use super::path::Step;
use super::position::insert_entry;
use super::resolve::{canonical, collection_of, resolve, same, where_};
use super::workspace::{AboveLevel, Inherited, InheritedEntry, Slot, Workspace};
use super::{Change, Edit, EditError};
use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::commit::PlanFile;
use iisconf_core::engine::{
    protection_provider, ConfigPath, EffectiveElement, EngineError, FileId, PathMapper, Provenance,
    CONFIG_SOURCE,
};
use iisconf_core::schema::{CollectionSchema, ElementSchema, SectionSchema};
use iisconf_xml::NodeId;

/// Where an edit goes: the working file, the `<location>` path in it, the config path the
/// change applies to, and whether the file is above applicationHost.config (the root
/// web.config or machine.config, which the hierarchy does not read: nothing is inherited
/// into them that the edit could take over).
struct Target {
    slot: Slot,
    here: String,
    path: String,
    above: bool,
}

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
            return self.lock(edit, *deny);
        }
        let target = self.target(edit)?;
        let (slot, here) = (target.slot, target.here.as_str());
        let vars = self.vars().clone();
        refuse_protected(self.file_mut(slot, &edit.section)?, here, &edit.section)?;
        let changed = match &edit.change {
            Change::Set {
                element,
                attribute,
                value,
            } => {
                let elem = resolve(schema, element)?;
                let text = canonical(schema, element, elem, attribute, value)?;
                self.check_secret(schema, element, elem, attribute, &text)?;
                let local = locate(
                    self.file_mut(slot, &edit.section)?,
                    here,
                    schema,
                    &vars,
                    element,
                );
                // Only a value already written at this very level is "no change": a value
                // that is inherited or the default is written here, pinning it, as appcmd
                // does (a later change of the parent no longer reaches this level).
                match local {
                    Some(node) => {
                        let file = self.file_mut(slot, &edit.section)?;
                        let existing = file.doc.attribute_value(node, attribute);
                        if existing.is_some_and(|v| same(elem, attribute, &v, &text)) {
                            false
                        } else {
                            file.doc.set_attribute(node, attribute, &text)?
                        }
                    }
                    None => {
                        let inherited = self.inherited_entries(&target, schema, element)?;
                        let file = self.file_mut(slot, &edit.section)?;
                        let walk = Walk {
                            vars: &vars,
                            inherited: &inherited,
                        };
                        let node = ensure(file, here, schema, element, &walk)?;
                        file.doc.set_attribute(node, attribute, &text)?;
                        true
                    }
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
                    let text = canonical(schema, element, &coll.entry, name, value)?;
                    self.check_secret(schema, element, &coll.entry, name, &text)?;
                    values.push((name.clone(), text));
                }
                // A key the entry does not write has its default (IIS's own sample
                // `/+"[accessType='Allow',roles='administrators']"` leaves `users` at "").
                let key = full_key(coll, &values).map_err(|name| {
                    EditError::Schema(format!(
                        "a new entry of {} needs its key attribute '{name}' (it has no default)",
                        where_(schema, element)
                    ))
                })?;
                let directive = coll.add_elements.first().cloned().unwrap_or_default();
                let effective =
                    self.effective_entries(&target.path, schema, element, &edit.change)?;
                // The collection's element as written here, else made (taking over what is
                // inherited on the way).
                let local = locate(
                    self.file_mut(slot, &edit.section)?,
                    here,
                    schema,
                    &vars,
                    element,
                );
                let node = match local {
                    Some(node) => node,
                    None => {
                        let inherited = self.inherited_entries(&target, schema, element)?;
                        let walk = Walk {
                            vars: &vars,
                            inherited: &inherited,
                        };
                        ensure(
                            self.file_mut(slot, &edit.section)?,
                            here,
                            schema,
                            element,
                            &walk,
                        )?
                    }
                };
                let doc = &mut self.file_mut(slot, &edit.section)?.doc;
                if find_entry(doc, node, coll, &vars, &key).is_some() {
                    return Err(EditError::Duplicate(duplicate_text(&directive, coll, &key)));
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
                let file = self.file_mut(slot, &edit.section)?;
                let local = locate(file, here, schema, &vars, element)
                    .and_then(|n| find_entry(&file.doc, n, coll, &vars, &values));
                if let Some(entry) = local {
                    file.doc.remove_element(entry)?;
                    true
                } else if let Some(written_key) = {
                    // The inherited entry's key as its file writes it (`%windir%\…` for an
                    // expanded key selected by its expanded value), for the remove
                    // directive; read only when the entry is not written here.
                    match self.effective_at(&target, &edit.section)? {
                        Some(eff) => walk_effective(eff, &schema.root, &vars, element)
                            .and_then(|e| find_effective_entry(e, coll, &vars, &values))
                            .map(|entry| key_as_written(coll, entry, &values)),
                        None => None,
                    }
                } {
                    let inherited = self.inherited_entries(&target, schema, element)?;
                    let file = self.file_mut(slot, &edit.section)?;
                    let remove = coll.remove_element.clone().ok_or_else(|| {
                        EditError::Schema(format!(
                            "the collection of {} has no remove directive: clear it instead",
                            where_(schema, element)
                        ))
                    })?;
                    let walk = Walk {
                        vars: &vars,
                        inherited: &inherited,
                    };
                    let node = ensure(file, here, schema, element, &walk)?;
                    let attrs: Vec<(&str, &str)> = written_key
                        .iter()
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
                let inherited = self.inherited_entries(&target, schema, element)?;
                let walk = Walk {
                    vars: &vars,
                    inherited: &inherited,
                };
                clear(
                    self.file_mut(slot, &edit.section)?,
                    here,
                    schema,
                    elem,
                    element,
                    attribute.as_deref(),
                    &walk,
                )?
            }
            Change::Lock { .. } => false,
        };
        if changed {
            self.mark_dirty(slot);
        }
        if !target.above {
            self.note_section(&edit.section, &target.path);
        }
        Ok(())
    }

    /// Locks or unlocks the section for the path, in applicationHost.config.
    fn lock(&mut self, edit: &Edit, deny: bool) -> Result<(), EditError> {
        let path = self.hierarchy().check_path(&edit.path)?;
        if !self.hierarchy().has_apphost() {
            return Err(EngineError::NoApphost.into());
        }
        let slot = self.slot_for(
            &PlanFile::Existing(FileId::APPHOST.index()),
            &ConfigPath::server(),
            &edit.section,
        )?;
        let mode = if deny {
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
        Ok(())
    }

    /// Plans where an edit goes: the level appcmd's `/commit:` names in the hierarchy, or
    /// the root web.config (`WEBROOT`) or machine.config (`MACHINE`) given as files.
    fn target(&mut self, edit: &Edit) -> Result<Target, EditError> {
        if let Some(level) = AboveLevel::of(&edit.target) {
            let path = self.hierarchy().check_path(&edit.path)?;
            let slot = self.slot_above(level, &edit.section)?;
            return Ok(Target {
                slot,
                here: path.as_str().to_string(),
                path: path.as_str().to_string(),
                above: true,
            });
        }
        let plan = self
            .hierarchy()
            .plan_commit(&edit.path, &edit.section, &edit.target)?;
        let mut slot = self.slot_for(&plan.file, &plan.file_level, &edit.section)?;
        let mut here = plan.location.clone().unwrap_or_default();
        self.refuse_duplicate(slot, &here, &edit.section)?;
        // A section read from a configSource file is edited there, as IIS's tools do.
        if let Some(source) = self.config_source_of(slot, &here, &edit.section)? {
            slot = self.slot_for(
                &PlanFile::Existing(source.index()),
                &plan.file_level,
                &edit.section,
            )?;
            here.clear();
        }
        Ok(Target {
            slot,
            here,
            path: plan.path.as_str().to_string(),
            above: false,
        })
    }

    /// The effective section at the target's path; `None` above applicationHost.config,
    /// where nothing the hierarchy reads is inherited.
    fn effective_at(
        &mut self,
        target: &Target,
        section: &str,
    ) -> Result<Option<&EffectiveElement>, EditError> {
        if target.above {
            return Ok(None);
        }
        self.effective(&target.path, section).map(Some)
    }

    /// [`Workspace::inherited_entries`] at the target (none above applicationHost.config).
    fn inherited_entries(
        &mut self,
        target: &Target,
        schema: &SectionSchema,
        steps: &[Step],
    ) -> Result<Vec<InheritedEntry>, EditError> {
        if target.above {
            return Ok(vec![None; steps.len()]);
        }
        // Entries the target itself writes need nothing from above, and finding what is
        // inherited costs the whole effective section (every site of a large server).
        let vars = self.vars().clone();
        let file = self.file_mut(target.slot, &schema.name)?;
        if entries_written_here(file, &target.here, schema, &vars, steps) {
            return Ok(vec![None; steps.len()]);
        }
        self.inherited_entries_at(&target.path, schema, steps)
    }

    /// Refuses a plain-text value for an attribute the schema marks `encrypted`, unless the
    /// transaction allows it (then it is kept as a warning). IIS stores such values
    /// encrypted with the server's keys (appcmd encrypts them as it writes); the linter
    /// reports a plain-text one as IIS4001.
    fn check_secret(
        &mut self,
        schema: &SectionSchema,
        steps: &[Step],
        elem: &ElementSchema,
        attribute: &str,
        text: &str,
    ) -> Result<(), EditError> {
        let encrypted = elem.attribute(attribute).is_some_and(|a| a.encrypted);
        if !encrypted || text.is_empty() || is_encrypted_form(text) {
            return Ok(());
        }
        let attribute = format!("{}@{attribute}", where_(schema, steps));
        if !self.allows_plaintext_secrets() {
            return Err(EditError::PlaintextSecret { attribute });
        }
        self.warn(format!(
            "{attribute} is marked encrypted in the schema but is written in plain text \
             (IIS4001 plaintext-secret): anyone who can read the file can read it; set it \
             again on the server with appcmd to store it encrypted"
        ));
        Ok(())
    }
}

/// Whether a value is already in IIS's encrypted form, `[enc:PROVIDER:…:enc]` (copied from
/// a server, it is written as it is).
fn is_encrypted_form(text: &str) -> bool {
    text.starts_with("[enc:") && text.ends_with(":enc]")
}

/// The key of an effective entry as its file writes it, for a remove directive: each key
/// attribute the selector names, with the entry's written value.
fn key_as_written(
    coll: &CollectionSchema,
    entry: &EffectiveElement,
    selector: &[(String, String)],
) -> Vec<(String, String)> {
    let key_names: Vec<String> = coll
        .key_attributes()
        .iter()
        .map(|a| a.name.clone())
        .collect();
    selector
        .iter()
        .filter(|(n, _)| key_names.is_empty() || key_names.contains(n))
        .map(|(n, v)| {
            let written = entry
                .attribute(n)
                .filter(|a| matches!(a.origin, Provenance::File { .. }))
                .map_or_else(|| v.clone(), |a| a.value.clone());
            (n.clone(), written)
        })
        .collect()
}

impl Workspace {
    /// Refuses to edit `section` for location `loc` of the file in `slot` when the file writes
    /// it more than once there.
    fn refuse_duplicate(&self, slot: Slot, loc: &str, section: &str) -> Result<(), EditError> {
        let Slot::Existing(index) = slot else {
            return Ok(());
        };
        let Some(file) = self.hierarchy().files().get(index) else {
            return Ok(());
        };
        let copies = file.written_instances(loc, section);
        if copies.len() < 2 {
            return Ok(());
        }
        Err(EditError::DuplicateSection {
            section: section.to_string(),
            places: copies
                .into_iter()
                .map(|node| {
                    file.doc.span(node).map_or_else(
                        || file.name.to_string(),
                        |span| file.place(span).to_string(),
                    )
                })
                .collect(),
        })
    }

    /// The configSource file holding `section` for location `loc` of the file in `slot`;
    /// `None` when the section is written in place. An error when the section names a
    /// configSource file the hierarchy could not read.
    fn config_source_of(
        &self,
        slot: Slot,
        loc: &str,
        section: &str,
    ) -> Result<Option<FileId>, EditError> {
        let Slot::Existing(index) = slot else {
            return Ok(None);
        };
        let Some(file) = self.hierarchy().files().get(index) else {
            return Ok(None);
        };
        let Some((_, node)) = file.find_section(loc, section) else {
            return Ok(None);
        };
        let Some(source_file) = file.doc.attribute_value(node, CONFIG_SOURCE) else {
            return Ok(None);
        };
        match self.hierarchy().source_file_of(FileId::new(index), node) {
            Some(source) => Ok(Some(source)),
            None => Err(EditError::UnreadableConfigSource {
                section: section.to_string(),
                place: file.doc.span(node).map_or_else(
                    || file.name.to_string(),
                    |span| file.place(span).to_string(),
                ),
                source_file: source_file.into_owned(),
            }),
        }
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

/// What following a path below a section needs besides the file: the variables expanded
/// keys are compared with, and the inherited entries along the path.
#[derive(Clone, Copy)]
struct Walk<'a> {
    vars: &'a PathMapper,
    inherited: &'a Inherited,
}

/// Follows `steps` below the section without creating anything.
/// Whether every entry step of `steps` selects an entry written in `file` at location
/// `loc` (child elements on the way may be missing: they are created without anything
/// inherited to copy).
fn entries_written_here(
    file: &ConfigFile,
    loc: &str,
    schema: &SectionSchema,
    vars: &PathMapper,
    steps: &[Step],
) -> bool {
    let doc = &file.doc;
    let mut cur = file.find_section(loc, &schema.name).map(|(_, node)| node);
    let mut sch = &schema.root;
    for step in steps {
        match step {
            Step::Element(n) => {
                cur = cur.and_then(|c| doc.child_element(c, n));
                match sch.element(n) {
                    Some(next) => sch = next,
                    None => return false,
                }
            }
            Step::Entry(sel) => {
                let Some(coll) = sch.collection() else {
                    return false;
                };
                cur = cur.and_then(|c| find_entry(doc, c, coll, vars, sel));
                if cur.is_none() {
                    return false;
                }
                sch = &coll.entry;
            }
        }
    }
    true
}

fn locate(
    file: &ConfigFile,
    loc: &str,
    schema: &SectionSchema,
    vars: &PathMapper,
    steps: &[Step],
) -> Option<NodeId> {
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
                cur = find_entry(doc, cur, coll, vars, sel)?;
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
    walk: &Walk,
) -> Result<NodeId, EditError> {
    let Walk { vars, inherited } = *walk;
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
                cur = match find_entry(doc, cur, coll, vars, sel) {
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

/// Clears an attribute, an element (a collection gets its clear directive) or the section.
fn clear(
    file: &mut ConfigFile,
    loc: &str,
    schema: &SectionSchema,
    elem: &ElementSchema,
    steps: &[Step],
    attribute: Option<&str>,
    walk: &Walk,
) -> Result<bool, EditError> {
    let vars = walk.vars;
    if let Some(attr) = attribute {
        return match locate(file, loc, schema, vars, steps) {
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
            let node = ensure(file, loc, schema, steps, walk)?;
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
        None => match locate(file, loc, schema, vars, steps) {
            Some(node) => {
                file.remove_and_prune(node)?;
                Ok(true)
            }
            None => Ok(false),
        },
    }
}
