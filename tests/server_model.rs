//! The typed server model through the facade (`iisconf::edit::server`), on a copy of
//! fixtures/appcmd: values read with their defaults and where each came from, several
//! changes queued in one transaction, a bad value refused before anything is written, and
//! the JSON view.

mod edit_fixture;

use edit_fixture::Fixture;
use iisconf::edit::server::{
    Binding, NewApplication, NewApplicationPool, NewSite, NewVirtualDirectory, ServerError,
    ServerManager, Source,
};
use iisconf::edit::{CommitOptions, EditError};
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;

fn open(fx: &Fixture) -> ServerManager {
    let options = Options {
        apphost: Some(fx.path("applicationHost.config")),
        ..Options::default()
    };
    ServerManager::open(Hierarchy::open(Registry::embedded(), &options).unwrap())
}

#[test]
fn values_say_whether_they_are_written_or_inherited() {
    let fx = Fixture::of("appcmd");
    let server = open(&fx);
    let site = server.site("default web site").unwrap();
    assert_eq!(site.name, "Default Web Site");
    assert_eq!(site.id.value, 1);
    assert_eq!(site.id.source, Source::Written);
    assert_eq!(site.server_auto_start.source, Source::Schema);
    let app1 = site.application("/app1").unwrap();
    assert_eq!(app1.name(), "Default Web Site/app1");
    assert_eq!(app1.virtual_directories[0].name(), "Default Web Site/app1/");
    assert_eq!(
        site.get("limits.maxBandwidth").map(|a| a.value.as_str()),
        Some("4294967295")
    );
    let pool = server.application_pool("DefaultAppPool").unwrap();
    // <applicationPoolDefaults managedRuntimeVersion="v4.0"> supplies it.
    assert_eq!(pool.managed_runtime_version.value, "v4.0");
    assert_eq!(
        pool.managed_runtime_version.source,
        Source::Defaults {
            element: "applicationPoolDefaults".into()
        }
    );
    assert_eq!(pool.identity_type.value, "ApplicationPoolIdentity");
    assert!(!pool.identity_type.is_written());
    let json = serde_json::to_value(&pool).unwrap();
    assert_eq!(json["managedRuntimeVersion"]["value"], "v4.0");
    assert_eq!(
        json["managedRuntimeVersion"]["source"]["element"],
        "applicationPoolDefaults"
    );
}

#[test]
fn one_transaction_holds_many_changes() {
    let fx = Fixture::of("appcmd");
    let mut server = open(&fx);
    server
        .add_application_pool(NewApplicationPool::new("Api").managed_pipeline_mode("Classic"))
        .unwrap();
    server.add_site(NewSite::new("One")).unwrap();
    server.add_site(NewSite::new("Two")).unwrap();
    // A name queued in this transaction is taken.
    assert!(matches!(
        server.add_site(NewSite::new("one")),
        Err(ServerError::Exists { .. })
    ));
    server
        .add_application("Shop", NewApplication::new("/api").application_pool("Api"))
        .unwrap();
    server
        .add_virtual_directory(
            "Shop",
            "/api",
            NewVirtualDirectory::new("/docs").physical_path(r"C:\docs"),
        )
        .unwrap();
    server.set_site("Shop", "name", "Store").unwrap();
    // The renamed site is found by its new name only.
    assert!(server
        .add_binding("Store", &Binding::parse("http/*:8088:").unwrap())
        .is_ok());
    assert!(matches!(
        server.set_site("Shop", "serverAutoStart", "false"),
        Err(ServerError::NotFound { .. })
    ));
    server.commit(&CommitOptions::default()).unwrap();
    let server = open(&fx);
    let ids: Vec<(String, u32)> = server
        .sites()
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.id.value))
        .collect();
    assert_eq!(
        ids,
        [
            ("Default Web Site".to_string(), 1),
            ("Store".to_string(), 2),
            ("One".to_string(), 3),
            ("Two".to_string(), 4)
        ]
    );
    let store = server.site("Store").unwrap();
    assert_eq!(store.bindings.len(), 3);
    let api = store.application("/api").unwrap();
    assert_eq!(api.application_pool.value, "Api");
    assert_eq!(
        api.virtual_directory("/docs")
            .map(|v| v.physical_path.value.as_str()),
        Some(r"C:\docs")
    );
}

#[test]
fn a_bad_value_is_refused_before_anything_is_written() {
    let fx = Fixture::of("appcmd");
    let before = fx.snapshot();
    let mut server = open(&fx);
    server
        .add_site(NewSite::new("Limited").attribute("limits.maxBandwidth", "12"))
        .unwrap();
    match server.prepare() {
        Err(EditError::Schema(message)) => {
            assert!(
                message.contains("Integer value must not be between 0 and 1023 inclusive"),
                "{message}"
            )
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a bad value was accepted"),
    }
    assert!(fx.snapshot() == before);
}

// The edited configuration is checked again; an error it already had (read from the
// original text only when the edited one has errors) does not block a change.
#[test]
fn an_error_already_there_does_not_block_a_change() {
    let fx = Fixture::of("appcmd");
    let path = fx.path("applicationHost.config");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "            <site name=\"Shop\" id=\"2\">\r\n",
        "            <site name=\"Shop\" id=\"2\">\r\n                <limits maxBandwidth=\"12\" />\r\n",
    );
    std::fs::write(&path, &text).unwrap();
    let server = open(&fx);
    let errors = server
        .hierarchy()
        .check()
        .into_iter()
        .filter(|f| f.severity == iisconf::diagnostic::Severity::Error)
        .count();
    assert_eq!(errors, 1, "the fixture has its one error");
    let mut server = server;
    server.add_site(NewSite::new("Fine")).unwrap();
    let prepared = server.prepare().unwrap();
    let diff = prepared.diff();
    let added: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(added, ["+            <site name=\"Fine\" id=\"3\" />"]);
    prepared.commit(&CommitOptions::default()).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        text.replace(
            "            <applicationDefaults applicationPool=\"DefaultAppPool\" />\r\n",
            "            <applicationDefaults applicationPool=\"DefaultAppPool\" />\r\n            <site name=\"Fine\" id=\"3\" />\r\n"
        )
    );
}

// `iisconf new apphost` adds its sites through the server model: the file is byte for
// byte what the generator writes with the same sites.
#[test]
fn new_apphost_writes_its_sites_through_the_model() {
    let fx = Fixture::of("appcmd");
    let specs = [r"Contoso=C:\sites\contoso:8080", r"Fabrikam=D:\web"];
    let run = fx.raw(&["new", "apphost", "--site", specs[0], "--site", specs[1]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let options = specs.iter().fold(
        iisconf::generate::ApphostOptions::default(),
        |options, spec| options.site(spec.parse().unwrap()),
    );
    let generated = iisconf::generate::new_apphost(&Registry::embedded(), &options).unwrap();
    assert!(run.stdout == generated, "{}", run.stdout);
    let run = fx.raw(&["new", "apphost"]);
    let generated =
        iisconf::generate::new_apphost(&Registry::embedded(), &Default::default()).unwrap();
    assert!(run.stdout == generated);
}
