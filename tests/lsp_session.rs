//! `iisconf lsp` driven over stdio as an editor drives it: initialize → didOpen →
//! diagnostics → didChange → hover → completion → codeAction → shutdown/exit, on the
//! fixtures of `fixtures/lsp/`, with exact positions.

mod lsp_client;

use lsp_client::{file_uri, find, position, Client};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lsp")
}

/// The diagnostics of a publishDiagnostics params with the given code.
fn with_code<'a>(params: &'a Value, code: &str) -> Vec<&'a Value> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

fn codes(params: &Value) -> Vec<String> {
    let mut codes: Vec<String> = params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    codes
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": position(start.0, start.1), "end": position(end.0, end.1)})
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("completion items")
        .iter()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_web_config_session_from_initialize_to_exit() {
    let dir = fixtures();
    let path = dir.join("web.config");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut client = Client::start(&dir);
    let init = client.initialize(&dir, json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    let uri = client.open(&path, &text);

    // Diagnostics: the linter's rules, ids, severities and exact UTF-16 ranges.
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(
        codes(&published),
        ["IIS1004", "IIS1006", "IIS1007"],
        "{published}"
    );
    let duplicate = with_code(&published, "IIS1007")[0];
    assert_eq!(duplicate["severity"], 1);
    assert_eq!(duplicate["source"], "iisconf");
    assert_eq!(duplicate["range"]["start"], position(4, 5));
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(related["location"]["range"]["start"]["line"], 3);
    assert!(duplicate["data"]["explanation"]
        .as_str()
        .is_some_and(|e| e.starts_with("IIS1007 duplicate-collection-entry")));
    // After "é€𝄞" (four UTF-16 units, one a surrogate pair) the range still fits the value.
    let invalid = with_code(&published, "IIS1006")[0];
    let (line, start) = find(&text, "é€𝄞 -1", 0);
    let value_units = "é€𝄞 -1".encode_utf16().count() as u32;
    assert_eq!(
        invalid["range"],
        range((line, start), (line, start + value_units))
    );

    // Code actions: the duplicate's safe fix, and "did you mean" for the wrong case.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": duplicate["range"], "context": {"diagnostics": []}}),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["kind"], "quickfix", "{actions}");
    assert_eq!(fix["isPreferred"], true);
    let edits = &fix["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "");
    assert_eq!(edits[0]["range"]["start"]["line"], 3);
    assert_eq!(edits[0]["range"]["end"]["line"], 4);
    let wrong_case = with_code(&published, "IIS1004")[0];
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": wrong_case["range"], "context": {"diagnostics": []}}),
    );
    // The engine's safe rename, offered once (no second "did you mean" beside it).
    let mean = &actions["result"][0];
    assert_eq!(mean["title"], "Rename it to 'enabled'", "{actions}");
    assert_eq!(mean["isPreferred"], true, "{actions}");
    assert_eq!(
        actions["result"].as_array().map(Vec::len),
        Some(1),
        "{actions}"
    );
    let (line, col) = find(&text, "Enabled", 0);
    assert_eq!(
        mean["edit"]["changes"][&uri][0]["range"],
        range((line, col), (line, col + 7))
    );

    // An incremental change applies the suggestion; the finding goes.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": range((line, col), (line, col + 1)), "text": "e"}],
        }),
    );
    let published = client.diagnostics(&uri, Some(2));
    assert_eq!(codes(&published), ["IIS1006", "IIS1007"], "{published}");

    // Hover: the schema's account and the effective value with its origin.
    let (line, col) = find(&text, "maxAllowedContentLength", 2);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(line, col)}),
    );
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(
        value.contains("**maxAllowedContentLength** `uint`"),
        "{value}"
    );
    assert!(value.contains("default: `30000000`"), "{value}");
    assert!(
        value.contains("Effective at `MACHINE/WEBROOT/APPHOST/Site`: `30000000`"),
        "{value}"
    );
    assert!(value.contains("web.config:18:"), "{value}");
    let (l, c) = find(&text, "maxAllowedContentLength", 0);
    assert_eq!(hover["result"]["range"], range((l, c), (l, c + 23)));

    // Completion: attributes not yet written, and flags values.
    let (line, col) = find(&text, "Enabled=\"true\" ", 15);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(line, col)}),
    );
    let names = labels(&completion["result"]);
    assert!(names.contains(&"showFlags".to_string()), "{names:?}");
    assert!(!names.contains(&"enabled".to_string()), "{names:?}");
    let (line, col) = find(&text, "errorMode=\"", 11);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(line, col)}),
    );
    assert_eq!(
        labels(&completion["result"]),
        ["DetailedLocalOnly", "Custom", "Detailed"]
    );

    // The rename of a misspelt element (the engine's safe fix) renames its end tag too.
    let misspelt = "<configuration>\n  <system.webServer>\n    <directoryBrowze enabled=\"true\"></directoryBrowze>\n  </system.webServer>\n</configuration>\n";
    client.change_all(&uri, 3, misspelt);
    let published = client.diagnostics(&uri, Some(3));
    let unknown = with_code(&published, "IIS1001")[0];
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": []}}),
    );
    let mean = &actions["result"][0];
    assert_eq!(mean["title"], "Rename it to <directoryBrowse>", "{actions}");
    let edits = mean["edit"]["changes"][&uri].as_array().expect("edits");
    let (line, start) = find(misspelt, "directoryBrowze", 0);
    let (_, end) = find(misspelt, "/directoryBrowze", 1);
    assert_eq!(edits[0]["range"], range((line, start), (line, start + 15)));
    assert_eq!(edits[1]["range"], range((line, end), (line, end + 15)));

    assert_eq!(client.shutdown(), 0);
}

