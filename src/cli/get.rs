//! `iisconf get PATH SECTION [ATTR]`: the effective configuration at a path.
//!
//! A section that is invalid at the path (locked there, a bad value) prints nothing on
//! standard output: a script must not read a value IIS would never serve. The errors go to
//! standard error and the exit code is 1; `--force` prints what the files say, marked as such.

use super::set::HierarchyOpts;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::edit::grammar::names::canonical_dotted;
use iisconf::engine::{render, Hierarchy};
use iisconf::schema::{trim_section_name, SectionNameError};
use iisconf::value;

/// Arguments of `iisconf get`.
#[derive(clap::Args)]
pub struct GetArgs {
    /// Config path: "" or "/" for the server, `Site`, `Site/app`,
    /// `MACHINE/WEBROOT/APPHOST/Site/app`, or a URL (`http://localhost/app/`).
    path: String,
    /// Section, e.g. system.webServer/asp (a unique short name such as asp works too).
    section: String,
    /// An attribute as an appcmd-style dotted path (`session.timeout`, any letter case);
    /// prints only its value.
    attr: Option<String>,
    /// Print the effective section with provenance as JSON.
    #[arg(long, conflicts_with = "explain")]
    json: bool,
    /// Print where each value came from and what it overrode.
    #[arg(long)]
    explain: bool,
    /// Print the section even where it is invalid at the path (what the files say, not what
    /// IIS would serve); the output is marked and the exit code stays 1.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    config: HierarchyOpts,
}

/// Runs `iisconf get`.
pub fn run(mut args: GetArgs) -> u8 {
    let hierarchy = match args.config.open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    // Values a web.config that was not read would set are missing from the answer.
    let unread = super::errors::unread_web_configs(&hierarchy);
    for note in &unread {
        eprintln!("warning: {note}");
    }
    // A URL (http://localhost/app1/) names `Site/app1` through the sites' bindings.
    match super::set::config_path(&hierarchy, &args.path) {
        Ok(path) => args.path = path,
        Err(m) => {
            eprintln!("error: {m}");
            return EXIT_USAGE;
        }
    }
    let section = match section_name(&hierarchy, &args.section) {
        Ok(name) => name,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let effective = match hierarchy.effective(&args.path, &section) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {}", super::errors::engine_message(&e));
            return EXIT_USAGE;
        }
    };
    // What refuses the section at the path: the library marks the values it returns.
    let errors = &effective.refused;
    for f in errors {
        eprintln!("{f}");
        if let Some(help) = &f.help {
            eprintln!("  help: {help}");
        }
    }
    let invalid = !errors.is_empty();
    if invalid && !args.force {
        eprintln!(
            "error: {section} is invalid at {}: IIS would not serve these values, so none is printed\n  help: fix the errors above, or pass --force to print what the files say",
            effective.path
        );
        return EXIT_FINDINGS;
    }
    if invalid {
        eprintln!(
            "warning: printed because of --force: what the files say, not what IIS would serve at {}",
            effective.path
        );
    }
    let marker = invalid.then(|| {
        format!(
            "invalid at {}: what the files say, printed because of --force",
            effective.path
        )
    });
    if let Some(given) = &args.attr {
        // Names are case-insensitive as in appcmd: `requestlimits.MAXURL` reads maxUrl.
        let attr = &match hierarchy.registry().section(&section) {
            Some(schema) => canonical_dotted(schema, given),
            None => given.clone(),
        };
        let Some(found) = effective.root.lookup(attr) else {
            eprintln!(
                "error: '{attr}' has no value in {section} at {}\n  help: `iisconf schema show {section}` lists its attributes",
                effective.path
            );
            return EXIT_USAGE;
        };
        println!("{}", written_form(&hierarchy, &section, attr, &found.value));
    } else if args.json {
        let mut value = match serde_json::to_value(&effective) {
            Ok(value) => value,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        if let (Some(marker), Some(object)) = (&marker, value.as_object_mut()) {
            object.insert("forced".into(), marker.as_str().into());
        }
        if let (false, Some(object)) = (unread.is_empty(), value.as_object_mut()) {
            object.insert("notes".into(), unread.clone().into());
        }
        match serde_json::to_string_pretty(&value) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    } else if args.explain {
        if let Some(marker) = &marker {
            println!("# {marker}");
        }
        print!("{}", render::explain(&effective));
    } else {
        if let Some(marker) = &marker {
            println!("<!-- {marker} -->");
        }
        print!("{}", render::to_xml(&effective));
    }
    if invalid {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The full name of the section: one the hierarchy declares, else the schema's section for
/// a unique short name (`asp`). A name no schema knows is kept as given, for the engine to
/// report; an ambiguous short name is an error listing the candidates.
fn section_name(hierarchy: &Hierarchy, given: &str) -> Result<String, String> {
    let trimmed = trim_section_name(given);
    if hierarchy.declaration(trimmed).is_some() {
        return Ok(trimmed.to_string());
    }
    // As appcmd: a name several sections end with is the system.webServer one.
    match iisconf::edit::grammar::names::resolve_section_name(hierarchy.registry(), given) {
        Ok(section) => Ok(section.name.clone()),
        Err(e @ SectionNameError::Unknown { .. }) => match hierarchy.registry().section_hint(given)
        {
            Some(hint) => Err(format!("{e}; {hint}")),
            None => Ok(trimmed.to_string()),
        },
        Err(e) => Err(format!("{e}\n  help: give the full name")),
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
