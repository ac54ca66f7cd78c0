//! The schema facts generator's logic, shared by `examples/schema_facts.rs` and
//! `tests/schema_facts.rs`: which real IIS schema file feeds which of the project's fact
//! files, how a fact file is written, the check that committed files are current, and the
//! lists of schema paths that need a description.

use iisconf::schema::{ElementSchema, Registry};
use iisconf::xml::{Document, NodeId};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One real schema file and where its facts go.
pub struct Source {
    /// The file name in the IIS schema folder.
    pub file: &'static str,
    /// The output folder below `schema/`: `iis` (in-box) or `addons`.
    pub folder: &'static str,
    /// The module the facts belong to (the first part of the output file name).
    pub module: &'static str,
    /// How the file's sections are spread over output files.
    pub split: Split,
}

/// How one source file's sections are spread over output files.
#[derive(Clone, Copy)]
pub enum Split {
    /// All into `MODULE.xml`.
    Whole,
    /// All into `MODULE.PART.xml`.
    Part(&'static str),
    /// By the section's top-level group: `MODULE.applicationHost.xml`,
    /// `MODULE.webServer.xml`, and `MODULE.administration.xml` for sections outside both.
    ByGroup,
}

/// Every source file the generator knows, in output order.
pub const SOURCES: &[Source] = &[
    Source {
        file: "IIS_schema.xml",
        folder: "iis",
        module: "core",
        split: Split::ByGroup,
    },
    Source {
        file: "rscaext.xml",
        folder: "iis",
        module: "core",
        split: Split::Part("runtime"),
    },
    Source {
        file: "ASPNET_schema.xml",
        folder: "iis",
        module: "aspnet",
        split: Split::Whole,
    },
    Source {
        file: "FX_schema.xml",
        folder: "iis",
        module: "netfx",
        split: Split::Whole,
    },
    Source {
        file: "Ftp_schema.xml",
        folder: "iis",
        module: "ftp",
        split: Split::Whole,
    },
    Source {
        file: "ftp_rscaext.xml",
        folder: "iis",
        module: "ftp",
        split: Split::Part("runtime"),
    },
    Source {
        file: "rewrite_schema.xml",
        folder: "addons",
        module: "rewrite",
        split: Split::Whole,
    },
    Source {
        file: "arr_schema.xml",
        folder: "addons",
        module: "arr",
        split: Split::Whole,
    },
    Source {
        file: "webfarm.xml",
        folder: "addons",
        module: "webfarm",
        split: Split::Whole,
    },
    Source {
        file: "aspnetcore_schema_v2.xml",
        folder: "addons",
        module: "aspNetCore",
        split: Split::Whole,
    },
    Source {
        file: "WebDAV_schema.xml",
        folder: "addons",
        module: "webdav",
        split: Split::Whole,
    },
    Source {
        file: "deploymentAuthorizationSchema.xml",
        folder: "addons",
        module: "webDeploy",
        split: Split::Part("delegation"),
    },
    Source {
        file: "BackupManagerSchema.xml",
        folder: "addons",
        module: "webDeploy",
        split: Split::Part("backup"),
    },
];

/// The folders below `schema/` that hold generated fact files.
pub const FACT_FOLDERS: &[&str] = &["iis", "addons"];

/// The folder below `schema/` that holds the per-module description files.
pub const DESCRIPTION_FOLDER: &str = "descriptions";

/// A generated file: its path relative to `schema/` and its text.
pub struct Output {
    /// e.g. `iis/core.webServer.xml`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// Reads every source file found in `dirs` and writes the fact files' texts.
///
/// Every `*.xml` file of the folders must be a known source: an unknown file is an error, so
/// a new module cannot be left out silently.
pub fn render(dirs: &[PathBuf]) -> Result<Vec<Output>, String> {
    let mut found: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if !path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            {
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let Some(source) = SOURCES.iter().find(|s| s.file == name) else {
                return Err(format!(
                    "{}: not a known schema source (add it to SOURCES)",
                    path.display()
                ));
            };
            found.insert(source.file, path);
        }
    }
    let mut files: BTreeMap<String, (Vec<&str>, String)> = BTreeMap::new();
    for source in SOURCES {
        let Some(path) = found.get(source.file) else {
            continue;
        };
        let doc = match Document::load(path) {
            Ok(Ok(doc)) => doc,
            Ok(Err(e)) => return Err(format!("{}: {e:?}", path.display())),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let root = doc
            .root_element()
            .filter(|r| doc.name(*r) == "configSchema")
            .ok_or_else(|| format!("{}: not a <configSchema> file", path.display()))?;
        for section in doc.child_elements(root) {
            let name = doc.attribute_value(section, "name").unwrap_or_default();
            let out = output_path(source, &name);
            let entry = files.entry(out).or_default();
            if !entry.0.contains(&source.file) {
                entry.0.push(source.file);
            }
            write_element(&doc, section, 1, &mut entry.1);
        }
    }
    Ok(files
        .into_iter()
        .map(|(path, (from, body))| {
            let module = path
                .rsplit('/')
                .next()
                .and_then(|f| f.split('.').next())
                .unwrap_or_default()
                .to_string();
            let text = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                 <!-- iisconf schema facts, module \"{module}\", generated from {} by examples/schema_facts.rs: edit the generator, not this file. -->\n\
                 <configSchema>\n{body}</configSchema>\n",
                from.join(", ")
            );
            Output { path, text }
        })
        .collect())
}

fn output_path(source: &Source, section: &str) -> String {
    let stem = match source.split {
        Split::Whole => source.module.to_string(),
        Split::Part(part) => format!("{}.{part}", source.module),
        Split::ByGroup => {
            let group = match section.split('/').next() {
                Some("system.applicationHost") => "applicationHost",
                Some("system.webServer") => "webServer",
                _ => "administration",
            };
            format!("{}.{group}", source.module)
        }
    };
    format!("{}/{stem}.xml", source.folder)
}

/// Writes a schema element and everything below it, one tag a line, two spaces a level:
/// every attribute as the source has it (order and spelling), comments and layout left out.
fn write_element(doc: &Document, node: NodeId, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    out.push_str(&indent);
    out.push('<');
    out.push_str(doc.name(node));
    for a in doc.attributes(node) {
        out.push(' ');
        out.push_str(a.name);
        out.push_str("=\"");
        out.push_str(&escape(&a.value()));
        out.push('"');
    }
    let children: Vec<NodeId> = doc.child_elements(node).collect();
    if children.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for child in children {
        write_element(doc, child, depth + 1, out);
    }
    out.push_str(&indent);
    out.push_str("</");
    out.push_str(doc.name(node));
    out.push_str(">\n");
}

fn escape(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\t' => s.push_str("&#x9;"),
            '\n' => s.push_str("&#xA;"),
            '\r' => s.push_str("&#xD;"),
            c => s.push(c),
        }
    }
    s
}

