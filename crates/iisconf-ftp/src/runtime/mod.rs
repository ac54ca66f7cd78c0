//! Providers of runtime data: live FTP sessions from real FTP servers and snapshots.
//!
//! Each provider implements [`crate::model::SessionProvider`]:
//! - [`ProftpdProvider`]: ProFTPD, through `ftpwho -o json` (text output as a fallback);
//! - [`PureFtpdProvider`]: pure-ftpd, through `pure-ftpwho -x` (or `-s`);
//! - [`SnapshotProvider`]: a JSON or XML file in the IIS shape, captured elsewhere.
//!
//! [`detect`] tells which one fits: the server whose tool is installed, or the tool that
//! wrote a captured file.
//!
//! The live providers read a captured output file as well as running their tool, and map
//! server instances to IIS FTP site names with a [`SiteMap`].

mod anonymous;
pub mod detect;
// The one module that calls libc (kill(2), sysconf(3)); each block argues its safety.
#[allow(unsafe_code)]
mod process;
pub mod proftpd;
pub mod pureftpd;
mod site_map;
pub mod snapshot;
mod tool;

pub use anonymous::AnonymousUsers;
pub use proftpd::ProftpdProvider;
pub use pureftpd::PureFtpdProvider;
pub use site_map::{SiteMap, SiteMatch, SiteRule};
pub use snapshot::SnapshotProvider;
pub use tool::Source;

use crate::model::FtpSession;

/// The sessions of the FTP site called `site` (names compare case-insensitively, as IIS
/// site names do).
fn of_site(sessions: Vec<FtpSession>, site: &str) -> Vec<FtpSession> {
    sessions
        .into_iter()
        .filter(|s| {
            s.extras
                .site
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(site))
        })
        .collect()
}
