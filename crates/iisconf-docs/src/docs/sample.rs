//! Example values for the documentation pages: a value that differs from the default (for the
//! "Setting it" commands), plausible values for the key and required attributes of collection
//! entries, hand-written values for the headline sections (a rewrite rule with its match and
//! action, default documents, bindings…), and the configuration sample written from them.

use crate::generate::writer::XmlWriter;
use iisconf_core::schema::{AttributeSchema, CollectionSchema, ElementSchema};
use iisconf_core::value::{parse_value, ValueKind};

/// Attribute names and values of one element or entry.
type Values = &'static [(&'static str, &'static str)];

/// Hand-written attribute values by schema path (of an element or a collection entry). For a
/// collection entry each set of values is one entry of the sample.
const HAND: &[(&str, &[Values])] = &[
    (
        "system.webServer/defaultDocument/files/add",
        &[&[("value", "index.html")], &[("value", "default.aspx")]],
    ),
    (
        "system.webServer/rewrite/rules/rule",
        &[&[("name", "Redirect to HTTPS"), ("stopProcessing", "true")]],
    ),
    (
        "system.webServer/rewrite/rules/rule/match",
        &[&[("url", "(.*)")]],
    ),
    (
        "system.webServer/rewrite/rules/rule/conditions/add",
        &[&[("input", "{HTTPS}"), ("pattern", "^OFF$")]],
    ),
    (
        "system.webServer/rewrite/rules/rule/action",
        &[&[
            ("type", "Redirect"),
            ("url", "https://{HTTP_HOST}/{R:1}"),
            ("redirectType", "Permanent"),
        ]],
    ),
    (
        "system.webServer/rewrite/globalRules/rule",
        &[&[("name", "Block TRACE"), ("stopProcessing", "true")]],
    ),
    (
        "system.webServer/rewrite/globalRules/rule/match",
        &[&[("url", ".*")]],
    ),
    (
        "system.webServer/rewrite/globalRules/rule/conditions/add",
        &[&[("input", "{REQUEST_METHOD}"), ("pattern", "^TRACE$")]],
    ),
    (
        "system.webServer/rewrite/globalRules/rule/action",
        &[&[("type", "AbortRequest")]],
    ),
    (
        "system.webServer/staticContent/mimeMap",
        &[
            &[("fileExtension", ".webp"), ("mimeType", "image/webp")],
            &[("fileExtension", ".woff2"), ("mimeType", "font/woff2")],
        ],
    ),
    (
        "system.webServer/httpProtocol/customHeaders/add",
        &[&[("name", "X-Content-Type-Options"), ("value", "nosniff")]],
    ),
    (
        "system.webServer/httpErrors/error",
        &[&[
            ("statusCode", "404"),
            ("path", "/errors/404.html"),
            ("responseMode", "ExecuteURL"),
        ]],
    ),
    (
        "system.web/profile/properties/add",
        &[&[("name", "DisplayName")]],
    ),
    (
        "system.web/profile/properties/group",
        &[&[("name", "Address")]],
    ),
    (
        "appSettings/add",
        &[&[("key", "Environment"), ("value", "Production")]],
    ),
    (
        "connectionStrings/add",
        &[&[
            ("name", "Shop"),
            (
                "connectionString",
                "Server=db01;Database=Shop;Integrated Security=true",
            ),
            ("providerName", "System.Data.SqlClient"),
        ]],
    ),
    (
        "system.applicationHost/sites/site",
        &[&[("name", "Contoso"), ("id", "2")]],
    ),
    (
        "system.applicationHost/sites/site/bindings/binding",
        &[
            &[
                ("protocol", "http"),
                ("bindingInformation", "*:80:www.contoso.com"),
            ],
            &[
                ("protocol", "https"),
                ("bindingInformation", "*:443:www.contoso.com"),
            ],
        ],
    ),
    (
        "system.applicationHost/sites/site/application",
        &[&[("path", "/"), ("applicationPool", "Contoso")]],
    ),
    (
        "system.applicationHost/sites/site/application/virtualDirectory",
        &[&[("path", "/"), ("physicalPath", "C:\\inetpub\\contoso")]],
    ),
    (
        "system.applicationHost/applicationPools/add",
        &[&[("name", "Contoso"), ("managedRuntimeVersion", "")]],
    ),
    (
        "system.webServer/handlers/add",
        &[&[
            ("name", "PHP-FastCGI"),
            ("path", "*.php"),
            ("verb", "GET,HEAD,POST"),
            ("modules", "FastCgiModule"),
            ("scriptProcessor", "C:\\PHP\\php-cgi.exe"),
            ("resourceType", "Either"),
        ]],
    ),
    (
        "system.webServer/modules/add",
        &[&[
            ("name", "RequestLogger"),
            ("type", "Contoso.Web.RequestLogger"),
        ]],
    ),
    (
        "system.webServer/security/requestFiltering/fileExtensions/add",
        &[&[("fileExtension", ".config"), ("allowed", "false")]],
    ),
    (
        "system.webServer/security/ipSecurity/add",
        &[&[
            ("ipAddress", "192.168.1.0"),
            ("subnetMask", "255.255.255.0"),
            ("allowed", "false"),
        ]],
    ),
    (
        "system.webServer/security/authorization/add",
        &[&[("accessType", "Allow"), ("roles", "Administrators")]],
    ),
];

