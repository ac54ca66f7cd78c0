//! The fact files of the embedded schema (`schema/iis`, `schema/addons`) and the module each
//! belongs to. build.rs reads them too: it compiles them into the archive the binary decodes
//! instead of parsing them (see `archive`).

/// The project's own schema files, embedded in the binary: `(name, text)`, the name being
/// the path below `schema/`. A file's module is its file name up to the first dot.
pub const EMBEDDED_SCHEMA: &[(&str, &str)] = &[
    (
        "iis/core.applicationHost.xml",
        include_str!("../../schema/iis/core.applicationHost.xml"),
    ),
    (
        "iis/core.webServer.xml",
        include_str!("../../schema/iis/core.webServer.xml"),
    ),
    (
        "iis/core.administration.xml",
        include_str!("../../schema/iis/core.administration.xml"),
    ),
    (
        "iis/core.runtime.xml",
        include_str!("../../schema/iis/core.runtime.xml"),
    ),
    (
        "iis/aspnet.xml",
        include_str!("../../schema/iis/aspnet.xml"),
    ),
    ("iis/netfx.xml", include_str!("../../schema/iis/netfx.xml")),
    ("iis/ftp.xml", include_str!("../../schema/iis/ftp.xml")),
    (
        "iis/ftp.runtime.xml",
        include_str!("../../schema/iis/ftp.runtime.xml"),
    ),
    (
        "addons/rewrite.xml",
        include_str!("../../schema/addons/rewrite.xml"),
    ),
    (
        "addons/arr.xml",
        include_str!("../../schema/addons/arr.xml"),
    ),
    (
        "addons/webfarm.xml",
        include_str!("../../schema/addons/webfarm.xml"),
    ),
    (
        "addons/aspNetCore.xml",
        include_str!("../../schema/addons/aspNetCore.xml"),
    ),
    (
        "addons/webdav.xml",
        include_str!("../../schema/addons/webdav.xml"),
    ),
    (
        "addons/webDeploy.delegation.xml",
        include_str!("../../schema/addons/webDeploy.delegation.xml"),
    ),
    (
        "addons/webDeploy.backup.xml",
        include_str!("../../schema/addons/webDeploy.backup.xml"),
    ),
];

/// The modules of a stock IIS 10 server (web server, ASP.NET, .NET Framework, FTP): always
/// part of the embedded schema.
pub const INBOX_MODULES: &[&str] = &["core", "aspnet", "netfx", "ftp"];

/// The add-on modules the embedded schema knows, by the names `iisconf.toml`'s `modules`
/// uses (URL Rewrite, Application Request Routing, the web farm framework, the ASP.NET Core
/// Module, WebDAV publishing, Web Deploy).
pub const ADDON_MODULES: &[&str] = &[
    "rewrite",
    "arr",
    "webfarm",
    "aspNetCore",
    "webdav",
    "webDeploy",
];

/// The module of an embedded file name (`iis/core.runtime.xml` → `core`).
pub fn module_of(name: &str) -> &str {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.split('.').next().unwrap_or(file)
}

/// The add-on module called `name` (compared without regard to ASCII case), as
/// [`ADDON_MODULES`] spells it.
pub fn addon_module(name: &str) -> Option<&'static str> {
    ADDON_MODULES
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(name.trim()))
}

/// The name an embedded file is loaded under, in [`crate::schema::SchemaFile`] and origins
/// (`embedded:iis/core.webServer.xml`).
pub(crate) fn embedded_file_name(name: &str) -> String {
    format!("embedded:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_belongs_to_a_known_module() {
        for (name, _) in EMBEDDED_SCHEMA {
            let module = module_of(name);
            assert!(
                INBOX_MODULES.contains(&module) || ADDON_MODULES.contains(&module),
                "{name}"
            );
        }
        assert_eq!(module_of("iis/core.runtime.xml"), "core");
        assert_eq!(addon_module(" ASPNETCORE "), Some("aspNetCore"));
        assert_eq!(addon_module("nosuch"), None);
    }
}
