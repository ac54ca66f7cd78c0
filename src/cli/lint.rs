//! `iisconf lint [FILES/DIRS…]`: every IIS rule plus well-formedness, for people and CI;
//! rule selection, statistics, and `--fix` through the edit engine.

use super::set::FileWriteOpts;
use super::{SchemaOpts, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::diagnostic::{Applicability, Fix, Severity};
use iisconf::edit::FixPlan;
use iisconf::lint::{self, render, LintConfig, LintOptions, Progress, Report, RuleSelector};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and the span underlined.
    Human,
    /// One line per finding: file:line:col: severity[ID] message.
    Concise,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab code quality report (artifacts:reports:codequality).
    Gitlab,
    /// JUnit XML (test results in GitLab, Jenkins, Azure Pipelines).
    Junit,
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Severities for --fail-level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Severity {
        match l {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }
    }
}

/// Arguments of `iisconf lint`.
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 no finding at or above the fail level, 1 findings at or above it, 2 usage error or a file that cannot be read.\n`iisconf rules` lists the rules; `iisconf rules IIS2001` explains one."
)]
pub struct LintArgs {
    /// Files and folders to lint; folders are walked for *.config (default: the current
    /// folder, unless --apphost is given).
    #[arg(value_name = "FILES/DIRS")]
    paths: Vec<PathBuf>,
    /// Lint the whole hierarchy of this applicationHost.config: itself and the web.config
    /// files found through its sites' physical paths (see --root-map).
    #[arg(long, value_name = "FILE")]
    apphost: Option<PathBuf>,
    /// Map a Windows path prefix to a local folder to find web.config files, e.g.
    /// 'C:\inetpub=./inetpub'; repeatable.
    #[arg(long = "root-map", value_name = "PREFIX=DIR")]
    root_maps: Vec<String>,
    /// Set a %VARIABLE% used in physical paths, e.g. 'SITEROOT=C:\sites'; repeatable.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    env: Vec<String>,
    #[command(flatten)]
    schema: SchemaOpts,
    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// The configuration file (default: iisconf.toml in the current folder or the nearest
    /// folder above it).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity (default: error, or the
    /// configuration file's fail-level).
    #[arg(long, value_enum)]
    fail_level: Option<Level>,
    /// Colour for human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Worker threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Check files whose root is not <configuration> as this place of the schema: a
    /// section group, a section or SECTION/ELEMENT… (when the root's name fits several).
    #[arg(long, value_name = "PLACE")]
    fragment: Option<String>,
    /// Report only these rules: ids, names or prefixes (IIS2), comma-separated; repeatable.
    /// Replaces the configuration file's `select`; IIS4003 is reported only when selected.
    #[arg(long, value_name = "RULES")]
    select: Vec<String>,
    /// Never report these rules (ids, names or prefixes, comma-separated); repeatable.
    /// Adds to the configuration file's `ignore`.
    #[arg(long, value_name = "RULES")]
    ignore: Vec<String>,
    /// Print a count of findings per rule instead of the findings (JSON with --format json).
    #[arg(long)]
    statistics: bool,
    /// Print the findings only, without the summary line.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// The name standard input (`-`) is linted under: its file name picks how it is read
    /// (web.config by default) and findings name it so.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Also say on stderr which *.config files in the folders given were left alone (not
    /// files IIS reads, such as NuGet.config or packages.config; name one to lint it).
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Apply the fixes that keep the configuration's meaning (written atomically, with a
    /// backup), then report what is left.
    #[arg(long)]
    fix: bool,
    /// With --fix, also apply the fixes that change what the configuration means (moving a
    /// locked section to applicationHost.config, filling a required attribute); each is
    /// listed on stderr.
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    #[command(flatten)]
    write: FileWriteOpts,
    /// Apply this XDT transform (e.g. Web.Release.config) to each file and lint the result;
    /// findings on what it wrote point at its lines.
    #[arg(long, value_name = "T.config")]
    transform: Option<PathBuf>,
}

fn usage(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// The configuration file's settings with the command line's --select and --ignore.
fn apply_selection(config: &mut LintConfig, args: &LintArgs) -> Result<(), u8> {
    let parse = |texts: &[String]| -> Result<Vec<RuleSelector>, u8> {
        let mut all = Vec::new();
        for text in texts {
            all.extend(RuleSelector::parse_list(text).map_err(usage)?);
        }
        Ok(all)
    };
    if !args.select.is_empty() {
        config.select = Some(parse(&args.select)?);
    }
    config.ignore.extend(parse(&args.ignore)?);
    Ok(())
}

fn load_config(args: &LintArgs) -> Result<LintConfig, u8> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => LintConfig::find(std::path::Path::new(".")),
    };
    match path {
        Some(p) => LintConfig::load(&p).map_err(usage),
        None => Ok(LintConfig::default()),
    }
}

