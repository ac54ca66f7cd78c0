//! Transform figures for a large applicationHost.config: the time of one `iisconf
//! transform` (read, parse, read the transform, apply 100 `SetAttributes` located by
//! `Match(name)` on sites spread over the file, atomic write with fsync) against one read,
//! parse and write of the same file (read + `Document::from_vec` + `to_bytes` + write +
//! fsync). Medians (and the fastest) of the runs; the target is at most 2×.
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
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const DEFAULT_RUNS: usize = 7;
const SET_ATTRIBUTES: usize = 100;

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn read_parse_write(path: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let doc = Document::from_vec(std::fs::read(path)?)?;
    write_synced(out, &doc.to_bytes())?;
    Ok(())
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

/// One transform as `iisconf transform SOURCE T --out OUT` does it.
fn one_transform(path: &Path, xdt: &[u8], out: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let mut doc = Document::from_vec(std::fs::read(path)?)?;
    let transform = Transform::parse(xdt, "bench.xdt", &[])?;
    let outcome = transform.apply(&mut doc);
    if !outcome.succeeded() {
        return Err(outcome.log.render("bench.xdt", "source").into());
    }
    let temp = iisconf_core::atomic_file::TempFile::write(out, &doc.to_bytes())?;
    temp.replace()?;
    Ok(outcome.edits.len())
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
    let mut edits = 0;
    for _ in 0..runs {
        let started = Instant::now();
        read_parse_write(&file, &out)?;
        baseline.push(started.elapsed());
        let started = Instant::now();
        edits = one_transform(&file, xdt.as_bytes(), &out)?;
        transform.push(started.elapsed());
    }
    let _ = std::fs::remove_file(&out);
    let fastest = |t: &[Duration]| t.iter().min().copied().unwrap_or_default();
    let (base_fast, tr_fast) = (fastest(&baseline), fastest(&transform));
    let (base, tr) = (median(baseline), median(transform));
    println!(
        "file: {} ({:.1} MB, {} sites); transform: {SET_ATTRIBUTES} SetAttributes by Match ({edits} attributes set); {runs} runs",
        file.display(),
        size as f64 / 1e6,
        names.len()
    );
    println!(
        "read+parse+write: median {:.0} ms (fastest {:.0} ms)",
        base.as_secs_f64() * 1e3,
        base_fast.as_secs_f64() * 1e3
    );
    println!(
        "transform:        median {:.0} ms (fastest {:.0} ms)",
        tr.as_secs_f64() * 1e3,
        tr_fast.as_secs_f64() * 1e3
    );
    println!(
        "ratio (medians): {:.2}× (target ≤ 2×)",
        tr.as_secs_f64() / base.as_secs_f64().max(1e-9)
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
