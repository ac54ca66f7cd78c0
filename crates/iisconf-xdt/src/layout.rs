//! Where the attributes a transform writes go, as Microsoft.Web.XmlTransform's
//! attribute-preserving writer lays them out (XmlAttributePreservationDict.cs,
//! XmlAttributePreservingWriter.cs, XmlFormatter.cs): untouched attributes keep their own
//! whitespace; an attribute added to an element whose attributes are each on their own line
//! goes on its own line, aligned with them; otherwise it follows the last attribute after one
//! space, on a new line when the line would reach 160 characters; an element written anew
//! separates its attributes by one space with the same wrapping.

use iisconf_xml::{Document, DocumentEditError, NodeId};

/// The line length from which Microsoft's writer puts an attribute on a new line.
const MAX_LINE: usize = 160;

fn has_newline(ws: &str) -> bool {
    ws.contains('\n')
}

/// The text of an attribute as written: `name="value"`.
fn attribute_text(name: &str, raw_value: &str) -> usize {
    name.chars().count() + raw_value.chars().count() + 3
}

/// How many characters the last line of an element's start tag holds, up to the end of its
/// last attribute.
fn line_length(document: &Document, id: NodeId) -> usize {
    let lead = document.leading_whitespace(id);
    let mut before = match lead.rfind('\n') {
        Some(at) => lead.get(at + 1..).unwrap_or_default().chars().count(),
        None => document
            .name_span(id)
            .map(|s| document.position(s.start).column as usize)
            .unwrap_or(1)
            .saturating_sub(2),
    };
    before += 1 + document.name(id).chars().count();
    for attribute in document.attributes(id) {
        let ws = document
            .attribute_whitespace(id, attribute.name)
            .unwrap_or(" ");
        match ws.rfind('\n') {
            Some(at) => before = ws.get(at + 1..).unwrap_or_default().chars().count(),
            None => before += ws.chars().count(),
        }
        before += attribute_text(attribute.name, attribute.raw_value);
    }
    before
}

/// The whitespace of an element's attributes and of the end of its start tag, in order.
fn spaces(document: &Document, id: NodeId) -> Vec<String> {
    document
        .attributes(id)
        .filter_map(|a| document.attribute_whitespace(id, a.name))
        .chain([document.start_tag_end_whitespace(id)])
        .map(str::to_string)
        .collect()
}

/// The line break and indentation an element's attributes take when they go on a new line:
/// the first such whitespace of its own (`LookAheadForNewLineString`), else the formatter's
/// attribute indent (`XmlFormatter.CurrentAttributeIndent`): that of the nearest sibling
/// before it that has one, else of the first one after it, else the element's indentation
/// and one indent unit more.
fn new_line_string(document: &Document, id: NodeId) -> String {
    if let Some(own) = spaces(document, id).into_iter().find(|s| has_newline(s)) {
        return own;
    }
    let sibling_indent = |sibling: NodeId| {
        spaces(document, sibling)
            .into_iter()
            .find(|s| has_newline(s))
    };
    if let Some(parent) = document.parent(id) {
        let mut passed = false;
        let mut found: Option<String> = None;
        for sibling in document.child_elements(parent) {
            if sibling == id {
                passed = true;
            } else {
                found = sibling_indent(sibling);
            }
            if passed && found.is_some() {
                return found.unwrap_or_default();
            }
        }
    }
    let lead = document.leading_whitespace(id);
    let indent = lead
        .rfind('\n')
        .map_or("", |at| lead.get(at + 1..).unwrap_or_default());
    format!("{}{indent}{}", document.newline(), document.indent_unit())
}

/// The whitespace Microsoft's writer puts before attribute `name` (written `raw_value`)
/// about to be added at the end of element `id` of the source.
pub(crate) fn added_attribute_whitespace(
    document: &Document,
    id: NodeId,
    name: &str,
    raw_value: &str,
) -> String {
    let own = spaces(document, id);
    let attributes = own.len().saturating_sub(1);
    if attributes == 0 {
        return " ".to_string();
    }
    // `OneAttributePerLine`: more than one recorded whitespace (the end of the start tag
    // counts), and every attribute after the first on a line of its own.
    let one_per_line = own.len() > 1 && own.iter().take(attributes).skip(1).all(|s| has_newline(s));
    if one_per_line {
        return new_line_string(document, id);
    }
    wrapped(document, id, name, raw_value)
}

