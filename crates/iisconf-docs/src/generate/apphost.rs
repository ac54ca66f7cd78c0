//! `iisconf new apphost`: a minimal applicationHost.config that declares every loaded
//! section, defines one application pool and the requested sites.

use super::declarations::{declared_elsewhere, Declarations, StockDeclaration};
use super::writer::XmlWriter;
use super::GenerateError;
use iisconf_core::schema::{ElementSchema, Registry};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The application pool every generated site runs in.
pub const DEFAULT_POOL: &str = "DefaultAppPool";

/// One site to create: `NAME=PHYSICALPATH[:PORT]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSpec {
    /// Site name.
    pub name: String,
    /// Physical path of its root virtual directory.
    pub physical_path: String,
    /// HTTP port of its binding (`*:PORT:`).
    pub port: u16,
}

impl SiteSpec {
    /// IIS's own first site: Default Web Site on %SystemDrive%\inetpub\wwwroot, port 80.
    pub fn default_web_site() -> SiteSpec {
        SiteSpec {
            name: "Default Web Site".to_string(),
            physical_path: r"%SystemDrive%\inetpub\wwwroot".to_string(),
            port: 80,
        }
    }
}

impl FromStr for SiteSpec {
    type Err = GenerateError;

    /// Reads `NAME=PHYSICALPATH[:PORT]`. The port is the part after the last `:` when it is
    /// all digits, so `C:\sites\a` is a path and `C:\sites\a:8080` a path with a port.
    fn from_str(spec: &str) -> Result<SiteSpec, GenerateError> {
        let bad = |reason: &str| GenerateError::InvalidSite {
            spec: spec.to_string(),
            reason: reason.to_string(),
        };
        let (name, rest) = spec
            .split_once('=')
            .ok_or_else(|| bad("expected NAME=PHYSICALPATH[:PORT]"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("the site name is empty"));
        }
        if name.contains(['/', '?']) {
            return Err(bad("a site name may not contain '/' or '?'"));
        }
        let (path, port) = match rest.rsplit_once(':') {
            Some((p, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                let port: u16 = port
                    .parse()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
                (p, port)
            }
            _ => (rest, 80),
        };
        if path.is_empty() {
            return Err(bad("the physical path is empty"));
        }
        Ok(SiteSpec {
            name: name.to_string(),
            physical_path: path.to_string(),
            port,
        })
    }
}

/// Options of [`new_apphost`], built from [`ApphostOptions::default`]:
///
/// ```
/// use iisconf_docs::generate::{ApphostOptions, SiteSpec};
/// let options = ApphostOptions::default()
///     .site(SiteSpec::default_web_site())
///     .declare_machine_sections(false);
/// assert_eq!(options.sites.len(), 1);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ApphostOptions {
    /// Sites to define; [`SiteSpec::default_web_site`] when empty.
    pub sites: Vec<SiteSpec>,
    /// Also declare the loaded sections a real server declares in machine.config or
    /// administration.config (system.web, appSettings, management …). On by default, so
    /// the file is self-contained for offline tools; turn it off for a file meant for a
    /// real server, where those declarations would be duplicates.
    pub declare_machine_sections: bool,
}

impl ApphostOptions {
    /// Adds a site to define.
    pub fn site(mut self, site: SiteSpec) -> ApphostOptions {
        self.sites.push(site);
        self
    }

    /// Whether the sections a real server declares in machine.config or
    /// administration.config are declared too (on by default).
    pub fn declare_machine_sections(mut self, declare: bool) -> ApphostOptions {
        self.declare_machine_sections = declare;
        self
    }
}

impl Default for ApphostOptions {
    fn default() -> Self {
        ApphostOptions {
            sites: Vec::new(),
            declare_machine_sections: true,
        }
    }
}

/// A nested tree of section groups for `<configSections>`.
#[derive(Default)]
struct Group {
    sections: Vec<(String, StockDeclaration)>,
    groups: BTreeMap<String, Group>,
}

impl Group {
    fn insert(&mut self, path: &[&str], decl: StockDeclaration) {
        match path {
            [] => {}
            [name] => self.sections.push((name.to_string(), decl)),
            [group, rest @ ..] => self
                .groups
                .entry(group.to_string())
                .or_default()
                .insert(rest, decl),
        }
    }

