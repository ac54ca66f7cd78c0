//! What a write needs to know of the file it replaces: its identity, owner, mode and links
//! (a [`Snapshot`]), whether it still holds what the writer read ([`Expected`]), and the
//! temporary files an interrupted writer left beside it.

use super::temp::TEMP_MARK;
use iisconf_xml::TextEncoding;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What the file to replace must hold when it is replaced: what the writer read.
#[derive(Clone, Copy, Debug)]
pub enum Expected<'a> {
    /// The file must not exist (the writer creates it).
    Absent,
    /// Decoded text (no byte-order mark) and the encoding it was read in: the file must hold
    /// exactly these bytes.
    Text {
        /// The text.
        text: &'a str,
        /// Its encoding on disk.
        encoding: TextEncoding,
    },
    /// The file must hold exactly these bytes.
    Bytes(&'a [u8]),
    /// Whatever the file holds, or no file (an output the caller overwrites on purpose).
    Anything,
}

impl Expected<'_> {
    /// The bytes, for the forms that have them (a byte-order mark and the encoded text).
    pub(crate) fn pieces(&self) -> Option<(&'static [u8], std::borrow::Cow<'_, [u8]>)> {
        match *self {
            Expected::Text { text, encoding } => Some(match encoding {
                TextEncoding::Utf8 { bom } => {
                    let bom: &'static [u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
                    (bom, std::borrow::Cow::Borrowed(text.as_bytes()))
                }
                other => (b"", std::borrow::Cow::Owned(other.encode(text))),
            }),
            Expected::Bytes(bytes) => Some((b"", std::borrow::Cow::Borrowed(bytes))),
            Expected::Absent | Expected::Anything => None,
        }
    }

    /// Whether the file at `path` holds what is expected now. With bytes to compare, the
    /// file is read piece by piece (a large file is not read into memory a second time) and
    /// its identity is taken before the read and checked after it, so a change made while
    /// it is compared is seen too.
    pub(crate) fn holds(&self, path: &Path) -> std::io::Result<bool> {
        let Some((bom, body)) = self.pieces() else {
            return Ok(match self {
                Expected::Absent => matches!(std::fs::symlink_metadata(path),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound),
                _ => true,
            });
        };
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        let before = Identity::of(&file.metadata()?);
        if before.len != (bom.len() + body.len()) as u64 {
            return Ok(false);
        }
        let mut start = vec![0u8; bom.len()];
        if file.read_exact(&mut start).is_err() || start != bom {
            return Ok(false);
        }
        let mut buf = vec![0u8; (1 << 20).min(body.len().max(1))];
        let mut offset = 0;
        while offset < body.len() {
            let n = file.read(&mut buf)?;
            if n == 0 || body.get(offset..offset + n) != buf.get(..n) {
                return Ok(false);
            }
            offset += n;
        }
        if file.read(&mut buf)? != 0 {
            return Ok(false);
        }
        Ok(Identity::at(path).as_ref() == Some(&before))
    }
}

/// A file's identity, size and modification time: when two readings agree, nothing
/// replaced, truncated or (as far as the clock tells) rewrote it in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Identity {
    pub(crate) fn of(meta: &std::fs::Metadata) -> Identity {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Identity {
            dev,
            ino,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }

    /// Whether both are the same file (device and inode), whatever its size and time.
    pub(crate) fn same_file(&self, other: &Identity) -> bool {
        cfg!(unix) && (self.dev, self.ino) == (other.dev, other.ino)
    }

    /// The identity of the file at `path` now (`None`: no file).
    pub(crate) fn at(path: &Path) -> Option<Identity> {
        std::fs::metadata(path).ok().map(|m| Identity::of(&m))
    }
}

/// The file a write replaces, as it is before the write.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub(crate) permissions: std::fs::Permissions,
    /// Unix mode bits (type bits removed).
    #[cfg(unix)]
    pub(crate) mode: u32,
    #[cfg(unix)]
    pub(crate) uid: u32,
    #[cfg(unix)]
    pub(crate) gid: u32,
    /// How many names the file has.
    pub(crate) links: u64,
}

