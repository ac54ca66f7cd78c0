//! Writes the project's schema fact files (`schema/iis/*.xml`, `schema/addons/*.xml`) from
//! real IIS schema folders, checks that the committed ones are current, and lists the
//! schema paths that still lack a description.
//!
//! ```text
//! cargo run --example schema_facts -- [--check] [--schema OUT] [DIR…]
//! cargo run --example schema_facts -- --undescribed [--corpus DIR] [DIR…]
//! cargo run --example schema_facts -- --warnings [DIR…]
//! ```
//!
//! `DIR…` defaults to `../shared/iis-schema` and `../shared/iis-schema-addons` (or below
//! `$IISCONF_SHARED`); `OUT` defaults to `schema`. `--check` writes nothing and exits with 1
//! when a committed file differs. `--undescribed` prints every section, element and
//! collection entry without a description, with `--corpus` every attribute set in the
//! corpus's `*.config` files that has none, and every description of a path the schema
//! does not define. `--warnings` prints what the library's loader warns about when it reads
//! the folders (the real files' quirks it reads around or cannot represent).

#[path = "support/facts.rs"]
mod facts;

use iisconf::schema::Registry;
use std::path::PathBuf;
use std::process::ExitCode;

fn shared() -> PathBuf {
    std::env::var_os("IISCONF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"))
}

fn main() -> ExitCode {
    let mut check = false;
    let mut undescribed = false;
    let mut warnings = false;
    let mut schema = PathBuf::from("schema");
    let mut corpus = None;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => check = true,
            "--undescribed" => undescribed = true,
            "--warnings" => warnings = true,
            "--schema" => schema = args.next().map(PathBuf::from).unwrap_or(schema),
            "--corpus" => corpus = args.next().map(PathBuf::from),
            _ => dirs.push(PathBuf::from(a)),
        }
    }
    if dirs.is_empty() {
        dirs = vec![
            shared().join("iis-schema"),
            shared().join("iis-schema-addons"),
        ];
    }
    let result = if warnings {
        list_warnings(&dirs)
    } else if undescribed {
        list_undescribed(&schema, &dirs, corpus)
    } else {
        generate(&schema, &dirs, check)
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("schema_facts: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(schema: &std::path::Path, dirs: &[PathBuf], check: bool) -> Result<ExitCode, String> {
    let outputs = facts::render(dirs)?;
    if !check {
        facts::write(schema, &outputs)?;
        println!("wrote {} files below {}", outputs.len(), schema.display());
        return Ok(ExitCode::SUCCESS);
    }
    let problems = facts::check(schema, &outputs)?;
    for p in &problems {
        eprintln!("{p}");
    }
    if problems.is_empty() {
        println!("{} fact files are current", outputs.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("run `cargo run --example schema_facts` to rewrite them");
        Ok(ExitCode::FAILURE)
    }
}

fn list_undescribed(
    schema: &std::path::Path,
    dirs: &[PathBuf],
    corpus: Option<PathBuf>,
) -> Result<ExitCode, String> {
    let registry = Registry::load(dirs).map_err(|e| e.to_string())?;
    let described = facts::all_descriptions(schema)?;
    let mut wanted = facts::element_paths(&registry);
    if let Some(corpus) = corpus {
        wanted.extend(facts::corpus_attribute_paths(&registry, &corpus)?);
    }
    for path in wanted.iter().filter(|p| !described.contains_key(*p)) {
        println!("{path}");
    }
    let known = facts::all_paths(&registry);
    for path in described.keys().filter(|p| !known.contains(*p)) {
        println!("not in the schema: {path}");
    }
    Ok(ExitCode::SUCCESS)
}

fn list_warnings(dirs: &[PathBuf]) -> Result<ExitCode, String> {
    let registry = Registry::load(dirs).map_err(|e| e.to_string())?;
    for w in registry.warnings() {
        println!("{w}");
    }
    Ok(ExitCode::SUCCESS)
}
