//! Plain-language facts about attributes: type, allowed values and range, keys.

use iisconf_core::schema::AttributeSchema;
use iisconf_core::value::{TimeSpan, TimeSpanFormat, Validator, ValueKind};

/// The type as shown in an attributes table (`timeSpan (seconds)` for non-string formats).
pub fn type_label(a: &AttributeSchema) -> String {
    let mut t = a.kind.schema_name().to_string();
    if a.kind == ValueKind::TimeSpan && a.time_span_format != TimeSpanFormat::String {
        t.push_str(&format!(" ({})", a.time_span_format.schema_name()));
    }
    t
}

fn seconds(n: i64) -> String {
    TimeSpan::from_seconds(n)
        .map(|t| t.to_string())
        .unwrap_or_else(|| format!("{n} s"))
}

/// What values are accepted, in words (names and numbers in backticks for Markdown/HTML code).
pub fn allowed_values(a: &AttributeSchema) -> String {
    let mut text = match (&a.validator, a.kind) {
        (_, ValueKind::Enum) => {
            let names: Vec<String> = a
                .choices
                .iter()
                .map(|c| format!("`{}` ({})", c.name, c.value))
                .collect();
            format!("One of {}", names.join(", "))
        }
        (_, ValueKind::Flags) => {
            let names: Vec<String> = a
                .choices
                .iter()
                .map(|c| format!("`{}` ({})", c.name, c.value))
                .collect();
            format!(
                "Any combination of {}, written comma-separated",
                names.join(", ")
            )
        }
        (Some(Validator::IntegerRange { min, max, exclude }), _) => {
            if *exclude {
                format!("Any {} except {min} to {max}", a.kind.schema_name())
            } else {
                format!("{min} to {max}")
            }
        }
        (
            Some(Validator::TimeSpanRange {
                min_seconds,
                max_seconds,
                granularity_seconds,
                exclude,
            }),
            _,
        ) => {
            let range = format!(
                "`{}` to `{}` ({min_seconds} to {max_seconds} seconds)",
                seconds(*min_seconds),
                seconds(*max_seconds)
            );
            let step = if *granularity_seconds > 1 {
                format!(", in steps of {granularity_seconds} seconds")
            } else {
                String::new()
            };
            if *exclude {
                format!("Any time span outside {range}{step}")
            } else {
                format!("{range}{step}")
            }
        }
        (Some(Validator::NonEmptyString), _) => "A non-empty string".to_string(),
        (Some(Validator::RequireTrimmedString), _) => {
            "A string without leading or trailing white space".to_string()
        }
        (Some(Validator::SiteName), _) => {
            "A site name: not blank, no surrounding white space, no `/` or `?`".to_string()
        }
        (Some(Validator::ApplicationPoolName), _) => {
            "A pool name: not blank, none of the characters `|<>&\\\"/[]+=;:,?*@`".to_string()
        }
        (Some(Validator::ApplicationPath), _) | (Some(Validator::VirtualDirectoryPath), _) => {
            "A virtual path that starts with `/`".to_string()
        }
        (Some(Validator::OneOf(words)), _) => {
            let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            format!("One of {}, in any letter case", words.join(", "))
        }
        (None, ValueKind::Bool) => "`true` or `false`".to_string(),
        (None, ValueKind::UInt) => "0 to 4294967295".to_string(),
        (None, ValueKind::Int) => "-2147483648 to 2147483647".to_string(),
        (None, ValueKind::Int64) => "-9223372036854775808 to 9223372036854775807".to_string(),
        (None, ValueKind::TimeSpan) => match a.time_span_format {
            TimeSpanFormat::String => "A time span `[-][d.]hh:mm:ss[.fffffff]`".to_string(),
            f => format!("A whole number of {}", f.schema_name()),
        },
        (None, ValueKind::String) => "Any string".to_string(),
    };
    if a.allow_infinite {
        text.push_str(", or `Infinite`");
    }
    text
}

/// `Required` or `Optional`, with the key role.
pub fn required_label(a: &AttributeSchema) -> String {
    let mut t = if a.required { "Required" } else { "Optional" }.to_string();
    if a.is_unique_key {
        t.push_str(", unique key");
    } else if a.is_combined_key {
        t.push_str(", part of the combined key");
    }
    t
}

/// Extra notes: expanded, encrypted, case-sensitive.
pub fn notes(a: &AttributeSchema) -> Vec<&'static str> {
    let mut n = Vec::new();
    if a.expanded {
        n.push("Environment variables such as %SystemDrive% are expanded when the value is read.");
    }
    if a.encrypted {
        n.push("Stored encrypted (a configuration provider encrypts it when written).");
    }
    if a.case_sensitive {
        n.push("Compared case-sensitively.");
    }
    n
}
