//! Fuzz target: a hierarchy whose sections live in configSource files (and appSettings'
//! `file=`). The input is up to three parts separated by NUL bytes: applicationHost.config,
//! `source.config` and `conf/more.config`, written to a folder of this process. Every
//! finding lies inside the file it names; a `set` of a section read from a configSource
//! file is written into that file (applicationHost.config keeps its bytes) and the edited
//! files parse.
#![no_main]

#[path = "../common/places.rs"]
mod places;

use iisconf::config::ConfigFile;
use iisconf::edit::Transaction;
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{FileId, Hierarchy, Options};
use iisconf::schema::{ElementSchema, Registry};
use iisconf::xml::Document;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The files the parts of the input are written to, after applicationHost.config.
const SOURCES: [&str; 2] = ["source.config", "conf/more.config"];

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

/// This process's folder for the files of one input.
fn folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("iisconf-fuzz-config-source-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("conf"));
        dir
    })
}

/// A dotted attribute path of `section` with its default value, to set: the first
/// attribute with a default of the section element, else of one of its child elements.
fn settable(section: &ElementSchema) -> Option<(String, String)> {
    let own = |element: &ElementSchema| {
        element
            .attributes
            .iter()
            .find_map(|a| Some((a.name.clone(), a.default_value.clone()?)))
    };
    own(section).or_else(|| {
        section.elements.iter().find_map(|child| {
            own(child).map(|(name, value)| (format!("{}.{name}", child.name), value))
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let apphost = parts.next().unwrap_or_default();
    let dir = folder();
    for (name, part) in SOURCES.iter().zip(parts.chain(std::iter::repeat(&[][..]))) {
        let path = dir.join(name);
        if part.is_empty() {
            let _ = std::fs::remove_file(&path);
        } else if std::fs::write(&path, part).is_err() {
            return;
        }
    }
    let apphost_path = dir.join("applicationHost.config");
    let Ok(file) = ConfigFile::parse(&apphost_path.display().to_string(), apphost) else {
        return;
    };
    let options = Options {
        apphost: Some(apphost_path),
        root_maps: vec![(
            "C:\\inetpub".to_string(),
            PathBuf::from("/nonexistent-iisconf-fuzz"),
        )],
        ..Options::default()
    };
    let hierarchy = Hierarchy::from_apphost(registry().clone(), file, &options);
    for finding in hierarchy.check() {
        let named = hierarchy
            .files()
            .iter()
            .find(|f| *f.name == *finding.place.file);
        match named {
            Some(f) => places::assert_inside(&finding, f.doc.source()),
            None => {
                // A file that could not be read into the hierarchy (not well-formed).
                let text = std::fs::read(&*finding.place.file).unwrap_or_default();
                if let Ok(text) = std::str::from_utf8(&text) {
                    places::assert_inside(&finding, text.trim_start_matches('\u{feff}'));
                }
            }
        }
    }

    // The first section of applicationHost.config read from a configSource file that has
    // an attribute to set, with the location it is in.
    let Some(main) = hierarchy.files().first() else {
        return;
    };
    let chosen = main.sections.iter().find_map(|inst| {
        let source = hierarchy.source_file_of(FileId::APPHOST, inst.node)?;
        let location = main.locations.get(inst.location)?.path.clone();
        let (dotted, value) = settable(&registry().section(&inst.name)?.root)?;
        let source_name = hierarchy.files().get(source.index())?.name.clone();
        Some((inst.name.to_string(), location, dotted, value, source_name))
    });
    let Some((section, location, dotted, value, source_name)) = chosen else {
        return;
    };
    let mut tx = Transaction::new(hierarchy);
    if tx
        .set(&location, &section, &CommitTarget::AppHost, &dotted, &value)
        .is_err()
    {
        return;
    }
    let Ok(prepared) = tx.prepare() else {
        return;
    };
    for f in prepared.hierarchy().files() {
        let text = f.doc.to_text();
        let reparsed = Document::parse_str(&text);
        assert!(
            reparsed.is_ok(),
            "an edited file does not parse: {reparsed:?}\n{text}"
        );
    }
    let changed: Vec<PathBuf> = prepared
        .files()
        .into_iter()
        .filter(|f| f.changed)
        .map(|f| f.path)
        .collect();
    assert!(
        changed.is_empty() || changed == [PathBuf::from(&*source_name)],
        "setting {dotted} of {section} at '{location}' changed {changed:?}, not its configSource file {source_name}"
    );
});
