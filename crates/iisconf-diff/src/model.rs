//! What a diff is made of: one [`Difference`] per change of the effective configuration,
//! located by config path, section, element steps and attribute or entry key.

use iisconf_core::engine::{EffectiveElement, Provenance};
use serde::Serialize;

/// One step below a section: a child element, or a collection entry by its key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// A child element by name.
    Element(String),
    /// A collection entry selected by its key attributes.
    Entry(Vec<(String, String)>),
}

/// Writes steps in appcmd's notation: `session`, `[name='S'].bindings`.
pub fn display_steps(steps: &[Step]) -> String {
    let mut out = String::new();
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match step {
            Step::Element(name) => out.push_str(name),
            Step::Entry(key) => out.push_str(&display_key(key)),
        }
    }
    out
}

/// Writes an entry key as appcmd's selector: `[name='S',port='80']`.
pub fn display_key(key: &[(String, String)]) -> String {
    let pairs: Vec<String> = key
        .iter()
        .map(|(k, v)| format!("{k}='{}'", v.replace('\'', "''")))
        .collect();
    format!("[{}]", pairs.join(","))
}

/// What kind of change a difference is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// An attribute's value differs.
    Changed,
    /// A collection entry only NEW has.
    Added,
    /// A collection entry only OLD has.
    Removed,
    /// The entries of an ordered collection are the same, in another order.
    Reordered,
    /// The section's lock (overrideMode) differs.
    Lock,
}

impl Kind {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Changed => "changed",
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Reordered => "reordered",
            Kind::Lock => "lock",
        }
    }
}

/// One change of the effective configuration, reported at the highest config path where it
/// appears.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// The config path in display form (`MACHINE/WEBROOT/APPHOST/Site`).
    pub path: String,
    /// The section (`system.webServer/asp`).
    pub section: String,
    /// The element below the section in appcmd's notation (`session`,
    /// `[name='S'].bindings`); empty for the section element.
    pub element: String,
    /// The attribute, for a changed value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The entry key, for an added or removed collection entry (`[value='a.htm']`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// OLD's value (a changed value; the key order of a reorder; the lock).
    pub old: Option<String>,
    /// NEW's value.
    pub new: Option<String>,
    /// Where OLD's value was written (`file:line:column`, or "schema default").
    pub old_origin: Option<String>,
    /// Where NEW's value was written.
    pub new_origin: Option<String>,
    /// What kind of change.
    pub kind: Kind,
    /// How many config paths below `path` inherit the same change.
    pub paths_below: usize,
    /// The details the emitters need.
    #[serde(skip)]
    pub detail: Detail,
}

/// The typed details of a difference: where it is and what NEW has, for the emitters.
#[derive(Clone, Debug, Default)]
pub struct Detail {
    /// The config path, normalised (`Site/app`, `""` for the server level).
    pub path: String,
    /// The steps to the element holding the attribute or the collection.
    pub steps: Vec<Step>,
    /// The entry's key, for entry kinds.
    pub key: Vec<(String, String)>,
    /// OLD's provenance.
    pub old_origin: Option<Provenance>,
    /// NEW's provenance.
    pub new_origin: Option<Provenance>,
    /// NEW's entry (added) or entries in order (reordered).
    pub new_entries: Vec<EffectiveElement>,
    /// The add directive of the collection (added, reordered).
    pub directive: String,
}

impl Difference {
    /// The value shown for a provenance: `file:line:column` or "schema default".
    pub(crate) fn origin_text(origin: Option<&Provenance>) -> Option<String> {
        origin.map(|o| match o {
            Provenance::File {
                file, line, column, ..
            } => format!("{file}:{line}:{column}"),
            other => other.to_string(),
        })
    }

    /// The element, attribute and key as one appcmd-style locator
    /// (`[name='S'].bindings.[protocol='https']`, `session.timeout`).
    pub fn locator(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !self.element.is_empty() {
            parts.push(&self.element);
        }
        if let Some(a) = &self.attribute {
            parts.push(a);
        }
        if let Some(k) = &self.key {
            parts.push(k);
        }
        parts.join(".")
    }

    /// Identifies what changed, without the values: the same collection reordered.
    pub(crate) fn loose_identity(&self) -> String {
        format!(
            "{}\u{0}{}\u{0}{}",
            self.kind.as_str(),
            self.section,
            self.locator()
        )
    }

    /// Identifies the change with its values, to find the same change at lower paths.
    pub(crate) fn identity(&self) -> String {
        format!(
            "{}\u{0}{}\u{0}{}\u{0}{:?}\u{0}{:?}",
            self.kind.as_str(),
            self.section,
            self.locator(),
            self.old,
            self.new
        )
    }
}
