//! Opening a hierarchy: applicationHost.config and the web.config files found through its
//! sites, or web.config files on their own under the stock declarations.

use super::caseless::CaselessIndex;
use super::{derive, sites, states, Hierarchy, Options};
use super::{Application, ConfigPath, EngineError, PathMapper, Site};
use crate::config::{ConfigFile, SectionCatalog};
use crate::diagnostic::Finding;
use crate::schema::Registry;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// The level name used for a web.config linted on its own, without an applicationHost.config.
pub const STANDALONE_SITE: &str = "Site";

impl Hierarchy {
    /// Opens the hierarchy of an applicationHost.config: `options.apphost`, else
    /// `$IISCONF_APPHOST`, else `./applicationHost.config`; web.config files are found
    /// through the sites' physical paths.
    pub fn open(registry: Registry, options: &Options) -> Result<Hierarchy, EngineError> {
        let file = read_config(&options.apphost_path())?;
        Ok(Hierarchy::from_apphost(registry, file, options))
    }

    /// Builds the hierarchy from a parsed applicationHost.config.
    pub fn from_apphost(registry: Registry, apphost: ConfigFile, options: &Options) -> Hierarchy {
        let mapper = PathMapper::new(&options.root_maps, &options.env);
        let mut notes = Vec::new();
        // With a root map, the sites say which web.config files to read, so they are read
        // first. Without one, no web.config is read: the sites are read while the sections
        // are indexed.
        let (sites, web_configs) = if mapper.has_roots() {
            let sites = sites::read_sites(&apphost);
            let web_configs = sites::find_web_configs(&apphost, &sites, &mapper, &mut notes);
            (Some(sites), web_configs)
        } else {
            (None, Vec::new())
        };
        // An applicationHost.config without <configSections> (a partial copy kept in a
        // repository, an overlay of a container build) is a fragment of one: it is read
        // under the stock IIS 10 declarations, which follow it at its level.
        let fragment = !has_config_sections(&apphost);
        if fragment {
            notes.push(fragment_note(&apphost));
        }
        let mut files = vec![apphost];
        let mut levels = vec![ConfigPath::server()];
        if fragment {
            files.push(stock_apphost(&registry));
            levels.push(ConfigPath::server());
        }
        // The other files of the config folder are read at the same level.
        if let Some(path) = &options.apphost {
            for file in super::companions::read_companions(path, &mut notes) {
                files.push(file);
                levels.push(ConfigPath::server());
            }
        }
        for (level, file) in web_configs {
            files.push(file);
            levels.push(ConfigPath::from_normal(level));
        }
        let mut h = match sites {
            Some(sites) => Hierarchy::build(registry, files, levels, true, Arc::new(sites), notes),
            None => {
                let mut h = Hierarchy::empty(registry, files, levels, true, Arc::default(), notes);
                h.derive_reading_sites();
                // The note that no web.config was looked for comes first, where looking
                // for them puts it.
                let mut first = Vec::new();
                if let Some(apphost) = h.apphost() {
                    sites::note_no_root_map(apphost, &h.sites, &mut first);
                }
                h.notes.splice(0..0, first);
                h
            }
        };
        h.mapper = mapper;
        h.with_config_sources()
    }

    /// The hierarchy a configuration file starts, by its kind: an applicationHost.config with
    /// the web.config files `options` maps ([`Hierarchy::from_apphost`]), or a web.config
    /// read on its own ([`Hierarchy::standalone`]).
    pub fn of_file(registry: Registry, file: ConfigFile, options: &Options) -> Hierarchy {
        match file.kind() {
            crate::config::FileKind::AppHost => Hierarchy::from_apphost(registry, file, options),
            crate::config::FileKind::WebConfig => Hierarchy::standalone(registry, file),
        }
    }

    /// A hierarchy for web.config files read on their own: each sits at the root of a
    /// site under a stock applicationHost.config (the stock section declarations).
    ///
    /// What the stock file derives (its sections, the catalog and declarations it starts)
    /// is derived once per registry and reused, unless the web.config declares a section
    /// that changes how the stock file reads (see [`StockBase::reads_stock_alike`]).
    pub fn standalone(registry: Registry, web_config: ConfigFile) -> Hierarchy {
        let site = Site {
            name: STANDALONE_SITE.to_string(),
            applications: vec![Application {
                path: "/".to_string(),
                virtual_directories: Vec::new(),
            }],
        };
        let levels = vec![
            ConfigPath::server(),
            ConfigPath::from_normal(STANDALONE_SITE.to_string()),
        ];
        let base = stock_base(&registry);
        if !base.reads_stock_alike(&web_config) {
            let stock = stock_apphost(&registry);
            return Hierarchy::build(
                registry,
                vec![stock, web_config],
                levels,
                false,
                Arc::new(vec![site]),
                Vec::new(),
            )
            .with_config_sources();
        }
        let mut h = Hierarchy::empty(
            registry,
            vec![base.stock.clone(), web_config],
            levels,
            false,
            Arc::new(vec![site]),
            Vec::new(),
        );
        h.derive_on_stock(&base.catalog, &base.declarations);
        h.with_config_sources()
    }

