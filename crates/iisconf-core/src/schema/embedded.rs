//! The rest of the schema embedded in the binary: the fact files compiled by build.rs, the
//! descriptions, and the section declarations the add-on installers write
//! (`schema/addon_sections.xml`), selected by module. The fact files themselves are listed in
//! `fact_files`.

use iisconf_xml::Document;
use std::collections::HashSet;

/// The archive build.rs writes: every file of [`EMBEDDED_SCHEMA`](super::EMBEDDED_SCHEMA) as
/// the loader reads it (see `archive`).
pub(super) const COMPILED_FACTS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/facts.postcard"));

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
    use crate::schema::ADDON_MODULES;

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
