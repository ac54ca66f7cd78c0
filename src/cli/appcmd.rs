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
//! `--dry-run`, `--backup-dir` and `--no-backup` may be mixed in.

use super::set::{
    clear_change, entry_change, resolve_section, run_transaction, set_change, HierarchyOpts,
    WriteOpts,
};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::edit::path::split_outside;
use iisconf::edit::{Change, Edit, Transaction};
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

/// The parsed appcmd command.
#[derive(Default)]
pub struct Command {
    /// `set`, `list`, `clear`, `lock`, `unlock`.
    pub verb: String,
    /// The identifier (config path), if given.
    pub path: Option<String>,
    /// `-section:`.
    pub section: Option<String>,
    /// `/commit:`.
    pub commit: Option<String>,
    /// `/config:*` (list).
    pub config_all: bool,
    /// Attribute/entry parameters in order: (kind, name, value).
    pub params: Vec<Param>,
    /// iisconf options mixed in.
    pub hierarchy: HierarchyOpts,
    /// iisconf write options mixed in.
    pub write: WriteOpts,
}

/// One attribute or collection parameter.
#[derive(Debug, PartialEq, Eq)]
pub enum Param {
    /// `/name:value`.
    Set(String, String),
    /// `/name` without a value (clear).
    Bare(String),
    /// `/+path[…]`.
    Add(String),
    /// `/-path[…]`.
    Remove(String),
}

/// Splits a Windows command line: whitespace separates, `"` groups (and is removed), `\"`
/// is a literal quote, `""` inside quotes is a literal quote.
pub fn split_windows(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut started = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' if chars.get(i + 1) == Some(&'"') => {
                cur.push('"');
                started = true;
                i += 1;
            }
            '"' if in_quotes && chars.get(i + 1) == Some(&'"') => {
                cur.push('"');
                i += 1;
            }
            '"' => {
                in_quotes = !in_quotes;
                started = true;
            }
            c if c.is_whitespace() && !in_quotes => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
        i += 1;
    }
    if started {
        out.push(cur);
    }
    out
}

/// Removes one pair of surrounding double quotes.
fn unquote(s: &str) -> String {
    let t = s.trim();
    match t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.to_string(),
        None => t.to_string(),
    }
}

const OWN_WITH_VALUE: [&str; 5] = [
    "--root-map",
    "--schema-dir",
    "--env",
    "--apphost",
    "--backup-dir",
];

/// Parses appcmd arguments (already split by the shell, or one string to split).
pub fn parse(raw: &[String]) -> Result<Command, String> {
    // A whole appcmd command line in one argument (as copied from a Windows script).
    let tokens: Vec<String> = match raw.split_first() {
        Some((first, rest)) if first.trim().contains(char::is_whitespace) => {
            let mut t = split_windows(first);
            t.extend(rest.iter().cloned());
            t
        }
        _ => raw.to_vec(),
    };
    let mut cmd = Command::default();
    let mut positional: Vec<String> = Vec::new();
    let mut it = tokens.into_iter();
    while let Some(tok) = it.next() {
        let (flag, inline) = match tok.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (tok.clone(), None),
        };
        if OWN_WITH_VALUE.contains(&flag.as_str()) {
            let value = match inline {
                Some(v) => v,
                None => it.next().ok_or_else(|| format!("{flag} needs a value"))?,
            };
            match flag.as_str() {
                "--root-map" => cmd.hierarchy.root_maps.push(value),
                "--schema-dir" => cmd.hierarchy.schema.schema_dirs.push(PathBuf::from(value)),
                "--env" => cmd.hierarchy.env.push(value),
                "--apphost" => cmd.hierarchy.apphost = Some(PathBuf::from(value)),
                _ => cmd.write.backup_dir = Some(PathBuf::from(value)),
            }
            continue;
        }
        match flag.as_str() {
            "--dry-run" => {
                cmd.write.dry_run = true;
                continue;
            }
            "--no-backup" => {
                cmd.write.no_backup = true;
                continue;
            }
            _ => {}
        }
        let tok = if tok.starts_with('"') {
            unquote(&tok)
        } else {
            tok
        };
        let body = match tok.strip_prefix('/').or_else(|| tok.strip_prefix('-')) {
            Some(b) if positional.len() >= 2 => b.to_string(),
            _ => {
                if positional.len() >= 3 {
                    return Err(format!(
                        "Failed to process input: The parameter '{tok}' must begin with a / or - (HRESULT=80070057)"
                    ));
                }
                positional.push(tok);
                continue;
            }
        };
        if let Some(rest) = body.strip_prefix('+') {
            cmd.params.push(Param::Add(rest.to_string()));
            continue;
        }
        if let Some(rest) = body.strip_prefix('-') {
            cmd.params.push(Param::Remove(rest.to_string()));
            continue;
        }
        let literal = body.starts_with('!');
        let body = body.trim_start_matches('!');
        let (name, value) = match split_outside(body, ':') {
            Some((n, v)) => (n.to_string(), Some(unquote(v))),
            None => (body.to_string(), None),
        };
        if !literal {
            match (name.to_ascii_lowercase().as_str(), &value) {
                ("section", Some(v)) => {
                    cmd.section = Some(v.clone());
                    continue;
                }
                ("commit", Some(v)) => {
                    cmd.commit = Some(v.clone());
                    continue;
                }
                ("apphostconfig", Some(v)) => {
                    cmd.hierarchy.apphost = Some(PathBuf::from(v));
                    continue;
                }
                ("config", v) => {
                    cmd.config_all = v.as_deref().is_some_and(|v| v == "*");
                    continue;
                }
                ("text", _) | ("xml", _) => continue,
                _ => {}
            }
        }
        cmd.params.push(match value {
            Some(v) => Param::Set(name, v),
            None => Param::Bare(name),
        });
    }
    let mut positional = positional.into_iter();
    cmd.verb = positional
        .next()
        .ok_or("usage: iisconf appcmd (set|list|clear|lock|unlock) config [PATH] -section:NAME [/attr:value …]")?
        .to_ascii_lowercase();
    let object = positional.next().unwrap_or_default();
    if !object.eq_ignore_ascii_case("config") {
        return Err(format!(
            "iisconf appcmd supports the CONFIG object only (set|list|clear|lock|unlock config), not \"{object}\""
        ));
    }
    cmd.path = positional.next().map(|p| unquote(&p));
    Ok(cmd)
}

