//! The speed and memory figures of `iisconf lint` against xmllint, in one sitting: the
//! release binary and xmllint run as child processes, alternating, and the medians, their
//! ratio and the peak memory of each are printed.
//!
//! * a large applicationHost.config: `iisconf lint FILE --format json` against
//!   `xmllint --stream --noout FILE` (goal: ≤ 0.6×, peak memory ≤ 2.5× the file);
//! * one small web.config: `iisconf lint FILE` against `xmllint --noout FILE` (goal: ≤ 1.5×,
//!   peak memory ≤ 15 MB).
//!
//! ```text
//! cargo build --release
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/synth.config
//! cargo run --release --example speed_figures -- [--large FILE] [--small FILE] [--runs N] [--small-runs N]
//! ```
//!
//! `--large` defaults to target/synth.config, `--small` to the bundled example's
//! web.config; `$IISCONF_BIN` names another binary. The 5,000-file tree is measured by
//! `web_tree --bench`, `diff` of two large files by `diff_figures`.

#[path = "support/measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

struct Args {
    large: PathBuf,
    small: PathBuf,
    runs: usize,
    small_runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        large: root.join("target/synth.config"),
        small: root.join("fixtures/example/inetpub/wwwroot/web.config"),
        runs: 7,
        small_runs: 200,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--large" => args.large = PathBuf::from(value()?),
            "--small" => args.small = PathBuf::from(value()?),
            "--runs" => args.runs = number(&value()?)?,
            "--small-runs" => args.small_runs = number(&value()?)?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(format!("`{text}` is not a positive number"))
}

/// Runs the commands in turn, `runs` times, and returns the median time of each.
fn alternate(commands: &mut [Command], runs: usize) -> Result<Vec<Duration>, String> {
    let mut times = vec![Vec::new(); commands.len()];
    for _ in 0..runs {
        for (command, times) in commands.iter_mut().zip(&mut times) {
            times.push(measure::timed(command)?);
        }
    }
    Ok(times.into_iter().map(measure::median).collect())
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Times `iisconf ARGS FILE` against `xmllint XMLLINT_ARGS FILE` and prints the medians,
/// their ratio and both peak memories.
fn compare(
    title: &str,
    file: &Path,
    iisconf_args: &[&str],
    xmllint_args: &[&str],
    runs: usize,
) -> Result<(), String> {
    let binary = measure::iisconf_binary();
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: {e}", file.display()))?
        .len();
    let mut lint_args: Vec<String> = iisconf_args.iter().map(|a| a.to_string()).collect();
    lint_args.push(file.display().to_string());
    let mut xml_args: Vec<String> = xmllint_args.iter().map(|a| a.to_string()).collect();
    xml_args.push(file.display().to_string());
    let mut lint = Command::new(&binary);
    lint.args(&lint_args);
    let mut xmllint = Command::new("xmllint");
    xmllint.args(&xml_args);
    // One run of each first, so that neither pays for a cold cache.
    measure::timed(&mut lint)?;
    measure::timed(&mut xmllint)?;
    let medians = alternate(&mut [lint, xmllint], runs)?;
    let (lint_time, xmllint_time) = (medians[0], medians[1]);
    let lint_peak = measure::peak_rss(&binary, &lint_args);
    // GNU time finds xmllint on the PATH.
    let xmllint_peak = measure::peak_rss(Path::new("xmllint"), &xml_args);
    println!(
        "{title}: {} ({:.1} MiB), {runs} runs each, alternating, medians",
        file.display(),
        mib(size)
    );
    println!(
        "  iisconf {:<28} {:>9.2} ms",
        iisconf_args.join(" "),
        lint_time.as_secs_f64() * 1e3
    );
    println!(
        "  xmllint {:<28} {:>9.2} ms",
        xmllint_args.join(" "),
        xmllint_time.as_secs_f64() * 1e3
    );
    println!(
        "  ratio iisconf / xmllint              {:>9.2}",
        lint_time.as_secs_f64() / xmllint_time.as_secs_f64().max(1e-9)
    );
    match (lint_peak, xmllint_peak) {
        // A multiple of a small file's size says nothing.
        (Some(lint), Some(xml)) if size >= 1 << 20 => println!(
            "  peak memory: iisconf {:.1} MiB ({:.2}× the file), xmllint {:.1} MiB",
            mib(lint),
            lint as f64 / size as f64,
            mib(xml)
        ),
        (Some(lint), Some(xml)) => println!(
            "  peak memory: iisconf {:.1} MiB, xmllint {:.1} MiB",
            mib(lint),
            mib(xml)
        ),
        _ => println!("  peak memory: needs /usr/bin/time"),
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let binary = measure::iisconf_binary();
    if !binary.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release` first (or set IISCONF_BIN)",
            binary.display()
        ));
    }
    if !args.large.is_file() {
        return Err(format!(
            "{} is missing: write it with `cargo run --release --example synth_apphost -- --target-mb 100 --out {}`",
            args.large.display(),
            args.large.display()
        ));
    }
    compare(
        "large file",
        &args.large,
        &["lint", "--format", "json"],
        &["--stream", "--noout"],
        args.runs,
    )?;
    compare(
        "small file",
        &args.small,
        &["lint"],
        &["--noout"],
        args.small_runs,
    )
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("speed_figures: {e}");
            ExitCode::from(2)
        }
    }
}
