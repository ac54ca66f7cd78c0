//! `iisconf sessions terminate`: ends the sessions named by id or chosen by filters,
//! never silently. The selection is listed first; then a terminal is asked, and anything
//! else is refused unless `--yes` was given.

use super::{capture_note, provider, report, TerminateArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::model::{clock_duration, FtpSession, SessionFilter, SessionList};
use std::io::{BufRead, IsTerminal, Write};

/// Runs `iisconf sessions terminate …`; returns the exit code.
pub(super) fn run(args: TerminateArgs) -> u8 {
    let filter = SessionFilter {
        user: args.user.clone(),
        client_ip: args.client_ip.clone(),
        idle_over: args.idle_over,
    };
    if args.ids.is_empty() && filter.is_empty() {
        eprintln!(
            "error: name the sessions to end: session ids, or --user, --client-ip, --idle-over"
        );
        return EXIT_USAGE;
    }
    let p = match provider(&args.provider) {
        Ok(p) => p,
        Err(e) => return report(&e),
    };
    if !args.dry_run {
        if let Err(e) = p.check_can_terminate() {
            return report(&e);
        }
    }
    let listed = match p.list_captured(args.site.as_deref()) {
        Ok(l) => l,
        Err(e) => return report(&e),
    };
    let targets = match select(&listed, &args.ids, &filter) {
        Ok(t) => t,
        // An id no session has, or one the filters leave out: not carried out as written.
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    if targets.is_empty() {
        eprintln!("no session matches; nothing was ended");
        return EXIT_FINDINGS;
    }
    let prompting = !args.yes && !args.dry_run && std::io::stdin().is_terminal();
    if !(prompting && targets.len() == 1) {
        if let Some(note) = capture_note(&listed.captured) {
            eprintln!("{note}");
        }
        let verb = if args.dry_run {
            "would be ended"
        } else {
            "to end"
        };
        eprintln!("{} {verb}:", count(targets.len()));
        for s in &targets {
            eprintln!("  {}", line(s, &listed));
        }
    }
    if args.dry_run {
        eprintln!("dry run: nothing was ended");
        return EXIT_OK;
    }
    match confirmation(args.yes, std::io::stdin().is_terminal()) {
        Confirmation::Given => {}
        Confirmation::Refused => {
            eprintln!(
                "error: refusing to end sessions without confirmation: standard input is not a terminal; nothing was ended. Give --yes to end them without asking"
            );
            return EXIT_USAGE;
        }
        Confirmation::Ask => {
            if !ask(&prompt(&targets)) {
                eprintln!("not ended");
                return EXIT_FINDINGS;
            }
        }
    }
    let mut code = EXIT_OK;
    for s in &targets {
        match p.terminate(&s.session_id) {
            Ok(()) => eprintln!("ended {}", s.description()),
            Err(e) => code = code.max(report(&e)),
        }
    }
    code
}

/// The sessions to end: those named by `ids` (each must exist, and match the filter when
/// one is given), or those the filter matches; in listing order, each once.
fn select<'a>(
    listed: &'a SessionList,
    ids: &[String],
    filter: &SessionFilter,
) -> Result<Vec<&'a FtpSession>, String> {
    let at = listed.captured.at;
    if ids.is_empty() {
        return Ok(listed
            .sessions
            .iter()
            .filter(|s| filter.matches(s, at))
            .collect());
    }
    for id in ids {
        let Some(s) = listed.sessions.iter().find(|s| &s.session_id == id) else {
            return Err(format!(
                "no session {id:?} on this server; nothing was ended (`iisconf sessions list` shows the current ids)"
            ));
        };
        if !filter.is_empty() && !filter.matches(s, at) {
            return Err(format!(
                "{} does not match --user/--client-ip/--idle-over; nothing was ended",
                s.description()
            ));
        }
    }
    Ok(listed
        .sessions
        .iter()
        .filter(|s| ids.contains(&s.session_id))
        .collect())
}

/// What to do before ending sessions.
#[derive(Debug, PartialEq, Eq)]
enum Confirmation {
    /// `--yes`: go ahead.
    Given,
    /// Ask on the terminal.
    Ask,
    /// No terminal to ask and no `--yes`: end nothing.
    Refused,
}

fn confirmation(yes: bool, stdin_is_terminal: bool) -> Confirmation {
    match (yes, stdin_is_terminal) {
        (true, _) => Confirmation::Given,
        (false, true) => Confirmation::Ask,
        (false, false) => Confirmation::Refused,
    }
}

/// `End FTP session 22874 of bob from 203.0.113.7 on ftp.example.com? [y/N] `, or for
/// several (listed just before) `End these 3 FTP sessions? [y/N] `.
fn prompt(targets: &[&FtpSession]) -> String {
    match targets {
        [one] => format!("End {}? [y/N] ", one.description()),
        _ => format!("End these {} FTP sessions? [y/N] ", targets.len()),
    }
}

/// Asks on the terminal; only an explicit yes counts.
fn ask(prompt: &str) -> bool {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 FTP session".to_string()
    } else {
        format!("{n} FTP sessions")
    }
}

/// One listed session: its description, then what it is doing and for how long.
fn line(s: &FtpSession, listed: &SessionList) -> String {
    let at = listed.captured.at;
    let mut text = s.description();
    if let Some(d) = s.connected_for(at) {
        text.push_str(&format!(", connected {}", clock_duration(d)));
    }
    if s.current_command.is_empty() {
        if let Some(d) = s.idle_for(at) {
            text.push_str(&format!(", idle {}", clock_duration(d)));
        }
    } else {
        text.push_str(&format!(", running {}", s.current_command));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf::model::CaptureTime;

    fn listed() -> SessionList {
        let mut bob = FtpSession::new("22874");
        bob.user_name = "bob".into();
        bob.client_ip = "203.0.113.7".into();
        bob.extras.site = Some("ftp.example.com".into());
        bob.extras.idle_seconds = Some(3600);
        let mut alice = FtpSession::new("22875");
        alice.user_name = "alice".into();
        alice.current_command = "RETR a.bin".into();
        SessionList {
            sessions: vec![bob, alice],
            captured: CaptureTime::now(),
        }
    }

    #[test]
    fn never_silent_without_a_terminal() {
        assert_eq!(confirmation(false, false), Confirmation::Refused);
        assert_eq!(confirmation(false, true), Confirmation::Ask);
        assert_eq!(confirmation(true, false), Confirmation::Given);
    }

    #[test]
    fn prompt_names_the_session() {
        let l = listed();
        let one: Vec<&FtpSession> = l.sessions.iter().take(1).collect();
        assert_eq!(
            prompt(&one),
            "End FTP session 22874 of bob from 203.0.113.7 on ftp.example.com? [y/N] "
        );
        let both: Vec<&FtpSession> = l.sessions.iter().collect();
        assert_eq!(prompt(&both), "End these 2 FTP sessions? [y/N] ");
    }

    #[test]
    fn selection_by_ids_and_filters() {
        let l = listed();
        let none = SessionFilter::default();
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let both = select(&l, &ids(&["22875", "22874", "22875"]), &none).unwrap_or_default();
        assert_eq!(both.len(), 2);
        assert!(select(&l, &ids(&["1"]), &none).is_err());
        let idle = SessionFilter {
            idle_over: Some(std::time::Duration::from_secs(1800)),
            ..SessionFilter::default()
        };
        let chosen = select(&l, &[], &idle).unwrap_or_default();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen.first().map(|s| s.session_id.as_str()), Some("22874"));
        assert!(select(&l, &ids(&["22875"]), &idle).is_err());
    }
}
