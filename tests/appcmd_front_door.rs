//! Issue 15's "Done when" for the appcmd front door, on a copy of fixtures/appcmd: real
//! `appcmd set config` lines of the kinds deployment and CIS hardening scripts write, the
//! CONFIG object's `overrideMode` and `locked` (binary and library), `get`'s attribute in
//! any letter case, and every error path of src/cli/appcmd.rs in appcmd's own
//! `ERROR ( message:… )` form with its exit code.

mod edit_fixture;

use edit_fixture::{Fixture, Run};
use iisconf::config::OverrideMode;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;

/// Runs `iisconf appcmd LINE` (the whole command as one string, split as Windows splits
/// command lines) with the fixture's applicationHost.config and folders.
fn appcmd_line(fx: &Fixture, line: &str) -> Run {
    let all = format!(
        "{line} /apphostconfig:applicationHost.config --root-map C:\\inetpub=inetpub --no-backup"
    );
    fx.raw(&["appcmd", &all])
}

/// Runs `iisconf appcmd ARGS…` with the fixture's applicationHost.config and folders.
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

/// The message of an error in appcmd's form, `ERROR ( message:… )`, or a panic naming what
/// was printed instead.
fn appcmd_message(what: &str, stderr: &str) -> String {
    stderr
        .trim_end()
        .strip_prefix("ERROR ( message:")
        .and_then(|m| m.strip_suffix(" )"))
        .unwrap_or_else(|| panic!("{what}: not in appcmd's form: {stderr}"))
        .to_string()
}

