//! One side of a diff: a hierarchy indexed by what the diff asks of it — the config paths
//! it defines, which levels write each section (and how), and each section's lock.

use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::paths::{join, parent_path};
use iisconf_core::engine::{names_config_source, FileId, Hierarchy};
use iisconf_xml::NodeId;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

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
    pub layers: HashMap<&'h str, HashMap<String, Vec<Instance>>>,
    /// Every config path the side defines (lower case), when first asked for.
    every_path: OnceLock<HashSet<String>>,
}

/// How one section instance is written: what [`Side::writes_alike`] compares.
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
    /// Indexes `h`: the sections `only` accepts, and those a
    /// `<location inheritInChildApplications="false">` writes, at the levels (lower case)
    /// `at_level` accepts for them.
    pub fn new(
        h: &'h Hierarchy,
        only: &(dyn Fn(&str) -> bool + Sync),
        at_level: &(dyn Fn(&str, &str) -> bool + Sync),
    ) -> Side<'h> {
        let mut side = Side {
            h,
            layers: HashMap::default(),
            every_path: OnceLock::new(),
        };
        let wanted = |name: &str| only(name) || h.written_not_inherited(name);
        for (fi, file) in h.files().iter().enumerate() {
            let file_level = h.level_of(FileId::new(fi));
            // Each location tag's config path, lower case: the key its sections go under,
            // made for the tags that hold a wanted section (a diff mostly wants a few).
            let mut levels: Vec<Option<String>> = vec![None; file.locations.len()];
            for inst in file.sections.iter().filter(|inst| wanted(&inst.name)) {
                let (Some(slot), Some(tag)) = (
                    levels.get_mut(inst.location),
                    file.locations.get(inst.location),
                ) else {
                    continue;
                };
                let level = slot.get_or_insert_with(|| fold(&join(file_level, &tag.path)));
                if !at_level(&inst.name, level) {
                    continue;
                }
                let instance = Instance {
                    file: fi,
                    location: inst.location,
                    node: inst.node,
                };
                let by_level = side.layers.entry(&inst.name).or_default();
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
        let site_of_prefix = prefix.split('/').next().unwrap_or_default();
        // A path below `prefix` is in its site: others are passed over before any string is
        // built, so a diff with changes at many paths stays linear in the files.
        let in_site = |level: &str, rel: &str| {
            let path = if level.is_empty() { rel } else { level };
            prefix.is_empty()
                || folds_to(path.split('/').next().unwrap_or_default(), site_of_prefix)
        };
        for (fi, file) in self.h.files().iter().enumerate() {
            let file_level = self.h.level_of(FileId::new(fi));
            let relative = std::iter::once("").chain(file.locations.iter().map(|l| &*l.path));
            for rel in relative.filter(|rel| in_site(file_level, rel)) {
                let path = fold(&join(file_level, rel));
                if below(&path) {
                    out.insert(path);
                }
            }
        }
        let Some(apphost) = self.h.apphost() else {
            return;
        };
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

    /// Every config path the side defines (lower case; the server level included), built
    /// once when first asked for.
    pub fn every_path(&self) -> &HashSet<String> {
        self.every_path.get_or_init(|| {
            let mut every = HashSet::default();
            every.insert(String::new());
            self.paths_below("", &mut every);
            every
        })
    }

    /// The config path, as written, of the level `instances` (of one section at one level)
    /// are written at; `None` when there are none.
    pub fn written_path(&self, instances: &[Instance]) -> Option<String> {
        let first = instances.first()?;
        let location = self
            .h
            .files()
            .get(first.file)?
            .locations
            .get(first.location)?;
        Some(join(
            self.h.level_of(FileId::new(first.file)),
            &location.path,
        ))
    }

    /// The instances of `section` written for config path `path` (lower case).
    pub fn instances(&self, section: &str, path: &str) -> &[Instance] {
        self.layers
            .get(section)
            .and_then(|levels| levels.get(path))
            .map_or(&[], |v| v.as_slice())
    }

    /// Whether `mine`, instances of a section at one level here, write it the same way as
    /// `theirs` in `other`: the same instances in order, each from a file at the same level,
    /// with the same location settings and source text. False when the text does not say it
    /// all (a configSource file, an edited node).
    pub fn writes_alike(&self, mine: &[Instance], other: &Side, theirs: &[Instance]) -> bool {
        mine.len() == theirs.len()
            && mine.iter().zip(theirs).all(|(a, b)| {
                match (self.writing(a), other.writing(b)) {
                    (Some(wa), Some(wb)) => {
                        wa.text == wb.text
                            && wa.override_mode == wb.override_mode
                            && wa.inherit == wb.inherit
                            && (wa.file_level == wb.file_level
                                || fold(wa.file_level) == fold(wb.file_level))
                            // The same text: both or neither read the section from a file.
                            && !self.reads_config_source(a)
                    }
                    _ => false,
                }
            })
    }

    /// How an instance is written; `None` for an element an edit made.
    fn writing(&self, inst: &Instance) -> Option<Writing<'h>> {
        let file = self.h.files().get(inst.file)?;
        let location = file.locations.get(inst.location)?;
        Some(Writing {
            file_level: self.h.level_of(FileId::new(inst.file)),
            override_mode: location.override_mode,
            inherit: location.inherit_in_child_applications,
            text: element_text(file, inst.node)?,
        })
    }

    /// Whether an instance's section is read from a configSource file (whose text its own
    /// does not show).
    fn reads_config_source(&self, inst: &Instance) -> bool {
        self.h
            .files()
            .get(inst.file)
            .is_some_and(|file| names_config_source(file, inst.node))
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
    let span = file.doc.element_span(node)?;
    file.doc.source().get(span.start..span.end)
}
