//! `iisconf lint --fix` and the lint flags around it, through the real binary: rule
//! selection, statistics, quiet and concise output, safe and unsafe fixes on copies of
//! the fixtures and of real corpus files (each fixed file parses and no longer has the
//! fixed finding), the diff of --dry-run, fixes in JSON and SARIF, and the rule registry's
//! claim about which rules have fixes.

mod fixture_dir;
mod run_binary;
mod shared;

use iisconf::diagnostic::{Applicability, FixAvailability, Rule};
use iisconf::lint::{lint, LintConfig, LintOptions, RuleSelector};
use iisconf::schema::Registry;
use run_binary::{root, run_in};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Output;

fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary copy of fixtures/lint/fix.
fn fixture() -> tempfile::TempDir {
    fixture_dir::temp_copy("lint/fix")
}

fn rules_of(o: &Output) -> Vec<String> {
    let items: Vec<Value> = serde_json::from_slice(&o.stdout).expect("JSON");
    items
        .iter()
        .map(|i| i["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn select_and_ignore_take_ids_names_and_comma_lists() {
    let file = "fixtures/lint/fix/web.config";
    let all = rules_of(&run(&["lint", "--format", "json", file]));
    assert!(all.contains(&"IIS1007".to_string()), "{all:?}");
    let only = rules_of(&run(&[
        "lint",
        "--format",
        "json",
        "--select",
        "duplicate-collection-entry,IIS1005",
        file,
    ]));
    assert!(
        only.iter().all(|r| r == "IIS1007" || r == "IIS1005"),
        "{only:?}"
    );
    let ignored = rules_of(&run(&[
        "lint", "--format", "json", "--ignore", "IIS1007", "--ignore", "IIS1005", file,
    ]));
    assert!(
        !ignored.iter().any(|r| r == "IIS1007" || r == "IIS1005"),
        "{ignored:?}"
    );
    let o = run(&["lint", "--select", "IIS9999", file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule `IIS9999`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn redundant_values_are_reported_only_when_selected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("web.config"),
        "<configuration>\n  <location path=\".\">\n    <system.webServer><httpErrors errorMode=\"Custom\" /></system.webServer>\n  </location>\n  <location path=\"a\">\n    <system.webServer><httpErrors errorMode=\"Custom\" /></system.webServer>\n  </location>\n</configuration>\n",
    )
    .unwrap();
    let plain = rules_of(&run_in(
        dir.path(),
        &["lint", "--format", "json", "web.config"],
    ));
    assert!(!plain.contains(&"IIS4003".to_string()), "{plain:?}");
    let selected = rules_of(&run_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--select",
            "IIS4003",
            "web.config",
        ],
    ));
    assert_eq!(selected, ["IIS4003"]);
    std::fs::write(
        dir.path().join("iisconf.toml"),
        "select = ['ALL', 'redundant-value']\n",
    )
    .unwrap();
    let configured = rules_of(&run_in(
        dir.path(),
        &["lint", "--format", "json", "web.config"],
    ));
    assert!(
        configured.contains(&"IIS4003".to_string()),
        "{configured:?}"
    );
    // Fixing it removes the attribute, and the finding with it.
    let o = run_in(
        dir.path(),
        &[
            "lint",
            "--select",
            "IIS4003",
            "--fix",
            "--no-backup",
            "web.config",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("web.config")).unwrap();
    assert!(
        text.contains(
            "<location path=\"a\">\n    <system.webServer><httpErrors /></system.webServer>"
        ),
        "{text}"
    );
}

#[test]
fn statistics_quiet_and_concise() {
    let file = "fixtures/lint/fix/web.config";
    let o = run(&[
        "lint",
        "--statistics",
        file,
        "fixtures/lint/fix/twice.config",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains("2  IIS1007  duplicate-collection-entry  [fixable]"),
        "{text}"
    );
    assert!(text.contains("1  IIS0001  not-well-formed"), "{text}");
    let o = run(&["lint", "--format", "concise", "-q", file]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"fixtures/lint/fix/web.config:6:6: error[IIS1007] Cannot add duplicate collection entry of type 'add' with unique key attribute 'key' set to 'Mode'"),
        "{text}"
    );
    assert!(!text.contains("Found"), "{text}");
    let o = run(&["lint", "--format", "concise", file]);
    assert!(stdout(&o).lines().last().unwrap().starts_with("Found"));
}

#[test]
fn duplicate_entries_point_at_the_first_entry() {
    let file = "fixtures/lint/fix/web.config";
    let human = stdout(&run(&["lint", file]));
    assert!(
        human.contains(
            "4 |     <add key=\"Mode\" value=\"live\" />\n  |      --- the first entry\n"
        ),
        "{human}"
    );
    assert!(
        human.contains("= fix: remove the duplicate entry (--fix)"),
        "{human}"
    );
    assert!(!human.contains("<remove"), "{human}");
    let items: Vec<Value> =
        serde_json::from_slice(&run(&["lint", "--format", "json", file]).stdout).unwrap();
    let dup = items.iter().find(|i| i["rule"] == "IIS1007").unwrap();
    assert_eq!(dup["related"][0]["line"], 4);
    assert_eq!(dup["related"][0]["message"], "the first entry");
    assert_eq!(dup["fix"]["applicability"], "safe");
    let sarif: Value =
        serde_json::from_slice(&run(&["lint", "--format", "sarif", file]).stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "IIS1007")
        .unwrap()
        .clone();
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    let change = &result["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["artifactLocation"]["uri"],
        "fixtures/lint/fix/web.config"
    );
    assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 5);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = fixture();
    let before = std::fs::read(dir.path().join("web.config")).unwrap();
    let o = run_in(dir.path(), &["lint", "--fix", "--dry-run", "web.config"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("fix_dry_run_diff", stdout(&o));
    assert!(
        stderr(&o).contains("would apply 2 fixes in 1 file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(dir.path().join("web.config")).unwrap(),
        before
    );
    let o = run_in(dir.path(), &["lint", "--dry-run", "web.config"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fix_writes_minimal_changes_with_a_backup_and_reports_what_is_left() {
    let dir = fixture();
    let before = std::fs::read_to_string(dir.path().join("web.config")).unwrap();
    let o = run_in(dir.path(), &["lint", "--fix", "web.config", "twice.config"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with("No findings in 2 files."),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("applied 3 fixes in 2 files"),
        "{}",
        stderr(&o)
    );
    let after = std::fs::read_to_string(dir.path().join("web.config")).unwrap();
    // Exactly lines 6 and 13 (the duplicates) are gone; every other byte is kept.
    let expected: String = before
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i != 5 && *i != 12)
        .map(|(_, l)| l)
        .collect();
    assert_eq!(after, expected);
    let twice = std::fs::read_to_string(dir.path().join("twice.config")).unwrap();
    assert!(
        twice.contains("<directoryBrowse enabled=\"false\" />"),
        "{twice}"
    );
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".iisconf-backup-"))
        .collect();
    assert_eq!(backups.len(), 2);
}

#[test]
fn unsafe_fixes_move_a_locked_section_to_application_host() {
    let dir = fixture();
    let base = dir.path().join("express");
    let args = [
        "lint",
        "--apphost",
        "applicationHost.config",
        "--root-map",
        "C:\\src\\WebApplication1=site",
    ];
    let o = run_in(&base, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("(--fix --unsafe-fixes)"),
        "{}",
        stdout(&o)
    );
    // A safe --fix leaves them and says so.
    let o = run_in(&base, &[&args[..], &["--fix"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("2 more fixes are available with --unsafe-fixes"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        &base,
        &[&args[..], &["--fix", "--unsafe-fixes", "--no-backup"]].concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    // Both locked sections move, each finding naming the move, into one location tag.
    for line in [6, 7] {
        assert!(
            err.contains(&format!("unsafe fix: site/web.config:{line}:10: error[IIS2001]: move the section, with the 1 other section locked at this path, to <location path=\"WebApplication1\"> in applicationHost.config")),
            "{err}"
        );
    }
    assert!(err.contains("applied 2 fixes in 2 files"), "{err}");
    let apphost = std::fs::read_to_string(base.join("applicationHost.config")).unwrap();
    assert_eq!(
        apphost
            .matches("<location path=\"WebApplication1\">")
            .count(),
        1,
        "{apphost}"
    );
    // Indented with the file's four spaces.
    let moved = [
        "    <location path=\"WebApplication1\">",
        "        <system.webServer>",
        "            <security>",
        "                <authentication>",
        "                    <windowsAuthentication enabled=\"true\" />",
        "                    <anonymousAuthentication enabled=\"false\" />",
        "                </authentication>",
        "            </security>",
        "        </system.webServer>",
        "    </location>",
        "</configuration>",
    ]
    .join("\n");
    assert!(apphost.contains(&moved), "{apphost}");
    let web = std::fs::read_to_string(base.join("site/web.config")).unwrap();
    assert!(!web.contains("Authentication"), "{web}");
}

/// Two files set the same locked sections for one path (a `<location>` of the site's
/// web.config and the folder's own web.config): the first file's sections move, together,
/// and in the next round the second file's merge into them, so applicationHost.config gets
/// no duplicate section and the path's values are what the deeper file says.
#[test]
fn unsafe_fixes_move_then_merge_sections_two_files_set_for_one_path() {
    let dir = fixture_dir::temp_copy("scenarios/parent_lock_stands");
    let args = [
        "lint",
        "--apphost",
        "applicationHost.config",
        "--root-map",
        "C:\\inetpub=inetpub",
    ];
    let o = run_in(
        dir.path(),
        &[&args[..], &["--fix", "--unsafe-fixes", "--no-backup"]].concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("applied 2 fixes in 2 files").count(),
        2,
        "{err}"
    );
    assert!(err.contains("unsafe fix: inetpub/κατάστημα/web.config:4:10: error[IIS2001]: merge the section into the one <location path=\"Σελίδα/κατάστημα\"> of applicationHost.config sets"), "{err}");
    let apphost = std::fs::read_to_string(dir.path().join("applicationHost.config")).unwrap();
    let moved = [
        "    <location path=\"Σελίδα/κατάστημα\">",
        "        <system.webServer>",
        "            <asp enableParentPaths=\"true\" scriptErrorSentToBrowser=\"true\" />",
        "            <defaultDocument enabled=\"true\" />",
        "        </system.webServer>",
        "    </location>",
        "</configuration>",
    ]
    .join("\n");
    assert!(apphost.contains(&moved), "{apphost}");
    assert_eq!(
        apphost
            .matches("<location path=\"Σελίδα/κατάστημα\">")
            .count(),
        1
    );
}

/// A locked section applicationHost.config already sets for the path (as IIS Express's
/// per-site `<location>` does) is merged into it: each value changed where it is written,
/// in its quotes, the others added after them; what the element has besides stays. A
/// section the path's tag does not have goes into that tag, inside its section groups.
#[test]
fn unsafe_fixes_merge_a_locked_section_into_the_one_apphost_has() {
    let dir = fixture();
    let base = dir.path().join("express");
    let apphost_path = base.join("applicationHost.config");
    let text = std::fs::read_to_string(&apphost_path).unwrap();
    let site_tag = [
        "    <location path=\"WebApplication1\">",
        "        <system.webServer>",
        "            <security>",
        "                <authentication>",
        "                    <anonymousAuthentication enabled='true' userName=\"IUSR\" />",
        "                </authentication>",
        "            </security>",
        "        </system.webServer>",
        "    </location>",
        "</configuration>",
    ]
    .join("\n");
    std::fs::write(&apphost_path, text.replace("</configuration>", &site_tag)).unwrap();
    let o = run_in(
        &base,
        &[
            "lint",
            "--apphost",
            "applicationHost.config",
            "--root-map",
            "C:\\src\\WebApplication1=site",
            "--fix",
            "--unsafe-fixes",
            "--no-backup",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unsafe fix: site/web.config:7:10: error[IIS2001]: merge the section into the one <location path=\"WebApplication1\"> of applicationHost.config sets"), "{err}");
    assert!(err.contains("unsafe fix: site/web.config:6:10: error[IIS2001]: move the section to <location path=\"WebApplication1\"> in applicationHost.config"), "{err}");
    // The section new to the path goes into the site's tag, beside the merged one.
    let apphost = std::fs::read_to_string(&apphost_path).unwrap();
    let authentication = [
        "                <authentication>",
        "                    <anonymousAuthentication enabled='false' userName=\"IUSR\" />",
        "                    <windowsAuthentication enabled=\"true\" />",
        "                </authentication>",
    ]
    .join("\n");
    assert!(apphost.contains(&authentication), "{apphost}");
    assert_eq!(apphost.matches("<location").count(), 1, "{apphost}");
    let web = std::fs::read_to_string(base.join("site/web.config")).unwrap();
    assert!(!web.contains("Authentication"), "{web}");
}

/// Findings of every rule, IIS4003 included, over `inputs`.
fn lint_all(
    registry: &Registry,
    inputs: Vec<PathBuf>,
    apphost: Option<PathBuf>,
    root_maps: Vec<(String, PathBuf)>,
) -> iisconf::lint::Report {
    let options = LintOptions {
        inputs,
        apphost,
        root_maps,
        config: LintConfig {
            select: Some(vec![
                RuleSelector::parse("ALL").unwrap(),
                RuleSelector::parse("IIS4003").unwrap(),
            ]),
            ..LintConfig::default()
        },
        jobs: 1,
        skip_source_lines: true,
        ..LintOptions::default()
    };
    lint(registry, &options, &|_| {}).expect("lint runs")
}

/// No finding carries a fix its rule does not declare, and every rule that declares a fix
/// gives one on the fixtures.
#[test]
fn the_registry_says_which_rules_have_fixes() {
    let registry = Registry::embedded();
    let mut seen: HashMap<Rule, Applicability> = HashMap::new();
    // Every *.config file of the fixtures, named (a folder walk takes IIS's file names only).
    let mut every = iisconf::lint::collect(&[
        root().join("fixtures/lint"),
        root().join("fixtures/scenarios"),
    ])
    .expect("fixtures");
    every.files.append(&mut every.skipped);
    let mut reports = vec![lint_all(&registry, every.files, None, Vec::new())];
    let express = root().join("fixtures/lint/fix/express");
    reports.push(lint_all(
        &registry,
        Vec::new(),
        Some(express.join("applicationHost.config")),
        vec![("C:\\src\\WebApplication1".to_string(), express.join("site"))],
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("web.config"),
        "<configuration><system.webServer><handlers><add name=\"x\" path=\"*.x\" /></handlers></system.webServer></configuration>\n",
    )
    .unwrap();
    reports.push(lint_all(
        &registry,
        vec![dir.path().to_path_buf()],
        None,
        Vec::new(),
    ));
    for report in &reports {
        for r in &report.findings {
            let f = &r.finding;
            if let Some(fix) = f.fix() {
                let declared = f.rule.fix_availability();
                let ok = match fix.applicability {
                    Applicability::Safe => declared == FixAvailability::Safe,
                    Applicability::Unsafe => declared == FixAvailability::Unsafe,
                };
                assert!(
                    ok,
                    "{} carries a {:?} fix but declares {declared:?}",
                    f.rule.id(),
                    fix.applicability
                );
                seen.insert(f.rule, fix.applicability);
            }
        }
    }
    for rule in Rule::ALL {
        if rule.fix_availability() != FixAvailability::None {
            assert!(
                seen.contains_key(rule),
                "{} declares a fix that no fixture shows",
                rule.id()
            );
        }
    }
}

/// Real corpus files, copied to a temporary folder: after `--fix --unsafe-fixes` each file
/// still parses and has fewer findings of every (rule, message) that a fix addressed.
#[test]
fn fixes_on_real_corpus_files_leave_them_well_formed_and_fixed() {
    let (Some(corpus), Some(schema)) = (shared::dir("corpus"), shared::dir("iis-schema")) else {
        return;
    };
    let registry = Registry::load(std::slice::from_ref(&schema)).expect("schema loads");
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("config"))
        })
        .collect();
    files.sort();
    let mut fixed_files = 0;
    let mut fixed_findings = 0;
    for file in &files {
        let copy = dir.path().join(file.file_name().unwrap());
        std::fs::copy(file, &copy).unwrap();
        let mut permissions = std::fs::metadata(&copy).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&copy, permissions).unwrap();
        let before = lint_all(&registry, vec![copy.clone()], None, Vec::new());
        let fixed: Vec<(Rule, String)> = before
            .findings
            .iter()
            .filter(|r| r.finding.fix().is_some())
            .map(|r| (r.finding.rule, r.finding.message.clone()))
            .collect();
        if fixed.is_empty() {
            continue;
        }
        let o = run_in(
            dir.path(),
            &[
                "lint",
                "--schema-dir",
                schema.to_str().unwrap(),
                "--select",
                "ALL,IIS4003",
                "--fix",
                "--unsafe-fixes",
                "--no-backup",
                "--format",
                "json",
                copy.file_name().unwrap().to_str().unwrap(),
            ],
        );
        assert_ne!(
            o.status.code(),
            Some(2),
            "{}: {}",
            file.display(),
            stderr(&o)
        );
        let bytes = std::fs::read(&copy).unwrap();
        iisconf::xml::Document::parse(&bytes)
            .unwrap_or_else(|e| panic!("{} no longer parses: {}", file.display(), e.message));
        let after = lint_all(&registry, vec![copy.clone()], None, Vec::new());
        let count = |report: &iisconf::lint::Report, key: &(Rule, String)| {
            report
                .findings
                .iter()
                .filter(|r| r.finding.rule == key.0 && r.finding.message == key.1)
                .count()
        };
        for key in &fixed {
            assert!(
                count(&after, key) < count(&before, key),
                "{}: {} {} is still there",
                file.display(),
                key.0.id(),
                key.1
            );
        }
        fixed_files += 1;
        fixed_findings += fixed.len();
    }
    eprintln!("fixed {fixed_findings} findings in {fixed_files} corpus files");
    assert!(fixed_files > 0);
}

/// IIS's names are case-sensitive (HTTP 500.19 "Unrecognized attribute 'mimetype'. Note that
/// attribute names are case-sensitive."): a name in the wrong letter case or a near miss is
/// one finding (no "missing required attribute" beside it), and its safe fix renames the
/// attribute, the element (start and end tags) or the section element, and nothing else.
#[test]
fn near_miss_names_are_one_finding_renamed_by_a_safe_fix() {
    let dir = tempfile::tempdir().unwrap();
    let before = "<configuration>\n  <system.webServer>\n    <staticContent>\n      <mimeMap fileExtension=\".webp\" mimetype=\"image/webp\" />\n    </staticContent>\n    <defaultDocument enabeld=\"true\" />\n    <DirectoryBrowse enabled=\"false\" />\n    <security>\n      <requestFiltering>\n        <FileExtensions allowUnlisted=\"true\">\n        </FileExtensions>\n      </requestFiltering>\n    </security>\n  </system.webServer>\n</configuration>\n";
    std::fs::write(dir.path().join("web.config"), before).unwrap();
    let o = run_in(dir.path(), &["lint", "--format", "json", "web.config"]);
    assert_eq!(
        rules_of(&o),
        ["IIS1004", "IIS1004", "IIS1001", "IIS1003"],
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("did you mean 'mimeType'? attribute names are case-sensitive"),
        "{}",
        stdout(&o)
    );
    let o = run_in(dir.path(), &["lint", "--fix", "--no-backup", "web.config"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    let after = std::fs::read_to_string(dir.path().join("web.config")).unwrap();
    let expected = before
        .replace("mimetype=", "mimeType=")
        .replace("enabeld=", "enabled=")
        .replace("<DirectoryBrowse", "<directoryBrowse")
        .replace("FileExtensions", "fileExtensions");
    assert_eq!(after, expected);
}
