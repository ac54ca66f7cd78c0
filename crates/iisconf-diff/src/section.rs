//! One section compared at every level either side writes it: the levels walked parents
//! first, each compared only where its writing or what it inherits differs, each change
//! reported once at the highest level with the paths below that inherit it counted.

use crate::compare::Comparison;
use crate::model::{Detail, Difference, Kind};
use crate::pin;
use crate::side::{fold, Instance, Side};
use iisconf_core::engine::paths::parent_path;
use iisconf_core::engine::{display_config_path, Effective, EngineError, Hierarchy};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What one section gives: its reports, the values to keep at lower paths, and notes.
pub(crate) struct Section {
    pub reports: Vec<Difference>,
    pub shielded: Vec<Difference>,
    pub notes: Vec<String>,
}

/// What comparing a section at one level gives: the differences, and NEW's state there.
struct At {
    differences: Vec<Difference>,
    new: Effective,
    new_locked: bool,
}

/// A level that writes a section on either side: its config path (lower case), how deep it
/// is, and the instances each side writes there.
struct Written<'s> {
    depth: usize,
    level: &'s str,
    old: &'s [Instance],
    new: &'s [Instance],
}

/// Every level either side writes `section` at, and the server level: parents first, and
/// within a depth in the order of the files, so the documents are read front to back.
fn written_levels<'s>(old: &'s Side, new: &'s Side, section: &str) -> Vec<Written<'s>> {
    let (old_levels, new_levels) = (old.layers.get(section), new.layers.get(section));
    let mut all = Vec::with_capacity(
        old_levels.map_or(0, |l| l.len()) + new_levels.map_or(0, |l| l.len()) + 1,
    );
    let mut server = false;
    for (level, instances) in old_levels.into_iter().flatten() {
        server |= level.is_empty();
        all.push(Written {
            depth: depth(level),
            level,
            old: instances,
            new: new_levels.and_then(|l| l.get(level)).map_or(&[], |v| v),
        });
    }
    for (level, instances) in new_levels.into_iter().flatten() {
        if old_levels.is_some_and(|l| l.contains_key(level)) {
            continue;
        }
        server |= level.is_empty();
        all.push(Written {
            depth: depth(level),
            level,
            old: &[],
            new: instances,
        });
    }
    if !server {
        all.push(Written {
            depth: 0,
            level: "",
            old: &[],
            new: &[],
        });
    }
    all.sort_unstable_by_key(|w| {
        let first = w.old.first().or(w.new.first());
        (w.depth, first.map(|i| (i.file, i.node)))
    });
    all
}

/// Whether config path `path` is `ancestor` or below it (both lower case).
fn within(path: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The level of `levels` nearest at or above `path` (the server level at the latest).
fn nearest_level<'a>(levels: &HashSet<&'a str>, path: &str) -> &'a str {
    let mut cur = Some(path);
    while let Some(p) = cur {
        if let Some(found) = levels.get(p) {
            return found;
        }
        cur = parent_path(p);
    }
    ""
}

/// Beyond this many levels with changes, the level a path inherits from is looked up
/// rather than found by testing each of them.
const FEW_CHANGED_LEVELS: usize = 16;

/// How to tell the levels where both sides write a section alike.
pub(crate) enum Alike<'a> {
    /// By comparing what each side writes there ([`Side::writes_alike`]).
    Compared,
    /// Everywhere but at these levels (lower case; none when `None`): NEW differs from OLD
    /// only in the section instances it rewrote ([`Hierarchy::rewritten_since`]).
    Except(Option<&'a HashSet<String>>),
}

