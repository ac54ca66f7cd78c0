//! Renderers: every one returns the whole output as a `String`.
//!
//! * [`human`] — rustc-style: `error[IIS2001]: message`, ` --> file:line:col`, the source line
//!   with the span underlined (related places with `-` and their label), `= note: …`,
//!   `= help: …`, `= fix: …`, and a summary line; ANSI colour on request.
//! * [`concise`] — one line per finding: `file:line:col: severity[ID] message`.
//! * [`statistics`] — a count per rule, most frequent first.
//! * [`json`] — an array of objects with file, line, column, endLine, endColumn, rule,
//!   ruleName, severity, message and help (and note, related and fix when there are).
//! * [`sarif`] — a SARIF 2.1.0 log with every rule in `tool.driver.rules`, related locations
//!   and fixes.
//! * [`github`] — GitHub Actions workflow commands (`::error file=…,line=…::message`).
//! * [`gitlab`] and [`junit`] — GitLab code quality and JUnit XML (from `ci`).
//! * [`statistics_json`] — the counts of [`statistics`] as JSON.
//!
//! The human renderer is hand-written rather than built on annotate-snippets: the output
//! needed is one line with one underline per finding, and plain text without a dependency
//! snapshots the same everywhere.

pub use super::ci::{gitlab, junit};
use super::{Report, Reported};
use iisconf_core::diagnostic::{Applicability, Fix, Place, Related, Rule, Severity};
use serde::Serialize;

/// The URI of the SARIF 2.1.0 JSON schema, written as `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Options of the human renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanOptions {
    /// Whether to use ANSI colours.
    pub color: bool,
    /// Leave out the summary line (findings only).
    pub quiet: bool,
}

struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Display columns a tab takes.
const TAB_WIDTH: usize = 4;
/// Longest source line shown whole; longer ones are cut around the span.
const MAX_LINE: usize = 140;
/// Characters kept before the span when a long line is cut.
const CONTEXT_BEFORE: usize = 40;

/// rustc-style output with a summary line.
pub fn human(report: &Report, options: HumanOptions) -> String {
    let p = Palette {
        color: options.color,
    };
    let mut out = String::new();
    for r in &report.findings {
        human_one(&mut out, r, &p);
        out.push('\n');
    }
    if !options.quiet {
        out.push_str(&summary(report, &p));
        out.push('\n');
    }
    out
}

fn human_one(out: &mut String, r: &Reported, p: &Palette) {
    let f = &r.finding;
    // The lines shown in the first snippet: the finding's own, and the related places of
    // the same file whose line is known.
    let mut lines: Vec<Annotated> = Vec::new();
    let mut elsewhere: Vec<(&Related, Option<&String>)> = Vec::new();
    if let Some(text) = &r.source_line {
        lines.push(Annotated {
            place: &f.place,
            text,
            marker: '^',
            label: None,
        });
    }
    for (i, related) in f.related().iter().enumerate() {
        let text = r.related_lines.get(i).and_then(Option::as_ref);
        match text {
            Some(text) if related.place.file == f.place.file && r.source_line.is_some() => {
                lines.push(Annotated {
                    place: &related.place,
                    text,
                    marker: '-',
                    label: Some(&related.label),
                });
            }
            _ => elsewhere.push((related, text)),
        }
    }
    lines.sort_by_key(|a| a.place.line);
    let width = lines
        .iter()
        .map(|a| a.place.line)
        .chain(elsewhere.iter().map(|(r, _)| r.place.line))
        .chain([f.place.line])
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    let pad = " ".repeat(width);
    out.push_str(&p.severity(
        f.severity,
        &format!("{}[{}]", f.severity.as_str(), f.rule.id()),
    ));
    out.push_str(&p.bold(&format!(": {}", f.message)));
    out.push('\n');
    out.push_str(&format!("{pad}{} {}\n", p.gutter("-->"), f.place));
    if !lines.is_empty() {
        out.push_str(&format!("{pad} {}\n", p.gutter("|")));
    }
    for a in &lines {
        annotated_line(out, a, width, f.severity, p);
    }
    for (related, text) in &elsewhere {
        match text {
            Some(text) => {
                out.push_str(&format!("{pad}{} {}\n", p.gutter(":::"), related.place));
                out.push_str(&format!("{pad} {}\n", p.gutter("|")));
                let a = Annotated {
                    place: &related.place,
                    text,
                    marker: '-',
                    label: Some(&related.label),
                };
                annotated_line(out, &a, width, f.severity, p);
            }
            None => {
                out.push_str(&format!("{pad} {}\n", p.gutter("|")));
                out.push_str(&format!(
                    "{pad} {} {}: {}\n",
                    p.gutter("= note:"),
                    related.label,
                    related.place
                ));
            }
        }
    }
    let notes = [("= note:", f.note()), ("= help:", f.help.as_deref())];
    for (label, text) in notes {
        if let Some(text) = text {
            out.push_str(&format!("{pad} {}\n", p.gutter("|")));
            out.push_str(&format!("{pad} {} {text}\n", p.gutter(label)));
        }
    }
    if let Some(fix) = f.fix() {
        let how = match fix.applicability {
            Applicability::Safe => "--fix",
            Applicability::Unsafe => "--fix --unsafe-fixes",
        };
        out.push_str(&format!("{pad} {}\n", p.gutter("|")));
        out.push_str(&format!(
            "{pad} {} {} ({how})\n",
            p.gutter("= fix:"),
            fix.title
        ));
    }
}

