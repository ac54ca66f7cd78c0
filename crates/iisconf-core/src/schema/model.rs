//! The schema model: sections, elements, collections, attributes and methods as declared
//! in IIS schema files (`<configSchema>`).

use crate::value::{Choice, TimeSpanFormat, TypeSpec, Validator, ValueKind};
use serde::{Deserialize, Serialize};

/// Where a schema node was declared: file name and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The schema file (a path, or `embedded:NAME` for the project's own schema).
    pub file: String,
    /// 1-based line of the declaring tag.
    pub line: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One `<attribute>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeSchema {
    /// Attribute name (case-sensitive, as in the configuration files).
    pub name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub kind: ValueKind,
    /// Default value as written in the schema, if any.
    pub default_value: Option<String>,
    /// `required="true"`: the attribute must be present on every element written.
    pub required: bool,
    /// `isUniqueKey="true"`: the key of a collection entry.
    pub is_unique_key: bool,
    /// `isCombinedKey="true"`: part of a collection entry's combined key.
    pub is_combined_key: bool,
    /// `caseSensitive="true"`: keys compare case-sensitively.
    pub case_sensitive: bool,
    /// `encrypted="true"`: stored encrypted (passwords).
    pub encrypted: bool,
    /// `expanded="true"`: environment variables are expanded when read.
    pub expanded: bool,
    /// `allowInfinite="true"`: the value `Infinite` is accepted.
    pub allow_infinite: bool,
    /// How a timeSpan is written.
    pub time_span_format: TimeSpanFormat,
    /// `validationType` as written.
    pub validation_type: Option<String>,
    /// `validationParameter` as written.
    pub validation_parameter: Option<String>,
    /// The parsed validator (absent when the type is unknown: a load warning says so).
    #[serde(skip)]
    pub validator: Option<Validator>,
    /// Enum or flag values.
    pub choices: Vec<Choice>,
    /// COM ProgID supplying the value at run time: the attribute is runtime data.
    pub extension: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

impl AttributeSchema {
    /// The parsing rules for this attribute's values.
    pub fn type_spec(&self) -> TypeSpec<'_> {
        TypeSpec {
            kind: self.kind,
            allow_infinite: self.allow_infinite,
            time_span_format: self.time_span_format,
            choices: &self.choices,
        }
    }

    /// The validator [`AttributeSchema::validation_type`] and
    /// [`AttributeSchema::validation_parameter`] describe: `None` without a type, the reason
    /// when they describe none. What the loader and the compiled schema both build
    /// [`AttributeSchema::validator`] with.
    pub(crate) fn parse_validator(&self) -> Option<Result<Validator, String>> {
        let t = self.validation_type.as_deref()?;
        Some(Validator::parse(t, self.validation_parameter.as_deref()))
    }

    /// Whether the attribute is part of its collection entry's key.
    pub fn is_key(&self) -> bool {
        self.is_unique_key || self.is_combined_key
    }
}

/// One `<method>` (runtime operation, e.g. an FTP session's `Terminate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodSchema {
    /// Method name.
    pub name: String,
    /// COM ProgID implementing it.
    pub extension: Option<String>,
    /// `<inputElement>`: the method's parameters.
    pub input: Option<ElementSchema>,
    /// `<outputElement>`: what it returns.
    pub output: Option<ElementSchema>,
    /// Where it was declared.
    pub origin: Origin,
}

/// A `<collection>`: the add/remove/clear directives of an element and its entries' schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionSchema {
    /// Names of the add directive (`addElement` may list several, e.g. `allow,deny`).
    pub add_elements: Vec<String>,
    /// Name of the remove directive.
    pub remove_element: Option<String>,
    /// Name of the clear directive.
    pub clear_element: Option<String>,
    /// `mergeAppend="false"`: a child level's entries come before the parent's.
    pub merge_append: bool,
    /// `allowDuplicates="true"`: entries with equal keys are allowed.
    pub allow_duplicates: bool,
    /// `defaultElement`: the sibling element holding defaults for entries.
    pub default_element: Option<String>,
    /// The schema of one entry: its attributes, child elements and nested collections.
    pub entry: ElementSchema,
    /// Where it was declared.
    pub origin: Origin,
}

