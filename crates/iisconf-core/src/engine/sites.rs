//! Sites, applications and virtual directories of applicationHost.config, and the
//! web.config files found through their physical paths.

use super::effective::{EffectiveElement, Provenance};
use super::paths::{self, Mapped, PathMapper};
use crate::config::ConfigFile;
use crate::diagnostic::{Finding, Rule, Severity};
use crate::schema::ElementSchema;
use iisconf_xml::NodeId;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A `<site>`.
#[derive(Clone, Debug)]
pub struct Site {
    /// The site name (a config path's first segment).
    pub name: String,
    /// Its applications, the root application (`/`) first when present.
    pub applications: Vec<Application>,
}

/// An `<application>` of a site.
#[derive(Clone, Debug)]
pub struct Application {
    /// Its path (`/`, `/shop`).
    pub path: String,
    /// Its virtual directories.
    pub virtual_directories: Vec<VirtualDirectory>,
}

/// A `<virtualDirectory>` of an application.
#[derive(Clone, Debug)]
pub struct VirtualDirectory {
    /// `allowSubDirConfig` (default true): whether web.config files below it are read.
    pub allow_sub_dir_config: bool,
    /// The element in applicationHost.config.
    pub node: NodeId,
}

impl VirtualDirectory {
    /// Its path within the application (`/`, `/images`), read from applicationHost.config.
    pub fn path<'a>(&self, apphost: &'a ConfigFile) -> std::borrow::Cow<'a, str> {
        apphost
            .doc
            .attribute_value(self.node, "path")
            .unwrap_or_default()
    }

    /// The physical path as written in applicationHost.config (variables unexpanded); read
    /// from the file when asked, so tens of thousands of sites cost no copies.
    pub fn physical_path<'a>(&self, apphost: &'a ConfigFile) -> std::borrow::Cow<'a, str> {
        apphost
            .doc
            .attribute_value(self.node, "physicalPath")
            .unwrap_or_default()
    }
}

/// The `<sites>` element of applicationHost.config that [`read_sites`] reads: the first in
/// the root's first `<system.applicationHost>`.
pub(super) fn sites_element(apphost: &ConfigFile) -> Option<NodeId> {
    let doc = &apphost.doc;
    doc.child_element(apphost.root()?, "system.applicationHost")
        .and_then(|g| doc.child_element(g, "sites"))
}

/// Reads `system.applicationHost/sites` at the root of applicationHost.config.
pub fn read_sites(apphost: &ConfigFile) -> Vec<Site> {
    let doc = &apphost.doc;
    let Some(sites) = sites_element(apphost) else {
        return Vec::new();
    };
    // Tens of thousands of sites are read on all cores.
    let site_nodes: Vec<NodeId> = doc
        .child_elements(sites)
        .filter(|s| doc.name(*s) == "site")
        .collect();
    let server_default = sub_dir_config_default(doc, sites).unwrap_or(true);
    crate::config::in_parallel(&site_nodes, |chunk| {
        let mut scratch = (Children::default(), Children::default());
        chunk
            .iter()
            .filter_map(|s| read_site(doc, *s, server_default, &mut scratch))
            .collect()
    })
}

/// The children of a site or an application that `read_site` uses, found in one walk of
/// its child list (siblings lie apart in the document's nodes, so each walk is costly on
/// tens of thousands of sites); kept from site to site so its list is not allocated again.
#[derive(Default)]
struct Children {
    /// `<application>` children of a site, or `<virtualDirectory>` children of an
    /// application.
    members: Vec<NodeId>,
    /// `allowSubDirConfig` of the first `<virtualDirectoryDefaults>` child, if set.
    sub_dir_config: Option<bool>,
}

impl Children {
    /// Walks the children of `parent` once, keeping those called `member`.
    fn read(&mut self, doc: &iisconf_xml::Document, parent: NodeId, member: &str) {
        self.members.clear();
        let mut defaults = None;
        for child in doc.child_elements(parent) {
            let name = doc.name(child);
            if name == member {
                self.members.push(child);
            } else if defaults.is_none() && name == "virtualDirectoryDefaults" {
                defaults = Some(child);
            }
        }
        self.sub_dir_config = defaults.and_then(|d| bool_attribute(doc, d, "allowSubDirConfig"));
    }
}

