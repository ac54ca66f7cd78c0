//! Reads one IIS-format schema file (`<configSchema>`) into section fragments, counting
//! what it declares and collecting warnings for the quirks real files carry.

use super::error::{SchemaError, SchemaWarning};
use super::model::{
    AttributeSchema, CollectionSchema, ElementSchema, MethodSchema, Origin, SectionSchema,
};
use crate::value::{self, Choice, TimeSpanFormat, ValueKind};
use iisconf_xml::{Document, NodeId};
use serde::{Deserialize, Serialize};

/// How many of each declaration one schema file holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaStats {
    /// `<sectionSchema>` tags.
    pub sections: usize,
    /// `<attribute>` tags.
    pub attributes: usize,
    /// `<element>` tags.
    pub elements: usize,
    /// `<collection>` tags.
    pub collections: usize,
    /// `<enum>` tags.
    pub enums: usize,
    /// `<flag>` tags.
    pub flags: usize,
    /// `<method>` tags.
    pub methods: usize,
}

/// The result of reading one schema file. build.rs stores it for each embedded file (see
/// `archive`) without the warnings, which the registry drops for those files, and without the
/// validators, which are built again from the attributes' validation type and parameter.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct LoadedFile {
    pub sections: Vec<SectionSchema>,
    pub stats: SchemaStats,
    #[serde(skip)]
    pub warnings: Vec<SchemaWarning>,
}

/// Deeper nesting than this is ignored with a warning (real files nest fewer than 10 levels).
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    doc: &'a Document,
    file: &'a str,
    stats: SchemaStats,
    warnings: Vec<SchemaWarning>,
}