/// One source line of a snippet with its underline and label.
struct Annotated<'a> {
    place: &'a Place,
    text: &'a str,
    /// `^` for the finding's own place, `-` for a related one.
    marker: char,
    label: Option<&'a str>,
}

fn annotated_line(out: &mut String, a: &Annotated, width: usize, severity: Severity, p: &Palette) {
    let pad = " ".repeat(width);
    let place = a.place;
    let end = if place.end_line == place.line {
        place.end_column.max(place.column + 1)
    } else {
        // A span over several lines: underline to the end of the first line.
        a.text.chars().count() as u32 + 2
    };
    let (text, offset, len) = snippet(a.text, place.column, end);
    out.push_str(&format!(
        "{} {}\n",
        p.gutter(&format!("{:>width$}", place.line)),
        p.gutter("|") + if text.is_empty() { "" } else { " " } + &text
    ));
    let underline = a.marker.to_string().repeat(len.max(1));
    let underline = if a.marker == '^' {
        p.severity(severity, &underline)
    } else {
        p.gutter(&underline)
    };
    let label = a.label.map(|l| format!(" {l}")).unwrap_or_default();
    out.push_str(&format!(
        "{pad} {} {}{underline}{label}\n",
        p.gutter("|"),
        " ".repeat(offset),
    ));
}

