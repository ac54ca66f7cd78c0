//! The `SessionProvider` trait and its error type.

use super::capture::{CaptureTime, SessionList};
use super::ftp_session::FtpSession;
use std::path::PathBuf;

/// A source of live FTP sessions: lists the sessions of a site and ends one by id,
/// as IIS's `ftpServer/sessions` collection and its `Terminate` method do.
pub trait SessionProvider {
    /// The sessions of FTP site `site` (by IIS site name), or of every site when `None`.
    fn list(&self, site: Option<&str>) -> Result<Vec<FtpSession>, SessionError>;

    /// Ends the session `session_id`. Providers check that the id names a live session of
    /// their own server before acting, and never touch anything else.
    fn terminate(&self, session_id: &str) -> Result<(), SessionError>;

    /// The sessions of `site` (every site when `None`) with the moment they describe:
    /// now for live data; for captured data the time the capture records, else the one
    /// the provider was given, else the capture file's modification time.
    fn list_captured(&self, site: Option<&str>) -> Result<SessionList, SessionError> {
        Ok(SessionList {
            sessions: self.list(site)?,
            captured: CaptureTime::now(),
        })
    }

    /// Whether [`Self::terminate`] can act at all (a live server, not a file); the error
    /// is the one `terminate` would give.
    fn check_can_terminate(&self) -> Result<(), SessionError> {
        Ok(())
    }
}

/// Why listing or terminating sessions failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The status tool (ftpwho, pure-ftpwho) could not be started.
    #[error("could not run `{program}`: {source}; install the FTP server's tools")]
    ToolNotRunnable {
        /// The program that was run.
        program: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The status tool ran but reported a failure.
    #[error("`{program}` failed ({status}): {stderr}")]
    ToolFailed {
        /// The command line that was run.
        program: String,
        /// Its exit status.
        status: String,
        /// What it wrote to standard error (trimmed).
        stderr: String,
    },
    /// A captured output or snapshot file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The status output or snapshot is not in the expected shape.
    #[error("cannot parse {what}: {message}")]
    Parse {
        /// What was being parsed (e.g. "ftpwho JSON output", "snapshot snap.json").
        what: String,
        /// What is wrong, with a line number where one is known.
        message: String,
    },
    /// The site name is not in the provider's site mapping.
    #[error("unknown FTP site {site:?}; known sites: {known}")]
    UnknownSite {
        /// The requested site.
        site: String,
        /// The names the mapping knows, comma-separated (or "none").
        known: String,
    },
    /// No live session has this id.
    #[error("no session {session_id:?} on this server")]
    NoSuchSession {
        /// The requested id.
        session_id: String,
    },
    /// The id names a process that is not a session of this server; nothing was done.
    #[error("refusing to terminate session {session_id:?}: {reason}")]
    NotASession {
        /// The requested id.
        session_id: String,
        /// Which check failed.
        reason: String,
    },
    /// The provider cannot end sessions (a snapshot).
    #[error("{provider} cannot terminate sessions: {hint}")]
    TerminateUnsupported {
        /// The provider's name.
        provider: String,
        /// What to do instead.
        hint: String,
    },
    /// The sessions were read from a captured output file, which cannot end them.
    #[error("{provider} cannot terminate sessions: terminate against the live server")]
    CapturedOutput {
        /// The provider and its file.
        provider: String,
    },
    /// The signal could not be sent.
    #[error("could not end session {session_id:?} (pid {pid}): {source}; run as the FTP server's user or as root")]
    Signal {
        /// The requested id.
        session_id: String,
        /// The process id.
        pid: u32,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
}
