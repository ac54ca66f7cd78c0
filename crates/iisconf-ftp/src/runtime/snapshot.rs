//! Sessions captured elsewhere (e.g. on a Windows IIS server with
//! examples/export-ftp-sessions.ps1), in the IIS shape.
//!
//! JSON: an array of objects keyed by the IIS attribute names (`sessionId`, `userName`,
//! `clientIp`, `sessionStartTime`, `currentCommand`, `previousCommand`,
//! `commandStartTime`, `bytesSent`, `bytesReceived`, `lastErrorStatus`), optionally with
//! `site`; or an object with such an array under `sessions`.
//!
//! XML: `<session …/>` elements with the same attribute names, anywhere in the document:
//! a bare `<sessions>` list, or inside `<site name="…">` elements (the
//! applicationHost.config shape), which give the sessions their site.
//!
//! The snapshot may say when it was taken: `capturedAt` beside `sessions` in the JSON
//! object form, or as an attribute of the XML document's root element (RFC 3339, or an
//! en-US date read as UTC). Durations count from that moment; without it, from the time
//! the caller gives ([`SnapshotProvider::with_captured_at`]), else from the file's
//! modification time.
//!
//! Numbers are checked (`bytesSent` int64, `lastErrorStatus` uint); a bad value is an
//! error naming the session, never a silent 0.

use crate::model::{
    CaptureOrigin, CaptureTime, FtpSession, IisTimestamp, SessionError, SessionList,
    SessionProvider,
};
use crate::runtime::tool;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;
use std::path::PathBuf;
use std::time::SystemTime;

/// Reads sessions from a JSON or XML snapshot file.
#[derive(Debug, Clone)]
pub struct SnapshotProvider {
    path: PathBuf,
    captured_at: Option<SystemTime>,
}

impl SnapshotProvider {
    /// A snapshot file; its format is detected by content (`<` for XML).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            captured_at: None,
        }
    }

    /// Takes the snapshot as taken at `at` when it does not say so itself.
    pub fn with_captured_at(mut self, at: SystemTime) -> Self {
        self.captured_at = Some(at);
        self
    }
}

impl SessionProvider for SnapshotProvider {
    fn list(&self, site: Option<&str>) -> Result<Vec<FtpSession>, SessionError> {
        self.list_captured(site).map(|list| list.sessions)
    }

    fn list_captured(&self, site: Option<&str>) -> Result<SessionList, SessionError> {
        let file = tool::read_file(&self.path)?.timed_by(self.captured_at);
        let what = format!("snapshot {}", self.path.display());
        let (sessions, recorded) = parse_with_capture_time(&file.text, &what)?;
        let captured = match recorded {
            Some(at) => CaptureTime {
                at,
                origin: CaptureOrigin::Input,
            },
            None => file.time(),
        };
        let sessions = match site {
            None => sessions,
            Some(site) => super::of_site(sessions, site),
        };
        Ok(SessionList { sessions, captured })
    }

    fn check_can_terminate(&self) -> Result<(), SessionError> {
        Err(SessionError::TerminateUnsupported {
            provider: format!("the snapshot {}", self.path.display()),
            hint: "a snapshot is a record of sessions, not a connection to the server; end the session on the server itself (IIS Manager, or Terminate through Microsoft.Web.Administration)".into(),
        })
    }

    fn terminate(&self, _session_id: &str) -> Result<(), SessionError> {
        self.check_can_terminate()
    }
}

/// Parses a snapshot's text; `what` names it in errors.
pub fn parse(text: &str, what: &str) -> Result<Vec<FtpSession>, SessionError> {
    if text.trim_start().starts_with('<') {
        parse_xml(text, what)
    } else {
        parse_json(text, what)
    }
}

