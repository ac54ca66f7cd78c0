//! Element paths below a section, in appcmd's notation: `session.timeout`,
//! `files.[value='index.htm']`, `files[value='a.htm'].value`,
//! `[name='X'].environmentVariables.[name='foo',value='bar']`.
//!
//! Steps are separated by `.` outside brackets and quotes. A step is an element name, an
//! entry selector `[attr='value',…]`, or both (`files[value='a']`). Inside a selector a
//! value is quoted with `'` (a doubled `''` is one quote) or `"`, or unquoted up to the next
//! `,` or `]`.

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

/// Why a path cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathProblem {
    /// Two dots in a row, or a dot at the start.
    EmptyStep,
    /// Two steps without a `.` between them.
    MissingDot,
    /// A step that is not an element name.
    BadName(String),
    /// A path ending with `.`.
    TrailingDot,
    /// `[]`.
    EmptySelector,
    /// A selector that does not list `attr='value'` pairs.
    NotPairs,
    /// A quoted value without its closing quote.
    UnterminatedQuote,
    /// Something other than `,` or `]` after a selector value.
    ExpectedCommaOrBracket,
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathProblem::EmptyStep => write!(f, "empty step"),
            PathProblem::MissingDot => write!(f, "expected `.` between steps"),
            PathProblem::BadName(name) => write!(f, "`{name}` is not an element name"),
            PathProblem::TrailingDot => write!(f, "it ends with `.`"),
            PathProblem::EmptySelector => write!(f, "empty selector []"),
            PathProblem::NotPairs => write!(f, "a selector lists attr='value' pairs"),
            PathProblem::UnterminatedQuote => write!(f, "unterminated quoted value"),
            PathProblem::ExpectedCommaOrBracket => write!(f, "expected `,` or `]` after a value"),
        }
    }
}

/// A path that cannot be read: the text, where in it (a character offset into the trimmed
/// text) and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the path `{text}`: {problem}; write it like session.timeout, files.[value='a.htm'] or files[value='a.htm'].value")]
pub struct PathError {
    /// The path as given.
    pub text: String,
    /// The character offset of the problem in the trimmed path.
    pub position: usize,
    /// What is wrong.
    pub problem: PathProblem,
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
                return Some((text.get(..i)?, text.get(i + c.len_utf8()..)?));
            }
            _ => {}
        }
    }
    None
}

/// Parses a path of steps. An empty text is the section itself (no steps).
pub fn parse_steps(text: &str) -> Result<Vec<Step>, PathError> {
    let bad = |position: usize, problem: PathProblem| PathError {
        text: text.to_string(),
        position,
        problem,
    };
    let mut steps = Vec::new();
    let chars: Vec<char> = text.trim().chars().collect();
    let mut i = 0;
    let mut expect_step = true;
    while let Some(&c) = chars.get(i) {
        match c {
            '.' => {
                if expect_step {
                    return Err(bad(i, PathProblem::EmptyStep));
                }
                expect_step = true;
                i += 1;
            }
            '[' => {
                let (attrs, next) =
                    parse_selector(&chars, i + 1).map_err(|(at, problem)| bad(at, problem))?;
                steps.push(Step::Entry(attrs));
                i = next;
                expect_step = false;
            }
            _ => {
                if !expect_step {
                    return Err(bad(i, PathProblem::MissingDot));
                }
                let start = i;
                while chars.get(i).is_some_and(|c| *c != '.' && *c != '[') {
                    i += 1;
                }
                let name: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
                let name = name.trim().to_string();
                if name.is_empty() || name.contains([']', '\'', '"', '=', ',']) {
                    return Err(bad(start, PathProblem::BadName(name)));
                }
                steps.push(Step::Element(name));
                expect_step = false;
            }
        }
    }
    if expect_step && !steps.is_empty() {
        return Err(bad(chars.len(), PathProblem::TrailingDot));
    }
    Ok(steps)
}

/// A selector's `attr='value'` pairs and the index after its `]`.
type Selector = (Vec<(String, String)>, usize);

/// Parses `attr='v',attr2=v2]` starting after `[`; returns the pairs and the index after `]`,
/// or where and why it cannot be read.
fn parse_selector(chars: &[char], mut i: usize) -> Result<Selector, (usize, PathProblem)> {
    let mut out = Vec::new();
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if chars.get(i) == Some(&']') && out.is_empty() {
            return Err((i, PathProblem::EmptySelector));
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
            return Err((start, PathProblem::NotPairs));
        }
        i += 1;
        let mut value = String::new();
        match chars.get(i) {
            Some(&q) if q == '\'' || q == '"' => {
                let opening = i;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err((opening, PathProblem::UnterminatedQuote)),
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
            _ => return Err((i, PathProblem::ExpectedCommaOrBracket)),
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

    fn problem(text: &str) -> (usize, PathProblem) {
        match parse_steps(text) {
            Err(e) => (e.position, e.problem),
            Ok(steps) => panic!("`{text}` was read as {steps:?}"),
        }
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
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(problem("a..b"), (2, PathProblem::EmptyStep));
        assert_eq!(problem("a."), (2, PathProblem::TrailingDot));
        assert_eq!(problem("[value='x"), (7, PathProblem::UnterminatedQuote));
        assert_eq!(problem("[]"), (1, PathProblem::EmptySelector));
        assert_eq!(problem("[x]"), (1, PathProblem::NotPairs));
        assert_eq!(
            problem("[a='b'c]"),
            (6, PathProblem::ExpectedCommaOrBracket)
        );
        assert_eq!(problem("[a='b']x"), (7, PathProblem::MissingDot));
        assert_eq!(problem("a=b"), (0, PathProblem::BadName("a=b".into())));
    }

    #[test]
    fn the_message_names_the_path_and_the_problem() {
        let Err(e) = parse_steps("a..b") else {
            panic!("read a path with an empty step");
        };
        assert_eq!(
            e.to_string(),
            "cannot read the path `a..b`: empty step; write it like session.timeout, files.[value='a.htm'] or files[value='a.htm'].value"
        );
    }

    #[test]
    fn displays_steps_back() {
        let steps = parse_steps("files.[value='it''s']").unwrap();
        assert_eq!(display_steps(&steps), "files.[value='it''s']");
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
