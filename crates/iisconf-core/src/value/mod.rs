//! Attribute values: parsing and writing the eight IIS schema types
//! (`bool`, `uint`, `int`, `int64`, `string`, `timeSpan`, `enum`, `flags`) with
//! IIS rules, and the schema validators ([`Validator`]).
//!
//! This module depends on no other project module; a [`TypeSpec`] carries what
//! the schema says about one attribute.
//!
//! Rules common to every type except `string`:
//! * Surrounding white space (space, tab, CR, LF, VT, FF) is ignored, as the
//!   .NET parsers (`Boolean.Parse`, `Int32.Parse`, `TimeSpan.Parse`) ignore it.
//! * A bad value is always an error: nothing is silently coerced to `0`/`false`
//!   and nothing is clamped into range.
//! * For `uint`, `int`, `int64` and `timeSpan`, `Infinite` (any case) is
//!   accepted only where the schema says `allowInfinite="true"`, giving
//!   [`Value::Infinite`], written back as `Infinite`. Other types treat the
//!   text normally (an enum may have a choice named `Infinite`).

mod choice;
mod number;
pub mod timespan;
pub mod validator;

pub use timespan::TimeSpan;
pub use validator::Validator;

use number::{parse_integer, IntFailure};
use timespan::is_dotnet_ws;

/// The type of an attribute, from the schema's `type="…"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    /// `bool`: `true` / `false`.
    Bool,
    /// `uint`: unsigned 32-bit.
    UInt,
    /// `int`: signed 32-bit.
    Int,
    /// `int64`: signed 64-bit.
    Int64,
    /// `string`: verbatim text.
    String,
    /// `timeSpan`: a [`TimeSpan`].
    TimeSpan,
    /// `enum`: one of the attribute's `<enum>` choices.
    Enum,
    /// `flags`: a combination of the attribute's `<flag>` choices.
    Flags,
}

impl ValueKind {
    /// All kinds, in declaration order.
    pub const ALL: [ValueKind; 8] = [
        ValueKind::Bool,
        ValueKind::UInt,
        ValueKind::Int,
        ValueKind::Int64,
        ValueKind::String,
        ValueKind::TimeSpan,
        ValueKind::Enum,
        ValueKind::Flags,
    ];

    /// Reads a schema type name, ASCII case-insensitively (`string` and
    /// `String` both occur). `None` for an unknown name.
    pub fn from_schema_name(s: &str) -> Option<ValueKind> {
        ValueKind::ALL
            .into_iter()
            .find(|k| k.schema_name().eq_ignore_ascii_case(s))
    }

    /// The canonical schema spelling: `bool`, `uint`, `int`, `int64`, `string`,
    /// `timeSpan`, `enum`, `flags`.
    pub fn schema_name(self) -> &'static str {
        match self {
            ValueKind::Bool => "bool",
            ValueKind::UInt => "uint",
            ValueKind::Int => "int",
            ValueKind::Int64 => "int64",
            ValueKind::String => "string",
            ValueKind::TimeSpan => "timeSpan",
            ValueKind::Enum => "enum",
            ValueKind::Flags => "flags",
        }
    }
}

/// How a `timeSpan` attribute is written (`timeSpanFormat="…"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TimeSpanFormat {
    /// `string` (the default): `[-][d.]hh:mm:ss[.fffffff]`.
    #[default]
    String,
    /// `seconds`: a whole number of seconds.
    Seconds,
    /// `minutes`: a whole number of minutes.
    Minutes,
}

impl TimeSpanFormat {
    /// Reads `string`, `seconds` or `minutes` (ASCII case-insensitive).
    pub fn from_schema_name(s: &str) -> Option<Self> {
        [
            TimeSpanFormat::String,
            TimeSpanFormat::Seconds,
            TimeSpanFormat::Minutes,
        ]
        .into_iter()
        .find(|f| f.schema_name().eq_ignore_ascii_case(s))
    }

    /// The schema spelling: `string`, `seconds` or `minutes`.
    pub fn schema_name(self) -> &'static str {
        match self {
            TimeSpanFormat::String => "string",
            TimeSpanFormat::Seconds => "seconds",
            TimeSpanFormat::Minutes => "minutes",
        }
    }
}

