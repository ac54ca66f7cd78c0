//! Hover: on a section group, section, element or attribute, what the schema says of it
//! (description, type, default, allowed values or range, required, key, encrypted), the
//! section's declaration and lock at that path, and for an attribute the effective value
//! at that path with the file and line it comes from, as `iisconf get --explain` says it.
//! On a diagnostic, the rule's explanation.

use crate::context::{hierarchy_for, DocHierarchy};
use crate::diagnostics::{finding_range, rule_text};
use crate::place::{Directive, SchemaPlace};
use crate::scan::{self, InTag, Open, Spot};
use crate::server::State;
use iisconf_core::engine::{EffectiveAttribute, Provenance};
use iisconf_core::schema::{AttributeSchema, Registry};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use std::fmt::Write as _;

/// The hover at the params' position, `None` where there is nothing to say.
pub fn hover(state: &State, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let uri = &at.text_document.uri;
    let doc = state.docs.get(uri)?;
    let encoding = state.encoding;
    let offset = doc.text.offset(at.position, encoding);
    let mut out = String::new();
    let cursor = scan::cursor(doc.text.as_str(), offset);
    let mut range = None;
    if let Spot::Tag { tag, at: spot, .. } = &cursor.spot {
        let mut names = cursor.names();
        names.push(&tag.name);
        let registry = &state.workspace.registry;
        let place = SchemaPlace::of(registry, &names);
        let path = state.path_of(uri);
        match spot {
            InTag::Name => {
                describe_element(&mut out, registry, &place, &tag.name);
                if let SchemaPlace::Section {
                    section, path: p, ..
                } = &place
                {
                    if p.is_empty() {
                        if let Some(h) = hierarchy_for(state, &path, doc) {
                            describe_lock(&mut out, &h, &cursor.stack, &section.name);
                        }
                    }
                }
                range = Some(
                    doc.text
                        .range(tag.name_span.start, tag.name_span.end, encoding),
                );
            }
            InTag::AttrName(i) | InTag::AttrValue(i) => {
                let attr = tag.attrs.get(*i)?;
                let schema = place.attributes().into_iter().find(|a| a.name == attr.name);
                if let Some(schema) = schema {
                    describe_attribute(&mut out, registry, &place, schema);
                    let mut stack = cursor.stack.clone();
                    stack.push(Open { tag: tag.clone() });
                    if let Some(h) = hierarchy_for(state, &path, doc) {
                        describe_effective(&mut out, &h, &stack, &place, &attr.name);
                    }
                } else if let Some(meta) = meta_attribute(&attr.name) {
                    let _ = writeln!(out, "**{}**\n\n{meta}", attr.name);
                }
                let span = if matches!(spot, InTag::AttrName(_)) {
                    attr.name_span.clone()
                } else {
                    attr.value_span.clone().unwrap_or(attr.name_span.clone())
                };
                range = Some(doc.text.range(span.start, span.end, encoding));
            }
            InTag::Between => {}
        }
    }
    for finding in &doc.findings {
        let r = finding_range(&doc.text, finding, encoding);
        if r.start <= at.position && at.position <= r.end {
            if !out.is_empty() {
                out.push_str("\n---\n\n");
            }
            let _ = write!(out, "{}", rule_text(finding.rule));
        }
    }
    if out.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: out.trim_end().to_string(),
        }),
        range,
    })
}

/// What the attributes every element may carry (locks, configSource…) mean.
fn meta_attribute(name: &str) -> Option<&'static str> {
    Some(match name {
        "lockAttributes" => "Attributes that levels below may not change (comma-separated).",
        "lockAllAttributesExcept" => "Every attribute is locked for levels below except these.",
        "lockElements" => "Child elements that levels below may not change.",
        "lockAllElementsExcept" => "Every child element is locked for levels below except these.",
        "lockItem" => "`true`: levels below may not remove this entry or clear its collection.",
        "configSource" => "The section's content is read from this file (a relative path in the same folder or below).",
        "path" => "The config path the `<location>` tag's sections apply to, relative to this file's level.",
        "overrideMode" => "`Allow`, `Deny` or `Inherit`: whether levels below may set the sections of this `<location>` tag.",
        "allowOverride" => "Legacy form of overrideMode: `true` (Allow) or `false` (Deny).",
        "inheritInChildApplications" => "`false`: the sections of this `<location>` tag do not apply in child applications.",
        _ => return None,
    })
}

