//! IIS-format schema: the model, the loader and the registry of loaded sections.
//!
//! The registry starts from the project's own schema (embedded from `schema/`: all of IIS 10
//! and the common add-on modules, or the add-ons chosen) and takes folders given with
//! `--schema-dir` (every `*.xml` in each, as IIS reads its schema folder). Fragments of one
//! section from several files are merged into one tree; a folder's base definition of a
//! section replaces the embedded one, a folder's extension fragment merges with it. Real
//! files' quirks are warnings naming file:line, never a failed load.

mod archive;
mod embedded;
mod error;
mod fact_files;
mod load;
mod model;
mod overlay;
mod refine;
mod resolve;
mod suggest;

pub use embedded::{
    addon_config_sections, stock_config_sections, ADDON_DECLARATIONS, STOCK_DECLARATIONS,
};
pub use error::{SchemaError, SchemaWarning};
pub use fact_files::{addon_module, module_of, ADDON_MODULES, EMBEDDED_SCHEMA, INBOX_MODULES};
pub use load::SchemaStats;
pub use model::{
    AttributeSchema, CollectionSchema, ElementSchema, MethodSchema, Origin, SectionSchema,
};
pub use resolve::{trim_section_name, SectionNameError, PREFERRED_GROUPS};
pub use suggest::{SectionHint, GROUP_LISTED};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One file the registry read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SchemaFile {
    /// Its name (`embedded:iis/core.webServer.xml` or a path).
    pub name: String,
    /// What it declares.
    pub stats: SchemaStats,
    /// Whether it is part of the project's embedded schema.
    pub embedded: bool,
}

/// The loaded schema: every section by name, with the files they came from.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// By name (hashed: the rules look a section up for every instance they check); shared
    /// between clones, so that a hierarchy per file (a folder of web.config files) costs no
    /// copy of the schema.
    sections: Arc<rustc_hash::FxHashMap<String, Section>>,
    files: Vec<SchemaFile>,
    warnings: Vec<SchemaWarning>,
    /// Parsed on first use: only the documentation reads them.
    descriptions: OnceLock<HashMap<String, String>>,
    addons: Vec<String>,
}

/// A section of the registry. A section of the embedded schema alone is decoded from the
/// compiled fragments and merged when first asked for: a lint of one file reads a few of the
/// 150 sections.
#[derive(Clone, Default)]
struct Section {
    schema: OnceLock<SectionSchema>,
    /// The compiled fragments of the embedded files, in load order, that `schema` is made of
    /// on first use (none when it was built at once).
    fragments: Vec<&'static [u8]>,
}

impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.schema.get() {
            Some(schema) => schema.fmt(f),
            None => write!(f, "({} compiled fragments)", self.fragments.len()),
        }
    }
}

impl Section {
    /// A section built at once.
    fn ready(schema: SectionSchema) -> Section {
        Section {
            schema: OnceLock::from(schema),
            fragments: Vec::new(),
        }
    }

    /// The section, which is called `name`.
    fn get(&self, name: &str) -> &SectionSchema {
        self.schema
            .get_or_init(|| merge_compiled(name, &self.fragments))
    }
}

impl Registry {
    /// The project's embedded schema alone: IIS 10 and every add-on module it knows.
    pub fn embedded() -> Registry {
        Registry::build(&all_addons(), Vec::new())
    }

    /// The embedded schema of IIS 10 with only the add-on modules named in `modules`
    /// (names of [`ADDON_MODULES`], any letter case).
    pub fn embedded_with_modules(modules: &[String]) -> Result<Registry, SchemaError> {
        Ok(Registry::build(&addon_names(modules)?, Vec::new()))
    }

