//! What a hierarchy derives from its files: the section catalog and declarations, each
//! file's location tags and section instances, the sites, the config path of every location
//! tag and the layer index. One path computes them, whether the hierarchy is being built or
//! some of its files were edited in place ([`Hierarchy::edit_file`], then
//! [`Hierarchy::rederive`]).

use super::caseless::CaselessIndex;
use super::{layers, paths, sites, ConfigPath, FileId, Hierarchy};
use crate::config::{ConfigFile, SectionCatalog};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The section whose sites, applications and virtual directories shape the hierarchy.
pub(super) const SITES_SECTION: &str = "system.applicationHost/sites";

/// What was edited since the hierarchy last derived from its files.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// The files edited or added, and how much of each must be read again.
    files: Vec<(usize, Rescan)>,
    /// Whether the sites section was edited.
    sites: bool,
}

impl Pending {
    /// Whether nothing was edited.
    pub(super) fn is_empty(&self) -> bool {
        self.files.is_empty() && !self.sites
    }
}

/// How much of a file must be read again before the hierarchy derives from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rescan {
    /// Its declarations and location tags are fresh (just parsed): its sections are found.
    Sections,
    /// Elements were removed or location tags changed: it is read again whole.
    Whole,
    /// Elements were only added (or values changed) since it had this many nodes: what was
    /// added is read.
    Since(usize),
}

impl Hierarchy {
    /// File `file`, to edit section `section` of its document in place. What the hierarchy
    /// derives from its files (sections, location tags, sites, effective states) may be
    /// stale until [`Hierarchy::rederive`]; reading the hierarchy in between sees the state
    /// before the first edit of each file.
    pub fn edit_file(&mut self, file: FileId, section: &str) -> Option<&mut ConfigFile> {
        let file = file.index();
        let edited = self.files.get_mut(file)?;
        if !self.pending.files.iter().any(|(f, _)| *f == file) {
            self.pending
                .files
                .push((file, Rescan::Since(edited.doc.node_count())));
        }
        self.pending.sites |= section == SITES_SECTION;
        Some(edited)
    }

    /// Replaces file `file` by `with`, the same file as another reading edited it (a folder
    /// IIS reads at two virtual paths holds one web.config, read once per path): it is read
    /// again whole by [`Hierarchy::rederive`]. `None` when there is no such file.
    pub fn replace_file(&mut self, file: FileId, with: ConfigFile) -> Option<()> {
        let index = file.index();
        let slot = self.files.get_mut(index)?;
        *slot = with;
        self.pending.files.retain(|(f, _)| *f != index);
        self.pending.files.push((index, Rescan::Whole));
        Some(())
    }

    /// The other readings of file `file`: the files read from the same path at other config
    /// paths (a folder that two virtual paths map to).
    pub fn other_readings(&self, file: FileId) -> Vec<FileId> {
        let Some(name) = self.files.get(file.index()).map(|f| &f.name) else {
            return Vec::new();
        };
        self.files
            .iter()
            .enumerate()
            .filter(|(i, f)| *i != file.index() && f.name == *name)
            .map(|(i, _)| FileId::new(i))
            .collect()
    }

    /// Adds a web.config at config path `level` (a file an edit created); it is part of
    /// what the hierarchy derives from after [`Hierarchy::rederive`].
    pub fn add_file(&mut self, level: &ConfigPath, file: ConfigFile) -> FileId {
        self.files.push(file);
        self.levels.push(level.clone());
        let index = self.files.len() - 1;
        self.pending.files.push((index, Rescan::Whole));
        FileId::new(index)
    }

    /// Brings what the hierarchy derives up to date with the files edited through
    /// [`Hierarchy::edit_file`] and added through [`Hierarchy::add_file`]: an edited file
    /// that was reshaped ([`ConfigFile::reshaped`]) is read again whole; from the others
    /// only what was added is read.
    pub fn rederive(&mut self) {
        let Pending {
            files: mut changed,
            sites,
        } = std::mem::take(&mut self.pending);
        for (file, rescan) in &mut changed {
            if self.files.get(*file).is_some_and(ConfigFile::reshaped) {
                *rescan = Rescan::Whole;
            }
        }
        self.derive(&changed, sites);
    }

