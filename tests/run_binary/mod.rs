//! Running the real `iisconf` binary from a folder, as the behaviour tests do: no colour,
//! no `IISCONF_APPHOST` from the environment, paths relative to that folder.
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

/// What one run of the binary gave, as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `iisconf ARGS` run in `dir`, as text; a panic (exit 101) fails the test.
pub fn run_checked(dir: &Path, args: &[&str]) -> Run {
    let out = run_in(dir, args);
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "{args:?} panicked: {}",
        run.stderr
    );
    run
}