/// One `<site>` element (`None` without a name). `allowSubDirConfig` comes from the virtual
/// directory, else the nearest `virtualDirectoryDefaults` (the application's, the site's,
/// then the server's directly under `<sites>`, whose value is `server_default`).
fn read_site(
    doc: &iisconf_xml::Document,
    site: NodeId,
    server_default: bool,
    (site_children, app_children): &mut (Children, Children),
) -> Option<Site> {
    let name = doc.attribute_value(site, "name")?;
    site_children.read(doc, site, "application");
    let site_default = site_children.sub_dir_config.unwrap_or(server_default);
    // Tens of thousands of sites keep these lists: each is sized exactly, not grown.
    let mut applications = Vec::with_capacity(site_children.members.len());
    for &app in &site_children.members {
        let path = doc
            .attribute_value(app, "path")
            .unwrap_or_default()
            .into_owned();
        app_children.read(doc, app, "virtualDirectory");
        let app_default = app_children.sub_dir_config.unwrap_or(site_default);
        let virtual_directories = app_children
            .members
            .iter()
            .map(|&v| VirtualDirectory {
                allow_sub_dir_config: bool_attribute(doc, v, "allowSubDirConfig")
                    .unwrap_or(app_default),
                node: v,
            })
            .collect();
        applications.push(Application {
            path,
            virtual_directories,
        });
    }
    applications.sort_by_key(|a| a.path != "/");
    Some(Site {
        name: name.into_owned(),
        applications,
    })
}

/// The `allowSubDirConfig` of the `<virtualDirectoryDefaults>` child of `parent`, if set.
fn sub_dir_config_default(doc: &iisconf_xml::Document, parent: NodeId) -> Option<bool> {
    let defaults = doc.child_element(parent, "virtualDirectoryDefaults")?;
    bool_attribute(doc, defaults, "allowSubDirConfig")
}

/// A bool attribute as IIS reads it (case-insensitive `true`/`false`); `None` when unset or
/// not a bool.
fn bool_attribute(doc: &iisconf_xml::Document, node: NodeId, name: &str) -> Option<bool> {
    let value = doc.attribute_value(node, name)?;
    let value = value.trim();
    if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else {
        None
    }
}

/// How deep below a virtual directory's folder web.config files are looked for.
const MAX_SUBDIR_DEPTH: usize = 8;

