//! Parse figures for a large applicationHost.config: throughput of a bare quick-xml event
//! loop, of `Document::parse` and of `Document::from_vec` over the same bytes (median of 5
//! runs each, same process), their ratios, `to_bytes` time, and peak memory as a multiple of
//! the file size: for `parse(&[u8])` with the caller's buffer, and for the linter's path
//! (read the file, `from_vec`) measured from a reset high-water mark.
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

#[path = "support/bare.rs"]
mod bare;
#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

use bare::bare_event_loop;
use measure::{median, status_bytes};

use iisconf::xml::Document;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

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

/// Resets the peak resident size (VmHWM) to the current size (Linux ≥ 4.0); returns whether
/// it could.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Times `RUNS` parses, each given a fresh input from `input` (not timed); returns the median
/// and the node count.
fn time_parses<I>(
    path: &Path,
    mut input: impl FnMut() -> I,
    parse: impl Fn(I) -> Result<Document, iisconf::xml::ParseError>,
) -> (Duration, usize) {
    let mut nodes = 0;
    let times = (0..RUNS)
        .map(|_| {
            let input = input();
            let t = Instant::now();
            let doc = match parse(black_box(input)) {
                Ok(d) => d,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            let elapsed = t.elapsed();
            nodes = doc.node_count();
            drop(doc);
            elapsed
        })
        .collect();
    (median(times), nodes)
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
    let mut bare = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        match bare_event_loop(black_box(text)) {
            Ok(n) => events = black_box(n),
            Err(e) => {
                eprintln!("error: quick-xml cannot read {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
        bare.push(t.elapsed());
    }

    // Document::parse(&[u8]): the caller keeps its bytes, the document copies them.
    let can_reset = reset_peak();
    let before_parse = status_bytes("VmHWM:").unwrap_or(0);
    let (parse, nodes) = time_parses(path, || &bytes[..], Document::parse);
    let parse_peak = status_bytes("VmHWM:");

    // Document::from_vec(Vec<u8>): each run gets its own copy of the bytes (not timed).
    let (from_vec, _) = time_parses(path, || bytes.clone(), Document::from_vec);

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
    drop(doc);
    drop(bytes);

    // The linter's path from a clean slate: read the file, hand the bytes to from_vec.
    let linter_peak = if can_reset && reset_peak() {
        let doc = std::fs::read(path)
            .map(Document::from_vec)
            .expect("read above");
        let peak = status_bytes("VmHWM:");
        drop(doc);
        peak
    } else {
        None
    };

    let (bare, print) = (median(bare), median(print));
    let rate = |d: Duration| mb / d.as_secs_f64();
    let ratio = |d: Duration| 100.0 * bare.as_secs_f64() / d.as_secs_f64();
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
        "Document::from_vec:        {:>8.1} ms  {:>7.1} MB/s",
        from_vec.as_secs_f64() * 1e3,
        rate(from_vec)
    );
    println!(
        "ratio parse / bare:        {:>8.1} %   (goal ≥ 40 %)",
        ratio(parse)
    );
    println!(
        "ratio from_vec / bare:     {:>8.1} %   (goal ≥ 40 %)",
        ratio(from_vec)
    );
    println!(
        "to_bytes:                  {:>8.1} ms  {:>7.1} MB/s",
        print.as_secs_f64() * 1e3,
        rate(print)
    );
    let multiple = |bytes: u64| {
        format!(
            "{:>8.1} MB  = {:.2}×",
            bytes as f64 / 1e6,
            bytes as f64 / size
        )
    };
    match parse_peak {
        Some(peak) => {
            println!(
                "peak memory, parse(&[u8]): {}  file size, input buffer included (goal ≤ 4×)",
                multiple(peak)
            );
            println!(
                "  before parsing:          {}  (the file bytes, runtime)",
                multiple(before_parse)
            );
            println!(
                "  added by Document::parse:{}",
                multiple(peak - before_parse.min(peak))
            );
        }
        None => println!("peak memory: unavailable (no /proc/self/status)"),
    }
    match linter_peak {
        Some(peak) => println!(
            "peak memory, read + from_vec:{}  file size (the linter's path)",
            multiple(peak)
        ),
        None => println!("peak memory of read + from_vec: unavailable (cannot reset VmHWM)"),
    }
    ExitCode::SUCCESS
}
