//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! The crate is layered one way down:
//!
//! * [`xml`] — a lossless XML document: every token keeps its span in the source, printing
//!   an unedited document reproduces its bytes, and edits touch only their own tokens.
//! * [`value`] — IIS value types (bool, uint, int, int64, string, timeSpan, enum, flags)
//!   with IIS parsing and formatting rules, and the schema validators.
//!
//! The library never prints and never exits; every error is typed and carries a position.

pub mod config;
pub mod diagnostic;
pub mod edit;
pub mod engine;
pub mod model;
pub mod runtime;
pub mod schema;
pub mod value;
pub mod xml;
