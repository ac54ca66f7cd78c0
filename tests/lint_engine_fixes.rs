//! Regression tests for engine false positives found by linting the real-world corpus.

use iisconf::config::ConfigFile;
use iisconf::diagnostic::Rule;
use iisconf::engine::Hierarchy;
use iisconf::schema::Registry;

fn standalone(text: &str) -> Vec<(Rule, u32, String)> {
    let file = ConfigFile::parse("web.config", text.as_bytes()).expect("well-formed");
    Hierarchy::standalone(Registry::embedded(), file)
        .check()
        .into_iter()
        .map(|f| (f.rule, f.place.line, f.message))
        .collect()
}

/// A standalone web.config sits under the stock applicationHost.config declarations, so
/// system.webServer sections are declared (they were not: the stock declarations were cut at
/// the `<configSections>` mentioned in the file's header comment).
#[test]
fn standalone_web_config_sees_the_stock_declarations() {
    let found = standalone(
        "<configuration>\n  <system.webServer>\n    <httpErrors errorMode=\"Custom\" />\n    <directoryBrowse enabled=\"false\" />\n  </system.webServer>\n</configuration>\n",
    );
    assert!(
        !found.iter().any(|f| f.0 == Rule::UnknownSection),
        "{found:?}"
    );
}

/// Sections machine.config declares are usable in any web.config: `runtime` (read by .NET
/// only) needs no schema; `system.web/*` and `appSettings` have the embedded schema (ASP.NET and
/// .NET Framework facts), so nothing is missing; a section declared with a managed `type=`
/// needs no IIS schema.
#[test]
fn machine_config_and_managed_sections_are_not_unknown() {
    let found = standalone(
        r#"<configuration>
  <configSections>
    <section name="episerver.find" type="EPiServer.Find.Configuration, EPiServer.Find" />
  </configSections>
  <episerver.find serviceUrl="http://example" />
  <appSettings><add key="a" value="b" /></appSettings>
  <system.web><compilation debug="true" /></system.web>
  <runtime><assemblyBinding xmlns="urn:schemas-microsoft-com:asm.v1" /></runtime>
</configuration>
"#,
    );
    assert!(
        !found.iter().any(|f| f.0 == Rule::UnknownSection),
        "{found:?}"
    );
    let missing: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == Rule::MissingSchema)
        .map(|f| f.2.as_str())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

/// A stock applicationHost.config unlocks modules and handlers with
/// `<location path="" overrideMode="Allow">`, so a standalone web.config may set them.
#[test]
fn stock_unlocks_modules_and_handlers() {
    let found = standalone(
        "<configuration><system.webServer>\n<modules runAllManagedModulesForAllRequests=\"true\" />\n<handlers><remove name=\"x\" /></handlers>\n<asp />\n</system.webServer></configuration>\n",
    );
    let locked: Vec<u32> = found
        .iter()
        .filter(|f| f.0 == Rule::SectionLocked)
        .map(|f| f.1)
        .collect();
    assert_eq!(locked, [4], "only asp stays locked: {found:?}");
}

/// A `<location>` path naming no site, with non-ASCII characters, is reported without a
/// panic (the "did you mean" prefix was a byte slice that could split a character), and the
/// help lists a bounded number of sites.
#[test]
fn unknown_location_with_non_ascii_path_does_not_panic() {
    let mut sites = String::new();
    for i in 0..25 {
        sites.push_str(&format!("<site name=\"Site{i}\" id=\"{}\" />", i + 1));
    }
    let text = format!(
        "<configuration>\n<configSections><sectionGroup name=\"system.applicationHost\"><section name=\"sites\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" /></sectionGroup></configSections>\n<system.applicationHost><sites>{sites}</sites></system.applicationHost>\n<location path=\"aİ\"><system.webServer /></location>\n<location path=\"site3/app\"><system.webServer /></location>\n</configuration>\n"
    );
    let file = ConfigFile::parse("applicationHost.config", text.as_bytes()).expect("parses");
    let findings = Hierarchy::from_apphost(
        Registry::embedded(),
        file,
        &iisconf::engine::Options::default(),
    )
    .check();
    let unknown: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == Rule::UnknownLocationPath)
        .collect();
    assert_eq!(unknown.len(), 1, "{findings:?}");
    assert_eq!(unknown[0].place.line, 4);
    let help = unknown[0].help.as_deref().unwrap_or("");
    assert!(help.ends_with("Site9, …"), "{help}");
}

