//! Section-level rules: declarations and schema, section locks (overrideMode),
//! allowDefinition/allowLocation, location tags and duplicate sections. Element-level rules
//! are in `validate`, read against what each layer inherits (`inherited`).

use super::{paths, FileId, Hierarchy, LayerRef};
use crate::config::{AllowDefinition, ConfigFile, OverrideMode};
use crate::diagnostic::{Finding, Rule};
use rustc_hash::FxHashSet as HashSet;

/// Section groups whose sections applicationHost.config itself must declare.
const APPHOST_GROUPS: [&str; 3] = [
    "system.applicationHost/",
    "system.webServer/",
    "system.ftpServer/",
];

/// The IIS text for a section locked at a parent level (0x80070021).
pub const SECTION_LOCKED_TEXT: &str = "This configuration section cannot be used at this path. This happens when the section is locked at a parent level. Locking is either by default (overrideModeDefault=\"Deny\"), or set explicitly by a location tag with overrideMode=\"Deny\" or the legacy allowOverride=\"false\".";

/// The rest of IIS's text for a locked section, shown as a note.
const SECTION_LOCKED_NOTE: &str = "This happens when the section is locked at a parent level. Locking is either by default (overrideModeDefault=\"Deny\"), or set explicitly by a location tag with overrideMode=\"Deny\" or the legacy allowOverride=\"false\".";

/// What to do about a section without a schema: where schemas come from when none was
/// given, and what else to check when the user already passed schema folders.
fn missing_schema_help(h: &Hierarchy) -> &'static str {
    if h.registry.files().iter().any(|f| !f.embedded) {
        "no schema file in the schema folders given (--schema-dir, iisconf.toml `schema-dirs`) defines it: add the schema file of the module that provides it (from a server that has the module), or remove the section if the target server lacks the module (list the server's add-on modules in iisconf.toml `modules`); without the module IIS fails with HTTP 500.19"
    } else {
        "pass --schema-dir with the server's schema folder (%windir%\\system32\\inetsrv\\config\\schema), and list the server's add-on modules in iisconf.toml `modules`; on a server without the module that provides it, IIS fails with HTTP 500.19"
    }
}

/// The known section of the same group as `name` that a fix may rename it to (see
/// `validate::rename_to`): a section the schema defines or the hierarchy declares.
fn near_section(h: &Hierarchy, name: &str) -> Option<String> {
    let (group, local) = name.rsplit_once('/').unwrap_or(("", name));
    let in_group = |full: &str| full.rsplit_once('/').unwrap_or(("", full)).0 == group;
    let mut known: Vec<&str> = h
        .registry
        .section_names()
        .chain(h.declarations.keys().map(String::as_str))
        .filter(|full| in_group(full))
        .map(|full| full.rsplit('/').next().unwrap_or(full))
        .collect();
    known.sort_unstable();
    known.dedup();
    let near = super::validate::rename_to(local, known.into_iter())?;
    Some(if group.is_empty() {
        near.to_string()
    } else {
        format!("{group}/{near}")
    })
}

/// A file name for messages: the stock declarations the engine supplies are IIS's own
/// applicationHost.config, not a file the user can open under the engine's name.
fn shown_file(name: &str) -> &str {
    if name.starts_with("embedded:") {
        "IIS's stock applicationHost.config"
    } else {
        name
    }
}

/// Where a section's lock comes from.
#[derive(Clone, Debug)]
pub struct LockSource {
    /// A readable description.
    pub description: String,
    /// Whether the lock comes from contradictory lock settings (a lower level's Deny that
    /// covers a path a higher level unlocked), which IIS treats as illegal configuration.
    pub contradictory: bool,
}

/// Checks every rule for file `fi`, appending findings.
pub(super) fn check_file(h: &Hierarchy, fi: usize, findings: &mut Vec<Finding>) {
    check_file_filtered(h, fi, None, findings);
}

/// Which section instances to check: (section name, index of its location in the file).
pub(super) type Filter<'a> = &'a (dyn Fn(&str, usize) -> bool + Sync);

