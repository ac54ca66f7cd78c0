//! A closed standard output (`iisconf get … | head -1`) ends a command quietly.
//!
//! Rust ignores SIGPIPE, so a write to a pipe whose reader has gone fails with
//! `BrokenPipe`, and `print!` turns that failure into a panic. Every command runs under
//! [`run_guarded`]: such a panic prints nothing and the command ends with [`EXIT_OK`], as a
//! command whose reader took all it wanted (the convention of `sessions`, ripgrep and fd).
//! Any other panic keeps the standard report.

use super::EXIT_OK;
use std::panic::{self, AssertUnwindSafe};

/// Runs `command`; a panic raised by writing to a closed standard output ends it quietly with
/// [`EXIT_OK`]. Other panics are reported and resumed as usual.
pub fn run_guarded(command: impl FnOnce() -> u8) -> u8 {
    let standard_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !is_closed_stdout(info.payload()) {
            standard_hook(info);
        }
    }));
    match panic::catch_unwind(AssertUnwindSafe(command)) {
        Ok(code) => code,
        Err(payload) if is_closed_stdout(payload.as_ref()) => EXIT_OK,
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Whether a panic's payload is the standard library's "failed printing to stdout" for a
/// pipe whose reader has gone ("Broken pipe (os error 32)").
fn is_closed_stdout(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    message.starts_with("failed printing to stdout")
        && message.to_ascii_lowercase().contains("broken pipe")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_closed_pipe_panic_only() {
        let closed: Box<dyn std::any::Any + Send> =
            Box::new("failed printing to stdout: Broken pipe (os error 32)".to_string());
        assert!(is_closed_stdout(closed.as_ref()));
        let other: Box<dyn std::any::Any + Send> = Box::new("index out of bounds");
        assert!(!is_closed_stdout(other.as_ref()));
    }
}
