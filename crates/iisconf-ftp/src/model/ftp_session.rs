//! `FtpSession`: one `site/ftpServer/sessions/session` entry (runtime data, read-only).

use super::timestamp::IisTimestamp;
use serde::Serialize;

/// The user name IIS shows for an anonymous login.
pub const ANONYMOUS_USER: &str = "<Anonymous>";

/// One live FTP session, with the ten attributes of IIS's `ftpServer/sessions/session`
/// (ftp_rscaext.xml) and what a provider knows beyond them.
///
/// Read-only runtime data: nothing in this crate writes it into a configuration file.
/// Serialises to JSON keyed by the IIS attribute names, followed by the extra fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FtpSession {
    /// `sessionId`: the id `Terminate` takes. Live providers use the session's process id.
    pub session_id: String,
    /// `userName`: the login name; [`ANONYMOUS_USER`] for anonymous logins; empty before
    /// the client has logged in (see [`SessionExtras::authenticated`]).
    pub user_name: String,
    /// `clientIp`: the client's address.
    pub client_ip: String,
    /// `sessionStartTime`: when the client connected.
    pub session_start_time: IisTimestamp,
    /// `currentCommand`: the command being executed with its argument (`RETR big.bin`);
    /// empty when the session is idle.
    pub current_command: String,
    /// `previousCommand`: the command before, where the provider knows it.
    pub previous_command: String,
    /// `commandStartTime`: when the current command (or the idle period) began.
    pub command_start_time: IisTimestamp,
    /// `bytesSent`: bytes sent to the client.
    pub bytes_sent: i64,
    /// `bytesReceived`: bytes received from the client.
    pub bytes_received: i64,
    /// `lastErrorStatus`: the last error status (0 when none is known).
    pub last_error_status: u32,
    /// What the provider reports beyond the IIS attributes.
    #[serde(flatten)]
    pub extras: SessionExtras,
}

/// Direction of a transfer in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransferDirection {
    /// The server is sending a file to the client (RETR).
    Download,
    /// The client is sending a file to the server (STOR, STOU, APPE).
    Upload,
}

/// Facts a provider reports beyond the IIS attributes (what Plesk's "Active FTP Sessions"
/// shows). Every field is optional and left out of JSON when unknown.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionExtras {
    /// The IIS FTP site name the session belongs to, from the provider's site mapping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Process id of the session on the FTP server host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Whether the client has logged in; `false` for a session still at the USER/PASS step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    /// The login name as the server reports it (before anonymous mapping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_user: Option<String>,
    /// Client host name, when the server resolved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_host: Option<String>,
    /// The server address the client connected to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_address: Option<String>,
    /// The server port the client connected to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_port: Option<u16>,
    /// The server's name for the virtual host (ProFTPD ServerName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// The session's current directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_directory: Option<String>,
    /// The file being transferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Direction of the transfer in progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_direction: Option<TransferDirection>,
    /// Size of the file being downloaded, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_size: Option<i64>,
    /// Percentage of the download done (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_percent: Option<u8>,
    /// Transfer speed in bytes per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_per_second: Option<u64>,
    /// Seconds the transfer has been running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_seconds: Option<f64>,
    /// Seconds since the session's last command ended (only while idle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_seconds: Option<u64>,
    /// `sessionStartTime` in RFC 3339 UTC form, when the snapshot wrote it otherwise
    /// (an en-US date such as `11/20/2026 9:01:00 AM`, read as UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_start_time_utc: Option<String>,
    /// `commandStartTime` in RFC 3339 UTC form, when the snapshot wrote it otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_start_time_utc: Option<String>,
    /// `true` when the byte counts are derived from a rate and a duration rather than
    /// reported as counts (ProFTPD uploads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_estimated: Option<bool>,
}

impl FtpSession {
    /// A session with the given id and every other attribute empty or zero.
    pub fn new(session_id: impl Into<String>) -> Self {
        Self {
            session_id: session_id.into(),
            user_name: String::new(),
            client_ip: String::new(),
            session_start_time: IisTimestamp::unknown(),
            current_command: String::new(),
            previous_command: String::new(),
            command_start_time: IisTimestamp::unknown(),
            bytes_sent: 0,
            bytes_received: 0,
            last_error_status: 0,
            extras: SessionExtras::default(),
        }
    }

    /// Whether the user is anonymous (IIS shows `<Anonymous>`).
    pub fn is_anonymous(&self) -> bool {
        self.user_name == ANONYMOUS_USER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_uses_iis_names_then_extras() {
        let mut s = FtpSession::new("42");
        s.user_name = ANONYMOUS_USER.into();
        s.extras.pid = Some(42);
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"sessionId":"42","userName":"<Anonymous>","clientIp":"","sessionStartTime":"","currentCommand":"","previousCommand":"","commandStartTime":"","bytesSent":0,"bytesReceived":0,"lastErrorStatus":0,"pid":42}"#
        );
        assert!(s.is_anonymous());
    }
}
