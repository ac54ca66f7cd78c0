//! The core of iisconf: everything between the lossless XML document and the tools built on
//! it (edit, lint, docs, FTP sessions).
//!
//! * [`value`] — IIS value types (bool, uint, int, int64, string, timeSpan, enum, flags)
//!   with IIS parsing and formatting rules, and the schema validators.
//! * [`schema`] — IIS-format schema files: the loader, fragments merged across files, the
//!   project's embedded schema and its descriptions.
//! * [`config`] — one configuration file: its section declarations, `<location>` tags and
//!   section instances.
//! * [`engine`] — the hierarchy of applicationHost.config and its web.config files, the
//!   effective configuration with provenance, the IIS rules, and commit-target planning.
//! * [`diagnostic`] — findings with stable rule ids, severities and positions.
//! * [`model`] — typed views of configuration sections (`AspSession`).
//! * [`atomic_file`] — writing a file atomically (temporary file, sync, rename).
//!
//! The library never prints and never exits; every error is typed and carries a position.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod atomic_file;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod model;
pub mod schema;
mod similarity;
pub mod value;
