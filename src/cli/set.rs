//! `iisconf set`, `clear`, `lock`, `unlock`: programmatic edits through the library's
//! transactions.

use super::{SchemaOpts, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::atomic_file::{LockError, WriteGuard};
use iisconf::edit::grammar::{self, ChangeError};
use iisconf::edit::{
    AboveLevel, Change, CommitOptions, Edit, EditError, EditOptions, Transaction, Written,
};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{EngineError, Hierarchy, Options};
use iisconf::lint::LintConfig;
use iisconf::schema::{trim_section_name, SectionNameError};
use std::path::PathBuf;

/// Where the hierarchy comes from.
#[derive(clap::Args, Clone, Default)]
pub struct HierarchyOpts {
    /// applicationHost.config (default: $IISCONF_APPHOST, else ./applicationHost.config).
    #[arg(long, value_name = "FILE")]
    pub apphost: Option<PathBuf>,
    /// Map a Windows path prefix to a local folder, to find (and create) web.config files:
    /// 'C:\inetpub=./inetpub'. Repeatable.
    #[arg(long = "root-map", value_name = "PREFIX=DIR")]
    pub root_maps: Vec<String>,
    /// Extra %VARIABLE% for physical paths: NAME=VALUE. Repeatable.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    #[command(flatten)]
    pub schema: SchemaOpts,
}

/// How changes are written.
#[derive(clap::Args, Clone, Default)]
pub struct WriteOpts {
    /// Print a unified diff of every file the change touches and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Folder for backup copies (default: next to each file, FILE.iisconf-backup-TIME).
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Keep no backup copy.
    #[arg(long)]
    pub no_backup: bool,
    /// The root web.config (MACHINE/WEBROOT), for changes committed to WEBROOT.
    #[arg(long, value_name = "FILE")]
    pub webroot_config: Option<PathBuf>,
    /// machine.config (MACHINE), for changes committed to MACHINE.
    #[arg(long, value_name = "FILE")]
    pub machine_config: Option<PathBuf>,
    /// Write a value the schema marks encrypted (a password) in plain text, with a
    /// warning, instead of refusing it (IIS4001).
    #[arg(long)]
    pub allow_plaintext_secrets: bool,
    /// How long to wait for another writer of the same files: 10s, 500ms, 0 (default 5s).
    #[arg(long, value_name = "DURATION", value_parser = parse_lock_timeout)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Replace a file that has other hard links (they keep the old contents) instead of
    /// refusing it.
    #[arg(long)]
    pub break_hardlinks: bool,
}

/// How a command that writes files but no values writes them (`lock`, `unlock`,
/// `lint --fix`): the options of [`WriteOpts`] that apply to it, so that every option a
/// command shows does something.
#[derive(clap::Args, Clone, Default)]
pub struct FileWriteOpts {
    /// Print a unified diff of every file that would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Folder for backup copies (default: next to each file, FILE.iisconf-backup-TIME).
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Keep no backup copy.
    #[arg(long)]
    pub no_backup: bool,
    /// How long to wait for another writer of the same files: 10s, 500ms, 0 (default 5s).
    #[arg(long, value_name = "DURATION", value_parser = parse_lock_timeout)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Replace a file that has other hard links (they keep the old contents) instead of
    /// refusing it.
    #[arg(long)]
    pub break_hardlinks: bool,
}

impl FileWriteOpts {
    /// The same choices as [`WriteOpts`].
    pub fn to_write_opts(&self) -> WriteOpts {
        WriteOpts {
            dry_run: self.dry_run,
            backup_dir: self.backup_dir.clone(),
            no_backup: self.no_backup,
            lock_timeout: self.lock_timeout,
            break_hardlinks: self.break_hardlinks,
            ..WriteOpts::default()
        }
    }
}

/// `--lock-timeout`: a duration (`10s`, `500ms`) or a number of seconds.
pub fn parse_lock_timeout(text: &str) -> Result<std::time::Duration, String> {
    if let Ok(secs) = text.parse::<f64>() {
        return std::time::Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("`{text}` is not a duration: write 10s, 500ms or 0"));
    }
    humantime::parse_duration(text)
        .map_err(|e| format!("`{text}` is not a duration ({e}): write 10s, 500ms or 0"))
}

