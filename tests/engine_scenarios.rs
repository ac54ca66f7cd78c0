//! Scenario tests of the rules engine: each folder of fixtures/scenarios holds an
//! applicationHost.config (its sites' physical paths under C:\inetpub map to the folder's
//! inetpub/), web.config files, and queries.txt (PATH|SECTION|ATTR per line, ATTR empty for
//! the whole section). The findings and the effective values are snapshots.
//!
//! The scenarios run on the project's embedded schema (IIS 10 and its add-on modules), so a
//! checkout without ../shared still tests the engine; `scenarios_read_the_same_with_the_real_schema_folder`
//! runs every scenario again over ../shared/iis-schema (the schema files of a real server)
//! and requires the same report.

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

/// The report of a scenario on the embedded schema.
fn report(name: &str) -> Option<String> {
    Some(report_with(name, Registry::embedded()))
}

/// The report of a scenario read with `registry`.
fn report_with(name: &str, registry: Registry) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name);
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
    out
}

/// Every scenario, read with the schema files of ../shared/iis-schema overlaid on the
/// embedded ones, reports what it reports on the embedded schema alone: the same findings
/// line for line, and the same effective values. The values are compared as sorted lines,
/// as the embedded schema lists a site's child elements (`bindings`, `logFile`, …) in
/// another order than IIS_schema.xml.
#[test]
fn scenarios_read_the_same_with_the_real_schema_folder() {
    let Some(schema) = shared_schema() else {
        return;
    };
    let registry = Registry::load(&[schema]).expect("schema loads");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("scenarios folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 10, "{names:?}");
    for name in names {
        let split = |report: String| -> (String, Vec<String>) {
            let lines: Vec<&str> = report.lines().collect();
            // The findings block: "findings:" and the indented lines after it.
            let end = lines
                .iter()
                .skip(1)
                .position(|l| !l.starts_with("  "))
                .map_or(lines.len(), |p| p + 1);
            let findings = lines.get(..end).unwrap_or_default().join("\n");
            let mut values: Vec<String> = lines
                .get(end..)
                .unwrap_or_default()
                .iter()
                .map(|l| l.to_string())
                .collect();
            values.sort();
            (findings, values)
        };
        let (embedded_findings, embedded_values) = split(report_with(&name, Registry::embedded()));
        let (real_findings, real_values) = split(report_with(&name, registry.clone()));
        pretty_assertions::assert_eq!(real_findings, embedded_findings, "{name}: findings");
        pretty_assertions::assert_eq!(real_values, embedded_values, "{name}: values");
    }
}

/// The same scenario through the binary: `iisconf lint --apphost` of the whole hierarchy,
/// then `iisconf get` of each query and `iisconf set --dry-run` of each line of sets.txt
/// (output, messages and exit code of each), run in the scenario's folder so that every
/// path is relative.
fn cli_report(name: &str) -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name);
    let common = [
        "--apphost",
        "applicationHost.config",
        "--root-map",
        "C:\\inetpub=inetpub",
    ];
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_iisconf"))
            .args(args)
            .args(common)
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env_remove("IISCONF_APPHOST")
            .output()
            .expect("iisconf runs");
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let code = o
            .status
            .code()
            .map_or("a signal".to_string(), |c| c.to_string());
        (text(&o.stdout), text(&o.stderr), code)
    };
    let mut out = String::new();
    let (stdout, stderr, code) = run(&["lint", "--color", "never"]);
    let _ = writeln!(out, "$ iisconf lint (exit {code})\n{stdout}{stderr}");
    let queries = std::fs::read_to_string(dir.join("queries.txt")).unwrap_or_default();
    for line in queries.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.splitn(3, '|');
        let (path, section, attr) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let mut args = vec!["get", path, section];
        if !attr.is_empty() {
            args.push(attr);
        }
        let (stdout, stderr, code) = run(&args);
        let shown = format!("\"{path}\" {section} {attr}");
        let _ = writeln!(
            out,
            "$ iisconf get {} (exit {code})\n{stdout}{stderr}",
            shown.trim_end()
        );
    }
    // sets.txt: PATH|SECTION|CHANGE[|COMMIT] per line, run with --dry-run (nothing written).
    let sets = std::fs::read_to_string(dir.join("sets.txt")).unwrap_or_default();
    for line in sets.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split('|').collect();
        let mut args = vec!["set", "--dry-run"];
        args.extend(parts.iter().take(3).copied());
        if let Some(commit) = parts.get(3) {
            args.extend(["--commit", commit]);
        }
        let (stdout, stderr, code) = run(&args);
        let _ = writeln!(
            out,
            "$ iisconf {} (exit {code})\n{stdout}{stderr}",
            args.join(" ")
        );
    }
    Some(out)
}

