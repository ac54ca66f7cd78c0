//! Builds the page model from the registry: an index, then one page per section, element
//! and collection entry, each with its overview, attributes, child elements, collection
//! directives, methods, a configuration sample and `iisconf set` / appcmd examples.

use super::facts;
use super::model::{Block, Inline, Line, NoteKind, Page, PageKind, Site};
use super::sample;
use crate::generate::writer::{first_sentence, XmlWriter};
use crate::generate::{file_name, Declarations, StockDeclaration};
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
        /// Attributes that pick the sample's entry out of the collection: its key
        /// attributes, or every attribute it sets when the collection has no key.
        key: Vec<(String, String)>,
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
    /// The section's page directory.
    section_dir: String,
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
    let mut group_names: Vec<String> = sections
        .iter()
        .flat_map(|(s, _)| enclosing_groups(&s.name))
        .collect();
    group_names.sort_by(|a, b| group_order(a).cmp(&group_order(b)));
    group_names.dedup();
    let groups: Vec<(String, String)> = group_names
        .into_iter()
        .map(|g| {
            let dir = b.reserve(&g);
            (g, dir)
        })
        .collect();
    let group_crumbs = |name: &str| -> Vec<(String, String)> {
        let mut crumbs = vec![("Index".to_string(), String::new())];
        for g in enclosing_groups(name) {
            if let Some((_, dir)) = groups.iter().find(|(n, _)| *n == g) {
                crumbs.push((g, dir.clone()));
            }
        }
        crumbs
    };
    for (section, dir) in &sections {
        let ctx = Ctx {
            section,
            declaration: declarations.get(&section.name),
            path: section.name.clone(),
            steps: Vec::new(),
            runtime: section.root.extension.is_some(),
            provider: section.root.extension.clone(),
            breadcrumbs: group_crumbs(&section.name),
            dir: dir.clone(),
            section_dir: dir.clone(),
        };
        b.walk(ctx, &section.root, PageKind::Section, None);
    }
    let index = b.index(&sections, &groups, &declarations);
    let mut pages = vec![index];
    for (name, dir) in &groups {
        pages.push(b.group_page(
            name,
            dir,
            &sections,
            &groups,
            &declarations,
            group_crumbs(name),
        ));
    }
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

/// The section groups that enclose a section or group, outermost first:
/// `system.webServer/rewrite/rules` gives `system.webServer` and `system.webServer/rewrite`.
pub(crate) fn enclosing_groups(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split('/').collect();
    (1..parts.len())
        .filter_map(|n| parts.get(..n).map(|p| p.join("/")))
        .collect()
}

/// The order section groups are listed in: [`FIRST_GROUP`] and the groups inside it first,
/// each group before the groups inside it.
fn group_order(group: &str) -> (bool, &str, &str) {
    let top = group.split('/').next().unwrap_or(group);
    (top != FIRST_GROUP, top, group)
}

/// The order sections are listed in: [`FIRST_GROUP`] first, then the other groups and
/// sections by name.
pub(crate) fn listing_order(section: &str) -> (bool, &str, &str) {
    let group = top_group(section);
    (group != FIRST_GROUP, group, section)
}

