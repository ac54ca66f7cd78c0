//! Renders the page model as a static HTML site: `DIR/index.html` per page, a shared style
//! sheet, a navigation list of every section (collapsible by section group) and client-side search over a generated index
//! (`assets/search-index.js`, loaded with a script tag so it works from `file://`).

use super::build::{listing_order, top_group, FIRST_GROUP};
use super::model::{Block, Inline, NoteKind, Page, PageKind, Site};
use serde::Serialize;

/// The shared style sheet (`assets/style.css`).
pub const STYLE: &str = r#"body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1b1b1b}
header{display:flex;gap:1em;align-items:center;padding:.6em 1em;background:#0b3d62;color:#fff;position:relative}
header a{color:#fff;font-weight:600;text-decoration:none}
#search{flex:1;max-width:30em;padding:.3em .5em}
#search-status{font-size:.8em;opacity:.8}
#results{position:absolute;top:2.8em;left:12em;width:min(40em,90vw);background:#fff;color:#000;list-style:none;margin:0;padding:0;max-height:70vh;overflow:auto;box-shadow:0 2px 8px #0005;z-index:2}
#results li a{display:block;padding:.3em .8em;color:#0b3d62}
#results li small{color:#555}
#results li.more button{margin:.4em .8em;cursor:pointer}
.layout{display:flex;align-items:flex-start}
nav{position:sticky;top:0;width:clamp(14em,22vw,20em);flex:none;max-height:100vh;box-sizing:border-box;overflow:auto;font-size:.85em;border-right:1px solid #ddd;padding:.5em}
nav ul{list-style:none;margin:0;padding:0 0 0 1em}
nav summary{cursor:pointer;font-weight:600;padding:.2em 0}
nav li a{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 .3em;border-radius:3px}
nav li.subgroup>a{font-weight:600}
nav a.current{background:#0b3d62;color:#fff;font-weight:600}
main{flex:1;padding:0 2em 3em;min-width:0}
table{border-collapse:collapse;margin:1em 0;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left;overflow-wrap:break-word}
td code,td a{overflow-wrap:anywhere}
table.sections{table-layout:fixed}
table.sections th:nth-child(1){width:28%}
table.sections th:nth-child(2){width:27%}
table.sections td:nth-child(2){font-size:.8em}
table.attributes td:last-child{min-width:14em}
th{background:#eef3f7}
code{background:#f3f3f3;padding:0 .2em}
pre{background:#f6f8fa;padding:.8em;overflow:auto}
pre code{background:none;padding:0}
.note{border-left:4px solid #0b3d62;background:#eef3f7;padding:.5em 1em}
.note.runtime{border-color:#b35c00;background:#fff4e5}
.crumbs{font-size:.85em;margin-top:1em}
"#;

/// The search code, inlined in every page. It reads `window.IISCONF_SEARCH_INDEX`, marks
/// the current page in the navigation (opening its group and scrolling it into view) and
/// searches by words: every word must occur in the page's name, its attribute names or its
/// summary, in any order; pages whose name matches rank first. The match count is shown and
/// a "more" button lists every match beyond the first [`SEARCH_PAGE`].
const SEARCH_JS: &str = r#"(function(){
var idx=window.IISCONF_SEARCH_INDEX||[];var root=document.body.getAttribute('data-root')||'';
var status=document.getElementById('search-status');if(status){status.textContent=idx.length+' pages indexed';status.setAttribute('data-count',idx.length);}
var tables=document.querySelectorAll('main table'),shown=0;for(var t=0;t<tables.length;t++){if(tables[t].offsetHeight>0)shown++;}document.body.setAttribute('data-tables-rendered',shown);
var cur=document.querySelector('nav a.current');if(cur){var d=cur.closest('details');if(d)d.open=true;var nav=cur.closest('nav');nav.scrollTop=Math.max(0,cur.offsetTop-nav.clientHeight/2);}
var box=document.getElementById('search'),out=document.getElementById('results');if(!box||!out)return;
var PAGE=__PAGE__;
function score(e,words){var t=e.t.toLowerCase(),a=e.a.join(' ').toLowerCase(),s=e.s.toLowerCase(),last=t.slice(t.lastIndexOf('/')+1),n=0;
for(var i=0;i<words.length;i++){var w=words[i];
if(last===w)n+=1000;else if(last.indexOf(w)===0)n+=400;else if(t.indexOf(w)>=0)n+=100;else if(a.indexOf(w)>=0)n+=10;else if(s.indexOf(w)>=0)n+=1;else return 0;}
return n;}
function item(cls,text){var li=document.createElement('li');li.className=cls;li.textContent=text;return li;}
function show(limit){out.innerHTML='';out.removeAttribute('data-total');var q=box.value.trim().toLowerCase();if(q.length<2)return;
var words=q.split(/\s+/).filter(function(w){return w.length>0;});
var hits=[];for(var i=0;i<idx.length;i++){var sc=score(idx[i],words);if(sc>0)hits.push({e:idx[i],s:sc});}
hits.sort(function(x,y){return y.s-x.s||x.e.t.length-y.e.t.length||(x.e.t<y.e.t?-1:(x.e.t>y.e.t?1:0));});
out.setAttribute('data-total',hits.length);
out.appendChild(item('count',hits.length===0?'No page matches every word':(hits.length+(hits.length===1?' page matches':' pages match')+' every word')));
hits.slice(0,limit).forEach(function(h){var e=h.e;var li=document.createElement('li');li.className='hit';var a=document.createElement('a');a.href=root+e.p;a.textContent=e.t;var s=document.createElement('small');s.textContent=' '+e.s;a.appendChild(s);li.appendChild(a);out.appendChild(li);});
if(hits.length>limit){var li=item('more','');var b=document.createElement('button');b.type='button';b.textContent=(hits.length-limit)+' more: show all';b.addEventListener('click',function(){show(Infinity);});li.appendChild(b);out.appendChild(li);}}
box.addEventListener('input',function(){show(PAGE);});
})();"#;

/// How many search results are listed before the "more" button.
pub const SEARCH_PAGE: usize = 50;

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

/// One entry of the navigation list: a section group (with its members) or a section.
#[derive(Clone, Debug)]
struct NavNode {
    /// Shown text: the name below the parent group (`rewrite/`, `rules`).
    label: String,
    /// Full name, the tooltip.
    title: String,
    /// Page directory; empty when there is no page (a group without an overview page).
    dir: String,
    /// Groups and sections inside a group (empty for a section).
    children: Vec<NavNode>,
    group: bool,
}

/// The navigation list shared by all pages: every section, grouped by its top-level section
/// group (each a collapsible `<details>`; `system.webServer` first and open on the pages
/// outside other groups), nested groups listed with a link to their overview page. Each
/// page renders it with its own entry marked current (see [`render`]).
#[derive(Clone, Debug)]
pub struct Navigation {
    groups: Vec<NavNode>,
}

/// Builds the navigation list of `site`.
pub fn navigation(site: &Site) -> Navigation {
    let mut sections: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .collect();
    sections.sort_by(|a, b| listing_order(&a.title).cmp(&listing_order(&b.title)));
    let group_dir = |name: &str| {
        site.pages
            .iter()
            .find(|p| p.kind == PageKind::Group && p.schema_path == name)
            .map(|p| p.dir.clone())
            .unwrap_or_default()
    };
    let mut groups: Vec<NavNode> = Vec::new();
    for p in sections {
        let top = top_group(&p.title);
        if groups.last().is_none_or(|g| g.title != top) {
            groups.push(NavNode {
                label: if top.is_empty() {
                    "(no section group)".to_string()
                } else {
                    top.to_string()
                },
                title: top.to_string(),
                dir: if top.is_empty() {
                    String::new()
                } else {
                    group_dir(top)
                },
                children: Vec::new(),
                group: true,
            });
        }
        let Some(node) = groups.last_mut() else {
            continue;
        };
        let parts: Vec<&str> = p.title.split('/').collect();
        let skip = usize::from(!top.is_empty());
        let inner = parts.len().saturating_sub(1);
        let path: Vec<NavNode> = (skip..inner)
            .map(|depth| {
                let name = parts.get(..=depth).unwrap_or_default().join("/");
                NavNode {
                    label: format!("{}/", parts.get(depth).copied().unwrap_or_default()),
                    dir: group_dir(&name),
                    title: name,
                    children: Vec::new(),
                    group: true,
                }
            })
            .collect();
        let leaf = NavNode {
            label: parts.last().copied().unwrap_or_default().to_string(),
            title: p.title.clone(),
            dir: p.dir.clone(),
            children: Vec::new(),
            group: false,
        };
        insert(node, path, leaf);
    }
    Navigation { groups }
}

/// Adds `leaf` below `node`, inside the nested groups `path` (created when missing).
fn insert(node: &mut NavNode, mut path: Vec<NavNode>, leaf: NavNode) {
    if path.is_empty() {
        node.children.push(leaf);
        return;
    }
    let first = path.remove(0);
    let at = match node
        .children
        .iter()
        .position(|c| c.group && c.title == first.title)
    {
        Some(at) => at,
        None => {
            node.children.push(first);
            node.children.len() - 1
        }
    };
    if let Some(next) = node.children.get_mut(at) {
        insert(next, path, leaf);
    }
}

impl Navigation {
    /// The `<nav>` element for a page `prefix` below the root whose own entry is `current`
    /// (a page directory).
    fn html(&self, prefix: &str, current: &str) -> String {
        let open_group = self
            .groups
            .iter()
            .find(|g| contains(g, current))
            .map_or(FIRST_GROUP, |g| g.title.as_str());
        let mut out = String::from("<nav>");
        for g in &self.groups {
            let open = if g.title == open_group { " open" } else { "" };
            out.push_str(&format!(
                "<details class=\"group\"{open}><summary>{}</summary><ul>",
                esc(&g.label)
            ));
            if !g.dir.is_empty() {
                out.push_str(&format!(
                    "<li class=\"subgroup\">{}</li>",
                    nav_link(
                        prefix,
                        &g.dir,
                        "Group overview",
                        &format!("{}: every section of the group", g.title),
                        current
                    )
                ));
            }
            for c in &g.children {
                nav_item(&mut out, c, prefix, current);
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</nav>");
        out
    }
}

fn contains(node: &NavNode, dir: &str) -> bool {
    (!node.dir.is_empty() && node.dir == dir) || node.children.iter().any(|c| contains(c, dir))
}

fn nav_link(prefix: &str, dir: &str, label: &str, title: &str, current: &str) -> String {
    let mark = if dir == current {
        " class=\"current\" aria-current=\"page\""
    } else {
        ""
    };
    format!(
        "<a href=\"{}\" title=\"{}\"{mark}>{}</a>",
        href(prefix, dir),
        esc(title),
        esc(label)
    )
}

fn nav_item(out: &mut String, node: &NavNode, prefix: &str, current: &str) {
    if !node.group {
        out.push_str(&format!(
            "<li>{}</li>",
            nav_link(prefix, &node.dir, &node.label, &node.title, current)
        ));
        return;
    }
    out.push_str("<li class=\"subgroup\">");
    if node.dir.is_empty() {
        out.push_str(&format!(
            "<span title=\"{}\">{}</span>",
            esc(&node.title),
            esc(&node.label)
        ));
    } else {
        out.push_str(&nav_link(
            prefix,
            &node.dir,
            &node.label,
            &node.title,
            current,
        ));
    }
    out.push_str("<ul>");
    for c in &node.children {
        nav_item(out, c, prefix, current);
    }
    out.push_str("</ul></li>");
}

/// The HTML text of one page; `nav` comes from [`navigation`]. The page's entry in the
/// navigation (its section, or its group for a group page) is marked current.
pub fn render(page: &Page, nav: &Navigation) -> String {
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
<script src=\"{prefix}assets/search-index.js\"></script>\n<script>{search_js}</script>\n</body></html>\n",
        title = esc(&page.title),
        search_js = SEARCH_JS.replace("__PAGE__", &SEARCH_PAGE.to_string()),
        nav = nav.html(&prefix, &page.nav_dir),
    )
}
