//! Engine and edit errors as the CLI prints them: the library's message, followed by the
//! flag that fixes it where there is one (the library names no flag).

use iisconf::edit::EditError;
use iisconf::engine::EngineError;
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
