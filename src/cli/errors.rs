//! Engine and edit errors as the CLI prints them: the library's message, followed by the
//! flag that fixes it where there is one (the library names no flag).

use iisconf::diagnostic::Rule;
use iisconf::edit::EditError;
use iisconf::engine::{EngineError, Hierarchy};
use std::fmt::Display;

/// The message for an engine error, with the flag advice.
pub fn engine_message(e: &EngineError) -> String {
    match commit_way_out(e) {
        Some(message) => message,
        None => with_advice(e, advice(e)),
    }
}

/// The message for an edit error, with the flag advice of the engine error it carries.
pub fn edit_message(e: &EditError) -> String {
    match e {
        EditError::Engine(inner) => match commit_way_out(inner) {
            Some(message) => message,
            None => with_advice(e, advice(inner)),
        },
        _ => e.to_string(),
    }
}

/// The errors whose way out is another commit target: the library names the target, the
/// CLI the flag that picks it (the way out is the message's last `; ` part).
fn commit_way_out(e: &EngineError) -> Option<String> {
    let flag = match e {
        EngineError::NotAllowedHere { location, .. } | EngineError::SectionLocked { location, .. } => format!(
            "use --commit apphost: it writes <location path=\"{location}\"> in applicationHost.config"
        ),
        EngineError::SubDirConfigIgnored { commit, .. } => format!(
            "commit in its folder's web.config (--commit \"{commit}\") or in applicationHost.config (--commit apphost)"
        ),
        _ => return None,
    };
    let message = e.to_string();
    let (head, _) = message.rsplit_once("; ")?;
    Some(format!("{head}; {flag}"))
}

/// The flag that fixes an engine error, as a suffix of its message.
fn advice(e: &EngineError) -> &'static str {
    match e {
        EngineError::NoApphost => ": pass --apphost FILE",
        EngineError::Unmapped { .. } => "; pass --root-map 'PREFIX=LOCAL_DIR'",
        _ => "",
    }
}

fn with_advice(e: &impl Display, advice: &str) -> String {
    format!("{e}{advice}")
}

/// The web.config files a hierarchy did not read (physical paths no `--root-map` maps), as
/// lines for stderr and JSON notes: an answer without them may be wrong, so it is said.
pub fn unread_web_configs(h: &Hierarchy) -> Vec<String> {
    h.notes()
        .iter()
        .filter(|f| f.rule == Rule::UnmappedPhysicalPath)
        .map(|f| match &f.help {
            Some(help) => format!("{} ({}): {}; {help}", f.place.file, f.rule.id(), f.message),
            None => format!("{} ({}): {}", f.place.file, f.rule.id(), f.message),
        })
        .collect()
}

/// Prints [`unread_web_configs`] as warnings, each prefixed with `side` (`OLD: `) if given.
pub fn warn_unread_web_configs(h: &Hierarchy, side: &str) {
    for note in unread_web_configs(h) {
        eprintln!("warning: {side}{note}");
    }
}
