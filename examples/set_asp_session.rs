//! The IIS documentation's ASP session sample through the library: turn session state on
//! with a maximum of 1000 sessions and a timeout of 10 minutes for Default Web Site,
//! committed to applicationHost.config (appcmd `/commit:apphost`), using the typed
//! [`AspSession`] model.
//!
//! ```text
//! cargo run --example set_asp_session                       # dry run on fixtures/edit
//! cargo run --example set_asp_session -- --apphost FILE --write
//! ```

use iisconf::edit::{CommitOptions, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::model::AspSession;
use iisconf::schema::Registry;
use iisconf::value::TimeSpan;
use std::path::PathBuf;
use std::process::ExitCode;

const SITE: &str = "Default Web Site";
const SECTION: &str = "system.webServer/asp";

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut apphost =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/edit/applicationHost.config");
    let mut write = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--apphost" => apphost = args.next().map(PathBuf::from).ok_or("--apphost FILE")?,
            "--write" => write = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let options = Options {
        apphost: Some(apphost),
        ..Options::default()
    };
    let hierarchy = Hierarchy::open(Registry::embedded(), &options)?;

    // Read the effective values, change them through the typed model.
    let effective = hierarchy.effective(SITE, SECTION)?;
    let read = AspSession::from_effective(&effective.root)?;
    println!("before: {read:?}");
    let mut session = read.clone();
    session.allow_session_state = true;
    session.max = 1000;
    session.timeout = TimeSpan::from_minutes(10).ok_or("timeout out of range")?;
    session.validate()?;

    // Only the values that differ from those read are written: one already set as the
    // sample wants (or inherited) is not pinned at the commit level.
    let attributes = session.changed_attributes(&read);
    let mut tx = Transaction::new(hierarchy);
    tx.set_attributes(
        SITE,
        SECTION,
        &CommitTarget::AppHost,
        "session",
        &attributes,
    )?;
    let prepared = tx.prepare()?;
    print!("{}", prepared.diff());

    // What the configuration will be after the commit, read back through the model.
    let after = AspSession::from_effective(&prepared.hierarchy().effective(SITE, SECTION)?.root)?;
    println!("after:  {after:?}");
    if after != session {
        return Err("the committed values do not read back".into());
    }
    if write {
        for w in prepared.commit(&CommitOptions::default())? {
            println!("wrote {}", w.path.display());
        }
    } else {
        println!("(dry run: pass --write to commit)");
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
