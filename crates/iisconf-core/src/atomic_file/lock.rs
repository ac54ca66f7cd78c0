//! Mutual exclusion between writers of one file: a lock file beside it
//! (`.NAME.iisconf-lock`), held with an advisory lock (`flock` on Unix, `LockFileEx` on
//! Windows) for as long as the writer reads, edits and writes.
//!
//! The lock file names its holder (process id, command, start time), so a writer that has
//! to wait or give up can say who it waits for. Because the operating system releases an
//! advisory lock when its process ends, a lock file left by a killed writer holds no lock:
//! the next writer takes it over at once and says so. A lock file is removed by its holder
//! before it is released; a waiter that locked a removed file (its inode no longer at the
//! lock's path) starts again, so two writers never both believe they hold it.
//!
//! Within one process a lock is re-entrant: a commit that locks the files it writes while
//! the caller already holds a [`WriteGuard`] on them shares the caller's lock.

use super::{real_path, timestamp};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a writer waits for another writer's lock unless told otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a waiting writer tries the lock again.
const POLL: Duration = Duration::from_millis(20);

/// Who holds (or held) a lock, as its lock file says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    /// The holder's process id.
    pub pid: Option<u32>,
    /// The holder's command line (shortened).
    pub command: String,
    /// When it took the lock (UTC, `YYYYMMDDTHHMMSS…Z`).
    pub since: String,
}

impl Holder {
    fn of_this_process() -> Holder {
        let mut command: String = std::env::args().collect::<Vec<_>>().join(" ");
        if command.chars().count() > 200 {
            command = command.chars().take(200).collect::<String>() + "…";
        }
        Holder {
            pid: Some(std::process::id()),
            command: command.replace(['\n', '\r'], " "),
            since: timestamp(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "pid {}\ncommand {}\nsince {}\n",
            self.pid.map_or(String::new(), |p| p.to_string()),
            self.command,
            self.since
        )
    }

    fn from_text(text: &str) -> Option<Holder> {
        let mut holder = Holder::default();
        for line in text.lines() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "pid" => holder.pid = value.trim().parse().ok(),
                "command" => holder.command = value.to_string(),
                "since" => holder.since = value.trim().to_string(),
                _ => {}
            }
        }
        holder.pid.map(|_| holder)
    }

    /// Whether the process is known to be gone (Unix systems with `/proc`); `false` when
    /// that cannot be told.
    pub fn is_gone(&self) -> bool {
        self.pid
            .is_some_and(|pid| !process_alive(pid).unwrap_or(true))
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "process {pid}")?,
            None => write!(f, "an unknown process")?,
        }
        if !self.command.is_empty() {
            write!(f, " ({})", self.command)?;
        }
        if !self.since.is_empty() {
            write!(f, ", since {}", self.since)?;
        }
        Ok(())
    }
}

/// Whether process `pid` runs: `None` where that cannot be told (no `/proc`).
pub(crate) fn process_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new("/proc").join(pid.to_string()).exists())
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another writer held the lock for the whole wait.
    #[error("{}: another writer holds the lock ({}; lock file {}); waited {:.1} s — let it finish, or allow a longer wait", path.display(), holder.as_ref().map_or("holder unknown".to_string(), |h| h.to_string()), lock_file.display(), waited.as_secs_f64())]
    Busy {
        /// The file being written.
        path: PathBuf,
        /// The lock file.
        lock_file: PathBuf,
        /// Who holds it, when its lock file says.
        holder: Option<Holder>,
        /// How long this writer waited.
        waited: Duration,
    },
    /// The lock file could not be created or locked.
    #[error("{}: cannot lock it for writing (lock file {}): {source}", path.display(), lock_file.display())]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The lock file.
        lock_file: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The lock file of `target` (already resolved through symbolic links).
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    super::folder_of(target).join(format!(".{name}.iisconf-lock"))
}

/// A lock this process holds: the open, locked lock file and how many [`FileLock`]s share
/// it.
struct Held {
    file: File,
    lock_file: PathBuf,
    users: usize,
}

/// The locks this process holds, by the real path of the file they guard.
fn held() -> &'static Mutex<HashMap<PathBuf, Held>> {
    static HELD: OnceLock<Mutex<HashMap<PathBuf, Held>>> = OnceLock::new();
    HELD.get_or_init(Default::default)
}

/// One file's write lock, held until dropped. See the module documentation.
#[derive(Debug)]
pub struct FileLock {
    target: PathBuf,
    lock_file: PathBuf,
    took_over: Option<Holder>,
}

