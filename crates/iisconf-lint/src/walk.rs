//! Input collection: files as given, folders walked for the configuration files IIS reads
//! (other `*.config` files of a project, such as NuGet.config or packages.config, are left
//! alone unless named).

use super::LintError;
use std::path::{Path, PathBuf};

/// Folders never entered while walking (version-control metadata, build output).
const SKIPPED_DIRS: [&str; 4] = [".git", ".hg", ".svn", "node_modules"];

/// The inputs a lint takes, and the `*.config` files a folder walk passed over.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The files to lint, in order.
    pub files: Vec<PathBuf>,
    /// `*.config` files found in folders that are not IIS configuration (NuGet.config,
    /// packages.config, app.config …): not linted unless named.
    pub skipped: Vec<PathBuf>,
}

/// Expands `inputs`: a file is taken as it is (whatever its name); a folder is walked
/// recursively, in name order, for the files IIS reads (see [`is_iis_config`]), the others
/// ending in `.config` being listed as skipped. Symbolic links to folders are not followed.
/// A path that does not exist is an error; duplicates are dropped.
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, LintError> {
    collect(inputs).map(|i| i.files)
}

/// [`collect_inputs`], with the files the walk passed over.
pub fn collect(inputs: &[PathBuf]) -> Result<Inputs, LintError> {
    let mut out = Inputs::default();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|_| LintError::NotFound(input.display().to_string()))?;
        if meta.is_dir() {
            walk(input, &mut out)?;
        } else {
            out.files.push(input.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn is_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() > ".config".len() && n.to_ascii_lowercase().ends_with(".config"))
}

/// Whether a file found in a folder is one IIS (or the .NET configuration system under it)
/// reads, by its name in any letter case: `web.config`, `applicationHost.config`,
/// `administration.config`, `redirection.config`, `machine.config`; a transform of a
/// web.config (`Web.Release.config`); or a copy kept under a prefix (`site.web.config`,
/// `arr.applicationHost.config`).
pub fn is_iis_config(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    const READ_BY_IIS: [&str; 5] = [
        "web.config",
        "applicationhost.config",
        "administration.config",
        "redirection.config",
        "machine.config",
    ];
    READ_BY_IIS.contains(&name.as_str())
        || (name.starts_with("web.") && name.ends_with(".config"))
        || name.ends_with(".web.config")
        || name.ends_with(".applicationhost.config")
}

fn walk(dir: &Path, out: &mut Inputs) -> Result<(), LintError> {
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
            match is_iis_config(&path) {
                true => out.files.push(path),
                false => out.skipped.push(path),
            }
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

    #[test]
    fn iis_names() {
        for name in [
            "Web.config",
            "Web.Release.config",
            "applicationHost.config",
            "administration.config",
            "redirection.config",
            "site.web.config",
            "arr.applicationHost.config",
        ] {
            assert!(is_iis_config(Path::new(name)), "{name}");
        }
        for name in [
            "NuGet.config",
            "packages.config",
            "app.config",
            "nlog.config",
        ] {
            assert!(!is_iis_config(Path::new(name)), "{name}");
        }
    }
}
