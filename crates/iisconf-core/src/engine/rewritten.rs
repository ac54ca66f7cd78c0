//! Where one hierarchy is written differently from another read the same way: the section
//! instances whose text differs, when nothing else does. What a check of the second must
//! look at again when the first has been checked, as `iisconf diff` does with its sides.

use super::derive::SITES_SECTION;
use super::{names_config_source, paths, Hierarchy};
use crate::config::ConfigFile;

/// The sections other sections' checks read: the sites (which paths are applications,
/// which location paths match a site) and the protection providers (which encrypted
/// sections can be read). A change to one of them can change findings anywhere.
const READ_BY_OTHERS: [&str; 2] = [SITES_SECTION, "configProtectedData"];

impl Hierarchy {
    /// Where this hierarchy writes its sections differently from `earlier`, as the
    /// (section, config path) pairs [`Hierarchy::check_sections`] takes: each section
    /// instance whose text differs, at its config path. Values, locks and inheritance only
    /// flow downward, so outside those pairs this hierarchy's findings are `earlier`'s (a
    /// line number may move).
    ///
    /// `None` when the two differ anywhere else, where only a whole check tells: in their
    /// files, levels or schema, in the text around the section instances (declarations,
    /// location tags and their attributes), in the sections other checks read (the sites,
    /// the protection providers), or when either names a configSource file. Both
    /// hierarchies are taken as read from their files: the comparison reads source text, so
    /// an edit made in memory is not seen.
    pub fn rewritten_since(&self, earlier: &Hierarchy) -> Option<Vec<(String, String)>> {
        let alike = self.files.len() == earlier.files.len()
            && self.real_apphost == earlier.real_apphost
            && self.registry.shares_sections_with(&earlier.registry)
            && self.levels == earlier.levels;
        if !alike {
            return None;
        }
        let pairs = self.files.iter().zip(&earlier.files).enumerate();
        let mut scope = Vec::new();
        for (fi, (mine, theirs)) in pairs {
            if mine.section_source().is_some() || theirs.section_source().is_some() {
                return None;
            }
            for ii in rewritten_instances(mine, theirs)? {
                let inst = mine.sections.get(ii)?;
                if READ_BY_OTHERS.contains(&&*inst.name) {
                    return None;
                }
                let location = mine.locations.get(inst.location)?;
                let level = paths::join(self.levels.get(fi)?.as_str(), &location.path);
                scope.push((inst.name.to_string(), level));
            }
        }
        Some(scope)
    }
}

/// The indices of the section instances of `mine` whose text differs from the instance at
/// the same index of `theirs`; `None` when the files differ elsewhere (other instances or
/// location tags, other text between them).
fn rewritten_instances(mine: &ConfigFile, theirs: &ConfigFile) -> Option<Vec<usize>> {
    let same_shape = mine.sections.len() == theirs.sections.len()
        && mine.locations.len() == theirs.locations.len()
        && mine
            .sections
            .iter()
            .zip(&theirs.sections)
            .all(|(a, b)| a.name == b.name && a.location == b.location);
    if !same_shape {
        return None;
    }
    if let Some(reread) = mine.doc.reread_from(&theirs.doc) {
        if let Some(rewritten) = rewritten_like(mine, theirs, reread) {
            return rewritten;
        }
    }
    let (my_text, their_text) = (mine.doc.source(), theirs.doc.source());
    let mut rewritten = Vec::new();
    // The end of the previous instance on each side: the text between is compared too.
    let (mut my_end, mut their_end) = (0, 0);
    for (ii, (a, b)) in mine.sections.iter().zip(&theirs.sections).enumerate() {
        if names_config_source(mine, a.node) || names_config_source(theirs, b.node) {
            return None;
        }
        let (a, b) = (
            mine.doc.element_span(a.node)?,
            theirs.doc.element_span(b.node)?,
        );
        if my_text.get(my_end..a.start)? != their_text.get(their_end..b.start)? {
            return None;
        }
        if my_text.get(a.start..a.end)? != their_text.get(b.start..b.end)? {
            rewritten.push(ii);
        }
        (my_end, their_end) = (a.end, b.end);
    }
    (my_text.get(my_end..)? == their_text.get(their_end..)?).then_some(rewritten)
}

