//! `iisconf new apphost|webconfig`: minimal configuration files.

use super::{SchemaOpts, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iisconf::config::ConfigFile;
use iisconf::edit::server::{Binding, NewSite, ServerManager, SITES};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::generate::{self, ApphostOptions, SiteSpec, WriteError};
use iisconf::schema::Registry;
use std::path::PathBuf;

/// Arguments of `iisconf new`.
#[derive(clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    kind: NewKind,
    #[command(flatten)]
    output: OutputOpts,
}

/// Where generated text goes (shared with `iisconf defaults`).
#[derive(clap::Args, Clone, Default)]
pub struct OutputOpts {
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE", global = true)]
    pub out: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long, global = true)]
    pub force: bool,
}

#[derive(clap::Subcommand)]
enum NewKind {
    /// A minimal applicationHost.config: configSections for every loaded section, the
    /// DefaultAppPool pool and the given sites (Default Web Site on port 80 when none).
    Apphost {
        /// A site as NAME=PHYSICALPATH[:PORT] (port 80 when left out); repeatable.
        #[arg(long = "site", value_name = "NAME=PHYSICALPATH[:PORT]")]
        sites: Vec<String>,
        /// Leave out the declarations a real server keeps in machine.config and
        /// administration.config (system.web, appSettings, management …).
        #[arg(long)]
        no_machine_sections: bool,
        #[command(flatten)]
        schema: SchemaOpts,
    },
    /// A minimal web.config with an empty <system.webServer>.
    Webconfig,
}

/// Runs `iisconf new`.
pub fn run(args: NewArgs) -> u8 {
    let text = match args.kind {
        NewKind::Webconfig => generate::new_webconfig(),
        NewKind::Apphost {
            sites,
            no_machine_sections,
            schema,
        } => {
            let registry = match schema.registry() {
                Ok(r) => r,
                Err(code) => return code,
            };
            let mut specs = Vec::new();
            for s in &sites {
                match s.parse::<SiteSpec>() {
                    Ok(spec) => specs.push(spec),
                    Err(e) => {
                        eprintln!(
                            "error: {e}\n  help: write --site \"Contoso=C:\\sites\\contoso:8080\""
                        );
                        return EXIT_USAGE;
                    }
                }
            }
            let options = ApphostOptions::default().declare_machine_sections(!no_machine_sections);
            if specs.is_empty() {
                specs.push(SiteSpec::default_web_site());
            }
            let skeleton = generate::new_apphost_without_sites(&registry, &options);
            match with_sites(registry, &skeleton, &specs) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_USAGE;
                }
            }
        }
    };
    emit(&text, &args.output)
}

/// The generated file with `sites` added through the typed server model, as `appcmd add
/// site` adds them (ids from 1, an application `/` in the default pool, its virtual
/// directory `/`, an HTTP binding `*:PORT:`), then the application defaults.
fn with_sites(registry: Registry, skeleton: &str, sites: &[SiteSpec]) -> Result<String, String> {
    let file = ConfigFile::parse("applicationHost.config", skeleton.as_bytes())
        .map_err(|e| e.to_string())?;
    let hierarchy = Hierarchy::from_apphost(registry, file, &Options::default());
    let defaults = hierarchy
        .registry()
        .section(SITES)
        .and_then(|s| s.root.element("applicationDefaults"))
        .is_some_and(|e| e.attribute("applicationPool").is_some());
    let mut server = ServerManager::open(hierarchy);
    for (id, site) in (1u32..).zip(sites) {
        let binding =
            Binding::new("http", &format!("*:{}:", site.port)).map_err(|e| e.to_string())?;
        let new = NewSite::new(&site.name)
            .id(id)
            .binding(binding)
            .physical_path(&site.physical_path)
            .application_pool(generate::DEFAULT_POOL);
        server
            .add_site(new)
            .map_err(|e| format!("--site {}: {e}", site.name))?;
    }
    let mut tx = server.into_transaction();
    if defaults {
        tx.set(
            "",
            SITES,
            &CommitTarget::AppHost,
            "applicationDefaults.applicationPool",
            generate::DEFAULT_POOL,
        )
        .map_err(|e| e.to_string())?;
    }
    let prepared = tx.prepare().map_err(|e| super::errors::edit_message(&e))?;
    prepared
        .hierarchy()
        .apphost()
        .map(|f| f.doc.to_text())
        .ok_or_else(|| "the generated applicationHost.config is missing".to_string())
}

/// Prints `text` or writes it to `--out` (refusing to overwrite without `--force`).
pub fn emit(text: &str, output: &OutputOpts) -> u8 {
    let Some(path) = &output.out else {
        print!("{text}");
        return EXIT_OK;
    };
    match generate::write_atomic(path, text.as_bytes(), output.force) {
        Ok(()) => EXIT_OK,
        Err(e @ WriteError::Exists { .. }) => {
            eprintln!("error: {e}; pass --force to overwrite it");
            EXIT_FINDINGS
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
