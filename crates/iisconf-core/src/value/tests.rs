//! Unit tests for value parsing and writing.

use super::*;
use proptest::prelude::*;

fn spec(kind: ValueKind) -> TypeSpec<'static> {
    TypeSpec::of(kind)
}

fn inf(kind: ValueKind) -> TypeSpec<'static> {
    TypeSpec {
        allow_infinite: true,
        ..TypeSpec::of(kind)
    }
}

fn ts_spec(format: TimeSpanFormat, allow_infinite: bool) -> TypeSpec<'static> {
    TypeSpec {
        kind: ValueKind::TimeSpan,
        allow_infinite,
        time_span_format: format,
        choices: &[],
    }
}

fn err(spec: &TypeSpec, text: &str) -> String {
    match parse_value(spec, text) {
        Ok(v) => panic!("{text:?} unexpectedly parsed as {v:?}"),
        Err(e) => e.message,
    }
}

fn ok(spec: &TypeSpec, text: &str) -> Value {
    match parse_value(spec, text) {
        Ok(v) => v,
        Err(e) => panic!("{text:?} failed: {}", e.message),
    }
}

fn pipeline_modes() -> Vec<Choice> {
    vec![Choice::new("Integrated", 0), Choice::new("Classic", 1)]
}

fn log_flags() -> Vec<Choice> {
    vec![
        Choice::new("Date", 1),
        Choice::new("Time", 2),
        Choice::new("ClientIP", 4),
        Choice::new("UserName", 8),
    ]
}

fn log_flags_with_none() -> Vec<Choice> {
    let mut v = vec![Choice::new("None", 0)];
    v.extend(log_flags());
    v
}

#[test]
fn kind_names() {
    for k in ValueKind::ALL {
        assert_eq!(ValueKind::from_schema_name(k.schema_name()), Some(k));
    }
    assert_eq!(
        ValueKind::from_schema_name("String"),
        Some(ValueKind::String)
    );
    assert_eq!(
        ValueKind::from_schema_name("TIMESPAN"),
        Some(ValueKind::TimeSpan)
    );
    assert_eq!(ValueKind::from_schema_name("integer"), None);
    assert_eq!(ValueKind::from_schema_name(""), None);
    assert_eq!(
        TimeSpanFormat::from_schema_name("Seconds"),
        Some(TimeSpanFormat::Seconds)
    );
    assert_eq!(
        TimeSpanFormat::from_schema_name("minutes"),
        Some(TimeSpanFormat::Minutes)
    );
    assert_eq!(
        TimeSpanFormat::from_schema_name("string"),
        Some(TimeSpanFormat::String)
    );
    assert_eq!(TimeSpanFormat::from_schema_name("hours"), None);
}

#[test]
fn bool_values() {
    let s = spec(ValueKind::Bool);
    for (t, b) in [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        (" false ", false),
        ("False", false),
    ] {
        assert_eq!(ok(&s, t), Value::Bool(b));
    }
    assert_eq!(
        err(&s, "yes"),
        "Invalid value 'yes': a bool must be 'true' or 'false'"
    );
    for bad in ["", "1", "0", "t", "truee", "on"] {
        assert!(parse_value(&s, bad).is_err(), "{bad:?}");
    }
    assert_eq!(ok(&s, "True").to_iis_string(&s), "true");
    assert_eq!(ok(&s, "FALSE").to_iis_string(&s), "false");
}

#[test]
fn uint_values() {
    let s = spec(ValueKind::UInt);
    assert_eq!(ok(&s, "0"), Value::UInt(0));
    assert_eq!(ok(&s, "4294967295"), Value::UInt(u32::MAX));
    assert_eq!(ok(&s, "+7"), Value::UInt(7));
    assert_eq!(ok(&s, " 12 "), Value::UInt(12));
    assert_eq!(
        err(&s, "4294967296"),
        "Value '4294967296' is out of range for uint: it must be between 0 and 4294967295"
    );
    assert!(err(&s, "-1").contains("out of range"));
    assert_eq!(ok(&s, "-0"), Value::UInt(0));
    assert!(err(&s, "abc").starts_with("Invalid uint value 'abc'"));
    for bad in ["", "0x10", "1.5", "1e3", "1 000"] {
        assert!(parse_value(&s, bad).is_err(), "{bad:?}");
    }
    assert_eq!(ok(&s, "0042").to_iis_string(&s), "42");
}

