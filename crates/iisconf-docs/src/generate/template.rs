//! Default-value templates: a section or element written out with every attribute at its
//! schema default, child elements included, as a commented template (`iisconf defaults`).
//!
//! Runtime members (`extension="…"`) are never written: they are not configuration.
//! Collections are shown as a comment naming their directives and keys; no entry is
//! invented. Attributes without a default are left out and named in a comment.

use super::writer::{first_sentence, XmlWriter};
use super::GenerateError;
use iisconf_core::schema::{AttributeSchema, ElementSchema, Registry, SectionSchema};
use iisconf_core::value;

/// What a template carries besides the elements.
#[derive(Clone, Copy, Debug)]
pub struct TemplateOptions {
    /// A comment before each element: its description and the attributes left out.
    pub element_comments: bool,
    /// A comment line per attribute (type, allowed values, description).
    pub attribute_comments: bool,
    /// For an element below a section: also write the section groups, the section and the
    /// elements around it, so the text can be pasted into a configuration file.
    pub wrap_in_parents: bool,
    /// A leading comment saying what the text is.
    pub header: bool,
}

impl Default for TemplateOptions {
    fn default() -> Self {
        TemplateOptions {
            element_comments: true,
            attribute_comments: false,
            wrap_in_parents: false,
            header: true,
        }
    }
}

/// The path (`SECTION[/ELEMENT…]`) of a section or element, checked against the registry.
struct Target<'r> {
    section: &'r SectionSchema,
    element: &'r ElementSchema,
    /// Names from the section element down to the element's parent.
    ancestors: Vec<String>,
    /// The element's schema path, for descriptions.
    path: String,
}

fn resolve<'r>(registry: &'r Registry, path: &str) -> Result<Target<'r>, GenerateError> {
    let path = path.trim_matches('/');
    let unknown = || GenerateError::UnknownPath {
        path: path.to_string(),
    };
    let (section, element, rest) = registry.resolve(path).ok_or_else(unknown)?;
    let mut cur = &section.root;
    let mut ancestors = vec![section.element_name().to_string()];
    let mut runtime = cur.extension.is_some();
    for (i, name) in rest.iter().enumerate() {
        cur = cur.descend(&[name.as_str()]).ok_or_else(unknown)?;
        runtime |= cur.extension.is_some();
        if i + 1 < rest.len() {
            ancestors.push(name.clone());
        }
    }
    if runtime {
        return Err(GenerateError::Runtime {
            path: path.to_string(),
        });
    }
    if rest.is_empty() {
        ancestors.clear();
    }
    let mut full = section.name.clone();
    for name in &rest {
        full.push('/');
        full.push_str(name);
    }
    Ok(Target {
        section,
        element,
        ancestors,
        path: full,
    })
}

/// The defaults template of `path` (`SECTION` or `SECTION/ELEMENT…`), with CRLF line ends.
///
/// A section is wrapped in its section groups (`<system.webServer><asp …>`); an element is
/// written alone unless [`TemplateOptions::wrap_in_parents`] is set.
pub fn defaults_template(
    registry: &Registry,
    path: &str,
    options: &TemplateOptions,
) -> Result<String, GenerateError> {
    let target = resolve(registry, path)?;
    let mut w = XmlWriter::new();
    if options.header {
        w.comment(&format!(
            "Defaults of {} from the loaded schema ({}), written by iisconf. Every attribute shown is at its schema default, so pasting this changes nothing until a value is edited. Runtime data is never written; collections are described, not filled.",
            target.path,
            target.section.sources.iter().map(|s| file_name(s)).collect::<Vec<_>>().join(", ")
        ));
    }
    let is_section = std::ptr::eq(target.element, &target.section.root);
    let mut open: Vec<&str> = Vec::new();
    if is_section || options.wrap_in_parents {
        let groups: Vec<&str> = target.section.name.split('/').collect();
        for g in groups.iter().take(groups.len().saturating_sub(1)) {
            open.push(g);
        }
        if !is_section {
            open.extend(target.ancestors.iter().map(String::as_str));
        }
    }
    for name in &open {
        w.start(name, &[]);
    }
    write_element(&mut w, registry, &target.path, target.element, options);
    for name in open.iter().rev() {
        w.end(name);
    }
    Ok(w.finish())
}

