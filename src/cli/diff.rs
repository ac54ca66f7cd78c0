//! `iisconf diff OLD NEW`: what differs in the effective configuration of two
//! applicationHost.config hierarchies (or two web.config files), and the appcmd commands
//! (or the XDT transform) that make OLD like NEW.

use super::set::HierarchyOpts;
use super::{SchemaOpts, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::config::ConfigFile;
use iisconf::diagnostic::{Finding, Rule, Severity};
use iisconf::diff::{emit, render, Diff};
use iisconf::engine::{read_config_pair, EngineError, Hierarchy};
use iisconf::schema::Registry;
use std::path::PathBuf;

/// Report formats.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
}

/// What `--emit` prints instead of the report.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Emit {
    /// appcmd commands, one per line.
    Appcmd,
    /// An XML-Document-Transform of OLD's applicationHost.config (for `iisconf transform`).
    Xdt,
}

/// The shell the emitted commands are quoted for.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ShellArg {
    Posix,
    Cmd,
}

/// Arguments of `iisconf diff`.
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 the effective configurations are the same, 1 they differ, 2 error (or either side invalid, unless --allow-invalid).\n\nExample:\n  iisconf diff old/applicationHost.config new/applicationHost.config --root-map 'C:\\inetpub=./inetpub'\n  iisconf diff old.config new.config --emit appcmd > apply.sh"
)]
pub struct DiffArgs {
    /// OLD: an applicationHost.config, or a web.config read on its own.
    old: PathBuf,
    /// NEW: an applicationHost.config, or a web.config read on its own.
    new: PathBuf,
    /// Map a Windows path prefix to a local folder, for both sides: 'C:\inetpub=./inetpub'.
    #[arg(long = "root-map", value_name = "PREFIX=DIR")]
    root_maps: Vec<String>,
    /// Like --root-map, for OLD only.
    #[arg(long = "old-root-map", value_name = "PREFIX=DIR")]
    old_root_maps: Vec<String>,
    /// Like --root-map, for NEW only.
    #[arg(long = "new-root-map", value_name = "PREFIX=DIR")]
    new_root_maps: Vec<String>,
    /// Extra %VARIABLE% for physical paths: NAME=VALUE. Repeatable.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    env: Vec<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Print what turns OLD into NEW instead of the report.
    #[arg(long, value_enum)]
    emit: Option<Emit>,
    /// Quote the emitted commands for this shell.
    #[arg(long, value_enum, default_value = "posix")]
    shell: ShellArg,
    /// Compare even when either side has errors (they are still printed).
    #[arg(long)]
    allow_invalid: bool,
    #[command(flatten)]
    schema: SchemaOpts,
}

/// Opens one side from its file, read already: an applicationHost.config with its
/// web.config files, or a web.config. The file's kind decides which hierarchy it starts.
/// Both sides share `registry`, loaded once. NEW, given OLD's hierarchy as `earlier`, takes
/// over what OLD derived where it can ([`Hierarchy::of_file_like`]).
fn open(
    args: &DiffArgs,
    registry: &Registry,
    file: &std::path::Path,
    config: Result<ConfigFile, EngineError>,
    own_maps: &[String],
    earlier: Option<&Hierarchy>,
) -> Result<Hierarchy, u8> {
    let opts = HierarchyOpts {
        apphost: Some(file.to_path_buf()),
        root_maps: args.root_maps.iter().chain(own_maps).cloned().collect(),
        env: args.env.clone(),
        schema: args.schema.clone(),
    };
    let config = config.map_err(|e| {
        eprintln!("error: {}", super::errors::engine_message(&e));
        EXIT_USAGE
    })?;
    let options = opts.options().map_err(|(message, code)| {
        eprintln!("error: {message}");
        code
    })?;
    let mut hierarchy = match earlier {
        Some(earlier) => Hierarchy::of_file_like(registry.clone(), config, &options, earlier),
        None => Hierarchy::of_file(registry.clone(), config, &options),
    };
    // Each side is checked for its errors only; a value equal to what it inherits is never
    // one.
    hierarchy.skip_rules([Rule::RedundantValue]);
    Ok(hierarchy)
}

