//! The server's state and message loop: initialisation and position-encoding negotiation,
//! the open documents and their changes, diagnostics published once the queue of incoming
//! messages is drained (a burst of keystrokes is checked once), requests answered in
//! order, shutdown and exit. A failure while handling one message is answered as an error
//! for that message; it never ends the session or touches other documents.

use crate::context::OwnHierarchy;
use crate::diagnostics::{to_diagnostic, Texts};
use crate::text::{Encoding, Text};
use crate::transport::{self, Incoming};
use crate::workspace::{canonical, Workspace};
use crate::{actions, complete, hover, navigate};
use iisconf_core::diagnostic::Finding;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, InitializeParams, InitializeResult, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

/// An open document.
pub struct Doc {
    /// Its path, for a `file:` URI.
    pub path: Option<PathBuf>,
    /// Its text.
    pub text: Text,
    /// The version the client gave with the text.
    pub version: i32,
    /// The findings last published for it.
    pub findings: Vec<Finding>,
    /// The hierarchy of its text alone, built when first asked for (hover, definition)
    /// and dropped when the text changes.
    pub own: OnceCell<OwnHierarchy>,
}

/// What the server holds.
pub struct State {
    /// The negotiated position encoding.
    pub encoding: Encoding,
    /// The open documents by URI.
    pub docs: HashMap<Url, Doc>,
    /// The workspace.
    pub workspace: Workspace,
    /// The workspace folder, where `iisconf.toml` is looked for.
    pub root: Option<PathBuf>,
}

impl State {
    /// The name a finding gives the document's file, and its path.
    pub fn path_of(&self, uri: &Url) -> PathBuf {
        self.docs
            .get(uri)
            .and_then(|d| d.path.clone())
            .unwrap_or_else(|| PathBuf::from(uri.path()))
    }

    /// The open document at `path`, if any.
    pub fn open_at(&self, path: &Path) -> Option<&Doc> {
        let path = canonical(path);
        self.docs
            .values()
            .find(|d| d.path.as_deref().is_some_and(|p| canonical(p) == path))
    }
}

impl Texts for State {
    fn text_of(&self, name: &str) -> Option<Text> {
        let path = Path::new(name);
        if let Some(doc) = self.open_at(path) {
            return Some(doc.text.clone());
        }
        let bytes = std::fs::read(path).ok()?;
        Some(Text::new(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// How the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: exit status 0.
    Clean,
    /// `exit` without `shutdown`, or the client went away: exit status 1, as LSP asks.
    Abrupt,
}

/// Serves one client: messages from `incoming`, answers to `out`.
pub fn serve(incoming: Receiver<Incoming>, out: &mut dyn Write) -> Ending {
    let mut session = Session {
        state: None,
        shut_down: false,
        dirty: BTreeSet::new(),
        out,
    };
    loop {
        let next = if session.dirty.is_empty() {
            incoming.recv().ok()
        } else {
            match incoming.try_recv() {
                Ok(m) => Some(m),
                Err(TryRecvError::Empty) => {
                    session.publish_dirty();
                    continue;
                }
                Err(TryRecvError::Disconnected) => None,
            }
        };
        let Some(next) = next else {
            return Ending::Abrupt;
        };
        match next {
            Incoming::Malformed(why) => {
                // The id of an unreadable request is unknown: JSON-RPC answers with null,
                // which lsp-server's response type cannot hold.
                session.send_raw(serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": {
                        "code": ErrorCode::ParseError as i32,
                        "message": format!("iisconf lsp: a message could not be read: {why}"),
                    },
                }));
            }
            Incoming::Message(Message::Notification(n))
                if n.method == notification::Exit::METHOD =>
            {
                return if session.shut_down {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                };
            }
            Incoming::Message(message) => {
                let request = match &message {
                    Message::Request(r) => Some((r.id.clone(), r.method.clone())),
                    _ => None,
                };
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    session.handle(message)
                }));
                if let (Err(_), Some((id, method))) = (outcome, request) {
                    session.send(Message::Response(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("iisconf lsp failed on {method}"),
                    )));
                }
            }
        }
    }
}

/// One client's session.
struct Session<'o> {
    /// Set by `initialize`.
    state: Option<State>,
    shut_down: bool,
    /// Documents whose diagnostics are due.
    dirty: BTreeSet<Url>,
    out: &'o mut dyn Write,
}

