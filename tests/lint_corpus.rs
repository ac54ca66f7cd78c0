//! Every file of the real-world corpus (../shared/corpus) lints with the real IIS schema
//! folder without a crash, each well under a second, with the findings pinned per file.
//! SKIPs when ../shared is absent (set IISCONF_SHARED to point elsewhere).

mod shared;

use iisconf::lint::{lint, LintConfig, LintOptions, RuleSelector};
use iisconf::schema::Registry;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn shared() -> Option<PathBuf> {
    shared::dir("corpus")?;
    shared::dir("iis-schema").map(|_| shared::base())
}

#[test]
fn corpus_lints_fast_with_pinned_findings() {
    let Some(shared) = shared() else { return };
    let registry = Registry::load(&[shared.join("iis-schema")]).expect("schema loads");
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("config"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut out = String::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let options = LintOptions {
            inputs: vec![file.clone()],
            jobs: 1,
            // Every rule, IIS4003 (off by default) included.
            config: LintConfig {
                select: Some(vec![
                    RuleSelector::parse("ALL").unwrap(),
                    RuleSelector::parse("IIS4003").unwrap(),
                ]),
                ..LintConfig::default()
            },
            ..LintOptions::default()
        };
        let start = Instant::now();
        let report = lint(&registry, &options, &|_| {}).expect("lint runs");
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "{name} took {took:?} (limit 1 s)"
        );
        eprintln!("{name}: {} findings in {took:?}", report.findings.len());
        assert!(report.unreadable.is_empty());
        out.push_str(&format!("{name}\n"));
        for r in &report.findings {
            let f = &r.finding;
            out.push_str(&format!(
                "  {} {} {}:{}-{}:{} {}\n",
                f.rule.id(),
                f.severity.as_str(),
                f.place.line,
                f.place.column,
                f.place.end_line,
                f.place.end_column,
                f.message.replace(&file.display().to_string(), "<file>")
            ));
        }
    }
    insta::assert_snapshot!("corpus_findings", out);
}