#[test]
fn int_and_int64_values() {
    let s = spec(ValueKind::Int);
    assert_eq!(ok(&s, "-2147483648"), Value::Int(i32::MIN));
    assert_eq!(ok(&s, "2147483647"), Value::Int(i32::MAX));
    assert!(err(&s, "2147483648").contains("out of range for int"));
    assert!(err(&s, "-2147483649").contains("out of range for int"));
    assert_eq!(ok(&s, "-5").to_iis_string(&s), "-5");

    let s = spec(ValueKind::Int64);
    assert_eq!(ok(&s, "-9223372036854775808"), Value::Int64(i64::MIN));
    assert_eq!(ok(&s, "9223372036854775807"), Value::Int64(i64::MAX));
    assert!(err(&s, "9223372036854775808").contains("out of range for int64"));
    assert_eq!(ok(&s, "4294967296").to_iis_string(&s), "4294967296");
}

#[test]
fn infinite_only_where_allowed() {
    for kind in [
        ValueKind::UInt,
        ValueKind::Int,
        ValueKind::Int64,
        ValueKind::TimeSpan,
    ] {
        let allowed = inf(kind);
        assert_eq!(ok(&allowed, "Infinite"), Value::Infinite);
        assert_eq!(ok(&allowed, "infinite"), Value::Infinite);
        assert_eq!(Value::Infinite.to_iis_string(&allowed), "Infinite");
        let m = err(&spec(kind), "Infinite");
        assert!(m.contains("allowInfinite"), "{m}");
    }
    let secs = ts_spec(TimeSpanFormat::Minutes, true);
    assert_eq!(ok(&secs, "Infinite"), Value::Infinite);
    // Enum and bool do not treat Infinite specially, even with allowInfinite.
    let choices = vec![Choice::new("Infinite", 3)];
    let e = TypeSpec {
        choices: &choices,
        ..spec(ValueKind::Enum)
    };
    assert_eq!(
        ok(&e, "infinite"),
        Value::Enum {
            name: "Infinite".into(),
            value: 3
        }
    );
    assert!(err(&inf(ValueKind::Bool), "Infinite").contains("a bool must be"));
    // A string attribute keeps the text verbatim.
    assert_eq!(
        ok(&spec(ValueKind::String), "Infinite"),
        Value::String("Infinite".into())
    );
    // The hint mentions Infinite only where it is allowed.
    assert!(err(&inf(ValueKind::UInt), "x").ends_with("or 'Infinite'"));
    assert!(!err(&spec(ValueKind::UInt), "x").contains("Infinite"));
}

#[test]
fn string_values_are_verbatim() {
    let s = spec(ValueKind::String);
    for t in [
        "",
        "  padded  ",
        "[enc:AesProvider::enc]",
        "%SystemDrive%\\inetpub",
    ] {
        assert_eq!(ok(&s, t), Value::String(t.into()));
        assert_eq!(ok(&s, t).to_iis_string(&s), t);
    }
}

#[test]
fn timespan_string_format() {
    let s = ts_spec(TimeSpanFormat::String, false);
    let t = |x: &str| match ok(&s, x) {
        Value::TimeSpan(t) => t.ticks(),
        v => panic!("{v:?}"),
    };
    assert_eq!(t("00:20:00"), 20 * 60 * 10_000_000);
    assert_eq!(t("1"), 86_400 * 10_000_000);
    assert_eq!(t("00:00:00.1"), 1_000_000);
    assert_eq!(t("29:00:00"), 29 * 3600 * 10_000_000);
    assert_eq!(ok(&s, "29:00:00").to_iis_string(&s), "1.05:00:00");
    assert_eq!(ok(&s, "00:00:00.1").to_iis_string(&s), "00:00:00.1000000");
    assert_eq!(ok(&s, "365").to_iis_string(&s), "365.00:00:00");
    assert!(err(&s, "20m").starts_with("Invalid timeSpan value '20m'"));
}

#[test]
fn timespan_seconds_and_minutes_formats() {
    let secs = ts_spec(TimeSpanFormat::Seconds, false);
    assert_eq!(
        ok(&secs, "900"),
        Value::TimeSpan(TimeSpan::from_ticks(900 * 10_000_000))
    );
    assert_eq!(ok(&secs, "900").to_iis_string(&secs), "900");
    assert_eq!(ok(&secs, "0").to_iis_string(&secs), "0");
    assert!(err(&secs, "00:15:00").contains("whole number of seconds"));
    assert!(err(&secs, "1.5").contains("whole number of seconds"));
    assert!(err(&secs, "922337203686").contains("out of range"));

    let mins = ts_spec(TimeSpanFormat::Minutes, false);
    assert_eq!(
        ok(&mins, "20"),
        Value::TimeSpan(TimeSpan::from_ticks(20 * 60 * 10_000_000))
    );
    assert_eq!(ok(&mins, "100000").to_iis_string(&mins), "100000");
    assert!(err(&mins, "20m").contains("whole number of minutes"));
    // A value written in another format is truncated to the unit.
    let v = Value::TimeSpan(TimeSpan::from_ticks(90 * 10_000_000));
    assert_eq!(v.to_iis_string(&mins), "1");
    assert_eq!(v.to_iis_string(&secs), "90");
}

