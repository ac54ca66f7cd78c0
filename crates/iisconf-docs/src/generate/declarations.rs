//! Section declarations (`<configSections>`): what a stock applicationHost.config says about
//! each section (allowDefinition, overrideModeDefault, allowLocation), with defaults for
//! sections a stock file does not list.

use iisconf_core::config::ConfigFile;
use iisconf_core::schema::{Registry, EMBEDDED_DECLARATIONS, STOCK_DECLARATIONS};
use std::collections::BTreeMap;

/// How one section is declared.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Declaration {
    /// Full section path, e.g. `system.webServer/asp`.
    pub name: String,
    /// `allowDefinition` when not the default `Everywhere`.
    pub allow_definition: Option<String>,
    /// `overrideModeDefault` when written (`Allow` when absent).
    pub override_mode_default: Option<String>,
    /// `allowLocation` when written (`true` when absent).
    pub allow_location: Option<String>,
    /// Where the values come from.
    pub source: DeclarationSource,
}

/// Where a [`Declaration`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeclarationSource {
    /// The `<configSections>` of a stock IIS 10 applicationHost.config.
    Stock,
    /// The declarations shipped with the embedded schema.
    Embedded,
    /// Not declared by a stock applicationHost.config: iisconf's default for its group.
    Default,
}

impl Declaration {
    /// Whether the section is locked by default (`overrideModeDefault="Deny"`).
    pub fn is_locked(&self) -> bool {
        self.override_mode_default
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("Deny"))
    }

    /// Whether the section may only be set in applicationHost.config.
    pub fn is_apphost_only(&self) -> bool {
        self.allow_definition
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("AppHostOnly"))
    }

    /// The written attributes, in IIS order (allowDefinition, overrideModeDefault, allowLocation).
    pub fn attributes(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(v) = &self.allow_definition {
            out.push(("allowDefinition".to_string(), v.clone()));
        }
        if let Some(v) = &self.override_mode_default {
            out.push(("overrideModeDefault".to_string(), v.clone()));
        }
        if let Some(v) = &self.allow_location {
            out.push(("allowLocation".to_string(), v.clone()));
        }
        out
    }
}

/// Reads a `<configSections>` text into declarations by full section path, keeping each
/// attribute as written.
pub fn parse_declarations(text: &str, source: DeclarationSource) -> BTreeMap<String, Declaration> {
    let Ok(file) = ConfigFile::from_declarations("declarations", text, "") else {
        return BTreeMap::new();
    };
    file.declarations
        .iter()
        .map(|d| {
            let get = |k: &str| file.doc.attribute_value(d.node, k).map(|v| v.into_owned());
            let declaration = Declaration {
                name: d.name.clone(),
                allow_definition: get("allowDefinition"),
                override_mode_default: get("overrideModeDefault"),
                allow_location: get("allowLocation"),
                source,
            };
            (d.name.clone(), declaration)
        })
        .collect()
}

/// Section groups whose sections a real server declares outside applicationHost.config
/// (machine.config for the .NET groups, administration.config for the management sections).
pub fn declared_elsewhere(section: &str) -> bool {
    let top = section.split('/').next().unwrap_or(section);
    let in_apphost_group = matches!(
        top,
        "system.applicationHost" | "system.webServer" | "system.ftpServer"
    );
    !in_apphost_group || section.starts_with("system.webServer/management/")
}

/// iisconf's declaration for a section a stock applicationHost.config does not list:
/// `system.applicationHost/*` AppHostOnly and Deny (like every stock section of that group),
/// `system.ftpServer/*` Deny, anything else the IIS defaults (Everywhere, Allow).
pub fn default_declaration(section: &str) -> Declaration {
    let (allow_definition, override_mode_default) =
        if section.starts_with("system.applicationHost/") {
            (Some("AppHostOnly"), Some("Deny"))
        } else if section.starts_with("system.ftpServer/") {
            (None, Some("Deny"))
        } else if section.starts_with("system.webServer/") {
            (None, Some("Allow"))
        } else {
            (None, None)
        };
    Declaration {
        name: section.to_string(),
        allow_definition: allow_definition.map(str::to_string),
        override_mode_default: override_mode_default.map(str::to_string),
        allow_location: None,
        source: DeclarationSource::Default,
    }
}

/// Stock and embedded declarations, by section path.
#[derive(Clone, Debug)]
pub struct Declarations {
    known: BTreeMap<String, Declaration>,
}

impl Default for Declarations {
    fn default() -> Self {
        Declarations::stock()
    }
}

impl Declarations {
    /// The stock IIS 10 declarations, completed by the embedded schema's own.
    pub fn stock() -> Declarations {
        let mut known = parse_declarations(STOCK_DECLARATIONS, DeclarationSource::Stock);
        for (name, d) in parse_declarations(EMBEDDED_DECLARATIONS, DeclarationSource::Embedded) {
            known.entry(name).or_insert(d);
        }
        Declarations { known }
    }

    /// The declaration of `section`: stock or embedded when known, else the default.
    pub fn get(&self, section: &str) -> Declaration {
        self.known
            .get(section)
            .cloned()
            .unwrap_or_else(|| default_declaration(section))
    }

    /// A declaration for every section of the registry, in section-name order.
    pub fn for_registry(&self, registry: &Registry) -> Vec<Declaration> {
        registry.sections().map(|s| self.get(&s.name)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_declarations_are_read() {
        let d = Declarations::stock();
        let asp = d.get("system.webServer/asp");
        assert!(asp.is_locked());
        assert_eq!(asp.source, DeclarationSource::Stock);
        let sites = d.get("system.applicationHost/sites");
        assert!(sites.is_apphost_only());
        let anon = d.get("system.webServer/security/authentication/anonymousAuthentication");
        assert!(anon.is_locked());
        let rewrite = d.get("system.applicationHost/somethingNew");
        assert_eq!(rewrite.source, DeclarationSource::Default);
        assert!(rewrite.is_apphost_only() && rewrite.is_locked());
    }

    #[test]
    fn elsewhere() {
        assert!(declared_elsewhere("system.web/compilation"));
        assert!(declared_elsewhere("appSettings"));
        assert!(declared_elsewhere(
            "system.webServer/management/authorization"
        ));
        assert!(!declared_elsewhere("system.webServer/asp"));
    }
}
