//! Scenario tests of the rules engine: each folder of fixtures/scenarios holds an
//! applicationHost.config (its sites' physical paths under C:\inetpub map to the folder's
//! inetpub/), web.config files, and queries.txt (PATH|SECTION|ATTR per line, ATTR empty for
//! the whole section). The findings and the effective values are snapshots.
//!
//! Sections beyond the project's embedded schema come from ../shared/iis-schema; without it
//! the scenarios are skipped.

mod shared;

use iisconf::engine::{render, Hierarchy, Options};
use iisconf::schema::Registry;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn shared_schema() -> Option<PathBuf> {
    shared::dir("iis-schema")
}

fn open(dir: &Path, registry: Registry) -> Hierarchy {
    let options = Options {
        apphost: Some(dir.join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
        env: Vec::new(),
    };
    Hierarchy::open(registry, &options).expect("scenario opens")
}

fn report(name: &str) -> Option<String> {
    let Some(schema) = shared_schema() else {
        shared::skip("../shared/iis-schema is absent");
        return None;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name);
    let registry = Registry::load(&[schema]).expect("schema loads");
    let hierarchy = open(&dir, registry);
    let prefix = format!("{}/", dir.display());
    let mut out = String::from("findings:\n");
    for f in hierarchy.check() {
        let _ = writeln!(
            out,
            "  {} {} {}:{}:{} {}",
            f.rule.id(),
            f.severity.as_str(),
            f.place.file.trim_start_matches(&prefix),
            f.place.line,
            f.place.column,
            f.message.replace(&prefix, "")
        );
        if let Some(help) = &f.help {
            let _ = writeln!(out, "      help: {}", help.replace(&prefix, ""));
        }
    }
    let queries = std::fs::read_to_string(dir.join("queries.txt")).unwrap_or_default();
    for line in queries.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.splitn(3, '|');
        let (path, section, attr) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let effective = hierarchy.effective(path, section).expect("query resolves");
        if attr.is_empty() {
            let _ = writeln!(out, "{section} at \"{path}\":");
            for l in render::to_xml(&effective).lines() {
                let _ = writeln!(out, "  {l}");
            }
        } else {
            let a = effective.root.lookup(attr).expect("attribute has a value");
            let _ = writeln!(
                out,
                "{section} {attr} at \"{path}\" = {} (from {})",
                a.value,
                a.origin.to_string().replace(&prefix, "")
            );
        }
    }
    Some(out)
}

macro_rules! scenario {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            if let Some(report) = report(stringify!($name)) {
                insta::assert_snapshot!(stringify!($name), report);
            }
        }
    )*};
}

scenario!(
    asp_locked_by_default,
    asp_unlocked_by_location,
    lock_attributes_httperrors,
    lock_item_modules,
    merge_append_false,
    duplicate_sections_and_locations,
    inherit_in_child_applications,
    definitions_and_runtime,
    values_and_names,
    lock_elements_and_except,
    case_and_duplicates,
);
