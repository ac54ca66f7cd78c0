//! The workspace: its `iisconf.toml` (rule selection, severities, schema folders, modules,
//! and the `apphost` and `root-maps` that make a hierarchy), the schema registry, and the
//! hierarchy of that applicationHost.config with the open documents' text standing in for
//! their files on disk, so that a web.config is checked where it sits.

use iisconf_core::config::ConfigFile;
use iisconf_core::diagnostic::Finding;
use iisconf_core::engine::{FileId, Hierarchy, Options};
use iisconf_core::schema::Registry;
use iisconf_lint::{LintConfig, LintOptions, CONFIG_FILE_NAME};
use std::path::{Path, PathBuf};

/// The workspace's settings and hierarchy.
pub struct Workspace {
    /// `iisconf.toml` as read (the default when there is none).
    pub config: LintConfig,
    /// Why `iisconf.toml` or the schema folders could not be used, for the client.
    pub problem: Option<String>,
    /// The schema.
    pub registry: Registry,
    tree: Option<Tree>,
}

/// The hierarchy of the workspace's applicationHost.config, with what it found.
pub struct Tree {
    /// The hierarchy (open documents' text in place of their files).
    pub hierarchy: Hierarchy,
    /// The canonical path of each file of the hierarchy, by index.
    canonical: Vec<PathBuf>,
    /// The findings of the whole hierarchy.
    findings: Vec<Finding>,
}

impl Tree {
    /// The index of the file at `path` (canonical), if the hierarchy holds it.
    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        let path = canonical(path);
        self.canonical
            .iter()
            .position(|c| *c == path)
            .map(FileId::new)
    }

    /// The file at `id`.
    pub fn file(&self, id: FileId) -> Option<&ConfigFile> {
        self.hierarchy.files().get(id.index())
    }
}

/// A path with symbolic links and `..` resolved, or as given when it does not exist.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Workspace {
    /// The workspace at `root`, with its `iisconf.toml` when there is one.
    pub fn new(root: Option<PathBuf>) -> Workspace {
        let mut problem = None;
        let config = match root.as_ref().map(|r| r.join(CONFIG_FILE_NAME)) {
            Some(path) if path.is_file() => match LintConfig::load(&path) {
                Ok(config) => config,
                Err(e) => {
                    problem = Some(format!("iisconf.toml is not used: {e}"));
                    LintConfig::default()
                }
            },
            _ => LintConfig::default(),
        };
        if let Some(apphost) = &config.apphost {
            if let Err(e) = std::fs::metadata(apphost) {
                problem = Some(format!(
                    "iisconf.toml names the applicationHost.config {}, which cannot be read ({e}); web.config files are checked on their own",
                    apphost.display()
                ));
            }
        }
        let registry = match Registry::load_with_modules(
            &config.schema_dirs,
            config.modules.as_deref(),
        ) {
            Ok(registry) => registry,
            Err(e) => {
                problem = Some(format!(
                        "the schema of iisconf.toml cannot be loaded ({e}); the embedded schema is used"
                    ));
                Registry::embedded()
            }
        };
        Workspace {
            config,
            problem,
            registry,
            tree: None,
        }
    }

    /// The options a document linted on its own is linted with.
    pub fn lint_options(&self) -> LintOptions {
        LintOptions {
            root_maps: self.config.root_maps.clone(),
            config: self.config.clone(),
            skip_source_lines: true,
            ..LintOptions::default()
        }
    }

    /// The applicationHost.config `iisconf.toml` names.
    pub fn apphost(&self) -> Option<&Path> {
        self.config.apphost.as_deref()
    }

    /// Whether `path` is the workspace's applicationHost.config.
    pub fn is_apphost(&self, path: &Path) -> bool {
        self.apphost()
            .is_some_and(|a| canonical(a) == canonical(path))
    }

    /// The hierarchy, when `iisconf.toml` names an applicationHost.config that parses.
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Builds the hierarchy again from the applicationHost.config (`open(path)` gives an
    /// open document's text, which stands in for the file on disk) and the web.config
    /// files its sites map to. An applicationHost.config that does not parse leaves no
    /// hierarchy (the document's own diagnostics say why).
    pub fn rebuild(&mut self, open: &dyn Fn(&Path) -> Option<String>) {
        self.tree = None;
        let Some(apphost) = self.config.apphost.clone() else {
            return;
        };
        let bytes = match open(&apphost) {
            Some(text) => text.into_bytes(),
            None => match std::fs::read(&apphost) {
                Ok(bytes) => bytes,
                Err(_) => return,
            },
        };
        let name = apphost.display().to_string();
        let Ok(file) = ConfigFile::parse(&name, &bytes) else {
            return;
        };
        let options = Options {
            apphost: Some(apphost),
            root_maps: self.config.root_maps.clone(),
            env: Vec::new(),
        };
        let mut hierarchy = Hierarchy::from_apphost(self.registry.clone(), file, &options);
        let canonical: Vec<PathBuf> = hierarchy
            .files()
            .iter()
            .map(|f| self::canonical(Path::new(&*f.name)))
            .collect();
        let mut replaced = false;
        for (i, path) in canonical.iter().enumerate().skip(1) {
            if let Some(text) = open(path) {
                replaced |= replace(&mut hierarchy, FileId::new(i), &text);
            }
        }
        if replaced {
            hierarchy.rederive();
        }
        let findings = hierarchy.check();
        self.tree = Some(Tree {
            hierarchy,
            canonical,
            findings,
        });
    }

    /// Puts `text` in place of the hierarchy's file at `path` and checks the hierarchy
    /// again. `false` when the hierarchy does not hold the file or the text does not parse
    /// (the last text that parsed stays in the hierarchy).
    pub fn update(&mut self, path: &Path, text: &str) -> bool {
        let Some(tree) = self.tree.as_mut() else {
            return false;
        };
        let Some(id) = tree.file_of(path) else {
            return false;
        };
        if !replace(&mut tree.hierarchy, id, text) {
            return false;
        }
        tree.hierarchy.rederive();
        tree.findings = tree.hierarchy.check();
        true
    }

    /// The findings in the hierarchy's file at `path`, configured as `iisconf.toml` says;
    /// `None` when the hierarchy does not hold the file.
    pub fn tree_findings(&self, path: &Path) -> Option<Vec<Finding>> {
        let tree = self.tree.as_ref()?;
        let file = tree.file(tree.file_of(path)?)?;
        Some(iisconf_lint::findings_in_file(
            file,
            &tree.findings,
            &self.config,
        ))
    }
}

/// Replaces file `id` of `hierarchy` by `text` parsed under the file's name; `false` when
/// the text does not parse or is what the file already holds.
fn replace(hierarchy: &mut Hierarchy, id: FileId, text: &str) -> bool {
    let Some(current) = hierarchy.files().get(id.index()) else {
        return false;
    };
    if current.doc.source() == text.strip_prefix('\u{FEFF}').unwrap_or(text) {
        return false;
    }
    let name = current.name.clone();
    match ConfigFile::parse(&name, text.as_bytes()) {
        Ok(file) => hierarchy.replace_file(id, file).is_some(),
        Err(_) => false,
    }
}
