//! Zero set-up: `iisconf lint` with no flags knows all of IIS 10 and the common add-on
//! modules. The web.config `dotnet publish` writes lints clean; ASP.NET Core Module and URL
//! Rewrite mistakes are errors at their lines; `modules = [...]` in iisconf.toml describes a
//! server without some add-ons; a --schema-dir holding only add-on files merges with the
//! embedded schema; and the corpus gives the same findings with and without the real schema
//! folder.

mod run_binary;
mod shared;

use run_binary::{root, run_in};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

/// (rule, line, message) of every finding of a JSON lint run.
fn findings(o: &Output) -> Vec<(String, u64, String)> {
    let items: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON array ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    items
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap_or("").to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn lint_json(dir: &Path, file: &str, extra: &[&str]) -> Vec<(String, u64, String)> {
    let mut args = vec!["lint", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(file);
    findings(&run_in(dir, &args))
}

#[test]
fn the_dotnet_publish_web_config_lints_clean_with_no_flags() {
    let o = run_in(
        &root(),
        &["lint", "fixtures/lint/zeroset/dotnet-publish.web.config"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let found = lint_json(
        &root(),
        "fixtures/lint/zeroset/rewrite-clean.web.config",
        &[],
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_bad_hosting_model_is_an_error_at_its_line() {
    let found = lint_json(
        &root(),
        "fixtures/lint/zeroset/bad-hosting-model.web.config",
        &[],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, line, message) = &found[0];
    assert_eq!((rule.as_str(), *line), ("IIS1006", 7), "{message}");
    assert!(message.contains("hostingModel") && message.contains("inprocess, outofprocess"));
}

#[test]
fn rewrite_mistakes_are_errors_at_their_lines() {
    let found = lint_json(&root(), "fixtures/lint/zeroset/rewrite.web.config", &[]);
    let summary: Vec<(&str, u64)> = found.iter().map(|(r, l, _)| (r.as_str(), *l)).collect();
    assert_eq!(summary, vec![("IIS1006", 15), ("IIS1007", 17)], "{found:?}");
    assert!(
        found[0].2.contains("'type' attribute is invalid"),
        "{found:?}"
    );
    assert!(found[1].2.contains("'HTTPS'"), "{found:?}");
}

#[test]
fn modules_in_iisconf_toml_leave_the_other_add_ons_without_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iisconf.toml"),
        "modules = [\"aspNetCore\"]\n",
    )
    .unwrap();
    for name in ["rewrite.web.config", "dotnet-publish.web.config"] {
        std::fs::copy(
            root().join("fixtures/lint/zeroset").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    let found = lint_json(dir.path(), "rewrite.web.config", &[]);
    let rules: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(rules, vec!["IIS1002"], "{found:?}");
    assert!(found[0].2.contains("'system.webServer/rewrite/rules'"));
    assert!(lint_json(dir.path(), "dotnet-publish.web.config", &[]).is_empty());

    std::fs::write(dir.path().join("iisconf.toml"), "modules = [\"urlscan\"]\n").unwrap();
    let o = run_in(dir.path(), &["lint", "rewrite.web.config"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown module `urlscan`"), "{err}");
}

#[test]
fn a_schema_dir_of_add_on_files_only_keeps_the_embedded_sites() {
    let Some(addons) = shared::dir("iis-schema-addons") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for name in ["arr_schema.xml", "rscaext.xml"] {
        std::fs::copy(addons.join(name), dir.path().join(name)).unwrap();
    }
    let apphost = root().join("fixtures/lint/hierarchy/applicationHost.config");
    let apphost = apphost.to_str().unwrap();
    let schema_dir = dir.path().to_str().unwrap();
    let with = lint_json(&root(), apphost, &["--schema-dir", schema_dir]);
    let without = lint_json(&root(), apphost, &[]);
    assert_eq!(with, without);
    assert!(
        !with.iter().any(|f| f.0 == "IIS1004"),
        "no site attribute is unrecognized: {with:?}"
    );
}

/// The corpus files (not SOURCES.md).
fn corpus_files(corpus: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_gives_the_same_findings_with_and_without_the_real_schema() {
    let (Some(corpus), Some(schema)) = (shared::dir("corpus"), shared::dir("iis-schema")) else {
        return;
    };
    let addons = shared::dir("iis-schema-addons");
    let mut schema_args = vec!["--schema-dir", schema.to_str().unwrap()];
    if let Some(a) = &addons {
        schema_args.extend(["--schema-dir", a.to_str().unwrap()]);
    }
    let mut duplicate_key = false;
    for file in corpus_files(&corpus) {
        let path = file.to_str().unwrap();
        let plain = lint_json(&root(), path, &[]);
        let with_schema = lint_json(&root(), path, &schema_args);
        // Paths of origin aside: a message may name the schema file a fact came from.
        let strip = |f: &[(String, u64, String)]| -> Vec<(String, u64)> {
            f.iter().map(|(r, l, _)| (r.clone(), *l)).collect()
        };
        assert_eq!(strip(&plain), strip(&with_schema), "{path}");
        let unknown: BTreeSet<&str> = plain
            .iter()
            .filter(|f| f.0 == "IIS1001" || f.0 == "IIS1002")
            .map(|f| f.2.as_str())
            .collect();
        assert!(unknown.is_empty(), "{path}: {unknown:#?}");
        duplicate_key |= plain
            .iter()
            .any(|f| f.0 == "IIS1007" && f.2.contains("'key'"));
    }
    assert!(duplicate_key, "the duplicate appSettings key is found");
}

#[test]
fn schema_list_with_no_flags_lists_every_section_of_the_real_folders() {
    let o = run_in(&root(), &["schema", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let listed: BTreeSet<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect();
    assert_eq!(listed.len(), 141, "{listed:#?}");
    let (Some(schema), Some(addons)) =
        (shared::dir("iis-schema"), shared::dir("iis-schema-addons"))
    else {
        return;
    };
    let real = iisconf::schema::Registry::load(&[schema, addons]).expect("the real folders load");
    let real: BTreeSet<String> = real.sections().map(|s| s.name.clone()).collect();
    assert_eq!(listed, real);
}
