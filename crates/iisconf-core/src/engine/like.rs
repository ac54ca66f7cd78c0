//! Opening a hierarchy like an earlier one: the NEW side of a diff, whose
//! applicationHost.config was parsed like OLD's ([`iisconf_xml::Document::from_vec_like`])
//! and differs from it below the root element. What OLD's hierarchy derived from its file
//! (the section instances, the config paths of the location tags, the layers, the sites)
//! then holds for NEW with the nodes moved, but where the change lies: the sections of the
//! location tag holding it are found again when it is not inside one section instance, and
//! the sites are read again when it touches them. Anything else is opened whole
//! ([`Hierarchy::of_file`]).

use super::open::{fragment_note, has_config_sections};
use super::{companions, sites, Hierarchy, Options, PathMapper};
use crate::config::{ConfigFile, Declaration, FileKind, SectionInstance};
use crate::schema::Registry;
use iisconf_xml::{NodeId, Reread};
use std::sync::Arc;

impl Hierarchy {
    /// [`Hierarchy::of_file`] for `file`, which may have been parsed like the
    /// applicationHost.config of `earlier` (the other side of a diff, read by
    /// [`super::read_config_pair`]). When that file differs from `earlier`'s only below the
    /// root element, and both are read on their own (no root map, no other file of the
    /// config folder, no `configSource` file), what `earlier` derived from its file is taken
    /// over where the change does not reach; the hierarchy is the one [`Hierarchy::of_file`]
    /// builds either way.
    pub fn of_file_like(
        registry: Registry,
        file: ConfigFile,
        options: &Options,
        earlier: &Hierarchy,
    ) -> Hierarchy {
        match earlier.taken_over(&registry, &file, options) {
            Some(parts) => Hierarchy::from_parts(registry, file, options, earlier, parts),
            None => Hierarchy::of_file(registry, file, options),
        }
    }

    /// Whether [`Hierarchy::of_file_like`] may take over what the hierarchy of `earlier`
    /// derives for `file`: `file` was parsed like `earlier`, and the content read again
    /// lies below the root element. A caller that would open the two at once otherwise
    /// opens `earlier` first.
    pub fn may_open_like(file: &ConfigFile, earlier: &ConfigFile) -> bool {
        file.doc
            .reread_from(&earlier.doc)
            .is_some_and(|reread| reread.element().is_none_or(|e| Some(e) != earlier.root()))
    }

    /// What `file` can take over from this hierarchy, when it can.
    fn taken_over(
        &self,
        registry: &Registry,
        file: &ConfigFile,
        options: &Options,
    ) -> Option<Parts> {
        let earlier = self.apphost()?;
        let fragment = !has_config_sections(file);
        // Read on its own, unedited since, under the same sections.
        let alone = self.real_apphost
            && self.files.len() == 1 + usize::from(fragment)
            && self.sources.is_empty()
            && !self.mapper.has_roots()
            && self.pending.is_empty()
            && self.registry.shares_sections_with(registry);
        if !alone || file.kind() != FileKind::AppHost || !file.sections.is_empty() {
            return None;
        }
        // NEW reads no web.config: its mapper (made once taken over) has no root.
        if !options.root_maps.is_empty() {
            return None;
        }
        // No other file of the config folder is read with it (their notes are kept).
        let mut companion_notes = Vec::new();
        if let Some(path) = &options.apphost {
            if !companions::read_companions(path, &mut companion_notes).is_empty() {
                return None;
            }
        }
        let reread = file.doc.reread_from(&earlier.doc)?;
        // The location tags, read from the new document, are the earlier ones moved: the
        // content read again lies in a location tag or below the root level. The
        // declarations (which name the sections) must be the same.
        let same_declaration = |(a, b): (&Declaration, &Declaration)| {
            a.name == b.name
                && a.allow_definition == b.allow_definition
                && a.override_mode_default == b.override_mode_default
                && a.allow_location == b.allow_location
        };
        if file.locations.len() != earlier.locations.len()
            || file.declarations.len() != earlier.declarations.len()
            || !file
                .declarations
                .iter()
                .zip(&earlier.declarations)
                .all(same_declaration)
        {
            return None;
        }
        // The sections are the earlier ones moved when the content read again lies in one
        // section instance; else those of the location tag holding it are found again.
        let rescan = match reread.element() {
            Some(element) if holding_instance(earlier, element).is_none() => {
                Some(holding_location(earlier, element)?)
            }
            _ => None,
        };
        let sections = moved_sections(&earlier.sections, reread, rescan)?;
        // The sites are kept when their element is the same, none of it was read again, and
        // none of its nodes moved (they keep their ids when it lies before the content read
        // again, or when that content has as many nodes as before).
        let sites = sites::sites_element(earlier);
        let sites_kept = sites == sites::sites_element(file)
            && sites.is_none_or(|n| {
                reread.node(n) == Some(n) && reread.element().is_none_or(|e| !holds(earlier, n, e))
            });
        Some(Parts {
            sections,
            rescan,
            sites_kept,
            companion_notes,
        })
    }

