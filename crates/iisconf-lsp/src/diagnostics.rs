//! Findings as LSP diagnostics: the rule id as `code`, the rule's name and explanation
//! (what `iisconf rules ID` prints) as `codeDescription`'s text, the linter's severities,
//! help and note lines in the message, and related places ("the first entry") as
//! `relatedInformation`.

use crate::text::{Encoding, Text};
use iisconf_core::diagnostic::{Finding, Place, Rule, Severity};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Range, Url,
};
use std::path::Path;

/// Where the text of a file named in a finding comes from: an open document or the disk.
pub trait Texts {
    /// The text of the file called `name` (as findings name files).
    fn text_of(&self, name: &str) -> Option<Text>;
}

/// The range of `finding`'s span (or place) in `text`.
pub fn finding_range(text: &Text, finding: &Finding, encoding: Encoding) -> Range {
    match &finding.span {
        Some(span) => {
            let bom = bom_len(text);
            text.range(span.start + bom, span.end + bom, encoding)
        }
        None => place_range(text, &finding.place, encoding),
    }
}

/// The range of a place (1-based lines, columns in characters) in `text`.
pub fn place_range(text: &Text, place: &Place, encoding: Encoding) -> Range {
    let mut start = text.char_position(place.line, place.column, encoding);
    let mut end = text.char_position(place.end_line, place.end_column, encoding);
    if place.line == 1 && bom_len(text) > 0 {
        // The place counts from after the byte-order mark, the text from before it.
        start.character += 1;
        if place.end_line == 1 {
            end.character += 1;
        }
    }
    if end < start {
        end = start;
    }
    Range::new(start, end)
}

/// The byte length of a leading byte-order mark of `text` (the parser's spans start after it).
pub fn bom_len(text: &Text) -> usize {
    if text.as_str().starts_with('\u{FEFF}') {
        3
    } else {
        0
    }
}

/// The diagnostic of `finding` in `text`; related places in other files are found through
/// `texts`.
pub fn to_diagnostic(
    text: &Text,
    finding: &Finding,
    encoding: Encoding,
    texts: &dyn Texts,
) -> Diagnostic {
    let mut message = finding.message.clone();
    if let Some(note) = finding.note() {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(fix) = finding.fix() {
        message.push_str("\nfix: ");
        message.push_str(&fix.title);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related()
        .iter()
        .filter_map(|r| {
            let uri = uri_of(&r.place.file)?;
            let range = if *r.place.file == *finding.place.file {
                place_range(text, &r.place, encoding)
            } else {
                place_range(&texts.text_of(&r.place.file)?, &r.place, encoding)
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.label.clone(),
            })
        })
        .collect();
    let tags = matches!(finding.rule, Rule::RedundantValue | Rule::UnusedSuppression)
        .then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: finding_range(text, finding, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id().to_string())),
        code_description: None,
        source: Some("iisconf".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: Some(serde_json::json!({
            "rule": finding.rule.name(),
            "explanation": rule_text(finding.rule),
        })),
    }
}

/// What `iisconf rules ID` says of a rule: its id, name, summary and explanation.
pub fn rule_text(rule: Rule) -> String {
    format!(
        "{} {} ({}): {}\n\n{}",
        rule.id(),
        rule.name(),
        rule.default_severity().as_str(),
        rule.summary(),
        rule.explanation()
    )
}

/// The LSP severity of a finding's severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The `file:` URI of a file named in a finding (`None` for the embedded stock file).
pub fn uri_of(name: &str) -> Option<Url> {
    let path = Path::new(name);
    if !path.is_absolute() {
        let absolute = std::env::current_dir().ok()?.join(path);
        return Url::from_file_path(absolute).ok();
    }
    Url::from_file_path(path).ok()
}
