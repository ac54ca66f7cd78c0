//! `iisconf lint` and `iisconf rules` through the real binary: every format, exit codes,
//! fail levels, the configuration file, suppressions, directory walking, a whole hierarchy
//! with --apphost and --root-map, and colour.

mod run_binary;
mod shared;

use run_binary::{root, run_in};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary in the project folder (fixture paths are relative to it).
fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn json(o: &Output) -> Vec<Value> {
    serde_json::from_slice::<Vec<Value>>(&o.stdout)
        .unwrap_or_else(|e| panic!("not a JSON array ({e}): {}", stdout(o)))
}

/// (rule, file, line, column) of every finding.
fn summary(items: &[Value]) -> Vec<(String, String, u64, u64)> {
    items
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap_or("").to_string(),
                v["file"].as_str().unwrap_or("").replace('\\', "/"),
                v["line"].as_u64().unwrap_or(0),
                v["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn hierarchy_args() -> Vec<&'static str> {
    vec![
        "lint",
        "--apphost",
        "fixtures/lint/hierarchy/applicationHost.config",
        "--root-map",
        "C:\\inetpub=fixtures/lint/hierarchy/inetpub",
        "--root-map",
        "D:\\sites=fixtures/lint/hierarchy/sites",
    ]
}

#[test]
fn human_output_is_rustc_style() {
    let o = run(&["lint", "fixtures/lint/files/web.config"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(!text.contains('\x1b'), "NO_COLOR: no escapes");
    insta::assert_snapshot!("human_web_config", text);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let o = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args([
            "lint",
            "--color",
            "always",
            "fixtures/lint/files/web.config",
        ])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("run");
    let text = stdout(&o);
    assert!(text.contains("\x1b[1;31merror[IIS2001]\x1b[0m"), "{text}");
    // Auto: stdout is a pipe here, so no colour even without NO_COLOR.
    let o = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(["lint", "fixtures/lint/files/web.config"])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("run");
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn json_has_every_field() {
    let o = run(&["lint", "--format", "json", "fixtures/lint/files/web.config"]);
    assert_eq!(code(&o), 1);
    let items = json(&o);
    assert_eq!(items.len(), 2, "{items:?}");
    let max = &items[1];
    assert_eq!(max["file"], "fixtures/lint/files/web.config");
    assert_eq!(max["line"], 5);
    assert_eq!(max["column"], 27);
    assert_eq!(max["endLine"], 5);
    assert_eq!(max["endColumn"], 37);
    assert_eq!(max["rule"], "IIS1006");
    assert_eq!(max["ruleName"], "invalid-value");
    assert_eq!(max["severity"], "error");
    assert!(max["message"].as_str().unwrap().contains("4294967296"));
    assert!(items[0]["help"]
        .as_str()
        .unwrap()
        .contains("locked by default"));
}

#[test]
fn sarif_has_the_required_structure() {
    let o = run(&["lint", "--format", "sarif", "fixtures/lint/files"]);
    assert_eq!(code(&o), 1);
    let log: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "iisconf");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), iisconf::diagnostic::Rule::ALL.len());
    for r in rules {
        assert!(r["id"].as_str().unwrap().starts_with("IIS"));
        assert!(!r["name"].as_str().unwrap().is_empty());
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(r["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("Example"));
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for res in results {
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("fixtures/lint/files/"), "{uri}");
        let region = &loc["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key}: {region}");
        }
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
    }
}

#[test]
fn github_workflow_commands() {
    let o = run(&hierarchy_args_with(&["--format", "github"]));
    let text = stdout(&o);
    assert!(text.contains("::error file=fixtures/lint/hierarchy/inetpub/wwwroot/web.config,line=4,endLine=4,col=10,endColumn=13,title=IIS2001 section-locked::This configuration section cannot be used at this path."), "{text}");
    assert!(
        text.contains("::warning file=fixtures/lint/hierarchy/applicationHost.config,line=32,"),
        "{text}"
    );
    // Help goes on a second line of the message, escaped.
    assert!(text.contains("%0Ahelp: locked by default"), "{text}");
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        assert!(!line.contains('\r'));
    }
}

fn hierarchy_args_with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut a = hierarchy_args();
    a.extend_from_slice(extra);
    a
}