#[test]
fn enum_values() {
    let choices = pipeline_modes();
    let s = TypeSpec {
        choices: &choices,
        ..spec(ValueKind::Enum)
    };
    assert_eq!(
        ok(&s, "Classic"),
        Value::Enum {
            name: "Classic".into(),
            value: 1
        }
    );
    assert_eq!(
        ok(&s, "classic"),
        Value::Enum {
            name: "Classic".into(),
            value: 1
        }
    );
    assert_eq!(ok(&s, "classic").to_iis_string(&s), "Classic");
    // By number, as MWA accepts; written back as the name.
    assert_eq!(ok(&s, "1").to_iis_string(&s), "Classic");
    assert_eq!(ok(&s, "0").to_iis_string(&s), "Integrated");
    assert_eq!(err(&s, "2"), "Enum must be one of Integrated, Classic");
    assert_eq!(err(&s, "Hybrid"), "Enum must be one of Integrated, Classic");
    assert_eq!(err(&s, ""), "Enum must be one of Integrated, Classic");

    let neg = vec![Choice::new("Unspecified", -1), Choice::new("Strict", 2)];
    let s = TypeSpec {
        choices: &neg,
        ..spec(ValueKind::Enum)
    };
    assert_eq!(ok(&s, "-1").to_iis_string(&s), "Unspecified");
    // An out-of-schema value built by hand is written as its number.
    assert_eq!(
        Value::Enum {
            name: "x".into(),
            value: 9
        }
        .to_iis_string(&s),
        "9"
    );
}

