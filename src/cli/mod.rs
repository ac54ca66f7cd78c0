//! Command-line front end: parses arguments, calls the library, renders results.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod sessions;

/// Exit code: success, nothing at or above the fail level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings (or invalid configuration).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error or unreadable input.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "iisconf",
    version,
    about = "Lint, generate, edit and document IIS configuration files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Live FTP sessions (ftpServer/sessions): list, watch, terminate.
    Sessions(sessions::SessionsArgs),
}

/// Parses the command line and runs the chosen command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let code: u8 = match cli.command {
        Command::Sessions(args) => sessions::run(args),
    };
    ExitCode::from(code)
}