fn fail(message: impl std::fmt::Display, code: u8) -> u8 {
    eprintln!("ERROR ( message:{message} )");
    code
}

/// Runs `iisconf appcmd`.
pub fn run(args: AppcmdArgs) -> u8 {
    let cmd = match parse(&args.args) {
        Ok(c) => c,
        Err(m) => return fail(m, EXIT_USAGE),
    };
    let h = match cmd.hierarchy.open() {
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
    if cmd.verb == "list" {
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
    let mut changes = Vec::new();
    match cmd.verb.as_str() {
        "set" => {
            if cmd.params.is_empty() {
                return fail("set config needs at least one /attribute:value", EXIT_USAGE);
            }
            for p in &cmd.params {
                let change = match p {
                    Param::Set(n, v) => set_change(n, v),
                    Param::Add(e) => entry_change(e, true),
                    Param::Remove(e) => entry_change(e, false),
                    Param::Bare(n) => {
                        return fail(format!("/{n} needs a value: /{n}:VALUE"), EXIT_USAGE)
                    }
                };
                match change {
                    Ok(c) => changes.push(c),
                    Err(e) => return fail(e, EXIT_USAGE),
                }
            }
        }
        "clear" => {
            let targets: Vec<&str> = cmd
                .params
                .iter()
                .filter_map(|p| match p {
                    Param::Bare(n) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            if targets.is_empty() {
                targets_or_section(&h, &section, None, &mut changes);
            }
            for t in targets {
                targets_or_section(&h, &section, Some(t), &mut changes);
            }
        }
        "lock" | "unlock" => changes.push(Change::Lock {
            deny: cmd.verb == "lock",
        }),
        other => {
            return fail(
                format!("unknown verb \"{other}\": use set, list, clear, lock or unlock"),
                EXIT_USAGE,
            )
        }
    }
    let mut tx = Transaction::new(h);
    for change in changes {
        tx.push(Edit {
            path: path.clone(),
            section: section.clone(),
            target: target.clone(),
            change,
        });
    }
    run_transaction(tx, &cmd.write)
}

fn targets_or_section(
    h: &iisconf::engine::Hierarchy,
    section: &str,
    element: Option<&str>,
    out: &mut Vec<Change>,
) {
    if let Ok(c) = clear_change(h, section, element) {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_the_documentation_example() {
        let cmd = parse(&s(&[
            "set",
            "config",
            "Default Web Site",
            "-section:system.webServer/asp",
            "/session.max:\"1000\"",
            "/commit:apphost",
        ]))
        .unwrap();
        assert_eq!(cmd.verb, "set");
        assert_eq!(cmd.path.as_deref(), Some("Default Web Site"));
        assert_eq!(cmd.section.as_deref(), Some("system.webServer/asp"));
        assert_eq!(cmd.commit.as_deref(), Some("apphost"));
        assert_eq!(
            cmd.params,
            [Param::Set("session.max".into(), "1000".into())]
        );
    }

    #[test]
    fn parses_one_windows_command_line() {
        let cmd = parse(&s(&[
            r#"set config "Default Web Site/shop" /section:defaultDocument "/+files.[value='it''s.htm']" /-files.[value='a:b.htm'] /!commit:x /commit:site"#,
        ]))
        .unwrap();
        assert_eq!(cmd.path.as_deref(), Some("Default Web Site/shop"));
        assert_eq!(
            cmd.params,
            [
                Param::Add("files.[value='it''s.htm']".into()),
                Param::Remove("files.[value='a:b.htm']".into()),
                Param::Set("commit".into(), "x".into()),
            ]
        );
        assert_eq!(cmd.commit.as_deref(), Some("site"));
    }

    #[test]
    fn refuses_parameters_without_a_prefix() {
        let Err(err) = parse(&s(&["set", "config", "Default", "Web", "Site"])) else {
            panic!("accepted a parameter without / or -");
        };
        assert!(err.contains("must begin with a / or -"), "{err}");
    }

    #[test]
    fn splits_windows_lines() {
        assert_eq!(
            split_windows(r#"a "b c" d\"e "f""g""#),
            ["a", "b c", "d\"e", "f\"g"]
        );
    }
}
