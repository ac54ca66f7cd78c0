//! Dates in the en-US form Windows writes them (`11/20/2026 9:01:00 AM`), as IIS FTP
//! session snapshots exported with `Get-IISServerManager` on an en-US server carry them.
//!
//! Accepted: `M/D/YYYY h:mm[:ss] AM|PM` and the 24-hour `M/D/YYYY H:mm[:ss]` (the .NET
//! invariant culture). The text carries no zone; it is read as UTC, the zone IIS servers
//! usually run in and the zone of the other snapshot dates.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The instant an en-US date and time names (read as UTC), or `None` when `text` is not
/// one or names no real date.
pub fn parse_us_datetime(text: &str) -> Option<SystemTime> {
    let mut words = text.split_whitespace();
    let date = words.next()?;
    let time = words.next()?;
    let meridiem = words.next();
    if words.next().is_some() {
        return None;
    }
    let mut parts = date.split('/');
    let month = number(parts.next()?)?;
    let day = number(parts.next()?)?;
    let year = number(parts.next()?)?;
    if parts.next().is_some() || !(1970..=9999).contains(&year) {
        return None;
    }
    let mut clock = time.split(':');
    let hour = number(clock.next()?)?;
    let minute = number(clock.next()?)?;
    let second = clock.next().map_or(Some(0), number)?;
    if clock.next().is_some() || minute > 59 || second > 59 {
        return None;
    }
    let hour = match meridiem.map(str::to_ascii_uppercase).as_deref() {
        None if hour <= 23 => hour,
        Some("AM") if (1..=12).contains(&hour) => hour % 12,
        Some("PM") if (1..=12).contains(&hour) => hour % 12 + 12,
        _ => return None,
    };
    let days = days_since_epoch(year, month, day)?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days from 1970-01-01 to the given date, `None` for a date that does not exist.
fn days_since_epoch(year: u64, month: u64, day: u64) -> Option<u64> {
    const DAYS_BEFORE_MONTH: [u64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    const MONTH_LENGTH: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    let leap_day = u64::from(month == 2 && is_leap(year));
    let length = MONTH_LENGTH.get(index)? + leap_day;
    if day == 0 || day > length {
        return None;
    }
    let years = year.checked_sub(1970)?;
    let leap_years_before = (1970..year).filter(|y| is_leap(*y)).count();
    let leap_years_before = u64::try_from(leap_years_before).ok()?;
    let leap_this_year = u64::from(month > 2 && is_leap(year));
    Some(
        years * 365
            + leap_years_before
            + DAYS_BEFORE_MONTH.get(index)?
            + leap_this_year
            + (day - 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc3339(text: &str) -> Option<String> {
        parse_us_datetime(text).map(|t| humantime::format_rfc3339_seconds(t).to_string())
    }

    #[test]
    fn en_us_with_meridiem() {
        assert_eq!(
            rfc3339("11/20/2026 9:01:00 AM").as_deref(),
            Some("2026-11-20T09:01:00Z")
        );
        assert_eq!(
            rfc3339("11/20/2026 9:16:00 PM").as_deref(),
            Some("2026-11-20T21:16:00Z")
        );
        assert_eq!(
            rfc3339("1/1/2026 12:00:05 AM").as_deref(),
            Some("2026-01-01T00:00:05Z")
        );
        assert_eq!(
            rfc3339("2/29/2028 12:30 pm").as_deref(),
            Some("2028-02-29T12:30:00Z")
        );
    }

    #[test]
    fn invariant_24_hour_form() {
        assert_eq!(
            rfc3339("11/20/2026 21:16:00").as_deref(),
            Some("2026-11-20T21:16:00Z")
        );
        assert_eq!(
            rfc3339("12/31/9999 23:59:59").as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
    }

    #[test]
    fn impossible_or_foreign_dates_are_none() {
        for text in [
            "",
            "20.11.2026 09:01:00",
            "13/01/2026 9:00:00 AM",
            "2/29/2027 9:00:00 AM",
            "11/31/2026 9:00:00 AM",
            "11/20/2026 13:00:00 PM",
            "11/20/2026 0:00:00 AM",
            "11/20/2026 9:60:00 AM",
            "11/20/1969 9:00:00 AM",
            "11/20/2026 9:00:00 AM UTC",
            "11/20/2026",
            "2026-11-20T09:01:00Z",
        ] {
            assert_eq!(parse_us_datetime(text), None, "{text:?}");
        }
    }
}
