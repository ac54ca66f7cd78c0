//! Where the time of a lint goes: read, parse, sections, hierarchy, rules and freeing it
//! all, on one applicationHost.config, with the CPU time and the peak memory of each phase.
//!
//! `cargo run --release --example lint_figures -- FILE [--schema-dir DIR] [--all-rules]`
//!
//! As the linter does by default, IIS4003 (off unless selected) is not checked unless
//! `--all-rules` is given.

#[path = "support/measure.rs"]
mod measure;

use iisconf::config::ConfigFile;
use iisconf::diagnostic::Rule;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::pages;
use std::time::Instant;

/// The allocator of the `iisconf` binary, so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The peak resident set so far (VmHWM), in MB; 0 where /proc is missing.
fn peak_mb() -> f64 {
    measure::status_bytes("VmHWM:").map_or(0.0, |b| b as f64 / (1024.0 * 1024.0))
}

/// The CPU time of the process so far (user and system, all threads), in ms; 0 where /proc
/// is missing. Counted in clock ticks, so good to about 10 ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut schema_dirs = Vec::new();
    let mut all_rules = false;
    while let Some(a) = args.next() {
        if a == "--all-rules" {
            all_rules = true;
        } else if a == "--schema-dir" {
            schema_dirs.extend(args.next().map(std::path::PathBuf::from));
        } else {
            file = Some(a);
        }
    }
    let Some(path) = file else {
        eprintln!("usage: lint_figures FILE [--schema-dir DIR] [--all-rules]");
        std::process::exit(2);
    };
    pages::huge_pages_for_large_files();
    let registry = Registry::load(&schema_dirs).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let mut phase = Instant::now();
    let mut cpu = cpu_ms();
    let mut lap = |name: &str| {
        let wall = phase.elapsed().as_secs_f64() * 1e3;
        let used = cpu_ms() - cpu;
        println!(
            "{name:<10} {wall:>7.1} ms   cpu {used:>6.0} ms ({:>3.0} %)   peak {:>6.0} MB",
            100.0 * used / wall.max(1.0),
            peak_mb()
        );
        phase = Instant::now();
        cpu = cpu_ms();
    };
    // Read and parse, as the linter does (`Document::load`, on the binary's memory pages).
    let len = std::fs::metadata(&path).map_or(0, |m| m.len());
    let doc = pages::loading(len, || {
        let bytes = match iisconf::xml::read_file(std::path::Path::new(&path)) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        lap("read");
        let doc = match iisconf::xml::Document::from_vec(bytes) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{path}: {e:?}");
                std::process::exit(2);
            }
        };
        lap("parse");
        doc
    });
    let file = ConfigFile::from_document(&path, doc);
    lap("config");
    let mut hierarchy = Hierarchy::from_apphost(registry, file, &Options::default());
    if !all_rules {
        hierarchy.skip_rules([Rule::RedundantValue]);
    }
    lap("hierarchy");
    let findings = hierarchy.check();
    lap("check");
    println!("{} findings", findings.len());
    let mut by_rule = std::collections::BTreeMap::new();
    for f in &findings {
        *by_rule.entry(f.rule.id()).or_insert(0usize) += 1;
    }
    println!("{by_rule:?}");
    drop(findings);
    drop(hierarchy);
    lap("free");
}
