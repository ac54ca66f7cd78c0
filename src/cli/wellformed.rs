//! `iisconf check FILE…`: well-formedness of each file.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::xml::Document;
use std::path::PathBuf;

/// Arguments of `iisconf check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Configuration files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Parses each file; prints `file:line:col: error: …` for each one that is not well formed.
pub fn run(args: CheckArgs) -> u8 {
    let mut code = EXIT_OK;
    for path in &args.files {
        let loaded = match super::stdin::is_stdin(path) {
            true => super::stdin::read(path).map(Document::from_vec),
            false => Document::load(path),
        };
        let shown = match super::stdin::is_stdin(path) {
            true => std::path::PathBuf::from(super::stdin::display_name(None)),
            false => path.clone(),
        };
        let path = &shown;
        let parsed = match loaded {
            Ok(parsed) => parsed,
            Err(e) => {
                eprintln!("{}: error: cannot read the file: {e}", path.display());
                code = EXIT_USAGE;
                continue;
            }
        };
        match parsed {
            Ok(_) => {}
            Err(e) => {
                eprintln!("{}:{}: error: {}", path.display(), e.position, e.message);
                if let Some(help) = &e.help {
                    eprintln!("  help: {help}");
                }
                if code == EXIT_OK {
                    code = EXIT_FINDINGS;
                }
            }
        }
    }
    code
}
