//! Live FTP sessions, the runtime data of `system.applicationHost/sites/site/ftpServer/sessions`.
//!
//! * [`model`] — the typed session ([`model::FtpSession`]), the [`model::SessionProvider`]
//!   trait and the table, JSON and XML renderings of a session list.
//! * [`runtime`] — providers of live sessions: ProFTPD, pure-ftpd and IIS snapshot files.

pub mod model;
pub mod runtime;
