//! `iisconf appcmd …`: appcmd's CONFIG verbs with appcmd's grammar, so scripts written for
//! Windows run unchanged:
//!
//! ```text
//! iisconf appcmd set config "Default Web Site" -section:system.webServer/asp /session.max:"1000" /commit:apphost
//! iisconf appcmd set config "Default Web Site" -section:defaultDocument "/+files.[value='home.htm']"
//! iisconf appcmd list config "Default Web Site" -section:asp [/config:*]
//! iisconf appcmd clear config "Default Web Site" -section:asp
//! iisconf appcmd lock config "Intranet" -section:httpErrors
//! ```
//!
//! Parameters start with `/` or `-`; `/!name:value` sets an attribute whose name clashes
//! with a switch. The whole command may also be passed as one string, split as Windows
//! splits command lines. iisconf's own `--root-map`, `--schema-dir`, `--env`, `--apphost`,
//! `--dry-run`, `--backup-dir`, `--no-backup`, `--webroot-config`, `--machine-config` and
//! `--allow-plaintext-secrets` may be mixed in.

use super::set::{
    clear_change, resolve_section, run_transaction, transaction, HierarchyOpts, WriteOpts,
};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::edit::grammar::appcmd::{self, AppcmdCommand, AppcmdError, HostFlags, Verb};
use iisconf::edit::{Change, Edit};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::render::{to_xml_with, XmlOptions};
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
    ],
    switches: &["--dry-run", "--no-backup", "--allow-plaintext-secrets"],
};

/// The parsed command with iisconf's own options applied.
struct Command {
    appcmd: AppcmdCommand,
    hierarchy: HierarchyOpts,
    write: WriteOpts,
}

/// Parses appcmd arguments (already split by the shell, or one string to split).
fn parse(raw: &[String]) -> Result<Command, String> {
    let appcmd = appcmd::parse(raw, &OWN_FLAGS).map_err(|e| match e {
        AppcmdError::MissingVerb => "usage: iisconf appcmd (set|list|clear|lock|unlock) config [PATH] -section:NAME [/attr:value …]".to_string(),
        AppcmdError::UnsupportedObject { object } => format!(
            "iisconf appcmd supports the CONFIG object only (set|list|clear|lock|unlock config), not \"{object}\""
        ),
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

fn fail(message: impl std::fmt::Display, code: u8) -> u8 {
    eprintln!("ERROR ( message:{message} )");
    code
}

/// Runs `iisconf appcmd`.
pub fn run(args: AppcmdArgs) -> u8 {
    let Command {
        appcmd: cmd,
        hierarchy,
        write,
    } = match parse(&args.args) {
        Ok(c) => c,
        Err(m) => return fail(m, EXIT_USAGE),
    };
    let h = match hierarchy.open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    let path = cmd.path.clone().unwrap_or_default();
    let section = match &cmd.section {
        Some(s) => match resolve_section(&h, s) {
            Ok(s) => Some(s),
            Err(m) => return fail(m, EXIT_USAGE),
        },
        None => None,
    };
    if cmd.verb == Verb::List {
        let sections: Vec<String> = match section {
            Some(s) => vec![s],
            None => h.registry().sections().map(|s| s.name.clone()).collect(),
        };
        for s in sections {
            match h.effective(&path, &s) {
                Ok(eff) => print!(
                    "{}",
                    to_xml_with(
                        &eff,
                        &XmlOptions {
                            defaults: cmd.config_all,
                            section_groups: true,
                            indent: "  ",
                        }
                    )
                ),
                Err(e) => return fail(e, EXIT_FINDINGS),
            }
        }
        return EXIT_OK;
    }
    let Some(section) = section else {
        return fail(
            "a section is required: -section:NAME (e.g. -section:system.webServer/asp)",
            EXIT_USAGE,
        );
    };
    let target = cmd
        .commit
        .as_deref()
        .map_or(CommitTarget::Url, CommitTarget::parse);
    let changes = match &cmd.verb {
        Verb::Set => match cmd.set_changes() {
            Ok(changes) => changes,
            Err(e) => return fail(e, EXIT_USAGE),
        },
        Verb::Clear => clear_changes(&h, &section, &cmd.clear_targets()),
        Verb::Lock => vec![Change::Lock { deny: true }],
        Verb::Unlock => vec![Change::Lock { deny: false }],
        // Listed above.
        Verb::List => Vec::new(),
        Verb::Other(other) => {
            return fail(
                format!("unknown verb \"{other}\": use set, list, clear, lock or unlock"),
                EXIT_USAGE,
            )
        }
    };
    let mut tx = transaction(h, &hierarchy, &write);
    for change in changes {
        tx.push(Edit {
            path: path.clone(),
            section: section.clone(),
            target: target.clone(),
            change,
        });
    }
    run_transaction(tx, &write)
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
        assert_eq!(
            message(&["list", "sites"]),
            "iisconf appcmd supports the CONFIG object only (set|list|clear|lock|unlock config), not \"sites\""
        );
        assert_eq!(message(&["list", "config", "--env"]), "--env needs a value");
    }
}
