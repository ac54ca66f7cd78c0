//! Temporary copies of fixture folders, for tests that change the files they run on.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository's fixtures/ folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fresh temporary folder holding a copy of `fixtures/FOLDER` (FOLDER may have several
/// parts: `lint/fix`).
pub fn temp_copy(folder: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&fixtures().join(folder), dir.path());
    dir
}

/// Copies the folder `from`, with everything below it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the folder");
    for entry in std::fs::read_dir(from).expect("read the fixture folder") {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a fixture entry's type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a fixture file");
        }
    }
}
