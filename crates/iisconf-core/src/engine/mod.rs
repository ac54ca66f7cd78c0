//! The rules engine: the configuration hierarchy of an applicationHost.config and the
//! web.config files below its sites, the effective configuration of a section at any path
//! (with provenance), the IIS rules (locks, allowDefinition, locations, duplicates…) and
//! commit-target planning.

mod caseless;
mod check;
pub mod commit;
pub mod effective;
mod inherited;
mod layers;
mod machine;
pub mod paths;
pub mod render;
mod sites;
pub mod typed;
mod validate;

pub use effective::{EffectiveAttribute, EffectiveElement, EffectiveEntry, Provenance};
pub use paths::{display_config_path, normalize_config_path, Mapped, PathMapper};
pub use sites::{Application, Site, VirtualDirectory};

use crate::config::{ConfigFile, Declaration, SectionCatalog};
use crate::diagnostic::Finding;
use crate::schema::{Registry, SchemaError, SectionSchema};
use caseless::{Caseless, CaselessMap, CaselessStr};
use effective::{apply_element, Layer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// Where the hierarchy comes from.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// applicationHost.config to read.
    pub apphost: Option<PathBuf>,
    /// Windows path prefix → local folder.
    pub root_maps: Vec<(String, PathBuf)>,
    /// Extra `%VARIABLES%` for physical paths.
    pub env: Vec<(String, String)>,
}

/// Errors opening a hierarchy or answering a question about it.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A file cannot be read.
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not well-formed.
    #[error("{file}:{}: {}", error.position, error.message)]
    Parse {
        /// The file.
        file: String,
        /// The error.
        error: iisconf_xml::ParseError,
    },
    /// A schema problem.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The section has no schema.
    #[error("The configuration section '{0}' cannot be read because it is missing schema")]
    NoSchema(String),
    /// The path names no site.
    #[error("Unrecognized configuration path '{0}'")]
    UnknownPath(String),
    /// A path or target that cannot be used.
    #[error("{0}")]
    Invalid(String),
}

/// How many effective states the cache keeps before it starts over.
const MEMO_LIMIT: usize = 4096;

/// The level name used for a web.config linted on its own, without an applicationHost.config.
pub const STANDALONE_SITE: &str = "Site";

/// Effective states by layer group, kept by one thread of a check run (see
/// [`Hierarchy::check_layer`]); cleared when it grows past [`MEMO_LIMIT`].
#[derive(Default)]
pub(crate) struct States(HashMap<u32, Arc<EffectiveElement>>);

/// What edits made in place changed in a hierarchy's files (see [`Hierarchy::refreshed`]).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Edits {
    /// Files whose location tags changed or whose sections or location tags were removed:
    /// read again whole.
    pub reread: Vec<usize>,
    /// Files that only gained elements: (file, its node count before the edits).
    pub grown: Vec<(usize, usize)>,
    /// Whether the sites, applications or virtual directories changed.
    pub sites: bool,
}

/// Identifies one section instance: (file index, index in that file's `sections`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct LayerRef {
    pub file: usize,
    pub instance: usize,
}

/// A configuration hierarchy.
pub struct Hierarchy {
    registry: Registry,
    files: Vec<ConfigFile>,
    /// The config path each file sits at (`""` for applicationHost.config).
    levels: Vec<String>,
    /// The config path of each location tag of each file (the file's level for index 0).
    location_levels: Vec<Vec<Arc<str>>>,
    /// Whether files[0] is a real applicationHost.config (not the stock declarations).
    real_apphost: bool,
    /// Declarations by section name: (file, index), the highest file first.
    declarations: HashMap<String, (usize, usize)>,
    /// Which element names are sections and which are groups.
    catalog: SectionCatalog,
    sites: Vec<Site>,
    /// Site index by name (case-insensitive).
    site_index: CaselessMap<usize>,
    /// The section instances by section and level.
    layers: layers::LayerIndex,
    /// Sections with a layer in a location tag with inheritInChildApplications="false".
    not_inherited: HashSet<Arc<str>>,
    /// Findings from building the hierarchy (unmapped physical paths…).
    notes: Vec<Finding>,
    /// Effective states by section and level; a cache, cleared when it grows past
    /// [`MEMO_LIMIT`] so memory stays bounded on very large hierarchies.
    memo: Mutex<HashMap<String, CaselessMap<Arc<EffectiveElement>>>>,
    /// Check each instance against its inherited state merged whole, instead of reading
    /// the layers above in place (the tests compare both).
    merge_inherited: bool,
    mapper: PathMapper,
}

