//! Behaviour of the lossless document: round trips, positions, edits with minimal diffs and
//! clear errors on bad input.

use iisconf::xml::{Document, NodeId, NodeKind, TextEncoding};
use pretty_assertions::assert_eq;

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/xml/site.web.config");

fn site() -> (Vec<u8>, Document) {
    let bytes = std::fs::read(SITE).expect("fixture");
    let doc = Document::parse(&bytes).expect("fixture parses");
    (bytes, doc)
}

/// The unified diff between the original and edited text, without headers.
fn diff(before: &[u8], doc: &Document) -> String {
    let before = String::from_utf8_lossy(before).replace("\r\n", "⏎\n");
    let after = String::from_utf8_lossy(&doc.to_bytes()).replace("\r\n", "⏎\n");
    similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(0)
        .to_string()
        .lines()
        .filter(|l| !l.starts_with("@@"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn find(doc: &Document, path: &str) -> NodeId {
    let mut cur = doc.root_element().expect("root");
    for name in path.split('/').skip(1) {
        cur = doc
            .child_element(cur, name)
            .unwrap_or_else(|| panic!("no {name} in {path}"));
    }
    cur
}

#[test]
fn unedited_fixture_round_trips() {
    let (bytes, doc) = site();
    assert_eq!(doc.to_bytes(), bytes);
    assert_eq!(doc.encoding(), TextEncoding::Utf8 { bom: false });
    assert_eq!(doc.newline(), "\r\n");
}

#[test]
fn round_trips_every_syntax_form() {
    let cases = [
        "<a/>",
        "<a></a>",
        "<a  x = 'y'\t z=\"w\"  />",
        "<?xml version='1.0'?>\n<!DOCTYPE configuration>\n<a>\r\n<!-- c -->\r<?pi data?><![CDATA[<raw>&]]>t&amp;&#65;&#x42;</a >\n",
        "\u{FEFF}<a>é€😀</a>",
        "<a>\n\t<b c=\"1\"\n\t   d=\"2\"/>\r\n</a>",
        "  <!-- lead --> <a/> <!-- trail -->  ",
    ];
    for case in cases {
        let doc = Document::parse(case.as_bytes()).unwrap_or_else(|e| panic!("{case:?}: {e}"));
        assert_eq!(doc.to_bytes(), case.as_bytes(), "{case:?}");
    }
}

#[test]
fn utf16_files_round_trip_in_their_encoding() {
    let text = "<configuration>\r\n  <appSettings><add key=\"k\" value=\"ü\" /></appSettings>\r\n</configuration>\r\n";
    for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
        let bytes = enc.encode(text);
        let mut doc = Document::parse(&bytes).expect("utf-16 parses");
        assert_eq!(doc.encoding(), enc);
        assert_eq!(doc.to_bytes(), bytes);
        let add = find(&doc, "configuration/appSettings/add");
        assert_eq!(
            doc.node_position(add).map(|p| (p.line, p.column)),
            Some((2, 16))
        );
        doc.set_attribute(add, "value", "ö").unwrap();
        let out = doc.to_bytes();
        assert_eq!(&out[..2], &bytes[..2], "BOM kept");
        assert_eq!(
            Document::parse(&out).unwrap().to_text(),
            text.replace('ü', "ö")
        );
    }
}

#[test]
fn positions_are_right_after_a_bom_and_count_characters() {
    let text = "\u{FEFF}<a>\r\n  <b x=\"é\" y=\"2\"/>\r\n</a>";
    let doc = Document::parse(text.as_bytes()).unwrap();
    assert_eq!(doc.encoding(), TextEncoding::Utf8 { bom: true });
    let b = find(&doc, "a/b");
    assert_eq!(
        doc.node_position(b).map(|p| (p.line, p.column)),
        Some((2, 3))
    );
    let y = doc.attribute(b, "y").unwrap();
    let pos = doc.position(y.name_span.unwrap().start);
    assert_eq!((pos.line, pos.column), (2, 12));
}

#[test]
fn attributes_expose_raw_and_unescaped_values() {
    let (_, doc) = site();
    let add = find(&doc, "configuration/appSettings/add");
    let value = doc.attribute(add, "value").unwrap();
    assert_eq!(value.raw_value, "Fish &amp; Chips");
    assert_eq!(value.value(), "Fish & Chips");
    let errors = find(&doc, "configuration/system.webServer/httpErrors");
    assert_eq!(
        doc.attribute_value(errors, "errorMode").as_deref(),
        Some("Custom")
    );
}

#[test]
fn edit_set_existing_attribute_changes_one_line() {
    let (bytes, mut doc) = site();
    let errors = find(&doc, "configuration/system.webServer/httpErrors");
    assert!(doc
        .set_attribute(errors, "errorMode", "Detailed & <raw>")
        .unwrap());
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    -        <httpErrors errorMode = "Custom" existingResponse="Replace">⏎
    +        <httpErrors errorMode = "Detailed &amp; &lt;raw>" existingResponse="Replace">⏎
    "#);
}

#[test]
fn edit_set_single_quoted_value_escapes_apostrophe() {
    let (bytes, mut doc) = site();
    let files = find(&doc, "configuration/system.webServer/defaultDocument/files");
    let add = doc.child_elements(files).nth(2).unwrap();
    doc.set_attribute(add, "value", "it's.aspx").unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    -                <add value='default.aspx' />⏎
    +                <add value='it&apos;s.aspx' />⏎
    "#);
}

#[test]
fn edit_setting_the_same_value_changes_nothing() {
    let (bytes, mut doc) = site();
    let add = find(&doc, "configuration/appSettings/add");
    assert!(!doc.set_attribute(add, "value", "Fish & Chips").unwrap());
    assert_eq!(doc.to_bytes(), bytes);
}

#[test]
fn edit_add_attribute_copies_sibling_quotes() {
    let (bytes, mut doc) = site();
    let files = find(&doc, "configuration/system.webServer/defaultDocument/files");
    let add = doc.child_elements(files).nth(2).unwrap();
    doc.set_attribute(add, "lockItem", "true").unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    -                <add value='default.aspx' />⏎
    +                <add value='default.aspx' lockItem='true' />⏎
    "#);
}

#[test]
fn edit_remove_attribute_takes_its_whitespace() {
    let (bytes, mut doc) = site();
    let errors = find(&doc, "configuration/system.webServer/httpErrors");
    assert!(doc.remove_attribute(errors, "existingResponse").unwrap());
    assert!(!doc.remove_attribute(errors, "existingResponse").unwrap());
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    -        <httpErrors errorMode = "Custom" existingResponse="Replace">⏎
    +        <httpErrors errorMode = "Custom">⏎
    "#);
}

#[test]
fn edit_insert_element_between_siblings() {
    let (bytes, mut doc) = site();
    let files = find(&doc, "configuration/system.webServer/defaultDocument/files");
    doc.insert_element(files, 1, "add", &[("value", "home.htm")])
        .unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"+                <add value="home.htm" />⏎"#);
    let text = doc.to_text();
    assert!(text.contains("<clear />\r\n                <add value=\"home.htm\" />\r\n                <add value=\"index.htm\" />"));
}

#[test]
fn edit_append_element_after_last_sibling() {
    let (bytes, mut doc) = site();
    let files = find(&doc, "configuration/system.webServer/defaultDocument/files");
    doc.append_element(files, "add", &[("value", "last.htm")])
        .unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"+                <add value="last.htm" />⏎"#);
}

#[test]
fn edit_insert_into_self_closing_parent_opens_it() {
    let (bytes, mut doc) = site();
    let content = find(&doc, "configuration/system.webServer/staticContent");
    doc.append_element(
        content,
        "mimeMap",
        &[("fileExtension", ".json"), ("mimeType", "application/json")],
    )
    .unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    -        <staticContent />⏎
    +        <staticContent>⏎
    +            <mimeMap fileExtension=".json" mimeType="application/json" />⏎
    +        </staticContent>⏎
    "#);
}

#[test]
fn edit_remove_element_with_its_line() {
    let (bytes, mut doc) = site();
    let files = find(&doc, "configuration/system.webServer/defaultDocument/files");
    let index = doc.child_elements(files).nth(1).unwrap();
    doc.remove_element(index).unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"-                <add value="index.htm" />⏎"#);
}

#[test]
fn edit_ensure_path_creates_nested_elements() {
    let (bytes, mut doc) = site();
    let root = doc.root_element().unwrap();
    let session = doc
        .ensure_path(root, &["system.webServer", "asp", "session"])
        .unwrap();
    doc.set_attribute(session, "max", "1000").unwrap();
    insta::assert_snapshot!(diff(&bytes, &doc), @r#"
    +        <asp>⏎
    +            <session max="1000" />⏎
    +        </asp>⏎
    "#);
    // The path now exists: a second call finds it and adds nothing.
    let again = doc
        .ensure_path(root, &["system.webServer", "asp", "session"])
        .unwrap();
    assert_eq!(again, session);
}

#[test]
fn edits_keep_tabs_when_the_file_uses_them() {
    let text = "<configuration>\n\t<appSettings />\n</configuration>\n";
    let mut doc = Document::parse(text.as_bytes()).unwrap();
    let settings = find(&doc, "configuration/appSettings");
    doc.append_element(settings, "add", &[("key", "a")])
        .unwrap();
    assert_eq!(
        doc.to_text(),
        "<configuration>\n\t<appSettings>\n\t\t<add key=\"a\" />\n\t</appSettings>\n</configuration>\n"
    );
}

#[test]
fn the_root_cannot_be_removed_or_doubled() {
    let mut doc = Document::parse(b"<a/>").unwrap();
    let root = doc.root_element().unwrap();
    assert!(doc.remove_element(root).is_err());
    assert!(doc.insert_element(NodeId::DOCUMENT, 0, "b", &[]).is_err());
    assert!(doc.set_attribute(root, "bad name", "x").is_err());
}

fn error(input: &[u8]) -> String {
    match Document::parse(input) {
        Ok(_) => panic!("{:?} parsed", String::from_utf8_lossy(input)),
        Err(e) => format!("{}: {}", e.position, e.message),
    }
}

#[test]
fn bad_input_gets_a_positioned_error() {
    insta::assert_snapshot!(error(b""), @"1:1: the file is empty");
    insta::assert_snapshot!(error(b"<?xml version=\"1.0\"?>\r\n"), @"2:1: no root element");
    insta::assert_snapshot!(error(b"<a>\n  <b>\n</a>"), @"3:1: end tag </a> does not match the start tag <b> at 2:3; expected </b>");
    insta::assert_snapshot!(error(b"<a>\n  <b/>\n"), @"1:1: element <a> is never closed; expected </a> before the end of the file");
    insta::assert_snapshot!(error(b"<!-- <configuration> -->\n  <x/>\n</configuration>"), @"3:1: end tag </configuration> has no matching start tag");
    insta::assert_snapshot!(error(b"<a x=\"1\" x=\"2\"/>"), @"1:10: duplicate attribute `x`");
    insta::assert_snapshot!(error(b"<a x=\"1\"y=\"2\"/>"), @"1:9: expected whitespace between attributes");
    insta::assert_snapshot!(error(b"<a x=1/>"), @"1:6: expected a quoted value for attribute `x`");
    insta::assert_snapshot!(error(b"<a>\xC3\x28</a>"), @"1:4: invalid UTF-8: byte 0xC3 does not start a valid character");
    insta::assert_snapshot!(error(b"<a>&nbsp;</a>"), @"1:4: undefined entity `&nbsp;`: only &amp; &lt; &gt; &quot; &apos; and character references are allowed");
    insta::assert_snapshot!(error(b"<a x=\"a<b\"/>"), @"1:8: `<` is not allowed in an attribute value");
    insta::assert_snapshot!(error(b"<a/><b/>"), @"1:5: a second root element");
    insta::assert_snapshot!(error(b"<a><!-- open </a>"), @"1:4: a comment is not closed; expected `-->`");
    insta::assert_snapshot!(error(b"<a>\n<b x=\"1\"\n"), @"2:1: a tag is not closed; expected `>`");
}

#[test]
fn dtd_entities_are_refused() {
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;\">\n]>\n<a>&lol2;</a>";
    insta::assert_snapshot!(error(bomb), @"3:2: the DOCTYPE declares entities, which are refused");
    let external = b"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
    assert!(error(external).contains("refused"));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 100_000;
    let mut text = String::with_capacity(depth * 8);
    for _ in 0..depth {
        text.push_str("<d>");
    }
    for _ in 0..depth {
        text.push_str("</d>");
    }
    let doc = Document::parse(text.as_bytes()).expect("deep document parses");
    assert_eq!(doc.to_text(), text);
    assert_eq!(doc.descendants(NodeId::DOCUMENT).count(), depth);
    let unclosed = &text[..text.len() - 4];
    assert!(Document::parse(unclosed.as_bytes()).is_err());
}

#[test]
fn a_100_mb_attribute_value_is_kept_whole() {
    let mut text = String::with_capacity(100 * 1024 * 1024 + 32);
    text.push_str("<a v=\"");
    text.extend(std::iter::repeat_n('x', 100 * 1024 * 1024));
    text.push_str("\"/>");
    let doc = Document::parse(text.as_bytes()).expect("parses");
    let root = doc.root_element().unwrap();
    assert_eq!(
        doc.attribute(root, "v").unwrap().raw_value.len(),
        100 * 1024 * 1024
    );
    assert!(doc.to_text() == text);
}

#[test]
fn whitespace_next_to_markup_is_decoration_not_children() {
    let text = "<?xml version=\"1.0\"?>\r\n<a>\r\n  <!-- c -->\r\n  <b x=\"1\" />\r\n  <c> t &amp; u </c>\r\n</a>\r\n";
    let doc = Document::parse(text.as_bytes()).unwrap();
    let a = doc.root_element().unwrap();
    assert_eq!(doc.leading_whitespace(a), "\r\n");
    let kinds: Vec<NodeKind> = doc.children(a).map(|c| doc.kind(c)).collect();
    assert_eq!(
        kinds,
        [NodeKind::Comment, NodeKind::Element, NodeKind::Element]
    );
    let b = find(&doc, "a/b");
    assert_eq!(doc.leading_whitespace(b), "\r\n  ");
    let c = find(&doc, "a/c");
    let text_node = doc.children(c).next().unwrap();
    assert_eq!(doc.raw_text(text_node), " t &amp; u ");
    assert_eq!(doc.text(text_node), " t & u ");
    assert_eq!(doc.to_text(), text);
}

#[test]
fn control_characters_in_attribute_values_are_errors() {
    insta::assert_snapshot!(error(b"<a>\n  <b x=\"ok\x01\"/>\n</a>"), @"2:11: character U+0001 is not allowed in XML");
    insta::assert_snapshot!(error(b"<a x='\x1B[0m'/>"), @"1:7: character U+001B is not allowed in XML");
    let err = Document::parse(b"<a x=\"\xEF\xBF\xBE\"/>").unwrap_err();
    assert!(err.message.contains("U+FFFE"), "{}", err.message);
    // Tabs and line breaks are allowed (they normalise to spaces).
    assert!(Document::parse(b"<a x=\"1\t2\r\n3\"/>").is_ok());
}

#[test]
fn from_vec_matches_parse() {
    let (bytes, _) = site();
    let inputs: Vec<Vec<u8>> = vec![
        bytes,
        "\u{FEFF}<a>\r\n  <b x=\"é\" y=\"2\"/>\r\n</a>".into(),
        TextEncoding::Utf16Le.encode("<a>\r\n  <b x=\"ü\"/>\r\n</a>"),
        b"<a>\n  \xFF</a>".to_vec(),
        b"\xEF\xBB\xBF<a>\n  \xFF</a>".to_vec(),
        b"<\0a\0".to_vec(),
        Vec::new(),
    ];
    for input in inputs {
        match (Document::parse(&input), Document::from_vec(input.clone())) {
            (Ok(parsed), Ok(owned)) => {
                assert_eq!(owned.to_bytes(), input);
                assert_eq!(owned.encoding(), parsed.encoding());
                assert_eq!(owned.source(), parsed.source());
                let b = owned.descendants(NodeId::DOCUMENT).nth(1).unwrap();
                assert_eq!(owned.node_position(b), parsed.node_position(b));
                assert_eq!(owned.span(b), parsed.span(b));
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!(
                "{input:?}: parse {:?} vs from_vec {:?}",
                a.is_ok(),
                b.is_ok()
            ),
        }
    }
}

/// A configuration file of about `mb` MiB: many `<add>` entries, CRLF line endings.
fn large_config(mb: usize) -> String {
    let mut text = String::from("<configuration>\r\n  <appSettings>\r\n");
    let mut i = 0;
    while text.len() < mb << 20 {
        text.push_str(&format!("    <add key=\"k{i}\" value=\"é {i}\" />\r\n"));
        i += 1;
    }
    text.push_str("  </appSettings>\r\n</configuration>\r\n");
    text
}

#[test]
fn a_large_file_loads_as_it_parses_in_every_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let text = large_config(2);
    let utf8 = text.as_bytes().to_vec();
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (name, bytes) in [
        ("utf8.config", utf8),
        ("bom.config", bom),
        ("utf16.config", TextEncoding::Utf16Le.encode(&text)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let loaded = Document::load(&path).unwrap().expect(name);
        let parsed = Document::parse(&bytes).unwrap();
        assert_eq!(loaded.encoding(), parsed.encoding(), "{name}");
        assert_eq!(loaded.source(), parsed.source(), "{name}");
        assert_eq!(loaded.to_bytes(), bytes, "{name}");
        let last = loaded.source().rfind("<add").unwrap();
        assert_eq!(loaded.position(last), parsed.position(last), "{name}");
    }
}

#[test]
fn a_large_file_that_is_not_utf8_is_refused_at_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = large_config(2).into_bytes();
    let at = bytes.len() - 40;
    bytes[at] = 0xFF;
    let path = dir.path().join("bad.config");
    std::fs::write(&path, &bytes).unwrap();
    let error = Document::load(&path).unwrap().unwrap_err();
    assert_eq!(error, Document::parse(&bytes).unwrap_err());
    assert!(error.message.contains("invalid UTF-8"), "{}", error.message);
    assert!(Document::load(&dir.path().join("missing.config")).is_err());
}
