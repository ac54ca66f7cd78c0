//! The one way iisconf writes a file: [`write_files`]. Every command and the library's
//! commits go through it, so each write is atomic, never loses another writer's change, and
//! keeps what the file was (owner, group, mode, symbolic link).
//!
//! A write of several files, in order:
//! 1. **Lock** each file ([`FileLock`]: `.NAME.iisconf-lock` beside it, an advisory lock the
//!    system releases if the writer dies). A caller that reads, edits and writes holds a
//!    [`WriteGuard`] from before the read; the write then shares its locks.
//! 2. **Look** at each file: through symbolic links to the file they point to; refused if
//!    this process may not write it (even when the folder is its own), if it is read-only,
//!    or if it has other hard links (unless the options allow splitting them). Temporary
//!    files that killed writers left beside it are removed and reported.
//! 3. **Write** the new contents to temporary files beside their targets, created with the
//!    target's owner, group and at most its mode from the start, and synced.
//! 4. **Compare** each file with what the writer read ([`Expected`]), byte for byte, and its
//!    identity (device, inode, size, modification time) before and after: a change by any
//!    program since the read refuses the whole write, and nothing is written.
//! 5. **Back up** each replaced file: a hard link to it under the backup name (no copy, no
//!    space, the old bytes exactly), or where that cannot be (another file system) a copy
//!    written to a temporary name, synced, then renamed. A backup is never left when the
//!    write fails.
//! 6. **Rename** each temporary file over its target (the real file, in its own folder, so a
//!    symbolic link stays a link) and sync the folder.

mod lock;
mod target;
mod temp;

pub use lock::{lock_path, FileLock, Holder, LockError, WriteGuard, DEFAULT_LOCK_TIMEOUT};
pub use target::Expected;
pub use temp::{temp_path, TempFile};

use std::path::{Path, PathBuf};
use std::time::Duration;
use target::{Identity, Snapshot};

/// The folder a file is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file `path` names, through every symbolic link, as an absolute path; for a file that
/// does not exist yet, its folder resolved and its name. A link that points nowhere gives
/// the path it points to (where the file would be created).
pub fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = std::path::absolute(path)?;
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = std::fs::read_link(&current)?;
                current = if to.is_absolute() {
                    to
                } else {
                    folder_of(&current).join(to)
                };
            }
            Ok(_) => return std::fs::canonicalize(&current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let folder = folder_of(&current);
                let name = current.file_name().map(|n| n.to_os_string());
                return Ok(match (std::fs::canonicalize(&folder), name) {
                    (Ok(folder), Some(name)) => folder.join(name),
                    _ => current,
                });
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Syncs the folder of `path`, so a rename in it is on disk (best effort: not every system
/// can sync a folder).
pub(crate) fn sync_folder(path: &Path) {
    if let Ok(dir) = std::fs::File::open(folder_of(path)) {
        let _ = dir.sync_all();
    }
}

/// `YYYYMMDDTHHMMSS.nnnnnnnnnZ` (UTC), for backup names and lock files.
pub fn timestamp() -> String {
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

/// Where the backup copy of a replaced file goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Backup {
    /// No backup.
    None,
    /// Beside the file (beside the link, for a file reached through one), as
    /// `NAME.iisconf-backup-TIME`; in a git work tree, in [`GIT_BACKUP_FOLDER`] beside it,
    /// which git ignores.
    #[default]
    Beside,
    /// In this folder (created if needed), as `NAME.iisconf-backup-TIME`.
    Folder(PathBuf),
}

/// How [`write_files`] writes. Build it from the default:
///
/// ```
/// use iisconf_core::atomic_file::WriteOptions;
/// use std::time::Duration;
/// let options = WriteOptions::default().no_backup(true).lock_timeout(Duration::from_secs(30));
/// assert_eq!(options.lock_timeout, Duration::from_secs(30));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Where backups go (beside each file by default).
    pub backup: Backup,
    /// How long to wait for another writer's lock ([`DEFAULT_LOCK_TIMEOUT`] by default).
    pub lock_timeout: Duration,
    /// Replace a file that has other hard links: this name gets the new contents and the
    /// other names keep the old ones. Off by default, when such a file is refused.
    pub break_hardlinks: bool,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions {
            backup: Backup::Beside,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            break_hardlinks: false,
        }
    }
}