/// [`rewritten_instances`] of `mine`, parsed like `theirs` (see
/// [`iisconf_xml::Document::from_vec_like`]), when the content read again lies in one
/// section instance: the texts differ in that instance alone, so the others are not
/// compared. `None` when the content lies elsewhere.
fn rewritten_like(
    mine: &ConfigFile,
    theirs: &ConfigFile,
    reread: &iisconf_xml::Reread,
) -> Option<Option<Vec<usize>>> {
    let holding = match reread.element() {
        Some(element) => Some(super::like::holding_instance(theirs, element)?),
        None => None,
    };
    // Every start tag is the same on both sides: one side tells which name another file.
    let naming = crate::config::in_parallel(&mine.sections, |chunk| {
        vec![chunk
            .iter()
            .any(|inst| names_config_source(mine, inst.node))]
    });
    if naming.contains(&true) {
        return Some(None);
    }
    let Some((ii, theirs_instance)) = holding else {
        return Some(Some(Vec::new()));
    };
    fn text(file: &ConfigFile, node: iisconf_xml::NodeId) -> Option<&str> {
        let span = file.doc.element_span(node)?;
        file.doc.source().get(span.start..span.end)
    }
    let mine_instance = mine.sections.get(ii)?;
    let rewritten = text(mine, mine_instance.node)? != text(theirs, theirs_instance.node)?;
    Some(Some(if rewritten { vec![ii] } else { Vec::new() }))
}

#[cfg(test)]
mod tests {
    use crate::config::ConfigFile;
    use crate::diagnostic::Severity;
    use crate::engine::{Hierarchy, Options};
    use crate::schema::Registry;
    use std::path::Path;

    /// A hierarchy of `text` alone (an applicationHost.config, or a web.config on its own).
    fn open(registry: &Registry, name: &str, text: &str) -> Hierarchy {
        let file = ConfigFile::parse(name, text.as_bytes()).expect("parses");
        Hierarchy::of_file(registry.clone(), file, &Options::default())
    }

