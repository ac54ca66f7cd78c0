//! `iisconf sessions list|watch|terminate`: live FTP sessions (ftpServer/sessions).

mod terminate;

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use clap::{Args, Subcommand, ValueEnum};
use iisconf::model::{
    sessions_to_json, sessions_to_table, sessions_to_xml, CaptureOrigin, CaptureTime, IisTimestamp,
    SessionError, SessionProvider,
};
use iisconf::runtime::detect::{self, Detected, ProviderKind as DetectedKind};
use iisconf::runtime::{
    AnonymousUsers, ProftpdProvider, PureFtpdProvider, SiteMap, SiteRule, SnapshotProvider,
};
use std::io::{IsTerminal, Write};
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
    /// End sessions named by id or chosen by --user, --client-ip, --idle-over (lists them,
    /// then asks on a terminal; elsewhere refuses unless --yes).
    Terminate(TerminateArgs),
}

#[derive(Args, Debug)]
struct ProviderArgs {
    /// Where sessions come from (auto: the server whose status tool is installed, or
    /// for --input the tool that wrote the file).
    #[arg(long, value_enum, default_value_t = ProviderKind::Auto)]
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
    /// When the --input file was captured (RFC 3339, or M/D/YYYY h:mm:ss AM read as UTC);
    /// used when the input does not record it. Default: the file's modification time.
    #[arg(long = "captured-at", value_name = "TIME", value_parser = parse_captured_at)]
    captured_at: Option<SystemTime>,
}

fn parse_captured_at(text: &str) -> Result<SystemTime, String> {
    IisTimestamp::from_text(text).instant().ok_or_else(|| {
        format!("{text:?} is not a time: use 2026-11-21T05:29:50Z or 11/21/2026 5:29:50 AM")
    })
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ProviderKind {
    /// Detect: ftpwho or pure-ftpwho installed; for --input, the file's content.
    Auto,
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
    /// Session ids (as `sessions list` shows them); with filters, each must also match.
    ids: Vec<String>,
    /// End the sessions of this user (`<Anonymous>` or the server account, e.g. ftp).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// End the sessions from this client address.
    #[arg(long = "client-ip", value_name = "ADDR")]
    client_ip: Option<String>,
    /// End the sessions idle for longer than this (30m, 1h 30m, 90s).
    #[arg(long = "idle-over", value_name = "DURATION", value_parser = humantime::parse_duration)]
    idle_over: Option<Duration>,
    /// Only sessions of this IIS FTP site (see --map).
    #[arg(long)]
    site: Option<String>,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long)]
    yes: bool,
    /// List the sessions that would be ended, and end none.
    #[arg(long = "dry-run")]
    dry_run: bool,
}

/// Runs `iisconf sessions …`; returns the exit code.
pub fn run(args: SessionsArgs) -> u8 {
    match args.command {
        SessionsCommand::List(a) => list(a),
        SessionsCommand::Watch(a) => watch(a),
        SessionsCommand::Terminate(a) => terminate::run(a),
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
    Ok(match resolve_kind(args)? {
        ProviderKind::Auto | ProviderKind::Proftpd => {
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
            if let Some(at) = args.captured_at {
                p = p.with_captured_at(at);
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
            if let Some(at) = args.captured_at {
                p = p.with_captured_at(at);
            }
            Box::new(p.with_site_map(site_map).with_anonymous_users(anonymous))
        }
        ProviderKind::Snapshot => match &args.input {
            Some(path) => Box::new(match args.captured_at {
                Some(at) => SnapshotProvider::new(path).with_captured_at(at),
                None => SnapshotProvider::new(path),
            }),
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

/// The provider `--provider auto` stands for; any other choice as given.
fn resolve_kind(args: &ProviderArgs) -> Result<ProviderKind, SessionError> {
    if args.provider != ProviderKind::Auto {
        return Ok(args.provider);
    }
    let (detected, what) = match &args.input {
        Some(path) => (
            detect::captured_file(path)?,
            format!("which tool wrote {}", path.display()),
        ),
        None => (
            detect::installed_server(),
            "which FTP server runs here".to_string(),
        ),
    };
    match detected {
        Detected::One(kind) => Ok(match kind {
            DetectedKind::Proftpd => ProviderKind::Proftpd,
            DetectedKind::PureFtpd => ProviderKind::PureFtpd,
            DetectedKind::Snapshot => ProviderKind::Snapshot,
        }),
        // No tool found: ProFTPD's provider reports the missing ftpwho.
        Detected::None if args.input.is_none() => Ok(ProviderKind::Proftpd),
        Detected::None | Detected::Several(_) => Err(SessionError::Parse {
            what: "arguments".into(),
            message: format!("cannot tell {what}; give --provider proftpd, pure-ftpd or snapshot"),
        }),
    }
}

fn report(e: &SessionError) -> u8 {
    eprintln!("error: {}", message(e));
    // The one rule of the editing commands (README, "Exit codes"): 2 when the command
    // cannot be carried out as written (an id no session has, a process that is not one, a
    // captured file or snapshot that cannot end sessions), 1 when the server refuses it or
    // its tools fail.
    match e {
        SessionError::Read { .. }
        | SessionError::UnknownSite { .. }
        | SessionError::ToolNotRunnable { .. }
        | SessionError::NoSuchSession { .. }
        | SessionError::NotASession { .. }
        | SessionError::TerminateUnsupported { .. }
        | SessionError::CapturedOutput { .. } => EXIT_USAGE,
        SessionError::Parse { what, .. }
            if what == "arguments" || what.starts_with("site mapping") =>
        {
            EXIT_USAGE
        }
        _ => EXIT_FINDINGS,
    }
}

fn list(args: ListArgs) -> u8 {
    let listed = match provider(&args.provider).and_then(|p| p.list_captured(args.site.as_deref()))
    {
        Ok(s) => s,
        Err(e) => return report(&e),
    };
    let sessions = listed.sessions;
    let text = match args.format {
        Format::Table => {
            if let Some(note) = capture_note(&listed.captured) {
                eprintln!("{note}");
            }
            sessions_to_table(&sessions, listed.captured.at)
        }
        Format::Json => {
            let mut j = sessions_to_json(&sessions);
            j.push('\n');
            j
        }
        Format::Xml => sessions_to_xml(&sessions),
    };
    write_stdout(&text)
}

/// For captured data, the moment durations count from and how it is known; `None` for
/// live data.
fn capture_note(captured: &CaptureTime) -> Option<String> {
    let (origin, hint) = match captured.origin {
        CaptureOrigin::Live => return None,
        CaptureOrigin::FileModified => (
            captured.origin.describe(),
            "; give --captured-at if the file was copied since",
        ),
        CaptureOrigin::Given => ("the capture time given with --captured-at", ""),
        CaptureOrigin::Input => (captured.origin.describe(), ""),
    };
    Some(format!(
        "durations count from {} ({origin}){hint}",
        humantime::format_rfc3339_seconds(captured.at),
    ))
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
        let listed = match p.list_captured(args.site.as_deref()) {
            Ok(s) => s,
            Err(e) => return report(&e),
        };
        let sessions = listed.sessions;
        let now = listed.captured.at;
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
        if let Some(note) = capture_note(&listed.captured) {
            screen.push_str(&note);
            screen.push('\n');
        }
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
