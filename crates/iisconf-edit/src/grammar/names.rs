//! Names as appcmd takes them: section, element and attribute names in any letter case,
//! and short section names, resolved to the schema's spelling before anything is written.
//!
//! IIS's configuration system compares these names without regard to case when appcmd
//! reads a command line (`-section:system.webserver/serverruntime
//! /uploadreadaheadsize:…` works on Windows), and writes them in the schema's spelling;
//! see "Getting Started with AppCmd.exe"
//! (<https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe>).

use super::path::Step;
use crate::Change;
use iisconf_core::schema::{ElementSchema, Registry, SectionNameError, SectionSchema};

pub use iisconf_core::schema::PREFERRED_GROUPS;

/// Resolves a section name as appcmd does: exact or short (`asp`), in any letter case; a
/// short name that ends several sections' names resolves to the one directly under the
/// first of [`PREFERRED_GROUPS`] that has one ([`Registry::section_named`]).
pub fn resolve_section_name<'r>(
    registry: &'r Registry,
    name: &str,
) -> Result<&'r SectionSchema, SectionNameError> {
    registry.section_named(name)
}

/// The child element of `elem` called `name`, its spelling exact or in another case.
pub fn element_named<'s>(elem: &'s ElementSchema, name: &str) -> Option<&'s ElementSchema> {
    elem.element(name).or_else(|| {
        elem.elements
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    })
}

/// The schema's spelling of attribute `name` of `elem`, or `name` itself when the schema
/// has no such attribute (the edit then reports it with the attributes there are).
pub fn attribute_spelling(elem: &ElementSchema, name: &str) -> String {
    if elem.attribute(name).is_some() {
        return name.to_string();
    }
    elem.attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |a| a.name.clone())
}

/// Steps written in the schema's spelling; returns them and the element they reach (`None`
/// once a step names nothing the schema knows: the rest is kept as given).
pub fn canonical_steps<'s>(
    root: &'s ElementSchema,
    steps: &[Step],
) -> (Vec<Step>, Option<&'s ElementSchema>) {
    let mut cur = Some(root);
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        match (step, cur) {
            (Step::Element(name), Some(elem)) => {
                let next = element_named(elem, name);
                out.push(Step::Element(
                    next.map_or_else(|| name.clone(), |e| e.name.clone()),
                ));
                cur = next;
            }
            (Step::Entry(pairs), Some(elem)) => {
                let entry = elem.collection().map(|c| &c.entry);
                out.push(Step::Entry(match entry {
                    Some(e) => canonical_pairs(e, pairs),
                    None => pairs.clone(),
                }));
                cur = entry;
            }
            (other, None) => out.push(other.clone()),
        }
    }
    (out, cur)
}

/// `name='value'` pairs with their names in the spelling of `entry`'s attributes.
pub fn canonical_pairs(entry: &ElementSchema, pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (attribute_spelling(entry, n), v.clone()))
        .collect()
}

/// Whether `attribute` is an attribute of the element at `steps` (names in the schema's
/// spelling; an element that allows unrecognized attributes has them all). A delete
/// (`-name`) of anything else would change nothing, so the front end refuses it.
pub fn is_attribute(schema: &SectionSchema, steps: &[Step], attribute: &str) -> bool {
    let (_, elem) = canonical_steps(&schema.root, steps);
    elem.is_some_and(|e| e.allow_unrecognized_attributes || e.attribute(attribute).is_some())
}

/// A dotted attribute path (`requestLimits.maxURL`) in the schema's spelling.
pub fn canonical_dotted(schema: &SectionSchema, dotted: &str) -> String {
    match super::path::parse_steps(dotted) {
        Ok(mut steps) => {
            let Some(Step::Element(last)) = steps.pop() else {
                return dotted.to_string();
            };
            let (steps, elem) = canonical_steps(&schema.root, &steps);
            let last = match elem {
                Some(e) => match element_named(e, &last) {
                    Some(child) => child.name.clone(),
                    None => attribute_spelling(e, &last),
                },
                None => last,
            };
            let mut all = steps;
            all.push(Step::Element(last));
            super::path::display_steps(&all)
        }
        Err(_) => dotted.to_string(),
    }
}

