//! The project's schema fact files (`schema/iis`, `schema/addons`) against the real IIS 10 and
//! add-on schema folders in ../shared: the committed files are what the generator writes, the
//! library reads the same facts from both, every section and element has a description, and
//! every section is declared in the stock or add-on declarations.

mod shared;

#[allow(dead_code)]
#[path = "../examples/support/facts.rs"]
mod facts;

use iisconf::schema::{AttributeSchema, ElementSchema, MethodSchema, Registry};
use iisconf::xml::Document;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn schema_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/schema"))
}

fn fact_dirs() -> Vec<PathBuf> {
    facts::FACT_FOLDERS
        .iter()
        .map(|f| schema_dir().join(f))
        .collect()
}

/// The real schema folders, or `None` (after a SKIP line) when ../shared is absent.
fn real_dirs() -> Option<Vec<PathBuf>> {
    Some(vec![
        shared::dir("iis-schema")?,
        shared::dir("iis-schema-addons")?,
    ])
}

#[test]
fn the_committed_fact_files_are_what_the_generator_writes() {
    let Some(dirs) = real_dirs() else { return };
    let outputs = facts::render(&dirs).expect("the real schema folders render");
    let problems = facts::check(&schema_dir(), &outputs).expect("schema/ is readable");
    assert!(
        problems.is_empty(),
        "stale fact files (run `cargo run --example schema_facts`):\n{}",
        problems.join("\n")
    );
}

/// Every fact the loader exposes, by description path (`SECTION/…`, `…@attribute`,
/// `…#method`, `…/add{collection}` for a collection's directives).
fn facts_of(registry: &Registry) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for section in registry.sections() {
        element_facts(&section.root, &section.name, &mut out);
    }
    out
}

fn element_facts(e: &ElementSchema, path: &str, out: &mut BTreeMap<String, String>) {
    out.insert(
        path.to_string(),
        format!(
            "allowUnrecognizedAttributes={} isCollectionDefault={} extension={:?}",
            e.allow_unrecognized_attributes, e.is_collection_default, e.extension
        ),
    );
    for a in &e.attributes {
        out.insert(format!("{path}@{}", a.name), attribute_facts(a));
    }
    for m in &e.methods {
        method_facts(m, &format!("{path}#{}", m.name), out);
    }
    for child in &e.elements {
        element_facts(child, &format!("{path}/{}", child.name), out);
    }
    for c in &e.collections {
        let entry = format!("{path}/{}", c.entry.name);
        out.insert(
            format!("{entry}{{collection}}"),
            format!(
                "add={:?} remove={:?} clear={:?} mergeAppend={} allowDuplicates={} defaultElement={:?}",
                c.add_elements,
                c.remove_element,
                c.clear_element,
                c.merge_append,
                c.allow_duplicates,
                c.default_element
            ),
        );
        element_facts(&c.entry, &entry, out);
    }
}

fn attribute_facts(a: &AttributeSchema) -> String {
    format!(
        "type={:?} default={:?} required={} uniqueKey={} combinedKey={} caseSensitive={} \
         encrypted={} expanded={} allowInfinite={} timeSpanFormat={:?} validation={:?}/{:?} \
         validator={} choices={:?} extension={:?}",
        a.kind,
        a.default_value,
        a.required,
        a.is_unique_key,
        a.is_combined_key,
        a.case_sensitive,
        a.encrypted,
        a.expanded,
        a.allow_infinite,
        a.time_span_format,
        a.validation_type,
        a.validation_parameter,
        a.validator.is_some(),
        a.choices,
        a.extension
    )
}

fn method_facts(m: &MethodSchema, path: &str, out: &mut BTreeMap<String, String>) {
    out.insert(path.to_string(), format!("extension={:?}", m.extension));
    if let Some(input) = &m.input {
        element_facts(input, &format!("{path}/inputElement"), out);
    }
    if let Some(output) = &m.output {
        element_facts(output, &format!("{path}/outputElement"), out);
    }
}

/// The attribute order of every element (order is a fact: a combined key's parts, and the
/// order tools write attributes in).
fn attribute_orders(registry: &Registry) -> BTreeMap<String, Vec<String>> {
    fn walk(e: &ElementSchema, path: &str, out: &mut BTreeMap<String, Vec<String>>) {
        out.insert(
            path.to_string(),
            e.attributes.iter().map(|a| a.name.clone()).collect(),
        );
        for child in &e.elements {
            walk(child, &format!("{path}/{}", child.name), out);
        }
        for c in &e.collections {
            walk(&c.entry, &format!("{path}/{}", c.entry.name), out);
        }
    }
    let mut out = BTreeMap::new();
    for section in registry.sections() {
        walk(&section.root, &section.name, &mut out);
    }
    out
}

