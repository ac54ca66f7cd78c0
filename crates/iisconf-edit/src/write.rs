//! Atomic writes: a temporary file in the same folder, fsync, a check that the original did
//! not change on disk since it was read, a backup copy, then a rename over the original.

use super::EditError;
use iisconf_core::atomic_file::{folder_of, TempFile};
use std::path::{Path, PathBuf};

/// How a commit writes files.
#[derive(Clone, Debug, Default)]
pub struct CommitOptions {
    /// Keep no backup copy of the files replaced.
    pub no_backup: bool,
    /// Where backups go; by default next to each file, as `<file>.iisconf-backup-<time>`.
    pub backup_dir: Option<PathBuf>,
    /// Test hook (only with the `test-hooks` feature): called instead of `std::fs::rename`
    /// to put a written file in place, so a failure between the temporary write and the
    /// rename can be simulated.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub rename: Option<fn(&Path, &Path) -> std::io::Result<()>>,
}

/// A file a commit wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Whether it was created.
    pub created: bool,
    /// The backup copy of the previous contents, if one was kept.
    pub backup: Option<PathBuf>,
}

/// One file to write: where, the bytes it had when read (`None`: a new file), the new bytes.
pub(super) struct Pending<'a> {
    pub path: PathBuf,
    pub original: Option<Original<'a>>,
    pub bytes: Vec<u8>,
}

/// What a file held when it was read.
pub(super) struct Original<'a> {
    /// The decoded text (no byte-order mark) and its encoding.
    pub text: &'a str,
    pub encoding: iisconf_xml::TextEncoding,
}

impl Original<'_> {
    /// Whether the file at `path` still holds exactly the bytes it had when read: compared
    /// piece by piece, so a large file is not read into memory a second time.
    fn still_in(&self, path: &Path) -> std::io::Result<bool> {
        use std::io::Read;
        let encoded;
        let (bom, body): (&[u8], &[u8]) = match self.encoding {
            iisconf_xml::TextEncoding::Utf8 { bom } => {
                let bom: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
                (bom, self.text.as_bytes())
            }
            other => {
                encoded = other.encode(self.text);
                (b"", &encoded)
            }
        };
        let mut file = std::fs::File::open(path)?;
        if file.metadata()?.len() != (bom.len() + body.len()) as u64 {
            return Ok(false);
        }
        let mut start = vec![0u8; bom.len()];
        file.read_exact(&mut start)?;
        if start != bom {
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
        Ok(file.read(&mut buf)? == 0)
    }
}

fn io(path: &Path, what: &str, source: std::io::Error) -> EditError {
    EditError::Io {
        path: path.display().to_string(),
        what: what.to_string(),
        source,
    }
}

/// Refuses read-only files and folders up front (the permission bits are checked even
/// for root, who could otherwise replace a read-only file silently).
fn check_writable(p: &Pending) -> Result<(), EditError> {
    let dir = folder_of(&p.path);
    let meta = std::fs::metadata(&dir).map_err(|e| io(&dir, "cannot open the folder", e))?;
    if meta.permissions().readonly() {
        return Err(EditError::ReadOnly {
            path: dir.display().to_string(),
            what: "folder",
        });
    }
    match std::fs::metadata(&p.path) {
        Ok(m) if m.permissions().readonly() => Err(EditError::ReadOnly {
            path: p.path.display().to_string(),
            what: "file",
        }),
        Ok(_) if p.original.is_none() => Err(EditError::Changed {
            path: p.path.display().to_string(),
        }),
        Err(_) if p.original.is_some() => Err(EditError::Changed {
            path: p.path.display().to_string(),
        }),
        _ => Ok(()),
    }
}

/// The file must still hold what was read (or still not exist).
fn check_unchanged(p: &Pending) -> Result<(), EditError> {
    let changed = || EditError::Changed {
        path: p.path.display().to_string(),
    };
    match &p.original {
        Some(orig) if orig.still_in(&p.path).unwrap_or(false) => Ok(()),
        None if matches!(std::fs::symlink_metadata(&p.path), Err(e) if e.kind() == std::io::ErrorKind::NotFound) => {
            Ok(())
        }
        _ => Err(changed()),
    }
}

fn write_temp(p: &Pending) -> Result<TempFile, EditError> {
    TempFile::write(&p.path, &p.bytes).map_err(|e| {
        io(
            &iisconf_core::atomic_file::temp_path(&p.path),
            "cannot write the temporary file",
            e,
        )
    })
}

/// `YYYYMMDDTHHMMSS.nnnnnnnnnZ` (UTC) for backup names.
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}.{:09}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_nanos()
    )
}

fn backup_path(path: &Path, dir: Option<&Path>, stamp: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".to_string());
    let dir = dir.map_or_else(|| folder_of(path), Path::to_path_buf);
    let mut candidate = dir.join(format!("{name}.iisconf-backup-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = dir.join(format!("{name}.iisconf-backup-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Writes every pending file atomically. Nothing is replaced unless every temporary file
/// was written and every original is unchanged on disk.
pub(super) fn write_all(
    pending: &[Pending],
    options: &CommitOptions,
) -> Result<Vec<Written>, EditError> {
    for p in pending {
        check_writable(p)?;
    }
    // A temporary file not put in place is removed when dropped, on every error path.
    let temps = pending
        .iter()
        .map(write_temp)
        .collect::<Result<Vec<TempFile>, EditError>>()?;
    for p in pending {
        check_unchanged(p)?;
    }
    let stamp = timestamp();
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    if let Some(dir) = &options.backup_dir {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, "cannot create the backup folder", e))?;
    }
    for p in pending {
        if options.no_backup || p.original.is_none() {
            backups.push(None);
            continue;
        }
        let target = backup_path(&p.path, options.backup_dir.as_deref(), &stamp);
        std::fs::copy(&p.path, &target)
            .map_err(|e| io(&target, "cannot write the backup copy", e))?;
        backups.push(Some(target));
    }
    #[cfg(feature = "test-hooks")]
    let rename = options.rename.unwrap_or(|a, b| std::fs::rename(a, b));
    #[cfg(not(feature = "test-hooks"))]
    let rename = |a: &Path, b: &Path| std::fs::rename(a, b);
    let mut written: Vec<Written> = Vec::new();
    for (i, (p, temp)) in pending.iter().zip(temps).enumerate() {
        if let Err(e) = temp.replace_with(rename) {
            let done: Vec<String> = written
                .iter()
                .map(|w| w.path.display().to_string())
                .collect();
            let mut err = io(&p.path, "cannot replace the file", e);
            if !done.is_empty() {
                if let EditError::Io { what, .. } = &mut err {
                    what.push_str(&format!(
                        " (already replaced: {}; their backups are kept)",
                        done.join(", ")
                    ));
                }
            }
            return Err(err);
        }
        written.push(Written {
            path: p.path.clone(),
            created: p.original.is_none(),
            backup: backups.get(i).cloned().flatten(),
        });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_look_right() {
        let t = super::timestamp();
        assert_eq!(t.len(), "20240101T000000.000000000Z".len());
        assert!(t.starts_with("20"));
    }
}
