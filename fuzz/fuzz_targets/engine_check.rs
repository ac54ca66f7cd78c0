//! Fuzz target: an applicationHost.config (the input) is read into a hierarchy with the
//! embedded schema, with a `--root-map`, and checked by every rule (what `iisconf lint`
//! does for it); each finding on a file of the hierarchy points into that file (its place
//! and span lie inside the file's text).
#![no_main]

#[path = "../common/places.rs"]
mod places;

use iisconf::config::ConfigFile;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = ConfigFile::parse("applicationHost.config", data) else {
        return;
    };
    let options = Options {
        root_maps: vec![(
            "C:\\inetpub".to_string(),
            std::path::PathBuf::from("/nonexistent-iisconf-fuzz"),
        )],
        ..Options::default()
    };
    let hierarchy = Hierarchy::from_apphost(registry().clone(), file, &options);
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
