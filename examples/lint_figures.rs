//! Where the time of a lint goes: read and parse, hierarchy, rules, report, on one
//! applicationHost.config, with the peak memory after each phase.
//!
//! `cargo run --release --example lint_figures -- FILE [--schema-dir DIR]`

#[path = "support/measure.rs"]
mod measure;

use iisconf::config::ConfigFile;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use std::time::Instant;

/// The allocator of the `iisconf` binary, so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The peak resident set so far (VmHWM), in MB; 0 where /proc is missing.
fn peak_mb() -> f64 {
    measure::status_bytes("VmHWM:").map_or(0.0, |b| b as f64 / (1024.0 * 1024.0))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut schema_dirs = Vec::new();
    while let Some(a) = args.next() {
        if a == "--schema-dir" {
            schema_dirs.extend(args.next().map(std::path::PathBuf::from));
        } else {
            file = Some(a);
        }
    }
    let Some(path) = file else {
        eprintln!("usage: lint_figures FILE [--schema-dir DIR]");
        std::process::exit(2);
    };
    let registry = Registry::load(&schema_dirs).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let mut phase = Instant::now();
    let mut lap = |name: &str| {
        println!(
            "{name:<10} {:>7.1} ms   peak {:>6.0} MB",
            phase.elapsed().as_secs_f64() * 1e3,
            peak_mb()
        );
        phase = Instant::now();
    };
    // Read (a large file is mapped) and parse, as the linter does.
    let doc = match iisconf::xml::Document::load(std::path::Path::new(&path)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            eprintln!("{path}: {e:?}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    lap("parse");
    let file = ConfigFile::from_document(&path, doc);
    lap("config");
    let hierarchy = Hierarchy::from_apphost(registry, file, &Options::default());
    lap("hierarchy");
    let findings = hierarchy.check();
    lap("check");
    println!("{} findings", findings.len());
}
