//! How fast `iisconf lsp` answers an editor, measured as an editor sees it: the release
//! binary started as a child, framed JSON-RPC over its stdin and stdout. Medians of:
//! diagnostics after a change of a typical web.config and of a 1 MB applicationHost.config
//! (the time from sending `didChange` to reading its `publishDiagnostics`), hover and
//! completion on the web.config; then the peak memory of a server holding the 100 MB
//! synthetic applicationHost.config, against the file's size.
//!
//! `cargo build --release && cargo run --release --example lsp_figures [-- --skip-100mb]`

#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A server and its pipes.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start(binary: &Path, root: &Path) -> Server {
        // `iisconf lsp` serves from a child started with this allocator option unless it
        // is set already; set here, the process measured is the server itself.
        let mut child = Command::new(binary)
            .arg("lsp")
            .env("MIMALLOC_PURGE_DELAY", "0")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 1,
        };
        let uri = uri(root);
        server.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": {}}),
        );
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
        }
    }

    fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.stdout.read_line(&mut line).expect("read") == 0 {
                panic!("the server closed its output");
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("body");
        serde_json::from_slice(&body).expect("json")
    }

    /// Waits for the diagnostics of `uri` at `version`; returns how many there were.
    fn diagnostics(&mut self, uri: &str, version: i64) -> usize {
        loop {
            let m = self.read();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
            {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }

    /// A field of the server's /proc status, in bytes.
    fn status_bytes(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median time of `runs` changes of `file` (each a full-text change flipping one
/// value) until their diagnostics are published.
fn diagnostics_after_change(
    server: &mut Server,
    file: &Path,
    text: &str,
    from: &str,
    to: &str,
    runs: usize,
) -> (Duration, usize) {
    let uri = uri(file);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    let mut count = server.diagnostics(&uri, 1);
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "{from} is not in the file");
    let mut times = Vec::new();
    for run in 0..runs {
        let version = run as i64 + 2;
        let body = if run % 2 == 0 { &changed } else { text };
        let start = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": body}]}),
        );
        count = server.diagnostics(&uri, version);
        times.push(start.elapsed());
    }
    (measure::median(times), count)
}

/// The median time of `runs` requests `method` at (line, character) of `file`.
fn request_time(
    server: &mut Server,
    file: &Path,
    method: &str,
    line: usize,
    character: usize,
    runs: usize,
) -> Duration {
    let uri = uri(file);
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let answer = server.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        times.push(start.elapsed());
        assert!(answer.get("error").is_none(), "{answer}");
    }
    measure::median(times)
}

/// (line, character) of the first `needle` in `text`, plus `skip`.
fn find(text: &str, needle: &str, skip: usize) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    position_of(text, at, skip)
}

/// (line, character) of the last `needle` in `text`, plus `skip`.
fn find_last(text: &str, needle: &str, skip: usize) -> (usize, usize) {
    let at = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    position_of(text, at, skip)
}

/// (line, character) of byte `at` of `text`, plus `skip`.
fn position_of(text: &str, at: usize, skip: usize) -> (usize, usize) {
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, at - start + skip)
}

fn main() {
    let skip_100mb = std::env::args().any(|a| a == "--skip-100mb");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = measure::iisconf_binary();
    if !binary.is_file() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let work = synth::data_dir().join("lsp");
    std::fs::create_dir_all(&work).expect("bench folder");

    // A typical web.config.
    let web = root.join("fixtures/lsp/web.config");
    let web_text = std::fs::read_to_string(&web).expect("fixture");
    let mut server = Server::start(&binary, &work);
    let (time, count) =
        diagnostics_after_change(&mut server, &web, &web_text, "30000000", "30000001", 41);
    println!("web.config ({} bytes): diagnostics after a change  median {:>7.2} ms  ({count} diagnostics)", web_text.len(), ms(time));
    let (line, col) = find(&web_text, "maxAllowedContentLength", 3);
    let hover = request_time(&mut server, &web, "textDocument/hover", line, col, 101);
    println!(
        "web.config: hover on an attribute                 median {:>7.2} ms",
        ms(hover)
    );
    let (line, col) = find(&web_text, "<directoryBrowse ", 17);
    let completion = request_time(&mut server, &web, "textDocument/completion", line, col, 101);
    println!(
        "web.config: completion of attribute names         median {:>7.2} ms",
        ms(completion)
    );
    let (line, col) = find(&web_text, "errorMode=\"", 11);
    let values = request_time(&mut server, &web, "textDocument/completion", line, col, 101);
    println!(
        "web.config: completion of enum values             median {:>7.2} ms",
        ms(values)
    );

    // A 1 MB applicationHost.config.
    let (apphost_text, sites) = synth::generate_mb(1.0);
    let apphost = work.join("applicationHost.config");
    std::fs::write(&apphost, &apphost_text).expect("write the 1 MB file");
    let (time, count) = diagnostics_after_change(
        &mut server,
        &apphost,
        &apphost_text,
        "serverAutoStart=\"true\"",
        "serverAutoStart=\"false\"",
        15,
    );
    println!(
        "applicationHost.config ({:.2} MB, {sites} sites): diagnostics after a change  median {:>7.2} ms  ({count} diagnostics)",
        apphost_text.len() as f64 / 1e6,
        ms(time)
    );
    // The last site's attribute: the tokens before it are read for each request.
    let (line, col) = find_last(&apphost_text, "serverAutoStart", 3);
    let hover = request_time(&mut server, &apphost, "textDocument/hover", line, col, 31);
    println!(
        "applicationHost.config: hover on the last site    median {:>7.2} ms",
        ms(hover)
    );
    let completion = request_time(
        &mut server,
        &apphost,
        "textDocument/completion",
        line,
        col,
        31,
    );
    println!(
        "applicationHost.config: completion there         median {:>7.2} ms",
        ms(completion)
    );
    server.stop();

    if skip_100mb {
        return;
    }
    // Memory of a server holding the 100 MB synthetic applicationHost.config.
    let big = synth::cached_file(100).expect("the 100 MB file");
    let big_text = std::fs::read_to_string(&big).expect("read the 100 MB file");
    let size = big_text.len() as f64;
    let mut server = Server::start(&binary, &work);
    let uri = uri(&big);
    let start = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": big_text}}),
    );
    drop(big_text);
    let count = server.diagnostics(&uri, 1);
    let opened = start.elapsed();
    let peak = server.status_bytes("VmHWM:").unwrap_or(0) as f64;
    // What the server keeps once the allocator has returned what the check freed.
    std::thread::sleep(Duration::from_secs(2));
    let held = server.status_bytes("VmRSS:").unwrap_or(0) as f64;
    println!(
        "100 MB applicationHost.config ({:.0} MB): open to diagnostics {:.2} s ({count} diagnostics); server peak {:.0} MB = {:.2}x the file, holding {:.0} MB = {:.2}x",
        size / 1e6,
        opened.as_secs_f64(),
        peak / 1e6,
        peak / size,
        held / 1e6,
        held / size
    );
    server.stop();
}
