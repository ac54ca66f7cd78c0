//! One side of a diff: a hierarchy indexed by what the diff asks of it — the config paths
//! it defines, which levels write each section (and how), and each section's lock.

use iisconf_core::config::{ConfigFile, OverrideMode};
use iisconf_core::engine::paths::{join, parent_path};
use iisconf_core::engine::{FileId, Hierarchy, CONFIG_SOURCE};
use iisconf_xml::NodeId;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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
    pub layers: HashMap<String, HashMap<String, Vec<Instance>>>,
    /// Every config path the side defines: lower case → as written.
    pub paths: HashMap<String, String>,
    /// Sections written in a location tag with inheritInChildApplications="false".
    pub not_inherited: HashSet<String>,
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
            let levels: Vec<String> = file
                .locations
                .iter()
                .map(|l| join(&file_level, &l.path))
                .collect();
            for level in &levels {
                side.add_path(level);
            }
            for inst in &file.sections {
                let Some(level) = levels.get(inst.location) else {
                    continue;
                };
                if file
                    .locations
                    .get(inst.location)
                    .is_some_and(|l| !l.inherit_in_child_applications)
                {
                    side.not_inherited.insert(inst.name.to_string());
                }
                side.layers
                    .entry(inst.name.to_string())
                    .or_default()
                    .entry(fold(level))
                    .or_default()
                    .push(Instance {
                        file: fi,
                        location: inst.location,
                        node: inst.node,
                    });
            }
        }
        if let Some(apphost) = h.apphost() {
            for site in h.sites() {
                side.add_path(&site.name);
                for app in &site.applications {
                    let app_path = join(&site.name, app.path.trim_matches('/'));
                    side.add_path(&app_path);
                    for vdir in &app.virtual_directories {
                        let rel = vdir.path(apphost);
                        side.add_path(&join(&app_path, rel.trim_matches('/')));
                    }
                }
            }
        }
        side
    }

    fn add_path(&mut self, path: &str) {
        self.paths
            .entry(fold(path))
            .or_insert_with(|| path.to_string());
    }

    /// The instances of `section` written for config path `path` (lower case).
    pub fn instances(&self, section: &str, path: &str) -> &[Instance] {
        self.layers
            .get(section)
            .and_then(|levels| levels.get(path))
            .map_or(&[], |v| v.as_slice())
    }

    /// What a level writes for a section, as a comparable signature: each instance's file
    /// level, location settings and source text; `None` when the text does not say it all
    /// (a configSource file, an edited node).
    pub fn signature(&self, section: &str, path: &str) -> Option<Vec<(String, String, &str)>> {
        let mut out = Vec::new();
        for inst in self.instances(section, path) {
            let file = self.h.files().get(inst.file)?;
            let location = file.locations.get(inst.location)?;
            if file.doc.attribute(inst.node, CONFIG_SOURCE).is_some() {
                return None;
            }
            let text = element_text(file, inst.node)?;
            out.push((
                fold(self.h.level_of(FileId::new(inst.file))),
                format!(
                    "{:?}{}",
                    location.override_mode, location.inherit_in_child_applications
                ),
                text,
            ));
        }
        Some(out)
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

/// The source text of an element and everything in it; `None` for a node made by an edit.
fn element_text(file: &ConfigFile, node: NodeId) -> Option<&str> {
    let start = file.doc.span(node)?.start;
    let end = match file.doc.end_tag_span(node) {
        Some(end) => end.end,
        None => file.doc.span(node)?.end,
    };
    file.doc.source().get(start..end)
}
