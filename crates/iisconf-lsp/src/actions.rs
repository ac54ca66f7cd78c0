//! Code actions: the fix every finding carries (safe ones as `quickfix`, unsafe ones, which
//! change what the configuration means, as `quickfix.unsafe` and titled so), and "did you
//! mean" for an element, attribute or section name the schema does not know, in another
//! letter case or misspelt.

use crate::diagnostics::{bom_len, finding_range, to_diagnostic, Texts};
use crate::place::{did_you_mean, SchemaPlace};
use crate::scan::{self, InTag, Kind, Spot};
use crate::server::State;
use crate::text::Text;
use iisconf_core::diagnostic::{Applicability, Finding, Rule};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Url,
    WorkspaceEdit,
};
use std::collections::HashMap;

/// The kind of an unsafe fix.
pub const UNSAFE_KIND: &str = "quickfix.unsafe";

/// The code actions for the findings in the params' range.
pub fn code_actions(state: &State, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(doc) = state.docs.get(uri) else {
        return Vec::new();
    };
    let encoding = state.encoding;
    let mut actions = Vec::new();
    for finding in &doc.findings {
        let range = finding_range(&doc.text, finding, encoding);
        if !overlaps(range, params.range) {
            continue;
        }
        let diagnostic = to_diagnostic(&doc.text, finding, encoding, state);
        if let Some(fix) = finding.fix() {
            if let Some(edit) = workspace_edit(state, uri, &doc.text, finding) {
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe {
                    capitalised(&fix.title)
                } else {
                    format!(
                        "Unsafe fix: {} (changes what the configuration means)",
                        fix.title
                    )
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(if safe {
                        CodeActionKind::QUICKFIX
                    } else {
                        CodeActionKind::from(UNSAFE_KIND.to_string())
                    }),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(safe),
                    ..CodeAction::default()
                }));
            }
        }
        // A finding whose fix is the rename already needs no second "did you mean".
        let suggestions = match finding.fix() {
            Some(_) => Vec::new(),
            None => did_you_mean_edits(state, &doc.text, finding),
        };
        for (title, edits) in suggestions {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Whether two ranges share a position.
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// `text` with its first letter upper-cased.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The edits of `finding`'s fix, by file (the document's own text, another open document's,
/// or the file on disk).
fn workspace_edit(
    state: &State,
    uri: &Url,
    text: &Text,
    finding: &Finding,
) -> Option<WorkspaceEdit> {
    let fix = finding.fix()?;
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let same = edit.place.file == finding.place.file;
        let (target, other);
        let file_text = if same {
            target = uri.clone();
            text
        } else {
            target = crate::diagnostics::uri_of(&edit.place.file)?;
            other = state.text_of(&edit.place.file)?;
            &other
        };
        let bom = bom_len(file_text);
        let range = file_text.range(edit.span.start + bom, edit.span.end + bom, state.encoding);
        changes.entry(target).or_default().push(TextEdit {
            range,
            new_text: edit.new_text.clone(),
        });
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// "Did you mean" for a name the schema does not know: (title, edits) per suggestion.
fn did_you_mean_edits(
    state: &State,
    text: &Text,
    finding: &Finding,
) -> Vec<(String, Vec<TextEdit>)> {
    if !matches!(
        finding.rule,
        Rule::UnrecognizedElement | Rule::UnrecognizedAttribute | Rule::UnknownSection
    ) {
        return Vec::new();
    }
    let Some(span) = &finding.span else {
        return Vec::new();
    };
    let registry = &state.workspace.registry;
    let encoding = state.encoding;
    let source = text.as_str();
    let offset = span.start + bom_len(text) + 1;
    let cursor = scan::cursor(source, offset);
    let Spot::Tag {
        tag,
        span: tag_span,
        at,
    } = &cursor.spot
    else {
        return Vec::new();
    };
    let names = cursor.names();
    match at {
        InTag::Name => {
            let parent = SchemaPlace::of(registry, &names);
            let children = parent.children(registry);
            let end = matching_end(source, tag_span.end, &tag.name, tag.self_closing);
            did_you_mean(&tag.name, children.iter().map(|(n, _)| n.as_str()))
                .into_iter()
                .map(|name| {
                    let mut edits = vec![TextEdit {
                        range: text.range(tag.name_span.start, tag.name_span.end, encoding),
                        new_text: name.to_string(),
                    }];
                    if let Some(end) = &end {
                        edits.push(TextEdit {
                            range: text.range(end.start, end.end, encoding),
                            new_text: name.to_string(),
                        });
                    }
                    (format!("Did you mean <{name}>?"), edits)
                })
                .collect()
        }
        InTag::AttrName(i) => {
            let Some(attr) = tag.attrs.get(*i) else {
                return Vec::new();
            };
            let mut own = names.clone();
            own.push(&tag.name);
            let place = SchemaPlace::of(registry, &own);
            let attributes = place.attributes();
            did_you_mean(&attr.name, attributes.iter().map(|a| a.name.as_str()))
                .into_iter()
                .filter(|name| tag.attr(name).is_none())
                .map(|name| {
                    let edit = TextEdit {
                        range: text.range(attr.name_span.start, attr.name_span.end, encoding),
                        new_text: name.to_string(),
                    };
                    (format!("Did you mean {name}?"), vec![edit])
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The span of the name of the end tag closing the element `name` whose start tag ends at
/// `after`.
fn matching_end(
    text: &str,
    after: usize,
    name: &str,
    self_closing: bool,
) -> Option<std::ops::Range<usize>> {
    if self_closing {
        return None;
    }
    let mut depth = 0usize;
    for token in scan::tokens(text.get(after..)?) {
        match token.kind {
            Kind::Start(tag) if !tag.self_closing => depth += 1,
            Kind::End(end, span) => {
                if depth == 0 {
                    return (end == name).then(|| span.start + after..span.end + after);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}
