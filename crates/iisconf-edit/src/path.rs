//! Paths as the transactions take them. Element paths below a section: the grammar lives in
//! [`crate::grammar::path`]; this module keeps its established names and reports a path
//! that cannot be read as an [`EditError::Syntax`]. Config paths written as URLs
//! (`http://localhost/app1/`, read by [`crate::grammar::url`]) are mapped here through the
//! sites' bindings to `Site/app1`, as appcmd maps them.

use super::EditError;
use crate::grammar::url::{parse_url, ConfigUrl, UrlError};
use iisconf_core::engine::Hierarchy;

pub use crate::grammar::path::{display_steps, split_outside, Step};

/// Parses a path of steps. An empty text is the section itself (no steps).
pub fn parse_steps(text: &str) -> Result<Vec<Step>, EditError> {
    crate::grammar::path::parse_steps(text).map_err(|e| EditError::Syntax(e.to_string()))
}

/// A URL config path that names no site.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlPathError {
    /// The URL cannot be read.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// No site has a binding for the URL's scheme, host and port.
    #[error(
        "no site has a binding for {scheme}://{host}:{port}/ (the sites' bindings are: {bindings})"
    )]
    NoSite {
        /// The scheme.
        scheme: String,
        /// The host.
        host: String,
        /// The port.
        port: u16,
        /// Every binding, `site protocol/IP:port:host`, for the user to compare.
        bindings: String,
    },
}

/// One `<binding>` of a site.
struct Binding {
    site: String,
    protocol: String,
    ip: String,
    port: u16,
    host: String,
}

/// The config path of `text`: a URL (`http://localhost/app1/`) becomes `Site/app1`
/// through the sites' bindings; any other text is returned as given.
///
/// A binding matches when its protocol is the URL's scheme, its port the URL's port, and
/// its host header the URL's host — or, with no host header, when its IP address is `*`
/// or the URL's host. A binding with the host header wins over one without, as in
/// HTTP.sys.
pub fn config_path_of_url(h: &Hierarchy, text: &str) -> Result<String, UrlPathError> {
    let Some(url) = parse_url(text) else {
        return Ok(text.to_string());
    };
    let url = url?;
    let apphost = h.apphost();
    let bindings = apphost.map(read_bindings).unwrap_or_default();
    let site = best_site(&bindings, &url).ok_or_else(|| UrlPathError::NoSite {
        scheme: url.scheme.clone(),
        host: url.host.clone(),
        port: url.port,
        bindings: if bindings.is_empty() {
            "none".to_string()
        } else {
            bindings
                .iter()
                .map(|b| format!("{} {}/{}:{}:{}", b.site, b.protocol, b.ip, b.port, b.host))
                .collect::<Vec<_>>()
                .join(", ")
        },
    })?;
    Ok(if url.path.is_empty() {
        site.to_string()
    } else {
        format!("{site}/{}", url.path)
    })
}

/// The site whose binding fits the URL best: a host-header match, else a match on the IP
/// address or `*`.
fn best_site<'b>(bindings: &'b [Binding], url: &ConfigUrl) -> Option<&'b str> {
    let host = url.host.trim_matches(['[', ']']);
    let candidates = || {
        bindings
            .iter()
            .filter(|b| b.protocol.eq_ignore_ascii_case(&url.scheme) && b.port == url.port)
    };
    candidates()
        .find(|b| !b.host.is_empty() && b.host.eq_ignore_ascii_case(host))
        .or_else(|| {
            candidates().find(|b| {
                b.host.is_empty()
                    && (b.ip.is_empty() || b.ip == "*" || b.ip.eq_ignore_ascii_case(host))
            })
        })
        .map(|b| b.site.as_str())
}

/// Every `<binding>` of `system.applicationHost/sites` in applicationHost.config.
fn read_bindings(apphost: &iisconf_core::config::ConfigFile) -> Vec<Binding> {
    let mut out = Vec::new();
    let Some((_, sites)) = apphost.find_section("", "system.applicationHost/sites") else {
        return out;
    };
    let doc = &apphost.doc;
    for site in doc.child_elements(sites).filter(|s| doc.name(*s) == "site") {
        let Some(name) = doc.attribute_value(site, "name") else {
            continue;
        };
        let Some(list) = doc.child_element(site, "bindings") else {
            continue;
        };
        for b in doc
            .child_elements(list)
            .filter(|b| doc.name(*b) == "binding")
        {
            let protocol = doc.attribute_value(b, "protocol").unwrap_or_default();
            let info = doc
                .attribute_value(b, "bindingInformation")
                .unwrap_or_default();
            // IP:port:host; an IPv6 address is in brackets.
            let (rest, host) = info.rsplit_once(':').unwrap_or((&info, ""));
            let (ip, port) = rest.rsplit_once(':').unwrap_or(("", rest));
            let Ok(port) = port.trim().parse::<u16>() else {
                continue;
            };
            out.push(Binding {
                site: name.to_string(),
                protocol: protocol.into_owned(),
                ip: ip.trim_matches(['[', ']']).to_string(),
                port,
                host: host.to_string(),
            });
        }
    }
    out
}
