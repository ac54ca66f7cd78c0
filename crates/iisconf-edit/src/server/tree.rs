//! Whole configuration elements as data: read from appcmd's `/xml` form (`<appcmd><SITE …>
//! <site …>…</site></SITE></appcmd>`, what `list site /config /xml` prints) and turned into
//! the edits that write them, collection entries as entries and child elements as
//! attribute sets, checked against the schema.

use super::error::ServerError;
use crate::{Change, Step};
use iisconf_core::schema::ElementSchema;
use iisconf_xml::{Document, NodeId};

/// An element with its attributes and child elements, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigElement {
    /// The element's name (`site`, `add`).
    pub name: String,
    /// Its attributes, in order.
    pub attributes: Vec<(String, String)>,
    /// Its child elements, in order.
    pub children: Vec<ConfigElement>,
}

impl ConfigElement {
    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads appcmd's XML form and returns the configuration element of every object of
/// `object` (`SITE`, `APPPOOL`): the child called `element` (`site`, `add`) of each
/// `<SITE>`/`<APPPOOL>` element. An object listed without its configuration (`/xml`
/// without `/config`) is an error: there is nothing to add.
pub fn read_appcmd_xml(
    text: &str,
    object: &str,
    element: &str,
) -> Result<Vec<ConfigElement>, ServerError> {
    let doc = Document::parse_str(text).map_err(|e| ServerError::Input(e.to_string()))?;
    let root = doc
        .root_element()
        .filter(|r| doc.name(*r) == "appcmd")
        .ok_or_else(|| {
            ServerError::Input("the input is not appcmd's XML form (<appcmd>…</appcmd>)".into())
        })?;
    let mut out = Vec::new();
    for node in doc
        .child_elements(root)
        .filter(|n| doc.name(*n).eq_ignore_ascii_case(object))
    {
        let config = doc.child_element(node, element).ok_or_else(|| {
            ServerError::Input(format!(
                "<{object}> holds no <{element}> element: list it with /config /xml"
            ))
        })?;
        out.push(read_element(&doc, config));
    }
    if out.is_empty() {
        return Err(ServerError::Input(format!(
            "the input holds no {object} object"
        )));
    }
    Ok(out)
}

fn read_element(doc: &Document, node: NodeId) -> ConfigElement {
    ConfigElement {
        name: doc.name(node).to_string(),
        attributes: doc
            .attributes(node)
            .map(|a| (a.name.to_string(), a.value().into_owned()))
            .collect(),
        children: doc
            .child_elements(node)
            .map(|c| read_element(doc, c))
            .collect(),
    }
}

/// The changes that write `element`'s children below the element at `steps` (whose schema
/// is `schema`): each collection entry added (and its own children written below it),
/// each child element's attributes set.
pub(crate) fn child_changes(
    element: &ConfigElement,
    schema: &ElementSchema,
    steps: &[Step],
    out: &mut Vec<Change>,
) -> Result<(), ServerError> {
    for child in &element.children {
        if let Some(collection) = schema.collection_for(&child.name) {
            if !collection.add_elements.contains(&child.name) {
                return Err(ServerError::Input(format!(
                    "<{}> inside <{}>: only entries can be added",
                    child.name, element.name
                )));
            }
            out.push(Change::Add {
                element: steps.to_vec(),
                attributes: child.attributes.clone(),
            });
            let key: Vec<(String, String)> = collection
                .keys()
                .filter_map(|k| {
                    child
                        .attribute(&k.name)
                        .map(|v| (k.name.clone(), v.to_string()))
                })
                .collect();
            let mut below = steps.to_vec();
            below.push(Step::Entry(key));
            child_changes(child, &collection.entry, &below, out)?;
        } else if let Some(child_schema) = schema.element(&child.name) {
            let mut below = steps.to_vec();
            below.push(Step::Element(child.name.clone()));
            for (name, value) in &child.attributes {
                out.push(Change::Set {
                    element: below.clone(),
                    attribute: name.clone(),
                    value: value.clone(),
                });
            }
            child_changes(child, child_schema, &below, out)?;
        } else {
            return Err(ServerError::Input(format!(
                "Unrecognized element '{}' inside <{}>",
                child.name, element.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_objects_configuration() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<appcmd>
    <SITE SITE.NAME="Shop" SITE.ID="2" bindings="http/*:8080:" state="Unknown">
        <site name="Shop" id="2">
            <bindings><binding protocol="http" bindingInformation="*:8080:" /></bindings>
        </site>
    </SITE>
</appcmd>"#;
        let sites = read_appcmd_xml(xml, "SITE", "site").unwrap();
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].attribute("name"), Some("Shop"));
        assert_eq!(sites[0].children[0].children[0].name, "binding");
        let bare = r#"<appcmd><SITE SITE.NAME="Shop" /></appcmd>"#;
        assert!(read_appcmd_xml(bare, "SITE", "site")
            .unwrap_err()
            .to_string()
            .contains("/config /xml"));
        assert!(read_appcmd_xml("<x/>", "SITE", "site").is_err());
    }
}
