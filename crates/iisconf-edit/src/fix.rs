//! Applying the fixes findings carry ([`iisconf_core::diagnostic::Fix`]): their text edits
//! are spliced into each file's text, so only the bytes a fix names change; every fixed
//! file must still be well-formed; the files are written like a transaction's (atomically,
//! with a backup, refused when a file changed on disk since it was read).

use super::write::{self, CommitOptions, Original, Pending, Written};
use super::EditError;
use iisconf_core::diagnostic::{Fix, TextEdit};
use iisconf_xml::TextEncoding;
use std::collections::HashSet;
use std::path::PathBuf;

/// One file with the fixes that apply to it.
#[derive(Debug)]
struct FixedFile {
    path: PathBuf,
    original: String,
    encoding: TextEncoding,
    fixed: String,
}

/// Fixes planned over the files they touch: ready to diff or write.
#[derive(Debug, Default)]
pub struct FixPlan {
    files: Vec<FixedFile>,
    applied: Vec<Fix>,
    skipped: Vec<(Fix, String)>,
}

impl FixPlan {
    /// Plans `fixes`: a fix whose edits overlap an earlier fix's, fall outside its file, or
    /// leave a file that is not well-formed is skipped (see [`FixPlan::skipped`]); the
    /// others apply together, a fix with the very edits of an earlier one with it. A file that cannot be read is an error.
    pub fn new(fixes: &[Fix]) -> Result<FixPlan, EditError> {
        let mut plan = FixPlan::default();
        // Per file: the accepted edits.
        let mut accepted: Vec<(PathBuf, Vec<TextEdit>)> = Vec::new();
        // The edits of the fixes applied so far: findings that one change resolves together
        // carry the same edits, and the change is made once.
        let mut made: HashSet<&[TextEdit]> = HashSet::new();
        for fix in fixes {
            if made.contains(fix.edits.as_slice()) {
                plan.applied.push(fix.clone());
                continue;
            }
            let mut staged = accepted.clone();
            let mut problem = None;
            for edit in &fix.edits {
                let path = PathBuf::from(&*edit.place.file);
                let at = match staged.iter().position(|(p, _)| *p == path) {
                    Some(at) => at,
                    None => {
                        staged.push((path, Vec::new()));
                        staged.len() - 1
                    }
                };
                let Some((_, edits)) = staged.get_mut(at) else {
                    continue;
                };
                if edits.iter().any(|e| overlaps(e, edit)) {
                    problem = Some("its edits overlap another fix's".to_string());
                    break;
                }
                edits.push(edit.clone());
            }
            match problem {
                None => {
                    accepted = staged;
                    made.insert(&fix.edits);
                    plan.applied.push(fix.clone());
                }
                Some(why) => plan.skipped.push((fix.clone(), why)),
            }
        }
        for (path, edits) in accepted {
            let bytes = std::fs::read(&path).map_err(|source| EditError::Io {
                path: path.display().to_string(),
                what: "cannot read the file".to_string(),
                source,
            })?;
            let (original, encoding) = decode(&bytes).ok_or_else(|| {
                EditError::Syntax(format!(
                    "{}: the file is neither UTF-8 nor UTF-16 with a byte-order mark; nothing was fixed",
                    path.display()
                ))
            })?;
            let fixed = apply_edits(&original, &edits).ok_or_else(|| {
                EditError::Syntax(format!(
                    "{}: the file changed since it was linted; lint it again",
                    path.display()
                ))
            })?;
            if let Err(e) = iisconf_xml::Document::parse_str(&fixed) {
                return Err(EditError::Syntax(format!(
                    "{}: the fixed file would not be well-formed ({}); nothing was fixed",
                    path.display(),
                    e.message
                )));
            }
            plan.files.push(FixedFile {
                path,
                original,
                encoding,
                fixed,
            });
        }
        Ok(plan)
    }

    /// The fixes that apply.
    pub fn applied(&self) -> &[Fix] {
        &self.applied
    }

    /// The fixes left out, with why.
    pub fn skipped(&self) -> &[(Fix, String)] {
        &self.skipped
    }

    /// The files the fixes change.
    pub fn files(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| f.fixed != f.original)
            .map(|f| f.path.clone())
            .collect()
    }

    /// A unified diff per changed file (`--- a/FILE` / `+++ b/FILE`), three lines of context.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for f in self.files.iter().filter(|f| f.fixed != f.original) {
            let name = f.path.display().to_string();
            let (a, b) = if f.path.is_absolute() {
                (name.clone(), name)
            } else {
                (format!("a/{name}"), format!("b/{name}"))
            };
            let diff = similar::TextDiff::from_lines(f.original.as_str(), f.fixed.as_str());
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&a, &b)
                    .to_string(),
            );
        }
        out
    }

    /// Writes every changed file atomically, with a backup unless `options` says otherwise.
    pub fn commit(&self, options: &CommitOptions) -> Result<Vec<Written>, EditError> {
        let pending: Vec<Pending> = self
            .files
            .iter()
            .filter(|f| f.fixed != f.original)
            .map(|f| Pending {
                path: f.path.clone(),
                original: Some(Original {
                    text: &f.original,
                    encoding: f.encoding,
                }),
                bytes: f.encoding.encode(&f.fixed),
            })
            .collect();
        write::write_all(&pending, options)
    }
}

