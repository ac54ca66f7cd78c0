//! `iisconf lsp` reads files as `iisconf lint` does: the workspace's `iisconf.toml`
//! (ignore, severity), inline suppressions, fragments checked as their place of the schema,
//! and XDT transforms applied to the web.config beside them.

mod lsp_client;

use lsp_client::{find, Client};
use serde_json::{json, Value};

fn summary(params: &Value) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    list.sort();
    list
}

const BAD: &str = "<configuration>\n  <appSettings>\n    <add key=\"a\" value=\"1\" />\n    <add key=\"a\" value=\"1\" />\n  </appSettings>\n  <system.webServer>\n    <directoryBrowse Enabled=\"true\" />\n  </system.webServer>\n</configuration>\n";

#[test]
fn iisconf_toml_and_suppressions_are_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("iisconf.toml"),
        "ignore = [\"unrecognized-attribute\"]\n[severity]\nIIS1007 = \"warning\"\n",
    )
    .expect("write iisconf.toml");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let uri = client.open(&dir.path().join("web.config"), BAD);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        summary(&published),
        [("IIS1007".to_string(), 2)],
        "{published}"
    );
    // An inline suppression of the duplicate leaves nothing.
    let suppressed = BAD.replace(
        "    <add key=\"a\" value=\"1\" />\n  </appSettings>",
        "    <!-- iisconf: ignore IIS1007 -->\n    <add key=\"a\" value=\"1\" />\n  </appSettings>",
    );
    client.change_all(&uri, 2, &suppressed);
    let published = client.diagnostics(&uri, Some(2));
    assert_eq!(summary(&published), [], "{published}");
    // iisconf.toml saved with other settings: read again, the document checked again.
    let settings = dir.path().join("iisconf.toml");
    std::fs::write(&settings, "select = [\"IIS1004\"]\n").expect("rewrite iisconf.toml");
    client.change_all(&uri, 3, BAD);
    let _ = client.diagnostics(&uri, Some(3));
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": lsp_client::file_uri(&settings)}}),
    );
    let published = client.diagnostics(&uri, Some(3));
    assert_eq!(
        summary(&published),
        [("IIS1004".to_string(), 1)],
        "{published}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_iisconf_toml_is_reported_and_the_defaults_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("iisconf.toml"), "select = [\"NOPE\"]\n").expect("write");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let message = client.any_message();
    assert_eq!(message["method"], "window/showMessage", "{message}");
    assert!(
        message["params"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("iisconf.toml") && m.contains("NOPE")),
        "{message}"
    );
    let uri = client.open(&dir.path().join("web.config"), BAD);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        summary(&published),
        [("IIS1004".to_string(), 1), ("IIS1007".to_string(), 1)],
        "{published}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn an_apphost_that_cannot_be_read_is_reported_and_web_configs_are_checked_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("iisconf.toml"),
        "apphost = \"server/applicationHost.config\"\n",
    )
    .expect("write iisconf.toml");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let message = client.any_message();
    assert_eq!(message["method"], "window/showMessage", "{message}");
    assert!(
        message["params"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("applicationHost.config") && m.contains("cannot be read")),
        "{message}"
    );
    let uri = client.open(&dir.path().join("web.config"), BAD);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        summary(&published),
        [("IIS1004".to_string(), 1), ("IIS1007".to_string(), 1)],
        "{published}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn fragments_and_transforms_are_read_as_the_linter_reads_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let fragment = "<site name=\"Shop\" id=\"2\" serverAutoStart=\"maybe\">\n</site>\n";
    let uri = client.open(&dir.path().join("site.config"), fragment);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        summary(&published),
        [("IIS0002".to_string(), 3), ("IIS1006".to_string(), 1)],
        "{published}"
    );
    let bad = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "IIS1006")
        .expect("IIS1006");
    let (line, col) = find(fragment, "maybe", 0);
    assert_eq!(bad["range"]["start"], lsp_client::position(line, col));

    // A transform beside its web.config: what it writes is checked, at the transform's line.
    std::fs::write(
        dir.path().join("Web.config"),
        "<configuration>\n  <system.webServer>\n    <directoryBrowse enabled=\"false\" />\n  </system.webServer>\n</configuration>\n",
    )
    .expect("write Web.config");
    let transform = "<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\">\n  <system.webServer>\n    <directoryBrowse enabled=\"sometimes\" xdt:Transform=\"SetAttributes\" />\n  </system.webServer>\n</configuration>\n";
    let uri = client.open(&dir.path().join("Web.Release.config"), transform);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        summary(&published),
        [("IIS1006".to_string(), 1)],
        "{published}"
    );
    assert_eq!(published["diagnostics"][0]["range"]["start"]["line"], 2);
    assert_eq!(client.shutdown(), 0);
}
