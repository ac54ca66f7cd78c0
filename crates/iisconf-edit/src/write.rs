//! Commits write through the workspace's one write path, [`iisconf_core::atomic_file`]:
//! locked, compared with what was read just before the rename, backed up, atomic, keeping
//! owner, mode and links.

use super::EditError;
use iisconf_core::atomic_file::{self, Expected, FileWrite};
use std::path::PathBuf;

/// How a commit writes files: [`atomic_file::WriteOptions`] (backups, lock timeout, hard
/// links), built from its default.
pub type CommitOptions = atomic_file::WriteOptions;

/// A file a commit wrote.
pub use atomic_file::Written;

/// One file to write: where, what it held when read (`None`: a new file), the new bytes.
pub(super) struct Pending<'a> {
    pub path: PathBuf,
    pub original: Option<Original<'a>>,
    pub bytes: Vec<u8>,
}

/// What a file held when it was read.
pub(super) struct Original<'a> {
    /// The decoded text (no byte-order mark) and its encoding.
    pub text: &'a str,
    pub encoding: iisconf_xml::TextEncoding,
}

/// Writes every pending file atomically. Nothing is replaced unless every temporary file
/// was written and every original is unchanged on disk.
pub(super) fn write_all(
    pending: &[Pending],
    options: &CommitOptions,
) -> Result<Vec<Written>, EditError> {
    let files: Vec<FileWrite> = pending
        .iter()
        .map(|p| FileWrite {
            path: p.path.clone(),
            expected: match &p.original {
                Some(o) => Expected::Text {
                    text: o.text,
                    encoding: o.encoding,
                },
                None => Expected::Absent,
            },
            bytes: std::borrow::Cow::Borrowed(&p.bytes),
        })
        .collect();
    atomic_file::write_files(&files, options).map_err(|e| match e {
        // A web.config the commit creates that another program created meanwhile.
        atomic_file::WriteError::Exists { path } => {
            EditError::Write(atomic_file::WriteError::Changed { path })
        }
        other => EditError::Write(other),
    })
}
