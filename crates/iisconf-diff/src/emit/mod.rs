//! What turns OLD's effective configuration into NEW's: each difference planned as edits
//! (set, clear, add, remove, lock) at a config path, committed to the file where NEW has the
//! value; then written as appcmd commands ([`appcmd()`]) or an XDT transform of applicationHost.config
//! ([`xdt()`]).

mod appcmd;
mod xdt;

pub use appcmd::{appcmd, quote, Shell};
pub use xdt::{xdt, XdtError};

use crate::model::{Difference, Kind, Step};
use crate::Diff;
use iisconf_core::engine::paths::join;
use iisconf_core::engine::{EffectiveElement, FileId, Hierarchy, Provenance};
use rustc_hash::FxHashMap as HashMap;

/// Where an edit is committed: appcmd's `/commit:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Commit {
    /// applicationHost.config (in `<location path=…>` below the server level).
    AppHost,
    /// The web.config at this config path.
    Level(String),
}

/// One edit of one section at one config path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Sets an attribute of the element at `steps`.
    Set {
        /// Config path (normalised).
        path: String,
        /// Section.
        section: String,
        /// Steps to the element.
        steps: Vec<Step>,
        /// Attribute.
        attribute: String,
        /// NEW's value.
        value: String,
        /// Where it goes.
        commit: Commit,
    },
    /// Clears an attribute at the commit level, so the inherited value applies.
    Clear {
        /// Config path (normalised).
        path: String,
        /// Section.
        section: String,
        /// Steps to the element.
        steps: Vec<Step>,
        /// Attribute.
        attribute: String,
        /// Where OLD wrote it.
        commit: Commit,
    },
    /// Adds a collection entry to the collection of the element at `steps`.
    Add {
        /// Config path (normalised).
        path: String,
        /// Section.
        section: String,
        /// Steps to the collection's element.
        steps: Vec<Step>,
        /// The entry's add directive.
        directive: String,
        /// The entry's written attributes, key first.
        attributes: Vec<(String, String)>,
        /// Where it goes.
        commit: Commit,
    },
    /// Removes a collection entry (a remove directive where it is inherited).
    Remove {
        /// Config path (normalised).
        path: String,
        /// Section.
        section: String,
        /// Steps to the collection's element.
        steps: Vec<Step>,
        /// The entry's key.
        key: Vec<(String, String)>,
        /// Where it goes.
        commit: Commit,
    },
    /// Locks (`deny`) or unlocks the section for the path.
    Lock {
        /// Config path (normalised).
        path: String,
        /// Section.
        section: String,
        /// `true`: overrideMode="Deny".
        deny: bool,
    },
}

/// Which file of which level a provenance names, by file name.
struct Files {
    levels: HashMap<String, Commit>,
}

impl Files {
    fn new(hierarchies: [&Hierarchy; 2]) -> Files {
        let mut levels = HashMap::default();
        for h in hierarchies {
            for (i, file) in h.files().iter().enumerate() {
                let id = FileId::new(i);
                let commit = if id.is_apphost() && h.has_apphost() {
                    Commit::AppHost
                } else {
                    Commit::Level(h.level_of(id).to_string())
                };
                levels.entry(file.name.to_string()).or_insert(commit);
            }
        }
        Files { levels }
    }

    /// The commit target of a value written where `origin` says, and the config path it
    /// was written for.
    fn of(&self, origin: Option<&Provenance>) -> Option<(Commit, String)> {
        match origin? {
            Provenance::File { file, location, .. } => {
                Some((self.levels.get(&**file)?.clone(), location.to_string()))
            }
            _ => None,
        }
    }
}

