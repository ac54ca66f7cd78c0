//! Commit-target planning: which file and `<location>` a change goes to for each target,
//! and a locked target refused with the lock and a target that works.

mod shared;

use iisconf::engine::commit::{CommitTarget, PlanFile};
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use std::path::{Path, PathBuf};

fn scenario() -> (PathBuf, Hierarchy) {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/asp_locked_by_default");
    let options = Options {
        apphost: Some(dir.join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
        env: Vec::new(),
    };
    let h = Hierarchy::open(Registry::embedded(), &options).expect("opens");
    (dir, h)
}

#[test]
fn apphost_target_writes_a_location_tag() {
    let (_, h) = scenario();
    let plan = h
        .plan_commit(
            "Default Web Site",
            "system.webServer/asp",
            &CommitTarget::AppHost,
        )
        .expect("apphost works for a locked section");
    assert_eq!(plan.file, PlanFile::Existing(0));
    assert_eq!(plan.location.as_deref(), Some("Default Web Site"));
    let server = h
        .plan_commit("", "system.webServer/asp", &CommitTarget::AppHost)
        .expect("server level");
    assert_eq!(server.location, None);
}

#[test]
fn a_locked_url_target_is_refused_with_the_way_out() {
    let (_, h) = scenario();
    let err = h
        .plan_commit(
            "Default Web Site",
            "system.webServer/asp",
            &CommitTarget::Url,
        )
        .expect_err("asp is locked below applicationHost.config")
        .to_string();
    assert!(
        err.contains("This configuration section cannot be used at this path"),
        "{err}"
    );
    assert!(err.contains("overrideModeDefault=\"Deny\""), "{err}");
    assert!(
        err.contains("commit it to applicationHost.config instead (the apphost commit target), which writes <location path=\"Default Web Site\"> there"),
        "{err}"
    );
}

#[test]
fn app_host_only_sections_have_no_web_config_target() {
    let (_, h) = scenario();
    for target in [CommitTarget::Site, CommitTarget::App, CommitTarget::Url] {
        let err = h
            .plan_commit("Default Web Site", "system.applicationHost/sites", &target)
            .expect_err("sites is AppHostOnly")
            .to_string();
        assert!(err.contains("allowDefinition=\"AppHostOnly\""), "{err}");
        assert!(err.contains("the apphost commit target"), "{err}");
        assert!(
            !err.contains("--commit"),
            "the library names no flag: {err}"
        );
    }
}

#[test]
fn site_app_url_and_path_targets_pick_web_config_files() {
    let Some(schema) = shared_schema() else {
        shared::skip("../shared/iis-schema is absent");
        return;
    };
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/asp_locked_by_default");
    let options = Options {
        apphost: Some(dir.join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
        env: Vec::new(),
    };
    let h = Hierarchy::open(Registry::load(&[schema]).expect("schema"), &options).expect("opens");
    let site_config = h
        .files()
        .iter()
        .position(|f| f.name.ends_with("wwwroot/web.config"))
        .expect("the site's web.config is part of the hierarchy");
    let section = "system.webServer/defaultDocument";
    let path = "Default Web Site/shop/images";
    let plan = |t: CommitTarget| h.plan_commit(path, section, &t).expect("plans");

    let site = plan(CommitTarget::Site);
    assert_eq!(site.file, PlanFile::Existing(site_config));
    assert_eq!(site.location.as_deref(), Some("shop/images"));
    assert_eq!(plan(CommitTarget::Path("Default Web Site".into())), site);

    let app = plan(CommitTarget::App);
    assert_eq!(
        app.file,
        PlanFile::Create(dir.join("inetpub/shop/web.config"))
    );
    assert_eq!(app.file_level, "Default Web Site/shop");
    assert_eq!(app.location.as_deref(), Some("images"));

    let url = plan(CommitTarget::Url);
    assert_eq!(
        url.file,
        PlanFile::Create(dir.join("inetpub/shop/images/web.config"))
    );
    assert_eq!(url.location, None);

    let err = h
        .plan_commit(path, section, &CommitTarget::Path("Other Site".into()))
        .expect_err("not a parent")
        .to_string();
    assert!(err.contains("is not"), "{err}");
}

fn shared_schema() -> Option<PathBuf> {
    shared::dir("iis-schema")
}

#[test]
fn targets_parse_like_appcmd() {
    assert_eq!(CommitTarget::parse("APPHOST"), CommitTarget::AppHost);
    assert_eq!(
        CommitTarget::parse("MACHINE/WEBROOT/APPHOST"),
        CommitTarget::AppHost
    );
    assert_eq!(CommitTarget::parse("site"), CommitTarget::Site);
    assert_eq!(CommitTarget::parse("app"), CommitTarget::App);
    assert_eq!(CommitTarget::parse("url"), CommitTarget::Url);
    assert_eq!(
        CommitTarget::parse("MACHINE/WEBROOT/APPHOST/Default Web Site"),
        CommitTarget::Path("Default Web Site".into())
    );
}
