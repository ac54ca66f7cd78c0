//! Where the real-data tests find ../shared (IIS schema files and the configuration corpus).
#![allow(dead_code)]

use std::io::Write;
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
        skip(format_args!(
            "{} is absent (set IISCONF_SHARED)",
            dir.display()
        ));
        None
    }
}

/// Reports a test that cannot run here (../shared or an outside program is missing): a
/// `SKIP: reason` line written straight to stderr, so that `cargo test` shows it although it
/// captures what tests print (`print!` is captured, a direct write is not). The test then
/// returns early and the runner counts it as passed; the SKIP lines are the visible count,
/// and `.ci/run` fails on any of them where ../shared and the programs are present.
pub fn skip(reason: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "SKIP: {reason}");
}
