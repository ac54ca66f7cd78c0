//! The text a document is parsed from: decoded into memory, or a read-only mapping of a
//! large file (the one place of the crate that needs `unsafe`, for `memmap2`).
#![allow(unsafe_code)]

use crate::encoding::{self, TextEncoding};
use crate::{parse, Document, ParseError};

/// Files at least this large are mapped into memory rather than read (see
/// [`Document::load`]).
pub(crate) const MAP_AT_LEAST: u64 = 1 << 20;

/// The text a document was parsed from.
#[derive(Debug)]
pub(crate) enum Text {
    /// Decoded into memory.
    Owned(String),
    /// A read-only mapping of a file whose bytes were checked to be UTF-8 when it was parsed.
    Mapped(memmap2::Mmap),
}

impl Text {
    /// The text as a string.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Owned(text) => text,
            // SAFETY: a Mapped text is only built from bytes that `std::str::from_utf8`
            // accepted (see `Document::load`), and the mapping is read-only.
            Text::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
        }
    }
}

impl Document {
    /// Reads and parses the file at `path` like [`Document::from_vec`]. On Unix, a large UTF-8
    /// file is mapped into memory instead of read: its text then takes no memory of its own (it
    /// stays in the system's file cache) and is not copied. The file must not be changed by
    /// another program while the document is alive; editing through this document and
    /// writing the result elsewhere or over it (by rename) is fine.
    ///
    /// The outer error is an I/O error; the inner one says why the text is not accepted.
    pub fn load(path: &std::path::Path) -> std::io::Result<Result<Document, ParseError>> {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        let read = |mut file: std::fs::File| -> std::io::Result<Result<Document, ParseError>> {
            let mut bytes = Vec::with_capacity(len as usize);
            file.read_to_end(&mut bytes)?;
            Ok(Document::from_vec(bytes))
        };
        // Windows refuses to replace a file while a mapping of it is open, which would stop
        // an edit from writing the file it read: there, files are always read.
        if len < MAP_AT_LEAST || cfg!(not(unix)) {
            return read(file);
        }
        // SAFETY: the mapping is read-only and private; what a concurrent change to the file
        // would do to it is the caller's contract above. The bytes are checked to be UTF-8
        // before they become a `Text::Mapped`.
        let map = match unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            Ok(map) => map,
            // A file system that cannot map files: read it.
            Err(_) => return read(file),
        };
        Ok(match encoding::utf8_bom(&map) {
            Some(bom) if std::str::from_utf8(&map).is_ok() => {
                let checked = if bom {
                    Ok(())
                } else {
                    encoding::reject_utf16_without_bom(&map)
                };
                checked.and_then(|()| {
                    parse::build(
                        Text::Mapped(map),
                        if bom { 3 } else { 0 },
                        TextEncoding::Utf8 { bom },
                    )
                })
            }
            // UTF-16, or not valid: decoded into memory, or refused with the position.
            _ => Document::parse(&map),
        })
    }
}
