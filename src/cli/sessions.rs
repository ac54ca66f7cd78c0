//! `iisconf sessions list|watch|terminate`: live FTP sessions (ftpServer/sessions).

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clap::{Args, Subcommand, ValueEnum};
use iisconf::model::{
    sessions_to_json, sessions_to_table, sessions_to_xml, SessionError, SessionProvider,
};
use iisconf::runtime::{
    AnonymousUsers, ProftpdProvider, PureFtpdProvider, SiteMap, SiteRule, SnapshotProvider,
};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// Arguments of `iisconf sessions`.
#[derive(Args, Debug)]
pub struct SessionsArgs {
    #[command(subcommand)]
    command: SessionsCommand,
}

#[derive(Subcommand, Debug)]
enum SessionsCommand {
    /// List the current FTP sessions.
    List(ListArgs),
    /// Refresh the session table every few seconds (Ctrl-C to stop).
    Watch(WatchArgs),
    /// End one session (asks for confirmation on a terminal unless --yes).
    Terminate(TerminateArgs),
}

#[derive(Args, Debug)]
struct ProviderArgs {
    /// Where sessions come from.
    #[arg(long, value_enum, default_value_t = ProviderKind::Proftpd)]
    provider: ProviderKind,
    /// Read captured tool output (ftpwho, pure-ftpwho) or the snapshot from this file.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Path of the status tool (ftpwho or pure-ftpwho).
    #[arg(long, value_name = "PATH")]
    ftpwho: Option<PathBuf>,
    /// ProFTPD scoreboard file (ScoreboardFile), passed to `ftpwho -f`.
    #[arg(long, value_name = "FILE")]
    scoreboard: Option<PathBuf>,
    /// ProFTPD configuration file, passed to `ftpwho -c`.
    #[arg(long = "proftpd-config", value_name = "FILE")]
    proftpd_config: Option<PathBuf>,
    /// Map a server instance to an IIS FTP site: SITE=port:N, SITE=name:SERVERNAME or
    /// SITE=address:IP[:PORT] (repeatable; first match wins).
    #[arg(long = "map", value_name = "SITE=KIND:VALUE")]
    maps: Vec<String>,
    /// Server account names that are anonymous logins (default: ftp, anonymous).
    #[arg(long = "anonymous-user", value_name = "NAME")]
    anonymous_users: Vec<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ProviderKind {
    /// ProFTPD, through ftpwho.
    Proftpd,
    /// pure-ftpd, through pure-ftpwho.
    #[value(name = "pure-ftpd")]
    PureFtpd,
    /// A JSON or XML file in the IIS shape (--input).
    Snapshot,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Columns for an administrator.
    Table,
    /// An array of objects keyed by the IIS attribute names, plus extra fields.
    Json,
    /// IIS's <sessions><session …/></sessions>.
    Xml,
}

#[derive(Args, Debug)]
struct ListArgs {
    #[command(flatten)]
    provider: ProviderArgs,
    /// Only the sessions of this IIS FTP site (see --map).
    #[arg(long)]
    site: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
struct WatchArgs {
    #[command(flatten)]
    provider: ProviderArgs,
    /// Only the sessions of this IIS FTP site (see --map).
    #[arg(long)]
    site: Option<String>,
    /// Seconds between refreshes.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    interval: u64,
    /// Stop after this many refreshes (default: until interrupted).
    #[arg(long)]
    count: Option<u64>,
}

#[derive(Args, Debug)]
struct TerminateArgs {
    #[command(flatten)]
    provider: ProviderArgs,
    /// The session id (as `sessions list` shows it).
    id: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

/// Runs `iisconf sessions …`; returns the exit code.
pub fn run(args: SessionsArgs) -> u8 {
    match args.command {
        SessionsCommand::List(a) => list(a),
        SessionsCommand::Watch(a) => watch(a),
        SessionsCommand::Terminate(a) => terminate(a),
    }
}

fn provider(args: &ProviderArgs) -> Result<Box<dyn SessionProvider>, SessionError> {
    let rules = args
        .maps
        .iter()
        .map(|m| SiteRule::parse(m))
        .collect::<Result<Vec<_>, _>>()?;
    let site_map = SiteMap::new(rules);
    let anonymous = if args.anonymous_users.is_empty() {
        AnonymousUsers::default()
    } else {
        AnonymousUsers::new(args.anonymous_users.iter().cloned())
    };
    Ok(match args.provider {
        ProviderKind::Proftpd => {
            let mut p = match &args.input {
                Some(path) => ProftpdProvider::from_file(path),
                None => ProftpdProvider::live(),
            };
            if let Some(tool) = &args.ftpwho {
                p = p.with_ftpwho(tool);
            }
            if let Some(sb) = &args.scoreboard {
                p = p.with_scoreboard(sb);
            }
            if let Some(conf) = &args.proftpd_config {
                p = p.with_config(conf);
            }
            Box::new(p.with_site_map(site_map).with_anonymous_users(anonymous))
        }
        ProviderKind::PureFtpd => {
            let mut p = match &args.input {
                Some(path) => PureFtpdProvider::from_file(path),
                None => PureFtpdProvider::live(),
            };
            if let Some(tool) = &args.ftpwho {
                p = p.with_ftpwho(tool);
            }
            Box::new(p.with_site_map(site_map).with_anonymous_users(anonymous))
        }
        ProviderKind::Snapshot => match &args.input {
            Some(path) => Box::new(SnapshotProvider::new(path)),
            None => {
                return Err(SessionError::Parse {
                    what: "arguments".into(),
                    message: "--provider snapshot needs --input FILE".into(),
                })
            }
        },
    })
}

/// The error's message with the advice that names this command's flags.
fn message(e: &SessionError) -> String {
    match e {
        SessionError::ToolNotRunnable { .. } => format!("{e} or give their path with --ftpwho"),
        SessionError::UnknownSite { site, .. } => format!(
            "{e}. Map a site to the server with --map \"{site}=port:21\" (or name:SERVERNAME)"
        ),
        SessionError::NoSuchSession { .. } => {
            format!("{e}; run `iisconf sessions list` to see the current ids")
        }
        SessionError::CapturedOutput { .. } => format!("{e} (omit --input)"),
        _ => e.to_string(),
    }
}

fn report(e: &SessionError) -> u8 {
    eprintln!("error: {}", message(e));
    match e {
        SessionError::Read { .. }
        | SessionError::UnknownSite { .. }
        | SessionError::ToolNotRunnable { .. } => EXIT_USAGE,
        SessionError::Parse { what, .. }
            if what == "arguments" || what.starts_with("site mapping") =>
        {
            EXIT_USAGE
        }
        _ => EXIT_FINDINGS,
    }
}

fn list(args: ListArgs) -> u8 {
    let sessions = match provider(&args.provider).and_then(|p| p.list(args.site.as_deref())) {
        Ok(s) => s,
        Err(e) => return report(&e),
    };
    let text = match args.format {
        Format::Table => sessions_to_table(&sessions, SystemTime::now()),
        Format::Json => {
            let mut j = sessions_to_json(&sessions);
            j.push('\n');
            j
        }
        Format::Xml => sessions_to_xml(&sessions),
    };
    write_stdout(&text)
}

fn write_stdout(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            EXIT_USAGE
        }
    }
}

fn watch(args: WatchArgs) -> u8 {
    let p = match provider(&args.provider) {
        Ok(p) => p,
        Err(e) => return report(&e),
    };
    let tty = std::io::stdout().is_terminal();
    let mut n = 0u64;
    loop {
        let sessions = match p.list(args.site.as_deref()) {
            Ok(s) => s,
            Err(e) => return report(&e),
        };
        let now = SystemTime::now();
        let mut screen = String::new();
        if tty {
            screen.push_str("\x1b[2J\x1b[H"); // clear the screen, cursor home
        }
        screen.push_str(&format!(
            "{} sessions at {} (every {}s)\n",
            sessions.len(),
            humantime::format_rfc3339_seconds(now),
            args.interval
        ));
        screen.push_str(&sessions_to_table(&sessions, now));
        if !tty {
            screen.push('\n');
        }
        let code = write_stdout(&screen);
        if code != EXIT_OK {
            return code;
        }
        n += 1;
        if args.count.is_some_and(|c| n >= c) {
            return EXIT_OK;
        }
        std::thread::sleep(Duration::from_secs(args.interval));
    }
}

fn terminate(args: TerminateArgs) -> u8 {
    let p = match provider(&args.provider) {
        Ok(p) => p,
        Err(e) => return report(&e),
    };
    if !args.yes && std::io::stdin().is_terminal() {
        eprint!("End FTP session {}? [y/N] ", args.id);
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).is_err()
            || !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes")
        {
            eprintln!("not terminated");
            return EXIT_FINDINGS;
        }
    }
    match p.terminate(&args.id) {
        Ok(()) => {
            eprintln!("session {} terminated", args.id);
            EXIT_OK
        }
        Err(e) => report(&e),
    }
}
