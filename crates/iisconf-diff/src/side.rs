//! One side of a diff: a hierarchy indexed by what the diff asks of it — the config paths
//! it defines, which levels write each section (and how), and each section's lock.

use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::paths::{join, parent_path};
use iisconf_core::engine::{FileId, Hierarchy, CONFIG_SOURCE};
use iisconf_xml::NodeId;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// One section instance: the file, its location tag and its element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instance {
    pub file: usize,
    pub location: usize,
    pub node: NodeId,
}

/// A hierarchy and its index.
pub(crate) struct Side<'h> {
    pub h: &'h Hierarchy,
    /// Section → config path (lower case) → its instances there.
    pub layers: HashMap<Arc<str>, HashMap<String, Vec<Instance>>>,
    /// The config paths of the side's files and location tags: lower case → as written.
    /// (Sites', applications' and virtual directories' paths are walked on demand:
    /// [`Side::paths_below`].)
    pub paths: HashMap<String, String>,
    /// Sections written in a location tag with inheritInChildApplications="false".
    pub not_inherited: HashSet<Arc<str>>,
}

/// How one section instance is written: what [`Side::writes_alike`] compares.
#[derive(PartialEq)]
struct Writing<'a> {
    /// The config path of its file.
    file_level: &'a str,
    /// Its location tag's overrideMode.
    override_mode: OverrideMode,
    /// Its location tag's inheritInChildApplications.
    inherit: bool,
    /// Its source text, element and content.
    text: &'a str,
}

/// The lower-case form paths are matched in (IIS compares config paths without case).
pub(crate) fn fold(path: &str) -> String {
    path.to_lowercase()
}

