//! Builds the page model from the registry: an index, then one page per section, element
//! and collection entry, each with its overview, attributes, child elements, collection
//! directives, methods, a configuration sample and `iisconf set` / appcmd examples.

use super::facts;
use super::model::{Block, Inline, Line, NoteKind, Page, PageKind, Site};
use crate::generate::writer::{first_sentence, XmlWriter};
use crate::generate::{
    file_name, writable_default, write_element, Declarations, StockDeclaration, TemplateOptions,
};
use iisconf_core::schema::{
    AttributeSchema, CollectionSchema, ElementSchema, Registry, SectionSchema,
};
use std::collections::HashSet;

/// One step from the section element down: a named element or a collection entry.
#[derive(Clone, Debug)]
enum Step {
    Element(String),
    Entry {
        name: String,
        /// Key attribute names.
        keys: Vec<String>,
    },
}

/// Where the walker is.
#[derive(Clone)]
struct Ctx<'r> {
    section: &'r SectionSchema,
    declaration: StockDeclaration,
    /// Schema path of the current element.
    path: String,
    steps: Vec<Step>,
    runtime: bool,
    /// The extension (provider) of the nearest runtime element at or above this one.
    provider: Option<String>,
    breadcrumbs: Vec<(String, String)>,
    dir: String,
}

struct Builder<'r> {
    registry: &'r Registry,
    used: HashSet<String>,
    pages: Vec<Page>,
}

/// Text split at backticks: odd parts are code.
pub(crate) fn rich(text: &str) -> Line {
    text.split('`')
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| {
            if i % 2 == 1 {
                Inline::Code(s.to_string())
            } else {
                Inline::Text(s.to_string())
            }
        })
        .collect()
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn link(t: impl Into<String>, dir: &str, is_code: bool) -> Inline {
    Inline::Link {
        text: t.into(),
        dir: dir.to_string(),
        code: is_code,
    }
}

fn heading(level: u8, t: &str) -> Block {
    let id = t
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Block::Heading {
        level,
        text: t.to_string(),
        id,
    }
}

/// Builds every page for the loaded schema.
pub fn build_site(registry: &Registry) -> Site {
    let declarations = Declarations::stock();
    let mut b = Builder {
        registry,
        used: HashSet::new(),
        pages: Vec::new(),
    };
    b.used.insert(String::new());
    let mut sections = Vec::new();
    for section in registry.sections() {
        let dir = b.reserve(&section.name);
        sections.push((section, dir));
    }
    for (section, dir) in &sections {
        let ctx = Ctx {
            section,
            declaration: declarations.get(&section.name),
            path: section.name.clone(),
            steps: Vec::new(),
            runtime: section.root.extension.is_some(),
            provider: section.root.extension.clone(),
            breadcrumbs: vec![("Index".to_string(), String::new())],
            dir: dir.clone(),
        };
        b.walk(ctx, &section.root, PageKind::Section, None);
    }
    let index = b.index(&sections, &declarations);
    let mut pages = vec![index];
    pages.append(&mut b.pages);
    for page in &mut pages {
        drop_empty_description_columns(&mut page.blocks);
    }
    Site { pages }
}

/// The section group a page opens on first (the index and the navigation list it first).
pub(crate) const FIRST_GROUP: &str = "system.webServer";

/// A section's top-level group (`system.webServer`), or "" for a section outside groups.
pub(crate) fn top_group(section: &str) -> &str {
    section.split_once('/').map_or("", |(g, _)| g)
}

/// The order sections are listed in: [`FIRST_GROUP`] first, then the other groups and
/// sections by name.
pub(crate) fn listing_order(section: &str) -> (bool, &str, &str) {
    let group = top_group(section);
    (group != FIRST_GROUP, group, section)
}

/// Removes a table's "Description" column when no row has a description.
fn drop_empty_description_columns(blocks: &mut [Block]) {
    for block in blocks {
        let Block::Table { header, rows, .. } = block else {
            continue;
        };
        let Some(column) = header.iter().position(|h| h == "Description") else {
            continue;
        };
        let empty = |line: &Line| {
            line.iter()
                .all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()))
        };
        if rows.iter().all(|r| r.get(column).is_none_or(empty)) {
            header.remove(column);
            for row in rows.iter_mut() {
                if column < row.len() {
                    row.remove(column);
                }
            }
        }
    }
}