#[test]
fn whole_hierarchy_points_at_the_web_config_line() {
    let o = run(&hierarchy_args_with(&["--format", "json"]));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let found = summary(&json(&o));
    let expect = vec![
        (
            "IIS3002".to_string(),
            "fixtures/lint/hierarchy/applicationHost.config".to_string(),
            32,
            21,
        ),
        (
            "IIS4002".to_string(),
            "fixtures/lint/hierarchy/applicationHost.config".to_string(),
            35,
            26,
        ),
        (
            "IIS2001".to_string(),
            "fixtures/lint/hierarchy/inetpub/wwwroot/web.config".to_string(),
            4,
            10,
        ),
    ];
    assert_eq!(found, expect);
    // Without root maps the physical paths map nowhere: one note, and no web.config finding.
    let o = run(&[
        "lint",
        "--format",
        "json",
        "--apphost",
        "fixtures/lint/hierarchy/applicationHost.config",
    ]);
    let rules: Vec<String> = summary(&json(&o)).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["IIS3003", "IIS3002", "IIS4002"]);
}

#[test]
fn apphost_found_by_content_reports_its_web_configs_once() {
    // Walking the folder finds applicationHost.config (a hierarchy) and both web.config
    // files; those belong to the hierarchy and are reported once, as part of it.
    let o = run(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/hierarchy",
        "--root-map",
        "C:\\inetpub=fixtures/lint/hierarchy/inetpub",
        "--root-map",
        "D:\\sites=fixtures/lint/hierarchy/sites",
    ]);
    let items = json(&o);
    let locked: Vec<_> = items.iter().filter(|v| v["rule"] == "IIS2001").collect();
    assert_eq!(locked.len(), 1, "{items:?}");
    assert!(locked[0]["help"]
        .as_str()
        .unwrap()
        .contains("applicationHost.config:8"));
    // The same file given next to --apphost is linted once too.
    let o = run(&hierarchy_args_with(&[
        "--format",
        "json",
        "fixtures/lint/hierarchy/inetpub/wwwroot/web.config",
        "fixtures/lint/hierarchy/applicationHost.config",
    ]));
    assert_eq!(json(&o).len(), 3);
    let o = run(&hierarchy_args());
    assert!(stdout(&o).contains("in 3 files."), "{}", stdout(&o));
}

#[test]
fn directories_are_walked_for_config_files() {
    let o = run(&["lint", "--format", "json", "fixtures/lint/files"]);
    assert_eq!(code(&o), 1);
    let found = summary(&json(&o));
    let files: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        files,
        [
            "fixtures/lint/files/sub/broken/web.config",
            "fixtures/lint/files/web.config",
            "fixtures/lint/files/web.config"
        ]
    );
    // Not well-formed: IIS0001 with its position.
    assert_eq!(
        found[0],
        (
            "IIS0001".to_string(),
            "fixtures/lint/files/sub/broken/web.config".to_string(),
            5,
            5
        )
    );
    let o = run(&["lint", "fixtures/lint/files"]);
    assert!(stdout(&o).ends_with("in 2 files.\n"), "{}", stdout(&o));
}

