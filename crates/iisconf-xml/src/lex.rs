//! A lexer for start tags: finds the tag's end and splits it into the exact tokens the
//! document keeps (name, each attribute's whitespace, name, `=`, quote and value,
//! and the closing whitespace with `>` or `/>`).

use crate::escape;
use crate::node::{AttrData, AttrSpans};

/// The tokens of one start tag.
pub(super) struct StartTag {
    /// One past the element name's last byte.
    pub name_end: usize,
    /// One past the closing `>`.
    pub end: usize,
    /// Whether the tag ends with `/>`.
    pub self_closing: bool,
}

/// An error inside a start tag: byte offset and message.
pub(super) struct TagError {
    pub offset: usize,
    pub message: String,
    pub help: &'static str,
}

fn err(offset: usize, message: impl Into<String>, help: &'static str) -> TagError {
    TagError {
        offset,
        message: message.into(),
        help,
    }
}

/// Byte classes for the lexer's fast paths (one table lookup per byte).
const SPACE: u8 = 1;
/// An ASCII byte that may continue a name: letters, digits, `_`, `:`, `-`, `.`.
const NAME: u8 = 2;
/// An ASCII byte that may start a name: letters, `_`, `:`.
const NAME_START: u8 = 4;
/// A byte an attribute value scan must look at: quotes, `<`, `&`, control characters (tabs
/// and line breaks too, which the value's normalisation turns into spaces), and every
/// non-ASCII byte.
const VALUE_STOP: u8 = 8;

static CLASS: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            class |= SPACE;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            class |= NAME_START | NAME;
        }
        if c.is_ascii_digit() || c == b'-' || c == b'.' {
            class |= NAME;
        }
        if c < 0x20 || c >= 0x80 || matches!(c, b'"' | b'\'' | b'<' | b'&') {
            class |= VALUE_STOP;
        }
        table[b] = class;
        b += 1;
    }
    table
}

/// XML whitespace: space, tab, carriage return, line feed.
#[inline]
pub(super) fn is_space(b: u8) -> bool {
    CLASS[b as usize] & SPACE != 0
}

/// The end of the whitespace run starting at `i`, at most `limit`.
#[inline]
fn skip_space(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && is_space(bytes[i]) {
        i += 1;
    }
    i
}

/// Whether a name or attribute stops at `bytes[i]`: whitespace, `>`, `/>`, the end of the
/// text, or `=` when `attribute`.
#[inline]
fn ends_name(bytes: &[u8], i: usize, attribute: bool) -> bool {
    match bytes.get(i) {
        None => true,
        Some(b'>') => true,
        Some(b'/') => bytes.get(i + 1) == Some(&b'>'),
        Some(b'=') => attribute,
        Some(&b) => is_space(b),
    }
}

/// Scans the name starting at `start` (see [`ends_name`]) and checks it; returns its end.
fn scan_name(text: &str, start: usize, attribute: bool) -> Result<usize, TagError> {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() && CLASS[bytes[i] as usize] & NAME != 0 {
        i += 1;
    }
    if ends_name(bytes, i, attribute) && i > start && CLASS[bytes[start] as usize] & NAME_START != 0
    {
        return Ok(i);
    }
    // Not a plain ASCII name: find where it ends and give it the full check.
    while !ends_name(bytes, i, attribute) {
        i += 1;
    }
    check_name(text, start, i)?;
    Ok(i)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && !c.is_whitespace())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.' || c == '\u{B7}'
}

/// Whether `text` is an XML name, as an element or attribute name must be.
pub fn is_name(text: &str) -> bool {
    check_name(text, 0, text.len()).is_ok()
}

/// Checks that `text[start..end]` is an XML name.
pub(super) fn check_name(text: &str, start: usize, end: usize) -> Result<(), TagError> {
    let name = &text[start..end];
    // Fast path for the usual ASCII names; anything else takes the full check below.
    if let Some((first, rest)) = name.as_bytes().split_first() {
        let ascii_start = first.is_ascii_alphabetic() || matches!(first, b'_' | b':');
        let ascii_rest =
            |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.');
        if ascii_start && rest.iter().all(ascii_rest) {
            return Ok(());
        }
    }
    let mut chars = name.chars();
    match chars.next() {
        None => Err(err(start, "expected a name", "")),
        Some(c) if !is_name_start(c) => Err(err(
            start,
            format!("`{c}` cannot start a name"),
            "names start with a letter or `_`",
        )),
        Some(_) => match name.char_indices().find(|(_, c)| !is_name_char(*c)) {
            Some((i, c)) => Err(err(
                start + i,
                format!("`{c}` is not allowed in a name"),
                "",
            )),
            None => Ok(()),
        },
    }
}

/// The error for a tag that runs to the end of the text.
fn unclosed(start: usize) -> TagError {
    err(start, "a tag is not closed; expected `>`", "")
}