    pub(super) fn build(
        registry: Registry,
        files: Vec<ConfigFile>,
        levels: Vec<ConfigPath>,
        real_apphost: bool,
        sites: Arc<Vec<Site>>,
        notes: Vec<Finding>,
    ) -> Hierarchy {
        let all: Vec<(usize, derive::Rescan)> = (0..files.len())
            .map(|i| (i, derive::Rescan::Sections))
            .collect();
        let mut h = Hierarchy::empty(registry, files, levels, real_apphost, sites, notes);
        h.derive(&all, false);
        h
    }

    /// Derives everything, as building does, and reads the sites of applicationHost.config
    /// while the sections are indexed.
    fn derive_reading_sites(&mut self) {
        let all: Vec<(usize, derive::Rescan)> = (0..self.files.len())
            .map(|i| (i, derive::Rescan::Sections))
            .collect();
        self.derive_with(&all, false, true);
    }

    /// A hierarchy of `files` that has derived nothing from them yet.
    pub(super) fn empty(
        registry: Registry,
        files: Vec<ConfigFile>,
        levels: Vec<ConfigPath>,
        real_apphost: bool,
        sites: Arc<Vec<Site>>,
        notes: Vec<Finding>,
    ) -> Hierarchy {
        Hierarchy {
            registry,
            files,
            levels,
            location_levels: Vec::new(),
            real_apphost,
            declarations: Arc::default(),
            catalog: Arc::default(),
            sites,
            site_index: CaselessIndex::default(),
            layers: Arc::default(),
            not_inherited: HashSet::default(),
            notes,
            states: states::StateCache::default(),
            pending: derive::Pending::default(),
            mapper: PathMapper::default(),
            sources: Vec::new(),
            skipped_rules: Vec::new(),
        }
    }
}

/// What the stock applicationHost.config derives under one registry, the same for every
/// web.config read on its own: the file with its sections found, and the catalog and
/// declarations of the schema, the machine level and the stock file.
pub(super) struct StockBase {
    /// The registry it was derived under (kept, so that a dropped registry cannot be
    /// mistaken for a later one allocated at the same place).
    registry: Registry,
    /// The stock file, its sections found.
    pub(super) stock: ConfigFile,
    /// The schema's, the machine level's and the stock file's sections and groups.
    pub(super) catalog: Arc<SectionCatalog>,
    /// Where each section is declared in the stock file (file index 0).
    pub(super) declarations: Arc<HashMap<String, (usize, usize)>>,
}

impl StockBase {
    fn derive(registry: &Registry) -> StockBase {
        let mut stock = stock_apphost(registry);
        let mut catalog = schema_catalog(registry);
        let mut declarations = HashMap::default();
        for (di, d) in stock.declarations.iter().enumerate() {
            catalog.add_section(&d.name);
            declarations.entry(d.name.clone()).or_insert((0, di));
        }
        stock.scan_sections(&catalog);
        StockBase {
            registry: registry.clone(),
            stock,
            catalog: Arc::new(catalog),
            declarations: Arc::new(declarations),
        }
    }

    /// Whether the stock file reads the same with `web_config`'s declarations in the
    /// catalog: each is a known section already, or shares no section path with the
    /// sections of the stock file (it neither names one of their groups nor sits below
    /// one of them).
    pub(super) fn reads_stock_alike(&self, web_config: &ConfigFile) -> bool {
        web_config.declarations.iter().all(|d| {
            self.catalog.is_section(&d.name)
                || self
                    .stock
                    .sections
                    .iter()
                    .all(|s| !is_path_prefix(&d.name, &s.name) && !is_path_prefix(&s.name, &d.name))
        })
    }
}