/// Like [`check_file`], limited to the section instances `only` accepts (and the location
/// tags holding them) when given.
pub(super) fn check_file_filtered(
    h: &Hierarchy,
    fi: usize,
    only: Option<Filter>,
    findings: &mut Vec<Finding>,
) {
    let file = &h.files[fi];
    let wanted = |name: &str, location: usize| only.is_none_or(|o| o(name, location));
    // Half the size of usize indices: a large file has hundreds of thousands of instances.
    let instances: Vec<u32> = file
        .sections
        .iter()
        .enumerate()
        .filter(|(_, inst)| wanted(&inst.name, inst.location))
        .map(|(ii, _)| ii as u32)
        .collect();
    // Location tags and duplicates are checked beside the section instances, at the same
    // time when the instances are more than one worker's block.
    let (file_level, mut per_instance) = iisconf_xml::parallel::join_if(
        instances.len() > BLOCK,
        || {
            let mut out = Vec::new();
            check_locations(h, fi, file, only.is_none(), &wanted, &mut out);
            check_duplicates(h, fi, file, &wanted, &mut out);
            out
        },
        || check_instances(h, fi, &instances),
    );
    findings.extend(file_level);
    findings.append(&mut per_instance);
}

/// How many section instances a worker takes at a time.
const BLOCK: usize = 64;

/// Checks the given instances of file `fi`, in parallel on large files, and returns the
/// findings in instance order (missing-schema reported once per section).
fn check_instances(h: &Hierarchy, fi: usize, instances: &[u32]) -> Vec<Finding> {
    // Each worker reports a missing schema once per section it sees.
    let found = iisconf_xml::parallel::map_chunks_with(
        instances,
        BLOCK,
        HashSet::default,
        |reported, block| {
            let mut out = Vec::new();
            for &ii in block {
                check_instance(h, fi, ii as usize, reported, &mut out);
            }
            out
        },
    );
    // Keep the first report of each missing schema.
    let mut missing_schema = HashSet::default();
    found
        .into_iter()
        .filter(|f| f.rule != Rule::MissingSchema || missing_schema.insert(f.message.clone()))
        .collect()
}