/// What a real line is expected to do on fixtures/appcmd.
enum Expect {
    /// Carried out (exit 0; "no change" when the value is already set there).
    Done,
    /// Refused with this exit code and these words in the message.
    Refused(i32, &'static str),
}

use Expect::{Done, Refused};

// Real-world lines, each with its source. CIS Microsoft IIS 10 Benchmark remediations
// (sections 1.x–7.x: requestFiltering limits and lists, httpCookies, machineKey validation,
// compilation debug, trace, httpErrors, isapiCgiRestriction, anonymous identity); the IIS
// documentation's samples (learn.microsoft.com/iis/configuration: requestFiltering,
// customHeaders, authorization, ipSecurity, dynamicIpSecurity, staticContent clientCache,
// sites/siteDefaults, "Getting Started with AppCmd.exe"); Dockerfiles of public images
// (serverRuntime uploadReadAheadSize in any case, applicationPoolDefaults identity).
const REAL_LINES: &[(&str, Expect)] = &[
    // CIS 4.1–4.4: request limits (IIS docs, requestFiltering/requestLimits).
    ("set config -section:system.webServer/security/requestFiltering /requestLimits.maxAllowedContentLength:30000000 /commit:apphost", Done),
    ("set config -section:requestFiltering /requestLimits.maxUrl:4096 /commit:apphost", Done),
    ("set config -section:requestfiltering /requestLimits.maxQueryString:2048 /commit:apphost", Done),
    ("set config /section:requestfiltering /allowDoubleEscaping:false /commit:apphost", Done),
    ("set config /section:requestfiltering /allowHighBitCharacters:false /commit:apphost", Done),
    // CIS 4.5–4.8: lists of extensions, verbs, hidden segments (collection adds).
    ("set config /section:requestfiltering /+fileExtensions.[fileExtension='.exe',allowed='false'] /commit:apphost", Done),
    ("set config /section:requestfiltering /+verbs.[verb='TRACE',allowed='false'] /commit:apphost", Done),
    ("set config /section:requestfiltering /+hiddenSegments.[segment='bin'] /commit:apphost", Done),
    ("set config /section:requestfiltering /fileExtensions.allowUnlisted:false /commit:apphost", Done),
    // IIS docs, requestFiltering/requestLimits/headerLimits sample.
    ("set config /section:system.webServer/security/requestFiltering /+requestLimits.headerLimits.[header='Content-type',sizeLimit='100'] /commit:apphost", Done),
    // CIS 3.x: ASP.NET hardening in system.web (httpCookies, compilation, trace).
    ("set config -section:system.web/httpCookies /httpOnlyCookies:true /commit:apphost", Done),
    ("set config -section:system.web/httpCookies /requireSSL:true /commit:apphost", Done),
    ("set config -section:system.web/compilation /debug:false /commit:apphost", Done),
    ("set config -section:system.web/trace /enabled:false /commit:apphost", Done),
    ("set config \"Default Web Site\" -section:system.web/sessionState /cookieless:UseCookies /commit:site", Done),
    // CIS 3.x machineKey validation and trust level commit to the root web.config: taken
    // as a file with --webroot-config (item 14), refused without it, naming the option.
    ("set config /commit:WEBROOT /section:machineKey /validation:AES", Refused(2, "--webroot-config FILE")),
    ("set config /commit:WEBROOT /section:machineKey /validation:HMACSHA256 --webroot-config root.web.config", Done),
    ("set config /commit:WEBROOT /section:system.web/trust /level:Medium --webroot-config root.web.config", Done),
    ("set config /commit:WEBROOT /section:deployment /retail:true --webroot-config root.web.config", Done),
    // IIS docs, httpProtocol/customHeaders samples: removing X-Powered-By needs the entry
    // (stock IIS has it in applicationHost.config; the fixture does not, and appcmd says so).
    ("set config -section:system.webServer/httpProtocol /-customHeaders.[name='X-Powered-By'] /commit:apphost", Refused(2, "Cannot find requested collection entry [name='X-Powered-By']")),
    ("set config -section:system.webServer/httpProtocol /+customHeaders.[name='X-Frame-Options',value='SAMEORIGIN'] /commit:apphost", Done),
    // CIS 1.3 directory browsing, 3.4 detailed errors.
    ("set config -section:directoryBrowse /enabled:false /commit:apphost", Done),
    ("set config -section:system.webServer/httpErrors /errorMode:DetailedLocalOnly /commit:apphost", Done),
    // Dockerfiles: names in any case (item 7).
    ("set config -section:system.webServer/serverruntime /uploadreadaheadsize:49152 /commit:apphost", Done),
    // CIS 1.5: the anonymous user runs as the application pool identity (item 11's delete).
    ("set config -section:system.webServer/security/authentication/anonymousAuthentication /userName:\"\" /commit:apphost", Done),
    ("set config -section:anonymousAuthentication /userName:\"\" --password /commit:apphost", Done),
    // An encrypted attribute in plain text (item 16; schema: password encrypted="true").
    ("set config -section:anonymousAuthentication /password:secret /commit:apphost", Refused(1, "IIS4001")),
    ("set config -section:system.webServer/security/authentication/basicAuthentication /enabled:false /commit:apphost", Done),
    // IIS docs, authorization sample (item 9: users defaults to "").
    ("set config \"Default Web Site\" -section:system.webServer/security/authorization /+\"[accessType='Allow',roles='administrators']\"", Done),
    // CIS 1.7 removes the stock "allow all users" rule, which the fixture lacks.
    ("set config \"Default Web Site\" /section:system.webServer/security/authorization /-\"[users='*',roles='',verbs='']\"", Refused(2, "Cannot find requested collection entry")),
    // CIS 7.x: isapiCgiRestriction's notListed flags.
    ("set config -section:system.webServer/security/isapiCgiRestriction /notListedIsapisAllowed:false /commit:apphost", Done),
    ("set config -section:system.webServer/security/isapiCgiRestriction /notListedCgisAllowed:false /commit:apphost", Done),
    // IIS docs, sites/siteDefaults: logging format and connection timeout for every site.
    ("set config -section:system.applicationHost/sites /siteDefaults.logFile.logFormat:W3C /commit:apphost", Done),
    ("set config -section:system.applicationHost/sites /siteDefaults.limits.connectionTimeout:00:01:00 /commit:apphost", Done),
    ("set config -section:system.applicationHost/applicationPools /applicationPoolDefaults.processModel.identityType:ApplicationPoolIdentity /commit:apphost", Done),
    // IIS docs, asp/session; asp is overrideModeDefault="Deny", so a site's web.config
    // cannot take it and the error says to commit to apphost.
    ("set config -section:system.webServer/asp /session.keepSessionIdSecure:true /commit:apphost", Done),
    ("set config \"Default Web Site\" -section:system.webServer/asp /session.max:1000 /commit:site", Refused(1, "use --commit apphost")),
    // IIS docs, staticContent/clientCache sample.
    ("set config -section:system.webServer/staticContent /clientCache.cacheControlMode:UseMaxAge /clientCache.cacheControlMaxAge:7.00:00:00 /commit:apphost", Done),
    // "Getting Started with AppCmd.exe": the URL sample (item 6).
    ("set config http://localhost/app1/ /section:directoryBrowse /enabled:true /commit:site", Done),
    // IIS docs, dynamicIpSecurity and ipSecurity samples (item 9: subnetMask defaults).
    ("set config -section:system.webServer/security/dynamicIpSecurity /denyByConcurrentRequests.enabled:true /denyByConcurrentRequests.maxConcurrentRequests:20 /commit:apphost", Done),
    ("set config -section:system.webServer/security/ipSecurity /+\"[ipAddress='192.168.100.1',allowed='False']\" /commit:apphost", Done),
    ("set config -section:system.webServer/httpLogging /dontLog:false /commit:apphost", Done),
];

#[test]
fn real_appcmd_lines_run_or_are_refused_with_the_reason() {
    assert!(REAL_LINES.len() >= 20);
    let fx = Fixture::of("appcmd");
    std::fs::write(
        fx.path("root.web.config"),
        "<configuration>\n</configuration>\n",
    )
    .unwrap();
    for (line, expect) in REAL_LINES {
        let before = fx.snapshot();
        let run = appcmd_line(&fx, &format!("{line} --dry-run"));
        match expect {
            Done => {
                assert_eq!(run.code, 0, "{line}: {}", run.stderr);
                assert!(!run.stderr.contains("ERROR"), "{line}: {}", run.stderr);
            }
            Refused(code, words) => {
                assert_eq!(run.code, *code, "{line}: {}", run.stderr);
                let message = appcmd_message(line, &run.stderr);
                assert!(message.contains(words), "{line}: {message}");
            }
        }
        assert!(fx.snapshot() == before, "{line}: --dry-run wrote");
    }
    // Carried out for real, one writes what the dry run showed.
    let run = appcmd_line(&fx, REAL_LINES[0].0);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx
        .read("applicationHost.config")
        .contains("maxAllowedContentLength=\"30000000\""));
}

