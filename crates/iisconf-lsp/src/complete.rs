//! Completion: the section groups, sections and elements valid at the cursor (and only
//! those), the collection directives (`add`/`remove`/`clear` and their renamed forms, with
//! a snippet holding an entry's required keys), attribute names not yet written, and
//! values: enum and flags choices, `true`/`false`, overrideMode, the application pools for
//! `applicationPool`, and the sites of the hierarchy for a `<location path>`. The text is read by the forgiving tokenizer, so an
//! unfinished document completes as well as a finished one.

use crate::context::hierarchy_for;
use crate::place::{ChildKind, Directive, SchemaPlace};
use crate::scan::{self, InTag, Spot, StartTag};
use crate::server::State;
use crate::text::{Encoding, Text};
use iisconf_core::schema::{AttributeSchema, Registry};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, InsertTextFormat, MarkupContent, MarkupKind, TextEdit,
};
use std::ops::Range;

/// The completions at the params' position.
pub fn completion(state: &State, params: &CompletionParams) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    let uri = &at.text_document.uri;
    let doc = state.docs.get(uri)?;
    let text = &doc.text;
    let encoding = state.encoding;
    let offset = text.offset(at.position, encoding);
    let cursor = scan::cursor(text.as_str(), offset);
    let registry = &state.workspace.registry;
    let names = cursor.names();
    let edit = Edit { text, encoding };
    let items = match &cursor.spot {
        Spot::Tag { tag, at: spot, .. } => {
            let mut own = names.clone();
            own.push(&tag.name);
            match spot {
                InTag::Name => {
                    let parent = SchemaPlace::of(registry, &names);
                    let bare = tag.attrs.is_empty() && !tag.closed;
                    element_items(
                        registry,
                        &parent,
                        names.is_empty(),
                        &edit,
                        tag.name_span.clone(),
                        bare,
                        false,
                    )
                }
                InTag::AttrName(_) | InTag::Between => {
                    let place = SchemaPlace::of(registry, &own);
                    let replace = match spot {
                        InTag::AttrName(i) => tag.attrs.get(*i).map(|a| a.name_span.clone()),
                        _ => None,
                    }
                    .unwrap_or(offset..offset);
                    let has_value = match spot {
                        InTag::AttrName(i) => {
                            tag.attrs.get(*i).is_some_and(|a| a.value_span.is_some())
                        }
                        _ => false,
                    };
                    attribute_items(&place, tag, &edit, replace, has_value)
                }
                InTag::AttrValue(i) => {
                    let attr = tag.attrs.get(*i)?;
                    let span = attr.value_span.clone()?;
                    let place = SchemaPlace::of(registry, &own);
                    let schema = place.attributes().into_iter().find(|a| a.name == attr.name);
                    let mut items = value_items(
                        schema,
                        &tag.name,
                        &attr.name,
                        &attr.value,
                        span,
                        offset,
                        &edit,
                    );
                    if attr.name == "applicationPool" {
                        if let Some((_, apphost)) = crate::navigate::apphost_text(state, uri, doc) {
                            let span = attr.value_span.clone().unwrap_or(offset..offset);
                            items.extend(crate::navigate::pools(apphost.as_str()).into_iter().map(
                                |(name, _)| {
                                    edit.item(
                                        &name,
                                        CompletionItemKind::VALUE,
                                        Some("application pool".to_string()),
                                        span.clone(),
                                        name.clone(),
                                        false,
                                    )
                                },
                            ));
                        }
                    }
                    if tag.name == "location" && attr.name == "path" {
                        let path = state.path_of(uri);
                        if let Some(h) = hierarchy_for(state, &path, doc) {
                            let (hierarchy, id) = h.get();
                            if id.is_apphost() && hierarchy.has_apphost() {
                                let span = attr.value_span.clone().unwrap_or(offset..offset);
                                items.extend(site_items(hierarchy, &edit, span));
                            }
                        }
                    }
                    items
                }
            }
        }
        Spot::Content => {
            let parent = SchemaPlace::of(registry, &names);
            element_items(
                registry,
                &parent,
                names.is_empty(),
                &edit,
                offset..offset,
                true,
                true,
            )
        }
        Spot::Other => Vec::new(),
    };
    Some(CompletionResponse::Array(items))
}

/// Builds text edits over the document.
struct Edit<'a> {
    text: &'a Text,
    encoding: Encoding,
}

