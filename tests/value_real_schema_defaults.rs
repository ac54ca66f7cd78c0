//! Every `defaultValue` and every `validationType`/`validationParameter` pair in
//! the real IIS 10 schema files must be understood by `iisconf::value`, except
//! the exact lists of known exceptions below.
//!
//! The schema folder is `$IISCONF_SHARED/iis-schema` if `IISCONF_SHARED` is set,
//! else `../shared/iis-schema` next to the crate. If it is missing the test
//! prints a notice and passes.

mod shared;

use std::path::PathBuf;

use iisconf::value::{parse_value, Choice, TimeSpanFormat, TypeSpec, Validator, Value, ValueKind};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Defaults that do not parse with their own type: (file, attribute, defaultValue).
/// Empty: every real default parses.
const DEFAULTS_THAT_DO_NOT_PARSE: &[(&str, &str, &str)] = &[];

/// validationType/validationParameter pairs that do not build a Validator.
/// Empty: every real pair parses.
const VALIDATORS_THAT_DO_NOT_PARSE: &[(&str, &str, &str)] = &[];

/// Defaults that parse but fail their own attribute's validator:
/// (file, attribute, defaultValue).
const DEFAULTS_THAT_FAIL_THEIR_VALIDATOR: &[(&str, &str, &str)] = &[];

fn schema_dir() -> Option<PathBuf> {
    shared::dir("iis-schema")
}

/// One `<attribute>` as the schema declares it.
#[derive(Debug, Default)]
struct Attr {
    file: String,
    line: usize,
    name: String,
    kind: String,
    default: Option<String>,
    allow_infinite: bool,
    time_span_format: Option<String>,
    validation_type: Option<String>,
    validation_parameter: Option<String>,
    choices: Vec<Choice>,
    bad_choices: Vec<String>,
}

