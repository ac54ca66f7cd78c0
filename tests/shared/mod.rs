//! Where the real-data tests find ../shared (IIS schema files and the configuration corpus).
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared folder: `$IISCONF_SHARED`, else `../shared` beside the crate.
pub fn base() -> PathBuf {
    std::env::var_os("IISCONF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")))
}

/// The subfolder `sub` of the shared folder (`iis-schema`, `corpus`), or `None` after
/// printing a SKIP line when it is absent.
pub fn dir(sub: &str) -> Option<PathBuf> {
    let dir = base().join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIP: {} is absent (set IISCONF_SHARED)", dir.display());
        None
    }
}
