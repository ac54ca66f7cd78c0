//! appcmd's grammar, so scripts written for Windows can be read unchanged: the CONFIG verbs
//! and the verbs of the other objects (SITE, APP, VDIR, APPPOOL; [`Object`]):
//!
//! ```text
//! set config "Default Web Site" -section:system.webServer/asp /session.max:"1000" /commit:apphost
//! set config "Default Web Site" -section:defaultDocument "/+files.[value='home.htm']"
//! list config "Default Web Site" -section:asp [/config:*]
//! clear config "Default Web Site" -section:asp
//! lock config "Intranet" -section:httpErrors
//! add site /name:Shop /bindings:http/*:8080: /physicalPath:C:\inetpub\shop
//! set apppool "Shop" /managedRuntimeVersion:""
//! list apps /site.name:Shop
//! ```
//!
//! Parameters start with `/` or `-`; `/!name:value` sets an attribute whose name clashes
//! with a switch, `-name` (as in `/username:"" --password`) deletes one. The whole command
//! may also be passed as one string, split as Windows splits command lines. The host
//! program's own `--flags` ([`HostFlags`]) may be mixed in; they are handed back as they
//! were given. `/?` (also `-?`, `--help`) anywhere asks for help ([`AppcmdCommand::help`]).
//!
//! `list config` prints XML by default; `/text:*`, `/text:ATTR` and `/xml` ask for appcmd's
//! other output forms ([`Output`]), as "Getting Started with AppCmd.exe" describes them
//! (<https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe>).

use super::change::{delete_change, entry_change, set_change, ChangeError};
use super::path::split_outside;
use crate::Change;

/// The host program's own options that may appear among appcmd's parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct HostFlags<'a> {
    /// Flags followed by a value (`--flag VALUE` or `--flag=VALUE`).
    pub with_value: &'a [&'a str],
    /// Flags without a value.
    pub switches: &'a [&'a str],
}

/// One host option as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFlag {
    /// The flag (`--schema-dir`).
    pub flag: String,
    /// Its value, for a flag of [`HostFlags::with_value`].
    pub value: Option<String>,
}

/// The verb: what the command does with the section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Verb {
    /// `set`: attribute and entry parameters.
    #[default]
    Set,
    /// `list`: print the effective section.
    List,
    /// `clear`: the section, or the elements and attributes named.
    Clear,
    /// `lock`: deny overriding the section below the path.
    Lock,
    /// `unlock`: allow it.
    Unlock,
    /// `add`: create an object (SITE, APP, VDIR, APPPOOL).
    Add,
    /// `delete`: remove an object.
    Delete,
    /// Any other verb, lower-cased.
    Other(String),
}

impl Verb {
    fn parse(text: &str) -> Verb {
        match text.to_ascii_lowercase().as_str() {
            "set" => Verb::Set,
            "list" => Verb::List,
            "clear" => Verb::Clear,
            "lock" => Verb::Lock,
            "unlock" => Verb::Unlock,
            "add" => Verb::Add,
            "delete" => Verb::Delete,
            other => Verb::Other(other.to_string()),
        }
    }
}

/// The object type a command acts on (the word after the verb), plural forms read as
/// their singular.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Object {
    /// `config`: a configuration section.
    #[default]
    Config,
    /// `site`, `sites`.
    Site,
    /// `app`, `apps`.
    App,
    /// `vdir`, `vdirs`.
    Vdir,
    /// `apppool`, `apppools`.
    AppPool,
    /// Any other object type (`wp`, `request`, `module`, `backup`, `trace`), lower-cased.
    Other(String),
}

impl Object {
    /// Reads an object type in any letter case, singular or plural.
    pub fn parse(text: &str) -> Object {
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "config" | "configs" => Object::Config,
            "site" | "sites" => Object::Site,
            "app" | "apps" => Object::App,
            "vdir" | "vdirs" => Object::Vdir,
            "apppool" | "apppools" => Object::AppPool,
            _ => Object::Other(lower),
        }
    }

    /// appcmd's upper-case name of the object type (`SITE`).
    pub fn name(&self) -> String {
        match self {
            Object::Config => "CONFIG".to_string(),
            Object::Site => "SITE".to_string(),
            Object::App => "APP".to_string(),
            Object::Vdir => "VDIR".to_string(),
            Object::AppPool => "APPPOOL".to_string(),
            Object::Other(o) => o.to_ascii_uppercase(),
        }
    }
}