fn diff(ours: &BTreeMap<String, String>, real: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, fact) in real {
        match ours.get(path) {
            None => problems.push(format!("missing from schema/: {path} ({fact})")),
            Some(f) if f != fact => {
                problems.push(format!("{path}:\n  schema/: {f}\n  real:    {fact}"))
            }
            Some(_) => {}
        }
    }
    for path in ours.keys().filter(|p| !real.contains_key(*p)) {
        problems.push(format!("only in schema/: {path}"));
    }
    problems
}

#[test]
fn the_library_reads_the_same_facts_from_the_fact_files_and_the_real_folders() {
    let Some(dirs) = real_dirs() else { return };
    let real = Registry::load(&dirs).expect("the real folders load");
    let ours = Registry::load(&fact_dirs()).expect("schema/iis and schema/addons load");

    let real_names: BTreeSet<&str> = real.sections().map(|s| s.name.as_str()).collect();
    let our_names: BTreeSet<&str> = ours.sections().map(|s| s.name.as_str()).collect();
    assert_eq!(our_names, real_names, "the same sections on both sides");
    assert_eq!(real_names.len(), 141);

    let problems = diff(&facts_of(&ours), &facts_of(&real));
    assert!(
        problems.is_empty(),
        "facts differ:\n{}",
        problems.join("\n")
    );

    // Fragments merge in load order, which differs between the two layouts; within one
    // element, the attributes of one file keep their order.
    let (ours_order, real_order) = (attribute_orders(&ours), attribute_orders(&real));
    for (path, names) in &real_order {
        let mine = &ours_order[path];
        let mine_sorted: BTreeSet<&String> = mine.iter().collect();
        let real_sorted: BTreeSet<&String> = names.iter().collect();
        assert_eq!(mine_sorted, real_sorted, "attributes of {path}");
    }

    // The quirks of the real files are in the fact files too, so both sides warn alike.
    assert_eq!(ours.warnings().len(), real.warnings().len());
    let counts = |r: &Registry| {
        let mut total = [0usize; 7];
        for f in r.files().iter().filter(|f| !f.embedded) {
            let s = f.stats;
            for (t, n) in total.iter_mut().zip([
                s.sections,
                s.attributes,
                s.elements,
                s.collections,
                s.enums,
                s.flags,
                s.methods,
            ]) {
                *t += n;
            }
        }
        total
    };
    assert_eq!(counts(&ours), counts(&real), "tags of every kind");
}

#[test]
fn the_embedded_schema_has_every_fact_of_the_real_folders_both_ways() {
    let Some(dirs) = real_dirs() else { return };
    let real = Registry::load(&dirs).expect("the real folders load");
    let embedded = Registry::embedded();
    assert!(
        real.sections()
            .all(|s| s.sources.iter().all(|f| !f.starts_with("embedded:"))),
        "the real folders replace every embedded fragment"
    );
    let problems = diff(&facts_of(&embedded), &facts_of(&real));
    assert!(
        problems.is_empty(),
        "facts differ:\n{}",
        problems.join("\n")
    );
    assert!(embedded.warnings().is_empty(), "{:#?}", embedded.warnings());
    assert_eq!(embedded.sections().count(), 141);
}

fn descriptions() -> BTreeMap<String, String> {
    facts::all_descriptions(&schema_dir()).expect("the description files parse")
}

#[test]
fn every_section_element_and_collection_entry_has_a_description() {
    let ours = Registry::load(&fact_dirs()).expect("schema/iis and schema/addons load");
    let described = descriptions();
    let missing: Vec<String> = facts::element_paths(&ours)
        .into_iter()
        .filter(|p| !described.contains_key(p))
        .collect();
    assert!(
        missing.is_empty(),
        "{} without a description:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_path_is_described_in_one_file_only() {
    let dir = schema_dir().join(facts::DESCRIPTION_FOLDER);
    let mut files = vec![schema_dir().join("descriptions.xml")];
    files.extend(
        std::fs::read_dir(&dir)
            .expect("schema/descriptions")
            .filter_map(|e| e.ok().map(|e| e.path())),
    );
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        for path in facts::read_descriptions(&file).expect("parses").into_keys() {
            if let Some(first) = seen.insert(path.clone(), file.clone()) {
                panic!(
                    "{path} is described in {} and {}",
                    first.display(),
                    file.display()
                );
            }
        }
    }
}

#[test]
fn every_description_names_a_schema_path_and_says_something() {
    let ours = Registry::load(&fact_dirs()).expect("schema/iis and schema/addons load");
    let paths = facts::all_paths(&ours);
    for (path, text) in descriptions() {
        assert!(paths.contains(&path), "description of unknown path {path}");
        assert!(
            text.len() >= 12 && (text.ends_with('.') || text.ends_with(".)")),
            "description of {path} is not a sentence: {text:?}"
        );
    }
}