#[test]
fn flags_values() {
    let choices = log_flags();
    let s = TypeSpec {
        choices: &choices,
        ..spec(ValueKind::Flags)
    };
    let v = |t: &str| match ok(&s, t) {
        Value::Flags { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(v("Date, Time, ClientIP"), 7);
    assert_eq!(v("Date,Time"), 3);
    assert_eq!(v("time ,  date"), 3);
    assert_eq!(v(""), 0);
    assert_eq!(v("   "), 0);
    assert_eq!(v("None"), 0);
    assert_eq!(v("3"), 3);
    assert_eq!(v("Date, 2, 8"), 11);
    assert_eq!(v("Date, Date"), 1);
    // Combined numbers round-trip as names in schema order, never as numbers.
    assert_eq!(ok(&s, "3").to_iis_string(&s), "Date, Time");
    assert_eq!(ok(&s, "UserName,Date").to_iis_string(&s), "Date, UserName");
    assert_eq!(ok(&s, "").to_iis_string(&s), "");
    assert_eq!(
        ok(&s, "ClientIP,Date"),
        Value::Flags {
            names: vec!["Date".into(), "ClientIP".into()],
            value: 5
        }
    );
    let msg = "Flags must be some combination of Date, Time, ClientIP, UserName";
    assert_eq!(err(&s, "Date, Bogus"), msg);
    assert_eq!(err(&s, "16"), msg);
    assert_eq!(err(&s, "17"), msg);
    assert_eq!(err(&s, "-1"), msg);
    assert_eq!(err(&s, "Date,,Time"), msg);
    assert_eq!(err(&s, "Date,"), msg);

    let with_none = log_flags_with_none();
    let s = TypeSpec {
        choices: &with_none,
        ..spec(ValueKind::Flags)
    };
    assert_eq!(ok(&s, "").to_iis_string(&s), "None");
    assert_eq!(ok(&s, "none").to_iis_string(&s), "None");
    assert_eq!(ok(&s, "None, Time").to_iis_string(&s), "Time");
}

#[test]
fn flags_to_string_of_hand_built_value_keeps_unknown_bits() {
    let choices = log_flags();
    let s = TypeSpec {
        choices: &choices,
        ..spec(ValueKind::Flags)
    };
    let v = Value::Flags {
        names: vec![],
        value: 1 | 64,
    };
    assert_eq!(v.to_iis_string(&s), "Date, 64");
}

#[test]
fn same_value_cases() {
    assert!(same_value(&spec(ValueKind::Bool), "True", "true"));
    assert!(!same_value(&spec(ValueKind::Bool), "True", "false"));
    let t = ts_spec(TimeSpanFormat::String, false);
    assert!(same_value(&t, "00:20:00", "0.00:20:00"));
    assert!(same_value(&t, "29:00:00", "1.05:00:00"));
    assert!(same_value(&t, "1", "24:00:00"));
    assert!(!same_value(&t, "00:20:00", "00:20:01"));
    let choices = log_flags();
    let f = TypeSpec {
        choices: &choices,
        ..spec(ValueKind::Flags)
    };
    assert!(same_value(&f, "Date, Time", "time,date"));
    assert!(same_value(&f, "Date, Time", "3"));
    assert!(!same_value(&f, "Date", "Time"));
    let modes = pipeline_modes();
    let e = TypeSpec {
        choices: &modes,
        ..spec(ValueKind::Enum)
    };
    assert!(same_value(&e, "classic", "1"));
    assert!(same_value(&spec(ValueKind::UInt), "007", "7"));
    // Unparsable texts compare verbatim.
    assert!(same_value(&spec(ValueKind::UInt), "x", "x"));
    assert!(!same_value(&spec(ValueKind::UInt), "x", "X"));
    assert!(!same_value(&spec(ValueKind::UInt), "7", "x"));
    assert!(!same_value(&spec(ValueKind::String), "a", "A"));
    assert!(same_value(
        &inf(ValueKind::TimeSpan),
        "Infinite",
        "INFINITE"
    ));
}

#[test]
fn cli_values() {
    let t = ts_spec(TimeSpanFormat::String, false);
    let cli = |s: &TypeSpec, x: &str| {
        parse_cli_value(s, x)
            .map(|v| v.to_iis_string(s))
            .map_err(|e| e.message)
    };
    assert_eq!(cli(&t, "10m"), Ok("00:10:00".into()));
    assert_eq!(cli(&t, "1h30m"), Ok("01:30:00".into()));
    assert_eq!(cli(&t, "2days"), Ok("2.00:00:00".into()));
    assert_eq!(cli(&t, "00:20:00"), Ok("00:20:00".into()));
    // A bare number keeps its IIS meaning: days.
    assert_eq!(cli(&t, "10"), Ok("10.00:00:00".into()));
    assert!(cli(&t, "soon").is_err_and(|m| m.contains("10m or 1h30m")));

    let m = ts_spec(TimeSpanFormat::Minutes, false);
    assert_eq!(cli(&m, "40"), Ok("40".into()));
    assert_eq!(cli(&m, "2h"), Ok("120".into()));
    assert_eq!(cli(&m, "00:20:00"), Ok("20".into()));
    assert!(cli(&m, "90s").is_err_and(|e| e.contains("whole number of minutes")));
    let s = ts_spec(TimeSpanFormat::Seconds, true);
    assert_eq!(cli(&s, "1m30s"), Ok("90".into()));
    assert_eq!(cli(&s, "Infinite"), Ok("Infinite".into()));
    assert!(cli(&s, "1500ms").is_err());
    // Other kinds behave exactly like parse_value.
    assert!(parse_cli_value(&spec(ValueKind::UInt), "10m").is_err());
    assert_eq!(
        parse_cli_value(&spec(ValueKind::UInt), "10"),
        Ok(Value::UInt(10))
    );
}

proptest! {
    #[test]
    fn flags_round_trip(mask in 0i64..32, with_none in any::<bool>()) {
        let mut choices = if with_none { log_flags_with_none() } else { log_flags() };
        choices.push(Choice::new("Referer", 16));
        let s = TypeSpec { choices: &choices, ..TypeSpec::of(ValueKind::Flags) };
        let parsed = parse_value(&s, &mask.to_string());
        let written = parsed.as_ref().map(|v| v.to_iis_string(&s)).unwrap_or_default();
        prop_assert!(!written.chars().any(|c| c.is_ascii_digit()), "{}", written);
        let back = parse_value(&s, &written);
        prop_assert_eq!(&back, &parsed);
        match back {
            Ok(Value::Flags { value, .. }) => prop_assert_eq!(value, mask),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn int_round_trip(n in any::<i64>()) {
        let s = TypeSpec::of(ValueKind::Int64);
        let v = parse_value(&s, &n.to_string());
        prop_assert_eq!(&v, &Ok(Value::Int64(n)));
        let written = v.map(|v| v.to_iis_string(&s)).unwrap_or_default();
        prop_assert_eq!(written, n.to_string());
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,24}", k in 0usize..8) {
        let choices = log_flags();
        let kind = ValueKind::ALL.get(k).copied().unwrap_or(ValueKind::String);
        let spec = TypeSpec { choices: &choices, ..TypeSpec::of(kind) };
        let _ = parse_value(&spec, &s);
        let _ = parse_cli_value(&spec, &s);
    }
}

#[test]
fn a_duration_whose_parts_overflow_is_refused_not_a_panic() {
    // Found by the `values` fuzz target: humantime panics summing these parts.
    let text = format!(
        "{}18446744073709551615.5s\r\r\r\r\r0.5s\r\n80004.08d",
        "0".repeat(142)
    );
    assert!(parse_cli_value(&spec(ValueKind::TimeSpan), &text).is_err());
    assert!(parse_cli_value(&spec(ValueKind::TimeSpan), "1h30m").is_ok());
}
