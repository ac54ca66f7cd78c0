//! Comparing two IIS configuration hierarchies by meaning: the effective configuration of
//! every section at every config path either side defines, attributes by typed value,
//! collection entries by key, and section locks. A change is reported once, at the highest
//! path where it appears, with the paths below that inherit it counted.
//!
//! ```no_run
//! use iisconf_core::engine::{Hierarchy, Options};
//! use iisconf_core::schema::Registry;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let open = |file: &str| {
//!     let options = Options { apphost: Some(file.into()), ..Options::default() };
//!     Hierarchy::open(Registry::embedded(), &options)
//! };
//! let (old, new) = (open("old/applicationHost.config")?, open("new/applicationHost.config")?);
//! let diff = iisconf_diff::Diff::between(&old, &new);
//! for d in &diff.differences {
//!     println!("{} {} {}: {:?} -> {:?}", d.path, d.section, d.locator(), d.old, d.new);
//! }
//! let commands = iisconf_diff::emit::appcmd(&diff, &old, &new, iisconf_diff::emit::Shell::Posix);
//! # Ok(()) }
//! ```
//!
//! The library never prints; [`render`] makes the human, JSON and Markdown reports and
//! [`emit`] the appcmd commands and the XDT transform.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod compare;
pub mod emit;
mod model;
mod pin;
pub mod render;
mod section;
mod side;

pub use model::{display_key, display_steps, Detail, Difference, Kind, Step};

use iisconf_core::engine::Hierarchy;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use section::{depth, diff_section};
use side::{fold, Side};

/// The differences between the effective configurations of two hierarchies.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Diff {
    /// Every change, ordered by config path (parents first), then section.
    pub differences: Vec<Difference>,
    /// What could not be compared (an encrypted section, a section without schema), with
    /// the reason.
    pub notes: Vec<String>,
    /// What NEW keeps at lower paths that a change above would otherwise reach there: the
    /// same value written below, a lock kept, an entry removed again. Not differences of
    /// the effective configuration; the emitters write them after the changes above.
    #[serde(skip)]
    pub shielded: Vec<Difference>,
}

impl Diff {
    /// Compares OLD's effective configuration with NEW's.
    pub fn between(old: &Hierarchy, new: &Hierarchy) -> Diff {
        Diff::between_rewritten(old, new, new.rewritten_since(old).as_deref())
    }

    /// [`Diff::between`] given what NEW writes differently from OLD
    /// ([`Hierarchy::rewritten_since`]), for a caller that also checks NEW with it. When
    /// known, the two differ in those sections' instances alone (same files, location tags,
    /// declarations and schema), so every other section has the same effective
    /// configuration at every path and only those are compared. `None` compares every
    /// section.
    pub fn between_rewritten(
        old: &Hierarchy,
        new: &Hierarchy,
        rewritten: Option<&[(String, String)]>,
    ) -> Diff {
        // The levels (lower case) where each section is rewritten, when known: only those
        // sections can differ, and at every other level both sides write them alike, which
        // their text need not be compared to tell.
        let rewritten_at = rewritten.map(|pairs| {
            let mut at: HashMap<&str, HashSet<String>> = HashMap::default();
            for (section, path) in pairs {
                at.entry(section.as_str()).or_default().insert(fold(path));
            }
            at
        });
        let only = |section: &str| {
            rewritten_at
                .as_ref()
                .is_none_or(|at| at.contains_key(section))
        };
        // Where a section is rewritten, only the levels at or below a rewritten level can
        // differ, and only those and the levels above them are read to compare them (the
        // locks above). A section written where children do not inherit is compared at
        // every level.
        let related: HashMap<&str, Related> = match &rewritten_at {
            Some(at) => at
                .iter()
                .filter(|(section, _)| {
                    !old.written_not_inherited(section) && !new.written_not_inherited(section)
                })
                .map(|(section, levels)| (*section, Related::new(levels)))
                .collect(),
            None => HashMap::default(),
        };
        let at_level = |section: &str, level: &str| {
            related
                .get(section)
                .is_none_or(|related| related.holds(level))
        };
        let (old, new) = iisconf_xml::parallel::join(
            || Side::new(old, &only, &at_level),
            || Side::new(new, &only, &at_level),
        );
        let mut sections: Vec<&str> = old
            .layers
            .keys()
            .chain(new.layers.keys())
            .map(|s| &**s)
            .collect();
        sections.sort();
        sections.dedup();
        let per_section = iisconf_xml::parallel::map(&sections, |section| {
            let alike = match &rewritten_at {
                Some(at) => section::Alike::Except(at.get(section)),
                None => section::Alike::Compared,
            };
            diff_section(&old, &new, section, alike)
        });
        let mut diff = Diff::default();
        for section in per_section {
            diff.differences.extend(section.reports);
            diff.shielded.extend(section.shielded);
            diff.notes.extend(section.notes);
        }
        let order = |a: &Difference, b: &Difference| {
            depth(&a.detail.path)
                .cmp(&depth(&b.detail.path))
                .then_with(|| fold(&a.detail.path).cmp(&fold(&b.detail.path)))
                .then_with(|| a.section.cmp(&b.section))
        };
        diff.differences.sort_by(order);
        diff.shielded.sort_by(order);
        diff
    }

