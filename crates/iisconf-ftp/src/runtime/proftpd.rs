//! ProFTPD sessions, from `ftpwho` (the scoreboard reader shipped with ProFTPD).
//!
//! Live listing runs `ftpwho -o json` and `ftpwho -v -o oneline` and merges the two by
//! pid: JSON has exact times and download byte counts, the text has the virtual host's
//! ServerName (for site mapping) and the upload rate. When `-o json` is not supported
//! (ProFTPD before 1.3.6) the text output alone is used.

pub mod json;
pub mod text;

use crate::model::{
    CaptureTime, FtpSession, SessionError, SessionList, SessionProvider, TransferDirection,
};
use crate::runtime::process;
use crate::runtime::tool;
use crate::runtime::{AnonymousUsers, SiteMap, Source};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::SystemTime;

/// Sessions and the server's master process, as one status query reports them.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The sessions.
    pub sessions: Vec<FtpSession>,
    /// The standalone server's master pid (session processes are its children).
    pub master_pid: Option<u32>,
}

/// Lists and ends ProFTPD sessions.
#[derive(Debug, Clone)]
pub struct ProftpdProvider {
    source: Source,
    ftpwho: PathBuf,
    scoreboard: Option<PathBuf>,
    config: Option<PathBuf>,
    site_map: SiteMap,
    anonymous: AnonymousUsers,
    captured_at: Option<SystemTime>,
}

impl ProftpdProvider {
    /// Reads the running server's scoreboard through `ftpwho` (found on PATH or in
    /// /usr/sbin, /usr/bin).
    pub fn live() -> Self {
        Self {
            source: Source::Live,
            ftpwho: tool::find_tool("ftpwho"),
            scoreboard: None,
            config: None,
            site_map: SiteMap::default(),
            anonymous: AnonymousUsers::default(),
            captured_at: None,
        }
    }

    /// Reads `ftpwho` output captured in a file (JSON or text, detected by content).
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        Self {
            source: Source::File(path.into()),
            ..Self::live()
        }
    }

    /// Uses this `ftpwho` binary.
    pub fn with_ftpwho(mut self, path: impl Into<PathBuf>) -> Self {
        self.ftpwho = path.into();
        self
    }

    /// Reads this scoreboard file (`ftpwho -f`), as set by the server's ScoreboardFile.
    pub fn with_scoreboard(mut self, path: impl Into<PathBuf>) -> Self {
        self.scoreboard = Some(absolute(path.into()));
        self
    }

    /// Finds the scoreboard through this proftpd.conf (`ftpwho -c`).
    pub fn with_config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(absolute(path.into()));
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

    /// Takes a captured output file as taken at `at` (ftpwho's output does not say when
    /// it was taken; without this, the file's modification time is used).
    pub fn with_captured_at(mut self, at: SystemTime) -> Self {
        self.captured_at = Some(at);
        self
    }

    /// All sessions with the master pid, before site mapping.
    pub fn listing(&self) -> Result<Listing, SessionError> {
        self.timed_listing().map(|(listing, _)| listing)
    }

    /// All sessions with the master pid, and when they were taken.
    fn timed_listing(&self) -> Result<(Listing, CaptureTime), SessionError> {
        match &self.source {
            Source::File(path) => {
                let captured = tool::read_file(path)?.timed_by(self.captured_at);
                let listing = parse_any(&captured.text, captured.at, &self.anonymous)?;
                Ok((listing, captured.time()))
            }
            Source::Live => self.live_listing(),
        }
    }

    fn base_args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        if let Some(sb) = &self.scoreboard {
            args.push("-f".into());
            args.push(sb.clone().into_os_string());
        }
        if let Some(conf) = &self.config {
            args.push("-c".into());
            args.push(conf.clone().into_os_string());
        }
        args
    }

    fn live_listing(&self) -> Result<(Listing, CaptureTime), SessionError> {
        let mut json_args = self.base_args();
        json_args.extend(["-o".into(), "json".into()]);
        let mut text_args = self.base_args();
        text_args.extend(["-v".into(), "-o".into(), "oneline".into()]);
        match tool::run(&self.ftpwho, &json_args) {
            Ok(captured) => {
                let mut listing = json::parse(&captured.text, captured.at, &self.anonymous)?;
                // The text output only adds details; a failure there loses nothing essential.
                if let Ok(text_out) = tool::run(&self.ftpwho, &text_args) {
                    if let Ok((entries, _)) = text::parse_entries(&text_out.text) {
                        merge_text(&mut listing.sessions, &entries);
                    }
                }
                Ok((listing, captured.time()))
            }
            Err(SessionError::ToolFailed { stderr, .. }) if stderr.contains("outform") => {
                let captured = tool::run(&self.ftpwho, &text_args)?;
                let listing = text::parse(&captured.text, captured.at, &self.anonymous)?;
                Ok((listing, captured.time()))
            }
            Err(e) => Err(e),
        }
    }
}

