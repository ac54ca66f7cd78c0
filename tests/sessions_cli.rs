//! `iisconf sessions` on captured outputs and snapshots (no server needed).

mod common;

use common::*;
use pretty_assertions::assert_eq;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sessions");

fn fixture(name: &str) -> String {
    format!("{FIX}/{name}")
}

#[test]
fn snapshot_json_to_iis_xml() {
    let input = fixture("snapshot-ftp.example.com.json");
    let out = iisconf(&[
        "sessions",
        "list",
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--site",
        "ftp.example.com",
        "--format",
        "xml",
    ]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        r#"<sessions>
    <session clientIp="198.51.100.23" sessionId="6d8f2a7c-1b3e-4c55-9a0e-2f7b8c9d0e11" sessionStartTime="2026-11-20T09:14:02Z" userName="&lt;Anonymous&gt;" currentCommand="RETR /pub/releases/tool-2.4.zip" previousCommand="PASV" commandStartTime="2026-11-20T09:15:40Z" bytesSent="73400320" bytesReceived="0" lastErrorStatus="0" />
    <session clientIp="203.0.113.40" sessionId="0f3b9e12-77aa-4d1c-b2c3-5e6f7a8b9c00" sessionStartTime="2026-11-20T08:02:51Z" userName="CONTOSO\deploy" currentCommand="" previousCommand="STOR site/index.html" commandStartTime="2026-11-20T08:40:13Z" bytesSent="1203" bytesReceived="52844" lastErrorStatus="0" />
</sessions>
"#
    );
}

#[test]
fn snapshot_xml_keeps_foreign_timestamps() {
    let input = fixture("snapshot-sites.xml");
    let all = list_json(&["--provider", "snapshot", "--input", &input]);
    assert_eq!(all.len(), 2);
    let intranet = list_json(&[
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--site",
        "intranet-ftp",
    ]);
    assert_eq!(intranet.len(), 1);
    assert_eq!(intranet[0]["sessionStartTime"], "11/20/2026 9:01:00 AM");
    assert_eq!(intranet[0]["lastErrorStatus"], 550);
    assert_eq!(intranet[0]["site"], "intranet-ftp");
}

#[test]
fn snapshot_cannot_terminate() {
    let input = fixture("snapshot-ftp.example.com.json");
    let out = iisconf(&[
        "sessions",
        "terminate",
        "x",
        "--yes",
        "--provider",
        "snapshot",
        "--input",
        &input,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot terminate sessions") && err.contains("snapshot"),
        "{err}"
    );
}

#[test]
fn captured_outputs_through_the_binary() {
    let pro = list_json(&[
        "--provider",
        "proftpd",
        "--input",
        &fixture("proftpd-ftpwho-1.3.8.json"),
    ]);
    assert_eq!(pro.len(), 5);
    // Key order in the raw output: the IIS attributes first, in IIS's documented order.
    let raw = iisconf(&[
        "sessions",
        "list",
        "--format",
        "json",
        "--input",
        &fixture("proftpd-ftpwho-1.3.8.json"),
    ]);
    let raw = String::from_utf8_lossy(&raw.stdout).into_owned();
    let first = raw.split('}').next().unwrap_or_default();
    let order = [
        "sessionId",
        "userName",
        "clientIp",
        "sessionStartTime",
        "currentCommand",
        "previousCommand",
        "commandStartTime",
        "bytesSent",
        "bytesReceived",
        "lastErrorStatus",
        "pid",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            first
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    let pure = list_json(&[
        "--provider",
        "pure-ftpd",
        "--input",
        &fixture("pureftpd-ftpwho-1.0.50.xml"),
    ]);
    assert_eq!(pure.len(), 5);
    let empty = list_json(&[
        "--provider",
        "pure-ftpd",
        "--input",
        &fixture("pureftpd-empty.xml"),
    ]);
    assert!(empty.is_empty());
    let out = iisconf(&[
        "sessions",
        "list",
        "--provider",
        "proftpd",
        "--input",
        &fixture("proftpd-empty.txt"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no sessions\n");
}

#[test]
fn watch_refreshes() {
    let input = fixture("snapshot-ftp.example.com.json");
    let out = iisconf(&[
        "sessions",
        "watch",
        "--provider",
        "snapshot",
        "--input",
        &input,
        "--interval",
        "1",
        "--count",
        "2",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("3 sessions at ").count(), 2, "{text}");
    // Sessions of two sites: the table leads with a SITE column.
    assert_eq!(text.matches("\nSITE ").count(), 2, "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let input = fixture("proftpd-ftpwho-1.3.8.json");
    let bad_map = iisconf(&["sessions", "list", "--input", &input, "--map", "nokind"]);
    assert_eq!(bad_map.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_map.stderr).contains("SITE=port:N"));
    let missing = iisconf(&["sessions", "list", "--input", "/nonexistent/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.json"));
    let no_input = iisconf(&["sessions", "list", "--provider", "snapshot"]);
    assert_eq!(no_input.status.code(), Some(2));
    let terminate_file = iisconf(&["sessions", "terminate", "12453", "--yes", "--input", &input]);
    assert_eq!(terminate_file.status.code(), Some(2));
}
