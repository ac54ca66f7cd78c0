//! Helpers shared by the figure programs: medians of timings and the process's memory.
// Each figure program uses part of it.
#![allow(dead_code)]

use std::time::Duration;

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