/// The differences of one section at every path, and what could not be compared.
pub(crate) fn diff_section(old: &Side, new: &Side, section: &str, alike: Alike) -> Section {
    let levels = written_levels(old, new, section);
    // The levels as a set, to find the one a path inherits from: built when first needed
    // (only once a change was found).
    let mut level_set: Option<HashSet<&str>> = None;
    let fast = !old.h.written_not_inherited(section) && !new.h.written_not_inherited(section);
    // The server level inherits the schema's defaults: they match when both sides read the
    // section with the same schema and declaration, and then the server level is compared
    // only where it writes the section differently.
    let same_start = fast && old.starting_point(section) == new.starting_point(section);
    let mut reports: Vec<Difference> = Vec::new();
    let mut notes = Vec::new();
    let mut shielded = Vec::new();
    // Per level with changes: the identity of each change found there and the report it
    // belongs to. A level without an entry has none.
    let mut found: HashMap<&str, Vec<(String, usize)>> = HashMap::default();
    for w in &levels {
        let level = w.level;
        let parent = parent_path(level);
        let inherited: &[(String, usize)] = match parent {
            Some(p)
                if found.len() > FEW_CHANGED_LEVELS
                    || found.keys().any(|changed| within(p, changed)) =>
            {
                let set = level_set.get_or_insert_with(|| levels.iter().map(|w| w.level).collect());
                found.get(nearest_level(set, p)).map_or(&[], |v| v)
            }
            _ => &[],
        };
        let writes_alike = match alike {
            Alike::Compared => old.writes_alike(w.old, new, w.new),
            Alike::Except(levels) => !levels.is_some_and(|l| l.contains(level)),
        };
        let same_layers = (parent.is_some() || same_start) && writes_alike;
        if fast && same_layers && inherited.is_empty() {
            continue;
        }
        let mut here = Vec::new();
        match compare_at(old, new, section, w) {
            Ok(Some(at)) => {
                for d in at.differences {
                    let id = d.identity();
                    let loose = d.loose_identity();
                    let from_above = inherited.iter().find(|(i, r)| {
                        *i == id
                            || (same_layers
                                && d.kind == Kind::Reordered
                                && reports.get(*r).is_some_and(|r| r.loose_identity() == loose))
                    });
                    match from_above {
                        Some((_, report)) => here.push((id, *report)),
                        None => {
                            here.push((id, reports.len()));
                            reports.push(d);
                        }
                    }
                }
                for (id, report) in inherited {
                    if here.iter().any(|(i, _)| i == id) {
                        continue;
                    }
                    let pin = reports
                        .get(*report)
                        .and_then(|r| pin::shield(r, &at.new, at.new_locked));
                    shielded.extend(pin);
                }
            }
            Ok(None) => {}
            Err(note) => notes.push(note),
        }
        if !here.is_empty() {
            found.insert(level, here);
        }
    }
    count_paths_below(old, new, &mut reports, &found, &levels, level_set);
    Section {
        reports,
        shielded,
        notes,
    }
}

/// Beyond this many changed paths in a section, the paths below them are counted in one
/// pass over every path of both sides rather than by a walk below each.
const FEW_CHANGED_PATHS: usize = 8;

