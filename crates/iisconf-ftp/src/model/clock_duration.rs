//! Durations as an FTP administrator reads them: `hh:mm:ss`, and `2d 03:04:05` beyond a
//! day (the form of Plesk's "Active FTP Sessions" and of `ftpwho`).

use std::time::Duration;

/// Writes `d` as `hh:mm:ss`, or `Nd hh:mm:ss` from one day on; fractions of a second are
/// dropped.
pub fn clock_duration(d: Duration) -> String {
    let total = d.as_secs();
    let days = total / 86_400;
    let hours = (total % 86_400) / 3600;
    let minutes = (total % 3600) / 60;
    let seconds = total % 60;
    if days > 0 {
        format!("{days}d {hours:02}:{minutes:02}:{seconds:02}")
    } else {
        format!("{hours:02}:{minutes:02}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_a_day_is_hh_mm_ss() {
        assert_eq!(clock_duration(Duration::from_secs(0)), "00:00:00");
        assert_eq!(clock_duration(Duration::from_millis(59_999)), "00:00:59");
        assert_eq!(clock_duration(Duration::from_secs(3725)), "01:02:05");
        assert_eq!(clock_duration(Duration::from_secs(86_399)), "23:59:59");
    }

    #[test]
    fn beyond_a_day_counts_days() {
        assert_eq!(clock_duration(Duration::from_secs(86_400)), "1d 00:00:00");
        let d = 2 * 86_400 + 3 * 3600 + 4 * 60 + 5;
        assert_eq!(clock_duration(Duration::from_secs(d)), "2d 03:04:05");
        assert_eq!(clock_duration(Duration::from_secs(919_553)), "10d 15:25:53");
    }
}
