//! The text edits that fixes are made of: removing an attribute or an element with the
//! whitespace that separates it, adding an attribute, and renaming an attribute or an
//! element, each as a byte range of the
//! file's original text so that a fix changes only the bytes it must; and the move of a
//! locked section into applicationHost.config.

use super::check::section_lock;
use super::{paths, FileId, Hierarchy};
use crate::config::{ConfigFile, OverrideMode, SectionInstance};
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
    let element = doc.element_span(node)?;
    let text = doc.source();
    let before = text.get(..element.start)?;
    let indented = before.trim_end_matches([' ', '\t']);
    let start = if indented.ends_with('\n') {
        indented
            .strip_suffix('\n')
            .map(|s| s.strip_suffix('\r').unwrap_or(s))
            .map_or(indented.len(), str::len)
    } else {
        indented.len()
    };
    Some(edit(file, Span { start, ..element }, ""))
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

/// The edit that renames attribute `name` of `node` to `new_name` (its name only; the
/// value and the whitespace stay); `None` when `new_name` is no XML name.
pub(crate) fn rename_attribute(
    file: &ConfigFile,
    node: NodeId,
    name: &str,
    new_name: &str,
) -> Option<TextEdit> {
    if !iisconf_xml::is_name(new_name) {
        return None;
    }
    let span = file.doc.attribute(node, name)?.name_span?;
    Some(edit(file, span, new_name))
}

