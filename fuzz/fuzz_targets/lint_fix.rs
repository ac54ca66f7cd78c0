//! Fuzz target: a web.config (the input) is checked by every rule, IIS4003 included, and
//! each fix its findings carry is applied to its text on its own: the fixed text parses,
//! and the finding the fix addressed is gone (fewer findings with its rule).
//!
//! The count is by rule, not by rule and message: in a chain of levels that each repeat the
//! value above, fixing one IIS4003 makes the next one name a different origin, so its
//! message changes while the finding stays (tests/lint_engine_fixes.rs has that case).
#![no_main]

use iisconf::config::ConfigFile;
use iisconf::diagnostic::{Finding, Rule};
use iisconf::edit::fix::apply_edits;
use iisconf::engine::Hierarchy;
use iisconf::schema::Registry;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

/// Fixes tried per input (each is a second check of the file).
const MAX_FIXES: usize = 4;

fn check(text: &str) -> Option<Vec<Finding>> {
    let file = ConfigFile::parse("web.config", text.as_bytes()).ok()?;
    Some(Hierarchy::standalone(registry().clone(), file).check())
}

fn count(findings: &[Finding], rule: Rule) -> usize {
    findings.iter().filter(|f| f.rule == rule).count()
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = ConfigFile::parse("web.config", data) else {
        return;
    };
    let text = file.doc.source().to_string();
    let findings = Hierarchy::standalone(registry().clone(), file).check();
    // A standalone web.config has no applicationHost.config to move sections to, so every
    // fix here is in the file itself.
    for finding in findings
        .iter()
        .filter(|f| f.fix().is_some())
        .take(MAX_FIXES)
    {
        let Some(fix) = finding.fix() else { continue };
        let fixed = apply_edits(&text, &fix.edits)
            .unwrap_or_else(|| panic!("{} fix falls outside the text", finding.rule.id()));
        let after = check(&fixed).unwrap_or_else(|| {
            panic!(
                "{} fix leaves a file that does not parse",
                finding.rule.id()
            )
        });
        assert!(
            count(&after, finding.rule) < count(&findings, finding.rule),
            "{} is still there after its fix: {}",
            finding.rule.id(),
            finding.message
        );
    }
});
