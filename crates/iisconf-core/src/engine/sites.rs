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

/// Reads `system.applicationHost/sites` at the root of applicationHost.config.
pub fn read_sites(apphost: &ConfigFile) -> Vec<Site> {
    let doc = &apphost.doc;
    let Some(root) = apphost.root() else {
        return Vec::new();
    };
    let Some(sites) = doc
        .child_element(root, "system.applicationHost")
        .and_then(|g| doc.child_element(g, "sites"))
    else {
        return Vec::new();
    };
    // Tens of thousands of sites are read on all cores.
    let site_nodes: Vec<NodeId> = doc
        .child_elements(sites)
        .filter(|s| doc.name(*s) == "site")
        .collect();
    crate::config::in_parallel(&site_nodes, |chunk| {
        chunk.iter().filter_map(|s| read_site(doc, *s)).collect()
    })
}

/// One `<site>` element (`None` without a name).
fn read_site(doc: &iisconf_xml::Document, site: NodeId) -> Option<Site> {
    let name = doc.attribute_value(site, "name")?;
    let mut applications = Vec::new();
    for app in doc
        .child_elements(site)
        .filter(|a| doc.name(*a) == "application")
    {
        let path = doc
            .attribute_value(app, "path")
            .unwrap_or_default()
            .into_owned();
        let virtual_directories = doc
            .child_elements(app)
            .filter(|v| doc.name(*v) == "virtualDirectory")
            .map(|v| VirtualDirectory {
                allow_sub_dir_config: doc
                    .attribute_value(v, "allowSubDirConfig")
                    .is_none_or(|s| !s.trim().eq_ignore_ascii_case("false")),
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
    let mut unmapped_seen = HashSet::new();
    for site in sites {
        for app in &site.applications {
            for vdir in &app.virtual_directories {
                let url = paths::join(
                    &crate::config::normalize_path(&app.path),
                    &crate::config::normalize_path(&vdir.path(apphost)),
                );
                let level = paths::join(&site.name, &url);
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
    let explicit: HashSet<PathBuf> = roots.iter().map(|(_, d, _)| d.clone()).collect();
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut seen_files = HashSet::new();
    for (level, dir, sub_dirs) in &roots {
        if let Some(file) = web_config_in(dir) {
            if seen_files.insert(file.clone()) {
                found.push((level.clone(), file));
            }
        }
        if *sub_dirs {
            walk_subdirs(dir, level, &explicit, &mut seen_files, &mut found, 0);
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

fn walk_subdirs(
    dir: &Path,
    level: &str,
    explicit: &HashSet<PathBuf>,
    seen: &mut HashSet<PathBuf>,
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
        if explicit.contains(&sub) {
            continue;
        }
        let Some(name) = sub.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let sub_level = paths::join(level, name);
        if let Some(file) = web_config_in(&sub) {
            if seen.insert(file.clone()) {
                found.push((sub_level.clone(), file));
            }
        }
        walk_subdirs(&sub, &sub_level, explicit, seen, found, depth + 1);
    }
}

/// Fills collection entries' unset values from the collection's default element
/// (`siteDefaults`, `applicationDefaults`, `virtualDirectoryDefaults`…).
pub fn fill_collection_defaults(eff: &mut EffectiveElement, schema: &ElementSchema) {
    for collection in &schema.collections {
        if let Some(default_name) = &collection.default_element {
            if let Some(defaults) = eff.child(default_name).cloned() {
                for entry in eff
                    .entries
                    .iter_mut()
                    .filter(|e| collection.add_elements.contains(&e.directive))
                {
                    inherit_defaults(&mut entry.element, &defaults, default_name);
                }
            }
        }
        for entry in &mut eff.entries {
            fill_collection_defaults(&mut entry.element, &collection.entry);
        }
    }
    for child_schema in &schema.elements {
        if let Some(child) = eff
            .children
            .iter_mut()
            .find(|c| c.name == child_schema.name)
        {
            fill_collection_defaults(child, child_schema);
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
    for dc in &defaults.children {
        if let Some(c) = entry.children.iter_mut().find(|c| c.name == dc.name) {
            inherit_defaults(c, dc, source);
        }
    }
}

/// Without any --root-map no physical path maps to a local folder: one note says so, at the
/// first virtual directory, instead of one per virtual directory.
fn note_no_root_map(apphost: &ConfigFile, sites: &[Site], notes: &mut Vec<Finding>) {
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