    fn write(&self, w: &mut XmlWriter) {
        for (name, decl) in &self.sections {
            let mut attrs = vec![("name".to_string(), name.clone())];
            attrs.extend(decl.attributes());
            w.empty("section", &attrs);
        }
        for (name, group) in &self.groups {
            w.start("sectionGroup", &[("name".to_string(), name.clone())]);
            group.write(w);
            w.end("sectionGroup");
        }
    }
}

/// Keeps only attributes the loaded schema knows for `element`.
fn known(element: Option<&ElementSchema>, attrs: &[(&str, String)]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|(k, _)| element.is_none_or(|e| e.attribute(k).is_some()))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// A minimal applicationHost.config (CRLF, four-space indents, as IIS writes it).
///
/// `<configSections>` declares every loaded section with a stock server's values
/// ([`Declarations`]); `system.applicationHost/applicationPools` holds [`DEFAULT_POOL`];
/// `sites` holds the requested sites (ids from 1), each with an application `/`, its
/// virtual directory `/` and an HTTP binding `*:PORT:`.
pub fn new_apphost(registry: &Registry, options: &ApphostOptions) -> Result<String, GenerateError> {
    let sites = if options.sites.is_empty() {
        vec![SiteSpec::default_web_site()]
    } else {
        options.sites.clone()
    };
    let mut seen = std::collections::HashSet::new();
    for s in &sites {
        if !seen.insert(s.name.to_ascii_lowercase()) {
            return Err(GenerateError::InvalidSite {
                spec: s.name.clone(),
                reason: "two sites have this name".to_string(),
            });
        }
    }
    Ok(write_apphost(registry, options, Some(&sites)))
}

/// [`new_apphost`] without any site and without `<applicationDefaults>`: an empty
/// `<sites>` for a typed server model to fill (the `iisconf new apphost` command adds
/// [`ApphostOptions::sites`] through one, then the application defaults).
pub fn new_apphost_without_sites(registry: &Registry, options: &ApphostOptions) -> String {
    write_apphost(registry, options, None)
}

/// The file, with `sites` and the application defaults when given.
fn write_apphost(
    registry: &Registry,
    options: &ApphostOptions,
    sites: Option<&[SiteSpec]>,
) -> String {
    let declarations = Declarations::stock();
    let mut root = Group::default();
    for decl in declarations.for_registry(registry) {
        if !options.declare_machine_sections && declared_elsewhere(decl.name()) {
            continue;
        }
        let parts: Vec<&str> = decl.name().split('/').collect();
        root.insert(&parts, decl.clone());
    }

    let mut w = XmlWriter::new();
    w.declaration();
    w.comment("applicationHost.config written by iisconf new apphost: section declarations for every loaded schema section, one application pool and the sites asked for. Everything else is at its schema default.");
    w.start("configuration", &[]);
    w.blank();
    w.start("configSections", &[]);
    root.write(&mut w);
    w.end("configSections");
    w.blank();
    w.start("system.applicationHost", &[]);

    let pools = registry.section("system.applicationHost/applicationPools");
    let pool_entry = pools
        .and_then(|s| s.root.collection_for("add"))
        .map(|c| &c.entry);
    w.start("applicationPools", &[]);
    w.empty(
        "add",
        &known(pool_entry, &[("name", DEFAULT_POOL.to_string())]),
    );
    let pool_defaults = pools.and_then(|s| s.root.element("applicationPoolDefaults"));
    if pool_defaults.is_some() {
        let attrs = known(
            pool_defaults,
            &[("managedRuntimeVersion", "v4.0".to_string())],
        );
        let process_model = pool_defaults.and_then(|e| e.element("processModel"));
        if process_model.is_some() {
            w.start("applicationPoolDefaults", &attrs);
            w.empty(
                "processModel",
                &known(
                    process_model,
                    &[("identityType", "ApplicationPoolIdentity".to_string())],
                ),
            );
            w.end("applicationPoolDefaults");
        } else {
            w.empty("applicationPoolDefaults", &attrs);
        }
    }
    w.end("applicationPools");
    w.blank();

    let sites_schema = registry.section("system.applicationHost/sites");
    let site_entry = sites_schema
        .and_then(|s| s.root.collection_for("site"))
        .map(|c| &c.entry);
    let app_entry = site_entry
        .and_then(|e| e.collection_for("application"))
        .map(|c| &c.entry);
    let vdir_entry = app_entry
        .and_then(|e| e.collection_for("virtualDirectory"))
        .map(|c| &c.entry);
    let binding_entry = site_entry
        .and_then(|e| e.element("bindings"))
        .and_then(|e| e.collection_for("binding"))
        .map(|c| &c.entry);
    w.start("sites", &[]);
    let Some(sites) = sites else {
        w.end("sites");
        w.blank();
        w.end("system.applicationHost");
        w.blank();
        w.end("configuration");
        return w.finish();
    };
    for (i, site) in sites.iter().enumerate() {
        let id = (i + 1).to_string();
        w.start(
            "site",
            &known(site_entry, &[("name", site.name.clone()), ("id", id)]),
        );
        w.start(
            "application",
            &known(
                app_entry,
                &[
                    ("path", "/".to_string()),
                    ("applicationPool", DEFAULT_POOL.to_string()),
                ],
            ),
        );
        w.empty(
            "virtualDirectory",
            &known(
                vdir_entry,
                &[
                    ("path", "/".to_string()),
                    ("physicalPath", site.physical_path.clone()),
                ],
            ),
        );
        w.end("application");
        w.start("bindings", &[]);
        w.empty(
            "binding",
            &known(
                binding_entry,
                &[
                    ("protocol", "http".to_string()),
                    ("bindingInformation", format!("*:{}:", site.port)),
                ],
            ),
        );
        w.end("bindings");
        w.end("site");
    }
    let app_defaults = sites_schema.and_then(|s| s.root.element("applicationDefaults"));
    if app_defaults.is_some_and(|e| e.attribute("applicationPool").is_some()) {
        w.empty(
            "applicationDefaults",
            &[("applicationPool".to_string(), DEFAULT_POOL.to_string())],
        );
    }
    w.end("sites");
    w.blank();
    w.end("system.applicationHost");
    w.blank();
    w.end("configuration");
    w.finish()
}