impl WriteOptions {
    /// Keep no backup (`true`), or keep them beside each file (`false`).
    pub fn no_backup(mut self, no_backup: bool) -> WriteOptions {
        self.backup = if no_backup {
            Backup::None
        } else {
            Backup::Beside
        };
        self
    }

    /// Put backups in `folder`.
    pub fn backup_dir(mut self, folder: impl Into<PathBuf>) -> WriteOptions {
        self.backup = Backup::Folder(folder.into());
        self
    }

    /// Wait up to `timeout` for another writer's lock.
    pub fn lock_timeout(mut self, timeout: Duration) -> WriteOptions {
        self.lock_timeout = timeout;
        self
    }

    /// Allow replacing a file that has other hard links (see the field).
    pub fn break_hardlinks(mut self, allow: bool) -> WriteOptions {
        self.break_hardlinks = allow;
        self
    }
}

/// One file to write: where, what it must hold when it is replaced, and its new bytes.
#[derive(Clone, Debug)]
pub struct FileWrite<'a> {
    /// The file (a symbolic link is followed).
    pub path: PathBuf,
    /// What the writer read (or that it creates the file).
    pub expected: Expected<'a>,
    /// The new contents.
    pub bytes: std::borrow::Cow<'a, [u8]>,
}

/// A file [`write_files`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// The file, as the caller named it.
    pub path: PathBuf,
    /// Whether it was created.
    pub created: bool,
    /// The backup copy of the previous contents, if one was kept.
    pub backup: Option<PathBuf>,
    /// What the write found worth telling: a lock or temporary files left by a writer that
    /// was killed, the file a symbolic link led to.
    pub notes: Vec<String>,
}

/// Why nothing was written. Every error of [`write_files`] means no file was replaced,
/// but [`WriteError::Partial`].
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another writer holds a file's lock, or it cannot be taken.
    #[error("{0}; nothing was written")]
    Lock(#[from] LockError),
    /// A file is not what the writer read.
    #[error("{path}: the file changed on disk since it was read; nothing was written — re-run the command to apply the change to the new contents")]
    Changed {
        /// The file.
        path: String,
    },
    /// A file that was to be created exists.
    #[error("{path}: the file already exists; nothing was written")]
    Exists {
        /// The file.
        path: String,
    },
    /// A file or folder whose permission bits allow no writing.
    #[error("{path}: the {what} is read-only; nothing was written — make it writable (chmod u+w, or clear the read-only attribute) and re-run")]
    ReadOnly {
        /// The file or folder.
        path: String,
        /// `file` or `folder`.
        what: &'static str,
    },
    /// A file this process may not write (its owner, group or access list forbids it), even
    /// if it could replace it through its folder.
    #[error("{path}: you may not write this file ({source}); nothing was written — run as a user who may write it (its owner, or root)")]
    NotPermitted {
        /// The file.
        path: String,
        /// The error opening it for writing gave.
        source: std::io::Error,
    },
    /// A file with other hard links.
    #[error("{path}: the file has {links} hard links; replacing it would leave the other names with the old contents; nothing was written — edit the file through one name only, or allow breaking the links (--break-hardlinks)")]
    HardLinks {
        /// The file.
        path: String,
        /// How many names it has.
        links: u64,
    },
    /// The new file could not be given the old one's owner and group.
    #[error("{path}: cannot keep its owner ({owner}) on the new contents ({source}); nothing was written — run as its owner or as root")]
    Owner {
        /// The file.
        path: String,
        /// The owner it has.
        owner: String,
        /// The error.
        source: std::io::Error,
    },
    /// An I/O error before any file was replaced.
    #[error("{path}: {what}: {source}; nothing was written")]
    Io {
        /// The file.
        path: String,
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
    /// A rename failed after other files of the same write were replaced (they keep their
    /// backups).
    #[error("{path}: cannot replace the file: {source} (already replaced: {}; their backups are kept)", .replaced.join(", "))]
    Partial {
        /// The file that was not replaced.
        path: String,
        /// The files that were.
        replaced: Vec<String>,
        /// The error.
        source: std::io::Error,
    },
}

fn io_error(path: &Path, what: &str, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        what: what.to_string(),
        source,
    }
}

/// One file of a write, looked at.
struct Target<'w, 'a> {
    write: &'w FileWrite<'a>,
    real: PathBuf,
    before: Option<Snapshot>,
    notes: Vec<String>,
}

