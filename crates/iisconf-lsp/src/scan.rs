//! A forgiving tokenizer for the text being edited: start tags with their attributes, end
//! tags, comments and text, each with its byte span. It never fails: an unfinished tag ends
//! where the next `<` or the text ends, so completion, hover and the outline work in a
//! document that is not (yet) well-formed, where the lossless parser stops at the first
//! error.

use std::ops::Range;

/// An attribute of a start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// Its name.
    pub name: String,
    /// The span of its name.
    pub name_span: Range<usize>,
    /// Its value as written (entities not expanded), without quotes.
    pub value: String,
    /// The span of the value inside the quotes (`None` when no value was started).
    pub value_span: Option<Range<usize>>,
}

/// A start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartTag {
    /// The element's name.
    pub name: String,
    /// The span of the name.
    pub name_span: Range<usize>,
    /// The attributes in order.
    pub attrs: Vec<Attr>,
    /// Whether it ends with `/>`.
    pub self_closing: bool,
    /// Whether it ends with `>` (or `/>`): an unfinished tag is cut at the next `<`.
    pub closed: bool,
}

impl StartTag {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `<name …>` or `<name …/>`.
    Start(StartTag),
    /// `</name>`, with the span of the name.
    End(String, Range<usize>),
    /// A comment, processing instruction, CDATA section or declaration.
    Other,
    /// Character data.
    Text,
}

/// A token and its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Its bytes.
    pub span: Range<usize>,
}

/// Every token of `text`, in order, read as they are asked for (a question about a place
/// near the start of a large document reads no further).
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// The tokens of a text; see [`tokens`].
pub struct Tokens<'t> {
    text: &'t str,
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let text = self.text;
        let bytes = text.as_bytes();
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        if bytes.get(start) != Some(&b'<') {
            self.at = find(bytes, start, b"<").unwrap_or(bytes.len());
            return Some(Token {
                kind: Kind::Text,
                span: start..self.at,
            });
        }
        let i = start;
        let rest = bytes.get(i..).unwrap_or(&[]);
        let (kind, end) = if rest.starts_with(b"<!--") {
            (Kind::Other, until(bytes, i + 4, b"-->"))
        } else if rest.starts_with(b"<![CDATA[") {
            (Kind::Other, until(bytes, i + 9, b"]]>"))
        } else if rest.starts_with(b"<?") {
            (Kind::Other, until(bytes, i + 2, b"?>"))
        } else if rest.starts_with(b"<!") {
            (Kind::Other, until(bytes, i + 2, b">"))
        } else if rest.starts_with(b"</") {
            let (name, name_span) = name_at(text, i + 2);
            let end = match bytes
                .get(name_span.end..)
                .and_then(|r| r.iter().position(|b| *b == b'>' || *b == b'<'))
            {
                Some(p) if bytes.get(name_span.end + p) == Some(&b'>') => name_span.end + p + 1,
                Some(p) => name_span.end + p,
                None => bytes.len(),
            };
            (Kind::End(name, name_span), end)
        } else {
            let (tag, end) = start_tag(text, i);
            (Kind::Start(tag), end)
        };
        self.at = end.max(i + 1);
        Some(Token {
            kind,
            span: start..self.at,
        })
    }
}

/// The offset just past `close` searched from `from`, or the end of the text.
fn until(bytes: &[u8], from: usize, close: &[u8]) -> usize {
    find(bytes, from, close).map_or(bytes.len(), |p| p + close.len())
}

/// Where `needle` first occurs at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = bytes.get(from..)?;
    hay.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Whether `b` ends a name.
fn ends_name(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'<' | b'=' | b'"' | b'\'')
}

/// The name starting at `from` and its span.
fn name_at(text: &str, from: usize) -> (String, Range<usize>) {
    let bytes = text.as_bytes();
    let mut end = from;
    while bytes.get(end).is_some_and(|b| !ends_name(*b)) {
        end += 1;
    }
    (text.get(from..end).unwrap_or("").to_string(), from..end)
}

/// The start tag at `at` (its `<`) and the offset after it.
fn start_tag(text: &str, at: usize) -> (StartTag, usize) {
    let bytes = text.as_bytes();
    let (name, name_span) = name_at(text, at + 1);
    let mut tag = StartTag {
        name,
        name_span: name_span.clone(),
        attrs: Vec::new(),
        self_closing: false,
        closed: false,
    };
    let mut i = name_span.end;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b'<') => return (tag, i),
            Some(b'>') => {
                tag.closed = true;
                return (tag, i + 1);
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                tag.closed = true;
                tag.self_closing = true;
                return (tag, i + 2);
            }
            Some(b'/') | Some(b'=') | Some(b'"') | Some(b'\'') => {
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let (name, name_span) = name_at(text, i);
        i = name_span.end;
        let mut j = i;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let mut attr = Attr {
            name,
            name_span,
            value: String::new(),
            value_span: None,
        };
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if let Some(quote) = bytes.get(j).copied().filter(|q| *q == b'"' || *q == b'\'') {
                let from = j + 1;
                let mut end = from;
                while bytes.get(end).is_some_and(|b| *b != quote && *b != b'<') {
                    end += 1;
                }
                attr.value = text.get(from..end).unwrap_or("").to_string();
                attr.value_span = Some(from..end);
                i = if bytes.get(end) == Some(&quote) {
                    end + 1
                } else {
                    end
                };
            } else {
                i = j;
            }
        }
        tag.attrs.push(attr);
    }
}

