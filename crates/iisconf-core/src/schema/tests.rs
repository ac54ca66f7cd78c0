use super::*;
use crate::value::ValueKind;

#[test]
fn embedded_schema_loads_without_warnings() {
    let registry = Registry::embedded();
    assert!(registry.warnings().is_empty(), "{:#?}", registry.warnings());
    assert!(registry.section("system.webServer/asp").is_some());
    assert!(registry.section("system.applicationHost/sites").is_some());
    assert_eq!(registry.files().len(), EMBEDDED_SCHEMA.len());
}

#[test]
fn asp_session_is_exactly_as_iis_defines_it() {
    let registry = Registry::embedded();
    let (_, session, _) = registry.resolve("system.webServer/asp/session").unwrap();
    let describe: Vec<(String, ValueKind, Option<String>)> = session
        .attributes
        .iter()
        .map(|a| (a.name.clone(), a.kind, a.default_value.clone()))
        .collect();
    assert_eq!(
        describe,
        vec![
            (
                "allowSessionState".into(),
                ValueKind::Bool,
                Some("true".into())
            ),
            (
                "keepSessionIdSecure".into(),
                ValueKind::Bool,
                Some("true".into())
            ),
            ("max".into(), ValueKind::UInt, Some("4294967295".into())),
            (
                "timeout".into(),
                ValueKind::TimeSpan,
                Some("00:20:00".into())
            ),
        ]
    );
    let timeout = session.attribute("timeout").unwrap();
    assert_eq!(timeout.validation_type.as_deref(), Some("timeSpanRange"));
    assert_eq!(
        timeout.validation_parameter.as_deref(),
        Some("0,31536000,60")
    );
    assert!(timeout.validator.is_some());
}

#[test]
fn ftp_sessions_are_runtime_data_with_terminate() {
    let registry = Registry::embedded();
    let (_, sessions, _) = registry
        .resolve("system.applicationHost/sites/site/ftpServer/sessions")
        .unwrap();
    assert!(sessions.extension.is_some());
    let collection = sessions.collection().unwrap();
    assert_eq!(collection.add_elements, vec!["session".to_string()]);
    let names: Vec<&str> = collection
        .entry
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names.len(), 10);
    assert_eq!(
        collection.entry.attribute("bytesSent").unwrap().kind,
        ValueKind::Int64
    );
    assert_eq!(
        collection.entry.attribute("lastErrorStatus").unwrap().kind,
        ValueKind::UInt
    );
    assert!(collection
        .entry
        .methods
        .iter()
        .any(|m| m.name == "Terminate"));
}

/// asp, sites and applicationPools describe every path (`schema/descriptions.xml`, except the
/// run-time members of `rscaext.xml`, described by module `core`); every other section
/// describes its elements and collection entries.
#[test]
fn every_embedded_path_has_a_description() {
    let registry = Registry::embedded();
    let mut missing = Vec::new();
    for section in registry.sections() {
        let whole = [
            "system.webServer/asp",
            "system.applicationHost/sites",
            "system.applicationHost/applicationPools",
        ]
        .contains(&section.name.as_str());
        walk(&registry, &section.name, &section.root, whole, &mut missing);
    }
    assert!(missing.is_empty(), "no description for {missing:#?}");

    fn walk(
        registry: &Registry,
        path: &str,
        e: &ElementSchema,
        whole: bool,
        missing: &mut Vec<String>,
    ) {
        if registry.description(path).is_none() {
            missing.push(path.to_string());
        }
        if !whole {
            for child in &e.elements {
                walk(
                    registry,
                    &format!("{path}/{}", child.name),
                    child,
                    whole,
                    missing,
                );
            }
            for c in &e.collections {
                let p = format!("{path}/{}", c.entry.name);
                walk(registry, &p, &c.entry, whole, missing);
            }
            return;
        }
        let runtime = |o: &Origin| o.file.ends_with("core.runtime.xml");
        for a in e.attributes.iter().filter(|a| !runtime(&a.origin)) {
            let p = format!("{path}@{}", a.name);
            if registry.description(&p).is_none() {
                missing.push(p);
            }
        }
        for m in e.methods.iter().filter(|m| !runtime(&m.origin)) {
            let p = format!("{path}#{}", m.name);
            if registry.description(&p).is_none() {
                missing.push(p);
            }
        }
        for child in &e.elements {
            walk(
                registry,
                &format!("{path}/{}", child.name),
                child,
                whole,
                missing,
            );
        }
        for c in &e.collections {
            let p = format!("{path}/{}", c.entry.name);
            walk(registry, &p, &c.entry, whole, missing);
        }
    }
}