/// One `<enum>` or `<flag>` entry of an attribute.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    /// The friendly name, in the schema's spelling.
    pub name: String,
    /// The numeric value.
    pub value: i64,
}

impl Choice {
    /// Convenience constructor.
    pub fn new(name: impl Into<String>, value: i64) -> Choice {
        Choice {
            name: name.into(),
            value,
        }
    }
}

/// Everything needed to parse and write one attribute's value.
#[derive(Clone, Copy, Debug)]
pub struct TypeSpec<'a> {
    /// The attribute's type.
    pub kind: ValueKind,
    /// `allowInfinite="true"`: the text `Infinite` is accepted.
    pub allow_infinite: bool,
    /// `timeSpanFormat`; only meaningful for [`ValueKind::TimeSpan`].
    pub time_span_format: TimeSpanFormat,
    /// The `<enum>`/`<flag>` entries in schema order; empty for other kinds.
    pub choices: &'a [Choice],
}

impl<'a> TypeSpec<'a> {
    /// A spec of this kind with no `Infinite`, the `string` time span format and no choices.
    pub fn of(kind: ValueKind) -> TypeSpec<'static> {
        TypeSpec {
            kind,
            allow_infinite: false,
            time_span_format: TimeSpanFormat::String,
            choices: &[],
        }
    }
}

/// A parsed attribute value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A `bool`.
    Bool(bool),
    /// A `uint`.
    UInt(u32),
    /// An `int`.
    Int(i32),
    /// An `int64`.
    Int64(i64),
    /// A `string`, verbatim.
    String(String),
    /// A `timeSpan`.
    TimeSpan(TimeSpan),
    /// An `enum`: the choice's schema name and its value.
    Enum {
        /// The schema spelling of the choice name.
        name: String,
        /// The numeric value.
        value: i64,
    },
    /// A `flags` value: the names that make it up (schema order) and the OR of their values.
    Flags {
        /// Flag names in schema order (see [`Value::to_iis_string`]).
        names: Vec<String>,
        /// The combined value.
        value: i64,
    },
    /// `Infinite`, for an attribute with `allowInfinite="true"`.
    Infinite,
}

/// A value that does not parse or does not validate. The message uses IIS-style
/// wording; the caller attaches the file position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    /// The human-readable reason.
    pub message: String,
}

impl ValueError {
    /// Wraps a message.
    pub fn new(message: impl Into<String>) -> ValueError {
        ValueError {
            message: message.into(),
        }
    }
}

fn is_infinite(text: &str) -> bool {
    text.trim_matches(is_dotnet_ws)
        .eq_ignore_ascii_case("Infinite")
}

fn infinite_hint(spec: &TypeSpec) -> &'static str {
    if spec.allow_infinite {
        " or 'Infinite'"
    } else {
        ""
    }
}

fn parse_int_kind(
    spec: &TypeSpec,
    text: &str,
    name: &str,
    min: i64,
    max: i64,
) -> Result<i64, ValueError> {
    parse_integer(text, min, max).map_err(|failure| {
        let hint = infinite_hint(spec);
        match failure {
            IntFailure::Syntax => ValueError::new(format!(
                "Invalid {name} value '{text}': expected a whole number from {min} to {max}{hint}"
            )),
            IntFailure::OutOfRange => ValueError::new(format!(
                "Value '{text}' is out of range for {name}: it must be between {min} and {max}{hint}"
            )),
        }
    })
}

fn parse_timespan(spec: &TypeSpec, text: &str) -> Result<TimeSpan, ValueError> {
    let (unit, ticks_per_unit) = match spec.time_span_format {
        TimeSpanFormat::String => return TimeSpan::parse(text),
        TimeSpanFormat::Seconds => ("seconds", timespan::TICKS_PER_SECOND),
        TimeSpanFormat::Minutes => ("minutes", timespan::TICKS_PER_MINUTE),
    };
    let hint = infinite_hint(spec);
    let max = i64::MAX / ticks_per_unit;
    let min = i64::MIN / ticks_per_unit;
    match parse_integer(text, min, max) {
        Ok(n) => Ok(TimeSpan::from_ticks(n.saturating_mul(ticks_per_unit))),
        Err(IntFailure::Syntax) => Err(ValueError::new(format!(
            "Invalid timeSpan value '{text}': expected a whole number of {unit}{hint}"
        ))),
        Err(IntFailure::OutOfRange) => Err(ValueError::new(format!(
            "TimeSpan value '{text}' is out of range: it must be between {min} and {max} {unit}"
        ))),
    }
}

