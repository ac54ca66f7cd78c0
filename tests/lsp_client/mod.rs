//! A language-server client for the tests: starts the real `iisconf lsp`, writes framed
//! JSON-RPC to its standard input and reads its answers and notifications from its
//! standard output, as an editor does.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long an answer may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A running server and the client's side of the conversation.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pub notifications: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `iisconf lsp` in `dir`.
    pub fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_iisconf"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env_remove("IISCONF_APPHOST")
            .spawn()
            .expect("start iisconf lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (sender, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            notifications: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Writes raw bytes to the server.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    /// Writes one framed message.
    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.write_raw(frame.as_bytes());
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.response(id)
    }

    /// Waits for the response to request `id`, keeping notifications that come first.
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next_message(deadline);
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            if message.get("method").is_some() {
                self.notifications.push_back(message);
            }
        }
    }

    /// The next message from the server.
    fn next_message(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The next message of any kind (a response to a bad frame has a null id).
    pub fn any_message(&mut self) -> Value {
        if let Some(n) = self.notifications.pop_front() {
            return n;
        }
        self.next_message(Instant::now() + PATIENCE)
    }

    /// Waits for the diagnostics of `uri` published for `version` (any version when
    /// `None`), returning its `params`.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let fits = |n: &Value| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && version.is_none_or(|v| n["params"]["version"] == v)
        };
        if let Some(p) = self.notifications.iter().position(fits) {
            let found = self.notifications.remove(p).expect("position");
            return found["params"].clone();
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next_message(deadline);
            if fits(&message) {
                return message["params"].clone();
            }
            if message.get("method").is_some() {
                self.notifications.push_back(message);
            }
        }
    }

    /// `initialize` with `root` as the workspace and the given client capabilities, then
    /// `initialized`; returns the result.
    pub fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let uri = file_uri(root);
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": capabilities,
                "workspaceFolders": [{"uri": uri, "name": "test"}],
            }),
        );
        self.notify("initialized", json!({}));
        response["result"].clone()
    }

    /// Opens `path` with `text`, version 1.
    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
        );
        uri
    }

    /// Replaces the whole text of `uri` (version `version`).
    pub fn change_all(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes the server's input and waits for it to end; returns the exit status.
    pub fn wait(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One framed message, `None` at the end of the stream.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of an absolute path (the fixtures' names need no escaping but spaces).
pub fn file_uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// A position `{line, character}`.
pub fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The (line, UTF-16 character) of the first `needle` in `text`, plus `skip` characters.
pub fn find(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = before[start..].chars().map(char::len_utf16).sum();
    (line, (column + skip) as u32)
}

/// The program `name` on PATH, if installed.
pub fn find_program(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