/// Writes the outputs below `schema_dir`, removing generated files no longer produced.
pub fn write(schema_dir: &Path, outputs: &[Output]) -> Result<(), String> {
    for stale in stale_files(schema_dir, outputs)? {
        std::fs::remove_file(schema_dir.join(&stale)).map_err(|e| format!("{stale}: {e}"))?;
    }
    for o in outputs {
        let path = schema_dir.join(&o.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &o.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The differences between the committed files below `schema_dir` and `outputs`: files that
/// differ, are missing or should not be there. Empty when the committed files are current.
pub fn check(schema_dir: &Path, outputs: &[Output]) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for o in outputs {
        match std::fs::read_to_string(schema_dir.join(&o.path)) {
            Ok(text) if text == o.text => {}
            Ok(_) => problems.push(format!("{} differs from what the generator writes", o.path)),
            Err(_) => problems.push(format!("{} is missing", o.path)),
        }
    }
    for stale in stale_files(schema_dir, outputs)? {
        problems.push(format!("{stale} is not written by the generator"));
    }
    Ok(problems)
}

fn stale_files(schema_dir: &Path, outputs: &[Output]) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    for folder in FACT_FOLDERS {
        let dir = schema_dir.join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let rel = format!("{folder}/{name}");
            if name.ends_with(".xml") && !outputs.iter().any(|o| o.path == rel) {
                stale.push(rel);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// The description paths of every section, element and collection entry of `registry`
/// (`SECTION[/element…]`, a collection entry named by its first add directive).
pub fn element_paths(registry: &Registry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for section in registry.sections() {
        collect_elements(&section.root, &section.name, &mut out);
    }
    out
}

fn collect_elements(element: &ElementSchema, path: &str, out: &mut BTreeSet<String>) {
    out.insert(path.to_string());
    for child in &element.elements {
        collect_elements(child, &format!("{path}/{}", child.name), out);
    }
    for c in &element.collections {
        collect_elements(&c.entry, &format!("{path}/{}", c.entry.name), out);
    }
}

/// Every description path the schema defines: elements as in [`element_paths`], attributes
/// (`…@name`) and methods (`…#name`).
pub fn all_paths(registry: &Registry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for section in registry.sections() {
        collect_all(&section.root, &section.name, &mut out);
    }
    out
}

fn collect_all(element: &ElementSchema, path: &str, out: &mut BTreeSet<String>) {
    out.insert(path.to_string());
    for a in &element.attributes {
        out.insert(format!("{path}@{}", a.name));
    }
    for m in &element.methods {
        out.insert(format!("{path}#{}", m.name));
    }
    for child in &element.elements {
        collect_all(child, &format!("{path}/{}", child.name), out);
    }
    for c in &element.collections {
        collect_all(&c.entry, &format!("{path}/{}", c.entry.name), out);
    }
}

/// The attribute paths (`SECTION/…@name`) set in the configuration files of `corpus`
/// (`*.config`), mapped onto `registry`: attributes the schema does not define are left out.
pub fn corpus_attribute_paths(
    registry: &Registry,
    corpus: &Path,
) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("config"))
        })
        .collect();
    files.sort();
    for path in files {
        let doc = match Document::load(&path) {
            Ok(Ok(doc)) => doc,
            _ => continue,
        };
        if let Some(root) = doc.root_element() {
            walk_config(registry, &doc, root, &mut Vec::new(), &mut out);
        }
    }
    Ok(out)
}

