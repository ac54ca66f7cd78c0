//! Fuzz target: the FTP who-output parsers (proftpd, pure-ftpd, snapshots) read any text.
//! It checks for panics only: what the parsers make of the text is not checked.
#![no_main]

use iisconf::runtime::{proftpd, pureftpd, snapshot, AnonymousUsers};
use libfuzzer_sys::fuzz_target;
use std::time::SystemTime;

fuzz_target!(|text: &str| {
    let anon = AnonymousUsers::default();
    let _ = proftpd::parse_any(text, SystemTime::now(), &anon);
    let _ = proftpd::text::parse(text, SystemTime::now(), &anon);
    if let Ok(entries) = pureftpd::parse_any(text) {
        let _ = pureftpd::to_sessions(&entries, SystemTime::now(), &anon, false);
    }
    let _ = pureftpd::parse_shell(text);
    let _ = snapshot::parse(text, "fuzz");
});
