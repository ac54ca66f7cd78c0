//! What a write guarantees, shown through the real binary under the faults that used to lose
//! changes: writers racing, another program editing or truncating the file while iisconf
//! works, a kill at each step of a write (strace's fault injection), a full disk, files
//! owned by others, symbolic and hard links. Each test says what it needs and prints a
//! `SKIP:` line when this machine lacks it (strace, root); `.ci/install-writes.sh` installs
//! strace and CI runs as root, so nothing skips there.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod fixture_dir;

const BIN: &str = env!("CARGO_BIN_EXE_iisconf");
const SITE: &str = "Default Web Site";

/// A copy of fixtures/example in a fresh folder that every user may enter.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = fixture_dir::temp_copy("example");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let apphost = dir.path().join("applicationHost.config");
    (dir, apphost)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn has_strace() -> bool {
    Command::new("strace")
        .arg("-V")
        .stdout(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `iisconf set SITE asp CHANGES… --commit apphost` in `dir`, plus `extra` options.
fn set_command(dir: &Path, changes: &[&str], extra: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("IISCONF_APPHOST")
        .env("NO_COLOR", "1")
        .args(["set", SITE, "system.webServer/asp"])
        .args(changes)
        .args(["--commit", "apphost"])
        .args(extra);
    cmd
}

/// The same command run under strace with `inject` (`-e inject=…`), output discarded.
fn under_strace(dir: &Path, inject: &str, changes: &[&str], extra: &[&str]) -> Command {
    let set = set_command(dir, changes, extra);
    let mut cmd = Command::new("strace");
    cmd.current_dir(dir)
        .env_remove("IISCONF_APPHOST")
        .env("NO_COLOR", "1")
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        // Injection acts on traced calls only: trace the ones injected.
        .arg(format!(
            "trace={}",
            inject.split(':').next().unwrap_or_default()
        ))
        .arg("-e")
        .arg(format!("inject={inject}"))
        .arg(set.get_program())
        .args(set.get_args());
    cmd
}

/// [`set_command`] run to its end: (exit code, stderr).
fn set_in(dir: &Path, changes: &[&str], extra: &[&str]) -> (i32, String) {
    text(&set_command(dir, changes, extra).output().unwrap())
}

/// Whether `path` is a symbolic link.
fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn text(out: &Output) -> (i32, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The file names in `dir` that hold `part`.
fn names_with(dir: &Path, part: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(part))
        .collect();
    names.sort();
    names
}

/// Waits until a file whose name holds `part` appears in `dir` (a writer reached that step).
fn wait_for(dir: &Path, part: &str, child: &mut Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if !names_with(dir, part).is_empty() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn racing_writers_lose_no_update() {
    let (dir, apphost) = example();
    for round in 0..15 {
        let max = format!("session.max={}", 2000 + round);
        let timeout = format!("session.timeout=00:{:02}:00", 10 + round);
        let a = set_command(dir.path(), &[&max], &["--no-backup"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let b = set_command(dir.path(), &[&timeout], &["--no-backup"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        for child in [a, b] {
            let (code, err) = text(&child.wait_with_output().unwrap());
            assert_eq!(code, 0, "round {round}: {err}");
        }
        let now = std::fs::read_to_string(&apphost).unwrap();
        assert!(
            now.contains(&format!("max=\"{}\"", 2000 + round))
                && now.contains(&format!("timeout=\"00:{:02}:00\"", 10 + round)),
            "round {round} lost an update:\n{now}"
        );
    }
    assert!(names_with(dir.path(), "iisconf-").is_empty());
}

#[test]
fn a_writer_that_cannot_wait_names_the_holder_and_writes_nothing() {
    if !has_strace() {
        println!("SKIP: strace is not installed (.ci/install-writes.sh installs it)");
        return;
    }
    let (dir, apphost) = example();
    // The first writer is slowed down at its fsync, holding the lock.
    let mut slow = under_strace(
        dir.path(),
        "fsync:delay_enter=1500000:when=1",
        &["session.max=3000"],
        &["--no-backup"],
    )
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    assert!(
        wait_for(dir.path(), "iisconf-tmp", &mut slow),
        "the writer did not start"
    );
    let before = std::fs::read(&apphost).unwrap();
    let (code, err) = set_in(
        dir.path(),
        &["session.timeout=00:30:00"],
        &["--lock-timeout", "200ms"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("another writer holds the lock (process "),
        "{err}"
    );
    assert!(
        err.contains("session.max=3000"),
        "the holder's command: {err}"
    );
    assert!(
        err.contains("--lock-timeout") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(std::fs::read(&apphost).unwrap(), before);
    let (code, err) = text(&slow.wait_with_output().unwrap());
    assert_eq!(code, 0, "{err}");
    // The same through appcmd's front door.
    let mut slow = under_strace(
        dir.path(),
        "fsync:delay_enter=1500000:when=1",
        &["session.max=3001"],
        &["--no-backup"],
    )
    .spawn()
    .unwrap();
    assert!(wait_for(dir.path(), "iisconf-tmp", &mut slow));
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .args([
            "appcmd",
            "set",
            "config",
            SITE,
            "-section:system.webServer/asp",
            "/session.timeout:00:31:00",
            "/commit:apphost",
            "--lock-timeout",
            "0",
        ])
        .output()
        .unwrap();
    let (code, err) = text(&out);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("ERROR ( message:applicationHost.config: another writer holds the lock"),
        "{err}"
    );
    slow.wait().unwrap();
}

/// A file of at least 2 MiB (the size that used to be memory-mapped): the example with a
/// long comment.
fn large_example() -> (tempfile::TempDir, PathBuf) {
    let (dir, apphost) = example();
    let text = std::fs::read_to_string(&apphost).unwrap();
    let padding = format!("<!-- {} -->\n<configuration>", "padding ".repeat(300_000));
    std::fs::write(&apphost, text.replacen("<configuration>", &padding, 1)).unwrap();
    assert!(std::fs::metadata(&apphost).unwrap().len() > 2 << 20);
    (dir, apphost)
}

#[test]
fn an_in_place_edit_during_a_slow_write_is_refused_not_lost() {
    if !has_strace() {
        println!("SKIP: strace is not installed (.ci/install-writes.sh installs it)");
        return;
    }
    let (dir, apphost) = large_example();
    std::fs::set_permissions(&apphost, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut slow = under_strace(
        dir.path(),
        "fsync:delay_enter=1500000:when=1",
        &["session.max=4000"],
        &[],
    )
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    assert!(
        wait_for(dir.path(), "iisconf-tmp", &mut slow),
        "the writer did not start"
    );
    // While the writer waits, its temporary file is no more readable than the file.
    for name in names_with(dir.path(), "iisconf-tmp") {
        let mode = std::fs::metadata(dir.path().join(&name)).unwrap().mode();
        assert_eq!(mode & 0o077, 0, "{name} has mode {mode:o}");
    }
    // Another program edits the file in place: same length, same inode.
    let mut edited = std::fs::read(&apphost).unwrap();
    let at = edited.windows(7).position(|w| w == b"*:80:\" ").unwrap();
    edited[at + 2] = b'9';
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&apphost)
            .unwrap();
        f.seek(SeekFrom::Start(at as u64 + 2)).unwrap();
        f.write_all(b"9").unwrap();
    }
    let (code, err) = text(&slow.wait_with_output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("changed on disk since it was read; nothing was written"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&apphost).unwrap(),
        edited,
        "the other edit is kept"
    );
    assert!(names_with(dir.path(), "iisconf-").is_empty());
}

#[test]
fn a_file_truncated_while_it_is_read_is_an_error_not_a_signal() {
    use std::os::unix::process::ExitStatusExt;
    let (dir, apphost) = large_example();
    let whole = std::fs::read(&apphost).unwrap();
    for round in 0..12 {
        std::fs::write(&apphost, &whole).unwrap();
        let child = set_command(dir.path(), &["session.max=5000"], &["--no-backup"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(2 * round));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&apphost)
            .unwrap()
            .set_len(whole.len() as u64 / 3)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let (code, err) = text(&out);
        assert_eq!(
            out.status.signal(),
            None,
            "round {round}: killed by a signal: {err}"
        );
        assert!(matches!(code, 0 | 2), "round {round}: exit {code}: {err}");
        if code == 2 {
            // Cut before it was read: not well-formed where the cut is, or changed on disk.
            assert!(
                err.contains("applicationHost.config:") || err.contains("changed on disk"),
                "round {round}: {err}"
            );
        }
    }
}

#[test]
fn a_kill_at_any_step_leaves_the_old_file_and_the_next_write_cleans_up() {
    if !has_strace() {
        println!("SKIP: strace is not installed (.ci/install-writes.sh installs it)");
        return;
    }
    // The steps of a write, in order: the lock file's holder line (write 1), the new
    // contents (write 2), their fsync, the backup's hard link, the rename.
    let steps = [
        ("write:signal=KILL:when=1", "while taking the lock"),
        (
            "write:signal=KILL:when=2",
            "while writing the temporary file",
        ),
        (
            "fsync:signal=KILL:when=1",
            "before the temporary file is synced",
        ),
        (
            "linkat,link:signal=KILL:when=1",
            "before the backup is linked",
        ),
        (
            "rename,renameat,renameat2:signal=KILL:when=1",
            "before the rename",
        ),
    ];
    for (inject, when) in steps {
        let (dir, apphost) = example();
        let before = std::fs::read(&apphost).unwrap();
        let out = under_strace(dir.path(), inject, &["session.max=6000"], &[])
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(0),
            "{when}: the kill did not happen"
        );
        assert_eq!(
            std::fs::read(&apphost).unwrap(),
            before,
            "{when}: the file changed"
        );
        // A backup is a hard link of the old file: whole, or not there.
        for name in names_with(dir.path(), "iisconf-backup") {
            assert_eq!(
                std::fs::read(dir.path().join(&name)).unwrap(),
                before,
                "{when}"
            );
        }
        // The next write goes through, removes what the killed one left and says so.
        let (code, err) = set_in(dir.path(), &["session.max=6001"], &[]);
        assert_eq!(code, 0, "{when}: {err}");
        assert!(std::fs::read_to_string(&apphost)
            .unwrap()
            .contains("max=\"6001\""));
        // Killed before it wrote its name into the lock file, a writer leaves nothing to
        // report; later, its lock and its temporary file are taken over and removed.
        if when != "while taking the lock" {
            assert!(
                err.contains("took over the lock left by process"),
                "{when}: {err}"
            );
            assert!(
                err.contains("left by a write that was interrupted"),
                "{when}: {err}"
            );
        }
        assert_eq!(
            names_with(dir.path(), "iisconf-tmp"),
            Vec::<String>::new(),
            "{when}"
        );
        assert!(names_with(dir.path(), "iisconf-lock").is_empty(), "{when}");
    }
}

/// A tmpfs of `kib` KiB mounted on a fresh folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left of it.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.path().join("filler")).unwrap();
        let chunk = vec![b'x'; 4096];
        use std::io::Write;
        while f.write_all(&chunk).is_ok() {}
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_before_anything_is_written() {
    if !is_root() {
        println!("SKIP: mounting a small tmpfs needs root");
        return;
    }
    let Some(disk) = Tmpfs::mount(256) else {
        println!("SKIP: this machine cannot mount a tmpfs");
        return;
    };
    // The file's own disk is full: the temporary file cannot be written.
    let (_src, apphost) = example();
    let target = disk.path().join("applicationHost.config");
    std::fs::copy(&apphost, &target).unwrap();
    disk.fill();
    let before = std::fs::read(&target).unwrap();
    let (code, err) = set_in(disk.path(), &["session.max=7000"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert_eq!(names_with(disk.path(), "iisconf"), Vec::<String>::new());

    // The backup folder's disk is full: the copy fails first, and nothing is left of it.
    let Some(backups) = Tmpfs::mount(64) else {
        println!("SKIP: this machine cannot mount a second tmpfs");
        return;
    };
    backups.fill();
    let (dir, apphost) = example();
    let before = std::fs::read(&apphost).unwrap();
    let out = set_command(dir.path(), &["session.max=7001"], &[])
        .arg("--backup-dir")
        .arg(backups.path())
        .output()
        .unwrap();
    let (code, err) = text(&out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write the backup copy"), "{err}");
    assert_eq!(std::fs::read(&apphost).unwrap(), before);
    assert_eq!(
        names_with(backups.path(), "applicationHost"),
        Vec::<String>::new()
    );
    assert_eq!(names_with(dir.path(), "iisconf"), Vec::<String>::new());
}

#[test]
fn owner_group_and_mode_are_kept() {
    if !is_root() {
        println!("SKIP: giving a file to another user needs root");
        return;
    }
    // nobody:nogroup and root:adm, as the issue saw them come back root:root.
    for (uid, gid, mode) in [(65534, 65534, 0o640), (0, 4, 0o640), (0, 0, 0o600)] {
        let (dir, apphost) = example();
        std::os::unix::fs::chown(&apphost, Some(uid), Some(gid)).unwrap();
        std::fs::set_permissions(&apphost, std::fs::Permissions::from_mode(mode)).unwrap();
        let (code, err) = set_in(dir.path(), &["session.max=8000"], &[]);
        assert_eq!(code, 0, "{err}");
        let meta = std::fs::metadata(&apphost).unwrap();
        assert_eq!(
            (meta.uid(), meta.gid(), meta.mode() & 0o7777),
            (uid, gid, mode),
            "{uid}:{gid} {mode:o}"
        );
        assert!(std::fs::read_to_string(&apphost)
            .unwrap()
            .contains("max=\"8000\""));
    }
}

#[test]
fn a_user_who_may_not_write_the_file_is_refused_even_in_their_own_folder() {
    use std::os::unix::process::CommandExt;
    if !is_root() {
        println!("SKIP: running as another user needs root");
        return;
    }
    let (dir, apphost) = example();
    // The folder is nobody's; the file is root's, 0644.
    std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).unwrap();
    let before = std::fs::read(&apphost).unwrap();
    let out = set_command(dir.path(), &["session.max=9000"], &[])
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let (code, err) = text(&out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("you may not write this file"), "{err}");
    assert_eq!(std::fs::read(&apphost).unwrap(), before);
    assert_eq!(std::fs::metadata(&apphost).unwrap().uid(), 0);
    assert!(names_with(dir.path(), "iisconf").is_empty());
}

#[test]
fn a_symbolic_link_stays_a_link_to_the_shared_file() {
    let (dir, _) = example();
    // Shared configuration: the server's applicationHost.config links to a share.
    let share = tempfile::tempdir().unwrap();
    let shared = share.path().join("applicationHost.config");
    std::fs::rename(dir.path().join("applicationHost.config"), &shared).unwrap();
    let link = dir.path().join("applicationHost.config");
    std::os::unix::fs::symlink(&shared, &link).unwrap();
    let (code, err) = set_in(dir.path(), &["session.max=9100"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(is_link(&link));
    assert!(std::fs::read_to_string(&shared)
        .unwrap()
        .contains("max=\"9100\""));
    assert!(
        err.contains("a symbolic link; wrote the file it points to"),
        "{err}"
    );
    assert!(names_with(share.path(), "iisconf-tmp").is_empty());
    // transform --out and new --force through a link keep it too.
    let out_link = dir.path().join("out.config");
    std::os::unix::fs::symlink(&shared, &out_link).unwrap();
    let (code, err) = text(
        &Command::new(BIN)
            .current_dir(dir.path())
            .args(["new", "webconfig", "--out", "out.config", "--force"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(is_link(&out_link));
    assert!(std::fs::read_to_string(&shared)
        .unwrap()
        .contains("<system.webServer"));
}

#[test]
fn a_hard_linked_file_is_refused_unless_the_links_may_be_broken() {
    let (dir, apphost) = example();
    let other = dir.path().join("applicationHost.other-name.config");
    std::fs::hard_link(&apphost, &other).unwrap();
    let before = std::fs::read(&apphost).unwrap();
    let (code, err) = set_in(dir.path(), &["session.max=9200"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("has 2 hard links") && err.contains("--break-hardlinks"),
        "{err}"
    );
    assert_eq!(std::fs::read(&apphost).unwrap(), before);
    let (code, err) = set_in(
        dir.path(),
        &["session.max=9200"],
        &["--break-hardlinks", "--no-backup"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&apphost)
        .unwrap()
        .contains("max=\"9200\""));
    assert_eq!(
        std::fs::read(&other).unwrap(),
        before,
        "the other name keeps the old file"
    );
}

#[test]
fn a_backup_is_the_old_file_exactly() {
    let (dir, apphost) = example();
    let before = std::fs::read(&apphost).unwrap();
    let (code, err) = set_in(dir.path(), &["session.max=9300"], &[]);
    assert_eq!(code, 0, "{err}");
    let backups = names_with(dir.path(), "iisconf-backup");
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = dir.path().join(&backups[0]);
    assert_eq!(std::fs::read(&backup).unwrap(), before);
    assert!(err.contains(&backups[0]), "{err}");
    // The backup and the new file are separate files.
    assert_eq!(std::fs::metadata(&apphost).unwrap().nlink(), 1);
    assert_eq!(std::fs::metadata(&backup).unwrap().nlink(), 1);
}