impl WriteOpts {
    /// How the library writes, as these flags say.
    pub fn commit_options(&self) -> CommitOptions {
        let mut options = CommitOptions::default()
            .no_backup(self.no_backup)
            .break_hardlinks(self.break_hardlinks);
        if let Some(dir) = &self.backup_dir {
            options = options.backup_dir(dir);
        }
        if let Some(timeout) = self.lock_timeout {
            options = options.lock_timeout(timeout);
        }
        options
    }

    /// Locks `files` for the whole read–modify–write (nothing when this is a dry run, which
    /// writes nothing), printing what taking the locks found (a lock taken over from a
    /// killed writer). On failure, the message and the exit code.
    pub fn lock(&self, files: &[PathBuf]) -> Result<Option<WriteGuard>, (String, u8)> {
        if self.dry_run {
            return Ok(None);
        }
        let timeout = self.commit_options().lock_timeout;
        let guard = WriteGuard::acquire(files, timeout).map_err(|e| {
            let advice = match e {
                LockError::Busy { .. } => " (--lock-timeout)",
                LockError::Io { .. } => "",
            };
            (format!("{e}{advice}; nothing was written"), EXIT_USAGE)
        })?;
        for note in guard.notes() {
            eprintln!("note: {note}");
        }
        Ok(Some(guard))
    }
}

/// `iisconf set`.
#[derive(clap::Args)]
#[command(
    after_help = "Changes:\n  ATTR.PATH=VALUE              session.max=1000, session.timeout=10m\n  +ELEM[key='v',attr='x']      add a collection entry: +files[value='index.htm']\n  -ELEM[key='v']               remove one (a <remove> when inherited): -files[value='a.htm']\n  ELEM[key='v'].attr=VALUE     change one: files[value='a.htm'].value=b.htm\n\nExample:\n  iisconf set \"Default Web Site\" system.webServer/asp session.max=1000 session.timeout=10m --commit apphost"
)]
pub struct SetArgs {
    /// Config path: a site, site/app/dir, MACHINE/WEBROOT/APPHOST[/…] ("" for the server),
    /// or a URL (http://localhost/app1/) mapped through the sites' bindings.
    pub path: String,
    /// Section, e.g. system.webServer/asp (a unique short name such as asp works too).
    pub section: String,
    /// Changes (see below).
    #[arg(required = true, allow_hyphen_values = true)]
    pub changes: Vec<String>,
    /// Where to write: apphost, site, app, url (default: the path's own level), a config path,
    /// or webroot / machine (with --webroot-config / --machine-config).
    #[arg(long, value_name = "TARGET")]
    pub commit: Option<String>,
    #[command(flatten)]
    pub hierarchy: HierarchyOpts,
    #[command(flatten)]
    pub write: WriteOpts,
}

/// `iisconf clear`.
#[derive(clap::Args)]
pub struct ClearArgs {
    /// Config path (or a URL, as for set).
    pub path: String,
    /// Section.
    pub section: String,
    /// Element or attribute below the section (`files`, `session.timeout`); without it the
    /// whole section is removed from the target level.
    pub element: Option<String>,
    /// Where to write (as for set).
    #[arg(long, value_name = "TARGET")]
    pub commit: Option<String>,
    #[command(flatten)]
    pub hierarchy: HierarchyOpts,
    #[command(flatten)]
    pub write: WriteOpts,
}

/// `iisconf lock` and `iisconf unlock`.
#[derive(clap::Args)]
pub struct LockArgs {
    /// Config path the lock applies to (its children cannot set the section).
    pub path: String,
    /// Section.
    pub section: String,
    #[command(flatten)]
    pub hierarchy: HierarchyOpts,
    #[command(flatten)]
    pub write: FileWriteOpts,
}

fn split_pair(text: &str, what: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or_else(|| format!("{what} `{text}` must be written NAME=VALUE"))
}

impl HierarchyOpts {
    /// Opens the hierarchy, printing the error and returning an exit code on failure.
    pub fn open(&self) -> Result<Hierarchy, u8> {
        self.try_open().map_err(|(message, code)| {
            eprintln!("error: {message}");
            code
        })
    }