#[test]
fn fragments_merge_and_quirks_warn() {
    let base = br#"<configSchema>
  <sectionSchema name="x/s">
    <attribute name="a" type="bool" defaultvalue="true" />
    <element name="e"><collection addElement="add"><attribute name="k" type="string" isUniqueKey="true"/></collection></element>
  </sectionSchema>
</configSchema>"#;
    let extra = br#"<configSchema>
  <sectionSchema name="x/s">
    <attribute name="b" type="uint" defaultValue="-1" validationType="noSuchCheck" />
    <element name="e"><collection addElement="add" mergeElement="false"><attribute name="v" type="int"/></collection></element>
  </sectionSchema>
</configSchema>"#;
    let registry = Registry::with_files(&[
        ("base.xml".to_string(), base.to_vec()),
        ("extra.xml".to_string(), extra.to_vec()),
    ])
    .unwrap();
    let section = registry.section("x/s").unwrap();
    assert_eq!(section.sources, vec!["base.xml", "extra.xml"]);
    assert_eq!(
        section
            .root
            .attribute("a")
            .unwrap()
            .default_value
            .as_deref(),
        Some("true")
    );
    let entry = &section
        .root
        .element("e")
        .unwrap()
        .collection()
        .unwrap()
        .entry;
    assert_eq!(entry.attributes.len(), 2, "collection fragments merged");
    let messages: Vec<String> = registry.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("base.xml:3:") && m.contains("defaultvalue")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("extra.xml:3:") && m.contains("noSuchCheck")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("extra.xml:3:") && m.contains("\"-1\"")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("extra.xml:4:") && m.contains("mergeElement")),
        "{messages:#?}"
    );
}

#[test]
fn a_schema_dir_section_replaces_the_embedded_one() {
    let replacement = br#"<configSchema><sectionSchema name="system.webServer/asp"><attribute name="only" type="bool"/></sectionSchema></configSchema>"#;
    let registry = Registry::with_files(&[("asp.xml".to_string(), replacement.to_vec())]).unwrap();
    let asp = registry.section("system.webServer/asp").unwrap();
    assert_eq!(asp.sources, vec!["asp.xml"]);
    assert_eq!(asp.root.attributes.len(), 1);
    assert!(registry.warnings().is_empty(), "{:#?}", registry.warnings());
}

#[test]
fn broken_schema_files_are_errors_with_positions() {
    let err = Registry::with_files(&[("bad.xml".to_string(), b"<configSchema>\n<x>".to_vec())])
        .unwrap_err();
    assert!(err.to_string().starts_with("bad.xml:2:1:"), "{err}");
    let err = Registry::with_files(&[("web.config".to_string(), b"<configuration/>".to_vec())])
        .unwrap_err();
    assert!(err.to_string().contains("expected <configSchema>"), "{err}");
}

#[test]
fn an_extension_fragment_merges_with_the_embedded_section() {
    let runtime = br#"<configSchema><sectionSchema name="system.applicationHost/sites">
  <collection addElement="site">
    <attribute name="state" type="uint" extension="X.Runtime" />
    <attribute name="probe" type="uint" extension="X.Runtime" />
    <element name="probes"><attribute name="count" type="uint" /></element>
  </collection>
</sectionSchema></configSchema>"#;
    let registry = Registry::with_files(&[("rscaext.xml".to_string(), runtime.to_vec())]).unwrap();
    let sites = registry.section("system.applicationHost/sites").unwrap();
    let site = &sites.root.collection().unwrap().entry;
    assert!(
        site.attribute("name").is_some(),
        "the base definition stays"
    );
    assert!(site.attribute("probe").is_some() && site.element("probes").is_some());
    assert!(
        site.element("ftpServer").is_some(),
        "the FTP fragment stays"
    );
    assert!(
        !sites
            .sources
            .iter()
            .any(|s| s.ends_with("core.runtime.xml")),
        "the embedded run-time fragment it redefines is replaced: {:?}",
        sites.sources
    );
    assert!(registry.warnings().is_empty(), "{:#?}", registry.warnings());
}