/// Checks one section instance: declaration and schema, section lock, allowDefinition and
/// allowLocation, then its content merged onto what it inherits.
pub(super) fn check_instance(
    h: &Hierarchy,
    fi: usize,
    ii: usize,
    missing_schema_reported: &mut HashSet<String>,
    findings: &mut Vec<Finding>,
) {
    let file = &h.files[fi];
    let Some(inst) = file.sections.get(ii) else {
        return;
    };
    let level = h.location_level(fi, inst.location);
    // Most instances have no finding: their place is computed only when one is reported.
    let at = || file.node_place(inst.node);
    let layer = LayerRef {
        file: fi,
        instance: ii,
    };
    let protected = h.check_protected(layer, findings);
    h.check_redirection(fi, ii, findings);
    let schema = h.registry.section(&inst.name);
    let declared = h.declaration(&inst.name).is_some()
        || file.declarations.iter().any(|d| *d.name == *inst.name)
        || super::machine::declares(&inst.name);
    match (declared, schema.is_some()) {
        (false, false) => {
            let (place, span) = at();
            // A known section of the same group under another letter case or one typo away
            // (`<DefaultDocument>`): its name is suggested, and the safe fix renames it.
            let near = near_section(h, &inst.name);
            let help = match &near {
                Some(near) if near.eq_ignore_ascii_case(&inst.name) => format!(
                    "did you mean '{near}'? section and element names are case-sensitive"
                ),
                Some(near) => format!("did you mean '{near}'?"),
                None => "declare it and install its schema (--schema-dir), or remove it; check the spelling of the element names".to_string(),
            };
            // Renamed to a section that is not declared here, the element would still be
            // refused (as undeclared): the name is suggested, but fixed only when declared.
            let fix = near.as_deref().and_then(|near| {
                h.declarations.get(near)?;
                let local = near.rsplit('/').next()?;
                let edits = super::fixes::rename_element(file, inst.node, local)?;
                Some(crate::diagnostic::Fix::safe(
                    format!("rename it to <{local}>"),
                    edits,
                ))
            });
            findings.push(
                Finding::new(
                    Rule::UnknownSection,
                    place,
                    format!("Unrecognized configuration section '{}': it is not declared in <configSections> and no schema defines it", inst.name),
                )
                .with_span(span)
                .with_help(help)
                .with_fix(fix),
            );
            return;
        }
        (true, false) => {
            // A .NET section (machine.config's, or declared with a managed type=) is read
            // by .NET, not IIS: IIS has and needs no schema for it.
            let managed = super::machine::needs_no_schema(&inst.name)
                || managed_declaration(h, file, &inst.name);
            if !managed && missing_schema_reported.insert(inst.name.to_string()) {
                let (place, span) = at();
                findings.push(
                    Finding::new(
                        Rule::MissingSchema,
                        place,
                        format!("The configuration section '{}' cannot be read because it is missing schema; its content is not checked", inst.name),
                    )
                    .with_span(span)
                    .with_help(missing_schema_help(h)),
                );
            }
            return;
        }
        (false, true) => {
            if APPHOST_GROUPS.iter().any(|g| inst.name.starts_with(g)) {
                let (place, span) = at();
                findings.push(
                    Finding::new(
                        Rule::UnknownSection,
                        place,
                        format!("The configuration section '{}' cannot be read because it is missing a section declaration", inst.name),
                    )
                    .with_span(span)
                    .with_help("declare it in <configSections> of applicationHost.config"),
                );
                return;
            }
        }
        (true, true) => {}
    }
    if let Some(mut source) = section_lock(h, fi, &inst.name, level) {
        let unlocks_here = !h.is_apphost_file(fi)
            && file
                .locations
                .get(inst.location)
                .is_some_and(|l| l.node.is_some() && l.override_mode == OverrideMode::Allow);
        if unlocks_here && !source.contradictory {
            source.description.push_str(
                "; overrideMode=\"Allow\" on this <location> cannot unlock it: a level cannot unlock what a parent level locked",
            );
        }
        let (place, span) = at();
        findings.push(lock_finding(h, fi, ii, &inst.name, level, source, place).with_span(span));
    }
    check_definition(h, fi, file, inst.location, &inst.name, level, findings, &at);
    if !protected {
        h.check_layer(layer, findings);
    }
}

/// The finding for a section set where `source` locks it.
fn lock_finding(
    h: &Hierarchy,
    fi: usize,
    ii: usize,
    section: &str,
    level: &str,
    source: LockSource,
    place: crate::diagnostic::Place,
) -> Finding {
    if source.contradictory {
        return Finding::new(
            Rule::ContradictoryLocks,
            place,
            format!(
                "The configuration section '{section}' cannot be used at this path: its lock settings contradict each other (IIS treats this as illegal configuration)"
            ),
        )
        .with_help(format!(
            "{}; keep one of the two: remove the Deny, or lock the path where it is unlocked",
            source.description
        ));
    }
    let target = if level.is_empty() {
        "applicationHost.config".to_string()
    } else if !h.real_apphost {
        // The file's own site is not known: name it in words, not as the engine's
        // stand-in site.
        "<location path=\"(the site's name)\"> in applicationHost.config".to_string()
    } else {
        format!("<location path=\"{level}\"> in applicationHost.config")
    };
    Finding::new(
        Rule::SectionLocked,
        place,
        format!(
            "This configuration section cannot be used at this path. '{section}' is locked at a parent level"
        ),
    )
    .with_note(SECTION_LOCKED_NOTE)
    .with_help(format!(
        "{}. Set it in {target} instead (iisconf set --commit apphost), or unlock the section where the lock is defined",
        source.description
    ))
    .with_fix(super::fixes::move_to_apphost(h, fi, ii, level))
}

