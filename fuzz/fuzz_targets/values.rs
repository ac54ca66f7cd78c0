//! Fuzz target: IIS values. Text that parses as a kind prints in IIS's form and that form
//! parses back to the same value.
#![no_main]

use iisconf::value::{parse_cli_value, parse_value, Choice, TypeSpec, ValueKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let choices = [
        Choice::new("None", 0),
        Choice::new("Read", 1),
        Choice::new("Write", 2),
        Choice::new("Script", 512),
    ];
    let kinds = ValueKind::ALL;
    let kind = kinds[usize::from(selector) % kinds.len()];
    let spec = TypeSpec {
        choices: &choices,
        allow_infinite: selector & 0x80 != 0,
        ..TypeSpec::of(kind)
    };
    for value in [parse_value(&spec, text), parse_cli_value(&spec, text)]
        .into_iter()
        .flatten()
    {
        let written = value.to_iis_string(&spec);
        let again = parse_value(&spec, &written);
        assert_eq!(
            again.as_ref(),
            Ok(&value),
            "{kind:?}: {text:?} → {written:?}"
        );
    }
});
