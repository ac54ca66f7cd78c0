//! The real IIS 10 schema folder in ../shared/iis-schema loads, with the counts measured per
//! file, the quirks reported as warnings, and the split sites section merged.

mod shared;

use iisconf::schema::{Registry, SchemaStats};
use std::path::PathBuf;

fn schema_dir() -> Option<PathBuf> {
    shared::dir("iis-schema")
}

fn stats(registry: &Registry, file: &str) -> SchemaStats {
    registry
        .files()
        .iter()
        .find(|f| f.name.ends_with(file))
        .map(|f| f.stats)
        .unwrap_or_else(|| panic!("{file} was not loaded"))
}

fn counts(s: SchemaStats) -> [usize; 7] {
    [
        s.sections,
        s.attributes,
        s.elements,
        s.collections,
        s.enums,
        s.flags,
        s.methods,
    ]
}

#[test]
fn every_real_schema_file_loads_with_its_counts() {
    let Some(dir) = schema_dir() else { return };
    let registry = Registry::load(&[dir]).expect("the real schema folder loads");
    // sections, attributes, elements, collections, enums, flags, methods
    assert_eq!(
        counts(stats(&registry, "IIS_schema.xml")),
        [56, 582, 73, 73, 200, 128, 0]
    );
    assert_eq!(
        counts(stats(&registry, "ASPNET_schema.xml")),
        [37, 294, 35, 42, 76, 10, 0]
    );
    assert_eq!(
        counts(stats(&registry, "Ftp_schema.xml")),
        [10, 176, 58, 15, 69, 95, 0]
    );
    assert_eq!(
        counts(stats(&registry, "FX_schema.xml")),
        [24, 174, 31, 22, 65, 21, 0]
    );
    assert_eq!(
        counts(stats(&registry, "ftp_rscaext.xml")),
        [2, 12, 3, 2, 5, 0, 5]
    );
}

#[test]
fn the_split_sites_section_is_merged_from_three_files() {
    let Some(dir) = schema_dir() else { return };
    let registry = Registry::load(&[dir]).expect("loads");
    let sites = registry
        .section("system.applicationHost/sites")
        .expect("sites");
    let sources: Vec<&str> = sites
        .sources
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .collect();
    assert_eq!(
        sources,
        ["Ftp_schema.xml", "IIS_schema.xml", "ftp_rscaext.xml"]
    );
    let (_, session, _) = registry
        .resolve("system.applicationHost/sites/site/ftpServer/sessions/session")
        .expect("ftp session entry");
    assert_eq!(session.attributes.len(), 10);
    assert!(session.methods.iter().any(|m| m.name == "Terminate"));
    // The embedded definition was replaced, not merged: no duplicate warnings.
    assert!(
        !registry
            .warnings()
            .iter()
            .any(|w| w.message.contains("already declared")),
        "{:#?}",
        registry.warnings()
    );
}

#[test]
fn real_quirks_are_warnings_naming_file_and_line() {
    let Some(dir) = schema_dir() else { return };
    let registry = Registry::load(&[dir]).expect("loads");
    let warnings: Vec<String> = registry.warnings().iter().map(|w| w.to_string()).collect();
    let has = |file: &str, needle: &str| {
        warnings
            .iter()
            .any(|w| w.contains(file) && w.contains(needle))
    };
    assert!(has("IIS_schema.xml:1311:", "defaultvalue"), "{warnings:#?}");
    assert!(has("IIS_schema.xml:1104:", "mergeElement"), "{warnings:#?}");
    assert!(
        has("FX_schema.xml:", "second <collection>"),
        "{warnings:#?}"
    );
}
