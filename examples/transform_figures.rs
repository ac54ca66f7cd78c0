//! Transform figures for a large applicationHost.config: the time of one `iisconf
//! transform` (read, parse, read the transform, apply 100 `SetAttributes` located by
//! `Match(name)` on sites spread over the file, serialize, atomic write with fsync) against
//! one read, parse and write of the same file (read + `Document::from_vec` + `to_bytes` +
//! the same atomic write). Both runs write the same way, so the ratio measures the
//! transform and not the disk: a plain overwrite of the old output and a new file renamed
//! over it cost differently, and an fsync of 100 MB on a shared disk varies by seconds
//! from one run to the next. The two alternate in one process, each pair in turn
//! starting with the other, so cache and neighbours weigh on both alike. Each phase is
//! timed; medians (and the fastest) of the runs; the target is at most 2×.
//!
//! ```text
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/synth.config
//! cargo run --release --example transform_figures -- --file target/synth.config
//! ```

/// The same allocator as the `iisconf` binary, so the figures are the tool's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/measure.rs"]
mod measure;

use iisconf::xdt::Transform;
use iisconf::xml::Document;
use measure::median;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const DEFAULT_RUNS: usize = 7;
const SET_ATTRIBUTES: usize = 100;

/// The phases of one run, in order.
const PHASES: [&str; 5] = ["read", "parse", "transform", "serialize", "write+sync"];

/// How long each phase of one run took.
type Phases = [Duration; 5];

/// Writes `bytes` to `out` as `iisconf transform --out` does: a synced temporary file
/// renamed over the target.
fn write_atomic(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
    iisconf_core::atomic_file::TempFile::write(out, bytes)?.replace()
}

/// One run: read, parse, apply `xdt` when given (parsing the transform is part of it),
/// serialize, write. Returns the phases' times and the number of edits.
fn one_run(
    path: &Path,
    xdt: Option<&[u8]>,
    out: &Path,
) -> Result<(Phases, usize), Box<dyn std::error::Error>> {
    let mut phases = Phases::default();
    let mut clock = Instant::now();
    let mut lap = |phase: usize| {
        if let Some(slot) = phases.get_mut(phase) {
            *slot = clock.elapsed();
        }
        clock = Instant::now();
    };
    let bytes = std::fs::read(path)?;
    lap(0);
    let mut doc = Document::from_vec(bytes)?;
    lap(1);
    let mut edits = 0;
    if let Some(xdt) = xdt {
        let transform = Transform::parse(xdt, "bench.xdt", &[])?;
        let outcome = transform.apply(&mut doc);
        if !outcome.succeeded() {
            return Err(outcome.log.render("bench.xdt", "source").into());
        }
        edits = outcome.edits.len();
    }
    lap(2);
    let text = doc.to_bytes();
    drop(doc);
    lap(3);
    write_atomic(out, &text)?;
    drop(text);
    lap(4);
    Ok((phases, edits))
}

/// A transform of `count` SetAttributes by `Match(name)`, on sites spread over the file.
fn transform_text(site_names: &[String], count: usize) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\">\n  <system.applicationHost>\n    <sites>\n",
    );
    let step = (site_names.len() / count.max(1)).max(1);
    for name in site_names.iter().step_by(step).take(count) {
        text.push_str(&format!(
            "      <site name=\"{name}\" serverAutoStart=\"false\" xdt:Transform=\"SetAttributes(serverAutoStart)\" xdt:Locator=\"Match(name)\" />\n"
        ));
    }
    text.push_str("    </sites>\n  </system.applicationHost>\n</configuration>\n");
    text
}

/// The names of the sites in the file.
fn site_names(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let doc = Document::from_vec(std::fs::read(path)?)?;
    let sites = doc
        .root_element()
        .and_then(|r| doc.child_element(r, "system.applicationHost"))
        .and_then(|h| doc.child_element(h, "sites"))
        .ok_or("the file has no system.applicationHost/sites")?;
    Ok(doc
        .child_elements(sites)
        .filter_map(|s| doc.attribute_value(s, "name").map(|n| n.into_owned()))
        .collect())
}

/// The median of phase `phase` (or of the totals, for `None`) over `runs`.
fn phase_median(runs: &[Phases], phase: Option<usize>) -> Duration {
    median(
        runs.iter()
            .map(|p| match phase {
                Some(i) => p.get(i).copied().unwrap_or_default(),
                None => p.iter().sum(),
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut file = PathBuf::from("target/synth.config");
    let mut runs = DEFAULT_RUNS;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--file" => file = args.next().map(PathBuf::from).ok_or("--file PATH")?,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).ok_or("--runs N")?,
            other => {
                return Err(format!("unknown argument `{other}`; use --file PATH --runs N").into())
            }
        }
    }
    let size = std::fs::metadata(&file)?.len();
    let names = site_names(&file)?;
    let xdt = transform_text(&names, SET_ATTRIBUTES);
    let out = std::env::temp_dir().join("iisconf-transform-figures.config");
    let mut baseline = Vec::new();
    let mut transform = Vec::new();
    let mut ratios = Vec::new();
    let mut edits = 0;
    for i in 0..runs {
        let (base, tr) = if i % 2 == 0 {
            let base = one_run(&file, None, &out)?.0;
            (base, one_run(&file, Some(xdt.as_bytes()), &out)?)
        } else {
            let tr = one_run(&file, Some(xdt.as_bytes()), &out)?;
            (one_run(&file, None, &out)?.0, tr)
        };
        edits = tr.1;
        let total = |p: &Phases| p.iter().sum::<Duration>().as_secs_f64();
        ratios.push(total(&tr.0) / total(&base).max(1e-9));
        baseline.push(base);
        transform.push(tr.0);
    }
    let _ = std::fs::remove_file(&out);
    println!(
        "file: {} ({:.1} MB, {} sites); transform: {SET_ATTRIBUTES} SetAttributes by Match ({edits} attributes set); {runs} runs, alternating",
        file.display(),
        size as f64 / 1e6,
        names.len()
    );
    println!("median ms         {:>10} {:>10}", "baseline", "transform");
    for (i, phase) in PHASES.iter().enumerate() {
        println!(
            "  {phase:<15} {:>10.0} {:>10.0}",
            ms(phase_median(&baseline, Some(i))),
            ms(phase_median(&transform, Some(i)))
        );
    }
    let (base, tr) = (
        phase_median(&baseline, None),
        phase_median(&transform, None),
    );
    println!("  {:<15} {:>10.0} {:>10.0}", "total", ms(base), ms(tr));
    let fastest = |r: &[Phases]| r.iter().map(|p| p.iter().sum()).min().unwrap_or_default();
    println!(
        "  {:<15} {:>10.0} {:>10.0}",
        "fastest total",
        ms(fastest(&baseline)),
        ms(fastest(&transform))
    );
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "ratio (median totals): {:.2}×; per pair: median {:.2}×, range {:.2}×–{:.2}× (target ≤ 2×)",
        tr.as_secs_f64() / base.as_secs_f64().max(1e-9),
        sorted.get(sorted.len() / 2).copied().unwrap_or_default(),
        sorted.first().copied().unwrap_or_default(),
        sorted.last().copied().unwrap_or_default()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
