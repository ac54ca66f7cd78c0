//! The working copies of a hierarchy's files during a transaction: which file an edit goes
//! to (existing, a web.config created for it, or the root web.config or machine.config
//! above the hierarchy), the effective sections read on the way, and the hierarchy brought
//! up to date at the end.

use super::entries::walk_effective;
use super::path::Step;
use super::{EditError, EditOptions};
use iisconf_core::config::ConfigFile;
use iisconf_core::engine::commit::{CommitTarget, PlanFile};
use iisconf_core::engine::{
    machine_sections, ConfigPath, EffectiveElement, EngineError, FileId, Hierarchy, PathMapper,
};
use iisconf_core::schema::SectionSchema;
use iisconf_xml::Document;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::PathBuf;

/// An inherited entry a path step selects: its directive and written attributes.
pub(super) type InheritedEntry = Option<(String, Vec<(String, String)>)>;
/// The inherited entries selected along a path, one per step.
pub(super) type Inherited = [InheritedEntry];

/// Which working file an edit goes to.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    Existing(usize),
    Created(usize),
    /// A file above applicationHost.config (index into the workspace's `above` files).
    Above(usize),
}

/// The levels above applicationHost.config that appcmd's `/commit:` can name: IIS reads
/// machine.config as MACHINE and the .NET root web.config as MACHINE/WEBROOT before
/// applicationHost.config (MACHINE/WEBROOT/APPHOST).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AboveLevel {
    /// machine.config (`/commit:MACHINE`).
    Machine,
    /// The root web.config (`/commit:WEBROOT` or `/commit:MACHINE/WEBROOT`).
    WebRoot,
}

impl AboveLevel {
    /// The level a commit target names, if it is one above applicationHost.config.
    pub fn of(target: &CommitTarget) -> Option<AboveLevel> {
        let CommitTarget::Path(path) = target else {
            return None;
        };
        match path.to_ascii_uppercase().trim_matches('/') {
            "MACHINE" => Some(AboveLevel::Machine),
            "WEBROOT" | "MACHINE/WEBROOT" => Some(AboveLevel::WebRoot),
            _ => None,
        }
    }

    /// The config path of the level (`MACHINE`, `MACHINE/WEBROOT`).
    pub fn config_path(self) -> &'static str {
        match self {
            AboveLevel::Machine => "MACHINE",
            AboveLevel::WebRoot => "MACHINE/WEBROOT",
        }
    }

    /// The file the level is read from.
    pub fn file_name(self) -> &'static str {
        match self {
            AboveLevel::Machine => "machine.config",
            AboveLevel::WebRoot => "the root web.config",
        }
    }
}

/// A file above applicationHost.config, read for a transaction: its level, where it is, its
/// working copy, and whether an edit changed it.
pub(super) struct AboveFile {
    pub level: AboveLevel,
    pub path: PathBuf,
    pub file: ConfigFile,
    pub dirty: bool,
}

/// The hierarchy being edited: its documents are changed in place (reads before a change
/// see the edits made so far), new web.config files are kept aside until the end.
pub(super) struct Workspace {
    h: Hierarchy,
    /// Existing files edited, and whether an edit changed their bytes.
    existing: HashMap<usize, bool>,
    created: Vec<(ConfigPath, PathBuf, ConfigFile)>,
    /// (section, config path) of every edit, for the re-check.
    sections: Vec<(String, String)>,
    /// Effective sections by (path, section), computed on first use.
    effective: HashMap<(String, String), EffectiveElement>,
    /// The root web.config and machine.config, when an edit goes there.
    above: Vec<AboveFile>,
    /// `%VARIABLES%` for expanded keys.
    vars: PathMapper,
    options: EditOptions,
    /// Warnings for the user (values written as allowed, not as IIS would).
    warnings: Vec<String>,
}

/// What editing produced: the hierarchy derived again, the existing files edited (index,
/// changed) and the new ones (index in the hierarchy, local path).
pub(super) struct Edited {
    pub hierarchy: Hierarchy,
    pub existing: Vec<(usize, bool)>,
    pub created: Vec<(usize, PathBuf)>,
    pub above: Vec<AboveFile>,
    pub warnings: Vec<String>,
}

