//! The text edits that fixes are made of: removing an attribute or an element with the
//! whitespace that separates it, and adding an attribute, each as a byte range of the
//! file's original text so that a fix changes only the bytes it must; and the move of a
//! locked section into applicationHost.config.

use super::{FileId, Hierarchy};
use crate::config::ConfigFile;
use crate::diagnostic::{Fix, TextEdit};
use iisconf_xml::{NodeId, Span};

/// The edit that removes attribute `name` of `node` with the whitespace before it.
pub(crate) fn remove_attribute(file: &ConfigFile, node: NodeId, name: &str) -> Option<TextEdit> {
    let span = file.doc.attribute(node, name)?.span()?;
    let text = file.doc.source();
    let before = text.get(..span.start)?;
    let start = before.trim_end_matches([' ', '\t', '\r', '\n']).len();
    Some(edit(file, Span { start, ..span }, ""))
}

/// The edit that removes the element `node` (start tag through end tag) with the
/// indentation and line break before it, or the spaces before it when it shares its line.
pub(crate) fn remove_element(file: &ConfigFile, node: NodeId) -> Option<TextEdit> {
    let doc = &file.doc;
    let start_tag = doc.span(node)?;
    let end = doc.end_tag_span(node).map_or(start_tag.end, |s| s.end);
    let text = doc.source();
    let before = text.get(..start_tag.start)?;
    let indented = before.trim_end_matches([' ', '\t']);
    let start = if indented.ends_with('\n') {
        indented
            .strip_suffix('\n')
            .map(|s| s.strip_suffix('\r').unwrap_or(s))
            .map_or(indented.len(), str::len)
    } else {
        indented.len()
    };
    Some(edit(file, Span { start, end }, ""))
}

/// The edit that adds `name="value"` at the end of `node`'s start tag attributes.
pub(crate) fn add_attribute(
    file: &ConfigFile,
    node: NodeId,
    name: &str,
    value: &str,
) -> Option<TextEdit> {
    let doc = &file.doc;
    let after = doc
        .attributes(node)
        .filter_map(|a| a.span())
        .map(|s| s.end)
        .max()
        .or_else(|| doc.name_span(node).map(|s| s.end))?;
    let escaped = iisconf_xml::escape::escape_attribute(value, b'"');
    let at = Span {
        start: after,
        end: after,
    };
    Some(edit(file, at, &format!(" {name}=\"{escaped}\"")))
}

fn edit(file: &ConfigFile, span: Span, new_text: &str) -> TextEdit {
    TextEdit {
        span,
        place: file.place(span),
        new_text: new_text.to_string(),
    }
}

/// The edits that move the section instance `ii` of file `fi`, set at config path `level`,
/// into a new `<location path="level">` at the end of applicationHost.config: what a section
/// locked below the server level needs (IIS Express's windowsAuthentication and
/// anonymousAuthentication). `None` when the hierarchy has no real applicationHost.config,
/// when the section is the server's own, or when applicationHost.config already sets the
/// section for that path (a second one would be a duplicate section).
pub(crate) fn move_to_apphost(h: &Hierarchy, fi: usize, ii: usize, level: &str) -> Option<Fix> {
    if !h.real_apphost || level.is_empty() || FileId::new(fi).is_apphost() {
        return None;
    }
    let file = h.files.get(fi)?;
    let inst = file.sections.get(ii)?;
    let apphost = h.files.get(FileId::APPHOST.index())?;
    let already = apphost.sections.iter().any(|s| {
        s.name == inst.name
            && apphost
                .locations
                .get(s.location)
                .is_some_and(|l| l.path.eq_ignore_ascii_case(level))
    });
    if already {
        return None;
    }
    let doc = &file.doc;
    let start = doc.span(inst.node)?.start;
    let end = doc
        .end_tag_span(inst.node)
        .map_or(doc.span(inst.node)?.end, |s| s.end);
    let section_text = doc.source().get(start..end)?;
    let root = apphost.doc.root_element()?;
    let at = apphost.doc.end_tag_span(root)?.start;
    let groups: Vec<&str> = inst.name.split('/').collect();
    let groups = groups.get(..groups.len().saturating_sub(1))?;
    let mut block = format!(
        "  <location path=\"{}\">\n",
        iisconf_xml::escape::escape_attribute(level, b'"')
    );
    for (depth, group) in groups.iter().enumerate() {
        block.push_str(&format!("{}<{group}>\n", "  ".repeat(depth + 2)));
    }
    block.push_str(&format!(
        "{}{}\n",
        "  ".repeat(groups.len() + 2),
        section_text.trim()
    ));
    for (depth, group) in groups.iter().enumerate().rev() {
        block.push_str(&format!("{}</{group}>\n", "  ".repeat(depth + 2)));
    }
    block.push_str("  </location>\n");
    let insert = TextEdit {
        span: Span { start: at, end: at },
        place: apphost.place(Span { start: at, end: at }),
        new_text: block,
    };
    let remove = remove_element(file, inst.node)?;
    Some(Fix::unsafe_(
        format!(
            "move the section to <location path=\"{level}\"> in {}",
            apphost.name
        ),
        vec![remove, insert],
    ))
}
