//! The plan of a diff as appcmd commands, one per line, quoted for a POSIX shell or for
//! Windows' cmd.exe.

use super::{plan, Commit, Operation};
use crate::model::{display_key, display_steps, Step};
use crate::Diff;
use iisconf_core::engine::{display_config_path, Hierarchy};

/// The shell the commands are quoted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Shell {
    /// sh, bash, zsh: single or double quotes.
    #[default]
    Posix,
    /// Windows' cmd.exe: double quotes, `\"` for a quote inside.
    Cmd,
}

/// The appcmd commands that turn OLD's effective configuration into NEW's, one per line.
pub fn appcmd(diff: &Diff, old: &Hierarchy, new: &Hierarchy, shell: Shell) -> String {
    let mut out = String::new();
    for op in plan(diff, old, new) {
        let words = words(&op);
        let line: Vec<String> = words.iter().map(|w| quote(w, shell)).collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    out
}

/// The words of one command, unquoted.
fn words(op: &Operation) -> Vec<String> {
    let (verb, path, section) = match op {
        Operation::Set { path, section, .. }
        | Operation::Add { path, section, .. }
        | Operation::Remove { path, section, .. } => ("set", path, section),
        Operation::Clear { path, section, .. } => ("clear", path, section),
        Operation::Lock {
            path,
            section,
            deny,
        } => (if *deny { "lock" } else { "unlock" }, path, section),
    };
    let mut words = vec!["appcmd".to_string(), verb.to_string(), "config".to_string()];
    if !path.is_empty() {
        words.push(path.clone());
    }
    words.push(format!("-section:{section}"));
    let below = |steps: &[Step], last: &str| {
        let head = display_steps(steps);
        if head.is_empty() {
            last.to_string()
        } else {
            format!("{head}.{last}")
        }
    };
    let commit = match op {
        Operation::Set {
            steps,
            attribute,
            value,
            commit,
            ..
        } => {
            words.push(format!("/{}:{}", below(steps, attribute), value));
            Some(commit)
        }
        Operation::Clear {
            steps,
            attribute,
            commit,
            ..
        } => {
            words.push(format!("/{}", below(steps, attribute)));
            Some(commit)
        }
        Operation::Add {
            steps,
            attributes,
            commit,
            ..
        } => {
            words.push(format!("/+{}", below(steps, &display_key(attributes))));
            Some(commit)
        }
        Operation::Remove {
            steps, key, commit, ..
        } => {
            words.push(format!("/-{}", below(steps, &display_key(key))));
            Some(commit)
        }
        Operation::Lock { .. } => None,
    };
    if let Some(commit) = commit {
        words.push(match commit {
            Commit::AppHost => "/commit:apphost".to_string(),
            Commit::Level(level) => format!("/commit:{}", display_config_path(level)),
        });
    }
    words
}

/// One word quoted for `shell`, left bare when it needs no quotes.
pub fn quote(word: &str, shell: Shell) -> String {
    let bare = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if bare {
        return word.to_string();
    }
    match shell {
        Shell::Posix if !word.contains(['$', '`', '\\', '"', '!']) => format!("\"{word}\""),
        Shell::Posix => format!("'{}'", word.replace('\'', "'\\''")),
        Shell::Cmd => format!("\"{}\"", word.replace('"', "\\\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_posix_shells() {
        assert_eq!(quote("-section:asp", Shell::Posix), "-section:asp");
        assert_eq!(
            quote("Default Web Site", Shell::Posix),
            "\"Default Web Site\""
        );
        assert_eq!(
            quote("/+files.[value='a.htm']", Shell::Posix),
            "\"/+files.[value='a.htm']\""
        );
        assert_eq!(quote("a$b'c", Shell::Posix), "'a$b'\\''c'");
        assert_eq!(quote("", Shell::Posix), "\"\"");
    }

    #[test]
    fn quotes_for_cmd() {
        assert_eq!(
            quote("Default Web Site", Shell::Cmd),
            "\"Default Web Site\""
        );
        assert_eq!(quote("a\"b", Shell::Cmd), "\"a\\\"b\"");
    }
}