/// One space, or a new line when the attribute would take the line to 160 characters
/// (`AttributeTextWriter.WriteQueuedAttribute`).
fn wrapped(document: &Document, id: NodeId, name: &str, raw_value: &str) -> String {
    let position = line_length(document, id) + 1;
    if position + attribute_text(name, raw_value) + 1 > MAX_LINE {
        new_line_string(document, id)
    } else {
        " ".to_string()
    }
}

/// Removes attribute `name` of a source element as Microsoft's writer then writes the
/// others (`UpdatePreservationInfo`): the attribute after it takes over its whitespace when
/// it was the first, or when it began a line and the next one does not. Returns whether
/// the attribute was there.
pub(crate) fn remove_attribute(
    document: &mut Document,
    id: NodeId,
    name: &str,
) -> Result<bool, DocumentEditError> {
    let Some(index) = document.attribute(id, name).map(|a| a.index) else {
        return Ok(false);
    };
    let removed = document
        .attribute_whitespace(id, name)
        .unwrap_or(" ")
        .to_string();
    let next = document
        .attributes(id)
        .nth(index + 1)
        .map(|a| a.name.to_string());
    if let Some(next) = next {
        let next_ws = document
            .attribute_whitespace(id, &next)
            .unwrap_or(" ")
            .to_string();
        if index == 0 || (has_newline(&removed) && !has_newline(&next_ws)) {
            document.set_attribute_whitespace(id, &next, &removed)?;
        }
    }
    document.remove_attribute(id, name)
}

/// Lays out the attributes of an element written anew and of the elements inside it as
/// Microsoft's writer writes an element it has no layout for: one space before the first
/// attribute, one space or a new line (at 160 characters) before each next, and `" />"` or
/// `">"` to end the start tag.
pub(crate) fn lay_out_new(document: &mut Document, top: NodeId) -> Result<(), DocumentEditError> {
    let elements: Vec<NodeId> = std::iter::once(top)
        .chain(document.descendants(top))
        .filter(|n| document.kind(*n) == iisconf_xml::NodeKind::Element)
        .collect();
    for element in elements {
        let names: Vec<(String, String)> = document
            .attributes(element)
            .map(|a| (a.name.to_string(), a.raw_value.to_string()))
            .collect();
        for (name, _) in &names {
            document.set_attribute_whitespace(element, name, " ")?;
        }
        let end = if document.is_self_closing(element) {
            " "
        } else {
            ""
        };
        document.set_start_tag_end_whitespace(element, end)?;
        for (index, (name, raw)) in names.iter().enumerate().skip(1) {
            let before = names.get(..index).unwrap_or_default();
            let ws = wrapped_after(document, element, before, name, raw);
            document.set_attribute_whitespace(element, name, &ws)?;
        }
    }
    Ok(())
}

/// [`wrapped`] for an attribute of a new element, measured after the attributes `before`.
fn wrapped_after(
    document: &Document,
    id: NodeId,
    before: &[(String, String)],
    name: &str,
    raw_value: &str,
) -> String {
    let lead = document.leading_whitespace(id);
    let mut column = lead.rfind('\n').map_or(0, |at| {
        lead.get(at + 1..).unwrap_or_default().chars().count()
    });
    column += 1 + document.name(id).chars().count();
    for (n, v) in before {
        let ws = document.attribute_whitespace(id, n).unwrap_or(" ");
        match ws.rfind('\n') {
            Some(at) => column = ws.get(at + 1..).unwrap_or_default().chars().count(),
            None => column += ws.chars().count(),
        }
        column += attribute_text(n, v);
    }
    if column + 1 + attribute_text(name, raw_value) + 1 > MAX_LINE {
        new_line_string(document, id)
    } else {
        " ".to_string()
    }
}
