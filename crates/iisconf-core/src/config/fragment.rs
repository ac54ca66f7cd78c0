//! Fragments: files whose root is not `<configuration>` but a place of the schema — a
//! section group (`<system.webServer>`), a section (`<httpCompression>`) or an element that
//! only one section holds (`<site>`). Documentation samples and snippets kept in
//! repositories take this form.
//!
//! A fragment is checked as the configuration file that would hold it: its text is wrapped,
//! on the root element's own line, in `<configuration>`, the stock section declarations and
//! the elements above its place, so every line keeps its number; [`Fragment::unshift`] puts
//! the columns of the root's line back where the file has them.

use super::ConfigFile;
use crate::schema::{ElementSchema, Registry};
use iisconf_xml::{Document, ParseError, Span};

/// What a fragment's root element was checked as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentPlace {
    /// A section group, e.g. `system.webServer`.
    Group(String),
    /// A section, e.g. `system.webServer/httpCompression`.
    Section(String),
    /// An element inside a section: the section and the element names below it, e.g.
    /// `system.applicationHost/sites` and `["site"]`.
    Element {
        /// The section holding the element.
        section: String,
        /// The element names from the section element down to the root of the fragment.
        path: Vec<String>,
    },
}

impl FragmentPlace {
    /// The place as one path, e.g. `system.applicationHost/sites/site`.
    pub fn path(&self) -> String {
        match self {
            FragmentPlace::Group(p) | FragmentPlace::Section(p) => p.clone(),
            FragmentPlace::Element { section, path } => format!("{section}/{}", path.join("/")),
        }
    }

    /// The element names to write above the fragment's root (outermost first).
    fn ancestors(&self) -> Vec<String> {
        let mut names: Vec<String> = match self {
            FragmentPlace::Group(p) | FragmentPlace::Section(p) => {
                p.split('/').map(str::to_string).collect()
            }
            FragmentPlace::Element { section, path } => section
                .split('/')
                .map(str::to_string)
                .chain(path.iter().cloned())
                .collect(),
        };
        names.pop();
        names
    }
}

/// How the root element of a file that is not `<configuration>` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootReading {
    /// The file is a whole configuration file.
    Configuration,
    /// The root names exactly one place (or the one asked for).
    Fragment(FragmentPlace),
    /// The root names several places: the file must say which (`--fragment`).
    Ambiguous(Vec<String>),
    /// The root names no place of the schema.
    NotConfiguration,
}

/// Reads the root element name `root` against the schema, the stock declarations and
/// `more` (further section names, e.g. machine.config's); `chosen` is a place the user
/// named (a group, a section or `section/element…`).
pub fn read_root<'a>(
    registry: &Registry,
    root: &str,
    chosen: Option<&str>,
    more: impl Iterator<Item = &'a str>,
) -> RootReading {
    if root == "configuration" {
        return RootReading::Configuration;
    }
    let mut sections = section_names(registry);
    sections.extend(more.map(str::to_string));
    sections.sort();
    sections.dedup();
    if let Some(chosen) = chosen {
        return RootReading::Fragment(place_named(registry, &sections, chosen.trim_matches('/')));
    }
    let mut places: Vec<FragmentPlace> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for name in &sections {
        if last_part(name) == root {
            places.push(FragmentPlace::Section(name.clone()));
        }
        let mut prefix = name.as_str();
        while let Some(i) = prefix.rfind('/') {
            prefix = &prefix[..i];
            if last_part(prefix) == root && !groups.iter().any(|g| g == prefix) {
                groups.push(prefix.to_string());
            }
        }
    }
    places.extend(groups.into_iter().map(FragmentPlace::Group));
    if places.is_empty() {
        for section in registry.sections() {
            let mut path = Vec::new();
            find_elements(&section.root, root, &mut path, &mut |p| {
                places.push(FragmentPlace::Element {
                    section: section.name.clone(),
                    path: p.to_vec(),
                })
            });
        }
    }
    places.dedup();
    match places.len() {
        0 => RootReading::NotConfiguration,
        1 => places
            .pop()
            .map_or(RootReading::NotConfiguration, RootReading::Fragment),
        _ => {
            let mut names: Vec<String> = places.iter().map(FragmentPlace::path).collect();
            names.sort();
            RootReading::Ambiguous(names)
        }
    }
}

/// The place a user named: a section, a section followed by element names, else a group.
fn place_named(registry: &Registry, sections: &[String], chosen: &str) -> FragmentPlace {
    if sections.iter().any(|s| s == chosen) {
        return FragmentPlace::Section(chosen.to_string());
    }
    let parts: Vec<&str> = chosen.split('/').collect();
    for cut in (1..parts.len()).rev() {
        let section = parts.get(..cut).unwrap_or(&[]).join("/");
        if registry.section(&section).is_some() {
            return FragmentPlace::Element {
                section,
                path: parts
                    .get(cut..)
                    .unwrap_or(&[])
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
        }
    }
    FragmentPlace::Group(chosen.to_string())
}

/// Every section the schema defines or the stock declarations declare.
fn section_names(registry: &Registry) -> Vec<String> {
    let mut names: Vec<String> = registry.section_names().map(str::to_string).collect();
    if let Some(stock) = stock_declarations() {
        names.extend(stock.declarations.into_iter().map(|d| d.name));
    }
    names.sort();
    names.dedup();
    names
}

fn stock_declarations() -> Option<ConfigFile> {
    ConfigFile::from_declarations("stock", crate::schema::STOCK_DECLARATIONS, "").ok()
}

fn last_part(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Calls `found` with the path (below `element`) of every element or collection entry named
/// `name`.
fn find_elements(
    element: &ElementSchema,
    name: &str,
    path: &mut Vec<String>,
    found: &mut dyn FnMut(&[String]),
) {
    for child in &element.elements {
        path.push(child.name.clone());
        if child.name == name {
            found(path);
        }
        find_elements(child, name, path, found);
        path.pop();
    }
    for collection in &element.collections {
        for add in &collection.add_elements {
            path.push(add.clone());
            if add == name {
                found(path);
            }
            find_elements(&collection.entry, name, path, found);
            path.pop();
        }
    }
}

/// `text` without its comments (the wrapper's declarations must not read as the file's
/// suppressions).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        rest = after
            .find("-->")
            .map_or("", |end| after.get(end + 3..).unwrap_or_default());
    }
    out.push_str(rest);
    out
}

