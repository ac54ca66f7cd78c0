//! XML-Document-Transform (XDT) without .NET: the transforms of `Web.Release.config` and App
//! Service's `applicationHost.xdt`, applied to the lossless [`iisconf_xml::Document`] with
//! Microsoft.Web.XmlTransform's semantics and log.
//!
//! [`Transform::parse`] reads a transform file into a value (its transforms, locators and the
//! XPath each one uses); [`Transform::apply`] applies it to a document through the
//! document's own edits, which keep every untouched byte, and returns an [`Outcome`]: the
//! [`Log`] in Microsoft's wording and the [`Edit`]s made.
//!
//! The crate's parts, one job each: `transform` (reading a transform), `apply` (running it),
//! `log` (the log), `layout` (where written attributes go, as Microsoft's writer puts
//! them), [`xpath`] (the XPath 1.0 evaluator transforms need).
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod apply;
mod layout;
mod log;
mod transform;
pub mod xpath;

pub use apply::{Edit, Outcome};
pub use log::{Line, Log, Severity};
pub use transform::{
    expand_variables, name_position, split_arguments, Kind, Step, Transform, TransformParseError,
    XDT_NAMESPACE,
};
