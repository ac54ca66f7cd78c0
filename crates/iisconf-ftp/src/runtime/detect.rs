//! Which provider fits: the server whose status tool is installed, or the tool (or
//! snapshot) that wrote a captured file, told apart by content.
//!
//! Captured files: `ftpwho -o json` is an object with `connections` or `server`; ftpwho's
//! text starts with `standalone FTP daemon`, `inetd FTP daemon`, `ProFTPD` or says
//! `no users connected`; `pure-ftpwho -x` is `<status>` with `<client>` elements, and
//! `-s` is `|`-separated lines (nothing at all when no one is connected); anything else
//! that is JSON (an array, or an object with `sessions`) or XML is an IIS-shaped snapshot.

use crate::model::SessionError;
use crate::runtime::tool;
use serde_json::Value;
use std::path::Path;

/// A provider, as detection names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// ProFTPD (ftpwho).
    Proftpd,
    /// pure-ftpd (pure-ftpwho).
    PureFtpd,
    /// An IIS-shaped snapshot.
    Snapshot,
}

/// What detection found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// Exactly this provider fits.
    One(ProviderKind),
    /// Several fit (both servers' tools are installed).
    Several(Vec<ProviderKind>),
    /// None fits.
    None,
}

/// The provider whose status tool is installed on this host (ftpwho, pure-ftpwho).
pub fn installed_server() -> Detected {
    let found: Vec<ProviderKind> = [
        ("ftpwho", ProviderKind::Proftpd),
        ("pure-ftpwho", ProviderKind::PureFtpd),
    ]
    .into_iter()
    // `find_tool` returns the bare name when the tool is nowhere to be found.
    .filter(|(tool_name, _)| tool::find_tool(tool_name).is_absolute())
    .map(|(_, kind)| kind)
    .collect();
    match found.as_slice() {
        [] => Detected::None,
        [one] => Detected::One(*one),
        _ => Detected::Several(found),
    }
}

/// The provider that wrote the captured file at `path`.
pub fn captured_file(path: &Path) -> Result<Detected, SessionError> {
    let captured = tool::read_file(path)?;
    Ok(captured_text(&captured.text))
}

/// The provider that wrote `text` (captured status output or a snapshot).
pub fn captured_text(text: &str) -> Detected {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        // `pure-ftpwho -s` prints nothing when no one is connected.
        return Detected::One(ProviderKind::PureFtpd);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(map))
                if map.contains_key("connections") || map.contains_key("server") =>
            {
                Detected::One(ProviderKind::Proftpd)
            }
            Ok(_) => Detected::One(ProviderKind::Snapshot),
            Err(_) => Detected::None,
        };
    }
    if trimmed.starts_with('<') {
        let pure = trimmed.contains("<status>") || trimmed.contains("<client ");
        return Detected::One(if pure {
            ProviderKind::PureFtpd
        } else {
            ProviderKind::Snapshot
        });
    }
    let first = trimmed.lines().next().unwrap_or_default();
    let proftpd_heads = [
        "standalone FTP daemon",
        "inetd FTP daemon",
        "ProFTPD",
        "no users connected",
    ];
    if proftpd_heads.iter().any(|h| first.starts_with(h)) {
        return Detected::One(ProviderKind::Proftpd);
    }
    if first.split('|').count() >= 12 {
        return Detected::One(ProviderKind::PureFtpd);
    }
    Detected::None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: [(&str, ProviderKind); 11] = [
        (
            include_str!("../../../../fixtures/sessions/proftpd-ftpwho-1.3.8.json"),
            ProviderKind::Proftpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/proftpd-empty.json"),
            ProviderKind::Proftpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/proftpd-ftpwho-1.3.8-verbose.txt"),
            ProviderKind::Proftpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/proftpd-1.3.5-plain.txt"),
            ProviderKind::Proftpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/proftpd-empty.txt"),
            ProviderKind::Proftpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/pureftpd-ftpwho-1.0.50.xml"),
            ProviderKind::PureFtpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/pureftpd-empty.xml"),
            ProviderKind::PureFtpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/pureftpd-ftpwho-1.0.50-s.txt"),
            ProviderKind::PureFtpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/pureftpd-empty-s.txt"),
            ProviderKind::PureFtpd,
        ),
        (
            include_str!("../../../../fixtures/sessions/snapshot-ftp.example.com.json"),
            ProviderKind::Snapshot,
        ),
        (
            include_str!("../../../../fixtures/sessions/snapshot-sites.xml"),
            ProviderKind::Snapshot,
        ),
    ];

    #[test]
    fn every_fixture_is_told_apart() {
        for (i, (text, kind)) in FIXTURES.iter().enumerate() {
            assert_eq!(captured_text(text), Detected::One(*kind), "fixture {i}");
        }
        assert_eq!(
            captured_text(r#"{"capturedAt":"2026-11-20T09:30:00Z","sessions":[]}"#),
            Detected::One(ProviderKind::Snapshot)
        );
        assert_eq!(captured_text("hello"), Detected::None);
        assert_eq!(captured_text("{not json"), Detected::None);
    }
}
