//! The other files of IIS's config folder, read at applicationHost.config's level
//! (MACHINE/WEBROOT/APPHOST): `administration.config` (IIS Manager's configuration, with
//! the management sections it declares) and `redirection.config` (shared configuration,
//! whose `configurationRedirection` says where the configuration really lives).

use super::{ConfigPath, FileId, Hierarchy};
use crate::config::ConfigFile;
use crate::diagnostic::{Finding, Rule};
use std::path::Path;

/// The files beside applicationHost.config that are read at its level.
pub const COMPANION_FILES: [&str; 2] = [ADMINISTRATION, "redirection.config"];

/// IIS Manager's configuration file, read as MACHINE/WEBROOT's.
const ADMINISTRATION: &str = "administration.config";

/// The section of redirection.config that moves the configuration elsewhere.
const REDIRECTION_SECTION: &str = "configurationRedirection";

/// Whether `path` names one of [`COMPANION_FILES`] (any case).
pub fn is_companion_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| COMPANION_FILES.iter().any(|c| c.eq_ignore_ascii_case(n)))
}

/// The companion files beside `apphost` that exist, read (or the finding for one that is
/// not well-formed or cannot be read).
pub(super) fn read_companions(apphost: &Path, notes: &mut Vec<Finding>) -> Vec<ConfigFile> {
    let folder = apphost.parent().unwrap_or(Path::new(""));
    let mut files = Vec::new();
    for name in COMPANION_FILES {
        let path = folder.join(name);
        if !path.is_file() {
            continue;
        }
        match super::read_config(&path) {
            Ok(file) => files.push(file),
            Err(super::EngineError::Parse { file, error }) => {
                notes.push(Finding::not_well_formed(&file, &error))
            }
            Err(_) => {}
        }
    }
    files
}

impl Hierarchy {
    /// Whether file `fi` is read at the server level as part of applicationHost.config:
    /// applicationHost.config itself (or the stock declarations standing in for it), the
    /// files of its folder read at its level, and the configSource files they name.
    pub(super) fn is_apphost_file(&self, fi: usize) -> bool {
        FileId::new(fi).is_apphost() || self.levels.get(fi).is_some_and(ConfigPath::is_server)
    }

    /// Whether file `fi` is administration.config read at the server level. IIS reads it
    /// as the configuration of MACHINE/WEBROOT (Microsoft.Web.Administration's
    /// `GetAdministrationConfiguration`), so the sections it declares
    /// `allowDefinition="MachineToWebRoot"` (`moduleProviders`,
    /// `system.webServer/management/*`) may be set in it.
    pub(super) fn is_administration_file(&self, fi: usize) -> bool {
        self.is_apphost_file(fi)
            && self.files.get(fi).is_some_and(|f| {
                Path::new(&*f.name)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.eq_ignore_ascii_case(ADMINISTRATION))
            })
    }

    /// Whether file `fi` is a real file of applicationHost.config's level (the stock
    /// declarations are not).
    pub(super) fn in_apphost_file(&self, fi: usize) -> bool {
        if FileId::new(fi).is_apphost() {
            self.real_apphost
        } else {
            self.is_apphost_file(fi)
        }
    }

    /// A hierarchy for a file of the config folder read on its own (administration.config,
    /// redirection.config): at the server level, under the stock declarations.
    pub fn companion(registry: crate::schema::Registry, file: ConfigFile) -> Hierarchy {
        let stock = super::open::stock_apphost(&registry);
        Hierarchy::build(
            registry,
            vec![stock, file],
            vec![ConfigPath::server(), ConfigPath::server()],
            false,
            std::sync::Arc::default(),
            Vec::new(),
        )
        .with_config_sources()
    }

    /// The note for an enabled `configurationRedirection`: the configuration really lives
    /// at its path, which is not there to read.
    pub(super) fn check_redirection(&self, fi: usize, ii: usize, findings: &mut Vec<Finding>) {
        let Some(file) = self.files.get(fi) else {
            return;
        };
        let Some(inst) = file.sections.get(ii) else {
            return;
        };
        if &*inst.name != REDIRECTION_SECTION {
            return;
        }
        let enabled = file
            .doc
            .attribute_value(inst.node, "enabled")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if !enabled {
            return;
        }
        let path = file
            .doc
            .attribute_value(inst.node, "path")
            .map(|p| p.trim().to_string())
            .unwrap_or_default();
        let (place, span) = file.attribute_place(inst.node, "path");
        findings.push(
            Finding::new(
                Rule::ConfigRedirected,
                place,
                format!("the configuration is redirected to \"{path}\" (shared configuration): applicationHost.config and administration.config there are the ones IIS reads, and they are not checked here"),
            )
            .with_span(span)
            .with_help("lint a copy of the shared folder's applicationHost.config with --apphost"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_companion_file;
    use std::path::Path;

    #[test]
    fn companions_are_known_by_name() {
        assert!(is_companion_file(Path::new("config/administration.config")));
        assert!(is_companion_file(Path::new("Redirection.CONFIG")));
        assert!(!is_companion_file(Path::new("applicationHost.config")));
        assert!(!is_companion_file(Path::new("web.config")));
    }
}
