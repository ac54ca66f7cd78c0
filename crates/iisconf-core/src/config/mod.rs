//! A view over one configuration file: its section declarations (`<configSections>`), its
//! `<location>` tags and the section instances it holds, each pointing at its node.

pub mod fragment;
mod places;

pub use places::PlaceError;

use crate::diagnostic::Place;
use iisconf_xml::{Document, NodeId, NodeKind, ParseError, Span};
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

/// Where a section may be set (`allowDefinition`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum AllowDefinition {
    /// machine.config only.
    MachineOnly,
    /// machine.config or the root web.config.
    MachineToWebRoot,
    /// The server level or an application's root web.config.
    MachineToApplication,
    /// applicationHost.config only.
    AppHostOnly,
    /// Anywhere (the default).
    Everywhere,
}

impl AllowDefinition {
    fn parse(text: &str) -> Option<AllowDefinition> {
        [
            ("MachineOnly", AllowDefinition::MachineOnly),
            ("MachineToWebRoot", AllowDefinition::MachineToWebRoot),
            (
                "MachineToApplication",
                AllowDefinition::MachineToApplication,
            ),
            ("AppHostOnly", AllowDefinition::AppHostOnly),
            ("Everywhere", AllowDefinition::Everywhere),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(text))
        .map(|(_, v)| v)
    }
}

/// Whether lower levels may set a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum OverrideMode {
    /// Lower levels may set it.
    Allow,
    /// Locked: lower levels may not set it.
    Deny,
    /// Take the mode of the parent level (location tags only).
    Inherit,
}

impl OverrideMode {
    fn parse(text: &str) -> Option<OverrideMode> {
        [
            ("Allow", OverrideMode::Allow),
            ("Deny", OverrideMode::Deny),
            ("Inherit", OverrideMode::Inherit),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(text))
        .map(|(_, v)| v)
    }
}

/// One `<section>` declaration.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// Full section path, e.g. `system.webServer/asp`.
    pub name: String,
    /// `allowDefinition` (default Everywhere).
    pub allow_definition: AllowDefinition,
    /// `overrideModeDefault` (default Allow).
    pub override_mode_default: OverrideMode,
    /// `allowLocation` (default true).
    pub allow_location: bool,
    /// The `<section>` element.
    pub node: NodeId,
}

/// A `<location>` tag, or (index 0 of [`ConfigFile::locations`]) the file's root level.
#[derive(Clone, Debug)]
pub struct LocationTag {
    /// The tag, or `None` for the file's root level.
    pub node: Option<NodeId>,
    /// The path relative to the file's level, normalised: no leading or trailing `/`,
    /// `""` for the file's own level (`path="."`, `path=""` or no path). Shared: at the
    /// server level it is also the config path the hierarchy keeps for the tag.
    pub path: Arc<str>,
    /// `overrideMode`, or the legacy `allowOverride` translated (true → Allow).
    pub override_mode: OverrideMode,
    /// Whether both `overrideMode` and `allowOverride` are present (illegal).
    pub conflicting_override: bool,
    /// `inheritInChildApplications` (default true).
    pub inherit_in_child_applications: bool,
}

/// A section as written in a file.
#[derive(Clone, Debug)]
pub struct SectionInstance {
    /// Full section path, e.g. `system.webServer/asp` (shared by the instances of a section).
    pub name: Arc<str>,
    /// The section's element.
    pub node: NodeId,
    /// Index into [`ConfigFile::locations`].
    pub location: usize,
}

/// Which names are sections and which are section groups, across the hierarchy and schema.
#[derive(Clone, Debug, Default)]
pub struct SectionCatalog {
    sections: HashSet<Arc<str>>,
    groups: HashSet<Box<str>>,
}

impl SectionCatalog {
    /// Registers a section name and every group above it.
    pub fn add_section(&mut self, name: &str) {
        let mut prefix = name;
        while let Some(i) = prefix.rfind('/') {
            prefix = &prefix[..i];
            if !self.groups.contains(prefix) {
                self.groups.insert(prefix.into());
            }
        }
        if !self.sections.contains(name) {
            self.sections.insert(name.into());
        }
    }

