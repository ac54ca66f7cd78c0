//! The appcmd behaviours of issue 15 (items 6, 7, 8, 10, 11) through the library, as another
//! front end (an editor, a build tool) would use them: the grammar, section-name
//! resolution, URL config paths and position prefixes, on fixtures/appcmd.

use iisconf::edit::grammar::{self, appcmd, EntryPosition, Step};
use iisconf::edit::path::{config_path_of_url, UrlPathError};
use iisconf::edit::{Change, Edit, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use std::path::PathBuf;

fn fixture() -> Hierarchy {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/appcmd");
    let options = Options {
        apphost: Some(dir.join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".into(), dir.join("inetpub"))],
        ..Options::default()
    };
    Hierarchy::open(Registry::embedded(), &options).unwrap()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// Item 6: the IIS documentation's sample URL (`appcmd set config http://localhost/app1/
// /section:directoryBrowse …`) names Default Web Site/app1 through its `*:80:` binding.
#[test]
fn url_config_paths_map_through_the_bindings() {
    let h = fixture();
    for (url, path) in [
        ("http://localhost/app1/", "Default Web Site/app1"),
        ("http://shop.example.com", "Shop"),
        ("http://10.0.0.1:8080/a%20b/", "Shop/a b"),
        ("https://localhost/", "Default Web Site"),
        ("Default Web Site/app1", "Default Web Site/app1"),
    ] {
        assert_eq!(config_path_of_url(&h, url).as_deref(), Ok(path), "{url}");
    }
    assert!(matches!(
        config_path_of_url(&h, "http://localhost:9/"),
        Err(UrlPathError::NoSite { port: 9, .. })
    ));
}

// Items 7 and 8: names in any case, short names as appcmd resolves them.
#[test]
fn names_resolve_as_appcmd_resolves_them() {
    let h = fixture();
    let registry = h.registry();
    let section = grammar::resolve_section_name(registry, "REQUESTFILTERING").unwrap();
    assert_eq!(section.name, "system.webServer/security/requestFiltering");
    let cmd = appcmd::parse(
        &[
            "set",
            "config",
            "/requestlimits.maxurl:10",
            "/-FILEEXTENSIONS.[FILEEXTENSION='.x']",
        ]
        .map(String::from),
        &appcmd::HostFlags::default(),
    )
    .unwrap();
    let changes: Vec<Change> = cmd
        .set_changes()
        .unwrap()
        .into_iter()
        .map(|c| grammar::canonical_change(section, c))
        .collect();
    assert_eq!(
        changes,
        [
            Change::Set {
                element: vec![Step::Element("requestLimits".into())],
                attribute: "maxUrl".into(),
                value: "10".into(),
            },
            Change::Remove {
                element: vec![Step::Element("fileExtensions".into())],
                key: pairs(&[("fileExtension", ".x")]),
            },
        ]
    );
}

// Items 10 and 11 through a transaction: an entry inserted first, an attribute deleted.
#[test]
fn inserts_and_deletes_through_a_transaction() {
    let mut tx = Transaction::new(fixture());
    let edit = |section: &str, change: Change| Edit {
        path: String::new(),
        section: section.to_string(),
        target: CommitTarget::AppHost,
        change,
    };
    tx.push(edit(
        "system.webServer/defaultDocument",
        grammar::parse_change("+files.[@start,value='home.htm']").unwrap(),
    ));
    tx.push(edit(
        "system.webServer/defaultDocument",
        Change::Insert {
            element: vec![Step::Element("files".into())],
            attributes: pairs(&[("value", "second.htm")]),
            position: EntryPosition::Index(1),
        },
    ));
    tx.push(edit(
        "system.webServer/security/authentication/anonymousAuthentication",
        grammar::delete_change("password").unwrap(),
    ));
    let prepared = tx.prepare().unwrap();
    let eff = prepared
        .hierarchy()
        .effective("", "system.webServer/defaultDocument")
        .unwrap();
    let files: Vec<String> = eff
        .root
        .child("files")
        .map(|f| {
            f.entries
                .iter()
                .filter_map(|e| e.element.attribute("value").map(|a| a.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        files,
        ["home.htm", "second.htm", "Default.htm", "index.htm"]
    );
    let diff = prepared.diff();
    assert!(diff.contains("-                <anonymousAuthentication enabled=\"true\" userName=\"IUSR\" password=\"plain-text\" />"), "{diff}");
    assert!(
        diff.contains(
            "+                <anonymousAuthentication enabled=\"true\" userName=\"IUSR\" />"
        ),
        "{diff}"
    );
}
