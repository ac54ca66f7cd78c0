//! `iisconf defaults SECTION [ELEMENT]`: a section or element at its schema defaults.

use super::new::{emit, OutputOpts};
use super::{SchemaOpts, EXIT_USAGE};
use iisconf::generate::{self, TemplateOptions};

/// Arguments of `iisconf defaults`.
#[derive(clap::Args)]
pub struct DefaultsArgs {
    /// The section, e.g. system.webServer/asp or a unique short name such as asp (or a full
    /// element path).
    section: String,
    /// An element below the section, e.g. session or site/bindings.
    element: Option<String>,
    /// Leave out the comments before each element.
    #[arg(long)]
    no_comments: bool,
    /// Add a comment line per attribute (type and description).
    #[arg(long)]
    describe: bool,
    /// For an element: also write the section groups and elements around it.
    #[arg(long)]
    wrap: bool,
    #[command(flatten)]
    output: OutputOpts,
    #[command(flatten)]
    schema: SchemaOpts,
}

/// Runs `iisconf defaults`.
pub fn run(args: DefaultsArgs) -> u8 {
    let registry = match args.schema.registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let path = match &args.element {
        Some(e) => format!(
            "{}/{}",
            args.section.trim_end_matches('/'),
            e.trim_matches('/')
        ),
        None => args.section.clone(),
    };
    let path = match super::schema_path(&registry, &path) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let options = TemplateOptions {
        element_comments: !args.no_comments,
        attribute_comments: args.describe,
        wrap_in_parents: args.wrap,
        header: !args.no_comments,
    };
    match generate::defaults_template(&registry, &path, &options) {
        Ok(text) => emit(&text, &args.output),
        Err(e) => {
            match registry.section_hint(&args.section) {
                Some(hint) => eprintln!("error: {e}\n  help: {hint}"),
                None => eprintln!("error: {e}\n  help: `iisconf schema list` lists the sections; add --schema-dir for sections outside the embedded schema"),
            }
            EXIT_USAGE
        }
    }
}
