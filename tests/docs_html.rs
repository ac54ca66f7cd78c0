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
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| have(c))
    else {
        println!("SKIP: chromium not installed (.ci/install-docs.sh)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    export("html", &site, &[]);
    let page = site.join("system.webServer/asp/session/index.html");
    let profile = dir.path().join("profile");
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
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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
