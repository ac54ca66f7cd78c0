//! A section's lock state at a config path, as appcmd's CONFIG object shows it
//! (`overrideMode` and `locked`): the mode a location tag sets for that very path, and
//! whether a configuration file at the path may set the section.

use super::check::section_lock;
use super::{paths, EngineError, Hierarchy};
use crate::config::OverrideMode;

/// The lock state of a section at a config path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionLockState {
    /// The overrideMode a `<location>` tag sets for exactly this path (the deepest file's
    /// wins), `Inherit` when none does.
    pub override_mode: OverrideMode,
    /// Whether the section is locked at the path: a web.config there may not set it.
    pub locked: bool,
    /// Why it is locked, naming the location tag or declaration that locks it.
    pub reason: Option<String>,
}

impl Hierarchy {
    /// The lock state of `section` at config `path` (`Site/app`; "" for the server).
    /// The server level itself is never locked: applicationHost.config may set any section.
    pub fn section_lock_state(
        &self,
        path: &str,
        section: &str,
    ) -> Result<SectionLockState, EngineError> {
        let path = self.check_path(path)?.as_str().to_string();
        if self.registry.section(section).is_none() {
            return Err(EngineError::NoSchema(section.to_string()));
        }
        let lock = if path.is_empty() {
            None
        } else {
            let index = self
                .levels
                .iter()
                .position(|l| l.as_str().eq_ignore_ascii_case(&path))
                .filter(|i| *i > 0)
                .unwrap_or(self.files.len());
            section_lock(self, index, section, &path)
        };
        Ok(SectionLockState {
            override_mode: self.override_mode_for(&path, section),
            locked: lock.is_some(),
            reason: lock.map(|l| l.description),
        })
    }

    /// The overrideMode of the location tags holding `section` for exactly `path`.
    fn override_mode_for(&self, path: &str, section: &str) -> OverrideMode {
        let mut mode = OverrideMode::Inherit;
        for (fi, file) in self.files.iter().enumerate() {
            let Some(level) = self.levels.get(fi) else {
                continue;
            };
            for inst in file.sections.iter().filter(|s| &*s.name == section) {
                let Some(loc) = file.locations.get(inst.location) else {
                    continue;
                };
                if loc.node.is_none() || loc.override_mode == OverrideMode::Inherit {
                    continue;
                }
                if paths::join(level.as_str(), &loc.path).eq_ignore_ascii_case(path) {
                    mode = loc.override_mode;
                }
            }
        }
        mode
    }
}
