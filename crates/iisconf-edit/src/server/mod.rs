//! The typed server model, the Rust counterpart of Microsoft.Web.Administration's
//! `ServerManager`: sites, their bindings, applications and virtual directories, and
//! application pools, read with every default applied ([`Field`] says whether a value is
//! written or inherited), and added, changed and removed through one [`Transaction`] that
//! writes the minimal diff atomically.
//!
//! ```
//! use iisconf_core::engine::{Hierarchy, Options};
//! use iisconf_core::schema::Registry;
//! use iisconf_edit::server::{Binding, NewApplicationPool, NewSite, ServerManager};
//! use iisconf_edit::CommitOptions;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let apphost = dir.path().join("applicationHost.config");
//! # std::fs::write(&apphost, r#"<configuration>
//! #     <configSections>
//! #         <sectionGroup name="system.applicationHost">
//! #             <section name="applicationPools" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
//! #             <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
//! #         </sectionGroup>
//! #     </configSections>
//! #     <system.applicationHost>
//! #         <applicationPools>
//! #             <add name="DefaultAppPool" />
//! #         </applicationPools>
//! #         <sites>
//! #             <site name="Default Web Site" id="1">
//! #                 <application path="/" applicationPool="DefaultAppPool">
//! #                     <virtualDirectory path="/" physicalPath="C:\inetpub\wwwroot" />
//! #                 </application>
//! #                 <bindings>
//! #                     <binding protocol="http" bindingInformation="*:80:" />
//! #                 </bindings>
//! #             </site>
//! #         </sites>
//! #     </system.applicationHost>
//! # </configuration>
//! # "#)?;
//! # let open = || -> Result<ServerManager, Box<dyn std::error::Error>> {
//! #     let options = Options { apphost: Some(apphost.clone()), ..Options::default() };
//! #     Ok(ServerManager::open(Hierarchy::open(Registry::embedded(), &options)?))
//! # };
//! // A site with two bindings and its pool: one transaction, one atomic write.
//! let mut server = open()?; // ServerManager::open(Hierarchy::open(registry, &options)?)
//! server.add_application_pool(NewApplicationPool::new("Shop").managed_runtime_version(""))?;
//! server.add_site(
//!     NewSite::new("Shop")
//!         .binding(Binding::parse("http/*:8080:")?)
//!         .binding(Binding::parse("https/*:8443:shop.example.com")?)
//!         .physical_path(r"C:\inetpub\shop")
//!         .application_pool("Shop"),
//! )?;
//! let prepared = server.prepare()?; // validated, nothing written yet
//! let diff = prepared.diff();
//! assert!(diff.contains(r#"+            <add name="Shop" managedRuntimeVersion="" />"#));
//! assert!(diff.contains(r#"+            <site name="Shop" id="2">"#));
//! assert!(!diff.lines().any(|l| l.starts_with('-') && !l.starts_with("---")));
//! prepared.commit(&CommitOptions::default())?;
//!
//! // Move the site's root application to another pool: one attribute changes.
//! let mut server = open()?;
//! server.set_application("Default Web Site", "/", "applicationPool", "Shop")?;
//! let diff = server.prepare()?.diff();
//! assert!(diff.contains(r#"-                <application path="/" applicationPool="DefaultAppPool">"#));
//! assert!(diff.contains(r#"+                <application path="/" applicationPool="Shop">"#));
//!
//! // Remove a binding: its line goes, nothing else moves.
//! let mut server = open()?;
//! server.remove_binding("Shop", &Binding::parse("https/*:8443:shop.example.com")?)?;
//! let prepared = server.prepare()?;
//! let diff = prepared.diff();
//! let removed: Vec<&str> = diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
//! assert_eq!(removed, [r#"-                    <binding protocol="https" bindingInformation="*:8443:shop.example.com" />"#]);
//! prepared.commit(&CommitOptions::default())?;
//!
//! // Read back, defaults applied and their sources known.
//! let site = open()?.site("Shop")?;
//! assert_eq!(site.id.value, 2);
//! assert_eq!(site.bindings_text(), "http/*:8080:");
//! assert!(site.applications[0].application_pool.is_written());
//! assert!(!site.server_auto_start.is_written() && site.server_auto_start.value);
//! # Ok(()) }
//! ```
//!
//! Every change is an [`Edit`] of `system.applicationHost/sites` or
//! `system.applicationHost/applicationPools` committed to applicationHost.config, so every
//! name and value goes through the same checks as `set`: a bad value is refused by
//! [`ServerManager::prepare`] and nothing is written. Existence checks (a name that is
//! taken, an object that is not there) are made when a change is queued, against the
//! objects as read plus the changes queued before it.

