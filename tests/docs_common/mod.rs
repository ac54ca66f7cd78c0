//! Helpers shared by the documentation tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared folder (IISCONF_SHARED or ../shared), when it holds the IIS schema.
pub fn shared() -> Option<PathBuf> {
    crate::shared::dir("iis-schema").map(|_| crate::shared::base())
}

/// Runs `iisconf docs --format FORMAT --out OUT [extra…]`, asserting success. Its output
/// (`wrote N file(s) to …`) is captured, and shown only when it fails.
pub fn export(format: &str, out: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(["docs", "--format", format, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "iisconf docs --format {format} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
