//! `iisconf sessions` against a real ProFTPD started on 127.0.0.1 with a throwaway
//! configuration, its own scoreboard and test users in a temporary directory.
//! Skips (with a SKIP line) when proftpd/ftpwho are not installed or not running as root;
//! .ci/install-ftp.sh installs them.

mod common;
mod shared;

use common::*;
use std::path::Path;
use std::time::Duration;

fn write_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    chmod(dir, 0o755);
    chmod(&root, 0o777);
    big_file(&root.join("big.bin"), 512 * 1024 * 1024);
    let passwd = dir.join("passwd");
    let home = root.display();
    std::fs::write(
        &passwd,
        format!(
            "alice:{SECRET_HASH}:65534:65534::{home}:/bin/sh\nbob:{SECRET_HASH}:65534:65534::{home}:/bin/sh\nftp:*:65534:65534::{home}:/bin/sh\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    chmod(&passwd, 0o600);
    let d = dir.display();
    let conf = format!(
        r#"ServerName "iisconf test"
ServerType standalone
DefaultServer on
Port {port}
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
UseReverseDNS off
PidFile {d}/proftpd.pid
ScoreboardFile {d}/scoreboard
DelayTable {d}/delay
SystemLog {d}/system.log
TransferLog {d}/xfer.log
WtmpLog off
User nobody
Group nogroup
RequireValidShell off
AuthOrder mod_auth_file.c
AuthUserFile {d}/passwd
UseSendfile off
AllowOverwrite on
<Anonymous {home}>
  User ftp
  Group nogroup
  UserAlias anonymous ftp
  RequireValidShell off
</Anonymous>
"#
    );
    let path = dir.join("proftpd.conf");
    std::fs::write(&path, conf).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn proftpd_sessions_list_and_terminate() {
    let (Some(proftpd), Some(ftpwho)) = (
        find_binary("proftpd", &["/usr/sbin", "/usr/local/sbin"]),
        find_binary("ftpwho", &["/usr/bin", "/usr/local/bin"]),
    ) else {
        shared::skip("proftpd_sessions_list_and_terminate: proftpd/ftpwho not installed (run .ci/install-ftp.sh)");
        return;
    };
    if !is_root() {
        shared::skip("proftpd_sessions_list_and_terminate: needs root (the server switches to the test users)");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let conf = write_config(dir.path(), port);
    let mut server = ServerGuard::start(
        std::process::Command::new(&proftpd)
            .arg("-n")
            .arg("-c")
            .arg(&conf),
        "proftpd",
        port,
    );

    // Real client sessions: idle logged in, anonymous, not logged in, download, upload.
    let mut idle = Ftp::idle(port, "alice", "secret");
    let mut anon = Ftp::idle(port, "anonymous", "guest@example.com");
    let mut prelogin = Ftp::connect(port);
    let down = Ftp::logged_in(port, "alice", "secret");
    let mut download =
        Transfer::slow_download(down, "big.bin", 64 * 1024, Duration::from_millis(5));
    let up = Ftp::logged_in(port, "bob", "secret");
    let mut upload = Transfer::slow_upload(up, "upload.bin", 4096, Duration::from_millis(20));
    // Let the transfers run past their first whole second (ftpwho's KB/s needs one).
    std::thread::sleep(Duration::from_millis(2500));

    let scoreboard = dir.path().join("scoreboard");
    let sb = scoreboard.to_string_lossy().into_owned();
    let ftpwho_s = ftpwho.to_string_lossy().into_owned();
    let base = [
        "--provider",
        "proftpd",
        "--ftpwho",
        &ftpwho_s,
        "--scoreboard",
        &sb,
    ];
    let sessions = list_json(&base);
    assert_eq!(sessions.len(), 5, "{sessions:#?}");
    for s in &sessions {
        assert_eq!(s["clientIp"], "127.0.0.1", "{s}");
        assert_eq!(s["serverPort"].as_u64(), Some(u64::from(port)));
        assert_eq!(s["serverName"], "iisconf test");
        assert_eq!(
            s["sessionId"].as_str(),
            s["pid"].as_u64().map(|p| p.to_string()).as_deref()
        );
        assert!(
            s["sessionStartTime"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{s}"
        );
        assert_eq!(s["lastErrorStatus"], 0);
    }
    let idle_s = find(&sessions, |s| {
        s["userName"] == "alice" && s["currentCommand"] == ""
    })
    .cloned()
    .unwrap_or_else(|| panic!("no idle alice: {sessions:#?}"));
    assert!(idle_s["idleSeconds"].as_u64().is_some());
    assert_eq!(idle_s["authenticated"], true);
    let anon_s = find(&sessions, |s| s["userName"] == "<Anonymous>");
    assert!(
        anon_s.is_some_and(|s| s["serverUser"] == "ftp"),
        "{sessions:#?}"
    );
    let pre_s = find(&sessions, |s| s["authenticated"] == false);
    assert!(pre_s.is_some_and(|s| s["userName"] == ""), "{sessions:#?}");
    let dl = find(&sessions, |s| s["currentCommand"] == "RETR big.bin")
        .cloned()
        .unwrap_or_else(|| panic!("no download: {sessions:#?}"));
    assert_eq!(dl["userName"], "alice");
    assert_eq!(dl["transferDirection"], "download");
    assert!(dl["bytesSent"].as_i64().is_some_and(|b| b > 0), "{dl}");
    assert_eq!(dl["bytesReceived"], 0);
    let ul = find(&sessions, |s| s["currentCommand"] == "STOR upload.bin")
        .cloned()
        .unwrap_or_else(|| panic!("no upload: {sessions:#?}"));
    assert_eq!(ul["userName"], "bob");
    assert_eq!(ul["transferDirection"], "upload");
    // Estimated from ftpwho's KB/s; the client sends ~200 KB/s, so > 100 KB after 2 s.
    let received = ul["bytesReceived"].as_i64().unwrap_or(0);
    assert!(received > 100_000, "{ul}");
    assert_eq!(ul["bytesEstimated"], true);
    let secs = ul["transferSeconds"].as_f64().unwrap_or(0.0);
    assert!(
        (1.5..30.0).contains(&secs),
        "transfer_duration_ms read as µs: {secs}"
    );

    // Site mapping by port and by ServerName; an unknown site is a usage error.
    let mapped = list_json(
        &[
            &base[..],
            &[
                "--map",
                &format!("ftp.example.com=port:{port}"),
                "--site",
                "ftp.example.com",
            ],
        ]
        .concat(),
    );
    assert_eq!(mapped.len(), 5);
    assert!(mapped.iter().all(|s| s["site"] == "ftp.example.com"));
    let by_name = list_json(
        &[
            &base[..],
            &[
                "--map",
                "other=port:1",
                "--map",
                "byname=name:IISCONF TEST",
                "--site",
                "byname",
            ],
        ]
        .concat(),
    );
    assert_eq!(by_name.len(), 5);
    let other = list_json(&[&base[..], &["--map", "other=port:1", "--site", "other"]].concat());
    assert!(other.is_empty());
    let unknown = iisconf(&[&["sessions", "list"][..], &base[..], &["--site", "nope"]].concat());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--map"));

    // XML in the IIS shape, and the table.
    let xml = iisconf(&[&["sessions", "list"][..], &base[..], &["--format", "xml"]].concat());
    let xml = String::from_utf8_lossy(&xml.stdout).into_owned();
    assert!(
        xml.starts_with("<sessions>\n    <session clientIp=\"127.0.0.1\" sessionId=\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<session ").count(), 5);
    assert!(xml.contains("userName=\"&lt;Anonymous&gt;\""));
    let table = iisconf(&[&["sessions", "list"][..], &base[..]].concat());
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table.contains("(not logged in)") && table.contains("RETR big.bin"),
        "{table}"
    );

    // Refusals: the master process is not a session; an unknown id is not touched.
    let master = server.pid().to_string();
    let refused = iisconf(&[&["sessions", "terminate", &master, "--yes"][..], &base[..]].concat());
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        matches!(server.child.try_wait(), Ok(None)),
        "master must live on"
    );
    let me = std::process::id().to_string();
    let refused = iisconf(&[&["sessions", "terminate", &me, "--yes"][..], &base[..]].concat());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no session"));

    // Never silent: without --yes and with no terminal to ask, the session is named and
    // nothing is ended.
    let id = idle_s["sessionId"].as_str().unwrap_or_default().to_string();
    let refused = iisconf(&[&["sessions", "terminate", &id][..], &base[..]].concat());
    let err = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "FTP session {id} of alice from 127.0.0.1 on iisconf test"
        )) && err.contains("refusing"),
        "{err}"
    );
    assert!(idle.is_alive(), "a refused terminate must end nothing");
    // On a terminal the prompt names the session, and only a yes ends it.
    if let Some(script) = find_binary("script", &["/usr/bin", "/bin"]) {
        let command = [env!("CARGO_BIN_EXE_iisconf"), "sessions", "terminate", &id]
            .iter()
            .chain(base.iter())
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ");
        let mut child = std::process::Command::new(script)
            .args(["-qec", &command, "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("script: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write as _;
            let _ = stdin.write_all(b"n\n");
        }
        let out = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("script: {e}"));
        let screen = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            screen.contains(&format!(
                "End FTP session {id} of alice from 127.0.0.1 on iisconf test? [y/N]"
            )) && screen.contains("not ended"),
            "{screen}"
        );
        assert!(idle.is_alive(), "a no must end nothing");
    }

    // Terminate the idle session: its connection drops, the others live on.
    let out = iisconf(&[&["sessions", "terminate", &id, "--yes"][..], &base[..]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        idle.is_closed(Duration::from_secs(5)),
        "terminated client still connected"
    );
    assert!(anon.is_alive(), "anonymous session must live on");
    let after = list_json(&base);
    assert_eq!(after.len(), 4, "{after:#?}");
    assert!(after.iter().all(|s| s["sessionId"] != id.as_str()));
    assert!(find(&after, |s| s["currentCommand"] == "RETR big.bin").is_some());

    // Filters choose sessions: the idle anonymous one, not alice's transfers.
    let out = iisconf(
        &[
            &[
                "sessions",
                "terminate",
                "--user",
                "<Anonymous>",
                "--idle-over",
                "0s",
                "--yes",
            ][..],
            &base[..],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("1 FTP session to end:") && err.contains("of <Anonymous> from 127.0.0.1"),
        "{err}"
    );
    assert!(
        anon.is_closed(Duration::from_secs(5)),
        "anonymous still connected"
    );
    assert_eq!(list_json(&base).len(), 3);
    assert!(download.stop() > 0);
    assert!(upload.stop() > 0);
    let _ = prelogin.cmd("QUIT");
}
