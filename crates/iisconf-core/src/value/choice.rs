//! `enum` and `flags` values: matching names and numbers against the schema's
//! `<enum>`/`<flag>` entries, and writing them back in IIS form.

use super::number::parse_integer;
use super::timespan::is_dotnet_ws;
use super::{Choice, Value, ValueError};

/// The comma-separated list of choice names, as used in IIS error texts.
fn name_list(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn enum_error(choices: &[Choice]) -> ValueError {
    ValueError::new(format!("Enum must be one of {}", name_list(choices)))
}

fn flags_error(choices: &[Choice]) -> ValueError {
    ValueError::new(format!(
        "Flags must be some combination of {}",
        name_list(choices)
    ))
}

fn find_by_name<'c>(choices: &'c [Choice], name: &str) -> Option<&'c Choice> {
    choices.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// Parses an enum value: a choice name (ASCII case-insensitive) or its number.
pub(crate) fn parse_enum(choices: &[Choice], text: &str) -> Result<Value, ValueError> {
    let token = text.trim_matches(is_dotnet_ws);
    let choice = match find_by_name(choices, token) {
        Some(c) => Some(c),
        None => match parse_integer(token, i64::MIN, i64::MAX) {
            Ok(n) => choices.iter().find(|c| c.value == n),
            Err(_) => None,
        },
    };
    choice
        .map(|c| Value::Enum {
            name: c.name.clone(),
            value: c.value,
        })
        .ok_or_else(|| enum_error(choices))
}

/// The OR of every positive flag value: the bits a flags value may use.
fn known_bits(choices: &[Choice]) -> i64 {
    choices
        .iter()
        .filter(|c| c.value > 0)
        .fold(0, |acc, c| acc | c.value)
}

/// Parses a flags value: a comma list of names and/or numbers, `None` or empty.
pub(crate) fn parse_flags(choices: &[Choice], text: &str) -> Result<Value, ValueError> {
    let body = text.trim_matches(is_dotnet_ws);
    let mut value = 0i64;
    if !body.is_empty() {
        for token in body.split(',') {
            let token = token.trim_matches(is_dotnet_ws);
            let bits = if let Some(c) = find_by_name(choices, token) {
                c.value
            } else if token.eq_ignore_ascii_case("None") {
                // Accepted even where the schema has no "None" flag (the Ftp
                // schema writes such defaults).
                0
            } else {
                parse_integer(token, i64::MIN, i64::MAX).map_err(|_| flags_error(choices))?
            };
            value |= bits;
        }
    }
    if value & !known_bits(choices) != 0 {
        return Err(flags_error(choices));
    }
    Ok(Value::Flags {
        names: flag_names(choices, value),
        value,
    })
}

/// Names for a flags value, in schema order. Zero is the name of a zero-valued
/// choice (e.g. `None`) if the schema has one, else no names. A choice is listed
/// only when all its bits are set and it adds bits not already named. Bits that
/// no choice covers (only possible for a hand-built value) are appended as one
/// decimal number.
pub(crate) fn flag_names(choices: &[Choice], value: i64) -> Vec<String> {
    if value == 0 {
        return choices
            .iter()
            .find(|c| c.value == 0)
            .map(|c| vec![c.name.clone()])
            .unwrap_or_default();
    }
    let mut names = Vec::new();
    let mut covered = 0i64;
    for c in choices.iter().filter(|c| c.value > 0) {
        if value & c.value == c.value && c.value & !covered != 0 {
            names.push(c.name.clone());
            covered |= c.value;
        }
    }
    let rest = value & !covered;
    if rest != 0 {
        names.push(rest.to_string());
    }
    names
}

/// The written name of an enum value: the schema spelling of the choice whose
/// name matches (case-insensitively), else of the first choice with the value,
/// else the number.
pub(crate) fn enum_text(choices: &[Choice], name: &str, value: i64) -> String {
    choices
        .iter()
        .find(|c| c.value == value && c.name.eq_ignore_ascii_case(name))
        .or_else(|| choices.iter().find(|c| c.value == value))
        .map(|c| c.name.clone())
        .unwrap_or_else(|| value.to_string())
}
