//! `list site|app|vdir|apppool`: appcmd's one-line view (`SITE "Shop" (id:2,bindings:…,
//! state:Unknown)`), the detail view (`/text:*`), one property per object (`/text:NAME`),
//! appcmd's XML form (`/xml`, the input of `add … /in`), and each object's configuration
//! (`/config`, `/config:*` with every default), filtered by identifier and by any property
//! (`/site.name:Shop`, `/apppool.name:DefaultAppPool`, `/serverAutoStart:false`).
//!
//! The runtime state of sites and pools cannot be known from files: `state` is always
//! `Unknown`, the word appcmd itself prints when the server cannot report a state.

use iisconf::edit::grammar::appcmd::{AppcmdCommand, Output, Param};
use iisconf::edit::server::{ObjectKind, ServerError, ServerManager};
use iisconf::engine::{EffectiveAttribute, EffectiveElement, Provenance};
use iisconf::xml::escape::escape_attribute;
use std::fmt::Write;

/// The runtime state printed for every site and pool.
pub const STATE: &str = "Unknown";

/// One listed object: its properties in appcmd's order and its configuration element.
struct Listed<'a> {
    kind: ObjectKind,
    /// Properties as `/xml` and `/text:*` show them (the first is the identifier).
    properties: Vec<(&'static str, String)>,
    /// The `(…)` part of the one-line view.
    summary: Vec<(&'static str, String)>,
    element: &'a EffectiveElement,
    element_name: &'static str,
}

impl Listed<'_> {
    fn name(&self) -> &str {
        self.properties
            .first()
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// A property or configuration attribute by name (any letter case; appcmd's aliases
    /// such as `name`, `id`, `site.name`, `apppool.name`).
    fn property(&self, name: &str) -> Option<String> {
        let own = |key: &str| {
            self.properties
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
        };
        let alias = match (self.kind, name.to_ascii_lowercase().as_str()) {
            (ObjectKind::Site, "id") => Some("SITE.ID"),
            (ObjectKind::Application, "applicationpool") => Some("APPPOOL.NAME"),
            (ObjectKind::ApplicationPool, "managedruntimeversion" | "mgdversion") => {
                Some("RuntimeVersion")
            }
            (ObjectKind::ApplicationPool, "managedpipelinemode" | "mgdmode") => {
                Some("PipelineMode")
            }
            (_, "name") => self.properties.first().map(|(k, _)| *k),
            _ => None,
        };
        let site_of_vdir = || {
            (self.kind == ObjectKind::VirtualDirectory && name.eq_ignore_ascii_case("site.name"))
                .then(|| own("APP.NAME"))
                .flatten()
                .and_then(|app| app.split('/').next().map(str::to_string))
        };
        own(name)
            .or_else(|| alias.and_then(own))
            .or_else(site_of_vdir)
            .or_else(|| lookup(self.element, name).map(|a| a.value.clone()))
    }
}

/// Lists the objects of `kind` the command selects, in the output form it asks for.
pub fn list(
    server: &ServerManager,
    kind: ObjectKind,
    cmd: &AppcmdCommand,
) -> Result<String, ServerError> {
    let sites;
    let pools;
    let mut objects: Vec<Listed> = Vec::new();
    match kind {
        ObjectKind::ApplicationPool => {
            pools = server.application_pools()?;
            for p in &pools {
                objects.push(Listed {
                    kind,
                    properties: vec![
                        ("APPPOOL.NAME", p.name.clone()),
                        ("PipelineMode", p.managed_pipeline_mode.value.clone()),
                        ("RuntimeVersion", p.managed_runtime_version.value.clone()),
                        ("state", STATE.to_string()),
                    ],
                    summary: vec![
                        ("MgdVersion", p.managed_runtime_version.value.clone()),
                        ("MgdMode", p.managed_pipeline_mode.value.clone()),
                        ("state", STATE.to_string()),
                    ],
                    element: &p.element,
                    element_name: "add",
                });
            }
        }
        _ => {
            sites = server.sites()?;
            for site in &sites {
                if kind == ObjectKind::Site {
                    objects.push(Listed {
                        kind,
                        properties: vec![
                            ("SITE.NAME", site.name.clone()),
                            ("SITE.ID", site.id.value.to_string()),
                            ("bindings", site.bindings_text()),
                            ("state", STATE.to_string()),
                        ],
                        summary: vec![
                            ("id", site.id.value.to_string()),
                            ("bindings", site.bindings_text()),
                            ("state", STATE.to_string()),
                        ],
                        element: &site.element,
                        element_name: "site",
                    });
                    continue;
                }
                for app in &site.applications {
                    if kind == ObjectKind::Application {
                        objects.push(Listed {
                            kind,
                            properties: vec![
                                ("APP.NAME", app.name()),
                                ("APPPOOL.NAME", app.application_pool.value.clone()),
                                ("SITE.NAME", site.name.clone()),
                                ("path", app.path.clone()),
                            ],
                            summary: vec![("applicationPool", app.application_pool.value.clone())],
                            element: &app.element,
                            element_name: "application",
                        });
                        continue;
                    }
                    for vdir in &app.virtual_directories {
                        objects.push(Listed {
                            kind,
                            properties: vec![
                                ("VDIR.NAME", vdir.name()),
                                ("APP.NAME", vdir.application_name()),
                                ("path", vdir.path.clone()),
                                ("physicalPath", vdir.physical_path.value.clone()),
                            ],
                            summary: vec![("physicalPath", vdir.physical_path.value.clone())],
                            element: &vdir.element,
                            element_name: "virtualDirectory",
                        });
                    }
                }
            }
        }
    }
    objects.retain(|o| selected(o, cmd));
    Ok(render(&objects, cmd))
}

/// Whether an object matches the identifier and every `/property:value` filter (values
/// compared in any letter case, as appcmd compares them).
fn selected(o: &Listed, cmd: &AppcmdCommand) -> bool {
    let matches = |name: &str, want: &str| {
        o.property(name)
            .is_some_and(|have| have.eq_ignore_ascii_case(want))
    };
    if let Some(id) = &cmd.path {
        if !o.name().eq_ignore_ascii_case(id) {
            return false;
        }
    }
    cmd.params.iter().all(|p| match p {
        Param::Set(name, want) => matches(name, want),
        _ => true,
    })
}

fn render(objects: &[Listed], cmd: &AppcmdCommand) -> String {
    let mut out = String::new();
    match &cmd.output {
        Output::Xml => {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n");
            for o in objects {
                let kind = o.kind.appcmd_name();
                let _ = write!(out, "    <{kind}");
                // appcmd writes a VDIR's properties last to first (`<VDIR physicalPath=…
                // path=… APP.NAME=… VDIR.NAME=… />`, as shown in
                // http://programmersjournal.blogspot.com/2009/12/migrating-from-iis-56-to-iis-7.html).
                let properties: Vec<&(&str, String)> = if o.kind == ObjectKind::VirtualDirectory {
                    o.properties.iter().rev().collect()
                } else {
                    o.properties.iter().collect()
                };
                for (k, v) in properties {
                    let _ = write!(out, " {k}=\"{}\"", escape_attribute(v, b'"'));
                }
                if cmd.config {
                    out.push_str(">\n");
                    write_element(
                        &mut out,
                        o.element,
                        o.element_name,
                        2,
                        "    ",
                        cmd.config_all,
                    );
                    let _ = writeln!(out, "    </{kind}>");
                } else {
                    out.push_str(" />\n");
                }
            }
            out.push_str("</appcmd>\n");
        }
        Output::TextAll => {
            for o in objects {
                let _ = writeln!(out, "{}", o.kind.appcmd_name());
                for (k, v) in &o.properties {
                    let _ = writeln!(out, "  {k}:\"{v}\"");
                }
                text_element(&mut out, o.element, o.element_name, 1);
            }
        }
        Output::TextOf(name) => {
            for o in objects {
                let _ = writeln!(out, "{}", o.property(name).unwrap_or_default());
            }
        }
        Output::Default if cmd.config => {
            for o in objects {
                write_element(&mut out, o.element, o.element_name, 0, "  ", cmd.config_all);
            }
        }
        Output::Default => {
            for o in objects {
                let summary: Vec<String> =
                    o.summary.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                let _ = writeln!(
                    out,
                    "{} \"{}\" ({})",
                    o.kind.appcmd_name(),
                    o.name(),
                    summary.join(",")
                );
            }
        }
    }
    out
}

/// An attribute by dotted path, every step and the name in any letter case.
fn lookup<'a>(e: &'a EffectiveElement, dotted: &str) -> Option<&'a EffectiveAttribute> {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let name = parts.pop()?;
    let mut cur = e;
    for p in parts {
        cur = cur
            .children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(p))?;
    }
    cur.attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