/// Counts, for each report, the paths below its own that inherit it: those whose nearest
/// level carries it (`found`).
fn count_paths_below(
    old: &Side,
    new: &Side,
    reports: &mut [Difference],
    found: &HashMap<&str, Vec<(String, usize)>>,
    levels: &[Written],
    level_set: Option<HashSet<&str>>,
) {
    if reports.is_empty() {
        return;
    }
    let level_set = level_set.unwrap_or_else(|| levels.iter().map(|w| w.level).collect());
    let changed: HashSet<String> = reports.iter().map(|r| fold(&r.detail.path)).collect();
    if changed.len() > FEW_CHANGED_PATHS {
        // Every path counts once for each report its nearest level carries, except the
        // report's own path: count the paths per nearest level once, then give each report
        // its level's count (a server level that adds 47k sites carries 47k reports, so
        // going through the reports for each path would take hours).
        let (old_paths, new_paths) = (old.every_path(), new.every_path());
        let every = old_paths
            .iter()
            .chain(new_paths.iter().filter(|p| !old_paths.contains(*p)));
        let mut per_level: HashMap<&str, usize> = HashMap::default();
        for path in every {
            *per_level
                .entry(nearest_level(&level_set, path))
                .or_default() += 1;
        }
        for (level, carried) in found {
            let count = per_level.get(level).copied().unwrap_or(0);
            for (_, index) in carried {
                let Some(report) = reports.get_mut(*index) else {
                    continue;
                };
                let own = fold(&report.detail.path);
                let own_counted = (old_paths.contains(&own) || new_paths.contains(&own))
                    && nearest_level(&level_set, &own) == *level;
                report.paths_below += count - usize::from(own_counted);
            }
        }
        return;
    }
    // A path below a report's counts when its nearest level carries the report. The paths
    // below each changed path are counted once per nearest level, and each report adds up
    // the counts of the levels that carry it (a server level that adds thousands of sites
    // carries a report per site, all with the same paths below).
    let mut carried_at: HashMap<usize, Vec<&str>> = HashMap::default();
    for (level, carried) in found {
        for (_, index) in carried {
            carried_at.entry(*index).or_default().push(level);
        }
    }
    // A level carries a report once (tens of thousands of levels may carry one).
    for levels in carried_at.values_mut() {
        levels.sort_unstable();
        levels.dedup();
    }
    let mut below_of: HashMap<String, HashMap<&str, usize>> = HashMap::default();
    for (index, report) in reports.iter_mut().enumerate() {
        let path = fold(&report.detail.path);
        let per_level = below_of.entry(path).or_insert_with_key(|path| {
            let mut below = HashSet::default();
            old.paths_below(path, &mut below);
            new.paths_below(path, &mut below);
            let mut per_level = HashMap::default();
            for p in &below {
                *per_level.entry(nearest_level(&level_set, p)).or_default() += 1;
            }
            per_level
        });
        report.paths_below = carried_at.get(&index).map_or(0, |levels| {
            levels
                .iter()
                .map(|l| per_level.get(l).copied().unwrap_or(0))
                .sum()
        });
    }
}

/// How deep a config path is: 0 for the server level.
pub(crate) fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.bytes().filter(|&b| b == b'/').count() + 1
    }
}

/// The differences of `section` at the level `w` (a config path, lower case).
fn compare_at(old: &Side, new: &Side, section: &str, w: &Written) -> Result<Option<At>, String> {
    let level = w.level;
    let (old_written, new_written) = (old.written_path(w.old), new.written_path(w.new));
    let written = new_written
        .as_deref()
        .or(old_written.as_deref())
        .unwrap_or(level);
    let old_path = old_written.as_deref().unwrap_or(written);
    let new_path = new_written.as_deref().unwrap_or(written);
    let display = display_config_path(written);
    let (old_eff, new_eff) = match (
        effective_at(old.h, old_path, section),
        effective_at(new.h, new_path, section),
    ) {
        (Ok(Some(a)), Ok(Some(b))) => (a, b),
        (Ok(None), _) | (_, Ok(None)) => return Ok(None),
        (Err(e), _) | (_, Err(e)) => {
            return Err(format!("{section} at {display}: not compared: {e}"));
        }
    };
    let registry = new.h.registry();
    let schema = registry
        .section(section)
        .or_else(|| old.h.registry().section(section));
    let mut comparison = Comparison {
        path: written,
        display_path: &display,
        section,
        out: Vec::new(),
    };
    comparison.element(
        &old_eff.root,
        &new_eff.root,
        schema.map(|s| &s.root),
        &mut Vec::new(),
    );
    let (old_locked, new_locked) = (old.locked(section, level), new.locked(section, level));
    if old_locked != new_locked {
        let mode = |locked: bool| Some(if locked { "Deny" } else { "Allow" }.to_string());
        comparison.out.push(Difference {
            path: display.clone(),
            section: section.to_string(),
            element: String::new(),
            attribute: None,
            key: None,
            old: mode(old_locked),
            new: mode(new_locked),
            old_origin: None,
            new_origin: None,
            kind: Kind::Lock,
            paths_below: 0,
            detail: Detail {
                path: written.to_string(),
                ..Detail::default()
            },
        });
    }
    Ok(Some(At {
        differences: comparison.out,
        new: new_eff,
        new_locked,
    }))
}

