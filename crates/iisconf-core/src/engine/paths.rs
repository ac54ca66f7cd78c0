//! Config paths (`MACHINE/WEBROOT/APPHOST/Site/app`) and the mapping of Windows physical
//! paths to local folders (`%SystemDrive%` expansion and `--root-map`).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The prefix of every path under applicationHost.config.
pub const APPHOST_PREFIX: &str = "MACHINE/WEBROOT/APPHOST";

/// A config path in normal form (`Site/app/dir`, `""` for the server level), normalised
/// once when made; compared and hashed case-insensitively (ASCII), as IIS compares them,
/// and shown in its display form (`MACHINE/WEBROOT/APPHOST/Site/app`).
#[derive(Clone, Debug, Default)]
pub struct ConfigPath(String);

impl ConfigPath {
    /// The server level (applicationHost.config's own).
    pub fn server() -> ConfigPath {
        ConfigPath(String::new())
    }

    /// A user-given config path, normalised (see [`normalize_config_path`]).
    pub fn new(path: &str) -> ConfigPath {
        ConfigPath(normalize_config_path(path))
    }

    /// A path already in normal form (derived from the hierarchy, not given by a user).
    pub(crate) fn from_normal(path: String) -> ConfigPath {
        ConfigPath(path)
    }

    /// The normal form (`Site/app`, `""` for the server level).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is the server level.
    pub fn is_server(&self) -> bool {
        self.0.is_empty()
    }

    /// The display form: `MACHINE/WEBROOT/APPHOST[/path]`.
    pub fn display(&self) -> String {
        display_config_path(&self.0)
    }

    /// Whether it is `path` or one of its parents.
    pub fn is_ancestor_or_self_of(&self, path: &ConfigPath) -> bool {
        is_ancestor_or_self(&self.0, &path.0)
    }
}

impl PartialEq for ConfigPath {
    fn eq(&self, other: &ConfigPath) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for ConfigPath {}

impl PartialEq<&str> for ConfigPath {
    fn eq(&self, other: &&str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl std::hash::Hash for ConfigPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

impl std::fmt::Display for ConfigPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Read as its normal form, so the path helpers of this module take it as they are.
impl std::ops::Deref for ConfigPath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for ConfigPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Normalises a user-given config path to the form `Site/app/dir` (`""` for the server
/// level): accepts `MACHINE/WEBROOT/APPHOST/…`, `/`, backslashes and stray slashes.
pub fn normalize_config_path(path: &str) -> String {
    let path = crate::config::normalize_path(path);
    let upper = path.to_ascii_uppercase();
    if upper == APPHOST_PREFIX {
        return String::new();
    }
    if upper.starts_with(APPHOST_PREFIX) && path.as_bytes().get(APPHOST_PREFIX.len()) == Some(&b'/')
    {
        return path[APPHOST_PREFIX.len() + 1..].to_string();
    }
    path
}

/// The parent of a config path (`None` for the server level).
pub fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        None
    } else {
        Some(path.rfind('/').map_or("", |i| &path[..i]))
    }
}

/// Whether `ancestor` is `path` or one of its parents (case-insensitive, by segment).
pub fn is_ancestor_or_self(ancestor: &str, path: &str) -> bool {
    if ancestor.is_empty() {
        return true;
    }
    strip_prefix_ignore_ascii_case(path, ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `text` without `prefix` when it starts with it, ASCII letters compared
/// case-insensitively (other characters exactly); compared by bytes, so the rest always
/// starts at a character boundary, whatever the text holds.
pub fn strip_prefix_ignore_ascii_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix.as_bytes()) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// `text` without `prefix` when it starts with it, compared case-insensitively character
/// by character (Unicode lower case, so `É` matches `é`); the rest starts at a character
/// boundary.
pub fn strip_prefix_caseless<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut chars = text.chars();
    for p in prefix.chars() {
        let t = chars.next()?;
        if !t.to_lowercase().eq(p.to_lowercase()) {
            return None;
        }
    }
    Some(chars.as_str())
}

/// Joins a level and a relative path.
pub fn join(level: &str, rel: &str) -> String {
    match (level.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (_, true) => level.to_string(),
        _ => format!("{level}/{rel}"),
    }
}

/// The display form of a config path: `MACHINE/WEBROOT/APPHOST[/path]`.
pub fn display_config_path(path: &str) -> String {
    if path.is_empty() {
        APPHOST_PREFIX.to_string()
    } else {
        format!("{APPHOST_PREFIX}/{path}")
    }
}

/// How a physical path maps to the local file system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mapped {
    /// A local folder.
    Local(PathBuf),
    /// No `--root-map` prefix matches (or it names a UNC share).
    Unmapped(String),
    /// The mapped path leaves its root (`..`): refused.
    Escapes(String),
}

/// Expands `%VARS%` and maps Windows path prefixes to local folders.
#[derive(Clone, Debug, Default)]
pub struct PathMapper {
    /// (Windows prefix with backslashes, local folder), longest prefix wins.
    roots: Vec<(String, PathBuf)>,
    env: HashMap<String, String>,
}

impl PathMapper {
    /// A mapper with `root_maps` (`C:\inetpub` → `./inetpub`) and extra variables; other
    /// `%VARS%` come from the process environment, `%SystemDrive%` defaults to `C:`.
    pub fn new(root_maps: &[(String, PathBuf)], env: &[(String, String)]) -> PathMapper {
        let mut roots: Vec<(String, PathBuf)> = root_maps
            .iter()
            .map(|(prefix, local)| {
                let p = prefix.replace('/', "\\");
                (p.trim_end_matches('\\').to_string(), local.clone())
            })
            .collect();
        roots.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let mut vars: HashMap<String, String> = HashMap::new();
        vars.insert("SYSTEMDRIVE".into(), "C:".into());
        vars.insert("WINDIR".into(), "C:\\Windows".into());
        vars.insert("SYSTEMROOT".into(), "C:\\Windows".into());
        for (k, v) in std::env::vars() {
            if k.eq_ignore_ascii_case("SystemDrive") || k.eq_ignore_ascii_case("windir") {
                vars.insert(k.to_ascii_uppercase(), v);
            }
        }
        for (k, v) in env {
            vars.insert(k.to_ascii_uppercase(), v.clone());
        }
        PathMapper { roots, env: vars }
    }

