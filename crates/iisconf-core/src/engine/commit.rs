//! Commit-target planning: which file, and which `<location>` tag in it, a change to a
//! section at a path goes to — as appcmd's `/commit:` decides it — refused with the reason
//! and a working alternative when the target is locked.

use super::check::section_lock;
use super::paths::{self, Mapped};
use super::{ConfigPath, EngineError, FileId, Hierarchy};
use crate::config::AllowDefinition;
use std::path::PathBuf;

/// Where a change is committed (appcmd `/commit:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitTarget {
    /// applicationHost.config, in `<location path="PATH">` below the server level.
    AppHost,
    /// The web.config at the site's root.
    Site,
    /// The web.config at the root of the application holding the path.
    App,
    /// The path's own level (the default).
    Url,
    /// An explicit config path at or above the path.
    Path(String),
}

impl CommitTarget {
    /// Parses `apphost`, `site`, `app`, `url` or a config path (case-insensitive keywords;
    /// `MACHINE/WEBROOT/APPHOST` means `apphost`).
    pub fn parse(text: &str) -> CommitTarget {
        match text.trim().to_ascii_lowercase().as_str() {
            "apphost" | "machine/webroot/apphost" => CommitTarget::AppHost,
            "site" => CommitTarget::Site,
            "app" | "application" => CommitTarget::App,
            "url" | "" => CommitTarget::Url,
            _ => CommitTarget::Path(paths::normalize_config_path(text)),
        }
    }
}

/// The file a plan writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanFile {
    /// A file of the hierarchy (index into [`Hierarchy::files`]; 0 is applicationHost.config).
    Existing(usize),
    /// A new web.config to create at this local path.
    Create(PathBuf),
}

/// Where a change goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitPlan {
    /// The section.
    pub section: String,
    /// The config path the change applies to.
    pub path: ConfigPath,
    /// The file.
    pub file: PlanFile,
    /// The config path of that file's level (the server level for applicationHost.config).
    pub file_level: ConfigPath,
    /// The `<location path>` inside the file, relative to its level; `None` for the file's
    /// root level.
    pub location: Option<String>,
}

impl Hierarchy {
    /// Plans where a change of `section` at `path` goes for `target`.
    pub fn plan_commit(
        &self,
        path: &str,
        section: &str,
        target: &CommitTarget,
    ) -> Result<CommitPlan, EngineError> {
        let path = self.check_path(path)?.as_str().to_string();
        if self.registry.section(section).is_none() {
            return Err(EngineError::NoSchema(section.to_string()));
        }
        let level = match target {
            CommitTarget::AppHost => String::new(),
            CommitTarget::Url => path.clone(),
            CommitTarget::Site => path.split('/').next().unwrap_or("").to_string(),
            CommitTarget::App => self.app_root_of(&path),
            CommitTarget::Path(p) => {
                let p = paths::normalize_config_path(p);
                if !paths::is_ancestor_or_self(&p, &path) {
                    return Err(EngineError::CommitPathNotAbove {
                        commit: paths::display_config_path(&p),
                        path: paths::display_config_path(&path),
                    });
                }
                p
            }
        };
        let relative = path
            .get(level.len()..)
            .unwrap_or("")
            .trim_start_matches('/')
            .to_string();
        let location = (!relative.is_empty()).then_some(relative);
        if level.is_empty() {
            if !self.real_apphost {
                return Err(EngineError::NoApphost);
            }
            // A section administration.config declares (IIS Manager's) lives in it.
            let file = self
                .declaration(section)
                .map(|(f, _)| f.index())
                .filter(|f| self.is_administration_file(*f))
                .unwrap_or(FileId::APPHOST.index());
            return Ok(CommitPlan {
                section: section.to_string(),
                path: ConfigPath::from_normal(path),
                file: PlanFile::Existing(file),
                file_level: ConfigPath::from_normal(level),
                location,
            });
        }
        self.check_sub_dir_config(&level)?;
        let existing = self
            .levels
            .iter()
            .position(|l| *l == level.as_str())
            .filter(|i| *i > 0);
        let file = match existing {
            Some(i) => PlanFile::Existing(i),
            None => PlanFile::Create(self.local_folder(&level)?.join("web.config")),
        };
        let index = match file {
            PlanFile::Existing(i) => i,
            PlanFile::Create(_) => self.files.len(),
        };
        if let Some(decl) = self.declaration(section).map(|(_, d)| d) {
            let allowed = match decl.allow_definition {
                AllowDefinition::AppHostOnly
                | AllowDefinition::MachineOnly
                | AllowDefinition::MachineToWebRoot => false,
                AllowDefinition::MachineToApplication => self.is_app_root(&path),
                AllowDefinition::Everywhere => true,
            };
            if !allowed {
                return Err(EngineError::NotAllowedHere {
                    section: section.to_string(),
                    path: paths::display_config_path(&path),
                    allow_definition: decl.allow_definition,
                    location: path,
                });
            }
        }
        if let Some(lock) = section_lock(self, index, section, &path) {
            return Err(EngineError::SectionLocked {
                lock: lock.description,
                location: path,
            });
        }
        Ok(CommitPlan {
            section: section.to_string(),
            path: ConfigPath::from_normal(path),
            file,
            file_level: ConfigPath::from_normal(level),
            location,
        })
    }

