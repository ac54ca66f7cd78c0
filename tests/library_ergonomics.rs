//! The library as a new user of a small cargo project meets it (issue 28): short section
//! names as in the CLI, typed write-back that writes only what changed, and a TimeSpan
//! that debugs as a time.

mod edit_fixture;

use edit_fixture::Fixture;
use iisconf::edit::Transaction;
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::model::AspSession;
use iisconf::schema::Registry;
use iisconf::value::TimeSpan;

fn open(fx: &Fixture) -> Hierarchy {
    let options = Options {
        apphost: Some(fx.path("applicationHost.config")),
        ..Options::default()
    };
    Hierarchy::open(Registry::embedded(), &options).unwrap()
}

#[test]
fn short_section_names_work_as_in_the_cli() {
    let fx = Fixture::of("appcmd");
    let h = open(&fx);
    let short = h.effective("Default Web Site", "asp").unwrap();
    assert_eq!(short.section, "system.webServer/asp");
    let full = h
        .effective("Default Web Site", "system.webServer/asp")
        .unwrap();
    assert_eq!(
        iisconf::engine::render::to_xml(&short),
        iisconf::engine::render::to_xml(&full)
    );
    // requestFiltering is the web server's, as appcmd takes it.
    assert_eq!(
        h.effective("", "REQUESTFILTERING").unwrap().section,
        "system.webServer/security/requestFiltering"
    );
    assert!(h.typed("Default Web Site", "asp").is_ok());
    assert!(h.effective("", "nosuchsection").is_err());
}

#[test]
fn typed_write_back_sets_only_what_changed() {
    let fx = Fixture::of("appcmd");
    let h = open(&fx);
    let read = AspSession::from_effective(&h.effective("Shop", "asp").unwrap().root).unwrap();
    let mut session = read.clone();
    session.max = 1000;
    let mut tx = Transaction::new(h);
    tx.set_attributes(
        "Shop",
        "system.webServer/asp",
        &CommitTarget::AppHost,
        "session",
        &session.changed_attributes(&read),
    )
    .unwrap();
    let diff = tx.prepare().unwrap().diff();
    let added: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert!(
        added.iter().any(|l| l.contains("<session max=\"1000\" />")),
        "{diff}"
    );
    // The three values left as read are not pinned.
    for name in ["allowSessionState", "keepSessionIdSecure", "timeout"] {
        assert!(!diff.contains(name), "{name} was written:\n{diff}");
    }
}

#[test]
fn a_timespan_debugs_as_a_time() {
    let session = AspSession::default();
    assert!(format!("{session:?}").contains("timeout: TimeSpan(00:20:00)"));
    assert_eq!(
        format!("{:?}", TimeSpan::from_seconds(90).unwrap()),
        "TimeSpan(00:01:30)"
    );
}
