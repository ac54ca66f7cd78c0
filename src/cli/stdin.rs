//! `-` as an input file: standard input, for `lint`, `check` and `transform` in pipelines
//! (`git show HEAD:web.config | iisconf lint -`).

use std::io::Read;
use std::path::Path;

/// The name that stands for standard input.
pub const STDIN: &str = "-";

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// The bytes of `path`, or of standard input for `-`.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
    }
}

/// How standard input is named in messages: the name given (`--stdin-filename`), else
/// `<stdin>`.
pub fn display_name(given: Option<&Path>) -> String {
    given.map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string())
}
