//! Renderings of a session list: JSON, IIS-shaped XML, and an administrator's table.

use super::ftp_session::{FtpSession, TransferDirection};
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

/// JSON: an array of objects keyed by the IIS attribute names plus the extra fields.
pub fn sessions_to_json(sessions: &[FtpSession]) -> String {
    // Serialising plain strings and numbers cannot fail; fall back to an empty array.
    serde_json::to_string_pretty(sessions).unwrap_or_else(|_| "[]".to_string())
}

/// XML in exactly IIS's shape: `<sessions>` holding one `<session …/>` per session, with
/// the ten attributes in the schema's order (ftp_rscaext.xml) and nothing else.
pub fn sessions_to_xml(sessions: &[FtpSession]) -> String {
    if sessions.is_empty() {
        return "<sessions />\n".to_string();
    }
    let mut out = String::from("<sessions>\n");
    for s in sessions {
        out.push_str("    <session");
        let attrs: [(&str, &str); 7] = [
            ("clientIp", &s.client_ip),
            ("sessionId", &s.session_id),
            ("sessionStartTime", s.session_start_time.as_str()),
            ("userName", &s.user_name),
            ("currentCommand", &s.current_command),
            ("previousCommand", &s.previous_command),
            ("commandStartTime", s.command_start_time.as_str()),
        ];
        for (name, value) in attrs {
            let _ = write!(
                out,
                " {name}=\"{}\"",
                iisconf_xml::escape::escape_markup(value, true)
            );
        }
        let _ = writeln!(
            out,
            " bytesSent=\"{}\" bytesReceived=\"{}\" lastErrorStatus=\"{}\" />",
            s.bytes_sent, s.bytes_received, s.last_error_status
        );
    }
    out.push_str("</sessions>\n");
    out
}

/// The table an administrator scans: id, user, client, connected for, idle for, command,
/// bytes, progress. Durations are computed against `now` and written humantime-style.
pub fn sessions_to_table(sessions: &[FtpSession], now: SystemTime) -> String {
    const HEADERS: [&str; 8] = [
        "ID",
        "USER",
        "CLIENT",
        "CONNECTED FOR",
        "IDLE FOR",
        "COMMAND",
        "BYTES",
        "PROGRESS",
    ];
    if sessions.is_empty() {
        return "no sessions\n".to_string();
    }
    let rows: Vec<[String; 8]> = sessions.iter().map(|s| table_row(s, now)).collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    write_line(&mut out, &HEADERS.map(String::from), &widths);
    for row in &rows {
        write_line(&mut out, row, &widths);
    }
    out
}

fn write_line(out: &mut String, cells: &[String; 8], widths: &[usize; 8]) {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths.iter()).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let pad = width.saturating_sub(cell.chars().count());
        line.push_str(cell);
        line.extend(std::iter::repeat_n(' ', pad));
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn table_row(s: &FtpSession, now: SystemTime) -> [String; 8] {
    let user = if s.extras.authenticated == Some(false) {
        "(not logged in)".to_string()
    } else {
        s.user_name.clone()
    };
    let connected = s
        .session_start_time
        .elapsed_until(now)
        .map(human_duration)
        .unwrap_or_else(|| "-".into());
    // Idle time counts from the idle period's start when known, so that it is measured
    // against the same `now` as "connected for"; else as the provider reported it.
    let idle = if !s.current_command.is_empty() {
        "-".to_string()
    } else {
        s.command_start_time
            .elapsed_until(now)
            .or(s.extras.idle_seconds.map(Duration::from_secs))
            .map(human_duration)
            .unwrap_or_else(|| "-".into())
    };
    let command = if s.current_command.is_empty() {
        "(idle)".to_string()
    } else {
        s.current_command.clone()
    };
    [
        s.session_id.clone(),
        user,
        s.client_ip.clone(),
        connected,
        idle,
        command,
        bytes_cell(s),
        progress_cell(s),
    ]
}