#[test]
fn every_attribute_set_in_the_corpus_has_a_description() {
    let Some(corpus) = shared::dir("corpus") else {
        return;
    };
    let ours = Registry::load(&fact_dirs()).expect("schema/iis and schema/addons load");
    let described = descriptions();
    let used = facts::corpus_attribute_paths(&ours, &corpus).expect("the corpus reads");
    assert!(
        used.len() > 100,
        "the corpus sets {} attributes",
        used.len()
    );
    let missing: Vec<&String> = used
        .iter()
        .filter(|p| !described.contains_key(*p))
        .collect();
    assert!(
        missing.is_empty(),
        "corpus attributes without a description:\n{}",
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// `(section path, module or "", overrideModeDefault, allowDefinition, allowLocation)` of
/// every `<section>` in a `<configSections>` file.
fn declarations(path: &Path) -> Vec<(String, String, String, String, String)> {
    let text = std::fs::read_to_string(path).expect("declarations file");
    let doc = Document::parse_str(&text).expect("declarations parse");
    let root = doc.root_element().expect("a root");
    let mut out = Vec::new();
    let mut stack = vec![(root, String::new(), String::new())];
    while let Some((node, prefix, module)) = stack.pop() {
        for child in doc.child_elements(node) {
            let name = doc.attribute_value(child, "name").unwrap_or_default();
            let module = if doc.name(child) == "module" {
                name.to_string()
            } else {
                module.clone()
            };
            let full = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            match doc.name(child) {
                "section" => {
                    let get = |k: &str| {
                        doc.attribute_value(child, k)
                            .map(|v| v.into_owned())
                            .unwrap_or_default()
                    };
                    out.push((
                        full,
                        module.clone(),
                        get("overrideModeDefault"),
                        get("allowDefinition"),
                        get("allowLocation"),
                    ));
                }
                "sectionGroup" => stack.push((child, full, module)),
                "module" => stack.push((child, prefix.clone(), module)),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_add_on_section_is_declared_once_per_module_with_its_installer_values() {
    let decls = declarations(&schema_dir().join("addon_sections.xml"));
    let find = |name: &str, module: &str| {
        decls
            .iter()
            .find(|d| d.0 == name && d.1 == module)
            .map(|d| (d.2.as_str(), d.3.as_str()))
            .unwrap_or_else(|| panic!("{name} is not declared for module {module}"))
    };
    assert_eq!(
        find("system.webServer/rewrite/globalRules", "rewrite"),
        ("Deny", "AppHostOnly")
    );
    assert_eq!(
        find("system.webServer/rewrite/allowedServerVariables", "rewrite"),
        ("Deny", "")
    );
    assert_eq!(
        find("system.webServer/rewrite/rules", "rewrite"),
        ("Allow", "")
    );
    assert_eq!(
        find("system.webServer/proxy", "arr"),
        ("Deny", "AppHostOnly")
    );
    assert_eq!(find("webFarms", "arr"), ("Deny", "AppHostOnly"));
    assert_eq!(
        find("system.webServer/aspNetCore", "aspNetCore"),
        ("Allow", "")
    );

    // Every section of an add-on fact file is declared for its module, and every
    // declaration names a section of its module's fact files.
    let modules: BTreeSet<&str> = facts::SOURCES
        .iter()
        .filter(|s| s.folder == "addons")
        .map(|s| s.module)
        .collect();
    let mut defined: BTreeSet<(String, String)> = BTreeSet::new();
    for module in modules {
        let files = std::fs::read_dir(schema_dir().join("addons")).expect("schema/addons");
        for f in files.filter_map(|f| f.ok()) {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.split('.').next() != Some(module) {
                continue;
            }
            let text = std::fs::read_to_string(f.path()).expect("fact file");
            let doc = Document::parse_str(&text).expect("fact file parses");
            let root = doc.root_element().expect("root");
            for s in doc.child_elements(root) {
                let section = doc.attribute_value(s, "name").unwrap_or_default();
                find(&section, module);
                defined.insert((section.into_owned(), module.to_string()));
            }
        }
    }
    for d in &decls {
        assert!(
            defined.contains(&(d.0.clone(), d.1.clone())),
            "{} is declared for module {} but no fact file of that module defines it",
            d.0,
            d.1
        );
    }
}

#[test]
fn every_in_box_section_of_application_host_is_in_the_stock_declarations() {
    let stock: BTreeSet<String> = declarations(&schema_dir().join("stock_sections.xml"))
        .into_iter()
        .map(|d| d.0)
        .collect();
    // No add-on module embedded: the in-box facts alone.
    let ours = Registry::load_with_modules(&[schema_dir().join("iis")], Some(&[]))
        .expect("schema/iis loads");
    // Declared by machine.config (.NET) or administration.config, not applicationHost.config.
    let elsewhere = |name: &str| {
        let in_box_iis = name.starts_with("system.applicationHost/")
            || name.starts_with("system.webServer/")
            || name.starts_with("system.ftpServer/");
        !in_box_iis || name.starts_with("system.webServer/management/")
    };
    let undeclared: Vec<&str> = ours
        .sections()
        .map(|s| s.name.as_str())
        .filter(|n| !elsewhere(n) && !stock.contains(*n))
        .collect();
    assert!(undeclared.is_empty(), "not declared: {undeclared:?}");
}
