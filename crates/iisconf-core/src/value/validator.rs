//! Schema validators (`validationType` / `validationParameter`).
//!
//! A validator checks a value that already parsed with its attribute's type.
//! A validator applied to a value of a type it does not fit (for example
//! `integerRange` on a string, or anything on [`Value::Infinite`]) accepts it:
//! the type check has already run, and IIS validators only inspect their own type.

use super::timespan::TICKS_PER_SECOND;
use super::{TimeSpan, Value, ValueError};

/// Characters the `applicationPoolName` validator rejects. The IIS_schema.xml
/// header lists them as `|<>&\"/[]+=;:,?*@`, i.e. including both `\` and `"`
/// (17 characters; the same set as MWA's
/// `ApplicationPoolCollection.InvalidApplicationPoolNameCharacters()`).
pub const APPLICATION_POOL_NAME_INVALID_CHARS: &[char] = &[
    '|', '<', '>', '&', '\\', '"', '/', '[', ']', '+', '=', ';', ':', ',', '?', '*', '@',
];

/// Characters the `siteName` validator rejects (IIS_schema.xml header: `/?`).
pub const SITE_NAME_INVALID_CHARS: &[char] = &['/', '?'];

/// A parsed `validationType` with its `validationParameter`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Validator {
    /// `integerRange` `min,max[,exclude]`, for `int`, `uint` and `int64`.
    ///
    /// Without `exclude` the value must lie in `min..=max`. With `exclude` the
    /// value must lie **outside** `min..=max`: both bounds are rejected. That
    /// matches the message IIS prints ("must not be between … inclusive") and
    /// makes `0,1023,exclude` (bandwidth limits) mean "at least 1024"; real IIS
    /// behaviour at the bounds is unverified (JexusManager rejects only the open
    /// interval).
    IntegerRange {
        /// Lower bound.
        min: i64,
        /// Upper bound.
        max: i64,
        /// Reject the range instead of requiring it.
        exclude: bool,
    },
    /// `timeSpanRange` `min,max,granularity[,exclude]`, all in seconds.
    ///
    /// The value must be a whole number of seconds `s` with `s % granularity == 0`,
    /// and `s` must lie in `min..=max` (outside it with `exclude`).
    ///
    /// The granularity is measured from zero, not from `min`: the real schema
    /// pairs `1,2147483640,60` with the defaults 20 minutes
    /// (sessionState/@timeout) and 15 minutes (membership/@userIsOnlineTimeWindow),
    /// which `(s - min) % granularity == 0` would reject. For every other real
    /// parameter `min` is a multiple of the granularity and both readings agree.
    TimeSpanRange {
        /// Lower bound in seconds.
        min_seconds: i64,
        /// Upper bound in seconds.
        max_seconds: i64,
        /// Step in seconds (at least 1).
        granularity_seconds: i64,
        /// Reject the range instead of requiring it.
        exclude: bool,
    },
    /// `nonEmptyString`: the string must not be empty (white space counts as content).
    NonEmptyString,
    /// `requireTrimmedString`: no leading or trailing (Unicode) white space.
    RequireTrimmedString,
    /// `siteName`: not empty or blank, no leading/trailing white space, none of `/?`.
    SiteName,
    /// `applicationPoolName`: not empty or blank, none of
    /// [`APPLICATION_POOL_NAME_INVALID_CHARS`].
    ApplicationPoolName,
    /// `applicationPath`: see [`is_valid_virtual_path`].
    ApplicationPath,
    /// `virtualDirectoryPath`: same rules as `applicationPath`.
    VirtualDirectoryPath,
    /// Not an IIS validation type: a string the module reads itself at run time, which must
    /// be one of these words in any letter case (e.g. the ASP.NET Core Module's
    /// `hostingModel`). iisconf applies it where the schema says only `string`.
    OneOf(&'static [&'static str]),
}

fn parse_bound(part: &str, what: &str, validation_type: &str) -> Result<i64, String> {
    part.trim()
        .parse::<i64>()
        .map_err(|_| format!("{validation_type}: {what} '{part}' is not a 64-bit integer"))
}

fn parse_exclude(part: Option<&&str>, validation_type: &str) -> Result<bool, String> {
    match part {
        None => Ok(false),
        Some(p) if p.trim().eq_ignore_ascii_case("exclude") => Ok(true),
        Some(p) => Err(format!(
            "{validation_type}: expected 'exclude' as the last parameter, found '{p}'"
        )),
    }
}

