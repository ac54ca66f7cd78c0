//! The change grammar of `iisconf set` and appcmd's `set config`: one argument becomes one
//! [`Change`].
//!
//! ```text
//! session.max=1000                 set an attribute (a dotted path below the section)
//! +files[value='index.htm']        add a collection entry
//! -files[value='a.htm']            remove one
//! files[value='a.htm'].value=b.htm change one entry's attribute
//! ```
//!
//! A clear names an element or an attribute; which one it is depends on the section's
//! schema ([`clear_change`]).

use super::chars::{check_xml_chars, InvalidCharacter};
use super::path::{parse_steps, split_outside, PathError, Step};
use crate::Change;
use iisconf_core::schema::{ElementSchema, SectionSchema};

/// A change that cannot be read; [`ChangeError::position`] says where in the argument.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// The path part cannot be read.
    #[error(transparent)]
    Path(#[from] PathError),
    /// Neither `PATH=VALUE` nor `+…`/`-…`.
    #[error("cannot read the change `{text}`: write ATTR=VALUE, +ELEM[key='v'], -ELEM[key='v'] or ELEM[key='v'].attr=VALUE")]
    Form {
        /// The change as given.
        text: String,
    },
    /// A set whose path ends with an entry selector instead of an attribute name.
    #[error("`{path}` does not end with an attribute name")]
    NotAnAttribute {
        /// The attribute path.
        path: String,
    },
    /// An add or remove whose path does not end with an entry selector.
    #[error("`{}{path}` must end with an entry selector like [value='index.htm']", if *.add { '+' } else { '-' })]
    NotAnEntry {
        /// The path after the `+` or `-`.
        path: String,
        /// `+` (add) or `-` (remove).
        add: bool,
    },
    /// A character XML cannot hold.
    #[error(transparent)]
    Character(#[from] InvalidCharacter),
}

impl ChangeError {
    /// The character offset of the problem in the path it was read from.
    pub fn position(&self) -> usize {
        match self {
            ChangeError::Path(e) => e.position,
            ChangeError::Form { .. } => 0,
            ChangeError::Character(e) => e.position,
            ChangeError::NotAnAttribute { path } | ChangeError::NotAnEntry { path, .. } => {
                path.trim().chars().count()
            }
        }
    }
}

/// Parses one change as `iisconf set` takes it: `PATH=VALUE`, `+PATH[…]` or `-PATH[…]`.
pub fn parse_change(text: &str) -> Result<Change, ChangeError> {
    check_xml_chars("the change", text)?;
    if let Some(rest) = text.strip_prefix('+') {
        return entry_change(rest, true);
    }
    if let Some(rest) = text.strip_prefix('-') {
        return entry_change(rest, false);
    }
    let (path, value) = split_outside(text, '=').ok_or_else(|| ChangeError::Form {
        text: text.to_string(),
    })?;
    set_change(path, value)
}

/// A `Set` change from a dotted attribute path and a value.
pub fn set_change(path: &str, value: &str) -> Result<Change, ChangeError> {
    check_xml_chars("the attribute path", path)?;
    check_xml_chars("the value", value)?;
    let mut steps = parse_steps(path)?;
    match steps.pop() {
        Some(Step::Element(attribute)) => Ok(Change::Set {
            element: steps,
            attribute,
            value: value.to_string(),
        }),
        _ => Err(ChangeError::NotAnAttribute {
            path: path.to_string(),
        }),
    }
}

/// An add (`add`: `+…[…]`) or remove (`-…[…]`) change from the path after the sign.
pub fn entry_change(path: &str, add: bool) -> Result<Change, ChangeError> {
    check_xml_chars("the entry", path)?;
    let mut steps = parse_steps(path)?;
    match steps.pop() {
        Some(Step::Entry(attributes)) if add => Ok(Change::Add {
            element: steps,
            attributes,
        }),
        Some(Step::Entry(key)) => Ok(Change::Remove {
            element: steps,
            key,
        }),
        _ => Err(ChangeError::NotAnEntry {
            path: path.to_string(),
            add,
        }),
    }
}

/// A clear change for an element path or an attribute path (`None`: the whole section).
/// The last step names an attribute when the section's schema has an attribute and no
/// element of that name there; without a schema it names an element.
pub fn clear_change(
    schema: Option<&SectionSchema>,
    element: Option<&str>,
) -> Result<Change, ChangeError> {
    let mut steps = match element {
        Some(e) => parse_steps(e)?,
        None => Vec::new(),
    };
    let attribute = match (schema, steps.split_last()) {
        (Some(schema), Some((Step::Element(last), parent)))
            if names_an_attribute(&schema.root, parent, last) =>
        {
            Some(last.clone())
        }
        _ => None,
    };
    if attribute.is_some() {
        steps.pop();
    }
    Ok(Change::Clear {
        element: steps,
        attribute,
    })
}

/// Whether `last`, below the element reached by `parent` from `root`, is an attribute.
fn names_an_attribute(root: &ElementSchema, parent: &[Step], last: &str) -> bool {
    let mut cur = Some(root);
    for s in parent {
        cur = match (cur, s) {
            (Some(c), Step::Element(n)) => c.element(n),
            (Some(c), Step::Entry(_)) => c.collection().map(|c| &c.entry),
            (None, _) => None,
        };
    }
    cur.is_some_and(|c| c.element(last).is_none() && c.attribute(last).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::schema::Registry;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_each_form() {
        assert_eq!(
            parse_change("session.max=1000").unwrap(),
            Change::Set {
                element: vec![Step::Element("session".into())],
                attribute: "max".into(),
                value: "1000".into(),
            }
        );
        assert_eq!(
            parse_change("+files[value='a=b.htm']").unwrap(),
            Change::Add {
                element: vec![Step::Element("files".into())],
                attributes: pairs(&[("value", "a=b.htm")]),
            }
        );
        assert_eq!(
            parse_change("-files[value='a.htm']").unwrap(),
            Change::Remove {
                element: vec![Step::Element("files".into())],
                key: pairs(&[("value", "a.htm")]),
            }
        );
        assert_eq!(
            parse_change("files[value='a.htm'].value=b.htm").unwrap(),
            Change::Set {
                element: vec![
                    Step::Element("files".into()),
                    Step::Entry(pairs(&[("value", "a.htm")]))
                ],
                attribute: "value".into(),
                value: "b.htm".into(),
            }
        );
    }

    #[test]
    fn refuses_characters_xml_cannot_hold() {
        let e = parse_change("scriptLanguage=a\u{1}b");
        assert_eq!(e.err().map(|e| e.position()), Some(16));
        assert!(parse_change("+files[value='\u{FFFF}']").is_err());
        assert!(set_change("x", "\u{0}").is_err());
        assert!(entry_change("files[value='\u{1b}']", false).is_err());
        assert!(parse_change("x=tab\there").is_ok());
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(
            parse_change("session.max"),
            Err(ChangeError::Form {
                text: "session.max".into()
            })
        );
        let not_attribute = parse_change("files[value='a']=x").unwrap_err();
        assert_eq!(
            not_attribute.to_string(),
            "`files[value='a']` does not end with an attribute name"
        );
        assert_eq!(not_attribute.position(), 16);
        assert_eq!(
            parse_change("-files").unwrap_err().to_string(),
            "`-files` must end with an entry selector like [value='index.htm']"
        );
        assert_eq!(parse_change("a..b=1").unwrap_err().position(), 2);
    }

    #[test]
    fn a_clear_names_an_attribute_only_where_the_schema_has_one() {
        let registry = Registry::embedded();
        let asp = registry.section("system.webServer/asp");
        assert!(asp.is_some());
        assert_eq!(
            clear_change(asp, Some("session.timeout")).unwrap(),
            Change::Clear {
                element: vec![Step::Element("session".into())],
                attribute: Some("timeout".into()),
            }
        );
        assert_eq!(
            clear_change(asp, Some("session")).unwrap(),
            Change::Clear {
                element: vec![Step::Element("session".into())],
                attribute: None,
            }
        );
        assert_eq!(
            clear_change(None, None).unwrap(),
            Change::Clear {
                element: vec![],
                attribute: None,
            }
        );
    }
}
