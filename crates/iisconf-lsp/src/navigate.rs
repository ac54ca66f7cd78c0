//! Navigation: the outline (sites, applications, virtual directories, application pools,
//! `<location>` paths and sections) and go to definition: from `applicationPool="X"` to the
//! pool, from `<location path="Site/app">` to the site or application, and from an
//! attribute to the level whose value it overrides or inherits.

use crate::context::hierarchy_for;
use crate::diagnostics::{place_range, uri_of, Texts};
use crate::place::SchemaPlace;
use crate::scan::{self, InTag, Kind, Open, Spot, StartTag};
use crate::server::State;
use crate::text::{Encoding, Text};
use iisconf_core::diagnostic::Place;
use iisconf_core::engine::Provenance;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, SymbolKind, Url,
};

/// The outline of the document.
pub fn symbols(state: &State, params: &DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let doc = state.docs.get(&params.text_document.uri)?;
    let registry = &state.workspace.registry;
    let text = &doc.text;
    let encoding = state.encoding;
    // Each open element, with the symbol it makes (if any) and the symbols of its children.
    struct Frame {
        name: String,
        symbol: Option<DocumentSymbol>,
        children: Vec<DocumentSymbol>,
    }
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let finish =
        |frame: Frame, end: usize, frames: &mut Vec<Frame>, roots: &mut Vec<DocumentSymbol>| {
            let mut made = match frame.symbol {
                Some(mut s) => {
                    s.range.end = text.position(end, encoding);
                    s.children = (!frame.children.is_empty()).then_some(frame.children);
                    vec![s]
                }
                None => frame.children,
            };
            match frames.last_mut() {
                Some(parent) => parent.children.append(&mut made),
                None => roots.append(&mut made),
            }
        };
    for token in scan::tokens(text.as_str()) {
        match token.kind {
            Kind::Start(tag) => {
                let mut names: Vec<&str> = frames.iter().map(|f| f.name.as_str()).collect();
                names.push(&tag.name);
                let symbol = symbol_of(registry, &names, &tag).map(|(name, detail, kind)| {
                    #[allow(deprecated)]
                    DocumentSymbol {
                        name,
                        detail,
                        kind,
                        tags: None,
                        deprecated: None,
                        range: text.range(token.span.start, token.span.end, encoding),
                        selection_range: text.range(
                            tag.name_span.start,
                            tag.name_span.end,
                            encoding,
                        ),
                        children: None,
                    }
                });
                let frame = Frame {
                    name: tag.name.clone(),
                    symbol,
                    children: Vec::new(),
                };
                if tag.self_closing {
                    finish(frame, token.span.end, &mut frames, &mut roots);
                } else {
                    frames.push(frame);
                }
            }
            Kind::End(name, _) => {
                if let Some(p) = frames.iter().rposition(|f| f.name == name) {
                    while frames.len() > p + 1 {
                        if let Some(f) = frames.pop() {
                            finish(f, token.span.start, &mut frames, &mut roots);
                        }
                    }
                    if let Some(f) = frames.pop() {
                        finish(f, token.span.end, &mut frames, &mut roots);
                    }
                }
            }
            _ => {}
        }
    }
    let end = text.as_str().len();
    while let Some(f) = frames.pop() {
        finish(f, end, &mut frames, &mut roots);
    }
    Some(DocumentSymbolResponse::Nested(roots))
}

