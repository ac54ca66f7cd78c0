//! The texts `iisconf lint` prints, through the real binary: one IIS1002 per missing
//! schema for the whole run with a count, help that fits whether --schema-dir was given, no
//! stand-in names for places the user cannot open, and paths of every file of a hierarchy as
//! the user wrote them.

mod run_binary;
mod shared;

use run_binary::{root, run_in};
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Three web.config files that use a section declared without a schema.
fn missing_schema_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for site in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.path().join(site)).unwrap();
        std::fs::write(
            dir.path().join(site).join("web.config"),
            "<configuration>\n  <configSections>\n    <section name=\"mySection\" />\n  </configSections>\n  <mySection enabled=\"true\" />\n</configuration>\n",
        )
        .unwrap();
    }
    dir
}

#[test]
fn one_missing_schema_is_one_finding_per_run() {
    let dir = missing_schema_tree();
    let o = run_in(dir.path(), &["lint", "--format", "concise", "."]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("IIS1002")).collect();
    assert_eq!(
        lines,
        ["./a/web.config:5:4: warning[IIS1002] The configuration section 'mySection' cannot be read because it is missing schema; its content is not checked (2 more places in 2 other files)"]
    );
    let human = stdout(&run_in(dir.path(), &["lint", "."]));
    assert!(human.contains("pass --schema-dir"), "{human}");
    assert!(human.contains("`modules`"), "{human}");
}

#[test]
fn missing_schema_help_does_not_repeat_the_schema_dir_flag() {
    let Some(schema) = shared::dir("iis-schema") else {
        return;
    };
    let dir = missing_schema_tree();
    let human = stdout(&run_in(
        dir.path(),
        &["lint", "--schema-dir", schema.to_str().unwrap(), "."],
    ));
    assert!(human.contains("IIS1002"), "{human}");
    assert!(!human.contains("pass --schema-dir"), "{human}");
    assert!(
        human.contains("no schema file in the schema folders given"),
        "{human}"
    );
}

#[test]
fn no_stand_in_place_names() {
    let o = run_in(
        &root(),
        &[
            "lint",
            "--select",
            "ALL,IIS4003",
            "fixtures/lint/files/web.config",
        ],
    );
    let text = stdout(&o);
    assert!(text.contains("IIS2001"), "{text}");
    assert!(!text.contains("embedded:"), "{text}");
    assert!(!text.contains("location path=\"Site\""), "{text}");
    assert!(!text.contains("(location \"Site\")"), "{text}");
    assert!(
        text.contains("IIS's stock applicationHost.config"),
        "{text}"
    );
}

#[test]
fn hierarchy_paths_are_printed_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let server = dir.path().join("server");
    std::fs::create_dir_all(&server).unwrap();
    let hierarchy = root().join("fixtures/lint/hierarchy");
    std::fs::copy(
        hierarchy.join("applicationHost.config"),
        server.join("applicationHost.config"),
    )
    .unwrap();
    std::fs::create_dir_all(server.join("inetpub/wwwroot")).unwrap();
    std::fs::copy(
        hierarchy.join("inetpub/wwwroot/web.config"),
        server.join("inetpub/wwwroot/web.config"),
    )
    .unwrap();
    std::fs::write(
        server.join("iisconf.toml"),
        "apphost = \"applicationHost.config\"\nroot-maps = [\"C:\\\\inetpub=./inetpub\"]\n",
    )
    .unwrap();
    let o = run_in(
        dir.path(),
        &[
            "lint",
            "--config",
            "server/iisconf.toml",
            "--env",
            "SystemDrive=C:",
            "--format",
            "concise",
        ],
    );
    let text = stdout(&o);
    assert!(
        text.contains("server/inetpub/wwwroot/web.config:4:10: error[IIS2001]"),
        "{text}"
    );
    assert!(
        text.contains("server/applicationHost.config:32:21"),
        "{text}"
    );
    assert!(
        !text.contains("/./") && !text.contains(&dir.path().display().to_string()),
        "{text}"
    );
}