    /// Whether the effective configurations are the same.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Levels (lower case) and the levels related to them: at or below one of them, or above
/// one of them.
struct Related<'a> {
    levels: &'a HashSet<String>,
    above: HashSet<&'a str>,
}

impl<'a> Related<'a> {
    fn new(levels: &'a HashSet<String>) -> Related<'a> {
        let mut above = HashSet::default();
        for level in levels {
            let mut cur = Some(level.as_str());
            while let Some(path) = cur.filter(|p| above.insert(*p)) {
                cur = iisconf_core::engine::paths::parent_path(path);
            }
        }
        Related { levels, above }
    }

    /// Whether `level` (lower case) is one of the levels, below one, or above one.
    fn holds(&self, level: &str) -> bool {
        if self.above.contains(level) {
            return true;
        }
        let mut cur = iisconf_core::engine::paths::parent_path(level);
        while let Some(path) = cur {
            if self.levels.contains(path) {
                return true;
            }
            cur = iisconf_core::engine::paths::parent_path(path);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::config::ConfigFile;
    use iisconf_core::engine::Options;
    use iisconf_core::schema::Registry;
    use std::path::Path;

    fn open(registry: &Registry, name: &str, text: &str) -> Hierarchy {
        let file = ConfigFile::parse(name, text.as_bytes()).expect("parses");
        Hierarchy::of_file(registry.clone(), file, &Options::default())
    }

    /// A diff as the reports and emitters see it.
    fn shown(diff: &Diff) -> String {
        format!("{}\n{:?}", render::json(diff).expect("json"), diff.shielded)
    }

    /// Every real file (the corpus beside the repository, the bundled example) with one value
    /// of a section instance changed: comparing only the sections NEW writes differently
    /// gives what comparing every section gives.
    #[test]
    fn comparing_the_rewritten_sections_alone_gives_the_whole_comparison() {
        let registry = Registry::embedded();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut paths = vec![root.join("fixtures/example/applicationHost.config")];
        if let Ok(dir) = std::fs::read_dir(root.join("../shared/corpus")) {
            paths.extend(dir.filter_map(|e| Some(e.ok()?.path())));
        }
        // The diff scenarios: locks and values written at levels above and below others.
        if let Ok(dir) = std::fs::read_dir(root.join("fixtures/diff")) {
            for scenario in dir.filter_map(|e| Some(e.ok()?.path())) {
                for side in ["old", "new"] {
                    paths.push(scenario.join(side).join("applicationHost.config"));
                }
            }
        }
        let mut compared = 0;
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "config"))
        {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let name = path.display().to_string();
            let old = open(&registry, &name, &String::from_utf8_lossy(&bytes));
            let Some(file) = old.files().iter().find(|f| *f.name == *name) else {
                continue;
            };
            let text = file.doc.source();
            let step = (file.sections.len() / 10).max(1);
            for inst in file.sections.iter().step_by(step) {
                let Some(span) = file.doc.element_span(inst.node) else {
                    continue;
                };
                // The first value in the instance, given a leading "1".
                let Some(at) = text[span.start..span.end]
                    .find("=\"")
                    .map(|i| span.start + i + 2)
                else {
                    continue;
                };
                let changed = format!("{}1{}", &text[..at], &text[at..]);
                let new = open(&registry, &name, &changed);
                let Some(rewritten) = new.rewritten_since(&old) else {
                    continue;
                };
                assert_eq!(rewritten.len(), 1, "{name}: {}", inst.name);
                let whole = Diff::between_rewritten(&old, &new, None);
                let alone = Diff::between_rewritten(&old, &new, Some(&rewritten));
                assert_eq!(shown(&alone), shown(&whole), "{name}: {}", inst.name);
                compared += 1;
            }
        }
        assert!(compared > 30, "only {compared} changes were compared");
    }
}