/// How `list config` prints (appcmd's general output parameters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Output {
    /// No output parameter: the section as XML.
    #[default]
    Default,
    /// `/text:*`: every property in appcmd's detail view (`CONFIG` / `CONFIG.SECTION:"…"`).
    TextAll,
    /// `/text:ATTR`: the value of one property, one line per object.
    TextOf(String),
    /// `/xml`: appcmd's XML form (`<appcmd><CONFIG …>`).
    Xml,
}

/// A parsed appcmd command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppcmdCommand {
    /// The verb.
    pub verb: Verb,
    /// The object type.
    pub object: Object,
    /// The identifier (config path, or the object's name), if given.
    pub path: Option<String>,
    /// `-section:`.
    pub section: Option<String>,
    /// `/commit:`.
    pub commit: Option<String>,
    /// `/apphostconfig:`.
    pub apphost_config: Option<String>,
    /// `/config` or `/config:*` (list each object's configuration).
    pub config: bool,
    /// `/config:*` (list with defaults).
    pub config_all: bool,
    /// `/text…` or `/xml`.
    pub output: Output,
    /// `/?`, `-?` or `--help` was given: print usage (for the verb, when one came first).
    pub help: bool,
    /// Attribute and entry parameters, in order.
    pub params: Vec<Param>,
    /// The host program's options, in order.
    pub host: Vec<HostFlag>,
}

/// One attribute or collection parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// `/name:value`.
    Set(String, String),
    /// `/name` without a value (clear).
    Bare(String),
    /// `/+path[…]`.
    Add(String),
    /// `/-path[…]`; without a selector (`--password`), a delete of that attribute.
    Remove(String),
}

/// An appcmd command line that cannot be read; `index` is the argument's position (after
/// splitting a command line given as one string).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppcmdError {
    /// A host flag that takes a value came last.
    #[error("{flag} needs a value")]
    MissingValue {
        /// The flag.
        flag: String,
        /// Its argument index.
        index: usize,
    },
    /// A fourth positional argument: parameters start with `/` or `-`.
    #[error("Failed to process input: The parameter '{parameter}' must begin with a / or - (HRESULT=80070057)")]
    Unprefixed {
        /// The argument.
        parameter: String,
        /// Its argument index.
        index: usize,
    },
    /// No verb at all.
    #[error("no verb given: expected set, list, clear, lock or unlock")]
    MissingVerb,
    /// No object type after the verb.
    #[error("only the CONFIG object is supported, not \"{object}\"")]
    UnsupportedObject {
        /// The object given (empty when missing).
        object: String,
    },
}

/// `set config` parameters that do not make changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetParamError {
    /// No parameter at all.
    #[error("set config needs at least one /attribute:value")]
    Empty,
    /// `/name` without `:value`.
    #[error("/{0} needs a value: /{0}:VALUE")]
    Bare(String),
    /// A parameter whose path cannot be read.
    #[error(transparent)]
    Change(#[from] ChangeError),
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

/// Arguments as given: split by the shell, or one whole command line (as copied from a
/// Windows script) followed by more arguments.
fn tokens(raw: &[String]) -> Vec<String> {
    match raw.split_first() {
        Some((first, rest)) if first.trim().contains(char::is_whitespace) => {
            let mut t = split_windows(first);
            t.extend(rest.iter().cloned());
            t
        }
        _ => raw.to_vec(),
    }
}

/// Parses appcmd arguments, taking the host's own options out.
pub fn parse(raw: &[String], host: &HostFlags) -> Result<AppcmdCommand, AppcmdError> {
    let mut cmd = AppcmdCommand::default();
    let mut positional: Vec<String> = Vec::new();
    let mut it = tokens(raw).into_iter().enumerate();
    while let Some((index, tok)) = it.next() {
        let (flag, inline) = match tok.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (tok.clone(), None),
        };
        if host.with_value.contains(&flag.as_str()) {
            let value = match inline {
                Some(v) => v,
                None => match it.next() {
                    Some((_, v)) => v,
                    None => return Err(AppcmdError::MissingValue { flag, index }),
                },
            };
            cmd.host.push(HostFlag {
                flag,
                value: Some(value),
            });
            continue;
        }
        if host.switches.contains(&flag.as_str()) {
            cmd.host.push(HostFlag { flag, value: None });
            continue;
        }
        if is_help(&tok) {
            cmd.help = true;
            continue;
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
                    return Err(AppcmdError::Unprefixed {
                        parameter: tok,
                        index,
                    });
                }
                positional.push(tok);
                continue;
            }
        };
        read_parameter(&body, &mut cmd);
    }
    let mut positional = positional.into_iter();
    let verb = positional.next();
    if cmd.help {
        // Help for what was named so far; an object other than config is not refused.
        if let Some(v) = verb.filter(|v| !v.eq_ignore_ascii_case("config")) {
            cmd.verb = Verb::parse(&v);
        }
        if let Some(o) = positional.next() {
            cmd.object = Object::parse(&o);
        }
        cmd.path = positional.next().map(|p| unquote(&p));
        return Ok(cmd);
    }
    cmd.verb = Verb::parse(&verb.ok_or(AppcmdError::MissingVerb)?);
    let object = positional.next().unwrap_or_default();
    if object.is_empty() {
        return Err(AppcmdError::UnsupportedObject { object });
    }
    cmd.object = Object::parse(&object);
    cmd.path = positional.next().map(|p| unquote(&p));
    Ok(cmd)
}