/// A table of sections: name, declaration, description.
fn sections_table(rows: Vec<Vec<Line>>) -> Block {
    Block::Table {
        id: "sections".to_string(),
        header: vec![
            "Section".to_string(),
            "Declaration".to_string(),
            "Description".to_string(),
        ],
        rows,
    }
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

    fn index(
        &self,
        sections: &[(&SectionSchema, String)],
        groups: &[(String, String)],
        declarations: &Declarations,
    ) -> Page {
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
                let mut links: Line = Vec::new();
                for (name, dir) in groups
                    .iter()
                    .filter(|(n, _)| !group.is_empty() && top_group(&format!("{n}/")) == group)
                {
                    links.push(text(if links.is_empty() {
                        "Group overview: "
                    } else {
                        ", "
                    }));
                    links.push(link(name, dir, true));
                }
                if !links.is_empty() {
                    links.push(text("."));
                    blocks.push(Block::Paragraph(links));
                }
                blocks.push(sections_table(std::mem::take(rows)));
            }
        };
        for (section, dir) in &sections {
            let g = top_group(&section.name).to_string();
            if g != group {
                flush(&mut blocks, &group, &mut rows);
                group = g;
            }
            rows.push(self.section_row(section, dir, declarations));
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
            nav_dir: String::new(),
            blocks,
        }
    }

    /// A row of a sections table: the section, its declaration and its description.
    fn section_row(
        &self,
        section: &SectionSchema,
        dir: &str,
        declarations: &Declarations,
    ) -> Vec<Line> {
        let decl = declarations.get(&section.name);
        vec![
            vec![link(&section.name, dir, true)],
            vec![text(declaration_summary(&decl))],
            vec![text(
                self.description(&section.name)
                    .map(first_sentence)
                    .unwrap_or("")
                    .to_string(),
            )],
        ]
    }

    /// The overview page of section group `name`: the sections inside it (at any depth)
    /// and its nested groups.
    fn group_page(
        &self,
        name: &str,
        dir: &str,
        sections: &[(&SectionSchema, String)],
        groups: &[(String, String)],
        declarations: &Declarations,
        breadcrumbs: Vec<(String, String)>,
    ) -> Page {
        let inside = |n: &str| n.strip_prefix(name).is_some_and(|r| r.starts_with('/'));
        let mut members: Vec<&(&SectionSchema, String)> =
            sections.iter().filter(|(s, _)| inside(&s.name)).collect();
        members.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let nested: Vec<&(String, String)> = groups.iter().filter(|(g, _)| inside(g)).collect();
        let element = name.rsplit('/').next().unwrap_or(name);
        let mut blocks = vec![heading(2, "Overview")];
        let mut intro = vec![
            text("Section group "),
            code(name),
            text(", written as "),
            code(format!("<{element}>")),
            text(" inside "),
            code(group_tags(name)),
            text(format!(
                ". A section group holds no settings of its own: it only gathers {} section{}{}, each declared, set and locked on its own.",
                members.len(),
                if members.len() == 1 { "" } else { "s" },
                if nested.is_empty() {
                    String::new()
                } else {
                    format!(" (in {} nested group{})", nested.len(), if nested.len() == 1 { "" } else { "s" })
                }
            )),
        ];
        if let Some(d) = self.description(name) {
            intro.insert(0, text(format!("{d} ")));
        }
        blocks.push(Block::Paragraph(intro));
        if !nested.is_empty() {
            blocks.push(heading(2, "Nested groups"));
            blocks.push(Block::List(
                nested
                    .iter()
                    .map(|(g, d)| {
                        let count = sections
                            .iter()
                            .filter(|(s, _)| s.name.starts_with(&format!("{g}/")))
                            .count();
                        vec![
                            link(g.as_str(), d, true),
                            text(format!(
                                ": {count} section{}",
                                if count == 1 { "" } else { "s" }
                            )),
                        ]
                    })
                    .collect(),
            ));
        }
        blocks.push(heading(2, "Sections"));
        blocks.push(sections_table(
            members
                .iter()
                .map(|(s, d)| self.section_row(s, d, declarations))
                .collect(),
        ));
        let names: Vec<&str> = members
            .iter()
            .map(|(s, _)| s.name.rsplit('/').next().unwrap_or(&s.name))
            .collect();
        Page {
            dir: dir.to_string(),
            title: name.to_string(),
            kind: PageKind::Group,
            schema_path: name.to_string(),
            summary: format!(
                "Section group of {} section{}: {}",
                members.len(),
                if members.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            attributes: Vec::new(),
            runtime: false,
            breadcrumbs,
            nav_dir: dir.to_string(),
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
            let entry_path = format!("{}/{}", ctx.path, c.entry.name);
            let first = sample::entries(&entry_path, c)
                .into_iter()
                .next()
                .unwrap_or_default();
            let keys = c.key_attributes();
            let mut key: Vec<(String, String)> = first
                .iter()
                .filter(|(n, _)| keys.iter().any(|k| k.name == *n))
                .cloned()
                .collect();
            if key.is_empty() {
                key = first;
            }
            steps.push(Step::Entry {
                name: c.entry.name.clone(),
                key,
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
        self.sample_blocks(ctx, element, kind, entries, &mut blocks);

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
            nav_dir: ctx.section_dir.clone(),
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
                let section_dir = ctx.section_dir.clone();
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
        kind: PageKind,
        entries: &[(&'r CollectionSchema, String)],
        blocks: &mut Vec<Block>,
    ) {
        blocks.push(heading(2, "Configuration sample"));
        if ctx.runtime {
            blocks.push(Block::Paragraph(vec![text("None: runtime data never appears in a configuration file. Programs read it at run time through the IIS configuration API (for example Microsoft.Web.Administration or the IIS PowerShell provider), which asks the extension provider for the current values.")]));
        } else {
            let (sample, what) = self.sample(ctx, element, kind);
            blocks.push(Block::Paragraph(rich(&what)));
            blocks.push(Block::Code {
                lang: "xml".to_string(),
                text: sample,
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

    /// The configuration sample of a page and a sentence saying what it shows: the element
    /// inside its section groups and parents, with example values (hand-written for the
    /// headline sections, else a non-default value of one attribute, and for a collection
    /// entry its key and required attributes) and example entries in its collections.
    fn sample(&self, ctx: &Ctx<'r>, element: &ElementSchema, kind: PageKind) -> (String, String) {
        let mut w = XmlWriter::with_newline("\n");
        let groups: Vec<&str> = ctx.section.name.split('/').collect();
        let mut open: Vec<(String, Vec<(String, String)>)> = groups
            .iter()
            .take(groups.len().saturating_sub(1))
            .map(|s| (s.to_string(), Vec::new()))
            .collect();
        if !ctx.steps.is_empty() {
            open.push((ctx.section.element_name().to_string(), Vec::new()));
            for s in ctx.steps.iter().take(ctx.steps.len() - 1) {
                open.push(match s {
                    Step::Element(n) => (n.clone(), Vec::new()),
                    Step::Entry { name, key } => (name.clone(), key.clone()),
                });
            }
        }
        for (name, attrs) in &open {
            w.start(name, attrs);
        }
        let hand = sample::hand_written(&ctx.path);
        let mut what = Vec::new();
        let attrs: Vec<(String, String)> = if let Some(set) = hand.first() {
            what.push("example values for its attributes".to_string());
            let mut values: Vec<(String, String)> = set
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            if kind == PageKind::CollectionEntry {
                for (n, v) in sample::entry_values(element) {
                    if !values.iter().any(|(m, _)| *m == n) {
                        values.push((n, v));
                    }
                }
            }
            values
        } else if kind == PageKind::CollectionEntry {
            let set = sample::entry_values(element);
            if !set.is_empty() {
                what.push("example values for the entry's key and required attributes".to_string());
            }
            set
        } else {
            match sample::setting(&ctx.path, element, false) {
                Some((a, v)) => {
                    what.push(format!(
                        "`{}` set to `{v}` (a value other than its default)",
                        a.name
                    ));
                    vec![(a.name.clone(), v)]
                }
                None => Vec::new(),
            }
        };
        let before = w.depth();
        let mut body = XmlWriter::with_newline("\n");
        body.set_depth(before);
        sample::write(&mut body, &ctx.path, &element.name, element, &attrs, 0);
        let body = body.finish();
        if body.lines().count() > 1 && !element.collections.is_empty() {
            what.push("example entries in its collections".to_string());
        } else if body.lines().count() > 1 {
            what.push("example entries in the collections of its child elements".to_string());
        }
        sample::write(&mut w, &ctx.path, &element.name, element, &attrs, 0);
        for (name, _) in open.iter().rev() {
            w.end(name);
        }
        let sentence = if what.is_empty() {
            "A sample with nothing set: every attribute keeps the default listed above.".to_string()
        } else {
            format!(
                "A sample with {}; attributes not shown keep the defaults listed above.",
                what.join(" and ")
            )
        };
        (w.finish(), sentence)
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
        let entry = matches!(ctx.steps.last(), Some(Step::Entry { .. }));
        if let Some((a, d)) = sample::setting(&ctx.path, element, entry) {
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
            // cmd.exe splits at spaces outside quotes: a selector with a space is quoted whole.
            let argument = if target.contains(' ') {
                format!("\"/{target}:{d}\"")
            } else {
                format!("/{target}:\"{d}\"")
            };
            appcmd.push(format!(
                "appcmd.exe set config{appcmd_path} -section:{} {argument}{appcmd_commit}",
                ctx.section.name
            ));
        }
        for (c, _) in entries {
            if c.entry.extension.is_some() {
                continue;
            }
            let entry_path = format!("{}/{}", ctx.path, c.entry.name);
            let Some(set) = sample::entries(&entry_path, c).into_iter().next() else {
                continue;
            };
            let entry = format!("[{}]", selector(&set));
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
            "With iisconf (values in IIS syntax; the names and values are examples to replace with yours){}:",
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

/// `name='a',value='b'`: attribute values in appcmd's selector notation (a quote doubled).
fn selector(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(n, v)| format!("{n}='{}'", v.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(",")
}

/// appcmd's notation for the steps: `[name='NAME'].bindings`.
fn render_steps(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Element(n) => n.clone(),
            Step::Entry { key, .. } if key.is_empty() => "[key='KEY']".to_string(),
            Step::Entry { key, .. } => format!("[{}]", selector(key)),
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
