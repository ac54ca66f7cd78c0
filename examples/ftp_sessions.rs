//! Mirrors the IIS documentation's ftpServer/sessions sample: loop over the sessions of
//! FTP site "ftp.example.com" and print each session's id, user name and last command.
//!
//! The IIS sample reads live sessions through Microsoft.Web.Administration; this one
//! reads a snapshot in the same shape (exported on Windows with
//! examples/export-ftp-sessions.ps1), so it runs anywhere:
//!
//! ```text
//! cargo run --example ftp_sessions [SNAPSHOT.json|SNAPSHOT.xml]
//! ```
//!
//! Swap in `iisconf::runtime::ProftpdProvider::live()` or `PureFtpdProvider::live()`
//! (with a `SiteMap`) to read a live server instead.

use iisconf::model::SessionProvider;
use iisconf::runtime::SnapshotProvider;
use std::process::ExitCode;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/sessions/snapshot-ftp.example.com.json"
        )
        .to_string()
    });
    let provider = SnapshotProvider::new(&path);
    let sessions = match provider.list(Some("ftp.example.com")) {
        Ok(sessions) => sessions,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for session in &sessions {
        // The last command: the one running now, else the one before.
        let last_command = if session.current_command.is_empty() {
            &session.previous_command
        } else {
            &session.current_command
        };
        println!("Session ID: {}", session.session_id);
        println!("    User Name: {}", session.user_name);
        println!("    Last Command: {last_command}");
    }
    ExitCode::SUCCESS
}