/// Runs `iisconf lint`.
pub fn run(args: LintArgs) -> u8 {
    let mut config = match load_config(&args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Err(code) = apply_selection(&mut config, &args) {
        return code;
    }
    let write = &args.write;
    if !args.fix
        && (write.dry_run
            || write.no_backup
            || write.backup_dir.is_some()
            || write.lock_timeout.is_some()
            || write.break_hardlinks)
    {
        return usage(
            "--dry-run, --no-backup, --backup-dir, --lock-timeout and --break-hardlinks go with --fix",
        );
    }
    let mut root_maps = config.root_maps.clone();
    for text in &args.root_maps {
        match lint::parse_root_map(text) {
            Ok(m) => root_maps.push(m),
            Err(e) => return usage(e),
        }
    }
    let mut env = Vec::new();
    for text in &args.env {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => env.push((k.trim().to_string(), v.to_string())),
            _ => return usage(format!("--env `{text}` is not of the form NAME=VALUE")),
        }
    }
    let mut schema = args.schema.clone();
    let mut dirs = config.schema_dirs.clone();
    dirs.append(&mut schema.schema_dirs);
    schema.schema_dirs = dirs;
    let registry = match schema.registry_with_modules(config.modules.as_deref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let apphost = args.apphost.clone().or_else(|| config.apphost.clone());
    let mut inputs = args.paths.clone();
    if inputs.is_empty() && apphost.is_none() {
        inputs.push(PathBuf::from("."));
    }
    // `-`: standard input, linted as a file of its own in a folder of its own.
    let stdin = match StdinFile::take(&mut inputs, args.stdin_filename.as_deref()) {
        Ok(stdin) => stdin,
        Err(message) => return usage(message),
    };
    if stdin.is_some() && args.fix {
        return usage("--fix writes files; it cannot fix standard input (-)");
    }
    let fail_level = args
        .fail_level
        .map(Severity::from)
        .or(config.fail_level)
        .unwrap_or(Severity::Error);
    let options = LintOptions {
        inputs,
        apphost,
        root_maps,
        env,
        config,
        jobs: args.jobs,
        // Only the human report shows source lines.
        skip_source_lines: !matches!(args.format, Format::Human) || args.statistics,
        fragment: args.fragment.clone(),
        transform: args.transform.clone(),
    };
    // A fix run is a read–modify–write: the files named (and the applicationHost.config)
    // are locked before they are read, so no other writer's change falls in between.
    let _guard = match args.fix {
        true => {
            let files: Vec<PathBuf> = options
                .apphost
                .iter()
                .chain(&options.inputs)
                .filter(|p| p.is_file())
                .cloned()
                .collect();
            match args.write.to_write_opts().lock(&files) {
                Ok(guard) => guard,
                Err((message, code)) => {
                    eprintln!("error: {message}");
                    return code;
                }
            }
        }
        false => None,
    };
    let bar = ProgressBar::new();
    let mut report = match lint::lint(&registry, &options, &|p| bar.update(p)) {
        Ok(r) => r,
        Err(e) => {
            bar.finish();
            return usage(e);
        }
    };
    bar.finish();
    if let Some(stdin) = &stdin {
        stdin.rename_in(&mut report);
    }
    if args.verbose {
        for path in &report.skipped {
            eprintln!(
                "skipped {}: not a file IIS reads (name it to lint it)",
                path.display()
            );
        }
    }
    // Fixes whose edits overlap, and fixes the fixed files newly offer (a section another
    // file moved first is merged next), wait for the next round, on the files as fixed.
    for _ in 0..FIX_ROUNDS {
        if !args.fix {
            break;
        }
        match apply_fixes(&report, &args) {
            FixOutcome::Failed(code) => return code,
            FixOutcome::DryRun { pending: true } => return EXIT_FINDINGS,
            FixOutcome::DryRun { pending: false } => return EXIT_OK,
            FixOutcome::Nothing => break,
            FixOutcome::Written { more } => {
                // Report what is left.
                report = match lint::lint(&registry, &options, &|_| {}) {
                    Ok(r) => r,
                    Err(e) => return usage(e),
                };
                if !more && fixes_allowed(&report, &args).next().is_none() {
                    break;
                }
            }
        }
    }
    let mut report_file: Vec<u8> = Vec::new();
    let mut stdout = std::io::stdout().lock();
    let mut out: &mut dyn Write = match &args.output {
        Some(_) => &mut report_file,
        None => &mut stdout,
    };
    let human = render::HumanOptions {
        color: args.output.is_none() && use_color(args.color),
        quiet: args.quiet,
    };
    // Nothing could be read: the error below says so, and a summary of no files would
    // only hide it.
    let nothing_read = report.files == 0 && !report.unreadable.is_empty();
    let written = match args.format {
        Format::Human | Format::Concise if nothing_read => Ok(()),
        Format::Json if args.statistics => {
            out.write_all(render::statistics_json(&report).as_bytes())
        }
        _ if args.statistics => out.write_all(render::statistics(&report).as_bytes()),
        Format::Human => out.write_all(render::human(&report, human).as_bytes()),
        Format::Concise => out.write_all(render::concise(&report, human).as_bytes()),
        // Written as it is made: a large report is not held whole.
        Format::Json => render::write_json(&report, &mut out),
        Format::Sarif => out.write_all(render::sarif(&report).as_bytes()),
        Format::Github => out.write_all(render::github(&report).as_bytes()),
        Format::Gitlab => out.write_all(render::gitlab(&report).as_bytes()),
        Format::Junit => out.write_all(render::junit(&report).as_bytes()),
    };
    // A reader that went away (`| head`) leaves the exit code as the findings make it; any
    // other failure to write the report is an error of its own.
    match written.and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_USAGE;
        }
        _ => {}
    }
    if let Some(path) = &args.output {
        if let Err(code) = super::transform::write_file(path, &report_file) {
            return code;
        }
    }
    for u in &report.unreadable {
        eprintln!("error: {u}");
    }
    if !report.unreadable.is_empty() {
        EXIT_USAGE
    } else if report.fails(fail_level) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// How many times `--fix` lints and fixes again while fixes overlapped.