mod binding;
mod error;
mod known;
mod model;
mod spec;
mod tree;

pub use binding::Binding;
pub use error::{ObjectKind, ServerError};
pub use model::{Application, ApplicationPool, Field, Site, Source, VirtualDirectory};
pub use spec::{NewApplication, NewApplicationPool, NewSite, NewVirtualDirectory};
pub use tree::{read_appcmd_xml, ConfigElement};

use crate::grammar::{canonical_change, set_change};
use crate::{Change, CommitOptions, Edit, EditError, Prepared, Step, Transaction, Written};
use iisconf_core::engine::commit::CommitTarget;
use iisconf_core::engine::Hierarchy;
use known::{Known, KnownApplication, KnownSite};

/// The sites section.
pub const SITES: &str = "system.applicationHost/sites";
/// The application pools section.
pub const APPLICATION_POOLS: &str = "system.applicationHost/applicationPools";

/// Sites, applications, virtual directories and application pools of one hierarchy, and
/// the changes queued to them.
pub struct ServerManager {
    tx: Transaction,
    known: Known,
}

impl ServerManager {
    /// A manager over `hierarchy`, with default edit options.
    pub fn open(hierarchy: Hierarchy) -> ServerManager {
        ServerManager::new(Transaction::new(hierarchy))
    }

    /// A manager that queues its changes in `tx` (which may hold other edits already, and
    /// carries the edit options).
    pub fn new(tx: Transaction) -> ServerManager {
        let known = Known::read(tx.hierarchy().apphost());
        ServerManager { tx, known }
    }

    /// The hierarchy as read.
    pub fn hierarchy(&self) -> &Hierarchy {
        self.tx.hierarchy()
    }

    /// Every site as read (queued changes are not reflected), defaults applied.
    pub fn sites(&self) -> Result<Vec<Site>, ServerError> {
        let eff = self.hierarchy().effective_unchecked("", SITES)?;
        model::read_sites(&eff.root)
    }

