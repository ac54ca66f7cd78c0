//! The intermediate page model: one [`Page`] per section and per element, made of
//! [`Block`]s and [`Inline`]s, rendered to Markdown and to HTML by separate renderers.

use serde::Serialize;

/// A run of text inside a block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code: names, values, paths.
    Code(String),
    /// Emphasised text.
    Strong(String),
    /// A link to another page, by its directory (see [`Page::dir`]).
    Link {
        /// The text shown.
        text: String,
        /// The target page's directory.
        dir: String,
        /// Whether the text is code.
        code: bool,
    },
}

/// A line of inlines.
pub type Line = Vec<Inline>;

/// What a note box is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NoteKind {
    /// Runtime (extension) data: read-only.
    Runtime,
    /// Where the section may be set.
    Locking,
}

/// A block of a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Block {
    /// A heading (level 2 or 3; the page title is level 1).
    Heading {
        /// 2 or 3.
        level: u8,
        /// Text.
        text: String,
        /// Anchor id.
        id: String,
    },
    /// A paragraph.
    Paragraph(Line),
    /// A highlighted note.
    Note {
        /// What it is about.
        kind: NoteKind,
        /// Its text.
        text: Line,
    },
    /// A bulleted list.
    List(Vec<Line>),
    /// A table.
    Table {
        /// Anchor id / CSS class.
        id: String,
        /// Column titles.
        header: Vec<String>,
        /// Cells.
        rows: Vec<Vec<Line>>,
    },
    /// A code block.
    Code {
        /// Language: `xml`, `sh`, `bat`.
        lang: String,
        /// The code.
        text: String,
    },
}

/// What a page documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PageKind {
    /// The index of all sections.
    Index,
    /// A section group (`system.webServer/rewrite`): its sections and nested groups.
    Group,
    /// A section.
    Section,
    /// A child element.
    Element,
    /// A collection entry (an add directive).
    CollectionEntry,
}

/// One documentation page.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    /// Directory relative to the output root (`system.webServer/asp/session`; empty for the
    /// index). The page is `DIR/index.md` / `DIR/index.html`.
    pub dir: String,
    /// Title (the schema path).
    pub title: String,
    /// What it documents.
    pub kind: PageKind,
    /// The schema path (`SECTION/element…`).
    pub schema_path: String,
    /// One-sentence summary for the index and search.
    pub summary: String,
    /// Attribute names, for search.
    pub attributes: Vec<String>,
    /// Whether it documents runtime data.
    pub runtime: bool,
    /// Links from the index down to the parent: (text, dir).
    pub breadcrumbs: Vec<(String, String)>,
    /// The directory of the page that stands for this one in a navigation list: the
    /// section's page for a section and every element below it, the page itself for a
    /// group, empty for the index.
    pub nav_dir: String,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Page {
    /// How many directory levels below the root the page is.
    pub fn depth(&self) -> usize {
        if self.dir.is_empty() {
            0
        } else {
            self.dir.split('/').count()
        }
    }

    /// The relative prefix from this page to the output root (`../../`).
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.depth())
    }
}

/// Every page of an export, the index first.
#[derive(Clone, Debug, Serialize)]
pub struct Site {
    /// The pages.
    pub pages: Vec<Page>,
}

impl Site {
    /// The page whose schema path is `path`.
    pub fn page(&self, path: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.schema_path == path)
    }
}