/// The effective configuration of one section at one path.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Effective {
    /// The section name.
    pub section: String,
    /// The config path (display form).
    pub path: String,
    /// The section element with every value.
    pub root: EffectiveElement,
}

impl Hierarchy {
    /// Opens the hierarchy of an applicationHost.config: `options.apphost`, else
    /// `$IISCONF_APPHOST`, else `./applicationHost.config`; web.config files are found
    /// through the sites' physical paths.
    pub fn open(registry: Registry, options: &Options) -> Result<Hierarchy, EngineError> {
        let path = options
            .apphost
            .clone()
            .or_else(|| std::env::var_os("IISCONF_APPHOST").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("applicationHost.config"));
        let file = read_config(&path)?;
        Ok(Hierarchy::from_apphost(registry, file, options))
    }

    /// Builds the hierarchy from a parsed applicationHost.config.
    pub fn from_apphost(registry: Registry, apphost: ConfigFile, options: &Options) -> Hierarchy {
        let mapper = PathMapper::new(&options.root_maps, &options.env);
        let sites = sites::read_sites(&apphost);
        let mut notes = Vec::new();
        let web_configs = sites::find_web_configs(&apphost, &sites, &mapper, &mut notes);
        let mut files = vec![apphost];
        let mut levels = vec![String::new()];
        for (level, file) in web_configs {
            files.push(file);
            levels.push(level);
        }
        let mut h = Hierarchy::build(registry, files, levels, true, sites, notes);
        h.mapper = mapper;
        h
    }

    /// A hierarchy for web.config files read on their own: each sits at the root of a
    /// site under a stock applicationHost.config (the stock section declarations).
    pub fn standalone(registry: Registry, web_config: ConfigFile) -> Hierarchy {
        let stock = stock_apphost(&registry);
        let site = Site {
            name: STANDALONE_SITE.to_string(),
            applications: vec![Application {
                path: "/".to_string(),
                virtual_directories: Vec::new(),
            }],
        };
        Hierarchy::build(
            registry,
            vec![stock, web_config],
            vec![String::new(), STANDALONE_SITE.to_string()],
            false,
            vec![site],
            Vec::new(),
        )
    }

    fn build(
        registry: Registry,
        mut files: Vec<ConfigFile>,
        levels: Vec<String>,
        real_apphost: bool,
        sites: Vec<Site>,
        notes: Vec<Finding>,
    ) -> Hierarchy {
        let mut catalog = SectionCatalog::default();
        for s in registry.sections() {
            catalog.add_section(&s.name);
        }
        for s in machine::sections() {
            catalog.add_section(s);
        }
        let mut declarations = HashMap::default();
        for (fi, f) in files.iter().enumerate() {
            for (di, d) in f.declarations.iter().enumerate() {
                catalog.add_section(&d.name);
                declarations.entry(d.name.clone()).or_insert((fi, di));
            }
        }
        for f in &mut files {
            f.scan_sections(&catalog);
        }
        let mut h = Hierarchy {
            registry,
            files,
            levels,
            location_levels: Vec::new(),
            real_apphost,
            declarations,
            catalog,
            sites,
            site_index: CaselessMap::default(),
            layers: layers::LayerIndex::default(),
            not_inherited: HashSet::default(),
            notes,
            memo: Mutex::new(HashMap::default()),
            merge_inherited: false,
            mapper: PathMapper::default(),
        };
        h.derive();
        h
    }