macro_rules! scenario {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[test]
        fn $name() {
            if let Some(report) = report(stringify!($name)) {
                insta::assert_snapshot!(stringify!($name), report);
            }
        }
    )*};
}

/// Scenarios checked through the library and through the binary (in the module
/// `through_the_binary`: what `lint` reports and what `get` answers).
macro_rules! scenario_and_binary {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        scenario!($($(#[$doc])* $name),*);

        mod through_the_binary {
            $(
                #[test]
                fn $name() {
                    if let Some(report) = super::cli_report(stringify!($name)) {
                        insta::assert_snapshot!(stringify!($name), report);
                    }
                }
            )*
        }
    };
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

scenario_and_binary!(
    /// A virtual directory is "a directory name (also referred to as path) that you specify
    /// in IIS and map to a physical directory" (IIS docs, system.applicationHost/sites/site/
    /// application/virtualDirectory), so `Ιστότοπος/документы` reads `文档\web.config`
    /// only: the folders `wwwroot\документы` and `wwwroot\café` (a combining accent)
    /// beneath the site's folder are hidden, while `wwwroot\εικόνες` is still read.
    virtual_directory_hides_folder,
    /// An application on its parent's folder: IIS reads that folder's web.config again at
    /// the child path, so each entry it adds is added twice, HTTP 500.19 "Cannot add
    /// duplicate collection entry" (KB 942055, error 0x800700b7); after `<clear/>` the
    /// entries are fresh. A second site on the same folder reads it at its own path.
    one_folder_two_virtual_paths,
    /// `siteDefaults`, `applicationDefaults` and `virtualDirectoryDefaults` directly under
    /// `<sites>` are `isCollectionDefault` elements (IIS_schema.xml, system.applicationHost/
    /// sites) that supply what a site, application or virtual directory leaves unset, a
    /// site's own defaults first (IIS docs, sites/applicationDefaults: "specifies the
    /// default app settings for all apps on the server"). `allowSubDirConfig="false"` makes IIS
    /// ignore the web.config files below the virtual directory's folder (IIS support blog,
    /// "How to prevent web.config files to be overwritten by config files in
    /// subfolders").
    defaults_under_sites,
    /// "Unlocking can only be done at the level where the lock was defined. In other words,
    /// a configuration level can never unlock what was locked by parent levels" (IIS docs,
    /// deep-dive-into-iis-configuration-with-iis-7-and-iis-8, Locking): the site's
    /// `<location path="κατάστημα" overrideMode="Allow">` is itself a lock violation, and
    /// the shop's own web.config stays locked (asp by its overrideModeDefault="Deny",
    /// defaultDocument by applicationHost.config's Deny for the site).
    parent_lock_stands,
    /// applicationHost.config unlocks a section for a path, a lower level's web.config locks
    /// it for the same path or a parent of it: "the configuration system will treat this as
    /// illegal configuration and will fail with a proper error" (IIS docs, deep-dive, sample9:
    /// `MySite/shopping` Allow above, `<location overrideMode="Deny">` in the site's
    /// web.config). A web.config that locks its own level for the levels below it (Магазин's
    /// handlers) is plain locking, not a contradiction.
    allow_above_deny_below,
    /// IIS's attribute, element and section names are case-sensitive ("Unrecognized
    /// attribute 'mimetype'. Note that attribute names are case-sensitive.", HTTP 500.19): a
    /// name in the wrong letter case or a near miss (`enabeld`, `<httperrors>`) is one
    /// finding, whose help names the right name and whose safe fix renames it; the required attribute it stands for is not reported
    /// missing as well. A duplicate collection entry is reported, and what it holds is
    /// still checked (the invalid `policy`, `stopProcessing` and action `type`).
    names_and_duplicate_content,
);