    /// Locks the hierarchy's applicationHost.config for a writer (see [`WriteOpts::lock`]),
    /// then opens it; on failure, prints the error and returns the exit code.
    pub fn open_for_write(&self, write: &WriteOpts) -> Result<(Option<WriteGuard>, Hierarchy), u8> {
        self.try_open_for_write(write).map_err(|(message, code)| {
            eprintln!("error: {message}");
            code
        })
    }

    /// [`HierarchyOpts::open_for_write`], returning the message and the exit code.
    pub fn try_open_for_write(
        &self,
        write: &WriteOpts,
    ) -> Result<(Option<WriteGuard>, Hierarchy), (String, u8)> {
        let apphost = Options {
            apphost: self.with_workspace_config()?.apphost,
            ..Options::default()
        }
        .apphost_path();
        // A missing file has nothing to guard: opening it reports it.
        let guard = match apphost.exists() {
            true => write.lock(&[apphost])?,
            false => None,
        };
        Ok((guard, self.try_open()?))
    }

    /// These options completed from the `iisconf.toml` that applies in the current folder
    /// (there or above it, see [`LintConfig::find`]): its `apphost` when neither `--apphost`
    /// nor `$IISCONF_APPHOST` names one, its root maps when no `--root-map` is given, its
    /// schema folders before the flags'.
    pub fn with_workspace_config(&self) -> Result<HierarchyOpts, (String, u8)> {
        let Some(path) = LintConfig::find(std::path::Path::new(".")) else {
            return Ok(self.clone());
        };
        let config = LintConfig::load(&path).map_err(|e| (e.to_string(), EXIT_USAGE))?;
        let mut out = self.clone();
        if out.apphost.is_none() && std::env::var_os("IISCONF_APPHOST").is_none() {
            out.apphost = config.apphost.clone();
        }
        if out.root_maps.is_empty() {
            out.root_maps = config
                .root_maps
                .iter()
                .map(|(prefix, dir)| format!("{prefix}={}", dir.display()))
                .collect();
        }
        let mut dirs = config.schema_dirs.clone();
        dirs.append(&mut out.schema.schema_dirs);
        out.schema.schema_dirs = dirs;
        Ok(out)
    }

    /// Opens the hierarchy (with [`HierarchyOpts::with_workspace_config`]); on failure, the
    /// message (with the flag that fixes it) and the exit code, for the caller to word as
    /// its front end does.
    pub fn try_open(&self) -> Result<Hierarchy, (String, u8)> {
        let (registry, options) = self.with_workspace_config()?.parts()?;
        Hierarchy::open(registry, &options)
            .map_err(|e| (super::errors::engine_message(&e), EXIT_USAGE))
    }

    /// The schema registry and the engine options these flags give, for a caller that reads
    /// the applicationHost.config itself; on failure, as [`HierarchyOpts::try_open`].
    pub fn parts(&self) -> Result<(iisconf::schema::Registry, Options), (String, u8)> {
        let registry = iisconf::schema::Registry::load_with_modules(&self.schema.schema_dirs, None)
            .map_err(|e| (e.to_string(), EXIT_USAGE))?;
        Ok((registry, self.options()?))
    }

    /// The engine options these flags give (the applicationHost.config, root maps and
    /// variables), without the schema; on failure, as [`HierarchyOpts::try_open`].
    pub fn options(&self) -> Result<Options, (String, u8)> {
        let mut options = Options {
            apphost: self.apphost.clone(),
            ..Options::default()
        };
        let pair = |text: &str, what: &str| split_pair(text, what).map_err(|m| (m, EXIT_USAGE));
        for m in &self.root_maps {
            let (prefix, dir) = pair(m, "--root-map")?;
            options.root_maps.push((prefix, PathBuf::from(dir)));
        }
        for e in &self.env {
            options.env.push(pair(e, "--env")?);
        }
        Ok(options)
    }
}

