//! The huge-page policy as a process sees it: a test binary of its own, since the policy and
//! the system setting it changes belong to the whole process.
#![cfg(target_os = "linux")]

use iisconf_xml::pages::{self, LARGE_FILE};
use iisconf_xml::Document;
use rustix::thread::transparent_huge_pages_are_disabled as small_pages_only;

#[test]
fn huge_pages_are_allowed_while_a_large_file_loads_and_only_then() {
    assert!(
        pages::huge_pages_for_large_files(),
        "Linux takes the policy"
    );
    assert_eq!(small_pages_only().ok(), Some(true));
    // A small file loads on small pages; a large one with huge pages allowed, also when
    // another large one loads meanwhile.
    assert_eq!(
        pages::loading(LARGE_FILE - 1, small_pages_only).ok(),
        Some(true)
    );
    let nested = pages::loading(LARGE_FILE, || {
        let inner = pages::loading(LARGE_FILE, small_pages_only).ok();
        (inner, small_pages_only().ok())
    });
    assert_eq!(nested, (Some(false), Some(false)));
    assert_eq!(small_pages_only().ok(), Some(true));
    // A load that panics ends too.
    let panicked = std::panic::catch_unwind(|| pages::loading(LARGE_FILE, || panic!("boom")));
    assert!(panicked.is_err());
    assert_eq!(small_pages_only().ok(), Some(true));

    // A real large file, read and parsed by `Document::load`.
    let dir = std::env::temp_dir().join(format!("iisconf-xml-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("large.config");
    let mut text = String::from("<configuration>\n");
    while (text.len() as u64) < LARGE_FILE {
        text.push_str("  <add key=\"k\" value=\"v\" />\n");
    }
    text.push_str("</configuration>\n");
    std::fs::write(&path, &text).expect("written");
    let doc = Document::load(&path).expect("read").expect("parses");
    assert_eq!(doc.source(), text);
    assert_eq!(small_pages_only().ok(), Some(true));
    std::fs::remove_dir_all(&dir).expect("removed");
}
