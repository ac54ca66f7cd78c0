//! Shared by the fuzz targets that check findings: a finding's place (1-based line and
//! column, in characters, end exclusive) and byte span must lie inside the text of the file
//! it names.

use iisconf::diagnostic::{Finding, Rule};

/// The length in characters of each line of `text`, lines broken at LF, CR LF and a lone
/// CR (as the document's line index breaks them).
fn line_lengths(text: &str) -> Vec<u32> {
    let mut lengths = Vec::new();
    let mut current = 0u32;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                lengths.push(current);
                current = 0;
            }
            _ => current += 1,
        }
    }
    lengths.push(current);
    lengths
}

/// Whether 1-based `line`:`column` is a position in `text` (at most one past a line's last
/// character).
fn is_inside(lengths: &[u32], line: u32, column: u32) -> bool {
    let Some(index) = (line as usize).checked_sub(1) else {
        return false;
    };
    lengths
        .get(index)
        .is_some_and(|len| column >= 1 && column <= len + 1)
}

/// Panics unless `finding`'s place and span lie inside `text`, the decoded text of the
/// file it names.
pub fn assert_inside(finding: &Finding, text: &str) {
    let lengths = line_lengths(text);
    let place = &finding.place;
    assert!(
        is_inside(&lengths, place.line, place.column),
        "a finding starts outside its file ({} lines): {finding}",
        lengths.len()
    );
    assert!(
        is_inside(&lengths, place.end_line, place.end_column)
            // A not-well-formed error at the end of a line covers the missing character.
            || (finding.rule == Rule::NotWellFormed
                && place.end_line == place.line
                && place.end_column == place.column + 1),
        "a finding ends outside its file ({} lines): {finding} ends at {}:{}",
        lengths.len(),
        place.end_line,
        place.end_column
    );
    assert!(
        (place.line, place.column) <= (place.end_line, place.end_column),
        "a finding ends before it starts: {finding}"
    );
    if let Some(span) = finding.span {
        assert!(
            span.start <= span.end && text.get(span.start..span.end).is_some(),
            "a finding's span {span:?} is not inside its file ({} bytes): {finding}",
            text.len()
        );
    }
}
