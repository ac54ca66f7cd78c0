//! Transactions: programmatic edits of an IIS configuration hierarchy, committed where
//! appcmd's `/commit:` would put them, validated before anything is written, and written
//! atomically with a backup, changing only the bytes that must change.
//!
//! ```no_run
//! use iisconf_edit::{Change, Transaction};
//! use iisconf_core::atomic_file::{WriteGuard, DEFAULT_LOCK_TIMEOUT};
//! use iisconf_core::engine::{commit::CommitTarget, Hierarchy, Options};
//! use iisconf_core::schema::Registry;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let options = Options { apphost: Some("applicationHost.config".into()), ..Options::default() };
//! // No other writer runs from the read to the commit (the commit shares this lock).
//! let _guard = WriteGuard::acquire(&[options.apphost_path()], DEFAULT_LOCK_TIMEOUT)?;
//! let hierarchy = Hierarchy::open(Registry::embedded(), &options)?;
//! let mut tx = Transaction::new(hierarchy);
//! tx.set("Default Web Site", "system.webServer/asp", &CommitTarget::AppHost, "session.max", "1000")?;
//! let prepared = tx.prepare()?;          // planned, applied in memory, validated
//! print!("{}", prepared.diff());         // unified diff per file
//! prepared.commit(&Default::default())?; // locked, compared, atomic, with a backup
//! # Ok(()) }
//! ```
//!
//! Flow: the sections and paths the edits touch are checked first
//! ([`Hierarchy::check_sections`]). Then each [`Edit`] is planned
//! ([`Hierarchy::plan_commit`]; lock/unlock always go to applicationHost.config), its values
//! parsed and validated against the schema, and applied in memory to the target document,
//! which the transaction owns (through [`Hierarchy::edit_file`]; the file finds or creates
//! the `<location path=…>` and the section, see [`iisconf_core::config::ConfigFile`]; the
//! section's element path is created, new web.config files started and added with
//! [`Hierarchy::add_file`]): no copy of a large applicationHost.config is made. What the
//! hierarchy derives from its files is brought up to date by [`Hierarchy::rederive`] (the
//! same derive path that builds it), and the touched sections are checked again: a change
//! that adds an error finding is refused and nothing is written in any file.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod apply;
mod entries;
pub mod fix;
pub mod grammar;
pub mod path;
mod position;
mod resolve;
pub mod server;
mod workspace;
mod write;

pub use fix::FixPlan;
pub use path::{parse_steps, Step};
pub use workspace::AboveLevel;
pub use write::{CommitOptions, Written};

use iisconf_core::diagnostic::{Finding, Severity};
use iisconf_core::engine::commit::CommitTarget;
use iisconf_core::engine::{EngineError, Hierarchy};
use std::collections::HashMap;
use std::path::PathBuf;

