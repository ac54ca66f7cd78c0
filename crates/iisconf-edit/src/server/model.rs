//! The typed objects of a server, read from the effective `system.applicationHost/sites`
//! and `system.applicationHost/applicationPools`: each field holds its value with the
//! schema's and the default elements' defaults applied, and says where the value came from.

use super::binding::Binding;
use super::error::ServerError;
use iisconf_core::engine::{EffectiveAttribute, EffectiveElement, Provenance};
use serde::Serialize;

/// Where a field's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Source {
    /// Written on the object's own element.
    Written,
    /// Inherited from a default element (`siteDefaults`, `applicationDefaults`,
    /// `virtualDirectoryDefaults`, `applicationPoolDefaults`).
    Defaults {
        /// The default element's name.
        element: String,
    },
    /// The schema's default value (or no value at all, for an attribute without one).
    Schema,
}

/// A typed value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field<T> {
    /// The effective value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

impl<T> Field<T> {
    /// Whether the value is written on the object itself (not inherited).
    pub fn is_written(&self) -> bool {
        self.source == Source::Written
    }
}

/// A site (`<site>` of `system.applicationHost/sites`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// `name`, the key.
    pub name: String,
    /// `id`.
    pub id: Field<u32>,
    /// `serverAutoStart` (default true).
    pub server_auto_start: Field<bool>,
    /// The bindings, in order.
    pub bindings: Vec<Binding>,
    /// The applications, in order (the root application `/` first as written).
    pub applications: Vec<Application>,
    /// The effective element, for any other attribute ([`Site::get`]).
    #[serde(skip)]
    pub element: EffectiveElement,
}

/// An application of a site (`<application>`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The site's name.
    pub site: String,
    /// `path`, the key (`/`, `/api`).
    pub path: String,
    /// `applicationPool` (from `applicationDefaults` when not written).
    pub application_pool: Field<String>,
    /// `enabledProtocols` (default `http`).
    pub enabled_protocols: Field<String>,
    /// `preloadEnabled` (default false).
    pub preload_enabled: Field<bool>,
    /// The virtual directories, in order.
    pub virtual_directories: Vec<VirtualDirectory>,
    /// The effective element, for any other attribute ([`Application::get`]).
    #[serde(skip)]
    pub element: EffectiveElement,
}

/// A virtual directory of an application (`<virtualDirectory>`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualDirectory {
    /// The site's name.
    pub site: String,
    /// The application's path.
    pub application: String,
    /// `path` within the application, the key (`/`, `/images`).
    pub path: String,
    /// `physicalPath`, as written (variables unexpanded).
    pub physical_path: Field<String>,
    /// `userName` (empty: the application's identity).
    pub user_name: Field<String>,
    /// `allowSubDirConfig` (default true).
    pub allow_sub_dir_config: Field<bool>,
    /// The effective element, for any other attribute ([`VirtualDirectory::get`]).
    #[serde(skip)]
    pub element: EffectiveElement,
}

/// An application pool (`<add>` of `system.applicationHost/applicationPools`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationPool {
    /// `name`, the key.
    pub name: String,
    /// `managedRuntimeVersion` (`v4.0`, `v2.0`, empty for no managed code).
    pub managed_runtime_version: Field<String>,
    /// `managedPipelineMode` (`Integrated`, `Classic`).
    pub managed_pipeline_mode: Field<String>,
    /// `autoStart` (default true).
    pub auto_start: Field<bool>,
    /// `enable32BitAppOnWin64` (default false).
    pub enable_32_bit_app_on_win64: Field<bool>,
    /// `startMode` (`OnDemand`, `AlwaysRunning`).
    pub start_mode: Field<String>,
    /// `processModel.identityType`.
    pub identity_type: Field<String>,
    /// The effective element, for any other attribute ([`ApplicationPool::get`]).
    #[serde(skip)]
    pub element: EffectiveElement,
}

macro_rules! dotted_get {
    ($($t:ty),*) => {$(
        impl $t {
            /// Any attribute by its dotted path below the element (`limits.maxBandwidth`,
            /// `processModel.identityType`), with defaults applied.
            pub fn get(&self, dotted: &str) -> Option<&EffectiveAttribute> {
                self.element.lookup(dotted)
            }
        }
    )*};
}
dotted_get!(Site, Application, VirtualDirectory, ApplicationPool);