/// The file NEW (else OLD) writes `section` in for config path `path`: where collection
/// edits without a provenance of their own go.
fn writer_at(hierarchies: [&Hierarchy; 2], files: &Files, section: &str, path: &str) -> Commit {
    for h in hierarchies {
        let mut found = None;
        for (i, file) in h.files().iter().enumerate() {
            let level = h.level_of(FileId::new(i));
            for inst in file.sections.iter().filter(|s| &*s.name == section) {
                let at = file
                    .locations
                    .get(inst.location)
                    .map(|l| join(level, &l.path));
                if at.is_some_and(|at| at.eq_ignore_ascii_case(path)) {
                    found = files.levels.get(&*file.name).cloned();
                }
            }
        }
        if let Some(found) = found {
            return found;
        }
    }
    Commit::AppHost
}

/// The edits that turn OLD's effective configuration into NEW's, in the order to apply
/// them: unlocks first, then by path (parents first), locks last.
pub fn plan(diff: &Diff, old: &Hierarchy, new: &Hierarchy) -> Vec<Operation> {
    let files = Files::new([new, old]);
    let sides = [new, old];
    let mut unlocks = Vec::new();
    let mut edits = Vec::new();
    let mut locks = Vec::new();
    let reordered: Vec<(&str, &str, &[Step])> = diff
        .differences
        .iter()
        .filter(|d| d.kind == Kind::Reordered)
        .map(|d| {
            (
                d.detail.path.as_str(),
                d.section.as_str(),
                &d.detail.steps[..],
            )
        })
        .collect();
    let mut all: Vec<&Difference> = diff.differences.iter().chain(&diff.shielded).collect();
    all.sort_by_key(|d| crate::depth(&d.detail.path));
    for d in all {
        let path = d.detail.path.clone();
        let section = d.section.clone();
        let steps = d.detail.steps.clone();
        let in_reorder = || {
            reordered.iter().any(|(p, s, st)| {
                p.eq_ignore_ascii_case(&path) && *s == section && *st == &steps[..]
            })
        };
        match d.kind {
            Kind::Lock => {
                let deny = d.new.as_deref() == Some("Deny");
                let op = Operation::Lock {
                    path,
                    section,
                    deny,
                };
                if deny {
                    locks.push(op);
                } else {
                    unlocks.push(op);
                }
            }
            Kind::Changed => edits.push(plan_change(d, &files, sides)),
            Kind::Added if !in_reorder() => {
                let commit = files
                    .of(d.detail.new_origin.as_ref())
                    .map(|(c, _)| c)
                    .unwrap_or_else(|| writer_at(sides, &files, &section, &path));
                for entry in &d.detail.new_entries {
                    add_entry(
                        &mut edits,
                        (&path, &section, &commit),
                        &steps,
                        &d.detail.directive,
                        entry,
                    );
                }
            }
            Kind::Removed if !in_reorder() => {
                let commit = match files.of(d.detail.old_origin.as_ref()) {
                    Some((commit, at)) if at.eq_ignore_ascii_case(&path) => commit,
                    _ => writer_at(sides, &files, &section, &path),
                };
                edits.push(Operation::Remove {
                    path,
                    section,
                    steps,
                    key: d.detail.key.clone(),
                    commit,
                });
            }
            Kind::Added | Kind::Removed => {}
            Kind::Reordered => {
                let commit = writer_at(sides, &files, &section, &path);
                for entry in &d.detail.new_entries {
                    edits.push(Operation::Remove {
                        path: path.clone(),
                        section: section.clone(),
                        steps: steps.clone(),
                        key: key_of(entry, new, &section, &steps),
                        commit: commit.clone(),
                    });
                    add_entry(
                        &mut edits,
                        (&path, &section, &commit),
                        &steps,
                        &d.detail.directive,
                        entry,
                    );
                }
            }
        }
    }
    unlocks.extend(edits);
    unlocks.extend(locks);
    unlocks
}