/// Parses the schema file `file` (its name for messages) from `bytes`.
pub(crate) fn load_file(file: &str, bytes: &[u8]) -> Result<LoadedFile, SchemaError> {
    let doc = Document::parse(bytes).map_err(|error| SchemaError::Parse {
        file: file.to_string(),
        error,
    })?;
    let root = doc.root_element().ok_or_else(|| SchemaError::NotASchema {
        file: file.to_string(),
        found: String::new(),
    })?;
    if doc.name(root) != "configSchema" {
        return Err(SchemaError::NotASchema {
            file: file.to_string(),
            found: doc.name(root).to_string(),
        });
    }
    let mut reader = Reader {
        doc: &doc,
        file,
        stats: SchemaStats::default(),
        warnings: Vec::new(),
    };
    let mut sections = Vec::new();
    for child in doc.child_elements(root) {
        match doc.name(child) {
            "sectionSchema" => {
                reader.stats.sections += 1;
                if let Some(section) = reader.section(child) {
                    sections.push(section);
                }
            }
            other => reader.warn(child, format!("unknown schema element <{other}> ignored")),
        }
    }
    Ok(LoadedFile {
        sections,
        stats: reader.stats,
        warnings: reader.warnings,
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl Reader<'_> {
    fn origin(&self, node: NodeId) -> Origin {
        Origin {
            file: self.file.to_string(),
            line: self.doc.node_position(node).map_or(0, |p| p.line),
        }
    }

    fn warn(&mut self, node: NodeId, message: String) {
        let pos = self.doc.node_position(node);
        self.warnings.push(SchemaWarning {
            file: self.file.to_string(),
            line: pos.map_or(0, |p| p.line),
            column: pos.map_or(0, |p| p.column),
            message,
        });
    }

    /// Reads the tag's attributes, warning about any not in `known`.
    fn attrs(&mut self, node: NodeId, known: &[&str]) -> Vec<(String, String)> {
        let doc = self.doc;
        let tag = doc.name(node).to_string();
        let mut out = Vec::new();
        for a in doc.attributes(node) {
            if known.contains(&a.name) {
                out.push((a.name.to_string(), a.value().into_owned()));
            } else {
                self.warn(
                    node,
                    format!("unknown schema attribute `{}` on <{tag}> ignored", a.name),
                );
            }
        }
        out
    }

    fn flag(&mut self, node: NodeId, name: &str, value: &str) -> bool {
        match parse_bool(value) {
            Some(b) => b,
            None => {
                self.warn(
                    node,
                    format!("`{name}=\"{value}\"` is not true or false; read as false"),
                );
                false
            }
        }
    }

    fn section(&mut self, node: NodeId) -> Option<SectionSchema> {
        let attrs = self.attrs(node, &["name", "allowUnrecognizedAttributes"]);
        let Some(name) = attrs
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone())
        else {
            self.warn(node, "<sectionSchema> without a name ignored".to_string());
            return None;
        };
        let element_name = name.rsplit('/').next().unwrap_or(&name).to_string();
        let mut root = ElementSchema::new(&element_name, self.origin(node));
        for (k, v) in &attrs {
            if k == "allowUnrecognizedAttributes" {
                root.allow_unrecognized_attributes = self.flag(node, k, v);
            }
        }
        self.children(node, &mut root, 0);
        Some(SectionSchema {
            name,
            root,
            sources: vec![self.file.to_string()],
        })
    }

    /// Reads attribute, element, collection and method children into `into`.
    fn children(&mut self, node: NodeId, into: &mut ElementSchema, depth: usize) {
        if depth > MAX_DEPTH {
            self.warn(
                node,
                "schema nesting too deep; the rest is ignored".to_string(),
            );
            return;
        }
        let doc = self.doc;
        for child in doc.child_elements(node) {
            match doc.name(child) {
                "attribute" => {
                    self.stats.attributes += 1;
                    if let Some(a) = self.attribute(child) {
                        if into.attribute(&a.name).is_some() {
                            self.warn(
                                child,
                                format!("attribute `{}` declared twice; the first is kept", a.name),
                            );
                        } else {
                            into.attributes.push(a);
                        }
                    }
                }
                "element" => {
                    self.stats.elements += 1;
                    if let Some(e) = self.element(child, depth) {
                        into.elements.push(e);
                    }
                }
                "collection" => {
                    self.stats.collections += 1;
                    if let Some(c) = self.collection(child, depth) {
                        if let Some(first) = into.collections.first() {
                            let first = first.add_elements.join(",");
                            self.warn(
                                child,
                                format!(
                                    "<{}> has a second <collection> (addElement=\"{}\") besides \"{first}\"; both are kept",
                                    into.name,
                                    c.add_elements.join(",")
                                ),
                            );
                        }
                        into.collections.push(c);
                    }
                }
                "method" => {
                    self.stats.methods += 1;
                    if let Some(m) = self.method(child, depth) {
                        into.methods.push(m);
                    }
                }
                other => self.warn(child, format!("unknown schema element <{other}> ignored")),
            }
        }
    }

    fn element(&mut self, node: NodeId, depth: usize) -> Option<ElementSchema> {
        let attrs = self.attrs(
            node,
            &[
                "name",
                "isCollectionDefault",
                "extension",
                "allowUnrecognizedAttributes",
            ],
        );
        let Some(name) = attrs
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone())
        else {
            self.warn(node, "<element> without a name ignored".to_string());
            return None;
        };
        let mut e = ElementSchema::new(&name, self.origin(node));
        for (k, v) in &attrs {
            match k.as_str() {
                "isCollectionDefault" => e.is_collection_default = self.flag(node, k, v),
                "allowUnrecognizedAttributes" => {
                    e.allow_unrecognized_attributes = self.flag(node, k, v)
                }
                "extension" => e.extension = Some(v.clone()),
                _ => {}
            }
        }
        self.children(node, &mut e, depth + 1);
        Some(e)
    }

    fn collection(&mut self, node: NodeId, depth: usize) -> Option<CollectionSchema> {
        let attrs = self.attrs(
            node,
            &[
                "addElement",
                "removeElement",
                "clearElement",
                "mergeAppend",
                "allowDuplicates",
                "defaultElement",
                "allowUnrecognizedAttributes",
            ],
        );
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let add_elements: Vec<String> = get("addElement")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if add_elements.is_empty() {
            self.warn(node, "<collection> without addElement ignored".to_string());
            return None;
        }
        let mut entry = ElementSchema::new(&add_elements[0], self.origin(node));
        let mut c = CollectionSchema {
            remove_element: get("removeElement"),
            clear_element: get("clearElement"),
            merge_append: true,
            allow_duplicates: false,
            default_element: get("defaultElement"),
            add_elements,
            entry: ElementSchema::new("", self.origin(node)),
            origin: self.origin(node),
        };
        if let Some(v) = get("mergeAppend") {
            c.merge_append = self.flag(node, "mergeAppend", &v);
        }
        if let Some(v) = get("allowDuplicates") {
            c.allow_duplicates = self.flag(node, "allowDuplicates", &v);
        }
        if let Some(v) = get("allowUnrecognizedAttributes") {
            entry.allow_unrecognized_attributes =
                self.flag(node, "allowUnrecognizedAttributes", &v);
        }
        self.children(node, &mut entry, depth + 1);
        c.entry = entry;
        Some(c)
    }

    fn method(&mut self, node: NodeId, depth: usize) -> Option<MethodSchema> {
        let attrs = self.attrs(node, &["name", "extension"]);
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let Some(name) = get("name") else {
            self.warn(node, "<method> without a name ignored".to_string());
            return None;
        };
        let mut m = MethodSchema {
            name,
            extension: get("extension"),
            input: None,
            output: None,
            origin: self.origin(node),
        };
        let doc = self.doc;
        for child in doc.child_elements(node) {
            let tag = doc.name(child);
            if tag != "inputElement" && tag != "outputElement" {
                self.warn(
                    child,
                    format!("unknown schema element <{tag}> in <method> ignored"),
                );
                continue;
            }
            self.attrs(child, &[]);
            let mut e = ElementSchema::new(tag, self.origin(child));
            self.children(child, &mut e, depth + 1);
            if tag == "inputElement" {
                m.input = Some(e);
            } else {
                m.output = Some(e);
            }
        }
        Some(m)
    }

    fn attribute(&mut self, node: NodeId) -> Option<AttributeSchema> {
        let attrs = self.attrs(
            node,
            &[
                "name",
                "type",
                "defaultValue",
                "defaultvalue",
                "required",
                "isUniqueKey",
                "isCombinedKey",
                "caseSensitive",
                "encrypted",
                "expanded",
                "allowInfinite",
                "timeSpanFormat",
                "validationType",
                "validationParameter",
                "extension",
                "displayHex",
            ],
        );
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let Some(name) = get("name") else {
            self.warn(node, "<attribute> without a name ignored".to_string());
            return None;
        };
        let kind = match get("type") {
            Some(t) => match ValueKind::from_schema_name(&t) {
                Some(k) => k,
                None => {
                    self.warn(
                        node,
                        format!("attribute `{name}` has unknown type `{t}`; read as string"),
                    );
                    ValueKind::String
                }
            },
            None => {
                self.warn(
                    node,
                    format!("attribute `{name}` has no type; read as string"),
                );
                ValueKind::String
            }
        };
        let mut default_value = get("defaultValue");
        if let Some(lower) = get("defaultvalue") {
            self.warn(
                node,
                format!(
                    "attribute `{name}` spells `defaultvalue` in lower case; read as defaultValue"
                ),
            );
            default_value.get_or_insert(lower);
        }
        let mut a = AttributeSchema {
            name: name.clone(),
            kind,
            default_value,
            required: false,
            is_unique_key: false,
            is_combined_key: false,
            case_sensitive: false,
            encrypted: false,
            expanded: false,
            allow_infinite: false,
            time_span_format: TimeSpanFormat::default(),
            validation_type: get("validationType"),
            validation_parameter: get("validationParameter"),
            validator: None,
            choices: Vec::new(),
            extension: get("extension"),
            origin: self.origin(node),
        };
        for (k, v) in &attrs {
            let target = match k.as_str() {
                "required" => &mut a.required,
                "isUniqueKey" => &mut a.is_unique_key,
                "isCombinedKey" => &mut a.is_combined_key,
                "caseSensitive" => &mut a.case_sensitive,
                "encrypted" => &mut a.encrypted,
                "expanded" => &mut a.expanded,
                "allowInfinite" => &mut a.allow_infinite,
                _ => continue,
            };
            *target = match parse_bool(v) {
                Some(b) => b,
                None => {
                    self.warn(
                        node,
                        format!("`{k}=\"{v}\"` is not true or false; read as false"),
                    );
                    false
                }
            };
        }
        if let Some(f) = get("timeSpanFormat") {
            match TimeSpanFormat::from_schema_name(&f) {
                Some(f) => a.time_span_format = f,
                None => self.warn(
                    node,
                    format!("attribute `{name}` has unknown timeSpanFormat `{f}`; read as string"),
                ),
            }
        }
        match a.parse_validator() {
            Some(Ok(v)) => a.validator = Some(v),
            Some(Err(e)) => {
                let t = a.validation_type.as_deref().unwrap_or_default();
                self.warn(
                    node,
                    format!("attribute `{name}`: validation `{t}` is not applied: {e}"),
                );
            }
            None => {}
        }
        self.choices(node, &mut a);
        if let Some(d) = &a.default_value {
            if let Err(e) = value::parse_value(&a.type_spec(), d) {
                self.warn(
                    node,
                    format!(
                        "default value \"{d}\" of attribute `{name}` is not a valid {}: {e}",
                        kind.schema_name()
                    ),
                );
            }
        }
        Some(a)
    }

    fn choices(&mut self, node: NodeId, a: &mut AttributeSchema) {
        let doc = self.doc;
        for child in doc.child_elements(node) {
            let tag = doc.name(child);
            match tag {
                "enum" => self.stats.enums += 1,
                "flag" => self.stats.flags += 1,
                other => {
                    self.warn(
                        child,
                        format!("unknown schema element <{other}> in <attribute> ignored"),
                    );
                    continue;
                }
            }
            let attrs = self.attrs(child, &["name", "value", "isCombinedKey"]);
            if attrs.iter().any(|(k, _)| k == "isCombinedKey") {
                self.warn(
                    child,
                    format!("`isCombinedKey` on <{tag}> has no meaning; ignored"),
                );
            }
            let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let (Some(name), Some(raw)) = (get("name"), get("value")) else {
                self.warn(child, format!("<{tag}> needs a name and a value; ignored"));
                continue;
            };
            let parsed = raw
                .trim()
                .strip_prefix("0x")
                .map(|hex| i64::from_str_radix(hex, 16).ok())
                .unwrap_or_else(|| raw.trim().parse::<i64>().ok());
            match parsed {
                Some(value) => a.choices.push(Choice { name, value }),
                None => self.warn(
                    child,
                    format!("<{tag} name=\"{name}\"> has value \"{raw}\", which is not a number; ignored"),
                ),
            }
        }
    }
}