    /// Computes what the hierarchy derives from its files' location tags and sections, and
    /// from its sites.
    fn derive(&mut self) {
        self.index_sites();
        self.location_levels = self
            .files
            .iter()
            .zip(&self.levels)
            .map(|(f, level)| {
                f.locations
                    .iter()
                    .map(|l| Arc::from(paths::join(level, &l.path)))
                    .collect()
            })
            .collect();
        self.layers = layers::LayerIndex::build(&self.files, &self.location_levels);
        self.not_inherited = self
            .files
            .iter()
            .flat_map(|f| {
                f.sections
                    .iter()
                    .filter(|inst| !f.locations[inst.location].inherit_in_child_applications)
                    .map(|inst| inst.name.clone())
            })
            .collect();
    }

    /// The config path of location tag `location` of file `file`.
    fn location_level(&self, file: usize, location: usize) -> &Arc<str> {
        &self.location_levels[file][location]
    }

    /// The schema registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Every file of the hierarchy: applicationHost.config (or the stock declarations) first.
    pub fn files(&self) -> &[ConfigFile] {
        &self.files
    }

    /// The config path a file sits at.
    pub fn level_of(&self, file: usize) -> &str {
        self.levels.get(file).map(|s| s.as_str()).unwrap_or("")
    }

    /// Whether the hierarchy has a real applicationHost.config.
    pub fn has_apphost(&self) -> bool {
        self.real_apphost
    }

    /// The sites of applicationHost.config.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Findings from building the hierarchy (physical paths that map nowhere…).
    pub fn notes(&self) -> &[Finding] {
        &self.notes
    }

    /// The declaration of a section and the file holding it.
    pub fn declaration(&self, section: &str) -> Option<(usize, &Declaration)> {
        self.declarations
            .get(section)
            .and_then(|(f, d)| Some((*f, self.files.get(*f)?.declarations.get(*d)?)))
    }

    /// Whether `path` (normalised) is an application root (a site root counts).
    pub fn is_app_root(&self, path: &str) -> bool {
        let Some(site) = self.site_of(path) else {
            return false;
        };
        let rest = path.split_once('/').map_or("", |(_, rest)| rest);
        site.applications.iter().any(|app| {
            let app = app.path.trim_matches('/');
            app.eq_ignore_ascii_case(rest) && (!rest.is_empty() || site.name.len() == path.len())
        })
    }

    /// The site named by the first segment of `path` (case-insensitive).
    pub fn site_of(&self, path: &str) -> Option<&Site> {
        let first = path.split('/').next().unwrap_or("");
        self.site_index
            .get(&CaselessStr(first))
            .and_then(|i| self.sites.get(*i))
    }

    /// Checks that a user-given path names the server or an existing site.
    pub fn check_path(&self, path: &str) -> Result<String, EngineError> {
        let path = normalize_config_path(path);
        if path.is_empty() || self.site_of(&path).is_some() {
            Ok(path)
        } else {
            Err(EngineError::UnknownPath(display_config_path(&path)))
        }
    }

    fn section_schema(&self, section: &str) -> Result<&SectionSchema, EngineError> {
        self.registry
            .section(section)
            .ok_or_else(|| EngineError::NoSchema(section.to_string()))
    }

    fn layers_at(&self, level: &str, section: &str) -> &[LayerRef] {
        self.layers.at(level, section)
    }

    /// Whether a layer written at `level` stops short of `target` because its location tag
    /// says inheritInChildApplications="false" and an application root lies in between.
    fn skipped_for(&self, layer: LayerRef, level: &str, target: &str) -> bool {
        let file = &self.files[layer.file];
        let inst = &file.sections[layer.instance];
        if file.locations[inst.location].inherit_in_child_applications {
            return false;
        }
        let mut cur = target;
        while cur.len() > level.len() {
            if self.is_app_root(cur) {
                return true;
            }
            cur = paths::parent_path(cur).unwrap_or("");
        }
        false
    }

