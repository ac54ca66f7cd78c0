//! Section names as people write them: the full name (`system.webServer/asp`), or a unique
//! short name made of its last parts (`asp`, `requestFiltering`,
//! `security/requestFiltering`), in any letter case.

use super::{Registry, SectionSchema};

/// A section name that names no loaded section, or more than one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SectionNameError {
    /// No loaded schema defines a section of this name.
    #[error("Unknown config section \"{name}\": no loaded schema defines it")]
    Unknown {
        /// The name as given (trimmed).
        name: String,
    },
    /// The short name ends more than one section's name.
    #[error("the section name \"{name}\" is ambiguous: {}", candidates.join(", "))]
    Ambiguous {
        /// The name as given (trimmed).
        name: String,
        /// Every section it could be, in name order.
        candidates: Vec<String>,
    },
}

/// The name as it is looked up: without surrounding whitespace and slashes.
pub fn trim_section_name(name: &str) -> &str {
    name.trim().trim_matches('/')
}

impl Registry {
    /// Resolves a section name: exact, or a unique short name made of its last parts
    /// (`asp`, `security/requestFiltering`), compared without regard to ASCII case.
    pub fn resolve_section(&self, name: &str) -> Result<&SectionSchema, SectionNameError> {
        let name = trim_section_name(name);
        if let Some(exact) = self.section(name) {
            return Ok(exact);
        }
        let lower = name.to_ascii_lowercase();
        let suffix = format!("/{lower}");
        let mut found: Vec<&SectionSchema> = self
            .sections
            .iter()
            .filter(|(s, _)| {
                let l = s.to_ascii_lowercase();
                l == lower || l.ends_with(&suffix)
            })
            .map(|(s, section)| section.get(s))
            .collect();
        if found.len() > 1 {
            let mut candidates: Vec<String> = found.iter().map(|s| s.name.clone()).collect();
            candidates.sort();
            return Err(SectionNameError::Ambiguous {
                name: name.to_string(),
                candidates,
            });
        }
        found.pop().ok_or_else(|| SectionNameError::Unknown {
            name: name.to_string(),
        })
    }
}

/// Section groups whose sections win a short name that several sections end with, in
/// order: `requestFiltering` is the web server's (CIS hardening scripts rely on
/// `/section:requestfiltering`), not the FTP server's.
pub const PREFERRED_GROUPS: [&str; 3] = [
    "system.webServer/",
    "system.webServer/security/",
    "system.webServer/security/authentication/",
];

impl Registry {
    /// Resolves a section name as appcmd and the CLI do: exact or short (`asp`), in any
    /// letter case; a short name that ends several sections' names resolves to the one
    /// directly under the first of [`PREFERRED_GROUPS`] that has one.
    pub fn section_named(&self, name: &str) -> Result<&SectionSchema, SectionNameError> {
        match self.resolve_section(name) {
            Err(SectionNameError::Ambiguous { name, candidates }) => {
                let preferred = PREFERRED_GROUPS.iter().find_map(|group| {
                    candidates.iter().find(|c| {
                        c.get(..group.len())
                            .is_some_and(|p| p.eq_ignore_ascii_case(group))
                            && c.get(group.len()..).is_some_and(|rest| !rest.contains('/'))
                    })
                });
                match preferred.and_then(|p| self.section(p)) {
                    Some(section) => Ok(section),
                    None => Err(SectionNameError::Ambiguous { name, candidates }),
                }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_SECTIONS: &str = r#"<configSchema>
  <sectionSchema name="system.webServer/security/requestFiltering"><attribute name="a" type="bool" /></sectionSchema>
  <sectionSchema name="system.ftpServer/security/requestFiltering"><attribute name="a" type="bool" /></sectionSchema>
</configSchema>"#;

    fn resolved(registry: &Registry, name: &str) -> Result<String, SectionNameError> {
        registry.resolve_section(name).map(|s| s.name.clone())
    }

    #[test]
    fn resolves_full_and_short_names_in_any_case() {
        let registry = Registry::embedded();
        for name in [
            "system.webServer/asp",
            " /system.webServer/asp/ ",
            "asp",
            "ASP",
        ] {
            assert_eq!(
                resolved(&registry, name).as_deref(),
                Ok("system.webServer/asp"),
                "{name}"
            );
        }
    }

    #[test]
    fn an_unknown_name_is_reported_as_given() {
        let registry = Registry::embedded();
        assert_eq!(
            resolved(&registry, " nosuch/ "),
            Err(SectionNameError::Unknown {
                name: "nosuch".into()
            })
        );
        assert_eq!(
            resolved(&registry, "p").unwrap_err().to_string(),
            "Unknown config section \"p\": no loaded schema defines it"
        );
    }

    #[test]
    fn an_ambiguous_short_name_lists_every_candidate() {
        let registry =
            Registry::with_files(&[("two.xml".to_string(), TWO_SECTIONS.as_bytes().to_vec())])
                .unwrap();
        let err = resolved(&registry, "requestfiltering").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the section name \"requestfiltering\" is ambiguous: system.ftpServer/security/requestFiltering, system.webServer/security/requestFiltering"
        );
        assert_eq!(
            resolved(&registry, "system.WEBSERVER/security/requestFiltering").as_deref(),
            Ok("system.webServer/security/requestFiltering")
        );
    }
}
