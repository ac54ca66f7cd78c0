//! The linter: inputs (files and folders) → configuration files → hierarchies → findings,
//! with inline suppressions, rule selection and severity overrides from [`LintConfig`], and
//! renderers for people (rustc-style), JSON, SARIF 2.1.0 and GitHub workflow commands.
//!
//! * An applicationHost.config (recognised by content) is linted as a hierarchy: itself and
//!   the web.config files found through its sites' physical paths (`root_maps`).
//! * administration.config and redirection.config (by name) are read at the server level:
//!   with the hierarchy of the applicationHost.config beside them, else on their own.
//! * Any other file is a web.config linted on its own under the stock declarations, unless it
//!   belongs to a hierarchy linted in the same run (then it is reported once, as part of it).
//! * A file whose root is not `<configuration>` is a fragment, checked as the place of the
//!   schema its root names (or one finding when it names none); a configSource file that
//!   a file of the run names is reported once, as part of that file.
//! * A transform (its root declares the XDT namespace) is applied to the web.config or
//!   app.config beside it, or `--transform` is applied to every input, and the result is
//!   linted (see `transform`).
//! * A file that is not well-formed is an IIS0001 finding; a file that cannot be read at all
//!   is listed in [`Report::unreadable`].
//!
//! Files are linted in parallel, on the pool of [`iisconf_xml::parallel`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ci;
mod fixes;
pub mod render;
mod settings;
mod suppress;
mod transform;
mod walk;

pub use settings::{parse_root_map, ConfigError, LintConfig, RuleSelector, CONFIG_FILE_NAME};
pub use walk::{collect, collect_inputs, is_iis_config, Inputs};

use iisconf_core::config::fragment::{read_root, Fragment, RootReading};
use iisconf_core::config::{ConfigFile, FileKind};
use iisconf_core::diagnostic::{Finding, Rule, Severity};
use iisconf_core::engine::{is_companion_file, Hierarchy, Options};
use iisconf_core::schema::Registry;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use suppress::Suppressions;

/// What to lint and how.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Files and folders (folders are walked for `*.config`).
    pub inputs: Vec<PathBuf>,
    /// An applicationHost.config whose whole hierarchy is linted.
    pub apphost: Option<PathBuf>,
    /// Windows path prefix → local folder, to find the web.config files of the sites.
    pub root_maps: Vec<(String, PathBuf)>,
    /// Extra `%VARIABLES%` for physical paths.
    pub env: Vec<(String, String)>,
    /// Rule selection, per-file ignores and severity overrides.
    pub config: LintConfig,
    /// Threads for the run's parallel work (0: the process's pool, one per CPU).
    pub jobs: usize,
    /// Leave [`Reported::source_line`] empty (for reports that show no snippets).
    pub skip_source_lines: bool,
    /// The place of the schema to check fragments as (a section group, a section or
    /// `section/element…`), for roots whose name fits several places.
    pub fragment: Option<String>,
    /// An XDT transform applied to every other input before it is linted (`--transform`).
    pub transform: Option<PathBuf>,
}

/// Errors that stop a lint run before it starts.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// An input path does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(String),
    /// A folder cannot be listed.
    #[error("{path}: cannot read the directory: {source}")]
    ReadDir {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A file that could not be read at all.
#[derive(Debug)]
pub struct Unreadable {
    /// The path as given or found.
    pub path: String,
    /// The I/O error.
    pub error: std::io::Error,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: cannot read the file: {}", self.path, self.error)
    }
}

/// A finding with the source line it starts on (for snippets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    /// The finding, severity already configured.
    pub finding: Finding,
    /// The text of line `finding.place.line`, without its line ending.
    pub source_line: Option<String>,
    /// The text of the line of each of `finding.related`, in the same order.
    pub related_lines: Vec<Option<String>>,
}

impl Reported {
    /// A finding with its source lines read through `line_of(file, line)`.
    fn with_lines(finding: Finding, line_of: &dyn Fn(&str, u32) -> Option<String>) -> Reported {
        let source_line = line_of(&finding.place.file, finding.place.line);
        let related_lines = finding
            .related()
            .iter()
            .map(|r| line_of(&r.place.file, r.place.line))
            .collect();
        Reported {
            finding,
            source_line,
            related_lines,
        }
    }

    /// A finding without source lines (for reports that show none).
    fn bare(finding: Finding) -> Reported {
        Reported {
            finding,
            source_line: None,
            related_lines: Vec::new(),
        }
    }
}

