//! Figures for the rules engine on a (synthetic) applicationHost.config: time to build the
//! hierarchy, to resolve the effective configuration of every site and application for a
//! few sections, and to run every rule.
//!
//! `cargo run --release --example resolve_figures -- FILE [FILE…]` (e.g. the 25 MB and
//! 100 MB outputs of `synth_apphost`) prints one line per file, so growth can be compared.

use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use std::time::Instant;

/// Sections resolved at every site and application (with IISCONF_SCHEMA_DIR set to a real
/// schema folder, defaultDocument too). `sites` itself is left out: its effective value at
/// every path is the whole site list, so asking for it everywhere grows with sites².
const SECTIONS: [&str; 2] = ["system.webServer/asp", "system.webServer/defaultDocument"];

fn main() {
    let schema_dirs: Vec<std::path::PathBuf> = std::env::var_os("IISCONF_SCHEMA_DIR")
        .map(|d| vec![d.into()])
        .unwrap_or_default();
    for path in std::env::args().skip(1) {
        let registry = match Registry::load(&schema_dirs) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let started = Instant::now();
        let options = Options {
            apphost: Some(path.clone().into()),
            ..Options::default()
        };
        let hierarchy = match Hierarchy::open(registry, &options) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let opened = started.elapsed();
        let started = Instant::now();
        let mut paths = Vec::new();
        for site in hierarchy.sites() {
            for app in &site.applications {
                paths.push(iisconf::engine::paths::join(
                    &site.name,
                    app.path.trim_matches('/'),
                ));
            }
        }
        let mut resolved = 0usize;
        for p in &paths {
            for s in SECTIONS {
                if hierarchy.effective(p, s).is_ok() {
                    resolved += 1;
                }
            }
        }
        let resolve = started.elapsed();
        let started = Instant::now();
        let findings = hierarchy.check().len();
        let check = started.elapsed();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        println!(
            "{path}: {size:.1} MB, {} paths; open+parse {:.0} ms; resolve {resolved} (path, section) pairs {:.0} ms ({:.2} µs each); check {:.0} ms ({findings} findings)",
            paths.len(),
            opened.as_secs_f64() * 1e3,
            resolve.as_secs_f64() * 1e3,
            resolve.as_secs_f64() * 1e6 / resolved.max(1) as f64,
            check.as_secs_f64() * 1e3,
        );
    }
}
