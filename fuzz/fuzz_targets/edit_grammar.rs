//! Fuzz target: the change grammar of `iisconf set` and appcmd's command line. An argument
//! either reads or is refused with a position inside it; a change that reads holds only
//! characters XML can hold.
#![no_main]

use iisconf::edit::grammar::{self, appcmd, HostFlags};
use iisconf::edit::{Change, Step};
use libfuzzer_sys::fuzz_target;

fn holdable(text: &str) -> bool {
    grammar::check_xml_chars("", text).is_ok()
}

fn steps_holdable(steps: &[Step]) -> bool {
    steps.iter().all(|s| match s {
        Step::Element(n) => holdable(n),
        Step::Entry(pairs) => pairs.iter().all(|(k, v)| holdable(k) && holdable(v)),
    })
}

fuzz_target!(|text: &str| {
    match grammar::parse_change(text) {
        Ok(change) => {
            let ok = match &change {
                Change::Set {
                    element,
                    attribute,
                    value,
                } => steps_holdable(element) && holdable(attribute) && holdable(value),
                Change::Add {
                    element,
                    attributes: pairs,
                }
                | Change::Remove {
                    element,
                    key: pairs,
                } => {
                    steps_holdable(element) && pairs.iter().all(|(k, v)| holdable(k) && holdable(v))
                }
                _ => true,
            };
            assert!(
                ok,
                "a change that reads holds a character XML cannot hold: {change:?}"
            );
        }
        Err(e) => assert!(
            e.position() <= text.chars().count(),
            "{e:?} points past the argument"
        ),
    }
    let _ = grammar::parse_steps(text);
    let words = appcmd::split_windows(text);
    let host = HostFlags {
        with_value: &["--schema-dir", "--root-map"],
        switches: &["--dry-run"],
    };
    if let Ok(cmd) = appcmd::parse(&words, &host) {
        let _ = cmd.set_changes();
        let _ = cmd.clear_targets();
    }
});
