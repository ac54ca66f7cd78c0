//! `iisconf docs --format markdown`: the pages carry every fact of the schema.

mod docs_common;
mod shared;

use docs_common::{export, shared};
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Markdown text with backslash escapes removed, for comparing with plain descriptions.
fn plain(md: &str) -> String {
    md.replace('\\', "")
}

#[test]
fn asp_session_page_carries_every_fact() {
    let dir = tempfile::tempdir().unwrap();
    export("markdown", dir.path(), &[]);
    let page = read(&dir.path().join("system.webServer/asp/session/index.md"));
    let text = plain(&page);
    let registry = iisconf::schema::Registry::embedded();
    for (name, ty, default, allowed) in [
        ("allowSessionState", "bool", "`true`", "`true` or `false`"),
        ("keepSessionIdSecure", "bool", "`true`", "`true` or `false`"),
        ("max", "uint", "`4294967295`", "0 to 4294967295"),
        (
            "timeout",
            "timeSpan",
            "`00:20:00`",
            "`00:00:00` to `365.00:00:00` (0 to 31536000 seconds), in steps of 60 seconds",
        ),
    ] {
        let row = page
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no row for {name}\n{page}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells[1], ty, "{row}");
        assert_eq!(cells[2], default, "{row}");
        assert_eq!(cells[3], allowed, "{row}");
        assert_eq!(cells[4], "Optional", "{row}");
        let description = registry
            .description(&format!("system.webServer/asp/session@{name}"))
            .unwrap();
        assert!(
            plain(row).contains(description),
            "{name}: description missing"
        );
    }
    let overview = registry
        .description("system.webServer/asp/session")
        .unwrap();
    assert!(text.contains(overview));
    assert!(page.contains("[`system.webServer/asp`](../../../system.webServer/asp/index.md)"));
    assert!(page.contains(r#"<session timeout="00:10:00" />"#));
    assert!(page.contains("iisconf set \"Default Web Site\" system.webServer/asp \"session.timeout=00:10:00\" --commit apphost"));
    assert!(page.contains("--commit apphost"));
    assert!(page.contains(
        "appcmd.exe set config \"Default Web Site\" -section:system.webServer/asp /session."
    ));
    assert!(page.contains("/commit:apphost"));
    assert!(!page.contains("Read-only runtime data"));
}

#[test]
fn ftp_session_page_is_read_only_runtime_data() {
    let dir = tempfile::tempdir().unwrap();
    export("markdown", dir.path(), &[]);
    let page = read(
        &dir.path()
            .join("system.applicationHost/sites/site/ftpServer/sessions/session/index.md"),
    );
    assert!(page.contains("**Read-only runtime data.**"));
    assert!(page.contains("Microsoft.ApplicationHostFtpConfigExtension"));
    let expected = [
        ("clientIp", "string"),
        ("sessionId", "string"),
        ("sessionStartTime", "string"),
        ("userName", "string"),
        ("currentCommand", "string"),
        ("previousCommand", "string"),
        ("commandStartTime", "string"),
        ("bytesSent", "int64"),
        ("bytesReceived", "int64"),
        ("lastErrorStatus", "uint"),
    ];
    let rows: Vec<&str> = page
        .lines()
        .skip_while(|l| *l != "## Attributes")
        .filter(|l| l.starts_with("| `"))
        .take_while(|l| !l.contains("Terminate"))
        .collect();
    assert_eq!(rows.len(), 10, "{page}");
    for ((name, ty), row) in expected.iter().zip(&rows) {
        assert!(row.starts_with(&format!("| `{name}` | {ty} |")), "{row}");
        assert!(row.contains("Runtime, read-only."), "{row}");
    }
    assert!(page.contains("## Methods"));
    let registry = iisconf::schema::Registry::embedded();
    let terminate = registry
        .description("system.applicationHost/sites/site/ftpServer/sessions/session#Terminate")
        .unwrap();
    let row = page
        .lines()
        .find(|l| l.starts_with("| `Terminate` |"))
        .unwrap();
    assert!(plain(row).contains(terminate));
    // Runtime data has no configuration sample and no set example.
    assert!(!page.contains("```xml"));
    assert!(!page.contains("iisconf set"));
    // The parent page links the entry and marks the sessions element as runtime.
    let ftp = read(
        &dir.path()
            .join("system.applicationHost/sites/site/ftpServer/index.md"),
    );
    assert!(ftp.contains("[`<sessions>`](../../../../system.applicationHost/sites/site/ftpServer/sessions/index.md) | Runtime data (read-only)."));
}

fn check_index_links_every_section(out: &Path, registry: &iisconf::schema::Registry) {
    let index = read(&out.join("index.md"));
    for section in registry.sections() {
        let link = format!("[`{0}`]({0}/index.md)", section.name);
        assert!(index.contains(&link), "index misses {link}");
        assert!(
            out.join(&section.name).join("index.md").is_file(),
            "{} has no page",
            section.name
        );
    }
    // Every relative link of every page resolves to a page.
    for entry in walk(out) {
        let text = read(&entry);
        let base = entry.parent().unwrap();
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.ends_with(".md") {
                let resolved = base.join(target.replace("%20", " "));
                assert!(
                    resolved.is_file(),
                    "{}: broken link {target}",
                    entry.display()
                );
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out
}

#[test]
fn index_links_every_embedded_section() {
    let dir = tempfile::tempdir().unwrap();
    export("markdown", dir.path(), &[]);
    check_index_links_every_section(dir.path(), &iisconf::schema::Registry::embedded());
    let sites = read(&dir.path().join("system.applicationHost/sites/index.md"));
    assert!(sites.contains("## Collection"));
    assert!(sites.contains("| add | [`<site>`]"));
    let bindings = read(
        &dir.path()
            .join("system.applicationHost/sites/site/bindings/index.md"),
    );
    assert!(bindings.contains("protocol + bindingInformation"));
    assert!(bindings.contains("| clear | `<clear />` |"));
}

#[test]
fn every_section_of_the_real_schema_gets_a_page() {
    let Some(shared) = shared() else {
        shared::skip("../shared/iis-schema not found (set IISCONF_SHARED)");
        return;
    };
    let schema = shared.join("iis-schema");
    let dir = tempfile::tempdir().unwrap();
    export(
        "markdown",
        dir.path(),
        &["--schema-dir", schema.to_str().unwrap()],
    );
    let registry = iisconf::schema::Registry::load(&[schema]).unwrap();
    assert!(registry.sections().count() > 100);
    check_index_links_every_section(dir.path(), &registry);
    // The real FTP schema also has the runtime sessions.
    let page = read(
        &dir.path()
            .join("system.applicationHost/sites/site/ftpServer/sessions/session/index.md"),
    );
    assert!(page.contains("**Read-only runtime data.**"));
    assert!(page.contains("| `Terminate` |"));
}
