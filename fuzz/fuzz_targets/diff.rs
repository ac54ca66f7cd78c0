//! Fuzz target: `diff::Diff` between fixtures/edit's applicationHost.config (A) and the
//! input read as one (B). Properties: a hierarchy compared with itself has no difference;
//! the edits emitted for A → B, applied in memory one by one as `iisconf appcmd` applies
//! them, leave no difference between the edited A and B whenever B is valid and every
//! edit is accepted; and A with the input written inside one of its elements, parsed and
//! opened like A (the diff's path), is compared and checked as when opened whole.
#![no_main]

use iisconf::config::ConfigFile;
use iisconf::diagnostic::Severity;
use iisconf::diff::emit::{plan, Commit, Operation};
use iisconf::diff::{Diff, Step};
use iisconf::edit::Step as EditStep;
use iisconf::edit::{Change, Edit, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const APPHOST: &[u8] = include_bytes!("../../fixtures/edit/applicationHost.config");

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

fn open(name: &str, bytes: &[u8]) -> Option<Hierarchy> {
    let file = ConfigFile::parse(name, bytes).ok()?;
    Some(Hierarchy::from_apphost(
        registry().clone(),
        file,
        &Options::default(),
    ))
}

/// A, opened once: [`opened_like_a`] only reads it.
fn a() -> Option<&'static Hierarchy> {
    static A: OnceLock<Option<Hierarchy>> = OnceLock::new();
    A.get_or_init(|| open("applicationHost.config", APPHOST))
        .as_ref()
}

fn steps(steps: &[Step]) -> Vec<EditStep> {
    steps
        .iter()
        .map(|s| match s {
            Step::Element(n) => EditStep::Element(n.clone()),
            Step::Entry(k) => EditStep::Entry(k.clone()),
        })
        .collect()
}

fn target(commit: &Commit) -> CommitTarget {
    match commit {
        Commit::AppHost => CommitTarget::AppHost,
        Commit::Level(level) => CommitTarget::Path(level.clone()),
    }
}

/// The edit of one operation, as `iisconf appcmd` makes it.
fn edit(op: &Operation) -> Edit {
    let (path, section, target, change) = match op {
        Operation::Set {
            path,
            section,
            steps: s,
            attribute,
            value,
            commit,
        } => (
            path,
            section,
            target(commit),
            Change::Set {
                element: steps(s),
                attribute: attribute.clone(),
                value: value.clone(),
            },
        ),
        Operation::Clear {
            path,
            section,
            steps: s,
            attribute,
            commit,
        } => (
            path,
            section,
            target(commit),
            Change::Clear {
                element: steps(s),
                attribute: Some(attribute.clone()),
            },
        ),
        Operation::Add {
            path,
            section,
            steps: s,
            attributes,
            commit,
            ..
        } => (
            path,
            section,
            target(commit),
            Change::Add {
                element: steps(s),
                attributes: attributes.clone(),
            },
        ),
        Operation::Remove {
            path,
            section,
            steps: s,
            key,
            commit,
        } => (
            path,
            section,
            target(commit),
            Change::Remove {
                element: steps(s),
                key: key.clone(),
            },
        ),
        Operation::Lock {
            path,
            section,
            deny,
        } => (
            path,
            section,
            CommitTarget::AppHost,
            Change::Lock { deny: *deny },
        ),
    };
    Edit {
        path: path.clone(),
        section: section.clone(),
        target,
        change,
    }
}

/// Where the input is written into A: inside a section before the sites, inside the sites,
/// inside a section after them, in a group at the root level, in a location tag.
const INSIDE: [&str; 5] = [
    "<applicationPools>",
    "<sites>",
    "<asp>",
    "<system.webServer>",
    "<location path=\"Intranet\">",
];

/// A with `bytes` written inside one of its elements (chosen by the first byte), parsed and
/// opened like A, gives the diff from A and the findings of the file opened whole.
fn opened_like_a(bytes: &[u8]) {
    let (Some(first), Some(a)) = (bytes.first(), a()) else {
        return;
    };
    let after = INSIDE[usize::from(*first) % INSIDE.len()];
    let Some(at) = APPHOST
        .windows(after.len())
        .position(|w| w == after.as_bytes())
        .map(|i| i + after.len())
    else {
        return;
    };
    let later = [&APPHOST[..at], &bytes[1..], &APPHOST[at..]].concat();
    let Some(whole) = open("applicationHost.config", &later) else {
        return;
    };
    let earlier = &a.apphost().expect("A is read").doc;
    let Ok(doc) = Document::from_vec_like(later, earlier) else {
        panic!("parsed whole but not like A");
    };
    let file = ConfigFile::from_document("applicationHost.config", doc);
    let like = Hierarchy::of_file_like(registry().clone(), file, &Options::default(), a);
    let shown = |h: &Hierarchy| {
        let findings: Vec<String> = h.check().iter().map(|f| f.to_string()).collect();
        format!("{:?}\n{findings:?}", Diff::between(a, h))
    };
    assert_eq!(
        shown(&like),
        shown(&whole),
        "opened like A and whole differ"
    );
}

fuzz_target!(|bytes: &[u8]| {
    opened_like_a(bytes);
    let Some(b) = open("new.config", bytes) else {
        return;
    };
    let Some(b_again) = open("new.config", bytes) else {
        return;
    };
    let same = Diff::between(&b, &b_again);
    assert!(
        same.is_empty(),
        "a file differs from itself: {:?}",
        same.differences
    );

    let Some(a) = open("applicationHost.config", APPHOST) else {
        return;
    };
    if b.check().iter().any(|f| f.severity == Severity::Error) {
        return;
    }
    let diff = Diff::between(&a, &b);
    let mut current = a;
    for op in plan(&diff, &current, &b) {
        let mut tx = Transaction::new(current);
        tx.push(edit(&op));
        let Ok(prepared) = tx.prepare() else {
            return;
        };
        let Some(text) = prepared.hierarchy().apphost().map(|f| f.doc.to_text()) else {
            return;
        };
        let Some(next) = open("applicationHost.config", text.as_bytes()) else {
            panic!("an applied edit does not parse:\n{text}");
        };
        current = next;
    }
    let after = Diff::between(&current, &b);
    assert!(
        after.is_empty(),
        "applying the plan left differences: {:?}",
        after.differences
    );
});
