//! Tests of [`write_files`]: conflicts, backups, links, owner and mode, leftovers.

use super::*;
use std::borrow::Cow;

fn names(dir: &Path) -> Vec<String> {
    temp::tests::names(dir)
}

fn replace<'a>(path: &Path, old: &'a [u8], new: &'a [u8]) -> FileWrite<'a> {
    FileWrite {
        path: path.to_path_buf(),
        expected: Expected::Bytes(old),
        bytes: Cow::Borrowed(new),
    }
}

#[test]
fn replaces_with_a_backup_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"old").unwrap();
    let written = write_files(&[replace(&path, b"old", b"new")], &WriteOptions::default()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    let backup = written[0].backup.clone().unwrap();
    assert_eq!(std::fs::read(&backup).unwrap(), b"old");
    assert_eq!(names(dir.path()).len(), 2, "{:?}", names(dir.path()));
}

#[test]
fn a_file_that_changed_since_it_was_read_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"edited by someone else").unwrap();
    let err = write_files(&[replace(&path, b"old", b"new")], &WriteOptions::default()).unwrap_err();
    assert!(matches!(err, WriteError::Changed { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"edited by someone else");
    assert_eq!(names(dir.path()), ["a.config"]);
}

#[test]
fn a_second_file_that_changed_stops_the_first_too() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.config"), dir.path().join("b.config"));
    std::fs::write(&a, b"a").unwrap();
    std::fs::write(&b, b"changed").unwrap();
    let err = write_files(
        &[replace(&a, b"a", b"A"), replace(&b, b"b", b"B")],
        &WriteOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, WriteError::Changed { .. }), "{err}");
    assert_eq!(std::fs::read(&a).unwrap(), b"a");
    assert_eq!(names(dir.path()), ["a.config", "b.config"]);
}

#[test]
fn a_file_to_create_that_appeared_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("web.config");
    std::fs::write(&path, b"theirs").unwrap();
    let write = FileWrite {
        path: path.clone(),
        expected: Expected::Absent,
        bytes: Cow::Borrowed(b"ours"),
    };
    let err = write_files(&[write], &WriteOptions::default()).unwrap_err();
    assert!(matches!(err, WriteError::Exists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"theirs");
}

#[test]
fn backups_go_to_the_backup_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"old").unwrap();
    let folder = dir.path().join("backups");
    let options = WriteOptions::default().backup_dir(&folder);
    let written = write_files(&[replace(&path, b"old", b"new")], &options).unwrap();
    let backup = written[0].backup.clone().unwrap();
    assert_eq!(backup.parent(), Some(folder.as_path()));
    assert_eq!(std::fs::read(&backup).unwrap(), b"old");
    let none = write_files(
        &[replace(&path, b"new", b"newer")],
        &WriteOptions::default().no_backup(true),
    )
    .unwrap();
    assert_eq!(none[0].backup, None);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_kept_and_its_file_written() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let real = shared.join("applicationHost.config");
    std::fs::write(&real, b"old").unwrap();
    let link = dir.path().join("applicationHost.config");
    std::os::unix::fs::symlink("shared/applicationHost.config", &link).unwrap();
    let written = write_files(
        &[replace(&link, b"old", b"new")],
        &WriteOptions::default().no_backup(true),
    )
    .unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&real).unwrap(), b"new");
    assert!(written[0].notes.iter().any(|n| n.contains("symbolic link")));
    assert_eq!(names(&shared), ["applicationHost.config"]);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_file_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    let other = dir.path().join("b.config");
    std::fs::write(&path, b"old").unwrap();
    std::fs::hard_link(&path, &other).unwrap();
    let err = write_files(&[replace(&path, b"old", b"new")], &WriteOptions::default()).unwrap_err();
    assert!(
        matches!(err, WriteError::HardLinks { links: 2, .. }),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    let options = WriteOptions::default()
        .break_hardlinks(true)
        .no_backup(true);
    let written = write_files(&[replace(&path, b"old", b"new")], &options).unwrap();
    assert!(written[0].notes.iter().any(|n| n.contains("hard links")));
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    assert_eq!(std::fs::read(&other).unwrap(), b"old");
}

#[cfg(unix)]
#[test]
fn mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_files(&[replace(&path, b"old", b"new")], &WriteOptions::default()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o640);
}

#[test]
fn leftovers_of_a_killed_writer_are_removed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"old").unwrap();
    let gone = u32::MAX - 1;
    let leftover = dir.path().join(format!(".a.config.iisconf-tmp-{gone}-0"));
    std::fs::write(&leftover, b"partial").unwrap();
    let written = write_files(
        &[replace(&path, b"old", b"new")],
        &WriteOptions::default().no_backup(true),
    )
    .unwrap();
    if lock::process_alive(std::process::id()).is_some() {
        assert!(!leftover.exists());
        assert!(
            written[0].notes.iter().any(|n| n.contains("interrupted")),
            "{:?}",
            written[0].notes
        );
    }
}

#[test]
fn a_lock_held_elsewhere_times_out_naming_its_holder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.config");
    std::fs::write(&path, b"old").unwrap();
    // Another open file description of the lock file stands for another process.
    let lock = lock_path(&real_path(&path).unwrap());
    std::fs::write(
        &lock,
        "pid 4242\ncommand iisconf set\nsince 20260101T000000Z\n",
    )
    .unwrap();
    let other = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock)
        .unwrap();
    other.lock().unwrap();
    let options = WriteOptions::default().lock_timeout(Duration::from_millis(50));
    let err = write_files(&[replace(&path, b"old", b"new")], &options).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("process 4242 (iisconf set"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
}