fn usage(message: String) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Resolves a section name: one the hierarchy declares, or one the schema registry
/// resolves as appcmd does (exact, or a short name such as `asp` or `requestFiltering`, in
/// any letter case; see [`grammar::resolve_section_name`]).
pub fn resolve_section(h: &Hierarchy, name: &str) -> Result<String, String> {
    let trimmed = trim_section_name(name);
    if h.declaration(trimmed).is_some() {
        return Ok(trimmed.to_string());
    }
    match grammar::resolve_section_name(h.registry(), name) {
        Ok(section) => Ok(section.name.clone()),
        Err(e @ SectionNameError::Unknown { .. }) => match h.registry().section_hint(name) {
            Some(hint) => Err(format!("{e}; {hint}")),
            None => Err(format!("{e} (load more with --schema-dir)")),
        },
        Err(e) => Err(e.to_string()),
    }
}

/// A transaction over `h` with the options the flags give: `--env` for expanded keys, the
/// files above applicationHost.config, plain-text secrets.
pub fn transaction(h: Hierarchy, hierarchy: &HierarchyOpts, write: &WriteOpts) -> Transaction {
    let options = EditOptions {
        env: hierarchy
            .env
            .iter()
            .filter_map(|e| split_pair(e, "--env").ok())
            .collect(),
        webroot_config: write.webroot_config.clone(),
        machine_config: write.machine_config.clone(),
        allow_plaintext_secrets: write.allow_plaintext_secrets,
    };
    Transaction::with_options(h, options)
}

/// The flag that settles an edit error the library words without naming flags.
fn flag_advice(e: &EditError) -> &'static str {
    match e {
        EditError::PlaintextSecret { .. } => " (--allow-plaintext-secrets)",
        EditError::LockBreaksBelow { .. } => {
            "; `iisconf lint --fix --unsafe-fixes` with --apphost moves them"
        }
        EditError::NoLevelFile {
            level: AboveLevel::WebRoot,
        } => ": pass --webroot-config FILE",
        EditError::NoLevelFile {
            level: AboveLevel::Machine,
        } => ": pass --machine-config FILE",
        _ => "",
    }
}

/// The config path a command names: a URL (`http://localhost/app1/`) mapped through the
/// sites' bindings to `Site/app1`, any other text as given.
pub fn config_path(h: &Hierarchy, text: &str) -> Result<String, String> {
    iisconf::edit::path::config_path_of_url(h, text).map_err(|e| e.to_string())
}

/// A change with its names in the schema's spelling (names are case-insensitive, as in
/// appcmd; see [`grammar::canonical_change`]).
pub fn canonical(h: &Hierarchy, section: &str, change: Change) -> Change {
    match h.registry().section(section) {
        Some(schema) => grammar::canonical_change(schema, change),
        None => change,
    }
}

/// Exit code for an edit error, by the one rule every writing command follows (README,
/// "Exit codes"): 2 when the command cannot be carried out as written (a name, value, path
/// or entry that is not there or not valid, a file that cannot be read or written), 1 when
/// the configuration refuses it (a lock, a rule the change would break, a duplicate).
pub fn error_code(e: &EditError) -> u8 {
    match e {
        EditError::Engine(engine) => engine_error_code(engine),
        EditError::Syntax(_)
        | EditError::Character(_)
        | EditError::Schema(_)
        | EditError::RuntimeOnly(_)
        | EditError::EntryNotFound(_)
        | EditError::NoLevelFile { .. }
        | EditError::UnreadableConfigSource { .. }
        | EditError::Io { .. }
        | EditError::Write(_)
        | EditError::Xml(_)
        | EditError::NoWorkingFile
        | EditError::Place(_) => EXIT_USAGE,
        EditError::Duplicate(_)
        | EditError::Rejected(_)
        | EditError::LockBreaksBelow { .. }
        | EditError::PlaintextSecret { .. }
        | EditError::DuplicateSection { .. } => EXIT_FINDINGS,
    }
}

/// [`error_code`] for an engine error.
pub fn engine_error_code(e: &EngineError) -> u8 {
    match e {
        EngineError::NotAllowedHere { .. }
        | EngineError::SectionLocked { .. }
        | EngineError::SubDirConfigIgnored { .. } => EXIT_FINDINGS,
        _ => EXIT_USAGE,
    }
}

/// How a command words what it reports: its errors, and "no change" in words that fit the
/// verb.
pub struct Voice {
    /// Prints an error message (`error: …`, or appcmd's `ERROR ( message:… )`).
    pub error: fn(&str),
    /// Why nothing changes, for the verb: "the values are already set", "nothing to clear".
    pub unchanged: &'static str,
}

