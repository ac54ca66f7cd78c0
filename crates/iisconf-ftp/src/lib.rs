//! Live FTP sessions, the runtime data of `system.applicationHost/sites/site/ftpServer/sessions`.
//!
//! * [`model`] — the typed session ([`model::FtpSession`]), the [`model::SessionProvider`]
//!   trait and the table, JSON and XML renderings of a session list.
//! * [`runtime`] — providers of live sessions: ProFTPD, pure-ftpd and IIS snapshot files.

// No unsafe code, except in `runtime::process`, which allows it for its libc calls.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod model;
pub mod runtime;