/// Finds the web.config files of every site, application, virtual directory and subfolder,
/// returning (config path, file) in hierarchy order (parents first). Physical paths that
/// map nowhere, escape their root, or files that cannot be read become findings in `notes`.
pub fn find_web_configs(
    apphost: &ConfigFile,
    sites: &[Site],
    mapper: &PathMapper,
    notes: &mut Vec<Finding>,
) -> Vec<(String, ConfigFile)> {
    if !mapper.has_roots() {
        note_no_root_map(apphost, sites, notes);
        return Vec::new();
    }
    let mut roots: Vec<(String, PathBuf, bool)> = Vec::new();
    // The config paths of every virtual directory: a folder found below another one at
    // such a path is hidden by the virtual directory.
    let mut virtual_levels: HashSet<String> = HashSet::new();
    let mut unmapped_seen = HashSet::new();
    for site in sites {
        for app in &site.applications {
            for vdir in &app.virtual_directories {
                let url = paths::join(
                    &crate::config::normalize_path(&app.path),
                    &crate::config::normalize_path(&vdir.path(apphost)),
                );
                let level = paths::join(&site.name, &url);
                virtual_levels.insert(level.to_ascii_lowercase());
                match mapper.map(&vdir.physical_path(apphost)) {
                    Mapped::Local(dir) => roots.push((level, dir, vdir.allow_sub_dir_config)),
                    Mapped::Unmapped(expanded) => {
                        if unmapped_seen.insert(expanded.to_lowercase()) {
                            let (place, span) = apphost.value_place(vdir.node, "physicalPath");
                            notes.push(
                                Finding::new(
                                    Rule::UnmappedPhysicalPath,
                                    place,
                                    format!("physical path \"{expanded}\" maps to no local folder; web.config files below it are not checked"),
                                )
                                .with_span(span)
                                .with_help("map it with --root-map 'PREFIX=LOCAL_DIR', e.g. --root-map 'C:\\inetpub=./inetpub'"),
                            );
                        }
                    }
                    Mapped::Escapes(expanded) => {
                        let (place, span) = apphost.value_place(vdir.node, "physicalPath");
                        let mut f = Finding::new(
                            Rule::UnmappedPhysicalPath,
                            place,
                            format!("physical path \"{expanded}\" leaves its mapped root; refused"),
                        )
                        .with_span(span)
                        .with_help("use a physical path without `..` segments");
                        f.severity = Severity::Error;
                        notes.push(f);
                    }
                }
            }
        }
    }
    let walk = Walk {
        explicit: roots.iter().map(|(_, d, _)| d.clone()).collect(),
        virtual_levels,
    };
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    // A folder mapped at two config paths (two sites, or an application on its parent's
    // folder) has its web.config read at each of them, as IIS reads it.
    let mut seen = HashSet::new();
    for (level, dir, sub_dirs) in &roots {
        if let Some(file) = web_config_in(dir) {
            if seen.insert((level.to_ascii_lowercase(), file.clone())) {
                found.push((level.clone(), file));
            }
        }
        if *sub_dirs {
            walk.subdirs(dir, level, &mut seen, &mut found, 0);
        }
    }
    found.sort_by(|a, b| {
        let depth = |s: &str| s.split('/').count();
        depth(&a.0).cmp(&depth(&b.0)).then_with(|| a.0.cmp(&b.0))
    });
    let mut out = Vec::new();
    for (level, path) in found {
        match std::fs::read(&path) {
            Ok(bytes) => match ConfigFile::parse(&path.display().to_string(), &bytes) {
                Ok(file) => out.push((level, file)),
                Err(e) => notes.push(Finding::not_well_formed(&path.display().to_string(), &e)),
            },
            Err(e) => {
                let file = path.display().to_string();
                notes.push(Finding::new(
                    Rule::NotWellFormed,
                    crate::diagnostic::Place {
                        file: file.into(),
                        line: 1,
                        column: 1,
                        end_line: 1,
                        end_column: 1,
                    },
                    format!("cannot read the file: {e}"),
                ));
            }
        }
    }
    out
}

fn web_config_in(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.eq_ignore_ascii_case("web.config"))
        })
}

/// What the walk below a virtual directory's folder skips.
struct Walk {
    /// The folders of virtual directories: each is read at its own config path.
    explicit: HashSet<PathBuf>,
    /// The config paths of virtual directories (ASCII lowercase): a subfolder at such a
    /// path is hidden, since IIS maps the path to the virtual directory's folder.
    virtual_levels: HashSet<String>,
}

