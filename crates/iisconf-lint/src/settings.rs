//! The linter's settings: `iisconf.toml` (rule selection, per-file ignores, severity
//! overrides, fail level, schema folders, the target server's add-on modules, root maps, the
//! applicationHost.config).

use iisconf_core::diagnostic::{Rule, Severity};
use iisconf_core::schema::{addon_module, ADDON_MODULES};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for in the current directory when no `--config` is given.
pub const CONFIG_FILE_NAME: &str = "iisconf.toml";

/// Picks rules by id (`IIS2001`), name (`section-locked`), id prefix (`IIS2`, `IIS`) or `ALL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    /// One rule.
    Rule(Rule),
    /// Every rule whose id starts with this prefix (upper case).
    Prefix(String),
}

impl RuleSelector {
    /// Parses an id, a name, an id prefix or `ALL` (case-insensitive).
    pub fn parse(text: &str) -> Result<RuleSelector, ConfigError> {
        let text = text.trim();
        if let Some(rule) = Rule::find(text) {
            return Ok(RuleSelector::Rule(rule));
        }
        if text.eq_ignore_ascii_case("ALL") {
            return Ok(RuleSelector::Prefix("IIS".to_string()));
        }
        let upper = text.to_ascii_uppercase();
        let digits = upper.strip_prefix("IIS");
        let is_prefix =
            digits.is_some_and(|d| d.len() < 4 && d.chars().all(|c| c.is_ascii_digit()));
        if is_prefix && Rule::ALL.iter().any(|r| r.id().starts_with(&upper)) {
            return Ok(RuleSelector::Prefix(upper));
        }
        Err(ConfigError::UnknownRule(text.to_string()))
    }

    /// Whether the selector picks `rule` on purpose: by id or name, or by a category
    /// prefix (`IIS4`), not by `ALL`.
    pub fn names(&self, rule: Rule) -> bool {
        match self {
            RuleSelector::Rule(r) => *r == rule,
            RuleSelector::Prefix(p) => p.len() > 3 && rule.id().starts_with(p.as_str()),
        }
    }

    /// Parses a command-line list: comma-separated selectors (`IIS2001,section-locked`).
    pub fn parse_list(text: &str) -> Result<Vec<RuleSelector>, ConfigError> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(RuleSelector::parse)
            .collect()
    }

    /// Whether the selector picks `rule`.
    pub fn matches(&self, rule: Rule) -> bool {
        match self {
            RuleSelector::Rule(r) => *r == rule,
            RuleSelector::Prefix(p) => rule.id().starts_with(p.as_str()),
        }
    }
}

/// Errors reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: cannot read the configuration file: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key or a wrong type.
    #[error("{path}: {message}")]
    Invalid {
        /// The path.
        path: String,
        /// What is wrong (names the key).
        message: String,
    },
    /// A rule selector names no rule.
    #[error("unknown rule `{0}`: `iisconf rules` lists the rule ids and names (a prefix such as IIS2 selects a category)")]
    UnknownRule(String),
    /// A severity that is not error, warning or info.
    #[error("unknown severity `{0}`: use error, warning or info")]
    UnknownSeverity(String),
    /// A root map without `=`.
    #[error("root map `{0}` is not of the form PREFIX=DIR (e.g. 'C:\\inetpub=./inetpub')")]
    BadRootMap(String),
}

/// `root-maps` as a table (`"C:\\inetpub" = "./inetpub"`) or a list of `PREFIX=DIR`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RootMaps {
    Table(BTreeMap<String, String>),
    List(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    fail_level: Option<String>,
    #[serde(default)]
    schema_dirs: Vec<PathBuf>,
    modules: Option<Vec<String>>,
    root_maps: Option<RootMaps>,
    apphost: Option<PathBuf>,
}

/// The linter's configuration, from `iisconf.toml` and the command line.
#[derive(Clone, Debug, Default)]
pub struct LintConfig {
    /// Only these rules are reported (all rules when `None`).
    pub select: Option<Vec<RuleSelector>>,
    /// These rules are never reported.
    pub ignore: Vec<RuleSelector>,
    /// (glob, rules): rules not reported for files whose path matches the glob.
    pub per_file_ignores: Vec<(String, Vec<RuleSelector>)>,
    /// Severity overrides.
    pub severity: Vec<(RuleSelector, Severity)>,
    /// Findings at or above this severity make the run fail.
    pub fail_level: Option<Severity>,
    /// Schema folders, resolved against the configuration file's folder.
    pub schema_dirs: Vec<PathBuf>,
    /// The add-on modules the target server has (`modules = ["rewrite", "aspNetCore"]`), as
    /// the embedded schema spells them; every add-on module when `None`.
    pub modules: Option<Vec<String>>,
    /// (Windows prefix, local folder), the folder resolved against the configuration file's folder.
    pub root_maps: Vec<(String, PathBuf)>,
    /// The applicationHost.config, resolved against the configuration file's folder.
    pub apphost: Option<PathBuf>,
}