/// Whether the declaration of `section` names a .NET handler (`type="…"`), as the
/// declarations of application sections in a web.config do; IIS's own sections have none.
pub(super) fn managed_declaration(h: &Hierarchy, file: &ConfigFile, section: &str) -> bool {
    let has_type = |f: &ConfigFile, node| {
        f.doc
            .attribute_value(node, "type")
            .is_some_and(|t| !t.trim().is_empty())
    };
    if let Some(d) = file.declarations.iter().find(|d| d.name == section) {
        return has_type(file, d.node);
    }
    h.declaration(section)
        .and_then(|(fi, d)| Some(has_type(h.files.get(fi.index())?, d.node)))
        .unwrap_or(false)
}

fn check_locations(
    h: &Hierarchy,
    fi: usize,
    file: &ConfigFile,
    all: bool,
    wanted: &(dyn Fn(&str, usize) -> bool + Sync),
    findings: &mut Vec<Finding>,
) {
    // Per location tag: (holds any section, holds a wanted section).
    let mut holds = vec![(false, false); file.locations.len()];
    for s in &file.sections {
        if let Some(h) = holds.get_mut(s.location) {
            h.0 = true;
            h.1 |= wanted(&s.name, s.location);
        }
    }
    for (li, loc) in file.locations.iter().enumerate().skip(1) {
        let Some(node) = loc.node else { continue };
        let (any, holds_wanted) = holds.get(li).copied().unwrap_or((false, false));
        let empty_and_unfiltered = !any && all;
        if !holds_wanted && !empty_and_unfiltered {
            continue;
        }
        if loc.conflicting_override {
            let (place, span) = file.attribute_place(node, "allowOverride");
            findings.push(
                Finding::new(
                    Rule::ConflictingOverride,
                    place,
                    "A <location> tag may use overrideMode or the legacy allowOverride, not both",
                )
                .with_span(span)
                .with_help("remove allowOverride and keep overrideMode"),
            );
        }
        if FileId::new(fi).is_apphost() && h.real_apphost && !loc.path.is_empty() {
            let site = loc.path.split('/').next().unwrap_or("");
            if h.site_of(site).is_none() {
                let (place, span) = file.value_place(node, "path");
                // Character-wise prefix: a byte slice could split a multi-byte character.
                let prefix: String = site.to_lowercase().chars().take(4).collect();
                let near = h
                    .sites
                    .iter()
                    .map(|s| s.name.as_str())
                    .find(|n| n.to_lowercase().starts_with(&prefix));
                const LISTED: usize = 10;
                let mut names: Vec<&str> = h
                    .sites
                    .iter()
                    .take(LISTED)
                    .map(|s| s.name.as_str())
                    .collect();
                if h.sites.len() > LISTED {
                    names.push("…");
                }
                let help = match near {
                    Some(n) => format!("did you mean \"{n}\"? the sites are: {}", names.join(", ")),
                    None if names.is_empty() => {
                        "applicationHost.config defines no sites".to_string()
                    }
                    None => format!("the sites are: {}", names.join(", ")),
                };
                findings.push(
                    Finding::new(
                        Rule::UnknownLocationPath,
                        place,
                        format!(
                            "<location path=\"{}\"> matches no site: its settings apply to nothing",
                            loc.path
                        ),
                    )
                    .with_span(span)
                    .with_help(help),
                );
            }
        }
    }
}

