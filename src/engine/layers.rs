//! Where each section is written: the section instances of a hierarchy grouped by section
//! and level (the config path, compared case-insensitively), in hierarchy order.
//!
//! The groups live in one list; levels and sections get small ids, so building the index
//! hashes each level once and each instance's (section, level) pair as two integers.

use super::caseless::{Caseless, CaselessMap, CaselessStr};
use super::LayerRef;
use crate::config::ConfigFile;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The section instances of a hierarchy by section and level.
#[derive(Default)]
pub(crate) struct LayerIndex {
    /// Level ids.
    levels: CaselessMap<u32>,
    /// Section ids.
    sections: HashMap<Arc<str>, u32>,
    /// (section id, level id) → (start, length) in `list`.
    groups: HashMap<(u32, u32), (u32, u32)>,
    list: Vec<LayerRef>,
}

impl LayerIndex {
    /// Indexes the instances of `files`; `location_levels[f][l]` is the config path of
    /// location tag `l` of file `f`.
    pub fn build(files: &[ConfigFile], location_levels: &[Vec<Arc<str>>]) -> LayerIndex {
        let mut index = LayerIndex::default();
        let mut keys: Vec<(u32, u32)> = Vec::new();
        let mut counts: HashMap<(u32, u32), u32> = HashMap::default();
        for (fi, file) in files.iter().enumerate() {
            let level_ids: Vec<u32> = location_levels
                .get(fi)
                .map(|levels| levels.iter().map(|l| index.level_id(l)).collect())
                .unwrap_or_default();
            for inst in &file.sections {
                let section = match index.sections.get(&inst.name) {
                    Some(id) => *id,
                    None => {
                        let id = index.sections.len() as u32;
                        index.sections.insert(inst.name.clone(), id);
                        id
                    }
                };
                let key = (section, level_ids.get(inst.location).copied().unwrap_or(0));
                *counts.entry(key).or_default() += 1;
                keys.push(key);
            }
        }
        // Every group gets its slice of the list, filled in hierarchy order.
        let mut start = 0u32;
        index.groups.reserve(counts.len());
        for (key, n) in counts {
            index.groups.insert(key, (start, 0));
            start += n;
        }
        index.list = vec![
            LayerRef {
                file: 0,
                instance: 0
            };
            keys.len()
        ];
        let mut keys = keys.into_iter();
        for (fi, file) in files.iter().enumerate() {
            for ii in 0..file.sections.len() {
                let Some(key) = keys.next() else { break };
                if let Some((start, len)) = index.groups.get_mut(&key) {
                    if let Some(slot) = index.list.get_mut((*start + *len) as usize) {
                        *slot = LayerRef {
                            file: fi,
                            instance: ii,
                        };
                    }
                    *len += 1;
                }
            }
        }
        index
    }

    fn level_id(&mut self, level: &Arc<str>) -> u32 {
        if let Some(id) = self.levels.get(&CaselessStr(level)) {
            return *id;
        }
        let id = self.levels.len() as u32;
        self.levels.insert(Caseless(level.clone()), id);
        id
    }

    /// Adds an instance (of a file edited in place) to its group; the group moves to the end
    /// of the list, where it keeps hierarchy order.
    pub fn add(&mut self, section: &Arc<str>, level: &Arc<str>, layer: LayerRef) {
        let section_id = match self.sections.get(section) {
            Some(id) => *id,
            None => {
                let id = self.sections.len() as u32;
                self.sections.insert(section.clone(), id);
                id
            }
        };
        let key = (section_id, self.level_id(level));
        let mut group: Vec<LayerRef> = self
            .groups
            .get(&key)
            .and_then(|(start, len)| self.list.get(*start as usize..(*start + *len) as usize))
            .map(|g| g.to_vec())
            .unwrap_or_default();
        group.push(layer);
        group.sort_by_key(|l| (l.file, l.instance));
        let start = self.list.len() as u32;
        let len = group.len() as u32;
        self.list.extend(group);
        self.groups.insert(key, (start, len));
    }

    /// The instances of `section` written at `level`, in hierarchy order.
    pub fn at(&self, level: &str, section: &str) -> &[LayerRef] {
        let (Some(section), Some(level)) = (
            self.sections.get(section),
            self.levels.get(&CaselessStr(level)),
        ) else {
            return &[];
        };
        self.groups
            .get(&(*section, *level))
            .and_then(|(start, len)| self.list.get(*start as usize..(*start + *len) as usize))
            .unwrap_or(&[])
    }
}
