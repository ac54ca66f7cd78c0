//! `iisconf transform SOURCE TRANSFORM…`: applies XDT transforms (Web.Release.config,
//! applicationHost.xdt) in order and writes the result atomically, or to stdout.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::xdt::{Severity, Transform};
use iisconf::xml::Document;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `iisconf transform`.
#[derive(clap::Args)]
pub struct TransformArgs {
    /// The configuration file to transform (e.g. Web.config); `-` reads standard input.
    source: PathBuf,
    /// Transform files (e.g. Web.Release.config), applied in order.
    #[arg(required = true)]
    transforms: Vec<PathBuf>,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the log, in Microsoft.Web.XmlTransform's wording, to FILE.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Expand %NAME% in the transforms to VALUE (App Service's XDT_* variables).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!(
            "`{text}` is not NAME=VALUE; write e.g. --var XDT_SITENAME=site1"
        )),
    }
}

/// The bytes of a file, or of standard input for `-`.
fn read(path: &Path) -> Result<Vec<u8>, u8> {
    super::stdin::read(path).map_err(|e| {
        eprintln!("{}: error: cannot read the file: {e}", path.display());
        EXIT_USAGE
    })
}

/// Applies the transforms; exit 0 applied, 1 a transform error (nothing written), 2
/// unreadable input.
pub fn run(args: TransformArgs) -> u8 {
    match transform(&args) {
        Ok(code) | Err(code) => code,
    }
}

fn transform(args: &TransformArgs) -> Result<u8, u8> {
    if args.transforms.iter().any(|t| super::stdin::is_stdin(t)) {
        eprintln!("error: only the source can be read from standard input (-), not a transform");
        return Err(EXIT_USAGE);
    }
    let bytes = read(&args.source)?;
    let mut document = Document::from_vec(bytes).map_err(|e| {
        eprintln!(
            "{}:{}: error: {}",
            args.source.display(),
            e.position,
            e.message
        );
        if let Some(help) = &e.help {
            eprintln!("  help: {help}");
        }
        EXIT_USAGE
    })?;
    let mut transforms = Vec::new();
    for path in &args.transforms {
        let bytes = read(path)?;
        let name = path.display().to_string();
        let parsed = Transform::parse(&bytes, &name, &args.vars).map_err(|e| {
            eprintln!("{e}");
            EXIT_USAGE
        })?;
        transforms.push(parsed);
    }
    let source_name = args.source.display().to_string();
    let mut log = String::new();
    let mut errors = 0;
    let mut outcome = iisconf::xdt::Outcome::default();
    for t in &transforms {
        // Each file after the ones before it: the elements they inserted keep their
        // transform positions in this file's log.
        outcome = t.apply_after(&mut document, &outcome);
        log.push_str(&outcome.log.render(&t.file, &source_name));
        for line in outcome.log.diagnostics() {
            eprintln!("{}", line.render(&t.file, &source_name));
            if line.severity == Severity::Error {
                errors += 1;
            }
        }
    }
    if let Some(path) = &args.log {
        write_file(path, log.as_bytes())?;
    }
    if errors > 0 {
        eprintln!(
            "error: {errors} transform error(s); nothing was written. Fix the transform at the lines above."
        );
        return Ok(EXIT_FINDINGS);
    }
    let output = document.to_bytes();
    match &args.out {
        Some(path) => write_file(path, &output)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&output).and_then(|_| stdout.flush()) {
                eprintln!("error: cannot write to stdout: {e}");
                return Err(EXIT_USAGE);
            }
        }
    }
    Ok(EXIT_OK)
}

/// Writes an output file through the one write path (locked, atomic, keeping owner, mode
/// and links), over whatever it held, without a backup.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), u8> {
    use iisconf::atomic_file::{write_files, Expected, FileWrite, WriteOptions};
    let file = FileWrite {
        path: path.to_path_buf(),
        expected: Expected::Anything,
        bytes: std::borrow::Cow::Borrowed(bytes),
    };
    match write_files(&[file], &WriteOptions::default().no_backup(true)) {
        Ok(written) => {
            for note in written.iter().flat_map(|w| &w.notes) {
                eprintln!("note: {note}");
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(EXIT_USAGE)
        }
    }
}