fn absolute(path: PathBuf) -> PathBuf {
    // ftpwho ignores a relative -f path; make it absolute.
    std::path::absolute(&path).unwrap_or(path)
}

/// Parses captured ftpwho output: JSON when it starts with `{`, text otherwise.
/// `at` is when the output was captured.
pub fn parse_any(
    text: &str,
    at: SystemTime,
    anonymous: &AnonymousUsers,
) -> Result<Listing, SessionError> {
    if text.trim_start().starts_with('{') {
        json::parse(text, at, anonymous)
    } else {
        text::parse(text, at, anonymous)
    }
}

/// Adds what only the text output knows to sessions read from JSON (same pid): the
/// ServerName, and for uploads the rate and a byte count derived from it.
pub fn merge_text(sessions: &mut [FtpSession], entries: &[text::TextEntry]) {
    for s in sessions.iter_mut() {
        let Some(e) = entries.iter().find(|e| Some(e.pid) == s.extras.pid) else {
            continue;
        };
        if s.extras.server_name.is_none() {
            s.extras.server_name = e.server_label.clone();
        }
        let Some(kib) = e.kib_per_second else {
            continue;
        };
        if s.extras.transfer_direction == Some(TransferDirection::Upload) && s.bytes_received == 0 {
            let rate = kib * 1024.0;
            s.extras.bytes_per_second = Some(rate.round() as u64);
            // ftpwho's KB/s divides by the transfer's *whole* seconds.
            if let Some(secs) = s
                .extras
                .transfer_seconds
                .map(f64::floor)
                .filter(|s| *s >= 1.0)
            {
                s.bytes_received = (rate * secs).round() as i64;
                s.extras.bytes_estimated = Some(true);
            }
        }
    }
}

impl SessionProvider for ProftpdProvider {
    fn list(&self, site: Option<&str>) -> Result<Vec<FtpSession>, SessionError> {
        let listing = self.listing()?;
        self.site_map.apply(listing.sessions, site)
    }

    fn list_captured(&self, site: Option<&str>) -> Result<SessionList, SessionError> {
        let (listing, captured) = self.timed_listing()?;
        Ok(SessionList {
            sessions: self.site_map.apply(listing.sessions, site)?,
            captured,
        })
    }

    fn check_can_terminate(&self) -> Result<(), SessionError> {
        match &self.source {
            Source::File(path) => Err(SessionError::CapturedOutput {
                provider: format!("captured ftpwho output {}", path.display()),
            }),
            Source::Live => Ok(()),
        }
    }

    fn terminate(&self, session_id: &str) -> Result<(), SessionError> {
        // A captured file is refused before anything is read or signalled.
        self.check_can_terminate()?;
        let listing = self.listing()?;
        process::terminate_listed(&listing.sessions, listing.master_pid, session_id, "proftpd")
    }
}

#[cfg(test)]
mod tests;
