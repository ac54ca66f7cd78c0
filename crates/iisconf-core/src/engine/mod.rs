//! The rules engine: the configuration hierarchy of an applicationHost.config and the
//! web.config files below its sites, the effective configuration of a section at any path
//! (with provenance), the IIS rules (locks, allowDefinition, locations, duplicates…) and
//! commit-target planning.

mod caseless;
mod check;
pub mod commit;
mod companions;
mod derive;
pub mod effective;
mod findings;
mod fixes;
mod inherited;
mod layers;
mod like;
mod lock_state;
mod machine;
mod open;
pub mod paths;
mod protected;
pub mod render;
mod resolve;
mod rewritten;
mod sites;
mod sources;
mod states;
#[cfg(test)]
mod test_files;
pub mod typed;
mod validate;

pub use companions::{is_companion_file, COMPANION_FILES};
pub use effective::{EffectiveAttribute, EffectiveElement, EffectiveEntry, Provenance};
pub use lock_state::SectionLockState;
pub use machine::sections as machine_sections;
pub use open::{read_config, read_config_pair, STANDALONE_SITE};
pub use paths::{display_config_path, normalize_config_path, ConfigPath, Mapped, PathMapper};
pub use protected::{protection_provider, PROTECTION_ATTRIBUTE};
pub use sites::{Application, Site, VirtualDirectory};
pub use sources::{names_config_source, CONFIG_SOURCE};

use crate::config::{AllowDefinition, ConfigFile, Declaration, SectionCatalog};
use crate::diagnostic::{Finding, Rule};
use crate::schema::{Registry, SchemaError};
use caseless::CaselessIndex;
use check::SECTION_LOCKED_TEXT;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the hierarchy comes from.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// applicationHost.config to read.
    pub apphost: Option<PathBuf>,
    /// Windows path prefix → local folder.
    pub root_maps: Vec<(String, PathBuf)>,
    /// Extra `%VARIABLES%` for physical paths.
    pub env: Vec<(String, String)>,
}

impl Options {
    /// The applicationHost.config these options name: `apphost`, else `$IISCONF_APPHOST`,
    /// else `./applicationHost.config`. A writer locks it
    /// ([`crate::atomic_file::WriteGuard`]) before it opens the hierarchy.
    pub fn apphost_path(&self) -> PathBuf {
        self.apphost
            .clone()
            .or_else(|| std::env::var_os("IISCONF_APPHOST").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("applicationHost.config"))
    }
}

