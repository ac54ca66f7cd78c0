//! A copy of fixtures/edit (CRLF, four-space indentation, like IIS writes) in a temporary
//! folder, and the real `iisconf` binary run on it: shared by the edit tests.
#![allow(dead_code)]

#[path = "../fixture_dir/mod.rs"]
mod fixture_dir;
#[path = "../run_binary/mod.rs"]
mod run_binary;

pub use run_binary::Run;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A temporary copy of fixtures/edit.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::of("edit")
    }

    /// A temporary copy of `fixtures/FOLDER`.
    pub fn of(folder: &str) -> Fixture {
        Fixture {
            dir: fixture_dir::temp_copy(folder),
        }
    }

    /// The fixture with `edit` applied to its applicationHost.config text.
    pub fn edited(edit: impl Fn(String) -> String) -> Fixture {
        let fx = Fixture::new();
        let path = fx.path("applicationHost.config");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(text)).unwrap();
        fx
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        String::from_utf8(std::fs::read(self.path(rel)).unwrap()).unwrap()
    }

    /// The backup copies a commit left next to applicationHost.config.
    pub fn backups(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".iisconf-backup-"))
            .map(|e| e.path())
            .collect()
    }

    /// Every file under the fixture with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.insert(e.path(), std::fs::read(e.path()).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.dir.path(), &mut out);
        out
    }

    /// Runs the binary in the fixture's folder; a panic (exit 101) fails the test.
    pub fn raw(&self, args: &[&str]) -> Run {
        run_binary::run_checked(self.dir.path(), args)
    }

    /// Runs `iisconf VERB ARGS… --apphost … --root-map … --schema-dir …`.
    pub fn run(&self, verb: &str, args: &[&str]) -> Run {
        let mut all = vec![verb];
        all.extend_from_slice(args);
        all.extend_from_slice(&[
            "--apphost",
            "applicationHost.config",
            "--root-map",
            "C:\\inetpub=inetpub",
            "--schema-dir",
            "schema",
        ]);
        self.raw(&all)
    }

    /// Runs `iisconf appcmd ARGS… /apphostconfig:… --root-map … --schema-dir …`.
    pub fn appcmd(&self, args: &[&str]) -> Run {
        let mut all = vec!["appcmd"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[
            "/apphostconfig:applicationHost.config",
            "--root-map",
            "C:\\inetpub=inetpub",
            "--schema-dir",
            "schema",
        ]);
        self.raw(&all)
    }
}
