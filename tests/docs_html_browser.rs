//! `iisconf docs --format html` looked at in headless Chromium: the index's columns have
//! room, the sidebar marks the current page and gives a tooltip to every cut name, section
//! groups have overview pages, search matches words and ranks and counts its hits, and a
//! screenshot of a page is taken. Each measure runs as JavaScript in a probe page that loads
//! the exported page in a frame (file://, no server).

mod docs_common;
mod shared;

use docs_common::{export, have};
use std::path::{Path, PathBuf};
use std::process::Command;

/// An exported site and a Chromium to look at it with.
struct Browser {
    chromium: &'static str,
    dir: tempfile::TempDir,
}

impl Browser {
    /// Exports the HTML docs into a temporary folder; `None` (after a SKIP line) when
    /// Chromium is not installed.
    fn new() -> Option<Browser> {
        let Some(chromium) = ["chromium", "chromium-browser"]
            .into_iter()
            .find(|c| have(c))
        else {
            shared::skip("chromium not installed (.ci/install-docs.sh)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        export("html", &dir.path().join("site"), &[]);
        Some(Browser { chromium, dir })
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn run(&self, args: &[String]) -> String {
        let out = Command::new("timeout")
            .arg("120")
            .arg(self.chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!(
                "--user-data-dir={}",
                self.dir.path().join("profile").display()
            ))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Loads `page` (below the site) in a frame `width` pixels wide and runs `script` on it:
    /// the body of a JavaScript function of `d` (the page's document) and `w` (its window)
    /// that returns a value; the value comes back as JSON.
    fn probe(&self, page: &str, width: u32, script: &str) -> serde_json::Value {
        let probe = self.dir.path().join(format!("probe-{width}.html"));
        let target = format!("file://{}", self.site().join(page).display());
        std::fs::write(
            &probe,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"{target}\" style=\"border:0;width:{width}px;height:900px\"></iframe><pre id=\"out\">none</pre>\n\
<script>document.getElementById('f').addEventListener('load',function(){{var w=this.contentWindow,d=this.contentDocument,r;\
try{{r=(function(d,w){{{script}}})(d,w);}}catch(e){{r={{error:String(e)}};}}\
document.getElementById('out').textContent=encodeURIComponent(JSON.stringify(r));}});</script></body></html>"
            ),
        )
        .unwrap();
        let dom = self.run(&[
            "--allow-file-access-from-files".to_string(),
            "--virtual-time-budget=5000".to_string(),
            format!("--window-size={},1000", width + 20),
            "--dump-dom".to_string(),
            format!("file://{}", probe.display()),
        ]);
        let encoded = dom
            .split("<pre id=\"out\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or("");
        let value: serde_json::Value =
            serde_json::from_str(&iisconf::edit::grammar::url::percent_decode(encoded))
                .unwrap_or_else(|e| panic!("probe of {page} returned {encoded:?}: {e}"));
        assert!(value.get("error").is_none(), "probe of {page}: {value}");
        value
    }

    /// A PNG screenshot of `page`, `width` × `height` pixels, written to `png`.
    fn screenshot(&self, page: &str, width: u32, height: u32, png: &Path) {
        self.run(&[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", png.display()),
            format!("file://{}", self.site().join(page).display()),
        ]);
    }
}

/// Measures the index's first sections table: widths of the table, its columns and `<main>`,
/// and whether the page scrolls sideways.
const INDEX_LAYOUT: &str = r#"
var t=d.querySelector('main table.sections'),m=d.querySelector('main');
var th=t.querySelectorAll('thead th');
var cols=[];for(var i=0;i<th.length;i++){cols.push({name:th[i].textContent,width:th[i].getBoundingClientRect().width});}
return {table:t.getBoundingClientRect().width,tableRight:t.getBoundingClientRect().right,mainRight:m.getBoundingClientRect().right,
cols:cols,sideways:d.documentElement.scrollWidth>d.documentElement.clientWidth,
rowHeight:t.querySelector('tbody tr').getBoundingClientRect().height};
"#;

#[test]
fn the_index_gives_the_description_column_room_at_common_widths() {
    let Some(b) = Browser::new() else {
        return;
    };
    // At least 40% of the table and about 35 characters of text, at both widths.
    for width in [1280, 1024] {
        let m = b.probe("index.html", width, INDEX_LAYOUT);
        let table = m["table"].as_f64().unwrap();
        let cols = m["cols"].as_array().unwrap();
        let description = cols
            .iter()
            .find(|c| c["name"] == "Description")
            .and_then(|c| c["width"].as_f64())
            .unwrap();
        assert!(
            description >= 0.4 * table && description >= 250.0,
            "at {width}px the description column is {description}px of {table}px: {m}"
        );
        assert!(
            m["tableRight"].as_f64().unwrap() <= m["mainRight"].as_f64().unwrap() + 1.0,
            "at {width}px the table overflows <main>: {m}"
        );
        assert_eq!(
            m["sideways"], false,
            "at {width}px the page scrolls sideways"
        );
        // A one-character column makes every row dozens of lines high.
        assert!(
            m["rowHeight"].as_f64().unwrap() < 150.0,
            "at {width}px: {m}"
        );
    }
}

/// The sidebar facts: the current entry, its group, whether it is in view and coloured, and
/// every link whose text is cut with its tooltip.
const SIDEBAR: &str = r#"
var nav=d.querySelector('nav'),cur=nav.querySelectorAll('a.current');
var links=nav.querySelectorAll('a'),cut=[],untitled=[];
for(var i=0;i<links.length;i++){var a=links[i];if(a.offsetWidth===0)continue;
 if(!a.title)untitled.push(a.textContent);
 if(a.scrollWidth>a.clientWidth+1)cut.push({text:a.textContent,title:a.title});}
var r={current:cur.length,links:links.length,cut:cut,untitled:untitled};
if(cur.length===1){var c=cur[0],cr=c.getBoundingClientRect(),nr=nav.getBoundingClientRect();
 r.href=c.getAttribute('href');r.aria=c.getAttribute('aria-current');r.title=c.title;
 r.background=w.getComputedStyle(c).backgroundColor;r.plain=w.getComputedStyle(links[0]===c?links[1]:links[0]).backgroundColor;
 r.open=c.closest('details').open;r.inView=cr.top>=nr.top&&cr.bottom<=nr.bottom&&cr.height>0;r.scrolled=nav.scrollTop;}
return r;
"#;

#[test]
fn the_sidebar_marks_the_current_page_and_explains_cut_names() {
    let Some(b) = Browser::new() else {
        return;
    };
    // A section far down a closed group, an element below a section, and a group page.
    for (page, current) in [
        (
            "system.web/sessionState/index.html",
            "system.web/sessionState",
        ),
        (
            "system.webServer/security/authentication/windowsAuthentication/providers/index.html",
            "system.webServer/security/authentication/windowsAuthentication",
        ),
        (
            "system.webServer/rewrite/index.html",
            "system.webServer/rewrite",
        ),
    ] {
        let m = b.probe(page, 1280, SIDEBAR);
        assert_eq!(m["current"], 1, "{page}: {m}");
        assert!(
            m["href"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{current}/index.html")),
            "{page}: {m}"
        );
        assert_eq!(m["title"].as_str().unwrap(), current, "{page}");
        assert_eq!(m["aria"], "page");
        assert_eq!(m["open"], true, "{page}: the current group is open");
        assert_eq!(
            m["inView"], true,
            "{page}: the current entry is scrolled into view: {m}"
        );
        assert_ne!(m["background"], m["plain"], "{page}: not highlighted: {m}");
        assert_eq!(m["untitled"], serde_json::json!([]), "{page}");
        let cut = m["cut"].as_array().unwrap();
        for c in cut {
            let title = c["title"].as_str().unwrap();
            let text = c["text"].as_str().unwrap().trim_end_matches('/');
            assert!(
                title.ends_with(text) || title.starts_with(text),
                "{page}: the cut name {text} has the tooltip {title}"
            );
        }
    }
    // The long names of system.webServer are cut at this width, and have their tooltip.
    let m = b.probe("system.webServer/asp/index.html", 1280, SIDEBAR);
    let cut = m["cut"].as_array().unwrap();
    assert!(
        cut.iter().any(|c| {
            c["title"]
            == "system.webServer/security/authentication/iisClientCertificateMappingAuthentication"
        }),
        "{m}"
    );
    assert!(m["scrolled"].as_f64().unwrap() >= 0.0);
}

/// The rows of a group page's sections table and where the index and the sidebar link to it.
const GROUP: &str = r#"
var rows=d.querySelectorAll('main table.sections tbody tr'),out=[];
for(var i=0;i<rows.length;i++){var td=rows[i].querySelectorAll('td');out.push({name:td[0].textContent,description:td[2].textContent,visible:rows[i].offsetHeight>0});}
return {h1:d.querySelector('h1').textContent,rows:out};
"#;

#[test]
fn a_section_group_has_an_overview_page_linked_from_the_index_and_the_sidebar() {
    let Some(b) = Browser::new() else {
        return;
    };
    let m = b.probe("system.webServer/rewrite/index.html", 1280, GROUP);
    assert_eq!(m["h1"], "system.webServer/rewrite");
    let rows = m["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    for section in [
        "allowedServerVariables",
        "globalRules",
        "outboundRules",
        "providers",
        "rewriteMaps",
        "rules",
    ] {
        assert!(
            names.contains(&format!("system.webServer/rewrite/{section}").as_str()),
            "{names:?}"
        );
    }
    for r in rows {
        assert!(r["description"].as_str().unwrap().len() > 20, "{r}");
        assert_eq!(r["visible"], true);
    }
    let index = std::fs::read_to_string(b.site().join("index.html")).unwrap();
    assert!(index.contains(
        "href=\"system.webServer/rewrite/index.html\"><code>system.webServer/rewrite</code></a>"
    ));
    assert!(index.contains("href=\"system.webServer/rewrite/index.html\" title=\"system.webServer/rewrite\">rewrite/</a>"));
    let rules = std::fs::read_to_string(b.site().join("system.webServer/rewrite/rules/index.html"))
        .unwrap();
    assert!(rules.contains(
        "<a href=\"../../../system.webServer/rewrite/index.html\">system.webServer/rewrite</a>"
    ));
}

/// Types `query` into the search box and reports the count line, the hits and the "more"
/// button; with `more`, clicks the button first.
fn search_script(query: &str, more: bool) -> String {
    format!(
        r#"var box=d.getElementById('search');box.value={query:?};box.dispatchEvent(new w.Event('input'));
var out=d.getElementById('results');
{click}
var hits=[],a=out.querySelectorAll('li.hit a');for(var i=0;i<a.length;i++){{hits.push(a[i].firstChild.textContent);}}
var count=out.querySelector('li.count'),button=out.querySelector('li.more button');
return {{total:Number(out.getAttribute('data-total')),count:count?count.textContent:null,hits:hits,more:button?button.textContent:null,visible:out.offsetHeight>0}};"#,
        click = if more {
            "out.querySelector('li.more button').click();"
        } else {
            ""
        }
    )
}

#[test]
fn search_matches_every_word_ranks_names_first_and_counts() {
    let Some(b) = Browser::new() else {
        return;
    };
    let page = "system.webServer/asp/index.html";
    let m = b.probe(page, 1280, &search_script("rewrite rule", false));
    let hits: Vec<&str> = m["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(
        hits.first().copied(),
        Some("system.webServer/rewrite/rules/rule"),
        "{m}"
    );
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(b.site().join("assets/search-index.json")).unwrap(),
    )
    .unwrap();
    for h in &hits {
        let entry = index
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["t"] == *h)
            .unwrap();
        let text = format!("{} {} {}", entry["t"], entry["a"], entry["s"]).to_lowercase();
        assert!(
            text.contains("rewrite") && text.contains("rule"),
            "a hit without both words: {h}"
        );
    }
    assert_eq!(m["visible"], true);
    let total = m["total"].as_u64().unwrap();
    assert!(total >= 2, "{m}");
    assert!(m["count"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{total} ")));
    // The words in the other order find the same pages in the same order.
    let swapped = b.probe(page, 1280, &search_script("rule rewrite", false));
    assert_eq!(swapped["hits"], m["hits"]);
    // A name match ranks before pages that only mention the word in their description.
    let session = b.probe(page, 1280, &search_script("session timeout", false));
    let first = session["hits"][0].as_str().unwrap();
    assert!(first.contains("session"), "{session}");
    // A word that is in hundreds of pages: the count says so and "more" lists them all.
    let wide = b.probe(page, 1280, &search_script("system", false));
    let total = wide["total"].as_u64().unwrap();
    assert!(total > 100, "{wide}");
    assert_eq!(wide["hits"].as_array().unwrap().len(), 50);
    assert_eq!(
        wide["more"].as_str().unwrap(),
        format!("{} more: show all", total - 50)
    );
    let all = b.probe(page, 1280, &search_script("system", true));
    assert_eq!(all["hits"].as_array().unwrap().len() as u64, total);
    assert!(all["more"].is_null());
    // No page has both words.
    let none = b.probe(page, 1280, &search_script("rewrite zzzz", false));
    assert_eq!(none["total"], 0);
    assert_eq!(none["count"], "No page matches every word");
}

#[test]
fn a_screenshot_of_the_rewrite_rule_page_shows_a_page() {
    let Some(b) = Browser::new() else {
        return;
    };
    let png = b.dir.path().join("rule.png");
    b.screenshot(
        "system.webServer/rewrite/rules/rule/index.html",
        1280,
        900,
        &png,
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {}",
        png.display()
    );
    let width = bytes
        .get(16..20)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes);
    assert_eq!(width, Some(1280));
    // A blank or one-colour page compresses to a few kilobytes; text, tables and the
    // sidebar do not.
    assert!(bytes.len() > 40_000, "{} bytes", bytes.len());
}
