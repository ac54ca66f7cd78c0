//! `system.webServer/asp/session` as a typed struct.

use crate::engine::EffectiveElement;
use crate::value::{self, TimeSpan, TypeSpec, Validator, Value, ValueError, ValueKind};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// ASP session-state settings: the `<session>` element of `system.webServer/asp`.
///
/// `Default` is the schema's defaults. Serde maps it to and from the element's attributes
/// (`<session allowSessionState="true" keepSessionIdSecure="true" max="4294967295"
/// timeout="00:20:00" />`) with IIS's value rules: booleans in any case, a uint that does not
/// fit is an error, timeSpans in the .NET grammar; a missing attribute takes its default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "session", default)]
pub struct AspSession {
    /// `allowSessionState` (bool, default true): whether ASP keeps session state.
    #[serde(
        rename = "@allowSessionState",
        serialize_with = "write_bool",
        deserialize_with = "read_bool"
    )]
    pub allow_session_state: bool,
    /// `keepSessionIdSecure` (bool, default true): whether the session cookie of an HTTPS
    /// session is marked secure.
    #[serde(
        rename = "@keepSessionIdSecure",
        serialize_with = "write_bool",
        deserialize_with = "read_bool"
    )]
    pub keep_session_id_secure: bool,
    /// `max` (uint, default 4294967295): the most concurrent sessions.
    #[serde(rename = "@max", deserialize_with = "read_uint")]
    pub max: u32,
    /// `timeout` (timeSpan, default 00:20:00; 0 to 365 days in whole minutes): how long an
    /// idle session is kept.
    #[serde(rename = "@timeout")]
    pub timeout: TimeSpan,
}

/// The `timeSpanRange` validation of `timeout`: 0 to 31536000 seconds, granularity 60.
pub const TIMEOUT_VALIDATION: &str = "0,31536000,60";

impl Default for AspSession {
    fn default() -> AspSession {
        AspSession {
            allow_session_state: true,
            keep_session_id_secure: true,
            max: u32::MAX,
            timeout: TimeSpan::from_minutes(20).unwrap_or(TimeSpan::ZERO),
        }
    }
}

impl AspSession {
    /// Checks the values the types alone do not guarantee: the timeout's range and
    /// granularity, with IIS's message.
    pub fn validate(&self) -> Result<(), ValueError> {
        let validator =
            Validator::parse("timeSpanRange", Some(TIMEOUT_VALIDATION)).map_err(ValueError::new)?;
        validator
            .check(&Value::TimeSpan(self.timeout))
            .map_err(|e| ValueError::new(format!("The 'timeout' attribute is invalid. {e}")))
    }

    /// Reads the `session` child of an effective `system.webServer/asp` section (or the
    /// `session` element itself), parsing each value with IIS's rules.
    pub fn from_effective(element: &EffectiveElement) -> Result<AspSession, ValueError> {
        let session = element.child("session").unwrap_or(element);
        let mut out = AspSession::default();
        let text = |name: &str| session.attribute(name).map(|a| a.value.as_str());
        if let Some(v) = text("allowSessionState") {
            out.allow_session_state = parse_bool(v)?;
        }
        if let Some(v) = text("keepSessionIdSecure") {
            out.keep_session_id_secure = parse_bool(v)?;
        }
        if let Some(v) = text("max") {
            out.max = parse_uint(v)?;
        }
        if let Some(v) = text("timeout") {
            out.timeout = TimeSpan::parse(v)?;
        }
        Ok(out)
    }