#[test]
fn a_base_definition_replaces_every_embedded_fragment() {
    let base = br#"<configSchema><sectionSchema name="system.applicationHost/sites">
  <collection addElement="site"><attribute name="name" type="string" isUniqueKey="true" /></collection>
</sectionSchema></configSchema>"#;
    let registry = Registry::with_files(&[("IIS_schema.xml".to_string(), base.to_vec())]).unwrap();
    let sites = registry.section("system.applicationHost/sites").unwrap();
    assert_eq!(sites.sources, vec!["IIS_schema.xml"]);
    assert!(sites
        .root
        .collection()
        .unwrap()
        .entry
        .element("ftpServer")
        .is_none());
}

#[test]
fn modules_choose_the_embedded_addons() {
    let registry = Registry::embedded_with_modules(&["REWRITE".to_string()]).unwrap();
    assert_eq!(registry.addon_modules(), ["rewrite".to_string()]);
    assert!(registry.section("system.webServer/rewrite/rules").is_some());
    assert!(registry.section("system.webServer/aspNetCore").is_none());
    assert!(registry.section("system.webServer/asp").is_some());
    assert!(registry.stock_declarations().contains("name=\"rewrite\""));
    assert!(
        registry
            .stock_declarations()
            .contains("name=\"aspNetCore\""),
        "every add-on module is declared, installed or not"
    );
    let err = Registry::embedded_with_modules(&["nosuch".to_string()]).unwrap_err();
    assert!(
        err.to_string().starts_with("unknown module `nosuch`"),
        "{err}"
    );
    let all = Registry::embedded();
    assert_eq!(all.sections().count(), 141);
    assert_eq!(all.addon_modules().len(), ADDON_MODULES.len());
}

/// The embedded files of the in-box modules and `addons` read by the XML loader, as every
/// start read them before build.rs compiled them: what the archive must reproduce.
fn parsed_files(addons: &[String]) -> Vec<(String, load::LoadedFile)> {
    selected_files(addons)
        .map(|(name, text)| {
            let file = fact_files::embedded_file_name(name);
            let loaded = load::load_file(&file, text.as_bytes()).expect("embedded file loads");
            (file, loaded)
        })
        .collect()
}

/// How many attributes below `element` have a validator.
fn validators(element: &ElementSchema) -> usize {
    element
        .attributes
        .iter()
        .filter(|a| a.validator.is_some())
        .count()
        + element.elements.iter().map(validators).sum::<usize>()
        + element
            .collections
            .iter()
            .map(|c| validators(&c.entry))
            .sum::<usize>()
}

#[test]
fn the_compiled_facts_are_what_the_loader_reads() {
    let archive = archive::Archive::open(embedded::COMPILED_FACTS).expect("the archive opens");
    let names: Vec<&str> = EMBEDDED_SCHEMA.iter().map(|(name, _)| *name).collect();
    assert_eq!(archive.names().collect::<Vec<_>>(), names);
    let mut checked = 0;
    for (file, parsed) in parsed_files(&all_addons()) {
        let name = file.trim_start_matches("embedded:");
        let compiled = archive
            .file(name)
            .expect("every embedded file is in the archive")
            .decode()
            .expect("and decodes");
        assert!(!parsed.sections.is_empty(), "{name}");
        assert_eq!(compiled.stats, parsed.stats, "{name}");
        assert_eq!(compiled.sections, parsed.sections, "{name}");
        // Debug shows every field, the validators and origins included.
        assert_eq!(
            format!("{:?}", compiled.sections),
            format!("{:?}", parsed.sections),
            "{name}"
        );
        assert!(compiled.warnings.is_empty(), "{name}");
        checked += parsed
            .sections
            .iter()
            .map(|s| validators(&s.root))
            .sum::<usize>();
    }
    assert!(
        checked > 50,
        "the files have validators to compare: {checked}"
    );
}

#[test]
fn the_archive_round_trips_what_the_loader_reads() {
    let parsed = parsed_files(&all_addons());
    let named: Vec<(&str, load::LoadedFile)> = parsed_files(&all_addons())
        .into_iter()
        .zip(EMBEDDED_SCHEMA)
        .map(|((_, loaded), (name, _))| (*name, loaded))
        .collect();
    let bytes = archive::encode(&named).expect("encodes");
    assert_eq!(
        bytes,
        embedded::COMPILED_FACTS,
        "build.rs wrote the same archive"
    );
    let archive = archive::Archive::open(&bytes).expect("opens");
    for ((name, _), (_, loaded)) in EMBEDDED_SCHEMA.iter().zip(&parsed) {
        let decoded = archive
            .file(name)
            .expect("present")
            .decode()
            .expect("decodes");
        assert_eq!(&decoded.sections, &loaded.sections, "{name}");
    }
    assert!(archive.file("iis/nosuch.xml").is_none());
}