/// A change with its element, attribute and selector names in the schema's spelling.
pub fn canonical_change(schema: &SectionSchema, change: Change) -> Change {
    match change {
        Change::Set {
            element,
            attribute,
            value,
        } => {
            let (element, elem) = canonical_steps(&schema.root, &element);
            Change::Set {
                attribute: elem.map_or(attribute.clone(), |e| attribute_spelling(e, &attribute)),
                element,
                value,
            }
        }
        Change::Add {
            element,
            attributes,
        } => {
            let (element, attributes) = canonical_entry(schema, &element, &attributes);
            Change::Add {
                element,
                attributes,
            }
        }
        Change::Insert {
            element,
            attributes,
            position,
        } => {
            let (element, attributes) = canonical_entry(schema, &element, &attributes);
            Change::Insert {
                element,
                attributes,
                position,
            }
        }
        Change::Remove { element, key } => {
            let (element, key) = canonical_entry(schema, &element, &key);
            Change::Remove { element, key }
        }
        Change::Clear { element, attribute } => {
            let (element, elem) = canonical_steps(&schema.root, &element);
            Change::Clear {
                attribute: match (attribute, elem) {
                    (Some(a), Some(e)) => Some(attribute_spelling(e, &a)),
                    (a, _) => a,
                },
                element,
            }
        }
        lock @ Change::Lock { .. } => lock,
    }
}

/// The collection path and an entry's pairs in the schema's spelling.
fn canonical_entry(
    schema: &SectionSchema,
    element: &[Step],
    pairs: &[(String, String)],
) -> (Vec<Step>, Vec<(String, String)>) {
    let (element, elem) = canonical_steps(&schema.root, element);
    let pairs = match elem.and_then(|e| e.collection()) {
        Some(coll) => canonical_pairs(&coll.entry, pairs),
        None => pairs.to_vec(),
    };
    (element, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::{parse_change, parse_steps};

    #[test]
    fn short_names_prefer_the_web_server_section() {
        let registry = Registry::embedded();
        for (short, full) in [
            (
                "requestfiltering",
                "system.webServer/security/requestFiltering",
            ),
            ("authorization", "system.webServer/security/authorization"),
            ("IPSECURITY", "system.webServer/security/ipSecurity"),
            (
                "system.webserver/serverruntime",
                "system.webServer/serverRuntime",
            ),
        ] {
            assert_eq!(
                resolve_section_name(&registry, short).map(|s| s.name.as_str()),
                Ok(full),
                "{short}"
            );
        }
        assert!(resolve_section_name(&registry, "nosuch").is_err());
    }

    #[test]
    fn names_are_written_in_the_schema_spelling() {
        let registry = Registry::embedded();
        let Ok(filtering) = resolve_section_name(&registry, "requestFiltering") else {
            panic!("requestFiltering is in the embedded schema");
        };
        let change = parse_change("requestlimits.MAXURL=8192").unwrap();
        assert_eq!(
            canonical_change(filtering, change),
            Change::Set {
                element: vec![Step::Element("requestLimits".into())],
                attribute: "maxUrl".into(),
                value: "8192".into(),
            }
        );
        let add = parse_change("+FILEEXTENSIONS[FILEEXTENSION='.x',ALLOWED='false']").unwrap();
        assert_eq!(
            canonical_change(filtering, add),
            Change::Add {
                element: vec![Step::Element("fileExtensions".into())],
                attributes: vec![
                    ("fileExtension".into(), ".x".into()),
                    ("allowed".into(), "false".into())
                ],
            }
        );
        assert_eq!(
            canonical_dotted(filtering, "REQUESTLIMITS.maxallowedcontentlength"),
            "requestLimits.maxAllowedContentLength"
        );
        assert!(is_attribute(
            filtering,
            &parse_steps("requestLimits").unwrap(),
            "maxUrl"
        ));
        assert!(!is_attribute(filtering, &[], "fileExtensions"));
        let unknown = parse_steps("nosuch.Thing").unwrap();
        assert_eq!(canonical_steps(&filtering.root, &unknown).0, unknown);
    }
}
