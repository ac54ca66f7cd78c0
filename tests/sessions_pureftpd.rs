//! `iisconf sessions` against a real pure-ftpd started on 127.0.0.1 in the foreground
//! with its own options and a puredb of virtual users built with pure-pw in a temporary
//! directory. Skips (with a SKIP line) when pure-ftpd is not installed or not running as
//! root; .ci/install-ftp.sh installs it (unpacked in /opt/pure-ftpd, as its Debian
//! package conflicts with ProFTPD's).
//!
//! pure-ftpwho lists every pure-ftpd instance on the host (they share
//! /var/run/pure-ftpd), so the test maps its instance's port to a site and lists that site.

mod common;
mod shared;

use common::*;
use std::time::Duration;

const DIRS_SBIN: [&str; 3] = ["/usr/sbin", "/usr/local/sbin", "/opt/pure-ftpd/usr/sbin"];
const DIRS_BIN: [&str; 3] = ["/usr/bin", "/usr/local/bin", "/opt/pure-ftpd/usr/bin"];

#[test]
fn pureftpd_sessions_list_and_terminate() {
    let (Some(server_bin), Some(who), Some(pw)) = (
        find_binary("pure-ftpd", &DIRS_SBIN),
        find_binary("pure-ftpwho", &DIRS_SBIN),
        find_binary("pure-pw", &DIRS_BIN),
    ) else {
        shared::skip("pureftpd_sessions_list_and_terminate: pure-ftpd/pure-ftpwho/pure-pw not installed (run .ci/install-ftp.sh)");
        return;
    };
    if !is_root() {
        shared::skip("pureftpd_sessions_list_and_terminate: needs root (pure-ftpd switches to the virtual users' uid)");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    chmod(dir.path(), 0o755);
    chmod(&root, 0o777);
    big_file(&root.join("big.bin"), 512 * 1024 * 1024);

    // Virtual users: a passwd file in pure-pw's format, compiled to a puredb.
    let passwd = dir.path().join("pureftpd.passwd");
    let pdb = dir.path().join("pureftpd.pdb");
    let home = root.display();
    std::fs::write(
        &passwd,
        format!(
            "alice:{SECRET_HASH}:65534:65534::{home}/./::::::::::::\nbob:{SECRET_HASH}:65534:65534::{home}/./::::::::::::\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mkdb = std::process::Command::new(&pw)
        .arg("mkdb")
        .arg(&pdb)
        .arg("-f")
        .arg(&passwd)
        .output()
        .unwrap_or_else(|e| panic!("pure-pw: {e}"));
    assert!(
        mkdb.status.success(),
        "pure-pw mkdb: {}",
        String::from_utf8_lossy(&mkdb.stderr)
    );

    let port = free_port();
    let mut server = ServerGuard::start(
        std::process::Command::new(&server_bin)
            .arg("-S")
            .arg(format!("127.0.0.1,{port}"))
            .arg("-l")
            .arg(format!("puredb:{}", pdb.display()))
            .args(["-E", "-H", "-A", "-4"])
            .arg("-g")
            .arg(dir.path().join("pure-ftpd.pid")),
        "pure-ftpd",
        port,
    );

    let mut idle = Ftp::idle(port, "alice", "secret");
    let mut other = Ftp::idle(port, "bob", "secret");
    let mut prelogin = Ftp::connect(port);
    let down = Ftp::logged_in(port, "alice", "secret");
    let mut download =
        Transfer::slow_download(down, "big.bin", 64 * 1024, Duration::from_millis(5));
    let up = Ftp::logged_in(port, "bob", "secret");
    let mut upload = Transfer::slow_upload(up, "up \"q\".bin", 4096, Duration::from_millis(20));
    std::thread::sleep(Duration::from_millis(2500));

    let who_s = who.to_string_lossy().into_owned();
    let site_map = format!("ftp.example.com=port:{port}");
    let base = [
        "--provider",
        "pure-ftpd",
        "--ftpwho",
        &who_s,
        "--map",
        &site_map,
        "--site",
        "ftp.example.com",
    ];
    let sessions = list_json(&base);
    assert_eq!(sessions.len(), 5, "{sessions:#?}");
    for s in &sessions {
        assert_eq!(s["clientIp"], "127.0.0.1", "{s}");
        assert_eq!(s["site"], "ftp.example.com");
        assert_eq!(s["serverPort"].as_u64(), Some(u64::from(port)));
        // Live: the session process's start time from /proc.
        assert!(
            s["sessionStartTime"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{s}"
        );
    }
    let idle_s = find(&sessions, |s| {
        s["userName"] == "alice" && s["currentCommand"] == ""
    })
    .cloned()
    .unwrap_or_else(|| panic!("no idle alice: {sessions:#?}"));
    assert!(idle_s["idleSeconds"].as_u64().is_some());
    assert!(find(&sessions, |s| s["userName"] == "bob"
        && s["currentCommand"] == "")
    .is_some());
    let pre = find(&sessions, |s| s["authenticated"] == false);
    assert!(pre.is_some_and(|s| s["userName"] == ""), "{sessions:#?}");
    let dl = find(&sessions, |s| s["currentCommand"] == "RETR big.bin")
        .cloned()
        .unwrap_or_else(|| panic!("no download: {sessions:#?}"));
    assert!(dl["bytesSent"].as_i64().is_some_and(|b| b > 0), "{dl}");
    assert_eq!(dl["transferSize"].as_i64(), Some(512 * 1024 * 1024));
    // The file name with quotes survives pure-ftpwho's unescaped XML.
    let ul = find(&sessions, |s| s["currentCommand"] == "STOR up \"q\".bin")
        .cloned()
        .unwrap_or_else(|| panic!("no upload: {sessions:#?}"));
    assert_eq!(ul["userName"], "bob");
    assert!(
        ul["bytesReceived"].as_i64().is_some_and(|b| b > 50_000),
        "{ul}"
    );

    // The table and XML.
    let table = iisconf(&[&["sessions", "list"][..], &base[..]].concat());
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(
        table.contains("STOR up \"q\".bin") && table.contains("(not logged in)"),
        "{table}"
    );
    let xml = iisconf(&[&["sessions", "list"][..], &base[..], &["--format", "xml"]].concat());
    let xml = String::from_utf8_lossy(&xml.stdout).into_owned();
    assert!(
        xml.contains("currentCommand=\"STOR up &quot;q&quot;.bin\""),
        "{xml}"
    );

    // The master is refused; terminating the idle session drops only that client.
    let master = server.pid().to_string();
    let provider = ["--provider", "pure-ftpd", "--ftpwho", &who_s];
    let refused = iisconf(
        &[
            &["sessions", "terminate", &master, "--yes"][..],
            &provider[..],
        ]
        .concat(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        matches!(server.child.try_wait(), Ok(None)),
        "master must live on"
    );
    let id = idle_s["sessionId"].as_str().unwrap_or_default().to_string();
    let out = iisconf(&[&["sessions", "terminate", &id, "--yes"][..], &provider[..]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        idle.is_closed(Duration::from_secs(5)),
        "terminated client still connected"
    );
    assert!(other.is_alive(), "bob's idle session must live on");
    let after = list_json(&base);
    assert_eq!(after.len(), 4, "{after:#?}");
    assert!(after.iter().all(|s| s["sessionId"] != id.as_str()));

    // Never silent: no --yes and no terminal, so bob's session is named and kept.
    let bob_id = find(&after, |s| {
        s["userName"] == "bob" && s["currentCommand"] == ""
    })
    .and_then(|s| s["sessionId"].as_str().map(String::from))
    .unwrap_or_default();
    let refused = iisconf(&[&["sessions", "terminate", &bob_id][..], &provider[..]].concat());
    let err = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("FTP session {bob_id} of bob from 127.0.0.1")),
        "{err}"
    );
    assert!(other.is_alive(), "a refused terminate must end nothing");
    // Filters: bob's idle session goes, his upload stays.
    let out = iisconf(
        &[
            &[
                "sessions",
                "terminate",
                "--user",
                "bob",
                "--idle-over",
                "0s",
                "--yes",
            ][..],
            &provider[..],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 FTP session to end:"), "{err}");
    assert!(
        other.is_closed(Duration::from_secs(5)),
        "bob's idle session still connected"
    );
    assert!(download.stop() > 0);
    assert!(upload.stop() > 0);
    let _ = prelogin.cmd("QUIT");
}