impl<'w, 'a> Target<'w, 'a> {
    fn look(write: &'w FileWrite<'a>, options: &WriteOptions) -> Result<Self, WriteError> {
        let path = &write.path;
        let shown = || path.display().to_string();
        let real = real_path(path).map_err(|e| io_error(path, "cannot resolve the file", e))?;
        let folder = folder_of(&real);
        let folder_meta = std::fs::metadata(&folder)
            .map_err(|e| io_error(&folder, "cannot open the folder", e))?;
        if folder_meta.permissions().readonly() {
            return Err(WriteError::ReadOnly {
                path: folder.display().to_string(),
                what: "folder",
            });
        }
        let before =
            Snapshot::take(&real).map_err(|e| io_error(path, "cannot read its metadata", e))?;
        let mut notes = Vec::new();
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            notes.push(format!(
                "{}: a symbolic link; wrote the file it points to, {}, and kept the link",
                shown(),
                real.display()
            ));
        }
        match (&before, write.expected) {
            (Some(_), Expected::Absent) => return Err(WriteError::Exists { path: shown() }),
            (None, Expected::Text { .. } | Expected::Bytes(_)) => {
                return Err(WriteError::Changed { path: shown() })
            }
            _ => {}
        }
        if let Some(snapshot) = &before {
            if snapshot.permissions.readonly() {
                return Err(WriteError::ReadOnly {
                    path: shown(),
                    what: "file",
                });
            }
            target::may_write(&real).map_err(|source| WriteError::NotPermitted {
                path: shown(),
                source,
            })?;
            // A backup linked by a write that was killed before its rename is a name of
            // this file too, and not one to keep in step.
            let backups = match snapshot.links {
                1 => Vec::new(),
                _ => target::own_backups(&real, &backup_folders(path, options)),
            };
            let links = snapshot.links - backups.len() as u64;
            for backup in &backups {
                notes.push(format!(
                    "{} is the backup of a write that was interrupted before it replaced {}; kept",
                    backup.display(),
                    shown()
                ));
            }
            if links > 1 {
                if !options.break_hardlinks {
                    return Err(WriteError::HardLinks {
                        path: shown(),
                        links,
                    });
                }
                notes.push(format!(
                    "{}: had {links} hard links; this name has the new contents, the others keep the old",
                    shown()
                ));
            }
        }
        Ok(Target {
            write,
            real,
            before,
            notes,
        })
    }

    /// Removes what killed writers left beside the file (and in the backup folder).
    fn clean_leftovers(&mut self, backup_folder: Option<&Path>) {
        let name = self
            .real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut folders = vec![folder_of(&self.real)];
        if let Some(b) = backup_folder {
            folders.push(b.to_path_buf());
        }
        for folder in folders {
            for (path, pid) in target::remove_leftovers(&folder, &name) {
                self.notes.push(format!(
                    "removed {}, left by a write that was interrupted (process {pid})",
                    path.display()
                ));
            }
        }
    }

    fn temp_error(&self, e: temp::TempError) -> WriteError {
        match e {
            temp::TempError::Io(e) => {
                io_error(&folder_of(&self.real), "cannot write the temporary file", e)
            }
            temp::TempError::Owner(source) => WriteError::Owner {
                path: self.write.path.display().to_string(),
                owner: self
                    .before
                    .as_ref()
                    .map_or_else(String::new, Snapshot::owner),
                source,
            },
        }
    }
}

/// The folders a write of `path` puts backups in (where an interrupted write may have left
/// one).
fn backup_folders(path: &Path, options: &WriteOptions) -> Vec<PathBuf> {
    let mut folders = vec![folder_of(path), folder_of(path).join(GIT_BACKUP_FOLDER)];
    if let Backup::Folder(dir) = &options.backup {
        folders.push(dir.clone());
    }
    folders
}

/// The folder beside a file in a git work tree where its backups go, so they do not show as
/// changes: it holds a `.gitignore` of `*`, which git (and tools that read .gitignore)
/// honour without any setting of the repository's.
pub const GIT_BACKUP_FOLDER: &str = ".iisconf-backups";

/// Whether `folder` is inside a git work tree (it or a folder above has `.git`).
fn in_git_work_tree(folder: &Path) -> bool {
    std::path::absolute(folder).is_ok_and(|abs| abs.ancestors().any(|d| d.join(".git").exists()))
}

