//! The text a document is parsed from, and reading it from a file.
//!
//! A file is always read into memory, never mapped: a mapping shares its bytes with the
//! file, so another program's edit would change a document under our feet (and hide the
//! change from a writer comparing what it read with what is on disk), and a file truncated
//! while mapped kills the reader with SIGBUS. Read into memory, what was read stays what
//! was read, and a file that shrinks or grows while it is read is just shorter or longer
//! text.

use crate::{Decoded, Document, ParseError};

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
    ///
    /// A large file is read and parsed with huge memory pages allowed when the process asks
    /// for it (see [`crate::pages`]).
    pub fn load(path: &std::path::Path) -> std::io::Result<Result<Document, ParseError>> {
        let (file, hint) = open(path)?;
        crate::pages::loading(hint as u64, || {
            Ok(Document::from_vec(read_open(file, hint)?))
        })
    }
}

impl Decoded {
    /// Reads the file at `path` into memory and decodes it, as [`Document::load`] does before
    /// it parses (with the same page policy), for a caller that parses it later (see
    /// [`Document::from_decoded_like`]). The errors are [`Document::load`]'s.
    pub fn load(path: &std::path::Path) -> std::io::Result<Result<Decoded, ParseError>> {
        let (file, hint) = open(path)?;
        crate::pages::loading(hint as u64, || {
            Ok(Decoded::from_vec(read_open(file, hint)?))
        })
    }
}

/// The bytes of the file at `path`, as [`Document::load`] reads them: a large file's two
/// halves at once, on the pool.
pub fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let (file, hint) = open(path)?;
    read_open(file, hint)
}

/// The file at `path`, open, and its length: a hint for the buffer only, since a file that
/// changes size while it is read gives what the reads find.
fn open(path: &std::path::Path) -> std::io::Result<(std::fs::File, usize)> {
    let file = std::fs::File::open(path)?;
    let hint = usize::try_from(file.metadata().map_or(0, |m| m.len())).unwrap_or(0);
    Ok((file, hint))
}

/// The bytes of `file`, open, about `hint` long (see [`read_file`]).
fn read_open(mut file: std::fs::File, hint: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Beyond 4 GiB the parser refuses the text anyway; such a file is read as any other.
    let mut bytes = if (READ_IN_HALVES_FROM..u32::MAX as usize).contains(&hint) {
        read_in_halves(&file, hint)?
    } else {
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(hint.saturating_add(1))?;
        bytes
    };
    // The rest (all of a small file; whatever a large one grew by).
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// From which size a file's two halves are read at the same time, each on a thread of the
/// pool (copying a large file out of the page cache is one core's work otherwise).
const READ_IN_HALVES_FROM: usize = 8 << 20;

/// Reads the first `len` bytes of `file` in two halves at once, and leaves the file's
/// position after what was read. A file that shrank meanwhile gives what was there: the
/// bytes up to the first short read.
#[cfg(unix)]
fn read_in_halves(file: &std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::fs::FileExt;
    // Zeroed memory from the system, touched by the reads rather than written here (the
    // allocator knows fresh pages are zero).
    let mut bytes = vec![0u8; len];
    let mid = len / 2;
    let (first, second) = bytes.split_at_mut(mid);
    let read_all = |buf: &mut [u8], offset: usize| -> std::io::Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            match file.read_at(&mut buf[done..], (offset + done) as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    };
    let (a, b) = crate::parallel::join(|| read_all(first, 0), || read_all(second, mid));
    let (a, b) = (a?, b?);
    let kept = if a < mid { a } else { mid + b };
    bytes.truncate(kept);
    let mut file = file;
    file.seek(SeekFrom::Start(kept as u64))?;
    Ok(bytes)
}

/// Elsewhere a file is read in one go.
#[cfg(not(unix))]
fn read_in_halves(_file: &std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len.saturating_add(1))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_read_whole_in_halves() {
        let dir = std::env::temp_dir().join(format!("iisconf-xml-halves-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.config");
        let mut big = String::from("<a>");
        let mut i = 0;
        while big.len() < READ_IN_HALVES_FROM + 12_345 {
            big.push_str(&format!("<b x=\"{i}\"/>\n"));
            i += 1;
        }
        big.push_str("</a>");
        std::fs::write(&path, &big).unwrap();
        let doc = Document::load(&path).unwrap().unwrap();
        assert_eq!(doc.source(), big);
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
