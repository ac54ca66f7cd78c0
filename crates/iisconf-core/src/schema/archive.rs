//! The compiled form of the embedded fact files. build.rs reads each file of
//! [`EMBEDDED_SCHEMA`](super::EMBEDDED_SCHEMA) with the loader and writes what it read here
//! (postcard, a compact serde format): the binary then decodes the sections instead of
//! parsing XML at start-up.
//!
//! An archive is the list of (file name, encoded [`LoadedFile`]), so that a file of a module
//! not chosen is never decoded. A decoded file has no warnings (the registry drops those of
//! the embedded files) and gets its validators built again from each attribute's validation
//! type and parameter, as the loader builds them.

use super::load::LoadedFile;
use super::model::ElementSchema;
use serde::{Deserialize, Serialize};

/// The archive's layout: each file's name (as in `EMBEDDED_SCHEMA`) and its encoded
/// [`LoadedFile`].
#[derive(Serialize, Deserialize)]
struct Layout<'a> {
    #[serde(borrow)]
    files: Vec<(&'a str, &'a [u8])>,
}

/// An archive opened for decoding its files one at a time.
pub(super) struct Archive<'a> {
    files: Vec<(&'a str, &'a [u8])>,
}

/// Writes the archive of `files` (name, what the loader read).
// The library only decodes: build.rs and the tests encode.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn encode(files: &[(&str, LoadedFile)]) -> Result<Vec<u8>, postcard::Error> {
    let mut encoded = Vec::new();
    for (name, loaded) in files {
        encoded.push((*name, postcard::to_allocvec(loaded)?));
    }
    let layout = Layout {
        files: encoded
            .iter()
            .map(|(name, bytes)| (*name, bytes.as_slice()))
            .collect(),
    };
    postcard::to_allocvec(&layout)
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
        self.files.iter().map(|(name, _)| *name)
    }

    /// Decodes the file called `name`: `None` when the archive has no such file.
    pub(super) fn file(&self, name: &str) -> Option<Result<LoadedFile, postcard::Error>> {
        let (_, bytes) = self.files.iter().find(|(n, _)| *n == name)?;
        Some(postcard::from_bytes(bytes).map(|mut loaded: LoadedFile| {
            for section in &mut loaded.sections {
                restore_validators(&mut section.root);
            }
            loaded
        }))
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