fn check_duplicates(
    h: &Hierarchy,
    fi: usize,
    file: &ConfigFile,
    wanted: &(dyn Fn(&str, usize) -> bool + Sync),
    findings: &mut Vec<Finding>,
) {
    for (ii, inst) in file.sections.iter().enumerate() {
        if !wanted(&inst.name, inst.location) {
            continue;
        }
        // The instances of a section at one level, in hierarchy order: the first one of
        // this file is the one that counts.
        let first = h
            .layer_group(LayerRef {
                file: fi,
                instance: ii,
            })
            .iter()
            .find(|l| l.file == fi)
            .map(|l| l.instance);
        match first {
            None => {}
            Some(earlier) if earlier == ii => {}
            Some(earlier) => {
                let prev = &file.sections[earlier];
                let prev_line = file.doc.node_position(prev.node).map_or(0, |p| p.line);
                let (place, span) = file.node_place(inst.node);
                let prev_loc = &file.locations[prev.location];
                let this_loc = &file.locations[inst.location];
                let detail = if prev_loc.node.is_none() != this_loc.node.is_none() {
                    " (a section may not appear both at the root of a file and in <location path=\".\">)".to_string()
                } else if this_loc.node.is_some() && prev.location != inst.location {
                    format!(" (two <location path=\"{}\"> tags hold it)", this_loc.path)
                } else {
                    String::new()
                };
                findings.push(
                    Finding::new(
                        Rule::DuplicateSection,
                        place,
                        format!(
                            "Config section '{}' already defined at line {prev_line}{detail}",
                            inst.name
                        ),
                    )
                    .with_span(span)
                    .with_note("Sections must only appear once per config file")
                    .with_related(file.node_place(prev.node).0, "first defined here")
                    .with_help("merge the two into one"),
                );
            }
        }
    }
}

/// A location tag of a file above that locks or unlocks a section for a path.
struct LockSetting {
    /// The file holding it.
    file: usize,
    /// The config path it applies to.
    path: String,
    mode: OverrideMode,
    /// `file:line` of the location tag.
    place: String,
}

/// The location tags of the files above file `fi` that lock or unlock `section` for
/// `level` or one of its parents.
fn lock_settings(h: &Hierarchy, fi: usize, section: &str, level: &str) -> Vec<LockSetting> {
    let above = (0..fi).filter(|&upper| {
        h.levels
            .get(upper)
            .is_some_and(|l| paths::is_ancestor_or_self(l.as_str(), level))
    });
    above
        .flat_map(|upper| h.lock_tags_in(upper, section))
        .filter(|tag| paths::is_ancestor_or_self(&tag.path, level))
        .filter_map(|tag| {
            let file = h.files.get(tag.file)?;
            let line = tag
                .tag
                .node
                .and_then(|n| file.doc.node_position(n))
                .map_or(0, |p| p.line);
            Some(LockSetting {
                file: tag.file,
                path: tag.path,
                mode: tag.mode,
                place: format!("{}:{line}", file.name),
            })
        })
        .collect()
}

/// The lock that forbids setting `section` at `level` in file `fi`, if any.
///
/// The deepest location tag that locks or unlocks the section decides (the later file when
/// two name the same path), else the declaration's overrideModeDefault. A web.config's
/// overrideMode="Allow" counts only where that web.config may set the section itself: "a
/// configuration level can never unlock what was locked by parent levels" (IIS docs,
/// deep-dive-into-iis-configuration-with-iis-7-and-iis-8, Locking). A lower level's Deny for
/// a path that a higher level unlocked below the lower level's own is the docs' "conflict
/// between locking and unlocking", illegal configuration (same document, Unlocking).
pub(super) fn section_lock(
    h: &Hierarchy,
    fi: usize,
    section: &str,
    level: &str,
) -> Option<LockSource> {
    if h.is_apphost_file(fi) {
        return None;
    }
    let (settings, void): (Vec<LockSetting>, Vec<LockSetting>) =
        lock_settings(h, fi, section, level)
            .into_iter()
            .partition(|s| {
                s.mode != OverrideMode::Allow
                    || h.is_apphost_file(s.file)
                    || section_lock(h, s.file, section, &s.path).is_none()
            });
    if let Some(source) = contradiction(h, &settings) {
        return Some(source);
    }
    let cannot_unlock = match void.first() {
        Some(allow) => format!(
            "; <location overrideMode=\"Allow\"> at {} cannot unlock it: a level cannot unlock what a parent level locked",
            allow.place
        ),
        None => String::new(),
    };
    let best = settings.iter().max_by_key(|s| (s.path.len(), s.file));
    if let Some(best) = best {
        return (best.mode == OverrideMode::Deny).then(|| LockSource {
            description: format!(
                "locked by <location overrideMode=\"Deny\"> at {}{cannot_unlock}",
                best.place
            ),
            contradictory: false,
        });
    }
    let (decl_file, decl) = h.declaration(section)?;
    if decl_file >= FileId::new(fi) || decl.override_mode_default != OverrideMode::Deny {
        return None;
    }
    let file = h.files.get(decl_file.index())?;
    let line = file.doc.node_position(decl.node).map_or(0, |p| p.line);
    let place = if file.name.starts_with("embedded:") {
        shown_file(&file.name).to_string()
    } else {
        format!("{}:{line}", file.name)
    };
    Some(LockSource {
        description: format!(
            "locked by default: overrideModeDefault=\"Deny\" in the declaration of {section} at {place}{cannot_unlock}"
        ),
        contradictory: false,
    })
}