/// Prints the errors among `findings`; true when there are any.
fn report_errors(findings: Vec<Finding>) -> bool {
    let errors: Vec<_> = findings
        .into_iter()
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

/// Runs `iisconf diff`.
pub fn run(args: DiffArgs) -> u8 {
    let registry = match Registry::load_with_modules(&args.schema.schema_dirs, None) {
        Ok(registry) => registry,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    // NEW is read while OLD is parsed, and parsed like OLD: the two are mostly the same.
    let (old_config, new_config) = read_config_pair(&args.old, &args.new);
    // NEW parsed like OLD is opened like OLD's hierarchy, once that is open; otherwise (or
    // when a root map reads web.config files, which opens both whole) the two are opened
    // at once.
    let maps = [&args.root_maps, &args.old_root_maps, &args.new_root_maps];
    let parsed_like = maps.iter().all(|m| m.is_empty())
        && matches!((&old_config, &new_config),
            (Ok(old), Ok(new)) if Hierarchy::may_open_like(new, old));
    let open_old = || {
        let maps = &args.old_root_maps;
        open(&args, &registry, &args.old, old_config, maps, None)
    };
    let open_new = |earlier: Option<&Hierarchy>| {
        let maps = &args.new_root_maps;
        open(&args, &registry, &args.new, new_config, maps, earlier)
    };
    let (old, new) = if parsed_like {
        let old = open_old();
        let new = open_new(old.as_ref().ok());
        (old, new)
    } else {
        iisconf::xml::parallel::join(open_old, || open_new(None))
    };
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    // A web.config that was not read cannot differ: say which were left out.
    super::errors::warn_unread_web_configs(&old, "OLD: ");
    super::errors::warn_unread_web_configs(&new, "NEW: ");
    // OLD's check runs beside the comparison, which first finds the sections NEW writes
    // differently (the comparison is wasted only when a side is invalid and the command
    // stops). Every finding of NEW outside those sections is one of OLD's: when OLD has no
    // error, NEW is checked there only.
    let (old_bad, (mut diff, rewritten)) = iisconf::xml::parallel::join(
        || report_errors(old.check()),
        || {
            let rewritten = new.rewritten_since(&old);
            (
                Diff::between_rewritten(&old, &new, rewritten.as_deref()),
                rewritten,
            )
        },
    );
    let new_bad = report_errors(match rewritten.filter(|_| !old_bad) {
        Some(scope) => new.check_rewritten(&scope),
        None => new.check(),
    });
    if (old_bad || new_bad) && !args.allow_invalid {
        eprintln!(
            "error: {} invalid; fix the errors above or compare anyway with --allow-invalid",
            match (old_bad, new_bad) {
                (true, true) => "both sides are",
                (true, false) => "OLD is",
                _ => "NEW is",
            }
        );
        return EXIT_USAGE;
    }
    // What could not be compared includes the web.config files no root map reads.
    if args.emit.is_none() && matches!(args.format, Format::Json) {
        for (h, side) in [(&old, "OLD"), (&new, "NEW")] {
            for note in super::errors::unread_web_configs(h) {
                diff.notes.push(format!("{side}: {note}"));
            }
        }
    }
    match (args.emit, args.format) {
        (Some(Emit::Appcmd), _) => {
            let shell = match args.shell {
                ShellArg::Posix => emit::Shell::Posix,
                ShellArg::Cmd => emit::Shell::Cmd,
            };
            print!("{}", emit::appcmd(&diff, &old, &new, shell));
        }
        (Some(Emit::Xdt), _) => match emit::xdt(&diff, &old, &new) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        },
        (None, Format::Human) => print!("{}", render::human(&diff)),
        (None, Format::Markdown) => print!("{}", render::markdown(&diff)),
        (None, Format::Json) => match render::json(&diff) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        },
    }
    let code = if diff.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    };
    // Each side is a whole hierarchy: both are freed on the pool while the command exits.
    iisconf::xml::parallel::drop_later(old);
    iisconf::xml::parallel::drop_later(new);
    code
}
