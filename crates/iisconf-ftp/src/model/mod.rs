//! Typed views of FTP session runtime data.
//!
//! - [`FtpSession`]: one entry of `system.applicationHost/sites/site/ftpServer/sessions`,
//!   runtime data that IIS builds as clients connect (read-only, never written to a file).
//! - [`SessionProvider`]: where sessions come from (a live FTP server, a snapshot file);
//!   implementations live in [`crate::runtime`].

mod ftp_session;
mod session_provider;
mod session_render;
mod timestamp;

pub use ftp_session::{FtpSession, SessionExtras, TransferDirection, ANONYMOUS_USER};
pub use session_provider::{SessionError, SessionProvider};
pub use session_render::{sessions_to_json, sessions_to_table, sessions_to_xml};
pub use timestamp::IisTimestamp;
