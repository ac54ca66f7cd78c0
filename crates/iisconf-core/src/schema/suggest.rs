//! What to answer for a section name no loaded schema defines: the sections it is probably a
//! misspelling of, or, for the name of a section group (`rewrite`,
//! `system.webServer/security`), the sections in that group.

use super::Registry;
use crate::similarity::edit_distance;

/// A hint for a section name that names no section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionHint {
    /// Sections whose name (full, or its last parts) is a few edits away.
    DidYouMean(Vec<String>),
    /// The name is a section group's: its sections (at most [`GROUP_LISTED`]) and how many
    /// there are.
    Group {
        /// The group, as the schema spells it.
        group: String,
        /// Its first sections, in name order.
        sections: Vec<String>,
        /// How many sections it has.
        count: usize,
    },
}

/// How many sections of a group a hint lists.
pub const GROUP_LISTED: usize = 12;

impl std::fmt::Display for SectionHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SectionHint::DidYouMean(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
                write!(f, "did you mean {}?", quoted.join(" or "))
            }
            SectionHint::Group {
                group,
                sections,
                count,
            } => {
                write!(
                    f,
                    "'{group}' is a section group; its sections: {}",
                    sections.join(", ")
                )?;
                if *count > sections.len() {
                    write!(f, " and {} more", count - sections.len())?;
                }
                Ok(())
            }
        }
    }
}

/// The edits a name of `len` characters may be from a known one to be suggested.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=11 => 2,
        _ => 3,
    }
}

/// Whether `a` is `b` with two neighbouring letters swapped.
fn swapped(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    match differ.as_slice() {
        [i, j] if *j == i + 1 => a.get(*i) == b.get(*j) && a.get(*j) == b.get(*i),
        _ => false,
    }
}

impl Registry {
    /// A hint for `name`, a section name that resolves to no section (see
    /// [`Registry::resolve_section`]); `None` when nothing is near.
    pub fn section_hint(&self, name: &str) -> Option<SectionHint> {
        let wanted = super::trim_section_name(name).to_ascii_lowercase();
        if wanted.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.section_names().collect();
        // A group: the whole path of a group, or its last part.
        let mut in_group: Vec<&str> = Vec::new();
        let mut group_name = None;
        for section in &names {
            let lower = section.to_ascii_lowercase();
            let parts: Vec<&str> = lower.split('/').collect();
            let original: Vec<&str> = section.split('/').collect();
            for end in 1..parts.len() {
                let group = parts.get(..end).map(|p| p.join("/")).unwrap_or_default();
                let last = parts.get(end - 1).copied().unwrap_or_default();
                if group == wanted || last == wanted {
                    in_group.push(section);
                    group_name.get_or_insert_with(|| {
                        original.get(..end).map(|p| p.join("/")).unwrap_or_default()
                    });
                    break;
                }
            }
        }
        if let Some(group) = group_name {
            return Some(SectionHint::Group {
                group,
                count: in_group.len(),
                sections: in_group
                    .iter()
                    .take(GROUP_LISTED)
                    .map(|s| s.to_string())
                    .collect(),
            });
        }
        // A misspelling of a full name or of its last one or two parts.
        // The edits allowed follow the length of the name's last part: a long group path
        // before it does not make a wrong last word right.
        let last_len = wanted.rsplit('/').next().map_or(0, |l| l.chars().count());
        let allowed = allowed_edits(last_len);
        let given_parts = wanted.split('/').count();
        let mut best: Vec<(usize, &str)> = Vec::new();
        for section in &names {
            let lower = section.to_ascii_lowercase();
            let parts: Vec<&str> = lower.split('/').collect();
            // A name is compared with the section's name of as many parts as it has.
            let forms = [parts
                .get(parts.len().saturating_sub(given_parts)..)
                .map(|p| p.join("/"))
                .unwrap_or_default()];
            // Two letters swapped count as one edit.
            let distance = forms
                .iter()
                .map(|form| match swapped(&wanted, form) {
                    true => 1,
                    false => edit_distance(&wanted, form),
                })
                .min()
                .unwrap_or(usize::MAX);
            if distance <= allowed {
                best.push((distance, section));
            }
        }
        let nearest = best.iter().map(|(d, _)| *d).min()?;
        let mut names: Vec<String> = best
            .iter()
            .filter(|(d, _)| *d == nearest)
            .map(|(_, s)| s.to_string())
            .collect();
        names.truncate(3);
        Some(SectionHint::DidYouMean(names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_and_groups() {
        let r = Registry::embedded();
        assert_eq!(
            r.section_hint("system.webServer/aps"),
            Some(SectionHint::DidYouMean(vec!["system.webServer/asp".into()]))
        );
        assert_eq!(
            r.section_hint("defaultDocumnt").map(|h| h.to_string()),
            Some("did you mean 'system.webServer/defaultDocument'?".into())
        );
        let Some(SectionHint::Group {
            group, sections, ..
        }) = r.section_hint("rewrite")
        else {
            panic!("rewrite is a group");
        };
        assert_eq!(group, "system.webServer/rewrite");
        assert!(
            sections.contains(&"system.webServer/rewrite/rules".to_string()),
            "{sections:?}"
        );
        assert_eq!(
            r.section_hint("aps"),
            Some(SectionHint::DidYouMean(vec!["system.webServer/asp".into()]))
        );
        assert_eq!(r.section_hint("zzzzzzzzzzzzzzzz"), None);
        assert_eq!(r.section_hint("system.webServer/nothing"), None);
    }
}
