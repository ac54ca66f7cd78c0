//! appcmd's object verbs (issue 28) through the real binary on a copy of fixtures/appcmd:
//! `add`, `set`, `delete` and `list` of SITE, APP, VDIR and APPPOOL, run as published build
//! scripts write them (each test names where its command lines come from), checking the
//! lines written to applicationHost.config (nothing else moves), appcmd's output, the
//! migration round trip through `/config /xml` and `/in`, and every error with its message,
//! exit code and no file written.

mod edit_fixture;

use edit_fixture::{Fixture, Run};
use std::io::Write;
use std::process::{Command, Stdio};

const APPHOST: &str = "applicationHost.config";

/// Runs `iisconf appcmd ARGS… /apphostconfig:… --no-backup` on the fixture.
fn appcmd(fx: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["appcmd"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["/apphostconfig:applicationHost.config", "--no-backup"]);
    fx.raw(&all)
}

/// Runs a command that must succeed and returns its standard output.
fn ok(fx: &Fixture, args: &[&str]) -> String {
    let run = appcmd(fx, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout
}

/// Runs a command that must fail in appcmd's form with `code`, writing nothing; returns the
/// message.
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

/// The lines removed from and added to applicationHost.config since `before`, as written
/// (indentation kept, line ends dropped).
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches(['\r', '\n']).to_string();
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(line),
            similar::ChangeTag::Insert => added.push(line),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|l| l.to_string()).collect()
}

/// Every line of the file keeps its CRLF ending.
fn assert_crlf(text: &str) {
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a line lost its CRLF ending"
    );
}

// parkee/vagrantfile-windows-iis-mssql, vagrant-scripts/creating-website-in-iis.cmd
// (https://github.com/parkee/vagrantfile-windows-iis-mssql/blob/master/vagrant-scripts/creating-website-in-iis.cmd):
// a pool, a site on its own port with /physicalPath, then the root application moved to
// the pool with `set app "website/"`.
#[test]
fn a_vagrant_script_creates_a_pool_and_a_site() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    let out = ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:website",
            "/managedRuntimeVersion:v4.0",
            "/managedPipelineMode:Integrated",
        ],
    );
    assert_eq!(out, "APPPOOL object \"website\" added\n");
    let out = ok(
        &fx,
        &[
            "add",
            "site",
            "/name:website",
            "/physicalPath:C:\\website",
            "/bindings:http/*:1025:",
        ],
    );
    assert_eq!(
        out,
        "SITE object \"website\" added\nAPP object \"website/\" added\nVDIR object \"website/\" added\n"
    );
    let out = ok(&fx, &["set", "app", "website/", "/applicationPool:website"]);
    assert_eq!(out, "APP object \"website/\" changed\n");
    let after = fx.read(APPHOST);
    assert_crlf(&after);
    let (removed, added) = changed_lines(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        lines(&[
            "            <add name=\"website\" managedRuntimeVersion=\"v4.0\" managedPipelineMode=\"Integrated\" />",
            "            <site name=\"website\" id=\"3\">",
            "                <application path=\"/\" applicationPool=\"website\">",
            "                    <virtualDirectory path=\"/\" physicalPath=\"C:\\website\" />",
            "                </application>",
            "                <bindings>",
            "                    <binding protocol=\"http\" bindingInformation=\"*:1025:\" />",
            "                </bindings>",
            "            </site>",
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "site", "website"]),
        "SITE \"website\" (id:3,bindings:http/*:1025:,state:Unknown)\n"
    );
    assert_eq!(
        ok(&fx, &["list", "app", "/site.name:website"]),
        "APP \"website/\" (applicationPool:website)\n"
    );
    assert_eq!(
        ok(&fx, &["list", "apppool", "website"]),
        "APPPOOL \"website\" (MgdVersion:v4.0,MgdMode:Integrated,state:Unknown)\n"
    );
}