/// The file name of a schema source (`embedded:iis/core.webServer.xml` gives `core.webServer.xml`).
pub fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// The default of an attribute as it can be written, or `None` (no default, an encrypted
/// attribute, or a default that is not a valid value of its type).
pub fn writable_default(a: &AttributeSchema) -> Option<&str> {
    let d = a.default_value.as_deref()?;
    if a.encrypted || a.extension.is_some() {
        return None;
    }
    value::parse_value(&a.type_spec(), d).ok().map(|_| d)
}

/// Writes `element` (named `element.name`) with its defaults, children and collection notes.
/// `path` is its schema path, used to look up descriptions. Runtime members are skipped.
pub fn write_element(
    w: &mut XmlWriter,
    registry: &Registry,
    path: &str,
    element: &ElementSchema,
    options: &TemplateOptions,
) {
    if element.extension.is_some() {
        return;
    }
    let mut attrs = Vec::new();
    let mut required = Vec::new();
    let mut optional = Vec::new();
    let mut encrypted = Vec::new();
    for a in element.attributes.iter().filter(|a| a.extension.is_none()) {
        match writable_default(a) {
            Some(d) => attrs.push((a.name.clone(), d.to_string())),
            None if a.encrypted => encrypted.push(a.name.as_str()),
            None if a.required => required.push(format!("{} ({})", a.name, a.kind.schema_name())),
            None => optional.push(format!("{} ({})", a.name, a.kind.schema_name())),
        }
    }
    if options.element_comments {
        let mut text = String::new();
        if let Some(d) = registry.description(path) {
            text.push_str(&format!("{}: {}", element.name, first_sentence(d)));
        }
        let mut note = |label: &str, items: &[String]| {
            if !items.is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&format!("{label}: {}.", items.join(", ")));
            }
        };
        note("Required, no default (set it)", &required);
        note("No default, not written", &optional);
        let enc: Vec<String> = encrypted.iter().map(|s| s.to_string()).collect();
        note("Encrypted, not written", &enc);
        if !text.is_empty() {
            w.comment(&text);
        }
    }
    if options.attribute_comments {
        for a in element.attributes.iter().filter(|a| a.extension.is_none()) {
            let mut line = format!("@{} ({})", a.name, a.kind.schema_name());
            if let Some(d) = registry.description(&format!("{path}@{}", a.name)) {
                line.push_str(": ");
                line.push_str(first_sentence(d));
            }
            w.comment(&line);
        }
    }
    let children: Vec<&ElementSchema> = element
        .elements
        .iter()
        .filter(|e| e.extension.is_none())
        .collect();
    let collections: Vec<String> = element
        .collections
        .iter()
        .filter(|c| c.entry.extension.is_none())
        .map(collection_note)
        .collect();
    if children.is_empty() && collections.is_empty() {
        w.empty(&element.name, &attrs);
        return;
    }
    w.start(&element.name, &attrs);
    for child in children {
        write_element(
            w,
            registry,
            &format!("{path}/{}", child.name),
            child,
            options,
        );
    }
    for note in collections {
        w.comment(&note);
    }
    w.end(&element.name);
}

fn collection_note(c: &iisconf_core::schema::CollectionSchema) -> String {
    let keys: Vec<&str> = c.key_attributes().iter().map(|a| a.name.as_str()).collect();
    let required: Vec<&str> = c
        .entry
        .attributes
        .iter()
        .filter(|a| a.required && a.extension.is_none())
        .map(|a| a.name.as_str())
        .collect();
    let mut text = format!(
        "Collection (empty here): add entries as <{}>",
        c.add_elements.join("> or <")
    );
    if !keys.is_empty() {
        let joiner = if c.key_attributes().iter().any(|a| a.is_unique_key) {
            ", "
        } else {
            " + "
        };
        text.push_str(&format!(", identified by {}", keys.join(joiner)));
    }
    if !required.is_empty() {
        text.push_str(&format!("; required: {}", required.join(", ")));
    }
    if let Some(r) = &c.remove_element {
        text.push_str(&format!("; <{r}> takes out one inherited entry by its key"));
    }
    if let Some(cl) = &c.clear_element {
        text.push_str(&format!("; <{cl} /> takes out every inherited entry"));
    }
    text.push('.');
    text
}