impl Validator {
    /// Builds a validator from the schema's `validationType` and
    /// `validationParameter`. The type name is matched ASCII case-insensitively.
    /// Validators without parameters ignore any parameter given.
    ///
    /// Returns a description (never panics) for an unknown or empty type, a
    /// missing or malformed parameter, `min > max`, or a granularity below 1;
    /// the schema loader should report it as a warning and skip the validator.
    pub fn parse(validation_type: &str, parameter: Option<&str>) -> Result<Validator, String> {
        let t = validation_type.trim();
        let is = |name: &str| t.eq_ignore_ascii_case(name);
        if is("integerRange") {
            let param = parameter.unwrap_or("");
            let parts: Vec<&str> = param.split(',').collect();
            let (min, max, exclude) = match parts.as_slice() {
                [min, max] | [min, max, _] => (
                    parse_bound(min, "minimum", t)?,
                    parse_bound(max, "maximum", t)?,
                    parse_exclude(parts.get(2), t)?,
                ),
                _ => {
                    return Err(format!(
                        "integerRange: validationParameter '{param}' must be 'min,max[,exclude]'"
                    ))
                }
            };
            if min > max {
                return Err(format!(
                    "integerRange: minimum {min} is above maximum {max}"
                ));
            }
            Ok(Validator::IntegerRange { min, max, exclude })
        } else if is("timeSpanRange") {
            let param = parameter.unwrap_or("");
            let parts: Vec<&str> = param.split(',').collect();
            let (min, max, granularity, exclude) = match parts.as_slice() {
                [min, max, g] | [min, max, g, _] => (
                    parse_bound(min, "minimum", t)?,
                    parse_bound(max, "maximum", t)?,
                    parse_bound(g, "granularity", t)?,
                    parse_exclude(parts.get(3), t)?,
                ),
                _ => {
                    return Err(format!(
                        "timeSpanRange: validationParameter '{param}' must be 'min,max,granularity[,exclude]'"
                    ))
                }
            };
            if min > max {
                return Err(format!(
                    "timeSpanRange: minimum {min} is above maximum {max}"
                ));
            }
            if granularity < 1 {
                return Err(format!(
                    "timeSpanRange: granularity {granularity} must be at least 1"
                ));
            }
            if TimeSpan::from_seconds(min).is_none() || TimeSpan::from_seconds(max).is_none() {
                return Err("timeSpanRange: bounds exceed the TimeSpan range".to_owned());
            }
            Ok(Validator::TimeSpanRange {
                min_seconds: min,
                max_seconds: max,
                granularity_seconds: granularity,
                exclude,
            })
        } else if is("nonEmptyString") {
            Ok(Validator::NonEmptyString)
        } else if is("requireTrimmedString") {
            Ok(Validator::RequireTrimmedString)
        } else if is("siteName") {
            Ok(Validator::SiteName)
        } else if is("applicationPoolName") {
            Ok(Validator::ApplicationPoolName)
        } else if is("applicationPath") {
            Ok(Validator::ApplicationPath)
        } else if is("virtualDirectoryPath") {
            Ok(Validator::VirtualDirectoryPath)
        } else if t.is_empty() {
            Err("validationType is empty".to_owned())
        } else {
            Err(format!("unknown validationType '{validation_type}'"))
        }
    }