impl Session<'_> {
    fn send(&mut self, message: Message) {
        transport::write(self.out, message);
    }

    /// Writes a message lsp-server's types cannot hold, framed.
    fn send_raw(&mut self, value: serde_json::Value) {
        let text = value.to_string();
        let _ = write!(self.out, "Content-Length: {}\r\n\r\n{text}", text.len());
        let _ = self.out.flush();
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, r: Request) {
        if r.method == request::Initialize::METHOD {
            let answer = self.initialize(&r);
            self.send(Message::Response(answer));
            return;
        }
        let Some(state) = self.state.as_ref() else {
            self.send(Message::Response(Response::new_err(
                r.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized".to_string(),
            )));
            return;
        };
        if self.shut_down {
            self.send(Message::Response(Response::new_err(
                r.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shut down".to_string(),
            )));
            return;
        }
        let result: Result<serde_json::Value, (ErrorCode, String)> = match r.method.as_str() {
            request::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            request::HoverRequest::METHOD => params(&r).map(|p| json(hover::hover(state, &p))),
            request::Completion::METHOD => {
                params(&r).map(|p| json(complete::completion(state, &p)))
            }
            request::CodeActionRequest::METHOD => {
                params(&r).map(|p| json(actions::code_actions(state, &p)))
            }
            request::DocumentSymbolRequest::METHOD => {
                params(&r).map(|p| json(navigate::symbols(state, &p)))
            }
            request::GotoDefinition::METHOD => {
                params(&r).map(|p| json(navigate::definition(state, &p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("iisconf lsp does not handle {other}"),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(r.id, value),
            Err((code, message)) => Response::new_err(r.id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    fn initialize(&mut self, r: &Request) -> Response {
        if self.state.is_some() {
            return Response::new_err(
                r.id.clone(),
                ErrorCode::InvalidRequest as i32,
                "initialize was already received".to_string(),
            );
        }
        let params: InitializeParams = match serde_json::from_value(r.params.clone()) {
            Ok(p) => p,
            Err(e) => {
                return Response::new_err(
                    r.id.clone(),
                    ErrorCode::InvalidParams as i32,
                    e.to_string(),
                )
            }
        };
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().ok())
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        let workspace = Workspace::new(root.clone());
        let problem = workspace.problem.clone();
        self.state = Some(State {
            encoding,
            docs: HashMap::new(),
            workspace,
            root,
        });
        if let Some(problem) = problem {
            self.notify(
                notification::ShowMessage::METHOD,
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::WARNING,
                    message: problem,
                },
            );
        }
        let result = InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "iisconf".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        };
        Response::new_ok(r.id.clone(), result)
    }

    fn notification(&mut self, n: Notification) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let path = uri.to_file_path().ok();
                state.docs.insert(
                    uri.clone(),
                    Doc {
                        path: path.clone(),
                        text: Text::new(p.text_document.text),
                        version: p.text_document.version,
                        findings: Vec::new(),
                        own: OnceCell::new(),
                    },
                );
                self.changed(&uri);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let encoding = state.encoding;
                let Some(doc) = state.docs.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    doc.text.apply(change, encoding);
                }
                doc.own = OnceCell::new();
                doc.version = p.text_document.version;
                self.changed(&uri);
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = state.docs.remove(&uri) else {
                    return;
                };
                if let Some(path) = &doc.path {
                    if state.workspace.is_apphost(path) {
                        rebuild(state);
                        self.dirty_tree();
                    } else if let Ok(disk) = std::fs::read(path) {
                        if state
                            .workspace
                            .update(path, &String::from_utf8_lossy(&disk))
                        {
                            self.dirty_tree();
                        }
                    }
                }
                self.dirty.remove(&uri);
                self.notify(
                    notification::PublishDiagnostics::METHOD,
                    PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    },
                );
            }
            notification::DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                if is_settings(&p.text_document.uri) {
                    self.reload();
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                if p.changes.iter().any(|c| is_settings(&c.uri)) {
                    self.reload();
                }
            }
            _ => {}
        }
    }

    /// Reads `iisconf.toml` again after it changed: new settings, schema and hierarchy, and
    /// every open document checked again.
    fn reload(&mut self) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        state.workspace = Workspace::new(state.root.clone());
        for doc in state.docs.values_mut() {
            doc.own = OnceCell::new();
        }
        rebuild(state);
        let problem = state.workspace.problem.clone();
        self.dirty.extend(state.docs.keys().cloned());
        if let Some(problem) = problem {
            self.notify(
                notification::ShowMessage::METHOD,
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::WARNING,
                    message: problem,
                },
            );
        }
    }

    /// After document `uri` changed: the hierarchy takes its text, and the documents whose
    /// findings may have changed are due for diagnostics.
    fn changed(&mut self, uri: &Url) {
        self.dirty.insert(uri.clone());
        let Some(state) = self.state.as_mut() else {
            return;
        };
        let Some(doc) = state.docs.get(uri) else {
            return;
        };
        let Some(path) = doc.path.clone() else {
            return;
        };
        // The hierarchy is built again when its applicationHost.config changed, or when
        // it could not be built before (the document may be what it was missing).
        let unbuilt = state.workspace.apphost().is_some() && state.workspace.tree().is_none();
        if state.workspace.is_apphost(&path) || unbuilt {
            rebuild(state);
            self.dirty_tree();
        } else if state.workspace.tree().is_some() {
            let State {
                docs, workspace, ..
            } = state;
            let updated = docs
                .get(uri)
                .is_some_and(|d| workspace.update(&path, d.text.as_str()));
            if updated {
                self.dirty_tree();
            }
        }
    }

    /// Marks every open document of the hierarchy due for diagnostics.
    fn dirty_tree(&mut self) {
        let Some(state) = self.state.as_ref() else {
            return;
        };
        let Some(tree) = state.workspace.tree() else {
            return;
        };
        for (uri, doc) in &state.docs {
            if doc
                .path
                .as_deref()
                .is_some_and(|p| tree.file_of(p).is_some())
            {
                self.dirty.insert(uri.clone());
            }
        }
    }

    /// Publishes the diagnostics of every document due for them.
    fn publish_dirty(&mut self) {
        let due = std::mem::take(&mut self.dirty);
        for uri in due {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.state.as_mut().and_then(|s| analyze(s, &uri))
            }));
            let Ok(Some(params)) = outcome else {
                continue;
            };
            self.notify(notification::PublishDiagnostics::METHOD, params);
        }
    }
}

