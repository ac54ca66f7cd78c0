//! Fuzz target: edits of a parsed document. The input is a document, a NUL byte, then edit
//! lines (`ELEMENT_INDEX NAME VALUE`); every edit the document accepts leaves a text that
//! parses and reads back the values that were set, and an edit it refuses changes nothing.
#![no_main]

use iisconf::xml::{Document, NodeId, NodeKind};
use libfuzzer_sys::fuzz_target;

fn elements(doc: &Document) -> Vec<NodeId> {
    doc.descendants(NodeId::DOCUMENT)
        .filter(|id| doc.kind(*id) == NodeKind::Element)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (xml, script) = data.split_at(split);
    let Ok(mut doc) = Document::parse(xml) else {
        return;
    };
    let script = String::from_utf8_lossy(script.get(1..).unwrap_or_default()).into_owned();
    let mut expected: Vec<(NodeId, String, String)> = Vec::new();
    for line in script.split('\n').take(16) {
        let mut parts = line.splitn(3, ' ');
        let (Some(index), Some(name), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let found = elements(&doc);
        if found.is_empty() {
            return;
        }
        let index = index.bytes().map(usize::from).sum::<usize>() % found.len();
        let Some(&id) = found.get(index) else {
            continue;
        };
        match name.strip_prefix('+') {
            Some(child) => {
                let before = doc.to_text();
                if doc.append_element(id, child, &[("v", value)]).is_err() {
                    assert_eq!(doc.to_text(), before, "a refused insert changed the text");
                }
            }
            None => {
                let before = doc.to_text();
                match doc.set_attribute(id, name, value) {
                    Ok(_) => {
                        expected.retain(|(i, n, _)| !(*i == id && n == name));
                        expected.push((id, name.to_string(), value.to_string()));
                    }
                    Err(_) => assert_eq!(doc.to_text(), before, "a refused edit changed the text"),
                }
            }
        }
        let text = doc.to_text();
        let reparsed = Document::parse_str(&text);
        let Ok(reparsed) = reparsed else {
            panic!("an edited document does not parse: {reparsed:?}\n{text}");
        };
        // The printed text parses to the same elements in the same order.
        let edited = elements(&doc);
        let found = elements(&reparsed);
        assert_eq!(
            edited.len(),
            found.len(),
            "the reparsed document lost elements"
        );
        for (id, n, v) in &expected {
            let Some(e) = edited
                .iter()
                .position(|x| x == id)
                .and_then(|i| found.get(i))
            else {
                continue;
            };
            assert_eq!(reparsed.name(*e), doc.name(*id));
            let read = reparsed.attribute_value(*e, n);
            assert_eq!(read.as_deref(), Some(v.as_str()), "{n} did not read back");
        }
    }
});