/// The effective section at `path`, or at its nearest ancestor the hierarchy knows (a site
/// only the other side has inherits the server level); `None` for a section neither the
/// schema nor the hierarchy can read.
fn effective_at(h: &Hierarchy, path: &str, section: &str) -> Result<Option<Effective>, String> {
    let mut cur = Some(path);
    while let Some(p) = cur {
        match h.effective_unchecked(p, section) {
            Ok(e) => return Ok(Some(e)),
            Err(EngineError::UnknownPath(_)) => cur = parent_path(p),
            Err(EngineError::NoSchema(_)) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diff;
    use iisconf_core::config::ConfigFile;
    use iisconf_core::engine::Options;
    use iisconf_core::schema::Registry;

    /// `sites` sites, each with an application `/app`; the first `changed` set their asp
    /// session timeout in a `<location>`.
    fn apphost(sites: usize, changed: usize) -> Hierarchy {
        let mut text = String::from(
            r#"<configuration>
  <configSections>
    <sectionGroup name="system.applicationHost">
      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
    </sectionGroup>
    <sectionGroup name="system.webServer">
      <section name="asp" overrideModeDefault="Deny" />
    </sectionGroup>
  </configSections>
  <system.applicationHost>
    <sites>
"#,
        );
        for i in 1..=sites {
            text += &format!(
                "      <site name=\"S{i}\" id=\"{i}\">\n        <application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"C:\\s{i}\" /></application>\n        <application path=\"/app\"><virtualDirectory path=\"/\" physicalPath=\"C:\\s{i}\\app\" /></application>\n      </site>\n"
            );
        }
        text += "    </sites>\n  </system.applicationHost>\n";
        for i in 1..=changed {
            text += &format!(
                "  <location path=\"S{i}\"><system.webServer><asp><session timeout=\"00:30:00\" /></asp></system.webServer></location>\n"
            );
        }
        text += "</configuration>\n";
        let file = ConfigFile::parse("applicationHost.config", text.as_bytes()).unwrap();
        Hierarchy::from_apphost(Registry::embedded(), file, &Options::default())
    }

    /// Each site's change is reported at the site, with its application counted below, both
    /// when the paths below are walked per change (few changes) and when they are counted in
    /// one pass over every path (many).
    #[test]
    fn paths_below_are_counted_alike_for_few_and_many_changes() {
        for changed in [3, FEW_CHANGED_PATHS + 4] {
            let diff = Diff::between(&apphost(20, 0), &apphost(20, changed));
            let found: Vec<(String, usize)> = diff
                .differences
                .iter()
                .map(|d| (d.path.clone(), d.paths_below))
                .collect();
            let expected: Vec<(String, usize)> = (1..=changed)
                .map(|i| (format!("MACHINE/WEBROOT/APPHOST/S{i}"), 1))
                .collect();
            let mut found_sorted = found.clone();
            found_sorted.sort();
            let mut expected_sorted = expected;
            expected_sorted.sort();
            assert_eq!(found_sorted, expected_sorted, "{changed} changes");
        }
    }

    /// Sites added at the server level are as many reports carried by one level: each counts
    /// every path below the server (a site and its application), as a count per report and
    /// path would.
    #[test]
    fn reports_that_share_a_level_each_count_the_paths_below_it() {
        let sites = 40;
        let diff = Diff::between(&apphost(0, 0), &apphost(sites, 0));
        let added: Vec<usize> = diff
            .differences
            .iter()
            .filter(|d| d.section == "system.applicationHost/sites")
            .map(|d| d.paths_below)
            .collect();
        assert_eq!(added.len(), sites, "one report per site added");
        assert!(added.iter().all(|n| *n == 2 * sites), "{added:?}");
    }
}