#[test]
fn a_folder_walk_takes_the_files_iis_reads_and_says_what_it_left_alone() {
    // An ordinary .NET web project: NuGet.config and packages.config are not IIS files.
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path();
    std::fs::write(
        project.join("NuGet.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" protocolVersion=\"3\" />\n  </packageSources>\n</configuration>\n",
    )
    .unwrap();
    std::fs::write(
        project.join("packages.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n  <package id=\"Newtonsoft.Json\" version=\"13.0.3\" targetFramework=\"net48\" />\n</packages>\n",
    )
    .unwrap();
    std::fs::write(
        project.join("Web.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.webServer>\n    <defaultDocument>\n      <files>\n        <add value=\"index.html\" />\n      </files>\n    </defaultDocument>\n  </system.webServer>\n</configuration>\n",
    )
    .unwrap();
    std::fs::write(
        project.join("Web.Release.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\">\n  <system.webServer>\n    <defaultDocument enabled=\"true\" xdt:Transform=\"SetAttributes(enabled)\" />\n  </system.webServer>\n</configuration>\n",
    )
    .unwrap();
    let o = run_in(project, &["lint", ".", "--verbose"]);
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("in 2 files."), "{}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("skipped ./NuGet.config: not a file IIS reads")
            && err.contains("skipped ./packages.config: not a file IIS reads"),
        "{err}"
    );
    // Named, a file is always linted.
    let o = run_in(project, &["lint", "packages.config"]);
    assert!(stdout(&o).contains("IIS0003"), "{}", stdout(&o));
}

#[test]
fn exit_codes_and_fail_levels() {
    let clean = run(&["lint", "fixtures/lint/files/sub/clean.config"]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(stdout(&clean).contains("No findings in 1 file."));
    // Warnings only: 0 by default, 1 at --fail-level warning.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("iisconf.toml"), "ignore = ['IIS2']\n").unwrap();
    let abs = |p: &str| root().join(p).display().to_string();
    let apphost = abs("fixtures/lint/hierarchy/applicationHost.config");
    let map1 = format!("C:\\inetpub={}", abs("fixtures/lint/hierarchy/inetpub"));
    let map2 = format!("D:\\sites={}", abs("fixtures/lint/hierarchy/sites"));
    let base = [
        "lint",
        "--apphost",
        apphost.as_str(),
        "--root-map",
        map1.as_str(),
        "--root-map",
        map2.as_str(),
    ];
    let warnings_only = run_in(dir.path(), &base);
    assert_eq!(code(&warnings_only), 0, "{}", stdout(&warnings_only));
    let mut at_warning = base.to_vec();
    at_warning.extend(["--fail-level", "warning"]);
    assert_eq!(code(&run_in(dir.path(), &at_warning)), 1);
    let mut at_error = base.to_vec();
    at_error.extend(["--fail-level", "error"]);
    assert_eq!(code(&run_in(dir.path(), &at_error)), 0);
    // Usage errors and missing files: 2.
    let o = run(&["lint", "no/such/file.config"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no/such/file.config: no such file or directory"));
    let o = run(&["lint", "--format", "xml", "fixtures/lint/files"]);
    assert_eq!(code(&o), 2);
    let o = run(&["lint", "--root-map", "nonsense", "fixtures/lint/files"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("PREFIX=DIR"), "{}", stderr(&o));
}

#[test]
fn unreadable_file_exits_2_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("web.config");
    std::fs::write(&path, "<configuration/>").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let target = if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading; use a file that fails to read.
        if Path::new("/proc/self/mem").exists() {
            PathBuf::from("/proc/self/mem")
        } else {
            shared::skip("no way to make an unreadable file here");
            return;
        }
    } else {
        path.clone()
    };
    let o = run(&[
        "lint",
        target.to_str().unwrap(),
        "fixtures/lint/files/web.config",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read the file"),
        "{}",
        stderr(&o)
    );
    // The other files are still linted and reported.
    assert!(stdout(&o).contains("IIS1006"));
}

#[test]
fn configuration_file_selects_ignores_and_overrides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = root().join("fixtures/lint/files");
    let copy = dir.path().join("site");
    std::fs::create_dir_all(copy.join("legacy")).unwrap();
    std::fs::copy(files.join("web.config"), copy.join("web.config")).unwrap();
    std::fs::copy(files.join("web.config"), copy.join("legacy/web.config")).unwrap();
    std::fs::write(
        dir.path().join("iisconf.toml"),
        r#"
select = ["IIS1", "IIS2"]
ignore = ["section-locked"]
fail-level = "error"
[per-file-ignores]
"legacy/**" = ["IIS1006"]
[severity]
invalid-value = "warning"
"#,
    )
    .unwrap();
    let o = run_in(dir.path(), &["lint", "--format", "json", "site"]);
    let found = summary(&json(&o));
    assert_eq!(
        found,
        [("IIS1006".to_string(), "site/web.config".to_string(), 5, 27)]
    );
    assert_eq!(json(&o)[0]["severity"], "warning");
    // Only a warning left, fail-level error: exit 0; the command line overrides it.
    assert_eq!(code(&o), 0);
    let o = run_in(dir.path(), &["lint", "site", "--fail-level", "warning"]);
    assert_eq!(code(&o), 1);
    // --config names another file; unknown keys are errors naming the key.
    std::fs::write(dir.path().join("bad.toml"), "selekt = ['IIS1']\n").unwrap();
    let o = run_in(dir.path(), &["lint", "--config", "bad.toml", "site"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("selekt"), "{}", stderr(&o));
    std::fs::write(dir.path().join("bad.toml"), "ignore = ['IIS9999']\n").unwrap();
    let o = run_in(dir.path(), &["lint", "--config", "bad.toml", "site"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("IIS9999"), "{}", stderr(&o));
    // schema-dirs, root-maps and apphost in the file, relative to it.
    std::fs::write(
        dir.path().join("hier.toml"),
        format!(
            "apphost = '{0}/fixtures/lint/hierarchy/applicationHost.config'\nroot-maps = {{ 'C:\\inetpub' = '{0}/fixtures/lint/hierarchy/inetpub' }}\n",
            root().display()
        ),
    )
    .unwrap();
    let o = run_in(
        dir.path(),
        &["lint", "--config", "hier.toml", "--format", "json"],
    );
    let rules: Vec<String> = summary(&json(&o)).into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["IIS3003", "IIS3002", "IIS4002", "IIS2001"],
        "{}",
        stdout(&o)
    );
}

#[test]
fn inline_suppressions_and_unused_ones() {
    let o = run(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/suppress/web.config",
    ]);
    let found: Vec<(String, u64)> = summary(&json(&o)).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(
        found,
        [
            // `ignore IIS1006, IIS1004` before <limits bogus>: IIS1004 used, IIS1006 unused.
            ("IIS4004".to_string(), 8),
            // `ignore IIS1003` before <cache>: its child's finding is not covered.
            ("IIS4004".to_string(), 10),
            ("IIS1003".to_string(), 12),
            // A name that is no rule.
            ("IIS4004".to_string(), 14),
        ]
    );
    let messages: Vec<String> = json(&o)
        .iter()
        .map(|v| v["message"].as_str().unwrap().to_string())
        .collect();
    assert!(messages[0].contains("`IIS1006`"), "{messages:?}");
    assert!(messages[3].contains("no-such-rule"), "{messages:?}");
    // Without the comments: the file-wide IIS2001 and the attribute findings come back.
    let text = std::fs::read_to_string(root().join("fixtures/lint/suppress/web.config")).unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.contains("iisconf:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("web.config"), stripped).unwrap();
    let o = run_in(dir.path(), &["lint", "--format", "json", "web.config"]);
    let rules: Vec<String> = summary(&json(&o)).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["IIS2001", "IIS1004", "IIS1004", "IIS1003"]);
}

/// IIS4003 is off by default and then not checked at all, unless a suppression names it:
/// such a suppression still finds the value it was written for, so it is not reported as
/// unused, and selecting the rule reports the value.
#[test]
fn a_suppression_of_a_rule_that_is_off_still_finds_its_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = |comment: &str| {
        format!(
            "<configuration>\n  <system.webServer>\n    <defaultDocument enabled=\"false\" />\n  </system.webServer>\n  <location path=\"sub\">\n    <system.webServer>\n      {comment}\n      <defaultDocument enabled=\"false\" />\n    </system.webServer>\n  </location>\n</configuration>\n"
        )
    };
    let lint = |text: &str, args: &[&str]| {
        std::fs::write(dir.path().join("web.config"), text).unwrap();
        let mut all = vec!["lint", "--format", "json"];
        all.extend_from_slice(args);
        all.push("web.config");
        let o = run_in(dir.path(), &all);
        summary(&json(&o))
            .into_iter()
            .map(|f| (f.0, f.2))
            .collect::<Vec<(String, u64)>>()
    };
    for comment in [
        "<!-- iisconf: ignore IIS4003 -->",
        "<!-- iisconf: ignore redundant-value -->",
        "<!-- iisconf: ignore IIS4 -->",
    ] {
        assert_eq!(lint(&config(comment), &[]), [], "{comment}");
    }
    // Named for another rule, the suppression is unused; the value is not reported.
    assert_eq!(
        lint(&config("<!-- iisconf: ignore IIS1004 -->"), &[]),
        [("IIS4004".to_string(), 7)]
    );
    assert_eq!(
        lint(&config("<!-- a comment -->"), &["--select", "IIS4003"]),
        [("IIS4003".to_string(), 8)]
    );
}

#[test]
fn rules_lists_and_explains() {
    let o = run(&["rules"]);
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    for rule in iisconf::diagnostic::Rule::ALL {
        assert!(text.contains(rule.id()) && text.contains(rule.name()));
    }
    assert!(text.contains("IIS2001  section-locked"), "{text}");
    let o = run(&["rules", "section-locked"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("IIS2001 section-locked (error by default)"));
    assert!(stdout(&o).contains("Example"));
    assert_eq!(stdout(&run(&["rules", "iis2001"])), stdout(&o));
    let o = run(&["rules", "IIS9999"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no rule"));
}
