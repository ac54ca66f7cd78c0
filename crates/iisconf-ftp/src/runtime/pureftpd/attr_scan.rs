//! A tolerant scanner for the `<client …/>` elements of `pure-ftpwho -x`.
//!
//! pure-ftpwho writes file names into attributes without escaping `"`:
//! `file="up "q".bin"`. An XML parser rejects that, so this scanner reads an attribute
//! value up to the `"` that is followed by the next `name="` or by the end of the tag.

/// One element's attributes in document order, values with standard entities decoded.
pub type Attributes = Vec<(String, String)>;

/// The attributes of every `<NAME …>` element in `text`, with the 1-based line each starts on.
pub fn scan_elements(text: &str, name: &str) -> Vec<(usize, Attributes)> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|t| t.find(&open)) {
        let start = pos + found + open.len();
        let boundary_ok = text
            .get(start..)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| c.is_whitespace() || c == '/' || c == '>');
        if !boundary_ok {
            pos = start;
            continue;
        }
        let line = text.get(..start).map_or(1, |t| t.matches('\n').count() + 1);
        let (attrs, end) = scan_attributes(text, start);
        out.push((line, attrs));
        pos = end.max(start);
    }
    out
}

/// Reads `name="value"` pairs from `start` to the end of the tag; returns them and the
/// position after the tag.
fn scan_attributes(text: &str, start: usize) -> (Attributes, usize) {
    let bytes = text.as_bytes();
    let mut attrs = Vec::new();
    let mut i = start;
    loop {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        match bytes.get(i) {
            None => return (attrs, i),
            Some(b'/') | Some(b'>') => {
                let end = text
                    .get(i..)
                    .and_then(|t| t.find('>'))
                    .map_or(text.len(), |e| i + e + 1);
                return (attrs, end);
            }
            _ => {}
        }
        let name_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
        {
            i += 1;
        }
        let name = text.get(name_start..i).unwrap_or("").to_string();
        if name.is_empty() || bytes.get(i) != Some(&b'=') || bytes.get(i + 1) != Some(&b'"') {
            // Not an attribute: skip to the end of the tag.
            let end = text
                .get(i..)
                .and_then(|t| t.find('>'))
                .map_or(text.len(), |e| i + e + 1);
            return (attrs, end);
        }
        let value_start = i + 2;
        let value_end = closing_quote(text, value_start);
        let raw = text.get(value_start..value_end).unwrap_or("");
        attrs.push((name, decode_entities(raw)));
        i = value_end + 1;
    }
}

/// The `"` ending a value that starts at `from`: the first one followed by whitespace and
/// `name="`, or by `/>` / `>`, or else the last one before the tag ends.
fn closing_quote(text: &str, from: usize) -> usize {
    let mut candidate = None;
    let mut search = from;
    while let Some(q) = text.get(search..).and_then(|t| t.find('"')) {
        let at = search + q;
        let after = text.get(at + 1..).unwrap_or("");
        if ends_value(after) {
            return at;
        }
        if after.starts_with('\n') || after.is_empty() {
            candidate = Some(at);
            break;
        }
        candidate.get_or_insert(at);
        search = at + 1;
    }
    candidate.unwrap_or(text.len())
}

fn ends_value(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t', '\r', '\n']);
    if rest.starts_with("/>") || rest.starts_with('>') {
        return true;
    }
    if rest.len() == after.len() {
        return false; // no whitespace: the quote is inside the value
    }
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
        .count();
    name_len > 0 && rest.get(name_len..).is_some_and(|r| r.starts_with("=\""))
}

fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        let decoded = tail.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = tail.get(1..semi)?;
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let code = if let Some(hex) = entity.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16).ok()?
                    } else {
                        entity.strip_prefix('#')?.parse().ok()?
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(attrs: &'a Attributes, name: &str) -> Option<&'a str> {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn unescaped_quotes_in_values() {
        let text = r#"<status>
  <client pid="1" file="up "q".bin" host="h" />
  <client pid="2" file="a" b"" host="x"/>
  <client pid="3" file="ends with quote"" />
  <client pid="4" file="name="odd" c" host="y" />
</status>"#;
        let els = scan_elements(text, "client");
        assert_eq!(els.len(), 4);
        assert_eq!(get(&els[0].1, "file"), Some(r#"up "q".bin"#));
        assert_eq!(get(&els[0].1, "host"), Some("h"));
        assert_eq!(els[0].0, 2);
        assert_eq!(get(&els[1].1, "file"), Some(r#"a" b""#));
        assert_eq!(get(&els[2].1, "file"), Some(r#"ends with quote""#));
        assert_eq!(get(&els[3].1, "host"), Some("y"));
    }

    #[test]
    fn entities_and_truncation() {
        let els = scan_elements(
            r#"<client a="x &amp; &lt;y&gt; &#65;&#x42; &bogus" b="2""#,
            "client",
        );
        assert_eq!(get(&els[0].1, "a"), Some("x & <y> AB &bogus"));
        assert_eq!(get(&els[0].1, "b"), Some("2"));
        assert!(scan_elements("<clients x=\"1\"/>", "client").is_empty());
        assert!(scan_elements("", "client").is_empty());
    }
}
