//! Where each section is written: the section instances of a hierarchy grouped by section
//! and level (the config path, compared case-insensitively), in hierarchy order.
//!
//! Levels, sections and groups get small ids. Each instance knows its group, and each level
//! its parent level, so the checks find an instance's group and the group it inherits from
//! without hashing a path.

use super::caseless::{Caseless, CaselessMap, CaselessStr};
use super::{paths, LayerRef};
use crate::config::ConfigFile;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// An id that names nothing (no parent level, no group).
const NONE: u32 = u32::MAX;

/// The instances of one section written at one level: a slice of [`LayerIndex`]'s list.
#[derive(Clone, Copy, Debug)]
struct Group {
    section: u32,
    level: u32,
    start: u32,
    len: u32,
}

/// The section instances of a hierarchy by section and level.
#[derive(Default)]
pub(crate) struct LayerIndex {
    /// Level ids. Every ancestor of a level is a level too.
    levels: CaselessMap<u32>,
    /// Per level: its parent level (`NONE` for the server level `""`).
    parents: Vec<u32>,
    /// Section ids.
    sections: HashMap<Arc<str>, u32>,
    /// The groups in (level, section) order: level `l`'s are
    /// `groups[by_level[l]..by_level[l + 1]]`.
    groups: Vec<Group>,
    by_level: Vec<u32>,
    list: Vec<LayerRef>,
    /// Per file, per section instance: its group.
    of_instance: Vec<Vec<u32>>,
}

