//! Protected (encrypted) sections: `configProtectionProvider="…"` with an `<EncryptedData>`
//! in the XML Encryption namespace, as aspnet_regiis and IIS store them. Their content
//! cannot be read, so it is not checked or shown; the provider must be one the hierarchy
//! declares in `configProtectedData` (or one of .NET's own).

use super::{paths, EngineError, Hierarchy, LayerRef};
use crate::config::ConfigFile;
use crate::diagnostic::{Finding, Rule};
use iisconf_xml::NodeId;

/// The attribute naming the provider of a protected section.
pub const PROTECTION_ATTRIBUTE: &str = "configProtectionProvider";

/// The providers .NET's machine.config declares (always there for .NET sections).
const DOTNET_PROVIDERS: [&str; 2] = [
    "RsaProtectedConfigurationProvider",
    "DataProtectionConfigurationProvider",
];

/// The provider of the section element `node`, when it is protected.
pub fn protection_provider(file: &ConfigFile, node: NodeId) -> Option<String> {
    file.doc
        .attribute_value(node, PROTECTION_ATTRIBUTE)
        .map(|p| p.trim().to_string())
}

impl Hierarchy {
    /// The providers declared in the `configProtectedData` sections of the hierarchy, or
    /// `None` when it holds none (then any provider may be declared elsewhere).
    fn declared_providers(&self) -> Option<Vec<String>> {
        let mut found = false;
        let mut names = Vec::new();
        for file in &self.files {
            for inst in file
                .sections
                .iter()
                .filter(|s| &*s.name == "configProtectedData")
            {
                found = true;
                let Some(providers) = file.doc.child_element(inst.node, "providers") else {
                    continue;
                };
                for add in file.doc.child_elements(providers) {
                    if file.doc.name(add) == "add" {
                        if let Some(name) = file.doc.attribute_value(add, "name") {
                            names.push(name.trim().to_string());
                        }
                    }
                }
            }
        }
        found.then_some(names)
    }

    /// The findings of a protected section instance: one saying its content is not checked,
    /// and an error when its provider is not declared. Whether the instance is protected.
    pub(super) fn check_protected(&self, layer: LayerRef, findings: &mut Vec<Finding>) -> bool {
        let Some(file) = self.files.get(layer.file) else {
            return false;
        };
        let Some(inst) = file.sections.get(layer.instance) else {
            return false;
        };
        let Some(provider) = protection_provider(file, inst.node) else {
            return false;
        };
        let (place, span) = file.attribute_place(inst.node, PROTECTION_ATTRIBUTE);
        findings.push(
            Finding::new(
                Rule::EncryptedSection,
                place.clone(),
                format!(
                    "the section '{}' is encrypted (configProtectionProvider=\"{provider}\"); its content cannot be checked",
                    inst.name
                ),
            )
            .with_span(span),
        );
        if let Some(declared) = self.declared_providers() {
            let known = declared
                .iter()
                .chain(
                    DOTNET_PROVIDERS
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .any(|p| p.eq_ignore_ascii_case(&provider));
            if !known {
                let (place, span) = file.value_place(inst.node, PROTECTION_ATTRIBUTE);
                findings.push(
                    Finding::new(
                        Rule::UnknownProtectionProvider,
                        place,
                        format!("the protected configuration provider '{provider}' is not declared in configProtectedData"),
                    )
                    .with_span(span)
                    .with_help(format!(
                        "declared: {}",
                        if declared.is_empty() {
                            "none".to_string()
                        } else {
                            declared.join(", ")
                        }
                    )),
                );
            }
        }
        true
    }

    /// An error when `section` is encrypted at config path `path` or above it: its content
    /// cannot be read, so no effective configuration can be shown.
    pub(super) fn refuse_protected(&self, path: &str, section: &str) -> Result<(), EngineError> {
        let mut level = Some(path);
        while let Some(at) = level {
            for layer in self.layers_at(at, section) {
                let file = &self.files[layer.file];
                let Some(inst) = file.sections.get(layer.instance) else {
                    continue;
                };
                if let Some(provider) = protection_provider(file, inst.node) {
                    let line = file.doc.node_position(inst.node).map_or(0, |p| p.line);
                    return Err(EngineError::Encrypted {
                        section: section.to_string(),
                        place: format!("{}:{line}", file.name),
                        provider,
                    });
                }
            }
            level = paths::parent_path(at);
        }
        Ok(())
    }
}
