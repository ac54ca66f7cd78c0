//! Linting with XML-Document-Transforms: a transform file (its root declares the XDT
//! namespace) is paired with the configuration beside it (`Web.Release.config` with
//! `Web.config`, `App.X.config` with `App.config`), or given with `--transform`; it is
//! applied and the result linted. Findings on lines the transform wrote point at the
//! transform's line; the others at the source's. XDT errors and warnings are IIS0004
//! findings at the transform's line.

use crate::{report, LintOptions, Reported};
use iisconf_core::config::ConfigFile;
use iisconf_core::diagnostic::{Finding, Place, Rule, Severity};
use iisconf_core::engine::Hierarchy;
use iisconf_core::schema::Registry;
use iisconf_xdt::Transform;
use iisconf_xml::{Document, ParseError, Position};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The configuration a transform file applies to: `Web.config` for `Web.X.config`,
/// `App.config` for `App.X.config` (any case), when it exists beside it.
pub fn paired_source(transform: &Path) -> Option<PathBuf> {
    let name = transform.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let base = ["web.", "app."].into_iter().find(|b| {
        lower.starts_with(b) && lower.ends_with(".config") && lower.matches('.').count() >= 2
    })?;
    let source_name = format!("{}config", name.get(..base.len())?);
    let folder = transform.parent().unwrap_or(Path::new(""));
    std::fs::read_dir(if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    })
    .ok()?
    .filter_map(|e| e.ok())
    .map(|e| e.path())
    .find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case(&source_name))
    })
    .map(|p| folder.join(p.file_name().unwrap_or_default()))
}

/// Findings for a file of the run that involves a transform, `None` for any other file:
/// a transform file is applied to its paired source (only the findings on what it wrote
/// are reported: the source is linted on its own), or checked for XDT errors alone when
/// it has no source; with `--transform`, any other file is linted as transformed (all its
/// findings), and the `--transform` file itself is not linted on its own.
pub(crate) fn lint_transformed(
    registry: &Registry,
    options: &LintOptions,
    path: &Path,
    parsed: &Result<Document, ParseError>,
) -> Option<Vec<Reported>> {
    let doc = parsed.as_ref().ok()?;
    let name = path.display().to_string();
    if Transform::is_transform(doc) {
        if options.transform.as_deref() == Some(path) {
            return Some(Vec::new());
        }
        let transform = Transform::from_document(doc.clone(), &name);
        return Some(match paired_source(path) {
            Some(source) => apply_and_lint(registry, options, &source, &transform, true),
            None => {
                let findings = xdt_findings(&transform, &transform.problems);
                report(options, findings, &|line| {
                    doc.line_text(line).map(str::to_string)
                })
            }
        });
    }
    let transform_path = options.transform.as_deref()?;
    let transform = match std::fs::read(transform_path)
        .map_err(|e| e.to_string())
        .and_then(|b| {
            Transform::parse(&b, &transform_path.display().to_string(), &[])
                .map_err(|e| e.to_string())
        }) {
        Ok(t) => t,
        Err(message) => {
            let place = Place {
                file: Arc::from(transform_path.display().to_string()),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            };
            let finding = Finding::new(Rule::Transform, place, message)
                .with_help("fix or replace the file given with --transform");
            return Some(report(options, vec![finding], &|_| None));
        }
    };
    Some(apply_and_lint(registry, options, path, &transform, false))
}

/// The transform's errors and warnings as IIS0004 findings.
fn xdt_findings(transform: &Transform, log: &iisconf_xdt::Log) -> Vec<Finding> {
    log.diagnostics()
        .filter(|l| !l.in_source)
        .map(|line| {
            let at = line.position.unwrap_or(Position { line: 1, column: 1 });
            let place = Place {
                file: Arc::from(transform.file.as_str()),
                line: at.line,
                column: at.column,
                end_line: at.line,
                end_column: at.column,
            };
            let mut finding = Finding::new(Rule::Transform, place, line.text.clone())
                .with_help("fix the transform: Microsoft's engine stops the build on this");
            if line.severity == iisconf_xdt::Severity::Warning {
                finding.severity = Severity::Warning;
                finding.help = Some(if line.text.starts_with("Unknown tag") {
                    "the XDT namespace has no such element: Microsoft's engine ignores it; check its name".into()
                } else {
                    "the transform changes nothing here; check its locator".into()
                });
            }
            finding
        })
        .collect()
}