    /// Whether any `--root-map` prefix is set.
    pub fn has_roots(&self) -> bool {
        !self.roots.is_empty()
    }

    /// Expands `%NAME%` references (case-insensitive); unknown variables come from the
    /// process environment, or stay as written.
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('%') {
                Some(end) if end > 0 => {
                    let name = &after[..end];
                    let value = self
                        .env
                        .get(&name.to_ascii_uppercase())
                        .cloned()
                        .or_else(|| std::env::var(name).ok());
                    match value {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('%');
                            out.push_str(name);
                            out.push('%');
                        }
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('%');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Maps a Windows physical path (variables expanded) to a local folder.
    pub fn map(&self, physical: &str) -> Mapped {
        let expanded = self.expand(physical).replace('/', "\\");
        for (prefix, local) in &self.roots {
            let rest = match strip_prefix_ignore_ascii_case(&expanded, prefix) {
                Some(rest) if rest.is_empty() || rest.starts_with('\\') => rest,
                _ => continue,
            };
            let rest = rest.trim_start_matches('\\');
            let mut depth: i32 = 0;
            let mut out = local.clone();
            for part in rest.split('\\').filter(|p| !p.is_empty() && *p != ".") {
                if part == ".." {
                    depth -= 1;
                    if depth < 0 {
                        return Mapped::Escapes(expanded);
                    }
                    out.pop();
                } else {
                    depth += 1;
                    out.push(part);
                }
            }
            return Mapped::Local(out);
        }
        Mapped::Unmapped(expanded)
    }
}

/// Whether `path` stays inside `root` lexically (no `..` climbing above it).
pub fn stays_within(root: &Path, path: &Path) -> bool {
    let mut depth: i32 = 0;
    let rel = match path.strip_prefix(root) {
        Ok(r) => r,
        Err(_) => return false,
    };
    for c in rel.components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths_normalise() {
        assert_eq!(normalize_config_path("MACHINE/WEBROOT/APPHOST"), "");
        assert_eq!(
            normalize_config_path("machine/webroot/apphost/Default Web Site/shop/"),
            "Default Web Site/shop"
        );
        assert_eq!(normalize_config_path("/"), "");
        assert_eq!(
            normalize_config_path("Default Web Site"),
            "Default Web Site"
        );
        assert_eq!(parent_path("a/b"), Some("a"));
        assert_eq!(parent_path("a"), Some(""));
        assert_eq!(parent_path(""), None);
        assert!(is_ancestor_or_self("Site", "site/app"));
        assert!(!is_ancestor_or_self("Site", "Site2/app"));
        assert!(is_ancestor_or_self("", "x"));
    }

    #[test]
    fn prefix_tests_never_cut_a_character() {
        // `é` is two bytes: a byte offset from the other string falls inside it.
        assert!(!is_ancestor_or_self(
            "Default Web Site/x",
            "Default Web Site/é"
        ));
        assert!(!is_ancestor_or_self("SX", "Sé"));
        assert!(!is_ancestor_or_self("Sé", "SX"));
        assert!(is_ancestor_or_self("sÉ", "sÉ/漢字"));
        assert!(!is_ancestor_or_self("sé", "sÉ/漢字"));
        for ancestor in ["Ωμέγα", "Сайт", "站点", "e\u{301}", "a"] {
            for path in ["Ωμέγα/b", "Сайт", "站点/应用", "e\u{301}x", "é", "ab"] {
                let expected = path.starts_with(ancestor)
                    && path[ancestor.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c == '/');
                assert_eq!(
                    is_ancestor_or_self(ancestor, path),
                    expected,
                    "{ancestor} {path}"
                );
            }
        }
        assert_eq!(strip_prefix_caseless("/ΣΙΤΕ/app", "/σιτε"), Some("/app"));
        assert_eq!(strip_prefix_caseless("/é", "/x"), None);
        assert_eq!(strip_prefix_caseless("/x", "/xé"), None);
    }

    #[test]
    fn physical_paths_with_non_ascii_characters_map() {
        let mapper = PathMapper::new(&[("C:\\inetpub".into(), PathBuf::from("/srv"))], &[]);
        assert_eq!(
            mapper.map("C:\\inetpuü"),
            Mapped::Unmapped("C:\\inetpuü".into())
        );
        assert_eq!(
            mapper.map("C:\\inetpub\\Сайт\\站点"),
            Mapped::Local(PathBuf::from("/srv/Сайт/站点"))
        );
        assert_eq!(
            mapper.map("C:\\inetpubé"),
            Mapped::Unmapped("C:\\inetpubé".into())
        );
    }

    #[test]
    fn physical_paths_map_through_root_maps() {
        let mapper = PathMapper::new(
            &[
                ("C:\\inetpub".into(), PathBuf::from("/srv/inetpub")),
                (
                    "c:/inetpub/wwwroot/special".into(),
                    PathBuf::from("/srv/special"),
                ),
            ],
            &[("SITEROOT".into(), "C:\\inetpub\\sites".into())],
        );
        assert_eq!(
            mapper.map("%SystemDrive%\\inetpub\\wwwroot"),
            Mapped::Local(PathBuf::from("/srv/inetpub/wwwroot"))
        );
        assert_eq!(
            mapper.map("C:\\INETPUB\\wwwroot\\Special\\app"),
            Mapped::Local(PathBuf::from("/srv/special/app"))
        );
        assert_eq!(
            mapper.map("%SITEROOT%\\shop"),
            Mapped::Local(PathBuf::from("/srv/inetpub/sites/shop"))
        );
        assert!(matches!(mapper.map("D:\\web"), Mapped::Unmapped(_)));
        assert!(matches!(
            mapper.map("C:\\inetpub\\..\\Windows"),
            Mapped::Escapes(_)
        ));
        assert!(matches!(mapper.map("C:\\inetpubx"), Mapped::Unmapped(_)));
    }
}
