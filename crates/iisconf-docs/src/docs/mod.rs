//! Schema documentation export: Markdown pages, a static HTML site, an XML Schema (XSD) and
//! the schema model as JSON.
//!
//! Markdown and HTML share one intermediate page model ([`model`]), built once from the
//! registry ([`build_site`]) and rendered twice. Descriptions come from the registry (the
//! project's own words); every other fact comes from the schema itself.

mod build;
mod facts;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
mod sample;
pub mod xsd;

pub use build::build_site;
pub use model::{Block, Inline, Page, PageKind, Site};

use iisconf_core::schema::Registry;
use std::path::{Path, PathBuf};

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocsFormat {
    /// `DIR/index.md` and `DIR/<section path>/…/index.md`.
    Markdown,
    /// The same pages as HTML with navigation and search.
    Html,
    /// `DIR/configuration.xsd`.
    Xsd,
    /// `DIR/schema.json`.
    Json,
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Files written.
    pub files: usize,
    /// Pages (Markdown/HTML) among them.
    pub pages: usize,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A file or folder could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The JSON export failed to serialize.
    #[error("cannot serialize the schema as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn write(path: &Path, text: &str) -> Result<(), DocsError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| DocsError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| DocsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn page_file(out: &Path, page: &Page, ext: &str) -> PathBuf {
    let mut p = out.to_path_buf();
    for part in page.dir.split('/').filter(|s| !s.is_empty()) {
        p.push(part);
    }
    p.push(format!("index.{ext}"));
    p
}

/// Writes the documentation of `registry` in `format` under `out` (created if missing;
/// files of an earlier export are overwritten).
pub fn export(
    registry: &Registry,
    format: DocsFormat,
    out: &Path,
) -> Result<ExportSummary, DocsError> {
    let mut summary = ExportSummary::default();
    match format {
        DocsFormat::Markdown => {
            let site = build_site(registry);
            for page in &site.pages {
                write(&page_file(out, page, "md"), &markdown::render(page))?;
                summary.pages += 1;
            }
            summary.files = summary.pages;
        }
        DocsFormat::Html => {
            let site = build_site(registry);
            let nav = html::navigation(&site);
            for page in &site.pages {
                write(&page_file(out, page, "html"), &html::render(page, &nav))?;
                summary.pages += 1;
            }
            let index = html::search_index(&site);
            write(&out.join("assets").join("style.css"), html::STYLE)?;
            write(&out.join("assets").join("search-index.json"), &index)?;
            write(
                &out.join("assets").join("search-index.js"),
                &format!("window.IISCONF_SEARCH_INDEX = {index};\n"),
            )?;
            summary.files = summary.pages + 3;
        }
        DocsFormat::Xsd => {
            write(&out.join("configuration.xsd"), &xsd::render(registry))?;
            summary.files = 1;
        }
        DocsFormat::Json => {
            write(&out.join("schema.json"), &json::render(registry)?)?;
            summary.files = 1;
        }
    }
    Ok(summary)
}