// Daoting/dt, Service/iis/svc.bat (https://github.com/Daoting/dt/blob/master/Service/iis/svc.bat):
// a pool with no managed code (`/managedRuntimeVersion:` with nothing after it), a nested
// application, then both deleted by /app.name and /apppool.name: the file is back to its
// bytes.
#[test]
fn a_service_script_adds_and_deletes_an_application_and_its_pool() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:Shop-api",
            "/managedRuntimeVersion:",
            "/startMode:AlwaysRunning",
            "/processModel.idleTimeout:00:00:00",
        ],
    );
    let out = ok(
        &fx,
        &[
            "add",
            "app",
            "/site.name:Shop",
            "/path:/api/v1",
            "/physicalPath:C:\\svc\\api",
            "/applicationpool:Shop-api",
        ],
    );
    assert_eq!(
        out,
        "APP object \"Shop/api/v1\" added\nVDIR object \"Shop/api/v1/\" added\n"
    );
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        lines(&[
            "            <add name=\"Shop-api\" managedRuntimeVersion=\"\" startMode=\"AlwaysRunning\">",
            "                <processModel idleTimeout=\"00:00:00\" />",
            "            </add>",
            "                <application path=\"/api/v1\" applicationPool=\"Shop-api\">",
            "                    <virtualDirectory path=\"/\" physicalPath=\"C:\\svc\\api\" />",
            "                </application>",
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "apps", "/apppool.name:Shop-api"]),
        "APP \"Shop/api/v1\" (applicationPool:Shop-api)\n"
    );
    assert_eq!(
        ok(&fx, &["list", "apppools", "Shop-api"]),
        "APPPOOL \"Shop-api\" (MgdVersion:,MgdMode:Integrated,state:Unknown)\n"
    );
    assert_eq!(
        ok(&fx, &["delete", "app", "/app.name:Shop/api/v1"]),
        "APP object \"Shop/api/v1\" deleted\n"
    );
    assert_eq!(
        ok(&fx, &["delete", "apppool", "/apppool.name:Shop-api"]),
        "APPPOOL object \"Shop-api\" deleted\n"
    );
    assert!(
        fx.read(APPHOST) == before,
        "add then delete left bytes behind"
    );
}

// xjys, "IIS脚本安装服务路径" (https://www.cnblogs.com/xjys/articles/15798441.html): a site
// with an id and a URL binding, its log switched off, a virtual directory added to the root
// application by /app.name, changed by its VDIR name, listed, deleted by /vdir.name.
#[test]
fn a_site_script_manages_a_virtual_directory() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "add",
            "site",
            "/name:test",
            "/id:12",
            "/bindings:http://*:80",
            "/physicalPath:%SystemDrive%\\inetpub\\wwwroot",
        ],
    );
    ok(&fx, &["set", "site", "test", "/logFile.enabled:false"]);
    let out = ok(
        &fx,
        &[
            "add",
            "vdir",
            "/app.name:test/",
            "/path:/test",
            "/physicalPath:D:\\Project\\test",
        ],
    );
    assert_eq!(out, "VDIR object \"test/test\" added\n");
    ok(
        &fx,
        &["set", "vdir", "test/test", "/allowSubDirConfig:false"],
    );
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        lines(&[
            "            <site name=\"test\" id=\"12\">",
            "                <application path=\"/\">",
            "                    <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />",
            "                    <virtualDirectory path=\"/test\" physicalPath=\"D:\\Project\\test\" allowSubDirConfig=\"false\" />",
            "                </application>",
            "                <bindings>",
            "                    <binding protocol=\"http\" bindingInformation=\"*:80:\" />",
            "                </bindings>",
            "                <logFile enabled=\"false\" />",
            "            </site>",
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "vdirs", "/app.name:test/"]),
        "VDIR \"test/\" (physicalPath:%SystemDrive%\\inetpub\\wwwroot)\nVDIR \"test/test\" (physicalPath:D:\\Project\\test)\n"
    );
    // The root application's pool comes from <applicationDefaults> and is not written.
    assert_eq!(
        ok(&fx, &["list", "app", "test/"]),
        "APP \"test/\" (applicationPool:DefaultAppPool)\n"
    );
    ok(&fx, &["delete", "vdir", "/vdir.name:test/test"]);
    assert!(!fx.read(APPHOST).contains("D:\\Project\\test"));
    // The same script's pool, created and deleted.
    ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:test",
            "/managedPipelineMode:Classic",
            "/managedRuntimeVersion:v4.0",
        ],
    );
    assert_eq!(
        ok(&fx, &["list", "apppool", "test"]),
        "APPPOOL \"test\" (MgdVersion:v4.0,MgdMode:Classic,state:Unknown)\n"
    );
    ok(&fx, &["delete", "apppool", "test"]);
    assert!(!fx.read(APPHOST).contains("<add name=\"test\""));
}