    /// The errors among the findings, as printed.
    fn errors(findings: Vec<crate::diagnostic::Finding>) -> Vec<String> {
        let mut shown: Vec<String> = findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.to_string())
            .collect();
        shown.sort();
        shown
    }

    /// Each real file with one section instance given an attribute no schema has (an error)
    /// and, separately, its first value replaced: what `check_since` reports is what a whole
    /// check reports that the original did not, and nothing else.
    #[test]
    fn a_rewritten_section_is_checked_where_a_whole_check_would_find_its_errors() {
        let registry = Registry::embedded();
        let mut checked = 0;
        for (name, text) in crate::engine::test_files::real_files(&[]) {
            let old = open(&registry, &name, &text);
            let Some(file) = old.files().iter().find(|f| *f.name == *name) else {
                continue;
            };
            // Offsets are the document's: its text without a byte-order mark.
            let text = file.doc.source();
            let sections = &file.sections;
            let step = (sections.len() / 12).max(1);
            let old_errors = errors(old.check());
            // A file that names a configSource file is always checked whole.
            let names_config_source = sections
                .iter()
                .any(|s| crate::engine::names_config_source(file, s.node));
            for inst in sections.iter().step_by(step) {
                let Some(span) = file.doc.span(inst.node) else {
                    continue;
                };
                let name_end = span.start + 1 + file.doc.name(inst.node).len();
                let value_at = text
                    .get(span.start..span.end)
                    .and_then(|tag| tag.find("=\""))
                    .map(|at| span.start + at + 2);
                let probe = format!(
                    "{} iisconfProbe=\"1\"{}",
                    &text[..name_end],
                    &text[name_end..]
                );
                let retyped = value_at.map(|at| format!("{}-1x{}", &text[..at], &text[at..]));
                for changed in std::iter::once(probe).chain(retyped) {
                    let new = open(&registry, &name, &changed);
                    let scope = new.rewritten_since(&old);
                    if names_config_source || super::READ_BY_OTHERS.contains(&&*inst.name) {
                        assert_eq!(scope, None, "{name}: {}", inst.name);
                        continue;
                    }
                    let scope = scope.unwrap_or_else(|| panic!("{name}: {} not seen", inst.name));
                    assert_eq!(scope.len(), 1, "{name}: {scope:?}");
                    assert_eq!(scope[0].0, &*inst.name);
                    let since = errors(new.check_since(&old).expect("same frame"));
                    let whole = errors(new.check());
                    for e in &since {
                        assert!(
                            whole.contains(e),
                            "{name}: {e} is no error of the whole check"
                        );
                    }
                    for e in whole.iter().filter(|e| !old_errors.contains(e)) {
                        assert!(since.contains(e), "{name}: {e} was missed");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "only {checked} changes were checked");
    }

    /// What other sections' checks read, or what lies outside the section instances, is not
    /// a rewritten section: only a whole check tells what changed.
    #[test]
    fn changes_outside_the_sections_or_to_the_sites_need_a_whole_check() {
        let registry = Registry::embedded();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/example");
        let text = std::fs::read_to_string(root.join("applicationHost.config")).expect("example");
        let old = open(&registry, "applicationHost.config", &text);
        assert_eq!(old.rewritten_since(&old), Some(Vec::new()));
        let changes = [
            // A location tag's attribute.
            (
                "<location path=\"Default Web Site\">",
                "<location path=\"Default Web Site\" overrideMode=\"Deny\">",
            ),
            // A declaration.
            (
                "<section name=\"asp\" overrideModeDefault=\"Deny\" />",
                "<section name=\"asp\" overrideModeDefault=\"Allow\" />",
            ),
            // The sites.
            ("<sites>", "<sites >"),
            // A comment between sections.
            (
                "<location path=\"Default Web Site/shop\">",
                "<!-- shop --><location path=\"Default Web Site/shop\">",
            ),
        ];
        for (from, to) in changes {
            assert!(text.contains(from), "{from}");
            let new = open(
                &registry,
                "applicationHost.config",
                &text.replacen(from, to, 1),
            );
            assert_eq!(new.rewritten_since(&old), None, "{to}");
            assert!(new.check_since(&old).is_none());
        }
        // Another schema (not a clone of the same registry) is a whole check too.
        let other = open(
            &Registry::embedded_with_modules(&[]).expect("schema"),
            "applicationHost.config",
            &text,
        );
        assert_eq!(other.rewritten_since(&old), None);
    }

    /// An entry added at the server level makes the same entry added unchanged at a site a
    /// duplicate: the site's instance is below the rewritten one, so it is checked again.
    #[test]
    fn a_change_above_is_checked_where_it_is_inherited() {
        let apphost = |server_files: &str| {
            format!(
                r#"<configuration>
    <configSections>
        <sectionGroup name="system.applicationHost">
            <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
        </sectionGroup>
        <sectionGroup name="system.webServer">
            <section name="defaultDocument" overrideModeDefault="Allow" />
        </sectionGroup>
    </configSections>
    <system.applicationHost>
        <sites>
            <site name="Shop" id="1">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="C:\inetpub\shop" />
                </application>
            </site>
        </sites>
    </system.applicationHost>
    <system.webServer>
        <defaultDocument><files>{server_files}</files></defaultDocument>
    </system.webServer>
    <location path="Shop">
        <system.webServer>
            <defaultDocument><files><add value="b.htm" /></files></defaultDocument>
        </system.webServer>
    </location>
</configuration>
"#
            )
        };
        let registry = Registry::embedded();
        let old = open(
            &registry,
            "applicationHost.config",
            &apphost(r#"<add value="a.htm" />"#),
        );
        assert_eq!(errors(old.check()), Vec::<String>::new());
        let both = r#"<add value="a.htm" /><add value="b.htm" />"#;
        let new = open(&registry, "applicationHost.config", &apphost(both));
        assert_eq!(
            new.rewritten_since(&old),
            Some(vec![(
                "system.webServer/defaultDocument".to_string(),
                String::new()
            )])
        );
        let since = errors(new.check_since(&old).expect("same frame"));
        assert_eq!(since, errors(new.check()));
        assert!(
            since.iter().any(|e| e.contains(":24:")),
            "the site's entry is a duplicate: {since:?}"
        );
    }
}