/// Child elements and entries the samples leave out: they would need more set-up than the
/// sample shows (a server variable must first be allowed).
const LEFT_OUT: &[&str] = &[
    "system.webServer/rewrite/rules/rule/serverVariables",
    "system.webServer/rewrite/globalRules/rule/serverVariables",
    "system.webServer/rewrite/outboundRules/rule/serverVariables",
];

/// How many levels below the page's element a sample shows.
const DEPTH: usize = 4;

/// Whether a sample shows the child element `e` at `path`: not the defaults that entries of
/// a collection take, not one of [`LEFT_OUT`].
fn shown(path: &str, e: &ElementSchema) -> bool {
    e.extension.is_none()
        && !e.is_collection_default
        && !e.name.ends_with("Defaults")
        && !LEFT_OUT.contains(&path)
}

/// The hand-written value sets for the element or entry at `path` (empty when there are none).
pub(crate) fn hand_written(path: &str) -> &'static [Values] {
    HAND.iter()
        .find(|(p, _)| *p == path)
        .map_or(&[], |(_, sets)| sets)
}

/// Every hand-written schema path, for tests that check them against the schema.
#[cfg(test)]
pub(crate) fn hand_written_paths() -> impl Iterator<Item = &'static str> {
    HAND.iter().map(|(p, _)| *p)
}

/// Whether `value` is valid for `a`: it parses as the attribute's type and passes its
/// validator.
pub(crate) fn valid(a: &AttributeSchema, value: &str) -> bool {
    match parse_value(&a.type_spec(), value) {
        Ok(v) => a
            .validator
            .as_ref()
            .is_none_or(|check| check.check(&v).is_ok()),
        Err(_) => false,
    }
}

fn same(a: &AttributeSchema, value: &str) -> bool {
    a.default_value
        .as_deref()
        .is_some_and(|d| d.eq_ignore_ascii_case(value))
}

