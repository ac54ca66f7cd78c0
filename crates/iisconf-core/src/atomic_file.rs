//! Writing a file atomically: the bytes go to a temporary file in the target's folder,
//! synced to disk, then are put in place with one rename (or one hard link when the target
//! must not exist yet), so a reader sees the old contents or the new, never a part.
//!
//! A [`TempFile`] that is not put in place is removed when it is dropped, so an error on
//! any path leaves no temporary file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder a file is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary file for `target`: `.NAME.iisconf-tmp-PID` in the same folder (the same
/// file system, so the final rename is atomic).
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    folder_of(target).join(format!(".{name}.iisconf-tmp-{}", std::process::id()))
}

/// New contents written next to their target, not yet in place.
#[derive(Debug)]
pub struct TempFile {
    temp: PathBuf,
    target: PathBuf,
    placed: bool,
}

impl TempFile {
    /// Writes `bytes` to [`temp_path`]`(target)` (replacing a stale one), with the
    /// permissions of `target` when it exists, and syncs it. On error nothing is left
    /// behind; the error is about the temporary file.
    pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<TempFile> {
        let file = TempFile {
            temp: temp_path(target),
            target: target.to_path_buf(),
            placed: false,
        };
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&file.temp)?;
        f.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(target) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        Ok(file)
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
    pub fn replace(self) -> std::io::Result<()> {
        self.replace_with(|from, to| std::fs::rename(from, to))
    }

    /// As [`TempFile::replace`], with `rename` putting the file in place (a test can
    /// simulate a crash between the write and the rename).
    pub fn replace_with(
        mut self,
        rename: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        rename(&self.temp, &self.target)?;
        self.placed = true;
        if let Ok(dir) = std::fs::File::open(folder_of(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Puts it in place only if the target does not exist (also when the target appears
    /// while writing): an error of kind `AlreadyExists` otherwise, and the target is left
    /// untouched. Where hard links are not supported it falls back to a rename.
    pub fn create_new(mut self) -> std::io::Result<()> {
        match std::fs::hard_link(&self.temp, &self.target) {
            Ok(()) => {
                if let Ok(dir) = std::fs::File::open(folder_of(&self.target)) {
                    let _ = dir.sync_all();
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => {
                std::fs::rename(&self.temp, &self.target)?;
                self.placed = true;
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
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
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
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        std::fs::write(&target, b"old").unwrap();
        let temp = TempFile::write(&target, b"new").unwrap();
        let err = temp
            .replace_with(|_, _| Err(std::io::Error::other("crash")))
            .unwrap_err();
        assert_eq!(err.to_string(), "crash");
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
        assert_eq!(
            temp_path(Path::new("dir/web.config")),
            Path::new("dir").join(format!(".web.config.iisconf-tmp-{}", std::process::id()))
        );
        assert_eq!(folder_of(Path::new("web.config")), Path::new("."));
    }
}
