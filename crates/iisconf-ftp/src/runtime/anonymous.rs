//! Which server-side login names are anonymous logins (shown as `<Anonymous>`).

use crate::model::ANONYMOUS_USER;

/// The server-side account names that stand for an anonymous login.
///
/// ProFTPD reports the account of the `<Anonymous>` block (`User ftp`), pure-ftpd the
/// system `ftp` account; both are shown as IIS shows an anonymous user: `<Anonymous>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymousUsers {
    names: Vec<String>,
}

impl Default for AnonymousUsers {
    /// `ftp` and `anonymous`, the names Debian's packages use.
    fn default() -> Self {
        Self::new(["ftp", "anonymous"])
    }
}

impl AnonymousUsers {
    /// The given account names (compared exactly, as Unix account names are).
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            names: names.into_iter().map(Into::into).collect(),
        }
    }

    /// The IIS user name for a server-side account name.
    pub fn iis_user_name(&self, server_user: &str) -> String {
        if self.names.iter().any(|n| n == server_user) {
            ANONYMOUS_USER.to_string()
        } else {
            server_user.to_string()
        }
    }
}
