//! The IIS configuration language server (`iisconf lsp`): the engine in the editor.
//!
//! It speaks the Language Server Protocol 3.17 over stdio and gives, for web.config,
//! applicationHost.config, administration.config, fragments and XDT transforms:
//! diagnostics on open and on every change (the linter's rules, ids, severities, fixes and
//! `iisconf.toml`), hover with the schema's account and the effective value with its
//! origin, completion of names and values, the lint fixes and "did you mean" as code
//! actions, the outline and go to definition.
//!
//! When the workspace's `iisconf.toml` names an applicationHost.config (`apphost`, with
//! `root-maps`), the server holds that hierarchy with the open documents' text in place of
//! their files: a web.config is checked where it sits (a section locked above it, an entry
//! it duplicates from above), and an edit of the applicationHost.config checks the open
//! web.config files below it again. Each change goes through the engine's one derive path
//! ([`iisconf_core::engine::Hierarchy::replace_file`], then `rederive`).
//!
//! # Protocol crates
//!
//! rust-analyzer's `lsp-types` gives the protocol's types (3.17, with `positionEncoding`),
//! and `lsp-server` its JSON-RPC messages. Both suit a synchronous engine: the server is
//! one loop that takes a message, answers it and moves on, with no async runtime (the
//! engine's checks are synchronous and use rayon's pool for large files). Frames are read
//! by this crate's own [`transport`] rather than lsp-server's reader, which ends the
//! session on a body that is not UTF-8 or not JSON; here such a frame is answered with a
//! parse error and the session goes on. Diagnostics are published once the queue of
//! incoming messages is drained, so a burst of keystrokes costs one check.
//!
//! The library never prints: the protocol goes to the writer given to [`serve`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod actions;
mod complete;
mod context;
mod diagnostics;
mod hover;
mod navigate;
mod place;
mod scan;
mod server;
pub mod text;
pub mod transport;
mod workspace;

pub use server::Ending;

use std::io::{BufRead, Write};

/// Serves one client reading `input` and writing `output` until `exit` or the end of the
/// input.
pub fn serve(input: impl BufRead + Send + 'static, output: &mut dyn Write) -> Ending {
    let incoming = transport::spawn_reader(input);
    server::serve(incoming, output)
}

/// Serves one client over standard input and output.
pub fn serve_stdio() -> Ending {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serve(std::io::BufReader::new(std::io::stdin()), &mut out)
}
