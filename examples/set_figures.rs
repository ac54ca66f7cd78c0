//! Edit figures for a large applicationHost.config: the time of one `set` (lock the file,
//! open the hierarchy, plan, apply, re-check the section, atomic write with the on-disk
//! comparison and the backup) against the time to read, parse and write the same file once (read + `Document::parse` + `to_bytes` + write +
//! fsync). Medians (and the fastest) of 10 runs each; the file is restored between runs
//! (not timed). Freeing the edited hierarchy is timed as a phase of its own, since the
//! `iisconf` binary frees it before it exits.
//!
//! ```text
//! cargo run --release --example synth_apphost -- --target-mb 100 --out target/synth.config
//! cargo run --release --example set_figures -- --file target/synth.config
//! ```

/// The same allocator as the `iisconf` binary, so the figures are the tool's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/measure.rs"]
mod measure;

use iisconf::atomic_file::{WriteGuard, DEFAULT_LOCK_TIMEOUT};
use iisconf::edit::{CommitOptions, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use iisconf::xml::Document;
use measure::median;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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

/// The phases of one set: open (read, parse, hierarchy), prepare (plan, apply, re-check),
/// commit (atomic write).
struct Phases {
    open: Duration,
    prepare: Duration,
    commit: Duration,
    free: Duration,
}

/// One set, from opening the hierarchy to freeing it, as `iisconf set` does it.
fn one_set(path: &Path, site: &str, backup: bool) -> Result<Phases, Box<dyn std::error::Error>> {
    let started = Instant::now();
    // As `iisconf set`: the file is locked before it is read, until after the commit.
    let guard = WriteGuard::acquire(&[path], DEFAULT_LOCK_TIMEOUT)?;
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
    let written = prepared.commit(&CommitOptions::default().no_backup(!backup))?;
    let commit = started.elapsed();
    for w in written {
        if let Some(b) = w.backup {
            std::fs::remove_file(b)?;
        }
    }
    let started = Instant::now();
    drop(prepared);
    drop(guard);
    let free = started.elapsed();
    Ok(Phases {
        open,
        prepare,
        commit,
        free,
    })
}

impl Phases {
    fn total(&self) -> Duration {
        self.open + self.prepare + self.commit + self.free
    }
}

/// Writes the original bytes back and flushes them (untimed), so the next measurement does
/// not pay for flushing this write.
fn restore(path: &Path, original: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, original)?;
    std::fs::File::open(path)?.sync_all()?;
    // Everything else the last measurement wrote or deleted is flushed too (sync(1) where
    // there is one), so that it does not slow the next measurement's fsync.
    let _ = std::process::Command::new("sync").status();
    Ok(())
}

fn first_site(text: &str) -> Option<String> {
    let i = text.find("<site name=\"")? + "<site name=\"".len();
    let end = text.get(i..)?.find('"')?;
    text.get(i..i + end).map(str::to_string)
}

/// A site that no `<location>` tag names (a set there creates one).
fn site_without_location(text: &str) -> Option<String> {
    text.match_indices("<site name=\"").find_map(|(i, tag)| {
        let rest = text.get(i + tag.len()..)?;
        let name = rest.get(..rest.find('"')?)?;
        let tagged = text.contains(&format!("<location path=\"{name}\""))
            || text.contains(&format!("<location path=\"{name}/"));
        (!tagged).then(|| name.to_string())
    })
}

/// What is measured: the baseline, or a set on a site (with a backup or without).
#[derive(Clone, Copy)]
enum Measure<'a> {
    Baseline,
    Set { site: &'a str, backup: bool },
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
    let text = String::from_utf8_lossy(&original);
    let site = first_site(&text).ok_or("no <site name=…> in the file")?;
    let bare = site_without_location(&text).ok_or("every site has a <location> tag")?;
    let dir = tempfile_dir(&file)?;
    let work = dir.join("applicationHost.config");
    let copy = dir.join("copy.config");

    let measures = [
        Measure::Baseline,
        Measure::Set {
            site: &site,
            backup: false,
        },
        Measure::Set {
            site: &site,
            backup: true,
        },
        Measure::Set {
            site: &bare,
            backup: false,
        },
    ];
    let mut totals: Vec<Vec<Duration>> = vec![Vec::new(); measures.len()];
    let mut phases: Vec<Vec<Phases>> = (0..measures.len()).map(|_| Vec::new()).collect();
    // The measurements take turns in every position: the file system makes a write that
    // follows another large write slower, whichever measurement it belongs to.
    for run in 0..RUNS {
        for turn in 0..measures.len() {
            let m = (run + turn) % measures.len();
            restore(&work, &original)?;
            match measures[m] {
                Measure::Baseline => {
                    // A new file, like the temporary file a set writes.
                    let _ = std::fs::remove_file(&copy);
                    let _ = std::process::Command::new("sync").status();
                    let t = Instant::now();
                    read_parse_write(&work, &copy)?;
                    totals[m].push(t.elapsed());
                }
                Measure::Set { site, backup } => {
                    let timed = one_set(&work, site, backup)?;
                    totals[m].push(timed.total());
                    phases[m].push(timed);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let least = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
    let b = median(totals[0].clone());
    let b_min = least(&totals[0]);
    let mb = original.len() as f64 / 1e6;
    println!(
        "file: {} ({mb:.1} MB), set: session.max --commit apphost",
        file.display()
    );
    println!("median (fastest) of {RUNS} runs each; the fsync of a 100 MB file sometimes takes several times longer on this disk, hence both");
    println!(
        "read+parse+write once                : {:>6.1} ms ({:.1} ms)",
        ms(b),
        ms(b_min)
    );
    let labels = [
        "",
        "set, existing <location> (no backup)",
        "set, existing <location> (backup)   ",
        "set, new <location> (no backup)     ",
    ];
    for m in 1..measures.len() {
        let t = median(totals[m].clone());
        let t_min = least(&totals[m]);
        let of = |f: fn(&Phases) -> Duration| median(phases[m].iter().map(f).collect());
        println!(
            "{} : {:>6.1} ms ({:.1} ms)  ratio {:.2}x ({:.2}x)  phases: open {:.1}, prepare {:.1}, commit {:.1}, free {:.1} ms",
            labels[m],
            ms(t),
            ms(t_min),
            t.as_secs_f64() / b.as_secs_f64(),
            t_min.as_secs_f64() / b_min.as_secs_f64(),
            ms(of(|p| p.open)),
            ms(of(|p| p.prepare)),
            ms(of(|p| p.commit)),
            ms(of(|p| p.free)),
        );
    }
    println!("sites: \"{site}\" (has a <location>), \"{bare}\" (has none)");
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
