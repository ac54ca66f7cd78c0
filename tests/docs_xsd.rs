//! `iisconf docs --format xsd`: xmllint accepts the real corpus and the generated files, and
//! rejects copies with a bad enum value, a non-numeric uint or a bad bool.

mod docs_common;
mod shared;

use docs_common::{export, have, shared};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs xmllint; Ok(()) when the file validates, Err(output) otherwise.
fn xmllint(xsd: &Path, file: &Path) -> Result<(), String> {
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn corpus(shared: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "config"))
        .collect();
    files.sort();
    files
}

fn full_xsd(dir: &Path, shared: &Path) -> PathBuf {
    let schema = shared.join("iis-schema");
    export("xsd", dir, &["--schema-dir", schema.to_str().unwrap()]);
    dir.join("configuration.xsd")
}

#[test]
fn embedded_xsd_accepts_generated_files() {
    if !have("xmllint") {
        shared::skip("xmllint not installed (.ci/install-docs.sh)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    export("xsd", dir.path(), &[]);
    let xsd = dir.path().join("configuration.xsd");
    let text = std::fs::read_to_string(&xsd).unwrap();
    assert!(!text.contains("targetNamespace"));
    assert!(text.contains("<xs:documentation>"));
    let apphost = dir.path().join("applicationHost.config");
    let status = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args([
            "new",
            "apphost",
            "--site",
            r"Contoso=C:\sites\contoso:8080",
            "--out",
        ])
        .arg(&apphost)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    xmllint(&xsd, &apphost).unwrap();
    let web = dir.path().join("web.config");
    let status = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(["new", "webconfig", "--out"])
        .arg(&web)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    xmllint(&xsd, &web).unwrap();
    // asp values: a known section is checked, an unknown one is allowed.
    let case = |body: &str| {
        let f = dir.path().join("case.config");
        std::fs::write(
            &f,
            format!("<configuration><system.webServer>{body}</system.webServer></configuration>"),
        )
        .unwrap();
        xmllint(&xsd, &f)
    };
    case(r#"<asp><session allowSessionState="TRUE" max="10" timeout="1.00:20:00" /></asp>"#)
        .unwrap();
    case(r#"<rewrite><rules><rule name="x" /></rules></rewrite>"#).unwrap();
    case(r#"<asp lockAttributes="codePage"><session lockItem="true" /></asp>"#).unwrap();
    assert!(case(r#"<asp><session max="many" /></asp>"#).is_err());
    assert!(case(r#"<asp><session timeout="twenty minutes" /></asp>"#).is_err());
    assert!(case(r#"<asp><session allowSessionState="yes" /></asp>"#).is_err());
    assert!(case(r#"<asp><session unknownAttribute="1" /></asp>"#).is_err());
    assert!(case(r#"<asp><comPlus appServiceFlags="EnableTracker, Bogus" /></asp>"#).is_err());
    case(r#"<asp><comPlus appServiceFlags="EnableTracker,enablesxs" /></asp>"#).unwrap();
    assert!(
        case(r#"<asp codePage="2147483648" />"#).is_err(),
        "integerRange applies"
    );
}

/// The shared folder when xmllint and ../shared are both here (else a SKIP line).
fn xmllint_and_shared() -> Option<PathBuf> {
    if !have("xmllint") {
        shared::skip("xmllint not installed (.ci/install-docs.sh)");
        return None;
    }
    let shared = shared();
    if shared.is_none() {
        shared::skip("../shared not found (set IISCONF_SHARED)");
    }
    shared
}

#[test]
fn corpus_validates_with_the_real_schema() {
    let Some(shared) = xmllint_and_shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let xsd = full_xsd(dir.path(), &shared);
    let mut failures = Vec::new();
    let files = corpus(&shared);
    assert!(!files.is_empty());
    for f in &files {
        match xmllint(&xsd, f) {
            Ok(()) => println!("PASS {}", f.display()),
            Err(e) => failures.push(format!("{}:\n{e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corrupted_copies_fail() {
    let Some(shared) = xmllint_and_shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let xsd = full_xsd(dir.path(), &shared);
    let source = shared
        .join("corpus")
        .join("KranzA__windows-powershell-scripts__IIS_applicationHost.config");
    let text = std::fs::read_to_string(&source).unwrap();
    for (what, from, to) in [
        (
            "bad enum",
            r#"managedPipelineMode="Classic""#,
            r#"managedPipelineMode="Classical""#,
        ),
        (
            "non-numeric uint",
            r#"<site name="Default Web Site" id="1""#,
            r#"<site name="Default Web Site" id="one""#,
        ),
        (
            "bad flags",
            r#"logTargetW3C="File, ETW""#,
            r#"logTargetW3C="File, Printer""#,
        ),
    ] {
        assert!(text.contains(from), "{what}: the corpus file changed");
        let copy = dir.path().join("copy.config");
        std::fs::write(&copy, text.replacen(from, to, 1)).unwrap();
        let err = xmllint(&xsd, &copy).expect_err(what);
        assert!(err.contains("copy.config:"), "{what}: {err}");
    }
}
