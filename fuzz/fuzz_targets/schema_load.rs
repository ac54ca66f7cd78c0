//! Fuzz target: a schema file (the input) overlaid on the embedded schema loads or is
//! refused with an error. It checks for panics only: what a loaded file means is not
//! checked.
#![no_main]

use iisconf::schema::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Registry::with_files(&[("fuzz_schema.xml".to_string(), data.to_vec())]);
});
