//! Object-verb figures for a large applicationHost.config: the time of one
//! `iisconf appcmd add site /name:… /bindings:… /physicalPath:…` (the release binary, run
//! as a script runs it: open the hierarchy, derive the new site's id, queue the edits,
//! validate, write atomically) against the time to read, parse and write the same file once
//! (read + `Document::parse` + `to_bytes` + write + fsync, in this process). Medians (and
//! the fastest) of 10 runs each; the file is restored between runs (not timed).
//!
//! ```text
//! cargo build --release --bin iisconf
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/synth.config
//! cargo run --release --example server_figures -- --file target/synth.config
//! ```

#[path = "support/measure.rs"]
mod measure;

use iisconf::xml::Document;
use measure::median;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const RUNS: usize = 10;

fn read_parse_write(path: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let doc = Document::parse(&bytes)?;
    let mut f = std::fs::File::create(out)?;
    f.write_all(&doc.to_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// Writes the original bytes back and flushes them (untimed).
fn restore(path: &Path, original: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, original)?;
    std::fs::File::open(path)?.sync_all()?;
    let _ = std::process::Command::new("sync").status();
    Ok(())
}

/// The `iisconf` binary built beside this example (target/release/iisconf).
fn binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the example is not in target/PROFILE/examples")?;
    let bin = dir.join(format!("iisconf{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: cargo build --release --bin iisconf",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// One `appcmd add site` through the binary.
fn add_site(
    bin: &Path,
    apphost: &Path,
    backup: bool,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let mut cmd = Command::new(bin);
    cmd.args([
        "appcmd",
        "add",
        "site",
        "/name:Benchmark",
        "/bindings:http/*:8080:,https/*:8443:bench.example.com",
        "/physicalPath:C:\\inetpub\\benchmark",
    ])
    .arg(format!("/apphostconfig:{}", apphost.display()));
    if !backup {
        cmd.arg("--no-backup");
    }
    let started = Instant::now();
    let out = cmd.output()?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(format!("add site failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(took)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut file = PathBuf::from("target/synth.config");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--file" => file = args.next().map(PathBuf::from).ok_or("--file PATH")?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let bin = binary()?;
    let original = std::fs::read(&file)
        .map_err(|e| format!("{}: {e} (generate it with synth_apphost)", file.display()))?;
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = parent.join(format!("server-figures-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let work = dir.join("applicationHost.config");
    let copy = dir.join("copy.config");

    // 0: read+parse+write; 1: add site without a backup; 2: with a backup.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); 3];
    for run in 0..RUNS {
        for turn in 0..3 {
            let m = (run + turn) % 3;
            restore(&work, &original)?;
            let took = match m {
                0 => {
                    let _ = std::fs::remove_file(&copy);
                    let _ = std::process::Command::new("sync").status();
                    let t = Instant::now();
                    read_parse_write(&work, &copy)?;
                    t.elapsed()
                }
                m => add_site(&bin, &work, m == 2)?,
            };
            times[m].push(took);
            for e in std::fs::read_dir(&dir)?.flatten() {
                if e.file_name().to_string_lossy().contains(".iisconf-backup-") {
                    std::fs::remove_file(e.path())?;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let least = |t: &[Duration]| t.iter().min().copied().unwrap_or_default();
    let base = median(times[0].clone());
    let base_min = least(&times[0]);
    println!(
        "file: {} ({:.1} MB); median (fastest) of {RUNS} runs each",
        file.display(),
        original.len() as f64 / 1e6
    );
    println!(
        "read+parse+write once                 : {:>7.1} ms ({:.1} ms)",
        ms(base),
        ms(base_min)
    );
    for (m, label) in [
        (1, "appcmd add site (--no-backup)        "),
        (2, "appcmd add site (with a backup)      "),
    ] {
        let t = median(times[m].clone());
        let t_min = least(&times[m]);
        println!(
            "{label} : {:>7.1} ms ({:.1} ms)  ratio {:.2}x ({:.2}x)",
            ms(t),
            ms(t_min),
            t.as_secs_f64() / base.as_secs_f64(),
            t_min.as_secs_f64() / base_min.as_secs_f64()
        );
    }
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
