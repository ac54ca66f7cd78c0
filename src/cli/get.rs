//! `iisconf get PATH SECTION [ATTR]`: the effective configuration at a path.

use super::set::HierarchyOpts;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::diagnostic::Severity;
use iisconf::engine::{render, Hierarchy};
use iisconf::value;

/// Arguments of `iisconf get`.
#[derive(clap::Args)]
pub struct GetArgs {
    /// Config path: "" or "/" for the server, `Site`, `Site/app`,
    /// `MACHINE/WEBROOT/APPHOST/Site/app`, or a URL (`http://localhost/app/`).
    path: String,
    /// Section, e.g. system.webServer/asp.
    section: String,
    /// An attribute as an appcmd-style dotted path (`session.timeout`); prints only its value.
    attr: Option<String>,
    /// Print the effective section with provenance as JSON.
    #[arg(long, conflicts_with = "explain")]
    json: bool,
    /// Print where each value came from and what it overrode.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    config: HierarchyOpts,
}

/// Runs `iisconf get`.
pub fn run(mut args: GetArgs) -> u8 {
    let hierarchy = match args.config.open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    // A URL (http://localhost/app1/) names `Site/app1` through the sites' bindings.
    match super::set::config_path(&hierarchy, &args.path) {
        Ok(path) => args.path = path,
        Err(m) => {
            eprintln!("error: {m}");
            return EXIT_USAGE;
        }
    }
    let effective = match hierarchy.effective(&args.path, &args.section) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {}", super::errors::engine_message(&e));
            return EXIT_USAGE;
        }
    };
    let invalid = report_invalid(&hierarchy, &args.path, &args.section);
    if let Some(attr) = &args.attr {
        let Some(found) = effective.root.lookup(attr) else {
            eprintln!(
                "error: '{attr}' has no value in {} at {}\n  help: `iisconf schema show {}` lists its attributes",
                args.section, effective.path, args.section
            );
            return EXIT_USAGE;
        };
        println!(
            "{}",
            written_form(&hierarchy, &args.section, attr, &found.value)
        );
    } else if args.json {
        match serde_json::to_string_pretty(&effective) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    } else if args.explain {
        print!("{}", render::explain(&effective));
    } else {
        print!("{}", render::to_xml(&effective));
    }
    if invalid {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The value in IIS's written form (`True` → `true`, `0.00:10:00` → `00:10:00`).
fn written_form(hierarchy: &Hierarchy, section: &str, dotted: &str, text: &str) -> String {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let Some(name) = parts.pop() else {
        return text.to_string();
    };
    let path = std::iter::once(section)
        .chain(parts.iter().copied())
        .collect::<Vec<_>>()
        .join("/");
    let Some(attr) = hierarchy
        .registry()
        .resolve(&path)
        .and_then(|(_, e, _)| e.attribute(name))
    else {
        return text.to_string();
    };
    let spec = attr.type_spec();
    match value::parse_value(&spec, text) {
        Ok(v) => v.to_iis_string(&spec),
        Err(_) => text.to_string(),
    }
}

/// Prints the errors that make the section invalid at that path; true when there are any.
fn report_invalid(hierarchy: &Hierarchy, path: &str, section: &str) -> bool {
    let findings = hierarchy
        .check_section_at(path, section)
        .unwrap_or_default();
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    for f in &errors {
        eprintln!("{f}");
        if let Some(help) = &f.help {
            eprintln!("  help: {help}");
        }
    }
    !errors.is_empty()
}