/// A plausible value for an attribute from its name and validator (`192.168.1.10` for an
/// address, `.txt` for an extension), else a valid value of its type.
pub(crate) fn plausible(a: &AttributeSchema) -> Option<String> {
    let name = a.name.to_ascii_lowercase();
    let by_name: &[(&str, &str)] = &[
        ("bindinginformation", "*:80:www.contoso.com"),
        ("ipaddress", "192.168.1.10"),
        ("subnetmask", "255.255.255.0"),
        ("address", "192.168.1.10"),
        ("domainname", "contoso.com"),
        ("hostname", "www.contoso.com"),
        ("host", "www.contoso.com"),
        ("physicalpath", "C:\\inetpub\\contoso"),
        ("directory", "C:\\inetpub\\logs"),
        ("folder", "C:\\inetpub\\logs"),
        ("fileextension", ".txt"),
        ("extension", ".txt"),
        ("mimetype", "text/plain"),
        ("contenttype", "text/plain"),
        ("verb", "GET"),
        ("protocol", "http"),
        ("servervariable", "HTTP_X_FORWARDED_FOR"),
        ("header", "X-Forwarded-For"),
        ("input", "{HTTP_HOST}"),
        ("pattern", "^www\\.contoso\\.com$"),
        ("url", "https://www.contoso.com/"),
        ("path", "/app"),
        ("users", "CONTOSO\\web-admin"),
        ("user", "CONTOSO\\web-admin"),
        ("roles", "Administrators"),
        ("type", "Contoso.Web.Example"),
        ("key", "Example"),
        ("name", "Example"),
        ("value", "example"),
    ];
    let mut candidates: Vec<String> = Vec::new();
    match a.kind {
        ValueKind::Bool => candidates.push("true".to_string()),
        ValueKind::Enum | ValueKind::Flags => {
            candidates.extend(a.default_value.clone());
            candidates.extend(a.choices.iter().map(|c| c.name.clone()));
        }
        ValueKind::UInt | ValueKind::Int | ValueKind::Int64 => {
            candidates.extend(a.default_value.clone());
            candidates.extend(["1", "10", "100", "0"].map(str::to_string));
        }
        ValueKind::TimeSpan => {
            candidates.extend(a.default_value.clone().filter(|d| !d.is_empty()));
            candidates.extend(["00:01:00", "60", "1"].map(str::to_string));
        }
        ValueKind::String => {
            if let Some((_, v)) = by_name.iter().find(|(n, _)| name.ends_with(n)) {
                candidates.push(v.to_string());
            }
            candidates.extend(["Contoso", "/", "example"].map(str::to_string));
        }
    }
    candidates
        .into_iter()
        .find(|v| !v.is_empty() && valid(a, v))
}

/// A valid value for `a` that differs from its default, for a command that changes
/// something; `None` for runtime and encrypted attributes and when no such value is found.
pub(crate) fn changed(a: &AttributeSchema) -> Option<String> {
    if a.extension.is_some() || a.encrypted {
        return None;
    }
    let default = a.default_value.as_deref().unwrap_or("");
    let mut candidates: Vec<String> = Vec::new();
    match a.kind {
        ValueKind::Bool => {
            candidates.push(
                if default.eq_ignore_ascii_case("true") {
                    "false"
                } else {
                    "true"
                }
                .to_string(),
            );
        }
        ValueKind::Enum | ValueKind::Flags => {
            candidates.extend(a.choices.iter().map(|c| c.name.clone()));
        }
        ValueKind::UInt | ValueKind::Int | ValueKind::Int64 => {
            if let Ok(n) = default.parse::<i64>() {
                if n > 0 {
                    candidates.push(n.saturating_mul(2).to_string());
                    candidates.push((n / 2).to_string());
                }
                candidates.push(n.saturating_add(1).to_string());
            }
            candidates.extend(["10", "100", "1000", "1"].map(str::to_string));
        }
        ValueKind::TimeSpan => {
            candidates.extend(
                [
                    "00:10:00", "00:05:00", "00:30:00", "01:00:00", "00:00:30", "30", "60", "10",
                ]
                .map(str::to_string),
            );
        }
        ValueKind::String => candidates.extend(plausible(a)),
    }
    candidates
        .into_iter()
        .find(|v| !v.is_empty() && !same(a, v) && valid(a, v))
}