fn bytes_cell(s: &FtpSession) -> String {
    let approx = if s.extras.bytes_estimated == Some(true) {
        "~"
    } else {
        ""
    };
    match (s.bytes_sent, s.bytes_received) {
        (0, 0) => "0 B".into(),
        (sent, 0) => format!("sent {approx}{}", human_bytes(sent)),
        (0, recv) => format!("recv {approx}{}", human_bytes(recv)),
        (sent, recv) => format!(
            "sent {approx}{}, recv {approx}{}",
            human_bytes(sent),
            human_bytes(recv)
        ),
    }
}

fn progress_cell(s: &FtpSession) -> String {
    let mut parts = Vec::new();
    match (s.extras.transfer_direction, s.extras.progress_percent) {
        (Some(TransferDirection::Download), Some(p)) => match s.extras.transfer_size {
            Some(size) => parts.push(format!("{p}% of {}", human_bytes(size))),
            None => parts.push(format!("{p}%")),
        },
        (Some(TransferDirection::Upload), _) => parts.push("upload".into()),
        _ => {}
    }
    if let Some(rate) = s.extras.bytes_per_second {
        parts.push(format!(
            "{}/s",
            human_bytes(i64::try_from(rate).unwrap_or(i64::MAX))
        ));
    }
    parts.join(" @ ")
}

fn human_duration(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

fn human_bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n.unsigned_abs() < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = "B";
    for u in UNITS {
        if value.abs() < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IisTimestamp, ANONYMOUS_USER};
    use std::time::UNIX_EPOCH;

    fn sample() -> FtpSession {
        let mut s = FtpSession::new("12896");
        s.user_name = ANONYMOUS_USER.into();
        s.client_ip = "127.0.0.1".into();
        s.session_start_time = IisTimestamp::from_unix_millis(1_000_000);
        s.current_command = "RETR a \"b\" & c.bin".into();
        s.bytes_sent = 3_932_160;
        s.extras.transfer_direction = Some(TransferDirection::Download);
        s.extras.progress_percent = Some(8);
        s.extras.transfer_size = Some(50_000_000);
        s.extras.bytes_per_second = Some(178_734);
        s
    }

    #[test]
    fn xml_is_iis_shape_with_escaping() {
        let xml = sessions_to_xml(&[sample()]);
        assert_eq!(
            xml,
            "<sessions>\n    <session clientIp=\"127.0.0.1\" sessionId=\"12896\" sessionStartTime=\"1970-01-01T00:16:40Z\" userName=\"&lt;Anonymous&gt;\" currentCommand=\"RETR a &quot;b&quot; &amp; c.bin\" previousCommand=\"\" commandStartTime=\"\" bytesSent=\"3932160\" bytesReceived=\"0\" lastErrorStatus=\"0\" />\n</sessions>\n"
        );
        assert_eq!(sessions_to_xml(&[]), "<sessions />\n");
    }

    #[test]
    fn xml_output_parses_back_with_quick_xml() {
        let xml = sessions_to_xml(&[sample()]);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut n = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Empty(e)) => {
                    n += 1;
                    let cmd = e
                        .try_get_attribute("currentCommand")
                        .ok()
                        .flatten()
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()));
                    assert_eq!(cmd.as_deref(), Some("RETR a \"b\" & c.bin"));
                }
                Ok(_) => {}
                Err(e) => panic!("bad xml: {e}"),
            }
        }
        assert_eq!(n, 1);
    }

    #[test]
    fn table_columns() {
        let now = UNIX_EPOCH + Duration::from_secs(1000 + 3725);
        let table = sessions_to_table(&[sample()], now);
        let mut lines = table.lines();
        let header = lines.next().unwrap_or_default();
        assert!(header.starts_with("ID     USER         CLIENT"));
        let row = lines.next().unwrap_or_default();
        assert!(row.contains("<Anonymous>"), "{row}");
        assert!(row.contains("1h 2m 5s"), "{row}");
        assert!(row.contains("sent 3.8 MiB"), "{row}");
        assert!(row.contains("8% of 47.7 MiB @ 174.5 KiB/s"), "{row}");
        assert_eq!(sessions_to_table(&[], now), "no sessions\n");
    }
}