/// The result of a lint run.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding, sorted by file, line, column and rule.
    pub findings: Vec<Reported>,
    /// How many files were linted (inputs plus web.config files of hierarchies).
    pub files: usize,
    /// Files that could not be read.
    pub unreadable: Vec<Unreadable>,
    /// `*.config` files found in the folders given that IIS does not read (NuGet.config,
    /// packages.config …), left alone.
    pub skipped: Vec<PathBuf>,
}

impl Report {
    /// How many findings have severity `level`.
    pub fn count(&self, level: Severity) -> usize {
        self.findings
            .iter()
            .filter(|r| r.finding.severity == level)
            .count()
    }

    /// Whether any finding is at or above `level`.
    pub fn fails(&self, level: Severity) -> bool {
        self.findings.iter().any(|r| r.finding.severity >= level)
    }
}

/// Progress of a run: `done` of `total` files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Files finished.
    pub done: usize,
    /// Files in all.
    pub total: usize,
}

/// One unit of work.
#[derive(Clone, Debug)]
struct Job {
    path: PathBuf,
    /// Lint as a hierarchy even if the content does not look like applicationHost.config.
    force_apphost: bool,
}

/// What one job produced.
#[derive(Default)]
struct JobOutput {
    findings: Vec<Reported>,
    /// Canonical paths of the files linted (for a hierarchy: all of its files).
    files: Vec<PathBuf>,
    /// Whether it was linted as a hierarchy.
    hierarchy: bool,
    /// The canonical path of the job's own file.
    canonical: Option<PathBuf>,
    unreadable: Option<Unreadable>,
}