impl<'r> Builder<'r> {
    /// Reserves a page directory, unique even on case-insensitive file systems.
    fn reserve(&mut self, wanted: &str) -> String {
        let mut dir = wanted.to_string();
        let mut n = 2;
        while !self.used.insert(dir.to_ascii_lowercase()) {
            dir = format!("{wanted}~{n}");
            n += 1;
        }
        dir
    }

    fn description(&self, path: &str) -> Option<&'r str> {
        self.registry.description(path)
    }

    fn index(&self, sections: &[(&SectionSchema, String)], declarations: &Declarations) -> Page {
        let mut blocks = vec![Block::Paragraph(vec![text(format!(
            "Reference for the {} configuration sections of the loaded schema ({} schema files), generated by iisconf from the schema itself. Each section page lists its attributes, child elements and collections; runtime data that the server supplies is marked read-only.",
            sections.len(),
            self.registry.files().len()
        ))])];
        let mut sections = sections.to_vec();
        sections.sort_by(|a, b| listing_order(&a.0.name).cmp(&listing_order(&b.0.name)));
        let mut group = String::new();
        let mut rows = Vec::new();
        let flush = |blocks: &mut Vec<Block>, group: &str, rows: &mut Vec<Vec<Line>>| {
            if !rows.is_empty() {
                blocks.push(heading(
                    2,
                    if group.is_empty() {
                        "(no section group)"
                    } else {
                        group
                    },
                ));
                blocks.push(Block::Table {
                    id: "sections".to_string(),
                    header: vec![
                        "Section".to_string(),
                        "Declaration".to_string(),
                        "Description".to_string(),
                    ],
                    rows: std::mem::take(rows),
                });
            }
        };
        for (section, dir) in &sections {
            let g = top_group(&section.name).to_string();
            if g != group {
                flush(&mut blocks, &group, &mut rows);
                group = g;
            }
            let decl = declarations.get(&section.name);
            rows.push(vec![
                vec![link(&section.name, dir, true)],
                vec![text(declaration_summary(&decl))],
                vec![text(
                    self.description(&section.name)
                        .map(first_sentence)
                        .unwrap_or("")
                        .to_string(),
                )],
            ]);
        }
        flush(&mut blocks, &group, &mut rows);
        Page {
            dir: String::new(),
            title: "IIS configuration reference".to_string(),
            kind: PageKind::Index,
            schema_path: String::new(),
            summary: "Every section of the loaded schema".to_string(),
            attributes: Vec::new(),
            runtime: false,
            breadcrumbs: Vec::new(),
            blocks,
        }
    }

    fn walk(
        &mut self,
        ctx: Ctx<'r>,
        element: &'r ElementSchema,
        kind: PageKind,
        owner: Option<(&'r CollectionSchema, String)>,
    ) {
        // Reserve child pages first so this page can link to them.
        let mut children = Vec::new();
        for e in &element.elements {
            let dir = self.reserve(&format!("{}/{}", ctx.dir, e.name));
            children.push((e, dir));
        }
        let mut entries = Vec::new();
        for c in &element.collections {
            let dir = self.reserve(&format!("{}/{}", ctx.dir, c.entry.name));
            entries.push((c, dir));
        }
        let page = self.page(&ctx, element, kind, owner, &children, &entries);
        self.pages.push(page);
        let mut crumbs = ctx.breadcrumbs.clone();
        crumbs.push((display_name(&ctx, element), ctx.dir.clone()));
        for (e, dir) in children {
            let mut steps = ctx.steps.clone();
            steps.push(Step::Element(e.name.clone()));
            let child = Ctx {
                path: format!("{}/{}", ctx.path, e.name),
                steps,
                runtime: ctx.runtime || e.extension.is_some(),
                provider: e.extension.clone().or_else(|| ctx.provider.clone()),
                breadcrumbs: crumbs.clone(),
                dir,
                ..ctx.clone()
            };
            self.walk(child, e, PageKind::Element, None);
        }
        for (c, dir) in entries {
            let mut steps = ctx.steps.clone();
            steps.push(Step::Entry {
                name: c.entry.name.clone(),
                keys: c.key_attributes().iter().map(|a| a.name.clone()).collect(),
            });
            let child = Ctx {
                path: format!("{}/{}", ctx.path, c.entry.name),
                steps,
                runtime: ctx.runtime || c.entry.extension.is_some(),
                provider: c.entry.extension.clone().or_else(|| ctx.provider.clone()),
                breadcrumbs: crumbs.clone(),
                dir,
                ..ctx.clone()
            };
            self.walk(
                child,
                &c.entry,
                PageKind::CollectionEntry,
                Some((c, ctx.dir.clone())),
            );
        }
    }

    /// One page: its overview, then a section per kind of content, then the sample.
    fn page(
        &self,
        ctx: &Ctx<'r>,
        element: &'r ElementSchema,
        kind: PageKind,
        owner: Option<(&'r CollectionSchema, String)>,
        children: &[(&'r ElementSchema, String)],
        entries: &[(&'r CollectionSchema, String)],
    ) -> Page {
        let description = self.description(&ctx.path);
        let mut blocks = Vec::new();
        blocks.push(heading(2, "Overview"));
        blocks.push(overview_paragraph(description, element));
        blocks.push(Block::List(self.facts(ctx, element, kind, owner.as_ref())));
        blocks.extend(notice(ctx, element, kind));
        blocks.extend(self.attributes_table(ctx, element));
        blocks.extend(self.children_table(ctx, children));
        for (c, dir) in entries {
            blocks.extend(self.collection_blocks(c, dir));
        }
        blocks.extend(self.methods_table(ctx, element));
        self.sample_blocks(ctx, element, entries, &mut blocks);

        let summary = description
            .map(first_sentence)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Element <{}> of {}", element.name, ctx.section.name));
        Page {
            dir: ctx.dir.clone(),
            title: ctx.path.clone(),
            kind,
            schema_path: ctx.path.clone(),
            summary,
            attributes: element.attributes.iter().map(|a| a.name.clone()).collect(),
            runtime: ctx.runtime,
            breadcrumbs: ctx.breadcrumbs.clone(),
            blocks,
        }
    }

    /// The overview's facts: what the element is, where it sits, where the schema says it.
    fn facts(
        &self,
        ctx: &Ctx<'r>,
        element: &ElementSchema,
        kind: PageKind,
        owner: Option<&(&'r CollectionSchema, String)>,
    ) -> Vec<Line> {
        let mut facts: Vec<Line> = Vec::new();
        match kind {
            PageKind::Section => {
                facts.push(vec![
                    text("Section "),
                    code(&ctx.section.name),
                    text(", written as "),
                    code(format!("<{}>", element.name)),
                    text(" inside "),
                    code(group_tags(&ctx.section.name)),
                    text("."),
                ]);
                facts.push(vec![text(format!(
                    "Declaration in a stock applicationHost.config: {}.",
                    declaration_summary(&ctx.declaration)
                ))]);
            }
            _ => {
                let section_dir = ctx
                    .breadcrumbs
                    .get(1)
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default();
                facts.push(vec![
                    text("Element "),
                    code(format!("<{}>", element.name)),
                    text(" of section "),
                    link(&ctx.section.name, &section_dir, true),
                    text("."),
                ]);
                if let Some((parent_name, parent_dir)) = ctx.breadcrumbs.last() {
                    facts.push(vec![
                        text("Parent element: "),
                        link(parent_name, parent_dir, true),
                        text("."),
                    ]);
                }
            }
        }
        if let Some((c, owner_dir)) = owner {
            facts.push(vec![
                text("A collection entry: each "),
                code(format!("<{}>", c.add_elements.join("> or <"))),
                text(" adds one entry to the collection of "),
                link("the parent element", owner_dir, false),
                text("."),
            ]);
        }
        if element.is_collection_default {
            facts.push(vec![text("Holds the defaults that the entries of a collection take when they do not set an attribute themselves.")]);
        }
        let sources: Vec<String> = ctx
            .section
            .sources
            .iter()
            .map(|s| file_name(s).to_string())
            .collect();
        facts.push(vec![
            text("Schema: "),
            code(format!(
                "{}:{}",
                file_name(&element.origin.file),
                element.origin.line
            )),
            text(format!(" (section defined in {}).", sources.join(", "))),
        ]);
        facts
    }

    /// The "Attributes" table, when the element has attributes.
    fn attributes_table(&self, ctx: &Ctx<'r>, element: &ElementSchema) -> Vec<Block> {
        if element.attributes.is_empty() {
            return Vec::new();
        }
        let rows = element
            .attributes
            .iter()
            .map(|a| self.attribute_row(ctx, a))
            .collect();
        vec![
            heading(2, "Attributes"),
            Block::Table {
                id: "attributes".to_string(),
                header: [
                    "Attribute",
                    "Type",
                    "Default",
                    "Allowed values",
                    "Required",
                    "Description",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
                rows,
            },
        ]
    }

    /// The "Child elements" table, when there are child elements.
    fn children_table(
        &self,
        ctx: &Ctx<'r>,
        children: &[(&'r ElementSchema, String)],
    ) -> Vec<Block> {
        let mut blocks = Vec::new();
        if !children.is_empty() {
            blocks.push(heading(2, "Child elements"));
            let rows = children
                .iter()
                .map(|(e, dir)| {
                    let path = format!("{}/{}", ctx.path, e.name);
                    let mut d = self
                        .description(&path)
                        .map(first_sentence)
                        .unwrap_or("")
                        .to_string();
                    if e.extension.is_some() {
                        d = format!("Runtime data (read-only). {d}");
                    }
                    vec![
                        vec![link(format!("<{}>", e.name), dir, true)],
                        vec![text(d.trim().to_string())],
                    ]
                })
                .collect();
            blocks.push(Block::Table {
                id: "children".to_string(),
                header: vec!["Element".to_string(), "Description".to_string()],
                rows,
            });
        }

        blocks
    }

    /// A "Collection" section: what the collection holds and its directives.
    fn collection_blocks(&self, c: &CollectionSchema, dir: &str) -> Vec<Block> {
        let mut blocks = Vec::new();
        blocks.push(heading(2, "Collection"));
        blocks.push(Block::Paragraph(self.collection_text(c)));
        let keys: Vec<String> = c.key_attributes().iter().map(|a| a.name.clone()).collect();
        let mut rows = Vec::new();
        for add in &c.add_elements {
            rows.push(vec![
                vec![text("add")],
                vec![link(format!("<{add}>"), dir, true)],
                vec![text(
                    "Adds an entry. Its attributes are listed on the entry's page.",
                )],
            ]);
        }
        if let Some(r) = &c.remove_element {
            rows.push(vec![
                vec![text("remove")],
                vec![code(format!("<{r}>"))],
                vec![text(format!(
                    "Takes out one entry inherited from a parent level, named by its key ({}).",
                    if keys.is_empty() {
                        "no key".to_string()
                    } else {
                        keys.join(", ")
                    }
                ))],
            ]);
        }
        if let Some(cl) = &c.clear_element {
            rows.push(vec![
                vec![text("clear")],
                vec![code(format!("<{cl} />"))],
                vec![text("Takes out every entry inherited from parent levels.")],
            ]);
        }
        blocks.push(Block::Table {
            id: "collection".to_string(),
            header: vec![
                "Directive".to_string(),
                "Element".to_string(),
                "Meaning".to_string(),
            ],
            rows,
        });
        blocks
    }

    /// The "Methods" table, when the element has methods.
    fn methods_table(&self, ctx: &Ctx<'r>, element: &ElementSchema) -> Vec<Block> {
        let mut blocks = Vec::new();
        if !element.methods.is_empty() {
            blocks.push(heading(2, "Methods"));
            let rows = element
                .methods
                .iter()
                .map(|m| {
                    let d = self
                        .description(&format!("{}#{}", ctx.path, m.name))
                        .unwrap_or("")
                        .to_string();
                    let params = |e: &Option<ElementSchema>| -> String {
                        match e {
                            Some(e) if !e.attributes.is_empty() => e
                                .attributes
                                .iter()
                                .map(|a| format!("{} ({})", a.name, a.kind.schema_name()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            _ => "none".to_string(),
                        }
                    };
                    vec![
                        vec![code(&m.name)],
                        vec![text(d)],
                        vec![text(params(&m.input))],
                        vec![text(params(&m.output))],
                        vec![text(m.extension.clone().unwrap_or_default())],
                    ]
                })
                .collect();
            blocks.push(Block::Table {
                id: "methods".to_string(),
                header: ["Method", "Description", "Parameters", "Returns", "Provider"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                rows,
            });
        }

        blocks
    }

    /// The configuration sample and the examples (or why runtime data has none).
    fn sample_blocks(
        &self,
        ctx: &Ctx<'r>,
        element: &ElementSchema,
        entries: &[(&'r CollectionSchema, String)],
        blocks: &mut Vec<Block>,
    ) {
        blocks.push(heading(2, "Configuration sample"));
        if ctx.runtime {
            blocks.push(Block::Paragraph(vec![text("None: runtime data never appears in a configuration file. Programs read it at run time through the IIS configuration API (for example Microsoft.Web.Administration or the IIS PowerShell provider), which asks the extension provider for the current values.")]));
        } else {
            blocks.push(Block::Paragraph(vec![text("Every attribute below is at its schema default, so this sample changes nothing; edit the values you need. Collections are shown empty.")]));
            blocks.push(Block::Code {
                lang: "xml".to_string(),
                text: self.sample(ctx, element),
            });
            self.examples(ctx, element, entries, blocks);
        }
    }

    fn attribute_row(&self, ctx: &Ctx<'r>, a: &AttributeSchema) -> Vec<Line> {
        let mut desc = self
            .description(&format!("{}@{}", ctx.path, a.name))
            .unwrap_or("")
            .to_string();
        for n in facts::notes(a) {
            desc.push(' ');
            desc.push_str(n);
        }
        if a.extension.is_some() || ctx.runtime {
            desc = format!("Runtime, read-only. {desc}");
        }
        let default = match &a.default_value {
            Some(d) if d.is_empty() => vec![text("empty string")],
            Some(d) => vec![code(d)],
            None => vec![text("none")],
        };
        vec![
            vec![code(&a.name)],
            vec![text(facts::type_label(a))],
            default,
            rich(&facts::allowed_values(a)),
            vec![text(facts::required_label(a))],
            vec![text(desc.trim().to_string())],
        ]
    }

    fn collection_text(&self, c: &CollectionSchema) -> Line {
        let keys = c.key_attributes();
        let mut line = vec![
            text("This element holds a collection of "),
            code(format!("<{}>", c.add_elements.join("> or <"))),
            text(" entries. "),
        ];
        if keys.is_empty() {
            line.push(text("Entries have no key attribute. "));
        } else if keys.iter().any(|a| a.is_unique_key) {
            line.push(text("Each entry is identified by "));
            line.push(code(
                keys.iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            line.push(text(if keys.len() > 1 {
                " (each one unique). "
            } else {
                ". "
            }));
        } else {
            line.push(text("Each entry is identified by the combination of "));
            line.push(code(
                keys.iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" + "),
            ));
            line.push(text(". "));
        }
        if c.allow_duplicates {
            line.push(text("Entries with equal keys are allowed. "));
        }
        line.push(text(if c.merge_append {
            "Entries added at a lower level (a site, an application) come after the inherited ones."
        } else {
            "Entries added at a lower level come before the inherited ones (mergeAppend=false)."
        }));
        if let Some(d) = &c.default_element {
            line.push(text(" Entries take unset attributes from "));
            line.push(code(format!("<{d}>")));
            line.push(text("."));
        }
        line
    }

    fn sample(&self, ctx: &Ctx<'r>, element: &ElementSchema) -> String {
        let mut w = XmlWriter::with_newline("\n");
        let groups: Vec<&str> = ctx.section.name.split('/').collect();
        let mut open: Vec<String> = groups
            .iter()
            .take(groups.len().saturating_sub(1))
            .map(|s| s.to_string())
            .collect();
        if !ctx.steps.is_empty() {
            open.push(ctx.section.element_name().to_string());
            for s in ctx.steps.iter().take(ctx.steps.len() - 1) {
                open.push(match s {
                    Step::Element(n) | Step::Entry { name: n, .. } => n.clone(),
                });
            }
        }
        for name in &open {
            w.start(name, &[]);
        }
        let options = TemplateOptions {
            element_comments: false,
            attribute_comments: false,
            wrap_in_parents: false,
            header: false,
        };
        write_element(&mut w, self.registry, &ctx.path, element, &options);
        for name in open.iter().rev() {
            w.end(name);
        }
        w.finish()
    }

    fn examples(
        &self,
        ctx: &Ctx<'r>,
        element: &ElementSchema,
        entries: &[(&'r CollectionSchema, String)],
        blocks: &mut Vec<Block>,
    ) {
        let apphost_only = ctx.declaration.is_apphost_only();
        let commit = ctx.declaration.is_locked() || apphost_only;
        let (path, appcmd_path) = if apphost_only {
            ("MACHINE/WEBROOT/APPHOST", String::new())
        } else {
            ("\"Default Web Site\"", " \"Default Web Site\"".to_string())
        };
        let commit_flag = if commit { " --commit apphost" } else { "" };
        let appcmd_commit = if commit { " /commit:apphost" } else { "" };
        let prefix = render_steps(&ctx.steps);
        let mut iis = Vec::new();
        let mut appcmd = Vec::new();
        let example = element
            .attributes
            .iter()
            .filter(|a| a.extension.is_none() && !a.is_key())
            .find_map(|a| writable_default(a).map(|d| (a, d)));
        if let Some((a, d)) = example {
            let target = if prefix.is_empty() {
                a.name.clone()
            } else {
                format!("{prefix}.{}", a.name)
            };
            iis.push(format!(
                "iisconf set {path} {} {}{commit_flag}",
                ctx.section.name,
                sh_quote(&format!("{target}={d}"))
            ));
            appcmd.push(format!(
                "appcmd.exe set config{appcmd_path} -section:{} /{target}:\"{d}\"{appcmd_commit}",
                ctx.section.name
            ));
        }
        for (c, _) in entries {
            if c.entry.extension.is_some() {
                continue;
            }
            let attrs: Vec<String> = c
                .entry
                .attributes
                .iter()
                .filter(|a| (a.is_key() || a.required) && a.extension.is_none())
                .map(|a| format!("{}='{}'", a.name, placeholder(a)))
                .collect();
            let entry = format!("[{}]", attrs.join(","));
            let iis_target = format!("{prefix}{entry}");
            let appcmd_target = if prefix.is_empty() {
                entry.clone()
            } else {
                format!("{prefix}.{entry}")
            };
            iis.push(format!(
                "iisconf set {path} {} {}{commit_flag}",
                ctx.section.name,
                sh_quote(&format!("+{iis_target}"))
            ));
            appcmd.push(format!(
                "appcmd.exe set config{appcmd_path} -section:{} /+\"{appcmd_target}\"{appcmd_commit}",
                ctx.section.name
            ));
        }
        if iis.is_empty() {
            return;
        }
        blocks.push(heading(2, "Setting it"));
        blocks.push(Block::Paragraph(vec![text(format!(
            "With iisconf (values in IIS syntax; placeholders in capitals){}:",
            if commit {
                "; the change goes to applicationHost.config because the section is locked or AppHostOnly"
            } else {
                ""
            }
        ))]));
        blocks.push(Block::Code {
            lang: "sh".to_string(),
            text: iis.join("\n"),
        });
        blocks.push(Block::Paragraph(vec![text(
            "The same with appcmd on a Windows server:",
        )]));
        blocks.push(Block::Code {
            lang: "bat".to_string(),
            text: appcmd.join("\n"),
        });
    }
}

/// The overview's first paragraph: the description, or a note that there is none.
fn overview_paragraph(description: Option<&str>, element: &ElementSchema) -> Block {
    match description {
        Some(d) => Block::Paragraph(vec![text(d)]),
        None => Block::Paragraph(rich(&format!(
            "The `<{}>` element has no description in the loaded schema; the facts below come from the schema itself.",
            element.name
        ))),
    }
}

/// The note under the overview: runtime data, or a section locked or apphost-only by
/// default.
fn notice(ctx: &Ctx, element: &ElementSchema, kind: PageKind) -> Option<Block> {
    if ctx.runtime {
        let provider = element
            .extension
            .clone()
            .or_else(|| ctx.provider.clone())
            .unwrap_or_else(|| "unknown".to_string());
        return Some(Block::Note {
            kind: NoteKind::Runtime,
            text: vec![
                Inline::Strong("Read-only runtime data.".to_string()),
                text(" The server supplies this element while it runs (extension "),
                code(provider),
                text("). It is never stored in or read from a configuration file, so it cannot be configured: it can only be listed at run time and, where methods are listed below, acted on."),
            ],
        });
    }
    let declaration = &ctx.declaration;
    if kind != PageKind::Section || !(declaration.is_locked() || declaration.is_apphost_only()) {
        return None;
    }
    let t = if declaration.is_apphost_only() {
        "This section may only be set in applicationHost.config (allowDefinition=AppHostOnly)."
    } else {
        "This section is locked by default (overrideModeDefault=Deny): a web.config cannot set it unless applicationHost.config unlocks it. Set per-site values in a <location path=\"Site\"> of applicationHost.config (commit target apphost)."
    };
    Some(Block::Note {
        kind: NoteKind::Locking,
        text: vec![text(t)],
    })
}

/// Quotes a word for a POSIX shell with double quotes (escaping `\`, `"`, `$` and backquote).
fn sh_quote(word: &str) -> String {
    let mut out = String::from("\"");
    for c in word.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A placeholder value for an example: the default when there is one, else the name in capitals.
fn placeholder(a: &AttributeSchema) -> String {
    writable_default(a)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| a.name.to_ascii_uppercase())
}

/// appcmd's notation for the steps: `[name='NAME'].bindings`.
fn render_steps(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Element(n) => n.clone(),
            Step::Entry { keys, .. } => {
                let first = keys.first().cloned().unwrap_or_else(|| "key".to_string());
                format!("[{first}='{}']", first.to_ascii_uppercase())
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn display_name(ctx: &Ctx, element: &ElementSchema) -> String {
    if ctx.steps.is_empty() {
        ctx.section.name.clone()
    } else {
        format!("<{}>", element.name)
    }
}

fn group_tags(section: &str) -> String {
    let groups: Vec<&str> = section.split('/').collect();
    let tags: Vec<String> = groups
        .iter()
        .take(groups.len().saturating_sub(1))
        .map(|g| format!("<{g}>"))
        .collect();
    if tags.is_empty() {
        "<configuration>".to_string()
    } else {
        tags.join("")
    }
}

/// `overrideModeDefault=Deny, allowDefinition=AppHostOnly` in words.
pub(crate) fn declaration_summary(d: &StockDeclaration) -> String {
    let mut parts = vec![format!(
        "overrideModeDefault={}",
        d.override_mode_default().unwrap_or("Allow")
    )];
    parts.push(format!(
        "allowDefinition={}",
        d.allow_definition().unwrap_or("Everywhere")
    ));
    if let Some(l) = d.allow_location() {
        parts.push(format!("allowLocation={l}"));
    }
    let origin = match d.source {
        crate::generate::DeclarationSource::Default => " (not in a stock file; iisconf's default)",
        _ => "",
    };
    format!("{}{origin}", parts.join(", "))
}
