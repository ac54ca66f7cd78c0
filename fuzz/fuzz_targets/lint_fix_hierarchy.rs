//! Fuzz target: the fixes that reach across files. The input is applicationHost.config, a
//! NUL byte, and the web.config of the folder `C:\site` maps to; both are written to a
//! folder of this process and read as `iisconf lint --apphost … --root-map` reads them.
//! Each fix the findings carry (a locked section moved or merged into applicationHost.config,
//! among others) is applied to the files it names on its own: every fixed file parses, and
//! the hierarchy read from the fixed files has fewer findings of the fixed rule (in the files
//! it read before the fix).
#![no_main]

use iisconf::config::ConfigFile;
use iisconf::diagnostic::{Finding, Rule};
use iisconf::edit::fix::apply_edits;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fixes tried per input (each is a second read and check of the hierarchy).
const MAX_FIXES: usize = 4;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

/// This process's folder: `before/` holds the input's files, `after/` a fixed copy.
fn folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "iisconf-fuzz-lint-fix-hierarchy-{}",
            std::process::id()
        ));
        for side in ["before", "after"] {
            let _ = std::fs::create_dir_all(dir.join(side).join("site"));
        }
        dir
    })
}

/// The hierarchy of the files under `side`: applicationHost.config (`None` when it does not
/// parse), with `C:\site` mapped to `side/site`.
fn read(side: &Path, apphost: &str) -> Option<Hierarchy> {
    let path = side.join("applicationHost.config");
    let file = ConfigFile::parse(&path.display().to_string(), apphost.as_bytes()).ok()?;
    let options = Options {
        apphost: Some(path),
        root_maps: vec![("C:\\site".to_string(), side.join("site"))],
        ..Options::default()
    };
    Some(Hierarchy::from_apphost(registry().clone(), file, &options))
}

/// The findings of `rule`, in the web.config only when `with_web` (a fix can map a physical
/// path, and a web.config read for the first time brings findings of its own).
fn count(findings: &[Finding], rule: Rule, with_web: bool) -> usize {
    findings
        .iter()
        .filter(|f| f.rule == rule && (with_web || !f.place.file.ends_with("web.config")))
        .count()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let Ok(apphost) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let Ok(web) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let before = folder().join("before");
    let after = folder().join("after");
    let web_path = before.join("site").join("web.config");
    if std::fs::write(&web_path, web).is_err() {
        return;
    }
    let Some(hierarchy) = read(&before, apphost) else {
        return;
    };
    let findings = hierarchy.check();
    // The text of each file the hierarchy read, by the name its findings and edits give.
    let texts: Vec<(String, String)> = hierarchy
        .files()
        .iter()
        .map(|f| (f.name.to_string(), f.doc.source().to_string()))
        .collect();
    for finding in findings
        .iter()
        .filter(|f| f.fix().is_some())
        .take(MAX_FIXES)
    {
        let Some(fix) = finding.fix() else { continue };
        let mut fixed_apphost = apphost.to_string();
        let mut fixed_web = web.to_string();
        for (name, text) in &texts {
            let edits: Vec<_> = fix
                .edits
                .iter()
                .filter(|e| *e.place.file == **name)
                .cloned()
                .collect();
            if edits.is_empty() {
                continue;
            }
            let fixed = apply_edits(text, &edits)
                .unwrap_or_else(|| panic!("{} fix falls outside {name}", finding.rule.id()));
            if let Err(e) = Document::parse_str(&fixed) {
                panic!(
                    "{} fix leaves {name} not well-formed: {e:?}\n{fixed}",
                    finding.rule.id()
                );
            }
            if Path::new(name).ends_with("web.config") {
                fixed_web = fixed;
            } else {
                fixed_apphost = fixed;
            }
        }
        let named =
            |e: &iisconf::diagnostic::TextEdit| texts.iter().any(|(n, _)| *n == *e.place.file);
        assert!(
            fix.edits.iter().all(named),
            "{} fix edits a file the hierarchy did not read",
            finding.rule.id()
        );
        if std::fs::write(after.join("site").join("web.config"), &fixed_web).is_err() {
            return;
        }
        let again = read(&after, &fixed_apphost).unwrap_or_else(|| {
            panic!(
                "{} fix leaves applicationHost.config unreadable",
                finding.rule.id()
            )
        });
        let left = again.check();
        let web_read = texts.iter().any(|(n, _)| n.ends_with("web.config"));
        assert!(
            count(&left, finding.rule, web_read) < count(&findings, finding.rule, web_read),
            "{} is still there after its fix: {}\n{fixed_apphost}\n{fixed_web}",
            finding.rule.id(),
            finding.message
        );
    }
});
