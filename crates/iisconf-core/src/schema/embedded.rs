//! The schema embedded in the binary: the fact files of IIS 10 and of the common add-on
//! modules (`schema/iis`, `schema/addons`), their descriptions, and the section declarations
//! the add-on installers write (`schema/addon_sections.xml`), selected by module.

use iisconf_xml::Document;
use std::collections::HashSet;

/// The project's own schema files, embedded in the binary: `(name, text)`, the name being
/// the path below `schema/`. A file's module is its file name up to the first dot.
pub const EMBEDDED_SCHEMA: &[(&str, &str)] = &[
    (
        "iis/core.applicationHost.xml",
        include_str!("../../schema/iis/core.applicationHost.xml"),
    ),
    (
        "iis/core.webServer.xml",
        include_str!("../../schema/iis/core.webServer.xml"),
    ),
    (
        "iis/core.administration.xml",
        include_str!("../../schema/iis/core.administration.xml"),
    ),
    (
        "iis/core.runtime.xml",
        include_str!("../../schema/iis/core.runtime.xml"),
    ),
    (
        "iis/aspnet.xml",
        include_str!("../../schema/iis/aspnet.xml"),
    ),
    ("iis/netfx.xml", include_str!("../../schema/iis/netfx.xml")),
    ("iis/ftp.xml", include_str!("../../schema/iis/ftp.xml")),
    (
        "iis/ftp.runtime.xml",
        include_str!("../../schema/iis/ftp.runtime.xml"),
    ),
    (
        "addons/rewrite.xml",
        include_str!("../../schema/addons/rewrite.xml"),
    ),
    (
        "addons/arr.xml",
        include_str!("../../schema/addons/arr.xml"),
    ),
    (
        "addons/webfarm.xml",
        include_str!("../../schema/addons/webfarm.xml"),
    ),
    (
        "addons/aspNetCore.xml",
        include_str!("../../schema/addons/aspNetCore.xml"),
    ),
    (
        "addons/webdav.xml",
        include_str!("../../schema/addons/webdav.xml"),
    ),
    (
        "addons/webDeploy.delegation.xml",
        include_str!("../../schema/addons/webDeploy.delegation.xml"),
    ),
    (
        "addons/webDeploy.backup.xml",
        include_str!("../../schema/addons/webDeploy.backup.xml"),
    ),
];

/// The modules of a stock IIS 10 server (web server, ASP.NET, .NET Framework, FTP): always
/// part of the embedded schema.
pub const INBOX_MODULES: &[&str] = &["core", "aspnet", "netfx", "ftp"];

/// The add-on modules the embedded schema knows, by the names `iisconf.toml`'s `modules`
/// uses (URL Rewrite, Application Request Routing, the web farm framework, the ASP.NET Core
/// Module, WebDAV publishing, Web Deploy).
pub const ADDON_MODULES: &[&str] = &[
    "rewrite",
    "arr",
    "webfarm",
    "aspNetCore",
    "webdav",
    "webDeploy",
];

/// The section declarations the add-on installers write, one `<module>` per module and
/// configuration file (`schema/addon_sections.xml`).
pub const ADDON_DECLARATIONS: &str = include_str!("../../schema/addon_sections.xml");

/// The full `<configSections>` of a stock IIS 10 applicationHost.config.
pub const STOCK_DECLARATIONS: &str = include_str!("../../schema/stock_sections.xml");

/// The description files: `descriptions.xml` (asp, sites, applicationPools) and one file
/// per module.
pub(super) const DESCRIPTIONS: &[&str] = &[
    include_str!("../../schema/descriptions.xml"),
    include_str!("../../schema/descriptions/core.xml"),
    include_str!("../../schema/descriptions/aspnet.xml"),
    include_str!("../../schema/descriptions/netfx.xml"),
    include_str!("../../schema/descriptions/ftp.xml"),
    include_str!("../../schema/descriptions/rewrite.xml"),
    include_str!("../../schema/descriptions/arr.xml"),
    include_str!("../../schema/descriptions/webfarm.xml"),
    include_str!("../../schema/descriptions/aspNetCore.xml"),
    include_str!("../../schema/descriptions/webdav.xml"),
    include_str!("../../schema/descriptions/webDeploy.xml"),
];

/// The module of an embedded file name (`iis/core.runtime.xml` → `core`).
pub fn module_of(name: &str) -> &str {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.split('.').next().unwrap_or(file)
}