// The same script renames Default Web Site: `set site "Default Web Site" /name:"test"`.
// A name another site has is refused.
#[test]
fn a_site_is_renamed_in_place() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(&fx, &["set", "site", "Default Web Site", "/name:test"]);
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    assert_eq!(
        (removed, added),
        (
            lines(&["            <site name=\"Default Web Site\" id=\"1\">"]),
            lines(&["            <site name=\"test\" id=\"1\">"])
        )
    );
    let message = refused(&fx, &["set", "site", "test", "/name:Shop"], 1);
    assert_eq!(
        message,
        "Failed to add duplicate collection entry of type 'site' with unique key attribute 'name' set to 'Shop'"
    );
}

// AtlantisDe/Learning, Server/IIS/IIS/AppCmd/AppCmd.md
// (https://github.com/AtlantisDe/Learning/blob/master/Server/IIS/IIS/AppCmd/AppCmd.md):
// a binding added by /site.name with /+bindings.[…], `list sites`, `list site "Default Web
// Site"`; the binding removed again with /-bindings.[…] leaves the file as it was.
#[test]
fn bindings_are_added_and_removed_by_entry() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "set",
            "site",
            "/site.name:Default Web Site",
            "/+bindings.[protocol='http',bindingInformation='*:8081:www.example.com']",
        ],
    );
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    assert!(removed.is_empty());
    assert_eq!(
        added,
        lines(&[
            "                    <binding protocol=\"http\" bindingInformation=\"*:8081:www.example.com\" />"
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "sites"]),
        "SITE \"Default Web Site\" (id:1,bindings:http/*:80:,https/*:443:,http/*:8081:www.example.com,state:Unknown)\n\
         SITE \"Shop\" (id:2,bindings:http/*:8080:,http/*:80:shop.example.com,state:Unknown)\n"
    );
    assert_eq!(
        ok(&fx, &["list", "site", "Default Web Site", "/text:bindings"]),
        "http/*:80:,https/*:443:,http/*:8081:www.example.com\n"
    );
    ok(
        &fx,
        &[
            "set",
            "site",
            "Default Web Site",
            "/-bindings.[protocol='http',bindingInformation='*:8081:www.example.com']",
        ],
    );
    assert!(fx.read(APPHOST) == before);
}

// `set site /bindings:…` replaces the bindings, as appcmd's set does: the ones kept stay
// as written, the others are removed, new ones added (the binding list form of
// https://www.cnblogs.com/xjys/articles/15798441.html and the issue).
#[test]
fn set_site_bindings_replaces_them() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "set",
            "site",
            "Shop",
            "/bindings:http/*:8080:,https/*:8443:",
        ],
    );
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    assert_eq!(
        removed,
        lines(&[
            "                    <binding protocol=\"http\" bindingInformation=\"*:80:shop.example.com\" />"
        ])
    );
    assert_eq!(
        added,
        lines(&[
            "                    <binding protocol=\"https\" bindingInformation=\"*:8443:\" />"
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "site", "Shop", "/text:bindings"]),
        "http/*:8080:,https/*:8443:\n"
    );
}

// The issue's own command lines: `set apppool … /managedRuntimeVersion:""`, a https
// binding with /+bindings, nested properties of sites and pools.
#[test]
fn nested_properties_and_empty_values_are_written() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "set",
            "apppool",
            "DefaultAppPool",
            "/managedRuntimeVersion:",
            "/processModel.identityType:NetworkService",
            "/recycling.periodicRestart.time:00:00:00",
        ],
    );
    ok(
        &fx,
        &[
            "set",
            "site",
            "Shop",
            "/+bindings.[protocol='https',bindingInformation='*:443:']",
            "/limits.maxBandwidth:65536",
            "/[path='/'].applicationPool:DefaultAppPool",
        ],
    );
    let (removed, added) = changed_lines(&before, &fx.read(APPHOST));
    // The root application's pool is already DefaultAppPool: that parameter changes
    // nothing.
    assert_eq!(
        removed,
        lines(&["            <add name=\"DefaultAppPool\" />"])
    );
    assert_eq!(
        added,
        lines(&[
            "            <add name=\"DefaultAppPool\" managedRuntimeVersion=\"\">",
            "                <processModel identityType=\"NetworkService\" />",
            "                <recycling>",
            "                    <periodicRestart time=\"00:00:00\" />",
            "                </recycling>",
            "            </add>",
            "                    <binding protocol=\"https\" bindingInformation=\"*:443:\" />",
            "                <limits maxBandwidth=\"65536\" />",
        ])
    );
    assert_eq!(
        ok(&fx, &["list", "apppool", "/text:processModel.identityType"]),
        "NetworkService\n"
    );
    assert_eq!(
        ok(&fx, &["list", "site", "Shop", "/text:limits.maxBandwidth"]),
        "65536\n"
    );
}

