//! ftpwho's text output: the default form, `-v` (details on indented lines) and
//! `-v -o oneline` (details on the same line). Older ProFTPD versions have only these.
//!
//! ```text
//! standalone FTP daemon [12393], up for 0 min
//! 12453 alice    [ 0m24s]  0m24s idle client: localhost [127.0.0.1] server: 127.0.0.1:2121 (iisconf test) protocol: ftp location: /srv
//! 12455 (none)   [ 0m24s] (authenticating) client: localhost [127.0.0.1] …
//! 12456 alice    [ 0m24s] (  6%) RETR big.bin KB/s: 192.00 client: …
//! 12458 alice    [ 0m24s] (n/a) STOR up.bin KB/s: 19.53 client: …
//! Service class                      -   5 users
//! ```
//!
//! Times are `XmYs` or `XhYm` (so precise to a second or a minute). `KB/s` is
//! `(bytes / 1024) / whole seconds of the transfer`, `inf`/`-nan` in its first second.

use super::Listing;
use crate::model::{FtpSession, IisTimestamp, SessionError, TransferDirection};
use crate::runtime::AnonymousUsers;
use std::time::{Duration, SystemTime};

/// One session as the text output shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextEntry {
    /// Session process id.
    pub pid: u32,
    /// Login name, `None` while authenticating.
    pub user: Option<String>,
    /// Time since the session started.
    pub session_age: Option<Duration>,
    /// Time since the session became idle (only when idle).
    pub idle_for: Option<Duration>,
    /// Download percentage.
    pub percent: Option<u8>,
    /// Whether an upload is in progress (`(n/a)`).
    pub uploading: bool,
    /// Command and argument in progress.
    pub command: Option<String>,
    /// Transfer rate in KiB per second (`KB/s:`), when finite.
    pub kib_per_second: Option<f64>,
    /// Client host name.
    pub client_name: Option<String>,
    /// Client address.
    pub client_addr: Option<String>,
    /// Server address and port (`127.0.0.1:2121`).
    pub server_addr: Option<String>,
    /// Server label (ServerName).
    pub server_label: Option<String>,
    /// Current directory.
    pub location: Option<String>,
}

