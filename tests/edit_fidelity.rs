//! Edits as IIS and appcmd make them where the hierarchy has corners (issue 15, items 9, 12,
//! 13, 14 and 16), through the real binary (`iisconf set`, `iisconf appcmd`) and the library,
//! on a copy of fixtures/edit with the security, fastCgi, rewrite and WebDAV sections added.

use iisconf::edit::{
    AboveLevel, Change, Edit, EditError, EditOptions, Prepared, Step, Transaction,
};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use pretty_assertions::assert_eq;

mod edit_fixture;

use edit_fixture::{Fixture, Run};

/// The stock isapiCgiRestriction entry of ASP.NET 4 as IIS writes it: `path` is
/// `expanded="true"` in IIS_schema.xml, so IIS reads `%windir%` as the Windows folder.
const ASPNET_ISAPI: &str = r"%windir%\Microsoft.NET\Framework64\v4.0.30319\aspnet_isapi.dll";
/// The same path as scripts write it, expanded.
const ASPNET_ISAPI_EXPANDED: &str =
    r"C:\Windows\Microsoft.NET\Framework64\v4.0.30319\aspnet_isapi.dll";

/// fixtures/edit's applicationHost.config with the sections these tests edit declared as
/// IIS and the add-on installers declare them, an authorization rule and an ISAPI
/// restriction at the server level, and a custom error page.
fn with_sections(text: String) -> String {
    let declarations = concat!(
        "            <section name=\"httpErrors\" overrideModeDefault=\"Allow\" />\r\n",
        "            <section name=\"fastCgi\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />\r\n",
        "            <sectionGroup name=\"security\">\r\n",
        "                <section name=\"authorization\" overrideModeDefault=\"Allow\" />\r\n",
        "                <section name=\"ipSecurity\" overrideModeDefault=\"Deny\" />\r\n",
        "                <section name=\"isapiCgiRestriction\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />\r\n",
        "            </sectionGroup>\r\n",
        "            <sectionGroup name=\"rewrite\">\r\n",
        "                <section name=\"rules\" overrideModeDefault=\"Allow\" />\r\n",
        "            </sectionGroup>\r\n",
        "            <sectionGroup name=\"webdav\">\r\n",
        "                <section name=\"authoringRules\" overrideModeDefault=\"Allow\" />\r\n",
        "            </sectionGroup>\r\n",
    );
    let server = format!(
        concat!(
            "        <httpErrors errorMode=\"DetailedLocalOnly\">\r\n",
            "            <error statusCode=\"404\" path=\"404.htm\" />\r\n",
            "        </httpErrors>\r\n",
            "        <security>\r\n",
            "            <authorization>\r\n",
            "                <add accessType=\"Allow\" users=\"*\" />\r\n",
            "            </authorization>\r\n",
            "            <isapiCgiRestriction>\r\n",
            "                <add path=\"{}\" allowed=\"true\" groupId=\"ASP.NET v4.0.30319\" />\r\n",
            "            </isapiCgiRestriction>\r\n",
            "        </security>\r\n",
        ),
        ASPNET_ISAPI
    );
    let out = text
        .replace(
            "            <section name=\"httpErrors\" overrideModeDefault=\"Allow\" />\r\n",
            declarations,
        )
        .replace(
            "        <httpErrors errorMode=\"DetailedLocalOnly\" />\r\n",
            &server,
        );
    assert!(out.contains("<sectionGroup name=\"webdav\">") && out.contains(ASPNET_ISAPI));
    out
}

fn fixture() -> Fixture {
    Fixture::edited(with_sections)
}

