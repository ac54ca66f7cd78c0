//! Fuzz target: XDT transforms (issue 21). The input is a source document, a NUL byte, then
//! a transform; a source that does not parse is replaced by a seeded web.config. Properties:
//! a transform that applies leaves a text that parses again, and a transform that made no
//! edit (it selected nothing) changes no byte.
#![no_main]

use iisconf::xdt::Transform;
use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;

const SEED: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n    <add key=\"a\" value=\"1\" />\n    <add key=\"b\" value=\"2\" />\n  </appSettings>\n  <system.web>\n    <compilation debug=\"true\" />\n    <customErrors mode=\"Off\" />\n  </system.web>\n  <system.webServer />\n</configuration>\n";

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (source, transform) = data.split_at(split);
    let transform = transform.get(1..).unwrap_or_default();
    let source_bytes = match Document::parse(source) {
        Ok(_) => source.to_vec(),
        Err(_) => SEED.as_bytes().to_vec(),
    };
    let Ok(mut document) = Document::parse(&source_bytes) else {
        return;
    };
    let before = document.to_bytes();
    let Ok(transform) = Transform::parse(transform, "fuzz.config", &[]) else {
        return;
    };
    let outcome = transform.apply(&mut document);
    let after = document.to_bytes();
    if outcome.edits.is_empty() {
        assert_eq!(after, before, "a transform that made no edit changed bytes");
    }
    if outcome.succeeded() {
        if let Err(e) = Document::parse(&after) {
            panic!(
                "the transformed document does not parse: {e}\n{}",
                String::from_utf8_lossy(&after)
            );
        }
    }
});
