//! Where a provider's status output comes from: running the server's tool, or a file
//! holding output captured earlier.

use crate::model::{CaptureOrigin, CaptureTime, SessionError};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Where status output is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Run the server's status tool (ftpwho, pure-ftpwho) now.
    Live,
    /// Read output captured earlier; its modification time is taken as the capture time.
    File(PathBuf),
}

/// Output of one status query and when it was taken.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    /// The text (decoded as UTF-8, or ISO-8859-15 when it is not UTF-8).
    pub text: String,
    /// When the output was produced; relative times ("idle for 5 s") count back from it.
    pub at: SystemTime,
    /// How `at` is known.
    pub origin: CaptureOrigin,
}

impl Captured {
    /// Output read from a file, timed by `given` (the caller's word) when there is one
    /// rather than by the file's modification time.
    pub fn timed_by(mut self, given: Option<SystemTime>) -> Self {
        if let (Some(at), CaptureOrigin::FileModified) = (given, self.origin) {
            self.at = at;
            self.origin = CaptureOrigin::Given;
        }
        self
    }

    /// When the output was produced, and how that is known.
    pub fn time(&self) -> CaptureTime {
        CaptureTime {
            at: self.at,
            origin: self.origin,
        }
    }
}

/// Runs `program args…` and returns its standard output.
pub(crate) fn run(program: &Path, args: &[OsString]) -> Result<Captured, SessionError> {
    let shown = || {
        let mut s = program.display().to_string();
        for a in args {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    };
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| SessionError::ToolNotRunnable {
            program: program.display().to_string(),
            source,
        })?;
    let at = SystemTime::now();
    if !output.status.success() {
        return Err(SessionError::ToolFailed {
            program: shown(),
            status: output.status.to_string(),
            stderr: decode(&output.stderr).trim().to_string(),
        });
    }
    Ok(Captured {
        text: decode(&output.stdout),
        at,
        origin: CaptureOrigin::Live,
    })
}

/// Reads a captured output file.
pub(crate) fn read_file(path: &Path) -> Result<Captured, SessionError> {
    let read_err = |source| SessionError::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_err)?;
    let at = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| SystemTime::now());
    Ok(Captured {
        text: decode(&bytes),
        at,
        origin: CaptureOrigin::FileModified,
    })
}

/// Text from bytes: UTF-8 (with or without BOM) when valid, else ISO-8859-15 (the encoding
/// pure-ftpwho declares; every byte decodes, so file names are never lost).
pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::ISO_8859_15.decode(bytes).0.into_owned(),
    }
}

/// The path of a tool: as given, or found on PATH, or in the usual system directories
/// (an administrator's PATH often lacks /usr/sbin).
pub(crate) fn find_tool(name: &str) -> PathBuf {
    let dirs = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let extra = [
        "/usr/sbin",
        "/usr/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
        "/sbin",
    ];
    dirs.into_iter()
        .chain(extra.iter().map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin9_fallback_keeps_every_byte() {
        assert_eq!(decode(b"caf\xe9 \xa4"), "café €");
        assert_eq!(decode("café".as_bytes()), "café");
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>"), "<a/>");
    }
}
