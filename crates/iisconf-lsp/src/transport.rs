//! The base protocol over a byte stream: `Content-Length` framed JSON-RPC messages. Reading
//! forgives what a strict reader would stop on (a body that is not UTF-8 is read lossily, a
//! body that is not a message is reported and skipped), so a bad message never ends the
//! session; only the end of the stream does.

use lsp_server::{Message, Notification, Request, RequestId, Response, ResponseError};
use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, Sender};

/// What the reader got.
#[derive(Debug)]
pub enum Incoming {
    /// A message.
    Message(Message),
    /// A frame whose body is not a JSON-RPC message: what was wrong.
    Malformed(String),
}

/// Starts a thread reading messages from `input` into the returned channel, which closes
/// when the input ends (the client went away) or after the `exit` notification.
pub fn spawn_reader(input: impl BufRead + Send + 'static) -> Receiver<Incoming> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || read_all(input, &sender));
    receiver
}

/// Reads frames until the stream ends, the receiver is gone, or `exit` arrives.
fn read_all(mut input: impl BufRead, sender: &Sender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input) {
            Frame::End => return,
            Frame::Body(body) => parse(&body),
            Frame::Bad(why) => Incoming::Malformed(why),
        };
        let exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if sender.send(incoming).is_err() || exit {
            return;
        }
    }
}

/// One frame.
enum Frame {
    /// The body of a frame.
    Body(Vec<u8>),
    /// A frame with bad headers (already skipped).
    Bad(String),
    /// The stream ended.
    End,
}

/// Reads one frame: headers up to an empty line, then `Content-Length` bytes.
fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        return Frame::Bad("a message without a valid Content-Length header".to_string());
    };
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Frame::Body(body),
        Err(_) => Frame::End,
    }
}

/// The members of any JSON-RPC message. Read into this plain struct rather than
/// lsp-server's `Message` (an untagged enum, which serde reads by buffering the whole body
/// once more), so a 100 MB `didOpen` is held once while it is read.
#[derive(serde::Deserialize)]
struct Raw {
    id: Option<RequestId>,
    method: Option<String>,
    #[serde(default)]
    params: serde_json::Value,
    result: Option<serde_json::Value>,
    error: Option<ResponseError>,
}

/// A frame's body as a message.
fn parse(body: &[u8]) -> Incoming {
    let text = String::from_utf8_lossy(body);
    let raw = match serde_json::from_str::<Raw>(&text) {
        Ok(raw) => raw,
        Err(e) => return Incoming::Malformed(format!("not a JSON-RPC message: {e}")),
    };
    let message = match (raw.id, raw.method) {
        (Some(id), Some(method)) => Message::Request(Request {
            id,
            method,
            params: raw.params,
        }),
        (None, Some(method)) => Message::Notification(Notification {
            method,
            params: raw.params,
        }),
        (Some(id), None) => Message::Response(Response {
            id,
            result: raw.result,
            error: raw.error,
        }),
        (None, None) => {
            return Incoming::Malformed("a message with neither a method nor an id".to_string())
        }
    };
    Incoming::Message(message)
}

/// Writes `message` framed to `out`; `false` when the output is gone.
pub fn write(out: &mut dyn Write, message: Message) -> bool {
    message.write(&mut WriteRef(out)).is_ok()
}

/// A `Write` over a `&mut dyn Write` (the message writer takes `impl Write`).
struct WriteRef<'a>(&'a mut dyn Write);

impl Write for WriteRef<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn bad_frames_are_reported_and_reading_goes_on() {
        let mut input = Vec::new();
        input.extend(frame(b"{not json"));
        input.extend(b"X-Nothing: 1\r\n\r\n");
        input.extend(frame(
            b"{\"jsonrpc\":\"2.0\",\"method\":\"didSave\",\"params\":{\"t\":\"\xff\xfe\"}}",
        ));
        input.extend(frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        input.extend(frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"after\"}"));
        let receiver = spawn_reader(std::io::Cursor::new(input));
        let got: Vec<Incoming> = receiver.iter().collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(matches!(got[0], Incoming::Malformed(_)));
        assert!(matches!(got[1], Incoming::Malformed(_)));
        assert!(
            matches!(&got[2], Incoming::Message(Message::Notification(n)) if n.params["t"] == "\u{FFFD}\u{FFFD}")
        );
        assert!(
            matches!(&got[3], Incoming::Message(Message::Notification(n)) if n.method == "exit")
        );
    }
}
