//! Default configuration from the schema: templates of a section's or element's defaults
//! (`iisconf defaults`), a minimal applicationHost.config and web.config (`iisconf new`),
//! the section declarations a stock server uses, and atomic file writing.

mod apphost;
mod declarations;
mod template;
mod write;
pub(crate) mod writer;

pub use apphost::{
    new_apphost, new_apphost_without_sites, new_webconfig, ApphostOptions, SiteSpec, DEFAULT_POOL,
};
pub use declarations::{DeclarationSource, Declarations, StockDeclaration, WrittenAttributes};
pub use template::{
    defaults_template, file_name, writable_default, write_element, TemplateOptions,
};
pub use write::{write_atomic, WriteError};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The path names no section or element of the loaded schema.
    #[error("no section or element `{path}` in the loaded schema")]
    UnknownPath {
        /// The path asked for.
        path: String,
    },
    /// The path names runtime data, which is never configured.
    #[error("`{path}` is runtime data supplied by the server (extension=…): it is never written to a configuration file")]
    Runtime {
        /// The path asked for.
        path: String,
    },
    /// A `--site` value that cannot be used.
    #[error("invalid site `{spec}`: {reason}")]
    InvalidSite {
        /// The value given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
}
