//! Writing generated files through the workspace's one write path
//! (`iisconf_core::atomic_file`: locked, atomic, keeping owner, mode and links), and never
//! over an existing file unless asked to.

use iisconf_core::atomic_file::{self, Expected, FileWrite, WriteOptions};
use std::path::{Path, PathBuf};

/// Why a generated file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target exists and overwriting was not asked for.
    #[error("{}: the file already exists", path.display())]
    Exists {
        /// The target.
        path: PathBuf,
    },
    /// The write itself failed (see [`atomic_file::WriteError`]); nothing was written.
    #[error(transparent)]
    Write(atomic_file::WriteError),
}

/// Writes `bytes` to `path` atomically, without a backup. Without `overwrite`, an existing
/// file is an error and is left untouched (also when it appears while writing).
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    let exists = || WriteError::Exists {
        path: path.to_path_buf(),
    };
    if !overwrite && path.exists() {
        return Err(exists());
    }
    let file = FileWrite {
        path: path.to_path_buf(),
        expected: if overwrite {
            Expected::Anything
        } else {
            Expected::Absent
        },
        bytes: std::borrow::Cow::Borrowed(bytes),
    };
    match atomic_file::write_files(&[file], &WriteOptions::default().no_backup(true)) {
        Ok(_) => Ok(()),
        Err(atomic_file::WriteError::Exists { .. }) => Err(exists()),
        Err(e) => Err(WriteError::Write(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_then_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.config");
        write_atomic(&p, b"one", false).unwrap();
        assert!(matches!(
            write_atomic(&p, b"two", false),
            Err(WriteError::Exists { .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