/// A fragment wrapped into the configuration file that would hold it.
#[derive(Clone, Debug)]
pub struct Fragment {
    /// What it was checked as.
    pub place: FragmentPlace,
    /// The wrapped file (named like the fragment), to check as an applicationHost.config.
    pub file: ConfigFile,
    /// The fragment as read, for its own positions and source lines.
    pub original: Document,
    /// The byte offset of the root element in the original text.
    at: usize,
    /// The length of the text written before the root element (bytes; it is ASCII).
    shift: usize,
    /// The line of the root element.
    line: u32,
}

impl Fragment {
    /// Wraps the fragment `original` (named `name`) for `place`.
    pub fn wrap(
        name: &str,
        original: Document,
        place: FragmentPlace,
    ) -> Result<Fragment, ParseError> {
        let root = original.root_element();
        let at = root.and_then(|r| original.span(r)).map_or(0, |s| s.start);
        let line = original.position(at).line;
        let declarations = crate::schema::STOCK_DECLARATIONS;
        let declarations = without_comments(
            declarations
                .split_once("?>")
                .map_or(declarations, |(_, rest)| rest),
        )
        .replace(['\r', '\n'], " ");
        let ancestors = place.ancestors();
        let mut prefix = format!("<configuration>{declarations}");
        let mut suffix = String::new();
        for name in &ancestors {
            prefix.push_str(&format!("<{name}>"));
        }
        for name in ancestors.iter().rev() {
            suffix.push_str(&format!("</{name}>"));
        }
        suffix.push_str("</configuration>\n");
        let source = original.source();
        let text = format!(
            "{}{prefix}{}{suffix}",
            source.get(..at).unwrap_or_default(),
            source.get(at..).unwrap_or_default()
        );
        let file = ConfigFile::from_document(name, Document::parse_str(&text)?);
        Ok(Fragment {
            place,
            file,
            original,
            at,
            shift: prefix.len(),
            line,
        })
    }

    /// Where the root element of the fragment starts (its name), for the finding that says
    /// what the fragment was checked as.
    pub fn root_span(&self) -> Option<Span> {
        self.original
            .root_element()
            .and_then(|r| self.original.name_span(r))
    }

    /// A finding's place and span in the wrapped file, moved back to the fragment's own
    /// text (only the root element's line differs).
    pub fn unshift(&self, finding: &mut crate::diagnostic::Finding) {
        let columns = self.shift as u32;
        let root_column = self.original.position(self.at).column;
        let place = &mut finding.place;
        if place.line == self.line && place.column > root_column {
            place.column = place.column.saturating_sub(columns).max(root_column);
        }
        if place.end_line == self.line && place.end_column > root_column {
            place.end_column = place.end_column.saturating_sub(columns).max(root_column);
        }
        if let Some(span) = &mut finding.span {
            if span.start >= self.at {
                span.start = span.start.saturating_sub(self.shift).max(self.at);
            }
            if span.end >= self.at {
                span.end = span.end.saturating_sub(self.shift).max(self.at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> std::iter::Empty<&'static str> {
        std::iter::empty()
    }

    #[test]
    fn reads_roots_as_places() {
        let registry = Registry::embedded();
        assert_eq!(
            read_root(
                &registry,
                "system.web",
                None,
                ["system.web/compilation"].into_iter()
            ),
            RootReading::Fragment(FragmentPlace::Group("system.web".into()))
        );
        assert_eq!(
            read_root(&registry, "configuration", None, none()),
            RootReading::Configuration
        );
        assert_eq!(
            read_root(&registry, "site", None, none()),
            RootReading::Fragment(FragmentPlace::Element {
                section: "system.applicationHost/sites".into(),
                path: vec!["site".into()],
            })
        );
        assert_eq!(
            read_root(&registry, "system.webServer", None, none()),
            RootReading::Fragment(FragmentPlace::Group("system.webServer".into()))
        );
        assert_eq!(
            read_root(&registry, "asp", None, none()),
            RootReading::Fragment(FragmentPlace::Section("system.webServer/asp".into()))
        );
        assert_eq!(
            read_root(&registry, "widgets", None, none()),
            RootReading::NotConfiguration
        );
        assert_eq!(
            read_root(
                &registry,
                "x",
                Some("system.applicationHost/sites/site"),
                none()
            ),
            RootReading::Fragment(FragmentPlace::Element {
                section: "system.applicationHost/sites".into(),
                path: vec!["site".into()],
            })
        );
    }

    #[test]
    fn wraps_keeping_lines() {
        let doc = Document::parse_str(
            "<?xml version=\"1.0\"?>\n<asp>\n  <session max=\"x\" />\n</asp>\n",
        )
        .unwrap();
        let place = FragmentPlace::Section("system.webServer/asp".into());
        let fragment = Fragment::wrap("f.config", doc, place).unwrap();
        let root = fragment.file.root().unwrap();
        assert_eq!(fragment.file.doc.name(root), "configuration");
        assert_eq!(
            fragment.file.doc.line_text(3),
            Some("  <session max=\"x\" />")
        );
        assert_eq!(fragment.place.path(), "system.webServer/asp");
    }
}
