//! [`TimeSpan`]: a signed interval counted in 100 ns ticks, with .NET `TimeSpan`
//! semantics, the IIS/.NET text grammar and the .NET `"c"` output format.

use std::fmt;
use std::str::FromStr;

use super::ValueError;

/// Ticks (100 ns units) in one second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks in one minute.
pub const TICKS_PER_MINUTE: i64 = 60 * TICKS_PER_SECOND;
/// Ticks in one hour.
pub const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MINUTE;
/// Ticks in one day.
pub const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// A time interval in 100-nanosecond ticks, like .NET `System.TimeSpan`.
///
/// * [`fmt::Display`] writes the invariant .NET `"c"` format
///   `[-][d.]hh:mm:ss[.fffffff]`: the day part only when non-zero, the fraction
///   only when non-zero and then always with 7 digits (`00:00:00.1000000`).
/// * [`FromStr`] / [`TimeSpan::parse`] read the grammar
///   `[ws][-]{ d | [d.]hh:mm[:ss[.fffffff]] }[ws]` (see [`TimeSpan::parse`]).
/// * Serialized with serde as its `"c"` string; deserialized from a string.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeSpan(i64);

impl TimeSpan {
    /// The zero interval, `00:00:00`.
    pub const ZERO: TimeSpan = TimeSpan(0);
    /// The largest interval, `10675199.02:48:05.4775807` (.NET `TimeSpan.MaxValue`).
    pub const MAX: TimeSpan = TimeSpan(i64::MAX);
    /// The smallest interval, `-10675199.02:48:05.4775808` (.NET `TimeSpan.MinValue`).
    pub const MIN: TimeSpan = TimeSpan(i64::MIN);

    /// Creates an interval from a number of 100 ns ticks.
    pub const fn from_ticks(ticks: i64) -> TimeSpan {
        TimeSpan(ticks)
    }

    /// The number of 100 ns ticks.
    pub const fn ticks(self) -> i64 {
        self.0
    }

    /// Creates an interval of whole seconds; `None` if it does not fit the tick range.
    pub fn from_seconds(seconds: i64) -> Option<TimeSpan> {
        seconds.checked_mul(TICKS_PER_SECOND).map(TimeSpan)
    }

    /// Creates an interval of whole minutes; `None` if it does not fit the tick range.
    pub fn from_minutes(minutes: i64) -> Option<TimeSpan> {
        minutes.checked_mul(TICKS_PER_MINUTE).map(TimeSpan)
    }

    /// Whole seconds, truncated toward zero (like .NET `(long)TotalSeconds`).
    pub const fn total_seconds(self) -> i64 {
        self.0 / TICKS_PER_SECOND
    }

    /// Whole minutes, truncated toward zero.
    pub const fn total_minutes(self) -> i64 {
        self.0 / TICKS_PER_MINUTE
    }

    /// The ticks below one second (same sign as the interval; 0 for whole seconds).
    pub const fn subsecond_ticks(self) -> i64 {
        self.0 % TICKS_PER_SECOND
    }

    /// Converts a [`std::time::Duration`], truncating below 100 ns; `None` if too long.
    pub fn from_std(duration: std::time::Duration) -> Option<TimeSpan> {
        let ticks = duration.as_nanos() / 100;
        i64::try_from(ticks).ok().map(TimeSpan)
    }

    /// Parses the .NET/IIS grammar `[ws][-]{ d | [d.]hh:mm[:ss[.fffffff]] }[ws]`.
    ///
    /// * `ws` is .NET white space (space, tab, CR, LF, VT, FF).
    /// * A bare integer is a number of **days** (`14` is `14.00:00:00`).
    /// * `mm` and `ss` are 0–59, the fraction has 1–7 digits, leading zeros are
    ///   allowed in every component (`0023:0059:0059.0099`).
    /// * With a day part, `hh` must be 0–23.
    /// * **Deliberate divergence from .NET:** without a day part, the hour
    ///   component may exceed 23 and is read as hours. IIS ships the default
    ///   `29:00:00` (periodicRestart/@time), documented as 29 hours, so the native
    ///   IIS parser must read it that way. .NET `TimeSpan.Parse("29:00:00")`
    ///   instead falls back to its `d:hh:mm` pattern and yields 29 *days*; we do
    ///   not reproduce that quirk.
    /// * The four-part .NET form `d:hh:mm:ss` is not accepted (IIS does not document it).
    /// * The result must fit in the `i64` tick range (`TimeSpan::MIN..=TimeSpan::MAX`).
    pub fn parse(text: &str) -> Result<TimeSpan, ValueError> {
        parse_dotnet(text).map_err(|kind| match kind {
            ParseFailure::Syntax => ValueError::new(format!(
                "Invalid timeSpan value '{text}': expected [-][d.]hh:mm[:ss[.fffffff]] or a whole number of days"
            )),
            ParseFailure::Component(what) => ValueError::new(format!(
                "Invalid timeSpan value '{text}': {what}"
            )),
            ParseFailure::Overflow => ValueError::new(format!(
                "TimeSpan value '{text}' is out of range: it must be between {} and {}",
                TimeSpan::MIN,
                TimeSpan::MAX
            )),
        })
    }
}

