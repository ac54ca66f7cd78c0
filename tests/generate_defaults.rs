//! `iisconf defaults` and `iisconf new`, through the library and the real binary.

mod shared;

use iisconf::generate::{self, ApphostOptions, TemplateOptions};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use std::path::PathBuf;
use std::process::Command;

const SESSION: &str = r#"<session allowSessionState="true" keepSessionIdSecure="true" max="4294967295" timeout="00:20:00" />"#;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
}

fn shared() -> Option<PathBuf> {
    shared::dir("iis-schema").map(|_| shared::base())
}

#[test]
fn asp_defaults_contain_the_session_line() {
    let out = bin()
        .args(["defaults", "system.webServer/asp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(SESSION), "{text}");
    assert!(text.contains("<system.webServer>\r\n"));
    assert!(text.contains("<asp appAllowClientDebug=\"false\""));
    // The embedded schema has IIS's attribute order: scriptTimeout comes first.
    assert!(
        text.contains("<limits scriptTimeout=\"00:01:30\""),
        "{text}"
    );
    assert!(text.contains("bufferingLimit=\"4194304\""));
    // sxsName has no default: named in a comment, not written as an attribute.
    assert!(!text.contains("sxsName=\""));
    assert!(text.contains("sxsName (string)"));
    Document::parse_str(&text).unwrap();
}

#[test]
fn one_element_and_its_wrapping() {
    let registry = Registry::embedded();
    let bare = generate::defaults_template(
        &registry,
        "system.webServer/asp/session",
        &TemplateOptions::default(),
    )
    .unwrap();
    assert!(bare.contains(&format!("{SESSION}\r\n")));
    assert!(!bare.contains("<asp"));
    let wrapped = generate::defaults_template(
        &registry,
        "system.webServer/asp/session",
        &TemplateOptions {
            wrap_in_parents: true,
            ..TemplateOptions::default()
        },
    )
    .unwrap();
    assert!(wrapped.contains("<system.webServer>\r\n    <asp>\r\n"));
    assert!(wrapped.contains(&format!("        {SESSION}\r\n")));
    // The CLI spelling: SECTION ELEMENT.
    let out = bin()
        .args([
            "defaults",
            "system.webServer/asp",
            "session",
            "--no-comments",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{SESSION}\r\n")
    );
}

fn assert_no_runtime(text: &str) {
    for runtime in [
        "<sessions",
        "<session ",
        "clientIp",
        "lastStartupStatus",
        " state=",
        "Terminate",
    ] {
        assert!(!text.contains(runtime), "runtime member {runtime} written");
    }
}

#[test]
fn runtime_members_are_never_written() {
    let registry = Registry::embedded();
    let text = generate::defaults_template(
        &registry,
        "system.applicationHost/sites",
        &TemplateOptions::default(),
    )
    .unwrap();
    assert!(
        text.contains("<ftpServer "),
        "the ftpServer element itself is configuration"
    );
    assert_no_runtime(&text);
    Document::parse_str(&text).unwrap();
    // Collections are described, never filled.
    assert!(!text.contains("<site "));
    assert!(text.contains("add entries as <site>"));
    // Asking for runtime data is refused.
    let err = generate::defaults_template(
        &registry,
        "system.applicationHost/sites/site/ftpServer/sessions",
        &TemplateOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("runtime data"));
    let out = bin()
        .args([
            "defaults",
            "system.applicationHost/sites",
            "site/ftpServer/sessions/session",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn runtime_members_absent_with_the_real_schema() {
    let Some(shared) = shared() else {
        shared::skip("../shared/iis-schema not found");
        return;
    };
    let registry = Registry::load(&[shared.join("iis-schema")]).unwrap();
    let text = generate::defaults_template(
        &registry,
        "system.applicationHost/sites",
        &TemplateOptions::default(),
    )
    .unwrap();
    assert_no_runtime(&text);
    Document::parse_str(&text).unwrap();
    let asp = generate::defaults_template(
        &registry,
        "system.webServer/asp",
        &TemplateOptions::default(),
    )
    .unwrap();
    assert!(asp.contains(SESSION), "{asp}");
    // Every section of the real schema has a template that parses.
    for section in registry.sections() {
        let t = generate::defaults_template(&registry, &section.name, &TemplateOptions::default())
            .unwrap();
        Document::parse_str(&t).unwrap_or_else(|e| panic!("{}: {e:?}", section.name));
    }
}

#[test]
fn unknown_path_is_a_usage_error() {
    let out = bin()
        .args(["defaults", "system.webServer/nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("system.webServer/nope"));
}

#[test]
fn out_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("asp.xml");
    let run = |extra: &[&str]| {
        let mut c = bin();
        c.args(["defaults", "system.webServer/asp", "--out"])
            .arg(&file);
        c.args(extra);
        c.output().unwrap()
    };
    let first = run(&[]);
    assert_eq!(first.status.code(), Some(0));
    assert!(first.stdout.is_empty());
    assert!(std::fs::read_to_string(&file).unwrap().contains(SESSION));

    std::fs::write(&file, "mine").unwrap();
    let second = run(&[]);
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");

    let third = run(&["--force"]);
    assert_eq!(third.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file).unwrap().contains(SESSION));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn new_apphost_default_site() {
    let out = bin().args(["new", "apphost"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = Document::parse_str(&text).unwrap();
    assert_eq!(doc.newline(), "\r\n");
    for needle in [
        "<section name=\"sites\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />",
        "<section name=\"applicationPools\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />",
        "<section name=\"asp\" overrideModeDefault=\"Deny\" />",
        "<add name=\"DefaultAppPool\" />",
        "<site name=\"Default Web Site\" id=\"1\">",
        "<application path=\"/\" applicationPool=\"DefaultAppPool\">",
        r#"<virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" />"#,
        "<binding protocol=\"http\" bindingInformation=\"*:80:\" />",
    ] {
        assert!(text.contains(needle), "missing {needle}\n{text}");
    }
    assert!(
        text.contains("\r\n            <site "),
        "four-space indentation"
    );
}

#[test]
fn new_apphost_sites_and_bad_sites() {
    let out = bin()
        .args([
            "new",
            "apphost",
            "--site",
            r"Contoso=C:\sites\contoso:8080",
            "--site",
            r"Fabrikam=D:\web",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("<site name=\"Contoso\" id=\"1\">"));
    assert!(text.contains("<site name=\"Fabrikam\" id=\"2\">"));
    assert!(text.contains(r#"physicalPath="C:\sites\contoso""#));
    assert!(text.contains("bindingInformation=\"*:8080:\""));
    assert!(!text.contains("Default Web Site"));
    for bad in ["nameonly", "a?b=C:\\x", "a=C:\\x:99999"] {
        let out = bin()
            .args(["new", "apphost", "--site", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn new_apphost_declares_every_loaded_section() {
    let Some(shared) = shared() else {
        shared::skip("../shared/iis-schema not found");
        return;
    };
    let registry = Registry::load(&[shared.join("iis-schema")]).unwrap();
    let text = generate::new_apphost(&registry, &ApphostOptions::default()).unwrap();
    let doc = Document::parse_str(&text).unwrap();
    let root = doc.root_element().unwrap();
    let sections = doc.child_element(root, "configSections").unwrap();
    let mut declared = Vec::new();
    fn walk(doc: &Document, node: iisconf::xml::NodeId, prefix: &str, out: &mut Vec<String>) {
        for c in doc.child_elements(node) {
            let name = doc.attribute_value(c, "name").unwrap().into_owned();
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if doc.name(c) == "sectionGroup" {
                walk(doc, c, &path, out);
            } else {
                out.push(path);
            }
        }
    }
    walk(&doc, sections, "", &mut declared);
    declared.sort();
    let loaded: Vec<String> = registry.sections().map(|s| s.name.clone()).collect();
    assert_eq!(declared, loaded);
    assert!(text.contains(
        "<section name=\"log\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />"
    ));
    // Without the machine-level sections: only the apphost groups remain.
    let lean = generate::new_apphost(
        &registry,
        &ApphostOptions::default().declare_machine_sections(false),
    )
    .unwrap();
    assert!(!lean.contains("<sectionGroup name=\"system.web\">"));
    assert!(lean.contains("<sectionGroup name=\"system.ftpServer\">"));
}

#[test]
fn new_webconfig_is_minimal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web.config");
    let out = bin()
        .args(["new", "webconfig", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<configuration>\r\n    <system.webServer>\r\n    </system.webServer>\r\n</configuration>\r\n"
    );
    let again = bin()
        .args(["new", "webconfig", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
}