impl FileLock {
    /// Locks `path` for writing (through symbolic links: the file they point to), waiting up
    /// to `timeout` for another writer to finish.
    pub fn acquire(path: &Path, timeout: Duration) -> Result<FileLock, LockError> {
        let target = real_path(path).map_err(|source| LockError::Io {
            path: path.to_path_buf(),
            lock_file: lock_path(path),
            source,
        })?;
        let lock_file = lock_path(&target);
        if let Ok(mut map) = held().lock() {
            if let Some(h) = map.get_mut(&target) {
                h.users += 1;
                return Ok(FileLock {
                    target,
                    lock_file,
                    took_over: None,
                });
            }
        }
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            lock_file: lock_file.clone(),
            source,
        };
        let started = Instant::now();
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_file)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if started.elapsed() >= timeout {
                        let mut text = String::new();
                        let _ = file.read_to_string(&mut text);
                        return Err(LockError::Busy {
                            path: path.to_path_buf(),
                            lock_file,
                            holder: Holder::from_text(&text),
                            waited: started.elapsed(),
                        });
                    }
                    drop(file);
                    std::thread::sleep(POLL.min(timeout.saturating_sub(started.elapsed())));
                    continue;
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            // Locked: but the file may have been removed (and another made) by the holder
            // this writer waited for.
            if !same_file(&file, &lock_file) {
                continue;
            }
            let mut previous = String::new();
            let _ = file.read_to_string(&mut previous);
            let took_over = Holder::from_text(&previous);
            // The holder's line is for messages only: a lock held without it (a full disk)
            // still excludes other writers, and the write itself reports the disk.
            let _ = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(Holder::of_this_process().to_text().as_bytes()))
                .and_then(|()| file.flush());
            if let Ok(mut map) = held().lock() {
                map.insert(
                    target.clone(),
                    Held {
                        file,
                        lock_file: lock_file.clone(),
                        users: 1,
                    },
                );
            }
            return Ok(FileLock {
                target,
                lock_file,
                took_over,
            });
        }
    }

    /// The file it guards (through symbolic links).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The lock file.
    pub fn lock_file(&self) -> &Path {
        &self.lock_file
    }

    /// The writer whose lock file this lock took over: a process that ended (killed, or
    /// crashed) while it held the lock.
    pub fn took_over(&self) -> Option<&Holder> {
        self.took_over.as_ref()
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let Ok(mut map) = held().lock() else {
            return;
        };
        let last = match map.get_mut(&self.target) {
            Some(h) => {
                h.users -= 1;
                h.users == 0
            }
            None => false,
        };
        if last {
            if let Some(h) = map.remove(&self.target) {
                // Removed first, then released: a waiter that locks the removed file sees
                // it is not at the path any more and starts again.
                let _ = std::fs::remove_file(&h.lock_file);
                drop(h.file);
            }
        }
    }
}

/// Whether the open `file` is the one at `path` now.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows does not remove a file that is open, so the path still names it.
        let _ = file;
        path.exists()
    }
}

/// The locks of every file a read–modify–write touches, held from before the read until
/// after the write. Locks are taken in the order of the files' real paths, so writers that
/// lock overlapping sets of files do not wait for each other in a circle.
///
/// ```no_run
/// use iisconf_core::atomic_file::{WriteGuard, DEFAULT_LOCK_TIMEOUT};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let guard = WriteGuard::acquire(&["applicationHost.config"], DEFAULT_LOCK_TIMEOUT)?;
/// // read the hierarchy, prepare a transaction, commit it: no other writer runs meanwhile
/// drop(guard);
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct WriteGuard {
    locks: Vec<FileLock>,
}

impl WriteGuard {
    /// Locks every file of `paths` (duplicates and paths naming one file through links
    /// count once), waiting up to `timeout` in all.
    pub fn acquire<P: AsRef<Path>>(
        paths: &[P],
        timeout: Duration,
    ) -> Result<WriteGuard, LockError> {
        let mut targets: Vec<(PathBuf, &Path)> = Vec::new();
        for p in paths {
            let p = p.as_ref();
            let real = real_path(p).map_err(|source| LockError::Io {
                path: p.to_path_buf(),
                lock_file: lock_path(p),
                source,
            })?;
            if !targets.iter().any(|(r, _)| *r == real) {
                targets.push((real, p));
            }
        }
        targets.sort();
        let started = Instant::now();
        let mut guard = WriteGuard::default();
        for (_, path) in targets {
            let left = timeout.saturating_sub(started.elapsed());
            guard.locks.push(FileLock::acquire(path, left)?);
        }
        Ok(guard)
    }

    /// The locks held.
    pub fn locks(&self) -> &[FileLock] {
        &self.locks
    }

    /// What taking the locks found worth saying: lock files taken over from writers that
    /// ended while they held them.
    pub fn notes(&self) -> Vec<String> {
        self.locks
            .iter()
            .filter_map(|l| {
                l.took_over().map(|h| {
                    format!(
                        "{}: took over the lock left by {h}, which ended without releasing it",
                        l.target().display()
                    )
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_in_another_process_waits_then_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        std::fs::write(&target, "<a/>").unwrap();
        let first = FileLock::acquire(&target, Duration::ZERO).unwrap();
        // Another open file description of the same lock file conflicts as another
        // process's would.
        let other = OpenOptions::new()
            .read(true)
            .write(true)
            .open(first.lock_file())
            .unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        let text = std::fs::read_to_string(first.lock_file()).unwrap();
        let holder = Holder::from_text(&text).unwrap();
        assert_eq!(holder.pid, Some(std::process::id()));
        drop(other);
        drop(first);
        assert!(!lock_path(&target).exists(), "the lock file is removed");
    }

    #[test]
    fn locks_are_reentrant_within_a_process() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        let guard = WriteGuard::acquire(&[&target, &target], Duration::ZERO).unwrap();
        assert_eq!(guard.locks().len(), 1);
        let again = FileLock::acquire(&target, Duration::ZERO).unwrap();
        drop(guard);
        assert!(lock_path(&target).exists(), "still held by the second user");
        drop(again);
        assert!(!lock_path(&target).exists());
    }

    #[test]
    fn a_lock_file_left_by_an_ended_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.config");
        let stale = Holder {
            pid: Some(u32::MAX - 1),
            command: "iisconf set".into(),
            since: "20260101T000000.000000000Z".into(),
        };
        std::fs::write(lock_path(&target), stale.to_text()).unwrap();
        let lock = FileLock::acquire(&target, Duration::ZERO).unwrap();
        assert_eq!(lock.took_over(), Some(&stale));
        assert!(stale.is_gone() || process_alive(0).is_none());
    }

    #[test]
    fn holders_read_back_from_their_text() {
        let h = Holder::of_this_process();
        assert_eq!(Holder::from_text(&h.to_text()), Some(h));
        assert_eq!(Holder::from_text(""), None);
    }
}
