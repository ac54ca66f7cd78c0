//! What can go wrong reading schema files: warnings for quirks that do not stop loading, and
//! errors for files that cannot be used at all.

use super::fact_files::ADDON_MODULES;

/// A problem in a schema file that does not stop loading.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SchemaWarning {
    /// The schema file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is odd and how it was read.
    pub message: String,
}

impl std::fmt::Display for SchemaWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A schema file that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file or folder cannot be read.
    #[error("{path}: cannot read schema: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not well-formed XML.
    #[error("{file}:{}: schema file is not well-formed XML: {}", error.position, error.message)]
    Parse {
        /// The file.
        file: String,
        /// The parse error.
        error: iisconf_xml::ParseError,
    },
    /// A module name that is not one of [`ADDON_MODULES`].
    #[error("unknown module `{name}`: the add-on modules are {}", ADDON_MODULES.join(", "))]
    UnknownModule {
        /// The name as given.
        name: String,
    },
    /// The root element is not `<configSchema>`.
    #[error(
        "{file}: not an IIS schema file: the root element is <{found}>, expected <configSchema>"
    )]
    NotASchema {
        /// The file.
        file: String,
        /// The root element found.
        found: String,
    },
}
