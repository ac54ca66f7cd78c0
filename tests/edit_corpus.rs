//! Minimal diffs on real files: for every file of ../shared/corpus, set one attribute and
//! check that the diff is exactly that attribute's line or the inserted block, nothing else.
//! The corpus lives outside the repository (path: $IISCONF_SHARED or ../shared); the test
//! prints SKIP when it is absent.

mod shared;

use iisconf::config::{ConfigFile, FileKind};
use iisconf::edit::Transaction;
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options, STANDALONE_SITE};
use iisconf::schema::Registry;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    shared::dir("corpus").map(|_| shared::base())
}

/// Removes every `name="…"` from a line.
fn without_attr(line: &str, name: &str) -> String {
    let pat = format!("{name}=\"");
    let mut out = line.to_string();
    while let Some(i) = out.find(&pat) {
        let end = out[i + pat.len()..]
            .find('"')
            .map_or(out.len(), |j| i + pat.len() + j + 1);
        let start = out[..i].trim_end().len();
        out.replace_range(start..end, "");
    }
    out
}

fn check_diff(name: &str, diff: &str, attr: &str, value: &str, block: &[&str]) {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for line in diff.lines() {
        if line.starts_with("+++") || line.starts_with("---") || line.starts_with("@@") {
            continue;
        }
        if let Some(l) = line.strip_prefix('+') {
            added.push(l.trim_end_matches('\r').to_string());
        } else if let Some(l) = line.strip_prefix('-') {
            removed.push(l.trim_end_matches('\r').to_string());
        }
    }
    let written = format!("{attr}=\"{value}\"");
    assert!(
        added.iter().any(|l| l.contains(&written)),
        "{name}: the new value is not in the diff:\n{diff}"
    );
    if removed.len() == 1 && added.len() == 1 {
        // The attribute changed or was added on an existing line.
        assert_eq!(
            without_attr(&removed[0], attr),
            without_attr(&added[0], attr),
            "{name}: more than the attribute changed:\n{diff}"
        );
        return;
    }
    // An inserted block: only the section's elements, a location tag, blank lines; a
    // removed line may only be a self-closing element on the path that was opened up.
    for l in &removed {
        let t = l.trim();
        assert!(
            t.ends_with("/>") && block.iter().any(|b| t.starts_with(&format!("<{b}"))),
            "{name}: unexpected removed line {l:?}:\n{diff}"
        );
    }
    for l in &added {
        let t = l.trim();
        let ok = t.is_empty()
            || t.starts_with("<location ")
            || t == "</location>"
            || block.iter().any(|b| {
                t.starts_with(&format!("<{b}>"))
                    || t.starts_with(&format!("<{b} "))
                    || t == format!("</{b}>")
            });
        assert!(ok, "{name}: unexpected added line {l:?}:\n{diff}");
    }
}

#[test]
fn one_attribute_set_in_every_corpus_file_changes_only_its_line_or_block() {
    let Some(shared) = shared() else {
        shared::skip("no corpus (set IISCONF_SHARED or put it at ../shared)");
        return;
    };
    let schema_dir = shared.join("iis-schema");
    let registry = if schema_dir.is_dir() {
        Registry::load(&[schema_dir]).unwrap()
    } else {
        Registry::embedded()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("config"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let file = match ConfigFile::parse(&path.display().to_string(), &bytes) {
            Ok(f) => f,
            Err(e) => {
                println!("{name}: not well-formed ({e}); skipped");
                continue;
            }
        };
        let (h, target_path, section, attr, value, block): (_, &str, _, _, _, &[&str]) =
            match file.kind() {
                FileKind::AppHost => (
                    Hierarchy::from_apphost(registry.clone(), file, &Options::default()),
                    "",
                    "system.webServer/asp",
                    "session.max",
                    "1000",
                    &["system.webServer", "asp", "session"],
                ),
                FileKind::WebConfig => (
                    Hierarchy::standalone(registry.clone(), file),
                    STANDALONE_SITE,
                    "system.webServer/defaultDocument",
                    "enabled",
                    "false",
                    &["system.webServer", "defaultDocument"],
                ),
            };
        let mut tx = Transaction::new(h);
        let target = if target_path.is_empty() {
            CommitTarget::AppHost
        } else {
            CommitTarget::Url
        };
        tx.set(target_path, section, &target, attr, value).unwrap();
        let prepared = match tx.prepare() {
            Ok(p) => p,
            Err(e) => panic!("{name}: {e}"),
        };
        let diff = prepared.diff();
        let short = attr.rsplit('.').next().unwrap_or(attr);
        check_diff(&name, &diff, short, value, block);
        // The edited file still parses, and only the diff's lines differ.
        let edited = prepared
            .hierarchy()
            .files()
            .iter()
            .find(|f| *f.name == *path.display().to_string())
            .unwrap();
        let out = edited.doc.to_bytes();
        iisconf::xml::Document::parse(&out).unwrap();
        println!("{name}: ok ({} diff lines)", diff.lines().count());
    }
}