/// The lines a unified diff adds and removes (without the headers), `+`/`-` kept.
fn changed_lines(diff: &str) -> Vec<String> {
    diff.lines()
        .filter(|l| !l.starts_with("+++") && !l.starts_with("---"))
        .filter(|l| l.starts_with('+') || l.starts_with('-'))
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// `iisconf appcmd ARGS… --dry-run`: the diff's changed lines.
fn appcmd_dry(fx: &Fixture, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--dry-run");
    let run = fx.appcmd(&all);
    ok(&run);
    changed_lines(&run.stdout)
}

/// `iisconf set ARGS… --dry-run`: the diff's changed lines.
fn set_dry(fx: &Fixture, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--dry-run");
    let run = fx.run("set", &all);
    ok(&run);
    changed_lines(&run.stdout)
}

// ---- 9. New entries get their keys' defaults ------------------------------------------

/// The IIS documentation's own sample (Authorization <add>, "Configuration Sample"):
/// `appcmd set config /section:system.webServer/security/authorization
/// /+"[accessType='Allow',roles='administrators']"`. `users`, `roles` and `verbs` are
/// combined keys of IIS_schema.xml without a default, read as "" when not written.
#[test]
fn an_authorization_rule_without_users_is_added_as_the_iis_sample_writes_it() {
    let fx = fixture();
    let run = fx.appcmd(&[
        "set",
        "config",
        "Default Web Site",
        "/section:system.webServer/security/authorization",
        "/+[accessType='Allow',roles='administrators']",
        "--dry-run",
    ]);
    ok(&run);
    insta::assert_snapshot!("fidelity_authorization_add", run.stdout.replace('\r', "␍"));
    let lines = changed_lines(&run.stdout);
    assert!(
        lines.contains(
            &"+                <add accessType=\"Allow\" roles=\"administrators\" />".to_string()
        ),
        "{lines:?}"
    );
    // The same through `iisconf set`.
    let set = set_dry(
        &fx,
        &[
            "Default Web Site",
            "system.webServer/security/authorization",
            "+[accessType='Allow',roles='administrators']",
        ],
    );
    assert_eq!(set, lines);
}

/// A selector with an explicit '' for a key at its default matches the entry that does not
/// write it: `/-"[roles='',users='*',verbs='']"` (CIS remediation scripts) removes the
/// stock `<add accessType="Allow" users="*" />`.
#[test]
fn a_selector_with_empty_keys_matches_the_entry_at_its_defaults() {
    let fx = fixture();
    // Inherited at the site: a remove directive.
    let lines = appcmd_dry(
        &fx,
        &[
            "set",
            "config",
            "Default Web Site",
            "/section:system.webServer/security/authorization",
            "/-[roles='',users='*',verbs='']",
        ],
    );
    assert!(
        lines
            .contains(&"+                <remove roles=\"\" users=\"*\" verbs=\"\" />".to_string()),
        "{lines:?}"
    );
    // Written at the server: the entry itself goes.
    let lines = appcmd_dry(
        &fx,
        &[
            "set",
            "config",
            "/section:system.webServer/security/authorization",
            "/-[roles='',users='*',verbs='']",
            "/commit:apphost",
        ],
    );
    assert_eq!(
        lines,
        ["-                <add accessType=\"Allow\" users=\"*\" />"]
    );
    // A value that differs from the default does not match.
    let run = fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/authorization",
        "/-[roles='admins',users='*',verbs='']",
        "/commit:apphost",
    ]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("Cannot find requested collection entry"),
        "{}",
        run.stderr
    );
}

/// ipSecurity's `subnetMask` (default 255.255.255.255) and `domainName` are combined keys
/// (IIS_schema.xml): an entry given by its address alone is added, and the same address
/// with the default mask written out is the same entry.
#[test]
fn ip_security_entries_take_the_mask_and_domain_defaults() {
    let fx = fixture();
    let run = fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/ipSecurity",
        "/+[ipAddress='10.0.0.1',allowed='true']",
        "/commit:apphost",
    ]);
    ok(&run);
    assert!(fx
        .read("applicationHost.config")
        .contains("<add ipAddress=\"10.0.0.1\" allowed=\"true\" />"));
    let dup = fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/ipSecurity",
        "/+[ipAddress='10.0.0.1',subnetMask='255.255.255.255',domainName='']",
        "/commit:apphost",
    ]);
    assert_ne!(dup.code, 0);
    assert!(
        dup.stderr.contains("duplicate collection entry"),
        "{}",
        dup.stderr
    );
    // Another mask is another entry.
    ok(&fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/ipSecurity",
        "/+[ipAddress='10.0.0.1',subnetMask='255.255.255.0']",
        "/commit:apphost",
    ]));
}

