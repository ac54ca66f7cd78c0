//! `ftpwho -o json` (ProFTPD 1.3.6 and later).
//!
//! Fields measured on ProFTPD 1.3.8 (fixtures/sessions/proftpd-ftpwho-1.3.8.json):
//! `server`: server_type, pid, started_ms. Each of `connections`: pid,
//! connected_since_ms, remote_name, remote_address, local_address, local_port, protocol,
//! then `user` and `location` once logged in, or `authenticating: true` before; when idle
//! `idling: true` and `idle_since_ms`; during a transfer `command`, `command_args`,
//! `downloading: true` with `transfer_completed` (a percentage as a *string*, "Inf" when
//! the size is unknown) and `transfer_bytes`, or `uploading: true`; and
//! `transfer_duration_ms`, which despite its name is in **microseconds** (an upload of
//! 18 s reports 18056000). ProFTPD's scoreboard keeps the elapsed time in milliseconds
//! (the text output divides it by 1000 for its KB/s) and the JSON writer scales it by
//! 1000 once more. Uploads carry no byte count in JSON; the text output's KB/s does.

use super::Listing;
use crate::model::{FtpSession, IisTimestamp, SessionError, TransferDirection};
use crate::runtime::AnonymousUsers;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// Parses `ftpwho -o json` output captured at `at`.
pub fn parse(
    text: &str,
    at: SystemTime,
    anonymous: &AnonymousUsers,
) -> Result<Listing, SessionError> {
    let err = |message: String| SessionError::Parse {
        what: "ftpwho JSON output".into(),
        message,
    };
    let root: Value = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
    let master_pid = root
        .pointer("/server/pid")
        .and_then(Value::as_u64)
        .and_then(|p| u32::try_from(p).ok());
    let standalone =
        root.pointer("/server/server_type").and_then(Value::as_str) == Some("standalone");
    let connections = match root.get("connections") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(err("`connections` is not an array".into())),
    };
    let mut sessions = Vec::with_capacity(connections.len());
    for (i, c) in connections.iter().enumerate() {
        sessions
            .push(connection(c, at, anonymous).map_err(|m| err(format!("connection {i}: {m}")))?);
    }
    Ok(Listing {
        sessions,
        master_pid: if standalone { master_pid } else { None },
    })
}

fn connection(c: &Value, at: SystemTime, anonymous: &AnonymousUsers) -> Result<FtpSession, String> {
    let str_of = |key: &str| c.get(key).and_then(Value::as_str).map(str::to_string);
    let u64_of = |key: &str| c.get(key).and_then(Value::as_u64);
    let flag = |key: &str| c.get(key).and_then(Value::as_bool).unwrap_or(false);

    let pid = u64_of("pid")
        .and_then(|p| u32::try_from(p).ok())
        .ok_or("no numeric `pid`")?;
    let mut s = FtpSession::new(pid.to_string());
    let x = &mut s.extras;
    x.pid = Some(pid);

    let authenticating = flag("authenticating");
    match str_of("user") {
        Some(user) if !authenticating => {
            s.user_name = anonymous.iis_user_name(&user);
            x.server_user = Some(user);
            x.authenticated = Some(true);
        }
        _ => x.authenticated = Some(false),
    }
    s.client_ip = str_of("remote_address").unwrap_or_default();
    x.client_host = str_of("remote_name");
    x.server_address = str_of("local_address");
    x.server_port = u64_of("local_port").and_then(|p| u16::try_from(p).ok());
    x.current_directory = str_of("location");
    if let Some(ms) = u64_of("connected_since_ms") {
        s.session_start_time = IisTimestamp::from_unix_millis(ms);
    }

    if flag("idling") {
        if let Some(ms) = u64_of("idle_since_ms") {
            let since = IisTimestamp::from_unix_millis(ms);
            x.idle_seconds = since.elapsed_until(at).map(|d| d.as_secs());
            s.command_start_time = since;
        }
    } else if let Some(cmd) = str_of("command") {
        let args = str_of("command_args").unwrap_or_default();
        s.current_command = if args.is_empty() {
            cmd
        } else {
            format!("{cmd} {args}")
        };
        if !args.is_empty() {
            x.file = Some(args);
        }
    }

    // Really microseconds: see the module documentation.
    let duration = u64_of("transfer_duration_ms").map(Duration::from_micros);
    if let Some(d) = duration {
        x.transfer_seconds = Some(d.as_secs_f64());
        if let Some(start) = at.checked_sub(d) {
            s.command_start_time = IisTimestamp::from_system_time(start);
        }
    }
    if flag("downloading") {
        x.transfer_direction = Some(TransferDirection::Download);
        let bytes = u64_of("transfer_bytes").unwrap_or(0);
        s.bytes_sent = i64::try_from(bytes).unwrap_or(i64::MAX);
        x.progress_percent = match c.get("transfer_completed") {
            Some(Value::String(p)) => p.trim().parse::<u8>().ok(),
            Some(Value::Number(n)) => n.as_u64().and_then(|p| u8::try_from(p).ok()),
            _ => None,
        };
        x.bytes_per_second = rate(bytes, duration);
    } else if flag("uploading") {
        x.transfer_direction = Some(TransferDirection::Upload);
        if let Some(bytes) = u64_of("transfer_bytes") {
            s.bytes_received = i64::try_from(bytes).unwrap_or(i64::MAX);
            x.bytes_per_second = rate(bytes, duration);
        }
    }
    Ok(s)
}

fn rate(bytes: u64, duration: Option<Duration>) -> Option<u64> {
    let secs = duration?.as_secs_f64();
    (secs > 0.0).then(|| (bytes as f64 / secs).round() as u64)
}
