//! `iisconf schema list|show`: what the loaded schema knows.

use super::{SchemaOpts, EXIT_OK, EXIT_USAGE};
use iisconf::schema::{ElementSchema, Registry};

/// Arguments of `iisconf schema`.
#[derive(clap::Args)]
pub struct SchemaArgs {
    #[command(subcommand)]
    command: SchemaCommand,
    #[command(flatten)]
    schema: SchemaOpts,
}

#[derive(clap::Subcommand)]
enum SchemaCommand {
    /// List the loaded sections with the files that define them.
    List,
    /// Show an element's attributes (type, default, validation, description) and children.
    Show {
        /// SECTION[/ELEMENT…], e.g. system.webServer/asp/session (or asp/session: a unique
        /// short section name works too).
        path: String,
    },
}

/// Runs `iisconf schema`.
pub fn run(args: SchemaArgs) -> u8 {
    let registry = match args.schema.registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match args.command {
        SchemaCommand::List => {
            for section in registry.sections() {
                println!("{}\t{}", section.name, section.sources.join(", "));
            }
            EXIT_OK
        }
        SchemaCommand::Show { path } => show_path(&registry, &path),
    }
}

/// `schema show PATH`: the element at PATH, whose section may be given by a short name.
fn show_path(registry: &Registry, given: &str) -> u8 {
    let path = match super::schema_path(registry, given) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    match registry.resolve(&path) {
        Some((section, element, _)) => {
            show(registry, &path, &section.name, element);
            EXIT_OK
        }
        None => {
            match registry.section_hint(given) {
                Some(hint) => eprintln!(
                    "error: no section or element `{given}` in the loaded schema\n  help: {hint}"
                ),
                None => eprintln!(
                    "error: no section or element `{given}` in the loaded schema\n  help: `iisconf schema list` lists the sections; add --schema-dir for sections outside the embedded schema"
                ),
            }
            EXIT_USAGE
        }
    }
}

fn show(registry: &Registry, path: &str, section: &str, element: &ElementSchema) {
    let path = path.trim_matches('/');
    println!(
        "{path}  (section {section}, declared at {})",
        element.origin
    );
    if let Some(text) = registry.description(path) {
        println!("  {text}");
    }
    if element.extension.is_some() {
        println!("  runtime data supplied by the server: read-only, never configured in a file");
    }
    if !element.attributes.is_empty() {
        println!("\nattributes:");
    }
    for a in &element.attributes {
        let mut facts = vec![a.kind.schema_name().to_string()];
        if let Some(d) = &a.default_value {
            facts.push(format!("default {d:?}"));
        }
        if a.required {
            facts.push("required".into());
        }
        if a.is_unique_key {
            facts.push("unique key".into());
        }
        if a.is_combined_key {
            facts.push("combined key".into());
        }
        if let (Some(t), p) = (&a.validation_type, &a.validation_parameter) {
            facts.push(match p {
                Some(p) => format!("{t}({p})"),
                None => t.clone(),
            });
        }
        if a.allow_infinite {
            facts.push("Infinite allowed".into());
        }
        if a.encrypted {
            facts.push("encrypted".into());
        }
        if a.extension.is_some() {
            facts.push("runtime".into());
        }
        if !a.choices.is_empty() {
            let names: Vec<&str> = a.choices.iter().map(|c| c.name.as_str()).collect();
            facts.push(format!("one of {}", names.join("|")));
        }
        println!("  {:<28} {}", a.name, facts.join(", "));
        if let Some(text) = registry.description(&format!("{path}@{}", a.name)) {
            println!("  {:<28} {text}", "");
        }
    }
    if !element.elements.is_empty() {
        println!("\nchild elements:");
        for e in &element.elements {
            println!("  {}", e.name);
        }
    }
    for c in &element.collections {
        let keys: Vec<&str> = c.key_attributes().iter().map(|a| a.name.as_str()).collect();
        println!(
            "\ncollection: add <{}>{}{}, key {}{}",
            c.add_elements.join("> or <"),
            c.remove_element
                .as_ref()
                .map(|r| format!(", remove <{r}>"))
                .unwrap_or_default(),
            c.clear_element
                .as_ref()
                .map(|r| format!(", clear <{r}>"))
                .unwrap_or_default(),
            if keys.is_empty() {
                "(none)".to_string()
            } else {
                keys.join(", ")
            },
            if c.merge_append {
                ""
            } else {
                ", child entries first (mergeAppend=false)"
            },
        );
    }
    for m in &element.methods {
        println!("\nmethod {}", m.name);
        if let Some(text) = registry.description(&format!("{path}#{}", m.name)) {
            println!("  {text}");
        }
    }
}
