//! The plan of a diff as an XML-Document-Transform of OLD's applicationHost.config:
//! `xdt:Transform` SetAttributes, RemoveAttributes, Insert and Remove, on elements found
//! with `xdt:Locator="Match(…)"`, inside `<location path=…>` where the change is for a path
//! below the server level; a lock at the server level sets the declaration's
//! overrideModeDefault. An element OLD lacks is inserted whole at the first missing
//! level; what an earlier edit of the transform inserted is matched, not inserted twice.

use super::{element_schema, plan, Commit, Operation};
use crate::model::Step;
use crate::Diff;
use iisconf_core::config::ConfigFile;
use iisconf_core::engine::{display_config_path, Hierarchy};
use iisconf_core::schema::ElementSchema;
use iisconf_xml::NodeId;
use rustc_hash::FxHashSet as HashSet;
use std::fmt::Write;

/// The XDT namespace.
const XDT: &str = "http://schemas.microsoft.com/XML-Document-Transform";

/// An edit a transform of applicationHost.config cannot make.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{section} at {path} goes to the web.config at {level}: a transform of applicationHost.config cannot write it; use --emit appcmd")]
pub struct XdtError {
    /// The section.
    pub section: String,
    /// The config path (display form).
    pub path: String,
    /// The web.config's config path (display form).
    pub level: String,
}

/// One element on the way to an edit: its name and the attributes that find it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Segment {
    name: String,
    key: Vec<(String, String)>,
}

/// What is done at the end of the way.
enum Action {
    SetAttributes(Vec<(String, String)>),
    RemoveAttribute(String),
    Insert(Segment),
    Remove,
    /// Removes OLD's own entry where it writes it, else inserts the remove directive.
    RemoveEntry {
        own: Segment,
        directive: Option<Segment>,
    },
    /// Sets the overrideMode of the location tag holding the section (in `.1`).
    OverrideMode(&'static str, String),
}

/// The transform that turns OLD's applicationHost.config into NEW's effective
/// configuration; an error when a change has to go to a web.config.
pub fn xdt(diff: &Diff, old: &Hierarchy, new: &Hierarchy) -> Result<String, XdtError> {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration xmlns:xdt=\"{XDT}\">\n"
    );
    let mut made: HashSet<Vec<Segment>> = HashSet::default();
    let apphost = old.apphost();
    for op in plan(diff, old, new) {
        let Some((way, action)) = way_of(&op, new)? else {
            continue;
        };
        write_edit(&mut out, apphost, &mut made, &way, action);
    }
    out.push_str("</configuration>\n");
    Ok(out)
}

/// The elements from `<configuration>` down to the edited one, and the action there.
fn way_of(op: &Operation, new: &Hierarchy) -> Result<Option<(Vec<Segment>, Action)>, XdtError> {
    let (path, section, steps, commit) = match op {
        Operation::Set {
            path,
            section,
            steps,
            commit,
            ..
        }
        | Operation::Clear {
            path,
            section,
            steps,
            commit,
            ..
        }
        | Operation::Add {
            path,
            section,
            steps,
            commit,
            ..
        }
        | Operation::Remove {
            path,
            section,
            steps,
            commit,
            ..
        } => (path, section, &steps[..], Some(commit)),
        Operation::Lock { path, section, .. } => (path, section, &[][..], None),
    };
    if let Some(Commit::Level(level)) = commit {
        return Err(XdtError {
            section: section.clone(),
            path: display_config_path(path),
            level: display_config_path(level),
        });
    }
    let mut way = Vec::new();
    if !path.is_empty() {
        way.push(Segment {
            name: "location".to_string(),
            key: vec![("path".to_string(), path.clone())],
        });
    }
    if let Operation::Lock { deny, .. } = op {
        let mode = if *deny { "Deny" } else { "Allow" };
        return Ok(Some((way, Action::OverrideMode(mode, section.clone()))));
    }
    for part in section.split('/') {
        way.push(Segment {
            name: part.to_string(),
            key: Vec::new(),
        });
    }
    let root = new.registry().section(section).map(|s| &s.root);
    let mut schema: Option<&ElementSchema> = root;
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Element(name) => {
                way.push(Segment {
                    name: name.clone(),
                    key: Vec::new(),
                });
                schema = schema.and_then(|s| s.element(name));
            }
            Step::Entry(key) => {
                let collection = root
                    .and_then(|r| element_schema(r, steps.get(..i).unwrap_or(&[])))
                    .and_then(|s| s.collection());
                let Some(collection) = collection else {
                    return Ok(None);
                };
                let keys: Vec<(String, String)> = collection
                    .keys()
                    .filter_map(|k| key.iter().find(|(n, _)| *n == k.name).cloned())
                    .collect();
                way.push(Segment {
                    name: collection.add_elements.first().cloned().unwrap_or_default(),
                    key: if keys.is_empty() { key.clone() } else { keys },
                });
                schema = Some(&collection.entry);
            }
        }
    }
    let action = match op {
        Operation::Set {
            attribute, value, ..
        } => Action::SetAttributes(vec![(attribute.clone(), value.clone())]),
        Operation::Clear { attribute, .. } => Action::RemoveAttribute(attribute.clone()),
        Operation::Add {
            directive,
            attributes,
            ..
        } => Action::Insert(Segment {
            name: directive.clone(),
            key: attributes.clone(),
        }),
        Operation::Remove { key, .. } => {
            let collection = schema.and_then(|s| s.collection());
            let Some(add) = collection.and_then(|c| c.add_elements.first()).cloned() else {
                return Ok(None);
            };
            Action::RemoveEntry {
                own: Segment {
                    name: add,
                    key: key.clone(),
                },
                directive: collection
                    .and_then(|c| c.remove_element.clone())
                    .map(|name| Segment {
                        name,
                        key: key.clone(),
                    }),
            }
        }
        Operation::Lock { .. } => return Ok(None),
    };
    Ok(Some((way, action)))
}