/// Errors opening a hierarchy or answering a question about it.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A file cannot be read.
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not well-formed.
    #[error("{file}:{}: {}", error.position, error.message)]
    Parse {
        /// The file.
        file: String,
        /// The error.
        error: iisconf_xml::ParseError,
    },
    /// A schema problem.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The section has no schema.
    #[error("The configuration section '{0}' cannot be read because it is missing schema")]
    NoSchema(String),
    /// The path names no site.
    #[error("Unrecognized configuration path '{0}'")]
    UnknownPath(String),
    /// A change at the server level, with no applicationHost.config open (web.config
    /// files read on their own).
    #[error("no applicationHost.config is open")]
    NoApphost,
    /// A commit path that is neither the edited path nor one of its parents.
    #[error("the commit path {commit} is not {path} or one of its parents")]
    CommitPathNotAbove {
        /// The commit path (display form).
        commit: String,
        /// The edited path (display form).
        path: String,
    },
    /// A section whose allowDefinition keeps it out of a web.config at the path.
    #[error("The configuration section '{section}' cannot be set in a web.config at {path} (allowDefinition=\"{allow_definition:?}\"); {}", apphost_hint(.location))]
    NotAllowedHere {
        /// The section.
        section: String,
        /// The edited path (display form).
        path: String,
        /// Where the declaration allows the section.
        allow_definition: AllowDefinition,
        /// The edited path as a location path of applicationHost.config.
        location: String,
    },
    /// A section locked above the file a change would go to.
    #[error("{SECTION_LOCKED_TEXT}\n{lock}; {}", apphost_hint(.location))]
    SectionLocked {
        /// Where the lock comes from.
        lock: String,
        /// The edited path as a location path of applicationHost.config.
        location: String,
    },
    /// No virtual directory of the site serves the path.
    #[error("no virtual directory serves {0}")]
    NoVirtualDirectory(String),
    /// A web.config IIS would not read: below the folder of a virtual directory with
    /// allowSubDirConfig="false".
    #[error("IIS does not read a web.config at {path}: the virtual directory {virtual_directory} has allowSubDirConfig=\"false\", so web.config files below its folder are ignored; commit in its folder's web.config (commit path \"{commit}\") or in applicationHost.config (the apphost commit target)")]
    SubDirConfigIgnored {
        /// The config path of the web.config (display form).
        path: String,
        /// The config path of the virtual directory (display form).
        virtual_directory: String,
        /// The config path of the virtual directory, as a commit path.
        commit: String,
    },
    /// The physical path serving a config path maps to no local folder.
    #[error("the physical path \"{physical}\" of {path} maps to no local folder")]
    Unmapped {
        /// The physical path (Windows form).
        physical: String,
        /// The config path (display form).
        path: String,
    },
    /// A physical path whose mapping leaves its mapped root.
    #[error("the physical path \"{0}\" leaves its mapped root; refused")]
    EscapesRoot(String),
    /// A section stored encrypted: its content cannot be read or edited.
    #[error("the section '{section}' is encrypted at {place} (configProtectionProvider=\"{provider}\"): its content cannot be read or edited here; decrypt it first (aspnet_regiis -pd)")]
    Encrypted {
        /// The section.
        section: String,
        /// Where the protected section element is (`file:line`).
        place: String,
        /// The provider.
        provider: String,
    },
    /// A value that does not parse as its schema type.
    #[error(transparent)]
    Typed(#[from] typed::TypedError),
}

/// The way out of a web.config target that cannot hold a section: its applicationHost.config
/// location, named by the commit target and not by any front end's flag (the CLI words it
/// as its flag).
fn apphost_hint(location: &str) -> String {
    format!(
        "commit it to applicationHost.config instead (the apphost commit target), which writes <location path=\"{location}\"> there"
    )
}

/// Identifies a file of a hierarchy: its place in [`Hierarchy::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

impl FileId {
    /// applicationHost.config (or, for web.config files read on their own, the stock
    /// declarations standing in for it): always the first file.
    pub const APPHOST: FileId = FileId(0);

    /// The file at `index` in [`Hierarchy::files`].
    pub const fn new(index: usize) -> FileId {
        FileId(index)
    }

    /// Its index in [`Hierarchy::files`].
    pub const fn index(self) -> usize {
        self.0
    }

    /// Whether it is applicationHost.config.
    pub const fn is_apphost(self) -> bool {
        self.0 == FileId::APPHOST.0
    }
}

/// Identifies one section instance: (file index, index in that file's `sections`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct LayerRef {
    pub file: usize,
    pub instance: usize,
}

/// A configuration hierarchy.
pub struct Hierarchy {
    registry: Registry,
    files: Vec<ConfigFile>,
    /// The config path each file sits at (`""` for applicationHost.config).
    levels: Vec<ConfigPath>,
    /// The config path of each location tag of each file (the file's level for index 0).
    location_levels: Vec<Vec<Arc<str>>>,
    /// Whether [`FileId::APPHOST`] is a real applicationHost.config (not the stock
    /// declarations).
    real_apphost: bool,
    /// Declarations by section name: (file, index), the highest file first (shared with
    /// the stock base of standalone hierarchies until a file adds its own).
    declarations: Arc<HashMap<String, (usize, usize)>>,
    /// Which element names are sections and which are groups (shared likewise).
    catalog: Arc<SectionCatalog>,
    /// The sites of applicationHost.config (shared with a hierarchy opened like this one).
    sites: Arc<Vec<Site>>,
    /// Site index by name (case-insensitive).
    site_index: CaselessIndex,
    /// The section instances by section and level (shared likewise).
    layers: Arc<layers::LayerIndex>,
    /// Sections with a layer in a location tag with inheritInChildApplications="false".
    not_inherited: HashSet<Arc<str>>,
    /// Findings from building the hierarchy (unmapped physical paths…).
    notes: Vec<Finding>,
    /// Effective states by layer group.
    states: states::StateCache,
    /// Files edited or added since the hierarchy last derived from them.
    pending: derive::Pending,
    mapper: PathMapper,
    /// The configSource files read into the hierarchy.
    sources: Vec<sources::SourceLink>,
    /// Rules whose findings the caller does not want (see [`Hierarchy::skip_rules`]).
    skipped_rules: Vec<Rule>,
}

