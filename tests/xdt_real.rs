//! XDT on real files: the Visual Studio Release template applied to AlloyDemoKit's
//! Web.config (../shared/corpus), an XPath locator with `contains()`, an ARR transform with
//! `InsertIfMissing` applied twice, and an App Service `applicationHost.xdt` with `XDT_*`
//! variables. Expectations: Microsoft's "Web.config Transformation Syntax" documentation
//! (RemoveAttributes, SetAttributes with an XPath locator, InsertIfMissing) and App
//! Service's documented XDT variables.

mod shared;

use iisconf::xdt::{Severity, Transform};
use iisconf::xml::Document;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/xdt-real")
        .join(name)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn transform(path: &Path, vars: &[(String, String)]) -> Transform {
    Transform::parse(&read(path), "t", vars).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines of `after` that differ from `before` (both as text), as (before, after).
fn changed_lines(before: &[u8], after: &[u8]) -> Vec<(String, String)> {
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
    let mut out = Vec::new();
    let (mut old, mut new) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => old.push_str(change.value()),
            similar::ChangeTag::Insert => new.push_str(change.value()),
            similar::ChangeTag::Equal => {
                if !old.is_empty() || !new.is_empty() {
                    out.push((std::mem::take(&mut old), std::mem::take(&mut new)));
                }
            }
        }
    }
    if !old.is_empty() || !new.is_empty() {
        out.push((old, new));
    }
    out
}

fn alloy() -> Option<Vec<u8>> {
    let corpus = shared::dir("corpus")?;
    Some(read(&corpus.join(
        "episerver__AlloyDemoKit__src_AlloyDemoKit_Web.config",
    )))
}

#[test]
fn release_template_removes_debug_from_alloy_and_nothing_else() {
    let Some(source) = alloy() else { return };
    let mut document = Document::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let outcome = transform(&fixture("Web.Release.config"), &[]).apply(&mut document);
    assert!(outcome.succeeded(), "{}", outcome.log.render("t", "s"));
    let output = document.to_bytes();
    assert!(output.starts_with(b"\xEF\xBB\xBF"), "the BOM is kept");
    assert_eq!(
        changed_lines(&source, &output),
        [(
            "    <compilation debug=\"true\" targetFramework=\"4.6.2\" optimizeCompilations=\"false\" />\n".to_string(),
            "    <compilation targetFramework=\"4.6.2\" optimizeCompilations=\"false\" />\n".to_string()
        )]
    );
    assert_eq!(
        outcome.log.render("Web.Release.config", "Web.config"),
        "Executing RemoveAttributes (transform line 18, 18)\n  on /configuration/system.web/compilation\n  Applying to 'compilation' element (source line 35, 6)\n  Removed 'debug' attribute\n  Removed 1 attributes\nDone executing RemoveAttributes\n"
    );
}

#[test]
fn xpath_locator_with_contains_changes_the_local_db_connection() {
    let Some(source) = alloy() else { return };
    let mut document = Document::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let outcome = transform(&fixture("Web.Production.config"), &[]).apply(&mut document);
    assert!(outcome.succeeded(), "{}", outcome.log.render("t", "s"));
    let changed = changed_lines(&source, &document.to_bytes());
    assert_eq!(changed.len(), 1, "{changed:?}");
    let (_, new) = &changed[0];
    assert!(
        new.starts_with("    <add name=\"EPiServerDB\" connectionString=\"Data Source=sql.prod;Initial Catalog=alloydemokit;Integrated Security=True\" providerName=\"System.Data.SqlClient\" />"),
        "{new}"
    );
}

#[test]
fn arr_insert_if_missing_applied_twice_inserts_once() {
    let source = read(&fixture("arr.applicationHost.config"));
    let xdt = transform(&fixture("arr.xdt"), &[]);
    let mut document = Document::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let first = xdt.apply(&mut document);
    let once = document.to_bytes();
    let second = xdt.apply(&mut document);
    assert!(first.succeeded() && second.succeeded());
    assert_eq!(document.to_bytes(), once, "the second run changes nothing");
    assert!(second.edits.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&once),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n    <system.webServer>\n        <globalModules>\n            <add name=\"RewriteModule\" image=\"%SystemRoot%\\system32\\inetsrv\\rewrite.dll\" />\n            <add name=\"ApplicationRequestRouting\" image=\"%IIS_BIN%\\requestRouter.dll\" />\n        </globalModules>\n        <proxy enabled=\"true\" preserveHostHeader=\"false\" reverseRewriteHostInResponseHeaders=\"false\" />\n    </system.webServer>\n</configuration>\n"
    );
}

#[test]
fn app_service_xdt_with_variables() {
    let vars = [
        ("XDT_SITENAME", "contoso"),
        ("XDT_APPPOOLNAME", "contoso"),
        ("XDT_EXTENSIONPATH", "D:\\home\\SiteExtensions\\myextension"),
    ]
    .map(|(n, v)| (n.to_string(), v.to_string()));
    let source = read(&fixture("appservice.applicationHost.config"));
    let mut document = Document::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let outcome = transform(&fixture("applicationHost.xdt"), &vars).apply(&mut document);
    assert_eq!(
        outcome.log.count(Severity::Warning),
        0,
        "{}",
        outcome.log.render("t", "s")
    );
    assert!(outcome.succeeded());
    let text = String::from_utf8_lossy(&document.to_bytes()).into_owned();
    assert!(
        text.contains("          <virtualDirectory path=\"/\" physicalPath=\"D:\\home\\site\\wwwroot\" />\n        </application>\n        <application path=\"/myextension\" applicationPool=\"contoso\">\n          <virtualDirectory path=\"/\" physicalPath=\"D:\\home\\SiteExtensions\\myextension\" />\n        </application>\n      </site>\n      <site name=\"~1contoso\""),
        "{text}"
    );
    assert!(
        text.contains("<add name=\"PATH\" value=\"D:\\home\\bin;D:\\home\\SiteExtensions\\myextension\\bin\" />"),
        "{text}"
    );
    // Without the variables the text is literal: no site is named %XDT_SITENAME%, and an
    // Insert whose parent matches nothing is an error (Microsoft's XmlTransforms.cs builds
    // the inserts with `MissingTargetMessage.Error`), reported at the insert's own element
    // with its own path (XmlElementContext.cs, `HasTargetParent`: `sites` exists).
    let mut plain = Document::parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let outcome = transform(&fixture("applicationHost.xdt"), &[]).apply(&mut plain);
    assert!(outcome
        .log
        .render("applicationHost.xdt", "applicationHost.config")
        .contains("applicationHost.xdt (6, 10) error: No element in the source document matches '/configuration/system.applicationHost/sites/site[@name='%XDT_SITENAME%']/application'"));
}