/// Parses the written (XML attribute) form of a value of type `spec`.
///
/// See the module documentation for the rules shared by all types; per type:
/// * `bool`: `true`/`false`, any case.
/// * `uint`/`int`/`int64`: `[+|-]digits`, decimal only, range-checked; an
///   out-of-range value is an error, never clamped. A `-` on a `uint` is out of
///   range, except `-0`, which .NET `UInt32.Parse` also accepts.
/// * `string`: verbatim, never fails.
/// * `timeSpan`: [`TimeSpan::parse`] for the `string` format; a bare
///   `[+|-]digits` for `seconds`/`minutes`.
/// * `enum`: a choice name, matched ASCII case-insensitively (IIS behaviour
///   here is unverified; we accept and write the schema spelling back), or a
///   choice's number, as Microsoft.Web.Administration accepts.
/// * `flags`: empty, or a comma list (with or without spaces) of flag names
///   (case-insensitive), `None`, and numbers; the value is their OR and every
///   bit must belong to a flag.
pub fn parse_value(spec: &TypeSpec, text: &str) -> Result<Value, ValueError> {
    let numeric = matches!(
        spec.kind,
        ValueKind::UInt | ValueKind::Int | ValueKind::Int64 | ValueKind::TimeSpan
    );
    if numeric && is_infinite(text) {
        return if spec.allow_infinite {
            Ok(Value::Infinite)
        } else {
            Err(ValueError::new(format!(
                "Invalid {} value '{text}': 'Infinite' is only allowed where the schema sets allowInfinite",
                spec.kind.schema_name()
            )))
        };
    }
    match spec.kind {
        ValueKind::Bool => {
            let t = text.trim_matches(is_dotnet_ws);
            if t.eq_ignore_ascii_case("true") {
                Ok(Value::Bool(true))
            } else if t.eq_ignore_ascii_case("false") {
                Ok(Value::Bool(false))
            } else {
                Err(ValueError::new(format!(
                    "Invalid value '{text}': a bool must be 'true' or 'false'"
                )))
            }
        }
        ValueKind::UInt => {
            let n = parse_int_kind(spec, text, "uint", 0, i64::from(u32::MAX))?;
            u32::try_from(n)
                .map(Value::UInt)
                .map_err(|_| ValueError::new(format!("Value '{text}' is out of range for uint")))
        }
        ValueKind::Int => {
            let n = parse_int_kind(spec, text, "int", i64::from(i32::MIN), i64::from(i32::MAX))?;
            i32::try_from(n)
                .map(Value::Int)
                .map_err(|_| ValueError::new(format!("Value '{text}' is out of range for int")))
        }
        ValueKind::Int64 => {
            parse_int_kind(spec, text, "int64", i64::MIN, i64::MAX).map(Value::Int64)
        }
        ValueKind::String => Ok(Value::String(text.to_owned())),
        ValueKind::TimeSpan => parse_timespan(spec, text).map(Value::TimeSpan),
        ValueKind::Enum => choice::parse_enum(spec.choices, text),
        ValueKind::Flags => choice::parse_flags(spec.choices, text),
    }
}

/// Whether `text` is short enough for humantime to read without overflowing: humantime
/// panics when the sum of its parts passes `u64::MAX` seconds. At most 64 bytes with no
/// number over 9 digits stays far below that (32 parts of 10^9 years), and covers any
/// duration an IIS value can hold.
fn is_human_duration_sized(text: &str) -> bool {
    text.len() <= 64
        && text
            .split(|c: char| !c.is_ascii_digit())
            .all(|digits| digits.len() <= 9)
}

