//! What to create: a new site, application, virtual directory or application pool,
//! described with builder methods. Only what is given is written; everything else is left
//! to the defaults (`siteDefaults`, `applicationDefaults`, `applicationPoolDefaults` and
//! the schema), as appcmd leaves it.

use super::binding::Binding;

/// A site to add ([`super::ServerManager::add_site`]).
///
/// ```
/// use iisconf_edit::server::{Binding, NewSite};
/// let site = NewSite::new("Shop")
///     .binding(Binding::parse("http/*:8080:")?)
///     .physical_path(r"C:\inetpub\shop")
///     .application_pool("Shop");
/// # Ok::<(), iisconf_edit::server::ServerError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewSite {
    /// `name`.
    pub name: String,
    /// `id`; without one, the lowest id no site has.
    pub id: Option<u32>,
    /// The bindings.
    pub bindings: Vec<Binding>,
    /// The root application's root virtual directory's `physicalPath`; with it, the root
    /// application (`/`) and its root virtual directory are created, as appcmd does.
    pub physical_path: Option<String>,
    /// The root application's `applicationPool` (with [`NewSite::physical_path`]).
    pub application_pool: Option<String>,
    /// Other attributes by dotted path below `<site>` (`serverAutoStart`,
    /// `limits.maxBandwidth`, `logFile.directory`).
    pub attributes: Vec<(String, String)>,
}

impl NewSite {
    /// A site called `name`.
    pub fn new(name: &str) -> NewSite {
        NewSite {
            name: name.to_string(),
            ..NewSite::default()
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: u32) -> NewSite {
        self.id = Some(id);
        self
    }

    /// Adds a binding.
    pub fn binding(mut self, binding: Binding) -> NewSite {
        self.bindings.push(binding);
        self
    }

    /// Creates the root application and virtual directory with this physical path.
    pub fn physical_path(mut self, path: &str) -> NewSite {
        self.physical_path = Some(path.to_string());
        self
    }

    /// The root application's pool.
    pub fn application_pool(mut self, pool: &str) -> NewSite {
        self.application_pool = Some(pool.to_string());
        self
    }

    /// Sets another attribute by dotted path (`limits.maxBandwidth`).
    pub fn attribute(mut self, dotted: &str, value: &str) -> NewSite {
        self.attributes
            .push((dotted.to_string(), value.to_string()));
        self
    }
}

/// An application to add to a site ([`super::ServerManager::add_application`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewApplication {
    /// `path` (`/api`); it must start with `/`.
    pub path: String,
    /// Its root virtual directory's `physicalPath`; with it, the root virtual directory is
    /// created.
    pub physical_path: Option<String>,
    /// `applicationPool`.
    pub application_pool: Option<String>,
    /// Other attributes by dotted path below `<application>`.
    pub attributes: Vec<(String, String)>,
}

impl NewApplication {
    /// An application at `path`.
    pub fn new(path: &str) -> NewApplication {
        NewApplication {
            path: path.to_string(),
            ..NewApplication::default()
        }
    }

    /// Creates the root virtual directory with this physical path.
    pub fn physical_path(mut self, path: &str) -> NewApplication {
        self.physical_path = Some(path.to_string());
        self
    }

    /// Sets the application's pool.
    pub fn application_pool(mut self, pool: &str) -> NewApplication {
        self.application_pool = Some(pool.to_string());
        self
    }

    /// Sets another attribute by dotted path (`preloadEnabled`).
    pub fn attribute(mut self, dotted: &str, value: &str) -> NewApplication {
        self.attributes
            .push((dotted.to_string(), value.to_string()));
        self
    }
}

/// A virtual directory to add to an application
/// ([`super::ServerManager::add_virtual_directory`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewVirtualDirectory {
    /// `path` within the application (`/images`); it must start with `/`.
    pub path: String,
    /// `physicalPath`.
    pub physical_path: Option<String>,
    /// Other attributes by dotted path below `<virtualDirectory>`.
    pub attributes: Vec<(String, String)>,
}

impl NewVirtualDirectory {
    /// A virtual directory at `path`.
    pub fn new(path: &str) -> NewVirtualDirectory {
        NewVirtualDirectory {
            path: path.to_string(),
            ..NewVirtualDirectory::default()
        }
    }

    /// Sets the physical path.
    pub fn physical_path(mut self, path: &str) -> NewVirtualDirectory {
        self.physical_path = Some(path.to_string());
        self
    }

    /// Sets another attribute by dotted path (`allowSubDirConfig`).
    pub fn attribute(mut self, dotted: &str, value: &str) -> NewVirtualDirectory {
        self.attributes
            .push((dotted.to_string(), value.to_string()));
        self
    }
}

/// An application pool to add ([`super::ServerManager::add_application_pool`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewApplicationPool {
    /// `name`.
    pub name: String,
    /// Attributes by dotted path below `<add>` (`managedRuntimeVersion`,
    /// `processModel.identityType`, `recycling.periodicRestart.time`).
    pub attributes: Vec<(String, String)>,
}

impl NewApplicationPool {
    /// A pool called `name`.
    pub fn new(name: &str) -> NewApplicationPool {
        NewApplicationPool {
            name: name.to_string(),
            ..NewApplicationPool::default()
        }
    }

    /// Sets `managedRuntimeVersion` (`v4.0`; `""` for no managed code).
    pub fn managed_runtime_version(self, version: &str) -> NewApplicationPool {
        self.attribute("managedRuntimeVersion", version)
    }

    /// Sets `managedPipelineMode` (`Integrated`, `Classic`).
    pub fn managed_pipeline_mode(self, mode: &str) -> NewApplicationPool {
        self.attribute("managedPipelineMode", mode)
    }

    /// Sets an attribute by dotted path (`processModel.identityType`).
    pub fn attribute(mut self, dotted: &str, value: &str) -> NewApplicationPool {
        self.attributes
            .push((dotted.to_string(), value.to_string()));
        self
    }
}