/// An element open around a place of the text.
#[derive(Clone, Debug)]
pub struct Open {
    /// Its start tag.
    pub tag: StartTag,
}

/// Where in a start tag the cursor is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InTag {
    /// On the element's name.
    Name,
    /// On the name of attribute `index`.
    AttrName(usize),
    /// In the value of attribute `index`.
    AttrValue(usize),
    /// Between attributes, where a new one may be written.
    Between,
}

/// What is at the cursor.
#[derive(Clone, Debug)]
pub enum Spot {
    /// In a start tag.
    Tag {
        /// The tag.
        tag: StartTag,
        /// The tag's span.
        span: Range<usize>,
        /// Where in it.
        at: InTag,
    },
    /// Between tags (where a child element may start), or right after a lone `<`.
    Content,
    /// In an end tag, a comment or another markup declaration.
    Other,
}

/// The cursor's place: the elements open around it (outermost first) and what it is on.
#[derive(Clone, Debug)]
pub struct Cursor {
    /// The open elements, outermost first (not the element whose tag the cursor is in).
    pub stack: Vec<Open>,
    /// What the cursor is on.
    pub spot: Spot,
}

impl Cursor {
    /// The names of the open elements, outermost first.
    pub fn names(&self) -> Vec<&str> {
        self.stack.iter().map(|o| o.tag.name.as_str()).collect()
    }
}

/// The cursor at byte `offset` of `text`.
pub fn cursor(text: &str, offset: usize) -> Cursor {
    let mut stack: Vec<Open> = Vec::new();
    for token in tokens(text) {
        let inside = token.span.start < offset
            && (offset < token.span.end || (offset == token.span.end && !closes(&token)));
        if inside {
            let spot = match token.kind {
                Kind::Start(tag) => {
                    let at = in_tag(&tag, offset);
                    Spot::Tag {
                        tag,
                        span: token.span,
                        at,
                    }
                }
                Kind::Text => Spot::Content,
                _ => Spot::Other,
            };
            return Cursor { stack, spot };
        }
        if token.span.start >= offset {
            break;
        }
        step(&mut stack, token);
    }
    Cursor {
        stack,
        spot: Spot::Content,
    }
}

/// Whether a token ends with its closing delimiter (the cursor right after it is outside).
fn closes(token: &Token) -> bool {
    match &token.kind {
        Kind::Start(tag) => tag.closed,
        Kind::Text => false,
        _ => true,
    }
}

/// Where `offset` is inside `tag`.
fn in_tag(tag: &StartTag, offset: usize) -> InTag {
    if offset <= tag.name_span.end {
        return InTag::Name;
    }
    for (i, a) in tag.attrs.iter().enumerate() {
        if a.name_span.start <= offset && offset <= a.name_span.end {
            return InTag::AttrName(i);
        }
        if let Some(v) = &a.value_span {
            if v.start <= offset && offset <= v.end {
                return InTag::AttrValue(i);
            }
        }
    }
    InTag::Between
}

/// Keeps `stack` the open elements after `token`.
pub fn step(stack: &mut Vec<Open>, token: Token) {
    match token.kind {
        Kind::Start(tag) if !tag.self_closing => stack.push(Open { tag }),
        Kind::End(name, _) => {
            if let Some(p) = stack.iter().rposition(|o| o.tag.name == name) {
                stack.truncate(p);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_tag_ends_at_the_next_tag() {
        let text = "<configuration>\n  <system.webServer>\n    <asp enableParentPaths=\"tr\n  </system.webServer>";
        let at = text.find("tr\n").unwrap() + 2;
        let c = cursor(text, at);
        assert_eq!(c.names(), ["configuration", "system.webServer"]);
        match c.spot {
            Spot::Tag { tag, at, .. } => {
                assert_eq!(tag.name, "asp");
                assert_eq!(at, InTag::AttrValue(0));
                assert_eq!(tag.attrs[0].value, "tr\n  ");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_values_and_the_space_between() {
        let text = "<a><b x=\"1\" y='2' /><c  ";
        assert!(matches!(
            cursor(text, 6).spot,
            Spot::Tag {
                at: InTag::AttrName(0),
                ..
            }
        ));
        assert!(matches!(
            cursor(text, 9).spot,
            Spot::Tag {
                at: InTag::AttrValue(0),
                ..
            }
        ));
        assert!(matches!(
            cursor(text, 11).spot,
            Spot::Tag {
                at: InTag::Between,
                ..
            }
        ));
        assert!(matches!(
            cursor(text, 5).spot,
            Spot::Tag {
                at: InTag::Name,
                ..
            }
        ));
        // After `/>` the cursor is in a's content; `<c  ` is unfinished: still in its tag.
        assert!(matches!(cursor(text, 20).spot, Spot::Content));
        let end = cursor(text, text.len());
        assert_eq!(end.names(), ["a"]);
        assert!(matches!(
            end.spot,
            Spot::Tag {
                at: InTag::Between,
                ..
            }
        ));
        // Right after a lone `<`: the name being typed.
        let lone = cursor("<a>\n  <", 7);
        assert!(matches!(
            lone.spot,
            Spot::Tag {
                at: InTag::Name,
                ..
            }
        ));
    }

    #[test]
    fn comments_and_end_tags_keep_the_stack() {
        let text = "<a><!-- <b> --><c></c></a><d>";
        let c = cursor(text, text.find("<c>").unwrap() + 3);
        assert_eq!(c.names(), ["a", "c"]);
        assert_eq!(cursor(text, text.len()).names(), ["d"]);
    }
}
