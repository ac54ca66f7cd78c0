//! A section's lock state at a config path, as appcmd's CONFIG object shows it
//! (`overrideMode` and `locked`): the mode a location tag sets for that very path, and
//! whether a configuration file at the path may set the section.

use super::check::section_lock;
use super::{paths, EngineError, Hierarchy};
use crate::config::{LocationTag, OverrideMode};

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
        (0..self.files.len())
            .flat_map(|fi| self.lock_tags_in(fi, section))
            .filter(|tag| tag.path.eq_ignore_ascii_case(path))
            .last()
            .map_or(OverrideMode::Inherit, |tag| tag.mode)
    }

    /// The `<location>` tags of file `fi` that lock or unlock `section` (overrideMode
    /// Allow or Deny), in file order.
    pub(super) fn lock_tags_in<'h>(
        &'h self,
        fi: usize,
        section: &'h str,
    ) -> impl Iterator<Item = LockTag<'h>> + 'h {
        let file = self.files.get(fi);
        let level = self.levels.get(fi);
        file.zip(level).into_iter().flat_map(move |(file, level)| {
            file.sections
                .iter()
                .filter(move |inst| &*inst.name == section)
                .filter_map(move |inst| {
                    let tag = file.locations.get(inst.location)?;
                    (tag.node.is_some() && tag.override_mode != OverrideMode::Inherit).then(|| {
                        LockTag {
                            file: fi,
                            path: paths::join(level.as_str(), &tag.path),
                            mode: tag.override_mode,
                            tag,
                        }
                    })
                })
        })
    }
}

/// A `<location>` tag that locks or unlocks a section.
pub(super) struct LockTag<'h> {
    /// The file holding it.
    pub file: usize,
    /// The config path it applies to.
    pub path: String,
    /// Allow or Deny.
    pub mode: OverrideMode,
    /// The tag itself.
    pub tag: &'h LocationTag,
}