/// A changed value: set where NEW writes it, or cleared where OLD wrote it when NEW
/// inherits it.
fn plan_change(d: &Difference, files: &Files, sides: [&Hierarchy; 2]) -> Operation {
    let path = d.detail.path.clone();
    let section = d.section.clone();
    let steps = d.detail.steps.clone();
    let attribute = d.attribute.clone().unwrap_or_default();
    let in_entry = steps.iter().any(|s| matches!(s, Step::Entry(_)));
    if let Some((commit, at)) = files.of(d.detail.new_origin.as_ref()) {
        if at.eq_ignore_ascii_case(&path) || in_entry {
            return Operation::Set {
                path,
                section,
                steps,
                attribute,
                value: d.new.clone().unwrap_or_default(),
                commit,
            };
        }
    }
    match (files.of(d.detail.old_origin.as_ref()), &d.new) {
        (Some((commit, _)), _) if !in_entry => Operation::Clear {
            path,
            section,
            steps,
            attribute,
            commit,
        },
        (old, new) => {
            let commit = old
                .map(|(c, _)| c)
                .unwrap_or_else(|| writer_at(sides, files, &section, &path));
            Operation::Set {
                path,
                section,
                steps,
                attribute,
                value: new.clone().unwrap_or_default(),
                commit,
            }
        }
    }
}

/// The key of an entry of the collection at `steps`, read with NEW's schema.
fn key_of(
    entry: &EffectiveElement,
    new: &Hierarchy,
    section: &str,
    steps: &[Step],
) -> Vec<(String, String)> {
    let names: Vec<String> = new
        .registry()
        .section(section)
        .and_then(|s| element_schema(&s.root, steps))
        .and_then(|e| e.collection())
        .map(|c| c.keys().map(|k| k.name.clone()).collect())
        .unwrap_or_default();
    let keyed: Vec<(String, String)> = names
        .iter()
        .filter_map(|n| entry.attribute(n).map(|a| (n.clone(), a.value.clone())))
        .collect();
    if keyed.is_empty() {
        written(entry)
    } else {
        keyed
    }
}

/// The schema of the element at `steps` below `root`.
fn element_schema<'s>(
    root: &'s iisconf_core::schema::ElementSchema,
    steps: &[Step],
) -> Option<&'s iisconf_core::schema::ElementSchema> {
    let mut cur = root;
    for step in steps {
        cur = match step {
            Step::Element(name) => cur.element(name)?,
            Step::Entry(_) => &cur.collection()?.entry,
        };
    }
    Some(cur)
}

/// The attributes written for an element (not defaults).
fn written(element: &EffectiveElement) -> Vec<(String, String)> {
    element
        .attributes
        .iter()
        .filter(|a| matches!(a.origin, Provenance::File { .. }))
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

/// An add of `entry` with its written attributes, then what is written inside it: child
/// elements' attributes and nested collection entries.
fn add_entry(
    edits: &mut Vec<Operation>,
    (path, section, commit): (&str, &str, &Commit),
    steps: &[Step],
    directive: &str,
    entry: &EffectiveElement,
) {
    let attributes = written(entry);
    let key = attributes.clone();
    edits.push(Operation::Add {
        path: path.to_string(),
        section: section.to_string(),
        steps: steps.to_vec(),
        directive: directive.to_string(),
        attributes,
        commit: commit.clone(),
    });
    let mut inner = steps.to_vec();
    inner.push(Step::Entry(key));
    add_contents(edits, (path, section, commit), &mut inner, entry);
}

/// The written attributes of `element`'s child elements and its collection entries, as
/// sets and adds below `steps`.
fn add_contents(
    edits: &mut Vec<Operation>,
    at: (&str, &str, &Commit),
    steps: &mut Vec<Step>,
    element: &EffectiveElement,
) {
    for child in &element.children {
        steps.push(Step::Element(child.name.clone()));
        for (attribute, value) in written(child) {
            edits.push(Operation::Set {
                path: at.0.to_string(),
                section: at.1.to_string(),
                steps: steps.clone(),
                attribute,
                value,
                commit: at.2.clone(),
            });
        }
        add_contents(edits, at, steps, child);
        steps.pop();
    }
    for entry in &element.entries {
        if matches!(entry.origin, Provenance::File { .. }) {
            add_entry(edits, at, steps, &entry.directive, &entry.element);
        }
    }
}