impl Site {
    /// The application at `path` (any letter case).
    pub fn application(&self, path: &str) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.path.eq_ignore_ascii_case(path))
    }

    /// appcmd's `bindings` property: every binding in `protocol/information` form,
    /// comma-separated.
    pub fn bindings_text(&self) -> String {
        self.bindings
            .iter()
            .map(Binding::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl Application {
    /// appcmd's name of the application: the site's name and the path (`Shop/`, `Shop/api`).
    pub fn name(&self) -> String {
        format!("{}{}", self.site, self.path)
    }

    /// The virtual directory at `path` (any letter case).
    pub fn virtual_directory(&self, path: &str) -> Option<&VirtualDirectory> {
        self.virtual_directories
            .iter()
            .find(|v| v.path.eq_ignore_ascii_case(path))
    }
}

impl VirtualDirectory {
    /// appcmd's name of the virtual directory: the application's name and the path within
    /// it (`Shop/`, `Shop/images`, `Shop/api/`, `Shop/api/docs`).
    pub fn name(&self) -> String {
        let app = self.application.trim_end_matches('/');
        if self.path == "/" {
            format!("{}{}/", self.site, app)
        } else {
            format!("{}{}{}", self.site, app, self.path)
        }
    }

    /// appcmd's name of its application.
    pub fn application_name(&self) -> String {
        format!("{}{}", self.site, self.application)
    }
}

/// Reads every site of an effective `system.applicationHost/sites`.
pub(crate) fn read_sites(root: &EffectiveElement) -> Result<Vec<Site>, ServerError> {
    root.entries
        .iter()
        .filter(|e| e.directive == "site")
        .map(|e| read_site(&e.element))
        .collect()
}

/// Reads every pool of an effective `system.applicationHost/applicationPools`.
pub(crate) fn read_pools(root: &EffectiveElement) -> Result<Vec<ApplicationPool>, ServerError> {
    root.entries
        .iter()
        .filter(|e| e.directive == "add")
        .map(|e| read_pool(&e.element))
        .collect()
}

fn read_site(e: &EffectiveElement) -> Result<Site, ServerError> {
    let name = text(e, "name").value;
    let object = format!("SITE \"{name}\"");
    let bindings = e
        .child("bindings")
        .map(|b| {
            b.entries
                .iter()
                .filter(|x| x.directive == "binding")
                .map(|x| Binding {
                    protocol: text(&x.element, "protocol").value,
                    binding_information: text(&x.element, "bindingInformation").value,
                })
                .collect()
        })
        .unwrap_or_default();
    let applications = e
        .entries
        .iter()
        .filter(|x| x.directive == "application")
        .map(|x| read_application(&name, &x.element))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Site {
        id: number(e, "id", &object)?,
        server_auto_start: flag(e, "serverAutoStart", &object)?,
        bindings,
        applications,
        element: e.clone(),
        name,
    })
}

fn read_application(site: &str, e: &EffectiveElement) -> Result<Application, ServerError> {
    let path = text(e, "path").value;
    let object = format!("APP \"{site}{path}\"");
    let virtual_directories = e
        .entries
        .iter()
        .filter(|x| x.directive == "virtualDirectory")
        .map(|x| {
            let v = &x.element;
            Ok(VirtualDirectory {
                site: site.to_string(),
                application: path.clone(),
                path: text(v, "path").value,
                physical_path: text(v, "physicalPath"),
                user_name: text(v, "userName"),
                allow_sub_dir_config: flag(v, "allowSubDirConfig", &object)?,
                element: v.clone(),
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok(Application {
        site: site.to_string(),
        application_pool: text(e, "applicationPool"),
        enabled_protocols: text(e, "enabledProtocols"),
        preload_enabled: flag(e, "preloadEnabled", &object)?,
        virtual_directories,
        element: e.clone(),
        path,
    })
}

fn read_pool(e: &EffectiveElement) -> Result<ApplicationPool, ServerError> {
    let name = text(e, "name").value;
    let object = format!("APPPOOL \"{name}\"");
    let identity_type = e
        .child("processModel")
        .map(|p| text(p, "identityType"))
        .unwrap_or(Field {
            value: String::new(),
            source: Source::Schema,
        });
    Ok(ApplicationPool {
        managed_runtime_version: text(e, "managedRuntimeVersion"),
        managed_pipeline_mode: text(e, "managedPipelineMode"),
        auto_start: flag(e, "autoStart", &object)?,
        enable_32_bit_app_on_win64: flag(e, "enable32BitAppOnWin64", &object)?,
        start_mode: text(e, "startMode"),
        identity_type,
        element: e.clone(),
        name,
    })
}

fn source(origin: &Provenance) -> Source {
    match origin {
        Provenance::File { .. } => Source::Written,
        Provenance::CollectionDefault { element } => Source::Defaults {
            element: element.clone(),
        },
        Provenance::SchemaDefault => Source::Schema,
    }
}

/// A string attribute (empty, from the schema, when it has no value).
fn text(e: &EffectiveElement, name: &str) -> Field<String> {
    match e.attribute(name) {
        Some(a) => Field {
            value: a.value.clone(),
            source: source(&a.origin),
        },
        None => Field {
            value: String::new(),
            source: Source::Schema,
        },
    }
}

fn flag(e: &EffectiveElement, name: &str, object: &str) -> Result<Field<bool>, ServerError> {
    let Field { value, source } = text(e, name);
    let parsed = if value.eq_ignore_ascii_case("true") {
        true
    } else if value.eq_ignore_ascii_case("false") || value.is_empty() {
        false
    } else {
        return Err(invalid(object, name, value, "bool (true or false)"));
    };
    Ok(Field {
        value: parsed,
        source,
    })
}

fn number(e: &EffectiveElement, name: &str, object: &str) -> Result<Field<u32>, ServerError> {
    let Field { value, source } = text(e, name);
    let parsed = if value.is_empty() {
        0
    } else {
        value
            .trim()
            .parse()
            .map_err(|_| invalid(object, name, value.clone(), "uint"))?
    };
    Ok(Field {
        value: parsed,
        source,
    })
}

fn invalid(object: &str, attribute: &str, value: String, expected: &'static str) -> ServerError {
    ServerError::Value {
        object: object.to_string(),
        attribute: attribute.to_string(),
        value,
        expected,
    }
}