impl Walk {
    /// Finds the web.config files in the subfolders of `dir` (at config path `level`).
    fn subdirs(
        &self,
        dir: &Path,
        level: &str,
        seen: &mut HashSet<(String, PathBuf)>,
        found: &mut Vec<(String, PathBuf)>,
        depth: usize,
    ) {
        if depth >= MAX_SUBDIR_DEPTH {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for sub in dirs {
            if self.explicit.contains(&sub) {
                continue;
            }
            let Some(name) = sub.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let sub_level = paths::join(level, name);
            let key = sub_level.to_ascii_lowercase();
            if self.virtual_levels.contains(&key) {
                continue;
            }
            if let Some(file) = web_config_in(&sub) {
                if seen.insert((key, file.clone())) {
                    found.push((sub_level.clone(), file));
                }
            }
            self.subdirs(&sub, &sub_level, seen, found, depth + 1);
        }
    }
}

/// Fills collection entries' unset values from the collection's default element
/// (`siteDefaults`, `applicationDefaults`, `virtualDirectoryDefaults`…). A default element
/// also takes the unset values of the default element of the same name at an outer level:
/// `applicationDefaults` and `virtualDirectoryDefaults` directly under `<sites>` reach every
/// site's and application's own, and through them every application and virtual directory.
pub fn fill_collection_defaults(eff: &mut EffectiveElement, schema: &ElementSchema) {
    fill_with_outer_defaults(eff, schema, &[]);
}

/// [`fill_collection_defaults`] with the default elements of the outer levels, nearest
/// last.
fn fill_with_outer_defaults(
    eff: &mut EffectiveElement,
    schema: &ElementSchema,
    outer: &[&EffectiveElement],
) {
    let is_default = |name: &str| {
        schema
            .elements
            .iter()
            .any(|e| e.is_collection_default && e.name == name)
    };
    for default_schema in schema.elements.iter().filter(|e| e.is_collection_default) {
        let name = default_schema.name.as_str();
        let Some(above) = outer.iter().rev().find(|d| d.name == name) else {
            continue;
        };
        match eff.children.iter_mut().find(|c| c.name == name) {
            Some(own) => inherit_defaults(own, above, name),
            None => {
                let mut own = EffectiveElement::empty(name);
                inherit_defaults(&mut own, above, name);
                eff.children.push(own);
            }
        }
    }
    // This level's default elements (few, and only where written) join the outer ones.
    let own_defaults: Vec<EffectiveElement> = eff
        .children
        .iter()
        .filter(|c| is_default(&c.name))
        .cloned()
        .collect();
    let mut scope: Vec<&EffectiveElement> = outer.to_vec();
    scope.extend(own_defaults.iter());
    for collection in &schema.collections {
        if let Some(default_name) = &collection.default_element {
            if let Some(defaults) = scope.iter().rev().find(|d| &d.name == default_name) {
                for entry in eff
                    .entries
                    .iter_mut()
                    .filter(|e| collection.add_elements.contains(&e.directive))
                {
                    inherit_defaults(&mut entry.element, defaults, default_name);
                }
            }
        }
        for entry in &mut eff.entries {
            fill_with_outer_defaults(&mut entry.element, &collection.entry, &scope);
        }
    }
    for child_schema in &schema.elements {
        if let Some(child) = eff
            .children
            .iter_mut()
            .find(|c| c.name == child_schema.name)
        {
            fill_with_outer_defaults(child, child_schema, &scope);
        }
    }
}

fn inherit_defaults(entry: &mut EffectiveElement, defaults: &EffectiveElement, source: &str) {
    for d in &defaults.attributes {
        if d.origin == Provenance::SchemaDefault {
            continue;
        }
        match entry.attributes.iter_mut().find(|a| a.name == d.name) {
            Some(a) if a.origin == Provenance::SchemaDefault => {
                a.value = d.value.clone();
                a.origin = Provenance::CollectionDefault {
                    element: source.to_string(),
                };
            }
            Some(_) => {}
            None => entry.attributes.push(super::EffectiveAttribute {
                name: d.name.clone(),
                value: d.value.clone(),
                origin: Provenance::CollectionDefault {
                    element: source.to_string(),
                },
                overrode: Vec::new(),
            }),
        }
    }
    for dc in defaults.children.iter().filter(|dc| sets_values(dc)) {
        match entry.children.iter_mut().find(|c| c.name == dc.name) {
            Some(c) => inherit_defaults(c, dc, source),
            None => {
                let mut c = EffectiveElement::empty(&dc.name);
                inherit_defaults(&mut c, dc, source);
                entry.children.push(c);
            }
        }
    }
}

/// Whether a default element sets any value (beyond the schema's defaults), itself or in a
/// child element.
fn sets_values(defaults: &EffectiveElement) -> bool {
    defaults
        .attributes
        .iter()
        .any(|a| a.origin != Provenance::SchemaDefault)
        || defaults.children.iter().any(sets_values)
}

/// Without any --root-map no physical path maps to a local folder: one note says so, at the
/// first virtual directory, instead of one per virtual directory.
pub(super) fn note_no_root_map(apphost: &ConfigFile, sites: &[Site], notes: &mut Vec<Finding>) {
    let mut vdirs = sites
        .iter()
        .flat_map(|s| &s.applications)
        .flat_map(|a| &a.virtual_directories);
    let Some(first) = vdirs.next() else { return };
    let count = 1 + vdirs.count();
    let (place, span) = apphost.value_place(first.node, "physicalPath");
    let message = if count == 1 {
        format!(
            "physical path \"{}\" maps to no local folder; web.config files below it are not checked",
            first.physical_path(apphost)
        )
    } else {
        format!(
            "no --root-map is given, so the physical paths of {count} virtual directories map to no local folder and their web.config files are not checked"
        )
    };
    notes.push(
        Finding::new(Rule::UnmappedPhysicalPath, place, message)
            .with_span(span)
            .with_help("map them with --root-map 'PREFIX=LOCAL_DIR', e.g. --root-map 'C:\\inetpub=./inetpub'"),
    );
}