    /// What the merge and the checks need to know about a layer applied at `level`.
    fn layer_context<'a>(
        &'a self,
        layer: LayerRef,
        level: &'a Arc<str>,
        schema: &'a SectionSchema,
    ) -> Layer<'a> {
        Layer {
            file: &self.files[layer.file],
            file_index: layer.file,
            file_name: &self.files[layer.file].name,
            location: level,
            section: &schema.name,
            seq: ((layer.file as u32) << 20) | layer.instance as u32,
        }
    }

    fn apply_layer(
        &self,
        eff: &mut EffectiveElement,
        layer: LayerRef,
        level: &str,
        schema: &SectionSchema,
    ) {
        let inst = &self.files[layer.file].sections[layer.instance];
        // The level as written in the file (the caller's may differ in case).
        let written = self.location_level(layer.file, inst.location);
        let requested;
        let location = if **written == *level {
            written
        } else {
            requested = Arc::from(level);
            &requested
        };
        let ctx = self.layer_context(layer, location, schema);
        let node = inst.node;
        apply_element(eff, node, &schema.root, &ctx);
    }

    /// The effective section at a level, ignoring inheritInChildApplications (memoised; the
    /// cache is shared by the threads that check a hierarchy, and never locked while a state
    /// is computed).
    fn state(&self, level: &str, schema: &SectionSchema) -> Arc<EffectiveElement> {
        let hit = self
            .memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&schema.name)
            .and_then(|m| m.get(&CaselessStr(level)))
            .cloned();
        if let Some(hit) = hit {
            return hit;
        }
        let parent = match paths::parent_path(level) {
            Some(p) => self.state(p, schema),
            None => Arc::new(EffectiveElement::empty(&schema.root.name)),
        };
        let layers = self.layers_at(level, &schema.name);
        let result = if layers.is_empty() {
            parent
        } else {
            let mut eff = (*parent).clone();
            for layer in layers {
                self.apply_layer(&mut eff, *layer, level, schema);
            }
            Arc::new(eff)
        };
        let evicted = {
            let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
            let evicted = if memo.values().map(|m| m.len()).sum::<usize>() >= MEMO_LIMIT {
                std::mem::take(&mut *memo)
            } else {
                HashMap::default()
            };
            memo.entry(schema.name.clone())
                .or_default()
                .insert(Caseless(Arc::from(level)), result.clone());
            evicted
        };
        // Freed after the lock is released, so other threads are not held up.
        drop(evicted);
        result
    }

    /// The effective section at `target` from the levels above it, honouring
    /// inheritInChildApplications for `target`: shared with the cache unless a layer above
    /// stops short of `target`.
    fn inherited(&self, target: &str, schema: &SectionSchema) -> Arc<EffectiveElement> {
        let Some(parent) = paths::parent_path(target) else {
            return Arc::new(EffectiveElement::empty(&schema.root.name));
        };
        if !self.not_inherited.contains(schema.name.as_str()) {
            return self.state(parent, schema);
        }
        let mut chain = vec![parent];
        let mut cur = parent;
        while let Some(p) = paths::parent_path(cur) {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        let skips = chain.iter().any(|level| {
            self.layers_at(level, &schema.name)
                .iter()
                .any(|l| self.skipped_for(*l, level, target))
        });
        if !skips {
            return self.state(parent, schema);
        }
        let mut eff = EffectiveElement::empty(&schema.root.name);
        for level in chain {
            for layer in self.layers_at(level, &schema.name) {
                if !self.skipped_for(*layer, level, target) {
                    self.apply_layer(&mut eff, *layer, level, schema);
                }
            }
        }
        Arc::new(eff)
    }

    /// The effective configuration of `section` at config path `path`.
    pub fn effective(&self, path: &str, section: &str) -> Result<Effective, EngineError> {
        let path = self.check_path(path)?;
        let schema = self.section_schema(section)?;
        let mut root = Arc::unwrap_or_clone(self.inherited(&path, schema));
        for layer in self.layers_at(&path, section) {
            self.apply_layer(&mut root, *layer, &path, schema);
        }
        sites::fill_collection_defaults(&mut root, &schema.root);
        root.materialize(&schema.root);
        Ok(Effective {
            section: section.to_string(),
            path: display_config_path(&path),
            root,
        })
    }

    /// The state at the level of layer group `group` with the group's layers applied (what
    /// the instances of the groups below it inherit), kept in the caller's `states`.
    fn group_state(
        &self,
        group: u32,
        schema: &SectionSchema,
        states: &mut States,
    ) -> Arc<EffectiveElement> {
        if let Some(hit) = states.0.get(&group) {
            return hit.clone();
        }
        let mut eff = match self.layers.above(group) {
            Some(above) => Arc::unwrap_or_clone(self.group_state(above, schema, states)),
            None => EffectiveElement::empty(&schema.root.name),
        };
        for layer in self.layers.group(group) {
            self.apply_layer(&mut eff, *layer, self.written_level(*layer), schema);
        }
        let eff = Arc::new(eff);
        if states.0.len() >= MEMO_LIMIT {
            states.0.clear();
        }
        states.0.insert(group, eff.clone());
        eff
    }

    /// The config path a section instance is written at.
    fn written_level(&self, layer: LayerRef) -> &Arc<str> {
        let inst = &self.files[layer.file].sections[layer.instance];
        self.location_level(layer.file, inst.location)
    }

    /// The findings of one section instance, read against what it inherits (the levels
    /// above, then the earlier instances at its own level). Only the topmost group of the
    /// section is merged (once per thread, in `states`); the layers between it and the
    /// instance are read in place (see [`inherited::Inherited`]).
    pub(crate) fn check_layer(
        &self,
        layer: LayerRef,
        states: &mut States,
        findings: &mut Vec<Finding>,
    ) {
        let file = &self.files[layer.file];
        let inst = &file.sections[layer.instance];
        let (Some(schema), Some(group)) = (
            self.registry.section(&inst.name),
            self.layers.group_of(layer),
        ) else {
            return;
        };
        let level = self.location_level(layer.file, inst.location);
        // The layers read in place, oldest first, over a merged state.
        let mut over: Vec<LayerRef> = Vec::new();
        let base = if self.not_inherited.contains(schema.name.as_str()) {
            Some(self.inherited(level, schema))
        } else {
            let mut chain = Vec::new();
            let mut cur = self.layers.above(group);
            while let Some(g) = cur {
                chain.push(g);
                cur = self.layers.above(g);
            }
            let top = chain.pop();
            for g in chain.iter().rev() {
                over.extend_from_slice(self.layers.group(*g));
            }
            top.map(|g| self.group_state(g, schema, states))
        };
        let at_level = self.layers.group(group);
        over.extend_from_slice(&at_level[..at_level.iter().position(|l| *l == layer).unwrap_or(0)]);
        let contexts: Vec<(effective::Layer, iisconf_xml::NodeId)> = over
            .iter()
            .map(|l| {
                let node = self.files[l.file].sections[l.instance].node;
                (self.layer_context(*l, self.written_level(*l), schema), node)
            })
            .collect();
        let view = inherited::Inherited::new(
            base.as_deref(),
            contexts.iter().map(|(ctx, node)| (ctx, *node)).collect(),
        );
        let ctx = self.layer_context(layer, level, schema);
        if self.merge_inherited {
            let merged = view.merge(&schema.root);
            let view = inherited::Inherited::merged_state(&merged);
            validate::check_element(&view, inst.node, &schema.root, &ctx, findings);
        } else {
            validate::check_element(&view, inst.node, &schema.root, &ctx, findings);
        }
    }

    /// The instances of a section at one level, in hierarchy order, given one of them.
    pub(crate) fn layer_group(&self, layer: LayerRef) -> &[LayerRef] {
        self.layers
            .group_of(layer)
            .map_or(&[], |g| self.layers.group(g))
    }

    /// The effective configuration of `section` at `path` as typed values.
    pub fn typed(&self, path: &str, section: &str) -> Result<typed::TypedElement, EngineError> {
        let effective = self.effective(path, section)?;
        let schema = self.section_schema(section)?;
        typed::typed(&effective.root, &schema.root).map_err(|e| EngineError::Invalid(e.to_string()))
    }

    /// The findings about `section` in the files and location tags that apply at `path`:
    /// what makes the section invalid there.
    pub fn check_section_at(&self, path: &str, section: &str) -> Result<Vec<Finding>, EngineError> {
        let path = self.check_path(path)?;
        let mut levels = vec![path.as_str()];
        let mut cur = path.as_str();
        while let Some(p) = paths::parent_path(cur) {
            levels.push(p);
            cur = p;
        }
        levels.reverse();
        let mut findings = Vec::new();
        let mut reported = HashSet::default();
        let mut states = States::default();
        for level in levels {
            for layer in self.layers_at(level, section) {
                if layer.file == 0 && !self.real_apphost {
                    continue;
                }
                check::check_instance(
                    self,
                    layer.file,
                    layer.instance,
                    &mut reported,
                    &mut states,
                    &mut findings,
                );
            }
        }
        Ok(findings)
    }

    /// File `index`, to edit its document in place. What the hierarchy derived from it
    /// (sections, locations, sites, cached states) is stale until [`Hierarchy::refreshed`].
    #[doc(hidden)]
    pub fn file_mut(&mut self, index: usize) -> Option<&mut ConfigFile> {
        self.files.get_mut(index)
    }

    /// This hierarchy after its documents were edited in place (see [`Edits`]), with
    /// `added` web.config files at their levels; cached states are dropped.
    #[doc(hidden)]
    pub fn refreshed(mut self, edits: &Edits, added: Vec<(String, ConfigFile)>) -> Hierarchy {
        self.memo
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        if edits.reread.is_empty() && edits.grown.is_empty() && added.is_empty() && !edits.sites {
            return self;
        }
        for &i in &edits.reread {
            if let Some(file) = self.files.get_mut(i) {
                file.reread();
                file.scan_sections(&self.catalog);
            }
        }
        let incremental = edits.reread.is_empty() && added.is_empty();
        let mut extended = true;
        for &(i, known) in &edits.grown {
            if edits.reread.contains(&i) {
                continue;
            }
            let Some(file) = self.files.get_mut(i) else {
                continue;
            };
            let old_sections: Vec<iisconf_xml::NodeId> =
                file.sections.iter().map(|s| s.node).collect();
            let old_locations = file.locations.len();
            file.refresh_added(known, &self.catalog);
            if incremental && extended {
                extended = self.extend_derived(i, &old_sections, old_locations);
            }
        }
        if incremental && extended {
            if edits.sites {
                self.reread_sites();
            }
            return self;
        }
        for (level, mut file) in added {
            file.scan_sections(&self.catalog);
            self.files.push(file);
            self.levels.push(level);
        }
        if edits.sites || edits.reread.contains(&0) {
            self.reread_sites();
        }
        self.derive();
        self
    }

    /// Reads the sites of applicationHost.config again (after an edit of them).
    fn reread_sites(&mut self) {
        if !self.real_apphost {
            return;
        }
        if let Some(apphost) = self.files.first() {
            self.sites = sites::read_sites(apphost);
        }
        self.index_sites();
    }

    /// Indexes the sites by name.
    fn index_sites(&mut self) {
        self.site_index = self
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (Caseless(Arc::from(s.name.as_str())), i))
            .collect();
    }

    /// Adds what file `fi` gained (location tags after `old_locations`, sections after the
    /// ones whose nodes were `old_sections`) to the derived structure; `false` when the
    /// earlier sections did not stay in place (the caller then derives everything again).
    fn extend_derived(
        &mut self,
        fi: usize,
        old_sections: &[iisconf_xml::NodeId],
        old_locations: usize,
    ) -> bool {
        let file = &self.files[fi];
        let kept = file.sections.len() >= old_sections.len()
            && file
                .sections
                .iter()
                .zip(old_sections)
                .all(|(s, old)| s.node == *old);
        if !kept || file.locations.len() < old_locations {
            return false;
        }
        let level = self.levels[fi].clone();
        if let Some(levels) = self.location_levels.get_mut(fi) {
            for l in &file.locations[old_locations..] {
                levels.push(Arc::from(paths::join(&level, &l.path)));
            }
        }
        for (ii, inst) in file.sections.iter().enumerate().skip(old_sections.len()) {
            let level = &self.location_levels[fi][inst.location];
            self.layers.add(
                &inst.name,
                level,
                LayerRef {
                    file: fi,
                    instance: ii,
                },
            );
            if !file.locations[inst.location].inherit_in_child_applications {
                self.not_inherited.insert(inst.name.clone());
            }
        }
        true
    }

    /// The findings of the IIS rules for the given (section, config path) pairs only: the
    /// instances of each section written at that path or below it (plus the location tags
    /// that hold them), in file order. This is the part of [`Hierarchy::check`] that an
    /// edit of that section at that path can change: values, locks and inheritance only
    /// flow downward.
    pub fn check_sections(&self, scope: &[(String, String)]) -> Vec<Finding> {
        let scope: Vec<(String, String)> = scope
            .iter()
            .map(|(s, p)| (s.clone(), normalize_config_path(p)))
            .collect();
        let mut findings = Vec::new();
        for fi in 0..self.files.len() {
            if fi == 0 && !self.real_apphost {
                continue;
            }
            let wanted = |name: &str, location: usize| {
                scope.iter().any(|(s, p)| {
                    s == name
                        && self.location_levels[fi]
                            .get(location)
                            .is_some_and(|at| paths::is_ancestor_or_self(p, at))
                })
            };
            check::check_file_filtered(self, fi, Some(&wanted), &mut findings);
        }
        findings
    }

    /// Every finding of the IIS rules over the whole hierarchy, in file order.
    pub fn check(&self) -> Vec<Finding> {
        let mut findings = self.notes.clone();
        for fi in 0..self.files.len() {
            if fi == 0 && !self.real_apphost {
                continue;
            }
            check::check_file(self, fi, &mut findings);
        }
        findings
    }
}