/// Found by the `lint_fix` fuzz target: in a chain of levels that each repeat the value
/// above (`.` sets `enabled="false"`, `a` repeats it, `a/b` repeats it again), each repeat
/// is IIS4003 against the level just above it. Fixing the middle one removes that attribute
/// only; the last one is then redundant against the top, so its message names the top's
/// place, and one IIS4003 is left of the two.
#[test]
fn fixing_the_middle_of_a_chain_of_redundant_values_leaves_the_last_against_the_top() {
    let text = r#"<configuration>
  <location path=".">
    <system.webServer><defaultDocument enabled="false" /></system.webServer>
  </location>
  <location path="a">
    <system.webServer><defaultDocument enabled="false" /></system.webServer>
  </location>
  <location path="a/b">
    <system.webServer><defaultDocument enabled="false" /></system.webServer>
  </location>
</configuration>
"#;
    let check = |text: &str| {
        let file = ConfigFile::parse("web.config", text.as_bytes()).expect("well-formed");
        Hierarchy::standalone(Registry::embedded(), file)
            .check()
            .into_iter()
            .filter(|f| f.rule == Rule::RedundantValue)
            .collect::<Vec<_>>()
    };
    let before = check(text);
    let lines: Vec<(u32, &str)> = before
        .iter()
        .map(|f| (f.place.line, f.message.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                6,
                "'enabled' is set to \"false\", the value it inherits anyway (from web.config:3:40)"
            ),
            (
                9,
                "'enabled' is set to \"false\", the value it inherits anyway (from web.config:6:40)"
            ),
        ],
    );
    let middle = before
        .first()
        .and_then(|f| f.fix())
        .expect("IIS4003 has a fix");
    let fixed = iisconf::edit::fix::apply_edits(text, &middle.edits).expect("the fix applies");
    assert_eq!(
        fixed,
        text.replacen(
            "<location path=\"a\">\n    <system.webServer><defaultDocument enabled=\"false\" />",
            "<location path=\"a\">\n    <system.webServer><defaultDocument />",
            1
        ),
        "the fix removes the middle attribute and nothing else"
    );
    let after: Vec<(u32, String)> = check(&fixed)
        .into_iter()
        .map(|f| (f.place.line, f.message))
        .collect();
    assert_eq!(
        after,
        [(
            9,
            "'enabled' is set to \"false\", the value it inherits anyway (from web.config:3:40)"
                .to_string()
        )],
    );
}

/// A section declared under a name that is no XML name (`episerve+r`, one typo from an
/// undeclared `<episerver>`) is suggested, but not fixed: renamed to it, the file would no
/// longer parse. Found by the lint_fix fuzz target.
#[test]
fn a_declared_name_that_is_no_xml_name_is_suggested_not_fixed() {
    let text = "<configuration>\n  <configSections>\n    <section name=\"episerve+r\" type=\"E, E\" />\n  </configSections>\n  <episerver />\n</configuration>\n";
    let file = ConfigFile::parse("web.config", text.as_bytes()).expect("well-formed");
    let findings = Hierarchy::standalone(Registry::embedded(), file).check();
    let unknown = findings
        .iter()
        .find(|f| f.rule == Rule::UnknownSection)
        .expect("the undeclared <episerver> is reported");
    assert_eq!(unknown.help.as_deref(), Some("did you mean 'episerve+r'?"));
    assert!(unknown.fix().is_none(), "{:?}", unknown.fix());
}