fn attr_value(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn line_of(text: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

fn read_attrs(file: &str, text: &str) -> Vec<Attr> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    let mut open: Option<Attr> = None;
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(e) => panic!("{file}: XML error near line {}: {e}", line_of(text, pos)),
        };
        let (start, is_empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(e) if e.name().as_ref() == b"attribute" => {
                out.extend(open.take());
                continue;
            }
            _ => continue,
        };
        let Some(e) = start else { continue };
        match e.name().as_ref() {
            b"attribute" => {
                let attr = Attr {
                    file: file.to_owned(),
                    line: line_of(text, pos),
                    name: attr_value(e, "name").unwrap_or_default(),
                    kind: attr_value(e, "type").unwrap_or_default(),
                    default: attr_value(e, "defaultValue"),
                    allow_infinite: attr_value(e, "allowInfinite")
                        .is_some_and(|v| v.eq_ignore_ascii_case("true")),
                    time_span_format: attr_value(e, "timeSpanFormat"),
                    validation_type: attr_value(e, "validationType"),
                    validation_parameter: attr_value(e, "validationParameter"),
                    ..Attr::default()
                };
                if is_empty {
                    out.push(attr);
                } else {
                    open = Some(attr);
                }
            }
            b"enum" | b"flag" => {
                if let Some(attr) = open.as_mut() {
                    let name = attr_value(e, "name").unwrap_or_default();
                    let value = attr_value(e, "value").unwrap_or_default();
                    match value.trim().parse::<i64>() {
                        Ok(v) => attr.choices.push(Choice { name, value: v }),
                        Err(_) => attr.bad_choices.push(format!("{name}={value}")),
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn all_attrs() -> Option<Vec<Attr>> {
    let Some(dir) = schema_dir() else {
        println!(
            "NOTICE: IIS schema folder not found (set IISCONF_SHARED); skipping real-schema test"
        );
        return None;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no schema files in {}", dir.display());
    let mut attrs = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_start_matches('\u{feff}');
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        attrs.extend(read_attrs(&file, text));
    }
    Some(attrs)
}

fn spec_of(a: &Attr) -> TypeSpec<'_> {
    let kind = ValueKind::from_schema_name(&a.kind).unwrap_or_else(|| {
        panic!(
            "{}:{} {}: unknown type '{}'",
            a.file, a.line, a.name, a.kind
        )
    });
    let time_span_format = match &a.time_span_format {
        None => TimeSpanFormat::String,
        Some(f) => TimeSpanFormat::from_schema_name(f).unwrap_or_else(|| {
            panic!(
                "{}:{} {}: unknown timeSpanFormat '{f}'",
                a.file, a.line, a.name
            )
        }),
    };
    TypeSpec {
        kind,
        allow_infinite: a.allow_infinite,
        time_span_format,
        choices: &a.choices,
    }
}

fn key(a: &Attr, text: &str) -> (String, String, String) {
    (a.file.clone(), a.name.clone(), text.to_owned())
}

fn expected(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(f, n, t)| ((*f).to_owned(), (*n).to_owned(), (*t).to_owned()))
        .collect()
}

#[test]
fn every_real_default_parses_with_its_type() {
    let Some(attrs) = all_attrs() else { return };
    // Sanity: the scan really saw the files (IIS_schema alone has ~580 attributes).
    assert!(attrs.len() > 1000, "only {} attributes found", attrs.len());
    let with_default = attrs.iter().filter(|a| a.default.is_some()).count();
    assert!(with_default > 700, "only {with_default} defaults found");

    let mut failures = Vec::new();
    let mut kinds_seen = std::collections::HashSet::new();
    for a in &attrs {
        assert!(
            a.bad_choices.is_empty(),
            "{}:{} {}: bad enum/flag values {:?}",
            a.file,
            a.line,
            a.name,
            a.bad_choices
        );
        let spec = spec_of(a);
        kinds_seen.insert(spec.kind);
        let Some(default) = &a.default else { continue };
        match parse_value(&spec, default) {
            Ok(value) => {
                // The written form must parse back to the same value.
                let written = value.to_iis_string(&spec);
                assert_eq!(
                    parse_value(&spec, &written).as_ref(),
                    Ok(&value),
                    "{}:{} {}: '{default}' written as '{written}' does not read back",
                    a.file,
                    a.line,
                    a.name
                );
            }
            Err(e) => {
                eprintln!(
                    "{}:{} {} ({}) default '{default}': {}",
                    a.file, a.line, a.name, a.kind, e
                );
                failures.push(key(a, default));
            }
        }
    }
    assert_eq!(
        kinds_seen.len(),
        ValueKind::ALL.len(),
        "not every type occurs: {kinds_seen:?}"
    );
    pretty_assertions::assert_eq!(failures, expected(DEFAULTS_THAT_DO_NOT_PARSE));
}

#[test]
fn every_real_validator_parses() {
    let Some(attrs) = all_attrs() else { return };
    let mut failures = Vec::new();
    let mut count = 0;
    for a in &attrs {
        let Some(vt) = &a.validation_type else {
            continue;
        };
        count += 1;
        if let Err(e) = Validator::parse(vt, a.validation_parameter.as_deref()) {
            eprintln!("{}:{} {}: {e}", a.file, a.line, a.name);
            failures.push(key(
                a,
                &format!("{vt} {}", a.validation_parameter.as_deref().unwrap_or("")),
            ));
        }
    }
    assert!(count > 250, "only {count} validators found");
    pretty_assertions::assert_eq!(failures, expected(VALIDATORS_THAT_DO_NOT_PARSE));
}

#[test]
fn every_real_default_passes_its_validator() {
    let Some(attrs) = all_attrs() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for a in &attrs {
        let (Some(vt), Some(default)) = (&a.validation_type, &a.default) else {
            continue;
        };
        let Ok(validator) = Validator::parse(vt, a.validation_parameter.as_deref()) else {
            continue;
        };
        let Ok(value) = parse_value(&spec_of(a), default) else {
            continue;
        };
        checked += 1;
        if let Err(e) = validator.check(&value) {
            eprintln!(
                "{}:{} {} default '{default}' vs {vt} {:?}: {e}",
                a.file, a.line, a.name, a.validation_parameter
            );
            failures.push(key(a, default));
        }
        if matches!(value, Value::Infinite) {
            assert_eq!(validator.check(&value), Ok(()));
        }
    }
    assert!(checked > 150, "only {checked} defaults checked");
    pretty_assertions::assert_eq!(failures, expected(DEFAULTS_THAT_FAIL_THEIR_VALIDATOR));
}
