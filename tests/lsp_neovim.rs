//! A real editor as the client: headless Neovim (Debian's `neovim`, installed by
//! `.ci/install-lsp.sh`) starts `iisconf lsp` for a bad web.config through its own LSP
//! client, and the diagnostics and hover it received are read back. Neovim counts columns
//! in bytes and converts from the server's UTF-16 positions itself, so the ranges after
//! non-ASCII text check both ends of the conversion.

mod lsp_client;
mod shared;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn neovim_shows_the_diagnostics_and_hover_of_a_bad_web_config() {
    let Some(nvim) = lsp_client::find_program("nvim") else {
        shared::skip("nvim is not installed (run .ci/install-lsp.sh)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("web.config");
    std::fs::copy(root.join("fixtures/lsp/web.config"), &file).expect("copy the fixture");
    let text = std::fs::read_to_string(&file).expect("fixture");
    let out = dir.path().join("seen.json");
    let (hover_line, hover_col) = lsp_client::find(&text, "maxAllowedContentLength", 3);
    let status = Command::new(nvim)
        .args([
            "--headless",
            "--clean",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "-c",
        ])
        .arg(format!(
            "luafile {}",
            root.join("tests/lsp_neovim/check.lua").display()
        ))
        .current_dir(dir.path())
        .env("IISCONF_BIN", env!("CARGO_BIN_EXE_iisconf"))
        .env("IISCONF_FILE", &file)
        .env("IISCONF_OUT", &out)
        .env("IISCONF_HOVER_LINE", hover_line.to_string())
        .env("IISCONF_HOVER_COL", hover_col.to_string())
        .status()
        .expect("run nvim");
    assert!(status.success(), "nvim: {status}");
    let seen: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("nvim wrote its result"))
            .expect("json");
    assert_eq!(seen["waited"], true, "{seen}");
    let mut codes: Vec<&str> = seen["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    codes.sort();
    assert_eq!(codes, ["IIS1004", "IIS1006", "IIS1007"], "{seen}");
    // Neovim's columns are bytes: the bad value starts after "é€𝄞" on its line.
    let invalid = seen["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "IIS1006")
        .expect("IIS1006");
    let at = text.find("é€𝄞 -1").expect("value");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(invalid["lnum"], text[..at].matches('\n').count());
    assert_eq!(invalid["col"], at - line_start);
    assert_eq!(invalid["end_col"], at - line_start + "é€𝄞 -1".len());
    assert_eq!(invalid["severity"], 1);
    let hover = seen["hover"].as_str().expect("hover text");
    assert!(
        hover.contains("**maxAllowedContentLength** `uint`"),
        "{hover}"
    );
}