/// Why a time span text failed to parse.
enum ParseFailure {
    Syntax,
    Component(&'static str),
    Overflow,
}

/// White space as .NET number and TimeSpan parsing understands it.
pub(crate) fn is_dotnet_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}')
}

/// Parses a non-empty run of ASCII digits into a u64 (saturating at u64::MAX,
/// which every caller treats as out of range).
fn digits(s: &str) -> Result<u64, ParseFailure> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseFailure::Syntax);
    }
    Ok(s.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

fn parse_dotnet(text: &str) -> Result<TimeSpan, ParseFailure> {
    // The form configuration files write (`00:20:00`), read directly; anything else, and a
    // component out of range, takes the whole parse.
    if let [h1, h2, b':', m1, m2, b':', s1, s2] = *text.as_bytes() {
        let two = |a: u8, b: u8| {
            (a.is_ascii_digit() && b.is_ascii_digit())
                .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
        };
        if let (Some(h), Some(m), Some(s)) = (two(h1, h2), two(m1, m2), two(s1, s2)) {
            if m <= 59 && s <= 59 {
                return Ok(TimeSpan(
                    h * TICKS_PER_HOUR + m * TICKS_PER_MINUTE + s * TICKS_PER_SECOND,
                ));
            }
        }
    }
    parse_any(text)
}

/// Parses any form .NET's `TimeSpan.Parse` accepts (see [`TimeSpan::parse`]).
fn parse_any(text: &str) -> Result<TimeSpan, ParseFailure> {
    let body = text.trim_matches(is_dotnet_ws);
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let magnitude: i128 = if !body.contains(':') {
        i128::from(digits(body)?) * i128::from(TICKS_PER_DAY)
    } else {
        let mut parts = body.split(':');
        let (first, minutes, last) = match (parts.next(), parts.next(), parts.next(), parts.next())
        {
            (Some(a), Some(b), last, None) => (a, b, last),
            _ => return Err(ParseFailure::Syntax),
        };
        let (days, hours) = match first.split_once('.') {
            Some((d, h)) => {
                let hours = digits(h)?;
                if hours > 23 {
                    return Err(ParseFailure::Component(
                        "hours must be 0-23 when a day part is given",
                    ));
                }
                (digits(d)?, hours)
            }
            None => (0, digits(first)?),
        };
        let minutes = digits(minutes)?;
        if minutes > 59 {
            return Err(ParseFailure::Component("minutes must be 0-59"));
        }
        let (seconds, fraction) = match last {
            None => (0, 0),
            Some(last) => {
                let (s, f) = match last.split_once('.') {
                    Some((s, f)) => (s, Some(f)),
                    None => (last, None),
                };
                let seconds = digits(s)?;
                if seconds > 59 {
                    return Err(ParseFailure::Component("seconds must be 0-59"));
                }
                let fraction = match f {
                    None => 0,
                    Some(f) => {
                        if f.len() > 7 {
                            return Err(ParseFailure::Component(
                                "the fraction of a second has at most 7 digits",
                            ));
                        }
                        let mut value = digits(f)?;
                        for _ in f.len()..7 {
                            value *= 10;
                        }
                        value
                    }
                };
                (seconds, fraction)
            }
        };
        i128::from(days) * i128::from(TICKS_PER_DAY)
            + i128::from(hours) * i128::from(TICKS_PER_HOUR)
            + i128::from(minutes) * i128::from(TICKS_PER_MINUTE)
            + i128::from(seconds) * i128::from(TICKS_PER_SECOND)
            + i128::from(fraction)
    };
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed)
        .map(TimeSpan)
        .map_err(|_| ParseFailure::Overflow)
}

/// The time as IIS writes it (`TimeSpan(00:20:00)`), not the ticks.
impl fmt::Debug for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeSpan({self})")
    }
}

