//! Checks a module makes itself at run time that its schema does not state: the ASP.NET Core
//! Module reads `hostingModel` as a plain string, yet starts no application unless it is
//! `inprocess` or `outofprocess` (HTTP 500.0, "ANCM Unknown Hosting Model"). iisconf gives
//! such attributes a [`Validator::OneOf`] after loading, wherever their facts came from.

use super::model::SectionSchema;
use crate::value::{Validator, ValueKind};

/// (section, element path below it, attribute, the words the module accepts).
const RUNTIME_CHECKS: &[(&str, &[&str], &str, &[&str])] = &[(
    "system.webServer/aspNetCore",
    &[],
    "hostingModel",
    &["inprocess", "outofprocess"],
)];

/// Adds the run-time checks that concern `section` to its string attributes that have no
/// validator.
pub(super) fn apply(section: &mut SectionSchema) {
    for (name, path, attribute, words) in RUNTIME_CHECKS {
        if section.name != *name {
            continue;
        }
        let mut element = &mut section.root;
        for name in *path {
            match element.elements.iter_mut().find(|e| e.name == *name) {
                Some(e) => element = e,
                None => break,
            }
        }
        let target = element
            .attributes
            .iter_mut()
            .find(|a| a.name == *attribute && a.kind == ValueKind::String);
        if let Some(a) = target {
            a.validator.get_or_insert(Validator::OneOf(words));
        }
    }
}