    /// The site called `name` as read (any letter case).
    pub fn site(&self, name: &str) -> Result<Site, ServerError> {
        self.sites()?
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found(ObjectKind::Site, name))
    }

    /// Every application pool as read, defaults applied.
    pub fn application_pools(&self) -> Result<Vec<ApplicationPool>, ServerError> {
        let eff = self
            .hierarchy()
            .effective_unchecked("", APPLICATION_POOLS)?;
        model::read_pools(&eff.root)
    }

    /// The pool called `name` as read (any letter case).
    pub fn application_pool(&self, name: &str) -> Result<ApplicationPool, ServerError> {
        self.application_pools()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found(ObjectKind::ApplicationPool, name))
    }

    /// The edits queued so far.
    pub fn edits(&self) -> &[Edit] {
        self.tx.edits()
    }

    /// The transaction holding the queued edits, to add more or prepare it.
    pub fn into_transaction(self) -> Transaction {
        self.tx
    }

    /// Plans, applies in memory and validates every queued change; nothing is written.
    pub fn prepare(self) -> Result<Prepared, EditError> {
        self.tx.prepare()
    }

    /// Prepares and writes every changed file atomically.
    pub fn commit(self, options: &CommitOptions) -> Result<Vec<Written>, EditError> {
        self.tx.commit(options)
    }

    // Sites.

    /// Queues a new site: the `<site>` element with its name, id (the lowest free id when
    /// none is given) and attributes, the root application and virtual directory when a
    /// physical path is given, and the bindings.
    pub fn add_site(&mut self, site: NewSite) -> Result<&mut ServerManager, ServerError> {
        required_name(&site.name, ObjectKind::Site)?;
        if self.known.site(&site.name).is_some() {
            return Err(exists(ObjectKind::Site, "name", &site.name));
        }
        let id = site.id.unwrap_or_else(|| self.known.next_site_id());
        if self.known.sites.iter().any(|s| s.id == Some(id)) {
            return Err(exists(ObjectKind::Site, "id", &id.to_string()));
        }
        let mut own = vec![
            ("name".to_string(), site.name.clone()),
            ("id".to_string(), id.to_string()),
        ];
        let nested = split_attributes(&site.attributes, &mut own)?;
        let steps = site_steps(&site.name);
        let mut changes = vec![Change::Add {
            element: Vec::new(),
            attributes: own,
        }];
        let mut applications = Vec::new();
        if site.physical_path.is_some() || site.application_pool.is_some() {
            let mut app = vec![("path".to_string(), "/".to_string())];
            if let Some(pool) = &site.application_pool {
                app.push(("applicationPool".to_string(), pool.clone()));
            }
            changes.push(Change::Add {
                element: steps.clone(),
                attributes: app,
            });
            let mut vdirs = Vec::new();
            if let Some(physical) = &site.physical_path {
                changes.push(Change::Add {
                    element: with(&steps, entry("path", "/")),
                    attributes: vec![
                        ("path".to_string(), "/".to_string()),
                        ("physicalPath".to_string(), physical.clone()),
                    ],
                });
                vdirs.push("/".to_string());
            }
            applications.push(KnownApplication {
                path: "/".to_string(),
                virtual_directories: vdirs,
            });
        }
        for b in &site.bindings {
            changes.push(Change::Add {
                element: with(&steps, Step::Element("bindings".into())),
                attributes: b.attributes(),
            });
        }
        changes.extend(nested.into_iter().map(|c| prefixed(&steps, c)));
        for change in changes {
            self.push(SITES, change);
        }
        self.known.sites.push(KnownSite {
            name: site.name,
            id: Some(id),
            applications,
            bindings: site
                .bindings
                .into_iter()
                .map(|b| (b.protocol, b.binding_information))
                .collect(),
            node: None,
            loaded: true,
        });
        Ok(self)
    }

    /// Queues adding a site written as a whole element (`<site name=… id=…>…</site>`, as
    /// appcmd's `/xml` form holds it): its attributes, entries and child elements.
    pub fn add_site_element(
        &mut self,
        element: &ConfigElement,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = required_name(
            element.attribute("name").unwrap_or_default(),
            ObjectKind::Site,
        )?;
        if self.known.site(&name).is_some() {
            return Err(exists(ObjectKind::Site, "name", &name));
        }
        let mut attributes = element.attributes.clone();
        let id = match element.attribute("id") {
            Some(id) => id.trim().parse().ok(),
            None => {
                let id = self.known.next_site_id();
                attributes.push(("id".to_string(), id.to_string()));
                Some(id)
            }
        };
        if let Some(id) = id.filter(|id| self.known.sites.iter().any(|s| s.id == Some(*id))) {
            return Err(exists(ObjectKind::Site, "id", &id.to_string()));
        }
        self.add_element(SITES, element, attributes)?;
        self.known.sites.push(KnownSite {
            name,
            id,
            applications: element
                .children
                .iter()
                .filter(|c| c.name == "application")
                .map(|app| KnownApplication {
                    path: app.attribute("path").unwrap_or_default().to_string(),
                    virtual_directories: app
                        .children
                        .iter()
                        .filter(|v| v.name == "virtualDirectory")
                        .map(|v| v.attribute("path").unwrap_or_default().to_string())
                        .collect(),
                })
                .collect(),
            bindings: element
                .children
                .iter()
                .filter(|c| c.name == "bindings")
                .flat_map(|b| &b.children)
                .map(|b| {
                    (
                        b.attribute("protocol").unwrap_or_default().to_string(),
                        b.attribute("bindingInformation")
                            .unwrap_or_default()
                            .to_string(),
                    )
                })
                .collect(),
            node: None,
            loaded: true,
        });
        Ok(self)
    }

    /// Queues setting an attribute of a site by dotted path (`serverAutoStart`,
    /// `limits.maxBandwidth`, `[path='/'].applicationPool`); `name` renames it.
    pub fn set_site(
        &mut self,
        site: &str,
        dotted: &str,
        value: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let change = set_change(dotted, value).map_err(syntax)?;
        self.change_site(site, change)
    }

    /// Queues a change below a site's element (steps relative to `<site>`): the form
    /// appcmd's `/+bindings.[…]` and `/-bindings.[…]` take.
    pub fn change_site(
        &mut self,
        site: &str,
        change: Change,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = self.site_name(site)?;
        if let Change::Set {
            element,
            attribute,
            value,
        } = &change
        {
            if element.is_empty() && attribute.eq_ignore_ascii_case("name") {
                if !value.eq_ignore_ascii_case(&name) && self.known.site(value).is_some() {
                    return Err(exists(ObjectKind::Site, "name", value));
                }
                if let Some(s) = self.known.site_mut(&name) {
                    s.name = value.clone();
                }
            }
        }
        self.push(SITES, prefixed(&site_steps(&name), change));
        Ok(self)
    }

    /// Queues adding a binding to a site.
    pub fn add_binding(
        &mut self,
        site: &str,
        binding: &Binding,
    ) -> Result<&mut ServerManager, ServerError> {
        self.change_site(
            site,
            Change::Add {
                element: vec![Step::Element("bindings".into())],
                attributes: binding.attributes(),
            },
        )
    }

    /// Queues removing a binding from a site.
    pub fn remove_binding(
        &mut self,
        site: &str,
        binding: &Binding,
    ) -> Result<&mut ServerManager, ServerError> {
        self.change_site(
            site,
            Change::Remove {
                element: vec![Step::Element("bindings".into())],
                key: binding.attributes(),
            },
        )
    }

    /// Queues replacing every binding of a site with `bindings` (appcmd's
    /// `set site /bindings:…`): those no longer given are removed, new ones added, the
    /// ones kept are left as they are.
    pub fn set_bindings(
        &mut self,
        site: &str,
        bindings: &[Binding],
    ) -> Result<&mut ServerManager, ServerError> {
        let name = self.site_name(site)?;
        let current = self
            .known
            .site(&name)
            .map(|s| s.bindings.clone())
            .unwrap_or_default();
        let same = |(p, i): &(String, String), b: &Binding| {
            p.eq_ignore_ascii_case(&b.protocol) && i.eq_ignore_ascii_case(&b.binding_information)
        };
        for (protocol, info) in current
            .iter()
            .filter(|c| !bindings.iter().any(|b| same(c, b)))
        {
            self.remove_binding(
                &name,
                &Binding {
                    protocol: protocol.clone(),
                    binding_information: info.clone(),
                },
            )?;
        }
        for b in bindings
            .iter()
            .filter(|b| !current.iter().any(|c| same(c, b)))
        {
            self.add_binding(&name, b)?;
        }
        if let Some(s) = self.known.site_mut(&name) {
            s.bindings = bindings
                .iter()
                .map(|b| (b.protocol.clone(), b.binding_information.clone()))
                .collect();
        }
        Ok(self)
    }

    /// Queues deleting a site with its applications and virtual directories.
    pub fn delete_site(&mut self, site: &str) -> Result<&mut ServerManager, ServerError> {
        let name = self.site_name(site)?;
        self.push(
            SITES,
            Change::Remove {
                element: Vec::new(),
                key: vec![("name".to_string(), name.clone())],
            },
        );
        self.known
            .sites
            .retain(|s| !s.name.eq_ignore_ascii_case(&name));
        Ok(self)
    }

    // Applications.

    /// Queues a new application of `site`, with its root virtual directory when a physical
    /// path is given.
    pub fn add_application(
        &mut self,
        site: &str,
        app: NewApplication,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = self.site_name(site)?;
        check_path("application path", &app.path)?;
        let known = self
            .known
            .site(&name)
            .and_then(|s| s.application(&app.path));
        if known.is_some() {
            return Err(exists(
                ObjectKind::Application,
                "path",
                &format!("{name}{}", app.path),
            ));
        }
        let mut own = vec![("path".to_string(), app.path.clone())];
        if let Some(pool) = &app.application_pool {
            own.push(("applicationPool".to_string(), pool.clone()));
        }
        let nested = split_attributes(&app.attributes, &mut own)?;
        let steps = site_steps(&name);
        self.push(
            SITES,
            Change::Add {
                element: steps.clone(),
                attributes: own,
            },
        );
        let app_steps = with(&steps, entry("path", &app.path));
        let mut vdirs = Vec::new();
        if let Some(physical) = &app.physical_path {
            self.push(
                SITES,
                Change::Add {
                    element: app_steps.clone(),
                    attributes: vec![
                        ("path".to_string(), "/".to_string()),
                        ("physicalPath".to_string(), physical.clone()),
                    ],
                },
            );
            vdirs.push("/".to_string());
        }
        for change in nested {
            self.push(SITES, prefixed(&app_steps, change));
        }
        if let Some(s) = self.known.site_mut(&name) {
            s.applications.push(KnownApplication {
                path: app.path,
                virtual_directories: vdirs,
            });
        }
        Ok(self)
    }

    /// Queues setting an attribute of an application by dotted path (`applicationPool`).
    pub fn set_application(
        &mut self,
        site: &str,
        path: &str,
        dotted: &str,
        value: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let change = set_change(dotted, value).map_err(syntax)?;
        self.change_application(site, path, change)
    }

    /// Queues a change below an application's element.
    pub fn change_application(
        &mut self,
        site: &str,
        path: &str,
        change: Change,
    ) -> Result<&mut ServerManager, ServerError> {
        let (name, app) = self.application_key(site, path)?;
        self.push(
            SITES,
            prefixed(&with(&site_steps(&name), entry("path", &app)), change),
        );
        Ok(self)
    }

    /// Queues deleting an application with its virtual directories.
    pub fn delete_application(
        &mut self,
        site: &str,
        path: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let (name, app) = self.application_key(site, path)?;
        self.push(
            SITES,
            Change::Remove {
                element: site_steps(&name),
                key: vec![("path".to_string(), app.clone())],
            },
        );
        if let Some(s) = self.known.site_mut(&name) {
            s.applications
                .retain(|a| !a.path.eq_ignore_ascii_case(&app));
        }
        Ok(self)
    }

    // Virtual directories.

    /// Queues a new virtual directory of the application at `application` of `site`.
    pub fn add_virtual_directory(
        &mut self,
        site: &str,
        application: &str,
        vdir: NewVirtualDirectory,
    ) -> Result<&mut ServerManager, ServerError> {
        let (name, app) = self.application_key(site, application)?;
        check_path("virtual directory path", &vdir.path)?;
        let taken = self
            .known
            .site(&name)
            .and_then(|s| s.application(&app))
            .is_some_and(|a| a.has_virtual_directory(&vdir.path));
        if taken {
            return Err(exists(
                ObjectKind::VirtualDirectory,
                "path",
                &vdir_name(&name, &app, &vdir.path),
            ));
        }
        let mut own = vec![("path".to_string(), vdir.path.clone())];
        if let Some(physical) = &vdir.physical_path {
            own.push(("physicalPath".to_string(), physical.clone()));
        }
        let nested = split_attributes(&vdir.attributes, &mut own)?;
        let app_steps = with(&site_steps(&name), entry("path", &app));
        self.push(
            SITES,
            Change::Add {
                element: app_steps.clone(),
                attributes: own,
            },
        );
        let vdir_steps = with(&app_steps, entry("path", &vdir.path));
        for change in nested {
            self.push(SITES, prefixed(&vdir_steps, change));
        }
        if let Some(a) = self
            .known
            .site_mut(&name)
            .and_then(|s| s.application_mut(&app))
        {
            a.virtual_directories.push(vdir.path);
        }
        Ok(self)
    }

    /// Queues setting an attribute of a virtual directory by dotted path (`physicalPath`).
    pub fn set_virtual_directory(
        &mut self,
        site: &str,
        application: &str,
        path: &str,
        dotted: &str,
        value: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let change = set_change(dotted, value).map_err(syntax)?;
        self.change_virtual_directory(site, application, path, change)
    }

    /// Queues a change below a virtual directory's element.
    pub fn change_virtual_directory(
        &mut self,
        site: &str,
        application: &str,
        path: &str,
        change: Change,
    ) -> Result<&mut ServerManager, ServerError> {
        let steps = self.vdir_steps(site, application, path)?;
        self.push(SITES, prefixed(&steps, change));
        Ok(self)
    }

    /// Queues deleting a virtual directory.
    pub fn delete_virtual_directory(
        &mut self,
        site: &str,
        application: &str,
        path: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let mut steps = self.vdir_steps(site, application, path)?;
        let Some(Step::Entry(key)) = steps.pop() else {
            return Err(not_found(ObjectKind::VirtualDirectory, path));
        };
        let vdir = key.first().map(|(_, v)| v.clone()).unwrap_or_default();
        self.push(
            SITES,
            Change::Remove {
                element: steps,
                key,
            },
        );
        let (name, app) = self.application_key(site, application)?;
        if let Some(a) = self
            .known
            .site_mut(&name)
            .and_then(|s| s.application_mut(&app))
        {
            a.virtual_directories
                .retain(|v| !v.eq_ignore_ascii_case(&vdir));
        }
        Ok(self)
    }

    // Application pools.

    /// Queues a new application pool with the attributes given.
    pub fn add_application_pool(
        &mut self,
        pool: NewApplicationPool,
    ) -> Result<&mut ServerManager, ServerError> {
        required_name(&pool.name, ObjectKind::ApplicationPool)?;
        if self.known.pool(&pool.name).is_some() {
            return Err(exists(ObjectKind::ApplicationPool, "name", &pool.name));
        }
        let mut own = vec![("name".to_string(), pool.name.clone())];
        let nested = split_attributes(&pool.attributes, &mut own)?;
        self.push(
            APPLICATION_POOLS,
            Change::Add {
                element: Vec::new(),
                attributes: own,
            },
        );
        let steps = vec![entry("name", &pool.name)];
        for change in nested {
            self.push(APPLICATION_POOLS, prefixed(&steps, change));
        }
        self.known.pools.push(pool.name);
        Ok(self)
    }

    /// Queues adding a pool written as a whole element (`<add name=…>…</add>`).
    pub fn add_application_pool_element(
        &mut self,
        element: &ConfigElement,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = required_name(
            element.attribute("name").unwrap_or_default(),
            ObjectKind::ApplicationPool,
        )?;
        if self.known.pool(&name).is_some() {
            return Err(exists(ObjectKind::ApplicationPool, "name", &name));
        }
        self.add_element(APPLICATION_POOLS, element, element.attributes.clone())?;
        self.known.pools.push(name);
        Ok(self)
    }

    /// Queues setting an attribute of a pool by dotted path (`managedRuntimeVersion`,
    /// `processModel.identityType`); `name` renames it.
    pub fn set_application_pool(
        &mut self,
        pool: &str,
        dotted: &str,
        value: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let change = set_change(dotted, value).map_err(syntax)?;
        self.change_application_pool(pool, change)
    }

    /// Queues a change below a pool's element.
    pub fn change_application_pool(
        &mut self,
        pool: &str,
        change: Change,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = self
            .known
            .pool(pool)
            .map(str::to_string)
            .ok_or_else(|| not_found(ObjectKind::ApplicationPool, pool))?;
        if let Change::Set {
            element,
            attribute,
            value,
        } = &change
        {
            if element.is_empty() && attribute.eq_ignore_ascii_case("name") {
                if !value.eq_ignore_ascii_case(&name) && self.known.pool(value).is_some() {
                    return Err(exists(ObjectKind::ApplicationPool, "name", value));
                }
                if let Some(p) = self
                    .known
                    .pools
                    .iter_mut()
                    .find(|p| p.eq_ignore_ascii_case(&name))
                {
                    p.clone_from(value);
                }
            }
        }
        self.push(APPLICATION_POOLS, prefixed(&[entry("name", &name)], change));
        Ok(self)
    }

    /// Queues deleting an application pool.
    pub fn delete_application_pool(
        &mut self,
        pool: &str,
    ) -> Result<&mut ServerManager, ServerError> {
        let name = self
            .known
            .pool(pool)
            .map(str::to_string)
            .ok_or_else(|| not_found(ObjectKind::ApplicationPool, pool))?;
        self.push(
            APPLICATION_POOLS,
            Change::Remove {
                element: Vec::new(),
                key: vec![("name".to_string(), name.clone())],
            },
        );
        self.known.pools.retain(|p| !p.eq_ignore_ascii_case(&name));
        Ok(self)
    }

    // Identifiers.

    /// Splits an APP identifier (`Shop/api`, `Shop/`) into the site's name and the path.
    pub fn split_application_name(name: &str) -> (String, String) {
        match name.split_once('/') {
            Some((site, rest)) => (site.to_string(), format!("/{rest}")),
            None => (name.to_string(), "/".to_string()),
        }
    }

    /// Splits a VDIR identifier (`Shop/`, `Shop/images`, `Shop/api/docs`) into the site,
    /// the application's path and the virtual directory's path within it, by the
    /// applications the site has.
    pub fn split_virtual_directory_name(
        &mut self,
        name: &str,
    ) -> Result<(String, String, String), ServerError> {
        let (site, rest) = ServerManager::split_application_name(name);
        let doc = self.tx.hierarchy().apphost().map(|f| &f.doc);
        self.known.load(doc, &site);
        let known = self
            .known
            .site(&site)
            .ok_or_else(|| not_found(ObjectKind::VirtualDirectory, name))?;
        let (app, vdir) = known
            .split_vdir_path(&rest)
            .ok_or_else(|| not_found(ObjectKind::VirtualDirectory, name))?;
        Ok((known.name.clone(), app, vdir))
    }

    // Internals.

    fn push(&mut self, section: &str, change: Change) {
        let change = match self.tx.hierarchy().registry().section(section) {
            Some(schema) => canonical_change(schema, change),
            None => change,
        };
        self.tx.push(Edit {
            path: String::new(),
            section: section.to_string(),
            target: CommitTarget::AppHost,
            change,
        });
    }

    /// Queues a whole element as an entry of `section`'s collection with `attributes`.
    fn add_element(
        &mut self,
        section: &str,
        element: &ConfigElement,
        attributes: Vec<(String, String)>,
    ) -> Result<(), ServerError> {
        let registry = self.tx.hierarchy().registry();
        let collection = registry
            .section(section)
            .and_then(|s| s.root.collection_for(&element.name))
            .ok_or_else(|| {
                ServerError::Input(format!("<{}> is not an entry of {section}", element.name))
            })?;
        let key: Vec<(String, String)> = collection
            .keys()
            .filter(|k| k.is_unique_key || k.is_combined_key)
            .take(1)
            .filter_map(|k| {
                attributes
                    .iter()
                    .find(|(n, _)| *n == k.name)
                    .map(|(n, v)| (n.clone(), v.clone()))
            })
            .collect();
        let mut changes = vec![Change::Add {
            element: Vec::new(),
            attributes,
        }];
        tree::child_changes(
            element,
            &collection.entry,
            &[Step::Entry(key)],
            &mut changes,
        )?;
        for change in changes {
            self.push(section, change);
        }
        Ok(())
    }

    /// The name of the site called `site`, as written.
    fn site_name(&mut self, site: &str) -> Result<String, ServerError> {
        let doc = self.tx.hierarchy().apphost().map(|f| &f.doc);
        self.known.load(doc, site);
        self.known
            .site(site)
            .map(|s| s.name.clone())
            .ok_or_else(|| not_found(ObjectKind::Site, site))
    }

    /// The site's name and the application's path, as written.
    fn application_key(&mut self, site: &str, path: &str) -> Result<(String, String), ServerError> {
        let doc = self.tx.hierarchy().apphost().map(|f| &f.doc);
        self.known.load(doc, site);
        let known = self.known.site(site);
        let app = known.and_then(|s| s.application(path));
        match (known, app) {
            (Some(s), Some(a)) => Ok((s.name.clone(), a.path.clone())),
            _ => Err(not_found(ObjectKind::Application, &format!("{site}{path}"))),
        }
    }

    fn vdir_steps(
        &mut self,
        site: &str,
        application: &str,
        path: &str,
    ) -> Result<Vec<Step>, ServerError> {
        let missing = || {
            not_found(
                ObjectKind::VirtualDirectory,
                &vdir_name(site, application, path),
            )
        };
        let (name, app) = self
            .application_key(site, application)
            .map_err(|_| missing())?;
        let vdir = self
            .known
            .site(&name)
            .and_then(|s| s.application(&app))
            .and_then(|a| {
                a.virtual_directories
                    .iter()
                    .find(|v| v.eq_ignore_ascii_case(path))
            })
            .ok_or_else(missing)?;
        Ok(vec![
            entry("name", &name),
            entry("path", &app),
            entry("path", vdir),
        ])
    }
}

