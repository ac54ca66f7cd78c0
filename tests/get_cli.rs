//! `iisconf get` through the binary: single values in IIS's written form, the section as
//! XML, JSON with provenance, the explanation, short section names, a section invalid at
//! the path (nothing on stdout; `--force`), a closed standard output, and exit codes.

use std::process::{Command, Output};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/scenarios/asp_locked_by_default"
);

fn get(args: &[&str]) -> Output {
    let apphost = format!("{SCENARIO}/applicationHost.config");
    let root_map = format!("C:\\inetpub={SCENARIO}/inetpub");
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("get")
        .args(args)
        .args(["--apphost", &apphost, "--root-map", &root_map])
        .env_remove("IISCONF_APPHOST")
        .output()
        .expect("iisconf runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_single_value_in_iis_written_form() {
    let o = get(&[
        "Default Web Site/shop",
        "system.webServer/asp",
        "session.timeout",
        "--force",
    ]);
    assert_eq!(stdout(&o), "00:10:00\n");
    // The site's web.config sets asp although it is locked: the path is invalid.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("IIS2001"), "{}", stderr(&o));
    let o = get(&[
        "MACHINE/WEBROOT/APPHOST",
        "system.webServer/asp",
        "session.max",
    ]);
    assert_eq!(stdout(&o), "4294967295\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_section_as_xml_with_every_value() {
    let o = get(&["/", "system.webServer/asp"]);
    let text = stdout(&o);
    assert!(
        text.contains(r#"<session allowSessionState="true" keepSessionIdSecure="true" max="4294967295" timeout="00:20:00" />"#),
        "{text}"
    );
    assert!(text.starts_with("<asp "), "{text}");
}

#[test]
fn json_carries_provenance() {
    // The site's web.config sets the locked section: --force prints what the files say.
    let o = get(&[
        "Default Web Site",
        "system.webServer/asp",
        "--json",
        "--force",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let session = value["root"]["children"]
        .as_array()
        .and_then(|c| c.iter().find(|e| e["name"] == "session"))
        .expect("session element");
    let max = session["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "max"))
        .expect("max");
    assert_eq!(max["value"], "1000");
    assert_eq!(max["origin"]["kind"], "file");
    assert_eq!(max["origin"]["location"], "Default Web Site");
    assert_eq!(max["origin"]["line"], 37);
}

#[test]
fn explain_shows_the_chain() {
    let o = get(&[
        "Default Web Site",
        "system.webServer/asp",
        "--explain",
        "--force",
    ]);
    let text = stdout(&o);
    assert!(text.contains("session.max = 1000"), "{text}");
    assert!(
        text.contains("overrides 4294967295 from schema default"),
        "{text}"
    );
}

#[test]
fn unknown_paths_and_sections_are_usage_errors() {
    let o = get(&["No Such Site", "system.webServer/asp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("Unrecognized configuration path 'MACHINE/WEBROOT/APPHOST/No Such Site'"),
        "{}",
        stderr(&o)
    );
    let o = get(&["", "system.webServer/nothing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing schema"), "{}", stderr(&o));
}

#[test]
fn an_invalid_section_prints_nothing_on_stdout() {
    // The site's web.config sets asp although it is locked there.
    for extra in [&[][..], &["session.timeout"], &["--json"], &["--explain"]] {
        let mut args = vec!["Default Web Site/shop", "system.webServer/asp"];
        args.extend_from_slice(extra);
        let o = get(&args);
        assert_eq!(stdout(&o), "", "{extra:?}");
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let err = stderr(&o);
        assert!(err.contains("IIS2001"), "{err}");
        assert!(
            err.contains("web.config:"),
            "the finding names the file: {err}"
        );
        assert!(err.contains("--force"), "{err}");
    }
}

#[test]
fn force_prints_what_the_files_say_marked_as_such() {
    let o = get(&["Default Web Site/shop", "system.webServer/asp", "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("<!-- invalid at "), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert!(text.contains("<asp "), "{text}");
    let o = get(&[
        "Default Web Site/shop",
        "system.webServer/asp",
        "--force",
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        value["forced"]
            .as_str()
            .is_some_and(|m| m.contains("--force")),
        "{value}"
    );
    let o = get(&[
        "Default Web Site/shop",
        "system.webServer/asp",
        "--force",
        "--explain",
    ]);
    assert!(stdout(&o).starts_with("# invalid at "), "{}", stdout(&o));
    // A valid section is not marked.
    let o = get(&["/", "system.webServer/asp", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("<asp "), "{}", stdout(&o));
}

#[test]
fn short_section_names_work() {
    let full = get(&["/", "system.webServer/asp", "session.max"]);
    for short in ["asp", "ASP", "system.WEBSERVER/asp"] {
        let o = get(&["/", short, "session.max"]);
        assert_eq!(o.status.code(), Some(0), "{short}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&full), "{short}");
    }
    let o = get(&["/", "defaultDocument"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("<defaultDocument "),
        "{}",
        stdout(&o)
    );
}

/// `iisconf ARGS | head -c 1`: the reader closes the pipe after one byte.
#[cfg(unix)]
fn run_into_closed_pipe(args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(args)
        .env_remove("IISCONF_APPHOST")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iisconf runs");
    // Closing our end of the pipe at once: every write of the command fails with EPIPE.
    drop(child.stdout.take());
    child.wait_with_output().expect("iisconf ends")
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly() {
    let apphost = format!("{SCENARIO}/applicationHost.config");
    for args in [
        vec![
            "get",
            "",
            "system.webServer/asp",
            "--json",
            "--apphost",
            &apphost,
        ],
        vec!["schema", "list"],
        vec!["defaults", "asp"],
        vec!["rules"],
    ] {
        let o = run_into_closed_pipe(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

/// `iisconf lint … | head`: the report cannot be written, and the exit code is still the one
/// the findings give (1 for an error), not a write error's 2.
#[cfg(unix)]
#[test]
fn a_closed_stdout_keeps_lint_exit_code() {
    let dir = std::env::temp_dir().join(format!("iisconf-closed-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("web.config");
    std::fs::write(
        &file,
        "<configuration>\n  <system.webServer>\n    <asp bufferingOn=\"maybe\" />\n  </system.webServer>\n</configuration>\n",
    )
    .expect("write web.config");
    let path = file.to_string_lossy().into_owned();
    let o = run_into_closed_pipe(&["lint", &path]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

/// The library marks what IIS would not serve: `effective()` of a section with an attribute
/// locked at the parent level (lock_attributes_httperrors: `defaultPath` under
/// `lockAttributes`) or an invalid value (values_and_names: `enableParentPaths="yes"`)
/// carries the errors in `refused` and is not `served()`; the same section where nothing
/// refuses it is served; `effective_unchecked` leaves the mark out by design.
#[test]
fn effective_marks_values_iis_would_not_serve() {
    use iisconf::diagnostic::Rule;
    use iisconf::engine::{Hierarchy, Options};
    use iisconf::schema::Registry;
    let open = |name: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/scenarios")
            .join(name);
        let options = Options {
            apphost: Some(dir.join("applicationHost.config")),
            root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
            env: Vec::new(),
        };
        Hierarchy::open(Registry::embedded(), &options).expect("scenario opens")
    };
    let locked = open("lock_attributes_httperrors");
    let effective = locked
        .effective("Default Web Site", "system.webServer/httpErrors")
        .expect("effective");
    assert!(!effective.served());
    assert!(
        effective
            .refused
            .iter()
            .any(|f| f.rule == Rule::LockViolation && f.message.contains("'defaultPath'")),
        "{:?}",
        effective.refused
    );
    assert!(locked
        .effective("", "system.webServer/httpErrors")
        .expect("effective")
        .served());
    assert!(locked
        .effective_unchecked("Default Web Site", "system.webServer/httpErrors")
        .expect("effective")
        .refused
        .is_empty());
    let invalid = open("values_and_names");
    let effective = invalid
        .effective("Default Web Site", "system.webServer/asp")
        .expect("effective");
    assert!(
        effective
            .refused
            .iter()
            .any(|f| f.rule == Rule::InvalidValue && f.message.contains("'enableParentPaths'")),
        "{:?}",
        effective.refused
    );
    // Through the binary, `get --json --force` carries the same mark.
    let o = get(&[
        "Default Web Site/shop",
        "system.webServer/asp",
        "--force",
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(value["refused"][0]["rule"], "SectionLocked", "{value}");
    // A served section carries no mark.
    let o = get(&["/", "system.webServer/asp", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(value.get("refused").is_none(), "{value}");
}
