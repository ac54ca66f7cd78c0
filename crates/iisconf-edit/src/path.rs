//! Element paths below a section, in appcmd's notation: `session.timeout`,
//! `files.[value='index.htm']`, `files[value='a.htm'].value`,
//! `[name='X'].environmentVariables.[name='foo',value='bar']`.
//!
//! Steps are separated by `.` outside brackets and quotes. A step is an element name, an
//! entry selector `[attr='value',…]`, or both (`files[value='a']`). Inside a selector a
//! value is quoted with `'` (a doubled `''` is one quote) or `"`, or unquoted up to the next
//! `,` or `]`.

use super::EditError;

/// One step of a path below a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A child element by name.
    Element(String),
    /// A collection entry of the current element, selected by attribute values (its key;
    /// for an add, every attribute of the new entry).
    Entry(Vec<(String, String)>),
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Element(n) => write!(f, "{n}"),
            Step::Entry(attrs) => {
                write!(f, "[")?;
                for (i, (k, v)) in attrs.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{k}='{}'", v.replace('\'', "''"))?;
                }
                write!(f, "]")
            }
        }
    }
}

/// Writes steps back in appcmd notation (`files.[value='a']`).
pub fn display_steps(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// Splits `text` at the first `sep` outside brackets and quotes.
pub fn split_outside(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'') | (None, '"') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c) if c == sep && depth == 0 => {
                return Some((&text[..i], &text[i + c.len_utf8()..]));
            }
            _ => {}
        }
    }
    None
}

/// Parses a path of steps. An empty text is the section itself (no steps).
pub fn parse_steps(text: &str) -> Result<Vec<Step>, EditError> {
    let bad = |why: &str| {
        EditError::Syntax(format!(
            "cannot read the path `{text}`: {why}; write it like session.timeout, files.[value='a.htm'] or files[value='a.htm'].value"
        ))
    };
    let mut steps = Vec::new();
    let chars: Vec<char> = text.trim().chars().collect();
    let mut i = 0;
    let mut expect_step = true;
    while i < chars.len() {
        match chars.get(i) {
            Some('.') => {
                if expect_step {
                    return Err(bad("empty step"));
                }
                expect_step = true;
                i += 1;
            }
            Some('[') => {
                let (attrs, next) = parse_selector(&chars, i + 1).map_err(|w| bad(&w))?;
                steps.push(Step::Entry(attrs));
                i = next;
                expect_step = false;
            }
            Some(_) => {
                if !expect_step {
                    return Err(bad("expected `.` between steps"));
                }
                let start = i;
                while i < chars.len() && chars.get(i).is_some_and(|c| *c != '.' && *c != '[') {
                    i += 1;
                }
                let name: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
                let name = name.trim().to_string();
                if name.is_empty() || name.contains([']', '\'', '"', '=', ',']) {
                    return Err(bad(&format!("`{name}` is not an element name")));
                }
                steps.push(Step::Element(name));
                expect_step = false;
            }
            None => break,
        }
    }
    if expect_step && !steps.is_empty() {
        return Err(bad("it ends with `.`"));
    }
    Ok(steps)
}

/// Parses `attr='v',attr2=v2]` starting after `[`; returns the pairs and the index after `]`.
fn parse_selector(chars: &[char], mut i: usize) -> Result<(Vec<(String, String)>, usize), String> {
    let mut out = Vec::new();
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if chars.get(i) == Some(&']') && out.is_empty() {
            return Err("empty selector []".to_string());
        }
        let start = i;
        while chars
            .get(i)
            .is_some_and(|c| !matches!(c, '=' | ']' | ',' | '\'' | '"'))
        {
            i += 1;
        }
        let name: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
        let name = name.trim().to_string();
        if name.is_empty() || chars.get(i) != Some(&'=') {
            return Err("a selector lists attr='value' pairs".to_string());
        }
        i += 1;
        let mut value = String::new();
        match chars.get(i) {
            Some(&q) if q == '\'' || q == '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated quoted value".to_string()),
                        Some(&c) if c == q => {
                            if chars.get(i + 1) == Some(&q) {
                                value.push(q);
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(&c) => {
                            value.push(c);
                            i += 1;
                        }
                    }
                }
            }
            _ => {
                while let Some(&c) = chars.get(i) {
                    if c == ',' || c == ']' {
                        break;
                    }
                    value.push(c);
                    i += 1;
                }
                value = value.trim().to_string();
            }
        }
        out.push((name, value));
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        match chars.get(i) {
            Some(',') => i += 1,
            Some(']') => return Ok((out, i + 1)),
            _ => return Err("expected `,` or `]` after a value".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(pairs: &[(&str, &str)]) -> Step {
        Step::Entry(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse_steps("session").unwrap(),
            [Step::Element("session".into())]
        );
        assert_eq!(
            parse_steps("files[value='a.htm']").unwrap(),
            [Step::Element("files".into()), entry(&[("value", "a.htm")])]
        );
        assert_eq!(
            parse_steps("[name='X'].environmentVariables.[name='foo',value=\"b,a]r\"]").unwrap(),
            [
                entry(&[("name", "X")]),
                Step::Element("environmentVariables".into()),
                entry(&[("name", "foo"), ("value", "b,a]r")])
            ]
        );
        assert_eq!(
            parse_steps("[value='it''s']").unwrap(),
            [entry(&[("value", "it's")])]
        );
        assert_eq!(parse_steps("").unwrap(), []);
        assert!(parse_steps("a..b").is_err());
        assert!(parse_steps("a.").is_err());
        assert!(parse_steps("[value='x").is_err());
        assert!(parse_steps("[]").is_err());
    }

    #[test]
    fn splits_outside_brackets() {
        assert_eq!(
            split_outside("[value='a=b'].x=1", '='),
            Some(("[value='a=b'].x", "1"))
        );
        assert_eq!(split_outside("+[value='a:b']", ':'), None);
        assert_eq!(
            split_outside("session.max:10", ':'),
            Some(("session.max", "10"))
        );
    }
}