/// Applies `transform` to the configuration at `source` and lints the result. With
/// `only_written`, only findings on lines the transform wrote are kept.
fn apply_and_lint(
    registry: &Registry,
    options: &LintOptions,
    source: &Path,
    transform: &Transform,
    only_written: bool,
) -> Vec<Reported> {
    let source_name = source.display().to_string();
    let Ok(Ok(mut document)) = Document::load(source) else {
        // The source is linted (and its errors reported) on its own.
        let findings = xdt_findings(transform, &transform.problems);
        return report(options, findings, &|_| None);
    };
    let original = document.clone();
    let outcome = transform.apply(&mut document);
    let mut findings = xdt_findings(transform, &outcome.log);
    let result_text = document.to_text();
    let map = LineMap::new(&original, &document, &outcome, transform, &result_text);
    if let Ok(result) = Document::parse_str(&result_text) {
        let file = ConfigFile::from_document(&source_name, result);
        let hierarchy = Hierarchy::standalone(registry.clone(), file);
        for mut finding in hierarchy.check() {
            if *finding.place.file != *source_name {
                continue;
            }
            match map.lookup(finding.place.line) {
                Origin::Source(line) => {
                    if only_written {
                        continue;
                    }
                    let shift = i64::from(line) - i64::from(finding.place.line);
                    finding.place.line = line;
                    finding.place.end_line =
                        (i64::from(finding.place.end_line) + shift).max(1) as u32;
                    finding.span = None;
                }
                Origin::Transform(at) => {
                    finding.place = Place {
                        file: Arc::from(transform.file.as_str()),
                        line: at.line,
                        column: at.column,
                        end_line: at.line,
                        end_column: at.column,
                    };
                    finding.span = None;
                    finding.message =
                        format!("{} (in the result of the transform)", finding.message);
                }
            }
            findings.push(finding);
        }
    }
    let transform_doc = &transform.document;
    report(options, findings, &|_| None)
        .into_iter()
        .map(|mut r| {
            if !options.skip_source_lines {
                let line = r.finding.place.line;
                r.source_line = if *r.finding.place.file == *transform.file {
                    transform_doc.line_text(line).map(str::to_string)
                } else {
                    original.line_text(line).map(str::to_string)
                };
            }
            r
        })
        .collect()
}

/// Where a line of the transformed text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// Unchanged: this line of the source.
    Source(u32),
    /// Written by the transform at this position.
    Transform(Position),
}

/// The origin of every line of the result, from a line diff of source and result and the
/// text each edit wrote.
struct LineMap {
    lines: Vec<Origin>,
}

impl LineMap {
    fn new(
        original: &Document,
        edited: &Document,
        outcome: &iisconf_xdt::Outcome,
        transform: &Transform,
        result: &str,
    ) -> LineMap {
        let fallback = outcome
            .edits
            .first()
            .map(|e| e.transform)
            .or_else(|| transform.steps.first().map(|s| s.position))
            .unwrap_or(Position { line: 1, column: 1 });
        // The lines each edit wrote (trimmed), in edit order.
        let written: Vec<(Position, Vec<String>)> = outcome
            .edits
            .iter()
            .filter_map(|e| {
                let element = e.element?;
                let mut text = String::new();
                edited.write_subtree(element, &mut text);
                Some((
                    e.transform,
                    text.lines().map(|l| l.trim().to_string()).collect(),
                ))
            })
            .collect();
        let source = original.to_text();
        let diff = similar::TextDiff::from_lines(source.as_str(), result);
        let mut lines = Vec::new();
        for change in diff.iter_all_changes() {
            match (change.tag(), change.old_index()) {
                (similar::ChangeTag::Equal, Some(old)) => {
                    lines.push(Origin::Source(old as u32 + 1))
                }
                (similar::ChangeTag::Insert, _) => {
                    let text = change.value().trim();
                    let at = written
                        .iter()
                        .find(|(_, lines)| lines.iter().any(|l| l == text))
                        .map_or(fallback, |(at, _)| *at);
                    lines.push(Origin::Transform(at));
                }
                _ => {}
            }
        }
        LineMap { lines }
    }

    fn lookup(&self, line: u32) -> Origin {
        self.lines
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(Origin::Source(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_pair_with_their_source() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "Web.config",
            "Web.Release.config",
            "app.config",
            "App.Debug.config",
        ] {
            std::fs::write(dir.path().join(name), "<configuration/>")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let release = dir.path().join("Web.Release.config");
        assert_eq!(paired_source(&release), Some(dir.path().join("Web.config")));
        let debug = dir.path().join("App.Debug.config");
        assert_eq!(paired_source(&debug), Some(dir.path().join("app.config")));
        assert_eq!(paired_source(&dir.path().join("Web.config")), None);
    }
}
