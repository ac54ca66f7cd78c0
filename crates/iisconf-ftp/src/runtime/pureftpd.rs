//! pure-ftpd sessions, from `pure-ftpwho`.
//!
//! `pure-ftpwho -x -H` (XML, addresses not resolved), measured on pure-ftpd 1.0.50
//! (fixtures/sessions/pureftpd-ftpwho-1.0.50.xml):
//! ```text
//! <client pid="12907" account="alice" time="22" state=" UL " file="up "q".bin" host="127.0.0.1"
//!         localhost="127.0.0.1" localport="2122" resume="0" current_size="378000" bandwidth="19894" />
//! ```
//! `account` is `?` before login; `time` is seconds since the session started (pure-ftpwho
//! prints `now - date`, and pure-ftpd sets `date` once, when the client connects), which
//! gives the connected time; `state` is `IDLE`, ` DL ` or ` UL `; sizes are bytes and
//! `bandwidth` bytes per second over the transfer so far, `(current_size - resume) /
//! seconds of the transfer`, which gives the transfer's start back; downloads add
//! `total_size` and `percentage`. pure-ftpd records no command times, so an idle
//! session's idle time is counted from its connection: an upper bound. File names are written
//! without escaping `"` (the `attr_scan` module reads them). pure-ftpd reports no command names, so
//! currentCommand is derived: `RETR file` for a download, `STOR file` for an upload.
//!
//! `pure-ftpwho -s -H`: `pid|acct|time|state|file|peer|local|port|current|total|%|bandwidth`
//! with sizes in KiB and bandwidth in KiB/s.
//!
//! Every pure-ftpd instance on a host shares one state directory (/var/run/pure-ftpd), so
//! pure-ftpwho lists them all; a [`SiteMap`] by port or address tells them apart.

mod attr_scan;

use crate::model::{
    CaptureTime, FtpSession, IisTimestamp, SessionError, SessionList, SessionProvider,
    TransferDirection,
};
use crate::runtime::tool;
use crate::runtime::{process, AnonymousUsers, SiteMap, Source};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// One session as pure-ftpwho reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WhoEntry {
    /// Session process id.
    pub pid: u32,
    /// Account, `None` before login (`?`).
    pub account: Option<String>,
    /// Seconds since the session started.
    pub seconds: u64,
    /// State: `IDLE`, `DL`, `UL` (trimmed).
    pub state: String,
    /// File being transferred.
    pub file: String,
    /// Client address (or host name without -H).
    pub peer: String,
    /// Server address.
    pub local: String,
    /// Server port.
    pub port: Option<u16>,
    /// Bytes transferred so far.
    pub current_bytes: u64,
    /// Where a resumed transfer started, in bytes (`resume`; 0 in the `-s` form).
    pub resume_bytes: u64,
    /// Size of the file being downloaded, in bytes.
    pub total_bytes: Option<u64>,
    /// Percentage done.
    pub percent: Option<u8>,
    /// Bytes per second.
    pub bandwidth: Option<u64>,
}

/// Parses `pure-ftpwho -x` output (tolerating its unescaped quotes).
pub fn parse_xml(text: &str) -> Result<Vec<WhoEntry>, SessionError> {
    attr_scan::scan_elements(text, "client")
        .into_iter()
        .map(|(line, attrs)| {
            let get = |name: &str| {
                attrs
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            };
            let num = |name: &str| get(name).and_then(|v| v.trim().parse::<u64>().ok());
            let pid = num("pid")
                .and_then(|p| u32::try_from(p).ok())
                .ok_or_else(|| SessionError::Parse {
                    what: "pure-ftpwho XML output".into(),
                    message: format!("line {line}: <client> without a numeric pid"),
                })?;
            Ok(WhoEntry {
                pid,
                account: account(get("account").unwrap_or("?")),
                seconds: num("time").unwrap_or(0),
                state: get("state").unwrap_or("").trim().to_string(),
                file: get("file").unwrap_or("").to_string(),
                peer: get("host").unwrap_or("").to_string(),
                local: get("localhost").unwrap_or("").to_string(),
                port: num("localport").and_then(|p| u16::try_from(p).ok()),
                current_bytes: num("current_size").unwrap_or(0),
                resume_bytes: num("resume").unwrap_or(0),
                total_bytes: num("total_size"),
                percent: num("percentage").and_then(|p| u8::try_from(p).ok()),
                bandwidth: num("bandwidth"),
            })
        })
        .collect()
}