const FIX_ROUNDS: usize = 4;

/// What `--fix` did.
enum FixOutcome {
    /// The diff was printed; nothing was written. `pending` when it shows any fix.
    DryRun {
        /// Whether fixes are pending (the exit code is then 1, as ruff's `--diff` gives).
        pending: bool,
    },
    /// The fixes were written; `more` when some waited for another round.
    Written {
        /// Whether fixes that overlapped others were left for another round.
        more: bool,
    },
    /// There was nothing to fix.
    Nothing,
    /// Nothing was written; the exit code.
    Failed(u8),
}

/// Whether the flags allow `fix`: safe ones always, unsafe ones with `--unsafe-fixes`.
fn fix_allowed(fix: &Fix, args: &LintArgs) -> bool {
    args.unsafe_fixes || fix.applicability == Applicability::Safe
}

/// The fixes of the report's findings that the flags allow.
fn fixes_allowed<'r>(report: &'r Report, args: &'r LintArgs) -> impl Iterator<Item = &'r Fix> {
    report
        .findings
        .iter()
        .filter_map(|r| r.finding.fix())
        .filter(|f| fix_allowed(f, args))
}

/// The fixes of the report that the flags allow, planned and then printed as a diff
/// (`--dry-run`) or written; unsafe fixes are listed on stderr as they are applied.
fn apply_fixes(report: &Report, args: &LintArgs) -> FixOutcome {
    let fixes: Vec<Fix> = fixes_allowed(report, args).cloned().collect();
    let held_back = report
        .findings
        .iter()
        .filter(|r| r.finding.fix().is_some_and(|f| !fix_allowed(f, args)))
        .count();
    let plan = match FixPlan::new(&fixes) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {}", super::errors::edit_message(&e));
            return FixOutcome::Failed(super::set::error_code(&e));
        }
    };
    if args.write.dry_run {
        for (fix, why) in plan.skipped() {
            eprintln!(
                "note: not shown: {} ({why}); --fix applies it in a later round",
                fix.title
            );
        }
    }
    // The fixes that change meaning are shown at the finding they resolve.
    for r in &report.findings {
        let f = &r.finding;
        if let Some(fix) = f.fix().filter(|x| x.applicability == Applicability::Unsafe) {
            if plan.applied().contains(fix) {
                eprintln!(
                    "unsafe fix: {}: {}[{}]: {}",
                    f.place,
                    f.severity.as_str(),
                    f.rule.id(),
                    fix.title
                );
            }
        }
    }
    let count = plan.applied().len();
    let files = plan.files().len();
    let fixes_word = if count == 1 { "fix" } else { "fixes" };
    let files_word = if files == 1 { "file" } else { "files" };
    if held_back > 0 {
        eprintln!(
            "note: {held_back} more {} with --unsafe-fixes",
            if held_back == 1 {
                "fix is available"
            } else {
                "fixes are available"
            }
        );
    }
    if args.write.dry_run {
        print!("{}", plan.diff());
        let _ = std::io::stdout().flush();
        eprintln!("would apply {count} {fixes_word} in {files} {files_word}; nothing was written");
        return FixOutcome::DryRun { pending: count > 0 };
    }
    if plan.files().is_empty() {
        eprintln!("nothing to fix");
        return FixOutcome::Nothing;
    }
    match plan.commit(&args.write.to_write_opts().commit_options()) {
        Ok(written) => {
            for w in &written {
                for note in &w.notes {
                    eprintln!("note: {note}");
                }
                match &w.backup {
                    Some(b) => eprintln!("fixed {} (backup: {})", w.path.display(), b.display()),
                    None => eprintln!("fixed {}", w.path.display()),
                }
            }
            eprintln!("applied {count} {fixes_word} in {files} {files_word}");
            FixOutcome::Written {
                more: !plan.skipped().is_empty(),
            }
        }
        Err(e) => {
            eprintln!("error: {}", super::errors::edit_message(&e));
            FixOutcome::Failed(super::set::error_code(&e))
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // NO_COLOR wins; FORCE_COLOR and CLICOLOR_FORCE colour a pipe (CI logs) too.
        ColorChoice::Auto => {
            let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            let forced = set("FORCE_COLOR") && std::env::var_os("FORCE_COLOR") != Some("0".into())
                || set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE") != Some("0".into());
            !set("NO_COLOR") && (forced || std::io::stdout().is_terminal())
        }
    }
}