    /// The schema spelling of this validator's type, e.g. `integerRange`.
    pub fn schema_name(&self) -> &'static str {
        match self {
            Validator::IntegerRange { .. } => "integerRange",
            Validator::TimeSpanRange { .. } => "timeSpanRange",
            Validator::NonEmptyString => "nonEmptyString",
            Validator::RequireTrimmedString => "requireTrimmedString",
            Validator::SiteName => "siteName",
            Validator::ApplicationPoolName => "applicationPoolName",
            Validator::ApplicationPath => "applicationPath",
            Validator::VirtualDirectoryPath => "virtualDirectoryPath",
            Validator::OneOf(_) => "oneOf",
        }
    }

    /// Checks a parsed value, with the IIS message on failure. Values of a type
    /// the validator does not apply to (and `Infinite`) pass.
    pub fn check(&self, value: &Value) -> Result<(), ValueError> {
        if let Value::String(s) = value {
            return self.check_str(s);
        }
        match (self, value) {
            (Validator::IntegerRange { min, max, exclude }, v) => {
                let n = match v {
                    Value::Int(n) => i64::from(*n),
                    Value::UInt(n) => i64::from(*n),
                    Value::Int64(n) => *n,
                    _ => return Ok(()),
                };
                let inside = (*min..=*max).contains(&n);
                match (exclude, inside) {
                    (false, false) => Err(ValueError::new(format!(
                        "Integer value must be between {min} and {max} inclusive"
                    ))),
                    (true, true) => Err(ValueError::new(format!(
                        "Integer value must not be between {min} and {max} inclusive"
                    ))),
                    _ => Ok(()),
                }
            }
            (
                Validator::TimeSpanRange {
                    min_seconds,
                    max_seconds,
                    granularity_seconds,
                    exclude,
                },
                Value::TimeSpan(t),
            ) => {
                let whole = t.ticks() % TICKS_PER_SECOND == 0;
                let s = t.total_seconds();
                // checked_rem: the fields are public, so a hand-built granularity of 0
                // must not panic (it simply rejects everything).
                let on_grid = whole && s.checked_rem(*granularity_seconds) == Some(0);
                let inside = (*min_seconds..=*max_seconds).contains(&s);
                if on_grid && inside != *exclude {
                    return Ok(());
                }
                let show = |secs: i64| {
                    TimeSpan::from_seconds(secs)
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| secs.to_string())
                };
                Err(ValueError::new(format!(
                    "Timespan value must {}be between {} and {} seconds inclusive, with a granularity of {granularity_seconds} seconds",
                    if *exclude { "not " } else { "" },
                    show(*min_seconds),
                    show(*max_seconds),
                )))
            }
            _ => Ok(()),
        }
    }

    /// Checks a `string` value (a validator for other types accepts any string).
    pub fn check_str(&self, s: &str) -> Result<(), ValueError> {
        match self {
            Validator::NonEmptyString if s.is_empty() => {
                Err(ValueError::new("String must not be empty"))
            }
            Validator::RequireTrimmedString if s.trim() != s => Err(ValueError::new(
                "String must not have leading or trailing whitespace",
            )),
            Validator::SiteName
                if s.trim().is_empty() || s.trim() != s || s.contains(SITE_NAME_INVALID_CHARS) =>
            {
                Err(ValueError::new("Invalid site name"))
            }
            Validator::ApplicationPoolName
                if s.trim().is_empty() || s.contains(APPLICATION_POOL_NAME_INVALID_CHARS) =>
            {
                Err(ValueError::new("Invalid application pool name"))
            }
            Validator::ApplicationPath if !is_valid_virtual_path(s) => {
                Err(ValueError::new("Invalid application path"))
            }
            Validator::VirtualDirectoryPath if !is_valid_virtual_path(s) => {
                Err(ValueError::new("Invalid virtual directory path"))
            }
            Validator::OneOf(words) if !words.iter().any(|w| w.eq_ignore_ascii_case(s)) => Err(
                ValueError::new(format!("Value must be one of {}", words.join(", "))),
            ),
            _ => Ok(()),
        }
    }
}