    /// The application root holding `path` (the site when no application is deeper).
    pub fn app_root_of(&self, path: &str) -> String {
        let mut cur = path;
        loop {
            if self.is_app_root(cur) {
                return cur.to_string();
            }
            match paths::parent_path(cur) {
                Some(p) if !p.is_empty() => cur = p,
                _ => return path.split('/').next().unwrap_or("").to_string(),
            }
        }
    }

    /// The virtual directory that serves config path `level` (the deepest whose path holds
    /// it), with its own config path and the rest of `level` below it.
    fn serving_virtual_directory(
        &self,
        level: &str,
    ) -> Result<(&super::VirtualDirectory, String, String), EngineError> {
        let site = self
            .site_of(level)
            .ok_or_else(|| EngineError::UnknownPath(paths::display_config_path(level)))?;
        let apphost = self
            .apphost()
            .ok_or_else(|| EngineError::NoVirtualDirectory(paths::display_config_path(level)))?;
        let url = format!("/{}", level.split_once('/').map_or("", |(_, rest)| rest));
        let mut best: Option<(&super::VirtualDirectory, String, String)> = None;
        for app in &site.applications {
            for vdir in &app.virtual_directories {
                let full = format!(
                    "/{}",
                    paths::join(
                        &crate::config::normalize_path(&app.path),
                        &crate::config::normalize_path(&vdir.path(apphost))
                    )
                );
                let full = if full == "/" { String::from("/") } else { full };
                let rest = if full == "/" {
                    Some(url.as_str())
                } else {
                    paths::strip_prefix_caseless(&url, &full)
                        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                };
                if let Some(rest) =
                    rest.filter(|_| best.as_ref().is_none_or(|b| full.len() > b.1.len()))
                {
                    let rest = rest.trim_start_matches('/').to_string();
                    best = Some((vdir, full, rest));
                }
            }
        }
        let (vdir, full, rest) =
            best.ok_or_else(|| EngineError::NoVirtualDirectory(paths::display_config_path(level)))?;
        Ok((vdir, paths::join(&site.name, full.trim_matches('/')), rest))
    }

    /// Refuses a web.config at `level` that IIS would not read: below the folder of a
    /// virtual directory with allowSubDirConfig="false" (its own, or from the nearest
    /// virtualDirectoryDefaults).
    fn check_sub_dir_config(&self, level: &str) -> Result<(), EngineError> {
        // A path no virtual directory serves (web.config files read on their own) has no
        // folder to be ignored.
        let Ok((vdir, vdir_level, rest)) = self.serving_virtual_directory(level) else {
            return Ok(());
        };
        if vdir.allow_sub_dir_config || rest.is_empty() {
            return Ok(());
        }
        Err(EngineError::SubDirConfigIgnored {
            path: paths::display_config_path(level),
            virtual_directory: paths::display_config_path(&vdir_level),
            commit: vdir_level,
        })
    }

    /// The local folder of a config path: the physical path of the virtual directory that
    /// serves it, mapped through --root-map.
    pub fn local_folder(&self, level: &str) -> Result<PathBuf, EngineError> {
        let (vdir, _, rest) = self.serving_virtual_directory(level)?;
        let apphost = self
            .apphost()
            .ok_or_else(|| EngineError::NoVirtualDirectory(paths::display_config_path(level)))?;
        match self.mapper.map(&vdir.physical_path(apphost)) {
            Mapped::Local(dir) => Ok(rest
                .split('/')
                .filter(|s| !s.is_empty())
                .fold(dir, |d, s| d.join(s))),
            Mapped::Unmapped(p) => Err(EngineError::Unmapped {
                physical: p.to_string(),
                path: paths::display_config_path(level),
            }),
            Mapped::Escapes(p) => Err(EngineError::EscapesRoot(p.to_string())),
        }
    }
}
