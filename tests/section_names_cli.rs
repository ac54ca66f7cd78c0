//! Short section names (`asp`, `defaultDocument`, `asp/session`) in the commands that take a
//! section from the schema alone: `defaults` and `schema show`, through the real binary.

use std::process::{Command, Output};

fn iisconf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(args)
        .output()
        .expect("iisconf runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn defaults_take_short_names() {
    let full = iisconf(&["defaults", "system.webServer/asp"]);
    assert_eq!(full.status.code(), Some(0), "{}", text(&full.stderr));
    for short in ["asp", "Asp", "/asp/"] {
        let o = iisconf(&["defaults", short]);
        assert_eq!(o.status.code(), Some(0), "{short}: {}", text(&o.stderr));
        assert_eq!(text(&o.stdout), text(&full.stdout), "{short}");
    }
    let element = iisconf(&["defaults", "system.webServer/asp", "session"]);
    let short = iisconf(&["defaults", "asp", "session"]);
    assert_eq!(text(&short.stdout), text(&element.stdout));
    assert!(
        text(&short.stdout).contains("<session "),
        "{}",
        text(&short.stdout)
    );
}

#[test]
fn schema_show_takes_short_names() {
    let full = iisconf(&["schema", "show", "system.webServer/defaultDocument"]);
    assert_eq!(full.status.code(), Some(0), "{}", text(&full.stderr));
    let o = iisconf(&["schema", "show", "defaultDocument"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), text(&full.stdout));
    let o = iisconf(&["schema", "show", "asp/session"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("system.webServer/asp/session "),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn unknown_and_ambiguous_names_are_usage_errors() {
    let o = iisconf(&["schema", "show", "nosuchsection"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("nosuchsection"),
        "{}",
        text(&o.stderr)
    );
    let o = iisconf(&["defaults", "authentication"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("ambiguous"), "{}", text(&o.stderr));
}

/// A short name that both system.webServer and system.ftpServer have is the system.webServer
/// section, in every command as in appcmd (`appcmd list config /section:requestFiltering`).
#[test]
fn a_shared_short_name_is_the_web_server_section() {
    let full = iisconf(&[
        "schema",
        "show",
        "system.webServer/security/requestFiltering",
    ]);
    assert_eq!(full.status.code(), Some(0), "{}", text(&full.stderr));
    for command in [["schema", "show"].as_slice(), ["defaults"].as_slice()] {
        let short = [command, &["requestFiltering"]].concat();
        let o = iisconf(&short);
        assert_eq!(o.status.code(), Some(0), "{short:?}: {}", text(&o.stderr));
    }
    let o = iisconf(&["schema", "show", "requestFiltering"]);
    assert_eq!(text(&o.stdout), text(&full.stdout));
    let apphost = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/example/applicationHost.config"
    );
    let get = |section: &str| {
        iisconf(&[
            "get",
            "",
            section,
            "requestLimits.maxUrl",
            "--apphost",
            apphost,
        ])
    };
    let short = get("requestFiltering");
    assert_eq!(short.status.code(), Some(0), "{}", text(&short.stderr));
    assert_eq!(
        text(&short.stdout),
        text(&get("system.webServer/security/requestFiltering").stdout)
    );
}
