//! Fuzz target: any bytes the document parser accepts print back byte for byte, and the
//! printed text parses again; parsing borrowed bytes (`parse`) and owned ones (`from_vec`,
//! the no-copy path for large files) agree on every input; and so does a document parsed
//! like an earlier one (`from_vec_like`, the diff's path), the input written inside an
//! element of a document that holds nothing there, down to the positions of its nodes
//! (its line index is made like the earlier document's).
#![no_main]

use iisconf::xml::{Document, NodeId};
use libfuzzer_sys::fuzz_target;

/// The earlier document, and the text around the input in the later one.
const BEFORE: &str = "<configuration>\n  <a x=\"1\">\n    <b>";
const AFTER: &str = "</b>\n  </a>\n  <c/>\n</configuration>\n";

/// Every node's kind, span, position, name and attribute spans, in document order.
fn shape(doc: &Document) -> Vec<String> {
    doc.descendants(NodeId::DOCUMENT)
        .map(|n| {
            let attrs: Vec<_> = doc
                .attributes(n)
                .map(|a| (a.name_span, a.value_span))
                .collect();
            format!(
                "{:?} {:?} {:?} {:?} {} {attrs:?}",
                doc.kind(n),
                doc.span(n),
                doc.span(n).map(|s| doc.position(s.start)),
                doc.end_tag_span(n),
                doc.name(n)
            )
        })
        .collect()
}

fn parsed_like_the_empty_element(data: &[u8]) {
    let earlier = Document::parse_str(&format!("{BEFORE}{AFTER}")).expect("the frame parses");
    // Its lines indexed, so that the later document's index is made like it.
    let _ = earlier.position(0);
    let later = [BEFORE.as_bytes(), data, AFTER.as_bytes()].concat();
    let like = Document::from_vec_like(later.clone(), &earlier);
    let whole = Document::from_vec(later);
    match (&like, &whole) {
        (Ok(a), Ok(b)) => {
            assert!(
                a.to_bytes() == b.to_bytes(),
                "parsed like and whole print apart"
            );
            assert_eq!(shape(a), shape(b), "parsed like and whole differ");
        }
        (Err(a), Err(b)) => assert_eq!((a.offset, &a.message), (b.offset, &b.message)),
        _ => panic!("parsed like and whole disagree: {like:?} / {whole:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    parsed_like_the_empty_element(data);
    let parsed = Document::parse(data);
    let owned = Document::from_vec(data.to_vec());
    match (&parsed, &owned) {
        (Ok(a), Ok(b)) => assert!(a.to_bytes() == b.to_bytes(), "parse and from_vec differ"),
        (Err(a), Err(b)) => assert_eq!(a.offset, b.offset, "parse and from_vec fail apart"),
        _ => panic!("parse and from_vec disagree: {parsed:?} / {owned:?}"),
    }
    let Ok(doc) = parsed else {
        return;
    };
    assert!(doc.to_bytes() == data, "the round trip changed bytes");
    let text = doc.to_text();
    let again = Document::parse_str(&text);
    assert!(again.is_ok(), "the printed text does not parse: {again:?}");
});
