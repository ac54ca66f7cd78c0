//! `iisconf get` through the binary: single values in IIS's written form, the section as
//! XML, JSON with provenance, the explanation, and exit codes.

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
    let o = get(&["Default Web Site", "system.webServer/asp", "--json"]);
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
    let o = get(&["Default Web Site", "system.webServer/asp", "--explain"]);
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
