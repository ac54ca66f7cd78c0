//! A folder of many real web.config files, and how fast it is linted.
//!
//! Writes a tree of copies of the web.config files of ../shared/corpus (5,000 files by
//! default, about 125 MB: `site-NN/app-NNN/web.config`), then, with `--bench`, times in one
//! sitting, each run alternating with the others:
//!
//! * `iisconf lint DIR --schema-dir SCHEMA --format json` (every rule on every file),
//! * `xmllint --noout --stream` over the same files (well-formedness only, one process),
//! * `iisconf check FILE…` over the same files (well-formedness only),
//!
//! and prints the medians, the ratio lint / xmllint and lint's peak memory.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example web_tree -- [--files N] [--out DIR] [--bench] [--runs N]
//! ```
//!
//! The tree goes to target/bench-data/web-tree-N unless `--out` is given, and is written once
//! (delete the folder to write it again). `IISCONF_SHARED` points at ../shared elsewhere.

#[path = "support/measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Files per folder of the tree (a site with its applications).
const FILES_PER_SITE: usize = 100;

struct Args {
    files: usize,
    out: Option<PathBuf>,
    bench: bool,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        files: 5000,
        out: None,
        bench: false,
        runs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--files" => args.files = number(it.next())?,
            "--runs" => args.runs = number(it.next())?.max(1),
            "--out" => args.out = it.next().map(PathBuf::from),
            "--bench" => args.bench = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn number(text: Option<String>) -> Result<usize, String> {
    text.as_deref()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| "expected a number".to_string())
}

fn shared() -> PathBuf {
    std::env::var_os("IISCONF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")))
}

/// The web.config files of the corpus (by name: `…web.config`, any case), in name order.
fn corpus_web_configs(corpus: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.to_ascii_lowercase().ends_with("web.config"))
        })
        .collect();
    paths.sort();
    paths.iter().map(std::fs::read).collect()
}

/// Writes `files` copies of `sources` (in turn) under `dir`; returns the bytes written.
fn write_tree(dir: &Path, sources: &[Vec<u8>], files: usize) -> std::io::Result<u64> {
    let mut bytes = 0;
    for i in 0..files {
        let Some(source) = sources.get(i % sources.len().max(1)) else {
            break;
        };
        let folder = dir
            .join(format!("site-{:02}", i / FILES_PER_SITE))
            .join(format!("app-{:03}", i % FILES_PER_SITE));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join("web.config"), source)?;
        bytes += source.len() as u64;
    }
    Ok(bytes)
}

/// Every web.config under `dir`, in name order.
fn tree_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let path = e?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "web.config") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn bench(dir: &Path, runs: usize, schema: &Path) -> Result<(), String> {
    let binary = measure::iisconf_binary();
    if !binary.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release` first (or set IISCONF_BIN)",
            binary.display()
        ));
    }
    let files = tree_files(dir).map_err(|e| e.to_string())?;
    let dir_arg = dir.display().to_string();
    let lint_args = vec![
        "lint".to_string(),
        dir_arg.clone(),
        "--schema-dir".to_string(),
        schema.display().to_string(),
        "--format".to_string(),
        "json".to_string(),
    ];
    let mut lint_times = Vec::new();
    let mut xmllint_times = Vec::new();
    let mut check_times = Vec::new();
    for _ in 0..runs {
        lint_times.push(measure::timed(Command::new(&binary).args(&lint_args))?);
        xmllint_times.push(measure::timed(
            Command::new("xmllint")
                .args(["--noout", "--stream"])
                .args(&files),
        )?);
        check_times.push(measure::timed(
            Command::new(&binary).arg("check").args(&files),
        )?);
    }
    let lint = measure::median(lint_times);
    let xmllint = measure::median(xmllint_times);
    let check = measure::median(check_times);
    println!("{} files, {runs} runs each, medians:", files.len());
    println!("  iisconf lint (json)      {:>8.3} s", lint.as_secs_f64());
    println!(
        "  xmllint --noout --stream {:>8.3} s",
        xmllint.as_secs_f64()
    );
    println!("  iisconf check            {:>8.3} s", check.as_secs_f64());
    println!(
        "  ratio lint / xmllint     {:>8.2}",
        lint.as_secs_f64() / xmllint.as_secs_f64().max(1e-9)
    );
    match measure::peak_rss(&binary, &lint_args) {
        Some(bytes) => println!(
            "  lint peak memory         {:>8.0} MB",
            bytes as f64 / (1024.0 * 1024.0)
        ),
        None => println!("  lint peak memory         (needs /usr/bin/time)"),
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let shared = shared();
    let corpus = shared.join("corpus");
    let dir = args.out.clone().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-data")
            .join(format!("web-tree-{}", args.files))
    });
    if !dir.is_dir() {
        let sources = corpus_web_configs(&corpus)
            .map_err(|e| format!("{}: {e} (set IISCONF_SHARED)", corpus.display()))?;
        if sources.is_empty() {
            return Err(format!("{}: no web.config files", corpus.display()));
        }
        let bytes = write_tree(&dir, &sources, args.files).map_err(|e| e.to_string())?;
        println!(
            "wrote {} files ({:.1} MB) to {}",
            args.files,
            bytes as f64 / 1e6,
            dir.display()
        );
    }
    if args.bench {
        bench(&dir, args.runs, &shared.join("iis-schema"))?;
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