/// Parses a snapshot's text and the capture time it records (`capturedAt`), if any;
/// `what` names it in errors. A `capturedAt` that is not a readable date is an error.
pub fn parse_with_capture_time(
    text: &str,
    what: &str,
) -> Result<(Vec<FtpSession>, Option<SystemTime>), SessionError> {
    let sessions = parse(text, what)?;
    let recorded = if text.trim_start().starts_with('<') {
        xml_captured_at(text)
    } else {
        serde_json::from_str::<Value>(text).ok().and_then(|v| {
            v.get("capturedAt")
                .and_then(Value::as_str)
                .map(String::from)
        })
    };
    let Some(recorded) = recorded else {
        return Ok((sessions, None));
    };
    let at = IisTimestamp::from_text(&recorded)
        .instant()
        .ok_or_else(|| {
            err(
                what,
                format!("capturedAt={recorded:?} is not a date (RFC 3339 or M/D/YYYY h:mm:ss AM)"),
            )
        })?;
    Ok((sessions, Some(at)))
}

/// The `capturedAt` attribute of the XML document's root element.
fn xml_captured_at(text: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => return attr(&e, "capturedAt"),
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn err(what: &str, message: String) -> SessionError {
    SessionError::Parse {
        what: what.to_string(),
        message,
    }
}

/// Parses the JSON form.
pub fn parse_json(text: &str, what: &str) -> Result<Vec<FtpSession>, SessionError> {
    let root: Value = serde_json::from_str(text).map_err(|e| err(what, e.to_string()))?;
    let items = match &root {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) => match map.get("sessions") {
            Some(Value::Array(items)) => items.as_slice(),
            _ => {
                return Err(err(
                    what,
                    "expected an array of sessions, or {\"sessions\": [...]}".into(),
                ))
            }
        },
        _ => return Err(err(what, "expected an array of sessions".into())),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(map) = item else {
                return Err(err(what, format!("session {i} is not an object")));
            };
            let fields = map.iter().map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            });
            session_from_fields(fields, None).map_err(|m| err(what, format!("session {i}: {m}")))
        })
        .collect()
}

/// Parses the XML form.
pub fn parse_xml(text: &str, what: &str) -> Result<Vec<FtpSession>, SessionError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut sites: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    let line_at = |pos: u64| {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        text.get(..pos).map_or(1, |t| t.matches('\n').count() + 1)
    };
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            err(
                what,
                format!("line {}: {e}", line_at(reader.error_position())),
            )
        })?;
        match event {
            Event::Start(e) => {
                if e.local_name().as_ref() == b"session" {
                    out.push(xml_session(&e, &sites, what, line_at(pos))?);
                }
                let site = (e.local_name().as_ref() == b"site")
                    .then(|| attr(&e, "name"))
                    .flatten();
                sites.push(site);
            }
            Event::Empty(e) if e.local_name().as_ref() == b"session" => {
                out.push(xml_session(&e, &sites, what, line_at(pos))?);
            }
            Event::End(_) => {
                sites.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn xml_session(
    e: &BytesStart<'_>,
    sites: &[Option<String>],
    what: &str,
    line: usize,
) -> Result<FtpSession, SessionError> {
    let mut fields = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| err(what, format!("line {line}: {x}")))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|x| err(what, format!("line {line}: {x}")))?
            .into_owned();
        fields.push((key, value));
    }
    let site = sites.iter().rev().find_map(Clone::clone);
    session_from_fields(fields, site).map_err(|m| err(what, format!("line {line}: {m}")))
}

