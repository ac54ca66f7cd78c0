//! Fuzz target: any bytes the document parser accepts print back byte for byte, and the
//! printed text parses again; parsing borrowed bytes (`parse`) and owned ones (`from_vec`,
//! the no-copy path for large files) agree on every input.
#![no_main]

use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
