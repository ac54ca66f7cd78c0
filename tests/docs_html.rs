//! `iisconf docs --format html`: the asp/session page renders its attributes table in headless
//! Chromium and the search index loads (from file://, no server, no CDN).

mod docs_common;
mod shared;

use docs_common::{export, have};
use std::process::Command;

#[test]
fn pages_link_assets_relatively_and_use_no_network() {
    let dir = tempfile::tempdir().unwrap();
    export("html", dir.path(), &[]);
    let page = std::fs::read_to_string(dir.path().join("system.webServer/asp/session/index.html"))
        .unwrap();
    assert!(page.contains("href=\"../../../assets/style.css\""));
    assert!(page.contains("src=\"../../../assets/search-index.js\""));
    for remote in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!page.contains(remote), "a remote resource: {remote}");
    }
    assert!(page.contains("<a href=\"../../../system.webServer/asp/index.html\">"));
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("assets/search-index.json")).unwrap(),
    )
    .unwrap();
    let entries = index.as_array().unwrap();
    assert!(entries
        .iter()
        .any(|e| e["t"] == "system.webServer/asp/session"
            && e["a"].as_array().unwrap().iter().any(|a| a == "timeout")));
    for e in entries {
        let p = e["p"].as_str().unwrap();
        assert!(dir.path().join(p).is_file(), "search entry {p} has no page");
    }
}

#[test]
fn asp_session_table_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    export("html", &site, &[]);
    let profile = dir.path().join("profile");
    let Some(dom) = chromium_dom(&site, "system.webServer/asp/session/index.html", &profile) else {
        shared::skip("chromium not installed (.ci/install-docs.sh)");
        return;
    };
    assert!(dom.contains("<table class=\"attributes\">"), "{dom}");
    for name in ["allowSessionState", "keepSessionIdSecure", "max", "timeout"] {
        assert!(
            dom.contains(&format!("<tr><td><code>{name}</code></td>")),
            "row {name}"
        );
    }
    assert!(dom.contains("<td><code>00:20:00</code></td>"));
    // The inline script ran: the tables have a height and the search index loaded.
    let rendered = dom
        .split("data-tables-rendered=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    assert!(rendered >= 1, "no table was laid out");
    let count = dom
        .split("id=\"search-status\" data-count=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    assert!(count > 50, "search index did not load: {count}");
}

#[test]
fn the_index_opens_on_system_web_server_and_every_section_is_described() {
    let dir = tempfile::tempdir().unwrap();
    export("html", dir.path(), &[]);
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let first_group = index.split("<h2").nth(1).unwrap_or("");
    assert!(
        first_group.contains(">system.webServer</h2>"),
        "{first_group}"
    );
    assert!(index.contains("<details class=\"group\" open><summary>system.webServer</summary>"));
    assert!(index.contains("<details class=\"group\"><summary>system.applicationHost</summary>"));
    for section in [
        "system.webServer/rewrite/rules",
        "system.webServer/aspNetCore",
        "system.web/compilation",
        "appSettings",
        "system.ftpServer/log",
    ] {
        assert!(
            index.contains(&format!("href=\"{section}/index.html\"")),
            "{section}"
        );
    }
    // Every page has its own description; no Description cell of the index is empty.
    let mut pages = 0;
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.html") {
                pages += 1;
                let text = std::fs::read_to_string(&p).unwrap();
                assert!(!text.contains("has no description"), "{}", p.display());
            }
        }
    }
    assert!(pages > 500, "{pages} pages");
    let rows = index
        .split("<tbody>")
        .skip(1)
        .flat_map(|t| t.split("<tr>").skip(1));
    for row in rows {
        assert!(!row.contains("<td></td>"), "an empty cell: {row}");
    }
}

/// The DOM of `page` (below the exported site) after headless Chromium ran its scripts, or
/// The DOM of `page` of the exported `site` after Chromium ran its scripts; `None` when
/// Chromium is not installed (the caller prints the SKIP line).
fn chromium_dom(site: &std::path::Path, page: &str, profile: &std::path::Path) -> Option<String> {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| have(c))?;
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", site.join(page).display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_index_and_a_rewrite_page_render_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    export("html", &site, &[]);
    let profile = dir.path().join("profile");
    let Some(index) = chromium_dom(&site, "index.html", &profile) else {
        shared::skip("chromium not installed (.ci/install-docs.sh)");
        return;
    };
    assert!(
        index.contains("<summary>system.webServer</summary>"),
        "{index}"
    );
    assert!(index.contains("title=\"system.webServer/rewrite/rules\">rules</a>"));
    let laid_out = |dom: &str| {
        dom.split("data-tables-rendered=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    assert!(
        laid_out(&index) >= 5,
        "the index's group tables are laid out"
    );
    let Some(rule) = chromium_dom(
        &site,
        "system.webServer/rewrite/rules/rule/index.html",
        &profile,
    ) else {
        return;
    };
    assert!(rule.contains("<table class=\"attributes\">"), "{rule}");
    for name in ["name", "enabled", "stopProcessing", "patternSyntax"] {
        assert!(
            rule.contains(&format!("<tr><td><code>{name}</code></td>")),
            "row {name}"
        );
    }
    assert!(laid_out(&rule) >= 1, "no table was laid out");
}