// csdn, weixin_42117032 (https://blog.csdn.net/weixin_42117032/article/details/116253045):
// `add apppool` with recycling and queue settings, then `add site` with a URL binding on a
// host name, /applicationDefaults.applicationPool and /logFile.directory.
#[test]
fn a_site_takes_nested_defaults_on_add() {
    let fx = Fixture::of("appcmd");
    let before = fx.read(APPHOST);
    ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:test.imdst.com",
            "/managedRuntimeVersion:v4.0",
            "/managedPipelineMode:Integrated",
            "/recycling.periodicRestart.time:00:00:00",
            "/queueLength:5000",
        ],
    );
    ok(
        &fx,
        &[
            "add",
            "site",
            "/name:test.imdst.com",
            "/bindings:http://test.imdst.com:80",
            "/applicationDefaults.applicationPool:test.imdst.com",
            "/physicalPath:d:/web/test.imdst.com",
            "/logFile.directory:d:\\logs",
        ],
    );
    let (_, added) = changed_lines(&before, &fx.read(APPHOST));
    assert_eq!(
        added,
        lines(&[
            "            <add name=\"test.imdst.com\" managedRuntimeVersion=\"v4.0\" managedPipelineMode=\"Integrated\" queueLength=\"5000\">",
            "                <recycling>",
            "                    <periodicRestart time=\"00:00:00\" />",
            "                </recycling>",
            "            </add>",
            "            <site name=\"test.imdst.com\" id=\"3\">",
            "                <application path=\"/\">",
            "                    <virtualDirectory path=\"/\" physicalPath=\"d:/web/test.imdst.com\" />",
            "                </application>",
            "                <bindings>",
            "                    <binding protocol=\"http\" bindingInformation=\"*:80:test.imdst.com\" />",
            "                </bindings>",
            "                <applicationDefaults applicationPool=\"test.imdst.com\" />",
            "                <logFile directory=\"d:\\logs\" />",
            "            </site>",
        ])
    );
    // The root application takes its pool from the site's own <applicationDefaults>.
    assert_eq!(
        ok(&fx, &["list", "app", "test.imdst.com/"]),
        "APP \"test.imdst.com/\" (applicationPool:test.imdst.com)\n"
    );
}

// mpab/scripts, iis-generate.bat (https://github.com/mpab/scripts/blob/master/iis-generate.bat):
// `-processModel.identityType:LocalSystem` with a dash, /site.name repeated on `add site`,
// a quoted URL binding; then `start apppool`, which needs a running server.
#[test]
fn a_generated_script_runs_until_its_runtime_verb() {
    let fx = Fixture::of("appcmd");
    ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:example.com-local-TestApi",
            "/managedRuntimeVersion:",
            "-processModel.identityType:LocalSystem",
        ],
    );
    ok(
        &fx,
        &[
            "add",
            "site",
            "/name:example.com-local-TestApi",
            "/site.name:example.com-local-TestApi",
            "/bindings:http://local-TestApi.example.com:80",
            "/physicalPath:C:\\inetpub\\example.com\\local-TestApi",
        ],
    );
    ok(
        &fx,
        &[
            "set",
            "app",
            "example.com-local-TestApi/",
            "/applicationPool:example.com-local-TestApi",
        ],
    );
    let text = fx.read(APPHOST);
    assert!(text.contains("<add name=\"example.com-local-TestApi\" managedRuntimeVersion=\"\">"));
    assert!(text.contains(
        "<binding protocol=\"http\" bindingInformation=\"*:80:local-TestApi.example.com\" />"
    ));
    let message = refused(
        &fx,
        &[
            "start",
            "apppool",
            "/apppool.name:example.com-local-TestApi",
        ],
        2,
    );
    assert_eq!(
        message,
        "start apppool acts on a running IIS: it needs the Windows Process Activation Service (WAS) of a live server, and iisconf edits configuration files only (to keep a pool from starting with the server, set /autoStart:false)"
    );
}

