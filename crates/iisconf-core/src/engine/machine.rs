//! Sections that machine.config (and the root web.config) of .NET Framework 4.x declare.
//!
//! IIS reads machine.config and the root web.config as the MACHINE and MACHINE/WEBROOT
//! levels, so a web.config may use these sections without declaring them. Only some of them
//! have an IIS schema (FX_schema.xml and ASPNET_schema.xml); the others (`runtime`,
//! `system.serviceModel`…) are read by .NET alone and IIS never needs a schema for them.

/// (section, whether IIS ships a schema for it in FX_schema.xml or ASPNET_schema.xml).
const SECTIONS: &[(&str, bool)] = &[
    ("appSettings", true),
    ("configProtectedData", true),
    ("connectionStrings", true),
    ("system.codedom", true),
    ("system.data", true),
    ("system.diagnostics", true),
    ("system.windows.forms", true),
    ("system.net/authenticationModules", true),
    ("system.net/connectionManagement", true),
    ("system.net/defaultProxy", true),
    ("system.net/requestCaching", true),
    ("system.net/settings", true),
    ("system.net/webRequestModules", true),
    ("system.net/mailSettings/smtp", true),
    ("system.transactions/defaultSettings", true),
    ("system.transactions/machineSettings", true),
    ("system.xml.serialization/dateTimeSerialization", true),
    ("system.xml.serialization/schemaImporterExtensions", true),
    ("system.xml.serialization/xmlSerializer", true),
    ("system.web/anonymousIdentification", true),
    ("system.web/authentication", true),
    ("system.web/authorization", true),
    ("system.web/browserCaps", true),
    ("system.web/clientTarget", true),
    ("system.web/compilation", true),
    ("system.web/customErrors", true),
    ("system.web/deployment", true),
    ("system.web/deviceFilters", true),
    ("system.web/fullTrustAssemblies", true),
    ("system.web/globalization", true),
    ("system.web/healthMonitoring", true),
    ("system.web/hostingEnvironment", true),
    ("system.web/httpCookies", true),
    ("system.web/httpHandlers", true),
    ("system.web/httpModules", true),
    ("system.web/httpRuntime", true),
    ("system.web/identity", true),
    ("system.web/machineKey", true),
    ("system.web/membership", true),
    ("system.web/mobileControls", true),
    ("system.web/pages", true),
    ("system.web/partialTrustVisibleAssemblies", true),
    ("system.web/processModel", true),
    ("system.web/profile", true),
    ("system.web/protocols", true),
    ("system.web/roleManager", true),
    ("system.web/securityPolicy", true),
    ("system.web/sessionPageState", true),
    ("system.web/sessionState", true),
    ("system.web/siteMap", true),
    ("system.web/trace", true),
    ("system.web/trust", true),
    ("system.web/urlMappings", true),
    ("system.web/webControls", true),
    ("system.web/webParts", true),
    ("system.web/webServices", true),
    ("system.web/xhtmlConformance", true),
    ("system.web/caching/cache", true),
    ("system.web/caching/outputCache", true),
    ("system.web/caching/outputCacheSettings", true),
    ("system.web/caching/sqlCacheDependency", true),
    // Read by .NET only (IgnoreSection or managed handlers without an IIS schema).
    ("mscorlib", false),
    ("runtime", false),
    ("assemblyBinding", false),
    ("satelliteassemblies", false),
    ("startup", false),
    ("windows", false),
    ("uri", false),
    ("system.data.dataset", false),
    ("system.data.odbc", false),
    ("system.data.oledb", false),
    ("system.data.oracleclient", false),
    ("system.data.sqlclient", false),
    ("system.runtime.remoting", false),
    ("system.identityModel", false),
    ("system.identityModel.services", false),
    ("system.runtime.caching/memoryCache", false),
    ("system.runtime.serialization/dataContractSerializer", false),
    ("system.serviceModel/behaviors", false),
    ("system.serviceModel/bindings", false),
    ("system.serviceModel/client", false),
    ("system.serviceModel/comContracts", false),
    ("system.serviceModel/commonBehaviors", false),
    ("system.serviceModel/diagnostics", false),
    ("system.serviceModel/extensions", false),
    ("system.serviceModel/machineSettings", false),
    ("system.serviceModel/protocolMapping", false),
    ("system.serviceModel/routing", false),
    ("system.serviceModel/serviceHostingEnvironment", false),
    ("system.serviceModel/services", false),
    ("system.serviceModel/standardEndpoints", false),
    ("system.serviceModel/tracking", false),
    ("system.serviceModel.activation/diagnostics", false),
    ("system.serviceModel.activation/net.pipe", false),
    ("system.serviceModel.activation/net.tcp", false),
    (
        "system.web.extensions/scripting/scriptResourceHandler",
        false,
    ),
    (
        "system.web.extensions/scripting/webServices/jsonSerialization",
        false,
    ),
    (
        "system.web.extensions/scripting/webServices/profileService",
        false,
    ),
    (
        "system.web.extensions/scripting/webServices/authenticationService",
        false,
    ),
    (
        "system.web.extensions/scripting/webServices/roleService",
        false,
    ),
    ("system.xaml.hosting/httpHandlers", false),
];

/// Every section machine.config and the root web.config declare.
pub fn sections() -> impl Iterator<Item = &'static str> {
    SECTIONS.iter().map(|(name, _)| *name)
}

/// Whether machine.config or the root web.config declares `section`.
pub fn declares(section: &str) -> bool {
    SECTIONS.iter().any(|(name, _)| *name == section)
}

/// Whether `section` is a .NET section IIS ships no schema for: it needs none.
pub fn needs_no_schema(section: &str) -> bool {
    SECTIONS
        .iter()
        .any(|(name, schema)| *name == section && !schema)
}
