//! Character escaping and unescaping for attribute values and text. Escaping is public (other
//! crates write XML with it); unescaping and reference checks serve the document alone.

use std::borrow::Cow;

/// Escapes `value` for an attribute delimited by `quote` (`"` or `'`): `&`, `<`, the quote
/// in use, and the characters XML would otherwise normalise away (tab, CR, LF).
pub fn escape_attribute(value: &str, quote: u8) -> Cow<'_, str> {
    let needs = value
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r') || b == quote);
    if !needs {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' if quote == b'"' => out.push_str("&quot;"),
            '\'' if quote == b'\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for markup written from scratch (element content, or a double-quoted
/// attribute of a generated file): `&`, `<`, `>` and `"`; with `attribute`, also tab, CR and
/// LF as character references so they survive attribute-value normalisation. Edits of a
/// preserved document use [`escape_attribute`], which leaves `>` as written.
pub fn escape_markup(text: &str, attribute: bool) -> Cow<'_, str> {
    let needs = text.bytes().any(|b| {
        matches!(b, b'&' | b'<' | b'>' | b'"') || (attribute && matches!(b, b'\t' | b'\n' | b'\r'))
    });
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#x9;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\r' if attribute => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Resolves one reference body (the text between `&` and `;`): the five predefined entities
/// and decimal or hexadecimal character references.
pub(crate) fn resolve_reference(body: &str) -> Option<char> {
    match body {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let digits = body.strip_prefix('#')?;
            let code = match digits.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.len() <= 8 => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                Some(_) => return None,
                None if !digits.is_empty() && digits.len() <= 10 => digits.parse::<u32>().ok()?,
                None => return None,
            };
            char::from_u32(code).filter(|c| is_xml_char(*c))
        }
    }
}

/// The first character of `value` that XML 1.0 cannot hold in any form (not even as a
/// character reference): controls other than tab, LF and CR, and U+FFFE, U+FFFF. Returns
/// its byte offset in `value` and the character.
pub fn find_non_xml_char(value: &str) -> Option<(usize, char)> {
    value.char_indices().find(|(_, c)| !is_xml_char(*c))
}

/// Whether `c` is allowed in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Finds the first malformed reference in raw text: returns its byte offset and a message.
pub(crate) fn check_references(raw: &str) -> Option<(usize, String)> {
    let mut rest = raw;
    let mut base = 0;
    while let Some(amp) = rest.find('&') {
        let after = &rest[amp + 1..];
        let end = after
            .find(|c: char| c == ';' || c == '&' || c == '<' || c.is_whitespace())
            .filter(|e| after.as_bytes().get(*e) == Some(&b';'));
        match end {
            Some(end) if resolve_reference(&after[..end]).is_some() => {
                base += amp + 1 + end + 1;
                rest = &after[end + 1..];
            }
            Some(end) => {
                let body = &after[..end];
                let message = if body.starts_with('#') {
                    format!("invalid character reference `&{body};`")
                } else {
                    format!(
                        "undefined entity `&{body};`: only &amp; &lt; &gt; &quot; &apos; and character references are allowed"
                    )
                };
                return Some((base + amp, message));
            }
            None => {
                return Some((
                    base + amp,
                    "a bare `&` must be written as `&amp;`".to_string(),
                ))
            }
        }
    }
    None
}

/// Unescapes an attribute value: resolves references and applies XML attribute-value
/// normalisation (literal tabs and line breaks become spaces, CRLF counting as one).
pub(crate) fn unescape_attribute(raw: &str) -> Cow<'_, str> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '&' => {
                let body_end = raw[i + 1..].find(';').map(|e| i + 1 + e);
                match body_end.and_then(|e| resolve_reference(&raw[i + 1..e]).map(|c| (e, c))) {
                    Some((e, resolved)) => {
                        out.push(resolved);
                        while chars.peek().is_some_and(|(j, _)| *j <= e) {
                            chars.next();
                        }
                    }
                    None => out.push('&'),
                }
            }
            '\r' => {
                if chars.peek().is_some_and(|(_, n)| *n == '\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\t' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Unescapes text content: resolves references, leaves whitespace as written.
pub(crate) fn unescape_text(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after
            .find(';')
            .and_then(|e| resolve_reference(&after[..e]).map(|c| (e, c)))
        {
            Some((e, c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_by_quote_in_use() {
        assert_eq!(escape_attribute(r#"a&b<"c'"#, b'"'), "a&amp;b&lt;&quot;c'");
        assert_eq!(
            escape_attribute(r#"a&b<"c'"#, b'\''),
            "a&amp;b&lt;\"c&apos;"
        );
        assert_eq!(escape_attribute("x\ny", b'"'), "x&#xA;y");
    }

    #[test]
    fn escapes_fresh_markup() {
        assert_eq!(
            escape_markup("<Anonymous> & \"x\"", false),
            "&lt;Anonymous&gt; &amp; &quot;x&quot;"
        );
        assert_eq!(escape_markup("a\tb\n", false), "a\tb\n");
        assert_eq!(escape_markup("a\tb\n", true), "a&#x9;b&#xA;");
        assert_eq!(
            unescape_attribute(&escape_markup("q\"<>&\r\n", true)),
            "q\"<>&\r\n"
        );
    }

    #[test]
    fn escape_then_unescape_is_identity() {
        for s in ["plain", "a & b", "<tag>", "q\"'", "tab\tnl\ncr\r", "&amp;"] {
            for q in [b'"', b'\''] {
                assert_eq!(unescape_attribute(&escape_attribute(s, q)), s);
            }
        }
    }

    #[test]
    fn finds_characters_xml_cannot_hold() {
        assert_eq!(find_non_xml_char("a\tb\r\nc é 漢"), None);
        assert_eq!(find_non_xml_char("a\u{1}b"), Some((1, '\u{1}')));
        assert_eq!(find_non_xml_char("éa\u{0}"), Some((3, '\u{0}')));
        assert_eq!(find_non_xml_char("x\u{FFFE}"), Some((1, '\u{FFFE}')));
        assert_eq!(find_non_xml_char("\u{FFFF}"), Some((0, '\u{FFFF}')));
        assert_eq!(find_non_xml_char("\u{10000}\u{FFFD}"), None);
    }

    #[test]
    fn normalises_literal_whitespace_in_attributes() {
        assert_eq!(unescape_attribute("a\r\nb\tc"), "a b c");
    }

    #[test]
    fn reports_bad_references() {
        assert!(check_references("a &amp; &#60; &#x3C;").is_none());
        assert_eq!(check_references("x &nbsp; y").map(|e| e.0), Some(2));
        assert_eq!(check_references("x & y").map(|e| e.0), Some(2));
        assert!(check_references("&#0;").is_some());
        assert!(check_references("&#xD800;").is_some());
    }
}