    /// Derives everything from `changed` files (all of them when the hierarchy is built):
    /// reads what each needs, then the catalog and declarations (when a file was read
    /// whole), the sites (when `sites` were edited, or applicationHost.config was read
    /// again whole), and the location levels and layers (when any file's sections may have
    /// changed). Effective states are dropped.
    pub(super) fn derive(&mut self, changed: &[(usize, Rescan)], sites: bool) {
        self.derive_with(changed, sites, false);
    }

    /// [`Hierarchy::derive`]; with `read_sites`, the sites of applicationHost.config are
    /// read (and indexed) while the layers are, for a hierarchy that has none yet.
    pub(super) fn derive_with(
        &mut self,
        changed: &[(usize, Rescan)],
        sites: bool,
        read_sites: bool,
    ) {
        self.states.clear();
        let edited = changed.iter().any(|(_, r)| *r != Rescan::Sections);
        for (file, rescan) in changed {
            if *rescan == Rescan::Whole {
                if let Some(f) = self.files.get_mut(*file) {
                    f.reread();
                }
            }
        }
        let read = changed
            .iter()
            .any(|(_, r)| matches!(r, Rescan::Sections | Rescan::Whole));
        if read {
            self.derive_catalog();
        }
        let mut rescanned = Vec::new();
        for (file, rescan) in changed {
            let Some(f) = self.files.get_mut(*file) else {
                continue;
            };
            match rescan {
                Rescan::Sections | Rescan::Whole => {
                    f.scan_sections(&self.catalog);
                    rescanned.push(*file);
                }
                Rescan::Since(nodes) => {
                    if f.doc.nodes_since(*nodes).next().is_some() {
                        f.refresh_added(*nodes, &self.catalog);
                        rescanned.push(*file);
                    }
                }
            }
        }
        let apphost_edited = edited
            && (sites
                || changed
                    .iter()
                    .any(|(f, r)| FileId::new(*f).is_apphost() && *r == Rescan::Whole));
        if apphost_edited && self.real_apphost {
            if let Some(apphost) = self.apphost() {
                self.sites = Arc::new(sites::read_sites(apphost));
            }
        }
        if read_sites {
            self.derive_layers_reading_sites(&rescanned);
        } else {
            if apphost_edited || !edited {
                self.index_sites();
            }
            if !rescanned.is_empty() {
                self.derive_layers(&rescanned);
            }
        }
    }

    /// Derives everything, as building does, for a hierarchy whose first file (the stock
    /// applicationHost.config) has its sections found already and starts `catalog` and
    /// `declarations` (those of the schema, the machine level and that file): only the
    /// other files are read.
    pub(super) fn derive_on_stock(
        &mut self,
        catalog: &Arc<SectionCatalog>,
        declarations: &Arc<HashMap<String, (usize, usize)>>,
    ) {
        self.states.clear();
        self.catalog = catalog.clone();
        self.declarations = declarations.clone();
        for (fi, f) in self.files.iter().enumerate().skip(1) {
            for (di, d) in f.declarations.iter().enumerate() {
                if !self.catalog.is_section(&d.name) {
                    Arc::make_mut(&mut self.catalog).add_section(&d.name);
                }
                if !self.declarations.contains_key(&d.name) {
                    Arc::make_mut(&mut self.declarations).insert(d.name.clone(), (fi, di));
                }
            }
        }
        for f in self.files.iter_mut().skip(1) {
            f.scan_sections(&self.catalog);
        }
        self.index_sites();
        let all: Vec<usize> = (0..self.files.len()).collect();
        self.derive_layers(&all);
    }

    /// Which element names are sections and groups, and where each section is declared.
    fn derive_catalog(&mut self) {
        let mut catalog = super::open::schema_catalog(&self.registry);
        let mut declarations = HashMap::default();
        for (fi, f) in self.files.iter().enumerate() {
            for (di, d) in f.declarations.iter().enumerate() {
                catalog.add_section(&d.name);
                declarations.entry(d.name.clone()).or_insert((fi, di));
            }
        }
        self.catalog = Arc::new(catalog);
        self.declarations = Arc::new(declarations);
    }

    /// The config path of every location tag (of the `rescanned` files: the others keep
    /// theirs), the layer index, and the sections written in a location tag that children
    /// do not inherit.
    pub(super) fn derive_layers(&mut self, rescanned: &[usize]) {
        self.derive_location_levels(rescanned);
        self.layers = Arc::new(layers::LayerIndex::build(
            &self.files,
            &self.location_levels,
        ));
        self.derive_not_inherited();
    }

