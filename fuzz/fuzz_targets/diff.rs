//! Fuzz target: `diff::Diff` between fixtures/edit's applicationHost.config (A) and the
//! input read as one (B). Properties: a hierarchy compared with itself has no difference;
//! the edits emitted for A → B, applied in memory one by one as `iisconf appcmd` applies
//! them, leave no difference between the edited A and B whenever B is valid and every
//! edit is accepted.
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

fuzz_target!(|bytes: &[u8]| {
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
