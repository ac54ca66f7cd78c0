//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! The crate is layered one way down:
//!
//! * [`xml`] — a lossless XML document: every token keeps its span in the source, printing
//!   an unedited document reproduces its bytes, and edits touch only their own tokens.
//! * [`value`] — IIS value types (bool, uint, int, int64, string, timeSpan, enum, flags)
//!   with IIS parsing and formatting rules, and the schema validators.
//! * [`schema`] — IIS-format schema files: the loader, fragments merged across files, the
//!   project's embedded schema and its descriptions.
//! * [`config`] — one configuration file: its section declarations, `<location>` tags and
//!   section instances.
//! * [`engine`] — the hierarchy of applicationHost.config and its web.config files, the
//!   effective configuration with provenance, the IIS rules, and commit-target planning.
//! * [`diagnostic`] — findings with stable rule ids, severities and positions.
//! * [`lint`] — the linter: inputs, suppressions, configuration and renderers.
//! * [`edit`] — transactions: validated, minimal-diff edits written atomically.
//! * [`generate`] — default configuration from the schema: defaults templates, a minimal
//!   applicationHost.config and web.config.
//! * [`docs`] — schema documentation export: Markdown, HTML, XSD and JSON.
//! * [`model`] — typed views of the headline sections (`AspSession`, `FtpSession`);
//!   [`runtime`] — providers of live FTP sessions.
//!
//! The library never prints and never exits; every error is typed and carries a position.

pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod edit;
pub mod engine;
pub mod generate;
pub mod lint;
pub mod model;
pub mod runtime;
pub mod schema;
pub mod value;
pub mod xml;
