//! The loaded schema model as JSON, for other tools.
//!
//! Top-level shape (`formatVersion` 1):
//!
//! ```text
//! {
//!   "format": "iisconf-schema",
//!   "formatVersion": 1,
//!   "generator": "iisconf 0.1.0",
//!   "files":    [ { "name", "embedded", "stats": { "sections", "attributes", … } } ],
//!   "warnings": [ { "file", "line", "column", "message" } ],
//!   "sections": [ { "name", "sources", "declaration": { "allowDefinition",
//!                   "overrideModeDefault", "allowLocation", "source" }, "root": ELEMENT } ],
//!   "descriptions": { "SECTION/element@attribute": "text", … }
//! }
//! ELEMENT = { "name", "attributes": [ATTRIBUTE], "elements": [ELEMENT],
//!             "collections": [ { "addElements", "removeElement", "clearElement",
//!                                "mergeAppend", "allowDuplicates", "defaultElement",
//!                                "entry": ELEMENT, "origin" } ],
//!             "methods": [ { "name", "extension", "input", "output", "origin" } ],
//!             "allowUnrecognizedAttributes", "isCollectionDefault",
//!             "extension" (non-null: runtime data), "origin": { "file", "line" } }
//! ATTRIBUTE = { "name", "type" ("Bool", "UInt", "Int", "Int64", "String", "TimeSpan",
//!               "Enum", "Flags"), "defaultValue", "required", "isUniqueKey",
//!               "isCombinedKey", "caseSensitive", "encrypted", "expanded", "allowInfinite",
//!               "timeSpanFormat", "validationType", "validationParameter",
//!               "choices": [ { "name", "value" } ], "extension", "origin" }
//! ```
//!
//! Description keys follow `schema/descriptions.xml`: `@` marks an attribute, `#` a method.

use crate::generate::{DeclarationSource, Declarations, StockDeclaration};
use iisconf_core::schema::{ElementSchema, Registry, SchemaFile, SchemaWarning, SectionSchema};
use serde::Serialize;
use std::collections::BTreeMap;

/// The JSON format's version; raised when the shape changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export<'r> {
    format: &'static str,
    format_version: u32,
    generator: String,
    files: &'r [SchemaFile],
    warnings: &'r [SchemaWarning],
    sections: Vec<SectionOut<'r>>,
    descriptions: BTreeMap<String, &'r str>,
}

#[derive(Serialize)]
struct SectionOut<'r> {
    #[serde(flatten)]
    section: &'r SectionSchema,
    declaration: DeclarationOut,
}

/// A declaration as the JSON format shows it: the attributes as written (`null` when not
/// written) and where it comes from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeclarationOut {
    name: String,
    allow_definition: Option<&'static str>,
    override_mode_default: Option<&'static str>,
    allow_location: Option<&'static str>,
    source: DeclarationSource,
}

impl From<StockDeclaration> for DeclarationOut {
    fn from(d: StockDeclaration) -> DeclarationOut {
        DeclarationOut {
            allow_definition: d.allow_definition(),
            override_mode_default: d.override_mode_default(),
            allow_location: d.allow_location(),
            source: d.source,
            name: d.declaration.name,
        }
    }
}

fn collect<'r>(
    registry: &'r Registry,
    path: &str,
    e: &ElementSchema,
    out: &mut BTreeMap<String, &'r str>,
) {
    if let Some(d) = registry.description(path) {
        out.insert(path.to_string(), d);
    }
    for a in &e.attributes {
        let p = format!("{path}@{}", a.name);
        if let Some(d) = registry.description(&p) {
            out.insert(p, d);
        }
    }
    for m in &e.methods {
        let p = format!("{path}#{}", m.name);
        if let Some(d) = registry.description(&p) {
            out.insert(p, d);
        }
    }
    for c in &e.elements {
        collect(registry, &format!("{path}/{}", c.name), c, out);
    }
    for c in &e.collections {
        collect(registry, &format!("{path}/{}", c.entry.name), &c.entry, out);
    }
}

/// The JSON text (pretty-printed).
pub fn render(registry: &Registry) -> Result<String, serde_json::Error> {
    let declarations = Declarations::stock();
    let mut descriptions = BTreeMap::new();
    for s in registry.sections() {
        collect(registry, &s.name, &s.root, &mut descriptions);
    }
    let export = Export {
        format: "iisconf-schema",
        format_version: FORMAT_VERSION,
        generator: format!("iisconf {}", env!("CARGO_PKG_VERSION")),
        files: registry.files(),
        warnings: registry.warnings(),
        sections: registry
            .sections()
            .map(|s| SectionOut {
                section: s,
                declaration: declarations.get(&s.name).into(),
            })
            .collect(),
        descriptions,
    };
    serde_json::to_string_pretty(&export)
}