/// Parses `pure-ftpwho -s` output. A `|` inside a file name is kept: the four fields
/// before the file and the seven after it are fixed.
pub fn parse_shell(text: &str) -> Result<Vec<WhoEntry>, SessionError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = || SessionError::Parse {
            what: "pure-ftpwho -s output".into(),
            message: format!(
                "line {}: expected 12 `|`-separated fields in {line:?}",
                n + 1
            ),
        };
        let head: Vec<&str> = line.splitn(5, '|').collect();
        let [pid, acct, time, state, rest] = head.as_slice() else {
            return Err(bad());
        };
        let mut tail: Vec<&str> = rest.rsplitn(8, '|').collect();
        if tail.len() != 8 {
            return Err(bad());
        }
        tail.reverse();
        let [file, peer, local, port, current, total, percent, bw] = tail.as_slice() else {
            return Err(bad());
        };
        let kib = |v: &str| {
            v.trim()
                .parse::<u64>()
                .ok()
                .and_then(|k| k.checked_mul(1024))
        };
        out.push(WhoEntry {
            pid: pid.trim().parse().map_err(|_| bad())?,
            account: account(acct),
            seconds: time.trim().parse().unwrap_or(0),
            state: state.trim().to_string(),
            file: (*file).to_string(),
            peer: (*peer).to_string(),
            local: (*local).to_string(),
            port: port.trim().parse().ok(),
            current_bytes: kib(current).unwrap_or(0),
            resume_bytes: 0,
            total_bytes: kib(total).filter(|t| *t > 0),
            percent: percent.trim().parse().ok(),
            bandwidth: kib(bw),
        });
    }
    Ok(out)
}

fn account(raw: &str) -> Option<String> {
    (raw != "?" && !raw.is_empty()).then(|| raw.to_string())
}

/// Maps pure-ftpwho entries captured at `at` to IIS sessions. `live` adds what /proc
/// knows (the session process's start time is when the client connected).
pub fn to_sessions(
    entries: &[WhoEntry],
    at: SystemTime,
    anonymous: &AnonymousUsers,
    live: bool,
) -> Vec<FtpSession> {
    entries
        .iter()
        .map(|e| {
            let mut s = FtpSession::new(e.pid.to_string());
            let x = &mut s.extras;
            x.pid = Some(e.pid);
            match &e.account {
                Some(a) => {
                    s.user_name = anonymous.iis_user_name(a);
                    x.server_user = Some(a.clone());
                    x.authenticated = Some(true);
                }
                None => x.authenticated = Some(false),
            }
            s.client_ip = e.peer.clone();
            x.server_address = (!e.local.is_empty()).then(|| e.local.clone());
            x.server_port = e.port;
            let connected_at = at.checked_sub(Duration::from_secs(e.seconds));
            let start = live
                .then(|| process::start_time(e.pid))
                .flatten()
                .or(connected_at);
            if let Some(start) = start {
                s.session_start_time = IisTimestamp::from_system_time(start);
            }
            let bytes = i64::try_from(e.current_bytes).unwrap_or(i64::MAX);
            let file = (!e.file.is_empty()).then(|| e.file.clone());
            match e.state.as_str() {
                "IDLE" => {
                    // Idle since the connection at most: no command times are recorded.
                    x.idle_seconds = Some(e.seconds);
                    if let Some(connected) = connected_at {
                        s.command_start_time = IisTimestamp::from_system_time(connected);
                    }
                }
                "DL" => {
                    s.current_command = command("RETR", &e.file);
                    s.bytes_sent = bytes;
                    x.transfer_direction = Some(TransferDirection::Download);
                    x.transfer_size = e.total_bytes.and_then(|t| i64::try_from(t).ok());
                    x.progress_percent = e.percent;
                }
                "UL" => {
                    s.current_command = command("STOR", &e.file);
                    s.bytes_received = bytes;
                    x.transfer_direction = Some(TransferDirection::Upload);
                }
                other => s.current_command = other.to_string(),
            }
            if matches!(e.state.as_str(), "DL" | "UL") {
                if let Some(secs) = transfer_seconds(e) {
                    x.transfer_seconds = Some(secs as f64);
                    if let Some(start) = at.checked_sub(Duration::from_secs(secs)) {
                        s.command_start_time = IisTimestamp::from_system_time(start);
                    }
                }
                x.bytes_per_second = e.bandwidth;
                x.file = file;
            }
            s
        })
        .collect()
}

