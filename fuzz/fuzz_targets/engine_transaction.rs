//! Fuzz target: transactions on fixtures/edit's applicationHost.config. The input is lines
//! `CONFIG_PATH`, `SECTION`, `COMMIT`, then changes (`session.max=5`, `+files[value='a']`);
//! a transaction that prepares leaves every edited file parseable, and when it wrote
//! applicationHost.config alone, that file read again gives the hierarchy the transaction
//! derived: the same effective section at the path, and findings of the same rules.
#![no_main]

use iisconf::config::ConfigFile;
use iisconf::edit::{grammar, Edit, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{render, Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const APPHOST: &[u8] = include_bytes!("../../fixtures/edit/applicationHost.config");

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

fuzz_target!(|text: &str| {
    let mut lines = text.split('\n');
    let (Some(path), Some(section), Some(commit)) = (lines.next(), lines.next(), lines.next())
    else {
        return;
    };
    let Ok(file) = ConfigFile::parse("applicationHost.config", APPHOST) else {
        return;
    };
    let hierarchy = Hierarchy::from_apphost(registry().clone(), file, &Options::default());
    let mut tx = Transaction::new(hierarchy);
    for change in lines.take(8) {
        let Ok(change) = grammar::parse_change(change) else {
            continue;
        };
        tx.push(Edit {
            path: path.to_string(),
            section: section.to_string(),
            target: CommitTarget::parse(commit),
            change,
        });
    }
    let Ok(prepared) = tx.prepare() else {
        return;
    };
    for file in prepared.hierarchy().files() {
        let text = file.doc.to_text();
        let reparsed = Document::parse_str(&text);
        assert!(
            reparsed.is_ok(),
            "an edited file does not parse: {reparsed:?}\n{text}"
        );
    }
    let _ = prepared.diff();
    let derived = prepared.hierarchy();
    let [apphost] = derived.files() else {
        return;
    };
    let Ok(reread) = ConfigFile::parse("applicationHost.config", apphost.doc.to_text().as_bytes())
    else {
        panic!("the edited applicationHost.config does not read again");
    };
    let reread = Hierarchy::from_apphost(registry().clone(), reread, &Options::default());
    let shown = |h: &Hierarchy| h.effective(path, section).map(|e| render::to_xml(&e)).ok();
    assert_eq!(
        shown(&reread),
        shown(derived),
        "read again, {path} {section} is not what the transaction derived"
    );
    // By rule: the derived hierarchy's positions are those of the text before the edit.
    let findings = |h: &Hierarchy| {
        let mut list: Vec<&str> = h.check().into_iter().map(|f| f.rule.id()).collect();
        list.sort_unstable();
        list
    };
    assert_eq!(
        findings(&reread),
        findings(derived),
        "read again, the edited file has other findings"
    );
});
