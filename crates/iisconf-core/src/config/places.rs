//! The places of a configuration file that edits go to: the containers that hold a
//! location's settings (the root element for the file's own level, the location tags with
//! that path), the section element in them (found, or created in a container of a given
//! lock mode), locking a section for a path, and pruning what an edit emptied.
//!
//! The file keeps track of what these operations change, so it can answer from its location
//! tags as read while no tag was added or removed (a large file is not scanned), and tell
//! the hierarchy whether it must be read again whole ([`ConfigFile::reshaped`]).

use super::{is_normalized, normalize_path, ConfigFile, OverrideMode};
use iisconf_xml::{Document, NodeId, NodeKind};

/// An edit of a file's places that cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// The document has no root element to hold settings.
    #[error("the file has no root element")]
    NoRoot,
    /// A configSource file holds one section at its own level, not this one.
    #[error("a configSource file holds only its own section, not {0}")]
    NotInSource(String),
    /// The document refused an edit.
    #[error(transparent)]
    Xml(#[from] iisconf_xml::DocumentEditError),
}

impl ConfigFile {
    /// Whether elements that may hold sections were removed, or a location tag changed,
    /// since the file was read: what was derived from it must be read again whole.
    pub fn reshaped(&self) -> bool {
        self.reshaped
    }

    /// The containers that hold the settings of `location` (a location path; `""` for the
    /// file's own level): the root element for the file's own level, and every location
    /// tag with that path, in document order.
    pub fn containers(&self, location: &str) -> Vec<NodeId> {
        let Some(root) = self.root() else {
            return Vec::new();
        };
        let want = normalize_path(location);
        let mut out = Vec::new();
        if want.is_empty() {
            out.push(root);
        }
        if self.tags_as_read {
            // The tags with this path are known: no pass over every tag.
            out.extend(
                self.locations
                    .iter()
                    .filter(|l| l.path.len() == want.len() && l.path.eq_ignore_ascii_case(&want))
                    .filter_map(|l| l.node),
            );
        } else {
            out.extend(
                self.doc
                    .child_elements(root)
                    .filter(|c| self.doc.name(*c) == "location")
                    .filter(|c| location_is(&self.doc, *c, &want)),
            );
        }
        out
    }

    /// Every element of `section` the file was read with for `location`: more than one is
    /// a duplicate section, which IIS refuses to load.
    pub fn written_instances(&self, location: &str, section: &str) -> Vec<NodeId> {
        let want = normalize_path(location);
        self.sections
            .iter()
            .filter(|s| *s.name == *section)
            .filter(|s| {
                self.locations
                    .get(s.location)
                    .is_some_and(|l| l.path.eq_ignore_ascii_case(&want))
            })
            .map(|s| s.node)
            .collect()
    }

    /// The section element `section` (e.g. `system.webServer/asp`) for `location`, and the
    /// container holding it.
    pub fn find_section(&self, location: &str, section: &str) -> Option<(NodeId, NodeId)> {
        if let Some(source) = &self.section_source {
            // A configSource file: its root is the section, for its one level.
            let root = self.root()?;
            return (**source == *section && normalize_path(location).is_empty())
                .then_some((root, root));
        }
        self.containers(location)
            .into_iter()
            .find_map(|c| find_section_in(&self.doc, c, section).map(|s| (c, s)))
    }