    /// The embedded schema overlaid with every `*.xml` file of each folder in `dirs` (a
    /// server's schema folder, `--schema-dir` in the CLI). The embedded schema alone is
    /// [`Registry::embedded`], the one way to load it.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, SchemaError> {
        Registry::load_with_modules(dirs, None)
    }

    /// Like [`Registry::load`], with only the add-on `modules` embedded (all of them when
    /// `None`).
    pub fn load_with_modules(
        dirs: &[PathBuf],
        modules: Option<&[String]>,
    ) -> Result<Registry, SchemaError> {
        let mut files = Vec::new();
        for dir in dirs {
            files.extend(schema_files(dir)?);
        }
        let mut loaded = Vec::new();
        for path in files {
            let bytes = std::fs::read(&path).map_err(|source| SchemaError::Read {
                path: path.display().to_string(),
                source,
            })?;
            loaded.push((path.display().to_string(), bytes));
        }
        let addons = match modules {
            Some(m) => addon_names(m)?,
            None => all_addons(),
        };
        Registry::overlaid(&addons, &loaded)
    }

    /// The embedded schema overlaid with the given files (name, contents).
    pub fn with_files(files: &[(String, Vec<u8>)]) -> Result<Registry, SchemaError> {
        Registry::overlaid(&all_addons(), files)
    }

    fn overlaid(addons: &[String], files: &[(String, Vec<u8>)]) -> Result<Registry, SchemaError> {
        let mut overlay = Vec::new();
        for (name, bytes) in files {
            overlay.push((name.clone(), load::load_file(name, bytes)?));
        }
        Ok(Registry::build(addons, overlay))
    }

    /// The embedded files of the in-box modules and `addons`, then the `overlay` files: a
    /// folder fragment replaces the embedded fragments it redefines (see [`overlay`]). The
    /// embedded files come from the archive build.rs compiled them into; without an overlay
    /// each section is decoded when first asked for.
    fn build(addons: &[String], overlay: Vec<(String, load::LoadedFile)>) -> Registry {
        // The archive is written by the build from the same files, and a test decodes every
        // part of it.
        let Ok(archive) = archive::Archive::open(embedded::COMPILED_FACTS) else {
            return Registry::assemble(addons, Vec::new(), overlay);
        };
        if !overlay.is_empty() {
            // Which embedded fragments a folder replaces depends on what they declare.
            let embedded = selected_files(addons)
                .filter_map(|(name, _)| {
                    let loaded = archive.file(name)?.decode().ok()?;
                    Some((fact_files::embedded_file_name(name), loaded))
                })
                .collect();
            return Registry::assemble(addons, embedded, overlay);
        }
        let mut registry = Registry {
            addons: addons.to_vec(),
            ..Registry::default()
        };
        let mut sections = rustc_hash::FxHashMap::default();
        for (name, _) in selected_files(addons) {
            let Some(file) = archive.file(name) else {
                continue;
            };
            registry.files.push(SchemaFile {
                name: fact_files::embedded_file_name(name),
                stats: file.stats,
                embedded: true,
            });
            for (section, bytes) in &file.sections {
                let entry: &mut Section = match sections.get_mut(*section) {
                    Some(entry) => entry,
                    None => sections.entry(section.to_string()).or_default(),
                };
                entry.fragments.push(*bytes);
            }
        }
        registry.sections = Arc::new(sections);
        registry
    }

    /// The registry of the embedded files as read (`embedded`, in [`EMBEDDED_SCHEMA`] order)
    /// and the `overlay` files, every section built at once.
    fn assemble(
        addons: &[String],
        embedded: Vec<(String, load::LoadedFile)>,
        overlay: Vec<(String, load::LoadedFile)>,
    ) -> Registry {
        let dropped = overlay::replaced_fragments(&embedded, &overlay);
        let mut registry = Registry {
            addons: addons.to_vec(),
            ..Registry::default()
        };
        let mut sections = rustc_hash::FxHashMap::default();
        for (fi, (name, mut loaded)) in embedded.into_iter().enumerate() {
            if !dropped.is_empty() {
                loaded
                    .sections
                    .retain(|s| !dropped.contains(&(fi, s.name.clone())));
            }
            registry.add_loaded(&mut sections, &name, loaded, true);
        }
        // The fact files keep the real files' quirks so that they load as the real folder
        // does; tests compare both. Known quirks of the build are no news to the user.
        registry.warnings.clear();
        for (name, loaded) in overlay {
            registry.add_loaded(&mut sections, &name, loaded, false);
        }
        registry.sections = Arc::new(
            sections
                .into_iter()
                .map(|(name, mut section)| {
                    refine::apply(&mut section);
                    (name, Section::ready(section))
                })
                .collect(),
        );
        registry
    }

    /// The add-on modules whose embedded facts are loaded.
    pub fn addon_modules(&self) -> &[String] {
        &self.addons
    }

    /// The `<configSections>` a web.config read on its own sits under: a stock IIS 10
    /// applicationHost.config with the declarations of every add-on module. A section of a
    /// module whose facts are not loaded is then declared without a schema (IIS1002), as on a
    /// server without that module.
    pub fn stock_declarations(&self) -> String {
        stock_config_sections(&all_addons())
    }

    fn add_loaded(
        &mut self,
        sections: &mut rustc_hash::FxHashMap<String, SectionSchema>,
        name: &str,
        loaded: load::LoadedFile,
        embedded: bool,
    ) {
        self.files.push(SchemaFile {
            name: name.to_string(),
            stats: loaded.stats,
            embedded,
        });
        self.warnings.extend(loaded.warnings);
        for section in loaded.sections {
            match sections.get_mut(&section.name) {
                Some(existing) => merge_section(existing, section, &mut self.warnings),
                None => {
                    sections.insert(section.name.clone(), section);
                }
            }
        }
    }

    /// The section called `name` (e.g. `system.webServer/asp`).
    pub fn section(&self, name: &str) -> Option<&SectionSchema> {
        self.sections.get(name).map(|s| s.get(name))
    }

    /// Whether `other` is a clone of this registry (they share their sections), so that what
    /// is derived from one holds for the other.
    pub fn shares_sections_with(&self, other: &Registry) -> bool {
        Arc::ptr_eq(&self.sections, &other.sections)
    }

    /// Every section, in name order.
    pub fn sections(&self) -> impl Iterator<Item = &SectionSchema> {
        let mut all: Vec<&SectionSchema> = self
            .sections
            .iter()
            .map(|(name, section)| section.get(name))
            .collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all.into_iter()
    }

    /// Every section's name, in name order: unlike [`Registry::sections`], it decodes no
    /// section of the embedded schema.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        let mut all: Vec<&str> = self.sections.keys().map(String::as_str).collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// Every file read, in load order.
    pub fn files(&self) -> &[SchemaFile] {
        &self.files
    }

    /// Warnings from loading.
    pub fn warnings(&self) -> &[SchemaWarning] {
        &self.warnings
    }

    /// The human description of a schema path: `SECTION[/element…][@attribute|#method]`.
    pub fn description(&self, path: &str) -> Option<&str> {
        self.descriptions
            .get_or_init(|| {
                let mut all = HashMap::new();
                for text in embedded::DESCRIPTIONS {
                    all.extend(parse_descriptions(text));
                }
                all
            })
            .get(path)
            .map(|s| s.as_str())
    }

    /// Resolves `SECTION[/ELEMENT…]`: the longest prefix that names a section, then element
    /// or collection-entry names below it.
    pub fn resolve(&self, path: &str) -> Option<(&SectionSchema, &ElementSchema, Vec<String>)> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        for split in (1..=parts.len()).rev() {
            let name = parts[..split].join("/");
            if let Some(section) = self.section(&name) {
                let rest = &parts[split..];
                let element = section.root.descend(rest)?;
                return Some((
                    section,
                    element,
                    rest.iter().map(|s| s.to_string()).collect(),
                ));
            }
        }
        None
    }
}