/// The add-on module called `name` (compared without regard to ASCII case), as
/// [`ADDON_MODULES`] spells it.
pub fn addon_module(name: &str) -> Option<&'static str> {
    ADDON_MODULES
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(name.trim()))
}

/// The declarations the installers of `modules` write into applicationHost.config, in
/// `<configSections>` form (each section in its groups; a section two modules declare, such
/// as `webFarms`, once).
pub fn addon_config_sections(modules: &[String]) -> String {
    let mut out = String::from("<configSections>\n");
    // The embedded file is part of the build; a unit test parses it.
    let Ok(doc) = Document::parse_str(ADDON_DECLARATIONS) else {
        out.push_str("</configSections>\n");
        return out;
    };
    let Some(root) = doc.root_element() else {
        out.push_str("</configSections>\n");
        return out;
    };
    let mut written = HashSet::new();
    for module in doc.child_elements(root) {
        let name = doc.attribute_value(module, "name").unwrap_or_default();
        let file = doc
            .attribute_value(module, "configFile")
            .unwrap_or_default();
        if file != "applicationHost.config" || !modules.iter().any(|m| *m == name) {
            continue;
        }
        let mut stack = vec![(module, Vec::<String>::new())];
        while let Some((node, groups)) = stack.pop() {
            for child in doc
                .child_elements(node)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                let Some(child_name) = doc.attribute_value(child, "name") else {
                    continue;
                };
                let mut path = groups.clone();
                path.push(child_name.into_owned());
                match doc.name(child) {
                    "sectionGroup" => stack.push((child, path)),
                    "section" if written.insert(path.join("/")) => {
                        for group in &groups {
                            out.push_str(&format!("<sectionGroup name=\"{group}\">"));
                        }
                        doc.write_subtree(child, &mut out);
                        out.push_str(&"</sectionGroup>".repeat(groups.len()));
                        out.push('\n');
                    }
                    _ => {}
                }
            }
        }
    }
    out.push_str("</configSections>\n");
    out
}

/// The `<configSections>` of a stock IIS 10 applicationHost.config on a server with the
/// add-on `modules` installed: [`STOCK_DECLARATIONS`] with the modules' declarations added.
pub fn stock_config_sections(modules: &[String]) -> String {
    let addons = addon_config_sections(modules);
    let inner = addons
        .trim()
        .trim_start_matches("<configSections>")
        .trim_end_matches("</configSections>");
    match STOCK_DECLARATIONS.rfind("</configSections>") {
        Some(end) => {
            let (head, tail) = STOCK_DECLARATIONS.split_at(end);
            format!("{head}{inner}{tail}")
        }
        None => STOCK_DECLARATIONS.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_belongs_to_a_known_module() {
        for (name, _) in EMBEDDED_SCHEMA {
            let module = module_of(name);
            assert!(
                INBOX_MODULES.contains(&module) || ADDON_MODULES.contains(&module),
                "{name}"
            );
        }
        assert_eq!(module_of("iis/core.runtime.xml"), "core");
        assert_eq!(addon_module(" ASPNETCORE "), Some("aspNetCore"));
        assert_eq!(addon_module("nosuch"), None);
    }

    #[test]
    fn addon_declarations_are_grouped_and_written_once() {
        let all: Vec<String> = ADDON_MODULES.iter().map(|m| m.to_string()).collect();
        let text = addon_config_sections(&all);
        let doc = Document::parse_str(&text).expect("well-formed");
        assert!(doc.root_element().is_some());
        assert_eq!(text.matches("name=\"webFarms\"").count(), 1, "{text}");
        assert!(text.contains(
            "<sectionGroup name=\"system.webServer\"><sectionGroup name=\"rewrite\"><section name=\"globalRules\" overrideModeDefault=\"Deny\" allowDefinition=\"AppHostOnly\" /></sectionGroup></sectionGroup>"
        ), "{text}");
        assert!(
            !text.contains("delegation"),
            "administration.config's: {text}"
        );
        let none = addon_config_sections(&[]);
        assert_eq!(none, "<configSections>\n</configSections>\n");
        let stock = stock_config_sections(&["aspNetCore".to_string()]);
        assert!(stock.contains("name=\"aspNetCore\""));
        assert!(stock.trim_end().ends_with("</configSections>"));
    }
}