// Ttsartsidze/Jenkins, Create_IIS_Sites.ps1
// (https://github.com/Ttsartsidze/Jenkins/blob/master/Create_IIS_Sites.ps1): a host-header
// binding, a pool with no parameter but its name, the root application moved to it.
#[test]
fn a_jenkins_job_creates_a_host_header_site() {
    let fx = Fixture::of("appcmd");
    ok(
        &fx,
        &[
            "add",
            "site",
            "/name:BulkImporter.API",
            "/bindings:http/*:80:BulkImporter.03.Test.API.lb.ge",
            "/physicalPath:D:\\Api\\BulkImporter\\Current",
        ],
    );
    assert_eq!(
        ok(&fx, &["add", "apppool", "/name:BulkImporter.API"]),
        "APPPOOL object \"BulkImporter.API\" added\n"
    );
    ok(
        &fx,
        &[
            "set",
            "app",
            "BulkImporter.API/",
            "/applicationPool:BulkImporter.API",
        ],
    );
    assert_eq!(
        ok(&fx, &["list", "apps", "/site.name:BulkImporter.API"]),
        "APP \"BulkImporter.API/\" (applicationPool:BulkImporter.API)\n"
    );
    // The bare pool inherits <applicationPoolDefaults>.
    assert_eq!(
        ok(&fx, &["list", "apppool", "BulkImporter.API"]),
        "APPPOOL \"BulkImporter.API\" (MgdVersion:v4.0,MgdMode:Integrated,state:Unknown)\n"
    );
}

// A new site's id: the lowest id no site has (IIS's incremental site ids, as
// https://blogs.iis.net/carlosag/iis-7-0-site-id-computation describes them).
#[test]
fn a_new_site_takes_the_lowest_free_id() {
    let fx = Fixture::of("appcmd");
    ok(&fx, &["add", "site", "/name:Ten", "/id:10"]);
    ok(&fx, &["add", "site", "/name:Three"]);
    ok(&fx, &["add", "site", "/name:Four"]);
    assert_eq!(ok(&fx, &["list", "sites", "/text:id"]), "1\n2\n10\n3\n4\n");
    // A site without /physicalPath has no application, as appcmd creates it.
    assert!(fx.read(APPHOST).contains("<site name=\"Four\" id=\"4\" />"));
}

// `list`'s output forms ("Getting Started with AppCmd.exe",
// https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe):
// /text:*, /text:NAME, /xml, /config, /config:*, and filters by any property. The runtime
// state is `Unknown`: no site is listed as Started.
#[test]
fn list_prints_appcmd_output_forms() {
    let fx = Fixture::of("appcmd");
    let detail = ok(&fx, &["list", "site", "Shop", "/text:*"]);
    assert!(
        detail.starts_with(
            "SITE\n  SITE.NAME:\"Shop\"\n  SITE.ID:\"2\"\n  bindings:\"http/*:8080:,http/*:80:shop.example.com\"\n  state:\"Unknown\"\n  [site]\n    name:\"Shop\"\n"
        ),
        "{detail}"
    );
    assert!(
        detail.contains("      maxBandwidth:\"4294967295\"\n"),
        "{detail}"
    );
    assert_eq!(
        ok(&fx, &["list", "apppools", "/text:name"]),
        "DefaultAppPool\n"
    );
    assert_eq!(
        ok(&fx, &["list", "vdir", "/xml"]),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n\
         \x20   <VDIR physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" path=\"/\" APP.NAME=\"Default Web Site/\" VDIR.NAME=\"Default Web Site/\" />\n\
         \x20   <VDIR physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\\app1\" path=\"/\" APP.NAME=\"Default Web Site/app1\" VDIR.NAME=\"Default Web Site/app1/\" />\n\
         \x20   <VDIR physicalPath=\"%SystemDrive%\\inetpub\\shop\" path=\"/\" APP.NAME=\"Shop/\" VDIR.NAME=\"Shop/\" />\n\
         </appcmd>\n"
    );
    assert_eq!(
        ok(&fx, &["list", "apppool", "/xml"]),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n\
         \x20   <APPPOOL APPPOOL.NAME=\"DefaultAppPool\" PipelineMode=\"Integrated\" RuntimeVersion=\"v4.0\" state=\"Unknown\" />\n\
         </appcmd>\n"
    );
    assert_eq!(
        ok(&fx, &["list", "site", "Shop", "/config"]),
        "<site name=\"Shop\" id=\"2\">\n\
         \x20 <application path=\"/\" applicationPool=\"DefaultAppPool\">\n\
         \x20   <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\shop\" />\n\
         \x20 </application>\n\
         \x20 <bindings>\n\
         \x20   <binding protocol=\"http\" bindingInformation=\"*:8080:\" />\n\
         \x20   <binding protocol=\"http\" bindingInformation=\"*:80:shop.example.com\" />\n\
         \x20 </bindings>\n\
         </site>\n"
    );
    let all = ok(&fx, &["list", "apppool", "DefaultAppPool", "/config:*"]);
    assert!(
        all.starts_with("<add name=\"DefaultAppPool\" queueLength=\"1000\""),
        "{all}"
    );
    assert!(all.contains("managedRuntimeVersion=\"v4.0\""), "{all}");
    assert_eq!(ok(&fx, &["list", "sites", "/state:Started"]), "");
    assert_eq!(
        ok(&fx, &["list", "sites", "/state:unknown", "/text:name"]),
        "Default Web Site\nShop\n"
    );
    assert_eq!(
        ok(
            &fx,
            &[
                "list",
                "sites",
                "/bindings:http/*:8080:,http/*:80:shop.example.com",
                "/text:SITE.NAME"
            ]
        ),
        "Shop\n"
    );
    assert_eq!(
        ok(
            &fx,
            &["list", "vdirs", "/site.name:Shop", "/text:physicalPath"]
        ),
        "%SystemDrive%\\inetpub\\shop\n"
    );
    assert_eq!(ok(&fx, &["list", "site", "Nope"]), "");
}

