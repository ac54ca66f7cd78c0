//! The `iisconf` command: a thin front end over the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    iisconf_cli::run()
}

#[path = "cli/mod.rs"]
mod iisconf_cli;
