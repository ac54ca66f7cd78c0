//! Session processes on this host: identity checks before a signal, and start times.
//!
//! Terminating a session sends SIGTERM to its process, so the checks here fail closed:
//! where /proc cannot confirm that a pid is a session process of the expected server,
//! nothing is sent.

use crate::model::{FtpSession, SessionError};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What /proc says about a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessInfo {
    /// Target of /proc/PID/exe (empty when unreadable).
    pub exe: String,
    /// /proc/PID/cmdline with NULs as spaces (proftpd and pure-ftpd rewrite it to show
    /// the session state, e.g. `proftpd: alice - localhost: IDLE`).
    pub cmdline: String,
    /// The parent process id.
    pub ppid: Option<u32>,
}

/// Reads /proc/PID; `None` when the process does not exist (or /proc is not available).
pub(crate) fn inspect(pid: u32) -> Option<ProcessInfo> {
    let dir = Path::new("/proc").join(pid.to_string());
    let status = std::fs::read_to_string(dir.join("status")).ok()?;
    let ppid = status
        .lines()
        .find_map(|l| l.strip_prefix("PPid:"))
        .and_then(|v| v.trim().parse().ok());
    let cmdline = std::fs::read(dir.join("cmdline"))
        .map(|b| {
            String::from_utf8_lossy(&b)
                .replace('\0', " ")
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    let exe = std::fs::read_link(dir.join("exe"))
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    Some(ProcessInfo { exe, cmdline, ppid })
}

/// The expected identity of a session process.
#[derive(Debug, Clone)]
pub(crate) struct Expected<'a> {
    /// A word the executable path or the command line of the session and of its parent
    /// must contain (`proftpd`, `pure-ftpd`).
    pub program: &'a str,
    /// The server's master process, when the status output names it.
    pub master_pid: Option<u32>,
}

/// Checks that `pid` is a live session process of the expected server; the error says
/// which check failed.
pub(crate) fn verify_session_process(pid: u32, expected: &Expected<'_>) -> Result<(), String> {
    if pid <= 1 || i32::try_from(pid).is_err() {
        return Err(format!("{pid} is not a session process id"));
    }
    let info = inspect(pid).ok_or_else(|| {
        format!("process {pid} does not exist (or /proc is unavailable, so it cannot be checked)")
    })?;
    let is_program =
        |i: &ProcessInfo| i.exe.contains(expected.program) || i.cmdline.contains(expected.program);
    if !is_program(&info) {
        return Err(format!(
            "process {pid} is not {} (exe {:?}, command line {:?})",
            expected.program, info.exe, info.cmdline
        ));
    }
    let ppid = info
        .ppid
        .ok_or_else(|| format!("parent of process {pid} unknown"))?;
    if Some(pid) == expected.master_pid {
        return Err(format!(
            "process {pid} is the server's master process, not a session"
        ));
    }
    match expected.master_pid {
        Some(master) if ppid != master => Err(format!(
            "process {pid} is not a child of the server's master process {master} (parent {ppid})"
        )),
        Some(_) => Ok(()),
        None => {
            let parent = inspect(ppid).ok_or_else(|| format!("parent {ppid} of {pid} is gone"))?;
            if is_program(&parent) {
                Ok(())
            } else {
                Err(format!(
                    "parent {ppid} of process {pid} is not {}",
                    expected.program
                ))
            }
        }
    }
}

/// Ends `session_id` if it names one of `sessions` (a fresh listing of the server) and
/// its process checks out as a session process of `program`; otherwise does nothing.
pub(crate) fn terminate_listed(
    sessions: &[FtpSession],
    master_pid: Option<u32>,
    session_id: &str,
    program: &str,
) -> Result<(), SessionError> {
    let no_such = || SessionError::NoSuchSession {
        session_id: session_id.to_string(),
    };
    let pid: u32 = session_id.trim().parse().map_err(|_| no_such())?;
    if !sessions.iter().any(|s| s.extras.pid == Some(pid)) {
        return Err(no_such());
    }
    let expected = Expected {
        program,
        master_pid,
    };
    verify_session_process(pid, &expected).map_err(|reason| SessionError::NotASession {
        session_id: session_id.to_string(),
        reason,
    })?;
    terminate(session_id, pid, Duration::from_secs(3))
}

/// Sends SIGTERM to a verified session process and waits up to `wait` for it to exit.
pub(crate) fn terminate(session_id: &str, pid: u32, wait: Duration) -> Result<(), SessionError> {
    send_sigterm(pid).map_err(|source| SessionError::Signal {
        session_id: session_id.to_string(),
        pid,
        source,
    })?;
    let deadline = std::time::Instant::now() + wait;
    while std::time::Instant::now() < deadline {
        match inspect(pid) {
            None => return Ok(()),
            // A zombie waiting for its parent has ended its session already.
            Some(_) if is_zombie(pid) => return Ok(()),
            Some(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    Ok(())
}

fn is_zombie(pid: u32) -> bool {
    stat_field(pid, 0).is_some_and(|state| state == "Z")
}

/// Field `n` of /proc/PID/stat, counted from the process state (field 3) on: the command
/// name before it may hold spaces and parentheses.
fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(n).map(str::to_string)
}

#[cfg(unix)]
fn send_sigterm(pid: u32) -> std::io::Result<()> {
    let pid = i32::try_from(pid)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "pid out of range"))?;
    // SAFETY: kill(2) has no memory-safety preconditions; pid is a verified session
    // process (> 1), never 0 or negative (which would address process groups).
    let rc = unsafe { libc::kill(pid, libc::SIGTERM) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn send_sigterm(_pid: u32) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "signals are only available on Unix",
    ))
}

/// When process `pid` started, from /proc/PID/stat and the boot time in /proc/stat.
pub(crate) fn start_time(pid: u32) -> Option<SystemTime> {
    // The start time is field 22.
    let ticks: u64 = stat_field(pid, 19)?.parse().ok()?;
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let hz = clock_ticks_per_second()?;
    let millis = boot
        .checked_mul(1000)?
        .checked_add(ticks.checked_mul(1000)? / hz)?;
    Some(UNIX_EPOCH + Duration::from_millis(millis))
}

#[cfg(unix)]
fn clock_ticks_per_second() -> Option<u64> {
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|&h| h > 0)
}

#[cfg(not(unix))]
fn clock_ticks_per_second() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_session_processes() {
        let expected = Expected {
            program: "proftpd",
            master_pid: None,
        };
        assert!(verify_session_process(0, &expected).is_err());
        assert!(verify_session_process(1, &expected).is_err());
        // This test process is not proftpd.
        let me = std::process::id();
        let err = verify_session_process(me, &expected)
            .err()
            .unwrap_or_default();
        assert!(err.contains("is not proftpd"), "{err}");
    }

    #[test]
    fn own_start_time_is_recent() {
        if let Some(t) = start_time(std::process::id()) {
            let age = SystemTime::now().duration_since(t).unwrap_or_default();
            assert!(age < Duration::from_secs(3600), "{age:?}");
        }
    }
}
