//! Config paths written as URLs, as appcmd takes them: `http://host[:port]/path/`.
//!
//! The IIS documentation's own sample commits through one:
//! `appcmd set config http://localhost/app1/ /section:directoryBrowse /enabled:true
//! /commit:site` (<https://learn.microsoft.com/en-us/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe>).
//! This module reads the URL; [`crate::path::config_path_of_url`] maps its host and port
//! through the sites' bindings to `Site/path`.

/// A URL config path, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigUrl {
    /// The scheme, lower-cased (`http`, `https`).
    pub scheme: String,
    /// The host as written (`localhost`, `www.example.com`, `10.0.0.1`, `[::1]`).
    pub host: String,
    /// The port: written, or the scheme's default (80, 443).
    pub port: u16,
    /// The path below the site, without leading or trailing `/`, percent-decoded
    /// (`app1`, `shop/images`; empty for the site itself).
    pub path: String,
}

/// A URL config path that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// A scheme other than http or https.
    #[error(
        "the URL \"{url}\" has the scheme \"{scheme}\": config paths are http:// or https:// URLs"
    )]
    Scheme {
        /// The URL.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// No host, or a port that is not a number from 1 to 65535.
    #[error("cannot read the host and port of \"{url}\": write http://HOST[:PORT]/PATH/")]
    Authority {
        /// The URL.
        url: String,
    },
}

/// Whether `text` is written as a URL (`scheme://…`) rather than a config path.
pub fn is_url(text: &str) -> bool {
    text.trim().split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
    })
}

/// Reads a URL config path; `None` when `text` is not a URL.
pub fn parse_url(text: &str) -> Option<Result<ConfigUrl, UrlError>> {
    if !is_url(text) {
        return None;
    }
    let url = text.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => {
            return Some(Err(UrlError::Scheme {
                url: url.to_string(),
                scheme,
            }))
        }
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let bad = || UrlError::Authority {
        url: url.to_string(),
    };
    let (host, port) = match split_port(authority) {
        Some((host, Some(port))) => match port.parse::<u16>() {
            Ok(p) if p > 0 => (host, p),
            _ => return Some(Err(bad())),
        },
        Some((host, None)) => (host, default_port),
        None => return Some(Err(bad())),
    };
    if host.is_empty() {
        return Some(Err(bad()));
    }
    Some(Ok(ConfigUrl {
        scheme,
        host: host.to_string(),
        port,
        path: percent_decode(path.trim_matches('/')),
    }))
}

/// Splits `host[:port]` (an IPv6 host in brackets keeps its colons).
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, rest) = authority.split_at(close + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if rest.is_empty() => Some((host, None)),
            None => None,
        };
    }
    Some(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

/// Decodes `%XX` escapes (an escape that is not two hex digits, or bytes that are not
/// UTF-8, stay as written).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> ConfigUrl {
        match parse_url(text) {
            Some(Ok(u)) => u,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_documentation_sample() {
        assert_eq!(
            url("http://localhost/app1/"),
            ConfigUrl {
                scheme: "http".into(),
                host: "localhost".into(),
                port: 80,
                path: "app1".into(),
            }
        );
        assert_eq!(url("HTTPS://Example.com:8443").port, 8443);
        assert_eq!(url("https://example.com").port, 443);
        assert_eq!(url("http://[::1]:8080/a/b%20c/?x=1").path, "a/b c");
        assert_eq!(url("http://[::1]/").host, "[::1]");
    }

    #[test]
    fn tells_urls_from_config_paths() {
        assert!(parse_url("Default Web Site/app1").is_none());
        assert!(parse_url("MACHINE/WEBROOT/APPHOST").is_none());
        assert!(parse_url("").is_none());
        assert!(matches!(
            parse_url("ftp://host/"),
            Some(Err(UrlError::Scheme { .. }))
        ));
        for bad in [
            "http://host:0/",
            "http://host:x/",
            "http:///a",
            "http://[::1/",
        ] {
            assert!(
                matches!(parse_url(bad), Some(Err(UrlError::Authority { .. }))),
                "{bad}"
            );
        }
    }
}