/// Hand-written "Setting it" changes, by schema path: the attribute a reader most likely
/// changes and a realistic value.
const SETTINGS: &[(&str, &str, &str)] = &[
    ("system.webServer/asp/session", "timeout", "00:10:00"),
    (
        "system.webServer/asp/limits",
        "maxRequestEntityAllowed",
        "1048576",
    ),
    (
        "system.webServer/httpCompression",
        "staticCompressionDisableCpuUsage",
        "90",
    ),
    ("system.webServer/directoryBrowse", "enabled", "true"),
    ("system.webServer/httpRedirect", "enabled", "true"),
    (
        "system.webServer/staticContent/clientCache",
        "cacheControlMode",
        "UseMaxAge",
    ),
    (
        "system.webServer/security/requestFiltering/requestLimits",
        "maxAllowedContentLength",
        "104857600",
    ),
    ("system.web/compilation", "targetFramework", "4.8"),
    ("system.web/httpRuntime", "maxRequestLength", "102400"),
    ("system.web/sessionState", "timeout", "45"),
    (
        "system.applicationHost/applicationPools/add",
        "startMode",
        "AlwaysRunning",
    ),
];

/// The attribute a page's "Setting it" command and sample change, with its new value: the
/// hand-written change for `path`, else the first writable, non-key attribute for which
/// [`changed`] finds a value, preferring switches, choices, numbers and time spans over
/// free text. For a collection entry, the attributes its sample sets (keys, required and
/// hand-written ones) are not changed again.
pub(crate) fn setting<'e>(
    path: &str,
    element: &'e ElementSchema,
    entry: bool,
) -> Option<(&'e AttributeSchema, String)> {
    let mut taken: Vec<String> = Vec::new();
    if entry {
        taken.extend(entry_values(element).into_iter().map(|(n, _)| n));
        for set in hand_written(path) {
            taken.extend(set.iter().map(|(n, _)| n.to_string()));
        }
    }
    let hand = SETTINGS
        .iter()
        .filter(|(p, _, _)| *p == path)
        .find_map(|(_, name, value)| {
            element
                .attribute(name)
                .filter(|a| valid(a, value) && !same(a, value))
                .map(|a| (a, value.to_string()))
        });
    if hand.is_some() {
        return hand;
    }
    let candidates = || {
        element
            .attributes
            .iter()
            .filter(|a| !a.is_key() && a.extension.is_none() && !taken.contains(&a.name))
    };
    candidates()
        .filter(|a| a.kind != ValueKind::String)
        .find_map(|a| changed(a).map(|v| (a, v)))
        .or_else(|| candidates().find_map(|a| changed(a).map(|v| (a, v))))
}

/// The attribute values of one entry of collection `c` at `path`: the hand-written sets, or
/// one entry with a plausible value for each key and required attribute.
pub(crate) fn entries(path: &str, c: &CollectionSchema) -> Vec<Vec<(String, String)>> {
    let hand = hand_written(path);
    if !hand.is_empty() {
        return hand
            .iter()
            .map(|set| {
                set.iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect()
            })
            .collect();
    }
    let set = entry_values(&c.entry);
    if set.is_empty() {
        Vec::new()
    } else {
        vec![set]
    }
}

/// Plausible values for the key and required attributes of a collection entry (a key
/// attribute without a plausible value is left out); for an entry without key or required
/// attributes, a value for its first attribute that has one. Empty when a required
/// attribute has no valid value.
pub(crate) fn entry_values(entry: &ElementSchema) -> Vec<(String, String)> {
    let mut values = Vec::new();
    for a in entry
        .attributes
        .iter()
        .filter(|a| (a.is_key() || a.required) && a.extension.is_none())
    {
        match plausible(a) {
            Some(v) => values.push((a.name.clone(), v)),
            None if a.required => return Vec::new(),
            None => {}
        }
    }
    if values.is_empty() {
        values.extend(
            entry
                .attributes
                .iter()
                .filter(|a| a.extension.is_none() && !a.encrypted)
                .find_map(|a| plausible(a).map(|v| (a.name.clone(), v))),
        );
    }
    values
}

