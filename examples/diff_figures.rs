//! How long `iisconf diff` takes on two ~100 MB synthetic applicationHost.config files that
//! differ in one value, against one `iisconf lint` of one of them (the goal: ≤ 1.5×). Both
//! run as the real binary, alternating, a few times each; medians and their ratio are
//! printed.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/bench-data/synth100.config
//! cargo run --release --example diff_figures -- target/bench-data/synth100.config [--runs 3] [--bin target/release/iisconf] [--from-example]
//! ```
//!
//! The second file is written next to the first (`FILE.changed.config`): the first
//! `asp/session` timeout of a site's `<location>` changed. `--from-example` also times, once,
//! the diff from the bundled example applicationHost.config to FILE: every site of FILE is
//! a report at the server level, the case where counting the paths below each report once
//! took hours.

#[path = "support/measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn usage() -> ExitCode {
    eprintln!("usage: diff_figures FILE [--runs N] [--bin PATH] [--from-example]");
    ExitCode::from(2)
}

/// One timed run of `bin args`, its report thrown away: its wall time and exit code.
fn run(bin: &Path, args: &[&str]) -> Result<(Duration, Option<i32>), String> {
    let start = Instant::now();
    let status = Command::new(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    Ok((start.elapsed(), status.code()))
}

/// The medians of one measured command and its last exit code.
#[derive(Default)]
struct Timing {
    times: Vec<Duration>,
    code: Option<i32>,
}

impl Timing {
    fn record(&mut self, (time, code): (Duration, Option<i32>)) {
        self.times.push(time);
        self.code = code;
    }

    fn median(&self) -> Duration {
        measure::median(self.times.clone())
    }
}

/// Runs each command `runs` times, alternating them so that both see the same machine
/// (caches, other load); a timing per command.
fn alternate(bin: &Path, commands: &[&[&str]], runs: usize) -> Result<Vec<Timing>, String> {
    let mut timings: Vec<Timing> = commands.iter().map(|_| Timing::default()).collect();
    for _ in 0..runs {
        for (args, timing) in commands.iter().zip(timings.iter_mut()) {
            timing.record(run(bin, args)?);
        }
    }
    Ok(timings)
}

/// Writes FILE with one value changed: the first site-level `asp/session` timeout.
fn changed_copy(file: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let location = text
        .find("<location path=\"Site")
        .ok_or("no site <location> in the file: write it with synth_apphost")?;
    let timeout = text
        .get(location..)
        .and_then(|rest| rest.find("timeout=\""))
        .map(|at| location + at + "timeout=\"".len())
        .ok_or("no asp/session timeout in a site <location>")?;
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..timeout).unwrap_or_default());
    out.push_str("12:34:00");
    let rest = text.get(timeout..).unwrap_or_default();
    out.push_str(rest.get(rest.find('"').unwrap_or(0)..).unwrap_or_default());
    let target = file.with_extension("changed.config");
    std::fs::write(&target, out).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(target)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut runs = 3;
    let mut bin = measure::iisconf_binary();
    let mut from_example = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--from-example" => from_example = true,
            "--runs" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => runs = n,
                None => return usage(),
            },
            "--bin" => match args.next() {
                Some(b) => bin = PathBuf::from(b),
                None => return usage(),
            },
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    let Some(file) = file else {
        return usage();
    };
    let result = changed_copy(&file).and_then(|changed| {
        let old = file.to_string_lossy().into_owned();
        let new = changed.to_string_lossy().into_owned();
        let lint: &[&str] = &["lint", &old, "--format", "json"];
        let diff: &[&str] = &["diff", &old, &new];
        let diff_json: &[&str] = &["diff", &old, &new, "--format", "json"];
        alternate(&bin, &[lint, diff, diff_json], runs)
    });
    match result.as_deref() {
        Ok([lint, diff, json]) => {
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            println!("runs: {runs} each, alternating (medians)");
            println!(
                "lint FILE               {:>8.0} ms  (exit {:?})",
                ms(lint.median()),
                lint.code
            );
            println!(
                "diff FILE CHANGED       {:>8.0} ms  (exit {:?})",
                ms(diff.median()),
                diff.code
            );
            println!("diff --format json      {:>8.0} ms", ms(json.median()));
            println!(
                "ratio diff / lint       {:>8.2}   (goal ≤ 1.5)",
                diff.median().as_secs_f64() / lint.median().as_secs_f64().max(1e-9)
            );
            if from_example {
                let example = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/example/applicationHost.config");
                let (example, file) = (example.to_string_lossy(), file.to_string_lossy());
                let args: &[&str] = &["diff", &example, &file, "--format", "json"];
                match run(&bin, args) {
                    Ok((time, code)) => println!(
                        "diff EXAMPLE FILE       {:>8.0} ms  (exit {code:?}, once)",
                        ms(time)
                    ),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(1);
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