/// Reads and parses a configuration file.
pub fn read_config(path: &std::path::Path) -> Result<ConfigFile, EngineError> {
    let parsed = iisconf_xml::Document::load(path).map_err(|source| EngineError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let name = path.display().to_string();
    match parsed {
        Ok(doc) => Ok(ConfigFile::from_document(&name, doc)),
        Err(error) => Err(EngineError::Parse { file: name, error }),
    }
}

/// The `<location>` tag of a stock applicationHost.config that unlocks modules and handlers.
const STOCK_UNLOCKED: &str = "<location path=\"\" overrideMode=\"Allow\"><system.webServer><modules /><handlers /></system.webServer></location>";

/// The stock applicationHost.config declarations (with the registry's add-on modules') as
/// a configuration file.
fn stock_apphost(registry: &Registry) -> ConfigFile {
    // A stock applicationHost.config also unlocks modules and handlers for every site
    // (declared overrideModeDefault="Deny"), so web.config files may set them.
    // The embedded declarations are part of the build; a unit test parses them.
    ConfigFile::from_declarations(
        "embedded:stock_sections.xml",
        &registry.stock_declarations(),
        STOCK_UNLOCKED,
    )
    .expect("the embedded stock declarations are well-formed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    /// The findings of `h`, read in place and merged whole: they must be the same.
    fn assert_same_findings_merged(h: Hierarchy, what: &str) {
        let in_place = h.check();
        let h = Hierarchy {
            merge_inherited: true,
            ..h
        };
        let merged = h.check();
        assert_eq!(in_place, merged, "{what}");
    }

    fn registry() -> Registry {
        let shared =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/iis-schema");
        let dirs: Vec<PathBuf> = shared.is_dir().then_some(shared).into_iter().collect();
        Registry::load(&dirs).expect("schema loads")
    }

    #[test]
    fn reading_layers_in_place_finds_what_merging_finds_in_the_scenarios() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
            .expect("scenarios")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        dirs.extend([root.join("lint/hierarchy"), root.join("example")]);
        for dir in dirs {
            let options = Options {
                apphost: Some(dir.join("applicationHost.config")),
                root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
                env: Vec::new(),
            };
            let h = Hierarchy::open(registry(), &options).expect("scenario opens");
            assert_same_findings_merged(h, &dir.display().to_string());
        }
    }

    /// A small deterministic generator (the test needs no seed from outside).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// One httpErrors or asp section with random values, locks and collection directives.
    fn random_section(rng: &mut Lcg) -> String {
        let locks = [
            "",
            " lockAttributes=\"defaultPath\"",
            " lockAttributes=\"*\"",
            " lockAllAttributesExcept=\"errorMode\"",
            " lockElements=\"error,clear\"",
            " lockAllElementsExcept=\"remove\"",
        ];
        let mut out = String::new();
        if rng.below(2) == 0 {
            let _ = write!(
                out,
                "<asp enableParentPaths=\"{}\"{}><session max=\"{}\" timeout=\"{}\"{} /></asp>",
                rng.pick(&["true", "false"]),
                rng.pick(&[
                    "",
                    " lockElements=\"session\"",
                    " lockAllElementsExcept=\"cache\""
                ]),
                rng.pick(&["10", "20", "4294967295"]),
                rng.pick(&["00:20:00", "00:30:00"]),
                rng.pick(&[
                    "",
                    " lockAttributes=\"max\"",
                    " lockAllAttributesExcept=\"timeout\""
                ]),
            );
        }
        let _ = write!(
            out,
            "<httpErrors errorMode=\"{}\" defaultPath=\"{}\"{}>",
            rng.pick(&["Custom", "Detailed", "DetailedLocalOnly"]),
            rng.pick(&["a.htm", "b.htm"]),
            rng.pick(&locks),
        );
        for _ in 0..rng.below(4) {
            let code = rng.pick(&["404", "500", "401"]);
            match rng.below(4) {
                0 => out.push_str("<clear />"),
                1 => {
                    let _ = write!(out, "<remove statusCode=\"{code}\" />");
                }
                _ => {
                    let _ = write!(
                        out,
                        "<error statusCode=\"{code}\" path=\"{}.htm\"{} />",
                        rng.pick(&["x", "y"]),
                        rng.pick(&["", " lockItem=\"true\"", " lockAttributes=\"path\""]),
                    );
                }
            }
        }
        out.push_str("</httpErrors>");
        out
    }

    #[test]
    fn reading_layers_in_place_finds_what_merging_finds_over_random_layers() {
        let mut rng = Lcg(0x1155_c0f1);
        let dir = tempfile::tempdir().expect("temporary folder");
        let site = dir.path().join("s");
        std::fs::create_dir_all(site.join("a")).expect("site folders");
        let options = Options {
            apphost: Some(dir.path().join("applicationHost.config")),
            root_maps: vec![("C:\\inetpub".to_string(), dir.path().to_path_buf())],
            env: Vec::new(),
        };
        let levels = ["", "S", "S/a", "S/a/b", "S/c"];
        for case in 0..300 {
            let mut text = String::from("<configuration><configSections><sectionGroup name=\"system.applicationHost\"><section name=\"sites\" /></sectionGroup><sectionGroup name=\"system.webServer\"><section name=\"asp\" overrideModeDefault=\"Allow\" /><section name=\"httpErrors\" overrideModeDefault=\"Allow\" /></sectionGroup></configSections><system.applicationHost><sites><site name=\"S\" id=\"1\"><application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"C:\\inetpub\\s\" /></application><application path=\"/a\"><virtualDirectory path=\"/\" physicalPath=\"C:\\inetpub\\s\\a\" /></application></site></sites></system.applicationHost>");
            for _ in 0..1 + rng.below(4) {
                let level = rng.pick(&levels);
                let inherit = rng.pick(&["", "", " inheritInChildApplications=\"false\""]);
                let _ = write!(
                    text,
                    "<location path=\"{level}\"{inherit}><system.webServer>{}</system.webServer></location>",
                    random_section(&mut rng)
                );
            }
            text.push_str("</configuration>");
            std::fs::write(dir.path().join("applicationHost.config"), &text).expect("written");
            let mut files = text;
            for folder in [site.clone(), site.join("a")] {
                let web_config = format!(
                    "<configuration><system.webServer>{}</system.webServer></configuration>",
                    random_section(&mut rng)
                );
                std::fs::write(folder.join("web.config"), &web_config).expect("written");
                files.push_str(&web_config);
            }
            let h = Hierarchy::open(registry(), &options).expect("hierarchy opens");
            assert_eq!(h.files().len(), 3, "the two web.config files are found");
            assert_same_findings_merged(h, &format!("case {case}: {files}"));
        }
    }

    #[test]
    fn stock_declarations_parse_with_every_section() {
        let stock = super::stock_apphost(&Registry::embedded());
        assert!(
            stock.declarations.len() > 50,
            "{}",
            stock.declarations.len()
        );
        assert!(stock
            .declarations
            .iter()
            .any(|d| d.name == "system.webServer/asp"));
    }
}
