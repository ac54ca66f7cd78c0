//! The text a document is parsed from, and reading it from a file.
//!
//! A file is always read into memory, never mapped: a mapping shares its bytes with the
//! file, so another program's edit would change a document under our feet (and hide the
//! change from a writer comparing what it read with what is on disk), and a file truncated
//! while mapped kills the reader with SIGBUS. Read into memory, what was read stays what
//! was read, and a file that shrinks or grows while it is read is just shorter or longer
//! text.

use crate::{Document, ParseError};

/// The text a document was parsed from, owned by the document (shared by its clones).
#[derive(Debug)]
pub(crate) struct Text(pub(crate) String);

impl Text {
    /// The text as a string.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Document {
    /// Reads the file at `path` into memory and parses it like [`Document::from_vec`] (UTF-8
    /// text becomes the document's text without a second copy).
    ///
    /// The outer error is an I/O error; the inner one says why the text is not accepted.
    pub fn load(path: &std::path::Path) -> std::io::Result<Result<Document, ParseError>> {
        use std::io::Read;
        let mut file = std::fs::File::open(path)?;
        // The length is a hint for the buffer only: a file that changes size while it is
        // read gives what `read_to_end` finds.
        let hint = file.metadata().map_or(0, |m| m.len());
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(usize::try_from(hint).unwrap_or(0).saturating_add(1))?;
        file.read_to_end(&mut bytes)?;
        Ok(Document::from_vec(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loaded_document_keeps_what_was_read_when_the_file_changes() {
        let dir = std::env::temp_dir().join(format!("iisconf-xml-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.config");
        let big = format!("<a>{}</a>", "<b x=\"1\"/>".repeat(200_000));
        std::fs::write(&path, &big).unwrap();
        let doc = Document::load(&path).unwrap().unwrap();
        // Truncated and rewritten in place: the document's text is its own.
        std::fs::write(&path, "<a/>").unwrap();
        assert_eq!(doc.source(), big);
        assert_eq!(doc.to_text(), big);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
