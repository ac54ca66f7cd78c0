//! Reports for CI systems beside GitHub's (see `render::github`): GitLab's code quality
//! report and JUnit XML, which most CI servers (GitLab, Jenkins, Azure Pipelines) show as
//! test results.

use super::Report;
use iisconf_core::diagnostic::Severity;
use serde::Serialize;

/// One issue of a GitLab code quality report.
#[derive(Serialize)]
struct CodeQualityIssue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: CodeQualityLocation<'a>,
}

#[derive(Serialize)]
struct CodeQualityLocation<'a> {
    path: &'a str,
    lines: CodeQualityLines,
}

#[derive(Serialize)]
struct CodeQualityLines {
    begin: u32,
    end: u32,
}

/// A fingerprint that stays the same while a finding stays (rule, file, message and the
/// how-many-th such finding it is), and differs between findings: FNV-1a, 64 bits, in hex.
fn fingerprint(parts: &[&str], occurrence: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for part in parts {
        eat(part.as_bytes());
        eat(&[0]);
    }
    eat(&occurrence.to_le_bytes());
    format!("{hash:016x}")
}

/// GitLab's code quality report (`artifacts:reports:codequality`): a JSON array of issues
/// with a description, the rule as `check_name`, a stable fingerprint, a severity (error →
/// major, warning → minor, info → info) and the file and lines.
pub fn gitlab(report: &Report) -> String {
    let mut seen: std::collections::HashMap<(String, String, String), usize> =
        std::collections::HashMap::new();
    let issues: Vec<CodeQualityIssue> = report
        .findings
        .iter()
        .map(|r| {
            let f = &r.finding;
            let file = f.place.file.as_ref();
            let key = (f.rule.id().to_string(), file.to_string(), f.message.clone());
            let occurrence = {
                let n = seen.entry(key).or_insert(0);
                *n += 1;
                *n
            };
            CodeQualityIssue {
                description: format!("{}: {}", f.rule.id(), f.message),
                check_name: f.rule.id(),
                fingerprint: fingerprint(&[f.rule.id(), file, &f.message], occurrence),
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: CodeQualityLocation {
                    path: file.strip_prefix("./").unwrap_or(file),
                    lines: CodeQualityLines {
                        begin: f.place.line.max(1),
                        end: f.place.end_line.max(f.place.line).max(1),
                    },
                },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// Text for an XML attribute value or content: characters XML 1.0 cannot hold dropped,
/// markup escaped (the document crate's escaping).
fn xml_escape(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    iisconf_xml::escape::escape_markup(&clean, true).into_owned()
}

/// JUnit XML: one test suite, one failing test case per error or warning (an info finding
/// is a passing case with its message as output), named `ID file:line:col`, its class the
/// file; a run without findings is one passing case, so the report is never empty.
pub fn junit(report: &Report) -> String {
    let failures = report
        .findings
        .iter()
        .filter(|r| r.finding.severity != Severity::Info)
        .count();
    let tests = report.findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"iisconf lint\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"iisconf lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    if report.findings.is_empty() {
        out.push_str(&format!(
            "    <testcase name=\"no findings in {} files\" classname=\"iisconf\" />\n",
            report.files
        ));
    }
    for r in &report.findings {
        let f = &r.finding;
        let file = f.place.file.strip_prefix("./").unwrap_or(&f.place.file);
        let name = format!(
            "{} {}:{}:{}",
            f.rule.id(),
            file,
            f.place.line,
            f.place.column
        );
        let mut body = f.message.clone();
        if let Some(help) = &f.help {
            body.push_str("\nhelp: ");
            body.push_str(help);
        }
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\"",
            xml_escape(&name),
            xml_escape(file)
        ));
        match f.severity {
            Severity::Info => out.push_str(&format!(
                ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                xml_escape(&body)
            )),
            severity => {
                out.push_str(&format!(
                ">\n      <failure type=\"{} {}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                f.rule.id(),
                if severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                },
                xml_escape(&f.message),
                xml_escape(&format!("{}:{}:{}: {body}", file, f.place.line, f.place.column))
            ))
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_by_occurrence_and_stay_stable() {
        let a = fingerprint(&["IIS2001", "web.config", "locked"], 1);
        assert_eq!(a, fingerprint(&["IIS2001", "web.config", "locked"], 1));
        assert_ne!(a, fingerprint(&["IIS2001", "web.config", "locked"], 2));
        assert_ne!(a, fingerprint(&["IIS2001", "web.confi", "glocked"], 1));
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            xml_escape("<a b=\"c\">&\u{1}"),
            "&lt;a b=&quot;c&quot;&gt;&amp;"
        );
    }
}