// Item 15: appcmd's CONFIG object carries `overrideMode` (the mode a location tag sets for
// the path) and `locked` (whether the path may set the section). asp is
// overrideModeDefault="Deny" in applicationHost.config's declaration, so a site cannot set
// it; `unlock config` writes `<location path="Default Web Site" overrideMode="Allow">`
// ("Getting Started with AppCmd.exe", locking; IIS docs, deep-dive, Locking).
#[test]
fn list_config_shows_override_mode_and_locked() {
    let fx = Fixture::of("appcmd");
    let text = |section: &str, name: &str| {
        let run = appcmd(
            &fx,
            &[
                "list",
                "config",
                "Default Web Site",
                &format!("-section:{section}"),
                &format!("/text:{name}"),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    assert_eq!(text("asp", "locked"), "true\n");
    assert_eq!(text("asp", "overrideMode"), "Inherit\n");
    assert_eq!(text("defaultDocument", "LOCKED"), "false\n");
    let all = text("asp", "*");
    assert!(
        all.contains("  overrideMode:\"Inherit\"\n  locked:\"true\"\n"),
        "{all}"
    );
    let run = appcmd(
        &fx,
        &["unlock", "config", "Default Web Site", "-section:asp"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(text("asp", "overrideMode"), "Allow\n");
    assert_eq!(text("asp", "locked"), "false\n");
    let run = appcmd(
        &fx,
        &["list", "config", "Default Web Site", "-section:asp", "/xml"],
    );
    assert!(
        run.stdout.contains(
            "path=\"MACHINE/WEBROOT/APPHOST/Default Web Site\" overrideMode=\"Allow\" locked=\"false\">"
        ),
        "{}",
        run.stdout
    );
    // The server level may set any section.
    let run = appcmd(&fx, &["list", "config", "-section:asp", "/text:locked"]);
    assert_eq!(run.stdout, "false\n");
}

// Item 15 through the library: the engine's query behind the CONFIG object's properties.
#[test]
fn library_section_lock_state() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/appcmd");
    let options = Options {
        apphost: Some(dir.join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".into(), dir.join("inetpub"))],
        ..Options::default()
    };
    let h = Hierarchy::open(Registry::embedded(), &options).unwrap();
    let asp = h
        .section_lock_state("Default Web Site", "system.webServer/asp")
        .unwrap();
    assert!(asp.locked);
    assert_eq!(asp.override_mode, OverrideMode::Inherit);
    assert!(
        asp.reason
            .as_deref()
            .is_some_and(|r| r.contains("overrideModeDefault=\"Deny\"")),
        "{asp:?}"
    );
    let server = h.section_lock_state("", "system.webServer/asp").unwrap();
    assert!(!server.locked);
    let open = h
        .section_lock_state("Default Web Site/app1", "system.webServer/defaultDocument")
        .unwrap();
    assert!(!open.locked && open.reason.is_none());
    assert!(h
        .section_lock_state("Nowhere", "system.webServer/asp")
        .is_err());
    assert!(h.section_lock_state("", "no.such/section").is_err());
}

// Item 7: names are case-insensitive everywhere appcmd-like, `get`'s own ATTR included
// (IIS_schema.xml spells it requestLimits@maxUrl).
#[test]
fn get_reads_an_attribute_in_any_case() {
    let fx = Fixture::of("appcmd");
    for attr in [
        "requestLimits.maxUrl",
        "requestlimits.MAXURL",
        "REQUESTLIMITS.maxurl",
    ] {
        let run = fx.raw(&[
            "get",
            "--apphost",
            "applicationHost.config",
            "--root-map",
            "C:\\inetpub=inetpub",
            "Default Web Site",
            "system.webServer/security/requestFiltering",
            attr,
        ]);
        assert_eq!(run.code, 0, "{attr}: {}", run.stderr);
        assert_eq!(run.stdout, "4096\n", "{attr}");
    }
}

// "Done when": every error of the appcmd front door keeps appcmd's own form and its exit
// code (2: the command cannot be carried out as written; 1: the configuration refuses the
// change), one case per error path of src/cli/appcmd.rs and the transaction behind it.
#[test]
fn every_error_path_keeps_appcmds_form_and_exit_code() {
    let fx = Fixture::of("appcmd");
    let cases: &[(&[&str], i32, &str)] = &[
        // parse: no verb, a runtime object, a parameter without / or -, a flag without value.
        (&[], 2, "usage: iisconf appcmd"),
        (&["list", "trace"], 2, "runtime state of a running IIS"),
        (
            &["set", "config", "Default", "Web"],
            2,
            "must begin with a / or -",
        ),
        (
            &["list", "config", "--env"],
            2,
            "must be written NAME=VALUE",
        ),
        // execute: an unknown verb, path, section; no section for an edit.
        (
            &["frob", "config", "-section:asp"],
            2,
            "unknown verb \"frob\"",
        ),
        (
            &["set", "config", "Nowhere", "-section:asp", "/session.max:1"],
            2,
            "Nowhere",
        ),
        (&["list", "config", "Nowhere", "-section:asp"], 2, "Nowhere"),
        (
            &["set", "config", "-section:nosuch", "/a:b"],
            2,
            "Unknown config section",
        ),
        (
            &["list", "config", "-section:nosuch"],
            2,
            "Unknown config section",
        ),
        (
            &["set", "config", "/enabled:true"],
            2,
            "a section is required",
        ),
        (&["set", "config", "/section:?", "/?"], 0, ""),
        // set_changes: a parameter without a value.
        (
            &["set", "config", "-section:asp", "/session.max"],
            2,
            "needs a value",
        ),
        // check_deletes: -NAME of no attribute.
        (
            &[
                "set",
                "config",
                "-section:defaultDocument",
                "/-files",
                "/commit:apphost",
            ],
            2,
            "Unrecognized attribute 'files'",
        ),
        // the transaction: an unknown attribute, a bad value, a missing entry and a commit
        // target that is not above cannot be carried out as written (2); a duplicate entry, a
        // lock and an encrypted attribute are refused by the configuration (1).
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
                "-section:asp",
                "/session.max:many",
                "/commit:apphost",
            ],
            2,
            "Invalid uint value 'many'",
        ),
        (
            &[
                "set",
                "config",
                "-section:defaultDocument",
                "/+files.[value='Default.htm']",
                "/commit:apphost",
            ],
            1,
            "Cannot add duplicate collection entry",
        ),
        (
            &[
                "set",
                "config",
                "-section:defaultDocument",
                "/-files.[value='none.htm']",
                "/commit:apphost",
            ],
            2,
            "Cannot find requested collection entry",
        ),
        (
            &[
                "set",
                "config",
                "Default Web Site",
                "-section:asp",
                "/session.max:1",
                "/commit:site",
            ],
            1,
            "cannot be used at this path",
        ),
        (
            &[
                "clear",
                "config",
                "Default Web Site",
                "-section:asp",
                "/commit:site",
            ],
            1,
            "cannot be used at this path",
        ),
        (
            &[
                "set",
                "config",
                "-section:anonymousAuthentication",
                "/password:x",
                "/commit:apphost",
            ],
            1,
            "IIS4001",
        ),
        (
            &[
                "set",
                "config",
                "Default Web Site",
                "-section:directoryBrowse",
                "/enabled:true",
                "/commit:MACHINE/WEBROOT/APPHOST/Shop",
            ],
            2,
            "is not MACHINE/WEBROOT/APPHOST/Default Web Site or one of its parents",
        ),
        // the files above applicationHost.config without the option naming them (item 14).
        (
            &[
                "set",
                "config",
                "-section:machineKey",
                "/validation:AES",
                "/commit:WEBROOT",
            ],
            2,
            "--webroot-config FILE",
        ),
        (
            &[
                "set",
                "config",
                "-section:machineKey",
                "/validation:AES",
                "/commit:MACHINE",
            ],
            2,
            "--machine-config FILE",
        ),
        (
            &[
                "set",
                "config",
                "-section:machineKey",
                "/validation:AES",
                "/commit:WEBROOT",
                "--webroot-config",
                "missing.config",
            ],
            2,
            "missing.config: cannot read the root web.config",
        ),
    ];
    for (args, code, words) in cases {
        let before = fx.snapshot();
        let run = appcmd(&fx, args);
        let what = format!("{args:?}");
        if *code == 0 {
            assert_eq!(run.code, 0, "{what}: {}", run.stderr);
            continue;
        }
        assert_eq!(run.code, *code, "{what}: {}", run.stderr);
        let message = appcmd_message(&what, &run.stderr);
        assert!(message.contains(words), "{what}: {message}");
        assert!(fx.snapshot() == before, "{what}: a refused command wrote");
    }
    // An unreadable applicationHost.config is reported in the same form.
    let run = fx.raw(&["appcmd", "list", "config", "/apphostconfig:missing.config"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    appcmd_message("missing applicationHost.config", &run.stderr);
}
