//! Helpers shared by the documentation tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared folder (IISCONF_SHARED or ../shared), when it holds the IIS schema.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("IISCONF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("iis-schema").is_dir().then_some(dir)
}

/// Runs `iisconf docs --format FORMAT --out OUT [extra…]`, asserting success.
pub fn export(format: &str, out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(["docs", "--format", format, "--out"])
        .arg(out)
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "iisconf docs --format {format} failed");
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
