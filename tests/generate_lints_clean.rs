//! What `iisconf new` writes passes `iisconf lint` with the same schema (nothing at warning
//! level or above), with the embedded schema and with the real IIS schema folder.

mod shared;

use std::path::PathBuf;
use std::process::Command;

fn iisconf(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(args)
        .env_remove("IISCONF_APPHOST")
        .output()
        .expect("iisconf runs")
}

fn shared_schema() -> Option<PathBuf> {
    shared::dir("iis-schema")
}

fn lints_clean(kind: &str, schema: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join(format!("{kind}.config"));
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec!["new", kind, "--out", out];
    if let (Some(s), "apphost") = (schema, kind) {
        args.extend(["--schema-dir", s]);
    }
    let o = iisconf(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut args = vec!["lint", "--fail-level", "warning", out];
    if let Some(s) = schema {
        args.extend(["--schema-dir", s]);
    }
    let o = iisconf(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn new_files_lint_clean_with_the_embedded_schema() {
    lints_clean("apphost", None);
    lints_clean("webconfig", None);
}

#[test]
fn new_files_lint_clean_with_the_real_schema() {
    let Some(schema) = shared_schema() else {
        shared::skip("../shared/iis-schema is absent");
        return;
    };
    let schema = schema.to_str().expect("utf-8 path").to_string();
    lints_clean("apphost", Some(&schema));
    lints_clean("webconfig", Some(&schema));
}