#[test]
fn positions_count_utf8_bytes_when_the_client_offers_them() {
    let dir = fixtures();
    let path = dir.join("web.config");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut client = Client::start(&dir);
    let init = client.initialize(
        &dir,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = client.open(&path, &text);
    let published = client.diagnostics(&uri, Some(1));
    let invalid = with_code(&published, "IIS1006")[0];
    let at = text.find("é€𝄞 -1").expect("value");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u32;
    let start = (at - line_start) as u32;
    let end = start + "é€𝄞 -1".len() as u32;
    assert_eq!(invalid["range"], range((line, start), (line, end)));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_in_an_unfinished_document_offers_only_what_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("web.config");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let text = "<configuration>\n  <system.webServer>\n    <\n";
    let uri = client.open(&path, text);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&published), ["IIS0001"], "{published}");
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(2, 5)}),
    );
    let names = labels(&completion["result"]);
    for expected in ["asp", "defaultDocument", "security", "rewrite"] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected}: {names:?}"
        );
    }
    assert!(!names.contains(&"session".to_string()), "{names:?}");
    assert!(!names.contains(&"location".to_string()), "{names:?}");

    // In a collection: the directives, the entry as a snippet with its key.
    let text =
        "<configuration>\n  <system.webServer>\n    <defaultDocument>\n      <files>\n        <";
    client.change_all(&uri, 2, text);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(4, 9)}),
    );
    let items = completion["result"].as_array().expect("items");
    let add = items.iter().find(|i| i["label"] == "add").expect("add");
    assert_eq!(add["textEdit"]["newText"], "add value=\"$1\" />$0");
    assert_eq!(add["insertTextFormat"], 2);
    let names = labels(&completion["result"]);
    assert_eq!(names, ["add", "remove", "clear"]);

    // Between tags: elements with their `<`.
    let text = "<configuration>\n  <system.webServer>\n    <asp>\n      \n    </asp>\n  </system.webServer>\n</configuration>\n";
    client.change_all(&uri, 3, text);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(3, 6)}),
    );
    let items = completion["result"].as_array().expect("items");
    let session = items
        .iter()
        .find(|i| i["label"] == "session")
        .expect("session");
    assert_eq!(session["textEdit"]["newText"], "<session>$0</session>");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_web_config_is_checked_where_it_sits_in_the_workspace_hierarchy() {
    let dir = fixtures().join("hierarchy");
    let web = dir.join("inetpub/wwwroot/web.config");
    let apphost = dir.join("applicationHost.config");
    let web_text = std::fs::read_to_string(&web).expect("fixture");
    let apphost_text = std::fs::read_to_string(&apphost).expect("fixture");
    let mut client = Client::start(&dir);
    client.initialize(&dir, json!({}));
    let web_uri = client.open(&web, &web_text);
    let published = client.diagnostics(&web_uri, Some(1));
    assert_eq!(codes(&published), ["IIS1007", "IIS2001"], "{published}");
    let locked = with_code(&published, "IIS2001")[0];
    let (line, col) = find(&web_text, "<asp>", 1);
    assert_eq!(locked["range"], range((line, col), (line, col + 3)));
    // The inherited entry is in applicationHost.config.
    let duplicate = with_code(&published, "IIS1007")[0];
    let related = &duplicate["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&apphost));
    let (line, _) = find(&apphost_text, "<add value=\"default.aspx\"", 0);
    assert_eq!(related["range"]["start"]["line"], line);

    // Hover on the locked section says where the lock comes from.
    let (line, col) = find(&web_text, "<asp>", 2);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": web_uri}, "position": position(line, col)}),
    );
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover");
    assert!(
        value.contains("**system.webServer/asp** (section)"),
        "{value}"
    );
    assert!(
        value.contains("**Locked** at `MACHINE/WEBROOT/APPHOST/Default Web Site`"),
        "{value}"
    );
    assert!(value.contains("overrideModeDefault=\"Deny\""), "{value}");

    // The section-locked fix moves the section into applicationHost.config: unsafe.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": web_uri}, "range": locked["range"], "context": {"diagnostics": []}}),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["kind"], "quickfix.unsafe", "{actions}");
    assert!(fix["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Unsafe fix: move")));
    assert!(
        fix["edit"]["changes"].get(file_uri(&apphost)).is_some(),
        "{fix}"
    );

    // An edit of applicationHost.config that unlocks asp checks the web.config again.
    let apphost_uri = client.open(&apphost, &apphost_text);
    let published = client.diagnostics(&apphost_uri, Some(1));
    assert_eq!(codes(&published), Vec::<String>::new(), "{published}");
    let _ = client.diagnostics(&web_uri, None);
    let unlocked = apphost_text.replace(
        "<section name=\"asp\" overrideModeDefault=\"Deny\" />",
        "<section name=\"asp\" overrideModeDefault=\"Allow\" />",
    );
    client.change_all(&apphost_uri, 2, &unlocked);
    let published = client.diagnostics(&web_uri, Some(1));
    assert_eq!(codes(&published), ["IIS1007"], "{published}");

    // Hover in applicationHost.config: the effective value at the location's path.
    let (line, col) = find(&unlocked, "timeout=\"00:10:00\"", 2);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover");
    assert!(
        value.contains("Effective at `MACHINE/WEBROOT/APPHOST/Default Web Site/shop`: `00:10:00`"),
        "{value}"
    );
    assert!(
        value.contains(&format!("applicationHost.config:{}:", line + 1)),
        "{value}"
    );
    assert!(value.contains("overrides `00:20:00`"), "{value}");

    // Go to definition: the pool, the application, the level overridden.
    let (line, col) = find(&unlocked, "applicationPool=\"ShopPool\"", 18);
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    let (pool_line, pool_col) = find(&unlocked, "ShopPool\" managed", 0);
    assert_eq!(
        definition["result"]["range"],
        range((pool_line, pool_col), (pool_line, pool_col + 8))
    );
    let (line, col) = find(&unlocked, "Default Web Site/shop", 3);
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    let (app_line, app_col) = find(&unlocked, "/shop\" applicationPool", 0);
    assert_eq!(
        definition["result"]["range"],
        range((app_line, app_col), (app_line, app_col + 5))
    );
    let (line, col) = find(&unlocked, "timeout=\"00:10:00\"", 1);
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    // Now that asp is unlocked, the value overridden is the site's web.config's.
    let (over_line, over_col) = find(&web_text, "timeout=\"00:30:00\"", 0);
    assert_eq!(definition["result"]["uri"], web_uri);
    assert_eq!(
        definition["result"]["range"]["start"],
        position(over_line, over_col)
    );

    // Completion of a pool name and of a location path.
    let (line, col) = find(&unlocked, "applicationPool=\"ShopPool\"", 17);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    assert_eq!(
        labels(&completion["result"]),
        ["DefaultAppPool", "ShopPool"]
    );
    let (line, col) = find(&unlocked, "Default Web Site/shop", 0);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": apphost_uri}, "position": position(line, col)}),
    );
    assert_eq!(
        labels(&completion["result"]),
        ["Default Web Site", "Default Web Site/shop"]
    );

    // The outline: sites, applications, pools, locations, sections.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": apphost_uri}}),
    );
    let outline = symbols["result"].to_string();
    for name in [
        "site Default Web Site",
        "application /shop",
        "pool ShopPool",
        "location \\\"Default Web Site/shop\\\"",
        "system.webServer/asp",
    ] {
        assert!(outline.contains(name), "{name}: {outline}");
    }
    assert_eq!(client.shutdown(), 0);
}