    /// The section element `section` for `location`, created if missing: in the root
    /// element (the file's own level, mode `Inherit`) or a location tag with lock mode
    /// `mode` (reused, else created after the last location tag), with its groups.
    pub fn ensure_section(
        &mut self,
        location: &str,
        section: &str,
        mode: OverrideMode,
    ) -> Result<NodeId, PlaceError> {
        if let Some((_, s)) = self.find_section(location, section) {
            return Ok(s);
        }
        if self.section_source.is_some() {
            // A configSource file holds its one section and nothing else.
            return Err(PlaceError::NotInSource(section.to_string()));
        }
        let path = normalize_path(location);
        let container = if path.is_empty() && mode == OverrideMode::Inherit {
            self.root().ok_or(PlaceError::NoRoot)?
        } else {
            self.location_tag(&path, mode)?
        };
        let parts = section_parts(section);
        let Some((first, rest)) = parts.split_first() else {
            return Ok(container);
        };
        let doc = &mut self.doc;
        let top = match doc.child_element(container, first) {
            Some(t) => t,
            None if Some(container) == doc.root_element() => {
                // A new top-level group goes before the first location tag.
                let index = doc
                    .child_elements(container)
                    .position(|c| doc.name(c) == "location")
                    .unwrap_or(usize::MAX);
                doc.insert_element(container, index, first, &[])?
            }
            None => doc.append_element(container, first, &[])?,
        };
        Ok(doc.ensure_path(top, rest)?)
    }

    /// Removes `node`, then every ancestor the removal left empty: attribute-less group
    /// elements and location tags with nothing inside (never the root).
    pub fn remove_and_prune(&mut self, node: NodeId) -> Result<(), PlaceError> {
        let parent = self.doc.parent(node);
        self.doc.remove_element(node)?;
        self.reshaped = true;
        let Some(mut node) = parent else {
            return Ok(());
        };
        let root = self.doc.root_element();
        while Some(node) != root
            && self.doc.kind(node) == NodeKind::Element
            && is_empty(&self.doc, node)
        {
            let is_location = self.doc.parent(node) == root && self.doc.name(node) == "location";
            if !is_location && self.doc.attributes(node).next().is_some() {
                break;
            }
            let parent = self.doc.parent(node);
            self.doc.remove_element(node)?;
            if is_location {
                self.tags_as_read = false;
            }
            match parent {
                Some(p) => node = p,
                None => break,
            }
        }
        Ok(())
    }

    /// Locks (`Deny`) or unlocks (`Allow`) `section` for config path `path`: the location
    /// tag holding it gets that mode when it holds nothing else, else the section moves to
    /// a tag of that mode (an empty section element is written when there is none).
    /// Whether the file changed.
    pub fn lock_section(
        &mut self,
        path: &str,
        section: &str,
        mode: OverrideMode,
    ) -> Result<bool, PlaceError> {
        let root = self.root().ok_or(PlaceError::NoRoot)?;
        let Some((container, node)) = self.find_section(path, section) else {
            self.ensure_section(path, section, mode)?;
            self.reshaped = true;
            return Ok(true);
        };
        if container != root {
            if tag_mode(&self.doc, container) == mode {
                return Ok(false);
            }
            if holds_only(&self.doc, container, section) {
                self.doc
                    .set_attribute(container, "overrideMode", mode_name(mode))?;
                self.doc.remove_attribute(container, "allowOverride")?;
                self.reshaped = true;
                return Ok(true);
            }
        }
        // Move the section into a tag of the wanted mode.
        let tag = self.location_tag(&normalize_path(path), mode)?;
        let parts = section_parts(section);
        let groups = parts.get(..parts.len().saturating_sub(1)).unwrap_or(&[]);
        let parent = self.doc.ensure_path(tag, groups)?;
        copy_element(&mut self.doc, node, parent)?;
        self.remove_and_prune(node)?;
        Ok(true)
    }

    /// A location tag for (normalised) `path` with lock mode `mode`, reused or created
    /// after the last location tag (or at the end of the root element).
    fn location_tag(&mut self, path: &str, mode: OverrideMode) -> Result<NodeId, PlaceError> {
        let root = self.root().ok_or(PlaceError::NoRoot)?;
        let mut attrs = vec![("path", path)];
        if mode != OverrideMode::Inherit {
            attrs.push(("overrideMode", mode_name(mode)));
        }
        if self.tags_as_read {
            let reuse = self
                .containers(path)
                .into_iter()
                .find(|t| *t != root && tag_mode(&self.doc, *t) == mode);
            if let Some(tag) = reuse {
                return Ok(tag);
            }
            let last = self.locations.iter().rev().find_map(|l| l.node);
            self.tags_as_read = false;
            if let Some(last) = last {
                return Ok(self.doc.insert_element_after(last, "location", &attrs)?);
            }
            return Ok(self
                .doc
                .insert_element(root, usize::MAX, "location", &attrs)?);
        }
        // One pass: a tag to reuse, else the place after the last location tag.
        let mut after_last = None;
        for (i, c) in self.doc.child_elements(root).enumerate() {
            if self.doc.name(c) != "location" {
                continue;
            }
            if location_is(&self.doc, c, path) && tag_mode(&self.doc, c) == mode {
                return Ok(c);
            }
            after_last = Some(i + 1);
        }
        let index = after_last.unwrap_or(usize::MAX);
        Ok(self.doc.insert_element(root, index, "location", &attrs)?)
    }
}

