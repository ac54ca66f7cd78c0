//! Decimal integer parsing shared by `uint`, `int`, `int64`, enum and flag numbers.

use super::timespan::is_dotnet_ws;

/// Why an integer text was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntFailure {
    /// Not `[ws][+|-]digits[ws]`.
    Syntax,
    /// Well-formed but outside the requested range (never clamped).
    OutOfRange,
}

/// Parses `[ws][+|-]digits[ws]` (like .NET `NumberStyles.Integer`, ASCII digits
/// only, no hex, no thousands separators) and checks `min..=max`.
pub(crate) fn parse_integer(text: &str, min: i64, max: i64) -> Result<i64, IntFailure> {
    let body = text.trim_matches(is_dotnet_ws);
    let (negative, digits) = match body.as_bytes().first() {
        Some(b'-') => (true, body.get(1..).unwrap_or("")),
        Some(b'+') => (false, body.get(1..).unwrap_or("")),
        _ => (false, body),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IntFailure::Syntax);
    }
    // i128 with saturation: anything past i64 is out of range anyway.
    let magnitude = digits.bytes().fold(0i128, |acc, b| {
        acc.saturating_mul(10).saturating_add(i128::from(b - b'0'))
    });
    let value = if negative { -magnitude } else { magnitude };
    if value < i128::from(min) || value > i128::from(max) {
        return Err(IntFailure::OutOfRange);
    }
    i64::try_from(value).map_err(|_| IntFailure::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_signs_and_whitespace() {
        assert_eq!(parse_integer("42", 0, 100), Ok(42));
        assert_eq!(parse_integer("+42", 0, 100), Ok(42));
        assert_eq!(parse_integer(" \t42\r\n", 0, 100), Ok(42));
        assert_eq!(parse_integer("-5", -10, 10), Ok(-5));
        assert_eq!(parse_integer("007", 0, 10), Ok(7));
        assert_eq!(
            parse_integer("-9223372036854775808", i64::MIN, i64::MAX),
            Ok(i64::MIN)
        );
    }

    #[test]
    fn rejects_syntax_and_range() {
        for bad in [
            "", " ", "+", "-", "0x10", "1_000", "1,000", "1.0", "1e3", "- 1", "++1", "١",
        ] {
            assert_eq!(
                parse_integer(bad, i64::MIN, i64::MAX),
                Err(IntFailure::Syntax),
                "{bad:?}"
            );
        }
        assert_eq!(parse_integer("101", 0, 100), Err(IntFailure::OutOfRange));
        assert_eq!(
            parse_integer("9223372036854775808", i64::MIN, i64::MAX),
            Err(IntFailure::OutOfRange)
        );
        assert_eq!(
            parse_integer(
                "99999999999999999999999999999999999999999",
                i64::MIN,
                i64::MAX
            ),
            Err(IntFailure::OutOfRange)
        );
    }
}