impl fmt::Display for TimeSpan {
    /// The .NET `"c"` format: `[-][d.]hh:mm:ss[.fffffff]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magnitude = self.0.unsigned_abs();
        let per_day = TICKS_PER_DAY.unsigned_abs();
        let per_hour = TICKS_PER_HOUR.unsigned_abs();
        let per_minute = TICKS_PER_MINUTE.unsigned_abs();
        let per_second = TICKS_PER_SECOND.unsigned_abs();
        let days = magnitude / per_day;
        let hours = magnitude % per_day / per_hour;
        let minutes = magnitude % per_hour / per_minute;
        let seconds = magnitude % per_minute / per_second;
        let fraction = magnitude % per_second;
        if self.0 < 0 {
            f.write_str("-")?;
        }
        if days != 0 {
            write!(f, "{days}.")?;
        }
        write!(f, "{hours:02}:{minutes:02}:{seconds:02}")?;
        if fraction != 0 {
            write!(f, ".{fraction:07}")?;
        }
        Ok(())
    }
}

impl FromStr for TimeSpan {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeSpan::parse(s)
    }
}

impl serde::Serialize for TimeSpan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TimeSpan {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        TimeSpan::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_shows_the_time() {
        let t = TimeSpan::from_minutes(20).unwrap();
        assert_eq!(format!("{t:?}"), "TimeSpan(00:20:00)");
        assert_eq!(
            format!("{:?}", Some(TimeSpan::ZERO)),
            "Some(TimeSpan(00:00:00))"
        );
    }

    use super::*;

    /// The direct read of `hh:mm:ss` gives what the whole parse gives, for every pair of
    /// digits or not in each place.
    #[test]
    fn the_usual_form_reads_as_the_whole_parse_reads_it() {
        let pairs: Vec<String> = (0..100)
            .map(|n| format!("{n:02}"))
            .chain(["0x", "-1", " 1", "1.", "+1"].map(String::from))
            .collect();
        for h in &pairs {
            for m in pairs.iter().step_by(3) {
                for s in pairs.iter().step_by(7) {
                    let text = format!("{h}:{m}:{s}");
                    let ok = |r: Result<TimeSpan, ParseFailure>| r.ok();
                    assert_eq!(ok(parse_dotnet(&text)), ok(parse_any(&text)), "{text}");
                }
            }
        }
    }
    use proptest::prelude::*;

    fn p(s: &str) -> Result<i64, String> {
        TimeSpan::parse(s).map(|t| t.ticks()).map_err(|e| e.message)
    }

    #[test]
    fn parses_real_iis_defaults() {
        assert_eq!(p("00:02:00"), Ok(2 * TICKS_PER_MINUTE));
        assert_eq!(p("1.00:00:00"), Ok(TICKS_PER_DAY));
        assert_eq!(p("29:00:00"), Ok(29 * TICKS_PER_HOUR));
        assert_eq!(p("00:00:00.1"), Ok(1_000_000));
        assert_eq!(p("10675199.02:48:05.4775807"), Ok(i64::MAX));
        assert_eq!(p("-10675199.02:48:05.4775808"), Ok(i64::MIN));
    }

    #[test]
    fn grammar_cases() {
        assert_eq!(p("0"), Ok(0));
        assert_eq!(p("14"), Ok(14 * TICKS_PER_DAY));
        assert_eq!(
            p("1:2:3"),
            Ok(TICKS_PER_HOUR + 2 * TICKS_PER_MINUTE + 3 * TICKS_PER_SECOND)
        );
        assert_eq!(p("10:0"), Ok(10 * TICKS_PER_HOUR));
        assert_eq!(p("0.12:00"), Ok(12 * TICKS_PER_HOUR));
        assert_eq!(p("10.12:00"), Ok(10 * TICKS_PER_DAY + 12 * TICKS_PER_HOUR));
        assert_eq!(p("0:0:0.250"), Ok(2_500_000));
        assert_eq!(p("0:0:0.0000001"), Ok(1));
        assert_eq!(
            p("0023:0059:0059.0099"),
            Ok(23 * TICKS_PER_HOUR + 59 * TICKS_PER_MINUTE + 59 * TICKS_PER_SECOND + 99_000)
        );
        assert_eq!(p("  -00:20:00\t"), Ok(-20 * TICKS_PER_MINUTE));
        assert_eq!(p("-0"), Ok(0));
        // hours >= 24 without a day part are hours (IIS), not days (.NET quirk).
        assert_eq!(p("24:00:00"), Ok(TICKS_PER_DAY));
        assert_eq!(
            p("100:30"),
            Ok(100 * TICKS_PER_HOUR + 30 * TICKS_PER_MINUTE)
        );
    }

