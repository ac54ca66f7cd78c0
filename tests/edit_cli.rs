//! `iisconf set/clear/lock/unlock` and `iisconf appcmd` through the real binary, on a copy
//! of fixtures/edit (CRLF, four-space indentation, like IIS writes).

use pretty_assertions::assert_eq;
use std::path::PathBuf;

mod edit_fixture;

use edit_fixture::Fixture;

/// The lines a unified diff adds and removes (without the headers).
fn changed_lines(diff: &str) -> (Vec<String>, Vec<String>) {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for line in diff.lines() {
        if line.starts_with("+++") || line.starts_with("---") {
            continue;
        }
        if let Some(l) = line.strip_prefix('+') {
            added.push(l.trim_end_matches('\r').to_string());
        } else if let Some(l) = line.strip_prefix('-') {
            removed.push(l.trim_end_matches('\r').to_string());
        }
    }
    (added, removed)
}

const HEADLINE: [&str; 7] = [
    "Default Web Site",
    "system.webServer/asp",
    "session.allowSessionState=true",
    "session.max=1000",
    "session.timeout=10m",
    "--commit",
    "apphost",
];

#[test]
fn headline_example_writes_a_location_block_indented_like_the_file() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let mut args = HEADLINE.to_vec();
    args.push("--dry-run");
    let dry = fx.run("set", &args);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(fx.snapshot(), before, "--dry-run wrote something");
    insta::assert_snapshot!("headline_diff", dry.stdout.replace('\r', "␍"));
    let (added, removed) = changed_lines(&dry.stdout);
    assert!(removed.is_empty());
    assert_eq!(
        added,
        [
            "    <location path=\"Default Web Site\">",
            "        <system.webServer>",
            "            <asp>",
            "                <session allowSessionState=\"true\" max=\"1000\" timeout=\"00:10:00\" />",
            "            </asp>",
            "        </system.webServer>",
            "    </location>",
            "",
        ]
    );

    let run = fx.run("set", &HEADLINE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fx.read("applicationHost.config");
    assert!(text.contains("    <location path=\"Default Web Site\">\r\n        <system.webServer>\r\n            <asp>\r\n                <session allowSessionState=\"true\" max=\"1000\" timeout=\"00:10:00\" />\r\n            </asp>\r\n        </system.webServer>\r\n    </location>\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "mixed line endings"
    );
    let backups = fx.backups();
    assert_eq!(backups.len(), 1, "one backup copy next to the file");
    assert_eq!(
        std::fs::read(&backups[0]).unwrap(),
        before[&fx.path("applicationHost.config")]
    );
    // The same command again changes no byte and keeps no new backup.
    let again = fx.run("set", &HEADLINE);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(fx.read("applicationHost.config"), text);
    assert!(again.stderr.contains("no change"), "{}", again.stderr);
    assert_eq!(fx.backups().len(), 1, "no new backup");
}

#[test]
fn asp_without_commit_is_refused_and_nothing_is_written() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let run = fx.run(
        "set",
        &[
            "Default Web Site",
            "system.webServer/asp",
            "session.max=1000",
        ],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("--commit apphost"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("This configuration section cannot be used at this path"),
        "{}",
        run.stderr
    );
    assert_eq!(fx.snapshot(), before);
}

fn set_ok(fx: &Fixture, args: &[&str]) -> String {
    let run = fx.run("set", args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

#[test]
fn every_commit_target() {
    // apphost: a location tag in applicationHost.config.
    let fx = Fixture::new();
    set_ok(
        &fx,
        &[
            "Default Web Site/shop",
            "defaultDocument",
            "enabled=false",
            "--commit",
            "apphost",
        ],
    );
    assert!(fx
        .read("applicationHost.config")
        .contains("<location path=\"Default Web Site/shop\">\r\n        <system.webServer>\r\n            <defaultDocument enabled=\"false\" />"));

    // url (the default): the application's own web.config, created.
    let fx = Fixture::new();
    let out = set_ok(
        &fx,
        &["Default Web Site/shop", "defaultDocument", "enabled=false"],
    );
    assert!(out.contains("created"), "{out}");
    assert_eq!(
        fx.read("inetpub/shop/web.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.webServer>\r\n        <defaultDocument enabled=\"false\" />\r\n    </system.webServer>\r\n</configuration>\r\n"
    );

    // site: the site root's web.config, in a location tag for the application.
    let fx = Fixture::new();
    set_ok(
        &fx,
        &[
            "Default Web Site/shop",
            "defaultDocument",
            "enabled=false",
            "--commit",
            "site",
        ],
    );
    let web = fx.read("inetpub/wwwroot/web.config");
    assert!(web.contains("<location path=\"shop\">"), "{web}");
    assert!(!fx.path("inetpub/shop/web.config").exists());

    // app: the application root's web.config for a folder below it.
    let fx = Fixture::new();
    set_ok(
        &fx,
        &[
            "Default Web Site/shop/cart",
            "defaultDocument",
            "enabled=false",
            "--commit",
            "app",
        ],
    );
    let web = fx.read("inetpub/shop/web.config");
    assert!(web.contains("<location path=\"cart\">"), "{web}");

    // An explicit config path.
    let fx = Fixture::new();
    set_ok(
        &fx,
        &[
            "Default Web Site/shop",
            "defaultDocument",
            "enabled=false",
            "--commit",
            "MACHINE/WEBROOT/APPHOST/Default Web Site",
        ],
    );
    assert!(fx
        .read("inetpub/wwwroot/web.config")
        .contains("<location path=\"shop\">"));
}

/// A change to Intranet's existing `<location>` tag.
const INTRANET_DEFAULT_DOCUMENT: [&str; 5] = [
    "Intranet",
    "defaultDocument",
    "enabled=true",
    "--commit",
    "apphost",
];

/// applicationHost.config `before` with [`INTRANET_DEFAULT_DOCUMENT`] made: one line added
/// to the tag.
fn with_intranet_default_document(before: &str) -> String {
    before.replace(
        "            <httpErrors errorMode=\"Detailed\" />\r\n",
        "            <httpErrors errorMode=\"Detailed\" />\r\n            <defaultDocument enabled=\"true\" />\r\n",
    )
}

#[test]
fn an_existing_location_tag_is_reused_and_a_default_value_is_written() {
    let fx = Fixture::new();
    let before = fx.read("applicationHost.config");
    set_ok(&fx, &INTRANET_DEFAULT_DOCUMENT);
    let after = fx.read("applicationHost.config");
    assert_eq!(after.matches("<location path=\"Intranet\">").count(), 1);
    let expected = with_intranet_default_document(&before);
    assert_eq!(after, expected);
}

#[test]
fn setting_the_value_already_there_changes_no_byte() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let path = fx.path("applicationHost.config");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    // Same value, different spelling of the enum.
    let run = fx.run(
        "set",
        &[
            "Intranet",
            "httpErrors",
            "errorMode=detailed",
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fx.snapshot(), before);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
}

#[test]
fn collection_add_remove_and_change() {
    let fx = Fixture::new();
    let before = fx.read("inetpub/wwwroot/web.config");
    set_ok(
        &fx,
        &[
            "Default Web Site",
            "defaultDocument",
            "+files[value='index.asp']",
        ],
    );
    set_ok(
        &fx,
        &[
            "Default Web Site",
            "defaultDocument",
            "-files[value='home.htm']",
        ],
    );
    // Inherited from applicationHost.config: removed with <remove>.
    set_ok(
        &fx,
        &[
            "Default Web Site",
            "defaultDocument",
            "-files[value='index.htm']",
        ],
    );
    // Inherited and changed: <remove> plus a new <add>.
    set_ok(
        &fx,
        &[
            "Default Web Site",
            "defaultDocument",
            "files[value='Default.htm'].value=start.htm",
        ],
    );
    let after = fx.read("inetpub/wwwroot/web.config");
    let expected = before.replace(
        "                <add value=\"home.htm\" />\r\n",
        "                <add value=\"index.asp\" />\r\n                <remove value=\"index.htm\" />\r\n                <remove value=\"Default.htm\" />\r\n                <add value=\"start.htm\" />\r\n",
    );
    assert_eq!(after, expected);
    // Adding an entry that exists is refused.
    let dup = fx.run(
        "set",
        &[
            "Default Web Site",
            "defaultDocument",
            "+files[value='INDEX.asp']",
        ],
    );
    assert_ne!(dup.code, 0);
    assert!(dup.stderr.contains("duplicate"), "{}", dup.stderr);
    // Removing one that does not exist is refused.
    let gone = fx.run(
        "set",
        &[
            "Default Web Site",
            "defaultDocument",
            "-files[value='nope.htm']",
        ],
    );
    assert_ne!(gone.code, 0);
    assert!(
        gone.stderr
            .contains("Cannot find requested collection entry"),
        "{}",
        gone.stderr
    );
    assert_eq!(fx.read("inetpub/wwwroot/web.config"), after);
}

#[test]
fn lock_and_unlock_write_location_override_mode() {
    let fx = Fixture::new();
    let run = fx.run("lock", &["Intranet", "system.webServer/httpErrors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fx.read("applicationHost.config");
    assert!(
        text.contains("<location path=\"Intranet\" overrideMode=\"Deny\">"),
        "{text}"
    );
    let run = fx.run("unlock", &["Intranet", "httpErrors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("applicationHost.config")
        .contains("<location path=\"Intranet\" overrideMode=\"Allow\">"));

    // Unlocking asp for a site lets its web.config set it.
    let fx = Fixture::new();
    let run = fx.run("unlock", &["Default Web Site", "asp"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx.read("applicationHost.config").contains(
        "    <location path=\"Default Web Site\" overrideMode=\"Allow\">\r\n        <system.webServer>\r\n            <asp />\r\n        </system.webServer>\r\n    </location>\r\n"
    ));
    set_ok(&fx, &["Default Web Site", "asp", "session.max=10"]);
    assert!(fx
        .read("inetpub/wwwroot/web.config")
        .contains("<session max=\"10\" />"));
}

#[test]
fn a_lock_that_breaks_a_lower_level_is_refused_everywhere() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    // The site's web.config sets defaultDocument: locking it at the server is invalid.
    let run = fx.run("lock", &["", "defaultDocument"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("IIS2001"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(fx.snapshot(), before);
}

#[test]
fn values_are_validated_before_writing() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    for bad in [
        "session.max=4294967296",
        "session.max=many",
        "session.timeout=90s",
        "session.allowSessionState=yes",
        "session.maxSessions=10",
        "sesion.max=10",
    ] {
        let run = fx.run(
            "set",
            &["Default Web Site", "asp", bad, "--commit", "apphost"],
        );
        assert_ne!(run.code, 0, "{bad} accepted");
        assert!(run.stderr.starts_with("error: "), "{bad}: {}", run.stderr);
    }
    assert_eq!(fx.snapshot(), before);
}

#[test]
fn runtime_data_is_refused() {
    let fx = Fixture::new();
    let run = fx.run(
        "set",
        &[
            "",
            "system.applicationHost/sites",
            "[name='Default Web Site'].ftpServer.sessions.[sessionId='1'].userName=x",
            "--commit",
            "apphost",
        ],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("runtime data"), "{}", run.stderr);
}

#[test]
fn clear_removes_an_attribute_an_element_or_the_section() {
    let fx = Fixture::new();
    set_ok(&fx, &HEADLINE);
    let run = fx.run(
        "clear",
        &[
            "Default Web Site",
            "asp",
            "session.max",
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("applicationHost.config")
        .contains("<session allowSessionState=\"true\" timeout=\"00:10:00\" />"));
    // Clearing the section removes it and the location tag it leaves empty.
    let original = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/edit/applicationHost.config"),
    )
    .unwrap();
    let run = fx.run("clear", &["Default Web Site", "asp", "--commit", "apphost"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fx.read("applicationHost.config"), original);
    // Clearing a collection writes its clear directive.
    let run = fx.run("clear", &["Default Web Site", "defaultDocument", "files"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let web = fx.read("inetpub/wwwroot/web.config");
    assert!(
        web.contains("<files>\r\n                <clear />\r\n            </files>"),
        "{web}"
    );
}

#[test]
fn read_only_file_and_folder_give_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    let file = fx.path("applicationHost.config");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = fx.snapshot();
    let run = fx.run("set", &HEADLINE);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert!(
        run.stderr.contains("applicationHost.config"),
        "{}",
        run.stderr
    );
    assert_eq!(fx.snapshot(), before);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

    let folder = fx.path("inetpub/shop");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = fx.run(
        "set",
        &["Default Web Site/shop", "defaultDocument", "enabled=false"],
    );
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("folder is read-only"), "{}", run.stderr);
    assert!(!fx.path("inetpub/shop/web.config").exists());
}

#[test]
fn appcmd_documentation_example_matches_set() {
    let a = Fixture::new();
    let run = a.appcmd(&[
        "set",
        "config",
        "Default Web Site",
        "-section:system.webServer/asp",
        "/session.allowSessionState:\"True\"",
        "/session.max:\"1000\"",
        "/session.timeout:00:10:00",
        "/commit:apphost",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let b = Fixture::new();
    set_ok(&b, &HEADLINE);
    assert_eq!(
        a.read("applicationHost.config"),
        b.read("applicationHost.config")
    );

    let list = a.appcmd(&["list", "config", "Default Web Site", "-section:asp"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(
        list.stdout
            .contains("<session allowSessionState=\"true\" max=\"1000\" timeout=\"00:10:00\" />"),
        "{}",
        list.stdout
    );
    assert!(
        !list.stdout.contains("keepSessionIdSecure"),
        "{}",
        list.stdout
    );
    let all = a.appcmd(&[
        "list",
        "config",
        "Default Web Site",
        "-section:asp",
        "/config:*",
    ]);
    assert!(
        all.stdout.contains("keepSessionIdSecure=\"true\""),
        "{}",
        all.stdout
    );
}

#[test]
fn appcmd_one_windows_command_line_with_quotes_and_spaces() {
    let fx = Fixture::new();
    let run = fx.appcmd(&[
        r#"set config "Default Web Site" /section:defaultDocument "/+files.[value='it''s.htm']" -commit:site"#,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("inetpub/wwwroot/web.config")
        .contains("<add value=\"it's.htm\" />"));
    let run = fx.appcmd(&[
        "set",
        "config",
        "Default Web Site",
        "-section:defaultDocument",
        "/-files.[value='it''s.htm']",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fx.read("inetpub/wwwroot/web.config").contains("it's"));
    // An entry attribute through /[key].attr:value, with a value holding quotes.
    let run = fx.appcmd(&[
        "set",
        "config",
        "Default Web Site",
        "-section:defaultDocument",
        "/files.[value='home.htm'].value:say \"hi\".htm",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("inetpub/wwwroot/web.config")
        .contains("<add value=\"say &quot;hi&quot;.htm\" />"));
}

#[test]
fn appcmd_site_name_with_spaces_unquoted_is_refused_like_appcmd() {
    let fx = Fixture::new();
    let run = fx.appcmd(&["set", "config", "Default", "Web", "Site", "/section:asp"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("must begin with a / or -"),
        "{}",
        run.stderr
    );
}

#[test]
fn appcmd_lock_unlock_and_clear() {
    let fx = Fixture::new();
    let run = fx.appcmd(&["lock", "config", "Intranet", "-section:httpErrors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("applicationHost.config")
        .contains("<location path=\"Intranet\" overrideMode=\"Deny\">"));
    let run = fx.appcmd(&["unlock", "config", "Intranet", "-section:httpErrors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = fx.appcmd(&[
        "clear",
        "config",
        "Intranet",
        "-section:httpErrors",
        "/commit:apphost",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fx
        .read("applicationHost.config")
        .contains("<location path=\"Intranet\""));
}

#[test]
fn trailing_options_after_changes_and_short_section_names() {
    let fx = Fixture::new();
    let run = fx.raw(&[
        "set",
        "--apphost",
        "applicationHost.config",
        "Default Web Site",
        "asp",
        "session.max=5",
        "--commit",
        "apphost",
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("<session max=\"5\" />"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_large_file_is_replaced_while_its_original_is_mapped() {
    let fx = Fixture::new();
    // Over 1 MiB, so the file is mapped rather than read (on Unix).
    let padding = format!("<!-- {} -->\r\n", "padding ".repeat(160_000));
    let before = fx.read("applicationHost.config").replacen(
        "<configuration>\r\n",
        &format!("<configuration>\r\n{padding}"),
        1,
    );
    assert!(before.len() > 1 << 20);
    std::fs::write(fx.path("applicationHost.config"), &before).unwrap();
    set_ok(&fx, &INTRANET_DEFAULT_DOCUMENT);
    let expected = with_intranet_default_document(&before);
    assert_eq!(fx.read("applicationHost.config"), expected);
    let backups = fx.backups();
    assert_eq!(backups.len(), 1, "one backup copy next to the file");
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), before);
}