/// Writes `element` at schema `path` as `<tag>` with `attrs`, then the child elements that
/// have something to show (hand-written values or collection entries) and the sample
/// entries of each collection, down to four levels.
pub(crate) fn write(
    w: &mut XmlWriter,
    path: &str,
    tag: &str,
    element: &ElementSchema,
    attrs: &[(String, String)],
    depth: usize,
) {
    let mut children = Vec::new();
    let mut members = Vec::new();
    if depth < DEPTH {
        for child in element.elements.iter() {
            let child_path = format!("{path}/{}", child.name);
            if !shown(&child_path, child) {
                continue;
            }
            let hand: Vec<(String, String)> = hand_written(&child_path)
                .first()
                .map(|set| {
                    set.iter()
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            if !hand.is_empty() || has_entries(&child_path, child, depth + 1) {
                children.push((child, child_path, hand));
            }
        }
        for c in element
            .collections
            .iter()
            .filter(|c| c.entry.extension.is_none())
        {
            let entry_path = format!("{path}/{}", c.entry.name);
            let add = c
                .add_elements
                .first()
                .cloned()
                .unwrap_or_else(|| c.entry.name.clone());
            for set in entries(&entry_path, c) {
                members.push((c, entry_path.clone(), add.clone(), set));
            }
        }
    }
    if children.is_empty() && members.is_empty() {
        w.empty(tag, attrs);
        return;
    }
    w.start(tag, attrs);
    for (child, child_path, hand) in children {
        write(w, &child_path, &child.name, child, &hand, depth + 1);
    }
    for (c, entry_path, add, set) in members {
        write(w, &entry_path, &add, &c.entry, &set, depth + 1);
    }
    w.end(tag);
}

/// Whether a sample of `element` at `depth` shows a collection entry or hand-written values.
fn has_entries(path: &str, element: &ElementSchema, depth: usize) -> bool {
    if depth >= DEPTH {
        return false;
    }
    element
        .collections
        .iter()
        .filter(|c| c.entry.extension.is_none())
        .any(|c| !entries(&format!("{path}/{}", c.entry.name), c).is_empty())
        || element.elements.iter().any(|e| {
            let p = format!("{path}/{}", e.name);
            shown(&p, e) && (!hand_written(&p).is_empty() || has_entries(&p, e, depth + 1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iisconf_core::schema::Registry;

    #[test]
    fn every_hand_written_value_names_a_schema_attribute_and_is_valid() {
        let registry = Registry::embedded();
        for path in hand_written_paths() {
            let (_, element, _) = registry
                .resolve(path)
                .unwrap_or_else(|| panic!("{path} is not in the schema"));
            for set in hand_written(path) {
                for (name, value) in set.iter() {
                    let a = element
                        .attribute(name)
                        .unwrap_or_else(|| panic!("{path} has no attribute {name}"));
                    assert!(valid(a, value), "{path}@{name}: {value:?} is not valid");
                }
            }
        }
    }

    #[test]
    fn every_hand_written_setting_changes_a_schema_attribute() {
        let registry = Registry::embedded();
        for (path, name, value) in SETTINGS {
            let (_, element, _) = registry
                .resolve(path)
                .unwrap_or_else(|| panic!("{path} is not in the schema"));
            assert_eq!(
                setting(path, element, false).map(|(a, v)| (a.name.as_str(), v)),
                Some((*name, value.to_string())),
                "{path}"
            );
        }
    }

    #[test]
    fn changed_values_differ_from_the_default_and_are_valid() {
        let registry = Registry::embedded();
        let (_, session, _) = registry.resolve("system.webServer/asp/session").unwrap();
        let mut checked = 0;
        for a in &session.attributes {
            if let Some(v) = changed(a) {
                assert!(valid(a, &v), "{}: {v}", a.name);
                assert_ne!(a.default_value.as_deref(), Some(v.as_str()), "{}", a.name);
                checked += 1;
            }
        }
        assert!(checked >= 3, "{checked}");
        let (_, files, _) = registry
            .resolve("system.webServer/defaultDocument/files/add")
            .unwrap();
        assert!(files.attribute("value").is_some());
        let (_, rules, _) = registry.resolve("system.webServer/rewrite/rules").unwrap();
        let c = rules.collections.first().unwrap();
        let entries = entries("system.webServer/rewrite/rules/rule", c);
        assert_eq!(
            entries
                .first()
                .and_then(|e| e.first())
                .map(|(n, v)| (n.as_str(), v.as_str())),
            Some(("name", "Redirect to HTTPS"))
        );
    }
}
