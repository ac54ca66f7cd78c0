//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! The crate is layered one way down:
//!
//! * [`xml`] — a lossless XML document: every token keeps its span in the source, printing
//!   an unedited document reproduces its bytes, and edits touch only their own tokens.
//! * [`value`] — IIS value types (bool, uint, int, int64, string, timeSpan, enum, flags)
//!   with IIS parsing and formatting rules, and the schema validators.
//!
//! * [`generate`] — default configuration from the schema: defaults templates, a minimal
//!   applicationHost.config and web.config.
//! * [`docs`] — schema documentation export: Markdown, HTML, XSD and JSON.
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
