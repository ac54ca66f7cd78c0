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

/// The text of every `<pre><code class="language-LANG">` block under the "Setting it"
/// heading of an HTML page, unescaped.
fn setting_it(page: &str, lang: &str) -> Vec<String> {
    let Some(section) = page.split("<h2 id=\"setting-it\">").nth(1) else {
        return Vec::new();
    };
    let open = format!("<pre><code class=\"language-{lang}\">");
    section
        .split(&open)
        .skip(1)
        .filter_map(|s| s.split("</code></pre>").next())
        .flat_map(|block| block.lines().map(str::to_string).collect::<Vec<_>>())
        .map(|l| {
            l.replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Splits an appcmd command line as cmd.exe passes it: words at spaces outside double
/// quotes, the quotes removed.
fn cmd_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// Pages whose commands name an entry of a collection that holds two kinds of entries
/// (`<add>` and `<group>` of system.web/profile/properties): `+properties[name='Address']`
/// adds an `<add>`, so the group page's commands find no `<group>` to go into.
const MIXED_COLLECTION_PAGES: &[&str] = &[
    "system.web/profile/properties/group",
    "system.web/profile/properties/group/add",
];

#[test]
fn every_setting_it_command_runs_and_changes_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    export("html", &site, &[]);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_iisconf"));
    // Pages in the order of the search index: a parent before its entries, so an entry
    // page's commands find the entry its parent's command added.
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("assets/search-index.json")).unwrap(),
    )
    .unwrap();
    let pages: Vec<String> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["p"].as_str().unwrap().to_string())
        .collect();
    for tool in ["iisconf", "appcmd"] {
        let work = dir.path().join(tool);
        std::fs::create_dir_all(work.join("inetpub/wwwroot")).unwrap();
        let made = Command::new(bin)
            .args(["new", "apphost", "-o", "applicationHost.config"])
            .current_dir(&work)
            .output()
            .unwrap();
        assert!(made.status.success());
        let mut ran = 0;
        let mut failed = Vec::new();
        for p in &pages {
            let page_dir = p.trim_end_matches("/index.html");
            if MIXED_COLLECTION_PAGES.contains(&page_dir) {
                continue;
            }
            let html = std::fs::read_to_string(site.join(p)).unwrap();
            let lines = setting_it(&html, if tool == "iisconf" { "sh" } else { "bat" });
            for line in lines {
                let before = snapshot(&work);
                let out = if tool == "iisconf" {
                    let path = format!(
                        "{}:{}",
                        bin.parent().unwrap().display(),
                        std::env::var("PATH").unwrap_or_default()
                    );
                    Command::new("sh")
                        .arg("-c")
                        .arg(format!(
                            "{line} --apphost applicationHost.config --no-backup --root-map 'C:\\inetpub=./inetpub'"
                        ))
                        .env("PATH", path)
                        .current_dir(&work)
                        .output()
                        .unwrap()
                } else {
                    let words = cmd_words(&line);
                    assert_eq!(
                        words.first().map(String::as_str),
                        Some("appcmd.exe"),
                        "{line}"
                    );
                    Command::new(bin)
                        .arg("appcmd")
                        .args(words.get(1..).unwrap_or_default())
                        .args([
                            "--apphost",
                            "applicationHost.config",
                            "--no-backup",
                            "--root-map",
                            "C:\\inetpub=./inetpub",
                        ])
                        .current_dir(&work)
                        .output()
                        .unwrap()
                };
                ran += 1;
                if !out.status.success() {
                    failed.push(format!(
                        "{page_dir}: {line}\n  {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ));
                } else if snapshot(&work) == before {
                    failed.push(format!("{page_dir}: {line}\n  changed nothing"));
                }
            }
        }
        assert!(ran > 400, "{tool}: only {ran} commands");
        assert!(
            failed.is_empty(),
            "{tool}: {} of {ran} commands failed:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
}

/// The configuration files of a test hierarchy: applicationHost.config and the site's
/// web.config.
fn snapshot(work: &std::path::Path) -> (String, String) {
    (
        std::fs::read_to_string(work.join("applicationHost.config")).unwrap_or_default(),
        std::fs::read_to_string(work.join("inetpub/wwwroot/web.config")).unwrap_or_default(),
    )
}