/// Lints `options.inputs` (and `options.apphost`'s hierarchy) with `registry`. `progress` is
/// called after each file.
pub fn lint(
    registry: &Registry,
    options: &LintOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, LintError> {
    let mut jobs = Vec::new();
    let apphost_canonical = options.apphost.as_ref().map(|p| canonical(p));
    if let Some(apphost) = &options.apphost {
        jobs.push(Job {
            path: apphost.clone(),
            force_apphost: true,
        });
    }
    let inputs = walk::collect(&options.inputs)?;
    for path in inputs.files {
        if apphost_canonical
            .as_ref()
            .is_some_and(|a| *a == canonical(&path))
        {
            continue;
        }
        jobs.push(Job {
            path,
            force_apphost: false,
        });
    }
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let outputs = iisconf_xml::parallel::with_threads(options.jobs, || {
        iisconf_xml::parallel::map(&jobs, |job| {
            let out = lint_job(registry, options, job);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(Progress { done: d, total });
            out
        })
    });
    let mut report = merge(outputs);
    report.skipped = inputs.skipped;
    Ok(report)
}

/// Merges job outputs: drops standalone results for files that a hierarchy already covered,
/// removes exact duplicates and sorts.
fn merge(outputs: Vec<JobOutput>) -> Report {
    // The files of hierarchies, and the configSource files that other files name.
    let members: HashSet<PathBuf> = outputs
        .iter()
        .flat_map(|o| {
            o.files
                .iter()
                .filter(move |f| o.hierarchy || o.canonical.as_ref() != Some(*f))
                .cloned()
        })
        .collect();
    let mut report = Report::default();
    let mut files = HashSet::new();
    for out in outputs {
        if !out.hierarchy && out.canonical.as_ref().is_some_and(|c| members.contains(c)) {
            continue;
        }
        if let Some(u) = out.unreadable {
            report.unreadable.push(u);
        }
        files.extend(out.files);
        if report.findings.is_empty() {
            report.findings = out.findings;
        } else {
            report.findings.extend(out.findings);
        }
    }
    report.files = files.len();
    report.findings.sort_by(|a, b| {
        let (x, y) = (&a.finding, &b.finding);
        (&x.place, x.rule.id(), &x.message).cmp(&(&y.place, y.rule.id(), &y.message))
    });
    report.findings.dedup_by(|a, b| a.finding == b.finding);
    collapse_missing_schema(&mut report.findings);
    report
}

/// Keeps one IIS1002 per section for the whole run (the first), saying how many other
/// places lack the same schema: one missing module is one finding, not one per file.
fn collapse_missing_schema(findings: &mut Vec<Reported>) {
    let mut seen: std::collections::HashMap<String, (usize, usize, HashSet<String>)> =
        std::collections::HashMap::new();
    let mut keep = Vec::with_capacity(findings.len());
    for (i, r) in findings.iter().enumerate() {
        let f = &r.finding;
        if f.rule != Rule::MissingSchema {
            keep.push(true);
            continue;
        }
        match seen.get_mut(&f.message) {
            Some((_, more, files)) => {
                *more += 1;
                files.insert(f.place.file.to_string());
                keep.push(false);
            }
            None => {
                seen.insert(f.message.clone(), (i, 0, HashSet::new()));
                keep.push(true);
            }
        }
    }
    for (first, more, files) in seen.values() {
        if *more == 0 {
            continue;
        }
        if let Some(r) = findings.get_mut(*first) {
            let first_file = r.finding.place.file.to_string();
            let others = files.iter().filter(|f| **f != first_file).count();
            let places = if *more == 1 { "place" } else { "places" };
            let in_files = match others {
                0 => String::new(),
                1 => " in 1 other file".to_string(),
                n => format!(" in {n} other files"),
            };
            r.finding
                .message
                .push_str(&format!(" ({more} more {places}{in_files})"));
        }
    }
    let mut flags = keep.into_iter();
    findings.retain(|_| flags.next().unwrap_or(true));
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Lints one file whose bytes are given rather than read from disk (an editor's unsaved
/// text) as [`lint`] would lint it at `path`: as a hierarchy when it is an
/// applicationHost.config, a fragment, a transform or a web.config on its own. Other files
/// it needs (the web.config files below an applicationHost.config, a transform's source)
/// are read from disk. Only the findings in this file are returned.
pub fn lint_bytes(
    registry: &Registry,
    options: &LintOptions,
    path: &Path,
    bytes: &[u8],
) -> Vec<Reported> {
    let job = Job {
        path: path.to_path_buf(),
        force_apphost: false,
    };
    let parsed = iisconf_xml::Document::parse(bytes);
    let name = path.display().to_string();
    let output = lint_parsed(registry, options, &job, parsed, &|| bytes.to_vec());
    let mut findings = merge(vec![output]).findings;
    findings.retain(|r| *r.finding.place.file == *name);
    findings
}

/// The findings of the IIS rules in `file`, out of `findings` (those of a whole hierarchy,
/// [`Hierarchy::check`]), with the file's inline suppressions applied and `config`'s rule
/// selection and severities: what [`lint`] reports for that file of a hierarchy.
pub fn findings_in_file(
    file: &ConfigFile,
    findings: &[Finding],
    config: &LintConfig,
) -> Vec<Finding> {
    let mut own: Vec<Finding> = findings
        .iter()
        .filter(|f| f.place.file == file.name)
        .cloned()
        .collect();
    let mut suppressions = Suppressions::scan(file);
    if !suppressions.is_empty() {
        suppressions.apply(&mut own);
        own.extend(suppressions.unused(file));
    }
    configure(config, own)
}

fn lint_job(registry: &Registry, options: &LintOptions, job: &Job) -> JobOutput {
    let parsed = match iisconf_xml::Document::load(&job.path) {
        Ok(parsed) => parsed,
        Err(error) => {
            let path = job.path.display().to_string();
            return JobOutput {
                canonical: Some(canonical(&job.path)),
                unreadable: Some(Unreadable { path, error }),
                ..JobOutput::default()
            };
        }
    };
    lint_parsed(registry, options, job, parsed, &|| {
        std::fs::read(&job.path).unwrap_or_default()
    })
}

/// Lints a job's file, parsed into `parsed`; `raw` gives its bytes when it did not parse.
fn lint_parsed(
    registry: &Registry,
    options: &LintOptions,
    job: &Job,
    parsed: Result<iisconf_xml::Document, iisconf_xml::ParseError>,
    raw: &dyn Fn() -> Vec<u8>,
) -> JobOutput {
    let name = job.path.display().to_string();
    let canonical_path = canonical(&job.path);
    let mut out = JobOutput {
        canonical: Some(canonical_path.clone()),
        files: vec![canonical_path],
        ..JobOutput::default()
    };
    if let Some(findings) = transform::lint_transformed(registry, options, &job.path, &parsed) {
        out.findings = findings;
        return out;
    }
    let file = match parsed {
        Ok(doc) if !job.force_apphost => match root_reading(registry, options, &doc) {
            RootReading::Configuration => ConfigFile::from_document(&name, doc),
            RootReading::Fragment(place) => {
                out.findings = lint_fragment(registry, options, &job.path, doc, place);
                return out;
            }
            other => {
                let finding = not_configuration(&name, &doc, &other);
                out.findings = report(options, vec![finding], &|line| {
                    doc.line_text(line).map(str::to_string)
                });
                return out;
            }
        },
        Ok(doc) => ConfigFile::from_document(&name, doc),
        Err(e) => {
            let bytes = raw();
            let finding = Finding::not_well_formed(&name, &e);
            let fix = fixes::duplicate_attribute(&finding, &bytes);
            let finding = finding.with_fix(fix);
            let line = raw_line(&bytes, e.position.line);
            out.findings = configure(&options.config, vec![finding])
                .into_iter()
                .map(|finding| Reported {
                    source_line: line.clone(),
                    ..Reported::bare(finding)
                })
                .collect();
            out.hierarchy = job.force_apphost;
            return out;
        }
    };
    let mut hierarchy = if job.force_apphost || file.kind() == FileKind::AppHost {
        out.hierarchy = true;
        let engine_options = Options {
            apphost: Some(job.path.clone()),
            root_maps: options.root_maps.clone(),
            env: options.env.clone(),
        };
        Hierarchy::from_apphost(registry.clone(), file, &engine_options)
    } else if is_companion_file(&job.path) {
        Hierarchy::companion(registry.clone(), file)
    } else {
        Hierarchy::standalone(registry.clone(), file)
    };
    let skip = usize::from(!hierarchy.has_apphost());
    // The stock declarations the engine supplies are no file of the user's.
    let own_files: Vec<usize> = hierarchy
        .files()
        .iter()
        .enumerate()
        .skip(skip)
        .filter(|(_, f)| !f.name.starts_with("embedded:"))
        .map(|(i, _)| i)
        .collect();
    let suppressions = iisconf_xml::parallel::map(&own_files, |i| {
        hierarchy
            .files()
            .get(*i)
            .map(Suppressions::scan)
            .unwrap_or_default()
    });
    // A rule that is off and that no suppression names is not checked at all.
    let unwanted: Vec<Rule> = [Rule::RedundantValue]
        .into_iter()
        .filter(|rule| {
            !options.config.selected(*rule) && !suppressions.iter().any(|s| s.mentions(*rule))
        })
        .collect();
    hierarchy.skip_rules(unwanted);
    let mut findings = hierarchy.check();
    for (i, mut suppressions) in own_files.into_iter().zip(suppressions) {
        if let Some(file) = hierarchy
            .files()
            .get(i)
            .filter(|_| !suppressions.is_empty())
        {
            suppressions.apply(&mut findings);
            findings.extend(suppressions.unused(file));
        }
    }
    let files = hierarchy.files().get(skip..).unwrap_or(&[]);
    if !out.hierarchy {
        // The configSource files the file names are linted as part of it.
        out.files.extend(
            files
                .iter()
                .filter(|f| f.section_source().is_some())
                .map(|f| canonical(Path::new(&*f.name))),
        );
    }
    if out.hierarchy {
        out.files = files
            .iter()
            .filter(|f| !f.name.starts_with("embedded:"))
            .map(|f| canonical(Path::new(&*f.name)))
            .collect();
        // Web.config files of the hierarchy that could not be parsed are members too.
        out.files.extend(
            findings
                .iter()
                .filter(|f| f.rule == Rule::NotWellFormed)
                .map(|f| canonical(Path::new(&*f.place.file))),
        );
    }
    out.findings = configure(&options.config, findings)
        .into_iter()
        .map(|finding| {
            if options.skip_source_lines {
                return Reported::bare(finding);
            }
            let not_well_formed = finding.rule == Rule::NotWellFormed;
            Reported::with_lines(finding, &|file, line| {
                files
                    .iter()
                    .find(|f| *f.name == *file)
                    .and_then(|f| f.doc.line_text(line))
                    .map(str::to_string)
                    .or_else(|| {
                        // A web.config of the hierarchy that is not well-formed: read its line.
                        not_well_formed
                            .then(|| std::fs::read(file).ok())
                            .flatten()
                            .and_then(|b| raw_line(&b, line))
                    })
            })
        })
        .collect();
    // A large hierarchy (the nodes of a 100 MB file) takes a while to free: the report
    // goes on meanwhile.
    let size: usize = hierarchy.files().iter().map(|f| f.doc.source().len()).sum();
    if size >= DROP_LATER_FROM {
        iisconf_xml::parallel::drop_later(hierarchy);
    }
    out
}

/// From how many bytes of text a hierarchy is freed on the pool, after the lint.
const DROP_LATER_FROM: usize = 4 << 20;

/// How the root element of `doc` reads (`<configuration>`, a fragment, neither).
fn root_reading(
    registry: &Registry,
    options: &LintOptions,
    doc: &iisconf_xml::Document,
) -> RootReading {
    let root = doc.root_element().map_or("", |r| doc.name(r));
    read_root(
        registry,
        root,
        options.fragment.as_deref(),
        iisconf_core::engine::machine_sections(),
    )
}

/// The finding for a root that names no place of the schema, or several.
fn not_configuration(name: &str, doc: &iisconf_xml::Document, reading: &RootReading) -> Finding {
    let file = ConfigFile::from_document(name, doc.clone());
    let root = doc.root_element();
    let root_name = root.map_or("", |r| doc.name(r));
    let (place, span) = match root {
        Some(r) => file.node_place(r),
        None => (file.file_start(), None),
    };
    let finding = match reading {
        RootReading::Ambiguous(places) => Finding::new(
            Rule::NotConfiguration,
            place,
            format!("the root <{root_name}> fits several places of the schema ({}), so the file is not checked", places.join(", ")),
        )
        .with_help(format!("choose one with --fragment, e.g. --fragment {}", places.first().map_or("", |p| p.as_str()))),
        _ => Finding::new(
            Rule::NotConfiguration,
            place,
            format!("not an IIS configuration file: the root is <{root_name}>, not <configuration>"),
        )
        .with_help("IIS reads files whose root is <configuration>; a fragment's root is a section group, a section or an element of one section"),
    };
    finding.with_span(span)
}

/// Lints a fragment as the place `place` of an applicationHost.config: the findings at the
/// fragment's own positions, and one saying what it was checked as.
fn lint_fragment(
    registry: &Registry,
    options: &LintOptions,
    path: &Path,
    doc: iisconf_xml::Document,
    place: iisconf_core::config::fragment::FragmentPlace,
) -> Vec<Reported> {
    let name = path.display().to_string();
    let fragment = match Fragment::wrap(&name, doc.clone(), place) {
        Ok(fragment) => fragment,
        Err(error) => {
            let finding = Finding::not_well_formed(&name, &error);
            return report(options, vec![finding], &|_| None);
        }
    };
    let engine_options = Options {
        apphost: Some(path.to_path_buf()),
        ..Options::default()
    };
    let hierarchy =
        Hierarchy::from_apphost(registry.clone(), fragment.file.clone(), &engine_options);
    // The sites of a fragment are not a server's: their folders are not there to read.
    let mut findings: Vec<Finding> = hierarchy
        .check()
        .into_iter()
        .filter(|f| f.rule != Rule::UnmappedPhysicalPath)
        .collect();
    if let Some(file) = hierarchy.files().first() {
        let mut suppressions = Suppressions::scan(file);
        if !suppressions.is_empty() {
            suppressions.apply(&mut findings);
            findings.extend(suppressions.unused(file));
        }
    }
    for finding in &mut findings {
        fragment.unshift(finding);
        // The edits are in the wrapped text, not the fragment's own.
        if let Some(extra) = &mut finding.extra {
            extra.fix = None;
        }
    }
    let checked_as = fragment.place.path();
    let root_file = ConfigFile::from_document(&name, doc);
    let span = fragment.root_span();
    let place = span.map_or_else(|| root_file.file_start(), |s| root_file.place(s));
    findings.push(
        Finding::new(
            Rule::Fragment,
            place,
            format!("a fragment: its root is not <configuration>, so it was checked as {checked_as} of an applicationHost.config"),
        )
        .with_span(span)
        .with_help("choose another place with --fragment PLACE"),
    );
    let original = &fragment.original;
    report(options, findings, &|line| {
        original.line_text(line).map(str::to_string)
    })
}

/// Configured findings with their source lines from `line_of`.
fn report(
    options: &LintOptions,
    findings: Vec<Finding>,
    line_of: &dyn Fn(u32) -> Option<String>,
) -> Vec<Reported> {
    configure(&options.config, findings)
        .into_iter()
        .map(|finding| {
            if options.skip_source_lines {
                return Reported::bare(finding);
            }
            let own = finding.place.file.clone();
            Reported::with_lines(finding, &|file, line| {
                (*file == *own).then(|| line_of(line)).flatten()
            })
        })
        .collect()
}

/// Applies rule selection, per-file ignores and severity overrides.
fn configure(config: &LintConfig, findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| config.enabled(f.rule, &f.place.file))
        .map(|mut f| {
            f.severity = config.severity_of(f.rule, f.severity);
            f
        })
        .collect()
}

/// Line `line` (1-based) of a file that did not parse, for its snippet: UTF-8 only (a BOM is
/// dropped); `None` for other encodings.
fn raw_line(bytes: &[u8], line: u32) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    let index = iisconf_xml::LineIndex::new(&text);
    index
        .line_span(&text, line)
        .and_then(|r| text.get(r))
        .map(str::to_string)
}