    /// The hierarchy of `file` (its sections in `parts`) with what `earlier` derived.
    fn from_parts(
        registry: Registry,
        mut file: ConfigFile,
        options: &Options,
        earlier: &Hierarchy,
        parts: Parts,
    ) -> Hierarchy {
        file.sections = parts.sections;
        if let Some(index) = parts.rescan {
            file.rescan_location(index, &earlier.catalog);
        }
        // The notes `Hierarchy::from_apphost` makes, in its order.
        let mut notes = Vec::new();
        if !has_config_sections(&file) {
            notes.push(fragment_note(&file));
        }
        notes.extend(parts.companion_notes);
        let mut files = vec![file];
        // The stock declarations a fragment is read under.
        files.extend(earlier.files.get(1).cloned());
        let (sites, site_index) = if parts.sites_kept {
            (earlier.sites.clone(), earlier.site_index.clone())
        } else {
            (Arc::new(sites::read_sites(&files[0])), Default::default())
        };
        let mut h = Hierarchy::empty(registry, files, earlier.levels.clone(), true, sites, notes);
        h.location_levels = earlier.location_levels.clone();
        h.declarations = earlier.declarations.clone();
        h.catalog = earlier.catalog.clone();
        h.site_index = site_index;
        if !parts.sites_kept {
            h.index_sites();
        }
        if parts.rescan.is_some() {
            h.derive_layers(&[]);
        } else {
            h.layers = earlier.layers.clone();
            h.not_inherited = earlier.not_inherited.clone();
        }
        let mut first = Vec::new();
        if let Some(apphost) = h.apphost() {
            sites::note_no_root_map(apphost, &h.sites, &mut first);
        }
        h.notes.splice(0..0, first);
        h.mapper = PathMapper::new(&options.root_maps, &options.env);
        h.with_config_sources()
    }
}

/// What a file parsed like an earlier one takes over from the earlier hierarchy.
struct Parts {
    /// Its section instances: the earlier file's, moved (but those of `rescan`).
    sections: Vec<SectionInstance>,
    /// The location tag (0: the root level) whose sections are found again, when the
    /// content read again is not inside one section instance.
    rescan: Option<usize>,
    /// Whether the earlier sites hold for it (else they are read again).
    sites_kept: bool,
    /// What reading the other files of its config folder noted (there are none to read).
    companion_notes: Vec<crate::diagnostic::Finding>,
}

/// Whether `node` of `file` is `element` or one of its ancestors.
fn holds(file: &ConfigFile, node: NodeId, element: NodeId) -> bool {
    std::iter::successors(Some(element), |n| file.doc.parent(*n))
        .take_while(|n| *n >= node)
        .any(|n| n == node)
}

/// The section instance of `file` that is `element` or holds it, with its index; `None`
/// when there is none (the element is a location tag, a section group,
/// `<configSections>`…).
pub(super) fn holding_instance(
    file: &ConfigFile,
    element: NodeId,
) -> Option<(usize, &SectionInstance)> {
    let at = file
        .sections
        .partition_point(|s| s.node <= element)
        .checked_sub(1)?;
    let instance = file.sections.get(at)?;
    let mut node = Some(element);
    while let Some(n) = node.filter(|n| *n >= instance.node) {
        if n == instance.node {
            return Some((at, instance));
        }
        node = file.doc.parent(n);
    }
    None
}

