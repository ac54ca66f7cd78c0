//! Resolving effective states: the layers of a section from the server level down to a
//! path, merged (through the one cache of states) or read in place over the topmost merged
//! state, honouring inheritInChildApplications.

use super::effective::{apply_element, Layer};
use super::{display_config_path, Hierarchy, LayerRef};
use super::{inherited, paths, sites, typed, Effective, EffectiveElement, EngineError};
use crate::schema::SectionSchema;
use std::sync::Arc;

impl Hierarchy {
    pub(super) fn layers_at(&self, level: &str, section: &str) -> &[LayerRef] {
        self.layers.at(level, section)
    }

    /// Whether a layer written at `level` stops short of `target` because its location tag
    /// says inheritInChildApplications="false" and an application root lies in between.
    pub(super) fn skipped_for(&self, layer: LayerRef, level: &str, target: &str) -> bool {
        let file = &self.files[layer.file];
        let inst = &file.sections[layer.instance];
        if file.locations[inst.location].inherit_in_child_applications {
            return false;
        }
        let mut cur = target;
        while cur.len() > level.len() {
            if self.is_app_root(cur) {
                return true;
            }
            cur = paths::parent_path(cur).unwrap_or("");
        }
        false
    }

    /// What the merge and the checks need to know about a layer applied at `level`.
    pub(super) fn layer_context<'a>(
        &'a self,
        layer: LayerRef,
        level: &'a Arc<str>,
        schema: &'a SectionSchema,
    ) -> Layer<'a> {
        Layer {
            file: &self.files[layer.file],
            file_index: layer.file,
            file_name: &self.files[layer.file].name,
            location: level,
            section: &schema.name,
            seq: ((layer.file as u32) << 20) | layer.instance as u32,
            redundant_values: self.wants(crate::diagnostic::Rule::RedundantValue),
            positions: true,
        }
    }

    pub(super) fn apply_layer(
        &self,
        eff: &mut EffectiveElement,
        layer: LayerRef,
        level: &str,
        schema: &SectionSchema,
    ) {
        let inst = &self.files[layer.file].sections[layer.instance];
        // The level as written in the file (the caller's may differ in case).
        let written = self.location_level(layer.file, inst.location);
        let requested;
        let location = if **written == *level {
            written
        } else {
            requested = Arc::from(level);
            &requested
        };
        let ctx = self.layer_context(layer, location, schema);
        let node = inst.node;
        apply_element(eff, node, &schema.root, &ctx);
    }

    /// The effective section at a level, ignoring inheritInChildApplications: the state
    /// of the nearest group of the section at or above it.
    pub(super) fn state(&self, level: &str, schema: &SectionSchema) -> Arc<EffectiveElement> {
        let mut cur = Some(level);
        while let Some(at) = cur {
            if let Some(group) = self.layers.group_id(at, &schema.name) {
                return self.group_state(group, schema);
            }
            cur = paths::parent_path(at);
        }
        Arc::new(EffectiveElement::empty(&schema.root.name))
    }

    /// The effective section at `target` from the levels above it, honouring
    /// inheritInChildApplications for `target`: shared with the cache unless a layer above
    /// stops short of `target`.
    pub(super) fn inherited(&self, target: &str, schema: &SectionSchema) -> Arc<EffectiveElement> {
        let Some(parent) = paths::parent_path(target) else {
            return Arc::new(EffectiveElement::empty(&schema.root.name));
        };
        if !self.not_inherited.contains(schema.name.as_str()) {
            return self.state(parent, schema);
        }
        let mut chain = vec![parent];
        let mut cur = parent;
        while let Some(p) = paths::parent_path(cur) {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        let skips = chain.iter().any(|level| {
            self.layers_at(level, &schema.name)
                .iter()
                .any(|l| self.skipped_for(*l, level, target))
        });
        if !skips {
            return self.state(parent, schema);
        }
        let mut eff = EffectiveElement::empty(&schema.root.name);
        for level in chain {
            for layer in self.layers_at(level, &schema.name) {
                if !self.skipped_for(*layer, level, target) {
                    self.apply_layer(&mut eff, *layer, level, schema);
                }
            }
        }
        Arc::new(eff)
    }

    /// The schema of the section called `name`: its full name, or a short name as the CLI
    /// and appcmd take it (`asp`, `requestFiltering`; [`Registry::section_named`]).
    fn named_section_schema(&self, name: &str) -> Result<&SectionSchema, EngineError> {
        match self.registry.section(name) {
            Some(schema) => Ok(schema),
            None => self
                .registry
                .section_named(name)
                .map_err(|_| EngineError::NoSchema(name.to_string())),
        }
    }

    /// The effective configuration of `section` (its full name, or a short name such as
    /// `asp`) at config path `path`, marked with the errors for which IIS would not serve it
    /// there ([`Effective::refused`]): a build tool that reads it must check
    /// [`Effective::served`] before taking the values for what IIS serves.
    pub fn effective(&self, path: &str, section: &str) -> Result<Effective, EngineError> {
        let mut effective = self.effective_unchecked(path, section)?;
        effective.refused = self
            .check_section_at(path, &effective.section)?
            .into_iter()
            .filter(|f| f.severity == crate::diagnostic::Severity::Error)
            .collect();
        Ok(effective)
    }

    /// [`Hierarchy::effective`] without checking whether IIS would serve it
    /// ([`Effective::refused`] stays empty): every value, defaults included, as the files
    /// give it, for tools that compare or edit configurations rather than read what is
    /// served.
    pub fn effective_unchecked(&self, path: &str, section: &str) -> Result<Effective, EngineError> {
        let mut eff = self.effective_as_written(path, section)?;
        if let Some(schema) = self.registry.section(&eff.section) {
            sites::fill_collection_defaults(&mut eff.root, &schema.root);
            eff.root.materialize(&schema.root);
        }
        Ok(eff)
    }

    /// The values written in the files that apply at `path`, merged level by level as in
    /// [`Hierarchy::effective`], without the defaults of the schema and of the default
    /// elements (`siteDefaults`…), and unchecked: what an edit reads to find inherited
    /// entries, at a fraction of the cost for a section as large as
    /// `system.applicationHost/sites`.
    pub fn effective_as_written(
        &self,
        path: &str,
        section: &str,
    ) -> Result<Effective, EngineError> {
        let path = self.check_path(path)?;
        let schema = self.named_section_schema(section)?;
        let section = schema.name.as_str();
        self.refuse_protected(&path, section)?;
        let mut root = Arc::unwrap_or_clone(self.inherited(&path, schema));
        for layer in self.layers_at(&path, section) {
            self.apply_layer(&mut root, *layer, &path, schema);
        }
        Ok(Effective {
            section: section.to_string(),
            path: display_config_path(&path),
            root,
            refused: Vec::new(),
        })
    }

    /// The state at the level of layer group `group` with the group's layers applied (what
    /// the levels below it inherit), kept in the hierarchy's one cache of states.
    pub(super) fn group_state(&self, group: u32, schema: &SectionSchema) -> Arc<EffectiveElement> {
        if let Some(hit) = self.states.get(group) {
            return hit;
        }
        let mut eff = match self.layers.above(group) {
            Some(above) => Arc::unwrap_or_clone(self.group_state(above, schema)),
            None => EffectiveElement::empty(&schema.root.name),
        };
        for layer in self.layers.group(group) {
            self.apply_layer(&mut eff, *layer, self.written_level(*layer), schema);
        }
        let eff = Arc::new(eff);
        self.states.insert(group, eff.clone());
        eff
    }

    /// The config path a section instance is written at.
    pub(super) fn written_level(&self, layer: LayerRef) -> &Arc<str> {
        let inst = &self.files[layer.file].sections[layer.instance];
        self.location_level(layer.file, inst.location)
    }

    /// Calls `read` with what section instance `layer` inherits, its layer context, its
    /// node and its section's root schema; `None` when the section has no schema. Only the
    /// topmost group of the section is merged (and cached); the layers between it and the
    /// instance are read in place (see [`inherited::Inherited`]).
    pub(super) fn with_inherited<R>(
        &self,
        layer: LayerRef,
        read: impl FnOnce(
            &inherited::Inherited,
            &Layer,
            iisconf_xml::NodeId,
            &crate::schema::ElementSchema,
        ) -> R,
    ) -> Option<R> {
        let file = self.files.get(layer.file)?;
        let inst = file.sections.get(layer.instance)?;
        let schema = self.registry.section(&inst.name)?;
        let group = self.layers.group_of(layer)?;
        let level = self.location_level(layer.file, inst.location);
        // The layers read in place, oldest first, over a merged state.
        let mut over: Vec<LayerRef> = Vec::new();
        let base = if self.not_inherited.contains(schema.name.as_str()) {
            Some(self.inherited(level, schema))
        } else {
            let mut chain = Vec::new();
            let mut cur = self.layers.above(group);
            while let Some(g) = cur {
                chain.push(g);
                cur = self.layers.above(g);
            }
            let top = chain.pop();
            for g in chain.iter().rev() {
                over.extend_from_slice(self.layers.group(*g));
            }
            top.map(|g| self.group_state(g, schema))
        };
        let at_level = self.layers.group(group);
        let before = at_level.iter().position(|l| *l == layer).unwrap_or(0);
        over.extend_from_slice(at_level.get(..before).unwrap_or(&[]));
        let contexts: Vec<(Layer, iisconf_xml::NodeId)> = over
            .iter()
            .map(|l| {
                let node = self.files[l.file].sections[l.instance].node;
                (self.layer_context(*l, self.written_level(*l), schema), node)
            })
            .collect();
        let view = inherited::Inherited::new(
            base.as_deref(),
            contexts.iter().map(|(ctx, node)| (ctx, *node)).collect(),
        );
        let ctx = self.layer_context(layer, level, schema);
        Some(read(&view, &ctx, inst.node, &schema.root))
    }

    /// The instances of a section at one level, in hierarchy order, given one of them.
    pub(crate) fn layer_group(&self, layer: LayerRef) -> &[LayerRef] {
        self.layers
            .group_of(layer)
            .map_or(&[], |g| self.layers.group(g))
    }

    /// The effective configuration of `section` at `path` as typed values.
    pub fn typed(&self, path: &str, section: &str) -> Result<typed::TypedElement, EngineError> {
        let effective = self.effective_unchecked(path, section)?;
        let schema = self.named_section_schema(section)?;
        typed::typed(&effective.root, &schema.root).map_err(EngineError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;
    use crate::engine::{validate, Options};
    use crate::schema::Registry;
    use std::fmt::Write;
    use std::path::PathBuf;

    /// The findings of section instance `layer` of `h` read against what it inherits
    /// merged whole, instead of reading the layers above in place.
    fn findings_merged(h: &Hierarchy, layer: LayerRef, findings: &mut Vec<Finding>) {
        h.with_inherited(layer, |view, ctx, node, schema| {
            let merged = view.merge(schema);
            let view = inherited::Inherited::merged_state(&merged);
            validate::check_element(&view, node, schema, ctx, findings);
        });
    }

    /// The findings of every section instance of `h`, read in place and merged whole: they
    /// must be the same.
    fn assert_same_findings_merged(h: Hierarchy, what: &str) {
        let mut in_place = Vec::new();
        let mut merged = Vec::new();
        for (file, f) in h.files().iter().enumerate() {
            for instance in 0..f.sections.len() {
                let layer = LayerRef { file, instance };
                h.check_layer(layer, &mut in_place);
                findings_merged(&h, layer, &mut merged);
            }
        }
        assert_eq!(in_place, merged, "{what}");
    }

    fn registry() -> Registry {
        let shared =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/iis-schema");
        let dirs: Vec<PathBuf> = shared.is_dir().then_some(shared).into_iter().collect();
        Registry::load(&dirs).expect("schema loads")
    }

    #[test]
    fn reading_layers_in_place_finds_what_merging_finds_in_the_scenarios() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
            .expect("scenarios")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        dirs.extend([root.join("lint/hierarchy"), root.join("example")]);
        for dir in dirs {
            let options = Options {
                apphost: Some(dir.join("applicationHost.config")),
                root_maps: vec![("C:\\inetpub".to_string(), dir.join("inetpub"))],
                env: Vec::new(),
            };
            let h = Hierarchy::open(registry(), &options).expect("scenario opens");
            assert_same_findings_merged(h, &dir.display().to_string());
        }
    }

    /// A small deterministic generator (the test needs no seed from outside).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// One httpErrors or asp section with random values, locks and collection directives.
    fn random_section(rng: &mut Lcg) -> String {
        let locks = [
            "",
            " lockAttributes=\"defaultPath\"",
            " lockAttributes=\"*\"",
            " lockAllAttributesExcept=\"errorMode\"",
            " lockElements=\"error,clear\"",
            " lockAllElementsExcept=\"remove\"",
        ];
        let mut out = String::new();
        if rng.below(2) == 0 {
            let _ = write!(
                out,
                "<asp enableParentPaths=\"{}\"{}><session max=\"{}\" timeout=\"{}\"{} /></asp>",
                rng.pick(&["true", "false"]),
                rng.pick(&[
                    "",
                    " lockElements=\"session\"",
                    " lockAllElementsExcept=\"cache\""
                ]),
                rng.pick(&["10", "20", "4294967295"]),
                rng.pick(&["00:20:00", "00:30:00"]),
                rng.pick(&[
                    "",
                    " lockAttributes=\"max\"",
                    " lockAllAttributesExcept=\"timeout\""
                ]),
            );
        }
        let _ = write!(
            out,
            "<httpErrors errorMode=\"{}\" defaultPath=\"{}\"{}>",
            rng.pick(&["Custom", "Detailed", "DetailedLocalOnly"]),
            rng.pick(&["a.htm", "b.htm"]),
            rng.pick(&locks),
        );
        for _ in 0..rng.below(4) {
            let code = rng.pick(&["404", "500", "401"]);
            match rng.below(4) {
                0 => out.push_str("<clear />"),
                1 => {
                    let _ = write!(out, "<remove statusCode=\"{code}\" />");
                }
                _ => {
                    let _ = write!(
                        out,
                        "<error statusCode=\"{code}\" path=\"{}.htm\"{} />",
                        rng.pick(&["x", "y"]),
                        rng.pick(&["", " lockItem=\"true\"", " lockAttributes=\"path\""]),
                    );
                }
            }
        }
        out.push_str("</httpErrors>");
        out
    }

    #[test]
    fn reading_layers_in_place_finds_what_merging_finds_over_random_layers() {
        let mut rng = Lcg(0x1155_c0f1);
        let dir = tempfile::tempdir().expect("temporary folder");
        let site = dir.path().join("s");
        std::fs::create_dir_all(site.join("a")).expect("site folders");
        let options = Options {
            apphost: Some(dir.path().join("applicationHost.config")),
            root_maps: vec![("C:\\inetpub".to_string(), dir.path().to_path_buf())],
            env: Vec::new(),
        };
        let levels = ["", "S", "S/a", "S/a/b", "S/c"];
        for case in 0..300 {
            let mut text = String::from("<configuration><configSections><sectionGroup name=\"system.applicationHost\"><section name=\"sites\" /></sectionGroup><sectionGroup name=\"system.webServer\"><section name=\"asp\" overrideModeDefault=\"Allow\" /><section name=\"httpErrors\" overrideModeDefault=\"Allow\" /></sectionGroup></configSections><system.applicationHost><sites><site name=\"S\" id=\"1\"><application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"C:\\inetpub\\s\" /></application><application path=\"/a\"><virtualDirectory path=\"/\" physicalPath=\"C:\\inetpub\\s\\a\" /></application></site></sites></system.applicationHost>");
            for _ in 0..1 + rng.below(4) {
                let level = rng.pick(&levels);
                let inherit = rng.pick(&["", "", " inheritInChildApplications=\"false\""]);
                let _ = write!(
                    text,
                    "<location path=\"{level}\"{inherit}><system.webServer>{}</system.webServer></location>",
                    random_section(&mut rng)
                );
            }
            text.push_str("</configuration>");
            std::fs::write(dir.path().join("applicationHost.config"), &text).expect("written");
            let mut files = text;
            for folder in [site.clone(), site.join("a")] {
                let web_config = format!(
                    "<configuration><system.webServer>{}</system.webServer></configuration>",
                    random_section(&mut rng)
                );
                std::fs::write(folder.join("web.config"), &web_config).expect("written");
                files.push_str(&web_config);
            }
            let h = Hierarchy::open(registry(), &options).expect("hierarchy opens");
            assert_eq!(h.files().len(), 3, "the two web.config files are found");
            assert_same_findings_merged(h, &format!("case {case}: {files}"));
        }
    }
}
