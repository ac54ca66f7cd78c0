//! Fuzz target: the lint of one file with the real IIS schema (../shared/iis-schema, read
//! once per process; when ../shared is absent, or its schema does not load, the target says
//! so on stderr once and runs on the embedded schema). The input is an
//! applicationHost.config (recognised by content, as `iisconf lint` does) read with its
//! hierarchy, or else a web.config read on its own; every rule checks it. An accepted file
//! prints back byte for byte, and every finding on it lies inside it.
#![no_main]

#[path = "../common/places.rs"]
mod places;

use iisconf::config::{ConfigFile, FileKind};
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The real schema folder: `$IISCONF_SHARED/iis-schema`, else `../shared/iis-schema` beside
/// the repository.
fn schema_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("IISCONF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")));
    let dir = shared.join("iis-schema");
    dir.is_dir().then_some(dir)
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| match schema_dir().map(|dir| Registry::load(&[dir])) {
        Some(Ok(registry)) => registry,
        Some(Err(e)) => {
            eprintln!("lint_real_schema: the real schema does not load ({e}); running on the embedded schema");
            Registry::embedded()
        }
        None => {
            eprintln!("lint_real_schema: ../shared/iis-schema is absent (set IISCONF_SHARED); running on the embedded schema");
            Registry::embedded()
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = ConfigFile::parse("input.config", data) else {
        return;
    };
    assert!(file.doc.to_bytes() == data, "the round trip changed bytes");
    let hierarchy = if file.kind() == FileKind::AppHost {
        let options = Options {
            root_maps: vec![(
                "C:\\inetpub".to_string(),
                PathBuf::from("/nonexistent-iisconf-fuzz"),
            )],
            ..Options::default()
        };
        Hierarchy::from_apphost(registry().clone(), file, &options)
    } else {
        Hierarchy::standalone(registry().clone(), file)
    };
    for finding in hierarchy.check() {
        if let Some(named) = hierarchy
            .files()
            .iter()
            .find(|f| *f.name == *finding.place.file)
        {
            places::assert_inside(&finding, named.doc.source());
        }
    }
    for site in hierarchy.sites() {
        let _ = hierarchy.check_path(&site.name);
    }
});
