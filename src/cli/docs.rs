//! `iisconf docs`: schema documentation export.

/// Arguments of `iisconf docs`.
#[derive(clap::Args)]
pub struct DocsArgs {}

/// Runs `iisconf docs`.
pub fn run(_args: DocsArgs) -> u8 {
    super::EXIT_USAGE
}
