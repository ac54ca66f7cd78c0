//! Site bindings: `protocol` and `bindingInformation`, read from appcmd's two notations
//! (`http/*:80:host` and the URL form `http://host:80`) and checked before anything is
//! written.

use super::error::ServerError;
use serde::Serialize;

/// One binding of a site (`<binding protocol="http" bindingInformation="*:80:" />`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// The protocol (`http`, `https`, `net.tcp`, `ftp`).
    pub protocol: String,
    /// The protocol's binding information (`*:80:`, `10.0.0.1:443:shop.example.com`).
    pub binding_information: String,
}

impl Binding {
    /// A binding of `protocol` with `binding_information`, checked as [`Binding::parse`]
    /// checks it.
    pub fn new(protocol: &str, binding_information: &str) -> Result<Binding, ServerError> {
        let binding = Binding {
            protocol: protocol.to_string(),
            binding_information: binding_information.to_string(),
        };
        binding.check(&binding.to_string())?;
        Ok(binding)
    }

    /// Reads one binding in appcmd's notation: `protocol/bindingInformation`
    /// (`http/*:80:`, `https/*:443:shop.example.com`, `net.tcp/808:*`) or a URL
    /// (`http://*:80`, `http://www.example.com` — host name, port 80 or 443 by default).
    /// An http or https binding's information must be `IP:PORT:HOST` with a port from 1
    /// to 65535.
    pub fn parse(text: &str) -> Result<Binding, ServerError> {
        let text = text.trim();
        let invalid = |reason: &str| ServerError::InvalidBinding {
            binding: text.to_string(),
            reason: reason.to_string(),
        };
        let binding = if let Some((protocol, rest)) = text.split_once("://") {
            from_url(protocol, rest).ok_or_else(|| {
                invalid("a URL binding is PROTOCOL://HOST[:PORT] (http://*:8080, http://www.example.com)")
            })?
        } else {
            let (protocol, info) = text.split_once('/').ok_or_else(|| {
                invalid(
                    "a binding is PROTOCOL/BINDINGINFORMATION (http/*:80:) or a URL (http://*:80)",
                )
            })?;
            Binding {
                protocol: protocol.to_string(),
                binding_information: info.to_string(),
            }
        };
        binding.check(text)?;
        Ok(binding)
    }

    /// Reads a comma-separated list of bindings (`http/*:80:,https/*:443:`).
    pub fn parse_list(text: &str) -> Result<Vec<Binding>, ServerError> {
        text.split(',')
            .filter(|b| !b.trim().is_empty())
            .map(Binding::parse)
            .collect()
    }

    fn check(&self, text: &str) -> Result<(), ServerError> {
        let invalid = |reason: String| ServerError::InvalidBinding {
            binding: text.to_string(),
            reason,
        };
        let valid_protocol = !self.protocol.is_empty()
            && self
                .protocol
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        if !valid_protocol {
            return Err(invalid(format!(
                "\"{}\" is not a protocol name",
                self.protocol
            )));
        }
        if self.binding_information.trim().is_empty() {
            return Err(invalid("the binding information is empty".to_string()));
        }
        if self.is_http() {
            check_http(&self.binding_information).map_err(|r| invalid(r.to_string()))?;
        }
        Ok(())
    }

    /// Whether the protocol is `http` or `https` (any letter case).
    pub fn is_http(&self) -> bool {
        self.protocol.eq_ignore_ascii_case("http") || self.protocol.eq_ignore_ascii_case("https")
    }

    /// The `(protocol, bindingInformation)` attributes of the `<binding>` element.
    pub fn attributes(&self) -> Vec<(String, String)> {
        vec![
            ("protocol".to_string(), self.protocol.clone()),
            (
                "bindingInformation".to_string(),
                self.binding_information.clone(),
            ),
        ]
    }
}

/// appcmd's notation, `protocol/bindingInformation`.
impl std::fmt::Display for Binding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.protocol, self.binding_information)
    }
}

/// `http://host[:port][/]` as `*:port:host` (`*` as the host binds every host name).
fn from_url(protocol: &str, rest: &str) -> Option<Binding> {
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains('/') {
        return None;
    }
    let default_port = if protocol.eq_ignore_ascii_case("https") {
        "443"
    } else {
        "80"
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, p),
        _ => (authority, default_port),
    };
    let host = if host == "*" { "" } else { host };
    Some(Binding {
        protocol: protocol.to_string(),
        binding_information: format!("*:{port}:{host}"),
    })
}

/// Checks `IP:PORT:HOST` (IPv6 addresses in brackets).
fn check_http(info: &str) -> Result<(), &'static str> {
    const SHAPE: &str =
        "the binding information of an http or https binding is IP:PORT:HOST (*:80:, *:443:www.example.com)";
    let (address, rest) = if let Some(v6) = info.strip_prefix('[') {
        let (_, after) = v6.split_once(']').ok_or(SHAPE)?;
        ("[v6]", after.strip_prefix(':').ok_or(SHAPE)?)
    } else {
        info.split_once(':').ok_or(SHAPE)?
    };
    let (port, _host) = rest.split_once(':').ok_or(SHAPE)?;
    if address.is_empty() {
        return Err(SHAPE);
    }
    match port.parse::<u32>() {
        Ok(1..=65535) => Ok(()),
        _ => Err("the port must be a number from 1 to 65535"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(text: &str) -> String {
        Binding::parse(text).unwrap().binding_information
    }

    #[test]
    fn reads_both_notations() {
        assert_eq!(info("http/*:80:"), "*:80:");
        assert_eq!(
            info("https/*:443:shop.example.com"),
            "*:443:shop.example.com"
        );
        assert_eq!(info("http://*:81"), "*:81:");
        assert_eq!(info("http://www.domain.com:80"), "*:80:www.domain.com");
        assert_eq!(
            info("https://secure.example.com"),
            "*:443:secure.example.com"
        );
        assert_eq!(info("net.tcp/808:*"), "808:*");
        assert_eq!(info("http/[::1]:8080:"), "[::1]:8080:");
        assert_eq!(
            Binding::parse_list("http/*:80:,https/*:443:")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn refuses_malformed_bindings() {
        for bad in [
            "http/*:80",
            "http/*:0:",
            "http/*:99999:",
            "http/*:port:",
            "*:80:",
            "http/",
            "ht tp/*:80:",
            "http://",
        ] {
            assert!(Binding::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}