impl Snapshot {
    /// The file at `real` (already resolved through links), or `None` when there is none.
    pub(crate) fn take(real: &Path) -> std::io::Result<Option<Snapshot>> {
        let meta = match std::fs::metadata(real) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(Some(Snapshot {
                permissions: meta.permissions(),
                mode: meta.mode() & 0o7777,
                uid: meta.uid(),
                gid: meta.gid(),
                links: meta.nlink(),
            }))
        }
        #[cfg(not(unix))]
        {
            Ok(Some(Snapshot {
                permissions: meta.permissions(),
                links: 1,
            }))
        }
    }

    /// Gives the open (new) file `f` this file's owner, group and mode. The owner first:
    /// changing it clears set-id bits, which the mode then restores.
    pub(crate) fn give_to(&self, f: &File) -> Result<(), super::temp::TempError> {
        use super::temp::TempError;
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let now = f.metadata().map_err(TempError::Io)?;
            if (now.uid(), now.gid()) != (self.uid, self.gid) {
                std::os::unix::fs::fchown(f, Some(self.uid), Some(self.gid))
                    .map_err(TempError::Owner)?;
            }
            f.set_permissions(std::fs::Permissions::from_mode(self.mode))
                .map_err(TempError::Io)
        }
        #[cfg(not(unix))]
        {
            f.set_permissions(self.permissions.clone())
                .map_err(TempError::Io)
        }
    }

    /// `uid:gid` for messages.
    pub(crate) fn owner(&self) -> String {
        #[cfg(unix)]
        {
            format!("uid {}, gid {}", self.uid, self.gid)
        }
        #[cfg(not(unix))]
        {
            String::from("its owner")
        }
    }
}

/// Whether this process may write the file at `real`: opening it for writing (nothing is
/// written) asks the operating system, which knows owners, groups and access lists.
pub(crate) fn may_write(real: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().write(true).open(real).map(drop)
}

/// The backups (`NAME.iisconf-backup-…`) in `folders` that are hard links of the file at
/// `real`: what a write killed between linking its backup and its rename leaves.
pub(crate) fn own_backups(real: &Path, folders: &[PathBuf]) -> Vec<PathBuf> {
    let Some(file) = Identity::at(real) else {
        return Vec::new();
    };
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!("{name}.iisconf-backup-");
    let mut found = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with(&prefix)
                && Identity::at(&path).is_some_and(|i| i.same_file(&file))
                && !found.contains(&path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Removes the temporary files that writers of `name` killed before they finished left in
/// `folder`: files named `.NAME…iisconf-tmp-PID…` whose process is gone. Returns what it
/// removed (with the process id), for the writer to report. Called with the file's lock
/// held, so no live writer of this version is writing them.
pub(crate) fn remove_leftovers(folder: &Path, name: &str) -> Vec<(PathBuf, u32)> {
    let prefix = format!(".{name}.iisconf-");
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !file.starts_with(&prefix) {
            continue;
        }
        let Some(pid) = file
            .rsplit_once(TEMP_MARK)
            .and_then(|(_, rest)| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || super::lock::process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        if std::fs::remove_file(&path).is_ok() {
            removed.push((path, pid));
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_text_is_compared_with_its_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.config");
        std::fs::write(&path, b"\xEF\xBB\xBF<a/>").unwrap();
        let bom = Expected::Text {
            text: "<a/>",
            encoding: TextEncoding::Utf8 { bom: true },
        };
        let plain = Expected::Text {
            text: "<a/>",
            encoding: TextEncoding::Utf8 { bom: false },
        };
        assert!(bom.holds(&path).unwrap());
        assert!(!plain.holds(&path).unwrap());
        std::fs::write(&path, b"\xEF\xBB\xBF<b/>").unwrap();
        assert!(!bom.holds(&path).unwrap());
        assert!(!Expected::Absent.holds(&path).unwrap());
        assert!(Expected::Anything.holds(&path).unwrap());
        assert!(Expected::Absent.holds(&dir.path().join("none")).unwrap());
    }

    #[test]
    fn leftovers_of_ended_processes_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let gone = u32::MAX - 1;
        let mine = std::process::id();
        for name in [
            format!(".a.config.iisconf-tmp-{gone}"),
            format!(".a.config.iisconf-tmp-{gone}-3"),
            format!(".a.config.iisconf-backup-x.iisconf-tmp-{gone}-0"),
            format!(".a.config.iisconf-tmp-{mine}-0"),
            format!(".b.config.iisconf-tmp-{gone}-0"),
            ".a.config.iisconf-lock".to_string(),
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = remove_leftovers(dir.path(), "a.config");
        if super::super::lock::process_alive(mine).is_none() {
            return;
        }
        assert_eq!(removed.len(), 3, "{removed:?}");
        assert!(removed.iter().all(|(_, pid)| *pid == gone));
        let left = super::super::temp::tests::names(dir.path());
        assert_eq!(left.len(), 3, "{left:?}");
    }
}