/// Runs `iisconf appcmd ARGS…` with `input` on standard input.
fn with_input(fx: &Fixture, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .arg("appcmd")
        .args(args)
        .current_dir(fx.dir.path())
        .env_remove("IISCONF_APPHOST")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iisconf");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for iisconf");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// The migration round trip admins run with appcmd (`appcmd list site /config /xml >
// sites.xml`, `appcmd add site /in < sites.xml`; the /xml → /in pipe is appcmd's own, see
// its help text quoted in https://gist.github.com/jonlabelle/11013179): a site and a pool
// copied to another server's applicationHost.config, written as they were.
#[test]
fn list_config_xml_feeds_add_in() {
    let fx = Fixture::of("appcmd");
    ok(
        &fx,
        &[
            "add",
            "apppool",
            "/name:Shop",
            "/managedRuntimeVersion:",
            "/processModel.identityType:NetworkService",
        ],
    );
    ok(
        &fx,
        &[
            "set",
            "site",
            "Shop",
            "/[path='/'].applicationPool:Shop",
            "/limits.maxBandwidth:65536",
        ],
    );
    std::fs::copy(fx.path(APPHOST), fx.path("source.config")).unwrap();
    let pristine = std::fs::read_to_string(edit_fixture_file()).unwrap();
    std::fs::write(fx.path("other.config"), &pristine).unwrap();
    // The other server has no Shop yet: delete it there first, as a migration target would
    // not have it.
    let other = ["/apphostconfig:other.config", "--no-backup"];
    let mut delete = vec!["appcmd", "delete", "site", "Shop"];
    delete.extend_from_slice(&other);
    assert_eq!(fx.raw(&delete).code, 0);
    let emptied = fx.read("other.config");

    let sites = ok(&fx, &["list", "site", "Shop", "/config", "/xml"]);
    assert!(
        sites.contains("<SITE SITE.NAME=\"Shop\" SITE.ID=\"2\""),
        "{sites}"
    );
    let run = with_input(
        &fx,
        &[
            "add",
            "site",
            "/in",
            "/apphostconfig:other.config",
            "--no-backup",
        ],
        &sites,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "SITE object \"Shop\" added\n");
    let pools = ok(&fx, &["list", "apppool", "Shop", "/config", "/xml"]);
    let run = with_input(
        &fx,
        &[
            "add",
            "apppool",
            "-",
            "/apphostconfig:other.config",
            "--no-backup",
        ],
        &pools,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let (removed, added) = changed_lines(&emptied, &fx.read("other.config"));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        lines(&[
            "            <add name=\"Shop\" managedRuntimeVersion=\"\">",
            "                <processModel identityType=\"NetworkService\" />",
            "            </add>",
            "            <site name=\"Shop\" id=\"2\">",
            "                <application path=\"/\" applicationPool=\"Shop\">",
            "                    <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\shop\" />",
            "                </application>",
            "                <bindings>",
            "                    <binding protocol=\"http\" bindingInformation=\"*:8080:\" />",
            "                    <binding protocol=\"http\" bindingInformation=\"*:80:shop.example.com\" />",
            "                </bindings>",
            "                <limits maxBandwidth=\"65536\" />",
            "            </site>",
        ])
    );
    // What is listed on the other server is what was listed on this one.
    let mut list = vec!["appcmd", "list", "site", "Shop", "/config", "/xml"];
    list.extend_from_slice(&other);
    assert_eq!(fx.raw(&list).stdout, sites);

    // Copying it again is refused: the name is taken.
    let before = fx.snapshot();
    let run = with_input(
        &fx,
        &[
            "add",
            "site",
            "/in",
            "/apphostconfig:other.config",
            "--no-backup",
        ],
        &sites,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim_end(),
        "ERROR ( message:Failed to add duplicate collection entry of type 'site' with unique key attribute 'name' set to 'Shop' )"
    );
    // Input without the configuration (/xml without /config) cannot be added.
    let bare = ok(&fx, &["list", "site", "Default Web Site", "/xml"]);
    let run = with_input(
        &fx,
        &[
            "add",
            "site",
            "/in",
            "/apphostconfig:other.config",
            "--no-backup",
        ],
        &bare,
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "ERROR ( message:Failed to process input: <SITE> holds no <site> element: list it with /config /xml )"
    );
    assert!(fx.snapshot() == before, "a refused /in wrote");
}

