//! Parser tests over captured ftpwho output (fixtures/sessions).

use super::*;
use crate::model::ANONYMOUS_USER;
use std::time::{Duration, UNIX_EPOCH};

const JSON: &str = include_str!("../../../../../fixtures/sessions/proftpd-ftpwho-1.3.8.json");
const ONELINE: &str =
    include_str!("../../../../../fixtures/sessions/proftpd-ftpwho-1.3.8-oneline.txt");
const VERBOSE: &str =
    include_str!("../../../../../fixtures/sessions/proftpd-ftpwho-1.3.8-verbose.txt");
const PLAIN: &str = include_str!("../../../../../fixtures/sessions/proftpd-ftpwho-1.3.8-plain.txt");
const OLD: &str = include_str!("../../../../../fixtures/sessions/proftpd-1.3.5-plain.txt");
const EMPTY_JSON: &str = include_str!("../../../../../fixtures/sessions/proftpd-empty.json");
const EMPTY_TEXT: &str = include_str!("../../../../../fixtures/sessions/proftpd-empty.txt");
const PRELOGIN: &str = include_str!("../../../../../fixtures/sessions/proftpd-prelogin.json");

/// When the JSON fixture was captured: 24 s after the sessions connected.
fn captured_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(1_795_238_911_000 + 24_000)
}

fn by_pid(sessions: &[FtpSession], pid: u32) -> &FtpSession {
    sessions
        .iter()
        .find(|s| s.extras.pid == Some(pid))
        .unwrap_or_else(|| panic!("no session {pid}"))
}

#[test]
fn json_maps_every_kind_of_session() {
    let listing = json::parse(JSON, captured_at(), &AnonymousUsers::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listing.master_pid, Some(12393));
    let s = &listing.sessions;
    assert_eq!(s.len(), 5);

    let idle = by_pid(s, 12453);
    assert_eq!(idle.session_id, "12453");
    assert_eq!(idle.user_name, "alice");
    assert_eq!(idle.client_ip, "127.0.0.1");
    assert_eq!(idle.session_start_time.as_str(), "2026-11-21T05:28:31Z");
    assert_eq!(idle.current_command, "");
    assert_eq!(idle.extras.idle_seconds, Some(24));
    assert_eq!(
        idle.extras.current_directory.as_deref(),
        Some("/tmp/pft/root")
    );
    assert_eq!(idle.extras.server_port, Some(2121));

    let anon = by_pid(s, 12454);
    assert_eq!(anon.user_name, ANONYMOUS_USER);
    assert_eq!(anon.extras.server_user.as_deref(), Some("ftp"));

    let pre = by_pid(s, 12455);
    assert_eq!(pre.user_name, "");
    assert_eq!(pre.extras.authenticated, Some(false));

    let dl = by_pid(s, 12456);
    assert_eq!(dl.current_command, "RETR big.bin");
    assert_eq!(dl.bytes_sent, 3_014_656);
    assert_eq!(dl.extras.progress_percent, Some(6));
    assert_eq!(
        dl.extras.transfer_direction,
        Some(TransferDirection::Download)
    );

    let ul = by_pid(s, 12458);
    assert_eq!(ul.current_command, "STOR up q .bin");
    assert_eq!(
        ul.extras.transfer_direction,
        Some(TransferDirection::Upload)
    );
    assert_eq!(ul.bytes_received, 0, "JSON has no upload byte count");
}