fn plain_error(message: &str) {
    eprintln!("error: {message}");
}

impl Voice {
    /// iisconf's own voice for `verb` (set, clear, lock, unlock).
    pub fn plain(verb: &str) -> Voice {
        Voice {
            error: plain_error,
            unchanged: unchanged_words(verb),
        }
    }
}

/// Why a verb changes nothing.
pub fn unchanged_words(verb: &str) -> &'static str {
    match verb {
        "clear" => "nothing to clear",
        "lock" => "the section is already locked for that path",
        "unlock" => "the section is already unlocked for that path",
        _ => "the values are already set",
    }
}

/// Prepares, then prints the diff (dry run) or commits; reports what was written.
pub fn run_transaction(tx: Transaction, write: &WriteOpts) -> u8 {
    run_transaction_as(tx, write, &Voice::plain("set"))
}

/// [`run_transaction`], worded in `voice`.
pub fn run_transaction_as(tx: Transaction, write: &WriteOpts, voice: &Voice) -> u8 {
    let prepared = match tx.prepare() {
        Ok(p) => p,
        Err(e) => {
            (voice.error)(&format!(
                "{}{}",
                super::errors::edit_message(&e),
                flag_advice(&e)
            ));
            return error_code(&e);
        }
    };
    for warning in prepared.warnings() {
        eprintln!("warning: {warning}");
    }
    if write.dry_run {
        print!("{}", prepared.diff());
        if prepared.is_noop() {
            eprintln!("no change: {}", voice.unchanged);
        }
        return EXIT_OK;
    }
    if prepared.is_noop() {
        eprintln!("no change: {}; no file was written", voice.unchanged);
        return EXIT_OK;
    }
    let result = prepared.commit(&write.commit_options());
    match result {
        Ok(written) => {
            report_written(&written);
            EXIT_OK
        }
        Err(e) => {
            (voice.error)(&super::errors::edit_message(&e));
            error_code(&e)
        }
    }
}

/// Tells on stderr what a commit wrote: each file, its backup, and the notes of the write
/// (a stale lock or temporary file cleared, a symbolic link followed).
pub fn report_written(written: &[Written]) {
    for w in written {
        for note in &w.notes {
            eprintln!("note: {note}");
        }
        let verb = if w.created { "created" } else { "wrote" };
        match &w.backup {
            Some(b) => eprintln!("{verb} {} (backup: {})", w.path.display(), b.display()),
            None => eprintln!("{verb} {}", w.path.display()),
        }
    }
}

fn target(commit: Option<&str>) -> CommitTarget {
    commit.map_or(CommitTarget::Url, CommitTarget::parse)
}

/// Options written after the changes (the change list accepts values starting with `-`,
/// so clap hands these over as changes).
#[derive(clap::Parser)]
#[command(no_binary_name = true)]
struct Trailing {
    #[arg(long, value_name = "TARGET")]
    commit: Option<String>,
    #[command(flatten)]
    hierarchy: HierarchyOpts,
    #[command(flatten)]
    write: WriteOpts,
}

/// Flags that take a value.
const VALUE_FLAGS: [&str; 9] = [
    "--commit",
    "--apphost",
    "--root-map",
    "--env",
    "--schema-dir",
    "--backup-dir",
    "--webroot-config",
    "--machine-config",
    "--lock-timeout",
];

