//! A point in time as IIS runtime data carries it: a string, typed when it can be.

use serde::{Serialize, Serializer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// 9999-12-31T23:59:59Z, the last instant RFC 3339 text can carry.
const MAX_RFC3339_SECS: u64 = 253_402_300_799;

/// A timestamp of an FTP session (`sessionStartTime`, `commandStartTime`).
///
/// IIS declares these attributes as strings, and the text is kept exactly as received
/// (a snapshot taken on Windows may use a locale's date format). When the time is known
/// as an instant (live providers, RFC 3339 text, or en-US text such as
/// `11/20/2026 9:01:00 AM`, read as UTC) it is also available typed, which is what
/// "connected for" and "idle for" are computed from.
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

    /// Text as found in a snapshot: kept verbatim; typed too when it is RFC 3339 or an
    /// en-US date and time (see [`super::us_date`]).
    pub fn from_text(text: &str) -> Self {
        let trimmed = text.trim();
        let instant = humantime::parse_rfc3339_weak(trimmed)
            .ok()
            .or_else(|| super::us_date::parse_us_datetime(trimmed));
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

    /// Whether there is text but no instant could be read from it (a date in a format
    /// this crate does not know).
    pub fn is_unreadable(&self) -> bool {
        self.instant.is_none() && !self.text.trim().is_empty()
    }

    /// The instant in RFC 3339 UTC form when it is known and the text says it otherwise
    /// (an en-US date); `None` when the text already is that form or no instant is known.
    pub fn utc_text_if_different(&self) -> Option<String> {
        let instant = self.instant?;
        let utc = humantime::format_rfc3339_seconds(instant).to_string();
        (utc != self.text).then_some(utc)
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
        assert_eq!(
            t.instant(),
            IisTimestamp::from_text("2026-11-21T05:28:31Z").instant()
        );
        assert_eq!(
            t.utc_text_if_different().as_deref(),
            Some("2026-11-21T05:28:31Z")
        );
        let t = IisTimestamp::from_text("2026-11-21T05:28:31Z");
        assert!(t.instant().is_some());
        assert_eq!(t.utc_text_if_different(), None);
    }

    #[test]
    fn unreadable_text_is_flagged() {
        let t = IisTimestamp::from_text("21.11.2026 05:28:31");
        assert_eq!(t.as_str(), "21.11.2026 05:28:31");
        assert!(t.is_unreadable());
        assert!(!IisTimestamp::unknown().is_unreadable());
        assert!(!IisTimestamp::from_unix_millis(1000).is_unreadable());
    }
}