/// The schema's account of the element at `place`.
fn describe_element(out: &mut String, registry: &Registry, place: &SchemaPlace, name: &str) {
    match place {
        SchemaPlace::Group(g) => {
            let _ = writeln!(out, "**{g}** (section group)\n");
        }
        SchemaPlace::Section {
            path,
            directive,
            element,
            ..
        } => {
            let what = match directive {
                Some((Directive::Add, _)) => "collection entry",
                Some((Directive::Remove, _)) => "removes an inherited entry by its key",
                Some((Directive::Clear, _)) => "clears the inherited entries",
                None if path.is_empty() => "section",
                None => "element",
            };
            let full = place.description_path().unwrap_or_default();
            let _ = writeln!(out, "**{full}** ({what})\n");
            if let Some(d) = registry.description(&full) {
                let _ = writeln!(out, "{d}\n");
            }
            if let Some((Directive::Add, c)) = directive {
                let keys: Vec<&str> = c.keys().map(|k| k.name.as_str()).collect();
                if !keys.is_empty() {
                    let _ = writeln!(out, "Key: `{}`\n", keys.join("`, `"));
                }
            }
            let required: Vec<&str> = element
                .attributes
                .iter()
                .filter(|a| a.required)
                .map(|a| a.name.as_str())
                .collect();
            if directive.is_none() && !required.is_empty() {
                let _ = writeln!(out, "Required: `{}`\n", required.join("`, `"));
            }
            if element.extension.is_some() {
                let _ = writeln!(
                    out,
                    "Runtime data: supplied by the server, never configured.\n"
                );
            }
        }
        SchemaPlace::Root { .. } if name == "location" => {
            let _ = writeln!(
                out,
                "**location**\n\nSections inside apply to the config path in `path` (relative to this file's level)."
            );
        }
        SchemaPlace::Root { .. } | SchemaPlace::Unknown => {}
    }
}

/// The schema's account of an attribute.
fn describe_attribute(
    out: &mut String,
    registry: &Registry,
    place: &SchemaPlace,
    attr: &AttributeSchema,
) {
    let element = place.description_path().unwrap_or_default();
    let _ = writeln!(out, "**{}** `{}`\n", attr.name, attr.kind.schema_name());
    if let Some(d) = registry.description(&format!("{element}@{}", attr.name)) {
        let _ = writeln!(out, "{d}\n");
    }
    let mut facts = Vec::new();
    match &attr.default_value {
        Some(d) => facts.push(format!("default: `{d}`")),
        None => facts.push("no default".to_string()),
    }
    if !attr.choices.is_empty() {
        let names: Vec<&str> = attr.choices.iter().map(|c| c.name.as_str()).collect();
        let label = if attr.kind.schema_name() == "flags" {
            "flags (comma-separated)"
        } else {
            "values"
        };
        facts.push(format!("{label}: `{}`", names.join("`, `")));
    }
    if let Some(v) = &attr.validation_type {
        let parameter = attr.validation_parameter.as_deref().unwrap_or("");
        facts.push(format!("validation: {v} `{parameter}`"));
    }
    if attr.allow_infinite {
        facts.push("`Infinite` allowed".to_string());
    }
    if attr.required {
        facts.push("required".to_string());
    }
    if attr.is_key() {
        facts.push("part of the entry's key".to_string());
    }
    if attr.encrypted {
        facts.push("encrypted: store it as `[enc:Provider:…:enc]`, not in plain text".to_string());
    }
    if attr.extension.is_some() {
        facts.push("runtime data: never configured".to_string());
    }
    for fact in facts {
        let _ = writeln!(out, "- {fact}");
    }
    out.push('\n');
}

/// The section's declaration and its lock at the place of `stack`.
fn describe_lock(out: &mut String, h: &DocHierarchy, stack: &[Open], section: &str) {
    let (hierarchy, _) = h.get();
    if let Some((_, d)) = hierarchy.declaration(section) {
        let _ = writeln!(
            out,
            "Declared with overrideModeDefault=\"{:?}\", allowDefinition=\"{:?}\".\n",
            d.override_mode_default, d.allow_definition
        );
    }
    let path = h.config_path(stack);
    if let Ok(state) = hierarchy.section_lock_state(&path, section) {
        if state.locked {
            let reason = state.reason.unwrap_or_default();
            let _ = writeln!(
                out,
                "**Locked** at `{}`: {reason}\n",
                iisconf_core::engine::display_config_path(&path)
            );
        }
    }
}

/// The effective value of attribute `name` at the place of `stack` and where it comes from.
fn describe_effective(
    out: &mut String,
    h: &DocHierarchy,
    stack: &[Open],
    place: &SchemaPlace,
    name: &str,
) {
    let SchemaPlace::Section {
        section,
        path,
        directive: None,
        ..
    } = place
    else {
        return;
    };
    let (hierarchy, _) = h.get();
    let at = h.config_path(stack);
    let Ok(effective) = hierarchy.effective_unchecked(&at, &section.name) else {
        return;
    };
    let mut element = &effective.root;
    for p in path {
        match element.child(p) {
            Some(c) => element = c,
            None => return,
        }
    }
    let Some(attr) = element.attribute(name) else {
        return;
    };
    explain(out, &effective.path, attr);
}

/// `value` at `path`, from where, over what: the lines of `get --explain`.
fn explain(out: &mut String, path: &str, attr: &EffectiveAttribute) {
    let _ = writeln!(out, "Effective at `{path}`: `{}`\n", attr.value);
    let _ = writeln!(out, "- from {}", describe(&attr.origin));
    for (value, origin) in attr.overrode.iter().rev() {
        let _ = writeln!(out, "- overrides `{value}` from {}", describe(origin));
    }
    out.push('\n');
}

/// Where a value comes from, as `get --explain` says it.
fn describe(origin: &Provenance) -> String {
    match origin {
        Provenance::File { location, .. } if location.is_empty() => {
            format!("{origin} (server level)")
        }
        other => other.to_string(),
    }
}