/// Why an edit cannot be made or written. Nothing is written when any error is returned
/// before [`Prepared::commit`] succeeds.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// From the engine: unknown path or section, or a locked commit target.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A change written in a form that cannot be read.
    #[error("{0}")]
    Syntax(String),
    /// A path, name or value holding a character XML cannot hold (see
    /// [`grammar::check_xml_chars`]).
    #[error(transparent)]
    Character(#[from] grammar::InvalidCharacter),
    /// A change the schema does not allow (unknown attribute or element, bad value).
    #[error("{0}")]
    Schema(String),
    /// Runtime data (schema `extension=`), which is never configured in a file.
    #[error("{0} is runtime data supplied by the server (schema extension); it cannot be configured in a file")]
    RuntimeOnly(String),
    /// A collection entry that does not exist.
    #[error("Cannot find requested collection entry {0}")]
    EntryNotFound(String),
    /// A collection entry that already exists here.
    #[error("Cannot add duplicate collection entry {0}; remove it first or change it in place")]
    Duplicate(String),
    /// A lock of a section that files below the path set: IIS would refuse them.
    #[error("cannot lock {section} for \"{path}\": {} below it {} the section, and IIS would refuse {} once it is locked (IIS2001, HTTP 500.19); nothing was written — move those settings into applicationHost.config first (a <location path> there keeps them), then lock", .places.join(", "), if .places.len() == 1 { "sets" } else { "set" }, if .places.len() == 1 { "that file" } else { "those files" })]
    LockBreaksBelow {
        /// The section.
        section: String,
        /// The config path the lock is for.
        path: String,
        /// Where each file below sets the section (file:line:column).
        places: Vec<String>,
    },
    /// The change would make the configuration invalid.
    #[error("the change would make the configuration invalid; nothing was written:\n{}", render_findings(.0))]
    Rejected(Vec<Finding>),
    /// A file could not be written (locked by another writer, changed on disk since it
    /// was read, read-only, …); see [`iisconf_core::atomic_file::WriteError`].
    #[error(transparent)]
    Write(#[from] iisconf_core::atomic_file::WriteError),
    /// An I/O error while reading a file to edit.
    #[error("{path}: {what}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
    /// A document edit failed.
    #[error(transparent)]
    Xml(#[from] iisconf_xml::DocumentEditError),
    /// The working copy of a file is missing (an internal invariant was broken).
    #[error("internal: the working file is missing")]
    NoWorkingFile,
    /// A section or location tag could not be placed in a file.
    #[error(transparent)]
    Place(#[from] iisconf_core::config::PlaceError),
    /// A plain-text value for an attribute the schema marks `encrypted="true"`: IIS keeps
    /// it encrypted with the server's keys, which iisconf does not have.
    #[error("{attribute} is marked encrypted in the schema (encrypted=\"true\"): appcmd stores it encrypted with the server's keys, which iisconf does not have, and written in plain text it is finding IIS4001 (plaintext-secret); nothing was written — give the value already encrypted ([enc:PROVIDER:…:enc]), or allow plain text explicitly")]
    PlaintextSecret {
        /// The attribute (`section/element@name`).
        attribute: String,
    },
    /// The section to edit is written more than once for one location of a file: IIS
    /// refuses such a file (a duplicate section), and which copy to change is not known.
    #[error("{section} is written {} times for the same path ({}); IIS refuses such a file (duplicate section) — keep one of them, then edit it", .places.len(), .places.join(", "))]
    DuplicateSection {
        /// The section.
        section: String,
        /// Each copy's element (file:line:column).
        places: Vec<String>,
    },
    /// The section to edit is read from a configSource file that could not be read (missing,
    /// outside the config folder, not well-formed): its values live in that file, and
    /// writing them beside the attribute would be ignored by IIS.
    #[error("{section} at {place} is read from configSource=\"{source_file}\", which could not be read; nothing was written — fix that file (or remove the configSource attribute) before editing the section")]
    UnreadableConfigSource {
        /// The section.
        section: String,
        /// The section's element (file:line:column).
        place: String,
        /// The configSource attribute's value.
        source_file: String,
    },
    /// An edit committed above applicationHost.config (`/commit:WEBROOT`, `/commit:MACHINE`)
    /// without the file of that level ([`EditOptions::webroot_config`],
    /// [`EditOptions::machine_config`]).
    #[error("the commit target {} is {}, which is not part of the configuration read; nothing was written — name the file", .level.config_path(), .level.file_name())]
    NoLevelFile {
        /// The level.
        level: AboveLevel,
    },
}

fn render_findings(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| match &f.help {
            Some(h) => format!("  {f}\n    help: {h}"),
            None => format!("  {f}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What to change in a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Sets `attribute` of the element at `element` (steps below the section; an entry
    /// step changes that collection entry). A timeSpan accepts `10m`-style durations.
    Set {
        /// Path to the element.
        element: Vec<Step>,
        /// Attribute name.
        attribute: String,
        /// The value (IIS syntax; human durations for timeSpans).
        value: String,
    },
    /// Adds an entry to the collection of the element at `element` (appcmd `/+[…]`).
    Add {
        /// Path to the collection's element.
        element: Vec<Step>,
        /// The new entry's attributes, key included.
        attributes: Vec<(String, String)>,
    },
    /// Adds an entry at a position of the collection (appcmd `/+[@start,…]`, `[@2,…]`; see
    /// [`grammar::EntryPosition`]).
    Insert {
        /// Path to the collection's element.
        element: Vec<Step>,
        /// The new entry's attributes, key included.
        attributes: Vec<(String, String)>,
        /// Where among the collection's entries it goes.
        position: grammar::EntryPosition,
    },
    /// Removes the entry with this key from the collection at `element` (appcmd `/-[…]`);
    /// an inherited entry is removed with the collection's remove directive.
    Remove {
        /// Path to the collection's element.
        element: Vec<Step>,
        /// The entry's key attributes.
        key: Vec<(String, String)>,
    },
    /// Clears: the whole section at the target (no steps, no attribute), an element (a
    /// collection gets its clear directive), or one attribute.
    Clear {
        /// Path to the element.
        element: Vec<Step>,
        /// The attribute, or `None` for the element itself.
        attribute: Option<String>,
    },
    /// Locks (`overrideMode="Deny"`) or unlocks (`Allow`) the section for the path, in a
    /// `<location>` of applicationHost.config.
    Lock {
        /// `true` to lock, `false` to unlock.
        deny: bool,
    },
}

/// One change of one section at one config path, and where to commit it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Config path (`Default Web Site/app`, `MACHINE/WEBROOT/APPHOST/…`, `""` for the server).
    pub path: String,
    /// Section name (`system.webServer/asp`).
    pub section: String,
    /// Commit target (appcmd `/commit:`); ignored for [`Change::Lock`].
    pub target: CommitTarget,
    /// The change.
    pub change: Change,
}

/// How a transaction treats what the hierarchy alone does not settle.
#[derive(Clone, Debug, Default)]
pub struct EditOptions {
    /// `%VARIABLE%` values (NAME, VALUE) for keys the schema marks `expanded="true"`,
    /// which are matched by their expanded value; `%SystemDrive%`, `%windir%` and
    /// `%SystemRoot%` have their usual Windows values unless given here.
    pub env: Vec<(String, String)>,
    /// The root web.config (MACHINE/WEBROOT), for edits committed to `WEBROOT`.
    pub webroot_config: Option<PathBuf>,
    /// machine.config (MACHINE), for edits committed to `MACHINE`.
    pub machine_config: Option<PathBuf>,
    /// Write a plain-text value for an attribute the schema marks encrypted (with a
    /// warning, [`Prepared::warnings`]) instead of refusing it.
    pub allow_plaintext_secrets: bool,
}

impl EditOptions {
    /// Adds a `%VARIABLE%` value (`NAME`, `VALUE`).
    ///
    /// ```
    /// let options = iisconf_edit::EditOptions::default()
    ///     .env("SITES", r"D:\sites")
    ///     .allow_plaintext_secrets(true);
    /// assert_eq!(options.env, [("SITES".to_string(), r"D:\sites".to_string())]);
    /// ```
    pub fn env(mut self, name: &str, value: &str) -> EditOptions {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Names the root web.config, for edits committed to `WEBROOT`.
    pub fn webroot_config(mut self, path: impl Into<PathBuf>) -> EditOptions {
        self.webroot_config = Some(path.into());
        self
    }

    /// Names machine.config, for edits committed to `MACHINE`.
    pub fn machine_config(mut self, path: impl Into<PathBuf>) -> EditOptions {
        self.machine_config = Some(path.into());
        self
    }

    /// Whether a plain-text value for an encrypted attribute is written (with a warning).
    pub fn allow_plaintext_secrets(mut self, allow: bool) -> EditOptions {
        self.allow_plaintext_secrets = allow;
        self
    }
}

/// A set of edits over one hierarchy, committed together or not at all.
pub struct Transaction {
    hierarchy: Hierarchy,
    edits: Vec<Edit>,
    options: EditOptions,
}

/// One file as it would be written.
#[derive(Clone, Debug)]
pub struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// Whether the file is created.
    pub created: bool,
    /// Whether its bytes change.
    pub changed: bool,
}

/// A transaction planned, applied in memory and validated: ready to diff or commit.
pub struct Prepared {
    /// The edited hierarchy (its documents hold both the original and the edited text).
    edited: Hierarchy,
    /// (file index in `edited`, local path, created, whether an edit changed it).
    files: Vec<(usize, PathBuf, bool, bool)>,
    /// The root web.config and machine.config, when edits went there.
    above: Vec<workspace::AboveFile>,
    warnings: Vec<String>,
}

impl Transaction {
    /// Starts a transaction over a hierarchy.
    pub fn new(hierarchy: Hierarchy) -> Transaction {
        Transaction::with_options(hierarchy, EditOptions::default())
    }

    /// Starts a transaction over a hierarchy with options.
    pub fn with_options(hierarchy: Hierarchy, options: EditOptions) -> Transaction {
        Transaction {
            hierarchy,
            edits: Vec::new(),
            options,
        }
    }

    /// The hierarchy as read (for reading effective values before changing them).
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// The edits queued so far.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Queues an edit.
    pub fn push(&mut self, edit: Edit) -> &mut Transaction {
        self.edits.push(edit);
        self
    }

    /// Queues setting a dotted attribute path (`session.max`, `files[value='a'].value`).
    pub fn set(
        &mut self,
        path: &str,
        section: &str,
        target: &CommitTarget,
        dotted: &str,
        value: &str,
    ) -> Result<&mut Transaction, EditError> {
        let mut steps = parse_steps(dotted)?;
        let attribute = match steps.pop() {
            Some(Step::Element(a)) => a,
            _ => {
                return Err(EditError::Syntax(format!(
                    "`{dotted}` does not end with an attribute name"
                )))
            }
        };
        Ok(self.push(Edit {
            path: path.to_string(),
            section: section.to_string(),
            target: target.clone(),
            change: Change::Set {
                element: steps,
                attribute,
                value: value.to_string(),
            },
        }))
    }

    /// Queues setting several attributes of one element (`element` is a dotted path below
    /// the section, `""` for the section element), e.g. a typed model's attributes.
    pub fn set_attributes(
        &mut self,
        path: &str,
        section: &str,
        target: &CommitTarget,
        element: &str,
        attributes: &[(&str, String)],
    ) -> Result<&mut Transaction, EditError> {
        let steps = parse_steps(element)?;
        for (name, value) in attributes {
            self.push(Edit {
                path: path.to_string(),
                section: section.to_string(),
                target: target.clone(),
                change: Change::Set {
                    element: steps.clone(),
                    attribute: name.to_string(),
                    value: value.clone(),
                },
            });
        }
        Ok(self)
    }

    /// Plans every edit, applies it to the documents in memory and validates the result.
    /// Nothing is written. The transaction is consumed: its documents become the edited
    /// ones (no copy of a large applicationHost.config is made).
    pub fn prepare(self) -> Result<Prepared, EditError> {
        for edit in &self.edits {
            check_edit_chars(edit)?;
        }
        let touched = self.touched_sections()?;
        // Edits of applicationHost.config alone create no file: the findings before them
        // are then only read when the edited configuration has errors (from the original
        // text, [`findings_as_read`]), which spares a large section such as
        // system.applicationHost/sites one full check.
        let before = (!self.edits_apphost_only()).then(|| self.hierarchy.check_sections(&touched));
        let mut work = workspace::Workspace::new(self.hierarchy, self.options);
        for edit in &self.edits {
            work.apply(edit)?;
        }
        let touched_after = work.sections();
        let edited = work.finish();
        let mut files = Vec::new();
        for (index, dirty) in edited.existing {
            let path = edited
                .hierarchy
                .files()
                .get(index)
                .map(|f| PathBuf::from(&*f.name))
                .unwrap_or_default();
            files.push((index, path, false, dirty));
        }
        for (index, path) in edited.created {
            files.push((index, path, true, true));
        }
        let (above, warnings) = (edited.above, edited.warnings);
        let mut edited = edited.hierarchy;
        if files.iter().any(|f| f.3) {
            let after = edited.check_sections(&touched_after);
            if after.iter().any(|f| f.severity == Severity::Error) {
                let before = match before {
                    Some(before) => before,
                    None => findings_as_read(&mut edited, &files, &touched)?,
                };
                let new = new_errors(&before, after);
                if let Some(e) = lock_breaks_below(&self.edits, &new) {
                    return Err(e);
                }
                if !new.is_empty() {
                    return Err(EditError::Rejected(new));
                }
            }
        }
        Ok(Prepared {
            edited,
            files,
            above,
            warnings,
        })
    }

    /// Whether every edit is committed to applicationHost.config (`/commit:apphost`).
    fn edits_apphost_only(&self) -> bool {
        self.edits
            .iter()
            .all(|e| e.target == CommitTarget::AppHost && !matches!(e.change, Change::Lock { .. }))
    }

    /// The (section, config path) pairs the edits change, planned on the hierarchy as
    /// read: the part of the configuration to check before and after.
    fn touched_sections(&self) -> Result<Vec<(String, String)>, EditError> {
        let h = &self.hierarchy;
        let mut touched: Vec<(String, String)> = Vec::new();
        for edit in &self.edits {
            // In the order the edit itself checks them, so the same error comes first.
            h.registry()
                .section(&edit.section)
                .ok_or_else(|| EngineError::NoSchema(edit.section.clone()))?;
            let path = match &edit.change {
                Change::Lock { .. } => h.check_path(&edit.path)?,
                // Above applicationHost.config: a file the hierarchy does not read.
                _ if AboveLevel::of(&edit.target).is_some() => {
                    h.check_path(&edit.path)?;
                    continue;
                }
                _ => h.plan_commit(&edit.path, &edit.section, &edit.target)?.path,
            };
            let key = (edit.section.clone(), path.as_str().to_string());
            if !touched.contains(&key) {
                touched.push(key);
            }
        }
        Ok(touched)
    }

    /// Prepares and commits in one step.
    pub fn commit(self, options: &CommitOptions) -> Result<Vec<Written>, EditError> {
        self.prepare()?.commit(options)
    }
}

/// The findings of `touched` in the configuration as read, from an edited hierarchy whose
/// changed files were all read from disk (none created): each changed file is swapped for
/// its original text, the sections are checked, and the edited files are put back.
fn findings_as_read(
    edited: &mut Hierarchy,
    files: &[(usize, PathBuf, bool, bool)],
    touched: &[(String, String)],
) -> Result<Vec<Finding>, EditError> {
    let changed: Vec<usize> = files
        .iter()
        .filter(|(_, _, created, dirty)| *dirty && !*created)
        .map(|(index, ..)| *index)
        .collect();
    let mut kept = Vec::with_capacity(changed.len());
    for index in &changed {
        let Some(file) = edited.files().get(*index) else {
            return Err(EditError::NoWorkingFile);
        };
        let original = file
            .as_read()
            .map_err(|e| EditError::Syntax(e.to_string()))?;
        kept.push(file.clone());
        edited.replace_file(iisconf_core::engine::FileId::new(*index), original);
    }
    edited.rederive();
    let before = edited.check_sections(touched);
    for (index, file) in changed.into_iter().zip(kept) {
        edited.replace_file(iisconf_core::engine::FileId::new(index), file);
    }
    edited.rederive();
    Ok(before)
}

/// Refuses an edit whose path, section, names or values hold a character XML cannot hold:
/// such a file would not parse again, so nothing is planned or written.
fn check_edit_chars(edit: &Edit) -> Result<(), grammar::InvalidCharacter> {
    use grammar::check_xml_chars as check;
    check("the config path", &edit.path)?;
    check("the section", &edit.section)?;
    if let CommitTarget::Path(p) = &edit.target {
        check("the commit path", p)?;
    }
    let steps = |steps: &[Step]| -> Result<(), grammar::InvalidCharacter> {
        for step in steps {
            match step {
                Step::Element(name) => check("the element name", name)?,
                Step::Entry(pairs) => check_pairs(pairs)?,
            }
        }
        Ok(())
    };
    match &edit.change {
        Change::Set {
            element,
            attribute,
            value,
        } => {
            steps(element)?;
            check("the attribute name", attribute)?;
            check(&format!("the value of {attribute}"), value)
        }
        Change::Add {
            element,
            attributes: pairs,
        }
        | Change::Insert {
            element,
            attributes: pairs,
            ..
        }
        | Change::Remove {
            element,
            key: pairs,
        } => {
            steps(element)?;
            check_pairs(pairs)
        }
        Change::Clear { element, attribute } => {
            steps(element)?;
            attribute
                .as_deref()
                .map_or(Ok(()), |a| check("the attribute name", a))
        }
        Change::Lock { .. } => Ok(()),
    }
}

/// [`check_edit_chars`] for `name='value'` pairs.
fn check_pairs(pairs: &[(String, String)]) -> Result<(), grammar::InvalidCharacter> {
    for (name, value) in pairs {
        grammar::check_xml_chars("the attribute name", name)?;
        grammar::check_xml_chars(&format!("the value of {name}"), value)?;
    }
    Ok(())
}

/// A lock whose only new errors are files below that set the section it locks: said as
/// what it is (those files would break), naming each place, instead of as the findings a
/// linter gives for a lock already there (whose advice is to lift it).
fn lock_breaks_below(edits: &[Edit], new: &[Finding]) -> Option<EditError> {
    let lock = edits
        .iter()
        .find(|e| matches!(e.change, Change::Lock { deny: true }))?;
    let all_locked = !new.is_empty()
        && new
            .iter()
            .all(|f| f.rule == iisconf_core::diagnostic::Rule::SectionLocked);
    all_locked.then(|| EditError::LockBreaksBelow {
        section: lock.section.clone(),
        path: lock.path.clone(),
        places: new
            .iter()
            .map(|f| format!("{}:{}:{}", f.place.file, f.place.line, f.place.column))
            .collect(),
    })
}

/// Normalises a finding for comparison across an edit (line numbers move).
fn finding_key(f: &Finding) -> (String, String, String) {
    let mut msg = String::with_capacity(f.message.len());
    let mut digits = false;
    for c in f.message.chars() {
        if c.is_ascii_digit() {
            if !digits {
                msg.push('#');
            }
            digits = true;
        } else {
            digits = false;
            msg.push(c);
        }
    }
    (f.rule.id().to_string(), f.place.file.to_string(), msg)
}

/// The error findings of `after` that `before` does not have (as a multiset).
fn new_errors(before: &[Finding], after: Vec<Finding>) -> Vec<Finding> {
    let mut counts: HashMap<(String, String, String), usize> = HashMap::new();
    for f in before {
        *counts.entry(finding_key(f)).or_default() += 1;
    }
    let mut out = Vec::new();
    for f in after {
        if f.severity != Severity::Error {
            continue;
        }
        match counts.get_mut(&finding_key(&f)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(f),
        }
    }
    out
}

impl Prepared {
    /// The files the transaction touches, with whether each changes.
    pub fn files(&self) -> Vec<FileChange> {
        let above = self.above.iter().map(|a| FileChange {
            path: a.path.clone(),
            created: false,
            changed: a.dirty,
        });
        self.files
            .iter()
            .map(|(_, path, created, dirty)| FileChange {
                path: path.clone(),
                created: *created,
                changed: *dirty,
            })
            .chain(above)
            .collect()
    }

    /// Warnings for the user: values written as the options allowed rather than as IIS
    /// would write them (a plain-text secret).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Every file as (path, document, created, changed): the hierarchy's, then those above
    /// it.
    fn documents(&self) -> impl Iterator<Item = (&PathBuf, &iisconf_xml::Document, bool, bool)> {
        let hierarchy = self
            .files
            .iter()
            .filter_map(|(index, path, created, dirty)| {
                self.doc(*index).map(|doc| (path, doc, *created, *dirty))
            });
        let above = self
            .above
            .iter()
            .map(|a| (&a.path, &a.file.doc, false, a.dirty));
        hierarchy.chain(above)
    }

    fn doc(&self, index: usize) -> Option<&iisconf_xml::Document> {
        self.edited.files().get(index).map(|f| &f.doc)
    }

    /// Whether any byte of any file changes.
    pub fn is_noop(&self) -> bool {
        !self.files.iter().any(|f| f.3) && !self.above.iter().any(|a| a.dirty)
    }

    /// The edited hierarchy (what the configuration will be after the commit).
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.edited
    }

    /// A unified diff per changed file (`--- a/FILE` / `+++ b/FILE`, `/dev/null` for new
    /// files), three lines of context.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (path, doc, created, dirty) in self.documents() {
            if !dirty {
                continue;
            }
            let new = doc.to_text();
            let old = if created { "" } else { doc.source() };
            if old == new && !created {
                continue;
            }
            let name = path.display().to_string();
            let (a, b) = if path.is_absolute() {
                (name.clone(), name.clone())
            } else {
                (format!("a/{name}"), format!("b/{name}"))
            };
            let old_name = if created { "/dev/null".to_string() } else { a };
            let diff = similar::TextDiff::from_lines(old, new.as_str());
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&old_name, &b)
                    .to_string(),
            );
        }
        out
    }

    /// Writes every changed file atomically (see [`CommitOptions`]). Files whose bytes do
    /// not change are not touched.
    pub fn commit(&self, options: &CommitOptions) -> Result<Vec<Written>, EditError> {
        let mut pending = Vec::new();
        for (path, doc, created, dirty) in self.documents() {
            if !dirty {
                continue;
            }
            pending.push(write::Pending {
                path: path.clone(),
                original: (!created).then(|| write::Original {
                    text: doc.source(),
                    encoding: doc.encoding(),
                }),
                bytes: doc.to_bytes(),
            });
        }
        write::write_all(&pending, options)
    }
}
