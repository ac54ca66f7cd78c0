//! `iisconf diff` on the scenarios of fixtures/diff (each an old/ and a new/ hierarchy):
//! the report and the XDT transform (snapshots), the exit code, and the three round trips:
//! the appcmd commands run through a POSIX shell, the cmd.exe-quoted ones as whole command
//! lines, and the transform through `iisconf transform`, on a copy of OLD leave
//! `iisconf diff COPY NEW` at exit 0.

mod fixture_dir;
mod run_binary;

use fixture_dir::copy_dir;
use run_binary::{run_checked, Run};
use std::process::Command;

/// A scenario copied into a temporary folder.
struct Scenario {
    dir: tempfile::TempDir,
}

impl Scenario {
    fn new(name: &str) -> Scenario {
        Scenario {
            dir: fixture_dir::temp_copy(&format!("diff/{name}")),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        run_checked(self.dir.path(), args)
    }

    /// `iisconf diff OLD NEW` between two sides of the scenario (`old`, `new`, `copy`).
    fn diff(&self, old: &str, new: &str, more: &[&str]) -> Run {
        let old_file = format!("{old}/applicationHost.config");
        let new_file = format!("{new}/applicationHost.config");
        let old_map = format!("C:\\inetpub={old}/inetpub");
        let new_map = format!("C:\\inetpub={new}/inetpub");
        let mut args = vec![
            "diff",
            &old_file,
            &new_file,
            "--old-root-map",
            &old_map,
            "--new-root-map",
            &new_map,
        ];
        args.extend_from_slice(more);
        self.run(&args)
    }

    /// A fresh copy of old/ as copy/.
    fn copy_old(&self) {
        let copy = self.dir.path().join("copy");
        let _ = std::fs::remove_dir_all(&copy);
        copy_dir(&self.dir.path().join("old"), &copy);
    }

    /// Runs emitted POSIX-quoted appcmd lines on copy/ through sh.
    fn apply_posix(&self, lines: &str) {
        let script = format!(
            "set -e\nappcmd() {{ \"$IISCONF\" appcmd \"$@\" /apphostconfig:copy/applicationHost.config --root-map 'C:\\inetpub=copy/inetpub' --no-backup; }}\n{lines}"
        );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("IISCONF", env!("CARGO_BIN_EXE_iisconf"))
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "applying failed:\n{lines}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Applies an emitted transform to copy/applicationHost.config with `iisconf transform`.
    fn apply_xdt(&self, transform: &str) {
        std::fs::write(self.dir.path().join("diff.xdt"), transform).unwrap();
        let run = self.run(&[
            "transform",
            "copy/applicationHost.config",
            "diff.xdt",
            "--out",
            "copy/applicationHost.config",
        ]);
        assert_eq!(run.code, 0, "{transform}\n{}{}", run.stdout, run.stderr);
    }

    /// Runs emitted cmd.exe-quoted appcmd lines on copy/, each as one command line split
    /// as Windows splits it.
    fn apply_cmd(&self, lines: &str) {
        for line in lines.lines() {
            let command = line.strip_prefix("appcmd ").unwrap_or(line);
            let run = self.run(&[
                "appcmd",
                command,
                "/apphostconfig:copy/applicationHost.config",
                "--root-map",
                "C:\\inetpub=copy/inetpub",
                "--no-backup",
            ]);
            assert_eq!(run.code, 0, "{line}: {}{}", run.stdout, run.stderr);
        }
    }
}

/// The report and exit code of a scenario, and both round trips.
fn check(name: &str, differs: bool) {
    let s = Scenario::new(name);
    let report = s.diff("old", "new", &[]);
    assert_eq!(
        report.code,
        i32::from(differs),
        "{}{}",
        report.stdout,
        report.stderr
    );
    insta::assert_snapshot!(format!("diff_{name}"), report.stdout);
    let xdt = s.diff("old", "new", &["--emit", "xdt"]);
    assert_eq!(xdt.code, i32::from(differs), "{}", xdt.stderr);
    insta::assert_snapshot!(format!("diff_{name}_xdt"), xdt.stdout);
    s.copy_old();
    s.apply_xdt(&xdt.stdout);
    let after = s.diff("copy", "new", &[]);
    assert_eq!(
        after.code, 0,
        "xdt round trip of {name} left differences:\n{}\napplied:\n{}",
        after.stdout, xdt.stdout
    );
    for shell in ["posix", "cmd"] {
        let emitted = s.diff("old", "new", &["--emit", "appcmd", "--shell", shell]);
        assert_eq!(emitted.code, i32::from(differs), "{}", emitted.stderr);
        assert_eq!(emitted.stdout.is_empty(), !differs, "{}", emitted.stdout);
        s.copy_old();
        if shell == "posix" {
            s.apply_posix(&emitted.stdout);
        } else {
            s.apply_cmd(&emitted.stdout);
        }
        let after = s.diff("copy", "new", &[]);
        assert_eq!(
            after.code, 0,
            "{shell} round trip of {name} left differences:\n{}\napplied:\n{}",
            after.stdout, emitted.stdout
        );
    }
}

#[test]
fn formatting_only_changes_are_no_difference() {
    check("formatting_only", false);
}

#[test]
fn explicit_defaults_and_typed_values_are_no_difference() {
    check("explicit_default", false);
}

#[test]
fn a_value_changed_at_a_site_is_one_change_counted_below() {
    check("site_value_changed", true);
}

#[test]
fn a_setting_moved_from_a_web_config_into_a_location_is_no_difference() {
    check("moved_to_location", false);
}

#[test]
fn a_reorder_of_an_ordered_collection_is_reported_once() {
    check("collection_reorder", true);
}

#[test]
fn collection_entries_added_and_removed() {
    check("collection_add_remove", true);
}

#[test]
fn lock_changes_and_the_locks_kept_below() {
    check("lock_changes", true);
}

#[test]
fn json_and_markdown_reports() {
    let s = Scenario::new("site_value_changed");
    let json = s.diff("old", "new", &["--format", "json"]);
    assert_eq!(json.code, 1);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let first = &value["differences"][0];
    assert_eq!(first["path"], "MACHINE/WEBROOT/APPHOST/Default Web Site");
    assert_eq!(first["section"], "system.webServer/httpErrors");
    assert_eq!(first["attribute"], "errorMode");
    assert_eq!(first["old"], "DetailedLocalOnly");
    assert_eq!(first["new"], "Custom");
    assert_eq!(first["kind"], "changed");
    assert_eq!(first["pathsBelow"], 1);
    assert!(first["oldOrigin"]
        .as_str()
        .unwrap()
        .starts_with("old/applicationHost.config:"));
    assert!(first["newOrigin"]
        .as_str()
        .unwrap()
        .starts_with("new/applicationHost.config:"));
    let md = s.diff("old", "new", &["--format", "markdown"]);
    assert_eq!(md.code, 1);
    insta::assert_snapshot!("diff_markdown", md.stdout);
}

#[test]
fn an_invalid_side_exits_2_unless_allowed() {
    let s = Scenario::new("site_value_changed");
    let path = s.dir.path().join("new/applicationHost.config");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("errorMode=\"Custom\"", "errorMode=\"Sometimes\""),
    )
    .unwrap();
    let refused = s.diff("old", "new", &[]);
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    assert!(
        refused.stderr.contains("new/applicationHost.config:"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--allow-invalid"),
        "{}",
        refused.stderr
    );
    let allowed = s.diff("old", "new", &["--allow-invalid"]);
    assert_eq!(allowed.code, 1, "{}", allowed.stderr);
    let missing = s.run(&["diff", "old/applicationHost.config", "nowhere.config"]);
    assert_eq!(missing.code, 2);
}

/// NEW is checked in full when OLD has errors: an error both sides share, outside what NEW
/// changes (an attribute no schema has), is reported for each.
#[test]
fn an_error_both_sides_share_is_reported_for_both() {
    let s = Scenario::new("site_value_changed");
    for side in ["old", "new"] {
        let path = s.dir.path().join(side).join("applicationHost.config");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("<sites>", "<sites bogus=\"1\">")).unwrap();
    }
    let refused = s.diff("old", "new", &[]);
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    for side in ["old", "new"] {
        assert!(
            refused
                .stderr
                .contains(&format!("{side}/applicationHost.config:")),
            "{side}: {}",
            refused.stderr
        );
    }
    assert!(
        refused.stderr.contains("both sides are invalid"),
        "{}",
        refused.stderr
    );
}
