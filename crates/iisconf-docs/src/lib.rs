//! What iisconf makes from the schema alone.
//!
//! * [`docs`] — schema documentation export: Markdown, HTML, XSD and JSON.
//! * [`generate`] — default configuration from the schema: defaults templates, a minimal
//!   applicationHost.config and web.config.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod docs;
pub mod generate;