/// Asserts that two registries hold the same sections, files, warnings and modules.
fn assert_same_registry(compiled: &Registry, parsed: &Registry) {
    let sections: Vec<&SectionSchema> = compiled.sections().collect();
    assert!(sections.len() > 100, "{}", sections.len());
    assert_eq!(sections, parsed.sections().collect::<Vec<_>>());
    assert_eq!(
        format!("{sections:?}"),
        format!("{:?}", parsed.sections().collect::<Vec<_>>())
    );
    assert_eq!(
        compiled.section_names().collect::<Vec<_>>(),
        sections.iter().map(|s| s.name.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(compiled.files(), parsed.files());
    assert_eq!(compiled.warnings(), parsed.warnings());
    assert_eq!(compiled.addon_modules(), parsed.addon_modules());
}

#[test]
fn the_embedded_registry_equals_the_one_parsed_from_xml() {
    let all = all_addons();
    let lazy = Registry::embedded();
    let asp = lazy.section("system.webServer/asp").expect("asp");
    let parsed = Registry::assemble(&all, parsed_files(&all), Vec::new());
    assert_eq!(Some(asp), parsed.section("system.webServer/asp"));
    let hosting = lazy
        .section("system.webServer/aspNetCore")
        .and_then(|s| s.root.attribute("hostingModel"))
        .and_then(|a| a.validator.clone());
    assert!(
        matches!(hosting, Some(crate::value::Validator::OneOf(_))),
        "the run-time check is added to a section decoded on first use: {hosting:?}"
    );
    assert_same_registry(
        &lazy,
        &Registry::assemble(&all, parsed_files(&all), Vec::new()),
    );
    let some = vec!["rewrite".to_string(), "aspNetCore".to_string()];
    let chosen = Registry::embedded_with_modules(&some).unwrap();
    assert_same_registry(
        &chosen,
        &Registry::assemble(&some, parsed_files(&some), Vec::new()),
    );
    assert!(chosen.section("system.webServer/rewrite/rules").is_some());
    assert!(chosen
        .section("system.webServer/webdav/authoring")
        .is_none());
    // An overlay replaces and merges with compiled fragments as with parsed ones.
    let runtime = br#"<configSchema><sectionSchema name="system.applicationHost/sites">
  <collection addElement="site"><attribute name="probe" type="uint" extension="X.Runtime" /></collection>
</sectionSchema><sectionSchema name="system.webServer/asp"><attribute name="only" type="bool"/></sectionSchema></configSchema>"#;
    let overlay = || {
        vec![(
            "x.xml".to_string(),
            load::load_file("x.xml", runtime).unwrap(),
        )]
    };
    assert_same_registry(
        &Registry::with_files(&[("x.xml".to_string(), runtime.to_vec())]).unwrap(),
        &Registry::assemble(&all, parsed_files(&all), overlay()),
    );
}

/// The time `Registry::embedded()` takes, decoding the compiled facts and, as before,
/// parsing the XML: `cargo test --release -p iisconf-core --lib -- --ignored --nocapture
/// embedded_registry_figures`.
#[test]
#[ignore = "a figure, not a check: run it in release"]
fn embedded_registry_figures() {
    fn median(mut run: impl FnMut()) -> std::time::Duration {
        let mut times: Vec<std::time::Duration> = (0..200)
            .map(|_| {
                let start = std::time::Instant::now();
                run();
                start.elapsed()
            })
            .collect();
        times.sort();
        times.get(times.len() / 2).copied().unwrap_or_default()
    }
    let all = all_addons();
    let compiled = median(|| drop(std::hint::black_box(Registry::embedded())));
    let parsed = median(|| {
        drop(std::hint::black_box(Registry::assemble(
            &all,
            parsed_files(&all),
            Vec::new(),
        )))
    });
    let decoded = median(|| {
        let registry = Registry::embedded();
        std::hint::black_box(registry.sections().count());
    });
    println!(
        "Registry::embedded(), median of 200: compiled {:.3} ms (every section decoded: {:.3} ms), parsed from XML {:.3} ms",
        compiled.as_secs_f64() * 1e3,
        decoded.as_secs_f64() * 1e3,
        parsed.as_secs_f64() * 1e3
    );
}
