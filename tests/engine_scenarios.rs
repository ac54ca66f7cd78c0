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
        eprintln!("SKIP: ../shared/iis-schema is absent");
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
    /// IIS maps a virtual path to the physical folder of its virtual directory (IIS docs,
    /// introduction-to-applicationhostconfig: "a virtual directory maps a virtual path to a
    /// physical path"), so `Ιστότοπος/документы` reads `文档\web.config` only; the folders
    /// `wwwroot\документы` and `wwwroot\café` beneath the site's folder are hidden.
    virtual_directory_hides_folder,
    /// An application on its parent's folder: IIS reads that folder's web.config again at
    /// the child path, so each entry it adds is added twice, HTTP 500.19 "Cannot add
    /// duplicate collection entry" (KB 942055, error 0x800700b7); after `<clear/>` the
    /// entries are fresh. A second site on the same folder reads it at its own path.
    one_folder_two_virtual_paths,
    /// `siteDefaults`, `applicationDefaults` and `virtualDirectoryDefaults` directly under
    /// `<sites>` are `isCollectionDefault` elements (IIS_schema.xml, system.applicationHost/
    /// sites) that supply what a site, application or virtual directory leaves unset, a
    /// site's own defaults first (IIS docs, sites/applicationdefaults: "the default
    /// settings for all applications on the server"). `allowSubDirConfig="false"` makes IIS
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
);
