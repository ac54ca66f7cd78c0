//! Property tests for the lossless document: generated documents in every syntax form the
//! parser keeps (whitespace with tabs, both quotes, `name = 'v'` spacing, comments, PIs,
//! CDATA, references, `</x >`, `<x/>` versus `<x></x>`, LF/CRLF/lone CR/mixed line endings,
//! BOM, declaration, UTF-16LE/BE) print back byte for byte; and `set_attribute` changes
//! only the lines of the edited start tag.

use iisconf::xml::{Document, NodeId, NodeKind, TextEncoding};
use proptest::prelude::*;

/// One generated node: the text it prints as is built from the random choices.
#[derive(Clone, Debug)]
enum Gen {
    Text(String),
    Comment(String),
    Pi(String),
    CData(String),
    Element {
        name: String,
        attrs: Vec<(String, String, String, char, String)>,
        close_ws: String,
        end_ws: String,
        children: Vec<Gen>,
        self_closing: bool,
    },
}

fn newline() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

/// Whitespace: spaces, tabs and any line ending, mixed.
fn ws(min: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just(" "), Just("  "), Just("\t"), newline()],
        min..4,
    )
    .prop_map(|parts| parts.concat())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("site".to_string()),
        Just("system.webServer".to_string()),
        Just("x:y".to_string()),
        Just("_n-1".to_string()),
        Just("été".to_string()),
    ]
}

/// Character data with references, non-ASCII and line endings (no `<`, bare `&` or `]]>`).
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("v"),
            Just("hello world"),
            Just("&amp;"),
            Just("&lt;"),
            Just("&#x41;"),
            Just("&#233;"),
            Just("&quot;"),
            Just("é€😀"),
            Just(">"),
            Just("\t"),
            Just("\n"),
            Just("\r\n"),
            Just("\r"),
            Just(" "),
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat())
}

/// A raw attribute value for `quote`: text without `<` and without that quote.
fn value(quote: char) -> impl Strategy<Value = String> {
    let other = if quote == '"' { "'" } else { "\"" };
    prop::collection::vec(
        prop_oneof![
            Just("Site1"),
            Just("%SystemDrive%\\inetpub"),
            Just("&amp;"),
            Just("&apos;"),
            Just("&#10;"),
            Just(other),
            Just(">"),
            Just("\t"),
            Just("\r\n"),
            Just("ü"),
        ],
        0..4,
    )
    .prop_map(|parts| parts.concat())
}

fn attribute() -> impl Strategy<Value = (String, String, String, char, String)> {
    (
        ws(1),
        prop_oneof![Just("="), Just(" = "), Just("\t=\t"), Just("=\r\n")],
        prop_oneof![Just('"'), Just('\'')],
    )
        .prop_flat_map(|(ws, eq, quote)| {
            (Just(ws), Just(eq.to_string()), Just(quote), value(quote))
        })
        .prop_map(|(ws, eq, quote, value)| (ws, String::new(), eq, quote, value))
}

fn leaf() -> impl Strategy<Value = Gen> {
    prop_oneof![
        3 => text().prop_map(Gen::Text),
        1 => ws(1).prop_map(Gen::Text),
        1 => "[a-z é\r\n\t-]{0,12}"
            .prop_filter("no -- in comments", |s| !s.contains("--") && !s.ends_with('-'))
            .prop_map(Gen::Comment),
        1 => "[a-z =\"'\r\n]{0,10}".prop_map(Gen::Pi),
        1 => "[a-z<>&\\]\r\n ]{0,12}"
            .prop_filter("no ]]> in CDATA", |s| !s.contains("]]>"))
            .prop_map(Gen::CData),
    ]
}

fn element_with(children: impl Strategy<Value = Vec<Gen>>) -> impl Strategy<Value = Gen> {
    (
        name(),
        prop::collection::vec(attribute(), 0..4),
        prop_oneof![Just(String::new()), ws(1)],
        prop_oneof![
            Just(String::new()),
            Just(" ".to_string()),
            Just("\t".to_string())
        ],
        children,
        any::<bool>(),
    )
        .prop_map(|(name, attrs, close_ws, end_ws, children, self_closing)| {
            // Distinct attribute names: a, b, c … in order.
            let attrs = attrs
                .into_iter()
                .enumerate()
                .map(|(i, (ws, _, eq, q, v))| (ws, format!("attr{i}"), eq, q, v))
                .collect();
            Gen::Element {
                name,
                attrs,
                close_ws,
                end_ws,
                self_closing: self_closing && children.is_empty(),
                children,
            }
        })
}

fn element() -> impl Strategy<Value = Gen> {
    let leaf_element = element_with(Just(Vec::new()));
    prop_oneof![leaf(), leaf_element].prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            1 => leaf(),
            3 => element_with(prop::collection::vec(inner, 0..6)),
        ]
    })
}

fn root() -> impl Strategy<Value = Gen> {
    element_with(prop::collection::vec(element(), 0..6))
}

