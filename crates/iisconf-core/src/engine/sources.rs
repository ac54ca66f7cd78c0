//! `configSource` files: a section element that names another file
//! (`<appSettings configSource="appSettings.config" />`) is read from that file, whose root
//! element is the section's. The file must be a relative path in the folder of the file
//! that names it or below, must exist, and the section element that points to it carries
//! nothing else. Valid files join the hierarchy right after the file that names them, at
//! its level, so their findings and provenance point into them. The `file=` attribute of
//! appSettings names an optional file of more entries, read the same way (a missing one
//! is no error, as for .NET).

use super::{ConfigPath, FileId, Hierarchy};
use crate::config::ConfigFile;
use crate::diagnostic::{Finding, Rule};
use iisconf_xml::NodeId;
use std::path::{Component, Path, PathBuf};

/// The attribute that moves a section's content to another file.
pub const CONFIG_SOURCE: &str = "configSource";

/// Whether section element `node` of `file` names a configSource file (whose content its
/// own text does not show). Its start tag is searched for the name before its attributes
/// are read.
pub fn names_config_source(file: &ConfigFile, node: NodeId) -> bool {
    let start_tag = file
        .doc
        .span(node)
        .and_then(|span| file.doc.source().get(span.start..span.end));
    start_tag.is_none_or(|tag| tag.contains(CONFIG_SOURCE))
        && file.doc.attribute(node, CONFIG_SOURCE).is_some()
}

/// The .NET section whose `file=` attribute names an optional file of more entries.
const APP_SETTINGS: &str = "appSettings";

/// A section read from a configSource file: where it is named, and the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SourceLink {
    /// The file naming it.
    pub pointer_file: usize,
    /// The section element carrying `configSource`.
    pub pointer: NodeId,
    /// The configSource file in [`Hierarchy::files`].
    pub source_file: usize,
}

impl Hierarchy {
    /// The configSource file that holds the section element `node` of `file`, if it names
    /// one that was read.
    pub fn source_file_of(&self, file: FileId, node: NodeId) -> Option<FileId> {
        self.sources
            .iter()
            .find(|l| l.pointer_file == file.index() && l.pointer == node)
            .map(|l| FileId::new(l.source_file))
    }

    /// The hierarchy with the configSource files its sections name read into it (itself
    /// when none does), and a finding for every one that cannot be read.
    pub(super) fn with_config_sources(self) -> Hierarchy {
        let mut found: Vec<(usize, NodeId, ConfigFile)> = Vec::new();
        let mut notes = Vec::new();
        for (fi, file) in self.files.iter().enumerate() {
            if file.section_source().is_some() {
                continue;
            }
            // The instances that name another file, searched on the pool: a large
            // applicationHost.config has hundreds of thousands, and mostly none.
            let indices: Vec<usize> = (0..file.sections.len()).collect();
            let named = crate::config::in_parallel(&indices, |chunk| {
                chunk
                    .iter()
                    .filter_map(|&ii| {
                        let inst = file.sections.get(ii)?;
                        let source = file.doc.attribute_value(inst.node, CONFIG_SOURCE);
                        (source.is_some() || &*inst.name == APP_SETTINGS).then_some((ii, source))
                    })
                    .collect()
            });
            for (ii, source) in named {
                let Some(inst) = file.sections.get(ii) else {
                    continue;
                };
                let location = file.locations.get(inst.location).map_or("", |l| &*l.path);
                if let Some(source) = source {
                    match read_source(file, inst.node, &inst.name, &source, location) {
                        Ok(read) => found.push((fi, inst.node, read)),
                        Err(Problem::Missing(_)) if self.read_by_dotnet_only(file, &inst.name) => {}
                        Err(Problem::Missing(finding) | Problem::Other(finding)) => {
                            notes.push(finding)
                        }
                    }
                } else if &*inst.name == APP_SETTINGS {
                    match read_app_settings_file(file, inst.node, location) {
                        Ok(Some(read)) => found.push((fi, inst.node, read)),
                        Ok(None) => {}
                        Err(finding) => notes.push(finding),
                    }
                }
            }
        }
        if found.is_empty() && notes.is_empty() {
            return self;
        }
        let Hierarchy {
            registry,
            files,
            levels,
            real_apphost,
            sites,
            notes: mut old_notes,
            mapper,
            ..
        } = self;
        old_notes.append(&mut notes);
        let mut new_files = Vec::new();
        let mut new_levels: Vec<ConfigPath> = Vec::new();
        let mut links = Vec::new();
        let mut found = found.into_iter().peekable();
        for (fi, (file, level)) in files.into_iter().zip(levels).enumerate() {
            let pointer_file = new_files.len();
            new_files.push(file);
            new_levels.push(level.clone());
            while let Some((_, pointer, source)) = found.next_if(|(f, _, _)| *f == fi) {
                links.push(SourceLink {
                    pointer_file,
                    pointer,
                    source_file: new_files.len(),
                });
                new_files.push(source);
                new_levels.push(level.clone());
            }
        }
        let mut h = Hierarchy::build(
            registry,
            new_files,
            new_levels,
            real_apphost,
            sites,
            old_notes,
        );
        h.sources = links;
        h.mapper = mapper;
        h
    }

    /// Whether IIS leaves `section` to .NET: it has no IIS schema and its declaration names
    /// a .NET handler. .NET reads such a section (and its configSource file) only when the
    /// application asks for it, so a missing file is not an error IIS would report.
    fn read_by_dotnet_only(&self, file: &ConfigFile, section: &str) -> bool {
        self.registry.section(section).is_none()
            && super::check::managed_declaration(self, file, section)
    }
}