    /// Whether `name` is a known section.
    pub fn is_section(&self, name: &str) -> bool {
        self.sections.contains(name)
    }

    /// The shared name of a known section.
    fn section(&self, name: &str) -> Option<&Arc<str>> {
        self.sections.get(name)
    }

    /// Whether `name` is a known section group.
    pub fn is_group(&self, name: &str) -> bool {
        self.groups.contains(name)
    }
}

/// Whether the file is applicationHost.config or a web.config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum FileKind {
    /// applicationHost.config (holds system.applicationHost).
    AppHost,
    /// A web.config.
    WebConfig,
}

/// A configuration file read into a document, with its declarations, locations and sections.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    /// The name shown in messages (the path as the user gave it).
    pub name: std::sync::Arc<str>,
    /// The document.
    pub doc: Document,
    /// Section declarations of its `<configSections>`.
    pub declarations: Vec<Declaration>,
    /// The root level (index 0) and every `<location>` tag.
    pub locations: Vec<LocationTag>,
    /// Every section instance, in document order.
    pub sections: Vec<SectionInstance>,
    /// Whether `locations` still names every location tag of the document (none was added
    /// or removed through the file's places since they were read).
    tags_as_read: bool,
    /// Whether elements that may hold sections were removed, or a location tag changed,
    /// through the file's places since it was read.
    reshaped: bool,
    /// For a section's `configSource` file: the section its root element is.
    section_source: Option<Arc<str>>,
    /// For a section's `configSource` file: the location path of the element naming it.
    source_location: String,
}

/// How many items a list must hold before [`in_parallel`] shares it between threads.
const PARALLEL_FROM: usize = 8192;

/// `work` applied to consecutive chunks of `items` (shared between the threads of the pool
/// for long lists), the results concatenated in order.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    iisconf_xml::parallel::map_chunks(items, PARALLEL_FROM, work)
}

/// Whether `path` is already in the form [`normalize_path`] gives (trimmed, `/`-separated,
/// no empty or `.` segments).
pub fn is_normalized(path: &str) -> bool {
    path.trim().len() == path.len()
        && !path.contains('\\')
        && !path.starts_with('/')
        && !path.ends_with('/')
        && !path.contains("//")
        && path.split('/').all(|s| s != ".")
}

