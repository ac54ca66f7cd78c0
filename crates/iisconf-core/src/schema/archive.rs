//! The compiled form of the embedded fact files. build.rs reads each file of
//! [`EMBEDDED_SCHEMA`](super::EMBEDDED_SCHEMA) with the loader and writes what it read here
//! (postcard, a compact serde format): the binary then decodes sections instead of parsing
//! XML at start-up.
//!
//! Each file keeps its counts and its section fragments, every fragment encoded on its own,
//! so that the registry decodes a section only when it is first asked for. A decoded fragment
//! gets its validators built again from each attribute's validation type and parameter, as
//! the loader builds them; the files' warnings are not kept (the registry drops those of the
//! embedded files).

use super::load::{LoadedFile, SchemaStats};
use super::model::{ElementSchema, SectionSchema};
use serde::{Deserialize, Serialize};

/// The archive's layout: the files in `EMBEDDED_SCHEMA` order.
#[derive(Serialize, Deserialize)]
struct Layout<'a> {
    #[serde(borrow)]
    files: Vec<CompiledFile<'a>>,
}

/// One file of the archive.
#[derive(Serialize, Deserialize)]
pub(super) struct CompiledFile<'a> {
    /// Its name in `EMBEDDED_SCHEMA`.
    pub name: &'a str,
    /// What it declares.
    pub stats: SchemaStats,
    /// Its section fragments in file order: (section name, encoded [`SectionSchema`]).
    #[serde(borrow)]
    pub sections: Vec<(&'a str, &'a [u8])>,
}

/// An opened archive.
pub(super) struct Archive<'a> {
    files: Vec<CompiledFile<'a>>,
}

/// Writes the archive of `files` (name, what the loader read).
// The library only decodes: build.rs and the tests encode.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn encode(files: &[(&str, LoadedFile)]) -> Result<Vec<u8>, postcard::Error> {
    let mut encoded = Vec::new();
    for (name, loaded) in files {
        let mut sections = Vec::new();
        for section in &loaded.sections {
            sections.push((section.name.as_str(), postcard::to_allocvec(section)?));
        }
        encoded.push((*name, loaded.stats, sections));
    }
    let layout = Layout {
        files: encoded
            .iter()
            .map(|(name, stats, sections)| CompiledFile {
                name,
                stats: *stats,
                sections: sections
                    .iter()
                    .map(|(section, bytes)| (*section, bytes.as_slice()))
                    .collect(),
            })
            .collect(),
    };
    postcard::to_allocvec(&layout)
}

/// Decodes one section fragment of a [`CompiledFile`].
pub(super) fn decode_section(bytes: &[u8]) -> Result<SectionSchema, postcard::Error> {
    let mut section: SectionSchema = postcard::from_bytes(bytes)?;
    restore_validators(&mut section.root);
    Ok(section)
}

impl<'a> Archive<'a> {
    /// Reads the list of files of an archive `encode` wrote.
    pub(super) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, postcard::Error> {
        let layout: Layout<'a> = postcard::from_bytes(bytes)?;
        Ok(Archive {
            files: layout.files,
        })
    }

    /// The names of the files, in archive order.
    #[cfg(test)]
    pub(super) fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.files.iter().map(|f| f.name)
    }

    /// The file called `name`, its sections not decoded.
    pub(super) fn file(&self, name: &str) -> Option<&CompiledFile<'a>> {
        self.files.iter().find(|f| f.name == name)
    }
}

impl CompiledFile<'_> {
    /// Decodes every section of the file.
    pub(super) fn decode(&self) -> Result<LoadedFile, postcard::Error> {
        let sections = self
            .sections
            .iter()
            .map(|(_, bytes)| decode_section(bytes))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LoadedFile {
            sections,
            stats: self.stats,
            warnings: Vec::new(),
        })
    }
}

/// Builds the validators of every attribute below `element`, which the archive leaves out.
fn restore_validators(element: &mut ElementSchema) {
    for a in &mut element.attributes {
        a.validator = a.parse_validator().and_then(Result::ok);
    }
    for e in &mut element.elements {
        restore_validators(e);
    }
    for c in &mut element.collections {
        restore_validators(&mut c.entry);
    }
    for m in &mut element.methods {
        for e in [&mut m.input, &mut m.output].into_iter().flatten() {
            restore_validators(e);
        }
    }
}