impl Edit<'_> {
    fn item(
        &self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        span: Range<usize>,
        new_text: String,
        snippet: bool,
    ) -> CompletionItem {
        CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            filter_text: Some(label.to_string()),
            insert_text_format: Some(if snippet {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: self.text.range(span.start, span.end, self.encoding),
                new_text,
            })),
            ..CompletionItem::default()
        }
    }
}

/// The elements that may start at the cursor: below `parent` (the document's root when
/// `at_root`). `bare`: nothing follows the name yet, so snippets may close the tag;
/// `with_bracket`: the `<` is not written yet.
fn element_items(
    registry: &Registry,
    parent: &SchemaPlace,
    at_root: bool,
    edit: &Edit,
    span: Range<usize>,
    bare: bool,
    with_bracket: bool,
) -> Vec<CompletionItem> {
    let open = if with_bracket { "<" } else { "" };
    if at_root {
        let new_text = if bare {
            format!("{open}configuration>\n\t$0\n</configuration>")
        } else {
            format!("{open}configuration")
        };
        return vec![edit.item(
            "configuration",
            CompletionItemKind::MODULE,
            Some("the root of a configuration file".to_string()),
            span,
            new_text,
            bare,
        )];
    }
    let mut items = Vec::new();
    for (name, kind) in parent.children(registry) {
        let child = parent.child(registry, &name);
        let (item_kind, detail) = match kind {
            ChildKind::Group => (CompletionItemKind::FOLDER, "section group"),
            ChildKind::Section => (CompletionItemKind::MODULE, "section"),
            ChildKind::Location => (CompletionItemKind::KEYWORD, "configuration"),
            ChildKind::Element => (CompletionItemKind::CLASS, "element"),
            ChildKind::Add => (CompletionItemKind::CONSTRUCTOR, "collection entry"),
            ChildKind::Remove => (CompletionItemKind::CONSTRUCTOR, "remove an inherited entry"),
            ChildKind::Clear => (
                CompletionItemKind::CONSTRUCTOR,
                "clear the inherited entries",
            ),
        };
        let snippet = bare.then(|| element_snippet(&name, kind, &child)).flatten();
        let mut item = match snippet {
            Some(body) => edit.item(
                &name,
                item_kind,
                Some(detail.to_string()),
                span.clone(),
                format!("{open}{body}"),
                true,
            ),
            None => edit.item(
                &name,
                item_kind,
                Some(detail.to_string()),
                span.clone(),
                format!("{open}{name}"),
                false,
            ),
        };
        if let Some(path) = child.description_path() {
            if let Some(d) = registry.description(&path) {
                item.documentation = Some(markdown(d));
            }
        }
        items.push(item);
    }
    items
}

/// The snippet of a new element: an entry with its keys and required attributes, a clear
/// directive closed, a section or element with its required attributes.
fn element_snippet(name: &str, kind: ChildKind, child: &SchemaPlace) -> Option<String> {
    let mut attrs: Vec<&AttributeSchema> = match child {
        SchemaPlace::Section {
            element,
            directive: Some((Directive::Add, collection)),
            ..
        } => {
            let mut list: Vec<&AttributeSchema> = collection.keys().collect();
            list.extend(
                element
                    .attributes
                    .iter()
                    .filter(|a| a.required && !a.is_key()),
            );
            list
        }
        SchemaPlace::Section {
            directive: Some((Directive::Remove, collection)),
            ..
        } => collection.keys().collect(),
        SchemaPlace::Section { element, .. } => {
            element.attributes.iter().filter(|a| a.required).collect()
        }
        _ => Vec::new(),
    };
    attrs.dedup_by(|a, b| a.name == b.name);
    let written: Vec<String> = attrs
        .iter()
        .enumerate()
        .map(|(i, a)| format!(" {}=\"${}\"", a.name, i + 1))
        .collect();
    Some(match kind {
        ChildKind::Clear => format!("{name} />$0"),
        ChildKind::Add | ChildKind::Remove => format!("{name}{} />$0", written.concat()),
        ChildKind::Element | ChildKind::Section if !written.is_empty() => {
            format!("{name}{} />$0", written.concat())
        }
        _ => format!("{name}>$0</{name}>"),
    })
}

