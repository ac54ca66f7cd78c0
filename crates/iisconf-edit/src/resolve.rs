//! What a change means in the section's schema: the element at a path (refusing runtime
//! data), its collection, and a value parsed, validated and written in its IIS form.

use super::path::{display_steps, Step};
use super::EditError;
use iisconf_core::schema::{CollectionSchema, ElementSchema, SectionSchema};
use iisconf_core::value;

pub(super) fn where_(schema: &SectionSchema, steps: &[Step]) -> String {
    if steps.is_empty() {
        schema.name.clone()
    } else {
        format!("{}/{}", schema.name, display_steps(steps))
    }
}

/// The schema of the element at `steps`, refusing runtime data.
pub(super) fn resolve<'s>(
    schema: &'s SectionSchema,
    steps: &[Step],
) -> Result<&'s ElementSchema, EditError> {
    if schema.root.extension.is_some() {
        return Err(EditError::RuntimeOnly(schema.name.clone()));
    }
    let mut cur = &schema.root;
    for (i, step) in steps.iter().enumerate() {
        let here = || where_(schema, steps.get(..i).unwrap_or(&[]));
        cur = match step {
            Step::Element(name) => {
                let next = cur.element(name).ok_or_else(|| {
                    let names: Vec<&str> = cur.elements.iter().map(|e| e.name.as_str()).collect();
                    EditError::Schema(format!(
                        "Unrecognized element '{name}' in {}; its elements are: {}",
                        here(),
                        if names.is_empty() {
                            "(none)".to_string()
                        } else {
                            names.join(", ")
                        }
                    ))
                })?;
                if next.extension.is_some() {
                    return Err(EditError::RuntimeOnly(format!("{}/{name}", here())));
                }
                next
            }
            Step::Entry(_) => {
                let coll = collection_of(cur, steps.get(..i).unwrap_or(&[]))?;
                if coll.entry.extension.is_some() {
                    return Err(EditError::RuntimeOnly(format!(
                        "{}/{}",
                        here(),
                        coll.entry.name
                    )));
                }
                &coll.entry
            }
        };
    }
    Ok(cur)
}

pub(super) fn collection_of<'s>(
    elem: &'s ElementSchema,
    steps: &[Step],
) -> Result<&'s CollectionSchema, EditError> {
    elem.collection().ok_or_else(|| {
        EditError::Schema(format!(
            "<{}> ({}) is not a collection; its elements are: {}",
            elem.name,
            if steps.is_empty() {
                "the section".to_string()
            } else {
                display_steps(steps)
            },
            elem.elements
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Parses and validates a value for `attribute` of `elem`, returning its written IIS form.
pub(super) fn canonical(
    schema: &SectionSchema,
    steps: &[Step],
    elem: &ElementSchema,
    attribute: &str,
    text: &str,
) -> Result<String, EditError> {
    let Some(attr) = elem.attribute(attribute) else {
        if elem.allow_unrecognized_attributes {
            return Ok(text.to_string());
        }
        let names: Vec<&str> = elem
            .attributes
            .iter()
            .filter(|a| a.extension.is_none())
            .map(|a| a.name.as_str())
            .collect();
        return Err(EditError::Schema(format!(
            "Unrecognized attribute '{attribute}' of {}; its attributes are: {}",
            where_(schema, steps),
            names.join(", ")
        )));
    };
    if attr.extension.is_some() {
        return Err(EditError::RuntimeOnly(format!(
            "{}@{attribute}",
            where_(schema, steps)
        )));
    }
    let spec = attr.type_spec();
    let bad = |m: String| {
        EditError::Schema(format!(
            "The '{attribute}' attribute of {} is invalid: {m}",
            where_(schema, steps)
        ))
    };
    let parsed = value::parse_cli_value(&spec, text).map_err(|e| bad(e.message))?;
    if let Some(v) = &attr.validator {
        v.check(&parsed).map_err(|e| bad(e.message))?;
    }
    Ok(parsed.to_iis_string(&spec))
}

pub(super) fn same(elem: &ElementSchema, attribute: &str, a: &str, b: &str) -> bool {
    match elem.attribute(attribute) {
        Some(attr) => value::same_value(&attr.type_spec(), a, b),
        None => a == b,
    }
}