/// Whether section path `prefix` is `path` or one of the groups above it.
fn is_path_prefix(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The [`StockBase`] of `registry`, derived once for a registry and its clones.
fn stock_base(registry: &Registry) -> Arc<StockBase> {
    static LAST: Mutex<Option<Arc<StockBase>>> = Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(base) = last.as_ref() {
        if base.registry.shares_sections_with(registry) {
            return base.clone();
        }
    }
    let base = Arc::new(StockBase::derive(registry));
    *last = Some(base.clone());
    base
}

/// The sections and groups the schema and the machine level define: where every
/// hierarchy's catalog starts, before the declarations of its files.
///
/// Built once for a registry and its clones (a folder of web.config files is linted one
/// hierarchy per file, all with clones of one registry) and copied for each hierarchy.
pub(super) fn schema_catalog(registry: &Registry) -> SectionCatalog {
    static LAST: Mutex<Option<(Registry, SectionCatalog)>> = Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((known, catalog)) = last.as_ref() {
        if known.shares_sections_with(registry) {
            return catalog.clone();
        }
    }
    let mut catalog = SectionCatalog::default();
    for name in registry.section_names() {
        catalog.add_section(name);
    }
    for s in super::machine::sections() {
        catalog.add_section(s);
    }
    // The registry is kept with its catalog: a registry that is dropped cannot be mistaken
    // for a later one allocated at the same place.
    *last = Some((registry.clone(), catalog.clone()));
    catalog
}

/// Whether the root `<configuration>` of a file has a `<configSections>` element (a file
/// whose root is another element is not an applicationHost.config to complete).
pub(super) fn has_config_sections(file: &ConfigFile) -> bool {
    let doc = &file.doc;
    match doc.root_element() {
        Some(root) if doc.name(root) == "configuration" => {
            doc.child_element(root, "configSections").is_some()
        }
        _ => true,
    }
}

/// The note saying an applicationHost.config without `<configSections>` was read under the
/// stock declarations.
pub(super) fn fragment_note(file: &ConfigFile) -> Finding {
    let doc = &file.doc;
    let (place, span) = match doc.root_element() {
        Some(root) => file.node_place(root),
        None => (file.file_start(), None),
    };
    Finding::new(
        crate::diagnostic::Rule::Fragment,
        place,
        "applicationHost.config has no <configSections>, so it was checked as a fragment under the stock IIS 10 section declarations".to_string(),
    )
    .with_span(span)
    .with_help("a complete applicationHost.config declares its sections; this one relies on the server's")
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

/// Reads and parses two versions of a configuration file (the two sides of a diff): NEW's
/// bytes are read while OLD is parsed, and NEW is parsed like OLD (see
/// [`iisconf_xml::Document::from_vec_like`]): where NEW changes only what one element holds,
/// only that is read again. Each result is what [`read_config`] gives for its file.
pub fn read_config_pair(
    old: &std::path::Path,
    new: &std::path::Path,
) -> (
    Result<ConfigFile, EngineError>,
    Result<ConfigFile, EngineError>,
) {
    use iisconf_xml::{pages, Decoded, Document};
    // NEW is read and decoded while OLD is read and parsed.
    let (old_config, new_text) =
        iisconf_xml::parallel::join(|| read_config(old), || Decoded::load(new));
    let name = new.display().to_string();
    let parsed = match new_text {
        Err(source) => {
            let error = EngineError::Read { path: name, source };
            return (old_config, Err(error));
        }
        Ok(Err(error)) => Err(error),
        Ok(Ok(text)) => pages::loading(text.text_len() as u64, || match &old_config {
            Ok(earlier) => Document::from_decoded_like(text, &earlier.doc),
            Err(_) => Document::from_decoded(text),
        }),
    };
    let new_config = match parsed {
        Ok(doc) => Ok(ConfigFile::from_document(&name, doc)),
        Err(error) => Err(EngineError::Parse { file: name, error }),
    };
    (old_config, new_config)
}

/// The `<location>` tag of a stock applicationHost.config that unlocks modules and handlers.
const STOCK_UNLOCKED: &str = "<location path=\"\" overrideMode=\"Allow\"><system.webServer><modules /><handlers /></system.webServer></location>";

/// The stock applicationHost.config declarations (with the registry's add-on modules') as
/// a configuration file.
///
/// The declarations are the same for every registry (they declare every add-on module, see
/// [`Registry::stock_declarations`]), so the file is read once per process and copied for
/// each hierarchy: a folder of web.config files linted one hierarchy per file does not
/// format and parse it again for each.
pub(super) fn stock_apphost(registry: &Registry) -> ConfigFile {
    static STOCK: OnceLock<ConfigFile> = OnceLock::new();
    STOCK.get_or_init(|| read_stock_apphost(registry)).clone()
}

/// Reads the stock declarations into a configuration file.
fn read_stock_apphost(registry: &Registry) -> ConfigFile {
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
    #[test]
    fn stock_declarations_parse_with_every_section() {
        let stock = super::stock_apphost(&crate::schema::Registry::embedded());
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