    /// All four attributes in IIS's written form, in schema order; to write back only what
    /// changed, use [`AspSession::changed_attributes`].
    pub fn to_attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("allowSessionState", self.allow_session_state.to_string()),
            (
                "keepSessionIdSecure",
                self.keep_session_id_secure.to_string(),
            ),
            ("max", self.max.to_string()),
            ("timeout", self.timeout.to_string()),
        ]
    }

    /// The attributes whose value differs from `before` (the values read), in IIS's written
    /// form and schema order: what a typed write-back sets, so that a value left as it was
    /// read — inherited or a default — is not pinned at the commit level.
    pub fn changed_attributes(&self, before: &AspSession) -> Vec<(&'static str, String)> {
        let before = before.to_attributes();
        self.to_attributes()
            .into_iter()
            .filter(|(name, value)| !before.iter().any(|(n, v)| n == name && v == value))
            .collect()
    }

    /// The element as XML: `<session allowSessionState="true" … />`.
    pub fn to_xml(&self) -> Result<String, quick_xml::SeError> {
        quick_xml::se::to_string(self)
    }

    /// Parses a `<session …/>` element.
    pub fn from_xml(xml: &str) -> Result<AspSession, quick_xml::DeError> {
        quick_xml::de::from_str(xml)
    }
}

fn parse_bool(text: &str) -> Result<bool, ValueError> {
    match value::parse_value(&TypeSpec::of(ValueKind::Bool), text)? {
        Value::Bool(b) => Ok(b),
        _ => Err(ValueError::new(format!("'{text}' is not a bool"))),
    }
}

fn parse_uint(text: &str) -> Result<u32, ValueError> {
    match value::parse_value(&TypeSpec::of(ValueKind::UInt), text)? {
        Value::UInt(n) => Ok(n),
        _ => Err(ValueError::new(format!("'{text}' is not a uint"))),
    }
}

fn read_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = String::deserialize(d)?;
    parse_bool(&text).map_err(serde::de::Error::custom)
}

fn write_bool<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *value { "true" } else { "false" })
}

fn read_uint<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let text = String::deserialize(d)?;
    parse_uint(&text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;

    #[test]
    fn default_equals_the_schema_defaults() {
        let registry = Registry::embedded();
        let (_, session, _) = registry.resolve("system.webServer/asp/session").unwrap();
        let from_schema = AspSession::from_effective(&EffectiveElement::defaults(session)).unwrap();
        assert_eq!(from_schema, AspSession::default());
        let timeout = session.attribute("timeout").unwrap();
        assert_eq!(
            timeout.validation_parameter.as_deref(),
            Some(TIMEOUT_VALIDATION)
        );
    }

    #[test]
    fn write_back_sets_only_what_changed() {
        let read = AspSession::default();
        let mut session = read.clone();
        assert!(session.changed_attributes(&read).is_empty());
        session.max = 1000;
        session.timeout = TimeSpan::from_minutes(10).unwrap();
        assert_eq!(
            session.changed_attributes(&read),
            [
                ("max", "1000".to_string()),
                ("timeout", "00:10:00".to_string())
            ]
        );
    }

    #[test]
    fn serde_round_trips_the_element() {
        let session = AspSession {
            allow_session_state: false,
            keep_session_id_secure: true,
            max: 1000,
            timeout: TimeSpan::from_minutes(10).unwrap(),
        };
        let xml = session.to_xml().unwrap();
        assert_eq!(
            xml,
            r#"<session allowSessionState="false" keepSessionIdSecure="true" max="1000" timeout="00:10:00"/>"#
        );
        assert_eq!(AspSession::from_xml(&xml).unwrap(), session);
    }

    #[test]
    fn deserializing_uses_iis_rules_and_defaults() {
        let s = AspSession::from_xml(r#"<session allowSessionState="False" max="7" />"#).unwrap();
        assert!(!s.allow_session_state);
        assert_eq!(s.max, 7);
        assert_eq!(s.timeout.to_string(), "00:20:00");
        assert!(AspSession::from_xml(r#"<session max="4294967296" />"#).is_err());
        assert!(AspSession::from_xml(r#"<session allowSessionState="yes" />"#).is_err());
        assert!(AspSession::from_xml(r#"<session timeout="soon" />"#).is_err());
    }

    #[test]
    fn validation_checks_range_and_granularity() {
        let mut s = AspSession::default();
        assert!(s.validate().is_ok());
        s.timeout = TimeSpan::from_seconds(90).unwrap();
        let err = s.validate().unwrap_err().to_string();
        assert!(err.contains("granularity of 60 seconds"), "{err}");
        s.timeout = TimeSpan::from_seconds(31536060).unwrap();
        assert!(s.validate().is_err());
    }
}
