//! The forms real configuration takes, through the real binary: fragments (a root that is a
//! section group, a section or an element of one section) and files that are no IIS
//! configuration at all, protected (encrypted) sections, configSource files and appSettings
//! file=, and the other files of the config folder (administration.config,
//! redirection.config).

mod fixture_dir;
mod run_binary;
mod shared;

use run_binary::{root, run_in};
use serde_json::Value;
use std::process::Output;

/// Runs the binary in the project folder (fixture paths are relative to it).
fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

/// The findings of `iisconf lint ARGS --format json` as (rule, line, column, message).
fn findings(args: &[&str]) -> Vec<(String, u64, u64, String)> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(&all);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "json: {e}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json.as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn rules(found: &[(String, u64, u64, String)]) -> Vec<(&str, u64, u64)> {
    found
        .iter()
        .map(|(r, l, c, _)| (r.as_str(), *l, *c))
        .collect()
}

fn schema_dir() -> Option<String> {
    shared::dir("iis-schema").map(|d| d.display().to_string())
}

#[test]
fn a_site_fragment_is_checked_as_a_site_at_its_own_positions() {
    let found = findings(&["lint", "fixtures/forms/fragments/site.config"]);
    assert_eq!(rules(&found), [("IIS0002", 2, 2), ("IIS1006", 2, 43)]);
    assert!(
        found[0].3.contains("system.applicationHost/sites/site"),
        "{found:?}"
    );
    // The human report shows the fragment's own line, not the wrapper.
    let out = run(&["lint", "fixtures/forms/fragments/site.config"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2 | <site name=\"Shop\" id=\"2\" serverAutoStart=\"maybe\">"),
        "{text}"
    );
    assert!(!text.contains("configSections"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn section_and_group_fragments_are_checked_as_such() {
    let found = findings(&["lint", "fixtures/forms/fragments/asp.config"]);
    assert_eq!(rules(&found), [("IIS0002", 1, 2), ("IIS1006", 2, 19)]);
    assert!(found[0].3.contains("system.webServer/asp"), "{found:?}");
    // A .NET group (machine.config's sections) is a place too.
    let found = findings(&["lint", "fixtures/forms/fragments/system.web.config"]);
    assert_eq!(rules(&found).first(), Some(&("IIS0002", 1, 2)));
    assert!(found[0].3.contains("as system.web of"), "{found:?}");
    let found = findings(&["lint", "fixtures/forms/fragments/system.webServer.config"]);
    assert_eq!(rules(&found).first(), Some(&("IIS0002", 1, 2)));
    assert!(
        found.iter().all(|f| f.0 != "IIS1001" && f.0 != "IIS3001"),
        "{found:?}"
    );
}

#[test]
fn an_ambiguous_root_asks_for_fragment_and_fragment_chooses() {
    let found = findings(&["lint", "fixtures/forms/fragments/security.config"]);
    assert_eq!(rules(&found), [("IIS0003", 1, 2)]);
    assert!(
        found[0].3.contains("system.webServer/security"),
        "{found:?}"
    );
    let found = findings(&[
        "lint",
        "fixtures/forms/fragments/security.config",
        "--fragment",
        "system.webServer/security",
    ]);
    assert_eq!(rules(&found).first(), Some(&("IIS0002", 1, 2)));
    assert!(found.iter().all(|f| f.0 != "IIS0003"), "{found:?}");
}

#[test]
fn another_root_is_one_finding() {
    let found = findings(&["lint", "fixtures/forms/fragments/widgets.config"]);
    assert_eq!(rules(&found), [("IIS0003", 1, 2)]);
    assert_eq!(
        found[0].3,
        "not an IIS configuration file: the root is <widgets>, not <configuration>"
    );
}

#[test]
fn fragments_of_add_on_sections_need_their_schema() {
    let Some(schema) = schema_dir() else { return };
    let found = findings(&[
        "lint",
        "fixtures/forms/fragments/httpCompression.config",
        "--schema-dir",
        &schema,
    ]);
    assert_eq!(rules(&found), [("IIS0002", 1, 2), ("IIS1004", 3, 57)]);
    assert!(
        found[0].3.contains("system.webServer/httpCompression"),
        "{found:?}"
    );
}

const PROTECTED: [&str; 4] = [
    "--apphost",
    "fixtures/forms/protected/applicationHost.config",
    "--root-map",
    "C:\\inetpub=fixtures/forms/protected/inetpub",
];

#[test]
fn encrypted_sections_are_recognised_not_checked() {
    let mut args = vec!["lint"];
    args.extend(PROTECTED);
    let found = findings(&args);
    let ids: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    // No unrecognized attribute or element for configProtectionProvider and EncryptedData.
    assert!(
        !ids.contains(&"IIS1003") && !ids.contains(&"IIS1004"),
        "{found:?}"
    );
    let encrypted: Vec<(u64, u64)> = found
        .iter()
        .filter(|f| f.0 == "IIS1009")
        .map(|f| (f.1, f.2))
        .collect();
    assert_eq!(encrypted, [(21, 27), (3, 24), (16, 14)], "{found:?}");
    // A provider that configProtectedData does not declare is an error; .NET's own and a
    // declared one are not.
    let unknown: Vec<&(String, u64, u64, String)> =
        found.iter().filter(|f| f.0 == "IIS1010").collect();
    assert_eq!(unknown.len(), 1, "{found:?}");
    assert!(unknown[0].3.contains("'MyProvider'"), "{found:?}");
}

#[test]
fn get_and_set_refuse_an_encrypted_section() {
    let mut args = vec!["get", "Shop", "system.webServer/asp", "session.max"];
    args.extend(PROTECTED);
    let out = run(&args);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "no defaults are shown");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is encrypted at"), "{err}");
    assert!(err.contains("shop/web.config:16"), "{err}");
    let mut args = vec![
        "set",
        "Shop",
        "system.webServer/asp",
        "session.max=5",
        "--commit",
        "site",
        "--dry-run",
    ];
    args.extend(PROTECTED);
    let out = run(&args);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("encrypted") && err.contains("cannot be read or edited"),
        "{err}"
    );
}

const SOURCES: [&str; 4] = [
    "--apphost",
    "fixtures/forms/configsource/applicationHost.config",
    "--root-map",
    "C:\\inetpub=fixtures/forms/configsource/inetpub",
];

#[test]
fn config_source_files_are_read_as_part_of_the_file_that_names_them() {
    let mut args = vec!["lint"];
    args.extend(SOURCES);
    let out = run(&[args.clone(), vec!["--format", "json"]].concat());
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let at: Vec<(String, u64, u64)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                format!(
                    "{} {}",
                    f["rule"].as_str().unwrap_or(""),
                    f["file"].as_str().unwrap_or("")
                ),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            (
                "IIS1006 fixtures/forms/configsource/inetpub/shop/conf/asp.config".to_string(),
                3,
                19
            ),
            (
                "IIS1006 fixtures/forms/configsource/pools.config".to_string(),
                3,
                47
            ),
        ]
    );
    // Provenance names the configSource file (the section is invalid there: --force).
    let mut args = vec!["get", "Shop", "system.webServer/asp", "--json", "--force"];
    args.extend(SOURCES);
    let out = run(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\"file\": \"fixtures/forms/configsource/inetpub/shop/conf/asp.config\""),
        "{text}"
    );
}