/// Walks configuration elements (through `<location>` and section groups) to sections.
fn walk_config(
    registry: &Registry,
    doc: &Document,
    node: NodeId,
    groups: &mut Vec<String>,
    out: &mut BTreeSet<String>,
) {
    for child in doc.child_elements(node) {
        let name = doc.name(child);
        if name == "location" {
            walk_config(registry, doc, child, groups, out);
            continue;
        }
        if name == "configSections" {
            continue;
        }
        groups.push(name.to_string());
        let full = groups.join("/");
        if let Some(section) = registry.section(&full) {
            walk_section(doc, child, &section.root, &full, out);
        } else if registry
            .sections()
            .any(|s| s.name.starts_with(&format!("{full}/")))
        {
            walk_config(registry, doc, child, groups, out);
        }
        groups.pop();
    }
}

fn walk_section(
    doc: &Document,
    node: NodeId,
    schema: &ElementSchema,
    path: &str,
    out: &mut BTreeSet<String>,
) {
    for a in doc.attributes(node) {
        if schema.attribute(a.name).is_some() {
            out.insert(format!("{path}@{}", a.name));
        }
    }
    for child in doc.child_elements(node) {
        let name = doc.name(child);
        if let Some(e) = schema.element(name) {
            walk_section(doc, child, e, &format!("{path}/{name}"), out);
        } else if let Some(c) = schema.collection_for(name) {
            if c.add_elements.iter().any(|a| a == name) {
                walk_section(
                    doc,
                    child,
                    &c.entry,
                    &format!("{path}/{}", c.entry.name),
                    out,
                );
            }
        }
    }
}

/// The `<item path=…>` paths and texts of a descriptions file.
pub fn read_descriptions(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let doc = match Document::load(path) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(format!("{}: {e:?}", path.display())),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut map = BTreeMap::new();
    if let Some(root) = doc.root_element() {
        for item in doc.child_elements(root) {
            if let Some(p) = doc.attribute_value(item, "path") {
                let text: String = doc.children(item).map(|c| doc.text(c)).collect();
                map.insert(
                    p.into_owned(),
                    text.split_whitespace().collect::<Vec<_>>().join(" "),
                );
            }
        }
    }
    Ok(map)
}

/// Every description of `schema_dir`: `descriptions.xml` and the files of `descriptions/`.
pub fn all_descriptions(schema_dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut map = read_descriptions(&schema_dir.join("descriptions.xml"))?;
    let dir = schema_dir.join(DESCRIPTION_FOLDER);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    for f in files {
        map.extend(read_descriptions(&f)?);
    }
    Ok(map)
}
