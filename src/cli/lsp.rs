//! `iisconf lsp`: the language server over stdio (see the `iisconf-lsp` crate).

use super::EXIT_OK;

/// Exit status when the editor ends the session without `shutdown` (as LSP asks).
const EXIT_NO_SHUTDOWN: u8 = 1;

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
    match iisconf::lsp::serve_stdio() {
        iisconf::lsp::Ending::Clean => EXIT_OK,
        iisconf::lsp::Ending::Abrupt => EXIT_NO_SHUTDOWN,
    }
}