/// Parses text output captured at `at` into entries and the master pid (standalone).
pub fn parse_entries(text: &str) -> Result<(Vec<TextEntry>, Option<u32>), SessionError> {
    let mut master = None;
    let mut blocks: Vec<(usize, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("standalone FTP daemon [") {
            master = rest.split(']').next().and_then(|p| p.trim().parse().ok());
            continue;
        }
        if trimmed.starts_with("inetd FTP daemon")
            || trimmed.starts_with("Service class")
            || trimmed.starts_with("no users connected")
            || trimmed.starts_with("ProFTPD Server")
            || trimmed.starts_with("- ")
        {
            continue;
        }
        let starts_with_pid = trimmed
            .split_whitespace()
            .next()
            .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()));
        if starts_with_pid && !line.starts_with('\t') {
            blocks.push((n + 1, trimmed.to_string()));
        } else if let Some((_, block)) = blocks.last_mut() {
            block.push(' ');
            block.push_str(trimmed);
        } else {
            return Err(SessionError::Parse {
                what: "ftpwho text output".into(),
                message: format!("line {}: unexpected {trimmed:?}", n + 1),
            });
        }
    }
    let entries = blocks
        .iter()
        .map(|(line, block)| {
            entry(block).ok_or_else(|| SessionError::Parse {
                what: "ftpwho text output".into(),
                message: format!("line {line}: cannot read session line {block:?}"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((entries, master))
}

/// Parses text output captured at `at` into sessions.
pub fn parse(
    text: &str,
    at: SystemTime,
    anonymous: &AnonymousUsers,
) -> Result<Listing, SessionError> {
    let (entries, master_pid) = parse_entries(text)?;
    let sessions = entries
        .iter()
        .map(|e| to_session(e, at, anonymous))
        .collect();
    Ok(Listing {
        sessions,
        master_pid,
    })
}

const MARKERS: [&str; 6] = [
    " KB/s: ",
    " client: ",
    " server: ",
    " protocol: ",
    " location: ",
    " class: ",
];

fn entry(block: &str) -> Option<TextEntry> {
    // Split off the `marker: value` details, which follow the head in a fixed order.
    let mut cuts: Vec<(usize, &str)> = MARKERS
        .iter()
        .filter_map(|m| block.find(m).map(|i| (i, *m)))
        .collect();
    cuts.sort_unstable();
    let head_end = cuts.first().map_or(block.len(), |(i, _)| *i);
    let mut e = TextEntry::default();
    for (k, (start, marker)) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).map_or(block.len(), |(i, _)| *i);
        let value = block.get(start + marker.len()..end)?.trim();
        match marker.trim() {
            "KB/s:" => e.kib_per_second = value.parse::<f64>().ok().filter(|v| v.is_finite()),
            "client:" => {
                let (name, addr) = split_bracketed(value, '[', ']');
                e.client_name = name;
                e.client_addr = addr;
            }
            "server:" => {
                let (addr, label) = split_bracketed(value, '(', ')');
                e.server_addr = addr;
                e.server_label = label;
            }
            "location:" => e.location = Some(value.to_string()),
            _ => {}
        }
    }
    let head = block.get(..head_end)?.trim();
    let (pid, rest) = head.split_once(char::is_whitespace)?;
    e.pid = pid.parse().ok()?;
    let rest = rest.trim_start();
    let (user, rest) = rest.split_once(char::is_whitespace)?;
    e.user = (user != "(none)").then(|| user.to_string());
    let rest = rest.trim_start().strip_prefix('[')?;
    let (age, rest) = rest.split_once(']')?;
    e.session_age = parse_age(age.trim());
    let rest = rest.trim();
    if rest == "(authenticating)" {
        e.user = None;
    } else if let Some(idle) = rest.strip_suffix("idle") {
        e.idle_for = parse_age(idle.trim());
    } else if let Some(after) = rest.strip_prefix('(') {
        let (progress, command) = after.split_once(')')?;
        let progress = progress.trim();
        if progress == "n/a" {
            e.uploading = true;
        } else {
            e.percent = progress.trim_end_matches('%').trim().parse().ok();
        }
        let command = command.trim();
        e.command = (!command.is_empty()).then(|| command.to_string());
    } else if !rest.is_empty() {
        e.command = Some(rest.to_string());
    }
    Some(e)
}

/// `name [addr]` → (name, addr); `addr (label)` → (addr, label).
fn split_bracketed(value: &str, open: char, close: char) -> (Option<String>, Option<String>) {
    match value.find(open) {
        Some(i) => {
            let outer = value.get(..i).unwrap_or("").trim();
            let inner = value
                .get(i + open.len_utf8()..)
                .unwrap_or("")
                .trim_end()
                .trim_end_matches(close);
            (
                (!outer.is_empty()).then(|| outer.to_string()),
                (!inner.is_empty()).then(|| inner.to_string()),
            )
        }
        None => ((!value.is_empty()).then(|| value.to_string()), None),
    }
}

/// `0m24s`, `12m5s`, `1h3m`, `-`.
fn parse_age(text: &str) -> Option<Duration> {
    let (first, rest) = text.split_once(['m', 'h'])?;
    let unit_is_hours = text.as_bytes().get(first.len()) == Some(&b'h');
    let a: u64 = first.trim().parse().ok()?;
    let b: u64 = rest.trim_end_matches(['s', 'm']).parse().ok()?;
    let secs = if unit_is_hours {
        a.checked_mul(3600)?.checked_add(b.checked_mul(60)?)?
    } else {
        a.checked_mul(60)?.checked_add(b)?
    };
    Some(Duration::from_secs(secs))
}

fn to_session(e: &TextEntry, at: SystemTime, anonymous: &AnonymousUsers) -> FtpSession {
    let mut s = FtpSession::new(e.pid.to_string());
    let x = &mut s.extras;
    x.pid = Some(e.pid);
    match &e.user {
        Some(user) => {
            s.user_name = anonymous.iis_user_name(user);
            x.server_user = Some(user.clone());
            x.authenticated = Some(true);
        }
        None => x.authenticated = Some(false),
    }
    s.client_ip = e.client_addr.clone().unwrap_or_default();
    x.client_host = e.client_name.clone();
    if let Some(addr) = &e.server_addr {
        let (host, port) = match addr.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, p.parse().ok()),
            _ => (addr.as_str(), None),
        };
        x.server_address = Some(host.to_string());
        x.server_port = port;
    }
    x.server_name = e.server_label.clone();
    x.current_directory = e.location.clone();
    if let Some(start) = e.session_age.and_then(|d| at.checked_sub(d)) {
        s.session_start_time = IisTimestamp::from_system_time(start);
    }
    if let Some(idle) = e.idle_for {
        x.idle_seconds = Some(idle.as_secs());
        if let Some(start) = at.checked_sub(idle) {
            s.command_start_time = IisTimestamp::from_system_time(start);
        }
    }
    if let Some(cmd) = &e.command {
        s.current_command = cmd.clone();
        x.file = cmd.split_once(' ').map(|(_, arg)| arg.to_string());
        x.transfer_direction = if e.uploading {
            Some(TransferDirection::Upload)
        } else if e.percent.is_some() {
            Some(TransferDirection::Download)
        } else {
            None
        };
        x.progress_percent = e.percent;
        x.bytes_per_second = e.kib_per_second.map(|k| (k * 1024.0).round() as u64);
    }
    s
}
