//! The text edits that fixes are made of: removing an attribute or an element with the
//! whitespace that separates it, and adding an attribute, each as a byte range of the
//! file's original text so that a fix changes only the bytes it must; and the move of a
//! locked section into applicationHost.config.

use super::check::section_lock;
use super::{paths, FileId, Hierarchy};
use crate::config::{ConfigFile, SectionInstance};
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

/// The fix of a section instance `ii` of file `fi` that is locked at config path `level`:
/// it moves into applicationHost.config, what a section locked below the server level needs
/// (IIS Express's windowsAuthentication and anonymousAuthentication).
///
/// Where applicationHost.config has no such section for the path, the section goes into a
/// new `<location path="level">` at the end of applicationHost.config, and the file's other
/// sections locked at the same path go with it into the same tag, so each of their findings
/// carries the same fix and the moves land together. Where applicationHost.config has it,
/// the section's attributes are merged into that element (see [`merge_into_apphost`]).
///
/// `None` when the hierarchy has no real applicationHost.config, when the section is the
/// server's own, or when an earlier file sets the section for the path too (its section
/// moves first; this one follows in the next round, merged into it).
pub(crate) fn move_to_apphost(h: &Hierarchy, fi: usize, ii: usize, level: &str) -> Option<Fix> {
    if !h.real_apphost || level.is_empty() || FileId::new(fi).is_apphost() {
        return None;
    }
    let file = h.files.get(fi)?;
    let apphost = h.files.get(FileId::APPHOST.index())?;
    // The elements applicationHost.config has for a section at the path.
    let in_apphost = |name: &str| -> Vec<&SectionInstance> {
        let at_level = |s: &SectionInstance| {
            apphost
                .locations
                .get(s.location)
                .is_some_and(|l| l.node.is_some() && l.path.eq_ignore_ascii_case(level))
        };
        apphost
            .sections
            .iter()
            .filter(|s| *s.name == *name && at_level(s))
            .collect()
    };
    let locked_here = |fj: usize, other: &SectionInstance| {
        h.location_level(fj, other.location)
            .eq_ignore_ascii_case(level)
            && section_lock(h, fj, &other.name, level).is_some_and(|l| !l.contradictory)
    };
    // Whether a file before this one sets the section for the path, locked there too.
    let set_before = |name: &str| {
        (0..fi).any(|fj| {
            !h.is_apphost_file(fj)
                && h.levels
                    .get(fj)
                    .is_some_and(|l| paths::is_ancestor_or_self(l.as_str(), level))
                && h.files.get(fj).is_some_and(|f| {
                    f.sections
                        .iter()
                        .any(|m| *m.name == *name && locked_here(fj, m))
                })
        })
    };
    let inst = file.sections.get(ii)?;
    if set_before(&inst.name) {
        return None;
    }
    match in_apphost(&inst.name).as_slice() {
        [] => {}
        [target] => return merge_into_apphost(file, inst, apphost, target, level),
        // Set twice there already: a duplicate to resolve first.
        _ => return None,
    }
    let moves =
        |other: &SectionInstance| in_apphost(&other.name).is_empty() && !set_before(&other.name);
    // In file order, so that every moved section's finding carries the very same edits.
    let mut moved: Vec<&SectionInstance> = Vec::new();
    for (j, other) in file.sections.iter().enumerate() {
        let repeated = moved.iter().any(|m| m.name == other.name);
        let along = other.name != inst.name && locked_here(fi, other) && moves(other);
        if j == ii || (along && !repeated) {
            moved.push(other);
        }
    }
    let doc = &file.doc;
    let mut moved_sections = Vec::with_capacity(moved.len());
    let mut edits = Vec::with_capacity(moved.len() + 1);
    for m in &moved {
        let start = doc.span(m.node)?.start;
        let end = doc
            .end_tag_span(m.node)
            .map_or(doc.span(m.node)?.end, |s| s.end);
        let line_start = doc.source().get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let indent = doc.source().get(line_start..start)?;
        moved_sections.push(MovedSection {
            name: &m.name,
            text: doc.source().get(start..end)?.trim(),
            indent: if indent.trim().is_empty() { indent } else { "" },
        });
        edits.push(remove_element(file, m.node)?);
    }
    let root = apphost.doc.root_element()?;
    let at = apphost.doc.end_tag_span(root)?.start;
    let at = Span { start: at, end: at };
    let style = Style {
        unit: apphost.doc.indent_unit(),
        newline: apphost.doc.newline(),
    };
    edits.push(TextEdit {
        span: at,
        place: apphost.place(at),
        new_text: location_block(level, &mut moved_sections, &style),
    });
    let title = match moved.len() {
        1 => format!(
            "move the section to <location path=\"{level}\"> in {}",
            apphost.name
        ),
        n => format!(
            "move the section, with the {} other section{} locked at this path, to <location path=\"{level}\"> in {}",
            n - 1,
            if n == 2 { "" } else { "s" },
            apphost.name
        ),
    };
    Some(Fix::unsafe_(title, edits))
}