/// Whether an argument asks for help: `/?`, `-?`, `--help`, `-h`, `/h`.
fn is_help(tok: &str) -> bool {
    matches!(
        tok,
        "/?" | "-?" | "--help" | "-h" | "/h" | "/help" | "-help"
    )
}

/// Reads one parameter (after its `/` or `-`) into `cmd`.
fn read_parameter(body: &str, cmd: &mut AppcmdCommand) {
    if let Some(rest) = body.strip_prefix('+') {
        cmd.params.push(Param::Add(rest.to_string()));
        return;
    }
    if let Some(rest) = body.strip_prefix('-') {
        cmd.params.push(Param::Remove(rest.to_string()));
        return;
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
                return;
            }
            ("commit", Some(v)) => {
                cmd.commit = Some(v.clone());
                return;
            }
            ("apphostconfig", Some(v)) => {
                cmd.apphost_config = Some(v.clone());
                return;
            }
            ("config", v) => {
                cmd.config = true;
                cmd.config_all = v.as_deref().is_some_and(|v| v == "*");
                return;
            }
            ("text", v) => {
                cmd.output = match v.as_deref().map(str::trim) {
                    None | Some("") => Output::Default,
                    Some("*") => Output::TextAll,
                    Some(name) => Output::TextOf(name.to_string()),
                };
                return;
            }
            ("xml", _) => {
                cmd.output = Output::Xml;
                return;
            }
            _ => {}
        }
    }
    cmd.params.push(match value {
        Some(v) => Param::Set(name, v),
        None => Param::Bare(name),
    });
}

impl AppcmdCommand {
    /// The changes of a `set config`: one per parameter, in order.
    pub fn set_changes(&self) -> Result<Vec<Change>, SetParamError> {
        if self.params.is_empty() {
            return Err(SetParamError::Empty);
        }
        self.params
            .iter()
            .map(|p| {
                Ok(match p {
                    Param::Set(n, v) => set_change(n, v)?,
                    Param::Add(e) => entry_change(e, true)?,
                    Param::Remove(e) if e.trim_end().ends_with(']') => entry_change(e, false)?,
                    Param::Remove(e) => delete_change(e)?,
                    Param::Bare(n) => return Err(SetParamError::Bare(n.clone())),
                })
            })
            .collect()
    }

