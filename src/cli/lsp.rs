//! `iisconf lsp`: the language server over stdio (see the `iisconf-lsp` crate).

use super::EXIT_OK;
use std::process::Command;

/// Exit status when the editor ends the session without `shutdown` (as LSP asks).
const EXIT_NO_SHUTDOWN: u8 = 1;

/// The allocator's option that returns freed memory to the system at once rather than
/// after a delay counted only while the process allocates: a server that checked a large
/// document and then waits for the editor keeps 1.4x the document resident instead of 5x.
/// mimalloc reads it when the process starts, so the server runs as a child that has it.
const PURGE_AT_ONCE: (&str, &str) = ("MIMALLOC_PURGE_DELAY", "0");

/// Arguments of `iisconf lsp`.
#[derive(clap::Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Serves one editor over stdio until it sends `exit`: status 0 after `shutdown`, 1 when
/// it exits without one or goes away.
pub fn run(_args: LspArgs) -> u8 {
    let (name, value) = PURGE_AT_ONCE;
    if std::env::var_os(name).is_none() {
        // The child inherits stdin, stdout and stderr; its status is the server's.
        let child = std::env::current_exe()
            .and_then(|exe| Command::new(exe).arg("lsp").env(name, value).status());
        if let Ok(status) = child {
            return status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(EXIT_NO_SHUTDOWN);
        }
    }
    match iisconf::lsp::serve_stdio() {
        iisconf::lsp::Ending::Clean => EXIT_OK,
        iisconf::lsp::Ending::Abrupt => EXIT_NO_SHUTDOWN,
    }
}
