//! Choosing sessions by who and where they are and how long they have been idle, as an
//! administrator does before ending several at once.

use super::ftp_session::FtpSession;
use std::time::{Duration, SystemTime};

/// Conditions a session must all meet; an empty filter matches nothing (so that no
/// condition never means "every session").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// The login name (compared case-insensitively, as IIS and Windows compare them);
    /// `<Anonymous>` and the server's account name (`ftp`) both name anonymous sessions.
    pub user: Option<String>,
    /// The client's address, exactly.
    pub client_ip: Option<String>,
    /// Idle for longer than this (sessions running a command, or whose idle time is
    /// unknown, do not match).
    pub idle_over: Option<Duration>,
}

impl SessionFilter {
    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        self.user.is_none() && self.client_ip.is_none() && self.idle_over.is_none()
    }

    /// Whether `session`, as it was at `at`, meets every condition (and there is one).
    pub fn matches(&self, session: &FtpSession, at: SystemTime) -> bool {
        if self.is_empty() {
            return false;
        }
        let user_ok = self.user.as_deref().is_none_or(|u| {
            session.extras.authenticated != Some(false)
                && (session.user_name.eq_ignore_ascii_case(u)
                    || session
                        .extras
                        .server_user
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case(u)))
        });
        let ip_ok = self
            .client_ip
            .as_deref()
            .is_none_or(|ip| session.client_ip == ip);
        let idle_ok = self
            .idle_over
            .is_none_or(|limit| session.idle_for(at).is_some_and(|idle| idle > limit));
        user_ok && ip_ok && idle_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IisTimestamp, ANONYMOUS_USER};
    use std::time::UNIX_EPOCH;

    fn session(id: &str, user: &str, ip: &str, idle_secs: Option<u64>) -> FtpSession {
        let mut s = FtpSession::new(id);
        s.user_name = user.into();
        s.client_ip = ip.into();
        s.extras.authenticated = Some(true);
        match idle_secs {
            Some(secs) => s.extras.idle_seconds = Some(secs),
            None => s.current_command = "RETR a".into(),
        }
        s
    }

    #[test]
    fn each_condition_narrows() {
        let at = UNIX_EPOCH + Duration::from_secs(5000);
        let bob = session("1", "bob", "203.0.113.7", Some(3600));
        let busy = session("2", "bob", "203.0.113.7", None);
        let alice = session("3", "alice", "10.0.0.1", Some(10));
        let by_user = SessionFilter {
            user: Some("BOB".into()),
            ..SessionFilter::default()
        };
        assert!(by_user.matches(&bob, at) && by_user.matches(&busy, at));
        assert!(!by_user.matches(&alice, at));
        let idle = SessionFilter {
            idle_over: Some(Duration::from_secs(30 * 60)),
            ..SessionFilter::default()
        };
        assert!(idle.matches(&bob, at));
        assert!(!idle.matches(&busy, at) && !idle.matches(&alice, at));
        let ip = SessionFilter {
            client_ip: Some("10.0.0.1".into()),
            ..SessionFilter::default()
        };
        assert!(ip.matches(&alice, at) && !ip.matches(&bob, at));
        assert!(!SessionFilter::default().matches(&bob, at));
    }

    #[test]
    fn anonymous_by_either_name_and_never_before_login() {
        let at = UNIX_EPOCH;
        let mut anon = session("4", ANONYMOUS_USER, "1.2.3.4", Some(1));
        anon.extras.server_user = Some("ftp".into());
        for name in ["ftp", ANONYMOUS_USER] {
            let f = SessionFilter {
                user: Some(name.into()),
                ..SessionFilter::default()
            };
            assert!(f.matches(&anon, at), "{name}");
        }
        let mut pre = FtpSession::new("5");
        pre.extras.authenticated = Some(false);
        pre.session_start_time = IisTimestamp::from_unix_millis(0);
        let f = SessionFilter {
            user: Some(String::new()),
            ..SessionFilter::default()
        };
        assert!(!f.matches(&pre, at));
    }
}
