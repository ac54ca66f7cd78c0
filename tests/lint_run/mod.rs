//! Running the real `iisconf` binary from a folder, as the lint behaviour tests do: no
//! colour, no `IISCONF_APPHOST` from the environment, paths relative to that folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (fixtures are found from it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `iisconf ARGS` run in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("IISCONF_APPHOST")
        .output()
        .expect("run iisconf")
}
