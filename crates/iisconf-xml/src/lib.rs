//! A lossless XML document for configuration files.
//!
//! [`Document::parse`] reads bytes (UTF-8 with or without BOM, or UTF-16 with BOM) into an
//! arena of nodes whose every token is a span of the source text. [`Document::to_bytes`] of an
//! unedited document gives back the input byte for byte. Edits ([`Document::set_attribute`],
//! [`Document::insert_element`], …) replace only the tokens they touch, and new tokens copy
//! the indentation, quoting and line endings of their neighbours, so a diff of an edited file
//! shows exactly the intended lines.
//!
//! Every node and attribute reports its [`Span`] and [`Position`] (1-based line and column in
//! characters) in the original text.
//!
//! The crate's parts, one job each: `document` (the document, made from bytes), `node` (its
//! arena), `tree` and `attribute` (reading it), `positions` and `lines` (where things are),
//! `edit` (with its `graft`) and `print` (changing and writing it), `parse`, `lex`, `encoding` and `source`
//! (reading text into it; `source` reads files into memory). [`parallel`] is the one way the
//! workspace runs work in parallel; [`pages`] the policy that puts a large file on huge
//! memory pages.
// No unsafe code, except where `encoding` makes a string of bytes it has checked are UTF-8.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod attribute;
mod document;
mod edit;
mod encoding;
mod error;
pub mod escape;
mod lex;
mod lines;
mod node;
pub mod pages;
pub mod parallel;
mod parse;
mod positions;
mod print;
mod source;
mod tree;

pub use attribute::Attribute;
pub use document::{Decoded, Document};
pub use edit::DocumentEditError;
pub use encoding::TextEncoding;
pub use error::ParseError;
pub use lex::is_name;
pub use lines::{LineIndex, Position};
pub use node::{NodeId, NodeKind, Span};
pub use parse::Reread;
pub use source::read_file;
pub use tree::{Children, Descendants};