/// Writes one edit: matched elements down to the first one missing, which is inserted.
fn write_edit(
    out: &mut String,
    apphost: Option<&ConfigFile>,
    made: &mut HashSet<Vec<Segment>>,
    way: &[Segment],
    action: Action,
) {
    let action = match action {
        Action::RemoveEntry { own, directive } => {
            let mut at = way.to_vec();
            at.push(own);
            if apphost.is_some_and(|f| found_depth(f, &at) == at.len()) || made.contains(&at) {
                return write_edit(out, apphost, made, &at, Action::Remove);
            }
            match directive {
                Some(remove) => Action::Insert(remove),
                None => return,
            }
        }
        Action::OverrideMode(mode, section) => {
            return write_override_mode(out, apphost, way, mode, &section);
        }
        other => other,
    };
    let found = apphost.map_or(0, |f| found_depth(f, way));
    let missing =
        (1..=way.len()).find(|d| *d > found && !made.contains(way.get(..*d).unwrap_or(&[])));
    if missing.is_some() && matches!(action, Action::RemoveAttribute(_) | Action::Remove) {
        // Nothing to remove where the element does not exist.
        return;
    }
    let mut indent = String::from("  ");
    for (i, seg) in way.iter().enumerate() {
        let level = i + 1;
        let last = level == way.len();
        let _ = write!(out, "{indent}<{}", seg.name);
        for (k, v) in &seg.key {
            let _ = write!(out, " {k}=\"{}\"", escape(v));
        }
        let inside_insert = missing.is_some_and(|m| level > m);
        if missing == Some(level) {
            let _ = write!(out, " xdt:Transform=\"Insert\"");
        } else if !inside_insert && !seg.key.is_empty() {
            let names: Vec<&str> = seg.key.iter().map(|(k, _)| k.as_str()).collect();
            let _ = write!(out, " xdt:Locator=\"Match({})\"", names.join(","));
        }
        let plain = missing.is_some_and(|m| level >= m);
        if !last {
            let _ = writeln!(out, ">");
            indent.push_str("  ");
            continue;
        }
        match &action {
            Action::SetAttributes(pairs) => {
                for (k, v) in pairs {
                    let _ = write!(out, " {k}=\"{}\"", escape(v));
                }
                if !plain {
                    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
                    let _ = write!(out, " xdt:Transform=\"SetAttributes({})\"", names.join(","));
                }
            }
            Action::RemoveAttribute(name) => {
                let _ = write!(out, " xdt:Transform=\"RemoveAttributes({name})\"");
            }
            Action::Remove => {
                let _ = write!(out, " xdt:Transform=\"Remove\"");
            }
            Action::Insert(_) | Action::RemoveEntry { .. } | Action::OverrideMode(..) => {}
        }
        if let Action::Insert(child) = &action {
            let _ = writeln!(out, ">");
            let _ = write!(out, "{indent}  <{}", child.name);
            for (k, v) in &child.key {
                let _ = write!(out, " {k}=\"{}\"", escape(v));
            }
            if !plain {
                let _ = write!(out, " xdt:Transform=\"Insert\"");
            }
            let _ = writeln!(out, " />");
            let _ = writeln!(out, "{indent}</{}>", seg.name);
            let mut inserted = way.to_vec();
            inserted.push(child.clone());
            made.insert(inserted);
        } else {
            let _ = writeln!(out, " />");
        }
    }
    for seg in way.iter().rev().skip(1) {
        indent.truncate(indent.len().saturating_sub(2));
        let _ = writeln!(out, "{indent}</{}>", seg.name);
    }
    if let Some(m) = missing {
        for d in m..=way.len() {
            made.insert(way.get(..d).unwrap_or(&[]).to_vec());
        }
    }
}

