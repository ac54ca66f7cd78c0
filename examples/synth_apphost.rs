//! Writes a synthetic applicationHost.config for benchmarks and stress tests.
//!
//! ```text
//! cargo run --release --example synth_apphost -- --sites 30000 --out target/apphost.config
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/apphost.config
//! ```
//!
//! Deterministic: the same arguments always give the same bytes. Without `--out` the file
//! goes to `target/bench-data/applicationHost-synth.config`.

#[path = "support/synth.rs"]
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: synth_apphost (--sites N | --target-mb MB) [--out PATH]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut sites: Option<usize> = None;
    let mut target_mb: Option<f64> = None;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--sites", Some(v)) => match v.parse() {
                Ok(n) => sites = Some(n),
                Err(_) => return usage(),
            },
            ("--target-mb", Some(v)) => match v.parse() {
                Ok(n) => target_mb = Some(n),
                Err(_) => return usage(),
            },
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            _ => return usage(),
        }
    }
    let (text, sites) = match (sites, target_mb) {
        (Some(n), None) => (synth::generate(n), n),
        (None, Some(mb)) => synth::generate_mb(mb),
        (None, None) => synth::generate_mb(100.0),
        (Some(_), Some(_)) => return usage(),
    };
    let out = out.unwrap_or_else(|| synth::data_dir().join("applicationHost-synth.config"));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    }
    if let Err(e) = std::fs::write(&out, &text) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::from(1);
    }
    println!(
        "wrote {} ({:.1} MB, {sites} sites)",
        out.display(),
        text.len() as f64 / 1e6
    );
    ExitCode::SUCCESS
}