/// The embedded files of the in-box modules and `addons`, in [`EMBEDDED_SCHEMA`] order.
fn selected_files(
    addons: &[String],
) -> impl Iterator<Item = &'static (&'static str, &'static str)> + '_ {
    EMBEDDED_SCHEMA.iter().filter(|(name, _)| {
        let module = module_of(name);
        INBOX_MODULES.contains(&module) || addons.iter().any(|a| a == module)
    })
}

fn all_addons() -> Vec<String> {
    ADDON_MODULES.iter().map(|m| m.to_string()).collect()
}

/// The modules as [`ADDON_MODULES`] spells them, or the first unknown name.
fn addon_names(modules: &[String]) -> Result<Vec<String>, SchemaError> {
    modules
        .iter()
        .map(|m| {
            addon_module(m)
                .map(str::to_string)
                .ok_or_else(|| SchemaError::UnknownModule { name: m.clone() })
        })
        .collect()
}

fn schema_files(dir: &Path) -> Result<Vec<PathBuf>, SchemaError> {
    let read_err = |source| SchemaError::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            && path.is_file()
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A section of the embedded schema alone: its compiled fragments decoded and merged in load
/// order, as [`Registry::assemble`] merges them (the warnings of merging, which it drops for
/// the embedded files, are not kept).
fn merge_compiled(name: &str, fragments: &[&[u8]]) -> SectionSchema {
    let mut merged: Option<SectionSchema> = None;
    // The archive is written by the build from the same files, and a test decodes every
    // fragment of it.
    for fragment in fragments
        .iter()
        .filter_map(|b| archive::decode_section(b).ok())
    {
        match &mut merged {
            Some(existing) => merge_section(existing, fragment, &mut Vec::new()),
            None => merged = Some(fragment),
        }
    }
    let mut section = merged.unwrap_or_else(|| SectionSchema {
        name: name.to_string(),
        root: ElementSchema::new(
            name.rsplit('/').next().unwrap_or(name),
            Origin {
                file: String::new(),
                line: 0,
            },
        ),
        sources: Vec::new(),
    });
    refine::apply(&mut section);
    section
}

/// Merges a later fragment of a section into `into`.
fn merge_section(into: &mut SectionSchema, from: SectionSchema, warnings: &mut Vec<SchemaWarning>) {
    merge_element(&mut into.root, from.root, warnings);
    into.sources.extend(from.sources);
}

/// Merges a fragment of a section into the definition read so far: new attributes, elements
/// (recursively), collections (matched by add directive) and methods are added.
fn merge_element(into: &mut ElementSchema, from: ElementSchema, warnings: &mut Vec<SchemaWarning>) {
    into.allow_unrecognized_attributes |= from.allow_unrecognized_attributes;
    into.is_collection_default |= from.is_collection_default;
    if into.extension.is_none() {
        into.extension = from.extension;
    }
    for a in from.attributes {
        match into.attribute(&a.name) {
            Some(existing) => warnings.push(SchemaWarning {
                file: a.origin.file.clone(),
                line: a.origin.line,
                column: 0,
                message: format!(
                    "attribute `{}` of <{}> is already declared at {}; the first declaration is kept",
                    a.name, into.name, existing.origin
                ),
            }),
            None => into.attributes.push(a),
        }
    }
    for e in from.elements {
        match into.elements.iter_mut().find(|x| x.name == e.name) {
            Some(existing) => merge_element(existing, e, warnings),
            None => into.elements.push(e),
        }
    }
    for c in from.collections {
        let found = into
            .collections
            .iter_mut()
            .find(|x| x.add_elements.iter().any(|n| c.add_elements.contains(n)));
        match found {
            Some(existing) => {
                if existing.remove_element.is_none() {
                    existing.remove_element = c.remove_element;
                }
                if existing.clear_element.is_none() {
                    existing.clear_element = c.clear_element;
                }
                if existing.default_element.is_none() {
                    existing.default_element = c.default_element;
                }
                existing.merge_append &= c.merge_append;
                existing.allow_duplicates |= c.allow_duplicates;
                merge_element(&mut existing.entry, c.entry, warnings);
            }
            None => into.collections.push(c),
        }
    }
    for m in from.methods {
        if !into.methods.iter().any(|x| x.name == m.name) {
            into.methods.push(m);
        }
    }
}

fn parse_descriptions(text: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Ok(doc) = iisconf_xml::Document::parse_str(text) else {
        return map;
    };
    let Some(root) = doc.root_element() else {
        return map;
    };
    for item in doc.child_elements(root) {
        if let Some(path) = doc.attribute_value(item, "path") {
            let text: String = doc.children(item).map(|c| doc.text(c)).collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            map.insert(path.into_owned(), text);
        }
    }
    map
}

#[cfg(test)]
mod tests;