#[test]
fn config_source_errors_are_at_the_section_element() {
    let found = findings(&["lint", "fixtures/forms/configsource-bad/web.config"]);
    let errors: Vec<(u64, u64)> = found
        .iter()
        .filter(|f| f.0 == "IIS1011")
        .map(|f| (f.1, f.2))
        .collect();
    assert_eq!(errors, [(3, 32), (5, 36), (8, 10), (11, 36)], "{found:?}");
    let messages: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "IIS1011")
        .map(|f| f.3.as_str())
        .collect();
    assert!(messages[0].contains("cannot be read"), "{messages:?}");
    assert!(messages[1].contains("not a relative path"), "{messages:?}");
    assert!(
        messages[2].contains("also has the attributes file"),
        "{messages:?}"
    );
    assert!(
        messages[3].contains("is <session>, not <appSettings>"),
        "{messages:?}"
    );
}

#[test]
fn app_settings_file_entries_are_merged_and_a_missing_one_is_no_error() {
    let Some(schema) = schema_dir() else { return };
    let found = findings(&[
        "lint",
        "fixtures/forms/appsettings",
        "--schema-dir",
        &schema,
    ]);
    assert_eq!(rules(&found), [("IIS1005", 4, 6)], "{found:?}");
}

#[test]
fn set_writes_into_the_config_source_file_and_leaves_the_pointing_file_alone() {
    let dir = fixture_dir::temp_copy("forms/configsource");
    let apphost = dir.path().join("applicationHost.config");
    let map = format!("C:\\inetpub={}", dir.path().join("inetpub").display());
    let web = dir.path().join("inetpub/shop/web.config");
    let source = dir.path().join("inetpub/shop/conf/asp.config");
    let web_before = std::fs::read(&web).expect("web.config");
    let out = run(&[
        "set",
        "Shop",
        "system.webServer/asp",
        "session.max=10",
        "--commit",
        "site",
        "--no-backup",
        "--apphost",
        &apphost.display().to_string(),
        "--root-map",
        &map,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&web).expect("web.config"), web_before);
    let text = std::fs::read_to_string(&source).expect("asp.config");
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<asp enableParentPaths=\"true\">\n    <session max=\"10\" />\n</asp>\n"
    );
}