/// A minimal web.config: an XML declaration, `<configuration>` and an empty
/// `<system.webServer>` (CRLF, four-space indents).
pub fn new_webconfig() -> String {
    let mut w = XmlWriter::new();
    w.declaration();
    w.start("configuration", &[]);
    w.start("system.webServer", &[]);
    w.end("system.webServer");
    w.end("configuration");
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_xml::Document;

    #[test]
    fn site_specs() {
        let s: SiteSpec = r"Contoso=C:\sites\contoso:8080".parse().unwrap();
        assert_eq!(s.physical_path, r"C:\sites\contoso");
        assert_eq!(s.port, 8080);
        let s: SiteSpec = r"A=C:\x".parse().unwrap();
        assert_eq!((s.physical_path.as_str(), s.port), (r"C:\x", 80));
        assert!("noequals".parse::<SiteSpec>().is_err());
        assert!("a/b=C:\\x".parse::<SiteSpec>().is_err());
        assert!("a=C:\\x:0".parse::<SiteSpec>().is_err());
        assert!("a=C:\\x:70000".parse::<SiteSpec>().is_err());
        assert!("a=".parse::<SiteSpec>().is_err());
    }

    #[test]
    fn apphost_is_well_formed_and_declares_everything() {
        let registry = Registry::embedded();
        let text = new_apphost(&registry, &ApphostOptions::default()).unwrap();
        let doc = Document::parse_str(&text).unwrap();
        assert!(text.contains("<section name=\"asp\" overrideModeDefault=\"Deny\" />"));
        assert!(text.contains("<binding protocol=\"http\" bindingInformation=\"*:80:\" />"));
        assert!(text.contains(r#"physicalPath="%SystemDrive%\inetpub\wwwroot""#));
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert!(doc.root_element().is_some());
    }

    #[test]
    fn duplicate_sites_are_refused() {
        let registry = Registry::embedded();
        let options = ApphostOptions {
            sites: vec![SiteSpec::default_web_site(), SiteSpec::default_web_site()],
            ..ApphostOptions::default()
        };
        assert!(new_apphost(&registry, &options).is_err());
    }
}
