//! Where a chain of open element names sits in the IIS schema: the root of a configuration
//! file, a section group, a section (or an element or collection entry inside one), or
//! nowhere the schema knows. Hover, completion and "did you mean" all start here.

use iisconf_core::schema::{CollectionSchema, ElementSchema, Registry, SectionSchema};

/// A collection directive an element stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    /// An add directive: the element is an entry (`<add>`, `<site>`, `<allow>`…).
    Add,
    /// The remove directive: its attributes are the entry's keys.
    Remove,
    /// The clear directive: no attributes.
    Clear,
}

/// A place of the schema.
#[derive(Clone, Debug)]
pub enum SchemaPlace<'r> {
    /// Directly in `<configuration>` (or in a `<location>` tag): section groups, sections,
    /// `<location>` and `<configSections>` go here.
    Root {
        /// Whether it is `<configuration>` itself (not a `<location>`), where `<location>`
        /// and `<configSections>` may go.
        top: bool,
    },
    /// In a section group (`system.webServer`).
    Group(String),
    /// In a section, at one of its elements.
    Section {
        /// The section.
        section: &'r SectionSchema,
        /// The element's schema (for a remove or clear directive: the collection's entry).
        element: &'r ElementSchema,
        /// The element names below the section element.
        path: Vec<String>,
        /// The collection directive the element is, if it is one.
        directive: Option<(Directive, &'r CollectionSchema)>,
    },
    /// In `<configSections>` or a place the schema does not know.
    Unknown,
}

impl<'r> SchemaPlace<'r> {
    /// The place of the element named by the last of `names` (outermost first).
    pub fn of(registry: &'r Registry, names: &[&str]) -> SchemaPlace<'r> {
        let mut place = SchemaPlace::Root { top: false };
        let mut names = names.iter().copied().peekable();
        match names.peek() {
            Some(&"configuration") => {
                names.next();
                place = SchemaPlace::Root { top: true };
            }
            None => return SchemaPlace::Unknown,
            // A fragment: its root is read as if it were inside <configuration>.
            Some(_) => {}
        }
        for name in names {
            place = place.child(registry, name);
            if matches!(place, SchemaPlace::Unknown) {
                break;
            }
        }
        place
    }

    /// The place of a child element `name` of this place.
    pub fn child(&self, registry: &'r Registry, name: &str) -> SchemaPlace<'r> {
        match self {
            SchemaPlace::Root { top } => {
                if *top && name == "location" {
                    SchemaPlace::Root { top: false }
                } else {
                    group_or_section(registry, name)
                }
            }
            SchemaPlace::Group(group) => group_or_section(registry, &format!("{group}/{name}")),
            SchemaPlace::Section {
                section,
                element,
                path,
                directive,
            } => {
                if directive.is_some_and(|(d, _)| d != Directive::Add) {
                    return SchemaPlace::Unknown;
                }
                let mut path = path.clone();
                path.push(name.to_string());
                if let Some(child) = element.element(name) {
                    return SchemaPlace::Section {
                        section,
                        element: child,
                        path,
                        directive: None,
                    };
                }
                let Some(collection) = element.collection_for(name) else {
                    return SchemaPlace::Unknown;
                };
                let directive = if collection.add_elements.iter().any(|a| a == name) {
                    Directive::Add
                } else if collection.remove_element.as_deref() == Some(name) {
                    Directive::Remove
                } else {
                    Directive::Clear
                };
                SchemaPlace::Section {
                    section,
                    element: &collection.entry,
                    path,
                    directive: Some((directive, collection)),
                }
            }
            SchemaPlace::Unknown => SchemaPlace::Unknown,
        }
    }

    /// The schema path of this place for descriptions (`system.webServer/asp/session`; a
    /// collection entry named by its first add directive).
    pub fn description_path(&self) -> Option<String> {
        match self {
            SchemaPlace::Section {
                section,
                path,
                directive,
                ..
            } => {
                let mut parts = vec![section.name.clone()];
                let last = path.len().saturating_sub(1);
                for (i, p) in path.iter().enumerate() {
                    match directive {
                        Some((_, c)) if i == last => {
                            parts.push(c.add_elements.first().cloned().unwrap_or_else(|| p.clone()))
                        }
                        _ => parts.push(p.clone()),
                    }
                }
                Some(parts.join("/"))
            }
            SchemaPlace::Group(g) => Some(g.clone()),
            _ => None,
        }
    }

    /// The attributes an element at this place may carry.
    pub fn attributes(&self) -> Vec<&'r iisconf_core::schema::AttributeSchema> {
        match self {
            SchemaPlace::Section {
                element, directive, ..
            } => match directive {
                Some((Directive::Clear, _)) => Vec::new(),
                Some((Directive::Remove, c)) => c.keys().collect(),
                _ => element
                    .attributes
                    .iter()
                    .filter(|a| a.extension.is_none())
                    .collect(),
            },
            _ => Vec::new(),
        }
    }

    /// The names of the child elements valid here, each with what it is.
    pub fn children(&self, registry: &'r Registry) -> Vec<(String, ChildKind)> {
        match self {
            SchemaPlace::Root { top } => {
                let mut out = below(registry, "");
                if *top {
                    out.push(("location".to_string(), ChildKind::Location));
                    out.push(("configSections".to_string(), ChildKind::Location));
                }
                out
            }
            SchemaPlace::Group(g) => below(registry, g),
            SchemaPlace::Section {
                element, directive, ..
            } => {
                if directive.is_some_and(|(d, _)| d != Directive::Add) {
                    return Vec::new();
                }
                let mut out: Vec<(String, ChildKind)> = element
                    .elements
                    .iter()
                    .filter(|e| e.extension.is_none())
                    .map(|e| (e.name.clone(), ChildKind::Element))
                    .collect();
                for c in element
                    .collections
                    .iter()
                    .filter(|c| c.entry.extension.is_none())
                {
                    for add in &c.add_elements {
                        out.push((add.clone(), ChildKind::Add));
                    }
                    if let Some(r) = &c.remove_element {
                        out.push((r.clone(), ChildKind::Remove));
                    }
                    if let Some(r) = &c.clear_element {
                        out.push((r.clone(), ChildKind::Clear));
                    }
                }
                out
            }
            SchemaPlace::Unknown => Vec::new(),
        }
    }
}

/// What a child element name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildKind {
    /// A section group.
    Group,
    /// A section.
    Section,
    /// `<location>` or `<configSections>`.
    Location,
    /// A child element of a section's element.
    Element,
    /// A collection's add directive.
    Add,
    /// A collection's remove directive.
    Remove,
    /// A collection's clear directive.
    Clear,
}

