//! The questions the IIS rules answer: every finding of the hierarchy, the findings an edit
//! of some sections can change, the findings about a section at a path, and those of one
//! section instance.

use super::{check, paths, validate, FileId, Hierarchy, LayerRef};
use super::{ConfigPath, EngineError};
use crate::diagnostic::{Finding, Place, Rule};
use rustc_hash::FxHashSet as HashSet;

impl Hierarchy {
    /// Leaves the findings of `rules` out of every check from now on, and their checks
    /// where a rule's check can be left out (IIS4003 compares every value with what it
    /// inherits): for a caller that would discard them, such as a linter whose
    /// configuration does not select them.
    pub fn skip_rules(&mut self, rules: impl IntoIterator<Item = Rule>) {
        self.skipped_rules.extend(rules);
        self.skipped_rules.sort_unstable_by_key(|r| r.id());
        self.skipped_rules.dedup();
    }

    /// Whether the findings of `rule` are wanted (not left out by [`Hierarchy::skip_rules`]).
    pub fn wants(&self, rule: Rule) -> bool {
        !self.skipped_rules.contains(&rule)
    }

    /// Drops the findings of the rules left out.
    fn without_skipped(&self, mut findings: Vec<Finding>) -> Vec<Finding> {
        if !self.skipped_rules.is_empty() {
            findings.retain(|f| self.wants(f.rule));
        }
        findings
    }

    /// The findings of one section instance, read against what it inherits (the levels
    /// above, then the earlier instances at its own level).
    pub(crate) fn check_layer(&self, layer: LayerRef, findings: &mut Vec<Finding>) {
        self.with_inherited(layer, |view, ctx, node, schema| {
            validate::check_element(view, node, schema, ctx, findings);
        });
    }

    /// The findings about `section` in the files and location tags that apply at `path`:
    /// what makes the section invalid there.
    pub fn check_section_at(&self, path: &str, section: &str) -> Result<Vec<Finding>, EngineError> {
        let path = self.check_path(path)?;
        let mut levels = vec![path.as_str()];
        let mut cur = path.as_str();
        while let Some(p) = paths::parent_path(cur) {
            levels.push(p);
            cur = p;
        }
        levels.reverse();
        let mut findings = Vec::new();
        let mut reported = HashSet::default();
        let mut rereads = Rereads::new(self);
        for level in levels {
            for layer in self.layers_at(level, section) {
                if FileId::new(layer.file).is_apphost() && !self.real_apphost {
                    continue;
                }
                let mut own = Vec::new();
                check::check_instance(self, layer.file, layer.instance, &mut reported, &mut own);
                rereads.sift(layer.file, &mut own);
                findings.append(&mut own);
            }
        }
        Ok(self.without_skipped(findings))
    }

    /// The findings of the IIS rules for the given (section, config path) pairs only: the
    /// instances of each section written at that path or below it (plus the location tags
    /// that hold them), in file order. This is the part of [`Hierarchy::check`] that an
    /// edit of that section at that path can change: values, locks and inheritance only
    /// flow downward.
    pub fn check_sections(&self, scope: &[(String, String)]) -> Vec<Finding> {
        let scope: Vec<(&str, ConfigPath)> = scope
            .iter()
            .map(|(s, p)| (s.as_str(), ConfigPath::new(p)))
            .collect();
        let mut findings = Vec::new();
        let mut rereads = Rereads::new(self);
        for fi in 0..self.files.len() {
            if FileId::new(fi).is_apphost() && !self.real_apphost {
                continue;
            }
            let wanted = |name: &str, location: usize| {
                scope.iter().any(|(s, p)| {
                    *s == name
                        && self.location_levels[fi]
                            .get(location)
                            .is_some_and(|at| paths::is_ancestor_or_self(p, at))
                })
            };
            let mut own = Vec::new();
            check::check_file_filtered(self, fi, Some(&wanted), &mut own);
            rereads.sift(fi, &mut own);
            findings.append(&mut own);
        }
        self.without_skipped(findings)
    }

    /// The findings of [`Hierarchy::check`] that can differ from `earlier`'s: the notes of
    /// building this hierarchy, then the findings of the sections it writes differently
    /// ([`Hierarchy::rewritten_since`]). Every other finding of this hierarchy is one of
    /// `earlier`'s, so a caller that found no error in `earlier` learns from these alone
    /// whether this one has any. `None` where only a whole check tells.
    pub fn check_since(&self, earlier: &Hierarchy) -> Option<Vec<Finding>> {
        let scope = self.rewritten_since(earlier)?;
        Some(self.check_rewritten(&scope))
    }