/// The edits that merge section `inst` of `file` into `target`, the element
/// applicationHost.config already has for the section at `level`: each of its attributes is
/// set there (changed in place or added after the others), and the section leaves its file.
/// What is set below overrides what is set above, so the path's configuration is what it
/// would be if the lock allowed the section. `None` for a section with content (its
/// children would need merging entry by entry), or one redirected or encrypted on either
/// side.
fn merge_into_apphost(
    file: &ConfigFile,
    inst: &SectionInstance,
    apphost: &ConfigFile,
    target: &SectionInstance,
    level: &str,
) -> Option<Fix> {
    const NOT_MERGED: [&str; 3] = ["configSource", "configProtectionProvider", "xmlns"];
    let (doc, there) = (&file.doc, &apphost.doc);
    let plain = |d: &iisconf_xml::Document, node| {
        d.attributes(node)
            .all(|a| !NOT_MERGED.contains(&a.name) && !a.name.contains(':'))
    };
    if doc.children(inst.node).next().is_some()
        || !plain(doc, inst.node)
        || !plain(there, target.node)
    {
        return None;
    }
    let mut edits = vec![remove_element(file, inst.node)?];
    let mut added = String::new();
    for attr in doc.attributes(inst.node) {
        let value = attr.value();
        match there.attribute(target.node, attr.name) {
            Some(old) if old.value() == value => {}
            Some(old) => {
                let quote = if old.quote == '\'' { b'\'' } else { b'"' };
                let escaped = iisconf_xml::escape::escape_attribute(&value, quote);
                edits.push(edit(apphost, old.value_span?, &escaped));
            }
            None => {
                let escaped = iisconf_xml::escape::escape_attribute(&value, b'"');
                added.push_str(&format!(" {}=\"{escaped}\"", attr.name));
            }
        }
    }
    if !added.is_empty() {
        let after = there
            .attributes(target.node)
            .filter_map(|a| a.span())
            .map(|s| s.end)
            .max()
            .or_else(|| there.name_span(target.node).map(|s| s.end))?;
        edits.push(edit(
            apphost,
            Span {
                start: after,
                end: after,
            },
            &added,
        ));
    }
    Some(Fix::unsafe_(
        format!(
            "merge the section into the one <location path=\"{level}\"> of {} sets",
            apphost.name
        ),
        edits,
    ))
}

/// A section moved out of a file: its name, its element's text, and the indentation of
/// the line it starts on there.
struct MovedSection<'a> {
    name: &'a str,
    text: &'a str,
    indent: &'a str,
}

/// How the receiving file is written: its indent unit and newline.
struct Style {
    unit: String,
    newline: &'static str,
}

/// A `<location path="level">` holding `sections` inside their section groups, sections of
/// one group together under one group element, indented and broken into lines as the
/// receiving file is (the location tag one unit in from `<configuration>`).
fn location_block(level: &str, sections: &mut [MovedSection], style: &Style) -> String {
    let groups_of = |name: &str| -> Vec<String> {
        name.rsplit_once('/')
            .map(|(groups, _)| groups.split('/').map(str::to_string).collect())
            .unwrap_or_default()
    };
    sections.sort_by_key(|s| groups_of(s.name));
    let nl = style.newline;
    let indent = |depth: usize| style.unit.repeat(depth + 2);
    let mut block = format!(
        "{}<location path=\"{}\">{nl}",
        style.unit,
        iisconf_xml::escape::escape_attribute(level, b'"')
    );
    let mut open: Vec<String> = Vec::new();
    for section in sections.iter() {
        let groups = groups_of(section.name);
        let shared = open.iter().zip(&groups).take_while(|(a, b)| a == b).count();
        while open.len() > shared {
            let group = open.pop().unwrap_or_default();
            block.push_str(&format!("{}</{group}>{nl}", indent(open.len())));
        }
        for group in groups.get(shared..).unwrap_or_default() {
            block.push_str(&format!("{}<{group}>{nl}", indent(open.len())));
            open.push(group.clone());
        }
        let here = indent(open.len());
        for (i, line) in section.text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if i == 0 {
                block.push_str(&here);
                block.push_str(line);
            } else if let Some(rest) = line.strip_prefix(section.indent) {
                block.push_str(&here);
                block.push_str(rest);
            } else {
                block.push_str(line);
            }
            block.push_str(nl);
        }
    }
    while let Some(group) = open.pop() {
        block.push_str(&format!("{}</{group}>{nl}", indent(open.len())));
    }
    block.push_str(&format!("{}</location>{nl}", style.unit));
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_block_shares_groups_and_takes_the_receiving_files_style() {
        let mut sections = [
            MovedSection {
                name: "system.webServer/security/authentication/windowsAuthentication",
                text: "<windowsAuthentication enabled=\"true\">\r\n      <providers>\r\n        <add value=\"NTLM\" />\r\n      </providers>\r\n    </windowsAuthentication>",
                indent: "    ",
            },
            MovedSection {
                name: "system.webServer/asp",
                text: "<asp />",
                indent: "  ",
            },
            MovedSection {
                name: "system.webServer/security/authentication/anonymousAuthentication",
                text: "<anonymousAuthentication enabled=\"false\" />",
                indent: "    ",
            },
        ];
        let style = Style {
            unit: "\t".to_string(),
            newline: "\r\n",
        };
        let block = location_block("Site/app", &mut sections, &style);
        let expected = [
            "\t<location path=\"Site/app\">",
            "\t\t<system.webServer>",
            "\t\t\t<asp />",
            "\t\t\t<security>",
            "\t\t\t\t<authentication>",
            "\t\t\t\t\t<windowsAuthentication enabled=\"true\">",
            "\t\t\t\t\t  <providers>",
            "\t\t\t\t\t    <add value=\"NTLM\" />",
            "\t\t\t\t\t  </providers>",
            "\t\t\t\t\t</windowsAuthentication>",
            "\t\t\t\t\t<anonymousAuthentication enabled=\"false\" />",
            "\t\t\t\t</authentication>",
            "\t\t\t</security>",
            "\t\t</system.webServer>",
            "\t</location>",
            "",
        ]
        .join("\r\n");
        assert_eq!(block, expected);
    }
}