/// The group or section called `path`.
fn group_or_section<'r>(registry: &'r Registry, path: &str) -> SchemaPlace<'r> {
    if let Some(section) = registry.section(path) {
        return SchemaPlace::Section {
            section,
            element: &section.root,
            path: Vec::new(),
            directive: None,
        };
    }
    let prefix = format!("{path}/");
    if registry.section_names().any(|s| s.starts_with(&prefix)) {
        SchemaPlace::Group(path.to_string())
    } else {
        SchemaPlace::Unknown
    }
}

/// The groups and sections directly below group `group` (`""`: the top).
fn below(registry: &Registry, group: &str) -> Vec<(String, ChildKind)> {
    let prefix = if group.is_empty() {
        String::new()
    } else {
        format!("{group}/")
    };
    let mut out: Vec<(String, ChildKind)> = Vec::new();
    for s in registry.section_names() {
        let Some(rest) = s.strip_prefix(&prefix) else {
            continue;
        };
        let (name, kind) = match rest.split_once('/') {
            Some((first, _)) => (first, ChildKind::Group),
            None => (rest, ChildKind::Section),
        };
        match out.iter_mut().find(|(n, _)| n == name) {
            // A name that is a section and the group of others (rare) stays a section.
            Some(existing) if kind == ChildKind::Section => existing.1 = kind,
            Some(_) => {}
            None => out.push((name.to_string(), kind)),
        }
    }
    out
}

/// The names among `candidates` that `given` may have meant: the same name in another
/// letter case first, then names at most two edits away.
pub fn did_you_mean<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| *c != given)
        .filter_map(|c| {
            if c.eq_ignore_ascii_case(given) {
                return Some((0, c));
            }
            let d = distance(&given.to_ascii_lowercase(), &c.to_ascii_lowercase());
            (d <= 2 && d < given.len()).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().map(|(_, c)| c).take(3).collect()
}

/// The Levenshtein distance between `a` and `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            let value = (prev + cost).min(up + 1).min(left + 1);
            prev = up;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_of_groups_sections_elements_and_directives() {
        let registry = Registry::embedded();
        let place = SchemaPlace::of(&registry, &["configuration", "system.webServer", "asp"]);
        assert_eq!(
            place.description_path().as_deref(),
            Some("system.webServer/asp")
        );
        let children = place.children(&registry);
        assert!(children
            .iter()
            .any(|(n, k)| n == "session" && *k == ChildKind::Element));
        let files = SchemaPlace::of(
            &registry,
            &[
                "configuration",
                "location",
                "system.webServer",
                "defaultDocument",
                "files",
                "remove",
            ],
        );
        let keys: Vec<&str> = files.attributes().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(keys, ["value"]);
        assert!(matches!(
            SchemaPlace::of(&registry, &["configuration", "system.webServer"]),
            SchemaPlace::Group(_)
        ));
        assert!(matches!(
            SchemaPlace::of(&registry, &["configuration", "nope"]),
            SchemaPlace::Unknown
        ));
    }

    #[test]
    fn did_you_mean_prefers_the_other_letter_case() {
        let names = ["session", "cache", "limits", "Session2"];
        assert_eq!(
            did_you_mean("Session", names.iter().copied()),
            ["session", "Session2"]
        );
        assert_eq!(
            did_you_mean("sesion", names.iter().copied()),
            ["session", "Session2"]
        );
        assert!(did_you_mean("zzzzzz", names.iter().copied()).is_empty());
    }
}