/// The line as displayed (tabs expanded, long lines cut around the span), the display offset
/// of the underline and its length, for 1-based character columns `start..end`.
fn snippet(line: &str, start: u32, end: u32) -> (String, usize, usize) {
    let chars: Vec<char> = line.trim_end().chars().collect();
    let start = (start.max(1) as usize - 1).min(chars.len());
    let end = (end.max(1) as usize - 1).clamp(start, chars.len().max(start));
    let (from, to, cut_left, cut_right) = if chars.len() > MAX_LINE {
        let from = start.saturating_sub(CONTEXT_BEFORE);
        let to = (from + MAX_LINE).min(chars.len()).max(end.min(chars.len()));
        let to = to.min(from + MAX_LINE * 2);
        (from, to, from > 0, to < chars.len())
    } else {
        (0, chars.len(), false, false)
    };
    let mut text = String::new();
    let mut width = 0usize;
    let mut offset = 0usize;
    let mut len = 0usize;
    if cut_left {
        text.push_str("...");
        width += 3;
    }
    for (i, c) in chars.iter().enumerate().take(to).skip(from) {
        if i == start {
            offset = width;
        }
        let w = if *c == '\t' { TAB_WIDTH } else { 1 };
        if *c == '\t' {
            text.push_str(&" ".repeat(TAB_WIDTH));
        } else {
            text.push(*c);
        }
        if i >= start && i < end {
            len += w;
        }
        width += w;
    }
    if start >= to {
        offset = width;
    }
    if cut_right {
        text.push_str("...");
    }
    (text, offset, len)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(report: &Report, p: &Palette) -> String {
    let files = plural(report.files, "file");
    if report.findings.is_empty() {
        return p.bold(&format!("No findings in {files}."));
    }
    let parts = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .iter()
    .filter_map(|(s, w)| {
        let n = report.count(*s);
        (n > 0).then(|| {
            if *s == Severity::Info {
                format!("{n} info")
            } else {
                plural(n, w)
            }
        })
    })
    .collect::<Vec<_>>()
    .join(", ");
    let total = plural(report.findings.len(), "finding");
    p.bold(&format!("Found {total} ({parts}) in {files}."))
}

/// One line per finding: `file:line:col: severity[ID] message`, then the summary line.
pub fn concise(report: &Report, options: HumanOptions) -> String {
    let p = Palette {
        color: options.color,
    };
    let mut out = String::new();
    for r in &report.findings {
        let f = &r.finding;
        out.push_str(&format!(
            "{}: {} {}\n",
            f.place,
            p.severity(
                f.severity,
                &format!("{}[{}]", f.severity.as_str(), f.rule.id())
            ),
            f.message
        ));
    }
    if !options.quiet {
        out.push_str(&summary(report, &p));
        out.push('\n');
    }
    out
}

/// A count per rule, most frequent first (like `ruff --statistics`): count, id, name, and
/// how many of them `--fix` (or `--fix --unsafe-fixes`) can fix.
pub fn statistics(report: &Report) -> String {
    let counts = rule_counts(report);
    let width = counts.first().map_or(1, |c| c.1.to_string().len());
    let name_width = counts.iter().map(|c| c.0.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, n, safe, unsafe_) in counts {
        let fixable = match (safe, unsafe_) {
            (0, 0) => String::new(),
            (s, 0) if s == n => "  [fixable]".to_string(),
            (s, 0) => format!("  [{s} fixable]"),
            (0, u) => format!("  [{u} fixable with --unsafe-fixes]"),
            (s, u) => format!("  [{s} fixable, {u} with --unsafe-fixes]"),
        };
        let line = format!(
            "{n:>width$}  {}  {:<name_width$}{fixable}",
            rule.id(),
            rule.name()
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One rule's count in [`statistics_json`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleCount {
    rule: &'static str,
    name: &'static str,
    count: usize,
    fixable: usize,
    unsafe_fixable: usize,
}

/// The counts of [`statistics`] as a JSON array, most frequent first: rule, name, count,
/// fixable (safe fixes) and unsafeFixable.
pub fn statistics_json(report: &Report) -> String {
    let counts: Vec<RuleCount> = rule_counts(report)
        .into_iter()
        .map(|(rule, count, fixable, unsafe_fixable)| RuleCount {
            rule: rule.id(),
            name: rule.name(),
            count,
            fixable,
            unsafe_fixable,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&counts).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// Per rule: how many findings, how many with a safe fix, how many with an unsafe one; most
/// frequent first.
fn rule_counts(report: &Report) -> Vec<(Rule, usize, usize, usize)> {
    let mut counts: Vec<(Rule, usize, usize, usize)> = Vec::new();
    for r in &report.findings {
        let f = &r.finding;
        let at = match counts.iter().position(|c| c.0 == f.rule) {
            Some(at) => at,
            None => {
                counts.push((f.rule, 0, 0, 0));
                counts.len() - 1
            }
        };
        if let Some(c) = counts.get_mut(at) {
            c.1 += 1;
            match f.fix().map(|x| x.applicability) {
                Some(Applicability::Safe) => c.2 += 1,
                Some(Applicability::Unsafe) => c.3 += 1,
                None => {}
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// A JSON array, one object per finding (the layout of `serde_json`'s pretty printer:
/// file, line, column, endLine, endColumn, rule, ruleName, severity, message, help). A large
/// report is written in two parts at once.
pub fn json(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| "[]\n".to_string())
}

/// Writes [`json`]'s report to `out` as it is made, without holding it whole.
pub fn write_json(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let findings = &report.findings;
    if findings.is_empty() {
        return out.write_all(b"[]\n");
    }
    let write = |part: &[Reported]| {
        // Room for the whole part up front: a large report is not copied as it grows.
        let mut text = Vec::with_capacity(part.len() * JSON_BYTES_PER_FINDING);
        for (i, r) in part.iter().enumerate() {
            if i > 0 {
                text.extend_from_slice(b",\n");
            }
            write_json_finding(&mut text, &r.finding);
        }
        text
    };
    out.write_all(b"[\n")?;
    if findings.len() < JSON_PARALLEL_FROM {
        out.write_all(&write(findings))?;
    } else {
        let (a, b) = findings.split_at(findings.len() / 2);
        let (first, second) = iisconf_xml::parallel::join(|| write(a), || write(b));
        out.write_all(&first)?;
        out.write_all(b",\n")?;
        out.write_all(&second)?;
    }
    out.write_all(b"\n]\n")
}

/// From how many findings the JSON report is written in two parts at once.
const JSON_PARALLEL_FROM: usize = 4096;

/// About how many bytes one finding takes in the JSON report.
const JSON_BYTES_PER_FINDING: usize = 448;

/// One finding as an element of the JSON array (indented by two spaces).
fn write_json_finding(out: &mut Vec<u8>, f: &iisconf_core::diagnostic::Finding) {
    use std::io::Write;
    let p = &f.place;
    out.extend_from_slice(b"  {\n    \"file\": ");
    write_json_str(out, &p.file);
    let _ = write!(
        out,
        ",\n    \"line\": {},\n    \"column\": {},\n    \"endLine\": {},\n    \"endColumn\": {},\n    \"rule\": ",
        p.line, p.column, p.end_line, p.end_column
    );
    write_json_str(out, f.rule.id());
    out.extend_from_slice(b",\n    \"ruleName\": ");
    write_json_str(out, f.rule.name());
    out.extend_from_slice(b",\n    \"severity\": ");
    write_json_str(out, f.severity.as_str());
    out.extend_from_slice(b",\n    \"message\": ");
    write_json_str(out, &f.message);
    out.extend_from_slice(b",\n    \"help\": ");
    match f.help.as_deref() {
        Some(help) => write_json_str(out, help),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(note) = f.note() {
        out.extend_from_slice(b",\n    \"note\": ");
        write_json_str(out, note);
    }
    if !f.related().is_empty() {
        out.extend_from_slice(b",\n    \"related\": ");
        write_json_value(
            out,
            &f.related()
                .iter()
                .map(JsonRelated::from)
                .collect::<Vec<_>>(),
        );
    }
    if let Some(fix) = f.fix() {
        out.extend_from_slice(b",\n    \"fix\": ");
        write_json_value(out, &JsonFix::from(fix));
    }
    out.extend_from_slice(b"\n  }");
}

/// A related place in the JSON report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRelated<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

impl<'a> From<&'a Related> for JsonRelated<'a> {
    fn from(r: &'a Related) -> Self {
        JsonRelated {
            file: &r.place.file,
            line: r.place.line,
            column: r.place.column,
            end_line: r.place.end_line,
            end_column: r.place.end_column,
            message: &r.label,
        }
    }
}

/// A fix in the JSON report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFix<'a> {
    applicability: Applicability,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// One edit of a fix in the JSON report: the range replaced and the new text.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdit<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    content: &'a str,
}

impl<'a> From<&'a Fix> for JsonFix<'a> {
    fn from(fix: &'a Fix) -> Self {
        JsonFix {
            applicability: fix.applicability,
            message: &fix.title,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    file: &e.place.file,
                    line: e.place.line,
                    column: e.place.column,
                    end_line: e.place.end_line,
                    end_column: e.place.end_column,
                    content: &e.new_text,
                })
                .collect(),
        }
    }
}

/// A value as the pretty printer writes it at the depth of a finding's field.
fn write_json_value(out: &mut Vec<u8>, value: &impl Serialize) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        out.extend_from_slice(first.as_bytes());
    }
    for line in lines {
        out.extend_from_slice(b"\n    ");
        out.extend_from_slice(line.as_bytes());
    }
}

/// A JSON string, escaped as `serde_json` escapes it.
fn write_json_str(out: &mut Vec<u8>, text: &str) {
    if serde_json::to_writer(&mut *out, text).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}

// ---- SARIF 2.1.0 -------------------------------------------------------------------------

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: SarifTool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: &'static str,
    short_description: SarifText,
    full_description: SarifText,
    help: SarifText,
    default_configuration: SarifConfiguration,
}

#[derive(Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifMessage<'a>,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifRelatedLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRelatedLocation<'a> {
    id: usize,
    physical_location: SarifPhysicalLocation,
    message: SarifMessage<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: SarifMessage<'a>,
    artifact_changes: Vec<SarifArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifArtifactChange {
    artifact_location: SarifArtifactLocation,
    replacements: Vec<SarifReplacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifReplacement {
    deleted_region: SarifRegion,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<SarifContent>,
}

#[derive(Serialize)]
struct SarifContent {
    text: String,
}

#[derive(Serialize)]
struct SarifMessage<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysicalLocation {
    artifact_location: SarifArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize)]
struct SarifArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

/// The SARIF level of a severity (`error`, `warning`, `note`).
fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The project's web address for `tool.driver.informationUri`: Cargo's `repository`, else
/// `homepage`; `None` (and the property left out) while neither is set.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|u| !u.is_empty())
}