/// Where [`Backup::Beside`] puts the backups of `path`: beside it, or in a git work tree in
/// [`GIT_BACKUP_FOLDER`] beside it (made, with its `.gitignore`, when needed).
fn beside_folder(path: &Path) -> Result<PathBuf, WriteError> {
    let folder = folder_of(path);
    if !in_git_work_tree(&folder) {
        return Ok(folder);
    }
    let backups = folder.join(GIT_BACKUP_FOLDER);
    let ignore = backups.join(".gitignore");
    if !ignore.exists() {
        std::fs::create_dir_all(&backups)
            .and_then(|()| {
                std::fs::write(
                    &ignore,
                    "# Backups iisconf kept of the files it replaced; git ignores this folder.\n*\n",
                )
            })
            .map_err(|e| io_error(&backups, "cannot create the backup folder", e))?;
    }
    Ok(backups)
}

/// The backup name for `path` in `folder`: `NAME.iisconf-backup-STAMP`, `-1`, `-2`… when
/// taken.
fn backup_candidates(path: &Path, folder: &Path, stamp: &str) -> impl Iterator<Item = PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".to_string());
    let folder = folder.to_path_buf();
    let stamp = stamp.to_string();
    (0..).map(move |n| match n {
        0 => folder.join(format!("{name}.iisconf-backup-{stamp}")),
        n => folder.join(format!("{name}.iisconf-backup-{stamp}-{n}")),
    })
}

/// A backup put in place, removed again if the write fails before its file is replaced.
struct PlacedBackup {
    path: PathBuf,
    keep: bool,
}