fn print(node: &Gen, out: &mut String) {
    match node {
        Gen::Text(t) => out.push_str(t),
        Gen::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        Gen::Pi(p) => {
            out.push_str("<?pi ");
            out.push_str(p);
            out.push_str("?>");
        }
        Gen::CData(c) => {
            out.push_str("<![CDATA[");
            out.push_str(c);
            out.push_str("]]>");
        }
        Gen::Element {
            name,
            attrs,
            close_ws,
            end_ws,
            children,
            self_closing,
        } => {
            out.push('<');
            out.push_str(name);
            for (ws, n, eq, q, v) in attrs {
                out.push_str(ws);
                out.push_str(n);
                out.push_str(eq);
                out.push(*q);
                out.push_str(v);
                out.push(*q);
            }
            out.push_str(close_ws);
            if *self_closing {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for c in children {
                print(c, out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push_str(end_ws);
            out.push('>');
        }
    }
}

fn encoding() -> impl Strategy<Value = TextEncoding> {
    prop_oneof![
        3 => Just(TextEncoding::Utf8 { bom: false }),
        1 => Just(TextEncoding::Utf8 { bom: true }),
        1 => Just(TextEncoding::Utf16Le),
        1 => Just(TextEncoding::Utf16Be),
    ]
}

/// A whole document: optional declaration, comments and whitespace around one root.
fn document() -> impl Strategy<Value = (String, TextEncoding)> {
    (
        prop_oneof![
            Just(""),
            Just("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            Just("<?xml version='1.0'?>"),
        ],
        ws(0),
        prop::option::of("[a-z ]{0,8}"),
        root(),
        ws(0),
        encoding(),
    )
        .prop_map(|(decl, before, comment, root, after, enc)| {
            let mut s = String::from(decl);
            s.push_str(&before);
            if let Some(c) = comment {
                s.push_str("<!--");
                s.push_str(&c);
                s.push_str("-->");
                s.push_str(&before);
            }
            print(&root, &mut s);
            s.push_str(&after);
            (s, enc)
        })
}

fn elements(doc: &Document) -> Vec<NodeId> {
    doc.descendants(NodeId::DOCUMENT)
        .filter(|n| doc.kind(*n) == NodeKind::Element)
        .collect()
}

/// Splits on LF, CRLF and lone CR, keeping the endings so they are compared too.
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\n' => i + 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(&text[start..end]);
        start = end;
        i = end;
    }
    out.push(&text[start..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_documents_round_trip((text, enc) in document()) {
        let bytes = enc.encode(&text);
        let doc = Document::parse(&bytes)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text:?}")))?;
        prop_assert_eq!(doc.encoding(), enc);
        prop_assert_eq!(doc.to_text(), text.as_str());
        prop_assert!(doc.to_bytes() == bytes, "to_bytes differs");
        let owned = Document::from_vec(bytes.clone())
            .map_err(|e| TestCaseError::fail(format!("from_vec: {e}\n{text:?}")))?;
        prop_assert!(owned.to_bytes() == bytes, "from_vec: to_bytes differs");
    }

    #[test]
    fn set_attribute_changes_only_the_tag_lines(
        (text, _) in document(),
        pick in any::<prop::sample::Index>(),
        existing in any::<bool>(),
        new_value in "[a-zA-Z0-9 &<>\"'\t\r\n/é]{0,12}",
    ) {
        let mut doc = Document::parse_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text:?}")))?;
        let targets = elements(&doc);
        let id = targets[pick.index(targets.len())];
        let name = match doc.attributes(id).next() {
            Some(a) if existing => a.name.to_string(),
            _ => "added".to_string(),
        };
        let span = doc.span(id).expect("parsed element has a span");
        let first = doc.position(span.start).line as usize;
        let last = doc.position(span.end.saturating_sub(1)).line as usize;
        doc.set_attribute(id, &name, &new_value).expect("set_attribute");
        let edited = doc.to_text();

        let reparsed = Document::parse_str(&edited)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{edited:?}")))?;
        let again = elements(&reparsed)[pick.index(targets.len())];
        let got = reparsed.attribute_value(again, &name).map(|v| v.into_owned());
        prop_assert_eq!(got, Some(new_value.clone()));

        // Every line before the tag's first line and after its last line is unchanged
        // (a new attribute may copy whitespace holding a line break, so the tail is aligned
        // from the end).
        let (old, new) = (lines(&text), lines(&edited));
        for i in 0..first - 1 {
            prop_assert_eq!(old[i], new[i], "line {} before the tag changed", i + 1);
        }
        let tail = old.len() - last;
        prop_assert!(new.len() >= tail + first - 1, "lines went missing");
        for k in 0..tail {
            prop_assert_eq!(
                old[old.len() - 1 - k],
                new[new.len() - 1 - k],
                "line {} after the tag changed",
                old.len() - k
            );
        }
    }
}