/// A lock or unlock: the overrideMode of OLD's location tag for the path that holds the
/// section, else a new location tag holding the section (empty) with that mode.
fn write_override_mode(
    out: &mut String,
    apphost: Option<&ConfigFile>,
    way: &[Segment],
    mode: &str,
    section: &str,
) {
    let mut with_section = way.to_vec();
    with_section.extend(section.split('/').map(|part| Segment {
        name: part.to_string(),
        key: Vec::new(),
    }));
    let held = apphost.is_some_and(|f| found_depth(f, &with_section) == with_section.len());
    if way.is_empty() && !held_in_location(apphost, section) {
        return write_declaration_mode(out, section, mode);
    }
    match way.first() {
        Some(location) if held => {
            let _ = write!(out, "  <location");
            for (k, v) in &location.key {
                let _ = write!(out, " {k}=\"{}\"", escape(v));
            }
            let _ = writeln!(
                out,
                " overrideMode=\"{mode}\" xdt:Locator=\"Match(path)\" xdt:Transform=\"SetAttributes(overrideMode)\" />"
            );
        }
        _ => {
            let path = way
                .first()
                .and_then(|l| l.key.first())
                .map_or("", |(_, v)| v.as_str());
            let _ = writeln!(
                out,
                "  <location path=\"{}\" overrideMode=\"{mode}\" xdt:Transform=\"Insert\">",
                escape(path)
            );
            let mut indent = String::from("    ");
            let parts: Vec<&str> = section.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                if i + 1 == parts.len() {
                    let _ = writeln!(out, "{indent}<{part} />");
                } else {
                    let _ = writeln!(out, "{indent}<{part}>");
                    indent.push_str("  ");
                }
            }
            for part in parts.iter().rev().skip(1) {
                indent.truncate(indent.len().saturating_sub(2));
                let _ = writeln!(out, "{indent}</{part}>");
            }
            let _ = writeln!(out, "  </location>");
        }
    }
}

/// Whether OLD writes `section` in a `<location path="">` tag (whose overrideMode then
/// rules the server level rather than the declaration's default).
fn held_in_location(apphost: Option<&ConfigFile>, section: &str) -> bool {
    apphost.is_some_and(|f| {
        f.sections.iter().any(|inst| {
            &*inst.name == section
                && f.locations
                    .get(inst.location)
                    .is_some_and(|l| l.node.is_some() && l.path.is_empty())
        })
    })
}

/// A lock or unlock at the server level: the declaration's overrideModeDefault.
fn write_declaration_mode(out: &mut String, section: &str, mode: &str) {
    let parts: Vec<&str> = section.split('/').collect();
    let _ = writeln!(out, "  <configSections>");
    let mut indent = String::from("    ");
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            let _ = writeln!(
                out,
                "{indent}<section name=\"{}\" overrideModeDefault=\"{mode}\" xdt:Locator=\"Match(name)\" xdt:Transform=\"SetAttributes(overrideModeDefault)\" />",
                escape(part)
            );
        } else {
            let _ = writeln!(
                out,
                "{indent}<sectionGroup name=\"{}\" xdt:Locator=\"Match(name)\">",
                escape(part)
            );
            indent.push_str("  ");
        }
    }
    for _ in parts.iter().skip(1) {
        indent.truncate(indent.len().saturating_sub(2));
        let _ = writeln!(out, "{indent}</sectionGroup>");
    }
    let _ = writeln!(out, "  </configSections>");
}

/// How many segments of `way` OLD's applicationHost.config has, from the top.
fn found_depth(file: &ConfigFile, way: &[Segment]) -> usize {
    let Some(root) = file.root() else {
        return 0;
    };
    let mut parents: Vec<NodeId> = vec![root];
    for (depth, seg) in way.iter().enumerate() {
        let next: Vec<NodeId> = parents
            .iter()
            .flat_map(|p| file.doc.child_elements(*p))
            .filter(|c| file.doc.name(*c) == seg.name)
            .filter(|c| {
                seg.key.iter().all(|(k, v)| {
                    file.doc
                        .attribute_value(*c, k)
                        .is_some_and(|have| have.eq_ignore_ascii_case(v))
                })
            })
            .collect();
        if next.is_empty() {
            return depth;
        }
        parents = next;
    }
    way.len()
}

/// Escapes an attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}