impl Workspace {
    pub fn new(h: Hierarchy, options: EditOptions) -> Workspace {
        Workspace {
            h,
            existing: HashMap::new(),
            created: Vec::new(),
            sections: Vec::new(),
            effective: HashMap::new(),
            above: Vec::new(),
            vars: PathMapper::new(&[], &options.env),
            options,
            warnings: Vec::new(),
        }
    }

    /// The variables expanded keys are compared with (`--env` and the usual Windows ones).
    pub(super) fn vars(&self) -> &PathMapper {
        &self.vars
    }

    /// Whether attributes marked encrypted may be written in plain text.
    pub(super) fn allows_plaintext_secrets(&self) -> bool {
        self.options.allow_plaintext_secrets
    }

    /// Records a warning for the user.
    pub(super) fn warn(&mut self, warning: String) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The hierarchy being edited.
    pub(super) fn hierarchy(&self) -> &Hierarchy {
        &self.h
    }

    /// The (section, config path) pairs edited.
    pub fn sections(&self) -> Vec<(String, String)> {
        self.sections.clone()
    }

    /// The hierarchy with every edit, what it derives from the files brought up to date.
    pub fn finish(mut self) -> Edited {
        let mut existing: Vec<(usize, bool)> = self.existing.into_iter().collect();
        existing.sort_by_key(|e| e.0);
        // The other readings of an edited file see its edits, so the check after the edit
        // reads the file as IIS will at each config path.
        for &(i, changed) in &existing {
            let edited = FileId::new(i);
            let others = self.h.other_readings(edited);
            // A copy only for a file read more than once (a large applicationHost.config
            // is read once, and copying it costs as much as reading it).
            if !changed || others.is_empty() {
                continue;
            }
            let Some(copy) = self.h.files().get(i).cloned() else {
                continue;
            };
            for other in others {
                self.h.replace_file(other, copy.clone());
            }
        }
        let mut created = Vec::new();
        for (level, path, file) in self.created {
            created.push((self.h.add_file(&level, file).index(), path));
        }
        self.h.rederive();
        Edited {
            hierarchy: self.h,
            existing,
            created,
            above: self.above,
            warnings: self.warnings,
        }
    }

    /// The working copy of the root web.config or machine.config for an edit of `section`,
    /// read from the file the options name. Only the sections machine.config declares can
    /// be set there (IIS's own sections are declared in applicationHost.config, below).
    pub(super) fn slot_above(
        &mut self,
        level: AboveLevel,
        section: &str,
    ) -> Result<Slot, EditError> {
        if !machine_sections().any(|s| s.eq_ignore_ascii_case(section)) {
            return Err(EditError::Schema(format!(
                "{section} cannot be committed to {} ({}): machine.config declares only the .NET sections there (system.web/…, appSettings, connectionStrings…), and {section} is declared in applicationHost.config; commit it to apphost or a web.config",
                level.config_path(),
                level.file_name()
            )));
        }
        if let Some(i) = self.above.iter().position(|f| f.level == level) {
            return Ok(Slot::Above(i));
        }
        let path = match level {
            AboveLevel::Machine => self.options.machine_config.clone(),
            AboveLevel::WebRoot => self.options.webroot_config.clone(),
        }
        .ok_or(EditError::NoLevelFile { level })?;
        let bytes = std::fs::read(&path).map_err(|source| EditError::Io {
            path: path.display().to_string(),
            what: format!("cannot read {}", level.file_name()),
            source,
        })?;
        let name = path.display().to_string();
        let file = ConfigFile::parse(&name, &bytes)
            .map_err(|error| EngineError::Parse { file: name, error })?;
        self.above.push(AboveFile {
            level,
            path,
            file,
            dirty: false,
        });
        Ok(Slot::Above(self.above.len() - 1))
    }