/// The location tag of `file` (its index; 0 for the root level) that is `element` or
/// holds it; `None` for the root element itself and what lies outside it.
fn holding_location(file: &ConfigFile, element: NodeId) -> Option<usize> {
    let root = file.root()?;
    let mut node = element;
    loop {
        if node == root {
            return None;
        }
        if let Ok(index) = file.locations.binary_search_by_key(&Some(node), |l| l.node) {
            return Some(index);
        }
        let parent = file.doc.parent(node)?;
        if parent == root {
            return Some(0);
        }
        node = parent;
    }
}

/// `sections` with their nodes moved as `reread` moved them, but those of location tag
/// `except`; `None` when another was read again.
fn moved_sections(
    sections: &[SectionInstance],
    reread: &Reread,
    except: Option<usize>,
) -> Option<Vec<SectionInstance>> {
    let moved = crate::config::in_parallel(sections, |chunk| {
        chunk
            .iter()
            .filter(|s| Some(s.location) != except)
            .map(|s| {
                Some(SectionInstance {
                    name: s.name.clone(),
                    node: reread.node(s.node)?,
                    location: s.location,
                })
            })
            .collect::<Vec<_>>()
    });
    moved.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_xml::Document;
    use std::fmt::Write;
    use std::path::Path;

    /// What a hierarchy derived, as text: its files' declarations, location tags and
    /// section instances, the config paths, the sites (and which each name finds), the
    /// notes, the findings of a whole check, and the effective configuration of the
    /// sections at every level that writes them (which reads the layers).
    fn derived(h: &Hierarchy) -> String {
        let mut out = String::new();
        for f in &h.files {
            let _ = writeln!(out, "{}\n{:?}\n{:?}", f.name, f.declarations, f.locations);
            let _ = writeln!(out, "{:?}", f.sections);
        }
        let _ = writeln!(
            out,
            "{:?}\n{:?}\n{:?}",
            h.levels, h.location_levels, h.sites
        );
        for site in h.sites.iter() {
            let found = h.site_of(&site.name).map(|s| &s.name);
            let _ = writeln!(out, "{} -> {found:?}", site.name);
        }
        let mut names: Vec<_> = h.not_inherited.iter().collect();
        names.sort();
        let _ = writeln!(out, "{names:?}");
        for note in &h.notes {
            let _ = writeln!(out, "{note}");
        }
        for finding in h.check() {
            let _ = writeln!(out, "{finding}");
        }
        for (fi, f) in h.files.iter().enumerate() {
            for inst in f.sections.iter().step_by(7) {
                let level = h.location_level(fi, inst.location);
                let eff = h.effective_unchecked(level, &inst.name);
                let _ = writeln!(out, "{level} {}: {:?}", inst.name, eff.map(|e| e.root));
            }
        }
        out
    }

    /// `old` and `changed`, a copy of its text changed, as the two sides of a diff: NEW
    /// parsed like OLD and opened like OLD's hierarchy derives what NEW opened whole does.
    /// Whether NEW took over what OLD derived.
    fn opens_like_whole(registry: &Registry, old: &Hierarchy, name: &str, changed: &str) -> bool {
        // As `iisconf diff` opens a side: the other files of its folder are looked for.
        let options = Options {
            apphost: Some(name.into()),
            ..Options::default()
        };
        opens_like_whole_with(registry, old, name, changed, &options)
    }

    /// [`opens_like_whole`], NEW opened with `options`.
    fn opens_like_whole_with(
        registry: &Registry,
        old: &Hierarchy,
        name: &str,
        changed: &str,
        options: &Options,
    ) -> bool {
        let Ok(whole) = ConfigFile::parse(name, changed.as_bytes()) else {
            return false;
        };
        let earlier = &old.apphost().expect("a file").doc;
        let doc = Document::from_vec_like(changed.as_bytes().to_vec(), earlier).expect("parses");
        let file = ConfigFile::from_document(name, doc);
        let taken = old.taken_over(registry, &file, options).is_some();
        let like = Hierarchy::of_file_like(registry.clone(), file, options, old);
        let whole = Hierarchy::of_file(registry.clone(), whole, options);
        assert!(derived(&like) == derived(&whole), "{name}: {changed}");
        taken
    }

    /// Every real file with, in turn, a value of a section instance changed, an element
    /// added inside one (the nodes after it move), a site's value changed, and a location
    /// tag's attribute changed (which is not inside a section: opened whole).
    #[test]
    fn a_hierarchy_opened_like_another_is_the_one_opened_whole() {
        let registry = Registry::embedded();
        let (mut compared, mut taken) = (0, 0);
        // With the other files of a config folder, which are read with it.
        let folder = ["fixtures/forms/configfolder/applicationHost.config"];
        for (name, text) in super::super::test_files::real_files(&folder) {
            let Ok(file) = ConfigFile::parse(&name, text.as_bytes()) else {
                continue;
            };
            let options = Options {
                apphost: Some(name.clone().into()),
                ..Options::default()
            };
            let old = Hierarchy::of_file(registry.clone(), file, &options);
            let apphost = old.apphost().expect("a file");
            let doc = &apphost.doc;
            let text = doc.source();
            let mut changes = vec![text.to_string()];
            let step = (apphost.sections.len() / 24).max(1);
            for inst in apphost.sections.iter().step_by(step) {
                let Some(element) = doc
                    .element_span(inst.node)
                    .and_then(|span| Some((span.start, text.get(span.start..span.end)?)))
                else {
                    continue;
                };
                let (start, element) = element;
                if let Some(at) = element.find("=\"") {
                    let at = start + at + 2;
                    changes.push(format!("{}1{}", &text[..at], &text[at..]));
                }
                if let Some(at) = element.rfind("</") {
                    let at = start + at;
                    changes.push(format!(
                        "{}<clear /><x a=\"1\"/>{}",
                        &text[..at],
                        &text[at..]
                    ));
                }
            }
            if let Some(at) = text
                .find("<site ")
                .and_then(|i| Some(i + text[i..].find("=\"")? + 2))
            {
                changes.push(format!("{}1{}", &text[..at], &text[at..]));
            }
            // `insert` written after the first `marker`.
            let after = |marker: &str, insert: &str| {
                let at = text.find(marker)? + marker.len();
                Some(format!("{}{insert}{}", &text[..at], &text[at..]))
            };
            // Before the sites (which then move) and next to them (their element changes).
            changes.extend(after("<applicationPools>", "<x a=\"1\"/>"));
            changes.extend(after("<system.applicationHost>", "<sites />"));
            changes.extend(after("<system.applicationHost>", "<log />"));
            // A declaration renamed: the sections are named otherwise.
            changes.extend(after("<section name=\"", "x"));
            changes.extend(after("<location path=\"", "x"));
            for changed in &changes {
                taken += usize::from(opens_like_whole(&registry, &old, &name, changed));
                compared += 1;
            }
        }
        // NEW in a config folder with other files to read, OLD in one without.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let example = root.join("fixtures/example/applicationHost.config");
        let text = std::fs::read_to_string(&example).expect("the example");
        let name = example.display().to_string();
        let options = |path: &Path| Options {
            apphost: Some(path.to_path_buf()),
            ..Options::default()
        };
        let file = ConfigFile::parse(&name, text.as_bytes()).expect("parses");
        let old = Hierarchy::of_file(registry.clone(), file, &options(&example));
        let folder = root.join("fixtures/forms/configfolder/applicationHost.config");
        let changed = text.replacen(
            "<applicationPools>",
            "<applicationPools><add name=\"x\" />",
            1,
        );
        assert!(!opens_like_whole_with(
            &registry,
            &old,
            &name,
            &changed,
            &options(&folder)
        ));
        assert!(compared > 100, "only {compared} changes were compared");
        assert!(
            taken > 30,
            "only {taken} of {compared} took over the earlier hierarchy"
        );
    }
}
