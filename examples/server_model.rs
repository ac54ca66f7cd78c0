//! The typed server model as a build tool uses it: on a copy of fixtures/appcmd's
//! applicationHost.config, create a site with two bindings and its pool, move an application
//! to another pool, remove a binding — each one transaction that prints its diff (only the
//! lines that change) and commits it atomically — then read the sites back with their
//! defaults applied, and print one as JSON.
//!
//! ```text
//! cargo run --example server_model
//! ```

use iisconf::edit::server::{Binding, NewApplicationPool, NewSite, ServerManager};
use iisconf::edit::CommitOptions;
use iisconf::engine::{Hierarchy, Options};
use iisconf::schema::Registry;
use std::path::Path;
use std::process::ExitCode;

/// Opens the hierarchy of `apphost` and hands a manager over it to `change`, then prints
/// the diff and commits it.
fn transaction(
    apphost: &Path,
    what: &str,
    change: impl FnOnce(&mut ServerManager) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let options = Options {
        apphost: Some(apphost.to_path_buf()),
        ..Options::default()
    };
    let mut server = ServerManager::open(Hierarchy::open(Registry::embedded(), &options)?);
    change(&mut server)?;
    let prepared = server.prepare()?;
    println!("== {what}\n{}", prepared.diff());
    prepared.commit(&CommitOptions::default())?;
    Ok(())
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let apphost = dir.path().join("applicationHost.config");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/appcmd/applicationHost.config");
    std::fs::copy(fixture, &apphost)?;

    transaction(
        &apphost,
        "a site with two bindings and its pool",
        |server| {
            server.add_application_pool(
                NewApplicationPool::new("Catalog").managed_runtime_version(""),
            )?;
            server.add_site(
                NewSite::new("Catalog")
                    .binding(Binding::parse("http/*:8081:")?)
                    .binding(Binding::parse("https://catalog.example.com:8443")?)
                    .physical_path(r"C:\inetpub\catalog")
                    .application_pool("Catalog"),
            )?;
            Ok(())
        },
    )?;
    transaction(&apphost, "an application moved to another pool", |server| {
        server.set_application("Default Web Site", "/app1", "applicationPool", "Catalog")?;
        Ok(())
    })?;
    transaction(&apphost, "a binding removed", |server| {
        server.remove_binding("Default Web Site", &Binding::parse("https/*:443:")?)?;
        Ok(())
    })?;

    let options = Options {
        apphost: Some(apphost.clone()),
        ..Options::default()
    };
    let server = ServerManager::open(Hierarchy::open(Registry::embedded(), &options)?);
    for site in server.sites()? {
        println!(
            "site {} (id {}), bindings {}",
            site.name,
            site.id.value,
            site.bindings_text()
        );
        for app in &site.applications {
            let pool = &app.application_pool;
            let from = if pool.is_written() {
                "written"
            } else {
                "inherited"
            };
            println!("  app {} in pool {} ({from})", app.name(), pool.value);
        }
    }
    let catalog = server.site("Catalog")?;
    println!("{}", serde_json::to_string_pretty(&catalog)?);
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
