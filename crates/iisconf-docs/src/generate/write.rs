//! Writing generated files: atomically (through `iisconf_core::atomic_file`), and never over
//! an existing file unless asked to.

use iisconf_core::atomic_file::{temp_path, TempFile};
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
    /// An I/O error.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` atomically. Without `overwrite`, an existing file is an error
/// and is left untouched (also when it appears while writing).
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    let exists = || WriteError::Exists {
        path: path.to_path_buf(),
    };
    if !overwrite && path.exists() {
        return Err(exists());
    }
    let temp = TempFile::write(path, bytes).map_err(|source| WriteError::Io {
        path: temp_path(path),
        source,
    })?;
    let placed = if overwrite {
        temp.replace()
    } else {
        temp.create_new()
    };
    placed.map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists if !overwrite => exists(),
        _ => WriteError::Io {
            path: path.to_path_buf(),
            source,
        },
    })
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
