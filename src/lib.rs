//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! This crate is the facade over the workspace's library crates, which follow the flow one
//! way down (see ARCHITECTURE.md):
//!
//! * [`xml`] (`iisconf-xml`) — a lossless XML document: every token keeps its span in the
//!   source, printing an unedited document reproduces its bytes, and edits touch only their
//!   own tokens.
//! * `iisconf-core` — [`value`] (IIS value types and validators), [`schema`] (IIS-format
//!   schema files and the embedded schema), [`config`] (one configuration file), [`engine`]
//!   (the hierarchy, effective configuration with provenance, the IIS rules, commit
//!   planning) and [`diagnostic`] (findings with stable rule ids).
//! * [`edit`] (`iisconf-edit`) — transactions: validated, minimal-diff edits written
//!   atomically.
//! * [`diff`] (`iisconf-diff`) — two hierarchies compared by meaning, and the appcmd
//!   commands that turn one into the other.
//! * [`lint`] (`iisconf-lint`) — the linter: inputs, suppressions, configuration and
//!   renderers.
//! * [`docs`] and [`generate`] (`iisconf-docs`) — schema documentation and default
//!   configuration generated from the schema.
//! * [`xdt`] (`iisconf-xdt`) — XML-Document-Transform (`Web.Release.config`,
//!   `applicationHost.xdt`) applied to the lossless document, with Microsoft's log.
//! * [`lsp`] (`iisconf-lsp`) — the language server behind `iisconf lsp`.
//! * [`model`] — typed views of the headline sections (`AspSession` from `iisconf-core`,
//!   `FtpSession` from `iisconf-ftp`); [`runtime`] (`iisconf-ftp`) — providers of live FTP
//!   sessions.
//!
//! The library never prints and never exits; every error is typed and carries a position.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use iisconf_core::{atomic_file, config, diagnostic, engine, schema, value};
pub use iisconf_diff as diff;
pub use iisconf_docs::{docs, generate};
pub use iisconf_edit as edit;
pub use iisconf_ftp::runtime;
pub use iisconf_lint as lint;
pub use iisconf_lsp as lsp;
pub use iisconf_xdt as xdt;
pub use iisconf_xml as xml;

/// Typed views of the headline sections and of FTP session runtime data.
pub mod model {
    pub use iisconf_core::model::*;
    pub use iisconf_ftp::model::*;
}