/// Whether `uri` names the workspace settings file.
fn is_settings(uri: &Url) -> bool {
    uri.to_file_path()
        .ok()
        .and_then(|p| p.file_name().map(|n| n == iisconf_lint::CONFIG_FILE_NAME))
        .unwrap_or(false)
}

/// Builds the workspace's hierarchy again with the open documents' text.
fn rebuild(state: &mut State) {
    let texts: Vec<(PathBuf, String)> = state
        .docs
        .values()
        .filter_map(|d| Some((canonical(d.path.as_deref()?), d.text.as_str().to_string())))
        .collect();
    state.workspace.rebuild(&|path| {
        let path = canonical(path);
        texts
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| t.clone())
    });
}

/// Checks document `uri` and gives its diagnostics (keeping its findings for code actions).
fn analyze(state: &mut State, uri: &Url) -> Option<PublishDiagnosticsParams> {
    let doc = state.docs.get(uri)?;
    let path = state.path_of(uri);
    let findings = findings_of(state, &path, doc);
    let diagnostics = findings
        .iter()
        .map(|f| to_diagnostic(&doc.text, f, state.encoding, state))
        .collect();
    let version = doc.version;
    if let Some(doc) = state.docs.get_mut(uri) {
        doc.findings = findings;
    }
    Some(PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version: Some(version),
    })
}

/// The findings of `doc` at `path`: from the hierarchy when it holds the document's current
/// text, else the document linted on its own.
fn findings_of(state: &State, path: &Path, doc: &Doc) -> Vec<Finding> {
    let workspace = &state.workspace;
    let text = doc.text.as_str();
    if let Some(tree) = workspace.tree() {
        let current = tree
            .file_of(path)
            .and_then(|id| tree.file(id))
            .is_some_and(|f| f.doc.source() == text.strip_prefix('\u{FEFF}').unwrap_or(text));
        if current {
            if let Some(findings) = workspace.tree_findings(path) {
                return findings;
            }
        }
    }
    let options = workspace.lint_options();
    iisconf_lint::lint_bytes(&workspace.registry, &options, path, text.as_bytes())
        .into_iter()
        .map(|r| r.finding)
        .collect()
}

/// A request's parameters.
fn params<P: serde::de::DeserializeOwned>(r: &Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(r.params.clone()).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// A result as JSON (`null` when it cannot be written, which typed results never are).
fn json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// What the server can do.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            lsp_types::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp_types::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["<", " ", "\"", "'", ",", "/"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(actions::UNSAFE_KIND.to_string()),
            ]),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}
