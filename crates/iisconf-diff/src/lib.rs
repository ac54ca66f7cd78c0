//! Comparing two IIS configuration hierarchies by meaning: the effective configuration of
//! every section at every config path either side defines, attributes by typed value,
//! collection entries by key, and section locks. A change is reported once, at the highest
//! path where it appears, with the paths below that inherit it counted.
//!
//! ```no_run
//! use iisconf_core::engine::{Hierarchy, Options};
//! use iisconf_core::schema::Registry;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let open = |file: &str| {
//!     let options = Options { apphost: Some(file.into()), ..Options::default() };
//!     Hierarchy::open(Registry::embedded(), &options)
//! };
//! let (old, new) = (open("old/applicationHost.config")?, open("new/applicationHost.config")?);
//! let diff = iisconf_diff::Diff::between(&old, &new);
//! for d in &diff.differences {
//!     println!("{} {} {}: {:?} -> {:?}", d.path, d.section, d.locator(), d.old, d.new);
//! }
//! let commands = iisconf_diff::emit::appcmd(&diff, &old, &new, iisconf_diff::emit::Shell::Posix);
//! # Ok(()) }
//! ```
//!
//! The library never prints; [`render`] makes the human, JSON and Markdown reports and
//! [`emit`] the appcmd commands and the XDT transform.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod compare;
pub mod emit;
mod model;
mod pin;
pub mod render;
mod section;
mod side;

pub use model::{display_key, display_steps, Detail, Difference, Kind, Step};

use iisconf_core::engine::Hierarchy;
use section::{depth, diff_section};
use side::{fold, Side};

/// The differences between the effective configurations of two hierarchies.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Diff {
    /// Every change, ordered by config path (parents first), then section.
    pub differences: Vec<Difference>,
    /// What could not be compared (an encrypted section, a section without schema), with
    /// the reason.
    pub notes: Vec<String>,
    /// What NEW keeps at lower paths that a change above would otherwise reach there: the
    /// same value written below, a lock kept, an entry removed again. Not differences of
    /// the effective configuration; the emitters write them after the changes above.
    #[serde(skip)]
    pub shielded: Vec<Difference>,
}

impl Diff {
    /// Compares OLD's effective configuration with NEW's.
    pub fn between(old: &Hierarchy, new: &Hierarchy) -> Diff {
        let (old, new) = iisconf_xml::parallel::join(|| Side::new(old), || Side::new(new));
        let mut sections: Vec<&str> = old
            .layers
            .keys()
            .chain(new.layers.keys())
            .map(|s| &**s)
            .collect();
        sections.sort();
        sections.dedup();
        let per_section =
            iisconf_xml::parallel::map(&sections, |section| diff_section(&old, &new, section));
        let mut diff = Diff::default();
        for section in per_section {
            diff.differences.extend(section.reports);
            diff.shielded.extend(section.shielded);
            diff.notes.extend(section.notes);
        }
        let order = |a: &Difference, b: &Difference| {
            depth(&a.detail.path)
                .cmp(&depth(&b.detail.path))
                .then_with(|| fold(&a.detail.path).cmp(&fold(&b.detail.path)))
                .then_with(|| a.section.cmp(&b.section))
        };
        diff.differences.sort_by(order);
        diff.shielded.sort_by(order);
        diff
    }

    /// Whether the effective configurations are the same.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }
}