fn session_from_fields(
    fields: impl IntoIterator<Item = (String, String)>,
    site: Option<String>,
) -> Result<FtpSession, String> {
    let mut s = FtpSession::new("");
    s.extras.site = site;
    for (key, value) in fields {
        let int64 = |v: &str| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| format!("{key}={v:?} is not an int64"))
        };
        match key.as_str() {
            "sessionId" => s.session_id = value,
            "userName" => s.user_name = value,
            "clientIp" => s.client_ip = value,
            "sessionStartTime" => s.session_start_time = IisTimestamp::from_text(&value),
            "currentCommand" => s.current_command = value,
            "previousCommand" => s.previous_command = value,
            "commandStartTime" => s.command_start_time = IisTimestamp::from_text(&value),
            "bytesSent" => s.bytes_sent = int64(&value)?,
            "bytesReceived" => s.bytes_received = int64(&value)?,
            "lastErrorStatus" => {
                s.last_error_status = value
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| format!("lastErrorStatus={value:?} is not a uint"))?;
            }
            "site" => s.extras.site = Some(value),
            "pid" => s.extras.pid = value.trim().parse().ok(),
            _ => {} // other extras are informational
        }
    }
    if s.session_id.is_empty() {
        return Err("no sessionId".into());
    }
    s.extras.session_start_time_utc = s.session_start_time.utc_text_if_different();
    s.extras.command_start_time_utc = s.command_start_time.utc_text_if_different();
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_and_wrapped() {
        let text = r#"[{"sessionId":"a","userName":"<Anonymous>","bytesSent":12,"lastErrorStatus":0,"site":"ftp.example.com"}]"#;
        let s = parse(text, "t").unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].bytes_sent, 12);
        assert!(s[0].is_anonymous());
        assert_eq!(s[0].extras.site.as_deref(), Some("ftp.example.com"));
        let wrapped =
            parse(r#"{"sessions":[{"sessionId":"b","bytesSent":"7"}]}"#, "t").unwrap_or_default();
        assert_eq!(wrapped[0].bytes_sent, 7);
    }

    #[test]
    fn bad_numbers_are_errors() {
        let e = parse(r#"[{"sessionId":"a","bytesSent":"lots"}]"#, "t")
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("bytesSent=\"lots\" is not an int64")));
        let e = parse(
            r#"<sessions><session sessionId="a" lastErrorStatus="-1"/></sessions>"#,
            "t",
        )
        .err()
        .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("line 1") && e.contains("not a uint")));
        assert!(parse(r#"[{"userName":"x"}]"#, "t").is_err());
    }

    #[test]
    fn xml_sites_give_sessions_their_site() {
        let text = r#"<sites>
  <site name="one"><ftpServer><sessions>
    <session sessionId="1" userName="&lt;Anonymous&gt;" bytesReceived="5" />
  </sessions></ftpServer></site>
  <site name="two"><ftpServer><sessions><session sessionId="2"></session></sessions></ftpServer></site>
</sites>"#;
        let s = parse(text, "t").unwrap_or_default();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].extras.site.as_deref(), Some("one"));
        assert!(s[0].is_anonymous());
        assert_eq!(s[0].bytes_received, 5);
        assert_eq!(s[1].extras.site.as_deref(), Some("two"));
    }

    #[test]
    fn capture_time_from_the_input() {
        let json = r#"{"capturedAt":"2026-11-20T09:30:00Z","sessions":[{"sessionId":"a"}]}"#;
        let (s, at) = parse_with_capture_time(json, "t").unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(
            at.map(|t| humantime::format_rfc3339_seconds(t).to_string()),
            Some("2026-11-20T09:30:00Z".to_string())
        );
        let xml = r#"<?xml version="1.0"?><sites capturedAt="11/20/2026 9:30:00 AM"><site name="x"><session sessionId="b" sessionStartTime="11/20/2026 9:01:00 AM"/></site></sites>"#;
        let (s, at2) = parse_with_capture_time(xml, "t").unwrap_or_default();
        assert_eq!(at2, at);
        assert_eq!(
            s[0].extras.session_start_time_utc.as_deref(),
            Some("2026-11-20T09:01:00Z")
        );
        let (_, none) = parse_with_capture_time(r#"[{"sessionId":"c"}]"#, "t").unwrap_or_default();
        assert_eq!(none, None);
        let bad = parse_with_capture_time(r#"{"capturedAt":"soon","sessions":[]}"#, "t");
        assert!(bad.is_err_and(|e| e.to_string().contains("capturedAt=\"soon\"")));
    }
}
