//! `iisconf lint` with transforms (issue 17): Web.Release.config is applied to the
//! Web.config beside it and the result linted; findings on what the transform wrote point
//! at the transform's line; XDT errors are IIS0004; `--transform T FILE` lints FILE as
//! transformed; a transform with no source is checked for XDT errors alone.

use std::path::Path;
use std::process::{Command, Output};

const WEB_CONFIG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.web>
    <compilation debug="true" targetFramework="4.8" />
    <httpRuntime maxRequestLength="4096" />
  </system.web>
</configuration>
"#;

const RELEASE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">
  <system.web>
    <compilation xdt:Transform="RemoveAttributes(debug)" />
    <httpRuntime maxRequestLength="-5" xdt:Transform="SetAttributes(maxRequestLength)" />
    <pages xdt:Transform="Frob" />
  </system.web>
</configuration>
"#;

fn lint(dir: &Path, args: &[&str]) -> String {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .current_dir(dir)
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run iisconf: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (rule, file name, line, column) of each finding of a JSON report.
fn findings(json: &str) -> Vec<(String, String, u64, u64)> {
    let value: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let list = value.as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                name,
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn a_release_transform_is_applied_to_the_web_config_beside_it() {
    let dir = folder(&[("Web.config", WEB_CONFIG), ("Web.Release.config", RELEASE)]);
    let found = findings(&lint(dir.path(), &["."]));
    let release: Vec<_> = found
        .iter()
        .filter(|f| f.1 == "Web.Release.config")
        .map(|f| (f.0.as_str(), f.2, f.3))
        .collect();
    // The invalid value it wrote, at its xdt:Transform; the unknown transform; no
    // unknown-attribute finding for xdt: attributes.
    assert_eq!(
        release,
        [("IIS1006", 5, 40), ("IIS0004", 6, 12)],
        "{found:?}"
    );
}

#[test]
fn a_transform_without_source_is_checked_for_xdt_errors_only() {
    let dir = folder(&[("Web.Release.config", RELEASE)]);
    let found = findings(&lint(dir.path(), &["."]));
    assert_eq!(
        found,
        [(
            "IIS0004".to_string(),
            "Web.Release.config".to_string(),
            6,
            12
        )]
    );
}

#[test]
fn the_transform_flag_lints_a_file_as_transformed() {
    let dir = folder(&[("site.config", WEB_CONFIG), ("release.xdt", RELEASE)]);
    let found = findings(&lint(
        dir.path(),
        &["--transform", "release.xdt", "site.config"],
    ));
    let rules: Vec<_> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        rules,
        [("IIS1006", "release.xdt", 5), ("IIS0004", "release.xdt", 6)],
        "{found:?}"
    );
}

/// XmlTransformation.cs (`PreprocessTransformDocument`): an element of the XDT namespace
/// Microsoft does not know is the warning "Unknown tag 'xdt:Frob'", an IIS0004 warning at
/// the element whose help says the engine ignores it.
#[test]
fn an_unknown_xdt_element_is_a_warning() {
    let transform = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">
  <system.web>
    <xdt:Frob />
  </system.web>
</configuration>
"#;
    let dir = folder(&[("Web.Release.config", transform)]);
    let json = lint(dir.path(), &["."]);
    assert_eq!(
        findings(&json),
        [(
            "IIS0004".to_string(),
            "Web.Release.config".to_string(),
            4,
            6
        )]
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(value[0]["severity"], "warning", "{json}");
    assert_eq!(value[0]["message"], "Unknown tag 'xdt:Frob'", "{json}");
    assert!(
        value[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("ignores it")),
        "{json}"
    );
}