impl Drop for PlacedBackup {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The backup of one file, prepared before anything is replaced.
enum PreparedBackup {
    /// To be made as a hard link of the file itself, just before it is replaced.
    Link { folder: PathBuf },
    /// A copy already written and synced under a temporary name.
    Copy { temp: TempFile, folder: PathBuf },
}

impl PreparedBackup {
    /// Puts the backup of `real` (named after `shown`) in place under a name not taken.
    fn place(self, real: &Path, shown: &Path, stamp: &str) -> std::io::Result<PlacedBackup> {
        match self {
            PreparedBackup::Link { folder } => {
                for candidate in backup_candidates(shown, &folder, stamp) {
                    match std::fs::hard_link(real, &candidate) {
                        Ok(()) => {
                            sync_folder(&candidate);
                            return Ok(PlacedBackup {
                                path: candidate,
                                keep: false,
                            });
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                        Err(e) => return Err(e),
                    }
                }
                unreachable!("backup_candidates never ends")
            }
            PreparedBackup::Copy { temp, folder } => {
                let mut temp = Some(temp);
                for candidate in backup_candidates(shown, &folder, stamp) {
                    let Some(t) = temp.take() else { break };
                    match std::fs::hard_link(t.path(), &candidate) {
                        Ok(()) => {
                            sync_folder(&candidate);
                            // The temporary name goes when `t` is dropped.
                            return Ok(PlacedBackup {
                                path: candidate,
                                keep: false,
                            });
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            temp = Some(t);
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(std::io::Error::other("no backup name is free"))
            }
        }
    }
}

/// Whether a hard link from `folder` to `real` can be made: the same file system.
fn same_file_system(real: &Path, folder: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(real), std::fs::metadata(folder)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (real, folder);
        false
    }
}

/// Writes every file of `files` as the module documentation describes: all of them, or
/// (but for [`WriteError::Partial`], a rename failing after others succeeded) none.
pub fn write_files(
    files: &[FileWrite<'_>],
    options: &WriteOptions,
) -> Result<Vec<Written>, WriteError> {
    // 1. Lock (re-entrant: a caller's guard over the same files is shared).
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let guard = WriteGuard::acquire(&paths, options.lock_timeout)?;
    let lock_notes = guard.notes();
    // 2. Look.
    let mut targets = files
        .iter()
        .map(|f| Target::look(f, options))
        .collect::<Result<Vec<_>, _>>()?;
    let backup_folder = match &options.backup {
        Backup::Folder(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error(dir, "cannot create the backup folder", e))?;
            Some(dir.clone())
        }
        _ => None,
    };
    for (i, t) in targets.iter_mut().enumerate() {
        t.clean_leftovers(backup_folder.as_deref());
        if i == 0 {
            t.notes.splice(0..0, lock_notes.iter().cloned());
        }
    }
    // 3. Backups that must be copies are written first: a full disk fails here, before
    //    anything else is written.
    let mut backups: Vec<Option<PreparedBackup>> = Vec::new();
    for t in &targets {
        let Some(before) = &t.before else {
            backups.push(None);
            continue;
        };
        let folder = match &options.backup {
            Backup::None => {
                backups.push(None);
                continue;
            }
            Backup::Beside => beside_folder(&t.write.path)?,
            Backup::Folder(dir) => dir.clone(),
        };
        if same_file_system(&t.real, &folder) {
            backups.push(Some(PreparedBackup::Link { folder }));
            continue;
        }
        let bytes = match t.write.expected.pieces() {
            Some((bom, body)) => [bom, &body[..]].concat(),
            None => std::fs::read(&t.real)
                .map_err(|e| io_error(&t.write.path, "cannot read the file to back it up", e))?,
        };
        let name = t.write.path.file_name().unwrap_or_default();
        let temp =
            TempFile::create(&folder.join(name), Some(before), &bytes).map_err(|e| match e {
                temp::TempError::Io(e) | temp::TempError::Owner(e) => {
                    io_error(&folder, "cannot write the backup copy", e)
                }
            })?;
        backups.push(Some(PreparedBackup::Copy { temp, folder }));
    }
    // 4. The new contents, beside their targets.
    let mut temps = Vec::new();
    for t in &targets {
        temps.push(
            TempFile::create(&t.real, t.before.as_ref(), &t.write.bytes)
                .map_err(|e| t.temp_error(e))?,
        );
    }
    // 5. Compare with what was read, then note each file's identity for the last look
    //    before its rename.
    let mut identities = Vec::new();
    for t in &targets {
        let holds = t
            .write
            .expected
            .holds(&t.real)
            .map_err(|e| io_error(&t.write.path, "cannot read the file to compare it", e))?;
        if !holds {
            return Err(match t.write.expected {
                Expected::Absent => WriteError::Exists {
                    path: t.write.path.display().to_string(),
                },
                _ => WriteError::Changed {
                    path: t.write.path.display().to_string(),
                },
            });
        }
        identities.push(Identity::at(&t.real));
    }
    // 6. Back up and replace, file by file.
    let stamp = timestamp();
    let mut written: Vec<Written> = Vec::new();
    for (((t, temp), backup), identity) in
        targets.into_iter().zip(temps).zip(backups).zip(identities)
    {
        let partial = |source: std::io::Error, written: &[Written]| {
            if written.is_empty() {
                io_error(&t.write.path, "cannot replace the file", source)
            } else {
                WriteError::Partial {
                    path: t.write.path.display().to_string(),
                    replaced: written
                        .iter()
                        .map(|w| w.path.display().to_string())
                        .collect(),
                    source,
                }
            }
        };
        if Identity::at(&t.real) != identity {
            if written.is_empty() {
                return Err(WriteError::Changed {
                    path: t.write.path.display().to_string(),
                });
            }
            return Err(partial(
                std::io::Error::other("the file changed on disk while it was written"),
                &written,
            ));
        }
        let backup =
            match backup {
                Some(b) => Some(b.place(&t.real, &t.write.path, &stamp).map_err(|e| {
                    match written.is_empty() {
                        true => io_error(&t.write.path, "cannot write the backup copy", e),
                        false => partial(e, &written),
                    }
                })?),
                None => None,
            };
        let created = t.before.is_none();
        let put = if created && matches!(t.write.expected, Expected::Absent) {
            temp.create_new()
        } else {
            temp.replace()
        };
        if let Err(e) = put {
            if created && e.kind() == std::io::ErrorKind::AlreadyExists && written.is_empty() {
                return Err(WriteError::Exists {
                    path: t.write.path.display().to_string(),
                });
            }
            return Err(partial(e, &written));
        }
        let backup_path = backup.map(|mut b| {
            b.keep = true;
            b.path.clone()
        });
        written.push(Written {
            path: t.write.path.clone(),
            created,
            backup: backup_path,
            notes: t.notes,
        });
    }
    drop(guard);
    Ok(written)
}

#[cfg(test)]
mod tests;
