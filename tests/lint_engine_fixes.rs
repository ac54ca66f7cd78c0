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
