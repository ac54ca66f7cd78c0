//! The change grammar of `iisconf set` and appcmd's `set config`: one argument becomes one
//! [`Change`].
//!
//! ```text
//! session.max=1000                 set an attribute (a dotted path below the section)
//! +files[value='index.htm']        add a collection entry
//! -files[value='a.htm']            remove one
//! files[value='a.htm'].value=b.htm change one entry's attribute
//! +files[@start,value='a.htm']     add an entry first (also @end, @N)
//! ```
//!
//! The position prefix is appcmd's (`appcmd set config /section:defaultDocument
//! "/+files.[@start,value='index.htm']"`): `@start` puts the new entry first, `@end` last
//! (as without a prefix), `@N` at index N of the collection.
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
    /// A position prefix other than `@start`, `@end` or `@N`, or one on a remove.
    #[error("cannot read the position `{text}`: write [@start,…], [@end,…] or [@N,…] (N a number) on an added entry")]
    Position {
        /// The prefix as given (`@first`).
        text: String,
        /// Its character offset in the path.
        position: usize,
    },
}

/// Where an added entry goes among the collection's entries (appcmd's position prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryPosition {
    /// `@start`: first.
    Start,
    /// `@end`: last (where an entry without a prefix goes).
    End,
    /// `@N`: at index N of the collection in effect (0 is first, the number of entries is
    /// last; beyond that is refused, as IIS refuses it).
    Index(usize),
}

impl EntryPosition {
    /// Reads the text after `@` (`start`, `end`, `2`), in any letter case.
    pub fn parse(text: &str) -> Option<EntryPosition> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("start") {
            Some(EntryPosition::Start)
        } else if t.eq_ignore_ascii_case("end") {
            Some(EntryPosition::End)
        } else {
            t.parse().ok().map(EntryPosition::Index)
        }
    }
}

impl std::fmt::Display for EntryPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryPosition::Start => write!(f, "@start"),
            EntryPosition::End => write!(f, "@end"),
            EntryPosition::Index(n) => write!(f, "@{n}"),
        }
    }
}

impl ChangeError {
    /// The character offset of the problem in the path it was read from.
    pub fn position(&self) -> usize {
        match self {
            ChangeError::Path(e) => e.position,
            ChangeError::Form { .. } => 0,
            ChangeError::Character(e) => e.position,
            ChangeError::Position { position, .. } => *position,
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

/// An add (`add`: `+…[…]`) or remove (`-…[…]`) change from the path after the sign. An
/// add's last selector may start with a position (`[@start,value='a']`).
pub fn entry_change(path: &str, add: bool) -> Result<Change, ChangeError> {
    check_xml_chars("the entry", path)?;
    let (path, position) = take_position(path)?;
    if position.is_some() && !add {
        let text = position.map(|p| p.to_string()).unwrap_or_default();
        return Err(ChangeError::Position { text, position: 0 });
    }
    let path = path.as_str();
    let mut steps = parse_steps(path)?;
    match steps.pop() {
        Some(Step::Entry(attributes)) if add => Ok(match position {
            None | Some(EntryPosition::End) => Change::Add {
                element: steps,
                attributes,
            },
            Some(position) => Change::Insert {
                element: steps,
                attributes,
                position,
            },
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

/// Takes appcmd's position prefix out of the last selector of `path`
/// (`files.[@start,value='a']` → `files.[value='a']`, [`EntryPosition::Start`]).
fn take_position(path: &str) -> Result<(String, Option<EntryPosition>), ChangeError> {
    let Some(open) = last_selector(path) else {
        return Ok((path.to_string(), None));
    };
    let (head, inner) = path.split_at(open + 1);
    let body = inner.trim_start();
    let Some(after_at) = body.strip_prefix('@') else {
        return Ok((path.to_string(), None));
    };
    let end = after_at.find([',', ']']).unwrap_or(after_at.len());
    let (word, rest) = after_at.split_at(end);
    let position = EntryPosition::parse(word).ok_or_else(|| ChangeError::Position {
        text: format!("@{}", word.trim()),
        position: head.chars().count(),
    })?;
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    Ok((format!("{head}{rest}"), Some(position)))
}

/// The byte offset of the `[` opening the last selector of `path` (outside quotes).
fn last_selector(path: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut last = None;
    for (i, c) in path.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'') | (None, '"') if depth > 0 => quote = Some(c),
            (None, '[') => {
                if depth == 0 {
                    last = Some(i);
                }
                depth += 1;
            }
            (None, ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    last
}

/// A delete of one attribute (appcmd's `-name`, as in `/username:"" --password`): a clear
/// of the attribute at the end of `path` at the commit level.
pub fn delete_change(path: &str) -> Result<Change, ChangeError> {
    check_xml_chars("the attribute path", path)?;
    let mut steps = parse_steps(path)?;
    match steps.pop() {
        Some(Step::Element(attribute)) => Ok(Change::Clear {
            element: steps,
            attribute: Some(attribute),
        }),
        _ => Err(ChangeError::NotAnAttribute {
            path: path.to_string(),
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
    if let Some(schema) = schema {
        steps = canonical_names(schema, &steps);
    }
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

/// Steps in the schema's spelling, the last one naming an element or an attribute.
fn canonical_names(schema: &SectionSchema, steps: &[Step]) -> Vec<Step> {
    let text = super::path::display_steps(steps);
    parse_steps(&super::names::canonical_dotted(schema, &text)).unwrap_or_else(|_| steps.to_vec())
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
    fn reads_position_prefixes() {
        assert_eq!(
            parse_change("+files.[@start,value='a.htm']").unwrap(),
            Change::Insert {
                element: vec![Step::Element("files".into())],
                attributes: pairs(&[("value", "a.htm")]),
                position: EntryPosition::Start,
            }
        );
        assert_eq!(
            parse_change("+files.[ @2 , value='a,@b']").unwrap(),
            Change::Insert {
                element: vec![Step::Element("files".into())],
                attributes: pairs(&[("value", "a,@b")]),
                position: EntryPosition::Index(2),
            }
        );
        assert_eq!(
            parse_change("+files.[@END,value='a']").unwrap(),
            parse_change("+files.[value='a']").unwrap()
        );
        let bad = parse_change("+files.[@first,value='a']").unwrap_err();
        assert_eq!(bad.position(), 7);
        assert!(bad.to_string().contains("`@first`"));
        assert!(parse_change("-files.[@start,value='a']").is_err());
        assert_eq!(
            parse_change("+[name='@x'].y.[@0,name='z']").unwrap(),
            Change::Insert {
                element: vec![
                    Step::Entry(pairs(&[("name", "@x")])),
                    Step::Element("y".into())
                ],
                attributes: pairs(&[("name", "z")]),
                position: EntryPosition::Index(0),
            }
        );
    }

    #[test]
    fn a_delete_clears_one_attribute() {
        assert_eq!(
            delete_change("password").unwrap(),
            Change::Clear {
                element: vec![],
                attribute: Some("password".into()),
            }
        );
        assert!(delete_change("files[value='a']").is_err());
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
