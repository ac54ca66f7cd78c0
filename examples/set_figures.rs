//! Edit figures for a large applicationHost.config: the time of one `set` (open the
//! hierarchy, plan, apply, re-check the section, atomic write) against the time to read,
//! parse and write the same file once (read + `Document::parse` + `to_bytes` + write +
//! fsync). Medians of 9 runs each; the file is restored between runs (not timed), and the
//! edited hierarchy is freed outside the timed part (the `iisconf` binary leaves that to
//! the process exit).
//!
//! ```text
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/synth.config
//! cargo run --release --example set_figures -- --file target/synth.config
//! ```

/// The same allocator as the `iisconf` binary, so the figures are the tool's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use iisconf::edit::{CommitOptions, Prepared, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn read_parse_write(path: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let doc = Document::parse(&bytes)?;
    let mut f = std::fs::File::create(out)?;
    f.write_all(&doc.to_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// The phases of one set: open (read, parse, hierarchy), prepare (plan, apply, re-check),
/// commit (atomic write).
struct Phases {
    open: Duration,
    prepare: Duration,
    commit: Duration,
}

/// One set; the edited hierarchy is returned so that it is freed outside the timed part,
/// as `iisconf set` leaves that to the process exit.
fn one_set(
    path: &Path,
    site: &str,
    backup: bool,
) -> Result<(Phases, Prepared), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let options = Options {
        apphost: Some(path.to_path_buf()),
        ..Options::default()
    };
    let h = Hierarchy::open(Registry::embedded(), &options)?;
    let open = started.elapsed();
    let started = Instant::now();
    let mut tx = Transaction::new(h);
    tx.set(
        site,
        "system.webServer/asp",
        &CommitTarget::AppHost,
        "session.max",
        "1000",
    )?;
    let prepared = tx.prepare()?;
    let prepare = started.elapsed();
    let started = Instant::now();
    let written = prepared.commit(&CommitOptions {
        no_backup: !backup,
        ..CommitOptions::default()
    })?;
    let commit = started.elapsed();
    for w in written {
        if let Some(b) = w.backup {
            std::fs::remove_file(b)?;
        }
    }
    Ok((
        Phases {
            open,
            prepare,
            commit,
        },
        prepared,
    ))
}

impl Phases {
    fn total(&self) -> Duration {
        self.open + self.prepare + self.commit
    }
}

/// Writes the original bytes back and flushes them (untimed), so the next measurement does
/// not pay for flushing this write.
fn restore(path: &Path, original: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, original)?;
    std::fs::File::open(path)?.sync_all()
}

fn first_site(text: &str) -> Option<String> {
    let i = text.find("<site name=\"")? + "<site name=\"".len();
    let end = text.get(i..)?.find('"')?;
    text.get(i..i + end).map(str::to_string)
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
    let original = std::fs::read(&file)
        .map_err(|e| format!("{}: {e} (generate it with synth_apphost)", file.display()))?;
    let site =
        first_site(&String::from_utf8_lossy(&original)).ok_or("no <site name=…> in the file")?;
    let dir = tempfile_dir(&file)?;
    let work = dir.join("applicationHost.config");
    let copy = dir.join("copy.config");

    let mut baseline = Vec::new();
    let mut set_backup = Vec::new();
    let mut set_plain = Vec::new();
    let mut phases = Vec::new();
    // The three measurements take turns in every position: the file system makes a write
    // that follows another large write slower, whichever measurement it belongs to.
    for run in 0..RUNS {
        for turn in 0..3 {
            restore(&work, &original)?;
            match (run + turn) % 3 {
                0 => {
                    let t = Instant::now();
                    read_parse_write(&work, &copy)?;
                    baseline.push(t.elapsed());
                }
                1 => {
                    let (timed, prepared) = one_set(&work, &site, false)?;
                    set_plain.push(timed.total());
                    phases.push(timed);
                    drop(prepared);
                }
                _ => {
                    let (timed, prepared) = one_set(&work, &site, true)?;
                    set_backup.push(timed.total());
                    drop(prepared);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let b = median(baseline);
    let p = median(set_plain);
    let open = median(phases.iter().map(|x| x.open).collect());
    let prepare = median(phases.iter().map(|x| x.prepare).collect());
    let commit = median(phases.iter().map(|x| x.commit).collect());
    let k = median(set_backup);
    let mb = original.len() as f64 / 1e6;
    println!(
        "file: {} ({mb:.1} MB), set: session.max on \"{site}\" --commit apphost",
        file.display()
    );
    println!("read+parse+write once : {:>8.1} ms", b.as_secs_f64() * 1e3);
    println!(
        "set (no backup)       : {:>8.1} ms  ratio {:.2}x",
        p.as_secs_f64() * 1e3,
        p.as_secs_f64() / b.as_secs_f64()
    );
    println!(
        "set (with backup)     : {:>8.1} ms  ratio {:.2}x",
        k.as_secs_f64() * 1e3,
        k.as_secs_f64() / b.as_secs_f64()
    );
    println!(
        "  phases (no backup)  : open {:.1} ms, prepare {:.1} ms, commit {:.1} ms",
        open.as_secs_f64() * 1e3,
        prepare.as_secs_f64() * 1e3,
        commit.as_secs_f64() * 1e3
    );
    Ok(())
}

/// A scratch folder next to the file (same file system, like the real temp file).
fn tempfile_dir(file: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = parent.join(format!("set-figures-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
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
