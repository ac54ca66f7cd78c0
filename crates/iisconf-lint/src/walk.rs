//! Input collection: files as given, folders walked for `*.config`.

use super::LintError;
use std::path::{Path, PathBuf};

/// Folders never entered while walking (version-control metadata, build output).
const SKIPPED_DIRS: [&str; 4] = [".git", ".hg", ".svn", "node_modules"];

/// Expands `inputs`: a file is taken as it is (whatever its extension); a folder is walked
/// recursively, in name order, for files whose name ends in `.config` (any case, so
/// `Web.config` counts). Symbolic links to folders are not followed. A path that does not
/// exist is an error; duplicates are dropped.
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, LintError> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|_| LintError::NotFound(input.display().to_string()))?;
        if meta.is_dir() {
            walk(input, &mut out)?;
        } else {
            out.push(input.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn is_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() > ".config".len() && n.to_ascii_lowercase().ends_with(".config"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LintError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LintError::ReadDir {
        path: dir.display().to_string(),
        source,
    })?;
    let mut entries: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.path(), e.file_type().ok()?)))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in entries {
        if kind.is_dir() {
            let skipped = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| SKIPPED_DIRS.contains(&n));
            if !skipped {
                walk(&path, out)?;
            }
        } else if is_config(&path) && (kind.is_file() || path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names() {
        assert!(is_config(Path::new("a/Web.config")));
        assert!(is_config(Path::new("applicationHost.CONFIG")));
        assert!(!is_config(Path::new(".config")));
        assert!(!is_config(Path::new("web.config.bak")));
    }
}
