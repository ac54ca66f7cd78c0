//! `iisconf sessions` as an administrator uses it, on captured outputs and snapshots:
//! durations counted from the capture, en-US dates, the SITE column and its order, and
//! terminate's selection (ids, --user, --client-ip, --idle-over) and refusals.

mod common;

use common::*;
use std::time::{Duration, SystemTime};

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sessions");

fn fixture(name: &str) -> String {
    format!("{FIX}/{name}")
}

fn stdout(args: &[&str]) -> String {
    let out = iisconf(args);
    assert!(
        out.status.success(),
        "iisconf {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The table row of session `id`.
fn row<'a>(table: &'a str, id: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == id))
        .unwrap_or_else(|| panic!("no row {id} in\n{table}"))
}

/// The cells of a table row (columns are separated by at least two spaces).
fn cells(row: &str) -> Vec<&str> {
    row.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn durations_count_from_the_given_capture_time() {
    let input = fixture("proftpd-ftpwho-1.3.8.json");
    let out = iisconf(&[
        "sessions",
        "list",
        "--input",
        &input,
        "--captured-at",
        "2026-11-21T05:28:55Z",
    ]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        row(&table, "12453"),
        "12453  alice            127.0.0.1  00:00:24       00:00:24  (idle)          0 B"
    );
    assert!(!table.contains("10d"), "{table}");
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains(
            "durations count from 2026-11-21T05:28:55Z (the capture time given with --captured-at)"
        ),
        "{note}"
    );
    // The en-US form is accepted too.
    let us = stdout(&[
        "sessions",
        "list",
        "--input",
        &input,
        "--captured-at",
        "11/21/2026 5:28:55 AM",
    ]);
    assert_eq!(us, table);
    let bad = iisconf(&[
        "sessions",
        "list",
        "--input",
        &input,
        "--captured-at",
        "soon",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn durations_count_from_the_file_modification_time() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("ftpwho.json");
    std::fs::copy(fixture("proftpd-ftpwho-1.3.8.json"), &copy).unwrap_or_else(|e| panic!("{e}"));
    let captured =
        humantime::parse_rfc3339("2026-11-21T05:31:31Z").unwrap_or_else(|e| panic!("{e}"));
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .and_then(|f| f.set_modified(captured))
        .unwrap_or_else(|e| panic!("{e}"));
    let path = copy.to_string_lossy().into_owned();
    let out = iisconf(&["sessions", "list", "--input", &path]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        row(&table, "12454").contains("00:03:00       00:03:00"),
        "{table}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("the file's modification time"));
    // Live data would count from now: the capture is days old, as it must not show.
    assert!(SystemTime::now() > captured + Duration::from_secs(3600));
}

#[test]
fn a_recorded_capture_time_wins() {
    let input = fixture("snapshot-en-us.xml");
    let out = iisconf(&[
        "sessions",
        "list",
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--captured-at",
        "2030-01-01T00:00:00Z",
    ]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    // capturedAt="11/20/2026 9:30:00 AM"; alice connected at 9:01, idle since 9:16.
    assert_eq!(
        cells(row(&table, "a1c2e3f4-0000-4b5a-8c9d-112233445566")).get(4..6),
        Some(&["00:29:00", "00:14:00"][..]),
        "{table}"
    );
    // bob connected at 12:10 AM, i.e. 00:10.
    assert_eq!(
        cells(row(&table, "22874")).get(4..6),
        Some(&["09:20:00", "00:35:00"][..]),
        "{table}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("the capture time the input records"));
}

#[test]
fn en_us_dates_in_the_table_and_json() {
    let input = fixture("snapshot-en-us.xml");
    let sessions = list_json(&["--provider", "snapshot", "--input", &input]);
    let alice = find(&sessions, |s| s["userName"] == "alice")
        .cloned()
        .unwrap_or_default();
    assert_eq!(alice["sessionStartTime"], "11/20/2026 9:01:00 AM");
    assert_eq!(alice["sessionStartTimeUtc"], "2026-11-20T09:01:00Z");
    assert_eq!(alice["commandStartTimeUtc"], "2026-11-20T09:16:00Z");
    let carol = find(&sessions, |s| s["userName"] == "CONTOSO\\carol")
        .cloned()
        .unwrap_or_default();
    assert_eq!(carol["sessionStartTime"], "20.11.2026 08:45:00");
    assert!(carol.get("sessionStartTimeUtc").is_none(), "{carol}");
    // RFC 3339 text gains no second copy.
    let plain = list_json(&[
        "--provider",
        "snapshot",
        "--input",
        &fixture("snapshot-ftp.example.com.json"),
    ]);
    assert!(plain.iter().all(|s| s.get("sessionStartTimeUtc").is_none()));

    let table = stdout(&[
        "sessions",
        "list",
        "--provider",
        "snapshot",
        "--input",
        &input,
    ]);
    let carol_row = row(&table, "b2d3e4f5-1111-4c6b-9d0e-223344556677");
    assert!(
        carol_row.contains("unreadable date \"20.11.2026 08:45:00\""),
        "{table}"
    );
}

#[test]
fn site_column_sorted_by_site_then_start() {
    let input = fixture("snapshot-ftp.example.com.json");
    let table = stdout(&[
        "sessions",
        "list",
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--captured-at",
        "2026-11-20T09:30:00Z",
    ]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines
            .first()
            .is_some_and(|h| h.starts_with("SITE             ID ")),
        "{table}"
    );
    let order: Vec<&str> = lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        order,
        [
            "0f3b9e12-77aa-4d1c-b2c3-5e6f7a8b9c00",
            "6d8f2a7c-1b3e-4c55-9a0e-2f7b8c9d0e11",
            "a1c2e3f4-0000-4b5a-8c9d-112233445566",
        ],
        "{table}"
    );
    assert!(lines
        .get(1)
        .is_some_and(|l| l.starts_with("ftp.example.com  ")));
    assert!(lines
        .get(3)
        .is_some_and(|l| l.starts_with("intranet-ftp     ")));
    // One site: no SITE column.
    let one = stdout(&[
        "sessions",
        "list",
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--site",
        "intranet-ftp",
    ]);
    assert!(one.starts_with("ID "), "{one}");
}

#[test]
fn pure_ftpd_rows_show_connected_time() {
    for name in ["pureftpd-ftpwho-1.0.50.xml", "pureftpd-ftpwho-1.0.50-s.txt"] {
        let table = stdout(&[
            "sessions",
            "list",
            "--provider",
            "pure-ftpd",
            "--input",
            &fixture(name),
            "--captured-at",
            "2026-11-21T05:29:50Z",
        ]);
        assert!(row(&table, "12857").contains("00:00:32"), "{table}");
        assert!(row(&table, "12896").contains("00:00:27"), "{table}");
        assert!(row(&table, "12907").contains("00:00:22"), "{table}");
        // Sorted by session start: the longest-connected first.
        let first = table.lines().nth(1).unwrap_or_default();
        assert!(first.starts_with("12857 "), "{table}");
    }
    let sessions = list_json(&[
        "--provider",
        "pure-ftpd",
        "--input",
        &fixture("pureftpd-ftpwho-1.0.50.xml"),
        "--captured-at",
        "2026-11-21T05:29:50Z",
    ]);
    let dl = by_pid(&sessions, 12896).unwrap_or_default();
    assert_eq!(dl["sessionStartTime"], "2026-11-21T05:29:23Z");
    assert_eq!(dl["transferSeconds"].as_f64(), Some(22.0));
}

fn terminate(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["sessions", "terminate"];
    all.extend_from_slice(args);
    let out = iisconf(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn terminate_lists_what_filters_select() {
    let input = fixture("proftpd-ftpwho-1.3.8.json");
    let base = [
        "--input",
        input.as_str(),
        "--captured-at",
        "2026-11-21T05:28:55Z",
        "--dry-run",
    ];
    let (code, err) = terminate(&[&["--user", "alice"][..], &base[..]].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("3 FTP sessions would be ended:"), "{err}");
    assert!(
        err.contains("  FTP session 12453 of alice from 127.0.0.1 on 127.0.0.1:2121, connected 00:00:24, idle 00:00:24"),
        "{err}"
    );
    assert!(err.contains("dry run: nothing was ended"), "{err}");
    // Anonymous by its IIS name or the server account; idle over 10 s; by client.
    let (_, err) = terminate(&[&["--user", "ftp", "--idle-over", "10s"][..], &base[..]].concat());
    assert!(
        err.contains("1 FTP session would be ended:")
            && err.contains("FTP session 12454 of <Anonymous>"),
        "{err}"
    );
    let (_, err) = terminate(&[&["--idle-over", "30m"][..], &base[..]].concat());
    assert!(err.contains("no session matches"), "{err}");
    let (_, err) = terminate(&[&["--client-ip", "127.0.0.1"][..], &base[..]].concat());
    assert!(err.contains("5 FTP sessions would be ended:"), "{err}");
    // Several ids at once; an unknown one stops everything.
    let (code, err) = terminate(&[&["12456", "12453"][..], &base[..]].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("2 FTP sessions would be ended:"), "{err}");
    let (code, err) = terminate(&[&["12453", "999"][..], &base[..]].concat());
    assert_eq!(code, Some(2));
    assert!(err.contains("no session \"999\""), "{err}");
    // An id that the filters do not select is refused, not ended.
    let (code, err) = terminate(&[&["12456", "--user", "ftp"][..], &base[..]].concat());
    assert_eq!(code, Some(2));
    assert!(err.contains("does not match"), "{err}");
}

#[test]
fn terminate_needs_a_selection_and_a_live_server() {
    let input = fixture("proftpd-ftpwho-1.3.8.json");
    let (code, err) = terminate(&["--input", &input]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--user"), "{err}");
    // Without --dry-run, a captured file is refused before anything is asked.
    let (code, err) = terminate(&["--user", "alice", "--input", &input]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot terminate sessions"), "{err}");
}

#[test]
fn the_provider_is_detected_from_a_captured_file() {
    for (name, count) in [
        ("pureftpd-ftpwho-1.0.50.xml", 5),
        ("pureftpd-ftpwho-1.0.50-s.txt", 5),
        ("proftpd-ftpwho-1.3.8-verbose.txt", 5),
        ("proftpd-1.3.5-plain.txt", 4),
        ("snapshot-sites.xml", 2),
        ("snapshot-ftp.example.com.json", 3),
        ("snapshot-en-us.xml", 3),
    ] {
        let sessions = list_json(&["--input", &fixture(name)]);
        assert_eq!(sessions.len(), count, "{name}");
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let odd = dir.path().join("odd.txt");
    std::fs::write(&odd, "hello\n").unwrap_or_else(|e| panic!("{e}"));
    let out = iisconf(&["sessions", "list", "--input", &odd.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --provider"));
}