/// Normalises a location or config path: trims, uses `/`, drops leading/trailing slashes
/// and `.`.
pub fn normalize_path(path: &str) -> String {
    let path = path.trim();
    if is_normalized(path) {
        return path.to_string();
    }
    let path = path.replace('\\', "/");
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl ConfigFile {
    /// Reads a declarations file whose root is `<configSections>` (the form of the project's
    /// `schema/stock_sections.xml`) as a configuration file holding those declarations, with
    /// `extra` (more top-level elements, e.g. location tags) after them.
    pub fn from_declarations(
        name: &str,
        text: &str,
        extra: &str,
    ) -> Result<ConfigFile, ParseError> {
        // Everything after the XML declaration: comments may mention `<configSections>`.
        let body = text.split_once("?>").map_or(text, |(_, rest)| rest);
        let wrapped = format!("<configuration>\n{body}\n{extra}\n</configuration>\n");
        Ok(ConfigFile::from_document(
            name,
            Document::parse_str(&wrapped)?,
        ))
    }

    /// Parses a file; the error is the first well-formedness error.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<ConfigFile, ParseError> {
        let doc = Document::parse(bytes)?;
        Ok(ConfigFile::from_document(name, doc))
    }

    /// Wraps a parsed document, reading its declarations and locations. Call
    /// [`ConfigFile::scan_sections`] once the section catalog is known.
    pub fn from_document(name: &str, doc: Document) -> ConfigFile {
        let mut file = ConfigFile {
            name: name.into(),
            doc,
            declarations: Vec::new(),
            locations: Vec::new(),
            sections: Vec::new(),
            tags_as_read: true,
            reshaped: false,
            section_source: None,
            source_location: String::new(),
        };
        file.reread();
        file
    }

    /// Wraps the document of a section's `configSource` file: its root element is the
    /// section `section` (it holds no declarations and no location tags), for the location
    /// path `location` of the element that names it.
    pub fn from_section_source(
        name: &str,
        doc: Document,
        section: &str,
        location: &str,
    ) -> ConfigFile {
        let mut file = ConfigFile::from_document(name, doc);
        file.section_source = Some(section.into());
        file.source_location = normalize_path(location);
        file.reread();
        file
    }

    /// The file as it was read, before any edit of its document: the original text parsed
    /// again (a `configSource` file stays one). Declarations and locations are read; call
    /// [`ConfigFile::scan_sections`] as for a file just parsed.
    pub fn as_read(&self) -> Result<ConfigFile, ParseError> {
        let doc = Document::parse_str(self.doc.source())?;
        let mut file = ConfigFile::from_document(&self.name, doc);
        if self.section_source.is_some() {
            file.section_source = self.section_source.clone();
            file.source_location = self.source_location.clone();
            file.reread();
        }
        Ok(file)
    }

    /// For a section's `configSource` file, the section its root element is.
    pub fn section_source(&self) -> Option<&str> {
        self.section_source.as_deref()
    }

    /// Reads the declarations and location tags again from the document (after edits that
    /// add or remove elements); the section instances are found by
    /// [`ConfigFile::scan_sections`].
    pub fn reread(&mut self) {
        self.declarations.clear();
        self.sections.clear();
        self.locations = vec![LocationTag {
            node: None,
            path: Arc::from(self.source_location.as_str()),
            override_mode: OverrideMode::Inherit,
            conflicting_override: false,
            inherit_in_child_applications: true,
        }];
        if self.section_source.is_none() {
            self.read_declarations();
            self.read_locations();
        }
        self.tags_as_read = true;
        self.reshaped = false;
    }

    /// The `<configuration>` element (or whatever the root is).
    pub fn root(&self) -> Option<NodeId> {
        self.doc.root_element()
    }

    /// Whether this is an applicationHost.config (it holds `<system.applicationHost>` or
    /// declares that group).
    pub fn kind(&self) -> FileKind {
        let Some(root) = self.root() else {
            return FileKind::WebConfig;
        };
        let holds = self
            .doc
            .child_element(root, "system.applicationHost")
            .is_some();
        let declares = self
            .declarations
            .iter()
            .any(|d| d.name.starts_with("system.applicationHost/"));
        if holds || declares {
            FileKind::AppHost
        } else {
            FileKind::WebConfig
        }
    }

    fn read_declarations(&mut self) {
        let Some(root) = self.root() else { return };
        let Some(sections) = self.doc.child_element(root, "configSections") else {
            return;
        };
        let mut stack = vec![(sections, String::new())];
        let mut out = Vec::new();
        while let Some((node, prefix)) = stack.pop() {
            for child in self.doc.child_elements(node) {
                let Some(name) = self.doc.attribute_value(child, "name") else {
                    continue;
                };
                let full = if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                };
                match self.doc.name(child) {
                    "sectionGroup" => stack.push((child, full)),
                    "section" => {
                        let attr = |n: &str| self.doc.attribute_value(child, n);
                        out.push(Declaration {
                            name: full,
                            allow_definition: attr("allowDefinition")
                                .and_then(|v| AllowDefinition::parse(&v))
                                .unwrap_or(AllowDefinition::Everywhere),
                            override_mode_default: attr("overrideModeDefault")
                                .and_then(|v| OverrideMode::parse(&v))
                                .unwrap_or(OverrideMode::Allow),
                            allow_location: attr("allowLocation")
                                .is_none_or(|v| !v.eq_ignore_ascii_case("false")),
                            node: child,
                        });
                    }
                    _ => {}
                }
            }
        }
        out.sort_by_key(|d| d.node);
        self.declarations = out;
    }

    fn read_locations(&mut self) {
        let children = self.doc.root_elements();
        let is_tag = |c: &&NodeId| self.doc.name(**c) == "location";
        // Tens of thousands of tags: each chunk's are one part, sized exactly, and the parts
        // are moved into the list sized once (no copy of a list grown or concatenated).
        let parts: Vec<Vec<LocationTag>> = in_parallel(&children, |chunk| {
            let mut tags = Vec::with_capacity(chunk.iter().filter(is_tag).count());
            tags.extend(
                chunk
                    .iter()
                    .filter(is_tag)
                    .map(|node| self.read_location(*node)),
            );
            vec![tags]
        });
        self.locations
            .reserve_exact(parts.iter().map(Vec::len).sum());
        for mut part in parts {
            self.locations.append(&mut part);
        }
    }

    /// Reads the `<location>` tag at `node`.
    fn read_location(&self, node: NodeId) -> LocationTag {
        let mut path = None;
        let mut mode = None;
        let mut legacy = None;
        let mut inherit_in_child_applications = true;
        // One pass over the attributes: large files hold tens of thousands of tags.
        for a in self.doc.attributes(node) {
            match a.name {
                "path" => path = Some(Arc::from(normalize_path(&a.value()))),
                "overrideMode" => mode = OverrideMode::parse(&a.value()),
                "allowOverride" => {
                    legacy = Some(if a.value().eq_ignore_ascii_case("false") {
                        OverrideMode::Deny
                    } else {
                        OverrideMode::Allow
                    })
                }
                "inheritInChildApplications" => {
                    inherit_in_child_applications = !a.value().eq_ignore_ascii_case("false")
                }
                _ => {}
            }
        }
        LocationTag {
            node: Some(node),
            path: path.unwrap_or_else(|| Arc::from("")),
            override_mode: mode.or(legacy).unwrap_or(OverrideMode::Inherit),
            conflicting_override: mode.is_some() && legacy.is_some(),
            inherit_in_child_applications,
        }
    }

    /// Brings the location tags and section instances up to date after edits that only
    /// added elements (none removed, no location tag changed) since the document had
    /// `known_nodes` nodes: new location tags are read, and the containers (root level or
    /// location tag) that received new elements are scanned again.
    pub fn refresh_added(&mut self, known_nodes: usize, catalog: &SectionCatalog) {
        if self.section_source.is_some() {
            return;
        }
        let Some(root) = self.root() else { return };
        // Containers that received elements, by location index (0: the root level).
        let mut touched: Vec<usize> = Vec::new();
        let new: Vec<NodeId> = self.doc.nodes_since(known_nodes).collect();
        for node in new {
            if self.doc.kind(node) != NodeKind::Element {
                continue;
            }
            // The ancestor just below the root: a location tag, or a root-level group.
            let mut top = node;
            while let Some(parent) = self.doc.parent(top) {
                if parent == root {
                    break;
                }
                top = parent;
            }
            if self.doc.parent(top) != Some(root) {
                continue;
            }
            let index = if self.doc.name(top) == "location" {
                match self.locations.iter().position(|l| l.node == Some(top)) {
                    Some(i) => i,
                    None => {
                        let tag = self.read_location(top);
                        self.locations.push(tag);
                        self.locations.len() - 1
                    }
                }
            } else {
                0
            };
            if !touched.contains(&index) {
                touched.push(index);
            }
        }
        if touched.is_empty() {
            return;
        }
        let catalog = self.with_own_declarations(catalog);
        self.sections.retain(|s| !touched.contains(&s.location));
        let mut found = Vec::new();
        let mut path = String::new();
        for &index in &touched {
            self.scan_container(index, &catalog, &mut path, &mut found);
        }
        self.sections.extend(found);
        self.sections.sort_by_key(|s| s.node);
    }

    /// Finds the section instances of location tag `index` (0: the root level) again, after
    /// its content changed, using `catalog` as [`ConfigFile::scan_sections`] does; the
    /// other instances are kept.
    pub fn rescan_location(&mut self, index: usize, catalog: &SectionCatalog) {
        let catalog = self.with_own_declarations(catalog);
        let mut found = Vec::new();
        self.scan_container(index, &catalog, &mut String::new(), &mut found);
        self.sections.retain(|s| s.location != index);
        self.sections.extend(found);
        self.sections.sort_unstable_by_key(|s| s.node);
    }

    /// Finds the section instances at the root level and inside every location tag, using
    /// `catalog` (plus this file's own declarations) to tell sections from groups. An element
    /// that is neither is recorded as a section of that name (and reported unknown later).
    pub fn scan_sections(&mut self, catalog: &SectionCatalog) {
        if let Some(section) = &self.section_source {
            self.sections = self
                .root()
                .map(|node| SectionInstance {
                    name: section.clone(),
                    node,
                    location: 0,
                })
                .into_iter()
                .collect();
            return;
        }
        let catalog = self.with_own_declarations(catalog);
        if self.root().is_none() {
            return;
        }
        let indices: Vec<usize> = (0..self.locations.len()).collect();
        let mut found = in_parallel(&indices, |chunk| {
            let mut found = Vec::new();
            let mut path = String::new();
            for &index in chunk {
                self.scan_container(index, &catalog, &mut path, &mut found);
            }
            found
        });
        // Each element is found once: an unstable sort gives the same order without the
        // buffer of half the list a stable sort takes.
        found.sort_unstable_by_key(|s| s.node);
        self.sections = found;
    }

    /// `catalog` plus the sections this file declares itself.
    fn with_own_declarations<'c>(
        &self,
        catalog: &'c SectionCatalog,
    ) -> std::borrow::Cow<'c, SectionCatalog> {
        let mut catalog = std::borrow::Cow::Borrowed(catalog);
        for d in &self.declarations {
            if !catalog.is_section(&d.name) {
                catalog.to_mut().add_section(&d.name);
            }
        }
        catalog
    }

    /// Appends the section instances of location tag `index` (0: the root level).
    fn scan_container(
        &self,
        index: usize,
        catalog: &SectionCatalog,
        path: &mut String,
        found: &mut Vec<SectionInstance>,
    ) {
        let Some(loc) = self.locations.get(index) else {
            return;
        };
        let mut scan = |child: NodeId| {
            if self.doc.name(child) != "configSections" {
                path.clear();
                self.scan_element(child, path, catalog, index, found);
            }
        };
        match loc.node {
            Some(tag) => self.doc.child_elements(tag).for_each(scan),
            None => {
                // The root level: every child but the location tags (known already).
                let mut tags: Vec<NodeId> = self.locations.iter().filter_map(|l| l.node).collect();
                tags.sort_unstable();
                for &child in self.doc.root_elements().iter() {
                    if tags.binary_search(&child).is_err() {
                        scan(child);
                    }
                }
            }
        }
    }

    /// Appends the section instance at `node` (its parent's section path in `path`), or
    /// the instances inside it when it is a section group.
    fn scan_element(
        &self,
        node: NodeId,
        path: &mut String,
        catalog: &SectionCatalog,
        location: usize,
        found: &mut Vec<SectionInstance>,
    ) {
        let len = path.len();
        if len > 0 {
            path.push('/');
        }
        path.push_str(self.doc.name(node));
        let name = match catalog.section(path) {
            Some(name) => Some(name.clone()),
            None if catalog.is_group(path) => None,
            None => Some(Arc::from(path.as_str())),
        };
        match name {
            Some(name) => found.push(SectionInstance {
                name,
                node,
                location,
            }),
            None => {
                for child in self.doc.child_elements(node) {
                    self.scan_element(child, path, catalog, location, found);
                }
            }
        }
        path.truncate(len);
    }

    /// The place of a byte span of this file.
    pub fn place(&self, span: Span) -> Place {
        let start = self.doc.position(span.start);
        // A span within one line (the usual case) needs no second lookup.
        let end = match self.doc.source().get(span.start..span.end) {
            Some(text) if !text.contains(['\n', '\r']) => iisconf_xml::Position {
                line: start.line,
                column: start.column + text.chars().count() as u32,
            },
            _ => self.doc.position(span.end),
        };
        Place {
            file: self.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// The place of a node's name (elements) or token, falling back to the file start.
    pub fn node_place(&self, node: NodeId) -> (Place, Option<Span>) {
        let span = self.doc.name_span(node).or_else(|| self.doc.span(node));
        match span {
            Some(s) => (self.place(s), Some(s)),
            None => (self.file_start(), None),
        }
    }

    /// The place of an attribute (name through closing quote) of `node`.
    pub fn attribute_place(&self, node: NodeId, name: &str) -> (Place, Option<Span>) {
        match self.doc.attribute(node, name).and_then(|a| a.span()) {
            Some(s) => (self.place(s), Some(s)),
            None => self.node_place(node),
        }
    }

    /// The place of an attribute's value.
    pub fn value_place(&self, node: NodeId, name: &str) -> (Place, Option<Span>) {
        match self.doc.attribute(node, name).and_then(|a| a.value_span) {
            Some(s) => (self.place(s), Some(s)),
            None => self.attribute_place(node, name),
        }
    }

    /// Line 1, column 1 of this file.
    pub fn file_start(&self) -> Place {
        Place {
            file: self.name.clone(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declarations_locations_and_sections() {
        let text = r#"<configuration>
  <configSections>
    <sectionGroup name="system.webServer">
      <section name="asp" overrideModeDefault="Deny" />
      <sectionGroup name="security"><section name="access" allowDefinition="MachineToApplication" allowLocation="false"/></sectionGroup>
    </sectionGroup>
  </configSections>
  <system.webServer><asp /><security><access /></security><mystery /></system.webServer>
  <location path="/Default Web Site/" overrideMode="Allow" allowOverride="false" inheritInChildApplications="false">
    <system.webServer><asp /></system.webServer>
  </location>
  <location path="."><system.webServer><asp/></system.webServer></location>
</configuration>"#;
        let mut file = ConfigFile::parse("a.config", text.as_bytes()).unwrap();
        assert_eq!(file.declarations.len(), 2);
        assert_eq!(file.declarations[0].name, "system.webServer/asp");
        assert_eq!(
            file.declarations[0].override_mode_default,
            OverrideMode::Deny
        );
        assert_eq!(
            file.declarations[1].allow_definition,
            AllowDefinition::MachineToApplication
        );
        assert!(!file.declarations[1].allow_location);
        assert_eq!(file.locations.len(), 3);
        assert_eq!(&*file.locations[1].path, "Default Web Site");
        assert!(file.locations[1].conflicting_override);
        assert!(!file.locations[1].inherit_in_child_applications);
        assert_eq!(&*file.locations[2].path, "");
        let mut catalog = SectionCatalog::default();
        catalog.add_section("system.webServer/defaultDocument");
        file.scan_sections(&catalog);
        let names: Vec<(&str, usize)> = file
            .sections
            .iter()
            .map(|s| (&*s.name, s.location))
            .collect();
        assert_eq!(
            names,
            [
                ("system.webServer/asp", 0),
                ("system.webServer/security/access", 0),
                ("system.webServer/mystery", 0),
                ("system.webServer/asp", 1),
                ("system.webServer/asp", 2),
            ]
        );
        assert_eq!(file.kind(), FileKind::WebConfig);
    }

    #[test]
    fn a_section_source_file_is_its_one_section() {
        let doc = Document::parse_str("<appSettings><add key=\"a\" value=\"1\" /></appSettings>")
            .unwrap();
        let mut file =
            ConfigFile::from_section_source("s.config", doc, "appSettings", "/Site/app/");
        file.scan_sections(&SectionCatalog::default());
        assert_eq!(file.section_source(), Some("appSettings"));
        assert_eq!(file.sections.len(), 1);
        assert_eq!(file.sections[0].node, file.root().unwrap());
        assert_eq!(&*file.locations[0].path, "Site/app");
        assert!(file.find_section("", "appSettings").is_some());
        assert!(file.find_section("", "connectionStrings").is_none());
        assert!(file
            .ensure_section("", "connectionStrings", OverrideMode::Inherit)
            .is_err());
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(
            normalize_path(" /Default Web Site/app/ "),
            "Default Web Site/app"
        );
        assert_eq!(normalize_path("."), "");
        assert_eq!(normalize_path("a\\b"), "a/b");
    }
}