/// Reads the optional file that the `file=` attribute of appSettings element `node` names:
/// `None` when there is none or it does not exist (.NET ignores a missing one).
fn read_app_settings_file(
    file: &ConfigFile,
    node: NodeId,
    location: &str,
) -> Result<Option<ConfigFile>, Finding> {
    let Some(source) = file.doc.attribute_value(node, "file") else {
        return Ok(None);
    };
    let relative = source.trim().replace('\\', "/");
    if relative.is_empty() {
        return Ok(None);
    }
    let path = folder_of(file).join(&relative);
    let Ok(parsed) = iisconf_xml::Document::load(&path) else {
        return Ok(None);
    };
    let name = path.display().to_string();
    let doc = parsed.map_err(|error| Finding::not_well_formed(&name, &error))?;
    let root = doc.root_element().map(|r| doc.name(r).to_string());
    if root.as_deref() != Some(APP_SETTINGS) {
        let (place, span) = file.value_place(node, "file");
        return Err(Finding::new(
            Rule::ConfigSource,
            place,
            format!(
                "the root element of the appSettings file \"{source}\" is <{}>, not <appSettings>",
                root.unwrap_or_default()
            ),
        )
        .with_span(span)
        .with_help("the root element of the file is <appSettings>"));
    }
    Ok(Some(ConfigFile::from_section_source(
        &name,
        doc,
        APP_SETTINGS,
        location,
    )))
}

/// The folder of a file of the hierarchy (its name is its path).
fn folder_of(file: &ConfigFile) -> PathBuf {
    Path::new(&*file.name)
        .parent()
        .map_or_else(PathBuf::new, Path::to_path_buf)
}

/// Why a configSource file cannot be read.
enum Problem {
    /// The file does not exist or cannot be read.
    Missing(Finding),
    /// Any other reason.
    Other(Finding),
}

/// Reads the configSource file `source` named by section element `node` (section
/// `section`, in location `location`) of `file`, or the finding that says why it cannot be read.
fn read_source(
    file: &ConfigFile,
    node: NodeId,
    section: &str,
    source: &str,
    location: &str,
) -> Result<ConfigFile, Problem> {
    let fail = |message: String, help: &'static str| {
        let (place, span) = file.value_place(node, CONFIG_SOURCE);
        Finding::new(Rule::ConfigSource, place, message)
            .with_span(span)
            .with_help(help)
    };
    let doc = &file.doc;
    let others: Vec<String> = doc
        .attributes(node)
        .filter(|a| a.name != CONFIG_SOURCE && !a.name.starts_with("xmlns"))
        .map(|a| a.name.to_string())
        .collect();
    if !others.is_empty() || doc.child_elements(node).next().is_some() {
        let (place, span) = file.node_place(node);
        let what = if others.is_empty() {
            "child elements".to_string()
        } else {
            format!("the attributes {}", others.join(", "))
        };
        return Err(Problem::Other(Finding::new(
            Rule::ConfigSource,
            place,
            format!("the section '{section}' names configSource=\"{source}\" and also has {what}: a section element that points to a file carries nothing else"),
        )
        .with_span(span)
        .with_help("move the settings into the configSource file")));
    }
    let relative = source.trim().replace('\\', "/");
    let escapes = !stays_inside(&relative);
    if escapes {
        return Err(Problem::Other(fail(
            format!("configSource=\"{source}\" is not a relative path in the folder of this file or below"),
            "name a file beside this one or in a folder below it, without .. or a drive",
        )));
    }
    let path = folder_of(file).join(&relative);
    let name = path.display().to_string();
    let parsed = match iisconf_xml::Document::load(&path) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Err(Problem::Missing(fail(
                format!(
                "the configSource file \"{source}\" of section '{section}' cannot be read: {error}"
            ),
                "IIS and .NET refuse a section whose configSource file is missing",
            )))
        }
    };
    let doc = parsed.map_err(|error| Problem::Other(Finding::not_well_formed(&name, &error)))?;
    let element = section.rsplit('/').next().unwrap_or(section);
    let root = doc.root_element().map(|r| doc.name(r).to_string());
    if root.as_deref() != Some(element) {
        return Err(Problem::Other(fail(
            format!(
                "the root element of the configSource file \"{source}\" is <{}>, not <{element}>",
                root.unwrap_or_default()
            ),
            "the root element of a configSource file is the section's own element",
        )));
    }
    Ok(ConfigFile::from_section_source(
        &name, doc, section, location,
    ))
}

/// Whether a configSource path (with `/` separators) names a file in the folder of the
/// file naming it or below: relative, no `..`, no drive or share.
fn stays_inside(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.starts_with('/')
        && !relative.contains(':')
        && Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::stays_inside;

    #[test]
    fn config_source_paths_stay_in_the_folder() {
        assert!(stays_inside("appSettings.config"));
        assert!(stays_inside("conf/prod.config"));
        assert!(stays_inside("./conf/prod.config"));
        assert!(!stays_inside(""));
        assert!(!stays_inside("../shared.config"));
        assert!(!stays_inside("conf/../../x.config"));
        assert!(!stays_inside("/etc/x.config"));
        assert!(!stays_inside("C:/config/x.config"));
        assert!(!stays_inside("//server/share/x.config"));
    }
}
