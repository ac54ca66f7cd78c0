//! `iisconf diff` on every applicationHost.config of ../shared/corpus: against itself (no
//! difference), and against a copy edited the way admins edit it — with appcmd: an https
//! binding added to a site, the site's application pool changed, a section unlocked for
//! the site — where exactly those changes are found, and both the emitted commands and the
//! emitted transform turn a copy of the original into the edited one.

mod run_binary;
mod shared;

use run_binary::run_checked as iisconf;
use std::path::Path;

/// The first site's name, read from the text.
fn first_site(text: &str) -> Option<String> {
    let at = text.find("<site ")?;
    let rest = text.get(at..)?;
    let name = rest.find("name=\"")? + 6;
    let end = rest.get(name..)?.find('"')?;
    rest.get(name..name + end).map(str::to_string)
}

/// Runs `appcmd` words on `file` in `dir`, as an admin would.
fn appcmd(dir: &Path, file: &str, words: &[&str]) {
    let apphost = format!("/apphostconfig:{file}");
    let mut args = vec!["appcmd"];
    args.extend_from_slice(words);
    args.extend_from_slice(&[&apphost, "--no-backup"]);
    let run = iisconf(dir, &args);
    assert_eq!(
        run.code, 0,
        "{words:?} on {file}: {}{}",
        run.stdout, run.stderr
    );
}

/// Asserts that `iisconf diff OLD NEW` in `dir` finds no difference; `context` names the
/// case in the failure, `shown` is what produced OLD.
fn assert_no_difference(dir: &Path, old: &str, new: &str, context: &str, shown: &str) {
    let run = iisconf(dir, &["diff", old, new, "--allow-invalid"]);
    assert_eq!(
        run.code, 0,
        "{context}:\n{shown}\n{}{}",
        run.stdout, run.stderr
    );
}

#[test]
fn diff_finds_what_an_admin_changed_in_each_real_apphost() {
    let Some(corpus) = shared::dir("corpus") else {
        return;
    };
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains("<system.applicationHost>") {
            continue;
        }
        let Some(site) = first_site(&text) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        // Written, not copied: the corpus files are read-only.
        for copy in ["old.config", "new.config", "copy.config"] {
            std::fs::write(dir.path().join(copy), text.as_bytes()).unwrap();
        }
        assert_no_difference(
            dir.path(),
            "old.config",
            "copy.config",
            &format!("{name} against itself"),
            "",
        );

        // The admin's edits.
        let binding = format!(
            "/+[name='{site}'].bindings.[protocol='https',bindingInformation='*:443:diff.example']"
        );
        appcmd(
            dir.path(),
            "new.config",
            &[
                "set",
                "config",
                "-section:system.applicationHost/applicationPools",
                "/+[name='DiffPool']",
                "/commit:apphost",
            ],
        );
        appcmd(
            dir.path(),
            "new.config",
            &[
                "set",
                "config",
                "-section:system.applicationHost/sites",
                &binding,
                "/commit:apphost",
            ],
        );
        let pool = format!("/[name='{site}'].[path='/'].applicationPool:DiffPool");
        appcmd(
            dir.path(),
            "new.config",
            &[
                "set",
                "config",
                "-section:system.applicationHost/sites",
                &pool,
                "/commit:apphost",
            ],
        );
        appcmd(
            dir.path(),
            "new.config",
            &["unlock", "config", &site, "-section:system.webServer/asp"],
        );

        let report = iisconf(
            dir.path(),
            &[
                "diff",
                "old.config",
                "new.config",
                "--allow-invalid",
                "--format",
                "json",
            ],
        );
        assert_eq!(report.code, 1, "{name}: {}{}", report.stdout, report.stderr);
        let value: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
        let differences = value["differences"].as_array().unwrap();
        let found = |kind: &str, what: &dyn Fn(&serde_json::Value) -> bool| {
            differences.iter().any(|d| d["kind"] == kind && what(d))
        };
        assert!(
            found("added", &|d| d["key"]
                .as_str()
                .is_some_and(|k| k.contains("*:443:diff.example"))),
            "{name}: no https binding in {differences:#?}"
        );
        assert!(
            found("changed", &|d| d["attribute"] == "applicationPool"
                && d["new"] == "DiffPool"),
            "{name}: no application pool change in {differences:#?}"
        );
        assert!(
            found("lock", &|d| d["section"] == "system.webServer/asp"
                && d["new"] == "Allow"),
            "{name}: no unlock in {differences:#?}"
        );
        assert!(
            found("added", &|d| d["key"]
                .as_str()
                .is_some_and(|k| k.contains("DiffPool"))),
            "{name}: no new application pool in {differences:#?}"
        );
        assert_eq!(differences.len(), 4, "{name}: {differences:#?}");

        // The emitted commands make a copy of the original like the edited file.
        let emitted = iisconf(
            dir.path(),
            &[
                "diff",
                "old.config",
                "new.config",
                "--allow-invalid",
                "--emit",
                "appcmd",
                "--shell",
                "cmd",
            ],
        );
        for line in emitted.stdout.lines() {
            let command = line.strip_prefix("appcmd ").unwrap_or(line);
            let run = iisconf(
                dir.path(),
                &[
                    "appcmd",
                    command,
                    "/apphostconfig:copy.config",
                    "--no-backup",
                ],
            );
            assert_eq!(run.code, 0, "{name}: {line}: {}", run.stderr);
        }
        assert_no_difference(
            dir.path(),
            "copy.config",
            "new.config",
            &format!("{name} after applying"),
            &emitted.stdout,
        );

        // So does the emitted transform, through iisconf transform.
        let xdt = iisconf(
            dir.path(),
            &[
                "diff",
                "old.config",
                "new.config",
                "--allow-invalid",
                "--emit",
                "xdt",
            ],
        );
        assert_eq!(xdt.code, 1, "{name}: {}", xdt.stderr);
        std::fs::write(dir.path().join("diff.xdt"), &xdt.stdout).unwrap();
        std::fs::write(dir.path().join("xdt.config"), text.as_bytes()).unwrap();
        let applied = iisconf(
            dir.path(),
            &["transform", "xdt.config", "diff.xdt", "--out", "xdt.config"],
        );
        assert_eq!(
            applied.code, 0,
            "{name}: {}\n{}",
            xdt.stdout, applied.stderr
        );
        assert_no_difference(
            dir.path(),
            "xdt.config",
            "new.config",
            &format!("{name} after the transform"),
            &xdt.stdout,
        );
        checked += 1;
    }
    assert!(checked > 0, "no applicationHost.config in the corpus");
}
