//! `iisconf docs`: schema documentation export.

use super::{SchemaOpts, EXIT_OK, EXIT_USAGE};
use iisconf::docs::{self, DocsFormat};
use std::path::PathBuf;

/// Export formats on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// DIR/index.md and one page per section and element.
    Markdown,
    /// A static HTML site with navigation and search (works from file://).
    Html,
    /// DIR/configuration.xsd for editors and xmllint.
    Xsd,
    /// DIR/schema.json: the schema model (documented shape, formatVersion 1).
    Json,
}

/// Arguments of `iisconf docs`.
#[derive(clap::Args)]
pub struct DocsArgs {
    /// Output format.
    #[arg(long, value_enum)]
    format: Format,
    /// Output folder (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    schema: SchemaOpts,
}

/// Runs `iisconf docs`.
pub fn run(args: DocsArgs) -> u8 {
    let registry = match args.schema.registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let format = match args.format {
        Format::Markdown => DocsFormat::Markdown,
        Format::Html => DocsFormat::Html,
        Format::Xsd => DocsFormat::Xsd,
        Format::Json => DocsFormat::Json,
    };
    match docs::export(&registry, format, &args.out) {
        Ok(summary) => {
            eprintln!("wrote {} file(s) to {}", summary.files, args.out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