/// Parses a value given on a command line. Like [`parse_value`], but a
/// `timeSpan` also accepts
/// * the `[-][d.]hh:mm[:ss[.fffffff]]` form when the attribute's format is
///   `seconds`/`minutes`, and
/// * human durations such as `10m`, `1h30m`, `90s` (humantime syntax).
///
/// The IIS form always wins: a bare number keeps its IIS meaning (days for the
/// `string` format, seconds/minutes otherwise). A duration that is not a whole
/// number of the attribute's unit (e.g. `90s` for a `minutes` attribute) is an
/// error rather than being rounded. Write the result with [`Value::to_iis_string`].
pub fn parse_cli_value(spec: &TypeSpec, text: &str) -> Result<Value, ValueError> {
    let first_error = match parse_value(spec, text) {
        Ok(v) => return Ok(v),
        Err(e) if spec.kind == ValueKind::TimeSpan => e,
        Err(e) => return Err(e),
    };
    let parsed = if spec.time_span_format == TimeSpanFormat::String {
        None
    } else {
        TimeSpan::parse(text).ok()
    };
    let parsed = match parsed {
        Some(t) => Some(t),
        None => Some(text.trim_matches(is_dotnet_ws))
            .filter(|t| is_human_duration_sized(t))
            .and_then(|t| humantime::parse_duration(t).ok())
            .and_then(TimeSpan::from_std),
    };
    let Some(span) = parsed else {
        return Err(ValueError::new(format!(
            "{}, or a duration such as 10m or 1h30m",
            first_error.message
        )));
    };
    let (unit, ticks_per_unit) = match spec.time_span_format {
        TimeSpanFormat::String => return Ok(Value::TimeSpan(span)),
        TimeSpanFormat::Seconds => ("seconds", timespan::TICKS_PER_SECOND),
        TimeSpanFormat::Minutes => ("minutes", timespan::TICKS_PER_MINUTE),
    };
    if span.ticks() % ticks_per_unit != 0 {
        return Err(ValueError::new(format!(
            "Invalid timeSpan value '{text}': this attribute is stored as a whole number of {unit}"
        )));
    }
    Ok(Value::TimeSpan(span))
}

impl Value {
    /// The written IIS form of this value for an attribute of type `spec`:
    /// `true`/`false`, decimal numbers, strings verbatim, `Infinite`, time spans
    /// in the .NET `"c"` form or as a whole number of seconds/minutes (truncated
    /// toward zero) per `spec.time_span_format`, enum names in the schema's
    /// spelling, flags as names in schema order joined by `", "` (zero is the
    /// zero-valued flag's name, e.g. `None`, or the empty string).
    pub fn to_iis_string(&self, spec: &TypeSpec) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::UInt(n) => n.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Int64(n) => n.to_string(),
            Value::String(s) => s.clone(),
            Value::TimeSpan(t) => match spec.time_span_format {
                TimeSpanFormat::String => t.to_string(),
                TimeSpanFormat::Seconds => t.total_seconds().to_string(),
                TimeSpanFormat::Minutes => t.total_minutes().to_string(),
            },
            Value::Enum { name, value } => choice::enum_text(spec.choices, name, *value),
            Value::Flags { value, .. } => choice::flag_names(spec.choices, *value).join(", "),
            Value::Infinite => "Infinite".to_owned(),
        }
    }

    /// The comparison key used by [`same_value`]: enums and flags compare by number.
    fn semantic_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Enum { value: a, .. }, Value::Enum { value: b, .. })
            | (Value::Flags { value: a, .. }, Value::Flags { value: b, .. }) => a == b,
            (a, b) => a == b,
        }
    }
}

/// Whether two written values of type `spec` mean the same thing, e.g. `True`
/// and `true`, `00:20:00` and `0.00:20:00`, flags in any order or spelled as
/// numbers. If either text does not parse, the texts must be identical.
pub fn same_value(spec: &TypeSpec, a: &str, b: &str) -> bool {
    if spec.kind == ValueKind::String || a == b {
        // A string means what it says; identical texts parse alike.
        return a == b;
    }
    match (parse_value(spec, a), parse_value(spec, b)) {
        (Ok(x), Ok(y)) => x.semantic_eq(&y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
