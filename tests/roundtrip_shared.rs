//! Round trip over the real files in ../shared: every file in corpus/ and iis-schema/ parses
//! and prints back byte for byte.

mod shared;

use iisconf::xml::Document;
use std::path::PathBuf;

fn shared_dir(sub: &str) -> Option<PathBuf> {
    shared::dir(sub)
}

fn files(dir: &PathBuf) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable shared folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "config" || e == "xml"))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_and_schema_files_round_trip_byte_for_byte() {
    let mut checked = 0;
    for sub in ["corpus", "iis-schema"] {
        let Some(dir) = shared_dir(sub) else { return };
        for path in files(&dir) {
            let bytes = std::fs::read(&path).expect("readable file");
            let doc = Document::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                doc.to_bytes() == bytes,
                "{} does not round-trip",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 11,
        "expected every shared file, checked {checked}"
    );
}