    #[test]
    fn grammar_errors() {
        for bad in [
            "",
            " ",
            "-",
            "10:",
            ":10",
            "10:20:",
            ".123",
            "10.",
            "10.12",
            "0:60:0",
            "0:0:60",
            "1.24:00:00",
            "0:0:0.12345678",
            "1:2:3:4",
            "abc",
            "1h",
            "--1",
            "+1",
            "1 2",
            "0:0:0.",
            "0:0:0.-1",
            "- 1",
            "1e3",
            "０",
        ] {
            assert!(p(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn overflow_is_an_error() {
        assert!(p("10675199.02:48:05.4775808")
            .unwrap_err()
            .contains("out of range"));
        assert!(p("-10675199.02:48:05.4775809")
            .unwrap_err()
            .contains("out of range"));
        assert!(p("10675200").unwrap_err().contains("out of range"));
        assert!(p("99999999999999999999999")
            .unwrap_err()
            .contains("out of range"));
        assert!(p("99999999999999999999999:00")
            .unwrap_err()
            .contains("out of range"));
    }

    #[test]
    fn formats_c() {
        let f = |t: i64| TimeSpan::from_ticks(t).to_string();
        assert_eq!(f(0), "00:00:00");
        assert_eq!(f(1_000_000), "00:00:00.1000000");
        assert_eq!(f(29 * TICKS_PER_HOUR), "1.05:00:00");
        assert_eq!(f(-20 * TICKS_PER_MINUTE), "-00:20:00");
        assert_eq!(f(365 * TICKS_PER_DAY), "365.00:00:00");
        assert_eq!(f(i64::MAX), "10675199.02:48:05.4775807");
        assert_eq!(f(i64::MIN), "-10675199.02:48:05.4775808");
        assert_eq!(f(-1), "-00:00:00.0000001");
    }

    #[test]
    fn helpers() {
        assert_eq!(
            TimeSpan::from_seconds(90).map(|t| t.to_string()),
            Some("00:01:30".into())
        );
        assert_eq!(TimeSpan::from_seconds(i64::MAX), None);
        assert_eq!(
            TimeSpan::from_minutes(20).map(TimeSpan::total_seconds),
            Some(1200)
        );
        assert_eq!(TimeSpan::from_ticks(-15_000_000).total_seconds(), -1);
        assert_eq!(
            TimeSpan::from_ticks(15_000_000).subsecond_ticks(),
            5_000_000
        );
        assert!(TimeSpan::MIN < TimeSpan::ZERO && TimeSpan::ZERO < TimeSpan::MAX);
        assert_eq!(
            TimeSpan::from_std(std::time::Duration::from_millis(1500)),
            Some(TimeSpan::from_ticks(15_000_000))
        );
        assert_eq!(TimeSpan::from_std(std::time::Duration::MAX), None);
    }

    #[test]
    fn serde_as_string() {
        let t = TimeSpan::from_ticks(29 * TICKS_PER_HOUR);
        let json = serde_json::to_string(&t).unwrap_or_default();
        assert_eq!(json, "\"1.05:00:00\"");
        let back: Result<TimeSpan, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(t));
        assert!(serde_json::from_str::<TimeSpan>("\"nope\"").is_err());
    }

    proptest! {
        #[test]
        fn format_parse_round_trip(ticks in any::<i64>()) {
            let t = TimeSpan::from_ticks(ticks);
            prop_assert_eq!(TimeSpan::parse(&t.to_string()), Ok(t));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = TimeSpan::parse(&s);
        }

        #[test]
        fn parse_of_component_form_is_exact(
            neg in any::<bool>(), d in 0u64..10_000_000, h in 0u64..24, m in 0u64..60, s in 0u64..60, f in 0u64..10_000_000
        ) {
            let text = format!("{}{d}.{h}:{m}:{s}.{f:07}", if neg { "-" } else { "" });
            let mag = d as i64 * TICKS_PER_DAY + h as i64 * TICKS_PER_HOUR
                + m as i64 * TICKS_PER_MINUTE + s as i64 * TICKS_PER_SECOND + f as i64;
            prop_assert_eq!(p(&text), Ok(if neg { -mag } else { mag }));
        }
    }
}