/// Whether an attribute is shown: every one with `/config:*`, else those written.
fn shown(a: &EffectiveAttribute, all: bool) -> bool {
    all || matches!(a.origin, Provenance::File { .. })
}

fn has_content(e: &EffectiveElement, all: bool) -> bool {
    all || e.attributes.iter().any(|a| shown(a, false))
        || e.entries
            .iter()
            .any(|x| matches!(x.origin, Provenance::File { .. }))
        || e.children.iter().any(|c| has_content(c, false))
}

/// The configuration element as XML: attributes written (all with `/config:*`), child
/// elements that hold any, collection entries.
fn write_element(
    out: &mut String,
    e: &EffectiveElement,
    name: &str,
    depth: usize,
    indent: &str,
    all: bool,
) {
    let pad = indent.repeat(depth);
    let _ = write!(out, "{pad}<{name}");
    for a in e.attributes.iter().filter(|a| shown(a, all)) {
        let _ = write!(out, " {}=\"{}\"", a.name, escape_attribute(&a.value, b'"'));
    }
    let children: Vec<&EffectiveElement> =
        e.children.iter().filter(|c| has_content(c, all)).collect();
    if children.is_empty() && e.entries.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    // Entries first, then child elements: IIS's order for a site (applications, then
    // bindings and the other elements).
    for entry in &e.entries {
        write_element(
            out,
            &entry.element,
            &entry.directive,
            depth + 1,
            indent,
            all,
        );
    }
    for c in children {
        write_element(out, c, &c.name, depth + 1, indent, all);
    }
    let _ = writeln!(out, "{pad}</{name}>");
}

/// The detail view of the configuration element: `[name]` and `attribute:"value"` lines.
fn text_element(out: &mut String, e: &EffectiveElement, name: &str, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}[{name}]");
    for a in &e.attributes {
        let _ = writeln!(out, "{pad}  {}:\"{}\"", a.name, a.value);
    }
    for c in &e.children {
        text_element(out, c, &c.name, depth + 1);
    }
    for entry in &e.entries {
        text_element(out, &entry.element, &entry.directive, depth + 1);
    }
}