/// appcmd's name of a virtual directory.
fn vdir_name(site: &str, app: &str, path: &str) -> String {
    let app = app.trim_end_matches('/');
    if path == "/" {
        format!("{site}{app}/")
    } else {
        format!("{site}{app}{path}")
    }
}

/// Splits dotted attributes into those of the element itself (appended to `own`) and the
/// changes below it.
fn split_attributes(
    attributes: &[(String, String)],
    own: &mut Vec<(String, String)>,
) -> Result<Vec<Change>, ServerError> {
    let mut nested = Vec::new();
    for (dotted, value) in attributes {
        match set_change(dotted, value).map_err(syntax)? {
            Change::Set {
                element,
                attribute,
                value,
            } if element.is_empty() => {
                match own
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&attribute))
                {
                    Some(slot) => slot.1 = value,
                    None => own.push((attribute, value)),
                }
            }
            change => nested.push(change),
        }
    }
    Ok(nested)
}

/// Refuses a path that does not start with `/`.
fn check_path(what: &'static str, path: &str) -> Result<(), ServerError> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(ServerError::InvalidPath {
            what,
            path: path.to_string(),
            reason: "it must start with /",
        })
    }
}

fn site_steps(name: &str) -> Vec<Step> {
    vec![entry("name", name)]
}

