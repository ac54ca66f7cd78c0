//! The hierarchy a document is read in, for questions about effective values and locks:
//! the workspace's hierarchy when it holds the document's current text, else one built
//! for the document alone (a web.config under the stock declarations, an
//! applicationHost.config with its own sites).

use crate::scan::Open;
use crate::server::{Doc, State};
use crate::workspace::Tree;
use iisconf_core::config::{ConfigFile, FileKind};
use iisconf_core::engine::{paths, FileId, Hierarchy, Options};
use std::path::Path;

/// A document's hierarchy: shared with the workspace, or its own.
pub enum DocHierarchy<'s> {
    /// The workspace's hierarchy, and the document's file in it.
    Shared(&'s Tree, FileId),
    /// A hierarchy built for this document (kept with it until it changes), and its file
    /// in it.
    Own(&'s Hierarchy, FileId),
}

/// A hierarchy built for one document alone, and the document's file in it.
pub type OwnHierarchy = Option<(Box<Hierarchy>, FileId)>;

impl DocHierarchy<'_> {
    /// The hierarchy and the document's file.
    pub fn get(&self) -> (&Hierarchy, FileId) {
        match self {
            DocHierarchy::Shared(tree, id) => (&tree.hierarchy, *id),
            DocHierarchy::Own(h, id) => (h, *id),
        }
    }

    /// The config path of a place of the document: the file's level, joined with the path
    /// of the `<location>` tag among `stack` (the open elements around the place).
    pub fn config_path(&self, stack: &[Open]) -> String {
        let (h, id) = self.get();
        let level = h.level_of(id);
        let location = stack
            .iter()
            .find(|o| o.tag.name == "location")
            .and_then(|o| o.tag.attr("path"))
            .map(|a| iisconf_core::config::normalize_path(&a.value))
            .unwrap_or_default();
        paths::join(level, &location)
    }
}

/// The hierarchy `doc` (at `path`) is read in; `None` when its text does not parse.
pub fn hierarchy_for<'s>(state: &'s State, path: &Path, doc: &'s Doc) -> Option<DocHierarchy<'s>> {
    let text = doc.text.as_str();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Some(tree) = state.workspace.tree() {
        if let Some(id) = tree.file_of(path) {
            if tree.file(id).is_some_and(|f| f.doc.source() == text) {
                return Some(DocHierarchy::Shared(tree, id));
            }
        }
    }
    let own = doc.own.get_or_init(|| build(state, path, text)).as_ref()?;
    Some(DocHierarchy::Own(&own.0, own.1))
}

/// The hierarchy of `text` (the document at `path`) alone.
fn build(state: &State, path: &Path, text: &str) -> OwnHierarchy {
    let file = ConfigFile::parse(&path.display().to_string(), text.as_bytes()).ok()?;
    let registry = state.workspace.registry.clone();
    if file.kind() == FileKind::AppHost {
        let options = Options {
            apphost: Some(path.to_path_buf()),
            ..Options::default()
        };
        let h = Hierarchy::from_apphost(registry, file, &options);
        return Some((Box::new(h), FileId::APPHOST));
    }
    let h = Hierarchy::standalone(registry, file);
    Some((Box::new(h), FileId::new(1)))
}
