//! `iisconf appcmd …`: appcmd's CONFIG verbs, and the SITE, APP, VDIR and APPPOOL verbs
//! (`objects`), with appcmd's grammar, so scripts written for Windows run unchanged:
//!
//! ```text
//! iisconf appcmd set config "Default Web Site" -section:system.webServer/asp /session.max:"1000" /commit:apphost
//! iisconf appcmd set config "Default Web Site" -section:defaultDocument "/+files.[value='home.htm']"
//! iisconf appcmd list config "Default Web Site" -section:asp [/config:*]
//! iisconf appcmd clear config "Default Web Site" -section:asp
//! iisconf appcmd lock config "Intranet" -section:httpErrors
//! iisconf appcmd set config http://localhost/app1/ /section:directoryBrowse /enabled:true
//! iisconf appcmd set config /section:?                      (the sections there are)
//! iisconf appcmd set config /?                              (usage)
//! iisconf appcmd add site /name:Shop /bindings:http/*:8080: /physicalPath:C:\inetpub\shop
//! iisconf appcmd list apppools
//! ```
//!
//! Parameters start with `/` or `-`; `/!name:value` sets an attribute whose name clashes
//! with a switch. The whole command may also be passed as one string, split as Windows
//! splits command lines. iisconf's own `--root-map`, `--schema-dir`, `--env`, `--apphost`,
//! `--dry-run`, `--backup-dir`, `--no-backup`, `--webroot-config`, `--machine-config` and
//! `--allow-plaintext-secrets` may be mixed in.
//!
//! Every error is printed in appcmd's own form, `ERROR ( message:… )`, by [`report`]: scripts
//! that look for it keep working. The exit code is 2 for a command line that cannot be
//! carried out as written (unknown section, attribute or entry, bad value) and 1 for a
//! change the configuration refuses (a lock, or one that would make it invalid).

mod help;
mod list;
mod objects;
mod objects_list;

use super::set::{
    canonical, clear_change, config_path, error_code, resolve_section, run_transaction_as,
    transaction, unchanged_words, HierarchyOpts, Voice, WriteOpts,
};
use super::{EXIT_OK, EXIT_USAGE};
use iisconf::edit::grammar::appcmd::{self, AppcmdCommand, AppcmdError, HostFlags, Object, Verb};
use iisconf::edit::grammar::{display_steps, names};
use iisconf::edit::{Change, Edit};
use iisconf::engine::commit::CommitTarget;
use std::path::PathBuf;

/// `iisconf appcmd`.
#[derive(clap::Args)]
#[command(disable_help_flag = true)]
pub struct AppcmdArgs {
    /// The appcmd command line: VERB config [PATH] [-section:NAME] [/param:value …].
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub args: Vec<String>,
}

/// iisconf's own options that may be mixed into an appcmd command line.
const OWN_FLAGS: HostFlags = HostFlags {
    with_value: &[
        "--root-map",
        "--schema-dir",
        "--env",
        "--apphost",
        "--backup-dir",
        "--webroot-config",
        "--machine-config",
        "--lock-timeout",
    ],
    switches: &[
        "--dry-run",
        "--no-backup",
        "--allow-plaintext-secrets",
        "--break-hardlinks",
    ],
};

/// The parsed command with iisconf's own options applied.
struct Command {
    appcmd: AppcmdCommand,
    hierarchy: HierarchyOpts,
    write: WriteOpts,
}

/// The short usage printed when no verb is given.
const USAGE: &str = "usage: iisconf appcmd (set|list|clear|lock|unlock) config [PATH] -section:NAME [/attr:value …], or (add|set|delete|list) (site|app|vdir|apppool) [ID] [/attr:value …] (iisconf appcmd /? for help)";

/// Parses appcmd arguments (already split by the shell, or one string to split).
fn parse(raw: &[String]) -> Result<Command, String> {
    let appcmd = appcmd::parse(raw, &OWN_FLAGS).map_err(|e| match e {
        AppcmdError::MissingVerb => USAGE.to_string(),
        AppcmdError::UnsupportedObject { .. } => USAGE.to_string(),
        other => other.to_string(),
    })?;
    let mut hierarchy = HierarchyOpts::default();
    let mut write = WriteOpts::default();
    for own in &appcmd.host {
        let value = own.value.clone().unwrap_or_default();
        match own.flag.as_str() {
            "--root-map" => hierarchy.root_maps.push(value),
            "--schema-dir" => hierarchy.schema.schema_dirs.push(PathBuf::from(value)),
            "--env" => hierarchy.env.push(value),
            "--apphost" => hierarchy.apphost = Some(PathBuf::from(value)),
            "--backup-dir" => write.backup_dir = Some(PathBuf::from(value)),
            "--webroot-config" => write.webroot_config = Some(PathBuf::from(value)),
            "--machine-config" => write.machine_config = Some(PathBuf::from(value)),
            "--allow-plaintext-secrets" => write.allow_plaintext_secrets = true,
            "--dry-run" => write.dry_run = true,
            "--break-hardlinks" => write.break_hardlinks = true,
            "--lock-timeout" => {
                write.lock_timeout = Some(super::set::parse_lock_timeout(&value)?);
            }
            _ => write.no_backup = true,
        }
    }
    if let Some(apphost) = &appcmd.apphost_config {
        hierarchy.apphost = Some(PathBuf::from(apphost));
    }
    Ok(Command {
        appcmd,
        hierarchy,
        write,
    })
}