/// A file path as a SARIF artifact URI: `/` separators, percent-encoded; absolute paths
/// become `file://` URIs, relative paths stay relative (to the working directory).
fn artifact_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let slashed = slashed.strip_prefix("./").unwrap_or(&slashed);
    let mut encoded = String::new();
    for b in slashed.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => encoded.push(b as char),
            b':' if is_drive(slashed) && encoded.len() == 1 => encoded.push(':'),
            _ => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    if slashed.starts_with('/') {
        format!("file://{encoded}")
    } else if is_drive(slashed) {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn is_drive(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// The SARIF location of a place.
fn sarif_physical(place: &Place) -> SarifPhysicalLocation {
    SarifPhysicalLocation {
        artifact_location: SarifArtifactLocation {
            uri: artifact_uri(&place.file),
        },
        region: SarifRegion {
            start_line: place.line.max(1),
            start_column: place.column.max(1),
            end_line: place.end_line.max(place.line).max(1),
            end_column: place.end_column.max(1),
        },
    }
}

/// A fix as SARIF `fixes`: per file, the regions deleted and the text inserted.
fn sarif_fix(fix: &Fix) -> SarifFix<'_> {
    let mut changes: Vec<SarifArtifactChange> = Vec::new();
    for edit in &fix.edits {
        let uri = artifact_uri(&edit.place.file);
        let replacement = SarifReplacement {
            deleted_region: sarif_physical(&edit.place).region,
            inserted_content: (!edit.new_text.is_empty()).then(|| SarifContent {
                text: edit.new_text.clone(),
            }),
        };
        match changes.iter_mut().find(|c| c.artifact_location.uri == uri) {
            Some(change) => change.replacements.push(replacement),
            None => changes.push(SarifArtifactChange {
                artifact_location: SarifArtifactLocation { uri },
                replacements: vec![replacement],
            }),
        }
    }
    SarifFix {
        description: SarifMessage { text: &fix.title },
        artifact_changes: changes,
    }
}

/// A SARIF 2.1.0 log (one run) as pretty-printed JSON.
pub fn sarif(report: &Report) -> String {
    let rules = Rule::ALL
        .iter()
        .map(|r| SarifRule {
            id: r.id(),
            name: r.name(),
            short_description: SarifText {
                text: r.summary().to_string(),
            },
            full_description: SarifText {
                text: r.explanation().to_string(),
            },
            help: SarifText {
                text: r.explanation().to_string(),
            },
            default_configuration: SarifConfiguration {
                level: sarif_level(r.default_severity()),
            },
        })
        .collect();
    let results = report
        .findings
        .iter()
        .map(|r| {
            let f = &r.finding;
            let end_line = f.place.end_line.max(f.place.line);
            let end_column = if end_line == f.place.line {
                f.place.end_column.max(f.place.column)
            } else {
                f.place.end_column.max(1)
            };
            SarifResult {
                rule_id: f.rule.id(),
                rule_index: Rule::ALL.iter().position(|x| *x == f.rule).unwrap_or(0),
                level: sarif_level(f.severity),
                message: SarifMessage { text: &f.message },
                locations: vec![SarifLocation {
                    physical_location: SarifPhysicalLocation {
                        artifact_location: SarifArtifactLocation {
                            uri: artifact_uri(&f.place.file),
                        },
                        region: SarifRegion {
                            start_line: f.place.line.max(1),
                            start_column: f.place.column.max(1),
                            end_line: end_line.max(1),
                            end_column: end_column.max(1),
                        },
                    },
                }],
                related_locations: f
                    .related()
                    .iter()
                    .enumerate()
                    .map(|(id, r)| SarifRelatedLocation {
                        id,
                        physical_location: sarif_physical(&r.place),
                        message: SarifMessage { text: &r.label },
                    })
                    .collect(),
                fixes: f.fix().into_iter().map(sarif_fix).collect(),
            }
        })
        .collect();
    let log = SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "iisconf",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

// ---- GitHub workflow commands ------------------------------------------------------------

/// Escapes a workflow command's message (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A path as GitHub attaches annotations to it: relative to the working folder (the
/// checkout), with forward slashes and no leading `./`.
fn github_path(file: &str) -> String {
    let mut path = file.replace('\\', "/");
    if let Ok(cwd) = std::env::current_dir() {
        let cwd = cwd.to_string_lossy().replace('\\', "/");
        if let Some(rest) = path.strip_prefix(&format!("{}/", cwd.trim_end_matches('/'))) {
            path = rest.to_string();
        }
    }
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    path
}

/// One `::error`/`::warning`/`::notice` workflow command per finding.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.findings {
        let f = &r.finding;
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            escape_property(&github_path(&f.place.file)),
            f.place.line,
            f.place.end_line.max(f.place.line),
            f.place.column,
            f.place.end_column,
            escape_property(&format!("{} {}", f.rule.id(), f.rule.name())),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::diagnostic::{Finding, Place, Rule};

    /// One finding as the JSON report names its fields, in its order.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Item<'a> {
        file: &'a str,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        rule: &'static str,
        rule_name: &'static str,
        severity: &'static str,
        message: &'a str,
        help: Option<&'a str>,
    }

    /// The report as `serde_json`'s pretty printer writes the same objects.
    fn pretty(report: &Report) -> String {
        let items: Vec<Item> = report
            .findings
            .iter()
            .map(|r| {
                let f = &r.finding;
                Item {
                    file: &f.place.file,
                    line: f.place.line,
                    column: f.place.column,
                    end_line: f.place.end_line,
                    end_column: f.place.end_column,
                    rule: f.rule.id(),
                    rule_name: f.rule.name(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    help: f.help.as_deref(),
                }
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap() + "\n"
    }

    #[test]
    fn json_is_laid_out_as_serde_json_lays_it_out() {
        let texts = [
            "plain",
            "quote \" and \\ back",
            "tab\t nl\n bell\u{7}",
            "é ü ∑ 𝄞",
            "",
        ];
        for n in [0, 1, 3, JSON_PARALLEL_FROM + 7] {
            let findings = (0..n)
                .map(|i| {
                    let text = texts[i % texts.len()];
                    let place = Place {
                        file: format!("dir/{text}.config").into(),
                        line: i as u32,
                        column: 2,
                        end_line: i as u32 + 1,
                        end_column: 3,
                    };
                    let mut finding = Finding::new(Rule::RedundantValue, place, text);
                    if i % 2 == 0 {
                        finding = finding.with_help(format!("help {text}"));
                    }
                    Reported {
                        finding,
                        source_line: None,
                        related_lines: Vec::new(),
                    }
                })
                .collect();
            let report = Report {
                findings,
                ..Report::default()
            };
            assert_eq!(json(&report), pretty(&report), "{n} findings");
        }
    }

    #[test]
    fn snippets_underline_characters_and_expand_tabs() {
        assert_eq!(snippet("  <asp>", 4, 7), ("  <asp>".to_string(), 3, 3));
        assert_eq!(snippet("\t<asp>", 3, 6), ("    <asp>".to_string(), 5, 3));
        assert_eq!(snippet("ä<asp>", 3, 6), ("ä<asp>".to_string(), 2, 3));
        let long = format!("{}<asp x=\"1\"/>{}", "a".repeat(300), "b".repeat(300));
        let (text, offset, len) = snippet(&long, 302, 305);
        assert!(text.starts_with("...") && text.ends_with("..."));
        assert_eq!(&text[offset..offset + len], "asp");
    }

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("C:a,b"), "C%3Aa%2Cb");
    }

    #[test]
    fn artifact_uris() {
        assert_eq!(artifact_uri("./a b/web.config"), "a%20b/web.config");
        assert_eq!(artifact_uri("/srv/x.config"), "file:///srv/x.config");
        assert_eq!(artifact_uri("C:\\x\\web.config"), "file:///C:/x/web.config");
    }
}