/// Whether two edits touch the same bytes. Insertions at one point do not overlap each
/// other (they are written in the order of their fixes), but an insertion at the start or
/// end of a replaced range does.
fn overlaps(a: &TextEdit, b: &TextEdit) -> bool {
    let (a, b) = (a.span, b.span);
    let insertion = |s: iisconf_xml::Span| s.start == s.end;
    match (insertion(a), insertion(b)) {
        (true, true) => false,
        (true, false) => b.start <= a.start && a.start <= b.end,
        (false, true) => a.start <= b.start && b.start <= a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

/// `text` with `edits` (non-overlapping) applied; `None` when an edit falls outside it or
/// splits a character. Insertions at one point keep the order of `edits`.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<(usize, &TextEdit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| std::cmp::Reverse((e.span.start, *i)));
    let mut out = text.to_string();
    for (_, e) in sorted {
        let (start, end) = (e.span.start, e.span.end);
        if start > end
            || end > out.len()
            || !out.is_char_boundary(start)
            || !out.is_char_boundary(end)
        {
            return None;
        }
        out.replace_range(start..end, &e.new_text);
    }
    Some(out)
}

/// The text of a file (no byte-order mark) and its encoding: UTF-8, or UTF-16 with a
/// byte-order mark.
fn decode(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).ok()?;
        return Some((text.to_string(), TextEncoding::Utf8 { bom: true }));
    }
    for (bom, encoding) in [
        (b"\xFF\xFE", TextEncoding::Utf16Le),
        (b"\xFE\xFF", TextEncoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .filter_map(|c| <[u8; 2]>::try_from(c).ok())
                .map(|pair| match encoding {
                    TextEncoding::Utf16Le => u16::from_le_bytes(pair),
                    _ => u16::from_be_bytes(pair),
                })
                .collect();
            return String::from_utf16(&units).ok().map(|t| (t, encoding));
        }
    }
    let text = std::str::from_utf8(bytes).ok()?;
    Some((text.to_string(), TextEncoding::Utf8 { bom: false }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::diagnostic::Place;
    use iisconf_xml::Span;

    fn edit(start: usize, end: usize, new_text: &str) -> TextEdit {
        TextEdit {
            span: Span { start, end },
            place: Place {
                file: "x".into(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            },
            new_text: new_text.to_string(),
        }
    }

    #[test]
    fn a_utf16_file_is_fixed_in_its_own_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web.config");
        std::fs::write(&path, TextEncoding::Utf16Le.encode("<a x=\"1\" y=\"2\"/>")).unwrap();
        let mut remove = edit(2, 8, "");
        remove.place.file = path.display().to_string().into();
        let plan = FixPlan::new(&[Fix::safe("remove x", vec![remove])]).unwrap();
        assert!(plan.diff().contains("+<a y=\"2\"/>"), "{}", plan.diff());
        let options = CommitOptions::default().no_backup(true);
        plan.commit(&options).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes, TextEncoding::Utf16Le.encode("<a y=\"2\"/>"));
    }

    #[test]
    fn a_fix_that_breaks_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web.config");
        std::fs::write(&path, "<a><b/></a>").unwrap();
        let mut cut = edit(0, 3, "");
        cut.place.file = path.display().to_string().into();
        let err = FixPlan::new(&[Fix::safe("cut", vec![cut])]).unwrap_err();
        assert!(
            err.to_string().contains("would not be well-formed"),
            "{err}"
        );
    }

    #[test]
    fn a_fix_with_the_edits_of_an_applied_one_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web.config");
        std::fs::write(&path, "<a><b/><c/></a>").unwrap();
        let at = |start, end| {
            let mut e = edit(start, end, "");
            e.place.file = path.display().to_string().into();
            e
        };
        let both = vec![at(3, 7), at(7, 11)];
        let plan = FixPlan::new(&[
            Fix::unsafe_("move b and c", both.clone()),
            Fix::unsafe_("move c and b", both),
            Fix::unsafe_("cut c", vec![at(7, 11)]),
        ])
        .unwrap();
        assert_eq!(plan.applied().len(), 2);
        assert_eq!(plan.skipped().len(), 1);
        assert!(plan.diff().contains("+<a></a>"), "{}", plan.diff());
    }

    #[test]
    fn splices_from_the_end_and_refuses_bad_ranges() {
        let text = "<a x=\"1\" y=\"2\"/>";
        assert_eq!(
            apply_edits(text, &[edit(2, 8, ""), edit(14, 14, " z=\"3\"")]).as_deref(),
            Some("<a y=\"2\" z=\"3\"/>")
        );
        assert_eq!(apply_edits(text, &[edit(2, 99, "")]), None);
        assert!(overlaps(&edit(2, 8, ""), &edit(7, 9, "")));
        assert!(!overlaps(&edit(2, 8, ""), &edit(8, 9, "")));
        assert!(!overlaps(&edit(3, 3, "a"), &edit(3, 3, "b")));
        assert!(overlaps(&edit(3, 3, "a"), &edit(2, 8, "")));
        assert_eq!(
            apply_edits("xy", &[edit(1, 1, "a"), edit(1, 1, "b")]).as_deref(),
            Some("xaby")
        );
    }
}
