//! Section declarations (`<configSections>`): what a stock applicationHost.config says about
//! each section (allowDefinition, overrideModeDefault, allowLocation), with defaults for
//! sections a stock file does not list.

use iisconf_core::config::{AllowDefinition, ConfigFile, Declaration, OverrideMode};
use iisconf_core::schema::{addon_config_sections, Registry, ADDON_MODULES, STOCK_DECLARATIONS};
use iisconf_xml::NodeId;
use std::collections::BTreeMap;

/// A section's declaration ([`Declaration`]) as a stock applicationHost.config writes it:
/// which attributes are written, and where it comes from. The declarations' texts are not
/// kept: `declaration.node` names no node of any document here.
#[derive(Clone, Debug)]
pub struct StockDeclaration {
    /// The declaration, with the IIS defaults for attributes not written.
    pub declaration: Declaration,
    /// Which attributes the `<section>` element writes.
    pub written: WrittenAttributes,
    /// Where it comes from.
    pub source: DeclarationSource,
}

/// Which of a `<section>` element's attributes are written (the others take their defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WrittenAttributes {
    /// `allowDefinition` (default `Everywhere`).
    pub allow_definition: bool,
    /// `overrideModeDefault` (default `Allow`).
    pub override_mode_default: bool,
    /// `allowLocation` (default `true`).
    pub allow_location: bool,
}

/// Where a [`StockDeclaration`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeclarationSource {
    /// The `<configSections>` of a stock IIS 10 applicationHost.config.
    Stock,
    /// The declarations the installers of the embedded add-on modules write.
    Embedded,
    /// Not declared by a stock applicationHost.config: iisconf's default for its group.
    Default,
}

/// `allowDefinition`'s value as IIS writes it.
pub fn allow_definition_text(value: AllowDefinition) -> &'static str {
    match value {
        AllowDefinition::MachineOnly => "MachineOnly",
        AllowDefinition::MachineToWebRoot => "MachineToWebRoot",
        AllowDefinition::MachineToApplication => "MachineToApplication",
        AllowDefinition::AppHostOnly => "AppHostOnly",
        AllowDefinition::Everywhere => "Everywhere",
    }
}

/// An override mode as IIS writes it.
pub fn override_mode_text(value: OverrideMode) -> &'static str {
    match value {
        OverrideMode::Allow => "Allow",
        OverrideMode::Deny => "Deny",
        OverrideMode::Inherit => "Inherit",
    }
}

impl StockDeclaration {
    /// Full section path, e.g. `system.webServer/asp`.
    pub fn name(&self) -> &str {
        &self.declaration.name
    }

    /// Whether the section is locked by default (`overrideModeDefault="Deny"`).
    pub fn is_locked(&self) -> bool {
        self.declaration.override_mode_default == OverrideMode::Deny
    }

    /// Whether the section may only be set in applicationHost.config.
    pub fn is_apphost_only(&self) -> bool {
        self.declaration.allow_definition == AllowDefinition::AppHostOnly
    }

    /// `allowDefinition` when written.
    pub fn allow_definition(&self) -> Option<&'static str> {
        self.written
            .allow_definition
            .then(|| allow_definition_text(self.declaration.allow_definition))
    }

    /// `overrideModeDefault` when written.
    pub fn override_mode_default(&self) -> Option<&'static str> {
        self.written
            .override_mode_default
            .then(|| override_mode_text(self.declaration.override_mode_default))
    }

    /// `allowLocation` when written.
    pub fn allow_location(&self) -> Option<&'static str> {
        self.written
            .allow_location
            .then_some(if self.declaration.allow_location {
                "true"
            } else {
                "false"
            })
    }

    /// The written attributes, in IIS order (allowDefinition, overrideModeDefault, allowLocation).
    pub fn attributes(&self) -> Vec<(String, String)> {
        [
            ("allowDefinition", self.allow_definition()),
            ("overrideModeDefault", self.override_mode_default()),
            ("allowLocation", self.allow_location()),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_string(), value?.to_string())))
        .collect()
    }
}

/// Reads a `<configSections>` text into declarations by full section path, noting which
/// attributes are written.
pub fn parse_declarations(
    text: &str,
    source: DeclarationSource,
) -> BTreeMap<String, StockDeclaration> {
    let Ok(file) = ConfigFile::from_declarations("declarations", text, "") else {
        return BTreeMap::new();
    };
    file.declarations
        .iter()
        .map(|d| {
            let written = |k: &str| file.doc.attribute_value(d.node, k).is_some();
            let declaration = StockDeclaration {
                declaration: d.clone(),
                written: WrittenAttributes {
                    allow_definition: written("allowDefinition"),
                    override_mode_default: written("overrideModeDefault"),
                    allow_location: written("allowLocation"),
                },
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
pub fn default_declaration(section: &str) -> StockDeclaration {
    let (allow_definition, override_mode_default) =
        if section.starts_with("system.applicationHost/") {
            (Some(AllowDefinition::AppHostOnly), Some(OverrideMode::Deny))
        } else if section.starts_with("system.ftpServer/") {
            (None, Some(OverrideMode::Deny))
        } else if section.starts_with("system.webServer/") {
            (None, Some(OverrideMode::Allow))
        } else {
            (None, None)
        };
    StockDeclaration {
        declaration: Declaration {
            name: section.to_string(),
            allow_definition: allow_definition.unwrap_or(AllowDefinition::Everywhere),
            override_mode_default: override_mode_default.unwrap_or(OverrideMode::Allow),
            allow_location: true,
            node: NodeId::DOCUMENT,
        },
        written: WrittenAttributes {
            allow_definition: allow_definition.is_some(),
            override_mode_default: override_mode_default.is_some(),
            allow_location: false,
        },
        source: DeclarationSource::Default,
    }
}

/// Stock and embedded declarations, by section path.
#[derive(Clone, Debug)]
pub struct Declarations {
    known: BTreeMap<String, StockDeclaration>,
}

impl Default for Declarations {
    fn default() -> Self {
        Declarations::stock()
    }
}

impl Declarations {
    /// The stock IIS 10 declarations, completed by the add-on modules' own.
    pub fn stock() -> Declarations {
        let mut known = parse_declarations(STOCK_DECLARATIONS, DeclarationSource::Stock);
        let addons: Vec<String> = ADDON_MODULES.iter().map(|m| m.to_string()).collect();
        let addon_text = addon_config_sections(&addons);
        for (name, d) in parse_declarations(&addon_text, DeclarationSource::Embedded) {
            known.entry(name).or_insert(d);
        }
        Declarations { known }
    }

    /// The declaration of `section`: stock or embedded when known, else the default.
    pub fn get(&self, section: &str) -> StockDeclaration {
        self.known
            .get(section)
            .cloned()
            .unwrap_or_else(|| default_declaration(section))
    }

    /// A declaration for every section of the registry, in section-name order.
    pub fn for_registry(&self, registry: &Registry) -> Vec<StockDeclaration> {
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