    /// The elements and attributes a `clear config` names (`/files`, `/session.timeout`);
    /// none clears the whole section.
    pub fn clear_targets(&self) -> Vec<&str> {
        self.params
            .iter()
            .filter_map(|p| match p {
                Param::Bare(n) => Some(n.as_str()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: HostFlags = HostFlags {
        with_value: &["--schema-dir"],
        switches: &["--dry-run"],
    };

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_the_documentation_example() {
        let cmd = parse(
            &s(&[
                "set",
                "config",
                "Default Web Site",
                "-section:system.webServer/asp",
                "/session.max:\"1000\"",
                "/commit:apphost",
            ]),
            &HOST,
        )
        .unwrap();
        assert_eq!(cmd.verb, Verb::Set);
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
        let cmd = parse(
            &s(&[
                r#"set config "Default Web Site/shop" /section:defaultDocument "/+files.[value='it''s.htm']" /-files.[value='a:b.htm'] /!commit:x /commit:site"#,
            ]),
            &HOST,
        )
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
    fn hands_host_flags_back_in_order() {
        let cmd = parse(
            &s(&[
                "LIST",
                "--schema-dir=a",
                "config",
                "--dry-run",
                "--schema-dir",
                "b",
                "/config:*",
            ]),
            &HOST,
        )
        .unwrap();
        assert_eq!(cmd.verb, Verb::List);
        assert!(cmd.config_all);
        let flags: Vec<(&str, Option<&str>)> = cmd
            .host
            .iter()
            .map(|h| (h.flag.as_str(), h.value.as_deref()))
            .collect();
        assert_eq!(
            flags,
            [
                ("--schema-dir", Some("a")),
                ("--dry-run", None),
                ("--schema-dir", Some("b"))
            ]
        );
        assert_eq!(
            parse(&s(&["list", "config", "--schema-dir"]), &HOST),
            Err(AppcmdError::MissingValue {
                flag: "--schema-dir".into(),
                index: 2
            })
        );
    }

    #[test]
    fn refuses_parameters_without_a_prefix() {
        assert_eq!(
            parse(&s(&["set", "config", "Default", "Web", "Site"]), &HOST),
            Err(AppcmdError::Unprefixed {
                parameter: "Web".into(),
                index: 3
            })
        );
        assert_eq!(parse(&[], &HOST), Err(AppcmdError::MissingVerb));
        assert_eq!(
            parse(&s(&["list"]), &HOST),
            Err(AppcmdError::UnsupportedObject {
                object: String::new()
            })
        );
        let sites = parse(&s(&["LIST", "Sites", "/name:Shop"]), &HOST).unwrap();
        assert_eq!((sites.verb, sites.object), (Verb::List, Object::Site));
        let pool = parse(&s(&["add", "apppool", "/name:Shop"]), &HOST).unwrap();
        assert_eq!((pool.verb, pool.object), (Verb::Add, Object::AppPool));
        assert_eq!(
            parse(&s(&["list", "wp"]), &HOST).unwrap().object,
            Object::Other("wp".into())
        );
    }

    #[test]
    fn set_parameters_become_changes() {
        let cmd = parse(
            &s(&["set", "config", "/session.max:10", "/+files.[value='a']"]),
            &HOST,
        )
        .unwrap();
        assert_eq!(cmd.set_changes().map(|c| c.len()), Ok(2));
        let bare = parse(&s(&["set", "config", "/session.max"]), &HOST).unwrap();
        assert_eq!(
            bare.set_changes(),
            Err(SetParamError::Bare("session.max".into()))
        );
        assert_eq!(bare.clear_targets(), ["session.max"]);
        let empty = parse(&s(&["set", "config"]), &HOST).unwrap();
        assert_eq!(empty.set_changes(), Err(SetParamError::Empty));
    }

    #[test]
    fn reads_help_output_forms_and_deletes() {
        for args in [
            &["/?"][..],
            &["--help"],
            &["set", "config", "/?"],
            &["set", "/?"],
            &["site", "/?"],
        ] {
            let cmd = parse(&s(args), &HOST).unwrap();
            assert!(cmd.help, "{args:?}");
        }
        let verb_help = parse(&s(&["set", "config", "/?"]), &HOST).unwrap();
        assert_eq!(verb_help.verb, Verb::Set);
        let list = |extra: &str| {
            parse(&s(&["list", "config", "-section:asp", extra]), &HOST)
                .unwrap()
                .output
        };
        assert_eq!(list("/text:*"), Output::TextAll);
        assert_eq!(
            list("/text:session.max"),
            Output::TextOf("session.max".into())
        );
        assert_eq!(list("/xml"), Output::Xml);
        assert_eq!(list("/text"), Output::Default);
        let cmd = parse(
            &s(&["set", "config", "/userName:\"\"", "--password"]),
            &HOST,
        )
        .unwrap();
        assert_eq!(
            cmd.set_changes().unwrap().get(1),
            Some(&Change::Clear {
                element: vec![],
                attribute: Some("password".into()),
            })
        );
    }

    #[test]
    fn splits_windows_lines() {
        assert_eq!(
            split_windows(r#"a "b c" d\"e "f""g""#),
            ["a", "b c", "d\"e", "f\"g"]
        );
    }
}
