//! Command-line front end: parses arguments, calls the library, renders results.

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

mod appcmd;
mod closed_stdout;
mod completions;
mod defaults;
mod diff;
mod docs;
mod errors;
mod get;
mod lint;
mod lsp;
mod new;
mod rules;
mod schema;
mod sessions;
mod set;
mod stdin;
mod transform;
mod wellformed;

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
    /// Check that configuration files are well-formed XML (exit 0 ok, 1 not well formed, 2 unreadable).
    Check(wellformed::CheckArgs),
    /// Inspect the loaded schema: list sections, show an element's attributes.
    Schema(schema::SchemaArgs),
    /// The effective configuration of a section at a path, with where each value came from.
    Get(get::GetArgs),
    /// Live FTP sessions (ftpServer/sessions): list, watch, terminate.
    Sessions(sessions::SessionsArgs),
    /// Lint configuration files and hierarchies: every IIS rule, for people and CI.
    Lint(lint::LintArgs),
    /// List the lint rules, or explain one: `iisconf rules IIS2001`.
    Rules(rules::RulesArgs),
    /// Set attributes and collection entries of a section at a path, where appcmd's
    /// /commit would put them; validated first, written atomically with a backup.
    Set(set::SetArgs),
    /// Clear a section, element (collection: <clear/>) or attribute at a path.
    Clear(set::ClearArgs),
    /// Lock a section for a path: <location path=… overrideMode="Deny"> in applicationHost.config.
    Lock(set::LockArgs),
    /// Unlock a section for a path: <location path=… overrideMode="Allow"> in applicationHost.config.
    Unlock(set::LockArgs),
    /// appcmd's CONFIG verbs with appcmd's grammar: set|list|clear|lock|unlock config.
    Appcmd(appcmd::AppcmdArgs),
    /// Write a minimal configuration file: `new apphost` or `new webconfig`.
    New(new::NewArgs),
    /// Print a section (or one element) with every attribute at its schema default.
    Defaults(defaults::DefaultsArgs),
    /// Export the loaded schema as documentation: markdown, html, xsd or json.
    Docs(docs::DocsArgs),
    /// Compare the effective configuration of two hierarchies; --emit appcmd prints the commands that make OLD like NEW.
    Diff(diff::DiffArgs),
    /// The language server for editors, over stdio: diagnostics, hover, completion, fixes.
    Lsp(lsp::LspArgs),
    /// Apply XDT transforms (Web.Release.config, applicationHost.xdt) without .NET (exit 0
    /// applied, 1 a transform error and nothing written, 2 unreadable input).
    Transform(transform::TransformArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), with every subcommand's options.
    Man(completions::ManArgs),
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
    let code = closed_stdout::run_guarded(|| match cli.command {
        Command::Check(args) => wellformed::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Get(args) => get::run(args),
        Command::Sessions(args) => sessions::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Set(args) => set::run_set(args),
        Command::Clear(args) => set::run_clear(args),
        Command::Lock(args) => set::run_lock(args, true),
        Command::Unlock(args) => set::run_lock(args, false),
        Command::Appcmd(args) => appcmd::run(args),
        Command::New(args) => new::run(args),
        Command::Defaults(args) => defaults::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Transform(args) => transform::run(args),
        Command::Completions(args) => completions::run_completions(args, Cli::command()),
        Command::Man(args) => completions::run_man(args, Cli::command()),
        Command::Lsp(args) => lsp::run(args),
    });
    ExitCode::from(code)
}

/// Schema options shared by every command that reads configuration.
#[derive(clap::Args, Clone, Default)]
pub struct SchemaOpts {
    /// A folder of IIS schema files (every *.xml in it, as IIS reads
    /// %windir%\system32\inetsrv\config\schema); repeatable. Its base definitions replace
    /// the embedded schema's sections of the same name; extension fragments merge with them.
    #[arg(long = "schema-dir", value_name = "DIR", global = true)]
    pub schema_dirs: Vec<std::path::PathBuf>,
}

impl SchemaOpts {
    /// Loads the registry, printing the error and returning the usage exit code on failure.
    pub fn registry(&self) -> Result<iisconf::schema::Registry, u8> {
        self.registry_with_modules(None)
    }

    /// Like [`SchemaOpts::registry`], with only the add-on `modules` embedded (all when `None`).
    pub fn registry_with_modules(
        &self,
        modules: Option<&[String]>,
    ) -> Result<iisconf::schema::Registry, u8> {
        iisconf::schema::Registry::load_with_modules(&self.schema_dirs, modules).map_err(|e| {
            eprintln!("error: {e}");
            EXIT_USAGE
        })
    }
}

/// Resolves `SECTION[/ELEMENT…]` where SECTION may be a short name (`asp/session`,
/// `requestFiltering`) to the schema's full path (`system.webServer/asp/session`), as appcmd
/// resolves it ([`iisconf::edit::grammar::names::resolve_section_name`]: a name several
/// sections end with is the system.webServer one). A path the schema does not know is kept
/// as given (the caller reports it); a short name that fits several sections none of which
/// appcmd prefers is an error.
pub fn schema_path(registry: &iisconf::schema::Registry, given: &str) -> Result<String, String> {
    let trimmed = iisconf::schema::trim_section_name(given);
    if registry.resolve(trimmed).is_some() {
        return Ok(trimmed.to_string());
    }
    let parts: Vec<&str> = trimmed.split('/').collect();
    let mut ambiguity = None;
    // The longest leading part that names a section wins, as in `Registry::resolve`.
    for split in (1..=parts.len()).rev() {
        let (head, rest) = parts.split_at(split);
        match iisconf::edit::grammar::names::resolve_section_name(registry, &head.join("/")) {
            Ok(section) => {
                let full = std::iter::once(section.name.as_str())
                    .chain(rest.iter().copied())
                    .collect::<Vec<_>>()
                    .join("/");
                if registry.resolve(&full).is_some() {
                    return Ok(full);
                }
            }
            Err(e @ iisconf::schema::SectionNameError::Ambiguous { .. }) => {
                ambiguity.get_or_insert(e);
            }
            Err(_) => {}
        }
    }
    match ambiguity {
        Some(e) => Err(format!("{e}\n  help: give the full name")),
        None => Ok(trimmed.to_string()),
    }
}
