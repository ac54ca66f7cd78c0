//! Generic typed access: any effective section as a tree of typed values.

use super::EffectiveElement;
use crate::schema::ElementSchema;
use crate::value::{self, Value, ValueError};

/// An element whose attribute values are parsed with their schema types.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedElement {
    /// Element name.
    pub name: String,
    /// Attribute name and typed value. An attribute the schema does not type (allowed by
    /// `allowUnrecognizedAttributes`) is a string.
    pub attributes: Vec<(String, Value)>,
    /// Child elements.
    pub children: Vec<TypedElement>,
    /// Collection entries in effective order.
    pub entries: Vec<TypedElement>,
}

impl TypedElement {
    /// The typed value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The child element called `name`.
    pub fn child(&self, name: &str) -> Option<&TypedElement> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// A value that does not parse as its schema type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {error}")]
pub struct TypedError {
    /// Dotted path of the attribute (`session.timeout`).
    pub path: String,
    /// The parse error.
    pub error: ValueError,
}

/// Parses every value of `element` with the types of `schema`.
pub fn typed(
    element: &EffectiveElement,
    schema: &ElementSchema,
) -> Result<TypedElement, TypedError> {
    typed_at(element, schema, "")
}

fn typed_at(
    element: &EffectiveElement,
    schema: &ElementSchema,
    prefix: &str,
) -> Result<TypedElement, TypedError> {
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    let mut attributes = Vec::with_capacity(element.attributes.len());
    for a in &element.attributes {
        let parsed = match schema.attribute(&a.name) {
            Some(s) => {
                value::parse_value(&s.type_spec(), &a.value).map_err(|error| TypedError {
                    path: path(&a.name),
                    error,
                })?
            }
            None => Value::String(a.value.clone()),
        };
        attributes.push((a.name.clone(), parsed));
    }
    let mut children = Vec::new();
    for c in &element.children {
        if let Some(cs) = schema.element(&c.name) {
            children.push(typed_at(c, cs, &path(&c.name))?);
        }
    }
    let mut entries = Vec::new();
    for (i, e) in element.entries.iter().enumerate() {
        if let Some(c) = schema.collection_for(&e.directive) {
            entries.push(typed_at(&e.element, &c.entry, &path(&format!("[{i}]")))?);
        }
    }
    Ok(TypedElement {
        name: element.name.clone(),
        attributes,
        children,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;
    use crate::value::TimeSpan;

    #[test]
    fn reads_a_section_as_typed_values() {
        let registry = Registry::embedded();
        let asp = registry.section("system.webServer/asp").unwrap();
        let t = typed(&EffectiveElement::defaults(&asp.root), &asp.root).unwrap();
        let session = t.child("session").unwrap();
        assert_eq!(session.get("max"), Some(&Value::UInt(u32::MAX)));
        assert_eq!(
            session.get("timeout"),
            Some(&Value::TimeSpan(TimeSpan::from_minutes(20).unwrap()))
        );
        assert_eq!(session.get("allowSessionState"), Some(&Value::Bool(true)));
    }
}