/// Prints an error as appcmd prints it: the one place every appcmd error goes through.
fn print_error(message: &str) {
    eprintln!("ERROR ( message:{message} )");
}

/// Reports an error in appcmd's form and gives its exit code.
fn report(message: impl std::fmt::Display, code: u8) -> u8 {
    print_error(&message.to_string());
    code
}

/// An error to report and its exit code.
type Failure = (String, u8);

fn usage_error(message: impl std::fmt::Display) -> Failure {
    (message.to_string(), EXIT_USAGE)
}

/// Runs `iisconf appcmd`.
pub fn run(args: AppcmdArgs) -> u8 {
    match execute(&args.args) {
        Ok(code) => code,
        Err((message, code)) => report(message, code),
    }
}

fn execute(raw: &[String]) -> Result<u8, Failure> {
    let Command {
        appcmd: cmd,
        hierarchy,
        write,
    } = parse(raw).map_err(usage_error)?;
    if cmd.help {
        let verb = (cmd.verb != Verb::default() || raw_names_set(raw)).then_some(&cmd.verb);
        print!("{}", help::usage(verb));
        // `/section:?` with `/?` is the usage alone: `?` names no section.
        if let Some(name) = cmd.section.as_ref().filter(|s| !s.starts_with('?')) {
            let registry =
                iisconf::schema::Registry::load_with_modules(&hierarchy.schema.schema_dirs, None)
                    .map_err(usage_error)?;
            let section = names::resolve_section_name(&registry, name).map_err(usage_error)?;
            print!("\n{}", help::section_parameters(section));
        }
        return Ok(EXIT_OK);
    }
    if let Some(pattern) = cmd.section.as_deref().and_then(|s| s.strip_prefix('?')) {
        let registry =
            iisconf::schema::Registry::load_with_modules(&hierarchy.schema.schema_dirs, None)
                .map_err(usage_error)?;
        print!("{}", section_names(&registry, pattern));
        return Ok(EXIT_OK);
    }
    if cmd.object != Object::Config {
        return objects::run(&cmd, &hierarchy, &write);
    }
    // A list reads only; every other verb locks the hierarchy before it reads it.
    let (_guard, h) = match cmd.verb {
        Verb::List => (None, hierarchy.try_open()?),
        _ => hierarchy.try_open_for_write(&write)?,
    };
    let path = config_path(&h, cmd.path.as_deref().unwrap_or_default()).map_err(usage_error)?;
    let section = match &cmd.section {
        Some(s) => Some(resolve_section(&h, s).map_err(usage_error)?),
        None => None,
    };
    if cmd.verb == Verb::List {
        return list_config(&h, &path, section, &cmd);
    }
    let Some(section) = section else {
        return Err(usage_error(
            "a section is required: -section:NAME (e.g. -section:system.webServer/asp)",
        ));
    };
    let target = cmd
        .commit
        .as_deref()
        .map_or(CommitTarget::Url, CommitTarget::parse);
    let (changes, verb) = match &cmd.verb {
        Verb::Set => (cmd.set_changes().map_err(usage_error)?, "set"),
        Verb::Clear => (clear_changes(&h, &section, &cmd.clear_targets()), "clear"),
        Verb::Lock => (vec![Change::Lock { deny: true }], "lock"),
        Verb::Unlock => (vec![Change::Lock { deny: false }], "unlock"),
        // Listed above.
        Verb::List => (Vec::new(), "list"),
        Verb::Add | Verb::Delete => {
            return Err(usage_error(
                "add and delete act on objects (site, app, vdir, apppool), not on CONFIG: use set config to change a section",
            ))
        }
        Verb::Other(other) => {
            return Err(usage_error(format!(
                "unknown verb \"{other}\": use set, list, clear, lock or unlock (iisconf appcmd /? for help)"
            )))
        }
    };
    let changes: Vec<Change> = changes
        .into_iter()
        .map(|c| canonical(&h, &section, c))
        .collect();
    if cmd.verb == Verb::Set {
        check_deletes(&h, &section, &changes)?;
    }
    let applied = matches!(cmd.verb, Verb::Set | Verb::Clear)
        .then(|| applied_line(&h, &path, &section, &target))
        .flatten();
    let mut tx = transaction(h, &hierarchy, &write);
    for change in changes {
        tx.push(Edit {
            path: path.clone(),
            section: section.clone(),
            target: target.clone(),
            change,
        });
    }
    let voice = Voice {
        error: print_error,
        unchanged: unchanged_words(verb),
    };
    let code = run_transaction_as(tx, &write, &voice);
    if let Some(line) = applied.filter(|_| code == EXIT_OK && !write.dry_run) {
        println!("{line}");
    }
    Ok(code)
}