impl<'h> Side<'h> {
    /// Indexes `h`.
    pub fn new(h: &'h Hierarchy) -> Side<'h> {
        let mut side = Side {
            h,
            layers: HashMap::default(),
            paths: HashMap::default(),
            not_inherited: HashSet::default(),
        };
        side.add_path("");
        for (fi, file) in h.files().iter().enumerate() {
            let file_level = h.level_of(FileId::new(fi)).to_string();
            side.add_path(&file_level);
            // Each location tag's config path, lower case: the key its sections go under.
            let levels: Vec<String> = file
                .locations
                .iter()
                .map(|l| side.add_path(&join(&file_level, &l.path)))
                .collect();
            for inst in &file.sections {
                let Some(level) = levels.get(inst.location) else {
                    continue;
                };
                if file
                    .locations
                    .get(inst.location)
                    .is_some_and(|l| !l.inherit_in_child_applications)
                {
                    side.not_inherited.insert(inst.name.clone());
                }
                let instance = Instance {
                    file: fi,
                    location: inst.location,
                    node: inst.node,
                };
                let by_level = side.layers.entry(inst.name.clone()).or_default();
                match by_level.get_mut(level.as_str()) {
                    Some(list) => list.push(instance),
                    None => {
                        by_level.insert(level.clone(), vec![instance]);
                    }
                }
            }
        }
        side
    }

    /// Adds to `out` every config path (lower case) this side defines strictly below
    /// `prefix` (lower case; empty for the server level): location and file levels, and the
    /// sites', applications' and virtual directories' paths. Only the sites `prefix` falls
    /// in are walked.
    pub fn paths_below(&self, prefix: &str, out: &mut HashSet<String>) {
        let below = |path: &str| {
            prefix.is_empty() && !path.is_empty()
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        out.extend(self.paths.keys().filter(|p| below(p)).cloned());
        let Some(apphost) = self.h.apphost() else {
            return;
        };
        let site_of_prefix = prefix.split('/').next().unwrap_or_default();
        for site in self.h.sites() {
            if !prefix.is_empty() && !folds_to(&site.name, site_of_prefix) {
                continue;
            }
            let mut add = |path: String| {
                let folded = fold(&path);
                if below(&folded) {
                    out.insert(folded);
                }
            };
            add(site.name.clone());
            for app in &site.applications {
                let app_path = join(&site.name, app.path.trim_matches('/'));
                for vdir in &app.virtual_directories {
                    add(join(&app_path, vdir.path(apphost).trim_matches('/')));
                }
                add(app_path);
            }
        }
    }

    /// Records a config path the side defines; its lower-case form.
    fn add_path(&mut self, path: &str) -> String {
        let folded = fold(path);
        if !self.paths.contains_key(&folded) {
            self.paths.insert(folded.clone(), path.to_string());
        }
        folded
    }

    /// The instances of `section` written for config path `path` (lower case).
    pub fn instances(&self, section: &str, path: &str) -> &[Instance] {
        self.layers
            .get(section)
            .and_then(|levels| levels.get(path))
            .map_or(&[], |v| v.as_slice())
    }

    /// Whether config path `path` (lower case) writes `section` the same way here and in
    /// `other`: the same instances in order, each from a file at the same level, with the
    /// same location settings and source text. False when the text does not say it all (a
    /// configSource file, an edited node).
    pub fn writes_alike(&self, other: &Side, section: &str, path: &str) -> bool {
        let (mine, theirs) = (
            self.instances(section, path),
            other.instances(section, path),
        );
        mine.len() == theirs.len()
            && mine
                .iter()
                .zip(theirs)
                .all(|(a, b)| match (self.writing(a), other.writing(b)) {
                    (Some(a), Some(b)) => {
                        a.text == b.text
                            && a.override_mode == b.override_mode
                            && a.inherit == b.inherit
                            && (a.file_level == b.file_level
                                || fold(a.file_level) == fold(b.file_level))
                    }
                    _ => false,
                })
    }

    /// How an instance is written; `None` when its text does not say it all.
    fn writing(&self, inst: &Instance) -> Option<Writing<'h>> {
        let file = self.h.files().get(inst.file)?;
        let location = file.locations.get(inst.location)?;
        if file.doc.attribute(inst.node, CONFIG_SOURCE).is_some() {
            return None;
        }
        Some(Writing {
            file_level: self.h.level_of(FileId::new(inst.file)),
            override_mode: location.override_mode,
            inherit: location.inherit_in_child_applications,
            text: element_text(file, inst.node)?,
        })
    }

    /// What a section is before any level writes it: its schema (the defaults) and its
    /// declaration's settings. Two sides whose starting points match, and whose server
    /// level writes the section the same way, have the same section at the server level.
    pub fn starting_point(&self, section: &str) -> String {
        let schema = self.h.registry().section(section);
        let declaration = self.h.declaration(section).map(|(_, d)| {
            (
                d.name.as_str(),
                d.allow_definition,
                d.override_mode_default,
                d.allow_location,
            )
        });
        format!("{schema:?}{declaration:?}")
    }

    /// Whether `section` is locked for config path `path` (lower case): the overrideMode of
    /// the deepest location tag at or above it holding the section, else the declaration's
    /// overrideModeDefault.
    pub fn locked(&self, section: &str, path: &str) -> bool {
        let mut cur = Some(path);
        while let Some(level) = cur {
            for inst in self.instances(section, level).iter().rev() {
                let mode = self
                    .h
                    .files()
                    .get(inst.file)
                    .and_then(|f| f.locations.get(inst.location))
                    .map(|l| l.override_mode);
                match mode {
                    Some(OverrideMode::Deny) => return true,
                    Some(OverrideMode::Allow) => return false,
                    _ => {}
                }
            }
            cur = parent_path(level);
        }
        self.h
            .declaration(section)
            .is_some_and(|(_, d)| d.override_mode_default == OverrideMode::Deny)
    }
}

/// Whether `text` is `folded` in lower case, without allocating.
fn folds_to(text: &str, folded: &str) -> bool {
    text.chars().flat_map(char::to_lowercase).eq(folded.chars())
}

/// The source text of an element and everything in it; `None` for a node made by an edit.
fn element_text(file: &ConfigFile, node: NodeId) -> Option<&str> {
    let start = file.doc.span(node)?.start;
    let end = match file.doc.end_tag_span(node) {
        Some(end) => end.end,
        None => file.doc.span(node)?.end,
    };
    file.doc.source().get(start..end)
}
