//! IIS-format schema: the model, the loader and the registry of loaded sections.
//!
//! The registry starts from the project's own schema (embedded from `schema/`) and takes
//! folders given with `--schema-dir` (every `*.xml` in each, as IIS reads its schema folder).
//! Fragments of one section from several files are merged into one tree; a section defined
//! in a schema folder replaces the embedded definition of the same name. Real files' quirks
//! are warnings naming file:line, never a failed load.

mod load;
mod model;
mod resolve;

pub use load::SchemaStats;
pub use model::{
    AttributeSchema, CollectionSchema, ElementSchema, MethodSchema, Origin, SectionSchema,
};
pub use resolve::{trim_section_name, SectionNameError};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The project's own schema files, embedded in the binary.
pub const EMBEDDED_SCHEMA: &[(&str, &str)] = &[
    (
        "asp_schema.xml",
        include_str!("../../../../schema/asp_schema.xml"),
    ),
    (
        "sites_schema.xml",
        include_str!("../../../../schema/sites_schema.xml"),
    ),
];

/// Section declarations (`<configSections>` form) for the embedded schema's sections, as a
/// stock applicationHost.config declares them.
pub const EMBEDDED_DECLARATIONS: &str = include_str!("../../../../schema/sections.xml");

/// The full `<configSections>` of a stock IIS 10 applicationHost.config.
pub const STOCK_DECLARATIONS: &str = include_str!("../../../../schema/stock_sections.xml");

const EMBEDDED_DESCRIPTIONS: &str = include_str!("../../../../schema/descriptions.xml");

/// A problem in a schema file that does not stop loading.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SchemaWarning {
    /// The schema file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is odd and how it was read.
    pub message: String,
}

impl std::fmt::Display for SchemaWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A schema file that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file or folder cannot be read.
    #[error("{path}: cannot read schema: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not well-formed XML.
    #[error("{file}:{}: schema file is not well-formed XML: {}", error.position, error.message)]
    Parse {
        /// The file.
        file: String,
        /// The parse error.
        error: iisconf_xml::ParseError,
    },
    /// The root element is not `<configSchema>`.
    #[error(
        "{file}: not an IIS schema file: the root element is <{found}>, expected <configSchema>"
    )]
    NotASchema {
        /// The file.
        file: String,
        /// The root element found.
        found: String,
    },
}

/// One file the registry read.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SchemaFile {
    /// Its name (`embedded:asp_schema.xml` or a path).
    pub name: String,
    /// What it declares.
    pub stats: SchemaStats,
    /// Whether it is part of the project's embedded schema.
    pub embedded: bool,
}

/// The loaded schema: every section by name, with the files they came from.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// By name (hashed: the rules look a section up for every instance they check).
    sections: rustc_hash::FxHashMap<String, SectionSchema>,
    files: Vec<SchemaFile>,
    warnings: Vec<SchemaWarning>,
    descriptions: HashMap<String, String>,
}

impl Registry {
    /// The project's embedded schema alone.
    pub fn embedded() -> Registry {
        let mut registry = Registry::default();
        for (name, text) in EMBEDDED_SCHEMA {
            // The embedded files are part of the build and covered by tests.
            if let Ok(loaded) = load::load_file(&format!("embedded:{name}"), text.as_bytes()) {
                registry.add_loaded(&format!("embedded:{name}"), loaded, true);
            }
        }
        registry.descriptions = parse_descriptions(EMBEDDED_DESCRIPTIONS);
        registry
    }

    /// The embedded schema overlaid with every `*.xml` file of each folder in `dirs`.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, SchemaError> {
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
        Registry::with_files(&loaded)
    }

    /// The embedded schema overlaid with the given files (name, contents).
    pub fn with_files(files: &[(String, Vec<u8>)]) -> Result<Registry, SchemaError> {
        let mut overlay = Registry::default();
        for (name, bytes) in files {
            let loaded = load::load_file(name, bytes)?;
            overlay.add_loaded(name, loaded, false);
        }
        let mut registry = Registry::embedded();
        for (name, section) in overlay.sections {
            registry.sections.insert(name, section);
        }
        registry.files.extend(overlay.files);
        registry.warnings.extend(overlay.warnings);
        Ok(registry)
    }

    fn add_loaded(&mut self, name: &str, loaded: load::LoadedFile, embedded: bool) {
        self.files.push(SchemaFile {
            name: name.to_string(),
            stats: loaded.stats,
            embedded,
        });
        self.warnings.extend(loaded.warnings);
        for section in loaded.sections {
            match self.sections.get_mut(&section.name) {
                Some(existing) => {
                    let mut warnings = Vec::new();
                    merge_element(&mut existing.root, section.root, &mut warnings);
                    existing.sources.extend(section.sources);
                    self.warnings.extend(warnings);
                }
                None => {
                    self.sections.insert(section.name.clone(), section);
                }
            }
        }
    }

    /// The section called `name` (e.g. `system.webServer/asp`).
    pub fn section(&self, name: &str) -> Option<&SectionSchema> {
        self.sections.get(name)
    }

    /// Every section, in name order.
    pub fn sections(&self) -> impl Iterator<Item = &SectionSchema> {
        let mut all: Vec<&SectionSchema> = self.sections.values().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
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
        self.descriptions.get(path).map(|s| s.as_str())
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
