//! The names and keys of the server's objects, read once from applicationHost.config's
//! `<sites>` and `<applicationPools>` (a scan of the elements, no effective configuration
//! computed; a site's applications and bindings only when a change asks for them) and kept
//! up to date with the changes a [`super::ServerManager`] queues: what existence checks and
//! new site ids are decided on.

use iisconf_core::config::ConfigFile;
use iisconf_xml::{Document, NodeId};

/// A site's keys.
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownSite {
    pub name: String,
    pub id: Option<u32>,
    /// Its applications, once [`Known::load`] read them.
    pub applications: Vec<KnownApplication>,
    /// `(protocol, bindingInformation)` of each binding, once [`Known::load`] read them.
    pub bindings: Vec<(String, String)>,
    /// Its element in applicationHost.config as read (`None` for a site queued).
    pub node: Option<NodeId>,
    /// Whether `applications` and `bindings` are read (always, for a site queued).
    pub loaded: bool,
}

/// An application's path and its virtual directories' paths.
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownApplication {
    pub path: String,
    pub virtual_directories: Vec<String>,
}

/// Every site and pool.
#[derive(Clone, Debug, Default)]
pub(crate) struct Known {
    pub sites: Vec<KnownSite>,
    pub pools: Vec<String>,
}

impl Known {
    /// Reads the root `<system.applicationHost>` of applicationHost.config.
    pub fn read(apphost: Option<&ConfigFile>) -> Known {
        let Some(file) = apphost else {
            return Known::default();
        };
        let doc = &file.doc;
        let group = file
            .root()
            .and_then(|r| doc.child_element(r, "system.applicationHost"));
        let Some(group) = group else {
            return Known::default();
        };
        let sites = doc
            .child_element(group, "sites")
            .map(|s| {
                children(doc, s, "site")
                    .map(|site| KnownSite {
                        name: value(doc, site, "name"),
                        id: doc
                            .attribute_value(site, "id")
                            .and_then(|v| v.trim().parse().ok()),
                        node: Some(site),
                        ..KnownSite::default()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let pools = doc
            .child_element(group, "applicationPools")
            .map(|p| {
                children(doc, p, "add")
                    .map(|a| value(doc, a, "name"))
                    .collect()
            })
            .unwrap_or_default();
        Known { sites, pools }
    }

    /// Reads the applications and bindings of the site called `name` from `doc` (the
    /// document as read), unless they are read already.
    pub fn load(&mut self, doc: Option<&Document>, name: &str) {
        let Some(site) = self.site_mut(name).filter(|s| !s.loaded) else {
            return;
        };
        if let (Some(doc), Some(node)) = (doc, site.node) {
            read_details(doc, node, site);
        }
        site.loaded = true;
    }

    /// The site called `name` (any letter case, as IIS compares site names).
    pub fn site(&self, name: &str) -> Option<&KnownSite> {
        self.sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The site called `name`, to change.
    pub fn site_mut(&mut self, name: &str) -> Option<&mut KnownSite> {
        self.sites
            .iter_mut()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The pool called `name`, as written.
    pub fn pool(&self, name: &str) -> Option<&str> {
        self.pools
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// The id a new site gets: the lowest positive id no site has, as IIS's incremental
    /// site id assignment picks it (ids 1, 2, 3, 5 give 4).
    pub fn next_site_id(&self) -> u32 {
        let mut used: Vec<u32> = self.sites.iter().filter_map(|s| s.id).collect();
        used.sort_unstable();
        used.dedup();
        let mut next = 1;
        for id in used {
            if id == next {
                next += 1;
            } else if id > next {
                break;
            }
        }
        next
    }
}

impl KnownSite {
    /// The application at `path` (any letter case).
    pub fn application(&self, path: &str) -> Option<&KnownApplication> {
        self.applications
            .iter()
            .find(|a| a.path.eq_ignore_ascii_case(path))
    }

    /// The application at `path`, to change.
    pub fn application_mut(&mut self, path: &str) -> Option<&mut KnownApplication> {
        self.applications
            .iter_mut()
            .find(|a| a.path.eq_ignore_ascii_case(path))
    }

    /// Splits the part of a VDIR identifier after the site name (`/api/docs`) into the
    /// application whose path is its longest prefix and the virtual directory's path
    /// within it (`/api`, `/docs`); `None` when no application holds it.
    pub fn split_vdir_path(&self, rest: &str) -> Option<(String, String)> {
        let mut best: Option<(&KnownApplication, String)> = None;
        for app in &self.applications {
            let prefix = app.path.trim_end_matches('/');
            let Some(tail) = strip_prefix_caseless(rest, prefix) else {
                continue;
            };
            if !(tail.is_empty() || tail.starts_with('/')) {
                continue;
            }
            if best
                .as_ref()
                .is_some_and(|(b, _)| b.path.len() >= app.path.len())
            {
                continue;
            }
            let vdir = if tail.is_empty() { "/" } else { tail };
            best = Some((app, vdir.to_string()));
        }
        best.map(|(app, vdir)| (app.path.clone(), vdir))
    }
}

impl KnownApplication {
    /// Whether a virtual directory is at `path` (any letter case).
    pub fn has_virtual_directory(&self, path: &str) -> bool {
        self.virtual_directories
            .iter()
            .any(|v| v.eq_ignore_ascii_case(path))
    }
}

fn strip_prefix_caseless<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn children<'a>(
    doc: &'a Document,
    node: NodeId,
    name: &'a str,
) -> impl Iterator<Item = NodeId> + 'a {
    doc.child_elements(node)
        .filter(move |c| doc.name(*c) == name)
}

fn value(doc: &Document, node: NodeId, name: &str) -> String {
    doc.attribute_value(node, name)
        .map(|v| v.into_owned())
        .unwrap_or_default()
}

/// Reads a site's applications (with their virtual directories' paths) and bindings.
fn read_details(doc: &Document, site: NodeId, into: &mut KnownSite) {
    into.applications = children(doc, site, "application")
        .map(|app| KnownApplication {
            path: value(doc, app, "path"),
            virtual_directories: children(doc, app, "virtualDirectory")
                .map(|v| value(doc, v, "path"))
                .collect(),
        })
        .collect();
    into.bindings = doc
        .child_element(site, "bindings")
        .map(|b| {
            children(doc, b, "binding")
                .map(|x| {
                    (
                        value(doc, x, "protocol"),
                        value(doc, x, "bindingInformation"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, id: u32) -> KnownSite {
        KnownSite {
            name: name.into(),
            id: Some(id),
            ..KnownSite::default()
        }
    }

    #[test]
    fn a_new_site_takes_the_lowest_free_id() {
        let mut known = Known::default();
        assert_eq!(known.next_site_id(), 1);
        known.sites = [1, 2, 3, 5, 6, 8].iter().map(|i| site("s", *i)).collect();
        assert_eq!(known.next_site_id(), 4);
        known.sites.push(site("t", 4));
        assert_eq!(known.next_site_id(), 7);
    }

    #[test]
    fn a_vdir_identifier_is_split_at_its_longest_application() {
        let mut s = site("Shop", 1);
        for path in ["/", "/api", "/api/v2"] {
            s.applications.push(KnownApplication {
                path: path.into(),
                virtual_directories: vec!["/".into()],
            });
        }
        let split = |rest: &str| s.split_vdir_path(rest).unwrap();
        assert_eq!(split("/"), ("/".into(), "/".into()));
        assert_eq!(split("/images"), ("/".into(), "/images".into()));
        assert_eq!(split("/api/"), ("/api".into(), "/".into()));
        assert_eq!(split("/API/docs"), ("/api".into(), "/docs".into()));
        assert_eq!(split("/api/v2/x"), ("/api/v2".into(), "/x".into()));
        assert_eq!(split("/apix"), ("/".into(), "/apix".into()));
    }
}
