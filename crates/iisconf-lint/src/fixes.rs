//! Fixes the linter makes itself, for files the engine never sees: an attribute written
//! twice with the same value makes a file not well-formed (IIS0001); dropping the second
//! copy changes nothing IIS would read.

use iisconf_core::diagnostic::{Finding, Fix, Place, TextEdit};
use iisconf_xml::{LineIndex, Span};

/// The fix for a not-well-formed file whose error is a duplicate attribute with the same
/// value as the first one, found in the file's bytes (UTF-8 files only).
pub(crate) fn duplicate_attribute(finding: &Finding, bytes: &[u8]) -> Option<Fix> {
    let name = finding
        .message
        .strip_prefix("duplicate attribute `")?
        .strip_suffix('`')?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    let index = LineIndex::new(text);
    let line = index.line_span(text, finding.place.line)?;
    let line_text = text.get(line.clone())?;
    let column = usize::try_from(finding.place.column.checked_sub(1)?).ok()?;
    let offset = line.start + line_text.char_indices().nth(column)?.0;
    let (second_value, second_end) = attribute_at(text, offset, name)?;
    // The first copy is in the same start tag, after its `<`.
    let tag_start = text.get(..offset)?.rfind('<')?;
    let tag = text.get(tag_start..offset)?;
    let first_value = tag
        .match_indices(name)
        .filter(|(i, _)| {
            tag.get(..*i)
                .and_then(|b| b.chars().last())
                .is_some_and(char::is_whitespace)
        })
        .find_map(|(i, _)| attribute_at(text, tag_start + i, name))
        .map(|(v, _)| v)?;
    if first_value != second_value {
        return None;
    }
    let start = text
        .get(..offset)?
        .trim_end_matches([' ', '\t', '\r', '\n'])
        .len();
    let span = Span {
        start,
        end: second_end,
    };
    let from = index.position(text, start);
    let to = index.position(text, second_end);
    let place = Place {
        file: finding.place.file.clone(),
        line: from.line,
        column: from.column,
        end_line: to.line,
        end_column: to.column,
    };
    Some(Fix::safe(
        format!("remove the second `{name}`"),
        vec![TextEdit {
            span,
            place,
            new_text: String::new(),
        }],
    ))
}

/// The raw value of the attribute `name="…"` that starts at `offset`, and the byte after
/// its closing quote.
fn attribute_at<'t>(text: &'t str, offset: usize, name: &str) -> Option<(&'t str, usize)> {
    let rest = text.get(offset..)?.strip_prefix(name)?;
    let after_name = rest.trim_start();
    let after_eq = after_name.strip_prefix('=')?.trim_start();
    let quote = after_eq
        .chars()
        .next()
        .filter(|q| *q == '"' || *q == '\'')?;
    let body = after_eq.get(1..)?;
    let len = body.find(quote)?;
    let value = body.get(..len)?;
    let value_start = text.len() - body.len();
    Some((value, value_start + len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::diagnostic::Rule;

    fn finding(message: &str, line: u32, column: u32) -> Finding {
        let place = Place {
            file: "web.config".into(),
            line,
            column,
            end_line: line,
            end_column: column + 1,
        };
        Finding::new(Rule::NotWellFormed, place, message)
    }

    #[test]
    fn drops_the_second_copy_of_the_same_value_only() {
        let text = "<a>\n  <b x=\"1\" y='2' x=\"1\" />\n</a>\n";
        let fix = duplicate_attribute(&finding("duplicate attribute `x`", 2, 18), text.as_bytes())
            .expect("a fix");
        let edit = &fix.edits[0];
        let mut fixed = text.to_string();
        fixed.replace_range(edit.span.start..edit.span.end, "");
        assert_eq!(fixed, "<a>\n  <b x=\"1\" y='2' />\n</a>\n");
        let other = "<a>\n  <b x=\"1\" y='2' x=\"3\" />\n</a>\n";
        assert!(
            duplicate_attribute(&finding("duplicate attribute `x`", 2, 18), other.as_bytes())
                .is_none()
        );
    }
}
