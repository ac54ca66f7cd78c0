//! `iisconf lsp` on the real configuration files of ../shared/corpus: each file opened as an
//! editor opens it gets the diagnostics `iisconf lint` reports for it (same rules, same
//! lines), and hover, completion and the outline answer at every start tag without an
//! error.

mod lsp_client;
mod shared;

use lsp_client::{position, Client};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// (rule, 0-based line) of every finding `iisconf lint` reports for `file`.
fn lint_findings(dir: &Path, file: &Path) -> Vec<(String, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(["lint", "--format", "json"])
        .arg(file)
        .current_dir(dir)
        .env_remove("IISCONF_APPHOST")
        .output()
        .expect("run iisconf lint");
    let findings: Value = serde_json::from_slice(&out.stdout).expect("lint json");
    let mut list: Vec<(String, u64)> = findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0) - 1,
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn every_corpus_file_gets_the_linters_diagnostics_and_answers() {
    let Some(corpus) = shared::dir("corpus") else {
        return;
    };
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("config"))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    let mut client = Client::start(workspace.path());
    client.initialize(workspace.path(), json!({}));
    for file in &files {
        let bytes = std::fs::read(file).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string();
        let uri = client.open(file, &text);
        let published = client.diagnostics(&uri, Some(1));
        let mut got: Vec<(String, u64)> = published["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            lint_findings(workspace.path(), file),
            "{}",
            file.display()
        );

        // Every start tag: hover on its name, completion of its attributes, no error.
        for (index, line) in text.lines().enumerate().take(400) {
            let Some(at) = line
                .find('<')
                .filter(|_| !line.trim_start().starts_with("<!"))
            else {
                continue;
            };
            let column = line[..at].encode_utf16().count() as u32 + 1;
            for method in ["textDocument/hover", "textDocument/completion"] {
                let answer = client.request(
                    method,
                    json!({"textDocument": {"uri": uri}, "position": position(index as u32, column)}),
                );
                assert!(
                    answer.get("error").is_none(),
                    "{method} {}:{index}: {answer}",
                    file.display()
                );
            }
        }
        let outline = client.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(
            outline["result"].is_array(),
            "{}: {outline}",
            file.display()
        );
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    assert_eq!(client.shutdown(), 0);
}