/// The attribute value of a lock mode.
fn mode_name(mode: OverrideMode) -> &'static str {
    match mode {
        OverrideMode::Allow => "Allow",
        OverrideMode::Deny => "Deny",
        OverrideMode::Inherit => "Inherit",
    }
}

/// The lock mode a location tag writes (`overrideMode`, else the legacy `allowOverride`).
fn tag_mode(doc: &Document, tag: NodeId) -> OverrideMode {
    if let Some(m) = doc.attribute_value(tag, "overrideMode") {
        if m.eq_ignore_ascii_case("deny") {
            return OverrideMode::Deny;
        }
        if m.eq_ignore_ascii_case("allow") {
            return OverrideMode::Allow;
        }
        return OverrideMode::Inherit;
    }
    match doc.attribute_value(tag, "allowOverride") {
        Some(v) if v.trim().eq_ignore_ascii_case("false") => OverrideMode::Deny,
        Some(_) => OverrideMode::Allow,
        None => OverrideMode::Inherit,
    }
}

/// Whether location tag `tag` has the (normalised) path `want`; most tags are told apart
/// without normalising their path.
fn location_is(doc: &Document, tag: NodeId, want: &str) -> bool {
    let Some(written) = doc.attribute_value(tag, "path") else {
        return want.is_empty();
    };
    let written = written.trim();
    // Normalising only drops characters: a shorter path cannot match.
    if written.len() < want.len() {
        return false;
    }
    if is_normalized(written) {
        return written.eq_ignore_ascii_case(want);
    }
    normalize_path(written).eq_ignore_ascii_case(want)
}

/// The element names of a section path.
fn section_parts(section: &str) -> Vec<&str> {
    section.split('/').filter(|s| !s.is_empty()).collect()
}

/// The section element below `container`.
fn find_section_in(doc: &Document, container: NodeId, section: &str) -> Option<NodeId> {
    let mut cur = container;
    for part in section_parts(section) {
        cur = doc.child_element(cur, part)?;
    }
    Some(cur)
}

/// Whether `node` holds nothing but whitespace.
fn is_empty(doc: &Document, node: NodeId) -> bool {
    doc.children(node)
        .all(|c| doc.kind(c) == NodeKind::Text && doc.raw_text(c).trim().is_empty())
}

/// Whether the location tag holds only this section (one element on each level).
fn holds_only(doc: &Document, tag: NodeId, section: &str) -> bool {
    let mut cur = tag;
    for part in section_parts(section) {
        let mut children = doc.child_elements(cur);
        match (children.next(), children.next()) {
            (Some(only), None) if doc.name(only) == part => cur = only,
            _ => return false,
        }
    }
    true
}

/// Copies an element (name, attributes, child elements) as the last child of `parent`.
fn copy_element(doc: &mut Document, src: NodeId, parent: NodeId) -> Result<NodeId, PlaceError> {
    let name = doc.name(src).to_string();
    let attrs: Vec<(String, String)> = doc
        .attributes(src)
        .map(|a| (a.name.to_string(), a.value().into_owned()))
        .collect();
    let refs: Vec<(&str, &str)> = attrs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let new = doc.append_element(parent, &name, &refs)?;
    let children: Vec<NodeId> = doc.child_elements(src).collect();
    for c in children {
        copy_element(doc, c, new)?;
    }
    Ok(new)
}