/// URL Rewrite's conditions (rewrite_schema.xml): `matchType` (default Pattern),
/// `ignoreCase` and `negate` are combined keys with defaults; `input` and `pattern` have
/// none and read as "".
#[test]
fn rewrite_conditions_take_their_key_defaults() {
    let fx = fixture();
    let lines = appcmd_dry(
        &fx,
        &[
            "set",
            "config",
            "/section:system.webServer/rewrite/rules",
            "/+[name='https',stopProcessing='true']",
            "/[name='https'].match.url:(.*)",
            "/+[name='https'].conditions.[input='{HTTPS}',pattern='off']",
            "/commit:apphost",
        ],
    );
    assert!(
        lines.contains(
            &"+                        <add input=\"{HTTPS}\" pattern=\"off\" />".to_string()
        ),
        "{lines:?}"
    );
    ok(&fx.run(
        "set",
        &[
            "",
            "rewrite/rules",
            "+[name='https',stopProcessing='true']",
            "[name='https'].match.url=(.*)",
            "+[name='https'].conditions[input='{HTTPS}',pattern='off']",
            "--commit",
            "apphost",
        ],
    ));
    // The matchType written out at its default selects the same condition.
    let lines = set_dry(
        &fx,
        &[
            "",
            "rewrite/rules",
            "-[name='https'].conditions[input='{HTTPS}',matchType='Pattern',pattern='off',negate='false']",
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(
        lines,
        ["-                        <add input=\"{HTTPS}\" pattern=\"off\" />"]
    );
}

/// fastCgi's `arguments` is a combined key with `defaultValue=""` (IIS_schema.xml), so
/// `/+[fullPath='…']` is enough, as in the PHP installation guides; WebDAV authoring rules
/// (webdav_schema.xml) key on users, roles and path, read as "" when not written.
#[test]
fn fastcgi_and_webdav_entries_take_their_key_defaults() {
    let fx = fixture();
    ok(&fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/fastCgi",
        r"/+[fullPath='C:\php\php-cgi.exe']",
        "/commit:apphost",
    ]));
    assert!(fx
        .read("applicationHost.config")
        .contains(r#"<application fullPath="C:\php\php-cgi.exe" />"#));
    ok(&fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/fastCgi",
        r"/-[fullPath='C:\php\php-cgi.exe',arguments='']",
        "/commit:apphost",
    ]));
    assert!(!fx.read("applicationHost.config").contains("php-cgi"));

    let lines = set_dry(
        &fx,
        &[
            "Default Web Site",
            "webdav/authoringRules",
            "+[users='*',path='*',access='Read']",
        ],
    );
    assert!(
        lines.contains(
            &"+                <add users=\"*\" path=\"*\" access=\"Read\" />".to_string()
        ),
        "{lines:?}"
    );
}

/// A key with neither a value nor a default is still demanded: isapiCgiRestriction's
/// `path` is `required="true"` and the entry's unique key.
#[test]
fn a_key_without_a_default_is_still_required() {
    let fx = fixture();
    let before = fx.snapshot();
    let run = fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/isapiCgiRestriction",
        "/+[allowed='true']",
        "/commit:apphost",
    ]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("needs its key attribute 'path'"),
        "{}",
        run.stderr
    );
    assert_eq!(fx.snapshot(), before);
}

// ---- 12. Expanded keys match on their expanded value -----------------------------------