/// Whole seconds the transfer has run, from the bytes moved and the rate pure-ftpwho
/// computed over them; `None` when the rate is 0 (the transfer's first second).
fn transfer_seconds(e: &WhoEntry) -> Option<u64> {
    let moved = e.current_bytes.checked_sub(e.resume_bytes)?;
    let rate = e.bandwidth.filter(|b| *b > 0)?;
    Some(moved / rate)
}

fn command(verb: &str, file: &str) -> String {
    if file.is_empty() {
        verb.to_string()
    } else {
        format!("{verb} {file}")
    }
}

/// Parses captured pure-ftpwho output: XML when it starts with `<`, `-s` form otherwise.
pub fn parse_any(text: &str) -> Result<Vec<WhoEntry>, SessionError> {
    if text.trim_start().starts_with('<') {
        parse_xml(text)
    } else {
        parse_shell(text)
    }
}

/// Lists and ends pure-ftpd sessions.
#[derive(Debug, Clone)]
pub struct PureFtpdProvider {
    source: Source,
    ftpwho: PathBuf,
    site_map: SiteMap,
    anonymous: AnonymousUsers,
    captured_at: Option<SystemTime>,
}

impl PureFtpdProvider {
    /// Runs `pure-ftpwho -x -H` (found on PATH or in /usr/sbin).
    pub fn live() -> Self {
        Self {
            source: Source::Live,
            ftpwho: tool::find_tool("pure-ftpwho"),
            site_map: SiteMap::default(),
            anonymous: AnonymousUsers::default(),
            captured_at: None,
        }
    }

    /// Reads `pure-ftpwho -x` or `-s` output captured in a file.
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        Self {
            source: Source::File(path.into()),
            ..Self::live()
        }
    }

    /// Uses this `pure-ftpwho` binary.
    pub fn with_ftpwho(mut self, path: impl Into<PathBuf>) -> Self {
        self.ftpwho = path.into();
        self
    }

    /// Maps server instances to IIS site names.
    pub fn with_site_map(mut self, map: SiteMap) -> Self {
        self.site_map = map;
        self
    }

    /// Treats these accounts as anonymous logins.
    pub fn with_anonymous_users(mut self, users: AnonymousUsers) -> Self {
        self.anonymous = users;
        self
    }

    /// Takes a captured output file as taken at `at` (pure-ftpwho's output does not say
    /// when it was taken; without this, the file's modification time is used).
    pub fn with_captured_at(mut self, at: SystemTime) -> Self {
        self.captured_at = Some(at);
        self
    }

    fn sessions(&self) -> Result<Vec<FtpSession>, SessionError> {
        self.timed_sessions().map(|(sessions, _)| sessions)
    }

    fn timed_sessions(&self) -> Result<(Vec<FtpSession>, CaptureTime), SessionError> {
        let (captured, live) = match &self.source {
            Source::File(path) => (tool::read_file(path)?.timed_by(self.captured_at), false),
            Source::Live => (tool::run(&self.ftpwho, &["-x".into(), "-H".into()])?, true),
        };
        let entries = parse_any(&captured.text)?;
        let sessions = to_sessions(&entries, captured.at, &self.anonymous, live);
        Ok((sessions, captured.time()))
    }
}

impl SessionProvider for PureFtpdProvider {
    fn list(&self, site: Option<&str>) -> Result<Vec<FtpSession>, SessionError> {
        self.site_map.apply(self.sessions()?, site)
    }

    fn list_captured(&self, site: Option<&str>) -> Result<SessionList, SessionError> {
        let (sessions, captured) = self.timed_sessions()?;
        Ok(SessionList {
            sessions: self.site_map.apply(sessions, site)?,
            captured,
        })
    }

    fn check_can_terminate(&self) -> Result<(), SessionError> {
        match &self.source {
            Source::File(path) => Err(SessionError::CapturedOutput {
                provider: format!("captured pure-ftpwho output {}", path.display()),
            }),
            Source::Live => Ok(()),
        }
    }

    fn terminate(&self, session_id: &str) -> Result<(), SessionError> {
        // A captured file is refused before anything is read or signalled.
        self.check_can_terminate()?;
        process::terminate_listed(&self.sessions()?, None, session_id, "pure-ftpd")
    }
}

#[cfg(test)]
mod tests;
