//! What an administrator asks of one session at a given moment: how long it has been
//! connected, how long idle, and a one-line description naming it.

use super::ftp_session::FtpSession;
use std::time::{Duration, SystemTime};

impl FtpSession {
    /// How long the client had been connected at `at`; `None` when the start is unknown.
    pub fn connected_for(&self, at: SystemTime) -> Option<Duration> {
        self.session_start_time.elapsed_until(at)
    }

    /// How long the session had been idle at `at`: `None` while a command runs, or when
    /// the provider knows no idle time. Counted from the idle period's start when known,
    /// so that it is measured against the same moment as [`Self::connected_for`].
    pub fn idle_for(&self, at: SystemTime) -> Option<Duration> {
        if !self.current_command.is_empty() {
            return None;
        }
        self.command_start_time
            .elapsed_until(at)
            .or(self.extras.idle_seconds.map(Duration::from_secs))
    }

    /// The user for people: the login name, or `(not logged in)` before login.
    pub fn user_label(&self) -> &str {
        if self.extras.authenticated == Some(false) || self.user_name.is_empty() {
            "(not logged in)"
        } else {
            &self.user_name
        }
    }

    /// Where the session is: the IIS site name, else the server's name, else the server
    /// address and port the client connected to.
    pub fn place_label(&self) -> Option<String> {
        let x = &self.extras;
        if let Some(site) = x.site.as_ref().or(x.server_name.as_ref()) {
            return Some(site.clone());
        }
        match (&x.server_address, x.server_port) {
            (Some(addr), Some(port)) => Some(format!("{addr}:{port}")),
            (Some(addr), None) => Some(addr.clone()),
            (None, Some(port)) => Some(format!("port {port}")),
            (None, None) => None,
        }
    }

    /// `FTP session 22874 of bob from 203.0.113.7 on ftp.example.com`: the words that
    /// name the session when asking whether to end it.
    pub fn description(&self) -> String {
        let mut text = format!("FTP session {} of {}", self.session_id, self.user_label());
        if !self.client_ip.is_empty() {
            text.push_str(" from ");
            text.push_str(&self.client_ip);
        }
        if let Some(place) = self.place_label() {
            text.push_str(" on ");
            text.push_str(&place);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IisTimestamp;
    use std::time::UNIX_EPOCH;

    fn bob() -> FtpSession {
        let mut s = FtpSession::new("22874");
        s.user_name = "bob".into();
        s.client_ip = "203.0.113.7".into();
        s.extras.authenticated = Some(true);
        s.extras.site = Some("ftp.example.com".into());
        s.extras.server_address = Some("127.0.0.1".into());
        s.extras.server_port = Some(21);
        s
    }

    #[test]
    fn description_names_user_client_and_site() {
        assert_eq!(
            bob().description(),
            "FTP session 22874 of bob from 203.0.113.7 on ftp.example.com"
        );
        let mut s = bob();
        s.extras.site = None;
        assert_eq!(
            s.description(),
            "FTP session 22874 of bob from 203.0.113.7 on 127.0.0.1:21"
        );
        let mut s = FtpSession::new("7");
        s.extras.authenticated = Some(false);
        assert_eq!(s.description(), "FTP session 7 of (not logged in)");
    }

    #[test]
    fn durations_count_to_the_given_moment() {
        let at = UNIX_EPOCH + Duration::from_secs(10_000);
        let mut s = bob();
        s.session_start_time = IisTimestamp::from_unix_millis(4_000_000);
        s.command_start_time = IisTimestamp::from_unix_millis(9_000_000);
        assert_eq!(s.connected_for(at), Some(Duration::from_secs(6000)));
        assert_eq!(s.idle_for(at), Some(Duration::from_secs(1000)));
        s.current_command = "LIST".into();
        assert_eq!(s.idle_for(at), None);
        let mut t = bob();
        t.extras.idle_seconds = Some(42);
        assert_eq!(t.idle_for(at), Some(Duration::from_secs(42)));
        assert_eq!(t.connected_for(at), None);
    }
}