/// The `applicationPath`/`virtualDirectoryPath` rule from the IIS_schema.xml
/// header: starts with `/`, does not end with `/` unless it is exactly `/`, and
/// no segment between slashes is `.` or `..`. (Empty segments, as in `/a//b`,
/// are not mentioned by the rule and are accepted.)
pub fn is_valid_virtual_path(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    path.starts_with('/')
        && !path.ends_with('/')
        && !path.split('/').any(|seg| seg == "." || seg == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str, p: Option<&str>) -> Validator {
        match Validator::parse(t, p) {
            Ok(v) => v,
            Err(e) => panic!("{t} {p:?}: {e}"),
        }
    }

    fn msg(val: &Validator, value: Value) -> Option<String> {
        val.check(&value).err().map(|e| e.message)
    }

    fn secs(s: i64) -> Value {
        Value::TimeSpan(TimeSpan::from_ticks(s * TICKS_PER_SECOND))
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn parse_errors_never_panic() {
        for (t, p) in [
            ("integerRange", None),
            ("integerRange", Some("")),
            ("integerRange", Some("1")),
            ("integerRange", Some("a,2")),
            ("integerRange", Some("5,1")),
            ("integerRange", Some("1,2,include")),
            ("integerRange", Some("1,2,exclude,4")),
            ("integerRange", Some("0,9223372036854775808")),
            ("timeSpanRange", Some("0,10")),
            ("timeSpanRange", Some("0,10,0")),
            ("timeSpanRange", Some("0,10,-5")),
            ("timeSpanRange", Some("10,0,1")),
            ("timeSpanRange", Some("0,9223372036854775807,1")),
            ("timeSpanRange", Some("0,10,1,nope")),
            ("validateRegex", Some(".*")),
            ("", None),
            ("bogus", None),
        ] {
            assert!(Validator::parse(t, p).is_err(), "{t} {p:?}");
        }
        assert!(Validator::parse("bogus", None)
            .is_err_and(|e| e.contains("unknown validationType 'bogus'")));
    }

    #[test]
    fn parse_real_parameters() {
        assert_eq!(
            v("integerRange", Some("0,1023,exclude")),
            Validator::IntegerRange {
                min: 0,
                max: 1023,
                exclude: true
            }
        );
        assert_eq!(
            v("integerRange", Some(" 1048576 , 4294967295 ")),
            Validator::IntegerRange {
                min: 1_048_576,
                max: 4_294_967_295,
                exclude: false
            }
        );
        assert_eq!(
            v("timeSpanRange", Some("0,31536000,60")),
            Validator::TimeSpanRange {
                min_seconds: 0,
                max_seconds: 31_536_000,
                granularity_seconds: 60,
                exclude: false
            }
        );
        assert_eq!(
            v("NONEMPTYSTRING", Some("ignored")),
            Validator::NonEmptyString
        );
        assert_eq!(v("siteName", None).schema_name(), "siteName");
    }

    #[test]
    fn integer_range_inclusive() {
        let r = v("integerRange", Some("400,999"));
        assert_eq!(msg(&r, Value::UInt(400)), None);
        assert_eq!(msg(&r, Value::UInt(999)), None);
        assert_eq!(
            msg(&r, Value::UInt(399)).as_deref(),
            Some("Integer value must be between 400 and 999 inclusive")
        );
        assert_eq!(
            msg(&r, Value::Int(1000)).as_deref(),
            Some("Integer value must be between 400 and 999 inclusive")
        );
        let neg = v("integerRange", Some("-1,999"));
        assert_eq!(msg(&neg, Value::Int(-1)), None);
        assert!(msg(&neg, Value::Int(-2)).is_some());
        // int64 is checked too (the peer skips it), with i64 bounds.
        let big = v("integerRange", Some("1048576,4294967295"));
        assert_eq!(msg(&big, Value::Int64(4_294_967_295)), None);
        assert_eq!(msg(&big, Value::Int64(1_048_576)), None);
        assert_eq!(
            msg(&big, Value::Int64(4_294_967_296)).as_deref(),
            Some("Integer value must be between 1048576 and 4294967295 inclusive")
        );
        assert!(msg(&big, Value::Int64(1_048_575)).is_some());
        assert!(msg(&big, Value::Int64(i64::MIN)).is_some());
    }

    #[test]
    fn integer_range_exclude_rejects_bounds() {
        let r = v("integerRange", Some("0,1023,exclude"));
        let text = "Integer value must not be between 0 and 1023 inclusive";
        assert_eq!(msg(&r, Value::UInt(0)).as_deref(), Some(text));
        assert_eq!(msg(&r, Value::UInt(500)).as_deref(), Some(text));
        assert_eq!(msg(&r, Value::UInt(1023)).as_deref(), Some(text));
        assert_eq!(msg(&r, Value::UInt(1024)), None);
        assert_eq!(msg(&r, Value::UInt(u32::MAX)), None);
        let r = v("integerRange", Some("300,307,exclude"));
        assert!(msg(&r, Value::Int(300)).is_some());
        assert_eq!(msg(&r, Value::Int(299)), None);
        assert_eq!(msg(&r, Value::Int(308)), None);
    }

    #[test]
    fn timespan_range() {
        let r = v("timeSpanRange", Some("0,31536000,60"));
        let text = "Timespan value must be between 00:00:00 and 365.00:00:00 seconds inclusive, with a granularity of 60 seconds";
        assert_eq!(msg(&r, secs(0)), None);
        assert_eq!(msg(&r, secs(1200)), None);
        assert_eq!(msg(&r, secs(31_536_000)), None);
        assert_eq!(msg(&r, secs(31_536_060)).as_deref(), Some(text));
        assert_eq!(msg(&r, secs(-60)).as_deref(), Some(text));
        assert_eq!(msg(&r, secs(90)).as_deref(), Some(text));
        assert_eq!(
            msg(
                &r,
                Value::TimeSpan(TimeSpan::from_ticks(60 * TICKS_PER_SECOND + 1))
            )
            .as_deref(),
            Some(text)
        );
        // granularity 1 still rejects sub-second parts
        let one = v("timeSpanRange", Some("1,4294967,1"));
        assert_eq!(msg(&one, secs(90)), None);
        assert!(msg(&one, secs(0)).is_some());
        assert!(msg(&one, Value::TimeSpan(TimeSpan::from_ticks(15_000_000))).is_some());
        assert_eq!(
            msg(&one, secs(4_294_968)).as_deref(),
            Some("Timespan value must be between 00:00:01 and 49.17:02:47 seconds inclusive, with a granularity of 1 seconds")
        );
        // Granularity counts from zero: 20 minutes passes 1,2147483640,60.
        let session = v("timeSpanRange", Some("1,2147483640,60"));
        assert_eq!(msg(&session, secs(1200)), None);
        assert!(msg(&session, secs(61)).is_some());
        assert!(msg(&session, secs(0)).is_some());
        let ex = v("timeSpanRange", Some("60,120,60,exclude"));
        assert_eq!(
            msg(&ex, secs(60)).as_deref(),
            Some("Timespan value must not be between 00:01:00 and 00:02:00 seconds inclusive, with a granularity of 60 seconds")
        );
        assert_eq!(msg(&ex, secs(180)), None);
        assert_eq!(msg(&ex, secs(0)), None);
    }

    #[test]
    fn hand_built_zero_granularity_does_not_panic() {
        let r = Validator::TimeSpanRange {
            min_seconds: 0,
            max_seconds: 10,
            granularity_seconds: 0,
            exclude: false,
        };
        assert!(r.check(&secs(5)).is_err());
    }

    #[test]
    fn infinite_and_mismatched_types_pass() {
        let validators = [
            v("integerRange", Some("1,2")),
            v("timeSpanRange", Some("1,2,1")),
            v("nonEmptyString", None),
            v("requireTrimmedString", None),
            v("siteName", None),
            v("applicationPoolName", None),
            v("applicationPath", None),
            v("virtualDirectoryPath", None),
        ];
        for val in &validators {
            assert_eq!(val.check(&Value::Infinite), Ok(()));
            assert_eq!(val.check(&Value::Bool(true)), Ok(()));
        }
        assert_eq!(validators[0].check(&s("99")), Ok(()));
        assert_eq!(validators[1].check(&Value::Int(99)), Ok(()));
        assert_eq!(validators[2].check(&Value::Int(0)), Ok(()));
    }

    #[test]
    fn string_validators() {
        let ne = v("nonEmptyString", None);
        assert_eq!(msg(&ne, s("")).as_deref(), Some("String must not be empty"));
        assert_eq!(msg(&ne, s(" ")), None);
        let tr = v("requireTrimmedString", None);
        let text = "String must not have leading or trailing whitespace";
        assert_eq!(msg(&tr, s(" a")).as_deref(), Some(text));
        assert_eq!(msg(&tr, s("a\t")).as_deref(), Some(text));
        assert_eq!(msg(&tr, s("a b")), None);
        assert_eq!(msg(&tr, s("")), None);
    }

    #[test]
    fn site_name() {
        let sn = v("siteName", None);
        for good in ["Default Web Site", "a.b", "x\\y", "site:1"] {
            assert_eq!(msg(&sn, s(good)), None, "{good}");
        }
        for bad in ["", "  ", "a/b", "what?", " lead", "trail "] {
            assert_eq!(
                msg(&sn, s(bad)).as_deref(),
                Some("Invalid site name"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn application_pool_name() {
        let ap = v("applicationPoolName", None);
        assert_eq!(msg(&ap, s("DefaultAppPool")), None);
        assert_eq!(msg(&ap, s(".NET v4.5 Classic")), None);
        assert_eq!(
            msg(&ap, s("")).as_deref(),
            Some("Invalid application pool name")
        );
        assert_eq!(
            msg(&ap, s(" \t")).as_deref(),
            Some("Invalid application pool name")
        );
        assert_eq!(APPLICATION_POOL_NAME_INVALID_CHARS.len(), 17);
        for c in "|<>&\\\"/[]+=;:,?*@".chars() {
            let name = format!("pool{c}x");
            assert_eq!(
                msg(&ap, s(&name)).as_deref(),
                Some("Invalid application pool name"),
                "{name}"
            );
        }
    }

    #[test]
    fn paths() {
        let app = v("applicationPath", None);
        let vdir = v("virtualDirectoryPath", None);
        for good in ["/", "/app", "/a/b", "/a.b", "/.well-known", "/a..b"] {
            assert_eq!(msg(&app, s(good)), None, "{good}");
            assert_eq!(msg(&vdir, s(good)), None, "{good}");
        }
        for bad in [
            "", "app", "/app/", "//", "/./a", "/a/..", "/..", "/a/./b", "\\app",
        ] {
            assert_eq!(
                msg(&app, s(bad)).as_deref(),
                Some("Invalid application path"),
                "{bad:?}"
            );
            assert_eq!(
                msg(&vdir, s(bad)).as_deref(),
                Some("Invalid virtual directory path"),
                "{bad:?}"
            );
        }
    }
}
