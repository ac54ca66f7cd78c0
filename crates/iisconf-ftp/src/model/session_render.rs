//! Renderings of a session list: JSON, IIS-shaped XML, and an administrator's table.

use super::clock_duration::clock_duration;
use super::ftp_session::{FtpSession, TransferDirection};
use super::timestamp::IisTimestamp;
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
/// bytes, progress; with a SITE column first when the sessions belong to more than one
/// site. Rows are sorted by site, then by session start. Durations are counted to `at`,
/// the moment the sessions were taken (see [`super::SessionList`]), and written
/// `hh:mm:ss` (`2d 03:04:05` beyond a day).
pub fn sessions_to_table(sessions: &[FtpSession], at: SystemTime) -> String {
    const HEADERS: [&str; 9] = [
        "SITE",
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
    let mut ordered: Vec<&FtpSession> = sessions.iter().collect();
    ordered.sort_by(|a, b| {
        site_key(a)
            .cmp(&site_key(b))
            .then_with(|| start_key(a).cmp(&start_key(b)))
    });
    let skip = usize::from(!shows_several_sites(sessions));
    let headers: Vec<String> = HEADERS.iter().skip(skip).map(|h| h.to_string()).collect();
    let rows: Vec<Vec<String>> = ordered
        .iter()
        .map(|s| table_row(s, at).into_iter().skip(skip).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(String::len).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    write_line(&mut out, &headers, &widths);
    for row in &rows {
        write_line(&mut out, row, &widths);
    }
    out
}

/// Whether the sessions belong to more than one site (a session without one counts as
/// a site of its own).
fn shows_several_sites(sessions: &[FtpSession]) -> bool {
    let mut keys: Vec<(bool, String)> = sessions.iter().map(site_key).collect();
    keys.sort();
    keys.dedup();
    keys.len() > 1
}

/// Sessions without a site sort after those with one; names compare case-insensitively,
/// as IIS site names do.
fn site_key(s: &FtpSession) -> (bool, String) {
    match &s.extras.site {
        Some(site) => (false, site.to_lowercase()),
        None => (true, String::new()),
    }
}

/// Sessions whose start is unknown sort after the others.
fn start_key(s: &FtpSession) -> (bool, Option<SystemTime>) {
    let start = s.session_start_time.instant();
    (start.is_none(), start)
}

fn write_line(out: &mut String, cells: &[String], widths: &[usize]) {
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

fn table_row(s: &FtpSession, at: SystemTime) -> [String; 9] {
    let connected = duration_cell(s.connected_for(at), &s.session_start_time);
    let idle = if s.current_command.is_empty() {
        duration_cell(s.idle_for(at), &s.command_start_time)
    } else {
        "-".to_string()
    };
    let command = if s.current_command.is_empty() {
        "(idle)".to_string()
    } else {
        s.current_command.clone()
    };
    [
        s.extras.site.clone().unwrap_or_else(|| "-".into()),
        s.session_id.clone(),
        s.user_label().to_string(),
        s.client_ip.clone(),
        connected,
        idle,
        command,
        bytes_cell(s),
        progress_cell(s),
    ]
}

/// A duration, or why there is none: `-` when the time is unknown, and the text itself
/// when it is a date this crate cannot read.
fn duration_cell(duration: Option<Duration>, since: &IisTimestamp) -> String {
    match duration {
        Some(d) => clock_duration(d),
        None if since.is_unreadable() => format!("unreadable date {:?}", since.as_str()),
        None => "-".into(),
    }
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
    use crate::model::ANONYMOUS_USER;
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
        assert!(row.contains("01:02:05"), "{row}");
        assert!(row.contains("sent 3.8 MiB"), "{row}");
        assert!(row.contains("8% of 47.7 MiB @ 174.5 KiB/s"), "{row}");
        assert_eq!(sessions_to_table(&[], now), "no sessions\n");
    }

    #[test]
    fn site_column_and_order_when_several_sites() {
        let at = UNIX_EPOCH + Duration::from_secs(200_000);
        let mk = |id: &str, site: Option<&str>, start: u64| {
            let mut s = FtpSession::new(id);
            s.user_name = "u".into();
            s.extras.site = site.map(String::from);
            s.session_start_time = IisTimestamp::from_unix_millis(start * 1000);
            s
        };
        let sessions = [
            mk("late-b", Some("b-site"), 500),
            mk("none", None, 1),
            mk("early-b", Some("B-site"), 100),
            mk("a", Some("a-site"), 900),
        ];
        let table = sessions_to_table(&sessions, at);
        let ids: Vec<&str> = table
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        assert_eq!(ids, ["a", "early-b", "late-b", "none"], "{table}");
        assert!(table.starts_with("SITE    ID"), "{table}");
        assert!(table.contains("2d 07:31:40"), "{table}");
        let one_site = sessions_to_table(&sessions[..1], at);
        assert!(one_site.starts_with("ID "), "{one_site}");
    }

    #[test]
    fn unreadable_dates_say_so() {
        let mut s = FtpSession::new("1");
        s.session_start_time = IisTimestamp::from_text("20.11.2026 09:01");
        let table = sessions_to_table(&[s], UNIX_EPOCH);
        assert!(
            table.contains("unreadable date \"20.11.2026 09:01\""),
            "{table}"
        );
    }
}
