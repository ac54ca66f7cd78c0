//! The real configuration files the engine's tests read: the bundled example, the corpus
//! beside the repository, and fixtures a test names.

use std::path::Path;

/// The bundled example, the files of `../shared/corpus` and `fixtures` (paths under the
/// repository), with their text, sorted by path.
pub(super) fn real_files(fixtures: &[&str]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = vec![root.join("fixtures/example/applicationHost.config")];
    paths.extend(fixtures.iter().map(|f| root.join(f)));
    if let Ok(dir) = std::fs::read_dir(root.join("../shared/corpus")) {
        paths.extend(dir.filter_map(|e| Some(e.ok()?.path())));
    }
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "config"))
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}