/// The order of `keys` (the level and section of each instance, listed in (file, instance)
/// order) by (level, section, file, instance), as indices into `keys`. The keys are counted
/// into one bucket per level (level ids below `levels`), and each level's few are then sorted
/// by section: linear in the keys, where a comparison sort of a large file's 220,000 took
/// longer than the rest of the index, and beside them only a list of 4-byte indices.
fn order_by_level_and_section(keys: &[(u32, u32)], levels: usize) -> Vec<u32> {
    let bucket = |k: &(u32, u32)| (k.0 as usize).min(levels);
    // Where each level's bucket starts (a level out of range goes last).
    let mut starts = vec![0usize; levels + 2];
    for k in keys {
        if let Some(n) = starts.get_mut(bucket(k) + 1) {
            *n += 1;
        }
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut order = vec![0u32; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        if let Some(at) = starts.get_mut(bucket(k)) {
            if let Some(slot) = order.get_mut(*at) {
                *slot = i as u32;
            }
            *at += 1;
        }
    }
    // Each bucket now ends where its start was moved to; within it, the keys are in
    // (file, instance) order.
    let section = |i: u32| keys.get(i as usize).map_or(0, |k| k.1);
    let mut from = 0;
    for &end in starts.iter().take(levels + 1) {
        if let Some(run) = order.get_mut(from..end) {
            run.sort_unstable_by_key(|&i| (section(i), i));
        }
        from = end;
    }
    order
}

impl LayerIndex {
    /// Indexes the instances of `files`; `location_levels[f][l]` is the config path of
    /// location tag `l` of file `f`.
    pub fn build(files: &[ConfigFile], location_levels: &[Vec<Arc<str>>]) -> LayerIndex {
        let mut index = LayerIndex::default();
        let instances: usize = files.iter().map(|f| f.sections.len()).sum();
        let locations: usize = location_levels.iter().map(|l| l.len()).sum();
        index.levels.reserve(locations + 1);
        index.parents.reserve(locations + 1);
        index.level_id(&Arc::from(""));
        // Section names are shared: most are looked up by address.
        let mut by_address: HashMap<*const u8, u32> = HashMap::default();
        // (level, section) of each instance, in (file, instance) order: ordered by level and
        // section, each group is one run, in hierarchy order.
        let mut keys: Vec<(u32, u32)> = Vec::with_capacity(instances);
        // Where each file's instances start among the keys.
        let mut file_starts: Vec<usize> = Vec::with_capacity(files.len());
        for (fi, file) in files.iter().enumerate() {
            file_starts.push(keys.len());
            let level_ids: Vec<u32> = location_levels
                .get(fi)
                .map(|levels| levels.iter().map(|l| index.level_id(l)).collect())
                .unwrap_or_default();
            for inst in &file.sections {
                let address = inst.name.as_ptr();
                let section = match by_address.get(&address) {
                    Some(id) => *id,
                    None => {
                        let id = index.section_id(&inst.name);
                        by_address.insert(address, id);
                        id
                    }
                };
                let level = level_ids.get(inst.location).copied().unwrap_or(0);
                keys.push((level, section));
            }
        }
        let order = order_by_level_and_section(&keys, index.parents.len());
        index.of_instance = files.iter().map(|f| vec![NONE; f.sections.len()]).collect();
        index.list.reserve(keys.len());
        // At most one group per instance: reserved once instead of grown by copies (the
        // part never written is never touched).
        index.groups.reserve(keys.len());
        for i in order {
            let Some(&(level, section)) = keys.get(i as usize) else {
                continue;
            };
            // The file holding instance `i` (the last whose instances start at or before it;
            // a file without instances shares its start with the next).
            let i = i as usize;
            let fi = file_starts
                .partition_point(|start| *start <= i)
                .saturating_sub(1);
            let ii = i - file_starts.get(fi).copied().unwrap_or(0);
            let same = index
                .groups
                .last()
                .is_some_and(|g| g.level == level && g.section == section);
            if !same {
                index.groups.push(Group {
                    section,
                    level,
                    start: index.list.len() as u32,
                    len: 0,
                });
            }
            let g = index.groups.len() - 1;
            index.groups[g].len += 1;
            index.list.push(LayerRef {
                file: fi,
                instance: ii,
            });
            if let Some(slot) = index.of_instance.get_mut(fi).and_then(|f| f.get_mut(ii)) {
                *slot = g as u32;
            }
        }
        index.by_level = vec![0; index.parents.len() + 1];
        for g in &index.groups {
            index.by_level[g.level as usize + 1] += 1;
        }
        for l in 1..index.by_level.len() {
            index.by_level[l] += index.by_level[l - 1];
        }
        index
    }

    /// The id of `level`, added (with its ancestors) if new.
    fn level_id(&mut self, level: &Arc<str>) -> u32 {
        match self.levels.get(&CaselessStr(level)) {
            Some(id) => *id,
            None => self.add_level(level, Some(level)),
        }
    }

    /// Adds a level not yet known (and its ancestors), keeping `shared` as its key.
    fn add_level(&mut self, level: &str, shared: Option<&Arc<str>>) -> u32 {
        let parent = match paths::parent_path(level) {
            Some(p) => match self.levels.get(&CaselessStr(p)) {
                Some(id) => *id,
                None => self.add_level(p, None),
            },
            None => NONE,
        };
        let id = self.parents.len() as u32;
        self.parents.push(parent);
        let key = shared.cloned().unwrap_or_else(|| Arc::from(level));
        self.levels.insert(Caseless(key), id);
        id
    }

    fn section_id(&mut self, section: &Arc<str>) -> u32 {
        if let Some(id) = self.sections.get(section) {
            return *id;
        }
        let id = self.sections.len() as u32;
        self.sections.insert(section.clone(), id);
        id
    }

    fn members(&self, group: usize) -> &[LayerRef] {
        self.groups
            .get(group)
            .and_then(|g| self.list.get(g.start as usize..(g.start + g.len) as usize))
            .unwrap_or(&[])
    }

    /// The instances of `section` written at `level`, in hierarchy order.
    pub fn at(&self, level: &str, section: &str) -> &[LayerRef] {
        self.group_id(level, section)
            .map_or(&[], |g| self.members(g as usize))
    }

    /// The group of `section` written at `level`, if any.
    pub fn group_id(&self, level: &str, section: &str) -> Option<u32> {
        let section = self.sections.get(section)?;
        let level = self.levels.get(&CaselessStr(level))?;
        self.group_at(*section, *level)
    }

    /// The group of an instance.
    pub fn group_of(&self, layer: LayerRef) -> Option<u32> {
        self.of_instance
            .get(layer.file)
            .and_then(|f| f.get(layer.instance))
            .copied()
            .filter(|g| *g != NONE)
    }

    /// The instances of a group, in hierarchy order.
    pub fn group(&self, group: u32) -> &[LayerRef] {
        self.members(group as usize)
    }

    /// The group of the same section at the nearest level above `group`'s: the one it
    /// inherits from.
    pub fn above(&self, group: u32) -> Option<u32> {
        let g = self.groups.get(group as usize)?;
        let mut level = self.parents.get(g.level as usize).copied()?;
        while level != NONE {
            if let Some(found) = self.group_at(g.section, level) {
                return Some(found);
            }
            level = self.parents.get(level as usize).copied()?;
        }
        None
    }

    /// The group of `section` at `level`, searched among the few groups of the level.
    fn group_at(&self, section: u32, level: u32) -> Option<u32> {
        let level = level as usize;
        let from = *self.by_level.get(level)?;
        let to = *self.by_level.get(level + 1)?;
        let groups = self.groups.get(from as usize..to as usize)?;
        let i = groups.binary_search_by_key(&section, |g| g.section).ok()?;
        Some(from + i as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Ordering by counting gives the comparison sort's order: keys listed in (file,
        /// instance) order end sorted by (level, section, file, instance).
        #[test]
        fn keys_ordered_by_counting_are_sorted(
            keys in proptest::collection::vec((0u32..40, 0u32..12), 0..300),
        ) {
            let mut expected: Vec<(u32, u32, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, (level, section))| (*level, *section, i))
                .collect();
            expected.sort_unstable();
            let ordered: Vec<(u32, u32, usize)> = order_by_level_and_section(&keys, 40)
                .into_iter()
                .map(|i| (keys[i as usize].0, keys[i as usize].1, i as usize))
                .collect();
            proptest::prop_assert_eq!(ordered, expected);
        }
    }

    fn file(text: &str) -> ConfigFile {
        let mut f = ConfigFile::from_document(
            "t.config",
            iisconf_xml::Document::parse(text.as_bytes()).unwrap(),
        );
        let mut catalog = crate::config::SectionCatalog::default();
        catalog.add_section("system.webServer/asp");
        catalog.add_section("system.webServer/defaultDocument");
        f.scan_sections(&catalog);
        f
    }

    #[test]
    fn groups_by_section_and_level_and_finds_the_group_above() {
        let f = file(
            r#"<configuration>
<system.webServer><asp /></system.webServer>
<location path="Site/app"><system.webServer><asp /><defaultDocument /></system.webServer></location>
<location path="SITE"><system.webServer><asp /></system.webServer></location>
<location path="site"><system.webServer><asp /></system.webServer></location>
</configuration>"#,
        );
        let levels: Vec<Arc<str>> = f.locations.iter().map(|l| l.path.clone()).collect();
        let index = LayerIndex::build(std::slice::from_ref(&f), &[levels]);
        let site = index.at("Site", "system.webServer/asp");
        assert_eq!(site.len(), 2, "SITE and site are one level");
        assert!(site[0].instance < site[1].instance);
        let app = index.group_of(index.at("site/APP", "system.webServer/asp")[0]);
        let above = app.and_then(|g| index.above(g));
        assert_eq!(above.map(|g| index.group(g)), Some(site));
        let root = above.and_then(|g| index.above(g));
        assert_eq!(root.map(|g| index.group(g).len()), Some(1));
        assert_eq!(root.and_then(|g| index.above(g)), None);
        let doc = index.group_of(index.at("Site/app", "system.webServer/defaultDocument")[0]);
        assert_eq!(doc.and_then(|g| index.above(g)), None);
    }
}