/// Whether two names are the same: the lengths and first bytes, which tell most names of a
/// schema apart, are compared before the whole names (the lookups by name run for every
/// attribute and element a lint reads).
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl CollectionSchema {
    /// Whether `name` is one of this collection's directives.
    pub fn is_directive(&self, name: &str) -> bool {
        self.add_elements.iter().any(|a| same_name(a, name))
            || self
                .remove_element
                .as_deref()
                .is_some_and(|r| same_name(r, name))
            || self
                .clear_element
                .as_deref()
                .is_some_and(|c| same_name(c, name))
    }

    /// The key attributes of an entry (unique key, or the combined key in order).
    pub fn key_attributes(&self) -> Vec<&AttributeSchema> {
        self.keys().collect()
    }

    /// Like [`CollectionSchema::key_attributes`], without collecting them.
    pub fn keys(&self) -> impl Iterator<Item = &AttributeSchema> + Clone {
        let unique = self.entry.attributes.iter().any(|a| a.is_unique_key);
        self.entry.attributes.iter().filter(move |a| {
            if unique {
                a.is_unique_key
            } else {
                a.is_combined_key
            }
        })
    }
}

/// A section, an `<element>`, or a collection entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementSchema {
    /// Element name (for a section: the last part of the section path; for a collection
    /// entry: the first add directive name).
    pub name: String,
    /// Attributes in declaration order.
    pub attributes: Vec<AttributeSchema>,
    /// Named child elements.
    pub elements: Vec<ElementSchema>,
    /// Collections of this element (normally at most one; real files have one element
    /// with two).
    pub collections: Vec<CollectionSchema>,
    /// Runtime methods.
    pub methods: Vec<MethodSchema>,
    /// `allowUnrecognizedAttributes="true"`.
    pub allow_unrecognized_attributes: bool,
    /// `isCollectionDefault="true"`: this element supplies defaults to a collection's entries.
    pub is_collection_default: bool,
    /// COM ProgID supplying the element at run time: runtime data, never configured.
    pub extension: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

impl ElementSchema {
    pub(crate) fn new(name: &str, origin: Origin) -> ElementSchema {
        ElementSchema {
            name: name.to_string(),
            attributes: Vec::new(),
            elements: Vec::new(),
            collections: Vec::new(),
            methods: Vec::new(),
            allow_unrecognized_attributes: false,
            is_collection_default: false,
            extension: None,
            origin,
        }
    }

    /// The attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeSchema> {
        self.attributes.iter().find(|a| same_name(&a.name, name))
    }

    /// The child element called `name`.
    pub fn element(&self, name: &str) -> Option<&ElementSchema> {
        self.elements.iter().find(|e| same_name(&e.name, name))
    }

    /// The collection that has `name` as a directive (add, remove or clear).
    pub fn collection_for(&self, name: &str) -> Option<&CollectionSchema> {
        self.collections.iter().find(|c| c.is_directive(name))
    }

    /// The element's (first) collection.
    pub fn collection(&self) -> Option<&CollectionSchema> {
        self.collections.first()
    }

    /// Follows a path of child element names (or collection entry names) down from here.
    pub fn descend(&self, path: &[&str]) -> Option<&ElementSchema> {
        let mut cur = self;
        for name in path {
            cur = match cur.element(name) {
                Some(e) => e,
                None => {
                    let c = cur.collection_for(name)?;
                    if c.add_elements.iter().any(|a| a == name) {
                        &c.entry
                    } else {
                        return None;
                    }
                }
            };
        }
        Some(cur)
    }
}

/// A `<sectionSchema>`, merged across every file that declares part of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionSchema {
    /// Full section path, e.g. `system.webServer/asp`.
    pub name: String,
    /// The section element's schema.
    pub root: ElementSchema,
    /// Every file that contributed a fragment, in load order.
    pub sources: Vec<String>,
}

impl SectionSchema {
    /// The section's element name (the last part of its path).
    pub fn element_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}
