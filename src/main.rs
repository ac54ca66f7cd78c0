//! The `iisconf` command: a thin front end over the library.

use std::process::ExitCode;

/// mimalloc: the configuration engine allocates many small strings and nodes; the system
/// allocator spent about a third of a large lint in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its index in `mimalloc.h`, v2 and v3; the Rust
/// binding has no constant for it) and its defaults there, in milliseconds (v2: 10,
/// v3: 1000).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_DEFAULTS: [std::ffi::c_long; 2] = [10, 1000];

/// Returns freed memory to the system after 1 ms: a large lint then peaks under 4x the
/// file size at a small cost in time. Left alone when MIMALLOC_PURGE_DELAY is set, or when
/// the option does not read as one of its defaults (a different option layout).
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: reading and setting a mimalloc option has no preconditions; both functions
    // are thread-safe and the value is a plain integer.
    unsafe {
        if PURGE_DELAY_DEFAULTS.contains(&libmimalloc_sys::mi_option_get(PURGE_DELAY)) {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 1);
        }
    }
}

fn main() -> ExitCode {
    tune_allocator();
    iisconf_cli::run()
}

#[path = "cli/mod.rs"]
mod iisconf_cli;