/// The edits that rename the element `node` to `new_name`: the name of its start tag and,
/// when it has one, of its end tag; `None` when `new_name` is no XML name (a section
/// declared as `name="a+b"` can be named in a declaration but never written as an element).
pub(crate) fn rename_element(
    file: &ConfigFile,
    node: NodeId,
    new_name: &str,
) -> Option<Vec<TextEdit>> {
    if !iisconf_xml::is_name(new_name) {
        return None;
    }
    let doc = &file.doc;
    let mut edits = vec![edit(file, doc.name_span(node)?, new_name)];
    if let Some(end) = doc.end_tag_span(node) {
        let name = doc.name(node);
        let start = end.start + 2;
        let span = Span {
            start,
            end: start + name.len(),
        };
        if doc.source().get(span.start..span.end) != Some(name) {
            return None;
        }
        edits.push(edit(file, span, new_name));
    }
    Some(edits)
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
/// Where applicationHost.config has no such section for the path, the section goes into
/// the path's `<location>` tag, or a new one (see [`into_location`]), and the file's other
/// sections locked at the same path go with it, so each of their findings carries the same
/// fix and the moves land together. Where applicationHost.config has it, the section's
/// attributes are merged into that element (see [`merge_into_apphost`]).
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
    let mut texts = Vec::with_capacity(moved.len());
    let mut edits = Vec::with_capacity(moved.len() + 1);
    for m in &moved {
        let start = doc.span(m.node)?.start;
        let end = doc
            .end_tag_span(m.node)
            .map_or(doc.span(m.node)?.end, |s| s.end);
        let indent = indentation_at(doc.source(), start).unwrap_or_default();
        texts.push((&*m.name, doc.source().get(start..end)?.trim(), indent));
        edits.push(remove_element(file, m.node)?);
    }
    let style = Style {
        unit: apphost.doc.indent_unit(),
        newline: apphost.doc.newline(),
    };
    edits.extend(into_location(apphost, level, &texts, &style)?);
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

/// The edits of applicationHost.config that put `sections` (name, element text, its
/// indentation where it was) for `level`: into the file's last plain `<location
/// path="level">` (no overrideMode, inherited by child applications), inside the section
/// groups it has, when there is one whose groups take them; else into a new tag at the end.
fn into_location(
    apphost: &ConfigFile,
    level: &str,
    sections: &[(&str, &str, &str)],
    style: &Style,
) -> Option<Vec<TextEdit>> {
    let doc = &apphost.doc;
    let plain_tag = apphost.locations.iter().rev().find(|l| {
        l.node.is_some()
            && l.path.eq_ignore_ascii_case(level)
            && l.override_mode == OverrideMode::Inherit
            && !l.conflicting_override
            && l.inherit_in_child_applications
    });
    let into_tag = plain_tag
        .and_then(|l| l.node)
        .and_then(|tag| into_existing_tag(apphost, tag, sections, style));
    if let Some(edits) = into_tag {
        return Some(edits);
    }
    let mut moved: Vec<MovedSection> = sections
        .iter()
        .map(|(name, text, indent)| MovedSection {
            groups: groups_of(name),
            text,
            indent,
        })
        .collect();
    let at = doc.end_tag_span(doc.root_element()?)?.start;
    let at = Span { start: at, end: at };
    Some(vec![edit(
        apphost,
        at,
        &location_block(level, &mut moved, style),
    )])
}

/// The edits that put `sections` into the `<location>` element `tag`, inside the section
/// groups it has: one insertion before the end tag of each element written into. `None`
/// when its layout does not take them (see [`places_in_tag`]), or an element written into
/// does not start its own line.
fn into_existing_tag(
    apphost: &ConfigFile,
    tag: NodeId,
    sections: &[(&str, &str, &str)],
    style: &Style,
) -> Option<Vec<TextEdit>> {
    let doc = &apphost.doc;
    let names: Vec<&str> = sections.iter().map(|(name, _, _)| *name).collect();
    let places = places_in_tag(doc, tag, &names)?;
    let mut by_element: Vec<(NodeId, Vec<MovedSection>)> = Vec::new();
    for ((element, groups), (_, text, indent)) in places.into_iter().zip(sections) {
        let section = MovedSection {
            groups,
            text,
            indent,
        };
        match by_element.iter_mut().find(|(e, _)| *e == element) {
            Some((_, list)) => list.push(section),
            None => by_element.push((element, vec![section])),
        }
    }
    by_element
        .into_iter()
        .map(|(element, mut list)| {
            let own = indentation_at(doc.source(), doc.span(element)?.start)?;
            let base = format!("{own}{}", style.unit);
            let end = doc.end_tag_span(element)?.start;
            let at = end - indentation_at(doc.source(), end)?.len();
            let at = Span { start: at, end: at };
            Some(edit(apphost, at, &nested_block(&mut list, &base, style)))
        })
        .collect()
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

/// A section moved out of a file: the section groups it needs below where it goes, its
/// element's text, and the indentation of the line it starts on there.
struct MovedSection<'a> {
    groups: Vec<&'a str>,
    text: &'a str,
    indent: &'a str,
}

/// The section groups of a section name, outermost first (`system.webServer/asp` →
/// `system.webServer`).
fn groups_of(name: &str) -> Vec<&str> {
    name.rsplit_once('/')
        .map(|(groups, _)| groups.split('/').collect())
        .unwrap_or_default()
}

/// The whitespace from the start of its line to byte `offset` of `text`: the indentation
/// of what starts there, `None` when something else comes before it on its line.
fn indentation_at(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before
        .get(line_start..)
        .filter(|indent| indent.trim().is_empty())
}

/// How the receiving file is written: its indent unit and newline.
struct Style {
    unit: String,
    newline: &'static str,
}

/// A new `<location path="level">` holding `sections` inside their section groups, the tag
/// one unit in from `<configuration>`.
fn location_block(level: &str, sections: &mut [MovedSection], style: &Style) -> String {
    let nl = style.newline;
    format!(
        "{unit}<location path=\"{path}\">{nl}{body}{unit}</location>{nl}",
        unit = style.unit,
        path = iisconf_xml::escape::escape_attribute(level, b'"'),
        body = nested_block(sections, &style.unit.repeat(2), style),
    )
}

/// `sections` inside the section groups each still needs, sections of one group together
/// under one group element, each line indented from `base` and ended as the receiving file
/// ends its lines.
fn nested_block(sections: &mut [MovedSection], base: &str, style: &Style) -> String {
    sections.sort_by(|a, b| a.groups.cmp(&b.groups));
    let nl = style.newline;
    let indent = |depth: usize| format!("{base}{}", style.unit.repeat(depth));
    let mut block = String::new();
    let mut open: Vec<&str> = Vec::new();
    for section in sections.iter() {
        let shared = open
            .iter()
            .zip(&section.groups)
            .take_while(|(a, b)| a == b)
            .count();
        while open.len() > shared {
            let group = open.pop().unwrap_or_default();
            block.push_str(&format!("{}</{group}>{nl}", indent(open.len())));
        }
        for group in section.groups.get(shared..).unwrap_or_default() {
            block.push_str(&format!("{}<{group}>{nl}", indent(open.len())));
            open.push(group);
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
    block
}

/// Where sections go in an existing `<location>` element `tag` of `doc`: for each, the
/// deepest of its section groups the tag already has (the tag itself when none), with the
/// groups still to write. `None` when a group element there is empty (`<security />`: a
/// second one beside it would repeat the group), or an element to write into has its end
/// tag on a line with other content.
fn places_in_tag<'a>(
    doc: &iisconf_xml::Document,
    tag: NodeId,
    names: &[&'a str],
) -> Option<Vec<(NodeId, Vec<&'a str>)>> {
    names
        .iter()
        .map(|name| {
            let groups = groups_of(name);
            let mut at = tag;
            let mut found = 0;
            for group in &groups {
                let Some(child) = doc.child_element(at, group) else {
                    break;
                };
                if doc.is_self_closing(child) {
                    return None;
                }
                at = child;
                found += 1;
            }
            indentation_at(doc.source(), doc.end_tag_span(at)?.start)?;
            Some((at, groups.get(found..).unwrap_or_default().to_vec()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_block_shares_groups_and_takes_the_receiving_files_style() {
        let mut sections = [
            MovedSection {
                groups: groups_of("system.webServer/security/authentication/windowsAuthentication"),
                text: "<windowsAuthentication enabled=\"true\">\r\n      <providers>\r\n        <add value=\"NTLM\" />\r\n      </providers>\r\n    </windowsAuthentication>",
                indent: "    ",
            },
            MovedSection {
                groups: groups_of("system.webServer/asp"),
                text: "<asp />",
                indent: "  ",
            },
            MovedSection {
                groups: groups_of("system.webServer/security/authentication/anonymousAuthentication"),
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

    #[test]
    fn sections_go_into_the_groups_an_existing_location_tag_has() {
        let text = [
            "<configuration>",
            "  <location path=\"Site\">",
            "    <system.webServer>",
            "      <security>",
            "        <authentication>",
            "          <anonymousAuthentication enabled=\"true\" />",
            "        </authentication>",
            "      </security>",
            "    </system.webServer>",
            "  </location>",
            "</configuration>",
            "",
        ]
        .join("\r\n");
        let apphost = ConfigFile::parse("applicationHost.config", text.as_bytes()).unwrap();
        let tag = apphost.locations.iter().find_map(|l| l.node).unwrap();
        let style = Style {
            unit: "  ".to_string(),
            newline: "\r\n",
        };
        let sections = [
            (
                "system.webServer/security/authentication/windowsAuthentication",
                "<windowsAuthentication enabled=\"true\" />",
                "",
            ),
            ("system.webServer/asp", "<asp />", ""),
            (
                "system.webServer/security/requestFiltering",
                "<requestFiltering />",
                "",
            ),
        ];
        let edits = into_existing_tag(&apphost, tag, &sections, &style).unwrap();
        let fixed = spliced(&text, &edits);
        let expected = [
            "<configuration>",
            "  <location path=\"Site\">",
            "    <system.webServer>",
            "      <security>",
            "        <authentication>",
            "          <anonymousAuthentication enabled=\"true\" />",
            "          <windowsAuthentication enabled=\"true\" />",
            "        </authentication>",
            "        <requestFiltering />",
            "      </security>",
            "      <asp />",
            "    </system.webServer>",
            "  </location>",
            "</configuration>",
            "",
        ]
        .join("\r\n");
        assert_eq!(fixed, expected);
        // An empty group element cannot take a section: a second one would repeat it.
        let empty = text.replace(
            "<security>\r\n        <authentication>\r\n          <anonymousAuthentication enabled=\"true\" />\r\n        </authentication>\r\n      </security>",
            "<security />",
        );
        let apphost = ConfigFile::parse("applicationHost.config", empty.as_bytes()).unwrap();
        let tag = apphost.locations.iter().find_map(|l| l.node).unwrap();
        assert!(into_existing_tag(&apphost, tag, &sections, &style).is_none());
    }

    /// `text` with `edits` spliced in, from the end.
    fn spliced(text: &str, edits: &[TextEdit]) -> String {
        let mut sorted: Vec<&TextEdit> = edits.iter().collect();
        sorted.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_string();
        for e in sorted {
            out.replace_range(e.span.start..e.span.end, &e.new_text);
        }
        out
    }
}