/// The attributes the element of `tag` may still take.
fn attribute_items(
    place: &SchemaPlace,
    tag: &StartTag,
    edit: &Edit,
    span: Range<usize>,
    has_value: bool,
) -> Vec<CompletionItem> {
    let written = |name: &str| {
        tag.attrs
            .iter()
            .any(|a| a.name == name && a.name_span != span)
    };
    let mut items = Vec::new();
    let mut push = |name: &str, detail: String, doc: Option<String>| {
        if written(name) {
            return;
        }
        let (new_text, snippet) = if has_value {
            (name.to_string(), false)
        } else {
            (format!("{name}=\"$1\"$0"), true)
        };
        let mut item = edit.item(
            name,
            CompletionItemKind::PROPERTY,
            Some(detail),
            span.clone(),
            new_text,
            snippet,
        );
        item.documentation = doc.map(|d| markdown(&d));
        items.push(item);
    };
    for a in place.attributes() {
        let mut detail = a.kind.schema_name().to_string();
        if let Some(d) = &a.default_value {
            detail.push_str(&format!(" = {d}"));
        }
        if a.required {
            detail.push_str(" (required)");
        }
        push(&a.name, detail, None);
    }
    let meta: &[&str] = match place {
        SchemaPlace::Root { top: false } if tag.name == "location" => &[
            "path",
            "overrideMode",
            "inheritInChildApplications",
            "allowOverride",
        ],
        SchemaPlace::Section {
            directive: Some((Directive::Add, _)),
            ..
        } => &["lockItem", "lockAttributes", "lockAllAttributesExcept"],
        SchemaPlace::Section {
            directive: None,
            path,
            ..
        } => {
            if path.is_empty() {
                &[
                    "configSource",
                    "lockAttributes",
                    "lockAllAttributesExcept",
                    "lockElements",
                    "lockAllElementsExcept",
                ]
            } else {
                &[
                    "lockAttributes",
                    "lockAllAttributesExcept",
                    "lockElements",
                    "lockAllElementsExcept",
                ]
            }
        }
        _ => &[],
    };
    for name in meta {
        push(name, "configuration attribute".to_string(), None);
    }
    items
}

/// The values attribute `name` of element `element` may take; for flags, the choice that
/// replaces the comma-separated part at the cursor.
fn value_items(
    schema: Option<&AttributeSchema>,
    element: &str,
    name: &str,
    value: &str,
    span: Range<usize>,
    offset: usize,
    edit: &Edit,
) -> Vec<CompletionItem> {
    let choices: Vec<String> = match schema {
        Some(a) if !a.choices.is_empty() => a.choices.iter().map(|c| c.name.clone()).collect(),
        Some(a) if a.kind.schema_name() == "bool" => vec!["true".into(), "false".into()],
        None if element == "location" && name == "overrideMode" => {
            vec!["Allow".into(), "Deny".into(), "Inherit".into()]
        }
        None if name == "lockItem"
            || name == "inheritInChildApplications"
            || name == "allowOverride" =>
        {
            vec!["true".into(), "false".into()]
        }
        _ => Vec::new(),
    };
    let flags = schema.is_some_and(|a| a.kind.schema_name() == "flags");
    let replace = if flags {
        // The comma-separated part around the cursor.
        let inner = offset.saturating_sub(span.start).min(value.len());
        let before = value.get(..inner).unwrap_or("");
        let start = before.rfind(',').map_or(0, |i| i + 1);
        let after = value.get(inner..).unwrap_or("");
        let end = inner + after.find(',').unwrap_or(after.len());
        let lead = value
            .get(start..end)
            .map_or(0, |s| s.len() - s.trim_start().len());
        span.start + start + lead..span.start + end
    } else {
        span
    };
    choices
        .iter()
        .map(|c| {
            edit.item(
                c,
                CompletionItemKind::ENUM_MEMBER,
                None,
                replace.clone(),
                c.clone(),
                false,
            )
        })
        .collect()
}

/// The sites, applications and virtual directories of the hierarchy, for a location path.
fn site_items(
    hierarchy: &iisconf_core::engine::Hierarchy,
    edit: &Edit,
    span: Range<usize>,
) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    for site in hierarchy.sites() {
        for app in &site.applications {
            let path = iisconf_core::engine::paths::join(
                &site.name,
                &iisconf_core::config::normalize_path(&app.path),
            );
            let detail = if app.path == "/" {
                "site"
            } else {
                "application"
            };
            items.push(edit.item(
                &path,
                CompletionItemKind::FOLDER,
                Some(detail.to_string()),
                span.clone(),
                path.clone(),
                false,
            ));
        }
    }
    items
}

/// Markdown documentation.
fn markdown(text: &str) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text.to_string(),
    })
}
