//! Typed views of FTP session runtime data.
//!
//! - [`FtpSession`]: one entry of `system.applicationHost/sites/site/ftpServer/sessions`,
//!   runtime data that IIS builds as clients connect (read-only, never written to a file).
//! - [`SessionProvider`]: where sessions come from (a live FTP server, a snapshot file);
//!   implementations live in [`crate::runtime`].
//! - [`SessionList`] and [`CaptureTime`]: sessions with the moment they describe.
//! - [`SessionFilter`]: choosing sessions by user, client address and idle time.

mod capture;
mod clock_duration;
mod ftp_session;
mod session_facts;
mod session_filter;
mod session_provider;
mod session_render;
mod timestamp;
mod us_date;

pub use capture::{CaptureOrigin, CaptureTime, SessionList};
pub use clock_duration::clock_duration;
pub use ftp_session::{FtpSession, SessionExtras, TransferDirection, ANONYMOUS_USER};
pub use session_filter::SessionFilter;
pub use session_provider::{SessionError, SessionProvider};
pub use session_render::{sessions_to_json, sessions_to_table, sessions_to_xml};
pub use timestamp::IisTimestamp;
pub use us_date::parse_us_datetime;
