//! The questions the IIS rules answer: every finding of the hierarchy, the findings an edit
//! of some sections can change, the findings about a section at a path, and those of one
//! section instance.

use super::{check, paths, validate, FileId, Hierarchy, LayerRef};
use super::{ConfigPath, EngineError};
use crate::diagnostic::Finding;
use rustc_hash::FxHashSet as HashSet;

impl Hierarchy {
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
        for level in levels {
            for layer in self.layers_at(level, section) {
                if FileId::new(layer.file).is_apphost() && !self.real_apphost {
                    continue;
                }
                check::check_instance(
                    self,
                    layer.file,
                    layer.instance,
                    &mut reported,
                    &mut findings,
                );
            }
        }
        Ok(findings)
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
            check::check_file_filtered(self, fi, Some(&wanted), &mut findings);
        }
        findings
    }

    /// Every finding of the IIS rules over the whole hierarchy, in file order.
    pub fn check(&self) -> Vec<Finding> {
        let mut findings = self.notes.clone();
        for fi in 0..self.files.len() {
            if FileId::new(fi).is_apphost() && !self.real_apphost {
                continue;
            }
            check::check_file(self, fi, &mut findings);
        }
        findings
    }
}
