//! Renders the page model as Markdown (GitHub flavour): `DIR/index.md` per page.

use super::model::{Block, Inline, NoteKind, Page};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '*' | '[' | ']' | '<' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn code_span(text: &str) -> String {
    let text = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn inline(i: &Inline, prefix: &str) -> String {
    match i {
        Inline::Text(t) => escape(t),
        Inline::Code(t) => code_span(t),
        Inline::Strong(t) => format!("**{}**", escape(t)),
        Inline::Link { text, dir, code } => {
            let shown = if *code { code_span(text) } else { escape(text) };
            format!("[{shown}]({})", target(prefix, dir))
        }
    }
}

fn target(prefix: &str, dir: &str) -> String {
    if dir.is_empty() {
        format!("{prefix}index.md")
    } else {
        format!("{prefix}{}/index.md", dir.replace(' ', "%20"))
    }
}

fn line(l: &[Inline], prefix: &str) -> String {
    l.iter().map(|i| inline(i, prefix)).collect()
}

/// The Markdown text of one page.
pub fn render(page: &Page) -> String {
    let prefix = page.root_prefix();
    let mut out = String::new();
    if !page.breadcrumbs.is_empty() {
        let crumbs: Vec<String> = page
            .breadcrumbs
            .iter()
            .map(|(t, d)| format!("[{}]({})", escape(t), target(&prefix, d)))
            .collect();
        out.push_str(&crumbs.join(" › "));
        out.push_str("\n\n");
    }
    out.push_str(&format!("# {}\n\n", escape(&page.title)));
    for b in &page.blocks {
        match b {
            Block::Heading { level, text, .. } => {
                out.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(*level)),
                    escape(text)
                ));
            }
            Block::Paragraph(l) => {
                out.push_str(&line(l, &prefix));
                out.push_str("\n\n");
            }
            Block::Note { kind, text } => {
                let label = match kind {
                    NoteKind::Runtime => "[!IMPORTANT]",
                    NoteKind::Locking => "[!NOTE]",
                };
                out.push_str(&format!("> {label}\n> {}\n\n", line(text, &prefix)));
            }
            Block::List(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", line(item, &prefix)));
                }
                out.push('\n');
            }
            Block::Table { header, rows, .. } => {
                out.push_str(&format!(
                    "| {} |\n",
                    header
                        .iter()
                        .map(|h| escape(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| line(c, &prefix)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Code { lang, text } => {
                let fence = if text.contains("```") { "~~~~" } else { "```" };
                out.push_str(&format!("{fence}{lang}\n{}\n{fence}\n\n", text.trim_end()));
            }
        }
    }
    out
}
