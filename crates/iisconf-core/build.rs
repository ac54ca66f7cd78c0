//! Compiles the embedded schema: runs the schema loader on every fact file of
//! `EMBEDDED_SCHEMA` (`schema/iis`, `schema/addons`) and writes what it read to
//! `$OUT_DIR/facts.postcard` (see `src/schema/archive.rs`), which the library embeds and
//! decodes instead of parsing the XML at every start.
//!
//! A build script cannot use its own crate, so the loader's source files are compiled in
//! here, laid out as in the crate so that their `crate::value` and `super::model` paths
//! resolve. Much of them is unused here, hence the `dead_code` allowances.

#[allow(dead_code)]
#[path = "src/value/mod.rs"]
mod value;

mod schema {
    // Paths in an inline module of a crate root are relative to `schema/` beside it.
    #[allow(dead_code)]
    #[path = "../src/schema/archive.rs"]
    pub mod archive;
    #[allow(dead_code)]
    #[path = "../src/schema/error.rs"]
    pub mod error;
    #[allow(dead_code)]
    #[path = "../src/schema/fact_files.rs"]
    pub mod fact_files;
    #[allow(dead_code)]
    #[path = "../src/schema/load.rs"]
    pub mod load;
    #[allow(dead_code)]
    #[path = "../src/schema/model.rs"]
    pub mod model;
}

use schema::fact_files::{embedded_file_name, EMBEDDED_SCHEMA};
use std::path::PathBuf;

fn main() {
    for watched in [
        "schema/iis",
        "schema/addons",
        "src/value",
        "src/schema/archive.rs",
        "src/schema/error.rs",
        "src/schema/fact_files.rs",
        "src/schema/load.rs",
        "src/schema/model.rs",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let mut files = Vec::new();
    for (name, text) in EMBEDDED_SCHEMA {
        match schema::load::load_file(&embedded_file_name(name), text.as_bytes()) {
            Ok(loaded) => files.push((*name, loaded)),
            Err(e) => panic!("embedded schema file {name}: {e}"),
        }
    }
    let archive = schema::archive::encode(&files)
        .unwrap_or_else(|e| panic!("cannot encode the embedded schema: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out.join("facts.postcard");
    if let Err(e) = std::fs::write(&path, archive) {
        panic!("cannot write {}: {e}", path.display());
    }
}