impl LintConfig {
    /// The configuration file that applies in `folder`: `iisconf.toml` there or in the
    /// nearest folder above it (as cargo and ruff find theirs), named relative to `folder`
    /// (`iisconf.toml`, `../iisconf.toml`, …) so that the paths it gives read as the user
    /// would write them. `None` when no folder up to the root has one.
    pub fn find(folder: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(folder).ok()?;
        let mut relative = PathBuf::new();
        for dir in absolute.ancestors() {
            if dir.join(CONFIG_FILE_NAME).is_file() {
                return Some(relative.join(CONFIG_FILE_NAME));
            }
            relative.push("..");
        }
        None
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<LintConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        LintConfig::parse(&text, base).map_err(|e| match e {
            ConfigError::Invalid { message, .. } => ConfigError::Invalid {
                path: path.display().to_string(),
                message,
            },
            other => ConfigError::Invalid {
                path: path.display().to_string(),
                message: other.to_string(),
            },
        })
    }

    /// Parses configuration text; relative paths are resolved against `base`.
    pub fn parse(text: &str, base: &Path) -> Result<LintConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: String::new(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let selectors = |list: &[String]| -> Result<Vec<RuleSelector>, ConfigError> {
            list.iter().map(|s| RuleSelector::parse(s)).collect()
        };
        let resolve = |p: &Path| -> PathBuf {
            if p.is_absolute() || base.as_os_str().is_empty() {
                p.to_path_buf()
            } else {
                // `base/inetpub`, not `base/./inetpub`: paths are printed as they are built.
                base.join(p.strip_prefix(".").unwrap_or(p))
            }
        };
        let mut config = LintConfig {
            select: raw.select.as_deref().map(selectors).transpose()?,
            ignore: selectors(raw.ignore.as_deref().unwrap_or(&[]))?,
            ..LintConfig::default()
        };
        for (glob, rules) in &raw.per_file_ignores {
            config
                .per_file_ignores
                .push((glob.clone(), selectors(rules)?));
        }
        for (rule, level) in &raw.severity {
            let selector = RuleSelector::parse(rule)?;
            let level = Severity::parse(level)
                .ok_or_else(|| ConfigError::UnknownSeverity(level.clone()))?;
            config.severity.push((selector, level));
        }
        config.fail_level = raw
            .fail_level
            .as_deref()
            .map(|l| Severity::parse(l).ok_or_else(|| ConfigError::UnknownSeverity(l.to_string())))
            .transpose()?;
        config.schema_dirs = raw.schema_dirs.iter().map(|d| resolve(d)).collect();
        config.modules = raw.modules.as_deref().map(modules).transpose()?;
        config.root_maps = match raw.root_maps {
            None => Vec::new(),
            Some(RootMaps::Table(t)) => t
                .into_iter()
                .map(|(k, v)| (k, resolve(Path::new(&v))))
                .collect(),
            Some(RootMaps::List(list)) => list
                .iter()
                .map(|s| parse_root_map(s).map(|(prefix, dir)| (prefix, resolve(&dir))))
                .collect::<Result<_, _>>()?,
        };
        config.apphost = raw.apphost.as_deref().map(resolve);
        Ok(config)
    }

    /// Whether findings of `rule` are reported for `file`. A rule that is off by default
    /// ([`Rule::enabled_by_default`]) is reported only when `select` names it, by id, name
    /// or a category prefix more specific than `IIS`/`ALL`.
    pub fn enabled(&self, rule: Rule, file: &str) -> bool {
        self.selected(rule)
            && !self.per_file_ignores.iter().any(|(glob, rules)| {
                rules.iter().any(|s| s.matches(rule)) && path_matches(glob, file)
            })
    }

    /// Whether findings of `rule` are reported for some file: `select` and `ignore` allow
    /// it (per-file ignores aside).
    pub fn selected(&self, rule: Rule) -> bool {
        let selected = match &self.select {
            Some(select) => {
                select.iter().any(|s| s.matches(rule))
                    && (rule.enabled_by_default() || select.iter().any(|s| s.names(rule)))
            }
            None => rule.enabled_by_default(),
        };
        selected && !self.ignore.iter().any(|s| s.matches(rule))
    }

