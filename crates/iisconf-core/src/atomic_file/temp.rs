//! A temporary file beside its target: created new (never over another file), with the
//! target's owner and at most its mode from the first byte, written and synced; removed
//! when dropped unless it was put in place.

use super::target::Snapshot;
use super::{folder_of, sync_folder};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The marker in every temporary file's name, followed by the writer's process id.
pub(crate) const TEMP_MARK: &str = ".iisconf-tmp-";

/// Why a temporary file could not be made.
#[derive(Debug)]
pub(crate) enum TempError {
    /// Creating, writing or syncing it.
    Io(std::io::Error),
    /// Giving it the target's owner and group.
    Owner(std::io::Error),
}

/// The temporary file names for `target`: `.NAME.iisconf-tmp-PID-N` in the same folder (the
/// same file system, so the final rename is atomic), N counting this process's files.
pub fn temp_path(target: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    folder_of(target).join(format!(".{name}{TEMP_MARK}{}-{n}", std::process::id()))
}

/// New contents written next to their target, not yet in place.
#[derive(Debug)]
pub struct TempFile {
    temp: PathBuf,
    target: PathBuf,
    placed: bool,
}

impl TempFile {
    /// Writes `bytes` to a new temporary file for `target` (which must already be the real
    /// path, see [`super::real_path`]) and syncs it. With `like`, the file gets its owner and
    /// group, and is created with no more than its mode. On error nothing is left behind.
    pub(crate) fn create(
        target: &Path,
        like: Option<&Snapshot>,
        bytes: &[u8],
    ) -> Result<TempFile, TempError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(like) = like {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(like.mode & 0o777);
        }
        let (temp, mut f) = loop {
            let temp = temp_path(target);
            match options.open(&temp) {
                Ok(f) => break (temp, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(TempError::Io(e)),
            }
        };
        let file = TempFile {
            temp,
            target: target.to_path_buf(),
            placed: false,
        };
        if let Some(like) = like {
            like.give_to(&f)?;
        }
        f.write_all(bytes).map_err(TempError::Io)?;
        f.sync_all().map_err(TempError::Io)?;
        Ok(file)
    }

    /// Writes `bytes` to a temporary file for `target` (through symbolic links: beside the
    /// file they point to), with the owner, group and mode of the file there now, and syncs
    /// it. On error nothing is left behind; the error is about the temporary file.
    pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<TempFile> {
        let real = super::real_path(target)?;
        let like = Snapshot::take(&real)?;
        TempFile::create(&real, like.as_ref(), bytes).map_err(|e| match e {
            TempError::Io(e) | TempError::Owner(e) => e,
        })
    }

    /// The temporary file.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The file it will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames it over the target, then syncs the folder. The error is about the target.
    pub fn replace(mut self) -> std::io::Result<()> {
        std::fs::rename(&self.temp, &self.target)?;
        self.placed = true;
        sync_folder(&self.target);
        Ok(())
    }

    /// Puts it in place only if the target does not exist (also when the target appears
    /// while writing): an error of kind `AlreadyExists` otherwise, and the target is left
    /// untouched. Where hard links are not supported it falls back to a rename.
    pub fn create_new(mut self) -> std::io::Result<()> {
        match std::fs::hard_link(&self.temp, &self.target) {
            Ok(()) => {
                sync_folder(&self.target);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => {
                std::fs::rename(&self.temp, &self.target)?;
                self.placed = true;
                sync_folder(&self.target);
                Ok(())
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        std::fs::write(&target, b"old").unwrap();
        let temp = TempFile::write(&target, b"new").unwrap();
        assert_eq!(std::fs::read(temp.path()).unwrap(), b"new");
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        temp.replace().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["a.config"]);
    }

    #[test]
    fn a_dropped_temporary_file_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        std::fs::write(&target, b"old").unwrap();
        drop(TempFile::write(&target, b"new").unwrap());
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.config"]);
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        TempFile::write(&target, b"one")
            .unwrap()
            .create_new()
            .unwrap();
        let err = TempFile::write(&target, b"two")
            .unwrap()
            .create_new()
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"one");
        assert_eq!(names(dir.path()), ["a.config"]);
    }

    #[test]
    fn names_the_temporary_file_next_to_its_target() {
        let name = temp_path(Path::new("dir/web.config"));
        let prefix = format!(".web.config.iisconf-tmp-{}-", std::process::id());
        assert_eq!(name.parent(), Some(Path::new("dir")));
        let file = name.file_name().unwrap().to_string_lossy().into_owned();
        assert!(file.starts_with(&prefix), "{file}");
        assert_ne!(temp_path(Path::new("dir/web.config")), name);
        assert_eq!(folder_of(Path::new("web.config")), Path::new("."));
    }

    #[cfg(unix)]
    #[test]
    fn the_temporary_file_never_has_more_than_the_targets_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("secret.config");
        std::fs::write(&target, b"password").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let temp = TempFile::write(&target, b"new").unwrap();
        let mode = std::fs::metadata(temp.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