/// Refuses a delete (`-name`) that names no attribute: it would change nothing, and a
/// collection entry is removed with `/-path.[key='value']`.
fn check_deletes(
    h: &iisconf::engine::Hierarchy,
    section: &str,
    changes: &[Change],
) -> Result<(), Failure> {
    let Some(schema) = h.registry().section(section) else {
        return Ok(());
    };
    for change in changes {
        if let Change::Clear {
            element,
            attribute: Some(attribute),
        } = change
        {
            if !names::is_attribute(schema, element, attribute) {
                let at = display_steps(element);
                let at = if at.is_empty() {
                    section.to_string()
                } else {
                    format!("{section}/{at}")
                };
                return Err(usage_error(format!(
                    "Unrecognized attribute '{attribute}' of {at}: -NAME deletes an attribute; remove a collection entry with /-PATH.[key='value']"
                )));
            }
        }
    }
    Ok(())
}

/// The line appcmd prints on standard output after `set config` and `clear config`, which
/// scripts look for: `Applied configuration changes to section "…" for "…" at configuration
/// commit path "…"`. `None` when the commit cannot be planned (the transaction reports why).
fn applied_line(
    h: &iisconf::engine::Hierarchy,
    path: &str,
    section: &str,
    target: &CommitTarget,
) -> Option<String> {
    let plan = h.plan_commit(path, section, target).ok()?;
    Some(format!(
        "Applied configuration changes to section \"{section}\" for \"{}\" at configuration commit path \"{}\"",
        plan.path.display(),
        plan.file_level.display()
    ))
}

/// `/section:?` lists every section the loaded schema defines, one per line;
/// `/section:?system.webServer/*` those whose name starts with the text before `*` (any
/// letter case), as appcmd lists them.
fn section_names(registry: &iisconf::schema::Registry, pattern: &str) -> String {
    let prefix = pattern.trim().trim_end_matches('*').to_ascii_lowercase();
    let mut names: Vec<&str> = registry
        .sections()
        .map(|s| s.name.as_str())
        .filter(|n| n.to_ascii_lowercase().starts_with(&prefix))
        .collect();
    names.sort_unstable();
    names.iter().map(|n| format!("{n}\n")).collect()
}

/// Whether the verb `set` was written (it is also the parsed default).
fn raw_names_set(raw: &[String]) -> bool {
    raw.iter()
        .flat_map(|a| a.split_whitespace())
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("set"))
}

/// `list config`: the section (every section without one) in the output form asked for.
fn list_config(
    h: &iisconf::engine::Hierarchy,
    path: &str,
    section: Option<String>,
    cmd: &AppcmdCommand,
) -> Result<u8, Failure> {
    let names: Vec<String> = match section {
        Some(s) => vec![s],
        None => h.registry().section_names().map(str::to_string).collect(),
    };
    let mut effective = Vec::with_capacity(names.len());
    for name in &names {
        // The same exit codes as an edit's: 2 for a path or section that does not exist.
        let eff = h.effective(path, name).map_err(|e| {
            let message = super::errors::engine_message(&e);
            (message, error_code(&iisconf::edit::EditError::Engine(e)))
        })?;
        effective.push(eff);
    }
    print!(
        "{}",
        list::render(h, &effective, &cmd.output, cmd.config_all)
    );
    Ok(EXIT_OK)
}

/// The changes of `clear config`: one per element or attribute named (one that cannot be
/// read is skipped, as appcmd does), or the whole section.
fn clear_changes(h: &iisconf::engine::Hierarchy, section: &str, targets: &[&str]) -> Vec<Change> {
    if targets.is_empty() {
        return clear_change(h, section, None).into_iter().collect();
    }
    targets
        .iter()
        .filter_map(|t| clear_change(h, section, Some(t)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn applies_iisconf_options_mixed_in() {
        let cmd = parse(&s(&[
            "set",
            "config",
            "--apphost",
            "a.config",
            "--dry-run",
            "--schema-dir=schemas",
            "/session.max:1",
        ]))
        .unwrap();
        assert_eq!(cmd.hierarchy.apphost, Some(PathBuf::from("a.config")));
        assert_eq!(cmd.hierarchy.schema.schema_dirs, [PathBuf::from("schemas")]);
        assert!(cmd.write.dry_run);
        assert!(!cmd.write.no_backup);
    }

    #[test]
    fn words_grammar_errors_as_appcmd_does() {
        let message = |args: &[&str]| match parse(&s(args)) {
            Err(m) => m,
            Ok(_) => panic!("accepted {args:?}"),
        };
        assert!(message(&["set", "config", "Default", "Web", "Site"])
            .contains("must begin with a / or -"));
        assert!(message(&[]).starts_with("usage: iisconf appcmd"));
        assert!(message(&["list"]).starts_with("usage: iisconf appcmd"));
        assert_eq!(message(&["list", "config", "--env"]), "--env needs a value");
    }
}