/// A Deny of a lower file for a path that a higher file unlocked below the lower file's
/// own level (the Deny covering the unlocked path).
fn contradiction(h: &Hierarchy, settings: &[LockSetting]) -> Option<LockSource> {
    let allows = settings.iter().filter(|s| s.mode == OverrideMode::Allow);
    for allow in allows {
        let deny = settings.iter().find(|deny| {
            let below_its_file = h.levels.get(deny.file).is_some_and(|l| {
                paths::is_ancestor_or_self(l.as_str(), &allow.path)
                    && !l.as_str().eq_ignore_ascii_case(&allow.path)
            });
            deny.mode == OverrideMode::Deny
                && deny.file > allow.file
                && below_its_file
                && paths::is_ancestor_or_self(&deny.path, &allow.path)
        });
        if let Some(deny) = deny {
            return Some(LockSource {
                description: format!(
                    "<location overrideMode=\"Allow\"> at {} unlocks it for {}, while <location overrideMode=\"Deny\"> at {} locks it",
                    allow.place,
                    paths::display_config_path(&allow.path),
                    deny.place
                ),
                contradictory: true,
            });
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn check_definition(
    h: &Hierarchy,
    fi: usize,
    file: &ConfigFile,
    location: usize,
    section: &str,
    level: &str,
    findings: &mut Vec<Finding>,
    at: &dyn Fn() -> (crate::diagnostic::Place, Option<iisconf_xml::Span>),
) {
    let decl = h
        .declaration(section)
        .map(|(_, d)| d)
        .or_else(|| file.declarations.iter().find(|d| d.name == section));
    let Some(decl) = decl else { return };
    let in_apphost = h.in_apphost_file(fi);
    let allowed = match decl.allow_definition {
        AllowDefinition::Everywhere => true,
        AllowDefinition::AppHostOnly => in_apphost,
        AllowDefinition::MachineOnly => false,
        AllowDefinition::MachineToWebRoot => h.is_administration_file(fi),
        AllowDefinition::MachineToApplication => level.is_empty() || h.is_app_root(level),
    };
    if !allowed {
        let (place, span) = at();
        let where_ = match decl.allow_definition {
            AllowDefinition::AppHostOnly => "applicationHost.config",
            AllowDefinition::MachineOnly => "machine.config",
            AllowDefinition::MachineToWebRoot => "machine.config or the root web.config",
            AllowDefinition::MachineToApplication => {
                "the server level or the root of an application"
            }
            AllowDefinition::Everywhere => "any level",
        };
        findings.push(
            Finding::new(
                Rule::AllowDefinition,
                place,
                format!(
                    "The configuration section '{section}' can only be set in {where_} (allowDefinition=\"{:?}\"); this is {}",
                    decl.allow_definition,
                    paths::display_config_path(level)
                ),
            )
            .with_span(span)
            .with_help(format!("move it to {where_}")),
        );
    }
    let loc = &file.locations[location];
    if !decl.allow_location && loc.node.is_some() && !loc.path.is_empty() {
        let (place, span) = at();
        findings.push(
            Finding::new(
                Rule::AllowLocation,
                place,
                format!("The configuration section '{section}' is declared allowLocation=\"false\" and cannot be used in a <location> tag"),
            )
            .with_span(span)
            .with_help("set it at the root of the file instead"),
        );
    }
}
