//! Mapping FTP server instances (ProFTPD ServerName, listening address or port) to IIS
//! FTP site names.

use crate::model::{FtpSession, SessionError};

/// How a session is recognised as belonging to a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteMatch {
    /// The server port the client connected to.
    Port(u16),
    /// The server's virtual host name (ProFTPD `ServerName`), compared case-insensitively.
    ServerName(String),
    /// The server address the client connected to (`127.0.0.1`), optionally with a port
    /// (`127.0.0.1:2121`).
    Address(String),
}

/// One mapping: sessions matching `matcher` belong to IIS FTP site `site`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRule {
    /// The IIS FTP site name.
    pub site: String,
    /// What identifies the server instance.
    pub matcher: SiteMatch,
}

impl SiteRule {
    /// Parses `SITE=port:N`, `SITE=name:SERVERNAME` or `SITE=address:IP[:PORT]`.
    pub fn parse(text: &str) -> Result<Self, SessionError> {
        let bad = |message: &str| SessionError::Parse {
            what: format!("site mapping {text:?}"),
            message: format!(
                "{message}; expected SITE=port:N, SITE=name:SERVERNAME or SITE=address:IP[:PORT]"
            ),
        };
        let (site, spec) = text.rsplit_once('=').ok_or_else(|| bad("no `=`"))?;
        let site = site.trim();
        if site.is_empty() {
            return Err(bad("empty site name"));
        }
        let (kind, value) = spec
            .split_once(':')
            .ok_or_else(|| bad("no `kind:` prefix"))?;
        let value = value.trim();
        let matcher = match kind.trim() {
            "port" => SiteMatch::Port(value.parse().map_err(|_| bad("bad port number"))?),
            "name" if !value.is_empty() => SiteMatch::ServerName(value.to_string()),
            "address" if !value.is_empty() => SiteMatch::Address(value.to_string()),
            _ => return Err(bad("unknown kind or empty value")),
        };
        Ok(Self {
            site: site.to_string(),
            matcher,
        })
    }

    fn matches(&self, session: &FtpSession) -> bool {
        let x = &session.extras;
        match &self.matcher {
            SiteMatch::Port(port) => x.server_port == Some(*port),
            SiteMatch::ServerName(name) => x
                .server_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name)),
            SiteMatch::Address(addr) => match (x.server_address.as_deref(), x.server_port) {
                (Some(a), Some(p)) => a == addr || format!("{a}:{p}") == *addr,
                (Some(a), None) => a == addr,
                _ => false,
            },
        }
    }
}

/// The mapping of server instances to IIS FTP site names; the first matching rule wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteMap {
    rules: Vec<SiteRule>,
}

impl SiteMap {
    /// A mapping with the given rules.
    pub fn new(rules: Vec<SiteRule>) -> Self {
        Self { rules }
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[SiteRule] {
        &self.rules
    }

    /// Sets `extras.site` on every session a rule matches, then keeps the sessions of
    /// `site` (all sessions when `None`). A site no rule names is an error.
    pub fn apply(
        &self,
        mut sessions: Vec<FtpSession>,
        site: Option<&str>,
    ) -> Result<Vec<FtpSession>, SessionError> {
        for s in &mut sessions {
            if let Some(rule) = self.rules.iter().find(|r| r.matches(s)) {
                s.extras.site = Some(rule.site.clone());
            }
        }
        let Some(site) = site else {
            return Ok(sessions);
        };
        if !self.rules.iter().any(|r| r.site.eq_ignore_ascii_case(site)) {
            let mut known: Vec<&str> = self.rules.iter().map(|r| r.site.as_str()).collect();
            known.dedup();
            return Err(SessionError::UnknownSite {
                site: site.to_string(),
                known: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            });
        }
        Ok(super::of_site(sessions, site))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(port: u16, name: &str) -> FtpSession {
        let mut s = FtpSession::new(port.to_string());
        s.extras.server_port = Some(port);
        s.extras.server_address = Some("127.0.0.1".into());
        s.extras.server_name = Some(name.into());
        s
    }

    #[test]
    fn parse_rules() {
        let r = SiteRule::parse("ftp.example.com=port:2121").ok();
        assert_eq!(
            r.map(|r| r.matcher),
            Some(SiteMatch::Port(2121)),
            "port rule"
        );
        let r = SiteRule::parse("a=b=name:My Server").ok();
        assert_eq!(r.map(|r| r.site), Some("a=b".to_string()));
        assert!(SiteRule::parse("x=port:notaport").is_err());
        assert!(SiteRule::parse("x").is_err());
        assert!(SiteRule::parse("=port:21").is_err());
        assert!(SiteRule::parse("x=color:red").is_err());
    }

    #[test]
    fn apply_filters_by_site() {
        let map = SiteMap::new(vec![
            SiteRule::parse("one=port:21").unwrap_or_else(|e| panic!("{e}")),
            SiteRule::parse("two=name:second host").unwrap_or_else(|e| panic!("{e}")),
            SiteRule::parse("three=address:127.0.0.1:23").unwrap_or_else(|e| panic!("{e}")),
        ]);
        let all = vec![
            session(21, "x"),
            session(22, "Second Host"),
            session(23, "y"),
        ];
        let one = map.apply(all.clone(), Some("ONE")).unwrap_or_default();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].extras.site.as_deref(), Some("one"));
        let two = map.apply(all.clone(), Some("two")).unwrap_or_default();
        assert_eq!(two[0].session_id, "22");
        let three = map.apply(all.clone(), Some("three")).unwrap_or_default();
        assert_eq!(three[0].session_id, "23");
        assert_eq!(map.apply(all.clone(), None).unwrap_or_default().len(), 3);
        let err = map.apply(all, Some("nope")).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("one, two, three")));
    }
}
