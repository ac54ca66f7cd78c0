//! `iisconf appcmd` as real scripts write it (issue 15 items 6, 7, 8, 10, 11, 15; issue 18's
//! appcmd bullet), through the real binary on a copy of fixtures/appcmd: URL config paths,
//! names in any case, short section names, position prefixes, `-attribute` deletes, the
//! `list config` output forms, help, and errors in appcmd's `ERROR ( message:… )` form.

mod edit_fixture;

use edit_fixture::{Fixture, Run};

/// Runs `iisconf appcmd ARGS… /apphostconfig:… --root-map … --no-backup` on the fixture.
fn appcmd(fx: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["appcmd"];
    all.extend_from_slice(args);
    all.extend_from_slice(&[
        "/apphostconfig:applicationHost.config",
        "--root-map",
        "C:\\inetpub=inetpub",
        "--no-backup",
    ]);
    fx.raw(&all)
}

/// Runs a command that must succeed and returns its standard output.
fn ok(fx: &Fixture, args: &[&str]) -> String {
    let run = appcmd(fx, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout
}

/// Runs a command that must fail in appcmd's form with `code`; returns the message.
fn refused(fx: &Fixture, args: &[&str], code: i32) -> String {
    let before = fx.snapshot();
    let run = appcmd(fx, args);
    assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
    let message = run
        .stderr
        .trim_end()
        .strip_prefix("ERROR ( message:")
        .and_then(|m| m.strip_suffix(" )"))
        .unwrap_or_else(|| panic!("{args:?}: not in appcmd's form: {}", run.stderr));
    assert!(fx.snapshot() == before, "{args:?}: a refused command wrote");
    message.to_string()
}

const APPHOST: &str = "applicationHost.config";
const SITE_CONFIG: &str = "inetpub/wwwroot/web.config";

// Item 6. The IIS documentation's own sample ("Getting Started with AppCmd.exe",
// https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe):
// `appcmd set config http://localhost/app1/ /section:directoryBrowse /enabled:true /commit:site`.
// localhost:80 is Default Web Site's `*:80:` binding, so the URL is `Default Web Site/app1`
// and /commit:site writes a <location path="app1"> in the site's web.config.
#[test]
fn a_url_config_path_is_mapped_through_the_bindings() {
    let fx = Fixture::of("appcmd");
    let diff = ok(
        &fx,
        &[
            "set",
            "config",
            "http://localhost/app1/",
            "/section:directoryBrowse",
            "/enabled:true",
            "/commit:site",
            "--dry-run",
        ],
    );
    insta::assert_snapshot!("url_documentation_sample", diff);
    let applied = ok(
        &fx,
        &[
            "set",
            "config",
            "http://localhost/app1/",
            "/section:directoryBrowse",
            "/enabled:true",
            "/commit:site",
        ],
    );
    // appcmd's own line on success, which scripts look for.
    assert_eq!(
        applied,
        "Applied configuration changes to section \"system.webServer/directoryBrowse\" for \"MACHINE/WEBROOT/APPHOST/Default Web Site/app1\" at configuration commit path \"MACHINE/WEBROOT/APPHOST/Default Web Site\"\n"
    );
    assert!(fx.read(SITE_CONFIG).contains("<location path=\"app1\">"));
    // get and set take URLs too.
    let get = fx.raw(&[
        "get",
        "http://LOCALHOST:80/app1",
        "system.webServer/directoryBrowse",
        "enabled",
        "--apphost",
        APPHOST,
        "--root-map",
        "C:\\inetpub=inetpub",
    ]);
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert_eq!(get.stdout.trim(), "true");
}

// Item 6: a host header binding wins over the wildcard one (as in HTTP.sys); the port and
// scheme choose among the bindings; a URL no binding takes is refused with the bindings.
#[test]
fn a_url_picks_the_site_by_host_port_and_scheme() {
    let fx = Fixture::of("appcmd");
    let path_of = |url: &str| {
        ok(
            &fx,
            &[
                "list",
                "config",
                url,
                "-section:defaultDocument",
                "/text:path",
            ],
        )
        .trim()
        .to_string()
    };
    assert_eq!(
        path_of("http://shop.example.com/"),
        "MACHINE/WEBROOT/APPHOST/Shop"
    );
    assert_eq!(
        path_of("http://localhost:8080"),
        "MACHINE/WEBROOT/APPHOST/Shop"
    );
    assert_eq!(
        path_of("https://localhost/app1/"),
        "MACHINE/WEBROOT/APPHOST/Default Web Site/app1"
    );
    let message = refused(
        &fx,
        &[
            "set",
            "config",
            "http://localhost:81/",
            "-section:directoryBrowse",
            "/enabled:true",
        ],
        2,
    );
    assert!(
        message.starts_with("no site has a binding for http://localhost:81/"),
        "{message}"
    );
    assert!(
        message.contains("Shop http/*:80:shop.example.com"),
        "{message}"
    );
    let message = refused(
        &fx,
        &["list", "config", "ftp://localhost/", "-section:asp"],
        2,
    );
    assert!(message.contains("scheme \"ftp\""), "{message}");
}

// Item 7: section paths, element and attribute names in any case, as real scripts write
// them (`-section:system.webserver/serverruntime /uploadreadaheadsize:…`,
// `/requestLimits.maxURL:…`, `/username:""`); written back in the schema's spelling
// (IIS_schema.xml: serverRuntime@uploadReadAheadSize, requestLimits@maxUrl,
// anonymousAuthentication@userName).
#[test]
fn names_in_any_case_are_written_in_the_schema_spelling() {
    let fx = Fixture::of("appcmd");
    let mut diffs = String::new();
    for args in [
        &[
            "set",
            "config",
            "-section:system.webserver/serverruntime",
            "/uploadreadaheadsize:1048576",
            "/commit:apphost",
        ][..],
        &[
            "set",
            "config",
            "-section:SYSTEM.WEBSERVER/SECURITY/REQUESTFILTERING",
            "/requestLimits.maxURL:8192",
            "/commit:apphost",
        ],
        &[
            "set",
            "config",
            "-section:anonymousauthentication",
            "/username:\"\"",
            "/commit:apphost",
        ],
    ] {
        let mut dry = args.to_vec();
        dry.push("--dry-run");
        diffs.push_str(&ok(&fx, &dry));
        ok(&fx, args);
    }
    insta::assert_snapshot!("names_in_any_case", diffs);
    let text = fx.read(APPHOST);
    assert!(text.contains("<serverRuntime uploadReadAheadSize=\"1048576\" />"));
    assert!(text.contains("<requestLimits maxUrl=\"8192\" />"));
    assert!(text.contains("userName=\"\""));
    // The same value again, in another case, changes nothing and says so.
    let again = appcmd(
        &fx,
        &[
            "set",
            "config",
            "-section:requestFiltering",
            "/REQUESTLIMITS.MAXURL:8192",
            "/commit:apphost",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("no change: the values are already set"),
        "{}",
        again.stderr
    );
}

// Item 8: requestFiltering, authorization and ipSecurity exist under system.webServer and
// system.ftpServer; appcmd takes the system.webServer one (CIS benchmark remediations write
// `/section:requestfiltering`).
#[test]
fn short_names_resolve_to_the_web_server_section() {
    let fx = Fixture::of("appcmd");
    for (short, full) in [
        (
            "requestfiltering",
            "system.webServer/security/requestFiltering",
        ),
        ("authorization", "system.webServer/security/authorization"),
        ("IPSecurity", "system.webServer/security/ipSecurity"),
        ("directorybrowse", "system.webServer/directoryBrowse"),
    ] {
        let section = ok(
            &fx,
            &[
                "list",
                "config",
                &format!("/section:{short}"),
                "/text:CONFIG.SECTION",
            ],
        );
        assert_eq!(section.trim(), full, "{short}");
    }
}

// `/section:?` lists the sections appcmd can set, `/section:?PREFIX*` those starting with
// PREFIX (mvolo.com, "Finding your way around IIS 7 configuration sections with AppCmd").
#[test]
fn section_question_mark_lists_sections() {
    let fx = Fixture::of("appcmd");
    let all = ok(&fx, &["set", "config", "/section:?"]);
    assert!(all.lines().any(|l| l == "system.webServer/asp"), "{all}");
    let some = ok(
        &fx,
        &[
            "list",
            "config",
            "/section:?system.webserver/security/auth*",
        ],
    );
    assert!(
        some.lines().all(
            |l| l.starts_with("system.webServer/security/authentication/")
                || l.starts_with("system.webServer/security/authorization")
        ),
        "{some}"
    );
    assert!(some.contains("system.webServer/security/authentication/anonymousAuthentication\n"));
}

// Item 10: appcmd's position prefixes on an added entry: [@start,…] first, [@N,…] at index
// N, [@end,…] last. Below a level with inherited entries, a position before them is refused
// with the reason (IIS would rewrite the collection under a <clear/>).
#[test]
fn position_prefixes_place_new_entries() {
    let fx = Fixture::of("appcmd");
    let add = |entry: &str| {
        ok(
            &fx,
            &[
                "set",
                "config",
                "-section:defaultDocument",
                &format!("/+files.{entry}"),
                "/commit:apphost",
            ],
        )
    };
    add("[@start,value='first.htm']");
    add("[@2,value='third.htm']");
    add("[@end,value='last.htm']");
    add("[value='after-last.htm']");
    let order = ok(
        &fx,
        &["list", "config", "-section:defaultDocument", "/text:*"],
    );
    insta::assert_snapshot!("position_prefixes", order);
    let message = refused(
        &fx,
        &[
            "set",
            "config",
            "Default Web Site",
            "-section:defaultDocument",
            "/+files.[@start,value='home.htm']",
        ],
        2,
    );
    assert!(
        message.contains("before the 6 entries inherited from above"),
        "{message}"
    );
    let message = refused(
        &fx,
        &[
            "set",
            "config",
            "-section:defaultDocument",
            "/+files.[@first,value='x.htm']",
        ],
        2,
    );
    assert!(message.contains("`@first`"), "{message}");
    // IIS refuses an index past the end (IAppHostElementCollection::AddElement:
    // ERROR_INVALID_INDEX); the number of entries itself is the end.
    let message = refused(
        &fx,
        &[
            "set",
            "config",
            "-section:defaultDocument",
            "/+files.[@7,value='x.htm']",
            "/commit:apphost",
        ],
        2,
    );
    assert!(
        message.starts_with("Invalid index: [@7,…] is past the end of a collection of 6 entries"),
        "{message}"
    );
    add("[@6,value='end.htm']");
}

// Item 11: `-attribute` deletes an attribute at the commit level, as CIS remediations write
// `/userName:"" --password`.
#[test]
fn a_dash_attribute_deletes_it() {
    let fx = Fixture::of("appcmd");
    ok(
        &fx,
        &[
            "set",
            "config",
            "-section:system.webServer/security/authentication/anonymousAuthentication",
            "/userName:\"\"",
            "--password",
            "/commit:apphost",
        ],
    );
    assert!(fx
        .read(APPHOST)
        .contains("<anonymousAuthentication enabled=\"true\" userName=\"\" />"));
}

// Item 15: `list config` output forms as appcmd prints them ("Getting Started with
// AppCmd.exe": /text:* is the detail view, /text:ATTR one value, /xml the XML form).
#[test]
fn list_config_output_forms() {
    let fx = Fixture::of("appcmd");
    let list = |extra: &[&str]| {
        let mut args = vec![
            "list",
            "config",
            "Default Web Site",
            "-section:requestFiltering",
        ];
        args.extend_from_slice(extra);
        ok(&fx, &args)
    };
    insta::assert_snapshot!("list_default", list(&[]));
    insta::assert_snapshot!("list_text_all", list(&["/text:*"]));
    insta::assert_snapshot!("list_xml", list(&["/xml"]));
    assert_eq!(list(&["/text:requestlimits.MAXURL"]), "4096\n");
    assert_eq!(
        list(&["/text:CONFIG.SECTION"]),
        "system.webServer/security/requestFiltering\n"
    );
    assert_eq!(list(&["/text:nosuch"]), "\n");
    let all = list(&["/config:*"]);
    assert!(all.contains("maxQueryString=\"2048\""), "{all}");
}

// Issue 18: appcmd-style usage, exit 0.
#[test]
fn help_prints_appcmd_style_usage() {
    let fx = Fixture::of("appcmd");
    for args in [&["/?"][..], &["--help"], &["-?"]] {
        let run = fx.raw(&[&["appcmd"][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stdout
                .contains("APPCMD (command) (object-type) <identifier> </parameter1:value1 ...>"),
            "{}",
            run.stdout
        );
        // iisconf's own options the front door takes are listed with the others.
        for option in [
            "--webroot-config FILE",
            "--machine-config FILE",
            "--allow-plaintext-secrets",
        ] {
            assert!(run.stdout.contains(option), "{option}: {}", run.stdout);
        }
    }
    let run = fx.raw(&["appcmd", "set", "config", "/?"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("help_set_config", run.stdout);
    // With a section, the parameters it takes (`set config /section:asp /?`).
    let run = fx.raw(&["appcmd", "set", "config", "/section:defaultdocument", "/?"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parameters = run
        .stdout
        .split_once("Parameters of ")
        .map(|(_, p)| p)
        .unwrap_or_default();
    insta::assert_snapshot!("help_section_parameters", parameters);
    let run = fx.raw(&["appcmd", "list", "config", "-?"]);
    assert!(
        run.stdout.starts_with("Shows configuration sections."),
        "{}",
        run.stdout
    );
}

// Issue 18: every error keeps appcmd's form and the exit code (2: the command cannot be
// carried out as written; 1: the configuration refuses the change).
#[test]
fn every_error_keeps_appcmds_form() {
    let fx = Fixture::of("appcmd");
    for (args, code, words) in [
        (
            &["frob", "config", "-section:asp"][..],
            2,
            "unknown verb \"frob\"",
        ),
        (&["list", "wp"], 2, "runtime state of a running IIS"),
        (
            &["set", "config", "-section:nosuch", "/a:b"],
            2,
            "Unknown config section",
        ),
        (
            &[
                "set",
                "config",
                "-section:asp",
                "/nosuch:1",
                "/commit:apphost",
            ],
            2,
            "Unrecognized attribute 'nosuch'",
        ),
        (
            &[
                "set",
                "config",
                "-section:defaultDocument",
                "/+files.[value='Default.htm']",
            ],
            1,
            "Cannot add duplicate collection entry",
        ),
        (
            &["set", "config", "-section:asp", "/session.max"],
            2,
            "needs a value",
        ),
        (
            &[
                "set",
                "config",
                "-section:defaultDocument",
                "/-files",
                "/commit:apphost",
            ],
            2,
            "Unrecognized attribute 'files' of system.webServer/defaultDocument",
        ),
        (
            &["set", "config", "Nowhere", "-section:asp", "/session.max:1"],
            2,
            "Nowhere",
        ),
    ] {
        let message = refused(&fx, args, code);
        assert!(message.contains(words), "{args:?}: {message}");
    }
    let message = refused(&fx, &["list", "config", "Nowhere", "-section:asp"], 2);
    assert!(message.contains("Nowhere"), "{message}");
    // An unreadable applicationHost.config is reported in the same form.
    let run = fx.raw(&["appcmd", "list", "config", "/apphostconfig:missing.config"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("ERROR ( message:"), "{}", run.stderr);
}

// Issue 18: "no change" only when nothing changes, in words that fit the verb.
#[test]
fn no_change_is_worded_for_the_verb() {
    let fx = Fixture::of("appcmd");
    let run = appcmd(
        &fx,
        &[
            "clear",
            "config",
            "Shop",
            "-section:directoryBrowse",
            "/commit:apphost",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no change: nothing to clear"),
        "{}",
        run.stderr
    );
    let run = appcmd(
        &fx,
        &[
            "set",
            "config",
            "-section:defaultDocument",
            "/enabled:true",
            "/commit:apphost",
        ],
    );
    assert!(
        run.stderr.contains("no change: the values are already set"),
        "{}",
        run.stderr
    );
    let run = appcmd(
        &fx,
        &[
            "set",
            "config",
            "-section:defaultDocument",
            "/enabled:false",
            "/commit:apphost",
        ],
    );
    assert!(!run.stderr.contains("no change"), "{}", run.stderr);
}