    /// The severity of `rule`: the last matching override (a rule beats a prefix), else `default`.
    pub fn severity_of(&self, rule: Rule, default: Severity) -> Severity {
        let exact = self
            .severity
            .iter()
            .rev()
            .find(|(s, _)| matches!(s, RuleSelector::Rule(r) if *r == rule));
        let prefix = self
            .severity
            .iter()
            .filter(|(s, _)| matches!(s, RuleSelector::Prefix(_)) && s.matches(rule))
            .max_by_key(|(s, _)| match s {
                RuleSelector::Prefix(p) => p.len(),
                RuleSelector::Rule(_) => 0,
            });
        exact.or(prefix).map_or(default, |(_, l)| *l)
    }
}

/// The add-on module names, as the embedded schema spells them.
fn modules(names: &[String]) -> Result<Vec<String>, ConfigError> {
    names
        .iter()
        .map(|name| {
            addon_module(name)
                .map(str::to_string)
                .ok_or_else(|| ConfigError::Invalid {
                    path: String::new(),
                    message: format!(
                        "modules: unknown module `{name}`; the add-on modules are {}",
                        ADDON_MODULES.join(", ")
                    ),
                })
        })
        .collect()
}

/// Parses `PREFIX=DIR` (the last `=` splits, so a prefix may not contain `=`; the folder may not either).
pub fn parse_root_map(text: &str) -> Result<(String, PathBuf), ConfigError> {
    match text.split_once('=') {
        Some((prefix, dir)) if !prefix.trim().is_empty() && !dir.trim().is_empty() => {
            Ok((prefix.trim().to_string(), PathBuf::from(dir.trim())))
        }
        _ => Err(ConfigError::BadRootMap(text.to_string())),
    }
}

/// Whether `file` matches `glob`: `*` and `?` stay within one path segment, `**` crosses
/// segments; matching ignores ASCII case (IIS file names are case-insensitive). A glob without
/// `/` is matched against the file name alone; otherwise against the path with `\` as `/` and
/// a leading `./` removed, or any of its trailing sub-paths.
fn path_matches(glob: &str, file: &str) -> bool {
    let glob = glob.replace('\\', "/");
    let glob = glob.trim_start_matches("./");
    let path = file.replace('\\', "/");
    let path = path.trim_start_matches("./");
    if !glob.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return glob_match(glob.as_bytes(), name.as_bytes());
    }
    if glob_match(glob.as_bytes(), path.as_bytes()) {
        return true;
    }
    path.match_indices('/')
        .any(|(i, _)| glob_match(glob.as_bytes(), path.as_bytes().get(i + 1..).unwrap_or(&[])))
}

fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some(b'*') if pattern.get(1) == Some(&b'*') => {
            if let Some(rest) = pattern.get(2..).and_then(|r| r.strip_prefix(b"/")) {
                // `**/x`: x here, or after any `/`.
                glob_match(rest, text)
                    || text.iter().enumerate().any(|(i, c)| {
                        *c == b'/' && glob_match(rest, text.get(i + 1..).unwrap_or(&[]))
                    })
            } else {
                // `**` elsewhere matches any run of characters, `/` included.
                let rest = pattern.get(2..).unwrap_or(&[]);
                (0..=text.len()).any(|i| glob_match(rest, text.get(i..).unwrap_or(&[])))
            }
        }
        Some(b'*') => {
            let rest = pattern.get(1..).unwrap_or(&[]);
            for i in 0..=text.len() {
                if glob_match(rest, text.get(i..).unwrap_or(&[])) {
                    return true;
                }
                if text.get(i) == Some(&b'/') {
                    break;
                }
            }
            false
        }
        Some(b'?') => {
            text.first().is_some_and(|c| *c != b'/')
                && glob_match(
                    pattern.get(1..).unwrap_or(&[]),
                    text.get(1..).unwrap_or(&[]),
                )
        }
        Some(p) => {
            text.first().is_some_and(|c| c.eq_ignore_ascii_case(p))
                && glob_match(
                    pattern.get(1..).unwrap_or(&[]),
                    text.get(1..).unwrap_or(&[]),
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_file_is_found_in_the_nearest_folder_above() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "").unwrap();
        assert_eq!(
            LintConfig::find(&deep),
            Some(PathBuf::from("../../iisconf.toml"))
        );
        std::fs::write(deep.join(CONFIG_FILE_NAME), "").unwrap();
        assert_eq!(LintConfig::find(&deep), Some(PathBuf::from("iisconf.toml")));
    }

    #[test]
    fn selectors() {
        assert_eq!(
            RuleSelector::parse("iis2001").ok(),
            Some(RuleSelector::Rule(Rule::SectionLocked))
        );
        assert_eq!(
            RuleSelector::parse("section-locked").ok(),
            Some(RuleSelector::Rule(Rule::SectionLocked))
        );
        let p = RuleSelector::parse("IIS4").unwrap();
        assert!(p.matches(Rule::RedundantValue));
        assert!(!p.matches(Rule::SectionLocked));
        assert!(RuleSelector::parse("IIS9").is_err());
        assert!(RuleSelector::parse("nope").is_err());
        assert!(RuleSelector::parse("ALL")
            .unwrap()
            .matches(Rule::NotWellFormed));
    }

    #[test]
    fn globs() {
        assert!(path_matches("web.config", "a/b/Web.config"));
        assert!(path_matches("*.config", "a/b/Web.config"));
        assert!(path_matches("legacy/**", "./legacy/x/web.config"));
        assert!(path_matches("legacy/**/web.config", "legacy/web.config"));
        assert!(path_matches(
            "sites/*/web.config",
            "repo/sites/a/web.config"
        ));
        assert!(!path_matches("sites/*/web.config", "sites/a/b/web.config"));
        assert!(path_matches("s?tes/a/web.config", "sites/a/web.config"));
        assert!(!path_matches("other/**", "legacy/web.config"));
    }

    #[test]
    fn parses_the_documented_keys() {
        let text = r#"
select = ["IIS1", "IIS2", "plaintext-secret"]
ignore = ["IIS4003"]
fail-level = "warning"
schema-dirs = ["schema"]
root-maps = ["C:\\inetpub=./inetpub"]
apphost = "applicationHost.config"
[per-file-ignores]
"legacy/**" = ["IIS1004"]
[severity]
insecure-session-id = "error"
IIS4 = "info"
"#;
        let c = LintConfig::parse(text, Path::new("base")).unwrap();
        assert!(c.enabled(Rule::SectionLocked, "x/web.config"));
        assert!(!c.enabled(Rule::RedundantValue, "x/web.config"));
        assert!(!c.enabled(Rule::InsecureSessionId, "x/web.config"));
        assert!(c.enabled(Rule::PlaintextSecret, "x/web.config"));
        assert!(!c.enabled(Rule::UnrecognizedAttribute, "legacy/a/web.config"));
        assert_eq!(c.fail_level, Some(Severity::Warning));
        assert_eq!(c.schema_dirs, [PathBuf::from("base/schema")]);
        assert_eq!(
            c.root_maps,
            [("C:\\inetpub".to_string(), PathBuf::from("base/./inetpub"))]
        );
        assert_eq!(
            c.apphost,
            Some(PathBuf::from("base/applicationHost.config"))
        );
        assert_eq!(
            c.severity_of(Rule::InsecureSessionId, Severity::Warning),
            Severity::Error
        );
        assert_eq!(
            c.severity_of(Rule::PlaintextSecret, Severity::Warning),
            Severity::Info
        );
        let table =
            LintConfig::parse("[root-maps]\n'D:\\web' = '/srv/web'\n", Path::new("")).unwrap();
        assert_eq!(
            table.root_maps,
            [("D:\\web".to_string(), PathBuf::from("/srv/web"))]
        );
    }

    #[test]
    fn unknown_keys_and_rules_are_errors() {
        let e = LintConfig::parse("selekt = []\n", Path::new("")).unwrap_err();
        assert!(e.to_string().contains("selekt"), "{e}");
        let e = LintConfig::parse("ignore = ['IIS9999']\n", Path::new("")).unwrap_err();
        assert!(e.to_string().contains("IIS9999"), "{e}");
        let e = LintConfig::parse("[severity]\nIIS2001 = 'fatal'\n", Path::new("")).unwrap_err();
        assert!(e.to_string().contains("fatal"), "{e}");
    }

    #[test]
    fn modules_name_the_add_ons_in_any_case() {
        let c = LintConfig::parse("modules = ['REWRITE', 'aspnetcore']\n", Path::new("")).unwrap();
        assert_eq!(
            c.modules,
            Some(vec!["rewrite".to_string(), "aspNetCore".to_string()])
        );
        assert_eq!(LintConfig::parse("", Path::new("")).unwrap().modules, None);
        let e = LintConfig::parse("modules = ['urlscan']\n", Path::new("")).unwrap_err();
        assert!(e.to_string().contains("unknown module `urlscan`"), "{e}");
    }
}