    /// The working file for an edit of `section` planned to go to `file` (at config path
    /// `level` when it is created).
    pub(super) fn slot_for(
        &mut self,
        file: &PlanFile,
        level: &ConfigPath,
        section: &str,
    ) -> Result<Slot, EditError> {
        match file {
            PlanFile::Existing(i) => {
                // A file read at several config paths is edited in its first reading only, so
                // that every edit lands in one copy and the file is written once.
                let i = self.first_reading(*i);
                if self.h.edit_file(FileId::new(i), section).is_none() {
                    return Err(missing());
                }
                self.existing.entry(i).or_insert(false);
                Ok(Slot::Existing(i))
            }
            PlanFile::Create(path) => {
                if let Some(i) = self.created.iter().position(|c| &c.1 == path) {
                    return Ok(Slot::Created(i));
                }
                let newline = self.h.apphost().map_or("\r\n", |f| f.doc.newline());
                let text = format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>{newline}<configuration>{newline}</configuration>{newline}"
                );
                let name = path.display().to_string();
                let doc = Document::parse_str(&text).map_err(|error| EngineError::Parse {
                    file: name.clone(),
                    error,
                })?;
                self.created.push((
                    level.clone(),
                    path.clone(),
                    ConfigFile::from_document(&name, doc),
                ));
                Ok(Slot::Created(self.created.len() - 1))
            }
        }
    }

    /// The first reading of file `i` (the file itself unless a folder is read at several
    /// config paths).
    fn first_reading(&self, i: usize) -> usize {
        self.h
            .other_readings(FileId::new(i))
            .first()
            .map_or(i, |first| first.index().min(i))
    }

    /// The working copy of a file, to edit `section` in it.
    pub(super) fn file_mut(
        &mut self,
        slot: Slot,
        section: &str,
    ) -> Result<&mut ConfigFile, EditError> {
        match slot {
            Slot::Existing(i) => self.h.edit_file(FileId::new(i), section),
            Slot::Created(i) => self.created.get_mut(i).map(|(_, _, f)| f),
            Slot::Above(i) => self.above.get_mut(i).map(|a| &mut a.file),
        }
        .ok_or_else(missing)
    }

    pub(super) fn mark_dirty(&mut self, slot: Slot) {
        match slot {
            Slot::Existing(i) => {
                if let Some(changed) = self.existing.get_mut(&i) {
                    *changed = true;
                }
            }
            Slot::Above(i) => {
                if let Some(file) = self.above.get_mut(i) {
                    file.dirty = true;
                }
            }
            Slot::Created(_) => {}
        }
    }

    pub(super) fn effective(
        &mut self,
        path: &str,
        section: &str,
    ) -> Result<&EffectiveElement, EditError> {
        let key = (path.to_string(), section.to_string());
        match self.effective.entry(key) {
            Entry::Occupied(found) => Ok(found.into_mut()),
            // Entries and the values files write are all an edit reads: no defaults.
            Entry::Vacant(slot) => {
                Ok(slot.insert(self.h.effective_as_written(path, section)?.root))
            }
        }
    }

    /// Records that an edit goes to `section` at config path `path`, for the re-check.
    pub(super) fn note_section(&mut self, section: &str, path: &str) {
        let key = (section.to_string(), path.to_string());
        if !self.sections.contains(&key) {
            self.sections.push(key);
        }
    }

    /// For every entry step of `steps`, the effective entry (directive, attributes written
    /// in files) it selects, so an inherited entry can be copied into the target.
    pub(super) fn inherited_entries_at(
        &mut self,
        path: &str,
        schema: &SectionSchema,
        steps: &[Step],
    ) -> Result<Vec<InheritedEntry>, EditError> {
        if !steps.iter().any(|s| matches!(s, Step::Entry(_))) {
            return Ok(vec![None; steps.len()]);
        }
        let vars = self.vars.clone();
        let eff = self.effective(path, &schema.name)?;
        let mut out = Vec::new();
        for i in 0..steps.len() {
            let found = match steps.get(i) {
                Some(Step::Entry(_)) => walk_effective(
                    eff,
                    &schema.root,
                    &vars,
                    steps.get(..=i).unwrap_or(&[]),
                )
                .map(|e| {
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
                }),
                _ => None,
            };
            out.push(found);
        }
        Ok(out)
    }
}

/// The error for a working file that is not there (a slot the workspace did not give).
pub(super) fn missing() -> EditError {
    EditError::NoWorkingFile
}
