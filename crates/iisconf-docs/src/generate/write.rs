//! Writing generated files: atomically (a temporary file in the same folder, synced, then
//! renamed into place), and never over an existing file unless asked to.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a generated file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target exists and overwriting was not asked for.
    #[error("{}: the file already exists; pass --force to overwrite it", path.display())]
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
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| WriteError::Io { path: p, source }
    };
    if !overwrite && path.exists() {
        return Err(WriteError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{file_name}.iisconf-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        if overwrite {
            std::fs::rename(&tmp, path).map_err(io(path))
        } else {
            // A hard link fails if the target appeared meanwhile; fall back to a rename
            // where links are not supported.
            match std::fs::hard_link(&tmp, path) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&tmp);
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    Err(WriteError::Exists {
                        path: path.to_path_buf(),
                    })
                }
                Err(_) => std::fs::rename(&tmp, path).map_err(io(path)),
            }
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