/// isapiCgiRestriction's `path` is `expanded="true"` (IIS_schema.xml): the stock entry
/// `%windir%\…\aspnet_isapi.dll` is found by `C:\Windows\…\aspnet_isapi.dll`, as the
/// hardening scripts write it, and changed or removed in its own spelling.
#[test]
fn an_expanded_key_is_found_by_its_expanded_value() {
    let fx = fixture();
    let select = format!("/[path='{ASPNET_ISAPI_EXPANDED}'].allowed:false");
    let lines = appcmd_dry(
        &fx,
        &[
            "set",
            "config",
            "/section:system.webServer/security/isapiCgiRestriction",
            &select,
            "/commit:apphost",
        ],
    );
    assert_eq!(
        lines,
        [
            format!("-                <add path=\"{ASPNET_ISAPI}\" allowed=\"true\" groupId=\"ASP.NET v4.0.30319\" />"),
            format!("+                <add path=\"{ASPNET_ISAPI}\" allowed=\"false\" groupId=\"ASP.NET v4.0.30319\" />"),
        ]
    );
    // Adding the expanded path again is a duplicate of the stored entry.
    let dup = fx.appcmd(&[
        "set",
        "config",
        "/section:system.webServer/security/isapiCgiRestriction",
        &format!("/+[path='{ASPNET_ISAPI_EXPANDED}',allowed='true']"),
        "/commit:apphost",
    ]);
    assert_ne!(dup.code, 0);
    assert!(
        dup.stderr.contains("duplicate collection entry"),
        "{}",
        dup.stderr
    );
    // Removed through `iisconf set` by its expanded value.
    let lines = set_dry(
        &fx,
        &[
            "",
            "isapiCgiRestriction",
            &format!("-[path='{ASPNET_ISAPI_EXPANDED}']"),
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(
        lines,
        [format!(
            "-                <add path=\"{ASPNET_ISAPI}\" allowed=\"true\" groupId=\"ASP.NET v4.0.30319\" />"
        )]
    );
}

/// `--env` gives the variables' values: with `windir=D:\Win`, the entry is
/// `D:\Win\…` and no longer the `C:\Windows\…` one.
#[test]
fn expanded_keys_use_the_env_values() {
    let fx = fixture();
    let remove = |path: &str| {
        fx.appcmd(&[
            "set",
            "config",
            "/section:system.webServer/security/isapiCgiRestriction",
            &format!("/-[path='{path}']"),
            "/commit:apphost",
            "--env",
            r"windir=D:\Win",
            "--dry-run",
        ])
    };
    let miss = remove(ASPNET_ISAPI_EXPANDED);
    assert_ne!(miss.code, 0);
    assert!(
        miss.stderr
            .contains("Cannot find requested collection entry"),
        "{}",
        miss.stderr
    );
    let hit = remove(r"D:\Win\Microsoft.NET\Framework64\v4.0.30319\aspnet_isapi.dll");
    ok(&hit);
    assert!(hit.stdout.contains("-                <add path=\"%windir%"));
}

// ---- 13. Setting an inherited value pins it ---------------------------------------------

/// appcmd writes a value at the commit level even when that level only inherits it (or
/// has it by default), so that a later change of the parent no longer reaches it; it
/// writes nothing only when the same value is already set at that very level.
#[test]
fn setting_an_inherited_value_writes_it_at_the_commit_level() {
    let fx = fixture();
    // enabled="true" is inherited by the shop (applicationHost.config sets it).
    let run = fx.appcmd(&[
        "set",
        "config",
        "Default Web Site/shop",
        "/section:defaultDocument",
        "/enabled:true",
    ]);
    ok(&run);
    assert!(fx
        .read("inetpub/shop/web.config")
        .contains("<defaultDocument enabled=\"true\" />"));
    // The same again: already set there.
    let again = fx.appcmd(&[
        "set",
        "config",
        "Default Web Site/shop",
        "/section:defaultDocument",
        "/enabled:true",
    ]);
    ok(&again);
    assert!(again.stderr.contains("no change"), "{}", again.stderr);

    // The schema default, at the server level.
    let lines = set_dry(
        &fx,
        &[
            "",
            "httpErrors",
            "existingResponse=Auto",
            "--commit",
            "apphost",
        ],
    );
    assert_eq!(
        lines,
        [
            "-        <httpErrors errorMode=\"DetailedLocalOnly\">",
            "+        <httpErrors errorMode=\"DetailedLocalOnly\" existingResponse=\"Auto\">",
        ]
    );
}

/// An inherited collection entry's value set to what it already is: the entry is taken
/// over at the commit level (its remove directive and a copy with the value), as appcmd
/// writes it; before, this was reported as "no change".
#[test]
fn setting_an_inherited_entry_value_takes_the_entry_over() {
    let fx = fixture();
    let run = fx.run(
        "set",
        &[
            "Default Web Site",
            "httpErrors",
            "[statusCode='404'].path=404.htm",
        ],
    );
    ok(&run);
    insta::assert_snapshot!(
        "fidelity_inherited_entry_pinned",
        fx.read("inetpub/wwwroot/web.config").replace('\r', "␍")
    );
    let again = fx.run(
        "set",
        &[
            "Default Web Site",
            "httpErrors",
            "[statusCode='404'].path=404.htm",
        ],
    );
    ok(&again);
    assert!(again.stderr.contains("no change"), "{}", again.stderr);
}

// ---- 14. /commit:WEBROOT and /commit:MACHINE --------------------------------------------

const ROOT_WEB_CONFIG: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.web>\r\n        <compilation debug=\"false\" />\r\n    </system.web>\r\n</configuration>\r\n";

/// `/commit:WEBROOT` writes the .NET root web.config (MACHINE/WEBROOT), as in the hardening
/// scripts' `appcmd set config /commit:WEBROOT /section:machineKey /validation:SHA1`; a path
/// gives a location tag there.
#[test]
fn commit_webroot_writes_the_root_web_config_given() {
    let fx = fixture();
    std::fs::write(fx.path("root.web.config"), ROOT_WEB_CONFIG).unwrap();
    let before = fx.snapshot();
    // Without the file: a clear error naming the option, nothing written.
    let run = fx.appcmd(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:system.web/machineKey",
        "/validation:SHA1",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--webroot-config FILE"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("root web.config"), "{}", run.stderr);
    assert_eq!(fx.snapshot(), before);

    let run = fx.appcmd(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:system.web/machineKey",
        "/validation:SHA1",
        "--webroot-config",
        "root.web.config",
    ]);
    ok(&run);
    let set = fx.run(
        "set",
        &[
            "Default Web Site",
            "system.web/trust",
            "level=Full",
            "--commit",
            "MACHINE/WEBROOT",
            "--webroot-config",
            "root.web.config",
        ],
    );
    ok(&set);
    insta::assert_snapshot!(
        "fidelity_webroot",
        fx.read("root.web.config").replace('\r', "␍")
    );
    assert_eq!(
        fx.read("applicationHost.config"),
        String::from_utf8(before[&fx.path("applicationHost.config")].clone()).unwrap()
    );
}

/// `/commit:MACHINE` writes machine.config; IIS's own sections are declared in
/// applicationHost.config and cannot go there.
#[test]
fn commit_machine_writes_machine_config_and_refuses_iis_sections() {
    let fx = fixture();
    let run = fx.run(
        "set",
        &[
            "",
            "appSettings",
            "+[key='a',value='1']",
            "--commit",
            "machine",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--machine-config FILE"),
        "{}",
        run.stderr
    );

    std::fs::write(fx.path("machine.config"), ROOT_WEB_CONFIG).unwrap();
    ok(&fx.run(
        "set",
        &[
            "",
            "appSettings",
            "+[key='a',value='1']",
            "--commit",
            "machine",
            "--machine-config",
            "machine.config",
        ],
    ));
    assert!(fx.read("machine.config").contains(
        "    <appSettings>\r\n        <add key=\"a\" value=\"1\" />\r\n    </appSettings>\r\n"
    ));
    let iis = fx.appcmd(&[
        "set",
        "config",
        "/commit:MACHINE",
        "/section:defaultDocument",
        "/enabled:false",
        "--machine-config",
        "machine.config",
    ]);
    assert_ne!(iis.code, 0);
    assert!(
        iis.stderr.contains("declared in applicationHost.config"),
        "{}",
        iis.stderr
    );
}

// ---- 16. Encrypted attributes -------------------------------------------------------------

/// processModel's `password` is `encrypted="true"` (IIS_schema.xml): appcmd encrypts it
/// with the server's keys as it writes; iisconf cannot, so it refuses, naming IIS4001,
/// unless `--allow-plaintext-secrets` is given (then a warning).
#[test]
fn an_encrypted_attribute_is_refused_in_plain_text() {
    let fx = fixture();
    let before = fx.snapshot();
    let args = [
        "set",
        "config",
        "/section:applicationPools",
        "/[name='DefaultAppPool'].processModel.password:hunter2",
        "/commit:apphost",
    ];
    let run = fx.appcmd(&args);
    assert_ne!(run.code, 0);
    for part in [
        "encrypted",
        "IIS4001",
        "--allow-plaintext-secrets",
        "nothing was written",
    ] {
        assert!(run.stderr.contains(part), "{part}: {}", run.stderr);
    }
    assert_eq!(fx.snapshot(), before);

    let mut allowed = args.to_vec();
    allowed.push("--allow-plaintext-secrets");
    let run = fx.appcmd(&allowed);
    ok(&run);
    assert!(run.stderr.contains("warning:"), "{}", run.stderr);
    assert!(run.stderr.contains("IIS4001"), "{}", run.stderr);
    assert!(fx
        .read("applicationHost.config")
        .contains("<processModel password=\"hunter2\" />"));
}

/// The same through `iisconf set`, for a new entry (a virtual directory's password); a
/// value already in IIS's encrypted form is written as it is.
#[test]
fn set_refuses_a_plain_text_password_and_takes_an_encrypted_one() {
    let fx = fixture();
    let plain = fx.run(
        "set",
        &[
            "",
            "sites",
            r"+[name='Default Web Site'].[path='/'].[path='/files',physicalPath='C:\files',userName='svc',password='hunter2']",
            "--commit",
            "apphost",
        ],
    );
    assert_ne!(plain.code, 0);
    assert!(plain.stderr.contains("IIS4001"), "{}", plain.stderr);
    assert!(
        plain.stderr.contains("--allow-plaintext-secrets"),
        "{}",
        plain.stderr
    );

    let encrypted = "[enc:IISWASOnlyAesProvider:c2VjcmV0:enc]";
    let run = fx.run(
        "set",
        &[
            "",
            "applicationPools",
            &format!("[name='DefaultAppPool'].processModel.password={encrypted}"),
            "--commit",
            "apphost",
        ],
    );
    ok(&run);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(fx.read("applicationHost.config").contains(encrypted));
}

// ---- The library ---------------------------------------------------------------------------

fn open(fx: &Fixture) -> Hierarchy {
    let options = Options {
        apphost: Some(fx.path("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".to_string(), fx.path("inetpub"))],
        env: Vec::new(),
    };
    Hierarchy::open(Registry::embedded(), &options).expect("opens")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn edit(path: &str, section: &str, target: CommitTarget, change: Change) -> Edit {
    Edit {
        path: path.to_string(),
        section: section.to_string(),
        target,
        change,
    }
}

fn prepare(fx: &Fixture, options: EditOptions, edits: Vec<Edit>) -> Result<Prepared, EditError> {
    let mut tx = Transaction::with_options(open(fx), options);
    for e in edits {
        tx.push(e);
    }
    tx.prepare()
}

/// Items 9 and 12 through the library: defaulted keys are not demanded and match '';
/// expanded keys match by their expanded value, with the variables of
/// [`EditOptions::env`].
#[test]
fn library_defaults_and_expanded_keys() {
    let fx = fixture();
    let authorization = "system.webServer/security/authorization";
    let prepared = prepare(
        &fx,
        EditOptions::default(),
        vec![
            edit(
                "",
                authorization,
                CommitTarget::AppHost,
                Change::Remove {
                    element: Vec::new(),
                    key: pairs(&[("roles", ""), ("users", "*"), ("verbs", "")]),
                },
            ),
            edit(
                "",
                authorization,
                CommitTarget::AppHost,
                Change::Add {
                    element: Vec::new(),
                    attributes: pairs(&[("accessType", "Allow"), ("roles", "administrators")]),
                },
            ),
        ],
    )
    .expect("prepares");
    let diff = changed_lines(&prepared.diff());
    assert_eq!(
        diff,
        [
            "-                <add accessType=\"Allow\" users=\"*\" />",
            "+                <add accessType=\"Allow\" roles=\"administrators\" />",
        ]
    );

    let isapi = "system.webServer/security/isapiCgiRestriction";
    let by_expanded = |windir: &str, path: &str| {
        prepare(
            &fx,
            EditOptions {
                env: vec![("windir".to_string(), windir.to_string())],
                ..EditOptions::default()
            },
            vec![edit(
                "",
                isapi,
                CommitTarget::AppHost,
                Change::Set {
                    element: vec![Step::Entry(pairs(&[("path", path)]))],
                    attribute: "allowed".to_string(),
                    value: "false".to_string(),
                },
            )],
        )
    };
    let changed = by_expanded(r"C:\Windows", ASPNET_ISAPI_EXPANDED).expect("found");
    assert!(changed.diff().contains("allowed=\"false\""));
    match by_expanded(r"D:\Win", ASPNET_ISAPI_EXPANDED) {
        Err(EditError::EntryNotFound(what)) => assert!(what.contains("aspnet_isapi"), "{what}"),
        Err(other) => panic!("unexpected error: {other}"),
        Ok(p) => panic!("matched with another windir:\n{}", p.diff()),
    }
}

/// Item 13 through the library: an inherited value set at a level is written there; the
/// same value already set there changes nothing.
#[test]
fn library_pins_inherited_values() {
    let fx = fixture();
    let set = |path: &str, target: CommitTarget| {
        edit(
            path,
            "system.webServer/httpErrors",
            target,
            Change::Set {
                element: Vec::new(),
                attribute: "errorMode".to_string(),
                value: "Detailed".to_string(),
            },
        )
    };
    // Intranet sets Detailed in its location tag: no change.
    let same = prepare(
        &fx,
        EditOptions::default(),
        vec![set("Intranet", CommitTarget::AppHost)],
    )
    .expect("prepares");
    assert!(same.is_noop(), "{}", same.diff());
    // Intranet's web.config only inherits it: written there.
    let pinned = prepare(
        &fx,
        EditOptions::default(),
        vec![set("Intranet", CommitTarget::Url)],
    )
    .expect("prepares");
    assert!(!pinned.is_noop());
    assert!(
        pinned
            .diff()
            .contains("+        <httpErrors errorMode=\"Detailed\" />"),
        "{}",
        pinned.diff()
    );
}

/// Items 14 and 16 through the library: the root web.config and machine.config are files
/// of [`EditOptions`]; without one the error says which level it is; an encrypted
/// attribute is refused unless allowed, and then it is a warning.
#[test]
fn library_webroot_and_secrets() {
    let fx = fixture();
    let machine_key = || {
        edit(
            "",
            "system.web/machineKey",
            CommitTarget::parse("WEBROOT"),
            Change::Set {
                element: Vec::new(),
                attribute: "validation".to_string(),
                value: "SHA1".to_string(),
            },
        )
    };
    match prepare(&fx, EditOptions::default(), vec![machine_key()]) {
        Err(EditError::NoLevelFile { level }) => assert_eq!(level, AboveLevel::WebRoot),
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("committed to WEBROOT without the file"),
    }
    std::fs::write(fx.path("root.web.config"), ROOT_WEB_CONFIG).unwrap();
    let options = EditOptions {
        webroot_config: Some(fx.path("root.web.config")),
        ..EditOptions::default()
    };
    let prepared = prepare(&fx, options, vec![machine_key()]).expect("prepares");
    let files = prepared.files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].changed && !files[0].created);
    prepared.commit(&Default::default()).expect("commits");
    assert!(fx
        .read("root.web.config")
        .contains("        <machineKey validation=\"SHA1\" />\r\n"));

    let password = || {
        edit(
            "",
            "system.applicationHost/applicationPools",
            CommitTarget::AppHost,
            Change::Set {
                element: vec![
                    Step::Entry(pairs(&[("name", "DefaultAppPool")])),
                    Step::Element("processModel".to_string()),
                ],
                attribute: "password".to_string(),
                value: "hunter2".to_string(),
            },
        )
    };
    match prepare(&fx, EditOptions::default(), vec![password()]) {
        Err(e @ EditError::PlaintextSecret { .. }) => {
            assert!(e.to_string().contains("IIS4001"), "{e}")
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a plain-text password was accepted"),
    }
    let allowed = EditOptions {
        allow_plaintext_secrets: true,
        ..EditOptions::default()
    };
    let prepared = prepare(&fx, allowed, vec![password()]).expect("prepares");
    assert_eq!(prepared.warnings().len(), 1);
    assert!(prepared.warnings()[0].contains("IIS4001"));
}