/// Found by the `config_source` fuzz target: a section whose configSource file cannot be
/// read (here it is missing) keeps its values in that file, so a `set` of it is refused with
/// the section's place and the file it names, and nothing is written; writing the value
/// beside the attribute would be ignored by IIS (which answers 500.19 for the missing file).
#[test]
fn set_refuses_a_section_whose_config_source_file_cannot_be_read() {
    let dir = fixture_dir::temp_copy("forms/configsource");
    let apphost = dir.path().join("applicationHost.config");
    let map = format!("C:\\inetpub={}", dir.path().join("inetpub").display());
    let source = dir.path().join("inetpub/shop/conf/asp.config");
    std::fs::remove_file(&source).expect("remove asp.config");
    let web = dir.path().join("inetpub/shop/web.config");
    let (apphost_before, web_before) = (
        std::fs::read(&apphost).expect("applicationHost.config"),
        std::fs::read(&web).expect("web.config"),
    );
    let out = run(&[
        "set",
        "Shop",
        "system.webServer/asp",
        "session.max=10",
        "--commit",
        "site",
        "--no-backup",
        "--apphost",
        &apphost.display().to_string(),
        "--root-map",
        &map,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("is read from configSource=\"conf\\asp.config\", which could not be read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("web.config:"),
        "names the section's place: {stderr}"
    );
    assert_eq!(
        std::fs::read(&apphost).expect("applicationHost.config"),
        apphost_before
    );
    assert_eq!(std::fs::read(&web).expect("web.config"), web_before);
    assert!(!source.exists(), "nothing was created");
}

#[test]
fn administration_config_is_read_at_the_server_level() {
    let Some(schema) = schema_dir() else { return };
    let found = findings(&[
        "lint",
        "fixtures/forms/configfolder/administration.config",
        "--schema-dir",
        &schema,
    ]);
    // Its AppHostOnly management sections are where they belong.
    assert!(found.iter().all(|f| f.0 != "IIS2003"), "{found:?}");
}

/// administration.config as IIS 10 installs it declares its own sections, `moduleProviders`
/// and `system.webServer/management/*` with allowDefinition="MachineToWebRoot": IIS reads
/// it as MACHINE/WEBROOT's configuration (Microsoft.Web.Administration,
/// `ServerManager.GetAdministrationConfiguration`), so the stock file is clean, on its own
/// and beside applicationHost.config.
#[test]
fn stock_administration_config_is_clean() {
    let found = findings(&[
        "lint",
        "fixtures/forms/configfolder-stock/administration.config",
    ]);
    assert!(found.is_empty(), "{found:?}");
    let found = findings(&[
        "lint",
        "--apphost",
        "fixtures/forms/configfolder-stock/applicationHost.config",
    ]);
    assert!(
        found.iter().all(|f| f.0 != "IIS2003" && f.0 != "IIS1001"),
        "{found:?}"
    );
}

/// `set --commit apphost` of a section administration.config declares writes into
/// administration.config (where IIS Manager reads it), and only there.
#[test]
fn set_commit_apphost_of_an_administration_section_writes_administration_config() {
    let dir = fixture_dir::temp_copy("forms/configfolder-stock");
    let apphost = dir.path().join("applicationHost.config");
    let admin = dir.path().join("administration.config");
    let apphost_before = std::fs::read(&apphost).expect("applicationHost.config");
    let admin_before = std::fs::read_to_string(&admin).expect("administration.config");
    let out = run_in(
        dir.path(),
        &[
            "set",
            "--apphost",
            "applicationHost.config",
            "",
            "system.webServer/management/trustedProviders",
            "allowUntrustedProviders=true",
            "--commit",
            "apphost",
            "--no-backup",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&apphost).expect("applicationHost.config"),
        apphost_before
    );
    let admin_after = std::fs::read_to_string(&admin).expect("administration.config");
    assert_eq!(
        admin_after,
        admin_before.replace(
            "<trustedProviders allowUntrustedProviders=\"false\">",
            "<trustedProviders allowUntrustedProviders=\"true\">"
        )
    );
}

/// An applicationHost.config without `<configSections>` (a partial copy kept in a
/// repository, an overlay of a container build) is checked under the stock IIS 10
/// declarations: one info finding says so, no IIS1001 per section, and its sections are
/// read (a value of it is served).
#[test]
fn apphost_without_config_sections_is_a_fragment_under_stock_declarations() {
    let file = "fixtures/forms/apphost-fragment/applicationHost.config";
    let found = findings(&["lint", file]);
    let fragment: Vec<&(String, u64, u64, String)> =
        found.iter().filter(|f| f.0 == "IIS0002").collect();
    assert_eq!(fragment.len(), 1, "{found:?}");
    assert_eq!((fragment[0].1, fragment[0].2), (2, 2));
    assert!(
        fragment[0].3.contains("stock IIS 10 section declarations"),
        "{found:?}"
    );
    assert!(found.iter().all(|f| f.0 != "IIS1001"), "{found:?}");
    let out = run(&["lint", file]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("in 1 file."), "{text}");
    let out = run(&[
        "get",
        "--apphost",
        file,
        "Default Web Site",
        "system.webServer/httpErrors",
        "errorMode",
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Custom");
}

#[test]
fn redirection_config_says_where_the_configuration_lives() {
    let found = findings(&["lint", "fixtures/forms/configfolder/redirection.config"]);
    let redirected: Vec<&(String, u64, u64, String)> =
        found.iter().filter(|f| f.0 == "IIS3004").collect();
    assert_eq!(redirected.len(), 1, "{found:?}");
    assert_eq!((redirected[0].1, redirected[0].2), (13, 46));
    assert!(
        redirected[0].3.contains("\\\\fileserver\\iis-config"),
        "{found:?}"
    );
}

#[test]
fn apphost_reads_the_other_files_of_its_folder_once() {
    let args = [
        "lint",
        "--apphost",
        "fixtures/forms/configfolder/applicationHost.config",
    ];
    let found = findings(&args);
    assert_eq!(
        found.iter().filter(|f| f.0 == "IIS3004").count(),
        1,
        "{found:?}"
    );
    let out = run(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("in 3 files"), "{text}");
    // A folder with all three: each file once, as part of the hierarchy.
    let found = findings(&["lint", "fixtures/forms/configfolder"]);
    assert_eq!(
        found.iter().filter(|f| f.0 == "IIS3004").count(),
        1,
        "{found:?}"
    );
}

#[test]
fn clear_empties_the_config_source_file_and_keeps_its_root() {
    let mut args = vec![
        "clear",
        "Shop",
        "system.webServer/asp",
        "--commit",
        "site",
        "--dry-run",
    ];
    args.extend(SOURCES);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+++ b/fixtures/forms/configsource/inetpub/shop/conf/asp.config"),
        "{diff}"
    );
    assert!(diff.contains("+<asp>\n </asp>"), "{diff}");
    assert!(!diff.contains("web.config"), "{diff}");
}