/// The symbol an element makes: (name, detail, kind).
fn symbol_of(
    registry: &iisconf_core::schema::Registry,
    names: &[&str],
    tag: &StartTag,
) -> Option<(String, Option<String>, SymbolKind)> {
    let value = |name: &str| tag.attr(name).map(|a| a.value.clone());
    let parent = names
        .len()
        .checked_sub(2)
        .and_then(|i| names.get(i))
        .copied();
    match (parent, tag.name.as_str()) {
        (_, "location") => Some((
            format!("location \"{}\"", value("path").unwrap_or_default()),
            None,
            SymbolKind::NAMESPACE,
        )),
        (Some("sites"), "site") => Some((
            format!("site {}", value("name").unwrap_or_default()),
            value("id").map(|id| format!("id {id}")),
            SymbolKind::CLASS,
        )),
        (Some("site"), "application") => Some((
            format!("application {}", value("path").unwrap_or_default()),
            value("applicationPool").map(|p| format!("pool {p}")),
            SymbolKind::CLASS,
        )),
        (Some("application"), "virtualDirectory") => Some((
            format!("virtualDirectory {}", value("path").unwrap_or_default()),
            value("physicalPath"),
            SymbolKind::PACKAGE,
        )),
        (Some("applicationPools"), "add") => Some((
            format!("pool {}", value("name").unwrap_or_default()),
            None,
            SymbolKind::OBJECT,
        )),
        _ => match SchemaPlace::of(registry, names) {
            SchemaPlace::Section { section, path, .. } if path.is_empty() => {
                Some((section.name.clone(), None, SymbolKind::MODULE))
            }
            _ => None,
        },
    }
}

/// Where the thing at the params' position is defined.
pub fn definition(state: &State, params: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let uri = &at.text_document.uri;
    let doc = state.docs.get(uri)?;
    let encoding = state.encoding;
    let offset = doc.text.offset(at.position, encoding);
    let cursor = scan::cursor(doc.text.as_str(), offset);
    let Spot::Tag { tag, at: spot, .. } = &cursor.spot else {
        return None;
    };
    let index = match spot {
        InTag::AttrName(i) | InTag::AttrValue(i) => *i,
        _ => return None,
    };
    let attr = tag.attrs.get(index)?;
    let is_value = matches!(spot, InTag::AttrValue(_));
    if is_value && attr.name == "applicationPool" {
        let (apphost_uri, apphost) = apphost_text(state, uri, doc)?;
        let span = find_pool(apphost.as_str(), &attr.value)?;
        return Some(location(apphost_uri, &apphost, span, encoding));
    }
    if is_value && tag.name == "location" && attr.name == "path" {
        let path = state.path_of(uri);
        let h = hierarchy_for(state, &path, doc)?;
        let (hierarchy, id) = h.get();
        let level = hierarchy.level_of(id);
        let target = iisconf_core::engine::paths::join(
            level,
            &iisconf_core::config::normalize_path(&attr.value),
        );
        let (apphost_uri, apphost) = apphost_text(state, uri, doc)?;
        let span = find_site_or_application(apphost.as_str(), &target)?;
        return Some(location(apphost_uri, &apphost, span, encoding));
    }
    // An attribute: where the value it overrides (or inherits) was written.
    let path = state.path_of(uri);
    let h = hierarchy_for(state, &path, doc)?;
    let mut names = cursor.names();
    names.push(&tag.name);
    let SchemaPlace::Section {
        section,
        path: element_path,
        directive: None,
        ..
    } = SchemaPlace::of(&state.workspace.registry, &names)
    else {
        return None;
    };
    let mut stack = cursor.stack.clone();
    stack.push(Open { tag: tag.clone() });
    let (hierarchy, _) = h.get();
    let effective = hierarchy
        .effective_unchecked(&h.config_path(&stack), &section.name)
        .ok()?;
    let mut element = &effective.root;
    for p in &element_path {
        element = element.child(p)?;
    }
    let value = element.attribute(&attr.name)?;
    let here = doc.path.as_deref().map(crate::workspace::canonical);
    let written_here = |file: &str| {
        here.as_deref()
            .is_some_and(|h| crate::workspace::canonical(std::path::Path::new(file)) == h)
    };
    let origins = std::iter::once(&value.origin).chain(value.overrode.iter().rev().map(|(_, o)| o));
    for origin in origins {
        if let Provenance::File {
            file, line, column, ..
        } = origin
        {
            if written_here(file) && *line == line_of(&doc.text, attr.name_span.start) {
                continue;
            }
            let target = uri_of(file)?;
            let text = state.text_of(file)?;
            let place = Place {
                file: file.clone(),
                line: *line,
                column: *column,
                end_line: *line,
                end_column: *column,
            };
            return Some(GotoDefinitionResponse::Scalar(Location {
                uri: target,
                range: place_range(&text, &place, encoding),
            }));
        }
    }
    None
}