    /// [`Hierarchy::check_since`] for the pairs [`Hierarchy::rewritten_since`] gave: the
    /// notes, then the findings of those sections. When there are many, the whole check.
    pub fn check_rewritten(&self, scope: &[(String, String)]) -> Vec<Finding> {
        // Each instance is matched against every pair: past a few, one pass over all is less.
        if scope.len() > FEW_REWRITTEN {
            return self.check();
        }
        let mut findings = self.without_skipped(self.notes.clone());
        if !scope.is_empty() {
            findings.extend(self.check_sections(scope));
        }
        findings
    }

    /// Every finding of the IIS rules over the whole hierarchy, in file order.
    pub fn check(&self) -> Vec<Finding> {
        let mut findings = self.notes.clone();
        let mut rereads = Rereads::new(self);
        for fi in 0..self.files.len() {
            if FileId::new(fi).is_apphost() && !self.real_apphost {
                continue;
            }
            let mut own = Vec::new();
            check::check_file(self, fi, &mut own);
            rereads.sift(fi, &mut own);
            findings.append(&mut own);
        }
        self.without_skipped(findings)
    }
}

/// Beyond this many rewritten sections, [`Hierarchy::check_since`] checks everything.
const FEW_REWRITTEN: usize = 64;

/// The findings of files read more than once: a later reading's finding that repeats an
/// earlier reading's is reported once; its duplicate collection entries (the web.config read
/// again below itself adds its entries twice) name both config paths.
struct Rereads<'h> {
    h: &'h Hierarchy,
    /// Per file: the earlier file read from the same path, if any.
    earlier: Vec<Option<usize>>,
    /// Whether a later file is read from the same path, per file.
    later: Vec<bool>,
    /// The findings of the files read more than once so far.
    seen: HashSet<(Rule, Place, String)>,
}

impl<'h> Rereads<'h> {
    fn new(h: &'h Hierarchy) -> Rereads<'h> {
        let mut first: rustc_hash::FxHashMap<&str, usize> = Default::default();
        let mut earlier = vec![None; h.files.len()];
        let mut later = vec![false; h.files.len()];
        for (fi, file) in h.files.iter().enumerate().skip(1) {
            if let Some(prev) = first.insert(&file.name, fi) {
                if let (Some(e), Some(l)) = (earlier.get_mut(fi), later.get_mut(prev)) {
                    *e = Some(prev);
                    *l = true;
                }
            }
        }
        Rereads {
            h,
            earlier,
            later,
            seen: HashSet::default(),
        }
    }

    /// Drops from the findings of file `fi` those an earlier reading reported, and names
    /// both config paths in its duplicate entries.
    fn sift(&mut self, fi: usize, findings: &mut Vec<Finding>) {
        let earlier = self.earlier.get(fi).copied().flatten();
        if earlier.is_none() && !self.later.get(fi).copied().unwrap_or(false) {
            return;
        }
        if let Some(prev) = earlier {
            findings.retain(|f| !self.seen.contains(&key(f)));
            let readings = (
                self.h.files.get(fi),
                self.h.levels.get(fi),
                self.h.levels.get(prev),
            );
            if let (Some(file), Some(at), Some(above)) = readings {
                name_both_paths(findings, &file.name, above, at);
            }
        }
        self.seen.extend(findings.iter().map(key));
    }
}

/// Names both config paths in the duplicate entries of a web.config read at `above` and
/// again at `at` below it.
fn name_both_paths(findings: &mut [Finding], file: &str, above: &ConfigPath, at: &ConfigPath) {
    if !above.is_ancestor_or_self_of(at) {
        return;
    }
    for f in findings
        .iter_mut()
        .filter(|f| f.rule == Rule::DuplicateEntry && *f.place.file == *file)
    {
        f.message = format!(
            "{}: this web.config is read at {above} and again at {at}, which maps to the same folder",
            f.message
        );
        f.help = Some(
            format!(
                "give {at} a folder of its own (IIS reads the web.config of a folder at every virtual path that maps to it), or <remove> the entry before adding it"
            )
            .into(),
        );
    }
}

/// What makes two findings the same report.
fn key(f: &Finding) -> (Rule, Place, String) {
    (f.rule, f.place.clone(), f.message.clone())
}
