//! Helpers shared by the figure programs: medians of timings and the process's memory.
// Each figure program uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The median of `times` (zero for none).
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// A field of /proc/self/status (`VmHWM:`, `VmRSS:`…) in bytes; `None` where there is no
/// /proc (not Linux).
pub fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The wall time of one run of `command` (output discarded). Exit codes 0 and 1 (a linter's
/// "findings") are runs; a crash or another code is an error.
pub fn timed(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let elapsed = start.elapsed();
    match status.code() {
        Some(0 | 1) => Ok(elapsed),
        _ => Err(format!("{command:?} failed: {status}")),
    }
}

/// The peak resident set of one run of `program args`, in bytes, as GNU time (`time -f %M`)
/// reports it; `None` without /usr/bin/time.
pub fn peak_rss(program: &Path, args: &[String]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kb: u64 = text.lines().last()?.trim().parse().ok()?;
    Some(kb * 1024)
}

/// The release binary the figure programs time: `$IISCONF_BIN`, else
/// target/release/iisconf.
pub fn iisconf_binary() -> PathBuf {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/iisconf");
    std::env::var_os("IISCONF_BIN")
        .map(PathBuf::from)
        .unwrap_or(built)
}
