//! Parse figures for a large applicationHost.config: throughput of a bare quick-xml event
//! loop and of `Document::parse` over the same bytes (median of 5 runs each, same process),
//! their ratio, `to_bytes` time, and peak memory as a multiple of the file size.
//!
//! ```text
//! cargo run --release --example parse_figures              # synthetic 100 MB file
//! cargo run --release --example parse_figures -- --mb 10
//! cargo run --release --example parse_figures -- --file path/to/applicationHost.config
//! ```
//!
//! Synthetic files are generated once into target/bench-data/ (see synth_apphost). When the
//! file has to be generated, the measurement re-runs itself in a fresh process so that the
//! generator's memory does not count towards the peak.

#[path = "support/synth.rs"]
mod synth;

use iisconf::xml::Document;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn bare_event_loop(text: &str) -> usize {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(_) => events += 1,
            Err(e) => panic!("bare loop: {e}"),
        }
    }
    events
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A field of /proc/self/status in bytes (Linux only).
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn usage() -> ExitCode {
    eprintln!("usage: parse_figures [--mb N | --file PATH]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut mb: u32 = std::env::var("IISCONF_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let mut file: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--mb", Some(v)) => match v.parse() {
                Ok(n) => mb = n,
                Err(_) => return usage(),
            },
            ("--file", Some(v)) => file = Some(PathBuf::from(v)),
            _ => return usage(),
        }
    }
    let path = match file {
        Some(p) => p,
        None => {
            let cached = synth::data_dir()
                .join(format!("applicationHost-{mb}mb-v{}.config", synth::VERSION));
            if !cached.is_file() {
                eprintln!("generating {} …", cached.display());
                if let Err(e) = synth::cached_file(mb) {
                    eprintln!("error: cannot generate {}: {e}", cached.display());
                    return ExitCode::from(1);
                }
                // Measure in a fresh process: the generator's peak must not count.
                let status = std::env::current_exe().and_then(|exe| {
                    std::process::Command::new(exe)
                        .arg("--file")
                        .arg(&cached)
                        .status()
                });
                return match status {
                    Ok(s) if s.success() => ExitCode::SUCCESS,
                    _ => ExitCode::from(1),
                };
            }
            cached
        }
    };
    measure(&path)
}

fn measure(path: &PathBuf) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let size = bytes.len() as f64;
    let mb = size / 1e6;
    println!("file: {} ({mb:.1} MB)", path.display());

    // Bare event loop over the same bytes (UTF-8 without BOM, as generated).
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.strip_prefix('\u{FEFF}').unwrap_or(t),
        Err(_) => {
            eprintln!("error: the bare event loop needs a UTF-8 file");
            return ExitCode::from(1);
        }
    };
    let mut events = 0;
    let bare: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            events = black_box(bare_event_loop(black_box(text)));
            t.elapsed()
        })
        .collect();
    let before_parse = status_bytes("VmHWM:").unwrap_or(0);

    let mut nodes = 0;
    let parse: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let doc = match Document::parse(black_box(&bytes)) {
                Ok(d) => d,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            let elapsed = t.elapsed();
            nodes = doc.node_count();
            drop(doc);
            elapsed
        })
        .collect();
    let peak = status_bytes("VmHWM:");

    let doc = Document::parse(&bytes).expect("parsed above");
    let print: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let out = black_box(doc.to_bytes());
            let elapsed = t.elapsed();
            assert!(out == bytes, "round trip");
            elapsed
        })
        .collect();

    let (bare, parse, print) = (median(bare), median(parse), median(print));
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "bare quick-xml event loop: {:>8.1} ms  {:>7.1} MB/s  ({events} events)",
        bare.as_secs_f64() * 1e3,
        rate(bare)
    );
    println!(
        "Document::parse:           {:>8.1} ms  {:>7.1} MB/s  ({nodes} nodes)",
        parse.as_secs_f64() * 1e3,
        rate(parse)
    );
    println!(
        "ratio (parse / bare):      {:>8.1} %   (goal ≥ 40 %)",
        100.0 * bare.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "to_bytes:                  {:>8.1} ms  {:>7.1} MB/s",
        print.as_secs_f64() * 1e3,
        rate(print)
    );
    match peak {
        Some(peak) => {
            println!(
                "peak memory (VmHWM):       {:>8.1} MB  = {:.2}× file size, input buffer included (goal ≤ 4×)",
                peak as f64 / 1e6,
                peak as f64 / size
            );
            println!(
                "  before parsing:          {:>8.1} MB  = {:.2}× (the file bytes, runtime)",
                before_parse as f64 / 1e6,
                before_parse as f64 / size
            );
            println!(
                "  added by Document::parse:{:>8.1} MB  = {:.2}×",
                (peak - before_parse.min(peak)) as f64 / 1e6,
                (peak - before_parse.min(peak)) as f64 / size
            );
        }
        None => println!("peak memory: unavailable (no /proc/self/status)"),
    }
    ExitCode::SUCCESS
}