/// Lexes the start tag beginning with the `<` at `start`, up to its closing `>` (a `>` inside
/// a quoted value does not close it), appending its attributes to `attrs`.
pub(super) fn lex_start_tag(
    text: &str,
    start: usize,
    attrs: &mut Vec<AttrData>,
) -> Result<StartTag, TagError> {
    let bytes = text.as_bytes();
    let name_end = scan_name(text, start + 1, false)?;
    let first_attr = attrs.len();
    let mut i = name_end;
    loop {
        let ws_start = i;
        i = skip_space(bytes, i, bytes.len());
        let (end, self_closing) = match bytes.get(i..).unwrap_or_default() {
            [] => return Err(unclosed(start)),
            [b'>', ..] => (i + 1, false),
            [b'/', b'>', ..] => (i + 2, true),
            _ => (0, false),
        };
        if end != 0 {
            return Ok(StartTag {
                name_end,
                end,
                self_closing,
            });
        }
        if i == ws_start {
            return Err(err(
                i,
                "expected whitespace between attributes",
                "separate attributes with a space",
            ));
        }
        let (attr, name_end, value_end) =
            lex_attribute(text, i).map_err(|e| e.unless_at_end(text, start))?;
        let new_name = &text[attr.name as usize..name_end];
        let duplicate = attrs[first_attr..]
            .iter()
            .any(|a| a.name_is(bytes, new_name.as_bytes()));
        if duplicate {
            return Err(err(
                i,
                format!("duplicate attribute `{new_name}`"),
                "an attribute may appear only once per element; remove one",
            ));
        }
        attrs.push(attr);
        i = value_end + 1;
    }
}

impl TagError {
    /// An error found at the end of the text is the tag (at `start`) not being closed.
    fn unless_at_end(self, text: &str, start: usize) -> TagError {
        if self.offset >= text.len() {
            unclosed(start)
        } else {
            self
        }
    }
}

/// Lexes one attribute `name = "value"` starting at `start`; returns it with the end of its
/// name and of its raw value.
fn lex_attribute(text: &str, start: usize) -> Result<(AttrData, usize, usize), TagError> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let name_end = scan_name(text, start, true)?;
    let name = || &text[start..name_end];
    let mut i = skip_space(bytes, name_end, len);
    if bytes.get(i) != Some(&b'=') {
        return Err(err(
            i,
            format!("expected `=` after attribute name `{}`", name()),
            "write attributes as name=\"value\"",
        ));
    }
    i = skip_space(bytes, i + 1, len);
    let quote = match bytes.get(i) {
        Some(q @ (b'"' | b'\'')) => *q,
        _ => {
            return Err(err(
                i,
                format!("expected a quoted value for attribute `{}`", name()),
                "put the value in double or single quotes",
            ))
        }
    };
    let (value_end, plain) = scan_value(text, i + 1, quote)?;
    let at = AttrSpans {
        name_end: name_end as u32,
        value: (i + 1) as u32,
        value_end: value_end as u32,
        plain,
    };
    Ok((AttrData::source(at, start), name_end, value_end))
}

/// Scans an attribute value from `start` to its closing `quote`, checking
/// its characters and references; returns the offset of the closing quote, and whether the
/// value holds no reference, tab or line break (its raw text is its value).
fn scan_value(text: &str, start: usize, quote: u8) -> Result<(usize, bool), TagError> {
    let bytes = text.as_bytes();
    let (mut amp, mut non_ascii, mut breaks) = (false, false, false);
    let mut i = start;
    loop {
        while i < bytes.len() && CLASS[bytes[i] as usize] & VALUE_STOP == 0 {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            return Err(err(
                i,
                "attribute value is not closed",
                "add the closing quote",
            ));
        };
        match b {
            _ if b == quote => break,
            b'<' => {
                return Err(err(
                    i,
                    "`<` is not allowed in an attribute value",
                    "write it as &lt;",
                ))
            }
            b'&' => amp = true,
            b'\t' | b'\n' | b'\r' => breaks = true,
            0..=0x1F | 0x80.. => non_ascii = true,
            _ => {}
        }
        i += 1;
    }
    let value = &text[start..i];
    if non_ascii {
        check_chars(value, start)?;
    }
    if amp {
        if let Some((at, message)) = escape::check_references(value) {
            return Err(err(start + at, message, "write a literal & as &amp;"));
        }
    }
    Ok((i, !amp && !breaks))
}

/// Checks that every character of `value` (at offset `start`) is allowed in XML.
fn check_chars(value: &str, start: usize) -> Result<(), TagError> {
    match value.char_indices().find(|(_, c)| !escape::is_xml_char(*c)) {
        Some((at, c)) => Err(err(
            start + at,
            format!("character U+{:04X} is not allowed in XML", c as u32),
            "remove it; XML cannot hold control characters, even as character references",
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_from_what_only_a_value_may_hold() {
        for name in ["episerver", "system.webServer", "x:y", "_n-1", "été"] {
            assert!(is_name(name), "{name}");
        }
        for text in ["", "episerve+r", "1st", "a b", "-a", "a/b"] {
            assert!(!is_name(text), "{text:?}");
        }
    }
}
