//! `iisconf lsp` under what editors and networks really send: frames that are not JSON,
//! bodies that are not UTF-8, unknown methods, requests before `initialize`, documents
//! that are not well-formed beside ones that are, a large document, and a client that goes
//! away. The server answers what it can, never stops, and exits as LSP says.

mod lsp_client;

use lsp_client::{find, position, Client};
use serde_json::{json, Value};

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

#[test]
fn bad_frames_and_unknown_methods_are_answered_and_the_session_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(dir.path());
    // Before initialize: refused with ServerNotInitialized.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(dir.path(), json!({}));

    // Not JSON: a parse error with a null id.
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let error = client.any_message();
    assert_eq!(error["id"], Value::Null, "{error}");
    assert_eq!(error["error"]["code"], -32700, "{error}");

    // A body that is not UTF-8 (a Latin-1 "é" inside the document text) is read lossily.
    let path = dir.path().join("web.config");
    let uri = lsp_client::file_uri(dir.path()) + "/web.config";
    let mut body = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"textDocument\":{{\"uri\":\"{uri}\",\"languageId\":\"xml\",\"version\":1,\"text\":\"<configuration><appSettings><add key=\\\"caf"
    )
    .into_bytes();
    body.push(0xE9);
    body.extend_from_slice(b"\\\" value=\\\"1\\\" /><add key=\\\"caf\xE9\\\" value=\\\"2\\\" /></appSettings></configuration>\"}}}");
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    client.write_raw(&frame);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&published), ["IIS1007"], "{published}");
    assert!(path.parent().is_some());

    // Unknown request: MethodNotFound; unknown notification: ignored.
    client.notify("$/somethingNew", json!({"x": 1}));
    let unknown = client.request("workspace/somethingNew", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Parameters of the wrong shape: InvalidParams, and still no stop.
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(0, 30)}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_document_never_stops_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let broken = "<configuration>\n  <system.webServer>\n    <asp enableParentPaths=\"tr\n  </system.webServer>\n";
    let broken_uri = client.open(&dir.path().join("a/web.config"), broken);
    let good = "<configuration>\n  <system.webServer>\n    <directoryBrowse enabled=\"maybe\" />\n  </system.webServer>\n</configuration>\n";
    let good_uri = client.open(&dir.path().join("b/web.config"), good);
    let published = client.diagnostics(&broken_uri, Some(1));
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["code"], "IIS0001", "{published}");
    let published = client.diagnostics(&good_uri, Some(1));
    assert_eq!(codes(&published), ["IIS1006"], "{published}");
    // Hover and completion in the broken document still answer from what is written.
    let (line, col) = find(broken, "enableParentPaths", 3);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": broken_uri}, "position": position(line, col)}),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover");
    assert!(text.contains("**enableParentPaths** `bool`"), "{text}");
    let (line, col) = find(broken, "\"tr", 3);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": broken_uri}, "position": position(line, col)}),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["true", "false"]);
    // Closing a document clears its diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": broken_uri}}),
    );
    let cleared = client.diagnostics(&broken_uri, None);
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_large_document_is_checked_and_answered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    let mut text = String::from("<configuration>\n  <appSettings>\n");
    for i in 0..40_000 {
        text.push_str(&format!("    <add key=\"k{i}\" value=\"{i}\" />\n"));
    }
    text.push_str("    <add key=\"k7\" value=\"again\" />\n  </appSettings>\n</configuration>\n");
    let uri = client.open(&dir.path().join("web.config"), &text);
    let published = client.diagnostics(&uri, Some(1));
    let diagnostics = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["range"]["start"], position(40_002, 5));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_and_a_vanished_client_end_with_status_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);

    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    client.open(&dir.path().join("web.config"), "<configuration/>");
    // The client goes away: its end of the pipe closes.
    assert_eq!(client.wait(), 1);
}
