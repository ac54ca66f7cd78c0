//! Renders the page model as a static HTML site: `DIR/index.html` per page, a shared style
//! sheet, a navigation list of every section (collapsible by section group) and client-side search over a generated index
//! (`assets/search-index.js`, loaded with a script tag so it works from `file://`).

use super::build::{listing_order, top_group, FIRST_GROUP};
use super::model::{Block, Inline, NoteKind, Page, PageKind, Site};
use serde::Serialize;

/// The shared style sheet (`assets/style.css`).
pub const STYLE: &str = r#"body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1b1b1b}
header{display:flex;gap:1em;align-items:center;padding:.6em 1em;background:#0b3d62;color:#fff}
header a{color:#fff;font-weight:600;text-decoration:none}
#search{flex:1;max-width:30em;padding:.3em .5em}
#search-status{font-size:.8em;opacity:.8}
#results{position:absolute;top:2.8em;left:12em;background:#fff;color:#000;list-style:none;margin:0;padding:0;max-height:60vh;overflow:auto;box-shadow:0 2px 8px #0005}
#results li a{display:block;padding:.3em .8em;color:#0b3d62}
#results li small{color:#555}
.layout{display:flex}
nav{width:20em;flex:none;max-height:calc(100vh - 3em);overflow:auto;font-size:.85em;border-right:1px solid #ddd;padding:.5em}
nav ul{list-style:none;margin:0;padding:0 0 0 1em}
nav summary{cursor:pointer;font-weight:600;padding:.2em 0}
main{flex:1;padding:0 2em 3em;min-width:0}
table{border-collapse:collapse;margin:1em 0;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eef3f7}
code{background:#f3f3f3;padding:0 .2em}
pre{background:#f6f8fa;padding:.8em;overflow:auto}
.note{border-left:4px solid #0b3d62;background:#eef3f7;padding:.5em 1em}
.note.runtime{border-color:#b35c00;background:#fff4e5}
.crumbs{font-size:.85em;margin-top:1em}
"#;

/// The search code, inlined in every page. It reads `window.IISCONF_SEARCH_INDEX`.
const SEARCH_JS: &str = r#"(function(){
var idx=window.IISCONF_SEARCH_INDEX||[];var root=document.body.getAttribute('data-root')||'';
var status=document.getElementById('search-status');if(status){status.textContent=idx.length+' pages indexed';status.setAttribute('data-count',idx.length);}
var tables=document.querySelectorAll('main table'),shown=0;for(var t=0;t<tables.length;t++){if(tables[t].offsetHeight>0)shown++;}document.body.setAttribute('data-tables-rendered',shown);
var box=document.getElementById('search'),out=document.getElementById('results');if(!box||!out)return;
box.addEventListener('input',function(){var q=box.value.trim().toLowerCase();out.innerHTML='';if(q.length<2)return;
var hits=[];for(var i=0;i<idx.length&&hits.length<30;i++){var e=idx[i];var hay=(e.t+' '+e.a.join(' ')+' '+e.s).toLowerCase();if(hay.indexOf(q)>=0)hits.push(e);}
hits.forEach(function(e){var li=document.createElement('li');var a=document.createElement('a');a.href=root+e.p;a.textContent=e.t;var s=document.createElement('small');s.textContent=' '+e.s;a.appendChild(s);li.appendChild(a);out.appendChild(li);});});
})();"#;

fn esc(text: &str) -> String {
    iisconf_xml::escape::escape_markup(text, false).into_owned()
}

fn href(prefix: &str, dir: &str) -> String {
    if dir.is_empty() {
        format!("{prefix}index.html")
    } else {
        format!("{prefix}{}/index.html", esc(dir))
    }
}

fn inline(i: &Inline, prefix: &str) -> String {
    match i {
        Inline::Text(t) => esc(t),
        Inline::Code(t) => format!("<code>{}</code>", esc(t)),
        Inline::Strong(t) => format!("<strong>{}</strong>", esc(t)),
        Inline::Link { text, dir, code } => {
            let shown = if *code {
                format!("<code>{}</code>", esc(text))
            } else {
                esc(text)
            };
            format!("<a href=\"{}\">{shown}</a>", href(prefix, dir))
        }
    }
}

fn line(l: &[Inline], prefix: &str) -> String {
    l.iter().map(|i| inline(i, prefix)).collect()
}

/// One entry of the search index.
#[derive(Serialize)]
pub struct SearchEntry<'a> {
    /// Title.
    t: &'a str,
    /// Path of the page from the root.
    p: String,
    /// Summary.
    s: &'a str,
    /// Attribute names.
    a: &'a [String],
}

/// The search index as JSON.
pub fn search_index(site: &Site) -> String {
    let entries: Vec<SearchEntry> = site
        .pages
        .iter()
        .filter(|p| p.kind != PageKind::Index)
        .map(|p| SearchEntry {
            t: &p.title,
            p: format!("{}/index.html", p.dir),
            s: &p.summary,
            a: &p.attributes,
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string())
}

/// The navigation list (every section), shared by all pages; `{ROOT}` is replaced per page.
/// Sections are grouped by their top-level section group, each group a collapsible
/// `<details>`; `system.webServer` comes first and is open.
pub fn navigation(site: &Site) -> String {
    let mut sections: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .collect();
    sections.sort_by(|a, b| listing_order(&a.title).cmp(&listing_order(&b.title)));
    let mut out = String::from("<nav>");
    let mut group: Option<&str> = None;
    for p in sections {
        let g = top_group(&p.title);
        if group != Some(g) {
            if group.is_some() {
                out.push_str("</ul></details>");
            }
            let open = if g == FIRST_GROUP { " open" } else { "" };
            let name = if g.is_empty() {
                "(no section group)"
            } else {
                g
            };
            out.push_str(&format!(
                "<details class=\"group\"{open}><summary>{}</summary><ul>",
                esc(name)
            ));
            group = Some(g);
        }
        out.push_str(&format!(
            "<li><a href=\"{{ROOT}}{}/index.html\">{}</a></li>",
            esc(&p.dir),
            esc(&p.title)
        ));
    }
    if group.is_some() {
        out.push_str("</ul></details>");
    }
    out.push_str("</nav>");
    out
}

/// The HTML text of one page; `nav` comes from [`navigation`].
pub fn render(page: &Page, nav: &str) -> String {
    let prefix = page.root_prefix();
    let mut body = String::new();
    if !page.breadcrumbs.is_empty() {
        let crumbs: Vec<String> = page
            .breadcrumbs
            .iter()
            .map(|(t, d)| format!("<a href=\"{}\">{}</a>", href(&prefix, d), esc(t)))
            .collect();
        body.push_str(&format!(
            "<div class=\"crumbs\">{}</div>\n",
            crumbs.join(" › ")
        ));
    }
    body.push_str(&format!("<h1>{}</h1>\n", esc(&page.title)));
    for b in &page.blocks {
        match b {
            Block::Heading { level, text, id } => {
                body.push_str(&format!(
                    "<h{level} id=\"{}\">{}</h{level}>\n",
                    esc(id),
                    esc(text)
                ));
            }
            Block::Paragraph(l) => body.push_str(&format!("<p>{}</p>\n", line(l, &prefix))),
            Block::Note { kind, text } => {
                let class = match kind {
                    NoteKind::Runtime => "note runtime",
                    NoteKind::Locking => "note",
                };
                body.push_str(&format!(
                    "<div class=\"{class}\">{}</div>\n",
                    line(text, &prefix)
                ));
            }
            Block::List(items) => {
                body.push_str("<ul>");
                for i in items {
                    body.push_str(&format!("<li>{}</li>", line(i, &prefix)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table { id, header, rows } => {
                body.push_str(&format!("<table class=\"{}\"><thead><tr>", esc(id)));
                for h in header {
                    body.push_str(&format!("<th>{}</th>", esc(h)));
                }
                body.push_str("</tr></thead><tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for c in row {
                        body.push_str(&format!("<td>{}</td>", line(c, &prefix)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody></table>\n");
            }
            Block::Code { lang, text } => {
                body.push_str(&format!(
                    "<pre><code class=\"language-{}\">{}</code></pre>\n",
                    esc(lang),
                    esc(text)
                ));
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title} · iisconf reference</title><link rel=\"stylesheet\" href=\"{prefix}assets/style.css\"></head>\n\
<body data-root=\"{prefix}\"><header><a href=\"{prefix}index.html\">IIS configuration reference</a>\
<input id=\"search\" type=\"search\" placeholder=\"Search sections, elements, attributes\" aria-label=\"Search\">\
<span id=\"search-status\">search index not loaded</span><ul id=\"results\"></ul></header>\n\
<div class=\"layout\">{nav}<main>\n{body}</main></div>\n\
<script src=\"{prefix}assets/search-index.js\"></script>\n<script>{SEARCH_JS}</script>\n</body></html>\n",
        title = esc(&page.title),
        nav = nav.replace("{ROOT}", &prefix),
    )
}
