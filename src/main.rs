//! The `iisconf` command: a thin front end over the library.

#![forbid(unsafe_code)]

use std::process::ExitCode;

/// mimalloc: the configuration engine allocates many small strings and nodes; the system
/// allocator spent about a third of a large lint in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Small pages, but huge ones while a large file is read and parsed.
    iisconf_xml::pages::huge_pages_for_large_files();
    iisconf_cli::run()
}

#[path = "cli/mod.rs"]
mod iisconf_cli;
