//! What a new user meets in the first hour, through the real binary: answers that would be
//! wrong without a warning (web.config files a missing `--root-map` leaves unread), errors
//! shown alone, options that do what they say, and CI output GitHub attaches to files.

use std::process::Command;

mod fixture_dir;
mod run_binary;

use run_binary::{root, run_checked};

const BIN: &str = env!("CARGO_BIN_EXE_iisconf");

#[test]
fn get_without_a_root_map_says_which_web_configs_it_did_not_read() {
    let dir = root().join("fixtures/example");
    let run = run_checked(&dir, &["get", "Default Web Site", "defaultDocument"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("<files />"), "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("warning: applicationHost.config (IIS3003): ")
            && run.stderr.contains("web.config files are not checked")
            && run.stderr.contains("--root-map 'C:\\inetpub=./inetpub'"),
        "{}",
        run.stderr
    );
    let json = run_checked(
        &dir,
        &["get", "Default Web Site", "defaultDocument", "--json"],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let notes = value
        .get("notes")
        .and_then(|n| n.as_array())
        .expect("notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    // Mapped, the web.config is read and nothing is said.
    let mapped = run_checked(
        &dir,
        &[
            "get",
            "Default Web Site",
            "defaultDocument",
            "--root-map",
            "C:\\inetpub=./inetpub",
        ],
    );
    assert!(mapped.stdout.contains("index.asp"), "{}", mapped.stdout);
    assert_eq!(mapped.stderr, "");
}

#[test]
fn diff_without_a_root_map_says_which_web_configs_it_did_not_read() {
    let dir = root().join("fixtures/example");
    let run = run_checked(
        &dir,
        &["diff", "applicationHost.config", "applicationHost.config"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: OLD: applicationHost.config (IIS3003)")
            && run
                .stderr
                .contains("warning: NEW: applicationHost.config (IIS3003)"),
        "{}",
        run.stderr
    );
    let json = run_checked(
        &dir,
        &[
            "diff",
            "applicationHost.config",
            "applicationHost.config",
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let notes = value["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0]
        .as_str()
        .unwrap()
        .starts_with("OLD: applicationHost.config (IIS3003)"));
}

#[test]
fn lint_of_a_missing_apphost_prints_the_error_only() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_checked(dir.path(), &["lint", "--apphost", "nosuch.config"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("nosuch.config: cannot read the file"),
        "{}",
        run.stderr
    );
}

#[test]
fn lint_shows_only_options_that_do_something() {
    let run = run_checked(&root(), &["lint", "--help"]);
    for gone in [
        "--webroot-config",
        "--machine-config",
        "--allow-plaintext-secrets",
    ] {
        assert!(
            !run.stdout.contains(gone),
            "{gone} is shown:\n{}",
            run.stdout
        );
    }
    for kept in [
        "--dry-run",
        "--backup-dir",
        "--lock-timeout",
        "--output-format",
    ] {
        assert!(
            run.stdout.contains(kept),
            "{kept} is missing:\n{}",
            run.stdout
        );
    }
    let refused = run_checked(&root(), &["lint", "--webroot-config", "x", "."]);
    assert_eq!(refused.code, 2);
    // lock and unlock always write applicationHost.config and write no value.
    for verb in ["lock", "unlock"] {
        let help = run_checked(&root(), &[verb, "--help"]);
        for gone in [
            "--webroot-config",
            "--machine-config",
            "--allow-plaintext-secrets",
        ] {
            assert!(!help.stdout.contains(gone), "{verb} shows {gone}");
        }
        assert!(help.stdout.contains("--lock-timeout"), "{verb}");
    }
}

#[test]
fn github_annotations_name_files_as_the_checkout_does() {
    let dir = fixture_dir::temp_copy("example");
    let run = run_checked(dir.path(), &["lint", "--format", "github", "."]);
    assert!(
        run.stdout.contains("file=applicationHost.config,"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("file=./"), "{}", run.stdout);
    assert!(
        run.stdout.contains("file=inetpub/wwwroot/web.config,")
            || !run.stdout.contains("web.config,"),
        "{}",
        run.stdout
    );
}

#[test]
fn output_format_is_an_alias_and_o_writes_the_report_to_a_file() {
    let dir = fixture_dir::temp_copy("example");
    let run = run_checked(
        dir.path(),
        &["lint", ".", "--output-format", "json", "-o", "report.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let text = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let findings: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(findings.as_array().is_some_and(|a| !a.is_empty()), "{text}");
}

#[test]
fn force_color_colours_a_pipe_and_no_color_wins() {
    let dir = root().join("fixtures/example");
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(&dir)
            .args(["lint", "applicationHost.config"])
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    assert!(!run(&[]).contains('\x1b'));
    assert!(run(&[("FORCE_COLOR", "1")]).contains("\x1b["));
    assert!(run(&[("CLICOLOR_FORCE", "1")]).contains("\x1b["));
    assert!(!run(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line_definition() {
    let bash = run_checked(&root(), &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(bash.stdout.contains("_iisconf()"), "{}", bash.stdout);
    assert!(bash.stdout.contains("--lock-timeout"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = run_checked(&root(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("iisconf"), "{shell}");
    }
    assert_eq!(run_checked(&root(), &["completions", "tcsh"]).code, 2);
    let man = run_checked(&root(), &["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH iisconf 1"), "{}", man.stdout);
    assert!(man.stdout.contains(".SH \"IISCONF LINT\""));
    assert!(
        man.stdout.contains("lock\\-timeout"),
        "the options of set are documented"
    );
}

#[test]
fn a_lock_that_would_break_a_web_config_names_its_line() {
    let dir = fixture_dir::temp_copy("example");
    let apphost = dir.path().join("applicationHost.config");
    let before = std::fs::read(&apphost).unwrap();
    let run = run_checked(
        dir.path(),
        &[
            "lock",
            "Default Web Site",
            "defaultDocument",
            "--root-map",
            "C:\\inetpub=./inetpub",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot lock system.webServer/defaultDocument for \"Default Web Site\": ./inetpub/wwwroot/web.config:4:10 below it sets the section"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("applicationHost.config:0"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unlock the section"), "{}", run.stderr);
    assert!(
        run.stderr.contains("lint --fix --unsafe-fixes"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&apphost).unwrap(), before);
}

#[test]
fn a_misspelt_section_gets_did_you_mean_and_a_group_its_sections() {
    let dir = root().join("fixtures/example");
    let get = run_checked(&dir, &["get", "Default Web Site", "system.webServer/aps"]);
    assert_eq!(get.code, 2);
    assert!(
        get.stderr
            .contains("Unknown config section \"system.webServer/aps\": no loaded schema defines it; did you mean 'system.webServer/asp'?"),
        "{}",
        get.stderr
    );
    let scratch = fixture_dir::temp_copy("example");
    let set = run_checked(
        scratch.path(),
        &["set", "Default Web Site", "defaultDocumnt", "enabled=false"],
    );
    assert_eq!(set.code, 2);
    assert!(
        set.stderr
            .contains("did you mean 'system.webServer/defaultDocument'?"),
        "{}",
        set.stderr
    );
    let appcmd = run_checked(
        &dir,
        &["appcmd", "list", "config", "-section:defaultDocumnt"],
    );
    assert!(
        appcmd
            .stderr
            .contains("did you mean 'system.webServer/defaultDocument'? )"),
        "{}",
        appcmd.stderr
    );
    let defaults = run_checked(&root(), &["defaults", "aps"]);
    assert_eq!(defaults.code, 2);
    assert!(
        defaults
            .stderr
            .contains("did you mean 'system.webServer/asp'?"),
        "{}",
        defaults.stderr
    );
    let group = run_checked(&root(), &["schema", "show", "rewrite"]);
    assert_eq!(group.code, 2);
    assert!(
        group.stderr.contains(
            "'system.webServer/rewrite' is a section group; its sections: system.webServer/rewrite/allowedServerVariables"
        ),
        "{}",
        group.stderr
    );
}

#[test]
fn iisconf_toml_is_found_above_the_current_folder_and_gives_the_root_map() {
    let dir = fixture_dir::temp_copy("example");
    std::fs::write(
        dir.path().join("iisconf.toml"),
        "apphost = \"applicationHost.config\"\n[root-maps]\n\"C:\\\\inetpub\" = \"inetpub\"\n",
    )
    .unwrap();
    let below = dir.path().join("inetpub/wwwroot");
    let get = run_checked(&below, &["get", "Default Web Site", "defaultDocument"]);
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert!(get.stdout.contains("index.asp"), "{}", get.stdout);
    assert!(!get.stderr.contains("IIS3003"), "{}", get.stderr);
    let lint = run_checked(&below, &["lint", "--format", "concise"]);
    assert!(
        lint.stdout.contains("../../applicationHost.config:"),
        "the hierarchy of the file above is linted: {}",
        lint.stdout
    );
    assert!(!lint.stdout.contains("IIS3003"), "{}", lint.stdout);
}

#[test]
fn backups_stay_out_of_a_git_checkout() {
    let dir = fixture_dir::temp_copy("example");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs")
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    assert!(git(&["commit", "-qm", "example"]).status.success());
    let run = run_checked(
        dir.path(),
        &[
            "set",
            "Default Web Site",
            "asp",
            "session.max=42",
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("(backup: ./.iisconf-backups/applicationHost.config.iisconf-backup-"),
        "{}",
        run.stderr
    );
    let status = String::from_utf8(git(&["status", "--porcelain"]).stdout).unwrap();
    assert_eq!(status, " M applicationHost.config\n");
    // Outside a checkout, the backup stays beside the file.
    let plain = fixture_dir::temp_copy("example");
    let run = run_checked(
        plain.path(),
        &[
            "set",
            "Default Web Site",
            "asp",
            "session.max=42",
            "--commit",
            "apphost",
        ],
    );
    assert!(
        run.stderr
            .contains("(backup: ./applicationHost.config.iisconf-backup-"),
        "{}",
        run.stderr
    );
}

/// `iisconf ARGS` in `dir` with `input` on standard input: (exit code, stdout, stderr).
fn with_stdin(dir: &std::path::Path, args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_dash_reads_standard_input_in_lint_check_and_transform() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "<configuration>\n  <system.webServer>\n    <asp>\n      <session max=\"many\" />\n    </asp>\n  </system.webServer>\n</configuration>\n";
    let (code, out, err) = with_stdin(
        dir.path(),
        &[
            "lint",
            "-",
            "--stdin-filename",
            "site/web.config",
            "--format",
            "concise",
        ],
        bad,
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("site/web.config:4:"), "{out}");
    assert!(!out.contains("iisconf-stdin"), "{out}");
    let (code, out, _) = with_stdin(dir.path(), &["lint", "-", "--fix"], bad);
    assert_eq!(code, 2, "{out}");
    let (code, _, err) = with_stdin(dir.path(), &["check", "-"], "<a><b></a>");
    assert_eq!(code, 1);
    assert!(err.starts_with("<stdin>:1:7: error:"), "{err}");
    std::fs::write(
        dir.path().join("t.config"),
        "<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\"><a x=\"2\" xdt:Transform=\"SetAttributes\" /></configuration>",
    )
    .unwrap();
    let (code, out, err) = with_stdin(
        dir.path(),
        &["transform", "-", "t.config"],
        "<configuration><a x=\"1\" /></configuration>",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "<configuration><a x=\"2\" /></configuration>");
    // No temporary folder is left behind.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("iisconf-stdin-")
        })
        .count();
    assert_eq!(left, 0);
}

#[test]
fn the_pre_commit_hook_and_the_action_run_what_they_say() {
    // The hook's `files` pattern, matched by Python's `re` as pre-commit matches it.
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let pattern = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: '"))
        .and_then(|p| p.strip_suffix('\''))
        .expect("the hook names its files");
    let names = [
        "Web.config",
        "src/Site/Web.Release.config",
        "server/applicationHost.config",
        "NuGet.config",
        "packages.config",
        "App.config",
    ];
    let script = "import re, sys\nr = re.compile(sys.argv[1])\nfor n in sys.argv[2:]:\n    print(n, bool(r.search(n)))\n";
    let out = Command::new("python3")
        .args(["-c", script, pattern])
        .args(names)
        .output()
        .expect("python3 runs");
    let matched = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        matched,
        "Web.config True\nsrc/Site/Web.Release.config True\nserver/applicationHost.config True\nNuGet.config False\npackages.config False\nApp.config False\n"
    );
    assert!(hooks.contains("entry: iisconf lint"));
    // The action's lint steps, run as the runner runs them (inputs at their defaults).
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let dir = fixture_dir::temp_copy("example");
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let steps: Vec<String> = action
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: iisconf lint"))
        .map(|rest| {
            format!("iisconf lint{rest}")
                .replace("${{ inputs.args }}", "")
                .replace("${{ inputs.paths }}", ".")
        })
        .collect();
    assert_eq!(steps.len(), 2, "{steps:?}");
    for step in &steps {
        let out = Command::new("sh")
            .args(["-c", step])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{step}: {out:?}");
    }
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("iisconf.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn gitlab_junit_and_json_statistics_reports() {
    let dir = fixture_dir::temp_copy("example");
    let gitlab = run_checked(dir.path(), &["lint", ".", "--format", "gitlab"]);
    let issues: serde_json::Value = serde_json::from_str(&gitlab.stdout).unwrap();
    let issues = issues.as_array().expect("an array of issues");
    assert!(!issues.is_empty());
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key}: {issue}");
        }
        assert!(issue["location"]["lines"]["begin"].is_u64(), "{issue}");
        assert!(!issue["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("./"));
    }
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    let junit = run_checked(dir.path(), &["lint", ".", "--format", "junit"]);
    assert!(junit
        .stdout
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(
        junit.stdout.matches("<testcase ").count(),
        issues.len(),
        "{}",
        junit.stdout
    );
    assert!(junit.stdout.contains("<failure type=\"IIS4001 warning\""));
    // Well-formed XML, read back by the document crate.
    iisconf::xml::Document::parse(junit.stdout.as_bytes()).expect("JUnit XML parses");
    let stats = run_checked(
        dir.path(),
        &["lint", ".", "--statistics", "--format", "json"],
    );
    let counts: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    let total: u64 = counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, issues.len());
}