fn entry(key: &str, value: &str) -> Step {
    Step::Entry(vec![(key.to_string(), value.to_string())])
}

fn with(steps: &[Step], step: Step) -> Vec<Step> {
    let mut out = steps.to_vec();
    out.push(step);
    out
}

/// `change` with `steps` put in front of its element path.
fn prefixed(steps: &[Step], change: Change) -> Change {
    let join = |element: Vec<Step>| -> Vec<Step> {
        let mut out = steps.to_vec();
        out.extend(element);
        out
    };
    match change {
        Change::Set {
            element,
            attribute,
            value,
        } => Change::Set {
            element: join(element),
            attribute,
            value,
        },
        Change::Add {
            element,
            attributes,
        } => Change::Add {
            element: join(element),
            attributes,
        },
        Change::Insert {
            element,
            attributes,
            position,
        } => Change::Insert {
            element: join(element),
            attributes,
            position,
        },
        Change::Remove { element, key } => Change::Remove {
            element: join(element),
            key,
        },
        Change::Clear { element, attribute } => Change::Clear {
            element: join(element),
            attribute,
        },
        Change::Lock { deny } => Change::Lock { deny },
    }
}

fn not_found(kind: ObjectKind, identifier: &str) -> ServerError {
    ServerError::NotFound {
        kind,
        identifier: identifier.to_string(),
    }
}

fn exists(kind: ObjectKind, key: &'static str, value: &str) -> ServerError {
    ServerError::Exists {
        kind,
        key,
        value: value.to_string(),
    }
}

fn syntax(e: crate::grammar::ChangeError) -> ServerError {
    ServerError::Edit(EditError::Syntax(e.to_string()))
}

/// `name`, refused as appcmd refuses a missing `/name` when it is empty.
fn required_name(name: &str, kind: ObjectKind) -> Result<String, ServerError> {
    match name.is_empty() {
        true => Err(ServerError::Missing {
            kind,
            parameter: "name",
        }),
        false => Ok(name.to_string()),
    }
}
