//! `iisconf transform` through the real binary: output to stdout or `--out`, `--log`,
//! `--var`, and the exit codes of the issue (0 applied, 1 transform error with nothing
//! written, 2 unreadable input).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn iisconf(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("transform")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run iisconf: {e}"))
}

fn fixture(case: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/xdt")
        .join(case)
        .join(file)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn writes_the_result_to_stdout() {
    let out = iisconf(&[
        &fixture("insert", "source.config"),
        &fixture("insert", "transform.config"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, read(&fixture("insert", "expected.config")));
}

#[test]
fn writes_out_and_log_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let result = dir.path().join("Web.config");
    let log = dir.path().join("transform.log");
    let out = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("transform")
        .arg(fixture("chained", "source.config"))
        .arg(fixture("chained", "transform1.config"))
        .arg(fixture("chained", "transform2.config"))
        .arg("--out")
        .arg(&result)
        .arg("--log")
        .arg(&log)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(read(&result), read(&fixture("chained", "expected.config")));
    let log = String::from_utf8(read(&log)).unwrap_or_default();
    assert!(
        log.contains("Executing Insert (transform line 4, 37)"),
        "{log}"
    );
    assert!(log.contains("Done executing SetAttributes"), "{log}");
}

#[test]
fn a_transform_error_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let result = dir.path().join("out.config");
    let out = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("transform")
        .arg(fixture("error-unknown-transform", "source.config"))
        .arg(fixture("error-unknown-transform", "transform.config"))
        .arg("--out")
        .arg(&result)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(!result.exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "transform.config (4, 47) error: Could not resolve 'Frobnicate' as a type of Transform"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("(6, 10) warning: Remove does not expect arguments; ignoring"),
        "{stderr}"
    );
}

#[test]
fn unreadable_input_exits_2() {
    let out = iisconf(&[
        Path::new("/nonexistent/Web.config"),
        &fixture("insert", "transform.config"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/nonexistent/Web.config: error: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn variables_expand_as_app_service_does() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let source = dir.path().join("applicationHost.config");
    let xdt = dir.path().join("applicationHost.xdt");
    std::fs::write(
        &source,
        "<configuration>\n  <system.applicationHost>\n    <sites>\n      <site name=\"mysite\" id=\"1\" />\n      <site name=\"~1mysite\" id=\"2\" />\n    </sites>\n  </system.applicationHost>\n</configuration>\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &xdt,
        "<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\">\n  <system.applicationHost>\n    <sites>\n      <site name=\"%XDT_SITENAME%\" xdt:Locator=\"Match(name)\">\n        <application path=\"/ext\" xdt:Transform=\"Insert\">\n          <virtualDirectory path=\"/\" physicalPath=\"%XDT_EXTENSIONPATH%\\bin\" />\n        </application>\n      </site>\n    </sites>\n  </system.applicationHost>\n</configuration>\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("transform")
        .arg(&source)
        .arg(&xdt)
        .args(["--var", "XDT_SITENAME=mysite", "--var"])
        .arg("XDT_EXTENSIONPATH=D:\\home\\SiteExtensions\\ext")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "<configuration>\n  <system.applicationHost>\n    <sites>\n      <site name=\"mysite\" id=\"1\">\n        <application path=\"/ext\">\n          <virtualDirectory path=\"/\" physicalPath=\"D:\\home\\SiteExtensions\\ext\\bin\" />\n        </application>\n      </site>\n      <site name=\"~1mysite\" id=\"2\" />\n    </sites>\n  </system.applicationHost>\n</configuration>\n"
    );
}
