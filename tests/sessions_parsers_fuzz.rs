//! The session parsers never panic, whatever the input (they read tool output and
//! files from elsewhere).

use iisconf::runtime::{proftpd, pureftpd, snapshot, AnonymousUsers};
use proptest::prelude::*;
use std::time::SystemTime;

const PROFTPD_JSON: &str = include_str!("../fixtures/sessions/proftpd-ftpwho-1.3.8.json");
const PROFTPD_TEXT: &str = include_str!("../fixtures/sessions/proftpd-ftpwho-1.3.8-verbose.txt");
const PURE_XML: &str = include_str!("../fixtures/sessions/pureftpd-ftpwho-1.0.50.xml");
const PURE_S: &str = include_str!("../fixtures/sessions/pureftpd-ftpwho-1.0.50-s.txt");
const SNAP_XML: &str = include_str!("../fixtures/sessions/snapshot-sites.xml");

fn all_parsers(text: &str) {
    let anon = AnonymousUsers::default();
    let _ = proftpd::parse_any(text, SystemTime::now(), &anon);
    let _ = proftpd::text::parse(text, SystemTime::now(), &anon);
    if let Ok(entries) = pureftpd::parse_any(text) {
        let _ = pureftpd::to_sessions(&entries, SystemTime::now(), &anon, false);
    }
    let _ = pureftpd::parse_shell(text);
    let _ = snapshot::parse(text, "fuzz");
}

proptest! {
    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        all_parsers(&text);
    }

    #[test]
    fn mutated_real_outputs(which in 0usize..5, cut in 0usize..4000, insert in "[\"<>|&:;()\\[\\] 0-9a-z%\n\t-]{0,12}") {
        let base = [PROFTPD_JSON, PROFTPD_TEXT, PURE_XML, PURE_S, SNAP_XML][which];
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{}{}", &base[..at], insert, &base[at..]);
        all_parsers(&mutated);
        all_parsers(&base[..at]);
    }
}