    /// [`Hierarchy::derive_layers`], reading the sites of applicationHost.config and
    /// indexing them while the layers are indexed: both only read the files.
    fn derive_layers_reading_sites(&mut self, rescanned: &[usize]) {
        self.derive_location_levels(rescanned);
        let real = self.real_apphost;
        let (layers, sites) = iisconf_xml::parallel::join(
            || layers::LayerIndex::build(&self.files, &self.location_levels),
            || match self.apphost() {
                Some(apphost) if real => sites::read_sites(apphost),
                _ => Vec::new(),
            },
        );
        self.layers = Arc::new(layers);
        self.sites = Arc::new(sites);
        self.index_sites();
        self.derive_not_inherited();
    }

    /// The config path of every location tag of the `rescanned` files.
    fn derive_location_levels(&mut self, rescanned: &[usize]) {
        self.location_levels.resize(self.files.len(), Vec::new());
        for &fi in rescanned {
            let (Some(f), Some(level), Some(levels)) = (
                self.files.get(fi),
                self.levels.get(fi),
                self.location_levels.get_mut(fi),
            ) else {
                continue;
            };
            // At the server level a tag's config path is its path: the text is shared.
            *levels = f
                .locations
                .iter()
                .map(|l| {
                    if level.is_server() {
                        l.path.clone()
                    } else {
                        Arc::from(paths::join(level, &l.path))
                    }
                })
                .collect();
        }
    }

    /// The sections written in a location tag that children do not inherit.
    fn derive_not_inherited(&mut self) {
        self.not_inherited = self
            .files
            .iter()
            .flat_map(|f| {
                f.sections
                    .iter()
                    .filter(|inst| {
                        f.locations
                            .get(inst.location)
                            .is_some_and(|l| !l.inherit_in_child_applications)
                    })
                    .map(|inst| inst.name.clone())
            })
            .collect();
    }

    /// Indexes the sites by name.
    pub(super) fn index_sites(&mut self) {
        let sites = &self.sites;
        self.site_index = CaselessIndex::build(sites.len(), |i| {
            sites.get(i).map_or("", |s| s.name.as_str())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::OverrideMode;
    use crate::engine::Options;
    use crate::schema::Registry;

    const SECTION: &str = "system.webServer/asp";
    const SITE: &str = "Default Web Site";

    fn options() -> Options {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/example");
        Options {
            apphost: Some(dir.join("applicationHost.config")),
            root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
            env: Vec::new(),
        }
    }

    /// The effective `enableParentPaths` of asp at the site.
    fn parent_paths(h: &Hierarchy) -> String {
        let eff = h.effective(SITE, SECTION).expect("effective");
        eff.root
            .attribute("enableParentPaths")
            .map(|a| a.value.clone())
            .unwrap_or_default()
    }

    /// The same hierarchy built afresh from the edited applicationHost.config.
    fn rebuilt(h: &Hierarchy) -> Hierarchy {
        let apphost = h.apphost().expect("applicationHost.config");
        let text = apphost.doc.to_bytes();
        let file = ConfigFile::parse(&apphost.name, &text).expect("the edited file parses");
        Hierarchy::from_apphost(Registry::embedded(), file, &options())
    }

    #[test]
    fn an_edit_derives_what_building_from_the_edited_file_derives() {
        let mut h = Hierarchy::open(Registry::embedded(), &options()).expect("opens");
        let before = parent_paths(&h);
        let file = h.edit_file(FileId::APPHOST, SECTION).expect("apphost");
        let node = file
            .ensure_section(SITE, SECTION, OverrideMode::Inherit)
            .expect("section placed");
        let value = if before == "false" { "true" } else { "false" };
        file.doc
            .set_attribute(node, "enableParentPaths", value)
            .expect("value set");
        h.rederive();
        assert_eq!(parent_paths(&h), value, "the edit is read");
        assert_eq!(parent_paths(&h), parent_paths(&rebuilt(&h)));
        assert_eq!(h.check().len(), rebuilt(&h).check().len());

        // Removing what the edit wrote reshapes the file: it is read again whole.
        let file = h.edit_file(FileId::APPHOST, SECTION).expect("apphost");
        let (_, node) = file
            .find_section(SITE, SECTION)
            .expect("the section is there");
        file.remove_and_prune(node).expect("removed");
        assert!(file.reshaped());
        h.rederive();
        assert_eq!(parent_paths(&h), before, "back to what was inherited");
        assert_eq!(parent_paths(&h), parent_paths(&rebuilt(&h)));
    }
}
