//! A point in time as IIS runtime data carries it: a string, typed when it can be.

use serde::{Serialize, Serializer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// 9999-12-31T23:59:59Z, the last instant RFC 3339 text can carry.
const MAX_RFC3339_SECS: u64 = 253_402_300_799;

/// A timestamp of an FTP session (`sessionStartTime`, `commandStartTime`).
///
/// IIS declares these attributes as strings, and the text is kept exactly as received
/// (a snapshot taken on Windows may use a locale's date format). When the time is known
/// as an instant (live providers, or RFC 3339 text) it is also available typed, which is
/// what "connected for" and "idle for" are computed from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IisTimestamp {
    text: String,
    instant: Option<SystemTime>,
}

impl IisTimestamp {
    /// No time known: written as an empty string, as IIS does for an unset attribute.
    pub fn unknown() -> Self {
        Self::default()
    }

    /// A known instant, written in RFC 3339 UTC form with whole seconds
    /// (`2026-11-21T05:29:12Z`).
    /// An instant outside 1970–9999 (only corrupt input yields one) is unknown.
    pub fn from_system_time(instant: SystemTime) -> Self {
        let in_range = instant
            .duration_since(UNIX_EPOCH)
            .is_ok_and(|d| d.as_secs() <= MAX_RFC3339_SECS);
        if !in_range {
            return Self::unknown();
        }
        let text = humantime::format_rfc3339_seconds(instant).to_string();
        Self {
            text,
            instant: Some(instant),
        }
    }

    /// A known instant given as milliseconds since the Unix epoch.
    pub fn from_unix_millis(millis: u64) -> Self {
        UNIX_EPOCH
            .checked_add(Duration::from_millis(millis))
            .map_or_else(Self::unknown, Self::from_system_time)
    }

    /// Text as found in a snapshot: kept verbatim; typed too when it is RFC 3339.
    pub fn from_text(text: &str) -> Self {
        let instant = humantime::parse_rfc3339_weak(text.trim()).ok();
        Self {
            text: text.to_string(),
            instant,
        }
    }

    /// The text written to JSON and XML output.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, when known.
    pub fn instant(&self) -> Option<SystemTime> {
        self.instant
    }

    /// Time elapsed from this instant until `now`; `None` when unknown or in the future.
    pub fn elapsed_until(&self, now: SystemTime) -> Option<Duration> {
        self.instant.and_then(|t| now.duration_since(t).ok())
    }
}

impl Serialize for IisTimestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_to_rfc3339_seconds() {
        let t = IisTimestamp::from_unix_millis(1_795_238_911_000);
        assert_eq!(t.as_str(), "2026-11-21T05:28:31Z");
        assert!(t.instant().is_some());
    }

    #[test]
    fn out_of_range_instants_are_unknown() {
        assert_eq!(
            IisTimestamp::from_unix_millis(u64::MAX),
            IisTimestamp::unknown()
        );
        let before = UNIX_EPOCH.checked_sub(Duration::from_secs(5));
        if let Some(t) = before {
            assert_eq!(IisTimestamp::from_system_time(t), IisTimestamp::unknown());
        }
    }

    #[test]
    fn foreign_text_is_kept_verbatim() {
        let t = IisTimestamp::from_text("11/21/2026 5:28:31 AM");
        assert_eq!(t.as_str(), "11/21/2026 5:28:31 AM");
        assert_eq!(t.instant(), None);
        let t = IisTimestamp::from_text("2026-11-21T05:28:31Z");
        assert!(t.instant().is_some());
    }
}