/// Moves `--options` out of the change list into `args`.
fn take_trailing_options(args: &mut SetArgs) -> Result<(), String> {
    let mut changes = Vec::new();
    let mut extra = Vec::new();
    let mut it = std::mem::take(&mut args.changes).into_iter();
    while let Some(c) = it.next() {
        if c == "--" {
            changes.extend(it.by_ref());
            break;
        }
        if !c.starts_with("--") {
            changes.push(c);
            continue;
        }
        let takes_value = VALUE_FLAGS.contains(&c.as_str());
        extra.push(c);
        if takes_value {
            if let Some(v) = it.next() {
                extra.push(v);
            }
        }
    }
    args.changes = changes;
    if extra.is_empty() {
        return Ok(());
    }
    let t = <Trailing as clap::Parser>::try_parse_from(extra).map_err(|e| e.to_string())?;
    if t.commit.is_some() {
        args.commit = t.commit;
    }
    let h = &mut args.hierarchy;
    if t.hierarchy.apphost.is_some() {
        h.apphost = t.hierarchy.apphost;
    }
    h.root_maps.extend(t.hierarchy.root_maps);
    h.env.extend(t.hierarchy.env);
    h.schema.schema_dirs.extend(t.hierarchy.schema.schema_dirs);
    let w = &mut args.write;
    w.dry_run |= t.write.dry_run;
    w.no_backup |= t.write.no_backup;
    w.allow_plaintext_secrets |= t.write.allow_plaintext_secrets;
    w.break_hardlinks |= t.write.break_hardlinks;
    if t.write.lock_timeout.is_some() {
        w.lock_timeout = t.write.lock_timeout;
    }
    if t.write.backup_dir.is_some() {
        w.backup_dir = t.write.backup_dir;
    }
    if t.write.webroot_config.is_some() {
        w.webroot_config = t.write.webroot_config;
    }
    if t.write.machine_config.is_some() {
        w.machine_config = t.write.machine_config;
    }
    Ok(())
}

/// Runs `iisconf set`.
pub fn run_set(mut args: SetArgs) -> u8 {
    if let Err(m) = take_trailing_options(&mut args) {
        return usage(m);
    }
    if args.changes.is_empty() {
        return usage("no change given: write ATTR=VALUE, +ELEM[key='v'] or -ELEM[key='v']".into());
    }
    let (_guard, h) = match args.hierarchy.open_for_write(&args.write) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let section = match resolve_section(&h, &args.section) {
        Ok(s) => s,
        Err(m) => return usage(m),
    };
    let path = match config_path(&h, &args.path) {
        Ok(p) => p,
        Err(m) => return usage(m),
    };
    let target = target(args.commit.as_deref());
    let mut changes = Vec::new();
    for text in &args.changes {
        match grammar::parse_change(text) {
            Ok(change) => changes.push(canonical(&h, &section, change)),
            Err(e) => return usage(e.to_string()),
        }
    }
    let mut tx = transaction(h, &args.hierarchy, &args.write);
    for change in changes {
        tx.push(Edit {
            path: path.clone(),
            section: section.clone(),
            target: target.clone(),
            change,
        });
    }
    run_transaction(tx, &args.write)
}

/// Runs `iisconf clear`.
pub fn run_clear(args: ClearArgs) -> u8 {
    let (_guard, h) = match args.hierarchy.open_for_write(&args.write) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let section = match resolve_section(&h, &args.section) {
        Ok(s) => s,
        Err(m) => return usage(m),
    };
    let change = match clear_change(&h, &section, args.element.as_deref()) {
        Ok(c) => c,
        Err(e) => return usage(e.to_string()),
    };
    let path = match config_path(&h, &args.path) {
        Ok(p) => p,
        Err(m) => return usage(m),
    };
    let mut tx = transaction(h, &args.hierarchy, &args.write);
    tx.push(Edit {
        path,
        section,
        target: target(args.commit.as_deref()),
        change,
    });
    run_transaction_as(tx, &args.write, &Voice::plain("clear"))
}

/// A clear change for an element path or an attribute path of `section` (see
/// [`grammar::clear_change`]).
pub fn clear_change(
    h: &Hierarchy,
    section: &str,
    element: Option<&str>,
) -> Result<Change, ChangeError> {
    grammar::clear_change(h.registry().section(section), element)
}

/// Runs `iisconf lock` (`deny`) or `iisconf unlock`.
pub fn run_lock(args: LockArgs, deny: bool) -> u8 {
    let write = args.write.to_write_opts();
    let (_guard, h) = match args.hierarchy.open_for_write(&write) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let section = match resolve_section(&h, &args.section) {
        Ok(s) => s,
        Err(m) => return usage(m),
    };
    let path = match config_path(&h, &args.path) {
        Ok(p) => p,
        Err(m) => return usage(m),
    };
    let mut tx = Transaction::new(h);
    tx.push(Edit {
        path,
        section,
        target: CommitTarget::AppHost,
        change: Change::Lock { deny },
    });
    let verb = if deny { "lock" } else { "unlock" };
    run_transaction_as(tx, &write, &Voice::plain(verb))
}