/// The 1-based line of byte `offset`.
fn line_of(text: &Text, offset: usize) -> u32 {
    text.position(offset, Encoding::Utf8).line + 1
}

/// A location of `span` in `text`.
fn location(
    uri: Url,
    text: &Text,
    span: std::ops::Range<usize>,
    encoding: Encoding,
) -> GotoDefinitionResponse {
    GotoDefinitionResponse::Scalar(Location {
        uri,
        range: text.range(span.start, span.end, encoding),
    })
}

/// The applicationHost.config of the document: itself when it holds sites or pools, else
/// the workspace's.
pub fn apphost_text(state: &State, uri: &Url, doc: &crate::server::Doc) -> Option<(Url, Text)> {
    let own = doc.text.as_str();
    if own.contains("<system.applicationHost") {
        return Some((uri.clone(), doc.text.clone()));
    }
    let apphost = state.workspace.apphost()?;
    let name = apphost.display().to_string();
    Some((uri_of(&name)?, state.text_of(&name)?))
}

/// The span of the `name` value of the application pool called `pool`.
fn find_pool(text: &str, pool: &str) -> Option<std::ops::Range<usize>> {
    pools(text)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(pool))
        .map(|(_, span)| span)
}

/// The application pools of an applicationHost.config's text: each name with the span of
/// its value.
pub fn pools(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut stack: Vec<Open> = Vec::new();
    let mut found = Vec::new();
    for token in scan::tokens(text) {
        if let Kind::Start(tag) = &token.kind {
            let in_pools = stack
                .last()
                .is_some_and(|o| o.tag.name == "applicationPools");
            if in_pools && tag.name == "add" {
                if let Some(name) = tag.attr("name") {
                    if let Some(span) = name.value_span.clone() {
                        found.push((name.value.clone(), span));
                    }
                }
            }
        }
        scan::step(&mut stack, token);
    }
    found
}

/// The span of the site (its `name` value) or application (its `path` value) that config
/// path `target` names (`Site` or `Site/app`; the longest application that fits).
fn find_site_or_application(text: &str, target: &str) -> Option<std::ops::Range<usize>> {
    let (site_name, rest) = target.split_once('/').unwrap_or((target, ""));
    let mut stack: Vec<Open> = Vec::new();
    let mut site_span = None;
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    let mut in_site = false;
    for token in scan::tokens(text) {
        if let Kind::Start(tag) = &token.kind {
            let parent = stack.last().map(|o| o.tag.name.as_str());
            if parent == Some("sites") && tag.name == "site" {
                let name = tag.attr("name");
                in_site = name.is_some_and(|n| n.value.eq_ignore_ascii_case(site_name));
                if in_site && site_span.is_none() {
                    site_span = name.and_then(|n| n.value_span.clone());
                }
            }
            if in_site && parent == Some("site") && tag.name == "application" {
                if let Some(path) = tag.attr("path") {
                    let app = iisconf_core::config::normalize_path(&path.value);
                    let fits = !app.is_empty()
                        && iisconf_core::engine::paths::is_ancestor_or_self(
                            &app.to_ascii_lowercase(),
                            &rest.to_ascii_lowercase(),
                        );
                    if fits && best.as_ref().is_none_or(|(len, _)| app.len() > *len) {
                        if let Some(span) = path.value_span.clone() {
                            best = Some((app.len(), span));
                        }
                    }
                }
            }
        }
        scan::step(&mut stack, token);
    }
    best.map(|(_, span)| span).or(site_span)
}