/// A one-line progress bar on stderr, shown only when stderr is a terminal and the run has
/// many files.
struct ProgressBar {
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
}

/// Runs with fewer files than this show no progress bar.
const PROGRESS_MIN_FILES: usize = 20;

impl ProgressBar {
    fn new() -> ProgressBar {
        ProgressBar {
            enabled: std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn update(&self, p: Progress) {
        if !self.enabled || p.total < PROGRESS_MIN_FILES {
            return;
        }
        self.shown.store(true, std::sync::atomic::Ordering::Relaxed);
        const WIDTH: usize = 30;
        let filled = p.done * WIDTH / p.total.max(1);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {}/{} files",
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            p.done,
            p.total
        );
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.shown.load(std::sync::atomic::Ordering::Relaxed) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// Standard input written to a file of a temporary folder for the lint, removed when
/// dropped; findings in it are renamed to what the user called it.
struct StdinFile {
    folder: PathBuf,
    file: String,
    shown: String,
}

impl StdinFile {
    /// Replaces a `-` among `inputs` with a file holding standard input (named after
    /// `name`'s file name, `web.config` by default).
    fn take(
        inputs: &mut [PathBuf],
        name: Option<&std::path::Path>,
    ) -> Result<Option<StdinFile>, String> {
        let Some(slot) = inputs.iter_mut().find(|p| super::stdin::is_stdin(p)) else {
            return Ok(None);
        };
        let bytes =
            super::stdin::read(slot).map_err(|e| format!("cannot read standard input: {e}"))?;
        let folder = std::env::temp_dir().join(format!(
            "iisconf-stdin-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let file_name = name
            .and_then(|n| n.file_name())
            .map_or_else(|| "web.config".into(), |n| n.to_os_string());
        let path = folder.join(&file_name);
        std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| format!("cannot hold standard input in {}: {e}", folder.display()))?;
        *slot = path.clone();
        Ok(Some(StdinFile {
            folder,
            file: path.display().to_string(),
            shown: super::stdin::display_name(name),
        }))
    }

    /// Names the findings in standard input's file as the user called it.
    fn rename_in(&self, report: &mut Report) {
        let shown: std::sync::Arc<str> = self.shown.as_str().into();
        for r in &mut report.findings {
            let f = &mut r.finding;
            if *f.place.file == *self.file {
                f.place.file = shown.clone();
            }
            if let Some(extra) = f.extra.as_mut() {
                for related in &mut extra.related {
                    if *related.place.file == *self.file {
                        related.place.file = shown.clone();
                    }
                }
            }
        }
        for u in &mut report.unreadable {
            if u.path == self.file {
                u.path = self.shown.clone();
            }
        }
    }
}

impl Drop for StdinFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