/// The effective configuration of one section at one path.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Effective {
    /// The section name.
    pub section: String,
    /// The config path (display form).
    pub path: String,
    /// The section element with every value.
    pub root: EffectiveElement,
    /// Why IIS would not serve these values at the path: the errors of the section there
    /// (the section or an attribute locked at a parent level, an invalid value, …). Empty
    /// when IIS serves them; [`Hierarchy::effective_unchecked`] leaves it empty without
    /// checking.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<crate::diagnostic::Finding>,
}

impl Effective {
    /// Whether IIS serves these values (no error refuses the section at the path).
    pub fn served(&self) -> bool {
        self.refused.is_empty()
    }
}

impl Hierarchy {
    /// The config path of location tag `location` of file `file`.
    fn location_level(&self, file: usize, location: usize) -> &Arc<str> {
        &self.location_levels[file][location]
    }

    /// The schema registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Every file of the hierarchy: applicationHost.config (or the stock declarations) first.
    pub fn files(&self) -> &[ConfigFile] {
        &self.files
    }

    /// The config path a file sits at.
    pub fn level_of(&self, file: FileId) -> &str {
        self.levels
            .get(file.index())
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    /// applicationHost.config (or the stock declarations standing in for it).
    pub fn apphost(&self) -> Option<&ConfigFile> {
        self.files.get(FileId::APPHOST.index())
    }

    /// Whether the hierarchy has a real applicationHost.config.
    pub fn has_apphost(&self) -> bool {
        self.real_apphost
    }

    /// The sites of applicationHost.config.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Whether a `<location inheritInChildApplications="false">` tag writes `section`
    /// somewhere: then what a level inherits depends on the applications in between.
    pub fn written_not_inherited(&self, section: &str) -> bool {
        self.not_inherited.contains(section)
    }

    /// Findings from building the hierarchy (physical paths that map nowhere…).
    pub fn notes(&self) -> &[Finding] {
        &self.notes
    }

    /// The declaration of a section and the file holding it.
    pub fn declaration(&self, section: &str) -> Option<(FileId, &Declaration)> {
        self.declarations
            .get(section)
            .and_then(|(f, d)| Some((FileId(*f), self.files.get(*f)?.declarations.get(*d)?)))
    }

    /// Whether `path` (normalised) is an application root (a site root counts).
    pub fn is_app_root(&self, path: &str) -> bool {
        let Some(site) = self.site_of(path) else {
            return false;
        };
        let rest = path.split_once('/').map_or("", |(_, rest)| rest);
        site.applications.iter().any(|app| {
            let app = app.path.trim_matches('/');
            app.eq_ignore_ascii_case(rest) && (!rest.is_empty() || site.name.len() == path.len())
        })
    }

    /// The site named by the first segment of `path` (case-insensitive).
    pub fn site_of(&self, path: &str) -> Option<&Site> {
        let first = path.split('/').next().unwrap_or("");
        self.site_index
            .get(first, |i| self.sites.get(i).map(|s| s.name.as_str()))
            .and_then(|i| self.sites.get(i))
    }

    /// Checks that a user-given path names the server or an existing site.
    pub fn check_path(&self, path: &str) -> Result<ConfigPath, EngineError> {
        let path = ConfigPath::new(path);
        if path.is_server() || self.site_of(path.as_str()).is_some() {
            Ok(path)
        } else {
            Err(EngineError::UnknownPath(path.display()))
        }
    }
}