/// fixtures/appcmd/applicationHost.config in the repository.
fn edit_fixture_file() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/appcmd/applicationHost.config")
}

// Every error: appcmd's form, the exit code (2: the command cannot be carried out as
// written; 1: the configuration refuses the change), and no file written.
#[test]
fn errors_are_appcmds_and_write_nothing() {
    let fx = Fixture::of("appcmd");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["add", "site", "/name:Shop", "/bindings:http/*:81:"],
            1,
            "Failed to add duplicate collection entry of type 'site' with unique key attribute 'name' set to 'Shop'",
        ),
        (
            &["add", "site", "/name:New", "/id:2"],
            1,
            "Failed to add duplicate collection entry of type 'site' with unique key attribute 'id' set to '2'",
        ),
        (
            &["add", "site", "/name:New", "/bindings:http/*:80"],
            2,
            "Invalid binding \"http/*:80\": the binding information of an http or https binding is IP:PORT:HOST (*:80:, *:443:www.example.com)",
        ),
        (
            &["add", "site", "/name:New", "/bindings:http/*:70000:"],
            2,
            "Invalid binding \"http/*:70000:\": the port must be a number from 1 to 65535",
        ),
        (
            &["add", "site", "/name:New", "/bindings:*:80:"],
            2,
            "Invalid binding \"*:80:\": a binding is PROTOCOL/BINDINGINFORMATION (http/*:80:) or a URL (http://*:80)",
        ),
        (
            &["add", "site", "/bindings:http/*:81:"],
            2,
            "Missing required parameter name for the SITE object.",
        ),
        (
            &["add", "site", "/name:New", "/id:seven"],
            2,
            "SITE \"New\": the id attribute \"seven\" is not a valid uint",
        ),
        (
            &["add", "site", "/name:a/b"],
            2,
            "The 'name' attribute of system.applicationHost/sites is invalid: Invalid site name",
        ),
        (
            &["add", "apppool", "/name:bad|name"],
            2,
            "The 'name' attribute of system.applicationHost/applicationPools is invalid: Invalid application pool name",
        ),
        (
            &["add", "site", "/name:New", "/serverAutoStart:maybe"],
            2,
            "The 'serverAutoStart' attribute of system.applicationHost/sites is invalid: Invalid value 'maybe': a bool must be 'true' or 'false'",
        ),
        (
            &["add", "apppool", "/name:DefaultAppPool"],
            1,
            "Failed to add duplicate collection entry of type 'add' with unique key attribute 'name' set to 'DefaultAppPool'",
        ),
        (
            &["add", "app", "/site.name:Shop", "/path:api"],
            2,
            "Invalid application path \"api\": it must start with /",
        ),
        (
            &["add", "app", "/site.name:Shop", "/path:/"],
            1,
            "Failed to add duplicate collection entry of type 'application' with unique key attribute 'path' set to 'Shop/'",
        ),
        (
            &["add", "app", "/site.name:Nope", "/path:/api"],
            2,
            "Cannot find SITE object with identifier \"Nope\".",
        ),
        (
            &["add", "vdir", "/app.name:Shop/", "/path:images"],
            2,
            "Invalid virtual directory path \"images\": it must start with /",
        ),
        (
            &["add", "vdir", "/app.name:Shop/api", "/path:/images"],
            2,
            "Cannot find APP object with identifier \"Shop/api\".",
        ),
        (
            &["delete", "site", "Nope"],
            2,
            "Cannot find SITE object with identifier \"Nope\".",
        ),
        (
            &["set", "site", "Nope", "/serverAutoStart:false"],
            2,
            "Cannot find SITE object with identifier \"Nope\".",
        ),
        (
            &["set", "app", "Shop/api", "/applicationPool:DefaultAppPool"],
            2,
            "Cannot find APP object with identifier \"Shop/api\".",
        ),
        (
            &["delete", "vdir", "Nope/x"],
            2,
            "Cannot find VDIR object with identifier \"Nope/x\".",
        ),
        (
            &["delete", "apppool", "Nope"],
            2,
            "Cannot find APPPOOL object with identifier \"Nope\".",
        ),
        (
            &["delete", "site"],
            2,
            "Missing required parameter identifier for the SITE object.",
        ),
        (
            &["set", "apppool", "DefaultAppPool", "/managedPipelineMode:Bogus"],
            2,
            "The 'managedPipelineMode' attribute of system.applicationHost/applicationPools/[name='DefaultAppPool'] is invalid: Enum must be one of Integrated, Classic",
        ),
        (
            &["set", "site", "Shop", "/limits.maxBandwidth:12"],
            2,
            "The 'maxBandwidth' attribute of system.applicationHost/sites/[name='Shop'].limits is invalid: Integer value must not be between 0 and 1023 inclusive",
        ),
        (
            &["set", "site", "Shop", "/-bindings.[protocol='https',bindingInformation='*:1:']"],
            2,
            "Cannot find requested collection entry [protocol='https',bindingInformation='*:1:'] in system.applicationHost/sites/[name='Shop'].bindings",
        ),
        (
            &["set", "site", "Shop", "/+bindings.[protocol='http',bindingInformation='*:8080:']"],
            1,
            "Cannot add duplicate collection entry of type 'binding' with combined key attributes 'protocol, bindingInformation' respectively set to 'http, *:8080:'; remove it first or change it in place",
        ),
        (
            &["set", "site", "Shop"],
            2,
            "set site needs at least one /attribute:value",
        ),
        (
            &["stop", "site", "Shop"],
            2,
            "stop site acts on a running IIS: it needs the Windows Process Activation Service (WAS) of a live server, and iisconf edits configuration files only (to keep a site from starting with the server, set /serverAutoStart:false)",
        ),
        (
            &["recycle", "apppool", "DefaultAppPool"],
            2,
            "recycle apppool acts on a running IIS: it needs the Windows Process Activation Service (WAS) of a live server, and iisconf edits configuration files only (to keep a pool from starting with the server, set /autoStart:false)",
        ),
        (
            &["list", "wp"],
            2,
            "WP objects are runtime state of a running IIS (worker processes and the requests they serve): listing them needs the Windows Process Activation Service and HTTP.sys of a live server, which no configuration file holds",
        ),
        (
            &["list", "requests"],
            2,
            "REQUEST objects are runtime state of a running IIS (worker processes and the requests they serve): listing them needs the Windows Process Activation Service and HTTP.sys of a live server, which no configuration file holds",
        ),
        (
            &["add", "backup", "before-upgrade"],
            2,
            "iisconf appcmd takes the objects CONFIG, SITE, APP, VDIR and APPPOOL, not BACKUP (\"add backup\")",
        ),
        (
            &["add", "config", "-section:asp"],
            2,
            "add and delete act on objects (site, app, vdir, apppool), not on CONFIG: use set config to change a section",
        ),
    ];
    for (args, code, message) in cases {
        assert_eq!(refused(&fx, args, *code), *message, "{args:?}");
    }
}