#[test]
fn transfer_duration_ms_is_microseconds() {
    // The upload ran about 23 s when captured; JSON says 23065000 "ms".
    let listing = json::parse(JSON, captured_at(), &AnonymousUsers::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let ul = by_pid(&listing.sessions, 12458);
    let secs = ul.extras.transfer_seconds.unwrap_or_default();
    assert!((secs - 23.065).abs() < 1e-9, "{secs}");
    let started = ul.command_start_time.instant().unwrap_or(UNIX_EPOCH);
    let ran = captured_at().duration_since(started).unwrap_or_default();
    assert_eq!(ran.as_secs(), 23);
    // The download: 3014656 bytes in 15321000 µs = 15.321 s.
    let dl = by_pid(&listing.sessions, 12456);
    assert_eq!(dl.extras.bytes_per_second, Some(196_766));
}

#[test]
fn text_adds_server_name_and_upload_bytes() {
    let mut listing = json::parse(JSON, captured_at(), &AnonymousUsers::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let (entries, master) = text::parse_entries(ONELINE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(master, Some(12393));
    merge_text(&mut listing.sessions, &entries);
    let ul = by_pid(&listing.sessions, 12458);
    assert_eq!(ul.extras.server_name.as_deref(), Some("iisconf test"));
    // 19.53 KiB/s over 23 whole seconds.
    assert_eq!(ul.bytes_received, (19.53f64 * 1024.0 * 23.0).round() as i64);
    assert_eq!(ul.extras.bytes_estimated, Some(true));
    assert_eq!(ul.extras.bytes_per_second, Some(19_999));
    let dl = by_pid(&listing.sessions, 12456);
    assert_eq!(dl.bytes_sent, 3_014_656, "JSON counts are kept");
    assert_eq!(dl.extras.bytes_estimated, None);
}

#[test]
fn oneline_and_verbose_text_agree() {
    let (a, _) = text::parse_entries(ONELINE).unwrap_or_else(|e| panic!("{e}"));
    let (b, _) = text::parse_entries(VERBOSE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.len(), 5);
    assert_eq!(b.len(), 5);
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x.pid, y.pid);
        assert_eq!(x.user, y.user);
        assert_eq!(x.command, y.command);
        assert_eq!(x.client_addr, y.client_addr);
        assert_eq!(x.server_label, y.server_label);
        assert_eq!(x.location, y.location);
    }
    let dl = a
        .iter()
        .find(|e| e.pid == 12456)
        .cloned()
        .unwrap_or_default();
    assert_eq!(dl.percent, Some(6));
    assert_eq!(dl.kib_per_second, Some(192.0));
    assert_eq!(dl.server_addr.as_deref(), Some("127.0.0.1:2121"));
    assert_eq!(dl.client_name.as_deref(), Some("localhost"));
    let pre = a
        .iter()
        .find(|e| e.pid == 12455)
        .cloned()
        .unwrap_or_default();
    assert_eq!(pre.user, None);
}

#[test]
fn text_fallback_for_old_versions() {
    let at = captured_at();
    let listing =
        text::parse(OLD, at, &AnonymousUsers::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listing.master_pid, Some(500));
    let s = &listing.sessions;
    assert_eq!(s.len(), 4);
    let idle = by_pid(s, 501);
    assert_eq!(idle.extras.idle_seconds, Some(41));
    let age = at.duration_since(idle.session_start_time.instant().unwrap_or(UNIX_EPOCH));
    assert_eq!(age.ok(), Some(Duration::from_secs(72 * 60)));
    assert_eq!(by_pid(s, 502).extras.authenticated, Some(false));
    let dl = by_pid(s, 503);
    assert_eq!(dl.user_name, ANONYMOUS_USER);
    assert_eq!(dl.current_command, "RETR pub/iso/debian.iso");
    assert_eq!(dl.extras.progress_percent, Some(42));
    let ul = by_pid(s, 504);
    assert_eq!(ul.current_command, "STOR incoming/report final.pdf");
    assert_eq!(ul.extras.file.as_deref(), Some("incoming/report final.pdf"));
    assert_eq!(
        ul.extras.transfer_direction,
        Some(TransferDirection::Upload)
    );
    // The plain output of 1.3.8 parses too.
    let plain =
        text::parse(PLAIN, at, &AnonymousUsers::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plain.sessions.len(), 5);
}

#[test]
fn empty_servers() {
    let at = captured_at();
    let anon = AnonymousUsers::default();
    let j = parse_any(EMPTY_JSON, at, &anon).unwrap_or_else(|e| panic!("{e}"));
    assert!(j.sessions.is_empty());
    assert_eq!(j.master_pid, Some(12393));
    let t = parse_any(EMPTY_TEXT, at, &anon).unwrap_or_else(|e| panic!("{e}"));
    assert!(t.sessions.is_empty());
    assert_eq!(t.master_pid, Some(12393));
}

#[test]
fn prelogin_session() {
    let l = parse_any(PRELOGIN, captured_at(), &AnonymousUsers::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let s = by_pid(&l.sessions, 501);
    assert_eq!(s.user_name, "");
    assert_eq!(s.extras.authenticated, Some(false));
    assert_eq!(s.client_ip, "198.51.100.7");
    assert_eq!(s.extras.client_host.as_deref(), Some("client.example.net"));
    assert_eq!(s.extras.server_address.as_deref(), Some("203.0.113.1"));
    assert_eq!(s.current_command, "");
}

#[test]
fn malformed_output_is_a_parse_error() {
    let anon = AnonymousUsers::default();
    assert!(parse_any("{not json", captured_at(), &anon).is_err());
    assert!(parse_any(r#"{"connections":[{"user":"x"}]}"#, captured_at(), &anon).is_err());
    assert!(parse_any("garbage before any session\n", captured_at(), &anon).is_err());
}

#[test]
fn file_provider_cannot_terminate() {
    let p = ProftpdProvider::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/sessions/proftpd-ftpwho-1.3.8.json"
    ));
    let e = p
        .terminate("12453")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("cannot terminate"), "{e}");
}
